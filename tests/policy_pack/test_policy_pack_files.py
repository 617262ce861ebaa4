"""The files the Pulumi CLI reads: PulumiPolicy.yaml, requirements.txt and the --policy-pack-config examples."""

from __future__ import annotations

import json
import subprocess

import pytest
import yaml

from lattice_components.tools.analyzer_client import PACK_DIR
from lattice_components.policies import PACK_NAME, all_policies

POLICIES = {policy.name: policy for policy in all_policies()}
LEVELS = {"advisory", "mandatory", "remediate", "disabled"}


def test_the_pack_is_python_and_its_virtualenv_is_the_uv_project_environment():
    project = yaml.safe_load((PACK_DIR / "PulumiPolicy.yaml").read_text())
    assert project["runtime"]["name"] == "python" and project["version"]
    # GIVEN the virtualenv option, which the CLI's shim resolves against the pack folder
    venv = (PACK_DIR / project["runtime"]["options"]["virtualenv"]).resolve()
    # WHEN its interpreter imports what the pack needs THEN the real CLI can run the pack
    python = venv / "bin" / "python"
    result = subprocess.run(
        [str(python), "-c", "import pulumi_policy, lattice_components.policies"],
        capture_output=True, text=True, check=False,
    )
    assert result.returncode == 0, result.stderr


def test_requirements_install_this_repository_for_a_pip_managed_virtualenv():
    lines = [line for line in (PACK_DIR / "requirements.txt").read_text().splitlines() if line and line[0] != "#"]
    assert lines == ["-e .."] and (PACK_DIR / ".." / "pyproject.toml").exists()


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
               "lattice-resource-ports", "lattice-resource-gateway-subnets"}  # the last two: resource access (#15)
    assert {name for name, entry in prod.items() if entry.get("enforcementLevel") == "mandatory"} == hygiene
    assert all(POLICIES[name].enforcement_level.value == "advisory" for name in hygiene)
