"""The inputs of resource gateways, resource configurations, their network association and RAM share, and of a
consumer's service-network VPC endpoint, as pure functions of validated specs; and the preflight that checks
them against the AWS API model before anything is registered.

The components register with these functions and the preflight checks their output, so what is checked is
what is registered (as `service_inputs` does for services).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import pulumi
from pulumi.runtime.rpc import UNKNOWN

from .. import apimodel
from ..config.resources import ChildResourceSpec, HostSpec, ResourceConfigurationBase, ResourceGatewaySpec
from .service_inputs import engine_shape

GATEWAY = "aws:vpclattice/resourceGateway:ResourceGateway"
CONFIGURATION = "aws:vpclattice/resourceConfiguration:ResourceConfiguration"
ASSOCIATION = "aws:vpclattice/serviceNetworkResourceAssociation:ServiceNetworkResourceAssociation"
ENDPOINT = "aws:ec2/vpcEndpoint:VpcEndpoint"
ORGANIZATION = "organization"
"""The `shareWith` entry that stands for the whole AWS Organization."""


def _listed(values: Any) -> Any:
    """A list input: a copy of a plain list (None when empty), or another resource's output as it is."""
    return values if isinstance(values, pulumi.Output) else (list(values) or None)


def _tags(*maps: Any) -> Any:
    """Tags merged left to right (a CHILD's over its group's); an Output when any map is one."""
    if any(isinstance(tags, pulumi.Output) for tags in maps):
        return pulumi.Output.all(*maps).apply(lambda resolved: {k: v for tags in resolved for k, v in tags.items()})
    return {key: value for tags in maps for key, value in tags.items()}


def gateway(name: str, spec: ResourceGatewaySpec) -> dict[str, Any]:
    return {
        "name": name,
        "vpc_id": spec.vpc_id,
        "subnet_ids": _listed(spec.subnet_ids),
        "security_group_ids": _listed(spec.security_group_ids),
        "ip_address_type": spec.ip_address_type,
        "ipv4_addresses_per_eni": spec.ipv4_addresses_per_eni,
        "resource_config_dns_resolution": spec.resource_config_dns_resolution,
        "tags": _tags(spec.tags),
    }


def definition(spec: HostSpec) -> dict[str, Any] | None:
    """The API's union `resourceConfigurationDefinition` (pulumi-aws names)."""
    if spec.dns_name is not None:
        return {"dns_resource": {"domain_name": spec.dns_name, "ip_address_type": spec.dns_ip_address_type}}
    if spec.ip_address is not None:
        return {"ip_resource": {"ip_address": spec.ip_address}}
    if getattr(spec, "arn", None) is not None:
        return {"arn_resource": {"arn": spec.arn}}
    return None


def configuration(name: str, spec: ResourceConfigurationBase, gateway_id: Any) -> dict[str, Any]:
    """SINGLE, GROUP or ARN: the configuration itself (a GROUP's children are `child`)."""
    shareable = spec.allow_association_to_shareable_service_network
    if shareable is None and spec.associate:
        # The network is shared through RAM (it is a "shareable" network): without this the association fails.
        shareable = True
    return {
        "name": name,
        "type": spec.type,
        "resource_gateway_identifier": gateway_id,
        "port_ranges": list(spec.port_ranges) if spec.port_ranges else None,
        "protocol": spec.protocol or ("TCP" if spec.type in ("SINGLE", "GROUP") else None),
        "resource_configuration_definition": definition(spec),
        "custom_domain_name": spec.custom_domain_name,
        "domain_verification_id": spec.domain_verification_id,
        "allow_association_to_shareable_service_network": shareable,
        "tags": _tags(spec.tags),
    }


def child(name: str, group: ResourceConfigurationBase, spec: ChildResourceSpec, group_id: Any) -> dict[str, Any]:
    """A CHILD: it names its GROUP and inherits the group's gateway and protocol."""
    return {
        "name": name,
        "type": "CHILD",
        "resource_configuration_group_id": group_id,
        "port_ranges": group.effective_port_ranges(spec),
        "resource_configuration_definition": definition(spec),
        "custom_domain_name": spec.custom_domain_name,
        "tags": _tags(group.tags, spec.tags),
    }


def association(spec: ResourceConfigurationBase, configuration_id: Any, network_arn: Any) -> dict[str, Any]:
    return {
        "resource_configuration_identifier": configuration_id,
        "service_network_identifier": network_arn,
        "private_dns_enabled": spec.private_dns_enabled,
        "tags": _tags(spec.tags),
    }


def share_principals(share_with: Sequence[str], accounts: Mapping[str, Mapping[str, Any]], organization_arn: str | None) -> tuple[list[str], bool]:
    """RAM principals for `shareWith` names, and whether the share must allow principals outside the organization.

    Raises KeyError naming the first entry the registry does not know (the program reports it with its key path).
    """
    principals: list[str] = []
    external = False
    for entry in share_with:
        if entry == ORGANIZATION:
            if not organization_arn:
                raise KeyError(f"{entry!r}: the network stack exports no organizationArn to share with")
            principals.append(organization_arn)
        elif entry in accounts:
            principals.append(str(accounts[entry]["id"]))
            external = external or not accounts[entry].get("inOrganization", True)
        else:
            raise KeyError(f"{entry!r} is neither 'organization' nor one of the network's accounts {sorted(accounts)}")
    return principals, external


