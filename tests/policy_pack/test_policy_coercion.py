"""Values as pulumi-aws will send them, not as they were typed: every boolean and number the checks read, in
every spelling the provider coerces, and every nested block left out.

GIVEN a resource whose deciding value is a string the provider coerces ("false", "0", "100"...)
WHEN the pack judges it
THEN it judges the coerced value; a value the provider cannot read is a violation, never a pass or a crash.
"""

from __future__ import annotations

import pytest

import policy_examples as ex
from lattice_components.policies import resource_checks as rc
from lattice_components.policies.policy_inputs import as_bool, as_number

TRUE_SPELLINGS = [True, "true", "True", "TRUE", "t", "T", "1"]
FALSE_SPELLINGS = [False, "false", "False", "FALSE", "f", "F", "0"]
NOT_BOOLEANS = ["no", "yes", "off", "on", "", "disabled", " false", 0, 1, 0.0, [], {}]


def run(check, type_, props, config=None):
    return list(check(ex.resource(type_, "res", props), config or {}))


def health_check(**values):
    props = ex.target_group()
    props["config"]["healthCheck"] = {"path": "/health", **values}
    return props


# -- booleans ------------------------------------------------------------------------------------------------
@pytest.mark.parametrize("value", FALSE_SPELLINGS)
def test_every_spelling_of_false_disables_the_health_check(value):
    [message] = run(rc.check_target_group_health_check, rc.TARGET_GROUP, health_check(enabled=value))
    assert "health check is disabled" in message


@pytest.mark.parametrize("value", TRUE_SPELLINGS)
def test_every_spelling_of_true_enables_it(value):
    assert run(rc.check_target_group_health_check, rc.TARGET_GROUP, health_check(enabled=value)) == []


@pytest.mark.parametrize("value", NOT_BOOLEANS)
def test_a_value_the_provider_cannot_read_as_a_boolean_is_a_violation(value):
    [message] = run(rc.check_target_group_health_check, rc.TARGET_GROUP, health_check(enabled=value))
    assert "config.healthCheck.enabled" in message and "not a boolean" in message


@pytest.mark.parametrize("value", TRUE_SPELLINGS)
def test_every_spelling_of_true_opens_a_share_to_external_principals(value):
    props = ex.ram_share(allowExternalPrincipals=value)
    [message] = run(rc.check_ram_share_external_principals, rc.RESOURCE_SHARE, props)
    assert "allowExternalPrincipals=true" in message
    allowed = {"allowedExternalShares": ["core-network-share"]}
    assert run(rc.check_ram_share_external_principals, rc.RESOURCE_SHARE, props, allowed) == []


@pytest.mark.parametrize("value", FALSE_SPELLINGS)
def test_every_spelling_of_false_keeps_a_share_inside(value):
    props = ex.ram_share(allowExternalPrincipals=value)
    assert run(rc.check_ram_share_external_principals, rc.RESOURCE_SHARE, props) == []


@pytest.mark.parametrize("value", NOT_BOOLEANS)
def test_an_unreadable_external_principals_flag_is_a_violation(value):
    props = ex.ram_share(allowExternalPrincipals=value)
    [message] = run(rc.check_ram_share_external_principals, rc.RESOURCE_SHARE, props)
    assert "allowExternalPrincipals" in message and "not a boolean" in message


# -- numbers -------------------------------------------------------------------------------------------------
def forward(*weights):
    groups = [{"targetGroupIdentifier": f"tg-{i}", "weight": w} for i, w in enumerate(weights)]
    return ex.listener(defaultAction={"forwards": [{"targetGroups": groups}]})


@pytest.mark.parametrize("zero", [0.0, 0, "0", "0.0", " 0", "-0"])
@pytest.mark.parametrize("hundred", [100.0, 100, "100", "100.0", " 100 "])
def test_weights_written_as_strings_are_read_as_numbers(zero, hundred):
    [message] = run(rc.check_forward_weights, rc.LISTENER, forward(hundred, zero))
    assert "forgotten canary" in message


@pytest.mark.parametrize("weights", [("90", "10"), ("50", 50.0), (1, "1")])
def test_real_splits_written_as_strings_pass(weights):
    assert run(rc.check_forward_weights, rc.LISTENER, forward(*weights)) == []


@pytest.mark.parametrize("weight", ["heavy", "", "ten", "0x10", "nan", True, [], {}])
def test_a_weight_the_provider_cannot_read_as_a_number_is_a_violation(weight):
    [message] = run(rc.check_forward_weights, rc.LISTENER, forward(100.0, weight))
    assert "defaultAction.forwards[0].targetGroups[1].weight" in message and "not a number" in message


def test_coercion_helpers_agree_with_the_tables():
    assert [as_bool(v, "x") for v in TRUE_SPELLINGS + FALSE_SPELLINGS] == [True] * 7 + [False] * 7
    assert as_number("  42 ", "x") == 42.0 and as_number(7, "x") == 7.0


