"""Composing the components with other resources, as a Pulumi program does: GIVEN a VPC, an instance, a role, a
certificate, a security group and an OU registered in the same program, WHEN their IDs and ARNs (Outputs) are
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
from lattice_components import ConsumerVpcAttachment, LatticeService, ServiceNetwork, ShareAccepter
from lattice_components.config import ConfigError
from lattice_components.tools import offline

ACCOUNT = "123456789012"
NETWORK_ARN = f"arn:aws:vpc-lattice:us-east-1:{ACCOUNT}:servicenetwork/sn-0123456789abcdef0"
COMPUTED = {
    # type -> (id, extra state) as AWS would compute them, so that the values pass the components' checks
    "aws:ec2/vpc:Vpc": lambda name: ("vpc-0a1b2c3d4e5f67890", {}),
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
    principal = one(composed, "aws:ram/principalAssociation:PrincipalAssociation")
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
]


def put(args: Any, path: tuple[Any, ...], value: Any) -> Any:
    if not path:
        return value
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
