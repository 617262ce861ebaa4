"""The typed schema of the two stack programs' config: the shared network, its accounts, and an account's consumers."""

from __future__ import annotations

import re
from typing import Annotated, Any, ClassVar, Literal

from pydantic import Field, field_validator, model_validator
from pydantic.alias_generators import to_camel

from ..apimodel import model, value_rules
from .base import (
    AccountId,
    AuthType,
    Deferred,
    OrganizationId,
    Port,
    ServiceName,
    ServiceNetworkName,
    Spec,
    Tags,
    TargetGroupName,
    checked_by,
    is_output,
    listed_once,
    rule_error,
)
from .access_log_specs import AccessLogFields
from .association_specs import VpcAssociationFields
from .auth_policy_specs import AuthPolicyFields
from .caller_specs import CallerSpec, RoleName
from .resources import (
    CONSUMER_VIA,
    ResourceConfigurationName,
    ResourceConfigurationSpec,
    ResourceGatewayName,
    ResourceGatewaySpec,
    check_stack_resources,
    consumer_via_problem,
)
from .services import (
    ServiceSpec,
    TargetGroupSpec,
    is_target_group_reference,
    listener_target_problem,
    target_group_reference_problem,
)


# --------------------------------------------------------------------------------------------------------------
# Consumer VPCs
# --------------------------------------------------------------------------------------------------------------


Cidr = Annotated[str, checked_by(value_rules.ipv4_cidr_problem)]
"""An IPv4 CIDR block as a security group rule stores it."""
SecurityGroupId = Annotated[str, checked_by(value_rules.security_group_id_problem)]
"""A security group ID, by the Lattice model's `SecurityGroupId` pattern."""


class SecurityGroupSpec(Spec):
    """A security group this project creates for a VPC association: clients in the VPC may reach Lattice."""

    ports: list[Port] = Field(default_factory=lambda: [443], min_length=1)
    """The listener ports clients call (HTTP 80, HTTPS 443, ...)."""
    client_cidrs: list[Deferred[Cidr]] = Field(min_length=1)
    """Where the clients are, usually the VPC's CIDR (IPv4, written as its network address)."""

    @field_validator("client_cidrs")
    @classmethod
    def _each_once(cls, values: list[str]) -> list[str]:
        return listed_once(values)  # EC2: a second rule for the same CIDR fails as a duplicate rule


_SG_LIMIT = model.limits("CreateServiceNetworkVpcAssociation", "securityGroupIds")


class ConsumerSpec(Spec):
    """A VPC whose workloads call services in the network."""

    vpc_id: Deferred[str]
    security_group_ids: Annotated[list[Deferred[SecurityGroupId]], Field(max_length=_SG_LIMIT.max)] = Field(default_factory=list)
    create_security_group: SecurityGroupSpec | None = None
    private_dns_enabled: bool | None = None
    """Create-only: changing it replaces the association."""

    @model_validator(mode="after")
    def _coherent(self) -> "ConsumerSpec":
        vpc = model.limits("CreateServiceNetworkVpcAssociation", "vpcIdentifier")
        if not is_output(self.vpc_id) and not vpc.pattern_matches(self.vpc_id):
            raise rule_error("vpcId", f"{self.vpc_id!r} is not a VPC ID (vpc-xxxxxxxx)")
        for index, group_id in enumerate(self.security_group_ids):
            if not is_output(group_id) and group_id in self.security_group_ids[:index]:
                raise rule_error(f"securityGroupIds[{index}]", f"{group_id} is listed twice; an association takes each security group once")
        total = len(self.security_group_ids) + (1 if self.create_security_group else 0)
        if _SG_LIMIT.max is not None and total > _SG_LIMIT.max:
            raise rule_error("securityGroupIds", f"{total} security groups in all is above the API maximum {_SG_LIMIT.max}")
        return self


