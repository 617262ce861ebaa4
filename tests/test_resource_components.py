"""The resource components on their own: GIVEN their arguments, WHEN constructed under the mock monitor, THEN
they register these children with these inputs under themselves, each passing the API model; bad arguments are
refused, naming the component and the key, before any child is registered."""

from __future__ import annotations

import pytest

from helpers import run_component
from lattice_components import ResourceConfiguration, ResourceGateway, ServiceNetworkEndpoint
from lattice_components.apimodel import check_resource
from lattice_components.config import ConfigError
from lattice_components.config.resources import ec2_enum

NETWORK_ARN = "arn:aws:vpc-lattice:us-east-1:123456789012:servicenetwork/sn-0123456789abcdef0"
GATEWAY_ID = "rgw-0123456789abcdef0"
CONFIGURATION = "aws:vpclattice/resourceConfiguration:ResourceConfiguration"


def children_of(run, component_type):
    components = run.of_type(component_type)
    return [r for r in run.resources if r.parent in {c.urn for c in components}]


def test_a_gateway_in_two_subnets():
    run = run_component(lambda: ResourceGateway("db", {
        "name": "db-gateway", "vpc_id": "vpc-backend1", "subnet_ids": ["subnet-0b1a2c3d", "subnet-0b1a2c3e"],
        "security_group_ids": ["sg-0db0a1b2c3d4e5f60"], "ipv4_addresses_per_eni": 8,
    }))
    [gateway] = children_of(run, "lattice:index:ResourceGateway")
    assert gateway.type == "aws:vpclattice/resourceGateway:ResourceGateway" and gateway.name == "db-gateway"
    assert gateway.inputs["vpcId"] == "vpc-backend1" and gateway.inputs["ipAddressType"] == "IPV4"
    assert gateway.inputs["ipv4AddressesPerEni"] == 8 and check_resource(gateway.type, gateway.inputs) == []


def test_a_single_database_associated_with_the_network_and_shared_with_one_account():
    # GIVEN a SINGLE configuration by DNS name, associated and shared with an account of the organization
    run = run_component(lambda: ResourceConfiguration("orders-db", {
        "name": "orders-db", "resource_gateway_id": GATEWAY_ID, "dns_name": "orders-db.example.com",
        "port_ranges": ["5432"], "service_network_arn": NETWORK_ARN, "share_principals": ["111111111111"],
    }))
    children = {r.type.rsplit(":", 1)[-1]: r for r in children_of(run, "lattice:index:ResourceConfiguration")}
    # THEN the configuration, its association, and the share with one principal, all under the component
    assert sorted(children) == ["PrincipalAssociation", "ResourceAssociation", "ResourceConfiguration",
                                "ResourceShare", "ServiceNetworkResourceAssociation"]
    config = children["ResourceConfiguration"]
    assert config.inputs["resourceConfigurationDefinition"] == {
        "dnsResource": {"domainName": "orders-db.example.com", "ipAddressType": "IPV4"}}
    assert config.inputs["protocol"] == "TCP" and config.inputs["allowAssociationToShareableServiceNetwork"] is True
    assert children["ServiceNetworkResourceAssociation"].inputs["resourceConfigurationIdentifier"] == config.id
    assert children["ResourceShare"].inputs["allowExternalPrincipals"] is False
    assert children["ResourceAssociation"].inputs["resourceArn"] == config.state["arn"]
    assert children["PrincipalAssociation"].inputs["principal"] == "111111111111"
    assert all(check_resource(r.type, r.inputs) == [] for r in children.values())


def test_a_group_registers_each_child_under_the_groups_id():
    run = run_component(lambda: ResourceConfiguration("replicas", {
        "name": "replicas", "type": "GROUP", "resource_gateway_id": GATEWAY_ID, "port_ranges": ["5432"],
        "associate": False,
        "children": {"replica-a": {"ip_address": "10.1.30.10"}, "replica-b": {"dns_name": "b.example.com", "port_ranges": ["6432"]}},
    }))
    configs = {r.inputs["name"]: r for r in run.of_type(CONFIGURATION)}
    assert {name: r.inputs["type"] for name, r in configs.items()} == {"replicas": "GROUP", "replica-a": "CHILD", "replica-b": "CHILD"}
    assert configs["replica-a"].inputs["resourceConfigurationGroupId"] == configs["replicas"].id
    assert "resourceGatewayIdentifier" not in configs["replica-a"].inputs  # a child inherits its group's gateway
    assert configs["replica-b"].inputs["portRanges"] == ["6432"]
    assert run.of_type("aws:vpclattice/serviceNetworkResourceAssociation:ServiceNetworkResourceAssociation") == []
    assert all(check_resource(r.type, r.inputs) == [] for r in configs.values())


