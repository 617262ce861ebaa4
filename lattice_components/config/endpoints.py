"""`ServiceNetworkEndpoint` args: a consumer VPC that reaches the network through a VPC endpoint of type
ServiceNetwork instead of a VPC association (the stack's `consumers.<name>.via: endpoint`)."""

from __future__ import annotations

from typing import Any

from pydantic import Field, model_validator

from .base import rule_error
from .resources import consumer_via_problem
from .stacks import ConsumerSpec


class ServiceNetworkEndpointSpec(ConsumerSpec):
    """A consumer spec of `via: endpoint` (its subnets), and the network it reaches."""

    subnet_ids: list[str]
    ip_address_type: str | None = None
    service_network_arn: Any
    tags: dict[str, str] = Field(default_factory=dict)

    @model_validator(mode="after")
    def _groups_for_the_endpoint(self) -> "ServiceNetworkEndpointSpec":
        has_groups = bool(self.security_group_ids or self.create_security_group)
        if problem := consumer_via_problem("endpoint", self.subnet_ids, self.ip_address_type, has_groups):
            raise rule_error(*problem)
        return self
