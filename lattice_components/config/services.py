"""The typed schema of a Lattice service in stack config, checked before any resource is registered.

Two projects read it: the shared-network stack (`Pulumi.<env>.yaml`: `lattice:network`, `lattice:accounts`)
and the per-account stacks (`stacks/Pulumi.<account>-<env>.yaml`: `lattice:account`, `lattice:services`,
`lattice:consumers`). Keys are camelCase in YAML (Pulumi's convention) and snake_case in Python; the
snake_case dump of a spec is exactly the argument dict of the matching component, so the config and the
components share one schema and one seam (`model_dump`).

Every range, pattern and enum comes from botocore's Lattice API model through `api_model`; the rules the
model cannot express (no health check on LAMBDA groups, weights that add up to something, ...) are the
validators below, each with the reason it exists.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Annotated, ClassVar, Literal

from pydantic import AfterValidator, Field, field_validator, model_validator
from pydantic.alias_generators import to_camel

from ..apimodel import model, value_rules
from .access_log_specs import AccessLogFields
from .association_specs import ServiceAssociationFields
from .auth_policy_specs import AuthPolicyFields, HttpMethod
from .base import (
    RAM_PRINCIPAL,
    AccountId,
    AuthType,
    Deferred,
    ListenerName,
    OrganizationId,
    Port,
    RuleName,
    ServiceName,
    Spec,
    TargetGroupName,
    Tags,
    api_enum,
    api_lengths,
    api_range,
    checked_by,
    is_output,
    listed_once,
    rule_error,
)




def _principal(value: str) -> str:
    if is_output(value):
        return value  # another resource's output: checked when it resolves
    if value == "*":
        raise ValueError("'*' would let anyone invoke the service; list principals or organizationIds")
    problem = value_rules.principal_problem(value)
    if problem:
        raise ValueError(problem)
    return value


Principal = Annotated[str, AfterValidator(_principal)]
"""An IAM principal an auth policy may name; checked per item, so every bad one is reported under its index."""


# --------------------------------------------------------------------------------------------------------------
# Target groups
# --------------------------------------------------------------------------------------------------------------

_HC = "HealthCheckConfig"


# The model's enum for the health-check protocol is the target-group one (HTTP, HTTPS, TCP); its documentation
# narrows it: "The possible protocols are HTTP and HTTPS. The default is HTTP."
_HC_PROTOCOLS = model.enum_values_mentioned(model.member_shape(_HC, "protocol"), model.limits(_HC, "protocol").enum)
HEALTH_CHECK_DEFAULT_PROTOCOL = "HTTP"


class HealthCheckSpec(Spec):
    """The target group's health check. Defaults are the API's own, stated here so the plan shows them."""

    enabled: bool = True
    protocol: Literal[_HC_PROTOCOLS] | None = None
    """HTTP or HTTPS; defaults to HTTP, the API's default (HealthCheckConfig: "The default is HTTP")."""
    protocol_version: api_enum(_HC, "protocolVersion") = "HTTP1"
    path: str = "/"
    port: Annotated[int, Field(**api_range(_HC, "port"))] | None = None
    """Defaults to the target group's port."""
    interval_seconds: Annotated[int, Field(**api_range(_HC, "healthCheckIntervalSeconds"))] = 30
    timeout_seconds: Annotated[int, Field(**api_range(_HC, "healthCheckTimeoutSeconds"))] = 5
    healthy_threshold: Annotated[int, Field(**api_range(_HC, "healthyThresholdCount"))] = 5
    unhealthy_threshold: Annotated[int, Field(**api_range(_HC, "unhealthyThresholdCount"))] = 2
    matcher: str = "200"
    """HTTP codes that mean healthy: `200`, `200,204` or `200-299`."""

    @field_validator("path")
    @classmethod
    def _path_matches_model(cls, value: str) -> str:
        if not model.limits(_HC, "path").pattern_matches(value) or not value.startswith("/"):
            raise ValueError(f"{value!r} is not a valid health-check path: it must start with '/' and use URL characters")
        return value

    @field_validator("matcher")
    @classmethod
    def _matcher_matches_model(cls, value: str) -> str:
        if not model.limits("Matcher", "httpCode").pattern_matches(value):
            raise ValueError(f"{value!r} is not a valid matcher: use HTTP codes such as '200', '200,204' or '200-299'")
        return value


