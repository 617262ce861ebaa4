"""Nothing written in a stack file is silently ignored or replaced (issue #11 item 1).

Each class is generated from the repository's real stack files: every `lattice:` key misspelt, a duplicate key
at every mapping of every file, a leading-zero account ID in every place an account ID goes, a secret in every
key. GIVEN such a file, WHEN it is read or its stack runs, THEN one line names the file, the key path and the
rule, and nothing is registered.
"""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any, Iterator

import pytest
import yaml
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from lattice_components.config import ConfigError
from lattice_components.config.stack_file import parse_stack_file
from lattice_components.programs import account, network
from lattice_components.programs.account import NETWORK_PROJECT
from lattice_components.tools import offline

ROOT = offline.REPO_ROOT
DUMPER = getattr(yaml, "CSafeDumper", yaml.SafeDumper)
NETWORK_FILES = [offline.network_stack_file(env) for env in offline.environments()]
ACCOUNT_FILES = sorted((ROOT / "stacks").glob("Pulumi.*.yaml"))
STACK_FILES = NETWORK_FILES + ACCOUNT_FILES
NETWORK_KEYS = {"lattice:network", "lattice:accounts", "lattice:networkAccount"}
ACCOUNT_KEYS = {f"lattice:{key}" for key in ("account", "networkStack", "deployRoleName", "services", "consumers", "callers")}


def source_of(path: Path) -> str:
    return str(path.relative_to(ROOT))


def env_of(path: Path) -> str:
    return path.name.split(".")[1] if path.parent == ROOT else path.name.split(".")[1].split("-", 1)[1]


@pytest.fixture(scope="module")
def network_outputs() -> dict[str, dict[str, Any]]:
    return {env: offline.run_network_stack(env).outputs for env in offline.environments()}


def run_stack(path: Path, config: dict[str, Any], network_outputs, **options) -> offline.ProgramRun:
    """Run the stack of `path` with `config` as its stack file's config, as `pulumi up` would."""
    env = env_of(path)
    if path.parent == ROOT:
        return offline.run_program(
            network.main, project=NETWORK_PROJECT, stack=env, config=config, account_id="111111111111",
            region="us-east-1", **options,
        )
    return offline.run_program(
        account.main, project=offline.ACCOUNT_PROJECT, stack=path.name[len("Pulumi."):-len(".yaml")], config=config,
        account_id="333333333333", region="us-east-1",
        stack_outputs={f"organization/{NETWORK_PROJECT}/{env}": network_outputs[env]}, **options,
    )


def expect_refusal(path: Path, config: dict[str, Any], network_outputs, **options) -> ConfigError:
    with pytest.raises(ConfigError) as raised:
        run_stack(path, config, network_outputs, **options)
    assert raised.value.source == source_of(path)
    assert not [r for r in raised.value.registrations if r.type.startswith("aws:")]
    return raised.value


# ------------------------------------------------------------------------------------------------------------
# Unknown keys at the top level of a stack file
# ------------------------------------------------------------------------------------------------------------


def one_edit_misspellings(name: str) -> list[str]:
    """Three one-edit typos of a key: a letter dropped, a letter doubled, two letters swapped."""
    middle = len(name) // 2
    return [name[:-1], name[:middle] + name[middle] + name[middle:], name[:middle - 1] + name[middle] + name[middle - 1] + name[middle + 1:]]


MISSPELT = [
    (path, key, f"lattice:{typo}")
    for path in STACK_FILES
    for key in offline.load_stack_file(path)
    if key.startswith("lattice:")
    for typo in one_edit_misspellings(key.split(":", 1)[1])
    if f"lattice:{typo}" not in NETWORK_KEYS | ACCOUNT_KEYS
]


