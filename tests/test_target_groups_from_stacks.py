"""A stack target group read from another stack's outputs (#14 item 4, `fromStack`): GIVEN
`examples/beyond-one-service`, whose catalog stack reads the search team's `search-v2` group from the search stack's
`targetGroups` output, WHEN `lattice plan` runs it, THEN the search stack runs first and the catalog forwards to the
ARN it exported; a stack outside the environment leaves the ARN unknown and the plan says from where and that its
check could not decide; stacks reading each other in a cycle are refused; one process or two, the report is the
same byte for byte. Bad variants stop with the file, the key path and the rule."""

from __future__ import annotations

import copy
import json
import shutil
from pathlib import Path

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st
from pulumi.runtime.rpc import UNKNOWN
from typer.testing import CliRunner

from lattice_components.config import ConfigError
from lattice_components.inputs import account_inputs
from lattice_components.programs import account
from lattice_components.tools import offline, plan, stack_order
from lattice_components.tools.cli import app

ROOT = Path(__file__).resolve().parent.parent / "examples" / "beyond-one-service"
CATALOG = ROOT / "stacks" / "Pulumi.catalog-dev.yaml"
NETWORK = "organization/lattice-network/dev"
SEARCH = "organization/lattice-account/search-dev"
OUTSIDE = "acme/lattice-account/search-prod"
TG = "aws:vpclattice/targetGroup:TargetGroup"
LISTENER = "aws:vpclattice/listener:Listener"
SERVICE = "aws:vpclattice/service:Service"
REFERENCE = "pulumi:pulumi:StackReference"
GOOD_ARN = "arn:aws:vpc-lattice:us-east-1:666666666666:targetgroup/tg-0123456789abcdef0"


def run_named(report, stack):
    [run] = [run for run in report.runs if run.stack == stack]
    return run


def canary_targets(run):
    [service] = [r for r in run.of_type(SERVICE) if r.inputs["name"] == "catalog-v2"]
    [listener] = [r for r in run.of_type(LISTENER) if r.inputs["serviceIdentifier"] == service.id]
    return listener.inputs["defaultAction"]["forwards"][0]["targetGroups"]


def checkout(tmp_path: Path, edit) -> Path:
    """A copy of the example with `edit(stack name -> config)` applied to its account stack files."""
    root = tmp_path / "env"
    shutil.copytree(ROOT, root)
    configs = {}
    for path in sorted((root / "stacks").glob("Pulumi.*-dev.yaml")):
        configs[path.name[len("Pulumi."):-len(".yaml")]] = yaml.safe_load(path.read_text())
    edit({stack: document["config"] for stack, document in configs.items()})
    for stack, document in configs.items():
        (root / "stacks" / f"Pulumi.{stack}.yaml").write_text(yaml.safe_dump(document, sort_keys=False))
    return root


def read_from(stack, **more):
    def edit(configs):
        configs["catalog-dev"]["lattice:targetGroups"]["search-v2"]["fromStack"] = {"stack": stack, **more}
    return edit


def cycle(configs):
    """The search stack reads the catalog's API group back: catalog-dev -> search-dev -> catalog-dev."""
    configs["search-dev"]["lattice:targetGroups"]["catalog-api"] = {
        "fromStack": {"stack": "organization/lattice-account/catalog-dev"}}


# --------------------------------------------------------------------------------------------------------------
# Within the environment: the stack read from runs first, its ARN is forwarded to
# --------------------------------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def report():
    return plan.build("dev", ROOT)


def test_the_catalog_forwards_to_the_group_the_search_stack_created_and_exported(report):
    assert not report.failures
    search, catalog = run_named(report, "search-dev"), run_named(report, "catalog-dev")
    [group] = [r for r in search.of_type(TG) if r.inputs["name"] == "search-v2"]
    assert search.outputs["targetGroups"] == {"search-v2": group.state["arn"]}
    # nothing is created for it in the catalog's account; its forward names the search stack's ARN
    assert "search-v2" not in [r.inputs["name"] for r in catalog.of_type(TG)]
    assert canary_targets(catalog)[1] == {"targetGroupIdentifier": group.state["arn"], "weight": 10}
    # one StackReference per stack read, named after it, beside the network's
    assert sorted(urn.rsplit("::", 1)[-1] for urn in catalog.reads if REFERENCE in urn) == sorted([NETWORK, SEARCH])
    assert catalog.outputs["targetGroups"]["search-v2"] == group.state["arn"]
    assert catalog.outputs["targetGroupsFromStacks"] == {"search-v2": {"stack": SEARCH, "output": "targetGroups", "key": "search-v2"}}


