"""Values AWS rejects are rejected at config time, with AWS's rule and the key path, before any registration.

Each class is generated: every target kind x group type, every listener protocol x group protocol, every
retention value and its neighbours, hypothesis over tag keys, role names, CIDRs and security group IDs.
"""

from __future__ import annotations

import copy
import ipaddress
import itertools

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from lattice_components.apimodel import value_rules
from lattice_components.config import AccountStackConfig, ConfigError, NetworkStackConfig, parse
from lattice_components.inputs import routing
from lattice_components.config import TargetGroupSpec
from lattice_components.tools import offline

ORDERS_DEV = offline.load_stack_file(offline.REPO_ROOT / "stacks" / "Pulumi.orders-dev.yaml")
PLATFORM_DEV = offline.load_stack_file(offline.REPO_ROOT / "stacks" / "Pulumi.platform-dev.yaml")
NETWORK_DEV = offline.load_stack_file(offline.network_stack_file("dev"))
SOURCE = "stacks/Pulumi.orders-dev.yaml"


def account_problems(config: dict) -> list[str]:
    """The problems the account program reports for a stack file's config (empty: accepted)."""
    raw = {key.removeprefix("lattice:"): value for key, value in config.items() if key.startswith("lattice:")}
    raw.setdefault("networkStack", "organization/lattice-network/dev")
    try:
        parse(AccountStackConfig, raw, SOURCE)
    except ConfigError as error:
        return error.problems
    return []


def network_problems(config: dict) -> list[str]:
    raw = {key.removeprefix("lattice:"): value for key, value in config.items() if key.startswith("lattice:")}
    try:
        parse(NetworkStackConfig, raw, "Pulumi.dev.yaml")
    except ConfigError as error:
        return error.problems
    return []


def with_service(service: dict) -> dict:
    config = copy.deepcopy(ORDERS_DEV)
    config["lattice:services"] = {"probe-service": service}
    return config


def group_of(kind: str, targets: list[dict], **extra) -> dict:
    if kind == "LAMBDA":
        return {"type": "LAMBDA", "targets": targets, **extra}
    return {"type": kind, "port": 8080, "protocol": extra.pop("protocol", "HTTP"), "vpcId": "vpc-backend1", "targets": targets, **extra}


def service_with(group: dict, listener_protocol: str = "HTTP", rule_to_group: bool = False) -> dict:
    listener = {"name": "probe-listener", "protocol": listener_protocol, "defaultAction": {"forward": [{"targetGroup": "probe-group"}]}}
    if rule_to_group:
        listener["defaultAction"] = {"fixedResponse": 404}
        listener["rules"] = [{"name": "probe-rule", "priority": 1, "match": {"pathPrefix": "/x"},
                              "action": {"forward": [{"targetGroup": "probe-group"}]}}]
    service = {
        "targetGroups": {"probe-group": group},
        "listeners": [listener],
        "allowedCallers": {"principals": ["arn:aws:iam::111111111111:role/FrontendAppRole"]},
    }
    if listener_protocol == "TLS_PASSTHROUGH":
        service["customDomainName"] = "probe.example.com"
    return service


def the_problem(problems: list[str], path_part: str) -> str:
    matching = [problem for problem in problems if path_part in problem]
    assert matching, problems
    return matching[0]


# --------------------------------------------------------------------------------------------------------------
# Target kind x group type
# --------------------------------------------------------------------------------------------------------------

TARGETS = {
    "INSTANCE": "i-0123456789abcdef0",
    "IPV4": "10.1.20.10",
    "IPV6": "fd00:1::10",
    "LAMBDA": "arn:aws:lambda:us-east-1:333333333333:function:inventory",
    "ALB": "arn:aws:elasticloadbalancing:us-east-1:333333333333:loadbalancer/app/orders/50dc6c495c0c9188",
}
GROUPS = {  # group type, ipAddressType, the target kind it takes
    "INSTANCE": ("INSTANCE", None, "INSTANCE"),
    "IP": ("IP", None, "IPV4"),
    "IP/IPV4": ("IP", "IPV4", "IPV4"),
    "IP/IPV6": ("IP", "IPV6", "IPV6"),
    "LAMBDA": ("LAMBDA", None, "LAMBDA"),
    "ALB": ("ALB", None, "ALB"),
}


