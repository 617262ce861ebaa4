"""Scenarios for `api_check`: pulumi-aws VPC Lattice inputs checked against AWS's API model before deploy.

Every scenario reads GIVEN (valid inputs of one resource kind, one value changed) / WHEN (`check_resource`)
/ THEN (the exact message a platform engineer would read). Property tests sample values inside and outside the
model's bounds; the model-patching tests prove the bounds are read from botocore, not copied into our code.
"""

from __future__ import annotations

import copy
import json
import re
from dataclasses import dataclass
from typing import Any

import pulumi
import pytest
from botocore.model import ServiceModel
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from lattice_components import apimodel
from lattice_components.apimodel import model as api_model
from lattice_components.apimodel import (
    RESOURCE_MAPPINGS,
    ApiViolation,
    StackResource,
    api_member_for,
    check_resource,
    check_stack,
    property_limits,
    sdk_inputs,
)


# -- type tokens ------------------------------------------------------------------------------------------------
SERVICE_NETWORK = "aws:vpclattice/serviceNetwork:ServiceNetwork"
SERVICE = "aws:vpclattice/service:Service"
TARGET_GROUP = "aws:vpclattice/targetGroup:TargetGroup"
ATTACHMENT = "aws:vpclattice/targetGroupAttachment:TargetGroupAttachment"
LISTENER = "aws:vpclattice/listener:Listener"
RULE = "aws:vpclattice/listenerRule:ListenerRule"
AUTH_POLICY = "aws:vpclattice/authPolicy:AuthPolicy"
RESOURCE_POLICY = "aws:vpclattice/resourcePolicy:ResourcePolicy"
VPC_ASSOCIATION = "aws:vpclattice/serviceNetworkVpcAssociation:ServiceNetworkVpcAssociation"
SERVICE_ASSOCIATION = "aws:vpclattice/serviceNetworkServiceAssociation:ServiceNetworkServiceAssociation"
RESOURCE_ASSOCIATION = "aws:vpclattice/serviceNetworkResourceAssociation:ServiceNetworkResourceAssociation"
ACCESS_LOGS = "aws:vpclattice/accessLogSubscription:AccessLogSubscription"
GATEWAY = "aws:vpclattice/resourceGateway:ResourceGateway"
RESOURCE_CONFIG = "aws:vpclattice/resourceConfiguration:ResourceConfiguration"
DOMAIN = "aws:vpclattice/domainVerification:DomainVerification"

# -- identifiers in the API's formats -----------------------------------------------------------------------
ACCOUNT = "123456789012"
SUFFIX = "0123456789abcdef0"  # 17 lowercase letters or digits
SVC_ID, TG_ID, TG2_ID = f"svc-{SUFFIX}", f"tg-{SUFFIX}", "tg-0123456789abcdef1"
SN_ID, LISTENER_ID, RCFG_ID, RGW_ID, DV_ID = (f"{p}-{SUFFIX}" for p in ("sn", "listener", "rcfg", "rgw", "dv"))
VPC_ID, SG_ID = f"vpc-{SUFFIX}", f"sg-{SUFFIX}"
ARN = f"arn:aws:vpc-lattice:us-east-1:{ACCOUNT}"
SVC_ARN, SN_ARN = f"{ARN}:service/{SVC_ID}", f"{ARN}:servicenetwork/{SN_ID}"
LISTENER_ARN = f"{SVC_ARN}/listener/{LISTENER_ID}"

ALLOW_INVOKE = {
    "Version": "2012-10-17",
    "Statement": [
        {
            "Effect": "Allow",
            "Principal": {"AWS": f"arn:aws:iam::{ACCOUNT}:root"},
            "Action": "vpc-lattice-svcs:Invoke",
            "Resource": "*",
            "Condition": {"StringEquals": {"aws:PrincipalOrgID": "o-abc123def4"}},
        }
    ],
}

# Valid engine inputs of every aws:vpclattice/* kind, as the engine sends them (camelCase, numbers as floats).
VALID: dict[str, dict[str, Any]] = {
    SERVICE_NETWORK: {"name": "core-network", "authType": "AWS_IAM", "tags": {"team": "platform"}},
    SERVICE: {
        "name": "orders",
        "authType": "AWS_IAM",
        "customDomainName": "orders.example.com",
        "certificateArn": f"arn:aws:acm:us-east-1:{ACCOUNT}:certificate/0a1b2c3d-1111-2222-3333-444455556666",
        "idleTimeoutSeconds": 300.0,
        "tags": {"team": "orders"},
    },
    TARGET_GROUP: {
        "name": "orders-http",
        "type": "IP",
        "config": {
            "port": 8080.0,
            "protocol": "HTTP",
            "protocolVersion": "HTTP1",
            "ipAddressType": "IPV4",
            "vpcIdentifier": VPC_ID,
            "healthCheck": {
                "enabled": True,
                "healthCheckIntervalSeconds": 30.0,
                "healthCheckTimeoutSeconds": 5.0,
                "healthyThresholdCount": 5.0,
                "unhealthyThresholdCount": 2.0,
                "matcher": {"value": "200-299"},
                "path": "/health",
                "port": 8080.0,
                "protocol": "HTTP",
                "protocolVersion": "HTTP1",
            },
        },
    },
    ATTACHMENT: {"targetGroupIdentifier": TG_ID, "target": {"id": "10.0.1.15", "port": 8080.0}},
    LISTENER: {
        "name": "orders-https",
        "protocol": "HTTPS",
        "port": 443.0,
        "serviceIdentifier": SVC_ID,
        "defaultAction": {
            "forwards": [
                {
                    "targetGroups": [
                        {"targetGroupIdentifier": TG_ID, "weight": 90.0},
                        {"targetGroupIdentifier": TG2_ID, "weight": 10.0},
                    ]
                }
            ]
        },
    },
    RULE: {
        "name": "orders-api",
        "serviceIdentifier": SVC_ID,
        "listenerIdentifier": LISTENER_ID,
        "priority": 10.0,
        "match": {
            "httpMatch": {
                "method": "GET",
                "pathMatch": {"match": {"prefix": "/api"}, "caseSensitive": False},
                "headerMatches": [{"name": "x-canary", "match": {"exact": "true"}, "caseSensitive": False}],
            }
        },
        "action": {"forward": {"targetGroups": [{"targetGroupIdentifier": TG_ID, "weight": 1.0}]}},
    },
    AUTH_POLICY: {"resourceIdentifier": SVC_ARN, "policy": json.dumps(ALLOW_INVOKE, indent=2)},
    RESOURCE_POLICY: {"resourceArn": SN_ARN, "policy": json.dumps(ALLOW_INVOKE)},
    VPC_ASSOCIATION: {
        "serviceNetworkIdentifier": SN_ARN,
        "vpcIdentifier": VPC_ID,
        "securityGroupIds": [SG_ID],
        "privateDnsEnabled": True,
        "dnsOptions": {
            "privateDnsPreference": "SPECIFIED_DOMAINS_ONLY",
            "privateDnsSpecifiedDomains": ["*.example.com"],
        },
    },
    SERVICE_ASSOCIATION: {"serviceIdentifier": SVC_ID, "serviceNetworkIdentifier": SN_ARN, "tags": {"team": "orders"}},
    RESOURCE_ASSOCIATION: {
        "resourceConfigurationIdentifier": RCFG_ID,
        "serviceNetworkIdentifier": SN_ID,
        "privateDnsEnabled": True,
    },
    ACCESS_LOGS: {
        "resourceIdentifier": SN_ID,
        "destinationArn": f"arn:aws:logs:us-east-1:{ACCOUNT}:log-group:/lattice/core",
        "serviceNetworkLogType": "SERVICE",
    },
    GATEWAY: {
        "name": "db-gateway",
        "vpcId": VPC_ID,
        "subnetIds": [f"subnet-{SUFFIX}"],
        "securityGroupIds": [SG_ID],
        "ipAddressType": "IPV4",
        "ipv4AddressesPerEni": 16.0,
        "resourceConfigDnsResolution": "IN_VPC",
    },
    RESOURCE_CONFIG: {
        "name": "orders-db",
        "type": "SINGLE",
        "protocol": "TCP",
        "portRanges": ["5432", "8000-8080"],
        "resourceGatewayIdentifier": RGW_ID,
        "customDomainName": "db.example.com",
        "domainVerificationId": DV_ID,
        "allowAssociationToShareableServiceNetwork": True,
        "resourceConfigurationDefinition": {
            "dnsResource": {"domainName": "db.internal.example.com", "ipAddressType": "IPV4"}
        },
    },
    DOMAIN: {"domainName": "example.com"},
}

