"""Shared fixtures: the repository's environments, run once per session under the mock monitor."""

from __future__ import annotations

import pytest

from lattice_components import offline


@pytest.fixture(scope="session")
def dev() -> offline.EnvironmentRun:
    return offline.run_environment("dev")


@pytest.fixture(scope="session")
def prod() -> offline.EnvironmentRun:
    return offline.run_environment("prod")


@pytest.fixture(params=["dev", "prod"])
def environment(request, dev, prod) -> offline.EnvironmentRun:
    return {"dev": dev, "prod": prod}[request.param]
