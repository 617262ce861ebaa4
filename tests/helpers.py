"""Small helpers the scenarios share."""

from __future__ import annotations

import json
from typing import Any, Callable

from lattice_components.tools import offline


def run_component(build: Callable[[], Any], account_id: str = "123456789012", region: str = "us-east-1") -> offline.ProgramRun:
    """Register whatever `build` constructs in a fresh stack under the mock monitor."""
    return offline.run_program(build, project="test", stack="test", config={}, account_id=account_id, region=region)


def policy_of(run: offline.ProgramRun, owner_urn_part: str) -> dict[str, Any]:
    """The parsed auth policy whose resource name contains `owner_urn_part`."""
    [policy] = [r for r in run.of_type("aws:vpclattice/authPolicy:AuthPolicy") if owner_urn_part in r.name]
    return json.loads(policy.inputs["policy"])


def find_run(env: offline.EnvironmentRun, stack_prefix: str) -> offline.ProgramRun:
    [run] = [run for run in env.accounts if run.stack.startswith(stack_prefix + "-")]
    return run
