"""What a Lattice policy sees: one resource as plain data, and the preview's unknown values made explicit.

The analyzer hands policies `args.props` wrapped in pulumi-policy's proxy, which raises `UnknownValueError`
on the first unknown value it touches (even `"key" in props` and `.get()` do). Our checks are pure functions
over plain dicts instead, so they are testable without the SDK; they see unknowns as pulumi-policy's sentinel
strings and ask for values through `lookup`, which raises `Unknown` only when a decision really needs one.
The policy wrappers turn `Unknown` back into the SDK's `UnknownValueError`, so the engine reports its usual
advisory "can't run policy ... during preview" instead of a violation.
"""

from __future__ import annotations

import functools
import json
import re
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from pulumi_policy import proxy as sdk_proxy
from pulumi_policy.deserialize import serialize_properties
from pulumi_policy.proxy import (
    UNKNOWN_ARCHIVE_VALUE,
    UNKNOWN_ARRAY_VALUE,
    UNKNOWN_ASSET_VALUE,
    UNKNOWN_BOOLEAN_VALUE,
    UNKNOWN_NUMBER_VALUE,
    UNKNOWN_OBJECT_VALUE,
    UNKNOWN_STRING_VALUE,
)

# The engine marshals every unknown as the string sentinel; the SDK also knows typed ones, so accept them all.
UNKNOWN_SENTINELS = frozenset(
    {
        UNKNOWN_STRING_VALUE,
        UNKNOWN_BOOLEAN_VALUE,
        UNKNOWN_NUMBER_VALUE,
        UNKNOWN_ARRAY_VALUE,
        UNKNOWN_OBJECT_VALUE,
        UNKNOWN_ASSET_VALUE,
        UNKNOWN_ARCHIVE_VALUE,
    }
)


def is_unknown(value: Any) -> bool:
    """True for a value the engine cannot know until apply (an output of a resource not created yet)."""
    return isinstance(value, str) and value in UNKNOWN_SENTINELS


class Unknown(Exception):
    """A check needs a value that is unknown during preview; `path` is where it sits (`config.protocol`)."""

    def __init__(self, path: str, sentinel: str = UNKNOWN_STRING_VALUE) -> None:
        super().__init__(f"{path} is unknown during preview")
        self.path = path
        self.sentinel = sentinel if sentinel in UNKNOWN_SENTINELS else UNKNOWN_STRING_VALUE


def lookup(data: Any, path: str, default: Any = None, *, at: str = "") -> Any:
    """The value at a dotted `path` of camelCase keys, `default` when absent or null.

    Raises `Unknown` when the value, or an object on the way to it, is unknown: a missing key can be
    decided on, an unknown one cannot. `at` prefixes the reported path (`defaultAction.forwards[0]`).
    """
    current = data
    walked: list[str] = [at] if at else []
    for part in path.split("."):
        if is_unknown(current):
            raise Unknown(".".join(walked), current)
        if not isinstance(current, Mapping) or current.get(part) is None:
            return default
        current = current[part]
        walked.append(part)
    if is_unknown(current):
        raise Unknown(".".join(walked), current)
    return current


# What the provider (a Terraform bridge) turns into a boolean: JSON booleans and the strings Go's
# strconv.ParseBool reads. "true"/"false"/"1"/"0" are what programs send in practice; the other spellings are
# ParseBool's too, taken on that reading of the bridge (not separately documented by pulumi-aws).
_TRUE_STRINGS = frozenset({"true", "True", "TRUE", "t", "T", "1"})
_FALSE_STRINGS = frozenset({"false", "False", "FALSE", "f", "F", "0"})


class NotCoercible(ValueError):
    """A value the provider cannot read as the type its schema wants; the check reports it, never guesses."""

    def __init__(self, path: str, value: Any, wanted: str) -> None:
        super().__init__(f"{path}: {value!r} is not {wanted} the provider accepts")
        self.path, self.value, self.wanted = path, value, wanted


def as_bool(value: Any, path: str) -> bool:
    """`value` read as pulumi-aws reads a boolean input ("false" is False); raises `NotCoercible` otherwise."""
    if is_unknown(value):
        raise Unknown(path, value)
    if isinstance(value, bool):
        return value
    if isinstance(value, str) and value in _TRUE_STRINGS | _FALSE_STRINGS:
        return value in _TRUE_STRINGS
    raise NotCoercible(path, value, "a boolean")


def as_number(value: Any, path: str) -> float:
    """`value` read as pulumi-aws reads a number input ("0" is 0); raises `NotCoercible` otherwise."""
    if is_unknown(value):
        raise Unknown(path, value)
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return float(value)
    # decimal text only: whether the provider also reads exponents or "inf" is not documented, so those fail safe
    if isinstance(value, str) and re.fullmatch(r"\s*-?\d+(\.\d+)?\s*", value):
        return float(value)
    raise NotCoercible(path, value, "a number")


def reports_uncoercible(check: Callable[[Resource, Mapping[str, Any]], Iterator[str]]):
    """Wrap a resource check so a value the provider cannot read becomes a violation, not a crash or a pass."""

    @functools.wraps(check)
    def checked(resource: Resource, config: Mapping[str, Any]) -> Iterator[str]:
        try:
            yield from check(resource, config)
        except NotCoercible as error:
            yield (
                f"{resource.label}: {error}, so the deploy would fail on it; write a JSON "
                f"{error.wanted.split()[-1]} (true/false, or a number without quotes)."
            )

    return checked