# Further valid shapes of the same kinds: other types, other union members, the edges of the patterns.
VALID_VARIANTS: list[tuple[str, str, dict[str, Any]]] = [
    (
        "LAMBDA target group with only a Lambda event version",
        TARGET_GROUP,
        {"name": "orders-fn", "type": "LAMBDA", "config": {"lambdaEventStructureVersion": "V2"}},
    ),
    ("LAMBDA target group without config", TARGET_GROUP, {"type": "LAMBDA"}),
    (
        "ALB target group without health check",
        TARGET_GROUP,
        {"type": "ALB", "config": {"port": 80.0, "protocol": "HTTP", "vpcIdentifier": "vpc-01234567"}},
    ),
    (
        "TCP target group for TLS passthrough",
        TARGET_GROUP,
        {"type": "INSTANCE", "config": {"port": 443.0, "protocol": "TCP", "vpcIdentifier": VPC_ID}},
    ),
    (
        "health check with an empty path and an empty matcher the provider fills",
        TARGET_GROUP,
        {"type": "INSTANCE", "config": {"vpcIdentifier": VPC_ID, "healthCheck": {"path": "", "matcher": {}}}},
    ),
    (
        "listener with a fixed 404",
        LISTENER,
        {"protocol": "HTTP", "serviceArn": SVC_ARN, "defaultAction": {"fixedResponse": {"statusCode": 404.0}}},
    ),
    (
        "TLS passthrough listener forwarding",
        LISTENER,
        {
            "protocol": "TLS_PASSTHROUGH",
            "port": 443.0,
            "serviceIdentifier": SVC_ID,
            "defaultAction": {"forwards": [{"targetGroups": [{"targetGroupIdentifier": TG_ID}]}]},
        },
    ),
    (
        "rule addressing its listener by ARN (a pattern alternative with its own ^...$)",
        RULE,
        {**VALID[RULE], "listenerIdentifier": LISTENER_ARN, "serviceIdentifier": SVC_ARN},
    ),
    (
        "rule with an exact path and a 500",
        RULE,
        {
            **VALID[RULE],
            "match": {"httpMatch": {"pathMatch": {"match": {"exact": "/orders/v1?x=1"}}}},
            "action": {"fixedResponse": {"statusCode": 500.0}},
        },
    ),
    (
        "attachment of a Lambda function without port",
        ATTACHMENT,
        {
            "targetGroupIdentifier": f"{ARN}:targetgroup/{TG_ID}",
            "target": {"id": f"arn:aws:lambda:us-east-1:{ACCOUNT}:function:orders"},
        },
    ),
    (
        "ARN resource configuration",
        RESOURCE_CONFIG,
        {
            "name": "orders-rds",
            "type": "ARN",
            "resourceGatewayIdentifier": RGW_ID,
            "resourceConfigurationDefinition": {"arnResource": {"arn": f"arn:aws:rds:us-east-1:{ACCOUNT}:db:orders"}},
        },
    ),
    (
        "CHILD resource configuration",
        RESOURCE_CONFIG,
        {
            "name": "orders-replica",
            "type": "CHILD",
            "resourceConfigurationGroupId": RCFG_ID,
            "portRanges": ["5432"],
            "resourceConfigurationDefinition": {"ipResource": {"ipAddress": "10.0.1.20"}},
        },
    ),
    (
        "GROUP resource configuration with port ranges and no definition (its children have them)",
        RESOURCE_CONFIG,
        {"name": "orders-replicas", "type": "GROUP", "protocol": "TCP", "portRanges": ["5432", "6000-6010"],
         "resourceGatewayIdentifier": RGW_ID, "allowAssociationToShareableServiceNetwork": True},
    ),
    (
        "SINGLE resource configuration by IPv6 address",
        RESOURCE_CONFIG,
        {"name": "orders-cache", "type": "SINGLE", "portRanges": ["6379"], "resourceGatewayIdentifier": RGW_ID,
         "resourceConfigurationDefinition": {"ipResource": {"ipAddress": "fd00:ec2::23"}}},
    ),
    (
        "dual-stack gateway in two subnets",
        GATEWAY,
        {"name": "db-gateway", "vpcId": VPC_ID, "subnetIds": [f"subnet-{SUFFIX}", "subnet-0123456789abcdef1"],
         "ipAddressType": "DUALSTACK", "ipv4AddressesPerEni": 62.0},
    ),
    (
        "VPC association without security groups or DNS options",
        VPC_ASSOCIATION,
        {"serviceNetworkIdentifier": SN_ID, "vpcIdentifier": "vpc-01234567"},
    ),
    ("auth policy of exactly 10 KB", AUTH_POLICY, {"resourceIdentifier": SVC_ID, "policy": None}),  # filled below
    ("service with only a name (defaults everywhere else)", SERVICE, {"name": "abc"}),
    (
        "inputs carrying the provider's bookkeeping keys",
        SERVICE,
        {"name": "orders", "region": "eu-west-1", "__defaults": []},
    ),
]


def _policy_of_size(size: int) -> str:
    statement = {"Effect": "Allow", "Principal": "*", "Action": "vpc-lattice-svcs:Invoke", "Resource": "*", "Sid": ""}
    document = {"Version": "2012-10-17", "Statement": [statement]}
    statement["Sid"] = "x" * (size - len(apimodel.compact_json(document)))
    assert len(apimodel.compact_json(document).encode()) == size
    return json.dumps(document, indent=4)  # pretty-printed: the provider compacts it before sending


VALID_VARIANTS = [
    (title, kind, {**props, "policy": _policy_of_size(apimodel.AUTH_POLICY_MAX_BYTES)} if "10 KB" in title else props)
    for title, kind, props in VALID_VARIANTS
]


# -- helpers ----------------------------------------------------------------------------------------------------

_STEP = re.compile(r"([^.\[\]]+)|\[(\d+)\]")
DELETE = object()


def changed(props: dict[str, Any], path: str, value: Any) -> dict[str, Any]:
    """A deep copy of `props` with the value at an engine path (`a.b[0].c`) replaced (or deleted with DELETE)."""
    result = copy.deepcopy(props)
    steps = [(key, int(index) if index else None) for key, index in _STEP.findall(path)]
    current: Any = result
    for key, index in steps[:-1]:
        if key:
            current = current.setdefault(key, {})
        else:
            current = current[index]
    key, index = steps[-1]
    container, slot = (current, key) if key else (current, index)
    if value is DELETE:
        del container[slot]
    elif isinstance(container, list) and slot == len(container):
        container.append(value)
    else:
        container[slot] = value
    return result


def messages(type_token: str, props: dict[str, Any], **options: Any) -> list[str]:
    return [str(violation) for violation in check_resource(type_token, props, **options)]


def pattern_of(root: str, path: str) -> str:
    return api_model.limits(root, path).pattern


# -- valid inputs pass -----------------------------------------------------------------------------------------


def test_every_lattice_kind_has_valid_inputs_in_this_file():
    assert set(VALID) == set(RESOURCE_MAPPINGS)


@pytest.mark.parametrize("kind", sorted(VALID))
def test_valid_inputs_of_every_kind_pass(kind):
    # GIVEN inputs a real program would send for this kind WHEN checked THEN nothing is reported
    assert messages(kind, VALID[kind]) == []


@pytest.mark.parametrize("title, kind, props", VALID_VARIANTS, ids=[title for title, _, _ in VALID_VARIANTS])
def test_valid_variants_pass(title, kind, props):
    assert messages(kind, props) == []


def test_other_providers_resources_are_not_checked():
    assert check_resource("aws:ram/resourceShare:ResourceShare", {"name": "Not A Lattice Name!"}) == []


# -- the table: one invalid value, one exact message -----------------------------------------------------------


@dataclass(frozen=True)
class Case:
    title: str
    kind: str
    path: str  # where the bad value goes ("" = use `props` as given)
    value: Any
    expected: tuple[str, ...]
    props: dict[str, Any] | None = None

    def inputs(self) -> dict[str, Any]:
        base = self.props if self.props is not None else VALID[self.kind]
        return changed(base, self.path, self.value) if self.path else copy.deepcopy(base)


NAME_HINT = "lowercase letters, digits and single hyphens, no hyphen first or last"
PATH_HINT = "a path starting with '/', using letters, digits and @:%_+.~#?&/=-"
SG_HINT = "'sg-' followed by 8 or 17 lowercase letters or digits"
VPC_HINT = "'vpc-' followed by 8 or 17 lowercase letters or digits"
HC = "config.healthCheck"
FORWARD = "defaultAction.forwards[0]"
HTTP_MATCH = "match.httpMatch"
LAMBDA_ONLY = "(API reference: 'Not supported if the target group type is LAMBDA.')"
_TWELVE = [{"targetGroupIdentifier": TG_ID, "weight": 1.0}] * 11
_HEADER = {"name": "x-canary", "match": {"exact": "true"}}

