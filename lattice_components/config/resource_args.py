"""The arguments of `ResourceGateway` and `ResourceConfiguration` that the stack config does not share: the
configuration's gateway by ID, the network by ARN and RAM principals by ID or ARN (the stack program resolves
them from names), with component-argument strictness where the stack config is lenient.

Kept apart from `resources.py` because they use the RAM principal rule of `args.py`, which imports the stack
schema that `resources.py` is part of.
"""

from __future__ import annotations

from typing import Annotated

from pydantic import AfterValidator, Field, field_validator, model_validator

from ..apimodel import model
from .args import RAM_PRINCIPAL
from .base import Deferred, rule_error
from .resources import (
    ChildResourceSpec,
    ResourceConfigurationBase,
    ResourceConfigurationName,
    ResourceGatewayName,
    ResourceGatewaySpec,
    check_port_range,
    once_each,
)

_RC = "CreateResourceConfiguration"


class ResourceGatewayArgsSpec(ResourceGatewaySpec):
    """`ResourceGateway` args."""

    name: ResourceGatewayName


StrictPortRanges = Annotated[list[Annotated[str, AfterValidator(check_port_range)]], Field(min_length=1)]
"""Port ranges as text only: the stack config takes YAML's `5432` as `"5432"`, a component argument is typed (the
schema says string, and every other language sends one)."""


def _gateway_identifier(value: str) -> str:
    found = model.limits(_RC, "resourceGatewayIdentifier")
    if not (found.min or 0) <= len(value) <= (found.max or len(value)) or not found.pattern_matches(value):
        raise ValueError(f"{value!r} is not a resource gateway ID (rgw- and 17 lowercase letters or digits) or its ARN")
    return value


def _ram_principal(value: str) -> str:
    if not RAM_PRINCIPAL.fullmatch(value):
        raise ValueError(
            f"{value!r} is neither a 12-digit account ID nor an organization or OU ARN (no wildcards): RAM shares a "
            "resource configuration with these"
        )
    return value


class ChildResourceArgsSpec(ChildResourceSpec):
    """`ResourceConfiguration`'s `children` items."""

    port_ranges: StrictPortRanges | None = None
    """Defaults to the group's port ranges."""


class ResourceConfigurationArgsSpec(ResourceConfigurationBase):
    """`ResourceConfiguration` args: the gateway by ID, the network by ARN, RAM principals by ID or ARN."""

    name: ResourceConfigurationName
    port_ranges: StrictPortRanges | None = None
    """Ports consumers may use: `"5432"` or `"8000-8080"`; SINGLE and GROUP need them, ARN takes none."""
    children: dict[ResourceConfigurationName, ChildResourceArgsSpec] = Field(default_factory=dict)
    """GROUP only: the CHILD resources, by name."""
    resource_gateway_id: Deferred[Annotated[str, AfterValidator(_gateway_identifier)]]
    """The gateway's ID (`rgw-...`) or ARN; CHILD resources inherit their group's."""
    service_network_arn: Deferred[str] | None = None
    """The network to associate with when `associate` is true."""
    share_principals: list[Deferred[Annotated[str, AfterValidator(_ram_principal)]]] = Field(default_factory=list)
    """RAM principals: 12-digit account IDs, OU or organization ARNs; one principal association each."""
    allow_external_principals: bool = False
    """The share may reach accounts outside the organization (they accept it with `ShareAccepter`)."""

    _principals_once = field_validator("share_principals")(classmethod(lambda cls, v: once_each(v, "a principal")))

    @model_validator(mode="after")
    def _network_to_join(self) -> "ResourceConfigurationArgsSpec":
        if self.associate and self.service_network_arn is None:
            raise rule_error("serviceNetworkArn", "is required when associate is true (the default)")
        return self
