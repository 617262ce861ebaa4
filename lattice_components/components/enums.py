"""The named modes of the components' arguments, as enums: generated SDKs offer them for completion, and the
package schema lists their values.

Each has exactly the values of botocore's model for the member it feeds (Lattice's; EC2's for the endpoint), narrowed
only where the model's documentation or the component narrows them, as said at each (`tests/test_package_schema.py`
holds them to it). A Python program may pass a member (`TargetGroupType.IP`) or its value (`"IP"`): members are
strings, and validation takes either.
"""

# No `from __future__ import annotations` here: the package host (hosting.py) reads annotations at run time.
from enum import StrEnum


class TargetGroupType(StrEnum):
    """The kind of compute behind a target group."""

    INSTANCE = "INSTANCE"
    """EC2 instances, by instance ID."""
    IP = "IP"
    """IP addresses."""
    LAMBDA = "LAMBDA"
    """One Lambda function, by ARN."""
    ALB = "ALB"
    """One Application Load Balancer, by ARN."""


class TargetGroupProtocol(StrEnum):
    """The protocol Lattice speaks to the targets."""

    HTTP = "HTTP"
    """HTTP."""
    HTTPS = "HTTPS"
    """HTTPS."""
    TCP = "TCP"
    """TCP (for TLS_PASSTHROUGH listeners)."""


class TargetGroupProtocolVersion(StrEnum):
    """The HTTP version Lattice speaks to the targets."""

    HTTP1 = "HTTP1"
    """HTTP/1.1 (the API's default)."""
    HTTP2 = "HTTP2"
    """HTTP/2."""
    GRPC = "GRPC"
    """gRPC."""


class TargetGroupIpAddressType(StrEnum):
    """The addresses an IP target group registers."""

    IPV4 = "IPV4"
    """IPv4 (the API's default)."""
    IPV6 = "IPV6"
    """IPv6."""


class TargetGroupLambdaEventStructureVersion(StrEnum):
    """The shape of the event a LAMBDA target group's function receives."""

    V1 = "V1"
    """Version 1 (the API's default)."""
    V2 = "V2"
    """Version 2: multi-value headers and query strings."""


class HealthCheckProtocol(StrEnum):
    """The protocol of a health check."""

    HTTP = "HTTP"
    """HTTP."""
    HTTPS = "HTTPS"
    """HTTPS."""
    # The model's enum for HealthCheckConfig.protocol is the target group's (it lists TCP too); its documentation
    # narrows it: "The possible protocols are HTTP and HTTPS." The schema offers what the API accepts.


class HealthCheckProtocolVersion(StrEnum):
    """The HTTP version of a health check."""

    HTTP1 = "HTTP1"
    """HTTP/1.1 (the default)."""
    HTTP2 = "HTTP2"
    """HTTP/2."""


class ListenerProtocol(StrEnum):
    """The protocol a listener accepts."""

    HTTP = "HTTP"
    """HTTP."""
    HTTPS = "HTTPS"
    """HTTPS, terminated by Lattice."""
    TLS_PASSTHROUGH = "TLS_PASSTHROUGH"
    """TLS passed through to TCP target groups; needs the service's custom domain."""


class AuthType(StrEnum):
    """How a service network or service authorizes requests."""

    AWS_IAM = "AWS_IAM"
    """Every request is SigV4-signed and checked against the auth policy."""
    NONE = "NONE"
    """No authorization: anyone who can reach it may call it."""


# --------------------------------------------------------------------------------------------------------------
# Resource gateways, resource configurations and service-network endpoints (issue #15)
# --------------------------------------------------------------------------------------------------------------


class ResourceGatewayIpAddressType(StrEnum):
    """The addresses a resource gateway's interfaces have; they must suit its subnets and its resources."""

    IPV4 = "IPV4"
    """IPv4 (the default)."""
    IPV6 = "IPV6"
    """IPv6."""
    DUALSTACK = "DUALSTACK"
    """IPv4 and IPv6."""


class ResourceConfigDnsResolution(StrEnum):
    """Where the DNS names of a gateway's resource configurations are resolved."""

    IN_VPC = "IN_VPC"
    """In the gateway's VPC (private hosted zones apply)."""
    PUBLIC = "PUBLIC"
    """By public DNS (the API's default)."""


class ResourceConfigurationType(StrEnum):
    """What a resource configuration stands for."""

    SINGLE = "SINGLE"
    """One resource, by DNS name or IP address."""
    GROUP = "GROUP"
    """A group of CHILD resources, each by DNS name or IP address."""
    ARN = "ARN"
    """An AWS resource by ARN, such as an RDS database."""
    # The model also lists CHILD and CIDR. A CHILD is written under its GROUP's `children` (the component
    # creates it with the group's ID); a CIDR configuration has no pulumi-aws 7 input. The schema offers what
    # the component takes.


class ResourceConfigurationProtocol(StrEnum):
    """The protocol consumers use to reach a resource."""

    TCP = "TCP"
    """TCP (the API's default)."""
    # The model also lists TCP_UDP; its documentation says "TCP_UDP is supported only for CIDR resource
    # configurations", which the component does not create.


class DnsIpAddressType(StrEnum):
    """The address family a resource's DNS name resolves to."""

    IPV4 = "IPV4"
    """IPv4 (the default)."""
    IPV6 = "IPV6"
    """IPv6."""
    # The model also lists DUALSTACK; its documentation says "Dualstack is currently not supported."


class EndpointIpAddressType(StrEnum):
    """The addresses of a service-network VPC endpoint's interfaces (EC2's `CreateVpcEndpoint` values, lowercase)."""

    IPV4 = "ipv4"
    """IPv4."""
    DUALSTACK = "dualstack"
    """IPv4 and IPv6."""
    IPV6 = "ipv6"
    """IPv6."""
