"""`ResourceGateway`: where traffic to a VPC's shared resources (databases, hosts) enters that VPC."""

# No `from __future__ import annotations` here: the package host (hosting.py) reads these annotations at run time.
from typing import NotRequired, TypedDict

import pulumi
import pulumi_aws as aws

from .enums import ResourceConfigDnsResolution, ResourceGatewayIpAddressType
from ..config import ResourceGatewayArgsSpec, validate_args
from ..inputs import resource_inputs

TYPE_TOKEN = "lattice:index:ResourceGateway"

# As for the other components (`lattice_service.py`): the name and the modes are plain, decided and checked
# before anything is registered; the VPC, subnets, security groups and tags name other resources or may come
# from them, so they are `pulumi.Input`s, validated with the same rules when they resolve (`config.args`).


class ResourceGatewayArgs(TypedDict):
    """Arguments of `ResourceGateway`."""

    name: str
    """Gateway name: 3-40 lowercase letters, digits and hyphens, not starting with `rgw-`; plain: a name you choose, checked against the API's rule before registration."""
    vpc_id: pulumi.Input[str]
    """The VPC the resources are in (`vpc-...`, or `vpc.id`)."""
    subnet_ids: pulumi.Input[list[pulumi.Input[str]]]
    """Subnets of that VPC (`subnet-...`, or `subnet.id`), at least one and each once, ideally one per Availability Zone: a consumer's endpoint must share an AZ with the gateway."""
    security_group_ids: NotRequired[pulumi.Input[list[pulumi.Input[str]]]]
    """0-5 security groups on the gateway's interfaces (`group.id`); their egress rules decide which resources it may reach."""
    ip_address_type: NotRequired[ResourceGatewayIpAddressType]
    """IPV4 (default), IPV6 or DUALSTACK; must suit the subnets and the resources; plain, because it decides whether `ipv4_addresses_per_eni` applies."""
    ipv4_addresses_per_eni: NotRequired[int]
    """IPv4 addresses per interface, 1-62 (the API's default is 16); IPV4 and DUALSTACK only; plain, a count checked before registration."""
    resource_config_dns_resolution: NotRequired[ResourceConfigDnsResolution]
    """How DNS names of its resource configurations resolve: PUBLIC (the API's default) or IN_VPC."""
    tags: NotRequired[pulumi.Input[dict[str, pulumi.Input[str]]]]
    """Tags on the gateway."""


class ResourceGateway(pulumi.ComponentResource):
    """A VPC Lattice resource gateway: resource configurations behind it are reached from other VPCs and accounts, and the resources see the gateway's addresses as the source of every connection."""

    resource_gateway_id: pulumi.Output[str]
    """The gateway ID (`rgw-...`): what resource configurations name."""
    resource_gateway_arn: pulumi.Output[str]
    """The gateway ARN."""

    def __init__(self, name: str, args: ResourceGatewayArgs, opts: pulumi.ResourceOptions | None = None):
        # Every argument, and the gateway's inputs against the AWS API model, before the first registration
        # (this component's own included); an Output is checked again when it resolves.
        spec = validate_args(
            ResourceGatewayArgsSpec, args, TYPE_TOKEN, name, args_type=ResourceGatewayArgs,
            checks=[resource_inputs.gateway_preflight],
        )
        super().__init__(TYPE_TOKEN, name, None, opts)
        gateway = aws.vpclattice.ResourceGateway(
            f"{name}-gateway", **resource_inputs.gateway(spec.name, spec), opts=pulumi.ResourceOptions(parent=self)
        )
        self.resource_gateway_id = gateway.id
        self.resource_gateway_arn = gateway.arn
        self.register_outputs({"resource_gateway_id": self.resource_gateway_id, "resource_gateway_arn": self.resource_gateway_arn})
