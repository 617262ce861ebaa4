"""The files the Pulumi CLI reads: PulumiPolicy.yaml, requirements.txt and the --policy-pack-config examples."""

from __future__ import annotations

import json
import tomllib

import pytest
import yaml

from lattice_components.tools.analyzer_client import PACK_DIR
from lattice_components.policies import PACK_NAME, all_policies

POLICIES = {policy.name: policy for policy in all_policies()}
LEVELS = {"advisory", "mandatory", "remediate", "disabled"}


def test_the_pack_is_python_and_points_nowhere_outside_its_folder():
    # GIVEN the pack's project file, which `pulumi policy publish` ships with the folder
    project = yaml.safe_load((PACK_DIR / "PulumiPolicy.yaml").read_text())
    assert project["runtime"]["name"] == "python" and project["version"]
    # THEN its virtualenv is inside the folder, where the CLI installs requirements.txt for a published pack
    venv = (PACK_DIR / project["runtime"]["options"]["virtualenv"]).resolve()
    assert venv.is_relative_to(PACK_DIR.resolve()) and venv != PACK_DIR.resolve()


def test_requirements_pin_the_distribution_that_holds_the_policies_at_this_version():
    lines = [line for line in (PACK_DIR / "requirements.txt").read_text().splitlines() if line and line[0] != "#"]
    version = tomllib.loads((PACK_DIR.parent / "pyproject.toml").read_text())["project"]["version"]
    assert lines[0] == f"lattice-components[policy]=={version}"
    assert not any(line.startswith(("-e", "..", "file:")) for line in lines), "the pack must not point at a checkout"


@pytest.mark.parametrize("env", ["dev", "prod"])
def test_example_configs_name_real_policies_levels_and_declared_properties(env):
    config = json.loads((PACK_DIR / f"policy-config.{env}.json").read_text())
    for name, entry in config.items():
        assert name in POLICIES, f"{name} is not a policy of the {PACK_NAME} pack"
        assert entry.get("enforcementLevel", "advisory") in LEVELS
        declared = set(POLICIES[name].config_schema.properties) if POLICIES[name].config_schema else set()
        assert set(entry) - {"enforcementLevel"} <= declared, f"{name}: undeclared config {set(entry) - declared}"


def test_prod_turns_the_advisory_for_prod_policies_mandatory():
    prod = json.loads((PACK_DIR / "policy-config.prod.json").read_text())
    hygiene = {"lattice-listener-https", "lattice-required-tags", "lattice-forward-weights",
               "lattice-resource-ports", "lattice-resource-gateway-subnets",
               "lattice-network-log-destinations"}  # resource access (#15), production networks log (#14)
    assert {name for name, entry in prod.items() if entry.get("enforcementLevel") == "mandatory"} == hygiene
    assert all(POLICIES[name].enforcement_level.value == "advisory" for name in hygiene)
