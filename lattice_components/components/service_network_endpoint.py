"""`ServiceNetworkEndpoint`: a consumer VPC reaches the service network through a VPC endpoint of type
ServiceNetwork instead of a VPC association (also reachable from peered and on-premises networks)."""

# No `from __future__ import annotations` here: the package host (hosting.py) reads these annotations at run time.
from collections.abc import Sequence
from typing import NotRequired, TypedDict

import pulumi
import pulumi_aws as aws

from .enums import EndpointIpAddressType
from ..config import ServiceNetworkEndpointSpec, validate_args
from ..inputs import resource_inputs
from ..inputs.security_groups import client_ingress, joined

TYPE_TOKEN = "lattice:index:ServiceNetworkEndpoint"

# As for `ConsumerVpcAttachment`: the VPC, subnets, security groups, network and tags name other resources or may
# come from them, so they are `pulumi.Input`s, validated with the same rules when they resolve (`config.args`);
# what the component decides on before registering anything (the created group's ports, the address type,
# private DNS, how many security groups there are in all) is plain.


class EndpointSecurityGroup(TypedDict):
    """The security group `ServiceNetworkEndpoint` creates for the endpoint's interfaces."""

    client_cidrs: list[pulumi.Input[str]]
    """Where the clients are (the VPC's CIDR, `vpc.cidr_block`, peered or on-premises ranges); at least one, each once."""
    ports: NotRequired[list[int]]
    """Ports the clients use: service listener ports and resource ports (default [443]); plain, because each port is one ingress rule."""


class ServiceNetworkEndpointArgs(TypedDict):
    """Arguments of `ServiceNetworkEndpoint`."""

    vpc_id: pulumi.Input[str]
    """The consumer VPC (`vpc-...`, or `vpc.id`)."""
    subnet_ids: pulumi.Input[list[pulumi.Input[str]]]
    """Subnets for the endpoint's interfaces (`subnet-...`, or `subnet.id`), at least one and each once; share an AZ with each resource gateway you reach."""
    service_network_arn: pulumi.Input[str]
    """ARN of the service network."""
    security_group_ids: NotRequired[list[pulumi.Input[str]]]
    """Existing security groups for the interfaces (`group.id`; at least one group in all, or the VPC's default group applies); a plain list, because together with a created one they may be at most the API's 5."""
    create_security_group: NotRequired[EndpointSecurityGroup]
    """Create a security group that admits the clients on the given ports."""
    private_dns_enabled: NotRequired[bool]
    """Resolve services' and resources' custom domains to the endpoint inside the VPC; plain, a setting checked before registration."""
    ip_address_type: NotRequired[EndpointIpAddressType]
    """ipv4, dualstack or ipv6 (EC2's values); the API's default suits the subnets."""
    tags: NotRequired[pulumi.Input[dict[str, pulumi.Input[str]]]]
    """Tags on every resource the component creates."""


class ServiceNetworkEndpoint(pulumi.ComponentResource):
    """A VPC endpoint of type ServiceNetwork: the VPC's clients reach the network's services and resources through interfaces in its subnets, filtered by the endpoint's security groups; an alternative to the VPC association (a VPC has one or the other per network)."""

    endpoint_id: pulumi.Output[str]
    """The VPC endpoint ID (`vpce-...`)."""
    security_group_ids: pulumi.Output[list[str]]
    """Every security group on the endpoint, the created one included."""

    def __init__(
        self,
        name: str,
        args: ServiceNetworkEndpointArgs,
        opts: pulumi.ResourceOptions | None = None,
        *,
        join_after: Sequence[pulumi.Resource] = (),
    ):
        """`join_after`: resources the endpoint waits for (the network's RAM share acceptance outside the organization)."""
        spec = validate_args(ServiceNetworkEndpointSpec, args, TYPE_TOKEN, name, args_type=ServiceNetworkEndpointArgs)
        super().__init__(TYPE_TOKEN, name, None, opts)
        group_ids: list[pulumi.Input[str]] = list(spec.security_group_ids)
        if spec.create_security_group is not None:
            wanted = spec.create_security_group
            group = aws.ec2.SecurityGroup(
                f"{name}-endpoint-clients",
                vpc_id=spec.vpc_id,
                description=joined("Clients of ", spec.vpc_id, " may use its VPC Lattice service-network endpoint"),
                ingress=client_ingress(wanted.ports, wanted.client_cidrs),
                tags=spec.tags,
                opts=pulumi.ResourceOptions(parent=self),
            )
            group_ids.append(group.id)
        endpoint = aws.ec2.VpcEndpoint(
            f"{name}-endpoint",
            **resource_inputs.endpoint(
                spec.vpc_id, spec.subnet_ids, group_ids, spec.service_network_arn,
                spec.private_dns_enabled, spec.ip_address_type, spec.tags,
            ),
            opts=pulumi.ResourceOptions(parent=self, depends_on=list(join_after)),
        )
        self.endpoint_id = endpoint.id
        self.security_group_ids = pulumi.Output.all(*group_ids)
        self.register_outputs({"endpoint_id": self.endpoint_id, "security_group_ids": self.security_group_ids})