@pytest.mark.parametrize(("path", "key", "typo"), MISSPELT, ids=[f"{source_of(p)}:{t}" for p, _, t in MISSPELT])
def test_a_misspelt_top_level_key_is_refused_naming_the_file_and_the_key(network_outputs, path, key, typo):
    # GIVEN a real stack file with one top-level lattice key misspelt by one edit
    config = offline.load_stack_file(path)
    config[typo] = config.pop(key)
    # WHEN its stack runs; THEN it stops before any registration, naming the misspelt key (not dropping it)
    error = expect_refusal(path, config, network_outputs)
    assert any(problem.startswith(f"{typo}: is not a setting this stack reads") for problem in error.problems), error.problems


@st.composite
def one_edit(draw, name: str) -> str:
    """Any one edit of `name`: a letter inserted, dropped, replaced, or two neighbours swapped."""
    index = draw(st.integers(0, len(name) - 1))
    letter = draw(st.sampled_from("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ-_"))
    edit = draw(st.sampled_from(["insert", "drop", "replace", "swap"]))
    if edit == "insert":
        return name[:index] + letter + name[index:]
    if edit == "drop":
        return name[:index] + name[index + 1:]
    if edit == "replace":
        return name[:index] + letter + name[index + 1:]
    index = min(index, len(name) - 2)
    return name[:index] + name[index + 1] + name[index] + name[index + 2:]


TOP_LEVEL = [(path, key) for path in STACK_FILES for key in offline.load_stack_file(path) if key.startswith("lattice:")]


@settings(max_examples=40, deadline=None)
@given(data=st.data())
def test_any_one_edit_typo_of_any_top_level_key_is_refused(network_outputs, data):
    # GIVEN any one-edit typo of any top-level key of any real stack file, in its namespace or its name
    path, key = data.draw(st.sampled_from(TOP_LEVEL), label="file and key")
    typo = data.draw(one_edit(key), label="typo")
    assume(":" in typo and typo.split(":")[1])
    config = offline.load_stack_file(path)
    if typo in NETWORK_KEYS | ACCOUNT_KEYS or typo in config:
        return  # the edit spelt another key this stack reads: a different mistake
    config[typo] = config.pop(key)
    # WHEN the stack runs; THEN the typo is refused by name, with the key it meant
    error = expect_refusal(path, config, network_outputs)
    assert any(problem.startswith(f"{typo}: is not a setting this stack reads") for problem in error.problems), error.problems


def test_a_config_key_without_a_namespace_is_refused():
    with pytest.raises(ConfigError) as raised:
        parse_stack_file("config:\n  services: {}\n", "stacks/Pulumi.orders-dev.yaml")
    assert raised.value.problems == [
        "services: is not a config key (line 2): keys are <namespace>:<name>, such as lattice:services"
    ]


def test_every_real_stack_file_has_typos_generated():
    assert {source_of(path) for path, _, _ in MISSPELT} == {source_of(path) for path in STACK_FILES}


@pytest.mark.parametrize("path", [NETWORK_FILES[0], ROOT / "stacks" / "Pulumi.orders-dev.yaml"], ids=source_of)
def test_a_key_of_the_project_namespace_is_refused_with_the_key_it_meant(network_outputs, path):
    # GIVEN `pulumi config set services ...` without the lattice: prefix: the CLI files it under the project
    config = offline.load_stack_file(path)
    project = NETWORK_PROJECT if path.parent == ROOT else offline.ACCOUNT_PROJECT
    key = "network" if path.parent == ROOT else "services"
    config[f"{project}:{key}"] = config[f"lattice:{key}"]
    error = expect_refusal(path, config, network_outputs)
    assert any(problem.startswith(f"{project}:{key}: is not a setting") and f"did you mean lattice:{key}?" in problem
               for problem in error.problems), error.problems