@pytest.mark.parametrize(("group", "target"), list(itertools.product(GROUPS, TARGETS)))
def test_a_target_is_accepted_exactly_where_its_kind_fits_the_group_type(group, target):
    # GIVEN a group of each type and a target of each kind
    kind, address_type, fits = GROUPS[group]
    extra = {"ipAddressType": address_type} if address_type else {}
    config = with_service(service_with(group_of(kind, [{"id": TARGETS[target]}], **extra)))
    # WHEN the stack's config is read
    problems = account_problems(config)
    # THEN it is accepted exactly when the kind fits, else refused at the target's id with the kind it needs
    if target == fits:
        assert problems == []
    else:
        problem = the_problem(problems, "targetGroups.probe-group.targets[0].id")
        assert TARGETS[target] in problem
        assert value_rules.target_kind(kind, address_type).split(" (")[0] in problem or "ipAddressType" in problem


@pytest.mark.parametrize("kind", ["INSTANCE", "IP", "ALB", "LAMBDA"])
def test_ip_address_type_belongs_to_ip_groups_only(kind):
    config = with_service(service_with(group_of(kind, [], ipAddressType="IPV4")))
    problems = account_problems(config)
    if kind == "IP":
        assert problems == []
    else:
        assert "ipAddressType: is supported only for IP target groups" in the_problem(problems, "ipAddressType")


def test_a_lambda_target_takes_no_port():
    config = with_service(service_with(group_of("LAMBDA", [{"id": TARGETS["LAMBDA"], "port": 8080}])))
    assert the_problem(account_problems(config), "targets[0].port").endswith("LAMBDA targets take no port")


@given(
    address=st.ip_addresses(v=6).map(str),
    spelled=st.sampled_from(["canonical", "exploded", "upper"]),
)
@settings(max_examples=60, deadline=None, derandomize=True)
def test_the_same_ipv6_target_in_any_spelling_is_a_duplicate(address, spelled):
    # GIVEN an IPv6 address listed twice, once in another spelling of the same address
    other = {"canonical": address, "exploded": ipaddress.ip_address(address).exploded, "upper": address.upper()}[spelled]
    group = group_of("IP", [{"id": address}, {"id": other}], ipAddressType="IPV6")
    # THEN the second is the same target as the first
    problem = the_problem(account_problems(with_service(service_with(group))), "targets[1]")
    assert "is the same target as targets[0]" in problem


@pytest.mark.parametrize(("first", "second", "duplicate"), [
    ({"id": "10.1.20.10"}, {"id": "10.1.20.10"}, True),
    ({"id": "10.1.20.10"}, {"id": "10.1.20.10", "port": 8080}, True),  # 8080 is the group's port
    ({"id": "10.1.20.10"}, {"id": "10.1.20.10", "port": 9090}, False),  # one IP on two ports: two targets
    ({"id": "10.1.20.10", "port": 9090}, {"id": "10.1.20.10", "port": 9091}, False),
    ({"id": "10.1.20.10"}, {"id": "10.1.20.11"}, False),
])
def test_a_target_listed_twice_is_a_config_error_and_one_ip_on_two_ports_is_not(first, second, duplicate):
    problems = account_problems(with_service(service_with(group_of("IP", [first, second]))))
    if duplicate:
        assert "targetGroups.probe-group.targets[1]: is the same target as targets[0]" in the_problem(problems, "targets[1]")
    else:
        assert problems == []


# --------------------------------------------------------------------------------------------------------------
# Listener protocol x group protocol
# --------------------------------------------------------------------------------------------------------------

GROUP_PROTOCOLS = ["HTTP", "HTTPS", "TCP", "LAMBDA"]
FITS = {"HTTP": {"HTTP", "HTTPS", "LAMBDA"}, "HTTPS": {"HTTP", "HTTPS", "LAMBDA"}, "TLS_PASSTHROUGH": {"TCP"}}


