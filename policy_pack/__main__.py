"""What the Pulumi CLI runs: `python -u -m pulumi.policy <engine> .` with this folder as working directory.

Constructing `PolicyPack` starts the analyzer's gRPC server, prints its port and blocks forever, so this file
builds the pack and nothing else; the policies live in `lattice_policies.py`, importable by tests. Sibling
modules import by their bare names because both launchers put this folder first on `sys.path`
(`runpy.run_path(".")` does, and so does `python policy_pack/__main__.py`).
"""

from pulumi_policy import PolicyPack

from lattice_policies import PACK_NAME, all_policies

PolicyPack(
    name=PACK_NAME,
    policies=all_policies(),
    description="Guardrails for Amazon VPC Lattice service networks, services and RAM sharing.",
)
