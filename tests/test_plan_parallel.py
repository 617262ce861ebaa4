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


class _NetworkStackReached(Exception):
    pass


@pytest.mark.parametrize(
    "jobs, cores, expected",
    [(2, 1, ["fork server", "network"]), (1, 4, ["pack", "network"]), (None, 2, ["fork server", "network"]),
     (None, 1, ["pack", "network"])],
)
def test_the_fork_server_starts_before_the_network_stack_when_workers_may_run(project, monkeypatch, jobs, cores, expected):
    # GIVEN the ten-account project, and a plan stopped as soon as its network stack would run
    events: list[str] = []
    monkeypatch.setattr(plan_runs, "available_cores", lambda: cores)
    monkeypatch.setattr(plan_runs, "_start_fork_server", lambda: events.append("fork server"))
    monkeypatch.setattr(plan_runs.analyzer_client.PolicyPackProcess, "launch", lambda pack: events.append("pack") or pack)

    def network_stack(*args, **kwargs):
        events.append("network")
        raise _NetworkStackReached

    monkeypatch.setattr(plan_runs.offline, "run_network_stack", network_stack)
    # WHEN it is planned with `jobs`
    with pytest.raises(_NetworkStackReached):
        plan_runs.run_environment_plan(synthetic.ENV, project, jobs)
    # THEN the workers' fork server (its imports) is under way before the network stack runs, if workers may run;
    # in one process the policy pack is, for the same reason
    assert events == expected


def test_a_pack_launched_early_is_ended_when_the_network_stack_fails(project, monkeypatch):
    # GIVEN a one-process plan whose network stack fails once the pack process has been launched
    launched: list[plan_runs.analyzer_client.PolicyPackProcess] = []
    real_launch = plan_runs.analyzer_client.PolicyPackProcess.launch
    monkeypatch.setattr(plan_runs.analyzer_client.PolicyPackProcess, "launch",
                        lambda pack: launched.append(pack) or real_launch(pack))

    def network_stack(*args, **kwargs):
        raise _NetworkStackReached

    monkeypatch.setattr(plan_runs.offline, "run_network_stack", network_stack)
    with pytest.raises(_NetworkStackReached):
        plan_runs.run_environment_plan(synthetic.ENV, project, 1)
    # THEN the pack's process was started and is gone: nothing is left running behind the error
    [pack] = launched
    assert pack.process is not None and pack.process.poll() is not None


def test_a_pack_launched_early_analyzes_as_one_started_late(project):
    # GIVEN the ten-account project WHEN planned in one process (pack launched before the stacks) THEN its findings
    # are those of a pack started after the stacks ran, in the same order
    planned = plan_runs.run_environment_plan(synthetic.ENV, project, 1)
    assert planned.findings == plan_runs.run_policies(planned.env_run)


def test_an_environment_of_few_stacks_starts_no_fork_server(tmp_path, monkeypatch):
    # GIVEN fewer account stack files in the whole repository than an automatic pool needs
    synthetic.write(synthetic.build(plan_runs.AUTO_PARALLEL_MIN_STACKS - 1, accounts=plan_runs.AUTO_PARALLEL_MIN_STACKS - 2), tmp_path)
    monkeypatch.setattr(plan_runs, "available_cores", lambda: 8)
    # THEN an automatic plan would not start one, and an explicit --jobs would
    assert not plan_runs._may_use_workers(tmp_path, None)
    assert plan_runs._may_use_workers(tmp_path, 2) and not plan_runs._may_use_workers(tmp_path, 1)
