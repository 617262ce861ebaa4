"""Check Pulumi's VPC Lattice resources against AWS's own API model, before anything reaches AWS.

The engine hands a program's resources to the provider as camelCase input dicts (`config.healthCheck.matcher.value`,
`defaultAction.forwards[0].targetGroups[1].weight`); the provider turns them into VPC Lattice API calls
(`CreateTargetGroup`'s `config.healthCheck.matcher.httpCode`, `CreateListener`'s `defaultAction.forward`). This
module maps the first onto the second (`RESOURCE_MAPPINGS`, the one table of pulumi-aws-to-API names) and walks
the inputs through botocore's model of the API: required members, types, string length, list length, number
range, enum, pattern and unions. botocore's own `validate_parameters` checks only required/type/min/union, and
stops at the first error; a deploy that fails at the fifth resource after four were created is what we avoid.

On top of the model's metadata come the limits stated only in its documentation text (health-check interval
"The range is 5–300 seconds", "Only 404 and 500 status codes are supported", "Not supported if the target group
type is LAMBDA"; parsed by `api_model`), a few rules from the user guide and quota table the model cannot express
(TLS passthrough listeners, the 10 KB auth-policy quota), and `check_stack` for rules that span resources (unique
rule priorities per listener, a TLS listener's service needs a custom domain, one service network per VPC).

Values the engine does not know yet are skipped, never reported: `None`, the Pulumi SDK's `Unknown` (mocks
during preview), pulumi-policy's unknown sentinels, and `Output` objects. A non-preview mock drops unknown outputs
from the inputs altogether, so a required member can only be missing where the pulumi-aws SDK itself lets the
argument be omitted; pass `require_members=False` when props may lack values you know will be there.
"""

from __future__ import annotations

import collections.abc
import dataclasses
import functools
import importlib
import inspect
import json
import re
import typing
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

from botocore.model import Shape
from pulumi.output import Output, Unknown
from pulumi.runtime.rpc import is_rpc_secret, unwrap_rpc_secret

from . import api_model

LATTICE_TYPE_PREFIX = "aws:vpclattice/"

# pulumi-policy's typed "unknown during preview" sentinels (pulumi_policy/proxy.py); the string one is also the
# wire value the engine and the SDK's mocks use. Copied so this module imports without pulumi-policy.
UNKNOWN_SENTINELS = frozenset(
    {
        "04da6b54-80e4-46f7-96ec-b56ff0331ba9",  # string (and pulumi.runtime.rpc.UNKNOWN)
        "1c4a061d-8072-4f0a-a4cb-0ff528b18fe7",  # boolean
        "3eeb2bf0-c639-47a8-9e75-3b44932eb421",  # number
        "6a19a0b0-7e62-4c92-b797-7f8e31da9cc2",  # array
        "030794c1-ac77-496b-92df-f27374a8bd58",  # asset
        "e48ece36-62e2-4504-bad9-02848725956a",  # archive
        "dd056dcd-154b-4c76-9bd3-c8f88648b5ff",  # object
    }
)

# Service quota "Auth policy size: 10 KB" (VPC Lattice quotas page; not adjustable). The model only says 102,400
# characters. Measured on the compact JSON the provider sends (it normalizes the document before PutAuthPolicy).
AUTH_POLICY_MAX_BYTES = 10 * 1024


# --------------------------------------------------------------------------------------------------------------
# Violations
# --------------------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ApiViolation:
    """One input the VPC Lattice API would reject.

    `path` is the engine property path (`config.healthCheck.healthCheckIntervalSeconds`,
    `defaultAction.forwards[0].targetGroups[2].weight`), `value` the offending value (None when something is
    missing), `rule` what is wrong in words, `kind` a stable tag for filtering (`max`, `pattern`, `required`, ...).
    """

    path: str
    value: Any
    rule: str
    kind: str = ""

    def __str__(self) -> str:
        return f"{self.path}: {self.rule}" if self.path else self.rule


# --------------------------------------------------------------------------------------------------------------
# The mapping table: pulumi-aws 7.x resource and property names -> VPC Lattice API operation and members
# --------------------------------------------------------------------------------------------------------------

LIST_OF_ONE = "list-of-one"  # the engine has a list where the API has one structure (listener `forwards`)
ONE_OF_LIST = "one-of-list"  # the engine has one object where the API has a list (attachment `target`)


@dataclass(frozen=True)
class Member:
    """Where one engine property lands in the API, when its name or shape differs from the API member's."""

    api: str
    shape_change: str = ""
    json_document: bool = False  # a JSON policy string the provider normalizes (compacts) before sending


@dataclass(frozen=True)
class ResourceMapping:
    """How one pulumi-aws resource becomes one VPC Lattice API request.

    `members` is keyed by engine property path without list indices (`defaultAction.forwards`); every engine
    property not listed there keeps its name. `ignored` are engine properties with no API counterpart;
    `provider_fills` are members the provider supplies when omitted (auto-names, defaults);
    `discriminator` is the property holding the type that documentation such as "Not supported if the target
    group type is LAMBDA" refers to.
    """

    operation: str
    members: Mapping[str, Member] = field(default_factory=dict)
    ignored: frozenset[str] = frozenset({"region"})
    provider_fills: frozenset[str] = frozenset()
    discriminator: str | None = None


