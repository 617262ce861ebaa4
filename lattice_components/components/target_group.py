"""`LatticeTargetGroup`: a target group defined once, with its targets, that several services' listeners and rules
forward to (by its `target_group_id`)."""

# No `from __future__ import annotations` here: the package host (hosting.py) reads these annotations at run time.
from typing import NotRequired, TypedDict

import pulumi

from .enums import (
    TargetGroupIpAddressType,
    TargetGroupLambdaEventStructureVersion,
    TargetGroupProtocol,
    TargetGroupProtocolVersion,
    TargetGroupType,
)
from .group_children import register_group
from .lattice_service import HealthCheck, Target
from ..config import LatticeTargetGroupSpec, validate_args
from ..inputs import naming, service_inputs

TYPE_TOKEN = "lattice:index:LatticeTargetGroup"


class LatticeTargetGroupArgs(TypedDict):
    """Arguments of `LatticeTargetGroup`: a target group's settings (as in a service's target groups) and its name."""

    name: str
    """Target group name: 3-128 lowercase letters, digits and hyphens, not starting with `tg-`; unique per account; plain, because child names derive from it."""
    type: NotRequired[TargetGroupType]
    """INSTANCE (default), IP, LAMBDA or ALB; plain, because it decides which children and checks the group gets."""
    port: NotRequired[int]
    """The port the targets listen on; required for INSTANCE, IP and ALB groups, none for LAMBDA."""
    protocol: NotRequired[TargetGroupProtocol]
    """HTTP, HTTPS or TCP; required for INSTANCE, IP and ALB groups, none for LAMBDA."""
    protocol_version: NotRequired[TargetGroupProtocolVersion]
    """HTTP1, HTTP2 or GRPC (the API's default is HTTP1)."""
    ip_address_type: NotRequired[TargetGroupIpAddressType]
    """IPV4 (the API's default) or IPV6: the addresses an IP group registers; IP groups only."""
    lambda_event_structure_version: NotRequired[TargetGroupLambdaEventStructureVersion]
    """V1 (the API's default) or V2: the event a LAMBDA group's function receives; LAMBDA groups only."""
    vpc_id: NotRequired[pulumi.Input[str]]
    """The VPC of the targets (`vpc-...`, or `vpc.id`); required for INSTANCE, IP and ALB groups, none for LAMBDA."""
    health_check: NotRequired[HealthCheck]
    """The health check of an INSTANCE or IP group (default: the one AWS applies); LAMBDA and ALB groups take none."""
    targets: NotRequired[list[Target]]
    """The targets to register (default none): one attachment each, so the list itself is plain."""
    tags: NotRequired[pulumi.Input[dict[str, pulumi.Input[str]]]]
    """Tags on every resource the component creates."""


class LatticeTargetGroup(pulumi.ComponentResource):
    """A VPC Lattice target group and its registered targets, defined once for the stack: the listeners and rules of one `LatticeService` (VPC Lattice allows no second service) forward to it by passing its `target_group_id` as a forward's `target_group`."""

    target_group_id: pulumi.Output[str]
    """The target group ID (`tg-...`)."""
    target_group_arn: pulumi.Output[str]
    """The target group ARN."""

    def __init__(self, name: str, args: LatticeTargetGroupArgs, opts: pulumi.ResourceOptions | None = None):
        # Every argument, and the group's and attachments' inputs against the AWS API model, before registering.
        spec = validate_args(
            LatticeTargetGroupSpec, args, TYPE_TOKEN, name, args_type=LatticeTargetGroupArgs,
            checks=[service_inputs.target_group_preflight],
        )
        super().__init__(TYPE_TOKEN, name, None, opts)
        group = register_group(
            spec.name, spec, spec.tags, f"{name}-target-group",
            lambda target, index: naming.group_attachment(name, target.id, naming.named_port(spec, target), index),
            lambda _type, _child: pulumi.ResourceOptions(parent=self),
        )
        self.target_group_id = group.id
        self.target_group_arn = group.arn
        self.register_outputs({"target_group_id": self.target_group_id, "target_group_arn": self.target_group_arn})
