"""AWS's own VPC Lattice API model (botocore), and every check derived from it.

- `model`: botocore's model read once, limits by operation and member, ranges stated only in its documentation.
- `engine_names`: the one table of pulumi-aws 7.x names -> API names, and what the pulumi-aws SDK requires.
- `values`: values as the engine and the provider see them (unknowns of preview, coerced numbers and strings).
- `resource_rules`: one resource's inputs against the model (`check_resource`).
- `stack_rules`: rules across the resources of one stack (`check_stack`).

Imports only botocore, pulumi's value types and itself; the config schema, the components and the policy pack
build on it.
"""

from .engine_names import (
    LATTICE_TYPE_PREFIX,
    RESOURCE_MAPPINGS,
    ResourceMapping,
    api_member_for,
    is_lattice_type,
    property_limits,
    sdk_inputs,
)
from .model import MemberLimits, limits, service_model
from .resource_rules import AUTH_POLICY_MAX_BYTES, check_resource, compact_json
from .stack_rules import StackResource, StackViolation, check_stack
from .values import UNKNOWN_SENTINELS, is_unknown, pattern_hint, plain
from .violations import ApiViolation

__all__ = [
    "AUTH_POLICY_MAX_BYTES",
    "LATTICE_TYPE_PREFIX",
    "RESOURCE_MAPPINGS",
    "UNKNOWN_SENTINELS",
    "ApiViolation",
    "MemberLimits",
    "ResourceMapping",
    "StackResource",
    "StackViolation",
    "api_member_for",
    "check_resource",
    "check_stack",
    "compact_json",
    "is_lattice_type",
    "is_unknown",
    "limits",
    "pattern_hint",
    "plain",
    "property_limits",
    "sdk_inputs",
    "service_model",
]
