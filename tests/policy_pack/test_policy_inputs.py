"""How the pack sees properties: plain data, with preview-unknown values made explicit."""

from __future__ import annotations

import pytest
from pulumi_policy.proxy import UNKNOWN_STRING_VALUE, UnknownValueError, unknown_checking_proxy

from lattice_components.policies.policy_inputs import Resource, Unknown, is_unknown, json_object, known_list, lookup, plain


def test_the_sdk_proxy_raises_on_any_touch_of_an_unknown_so_checks_read_plain_dicts():
    # GIVEN props as pulumi-policy hands them to a policy during preview, authType not known yet
    proxied = unknown_checking_proxy({"authType": UNKNOWN_STRING_VALUE, "name": "orders"})
    # WHEN a policy merely asks whether the key is there
    # THEN the SDK already raises (Mapping.__contains__ reads the value)
    with pytest.raises(UnknownValueError):
        _ = "authType" in proxied
    # AND the plain copy keeps the sentinel for the checks to decide on
    assert plain(proxied) == {"authType": UNKNOWN_STRING_VALUE, "name": "orders"}


def test_plain_unwraps_nested_proxies_and_lists():
    # GIVEN nested proxied props with an unknown deep inside a list
    proxied = unknown_checking_proxy({"a": {"b": [{"c": UNKNOWN_STRING_VALUE}, {"c": 1.0}]}})
    # WHEN unwrapped
    # THEN the result is plain dicts and lists, values intact
    assert plain(proxied) == {"a": {"b": [{"c": UNKNOWN_STRING_VALUE}, {"c": 1.0}]}}


def test_lookup_returns_the_default_for_a_missing_path_but_raises_for_an_unknown_one():
    # GIVEN a target group whose health check object is unknown during preview
    props = {"config": {"protocol": "HTTP", "healthCheck": UNKNOWN_STRING_VALUE}}
    # WHEN reading paths through it
    # THEN missing values fall back to the default ...
    assert lookup(props, "config.port", 80) == 80
    assert lookup(props, "config.protocol") == "HTTP"
    # ... and anything below the unknown object names where preview stopped
    with pytest.raises(Unknown) as raised:
        lookup(props, "config.healthCheck.path")
    assert raised.value.path == "config.healthCheck"


def test_lookup_prefixes_the_path_it_reports():
    with pytest.raises(Unknown) as raised:
        lookup({"weight": UNKNOWN_STRING_VALUE}, "weight", at="defaultAction.forwards[0].targetGroups[1]")
    assert raised.value.path == "defaultAction.forwards[0].targetGroups[1].weight"


def test_known_list_accepts_missing_and_single_values_but_not_unknown_lists():
    assert known_list(None, "x") == []
    assert known_list("a", "x") == ["a"]
    with pytest.raises(Unknown):
        known_list(UNKNOWN_STRING_VALUE, "x")


def test_json_object_reads_provider_inputs_that_arrive_json_encoded():
    # GIVEN an explicit provider's default_tags, which the engine passes as a JSON string
    assert json_object('{"tags": {"owner": "platform"}}') == {"tags": {"owner": "platform"}}
    assert json_object({"tags": {}}) == {"tags": {}}
    assert json_object("not json") == {}
    assert not is_unknown("vpc-123") and is_unknown(UNKNOWN_STRING_VALUE)


def test_a_resource_is_named_by_its_type_and_pulumi_name_and_knows_its_aws_name():
    resource = Resource("aws:vpclattice/service:Service", "orders-svc", {"name": "orders"})
    assert resource.label == "Service 'orders-svc'"
    assert resource.known_names() == {"orders-svc", "orders"}
    unknown_name = Resource("aws:vpclattice/service:Service", "orders-svc", {"name": UNKNOWN_STRING_VALUE})
    assert unknown_name.known_names() == {"orders-svc"}
