"""`LatticeService`: a service with its target groups, listeners, rules, auth policy and network association."""

# No `from __future__ import annotations` here: the package host (hosting.py) reads these annotations at run time.
import functools
from collections.abc import Sequence
from typing import Any, NotRequired, TypedDict

import pulumi
import pulumi_aws as aws

from . import access_logs, ram_share
from .group_children import register_group
from .enums import (
    AuthType,
    HealthCheckProtocol,
    HealthCheckProtocolVersion,
    ListenerProtocol,
    TargetGroupProtocol,
    TargetGroupIpAddressType,
    TargetGroupLambdaEventStructureVersion,
    TargetGroupProtocolVersion,
    TargetGroupType,
)
from ..inputs import auth_policies, naming, service_inputs
from ..config import LatticeServiceSpec
from ..config import validate_args

TYPE_TOKEN = "lattice:index:LatticeService"

# The argument types below are also the package schema other languages are generated from
# (`lattice_components.tools.hosting`): every nested object is a TypedDict named after what it is (other languages add
# `Args` themselves), every field has a docstring, and a field that drives a decision (names, types, protocols,
# ports, weights, priorities, auth type) is plain, so the component can decide on it before anything is
# registered. A field that names another resource (a VPC, an instance, a function, a certificate, a principal) or
# holds tags is a `pulumi.Input`: another resource's output keeps the dependency on it, and is validated when it
# resolves (`config.args`). Lists whose items become one child each are plain lists of inputs: the number of
# children is decided before registration, their values need not be. Their keys are the snake_case field names
# of the models in `config/`, which validate them.


class HealthCheck(TypedDict):
    """How Lattice checks the targets of an INSTANCE or IP target group; every field defaults to the API's default, and is plain: checked against the API model before anything is registered."""

    enabled: NotRequired[bool]
    """Run the health check (default true). `false` sends an explicitly disabled check."""
    protocol: NotRequired[HealthCheckProtocol]
    """HTTP or HTTPS; defaults to HTTP, the API's default. Required to enable a check on a TCP group."""
    protocol_version: NotRequired[HealthCheckProtocolVersion]
    """HTTP1 (default) or HTTP2. Required to enable a check on a TCP group."""
    path: NotRequired[str]
    """The path requested, starting with `/` (default `/`)."""
    port: NotRequired[int]
    """The port checked; defaults to the target group's port."""
    interval_seconds: NotRequired[int]
    """Seconds between checks, 5-300 (default 30)."""
    timeout_seconds: NotRequired[int]
    """Seconds to wait for an answer, 1-120 (default 5)."""
    healthy_threshold: NotRequired[int]
    """Consecutive successes before a target is healthy, 2-10 (default 5)."""
    unhealthy_threshold: NotRequired[int]
    """Consecutive failures before a target is unhealthy, 2-10 (default 2)."""
    matcher: NotRequired[str]
    """HTTP codes that mean healthy: `200` (default), `200,204` or `200-299`."""


class Target(TypedDict):
    """One registered target of a target group."""

    id: pulumi.Input[str]
    """An EC2 instance ID (INSTANCE), an IP address (IP), a Lambda function ARN (LAMBDA) or an ALB ARN (ALB); another resource's output (`instance.id`, `function.arn`) is fine."""
    port: NotRequired[int]
    """The port the target listens on; defaults to the target group's port."""


class TargetGroup(TypedDict):
    """A target group: the compute behind a service."""

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
    """The health check of an INSTANCE or IP group (default: the one AWS applies, on for HTTP1 groups and off for HTTP2, gRPC and TCP ones; `enabled` false turns it off); LAMBDA and ALB groups take none."""
    targets: NotRequired[list[Target]]
    """The targets to register (default none): one attachment each, so the list itself is plain."""


class WeightedTargetGroup(TypedDict):
    """One target group of a forward action and its share of the traffic; plain, because weights are checked before registration."""

    target_group: pulumi.Input[str]
    """The name of one of this service's target groups (a key of its target groups), or the ARN or ID of a group created elsewhere (a `LatticeTargetGroup`'s `target_group_id`, another stack's output, a literal `arn:aws:vpc-lattice:...:targetgroup/tg-...`), which is forwarded to and not created."""
    weight: NotRequired[int]
    """Relative weight, 0-999 (default 100): weights 90 and 10 send 90% and 10% of the requests."""


