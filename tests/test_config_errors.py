"""Bad config stops a stack before anything is registered, with one line per problem that names the stack
file, the key path and the rule broken."""

from __future__ import annotations

import copy

import pytest

from lattice_components.tools import offline
from lattice_components.config import ConfigError

ORDERS_DEV = offline.REPO_ROOT / "stacks" / "Pulumi.orders-dev.yaml"


@pytest.fixture(scope="module")
def network_outputs(dev_network_outputs=None):
    return offline.run_network_stack("dev").outputs


def run_orders(network_outputs, mutate) -> ConfigError:
    config = copy.deepcopy(offline.load_stack_file(ORDERS_DEV))
    mutate(config)
    with pytest.raises(ConfigError) as raised:
        offline.run_account_stack("orders-dev", network_outputs, "organization/lattice-network/dev", config=config)
    return raised.value


def order_service(config):
    return config["lattice:services"]["order-service"]


CASES = [
    (
        "a health-check interval above the API maximum",
        lambda c: order_service(c)["targetGroups"]["order-service-stable"]["healthCheck"].update(intervalSeconds=400),
        "lattice:services.order-service.targetGroups.order-service-stable.healthCheck.intervalSeconds: 400 is above the maximum 300",
    ),
    (
        "a health-check interval below the documented minimum",
        lambda c: order_service(c)["targetGroups"]["order-service-stable"]["healthCheck"].update(intervalSeconds=2),
        "healthCheck.intervalSeconds: 2 is below the minimum 5",
    ),
    (
        "a rule priority above the API maximum",
        lambda c: order_service(c)["listeners"][0]["rules"][0].update(priority=2500),
        "lattice:services.order-service.listeners[0].rules[0].priority: 2500 is above the maximum 2000",
    ),
    (
        "two rules with one priority",
        lambda c: order_service(c)["listeners"][0]["rules"].append(
            dict(order_service(c)["listeners"][0]["rules"][0], name="second-rule")
        ),
        "lattice:services.order-service.listeners[0].rules[1].priority: 10 is already the priority of rule 'canary-opt-in'",
    ),
    (
        "a weight above the API maximum",
        lambda c: order_service(c)["listeners"][0]["defaultAction"]["forward"][0].update(weight=1000),
        "lattice:services.order-service.listeners[0].defaultAction.forward[0].weight: 1000 is above the maximum 999",
    ),
    (
        "a service name with an underscore",
        lambda c: c["lattice:services"].update(order_svc=c["lattice:services"].pop("order-service")),
        "lattice:services.order_svc: 'order_svc' is not a valid service name",
    ),
    (
        "a target group name the API reserves",
        lambda c: order_service(c)["targetGroups"].update({"tg-stable": order_service(c)["targetGroups"]["order-service-stable"]}),
        "not starting with 'tg-'",
    ),
    (
        "a health check on a Lambda target group",
        lambda c: c["lattice:services"]["inventory-service"]["targetGroups"]["inventory-service-fn"].update(healthCheck={"path": "/"}),
        "lattice:services.inventory-service.targetGroups.inventory-service-fn.healthCheck: LAMBDA target groups take no health check",
    ),
    (
        "auth type NONE with allowed callers",
        lambda c: order_service(c).update(authType="NONE"),
        "lattice:services.order-service.allowedCallers: has no effect with authType NONE",
    ),
    (
        "IAM auth with no callers, which denies every request",
        lambda c: order_service(c).pop("allowedCallers"),
        "lattice:services.order-service.allowedCallers: is required with authType AWS_IAM",
    ),
    (
        "an auth type the API does not know",
        lambda c: order_service(c).update(authType="IAM"),
        "lattice:services.order-service.authType: 'IAM' is not one of 'NONE' or 'AWS_IAM'",
    ),
    (
        "a misspelt key",
        lambda c: order_service(c).update(listner=[]),
        "lattice:services.order-service.listner: is not a known setting",
    ),
    (
        "a forward to a target group the service does not have",
        lambda c: order_service(c)["listeners"][0]["defaultAction"]["forward"][1].update(targetGroup="order-service-blue"),
        "lattice:services.order-service.listeners[0].defaultAction.forward[1].targetGroup: 'order-service-blue' is neither one "
        "of this service's targetGroups ['order-service-canary', 'order-service-stable'] nor of lattice:targetGroups [], nor a "
        "target group ARN",
    ),
    (
        "an INSTANCE target group without a port",
        lambda c: order_service(c)["targetGroups"]["order-service-stable"].pop("port"),
        "lattice:services.order-service.targetGroups.order-service-stable.port: is required for INSTANCE target groups",
    ),
    (
        "a principal that opens the service to everyone",
        lambda c: order_service(c)["allowedCallers"]["principals"].append("*"),
        "lattice:services.order-service.allowedCallers.principals[2]: '*' would let anyone invoke the service",
    ),
    (
        "an account this stack does not know in the network registry",
        lambda c: c.update({"lattice:account": "billing", "lattice:networkStack": "organization/lattice-network/dev"}),
        "lattice:account: 'billing' is not in the network stack's accounts",
    ),
]


@pytest.mark.parametrize(("scenario", "mutate", "expected"), CASES, ids=[case[0] for case in CASES])
def test_bad_config_is_rejected_with_its_key_path_and_rule_before_anything_is_registered(network_outputs, scenario, mutate, expected):
    # GIVEN the dev orders stack with one bad value; WHEN it runs; THEN it stops with the rule, naming the file
    error = run_orders(network_outputs, mutate)
    assert "stacks/Pulumi.orders-dev.yaml" in str(error)
    assert any(expected in problem for problem in error.problems), error.problems
    # AND no Lattice or AWS resource was registered: nothing half-done in the account
    assert [r.type for r in error.registrations if r.type.startswith("aws:")] == []


def test_every_problem_is_reported_at_once(network_outputs):
    def two_mistakes(config):
        order_service(config)["listeners"][0]["rules"][0].update(priority=0)
        order_service(config)["targetGroups"]["order-service-stable"]["healthCheck"].update(timeoutSeconds=500)

    error = run_orders(network_outputs, two_mistakes)
    assert len(error.problems) == 2


def test_a_bad_network_config_names_the_network_stack_file():
    config = copy.deepcopy(offline.load_stack_file(offline.network_stack_file("dev")))
    config["lattice:network"]["name"] = "Dev Services"
    with pytest.raises(ConfigError) as raised:
        offline.run_network_stack("dev", config=config)
    assert "Pulumi.dev.yaml" in str(raised.value)
    assert "lattice:network.name: 'Dev Services' is not a valid service network name" in str(raised.value)
    assert raised.value.registrations == []


def test_config_errors_print_without_a_traceback():
    import pulumi

    assert issubclass(ConfigError, pulumi.RunError)


def test_a_fixed_response_the_api_does_not_support_is_rejected(network_outputs):
    # GIVEN a rule answering 501, which the model's range 100-599 admits but its documentation does not
    def answer_501(config):
        config["lattice:services"]["payment-service"]["listeners"][0]["rules"][0]["action"] = {"fixedResponse": 501}

    error = run_orders(network_outputs, answer_501)
    assert "lattice:services.payment-service.listeners[0].rules[0].action.fixedResponse: 501 is not supported: the API accepts only 404 or 500" in error.problems
