"""The `lattice` command: offline plan, topology graph and access matrix, and signed smoke-test requests."""

from __future__ import annotations

import enum
import json
import sys
from pathlib import Path

import typer
from rich.console import Console

from ..config import ConfigError
from .offline import REPO_ROOT

app = typer.Typer(add_completion=False, no_args_is_help=True, help=__doc__)
EXIT_CLEAN, EXIT_POLICY, EXIT_CONFIG = 0, 1, 2


class Format(str, enum.Enum):
    text = "text"
    markdown = "markdown"
    json = "json"


def _fail_on_config(error: ConfigError) -> None:
    # Plain text, not rich: a wrapped line would split the key path a user greps for.
    typer.echo(f"error: {error}", err=True)
    raise typer.Exit(EXIT_CONFIG)


@app.command()
def plan(
    env: str = typer.Argument(..., help="Environment: the network stack Pulumi.<env>.yaml and stacks/Pulumi.*-<env>.yaml"),
    format: Format = typer.Option(Format.text, "--format", "-f", help="text (terminal), markdown (PR comment) or json"),
    project_dir: Path = typer.Option(REPO_ROOT, "--project-dir", help="Repository holding Pulumi.<env>.yaml and stacks/"),
    jobs: int | None = typer.Option(None, "--jobs", "-j", min=1, help="Processes for the account stacks (default: every core for 8 or more stacks)"),
    base: str | None = typer.Option(None, "--base", help="Git ref to compare with: report only what changes from it (resources, findings, access)"),
) -> None:
    """Run the network stack and every account stack of ENV offline, then the policy pack over them.

    Exit codes: 0 clean, 1 a mandatory policy violation, 2 invalid config (judged on the working tree with
    --base).
    """
    from . import plan as planning, plan_diff

    try:
        if base is not None:
            diff = plan_diff.build(env, project_dir, base, jobs=jobs)
            report = diff.new
        else:
            report = planning.build(env, project_dir, jobs=jobs)
    except (ConfigError, plan_diff.BaseError) as error:
        _fail_on_config(error)
    if base is not None:
        sys.stdout.write(plan_diff.render(diff, format.value))
    elif format is Format.markdown:
        sys.stdout.write(planning.to_markdown(report))
    elif format is Format.json:
        sys.stdout.write(json.dumps(planning.to_json(report), indent=2, default=str) + "\n")
    else:
        planning.render_text(report, Console())
    for failure in report.failures:  # after the report: the other stacks' results are shown too
        typer.echo(f"error: {failure.message}", err=True)
    raise typer.Exit(EXIT_CONFIG if report.failures else EXIT_POLICY if report.mandatory else EXIT_CLEAN)


@app.command()
def graph(
    env: str = typer.Argument(..., help="Environment name"),
    project_dir: Path = typer.Option(REPO_ROOT, "--project-dir", help="Repository holding Pulumi.<env>.yaml and stacks/"),
) -> None:
    """Print the topology of ENV as a Mermaid graph (accounts, VPCs, network, services, who may call whom)."""
    from . import offline, topology

    try:
        sys.stdout.write(topology.mermaid(offline.run_environment(env, project_dir)))
    except ConfigError as error:
        _fail_on_config(error)


@app.command()
def access(
    env: str = typer.Argument(..., help="Environment name"),
    format: Format = typer.Option(Format.text, "--format", "-f"),
    project_dir: Path = typer.Option(REPO_ROOT, "--project-dir", help="Repository holding Pulumi.<env>.yaml and stacks/"),
) -> None:
    """For every caller and service of ENV: allowed or denied, and why, from the generated policies."""
    from . import offline, plan as planning, topology

    try:
        rows = topology.access_rows(offline.run_environment(env, project_dir))
    except ConfigError as error:
        _fail_on_config(error)
    if format is Format.json:
        sys.stdout.write(json.dumps(rows, indent=2) + "\n")
        return
    if format is Format.markdown:
        sys.stdout.write("\n".join(planning.access_markdown(rows)) + "\n")
        return
    Console().print(planning.access_table(rows, f"Access matrix: {env}"))


@app.command()
def invoke(
    url: str = typer.Argument(..., help="https://<service DNS name>/<path>: the service's dnsName output"),
    method: str = typer.Option("GET", "--method", "-X"),
    data: str | None = typer.Option(None, "--data", "-d", help="Request body"),
    header: list[str] = typer.Option([], "--header", "-H", help="'Name: value', repeatable"),
    region: str | None = typer.Option(None, help="Default: read from the service's DNS name"),
    timeout: float = typer.Option(10.0),
) -> None:
    """Send a SigV4-signed request (service `vpc-lattice-svcs`) with your AWS credentials: a smoke test from
    inside a VPC associated with the network. Exit 0 on a 2xx answer, 1 otherwise."""
    from . import invoke as lattice_invoke

    headers = dict(item.split(":", 1) for item in header)
    response = lattice_invoke.invoke(
        url, method=method, body=data, headers={k.strip(): v.strip() for k, v in headers.items()},
        region=region, timeout=timeout,
    )
    typer.echo(f"HTTP {response.status}", err=True)
    sys.stdout.buffer.write(response.body)
    raise typer.Exit(0 if 200 <= response.status < 300 else 1)


def main() -> None:  # pragma: no cover - console entry point
    app()
