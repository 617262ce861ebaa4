"""Shared fixtures: the repository's environments, run once per session under the mock monitor."""

from __future__ import annotations

import pytest
from hypothesis import settings

from lattice_components.tools import offline

# The suite is deterministic (issue #11, item 8): no per-example deadline, which fails a slow example on a busy
# machine, and the same examples on every run, so a failure reproduces. Tests that pass their own @settings
# still inherit what they leave out.
settings.register_profile("lattice", deadline=None, derandomize=True, database=None, print_blob=True)
settings.load_profile("lattice")


@pytest.fixture(scope="session")
def dev() -> offline.EnvironmentRun:
    return offline.run_environment("dev")


@pytest.fixture(scope="session")
def prod() -> offline.EnvironmentRun:
    return offline.run_environment("prod")


@pytest.fixture(params=["dev", "prod"])
def environment(request, dev, prod) -> offline.EnvironmentRun:
    return {"dev": dev, "prod": prod}[request.param]


def pytest_terminal_summary(terminalreporter):
    """Report how many generated configs were accepted and rejected (tests/test_config_properties.py)."""
    from mutation_counts import COUNTS

    if COUNTS:
        terminalreporter.section("config mutations")
        for key in sorted(COUNTS):
            terminalreporter.write_line(f"{key}: {COUNTS[key]}")
