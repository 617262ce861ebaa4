"""Which consumer VPC reaches which resource configuration on which ports, and why (`tools/resource_access.py`).

GIVEN what stacks registered (the real dev environment, or a small synthetic one varied one fact at a time), WHEN
the resource access rows are computed, THEN each VPC x resource cell says reachable / unreachable / cannot decide
with the ports the security groups admit and the layer that decided.
"""

from __future__ import annotations

import pytest

from lattice_components.tools import offline, plan, resource_access, topology

SN_ARN = "arn:aws:vpc-lattice:us-east-1:111111111111:servicenetwork/sn-0000000000000000a"


@pytest.fixture(scope="module")
def dev():
    return offline.run_environment("dev")


def cells(rows):
    return {(row["vpc"], row["resource"]): (row["allowed"], row["evaluable"], row["ports"]) for row in rows}


def test_the_dev_example_reaches_the_orders_database_from_the_frontend_and_through_the_endpoint(dev):
    rows = resource_access.rows(dev)
    assert cells(rows) == {
        ("vpc-frontend", "orders-db"): (True, True, "5432"),  # its created group admits 5432
        ("vpc-analytic", "orders-db"): (True, True, "5432"),  # through the ServiceNetwork endpoint
        ("vpc-backend1", "orders-db"): (False, True, ""),  # its group admits 80 only
        ("vpc-mobileb2", "orders-db"): (False, False, ""),  # sg-abcdef0123456789a's rules are in no stack
    }
    assert {row["vpc"]: row["via"] for row in rows}["vpc-analytic"] == "endpoint"


def test_the_topology_draws_gateway_configuration_endpoint_share_and_paths(dev):
    diagram = topology.mermaid(dev)
    for line in (
        'n_rgw_orders_db_gateway[/"resource gateway orders-db-gateway<br/>vpc-backend1"/]',
        'n_rcfg_orders_db[("orders-db<br/>SINGLE TCP 5432")]',
        "n_rgw_orders_db_gateway --- n_rcfg_orders_db",
        "n_rcfg_orders_db -- association --> n_sn",
        "n_vpc_analytic -- endpoint --> n_sn",
        'n_rcfg_orders_db -. "RAM share" .-> n_account_platform',
        'n_vpc_frontend -. "TCP 5432" .-> n_rcfg_orders_db',
    ):
        assert line in diagram, line
    assert 'n_vpc_backend1 -. "TCP' not in diagram


def test_endpoint_vpcs_are_callers_of_services_too_and_their_group_decides(dev):
    rows = [row for row in topology.access_rows(dev) if row["vpc"] == "vpc-analytic"]
    assert rows and not any(row["allowed"] for row in rows)
    assert all("admits port 80" in "; ".join(row["reasons"]) for row in rows)  # the endpoint's group admits 5432 only


def test_the_plan_report_has_the_resource_access_section_and_says_auth_policies_do_not_apply(dev):
    report = plan.PlanReport(env="dev", runs=dev.runs, resource_access=resource_access.rows(dev))
    text = plan.to_markdown(report)
    assert "### Resource access" in text and "not auth policies" in text
    assert "| `vpc-frontend` | platform | association | orders-db (SINGLE) | orders | 5432 | ✅ reachable |" in text


# -- synthetic environments, one fact varied at a time ----------------------------------------------------------


def registered(type_, name, inputs, id_="", state=None):
    return offline.RegisteredResource(type=type_, name=name, urn=f"urn:{type_}::{name}", inputs=inputs, custom=True,
                                      id=id_ or name, state=state or {})


