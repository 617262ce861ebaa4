"""The plugin and the pack install what was tested: GIVEN uv.lock, THEN `provider/requirements.txt` and
`policy_pack/requirements.txt` pin exactly its versions of what each folder needs (`uv export`), below their
hand-kept headers."""

from __future__ import annotations

import shutil

import pytest

from lattice_components.tools import pins
from lattice_components.tools.offline import REPO_ROOT

pytestmark = pytest.mark.skipif(shutil.which("uv") is None, reason="uv is not installed: it exports the lock")


@pytest.mark.parametrize("path", sorted(pins.EXPORTS))
def test_the_requirements_file_pins_the_lock(path):
    committed = (REPO_ROOT / path).read_text()
    assert pins.MARKER in committed, f"{path} has no marker line; add it under the header"
    assert committed == pins.expected(path), (
        f"{path} drifted from uv.lock: rewrite it with `uv run python -m lattice_components.tools.pins`"
    )


def test_the_plugin_installs_this_repository_and_pins_every_dependency_of_it():
    lines = [line for line in (REPO_ROOT / "provider/requirements.txt").read_text().splitlines() if line and line[0] != "#"]
    assert lines[0] == "-e .."  # the CLI runs pip from provider/, in the checkout of the tag it was given
    pinned = {line.split("==")[0].lower() for line in lines[1:] if "==" in line}
    assert {"pulumi", "pulumi-aws", "pydantic", "botocore"} <= pinned
    assert not {"typer", "rich", "pulumi-policy", "pytest"} & pinned  # not what the components need
    assert all("==" in line for line in lines[1:] if not line.lstrip().startswith("#"))


def test_the_pack_releases_with_the_distribution_it_pins():
    # GIVEN the distribution's version, the pack's and the pack's pin THEN they are one version
    import tomllib

    import yaml

    version = tomllib.loads((REPO_ROOT / "pyproject.toml").read_text())["project"]["version"]
    pack = yaml.safe_load((REPO_ROOT / "policy_pack/PulumiPolicy.yaml").read_text())
    pin = next(line for line in (REPO_ROOT / "policy_pack/requirements.txt").read_text().splitlines() if line and line[0] != "#")
    assert (pack["version"], pin) == (version, f"lattice-components[policy]=={version}")
