"""The benchmarks run end to end on a small environment and measure what they claim to measure.

Structure and sanity only: no wall-clock threshold is asserted (the machines that run this are shared and
noisy); `python -m benchmarks` reports the numbers, `benchmarks/RESULTS.md` records them.
"""

from __future__ import annotations

import dataclasses
import json
import os
import sys

import pytest

from benchmarks import __main__ as bench
from benchmarks import critical_path, floor, policy_throughput, program_cost, synthetic
from lattice_components.tools import offline


@pytest.fixture(scope="module")
def report() -> dict:
    """GIVEN the smoke environment WHEN every part but start-up runs THEN a JSON report comes back."""
    return bench.run(["--smoke", "--json"])


@pytest.fixture(scope="module")
def recorded() -> list[program_cost.StackRun]:
    return program_cost.run_program(synthetic.build(bench.SMOKE_SIZE))


def test_the_report_is_json_with_every_part_but_startup(report):
    assert json.loads(json.dumps(report, default=str))["sizes"] == [bench.SMOKE_SIZE]
    assert {"cost", "policy", "path", "simulated"} <= report.keys()
    assert "startup" not in report


def test_the_report_judges_every_target_and_a_smoke_run_claims_none_of_the_scale_ones(report):
    # GIVEN the 10-service smoke run THEN the targets at 500 and 1,000 services are "not measured", never met
    found = {entry["target"]: entry for entry in report["targets"]}
    assert len(found) == len(bench.targets.verdicts(report))
    scale = [entry for name, entry in found.items() if "services" in name and ("500" in name or "1000" in name)]
    assert scale and all(entry["met"] is None and entry["status"] == "not measured" for entry in scale)


def test_the_synthetic_environment_spans_accounts_inside_and_outside_the_organization():
    env = synthetic.build(bench.SMOKE_SIZE)
    assert len(env.accounts) == synthetic.account_count(bench.SMOKE_SIZE) == 10
    registry = env.network_config["lattice:accounts"]
    assert any(entry.get("inOrganization") is False for entry in registry.values())
    assert sum(len(account.config["lattice:services"]) for account in env.accounts) == bench.SMOKE_SIZE
    assert all(len(account.config["lattice:consumers"]) == 1 for account in env.accounts)


def test_floor_and_program_register_the_same_aws_resources(report, recorded):
    [cost] = report["cost"]
    # `same_resources`: per stack, the floor's signatures (type, name, inputs, provider, dependencies by name,
    # protect) equal the program's.
    assert cost["same_resources"] and cost["differences"] == []
    assert cost["custom_resources"] == sum(1 for s in recorded for r in s.run.resources if floor.in_floor(r))
    # The program registers components and a stack reference on top; the floor registers nothing else.
    assert cost["registrations"] > cost["custom_resources"]


def test_the_signature_notices_a_changed_input(recorded):
    run = recorded[1].run
    changed = offline.ProgramRun(run.project, run.stack, [*run.resources], run.outputs)
    victim = next(i for i, r in enumerate(changed.resources) if floor.in_floor(r) and r.inputs)
    original = changed.resources[victim]
    changed.resources[victim] = offline.RegisteredResource(**{**original.__dict__, "inputs": {**original.inputs, "extra": 1}})
    assert floor.signature(changed.resources) != floor.signature(run.resources)


def test_cost_figures_are_positive_and_ratios_consistent(report):
    [cost] = report["cost"]
    for key in ("program_seconds", "floor_seconds", "program_cpu_seconds", "floor_cpu_seconds"):
        assert cost[key] and all(value > 0 for value in cost[key])
    assert cost["program_peak_mib"] > 0 and cost["floor_peak_mib"] > 0
    assert cost["time_ratio"] == pytest.approx(cost["program_ms_per_resource"] / cost["floor_ms_per_resource"])


def test_every_pack_answered_every_resource(report):
    policy = report["policy"]
    packs = [policy["lattice"], policy["trivial"], policy["same_shape_noop"]]
    assert {pack["analyze_calls"] for pack in packs} == {policy["resources"]} and policy["resources"] > 0
    assert policy["trivial"]["diagnostics"] == policy["same_shape_noop"]["diagnostics"] == 0  # no-op policies
    assert policy["policy_counts"]["resource"] >= 1 and policy["policy_counts"]["stack"] >= 1
    assert policy["lattice"]["analyze_p99_ms"] >= policy["lattice"]["analyze_median_ms"] > 0


