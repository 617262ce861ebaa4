"""`lattice plan ENV` runs what `pulumi up` would run, and reports every file's problems at once (issue #11
items 2 and 7, issue #12 item 2).

GIVEN a checkout with environments whose names share a suffix (`dev`, `eu-dev`), WHEN an environment is
planned, THEN exactly its account stacks run, each reading the network its own config names, under the
organization the run has; and every problem of every file comes back in one error.
"""

from __future__ import annotations

import itertools
import shutil
import tempfile
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from lattice_components.config import ConfigError
from lattice_components.programs import account
from lattice_components.tools import offline
from lattice_components.tools.cli import app

ROOT = offline.REPO_ROOT


def copy_repository(target: Path) -> Path:
    for path in [ROOT / "Pulumi.yaml", *ROOT.glob("Pulumi.*.yaml")]:
        shutil.copy(path, target / path.name)
    shutil.copytree(ROOT / "stacks", target / "stacks")
    return target


def edit(path: Path, change) -> None:
    document = yaml.safe_load(path.read_text())
    change(document["config"])
    path.write_text(yaml.safe_dump(document, sort_keys=False))


@pytest.fixture
def checkout(tmp_path) -> Path:
    """The repository's stack files plus an `eu-dev` environment: dev's network and account stacks, renamed."""
    root = copy_repository(tmp_path)
    shutil.copy(root / "Pulumi.dev.yaml", root / "Pulumi.eu-dev.yaml")
    edit(root / "Pulumi.eu-dev.yaml", lambda c: c["lattice:network"].update(name="eu-dev-services"))
    for path in (root / "stacks").glob("Pulumi.*-dev.yaml"):
        shutil.copy(path, path.with_name(path.name.replace("-dev.yaml", "-eu-dev.yaml")))
    return root


def stacks_of(env: str, root: Path) -> list[str]:
    return [path.name for path in offline.account_stack_files(env, root)]


# ------------------------------------------------------------------------------------------------------------
# Which stacks belong to an environment
# ------------------------------------------------------------------------------------------------------------


def test_environments_sharing_a_suffix_each_get_only_their_own_stacks(checkout):
    assert offline.environments(checkout) == ["dev", "eu-dev", "prod"]
    assert stacks_of("dev", checkout) == ["Pulumi.mobile-dev.yaml", "Pulumi.orders-dev.yaml", "Pulumi.platform-dev.yaml"]
    assert stacks_of("eu-dev", checkout) == [
        "Pulumi.mobile-eu-dev.yaml", "Pulumi.orders-eu-dev.yaml", "Pulumi.platform-eu-dev.yaml",
    ]


def test_an_account_whose_name_has_a_hyphen_is_split_by_its_lattice_account(checkout):
    # GIVEN stack orders-eu-dev whose account is `orders-eu`: by its own config it is of environment dev
    path = checkout / "stacks" / "Pulumi.orders-eu-dev.yaml"
    edit(path, lambda c: c.update({"lattice:account": "orders-eu"}))
    assert "Pulumi.orders-eu-dev.yaml" in stacks_of("dev", checkout)
    assert "Pulumi.orders-eu-dev.yaml" not in stacks_of("eu-dev", checkout)


def test_each_account_stack_reads_the_network_of_its_own_environment(checkout):
    # WHEN eu-dev and dev are planned; THEN each account stack joined its own environment's network
    for env in ("dev", "eu-dev"):
        run = offline.run_environment(env, checkout)
        assert [r.stack for r in run.accounts] == [f"mobile-{env}", f"orders-{env}", f"platform-{env}"]
        for stack in run.accounts:
            assert stack.outputs["serviceNetworkArn"] == run.network.outputs["serviceNetworkArn"]
    assert (offline.run_environment("dev", checkout).network.outputs["serviceNetworkName"],
            offline.run_environment("eu-dev", checkout).network.outputs["serviceNetworkName"]) == ("dev-services", "eu-dev-services")


