"""Shared setup for the policy pack tests.

The pack's modules import each other by bare name (the CLI runs `__main__.py` from inside `policy_pack/`),
so the tests put that folder first on `sys.path`, as the CLI's launcher does.
"""

from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

PACK_DIR = Path(__file__).resolve().parents[2] / "policy_pack"
sys.path.insert(0, str(PACK_DIR))

from analyzer_client import PolicyPackProcess  # noqa: E402


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
