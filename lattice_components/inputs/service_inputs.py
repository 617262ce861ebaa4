"""The inputs of every child of `LatticeService`, as pure functions of its validated spec, and the preflight
that checks them against the AWS API model before anything is registered.

The component and the preflight build children's inputs with the same functions, so what is checked is what is
registered. IDs of siblings (the service ID, target group IDs) are `Output`s when the component registers, and
the engine's "unknown" during preflight: unknown values are skipped by the check, as in the engine's preview.
"""

from __future__ import annotations

import functools
import json
from collections.abc import Mapping
from typing import Any

import pulumi
from pulumi.runtime.rpc import UNKNOWN
from pydantic.alias_generators import to_camel

from .. import apimodel
from . import auth_policies, routing
from .naming import ATTACHMENT, LISTENER, RULE, TARGET_GROUP
from ..config import LatticeServiceSpec, LatticeTargetGroupSpec, ListenerSpec, RuleSpec, TargetGroupSpec, TargetSpec
from ..config.access_log_specs import planned_destinations
from ..config.association_specs import with_association_tags

SERVICE = "aws:vpclattice/service:Service"
AUTH_POLICY = "aws:vpclattice/authPolicy:AuthPolicy"
ASSOCIATION = "aws:vpclattice/serviceNetworkServiceAssociation:ServiceNetworkServiceAssociation"
ACCESS_LOG_SUBSCRIPTION = "aws:vpclattice/accessLogSubscription:AccessLogSubscription"


def tag_input(tags: Any) -> Any:
    """A copy of the tags for one child, or the Output they are (another resource's output) as it is."""
    return tags if isinstance(tags, pulumi.Output) else dict(tags)


def service(spec: LatticeServiceSpec) -> dict[str, Any]:
    return {
        "name": spec.name,
        "auth_type": spec.auth_type,
        "custom_domain_name": spec.custom_domain_name,
        "certificate_arn": spec.certificate_arn,
        "idle_timeout_seconds": spec.idle_timeout_seconds,
        "tags": tag_input(spec.tags),
    }


def dns_record(spec: LatticeServiceSpec, generated_name: Any, generated_zone_id: Any) -> dict[str, Any]:
    """The Route 53 record that points `customDomainName` at the name Lattice generated (the service's first
    `dnsEntries` item: `generated_name`, in Lattice's `generated_zone_id`).

    ALIAS is an `A` alias only: the Route 53 guide ("Routing traffic to Amazon VPC Lattice service domain
    endpoint") shows an A alias to the Lattice endpoint, and we found no statement that the Lattice DNS entry
    answers AAAA, so no AAAA alias is created. `evaluateTargetHealth` is off: Lattice's entry has no Route 53 health.
    """
    dns = spec.dns
    assert dns is not None and spec.custom_domain_name is not None
    common = {"zone_id": dns.hosted_zone_id, "name": spec.custom_domain_name}
    if dns.record_type == "ALIAS":
        alias = {"name": generated_name, "zone_id": generated_zone_id, "evaluate_target_health": False}
        return {**common, "type": "A", "aliases": [alias]}
    return {**common, "type": "CNAME", "records": [generated_name], "ttl": dns.effective_ttl}


def target_group(name: str, group: TargetGroupSpec, tags: Mapping[str, str]) -> dict[str, Any]:
    return {"name": name, "type": group.type, "config": routing.target_group_config(group), "tags": tag_input(tags)}


def attachment(group: TargetGroupSpec, target: TargetSpec, target_group_id: Any) -> dict[str, Any]:
    return {
        "target_group_identifier": target_group_id,
        "target": {"id": target.id, "port": group.target_port(target)},
    }


def listener(spec: ListenerSpec, service_id: Any, group_ids: Mapping[str, Any], tags: Mapping[str, str]) -> dict[str, Any]:
    return {
        "name": spec.name,
        "service_identifier": service_id,
        "protocol": spec.protocol,
        "port": spec.effective_port,
        "default_action": routing.listener_default_action(spec.default_action, group_ids),
        "tags": tag_input(tags),
    }


def rule(spec: RuleSpec, service_id: Any, listener_id: Any, group_ids: Mapping[str, Any], tags: Mapping[str, str]) -> dict[str, Any]:
    return {
        "name": spec.name,
        "service_identifier": service_id,
        "listener_identifier": listener_id,
        "priority": spec.priority,
        "match": routing.rule_match(spec.match),
        "action": routing.rule_action(spec.action, group_ids),
        "tags": tag_input(tags),
    }


def auth_policy_document(spec: LatticeServiceSpec) -> dict[str, Any] | None:
    """The service's auth policy, or None when it takes none (auth NONE): the hand-written `authPolicy`, or the
    one generated from `allowedCallers` (narrowed by its short forms) and extended with `extraStatements`."""
    if spec.auth_type != "AWS_IAM":
        return None
    if spec.auth_policy is not None:
        return spec.auth_policy_document
    callers = spec.allowed_callers
    if callers is None:
        return None
    named = [*callers.principals, *callers.accounts]
    # organizationOnly with named callers means "these, while in the organization", not "these, and everyone
    # in the organization": the organization-wide statement is left out and the named ones are narrowed.
    narrowing = callers.organization_only and bool(named)
    document = auth_policies.service_auth_policy(
        named, [] if narrowing else callers.organization_ids, spec.service_network_arn
    )
    if callers.organization_only:
        document = auth_policies.only_organizations(document, callers.organization_ids)
    if callers.methods:
        document = auth_policies.only_methods(document, callers.methods)
    return auth_policies.with_statements(document, spec.extra_statement_documents)


