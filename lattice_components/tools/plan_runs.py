"""Every stack of an environment run offline and analyzed by the policy pack, on one core or on all of them.

After the network stack, account stacks are independent (each reads only the network's exports), so
`run_environment_plan(..., jobs=N)` runs them in N worker processes, each with its own policy pack process
that analyzes the stacks its worker ran. Processes, not threads: the SDK's mock monitor and settings are
process-global. Results come back in deploy order whatever order they finish in, so the report is the same
byte for byte as the sequential one. An account stack whose config is invalid is reported as a failure
beside the other stacks' results instead of stopping the plan.
"""

from __future__ import annotations

import json
import multiprocessing
import os
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..config import ConfigError
from . import analyzer_client, offline

POLICY_PACK_DIR = offline.REPO_ROOT / "policy_pack"
# Below this many account stacks a pool costs more to start (a process per worker, a pack per worker) than
# running the stacks one after another saves; `--jobs` overrides.
AUTO_PARALLEL_MIN_STACKS = 8


@dataclass
class Finding:
    """One policy diagnostic, attributed to its stack and resource."""

    stack: str
    policy: str
    level: str
    message: str
    resource: str


@dataclass
class StackFailure:
    """An account stack that did not run: its stack file and the config errors that stopped it."""

    stack: str
    message: str


@dataclass
class EnvironmentPlan:
    """What every stack registered (the ones that ran), what the pack found, and the stacks that failed."""

    env_run: offline.EnvironmentRun
    findings: list[Finding] = field(default_factory=list)
    failures: list[StackFailure] = field(default_factory=list)


@dataclass(frozen=True)
class AccountStackSpec:
    """One account stack to run: its name, config and the network stack its StackReference names."""

    stack: str
    config: dict[str, Any]
    reference: str


def available_cores() -> int:
    """The cores this process may run on (a container's or `taskset`'s limit, not the machine's)."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not on Linux
        return max(1, os.cpu_count() or 1)


def pack_resources(run: offline.ProgramRun) -> list[dict[str, Any]]:
    """The run's resources in the shape the analyzer client sends (props as the engine would hold them)."""
    providers = {r.urn: r for r in run.resources if r.type.startswith("pulumi:providers:")}
    resources = []
    for r in run.resources:
        props = dict(r.state)
        if r.custom and r.id and not r.type.startswith("pulumi:"):
            props.setdefault("id", r.id)
        provider = next((p for urn, p in providers.items() if r.provider.startswith(urn)), None)
        resources.append({
            "type": r.type, "name": r.name, "urn": r.urn, "props": props, "parent": r.parent,
            "dependencies": r.dependencies, "property_dependencies": r.property_dependencies,
            "provider": {"type": provider.type, "name": provider.name, "urn": provider.urn, "props": provider.inputs}
            if provider else None,
        })
    return resources


def policy_config(env: str, root: Path | None = None) -> dict[str, Any]:
    """The `--policy-pack-config` document of `env`: the project's own (`root/policy_pack/`) when it has one,
    else the one this package ships."""
    for folder in ([root / "policy_pack"] if root is not None else []) + [POLICY_PACK_DIR]:
        path = folder / f"policy-config.{env}.json"
        if path.exists():
            return json.loads(path.read_text())
    return {}


def _findings(pack: analyzer_client.PolicyPackProcess, run: offline.ProgramRun) -> list[Finding]:
    return [
        Finding(
            stack=f"{run.project}/{run.stack}",
            policy=diagnostic.policy_name,
            level=diagnostic.enforcement_level,
            message=diagnostic.message,
            resource=diagnostic.urn.rsplit("::", 1)[-1] if diagnostic.urn else "(stack)",
        )
        for diagnostic in pack.analyze_all(pack_resources(run))
    ]


def run_policies(env_run: offline.EnvironmentRun, config: dict[str, Any] | None = None) -> list[Finding]:
    """Start the pack once, configure it as CI does for this environment, analyze every stack like a preview."""
    # One pack process serves every stack (the policies read nothing from PULUMI_STACK); starting it costs
    # more than analyzing a stack.
    with analyzer_client.PolicyPackProcess(project=env_run.network.project, stack=env_run.env) as pack:
        pack.configure(policy_config(env_run.env) if config is None else config)
        return [finding for run in env_run.runs for finding in _findings(pack, run)]


def account_stacks(env: str, root: Path) -> list[AccountStackSpec]:
    """The account stacks of `env` in deploy order, as `offline.run_environment` runs them."""
    from ..programs.account import default_network_stack

    found = []
    for path in offline.account_stack_files(env, root):
        stack = path.name[len("Pulumi."):-len(".yaml")]
        config = offline.load_stack_file(path)
        found.append(AccountStackSpec(stack, config, config.get("lattice:networkStack") or default_network_stack(stack)))
    return found