NAME = st.from_regex(r"[a-z][a-z0-9]{0,3}(-[a-z0-9]{1,3}){0,2}", fullmatch=True)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    bases=st.lists(NAME, min_size=1, max_size=3, unique=True),
    prefixes=st.lists(NAME, min_size=1, max_size=2, unique=True),
    accounts=st.lists(NAME, min_size=1, max_size=3, unique=True),
)
def test_membership_is_unambiguous_for_any_hyphenated_names(bases, prefixes, accounts):
    # GIVEN environments with hyphens that end in one another (dev, eu-dev), and accounts with hyphens too,
    # one stack <account>-<env> for each pair (skipping draws where two pairs spell the same stack name)
    envs = sorted(set(bases) | {f"{prefix}-{base}" for prefix in prefixes for base in bases})
    stacks = {(name, env): f"{name}-{env}" for name in accounts for env in envs}
    assume(len(set(stacks.values())) == len(stacks))
    with tempfile.TemporaryDirectory() as directory:
        root = Path(directory)
        (root / "stacks").mkdir()
        for env in envs:
            (root / f"Pulumi.{env}.yaml").write_text("config: {}\n")
        for (name, env), stack in stacks.items():
            (root / "stacks" / f"Pulumi.{stack}.yaml").write_text(yaml.safe_dump({"config": {"lattice:account": name}}))
        # WHEN each environment's stacks are listed; THEN each stack is in its own environment only
        for env in envs:
            assert stacks_of(env, root) == sorted(f"Pulumi.{name}-{env}.yaml" for name in accounts)


# ------------------------------------------------------------------------------------------------------------
# Which network an account stack reads
# ------------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("organization", ["organization", "acme", "platform-team"])
def test_the_default_network_reference_is_in_the_runs_organization(organization):
    # GIVEN the organization a run is in (the literal `organization` on a self-managed backend)
    network = offline.run_network_stack("dev", organization=organization).outputs
    # WHEN orders-dev runs with only `<org>/lattice-network/dev` answering; THEN it found its network there
    run = offline.run_account_stack(
        "orders-dev", network, f"{organization}/lattice-network/dev", organization=organization
    )
    assert run.outputs["serviceNetworkArn"] == network["serviceNetworkArn"]
    assert account.default_network_stack("orders-eu-dev", "orders", organization) == f"{organization}/lattice-network/eu-dev"
    # AND under another organization the same name is not what the program asks for
    with pytest.raises(KeyError, match=f"stack 'elsewhere/lattice-network/dev' does not exist"):
        offline.run_account_stack("orders-dev", network, f"{organization}/lattice-network/dev", organization="elsewhere")


def test_a_plan_in_an_organization_resolves_the_default_there(checkout):
    run = offline.run_environment("dev", checkout, organization="acme")
    assert [r.stack for r in run.accounts] == ["mobile-dev", "orders-dev", "platform-dev"]


def test_an_explicit_network_stack_still_overrides_the_default(checkout):
    edit(checkout / "stacks" / "Pulumi.orders-dev.yaml",
         lambda c: c.update({"lattice:networkStack": "acme/lattice-network/dev"}))
    run = offline.run_environment("dev", checkout, organization="acme")
    assert "orders-dev" in [r.stack for r in run.accounts]


NOT_OURS = [
    ("another organization than the plan's", "acme/lattice-network/dev"),
    ("another project", "organization/shared-network/dev"),
    ("an environment with no network stack file", "organization/lattice-network/staging"),
    ("a short name", "lattice-network/dev"),
    ("a bare stack name", "dev"),
]


@pytest.mark.parametrize(("scenario", "reference"), NOT_OURS, ids=[case[0] for case in NOT_OURS])
def test_a_reference_to_a_network_this_repository_does_not_have_is_refused(checkout, scenario, reference):
    edit(checkout / "stacks" / "Pulumi.orders-dev.yaml", lambda c: c.update({"lattice:networkStack": reference}))
    with pytest.raises(ConfigError) as raised:
        offline.run_environment("dev", checkout)
    assert raised.value.source == "stacks/Pulumi.orders-dev.yaml"
    [problem] = raised.value.problems
    assert problem.startswith(f"lattice:networkStack: {reference!r} is not a network stack of this repository")


