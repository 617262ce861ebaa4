"""The `lattice` command: offline plan, topology graph and access matrix, the stacks CI runs, and signed
smoke-test requests.

Everything but `invoke` is offline and stateless: the programs run under the Pulumi SDK's mock monitor from
the stack files of the repository; nothing is read from a Pulumi backend or from AWS.

Exit codes: 0 clean, 1 a mandatory policy violation (or, for `invoke`, a request that failed or was not
answered 2xx), 2 invalid config or usage. A user error is one line on stderr, never a traceback.
"""

from __future__ import annotations

import http.client
import json
import os
import ssl
import sys
from importlib import metadata
from pathlib import Path
from typing import Any, NoReturn
from urllib.parse import urlsplit

import typer
import yaml

from ..config import ConfigError
from . import offline

# rich_markup_mode=None: usage errors are click's plain lines, not a box drawn at 80 columns.
app = typer.Typer(
    add_completion=False, no_args_is_help=True, help=__doc__, rich_markup_mode=None, pretty_exceptions_enable=False
)
EXIT_CLEAN, EXIT_POLICY, EXIT_CONFIG = 0, 1, 2
EXIT_REQUEST_FAILED = 1  # invoke: the service did not answer 2xx, or did not answer
FORMATS = ("text", "markdown", "json")
DISTRIBUTION = "lattice-components"


def fail(message: str, code: int = EXIT_CONFIG) -> NoReturn:
    """One line on stderr, then exit. Plain text, not rich: a wrapped line would split the key path a user greps."""
    typer.echo(f"error: {' '.join(message.split())}", err=True)
    raise typer.Exit(code)


def _fail_on_config(error: ConfigError) -> NoReturn:
    typer.echo(f"error: {error}", err=True)
    raise typer.Exit(EXIT_CONFIG)


def _version(value: bool) -> None:
    if value:
        typer.echo(f"lattice {metadata.version(DISTRIBUTION)}")
        raise typer.Exit()


@app.callback()
def _root(
    version: bool = typer.Option(False, "--version", callback=_version, is_eager=True, help="Print the version and exit"),
) -> None:
    """Offline checks of the lattice stacks, and signed requests to Lattice services."""


# --- where the repository is --------------------------------------------------------------------------------


def is_network_project(directory: Path) -> bool:
    """True when `directory` holds the root `Pulumi.yaml` of this repository (`name: lattice-network`)."""
    project_file = directory / "Pulumi.yaml"
    if not project_file.is_file():
        return False
    try:
        document = yaml.safe_load(project_file.read_text())
    except (OSError, yaml.YAMLError):
        return False
    return isinstance(document, dict) and document.get("name") == offline.NETWORK_PROJECT


def find_project_dir(start: Path) -> Path | None:
    """The nearest directory at or above `start` that is the network project's root, as git finds `.git`:
    from `stacks/` or `bootstrap/` it is the checkout above, never wherever the package is installed."""
    start = start.resolve()
    return next((directory for directory in (start, *start.parents) if is_network_project(directory)), None)


def project_root(project_dir: Path | None) -> Path:
    if project_dir is None:
        found = find_project_dir(Path.cwd())
        if found is None:
            fail(f"no lattice repository at or above {Path.cwd()} (a Pulumi.yaml with name: "
                 f"{offline.NETWORK_PROJECT}); run inside a checkout or pass --project-dir")
        return found
    if not is_network_project(project_dir):
        fail(f"--project-dir {project_dir}: no Pulumi.yaml with name: {offline.NETWORK_PROJECT} there")
    return project_dir.resolve()


def environments(root: Path) -> list[str]:
    """The environments of a checkout: one per network stack file `Pulumi.<env>.yaml` at its root."""
    return sorted(path.name[len("Pulumi."):-len(".yaml")] for path in root.glob("Pulumi.*.yaml"))


def environment_root(env: str, project_dir: Path | None) -> Path:
    """The checkout, once `env` is known to be one of its environments."""
    root = project_root(project_dir)
    if not offline.network_stack_file(env, root).is_file():
        fail(f"unknown environment {env!r}: no {offline.network_stack_file(env, root).name} in {root} "
             f"(environments: {', '.join(environments(root)) or 'none'})")
    return root


def output_format(value: str) -> str:
    if value not in FORMATS:
        fail(f"--format {value!r}: not one of {', '.join(FORMATS)}")
    return value


def to_terminal() -> bool:
    """Rich tables and colour for a person at a terminal; plain lines for a pipe or a file."""
    return sys.stdout.isatty()


def console():
    from rich.console import Console

    # rich reads NO_COLOR too; saying it here keeps the rule visible where output is made.
    return Console(no_color=bool(os.environ.get("NO_COLOR")))


def write_lines(lines: list[str]) -> None:
    sys.stdout.write("\n".join(lines) + "\n")