def test_an_rds_database_by_arn_takes_no_ports_or_protocol():
    run = run_component(lambda: ResourceConfiguration("orders-rds", {
        "name": "orders-rds", "type": "ARN", "resource_gateway_id": GATEWAY_ID,
        "arn": "arn:aws:rds:us-east-1:123456789012:db:orders", "service_network_arn": NETWORK_ARN,
    }))
    [config] = run.of_type(CONFIGURATION)
    assert "portRanges" not in config.inputs and "protocol" not in config.inputs
    assert config.inputs["resourceConfigurationDefinition"] == {"arnResource": {"arn": "arn:aws:rds:us-east-1:123456789012:db:orders"}}


def test_a_share_with_an_outside_account_allows_external_principals():
    run = run_component(lambda: ResourceConfiguration("db", {
        "name": "orders-db", "resource_gateway_id": GATEWAY_ID, "ip_address": "10.1.3.4", "port_ranges": ["5432"],
        "service_network_arn": NETWORK_ARN, "share_principals": ["222222222222"], "allow_external_principals": True,
    }))
    [share] = run.of_type("aws:ram/resourceShare:ResourceShare")
    assert share.inputs["allowExternalPrincipals"] is True and share.inputs["name"] == "orders-db-share"


def test_an_endpoint_with_a_created_security_group():
    run = run_component(lambda: ServiceNetworkEndpoint("reporting", {
        "vpc_id": "vpc-analytic", "subnet_ids": ["subnet-0a11c0de", "subnet-0a11c0df"], "service_network_arn": NETWORK_ARN,
        "create_security_group": {"client_cidrs": ["10.3.0.0/16"], "ports": [5432, 443]}, "private_dns_enabled": True,
    }))
    [endpoint] = run.of_type("aws:ec2/vpcEndpoint:VpcEndpoint")
    [group] = run.of_type("aws:ec2/securityGroup:SecurityGroup")
    assert endpoint.inputs["vpcEndpointType"] == "ServiceNetwork" and "ServiceNetwork" in ec2_enum("VpcEndpointType")
    assert endpoint.inputs["serviceNetworkArn"] == NETWORK_ARN and endpoint.inputs["securityGroupIds"] == [group.id]
    assert [(rule["fromPort"], rule["cidrBlocks"]) for rule in group.inputs["ingress"]] == [(443, ["10.3.0.0/16"]), (5432, ["10.3.0.0/16"])]
    assert endpoint.parent == group.parent == run.of_type("lattice:index:ServiceNetworkEndpoint")[0].urn


@pytest.mark.parametrize(
    "build, says",
    [
        (lambda: ResourceGateway("gw", {"name": "gw-one", "vpc_id": "vpc-backend1", "subnet_ids": []}),
         "args.subnetIds: has 0 items, below the minimum 1"),
        (lambda: ResourceConfiguration("db", {"name": "orders-db", "resource_gateway_id": GATEWAY_ID,
                                               "dns_name": "db.example.com", "port_ranges": ["5432-99"],
                                               "service_network_arn": NETWORK_ARN}),
         "args.portRanges[0]: '5432-99': the range starts above its end"),
        (lambda: ResourceConfiguration("db", {"name": "orders-db", "resource_gateway_id": GATEWAY_ID,
                                               "dns_name": "db.example.com", "port_ranges": ["5432"]}),
         "args.serviceNetworkArn: is required when associate is true"),
        (lambda: ResourceConfiguration("db", {"name": "orders-db", "resource_gateway_id": "gw", "associate": False,
                                               "dns_name": "db.example.com", "port_ranges": ["5432"]}),
         "args.resourceGatewayId: 'gw' is not a resource gateway ID"),
        (lambda: ResourceConfiguration("db", {"name": "orders-db", "resource_gateway_id": GATEWAY_ID, "associate": False,
                                               "dns_name": "db.example.com", "port_ranges": ["5432"],
                                               "share_principals": ["platform"]}),
         "args.sharePrincipals[0]: 'platform' is neither a 12-digit account ID"),
        (lambda: ServiceNetworkEndpoint("ep", {"vpc_id": "vpc-analytic", "subnet_ids": ["subnet-0a11c0de"],
                                               "service_network_arn": NETWORK_ARN}),
         "args.securityGroupIds: an endpoint without security groups gets the VPC's default group"),
    ],
)
def test_bad_arguments_name_the_component_and_the_key_and_register_nothing(build, says):
    with pytest.raises(ConfigError) as raised:
        run_component(build)
    assert "lattice:index:" in str(raised.value) and any(problem.startswith(says) for problem in raised.value.problems), raised.value.problems
    assert [r.type for r in raised.value.registrations if r.type.startswith("aws:")] == []
