"""The README shows the report and the diagram of the real dev config; this fails when they drift.

To refresh after a change to the stacks, the components or the policy pack:
    LATTICE_UPDATE_README=1 uv run pytest tests/test_readme.py
"""

from __future__ import annotations

import os
import re

import pytest

from lattice_components.tools import offline, plan, topology

README = offline.REPO_ROOT / "README.md"


@pytest.fixture(scope="module")
def dev_report():
    return plan.build("dev")


def generated_blocks(report):
    return {
        "lattice plan dev --format markdown": plan.to_markdown(report),
        "lattice graph dev": "```mermaid\n" + report.mermaid + "```\n",
    }


@pytest.mark.parametrize("command", ["lattice plan dev --format markdown", "lattice graph dev"])
def test_the_readme_embeds_what_the_command_prints_today(dev_report, command):
    expected = generated_blocks(dev_report)[command]
    text = README.read_text()
    begin, end = f"<!-- {command}: begin -->\n", f"<!-- {command}: end -->"
    match = re.compile(re.escape(begin) + r"(.*?)" + re.escape(end), re.S).search(text)
    assert match, f"README.md has no {begin.strip()} ... {end} block"
    if os.environ.get("LATTICE_UPDATE_README"):
        README.write_text(text[: match.start(1)] + expected + text[match.end(1):])
        return
    assert match.group(1) == expected, (
        f"README.md's `{command}` block drifted from what the command prints; "
        "refresh it with LATTICE_UPDATE_README=1 uv run pytest tests/test_readme.py"
    )


def test_the_graph_command_prints_the_report_diagram(dev_report):
    assert topology.mermaid(offline.run_environment("dev")) == dev_report.mermaid
