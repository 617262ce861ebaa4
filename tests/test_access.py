"""Scenarios for the auth policy evaluator: GIVEN a deployed topology, WHEN a caller sends a request,
THEN Lattice would allow or deny it for the reason given."""

from __future__ import annotations

import json
from dataclasses import replace

import pytest

from lattice_components.iam.evaluator import ACTION_CONNECT, AUTH_IAM, Caller, Request, evaluate_policy, validate_policy
from lattice_components.tools.access import (
    Listener,
    Service,
    ServiceNetwork,
    Topology,
    access_matrix,
    evaluate,
    matrix_markdown,
)

NETWORK_ARN = "arn:aws:vpc-lattice:us-east-1:123456789012:servicenetwork/sn-0123456789abcdef0"
OTHER_NETWORK_ARN = "arn:aws:vpc-lattice:us-east-1:123456789012:servicenetwork/sn-0fedcba9876543210"
ORDER_SERVICE_ARN = "arn:aws:vpc-lattice:us-east-1:123456789012:service/svc-0a1b2c3d4e5f6a7b8"
PAYMENT_SERVICE_ARN = "arn:aws:vpc-lattice:us-east-1:123456789012:service/svc-0c1d2e3f4a5b6c7d8"
FRONTEND_ROLE = "arn:aws:iam::123456789012:role/FrontendAppRole"
MOBILE_ROLE = "arn:aws:iam::234567890123:role/MobileBackendRole"
ORG_ID = "o-a1b2c3d4e5"

# The seed's auth policy for order-service, verbatim apart from the JSON layout.
SEED_ORDER_POLICY = json.dumps(
    {
        "Version": "2012-10-17",
        "Statement": [
            {
                "Effect": "Allow",
                "Principal": {"AWS": [FRONTEND_ROLE, MOBILE_ROLE]},
                "Action": "vpc-lattice-svcs:Invoke",
                "Resource": "*",
                "Condition": {"StringEquals": {"vpc-lattice-svcs:ServiceNetworkArn": NETWORK_ARN}},
            }
        ],
    }
)

# Coarse network-level policy: any authenticated principal of the organization.
ORG_NETWORK_POLICY = {
    "Version": "2012-10-17",
    "Statement": [
        {
            "Effect": "Allow",
            "Principal": "*",
            "Action": "vpc-lattice-svcs:Invoke",
            "Resource": "*",
            "Condition": {"StringEquals": {"aws:PrincipalOrgID": ORG_ID}},
        }
    ],
}

FRONTEND = Caller(FRONTEND_ROLE, vpc_id="vpc-frontend001", org_id=ORG_ID, source_ip="10.0.1.5")
MOBILE = Caller(MOBILE_ROLE, vpc_id="vpc-backend002", org_id=ORG_ID, source_ip="10.1.2.3")
REPORTING = Caller(
    "arn:aws:iam::123456789012:role/ReportingRole", vpc_id="vpc-frontend001", org_id=ORG_ID, source_ip="10.0.1.9"
)

SECURITY_GROUPS = {
    "sg-0123456789abcdef0": [{"protocol": "tcp", "fromPort": 80, "toPort": 80, "cidrBlocks": ["10.0.0.0/16"]}],
    "sg-abcdef0123456789a": [{"protocol": "tcp", "fromPort": 80, "toPort": 443, "cidrBlocks": ["0.0.0.0/0"]}],
}


def seed_topology(**service_changes) -> Topology:
    """The seed's setup: one IAM-protected network, both client VPCs associated, order-service on port 80."""
    order_service = Service(
        ORDER_SERVICE_ARN, auth_type=AUTH_IAM, auth_policy=SEED_ORDER_POLICY, listeners=(Listener(80, "HTTP"),)
    )
    network = ServiceNetwork(
        NETWORK_ARN,
        auth_type=AUTH_IAM,
        auth_policy=ORG_NETWORK_POLICY,
        vpc_associations={"vpc-frontend001": ["sg-0123456789abcdef0"], "vpc-backend002": ["sg-abcdef0123456789a"]},
        service_arns=frozenset({ORDER_SERVICE_ARN}),
    )
    return Topology([network], [replace(order_service, **service_changes)], SECURITY_GROUPS)


