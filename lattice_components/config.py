"""The typed schema of everything a stack config says, checked before any resource is registered.

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

import json
import re
from typing import Annotated, Any, Literal

import pulumi
from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    ValidationError,
    field_validator,
    model_validator,
)
from pydantic.alias_generators import to_camel
from pydantic_core import PydanticCustomError

from . import api_model
from .errors import ConfigError

# --------------------------------------------------------------------------------------------------------------
# Helpers that turn the API model into pydantic constraints
# --------------------------------------------------------------------------------------------------------------


def _enum(root: str, path: str) -> Any:
    """A `Literal[...]` of the values the API model allows for one member."""
    values = api_model.limits(root, path).enum
    return Literal.__getitem__(values)


def _range(root: str, path: str) -> dict[str, int]:
    """pydantic `ge`/`le` for an integer member, from the model (or its documented range, where stricter)."""
    low, high = _documented_range(root, path)
    return {key: value for key, value in (("ge", low), ("le", high)) if value is not None}


def _documented_range(root: str, path: str) -> tuple[int | None, int | None]:
    """The model's min/max, narrowed by a range its documentation states ("The range is 5–300 seconds").

    The model says 0-300 for the health-check interval because 0 means "reset to the default" in updates;
    the documented range is what the API accepts for a value we set.
    """
    found = api_model.limits(root, path)
    stated = api_model.documented_range(root, path)
    if stated is None:
        return found.min, found.max
    low = stated.min if found.min is None else max(found.min, stated.min)
    high = stated.max if found.max is None else min(found.max, stated.max)
    return low, high


def _lengths(root: str, path: str) -> dict[str, int]:
    """pydantic `min_length`/`max_length` for a list or string member, from the model."""
    found = api_model.limits(root, path)
    return {
        key: value for key, value in (("min_length", found.min), ("max_length", found.max)) if value is not None
    }


def _is_unknown(value: Any) -> bool:
    """Outputs of other resources are checked by the API at deploy time, not here."""
    return isinstance(value, pulumi.Output)


def _rule_error(path: str, rule: str) -> PydanticCustomError:
    """An error raised by a model validator about one of its fields; `path` is appended to the location."""
    return PydanticCustomError("lattice_rule", "{rule}", {"path": path, "rule": rule})


def _name_checker(root: str, kind: str):
    """A validator for a Lattice resource name, with the model's length and pattern in its message."""
    found = api_model.limits(root, "name")
    forbidden_prefixes = re.findall(r"\(\?!([a-z]+-)\)", found.pattern or "")
    rule = (
        f"{found.min}-{found.max} lowercase letters, digits and hyphens, with no leading, trailing or double "
        "hyphen" + "".join(f", not starting with {prefix!r}" for prefix in forbidden_prefixes)
    )

    def check(value: str) -> str:
        if not (found.min <= len(value) <= found.max) or not found.pattern_matches(value):
            raise PydanticCustomError(
                "lattice_name", "{problem}", {"problem": f"{value!r} is not a valid {kind} name: the API allows {rule}"}
            )
        return value

    return AfterValidator(check)


ServiceNetworkName = Annotated[str, _name_checker("CreateServiceNetwork", "service network")]
ServiceName = Annotated[str, _name_checker("CreateService", "service")]
TargetGroupName = Annotated[str, _name_checker("CreateTargetGroup", "target group")]
ListenerName = Annotated[str, _name_checker("CreateListener", "listener")]
RuleName = Annotated[str, _name_checker("CreateRule", "rule")]

AccountId = Annotated[str, BeforeValidator(lambda v: str(v) if isinstance(v, int) else v), Field(pattern=r"^\d{12}$")]
"""A 12-digit AWS account ID. YAML reads 012345678901 as a number, so numbers are turned back into text."""

AuthType = _enum("CreateService", "authType")
OrganizationId = Annotated[str, Field(pattern=r"^o-[a-z0-9]{10,32}$")]
"""An AWS Organizations ID (`o-...`), as `aws:PrincipalOrgID` holds it."""
Port = Annotated[int, Field(**_range("CreateListener", "port"))]


class Spec(BaseModel):
    """Base of every config object: camelCase keys in YAML, unknown keys rejected, immutable."""

    model_config = ConfigDict(
        alias_generator=to_camel, populate_by_name=True, extra="forbid", frozen=True,
        arbitrary_types_allowed=True,
    )

    def to_args(self) -> dict[str, Any]:
        """The snake_case dict a component takes as `args` (unset optional values left out)."""
        return self.model_dump(exclude_none=True)


