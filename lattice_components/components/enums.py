"""The named modes of the components' arguments, as enums: generated SDKs offer them for completion, and the
package schema lists their values.

Each has exactly the values of botocore's Lattice API model for the member it feeds (`tests/test_components.py`
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
