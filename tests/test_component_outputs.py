"""Composing the components with other resources, as a Pulumi program does: GIVEN a VPC, subnets, an instance, a
role, a certificate, a security group, an OU and an RDS database registered in the same program, WHEN their IDs and ARNs (Outputs) are
passed to the components, THEN every child that uses one registers with the value and a dependency on that
resource; and WHEN such an Output resolves to a value the component refuses, THEN it fails with the message the
same plain value gets before registration.
"""

from __future__ import annotations

import gc
import json
import logging
from typing import Any

import pulumi
import pulumi_aws as aws
import pytest

from helpers import run_component
from lattice_components import (
    ConsumerVpcAttachment,
    LatticeService,
    ResourceConfiguration,
    ResourceGateway,
    ServiceNetwork,
    ServiceNetworkEndpoint,
    ShareAccepter,
)
from lattice_components.config import ConfigError
from lattice_components.tools import offline

ACCOUNT = "123456789012"
NETWORK_ARN = f"arn:aws:vpc-lattice:us-east-1:{ACCOUNT}:servicenetwork/sn-0123456789abcdef0"
COMPUTED = {
    # type -> (id, extra state) as AWS would compute them, so that the values pass the components' checks
    "aws:ec2/vpc:Vpc": lambda name: ("vpc-0a1b2c3d4e5f67890", {}),
    "aws:ec2/subnet:Subnet": lambda name: ({"data-a": "subnet-0a1b2c3d", "data-b": "subnet-0b1c2d3e"}[name], {}),
    "aws:rds/instance:Instance": lambda name: (
        name, {"arn": f"arn:aws:rds:us-east-1:{ACCOUNT}:db:{name}", "address": f"{name}.c0a1b2c3d4e5.us-east-1.rds.amazonaws.com"}
    ),
    "aws:ec2/instance:Instance": lambda name: ("i-0123456789abcdef0", {}),
    "aws:iam/role:Role": lambda name: (name, {"name": name, "arn": f"arn:aws:iam::{ACCOUNT}:role/{name}"}),
    "aws:acm/certificate:Certificate": lambda name: (
        "cert", {"arn": f"arn:aws:acm:us-east-1:{ACCOUNT}:certificate/0a1b2c3d-0a1b-0a1b-0a1b-0a1b2c3d4e5f"}
    ),
    "aws:organizations/organizationalUnit:OrganizationalUnit": lambda name: (
        "ou-ab12-cdef3456", {"arn": f"arn:aws:organizations::{ACCOUNT}:ou/o-a1b2c3d4e5/ou-ab12-cdef3456"}
    ),
}


def answer_like_aws(patch: pytest.MonkeyPatch) -> None:
    original = offline.LatticeMocks.new_resource

    def new_resource(self, args):
        if args.typ in COMPUTED:
            resource_id, extra = COMPUTED[args.typ](args.name)
            return resource_id, {**args.inputs, **extra}
        return original(self, args)

    patch.setattr(offline.LatticeMocks, "new_resource", new_resource)


def depends(resource: offline.RegisteredResource, prop: str, on: offline.RegisteredResource) -> bool:
    return on.urn in resource.property_dependencies.get(prop, [])


def one(run: offline.ProgramRun, type_token: str, name_part: str = "") -> offline.RegisteredResource:
    [found] = [r for r in run.of_type(type_token) if name_part in r.name]
    return found


def compose() -> None:
    vpc = aws.ec2.Vpc("backend", cidr_block="10.1.0.0/16")
    instance = aws.ec2.Instance("app", ami="ami-0123456789abcdef0", instance_type="t3.micro")
    role = aws.iam.Role("FrontendAppRole", assume_role_policy=json.dumps({"Version": "2012-10-17", "Statement": []}))
    certificate = aws.acm.Certificate("orders", domain_name="orders.example.com", validation_method="DNS")
    group = aws.ec2.SecurityGroup("clients", vpc_id=vpc.id)
    unit = aws.organizations.OrganizationalUnit("apps", parent_id="r-ab12")
    ServiceNetwork("core", {
        "name": "core-services",
        "member_account_ids": [ACCOUNT],
        "share_principals": [unit.arn],
        "tags": {"Owner": role.name},
    })
    LatticeService("orders", {
        "name": "order-service",
        "service_network_arn": NETWORK_ARN,
        "custom_domain_name": "orders.example.com",
        "certificate_arn": certificate.arn,
        "target_groups": {"orders-stable": {
            "type": "INSTANCE", "port": 8080, "protocol": "HTTP", "vpc_id": vpc.id, "targets": [{"id": instance.id}],
        }},
        "listeners": [{"name": "https-listener", "protocol": "HTTPS",
                       "default_action": {"forward": [{"target_group": "orders-stable"}]}}],
        "allowed_callers": {"principals": [role.arn, "222222222222"]},
        "tags": pulumi.Output.from_input({"Team": "orders"}).apply(lambda tags: {**tags, "Vpc": "backend"}),
    })
    ConsumerVpcAttachment("frontend", {
        "vpc_id": vpc.id,
        "service_network_arn": NETWORK_ARN,
        "security_group_ids": [group.id],
        "create_security_group": {"client_cidrs": [vpc.cidr_block]},
        "region": "us-east-1",
    })
    compose_resources(vpc, group, role, unit)


