"""Where the program's time above the floor goes, measured on one environment (`--explain`).

Measured side by side in one process, CPU time (`time.process_time`) next to wall time because other
processes share this machine:
- the floor, and the floor plus the program's components registered bare (same types, names and parents, no
  outputs): what having components costs at all;
- the program as it is, and with each proposed fix applied in-process: `Output.json_dumps` answering
  `json.dumps` for documents that hold no Output (auth policies), and `api_model`'s lookups memoized. The engine
  receives the same registrations either way (`same_registrations` proves it);
- validation: CPU time spent inside the config schema (`read_stack_config` once per stack, `validate_args` once
  per component), counted by wrapping those functions for one program pass;
- `pure_code`: the share of a profiled program pass spent in the package's pure functions, by entry point.
"""

from __future__ import annotations

import contextlib
import cProfile
import functools
import gc
import pstats
import json
import statistics
import time
from collections.abc import Callable, Iterator
from typing import Any

import pulumi

from . import floor, program_cost, synthetic


def _holds_output(value: Any) -> bool:
    if isinstance(value, pulumi.Output):
        return True
    if isinstance(value, dict):
        return any(_holds_output(item) for item in value.values())
    if isinstance(value, (list, tuple)):
        return any(_holds_output(item) for item in value)
    return False


@contextlib.contextmanager
def plain_json_dumps() -> Iterator[None]:
    """`Output.json_dumps(doc)` as `json.dumps(doc)` when `doc` holds no Output (the proposed fix)."""
    original = pulumi.Output.json_dumps

    def dumps(obj: Any, *args: Any, **kwargs: Any) -> Any:
        return original(obj, *args, **kwargs) if _holds_output(obj) else json.dumps(obj, *args, **kwargs)

    pulumi.Output.json_dumps = staticmethod(dumps)  # type: ignore[method-assign]
    try:
        yield
    finally:
        pulumi.Output.json_dumps = original  # type: ignore[method-assign]


@contextlib.contextmanager
def counting_validation(spent: dict[str, float]) -> Iterator[None]:
    """Add the CPU time of every schema validation the programs and components run to `spent`."""
    from lattice_components.components import consumer_vpc, lattice_service, service_network
    from lattice_components.programs import account, network

    targets = [(module, name) for module in (lattice_service, consumer_vpc, service_network) for name in ("validate_args",)]
    targets += [(account, "read_stack_config"), (network, "read_stack_config")]
    saved = []
    for module, name in targets:
        original = getattr(module, name, None)
        if original is None:
            continue

        def wrapper(*args: Any, _original: Callable[..., Any] = original, _key: str = name, **kwargs: Any) -> Any:
            start = time.process_time()
            try:
                return _original(*args, **kwargs)
            finally:
                spent[_key] = spent.get(_key, 0.0) + time.process_time() - start

        saved.append((module, name, original))
        setattr(module, name, wrapper)
    try:
        yield
    finally:
        for module, name, original in saved:
            setattr(module, name, original)


@contextlib.contextmanager
def cached_api_model() -> Iterator[None]:
    """The proposed memoization, applied in-process: `api_model`'s lookups (`member_shape`, `limits`,
    `documented_*`: string arguments, immutable results), the parsing of a member's documentation keyed by its
    raw text (`documentation_text`, `applicability_in_documentation`, `range_in_documentation`,
    `values_in_documentation`), and `service_inputs`' `to_camel`. Validators and the preflight then stop
    walking botocore's shapes and re-running regexes over the same documentation for every value they check."""
    from botocore.model import Shape

    from lattice_components.apimodel import model as api_model

    saved: list[tuple[Any, str, Any]] = []

    def replace(module: Any, name: str, make: Callable[[Any], Any]) -> None:
        original = getattr(module, name, None)
        if callable(original):
            saved.append((module, name, original))
            setattr(module, name, make(original))

    def by_text(original: Callable[[Any], Any]) -> Callable[[Any], Any]:
        cached = functools.lru_cache(maxsize=None)(lambda text: original(text))
        return lambda doc: cached(doc.documentation if isinstance(doc, Shape) else doc)

    for name in ("member_shape", "limits", "documented_range", "documented_values", "documented_applicability"):
        replace(api_model, name, functools.cache)
    for name in ("documentation_text", "applicability_in_documentation", "range_in_documentation",
                 "values_in_documentation"):
        replace(api_model, name, by_text)
    try:
        from lattice_components.inputs import service_inputs
    except ImportError:
        service_inputs = None
    if service_inputs is not None:
        replace(service_inputs, "to_camel", functools.cache)
    try:
        yield
    finally:
        for module, name, original in reversed(saved):
            setattr(module, name, original)