def test_the_stack_read_from_is_in_an_earlier_wave_and_lattice_stacks_deploys_it_first():
    entries = json.loads(CliRunner().invoke(app, ["stacks", "dev", "--project-dir", str(ROOT), "--json"]).output)
    assert [(entry["stack"], entry["wave"]) for entry in entries] == [
        ("dev", 0), ("platform-dev", 1), ("search-dev", 1), ("catalog-dev", 2)]


def test_the_topology_draws_the_forward_to_the_other_stacks_group(report):
    assert 'n_tg_catalog_dev_search_v2[["target group search-v2<br/>from stack organization/lattice-account/search-dev"]]' in report.mermaid
    assert "n_catalog_v2 -- forward --> n_tg_catalog_dev_search_v2" in report.mermaid
    assert 'n_tg_catalog_dev_search_v1[["target group search-v1<br/>by ARN"]]' in report.mermaid


# --------------------------------------------------------------------------------------------------------------
# Outside the environment: unknown, and said
# --------------------------------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def outside(tmp_path_factory):
    return plan.build("dev", checkout(tmp_path_factory.mktemp("outside"), read_from(OUTSIDE)))


def test_a_group_of_a_stack_outside_the_environment_is_unknown_and_the_notes_say_from_where(outside):
    assert not outside.failures
    catalog = run_named(outside, "catalog-dev")
    assert canary_targets(catalog)[1]["targetGroupIdentifier"] == UNKNOWN
    assert catalog.outputs["targetGroups"]["search-v2"] == UNKNOWN
    assert OUTSIDE in [urn.rsplit("::", 1)[-1] for urn in catalog.reads if REFERENCE in urn]
    assert (
        f"`catalog-dev`: target group search-v2 is read from stack {OUTSIDE} (output targetGroups, key search-v2), which "
        "this plan does not run: its ARN is unknown here, so the API-model check of it could not decide (`pulumi "
        "preview` of catalog-dev reads it), forwarded to by catalog-v2."
    ) in outside.notes
    # the rest of the stack is planned as usual: its own groups are known
    assert canary_targets(catalog)[0]["targetGroupIdentifier"].startswith("tg-")
    assert f'n_tg_catalog_dev_search_v2[["target group search-v2<br/>from stack {OUTSIDE}"]]' in outside.mermaid
    assert "n_catalog_v2 -- forward --> n_tg_catalog_dev_search_v2" in outside.mermaid


def test_the_program_says_the_check_could_not_decide(caplog):
    network = offline.run_network_stack("dev", ROOT).outputs
    config = copy.deepcopy(offline.load_stack_file(CATALOG, ROOT))
    read_from(OUTSIDE)({"catalog-dev": config})
    offline.run_account_stack("catalog-dev", network, NETWORK, ROOT, config, other_stacks={OUTSIDE: offline.UNKNOWN_OUTPUTS})
    said = (f"lattice:targetGroups.search-v2.fromStack: the outputs of stack {OUTSIDE} are unknown here, so whether "
            "targetGroups.search-v2 is a target group ARN the API takes could not be decided")
    assert any(record.levelname == "WARNING" and record.getMessage().startswith(said) for record in caplog.records)


def test_when_the_reference_resolves_a_missing_key_stops_the_program_naming_stack_and_key():
    spec = account.AccountStackConfig.model_validate({
        "account": "catalog", "networkStack": NETWORK,
        "targetGroups": {"search-v2": {"fromStack": {"stack": OUTSIDE}}},
    }).groups_from_stacks()["search-v2"]
    assert spec.key == "search-v2"  # the entry's name, by default
    assert account._arn_when_known("search-v2", spec, "stacks/Pulumi.catalog-dev.yaml", {"targetGroups": {"search-v2": GOOD_ARN}}) == GOOD_ARN
    with pytest.raises(ConfigError) as raised:
        account._arn_when_known("search-v2", spec, "stacks/Pulumi.catalog-dev.yaml", {"targetGroups": {}})
    assert raised.value.problems == [
        f"lattice:targetGroups.search-v2.fromStack: output 'targetGroups' of stack {OUTSIDE} has no key 'search-v2' (it has none)"]


# --------------------------------------------------------------------------------------------------------------
# Cycles
# --------------------------------------------------------------------------------------------------------------


CYCLE_PROBLEM = (
    "lattice:targetGroups.{group}.fromStack: reads stack organization/lattice-account/{other}, which reads this one "
    "back: the stacks read each other's target groups in a cycle ({path}), so none of them can deploy first; create "
    "the group in one stack and read it from the others"
)


@pytest.fixture(scope="module")
def cyclic(tmp_path_factory):
    return checkout(tmp_path_factory.mktemp("cycle"), cycle)