def compose_resources(vpc: aws.ec2.Vpc, group: aws.ec2.SecurityGroup, role: aws.iam.Role,
                      unit: aws.organizations.OrganizationalUnit) -> None:
    """A database in the VPC behind a gateway in two subnets, by ARN and by DNS name; a reporting VPC's endpoint."""
    subnets = [aws.ec2.Subnet(f"data-{zone}", vpc_id=vpc.id, cidr_block=f"10.1.{index}.0/24")
               for index, zone in enumerate("ab")]
    database = aws.rds.Instance("orders", engine="postgres", instance_class="db.t3.micro", allocated_storage=20)
    gateway = ResourceGateway("db", {
        "name": "db-gateway",
        "vpc_id": vpc.id,
        "subnet_ids": [subnet.id for subnet in subnets],
        "security_group_ids": pulumi.Output.all(group.id),  # the whole list as one Output
        "tags": {"Owner": role.name},
    })
    ResourceConfiguration("orders-rds", {
        "name": "orders-rds", "type": "ARN", "resource_gateway_id": gateway.resource_gateway_id, "arn": database.arn,
        "service_network_arn": NETWORK_ARN, "share_principals": [unit.arn, "222222222222"],
    })
    ResourceConfiguration("orders-db", {
        "name": "orders-db", "resource_gateway_id": gateway.resource_gateway_id, "dns_name": database.address,
        "port_ranges": ["5432"], "associate": False,
    })
    ServiceNetworkEndpoint("reporting", {
        "vpc_id": vpc.id,
        "subnet_ids": pulumi.Output.all(*[subnet.id for subnet in subnets]),
        "service_network_arn": NETWORK_ARN,
        "security_group_ids": [group.id],
        "create_security_group": {"client_cidrs": [vpc.cidr_block], "ports": [5432]},
    })


@pytest.fixture(scope="module")
def composed():
    with pytest.MonkeyPatch.context() as patch:
        answer_like_aws(patch)
        return run_component(compose)


def test_the_target_group_and_its_attachment_depend_on_the_vpc_and_the_instance(composed):
    vpc, instance = one(composed, "aws:ec2/vpc:Vpc"), one(composed, "aws:ec2/instance:Instance")
    group = one(composed, "aws:vpclattice/targetGroup:TargetGroup")
    attachment = one(composed, "aws:vpclattice/targetGroupAttachment:TargetGroupAttachment")
    assert group.inputs["config"]["vpcIdentifier"] == "vpc-0a1b2c3d4e5f67890" and depends(group, "config", vpc)
    assert attachment.inputs["target"]["id"] == "i-0123456789abcdef0" and depends(attachment, "target", instance)
    # an ID unknown before the instance exists cannot name the attachment; its position does
    assert attachment.name == "orders--orders-stable--target-0"


def test_the_service_depends_on_the_certificate_and_its_auth_policy_on_the_role(composed):
    certificate, role = one(composed, "aws:acm/certificate:Certificate"), one(composed, "aws:iam/role:Role")
    service = one(composed, "aws:vpclattice/service:Service")
    policy = one(composed, "aws:vpclattice/authPolicy:AuthPolicy", "orders")
    assert service.inputs["certificateArn"].startswith("arn:aws:acm:") and depends(service, "certificateArn", certificate)
    assert json.loads(policy.inputs["policy"])["Statement"][0]["Principal"]["AWS"] == [
        f"arn:aws:iam::{ACCOUNT}:role/FrontendAppRole", "arn:aws:iam::222222222222:root",
    ]
    assert depends(policy, "policy", role)
    assert service.inputs["tags"] == {"Team": "orders", "Vpc": "backend"}