@pytest.mark.parametrize("path", STACK_FILES, ids=source_of)
def test_keys_of_other_namespaces_are_left_to_their_owners(network_outputs, path):
    # GIVEN provider and engine settings next to ours; WHEN the stack runs; THEN they are not ours to judge
    config = offline.load_stack_file(path)
    config.update({"aws:profile": "dev-admin", "aws:defaultTags": {"tags": {"Owner": "net"}},
                   "pulumi:disable-default-providers": ["kubernetes"], "kubernetes:context": "kind"})
    assert run_stack(path, config, network_outputs).resources


def test_the_program_sees_unknown_keys_in_the_map_the_language_host_hands_it(network_outputs, monkeypatch):
    # GIVEN the config only in PULUMI_CONFIG, as `pulumi up`'s language host passes it to the program
    path = ROOT / "stacks" / "Pulumi.orders-dev.yaml"
    config = offline.load_stack_file(path)
    config["lattice:service"] = config.pop("lattice:services")
    monkeypatch.setenv("PULUMI_CONFIG", json.dumps({key: offline._plain(value) for key, value in config.items()}))
    # WHEN the program runs with nothing set through the SDK's own map
    with pytest.raises(ConfigError) as raised:
        offline.run_account_stack("orders-dev", network_outputs["dev"], "organization/lattice-network/dev", config={})
    # THEN the misspelt key is still found
    assert any(problem.startswith("lattice:service: is not a setting") for problem in raised.value.problems)


# ------------------------------------------------------------------------------------------------------------
# Duplicate keys, at every mapping of every file
# ------------------------------------------------------------------------------------------------------------


def mappings(node: yaml.Node, path: str = "") -> Iterator[tuple[yaml.MappingNode, str]]:
    if isinstance(node, yaml.MappingNode):
        yield node, path
        for key, value in node.value:
            yield from mappings(value, f"{path}.{key.value}" if path else key.value)
    elif isinstance(node, yaml.SequenceNode):
        for index, item in enumerate(node.value):
            yield from mappings(item, f"{path}[{index}]")


DUPLICATE_SITES = [
    (path, index) for path in STACK_FILES for index, _ in enumerate(mappings(yaml.compose(path.read_text())))
]


@pytest.mark.parametrize(("path", "index"), DUPLICATE_SITES, ids=[f"{source_of(p)}#{i}" for p, i in DUPLICATE_SITES])
def test_a_key_written_twice_is_refused_naming_both_lines(path, index):
    # GIVEN a real stack file whose index-th mapping (any depth) has its first key written again at its end
    root = yaml.compose(path.read_text())
    node, where = list(mappings(root))[index]
    key, value = node.value[0]
    node.value.append((copy.deepcopy(key), copy.deepcopy(value)))
    text = yaml.serialize(root, Dumper=yaml.SafeDumper)
    # WHEN the offline runner reads it
    with pytest.raises(ConfigError) as raised:
        parse_stack_file(text, source_of(path))
    # THEN one line names the key path (relative to config:) and both lines, and those lines hold the key
    inner = where.removeprefix("config").removeprefix(".")
    expected_path = f"{inner}.{key.value}" if inner else key.value
    [problem] = [p for p in raised.value.problems if "written twice" in p]
    assert problem.startswith(f"{expected_path}: is written twice, on lines ")
    first, second = (int(n) for n in problem.split("on lines ")[1].split(";")[0].split(" and "))
    lines = text.splitlines()
    assert first < second
    for number in (first, second):
        assert lines[number - 1].lstrip(" -").startswith(f"{key.value}:"), (number, lines[number - 1])


# ------------------------------------------------------------------------------------------------------------
# Leading-zero account IDs, in every place an account ID goes
# ------------------------------------------------------------------------------------------------------------


def account_id_places() -> list[tuple[Path, tuple[Any, ...]]]:
    """(file, key path) of every account ID in the real stack files: registry IDs and bare-ID principals."""
    places: list[tuple[Path, tuple[Any, ...]]] = []
    for path in NETWORK_FILES:
        for name in offline.load_stack_file(path)["lattice:accounts"]:
            places.append((path, ("lattice:accounts", name, "id")))
    for path in ACCOUNT_FILES:
        for service, spec in (offline.load_stack_file(path).get("lattice:services") or {}).items():
            if "allowedCallers" in spec:  # a hand-written authPolicy names no callers here
                places.append((path, ("lattice:services", service, "allowedCallers", "principals", 0)))
    return places


