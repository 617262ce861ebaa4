"""Part 1: what running every stack of an environment costs, against the SDK floor, side by side.

The program side is exactly what `offline.run_environment` does: the network stack, then each account stack
with its StackReference answered from the network's exports. The floor side registers the same AWS
resources with pulumi-aws directly (`floor.py`), stack by stack, under the same mocks and monitor.

Time and memory are measured in separate passes, because tracing allocations slows Python down several
times and unevenly. Memory is `tracemalloc`'s peak of Python allocations (not RSS: the process's high-water
mark cannot be reset between passes and pymalloc keeps freed arenas), over the whole environment with every
stack's run retained, as `run_environment` and `lattice plan` retain them. Protobuf messages allocated in C by
upb are not traced; both sides build the same messages.
"""

from __future__ import annotations

import gc
import statistics
import time
import tracemalloc
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from lattice_components.tools import offline

from . import floor, synthetic


@dataclass
class StackRun:
    """One stack's recorded run and what the mocks need to replay it (account and region)."""

    run: offline.ProgramRun
    account_id: str
    region: str
    config: dict[str, Any]


def run_program(env: synthetic.Environment) -> list[StackRun]:
    """Every stack of `env` through the repository's own programs, in deploy order."""
    network = offline.run_network_stack(synthetic.ENV, config=env.network_config)
    registry = network.outputs["accounts"]
    region = network.outputs["region"]
    owner = registry[env.network_config["lattice:networkAccount"]]["id"]
    runs = [StackRun(network, owner, region, env.network_config)]
    for account in env.accounts:
        run = offline.run_account_stack(account.stack, network.outputs, env.network_stack_name, config=account.config)
        runs.append(StackRun(run, registry[account.config["lattice:account"]]["id"], region, account.config))
    return runs


@dataclass
class Floor:
    """The floor programs of a recorded environment, prepared before any clock starts."""

    stacks: list[tuple[StackRun, list[floor.FloorResource]]]

    @classmethod
    def of(cls, recorded: list[StackRun]) -> "Floor":
        return cls([(stack, floor.prepare(stack.run)) for stack in recorded])

    def run(self, components: bool = False) -> list[offline.ProgramRun]:
        return [
            offline.run_program(
                floor.floor_program(stack.run, prepared, components=components),
                project=stack.run.project, stack=stack.run.stack,
                config=stack.config, account_id=stack.account_id, region=stack.region,
            )
            for stack, prepared in self.stacks
        ]


def differences(program: list[StackRun], floor_runs: list[offline.ProgramRun]) -> list[str]:
    """Where the floor's registrations differ from the program's (empty: the same resources, inputs and edges)."""
    found = []
    for stack, replay in zip(program, floor_runs, strict=True):
        want, got = floor.signature(stack.run.resources), floor.signature(replay.resources)
        for item in sorted(want - got, key=str)[:3]:
            found.append(f"{stack.run.stack}: floor lacks {item[:2]} {item[2][:200]}")
        for item in sorted(got - want, key=str)[:3]:
            found.append(f"{stack.run.stack}: floor adds {item[:2]} {item[2][:200]}")
    return found


def _timed(action: Callable[[], Any]) -> tuple[float, float]:
    """(wall, CPU) seconds of `action`; CPU time (`process_time`, every thread of this process) is what the
    rest of a busy machine disturbs least."""
    gc.collect()
    wall, cpu = time.perf_counter(), time.process_time()
    result = action()
    elapsed = time.perf_counter() - wall, time.process_time() - cpu
    del result
    return elapsed


def _traced(action: Callable[[], Any]) -> int:
    """Peak traced bytes above what was allocated before `action` started; its result is kept to the end."""
    gc.collect()
    tracemalloc.start()
    try:
        base = tracemalloc.get_traced_memory()[0]
        result = action()
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    del result
    return peak - base


@dataclass
class CostResult:
    services: int
    accounts: int
    stacks: int
    custom_resources: int
    registrations: int
    same_resources: bool
    differences: list[str]
    program_seconds: list[float] = field(default_factory=list)
    floor_seconds: list[float] = field(default_factory=list)
    program_cpu_seconds: list[float] = field(default_factory=list)
    floor_cpu_seconds: list[float] = field(default_factory=list)
    program_peak_bytes: int = 0
    floor_peak_bytes: int = 0

    @property
    def program_time(self) -> float:
        return statistics.median(self.program_seconds)

    @property
    def floor_time(self) -> float:
        return statistics.median(self.floor_seconds)

    def summary(self) -> dict[str, Any]:
        per = 1000.0 / self.custom_resources
        program_cpu, floor_cpu = statistics.median(self.program_cpu_seconds), statistics.median(self.floor_cpu_seconds)
        return {
            "services": self.services, "accounts": self.accounts, "stacks": self.stacks,
            "custom_resources": self.custom_resources, "registrations": self.registrations,
            "same_resources": self.same_resources, "differences": self.differences,
            "program_seconds": self.program_seconds, "floor_seconds": self.floor_seconds,
            "program_ms_per_resource": self.program_time * per, "floor_ms_per_resource": self.floor_time * per,
            "time_ratio": self.program_time / self.floor_time,
            "program_cpu_seconds": self.program_cpu_seconds, "floor_cpu_seconds": self.floor_cpu_seconds,
            "program_cpu_ms_per_resource": program_cpu * per, "floor_cpu_ms_per_resource": floor_cpu * per,
            "cpu_ratio": program_cpu / floor_cpu,
            "program_peak_mib": self.program_peak_bytes / 2**20, "floor_peak_mib": self.floor_peak_bytes / 2**20,
            "program_kib_per_resource": self.program_peak_bytes / 1024 / self.custom_resources,
            "floor_kib_per_resource": self.floor_peak_bytes / 1024 / self.custom_resources,
            "memory_ratio": self.program_peak_bytes / self.floor_peak_bytes if self.floor_peak_bytes else None,
        }


def measure(services: int, repeats: int = 3, memory: bool = True) -> tuple[CostResult, list[StackRun]]:
    """Program and floor for an environment of `services` services, interleaved so noise hits both alike.

    The recording run doubles as the program's warm-up (imports, caches); one floor run warms the floor up
    and proves it registers the same resources.
    """
    env = synthetic.build(services)
    recorded = run_program(env)
    baseline = Floor.of(recorded)
    replay = baseline.run()
    diff = differences(recorded, replay)
    result = CostResult(
        services=services, accounts=len(env.accounts), stacks=len(recorded),
        custom_resources=sum(1 for s in recorded for r in s.run.resources if floor.in_floor(r)),
        registrations=sum(len(s.run.resources) for s in recorded),
        same_resources=not diff, differences=diff,
    )
    del replay
    for repeat in range(repeats):
        for side in ("program", "floor") if repeat % 2 == 0 else ("floor", "program"):
            wall, cpu = _timed((lambda: run_program(env)) if side == "program" else baseline.run)
            getattr(result, f"{side}_seconds").append(wall)
            getattr(result, f"{side}_cpu_seconds").append(cpu)
    if memory:
        result.program_peak_bytes = _traced(lambda: run_program(env))
        result.floor_peak_bytes = _traced(baseline.run)
    return result, recorded
