"""Issue 16's targets, read off one benchmark report: each with its goal, what this run measured, met or not, and why.

A target is judged only on numbers measured side by side in the same run (`program_cost`, `policy_throughput`,
`plan_cost.parallel`, `startup`). A target whose numbers this run did not produce (a part not selected, a size
skipped by the budget, memory passes turned off) is reported as *not measured* with the reason: it is never
counted as met. The verdicts are pure functions of the report, so a saved report (`--render`) gives the same
table as the run that made it.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

PROGRAM_TIME_GOAL = 1.15
PROGRAM_MEMORY_GOAL = 1.10
GROWTH_GOAL = 1.10  # the program's cost per resource may grow at most 10% more than the floor's
PROGRAM_SIZES = (500, 1000)
GROWTH_SIZES = (100, 1000)
PARALLEL_GOAL = 0.6
PACK_GOAL = 1.25
STARTUP_GOAL = 2.0
STARTUP_MODE = "warm cache"
STARTUP_PLAN = "lattice plan dev (venv, no uv)"
STARTUP_FLOOR = "python -c 'import pulumi, pulumi_aws' + the modules used (venv)"


@dataclass(frozen=True)
class Verdict:
    """One target of issue 16 as this run measured it; `met` is None when the run did not measure it."""

    target: str
    goal: str
    measured: str
    met: bool | None
    why: str

    @property
    def status(self) -> str:
        return {True: "met", False: "NOT met", None: "not measured"}[self.met]


def _load(report: dict[str, Any]) -> str:
    machine = report.get("machine", {})
    load = machine.get("load_average_at_start")
    return f"load average {load[0]:.1f} at the start on {machine.get('nproc')} cores" if load else "load not recorded"


def _cost_at(report: dict[str, Any], services: int) -> dict[str, Any] | None:
    return next((cost for cost in report.get("cost", []) if cost["services"] == services), None)


def _not_run(report: dict[str, Any], services: int, part: str) -> str:
    skipped = next((s for s in report.get("skipped", []) if s["services"] == services), None)
    if skipped:
        return (f"{services} services skipped by the budget (estimated {skipped['estimated_seconds']:.0f} s, "
                f"{skipped['left_seconds']:.0f} s left)")
    return f"{services} services not in this run's --sizes" if "sizes" in report else f"part {part} not run"


def program_verdicts(report: dict[str, Any]) -> list[Verdict]:
    found = []
    for services in PROGRAM_SIZES:
        cost = _cost_at(report, services)
        if cost is None:
            reason = _not_run(report, services, "cost")
            found += [Verdict(f"programs, time, {services} services", f"<= {PROGRAM_TIME_GOAL}x floor", "-", None, reason),
                      Verdict(f"programs, memory, {services} services", f"<= {PROGRAM_MEMORY_GOAL}x floor", "-", None, reason)]
            continue
        same = "" if cost["same_resources"] else "; the two sides did NOT register the same resources, so the ratio is void"
        time_ratio, cpu_ratio = cost["time_ratio"], cost["cpu_ratio"]
        met = time_ratio <= PROGRAM_TIME_GOAL and cost["same_resources"]
        found.append(Verdict(
            f"programs, time, {services} services", f"<= {PROGRAM_TIME_GOAL}x floor",
            f"{time_ratio:.2f}x wall, {cpu_ratio:.2f}x CPU", met,
            (f"median of {len(cost['program_seconds'])} interleaved round(s) per side{same}" if met else
             f"{cost['program_ms_per_resource'] - cost['floor_ms_per_resource']:.2f} ms per resource above the floor's "
             f"{cost['floor_ms_per_resource']:.2f} ms ({len(cost['program_seconds'])} round(s); {_load(report)}){same}")))
        memory = cost.get("memory_ratio")
        found.append(Verdict(
            f"programs, memory, {services} services", f"<= {PROGRAM_MEMORY_GOAL}x floor",
            "-" if memory is None else f"{memory:.2f}x ({cost['program_peak_mib']:.0f} vs {cost['floor_peak_mib']:.0f} MiB)",
            None if memory is None else memory <= PROGRAM_MEMORY_GOAL,
            "memory passes turned off (--no-memory)" if memory is None else
            f"tracemalloc peak with every stack's run kept; {cost['program_kib_per_resource']:.1f} vs "
            f"{cost['floor_kib_per_resource']:.1f} KiB per resource"))
    return found


def growth_verdict(report: dict[str, Any]) -> Verdict:
    small, large = (_cost_at(report, services) for services in GROWTH_SIZES)
    name = f"programs, cost per resource {GROWTH_SIZES[0]} -> {GROWTH_SIZES[1]} services"
    goal = "within +10% of the floor's growth"
    if small is None or large is None:
        missing = GROWTH_SIZES[0] if small is None else GROWTH_SIZES[1]
        return Verdict(name, goal, "-", None, _not_run(report, missing, "cost"))
    key = "program_cpu_ms_per_resource", "floor_cpu_ms_per_resource"
    program_growth = large[key[0]] / small[key[0]]
    floor_growth = large[key[1]] / small[key[1]]
    return Verdict(
        name, goal, f"program {100 * (program_growth - 1):+.0f}%, floor {100 * (floor_growth - 1):+.0f}% (CPU ms per resource)",
        program_growth <= GROWTH_GOAL * floor_growth,
        f"program {small[key[0]]:.2f} -> {large[key[0]]:.2f} ms, floor {small[key[1]]:.2f} -> {large[key[1]]:.2f} ms; "
        f"the program's growth over the floor's: {program_growth / floor_growth:.2f}x")


def parallel_verdict(report: dict[str, Any]) -> Verdict:
    name, goal = "`lattice plan`, 2 processes over 1", f"<= {PARALLEL_GOAL}x, same report"
    parallel = (report.get("plan") or {}).get("parallel")
    if not parallel:
        return Verdict(name, goal, "-", None, "part plan not run, or --parallel-size 0")
    ratio = parallel["ratio_2_over_1"]
    rounds = ", ".join(f"{x:.2f}" for x in parallel.get("round_ratios", []))
    rounds = f" (rounds {rounds})" if rounds else ""
    met = ratio <= PARALLEL_GOAL and parallel["same_report"]
    return Verdict(
        f"{name} ({parallel['services']} services)", goal,
        f"{ratio:.2f}x{rounds}; same report: {'yes' if parallel['same_report'] else 'NO'}", met,
        f"median of {parallel['rounds']} alternating rounds, wall time; {parallel['cores']} cores available; {_load(report)}"
        + ("" if met or parallel["cores"] >= 2 else "; fewer than 2 cores: a second worker cannot help"))


def pack_verdict(report: dict[str, Any]) -> Verdict:
    name, goal = "policy pack, a preview's worth of analysis", f"<= {PACK_GOAL}x a no-op pack of the same shape"
    policy = report.get("policy")
    if not policy:
        return Verdict(name, goal, "-", None, "part policy not run")
    ratio = policy.get("full_preview_ratio")
    if ratio is None:
        return Verdict(name, goal, "-", None, "this report predates the full-preview measurement")
    lattice, noop = policy.get("lattice", {}), policy.get("same_shape_noop", {})
    details = []
    if "full_preview_seconds" in lattice and "full_preview_seconds" in noop:
        details.append(f"{lattice['full_preview_seconds']:.2f} vs {noop['full_preview_seconds']:.2f} s")
    if policy.get("full_preview_cpu_ratio") is not None:
        details.append(f"{policy['full_preview_cpu_ratio']:.2f}x in the packs' CPU")
    both = f" ({'; '.join(details)})" if details else ""
    return Verdict(
        f"{name} ({policy['services']} services, {policy['stacks']} stacks)", goal, f"{ratio:.2f}x{both}",
        ratio <= PACK_GOAL,
        f"every Analyze plus every stack's AnalyzeStack, the same requests to both packs interleaved; {_load(report)}")


def startup_verdict(report: dict[str, Any]) -> Verdict:
    name, goal = "`lattice plan dev`, warm", f"<= {STARTUP_GOAL}x importing pulumi, pulumi_aws and the modules used"
    startup = report.get("startup")
    if not startup:
        return Verdict(name, goal, "-", None, "part startup not run (or --smoke)")
    medians = startup["median_seconds"][STARTUP_MODE]
    ratio = medians[STARTUP_PLAN] / medians[STARTUP_FLOOR]
    return Verdict(
        name, goal, f"{ratio:.2f}x ({medians[STARTUP_PLAN]:.2f} vs {medians[STARTUP_FLOOR]:.2f} s)", ratio <= STARTUP_GOAL,
        f"median of {startup['repeats']} fresh processes each, bytecode cached; the plan runs 4 stacks and starts the "
        f"policy pack's own process; {_load(report)}")


def verdicts(report: dict[str, Any]) -> list[Verdict]:
    """Every target of issue 16, in the issue's order."""
    return [*program_verdicts(report), growth_verdict(report), parallel_verdict(report), pack_verdict(report),
            startup_verdict(report)]