def run_offline(work):
    """`work()` with the user errors of reading stack files turned into one line and exit 2."""
    try:
        return work()
    except ConfigError as error:
        _fail_on_config(error)
    except yaml.YAMLError as error:
        fail(f"a stack file is not valid YAML: {error}")
    except OSError as error:
        fail(f"cannot read {getattr(error, 'filename', None) or 'a stack file'}: {error.strerror or error}")


PROJECT_DIR_HELP = "Repository holding Pulumi.<env>.yaml and stacks/ (default: the one containing the current directory)"
FORMAT_HELP = "text (terminal; plain lines in a pipe), markdown (PR comment) or json"


# --- offline commands ---------------------------------------------------------------------------------------


@app.command()
def plan(
    env: str = typer.Argument(..., metavar="ENV", help="Environment: the network stack Pulumi.<env>.yaml and its account stacks"),
    format: str = typer.Option("text", "--format", "-f", help=FORMAT_HELP),
    project_dir: Path = typer.Option(None, "--project-dir", help=PROJECT_DIR_HELP),
    jobs: int | None = typer.Option(None, "--jobs", "-j", min=1, help="Processes for the account stacks (default: every core for 8 or more stacks)"),
    base: str | None = typer.Option(None, "--base", help="Git ref to compare with: report only what changes from it (resources, findings, access)"),
) -> None:
    """Run the network stack and every account stack of ENV offline, then the policy pack over them.

    Offline and stateless: '+' means the program registers the resource, not a change against deployed state.
    Exit codes: 0 clean, 1 a mandatory policy violation, 2 invalid config or usage (judged on the working tree
    with --base).
    """
    from . import plain, plan as planning, plan_diff

    format = output_format(format)
    root = environment_root(env, project_dir)

    def work():
        try:
            return plan_diff.build(env, root, base, jobs=jobs) if base is not None else planning.build(env, root, jobs=jobs)
        except plan_diff.BaseError as error:
            fail(str(error))

    result = run_offline(work)
    report = result.new if base is not None else result
    if base is not None:
        sys.stdout.write(plan_diff.render(result, format))
    elif format == "markdown":
        sys.stdout.write(planning.to_markdown(report))
    elif format == "json":
        sys.stdout.write(json.dumps(planning.to_json(report), indent=2, default=str) + "\n")
    elif to_terminal():
        out = console()
        out.print(f"[bold]lattice plan {env}[/]: {plain.OFFLINE_NOTE}", markup=True, highlight=False)
        planning.render_text(report, out)
    else:
        write_lines(plain.plan_lines(report))
    for failure in report.failures:  # after the report: the other stacks' results are shown too
        typer.echo(f"error: {failure.message}", err=True)
    raise typer.Exit(EXIT_CONFIG if report.failures else EXIT_POLICY if report.mandatory else EXIT_CLEAN)


@app.command()
def graph(
    env: str = typer.Argument(..., metavar="ENV", help="Environment name"),
    project_dir: Path = typer.Option(None, "--project-dir", help=PROJECT_DIR_HELP),
) -> None:
    """Print the topology of ENV as a Mermaid graph (accounts, VPCs, network, services, who may call whom)."""
    from . import topology

    root = environment_root(env, project_dir)
    sys.stdout.write(topology.mermaid(run_offline(lambda: offline.run_environment(env, root))))


@app.command()
def access(
    env: str = typer.Argument(..., metavar="ENV", help="Environment name"),
    format: str = typer.Option("text", "--format", "-f", help=FORMAT_HELP),
    project_dir: Path = typer.Option(None, "--project-dir", help=PROJECT_DIR_HELP),
) -> None:
    """For every caller and service of ENV: allowed or denied, and why, from the generated policies."""
    from . import plain, plan as planning, topology

    format = output_format(format)
    root = environment_root(env, project_dir)
    rows = run_offline(lambda: topology.access_rows(offline.run_environment(env, root)))
    if format == "json":
        sys.stdout.write(json.dumps(rows, indent=2) + "\n")
    elif format == "markdown":
        sys.stdout.write("\n".join(planning.access_markdown(rows)) + "\n")
    elif to_terminal():
        console().print(planning.access_table(rows, f"Access matrix: {env}"))
    else:
        write_lines(plain.access_lines(rows))


