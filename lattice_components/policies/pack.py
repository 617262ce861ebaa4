"""The lattice policy pack's policies: pure checks wrapped as pulumi-policy policies, with levels and config.

`all_policies()` is everything `__main__.py` needs. Default levels follow one rule: what opens a service to
unintended callers is mandatory; what is a hygiene or operability concern is advisory, and the prod example
config (`policy-config.prod.json`) turns the hygiene ones mandatory. Every level can be overridden with
`--policy-pack-config` (`{"<policy>": {"enforcementLevel": ...}}` or `{"all": ...}`).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping, Sequence
from typing import Any

from pulumi_policy import (
    EnforcementLevel,
    Policy,
    PolicyConfigSchema,
    ReportViolation,
    ResourceValidationArgs,
    ResourceValidationPolicy,
    Severity,
    StackValidationArgs,
    StackValidationPolicy,
)
from pulumi_policy.proxy import UnknownValueError

from . import auth_policy_checks, logging_checks, request_inputs
from . import resource_access_checks as ra
from . import resource_checks as rc
from . import stack_checks
from .policy_inputs import Resource, Unknown

PACK_NAME = "lattice"

ResourceCheck = Callable[[Resource, Mapping[str, Any]], Iterator[str]]
StackCheck = Callable[[Sequence[Resource], Mapping[str, Any]], Iterator[tuple[str, str]]]

_NAMES = {"type": "array", "items": {"type": "string"}, "default": []}


def _schema(**properties: dict[str, Any]) -> PolicyConfigSchema:
    return PolicyConfigSchema(properties=properties)


def _defaults(schema: PolicyConfigSchema | None) -> dict[str, Any]:
    """Schema defaults applied in code too: the CLI may or may not fill them in, tests and plan never do."""
    if schema is None:
        return {}
    return {key: spec["default"] for key, spec in schema.properties.items() if "default" in spec}


def _drain(findings: Iterator[Any], report: Callable[[Any], None]) -> None:
    """Report every finding; turn our `Unknown` into the SDK's, so the engine says "can't run during preview"."""
    try:
        for finding in findings:
            report(finding)
    except Unknown as unknown:
        raise UnknownValueError(unknown.sentinel, unknown.path.split(".")) from None


def resource_policy(
    name: str,
    description: str,
    types: Sequence[str],
    check: ResourceCheck,
    level: EnforcementLevel,
    schema: PolicyConfigSchema | None = None,
    severity: Severity | None = None,
) -> ResourceValidationPolicy:
    """A resource policy running `check` on resources of `types`, with its config defaults filled in.

    The resource is decoded once per request for all the pack's policies (`request_inputs`)."""
    defaults = _defaults(schema)
    types = frozenset(types)

    def validate(args: ResourceValidationArgs, report_violation: ReportViolation) -> None:
        if args.resource_type not in types:
            return
        config = {**defaults, **args.get_config()}
        resource = request_inputs.resource(args, report_violation)
        _drain(check(resource, config), lambda message: report_violation(message, None))

    return ResourceValidationPolicy(
        name=name, description=description, validate=validate, enforcement_level=level,
        config_schema=schema, severity=severity,
    )


def stack_policy(
    name: str,
    description: str,
    check: StackCheck,
    level: EnforcementLevel,
    schema: PolicyConfigSchema | None = None,
    severity: Severity | None = None,
) -> StackValidationPolicy:
    """A stack policy running `check` over all resources; each finding names the resource's URN.

    The stack's resources are decoded and indexed once per request for all the pack's stack policies
    (`request_inputs`): a check reads them with `policy_inputs.of_type` / `by_urn`."""
    defaults = _defaults(schema)

    def validate(args: StackValidationArgs, report_violation: ReportViolation) -> None:
        config = {**defaults, **args.get_config()}
        resources = request_inputs.stack(args, report_violation)
        _drain(check(resources, config), lambda finding: report_violation(finding[0], finding[1]))

    return StackValidationPolicy(
        name=name, description=description, validate=validate, enforcement_level=level,
        config_schema=schema, severity=severity,
    )


_EXEMPT = _schema(exemptResources=_NAMES)
MANDATORY, ADVISORY = EnforcementLevel.MANDATORY, EnforcementLevel.ADVISORY


