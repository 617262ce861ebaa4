"""`python -m benchmarks`: what this project costs against the floor the Pulumi SDKs set, measured side by side.

    uv run python -m benchmarks                      # sizes 10,100,500,1000, issue 16's targets first, then tables
    uv run python -m benchmarks --sizes 10,100 --json
    uv run python -m benchmarks --smoke              # the small run the test suite uses
    uv run python -m benchmarks --budget-seconds 600 --explain --markdown

Parts: 1 `program_cost` (programs vs pulumi-aws directly, time and memory), 2 `policy_throughput` (the pack vs
a one-policy pack over the analyzer protocol), 3 `critical_path` (the deploy's chain of creations vs the
API's), 4 `startup` (`lattice plan dev` vs importing the SDKs), 5 `plan_cost` (`lattice plan` of generated
environments phase by phase, one worker vs two, `--base` on environments one service apart). Ratios are measured side by side in one run;
absolute times on a shared two-core machine are only indicative.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import sys
import time
from importlib.metadata import version
from dataclasses import asdict
from typing import Any

from . import targets

SMOKE_SIZE = 10
DEFAULT_SIZES = (10, 100, 500, 1000)
LARGE_SIZE = 1000  # from this size on, part 1 samples --large-repeats rounds per side to stay in budget
POLICY_SIZE = 500


def _arguments(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m benchmarks", description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default=",".join(map(str, DEFAULT_SIZES)), help="services per environment, comma-separated")
    parser.add_argument("--smoke", action="store_true", help=f"one small environment ({SMOKE_SIZE} services), one repeat, no start-up part")
    parser.add_argument("--json", action="store_true", help="print one JSON document instead of tables")
    parser.add_argument("--markdown", action="store_true", help="print the tables as Markdown (for RESULTS.md)")
    parser.add_argument("--repeats", type=int, default=3, help="timed repeats per side (median reported)")
    parser.add_argument("--large-repeats", type=int, default=1,
                        help=f"timed repeats per side from {LARGE_SIZE} services on (a sampled round keeps the run in budget)")
    parser.add_argument("--policy-size", type=int, default=POLICY_SIZE, help="environment the policy pack analyzes")
    parser.add_argument("--parts", default="cost,policy,path,startup,plan", help="which parts to run")
    parser.add_argument("--plan-sizes", default="100,500,1000", help="services per environment for part 5")
    parser.add_argument("--parallel-size", type=int, default=500, help="environment planned with 1 and 2 workers (0: skip)")
    parser.add_argument("--diff-size", type=int, default=100, help="environment of the --base measurement (0: skip)")
    parser.add_argument("--budget-seconds", type=float, default=None,
                        help="skip a size whose estimated cost (from the previous size) exceeds what is left")
    parser.add_argument("--no-memory", action="store_true", help="skip the (slow) tracemalloc passes")
    parser.add_argument("--explain", action="store_true", help="attribute the program's time above the floor (part 1)")
    parser.add_argument("--render", metavar="REPORT.json", help="print a report saved with --json (as text or --markdown) and exit")
    return parser.parse_args(argv)


def machine() -> dict[str, Any]:
    return {
        "nproc": os.cpu_count(), "python": platform.python_version(), "platform": platform.platform(),
        "pulumi": version("pulumi"), "pulumi_aws": version("pulumi-aws"), "pulumi_policy": version("pulumi-policy"),
        "bytecode_writes_disabled": bool(os.environ.get("PYTHONDONTWRITEBYTECODE")),
        "load_average_at_start": os.getloadavg(),
    }


def run(argv: list[str] | None = None) -> dict[str, Any]:
    """Run the selected parts and return the report as plain data."""
    from . import critical_path, policy_throughput, program_cost, startup

    options = _arguments(argv)
    sizes = [SMOKE_SIZE] if options.smoke else [int(size) for size in options.sizes.split(",") if size]
    repeats = 1 if options.smoke else options.repeats
    policy_size = SMOKE_SIZE if options.smoke else options.policy_size
    parts = set(options.parts.split(",")) - ({"startup"} if options.smoke else set())
    began = time.perf_counter()
    report: dict[str, Any] = {"command": " ".join(["python -m benchmarks", *(argv if argv is not None else sys.argv[1:])]),
                              "machine": machine(), "sizes": sizes, "cost": [], "skipped": [], "path": []}
    policy_runs = None
    previous: tuple[int, float] | None = None
    report["part_seconds"] = part_seconds = {}

    def lap(name: str, since: float) -> None:
        part_seconds[name] = part_seconds.get(name, 0.0) + time.perf_counter() - since

    for services in sizes if parts & {"cost", "path"} else []:
        if options.budget_seconds is not None and previous is not None:
            estimate = previous[1] * services / previous[0]
            left = options.budget_seconds - (time.perf_counter() - began)
            if estimate > left:
                report["skipped"].append({"services": services, "estimated_seconds": estimate, "left_seconds": left})
                continue
        started = stamp = time.perf_counter()
        if "cost" in parts:
            rounds = min(repeats, options.large_repeats) if services >= LARGE_SIZE else repeats
            result, recorded = program_cost.measure(services, repeats=rounds, memory=not options.no_memory)
            report["cost"].append(result.summary())
        else:
            from . import synthetic

            recorded = program_cost.run_program(synthetic.build(services))
        lap("cost", stamp)
        runs = [stack.run for stack in recorded]
        stamp = time.perf_counter()
        if "path" in parts:
            report["path"].append({"services": services, **critical_path.analyze(runs).summary()})
        lap("path", stamp)
        if services == policy_size:
            policy_runs = runs
        del recorded, runs
        previous = (services, time.perf_counter() - started)
    stamp = time.perf_counter()
    if "policy" in parts:
        if policy_runs is None:
            from . import synthetic

            policy_runs = [stack.run for stack in program_cost.run_program(synthetic.build(policy_size))]
        report["policy"] = policy_throughput.measure(policy_runs, policy_size, repeats=repeats).summary()
    lap("policy", stamp)
    stamp = time.perf_counter()
    if options.explain and "cost" in parts:
        from . import attribution

        report["explain"] = attribution.explain(min(sizes, key=lambda size: abs(size - 100)), repeats=repeats)
    lap("explain", stamp)
    stamp = time.perf_counter()
    if "path" in parts:  # last of the in-process parts: it widens the event loop's default executor
        report["simulated"] = simulated_paths()
    lap("simulated", stamp)
    stamp = time.perf_counter()
    if "plan" in parts:
        from . import plan_cost

        plan_sizes = [SMOKE_SIZE] if options.smoke else [int(size) for size in options.plan_sizes.split(",") if size]
        left = (lambda: options.budget_seconds - (time.perf_counter() - began)) if options.budget_seconds else None
        report["plan"] = plan_cost.measure(
            plan_sizes, None if options.smoke else options.parallel_size or None,
            None if options.smoke else options.diff_size or None, budget_left=left)
    lap("plan", stamp)
    stamp = time.perf_counter()
    if "startup" in parts:
        report["startup"] = startup.measure(repeats=repeats)
    lap("startup", stamp)
    report["elapsed_seconds"] = time.perf_counter() - began
    report["targets"] = [{**asdict(verdict), "status": verdict.status} for verdict in targets.verdicts(report)]
    return report


def simulated_paths() -> list[dict[str, Any]]:
    """Cross-check of part 3 on the smallest environment: the network stack, the account stack outside the
    organization and one inside, deployed with creations released wave by wave; the SDK's own sequencing sets
    the waves (`critical_path.simulate`, no timing involved)."""
    from lattice_components.tools import offline
    from lattice_components.programs import account, network

    from . import critical_path, program_cost, synthetic

    env = synthetic.build(SMOKE_SIZE)
    recorded = program_cost.run_program(env)
    network_outputs = recorded[0].run.outputs
    picks = [recorded[0]]
    outside = [s for s in recorded[1:] if s.run.of_type(critical_path.ACCEPTER)]
    inside = [s for s in recorded[1:] if not s.run.of_type(critical_path.ACCEPTER)]
    picks += outside[:1] + inside[:1]
    found = []
    for stack in picks:
        is_network = stack is recorded[0]
        waves = critical_path.simulate(
            network.main if is_network else account.main, expected=stack.run,
            project=stack.run.project, stack=stack.run.stack, config=stack.config,
            account_id=stack.account_id, region=stack.region,
            stack_outputs=None if is_network else {env.network_stack_name: network_outputs},
        )
        computed = critical_path.analyze_stack(stack.run)
        found.append({"stack": computed.stack, "simulated": waves, "program": computed.program_length, "api": computed.api_length})
    return found


# ------------------------------------------------------------------------------------------------------------
# Rendering
# ------------------------------------------------------------------------------------------------------------


def _table(headers: list[str], rows: list[list[Any]], markdown: bool) -> str:
    cells = [[f"{value:.2f}" if isinstance(value, float) else str(value) for value in row] for row in rows]
    if markdown:
        lines = ["| " + " | ".join(headers) + " |", "|" + "|".join("---" for _ in headers) + "|"]
        return "\n".join(lines + ["| " + " | ".join(row) + " |" for row in cells])
    widths = [max(len(h), *(len(row[i]) for row in cells)) if cells else len(h) for i, h in enumerate(headers)]
    line = lambda row: "  ".join(value.rjust(width) for value, width in zip(row, widths))  # noqa: E731
    return "\n".join([line(headers), line(["-" * w for w in widths]), *(line(row) for row in cells)])


def render(report: dict[str, Any], markdown: bool = False) -> str:
    title = (lambda text: f"### {text}") if markdown else (lambda text: f"== {text}")
    m = report["machine"]
    out = [f"machine: nproc={m['nproc']} python={m['python']} pulumi={m['pulumi']} pulumi-aws={m['pulumi_aws']} "
           f"pulumi-policy={m['pulumi_policy']} load={tuple(round(x, 1) for x in m['load_average_at_start'])}"
           f"{' PYTHONDONTWRITEBYTECODE=1' if m['bytecode_writes_disabled'] else ''}", ""]
    found = targets.verdicts(report)
    out += [title("issue 16's targets (met only when measured in this run)"), "", _table(
        ["target", "goal", "measured", "status", "why / how"],
        [[v.target, v.goal, v.measured, v.status, v.why] for v in found], markdown), "",
        f"{sum(v.met is True for v in found)} met, {sum(v.met is False for v in found)} not met, "
        f"{sum(v.met is None for v in found)} not measured", ""]
    if report["cost"]:
        out += [title("1. programs vs the SDK floor (same AWS resources through pulumi-aws directly)"), "", _table(
            ["services", "accounts", "AWS res", "same set", "program s", "floor s", "time x", "cpu x",
             "prog ms/res", "floor ms/res", "prog MiB", "floor MiB", "mem x", "prog KiB/res"],
            [[c["services"], c["accounts"], c["custom_resources"], "yes" if c["same_resources"] else "NO",
              statistics.median(c["program_seconds"]), statistics.median(c["floor_seconds"]), c["time_ratio"], c["cpu_ratio"],
              c["program_ms_per_resource"], c["floor_ms_per_resource"], c["program_peak_mib"], c["floor_peak_mib"],
              c["memory_ratio"] if c["memory_ratio"] is not None else "-", c["program_kib_per_resource"]]
             for c in report["cost"]], markdown), ""]
        out.append("time x / cpu x: median wall / CPU time, program over floor; memory: tracemalloc peak of the "
                   "whole environment with every stack's run kept (as `lattice plan` keeps them).")
        out.append("")
    for skipped in report["skipped"]:
        out.append(f"skipped {skipped['services']} services: estimated {skipped['estimated_seconds']:.0f} s from the "
                   f"previous size, {skipped['left_seconds']:.0f} s of budget left")
    if report.get("explain"):
        e = report["explain"]
        out += ["", title(f"1b. where the time above the floor goes ({e['services']} services, median CPU seconds)"), "", _table(
            ["variant", "CPU s", "x floor", "same registrations"],
            [[variant, seconds, e["cpu_ratio_over_floor"][variant],
              {True: "yes", False: "NO"}.get(e["same_registrations"].get(variant), "-")]
             for variant, seconds in e["cpu_seconds"].items()], markdown), "",
            "CPU inside validation (one program pass): " + ", ".join(f"{k} {v:.2f} s" for k, v in e["validation_cpu_seconds"].items())
            + f" = {100 * e['validation_share_of_program']:.0f}% of the program"
            + (f", {100 * e['validation_share_of_gap']:.0f}% of its gap to the floor" if e["validation_share_of_gap"] else ""),
            f"share of a profiled program pass inside the package's pure functions: {100 * e['pure_code']['pure_share']:.0f}% ("
            + ", ".join(f"{k} {100 * v:.0f}%" for k, v in e["pure_code"]["top"].items()) + ")", ""]
    if report.get("policy"):
        p = report["policy"]
        lat, triv = p["lattice"], p["trivial"]
        out += ["", title(f"2. policy pack vs a one-policy pack ({p['services']} services, {p['stacks']} stacks, "
                          f"{p['resources']} resources)"), "", _table(
            ["pack", "start s", "Analyze median ms", "p99 ms", "mean ms", "all Analyze s", "AnalyzeStack per stack s",
             "AnalyzeStack all-in-one s", "diagnostics"],
            [[name, d["start_seconds"], d["analyze_median_ms"], d["analyze_p99_ms"], d["analyze_mean_ms"], d["analyze_total_seconds"],
              d["analyze_stack_per_stack_seconds"], d["analyze_stack_environment_seconds"], d["diagnostics"]]
             for name, d in (("lattice", lat), ("trivial (1 no-op policy)", triv),
                             (f"no-op x {p['policy_counts']['resource']}+{p['policy_counts']['stack']}", p["same_shape_noop"]))],
            markdown), "",
            f"per-resource latency lattice/trivial: median {p['median_ratio']:.2f}x, p99 {p['p99_ratio']:.2f}x; "
            f"mean {p['mean_ratio']:.2f}x; the no-op pack of the lattice pack's shape ({p['policy_counts']['resource']} resource + "
            f"{p['policy_counts']['stack']} stack policies) over trivial: median {p['same_shape_median_over_trivial']:.2f}x; "
            f"lattice over it: median {p['median_ratio_same_shape']:.2f}x, mean {p['mean_ratio_same_shape']:.2f}x; "
            f"a preview's worth (every Analyze + AnalyzeStack per stack): {p['preview_seconds']:.2f} s",
            "slowest types (lattice, median ms): " + ", ".join(f"{k} {v:.1f}" for k, v in p["lattice_median_ms_by_type"].items()), ""]
    if report["path"]:
        out += ["", title("3. deploy critical path (creations in sequence; network stack, then account stacks in parallel)"), "", _table(
            ["services", "program", "API", "stacks longer than API", "extra edges (program orders, API does not need)", "missing"],
            [[p["services"], p["program_length"], p["api_length"], len(p["stacks_longer_than_api"]),
              ", ".join(f"{k} x{v}" for k, v in p["extra_edges"].items()) or "none", len(p["missing_edges"])]
             for p in report["path"]], markdown), ""]
        last = report["path"][-1]
        out.append("program chain: " + " -> ".join(last["program_chain"]) + f"  ({last['program_chain_stack']})")
        out.append("API chain:     " + " -> ".join(last["api_chain"]) + f"  ({last['api_chain_stack']})")
        if report.get("simulated"):
            out.append("simulated deploys (slow mocks, SDK's own sequencing): " + "; ".join(
                f"{s['stack']} {s['simulated']} waves (computed {s['program']}, API {s['api']})" for s in report["simulated"]))
        out.append("")
    if report.get("startup"):
        s = report["startup"]
        out += ["", title(f"4. start-up (median of {s['repeats']}, fresh processes)"), ""]
        rows = [[mode, name, seconds] for mode, medians in s["median_seconds"].items() for name, seconds in medians.items()]
        out += [_table(["bytecode", "command", "seconds"], rows, markdown), ""]
        for mode, ratio in s["plan_over_import"].items():
            out.append(f"{mode}: `uv run lattice plan dev` / `uv run python -c 'import pulumi, pulumi_aws'` = {ratio:.2f}x")
        if s.get("phases"):
            out.append("plan phases (warm bytecode, seconds): " + ", ".join(f"{k} {v:.2f}" for k, v in s["phases"].items()))
        out.append("")
    if report.get("plan"):
        out += render_plan(report["plan"], markdown, title)
    out.append(f"elapsed {report['elapsed_seconds']:.0f} s (" + ", ".join(
        f"{name} {seconds:.0f} s" for name, seconds in report["part_seconds"].items() if seconds >= 0.5) + ")")
    return "\n".join(out)


def render_plan(p: dict[str, Any], markdown: bool, title) -> list[str]:
    out = ["", title("5. `lattice plan` phase by phase (one process, generated environments)"), ""]
    names = list(p["phases"][0]["wall_seconds"]) if p["phases"] else []
    out += [_table(
        ["services", "stacks", "resources", "access rows", *[f"{n} s" for n in names], "total s", "outside programs+pack",
         "ms/service", "matrix µs/row", "markdown chars"],
        [[x["services"], x["stacks"], x["resources"], x["access_rows"], *[x["wall_seconds"][n] for n in names],
          x["total_seconds"], f"{100 * x['outside_programs_and_pack_share']:.1f}%", x["ms_per_service"],
          x["matrix_us_per_row"], x["markdown_chars"]] for x in p["phases"]], markdown), ""]
    if p["phases"] and "total_cpu_seconds" in p["phases"][0]:
        out += ["CPU seconds (this process and the pack's, which ends with its phase):", "", _table(
            ["services", *[f"{n} s" for n in names], "total s", "outside programs+pack", "ms/service", "matrix µs/row"],
            [[x["services"], *[x["cpu_seconds"][n] for n in names], x["total_cpu_seconds"],
              f"{100 * x['outside_programs_and_pack_cpu_share']:.1f}%", x["cpu_ms_per_service"],
              x["matrix_cpu_us_per_row"]] for x in p["phases"]], markdown), ""]
    for skipped in p.get("skipped", []):
        out.append(f"skipped {skipped['services']} services: estimated {skipped['estimated_seconds']:.0f} s, "
                   f"{skipped['left_seconds']:.0f} s of budget left")
    if "per_service_growth" in p:
        out.append(f"cost per service from the smallest to the largest size: {100 * p['per_service_growth']:+.1f}% wall"
                   + (f", {100 * p['cpu_per_service_growth']:+.1f}% CPU" if "cpu_per_service_growth" in p else "")
                   + f"; per matrix row: {100 * p['matrix_row_growth']:+.1f}% wall"
                   + (f", {100 * p['matrix_cpu_row_growth']:+.1f}% CPU" if "matrix_cpu_row_growth" in p else ""))
    if p.get("parallel"):
        q = p["parallel"]
        one, two = (q["seconds"].get(str(n), q["seconds"].get(n)) for n in (1, 2))
        out.append(f"{q['services']} services, {q['rounds']} rounds (1 worker then 2, alternating): 1 worker "
                   + ", ".join(f"{x:.1f}" for x in one) + " s; 2 workers " + ", ".join(f"{x:.1f}" for x in two)
                   + f" s; 2 over 1, median of the rounds: {q['ratio_2_over_1']:.2f}x"
                   + (f" (rounds: {', '.join(f'{x:.2f}' for x in q['round_ratios'])})" if "round_ratios" in q else "")
                   + f"; {q['cores']} cores available; same report: {'yes' if q['same_report'] else 'NO'}")
    if p.get("diff"):
        d = p["diff"]
        out.append(f"--base on {d['services']} services one service's callers apart: both plans {d['plan_both_seconds']:.1f} s, "
                   f"compare {d['compare_seconds']:.3f} s; {d['access_changes']} access changes, {d['resources_changed']} "
                   f"resource changed, {d['resources_added']} added, {d['resources_removed']} removed, "
                   f"{d['findings_new']} findings new, {d['findings_gone']} gone; comment {d['markdown_chars']} chars")
    out.append("")
    return out


def main(argv: list[str] | None = None) -> int:
    options = _arguments(argv)
    if options.render:
        with open(options.render) as saved:
            sys.stdout.write(render(json.load(saved), markdown=options.markdown) + "\n")
        return 0
    report = run(argv)
    if options.json:
        json.dump(report, sys.stdout, indent=2, default=str)
        sys.stdout.write("\n")
    else:
        sys.stdout.write(render(report, markdown=options.markdown) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