class TargetSpec(Spec):
    """One registered target: an instance ID, an IP address, a Lambda ARN or an ALB ARN."""

    id: Deferred[str]
    port: Port | None = None
    """Defaults to the target group's port."""


_TG_TYPE = api_enum("CreateTargetGroup", "type")


class TargetGroupSpec(Spec):
    """A target group: the compute behind a service."""

    type: _TG_TYPE = "INSTANCE"
    port: Port | None = None
    """Required for INSTANCE, IP and ALB groups; LAMBDA groups take none."""
    protocol: api_enum("TargetGroupConfig", "protocol") | None = None
    """HTTP, HTTPS or TCP; required for INSTANCE, IP and ALB groups."""
    protocol_version: api_enum("TargetGroupConfig", "protocolVersion") | None = None
    ip_address_type: api_enum("TargetGroupConfig", "ipAddressType") | None = None
    """IPV4 (the API's default) or IPV6: the addresses an IP group registers; IP groups only."""
    lambda_event_structure_version: api_enum("TargetGroupConfig", "lambdaEventStructureVersion") | None = None
    """V1 or V2: the shape of the event a LAMBDA group's function receives (the API's default is V1); LAMBDA only."""
    vpc_id: Deferred[str] | None = None
    """The VPC of the targets; required for INSTANCE, IP and ALB groups."""
    health_check: HealthCheckSpec | None = None
    """INSTANCE and IP groups get the health check AWS applies by default (on for HTTP1, off for HTTP2, gRPC
    and TCP) unless one is given; LAMBDA and ALB groups take none (the API rejects it)."""
    targets: list[TargetSpec] = Field(default_factory=list)

    @model_validator(mode="after")
    def _fits_the_type(self) -> "TargetGroupSpec":
        if getattr(self, "created_elsewhere", False):
            return self  # a stack's reference to a group created elsewhere (`StackTargetGroupSpec`): nothing to fit
        if self.type == "LAMBDA":
            for field in ("port", "protocol", "protocol_version", "vpc_id"):
                if getattr(self, field) is not None:
                    raise rule_error(to_camel(field), "LAMBDA target groups take no port, protocol or VPC")
        else:
            for field in ("port", "protocol", "vpc_id"):
                if getattr(self, field) is None:
                    raise rule_error(to_camel(field), f"is required for {self.type} target groups")
        if self.type in ("LAMBDA", "ALB") and self.health_check is not None:
            raise rule_error("healthCheck", f"{self.type} target groups take no health check (the API rejects it)")
        if self.ip_address_type is not None and self.type != "IP":
            raise rule_error("ipAddressType", f"is supported only for IP target groups, not {self.type}")
        if self.lambda_event_structure_version is not None and self.type != "LAMBDA":
            raise rule_error("lambdaEventStructureVersion", f"is supported only for LAMBDA target groups, not {self.type}")
        if self.vpc_id is not None and not is_output(self.vpc_id):
            vpc = model.limits("CreateServiceNetworkVpcAssociation", "vpcIdentifier")
            if not isinstance(self.vpc_id, str) or not vpc.pattern_matches(self.vpc_id):
                raise rule_error("vpcId", f"{self.vpc_id!r} is not a VPC ID (vpc-xxxxxxxx)")
        check = self.health_check
        # TLS listeners guide: "By default, health checks are disabled for TCP target groups. If you enable health
        # checks for a TCP target group, you must specify a protocol and protocol version."
        if self.protocol == "TCP" and check is not None and check.enabled:
            missing = [to_camel(name) for name in ("protocol", "protocol_version") if name not in check.model_fields_set]
            if missing:
                raise rule_error(
                    f"healthCheck.{missing[0]}", "is required to enable a health check on a TCP target group (HTTP or HTTPS; HTTP1 or HTTP2)"
                )
        self._targets_fit()
        return self

    def _targets_fit(self) -> None:
        seen: dict[tuple[str, int | None], int] = {}
        for index, target in enumerate(self.targets):
            if is_output(target.id):
                continue  # another resource's output: checked when it resolves, if at all
            problem = value_rules.target_problem(self.type, target.id, self.ip_address_type)
            if problem:
                raise rule_error(f"targets[{index}].id", problem)
            if self.type == "LAMBDA" and target.port is not None:
                raise rule_error(f"targets[{index}].port", "LAMBDA targets take no port")
            # AWS identifies a registered target by its ID and port: the same address on two ports is two
            # targets, the same one listed twice (in any spelling of the address) is one.
            key = (value_rules.target_identity(self.type, target.id), self.target_port(target))
            if key in seen:
                on_port = f" on port {key[1]}" if key[1] is not None else ""
                raise rule_error(f"targets[{index}]", f"is the same target as targets[{seen[key]}] ({target.id}{on_port}): list it once")
            seen[key] = index

    def target_port(self, target: TargetSpec) -> int | None:
        """The port AWS registers the target on: its own, else the group's (none for LAMBDA)."""
        return target.port if target.port is not None else self.port

    @property
    def effective_health_check(self) -> HealthCheckSpec | None:
        """The health check the API will run: None where the type takes none (LAMBDA, ALB), a disabled one where
        AWS's default is off, else the configured one or AWS's default.

        Health checks guide ("Health checks for your VPC Lattice target groups"): on by default for protocol
        version HTTP1, off by default for HTTP2, not supported for gRPC (a check enabled on a gRPC group uses
        HTTP1 or HTTP2); TLS listeners guide: off by default for TCP groups. The off cases are sent as an explicit
        `enabled: false`, so the plan shows what AWS does.
        """
        if self.type in ("LAMBDA", "ALB"):
            return None
        if self.health_check is not None:
            return self.health_check
        if self.protocol == "TCP" or self.protocol_version in ("HTTP2", "GRPC"):
            return HealthCheckSpec(enabled=False)
        return HealthCheckSpec()


