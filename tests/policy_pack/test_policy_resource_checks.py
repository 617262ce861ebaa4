"""Single-resource checks: compliant and violating properties, and preview unknowns that must not violate."""

from __future__ import annotations

import pytest
from pulumi_policy.proxy import UNKNOWN_STRING_VALUE as UNKNOWN

import policy_examples as ex
from lattice_components.policies import resource_checks as rc
from lattice_components.policies.policy_inputs import Unknown


def run(check, type_, props, config=None, **extra):
    return list(check(ex.resource(type_, "res", props, **extra), config or {}))


# -- authType ----------------------------------------------------------------------------------------------
@pytest.mark.parametrize("type_", [rc.SERVICE, rc.SERVICE_NETWORK])
def test_aws_iam_auth_passes(type_):
    assert run(rc.check_auth_type, type_, ex.service()) == []


@pytest.mark.parametrize(
    "props, says", [({"authType": "NONE"}, "authType is NONE"), ({}, "not set, which the API treats as NONE")]
)
def test_none_or_missing_auth_type_is_a_violation_that_says_how_to_fix_it(props, says):
    # GIVEN a service with authType NONE, or none at all (the API default)
    # WHEN checked
    [message] = run(rc.check_auth_type, rc.SERVICE, props)
    # THEN the message names the resource, the problem and the fix
    assert message.startswith("Service 'res'") and says in message and 'auth_type="AWS_IAM"' in message


def test_unknown_auth_type_is_not_a_violation_but_undecided():
    with pytest.raises(Unknown) as raised:
        run(rc.check_auth_type, rc.SERVICE, {"authType": UNKNOWN})
    assert raised.value.path == "authType"


# -- target group health checks ------------------------------------------------------------------------------
def hc_props(**health_check):
    props = ex.target_group()
    props["config"]["healthCheck"] = health_check
    return props


def test_instance_group_with_enabled_health_check_and_path_passes():
    assert run(rc.check_target_group_health_check, rc.TARGET_GROUP, ex.target_group()) == []


@pytest.mark.parametrize(
    "health_check, says",
    [
        (None, "declares no health check"),
        ({"enabled": False, "path": "/health"}, "health check is disabled"),
        ({"enabled": True}, "has no path"),
        ({"enabled": True, "path": "health"}, "does not match the VPC Lattice API pattern"),
    ],
)
def test_ip_group_over_https_needs_an_enabled_health_check_with_a_valid_path(health_check, says):
    # GIVEN an IP target group over HTTPS with a missing, disabled, pathless or malformed health check
    props = ex.target_group(type="IP")
    props["config"]["protocol"] = "HTTPS"
    props["config"]["healthCheck"] = health_check
    # WHEN checked THEN exactly one violation says what is wrong and suggests enabled=True with a path
    [message] = run(rc.check_target_group_health_check, rc.TARGET_GROUP, props)
    assert says in message and ("enabled=True" in message or "/health" in message)


def test_missing_enabled_flag_means_enabled_as_in_pulumi_aws():
    assert run(rc.check_target_group_health_check, rc.TARGET_GROUP, hc_props(path="/health")) == []


@pytest.mark.parametrize("group_type", ["LAMBDA", "ALB"])
def test_lambda_and_alb_groups_are_exempt_because_the_api_rejects_health_checks_there(group_type):
    props = {"type": group_type, "config": {"protocol": "HTTP"}}
    assert run(rc.check_target_group_health_check, rc.TARGET_GROUP, props) == []


def test_tcp_groups_are_not_judged_on_http_paths():
    props = ex.target_group()
    props["config"] = {"protocol": "TCP", "port": 5432.0}
    assert run(rc.check_target_group_health_check, rc.TARGET_GROUP, props) == []


def test_unknown_health_check_path_during_preview_is_undecided():
    with pytest.raises(Unknown):
        run(rc.check_target_group_health_check, rc.TARGET_GROUP, hc_props(enabled=True, path=UNKNOWN))


# -- RAM shares ----------------------------------------------------------------------------------------------
def test_share_without_external_principals_passes_and_missing_means_false():
    assert run(rc.check_ram_share_external_principals, rc.RESOURCE_SHARE, ex.ram_share()) == []
    assert run(rc.check_ram_share_external_principals, rc.RESOURCE_SHARE, {"name": "x"}) == []


def test_share_open_to_external_principals_is_a_violation_unless_allow_listed():
    # GIVEN a share that allows principals outside the organisation
    props = ex.ram_share(allowExternalPrincipals=True)
    # WHEN no allow list is configured THEN it is refused, naming the config key that would allow it
    [message] = run(rc.check_ram_share_external_principals, rc.RESOURCE_SHARE, props)
    assert "'core-network-share'" in message and "allowedExternalShares" in message
    # WHEN the share's AWS name is allow-listed THEN it passes
    config = {"allowedExternalShares": ["core-network-share"]}
    assert run(rc.check_ram_share_external_principals, rc.RESOURCE_SHARE, props, config) == []


def test_unknown_external_flag_is_undecided():
    with pytest.raises(Unknown):
        run(rc.check_ram_share_external_principals, rc.RESOURCE_SHARE, ex.ram_share(allowExternalPrincipals=UNKNOWN))