CASES: list[Case] = [
    # service network
    Case(
        "service network name with an underscore",
        SERVICE_NETWORK,
        "name",
        "core_net",
        (
            f"name: 'core_net' does not match the API pattern {pattern_of('CreateServiceNetwork', 'name')} ({NAME_HINT})",
        ),
    ),
    Case(
        "service network name with a double hyphen",
        SERVICE_NETWORK,
        "name",
        "core--net",
        (
            f"name: 'core--net' does not match the API pattern {pattern_of('CreateServiceNetwork', 'name')} ({NAME_HINT})",
        ),
    ),
    Case(
        "service network name too short",
        SERVICE_NETWORK,
        "name",
        "sn",
        ("name: 'sn' is 2 characters long; the API minimum is 3",),
    ),
    Case(
        "auth type the API does not know",
        SERVICE_NETWORK,
        "authType",
        "IAM",
        ("authType: 'IAM' is not one of the API values NONE, AWS_IAM",),
    ),
    # service
    Case(
        "service name starting with svc-",
        SERVICE,
        "name",
        "svc-orders",
        (
            f"name: 'svc-orders' does not match the API pattern {pattern_of('CreateService', 'name')} ({NAME_HINT}; may not start with 'svc-')",
        ),
    ),
    Case(
        "service name in mixed case",
        SERVICE,
        "name",
        "Order_Svc",
        (
            f"name: 'Order_Svc' does not match the API pattern {pattern_of('CreateService', 'name')} ({NAME_HINT}; may not start with 'svc-')",
        ),
    ),
    Case(
        "service name of 41 characters",
        SERVICE,
        "name",
        "o" * 41,
        (f"name: '{'o' * 41}' is 41 characters long; the API maximum is 40",),
    ),
    Case(
        "idle timeout below the minimum",
        SERVICE,
        "idleTimeoutSeconds",
        30.0,
        ("idleTimeoutSeconds: 30 is below the API minimum 60",),
    ),
    Case(
        "idle timeout above the maximum",
        SERVICE,
        "idleTimeoutSeconds",
        601.0,
        ("idleTimeoutSeconds: 601 is above the API maximum 600",),
    ),
    Case(
        "idle timeout that is not whole",
        SERVICE,
        "idleTimeoutSeconds",
        90.5,
        ("idleTimeoutSeconds: 90.5 is not a whole number",),
    ),
    Case(
        "custom domain too short",
        SERVICE,
        "customDomainName",
        "ab",
        ("customDomainName: 'ab' is 2 characters long; the API minimum is 3",),
    ),
    Case(
        "certificate that is not an ACM ARN",
        SERVICE,
        "certificateArn",
        "orders-cert",
        (
            f"certificateArn: 'orders-cert' does not match the API pattern {pattern_of('CreateService', 'certificateArn')} (an ACM certificate ARN)",
        ),
    ),
    Case(
        "tag value over 256 characters",
        SERVICE,
        "tags.team",
        "t" * 257,
        (f"tags.team: '{'t' * 97}...' is 257 characters long; the API maximum is 256",),
    ),
    Case(
        "201 tags",
        SERVICE,
        "tags",
        {f"k{i}": "v" for i in range(201)},
        ("tags: has 201 entries; the API allows at most 200",),
    ),
    # target group
    Case(
        "target group type the API does not know",
        TARGET_GROUP,
        "type",
        "LAMBDAS",
        ("type: 'LAMBDAS' is not one of the API values IP, LAMBDA, INSTANCE, ALB",),
    ),
    Case(
        "target group name starting with tg-",
        TARGET_GROUP,
        "name",
        "tg-orders",
        (
            f"name: 'tg-orders' does not match the API pattern {pattern_of('CreateTargetGroup', 'name')} ({NAME_HINT}; may not start with 'tg-')",
        ),
    ),
    Case("target port 0", TARGET_GROUP, "config.port", 0.0, ("config.port: 0 is below the API minimum 1",)),
    Case(
        "target port 70000",
        TARGET_GROUP,
        "config.port",
        70000.0,
        ("config.port: 70000 is above the API maximum 65535",),
    ),
    Case(
        "target protocol UDP",
        TARGET_GROUP,
        "config.protocol",
        "UDP",
        ("config.protocol: 'UDP' is not one of the API values HTTP, HTTPS, TCP",),
    ),
    Case(
        "target protocol version HTTP3",
        TARGET_GROUP,
        "config.protocolVersion",
        "HTTP3",
        ("config.protocolVersion: 'HTTP3' is not one of the API values HTTP1, HTTP2, GRPC",),
    ),
    Case(
        "VPC ID of the wrong length",
        TARGET_GROUP,
        "config.vpcIdentifier",
        "vpc-123",
        (
            f"config.vpcIdentifier: 'vpc-123' does not match the API pattern {pattern_of('CreateTargetGroup', 'config.vpcIdentifier')} ({VPC_HINT})",
        ),
    ),
    Case(
        "health-check interval 400",
        TARGET_GROUP,
        f"{HC}.healthCheckIntervalSeconds",
        400.0,
        (f"{HC}.healthCheckIntervalSeconds: 400 is above the API maximum 300",),
    ),
    Case(
        "health-check interval 4 (model allows 0, documentation says 5-300)",
        TARGET_GROUP,
        f"{HC}.healthCheckIntervalSeconds",
        4.0,
        (
            f"{HC}.healthCheckIntervalSeconds: 4 is below the documented minimum 5 (API reference: 'The range is 5–300 seconds.')",
        ),
    ),
    Case(
        "health-check timeout 121",
        TARGET_GROUP,
        f"{HC}.healthCheckTimeoutSeconds",
        121.0,
        (f"{HC}.healthCheckTimeoutSeconds: 121 is above the API maximum 120",),
    ),
    Case(
        "health-check timeout 0",
        TARGET_GROUP,
        f"{HC}.healthCheckTimeoutSeconds",
        0.0,
        (
            f"{HC}.healthCheckTimeoutSeconds: 0 is below the documented minimum 1 (API reference: 'The range is 1–120 seconds.')",
        ),
    ),
    Case(
        "healthy threshold 1",
        TARGET_GROUP,
        f"{HC}.healthyThresholdCount",
        1.0,
        (f"{HC}.healthyThresholdCount: 1 is below the documented minimum 2 (API reference: 'The range is 2–10.')",),
    ),
    Case(
        "unhealthy threshold 11",
        TARGET_GROUP,
        f"{HC}.unhealthyThresholdCount",
        11.0,
        (f"{HC}.unhealthyThresholdCount: 11 is above the API maximum 10",),
    ),
    Case(
        "health-check protocol version GRPC",
        TARGET_GROUP,
        f"{HC}.protocolVersion",
        "GRPC",
        (f"{HC}.protocolVersion: 'GRPC' is not one of the API values HTTP1, HTTP2",),
    ),
    Case("health-check port -1", TARGET_GROUP, f"{HC}.port", -1.0, (f"{HC}.port: -1 is below the API minimum 0",)),
    Case(
        "matcher 2xx (the API's httpCode)",
        TARGET_GROUP,
        f"{HC}.matcher.value",
        "2xx",
        (
            f"{HC}.matcher.value: '2xx' does not match the API pattern {pattern_of('Matcher', 'httpCode')} "
            "(HTTP codes: digits, commas and hyphens, e.g. '200', '200,204' or '200-299')",
        ),
    ),
    Case(
        "health-check path without a leading slash",
        TARGET_GROUP,
        f"{HC}.path",
        "health",
        (
            f"{HC}.path: 'health' does not match the API pattern {pattern_of('HealthCheckConfig', 'path')} ({PATH_HINT})",
        ),
    ),
    Case(
        "health-check enabled as a number",
        TARGET_GROUP,
        f"{HC}.enabled",
        1.0,
        (f"{HC}.enabled: 1 is not true or false",),
    ),
    Case(
        "health check on a LAMBDA target group",
        TARGET_GROUP,
        "",
        None,
        (
            "config.healthCheck: not supported for LAMBDA target groups (API reference: 'Not supported if the target group type is LAMBDA or ALB.')",
        ),
        {"type": "LAMBDA", "config": {"healthCheck": {"enabled": False}}},
    ),
    Case(
        "health check on an ALB target group",
        TARGET_GROUP,
        "type",
        "ALB",
        (
            "config.ipAddressType: only for IP target groups; this one is ALB (API reference: 'Supported only if the target group type is IP.')",
            "config.healthCheck: not supported for ALB target groups (API reference: 'Not supported if the target group type is LAMBDA or ALB.')",
        ),
    ),
    Case(
        "port, protocol and VPC on a LAMBDA target group",
        TARGET_GROUP,
        "",
        None,
        (
            f"config.port: not supported for LAMBDA target groups {LAMBDA_ONLY}",
            f"config.protocol: not supported for LAMBDA target groups {LAMBDA_ONLY}",
            f"config.vpcIdentifier: not supported for LAMBDA target groups {LAMBDA_ONLY}",
        ),
        {"type": "LAMBDA", "config": {"port": 80.0, "protocol": "HTTP", "vpcIdentifier": VPC_ID}},
    ),
    Case(
        "Lambda event version on an INSTANCE target group",
        TARGET_GROUP,
        "",
        None,
        (
            "config.lambdaEventStructureVersion: only for LAMBDA target groups; this one is INSTANCE "
            "(API reference: 'Supported only if the target group type is LAMBDA.')",
        ),
        {"type": "INSTANCE", "config": {"vpcIdentifier": VPC_ID, "lambdaEventStructureVersion": "V2"}},
    ),
    # target group attachment
    Case("attachment port 0", ATTACHMENT, "target.port", 0.0, ("target.port: 0 is below the API minimum 1",)),
    Case(
        "attachment with an empty target ID",
        ATTACHMENT,
        "target.id",
        "",
        ("target.id: '' is 0 characters long; the API minimum is 1",),
    ),
    Case(
        "attachment to a target group named, not identified",
        ATTACHMENT,
        "targetGroupIdentifier",
        "orders-http-target-group",
        (
            f"targetGroupIdentifier: 'orders-http-target-group' does not match the API pattern {pattern_of('RegisterTargets', 'targetGroupIdentifier')} "
            "(an ID tg- followed by 17 lowercase letters or digits, or its ARN)",
        ),
    ),
    # listener
    Case(
        "listener protocol TCP",
        LISTENER,
        "protocol",
        "TCP",
        ("protocol: 'TCP' is not one of the API values HTTP, HTTPS, TLS_PASSTHROUGH",),
    ),
    Case("listener port 0", LISTENER, "port", 0.0, ("port: 0 is below the API minimum 1",)),
    Case(
        "listener name starting with listener-",
        LISTENER,
        "name",
        "listener-web",
        (
            f"name: 'listener-web' does not match the API pattern {pattern_of('CreateListener', 'name')} ({NAME_HINT}; may not start with 'listener-')",
        ),
    ),
    Case(
        "fixed response 302 (model allows 100-599, documentation only 404 and 500)",
        LISTENER,
        "defaultAction",
        {"fixedResponse": {"statusCode": 302.0}},
        (
            "defaultAction.fixedResponse.statusCode: 302 is not supported; the API accepts 404 or 500 "
            "(API reference: 'Only 404 and 500 status codes are supported.')",
        ),
    ),
    Case(
        "fixed response 600",
        LISTENER,
        "defaultAction",
        {"fixedResponse": {"statusCode": 600.0}},
        ("defaultAction.fixedResponse.statusCode: 600 is above the API maximum 599",),
    ),
    Case(
        "11 target groups in one forward",
        LISTENER,
        f"{FORWARD}.targetGroups",
        _TWELVE,
        (f"{FORWARD}.targetGroups: has 11 entries; the API allows at most 10",),
    ),
    Case(
        "a forward without target groups",
        LISTENER,
        f"{FORWARD}.targetGroups",
        [],
        (f"{FORWARD}.targetGroups: has 0 entries; the API needs at least 1",),
    ),
    Case(
        "weight 1000",
        LISTENER,
        f"{FORWARD}.targetGroups[1].weight",
        1000.0,
        (f"{FORWARD}.targetGroups[1].weight: 1000 is above the API maximum 999",),
    ),
    Case(
        "negative weight",
        LISTENER,
        f"{FORWARD}.targetGroups[0].weight",
        -1.0,
        (f"{FORWARD}.targetGroups[0].weight: -1 is below the API minimum 0",),
    ),
    Case(
        "two forward blocks (the API's forward is one structure)",
        LISTENER,
        "defaultAction.forwards[1]",
        {"targetGroups": [{"targetGroupIdentifier": TG_ID}]},
        (
            "defaultAction.forwards: has 2 entries; the API takes a single forward action (list every target group in forwards[0].targetGroups)",
        ),
    ),
    Case(
        "forward and fixed response together",
        LISTENER,
        "defaultAction.fixedResponse",
        {"statusCode": 404.0},
        (
            "defaultAction: sets both fixedResponse and forwards; the API's RuleAction takes exactly one of forwards, fixedResponse",
        ),
    ),
    Case(
        "forward without target groups at all",
        LISTENER,
        f"{FORWARD}.targetGroups",
        DELETE,
        (f"{FORWARD}.targetGroups: is required by the API (CreateListener needs defaultAction.forward.targetGroups)",),
    ),
    Case(
        "target group entry without identifier",
        LISTENER,
        f"{FORWARD}.targetGroups[0].targetGroupIdentifier",
        DELETE,
        (
            f"{FORWARD}.targetGroups[0].targetGroupIdentifier: is required by the API "
            "(CreateListener needs defaultAction.forward.targetGroups.targetGroupIdentifier)",
        ),
    ),
    Case(
        "listener without its service",
        LISTENER,
        "serviceIdentifier",
        DELETE,
        (
            "serviceIdentifier: is required by the API (CreateListener needs serviceIdentifier; set serviceIdentifier or serviceArn)",
        ),
    ),
    Case(
        "TLS passthrough listener with a fixed response",
        LISTENER,
        "",
        None,
        (
            "defaultAction.fixedResponse: a TLS_PASSTHROUGH listener cannot answer with a fixed response (it never decrypts "
            "the request); its default action must forward to TCP target groups",
        ),
        {
            "protocol": "TLS_PASSTHROUGH",
            "serviceIdentifier": SVC_ID,
            "defaultAction": {"fixedResponse": {"statusCode": 404.0}},
        },
    ),
    # listener rule
    Case("rule priority 0", RULE, "priority", 0.0, ("priority: 0 is below the API minimum 1",)),
    Case("rule priority 2001", RULE, "priority", 2001.0, ("priority: 2001 is above the API maximum 2000",)),
    Case(
        "rule name starting with rule-",
        RULE,
        "name",
        "rule-api",
        (
            f"name: 'rule-api' does not match the API pattern {pattern_of('CreateRule', 'name')} ({NAME_HINT}; may not start with 'rule-')",
        ),
    ),
    Case(
        "path prefix without a slash",
        RULE,
        f"{HTTP_MATCH}.pathMatch.match.prefix",
        "api",
        (
            f"{HTTP_MATCH}.pathMatch.match.prefix: 'api' does not match the API pattern {pattern_of('PathMatchType', 'prefix')} ({PATH_HINT})",
        ),
    ),
    Case(
        "exact path of 201 characters",
        RULE,
        f"{HTTP_MATCH}.pathMatch.match",
        {"exact": "/" + "a" * 200},
        (f"{HTTP_MATCH}.pathMatch.match.exact: '/{'a' * 96}...' is 201 characters long; the API maximum is 200",),
    ),
    Case(
        "path match both exact and prefix",
        RULE,
        f"{HTTP_MATCH}.pathMatch.match.exact",
        "/api",
        (
            f"{HTTP_MATCH}.pathMatch.match: sets both exact and prefix; the API's PathMatchType takes exactly one of exact, prefix",
        ),
    ),
    Case(
        "method of 17 characters",
        RULE,
        f"{HTTP_MATCH}.method",
        "M" * 17,
        (f"{HTTP_MATCH}.method: '{'M' * 17}' is 17 characters long; the API maximum is 16",),
    ),
    Case(
        "six header matches",
        RULE,
        f"{HTTP_MATCH}.headerMatches",
        [_HEADER] * 6,
        (f"{HTTP_MATCH}.headerMatches: has 6 entries; the API allows at most 5",),
    ),
    Case(
        "an empty list of header matches",
        RULE,
        f"{HTTP_MATCH}.headerMatches",
        [],
        (f"{HTTP_MATCH}.headerMatches: has 0 entries; the API needs at least 1",),
    ),
    Case(
        "header match with an empty value",
        RULE,
        f"{HTTP_MATCH}.headerMatches[0].match.exact",
        "",
        (f"{HTTP_MATCH}.headerMatches[0].match.exact: '' is 0 characters long; the API minimum is 1",),
    ),
    Case(
        "header match exact and contains",
        RULE,
        f"{HTTP_MATCH}.headerMatches[0].match.contains",
        "canary",
        (
            f"{HTTP_MATCH}.headerMatches[0].match: sets both contains and exact; the API's HeaderMatchType takes exactly one of exact, prefix, contains",
        ),
    ),
    Case(
        "header name of 101 characters",
        RULE,
        f"{HTTP_MATCH}.headerMatches[0].name",
        "h" * 101,
        (f"{HTTP_MATCH}.headerMatches[0].name: '{'h' * 97}...' is 101 characters long; the API maximum is 100",),
    ),
    Case(
        "rule without an action",
        RULE,
        "action",
        {},
        ("action: sets none of forward, fixedResponse; the API's RuleAction needs exactly one",),
    ),
    Case(
        "rule fixed response 403",
        RULE,
        "action",
        {"fixedResponse": {"statusCode": 403.0}},
        (
            "action.fixedResponse.statusCode: 403 is not supported; the API accepts 404 or 500 (API reference: 'Only 404 and 500 status codes are supported.')",
        ),
    ),
    Case(
        "rule on a listener ID with trailing text",
        RULE,
        "listenerIdentifier",
        LISTENER_ID + "-old",
        (
            f"listenerIdentifier: '{LISTENER_ID}-old' does not match the API pattern {pattern_of('CreateRule', 'listenerIdentifier')} "
            "(an ID listener- followed by 17 lowercase letters or digits, or its ARN)",
        ),
    ),
    # auth policy and resource policy
    Case(
        "auth policy that is not JSON",
        AUTH_POLICY,
        "policy",
        '{"Version": ',
        ("policy: is not valid JSON (Expecting value at line 1 column 13)",),
    ),
    Case(
        "auth policy over the 10 KB quota",
        AUTH_POLICY,
        "policy",
        _policy_of_size(apimodel.AUTH_POLICY_MAX_BYTES + 1),
        (
            "policy: is 10,241 bytes as compact JSON; the VPC Lattice quota for an auth policy is 10 KB (10,240 bytes) and cannot be raised",
        ),
    ),
    Case(
        "auth policy on a short service ID",
        AUTH_POLICY,
        "resourceIdentifier",
        "svc-0123",
        (
            "resourceIdentifier: 'svc-0123' is 8 characters long; the API minimum is 17",
            f"resourceIdentifier: 'svc-0123' does not match the API pattern {pattern_of('PutAuthPolicy', 'resourceIdentifier')} "
            "(an ID sn- or svc- or rcfg- followed by 17 lowercase letters or digits, or its ARN)",
        ),
    ),
    Case(
        "resource policy on a target group ARN",
        RESOURCE_POLICY,
        "resourceArn",
        f"{ARN}:targetgroup/{TG_ID}",
        (
            f"resourceArn: '{ARN}:targetgroup/{TG_ID}' does not match the API pattern {pattern_of('PutResourcePolicy', 'resourceArn')} "
            "(the ARN of a servicenetwork, service or resourceconfiguration)",
        ),
    ),
    # VPC association
    Case(
        "six security groups on a VPC association",
        VPC_ASSOCIATION,
        "securityGroupIds",
        [f"sg-0123456789abcdef{index}" for index in range(6)],  # six distinct: the same one twice is its own error
        ("securityGroupIds: has 6 entries; the API allows at most 5",),
    ),
    Case(
        "a security group ID of the wrong form",
        VPC_ASSOCIATION,
        "securityGroupIds[0]",
        "sg-1",
        (
            "securityGroupIds[0]: 'sg-1' is 4 characters long; the API minimum is 5",
            f"securityGroupIds[0]: 'sg-1' does not match the API pattern {api_model.limits('SecurityGroupId').pattern} ({SG_HINT})",
        ),
    ),
    Case(
        "DNS options with private DNS off",
        VPC_ASSOCIATION,
        "privateDnsEnabled",
        False,
        (
            "dnsOptions: needs privateDnsEnabled: true (API reference: 'Only supported when private DNS is enabled and when "
            "the VPC endpoint type is ServiceNetwork or Resource.')",
        ),
    ),
    Case(
        "private DNS preference the API does not know",
        VPC_ASSOCIATION,
        "dnsOptions.privateDnsPreference",
        "ALL",
        (
            "dnsOptions.privateDnsPreference: 'ALL' is not one of the API values VERIFIED_DOMAINS_ONLY, ALL_DOMAINS, "
            "VERIFIED_DOMAINS_AND_SPECIFIED_DOMAINS, SPECIFIED_DOMAINS_ONLY",
        ),
    ),
    Case(
        "specified domains with ALL_DOMAINS",
        VPC_ASSOCIATION,
        "dnsOptions.privateDnsPreference",
        "ALL_DOMAINS",
        (
            "dnsOptions.privateDnsSpecifiedDomains: apply only when privateDnsPreference is VERIFIED_DOMAINS_AND_SPECIFIED_DOMAINS "
            "or SPECIFIED_DOMAINS_ONLY; it is 'ALL_DOMAINS'",
        ),
    ),
    Case(
        "eleven specified domains",
        VPC_ASSOCIATION,
        "dnsOptions.privateDnsSpecifiedDomains",
        ["a.example.com"] * 11,
        ("dnsOptions.privateDnsSpecifiedDomains: has 11 entries; the API allows at most 10",),
    ),
    # service and resource associations, access logs
    Case(
        "service association by service name",
        SERVICE_ASSOCIATION,
        "serviceIdentifier",
        "orders-service-prod",
        (
            f"serviceIdentifier: 'orders-service-prod' does not match the API pattern {pattern_of('CreateServiceNetworkServiceAssociation', 'serviceIdentifier')} "
            "(an ID svc- followed by 17 lowercase letters or digits, or its ARN)",
        ),
    ),
    Case(
        "resource association with a short configuration ID",
        RESOURCE_ASSOCIATION,
        "resourceConfigurationIdentifier",
        "rcfg-1",
        (
            "resourceConfigurationIdentifier: 'rcfg-1' is 6 characters long; the API minimum is 20",
            f"resourceConfigurationIdentifier: 'rcfg-1' does not match the API pattern {pattern_of('CreateServiceNetworkResourceAssociation', 'resourceConfigurationIdentifier')} "
            "(an ID rcfg- followed by 17 lowercase letters or digits, or its ARN)",
        ),
    ),
    Case(
        "access logs to an S3 URL",
        ACCESS_LOGS,
        "destinationArn",
        "s3://lattice-access-logs",
        (
            f"destinationArn: 's3://lattice-access-logs' does not match the API pattern {pattern_of('CreateAccessLogSubscription', 'destinationArn')} (an ARN)",
        ),
    ),
    Case(
        "access log type ALL",
        ACCESS_LOGS,
        "serviceNetworkLogType",
        "ALL",
        ("serviceNetworkLogType: 'ALL' is not one of the API values SERVICE, RESOURCE",),
    ),
    # resource gateway and configuration
    Case(
        "63 IPv4 addresses per ENI",
        GATEWAY,
        "ipv4AddressesPerEni",
        63.0,
        ("ipv4AddressesPerEni: 63 is above the API maximum 62",),
    ),
    Case(
        "gateway VPC of the wrong form (vpcId is the API's vpcIdentifier)",
        GATEWAY,
        "vpcId",
        "vpc-1",
        (
            f"vpcId: 'vpc-1' does not match the API pattern {pattern_of('CreateResourceGateway', 'vpcIdentifier')} ({VPC_HINT})",
        ),
    ),
    Case(
        "gateway name starting with rgw-",
        GATEWAY,
        "name",
        "rgw-db",
        (
            f"name: 'rgw-db' does not match the API pattern {pattern_of('CreateResourceGateway', 'name')} ({NAME_HINT}; may not start with 'rgw-')",
        ),
    ),
    Case(
        "port range with three numbers",
        RESOURCE_CONFIG,
        "portRanges[1]",
        "80-90-100",
        (
            f"portRanges[1]: '80-90-100' does not match the API pattern {api_model.limits('PortRange').pattern} "
            "(a port such as '443' or a port range such as '8000-8080')",
        ),
    ),
    Case("port above 65535 (the pattern takes any five digits)", RESOURCE_CONFIG, "portRanges[0]", "70000",
         ("portRanges[0]: '70000': port 70000 is outside 1-65535",)),
    Case("port 0", RESOURCE_CONFIG, "portRanges[0]", "0-80", ("portRanges[0]: '0-80': port 0 is outside 1-65535",)),
    Case("port range that runs backwards", RESOURCE_CONFIG, "portRanges[1]", "8080-8000",
         ("portRanges[1]: '8080-8000': the range starts above its end",)),
    Case(
        "TCP_UDP on a SINGLE configuration",
        RESOURCE_CONFIG,
        "protocol",
        "TCP_UDP",
        (
            "protocol: 'TCP_UDP' is supported only for CIDR resource configurations; this one is SINGLE (API reference: "
            "'(SINGLE, GROUP, CIDR) TCP_UDP is supported only for CIDR resource configurations; specify it for a CIDR "
            "resource configuration to allow DNS resolution, which uses UDP.')",
        ),
    ),
    Case(
        "port ranges on an ARN configuration",
        RESOURCE_CONFIG,
        "type",
        "ARN",
        (
            "protocol: only for CIDR, GROUP, SINGLE resource configurations; this one is ARN (API reference: '(SINGLE, GROUP, CIDR) TCP_UDP is "
            "supported only for CIDR resource configurations; specify it for a CIDR resource configuration to allow DNS resolution, which uses UDP.')",
            "portRanges: only for CHILD, CIDR, GROUP, SINGLE resource configurations; this one is ARN (API reference: '(SINGLE, GROUP, CHILD, CIDR)')",
        ),
    ),
    Case(
        "group ID on a SINGLE configuration (groupId is the API's groupIdentifier)",
        RESOURCE_CONFIG,
        "resourceConfigurationGroupId",
        RCFG_ID,
        (
            "resourceConfigurationGroupId: only for CHILD resource configurations; this one is SINGLE (API reference: '(CHILD)')",
        ),
    ),
    Case(
        "two resource definitions",
        RESOURCE_CONFIG,
        "resourceConfigurationDefinition.ipResource",
        {"ipAddress": "10.0.0.1"},
        (
            "resourceConfigurationDefinition: sets both dnsResource and ipResource; the API's ResourceConfigurationDefinition "
            "takes exactly one of dnsResource, ipResource, arnResource",
        ),
    ),
    Case(
        "configuration type MULTI",
        RESOURCE_CONFIG,
        "type",
        "MULTI",
        ("type: 'MULTI' is not one of the API values GROUP, CHILD, SINGLE, ARN, CIDR",),
    ),
    # domain verification
    Case(
        "domain name of 256 characters",
        DOMAIN,
        "domainName",
        "d" * 252 + ".com",
        (f"domainName: '{'d' * 97}...' is 256 characters long; the API maximum is 255",),
    ),
]


