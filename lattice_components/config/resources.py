"""The typed schema of VPC resources over Lattice: resource gateways, resource configurations, and the
service-network VPC endpoints consumers may use instead of a VPC association.

An account stack declares them next to its services (`lattice:resourceGateways`, `lattice:resourceConfigurations`);
the snake_case dump of each spec is the argument dict of the matching component, as for services.

Ranges, patterns and enums come from botocore's model (`CreateResourceGateway`, `CreateResourceConfiguration`,
`PortRange`, ...), and which member applies to which configuration type comes from the model's documentation
("(SINGLE, GROUP, CHILD, CIDR) The port ranges ..."), so a botocore upgrade moves them. The model has no
pattern for subnet IDs, host names or IP addresses; the validators below say where their rule comes from.
Default quotas (VPC Lattice quotas page, all adjustable) are in `QUOTAS`.
"""

from __future__ import annotations

import functools
import ipaddress
import re
from typing import Annotated, Any, Literal

from pydantic.alias_generators import to_camel
from pydantic import AfterValidator, BeforeValidator, Field, field_validator, model_validator

from ..apimodel import model
from .base import Deferred, Spec, Tags, api_enum, api_range, documented_range, is_output, name_checker, rule_error

_GW = "CreateResourceGateway"
_RC = "CreateResourceConfiguration"

ResourceGatewayName = Annotated[str, name_checker(_GW, "resource gateway")]
ResourceConfigurationName = Annotated[str, name_checker(_RC, "resource configuration")]

# Quotas page "Quotas for Amazon VPC Lattice" (default values; every one is adjustable through Service Quotas,
# so the message says so). The user guide's resource-gateway page still says 100 gateways per VPC; the quotas
# page, which is the one AWS keeps current, says 500.
QUOTAS = {
    "child resource configurations per group": 60,
    "resource gateways per VPC": 500,
    "resource configurations per Region": 2000,
    "resource configurations per service network": 500,
}

# Subnet IDs have no pattern in the Lattice model (only a 5-200 length); EC2 IDs are `subnet-` + 8 or 17
# lowercase hex, the same shape the model gives VPC and security group IDs.
_SUBNET = re.compile(r"subnet-(?:[0-9a-z]{8}|[0-9a-z]{17})")
# RFC 1123 host names: labels of letters, digits and inner hyphens, 1-63 characters each.
_LABEL = re.compile(r"(?!-)[A-Za-z0-9-]{1,63}(?<!-)")


def _as_text(value: Any) -> Any:
    return str(value) if isinstance(value, int) and not isinstance(value, bool) else value


def _port_bounds() -> tuple[int, int]:
    low, high = documented_range("CreateListener", "port")
    return low or 1, high or 65535


def port_range_problem(value: str) -> str | None:
    """Why `value` is not a port range the API takes (`443` or `8000-8080`, 1-65535, low <= high), or None."""
    found = model.limits("PortRange")
    if not (found.min or 0) <= len(value) <= (found.max or len(value)) or not found.pattern_matches(value):
        return f"{value!r} is not a port or port range: use '443' or '8000-8080'"
    low_bound, high_bound = _port_bounds()
    low, _, high = value.partition("-")
    first, last = int(low), int(high or low)
    for port in (first, last):
        if not low_bound <= port <= high_bound:
            return f"{value!r}: port {port} is outside {low_bound}-{high_bound}"
    if first > last:
        return f"{value!r}: the range starts above its end ({first} > {last})"
    return None


def parse_port_range(value: str) -> tuple[int, int]:
    low, _, high = value.partition("-")
    return int(low), int(high or low)


def check_port_range(value: str) -> str:
    problem = port_range_problem(value)
    if problem:
        raise ValueError(problem)
    return value


PortRange = Annotated[str, BeforeValidator(_as_text), AfterValidator(check_port_range)]
"""YAML reads `5432` as a number; a port range is text in the API."""
PortRanges = Annotated[list[PortRange], Field(min_length=1)]


def host_name_problem(value: str) -> str | None:
    """Why `value` is not a DNS name the API takes (model length, RFC 1123 labels, at least two labels)."""
    found = model.limits("DnsResource", "domainName")
    if not (found.min or 0) <= len(value) <= (found.max or len(value)):
        return f"{value!r} is not {found.min}-{found.max} characters long"
    labels = value.rstrip(".").split(".")
    if len(labels) < 2 or not all(_LABEL.fullmatch(label) for label in labels):
        return f"{value!r} is not a DNS name (labels of letters, digits and inner hyphens, separated by dots)"
    return None