class LatticeTargetGroupSpec(TargetGroupSpec):
    """`LatticeTargetGroup` args: a target group of its own, forwarded to by several services."""

    name: TargetGroupName
    tags: Tags = Field(default_factory=dict)


# --------------------------------------------------------------------------------------------------------------
# Listeners and rules
# --------------------------------------------------------------------------------------------------------------

_MAX_WEIGHT = api_range("WeightedTargetGroup", "weight")
_TARGET_GROUP_IDENTIFIER = model.limits("WeightedTargetGroup", "targetGroupIdentifier")


def is_target_group_reference(value: object) -> bool:
    """Whether a forward's `targetGroup` names a group created elsewhere (its ARN or `tg-` ID, or another
    resource's output) rather than one of this stack's by name. Names cannot be mistaken for either: the API
    refuses target group names starting with `tg-`, and a name has no `:`."""
    return is_output(value) or (isinstance(value, str) and (value.startswith("arn:") or value.startswith("tg-")))


def target_group_reference_problem(value: str) -> str | None:
    """Why a written target group ARN or ID is not one the API takes (the model's `TargetGroupIdentifier`)."""
    if _TARGET_GROUP_IDENTIFIER.pattern_matches(value):
        return None
    return (f"{value!r} is not a target group ARN (arn:aws:vpc-lattice:<region>:<account>:targetgroup/tg-<17 characters>) "
            "or ID (tg-<17 characters>)")


def _target_group_ref(value: str) -> str:
    if is_target_group_reference(value) and not is_output(value):
        problem = target_group_reference_problem(value)
        if problem:
            raise ValueError(problem)
    return value


class WeightedTargetSpec(Spec):
    """One target group of a forward action and its share of the traffic."""

    target_group: Deferred[Annotated[str, AfterValidator(_target_group_ref)]]
    """The name of a target group of this service (a key of `targetGroups`) or of the stack (`lattice:targetGroups`),
    or the ARN (or `tg-` ID) of one created elsewhere, which is forwarded to and not created."""
    weight: Annotated[int, Field(**_MAX_WEIGHT)] = 100