@pytest.mark.parametrize("planned", ["dev", "eu-dev"])
def test_a_stack_joining_another_environments_network_is_refused_in_both_plans(checkout, planned):
    # GIVEN orders-dev (dev by its name) pointing at eu-dev's network
    edit(checkout / "stacks" / "Pulumi.orders-dev.yaml",
         lambda c: c.update({"lattice:networkStack": "organization/lattice-network/eu-dev"}))
    # WHEN either environment is planned; THEN the stack is refused, not silently moved to eu-dev
    with pytest.raises(ConfigError) as raised:
        offline.run_environment(planned, checkout)
    assert raised.value.source == "stacks/Pulumi.orders-dev.yaml"
    assert raised.value.problems == [
        "lattice:networkStack: 'organization/lattice-network/eu-dev' is the network of environment 'eu-dev', "
        "but this stack (orders-dev, account orders) is of environment 'dev' by its name"
    ]


def test_a_stack_whose_name_is_not_account_env_must_name_its_network(checkout):
    path = checkout / "stacks" / "Pulumi.orders-dev.yaml"
    shutil.move(path, path.with_name("Pulumi.shop-dev.yaml"))
    with pytest.raises(ConfigError) as raised:
        offline.run_environment("dev", checkout)
    assert raised.value.source == "stacks/Pulumi.shop-dev.yaml"
    assert [p.split(":")[1] for p in raised.value.problems] == ["networkStack"]
    # AND naming it explicitly is enough
    edit(path.with_name("Pulumi.shop-dev.yaml"),
         lambda c: c.update({"lattice:networkStack": "organization/lattice-network/dev"}))
    assert "shop-dev" in [r.stack for r in offline.run_environment("dev", checkout).accounts]


# ------------------------------------------------------------------------------------------------------------
# Every problem of every file, once, in the file it came from
# ------------------------------------------------------------------------------------------------------------


def break_three_files(root: Path) -> None:
    edit(root / "Pulumi.dev.yaml", lambda c: c["lattice:network"].update(name="Dev Services"))
    edit(root / "stacks" / "Pulumi.orders-dev.yaml", lambda c: c.update({"lattice:service": c.pop("lattice:services")}))
    platform = root / "stacks" / "Pulumi.platform-dev.yaml"
    platform.write_text(platform.read_text() + "  lattice:account: platform\n")


def test_every_files_problems_are_reported_in_one_run(checkout):
    # GIVEN three broken files of dev (the network's, two accounts'); WHEN dev is planned
    break_three_files(checkout)
    with pytest.raises(ConfigError) as raised:
        offline.run_environment("dev", checkout)
    # THEN one error lists each problem once, each line naming its file
    problems = raised.value.problems
    assert len(problems) == len(set(problems))
    assert {p.split(": ")[0] for p in problems} == {
        "Pulumi.dev.yaml", "stacks/Pulumi.orders-dev.yaml", "stacks/Pulumi.platform-dev.yaml"
    }
    assert any(p.startswith("Pulumi.dev.yaml: lattice:network.name: 'Dev Services'") for p in problems)
    assert any(p.startswith("stacks/Pulumi.orders-dev.yaml: lattice:service: is not a setting") for p in problems)
    assert any(p.startswith("stacks/Pulumi.platform-dev.yaml: lattice:account: is written twice") for p in problems)


DEV_FILES = ["Pulumi.dev.yaml", "stacks/Pulumi.mobile-dev.yaml", "stacks/Pulumi.orders-dev.yaml", "stacks/Pulumi.platform-dev.yaml"]
SUBSETS = [subset for size in range(1, len(DEV_FILES) + 1) for subset in itertools.combinations(DEV_FILES, size)]