# --------------------------------------------------------------------------------------------------------------
# Target groups
# --------------------------------------------------------------------------------------------------------------

_HC = "HealthCheckConfig"


class HealthCheckSpec(Spec):
    """The target group's health check. Defaults are the API's own, stated here so the plan shows them."""

    enabled: bool = True
    protocol: _enum(_HC, "protocol") | None = None
    """Defaults to the target group's protocol."""
    protocol_version: _enum(_HC, "protocolVersion") = "HTTP1"
    path: str = "/"
    port: Annotated[int, Field(**_range(_HC, "port"))] | None = None
    """Defaults to the target group's port."""
    interval_seconds: Annotated[int, Field(**_range(_HC, "healthCheckIntervalSeconds"))] = 30
    timeout_seconds: Annotated[int, Field(**_range(_HC, "healthCheckTimeoutSeconds"))] = 5
    healthy_threshold: Annotated[int, Field(**_range(_HC, "healthyThresholdCount"))] = 5
    unhealthy_threshold: Annotated[int, Field(**_range(_HC, "unhealthyThresholdCount"))] = 2
    matcher: str = "200"
    """HTTP codes that mean healthy: `200`, `200,204` or `200-299`."""

    @field_validator("path")
    @classmethod
    def _path_matches_model(cls, value: str) -> str:
        if not api_model.limits(_HC, "path").pattern_matches(value) or not value.startswith("/"):
            raise ValueError(f"{value!r} is not a valid health-check path: it must start with '/' and use URL characters")
        return value

    @field_validator("matcher")
    @classmethod
    def _matcher_matches_model(cls, value: str) -> str:
        if not api_model.limits("Matcher", "httpCode").pattern_matches(value):
            raise ValueError(f"{value!r} is not a valid matcher: use HTTP codes such as '200', '200,204' or '200-299'")
        return value


class TargetSpec(Spec):
    """One registered target: an instance ID, an IP address, a Lambda ARN or an ALB ARN."""

    id: str
    port: Port | None = None
    """Defaults to the target group's port."""


_TG_TYPE = _enum("CreateTargetGroup", "type")


class TargetGroupSpec(Spec):
    """A target group: the compute behind a service."""

    type: _TG_TYPE = "INSTANCE"
    port: Port | None = None
    """Required for INSTANCE, IP and ALB groups; LAMBDA groups take none."""
    protocol: _enum("TargetGroupConfig", "protocol") | None = None
    """HTTP, HTTPS or TCP; required for INSTANCE, IP and ALB groups."""
    protocol_version: _enum("TargetGroupConfig", "protocolVersion") | None = None
    vpc_id: Any = None
    """The VPC of the targets; required for INSTANCE, IP and ALB groups."""
    health_check: HealthCheckSpec | None = None
    """INSTANCE and IP groups get the default health check unless `enabled: false`; LAMBDA and ALB groups
    take none (the API rejects it)."""
    targets: list[TargetSpec] = Field(default_factory=list)

    @model_validator(mode="after")
    def _fits_the_type(self) -> "TargetGroupSpec":
        if self.type == "LAMBDA":
            for field in ("port", "protocol", "protocol_version", "vpc_id"):
                if getattr(self, field) is not None:
                    raise _rule_error(to_camel(field), "LAMBDA target groups take no port, protocol or VPC")
        else:
            for field in ("port", "protocol", "vpc_id"):
                if getattr(self, field) is None:
                    raise _rule_error(to_camel(field), f"is required for {self.type} target groups")
        if self.type in ("LAMBDA", "ALB") and self.health_check is not None:
            raise _rule_error("healthCheck", f"{self.type} target groups take no health check (the API rejects it)")
        if self.vpc_id is not None and not _is_unknown(self.vpc_id):
            vpc = api_model.limits("CreateServiceNetworkVpcAssociation", "vpcIdentifier")
            if not isinstance(self.vpc_id, str) or not vpc.pattern_matches(self.vpc_id):
                raise _rule_error("vpcId", f"{self.vpc_id!r} is not a VPC ID (vpc-xxxxxxxx)")
        return self

    @property
    def effective_health_check(self) -> HealthCheckSpec | None:
        """The health check the API will run, or None where the type takes none."""
        if self.type in ("LAMBDA", "ALB"):
            return None
        return self.health_check or HealthCheckSpec()