class ActionSpec(Spec):
    """Where matched requests go: `forward` to weighted target groups, or a `fixedResponse` status code."""

    forward: Annotated[list[WeightedTargetSpec], Field(**api_lengths("RuleAction", "forward.targetGroups"))] | None = None
    fixed_response: Annotated[int, Field(**api_range("FixedResponseAction", "statusCode"))] | None = None

    @model_validator(mode="after")
    def _exactly_one(self) -> "ActionSpec":
        if (self.forward is None) == (self.fixed_response is None):
            raise ValueError("set exactly one of forward or fixedResponse")
        allowed = model.documented_values("FixedResponseAction", "statusCode")
        if self.fixed_response is not None and allowed and self.fixed_response not in allowed.values:
            raise rule_error(
                "fixedResponse", f"{self.fixed_response} is not supported: the API accepts only {' or '.join(map(str, allowed.values))}"
            )
        if self.forward is not None:
            names = [target.target_group for target in self.forward if not is_output(target.target_group)]
            duplicates = sorted({name for name in names if names.count(name) > 1})
            if duplicates:
                raise rule_error("forward", f"lists target group {duplicates[0]!r} more than once")
            if sum(target.weight for target in self.forward) == 0:
                raise rule_error("forward", "weights add up to 0, so no request would be served")
        return self


class HeaderMatchSpec(Spec):
    """A header condition of a rule: exactly one of exact, prefix or contains."""

    name: str
    exact: str | None = None
    prefix: str | None = None
    contains: str | None = None
    case_sensitive: bool = False

    @model_validator(mode="after")
    def _one_kind(self) -> "HeaderMatchSpec":
        if sum(value is not None for value in (self.exact, self.prefix, self.contains)) != 1:
            raise ValueError("set exactly one of exact, prefix or contains")
        return self


_PATH = api_lengths("PathMatchType", "exact")


class MatchSpec(Spec):
    """What a rule matches: a path (exact or prefix), a method and up to the API's limit of headers."""

    path_prefix: Annotated[str, Field(**_PATH, pattern="^/")] | None = None
    path_exact: Annotated[str, Field(**_PATH, pattern="^/")] | None = None
    path_case_sensitive: bool = True
    method: Annotated[str, Field(**api_lengths("HttpMatch", "method"))] | None = None
    headers: Annotated[list[HeaderMatchSpec], Field(**api_lengths("HttpMatch", "headerMatches"))] | None = None

    @model_validator(mode="after")
    def _something_to_match(self) -> "MatchSpec":
        if self.path_prefix is not None and self.path_exact is not None:
            raise ValueError("set pathPrefix or pathExact, not both")
        if self.path_prefix is None and self.path_exact is None and self.method is None and not self.headers:
            raise ValueError("a rule must match a path, a method or headers")
        return self


class RuleSpec(Spec):
    """A listener rule: requests that match go to its action instead of the listener's default."""

    name: RuleName
    priority: Annotated[int, Field(**api_range("CreateRule", "priority"))]
    """Lower numbers are evaluated first; unique per listener."""
    match: MatchSpec
    action: ActionSpec


_LISTENER_DEFAULT_PORTS = {"HTTP": 80, "HTTPS": 443, "TLS_PASSTHROUGH": 443}


class ListenerSpec(Spec):
    """A listener: a protocol and port the service accepts, its default action and its rules."""

    name: ListenerName
    protocol: api_enum("CreateListener", "protocol") = "HTTPS"
    port: Port | None = None
    """Defaults to 80 for HTTP and 443 otherwise."""
    default_action: ActionSpec
    rules: list[RuleSpec] = Field(default_factory=list)

    @model_validator(mode="after")
    def _rules_fit(self) -> "ListenerSpec":
        seen: dict[int, str] = {}
        for index, rule in enumerate(self.rules):
            if rule.priority in seen:
                raise rule_error(
                    f"rules[{index}].priority",
                    f"{rule.priority} is already the priority of rule {seen[rule.priority]!r}; priorities are unique per listener",
                )
            seen[rule.priority] = rule.name
        if self.protocol == "TLS_PASSTHROUGH" and self.rules:
            raise rule_error("rules", "TLS_PASSTHROUGH listeners take only their default action")
        return self

    @property
    def effective_port(self) -> int:
        return self.port if self.port is not None else _LISTENER_DEFAULT_PORTS[self.protocol]


# --------------------------------------------------------------------------------------------------------------
# Services
# --------------------------------------------------------------------------------------------------------------