def test_stacks_that_read_each_other_are_refused_and_the_others_plan(cyclic):
    report = plan.build("dev", cyclic)
    assert [(f.stack, f.source, list(f.problems)) for f in report.failures] == [
        ("lattice-account/catalog-dev", "stacks/Pulumi.catalog-dev.yaml", [CYCLE_PROBLEM.format(
            group="search-v2", other="search-dev", path="catalog-dev → search-dev → catalog-dev")]),
        ("lattice-account/search-dev", "stacks/Pulumi.search-dev.yaml", [CYCLE_PROBLEM.format(
            group="catalog-api", other="catalog-dev", path="search-dev → catalog-dev → search-dev")]),
    ]
    assert [run.stack for run in report.runs] == ["dev", "platform-dev"]


def test_the_environment_run_and_lattice_stacks_refuse_the_cycle_too(cyclic):
    with pytest.raises(ConfigError) as raised:
        offline.run_environment("dev", cyclic)
    assert any("in a cycle (catalog-dev → search-dev → catalog-dev)" in problem for problem in raised.value.problems)
    result = CliRunner().invoke(app, ["stacks", "dev", "--project-dir", str(cyclic)])
    assert result.exit_code == 2 and "in a cycle" in result.output and "Traceback" not in result.output


stack_names = [f"s{i}-dev" for i in range(6)]


@settings(max_examples=80, deadline=None)
@given(st.dictionaries(st.sampled_from(stack_names), st.sets(st.sampled_from(stack_names + ["x-prod"]), max_size=3), min_size=1))
def test_waves_put_every_stack_after_what_it_reads_and_refuse_exactly_those_behind_a_cycle(reads):
    stacks = sorted(set(reads) | {name for names in reads.values() for name in names if name in stack_names})
    configs = {stack: {"lattice:targetGroups": {f"g-{other}": {"fromStack": {"stack": stack_order.qualified("organization", other)}}
                                                for other in reads.get(stack, ())}} for stack in stacks}
    order = stack_order.schedule(stacks, configs, "organization")
    placed = [stack for wave in order.waves for stack in wave]
    assert sorted(placed + list(order.problems)) == stacks and not set(placed) & set(order.problems)
    wave_of = {stack: index for index, wave in enumerate(order.waves) for stack in wave}
    inside = {stack: {other for other in reads.get(stack, ()) if other in stacks} for stack in stacks}
    for stack in placed:
        assert all(wave_of[other] < wave_of[stack] for other in inside[stack])

    def reaches_a_cycle(stack, path=()):
        return stack in path or any(reaches_a_cycle(other, (*path, stack)) for other in inside[stack])

    assert set(order.problems) == {stack for stack in stacks if reaches_a_cycle(stack)}
    assert all(order.problems[stack] for stack in order.problems)


# --------------------------------------------------------------------------------------------------------------
# One process or two: the same report
# --------------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("variant", ["example", "cycle"])
def test_the_report_is_byte_identical_with_one_or_two_processes(variant, tmp_path):
    root = ROOT if variant == "example" else checkout(tmp_path, cycle)
    sequential, parallel = plan.build("dev", root, jobs=1), plan.build("dev", root, jobs=2)
    assert plan.to_markdown(parallel) == plan.to_markdown(sequential)
    assert json.dumps(plan.to_json(parallel), default=str) == json.dumps(plan.to_json(sequential), default=str)


# --------------------------------------------------------------------------------------------------------------
# Bad and good variants: the file, the key path and the rule, before any AWS resource is registered
# --------------------------------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def outputs():
    network = offline.run_network_stack("dev", ROOT).outputs
    return network, offline.run_account_stack("search-dev", network, NETWORK, ROOT).outputs


def run_catalog(outputs, mutate):
    network, search = outputs
    config = copy.deepcopy(offline.load_stack_file(CATALOG, ROOT))
    mutate(config["lattice:targetGroups"])
    return offline.run_account_stack("catalog-dev", network, NETWORK, ROOT, config, other_stacks={SEARCH: search})


def source(groups):
    return groups["search-v2"]["fromStack"]


