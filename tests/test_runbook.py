"""The README's deploy runbook is true of this repository: GIVEN every shell block of its "Deploying for real"
section, WHEN each command is played against the checkout (`cd`, the stack it inits, the config it sets, the
policy pack it names, the `lattice` command it runs), THEN the committed stack files hold what `pulumi config
set` would write, the stacks it names exist, and the `lattice` commands succeed. A command the test cannot
play fails it, unless listed below with the reason it cannot run here."""

from __future__ import annotations

import re
import shlex
from pathlib import Path
from typing import Any

import pytest
import yaml
from typer.testing import CliRunner

from lattice_components.tools import offline
from lattice_components.tools.cli import app

REPO = offline.REPO_ROOT
SECTION = re.compile(r"^## Deploying for real.*?(?=^## )", re.S | re.M)
NOT_PLAYABLE = {
    ("pulumi", "login"): "needs a backend; the backend is the reader's choice",
}


def runbook_blocks() -> list[str]:
    [section] = SECTION.findall((REPO / "README.md").read_text())
    return re.findall(r"```bash\n(.*?)```", section, re.S)


def lookup(document: dict[str, Any], key: str, path: bool) -> Any:
    """The value `pulumi config set [--path] key` addresses in a stack file's `config:`."""
    config = document.get("config") or {}
    if not path:
        return config.get(key)
    namespace, _, rest = key.partition(":")
    first, *parts = rest.split(".")
    value = config.get(f"{namespace}:{first}")
    for part in parts:
        value = value.get(part) if isinstance(value, dict) else None
    return value


class Shell:
    """Plays the runbook's commands against the checkout."""

    def __init__(self) -> None:
        self.cwd = REPO
        self.stack: str | None = None

    def stack_file(self) -> Path:
        assert self.stack, "a command that needs a stack before any `pulumi stack init`"
        return self.cwd / f"Pulumi.{self.stack}.yaml"

    def play(self, line: str) -> None:
        words = shlex.split(line)
        if words[0] == "cd":
            self.cwd = (self.cwd / words[1]).resolve()
            assert (self.cwd / "Pulumi.yaml").exists(), f"`{line}`: not a Pulumi project"
        elif words[:3] in (["pulumi", "stack", "init"], ["pulumi", "stack", "select"]):
            self.stack = words[3]
            assert self.stack_file().exists(), f"`{line}`: no {self.stack_file().relative_to(REPO)}"
        elif words[:3] == ["pulumi", "config", "set"]:
            path = "--path" in words
            key, value = [word for word in words[3:] if word != "--path"]
            found = lookup(yaml.safe_load(self.stack_file().read_text()), key, path)
            assert str(found).lower() == value.lower(), f"`{line}`: {self.stack_file().name} has {found!r}"
        elif words[0] == "pulumi" and words[1] in ("up", "preview"):
            pack = self.cwd / words[words.index("--policy-pack") + 1]
            config = self.cwd / words[words.index("--policy-pack-config") + 1]
            assert (pack / "PulumiPolicy.yaml").exists(), f"`{line}`: no policy pack at {pack}"
            env = self.stack_file().name[len("Pulumi."):-len(".yaml")].rsplit("-", 1)[-1]
            assert config.name == f"policy-config.{env}.json" and config.exists(), f"`{line}`: not {env}'s config"
        elif words[:3] == ["uv", "run", "lattice"]:
            result = CliRunner().invoke(app, [*words[3:], "--project-dir", str(REPO)])
            assert result.exit_code == 0, f"`{line}`: {result.output}"
        elif tuple(words[:2]) in NOT_PLAYABLE:
            pass
        else:
            pytest.fail(f"the runbook's `{line}` is neither played nor listed as unplayable")


def test_the_runbook_has_the_steps_the_issue_asks_for():
    text = "\n".join(runbook_blocks())
    for needed in ("cd bootstrap", "pulumi login", "pulumi stack init dev", "cd stacks", "uv run lattice stacks dev"):
        assert needed in text, needed
    [section] = SECTION.findall((REPO / "README.md").read_text())
    for needed in ("--secrets-provider", "fn::open::aws-login", "### Adding an account", "### Adding an environment",
                   "repo:<org>/<repo>:pull_request", "allowed_account_ids"):
        assert needed in section, needed


@pytest.mark.parametrize("index", range(len(runbook_blocks())))
def test_every_runbook_command_matches_the_checkout(index):
    shell = Shell()
    for line in runbook_blocks()[index].splitlines():
        line = line.split("  #", 1)[0].strip()
        if line and not line.startswith("#"):
            shell.play(line)


def test_the_esc_example_logs_into_the_account_of_its_stack():
    # the ESC block's role ARN must be the deploy role of the account its stack acts in
    [section] = SECTION.findall((REPO / "README.md").read_text())
    [block] = re.findall(r"```yaml\n(.*?)```", section, re.S)
    esc = yaml.safe_load(block)
    [stack] = re.findall(r"`environment: \[lattice/([\w-]+)\]`", section)
    account = offline.load_stack_file(REPO / "stacks" / f"Pulumi.{stack}.yaml")["lattice:account"]
    registry = offline.load_stack_file(REPO / f"Pulumi.{stack.rsplit('-', 1)[-1]}.yaml")["lattice:accounts"]
    login = esc["values"]["aws"]["login"]["fn::open::aws-login"]["oidc"]
    assert login["roleArn"] == f"arn:aws:iam::{registry[account]['id']}:role/LatticeDeployRole"
    assert esc["values"]["pulumiConfig"] == {"lattice:deployRoleName": ""}


def test_a_wrong_value_in_the_runbook_would_fail():
    # GIVEN a config value the stack file does not hold  THEN playing it fails (the check is live)
    shell = Shell()
    shell.play("cd stacks")
    shell.play("pulumi stack init orders-dev")
    with pytest.raises(AssertionError):
        shell.play("pulumi config set lattice:account payments")
