"""`ServiceNetworkEndpoint`: a consumer VPC reaches the service network through a VPC endpoint of type
ServiceNetwork instead of a VPC association (also reachable from peered and on-premises networks)."""

# No `from __future__ import annotations` here: the package host (hosting.py) reads these annotations at run time.
from collections.abc import Sequence
from typing import NotRequired, TypedDict

import pulumi
import pulumi_aws as aws

from ..config import ServiceNetworkEndpointSpec, validate_args
from ..inputs import resource_inputs

TYPE_TOKEN = "lattice:index:ServiceNetworkEndpoint"


class EndpointSecurityGroup(TypedDict):
    """The security group `ServiceNetworkEndpoint` creates for the endpoint's interfaces."""

    client_cidrs: list[str]
    """Where the clients are (the VPC's CIDR, peered or on-premises ranges); at least one."""
    ports: NotRequired[list[int]]
    """Ports the clients use: service listener ports and resource ports (default [443])."""


class ServiceNetworkEndpointArgs(TypedDict):
    """Arguments of `ServiceNetworkEndpoint`."""

    vpc_id: str
    """The consumer VPC (`vpc-...`)."""
    subnet_ids: list[str]
    """Subnets for the endpoint's interfaces (`subnet-...`); share an AZ with each resource gateway you reach."""
    service_network_arn: pulumi.Input[str]
    """ARN of the service network."""
    security_group_ids: NotRequired[list[str]]
    """Existing security groups for the interfaces (at least one group in all, or the VPC's default group applies)."""
    create_security_group: NotRequired[EndpointSecurityGroup]
    """Create a security group that admits the clients on the given ports."""
    private_dns_enabled: NotRequired[bool]
    """Resolve services' and resources' custom domains to the endpoint inside the VPC."""
    ip_address_type: NotRequired[str]
    """ipv4, dualstack or ipv6 (EC2's values)."""
    tags: NotRequired[dict[str, str]]
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
        super().__init__(TYPE_TOKEN, name, None, opts)
        spec = validate_args(ServiceNetworkEndpointSpec, dict(args), TYPE_TOKEN, name)
        group_ids: list[pulumi.Input[str]] = list(spec.security_group_ids)
        if spec.create_security_group is not None:
            wanted = spec.create_security_group
            group = aws.ec2.SecurityGroup(
                f"{name}-endpoint-clients",
                vpc_id=spec.vpc_id,
                description=f"Clients of {spec.vpc_id} may use its VPC Lattice service-network endpoint",
                ingress=[
                    {"protocol": "tcp", "from_port": port, "to_port": port, "cidr_blocks": list(wanted.client_cidrs)}
                    for port in sorted(set(wanted.ports))
                ],
                tags=dict(spec.tags),
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
