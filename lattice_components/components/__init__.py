"""The Pulumi components: one module each, with its args types. They register resources; the decisions they
wire (names, policy documents, weights, validation) come from `lattice_components.inputs` and
`lattice_components.config`."""

from .consumer_vpc import ConsumerVpcAttachment, ConsumerVpcAttachmentArgs
from .lattice_service import LatticeService, LatticeServiceArgs
from .target_group import LatticeTargetGroup, LatticeTargetGroupArgs
from .resource_configuration import ResourceConfiguration, ResourceConfigurationArgs
from .resource_gateway import ResourceGateway, ResourceGatewayArgs
from .service_network import ServiceNetwork, ServiceNetworkArgs
from .service_network_endpoint import ServiceNetworkEndpoint, ServiceNetworkEndpointArgs
from .share_accepter import ShareAccepter, ShareAccepterArgs
from .enums import (
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
)

__all__ = [
    "AuthType",
    "DnsIpAddressType",
    "EndpointIpAddressType",
    "ResourceConfigDnsResolution",
    "ResourceConfigurationProtocol",
    "ResourceConfigurationType",
    "ResourceGatewayIpAddressType",
    "HealthCheckProtocol",
    "HealthCheckProtocolVersion",
    "ListenerProtocol",
    "TargetGroupProtocol",
    "TargetGroupIpAddressType",
    "TargetGroupLambdaEventStructureVersion",
    "TargetGroupProtocolVersion",
    "TargetGroupType",
    "ConsumerVpcAttachment",
    "ConsumerVpcAttachmentArgs",
    "LatticeService",
    "LatticeServiceArgs",
    "LatticeTargetGroup",
    "LatticeTargetGroupArgs",
    "ResourceConfiguration",
    "ResourceConfigurationArgs",
    "ResourceGateway",
    "ResourceGatewayArgs",
    "ServiceNetwork",
    "ServiceNetworkArgs",
    "ServiceNetworkEndpoint",
    "ServiceNetworkEndpointArgs",
    "ShareAccepter",
    "ShareAccepterArgs",
]
