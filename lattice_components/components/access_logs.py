"""Access logs of a service network or a service: a CloudWatch log group and the Lattice subscription to it.

Shared by `ServiceNetwork` and `LatticeService`, which register these as their own children (`opts` carries
`parent=self`).
"""

from __future__ import annotations

import pulumi
import pulumi_aws as aws


def subscribe(
    name: str,
    log_group_name: str,
    resource_arn: pulumi.Input[str],
    retention_days: int,
    tags: pulumi.Input[dict[str, pulumi.Input[str]]],
    opts: pulumi.ResourceOptions,
) -> aws.vpclattice.AccessLogSubscription:
    """Create `log_group_name` and send `resource_arn`'s access logs to it; children are named `<name>-access-...`."""
    log_group = aws.cloudwatch.LogGroup(
        f"{name}-access-logs", name=log_group_name, retention_in_days=retention_days, tags=tags, opts=opts
    )
    return aws.vpclattice.AccessLogSubscription(
        f"{name}-access-log-subscription",
        resource_identifier=resource_arn,
        destination_arn=log_group.arn,
        tags=tags,
        opts=opts,
    )