# --------------------------------------------------------------------------------------------------------------
# Listeners and rules
# --------------------------------------------------------------------------------------------------------------

_MAX_WEIGHT = _range("WeightedTargetGroup", "weight")


class WeightedTargetSpec(Spec):
    """One target group of a forward action and its share of the traffic."""

    target_group: str
    """The name of a target group of this service (a key of `targetGroups`)."""
    weight: Annotated[int, Field(**_MAX_WEIGHT)] = 100


class ActionSpec(Spec):
    """Where matched requests go: `forward` to weighted target groups, or a `fixedResponse` status code."""

    forward: Annotated[list[WeightedTargetSpec], Field(**_lengths("RuleAction", "forward.targetGroups"))] | None = None
    fixed_response: Annotated[int, Field(**_range("FixedResponseAction", "statusCode"))] | None = None

    @model_validator(mode="after")
    def _exactly_one(self) -> "ActionSpec":
        if (self.forward is None) == (self.fixed_response is None):
            raise ValueError("set exactly one of forward or fixedResponse")
        allowed = api_model.documented_values("FixedResponseAction", "statusCode")
        if self.fixed_response is not None and allowed and self.fixed_response not in allowed.values:
            raise _rule_error(
                "fixedResponse", f"{self.fixed_response} is not supported: the API accepts only {' or '.join(map(str, allowed.values))}"
            )
        if self.forward is not None:
            names = [target.target_group for target in self.forward]
            duplicates = sorted({name for name in names if names.count(name) > 1})
            if duplicates:
                raise _rule_error("forward", f"lists target group {duplicates[0]!r} more than once")
            if sum(target.weight for target in self.forward) == 0:
                raise _rule_error("forward", "weights add up to 0, so no request would be served")
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


_PATH = _lengths("PathMatchType", "exact")


class MatchSpec(Spec):
    """What a rule matches: a path (exact or prefix), a method and up to the API's limit of headers."""

    path_prefix: Annotated[str, Field(**_PATH, pattern="^/")] | None = None
    path_exact: Annotated[str, Field(**_PATH, pattern="^/")] | None = None
    path_case_sensitive: bool = True
    method: Annotated[str, Field(**_lengths("HttpMatch", "method"))] | None = None
    headers: Annotated[list[HeaderMatchSpec], Field(**_lengths("HttpMatch", "headerMatches"))] | None = None

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
    priority: Annotated[int, Field(**_range("CreateRule", "priority"))]
    """Lower numbers are evaluated first; unique per listener."""
    match: MatchSpec
    action: ActionSpec


_LISTENER_DEFAULT_PORTS = {"HTTP": 80, "HTTPS": 443, "TLS_PASSTHROUGH": 443}


class ListenerSpec(Spec):
    """A listener: a protocol and port the service accepts, its default action and its rules."""

    name: ListenerName
    protocol: _enum("CreateListener", "protocol") = "HTTPS"
    port: Port | None = None
    """Defaults to 80 for HTTP and 443 otherwise."""
    default_action: ActionSpec
    rules: list[RuleSpec] = Field(default_factory=list)

    @model_validator(mode="after")
    def _rules_fit(self) -> "ListenerSpec":
        seen: dict[int, str] = {}
        for index, rule in enumerate(self.rules):
            if rule.priority in seen:
                raise _rule_error(
                    f"rules[{index}].priority",
                    f"{rule.priority} is already the priority of rule {seen[rule.priority]!r}; priorities are unique per listener",
                )
            seen[rule.priority] = rule.name
        if self.protocol == "TLS_PASSTHROUGH" and self.rules:
            raise _rule_error("rules", "TLS_PASSTHROUGH listeners take only their default action")
        return self

    @property
    def effective_port(self) -> int:
        return self.port if self.port is not None else _LISTENER_DEFAULT_PORTS[self.protocol]


# --------------------------------------------------------------------------------------------------------------
# Services
# --------------------------------------------------------------------------------------------------------------