def test_the_network_shares_with_an_ou_output_and_tags_with_a_role_name(composed):
    unit, role = one(composed, "aws:organizations/organizationalUnit:OrganizationalUnit"), one(composed, "aws:iam/role:Role")
    principal = one(composed, "aws:ram/principalAssociation:PrincipalAssociation", "core")
    network = one(composed, "aws:vpclattice/serviceNetwork:ServiceNetwork")
    assert principal.inputs["principal"].endswith("/ou-ab12-cdef3456") and depends(principal, "principal", unit)
    assert network.inputs["tags"] == {"Owner": "FrontendAppRole"} and depends(network, "tags", role)


def test_the_consumer_association_and_its_group_depend_on_the_vpc_and_the_given_group(composed):
    vpc = one(composed, "aws:ec2/vpc:Vpc")
    [given] = [r for r in composed.of_type("aws:ec2/securityGroup:SecurityGroup") if r.name == "clients"]
    association = one(composed, "aws:vpclattice/serviceNetworkVpcAssociation:ServiceNetworkVpcAssociation")
    created = one(composed, "aws:ec2/securityGroup:SecurityGroup", "lattice-clients")
    assert association.inputs["vpcIdentifier"] == "vpc-0a1b2c3d4e5f67890" and depends(association, "vpcIdentifier", vpc)
    assert depends(association, "securityGroupIds", given)
    assert created.inputs["ingress"][0]["cidrBlocks"] == ["10.1.0.0/16"] and depends(created, "ingress", vpc)
    assert created.inputs["description"] == "Clients in vpc-0a1b2c3d4e5f67890 may call VPC Lattice services"


def test_the_gateway_depends_on_the_vpc_its_subnets_the_group_and_the_role(composed):
    vpc, role = one(composed, "aws:ec2/vpc:Vpc"), one(composed, "aws:iam/role:Role")
    subnets = composed.of_type("aws:ec2/subnet:Subnet")
    [given] = [r for r in composed.of_type("aws:ec2/securityGroup:SecurityGroup") if r.name == "clients"]
    gateway = one(composed, "aws:vpclattice/resourceGateway:ResourceGateway")
    assert gateway.inputs["vpcId"] == "vpc-0a1b2c3d4e5f67890" and depends(gateway, "vpcId", vpc)
    assert gateway.inputs["subnetIds"] == ["subnet-0a1b2c3d", "subnet-0b1c2d3e"]
    assert len(subnets) == 2 and all(depends(gateway, "subnetIds", subnet) for subnet in subnets)
    assert gateway.inputs["securityGroupIds"] == [given.id] and depends(gateway, "securityGroupIds", given)
    assert gateway.inputs["tags"] == {"Owner": "FrontendAppRole"} and depends(gateway, "tags", role)


def test_the_configurations_depend_on_the_database_the_gateway_and_the_ou(composed):
    database, unit = one(composed, "aws:rds/instance:Instance"), one(composed, "aws:organizations/organizationalUnit:OrganizationalUnit")
    gateway = one(composed, "aws:vpclattice/resourceGateway:ResourceGateway")
    by_arn = one(composed, "aws:vpclattice/resourceConfiguration:ResourceConfiguration", "orders-rds")
    by_name = one(composed, "aws:vpclattice/resourceConfiguration:ResourceConfiguration", "orders-db")
    assert by_arn.inputs["resourceConfigurationDefinition"] == {"arnResource": {"arn": f"arn:aws:rds:us-east-1:{ACCOUNT}:db:orders"}}
    assert depends(by_arn, "resourceConfigurationDefinition", database)
    assert by_name.inputs["resourceConfigurationDefinition"]["dnsResource"]["domainName"].endswith(".rds.amazonaws.com")
    assert depends(by_name, "resourceConfigurationDefinition", database)
    for configuration in (by_arn, by_name):
        assert configuration.inputs["resourceGatewayIdentifier"] == gateway.id
        assert depends(configuration, "resourceGatewayIdentifier", gateway)
    principals = {r.name: r for r in composed.of_type("aws:ram/principalAssociation:PrincipalAssociation") if "orders-rds" in r.name}
    # an OU unknown before it exists is named by its position; a known account by its ID
    assert sorted(principals) == ["orders-rds-share-222222222222", "orders-rds-share-principal-0"]
    assert depends(principals["orders-rds-share-principal-0"], "principal", unit)