# -- listeners -----------------------------------------------------------------------------------------------
def test_https_listener_passes_and_http_listener_is_flagged_unless_allow_listed():
    assert run(rc.check_listener_https, rc.LISTENER, ex.listener()) == []
    http = ex.listener(name="plain", protocol="HTTP", port=80.0)
    [message] = run(rc.check_listener_https, rc.LISTENER, http)
    assert "plain HTTP on port 80" in message and 'protocol="HTTPS"' in message
    assert run(rc.check_listener_https, rc.LISTENER, http, {"allowedHttpListeners": ["plain"]}) == []


# -- required tags -------------------------------------------------------------------------------------------
def test_required_tags_are_found_on_the_resource_its_tags_all_or_the_providers_default_tags():
    config = {"requiredTags": ["owner", "cost-center"]}
    owner_only = {"owner": "team-orders"}
    # GIVEN owner on the resource and cost-center only among the provider's default tags (JSON-encoded)
    provider = {"defaultTags": '{"tags": {"cost-center": "cc-42"}}'}
    assert run(rc.check_required_tags, rc.SERVICE, ex.service(tags=owner_only), config, provider_props=provider) == []
    # GIVEN cost-center in tagsAll (provider defaults as the engine resolved them)
    resolved = ex.service(tags=owner_only, tagsAll={"cost-center": "x"})
    assert run(rc.check_required_tags, rc.SERVICE, resolved, config) == []
    # GIVEN neither THEN the missing key is named, with both ways to add it
    [message] = run(rc.check_required_tags, rc.SERVICE, ex.service(tags=owner_only), config)
    assert "missing required tag(s) cost-center." in message and "default_tags" in message


def test_taggable_types_are_the_resources_whose_create_operation_takes_tags_in_the_api_model():
    from lattice_components.apimodel.model import service_model

    model = service_model()
    creates = [op for op in model.operation_names if op.startswith("Create")]
    tagged = {op.removeprefix("Create") for op in creates if "tags" in model.operation_model(op).input_shape.members}
    # pulumi-aws names CreateRule's resource listenerRule; every other token is the camelCased noun
    tokens = {"listenerRule" if noun == "Rule" else noun[0].lower() + noun[1:] for noun in tagged}
    assert {t.split("/")[1].split(":")[0] for t in rc.TAGGABLE_TYPES} == tokens


def test_required_tags_ignore_untaggable_types_and_an_empty_list():
    assert run(rc.check_required_tags, "aws:vpclattice/authPolicy:AuthPolicy", {}, {"requiredTags": ["owner"]}) == []
    assert run(rc.check_required_tags, rc.SERVICE, {}, {"requiredTags": []}) == []


def test_a_tag_whose_value_is_unknown_counts_but_an_unknown_tag_map_is_undecided():
    config = {"requiredTags": ["owner"]}
    assert run(rc.check_required_tags, rc.SERVICE, ex.service(tags={"owner": UNKNOWN}), config) == []
    with pytest.raises(Unknown):
        run(rc.check_required_tags, rc.SERVICE, ex.service(tags=UNKNOWN), config)


# -- forward weights -----------------------------------------------------------------------------------------
def forward(*weights, ids=None):
    ids = ids or [f"tg-{i}" for i in range(len(weights))]
    groups = [{"targetGroupIdentifier": i, **({} if w is None else {"weight": w})} for i, w in zip(ids, weights)]
    return {"forwards": [{"targetGroups": groups}]}


@pytest.mark.parametrize("weights", [(100.0,), (90.0, 10.0), (None, None), (50.0, 50.0, 0.0, 1.0)])
def test_single_groups_and_real_splits_pass(weights):
    assert run(rc.check_forward_weights, rc.LISTENER, ex.listener(defaultAction=forward(*weights))) == []


def test_all_traffic_to_one_group_while_another_sits_at_zero_is_a_forgotten_canary():
    # GIVEN a listener forwarding 100/0 between the stable and the canary group
    props = ex.listener(defaultAction=forward(100.0, 0.0, ids=["tg-stable", "tg-canary"]))
    # WHEN checked THEN the message names both groups and how to fix it
    [message] = run(rc.check_forward_weights, rc.LISTENER, props)
    assert "'tg-stable'" in message and "'tg-canary'" in message and "forgotten canary" in message


def test_listener_rule_forward_is_checked_too_and_unknown_ids_do_not_matter():
    rule = {"action": {"forward": {"targetGroups": [
        {"targetGroupIdentifier": UNKNOWN, "weight": 0.0}, {"targetGroupIdentifier": "tg-a"},
    ]}}}
    [message] = run(rc.check_forward_weights, rc.LISTENER_RULE, rule)
    assert "action.forward" in message and "(id known after apply)" in message


def test_all_zero_weights_forward_nothing():
    [message] = run(rc.check_forward_weights, rc.LISTENER, ex.listener(defaultAction=forward(0.0, 0.0)))
    assert "forwards no traffic" in message


def test_an_unknown_weight_is_undecided():
    with pytest.raises(Unknown) as raised:
        run(rc.check_forward_weights, rc.LISTENER, ex.listener(defaultAction=forward(100.0, UNKNOWN)))
    assert raised.value.path == "defaultAction.forwards[0].targetGroups[1].weight"