def test_the_table_covers_every_kind_with_at_least_forty_values():
    assert len(CASES) >= 40
    assert {case.kind for case in CASES} == set(RESOURCE_MAPPINGS)


@pytest.mark.parametrize("case", CASES, ids=[case.title for case in CASES])
def test_an_invalid_value_gets_exactly_its_message(case):
    # GIVEN valid inputs of the kind with one value made invalid
    props = case.inputs()
    # WHEN checked against the API model
    found = messages(case.kind, props)
    # THEN exactly the expected violation is reported, path first
    assert found == list(case.expected)


def test_a_violation_reads_path_colon_rule():
    [violation] = check_resource(TARGET_GROUP, changed(VALID[TARGET_GROUP], f"{HC}.healthCheckIntervalSeconds", 400.0))
    assert violation == ApiViolation(f"{HC}.healthCheckIntervalSeconds", 400, "400 is above the API maximum 300", "max")
    assert str(violation) == "config.healthCheck.healthCheckIntervalSeconds: 400 is above the API maximum 300"


def test_values_nested_in_lists_are_reported_by_index():
    # GIVEN a forward whose third target group weighs too much
    props = changed(VALID[LISTENER], f"{FORWARD}.targetGroups[2]", {"targetGroupIdentifier": TG_ID, "weight": 5000.0})
    # THEN the path names the index, as the engine does
    assert messages(LISTENER, props) == [
        "defaultAction.forwards[0].targetGroups[2].weight: 5000 is above the API maximum 999"
    ]


