"""Hand-written auth policies next to the generated ones (issue #14, item 1): config checks with key paths, the
short forms as pure functions, policy files next to the stack file, and the access matrix evaluating them."""

from __future__ import annotations

import copy
import json

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from lattice_components.apimodel import AUTH_POLICY_MAX_BYTES
from lattice_components.config import AccountStackConfig, ConfigError, NetworkStackConfig, parse
from lattice_components.config.auth_policy_specs import stack_directory
from lattice_components.iam.evaluator import Caller, Request, evaluate_policy
from lattice_components.inputs import auth_policies
from lattice_components.tools import access, offline, topology

SOURCE = "stacks/Pulumi.orders-dev.yaml"
NETWORK_ARN = "arn:aws:vpc-lattice:us-east-1:111111111111:servicenetwork/sn-0123456789abcdef0"
SERVICE_ARN = "arn:aws:vpc-lattice:us-east-1:333333333333:service/svc-0123456789abcdef0"
ROLE = "arn:aws:iam::333333333333:role/OrderServiceRole"


def statement(**overrides):
    return {"Effect": "Allow", "Principal": {"AWS": ROLE}, "Action": "vpc-lattice-svcs:Invoke", "Resource": "*", **overrides}


def document(*statements):
    return {"Version": "2012-10-17", "Statement": list(statements)}


def service(**overrides):
    base = {
        "targetGroups": {"orders-fn": {"type": "LAMBDA"}},
        "listeners": [{"name": "https-listener", "defaultAction": {"forward": [{"targetGroup": "orders-fn"}]}}],
    }
    return {**base, **overrides}


def account_config(**service_overrides):
    return {"account": "orders", "networkStack": "organization/lattice-network/dev",
            "services": {"orders": service(**service_overrides)}}


def problems(raw, model=AccountStackConfig):
    with pytest.raises(ConfigError) as raised:
        parse(model, raw, SOURCE)
    assert raised.value.source == SOURCE
    return raised.value.problems


# --------------------------------------------------------------------------------------------------------------
# GIVEN a service with a bad hand-written policy WHEN the config is read THEN one line names the key and the rule
# --------------------------------------------------------------------------------------------------------------

BAD_POLICIES = [
    ("an old policy version", {"authPolicy": {**document(statement()), "Version": "2008-10-17"}},
     "lattice:services.orders.authPolicy: Version must be '2012-10-17'"),
    ("an action outside Lattice", {"authPolicy": document(statement(Action="s3:GetObject"))},
     "lattice:services.orders.authPolicy: statement 0: Action 's3:GetObject' is not one of vpc-lattice-svcs:*"),
    ("a NotPrincipal that would allow everyone else", {"authPolicy": document(
        {k: v for k, v in statement(NotPrincipal={"AWS": ROLE}).items() if k != "Principal"})},
     "NotPrincipal is supported only in a Deny statement"),
    ("a condition key Lattice does not set", {"authPolicy": document(statement(Condition={"StringEquals": {"aws:SourceIp": "10.0.0.1"}}))},
     "unknown condition key 'aws:SourceIp'"),
    ("an Effect that is not Allow or Deny", {"authPolicy": document(statement(Effect="Permit"))},
     "Effect must be exactly Allow or Deny"),
    ("a document over the 10 KB quota", {"authPolicy": document(*[statement(Sid=f"S{i:04d}") for i in range(120)])},
     f"above the VPC Lattice auth policy quota of {AUTH_POLICY_MAX_BYTES:,} bytes"),
    ("extra statements with a hand-written policy", {"authPolicy": document(statement()), "extraStatements": [statement()]},
     "lattice:services.orders.extraStatements: extend the generated policy"),
    ("extra statements that are not a policy", {"allowedCallers": {"principals": [ROLE]}, "extraStatements": [{"Effect": "Allow"}]},
     "lattice:services.orders.extraStatements: statement 0: needs exactly one of Action and NotAction"),
    ("a hand-written policy with auth NONE", {"authType": "NONE", "authPolicy": document(statement())},
     "lattice:services.orders.authPolicy: has no effect with authType NONE"),
    ("a hand-written policy and allowed callers", {"authPolicy": document(statement()), "allowedCallers": {"principals": [ROLE]}},
     "lattice:services.orders.allowedCallers: is ignored when authPolicy is written by hand"),
    ("organizationOnly without an organization", {"allowedCallers": {"principals": [ROLE], "organizationOnly": True}},
     "lattice:services.orders.allowedCallers.organizationOnly: needs organizationIds"),
    ("a method that is not HTTP", {"allowedCallers": {"principals": [ROLE], "methods": ["FETCH"]}},
     "lattice:services.orders.allowedCallers.methods[0]: 'FETCH' is not one of"),
    ("an account that is not 12 digits", {"allowedCallers": {"accounts": ["1234"]}},
     "lattice:services.orders.allowedCallers.accounts[0]"),
]


