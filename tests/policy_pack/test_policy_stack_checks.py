"""Stack checks: linking resources after apply (ids) and during preview (property dependencies)."""

from __future__ import annotations

import pytest
from pulumi_policy.proxy import UNKNOWN_STRING_VALUE as UNKNOWN

import policy_examples as ex
from lattice_components.policies import stack_checks as sc
from lattice_components.policies.policy_inputs import Resource, Unknown
from lattice_components.policies.resource_checks import SERVICE, SERVICE_NETWORK

SVC_ARN = "arn:aws:vpc-lattice:eu-west-1:111122223333:service/svc-0123"
SN_ARN = "arn:aws:vpc-lattice:eu-west-1:111122223333:servicenetwork/sn-0123"


def svc(name="orders", **props) -> Resource:
    return ex.resource(SERVICE, name, ex.service(name=name, **props))


def referrer(type_, name, prop, value, deps=()) -> Resource:
    return ex.resource(type_, name, {prop: value}, property_dependencies={prop: tuple(deps)} if deps else {})


def findings(check, resources, config=None):
    return list(check(resources, config or {}))


# -- references(): the link between two resources ------------------------------------------------------------
@pytest.mark.parametrize(
    "target_props, value, deps, expected",
    [
        ({"id": "svc-0123", "arn": SVC_ARN}, SVC_ARN, (), True),  # after apply: the resolved arn
        ({"id": "svc-0123", "arn": SVC_ARN}, "svc-0123", (), True),  # ... or the id
        ({"id": UNKNOWN, "arn": UNKNOWN}, UNKNOWN, ("self",), True),  # preview: the output was wired in
        ({"id": "svc-0123", "arn": SVC_ARN}, "svc-9999", (), False),  # another service
        ({"arn": UNKNOWN}, SVC_ARN, (), False),  # a literal cannot name a resource not created yet
        ({"arn": UNKNOWN}, UNKNOWN, ("urn:other",), False),  # computed from another resource
        ({"arn": UNKNOWN}, UNKNOWN, (), None),  # no dependencies recorded: only apply can tell
        ({"arn": SVC_ARN}, None, (), False),  # nothing referenced
    ],
)
def test_references_prefers_resolved_ids_then_property_dependencies(target_props, value, deps, expected):
    target = ex.resource(SERVICE, "orders", target_props)
    deps = tuple(target.urn if d == "self" else d for d in deps)
    policy = referrer(sc.AUTH_POLICY, "orders-auth", "resourceIdentifier", value, deps)
    assert sc.references(policy, "resourceIdentifier", target) is expected


# -- AWS_IAM needs an auth policy ----------------------------------------------------------------------------
def test_iam_service_with_an_auth_policy_wired_in_passes_during_preview():
    # GIVEN a new service (arn unknown) and an auth policy whose resourceIdentifier came from its arn output
    service = svc(arn=UNKNOWN)
    policy = referrer(sc.AUTH_POLICY, "orders-auth", "resourceIdentifier", UNKNOWN, [service.urn])
    # WHEN the stack is checked THEN nothing is reported
    assert findings(sc.check_iam_auth_has_policy, [service, policy]) == []


def test_iam_service_with_an_auth_policy_naming_its_arn_passes_after_apply():
    service = svc(arn=SVC_ARN, id="svc-0123")
    policy = referrer(sc.AUTH_POLICY, "orders-auth", "resourceIdentifier", SVC_ARN)
    assert findings(sc.check_iam_auth_has_policy, [service, policy]) == []


def test_iam_service_and_network_without_auth_policy_are_reported_on_their_own_urns():
    # GIVEN an AWS_IAM service and network, and a policy attached to some other service
    service, network = svc(arn=SVC_ARN), ex.resource(SERVICE_NETWORK, "core", ex.service_network(arn=SN_ARN))
    other = referrer(sc.AUTH_POLICY, "other-auth", "resourceIdentifier", "svc-9999")
    # WHEN checked THEN both are reported, each with its URN and the fix
    found = findings(sc.check_iam_auth_has_policy, [service, network, other])
    assert [urn for _, urn in found] == [service.urn, network.urn]
    assert all("denies every request" in message and "resource_identifier" in message for message, _ in found)


def test_services_with_auth_type_none_need_no_auth_policy():
    assert findings(sc.check_iam_auth_has_policy, [svc(authType="NONE")]) == []


def test_unknown_auth_type_without_policy_is_undecided_not_a_violation():
    with pytest.raises(Unknown):
        findings(sc.check_iam_auth_has_policy, [svc(authType=UNKNOWN)])


def test_an_unknown_candidate_policy_without_dependencies_leaves_every_service_undecided():
    # GIVEN an auth policy whose target is unknown and whose dependencies were not recorded
    unknown_policy = referrer(sc.AUTH_POLICY, "p", "resourceIdentifier", UNKNOWN)
    # WHEN checked THEN no service is reported, even one whose arn is known: the policy may target it
    with pytest.raises(Unknown):
        findings(sc.check_iam_auth_has_policy, [svc("a", arn=SVC_ARN), unknown_policy])


def test_exempt_resources_are_skipped_by_pulumi_or_aws_name():
    assert findings(sc.check_iam_auth_has_policy, [svc()], {"exemptResources": ["orders"]}) == []


def test_definite_violations_come_out_before_the_undecided_ones_stop_the_check():
    # GIVEN a policy for some other service, one AWS_IAM service without policy, one with authType unknown
    lacking, hidden = svc("lacking", arn=SVC_ARN), svc("hidden", arn=UNKNOWN, authType=UNKNOWN)
    other_policy = referrer(sc.AUTH_POLICY, "p", "resourceIdentifier", "svc-9999")
    reported = []
    # WHEN drained THEN the clear violation is reported and then the check says it could not decide
    with pytest.raises(Unknown) as raised:
        for finding in sc.check_iam_auth_has_policy([lacking, hidden, other_policy], {}):
            reported.append(finding)
    assert [urn for _, urn in reported] == [lacking.urn]
    assert raised.value.path == "AuthPolicy.resourceIdentifier"


# -- services are associated, networks log ---------------------------------------------------------------------
def test_service_association_links_by_dependency_or_id():
    service = svc(id="svc-0123", arn=SVC_ARN)
    by_id = referrer(sc.SERVICE_ASSOCIATION, "a", "serviceIdentifier", "svc-0123")
    by_dep = referrer(sc.SERVICE_ASSOCIATION, "b", "serviceIdentifier", UNKNOWN, [service.urn])
    assert findings(sc.check_service_associated, [service, by_id]) == []
    assert findings(sc.check_service_associated, [service, by_dep]) == []
    [(message, urn)] = findings(sc.check_service_associated, [service])
    assert urn == service.urn and "ServiceNetworkServiceAssociation" in message


def test_service_network_needs_an_access_log_subscription():
    network = ex.resource(SERVICE_NETWORK, "core", ex.service_network(arn=UNKNOWN))
    logs = referrer(sc.ACCESS_LOG_SUBSCRIPTION, "core-logs", "resourceIdentifier", UNKNOWN, [network.urn])
    assert findings(sc.check_network_access_logs, [network, logs]) == []
    [(message, urn)] = findings(sc.check_network_access_logs, [network])
    assert urn == network.urn and "AccessLogSubscription" in message and "destination_arn" in message