class AllowedCallersSpec(Spec):
    """Who may invoke a service: the service's auth policy is generated from this list."""

    principals: list[str] = Field(default_factory=list)
    """IAM role or user ARNs (`arn:aws:iam::123456789012:role/FrontendAppRole`) or 12-digit account IDs."""
    organization_ids: list[OrganizationId] = Field(default_factory=list)
    """Every principal of these AWS Organizations (`aws:PrincipalOrgID`)."""

    @field_validator("principals")
    @classmethod
    def _principals_are_arns_or_accounts(cls, values: list[str]) -> list[str]:
        for value in values:
            if value == "*":
                raise ValueError("'*' would let anyone invoke the service; list principals or organizationIds")
            if not re.fullmatch(r"\d{12}|arn:aws[a-z-]*:(iam|sts)::\d{12}:[A-Za-z0-9+=,.@_/:-]+", value):
                raise ValueError(f"{value!r} is neither an IAM principal ARN nor a 12-digit account ID")
        return values


class ServiceSpec(Spec):
    """A Lattice service in one account: its target groups, listeners, callers and network association."""

    auth_type: AuthType = "AWS_IAM"
    """AWS_IAM (default): every request is SigV4-signed and checked against the auth policy. NONE: open."""
    custom_domain_name: Annotated[str, Field(**_lengths("CreateService", "customDomainName"))] | None = None
    certificate_arn: str | None = None
    """ACM certificate for HTTPS listeners on the custom domain."""
    target_groups: dict[TargetGroupName, TargetGroupSpec]
    """Keyed by target group name."""
    listeners: Annotated[list[ListenerSpec], Field(min_length=1)]
    allowed_callers: AllowedCallersSpec | None = None
    """Required with AWS_IAM: without an auth policy the API denies every request."""
    access_logs: bool = False
    """Send the service's access logs to a CloudWatch log group."""
    access_log_retention_days: int = 30
    tags: dict[str, str] = Field(default_factory=dict)

    @model_validator(mode="after")
    def _coherent(self) -> "ServiceSpec":
        if self.auth_type == "AWS_IAM" and (
            self.allowed_callers is None
            or not (self.allowed_callers.principals or self.allowed_callers.organization_ids)
        ):
            raise _rule_error("allowedCallers", "is required with authType AWS_IAM: with no auth policy every request is denied")
        if self.auth_type == "NONE" and self.allowed_callers is not None:
            raise _rule_error("allowedCallers", "has no effect with authType NONE; use AWS_IAM")
        listener_names = [listener.name for listener in self.listeners]
        ports = [listener.effective_port for listener in self.listeners]
        for index, listener in enumerate(self.listeners):
            if listener_names.count(listener.name) > 1:
                raise _rule_error(f"listeners[{index}].name", f"{listener.name!r} is used by another listener")
            if ports.count(listener.effective_port) > 1:
                raise _rule_error(f"listeners[{index}].port", f"{listener.effective_port} is used by another listener")
            if listener.protocol == "HTTPS" and self.custom_domain_name and not self.certificate_arn:
                raise _rule_error("certificateArn", "is required for HTTPS listeners on a custom domain")
            if listener.protocol == "TLS_PASSTHROUGH" and not self.custom_domain_name:
                raise _rule_error(f"listeners[{index}].protocol", "TLS_PASSTHROUGH needs the service's customDomainName")
            actions = [("defaultAction", listener.default_action)] + [
                (f"rules[{r}].action", rule.action) for r, rule in enumerate(listener.rules)
            ]
            for where, action in actions:
                for t, target in enumerate(action.forward or []):
                    group = self.target_groups.get(target.target_group)
                    path = f"listeners[{index}].{where}.forward[{t}].targetGroup"
                    if group is None:
                        raise _rule_error(path, f"{target.target_group!r} is not one of this service's targetGroups {sorted(self.target_groups)}")
                    if listener.protocol == "TLS_PASSTHROUGH" and group.protocol != "TCP":
                        raise _rule_error(path, "TLS_PASSTHROUGH listeners forward to TCP target groups only")
        return self


# --------------------------------------------------------------------------------------------------------------
# Consumer VPCs
# --------------------------------------------------------------------------------------------------------------


class SecurityGroupSpec(Spec):
    """A security group this project creates for a VPC association: clients in the VPC may reach Lattice."""

    ports: list[Port] = Field(default_factory=lambda: [443], min_length=1)
    """The listener ports clients call (HTTP 80, HTTPS 443, ...)."""
    client_cidrs: list[str] = Field(min_length=1)
    """Where the clients are, usually the VPC's CIDR."""


_SG_LIMIT = api_model.limits("CreateServiceNetworkVpcAssociation", "securityGroupIds")