PLACES = account_id_places()


def set_at(config: dict[str, Any], where: tuple[Any, ...], value: Any) -> None:
    target = config
    for part in where[:-1]:
        target = target[part]
    target[where[-1]] = value


def dotted(where: tuple[Any, ...]) -> str:
    return "".join(f"[{part}]" if isinstance(part, int) else (f".{part}" if i else part) for i, part in enumerate(where))


@settings(max_examples=10, deadline=None)
@given(account_id=st.from_regex(r"0[0-9]{11}", fullmatch=True))
def test_an_unquoted_leading_zero_account_id_gets_a_quote_it_hint_everywhere(account_id):
    # GIVEN each place an account ID goes, holding an unquoted ID with a leading zero (octal or not, for YAML)
    for path, where in PLACES:
        config = offline.load_stack_file(path)
        set_at(config, where, "__ID__")
        text = yaml.safe_dump({"config": config}, sort_keys=False).replace("'__ID__'", account_id).replace("__ID__", account_id)
        # WHEN the offline runner reads the file; THEN it names the key path and says to quote it
        with pytest.raises(ConfigError) as raised:
            parse_stack_file(text, source_of(path))
        assert any(problem.startswith(f"{dotted(where)}: {account_id} (line ") and f'quote it, "{account_id}"' in problem
                   for problem in raised.value.problems), raised.value.problems


@pytest.mark.parametrize(("path", "where"), PLACES, ids=[f"{source_of(p)}:{dotted(w)}" for p, w in PLACES])
def test_the_program_hints_at_quoting_an_account_id_the_cli_turned_into_a_number(network_outputs, path, where):
    # GIVEN what `pulumi up` hands the program for an unquoted 012345678901: the number 12345678901
    config = offline.load_stack_file(path)
    set_at(config, where, 12345678901)
    # WHEN the stack runs; THEN the error at that key says to quote it
    error = expect_refusal(path, config, network_outputs)
    assert any(problem.startswith(f"{dotted(where)}") and "quote it" in problem for problem in error.problems), error.problems


# ------------------------------------------------------------------------------------------------------------
# Secrets where no setting is secret
# ------------------------------------------------------------------------------------------------------------


def key_paths(value: Any, where: tuple[Any, ...] = ()) -> Iterator[tuple[Any, ...]]:
    if where:
        yield where
    if isinstance(value, dict):
        for key, item in value.items():
            yield from key_paths(item, (*where, key))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from key_paths(item, (*where, index))


SECRET_SITES = [(path, where) for path in STACK_FILES for where in key_paths(offline.load_stack_file(path))]


def test_a_secret_in_any_key_the_program_reads_is_refused_at_that_key():
    # GIVEN every key path of every real stack file, in turn holding a `secure:` value
    refused = 0
    configs = {path: offline.load_stack_file(path) for path in STACK_FILES}
    for path, where in SECRET_SITES:
        config = copy.deepcopy(configs[path])
        set_at(config, where, {"secure": "v1:c2VjcmV0"})
        text = yaml.dump({"config": config}, Dumper=DUMPER, sort_keys=False)
        # WHEN the offline runner reads it; THEN a key the program reads is refused under its own path
        try:
            parse_stack_file(text, source_of(path))
        except ConfigError as error:
            assert [p for p in error.problems if p.startswith(f"{dotted(where)}: is a secret")], (where, error.problems)
            refused += 1
        else:
            assert not (where[0].startswith("lattice:") or where[0] == "aws:region"), where
    assert refused == len([site for site in SECRET_SITES if site[1][0].startswith(("lattice:", "aws:region"))])


