"""`lattice plan`: every stack of an environment run offline, then the policy pack over what they register.

Builds a `PlanReport` (plain data) and renders it as text, Markdown (the PR comment) or JSON. The programs run
under the SDK's mock monitor (`offline.py`); the policy pack runs as its own process and is spoken to over the
analyzer gRPC protocol, exactly as `pulumi preview --policy-pack` would.
"""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..apimodel import environment_rules
from ..config import ConfigError
from . import analyzer_client, offline, resource_access, topology

POLICY_PACK_DIR = offline.REPO_ROOT / "policy_pack"


@dataclass
class Finding:
    """One policy diagnostic, attributed to its stack and resource."""

    stack: str
    policy: str
    level: str
    message: str
    resource: str


@dataclass
class PlanReport:
    env: str
    runs: list[offline.ProgramRun]
    findings: list[Finding] = field(default_factory=list)
    mermaid: str = ""
    access: list[dict[str, Any]] = field(default_factory=list)
    resource_access: list[dict[str, Any]] = field(default_factory=list)

    @property
    def mandatory(self) -> list[Finding]:
        return [finding for finding in self.findings if finding.level == "mandatory"]


def pack_resources(run: offline.ProgramRun) -> list[dict[str, Any]]:
    """The run's resources in the shape the analyzer client sends (props as the engine would hold them)."""
    providers = {r.urn: r for r in run.resources if r.type.startswith("pulumi:providers:")}
    resources = []
    for r in run.resources:
        props = dict(r.state)
        if r.custom and r.id and not r.type.startswith("pulumi:"):
            props.setdefault("id", r.id)
        provider = next((p for urn, p in providers.items() if r.provider.startswith(urn)), None)
        resources.append({
            "type": r.type, "name": r.name, "urn": r.urn, "props": props, "parent": r.parent,
            "dependencies": r.dependencies, "property_dependencies": r.property_dependencies,
            "provider": {"type": provider.type, "name": provider.name, "urn": provider.urn, "props": provider.inputs}
            if provider else None,
        })
    return resources


def policy_config(env: str) -> dict[str, Any]:
    """The `--policy-pack-config` document of `env`, if the pack ships one."""
    path = POLICY_PACK_DIR / f"policy-config.{env}.json"
    return json.loads(path.read_text()) if path.exists() else {}


def run_policies(env_run: offline.EnvironmentRun) -> list[Finding]:
    """Start the pack once, configure it as CI does for this environment, analyze every stack like a preview."""
    findings: list[Finding] = []
    # One pack process serves every stack of the environment (the policies read nothing from PULUMI_STACK);
    # starting it costs more than analyzing a stack.
    with analyzer_client.PolicyPackProcess(project=env_run.network.project, stack=env_run.env) as pack:
        pack.configure(policy_config(env_run.env))
        for run in env_run.runs:
            for diagnostic in pack.analyze_all(pack_resources(run)):
                findings.append(Finding(
                    stack=f"{run.project}/{run.stack}",
                    policy=diagnostic.policy_name,
                    level=diagnostic.enforcement_level,
                    message=diagnostic.message,
                    resource=diagnostic.urn.rsplit("::", 1)[-1] if diagnostic.urn else "(stack)",
                ))
    return findings


def environment_problems(env: str, root: Path = offline.REPO_ROOT) -> list[str]:
    """Rules across the stacks of `env` (names per account, one network per VPC), from the files as written.

    A file that cannot be read is skipped here: running the environment reports it, with every other file's.
    """
    def config_of(path: Path) -> dict[str, Any] | None:
        try:
            return offline.load_stack_file(path)
        except (ConfigError, OSError, ValueError):
            return None

    network = offline.network_stack_file(env, root)
    stacks = [
        environment_rules.StackFile(str(path.relative_to(root)), config)
        for path in offline.account_stack_files(env, root)
        if (config := config_of(path)) is not None
    ]
    return environment_rules.check_environment((config_of(network) if network.exists() else None) or {}, stacks)


def check_environment(env: str, root: Path = offline.REPO_ROOT) -> None:
    problems = environment_problems(env, root)
    if problems:
        raise ConfigError(problems, f"environment {env!r} (its stack files together)")