def test_a_member_the_type_excludes_is_reported_once_not_walked():
    # GIVEN a LAMBDA group whose (unsupported) health check is also out of range
    props = {"type": "LAMBDA", "config": {"healthCheck": {"healthCheckIntervalSeconds": 4000.0}}}
    # THEN only the unsupported member is reported: fixing it removes the rest
    assert [v.kind for v in check_resource(TARGET_GROUP, props)] == ["not-for-type"]


# -- unknown values are skipped -----------------------------------------------------------------------------

UNKNOWNS = {
    "None": None,
    "pulumi Unknown (mock during preview)": pulumi.output.UNKNOWN,
    "engine/string sentinel": "04da6b54-80e4-46f7-96ec-b56ff0331ba9",
    "policy number sentinel": "3eeb2bf0-c639-47a8-9e75-3b44932eb421",
    "policy array sentinel": "6a19a0b0-7e62-4c92-b797-7f8e31da9cc2",
    "policy object sentinel": "dd056dcd-154b-4c76-9bd3-c8f88648b5ff",
    "policy boolean sentinel": "1c4a061d-8072-4f0a-a4cb-0ff528b18fe7",
}


def test_the_sentinels_are_pulumi_policys_own():
    from pulumi_policy import proxy

    assert apimodel.UNKNOWN_SENTINELS == {
        proxy.UNKNOWN_BOOLEAN_VALUE,
        proxy.UNKNOWN_NUMBER_VALUE,
        proxy.UNKNOWN_STRING_VALUE,
        proxy.UNKNOWN_ARRAY_VALUE,
        proxy.UNKNOWN_ASSET_VALUE,
        proxy.UNKNOWN_ARCHIVE_VALUE,
        proxy.UNKNOWN_OBJECT_VALUE,
    }
    assert pulumi.runtime.rpc.UNKNOWN in apimodel.UNKNOWN_SENTINELS