@pytest.mark.parametrize(("listener", "group", "where"), [
    (listener, group, where)
    for listener, group in itertools.product(FITS, GROUP_PROTOCOLS)
    for where in ("defaultAction", "rules")
    if not (listener == "TLS_PASSTHROUGH" and where == "rules")  # TLS listeners take no rules at all
])
def test_a_listener_forwards_only_to_groups_its_protocol_fits(listener, group, where):
    # GIVEN a listener of each protocol forwarding (by default or by a rule) to a group of each protocol
    target_group = group_of("LAMBDA", []) if group == "LAMBDA" else group_of("INSTANCE", [], protocol=group)
    config = with_service(service_with(target_group, listener, rule_to_group=where == "rules"))
    problems = account_problems(config)
    # THEN it is accepted exactly when the protocols fit, else refused at the forward with both protocols named
    if group in FITS[listener]:
        assert problems == []
    else:
        path = "defaultAction.forward[0].targetGroup" if where == "defaultAction" else "rules[0].action.forward[0].targetGroup"
        problem = the_problem(problems, path)
        assert f"{listener} listeners forward to" in problem


# --------------------------------------------------------------------------------------------------------------
# Health checks
# --------------------------------------------------------------------------------------------------------------


def test_a_tcp_health_check_is_refused_with_the_documented_protocols():
    group = group_of("INSTANCE", [], healthCheck={"protocol": "TCP"})
    problem = the_problem(account_problems(with_service(service_with(group))), "healthCheck.protocol")
    assert "'TCP' is not one of 'HTTP' or 'HTTPS'" in problem


@pytest.mark.parametrize(("protocol", "version", "enabled"), [
    ("HTTP", None, True), ("HTTP", "HTTP1", True), ("HTTP", "HTTP2", False), ("HTTP", "GRPC", False),
    ("HTTPS", None, True), ("HTTPS", "HTTP1", True), ("HTTPS", "HTTP2", False), ("HTTPS", "GRPC", False),
    ("TCP", None, False), ("TCP", "HTTP1", False),
])
def test_the_default_health_check_is_the_one_aws_applies_for_the_protocol_and_version(protocol, version, enabled):
    # GIVEN a group with no healthCheck; THEN it gets AWS's default: on for HTTP1, off for HTTP2, gRPC and TCP
    fields = {"type": "INSTANCE", "port": 8080, "protocol": protocol, "vpc_id": "vpc-backend1"}
    if version:
        fields["protocol_version"] = version
    check = routing.health_check(TargetGroupSpec.model_validate(fields))
    assert check["enabled"] is enabled
    if enabled:
        assert check["protocol"] == "HTTP"  # HealthCheckConfig: "The default is HTTP"


@pytest.mark.parametrize("missing", ["protocol", "protocolVersion"])
def test_enabling_a_health_check_on_a_tcp_group_needs_its_protocol_and_version(missing):
    check = {"enabled": True, "protocol": "HTTP", "protocolVersion": "HTTP1", "path": "/health"}
    check.pop(missing)
    group = group_of("INSTANCE", [], protocol="TCP", healthCheck=check)
    config = with_service(service_with(group, "TLS_PASSTHROUGH"))
    assert f"healthCheck.{missing}: is required to enable a health check on a TCP target group" in the_problem(account_problems(config), missing)


# --------------------------------------------------------------------------------------------------------------
# CloudWatch retention
# --------------------------------------------------------------------------------------------------------------

RETENTION = value_rules.retention_days()
NEIGHBOURS = sorted({value + delta for value in RETENTION for delta in (-1, 0, 1) if value + delta >= 0})


def test_the_retention_values_are_the_ones_cloudwatch_documents():
    assert RETENTION == (1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653)


@pytest.mark.parametrize("days", NEIGHBOURS)
def test_every_retention_value_and_its_neighbours(days):
    # GIVEN every allowed retention and the values one day either side, on a service and on the network
    service = copy.deepcopy(ORDERS_DEV["lattice:services"]["order-service"]) | {"accessLogs": True, "accessLogRetentionDays": days}
    network = copy.deepcopy(NETWORK_DEV)
    network["lattice:network"] |= {"accessLogs": True, "accessLogRetentionDays": days}
    # THEN both accept it exactly when CloudWatch Logs does
    service_problems = account_problems(with_service(service))
    if days in RETENTION:
        assert service_problems == [] and network_problems(network) == []
    else:
        assert f"accessLogRetentionDays: {days} is not a retention CloudWatch Logs accepts" in the_problem(service_problems, "accessLogRetentionDays")
        assert "lattice:network.accessLogRetentionDays" in the_problem(network_problems(network), "accessLogRetentionDays")


