"""Checks of single Lattice resources, as pure functions over plain engine properties (camelCase, pulumi-aws 7).

Each check is a generator `check(resource, config) -> messages`: it yields one message per violation (what is
wrong, on which resource, how to fix it) and raises `policy_inputs.Unknown` when preview hides a value it needs,
after yielding whatever it could already decide.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from ..apimodel import limits
from .policy_inputs import (
    Resource,
    Unknown,
    as_bool,
    as_number,
    is_unknown,
    json_object,
    known_list,
    lookup,
    reports_uncoercible,
)

SERVICE_NETWORK = "aws:vpclattice/serviceNetwork:ServiceNetwork"
SERVICE = "aws:vpclattice/service:Service"
TARGET_GROUP = "aws:vpclattice/targetGroup:TargetGroup"
LISTENER = "aws:vpclattice/listener:Listener"
LISTENER_RULE = "aws:vpclattice/listenerRule:ListenerRule"
RESOURCE_SHARE = "aws:ram/resourceShare:ResourceShare"

# Lattice resources whose Create* operation takes `tags` in the API model (auth/resource policies and
# target-group attachments do not), by their pulumi-aws 7.51 type tokens.
TAGGABLE_TYPES = frozenset(
    {
        SERVICE_NETWORK,
        SERVICE,
        TARGET_GROUP,
        LISTENER,
        LISTENER_RULE,
        "aws:vpclattice/accessLogSubscription:AccessLogSubscription",
        "aws:vpclattice/serviceNetworkServiceAssociation:ServiceNetworkServiceAssociation",
        "aws:vpclattice/serviceNetworkVpcAssociation:ServiceNetworkVpcAssociation",
        "aws:vpclattice/serviceNetworkResourceAssociation:ServiceNetworkResourceAssociation",
        "aws:vpclattice/resourceGateway:ResourceGateway",
        "aws:vpclattice/resourceConfiguration:ResourceConfiguration",
    }
)

# The API rejects health checks on these target group types (lattice-api.md, "Semantics that bite").
HEALTH_CHECK_EXEMPT_TYPES = ("LAMBDA", "ALB")
# CreateTargetGroup: "config" (protocol, port, VPC) is required for every type but LAMBDA (API reference).
PROTOCOL_REQUIRED_TYPES = ("INSTANCE", "IP", "ALB")
# pulumi-aws documents `weight` "Default: 100" for a listed target group without one.
DEFAULT_FORWARD_WEIGHT = 100


def check_auth_type(resource: Resource, config: Mapping[str, Any]) -> Iterator[str]:
    """Service networks and services must use authType AWS_IAM; a missing authType is the API's NONE."""
    auth_type = lookup(resource.props, "authType")
    if auth_type == "AWS_IAM":
        return
    if auth_type is None:
        how = "authType is not set, which the API treats as NONE"
    elif auth_type == "NONE":
        how = "authType is NONE"
    else:  # enums are case-sensitive: "aws_iam" is refused by the API, not read as AWS_IAM
        how = f"authType is {auth_type!r}, which is not AWS_IAM (the API takes exactly NONE or AWS_IAM)"
    yield (
        f"{resource.label}: {how}, so any client in an associated VPC can call it without signing its "
        "requests. Set auth_type=\"AWS_IAM\" and attach an aws.vpclattice.AuthPolicy that allows "
        "vpc-lattice-svcs:Invoke only to the intended principals."
    )