def test_a_provider_secret_is_left_to_the_provider():
    text = "config:\n  aws:region: us-east-1\n  aws:secretKey:\n    secure: v1:c2VjcmV0\n"
    assert parse_stack_file(text, "Pulumi.dev.yaml")["aws:secretKey"] == {"secure": "v1:c2VjcmV0"}


TOP_KEYS = [(path, key) for path in STACK_FILES for key in offline.load_stack_file(path) if key.startswith("lattice:")]


@pytest.mark.parametrize(("path", "key"), TOP_KEYS, ids=[f"{source_of(p)}:{k}" for p, k in TOP_KEYS])
def test_the_program_refuses_a_key_the_cli_marks_secret(network_outputs, path, key):
    # GIVEN `pulumi config set --secret` on a lattice key: the CLI decrypts it and lists it as a secret key
    error = expect_refusal(path, offline.load_stack_file(path), network_outputs, secret_keys=[key])
    assert any(problem.startswith(f"{key}: is a secret") for problem in error.problems), error.problems


# ------------------------------------------------------------------------------------------------------------
# Files that are not a stack file's shape
# ------------------------------------------------------------------------------------------------------------

MALFORMED = [
    ("a YAML syntax error", "config:\n  lattice:account: [orders\n", "YAML syntax error"),
    ("a list instead of a mapping", "- config\n", "the file is a YAML list, not a mapping"),
    ("a plain string", "orders\n", "the file is a YAML str, not a mapping"),
    ("config: holding a list", "config:\n  - lattice:account: orders\n", "config: is a YAML list"),
    ("a misspelt config:", "conifg:\n  lattice:account: orders\n", "conifg: is not a stack file setting"),
    ("config: written twice", "config: {}\nconfig:\n  lattice:account: orders\n", "config: is written twice, on lines 1 and 2"),
]


@pytest.mark.parametrize(("scenario", "text", "expected"), MALFORMED, ids=[case[0] for case in MALFORMED])
def test_a_file_of_the_wrong_shape_is_one_line_naming_the_file(scenario, text, expected):
    with pytest.raises(ConfigError) as raised:
        parse_stack_file(text, "stacks/Pulumi.orders-dev.yaml")
    assert raised.value.source == "stacks/Pulumi.orders-dev.yaml"
    assert len(raised.value.problems) == 1 and expected in raised.value.problems[0], raised.value.problems


# ------------------------------------------------------------------------------------------------------------
# Values read as `pulumi up` reads them
# ------------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("word", ["yes", "no", "on", "off", "y", "n", "Yes", "OFF"])
def test_words_yaml_1_1_calls_booleans_stay_text_as_the_cli_reads_them(network_outputs, word):
    # GIVEN a tag value the Pulumi CLI's yaml.v3 reads as text, but YAML 1.1 readers as a boolean
    path = ROOT / "stacks" / "Pulumi.orders-dev.yaml"
    text = path.read_text().replace("Team: OrderTeam", f"Team: {word}")
    config = parse_stack_file(text, source_of(path))
    # WHEN the stack runs offline; THEN it is the text `pulumi up` would tag with, not a refused boolean
    assert config["lattice:services"]["order-service"]["tags"]["Team"] == word
    run = run_stack(path, config, network_outputs)
    service = next(r for r in run.resources if r.type == "aws:vpclattice/service:Service" and "order-service" in r.name)
    assert service.inputs["tags"]["Team"] == word


@pytest.mark.parametrize("word", ["true", "True", "TRUE", "false", "False", "FALSE"])
def test_true_and_false_are_booleans_for_both_readers(word):
    assert parse_stack_file(f"config:\n  lattice:x: {word}\n", "f")["lattice:x"] is (word.lower() == "true")