def _subnet_id(value: str) -> str:
    if not _SUBNET.fullmatch(value):
        raise ValueError(f"{value!r} is not a subnet ID (subnet-xxxxxxxx)")
    return value


def _subnet_ids(values: list[str]) -> list[str]:
    for value in values:
        if not isinstance(value, str):
            raise ValueError(f"{value!r} is not a subnet ID (subnet-xxxxxxxx)")
        _subnet_id(value)
    return once_each(values, "a subnet")


def once_each(values: Any, what: str) -> Any:
    """`values`, unless one of its known items (not Outputs) is listed twice: the API refuses duplicates."""
    if is_output(values):
        return values
    known = [value for value in values if not is_output(value)]
    if len(set(known)) != len(known):
        raise ValueError(f"lists {what} more than once")
    return values


def _security_group_id(value: str) -> str:
    element = model.member_shape(_GW, "securityGroupIds").member.metadata.get("pattern")
    if element and not re.fullmatch(element, value):
        raise ValueError(f"{value!r} is not a security group ID (sg-xxxxxxxx)")
    return value


def _vpc_id(value: str) -> str:
    if not model.limits(_GW, "vpcIdentifier").pattern_matches(value):
        raise ValueError(f"{value!r} is not a VPC ID (vpc-xxxxxxxx)")
    return value


_GW_SG_LIMIT = model.limits(_GW, "securityGroupIds")

VpcId = Annotated[str, AfterValidator(_vpc_id)]
"""A VPC ID, by the model's `vpcIdentifier` pattern."""
SubnetId = Annotated[str, AfterValidator(_subnet_id)]
"""A subnet ID (`subnet-` and 8 or 17 lowercase hex, as EC2 makes them; the Lattice model has no pattern)."""
SubnetIds = Deferred[Annotated[list[Deferred[SubnetId]], Field(min_length=1)]]
"""Subnets (at least one), each once; the list, or any subnet in it, may be another resource's output."""
SecurityGroupId = Annotated[str, AfterValidator(_security_group_id)]
"""A security group ID, by the model's `SecurityGroupId` pattern."""


# --------------------------------------------------------------------------------------------------------------
# Resource gateways
# --------------------------------------------------------------------------------------------------------------


class ResourceGatewaySpec(Spec):
    """A resource gateway: where traffic to the VPC's shared resources enters the VPC (it spans the AZs of its subnets)."""

    vpc_id: Deferred[VpcId]
    subnet_ids: SubnetIds
    """Subnets of the VPC, ideally one per Availability Zone (a consumer's endpoint must share an AZ with one)."""
    security_group_ids: Deferred[Annotated[list[Deferred[SecurityGroupId]], Field(max_length=_GW_SG_LIMIT.max)]] = Field(
        default_factory=list
    )
    """Groups on the gateway's interfaces: their egress rules decide what the gateway may reach (0-5)."""
    ip_address_type: api_enum(_GW, "ipAddressType") = "IPV4"
    ipv4_addresses_per_eni: Annotated[int, Field(**api_range(_GW, "ipv4AddressesPerEni"))] | None = None
    """IPv4 and DUALSTACK gateways only (the API's default is 16)."""
    resource_config_dns_resolution: api_enum(_GW, "resourceConfigDnsResolution") | None = None
    """PUBLIC (the API's default) or IN_VPC."""
    tags: Tags = Field(default_factory=dict)

    _subnets = field_validator("subnet_ids")(classmethod(lambda cls, v: once_each(v, "a subnet")))
    _groups = field_validator("security_group_ids")(classmethod(lambda cls, v: once_each(v, "a security group")))

    @model_validator(mode="after")
    def _addresses_fit_the_type(self) -> "ResourceGatewaySpec":
        if self.ipv4_addresses_per_eni is not None and self.ip_address_type == "IPV6":
            raise rule_error("ipv4AddressesPerEni", "applies only to IPV4 and DUALSTACK gateways; this one is IPV6")
        return self


# --------------------------------------------------------------------------------------------------------------
# Resource configurations
# --------------------------------------------------------------------------------------------------------------

_DEFINITIONS = ("dns_name", "ip_address", "arn")
_DNS_IP_TYPES = tuple(value for value in model.limits("DnsResource", "ipAddressType").enum if value != "DUALSTACK")
"""DnsResource.ipAddressType: the model lists DUALSTACK, its documentation says "Dualstack is currently not supported"."""


