"""Stack config and component arguments: one typed schema, its reader, and the error both raise.

- `base`: API-model limits as pydantic constraints, resource names and IDs, the `Spec` base class.
- `services`: a Lattice service (target groups, listeners, rules, allowed callers).
- `stacks`: the shared-network stack's and an account stack's config, consumer VPCs.
- `resources`, `resource_args`, `endpoints`: resource gateways, resource configurations, service-network VPC endpoints.
- `reader`: reading `pulumi.Config` and turning validation errors into one line per problem.
- `args`: the same schema applied to a component's `args` (and the args only components take), Outputs included.
- `errors`: `ConfigError`, which stops a program before any resource is registered.

Imports `lattice_components.apimodel` for limits; nothing above it.
"""

from .args import ServiceNetworkSpec, ShareAccepterSpec, validate_args
from .base import Spec
from .errors import ConfigError
from .reader import describe, parse, read_raw, read_region, read_stack_config, region_problems
from .services import (
    ActionSpec,
    AllowedCallersSpec,
    HeaderMatchSpec,
    HealthCheckSpec,
    LatticeServiceSpec,
    LatticeTargetGroupSpec,
    ListenerSpec,
    MatchSpec,
    RuleSpec,
    ServiceSpec,
    TargetGroupSpec,
    TargetSpec,
    WeightedTargetSpec,
)
from .endpoints import ServiceNetworkEndpointSpec
from .resources import ChildResourceSpec, ResourceConfigurationSpec, ResourceGatewaySpec
from .resource_args import ChildResourceArgsSpec, ResourceConfigurationArgsSpec, ResourceGatewayArgsSpec
from .stacks import (
    AccountSpec,
    AccountStackConfig,
    ConsumerSpec,
    ConsumerVpcSpec,
    NetworkSpec,
    NetworkStackConfig,
    SecurityGroupSpec,
)

__all__ = [
    "AccountSpec",
    "AccountStackConfig",
    "ActionSpec",
    "AllowedCallersSpec",
    "ChildResourceArgsSpec",
    "ChildResourceSpec",
    "ConfigError",
    "ConsumerSpec",
    "ConsumerVpcSpec",
    "HeaderMatchSpec",
    "HealthCheckSpec",
    "LatticeServiceSpec",
    "LatticeTargetGroupSpec",
    "ListenerSpec",
    "MatchSpec",
    "NetworkSpec",
    "NetworkStackConfig",
    "ResourceConfigurationArgsSpec",
    "ResourceConfigurationSpec",
    "ResourceGatewayArgsSpec",
    "ResourceGatewaySpec",
    "RuleSpec",
    "SecurityGroupSpec",
    "ServiceNetworkEndpointSpec",
    "ServiceNetworkSpec",
    "ServiceSpec",
    "ShareAccepterSpec",
    "Spec",
    "TargetGroupSpec",
    "TargetSpec",
    "WeightedTargetSpec",
    "describe",
    "parse",
    "read_raw",
    "read_region",
    "read_stack_config",
    "region_problems",
    "validate_args",
]