@pytest.mark.parametrize("unknown", list(UNKNOWNS.values()), ids=list(UNKNOWNS))
@pytest.mark.parametrize("case", [c for c in CASES if c.path and c.value is not DELETE], ids=lambda c: c.title)
def test_an_unknown_value_where_a_bad_one_was_is_never_a_violation(case, unknown):
    # GIVEN a value the engine does not know yet in place of the invalid one
    props = changed(case.props if case.props is not None else VALID[case.kind], case.path, unknown)
    # WHEN checked THEN nothing is reported about it (nor about anything else)
    assert messages(case.kind, props) == []


def test_pulumi_policys_proxied_props_are_read_past_their_unknown_checks():
    from pulumi_policy.proxy import unknown_checking_proxy

    # GIVEN props as a policy receives them: a proxy that raises UnknownValueError on touching an unknown
    unknown = "04da6b54-80e4-46f7-96ec-b56ff0331ba9"
    props = changed(changed(VALID[LISTENER], "serviceIdentifier", unknown), "port", 0.0)
    # WHEN checked directly THEN the known violation is found and the unknown skipped
    assert messages(LISTENER, unknown_checking_proxy(props)) == ["port: 0 is below the API minimum 1"]


def test_secrets_are_checked_by_their_value():
    secret = {"4dabf18193072939515e22adb298388d": "1b47061264138c4ac30d75fd1eb44270", "value": "Order_Svc"}
    assert [v.kind for v in check_resource(SERVICE, {"name": secret})] == ["pattern"]


def test_a_preview_under_the_sdk_mocks_reports_only_known_values():
    # GIVEN a program previewed under the SDK's mock monitor, wiring an output the mock never fills (`status`)
    from lattice_components.tools import offline

    def program():
        import pulumi_aws as aws

        group = aws.vpclattice.TargetGroup("web", type="INSTANCE", config={"vpc_identifier": VPC_ID, "port": 70000})
        aws.vpclattice.Listener(
            "web",
            protocol="HTTP",
            service_arn=group.status,
            default_action={"forwards": [{"target_groups": [{"target_group_identifier": group.status, "weight": 1}]}]},
        )

    run = offline.run_program(
        program, project="t", stack="t", config={}, account_id=ACCOUNT, region="us-east-1", preview=True
    )
    [group] = run.of_type(TARGET_GROUP)
    [listener] = run.of_type(LISTENER)
    assert isinstance(listener.inputs["serviceArn"], pulumi.output.Unknown)
    # WHEN their inputs are checked THEN the known bad port is reported; the unknowns are neither missing nor malformed
    assert messages(TARGET_GROUP, group.inputs) == ["config.port: 70000 is above the API maximum 65535"]
    assert messages(LISTENER, listener.inputs) == []


def test_require_members_false_tolerates_what_a_mock_dropped():
    # GIVEN a non-preview mock that dropped an output it was not given (the SDK removes unknowns from inputs)
    props = changed(VALID[LISTENER], f"{FORWARD}.targetGroups[0].targetGroupIdentifier", DELETE)
    # THEN the default reports the missing member, and require_members=False does not
    assert [v.kind for v in check_resource(LISTENER, props)] == ["required"]
    assert check_resource(LISTENER, props, require_members=False) == []


# -- the mapping table is complete ----------------------------------------------------------------------------


def test_every_vpclattice_resource_of_pulumi_aws_is_mapped():
    import inspect

    import pulumi_aws.vpclattice as vpclattice

    classes = [
        cls
        for cls in vars(vpclattice).values()
        if inspect.isclass(cls)
        and issubclass(cls, pulumi.CustomResource)
        and cls.__module__.startswith("pulumi_aws.vpclattice")
    ]
    tokens = set()
    for cls in classes:
        token = f"aws:vpclattice/{cls.__name__[0].lower()}{cls.__name__[1:]}:{cls.__name__}"
        assert f"'{token}'" in inspect.getsource(cls), f"{cls.__name__} is registered under another token"
        tokens.add(token)
    assert tokens == set(RESOURCE_MAPPINGS), "pulumi-aws gained or lost a vpclattice resource: update RESOURCE_MAPPINGS"


@pytest.mark.parametrize("kind", sorted(RESOURCE_MAPPINGS))
def test_every_sdk_input_lands_in_an_api_member_or_is_declared_ignored(kind):
    # GIVEN every input property pulumi-aws declares for this kind, nested ones too
    mapping = RESOURCE_MAPPINGS[kind]
    for path in sdk_inputs(kind):
        # WHEN mapped to the API THEN it reaches a member of the operation, or the table says it has none
        if api_member_for(kind, path) is None:
            assert any(path == ignored or path.startswith(f"{ignored}.") for ignored in mapping.ignored), (
                f"{kind}: {path} reaches no member of {mapping.operation}; map it in RESOURCE_MAPPINGS or ignore it"
            )
    for path in [*mapping.members, *mapping.ignored, *mapping.provider_fills]:
        assert path in sdk_inputs(kind), f"{kind}: RESOURCE_MAPPINGS names {path}, which pulumi-aws does not declare"


@pytest.mark.parametrize(
    "kind, engine_path, api_path",
    [
        (TARGET_GROUP, "config.healthCheck.matcher.value", "config.healthCheck.matcher.httpCode"),
        (LISTENER, "defaultAction.forwards[0].targetGroups[1].weight", "defaultAction.forward.targetGroups.weight"),
        (LISTENER, "serviceArn", "serviceIdentifier"),
        (ATTACHMENT, "target.port", "targets.port"),
        (RESOURCE_CONFIG, "resourceConfigurationGroupId", "resourceConfigurationGroupIdentifier"),
        (GATEWAY, "vpcId", "vpcIdentifier"),
        (RULE, "match.httpMatch.headerMatches[0].match.exact", "match.httpMatch.headerMatches.match.exact"),
        (AUTH_POLICY, "state", None),
        (GATEWAY, "timeouts.create", None),
        # VPC resources (#15): the union members the ResourceConfiguration component writes
        (RESOURCE_CONFIG, "resourceConfigurationDefinition.dnsResource.domainName",
         "resourceConfigurationDefinition.dnsResource.domainName"),
        (RESOURCE_CONFIG, "resourceConfigurationDefinition.ipResource.ipAddress",
         "resourceConfigurationDefinition.ipResource.ipAddress"),
        (RESOURCE_CONFIG, "resourceConfigurationDefinition.arnResource.arn", "resourceConfigurationDefinition.arnResource.arn"),
        (RESOURCE_CONFIG, "portRanges[0]", "portRanges"),
        (RESOURCE_ASSOCIATION, "resourceConfigurationIdentifier", "resourceConfigurationIdentifier"),
        (RESOURCE_ASSOCIATION, "timeouts.delete", None),
    ],
)
def test_engine_paths_map_to_api_members(kind, engine_path, api_path):
    assert api_member_for(kind, engine_path) == api_path


def test_property_limits_reads_the_model_through_the_mapping():
    assert property_limits(TARGET_GROUP, "config.healthCheck.matcher.value").pattern == pattern_of(
        "Matcher", "httpCode"
    )
    assert property_limits(LISTENER, "defaultAction.forwards.targetGroups").max == 10
    with pytest.raises(KeyError):
        property_limits(AUTH_POLICY, "state")


def test_the_sdk_requirements_come_from_pulumi_aws_itself():
    inputs = sdk_inputs(LISTENER)
    assert inputs["protocol"].required and inputs["defaultAction"].required
    assert not inputs["defaultAction.forwards.targetGroups"].required  # the API requires it; pulumi-aws does not
    assert inputs["defaultAction.forwards"].is_list and inputs["defaultAction.forwards"].is_object
    assert inputs["tags"].is_map


# -- property tests: inside the model's bounds passes, outside fails -------------------------------------------

INTEGER_MEMBERS = [
    (TARGET_GROUP, f"{HC}.healthCheckIntervalSeconds"),
    (TARGET_GROUP, f"{HC}.healthCheckTimeoutSeconds"),
    (TARGET_GROUP, f"{HC}.healthyThresholdCount"),
    (TARGET_GROUP, f"{HC}.unhealthyThresholdCount"),
    (TARGET_GROUP, f"{HC}.port"),
    (TARGET_GROUP, "config.port"),
    (SERVICE, "idleTimeoutSeconds"),
    (LISTENER, "port"),
    (LISTENER, f"{FORWARD}.targetGroups[0].weight"),
    (RULE, "priority"),
    (RULE, "action.forward.targetGroups[0].weight"),
    (GATEWAY, "ipv4AddressesPerEni"),
    (ATTACHMENT, "target.port"),
]


def accepted_range(kind: str, engine_path: str) -> tuple[int, int]:
    """The model's range, narrowed by a range its documentation states: computed from botocore, not copied."""
    mapping = RESOURCE_MAPPINGS[kind]
    api_path = api_member_for(kind, engine_path)
    limits = api_model.limits(mapping.operation, api_path)
    stated = api_model.documented_range(mapping.operation, api_path)
    low, high = limits.min, limits.max
    if stated is not None:
        low, high = max(low, stated.min), min(high, stated.max)
    return low, high


@st.composite
def member_and_value(draw, inside: bool):
    kind, path = draw(st.sampled_from(INTEGER_MEMBERS))
    low, high = accepted_range(kind, path)
    if inside:
        value = draw(st.integers(low, high))
    else:
        value = draw(st.integers(high + 1, high + 10**6) | st.integers(low - 10**6, low - 1))
    as_engine_float = draw(st.booleans())
    return kind, path, float(value) if as_engine_float else value


@settings(max_examples=300, deadline=None)
@given(member_and_value(inside=True))
def test_any_integer_inside_the_bounds_passes(sample):
    kind, path, value = sample
    # GIVEN a value inside the model's (and documentation's) range WHEN checked THEN it passes
    assert messages(kind, changed(VALID[kind], path, value)) == []


