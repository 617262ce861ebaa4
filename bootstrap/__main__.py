"""Every IAM bootstrap stack's program (see lattice_components/programs/bootstrap.py)."""

from lattice_components.programs import bootstrap

bootstrap.main()
