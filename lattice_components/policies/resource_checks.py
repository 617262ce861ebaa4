"""Checks of single Lattice resources, as pure functions over plain engine properties (camelCase, pulumi-aws 7).

Each check is a generator `check(resource, config) -> messages`: it yields one message per violation (what is
wrong, on which resource, how to fix it) and raises `policy_inputs.Unknown` when preview hides a value it needs,
after yielding whatever it could already decide.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from ..apimodel import limits
from .policy_inputs import Resource, Unknown, is_unknown, json_object, known_list, lookup

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
# pulumi-aws documents `weight` "Default: 100" for a listed target group without one.
DEFAULT_FORWARD_WEIGHT = 100


def check_auth_type(resource: Resource, config: Mapping[str, Any]) -> Iterator[str]:
    """Service networks and services must not use authType NONE; a missing authType is the API's NONE."""
    auth_type = lookup(resource.props, "authType", "NONE")
    if auth_type != "NONE":
        return
    how = "authType is NONE" if "authType" in resource.props else "authType is not set, which the API treats as NONE"
    yield (
        f"{resource.label}: {how}, so any client in an associated VPC can call it without signing its "
        "requests. Set auth_type=\"AWS_IAM\" and attach an aws.vpclattice.AuthPolicy that allows "
        "vpc-lattice-svcs:Invoke only to the intended principals."
    )


def check_target_group_health_check(resource: Resource, config: Mapping[str, Any]) -> Iterator[str]:
    """INSTANCE and IP target groups over HTTP/HTTPS need an enabled health check with a path."""
    group_type = lookup(resource.props, "type")
    if group_type not in ("INSTANCE", "IP"):
        return  # LAMBDA and ALB cannot have health checks; TCP-style types are not ours to judge here
    protocol = lookup(resource.props, "config.protocol")
    if protocol not in ("HTTP", "HTTPS"):
        return
    fix = "set config.health_check with enabled=True and path=\"/health\" (your service's health endpoint)"
    if lookup(resource.props, "config.healthCheck") is None:
        yield (
            f"{resource.label}: {group_type} target group over {protocol} declares no health check, so "
            f"unhealthy targets keep receiving traffic on defaults nobody reviewed; {fix}."
        )
        return
    if lookup(resource.props, "config.healthCheck.enabled", True) is False:
        yield (
            f"{resource.label}: the health check is disabled (config.healthCheck.enabled=false), so Lattice "
            f"routes requests to targets that are down; {fix}."
        )
    path = lookup(resource.props, "config.healthCheck.path")
    path_limits = limits("HealthCheckConfig", "path")
    if not path:
        yield f"{resource.label}: the health check has no path (config.healthCheck.path); {fix}."
    elif not path_limits.pattern_matches(path):
        yield (
            f"{resource.label}: health check path {path!r} does not match the VPC Lattice API pattern "
            f"{path_limits.pattern!r}; use an absolute path such as \"/health\"."
        )


def check_ram_share_external_principals(resource: Resource, config: Mapping[str, Any]) -> Iterator[str]:
    """RAM shares keep allowExternalPrincipals false unless the share is allow-listed in policy config."""
    if lookup(resource.props, "allowExternalPrincipals", False) is not True:
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


def check_listener_https(resource: Resource, config: Mapping[str, Any]) -> Iterator[str]:
    """Listeners serve HTTPS unless allow-listed: Lattice terminates TLS on its generated domain for free."""
    if lookup(resource.props, "protocol") != "HTTP":
        return
    if resource.known_names() & set(config.get("allowedHttpListeners") or ()):
        return
    port = lookup(resource.props, "port")
    on_port = f" on port {int(port)}" if isinstance(port, (int, float)) else ""
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


def check_forward_weights(resource: Resource, config: Mapping[str, Any]) -> Iterator[str]:
    """A forward action listing several groups should not send everything to one while others weigh 0."""
    for path, forward in _forward_actions(resource):
        groups = known_list(lookup(forward, "targetGroups", at=path), f"{path}.targetGroups")
        if len(groups) < 2:
            continue
        weights = [
            lookup(group, "weight", DEFAULT_FORWARD_WEIGHT, at=f"{path}.targetGroups[{i}]")
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