@settings(max_examples=300, deadline=None)
@given(member_and_value(inside=False))
def test_any_integer_outside_the_bounds_fails_at_its_path(sample):
    kind, path, value = sample
    found = check_resource(kind, changed(VALID[kind], path, value))
    assert [(v.path, v.kind) for v in found] in (
        [(path, "max")],
        [(path, "min")],
        [(path, "documented-range")],
    )
    # THEN the bound named is the model's when the value is outside it, else the documented one
    limits = property_limits(kind, path)
    low, high = accepted_range(kind, path)
    if value > limits.max or value < limits.min:
        expected = (
            f"is above the API maximum {limits.max}" if value > limits.max else f"is below the API minimum {limits.min}"
        )
    else:
        expected = (
            f"is above the documented maximum {high}" if value > high else f"is below the documented minimum {low}"
        )
    assert expected in found[0].rule


NAMED_KINDS = [
    (SERVICE_NETWORK, "CreateServiceNetwork"),
    (SERVICE, "CreateService"),
    (TARGET_GROUP, "CreateTargetGroup"),
    (LISTENER, "CreateListener"),
    (RULE, "CreateRule"),
    (GATEWAY, "CreateResourceGateway"),
    (RESOURCE_CONFIG, "CreateResourceConfiguration"),
]
_LABEL = st.text(alphabet="abcdefghijklmnopqrstuvwxyz0123456789", min_size=1, max_size=14)


@st.composite
def kind_and_name(draw, valid: bool):
    kind, operation = draw(st.sampled_from(NAMED_KINDS))
    limits = api_model.limits(operation, "name")
    name = draw(
        st.lists(_LABEL, min_size=1, max_size=8).map("-".join).filter(lambda n: limits.min <= len(n) <= limits.max)
    )
    if not valid:
        position = draw(st.integers(0, len(name)))
        name = name[:position] + draw(st.sampled_from(["A", "_", " ", ".", "--", "Z"])) + name[position:]
    return kind, name


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.filter_too_much])
@given(kind_and_name(valid=True))
def test_names_of_lowercase_labels_and_single_hyphens_pass_unless_they_take_the_reserved_prefix(sample):
    kind, name = sample
    found = check_resource(kind, changed(VALID[kind], "name", name))
    reserved = re.findall(r"\(\?!([a-z]+-)\)", api_model.limits(RESOURCE_MAPPINGS[kind].operation, "name").pattern)
    if any(name.startswith(prefix) for prefix in reserved):
        assert [v.kind for v in found] == ["pattern"] and "may not start with" in found[0].rule
    else:
        assert found == []


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.filter_too_much])
@given(kind_and_name(valid=False))
def test_names_with_other_characters_fail_the_pattern(sample):
    kind, name = sample
    found = check_resource(kind, changed(VALID[kind], "name", name))
    assert "pattern" in [v.kind for v in found]
    assert all(v.path == "name" for v in found)


@settings(max_examples=100, deadline=None)
@given(st.integers(0, 40))
def test_a_forward_takes_as_many_target_groups_as_the_model_allows(count):
    limits = property_limits(LISTENER, "defaultAction.forwards.targetGroups")
    groups = [{"targetGroupIdentifier": TG_ID, "weight": 1.0}] * count
    found = check_resource(LISTENER, changed(VALID[LISTENER], f"{FORWARD}.targetGroups", groups))
    if limits.min <= count <= limits.max:
        assert found == []
    else:
        assert [(v.path, v.kind, v.value) for v in found] == [(f"{FORWARD}.targetGroups", "items", count)]


@settings(max_examples=100, deadline=None)
@given(st.text(alphabet="ABCDEFGHIJKLMNOPQRSTUVWXYZ", max_size=40))
def test_a_method_is_as_long_as_the_model_allows(method):
    high = property_limits(RULE, "match.httpMatch.method").max
    found = check_resource(RULE, changed(VALID[RULE], f"{HTTP_MATCH}.method", method))
    assert (found == []) == (len(method) <= high)


# -- the limits are botocore's: patch the loaded model and the checks move --------------------------------------


@pytest.fixture
def patched_model(monkeypatch):
    """Replace the loaded model by an edited copy of botocore's own JSON."""

    def patch(edit) -> None:
        raw = api_model.load_raw_model()
        edit(raw["shapes"])
        model = ServiceModel(raw, service_name=api_model.SERVICE_NAME)
        monkeypatch.setattr(api_model, "service_model", lambda: model)

    return patch


def _interval(value: float) -> dict[str, Any]:
    return changed(VALID[TARGET_GROUP], f"{HC}.healthCheckIntervalSeconds", value)


def test_a_lower_model_maximum_moves_the_check(patched_model):
    # GIVEN 250 s passes with the shipped model
    assert messages(TARGET_GROUP, _interval(250.0)) == []
    # WHEN the model's maximum for the interval is 200
    patched_model(lambda shapes: shapes["HealthCheckIntervalSeconds"].update(max=200))
    # THEN the same inputs fail with the new number
    assert messages(TARGET_GROUP, _interval(250.0)) == [
        f"{HC}.healthCheckIntervalSeconds: 250 is above the API maximum 200"
    ]


def test_a_reworded_documented_range_moves_the_check(patched_model):
    def edit(shapes):
        member = shapes["HealthCheckConfig"]["members"]["healthCheckIntervalSeconds"]
        member["documentation"] = member["documentation"].replace("5–300", "10–300")

    assert messages(TARGET_GROUP, _interval(7.0)) == []
    patched_model(edit)
    assert messages(TARGET_GROUP, _interval(7.0)) == [
        f"{HC}.healthCheckIntervalSeconds: 7 is below the documented minimum 10 (API reference: 'The range is 10–300 seconds.')"
    ]


def test_more_target_groups_per_forward_in_the_model_are_accepted(patched_model):
    eleven = changed(VALID[LISTENER], f"{FORWARD}.targetGroups", _TWELVE)
    assert [v.kind for v in check_resource(LISTENER, eleven)] == ["items"]
    patched_model(lambda shapes: shapes["WeightedTargetGroupList"].update(max=12))
    assert check_resource(LISTENER, eleven) == []


def test_a_newly_documented_status_code_is_accepted(patched_model):
    def edit(shapes):
        shapes["FixedResponseAction"]["members"]["statusCode"]["documentation"] = (
            "<p>The HTTP response code. Only 404, 500 and 503 status codes are supported.</p>"
        )

    fixed_503 = changed(VALID[LISTENER], "defaultAction", {"fixedResponse": {"statusCode": 503.0}})
    assert [v.kind for v in check_resource(LISTENER, fixed_503)] == ["documented-values"]
    patched_model(edit)
    assert check_resource(LISTENER, fixed_503) == []


def test_enum_pattern_and_type_rules_follow_the_model(patched_model):
    tcp_listener = changed(VALID[LISTENER], "protocol", "TCP")
    alb_port = {"type": "ALB", "config": {"port": 80.0}}
    upper_name = changed(VALID[SERVICE], "name", "Orders")
    assert [check_resource(LISTENER, tcp_listener)[0].kind, check_resource(SERVICE, upper_name)[0].kind] == [
        "enum",
        "pattern",
    ]
    assert check_resource(TARGET_GROUP, alb_port) == []

    def edit(shapes):
        shapes["ListenerProtocol"]["enum"].append("TCP")
        shapes["ServiceName"]["pattern"] = "[a-zA-Z0-9-]+"
        port = shapes["TargetGroupConfig"]["members"]["port"]
        port["documentation"] = port["documentation"].replace(
            "type is <code>LAMBDA</code>", "type is <code>LAMBDA</code> or <code>ALB</code>"
        )

    patched_model(edit)
    assert check_resource(LISTENER, tcp_listener) == []
    assert check_resource(SERVICE, upper_name) == []
    assert [v.kind for v in check_resource(TARGET_GROUP, alb_port)] == ["not-for-type"]


# -- rules across resources ------------------------------------------------------------------------------------


def stack_messages(resources) -> list[str]:
    return [str(finding) for finding in check_stack(resources)]


def _rule(name: str, priority: float, listener: str = LISTENER_ID, **extra: Any) -> tuple[str, str, dict[str, Any]]:
    return (RULE, name, {**VALID[RULE], "name": name, "priority": priority, "listenerIdentifier": listener, **extra})


def test_rule_priorities_must_be_unique_per_listener():
    # GIVEN two rules on one listener with priority 10, and one on another listener with 10 too
    resources = [
        _rule("orders-read", 10.0),
        _rule("orders-write", 10.0),
        _rule("payments", 10.0, listener="listener-0123456789abcdefa"),
    ]
    # THEN both rules of the first listener are told, each naming the other
    assert stack_messages(resources) == [
        "orders-read: priority: priority 10 is also used by rule 'orders-write' on the same listener; the API needs a unique priority per listener",
        "orders-write: priority: priority 10 is also used by rule 'orders-read' on the same listener; the API needs a unique priority per listener",
    ]


def test_rule_priorities_are_grouped_by_dependency_when_listener_ids_are_unknown():
    # GIVEN a preview: the listener's ID is unknown, but the engine knows which listener each rule depends on
    unknown = "04da6b54-80e4-46f7-96ec-b56ff0331ba9"
    listener_a = StackResource(LISTENER, "a", VALID[LISTENER], urn="urn:a")
    listener_b = StackResource(LISTENER, "b", VALID[LISTENER] | {"name": "other"}, urn="urn:b")
    rules = [
        StackResource(
            RULE,
            name,
            VALID[RULE] | {"name": name, "priority": 5.0, "listenerIdentifier": unknown},
            references={"listenerIdentifier": frozenset({urn})},
        )
        for name, urn in (("r1", "urn:a"), ("r2", "urn:b"), ("r3", "urn:a"))
    ]
    found = check_stack([listener_a, listener_b, *rules])
    assert [(f.resource.name, f.violation.kind) for f in found] == [
        ("r1", "duplicate-priority"),
        ("r3", "duplicate-priority"),
    ]