@pytest.mark.parametrize("overrides, expected", [case[1:] for case in BAD_POLICIES], ids=[case[0] for case in BAD_POLICIES])
def test_a_bad_hand_written_policy_is_refused_with_its_key_path(overrides, expected):
    found = problems(account_config(**overrides))
    assert any(expected in line for line in found), found


@pytest.mark.parametrize("overrides, expected", [
    ({"authPolicy": {"Statement": [statement()]}}, "lattice:network.authPolicy: Version must be"),
    ({"extraStatements": [statement(Action="*")]}, "lattice:network.extraStatements: statement 0: Action '*'"),
])
def test_the_network_takes_the_same_checks(overrides, expected):
    raw = {"network": {"name": "dev-services", **overrides}, "accounts": {"platform": {"id": "111111111111"}},
           "networkAccount": "platform"}
    found = problems(raw, NetworkStackConfig)
    assert any(expected in line for line in found), found


def test_every_documented_condition_key_and_a_deny_with_not_principal_are_accepted():
    # GIVEN the keys issue #14 names, Allow and Deny, NotPrincipal in a Deny
    policy = document(
        statement(Condition={
            "StringEquals": {"aws:PrincipalOrgID": "o-a1b2c3d4e5", "aws:PrincipalTag/team": "orders",
                             "vpc-lattice-svcs:SourceVpc": "vpc-backend1", "vpc-lattice-svcs:RequestMethod": ["GET", "HEAD"],
                             "vpc-lattice-svcs:RequestHeader/x-client": "web"},
            "Bool": {"aws:SecureTransport": "true"},
        }),
        {"Effect": "Deny", "NotPrincipal": {"AWS": ROLE}, "Action": "vpc-lattice-svcs:*", "Resource": "*"},
    )
    # WHEN read THEN accepted as written
    parsed = parse(AccountStackConfig, account_config(authPolicy=policy), SOURCE)
    assert parsed.services["orders"].auth_policy_document == policy


# --------------------------------------------------------------------------------------------------------------
# Policy files next to the stack file
# --------------------------------------------------------------------------------------------------------------


def test_a_policy_file_is_read_relative_to_the_stack_file(tmp_path):
    # GIVEN a policy in policies/ next to the stack file
    (tmp_path / "policies").mkdir()
    policy = document(statement())
    (tmp_path / "policies" / "orders.json").write_text(json.dumps(policy))
    # WHEN the stack is read from that directory THEN the service holds the document
    with stack_directory(tmp_path):
        parsed = parse(AccountStackConfig, account_config(authPolicyFile="policies/orders.json"), SOURCE)
    assert parsed.services["orders"].auth_policy_document == policy
    assert "auth_policy_file" not in parsed.services["orders"].to_args()  # the component gets the document