def _definition_problem(spec: Spec) -> tuple[str, str] | None:
    """(key, rule) for a bad DNS name, IP address or ARN of a resource definition, or None."""
    dns_name, ip_address, arn = (
        None if is_output(value) else value for value in (getattr(spec, name, None) for name in _DEFINITIONS)
    )
    if dns_name is not None and (problem := host_name_problem(dns_name)):
        return "dnsName", problem
    if ip_address is not None:
        found = model.limits("IpResource", "ipAddress")
        try:
            ipaddress.ip_address(ip_address)
        except ValueError:
            return "ipAddress", f"{ip_address!r} is not an IPv4 or IPv6 address"
        if not (found.min or 0) <= len(ip_address) <= (found.max or 39):
            return "ipAddress", f"{ip_address!r} is not {found.min}-{found.max} characters long"
    if arn is not None and not model.limits("ArnResource", "arn").pattern_matches(arn):
        return "arn", f"{arn!r} is not an AWS resource ARN (arn:aws:<service>:<region>:<account>:...)"
    return None


def _definition_kind(spec: Spec) -> str | None:
    given = [name for name in _DEFINITIONS if getattr(spec, name, None) is not None]
    if len(given) > 1:
        raise ValueError(f"set one of {', '.join(to_camel(name) for name in _DEFINITIONS if hasattr(spec, name))}, "
                         f"not {' and '.join(to_camel(name) for name in given)}")
    if problem := _definition_problem(spec):
        raise rule_error(*problem)
    return given[0] if given else None


class HostSpec(Spec):
    """A resource by DNS name or IP address (SINGLE and CHILD resources)."""

    dns_name: Deferred[str] | None = None
    """A DNS name the gateway resolves (an RDS endpoint, a host)."""
    dns_ip_address_type: Literal[_DNS_IP_TYPES] = "IPV4"  # type: ignore[valid-type]
    """The address family the DNS name resolves to (IPV4 or IPV6)."""
    ip_address: Deferred[str] | None = None
    """An IPv4 or IPv6 address inside the gateway's VPC."""

    @property
    def kind(self) -> str | None:
        return next((name for name in _DEFINITIONS if getattr(self, name, None) is not None), None)


class ResourceDefinitionSpec(HostSpec):
    """Where the resource is: exactly one of a DNS name, an IP address in the gateway's VPC, or an AWS resource ARN."""

    arn: Deferred[str] | None = None
    """The ARN of a supported AWS resource (an RDS database, cluster, ...): type ARN only."""

    @model_validator(mode="after")
    def _one_definition(self) -> "ResourceDefinitionSpec":
        _definition_kind(self)
        return self


def applies_to(member: str, resource_type: str) -> bool:
    """Whether the model's documentation of `CreateResourceConfiguration.<member>` lets `resource_type` use it."""
    rule = model.documented_applicability(_RC, member)
    return rule is None or rule.allows(resource_type)


class ChildResourceSpec(HostSpec):
    """A CHILD resource configuration of a GROUP: one resource, reached through the group's gateway."""

    port_ranges: PortRanges | None = None
    """Defaults to the group's port ranges."""
    custom_domain_name: str | None = None
    """A subdomain of the group's domain, if it has one."""
    tags: Tags = Field(default_factory=dict)

    @model_validator(mode="after")
    def _child_definition(self) -> "ChildResourceSpec":
        if _definition_kind(self) is None:
            raise ValueError("a CHILD resource is a dnsName or an ipAddress")
        if self.custom_domain_name is not None and (problem := host_name_problem(self.custom_domain_name)):
            raise rule_error("customDomainName", problem)
        return self


_CONFIG_TYPES = tuple(value for value in model.limits(_RC, "type").enum if value not in ("CHILD", "CIDR"))
"""CHILD configurations are written under their GROUP's `children`; CIDR has no pulumi-aws 7 input
(`resource_configuration_definition` has no `cidr_resource`)."""