def test_unknown_listeners_or_priorities_are_skipped():
    unknown = "04da6b54-80e4-46f7-96ec-b56ff0331ba9"
    assert check_stack([_rule("a", 1.0, listener=unknown), _rule("b", 1.0, listener=unknown)]) == []
    assert check_stack([_rule("a", unknown), _rule("b", unknown)]) == []


def _service(name: str, **props: Any) -> StackResource:
    return StackResource(SERVICE, name, {"name": name, **props}, ids=frozenset({f"svc-{name:0>17}"}))


def _tls_listener(service: str, group: str, name: str = "tls") -> StackResource:
    return StackResource(
        LISTENER,
        name,
        {
            "name": name,
            "protocol": "TLS_PASSTHROUGH",
            "port": 443.0,
            "serviceIdentifier": f"svc-{service:0>17}",
            "defaultAction": {"forwards": [{"targetGroups": [{"targetGroupIdentifier": f"tg-{group:0>17}"}]}]},
        },
        ids=frozenset({f"listener-{name:0>17}"}),
    )


def _group(name: str, **props: Any) -> StackResource:
    return StackResource(TARGET_GROUP, name, {"name": name, **props}, ids=frozenset({f"tg-{name:0>17}"}))


def test_a_tls_passthrough_listener_needs_a_custom_domain_tcp_groups_and_no_rules():
    # GIVEN a TLS passthrough listener on a service without custom domain, forwarding to an HTTP group, with a rule
    resources = [
        _service("orders"),
        _group("web", type="INSTANCE", config={"protocol": "HTTP"}),
        _tls_listener("orders", "web"),
        StackResource(RULE, "api", VALID[RULE] | {"listenerIdentifier": f"listener-{'tls':0>17}"}),
    ]
    # THEN each of the three user-guide rules names what to change
    assert stack_messages(resources) == [
        "tls: serviceIdentifier: a TLS_PASSTHROUGH listener needs its service 'orders' to have a customDomainName: "
        "VPC Lattice routes TLS by the SNI of that name",
        "api: listenerIdentifier: listener 'tls' is TLS_PASSTHROUGH: it takes only its default action, no rules",
        "tls: defaultAction.forwards[0].targetGroups[0].targetGroupIdentifier: target group 'web' uses protocol HTTP; "
        "a TLS_PASSTHROUGH listener can only forward to TCP target groups",
    ]


def test_a_tls_passthrough_listener_may_not_forward_to_lambda():
    resources = [
        _service("orders", customDomainName="orders.example.com"),
        _group("fn", type="LAMBDA"),
        _tls_listener("orders", "fn"),
    ]
    assert [f.violation.rule for f in check_stack(resources)] == [
        "target group 'fn' is a LAMBDA target group; a TLS_PASSTHROUGH listener can only forward to TCP target groups"
    ]


def test_a_well_formed_tls_passthrough_stack_passes():
    resources = [
        _service("orders", customDomainName="orders.example.com"),
        _group("tcp", type="INSTANCE", config={"protocol": "TCP"}),
        _tls_listener("orders", "tcp"),
    ]
    assert check_stack(resources) == []


def test_tls_target_groups_are_found_through_dependencies_during_preview():
    unknown = "04da6b54-80e4-46f7-96ec-b56ff0331ba9"
    listener = StackResource(
        LISTENER,
        "tls",
        {
            "protocol": "TLS_PASSTHROUGH",
            "serviceIdentifier": unknown,
            "defaultAction": {"forwards": [{"targetGroups": [{"targetGroupIdentifier": unknown}]}]},
        },
        references={"defaultAction": frozenset({"urn:web"})},
    )
    group = StackResource(TARGET_GROUP, "web", {"type": "IP", "config": {"protocol": "HTTPS"}}, urn="urn:web")
    assert stack_messages([listener, group]) == [
        "tls: defaultAction: target group 'web' uses protocol HTTPS; a TLS_PASSTHROUGH listener can only forward to TCP target groups"
    ]


def test_a_vpc_is_associated_with_one_service_network_only():
    association = VALID[VPC_ASSOCIATION]
    resources = [
        (VPC_ASSOCIATION, "to-core", association),
        (VPC_ASSOCIATION, "to-edge", association | {"serviceNetworkIdentifier": SN_ID}),
        (VPC_ASSOCIATION, "other-vpc", association | {"vpcIdentifier": "vpc-01234567"}),
    ]
    assert stack_messages(resources) == [
        "to-edge: vpcIdentifier: this VPC is already associated with a service network by 'to-core'; "
        "a VPC can be associated with one service network only"
    ]


def test_names_are_unique_per_account_but_may_repeat_across_accounts():
    # GIVEN two target groups named alike through one provider, and a third through another account's provider
    resources = [
        StackResource(TARGET_GROUP, "a", {"name": "orders", "type": "IP"}, scope="urn:provider:prod"),
        StackResource(TARGET_GROUP, "b", {"name": "orders", "type": "IP"}, scope="urn:provider:prod"),
        StackResource(TARGET_GROUP, "c", {"name": "orders", "type": "IP"}, scope="urn:provider:dev"),
    ]
    assert stack_messages(resources) == [
        "a: name: 'orders' is also the name of 'b' in the same account and Region; the API needs it unique there",
        "b: name: 'orders' is also the name of 'a' in the same account and Region; the API needs it unique there",
    ]


def test_listener_names_are_unique_per_service():
    resources = [
        (LISTENER, "one", VALID[LISTENER]),
        (LISTENER, "two", VALID[LISTENER] | {"port": 8443.0}),
        (LISTENER, "elsewhere", VALID[LISTENER] | {"serviceIdentifier": "svc-0123456789abcdefa"}),
    ]
    assert [f.resource.name for f in check_stack(resources)] == ["one", "two"]


def test_a_service_is_associated_with_a_network_once():
    resources = [
        (SERVICE_ASSOCIATION, "first", VALID[SERVICE_ASSOCIATION]),
        (SERVICE_ASSOCIATION, "again", VALID[SERVICE_ASSOCIATION]),
    ]
    assert stack_messages(resources) == [
        "again: serviceIdentifier: this service is already associated with this service network by 'first'"
    ]


def test_a_consistent_stack_has_no_findings():
    resources = [(kind, kind.rsplit(":", 1)[1].lower(), props) for kind, props in VALID.items()]
    assert check_stack(resources) == []


# -- the policies, as the analyzer calls them -----------------------------------------------------------------


def _resource_args(kind: str, name: str, props: dict[str, Any]):
    from pulumi_policy.policy import ResourceValidationArgs
    from pulumi_policy.proxy import unknown_checking_proxy

    return ResourceValidationArgs(
        kind, unknown_checking_proxy(props), f"urn:pulumi:dev::lattice::{kind}::{name}", name, None, None, {}
    )


def test_the_resource_policy_reports_each_violation_with_the_resource():
    from lattice_components.policies import api_model_policy

    policy = api_model_policy.api_model_policy()
    reported: list[tuple[str, str | None]] = []
    props = changed(VALID[TARGET_GROUP], f"{HC}.healthCheckIntervalSeconds", 400.0)
    policy.validate(
        _resource_args(TARGET_GROUP, "orders", props), lambda message, urn=None: reported.append((message, urn))
    )
    assert policy.name == "lattice-api-model"
    assert reported == [
        ("TargetGroup 'orders': config.healthCheck.healthCheckIntervalSeconds: 400 is above the API maximum 300", None)
    ]


def test_the_resource_policy_checks_what_is_known_during_preview_without_giving_up():
    from lattice_components.policies import api_model_policy

    unknown = "04da6b54-80e4-46f7-96ec-b56ff0331ba9"
    props = changed(changed(VALID[LISTENER], f"{FORWARD}.targetGroups[0].targetGroupIdentifier", unknown), "port", 0.0)
    reported: list[str] = []
    # WHEN the proxied props hold an unknown (touching it would raise UnknownValueError)
    api_model_policy.validate_resource(
        _resource_args(LISTENER, "web", props), lambda message, urn=None: reported.append(message)
    )
    # THEN the known violation is reported and the unknown is skipped
    assert reported == ["Listener 'web': port: 0 is below the API minimum 1"]


def test_the_resource_policy_ignores_other_types():
    from lattice_components.policies import api_model_policy

    reported: list[str] = []
    api_model_policy.validate_resource(
        _resource_args("aws:ec2/vpc:Vpc", "v", {"cidrBlock": "x"}), lambda m, u=None: reported.append(m)
    )
    assert reported == []


def test_the_stack_policy_reports_against_the_resource_urn():
    from lattice_components.policies import api_model_policy
    from pulumi_policy.policy import PolicyResource, StackValidationArgs
    from pulumi_policy.proxy import unknown_checking_proxy

    def resource(kind: str, name: str, props: dict[str, Any]) -> PolicyResource:
        return PolicyResource(kind, unknown_checking_proxy(props), f"urn:{name}", name, None, None, None, [], {})

    args = StackValidationArgs(
        [
            resource(RULE, "read", VALID[RULE]),
            resource(RULE, "write", VALID[RULE] | {"name": "orders-write"}),
            resource("aws:ec2/vpc:Vpc", "vpc", {}),
        ]
    )
    reported: list[tuple[str, str | None]] = []
    policy = api_model_policy.api_model_stack_policy()
    policy.validate(args, lambda message, urn=None: reported.append((message, urn)))
    assert [urn for _, urn in reported] == ["urn:read", "urn:write"]
    assert reported[0][0].startswith("ListenerRule 'read': priority: priority 10 is also used by rule 'write'")
