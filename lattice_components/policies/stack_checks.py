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
from .resource_checks import SERVICE, SERVICE_NETWORK

SERVICE_ASSOCIATION = "aws:vpclattice/serviceNetworkServiceAssociation:ServiceNetworkServiceAssociation"
ACCESS_LOG_SUBSCRIPTION = "aws:vpclattice/accessLogSubscription:AccessLogSubscription"

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
    """Every service is associated with a service network, or no client can reach it."""
    yield from _report(
        _unreferenced(
            of_type(resources, SERVICE), of_type(resources, SERVICE_ASSOCIATION), "serviceIdentifier"
        ),
        "{label}: no service network association in this stack, so no VPC can reach it. Add an "
        "aws.vpclattice.ServiceNetworkServiceAssociation with service_identifier=<this service>.id, or add its "
        "name to exemptResources if the network owner's stack makes the association.",
        "ServiceNetworkServiceAssociation.serviceIdentifier",
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
