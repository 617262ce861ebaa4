"""The access matrix at organization scale: GIVEN any topology and callers, WHEN the matrix is computed with
each policy read once and each verdict reached once per what it depends on, THEN every cell is exactly what
the per-request `evaluate` decides for it (verdict, evaluability and every reason)."""

from __future__ import annotations

import json

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from lattice_components.iam.evaluator import ACTION_CONNECT, ACTION_INVOKE, AUTH_IAM, AUTH_NONE, Caller, Request
from lattice_components.tools.access import (
    Decision,
    Listener,
    Service,
    ServiceNetwork,
    Topology,
    _merge_alternatives,
    access_matrix,
    evaluate,
)

REGION_ARN = "arn:aws:vpc-lattice:us-east-1:111111111111"
NETWORKS = [f"{REGION_ARN}:servicenetwork/sn-{i:017x}" for i in range(2)]
SERVICES = [f"{REGION_ARN}:service/svc-{i:017x}" for i in range(4)]
ACCOUNTS = ["111111111111", "222222222222", "333333333333"]
ROLES = [f"arn:aws:iam::{account}:role/{name}" for account in ACCOUNTS for name in ("App", "Other")]
VPCS = ["vpc-00000001", "vpc-00000002", "vpc-00000003"]
ORG = "o-a1b2c3d4e5"


def reference_matrix(callers, topology, action, method, path, headers=None):
    """What the matrix was before it was indexed: every cell evaluated on its own, through every network."""
    matrix = {}
    for caller in callers:
        networks = [n for n in topology.networks if caller.vpc_id in n.vpc_associations]
        for service in topology.services:
            if not networks:
                matrix[caller.label, service.arn] = Decision(
                    False, [f"VPC {caller.vpc_id} is not associated with any service network"]
                )
                continue
            matrix[caller.label, service.arn] = _merge_alternatives([
                (f"via {n.arn}", evaluate(Request(caller, n.arn, service.arn, action, method, path,
                                                  headers=(headers or {}).get(caller.label)), topology))
                for n in networks
            ])
    return matrix


principals = st.one_of(
    st.just("*"),
    st.just({"AWS": "*"}),
    st.lists(st.sampled_from(ROLES + ACCOUNTS + [f"arn:aws:iam::{a}:root" for a in ACCOUNTS]), min_size=1, max_size=3)
    .map(lambda entries: {"AWS": entries}),
    st.just({"Service": "lambda.amazonaws.com"}),
)
conditions = st.one_of(
    st.just({}),
    st.just({"StringEquals": {"aws:PrincipalOrgID": ORG}}),
    st.sampled_from(NETWORKS).map(lambda arn: {"StringEquals": {"vpc-lattice-svcs:ServiceNetworkArn": arn}}),
    st.sampled_from(SERVICES).map(lambda arn: {"ArnLike": {"vpc-lattice-svcs:ServiceArn": arn}}),
    st.sampled_from(VPCS).map(lambda vpc: {"StringNotEquals": {"vpc-lattice-svcs:SourceVpc": vpc}}),
    st.just({"StringEquals": {"vpc-lattice-svcs:RequestMethod": "GET"}}),
    st.just({"NumericEquals": {"vpc-lattice-svcs:Port": "443"}}),
    st.just({"StringLike": {"aws:PrincipalArn": "arn:aws:iam::*:role/App"}}),
    st.just({"MadeUpOperator": {"aws:PrincipalOrgID": ORG}}),  # not evaluable, for everyone
    st.just({"Bool": {"aws:SecureTransport": "true"}}),  # depends on the listener's protocol, per port
    st.just({"StringEquals": {"vpc-lattice-svcs:RequestHeader/x-team": "orders"}}),  # per caller's headers
)
resources = st.one_of(
    st.just("*"),
    st.sampled_from(SERVICES).map(lambda arn: arn + "/*"),
    st.sampled_from(SERVICES).map(lambda arn: arn + "/orders*"),
    st.just(["*", f"{SERVICES[0]}/*"]),
)
actions = st.sampled_from(["vpc-lattice-svcs:Invoke", "vpc-lattice-svcs:*", "vpc-lattice-svcs:Connect"])
statements = st.one_of(
    st.fixed_dictionaries({
        "Effect": st.sampled_from(["Allow", "Allow", "Deny"]),
        "Principal": principals,
        "Action": actions,
        "Resource": resources,
        "Condition": conditions,
    }, optional={"Sid": st.sampled_from(["A", "B"])}),
    # A Deny to everyone but the listed: it applies to the callers it does NOT name
    st.fixed_dictionaries({
        "Effect": st.just("Deny"),
        "NotPrincipal": st.lists(st.sampled_from(ROLES), min_size=1, max_size=2).map(lambda roles: {"AWS": roles}),
        "Action": actions,
        "Resource": resources,
    }),
)
policies = st.one_of(
    st.none(),
    st.just("{not json"),
    st.lists(statements, min_size=1, max_size=3).map(lambda s: {"Version": "2012-10-17", "Statement": s}),
    st.lists(statements, min_size=1, max_size=3).map(lambda s: json.dumps({"Version": "2012-10-17", "Statement": s})),
)
listeners = st.lists(
    st.builds(Listener, port=st.sampled_from([80, 443, 8443]), protocol=st.sampled_from(["HTTP", "HTTPS", "TLS_PASSTHROUGH"])),
    max_size=2,
).map(tuple)
auth_types = st.sampled_from([AUTH_IAM, AUTH_IAM, AUTH_NONE, "SOMETHING_ELSE"])
rules = st.lists(st.fixed_dictionaries({
    "protocol": st.sampled_from(["tcp", "-1", "udp"]),
    "fromPort": st.sampled_from([0, 80, 443]),
    "toPort": st.sampled_from([80, 443, 65535]),
    "cidrBlocks": st.sampled_from([[], ["10.0.0.0/16"], ["0.0.0.0/0"], ["not-a-cidr"]]),
}), max_size=2)