def known_list(value: Any, path: str) -> list[Any]:
    """`value` as a list (None -> []), raising `Unknown` when the list itself is unknown."""
    if is_unknown(value):
        raise Unknown(path, value)
    if value is None:
        return []
    return list(value) if isinstance(value, (list, tuple)) else [value]


def json_object(value: Any) -> Mapping[str, Any]:
    """A nested object that may arrive JSON-encoded (provider inputs such as `defaultTags` do)."""
    if isinstance(value, str) and not is_unknown(value):
        try:
            value = json.loads(value)
        except ValueError:
            return {}
    return value if isinstance(value, Mapping) else {}


def plain(props: Any) -> dict[str, Any]:
    """pulumi-policy's proxied props as plain dicts and lists, unknown sentinels kept as they are.

    The result is `serialize_properties`'s, the SDK's own unwrapping (it feeds remediations back to the engine,
    reading the proxies' targets without tripping the unknown checks), reached faster: the proxies and the JSON
    leaves a request is made of are unwrapped here by exact type, and anything else (assets, archives, secrets)
    still goes through the SDK's function.
    """
    if props is None:
        return {}
    return dict(_unwrap(props))


# The SDK's proxy classes, when it still has them under these names (otherwise everything takes the SDK's path).
_DICT_PROXY = getattr(sdk_proxy, "_DictProxy", None)
_LIST_PROXY = getattr(sdk_proxy, "_ListProxy", None)
_JSON_LEAVES = frozenset({str, float, int, bool, type(None)})


def _unwrap(value: Any) -> Any:
    kind = type(value)
    if kind is _DICT_PROXY:
        return {key: _unwrap(item) for key, item in value["__target"].items()}
    if kind is _LIST_PROXY:
        return [_unwrap(item) for item in value["__target"]]
    if kind in _JSON_LEAVES:
        return value
    return serialize_properties(value)


@dataclass(frozen=True)
class Resource:
    """One resource as a policy check sees it (inputs for resource policies, outputs for stack policies)."""

    type: str
    name: str
    props: Mapping[str, Any]
    urn: str = ""
    provider_props: Mapping[str, Any] = field(default_factory=dict)
    # input property -> URNs of the resources whose outputs flowed into it (stack policies only)
    property_dependencies: Mapping[str, tuple[str, ...]] = field(default_factory=dict)

    @property
    def label(self) -> str:
        """`Service 'orders'`: the type's last segment and the Pulumi resource name, for messages."""
        return f"{self.type.rsplit(':', 1)[-1]} '{self.name}'"

    def known_names(self) -> set[str]:
        """The Pulumi name and the known AWS `name` property: what allow-lists in policy config may name."""
        aws_name = self.props.get("name")
        return {self.name} | ({aws_name} if isinstance(aws_name, str) and not is_unknown(aws_name) else set())


class StackResources(tuple):
    """A stack's resources, indexed by type and by URN on first use and then for every stack check of a request
    (`request_inputs.stack` shares one per `AnalyzeStack`)."""

    def of_type(self, *types: str) -> list[Resource]:
        """The resources of `types`, in stack order."""
        index: dict[str, list[int]] | None = self.__dict__.get("_positions")
        if index is None:
            index = {}
            for position, resource in enumerate(self):
                index.setdefault(resource.type, []).append(position)
            self._positions = index
        positions = index.get(types[0], []) if len(types) == 1 else sorted(p for t in set(types) for p in index.get(t, ()))
        return [self[position] for position in positions]

    def by_urn(self) -> dict[str, Resource]:
        """Resources by URN (those that have one)."""
        found: dict[str, Resource] | None = self.__dict__.get("_by_urn")
        if found is None:
            found = self._by_urn = {resource.urn: resource for resource in self if resource.urn}
        return found


def of_type(resources: Sequence[Resource], *types: str) -> list[Resource]:
    """The resources of `types` in stack order; from the index when `resources` is a `StackResources`."""
    if isinstance(resources, StackResources):
        return resources.of_type(*types)
    return [resource for resource in resources if resource.type in types]


def by_urn(resources: Sequence[Resource]) -> dict[str, Resource]:
    """Resources by URN (those that have one); from the index when `resources` is a `StackResources`."""
    if isinstance(resources, StackResources):
        return resources.by_urn()
    return {resource.urn: resource for resource in resources if resource.urn}


def from_validation_args(args: Any) -> Resource:
    """A `ResourceValidationArgs` (proxied inputs) as a plain `Resource`."""
    provider = getattr(args, "provider", None)
    return Resource(
        type=args.resource_type,
        name=args.name,
        props=plain(args.props),
        urn=args.urn,
        provider_props=plain(provider.props) if provider is not None else {},
    )


def from_policy_resource(resource: Any) -> Resource:
    """A stack policy's `PolicyResource` (proxied outputs, resolved dependencies) as a plain `Resource`."""
    deps: Mapping[str, Iterable[Any]] = resource.property_dependencies or {}
    provider = getattr(resource, "provider", None)
    return Resource(
        type=resource.resource_type,
        name=resource.name,
        props=plain(resource.props),
        urn=resource.urn,
        provider_props=plain(provider.props) if provider is not None else {},
        property_dependencies={key: tuple(dep.urn for dep in urns) for key, urns in deps.items()},
    )
