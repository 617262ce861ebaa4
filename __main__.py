"""The shared-network stack's program (see lattice_components/programs/network.py)."""

from lattice_components.programs import network

network.main()