@pytest.mark.parametrize("broken", SUBSETS, ids=["+".join(name.split(".")[1] for name in subset) for subset in SUBSETS])
def test_any_set_of_broken_files_is_reported_file_by_file(checkout, broken):
    # GIVEN any non-empty set of dev's stack files, each with a key the stack does not read
    for name in broken:
        edit(checkout / name, lambda c: c.update({"lattice:typo": 1}))
    # WHEN dev is planned; THEN exactly those files are blamed, each for its key, once
    with pytest.raises(ConfigError) as raised:
        offline.run_environment("dev", checkout)
    if len(broken) == 1:
        assert raised.value.source == broken[0]
        blamed = [f"{broken[0]}: {problem}" for problem in raised.value.problems]
    else:
        blamed = raised.value.problems
    assert sorted(line.split(": ")[0] for line in blamed) == sorted(broken)
    assert all(line.split(": ", 1)[1].startswith("lattice:typo: is not a setting this stack reads") for line in blamed)


def test_the_plan_prints_every_files_problems_and_exits_2_without_a_traceback(checkout):
    break_three_files(checkout)
    result = CliRunner().invoke(app, ["plan", "dev", "--project-dir", str(checkout)])
    assert result.exit_code == 2
    assert "Traceback" not in result.output
    for source in ("Pulumi.dev.yaml: lattice:network.name", "stacks/Pulumi.orders-dev.yaml: lattice:service:",
                   "stacks/Pulumi.platform-dev.yaml: lattice:account:"):
        assert source in result.output


@pytest.mark.parametrize("region", ["moon-1", "us-east", "US-EAST-1", "useast1"])
def test_a_bad_region_is_one_error_of_the_network_stack_file(checkout, region):
    # GIVEN a region AWS has no such name for, in the network stack's file
    edit(checkout / "Pulumi.dev.yaml", lambda c: c.update({"aws:region": region}))
    with pytest.raises(ConfigError) as raised:
        offline.run_environment("dev", checkout)
    # THEN it is that file's one problem, not one per service of every account
    assert raised.value.source == "Pulumi.dev.yaml"
    assert raised.value.problems == [f"aws:region: {region!r} is not an AWS region name (such as us-east-1)"]


def test_an_unknown_environment_is_a_config_error_listing_the_known_ones():
    with pytest.raises(ConfigError) as raised:
        offline.run_environment("staging")
    assert raised.value.problems == ["no network stack file Pulumi.staging.yaml: the environments are dev, prod"]


@pytest.mark.parametrize(("name", "config", "expected"), [
    ("Pulumi.orders-dve.yaml", {"lattice:account": "orders"},
     "lattice:networkStack: the default 'organization/lattice-network/dve' (from the stack name) is not a network stack of this repository"),
    ("Pulumi.orders-dev.yml.yaml", {"lattice:account": "orders"},
     "lattice:networkStack: the default 'organization/lattice-network/dev.yml' (from the stack name) is not a network stack"),
    ("Pulumi.billing-staging.yaml", {"lattice:account": "billing", "lattice:networkStack": "organization/lattice-network/staging"},
     "lattice:networkStack: 'organization/lattice-network/staging' is not a network stack of this repository"),
    ("Pulumi.nobody.yaml", {}, "lattice:account: is required"),
])
def test_an_account_stack_of_no_environment_is_reported_by_every_plan(checkout, name, config, expected):
    # GIVEN an account stack file no environment claims (a typo in its name, an environment never created)
    (checkout / "stacks" / name).write_text(yaml.safe_dump({"config": config}))
    # WHEN any environment is planned; THEN it is reported, not skipped in silence
    for env in ("dev", "prod"):
        with pytest.raises(ConfigError) as raised:
            offline.run_environment(env, checkout)
        assert raised.value.source == f"stacks/{name}"
        [problem] = raised.value.problems
        assert problem.startswith(expected), problem
