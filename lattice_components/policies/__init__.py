"""The CrossGuard policies for VPC Lattice, importable and versioned with the components.

`policy_pack/__main__.py` builds the pack from `all_policies()`; tests call the checks directly. Needs
pulumi-policy. Imports `lattice_components.apimodel` (the API-model policies) and nothing from the tools.
"""

from .pack import PACK_NAME, all_policies

__all__ = ["PACK_NAME", "all_policies"]
