"""`LatticeService`: a service with its target groups, listeners, rules, auth policy and network association."""

from __future__ import annotations

from typing import Any, NotRequired, TypedDict

import pulumi
import pulumi_aws as aws

from . import auth_policies, routing
from .config import LatticeServiceSpec
from .validation import validate_args

TYPE_TOKEN = "lattice:index:LatticeService"


class LatticeServiceArgs(TypedDict):
    """Arguments of `LatticeService`. Nested objects have the same keys as the stack config, in snake_case."""

    name: str
    """Service name: 3-40 lowercase letters, digits and hyphens, not starting with `svc-`."""
    service_network_arn: pulumi.Input[str]
    """ARN of the service network to join (the ARN, not the ID, so it works across accounts)."""
    target_groups: dict[str, dict[str, Any]]
    """Target groups by name: `type` (INSTANCE default, IP, LAMBDA, ALB), `port`, `protocol`, `vpc_id`,
    `health_check` (INSTANCE and IP get the API's defaults unless `enabled: False`), `targets` [{id, port}]."""
    listeners: list[dict[str, Any]]
    """Listeners: `name`, `protocol` (HTTPS default, HTTP, TLS_PASSTHROUGH), `port`, `default_action`
    ({forward: [{target_group, weight}]} or {fixed_response: status}), `rules` [{name, priority, match, action}]."""
    auth_type: NotRequired[str]
    """`AWS_IAM` (default) or `NONE`."""
    allowed_callers: NotRequired[dict[str, list[str]]]
    """`principals` (IAM ARNs or account IDs) and `organization_ids` that may invoke the service; required
    with AWS_IAM, since without an auth policy every request is denied."""
    custom_domain_name: NotRequired[str]
    """Custom domain (3-255 characters); required for TLS_PASSTHROUGH."""
    certificate_arn: NotRequired[str]
    """ACM certificate for HTTPS on the custom domain."""
    access_logs: NotRequired[bool]
    """Create a CloudWatch log group for the service's access logs (default false)."""
    access_log_retention_days: NotRequired[int]
    """Retention of that log group, in days (default 30)."""
    tags: NotRequired[dict[str, str]]
    """Tags on every resource the component creates."""


class LatticeService(pulumi.ComponentResource):
    """A VPC Lattice service: target groups with health checks, listeners with weighted forwarding and rules,
    an auth policy generated from its allowed callers, and its association with the service network."""

    service_id: pulumi.Output[str]
    """The service ID (`svc-...`)."""
    service_arn: pulumi.Output[str]
    """The service ARN."""
    dns_name: pulumi.Output[str]
    """The DNS name Lattice generates (`<name>-<id>.<suffix>.vpc-lattice-svcs.<region>.on.aws`)."""
    target_group_ids: pulumi.Output[dict[str, str]]
    """Target group IDs by name."""

    def __init__(self, name: str, args: LatticeServiceArgs, opts: pulumi.ResourceOptions | None = None):
        super().__init__(TYPE_TOKEN, name, None, opts)
        spec = validate_args(LatticeServiceSpec, dict(args), TYPE_TOKEN, name)
        child = pulumi.ResourceOptions(parent=self)
        tags = dict(spec.tags)

        service = aws.vpclattice.Service(
            f"{name}-service",
            name=spec.name,
            auth_type=spec.auth_type,
            custom_domain_name=spec.custom_domain_name,
            certificate_arn=spec.certificate_arn,
            tags=tags,
            opts=child,
        )

        target_groups: dict[str, aws.vpclattice.TargetGroup] = {}
        for group_name, group in spec.target_groups.items():
            target_group = aws.vpclattice.TargetGroup(
                f"{name}-{group_name}",
                name=group_name,
                type=group.type,
                config=routing.target_group_config(group),
                tags=tags,
                opts=child,
            )
            target_groups[group_name] = target_group
            for target in group.targets:
                aws.vpclattice.TargetGroupAttachment(
                    f"{name}-{group_name}-{target.id.rsplit(':', 1)[-1]}",
                    target_group_identifier=target_group.id,
                    target={"id": target.id, "port": target.port if target.port is not None else group.port},
                    opts=child,
                )
        group_ids = {group_name: group.id for group_name, group in target_groups.items()}

        for listener_spec in spec.listeners:
            listener = aws.vpclattice.Listener(
                f"{name}-{listener_spec.name}",
                name=listener_spec.name,
                service_identifier=service.id,
                protocol=listener_spec.protocol,
                port=listener_spec.effective_port,
                default_action=routing.listener_default_action(listener_spec.default_action, group_ids),
                tags=tags,
                opts=child,
            )
            for rule in listener_spec.rules:
                aws.vpclattice.ListenerRule(
                    f"{name}-{listener_spec.name}-{rule.name}",
                    name=rule.name,
                    service_identifier=service.id,
                    listener_identifier=listener.listener_id,
                    priority=rule.priority,
                    match=routing.rule_match(rule.match),
                    action=routing.rule_action(rule.action, group_ids),
                    tags=tags,
                    opts=child,
                )

        if spec.auth_type == "AWS_IAM" and spec.allowed_callers is not None:
            policy = auth_policies.service_auth_policy(
                spec.allowed_callers.principals, spec.allowed_callers.organization_ids, spec.service_network_arn
            )
            aws.vpclattice.AuthPolicy(
                f"{name}-auth-policy",
                resource_identifier=service.arn,
                policy=pulumi.Output.json_dumps(policy),
                opts=child,
            )

        if spec.service_network_arn is not None:
            aws.vpclattice.ServiceNetworkServiceAssociation(
                f"{name}-association",
                service_identifier=service.id,
                service_network_identifier=spec.service_network_arn,
                tags=tags,
                opts=child,
            )

        if spec.access_logs:
            log_group = aws.cloudwatch.LogGroup(
                f"{name}-access-logs",
                name=f"/aws/vpc-lattice/service/{spec.name}",
                retention_in_days=spec.access_log_retention_days,
                tags=tags,
                opts=child,
            )
            aws.vpclattice.AccessLogSubscription(
                f"{name}-access-log-subscription",
                resource_identifier=service.arn,
                destination_arn=log_group.arn,
                tags=tags,
                opts=child,
            )

        self.service_id = service.id
        self.service_arn = service.arn
        self.dns_name = service.dns_entries.apply(lambda entries: entries[0].domain_name if entries else "")
        self.target_group_ids = pulumi.Output.from_input(group_ids)
        self.register_outputs({
            "service_id": self.service_id,
            "service_arn": self.service_arn,
            "dns_name": self.dns_name,
            "target_group_ids": self.target_group_ids,
        })
