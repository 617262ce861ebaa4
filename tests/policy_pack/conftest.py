"""Shared setup for the policy pack tests: one pack process per module, started as the engine starts it."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from lattice_components.tools.analyzer_client import PACK_DIR, PolicyPackProcess


@pytest.fixture(scope="module")
def running_pack() -> Iterator[PolicyPackProcess]:
    """One pack process per test module, started as the engine starts it and always terminated."""
    pack = PolicyPackProcess(PACK_DIR, project="lattice", stack="dev", dry_run=True)
    pack.start()
    try:
        yield pack
    finally:
        pack.close()


@pytest.fixture
def pack(running_pack: PolicyPackProcess) -> PolicyPackProcess:
    """The running pack with the default configuration (Configure replaces the previous test's map)."""
    running_pack.configure({})
    return running_pack