class Action(TypedDict):
    """Where requests go: forward to weighted target groups, or answer with a fixed response; exactly one of the two."""

    forward: NotRequired[list[WeightedTargetGroup]]
    """Forward to 1-10 weighted target groups of this service."""
    fixed_response: NotRequired[int]
    """Answer with this HTTP status code (100-599) instead of forwarding."""


class HeaderMatch(TypedDict):
    """A header condition of a rule: set exactly one of `exact`, `prefix` or `contains`."""

    name: str
    """The header name."""
    exact: NotRequired[str]
    """The header equals this value."""
    prefix: NotRequired[str]
    """The header starts with this value."""
    contains: NotRequired[str]
    """The header contains this value."""
    case_sensitive: NotRequired[bool]
    """Compare case-sensitively (default false)."""


class RuleMatch(TypedDict):
    """What a rule matches: a path (exact or prefix), a method and headers; at least one of them."""

    path_prefix: NotRequired[str]
    """The path starts with this prefix (which starts with `/`)."""
    path_exact: NotRequired[str]
    """The path is exactly this (starting with `/`); not together with a path prefix."""
    path_case_sensitive: NotRequired[bool]
    """Compare the path case-sensitively (default true)."""
    method: NotRequired[str]
    """The HTTP method (GET, POST, ...)."""
    headers: NotRequired[list[HeaderMatch]]
    """Header conditions, all of which must hold (1-5)."""


class Rule(TypedDict):
    """A listener rule: requests that match go to its action instead of the listener's default action; plain, because priorities are checked unique per listener before registration."""

    name: str
    """Rule name: 3-63 lowercase letters, digits and hyphens, not starting with `rule-`."""
    priority: int
    """1-2000, lower numbers evaluated first; unique per listener."""
    match: RuleMatch
    """The requests this rule takes."""
    action: Action
    """Where they go."""


class Listener(TypedDict):
    """A listener: a protocol and port the service accepts, its default action and its rules; plain, because its name, protocol and port name and shape its children and are checked before registration."""

    name: str
    """Listener name: 3-63 lowercase letters, digits and hyphens, not starting with `listener-`."""
    protocol: NotRequired[ListenerProtocol]
    """HTTPS (default), HTTP or TLS_PASSTHROUGH."""
    port: NotRequired[int]
    """1-65535; defaults to 80 for HTTP and 443 otherwise."""
    default_action: Action
    """Where requests no rule matches go, e.g. `forward` to a stable and a canary group weighted 90/10."""
    rules: NotRequired[list[Rule]]
    """Rules evaluated before the default action (none for TLS_PASSTHROUGH)."""


class AllowedCallers(TypedDict):
    """Who may invoke a service; the service's auth policy is generated from this."""

    principals: NotRequired[list[pulumi.Input[str]]]
    """IAM role or user ARNs (`arn:aws:iam::123456789012:role/FrontendAppRole`, or `role.arn`) or 12-digit account IDs; no wildcards."""
    organization_ids: NotRequired[list[pulumi.Input[str]]]
    """Every principal of these AWS Organizations (`o-...`)."""
    accounts: NotRequired[list[str]]
    """Every principal of these 12-digit accounts (short form for "these accounts"); plain, checked before registration."""
    organization_only: NotRequired[bool]
    """Only principals of `organization_ids`: alone, all of them; with principals or accounts, those while in it (default false); plain, it shapes the policy."""
    methods: NotRequired[list[str]]
    """Every statement also requires one of these request methods, e.g. `[GET, HEAD]` for read-only callers; plain, it shapes the policy."""


class AccessLogDestination(TypedDict):
    """An existing destination of access logs: exactly one of `log_group_arn`, `s3_bucket_arn`, `firehose_arn`."""

    log_group_arn: NotRequired[str]
    """An existing CloudWatch Logs group ARN; plain, its type decides the subscription's name."""
    s3_bucket_arn: NotRequired[str]
    """An S3 bucket ARN (`arn:aws:s3:::<bucket>`); plain, its type decides the subscription's name."""
    firehose_arn: NotRequired[str]
    """A Kinesis Data Firehose delivery stream ARN; plain, its type decides the subscription's name."""
    log_type: NotRequired[str]
    """Service networks only: SERVICE (default) or RESOURCE; plain, it decides the subscription's name."""


