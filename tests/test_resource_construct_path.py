"""The resource components from another language: GIVEN camelCase inputs as a generated SDK sends them (the
network ARN, the gateway ID, the VPC, subnets, security groups, the database and tags as other resources'
outputs), WHEN the package's provider constructs the component, THEN it registers the same resources with the
same inputs as the component constructed from Python, and each child that uses such an output depends on the
resource it came from."""

from __future__ import annotations

from test_construct_path import (
    NETWORK_ARN,
    NETWORK_STACK_URN,
    assert_same_component,
    construct_through_provider,
    output_value,
)

from lattice_components import ResourceConfiguration, ResourceGateway, ServiceNetworkEndpoint

GATEWAY_URN = "urn:pulumi:test::test::lattice:index:ResourceGateway$aws:vpclattice/resourceGateway:ResourceGateway::db"
VPC_URN = "urn:pulumi:test::test::aws:ec2/vpc:Vpc::backend"
SUBNET_URNS = [f"urn:pulumi:test::test::aws:ec2/subnet:Subnet::data-{zone}" for zone in "ab"]
GROUP_URN = "urn:pulumi:test::test::aws:ec2/securityGroup:SecurityGroup::db-clients"
CONFIGURATION = "aws:vpclattice/resourceConfiguration:ResourceConfiguration"
DATABASE_URN = "urn:pulumi:test::test::aws:rds/instance:Instance::orders"


def test_a_gateway_from_another_language():
    run = assert_same_component(
        ResourceGateway, "db",
        {"name": "db-gateway", "vpcId": "vpc-backend1", "subnetIds": ["subnet-0b1a2c3d", "subnet-0b1a2c3e"],
         "ipAddressType": "DUALSTACK", "ipv4AddressesPerEni": 8},
        {"name": "db-gateway", "vpc_id": "vpc-backend1", "subnet_ids": ["subnet-0b1a2c3d", "subnet-0b1a2c3e"],
         "ip_address_type": "DUALSTACK", "ipv4_addresses_per_eni": 8},
    )
    [gateway] = run.of_type("aws:vpclattice/resourceGateway:ResourceGateway")
    assert gateway.inputs["ipAddressType"] == "DUALSTACK"


def test_a_group_with_children_shared_and_associated_from_another_language():
    run = assert_same_component(
        ResourceConfiguration, "replicas",
        {"name": "replicas", "type": "GROUP", "resourceGatewayId": "rgw-0123456789abcdef0", "portRanges": ["5432"],
         "children": {"replica-a": {"ipAddress": "10.1.30.10"}, "replica-b": {"dnsName": "b.example.com", "portRanges": ["6432"]}},
         "serviceNetworkArn": NETWORK_ARN, "sharePrincipals": ["111111111111"]},
        {"name": "replicas", "type": "GROUP", "resource_gateway_id": "rgw-0123456789abcdef0", "port_ranges": ["5432"],
         "children": {"replica-a": {"ip_address": "10.1.30.10"}, "replica-b": {"dns_name": "b.example.com", "port_ranges": ["6432"]}},
         "service_network_arn": NETWORK_ARN, "share_principals": ["111111111111"]},
        dependencies={"serviceNetworkArn": [NETWORK_STACK_URN], "resourceGatewayId": [GATEWAY_URN]},
    )
    types = sorted(r.inputs.get("type", "") for r in run.of_type("aws:vpclattice/resourceConfiguration:ResourceConfiguration"))
    assert types == ["CHILD", "CHILD", "GROUP"]


def test_an_endpoint_from_another_language():
    assert_same_component(
        ServiceNetworkEndpoint, "reporting",
        {"vpcId": "vpc-analytic", "subnetIds": ["subnet-0a11c0de"], "serviceNetworkArn": NETWORK_ARN,
         "createSecurityGroup": {"clientCidrs": ["10.3.0.0/16"], "ports": [5432]}, "ipAddressType": "ipv4"},
        {"vpc_id": "vpc-analytic", "subnet_ids": ["subnet-0a11c0de"], "service_network_arn": NETWORK_ARN,
         "create_security_group": {"client_cidrs": ["10.3.0.0/16"], "ports": [5432]}, "ip_address_type": "ipv4"},
        dependencies={"serviceNetworkArn": [NETWORK_STACK_URN]},
    )


def test_a_gateway_whose_vpc_subnets_and_groups_are_other_resources_outputs():
    # GIVEN the VPC and the group list as whole outputs, and each subnet as an output inside a plain list
    run = assert_same_component(
        ResourceGateway, "db",
        {"name": "db-gateway", "vpcId": "vpc-backend1",
         "subnetIds": [output_value("subnet-0b1a2c3d", SUBNET_URNS[0]), output_value("subnet-0b1a2c3e", SUBNET_URNS[1])],
         "securityGroupIds": ["sg-0db0a1b2c3d4e5f60"], "resourceConfigDnsResolution": "IN_VPC"},
        {"name": "db-gateway", "vpc_id": "vpc-backend1", "subnet_ids": ["subnet-0b1a2c3d", "subnet-0b1a2c3e"],
         "security_group_ids": ["sg-0db0a1b2c3d4e5f60"], "resource_config_dns_resolution": "IN_VPC"},
        dependencies={"vpcId": [VPC_URN], "securityGroupIds": [GROUP_URN], "subnetIds": SUBNET_URNS},
    )
    # THEN the gateway depends on each of them
    [gateway] = run.of_type("aws:vpclattice/resourceGateway:ResourceGateway")
    assert gateway.property_dependencies.get("vpcId") == [VPC_URN]
    assert set(SUBNET_URNS) <= set(gateway.property_dependencies.get("subnetIds", []))
    assert gateway.property_dependencies.get("securityGroupIds") == [GROUP_URN]