@st.composite
def scenarios(draw):
    services = [
        Service(arn, auth_type=draw(auth_types), auth_policy=draw(policies), listeners=draw(listeners), name=f"s{i}")
        for i, arn in enumerate(draw(st.lists(st.sampled_from(SERVICES), min_size=1, max_size=4, unique=True)))
    ]
    group_ids = ["sg-0000000000000000a", "sg-0000000000000000b", "sg-0000000000000000c"]  # c: rules unknown
    networks = [
        ServiceNetwork(
            arn, auth_type=draw(auth_types), auth_policy=draw(policies),
            vpc_associations={vpc: tuple(draw(st.lists(st.sampled_from(group_ids), max_size=2, unique=True)))
                              for vpc in draw(st.lists(st.sampled_from(VPCS), max_size=3, unique=True))},
            service_arns=frozenset(draw(st.lists(st.sampled_from([s.arn for s in services]), unique=True))),
        )
        for arn in draw(st.lists(st.sampled_from(NETWORKS), min_size=1, max_size=2, unique=True))
    ]
    topology = Topology(networks, services, security_groups={g: draw(rules) for g in group_ids[:2]})
    callers = [
        Caller(
            principal, vpc_id=vpc, org_id=draw(st.sampled_from([ORG, None])),
            source_ip=draw(st.sampled_from(["10.0.1.5", "192.168.0.1", None])), name=f"caller{i}",
            identity_policy=draw(st.sampled_from([None, {"Version": "2012-10-17", "Statement": [
                {"Effect": "Allow", "Action": "vpc-lattice-svcs:Invoke", "Resource": "*"}]}])),
        )
        for i, (principal, vpc) in enumerate(draw(st.lists(
            st.tuples(st.sampled_from([*ROLES, None]), st.sampled_from(VPCS)), min_size=1, max_size=6)))
    ]
    request = draw(st.sampled_from([(ACTION_INVOKE, None, None), (ACTION_INVOKE, "GET", "/orders/1"),
                                    (ACTION_CONNECT, None, None)]))
    headers = {caller.label: draw(st.sampled_from([None, {}, {"X-Team": "orders"}, {"x-team": "billing"}])) for caller in callers}
    return topology, callers, request, headers


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(scenarios())
def test_every_cell_of_the_indexed_matrix_is_what_evaluate_decides(scenario):
    # GIVEN any topology, callers and request WHEN the matrix is computed THEN each cell equals the reference
    topology, callers, (action, method, path), headers = scenario
    fast = access_matrix(callers, topology, action=action, method=method, path=path, headers=headers)
    assert fast == reference_matrix(callers, topology, action, method, path, headers)


def test_a_policy_is_read_once_however_many_callers_it_judges(monkeypatch):
    # GIVEN one service whose policy names one role, and 200 callers it does not name
    # WHEN the matrix is computed THEN the policy is evaluated a bounded number of times, not once per caller
    from lattice_components.tools import access

    policy = json.dumps({"Version": "2012-10-17", "Statement": [{
        "Effect": "Allow", "Principal": {"AWS": [ROLES[0]]}, "Action": "vpc-lattice-svcs:Invoke", "Resource": "*"}]})
    network = ServiceNetwork(NETWORKS[0], auth_type=AUTH_IAM, auth_policy={"Version": "2012-10-17", "Statement": [
        {"Effect": "Allow", "Principal": "*", "Action": "vpc-lattice-svcs:Invoke", "Resource": "*"}]},
        vpc_associations={VPCS[0]: ()}, service_arns=frozenset(SERVICES))
    # each service holds its own copy of the document, as the topology read from the stacks does
    services = [Service(arn, auth_type=AUTH_IAM, auth_policy="".join(policy), listeners=(Listener(80),))
                for arn in SERVICES]
    callers = [Caller(f"arn:aws:iam::{100000000000 + i}:role/R", vpc_id=VPCS[0], name=f"R{i}") for i in range(200)]
    calls = []
    real = access.evaluate_policy
    monkeypatch.setattr(access, "evaluate_policy", lambda *a, **k: calls.append(1) or real(*a, **k))
    matrix = access_matrix(callers, Topology([network], services))
    assert len(matrix) == 800 and not any(d.allowed for d in matrix.values())
    # one network verdict per caller (the network policy reads no service), one service verdict per service
    assert len(calls) == len(callers) + len(services)
