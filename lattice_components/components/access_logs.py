"""Access logs of a service network or a service: a created CloudWatch log group and the Lattice subscription
to it, and subscriptions to existing CloudWatch Logs, S3 and Firehose destinations.

Shared by `ServiceNetwork` and `LatticeService`, which register these as their own children (`opts` carries
`parent=self`).
"""

from __future__ import annotations

import pulumi
import pulumi_aws as aws

from ..config.access_log_specs import AccessLogFields, planned_destinations


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


def subscribe_all(
    name: str,
    spec: AccessLogFields,
    log_group_name: str,
    resource_arn: pulumi.Input[str],
    tags: pulumi.Input[dict[str, pulumi.Input[str]]],
    opts: pulumi.ResourceOptions,
) -> list[aws.vpclattice.AccessLogSubscription]:
    """Every subscription `spec` asks for: the created group (`accessLogs`) and each existing destination.

    Children are named `<name>-access-log-<type>[-resource]` (`orders-access-log-s3`); the created group keeps
    its names from before destinations existed, so enabling one does not replace the other.
    """
    subscriptions = []
    for role, destination_arn, log_type in planned_destinations(spec):
        if destination_arn is None:
            subscriptions.append(subscribe(name, log_group_name, resource_arn, spec.access_log_retention_days, tags, opts))
            continue
        subscriptions.append(aws.vpclattice.AccessLogSubscription(
            f"{name}-{role}",
            resource_identifier=resource_arn,
            destination_arn=destination_arn,
            service_network_log_type=log_type,
            tags=tags,
            opts=opts,
        ))
    return subscriptions
