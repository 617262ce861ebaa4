"""Part 4: start-up. `lattice plan dev` end to end against importing the Pulumi SDKs, each a fresh process.

Within each round the commands alternate order so noise lands on all of them; the median of the rounds is
reported. Two bytecode situations are measured, because they differ by seconds here:
- `as configured`: the environment as it is. On these machines `PYTHONDONTWRITEBYTECODE=1` is set and
  `uv sync` does not compile bytecode, so every process compiles pulumi-aws's modules from source again.
- `warm cache`: bytecode written to and read from a private cache (`PYTHONPYCACHEPREFIX`, a temporary folder,
  so nothing is written into the project's virtualenv), after one unmeasured round fills it. This is what a
  developer's machine normally sees from the second run on.
`import pulumi, pulumi_aws` loads no pulumi-aws module (they load lazily on first use), so a second floor also
touches the modules the programs use (vpclattice, ram, ec2, cloudwatch).
"""

from __future__ import annotations

import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from lattice_components.tools import offline

ROOT = offline.REPO_ROOT
VENV_BIN = Path(sys.executable).parent
PLAN = "uv run lattice plan dev"
IMPORT = "uv run python -c 'import pulumi, pulumi_aws'"

COMMANDS: dict[str, list[str]] = {
    PLAN: ["uv", "run", "lattice", "plan", "dev"],
    IMPORT: ["uv", "run", "python", "-c", "import pulumi, pulumi_aws"],
    "python -c 'import pulumi, pulumi_aws' + the modules used (venv)": [
        sys.executable, "-c",
        "import pulumi, pulumi_aws; pulumi_aws.vpclattice.Service; pulumi_aws.ram.ResourceShare; "
        "pulumi_aws.ec2.SecurityGroup; pulumi_aws.cloudwatch.LogGroup",
    ],
    "lattice plan dev (venv, no uv)": [str(VENV_BIN / "lattice"), "plan", "dev"],
}

PHASES = r"""
import io, json, time
start = time.perf_counter(); last = start; phases = {}
def mark(name):
    global last
    now = time.perf_counter(); phases[name] = now - last; last = now
import pulumi, pulumi_aws; mark("import pulumi, pulumi_aws")
from lattice_components.tools import cli, offline, plan, topology; mark("import lattice_components")
pulumi_aws.vpclattice.Service; pulumi_aws.ram.ResourceShare; pulumi_aws.ec2.SecurityGroup; pulumi_aws.cloudwatch.LogGroup
mark("load pulumi-aws modules used")
run = offline.run_environment("dev"); mark("run the 4 dev stacks")
findings = plan.run_policies(run); mark("policy pack: start, configure, analyze, stop")
report = plan.PlanReport(env="dev", runs=run.runs, findings=findings, mermaid=topology.mermaid(run), access=topology.access_rows(run))
mark("topology and access matrix")
import rich.console
plan.render_text(report, rich.console.Console(file=io.StringIO())); mark("render")
phases["total"] = time.perf_counter() - start
print(json.dumps(phases))
"""


def _environment(cache: str | None) -> dict[str, str]:
    env = dict(os.environ)
    if cache is not None:
        env.pop("PYTHONDONTWRITEBYTECODE", None)
        env["PYTHONPYCACHEPREFIX"] = cache
    return env


def _run(command: list[str], env: dict[str, str]) -> tuple[float, int]:
    start = time.perf_counter()
    done = subprocess.run(command, cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return time.perf_counter() - start, done.returncode


def _rounds(env: dict[str, str], repeats: int, warm_up: bool) -> tuple[dict[str, list[float]], dict[str, int]]:
    samples: dict[str, list[float]] = {name: [] for name in COMMANDS}
    codes: dict[str, int] = {}
    names = list(COMMANDS)
    for number in range(repeats + (1 if warm_up else 0)):
        for name in names if number % 2 else names[::-1]:
            elapsed, codes[name] = _run(COMMANDS[name], env)
            if number or not warm_up:
                samples[name].append(elapsed)
    return samples, codes


def measure(repeats: int = 3) -> dict[str, Any]:
    """Median wall time of each command per bytecode situation, and where `lattice plan dev` spends its time."""
    cache = tempfile.mkdtemp(prefix="lattice-bench-pycache-")
    try:
        modes = {"as configured": _environment(None), "warm cache": _environment(cache)}
        samples, codes = {}, {}
        for mode, env in modes.items():
            samples[mode], codes[mode] = _rounds(env, repeats, warm_up=mode == "warm cache")
        phases = subprocess.run([sys.executable, "-c", PHASES], cwd=ROOT, env=modes["warm cache"],
                                capture_output=True, text=True)
    finally:
        shutil.rmtree(cache, ignore_errors=True)
    medians = {mode: {name: statistics.median(values) for name, values in by_name.items()} for mode, by_name in samples.items()}
    return {
        "repeats": repeats,
        "median_seconds": medians,
        "samples": samples,
        "exit_codes": codes,
        "plan_over_import": {mode: m[PLAN] / m[IMPORT] for mode, m in medians.items()},
        "phases": json.loads(phases.stdout.strip().splitlines()[-1]) if phases.returncode == 0 else {"error": phases.stderr[-500:]},
    }