class ConsumerEntrySpec(VpcAssociationFields, ConsumerSpec):
    """A consumer in an account stack: how the VPC reaches the network, a VPC association (the default) or a
    service-network VPC endpoint (`config/resources.py`)."""

    via: Literal[CONSUMER_VIA] = "association"  # type: ignore[valid-type]
    subnet_ids: list[str] = Field(default_factory=list)
    """via: endpoint only: the subnets the endpoint's interfaces go in."""
    ip_address_type: str | None = None
    """via: endpoint only: ipv4, dualstack or ipv6."""

    @model_validator(mode="after")
    def _via_fits(self) -> "ConsumerEntrySpec":
        has_groups = bool(self.security_group_ids or self.create_security_group)
        if problem := consumer_via_problem(self.via, self.subnet_ids, self.ip_address_type, has_groups):
            raise rule_error(*problem)
        return self

    def component_args(self) -> dict[str, Any]:
        """The args of `ConsumerVpcAttachment` (association) or `ServiceNetworkEndpoint` (endpoint)."""
        args = self.to_args()
        args.pop("via")
        if self.via == "association":
            args.pop("subnet_ids")
        return args


# --------------------------------------------------------------------------------------------------------------
# The shared network
# --------------------------------------------------------------------------------------------------------------


class AccountSpec(Spec):
    """An AWS account that takes part in the network."""

    id: AccountId
    in_organization: bool = True
    """False for accounts outside the AWS Organization: they must accept the RAM share (`ShareAccepter`)."""


class NetworkSpec(AuthPolicyFields, AccessLogFields, Spec):
    """The service network: its name, auth, access logs and who it is shared with."""

    takes_log_type: ClassVar[bool] = True

    name: ServiceNetworkName
    auth_type: AuthType = "AWS_IAM"
    organization_id: Deferred[OrganizationId] | None = None
    """Principals of this organization may send traffic through the network (`aws:PrincipalOrgID`)."""
    organization_arn: str | None = None
    """Share with the whole organization (RAM principal); account shares are still made for outsiders."""
    access_logs: bool = False
    protect: bool = False
    """Pulumi `protect` on the network and its share: `pulumi destroy` refuses to delete them."""
    tags: Tags = Field(default_factory=dict)

    @model_validator(mode="after")
    def _organization_fits(self) -> "NetworkSpec":
        if self.organization_arn is not None and not is_output(self.organization_arn):
            problem = value_rules.organization_arn_problem(self.organization_arn)
            if problem:
                raise rule_error("organizationArn", problem)
            arn_id = value_rules.organization_id_of(self.organization_arn)
            if isinstance(self.organization_id, str) and arn_id != self.organization_id:
                raise rule_error(
                    "organizationArn", f"names organization {arn_id} but organizationId is {self.organization_id}: one network, one organization"
                )
        return self


class NetworkStackConfig(Spec):
    """Everything the shared-network stack reads (`lattice:network`, `lattice:accounts`)."""

    network: NetworkSpec
    accounts: dict[Annotated[str, Field(pattern=r"^[a-z][a-z0-9-]*$")], AccountSpec] = Field(min_length=1)
    """Every account that deploys services or consumers into the network, by short name."""
    network_account: str
    """The short name of the account that owns the network; it is not shared with itself."""
    deploy_role_name: str = "LatticeDeployRole"
    """The role Pulumi assumes in the network account (`arn:aws:iam::<id>:role/<name>`); empty: ambient credentials."""

    @model_validator(mode="after")
    def _network_account_known(self) -> "NetworkStackConfig":
        if self.network_account not in self.accounts:
            raise rule_error("networkAccount", f"{self.network_account!r} is not one of accounts {sorted(self.accounts)}")
        ids = [account.id for account in self.accounts.values()]
        for name, account in self.accounts.items():
            if ids.count(account.id) > 1:
                raise rule_error(f"accounts.{name}.id", f"{account.id} is listed under another name too")
        return self


# --------------------------------------------------------------------------------------------------------------
# Target groups of the stack, forwarded to by several services
# --------------------------------------------------------------------------------------------------------------


STACK_NAME = re.compile(r"[A-Za-z0-9_.-]+/[A-Za-z0-9_.-]+/[A-Za-z0-9_.-]+")
"""A fully qualified Pulumi stack name, `<organization>/<project>/<stack>` (the parts' characters as Pulumi allows
them); `organization` on the self-managed backends."""


def stack_name_problem(value: str) -> str | None:
    """Why `value` is not a stack name a reference can be resolved by, the same in every project and backend."""
    if STACK_NAME.fullmatch(value):
        return None
    return (f"{value!r} is not a fully qualified stack name <organization>/<project>/<stack> (letters, digits, "
            "'-', '_' and '.'; the organization is 'organization' on a self-managed backend)")