def invoke(caller: Caller, topology: Topology, network_arn: str = NETWORK_ARN, **request_fields):
    fields = {"method": "GET", "path": "/orders", **request_fields}
    return evaluate(Request(caller, network_arn, ORDER_SERVICE_ARN, **fields), topology)


def policy(*statements: dict) -> str:
    return json.dumps({"Version": "2012-10-17", "Statement": list(statements)})


def allow(**extra) -> dict:
    return {"Effect": "Allow", "Principal": "*", "Action": "vpc-lattice-svcs:Invoke", "Resource": "*", **extra}


# --- the seed's policy ------------------------------------------------------------------------------


@pytest.mark.parametrize("caller", [FRONTEND, MOBILE], ids=["FrontendAppRole", "MobileBackendRole"])
def test_seed_policy_allows_both_named_roles(caller):
    # GIVEN the seed's order-service policy  WHEN a named role invokes through the seed network
    decision = invoke(caller, seed_topology())
    # THEN it is allowed, and the reason names the statement and the role
    assert decision.allowed and decision.evaluable
    assert f"service auth policy statement 0 allows {caller.principal_arn}" in decision.reasons
    assert any(r.startswith("service network auth policy statement 0 allows") for r in decision.reasons)


def test_seed_policy_denies_another_role_in_the_same_account():
    decision = invoke(REPORTING, seed_topology())
    assert not decision.allowed and decision.evaluable
    assert any(r.startswith("no statement in the service auth policy allows") for r in decision.reasons)


def test_seed_policy_denies_the_named_role_through_another_network():
    # GIVEN order-service is also associated with a second, open network that the frontend VPC uses
    topology = seed_topology()
    other = ServiceNetwork(
        OTHER_NETWORK_ARN,
        vpc_associations={"vpc-frontend001": []},
        service_arns=frozenset({ORDER_SERVICE_ARN}),
    )
    topology = replace(topology, networks=[*topology.networks, other])
    # WHEN FrontendAppRole invokes through that network  THEN the ServiceNetworkArn condition fails
    decision = invoke(FRONTEND, topology, network_arn=OTHER_NETWORK_ARN)
    assert not decision.allowed and decision.evaluable
    assert any("no statement in the service auth policy allows" in r for r in decision.reasons)


def test_seed_policy_denies_a_vpc_not_associated_with_the_network():
    stranger = replace(FRONTEND, vpc_id="vpc-0stranger")
    decision = invoke(stranger, seed_topology())
    assert not decision.allowed
    assert decision.reasons == [f"VPC vpc-0stranger is not associated with service network {NETWORK_ARN}"]


def test_service_not_associated_with_the_network_is_unreachable():
    topology = seed_topology()
    topology = replace(topology, networks=[replace(topology.networks[0], service_arns=frozenset())])
    decision = invoke(FRONTEND, topology)
    assert not decision.allowed
    assert "is not associated with service network" in decision.reasons[0]


def test_network_policy_denies_a_caller_outside_the_organization():
    outsider = replace(FRONTEND, org_id="o-zzzzzzzzzz")
    decision = invoke(outsider, seed_topology())
    assert not decision.allowed
    assert any(r.startswith("no statement in the service network auth policy allows") for r in decision.reasons)


# --- policy semantics -------------------------------------------------------------------------------


def test_explicit_deny_wins_over_allow():
    deny_admin = {
        "Effect": "Deny",
        "Principal": "*",
        "Action": "vpc-lattice-svcs:Invoke",
        "Resource": f"{ORDER_SERVICE_ARN}/admin/*",
    }
    topology = seed_topology(auth_policy=policy(allow(Sid="Everyone"), {**deny_admin, "Sid": "NoAdmin"}))
    denied = invoke(FRONTEND, topology, path="/admin/users")
    assert not denied.allowed and denied.evaluable
    assert f"service auth policy statement 1 (NoAdmin) explicitly denies {FRONTEND_ROLE}" in denied.reasons
    assert invoke(FRONTEND, topology, path="/orders").allowed


