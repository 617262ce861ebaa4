"""The baseline pack: policies that look at nothing, so what it costs is pulumi-policy's own analyzer (gRPC,
deserializing each resource once per policy, dispatching) and nothing of ours.

One resource policy by default. `LATTICE_BENCH_RESOURCE_POLICIES` / `LATTICE_BENCH_STACK_POLICIES` set how many
resource and stack policies it holds, so the benchmark can also start it with as many policies as the lattice
pack and separate the SDK's per-policy cost from the work our policies do.
"""

import os

from pulumi_policy import EnforcementLevel, PolicyPack, ResourceValidationPolicy, StackValidationPolicy


def _accept_everything(args, report_violation) -> None:
    return None


resource_count = int(os.environ.get("LATTICE_BENCH_RESOURCE_POLICIES", "1"))
stack_count = int(os.environ.get("LATTICE_BENCH_STACK_POLICIES", "0"))
PolicyPack(
    name="trivial",
    policies=[
        ResourceValidationPolicy(
            name=f"trivial-resource-{index}",
            description="Looks at nothing and reports nothing: the floor of a resource policy.",
            validate=_accept_everything,
            enforcement_level=EnforcementLevel.ADVISORY,
        )
        for index in range(resource_count)
    ] + [
        StackValidationPolicy(
            name=f"trivial-stack-{index}",
            description="Looks at nothing and reports nothing: the floor of a stack policy.",
            validate=_accept_everything,
            enforcement_level=EnforcementLevel.ADVISORY,
        )
        for index in range(stack_count)
    ],
    description="Benchmark baseline: the cost of the analyzer protocol with policies that do no work.",
)
