"""The class "a policy that lets everyone in", generated: principal shapes x condition operators x value shapes
x casing, for auth policies and resource policies, judged by the pure check, by the evaluator the access matrix
uses, and by the running pack over the analyzer protocol.

GIVEN an Allow statement whose principal names everyone
WHEN its condition does not pin callers to concrete values (table NOT_CONFINING)
THEN the pack refuses it, and the evaluator lets some outsider in (or cannot decide); never a quiet pass.
WHEN its condition does pin callers (table CONFINING)
THEN the pack accepts it, and the evaluator denies every outsider.
"""

from __future__ import annotations

import itertools
import json

import pytest

import policy_examples as ex
from lattice_components.iam.confinement import confinement, open_principal_findings
from lattice_components.iam.evaluator import Caller, Request, evaluate_policy
from lattice_components.policies.auth_policy_checks import AUTH_POLICY, RESOURCE_POLICY, check_auth_policy_document

SN_ARN = f"arn:aws:vpc-lattice:eu-west-1:{ex.ACCOUNT}:servicenetwork/sn-0123456789abcdef0"
SVC_ARN = f"arn:aws:vpc-lattice:eu-west-1:{ex.ACCOUNT}:service/svc-0123456789abcdef0"
VPC = "vpc-0123456789abcdef0"
OPEN = "no condition that confines the callers"

OPEN_PRINCIPALS = {
    "star": {"Principal": "*"},
    "aws-star": {"Principal": {"AWS": "*"}},
    "aws-star-list": {"Principal": {"AWS": ["*"]}},
    "star-among-named": {"Principal": {"AWS": [f"arn:aws:iam::{ex.ACCOUNT}:root", "*"]}},
    "any-account-root": {"Principal": {"AWS": "arn:aws:iam::*:root"}},
    "account-pattern": {"Principal": {"AWS": "arn:aws:iam::11112222333?:root"}},
    "any-role-of-account": {"Principal": {"AWS": f"arn:aws:iam::{ex.ACCOUNT}:role/*"}},
    "service-star": {"Principal": {"Service": "*"}},
    "not-principal": {"NotPrincipal": {"AWS": f"arn:aws:iam::{ex.ACCOUNT}:role/blocked"}},
}

# Keys the evaluator models, so the matrix can be asked the same question (aws:PrincipalOrgPaths is not).
CONFINING = {
    "org": {"StringEquals": {"aws:PrincipalOrgID": ex.ORG_ID}},
    "org-key-upper-case": {"StringEquals": {"AWS:PRINCIPALORGID": ex.ORG_ID}},
    "org-ignore-case": {"StringEqualsIgnoreCase": {"aws:PrincipalOrgID": ex.ORG_ID}},
    "org-like-without-wildcard": {"StringLike": {"aws:PrincipalOrgID": [ex.ORG_ID]}},
    "account": {"StringEquals": {"aws:PrincipalAccount": [ex.ACCOUNT]}},
    "account-as-number": {"StringEquals": {"aws:PrincipalAccount": int(ex.ACCOUNT)}},
    "principal-arn": {"ArnEquals": {"aws:PrincipalArn": f"arn:aws:iam::{ex.ACCOUNT}:role/orders"}},
    "source-vpc": {"StringEquals": {"vpc-lattice-svcs:SourceVpc": VPC}},
    "vpc-owner": {"StringEquals": {"vpc-lattice-svcs:SourceVpcOwnerAccount": ex.ACCOUNT}},
    "network-arn": {"ArnLike": {"vpc-lattice-svcs:ServiceNetworkArn": SN_ARN}},
    "for-any-value": {"ForAnyValue:StringEquals": {"aws:PrincipalOrgID": [ex.ORG_ID]}},
    "confining-beside-a-negation": {
        "StringEquals": {"aws:PrincipalOrgID": ex.ORG_ID}, "StringNotEquals": {"aws:PrincipalAccount": "999999999999"}},
}