def test_deny_on_method_with_negated_operator():
    read_only = {
        "Effect": "Deny",
        "Principal": "*",
        "Action": "*",
        "Resource": "*",
        "Condition": {"StringNotEquals": {"vpc-lattice-svcs:RequestMethod": ["GET", "HEAD"]}},
    }
    topology = seed_topology(auth_policy=policy(allow(), read_only))
    assert invoke(FRONTEND, topology, method="get").allowed
    assert not invoke(FRONTEND, topology, method="DELETE").allowed


@pytest.mark.parametrize(
    ("statement", "allowed"),
    [
        (allow(Action="vpc-lattice-svcs:*"), True),
        (allow(Action="VPC-LATTICE-SVCS:inv*"), True),  # action names compare case-insensitively
        (allow(Action="vpc-lattice-svcs:Connect"), False),
        (allow(NotAction="vpc-lattice-svcs:Connect", Action=None), True),
        (allow(Resource="arn:aws:vpc-lattice:us-east-1:123456789012:service/svc-*/orders*"), True),
        (allow(Resource=f"{ORDER_SERVICE_ARN}/payments/*"), False),
        (allow(Resource=None, NotResource=f"{ORDER_SERVICE_ARN}/admin/*"), True),
        (allow(Condition={"ArnLike": {"aws:PrincipalArn": "arn:aws:iam::*:role/Frontend*"}}), True),
        (allow(Condition={"ArnEquals": {"aws:PrincipalArn": "arn:aws:iam::123456789012:role/Mobile*"}}), False),
        (allow(Condition={"StringLike": {"vpc-lattice-svcs:RequestPath": "/ord?rs"}}), True),
        (allow(Condition={"StringNotLike": {"vpc-lattice-svcs:SourceVpc": "vpc-front*"}}), False),
        (allow(Condition={"NumericLessThan": {"vpc-lattice-svcs:Port": 1024}}), True),
        (allow(Condition={"StringEquals": {"vpc-lattice-svcs:SourceVpcOwnerAccount": "123456789012"}}), True),
        (allow(Condition={"StringEquals": {"aws:PrincipalAccount": "234567890123"}}), False),
        (allow(Condition={"StringNotEqualsIgnoreCase": {"aws:PrincipalType": "ANONYMOUS"}}), True),
        (allow(Condition={"Bool": {"aws:PrincipalType": True}}), False),
    ],
)
def test_wildcards_and_operators(statement, allowed):
    statement = {k: v for k, v in statement.items() if v is not None}
    decision = invoke(FRONTEND, seed_topology(auth_policy=policy(statement)))
    assert decision.evaluable, decision.reasons
    assert decision.allowed is allowed, decision.reasons


@pytest.mark.parametrize(
    ("principal", "allowed"),
    [
        ({"AWS": "*"}, True),
        ({"AWS": "234567890123"}, True),
        ({"AWS": "arn:aws:iam::234567890123:root"}, True),
        ({"AWS": "arn:aws:iam::123456789012:root"}, False),
        ({"Service": "lambda.amazonaws.com"}, False),
    ],
)
def test_principal_forms(principal, allowed):
    topology = seed_topology(auth_policy=policy(allow(Principal=principal)))
    assert invoke(MOBILE, topology).allowed is allowed


def open_network(topology: Topology) -> Topology:
    """The same topology with the network's auth check off, so only the service policy decides."""
    return replace(topology, networks=[replace(n, auth_type="NONE") for n in topology.networks])