def environment(*, groups=("sg-clients",), rules=({"protocol": "tcp", "fromPort": 5432, "toPort": 5432},),
                via="association", associate=True, ports=("5432",), kind="SINGLE", endpoint_target=None):
    network = offline.ProgramRun("lattice-network", "dev", [
        registered("aws:vpclattice/serviceNetwork:ServiceNetwork", "net", {"name": "net"}, "sn-0000000000000000a", {"arn": SN_ARN}),
    ], {"networkAccount": "platform", "accounts": {"platform": {"id": "111111111111"}, "orders": {"id": "333333333333"}}})
    owner = [
        registered(resource_access.CONFIGURATION, "db", {"name": "db", "type": kind, "portRanges": list(ports)},
                   "rcfg-db", {"arn": "arn:rcfg-db"}),
    ]
    if kind == "GROUP":
        owner.append(registered(resource_access.CONFIGURATION, "db-child", {
            "name": "db-child", "type": "CHILD", "portRanges": list(ports), "resourceConfigurationGroupId": "rcfg-db"}, "rcfg-child"))
    if associate:
        owner.append(registered(resource_access.RESOURCE_ASSOCIATION, "db-assoc", {
            "resourceConfigurationIdentifier": "rcfg-db", "serviceNetworkIdentifier": SN_ARN}))
    consumer = [registered(resource_access.SECURITY_GROUP, "clients", {"ingress": [{**r, "cidrBlocks": ["10.0.0.0/16"]} for r in rules]}, "sg-clients")]
    if via == "association":
        consumer.append(registered(resource_access.VPC_ASSOCIATION, "assoc", {
            "vpcIdentifier": "vpc-consumer", "serviceNetworkIdentifier": SN_ARN, "securityGroupIds": list(groups)}))
    else:
        consumer.append(registered(resource_access.ENDPOINT, "endpoint", {
            "vpcId": "vpc-consumer", "vpcEndpointType": "Resource" if endpoint_target else "ServiceNetwork",
            "serviceNetworkArn": SN_ARN, "resourceConfigurationArn": endpoint_target, "securityGroupIds": list(groups)}))
    return offline.EnvironmentRun("dev", network, [
        offline.ProgramRun("lattice-account", "orders-dev", owner, {"account": "orders"}),
        offline.ProgramRun("lattice-account", "platform-dev", consumer, {"account": "platform"}),
    ])


@pytest.mark.parametrize(
    "scenario, options, expected",
    [
        ("the group admits the port", {}, (True, True, "5432")),
        ("the group admits part of the range", {"ports": ("5000-6000",)}, (True, True, "5432")),
        ("the group admits all TCP", {"rules": ({"protocol": "-1", "fromPort": 0, "toPort": 0},), "ports": ("22", "5432")},
         (True, True, "22, 5432")),
        ("the group admits another port", {"rules": ({"protocol": "tcp", "fromPort": 80, "toPort": 80},)}, (False, True, "")),
        ("UDP only", {"rules": ({"protocol": "udp", "fromPort": 5432, "toPort": 5432},)}, (False, True, "")),
        ("an association without groups filters nothing", {"groups": ()}, (True, True, "5432")),
        ("an endpoint without groups gets the default group", {"groups": (), "via": "endpoint"}, (False, False, "")),
        ("a group no stack declares", {"groups": ("sg-elsewhere",)}, (False, False, "")),
        ("a declared group decides despite an undeclared one", {"groups": ("sg-elsewhere", "sg-clients")}, (True, True, "5432")),
        ("the configuration is not associated", {"associate": False}, (False, True, "")),
        ("through a ServiceNetwork endpoint", {"via": "endpoint"}, (True, True, "5432")),
        ("a Resource endpoint of this configuration, unassociated", {"via": "endpoint", "endpoint_target": "arn:rcfg-db",
                                                                     "associate": False}, (True, True, "5432")),
        ("a Resource endpoint of another configuration", {"via": "endpoint", "endpoint_target": "arn:rcfg-other"}, (False, True, "")),
        ("an ARN configuration's ports are not in the stacks", {"ports": ()}, (False, False, "")),
    ],
)
def test_each_layer_decides_the_cell(scenario, options, expected):
    [row] = resource_access.rows(environment(**options))
    assert (row["allowed"], row["evaluable"], row["ports"]) == expected, row["reasons"]
    assert row["reasons"]


def test_a_child_is_reached_through_its_groups_association_and_the_group_itself_is_not_a_row():
    rows = resource_access.rows(environment(kind="GROUP"))
    assert [(row["resource"], row["allowed"]) for row in rows] == [("db-child", True)]


def test_piped_plan_output_has_one_tab_separated_line_per_resource_cell(dev):
    from lattice_components.tools import plain

    report = plan.PlanReport(env="dev", runs=dev.runs, resource_access=resource_access.rows(dev))
    lines = plain.plan_lines(report)
    start = lines.index("resource access:")
    assert lines[start + 1].split("\t")[:6] == ["from_vpc", "via", "resource", "owner", "ports", "decision"]
    assert "vpc-analytic\tendpoint\torders-db\torders\t5432\treachable\t" in "\n".join(lines[start + 2:start + 6])
