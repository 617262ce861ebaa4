"""`lattice plan` on every core: GIVEN an environment of ten account stacks, one of them with invalid config,
WHEN it is planned in one process and in two worker processes, THEN both reports are the same byte for byte,
and the broken stack is reported beside the other stacks' results."""

from __future__ import annotations

import json

import pytest
import yaml
from typer.testing import CliRunner

from benchmarks import synthetic
from lattice_components.tools import plan, plan_runs
from lattice_components.tools.cli import app

BROKEN = "team003-bench"


@pytest.fixture(scope="module")
def project(tmp_path_factory):
    """A ten-account environment in the repository's file layout; one account's rule priority is past the
    API's maximum."""
    root = tmp_path_factory.mktemp("bench")
    synthetic.write(synthetic.build(10), root)
    path = root / "stacks" / f"Pulumi.{BROKEN}.yaml"
    document = yaml.safe_load(path.read_text())
    [service] = document["config"]["lattice:services"].values()
    service["listeners"][0]["rules"][0]["priority"] = 2500
    path.write_text(yaml.safe_dump(document, sort_keys=False))
    return root


@pytest.fixture(scope="module")
def reports(project):
    return {jobs: plan.build(synthetic.ENV, project, jobs=jobs) for jobs in (1, 2)}


def test_the_parallel_report_is_the_sequential_one_byte_for_byte(reports):
    sequential, parallel = reports[1], reports[2]
    assert plan.to_markdown(parallel) == plan.to_markdown(sequential)
    assert json.dumps(plan.to_json(parallel), default=str) == json.dumps(plan.to_json(sequential), default=str)


@pytest.mark.parametrize("jobs", [1, 2])
def test_a_broken_stack_is_reported_beside_the_others_results(reports, jobs):
    report = reports[jobs]
    assert [failure.stack for failure in report.failures] == [f"lattice-account/{BROKEN}"]
    assert "priority: 2500 is above the maximum 2000" in report.failures[0].message
    # every other stack ran and was analyzed by the pack
    ran = [run.stack for run in report.runs]
    assert BROKEN not in ran and len(ran) == 1 + 9
    assert {f.stack for f in report.findings} >= {f"lattice-account/{stack}" for stack in ran[1:3]}
    assert "### Stacks that did not run" in plan.to_markdown(report)


def test_the_cli_prints_the_report_and_exits_2_for_the_broken_stack(project):
    result = CliRunner().invoke(app, ["plan", synthetic.ENV, "--project-dir", str(project), "--format", "markdown", "--jobs", "2"])
    assert result.exit_code == 2
    assert "### Stacks that did not run" in result.output and "lattice-account/team004-bench" in result.output
    assert "Traceback" not in result.output


def test_the_pool_is_sized_to_the_cores_this_process_may_use(monkeypatch):
    monkeypatch.setattr(plan_runs.os, "sched_getaffinity", lambda _: {0, 1, 2}, raising=False)
    assert plan_runs.available_cores() == 3