def test_missing_keys_follow_iam_rules():
    # GIVEN a caller outside any organization (no aws:PrincipalOrgID in the request)
    loner = replace(FRONTEND, org_id=None)

    def service_policy(*statements: dict) -> Topology:
        return open_network(seed_topology(auth_policy=policy(*statements)))

    only_org = allow(Condition={"StringEquals": {"aws:PrincipalOrgID": ORG_ID}})
    if_exists = allow(Condition={"StringEqualsIfExists": {"aws:PrincipalOrgID": ORG_ID}})
    deny_foreign = {**allow(Effect="Deny"), "Condition": {"StringNotEquals": {"aws:PrincipalOrgID": ORG_ID}}}
    null_check = allow(Condition={"Null": {"aws:PrincipalOrgID": "true"}})
    # THEN positive operators fail, IfExists and Null pass, negated operators match (and here deny)
    assert not invoke(loner, service_policy(only_org)).allowed
    assert invoke(loner, service_policy(if_exists)).allowed
    assert invoke(loner, service_policy(null_check)).allowed
    decision = invoke(loner, service_policy(allow(), deny_foreign))
    assert not decision.allowed and "explicitly denies" in " ".join(decision.reasons)


def test_set_operators_on_single_valued_keys():
    any_value = allow(Condition={"ForAnyValue:StringEquals": {"aws:PrincipalOrgID": [ORG_ID, "o-other"]}})
    all_values = allow(Condition={"ForAllValues:StringEquals": {"aws:PrincipalOrgID": ["o-other"]}})
    assert invoke(FRONTEND, seed_topology(auth_policy=policy(any_value))).allowed
    assert not invoke(FRONTEND, seed_topology(auth_policy=policy(all_values))).allowed
    # ForAllValues holds vacuously when the key is absent
    loner = replace(FRONTEND, org_id=None)
    assert invoke(loner, open_network(seed_topology(auth_policy=policy(all_values)))).allowed


def test_auth_type_none_skips_the_policy_check_even_for_anonymous_callers():
    topology = seed_topology(auth_type="NONE")
    topology = replace(topology, networks=[replace(topology.networks[0], auth_type="NONE")])
    anonymous = Caller(None, vpc_id="vpc-frontend001", source_ip="10.0.0.7")
    decision = invoke(anonymous, topology)
    assert decision.allowed
    assert f"service {ORDER_SERVICE_ARN} has authType NONE: no auth policy check" in decision.reasons


def test_aws_iam_without_a_policy_denies_everything():
    decision = invoke(FRONTEND, seed_topology(auth_policy=None))
    assert not decision.allowed and decision.evaluable
    assert any("has authType AWS_IAM and no auth policy" in r for r in decision.reasons)


def test_anonymous_caller_needs_a_wildcard_principal():
    anonymous = Caller(None, vpc_id="vpc-frontend001", source_ip="10.0.0.7")
    topology = seed_topology(auth_policy=policy(allow()))
    topology = replace(topology, networks=[replace(topology.networks[0], auth_type="NONE")])
    assert invoke(anonymous, topology).allowed
    assert not invoke(anonymous, seed_topology(auth_policy=SEED_ORDER_POLICY)).allowed


# --- what cannot be evaluated is said, never allowed ------------------------------------------------


def test_unknown_operator_is_reported_not_allowed():
    statement = allow(Condition={"StringMatches": {"aws:PrincipalArn": FRONTEND_ROLE}})
    decision = invoke(FRONTEND, seed_topology(auth_policy=policy(statement)))
    assert not decision.allowed and not decision.evaluable
    assert "cannot evaluate the service auth policy: statement 0: unknown condition operator 'StringMatches'" in (
        decision.reasons
    )


def test_unknown_condition_key_is_reported_even_beside_a_matching_allow():
    unknown_key = allow(Condition={"IpAddress": {"aws:SourceIp": "10.0.0.0/8"}})
    decision = invoke(FRONTEND, seed_topology(auth_policy=policy(allow(), unknown_key)))
    assert not decision.allowed and not decision.evaluable


def test_unknown_operator_does_not_hide_a_denial_elsewhere():
    statement = allow(Condition={"StringMatches": {"aws:PrincipalArn": FRONTEND_ROLE}})
    stranger = replace(FRONTEND, vpc_id="vpc-0stranger")
    decision = invoke(stranger, seed_topology(auth_policy=policy(statement)))
    assert not decision.allowed and decision.evaluable  # the network layer already denies