class ResourceConfigurationBase(ResourceDefinitionSpec):
    """A resource configuration: a resource (SINGLE, ARN) or a group of CHILD resources (GROUP) behind a gateway.
    Stack config names its gateway and RAM principals (`ResourceConfigurationSpec`); the component takes IDs."""

    type: str = "SINGLE"
    """SINGLE (one DNS name or IP), GROUP (with `children`) or ARN (an AWS resource such as an RDS database)."""
    port_ranges: PortRanges | None = None
    """Ports consumers may use: `"5432"` or `"8000-8080"`; SINGLE and GROUP need them, ARN takes none (the resource decides)."""
    protocol: api_enum(_RC, "protocol") | None = None
    """TCP (the API's default); TCP_UDP is for CIDR configurations only."""
    children: dict[ResourceConfigurationName, ChildResourceSpec] = Field(default_factory=dict)
    """GROUP only: the CHILD resources, by name."""
    custom_domain_name: str | None = None
    """A domain consumers use for the resource; needed for private DNS on the network association."""
    domain_verification_id: Deferred[str] | None = None
    """A verified domain (`dv-...`) that covers `customDomainName`; without it you manage the DNS yourself."""
    allow_association_to_shareable_service_network: bool | None = None
    """SINGLE, GROUP and ARN: may join a shareable (RAM-shared) network; set when `associate` is true."""
    associate: bool = True
    """Associate the configuration with the service network, so every VPC attached to it may reach the resource."""
    private_dns_enabled: bool | None = None
    """On the network association: consumers resolve `customDomainName` privately (needs a custom domain)."""
    tags: Tags = Field(default_factory=dict)

    @field_validator("type")
    @classmethod
    def _known_type(cls, value: str) -> str:
        if value not in _CONFIG_TYPES:
            raise ValueError(
                f"{value!r} is not one of {', '.join(_CONFIG_TYPES)} (CHILD resources go under a GROUP's children; "
                "CIDR configurations have no pulumi-aws 7 input)"
            )
        return value

    @model_validator(mode="after")
    def _fits_the_type(self) -> "ResourceConfigurationBase":
        kind = self.type
        for member, field, value in (
            ("portRanges", "portRanges", self.port_ranges),
            ("protocol", "protocol", self.protocol),
            ("allowAssociationToShareableServiceNetwork", "allowAssociationToShareableServiceNetwork",
             self.allow_association_to_shareable_service_network),
        ):
            if value is not None and not applies_to(member, kind):
                rule = model.documented_applicability(_RC, member)
                raise rule_error(field, f"does not apply to {kind} configurations (API reference: {rule.sentence!r})")
        if kind in ("SINGLE", "GROUP") and not self.port_ranges:
            raise rule_error("portRanges", f"is required for {kind} configurations: consumers may use no port otherwise")
        if self.protocol == "TCP_UDP":
            raise rule_error("protocol", "TCP_UDP is supported only for CIDR configurations")
        if kind == "SINGLE" and self.kind not in ("dns_name", "ip_address"):
            raise ValueError("a SINGLE configuration needs a dnsName or an ipAddress")
        if kind == "ARN" and self.kind != "arn":
            raise rule_error("arn", "is required for ARN configurations (and dnsName or ipAddress take none)")
        if kind == "GROUP":
            if self.kind is not None:
                raise ValueError("a GROUP configuration has no dnsName, ipAddress or arn: its children do")
            if not self.children:
                raise rule_error("children", "a GROUP configuration needs at least one child")
        elif self.children:
            raise rule_error("children", f"only GROUP configurations have children; this one is {kind}")
        limit = QUOTAS["child resource configurations per group"]
        if len(self.children) > limit:
            raise rule_error("children", f"{len(self.children)} children is above the default quota of {limit} "
                             "child resource configurations per group (adjustable: raise it in Service Quotas first)")
        if self.custom_domain_name is not None and (problem := host_name_problem(self.custom_domain_name)):
            raise rule_error("customDomainName", problem)
        if isinstance(self.domain_verification_id, str) and not model.limits(_RC, "domainVerificationIdentifier").pattern_matches(
            self.domain_verification_id
        ):
            raise rule_error("domainVerificationId", f"{self.domain_verification_id!r} is not a domain verification ID (dv-...)")
        if self.private_dns_enabled and not self.custom_domain_name:
            raise rule_error("privateDnsEnabled", "needs customDomainName: private DNS publishes the configuration's custom domain")
        if self.private_dns_enabled is not None and not self.associate:
            raise rule_error("privateDnsEnabled", "applies to the network association; this configuration has associate: false")
        if self.associate and self.allow_association_to_shareable_service_network is False:
            raise rule_error("allowAssociationToShareableServiceNetwork",
                             "is false, but associate: true joins the shared (shareable) service network")
        return self

    def effective_port_ranges(self, child: ChildResourceSpec | None = None) -> list[str]:
        if child is not None and child.port_ranges:
            return list(child.port_ranges)
        return list(self.port_ranges or [])