NOT_CONFINING = {
    "no-condition": None,
    "empty-condition": {},
    # operators that do not confine
    "negated": {"StringNotEquals": {"aws:PrincipalOrgID": ex.ORG_ID}},
    "negated-like": {"StringNotLike": {"aws:PrincipalOrgID": ex.ORG_ID}},
    "negated-arn": {"ArnNotEquals": {"vpc-lattice-svcs:ServiceNetworkArn": SN_ARN}},
    "negated-ignore-case": {"StringNotEqualsIgnoreCase": {"aws:PrincipalAccount": ex.ACCOUNT}},
    "if-exists": {"StringEqualsIfExists": {"aws:PrincipalOrgID": ex.ORG_ID}},
    "arn-if-exists": {"ArnLikeIfExists": {"aws:PrincipalArn": f"arn:aws:iam::{ex.ACCOUNT}:role/orders"}},
    "for-all-values": {"ForAllValues:StringEquals": {"aws:PrincipalOrgID": [ex.ORG_ID]}},
    "null-presence": {"Null": {"aws:PrincipalOrgID": "false"}},
    "bool": {"Bool": {"aws:SecureTransport": "true"}},
    "numeric": {"NumericEquals": {"vpc-lattice-svcs:Port": 443}},
    "operator-lower-case": {"stringequals": {"aws:PrincipalOrgID": ex.ORG_ID}},
    "operator-made-up": {"StringMatches": {"aws:PrincipalOrgID": ex.ORG_ID}},
    # values that do not confine
    "star-value": {"StringLike": {"aws:PrincipalOrgID": "*"}},
    "any-org": {"StringLike": {"aws:PrincipalOrgID": "o-*"}},
    "org-pattern": {"StringLike": {"aws:PrincipalOrgID": "o-a1b2c3d4e?"}},
    "any-vpc": {"StringLike": {"vpc-lattice-svcs:SourceVpc": "vpc-*"}},
    "any-account-digits": {"StringLike": {"aws:PrincipalAccount": "????????????"}},
    "any-network": {"ArnLike": {"vpc-lattice-svcs:ServiceNetworkArn": "arn:aws:vpc-lattice:*:*:servicenetwork/*"}},
    "arn-equals-wildcard": {"ArnEquals": {"aws:PrincipalArn": "arn:aws:iam::*:role/orders"}},
    "star-among-values": {"StringEquals": {"aws:PrincipalOrgID": [ex.ORG_ID, "*"]}},
    "literal-star-equals": {"StringEquals": {"aws:PrincipalOrgID": "*"}},
    "policy-variable": {"StringEquals": {"aws:PrincipalOrgID": "${aws:PrincipalOrgID}"}},
    "policy-variable-account": {"StringEquals": {"vpc-lattice-svcs:SourceVpcOwnerAccount": "${aws:PrincipalAccount}"}},
    "empty-string": {"StringEquals": {"aws:PrincipalOrgID": ""}},
    "no-values": {"StringEquals": {"aws:PrincipalOrgID": []}},
    "org-paths-any-org": {"ForAnyValue:StringLike": {"aws:PrincipalOrgPaths": ["o-*/*"]}},
    # keys that narrow the request, not the caller
    "request-method": {"StringEquals": {"vpc-lattice-svcs:RequestMethod": "GET"}},
    "service-arn": {"StringEquals": {"vpc-lattice-svcs:ServiceArn": SVC_ARN}},
    "principal-type": {"StringEquals": {"aws:PrincipalType": "AssumedRole"}},
    "unmodelled-key": {"StringEquals": {"aws:SourceAccount": ex.ACCOUNT}},
}


def statement(principal: dict, condition, **extra) -> dict:
    base = {"Effect": "Allow", **principal, "Action": "vpc-lattice-svcs:Invoke", "Resource": "*", **extra}
    return base if condition is None else {**base, "Condition": condition}


def document(*statements: dict) -> dict:
    return {"Version": "2012-10-17", "Statement": list(statements)}


def check(doc, type_=AUTH_POLICY, config=None) -> list[str]:
    text = doc if isinstance(doc, str) else json.dumps(doc)
    return list(check_auth_policy_document(ex.resource(type_, "policy", {"policy": text}), config or {}))


OPEN_CASES = list(itertools.product(OPEN_PRINCIPALS, NOT_CONFINING, (AUTH_POLICY, RESOURCE_POLICY)))
CONFINED_CASES = list(itertools.product(OPEN_PRINCIPALS, CONFINING, (AUTH_POLICY, RESOURCE_POLICY)))


@pytest.mark.parametrize("principal, condition, type_", OPEN_CASES)
def test_every_open_principal_without_a_confining_condition_is_refused(principal, condition, type_):
    findings = check(document(statement(OPEN_PRINCIPALS[principal], NOT_CONFINING[condition])), type_)
    assert [f for f in findings if OPEN in f], findings


@pytest.mark.parametrize("principal, condition, type_", CONFINED_CASES)
def test_every_open_principal_with_a_confining_condition_is_accepted(principal, condition, type_):
    assert check(document(statement(OPEN_PRINCIPALS[principal], CONFINING[condition])), type_) == []


@pytest.mark.parametrize("condition", NOT_CONFINING)
def test_a_confining_clause_rescues_any_non_confining_one_because_conditions_are_anded(condition):
    # GIVEN a non-confining clause next to a confining one on a different key
    combined = {**(NOT_CONFINING[condition] or {})}
    combined.setdefault("ArnEquals", {})
    combined["ArnEquals"] = {**combined["ArnEquals"], "vpc-lattice-svcs:ServiceNetworkArn": SN_ARN}
    confined, reasons = confinement(statement(OPEN_PRINCIPALS["star"], combined))
    # THEN the statement is confined, and the reason names the clause that does it
    assert confined and "ServiceNetworkArn confines it" in reasons[0]