@reports_uncoercible
def check_target_group_health_check(resource: Resource, config: Mapping[str, Any]) -> Iterator[str]:
    """INSTANCE and IP target groups over HTTP/HTTPS need an enabled health check with a path."""
    group_type = lookup(resource.props, "type")
    if group_type not in ("INSTANCE", "IP"):
        return  # LAMBDA and ALB cannot have health checks; a missing type is the API-model policy's finding
    protocol = lookup(resource.props, "config.protocol")
    if protocol not in ("HTTP", "HTTPS"):
        # TCP groups are not judged on HTTP paths; a missing or invalid protocol is lattice-target-group-protocol's
        return
    fix = "set config.health_check with enabled=True and path=\"/health\" (your service's health endpoint)"
    if lookup(resource.props, "config.healthCheck") is None:
        # AWS's default then applies: on for HTTP1 groups, off for HTTP2 and gRPC (lattice-api.md, health checks)
        yield (
            f"{resource.label}: {group_type} target group over {protocol} declares no health check, so AWS's "
            f"default applies (none at all for HTTP2 or gRPC groups) and nobody reviewed it; {fix}."
        )
        return
    enabled_path = "config.healthCheck.enabled"
    if not as_bool(lookup(resource.props, enabled_path, True), enabled_path):
        yield (
            f"{resource.label}: the health check is disabled (config.healthCheck.enabled="
            f"{lookup(resource.props, enabled_path)!r}), so Lattice routes requests to targets that are down; {fix}."
        )
    path = lookup(resource.props, "config.healthCheck.path")
    path_limits = limits("HealthCheckConfig", "path")
    if not path:
        yield f"{resource.label}: the health check has no path (config.healthCheck.path); {fix}."
    elif not isinstance(path, str) or not path_limits.pattern_matches(path):
        yield (
            f"{resource.label}: health check path {path!r} does not match the VPC Lattice API pattern "
            f"{path_limits.pattern!r}; use an absolute path such as \"/health\"."
        )


def check_target_group_protocol(resource: Resource, config: Mapping[str, Any]) -> Iterator[str]:
    """INSTANCE, IP and ALB target groups need a config block with a protocol (LAMBDA groups take none)."""
    group_type = lookup(resource.props, "type")
    if group_type not in PROTOCOL_REQUIRED_TYPES:
        return
    if lookup(resource.props, "config") is None:
        yield (
            f"{resource.label}: {group_type} target group has no config block, so it has no protocol, port or "
            "VPC and the API refuses it; set config with protocol (HTTP, HTTPS or TCP), port and vpc_identifier."
        )
        return
    protocol = lookup(resource.props, "config.protocol")
    if protocol is None:
        yield (
            f"{resource.label}: {group_type} target group has no config.protocol, which the API requires for "
            "this type; set protocol to HTTP, HTTPS or TCP."
        )


@reports_uncoercible
def check_ram_share_external_principals(resource: Resource, config: Mapping[str, Any]) -> Iterator[str]:
    """RAM shares keep allowExternalPrincipals false unless the share is allow-listed in policy config."""
    if not as_bool(lookup(resource.props, "allowExternalPrincipals", False), "allowExternalPrincipals"):
        return
    allowed = set(config.get("allowedExternalShares") or ())
    share_name = lookup(resource.props, "name", resource.name)
    if resource.known_names() & allowed:
        return
    yield (
        f"{resource.label}: share {share_name!r} sets allowExternalPrincipals=true, so accounts outside your "
        "AWS Organization can be invited to the shared Lattice resources. Keep allow_external_principals=False "
        "and share with accounts or OUs inside the organization; if this share is meant for a partner account, "
        f"add {share_name!r} to allowedExternalShares in the policy config."
    )


def check_listener_default_action(resource: Resource, config: Mapping[str, Any]) -> Iterator[str]:
    """A listener has a default action that forwards to at least one group or returns a fixed response."""
    action = lookup(resource.props, "defaultAction")
    fixed = lookup(resource.props, "defaultAction.fixedResponse")
    forwards = known_list(lookup(resource.props, "defaultAction.forwards"), "defaultAction.forwards")
    groups = [
        group
        for i, forward in enumerate(forwards)
        for group in known_list(lookup(forward, "targetGroups", at=f"defaultAction.forwards[{i}]"),
                                f"defaultAction.forwards[{i}].targetGroups")
    ]
    if fixed is not None or groups:
        return
    what = "no defaultAction" if action is None else "a defaultAction with no forward target group or fixed response"
    yield (
        f"{resource.label}: has {what}, which the API requires; set default_action with forwards "
        "(target_groups=[...]) or fixed_response (status_code=404)."
    )


