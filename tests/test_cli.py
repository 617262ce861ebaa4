"""The `lattice` command as a terminal and a pipe see it: GIVEN an invocation, WHEN it runs (through typer's
CliRunner, and as `uv run lattice` in a subprocess), THEN a user error is one line on stderr with exit 2 (1 for a
request that failed), never a traceback; piped text is one record per line, whole; a terminal gets rich tables
without colour under NO_COLOR; and the repository is the one containing the current directory."""

from __future__ import annotations

import json
import os
import pty
import re
import shutil
import socket
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from lattice_components.tools import offline
from lattice_components.tools.cli import app, find_project_dir

REPO = offline.REPO_ROOT
runner = CliRunner()
EXAMPLE_CREDENTIALS = {  # the AWS documentation's example keys, never real ones
    "AWS_ACCESS_KEY_ID": "AKIDEXAMPLE", "AWS_SECRET_ACCESS_KEY": "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY",
    "AWS_DEFAULT_REGION": "us-east-1",
}
NO_CREDENTIALS: dict[str, str | None] = {  # None: unset
    "AWS_ACCESS_KEY_ID": None, "AWS_SECRET_ACCESS_KEY": None, "AWS_SESSION_TOKEN": None, "AWS_PROFILE": None,
    "AWS_CONFIG_FILE": "/nonexistent/config", "AWS_SHARED_CREDENTIALS_FILE": "/nonexistent/credentials",
    "AWS_EC2_METADATA_DISABLED": "true", "AWS_CONTAINER_CREDENTIALS_RELATIVE_URI": None,
    "AWS_CONTAINER_CREDENTIALS_FULL_URI": None, "AWS_WEB_IDENTITY_TOKEN_FILE": None, "AWS_DEFAULT_REGION": "us-east-1",
}
BOX_DRAWING = re.compile(r"[\u2500-\u257f]")
COLOUR_SGR = re.compile(r"\x1b\[(?:[0-9;]*;)?(?:3[0-7]|9[0-7]|38;[25])[;m]")


@pytest.fixture(scope="module")
def refused_url():
    """A URL whose port is bound but not listening: connecting is refused, deterministically."""
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    yield f"http://127.0.0.1:{sock.getsockname()[1]}/orders"
    sock.close()


@pytest.fixture(scope="module")
def silent_url():
    """A URL whose server accepts the connection (kernel backlog) and never answers: the read times out."""
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    sock.listen(8)
    yield f"http://127.0.0.1:{sock.getsockname()[1]}/orders"
    sock.close()


def bad_invocations(refused: str, silent: str) -> list[tuple[str, list[str], dict[str, str], int, str]]:
    """(id, arguments, environment, exit code, what the one line says)."""
    empty = "/nonexistent-lattice-checkout"
    return [
        ("plan-unknown-env", ["plan", "no-such-env"], {}, 2, "unknown environment 'no-such-env'"),
        ("graph-unknown-env", ["graph", "no-such-env"], {}, 2, "unknown environment 'no-such-env'"),
        ("access-unknown-env", ["access", "no-such-env"], {}, 2, "unknown environment 'no-such-env'"),
        ("stacks-unknown-env", ["stacks", "no-such-env", "--json"], {}, 2, "unknown environment 'no-such-env'"),
        ("plan-bad-format", ["plan", "dev", "--format", "yaml"], {}, 2, "--format 'yaml': not one of text, markdown, json"),
        ("access-bad-format", ["access", "dev", "-f", "html"], {}, 2, "--format 'html'"),
        ("plan-bad-project-dir", ["plan", "dev", "--project-dir", empty], {}, 2, f"--project-dir {empty}"),
        ("graph-bad-project-dir", ["graph", "dev", "--project-dir", empty], {}, 2, f"--project-dir {empty}"),
        ("invoke-not-a-url", ["invoke", "orders"], EXAMPLE_CREDENTIALS, 2, "URL 'orders'"),
        ("invoke-ftp-url", ["invoke", "ftp://example.com/x"], EXAMPLE_CREDENTIALS, 2, "URL 'ftp://example.com/x'"),
        ("invoke-port-out-of-range", ["invoke", "http://127.0.0.1:99999/"], EXAMPLE_CREDENTIALS, 2, "URL"),
        ("invoke-header-without-colon", ["invoke", refused, "-H", "X-Canary true"], EXAMPLE_CREDENTIALS, 2,
         "-H 'X-Canary true': expected 'Name: value'"),
        ("invoke-header-without-name", ["invoke", refused, "-H", ": true"], EXAMPLE_CREDENTIALS, 2, "-H ': true'"),
        ("invoke-no-credentials", ["invoke", refused], NO_CREDENTIALS, 2, "AWS credentials"),
        ("invoke-unknown-profile", ["invoke", refused], {**NO_CREDENTIALS, "AWS_PROFILE": "no-such-profile"}, 2,
         "no-such-profile"),
        ("invoke-refused", ["invoke", refused], EXAMPLE_CREDENTIALS, 1, "request failed"),
        ("invoke-timeout", ["invoke", silent, "--timeout", "0.3"], EXAMPLE_CREDENTIALS, 1, "no answer within 0.3 s"),
        ("invoke-bad-timeout", ["invoke", refused, "--timeout", "0"], EXAMPLE_CREDENTIALS, 2, "--timeout"),
    ]


