"""Property-based: mutate the real dev and prod configs. Every mutation that breaks an API rule is rejected
before any resource is registered, with an error naming the stack file, the key path and the value; every
mutation the API accepts runs, and what it registers passes the API-model check (no false rejections).

The oracle is AWS's model (and the ranges and patterns its documentation states) reached through the
pulumi-aws → API mapping table of `api_check`, not the config schema under test.
"""

from __future__ import annotations

import copy
import re

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from lattice_components import apimodel
from lattice_components.apimodel import model as api_model
from lattice_components.config.stack_file import join_key
from lattice_components.tools import offline
from lattice_components.config import ConfigError
from mutation_counts import COUNTS

TG = "aws:vpclattice/targetGroup:TargetGroup"
LISTENER = "aws:vpclattice/listener:Listener"
RULE = "aws:vpclattice/listenerRule:ListenerRule"
SERVICE = "aws:vpclattice/service:Service"

# config key path below lattice:services.order-service -> (resource type, engine property path)
NUMERIC_POINTS = {
    "targetGroups.order-service-stable.healthCheck.intervalSeconds": (TG, "config.healthCheck.healthCheckIntervalSeconds"),
    "targetGroups.order-service-stable.healthCheck.timeoutSeconds": (TG, "config.healthCheck.healthCheckTimeoutSeconds"),
    "targetGroups.order-service-stable.healthCheck.healthyThreshold": (TG, "config.healthCheck.healthyThresholdCount"),
    "targetGroups.order-service-stable.healthCheck.unhealthyThreshold": (TG, "config.healthCheck.unhealthyThresholdCount"),
    "targetGroups.order-service-stable.port": (TG, "config.port"),
    "listeners[0].port": (LISTENER, "port"),
    "listeners[0].rules[0].priority": (RULE, "priority"),
    "listeners[0].defaultAction.forward[0].weight": (LISTENER, "defaultAction.forwards[0].targetGroups[0].weight"),
}


def api_range(type_token: str, engine_path: str) -> tuple[int, int]:
    """What the API accepts for one property: the model's bounds narrowed by its documented range."""
    operation = apimodel.RESOURCE_MAPPINGS[type_token].operation
    member = apimodel.api_member_for(type_token, engine_path)
    found = api_model.limits(operation, member)
    low, high = found.min, found.max
    stated = api_model.documented_range(operation, member)
    if stated is not None:
        low, high = max(low, stated.min), min(high, stated.max)
    return low, high


def set_path(document, path: str, value) -> None:
    parts = [int(p) if p.isdigit() else p for p in re.findall(r"[^.\[\]]+", path)]
    for part in parts[:-1]:
        document = document[part]
    document[parts[-1]] = value


@pytest.fixture(scope="module")
def networks():
    return {env: offline.run_network_stack(env).outputs for env in ("dev", "prod")}


def run_orders(env, networks, config):
    return offline.run_account_stack(f"orders-{env}", networks[env], f"organization/lattice-network/{env}", config=config)


def base_config(env):
    return offline.load_stack_file(offline.REPO_ROOT / "stacks" / f"Pulumi.orders-{env}.yaml")


def assert_accepted_by_the_api(run):
    problems = [f"{r.name}: {v}" for r in run.resources for v in apimodel.check_resource(r.type, r.inputs)]
    assert problems == []


def assert_rejected_before_registration(error: ConfigError, env: str, key_path: str, value) -> None:
    assert f"stacks/Pulumi.orders-{env}.yaml" in str(error)
    assert any(problem.startswith(key_path) and str(value) in problem for problem in error.problems), error.problems
    assert [r for r in error.registrations if r.type.startswith("aws:")] == []


@pytest.mark.parametrize("env", ["dev", "prod"])
@pytest.mark.parametrize("point", sorted(NUMERIC_POINTS))
@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_numbers_inside_the_api_range_run_and_outside_are_rejected(env, point, networks, data):
    type_token, engine_path = NUMERIC_POINTS[point]
    low, high = api_range(type_token, engine_path)
    value = data.draw(st.one_of(
        st.integers(low, high), st.integers(low - 1000, low - 1), st.integers(high + 1, high + 5000),
        st.sampled_from([low - 1, low, high, high + 1]),
    ), label="value")
    config = copy.deepcopy(base_config(env))
    set_path(config["lattice:services"]["order-service"], point, value)
    key_path = f"lattice:services.order-service.{point}"
    if low <= value <= high:
        assert_accepted_by_the_api(run_orders(env, networks, config))
        COUNTS[f"accepted (API range) {point}"] += 1
    else:
        with pytest.raises(ConfigError) as raised:
            run_orders(env, networks, config)
        assert_rejected_before_registration(raised.value, env, key_path, value)
        COUNTS[f"rejected (API range) {point}"] += 1


NAME_ALPHABET = st.sampled_from(list("abcdefgz0189-_A.") )


@pytest.mark.parametrize("env", ["dev", "prod"])
@pytest.mark.parametrize(("kind", "type_token", "operation"), [
    ("service", SERVICE, "CreateService"),
    ("target group", TG, "CreateTargetGroup"),
])
@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(name=st.one_of(
    st.text(NAME_ALPHABET, min_size=1, max_size=140),
    st.sampled_from(["svc-orders", "tg-orders", "orders--v2", "-orders", "orders-", "ab", "a" * 40, "a" * 41, "a" * 128, "a" * 129]),
))
def test_names_the_api_pattern_admits_run_and_others_are_rejected(env, kind, type_token, operation, networks, name):
    limits = api_model.limits(operation, "name")
    config = copy.deepcopy(base_config(env))
    services = config["lattice:services"]
    if kind == "service":
        if name in services and name != "order-service":
            return  # renaming onto another service is a different mistake
        services[name] = services.pop("order-service")
        key_path = join_key("lattice:services", name)
    else:
        groups = services["order-service"]["targetGroups"]
        if name in groups or any(name in s["targetGroups"] for s in services.values()):
            return
        groups[name] = groups.pop("order-service-canary")
        for action in [services["order-service"]["listeners"][0]["defaultAction"]] + [
            rule["action"] for rule in services["order-service"]["listeners"][0]["rules"]
        ]:
            for target in action.get("forward", []):
                if target["targetGroup"] == "order-service-canary":
                    target["targetGroup"] = name
        key_path = join_key("lattice:services.order-service.targetGroups", name)
    valid = limits.min <= len(name) <= limits.max and limits.pattern_matches(name)
    if valid:
        assert_accepted_by_the_api(run_orders(env, networks, config))
        COUNTS[f"accepted (API pattern) {kind} name"] += 1
    else:
        with pytest.raises(ConfigError) as raised:
            run_orders(env, networks, config)
        assert_rejected_before_registration(raised.value, env, key_path, repr(name))
        COUNTS[f"rejected (API pattern) {kind} name"] += 1