@pytest.mark.parametrize("content, expected", [
    (None, "cannot read"),
    ("{not json", "is not valid JSON"),
    (json.dumps(document(statement(Action="ec2:*"))), "policies/orders.json: statement 0: Action 'ec2:*'"),
], ids=["missing", "not JSON", "not a Lattice policy"])
def test_a_bad_policy_file_is_named_in_the_error(tmp_path, content, expected):
    if content is not None:
        (tmp_path / "policies").mkdir()
        (tmp_path / "policies" / "orders.json").write_text(content)
    with stack_directory(tmp_path):
        found = problems(account_config(authPolicyFile="policies/orders.json"))
    [line] = found
    assert line.startswith("lattice:services.orders.authPolicyFile: ")
    assert expected in line and "orders.json" in line


def test_a_bad_policy_file_stops_the_stack_before_anything_is_registered(tmp_path):
    # GIVEN the dev orders stack whose inventory policy file names an action Lattice does not have
    shutil_copy(tmp_path)
    path = tmp_path / "stacks" / "policies" / "inventory-service.json"
    broken = json.loads(path.read_text())
    broken["Statement"][0]["Action"] = "lambda:InvokeFunction"
    path.write_text(json.dumps(broken))
    network = offline.run_network_stack("dev", tmp_path)
    # WHEN the stack runs THEN it stops with the file and key named, nothing registered
    with pytest.raises(ConfigError) as raised:
        offline.run_account_stack("orders-dev", network.outputs, "organization/lattice-network/dev", tmp_path)
    assert raised.value.registrations == []
    assert "stacks/Pulumi.orders-dev.yaml" in str(raised.value)
    assert "lattice:services.inventory-service.authPolicyFile: policies/inventory-service.json: statement 0" in str(raised.value)


def shutil_copy(tmp_path):
    import shutil

    for name in ("Pulumi.yaml", "Pulumi.dev.yaml"):
        shutil.copy(offline.REPO_ROOT / name, tmp_path / name)
    shutil.copytree(offline.REPO_ROOT / "stacks", tmp_path / "stacks")


# --------------------------------------------------------------------------------------------------------------
# Short forms: pure functions that only ever narrow the generated policy
# --------------------------------------------------------------------------------------------------------------

METHODS = ["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"]


def decide(policy, *, method, org_id=None, principal=ROLE):
    caller = Caller(principal_arn=principal, vpc_id="vpc-backend1", org_id=org_id)
    verdict, _ = evaluate_policy(policy, Request(caller, NETWORK_ARN, SERVICE_ARN, method=method, path="/orders"), label="p")
    return verdict


@settings(max_examples=60, deadline=None)
@given(
    allowed=st.lists(st.sampled_from(METHODS), min_size=1, unique=True),
    method=st.sampled_from(METHODS),
    in_org=st.booleans(),
    named=st.booleans(),
)
def test_short_forms_allow_exactly_the_generated_policy_minus_what_they_exclude(allowed, method, in_org, named):
    # GIVEN a generated policy (a named role, or the organization) narrowed to some methods and the organization
    principals = [ROLE] if named else []
    generated = auth_policies.service_auth_policy(principals, ["o-a1b2c3d4e5"], NETWORK_ARN)
    narrowed = auth_policies.only_organizations(auth_policies.only_methods(generated, allowed), ["o-a1b2c3d4e5"])
    org = "o-a1b2c3d4e5" if in_org else None
    # WHEN any request is decided THEN the narrowed policy allows it iff the generated one does, the method is
    # listed and the caller is in the organization
    assert decide(narrowed, method=method, org_id=org) == (
        decide(generated, method=method, org_id=org) is True and method in allowed and in_org
    )


def test_extra_statements_come_after_the_generated_ones_and_a_deny_wins():
    generated = auth_policies.service_auth_policy([ROLE], [], NETWORK_ARN)
    deny_delete = statement(Effect="Deny", Principal="*", Condition={"StringEquals": {"vpc-lattice-svcs:RequestMethod": "DELETE"}})
    extended = auth_policies.with_statements(generated, [deny_delete])
    assert extended["Statement"][:-1] == generated["Statement"] and extended["Statement"][-1] == deny_delete
    assert decide(extended, method="GET") is True
    assert decide(extended, method="DELETE") is False


