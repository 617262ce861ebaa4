"""What the Pulumi CLI runs: `python -u -m pulumi.policy <engine> .` with this folder as working directory.

Constructing `PolicyPack` starts the analyzer's gRPC server, prints its port and blocks forever, so this file
builds the pack and nothing else; the policies live in `lattice_components.policies`, importable by tests.
"""

import gc

from pulumi_policy import PolicyPack

from lattice_components.policies import PACK_NAME, all_policies

policies = all_policies()
# What was imported to build the pack lives as long as the process: frozen, the garbage collector stops
# re-scanning it while the SDK decodes every request (its full collections cost 0.36 s against a no-op pack's
# 0.19 s over a 500-service preview's analysis, and 0.17 s frozen; benchmarks, part 2).
gc.freeze()
PolicyPack(
    name=PACK_NAME,
    policies=policies,
    description="Guardrails for Amazon VPC Lattice service networks, services and RAM sharing.",
)