CASE_IDS = [case[0] for case in bad_invocations("r", "s")]


def assert_one_line_error(stdout: str, stderr: str, code: int, expected_code: int, says: str) -> None:
    assert code == expected_code, stdout + stderr
    assert "Traceback" not in stdout + stderr
    lines = [line for line in stderr.splitlines() if line.strip()]
    assert len(lines) == 1 and lines[0].startswith("error: "), stderr
    assert says in lines[0], lines[0]


@pytest.mark.parametrize("case", CASE_IDS)
def test_a_bad_invocation_is_one_line_and_an_exit_code_in_process(case, refused_url, silent_url):
    [(_, arguments, env, code, says)] = [c for c in bad_invocations(refused_url, silent_url) if c[0] == case]
    # WHEN typer runs the command in this process
    result = CliRunner().invoke(app, arguments, env=env)
    # THEN one line on stderr, the exit code of the class, no traceback
    assert result.exception is None or isinstance(result.exception, SystemExit), repr(result.exception)
    assert_one_line_error(result.stdout, result.stderr, result.exit_code, code, says)


def environment(changes: dict[str, str | None] | None) -> dict[str, str]:
    merged = {**os.environ, **(changes or {})}
    return {key: value for key, value in merged.items() if value is not None}


def uv_lattice(arguments: list[str], env: dict[str, str] | None = None, cwd: Path = REPO, **options) -> subprocess.CompletedProcess:
    uv = shutil.which("uv")
    if uv is None:
        pytest.skip("uv not on PATH")
    return subprocess.run(
        [uv, "run", "--quiet", "--project", str(REPO), "lattice", *arguments],
        cwd=cwd, env=environment(env), capture_output=True, text=True, timeout=120, **options,
    )


# One per class of error: each subprocess pays Python's start-up, the in-process table covers every variant.
AS_A_USER = ["plan-unknown-env", "plan-bad-format", "graph-bad-project-dir", "invoke-not-a-url",
             "invoke-header-without-colon", "invoke-no-credentials", "invoke-refused", "invoke-timeout"]


@pytest.mark.parametrize("case", AS_A_USER)
def test_a_bad_invocation_is_one_line_and_an_exit_code_as_a_user_runs_it(case, refused_url, silent_url):
    [(_, arguments, env, code, says)] = [c for c in bad_invocations(refused_url, silent_url) if c[0] == case]
    # WHEN a user runs `uv run lattice ...` in a shell
    result = uv_lattice(arguments, env)
    # THEN the same: one line, the exit code, no traceback
    assert_one_line_error(result.stdout, result.stderr, result.returncode, code, says)


def test_offline_commands_need_no_aws_profile():
    # GIVEN an AWS profile that does not exist (a typo)  THEN the offline commands do not care
    result = uv_lattice(["graph", "dev"], {"AWS_PROFILE": "no-such-profile"})
    assert result.returncode == 0 and result.stdout.startswith("graph LR"), result.stderr