@pytest.mark.parametrize("effect", ["Allow", "allow", "ALLOW", "Permit", None])
@pytest.mark.parametrize("principal", ["star", "aws-star-list", "not-principal"])
def test_a_misspelt_effect_is_invalid_and_still_judged_as_an_allow(effect, principal):
    body = statement(OPEN_PRINCIPALS[principal], None)
    if effect is None:
        del body["Effect"]
    else:
        body["Effect"] = effect
    findings = check(document(body))
    assert [f for f in findings if OPEN in f], findings
    assert (effect == "Allow") == (not [f for f in findings if "IAM refuses" in f and "Effect" in f])


@pytest.mark.parametrize("principal", OPEN_PRINCIPALS)
def test_deny_statements_to_everyone_are_never_open(principal):
    assert check(document(statement(OPEN_PRINCIPALS[principal], None, Effect="Deny"))) == []


@pytest.mark.parametrize("element", ["effect", "principal", "condition", "action", "EFFECT"])
def test_element_names_are_case_sensitive(element):
    # GIVEN a statement confined by condition, with one element name mis-cased
    body = statement(OPEN_PRINCIPALS["star"], CONFINING["org"])
    real = {"effect": "Effect", "principal": "Principal", "condition": "Condition", "action": "Action",
            "EFFECT": "Effect"}[element]
    body[element] = body.pop(real)
    # THEN IAM would refuse it: the pack says so, naming the element
    findings = check(document(body))
    assert any(f"unknown element {element!r}" in f for f in findings), findings
    if element in ("condition",):  # the condition no longer counts, so everyone is let in
        assert any(OPEN in f for f in findings)


@pytest.mark.parametrize(
    "text",
    [
        '{"Version": "2012-10-17", "Statement": [{"Effect": "Deny", "Effect": "Allow", "Principal": "*", '
        '"Action": "vpc-lattice-svcs:Invoke", "Resource": "*"}]}',
        '{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": "*", "Action": '
        '"vpc-lattice-svcs:Invoke", "Resource": "*", "Condition": {"StringEquals": {"aws:PrincipalOrgID": '
        '"o-a1b2c3d4e5"}}, "Condition": {}}]}',
        '{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": "*", "Action": '
        '"vpc-lattice-svcs:Invoke", "Resource": "*", "Condition": {"StringEquals": {"aws:PrincipalOrgID": '
        '"o-a1b2c3d4e5", "aws:PrincipalOrgID": "o-zzzzzzzzzz"}}}]}',
        '{"Version": "2012-10-17", "Version": "2012-10-17", "Statement": []}',
        '{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {"AWS": "111122223333", '
        '"AWS": "*"}, "Action": "vpc-lattice-svcs:Invoke", "Resource": "*"}]}',
    ],
    ids=["effect", "condition", "condition-key", "version", "principal-type"],
)
@pytest.mark.parametrize("type_", [AUTH_POLICY, RESOURCE_POLICY])
def test_a_document_with_a_duplicate_key_is_refused(text, type_):
    [finding] = check(text, type_)
    assert "appears twice" in finding and "IAM" in finding


@pytest.mark.parametrize(
    "action", ["*", "vpc-lattice-svcs:*", "VPC-LATTICE-SVCS:*", "Vpc-Lattice-Svcs:*", "vpc-lattice-svcs:In*",
               ["vpc-lattice-svcs:Invoke", "vpc-lattice-svcs:*"], "vpc-lattice:*"],
)
def test_wildcard_actions_to_everyone_are_refused_in_any_casing_even_when_confined(action):
    findings = check(document(statement(OPEN_PRINCIPALS["star"], CONFINING["org"], Action=action)))
    assert len(findings) == 1 and "to everyone" in findings[0]


# -- the matrix agrees ----------------------------------------------------------------------------------------
OUTSIDERS = [
    Caller("arn:aws:iam::999999999999:role/stranger", vpc_id="vpc-0fffffffffffffff0", org_id="o-zzzzzzzzzz"),
    Caller("arn:aws:iam::999999999999:role/stranger", vpc_id="vpc-0fffffffffffffff0"),  # in no organization
    Caller(None, vpc_id="vpc-0fffffffffffffff0"),  # anonymous
    # a neighbour: same role name, an organization id one character away from ours
    Caller("arn:aws:iam::999999999999:role/orders", vpc_id="vpc-0fffffffffffffff0", org_id=ex.ORG_ID[:-1] + "z"),
]
# Refused by the pack although IAM would compare them literally and let no outsider in: a `*` under
# StringEquals and an empty value are almost always a mistaken attempt at a pattern, so the pack asks for the
# exact values instead of passing a condition that does not say what it seems to.
STRICTER_THAN_IAM = {"star-among-values", "literal-star-equals", "empty-string"}
OTHER_NETWORK = "arn:aws:vpc-lattice:eu-west-1:999999999999:servicenetwork/sn-0fffffffffffffff0"