def endpoint(vpc_id: Any, subnet_ids: Any, security_group_ids: Sequence[Any], network_arn: Any,
             private_dns_enabled: bool | None, ip_address_type: str | None, tags: Any) -> dict[str, Any]:
    return {
        "vpc_id": vpc_id,
        "vpc_endpoint_type": "ServiceNetwork",
        "service_network_arn": network_arn,
        "subnet_ids": _listed(subnet_ids),
        "security_group_ids": _listed(security_group_ids),
        "private_dns_enabled": private_dns_enabled,
        "ip_address_type": ip_address_type,
        "tags": _tags(tags),
    }


def _configuration_children(
    name: str, spec: ResourceConfigurationBase, gateway_id: Any, network_arn: Any
) -> list[tuple[str, str, dict[str, Any]]]:
    """(type token, key path within the configuration, inputs) of what one configuration registers, IDs unknown."""
    planned = [(CONFIGURATION, "", configuration(name, spec, gateway_id))]
    planned += [
        (CONFIGURATION, f"children.{child_name}", child(child_name, spec, child_spec, UNKNOWN))
        for child_name, child_spec in spec.children.items()
    ]
    if spec.associate:
        planned.append((ASSOCIATION, "associate", association(spec, UNKNOWN, network_arn)))
    return planned


def planned_children(
    gateways: Mapping[str, ResourceGatewaySpec], configurations: Mapping[str, ResourceConfigurationBase], network_arn: Any
) -> list[tuple[str, str, dict[str, Any]]]:
    """(type token, key path, inputs) of every Lattice resource the stack's resources will register, IDs unknown."""
    planned = [(GATEWAY, f"resourceGateways.{name}", gateway(name, spec)) for name, spec in gateways.items()]
    for name, spec in configurations.items():
        # A stack names a gateway of the stack (its ID unknown here) or gives a gateway ID.
        named = getattr(spec, "resource_gateway", None)
        gateway_id = UNKNOWN if named in gateways else named
        planned += [
            (type_token, ".".join(part for part in (f"resourceConfigurations.{name}", where) if part), inputs)
            for type_token, where, inputs in _configuration_children(name, spec, gateway_id, network_arn)
        ]
    return planned


def preflight(
    gateways: Mapping[str, ResourceGatewaySpec], configurations: Mapping[str, ResourceConfigurationBase], network_arn: Any
) -> list[str]:
    """What the AWS API would reject: `key path: api path: rule`, one per problem."""
    return [
        f"{where}: {violation}"
        for type_token, where, inputs in planned_children(gateways, configurations, network_arn)
        for violation in apimodel.check_resource(type_token, engine_shape(inputs))
    ]


# --------------------------------------------------------------------------------------------------------------
# The same preflight for the components, each problem under the argument that holds the value
# --------------------------------------------------------------------------------------------------------------

_ARGUMENTS = {
    # engine input path -> the component argument it comes from, where the names differ
    CONFIGURATION: {
        "resourceGatewayIdentifier": "resourceGatewayId",
        "resourceConfigurationDefinition.dnsResource.domainName": "dnsName",
        "resourceConfigurationDefinition.dnsResource.ipAddressType": "dnsIpAddressType",
        "resourceConfigurationDefinition.ipResource.ipAddress": "ipAddress",
        "resourceConfigurationDefinition.arnResource.arn": "arn",
    },
    ASSOCIATION: {"serviceNetworkIdentifier": "serviceNetworkArn"},
}


def argument_path(type_token: str, engine_path: str) -> str:
    """The argument an engine input path comes from (`resourceGatewayIdentifier` -> `resourceGatewayId`)."""
    for engine, argument in _ARGUMENTS.get(type_token, {}).items():
        if engine_path == engine or engine_path.startswith((f"{engine}.", f"{engine}[")):
            return argument + engine_path[len(engine):]
    return engine_path


def _argument_problems(planned: Sequence[tuple[str, str, dict[str, Any]]]) -> list[str]:
    problems = []
    for type_token, where, inputs in planned:
        # The association's inputs are the configuration's own arguments (`privateDnsEnabled`, `tags`).
        prefix = "" if type_token == ASSOCIATION else where
        for violation in apimodel.check_resource(type_token, engine_shape(inputs)):
            path = ".".join(part for part in (prefix, argument_path(type_token, violation.path)) if part)
            problems.append(f"{path}: {violation.rule}" if path else violation.rule)
    return problems


def gateway_preflight(spec: Any) -> list[str]:
    """What the API would reject in a `ResourceGateway`'s gateway: `argument path: rule`, one per problem."""
    return _argument_problems([(GATEWAY, "", gateway(spec.name, spec))])


def configuration_preflight(spec: Any) -> list[str]:
    """What the API would reject among a `ResourceConfiguration`'s children: `argument path: rule`, one per problem."""
    return _argument_problems(_configuration_children(spec.name, spec, spec.resource_gateway_id, spec.service_network_arn))