def check_listener_https(resource: Resource, config: Mapping[str, Any]) -> Iterator[str]:
    """Listeners serve HTTPS unless allow-listed: Lattice terminates TLS on its generated domain for free."""
    if lookup(resource.props, "protocol") != "HTTP":
        return
    if resource.known_names() & set(config.get("allowedHttpListeners") or ()):
        return
    port = lookup(resource.props, "port")
    on_port = f" on port {port if isinstance(port, str) else int(port)}" if isinstance(port, (int, float, str)) else ""
    yield (
        f"{resource.label}: serves plain HTTP{on_port}, so requests and their SigV4 headers cross the network "
        "unencrypted. Use protocol=\"HTTPS\" (port 443; Lattice provides the certificate for the generated "
        "domain, a custom domain needs certificate_arn), or add the listener's name to allowedHttpListeners "
        "in the policy config."
    )


def check_required_tags(resource: Resource, config: Mapping[str, Any]) -> Iterator[str]:
    """Taggable Lattice resources carry every tag key listed in `requiredTags` (own tags or provider defaults)."""
    required = list(config.get("requiredTags") or ())
    if not required or resource.type not in TAGGABLE_TYPES:
        return
    # Look further only while keys are missing, so an unknown we do not need never blocks the decision.
    missing = _missing_keys(required, lookup(resource.props, "tags", {}))
    if missing:
        missing = _missing_keys(missing, lookup(resource.props, "tagsAll", {}))
    if missing:
        # A provider's nested inputs (default_tags) arrive JSON-encoded in the analyzer request.
        default_tags = resource.provider_props.get("defaultTags")
        if is_unknown(default_tags):
            raise Unknown("provider.defaultTags", default_tags)
        missing = _missing_keys(missing, lookup(json_object(default_tags), "tags", {}, at="provider.defaultTags"))
    if missing:
        yield (
            f"{resource.label}: missing required tag(s) {', '.join(missing)}. Add them to tags=..., or to the "
            "provider's default_tags so every resource of the stack gets them."
        )


def _missing_keys(keys: list[str], tags: Any) -> list[str]:
    """Keys absent or empty in a tag map (a tag whose value is unknown in preview counts as present)."""
    tags = json_object(tags)
    return [key for key in keys if tags.get(key) in (None, "")]


def _group_label(group: Mapping[str, Any]) -> str:
    identifier = group.get("targetGroupIdentifier")
    return "(id known after apply)" if is_unknown(identifier) or not identifier else repr(identifier)


def _forward_actions(resource: Resource) -> list[tuple[str, Any]]:
    """(path, forward action) pairs: a listener's `defaultAction.forwards[]` or a rule's `action.forward`."""
    if resource.type == LISTENER:
        forwards = known_list(lookup(resource.props, "defaultAction.forwards"), "defaultAction.forwards")
        return [(f"defaultAction.forwards[{i}]", forward) for i, forward in enumerate(forwards)]
    forward = lookup(resource.props, "action.forward")
    return [("action.forward", forward)] if forward is not None else []


@reports_uncoercible
def check_forward_weights(resource: Resource, config: Mapping[str, Any]) -> Iterator[str]:
    """A forward action listing several groups should not send everything to one while others weigh 0."""
    for path, forward in _forward_actions(resource):
        groups = known_list(lookup(forward, "targetGroups", at=path), f"{path}.targetGroups")
        if len(groups) < 2:
            continue
        weights = [
            as_number(
                lookup(group, "weight", DEFAULT_FORWARD_WEIGHT, at=f"{path}.targetGroups[{i}]"),
                f"{path}.targetGroups[{i}].weight",
            )
            for i, group in enumerate(groups)
        ]
        live = [group for group, weight in zip(groups, weights) if weight > 0]
        idle = [group for group, weight in zip(groups, weights) if weight == 0]
        if not live:
            yield (
                f"{resource.label}: {path} gives every target group weight 0, so it forwards no traffic; "
                "give the group that should serve a positive weight."
            )
        elif len(live) == 1 and idle:
            yield (
                f"{resource.label}: {path} sends all traffic to target group {_group_label(live[0])} while "
                f"{', '.join(_group_label(g) for g in idle)} sit(s) at weight 0, which looks like a forgotten "
                "canary. Shift traffic on purpose (for example weights 90/10), or remove the weight-0 group "
                "from the action once the rollout is done."
            )
