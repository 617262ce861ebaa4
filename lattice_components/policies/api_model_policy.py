"""The VPC Lattice API model as policies: what AWS would reject, reported at preview instead of mid-deploy.

`lattice-api-model` runs `lattice_components.apimodel.check_resource` on every `aws:vpclattice/*` resource
(required members, types, lengths, ranges, enums, patterns, unions, the limits the model states only in its
documentation, TLS passthrough and auth-policy quota rules); `lattice-api-model-stack` runs `check_stack` over the
whole stack (unique rule priorities per listener, TLS passthrough needs a custom domain and TCP target groups,
one service network per VPC, unique names). Both are mandatory: each finding is a request AWS refuses.

Unknown values (outputs of resources not created yet) are skipped rather than raised, so these policies never
turn into "can't run policy during preview": they check what is known and leave the rest to the next preview.
"""

from __future__ import annotations

from pulumi_policy import (
    EnforcementLevel,
    Policy,
    ReportViolation,
    ResourceValidationArgs,
    ResourceValidationPolicy,
    Severity,
    StackValidationArgs,
    StackValidationPolicy,
)

from ..apimodel import (
    StackResource,
    check_resource,
    check_stack,
    is_lattice_type,
)
from . import request_inputs

RESOURCE_POLICY_NAME = "lattice-api-model"
STACK_POLICY_NAME = "lattice-api-model-stack"


def _label(type_token: str, name: str) -> str:
    """`TargetGroup 'orders'`: the type's last segment and the Pulumi resource name, for messages."""
    return f"{type_token.rsplit(':', 1)[-1]} {name!r}"


def validate_resource(args: ResourceValidationArgs, report_violation: ReportViolation) -> None:
    if not is_lattice_type(args.resource_type):
        return
    props = request_inputs.resource(args, report_violation).props  # decoded once for the pack's policies
    for violation in check_resource(args.resource_type, props):
        report_violation(f"{_label(args.resource_type, args.name)}: {violation}", None)


def validate_stack(args: StackValidationArgs, report_violation: ReportViolation) -> None:
    decoded = request_inputs.stack(args, report_violation)  # once for the pack's stack policies, in this order
    resources = [
        StackResource(
            type=resource.resource_type,
            name=resource.name,
            props=own.props,
            urn=resource.urn,
            references={key: frozenset(urns) for key, urns in own.property_dependencies.items()},
            scope=getattr(resource.provider, "urn", "") or "",
        )
        for resource, own in zip(args.resources, decoded)
        if is_lattice_type(resource.resource_type)
    ]
    for finding in check_stack(resources):
        report_violation(
            f"{_label(finding.resource.type, finding.resource.name)}: {finding.violation}", finding.resource.urn
        )


def api_model_policy() -> ResourceValidationPolicy:
    """Every `aws:vpclattice/*` resource against the API model botocore ships (mandatory)."""
    return ResourceValidationPolicy(
        name=RESOURCE_POLICY_NAME,
        description="VPC Lattice resources must pass the AWS API model's validation (botocore's vpc-lattice model).",
        validate=validate_resource,
        enforcement_level=EnforcementLevel.MANDATORY,
        severity=Severity.HIGH,
    )


def api_model_stack_policy() -> StackValidationPolicy:
    """The API rules that span resources (mandatory)."""
    return StackValidationPolicy(
        name=STACK_POLICY_NAME,
        description="VPC Lattice resources must fit together as the API requires (priorities, TLS passthrough, "
        "VPC associations, unique names).",
        validate=validate_stack,
        enforcement_level=EnforcementLevel.MANDATORY,
        severity=Severity.HIGH,
    )


def api_model_policies() -> list[Policy]:
    return [api_model_policy(), api_model_stack_policy()]