def test_the_endpoint_and_its_group_depend_on_the_vpc_the_subnets_and_the_given_group(composed):
    vpc, subnets = one(composed, "aws:ec2/vpc:Vpc"), composed.of_type("aws:ec2/subnet:Subnet")
    [given] = [r for r in composed.of_type("aws:ec2/securityGroup:SecurityGroup") if r.name == "clients"]
    endpoint = one(composed, "aws:ec2/vpcEndpoint:VpcEndpoint")
    created = one(composed, "aws:ec2/securityGroup:SecurityGroup", "endpoint-clients")
    assert endpoint.inputs["vpcId"] == "vpc-0a1b2c3d4e5f67890" and depends(endpoint, "vpcId", vpc)
    assert endpoint.inputs["subnetIds"] == ["subnet-0a1b2c3d", "subnet-0b1c2d3e"]
    assert all(depends(endpoint, "subnetIds", subnet) for subnet in subnets)
    assert endpoint.inputs["securityGroupIds"] == [given.id, created.id] and depends(endpoint, "securityGroupIds", given)
    assert created.inputs["ingress"][0]["cidrBlocks"] == ["10.1.0.0/16"] and depends(created, "ingress", vpc)
    assert created.inputs["description"] == "Clients of vpc-0a1b2c3d4e5f67890 may use its VPC Lattice service-network endpoint"


# --------------------------------------------------------------------------------------------------------------
# An Output that resolves to a refused value: the same message as the plain value, when it is known
# --------------------------------------------------------------------------------------------------------------

SERVICE = {
    "name": "order-service",
    "service_network_arn": NETWORK_ARN,
    "target_groups": {"orders-stable": {"type": "INSTANCE", "port": 8080, "protocol": "HTTP", "vpc_id": "vpc-0a1b2c3d",
                                        "targets": [{"id": "i-0123456789abcdef0"}]}},
    "listeners": [{"name": "http-listener", "protocol": "HTTP", "default_action": {"forward": [{"target_group": "orders-stable"}]}}],
    "allowed_callers": {"principals": [f"arn:aws:iam::{ACCOUNT}:role/FrontendAppRole"]},
}

GATEWAY = {"name": "db-gateway", "vpc_id": "vpc-0a1b2c3d", "subnet_ids": ["subnet-0b1a2c3d", "subnet-0b1a2c3e"]}
SINGLE = {
    "name": "orders-db", "resource_gateway_id": "rgw-0123456789abcdef0", "dns_name": "orders-db.example.com",
    "port_ranges": ["5432"], "service_network_arn": NETWORK_ARN, "share_principals": [ACCOUNT],
}
ENDPOINT = {
    "vpc_id": "vpc-0a1b2c3d", "subnet_ids": ["subnet-0a11c0de"], "service_network_arn": NETWORK_ARN,
    "security_group_ids": ["sg-0123456789abcdef0"],
}

