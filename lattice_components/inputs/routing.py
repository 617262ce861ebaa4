"""Listener actions and rule matches in pulumi-aws's shape, as pure functions of the validated config.

Kept apart from the component so the weights of a canary, the shape of a match and the health check a
target group gets can be tested without registering anything.
"""

from __future__ import annotations

from typing import Any, Mapping

from ..config import ActionSpec, HealthCheckSpec, MatchSpec, TargetGroupSpec
from ..config.services import HEALTH_CHECK_DEFAULT_PROTOCOL, is_target_group_reference


def forward_targets(action: ActionSpec, target_group_ids: Mapping[str, Any]) -> list[dict[str, Any]]:
    """`[{target_group_identifier, weight}]` for a forward action, in the order the config lists them: a group
    named by the config gets its ID from `target_group_ids`; one created elsewhere is named by its ARN or ID (or
    the output holding it) as written, so weights and canaries treat both alike."""
    return [{"target_group_identifier": _identifier(target.target_group, target_group_ids), "weight": target.weight}
            for target in action.forward or []]


def _identifier(target_group: Any, target_group_ids: Mapping[str, Any]) -> Any:
    if isinstance(target_group, str) and target_group in target_group_ids:
        return target_group_ids[target_group]
    if is_target_group_reference(target_group):
        return target_group
    raise KeyError(f"target group {target_group!r} is neither named here nor an ARN")


def listener_default_action(action: ActionSpec, target_group_ids: Mapping[str, Any]) -> dict[str, Any]:
    """A listener's `default_action` (pulumi-aws calls the forward block `forwards`, a list of one)."""
    if action.fixed_response is not None:
        return {"fixed_response": {"status_code": action.fixed_response}}
    return {"forwards": [{"target_groups": forward_targets(action, target_group_ids)}]}


def rule_action(action: ActionSpec, target_group_ids: Mapping[str, Any]) -> dict[str, Any]:
    """A listener rule's `action` (here the forward block is a single `forward`)."""
    if action.fixed_response is not None:
        return {"fixed_response": {"status_code": action.fixed_response}}
    return {"forward": {"target_groups": forward_targets(action, target_group_ids)}}


def rule_match(match: MatchSpec) -> dict[str, Any]:
    """A listener rule's `match.http_match` from a path, method and header conditions."""
    http_match: dict[str, Any] = {}
    if match.path_prefix is not None or match.path_exact is not None:
        kind = "prefix" if match.path_prefix is not None else "exact"
        http_match["path_match"] = {
            "case_sensitive": match.path_case_sensitive,
            "match": {kind: match.path_prefix if kind == "prefix" else match.path_exact},
        }
    if match.method is not None:
        http_match["method"] = match.method
    if match.headers:
        http_match["header_matches"] = [
            {
                "name": header.name,
                "case_sensitive": header.case_sensitive,
                "match": {
                    kind: value
                    for kind, value in (("exact", header.exact), ("prefix", header.prefix), ("contains", header.contains))
                    if value is not None
                },
            }
            for header in match.headers
        ]
    return {"http_match": http_match}


def health_check(group: TargetGroupSpec) -> dict[str, Any] | None:
    """The `config.health_check` block, or None where the API takes none (LAMBDA and ALB groups)."""
    check: HealthCheckSpec | None = group.effective_health_check
    if check is None:
        return None
    if not check.enabled:
        return {"enabled": False}
    return {
        "enabled": True,
        "protocol": check.protocol or HEALTH_CHECK_DEFAULT_PROTOCOL,
        "protocol_version": check.protocol_version,
        "path": check.path,
        "port": check.port if check.port is not None else group.port,
        "health_check_interval_seconds": check.interval_seconds,
        "health_check_timeout_seconds": check.timeout_seconds,
        "healthy_threshold_count": check.healthy_threshold,
        "unhealthy_threshold_count": check.unhealthy_threshold,
        "matcher": {"value": check.matcher},
    }


def target_group_config(group: TargetGroupSpec) -> dict[str, Any] | None:
    """The target group's `config` block; a LAMBDA group's holds only its event structure version, if one is set."""
    if group.type == "LAMBDA":
        if group.lambda_event_structure_version is None:
            return None
        return {"lambda_event_structure_version": group.lambda_event_structure_version}
    config: dict[str, Any] = {"port": group.port, "protocol": group.protocol, "vpc_identifier": group.vpc_id}
    if group.protocol_version is not None:
        config["protocol_version"] = group.protocol_version
    if group.ip_address_type is not None:
        config["ip_address_type"] = group.ip_address_type
    check = health_check(group)
    if check is not None:
        config["health_check"] = check
    return config