class AllowedCallersSpec(Spec):
    """Who may invoke a service: the service's auth policy is generated from this list."""

    principals: list[Deferred[Principal]] = Field(default_factory=list)
    """IAM role or user ARNs (`arn:aws:iam::123456789012:role/FrontendAppRole`) or 12-digit account IDs."""
    organization_ids: list[Deferred[OrganizationId]] = Field(default_factory=list)
    """Every principal of these AWS Organizations (`aws:PrincipalOrgID`)."""
    accounts: list[AccountId] = Field(default_factory=list)
    """Short form for "these accounts": every principal of each (its root ARN in the policy)."""
    organization_only: bool = False
    """Short form for "authenticated principals of the organization only": alone, every principal of
    `organizationIds`; with `principals` or `accounts`, only those and only while they are in `organizationIds`
    (every statement also requires `aws:PrincipalOrgID`), so a listed role that leaves it is refused."""
    methods: list[HttpMethod] | None = None
    """Short form for "read-only methods" (`[GET, HEAD]`): every statement also requires
    `vpc-lattice-svcs:RequestMethod` in this list."""

    @model_validator(mode="after")
    def _short_forms_fit(self) -> "AllowedCallersSpec":
        if self.organization_only and not self.organization_ids:
            raise rule_error("organizationOnly", "needs organizationIds: the organizations callers must belong to")
        return self

    @field_validator("principals")
    @classmethod
    def _each_once(cls, values: list[str]) -> list[str]:
        return listed_once(values)


# Route 53's model (botocore `route53`, shape `ResourceId`) documents only a maximum length of 32 for a hosted
# zone ID: no minimum and no pattern. The character set below (upper-case letters and digits, as in `Z0123456789ABC`)
# is what Route 53 returns, not something the model states; the `/hostedzone/` prefix some API answers carry is
# refused so that one zone has one spelling in config.
_ZONE_ID_MAX = model.aws_service_model("route53").shape_for("ResourceId").metadata["max"]
_ZONE_ID = re.compile(r"^[A-Z0-9]+$")
_TTL = model.aws_service_model("route53").shape_for("TTL").metadata


def hosted_zone_id_problem(value: str) -> str | None:
    """Why `value` is not a Route 53 hosted zone ID, or None."""
    if not 1 <= len(value) <= _ZONE_ID_MAX:
        return f"{value!r} is not a hosted zone ID: Route 53 allows 1-{_ZONE_ID_MAX} characters"
    if not _ZONE_ID.match(value):
        return f"{value!r} is not a hosted zone ID: upper-case letters and digits, such as Z0123456789ABCDEFGHIJ (no /hostedzone/ prefix)"
    return None


HostedZoneId = Annotated[str, checked_by(hosted_zone_id_problem)]


class DnsSpec(Spec):
    """A Route 53 record in a hosted zone (private or public) that points the custom domain at the Lattice name."""

    hosted_zone_id: Deferred[HostedZoneId]
    """The hosted zone the record goes in (`Z...`); another resource's output (`zone.zone_id`) is fine."""
    record_type: Literal["ALIAS", "CNAME"] = "ALIAS"
    """ALIAS (default): an A alias record to the Lattice name; CNAME: a CNAME record with a TTL."""
    ttl: Annotated[int, Field(ge=_TTL.get("min", 0), le=_TTL["max"])] | None = None
    """Seconds resolvers cache a CNAME record (default 300); alias records take none."""

    @model_validator(mode="after")
    def _ttl_fits_the_type(self) -> "DnsSpec":
        if self.record_type == "ALIAS" and self.ttl is not None:
            raise rule_error("ttl", "alias records take no TTL (Route 53 uses the target's); use recordType CNAME for a TTL")
        return self

    @property
    def effective_ttl(self) -> int | None:
        return None if self.record_type == "ALIAS" else (300 if self.ttl is None else self.ttl)


_ACCOUNT_NAME = re.compile(r"[a-z][a-z0-9-]*")


def share_principal_problem(value: str) -> str | None:
    """Why `value` is not someone a service can be shared with by RAM: an account of the network's registry by its
    short name, a 12-digit account ID, the organization's ARN or an OU's ARN."""
    if RAM_PRINCIPAL.fullmatch(value) or _ACCOUNT_NAME.fullmatch(value):
        return None
    return (f"{value!r} is not a RAM principal: an account name of lattice:accounts, a 12-digit account ID, "
            "an organization ARN or an OU ARN (no wildcards)")