class Dns(TypedDict):
    """A Route 53 record that points the custom domain at the name Lattice generates."""

    hosted_zone_id: pulumi.Input[str]
    """The hosted zone (private or public) the record goes in (`Z...`, or `zone.zone_id`)."""
    record_type: NotRequired[str]
    """ALIAS (default: an A alias record) or CNAME; plain, because it decides the record's shape."""
    ttl: NotRequired[int]
    """Seconds a CNAME record is cached (default 300); ALIAS records take none."""


class Share(TypedDict):
    """A RAM share of the service with other accounts."""

    principals: list[pulumi.Input[str]]
    """12-digit account IDs, organization or OU ARNs, each once; one principal association each, so the list itself is plain."""
    allow_external_principals: bool
    """Required: whether accounts outside the organization may accept the share; plain, the pack checks it."""


class LatticeServiceArgs(TypedDict):
    """Arguments of `LatticeService`. Nested objects have the same keys as the stack config, in snake_case."""

    name: str
    """Service name: 3-40 lowercase letters, digits and hyphens, not starting with `svc-`; plain, because child names derive from it."""
    service_network_arn: NotRequired[pulumi.Input[str]]
    """ARN of the service network to join (the ARN, not the ID, so it works across accounts): required when `associate` is true (the default), none for a standalone service."""
    associate: NotRequired[bool]
    """Associate the service with `service_network_arn` (default true); false: a standalone service, reached through its own sharing; plain, it decides whether the association exists."""
    share: NotRequired[Share]
    """Share the service through AWS RAM with other accounts (a share, the service in it, one principal association each)."""
    target_groups: NotRequired[dict[str, TargetGroup]]
    """Target groups by name (3-128 lowercase letters, digits and hyphens, not starting with `tg-`)."""
    listeners: NotRequired[list[Listener]]
    """The service's listeners, each with its default action and rules; none is allowed (the service serves nothing yet)."""
    idle_timeout_seconds: NotRequired[int]
    """Seconds a connection may stay idle before Lattice closes it, 60-600 (the API's default is 60)."""
    auth_type: NotRequired[AuthType]
    """`AWS_IAM` (default) or `NONE`; plain, because it decides whether the service gets an auth policy."""
    allowed_callers: NotRequired[AllowedCallers]
    """Who may invoke the service; required with AWS_IAM, since without an auth policy every request is denied."""
    custom_domain_name: NotRequired[str]
    """Custom domain (3-255 characters); required for TLS_PASSTHROUGH; plain, because that rule is checked before registration."""
    certificate_arn: NotRequired[pulumi.Input[str]]
    """ACM certificate for HTTPS on the custom domain (`certificate.arn`)."""
    dns: NotRequired[Dns]
    """A Route 53 record for `custom_domain_name` in a hosted zone you name; requires `custom_domain_name`."""
    access_logs: NotRequired[bool]
    """Create a CloudWatch log group for the service's access logs (default false)."""
    access_log_retention_days: NotRequired[int]
    """Retention of that log group, in days (default 30)."""
    access_log_destinations: NotRequired[list[AccessLogDestination]]
    """Existing CloudWatch Logs, S3 and Firehose destinations, one per destination type; plain, because each is one subscription."""
    auth_policy: NotRequired[dict[str, Any]]
    """A hand-written IAM auth policy document that replaces the generated one; plain, checked before anything is registered."""
    auth_policy_file: NotRequired[str]
    """A JSON file holding `auth_policy`, relative to the stack file (the Pulumi project directory); plain, read before registration."""
    extra_statements: NotRequired[list[dict[str, Any]]]
    """IAM statements appended to the policy generated from `allowed_callers`; plain, checked before registration."""
    association_tags: NotRequired[dict[str, str]]
    """Tags of the network association only, on top of `tags`; plain, checked against the API's tag limits before registration."""
    tags: NotRequired[pulumi.Input[dict[str, pulumi.Input[str]]]]
    """Tags on every resource the component creates."""


