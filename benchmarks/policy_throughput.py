"""Part 2: the policy pack through the analyzer protocol, against a pack holding one policy that does nothing.

Three packs run as their own processes, started the way `lattice plan` starts the real one
(`PolicyPackProcess`): `lattice`, `trivial` (one resource policy that looks at nothing) and `no-op x N`
(`benchmarks/trivial_pack` again, holding as many do-nothing resource and stack policies as the lattice pack).
pulumi-policy deserializes a resource's properties once per resource policy on `Analyze`, and every resource
once per stack policy on `AnalyzeStack`, so the third pack is the SDK's own cost of the lattice pack's shape:
the lattice pack minus it is the work our policies do. All three receive exactly the same requests,
interleaved call by call (the order rotates) so that noise from the rest of the machine lands on all.
Latencies are wall-clock round trips from the client: building the request, gRPC over loopback, the pack's own
work, the reply. Each pack process's own CPU time is read from `/proc` around the same calls (Linux only), which
leaves out the client's side, identical for all three.

The issue 16 target is `full_preview_ratio`: a full preview's worth of analysis (Analyze for every resource of
every stack, then AnalyzeStack once per stack) by the lattice pack over the same by the no-op pack of its shape,
wall round trips; `full_preview_cpu_ratio` is the same ratio in the pack processes' CPU seconds.
"""

from __future__ import annotations

import os
import statistics
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from lattice_components.tools import analyzer_client, offline, plan

TRIVIAL_PACK = Path(__file__).resolve().parent / "trivial_pack"


def _percentile(values: Sequence[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(fraction * (len(ordered) - 1))))]


def process_cpu_seconds(pid: int) -> float | None:
    """User + system CPU seconds of process `pid` so far (all its threads), or None where /proc is not there."""
    try:
        with open(f"/proc/{pid}/stat", encoding="ascii") as stat:
            fields = stat.read().rsplit(")", 1)[1].split()
    except OSError:
        return None
    # after "pid (comm)": state is field 3, utime and stime are fields 14 and 15 of proc(5)
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def _clock(call: Callable[[], Any]) -> tuple[float, Any]:
    start = time.perf_counter()
    result = call()
    return time.perf_counter() - start, result


@dataclass
class PackTimes:
    start_seconds: float = 0.0
    analyze_seconds: list[float] = field(default_factory=list)
    stack_seconds: list[float] = field(default_factory=list)
    """Sum of one AnalyzeStack per stack, one value per repeat."""
    environment_seconds: list[float] = field(default_factory=list)
    """One AnalyzeStack over every resource of the environment at once, one value per repeat."""
    diagnostics: int = 0
    analyze_cpu_seconds: float | None = None
    """The pack process's CPU over all its Analyze calls (None where it cannot be read)."""
    stack_cpu_seconds: list[float] = field(default_factory=list)
    """The pack process's CPU over one AnalyzeStack per stack, one value per repeat."""

    def full_preview_seconds(self) -> float:
        """Every Analyze once plus one AnalyzeStack per stack (median repeat): what one preview asks of a pack."""
        return sum(self.analyze_seconds) + statistics.median(self.stack_seconds)

    def full_preview_cpu_seconds(self) -> float | None:
        if self.analyze_cpu_seconds is None or not self.stack_cpu_seconds:
            return None
        return self.analyze_cpu_seconds + statistics.median(self.stack_cpu_seconds)

    def summary(self) -> dict[str, Any]:
        return {
            "start_seconds": self.start_seconds,
            "analyze_calls": len(self.analyze_seconds),
            "analyze_median_ms": 1000 * statistics.median(self.analyze_seconds),
            "analyze_mean_ms": 1000 * statistics.fmean(self.analyze_seconds),
            "analyze_p99_ms": 1000 * _percentile(self.analyze_seconds, 0.99),
            "analyze_total_seconds": sum(self.analyze_seconds),
            "analyze_stack_per_stack_seconds": statistics.median(self.stack_seconds),
            "analyze_stack_environment_seconds": statistics.median(self.environment_seconds),
            "full_preview_seconds": self.full_preview_seconds(),
            "full_preview_cpu_seconds": self.full_preview_cpu_seconds(),
            "diagnostics": self.diagnostics,
        }


