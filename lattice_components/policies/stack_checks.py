"""Checks across the stack: is every Lattice resource wired to the resources that make it useful?

Each check is a generator `check(resources, config) -> (message, urn)` over plain `Resource`s (outputs, as the
engine sends them to stack policies). Whether resource A's property (an auth policy's `resourceIdentifier`)
points at resource B is decided, most robust first, by:
  1. the value equals B's resolved `id` or `arn` (after apply, and for literals wired from other stacks);
  2. B is among the property's dependencies: the program passed B's output into it. This is what works in
     preview, where B's id and arn are still unknown, and it survives B being replaced;
  3. otherwise a known value means "not B" (a literal cannot name a resource not created yet), and an
     unknown value with no recorded dependencies means "cannot tell during preview".
A check reports definite violations first and raises `Unknown` at the end if preview left some undecided.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping, Sequence
from typing import Any

from .policy_inputs import Resource, Unknown, is_unknown, lookup, of_type
from .auth_policy_checks import AUTH_POLICY
from .resource_checks import LISTENER, LISTENER_RULE, SERVICE, SERVICE_NETWORK, TARGET_GROUP

SERVICE_ASSOCIATION = "aws:vpclattice/serviceNetworkServiceAssociation:ServiceNetworkServiceAssociation"
ACCESS_LOG_SUBSCRIPTION = "aws:vpclattice/accessLogSubscription:AccessLogSubscription"
RAM_RESOURCE_ASSOCIATION = "aws:ram/resourceAssociation:ResourceAssociation"

Finding = tuple[str, str]  # (message, urn of the resource in violation)


def references(referrer: Resource, prop: str, target: Resource) -> bool | None:
    """Whether `referrer.props[prop]` identifies `target`: True, False, or None when preview hides it."""
    value = referrer.props.get(prop)
    target_ids = {target.props.get("id"), target.props.get("arn")}
    known_ids = {v for v in target_ids if isinstance(v, str) and v and not is_unknown(v)}
    if isinstance(value, str) and value in known_ids:
        return True
    if target.urn and target.urn in referrer.property_dependencies.get(prop, ()):
        return True
    if value is None or not is_unknown(value):
        return False
    # Unknown value: if it came from other resources it is not the target; with no dependencies recorded
    # (an engine or mock that does not send them) nothing can be said until apply.
    return False if referrer.property_dependencies.get(prop) else None


def _unreferenced(
    targets: Iterable[Resource], referrers: Sequence[Resource], prop: str
) -> Iterator[tuple[Resource, bool]]:
    """(target, undecided) for each target no referrer definitely points at through `prop`.

    The same verdicts as asking `references` of every (referrer, target) pair, from an index of the referrers
    built once: the pairwise form ran 501,001 times for a 500-service stack (benchmarks, part 2).
    """
    known_values: set[str] = set()
    dependency_urns: set[str] = set()
    undecided = False  # some referrer's value is hidden by preview, with no dependency to tell where it points
    for referrer in referrers:
        value = referrer.props.get(prop)
        dependencies = referrer.property_dependencies.get(prop, ())
        dependency_urns.update(dependencies)
        if isinstance(value, str) and value and not is_unknown(value):
            known_values.add(value)
        elif value is not None and is_unknown(value) and not dependencies:
            undecided = True
    for target in targets:
        target_ids = {target.props.get("id"), target.props.get("arn")}
        known_ids = {v for v in target_ids if isinstance(v, str) and v and not is_unknown(v)}
        if known_ids & known_values or (target.urn and target.urn in dependency_urns):
            continue
        yield target, undecided


def _exempt(resource: Resource, config: Mapping[str, Any]) -> bool:
    return bool(resource.known_names() & set(config.get("exemptResources") or ()))


def _report(
    missing: Iterable[tuple[Resource, bool]], message: str, unknown_path: str, config: Mapping[str, Any]
) -> Iterator[Finding]:
    """Yield `message` for each definitely-unreferenced target; raise `Unknown` at the end for undecided ones."""
    undecided = False
    for target, unsure in missing:
        if _exempt(target, config):
            continue
        if unsure:
            undecided = True
        else:
            yield message.format(label=target.label), target.urn
    if undecided:
        raise Unknown(unknown_path)


def check_iam_auth_has_policy(resources: Sequence[Resource], config: Mapping[str, Any]) -> Iterator[Finding]:
    """Every AWS_IAM service (and service network) has an auth policy, or Lattice denies all its traffic."""
    policies = of_type(resources, AUTH_POLICY)
    candidates = []
    for resource in of_type(resources, SERVICE, SERVICE_NETWORK):
        try:
            auth_type = lookup(resource.props, "authType", "NONE")
        except Unknown:
            auth_type = None  # undecided: only matters if no policy is found for it
        if auth_type in ("AWS_IAM", None):
            candidates.append((resource, auth_type is None))
    missing = []
    for target, auth_unknown in candidates:
        for _, unsure in _unreferenced([target], policies, "resourceIdentifier"):
            missing.append((target, unsure or auth_unknown))
    yield from _report(
        missing,
        "{label}: authType is AWS_IAM but no aws.vpclattice.AuthPolicy in this stack targets it, so Lattice "
        "denies every request. Add an AuthPolicy with resource_identifier=<this resource>.arn allowing "
        "vpc-lattice-svcs:Invoke to the intended callers, or add its name to exemptResources if another stack "
        "owns the policy.",
        "AuthPolicy.resourceIdentifier",
        config,
    )


def check_service_associated(resources: Sequence[Resource], config: Mapping[str, Any]) -> Iterator[Finding]:
    """Every service is associated with a service network, or shared through RAM (a standalone service the
    accounts it is shared with associate with their own networks): otherwise no client can reach it.

    A standalone service that is shared passes: its RAM share is how it is reached. One that is neither is
    reported, also when it was made standalone on purpose (`associate: false`): the finding says what holds,
    and exemptResources names the services another stack associates.
    """
    services = of_type(resources, SERVICE)
    unassociated = {id(s): unsure for s, unsure in _unreferenced(services, of_type(resources, SERVICE_ASSOCIATION), "serviceIdentifier")}
    unshared = {id(s): unsure for s, unsure in _unreferenced(services, of_type(resources, RAM_RESOURCE_ASSOCIATION), "resourceArn")}
    yield from _report(
        ((service, unassociated[id(service)] or unshared[id(service)]) for service in services
         if id(service) in unassociated and id(service) in unshared),
        "{label}: no service network association and no RAM share in this stack, so no VPC can reach it. Add an "
        "aws.vpclattice.ServiceNetworkServiceAssociation with service_identifier=<this service>.id (or share it "
        "through RAM with the accounts that associate it), or add its name to exemptResources if another stack "
        "makes the association.",
        "ServiceNetworkServiceAssociation.serviceIdentifier",
        config,
    )


def _forward_identifiers(resource: Resource) -> list[Any]:
    """The `targetGroupIdentifier`s a listener's default action or a rule's action forwards to."""
    if resource.type == LISTENER:
        forwards = (resource.props.get("defaultAction") or {}).get("forwards") or []
    else:
        forwards = [((resource.props.get("action") or {}).get("forward")) or {}]
    return [target.get("targetGroupIdentifier") for forward in forwards if isinstance(forward, Mapping)
            for target in forward.get("targetGroups") or [] if isinstance(target, Mapping)]


def check_target_group_used(resources: Sequence[Resource], config: Mapping[str, Any]) -> Iterator[Finding]:
    """Every target group is forwarded to by a listener or rule of this stack.

    Advisory, not mandatory: a group may be registered before traffic moves to it (blue/green), or be forwarded
    to by ARN from another stack, which this stack cannot see; exemptResources names those.
    """
    known: set[str] = set()
    dependencies: set[str] = set()
    undecided = False
    for referrer in of_type(resources, LISTENER, LISTENER_RULE):
        prop = "defaultAction" if referrer.type == LISTENER else "action"
        dependencies.update(referrer.property_dependencies.get(prop, ()))
        for value in _forward_identifiers(referrer):
            if isinstance(value, str) and value and not is_unknown(value):
                known.add(value)
            elif is_unknown(value) and not referrer.property_dependencies.get(prop):
                undecided = True
    missing = []
    for group in of_type(resources, TARGET_GROUP):
        ids = {v for v in (group.props.get("id"), group.props.get("arn")) if isinstance(v, str) and v and not is_unknown(v)}
        if not (ids & known or group.urn in dependencies):
            missing.append((group, undecided))
    yield from _report(
        missing,
        "{label}: no listener or rule of this stack forwards to it, so it serves no traffic. Forward to it, remove "
        "it, or add its name to exemptResources if another stack forwards to it by ARN or a traffic shift to it is "
        "being prepared.",
        "Listener.defaultAction",
        config,
    )


def check_network_access_logs(resources: Sequence[Resource], config: Mapping[str, Any]) -> Iterator[Finding]:
    """Every service network has an access-log subscription, or its traffic leaves no audit trail."""
    yield from _report(
        _unreferenced(
            of_type(resources, SERVICE_NETWORK),
            of_type(resources, ACCESS_LOG_SUBSCRIPTION),
            "resourceIdentifier",
        ),
        "{label}: no access-log subscription, so requests across the network leave no audit trail. Add an "
        "aws.vpclattice.AccessLogSubscription with resource_identifier=<this network>.arn and a CloudWatch "
        "Logs, Firehose or S3 destination_arn.",
        "AccessLogSubscription.resourceIdentifier",
        config,
    )