# --------------------------------------------------------------------------------------------------------------
# Tags
# --------------------------------------------------------------------------------------------------------------


@given(prefix=st.sampled_from(["aws:", "AWS:", "Aws:", "aWs:"]), rest=st.text("abcXYZ019-_./", min_size=0, max_size=20))
@settings(max_examples=40, deadline=None, derandomize=True)
def test_tag_keys_starting_with_aws_in_any_case_are_refused(prefix, rest):
    key = prefix + rest
    service = copy.deepcopy(ORDERS_DEV["lattice:services"]["order-service"]) | {"tags": {key: "x"}}
    network = copy.deepcopy(NETWORK_DEV)
    network["lattice:network"]["tags"] = {key: "x"}
    assert "starts with 'aws:'" in the_problem(account_problems(with_service(service)), "tags")
    assert "starts with 'aws:'" in the_problem(network_problems(network), "lattice:network.tags")


@pytest.mark.parametrize(("key", "value", "ok"), [
    ("k" * 128, "v" * 256, True), ("k" * 129, "v", False), ("k", "v" * 257, False), ("", "v", False), ("k", "", True),
    ("awsome", "x", True), ("Team:aws:", "x", True),
])
def test_tag_lengths_are_the_lattice_models(key, value, ok):
    service = copy.deepcopy(ORDERS_DEV["lattice:services"]["order-service"]) | {"tags": {key: value}}
    problems = account_problems(with_service(service))
    assert (problems == []) is ok, problems


# --------------------------------------------------------------------------------------------------------------
# IAM names, organization ARNs, CIDRs, security group IDs
# --------------------------------------------------------------------------------------------------------------

ROLE_NAME = st.text("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789+=,.@_-", min_size=1, max_size=64)


@given(name=ROLE_NAME)
@settings(max_examples=50, deadline=None, derandomize=True)
def test_role_names_iam_accepts_are_accepted_everywhere(name):
    config = copy.deepcopy(ORDERS_DEV)
    config["lattice:deployRoleName"] = name
    config["lattice:services"]["order-service"]["allowedCallers"]["principals"] = [f"arn:aws:iam::111111111111:role/team/{name}"]
    assert account_problems(config) == []


@pytest.mark.parametrize("name", ["LatticeDeployRole", "deploy/LatticeDeployRole", "ci/deploy/Lattice.Deploy@2"])
def test_a_deploy_role_may_have_a_path(name):
    config = copy.deepcopy(ORDERS_DEV)
    config["lattice:deployRoleName"] = name
    assert account_problems(config) == []


@given(name=st.one_of(
    ROLE_NAME.map(lambda n: n + " "), ROLE_NAME.map(lambda n: n + "*"), st.text("ab", min_size=65, max_size=80),
    ROLE_NAME.map(lambda n: n + "/"), ROLE_NAME.map(lambda n: "/" + n),
))
@settings(max_examples=50, deadline=None, derandomize=True)
def test_role_names_iam_rejects_are_refused_at_config_time(name):
    config = copy.deepcopy(ORDERS_DEV)
    config["lattice:deployRoleName"] = name
    assert "lattice:deployRoleName:" in the_problem(account_problems(config), "deployRoleName")
    config = copy.deepcopy(ORDERS_DEV)
    config["lattice:services"]["order-service"]["allowedCallers"]["principals"] = [f"arn:aws:iam::111111111111:role/{name}"]
    assert "allowedCallers.principals[0]" in the_problem(account_problems(config), "principals")


@pytest.mark.parametrize(("principal", "ok"), [
    ("111111111111", True),
    ("arn:aws:iam::111111111111:root", True),
    ("arn:aws:iam::111111111111:user/ops/alice", True),
    ("arn:aws:sts::111111111111:assumed-role/FrontendAppRole/session-1", True),
    ("arn:aws:iam::111111111111:group/admins", False),
    ("arn:aws:iam::111111111111:role/", False),
    ("arn:aws:iam::11111111111:role/Short", False),
    ("arn:aws:s3:::bucket", False),
])
def test_principals_are_iam_principals(principal, ok):
    config = copy.deepcopy(ORDERS_DEV)
    config["lattice:services"]["order-service"]["allowedCallers"]["principals"] = [principal]
    assert (account_problems(config) == []) is ok


