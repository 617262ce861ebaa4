"""Pulumi components for Amazon VPC Lattice.

    from lattice_components import ServiceNetwork, LatticeService, ConsumerVpcAttachment, ShareAccepter
    from lattice_components import LatticeServiceArgs, TargetGroupType, ListenerProtocol  # args types, modes
    from lattice_components import ResourceGateway, ResourceConfiguration, ServiceNetworkEndpoint

The components and their args types are loaded on first use (PEP 562), so `import lattice_components` stays cheap
for what imports only a part of the package: the policy pack (`lattice_components.policies`) and the `lattice`
CLI's commands that register nothing.

Where things are (imports point down this list, never up):
- `tools/`: what runs the rest offline: the mock runner, `lattice plan`, topology, access matrix, SigV4 invoke,
  the CLI, the component-package host, the policy-pack client.
- `programs/`: the two stack programs (shared network, account).
- `policies/`: the CrossGuard policies that `policy_pack/` serves.
- `components/`: the Pulumi components, one module each, with their args types.
- `inputs/`: pure functions from a validated spec to each child resource's inputs.
- `config/`: the schema of stack config and component args, its reader, `ConfigError`.
- `apimodel/`, `iam/`: botocore's Lattice API model and its checks; IAM policy evaluation.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .components import (
        AuthType,
        DnsIpAddressType,
        EndpointIpAddressType,
        ResourceConfigDnsResolution,
        ResourceConfigurationProtocol,
        ResourceConfigurationType,
        ResourceGatewayIpAddressType,
        HealthCheckProtocol,
        HealthCheckProtocolVersion,
        ListenerProtocol,
        TargetGroupProtocol,
        TargetGroupIpAddressType,
        TargetGroupLambdaEventStructureVersion,
        TargetGroupProtocolVersion,
        TargetGroupType,
        ConsumerVpcAttachment,
        ConsumerVpcAttachmentArgs,
        LatticeService,
        LatticeServiceArgs,
        LatticeTargetGroup,
        LatticeTargetGroupArgs,
        ResourceConfiguration,
        ResourceConfigurationArgs,
        ResourceGateway,
        ResourceGatewayArgs,
        ServiceNetwork,
        ServiceNetworkArgs,
        ServiceNetworkEndpoint,
        ServiceNetworkEndpointArgs,
        ShareAccepter,
        ShareAccepterArgs,
    )
    from .config import ConfigError

_EXPORTS = {
    "AuthType": ".components",
    "DnsIpAddressType": ".components",
    "EndpointIpAddressType": ".components",
    "ResourceConfigDnsResolution": ".components",
    "ResourceConfigurationProtocol": ".components",
    "ResourceConfigurationType": ".components",
    "ResourceGatewayIpAddressType": ".components",
    "HealthCheckProtocol": ".components",
    "HealthCheckProtocolVersion": ".components",
    "ListenerProtocol": ".components",
    "TargetGroupProtocol": ".components",
    "TargetGroupIpAddressType": ".components",
    "TargetGroupLambdaEventStructureVersion": ".components",
    "TargetGroupProtocolVersion": ".components",
    "TargetGroupType": ".components",
    "ConsumerVpcAttachment": ".components",
    "ConsumerVpcAttachmentArgs": ".components",
    "LatticeService": ".components",
    "LatticeServiceArgs": ".components",
    "LatticeTargetGroup": ".components",
    "LatticeTargetGroupArgs": ".components",
    "ResourceConfiguration": ".components",
    "ResourceConfigurationArgs": ".components",
    "ResourceGateway": ".components",
    "ResourceGatewayArgs": ".components",
    "ServiceNetworkEndpoint": ".components",
    "ServiceNetworkEndpointArgs": ".components",
    "ServiceNetwork": ".components",
    "ServiceNetworkArgs": ".components",
    "ShareAccepter": ".components",
    "ShareAccepterArgs": ".components",
    "ConfigError": ".config",
}

__all__ = sorted(_EXPORTS)


def __getattr__(name: str) -> Any:
    if name not in _EXPORTS:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(_EXPORTS[name], __name__), name)
    globals()[name] = value  # later lookups skip this function
    return value


def __dir__() -> list[str]:
    return sorted([*globals(), *_EXPORTS])
