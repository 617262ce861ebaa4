"""The two Pulumi programs of this repository, importable so tests and `lattice plan` run them as Pulumi would.

`network.main` is the shared-network stack (the root `Pulumi.yaml`); `account.main` is every per-account stack
(`stacks/Pulumi.yaml`). Each `__main__.py` only calls one of them.
"""
