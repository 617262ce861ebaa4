"""The one table of pulumi-aws 7.x names -> VPC Lattice API names, and what the pulumi-aws SDK requires.

The engine hands a program's resources to the provider as camelCase input dicts (`config.healthCheck.matcher.value`,
`defaultAction.forwards[0].targetGroups[1].weight`); the provider turns them into VPC Lattice API calls
(`CreateTargetGroup`'s `config.healthCheck.matcher.httpCode`, `CreateListener`'s `defaultAction.forward`).
`RESOURCE_MAPPINGS` maps the first onto the second; `sdk_inputs` reads which inputs the SDK itself requires.
"""

from __future__ import annotations

import collections.abc
import functools
import importlib
import inspect
import re
import typing
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from botocore.model import Shape

from . import model

LATTICE_TYPE_PREFIX = "aws:vpclattice/"

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
    """The API member path (`model.member_shape` syntax) an engine property lands in, or None if it has none.

    `api_member_for("aws:vpclattice/listener:Listener", "defaultAction.forwards[0].targetGroups[1].weight")`
    is `"defaultAction.forward.targetGroups.weight"` (of `CreateListener`).
    """
    mapping = RESOURCE_MAPPINGS[type_token]
    current: Shape = model.service_model().operation_model(mapping.operation).input_shape
    engine_parts: list[str] = []
    api_parts: list[str] = []
    for part in _normalized(engine_path).split("."):
        engine_parts.append(part)
        normalized = ".".join(engine_parts)
        if is_ignored(mapping, normalized):
            return None
        while current.type_name in ("list", "map"):
            current = current.member if current.type_name == "list" else current.value
        api_name = mapping.members[normalized].api if normalized in mapping.members else part
        if current.type_name != "structure" or api_name not in current.members:
            return None
        api_parts.append(api_name)
        current = current.members[api_name]
    return ".".join(api_parts)


def property_limits(type_token: str, engine_path: str) -> model.MemberLimits:
    """`model.limits` for an engine property (`property_limits(TARGET_GROUP, "config.healthCheck.matcher.value")`)."""
    api_path = api_member_for(type_token, engine_path)
    if api_path is None:
        raise KeyError(f"{type_token} {engine_path}: no VPC Lattice API member behind this property")
    return model.limits(RESOURCE_MAPPINGS[type_token].operation, api_path)


def _normalized(engine_path: str) -> str:
    return re.sub(r"\[\d*\]", "", engine_path)


def is_ignored(mapping: ResourceMapping, normalized: str) -> bool:
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
