"""`ServiceNetworkEndpoint` args: a consumer VPC that reaches the network through a VPC endpoint of type
ServiceNetwork instead of a VPC association (the stack's `consumers.<name>.via: endpoint`)."""

from __future__ import annotations

from pydantic import Field, field_validator, model_validator

from .base import Deferred, Tags, rule_error
from .resources import ENDPOINT_WITHOUT_GROUPS, SubnetIds, endpoint_ip_address_type_problem, once_each
from .stacks import ConsumerSpec


class ServiceNetworkEndpointSpec(ConsumerSpec):
    """A consumer spec of `via: endpoint` (its subnets), and the network it reaches."""

    subnet_ids: SubnetIds
    ip_address_type: str | None = None
    """One of EC2's `CreateVpcEndpoint` values (ipv4, dualstack, ipv6), read from its model when first needed."""
    service_network_arn: Deferred[str]
    tags: Tags = Field(default_factory=dict)

    _subnets_once = field_validator("subnet_ids")(classmethod(lambda cls, v: once_each(v, "a subnet")))

    @model_validator(mode="after")
    def _groups_for_the_endpoint(self) -> "ServiceNetworkEndpointSpec":
        if not (self.security_group_ids or self.create_security_group):
            raise rule_error(*ENDPOINT_WITHOUT_GROUPS)
        if problem := endpoint_ip_address_type_problem(self.ip_address_type):
            raise rule_error(*problem)
        return self