def refuse_duplicate_urns(runs: list[offline.ProgramRun]) -> None:
    """Two registrations with one URN: the engine stops such a stack ("Duplicate resource URN"), and the mock
    monitor would silently keep the last one, so the plan refuses it as invalid config (exit 2), not as a
    policy finding: no policy level could make that stack deployable."""
    problems = []
    for run in runs:
        seen: set[str] = set()
        for resource in run.resources:
            if resource.urn in seen:
                problems.append(
                    f"{run.project}/{run.stack}: two resources would have the URN {resource.urn}; "
                    "`pulumi up` refuses a stack with a duplicate URN: give one of them another name"
                )
            seen.add(resource.urn)
    if problems:
        raise ConfigError(problems, "the planned stacks")


def build(env: str, root: Path = offline.REPO_ROOT) -> PlanReport:
    # Each stack's own `pulumi up` cannot see the others: conflicts between them are the plan's to find, and
    # reported together with every file's own problems, in one run.
    across = environment_problems(env, root)
    try:
        env_run = offline.run_environment(env, root)
    except ConfigError as error:
        if not across:
            raise
        raise ConfigError(
            across + [f"{error.source}: {problem}" for problem in error.problems], f"environment {env!r}"
        ) from None
    if across:
        raise ConfigError(across, f"environment {env!r} (its stack files together)")
    refuse_duplicate_urns(env_run.runs)
    access = topology.access_rows(env_run)
    return PlanReport(
        env=env,
        runs=env_run.runs,
        findings=run_policies(env_run),
        mermaid=topology.mermaid(env_run, access),
        access=access,
        resource_access=resource_access.rows(env_run),
    )


# ------------------------------------------------------------------------------------------------------------
# Rendering
# ------------------------------------------------------------------------------------------------------------


def resource_tree(run: offline.ProgramRun) -> list[tuple[int, offline.RegisteredResource]]:
    """(depth, resource) in `pulumi preview` order: each component followed by its children."""
    children: dict[str, list[offline.RegisteredResource]] = {}
    urns = {r.urn for r in run.resources}
    for r in run.resources:
        children.setdefault(r.parent if r.parent in urns else "", []).append(r)
    ordered: list[tuple[int, offline.RegisteredResource]] = []

    def walk(parent: str, depth: int) -> None:
        for child in sorted(children.get(parent, []), key=lambda r: (r.custom, r.type, r.name)):
            ordered.append((depth, child))
            walk(child.urn, depth + 1)

    walk("", 0)
    return ordered


def summary(report: PlanReport) -> dict[str, Any]:
    counts = Counter(level for level in (f.level for f in report.findings))
    return {
        "env": report.env,
        "stacks": len(report.runs),
        "resources": sum(len(run.resources) for run in report.runs),
        "mandatory": counts.get("mandatory", 0),
        "advisory": counts.get("advisory", 0),
    }


def to_json(report: PlanReport) -> dict[str, Any]:
    return {
        "summary": summary(report),
        "stacks": [
            {
                "project": run.project,
                "stack": run.stack,
                "resources": [
                    {"type": r.type, "name": r.name, "parent": r.parent.rsplit("::", 1)[-1] if r.parent else "", "inputs": r.inputs}
                    for r in run.resources
                ],
                "outputs": run.outputs,
            }
            for run in report.runs
        ],
        "policies": [finding.__dict__ for finding in report.findings],
        "mermaid": report.mermaid,
        "access": report.access,
        "resourceAccess": report.resource_access,
    }


def _short_type(type_token: str) -> str:
    if type_token.startswith("pulumi:providers:"):
        return f"Provider({type_token.rsplit(':', 1)[-1]})"
    return type_token.rsplit(":", 1)[-1]


OFFLINE_NOTE = (
    "offline and stateless: every stack ran under the Pulumi SDK's mock monitor from its stack file, with no cloud "
    "and no state; '+' means the program registers the resource, not a change against what is deployed "
    "(that is pulumi preview)"
)

UNDECLARED = "`UndeclaredRole` stands for any principal no policy names, in each consumer VPC."


DENIAL_MARKERS = ("no statement", "not associated", "denies", "cannot", "no ingress", "denied")


def _why(row: dict[str, Any]) -> str:
    """The reasons that decided a cell: for a denial the layer that refused, for an allow the service policy
    statement that allowed (the last layer), without the note every cell carries."""
    kept = [reason for reason in row["reasons"] if "not modelled" not in reason]
    if row["allowed"]:
        kept = kept[-1:]
    else:
        kept = [reason for reason in kept if any(marker in reason for marker in DENIAL_MARKERS)] or kept
    return "; ".join(kept)


def _sorted_findings(report: PlanReport) -> list[Finding]:
    """Mandatory first, then by stack, policy, resource and message: a stable order for diffs of the report."""
    return sorted(report.findings, key=lambda f: (f.level != "mandatory", f.stack, f.policy, f.resource, f.message))