RESOURCE_MAPPINGS: dict[str, ResourceMapping] = {
    "aws:vpclattice/accessLogSubscription:AccessLogSubscription": ResourceMapping("CreateAccessLogSubscription"),
    "aws:vpclattice/authPolicy:AuthPolicy": ResourceMapping(
        "PutAuthPolicy",
        members={"policy": Member("policy", json_document=True)},
        # `state` is the provider's read-back of the policy state, not an input of PutAuthPolicy.
        ignored=frozenset({"region", "state"}),
    ),
    "aws:vpclattice/domainVerification:DomainVerification": ResourceMapping("StartDomainVerification"),
    "aws:vpclattice/listener:Listener": ResourceMapping(
        "CreateListener",
        members={
            "serviceArn": Member("serviceIdentifier"),
            "defaultAction.forwards": Member("forward", LIST_OF_ONE),
        },
        provider_fills=frozenset({"name"}),
    ),
    "aws:vpclattice/listenerRule:ListenerRule": ResourceMapping("CreateRule", provider_fills=frozenset({"name"})),
    "aws:vpclattice/resourceConfiguration:ResourceConfiguration": ResourceMapping(
        "CreateResourceConfiguration",
        members={
            "resourceConfigurationGroupId": Member("resourceConfigurationGroupIdentifier"),
            "domainVerificationId": Member("domainVerificationIdentifier"),
        },
        ignored=frozenset({"region", "timeouts"}),
        provider_fills=frozenset({"name", "type"}),  # the provider defaults `type` to SINGLE
        discriminator="type",
    ),
    "aws:vpclattice/resourceGateway:ResourceGateway": ResourceMapping(
        "CreateResourceGateway",
        members={"vpcId": Member("vpcIdentifier")},
        ignored=frozenset({"region", "timeouts"}),
        provider_fills=frozenset({"name"}),
    ),
    "aws:vpclattice/resourcePolicy:ResourcePolicy": ResourceMapping(
        "PutResourcePolicy", members={"policy": Member("policy", json_document=True)}
    ),
    "aws:vpclattice/service:Service": ResourceMapping("CreateService", provider_fills=frozenset({"name"})),
    "aws:vpclattice/serviceNetwork:ServiceNetwork": ResourceMapping(
        "CreateServiceNetwork", provider_fills=frozenset({"name"})
    ),
    "aws:vpclattice/serviceNetworkResourceAssociation:ServiceNetworkResourceAssociation": ResourceMapping(
        "CreateServiceNetworkResourceAssociation", ignored=frozenset({"region", "timeouts"})
    ),
    "aws:vpclattice/serviceNetworkServiceAssociation:ServiceNetworkServiceAssociation": ResourceMapping(
        "CreateServiceNetworkServiceAssociation"
    ),
    "aws:vpclattice/serviceNetworkVpcAssociation:ServiceNetworkVpcAssociation": ResourceMapping(
        "CreateServiceNetworkVpcAssociation"
    ),
    "aws:vpclattice/targetGroup:TargetGroup": ResourceMapping(
        "CreateTargetGroup",
        members={"config.healthCheck.matcher.value": Member("httpCode")},
        # The provider defaults the matcher to "200", so an empty `matcher` is complete.
        provider_fills=frozenset({"name", "config.healthCheck.matcher.value"}),
        discriminator="type",
    ),
    "aws:vpclattice/targetGroupAttachment:TargetGroupAttachment": ResourceMapping(
        "RegisterTargets", members={"target": Member("targets", ONE_OF_LIST)}
    ),
}


def is_lattice_type(type_token: str) -> bool:
    return type_token.startswith(LATTICE_TYPE_PREFIX)


def api_member_for(type_token: str, engine_path: str) -> str | None:
    """The API member path (`api_model.member_shape` syntax) an engine property lands in, or None if it has none.

    `api_member_for("aws:vpclattice/listener:Listener", "defaultAction.forwards[0].targetGroups[1].weight")`
    is `"defaultAction.forward.targetGroups.weight"` (of `CreateListener`).
    """
    mapping = RESOURCE_MAPPINGS[type_token]
    current: Shape = api_model.service_model().operation_model(mapping.operation).input_shape
    engine_parts: list[str] = []
    api_parts: list[str] = []
    for part in _normalized(engine_path).split("."):
        engine_parts.append(part)
        normalized = ".".join(engine_parts)
        if _is_ignored(mapping, normalized):
            return None
        while current.type_name in ("list", "map"):
            current = current.member if current.type_name == "list" else current.value
        api_name = mapping.members[normalized].api if normalized in mapping.members else part
        if current.type_name != "structure" or api_name not in current.members:
            return None
        api_parts.append(api_name)
        current = current.members[api_name]
    return ".".join(api_parts)


def property_limits(type_token: str, engine_path: str) -> api_model.MemberLimits:
    """`api_model.limits` for an engine property (`property_limits(TARGET_GROUP, "config.healthCheck.matcher.value")`)."""
    api_path = api_member_for(type_token, engine_path)
    if api_path is None:
        raise KeyError(f"{type_token} {engine_path}: no VPC Lattice API member behind this property")
    return api_model.limits(RESOURCE_MAPPINGS[type_token].operation, api_path)


def _normalized(engine_path: str) -> str:
    return re.sub(r"\[\d*\]", "", engine_path)


def _is_ignored(mapping: ResourceMapping, normalized: str) -> bool:
    parts = normalized.split(".")
    return parts[-1].startswith("__") or any(".".join(parts[:i]) in mapping.ignored for i in range(1, len(parts) + 1))


# --------------------------------------------------------------------------------------------------------------
# What the pulumi-aws SDK itself requires (read from its input classes, so an upgrade moves it)
# --------------------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class SdkInput:
    """One input property of a pulumi-aws resource, as its Python SDK declares it."""

    path: str  # engine path without list indices: `defaultAction.forwards.targetGroups.weight`
    required: bool  # the SDK refuses to build the resource (or input object) without it
    is_list: bool
    is_map: bool
    is_object: bool


def sdk_resource_class(type_token: str) -> type:
    """The pulumi-aws resource class of a type token (`aws:vpclattice/listener:Listener` -> `Listener`)."""
    module_name = type_token.split(":")[1].split("/")[0]
    return getattr(importlib.import_module(f"pulumi_aws.{module_name}"), type_token.rsplit(":", 1)[1])


@functools.cache
def sdk_inputs(type_token: str) -> Mapping[str, SdkInput]:
    """Every input property of a resource, nested ones too, keyed by engine path without list indices."""
    resource_class = sdk_resource_class(type_token)
    module = importlib.import_module(resource_class.__module__.rsplit(".", 1)[0])
    found: dict[str, SdkInput] = {}
    _describe_args(getattr(module, f"{resource_class.__name__}Args"), "", module, found)
    return found


def _describe_args(args_class: type, prefix: str, module: Any, found: dict[str, SdkInput]) -> None:
    parameters = inspect.signature(args_class.__init__).parameters
    for py_name, attribute in vars(args_class).items():
        engine_name = getattr(getattr(attribute, "fget", None), "_pulumi_name", None)
        if engine_name is None or py_name not in parameters:
            continue
        parameter = parameters[py_name]
        refs: list[str] = []
        origins: set[Any] = set()
        _annotation_parts(parameter.annotation, refs, origins)
        nested = next((ref for ref in refs if ref.endswith("Args")), None)
        path = f"{prefix}{engine_name}"
        found[path] = SdkInput(
            path=path,
            required=parameter.default is inspect.Parameter.empty,
            is_list=collections.abc.Sequence in origins,
            is_map=collections.abc.Mapping in origins,
            is_object=nested is not None,
        )
        if nested is not None:
            _describe_args(getattr(module, nested), f"{path}.", module, found)


