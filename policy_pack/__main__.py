"""What the Pulumi CLI runs: `python -u -m pulumi.policy <engine> .` with this folder as working directory.

Constructing `PolicyPack` starts the analyzer's gRPC server, prints its port and blocks forever, so this file
builds the pack and nothing else; the policies live in `lattice_components.policies`, importable by tests.
"""

from pulumi_policy import PolicyPack

from lattice_components.policies import PACK_NAME, all_policies

PolicyPack(
    name=PACK_NAME,
    policies=all_policies(),
    description="Guardrails for Amazon VPC Lattice service networks, services and RAM sharing.",
)