def stack_entries(env: str, root: Path) -> list[dict[str, Any]]:
    """The stacks of `env` in deploy order: its network stack (wave 0), then the account stacks by wave: those
    of one wave may deploy in parallel, after every earlier wave (a stack that reads target groups from another's
    outputs is in a later wave than that one). Membership is `offline`'s decision, the one `lattice plan` runs by,
    so CI and the plan agree; stacks that read each other's groups in a cycle are a config error."""
    from . import stack_order

    network_file = offline.network_stack_file(env, root)
    network = offline.load_stack_file(network_file)
    registry = network.get("lattice:accounts") if isinstance(network.get("lattice:accounts"), dict) else {}
    configs = {path: offline.load_stack_file(path) for path in offline.account_stack_files(env, root)}
    names = {path.name[len("Pulumi."):-len(".yaml")]: path for path in configs}
    order = stack_order.schedule(list(names), {name: configs[path] for name, path in names.items()}, offline.default_organization())
    if order.problems:
        [(stack, problems), *_] = order.problems.items()
        raise ConfigError(problems, os.path.relpath(names[stack], root))
    paths = [(offline.NETWORK_PROJECT, network_file, network.get("lattice:networkAccount"), 0)]
    for wave, stacks in enumerate(order.waves, start=1):
        paths += [(offline.ACCOUNT_PROJECT, names[stack], configs[names[stack]].get("lattice:account"), wave) for stack in stacks]
    entries = []
    for project, path, account, wave in paths:
        # CI assumes its role in the account the stack acts in: the registry is the one place its ID is written.
        entry = registry.get(account) if isinstance(account, str) else None
        if not isinstance(entry, dict) or not entry.get("id"):
            key = "lattice:networkAccount" if project == offline.NETWORK_PROJECT else "lattice:account"
            raise ConfigError([f"{key}: {account!r} is not in lattice:accounts of {network_file.name}"],
                              os.path.relpath(path, root))
        entries.append({
            "project": project,
            "stack": path.name[len("Pulumi."):-len(".yaml")],
            "work-dir": os.path.relpath(path.parent, root),
            "env": env,
            "account": account,
            "account-id": str(entry["id"]),
            "policy-config": f"policy_pack/policy-config.{env}.json",
            "wave": wave,
        })
    return entries


@app.command()
def stacks(
    env: str = typer.Argument(..., metavar="ENV", help="Environment name"),
    as_json: bool = typer.Option(False, "--json", help="A JSON list, for a CI matrix (fromJSON)"),
    project_dir: Path = typer.Option(None, "--project-dir", help=PROJECT_DIR_HELP),
) -> None:
    """The stacks of ENV in deploy order (network first, then the account stacks, each after the stacks it reads
    target groups from), read from the stack files: adding an account is adding its stack file."""
    root = environment_root(env, project_dir)
    entries = run_offline(lambda: stack_entries(env, root))
    if as_json:
        sys.stdout.write(json.dumps(entries) + "\n")
    else:
        write_lines([_tab(entry["project"], entry["work-dir"], entry["stack"]) for entry in entries])


def _tab(*values: str) -> str:
    return "\t".join(values)


# --- invoke -------------------------------------------------------------------------------------------------


def parse_headers(items: list[str]) -> dict[str, str]:
    headers = {}
    for item in items:
        name, colon, value = item.partition(":")
        if not colon or not name.strip() or any(c.isspace() for c in name.strip()):
            fail(f"-H {item!r}: expected 'Name: value'")
        headers[name.strip()] = value.strip()
    return headers


def check_url(url: str) -> None:
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        fail(f"URL {url!r}: expected https://<service DNS name>/<path>")
    try:
        parts.port  # noqa: B018 - raises ValueError for a port that is not a number in range
    except ValueError as error:
        fail(f"URL {url!r}: {error}")


@app.command()
def invoke(
    url: str = typer.Argument(..., help="https://<service DNS name>/<path>: the service's dnsName output"),
    method: str = typer.Option("GET", "--method", "-X"),
    data: str | None = typer.Option(None, "--data", "-d", help="Request body"),
    header: list[str] = typer.Option([], "--header", "-H", help="'Name: value', repeatable"),
    region: str | None = typer.Option(None, help="Default: read from the service's DNS name"),
    timeout: float = typer.Option(10.0, help="Seconds for connecting and for each read"),
) -> None:
    """Send a SigV4-signed request (service `vpc-lattice-svcs`) with your AWS credentials: a smoke test from
    inside a VPC associated with the network. Exit 0 on a 2xx answer; 1 on any other answer or when the request
    fails (refused, timed out, TLS); 2 on a bad URL or header, no credentials or no region."""
    from botocore.exceptions import BotoCoreError

    from . import invoke as lattice_invoke

    check_url(url)
    headers = parse_headers(header)
    if timeout <= 0:
        fail(f"--timeout {timeout}: must be above 0")
    try:
        response = lattice_invoke.invoke(url, method=method, body=data, headers=headers, region=region, timeout=timeout)
    except BotoCoreError as error:  # no credentials, a profile that does not exist, an expired SSO session
        fail(f"AWS credentials: {error}")
    except ValueError as error:  # no region
        fail(str(error))
    except TimeoutError:
        fail(f"{url}: no answer within {timeout:g} s", EXIT_REQUEST_FAILED)
    except (OSError, ssl.SSLError, http.client.HTTPException) as error:
        fail(f"{url}: request failed: {error.strerror if isinstance(error, OSError) and error.strerror else error}", EXIT_REQUEST_FAILED)
    typer.echo(f"HTTP {response.status}", err=True)
    sys.stdout.buffer.write(response.body)
    raise typer.Exit(0 if 200 <= response.status < 300 else 1)


def main() -> None:  # pragma: no cover - console entry point
    app()
