"""`ConsumerVpcAttachment`: lets the workloads of one VPC call the services of a service network."""

# No `from __future__ import annotations` here: the package host (hosting.py) reads these annotations at run time.
from collections.abc import Sequence
from typing import NotRequired, TypedDict

import pulumi
import pulumi_aws as aws

from ..config import ConsumerVpcSpec
from ..config.association_specs import vpc_association_options, with_association_tags
from ..config import validate_args
from ..inputs.security_groups import client_ingress, joined

TYPE_TOKEN = "lattice:index:ConsumerVpcAttachment"


class ConsumerSecurityGroup(TypedDict):
    """The security group `ConsumerVpcAttachment` creates for the association."""

    client_cidrs: list[pulumi.Input[str]]
    """CIDRs of the clients in the VPC (usually the VPC's CIDR, `vpc.cidr_block`); at least one."""
    ports: NotRequired[list[int]]
    """Listener ports the clients call (default [443]); plain, because each port is one ingress and one egress rule."""


class DnsOptions(TypedDict):
    """Private DNS options of a VPC association (the API's `dnsOptions`)."""

    private_dns_preference: NotRequired[str]
    """VERIFIED_DOMAINS_ONLY, ALL_DOMAINS, VERIFIED_DOMAINS_AND_SPECIFIED_DOMAINS or SPECIFIED_DOMAINS_ONLY; plain, checked before registration."""
    private_dns_specified_domains: NotRequired[list[str]]
    """1-10 domains (wildcards allowed) for the SPECIFIED preferences; plain, checked before registration."""


class ConsumerVpcAttachmentArgs(TypedDict):
    """Arguments of `ConsumerVpcAttachment`."""

    vpc_id: pulumi.Input[str]
    """The consumer VPC (`vpc-...`, or `vpc.id`), associated with one service network only."""
    service_network_arn: pulumi.Input[str]
    """ARN of the service network (the ARN, so the association works from another account)."""
    security_group_ids: NotRequired[list[pulumi.Input[str]]]
    """Existing security groups for the association (`group.id`); a plain list, because together with a created one they may be at most the API's 5."""
    create_security_group: NotRequired[ConsumerSecurityGroup]
    """Create a security group that admits the clients on the listener ports and lets them reach Lattice's prefix list."""
    private_dns_enabled: NotRequired[bool]
    """Create-only: changing it replaces the association; plain, a setting checked before registration."""
    dns_options: NotRequired[DnsOptions]
    """Which private hosted zones Lattice creates in the VPC; needs `private_dns_enabled` true; plain, checked before registration."""
    association_tags: NotRequired[dict[str, str]]
    """Tags of the VPC association only, on top of `tags`; plain, checked against the API's tag limits before registration."""
    region: NotRequired[pulumi.Input[str]]
    """The network's region; needed to find the Lattice prefix list when the component creates a security group."""
    tags: NotRequired[pulumi.Input[dict[str, pulumi.Input[str]]]]
    """Tags on every resource the component creates."""


class ConsumerVpcAttachment(pulumi.ComponentResource):
    """Associates a consumer VPC with the service network, with 0-5 security groups that decide which of its clients may send traffic to it; IAM auth policies add the second layer."""

    association_id: pulumi.Output[str]
    """The ID of the service-network VPC association."""
    security_group_ids: pulumi.Output[list[str]]
    """Every security group on the association, the created one included."""

    def __init__(
        self,
        name: str,
        args: ConsumerVpcAttachmentArgs,
        opts: pulumi.ResourceOptions | None = None,
        *,
        join_after: Sequence[pulumi.Resource] = (),
    ):
        """`join_after`: resources the association waits for (the RAM share acceptance outside the organization);
        the security group does not wait, so both are created at once."""
        spec = validate_args(ConsumerVpcSpec, args, TYPE_TOKEN, name, args_type=ConsumerVpcAttachmentArgs)
        super().__init__(TYPE_TOKEN, name, None, opts)
        child = pulumi.ResourceOptions(parent=self)
        group_ids: list[pulumi.Input[str]] = list(spec.security_group_ids)

        if spec.create_security_group is not None:
            wanted = spec.create_security_group
            # Lattice reaches services through link-local addresses published as an AWS-managed prefix list;
            # egress to it is what lets a client's traffic leave for the network.
            prefix_list = aws.ec2.get_managed_prefix_list_output(
                name=joined("com.amazonaws.", spec.region, ".vpc-lattice"),
                opts=pulumi.InvokeOutputOptions(parent=self),
            )
            ports = sorted(set(wanted.ports))
            group = aws.ec2.SecurityGroup(
                f"{name}-lattice-clients",
                vpc_id=spec.vpc_id,
                description=joined("Clients in ", spec.vpc_id, " may call VPC Lattice services"),
                ingress=client_ingress(ports, wanted.client_cidrs),
                egress=[
                    {"protocol": "tcp", "from_port": port, "to_port": port, "prefix_list_ids": [prefix_list.id]}
                    for port in ports
                ],
                tags=spec.tags,
                opts=child,
            )
            group_ids.append(group.id)

        association = aws.vpclattice.ServiceNetworkVpcAssociation(
            f"{name}-association",
            vpc_identifier=spec.vpc_id,
            service_network_identifier=spec.service_network_arn,
            security_group_ids=group_ids or None,
            **vpc_association_options(spec),
            tags=with_association_tags(spec.tags, spec.association_tags or {}),
            opts=pulumi.ResourceOptions(parent=self, depends_on=list(join_after)),
        )
        self.association_id = association.id
        self.security_group_ids = pulumi.Output.all(*group_ids)
        self.register_outputs({"association_id": self.association_id, "security_group_ids": self.security_group_ids})