def test_a_stack_file_that_is_not_yaml_is_one_error_and_exit_2(tmp_path):
    checkout = copy_checkout(tmp_path)
    (checkout / "stacks" / "Pulumi.orders-dev.yaml").write_text("config:\n  lattice:account: [orders\n")
    result = runner.invoke(app, ["plan", "dev", "--project-dir", str(checkout)])
    # (which file and line is the config reader's to say: tests/test_config_errors.py)
    assert result.exit_code == 2, result.output
    assert "Traceback" not in result.output and result.stderr.startswith("error: ")


# --- a pipe ------------------------------------------------------------------------------------------------


def test_access_in_a_pipe_is_one_row_per_line_so_grep_finds_a_caller():
    # GIVEN stdout is not a terminal (CliRunner captures it)  WHEN `lattice access dev`
    result = runner.invoke(app, ["access", "dev"])
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    # THEN a header and one tab-separated record per row, nothing drawn
    assert not BOX_DRAWING.search(result.output)
    assert all(len(line.split("\t")) == 5 for line in lines), lines
    rows = json.loads(runner.invoke(app, ["access", "dev", "--format", "json"]).output)
    assert len(lines) == len(rows) + 1
    # AND `grep MobileBackendRole` prints that caller's rows, each whole
    mobile = [line for line in lines if "MobileBackendRole" in line and line.startswith("MobileBackendRole")]
    # (one row per method it declares, GET and POST, for each of the 3 services)
    assert len(mobile) == sum(row["caller"].startswith("MobileBackendRole") for row in rows) == 6
    assert all("arn:aws:iam::222222222222:role/MobileBackendRole" in line for line in mobile)


def test_plan_in_a_pipe_never_splits_a_name_or_an_arn():
    result = runner.invoke(app, ["plan", "dev"])
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert not BOX_DRAWING.search(result.output) and "\x1b[" not in result.output
    # every resource name, every finding message and every ARN of the report is whole on one line
    report = json.loads(runner.invoke(app, ["plan", "dev", "--format", "json"]).output)
    wholes = [r["name"] for s in report["stacks"] for r in s["resources"]]
    wholes += [" ".join(f["message"].split()) for f in report["policies"]]
    # the ARNs the report shows (the Markdown view renders the same cells)
    wholes += re.findall(r"arn:aws[\w:/.-]*\w", runner.invoke(app, ["plan", "dev", "--format", "markdown"]).output)
    for whole in wholes:
        assert any(whole in line for line in lines), f"{whole!r} is split across lines"
    # AND the report says what it is
    assert "offline and stateless" in lines[0] and "not a change against what is deployed" in lines[0]


def test_plan_piped_through_a_real_pipe_is_the_same_plain_text():
    result = uv_lattice(["access", "dev"])
    assert result.returncode == 0
    assert [line for line in result.stdout.splitlines() if "MobileBackendRole" in line][0].count("\t") == 4


# --- a terminal ----------------------------------------------------------------------------------------------


def in_a_terminal(arguments: list[str], env: dict[str, str]) -> str:
    """Run `lattice` with a pseudo-terminal as stdout (what a person at a shell has) and return what it printed."""
    leader, follower = pty.openpty()
    uv = shutil.which("uv") or pytest.skip("uv not on PATH")
    environment = {key: value for key, value in os.environ.items() if key not in ("NO_COLOR", "FORCE_COLOR", "TERM")}
    process = subprocess.Popen(
        [uv, "run", "--quiet", "--project", str(REPO), "lattice", *arguments], cwd=REPO,
        env={**environment, "TERM": "xterm-256color", "COLUMNS": "200", **env},
        stdout=follower, stderr=subprocess.DEVNULL, stdin=subprocess.DEVNULL,
    )
    os.close(follower)
    chunks = []
    while True:
        try:
            chunk = os.read(leader, 65536)
        except OSError:  # the follower closed: Linux reports EIO
            break
        if not chunk:
            break
        chunks.append(chunk)
    os.close(leader)
    assert process.wait(timeout=120) == 0
    return b"".join(chunks).decode()