def test_the_full_preview_ratio_is_every_analyze_plus_one_analyze_stack_per_stack(report):
    policy = report["policy"]
    lattice, same_shape = policy["lattice"], policy["same_shape_noop"]
    for pack in (lattice, same_shape):
        assert pack["full_preview_seconds"] == pytest.approx(
            pack["analyze_total_seconds"] + pack["analyze_stack_per_stack_seconds"])
    assert policy["full_preview_ratio"] == pytest.approx(lattice["full_preview_seconds"] / same_shape["full_preview_seconds"])
    if sys.platform.startswith("linux"):  # the packs' own CPU comes from /proc
        assert lattice["full_preview_cpu_seconds"] > 0 and same_shape["full_preview_cpu_seconds"] > 0
        assert policy["full_preview_cpu_ratio"] == pytest.approx(
            lattice["full_preview_cpu_seconds"] / same_shape["full_preview_cpu_seconds"])


def test_process_cpu_seconds_reads_a_process_that_works_and_refuses_one_that_is_gone():
    if not sys.platform.startswith("linux"):
        pytest.skip("reads /proc")
    mine = policy_throughput.process_cpu_seconds(os.getpid())
    assert mine is not None and mine >= 0
    for _ in range(1000):  # work until the kernel's clock ticks see it (10 ms each; a few rounds in practice)
        sum(i * i for i in range(100_000))
        if policy_throughput.process_cpu_seconds(os.getpid()) > mine:
            break
    assert policy_throughput.process_cpu_seconds(os.getpid()) > mine
    assert policy_throughput.process_cpu_seconds(2**22 + 1) is None  # above Linux's pid_max


def test_the_program_never_starts_a_creation_before_the_api_allows_it(report):
    [path] = report["path"]
    assert path["missing_edges"] == []
    assert path["program_length"] >= path["api_length"] > 0


def test_stacks_inside_the_organization_follow_the_api_chain_exactly(recorded):
    inside = [s.run for s in recorded[1:] if not s.run.of_type(critical_path.ACCEPTER)]
    assert inside
    for run in [recorded[0].run, *inside]:
        stack = critical_path.analyze_stack(run)
        assert stack.program_length == stack.api_length and stack.extra == [], stack.stack


def test_the_api_chain_is_service_or_target_group_then_listener_then_rule(report):
    [path] = report["path"]
    after_network = path["api_chain"][path["api_chain"].index("| network stack done |") + 1:]
    assert [link.split(" ")[0] for link in after_network][-2:] == ["Listener", "ListenerRule"]
    assert path["network_stack"] == {"program": 2, "api": 2}


def test_the_computed_path_matches_a_deploy_the_sdk_sequences_itself(report):
    # The deploy is stepped wave by wave (creations held in the mocks until their wave is released), so the
    # waves come from what the SDK waits for, not from timestamps: the result does not depend on machine load.
    for stack in report["simulated"]:
        assert stack["simulated"] == stack["program"], stack


def test_a_stepped_deploy_refuses_a_computed_graph_that_waits_for_less_than_the_sdk(recorded):
    # GIVEN the network stack's recorded run with the auth policy's dependencies erased, so the computed graph
    # puts it in wave 1 although the SDK must wait for the network's ARN
    from lattice_components.programs import network

    stack = recorded[0]
    forged = [
        dataclasses.replace(r, dependencies=[], property_dependencies={}) if r.type.endswith("AuthPolicy") else r
        for r in stack.run.resources
    ]
    expected = offline.ProgramRun(stack.run.project, stack.run.stack, forged, stack.run.outputs)
    forged_waves = critical_path.waves(critical_path.engine_graph(expected))
    assert {forged_waves[r.urn] for r in forged if r.type.endswith("AuthPolicy")} == {1}
    # WHEN the program is deployed wave by wave against it
    # THEN wave 1 never completes: the stepped deploy names the creation the SDK held back
    with pytest.raises(critical_path.SequencingMismatch, match="AuthPolicy .* never reached the engine"):
        critical_path.simulate(
            network.main, expected=expected, stall_seconds=2.0, project=stack.run.project, stack=stack.run.stack,
            config=stack.config, account_id=stack.account_id, region=stack.region,
        )


def test_accounts_outside_the_organization_add_no_wait_the_api_does_not_need(recorded):
    outside = [s.run for s in recorded[1:] if s.run.of_type(critical_path.ACCEPTER)]
    assert outside
    for run in outside:
        assert critical_path.analyze_stack(run).extra == []