class FromStackSpec(Spec):
    """Where a target group created by another Pulumi stack is read from: that stack's output (a map of target
    group names to ARNs, as every account stack exports `targetGroups`), read through a `pulumi.StackReference`."""

    stack: Annotated[str, checked_by(stack_name_problem)]
    """The stack that creates the group, `<organization>/<project>/<stack>` (`organization/lattice-account/search-dev`)."""
    output: Annotated[str, Field(min_length=1)] = "targetGroups"
    """Its output holding the map; account stacks of this project export `targetGroups`."""
    key: Annotated[str, Field(min_length=1)] | None = None
    """The group's key in that map; default: this entry's name."""


class StackTargetGroupSpec(TargetGroupSpec):
    """A target group defined once for the account stack (`lattice:targetGroups.<name>`): created here with its
    targets, or created elsewhere and only forwarded to: by `arn`, or read from another stack's outputs with
    `fromStack`."""

    arn: str | None = None
    """The ARN (or `tg-` ID) of a target group created elsewhere; nothing is created for it, and it takes no other
    setting."""
    from_stack: FromStackSpec | None = None
    """The stack whose outputs hold the ARN of the group (created there); nothing is created for it here, and it
    takes no other setting."""

    @property
    def created_elsewhere(self) -> bool:
        return self.arn is not None or self.from_stack is not None

    @model_validator(mode="after")
    def _reference_alone(self) -> "StackTargetGroupSpec":
        if not self.created_elsewhere:
            return self
        if self.arn is not None and self.from_stack is not None:
            raise rule_error("fromStack", "and arn both name a group created elsewhere; give one of them")
        if self.arn is not None and (problem := target_group_reference_problem(self.arn)):
            raise rule_error("arn", problem)
        given = "arn" if self.arn is not None else "fromStack"
        others = sorted(to_camel(name) for name in self.model_fields_set - {"arn", "from_stack"})
        if others:
            raise rule_error(others[0], f"is a setting of a target group created here; one referenced by {given} is "
                             "created elsewhere and takes none")
        return self