class ResourceConfigurationSpec(ResourceConfigurationBase):
    """A resource configuration in an account stack (`lattice:resourceConfigurations.<name>`)."""

    resource_gateway: str
    """The name of a resource gateway of this stack (a key of `resourceGateways`), or a gateway ID `rgw-...`."""
    share_with: list[str] = Field(default_factory=list)
    """RAM principals by name: account short names of the network's registry, or `organization`."""

    @field_validator("share_with")
    @classmethod
    def _once_each(cls, values: list[str]) -> list[str]:
        if len(set(values)) != len(values):
            raise ValueError("lists a principal more than once")
        return values


def check_stack_resources(gateways: dict[str, ResourceGatewaySpec], configurations: dict[str, ResourceConfigurationSpec]) -> None:
    """Rules across an account stack's gateways and configurations (raised with their key path)."""
    per_vpc: dict[str, int] = {}
    for gateway in gateways.values():
        per_vpc[gateway.vpc_id] = per_vpc.get(gateway.vpc_id, 0) + 1
    for vpc, count in per_vpc.items():
        if count > QUOTAS["resource gateways per VPC"]:
            raise rule_error("resourceGateways", f"{count} gateways in {vpc} is above the default quota of "
                             f"{QUOTAS['resource gateways per VPC']} per VPC (adjustable)")
    total = len(configurations) + sum(len(c.children) for c in configurations.values())
    if total > QUOTAS["resource configurations per Region"]:
        raise rule_error("resourceConfigurations", f"{total} configurations is above the default quota of "
                         f"{QUOTAS['resource configurations per Region']} per Region (adjustable)")
    associated = sum(1 for c in configurations.values() if c.associate)
    if associated > QUOTAS["resource configurations per service network"]:
        raise rule_error("resourceConfigurations", f"{associated} associated configurations is above the default quota "
                         f"of {QUOTAS['resource configurations per service network']} per service network (adjustable)")
    names = set(configurations)
    for name, configuration in configurations.items():
        gateway = configuration.resource_gateway
        if gateway not in gateways and not model.limits(_RC, "resourceGatewayIdentifier").pattern_matches(gateway):
            raise rule_error(f"resourceConfigurations.{name}.resourceGateway",
                             f"{gateway!r} is neither one of resourceGateways {sorted(gateways)} nor a gateway ID (rgw-...)")
        for child in configuration.children:
            if child in names:
                raise rule_error(f"resourceConfigurations.{name}.children.{child}",
                                 "is also the name of another configuration; names are unique per account")
            names.add(child)


# --------------------------------------------------------------------------------------------------------------
# Service-network VPC endpoints (a consumer's alternative to the VPC association)
# --------------------------------------------------------------------------------------------------------------

CONSUMER_VIA = ("association", "endpoint")


@functools.cache
def ec2_enum(member: str) -> tuple[str, ...]:
    """An enum of EC2's `CreateVpcEndpoint` (the endpoint is an EC2 resource, outside the Lattice model), from
    botocore's EC2 model: loaded only when a stack has an endpoint consumer (about 0.4 s). Through botocore's
    loader, as every model here: a session would import botocore's client machinery into every stack's process
    and read the AWS profile, which an offline check does not need."""
    shape = model.aws_service_model("ec2").operation_model("CreateVpcEndpoint").input_shape
    return tuple(shape.members[member].enum)


ENDPOINT_WITHOUT_GROUPS = (
    "securityGroupIds", "an endpoint without security groups gets the VPC's default group; list groups or createSecurityGroup"
)


def endpoint_ip_address_type_problem(value: str | None) -> tuple[str, str] | None:
    """(key, rule) when `value` is not one of EC2's endpoint address types, else None."""
    if value is not None and value not in ec2_enum("IpAddressType"):
        return "ipAddressType", f"{value!r} is not one of {', '.join(ec2_enum('IpAddressType'))}"
    return None


def consumer_via_problem(via: str, subnet_ids: list[str], ip_address_type: str | None, has_groups: bool) -> tuple[str, str] | None:
    """(key, rule) when a consumer's `via` and its endpoint settings disagree, else None."""
    if via == "endpoint":
        if not has_groups:
            return ENDPOINT_WITHOUT_GROUPS
        if not subnet_ids:
            return "subnetIds", "is required with via: endpoint (the endpoint puts an interface in each subnet)"
        try:
            _subnet_ids(list(subnet_ids))
        except ValueError as error:
            return "subnetIds", str(error)
        return endpoint_ip_address_type_problem(ip_address_type)
    if subnet_ids:
        return "subnetIds", "applies to via: endpoint only; a VPC association takes no subnets"
    if ip_address_type is not None:
        return "ipAddressType", "applies to via: endpoint only"
    return None