class ShareSpec(Spec):
    """A RAM share of the service with other accounts: consumers there associate it with their own network."""

    principals: Annotated[list[Deferred[Annotated[str, checked_by(share_principal_problem)]]], Field(min_length=1)]
    """Who the service is shared with: account names of the network's `lattice:accounts`, 12-digit account IDs,
    organization or OU ARNs."""
    allow_external_principals: bool
    """Required, so a share that reaches outside the organization is never a default: true lets accounts outside
    it accept the share (the pack's `lattice-ram-share-external-principals` then asks for an allow-list entry)."""

    @field_validator("principals")
    @classmethod
    def _each_once(cls, values: list[str]) -> list[str]:
        return listed_once(values)


class ServiceSpec(AuthPolicyFields, AccessLogFields, ServiceAssociationFields, Spec):
    """A Lattice service in one account: its target groups, listeners, callers and network association."""

    auth_type: AuthType = "AWS_IAM"
    """AWS_IAM (default): every request is SigV4-signed and checked against the auth policy. NONE: open."""
    custom_domain_name: Annotated[str, Field(**api_lengths("CreateService", "customDomainName"))] | None = None
    certificate_arn: Deferred[str] | None = None
    """ACM certificate for HTTPS listeners on the custom domain."""
    idle_timeout_seconds: Annotated[int, Field(**api_range("CreateService", "idleTimeoutSeconds"))] | None = None
    """Seconds a connection may stay idle before Lattice closes it (the API's default is 60)."""
    target_groups: dict[TargetGroupName, TargetGroupSpec] = Field(default_factory=dict)
    """Keyed by target group name; a listener may also forward to the stack's `lattice:targetGroups` by name, or
    to a group created elsewhere by ARN."""
    listeners: list[ListenerSpec] = Field(default_factory=list)
    """None is allowed (the API allows it): the service then serves nothing yet, and the plan says so."""
    associate: bool = True
    """Associate the service with the service network (default). false: a standalone service, reached only through
    its own sharing (`share`) or associations others make; no auth-policy condition names the network."""
    share: ShareSpec | None = None
    """Share the service through AWS RAM with other accounts (a RAM share, the service in it, one principal each)."""
    allowed_callers: AllowedCallersSpec | None = None
    """Required with AWS_IAM unless `authPolicy` is given: without an auth policy the API denies every request."""
    access_logs: bool = False
    """Send the service's access logs to a CloudWatch log group."""
    dns: DnsSpec | None = None
    """A Route 53 record for `customDomainName`, pointing at the name Lattice generates; requires it."""
    tags: Tags = Field(default_factory=dict)

    knows_every_target_group: ClassVar[bool] = False
    """False in stack config: a name that is none of the service's own groups may be one of the stack's, which
    `AccountStackConfig` resolves; the component's args know every group they may name."""

    def forwards(self) -> Iterator[tuple[str, ListenerSpec, WeightedTargetSpec]]:
        """(key path, listener, forward target) of every forward of every listener and rule."""
        for index, listener in enumerate(self.listeners):
            actions = [("defaultAction", listener.default_action)] + [
                (f"rules[{r}].action", rule.action) for r, rule in enumerate(listener.rules)
            ]
            for where, action in actions:
                for t, target in enumerate(action.forward or []):
                    yield f"listeners[{index}].{where}.forward[{t}].targetGroup", listener, target

    @model_validator(mode="after")
    def _coherent(self) -> "ServiceSpec":
        if not self.associate and self.association_tags:
            raise rule_error("associationTags", "applies to the network association; this service has associate: false")
        if self.dns is not None and not self.custom_domain_name:
            raise rule_error("dns", "needs customDomainName: the record is named after the service's custom domain")
        if self.auth_type == "AWS_IAM" and self.auth_policy is None and (
            self.allowed_callers is None
            or not (self.allowed_callers.principals or self.allowed_callers.organization_ids or self.allowed_callers.accounts)
        ):
            raise rule_error("allowedCallers", "is required with authType AWS_IAM (or authPolicy): with no auth policy every request is denied")
        if self.auth_policy is not None and self.allowed_callers is not None:
            raise rule_error("allowedCallers", "is ignored when authPolicy is written by hand; keep one of the two")
        if self.auth_type == "NONE" and self.allowed_callers is not None:
            raise rule_error("allowedCallers", "has no effect with authType NONE; use AWS_IAM")
        listener_names = [listener.name for listener in self.listeners]
        ports = [listener.effective_port for listener in self.listeners]
        for index, listener in enumerate(self.listeners):
            if listener_names.count(listener.name) > 1:
                raise rule_error(f"listeners[{index}].name", f"{listener.name!r} is used by another listener")
            if ports.count(listener.effective_port) > 1:
                raise rule_error(f"listeners[{index}].port", f"{listener.effective_port} is used by another listener")
            if listener.protocol == "HTTPS" and self.custom_domain_name and not self.certificate_arn:
                raise rule_error("certificateArn", "is required for HTTPS listeners on a custom domain")
            if listener.protocol == "TLS_PASSTHROUGH" and not self.custom_domain_name:
                raise rule_error(f"listeners[{index}].protocol", "TLS_PASSTHROUGH needs the service's customDomainName")
        for path, listener, target in self.forwards():
            if is_target_group_reference(target.target_group):
                continue  # created elsewhere: its protocol is not known here
            group = self.target_groups.get(target.target_group)
            if group is None:
                if not self.knows_every_target_group:
                    continue  # one of the stack's lattice:targetGroups, or an error there (`AccountStackConfig`)
                raise rule_error(path, f"{target.target_group!r} is not one of this service's targetGroups "
                                 f"{sorted(self.target_groups)} nor a target group ARN")
            problem = listener_target_problem(listener.protocol, target.target_group, group)
            if problem:
                raise rule_error(path, problem)
        return self