def _annotation_parts(annotation: Any, refs: list[str], origins: set[Any]) -> None:
    if isinstance(annotation, typing.ForwardRef):
        refs.append(annotation.__forward_arg__)
        return
    if isinstance(annotation, type) and annotation.__name__.endswith("Args"):
        refs.append(annotation.__name__)
    origin = typing.get_origin(annotation)
    if origin is not None:
        origins.add(origin)
    for argument in typing.get_args(annotation):
        _annotation_parts(argument, refs, origins)


# --------------------------------------------------------------------------------------------------------------
# Values: plain data, with the unknowns of preview recognized
# --------------------------------------------------------------------------------------------------------------


def is_unknown(value: Any) -> bool:
    """True for a value the engine does not know yet (or a value a mock left unset)."""
    if value is None:
        return True
    if isinstance(value, str):
        return value in UNKNOWN_SENTINELS
    return isinstance(value, (Unknown, Output))


def plain(value: Any) -> Any:
    """Engine inputs as plain dicts, lists and scalars: secrets unwrapped, unknowns kept as they are.

    pulumi-policy's `args.props` is a proxy that raises on the first unknown it hands out; reading its
    `"__target"` (as pulumi-policy's own serializer does) gets past it without tripping that check.
    """
    if is_rpc_secret(value):
        return plain(unwrap_rpc_secret(value))
    if isinstance(value, (Mapping, collections.abc.Sequence)) and not isinstance(value, (dict, list, tuple, str)):
        try:
            value = value["__target"]  # type: ignore[index]
        except (KeyError, IndexError, TypeError):
            pass
    if isinstance(value, Mapping):
        return {key: plain(item) for key, item in value.items()}
    if isinstance(value, (list, tuple)):
        return [plain(item) for item in value]
    return value


