"""Every stack of an environment run offline and analyzed by the policy pack, on one core or on all of them.

After the network stack, account stacks are independent (each reads only the network's exports), except
where one reads target groups from another's outputs (`stack_order`): they run in waves, each wave after the
stacks it reads from, and `run_environment_plan(..., jobs=N)` runs each wave in N worker processes, each with
its own policy pack process that analyzes the stacks its worker ran. Processes, not threads: the SDK's mock monitor and settings are
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
from . import analyzer_client, offline, stack_order

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
    source: str = ""  # the file the problems are in
    problems: tuple[str, ...] = ()  # one line each, as `ConfigError.problems`


@dataclass
class EnvironmentPlan:
    """What every stack registered (the ones that ran), what the pack found, and the stacks that failed."""

    env_run: offline.EnvironmentRun
    findings: list[Finding] = field(default_factory=list)
    failures: list[StackFailure] = field(default_factory=list)


@dataclass(frozen=True)
class AccountStackSpec:
    """One account stack to run: its name, config, the network stack its StackReference names, and the
    outputs that reference answers with (the network's own, or none for a name that is not this environment's
    network, which the program then refuses)."""

    stack: str
    config: dict[str, Any]
    reference: str
    network_outputs_apply: bool
    organization: str


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


def run_policies(
    env_run: offline.EnvironmentRun, config: dict[str, Any] | None = None,
    launched: analyzer_client.PolicyPackProcess | None = None,
) -> list[Finding]:
    """Start the pack once (or connect to `launched`, started earlier), configure it as CI does for this
    environment, analyze every stack like a preview."""
    # One pack process serves every stack (the policies read nothing from PULUMI_STACK); starting it costs
    # more than analyzing a stack.
    with launched or analyzer_client.PolicyPackProcess(project=env_run.network.project, stack=env_run.env) as pack:
        pack.configure(policy_config(env_run.env) if config is None else config)
        return [finding for run in env_run.runs for finding in _findings(pack, run)]


def account_stacks(
    env: str, root: Path, organization: str | None = None
) -> tuple[list[AccountStackSpec], list[StackFailure]]:
    """The account stacks of `env` in deploy order, resolved as `offline.run_environment` resolves them (the
    environment from the stack's name and `lattice:account`, the network reference as its config gives it), and
    the stack files that cannot run, each with its problems: its own config, a reference that is not a network
    stack of this repository, and stacks of no environment at all."""
    from ..programs.account import NETWORK_PROJECT

    organization = organization or offline.default_organization()
    envs = offline.environments(root)
    own_network = f"{organization}/{NETWORK_PROJECT}/{env}"
    specs: list[AccountStackSpec] = []
    failures: list[StackFailure] = []
    for entry in offline.account_stacks(env, root, organization):
        if entry.error is not None:
            failures.append(_failure(entry.stack, entry.error))
        elif entry.reference is not None and entry.reference_env is None:
            failures.append(_failure(entry.stack, offline.not_this_repositorys_network(entry, root, organization, envs)))
        else:
            assert entry.config is not None
            reference = entry.reference or own_network
            specs.append(AccountStackSpec(entry.stack, entry.config, reference, reference == own_network, organization))
    failures += [_failure_of(error.source, error) for error in offline.orphan_problems(root, organization)]
    return specs, failures


def _failure(stack: str, error: ConfigError) -> StackFailure:
    return _failure_of(f"{offline.ACCOUNT_PROJECT}/{stack}", error)


def _failure_of(stack: str, error: ConfigError) -> StackFailure:
    return StackFailure(stack=stack, message=str(error), source=error.source, problems=tuple(error.problems))


def _run_account(
    spec: AccountStackSpec, network: offline.ProgramRun, root: Path, finished: dict[str, dict[str, Any] | None],
    env_stacks: list[str],
) -> offline.ProgramRun | StackFailure:
    """One account stack, fed the network's exports and those of the stacks it reads target groups from
    (`finished`: the outputs of the environment's stacks that ran, None for one that failed)."""
    try:
        outputs = network.outputs if spec.network_outputs_apply else {}
        others, problems = stack_order.other_stacks(spec.config, spec.organization, spec.reference, env_stacks, finished)
        if problems:
            raise ConfigError(problems, f"{offline.ACCOUNT_STACKS_DIR}/Pulumi.{spec.stack}.yaml")
        return offline.run_account_stack(spec.stack, outputs, spec.reference, root, spec.config, spec.organization, others)
    except ConfigError as error:
        return _failure(spec.stack, error)


def _outputs_of(outcome: offline.ProgramRun | StackFailure) -> dict[str, Any] | None:
    return outcome.outputs if isinstance(outcome, offline.ProgramRun) else None


def run_environment_plan(env: str, root: Path = offline.REPO_ROOT, jobs: int | None = None) -> EnvironmentPlan:
    """The network stack, then every account stack fed its exports (and those of the stacks it reads target
    groups from, which run before it), each analyzed by the pack.

    jobs: worker processes for the account stacks and their analysis; None = every available core when the
    environment has `AUTO_PARALLEL_MIN_STACKS` account stacks or more, else 1 (in this process). A config
    error in the network stack stops everything (no account stack can run without its exports) and raises.
    """
    organization = offline.default_organization()
    if env not in offline.environments(root):
        offline.run_environment(env, root, organization)  # raises, naming the environments there are
    if _may_use_workers(root, jobs):
        # The fork server imports what workers need (the programs, pulumi-aws) while this process runs the
        # network stack and reads the stack files, instead of after them with every core but one idle.
        _start_fork_server()
        return _plan(env, root, jobs, organization, None)
    # In one process the pack would start only after the last stack: launched now, it imports its policies on
    # another core while the stacks run (half a second of `lattice plan dev`'s wall time).
    pack = analyzer_client.PolicyPackProcess(project=offline.NETWORK_PROJECT, stack=env).launch()
    try:
        return _plan(env, root, jobs, organization, pack)
    finally:
        pack.close()  # connected, analyzed and closed by run_policies; this ends it on every other path


def _plan(
    env: str, root: Path, jobs: int | None, organization: str, pack: analyzer_client.PolicyPackProcess | None
) -> EnvironmentPlan:
    try:
        network = offline.run_network_stack(env, root, organization=organization)
    except ConfigError:
        # No account stack can run without the network's exports: the environment run reports the network's
        # problems together with every account file's own (checked without those exports), in one error.
        offline.run_environment(env, root, organization)
        raise
    specs, resolution_failures = account_stacks(env, root, organization)
    order = stack_order.schedule([spec.stack for spec in specs], {spec.stack: spec.config for spec in specs}, organization)
    config = policy_config(env, root)
    if jobs is None:
        jobs = available_cores() if len(specs) >= AUTO_PARALLEL_MIN_STACKS else 1
    jobs = max(1, min(jobs, len(specs)))
    by_name = {spec.stack: spec for spec in specs}
    outcomes: dict[str, offline.ProgramRun | StackFailure] = {
        stack: _failure(stack, ConfigError(problems, f"{offline.ACCOUNT_STACKS_DIR}/Pulumi.{stack}.yaml"))
        for stack, problems in order.problems.items()
    }
    if jobs == 1:
        for wave in order.waves:
            finished = {stack: _outputs_of(outcome) for stack, outcome in outcomes.items()}
            outcomes.update({stack: _run_account(by_name[stack], network, root, finished, list(by_name)) for stack in wave})
        accounts = [outcome for spec in specs if isinstance(outcome := outcomes[spec.stack], offline.ProgramRun)]
        env_run = offline.EnvironmentRun(env=env, network=network, accounts=accounts)
        findings = run_policies(env_run, config, pack)
    else:
        found = _run_in_workers(env, root, network, specs, order.waves, outcomes, config, jobs)
        accounts = [outcome for spec in specs if isinstance(outcome := outcomes[spec.stack], offline.ProgramRun)]
        env_run = offline.EnvironmentRun(env=env, network=network, accounts=accounts)
        findings = found["(network)"] + [finding for spec in specs for finding in found.get(spec.stack, [])]
    failures = resolution_failures + [outcome for spec in specs if isinstance(outcome := outcomes[spec.stack], StackFailure)]
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


def _may_use_workers(root: Path, jobs: int | None) -> bool:
    """Whether the plan may run in workers, decided before the stack files are read: `jobs` when given, else
    whether there are cores to spare and enough account stack files in the whole repository to reach
    `AUTO_PARALLEL_MIN_STACKS` (an upper bound of the environment's own)."""
    if jobs is not None:
        return jobs > 1
    files = sum(1 for _ in (root / offline.ACCOUNT_STACKS_DIR).glob("Pulumi.*.yaml"))
    return available_cores() > 1 and files >= AUTO_PARALLEL_MIN_STACKS


def _fork_context() -> Any:
    # forkserver: each worker is forked from a server that imported the programs once, instead of a fresh
    # interpreter importing pulumi and pulumi-aws again per worker (spawn), and without forking this process's
    # threads (gRPC's, the pack client's) as plain fork would.
    context = multiprocessing.get_context("forkserver")
    context.set_forkserver_preload(PRELOAD)
    return context


def _start_fork_server() -> None:
    """Start the fork server now and return at once; it preloads `PRELOAD` in its own process, and the pool's
    first workers wait for that (not for this call)."""
    from multiprocessing import forkserver

    _fork_context()
    forkserver.ensure_running()


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
    spec: AccountStackSpec, network: offline.ProgramRun, root: Path, finished: dict[str, dict[str, Any] | None],
    env_stacks: list[str],
) -> tuple[offline.ProgramRun | StackFailure, list[Finding]]:
    outcome = _run_account(spec, network, root, finished, env_stacks)
    return outcome, _analyze_in_worker(outcome) if isinstance(outcome, offline.ProgramRun) else []


def _run_in_workers(
    env: str, root: Path, network: offline.ProgramRun, specs: list[AccountStackSpec], waves: list[list[str]],
    outcomes: dict[str, offline.ProgramRun | StackFailure], config: dict[str, Any], jobs: int,
) -> dict[str, list[Finding]]:
    """Run the waves one after another, each wave's stacks in the pool; `outcomes` is filled in by stack, and
    the findings come back by stack ("(network)" for the network's), for the caller to put in deploy order."""
    by_name = {spec.stack: spec for spec in specs}
    size = {spec.stack: len(json.dumps(spec.config, default=str)) for spec in specs}
    findings: dict[str, list[Finding]] = {}
    with ProcessPoolExecutor(
        max_workers=jobs, mp_context=_fork_context(), initializer=_start_worker, initargs=(env, network.project, config)
    ) as pool:
        network_findings = pool.submit(_analyze_in_worker, network)
        for wave in waves:
            finished = {stack: _outputs_of(outcome) for stack, outcome in outcomes.items()}
            # Largest stacks first: the pool's last task then is a short one, not a long one that starts late.
            futures = {
                stack: pool.submit(_account_in_worker, by_name[stack], network, root, finished, list(by_name))
                for stack in sorted(wave, key=lambda stack: -size[stack])
            }
            for stack, future in futures.items():
                outcomes[stack], findings[stack] = future.result()
        findings["(network)"] = network_findings.result()
    return findings
