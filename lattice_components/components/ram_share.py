"""A RAM share of one Lattice resource (a service network, a service, a resource configuration) with its principals:
the children every sharing component registers alike, so their names stay what deployed stacks have."""

# No `from __future__ import annotations` here, as in the other component modules.
from collections.abc import Sequence
from typing import Any

import pulumi
import pulumi_aws as aws


def principal_label(principal: pulumi.Input[str], index: int) -> str:
    """The part of a principal association's name that tells it from its siblings: the account, organization
    or OU ID, or its position when the principal is another resource's output."""
    return principal.rsplit("/", 1)[-1].rsplit(":", 1)[-1] if isinstance(principal, str) else f"principal-{index}"


def share(
    name: str,
    share_name: str,
    role: str,
    resource_arn: pulumi.Input[str],
    principals: Sequence[pulumi.Input[str]],
    allow_external_principals: bool,
    tags: Any,
    opts: pulumi.ResourceOptions,
) -> aws.ram.ResourceShare:
    """`<name>-share` (RAM name `share_name`), `<name>-share-<role>` putting `resource_arn` in it, and
    `<name>-share-<principal>` for each principal; `allowExternalPrincipals` is always sent, never left to RAM's
    default, so the plan and the pack see what was decided."""
    resource_share = aws.ram.ResourceShare(
        f"{name}-share", name=share_name, allow_external_principals=allow_external_principals, tags=tags, opts=opts
    )
    aws.ram.ResourceAssociation(
        f"{name}-share-{role}", resource_arn=resource_arn, resource_share_arn=resource_share.arn, opts=opts
    )
    for index, principal in enumerate(principals):
        aws.ram.PrincipalAssociation(
            f"{name}-share-{principal_label(principal, index)}", principal=principal,
            resource_share_arn=resource_share.arn, opts=opts,
        )
    return resource_share