def access_markdown(rows: list[dict[str, Any]]) -> list[str]:
    """The access matrix section of the Markdown report, as lines."""
    lines = [
        "### Access matrix",
        "",
        "Computed by evaluating the registered (generated or hand-written) network and service auth policies with the VPC associations.",
        "",
        "| caller | from VPC | service | decision | why |",
        "|---|---|---|---|---|",
    ]
    for row in rows:
        decision = "✅ allowed" if row["allowed"] else "⛔ denied" if row["evaluable"] else "❓ cannot tell"
        lines.append(f"| `{row['caller']}` | `{row['vpc']}` | {row['service']} | {decision} | {_why(row)} |")
    return lines + ["", f"Callers' identity-based policies are not modelled (assumed to allow). {UNDECLARED}"]


def access_table(rows: list[dict[str, Any]], title: str):
    """The access matrix as a rich table, for the terminal."""
    from rich.table import Table

    table = Table(title=title)
    for column in ("caller", "from VPC", "service", "decision", "why"):
        table.add_column(column, overflow="fold")
    for row in rows:
        decision = "[green]allowed[/]" if row["allowed"] else "[red]denied[/]" if row["evaluable"] else "[yellow]cannot tell[/]"
        table.add_row(row["caller"], row["vpc"], row["service"], decision, _why(row))
    return table


def to_markdown(report: PlanReport) -> str:
    facts = summary(report)
    verdict = "❌ mandatory policy violations" if facts["mandatory"] else "✅ no mandatory policy violation"
    lines = [
        f"## lattice plan `{report.env}`",
        "",
        f"{verdict}: {facts['stacks']} stacks, {facts['resources']} resources, "
        f"{facts['mandatory']} mandatory and {facts['advisory']} advisory findings.",
        "",
        f"{OFFLINE_NOTE[0].upper()}{OFFLINE_NOTE[1:]}.",
        "",
        "### Topology",
        "",
        "```mermaid",
        report.mermaid.rstrip(),
        "```",
        "",
        *access_markdown(report.access),
        "",
        *resource_access.markdown(report.resource_access),
        "",
        "### Policy findings",
        "",
    ]
    if report.findings:
        lines += ["| level | policy | stack | resource | message |", "|---|---|---|---|---|"]
        for f in _sorted_findings(report):
            message = f.message.replace("\n", " ").replace("|", "\\|")
            lines.append(f"| {f.level} | `{f.policy}` | {f.stack} | `{f.resource}` | {message} |")
    else:
        lines.append("None.")
    lines += ["", "### Resources", ""]
    for run in report.runs:
        lines += [f"<details><summary><code>{run.project}/{run.stack}</code>: {len(run.resources)} resources</summary>", "", "```"]
        for depth, r in resource_tree(run):
            lines.append(f"{'    ' * depth}+ {_short_type(r.type)} {r.name}")
        lines += ["```", "", "</details>", ""]
    return "\n".join(lines).rstrip() + "\n"


def render_text(report: PlanReport, console) -> None:
    """The terminal view, with rich: a tree per stack, then findings, access and the diagram."""
    from rich.table import Table
    from rich.tree import Tree

    for run in report.runs:
        tree = Tree(f"[bold]{run.project}/{run.stack}[/] ({len(run.resources)} resources)")
        nodes: dict[str, Tree] = {}
        for depth, r in resource_tree(run):
            parent = nodes.get(r.parent, tree)
            nodes[r.urn] = parent.add(f"[green]+[/] {_short_type(r.type)} [cyan]{r.name}[/]")
        console.print(tree)
    table = Table(title="Policy findings")
    for column in ("level", "policy", "stack", "resource", "message"):
        table.add_column(column, overflow="fold")
    for f in _sorted_findings(report):
        style = "red" if f.level == "mandatory" else "yellow"
        table.add_row(f"[{style}]{f.level}[/]", f.policy, f.stack, f.resource, f.message)
    console.print(table if report.findings else "[green]No policy findings.[/]")
    console.print(access_table(report.access, "Access matrix"))
    console.print(resource_access.table(report.resource_access))
    console.print("[bold]Topology (Mermaid)[/]")
    console.print(report.mermaid, markup=False, highlight=False)
    facts = summary(report)
    console.print(
        f"[bold]{facts['stacks']} stacks, {facts['resources']} resources, "
        f"{facts['mandatory']} mandatory and {facts['advisory']} advisory findings[/]"
    )