@pytest.mark.parametrize(("arn", "problem"), [
    ("arn:aws:organizations::111111111111:organization/o-a1b2c3d4e5", None),
    ("arn:aws:organizations::111111111111:organization/o-zzzzzzzzzz", "names organization o-zzzzzzzzzz but organizationId is o-a1b2c3d4e5"),
    ("arn:aws:organizations::111111111111:ou/o-a1b2c3d4e5/ou-ab12-cdefgh12", "is not an organization ARN"),
    ("arn:aws:organizations::11111111111:organization/o-a1b2c3d4e5", "is not an organization ARN"),
    ("o-a1b2c3d4e5", "is not an organization ARN"),
])
def test_the_organization_arn_is_an_organization_arn_of_the_organization(arn, problem):
    network = copy.deepcopy(NETWORK_DEV)
    network["lattice:network"]["organizationArn"] = arn
    problems = network_problems(network)
    if problem is None:
        assert problems == []
    else:
        assert problem in the_problem(problems, "lattice:network.organizationArn")


@pytest.mark.parametrize(("cidr", "problem"), [
    ("10.0.0.0/16", None), ("0.0.0.0/0", None), ("10.0.0.5/32", None),
    ("10.0.0.1/16", "has host bits set: EC2 stores it as '10.0.0.0/16'"),
    ("10.0.0.5", "is an address, not a CIDR block: write '10.0.0.5/32'"),
    ("10.0.0.0/33", "is not a CIDR block"), ("vpc-cidr", "is not a CIDR block"),
    ("fd00::/8", "is an IPv6 range"),
])
def test_client_cidrs_are_ipv4_network_addresses(cidr, problem):
    config = copy.deepcopy(PLATFORM_DEV)
    config["lattice:consumers"]["frontend"]["createSecurityGroup"]["clientCidrs"] = [cidr]
    problems = account_problems(config)
    if problem is None:
        assert problems == []
    else:
        assert problem in the_problem(problems, "clientCidrs[0]")


@given(suffix=st.text("0123456789abcdefghijklmnopqrstuvwxyz", min_size=1, max_size=20))
@settings(max_examples=60, deadline=None, derandomize=True)
def test_security_group_ids_follow_the_lattice_model(suffix):
    config = copy.deepcopy(PLATFORM_DEV)
    config["lattice:consumers"]["frontend"]["securityGroupIds"] = [f"sg-{suffix}"]
    problems = account_problems(config)
    assert (problems == []) is (len(suffix) in (8, 17)), problems


def test_a_security_group_listed_twice_in_an_association_is_refused():
    config = copy.deepcopy(PLATFORM_DEV)
    config["lattice:consumers"]["frontend"]["securityGroupIds"] = ["sg-0123456789abcdef0", "sg-0123456789abcdef0"]
    assert "securityGroupIds[1]: sg-0123456789abcdef0 is listed twice" in the_problem(account_problems(config), "securityGroupIds[1]")


# --------------------------------------------------------------------------------------------------------------
# Through the program: refused before anything is registered
# --------------------------------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def network_outputs():
    return offline.run_network_stack("dev").outputs


BAD = [
    ("an IP in an INSTANCE group", lambda c: c["lattice:services"]["order-service"]["targetGroups"]["order-service-stable"]["targets"].append({"id": "10.1.2.3"}),
     "lattice:services.order-service.targetGroups.order-service-stable.targets[2].id"),
    ("a retention CloudWatch refuses", lambda c: c["lattice:services"]["order-service"].update(accessLogs=True, accessLogRetentionDays=31),
     "lattice:services.order-service.accessLogRetentionDays"),
    ("an aws: tag", lambda c: c["lattice:services"]["order-service"]["tags"].update({"aws:team": "x"}),
     "lattice:services.order-service.tags.aws:team"),
    ("a role name with a space", lambda c: c.update({"lattice:deployRoleName": "Lattice Deploy"}), "lattice:deployRoleName"),
]