def test_organization_only_with_named_callers_does_not_open_the_service_to_the_organization():
    # GIVEN payment-service's callers: two roles, organizationOnly, organizationIds
    raw = account_config(allowedCallers={"principals": [ROLE], "organizationIds": ["o-a1b2c3d4e5"], "organizationOnly": True})
    spec = parse(AccountStackConfig, raw, SOURCE).services["orders"]
    from lattice_components.config import LatticeServiceSpec
    from lattice_components.inputs import service_inputs

    policy = service_inputs.auth_policy_document(
        LatticeServiceSpec.model_validate({"name": "orders", "service_network_arn": NETWORK_ARN, **spec.to_args()})
    )
    # THEN the role is allowed while in the organization, refused outside, and another role of it is refused
    assert decide(policy, method="GET", org_id="o-a1b2c3d4e5") is True
    assert decide(policy, method="GET", org_id=None) is False
    other = "arn:aws:iam::333333333333:role/Other"
    assert decide(policy, method="GET", org_id="o-a1b2c3d4e5", principal=other) is False


# --------------------------------------------------------------------------------------------------------------
# The access matrix evaluates them
# --------------------------------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def dev_rows():
    return topology.access_rows(offline.run_environment("dev"))


def cell(rows, caller, service):
    [row] = [r for r in rows if r["caller"] == caller and r["service"] == service]
    return row


def test_the_dev_matrix_shows_get_allowed_and_post_denied_from_the_hand_written_policy(dev_rows):
    # GIVEN inventory-service's policy file (mobile: GET and HEAD only) and MobileBackendRole sending GET and POST
    get, post = cell(dev_rows, "MobileBackendRole GET", "inventory-service"), cell(dev_rows, "MobileBackendRole POST", "inventory-service")
    assert get["allowed"] and any("MobileBackendReadsOnly" in reason for reason in get["reasons"])
    assert not post["allowed"] and post["evaluable"]


def test_the_dev_matrix_reads_declared_tags_and_the_deny(dev_rows):
    # GIVEN OrderServiceRole tagged team=orders, sending GET and DELETE
    get = cell(dev_rows, "OrderServiceRole GET", "inventory-service")
    assert get["allowed"] and any("OrdersTeamOfTheOrganization" in reason for reason in get["reasons"])
    delete = cell(dev_rows, "OrderServiceRole DELETE", "inventory-service")
    assert not delete["allowed"] and any("NoDeletes" in r and "explicitly denies" in r for r in delete["reasons"])


def test_an_undeclared_callers_tags_are_unknown_so_its_cell_says_so(dev_rows):
    # GIVEN the inventory policy admits principals of the organization by tag, and nobody declared UndeclaredRole
    undeclared = {r["vpc"]: r for r in dev_rows if r["caller"] == "UndeclaredRole" and r["service"] == "inventory-service"}
    # THEN inside the organization its cell cannot be decided, and says which key it needs
    for vpc in ("vpc-backend1", "vpc-frontend"):
        assert not undeclared[vpc]["allowed"] and not undeclared[vpc]["evaluable"]
        assert any("aws:PrincipalTag/team" in reason for reason in undeclared[vpc]["reasons"])
    # AND outside it the organization condition decides, whatever its tags: denied
    assert not undeclared["vpc-mobileb2"]["allowed"] and undeclared["vpc-mobileb2"]["evaluable"]


@pytest.mark.parametrize("protocol, port, secure", [("HTTPS", 443, True), ("HTTP", 80, False)])
def test_secure_transport_is_what_the_listener_speaks(protocol, port, secure):
    # GIVEN a service whose policy allows only over TLS
    policy = json.dumps(document(statement(Principal="*", Condition={"Bool": {"aws:SecureTransport": "true"}})))
    network = access.ServiceNetwork(NETWORK_ARN, vpc_associations={"vpc-backend1": ()}, service_arns=frozenset({SERVICE_ARN}))
    svc = access.Service(SERVICE_ARN, auth_type="AWS_IAM", auth_policy=policy, listeners=(access.Listener(port, protocol),))
    caller = Caller(principal_arn=ROLE, vpc_id="vpc-backend1")
    # WHEN evaluated THEN allowed exactly over HTTPS
    decision = access.evaluate(Request(caller, NETWORK_ARN, SERVICE_ARN, method="GET", path="/"), access.Topology([network], [svc]))
    assert decision.allowed is secure and decision.evaluable