def all_policies() -> list[Policy]:
    """Every policy of the pack, in the order the CLI lists them."""
    policies: list[Policy] = [
        resource_policy(
            "lattice-auth-type-not-none",
            "Service networks and services must use authType AWS_IAM (a missing authType is NONE).",
            (rc.SERVICE_NETWORK, rc.SERVICE), rc.check_auth_type, MANDATORY, severity=Severity.HIGH,
        ),
        resource_policy(
            "lattice-target-group-health-check",
            "INSTANCE and IP target groups over HTTP/HTTPS need an enabled health check with a path.",
            (rc.TARGET_GROUP,), rc.check_target_group_health_check, MANDATORY, severity=Severity.MEDIUM,
        ),
        resource_policy(
            "lattice-target-group-protocol",
            "INSTANCE, IP and ALB target groups need a config block with a protocol.",
            (rc.TARGET_GROUP,), rc.check_target_group_protocol, MANDATORY, severity=Severity.MEDIUM,
        ),
        resource_policy(
            "lattice-listener-default-action",
            "Listeners need a default action that forwards to a target group or returns a fixed response.",
            (rc.LISTENER,), rc.check_listener_default_action, MANDATORY, severity=Severity.MEDIUM,
        ),
        resource_policy(
            "lattice-auth-policy-document",
            "Auth and resource policies must be documents IAM accepts (no duplicate keys, exact element names), "
            "use Version 2012-10-17, fit 10 KB and never allow everyone without a confining condition.",
            auth_policy_checks.POLICY_TYPES, auth_policy_checks.check_auth_policy_document, MANDATORY,
            _schema(confiningConditionKeys={
                "type": "array", "items": {"type": "string"},
                "default": list(auth_policy_checks.DEFAULT_CONFINING_KEYS),
            }),
            severity=Severity.CRITICAL,
        ),
        resource_policy(
            "lattice-ram-share-external-principals",
            "RAM shares keep allowExternalPrincipals false unless allow-listed in allowedExternalShares.",
            (rc.RESOURCE_SHARE,), rc.check_ram_share_external_principals, MANDATORY,
            _schema(allowedExternalShares=_NAMES), severity=Severity.HIGH,
        ),
        stack_policy(
            "lattice-iam-auth-has-policy",
            "Services and service networks with authType AWS_IAM need an auth policy, or all traffic is denied.",
            stack_checks.check_iam_auth_has_policy, ADVISORY, _EXEMPT,
        ),
        stack_policy(
            "lattice-service-associated",
            "Every service is associated with a service network, or shared through RAM for others to associate.",
            stack_checks.check_service_associated, ADVISORY, _EXEMPT,
        ),
        stack_policy(
            "lattice-target-group-unused",
            "Every target group is forwarded to by a listener or rule of its stack.",
            stack_checks.check_target_group_used, ADVISORY, _EXEMPT,
        ),
        stack_policy(
            "lattice-network-access-logs",
            "Every service network has an access-log subscription.",
            stack_checks.check_network_access_logs, ADVISORY, _EXEMPT,
        ),
        stack_policy(logging_checks.POLICY_NAME, logging_checks.DESCRIPTION, logging_checks.check_network_log_destinations, ADVISORY, logging_checks.SCHEMA),
        resource_policy(
            "lattice-listener-https",
            "Listeners use HTTPS unless allow-listed in allowedHttpListeners.",
            (rc.LISTENER,), rc.check_listener_https, ADVISORY, _schema(allowedHttpListeners=_NAMES),
        ),
        resource_policy(
            "lattice-required-tags",
            "Taggable Lattice resources carry the tag keys listed in requiredTags.",
            tuple(rc.TAGGABLE_TYPES), rc.check_required_tags, ADVISORY, _schema(requiredTags=_NAMES),
        ),
        resource_policy(
            "lattice-forward-weights",
            "A forward action does not send all traffic to one target group while another sits at weight 0.",
            (rc.LISTENER, rc.LISTENER_RULE), rc.check_forward_weights, ADVISORY,
        ),
        # VPC resources over Lattice (issue #15): auth policies do not apply to them, so these hold what does.
        resource_policy(
            "lattice-resource-ports",
            "Resource configurations open only port ranges inside allowedPortRanges.",
            (ra.RESOURCE_CONFIGURATION,), ra.check_resource_ports, ADVISORY,
            _schema(allowedPortRanges=_NAMES, exemptResources=_NAMES), severity=Severity.HIGH,
        ),
        stack_policy(
            "lattice-resource-share-external",
            "No resource configuration is in a RAM share open to principals outside the organization, unless allow-listed.",
            ra.check_resource_shares_stay_inside, MANDATORY, _schema(allowedExternalResourceShares=_NAMES),
            severity=Severity.HIGH,
        ),
        resource_policy(
            "lattice-endpoint-security-groups",
            "Service-network and resource VPC endpoints name their security groups.",
            (ra.VPC_ENDPOINT,), ra.check_endpoint_security_groups, MANDATORY, _EXEMPT, severity=Severity.MEDIUM,
        ),
        resource_policy(
            "lattice-resource-gateway-subnets",
            "Resource gateways span at least minSubnets subnets (Availability Zones).",
            (ra.RESOURCE_GATEWAY,), ra.check_gateway_subnets, ADVISORY,
            _schema(minSubnets={"type": "integer", "minimum": 1, "default": ra.DEFAULT_MIN_GATEWAY_SUBNETS}),
        ),
    ]
    # What the AWS API itself would reject, read from botocore's model (lattice_components.apimodel), so a
    # stack written without our components is held to the same limits as our config.
    from .api_model_policy import api_model_policies

    policies.extend(api_model_policies())
    return policies