def test_a_network_file_with_a_bad_region_and_a_bad_name_reports_both_at_once(network_outputs):
    path = NETWORK_FILES[0]
    config = offline.load_stack_file(path)
    config["aws:region"] = "us-east"
    config["lattice:network"]["name"] = "Dev Services"
    error = expect_refusal(path, config, network_outputs)
    assert [problem.split(":")[0] + ":" + problem.split(":")[1] for problem in error.problems] == [
        "aws:region", "lattice:network.name"
    ]


# ------------------------------------------------------------------------------------------------------------
# Key paths as the user wrote them
# ------------------------------------------------------------------------------------------------------------

TAG_KEY = st.from_regex(r"[A-Za-z][A-Za-z0-9_.:/ -]{0,20}", fullmatch=True).filter(lambda key: key.strip() == key)


@settings(max_examples=30, deadline=None)
@given(key=TAG_KEY)
def test_a_bad_tag_is_blamed_under_the_tag_key_as_written(network_outputs, key):
    # GIVEN a tag with any key spelling (snake_case, dots, slashes, spaces) and a list for a value
    path = ROOT / "stacks" / "Pulumi.orders-dev.yaml"
    config = offline.load_stack_file(path)
    config["lattice:services"]["order-service"]["tags"] = {key: ["x"]}
    error = expect_refusal(path, config, network_outputs)
    # THEN the key path holds the key unchanged (not re-cased), bracketed where `pulumi config set --path` needs it
    plain = not any(char in key for char in '.[]" ')
    written = f".{key}" if plain else f"[{json.dumps(key)}]"
    assert error.problems == [f"lattice:services.order-service.tags{written}: is a list, where a string is expected"]


def test_a_duplicate_dotted_key_is_named_as_pulumi_config_set_path_would():
    text = 'config:\n  lattice:network:\n    tags:\n      app.kubernetes.io/name: a\n      app.kubernetes.io/name: b\n'
    with pytest.raises(ConfigError) as raised:
        parse_stack_file(text, "Pulumi.dev.yaml")
    assert raised.value.problems[0].startswith('lattice:network.tags["app.kubernetes.io/name"]: is written twice, on lines 4 and 5')


# ------------------------------------------------------------------------------------------------------------
# A value of the wrong shape, at every mapping of every file
# ------------------------------------------------------------------------------------------------------------

def get_at(config: dict[str, Any], where: tuple[Any, ...]) -> Any:
    for part in where:
        config = config[part]
    return config


MAPPING_SITES = [
    (path, where) for path, where in SECRET_SITES
    if where[0].startswith("lattice:") and isinstance(get_at(offline.load_stack_file(path), where), dict)
]


@pytest.mark.parametrize(("path", "where"), MAPPING_SITES, ids=[f"{source_of(p)}:{dotted(w)}" for p, w in MAPPING_SITES])
def test_a_list_where_a_mapping_belongs_is_one_line_at_that_key(network_outputs, path, where):
    # GIVEN a mapping of a real stack file written as a list
    config = offline.load_stack_file(path)
    set_at(config, where, ["frontend"])
    # WHEN the stack runs; THEN one line at that key says a mapping belongs there
    error = expect_refusal(path, config, network_outputs)
    assert error.problems == [f"{dotted(where)}: is a list, where a mapping (key: value) is expected"]


@pytest.mark.parametrize("name", ["2024", "true", "null", "1e3"])
def test_a_quoted_top_level_value_stays_the_text_it_was(network_outputs, name):
    # GIVEN a role name that reads as JSON (a number, a boolean, null), quoted in the stack file
    path = ROOT / "stacks" / "Pulumi.orders-dev.yaml"
    config = parse_stack_file(path.read_text().replace("lattice:account: orders", f'lattice:account: orders\n  lattice:deployRoleName: "{name}"'), source_of(path))
    # WHEN the stack runs; THEN the provider assumes the role of that name, as the text says
    run = run_stack(path, config, network_outputs)
    provider = next(r for r in run.resources if r.type == "pulumi:providers:aws")
    assert f"role/{name}" in json.dumps(provider.inputs)