@dataclass
class PolicyResult:
    services: int
    stacks: int
    resources: int
    lattice: PackTimes
    trivial: PackTimes
    same_shape: PackTimes
    policy_counts: dict[str, int]
    slowest_types: list[tuple[str, float]]

    def summary(self) -> dict[str, Any]:
        lattice, trivial, same_shape = self.lattice.summary(), self.trivial.summary(), self.same_shape.summary()
        return {
            "services": self.services, "stacks": self.stacks, "resources": self.resources,
            "policy_counts": self.policy_counts,
            "lattice": lattice, "trivial": trivial, "same_shape_noop": same_shape,
            "median_ratio_same_shape": lattice["analyze_median_ms"] / same_shape["analyze_median_ms"],
            "same_shape_median_over_trivial": same_shape["analyze_median_ms"] / trivial["analyze_median_ms"],
            "mean_ratio": lattice["analyze_mean_ms"] / trivial["analyze_mean_ms"],
            "mean_ratio_same_shape": lattice["analyze_mean_ms"] / same_shape["analyze_mean_ms"],
            "median_ratio": lattice["analyze_median_ms"] / trivial["analyze_median_ms"],
            "p99_ratio": lattice["analyze_p99_ms"] / trivial["analyze_p99_ms"],
            "preview_seconds": lattice["full_preview_seconds"],
            # issue 16's target (<= 1.25): a full preview's worth of analysis over the no-op pack of the same shape
            "full_preview_ratio": lattice["full_preview_seconds"] / same_shape["full_preview_seconds"],
            "full_preview_cpu_ratio": (
                lattice["full_preview_cpu_seconds"] / same_shape["full_preview_cpu_seconds"]
                if lattice["full_preview_cpu_seconds"] and same_shape["full_preview_cpu_seconds"] else None
            ),
            "lattice_median_ms_by_type": dict(self.slowest_types),
        }


def _start(pack: Any, environment: dict[str, str]) -> float:
    """Start `pack` with extra environment variables (the client copies `os.environ` when it starts)."""
    saved = {key: os.environ.get(key) for key in environment}
    os.environ.update(environment)
    try:
        return _clock(pack.start)[0]
    finally:
        for key, value in saved.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value


def measure(runs: Sequence[offline.ProgramRun], services: int, repeats: int = 3) -> PolicyResult:
    """Analyze every resource of `runs` with the three packs, then AnalyzeStack per stack and over everything."""
    client = analyzer_client
    per_stack = [plan.pack_resources(run) for run in runs]
    everything = [resource for resources in per_stack for resource in resources]
    project, stack = runs[0].project, runs[0].stack
    packs = {
        "lattice": client.PolicyPackProcess(project=project, stack=stack),
        "trivial": client.PolicyPackProcess(pack_dir=TRIVIAL_PACK, project=project, stack=stack),
        "same_shape": client.PolicyPackProcess(pack_dir=TRIVIAL_PACK, project=project, stack=stack),
    }
    times = {name: PackTimes() for name in packs}
    by_type: dict[str, list[float]] = {}
    counts: dict[str, int] = {}
    try:
        times["lattice"].start_seconds = _start(packs["lattice"], {})
        kinds = [info.kind for info in packs["lattice"].info().values()]
        counts = {"resource": kinds.count("resource"), "stack": kinds.count("stack")}
        times["trivial"].start_seconds = _start(packs["trivial"], {})
        times["same_shape"].start_seconds = _start(packs["same_shape"], {
            "LATTICE_BENCH_RESOURCE_POLICIES": str(counts["resource"]),
            "LATTICE_BENCH_STACK_POLICIES": str(counts["stack"]),
        })
        for pack in packs.values():
            pack.configure({})
        names = list(packs)

        def cpu(name: str) -> float | None:
            process = packs[name].process
            return process_cpu_seconds(process.pid) if process is not None else None

        before = {name: cpu(name) for name in names}
        for index, resource in enumerate(everything):
            shift = index % len(names)
            for name in names[shift:] + names[:shift]:
                elapsed, found = _clock(lambda: packs[name].analyze(resource))
                times[name].analyze_seconds.append(elapsed)
                times[name].diagnostics += len(found)
                if name == "lattice":
                    by_type.setdefault(resource["type"], []).append(elapsed)
        for name, started in before.items():
            ended = cpu(name)
            if started is not None and ended is not None:
                times[name].analyze_cpu_seconds = ended - started
        for repeat in range(repeats):
            shift = repeat % len(names)
            for name in names[shift:] + names[:shift]:
                total, started = 0.0, cpu(name)
                for resources in per_stack:
                    elapsed, found = _clock(lambda: packs[name].analyze_stack(resources))
                    total += elapsed
                    if repeat == 0:
                        times[name].diagnostics += len(found)
                ended = cpu(name)
                times[name].stack_seconds.append(total)
                if started is not None and ended is not None:
                    times[name].stack_cpu_seconds.append(ended - started)
                times[name].environment_seconds.append(_clock(lambda: packs[name].analyze_stack(everything))[0])
    finally:
        for pack in packs.values():
            pack.close()
    slowest = sorted(((t.rsplit(":", 1)[-1], 1000 * statistics.median(v)) for t, v in by_type.items()), key=lambda x: -x[1])
    return PolicyResult(services, len(runs), len(everything), times["lattice"], times["trivial"], times["same_shape"],
                        counts, slowest[:6])