BAD_VALUES = [
    # (component, args, path to the value, a value the component refuses)
    (LatticeService, SERVICE, ("target_groups", "orders-stable", "vpc_id"), "subnet-0a1b2c3d"),
    (LatticeService, SERVICE, ("allowed_callers", "principals", 0), "*"),
    (LatticeService, SERVICE, ("allowed_callers", "principals", 0), "arn:aws:iam::12345:role/Short"),
    (LatticeService, {**SERVICE, "allowed_callers": {"organization_ids": ["o-a1b2c3d4e5"]}},
     ("allowed_callers", "organization_ids", 0), "o-*"),
    (LatticeService, SERVICE, ("tags",), ["Team", "orders"]),
    (ServiceNetwork, {"name": "core-services", "member_account_ids": [ACCOUNT], "share_principals": [ACCOUNT]},
     ("share_principals", 0), "*"),
    (ServiceNetwork, {"name": "core-services", "member_account_ids": [ACCOUNT]}, ("member_account_ids",), ["12345"]),
    (ServiceNetwork, {"name": "core-services", "member_account_ids": [ACCOUNT]}, ("organization_id",), "o-*"),
    (ConsumerVpcAttachment, {"vpc_id": "vpc-0a1b2c3d", "service_network_arn": NETWORK_ARN}, ("vpc_id",), "vpc_backend"),
    (ConsumerVpcAttachment, {"vpc_id": "vpc-0a1b2c3d", "service_network_arn": NETWORK_ARN, "security_group_ids": ["sg-1"]},
     ("security_group_ids", 0), 7),
    (ShareAccepter, {"share_arn": "arn:aws:ram:us-east-1:123456789012:resource-share/abc"}, ("share_arn",), "share-abc"),
    (ResourceGateway, GATEWAY, ("vpc_id",), "vpc_backend"),
    (ResourceGateway, GATEWAY, ("subnet_ids", 1), "subnet-x"),
    (ResourceGateway, GATEWAY, ("subnet_ids",), ["subnet-0b1a2c3d", "subnet-0b1a2c3d"]),
    (ResourceGateway, GATEWAY, ("subnet_ids",), []),
    (ResourceGateway, GATEWAY, ("security_group_ids",), ["sg-1"]),
    (ResourceGateway, GATEWAY, ("tags",), {"aws:owner": "data"}),
    (ResourceConfiguration, SINGLE, ("resource_gateway_id",), "gw"),
    (ResourceConfiguration, SINGLE, ("dns_name",), "localhost"),
    (ResourceConfiguration, {**SINGLE, "dns_name": None, "ip_address": "10.1.3.4"}, ("ip_address",), "10.1.300.4"),
    (ResourceConfiguration, SINGLE, ("domain_verification_id",), "dv-x"),
    (ResourceConfiguration, SINGLE, ("share_principals", 0), "*"),
    (ResourceConfiguration, SINGLE, ("service_network_arn",), "sn"),
    (ResourceConfiguration, {**SINGLE, "type": "ARN", "dns_name": None, "port_ranges": None,
                             "arn": "arn:aws:rds:us-east-1:123456789012:db:orders"}, ("arn",), "rds:orders"),
    (ResourceConfiguration, {**SINGLE, "type": "GROUP", "dns_name": None, "children": {"replica-a": {"ip_address": "10.1.30.10"}}},
     ("children", "replica-a", "ip_address"), "replica-a"),
    (ServiceNetworkEndpoint, ENDPOINT, ("vpc_id",), "vpc_backend"),
    (ServiceNetworkEndpoint, ENDPOINT, ("subnet_ids", 0), "subnet-x"),
    (ServiceNetworkEndpoint, ENDPOINT, ("security_group_ids", 0), 7),
    (ServiceNetworkEndpoint, ENDPOINT, ("tags",), {"Team": 7}),
]


def put(args: Any, path: tuple[Any, ...], value: Any) -> Any:
    if not path:
        return value
    if isinstance(args, dict):
        args = {key: item for key, item in args.items() if item is not None}  # None: a key the case leaves out
    copy = dict(args) if isinstance(args, dict) else list(args)
    key = path[0]
    if isinstance(copy, dict) and key not in copy:
        copy[key] = value
        return copy
    copy[key] = put(copy[key], path[1:], value)
    return copy


@pytest.fixture
def every_child_fails_alike():
    """Every child that uses the refused value fails with the same error; the run reports the first, and asyncio
    would log each other one when its future is collected. Collected here, quietly."""
    logger = logging.getLogger("asyncio")
    logger.disabled = True
    yield
    gc.collect()
    logger.disabled = False


@pytest.mark.usefixtures("every_child_fails_alike")
@pytest.mark.parametrize(("component", "args", "path", "bad"), BAD_VALUES, ids=lambda v: getattr(v, "__name__", None))
def test_an_output_that_resolves_to_a_refused_value_fails_with_the_plain_values_message(component, args, path, bad):
    # GIVEN the bad value given plain: refused before anything is registered
    with pytest.raises(ConfigError) as plain:
        run_component(lambda: component("x", put(args, path, bad)))
    assert plain.value.registrations == []
    # WHEN the same value arrives as another resource's output
    with pytest.raises(ConfigError) as deferred:
        run_component(lambda: component("x", put(args, path, pulumi.Output.from_input("ok").apply(lambda _: bad))))
    # THEN it fails with the same lines, once the value is known
    assert deferred.value.problems == plain.value.problems
    assert deferred.value.source == plain.value.source