def test_a_terminal_gets_a_table_in_colour_and_no_colour_under_no_color():
    coloured = in_a_terminal(["access", "dev"], {})
    assert BOX_DRAWING.search(coloured) and COLOUR_SGR.search(coloured)
    plain = in_a_terminal(["access", "dev"], {"NO_COLOR": "1"})
    assert BOX_DRAWING.search(plain) and not COLOUR_SGR.search(plain)


# --- version, and where the repository is ---------------------------------------------------------------------


def test_version():
    from importlib.metadata import version

    result = runner.invoke(app, ["--version"])
    assert result.exit_code == 0 and result.output.strip() == f"lattice {version('lattice-components')}"


def copy_checkout(tmp_path: Path) -> Path:
    checkout = tmp_path / "checkout"
    checkout.mkdir()
    for name in ("Pulumi.yaml", "Pulumi.dev.yaml", "Pulumi.prod.yaml"):
        shutil.copy(REPO / name, checkout / name)
    shutil.copytree(REPO / "stacks", checkout / "stacks")
    shutil.copytree(REPO / "bootstrap", checkout / "bootstrap")
    return checkout


@pytest.mark.parametrize("start", [".", "stacks", "bootstrap"])
def test_the_project_dir_is_the_checkout_containing_the_current_directory(tmp_path, start, monkeypatch):
    # GIVEN a second checkout with one more account in dev, and a shell anywhere inside it
    checkout = copy_checkout(tmp_path)
    (checkout / "stacks" / "Pulumi.billing-dev.yaml").write_text(
        (checkout / "stacks" / "Pulumi.platform-dev.yaml").read_text())
    assert find_project_dir(checkout / start) == checkout.resolve()
    monkeypatch.chdir(checkout / start)
    # WHEN `lattice stacks dev` runs without --project-dir  THEN it lists that checkout's stacks
    result = runner.invoke(app, ["stacks", "dev", "--json"])
    assert result.exit_code == 0, result.output
    assert "billing-dev" in [entry["stack"] for entry in json.loads(result.output)]


def test_outside_any_checkout_the_command_asks_for_project_dir(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    result = runner.invoke(app, ["plan", "dev"])
    assert result.exit_code == 2 and "pass --project-dir" in result.output and "Traceback" not in result.output


# --- the stacks CI runs ----------------------------------------------------------------------------------------


@pytest.mark.parametrize("env", ["dev", "prod"])
def test_stacks_lists_the_network_first_then_every_account_stack_with_its_account(env):
    entries = json.loads(runner.invoke(app, ["stacks", env, "--json"]).output)
    assert entries[0] == {
        "project": "lattice-network", "stack": env, "work-dir": ".", "env": env, "account": "platform",
        "account-id": str(offline.load_stack_file(REPO / f"Pulumi.{env}.yaml")["lattice:accounts"]["platform"]["id"]),
        "policy-config": f"policy_pack/policy-config.{env}.json", "wave": 0,
    }
    accounts = [path.name[len("Pulumi."):-len(".yaml")] for path in offline.account_stack_files(env)]
    assert [entry["stack"] for entry in entries[1:]] == accounts  # none reads another's target groups: one wave
    assert {entry["wave"] for entry in entries[1:]} == {1}
    assert all(entry["work-dir"] == "stacks" and entry["project"] == "lattice-account" for entry in entries[1:])
    registry = offline.load_stack_file(REPO / f"Pulumi.{env}.yaml")["lattice:accounts"]
    assert all(entry["account-id"] == str(registry[entry["account"]]["id"]) for entry in entries)


def test_an_account_stack_naming_an_account_outside_the_registry_is_a_config_error(tmp_path):
    checkout = copy_checkout(tmp_path)
    (checkout / "stacks" / "Pulumi.billing-dev.yaml").write_text("config:\n  lattice:account: billing\n")
    result = runner.invoke(app, ["stacks", "dev", "--project-dir", str(checkout)])
    assert result.exit_code == 2 and "'billing'" in result.output and "Traceback" not in result.output


if sys.platform == "win32":  # pragma: no cover
    pytestmark = pytest.mark.skip("pty is POSIX")