def listener_target_problem(listener_protocol: str, group_name: str, group: TargetGroupSpec) -> str | None:
    """Whether a listener of `listener_protocol` may forward to `group`.

    Listeners guide: HTTP and HTTPS listeners "communicate to targets in any of these protocols and versions"
    (HTTP, HTTPS, HTTP/1.1, HTTP/2), and Lambda targets take HTTP requests as events; TLS listeners guide: "The
    default action for a TLS listener must be a forward action to a TCP target group". TCP groups appear in the
    guide only behind TLS listeners, so an HTTP/HTTPS listener forwarding to one is refused here too.
    """
    described = f"target group {group_name!r} ({group.type}{', ' + group.protocol if group.protocol else ''})"
    if listener_protocol == "TLS_PASSTHROUGH":
        if group.protocol != "TCP":
            return f"{described}: TLS_PASSTHROUGH listeners forward to TCP target groups only"
        return None
    if group.protocol == "TCP":
        return f"{described}: {listener_protocol} listeners forward to HTTP or HTTPS target groups (or LAMBDA), not TCP"
    return None


class LatticeServiceSpec(ServiceSpec):
    """`LatticeService` args: a service spec, its name, and the network it joins."""

    knows_every_target_group: ClassVar[bool] = True

    name: ServiceName
    service_network_arn: Deferred[str] | None = None
    """ARN of the service network (an Output is fine), required when `associate` is true. The association and the
    auth policy's condition use it."""

    @model_validator(mode="after")
    def _standalone_fits(self) -> "LatticeServiceSpec":
        # A missing ARN must not silently make a standalone service (no association, no network condition).
        if self.associate and self.service_network_arn is None:
            raise rule_error("serviceNetworkArn", "is required when associate is true (the default)")
        if not self.associate and self.service_network_arn is not None:
            raise rule_error("serviceNetworkArn", "is set, but associate is false: a standalone service joins no network")
        for index, principal in enumerate(self.share.principals if self.share else []):
            if isinstance(principal, str) and not RAM_PRINCIPAL.fullmatch(principal):
                raise rule_error(f"share.principals[{index}]", f"{principal!r} is an account name; the component takes "
                                 "12-digit account IDs, organization or OU ARNs")
        return self

    @property
    def joins_network(self) -> bool:
        """Whether the service is associated with a network (`associate`; the validator requires the network then)."""
        return self.associate
