"""Every per-account stack's program (see lattice_components/programs/account.py)."""

import pulumi

from lattice_components.programs import account

pulumi.run(account.main)
