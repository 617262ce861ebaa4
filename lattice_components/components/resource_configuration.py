"""`ResourceConfiguration`: a resource behind a resource gateway (SINGLE, GROUP with CHILD members, or ARN), its
association with the service network and its RAM share."""

# No `from __future__ import annotations` here: the package host (hosting.py) reads these annotations at run time.
from collections.abc import Sequence
from typing import NotRequired, TypedDict

import pulumi
import pulumi_aws as aws

from .enums import DnsIpAddressType, ResourceConfigurationProtocol, ResourceConfigurationType
from . import ram_share
from ..config import ResourceConfigurationArgsSpec, validate_args
from ..inputs import resource_inputs

TYPE_TOKEN = "lattice:index:ResourceConfiguration"

# As for the other components (`lattice_service.py`): names, the type, the protocol, port ranges, domains and
# switches are plain, decided and checked before anything is registered; the resource's address or ARN, the
# gateway, the network, the domain verification, RAM principals and tags name other resources or may come from
# them, so they are `pulumi.Input`s, validated with the same rules when they resolve (`config.args`). Children
# and principals become one child resource each, so their lists and maps are plain, their values need not be.


class ChildResource(TypedDict):
    """A CHILD resource of a GROUP configuration: exactly one of `dns_name` or `ip_address` (which one is plain: it decides the definition)."""

    dns_name: NotRequired[pulumi.Input[str]]
    """A DNS name the gateway resolves (`replica.address`)."""
    dns_ip_address_type: NotRequired[DnsIpAddressType]
    """IPV4 (default) or IPV6: what the DNS name resolves to."""
    ip_address: NotRequired[pulumi.Input[str]]
    """An IP address in the gateway's VPC (`instance.private_ip`)."""
    port_ranges: NotRequired[list[str]]
    """Ports (`"5432"`, `"8000-8080"`); default: the group's; plain, checked against the API's ranges before registration."""
    custom_domain_name: NotRequired[str]
    """A subdomain of the group's domain."""
    tags: NotRequired[pulumi.Input[dict[str, pulumi.Input[str]]]]
    """Tags on this child (the group's are added)."""


class ResourceConfigurationArgs(TypedDict):
    """Arguments of `ResourceConfiguration`."""

    name: str
    """Configuration name: 3-40 lowercase letters, digits and hyphens, not starting with `rcfg-`; unique per account; plain: checked against the API's rule before registration."""
    type: NotRequired[ResourceConfigurationType]
    """SINGLE (default: one DNS name or IP), GROUP (with `children`) or ARN (an AWS resource such as an RDS database); plain, because it decides the children and which other arguments apply."""
    resource_gateway_id: pulumi.Input[str]
    """The resource gateway (`rgw-...` or its ARN, or a `ResourceGateway`'s `resource_gateway_id`)."""
    dns_name: NotRequired[pulumi.Input[str]]
    """SINGLE: the resource's DNS name (`database.address`); one of `dns_name`, `ip_address`, `arn`."""
    dns_ip_address_type: NotRequired[DnsIpAddressType]
    """IPV4 (default) or IPV6: what `dns_name` resolves to."""
    ip_address: NotRequired[pulumi.Input[str]]
    """SINGLE: the resource's IP address in the gateway's VPC (`instance.private_ip`)."""
    arn: NotRequired[pulumi.Input[str]]
    """ARN: the AWS resource's ARN (an RDS database or cluster, `database.arn`)."""
    port_ranges: NotRequired[list[str]]
    """SINGLE and GROUP (required): ports consumers may use, `"5432"` or `"8000-8080"` within 1-65535; ARN takes none; plain, checked before registration."""
    protocol: NotRequired[ResourceConfigurationProtocol]
    """TCP (the API's default and only value for these types)."""
    children: NotRequired[dict[str, ChildResource]]
    """GROUP: its CHILD resources by name (at most 60 by default quota), one child configuration each."""
    custom_domain_name: NotRequired[str]
    """A domain consumers use for the resource (private DNS on the association needs one); plain, because that rule is checked before registration."""
    domain_verification_id: NotRequired[pulumi.Input[str]]
    """A verified domain (`dv-...`, or `verification.id`) covering `custom_domain_name`."""
    allow_association_to_shareable_service_network: NotRequired[bool]
    """May join a RAM-shared network; defaults to true when `associate` is."""
    associate: NotRequired[bool]
    """Associate with `service_network_arn` (default true); plain, because it decides whether the association exists."""
    service_network_arn: NotRequired[pulumi.Input[str]]
    """The service network to associate with (its ARN, so the association works across accounts)."""
    private_dns_enabled: NotRequired[bool]
    """Private DNS for `custom_domain_name` in the consumers' VPCs (on the association)."""
    share_principals: NotRequired[list[pulumi.Input[str]]]
    """RAM principals to share the configuration with: account IDs, OU or organization ARNs, each once; one principal association each, so the list itself is plain."""
    allow_external_principals: NotRequired[bool]
    """Let the share reach accounts outside the organization (default false); they accept it with `ShareAccepter`."""
    tags: NotRequired[pulumi.Input[dict[str, pulumi.Input[str]]]]
    """Tags on every resource the component creates."""


