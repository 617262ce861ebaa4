"""Part 5: `lattice plan` of a generated environment, phase by phase, at 100 to 1,000 services.

The environment (`synthetic.py`) is written as stack files and planned as `lattice plan bench --project-dir`
would plan it, in this process, with each phase timed: the stack programs, the policy pack (start, configure,
every Analyze and AnalyzeStack), the topology and access matrix, the diagrams, and rendering the Markdown
and JSON reports. What the targets of issue 17 judge: the share of the time spent outside the programs and
the pack, the cost per service as the environment grows, and the cost per row of the access matrix (rows grow
as callers × services). Also measured: the same plan with one worker process and with two (issue 16, side by
side, same report), and `--base` on two environments that differ by one service's callers.
"""

from __future__ import annotations

import json
import os
import tempfile
import time
from pathlib import Path
from typing import Any

import yaml

from lattice_components.tools import offline, plan, plan_diff, plan_runs, topology

from . import synthetic


def _clock() -> tuple[float, float]:
    """(wall, CPU) with the CPU of ended child processes: the policy pack is one, waited for when it stops,
    so its analysis counts where it runs. CPU is what the rest of a shared machine disturbs least."""
    times = os.times()
    return time.perf_counter(), times.user + times.system + times.children_user + times.children_system


def phases(services: int, root: Path | None = None) -> dict[str, Any]:
    """One sequential plan of a `services`-service environment, timed phase by phase (wall and CPU seconds)."""
    with tempfile.TemporaryDirectory(prefix="lattice-bench-") as folder:
        root = Path(folder) if root is None else root
        synthetic.write(synthetic.build(services), root)
        wall: dict[str, float] = {}
        cpu: dict[str, float] = {}
        last = _clock()

        def mark(name: str) -> None:
            nonlocal last
            now = _clock()
            wall[name], cpu[name] = now[0] - last[0], now[1] - last[1]
            last = _clock()

        network = offline.run_network_stack(synthetic.ENV, root)
        specs, failures = plan_runs.account_stacks(synthetic.ENV, root)
        assert not failures, failures  # a generated environment is valid
        accounts = [offline.run_account_stack(s.stack, network.outputs, s.reference, root, s.config, s.organization) for s in specs]
        env_run = offline.EnvironmentRun(synthetic.ENV, network, accounts)
        mark("stack programs")
        findings = plan_runs.run_policies(env_run, plan_runs.policy_config(synthetic.ENV, root))
        mark("policy pack")
        access = topology.access_rows(env_run)
        mark("topology and access matrix")
        report = plan.PlanReport(env=synthetic.ENV, runs=env_run.runs, findings=findings,
                                 mermaid=topology.mermaid(env_run, access), access=access,
                                 mermaid_overview=topology.mermaid_accounts(env_run, access))
        mark("diagrams")
        markdown = plan.to_markdown(report)
        mark("render markdown")
        document = json.dumps(plan.to_json(report), indent=2, default=str)
        mark("render json")
    total, total_cpu = sum(wall.values()), sum(cpu.values())
    inside = wall["stack programs"] + wall["policy pack"]
    inside_cpu = cpu["stack programs"] + cpu["policy pack"]
    return {
        "services": services, "stacks": len(env_run.runs), "resources": sum(len(r.resources) for r in env_run.runs),
        "access_rows": len(access), "findings": len(findings),
        "markdown_chars": len(markdown), "json_chars": len(document), "summarized": not plan_summary_fits(report),
        "wall_seconds": wall, "cpu_seconds": cpu, "total_seconds": total,
        "outside_programs_and_pack_share": (total - inside) / total,
        "ms_per_service": 1000 * total / services,
        "matrix_us_per_row": 1e6 * wall["topology and access matrix"] / max(1, len(access)),
        "total_cpu_seconds": total_cpu,
        "outside_programs_and_pack_cpu_share": (total_cpu - inside_cpu) / total_cpu,
        "cpu_ms_per_service": 1000 * total_cpu / services,
        "matrix_cpu_us_per_row": 1e6 * cpu["topology and access matrix"] / max(1, len(access)),
    }


def plan_summary_fits(report: plan.PlanReport) -> bool:
    return plan.fits_in_full(report)


