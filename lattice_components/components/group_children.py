"""The children of a target group (the group and one attachment per target), registered alike by `LatticeService`
for its own groups and by `LatticeTargetGroup` for a stack's."""

# No `from __future__ import annotations` here, as in the other component modules.
from collections.abc import Callable
from typing import Any

import pulumi
import pulumi_aws as aws

from ..config import TargetGroupSpec, TargetSpec
from ..inputs import naming, service_inputs


def register_group(
    group_name: str,
    group: TargetGroupSpec,
    tags: Any,
    group_child: str,
    attachment_child: Callable[[TargetSpec, int], str],
    opts_of: Callable[[str, str], pulumi.ResourceOptions],
) -> aws.vpclattice.TargetGroup:
    """The target group `group_child` and one attachment per target (named by `attachment_child`), each with the
    options `opts_of` gives its type token and name (a parent, and aliases where a name changed: names are unique
    per type only, so the type says whose old name it is)."""
    target_group = aws.vpclattice.TargetGroup(
        group_child, **service_inputs.target_group(group_name, group, tags), opts=opts_of(naming.TARGET_GROUP, group_child)
    )
    for index, target in enumerate(group.targets):
        child = attachment_child(target, index)
        aws.vpclattice.TargetGroupAttachment(
            child, **service_inputs.attachment(group, target, target_group.id), opts=opts_of(naming.ATTACHMENT, child)
        )
    return target_group