class LatticeService(pulumi.ComponentResource):
    """A VPC Lattice service: target groups with health checks, listeners with weighted forwarding and rules, an auth policy generated from its allowed callers, and its association with the service network."""

    service_id: pulumi.Output[str]
    """The service ID (`svc-...`)."""
    service_arn: pulumi.Output[str]
    """The service ARN."""
    dns_name: pulumi.Output[str]
    """The DNS name Lattice generates (`<name>-<id>.<suffix>.vpc-lattice-svcs.<region>.on.aws`)."""
    target_group_ids: pulumi.Output[dict[str, str]]
    """Target group IDs by name."""
    share_arn: pulumi.Output[str]
    """The ARN of the service's RAM share (empty when it is shared with no one)."""

    def __init__(
        self,
        name: str,
        args: LatticeServiceArgs,
        opts: pulumi.ResourceOptions | None = None,
        *,
        join_after: Sequence[pulumi.Resource] = (),
    ):
        """`join_after`: resources the network association waits for, such as the RAM share acceptance of an
        account outside the organization. Only the association waits: `depends_on` on the whole component would
        hold back the service, target groups and listeners too, which the API does not need (benchmarks, part 3)."""
        # Every argument, and the inputs of every child (checked against the AWS API model), before the first
        # registration, this component's own included.
        spec = validate_args(
            LatticeServiceSpec, args, TYPE_TOKEN, name, args_type=LatticeServiceArgs, checks=[service_inputs.preflight]
        )
        super().__init__(TYPE_TOKEN, name, None, opts)
        child = pulumi.ResourceOptions(parent=self)
        tags = spec.tags

        legacy = naming.legacy_names(name, spec)

        def named(type_token: str, new_name: str) -> pulumi.ResourceOptions:
            # Names changed to be unique (inputs/naming.py); the old one keeps deployed resources in place. The
            # type is part of the key: a target group and a listener may share a new name, each with its own alias.
            olds = legacy.get((type_token, new_name))
            if not olds:
                return child
            alias = functools.partial(naming.alias_urn, type_token=type_token)
            return pulumi.ResourceOptions(parent=self, aliases=[self.urn.apply(functools.partial(alias, old_name=old)) for old in olds])

        service = aws.vpclattice.Service(f"{name}-service", **service_inputs.service(spec), opts=child)

        if spec.dns is not None:
            entry = service.dns_entries.apply(lambda entries: entries[0])
            aws.route53.Record(
                f"{name}-dns",
                **service_inputs.dns_record(spec, entry.domain_name, entry.hosted_zone_id),
                opts=child,
            )

        target_groups: dict[str, aws.vpclattice.TargetGroup] = {}
        for group_name, group in spec.target_groups.items():
            target_groups[group_name] = register_group(
                group_name, group, tags, naming.target_group(name, group_name),
                lambda target, index, group_name=group_name, group=group: naming.attachment(
                    name, group_name, target.id, naming.named_port(group, target), index
                ),
                named,
            )
        group_ids = {group_name: group.id for group_name, group in target_groups.items()}

        for listener_spec in spec.listeners:
            listener_child = naming.listener(name, listener_spec.name)
            listener = aws.vpclattice.Listener(
                listener_child,
                **service_inputs.listener(listener_spec, service.id, group_ids, tags),
                opts=named(naming.LISTENER, listener_child),
            )
            for rule in listener_spec.rules:
                rule_child = naming.rule(name, listener_spec.name, rule.name)
                aws.vpclattice.ListenerRule(
                    rule_child,
                    **service_inputs.rule(rule, service.id, listener.listener_id, group_ids, tags),
                    opts=named(naming.RULE, rule_child),
                )

        policy = service_inputs.auth_policy_document(spec)
        if policy is not None:
            aws.vpclattice.AuthPolicy(
                f"{name}-auth-policy",
                resource_identifier=service.arn,
                policy=auth_policies.as_input(policy),
                opts=child,
            )

        if spec.joins_network:
            aws.vpclattice.ServiceNetworkServiceAssociation(
                f"{name}-association",
                **service_inputs.association(spec, service.id),
                opts=pulumi.ResourceOptions(parent=self, depends_on=list(join_after)),
            )

        access_logs.subscribe_all(name, spec, f"/aws/vpc-lattice/service/{spec.name}", service.arn, tags, child)

        share_arn: pulumi.Input[str] = ""
        if spec.share is not None:
            share_arn = ram_share.share(
                name, f"{spec.name}-share", "service", service.arn, spec.share.principals,
                spec.share.allow_external_principals, tags, child,
            ).arn

        self.service_id = service.id
        self.service_arn = service.arn
        self.dns_name = service.dns_entries.apply(lambda entries: entries[0].domain_name if entries else "")
        self.target_group_ids = pulumi.Output.from_input(group_ids)
        self.share_arn = pulumi.Output.from_input(share_arn)
        self.register_outputs({
            "share_arn": self.share_arn,
            "service_id": self.service_id,
            "service_arn": self.service_arn,
            "dns_name": self.dns_name,
            "target_group_ids": self.target_group_ids,
        })
