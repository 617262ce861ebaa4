"""`ResourceGateway`: where traffic to a VPC's shared resources (databases, hosts) enters that VPC."""

# No `from __future__ import annotations` here: the package host (hosting.py) reads these annotations at run time.
from typing import NotRequired, TypedDict

import pulumi
import pulumi_aws as aws

from ..config import ConfigError, ResourceGatewayArgsSpec, validate_args
from ..inputs import resource_inputs

TYPE_TOKEN = "lattice:index:ResourceGateway"


class ResourceGatewayArgs(TypedDict):
    """Arguments of `ResourceGateway`."""

    name: str
    """Gateway name: 3-40 lowercase letters, digits and hyphens, not starting with `rgw-`."""
    vpc_id: str
    """The VPC the resources are in (`vpc-...`)."""
    subnet_ids: list[str]
    """Subnets of that VPC (`subnet-...`), ideally one per Availability Zone: a consumer's endpoint must share an AZ with the gateway."""
    security_group_ids: NotRequired[list[str]]
    """0-5 security groups on the gateway's interfaces; their egress rules decide which resources it may reach."""
    ip_address_type: NotRequired[str]
    """IPV4 (default), IPV6 or DUALSTACK; must suit the subnets and the resources."""
    ipv4_addresses_per_eni: NotRequired[int]
    """IPv4 addresses per interface, 1-62 (the API's default is 16); IPV4 and DUALSTACK only."""
    resource_config_dns_resolution: NotRequired[str]
    """How DNS names of its resource configurations resolve: PUBLIC (the API's default) or IN_VPC."""
    tags: NotRequired[dict[str, str]]
    """Tags on the gateway."""


class ResourceGateway(pulumi.ComponentResource):
    """A VPC Lattice resource gateway: resource configurations behind it are reached from other VPCs and accounts, and the resources see the gateway's addresses as the source of every connection."""

    resource_gateway_id: pulumi.Output[str]
    """The gateway ID (`rgw-...`): what resource configurations name."""
    resource_gateway_arn: pulumi.Output[str]
    """The gateway ARN."""

    def __init__(self, name: str, args: ResourceGatewayArgs, opts: pulumi.ResourceOptions | None = None):
        super().__init__(TYPE_TOKEN, name, None, opts)
        spec = validate_args(ResourceGatewayArgsSpec, dict(args), TYPE_TOKEN, name)
        problems = resource_inputs.preflight({spec.name: spec}, {}, None)
        if problems:
            raise ConfigError([f"args.{problem.split(': ', 1)[1]}" for problem in problems], f"{TYPE_TOKEN} {name!r}")
        gateway = aws.vpclattice.ResourceGateway(
            f"{name}-gateway", **resource_inputs.gateway(spec.name, spec), opts=pulumi.ResourceOptions(parent=self)
        )
        self.resource_gateway_id = gateway.id
        self.resource_gateway_arn = gateway.arn
        self.register_outputs({"resource_gateway_id": self.resource_gateway_id, "resource_gateway_arn": self.resource_gateway_arn})