def parallel(services: int, rounds: int = 3) -> dict[str, Any]:
    """`plan.build` with one worker and with two, alternating which goes first; wall seconds and whether the
    Markdown and JSON reports are identical."""
    seconds: dict[int, list[float]] = {1: [], 2: []}
    reports: dict[int, tuple[str, str]] = {}
    with tempfile.TemporaryDirectory(prefix="lattice-bench-") as folder:
        synthetic.write(synthetic.build(services), Path(folder))
        for round_ in range(rounds):
            for jobs in (1, 2) if round_ % 2 == 0 else (2, 1):
                start = time.perf_counter()
                report = plan.build(synthetic.ENV, Path(folder), jobs=jobs)
                seconds[jobs].append(time.perf_counter() - start)
                reports[jobs] = (plan.to_markdown(report), json.dumps(plan.to_json(report), default=str))
    # each round's two plans ran back to back, so their ratio is the one least moved by the machine's load
    pairs = sorted(b / a for a, b in zip(seconds[1], seconds[2]))
    return {"services": services, "rounds": rounds, "seconds": seconds, "ratio_2_over_1": pairs[len(pairs) // 2],
            "round_ratios": pairs, "same_report": reports[1] == reports[2], "cores": plan_runs.available_cores()}


def diff(services: int) -> dict[str, Any]:
    """Two environments that differ by one service's allowed callers: both planned, then compared."""
    env = synthetic.build(services)
    with tempfile.TemporaryDirectory(prefix="lattice-bench-") as folder:
        before, after = Path(folder) / "before", Path(folder) / "after"
        synthetic.write(env, before)
        synthetic.write(env, after)
        path = after / "stacks" / f"Pulumi.{env.accounts[1].stack}.yaml"
        document = yaml.safe_load(path.read_text())
        service = next(iter(document["config"]["lattice:services"].values()))
        # a role another service already declares, so exactly one pair changes decision
        service["allowedCallers"]["principals"].append(f"arn:aws:iam::{synthetic._account_id(0)}:role/OrderServiceRole")
        path.write_text(yaml.safe_dump(document, sort_keys=False))
        start = time.perf_counter()
        old = plan.build(synthetic.ENV, before, jobs=1)
        new = plan.build(synthetic.ENV, after, jobs=1)
        planned = time.perf_counter() - start
        start = time.perf_counter()
        changes = plan_diff.compare(synthetic.ENV, "before", "0" * 40, old, new)
        compared = time.perf_counter() - start
    return {
        "services": services, "plan_both_seconds": planned, "compare_seconds": compared,
        "access_changes": len(changes.access), "resources_changed": len(changes.changed),
        "resources_added": len(changes.added), "resources_removed": len(changes.removed),
        "findings_new": len(changes.findings_new), "findings_gone": len(changes.findings_gone),
        "markdown_chars": len(plan_diff.to_markdown(changes)),
    }


def measure(sizes: list[int], parallel_size: int | None, diff_size: int | None, budget_left=None) -> dict[str, Any]:
    found: dict[str, Any] = {"phases": [], "skipped": []}
    previous: tuple[int, float] | None = None
    for services in sizes:
        left = budget_left() if budget_left else None
        if left is not None and previous is not None and previous[1] * services / previous[0] > left:
            found["skipped"].append({"services": services, "estimated_seconds": previous[1] * services / previous[0],
                                     "left_seconds": left})
            continue
        started = time.perf_counter()
        found["phases"].append(phases(services))
        previous = (services, time.perf_counter() - started)
    by_size = {p["services"]: p for p in found["phases"]}
    if len(by_size) >= 2:
        small, large = min(by_size), max(by_size)
        found["per_service_growth"] = by_size[large]["ms_per_service"] / by_size[small]["ms_per_service"] - 1
        found["matrix_row_growth"] = by_size[large]["matrix_us_per_row"] / by_size[small]["matrix_us_per_row"] - 1
        found["cpu_per_service_growth"] = by_size[large]["cpu_ms_per_service"] / by_size[small]["cpu_ms_per_service"] - 1
        found["matrix_cpu_row_growth"] = (by_size[large]["matrix_cpu_us_per_row"]
                                          / by_size[small]["matrix_cpu_us_per_row"] - 1)
    if parallel_size:
        found["parallel"] = parallel(parallel_size)
    if diff_size:
        found["diff"] = diff(diff_size)
    return found
