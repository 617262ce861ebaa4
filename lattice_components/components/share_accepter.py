"""`ShareAccepter`: accepts the network's RAM share in an account outside the organization."""

# No `from __future__ import annotations` here: the package host (hosting.py) reads these annotations at run time.
from typing import TypedDict

import pulumi
import pulumi_aws as aws

from ..config import ShareAccepterSpec
from ..config import validate_args

TYPE_TOKEN = "lattice:index:ShareAccepter"


class ShareAccepterArgs(TypedDict):
    """Arguments of `ShareAccepter`."""

    share_arn: pulumi.Input[str]
    """The ARN of the RAM share to accept (the network stack's `shareArn` output)."""


class ShareAccepter(pulumi.ComponentResource):
    """Accepts a RAM share invitation. Accounts inside the organization need none (RAM shares with them directly when sharing with AWS Organizations is enabled); accounts outside it see nothing until they accept."""

    share_id: pulumi.Output[str]
    """The ID of the accepted share."""

    def __init__(self, name: str, args: ShareAccepterArgs, opts: pulumi.ResourceOptions | None = None):
        spec = validate_args(ShareAccepterSpec, args, TYPE_TOKEN, name, args_type=ShareAccepterArgs)
        super().__init__(TYPE_TOKEN, name, None, opts)
        accepter = aws.ram.ResourceShareAccepter(
            f"{name}-accepter", share_arn=spec.share_arn, opts=pulumi.ResourceOptions(parent=self)
        )
        self.share_id = accepter.share_id
        self.register_outputs({"share_id": self.share_id})
