"""Auth policy documents: what may open a Lattice service to callers it was not meant for."""

from __future__ import annotations

import json

import pytest
from pulumi_policy.proxy import UNKNOWN_STRING_VALUE as UNKNOWN

import policy_examples as ex
from lattice_components.policies.auth_policy_checks import AUTH_POLICY, MAX_POLICY_BYTES, check_auth_policy_document
from lattice_components.policies.policy_inputs import Unknown

SN_ARN = f"arn:aws:vpc-lattice:eu-west-1:{ex.ACCOUNT}:servicenetwork/sn-1"


def check(props, config=None):
    return list(check_auth_policy_document(ex.resource(AUTH_POLICY, "orders-auth", props), config or {}))


def test_everyone_inside_the_organisation_may_invoke():
    assert check(ex.auth_policy()) == []


@pytest.mark.parametrize(
    "condition",
    [
        {"StringEquals": {"aws:PrincipalOrgID": ex.ORG_ID}},
        {"StringEquals": {"AWS:principalaccount": [ex.ACCOUNT]}},  # condition keys are case-insensitive
        {"ForAnyValue:StringLike": {"aws:PrincipalOrgPaths": ["o-a1b2c3d4e5/r-ab12/ou-ab12-11111111/*"]}},
        {"StringEquals": {"vpc-lattice-svcs:SourceVpc": "vpc-0123456789abcdef0"}},
        {"StringEquals": {"vpc-lattice-svcs:SourceVpcOwnerAccount": ex.ACCOUNT}},
        {"ArnEquals": {"vpc-lattice-svcs:ServiceNetworkArn": SN_ARN}},
    ],
)
def test_principal_star_is_fine_when_a_condition_confines_it(condition):
    assert check(ex.auth_policy(ex.org_policy_document(Condition=condition))) == []


@pytest.mark.parametrize(
    "condition",
    [
        None,
        {"StringNotEquals": {"aws:PrincipalOrgID": ex.ORG_ID}},  # everyone else
        {"StringEqualsIfExists": {"aws:PrincipalOrgID": ex.ORG_ID}},  # anonymous callers have no org
        {"ForAllValues:StringEquals": {"aws:PrincipalOrgID": [ex.ORG_ID]}},  # true on an empty set
        {"StringLike": {"aws:PrincipalOrgID": "*"}},  # matches any org
        {"StringEquals": {"vpc-lattice-svcs:RequestMethod": "GET"}},  # narrows requests, not callers
    ],
)
def test_principal_star_without_a_confining_condition_is_refused(condition):
    # GIVEN an Allow to Principal "*" whose condition does not pin callers down
    document = ex.org_policy_document(Condition=condition) if condition else ex.org_policy_document()
    if condition is None:
        del document["Statement"][0]["Condition"]
    # WHEN checked THEN one violation names the statement and suggests aws:PrincipalOrgID
    [message] = check(ex.auth_policy(document))
    assert "statement #0" in message and "aws:PrincipalOrgID" in message


@pytest.mark.parametrize("principal", ["*", {"AWS": "*"}, {"AWS": ["arn:aws:iam::111122223333:root", "*"]}])
def test_every_spelling_of_everyone_counts(principal):
    document = ex.org_policy_document(Principal=principal)
    del document["Statement"][0]["Condition"]
    assert len(check(ex.auth_policy(document))) == 1


def test_named_principals_need_no_condition():
    document = ex.org_policy_document(Principal={"AWS": "arn:aws:iam::111122223333:role/orders-client"})
    del document["Statement"][0]["Condition"]
    assert check(ex.auth_policy(document)) == []


@pytest.mark.parametrize("action", ["*", "vpc-lattice-svcs:*", ["vpc-lattice-svcs:Invoke", "VPC-LATTICE-SVCS:*"]])
def test_wildcard_actions_to_everyone_are_refused_even_when_confined(action):
    [message] = check(ex.auth_policy(ex.org_policy_document(Action=action, Sid="Broad")))
    assert "statement 'Broad'" in message and "vpc-lattice-svcs:Invoke" in message


def test_not_principal_and_not_action_are_treated_as_everyone_and_everything():
    document = ex.org_policy_document()
    statement = document["Statement"][0]
    statement["NotPrincipal"] = {"AWS": "arn:aws:iam::111122223333:role/blocked"}
    del statement["Principal"], statement["Action"]
    statement["NotAction"] = "vpc-lattice-svcs:Connect"
    [message] = check(ex.auth_policy(document))
    assert "NotAction" in message


def test_deny_statements_are_never_a_problem():
    document = ex.org_policy_document(Effect="Deny", Action="*")
    del document["Statement"][0]["Condition"]
    assert check(ex.auth_policy(document)) == []


@pytest.mark.parametrize(
    "policy, says",
    [
        ("{not json", "not valid JSON"),
        (json.dumps({**ex.org_policy_document(), "Version": "2008-10-17"}), "Version is '2008-10-17'"),
        (json.dumps({"Version": "2012-10-17", "Statement": []}), "no Statement"),
        (json.dumps(["Version"]), "must be a JSON object"),
    ],
)
def test_malformed_documents_are_refused(policy, says):
    [message] = check({"policy": policy})
    assert says in message and "'orders-auth'" in message


def test_documents_over_the_10_kb_quota_are_refused():
    # GIVEN a valid document padded with many named principals past 10 KB
    roles = [f"arn:aws:iam::111122223333:role/client-{i:04d}" for i in range(300)]
    document = ex.org_policy_document(Principal={"AWS": roles})
    text = json.dumps(document)
    assert len(text) > MAX_POLICY_BYTES
    # WHEN checked THEN only the size is the problem
    [message] = check({"policy": text})
    assert f"over the fixed VPC Lattice quota of {MAX_POLICY_BYTES} bytes" in message


def test_configured_condition_keys_replace_the_defaults():
    document = ex.org_policy_document(Condition={"StringEquals": {"aws:SourceAccount": ex.ACCOUNT}})
    assert len(check(ex.auth_policy(document))) == 1
    assert check(ex.auth_policy(document), {"confiningConditionKeys": ["aws:SourceAccount"]}) == []


def test_a_policy_unknown_during_preview_is_undecided():
    with pytest.raises(Unknown):
        check({"policy": UNKNOWN})