def verdicts(doc: dict) -> list[bool | None]:
    requests = [Request(c, OTHER_NETWORK, SVC_ARN, method="GET", path="/") for c in OUTSIDERS]
    return [evaluate_policy(doc, r, label="auth policy", port=443)[0] for r in requests]


@pytest.mark.parametrize("condition", CONFINING)
def test_what_the_pack_calls_confined_the_evaluator_denies_to_every_outsider(condition):
    assert verdicts(document(statement(OPEN_PRINCIPALS["star"], CONFINING[condition]))) == [False] * len(OUTSIDERS)


@pytest.mark.parametrize("condition", sorted(set(NOT_CONFINING) - STRICTER_THAN_IAM))
def test_what_the_pack_calls_open_the_evaluator_lets_some_outsider_in_or_cannot_decide(condition):
    doc = document(statement(OPEN_PRINCIPALS["star"], NOT_CONFINING[condition]))
    assert open_principal_findings(doc)
    assert any(verdict is not False for verdict in verdicts(doc)), (condition, verdicts(doc))


@pytest.mark.parametrize("condition", sorted(STRICTER_THAN_IAM))
def test_literal_stars_and_empty_values_are_refused_though_iam_would_compare_them_literally(condition):
    doc = document(statement(OPEN_PRINCIPALS["star"], NOT_CONFINING[condition]))
    assert open_principal_findings(doc) and verdicts(doc) == [False] * len(OUTSIDERS)


@pytest.mark.parametrize("action", ["VPC-LATTICE-SVCS:invoke", "vpc-lattice-svcs:INVOKE", "*", "vpc-lattice-svcs:*"])
def test_the_evaluator_compares_action_names_case_insensitively(action):
    doc = document(statement({"Principal": {"AWS": "arn:aws:iam::999999999999:role/stranger"}}, None, Action=action))
    assert verdicts(doc)[0] is True


def test_the_evaluator_refuses_to_evaluate_a_document_with_a_duplicate_key():
    text = ('{"Version": "2012-10-17", "Statement": [{"Effect": "Deny", "Effect": "Allow", "Principal": "*", '
            '"Action": "*", "Resource": "*"}]}')
    request = Request(OUTSIDERS[0], OTHER_NETWORK, SVC_ARN, method="GET", path="/")
    verdict, reasons = evaluate_policy(text, request, label="auth policy")
    assert verdict is None and "appears twice" in reasons[0]


# -- the running pack ---------------------------------------------------------------------------------------
def _sample(cases: list[tuple], stride: int) -> list[tuple]:
    """Every condition and every principal at least once, without running the whole product over gRPC."""
    return [case for i, case in enumerate(cases) if i % stride == 0 or case[0] == "star"]


@pytest.mark.parametrize("principal, condition, type_", _sample(OPEN_CASES, 7))
def test_the_running_pack_refuses_open_variants(pack, principal, condition, type_):
    props = {"policy": json.dumps(document(statement(OPEN_PRINCIPALS[principal], NOT_CONFINING[condition])))}
    diagnostics = pack.analyze({"type": type_, "name": "policy", "props": props})
    refused = [d for d in diagnostics if d.policy_name == "lattice-auth-policy-document"]
    assert [d for d in refused if d.enforcement_level == "mandatory" and OPEN in d.message], refused


@pytest.mark.parametrize("principal, condition, type_", _sample(CONFINED_CASES, 11))
def test_the_running_pack_accepts_confined_variants(pack, principal, condition, type_):
    props = {"policy": json.dumps(document(statement(OPEN_PRINCIPALS[principal], CONFINING[condition])))}
    diagnostics = pack.analyze({"type": type_, "name": "policy", "props": props})
    assert [d for d in diagnostics if d.policy_name == "lattice-auth-policy-document"] == []


def test_the_running_pack_refuses_a_duplicate_key(pack):
    text = ('{"Version": "2012-10-17", "Statement": [{"Effect": "Deny", "Effect": "Allow", "Principal": "*", '
            '"Action": "vpc-lattice-svcs:Invoke", "Resource": "*"}]}')
    diagnostics = pack.analyze({"type": AUTH_POLICY, "name": "policy", "props": {"policy": text}})
    [refused] = [d for d in diagnostics if d.policy_name == "lattice-auth-policy-document"]
    assert "appears twice" in refused.message and refused.enforcement_level == "mandatory"