@pytest.mark.parametrize(
    ("document", "problem"),
    [
        ("{not json", "not valid JSON"),
        ({"Statement": [allow(Effect="Permit")]}, "Effect must be exactly Allow or Deny"),
        ({"Statement": [allow(Effect="allow")]}, "Effect must be exactly Allow or Deny"),  # IAM: case-sensitive
        ({"Statement": [{"effect": "Allow", **{k: v for k, v in allow().items() if k != "Effect"}}]},
         "unknown element 'effect'"),
        ('{"Statement": [{"Effect": "Deny", "Effect": "Allow", "Principal": "*", "Action": "*", "Resource": "*"}]}',
         "the key 'Effect' appears twice"),  # json.loads alone would keep the second copy
        ({"statement": [allow()]}, "unknown top-level element 'statement'"),
        ({"Statement": [{**allow(), "NotPrincipal": {"AWS": "*"}}]}, "NotPrincipal is supported only in a Deny"),
        ({"Statement": [allow(Principal={"AWS": "arn:aws:iam::123456789012:role/*"})]}, "is not '*', an account"),
        ({"Statement": [allow(Resource="arn:aws:vpc-lattice:*:${aws:PrincipalAccount}:*")]}, "policy variable"),
        ({"Statement": [allow(Condition={"NumericEquals": {"vpc-lattice-svcs:Port": "http"}})]}, "not a number"),
        ({"Statement": {"Effect": "Allow", "Action": "*", "Resource": "*"}}, "exactly one of Principal and NotPrincipal"),
    ],
)
def test_validate_policy_names_each_problem(document, problem):
    problems = validate_policy(document)
    assert any(problem in p for p in problems), problems


def test_request_values_not_given_make_dependent_statements_unevaluable():
    get_only = allow(Condition={"StringEquals": {"vpc-lattice-svcs:RequestMethod": "GET"}})
    topology = seed_topology(auth_policy=policy(get_only))
    decision = invoke(FRONTEND, topology, method=None)
    assert not decision.allowed and not decision.evaluable
    assert any("vpc-lattice-svcs:RequestMethod" in r and "does not give" in r for r in decision.reasons)
    assert invoke(FRONTEND, topology, method="GET").allowed


def test_resource_path_pattern_with_unknown_path():
    whole_service = allow(Resource=f"{ORDER_SERVICE_ARN}/*")
    one_prefix = allow(Resource=f"{ORDER_SERVICE_ARN}/orders/*")
    other_service = allow(Resource=f"{PAYMENT_SERVICE_ARN}/*")
    assert invoke(FRONTEND, seed_topology(auth_policy=policy(whole_service)), path=None).allowed
    decision = invoke(FRONTEND, seed_topology(auth_policy=policy(one_prefix)), path=None)
    assert not decision.evaluable
    assert any("depends on the request path (Resource)" in r for r in decision.reasons)
    decision = invoke(FRONTEND, seed_topology(auth_policy=policy(other_service)), path=None)
    assert not decision.allowed and decision.evaluable


def test_request_headers_and_query_keys():
    by_header = allow(Condition={"StringEquals": {"vpc-lattice-svcs:RequestHeader/x-tenant": "acme"}})
    topology = seed_topology(auth_policy=policy(by_header))
    assert invoke(FRONTEND, topology, headers={"X-Tenant": "acme"}).allowed
    assert not invoke(FRONTEND, topology, headers={}).allowed
    assert not invoke(FRONTEND, topology).evaluable  # headers not given at all


def test_identity_policy_must_allow_too():
    no_lattice = {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "s3:*", "Resource": "*"}]}
    caller = replace(FRONTEND, identity_policy=no_lattice)
    decision = invoke(caller, seed_topology())
    assert not decision.allowed
    assert any(r.startswith("no statement in the identity-based policy allows") for r in decision.reasons)