def _run_account(spec: AccountStackSpec, network: offline.ProgramRun, root: Path) -> offline.ProgramRun | StackFailure:
    try:
        return offline.run_account_stack(spec.stack, network.outputs, spec.reference, root, spec.config)
    except ConfigError as error:
        return StackFailure(stack=f"{offline.ACCOUNT_PROJECT}/{spec.stack}", message=str(error))


def run_environment_plan(env: str, root: Path = offline.REPO_ROOT, jobs: int | None = None) -> EnvironmentPlan:
    """The network stack, then every account stack fed its exports, each analyzed by the pack.

    jobs: worker processes for the account stacks and their analysis; None = every available core when the
    environment has `AUTO_PARALLEL_MIN_STACKS` account stacks or more, else 1 (in this process). A config
    error in the network stack stops everything (no account stack can run without its exports) and raises.
    """
    network = offline.run_network_stack(env, root)
    specs = account_stacks(env, root)
    config = policy_config(env, root)
    if jobs is None:
        jobs = available_cores() if len(specs) >= AUTO_PARALLEL_MIN_STACKS else 1
    jobs = max(1, min(jobs, len(specs)))
    if jobs == 1:
        outcomes = [_run_account(spec, network, root) for spec in specs]
        accounts = [outcome for outcome in outcomes if isinstance(outcome, offline.ProgramRun)]
        env_run = offline.EnvironmentRun(env=env, network=network, accounts=accounts)
        findings = run_policies(env_run, config)
    else:
        outcomes, findings = _run_in_workers(env, root, network, specs, config, jobs)
        accounts = [outcome for outcome in outcomes if isinstance(outcome, offline.ProgramRun)]
        env_run = offline.EnvironmentRun(env=env, network=network, accounts=accounts)
    failures = [outcome for outcome in outcomes if isinstance(outcome, StackFailure)]
    return EnvironmentPlan(env_run=env_run, findings=findings, failures=failures)


# ------------------------------------------------------------------------------------------------------------
# Worker processes
# ------------------------------------------------------------------------------------------------------------

# What every worker needs, imported once by the fork server: the programs and the pulumi-aws modules they
# register from (pulumi-aws loads each module on first attribute access).
PRELOAD = [
    "lattice_components.tools.plan_runs", "lattice_components.programs.account",
    "pulumi_aws.vpclattice", "pulumi_aws.ram", "pulumi_aws.ec2", "pulumi_aws.cloudwatch",
]
_worker: dict[str, Any] = {}  # this worker's pack process and what it needs, set by _start_worker


def _start_worker(env: str, project: str, config: dict[str, Any]) -> None:
    _worker.update(env=env, project=project, config=config, pack=None)


def _worker_pack() -> analyzer_client.PolicyPackProcess:
    if _worker["pack"] is None:
        from multiprocessing import util

        pack = analyzer_client.PolicyPackProcess(project=_worker["project"], stack=_worker["env"]).start()
        # Runs when the worker exits (the pool's shutdown), so no pack process outlives its worker.
        util.Finalize(pack, pack.close, exitpriority=10)
        pack.configure(_worker["config"])
        _worker["pack"] = pack
    return _worker["pack"]


def _analyze_in_worker(run: offline.ProgramRun) -> list[Finding]:
    return _findings(_worker_pack(), run)


def _account_in_worker(
    spec: AccountStackSpec, network: offline.ProgramRun, root: Path
) -> tuple[offline.ProgramRun | StackFailure, list[Finding]]:
    outcome = _run_account(spec, network, root)
    return outcome, _analyze_in_worker(outcome) if isinstance(outcome, offline.ProgramRun) else []


def _run_in_workers(
    env: str, root: Path, network: offline.ProgramRun, specs: list[AccountStackSpec], config: dict[str, Any], jobs: int
) -> tuple[list[offline.ProgramRun | StackFailure], list[Finding]]:
    # forkserver: each worker is forked from a server that imported the programs once, instead of a fresh
    # interpreter importing pulumi and pulumi-aws again per worker (spawn), and without forking this process's
    # threads (gRPC's, the pack client's) as plain fork would.
    context = multiprocessing.get_context("forkserver")
    context.set_forkserver_preload(PRELOAD)
    with ProcessPoolExecutor(
        max_workers=jobs, mp_context=context, initializer=_start_worker, initargs=(env, network.project, config)
    ) as pool:
        network_findings = pool.submit(_analyze_in_worker, network)
        # Largest stacks first: the pool's last task then is a short one, not a long one that starts late.
        order = sorted(range(len(specs)), key=lambda i: -len(json.dumps(specs[i].config, default=str)))
        futures = {i: pool.submit(_account_in_worker, specs[i], network, root) for i in order}
        results = [futures[i].result() for i in range(len(specs))]
        findings = network_findings.result() + [finding for _, found in results for finding in found]
    return [outcome for outcome, _ in results], findings