def _as_int(value: Any) -> int | None:
    """A whole number as the provider would read it (the engine sends every number as a float)."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, str) and re.fullmatch(r"\s*-?\d+\s*", value):  # the bridge coerces numeric strings
        return int(value)
    return None


def _as_str(value: Any) -> str | None:
    if isinstance(value, str):
        return value
    if isinstance(value, bool):  # the bridge coerces scalars to strings where the schema says string
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        number = _as_int(value)
        return str(number) if number is not None else str(value)
    return None


def _shown(value: Any) -> str:
    if isinstance(value, str):
        return repr(value if len(value) <= 100 else value[:97] + "...")
    number = _as_int(value) if isinstance(value, float) else None
    return str(number) if number is not None else repr(value)


def _plural(count: int, noun: str) -> str:
    return f"{count} {noun}" if count == 1 else f"{count} {noun}s"


def _words(identifier: str) -> str:
    """`targetGroup` -> `target group`."""
    return re.sub(r"(?<!^)([A-Z])", r" \1", identifier).lower()


def _noun(type_token: str) -> str:
    return _words(type_token.split(":")[1].split("/")[1])


# --------------------------------------------------------------------------------------------------------------
# Patterns in words
# --------------------------------------------------------------------------------------------------------------

_NAME_PATTERN = re.compile(
    r"^(?P<prefixes>(?:\(\?![a-z0-9]+-\))*)\(\?!\[-\]\)\(\?!\.\*\[-\]\$\)\(\?!\.\*\[-\]\{2\}\)\[a-z0-9-\]\+$"
)


def pattern_hint(pattern: str) -> str | None:
    """A platform engineer's reading of one of the model's regular expressions, when we recognize its form."""
    name = _NAME_PATTERN.match(pattern)
    if name:
        prefixes = re.findall(r"\(\?!([a-z0-9]+-)\)", name.group("prefixes"))
        hint = "lowercase letters, digits and single hyphens, no hyphen first or last"
        return hint + "".join(f"; may not start with {prefix!r}" for prefix in prefixes)
    short_id = re.fullmatch(r"([a-z]+)-\(\(\[0-9a-z\]\{(\d+)\}\)\|\(\[0-9a-z\]\{(\d+)\}\)\)", pattern)
    if short_id:
        return (
            f"'{short_id.group(1)}-' followed by {short_id.group(2)} or {short_id.group(3)} lowercase letters or digits"
        )
    # Resource IDs: an alternative that starts with `svc-` (or `((sn)|(svc)|(rcfg))-`) and 17 characters.
    prefixes = re.findall(r"(?:^|[(|])([a-z]+)-\[[^\]]+\]\{17\}", pattern)
    for group in re.findall(r"(?:^|[(|])\(\(([a-z]+)\)((?:\|\([a-z]+\))+)\)-\[", pattern):
        prefixes += [group[0], *re.findall(r"[a-z]+", group[1])]
    if prefixes:
        ids = " or ".join(f"{prefix}-" for prefix in sorted(dict.fromkeys(prefixes), key=pattern.find))
        arn = ", or its ARN" if "arn" in pattern else ""
        return f"an ID {ids} followed by 17 lowercase letters or digits{arn}"
    arn_kinds = re.findall(r"\(([a-z]+)/[a-z]+\)|([a-z]+)/[a-z]+-\[", pattern)
    arn_kinds = [paired or single for paired, single in arn_kinds]
    if pattern.startswith("arn") and arn_kinds:
        kinds = list(dict.fromkeys(arn_kinds))
        listed = kinds[0] if len(kinds) == 1 else f"{', '.join(kinds[:-1])} or {kinds[-1]}"
        return f"the ARN of a {listed}"
    if "/[a-zA-Z0-9@:%_+.~#?&/=-]*" in pattern:
        return "a path starting with '/', using letters, digits and @:%_+.~#?&/=-"
    if "[0-9-,]+" in pattern:
        return "HTTP codes: digits, commas and hyphens, e.g. '200', '200,204' or '200-299'"
    if r"\d{1,5}\-\d{1,5}" in pattern:
        return "a port such as '443' or a port range such as '8000-8080'"
    if pattern.lstrip("(").startswith("arn"):
        return "an ACM certificate ARN" if "certificate/" in pattern else "an ARN"
    if pattern == r".*\S.*":
        return "text that is not blank"
    return None


@functools.lru_cache(maxsize=512)
def _compiled(pattern: str) -> re.Pattern[str] | None:
    try:
        return re.compile(pattern, re.ASCII)  # the service's \d and \w are ASCII-only
    except re.error:
        return None  # tests/test_api_model.py compiles every pattern in the model, so this stays theoretical


def pattern_fullmatch(pattern: str, value: str) -> bool:
    """Whether `value` matches the whole model pattern (the model's patterns are unanchored; some alternatives
    carry their own `^...$`, which a whole-string match honours)."""
    compiled = _compiled(pattern)
    return compiled is None or compiled.fullmatch(value) is not None


# --------------------------------------------------------------------------------------------------------------
# The walk over one resource
# --------------------------------------------------------------------------------------------------------------


class _Walk:
    def __init__(self, type_token: str, mapping: ResourceMapping, props: Mapping[str, Any], require_members: bool):
        self.type_token = type_token
        self.mapping = mapping
        self.require_members = require_members
        self.sdk = sdk_inputs(type_token)
        self.violations: list[ApiViolation] = []
        kind = props.get(mapping.discriminator) if mapping.discriminator else None
        # Only a type the API knows selects type rules; an unknown one is reported by the enum check alone.
        kinds = api_model.limits(mapping.operation, mapping.discriminator).enum if mapping.discriminator else ()
        self.resource_kind = kind if kind in kinds else None
        self.renames: dict[str, dict[str, Member]] = defaultdict(dict)
        for path, member in mapping.members.items():
            parent, _, key = path.rpartition(".")
            self.renames[parent][key] = member

    def report(self, path: str, value: Any, rule: str, kind: str) -> None:
        self.violations.append(ApiViolation(path, value, rule, kind))

    # -- structures ------------------------------------------------------------------------------------------

    def structure(self, value: Mapping[str, Any], shape: Shape, epath: str, npath: str, api_path: str) -> None:
        present: dict[str, list[str]] = defaultdict(list)  # API member -> engine keys given for it
        for key, item in value.items():
            child_n = f"{npath}.{key}" if npath else key
            child_e = f"{epath}.{key}" if epath else key
            if _is_ignored(self.mapping, child_n):
                continue
            member = self.renames[npath].get(key) or Member(key)
            if member.api not in shape.members:
                continue  # not an API input (tests/test_api_check.py proves every SDK input is mapped or ignored)
            present[member.api].append(key)
            if is_unknown(item):
                continue
            member_shape = shape.members[member.api]
            child_api = f"{api_path}.{member.api}" if api_path else member.api
            if not self.applicable(item, member_shape, child_e):
                continue
            if member.shape_change == LIST_OF_ONE:
                self.list_of_one(item, member_shape, child_e, child_n, child_api, key)
            elif member.shape_change == ONE_OF_LIST:
                self.value(item, member_shape.member, child_e, child_n, child_api)
            elif member.json_document:
                self.json_document(item, member_shape, child_e, child_n, child_api)
            else:
                self.value(item, member_shape, child_e, child_n, child_api)
        if self.require_members:
            self.required(value, shape, epath, npath, api_path, present)
        if shape.metadata.get("union"):
            self.union(value, shape, epath, npath, present)

    def engine_names(self, npath: str, api_member: str) -> list[str]:
        """The engine keys that land in `api_member` of the structure at `npath` (a same-named one first)."""
        renamed = [key for key, member in self.renames[npath].items() if member.api == api_member]
        same_name = [] if api_member in self.renames[npath] else [api_member]
        return same_name + renamed

    def sdk_knows(self, npath: str, key: str) -> SdkInput | None:
        return self.sdk.get(f"{npath}.{key}" if npath else key)

    def provider_fills(self, npath: str, key: str) -> bool:
        return (f"{npath}.{key}" if npath else key) in self.mapping.provider_fills

    def required(self, value, shape, epath, npath, api_path, present) -> None:
        for api_member in shape.required_members:
            if present.get(api_member):
                continue
            names = [name for name in self.engine_names(npath, api_member) if self.sdk_knows(npath, name)]
            if not names or any(self.provider_fills(npath, name) for name in names):
                continue
            # The SDK raises TypeError without a required argument, so absence here is an output a mock left unset.
            if any(self.sdk_knows(npath, name).required for name in names):
                continue
            where = f"{epath}.{names[0]}" if epath else names[0]
            alternatives = f"; set {' or '.join(names)}" if len(names) > 1 else ""
            operation = self.mapping.operation
            member_path = f"{api_path}.{api_member}" if api_path else api_member
            self.report(
                where, None, f"is required by the API ({operation} needs {member_path}{alternatives})", "required"
            )

    def union(self, value, shape, epath, npath, present) -> None:
        given = [key for api_member in shape.members for key in present.get(api_member, [])]
        # An unknown member may still resolve to nothing: it neither counts as a second choice nor as a missing one.
        undecided = any(is_unknown(value[key]) for key in given)
        chosen = sorted(key for key in given if not is_unknown(value[key]) and value[key] != [])
        options = []
        for api_member in shape.members:
            names = self.engine_names(npath, api_member)
            known = [name for name in names if self.sdk_knows(npath, name)]
            options.append(((known or names)[0], bool(known)))
        # Members pulumi-aws cannot set (a newer API's union member) would only confuse the reader.
        options = [name for name, settable in options if settable] or [name for name, _ in options]
        where = epath or "(resource)"
        if len(chosen) > 1:
            both = (
                f"both {chosen[0]} and {chosen[1]}"
                if len(chosen) == 2
                else f"{', '.join(chosen[:-1])} and {chosen[-1]}"
            )
            self.report(
                where,
                None,
                f"sets {both}; the API's {shape.name} takes exactly one of {', '.join(options)}",
                "union",
            )
        elif not chosen and not undecided and self.require_members:
            if any(
                self.provider_fills(npath, name) or getattr(self.sdk_knows(npath, name), "required", False)
                for name in options
            ):
                return
            self.report(
                where, None, f"sets none of {', '.join(options)}; the API's {shape.name} needs exactly one", "union"
            )

    def list_of_one(self, item, shape, epath, npath, api_path, key) -> None:
        if not isinstance(item, list):
            self.report(epath, item, f"{_shown(item)} is not a list", "type")
            return
        known = [element for element in item if not is_unknown(element)]
        if len(known) > 1:
            self.report(
                epath,
                len(known),
                f"has {len(known)} entries; the API takes a single {_words(shape.name)} "
                f"(list every target group in {key}[0].targetGroups)",
                "items",
            )
        for index, element in enumerate(item):
            if not is_unknown(element):
                self.value(element, shape, f"{epath}[{index}]", npath, api_path)

    def json_document(self, item, shape, epath, npath, api_path) -> None:
        text = _as_str(item)
        if text is None:
            self.report(epath, item, f"{_shown(item)} is not a JSON policy document string", "type")
            return
        try:
            document = json.loads(text)
        except ValueError as error:
            self.report(
                epath, text, f"is not valid JSON ({error.msg} at line {error.lineno} column {error.colno})", "json"
            )
            return
        self.value(compact_json(document), shape, epath, npath, api_path)

    # -- documented type applicability ("Not supported if the target group type is LAMBDA") -------------------

    def applicable(self, item: Any, member_shape: Shape, epath: str) -> bool:
        """Report a member set on a type its documentation excludes; False stops the walk below it."""
        if self.resource_kind is None:
            return True
        rule = api_model.applicability_in_documentation(member_shape)
        if rule is None:
            return True
        noun = _noun(self.type_token)
        if not rule.allows(self.resource_kind):
            if self.resource_kind in rule.excluded or rule.only is None:
                problem = f"not supported for {self.resource_kind} {noun}s"
            else:
                problem = f"only for {', '.join(sorted(rule.only))} {noun}s; this one is {self.resource_kind}"
            self.report(epath, item, f"{problem} (API reference: {rule.sentence!r})", "not-for-type")
            return False
        text = _as_str(item)
        for value, only_type in rule.value_only_for:
            if text == value and self.resource_kind != only_type:
                self.report(
                    epath,
                    item,
                    f"{value!r} is supported only for {only_type} {noun}s; this one is {self.resource_kind} "
                    f"(API reference: {rule.sentence!r})",
                    "not-for-type",
                )
        return True

    # -- any value -------------------------------------------------------------------------------------------

    def value(self, item: Any, shape: Shape, epath: str, npath: str, api_path: str) -> None:
        if is_unknown(item):
            return
        kind = shape.type_name
        if kind == "structure":
            if not isinstance(item, Mapping):
                self.report(epath, item, f"{_shown(item)} is not an object", "type")
                return
            self.structure(item, shape, epath, npath, api_path)
        elif kind == "list":
            if not isinstance(item, list):
                self.report(epath, item, f"{_shown(item)} is not a list", "type")
                return
            self.count(item, shape, epath, "entry", "entries")
            for index, element in enumerate(item):
                self.value(element, shape.member, f"{epath}[{index}]", npath, api_path)
        elif kind == "map":
            if not isinstance(item, Mapping):
                self.report(epath, item, f"{_shown(item)} is not an object", "type")
                return
            self.count(item, shape, epath, "entry", "entries")
            for key, element in item.items():
                self.value(key, shape.key, f"{epath} key {key!r}", npath, api_path)
                self.value(element, shape.value, f"{epath}.{key}", npath, api_path)
        elif kind == "string":
            self.string(item, shape, epath)
        elif kind in ("integer", "long"):
            self.integer(item, shape, epath)
        elif kind == "boolean":
            if not isinstance(item, bool) and item not in ("true", "false"):
                self.report(epath, item, f"{_shown(item)} is not true or false", "type")
        elif kind in ("float", "double"):
            if isinstance(item, bool) or not isinstance(item, (int, float)):
                self.report(epath, item, f"{_shown(item)} is not a number", "type")
            else:
                self.bounds(item, shape, epath)

    def count(self, item, shape: Shape, epath: str, singular: str, plural: str) -> None:
        low, high = shape.metadata.get("min"), shape.metadata.get("max")
        size = len(item)
        noun = singular if size == 1 else plural
        if low is not None and size < low:
            self.report(epath, size, f"has {size} {noun}; the API needs at least {low}", "items")
        elif high is not None and size > high:
            self.report(epath, size, f"has {size} {noun}; the API allows at most {high}", "items")

    def string(self, item: Any, shape: Shape, epath: str) -> None:
        text = _as_str(item)
        if text is None:
            self.report(epath, item, f"{_shown(item)} is not a string", "type")
            return
        meta = shape.metadata
        low, high = meta.get("min"), meta.get("max")
        if low is not None and len(text) < low:
            self.report(
                epath,
                text,
                f"{_shown(text)} is {_plural(len(text), 'character')} long; the API minimum is {low}",
                "length",
            )
        if high is not None and len(text) > high:
            self.report(
                epath,
                text,
                f"{_shown(text)} is {_plural(len(text), 'character')} long; the API maximum is {high}",
                "length",
            )
        allowed = getattr(shape, "enum", None) or meta.get("enum")
        if allowed and text not in allowed:
            self.report(epath, text, f"{_shown(text)} is not one of the API values {', '.join(allowed)}", "enum")
            return
        pattern = meta.get("pattern")
        if pattern and not pattern_fullmatch(pattern, text):
            hint = pattern_hint(pattern)
            self.report(
                epath,
                text,
                f"{_shown(text)} does not match the API pattern {pattern}" + (f" ({hint})" if hint else ""),
                "pattern",
            )

    def integer(self, item: Any, shape: Shape, epath: str) -> None:
        number = _as_int(item)
        if number is None:
            self.report(epath, item, f"{_shown(item)} is not a whole number", "type")
            return
        if not self.bounds(number, shape, epath):
            return
        stated = api_model.range_in_documentation(shape)
        if stated is not None:
            meta = shape.metadata
            # A documented range only narrows the model's: a looser sentence never lets a value through.
            if number < stated.min and stated.min >= meta.get("min", stated.min):
                self.report(
                    epath,
                    number,
                    f"{number} is below the documented minimum {stated.min} (API reference: {stated.sentence!r})",
                    "documented-range",
                )
                return
            if number > stated.max and stated.max <= meta.get("max", stated.max):
                self.report(
                    epath,
                    number,
                    f"{number} is above the documented maximum {stated.max} (API reference: {stated.sentence!r})",
                    "documented-range",
                )
                return
        only = api_model.values_in_documentation(shape)
        if only is not None and number not in only.values:
            listed = " or ".join(str(value) for value in only.values)
            self.report(
                epath,
                number,
                f"{number} is not supported; the API accepts {listed} (API reference: {only.sentence!r})",
                "documented-values",
            )

    def bounds(self, number: float, shape: Shape, epath: str) -> bool:
        low, high = shape.metadata.get("min"), shape.metadata.get("max")
        if low is not None and number < low:
            self.report(epath, number, f"{_shown(number)} is below the API minimum {low}", "min")
            return False
        if high is not None and number > high:
            self.report(epath, number, f"{_shown(number)} is above the API maximum {high}", "max")
            return False
        return True


def compact_json(document: Any) -> str:
    """A JSON document as the provider sends it: compact, no whitespace between tokens."""
    return json.dumps(document, separators=(",", ":"), ensure_ascii=False)


# --------------------------------------------------------------------------------------------------------------
# Rules the model cannot express, per resource
# --------------------------------------------------------------------------------------------------------------

ResourceRule = Callable[[Mapping[str, Any]], Iterator[ApiViolation]]


def _tls_listener_forwards(props: Mapping[str, Any]) -> Iterator[ApiViolation]:
    """User guide, TLS listeners: "The default action for a TLS listener must be a forward action"."""
    if props.get("protocol") != "TLS_PASSTHROUGH":
        return
    action = props.get("defaultAction")
    if isinstance(action, Mapping) and "fixedResponse" in action and not is_unknown(action["fixedResponse"]):
        yield ApiViolation(
            "defaultAction.fixedResponse",
            action["fixedResponse"],
            "a TLS_PASSTHROUGH listener cannot answer with a fixed response (it never decrypts the request); "
            "its default action must forward to TCP target groups",
            "tls-passthrough",
        )


def _auth_policy_quota(props: Mapping[str, Any]) -> Iterator[ApiViolation]:
    text = props.get("policy")
    if is_unknown(text) or not isinstance(text, str):
        return
    try:
        size = len(compact_json(json.loads(text)).encode())
    except ValueError:
        return  # reported by the walk
    if size > AUTH_POLICY_MAX_BYTES:
        yield ApiViolation(
            "policy",
            size,
            f"is {size:,} bytes as compact JSON; the VPC Lattice quota for an auth policy is "
            f"{AUTH_POLICY_MAX_BYTES // 1024} KB ({AUTH_POLICY_MAX_BYTES:,} bytes) and cannot be raised",
            "quota",
        )


def _dns_options(props: Mapping[str, Any]) -> Iterator[ApiViolation]:
    """The model's documentation of DnsOptions: only with private DNS, and specified domains only with the
    preferences that name them."""
    options = props.get("dnsOptions")
    if is_unknown(options) or not isinstance(options, Mapping):
        return
    operation = RESOURCE_MAPPINGS["aws:vpclattice/serviceNetworkVpcAssociation:ServiceNetworkVpcAssociation"].operation
    preference_shape = api_model.member_shape(operation, "dnsOptions.privateDnsPreference")
    preference_doc = api_model.documentation_text(preference_shape)
    needs_private_dns = re.search(r"[^.]*\bonly supported when private DNS is enabled\b[^.]*\.?", preference_doc, re.I)
    if (
        needs_private_dns
        and props.get("privateDnsEnabled") is False
        and any(not is_unknown(v) for v in options.values())
    ):
        yield ApiViolation(
            "dnsOptions",
            dict(options),
            f"needs privateDnsEnabled: true (API reference: {needs_private_dns.group(0).strip()!r})",
            "dns-options",
        )
    domains = options.get("privateDnsSpecifiedDomains")
    preference = options.get("privateDnsPreference")
    preferences = api_model.limits(operation, "dnsOptions.privateDnsPreference").enum
    if is_unknown(domains) or preference not in preferences or not domains:
        return  # an unknown or invalid preference: the walk reports the latter
    domains_shape = api_model.member_shape(operation, "dnsOptions.privateDnsSpecifiedDomains")
    allowed = api_model.enum_values_mentioned(domains_shape, preferences)
    if allowed and preference not in allowed:
        yield ApiViolation(
            "dnsOptions.privateDnsSpecifiedDomains",
            list(domains),
            f"apply only when privateDnsPreference is {' or '.join(allowed)}; it is {preference!r}",
            "dns-options",
        )


RESOURCE_RULES: dict[str, tuple[ResourceRule, ...]] = {
    "aws:vpclattice/listener:Listener": (_tls_listener_forwards,),
    "aws:vpclattice/authPolicy:AuthPolicy": (_auth_policy_quota,),
    "aws:vpclattice/serviceNetworkVpcAssociation:ServiceNetworkVpcAssociation": (_dns_options,),
}


def check_resource(type_token: str, props: Mapping[str, Any], *, require_members: bool = True) -> list[ApiViolation]:
    """Everything the VPC Lattice API would reject in one resource's engine inputs (camelCase, numbers as floats).

    Returns [] for types that are not `aws:vpclattice/*`. Unknown values are skipped. With
    `require_members=False`, members the API requires but the inputs lack are not reported (for props in which
    a non-preview mock dropped outputs it was not given).
    """
    mapping = RESOURCE_MAPPINGS.get(type_token)
    if mapping is None:
        return []
    values = plain(props)
    walk = _Walk(type_token, mapping, values, require_members)
    walk.structure(values, api_model.service_model().operation_model(mapping.operation).input_shape, "", "", "")
    for rule in RESOURCE_RULES.get(type_token, ()):
        walk.violations.extend(rule(values))
    return walk.violations


# --------------------------------------------------------------------------------------------------------------
# Rules across resources
# --------------------------------------------------------------------------------------------------------------

SERVICE = "aws:vpclattice/service:Service"
SERVICE_NETWORK = "aws:vpclattice/serviceNetwork:ServiceNetwork"
LISTENER = "aws:vpclattice/listener:Listener"
LISTENER_RULE = "aws:vpclattice/listenerRule:ListenerRule"
TARGET_GROUP = "aws:vpclattice/targetGroup:TargetGroup"
VPC_ASSOCIATION = "aws:vpclattice/serviceNetworkVpcAssociation:ServiceNetworkVpcAssociation"
SERVICE_ASSOCIATION = "aws:vpclattice/serviceNetworkServiceAssociation:ServiceNetworkServiceAssociation"

# Outputs that other resources use to point at a resource, when the props include them.
_IDENTITY_OUTPUTS = ("id", "arn", "listenerId", "ruleId")

# Names the API wants unique per account and Region (one scope), per service, or per listener.
_ACCOUNT_UNIQUE_NAMES = (
    SERVICE_NETWORK,
    SERVICE,
    TARGET_GROUP,
    "aws:vpclattice/resourceGateway:ResourceGateway",
    "aws:vpclattice/resourceConfiguration:ResourceConfiguration",
)


@dataclass(frozen=True)
class StackResource:
    """One resource of a stack, as `check_stack` needs it.

    `props` are its engine inputs (outputs such as `arn` or `listenerId` may be merged in: they link references).
    `ids` are further strings other resources use to reference it (a mock's id, its ARN). `references` maps a
    top-level property to the URNs or names of the resources it depends on (pulumi-policy's
    `property_dependencies`): that links resources whose IDs are unknown during preview. `scope` separates
    accounts/Regions (the provider's URN), for names the API wants unique per account.
    """

    type: str
    name: str
    props: Mapping[str, Any]
    urn: str = ""
    ids: frozenset[str] = frozenset()
    references: Mapping[str, frozenset[str]] = field(default_factory=dict)
    scope: str = ""

    @property
    def identities(self) -> frozenset[str]:
        known = {self.props.get(key) for key in _IDENTITY_OUTPUTS}
        return frozenset(self.ids | {value for value in known if isinstance(value, str) and not is_unknown(value)})


@dataclass(frozen=True)
class StackViolation:
    """A violation found by looking at several resources, attached to the resource that should change."""

    resource: StackResource
    violation: ApiViolation

    def __str__(self) -> str:
        return f"{self.resource.name}: {self.violation}"


def _known_strings(value: Any) -> Iterator[str]:
    if isinstance(value, str):
        if not is_unknown(value):
            yield value
    elif isinstance(value, Mapping):
        for item in value.values():
            yield from _known_strings(item)
    elif isinstance(value, list):
        for item in value:
            yield from _known_strings(item)


class _Stack:
    def __init__(self, resources: Iterable[StackResource | tuple]):
        given = [
            resource if isinstance(resource, StackResource) else StackResource(*resource) for resource in resources
        ]
        self.resources = [dataclasses.replace(resource, props=plain(resource.props)) for resource in given]
        self.by_type: dict[str, list[StackResource]] = defaultdict(list)
        for resource in self.resources:
            self.by_type[resource.type].append(resource)
        self.violations: list[StackViolation] = []
        self._indexes: dict[str, tuple[dict[str, list[StackResource]], dict[str, list[StackResource]]]] = {}
        self._position = {id(resource): index for index, resource in enumerate(self.resources)}

    def _index(self, type_token: str) -> tuple[dict[str, list[StackResource]], dict[str, list[StackResource]]]:
        """The resources of one type by identity (id, ARN, ...) and by reference (URN, name), built once.

        A scan of every candidate for every reference was quadratic: 1,001,500 identity computations for a
        500-service stack (benchmarks, part 2).
        """
        if type_token not in self._indexes:
            by_identity: dict[str, list[StackResource]] = defaultdict(list)
            by_reference: dict[str, list[StackResource]] = defaultdict(list)
            for other in self.by_type.get(type_token, []):
                for identity in other.identities:
                    by_identity[identity].append(other)
                for reference in {other.urn, other.name} - {""}:
                    by_reference[reference].append(other)
            self._indexes[type_token] = (by_identity, by_reference)
        return self._indexes[type_token]

    def report(self, resource: StackResource, path: str, value: Any, rule: str, kind: str) -> None:
        self.violations.append(StackViolation(resource, ApiViolation(path, value, rule, kind)))

    def referenced(self, resource: StackResource, properties: Iterable[str], type_token: str) -> list[StackResource]:
        """The stack's resources of `type_token` that `resource` points at through any of `properties`."""
        strings: set[str] = set()
        references: set[str] = set()
        for name in properties:
            strings |= set(_known_strings(resource.props.get(name)))
            references |= set(resource.references.get(name, ()))
        by_identity, by_reference = self._index(type_token)
        found = {id(other): other for key in strings for other in by_identity.get(key, ())}
        found.update({id(other): other for key in references for other in by_reference.get(key, ())})
        found.pop(id(resource), None)
        return sorted(found.values(), key=lambda other: self._position[id(other)])

    def key(self, resource: StackResource, properties: tuple[str, ...], type_token: str) -> tuple | None:
        """What `resource` points at through `properties`: a stack resource, else the literal identifier."""
        found = self.referenced(resource, properties, type_token)
        if len(found) == 1:
            return ("resource", id(found[0]))
        for name in properties:
            value = resource.props.get(name)
            if isinstance(value, str) and not is_unknown(value):
                return ("literal", value)
        return None

    def run(self) -> list[StackViolation]:
        self.unique_rule_priorities()
        self.unique_names()
        self.tls_passthrough()
        self.one_service_network_per_vpc()
        self.single_service_association()
        return self.violations

    def listener_key(self, rule: StackResource) -> tuple | None:
        return self.key(rule, ("listenerIdentifier",), LISTENER)

    def service_key(self, resource: StackResource) -> tuple | None:
        return self.key(resource, ("serviceIdentifier", "serviceArn"), SERVICE)

    def unique_rule_priorities(self) -> None:
        by_listener: dict[tuple, dict[int, list[StackResource]]] = defaultdict(lambda: defaultdict(list))
        for rule in self.by_type.get(LISTENER_RULE, []):
            listener, priority = self.listener_key(rule), _as_int(rule.props.get("priority"))
            if listener is not None and priority is not None and not is_unknown(rule.props.get("priority")):
                by_listener[listener][priority].append(rule)
        for priorities in by_listener.values():
            for priority, rules in priorities.items():
                for rule in rules if len(rules) > 1 else []:
                    others = ", ".join(repr(other.name) for other in rules if other is not rule)
                    self.report(
                        rule,
                        "priority",
                        priority,
                        f"priority {priority} is also used by rule {others} on the same listener; "
                        "the API needs a unique priority per listener",
                        "duplicate-priority",
                    )

    def unique_names(self) -> None:
        groups: dict[tuple, list[StackResource]] = defaultdict(list)
        for type_token in _ACCOUNT_UNIQUE_NAMES:
            for resource in self.by_type.get(type_token, []):
                groups[(type_token, resource.scope, "account")].append(resource)
        for listener in self.by_type.get(LISTENER, []):
            service = self.service_key(listener)
            if service is not None:
                groups[(LISTENER, listener.scope, service)].append(listener)
        for rule in self.by_type.get(LISTENER_RULE, []):
            listener = self.listener_key(rule)
            if listener is not None:
                groups[(LISTENER_RULE, rule.scope, listener)].append(rule)
        where = {LISTENER: "on the same service", LISTENER_RULE: "on the same listener"}
        for (type_token, _, _), members in groups.items():
            by_name: dict[str, list[StackResource]] = defaultdict(list)
            for resource in members:
                name = resource.props.get("name")
                if isinstance(name, str) and not is_unknown(name):
                    by_name[name].append(resource)
            for name, same in by_name.items():
                for resource in same if len(same) > 1 else []:
                    others = ", ".join(repr(other.name) for other in same if other is not resource)
                    scope = where.get(type_token, "in the same account and Region")
                    self.report(
                        resource,
                        "name",
                        name,
                        f"{name!r} is also the name of {others} {scope}; the API needs it unique there",
                        "duplicate-name",
                    )

    def tls_passthrough(self) -> None:
        rules_by_listener: dict[tuple, list[StackResource]] = defaultdict(list)
        for rule in self.by_type.get(LISTENER_RULE, []):
            listener = self.listener_key(rule)
            if listener is not None:
                rules_by_listener[listener].append(rule)
        for listener in self.by_type.get(LISTENER, []):
            if listener.props.get("protocol") != "TLS_PASSTHROUGH":
                continue
            for service in self.referenced(listener, ("serviceIdentifier", "serviceArn"), SERVICE):
                if "customDomainName" not in service.props:
                    path = "serviceIdentifier" if "serviceIdentifier" in listener.props else "serviceArn"
                    self.report(
                        listener,
                        path,
                        None,
                        f"a TLS_PASSTHROUGH listener needs its service {service.name!r} to have a customDomainName: "
                        "VPC Lattice routes TLS by the SNI of that name",
                        "tls-passthrough",
                    )
            own = [("resource", id(listener))] + [("literal", value) for value in listener.identities]
            for key in own:
                for rule in rules_by_listener.get(key, []):
                    self.report(
                        rule,
                        "listenerIdentifier",
                        None,
                        f"listener {listener.name!r} is TLS_PASSTHROUGH: it takes only its default action, no rules",
                        "tls-passthrough",
                    )
            self.tls_target_groups(listener)

    def tls_target_groups(self, listener: StackResource) -> None:
        action = listener.props.get("defaultAction")
        forwards = action.get("forwards") if isinstance(action, Mapping) else None
        entries: list[tuple[str, Any]] = []
        for f_index, forward in enumerate(forwards if isinstance(forwards, list) else []):
            groups = forward.get("targetGroups") if isinstance(forward, Mapping) else None
            for g_index, group in enumerate(groups if isinstance(groups, list) else []):
                if isinstance(group, Mapping):
                    path = f"defaultAction.forwards[{f_index}].targetGroups[{g_index}].targetGroupIdentifier"
                    entries.append((path, group.get("targetGroupIdentifier")))
        checked: set[int] = set()
        for path, identifier in entries:
            if isinstance(identifier, str) and not is_unknown(identifier):
                for group in self.by_type.get(TARGET_GROUP, []):
                    if identifier in group.identities:
                        checked.add(id(group))
                        self.tls_target_group(listener, path, group)
        # During preview the identifiers are unknown; the engine's property dependencies still name the groups.
        for group in self.referenced(listener, ("defaultAction",), TARGET_GROUP):
            if id(group) not in checked:
                self.tls_target_group(listener, "defaultAction", group)

    def tls_target_group(self, listener: StackResource, path: str, group: StackResource) -> None:
        kind = group.props.get("type")
        config = group.props.get("config")
        protocol = config.get("protocol") if isinstance(config, Mapping) else None
        problem = None
        if kind == "LAMBDA":
            problem = "is a LAMBDA target group"
        elif isinstance(protocol, str) and not is_unknown(protocol) and protocol != "TCP":
            problem = f"uses protocol {protocol}"
        if problem:
            self.report(
                listener,
                path,
                group.name,
                f"target group {group.name!r} {problem}; a TLS_PASSTHROUGH listener can only forward to TCP target groups",
                "tls-passthrough",
            )

    def one_service_network_per_vpc(self) -> None:
        by_vpc: dict[tuple, list[StackResource]] = defaultdict(list)
        for association in self.by_type.get(VPC_ASSOCIATION, []):
            vpc = association.props.get("vpcIdentifier")
            references = association.references.get("vpcIdentifier", frozenset())
            if isinstance(vpc, str) and not is_unknown(vpc):
                by_vpc[(association.scope, "literal", vpc)].append(association)
            elif len(references) == 1:
                by_vpc[(association.scope, "resource", next(iter(references)))].append(association)
        for associations in by_vpc.values():
            if len(associations) < 2:
                continue
            first = associations[0]
            for association in associations[1:]:
                self.report(
                    association,
                    "vpcIdentifier",
                    association.props.get("vpcIdentifier"),
                    f"this VPC is already associated with a service network by {first.name!r}; "
                    "a VPC can be associated with one service network only",
                    "vpc-association",
                )

    def single_service_association(self) -> None:
        seen: dict[tuple, StackResource] = {}
        for association in self.by_type.get(SERVICE_ASSOCIATION, []):
            service = self.service_key(association)
            network = self.key(association, ("serviceNetworkIdentifier",), SERVICE_NETWORK)
            if service is None or network is None:
                continue
            key = (association.scope, service, network)
            if key in seen:
                self.report(
                    association,
                    "serviceIdentifier",
                    association.props.get("serviceIdentifier"),
                    f"this service is already associated with this service network by {seen[key].name!r}",
                    "duplicate-association",
                )
            else:
                seen[key] = association


def check_stack(resources: Iterable[StackResource | tuple]) -> list[StackViolation]:
    """Rules that span resources, over a stack's resources as `StackResource`s or `(type, name, props)` tuples:

    - listener rules: priorities unique per listener, names unique per listener;
    - listeners: names unique per service; TLS_PASSTHROUGH needs a service with a custom domain, no rules, and
      TCP (not LAMBDA) target groups;
    - service networks, services, target groups, resource gateways/configurations: names unique per scope;
    - a VPC associated with one service network only; a service associated with a network once.

    Links between resources come from identifier values matching another resource's `ids`/`arn`/`id`/
    `listenerId`, or from `references`; what cannot be linked or is unknown is skipped.
    """
    return _Stack(resources).run()