def _clocks(action: Callable[[], Any]) -> tuple[float, float]:
    gc.collect()
    wall, cpu = time.perf_counter(), time.process_time()
    action()
    return time.perf_counter() - wall, time.process_time() - cpu


VARIANTS = ("floor", "floor + bare components", "program", "program, plain json.dumps", "program, memoized api_model",
            "program, both fixes")


def explain(services: int, repeats: int = 3) -> dict[str, Any]:
    """CPU time of the floor, the floor with the program's components, the program, and the program with each
    proposed fix, interleaved round by round (order rotating); plus the CPU inside validation."""
    env = synthetic.build(services)
    recorded = program_cost.run_program(env)
    baseline = program_cost.Floor.of(recorded)
    baseline.run()
    baseline.run(components=True)
    fixes = {
        "program": (),
        "program, plain json.dumps": (plain_json_dumps,),
        "program, memoized api_model": (cached_api_model,),
        "program, both fixes": (plain_json_dumps, cached_api_model),
    }

    def action(variant: str) -> Callable[[], Any]:
        if variant == "floor":
            return baseline.run
        if variant == "floor + bare components":
            return lambda: baseline.run(components=True)

        def patched() -> Any:
            with contextlib.ExitStack() as stack:
                for fix in fixes[variant]:
                    stack.enter_context(fix())
                return program_cost.run_program(env)

        return patched

    same = {}
    for variant in fixes:
        same[variant] = not program_cost.differences(recorded, [stack.run for stack in action(variant)()])
    samples: dict[str, list[tuple[float, float]]] = {variant: [] for variant in VARIANTS}
    for round_number in range(repeats):
        shift = round_number % len(VARIANTS)
        for variant in VARIANTS[shift:] + VARIANTS[:shift]:
            samples[variant].append(_clocks(action(variant)))
    spent: dict[str, float] = {}
    with counting_validation(spent):
        validated_cpu = _clocks(lambda: program_cost.run_program(env))[1]
    cpu = {variant: statistics.median(s[1] for s in values) for variant, values in samples.items()}
    wall = {variant: statistics.median(s[0] for s in values) for variant, values in samples.items()}
    gap = cpu["program"] - cpu["floor"]
    return {
        "services": services,
        "custom_resources": sum(1 for s in recorded for r in s.run.resources if floor.in_floor(r)),
        "registrations": sum(len(s.run.resources) for s in recorded),
        "cpu_seconds": cpu,
        "wall_seconds": wall,
        "cpu_ratio_over_floor": {variant: seconds / cpu["floor"] for variant, seconds in cpu.items()},
        "same_registrations": same,
        "validation_cpu_seconds": spent,
        "validation_share_of_program": sum(spent.values()) / validated_cpu,
        "validation_share_of_gap": sum(spent.values()) / gap if gap > 0 else None,
        "pure_code": pure_code(services),
    }


WIRING = ("/programs/", "/offline.py", "/lattice_service.py", "/consumer_vpc.py", "/service_network.py",
          "/share_accepter.py", "/access_logs.py", "/hosting.py")
"""lattice_components files that register resources; every other file of the package is pure decisions."""


def _wiring(filename: str) -> bool:
    return "/lattice_components/" in filename and any(part in filename for part in WIRING)


def _pure(filename: str) -> bool:
    return "/lattice_components/" in filename and not _wiring(filename)


def pure_code(services: int, top: int = 6) -> dict[str, Any]:
    """Share of one profiled program pass spent in the package's pure functions (schema, API-model checks,
    policy documents, routing), called directly from the wiring (programs and components); cProfile inflates
    everything alike, so read shares, not seconds."""
    env = synthetic.build(services)
    program_cost.run_program(env)
    profiler = cProfile.Profile()
    gc.collect()
    profiler.runcall(program_cost.run_program, env)
    stats = pstats.Stats(profiler)
    entries: dict[str, float] = {}
    for (filename, line, function), (_, _, _, _, callers) in stats.stats.items():  # type: ignore[attr-defined]
        if not _pure(filename):
            continue
        entered = sum(c[3] for (caller_file, _, _), c in callers.items() if _wiring(caller_file))
        if entered:
            key = f"{filename.rsplit('/lattice_components/', 1)[-1]}:{function}"
            entries[key] = entries.get(key, 0.0) + entered
    total = stats.total_tt  # type: ignore[attr-defined]
    return {
        "services": services,
        "pure_share": sum(entries.values()) / total,
        "top": {key: seconds / total for key, seconds in sorted(entries.items(), key=lambda item: -item[1])[:top]},
    }
