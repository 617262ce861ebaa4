"""The account program's VPC resources: its resource gateways and configurations, and consumers that reach the
network through a service-network VPC endpoint. Kept apart from `account.py` so the account program only calls
`check` before registering anything and `register` after.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import pulumi

from ..components.resource_configuration import ResourceConfiguration
from ..components.resource_gateway import ResourceGateway
from ..components.service_network_endpoint import ServiceNetworkEndpoint
from ..config import AccountStackConfig
from ..inputs import resource_inputs


def check(config: AccountStackConfig, network: dict[str, Any]) -> list[str]:
    """Every problem of the stack's resources, as `lattice:<key path>: rule`, before anything is registered:
    `shareWith` names the registry does not know, and what the API model would reject."""
    problems = []
    for name, configuration in config.resource_configurations.items():
        for index, entry in enumerate(configuration.share_with):
            try:
                resource_inputs.share_principals([entry], network.get("accounts") or {}, network.get("organizationArn"))
            except KeyError as error:
                problems.append(f"lattice:resourceConfigurations.{name}.shareWith[{index}]: {error.args[0]}")
    problems += [
        f"lattice:{problem}"
        for problem in resource_inputs.preflight(
            config.resource_gateways, config.resource_configurations, network["serviceNetworkArn"]
        )
    ]
    return problems


def register(
    config: AccountStackConfig, network: dict[str, Any], opts: pulumi.ResourceOptions, joined: Sequence[pulumi.Resource]
) -> dict[str, Any]:
    """Register the gateways, configurations and endpoint consumers; returns the stack's `resources` export."""
    gateways = {
        name: ResourceGateway(name, {"name": name, **spec.to_args()}, opts=opts)
        for name, spec in config.resource_gateways.items()
    }
    exported: dict[str, Any] = {"gateways": {name: g.resource_gateway_id for name, g in gateways.items()}, "configurations": {}}
    for name, spec in config.resource_configurations.items():
        principals, external = resource_inputs.share_principals(
            spec.share_with, network.get("accounts") or {}, network.get("organizationArn")
        )
        args = {key: value for key, value in spec.to_args().items() if key not in ("resource_gateway", "share_with")}
        gateway = gateways.get(spec.resource_gateway)
        configuration = ResourceConfiguration(
            name,
            {
                "name": name,
                **args,
                "resource_gateway_id": gateway.resource_gateway_id if gateway else spec.resource_gateway,
                "service_network_arn": network["serviceNetworkArn"],
                "share_principals": principals,
                "allow_external_principals": external,
            },
            opts=opts,
            join_after=joined,
        )
        exported["configurations"][name] = {
            "arn": configuration.resource_configuration_arn, "shareArn": configuration.share_arn,
        }
    return exported


def register_endpoint(name: str, consumer_args: dict[str, Any], network: dict[str, Any], opts: pulumi.ResourceOptions,
                      joined: Sequence[pulumi.Resource]) -> ServiceNetworkEndpoint:
    """A consumer with `via: endpoint`."""
    return ServiceNetworkEndpoint(name, {"service_network_arn": network["serviceNetworkArn"], **consumer_args}, opts=opts, join_after=joined)