class ConsumerSpec(Spec):
    """A VPC whose workloads call services in the network."""

    vpc_id: str
    security_group_ids: Annotated[list[str], Field(max_length=_SG_LIMIT.max)] = Field(default_factory=list)
    create_security_group: SecurityGroupSpec | None = None
    private_dns_enabled: bool | None = None
    """Create-only: changing it replaces the association."""

    @model_validator(mode="after")
    def _coherent(self) -> "ConsumerSpec":
        if not api_model.limits("CreateServiceNetworkVpcAssociation", "vpcIdentifier").pattern_matches(self.vpc_id):
            raise _rule_error("vpcId", f"{self.vpc_id!r} is not a VPC ID (vpc-xxxxxxxx)")
        total = len(self.security_group_ids) + (1 if self.create_security_group else 0)
        if _SG_LIMIT.max is not None and total > _SG_LIMIT.max:
            raise _rule_error("securityGroupIds", f"{total} security groups in all is above the API maximum {_SG_LIMIT.max}")
        return self


# --------------------------------------------------------------------------------------------------------------
# The shared network
# --------------------------------------------------------------------------------------------------------------


class AccountSpec(Spec):
    """An AWS account that takes part in the network."""

    id: AccountId
    in_organization: bool = True
    """False for accounts outside the AWS Organization: they must accept the RAM share (`ShareAccepter`)."""


class NetworkSpec(Spec):
    """The service network: its name, auth, access logs and who it is shared with."""

    name: ServiceNetworkName
    auth_type: AuthType = "AWS_IAM"
    organization_id: OrganizationId | None = None
    """Principals of this organization may send traffic through the network (`aws:PrincipalOrgID`)."""
    organization_arn: str | None = None
    """Share with the whole organization (RAM principal); account shares are still made for outsiders."""
    access_logs: bool = False
    access_log_retention_days: int = 30
    protect: bool = False
    """Pulumi `protect` on the network and its share: `pulumi destroy` refuses to delete them."""
    tags: dict[str, str] = Field(default_factory=dict)


class NetworkStackConfig(Spec):
    """Everything the shared-network stack reads (`lattice:network`, `lattice:accounts`)."""

    network: NetworkSpec
    accounts: dict[Annotated[str, Field(pattern=r"^[a-z][a-z0-9-]*$")], AccountSpec] = Field(min_length=1)
    """Every account that deploys services or consumers into the network, by short name."""
    network_account: str
    """The short name of the account that owns the network; it is not shared with itself."""

    @model_validator(mode="after")
    def _network_account_known(self) -> "NetworkStackConfig":
        if self.network_account not in self.accounts:
            raise _rule_error("networkAccount", f"{self.network_account!r} is not one of accounts {sorted(self.accounts)}")
        ids = [account.id for account in self.accounts.values()]
        for name, account in self.accounts.items():
            if ids.count(account.id) > 1:
                raise _rule_error(f"accounts.{name}.id", f"{account.id} is listed under another name too")
        return self


class AccountStackConfig(Spec):
    """Everything an account stack reads (`lattice:account`, `lattice:services`, `lattice:consumers`, ...)."""

    account: str
    """This account's short name in the network stack's `lattice:accounts`."""
    network_stack: str
    """The shared-network stack to read (`organization/lattice-network/dev` on a self-managed backend)."""
    deploy_role_name: str = "LatticeDeployRole"
    """The role Pulumi assumes in this account (`arn:aws:iam::<id>:role/<name>`); empty: use ambient credentials."""
    services: dict[ServiceName, ServiceSpec] = Field(default_factory=dict)
    consumers: dict[Annotated[str, Field(pattern=r"^[a-z][a-z0-9-]*$")], ConsumerSpec] = Field(default_factory=dict)


# --------------------------------------------------------------------------------------------------------------
# Reading and reporting
# --------------------------------------------------------------------------------------------------------------


def _location(loc: tuple[Any, ...], key_prefix: str) -> str:
    path = key_prefix
    for part in loc:
        if isinstance(part, int):
            path += f"[{part}]"
        elif part == "[key]" or str(part).startswith(("function-", "constrained-")):
            continue  # pydantic's markers for "the key of a mapping" and validator wrappers, not config keys
        else:
            path += f".{part}" if path and not path.endswith(":") else str(part)
    return path