# --- security groups --------------------------------------------------------------------------------


def test_security_group_must_admit_the_listener_port():
    topology = seed_topology(listeners=(Listener(8443, "HTTPS"),))
    decision = invoke(FRONTEND, topology)
    assert not decision.allowed
    assert any("no ingress rule of security groups sg-0123456789abcdef0" in r for r in decision.reasons)


def test_security_group_cidr_must_contain_the_caller():
    outside = replace(FRONTEND, source_ip="192.168.7.7")
    assert not invoke(outside, seed_topology()).allowed
    unknown_ip = replace(FRONTEND, source_ip=None)
    assert not invoke(unknown_ip, seed_topology()).evaluable


def test_security_group_reference_admits_members():
    topology = seed_topology()
    rules = {"sg-0123456789abcdef0": [{"protocol": "-1", "sourceSecurityGroupId": "sg-0client"}]}
    topology = replace(topology, security_groups={**SECURITY_GROUPS, **rules})
    assert invoke(replace(FRONTEND, security_group_ids=("sg-0client",)), topology).allowed
    assert not invoke(FRONTEND, topology).allowed


def test_connect_uses_the_service_arn_and_tls_passthrough_listener():
    tcp_policy = allow(Action="vpc-lattice-svcs:Connect", Resource=ORDER_SERVICE_ARN)
    topology = seed_topology(auth_policy=policy(tcp_policy), listeners=(Listener(443, "TLS_PASSTHROUGH"),))
    topology = replace(topology, networks=[replace(topology.networks[0], auth_type="NONE")])
    decision = evaluate(Request(MOBILE, NETWORK_ARN, ORDER_SERVICE_ARN, action=ACTION_CONNECT), topology)
    assert decision.allowed, decision.reasons


def test_evaluate_policy_on_its_own():
    request = Request(FRONTEND, NETWORK_ARN, ORDER_SERVICE_ARN, method="GET", path="/")
    verdict, reasons = evaluate_policy(SEED_ORDER_POLICY, request, label="order-service auth policy")
    assert verdict is True
    assert reasons == [f"order-service auth policy statement 0 allows {FRONTEND_ROLE}"]


# --- the matrix -------------------------------------------------------------------------------------


def test_access_matrix_covers_every_caller_and_service():
    topology = seed_topology()
    payment_policy = policy(allow(Principal={"AWS": FRONTEND_ROLE}))
    payment = Service(PAYMENT_SERVICE_ARN, auth_type=AUTH_IAM, auth_policy=payment_policy, listeners=(Listener(80),))
    network = replace(topology.networks[0], service_arns=frozenset({ORDER_SERVICE_ARN, PAYMENT_SERVICE_ARN}))
    topology = replace(topology, networks=[network], services=[*topology.services, payment])
    lost = Caller("arn:aws:iam::345678901234:role/LostRole", vpc_id="vpc-0nowhere")

    matrix = access_matrix([FRONTEND, MOBILE, REPORTING, lost], topology, method="GET", path="/")

    assert {caller for caller, _ in matrix} == {"FrontendAppRole", "MobileBackendRole", "ReportingRole", "LostRole"}
    allowed = {key for key, decision in matrix.items() if decision.allowed}
    assert allowed == {
        ("FrontendAppRole", ORDER_SERVICE_ARN),
        ("FrontendAppRole", PAYMENT_SERVICE_ARN),
        ("MobileBackendRole", ORDER_SERVICE_ARN),
    }
    assert matrix["LostRole", ORDER_SERVICE_ARN].reasons == [
        "VPC vpc-0nowhere is not associated with any service network"
    ]
    table = matrix_markdown(matrix, {ORDER_SERVICE_ARN: "order-service", PAYMENT_SERVICE_ARN: "payment-service"})
    assert "| caller | order-service | payment-service |" in table
    assert "| FrontendAppRole | ✅ | ✅ |" in table
    assert "| MobileBackendRole | ✅ | ❌ |" in table