BAD = [
    ("fromStack and arn together", lambda g: g["search-v2"].update(arn=GOOD_ARN),
     "lattice:targetGroups.search-v2.fromStack: and arn both name a group created elsewhere; give one of them"),
    ("fromStack with a setting of a created group", lambda g: g["search-v2"].update(port=8080),
     "lattice:targetGroups.search-v2.port: is a setting of a target group created here; one referenced by fromStack "
     "is created elsewhere and takes none"),
    ("a stack name that is not fully qualified", lambda g: source(g).update(stack="search-dev"),
     "lattice:targetGroups.search-v2.fromStack.stack: 'search-dev' is not a fully qualified stack name "
     "<organization>/<project>/<stack>"),
    ("a key fromStack does not have", lambda g: source(g).update(stackName=SEARCH),
     "lattice:targetGroups.search-v2.fromStack.stackName: is not a known setting"),
    ("no stack", lambda g: source(g).pop("stack"), "lattice:targetGroups.search-v2.fromStack.stack: is required"),
    ("an output the stack does not export", lambda g: source(g).update(output="groups"),
     f"lattice:targetGroups.search-v2.fromStack: stack {SEARCH} has no output 'groups' (its outputs: ['account', "
     "'consumers', 'serviceNetworkArn', 'services', 'targetGroups']); run `pulumi up` there first, or name the output "
     "that holds its target groups"),
    ("a key the output does not have", lambda g: source(g).update(key="search-v3"),
     f"lattice:targetGroups.search-v2.fromStack: output 'targetGroups' of stack {SEARCH} has no key 'search-v3' (it has ['search-v2'])"),
    ("an output that is not a map", lambda g: source(g).update(output="account"),
     f"lattice:targetGroups.search-v2.fromStack: output 'account' of stack {SEARCH} is str, not a map of target group names to ARNs"),
    ("this stack itself", lambda g: source(g).update(stack="organization/lattice-account/catalog-dev"),
     "lattice:targetGroups.search-v2.fromStack.stack: organization/lattice-account/catalog-dev is this stack; forward "
     "to its own group by name instead"),
]


@pytest.mark.parametrize(("scenario", "mutate", "expected"), BAD, ids=[case[0] for case in BAD])
def test_a_bad_variant_stops_with_file_key_path_and_rule(outputs, scenario, mutate, expected):
    with pytest.raises(ConfigError) as raised:
        run_catalog(outputs, mutate)
    assert raised.value.source == "stacks/Pulumi.catalog-dev.yaml"
    assert any(problem.startswith(expected) for problem in raised.value.problems), raised.value.problems
    assert [r.type for r in raised.value.registrations if r.type.startswith("aws:")] == []


GOOD = [
    ("the defaults written out", lambda g: source(g).update(output="targetGroups", key="search-v2")),
    ("an entry named apart from the key", lambda g: g.update({"search-next": {"fromStack": {"stack": SEARCH, "key": "search-v2"}}})),
]


@pytest.mark.parametrize(("scenario", "mutate"), GOOD, ids=[case[0] for case in GOOD])
def test_a_good_variant_plans(outputs, scenario, mutate):
    run = run_catalog(outputs, mutate)
    assert [urn.rsplit("::", 1)[-1] for urn in run.reads if REFERENCE in urn] == [NETWORK, SEARCH]  # one per stack read
    arn = outputs[1]["targetGroups"]["search-v2"]
    assert canary_targets(run)[1]["targetGroupIdentifier"] == arn
    assert all(value == arn for name, value in run.outputs["targetGroups"].items() if name.startswith("search-") and name != "search-v1")


# --------------------------------------------------------------------------------------------------------------
# The pure decision: what another stack's outputs hold
# --------------------------------------------------------------------------------------------------------------


ARN_CASES = [
    ({"targetGroups": {"g": GOOD_ARN}}, (GOOD_ARN, None)),
    ({"targetGroups": {"g": "tg-0123456789abcdef0"}}, ("tg-0123456789abcdef0", None)),
    ({}, (None, "stack s has no output 'targetGroups' (its outputs: none); run `pulumi up` there first, or name the "
              "output that holds its target groups")),
    ({"targetGroups": None, "x": 1}, (None, "stack s has no output 'targetGroups' (its outputs: ['targetGroups', 'x']); run "
                                            "`pulumi up` there first, or name the output that holds its target groups")),
    ({"targetGroups": [GOOD_ARN]}, (None, "output 'targetGroups' of stack s is list, not a map of target group names to ARNs")),
    ({"targetGroups": {"h": GOOD_ARN}}, (None, "output 'targetGroups' of stack s has no key 'g' (it has ['h'])")),
    ({"targetGroups": {"g": 7}}, (None, "targetGroups.g of stack s is int, not a target group ARN")),
    ({"targetGroups": {"g": "arn:aws:vpc-lattice:us-east-1:666666666666:service/svc-0123456789abcdef0"}},
     (None, "targetGroups.g of stack s: 'arn:aws:vpc-lattice:us-east-1:666666666666:service/svc-0123456789abcdef0' is not "
            "a target group ARN (arn:aws:vpc-lattice:<region>:<account>:targetgroup/tg-<17 characters>) or ID (tg-<17 characters>)")),
]


@pytest.mark.parametrize(("outputs", "expected"), ARN_CASES, ids=[str(case[1][1])[:40] for case in ARN_CASES])
def test_the_arn_is_read_or_the_problem_names_stack_output_and_key(outputs, expected):
    assert account_inputs.group_arn_from_outputs(outputs, "s", "targetGroups", "g") == expected
