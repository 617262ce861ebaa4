"""The resource components from another language: GIVEN camelCase inputs as a generated SDK sends them (the
network ARN and the gateway ID as other resources' outputs), WHEN the package's provider constructs the component,
THEN it registers the same resources with the same inputs as the component constructed from Python."""

from __future__ import annotations

from test_construct_path import NETWORK_ARN, NETWORK_STACK_URN, assert_same_component

from lattice_components import ResourceConfiguration, ResourceGateway, ServiceNetworkEndpoint

GATEWAY_URN = "urn:pulumi:test::test::lattice:index:ResourceGateway$aws:vpclattice/resourceGateway:ResourceGateway::db"


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