def test_not_principal_denies_everyone_but_the_listed_role():
    policy = document(
        statement(Principal="*"),
        {"Effect": "Deny", "NotPrincipal": {"AWS": ROLE}, "Action": "vpc-lattice-svcs:Invoke", "Resource": "*"},
    )
    assert decide(policy, method="GET") is True
    assert decide(policy, method="GET", principal="arn:aws:iam::333333333333:role/Other") is False


def test_hand_written_policies_pass_the_api_model_check(dev_rows):
    from lattice_components.apimodel import check_resource

    env = offline.run_environment("dev")
    for run in env.runs:
        for resource in run.of_type("aws:vpclattice/authPolicy:AuthPolicy"):
            assert check_resource(resource.type, resource.inputs) == [], resource.name


def test_prod_extends_the_generated_network_policy_with_a_deny_on_clear_text():
    # GIVEN Pulumi.prod.yaml's extraStatements WHEN the network stack runs THEN the generated statements come
    # first, the Deny last, and the policy still passes the API model
    from lattice_components.apimodel import check_resource

    network = offline.run_network_stack("prod")
    [resource] = network.of_type("aws:vpclattice/authPolicy:AuthPolicy")
    statements = json.loads(resource.inputs["policy"])["Statement"]
    assert [s.get("Sid") for s in statements] == ["AllowMemberAccounts", "AllowOrganization", "DenyInsecureTransport"]
    assert check_resource(resource.type, resource.inputs) == []


@pytest.mark.parametrize("existing, wanted, expected", [
    (None, ["GET", "HEAD"], ["GET", "HEAD"]),
    ("GET", ["GET", "HEAD"], "GET"),
    (["GET", "POST"], ["GET", "HEAD"], "GET"),
])
def test_a_short_form_meeting_a_condition_on_the_same_key_keeps_only_what_both_allow(existing, wanted, expected):
    condition = {"StringEquals": {"vpc-lattice-svcs:RequestMethod": existing}} if existing else {}
    narrowed = auth_policies.only_methods(document(statement(Condition=condition)), wanted)
    assert narrowed["Statement"][0]["Condition"]["StringEquals"]["vpc-lattice-svcs:RequestMethod"] == expected


def test_a_short_form_that_leaves_a_statement_nothing_is_refused_not_written():
    with pytest.raises(ValueError, match="nothing is both"):
        auth_policies.only_methods(document(statement(Condition={"StringEquals": {"vpc-lattice-svcs:RequestMethod": "POST"}})), ["GET"])


@pytest.mark.parametrize("callers, expected", [
    ({"OrderServiceRole": {"methods": ["FETCH"]}}, "lattice:callers.OrderServiceRole.methods[0]: 'FETCH' is not one of"),
    ({"OrderServiceRole": {"methods": []}}, "lattice:callers.OrderServiceRole.methods: has 0 items, below the minimum 1"),
    ({"Order Service": {}}, "lattice:callers"),
    ({"OrderServiceRole": {"headers": {"x client": "a"}}}, "lattice:callers.OrderServiceRole.headers"),
    ({"OrderServiceRole": {"team": "orders"}}, "lattice:callers.OrderServiceRole.team: is not a known setting"),
], ids=["unknown method", "no method", "not a role name", "not a header name", "tags not under tags"])
def test_a_bad_caller_declaration_is_refused_with_its_key_path(callers, expected):
    found = problems({"account": "orders", "networkStack": "o/lattice-network/dev", "callers": callers})
    assert any(expected in line for line in found), found