def association(spec: LatticeServiceSpec, service_id: Any) -> dict[str, Any]:
    return {
        "service_identifier": service_id,
        "service_network_identifier": spec.service_network_arn,
        "tags": with_association_tags(tag_input(spec.tags), spec.association_tags),
    }



# pydantic's to_camel runs three regexes per call; the preflight converts the same few dozen keys for every child.
_camel = functools.lru_cache(maxsize=1024)(to_camel)


def engine_shape(value: Any) -> Any:
    """Inputs as the engine sees them: camelCase keys, unset values left out, Outputs unknown."""
    if isinstance(value, pulumi.Output):
        return UNKNOWN
    if isinstance(value, Mapping):
        return {_camel(key): engine_shape(item) for key, item in value.items() if item is not None}
    if isinstance(value, (list, tuple)):
        return [engine_shape(item) for item in value]
    return value


def _policy_text(document: dict[str, Any]) -> str:
    """The policy as the provider sends it, or unknown while part of it is not known yet."""
    try:
        return json.dumps(document)
    except TypeError:  # an Output inside (the network ARN from a resource of this program)
        return UNKNOWN


def planned_children(spec: LatticeServiceSpec) -> list[tuple[str, str, dict[str, Any]]]:
    """(type token, where in the spec, inputs) of every API resource the service will create, sibling IDs unknown."""
    tags = spec.tags
    planned = [(SERVICE, "", service(spec))]
    for name, group in spec.target_groups.items():
        planned += planned_group(name, group, tags, f"targetGroups.{name}")
    unknown_ids = {name: UNKNOWN for name in spec.target_groups}
    for index, listener_spec in enumerate(spec.listeners):
        planned.append((LISTENER, f"listeners[{index}]", listener(listener_spec, UNKNOWN, unknown_ids, tags)))
        for rule_index, rule_spec in enumerate(listener_spec.rules):
            planned.append((RULE, f"listeners[{index}].rules[{rule_index}]", rule(rule_spec, UNKNOWN, UNKNOWN, unknown_ids, tags)))
    document = auth_policy_document(spec)
    if document is not None:
        where = "authPolicy" if spec.auth_policy is not None else "allowedCallers"
        planned.append((AUTH_POLICY, where, {"resource_identifier": UNKNOWN, "policy": _policy_text(document)}))
    if spec.joins_network:
        planned.append((ASSOCIATION, "serviceNetworkArn", association(spec, UNKNOWN)))
    destinations = iter(range(len(spec.access_log_destinations)))
    for _role, destination_arn, log_type in planned_destinations(spec):
        where = "accessLogs" if destination_arn is None else f"accessLogDestinations[{next(destinations)}]"
        planned.append((ACCESS_LOG_SUBSCRIPTION, where, {
            "resource_identifier": UNKNOWN, "destination_arn": destination_arn or UNKNOWN,
            "service_network_log_type": log_type, "tags": dict(tags),
        }))
    return planned


def planned_group(name: str, group: TargetGroupSpec, tags: Any, where: str) -> list[tuple[str, str, dict[str, Any]]]:
    """(type token, where, inputs) of a target group and its attachments, the group's ID unknown."""
    planned = [(TARGET_GROUP, where, target_group(name, group, tags))]
    for index, target in enumerate(group.targets):
        planned.append((ATTACHMENT, f"{where}.targets[{index}]" if where else f"targets[{index}]", attachment(group, target, UNKNOWN)))
    return planned


def _problems(planned: list[tuple[str, str, dict[str, Any]]]) -> list[str]:
    return [
        f"{where + ': ' if where else ''}{violation}"
        for type_token, where, inputs in planned
        for violation in apimodel.check_resource(type_token, engine_shape(inputs))
    ]


def target_group_preflight(spec: LatticeTargetGroupSpec) -> list[str]:
    """What the AWS API would reject in a `LatticeTargetGroup`'s group and attachments: `where: api path: rule`."""
    return _problems(planned_group(spec.name, spec, spec.tags, ""))


def preflight(spec: LatticeServiceSpec) -> list[str]:
    """What the AWS API would reject among the service's children: `where: api path: rule`, one per problem.

    The account program preflights every service before registering any, and each `LatticeService` checks
    itself again (for programs that use the component directly): the second check of the same spec is
    answered from a cache kept for the run (benchmarks, part 1: the double walk was 14% of a program run).
    Specs holding an Output are always checked afresh.
    """
    try:
        key = spec.model_dump_json()
    except Exception:  # an Output among the values: nothing to key on, check afresh
        return _preflight(spec)
    # Scoped to one program run (one root stack): a pure memo, but benchmarks that run a program repeatedly in
    # one process must pay for every run's checks as a fresh `pulumi up` would.
    run = id(pulumi.runtime.get_root_resource())
    if _checked_run[0] != run:
        _checked.clear()
        _checked_run[0] = run
    if key not in _checked:
        _checked[key] = _preflight(spec)
    return list(_checked[key])


_checked: dict[str, list[str]] = {}
"""Preflight results of the current run, by spec."""
_checked_run: list[int | None] = [None]
"""The root stack (one per program run) `_checked` belongs to."""


def _preflight(spec: LatticeServiceSpec) -> list[str]:
    return _problems(planned_children(spec))