@pytest.mark.parametrize(("scenario", "mutate", "path"), BAD, ids=[case[0] for case in BAD])
def test_the_account_program_stops_before_registering_anything(network_outputs, scenario, mutate, path):
    config = copy.deepcopy(ORDERS_DEV)
    mutate(config)
    with pytest.raises(ConfigError) as raised:
        offline.run_account_stack("orders-dev", network_outputs, "organization/lattice-network/dev", config=config)
    assert SOURCE in str(raised.value)
    assert any(problem.startswith(path + ":") for problem in raised.value.problems), raised.value.problems
    assert [r.type for r in raised.value.registrations if r.type.startswith("aws:")] == []


def test_lattice_plan_exits_2_with_the_file_and_key_path(tmp_path):
    # GIVEN a copy of the repository whose orders stack keeps access logs for 31 days (CloudWatch takes 30 or 60)
    import shutil

    import yaml
    from typer.testing import CliRunner

    from lattice_components.tools.cli import app

    for name in ("Pulumi.yaml", "Pulumi.dev.yaml"):
        shutil.copy(offline.REPO_ROOT / name, tmp_path / name)
    shutil.copytree(offline.REPO_ROOT / "stacks", tmp_path / "stacks")
    path = tmp_path / "stacks" / "Pulumi.orders-dev.yaml"
    document = yaml.safe_load(path.read_text())
    document["config"]["lattice:services"]["order-service"].update(accessLogs=True, accessLogRetentionDays=31)
    path.write_text(yaml.safe_dump(document))
    # WHEN the plan runs; THEN exit 2, one line naming the file, the key path and CloudWatch's rule, no traceback
    result = CliRunner().invoke(app, ["plan", "dev", "--project-dir", str(tmp_path)])
    assert result.exit_code == 2, result.output
    assert "stacks/Pulumi.orders-dev.yaml" in result.output
    assert "lattice:services.order-service.accessLogRetentionDays: 31 is not a retention CloudWatch Logs accepts" in result.output
    assert "Traceback" not in result.output


def test_every_bad_item_is_reported_at_once_under_its_own_index_or_key():
    # GIVEN two bad security group IDs, two bad CIDRs, two reserved tag keys and a bad principal
    platform = copy.deepcopy(PLATFORM_DEV)
    platform["lattice:consumers"]["frontend"]["securityGroupIds"] = ["sg-1", "sg-2"]
    platform["lattice:consumers"]["frontend"]["createSecurityGroup"]["clientCidrs"] = ["10.0.0.1/16", "x"]
    orders = copy.deepcopy(ORDERS_DEV)
    orders["lattice:services"]["order-service"]["tags"] = {"aws:a": "1", "AWS:b": "2"}
    orders["lattice:services"]["order-service"]["allowedCallers"]["principals"].append("arn:aws:iam::111111111111:group/x")
    # THEN each is one line, under the path the user wrote
    assert [problem.split(": ")[0] for problem in account_problems(platform)] == [
        "lattice:consumers.frontend.securityGroupIds[0]",
        "lattice:consumers.frontend.securityGroupIds[1]",
        "lattice:consumers.frontend.createSecurityGroup.clientCidrs[0]",
        "lattice:consumers.frontend.createSecurityGroup.clientCidrs[1]",
    ]
    assert sorted(problem.split(": ")[0] for problem in account_problems(orders)) == [
        "lattice:services.order-service.allowedCallers.principals[2]",
        "lattice:services.order-service.tags.AWS:b",
        "lattice:services.order-service.tags.aws:a",
    ]


@pytest.mark.parametrize(("where", "values", "path"), [
    ("principals", ["arn:aws:iam::111111111111:role/A", "arn:aws:iam::111111111111:role/A"], "allowedCallers.principals[1]"),
    ("cidrs", ["10.0.0.0/16", "10.0.0.0/16"], "createSecurityGroup.clientCidrs[1]"),
])
def test_a_value_listed_twice_is_named_at_its_second_index(where, values, path):
    if where == "principals":
        config = copy.deepcopy(ORDERS_DEV)
        config["lattice:services"]["order-service"]["allowedCallers"]["principals"] = values
    else:
        config = copy.deepcopy(PLATFORM_DEV)
        config["lattice:consumers"]["frontend"]["createSecurityGroup"]["clientCidrs"] = values
    assert "is listed twice" in the_problem(account_problems(config), path + ":")