def _message(error: dict[str, Any]) -> str:
    kind, ctx, value = error["type"], error.get("ctx") or {}, error.get("input")
    if kind == "less_than_equal":
        return f"{value} is above the maximum {ctx['le']}"
    if kind == "greater_than_equal":
        return f"{value} is below the minimum {ctx['ge']}"
    if kind == "too_long":
        return f"has {ctx.get('actual_length')} items, above the maximum {ctx['max_length']}"
    if kind == "too_short":
        return f"has {ctx.get('actual_length')} items, below the minimum {ctx['min_length']}"
    if kind == "string_too_long":
        return f"{value!r} is longer than the maximum {ctx['max_length']} characters"
    if kind == "string_too_short":
        return f"{value!r} is shorter than the minimum {ctx['min_length']} characters"
    if kind == "string_pattern_mismatch":
        return f"{value!r} does not match {ctx['pattern']}"
    if kind == "literal_error":
        return f"{value!r} is not one of {ctx['expected']}"
    if kind == "extra_forbidden":
        return "is not a known setting (check its spelling and camelCase)"
    if kind == "missing":
        return "is required"
    if kind == "value_error":
        return str(ctx.get("error", error["msg"]))
    if kind in ("lattice_rule", "lattice_name"):
        return error["msg"]
    return f"{value!r}: {error['msg']}" if value is not None and not isinstance(value, (dict, list)) else error["msg"]


def describe(error: ValidationError, key_prefix: str) -> list[str]:
    """One line per problem: `<key path>: <value and rule>`."""
    problems = []
    for item in error.errors():
        loc = tuple(item["loc"])
        ctx = item.get("ctx") or {}
        if item["type"] == "lattice_rule" and ctx.get("path"):
            loc = loc + tuple(_split(ctx["path"]))
        problems.append(f"{_location(loc, key_prefix)}: {_message(item)}")
    return problems


def _split(path: str) -> list[Any]:
    parts: list[Any] = []
    for token in path.split("."):
        name, *indexes = re.split(r"\[(\d+)\]", token)
        if name:
            parts.append(name)
        parts.extend(int(index) for index in indexes if index != "")
    return parts


def parse(model: type[Spec], raw: dict[str, Any], source: str, namespace: str = "lattice") -> Spec:
    """Validate a stack's config, or raise one `ConfigError` listing every problem with its key path.

    `raw` maps config keys without the namespace (`services`) to their values; `source` names the stack file.
    """
    try:
        return model.model_validate(raw)
    except ValidationError as error:
        raise ConfigError(describe(error, f"{namespace}:"), source) from None


def read_stack_config(
    model: type[Spec], source: str, namespace: str = "lattice", defaults: dict[str, Any] | None = None
) -> Spec:
    """Read every key `model` declares from the running stack's config (`pulumi.Config`) and validate it.

    `defaults` fills keys the stack file leaves out, for defaults that depend on the stack (its name).
    """
    config = pulumi.Config(namespace)
    raw: dict[str, Any] = dict(defaults or {})
    for name, field in model.model_fields.items():
        key = field.alias or name
        value = config.get(key)
        if value is None:
            continue
        # Structured values arrive as JSON text; plain strings (`lattice:account: orders`) are not JSON.
        try:
            raw[key] = json.loads(value)
        except ValueError:
            raw[key] = value
    return parse(model, raw, source, namespace)


# --------------------------------------------------------------------------------------------------------------
# Component argument schemas: the config objects plus what the program supplies from the network stack
# --------------------------------------------------------------------------------------------------------------


class LatticeServiceSpec(ServiceSpec):
    """`LatticeService` args: a service spec, its name, and the network it joins."""

    name: ServiceName
    service_network_arn: Any = None
    """ARN of the service network (an Output is fine). The association and the auth policy's condition use it."""


class ConsumerVpcSpec(ConsumerSpec):
    """`ConsumerVpcAttachment` args: a consumer spec and the network it attaches to."""

    service_network_arn: Any
    region: str | None = None
    """Region of the network; needed only to look up the Lattice prefix list for a created security group."""
    tags: dict[str, str] = Field(default_factory=dict)

    @model_validator(mode="after")
    def _region_for_prefix_list(self) -> "ConsumerVpcSpec":
        if self.create_security_group is not None and not self.region:
            raise _rule_error("region", "is required with createSecurityGroup, to find the VPC Lattice prefix list")
        return self
