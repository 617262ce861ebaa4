"""A clean plan deploys without a conflict: every child has its own URN, the plan refuses two resources with
one URN, and rules AWS enforces per account or per VPC hold across all the stacks of an environment.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pulumi
import pulumi_aws as aws
import pytest
import yaml
from pulumi.runtime.resource import collapse_alias_to_urn
from hypothesis import given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from lattice_components import LatticeService
from lattice_components.apimodel import environment_rules
from lattice_components.config import ConfigError
from lattice_components.inputs import naming
from lattice_components.tools import offline, plan
from lattice_components.tools.cli import app
from helpers import run_component

NETWORK_ARN = "arn:aws:vpc-lattice:us-east-1:123456789012:servicenetwork/sn-0123456789abcdef0"
CALLERS = {"principals": ["arn:aws:iam::123456789012:role/FrontendAppRole"]}

# Lattice names: lowercase letters, digits and single hyphens, no hyphen first or last.
LATTICE_NAME = st.lists(st.text("abc0-", min_size=1, max_size=3).map(lambda s: s.strip("-") or "a"), min_size=1, max_size=3).map(
    lambda parts: "-".join(parts).replace("--", "-")
)
COMPONENT_NAME = st.text("ab-", min_size=1, max_size=8)  # a program may name a component anything, `--` included
TARGET = st.one_of(
    st.ip_addresses(v=4).map(str),
    st.ip_addresses(v=6).map(str),
    st.from_regex(r"i-[0-9a-f]{8}", fullmatch=True),
    st.from_regex(r"arn:aws:lambda:us-east-1:123456789012:function:[a-z-]{1,6}(:[a-z0-9]{1,3})?", fullmatch=True),
)
PORT = st.one_of(st.none(), st.integers(1, 65535))


# --------------------------------------------------------------------------------------------------------------
# Names are injective
# --------------------------------------------------------------------------------------------------------------


@given(a=st.tuples(COMPONENT_NAME, LATTICE_NAME), b=st.tuples(COMPONENT_NAME, LATTICE_NAME))
@settings(max_examples=300, deadline=None, derandomize=True)
def test_two_different_service_and_group_pairs_never_share_a_name(a, b):
    # GIVEN two (component, target group) pairs, such as ("a", "b-c") and ("a-b", "c")
    # THEN their target groups' names differ exactly when the pairs do (and so do their listeners')
    assert (naming.target_group(*a) == naming.target_group(*b)) is (a == b)
    assert (naming.listener(*a) == naming.listener(*b)) is (a == b)


@given(a=st.tuples(COMPONENT_NAME, LATTICE_NAME, LATTICE_NAME), b=st.tuples(COMPONENT_NAME, LATTICE_NAME, LATTICE_NAME))
@settings(max_examples=300, deadline=None, derandomize=True)
def test_two_different_listener_and_rule_triples_never_share_a_name(a, b):
    assert (naming.rule(*a) == naming.rule(*b)) is (a == b)


OUTPUT_ID = object()  # a target ID that is another resource's output: the component names it by position


def identity(component, group, target, port, index):
    """What tells two attachments apart: a written ID by itself, an output ID by its position."""
    return (component, group, target if isinstance(target, str) else ("output", index), port)


@given(
    a=st.tuples(COMPONENT_NAME, LATTICE_NAME, st.one_of(TARGET, st.just(OUTPUT_ID)), PORT, st.integers(0, 3)),
    b=st.tuples(COMPONENT_NAME, LATTICE_NAME, st.one_of(TARGET, st.just(OUTPUT_ID)), PORT, st.integers(0, 3)),
)
@settings(max_examples=400, deadline=None, derandomize=True)
def test_two_different_attachments_never_share_a_name(a, b):
    assert (naming.attachment(*a) == naming.attachment(*b)) is (identity(*a) == identity(*b))


@given(target=TARGET, port=PORT)
@settings(max_examples=200, deadline=None, derandomize=True)
def test_a_target_token_has_no_separator_no_leading_hyphen_and_no_double_colon(target, port):
    token = naming.target_token(target, port)
    assert naming.SEPARATOR not in token and not token.startswith("-") and "::" not in token


def test_the_concatenation_that_used_to_collide_now_registers_two_resources():
    # GIVEN service "abc" with target group "def-ghi" and service "abc-def" with group "ghi" (both "abc-def-ghi" before)
    def service(name: str, group: str, listener: str):
        return LatticeService(name, {
            "name": name, "service_network_arn": NETWORK_ARN, "allowed_callers": CALLERS,
            "target_groups": {group: {"type": "LAMBDA", "targets": [{"id": "arn:aws:lambda:us-east-1:123456789012:function:f"}]}},
            "listeners": [{"name": listener, "protocol": "HTTPS", "default_action": {"forward": [{"target_group": group}]}}],
        })

    run = run_component(lambda: (service("abc", "def-ghi", "jkl-mno"), service("abc-def", "ghi", "jkl")))
    # THEN every URN is distinct, so the engine accepts the stack
    urns = [r.urn for r in run.resources]
    assert len(urns) == len(set(urns))
    plan.refuse_duplicate_urns([run])
    assert len(run.of_type("aws:vpclattice/targetGroup:TargetGroup")) == 2


def test_one_ip_on_two_ports_and_ipv6_targets_register_one_attachment_each():
    # GIVEN an IPv6 group with one address on two ports and two addresses that end alike (the old names took
    # what followed the last ':', so all four were one name)
    targets = [{"id": "fd00::1"}, {"id": "fd00::1", "port": 9090}, {"id": "fd01::1"}, {"id": "fd00:0:0:1::1"}]
    run = run_component(lambda: LatticeService("orders", {
        "name": "order-service", "service_network_arn": NETWORK_ARN, "allowed_callers": CALLERS,
        "target_groups": {"ip6": {"type": "IP", "ip_address_type": "IPV6", "port": 8080, "protocol": "HTTP",
                                  "vpc_id": "vpc-backend1", "targets": targets}},
        "listeners": [{"name": "https", "protocol": "HTTPS", "default_action": {"forward": [{"target_group": "ip6"}]}}],
    }))
    attachments = run.of_type("aws:vpclattice/targetGroupAttachment:TargetGroupAttachment")
    assert sorted((a.inputs["target"]["id"], a.inputs["target"]["port"]) for a in attachments) == sorted(
        [("fd00::1", 8080), ("fd00::1", 9090), ("fd01::1", 8080), ("fd00:0:0:1::1", 8080)]
    )
    assert len({a.urn for a in attachments}) == 4
    assert all("::" not in a.name for a in attachments)


def test_the_walkthroughs_resources_keep_their_state_through_aliases_of_their_old_names():
    # GIVEN the old names of the dev order service's children; THEN each new name carries the old as an alias
    assert naming.legacy_target_group("order-service", "order-service-stable") == ["order-service-order-service-stable"]
    assert naming.legacy_listener("order-service", "http-listener") == ["order-service-http-listener"]
    assert naming.legacy_rule("order-service", "http-listener", "canary-opt-in") == ["order-service-http-listener-canary-opt-in"]
    assert naming.legacy_attachment("payment-service", "payment-service-targets", "10.1.20.10", None) == [
        "payment-service-payment-service-targets-10.1.20.10"
    ]
    assert naming.legacy_attachment(
        "inventory-service", "inventory-service-fn", "arn:aws:lambda:us-east-1:333333333333:function:inventory", None
    ) == ["inventory-service-inventory-service-fn-inventory"]
    # AND an old name is never offered where it could be another resource's new name
    assert naming.legacy_target_group("a--b", "c") == []


TG, ATTACHMENT = "aws:vpclattice/targetGroup:TargetGroup", "aws:vpclattice/targetGroupAttachment:TargetGroupAttachment"
LISTENER, RULE = "aws:vpclattice/listener:Listener", "aws:vpclattice/listenerRule:ListenerRule"
INSTANCE = "i-0123456789abcdef0"


def instance_group(*targets: dict) -> dict:
    return {"type": "INSTANCE", "port": 8080, "protocol": "HTTP", "vpc_id": "vpc-backend1", "targets": list(targets)}


def http_listener(name: str, group: str, *rules: str) -> dict:
    return {"name": name, "protocol": "HTTP", "default_action": {"forward": [{"target_group": group}]},
            "rules": [{"name": rule, "priority": index + 1, "match": {"method": "POST"}, "action": {"fixed_response": 404}}
                      for index, rule in enumerate(rules)]}


# (target groups, listeners, {(type, new name): old name}): each renamed child and the old name it had
ALIAS_CASES = {
    "distinct names": (
        {"stable": instance_group({"id": INSTANCE}, {"id": INSTANCE, "port": 9090})},
        [http_listener("http-listener", "stable", "canary")],
        {(TG, "orders--stable"): "orders-stable", (ATTACHMENT, f"orders--stable--{INSTANCE}"): f"orders-stable-{INSTANCE}",
         (LISTENER, "orders--http-listener"): "orders-http-listener", (RULE, "orders--http-listener--canary"): "orders-http-listener-canary"},
    ),
    # a target group and a listener named alike are both `orders--api`: each keeps the old URN of its own type
    "target group and listener named alike": (
        {"api": instance_group({"id": INSTANCE})},
        [http_listener("api", "api")],
        {(TG, "orders--api"): "orders-api", (ATTACHMENT, f"orders--api--{INSTANCE}"): f"orders-api-{INSTANCE}",
         (LISTENER, "orders--api"): "orders-api"},
    ),
    # and an attachment of group `api` and a rule of listener `api` named like the target are both `orders--api--<id>`
    "attachment and rule named alike": (
        {"api": instance_group({"id": INSTANCE})},
        [http_listener("api", "api", INSTANCE)],
        {(TG, "orders--api"): "orders-api", (ATTACHMENT, f"orders--api--{INSTANCE}"): f"orders-api-{INSTANCE}",
         (LISTENER, "orders--api"): "orders-api", (RULE, f"orders--api--{INSTANCE}"): f"orders-api-{INSTANCE}"},
    ),
}


@pytest.mark.parametrize(("groups", "listeners", "renamed"), ALIAS_CASES.values(), ids=ALIAS_CASES.keys())
def test_the_component_sends_the_old_names_as_aliases(monkeypatch, groups, listeners, renamed):
    seen: dict[tuple[str, str], list[str]] = {}
    register = offline.RecordingMonitor.RegisterResource

    def recording(self, request):
        seen[request.type, request.name] = [alias.urn for alias in request.aliases]
        return register(self, request)

    monkeypatch.setattr(offline.RecordingMonitor, "RegisterResource", recording)
    expected: dict[tuple[str, str], list[str]] = {}

    def program():
        service = LatticeService("orders", {
            "name": "order-service", "service_network_arn": NETWORK_ARN, "allowed_callers": CALLERS,
            "target_groups": groups, "listeners": listeners,
        })
        # What the SDK itself makes of `Alias(name=old)` on a child of this component (the URN it sends an engine
        # that takes no alias specs): the component must send exactly that
        for (type_token, new), old in renamed.items():
            collapse_alias_to_urn(pulumi.Alias(name=old), new, type_token, service).apply(
                lambda urn, key=(type_token, new): expected.setdefault(key, [urn])
            )

    run_component(program)
    assert set(expected) == set(renamed)
    for key in renamed:
        assert seen[key] == expected[key], key
    # every other child of the four kinds never had a name of its own
    assert all(aliases == [] for key, aliases in seen.items() if key[0] in (TG, ATTACHMENT, LISTENER, RULE) and key not in renamed)
    for group in groups:
        assert seen[TG, f"orders--{group}"][0].endswith(f"lattice:index:LatticeService$aws:vpclattice/targetGroup:TargetGroup::orders-{group}")


def test_a_port_other_than_the_groups_gets_no_alias_it_never_had_a_name(monkeypatch):
    seen: dict[str, list[str]] = {}
    register = offline.RecordingMonitor.RegisterResource

    def recording(self, request):
        seen[request.name] = [alias.urn for alias in request.aliases]
        return register(self, request)

    monkeypatch.setattr(offline.RecordingMonitor, "RegisterResource", recording)
    groups, listeners, _ = ALIAS_CASES["distinct names"]
    run_component(lambda: LatticeService("orders", {
        "name": "order-service", "service_network_arn": NETWORK_ARN, "allowed_callers": CALLERS,
        "target_groups": groups, "listeners": listeners,
    }))
    assert seen[f"orders--stable--{INSTANCE}@9090"] == []


def test_an_alias_urn_is_the_old_name_under_the_parents_type_chain():
    parent = "urn:pulumi:dev::lattice-account::my:index:Team$lattice:index:LatticeService::orders"
    assert naming.alias_urn(parent, "aws:vpclattice/listener:Listener", "orders-http") == (
        "urn:pulumi:dev::lattice-account::my:index:Team$lattice:index:LatticeService$aws:vpclattice/listener:Listener::orders-http"
    )


# --------------------------------------------------------------------------------------------------------------
# The plan refuses two resources with one URN
# --------------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("names", [("same", "same"), ("a-b-c", "a-b-c")])
def test_the_plan_refuses_two_resources_with_one_urn(names):
    # GIVEN a program (not using our components) that registers two target groups under one name
    def program():
        for name in names:
            aws.vpclattice.TargetGroup(name, name=f"tg-x{len(name)}", type="LAMBDA")

    run = run_component(program)
    # WHEN the plan checks it; THEN it is refused as invalid config naming the URN (exit 2 from the CLI)
    with pytest.raises(ConfigError) as raised:
        plan.refuse_duplicate_urns([run])
    assert f"::{names[0]}" in str(raised.value) and "duplicate URN" in str(raised.value)


def test_distinct_urns_pass():
    run = run_component(lambda: [aws.vpclattice.TargetGroup(n, type="LAMBDA") for n in ("one", "two")])
    plan.refuse_duplicate_urns([run])


# --------------------------------------------------------------------------------------------------------------
# Rules across the stacks of an environment
# --------------------------------------------------------------------------------------------------------------

NETWORK = offline.load_stack_file(offline.network_stack_file("dev"))


def stack(source: str, account: str, services: dict | None = None, consumers: dict | None = None):
    config = {"lattice:account": account}
    if services is not None:
        config["lattice:services"] = services
    if consumers is not None:
        config["lattice:consumers"] = consumers
    return environment_rules.StackFile(source, config)


def services_with_groups(*groups: str, service: str = "svc-a") -> dict:
    return {service: {"targetGroups": {group: {} for group in groups}}}


@pytest.mark.parametrize(("first_account", "second_account", "conflict"), [
    ("orders", "orders", True),  # two stacks deploying into one account
    ("orders", "platform", False),  # names are unique per account only
])
def test_a_target_group_name_is_unique_per_account_across_stacks(first_account, second_account, conflict):
    problems = environment_rules.check_environment(NETWORK, [
        stack("stacks/Pulumi.orders-dev.yaml", first_account, services_with_groups("shared", service="one-service")),
        stack("stacks/Pulumi.extra-dev.yaml", second_account, services_with_groups("shared", service="two-service")),
    ])
    if conflict:
        [problem] = problems
        assert problem.startswith("stacks/Pulumi.extra-dev.yaml: lattice:services.two-service.targetGroups.shared:")
        assert "stacks/Pulumi.orders-dev.yaml: lattice:services.one-service.targetGroups.shared" in problem
        assert "unique per account" in problem
    else:
        assert problems == []


def test_a_service_name_is_unique_per_account_across_stacks():
    problems = environment_rules.check_environment(NETWORK, [
        stack("stacks/Pulumi.orders-dev.yaml", "orders", services_with_groups("g-one", service="orders")),
        stack("stacks/Pulumi.extra-dev.yaml", "orders", services_with_groups("g-two", service="orders")),
    ])
    assert problems == [
        "stacks/Pulumi.extra-dev.yaml: lattice:services.orders: service 'orders' is also deployed into account "
        "333333333333 by stacks/Pulumi.orders-dev.yaml: lattice:services.orders; service names are unique per account"
    ]


@pytest.mark.parametrize(("accounts"), [("platform", "platform"), ("platform", "mobile")])
def test_a_vpc_joins_one_service_network_whichever_stacks_associate_it(accounts):
    problems = environment_rules.check_environment(NETWORK, [
        stack("stacks/Pulumi.platform-dev.yaml", accounts[0], consumers={"frontend": {"vpcId": "vpc-frontend"}}),
        stack("stacks/Pulumi.mobile-dev.yaml", accounts[1], consumers={"web": {"vpcId": "vpc-frontend"}}),
    ])
    [problem] = problems
    assert problem.startswith("stacks/Pulumi.mobile-dev.yaml: lattice:consumers.web.vpcId: vpc-frontend is also associated by "
                              "stacks/Pulumi.platform-dev.yaml: lattice:consumers.frontend.vpcId")


def test_two_consumers_of_one_stack_may_not_associate_one_vpc():
    from lattice_components.config import AccountStackConfig, parse

    with pytest.raises(ConfigError) as raised:
        parse(AccountStackConfig, {"account": "platform", "networkStack": "x", "consumers": {
            "one": {"vpcId": "vpc-frontend"}, "two": {"vpcId": "vpc-frontend"}}}, "stacks/Pulumi.platform-dev.yaml")
    assert raised.value.problems == [
        "lattice:consumers.two.vpcId: vpc-frontend is already associated by consumer 'one'; a VPC joins one service network only"
    ]


def test_the_real_environments_have_no_cross_stack_conflict():
    for env in ("dev", "prod"):
        plan.check_environment(env)


def copy_repo(tmp_path: Path) -> Path:
    for name in ("Pulumi.yaml", "Pulumi.dev.yaml", "Pulumi.prod.yaml"):  # every environment: a prod stack with no network is an error of its own
        shutil.copy(offline.REPO_ROOT / name, tmp_path / name)
    shutil.copytree(offline.REPO_ROOT / "stacks", tmp_path / "stacks")
    return tmp_path


def test_lattice_plan_exits_2_naming_both_files_and_every_files_own_problem(tmp_path):
    # GIVEN a second stack file of dev deploying a target group the orders stack already deploys into its
    # account, and a mistake of the orders file's own
    root = copy_repo(tmp_path)
    orders_path = root / "stacks" / "Pulumi.orders-dev.yaml"
    orders = yaml.safe_load(orders_path.read_text())
    extra = {"config": {"lattice:account": "orders", "lattice:services": {
        "extra-service": dict(orders["config"]["lattice:services"]["inventory-service"]),
    }}}
    (root / "stacks" / "Pulumi.ordersextra-dev.yaml").write_text(yaml.safe_dump(extra))
    orders["config"]["lattice:services"]["order-service"]["listeners"][0]["port"] = 70000
    orders_path.write_text(yaml.safe_dump(orders))
    # WHEN the plan runs
    result = CliRunner().invoke(app, ["plan", "dev", "--project-dir", str(root)])
    # THEN it exits 2, naming both files and key paths of the conflict, and the file's own problem, in one run
    assert result.exit_code == 2, result.output
    assert "stacks/Pulumi.ordersextra-dev.yaml: lattice:services.extra-service.targetGroups.inventory-service-fn" in result.output
    assert "stacks/Pulumi.orders-dev.yaml: lattice:services.inventory-service.targetGroups.inventory-service-fn" in result.output
    assert "lattice:services.order-service.listeners[0].port: 70000 is above the maximum 65535" in result.output
    assert "Traceback" not in result.output


def test_an_environment_whose_files_are_fine_alone_but_conflict_together_is_refused(tmp_path):
    root = copy_repo(tmp_path)
    platform = yaml.safe_load((root / "stacks" / "Pulumi.platform-dev.yaml").read_text())
    mobile_path = root / "stacks" / "Pulumi.mobile-dev.yaml"
    mobile = yaml.safe_load(mobile_path.read_text())
    mobile["config"]["lattice:consumers"]["mobile-backend"]["vpcId"] = platform["config"]["lattice:consumers"]["frontend"]["vpcId"]
    mobile_path.write_text(yaml.safe_dump(mobile))
    with pytest.raises(ConfigError) as raised:
        plan.build("dev", root)
    assert raised.value.problems == [
        "stacks/Pulumi.platform-dev.yaml: lattice:consumers.frontend.vpcId: vpc-frontend is also associated by "
        "stacks/Pulumi.mobile-dev.yaml: lattice:consumers.mobile-backend.vpcId; a VPC is associated with one service network only"
    ]


def test_an_old_name_two_children_would_claim_is_offered_to_neither():
    # GIVEN one service whose IPv6 targets fd00::1 and fd01::1 both had the old name `<group>-1`, and whose
    # listener `abc` with rule `def-ghi` and listener `abc-def` with rule `ghi` both had `orders-abc-def-ghi`
    from lattice_components.config import LatticeServiceSpec

    spec = LatticeServiceSpec.model_validate({
        "name": "order-service", "service_network_arn": NETWORK_ARN, "allowed_callers": CALLERS,
        "target_groups": {"ip6": {"type": "IP", "ip_address_type": "IPV6", "port": 8080, "protocol": "HTTP",
                                  "vpc_id": "vpc-backend1", "targets": [{"id": "fd00::1"}, {"id": "fd01::1"}, {"id": "fd02::2"}]}},
        "listeners": [
            {"name": "abc", "protocol": "HTTPS", "default_action": {"forward": [{"target_group": "ip6"}]},
             "rules": [{"name": "def-ghi", "priority": 1, "match": {"method": "GET"}, "action": {"fixed_response": 404}}]},
            {"name": "abc-def", "protocol": "HTTP", "default_action": {"forward": [{"target_group": "ip6"}]},
             "rules": [{"name": "ghi", "priority": 1, "match": {"method": "GET"}, "action": {"fixed_response": 404}}]},
        ],
    })
    legacy = naming.legacy_names("orders", spec)
    # THEN the ambiguous old names are offered to no one (the engine refuses two claims on one alias), the
    # unambiguous ones are kept
    assert legacy[ATTACHMENT, "orders--ip6--ip6.fd00..1"] == [] and legacy[ATTACHMENT, "orders--ip6--ip6.fd01..1"] == []
    assert legacy[ATTACHMENT, "orders--ip6--ip6.fd02..2"] == ["orders-ip6-2"]
    assert legacy[RULE, "orders--abc--def-ghi"] == [] and legacy[RULE, "orders--abc-def--ghi"] == []
    assert legacy[LISTENER, "orders--abc"] == ["orders-abc"] and legacy[TG, "orders--ip6"] == ["orders-ip6"]


def test_one_old_name_of_two_types_is_two_old_urns_and_each_child_keeps_its_own():
    # GIVEN target group `api-xyz` and listener `api` with rule `xyz`: both were once `orders-api-xyz`, but of two types,
    # so two URNs; THEN each keeps its alias (only a claim by two children of one type is ambiguous)
    from lattice_components.config import LatticeServiceSpec

    spec = LatticeServiceSpec.model_validate({
        "name": "order-service", "service_network_arn": NETWORK_ARN, "allowed_callers": CALLERS,
        "target_groups": {"api-xyz": instance_group(), "api": instance_group()},
        "listeners": [http_listener("api", "api", "xyz")],
    })
    legacy = naming.legacy_names("orders", spec)
    assert legacy[TG, "orders--api-xyz"] == ["orders-api-xyz"] and legacy[RULE, "orders--api--xyz"] == ["orders-api-xyz"]
    assert legacy[TG, "orders--api"] == ["orders-api"] and legacy[LISTENER, "orders--api"] == ["orders-api"]