class ResourceConfiguration(pulumi.ComponentResource):
    """A VPC Lattice resource configuration: consumers in VPCs attached to the service network (by association or endpoint) reach the resource on its port ranges over TCP. Auth policies do not apply to resources: association and security groups decide."""

    resource_configuration_id: pulumi.Output[str]
    """The configuration ID (`rcfg-...`)."""
    resource_configuration_arn: pulumi.Output[str]
    """The configuration ARN: what RAM shares and resource VPC endpoints name."""
    association_id: pulumi.Output[str]
    """The service-network resource association ID (empty when not associated)."""
    share_arn: pulumi.Output[str]
    """The ARN of the RAM share (empty when shared with no one)."""

    def __init__(
        self,
        name: str,
        args: ResourceConfigurationArgs,
        opts: pulumi.ResourceOptions | None = None,
        *,
        join_after: Sequence[pulumi.Resource] = (),
    ):
        """`join_after`: resources the network association waits for (the network's RAM share acceptance)."""
        # Every argument, and the inputs of every child against the AWS API model, before the first
        # registration (this component's own included); an Output is checked again when it resolves.
        spec = validate_args(
            ResourceConfigurationArgsSpec, args, TYPE_TOKEN, name, args_type=ResourceConfigurationArgs,
            checks=[resource_inputs.configuration_preflight],
        )
        super().__init__(TYPE_TOKEN, name, None, opts)
        child = pulumi.ResourceOptions(parent=self)
        tags = spec.tags

        configuration = aws.vpclattice.ResourceConfiguration(
            f"{name}-configuration", **resource_inputs.configuration(spec.name, spec, spec.resource_gateway_id), opts=child
        )
        for child_name, child_spec in spec.children.items():
            aws.vpclattice.ResourceConfiguration(
                f"{name}-{child_name}",
                **resource_inputs.child(child_name, spec, child_spec, configuration.id),
                opts=child,
            )

        association_id: pulumi.Input[str] = ""
        if spec.associate:
            association = aws.vpclattice.ServiceNetworkResourceAssociation(
                f"{name}-association",
                **resource_inputs.association(spec, configuration.id, spec.service_network_arn),
                opts=pulumi.ResourceOptions(parent=self, depends_on=list(join_after)),
            )
            association_id = association.id

        share_arn: pulumi.Input[str] = ""
        if spec.share_principals:
            share_arn = ram_share.share(
                name, f"{spec.name}-share", "configuration", configuration.arn, spec.share_principals,
                spec.allow_external_principals, tags, child,
            ).arn

        self.resource_configuration_id = configuration.id
        self.resource_configuration_arn = configuration.arn
        self.association_id = pulumi.Output.from_input(association_id)
        self.share_arn = pulumi.Output.from_input(share_arn)
        self.register_outputs({
            "resource_configuration_id": self.resource_configuration_id,
            "resource_configuration_arn": self.resource_configuration_arn,
            "association_id": self.association_id,
            "share_arn": self.share_arn,
        })