class AccountStackConfig(Spec):
    """Everything an account stack reads (`lattice:account`, `lattice:services`, `lattice:consumers`, ...)."""

    account: str
    """This account's short name in the network stack's `lattice:accounts`."""
    network_stack: str
    """The shared-network stack to read (`organization/lattice-network/dev` on a self-managed backend)."""
    deploy_role_name: str = "LatticeDeployRole"
    """The role Pulumi assumes in this account (`arn:aws:iam::<id>:role/<name>`; `path/name` for a role with a
    path); empty: use ambient credentials."""
    services: dict[ServiceName, ServiceSpec] = Field(default_factory=dict)
    target_groups: dict[TargetGroupName, StackTargetGroupSpec] = Field(default_factory=dict)
    """Target groups defined once, forwarded to by name from several services' listeners and rules (or created
    elsewhere: referenced by `arn`, or read `fromStack`)."""
    consumers: dict[Annotated[str, Field(pattern=r"^[a-z][a-z0-9-]*$")], ConsumerEntrySpec] = Field(default_factory=dict)
    resource_gateways: dict[ResourceGatewayName, ResourceGatewaySpec] = Field(default_factory=dict)
    resource_configurations: dict[ResourceConfigurationName, ResourceConfigurationSpec] = Field(default_factory=dict)
    callers: dict[RoleName, CallerSpec] = Field(default_factory=dict)
    """Roles of this account that call services, with their tags and requests, for the access matrix."""

    @model_validator(mode="after")
    def _resources_fit_together(self) -> "AccountStackConfig":
        check_stack_resources(self.resource_gateways, self.resource_configurations)
        return self

    @model_validator(mode="after")
    def _account_wide_rules(self) -> "AccountStackConfig":
        if self.deploy_role_name:
            problem = value_rules.role_with_path_problem(self.deploy_role_name)
            if problem:
                raise rule_error("deployRoleName", problem)
        # Target group names are unique per account and Region (CreateTargetGroup fails with a conflict), and a
        # VPC joins one service network only: both hold across the services and consumers of this stack.
        groups: dict[str, str] = {}
        for service_name, service in self.services.items():
            for group_name in service.target_groups:
                if group_name in self.target_groups:
                    raise rule_error(
                        f"services.{service_name}.targetGroups.{group_name}",
                        "is also a target group of lattice:targetGroups; target group names are unique per account",
                    )
            for group_name in service.target_groups:
                if group_name in groups:
                    raise rule_error(
                        f"services.{service_name}.targetGroups.{group_name}",
                        f"is also a target group of service {groups[group_name]!r}; target group names are unique per account",
                    )
                groups[group_name] = service_name
        vpcs: dict[str, str] = {}
        for consumer_name, consumer in self.consumers.items():
            if consumer.vpc_id in vpcs:
                raise rule_error(
                    f"consumers.{consumer_name}.vpcId",
                    f"{consumer.vpc_id} is already associated by consumer {vpcs[consumer.vpc_id]!r}; a VPC joins one service network only",
                )
            vpcs[consumer.vpc_id] = consumer_name
        self._forwards_resolve()
        return self

    def _forwards_resolve(self) -> None:
        """Every forward names one of its service's groups, one of the stack's, or a group created elsewhere by ARN;
        a listener forwards only to a stack group whose protocol it can speak; and a group serves one service.

        VPC Lattice lets the listeners of one service share a target group, never two services: "you can specify
        the same target group in multiple listeners, but these listeners must belong to the same service" (user
        guide, Create a VPC Lattice target group). A stack group, or one ARN, forwarded to by two services is
        refused here rather than by the second service's CreateListener at deploy."""
        served_by: dict[str, str] = {}
        for service_name, service in self.services.items():
            for path, listener, target in service.forwards():
                name = target.target_group
                if name in service.target_groups:
                    continue
                where = f"services.{service_name}.{path}"
                group = None if is_target_group_reference(name) else self.target_groups.get(name)
                if group is None and not is_target_group_reference(name):
                    raise rule_error(where, f"{name!r} is neither one of this service's targetGroups {sorted(service.target_groups)} "
                                     f"nor of lattice:targetGroups {sorted(self.target_groups)}, nor a target group ARN")
                if group is not None and not group.created_elsewhere and (
                    problem := listener_target_problem(listener.protocol, name, group)
                ):
                    raise rule_error(where, problem)
                if is_output(name):
                    continue
                # one group, however it is named: a stack entry with `arn` and that ARN written in a forward are one
                identity = group.arn if group is not None and group.arn else name
                first = served_by.setdefault(identity, service_name)
                if first != service_name:
                    shown = name if identity == name else f"{name} ({identity})"
                    raise rule_error(where, f"target group {shown} is already forwarded to by service {first!r}; a "
                                     "VPC Lattice target group serves the listeners of one service only")

    def groups_from_stacks(self) -> dict[str, FromStackSpec]:
        """The stack's target groups read from other stacks' outputs, each with its key filled in (default: the
        entry's name)."""
        return {
            name: group.from_stack.model_copy(update={"key": group.from_stack.key or name})
            for name, group in self.target_groups.items() if group.from_stack is not None
        }

    def unused_target_groups(self) -> list[str]:
        """The stack's target groups no service forwards to. Not an error: a group may be prepared before traffic
        moves to it (blue/green) or be forwarded to by ARN from another stack; the program warns and the pack's
        `lattice-target-group-unused` reports it."""
        used = {target.target_group for service in self.services.values() for _, _, target in service.forwards()}
        return [name for name in self.target_groups if name not in used]


class ConsumerVpcSpec(VpcAssociationFields, ConsumerSpec):
    """`ConsumerVpcAttachment` args: a consumer spec and the network it attaches to."""

    service_network_arn: Deferred[str]
    region: Deferred[str] | None = None
    """Region of the network; needed only to look up the Lattice prefix list for a created security group."""
    tags: Tags = Field(default_factory=dict)

    @model_validator(mode="after")
    def _region_for_prefix_list(self) -> "ConsumerVpcSpec":
        if self.create_security_group is not None and not self.region:
            raise rule_error("region", "is required with createSecurityGroup, to find the VPC Lattice prefix list")
        return self