# -- enums are not coerced -----------------------------------------------------------------------------------
@pytest.mark.parametrize("auth_type", ["NONE", None, "none", "aws_iam", "AWS_IAM ", "Aws_Iam", "", "IAM"])
def test_anything_but_exactly_aws_iam_is_an_open_service(auth_type):
    props = ex.service()
    if auth_type is None:
        del props["authType"]
    else:
        props["authType"] = auth_type
    [message] = run(rc.check_auth_type, rc.SERVICE, props)
    assert "without signing" in message


# -- absent blocks are absent --------------------------------------------------------------------------------
@pytest.mark.parametrize("group_type", ["INSTANCE", "IP", "ALB"])
@pytest.mark.parametrize("config", [None, {}, {"port": 80.0, "vpcIdentifier": "vpc-0123456789abcdef0"}])
def test_a_group_that_needs_a_protocol_and_has_none_is_flagged(group_type, config):
    props = {"name": "orders", "type": group_type, **({} if config is None else {"config": config})}
    [message] = run(rc.check_target_group_protocol, rc.TARGET_GROUP, props)
    assert ("no config block" if config is None else "no config.protocol") in message


@pytest.mark.parametrize("props", [{"name": "fn", "type": "LAMBDA"}, ex.target_group(), ex.target_group(type="IP")])
def test_lambda_groups_take_no_protocol_and_complete_groups_pass(props):
    assert run(rc.check_target_group_protocol, rc.TARGET_GROUP, props) == []


@pytest.mark.parametrize("group_type", ["INSTANCE", "IP"])
@pytest.mark.parametrize("protocol", ["HTTP", "HTTPS"])
@pytest.mark.parametrize("version", [None, "HTTP1", "HTTP2", "GRPC"])
def test_an_http_group_without_a_health_check_block_has_no_reviewed_health_check(group_type, protocol, version):
    props = ex.target_group(type=group_type)
    props["config"] = {"port": 443.0, "protocol": protocol, "vpcIdentifier": "vpc-0123456789abcdef0",
                       **({"protocolVersion": version} if version else {})}
    [message] = run(rc.check_target_group_health_check, rc.TARGET_GROUP, props)
    assert "declares no health check" in message


@pytest.mark.parametrize(
    "default_action",
    [None, {}, {"forwards": []}, {"forwards": [{"targetGroups": []}]}, {"forwards": [{}]}],
    ids=["absent", "empty", "no-forwards", "no-groups", "forward-without-groups"],
)
def test_a_listener_without_a_usable_default_action_is_flagged(default_action):
    props = ex.listener()
    if default_action is None:
        del props["defaultAction"]
    else:
        props["defaultAction"] = default_action
    [message] = run(rc.check_listener_default_action, rc.LISTENER, props)
    assert "defaultAction" in message and "fixed_response" in message


@pytest.mark.parametrize(
    "default_action", [ex.listener()["defaultAction"], {"fixedResponse": {"statusCode": 404.0}}], ids=["forward", "fixed"]
)
def test_a_listener_that_forwards_or_answers_passes(default_action):
    assert run(rc.check_listener_default_action, rc.LISTENER, ex.listener(defaultAction=default_action)) == []


# -- the running pack reads the same way ---------------------------------------------------------------------
@pytest.mark.parametrize(
    "type_, props, policy",
    [
        (rc.TARGET_GROUP, health_check(enabled="false"), "lattice-target-group-health-check"),
        (rc.TARGET_GROUP, health_check(enabled="0"), "lattice-target-group-health-check"),
        (rc.TARGET_GROUP, health_check(enabled="no"), "lattice-target-group-health-check"),
        (rc.TARGET_GROUP, {"name": "orders", "type": "INSTANCE"}, "lattice-target-group-protocol"),
        (rc.RESOURCE_SHARE, ex.ram_share(allowExternalPrincipals="true"), "lattice-ram-share-external-principals"),
        (rc.RESOURCE_SHARE, ex.ram_share(allowExternalPrincipals="1"), "lattice-ram-share-external-principals"),
        (rc.SERVICE, ex.service(authType="aws_iam"), "lattice-auth-type-not-none"),
        (rc.LISTENER, {k: v for k, v in ex.listener().items() if k != "defaultAction"}, "lattice-listener-default-action"),
    ],
    ids=["enabled-false", "enabled-0", "enabled-no", "no-config", "external-true", "external-1", "auth-lower",
         "no-default-action"],
)
def test_the_running_pack_refuses_coerced_and_absent_values(pack, type_, props, policy):
    diagnostics = pack.analyze({"type": type_, "name": "res", "props": props})
    assert [d.enforcement_level for d in diagnostics if d.policy_name == policy] == ["mandatory"], diagnostics