def test_an_arn_configuration_of_a_database_output_shared_by_an_output_principal():
    run = assert_same_component(
        ResourceConfiguration, "orders-rds",
        {"name": "orders-rds", "type": "ARN", "resourceGatewayId": "rgw-0123456789abcdef0",
         "arn": "arn:aws:rds:us-east-1:111111111111:db:orders", "serviceNetworkArn": NETWORK_ARN,
         "sharePrincipals": ["222222222222"], "tags": {"Owner": "data"}},
        {"name": "orders-rds", "type": "ARN", "resource_gateway_id": "rgw-0123456789abcdef0",
         "arn": "arn:aws:rds:us-east-1:111111111111:db:orders", "service_network_arn": NETWORK_ARN,
         "share_principals": ["222222222222"], "tags": {"Owner": "data"}},
        dependencies={"arn": [DATABASE_URN], "resourceGatewayId": [GATEWAY_URN], "tags": [VPC_URN]},
    )
    [configuration] = run.of_type(CONFIGURATION)
    assert configuration.property_dependencies.get("resourceConfigurationDefinition") == [DATABASE_URN]
    assert configuration.property_dependencies.get("resourceGatewayIdentifier") == [GATEWAY_URN]
    assert VPC_URN in configuration.property_dependencies.get("tags", [])


def test_a_principal_that_is_another_resources_output_is_shared_with_under_its_position():
    # GIVEN a RAM principal the program reads from another stack (unknown until it resolves)
    run, _ = construct_through_provider("lattice:index:ResourceConfiguration", "orders-rds", {
        "name": "orders-rds", "type": "ARN", "resourceGatewayId": "rgw-0123456789abcdef0",
        "arn": "arn:aws:rds:us-east-1:111111111111:db:orders", "serviceNetworkArn": NETWORK_ARN,
        "sharePrincipals": [output_value("222222222222", NETWORK_STACK_URN)],
    })
    # THEN its association is named by its position (a value unknown at registration cannot name it) and
    # depends on where the value came from
    [principal] = run.of_type("aws:ram/principalAssociation:PrincipalAssociation")
    assert principal.name == "orders-rds-share-principal-0" and principal.inputs["principal"] == "222222222222"
    assert principal.property_dependencies.get("principal") == [NETWORK_STACK_URN]


def test_a_group_whose_childs_dns_name_is_a_database_output():
    run = assert_same_component(
        ResourceConfiguration, "replicas",
        {"name": "replicas", "type": "GROUP", "resourceGatewayId": "rgw-0123456789abcdef0", "portRanges": ["5432"],
         "associate": False,
         "children": {"replica-a": {"dnsName": output_value("a.c0a1b2c3d4e5.us-east-1.rds.amazonaws.com", DATABASE_URN),
                                    "dnsIpAddressType": "IPV6"}}},
        {"name": "replicas", "type": "GROUP", "resource_gateway_id": "rgw-0123456789abcdef0", "port_ranges": ["5432"],
         "associate": False,
         "children": {"replica-a": {"dns_name": "a.c0a1b2c3d4e5.us-east-1.rds.amazonaws.com", "dns_ip_address_type": "IPV6"}}},
        dependencies={"children": [DATABASE_URN]},
    )
    [child] = [r for r in run.of_type(CONFIGURATION) if r.inputs["type"] == "CHILD"]
    assert child.inputs["resourceConfigurationDefinition"]["dnsResource"]["ipAddressType"] == "IPV6"
    assert DATABASE_URN in child.property_dependencies.get("resourceConfigurationDefinition", [])


def test_an_endpoint_in_a_vpc_and_subnets_that_are_other_resources_outputs():
    run = assert_same_component(
        ServiceNetworkEndpoint, "reporting",
        {"vpcId": "vpc-analytic", "subnetIds": ["subnet-0a11c0de", "subnet-0a11c0df"], "serviceNetworkArn": NETWORK_ARN,
         "securityGroupIds": [output_value("sg-0123456789abcdef0", GROUP_URN)], "ipAddressType": "dualstack"},
        {"vpc_id": "vpc-analytic", "subnet_ids": ["subnet-0a11c0de", "subnet-0a11c0df"], "service_network_arn": NETWORK_ARN,
         "security_group_ids": ["sg-0123456789abcdef0"], "ip_address_type": "dualstack"},
        dependencies={"vpcId": [VPC_URN], "subnetIds": SUBNET_URNS, "serviceNetworkArn": [NETWORK_STACK_URN]},
    )
    [endpoint] = run.of_type("aws:ec2/vpcEndpoint:VpcEndpoint")
    assert endpoint.inputs["ipAddressType"] == "dualstack"
    assert endpoint.property_dependencies.get("vpcId") == [VPC_URN]
    assert set(SUBNET_URNS) <= set(endpoint.property_dependencies.get("subnetIds", []))
    assert GROUP_URN in endpoint.property_dependencies.get("securityGroupIds", [])
