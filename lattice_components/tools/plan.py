"""`lattice plan`: every stack of an environment run offline, then the policy pack over what they register.

Builds a `PlanReport` (plain data) and renders it as text, Markdown (the PR comment) or JSON. The programs run
under the SDK's mock monitor (`offline.py`); the policy pack runs as its own process and is spoken to over the
analyzer gRPC protocol, exactly as `pulumi preview --policy-pack` would.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..apimodel import environment_rules
from ..config import ConfigError
from . import offline, plan_notes, plan_summary, resource_access, topology
from .plan_runs import (  # noqa: F401 (the plan's public names, used by tests and benchmarks)
    POLICY_PACK_DIR,
    Finding,
    StackFailure,
    pack_resources,
    policy_config,
    run_environment_plan,
    run_policies,
)


@dataclass
class PlanReport:
    env: str
    runs: list[offline.ProgramRun]
    findings: list[Finding] = field(default_factory=list)
    mermaid: str = ""
    access: list[dict[str, Any]] = field(default_factory=list)
    resource_access: list[dict[str, Any]] = field(default_factory=list)
    failures: list[StackFailure] = field(default_factory=list)
    mermaid_overview: str = ""  # the diagram by account, for reports too large to draw every service
    notes: list[str] = field(default_factory=list)  # standalone and shared services, no listener, unused groups

    @property
    def mandatory(self) -> list[Finding]:
        return [finding for finding in self.findings if finding.level == "mandatory"]


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


def build(env: str, root: Path = offline.REPO_ROOT, jobs: int | None = None) -> PlanReport:
    """Plan `env`: every stack run and analyzed (`jobs` worker processes, None = sized to the machine), then
    the topology and the access matrix of what they registered."""
    # Each stack's own `pulumi up` cannot see the others: conflicts between them are the plan's to find, and
    # reported together with every file's own problems, in one run.
    across = environment_problems(env, root)
    try:
        planned = run_environment_plan(env, root, jobs)
    except ConfigError as error:
        if not across:
            raise
        raise ConfigError(
            across + [f"{error.source}: {problem}" for problem in error.problems], f"environment {env!r}"
        ) from None
    if across:
        own = [f"{failure.source}: {problem}" for failure in planned.failures for problem in failure.problems]
        raise ConfigError(across + own, f"environment {env!r} (its stack files together)")
    refuse_duplicate_urns(planned.env_run.runs)
    access = topology.access_rows(planned.env_run)
    return PlanReport(
        env=env,
        runs=planned.env_run.runs,
        findings=planned.findings,
        mermaid=topology.mermaid(planned.env_run, access),
        access=access,
        resource_access=resource_access.rows(planned.env_run),
        failures=planned.failures,
        mermaid_overview=topology.mermaid_accounts(planned.env_run, access),
        notes=plan_notes.notes(planned.env_run),
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
        "failed_stacks": len(report.failures),
    }


def to_json(report: PlanReport) -> dict[str, Any]:
    return {
        "summary": summary(report),
        "stacks": [
            {
                "project": run.project,
                "stack": run.stack,
                # In preview order, not registration order: the engine registers concurrently, so that order
                # changes between runs of the same program.
                "resources": [
                    {"type": r.type, "name": r.name, "parent": r.parent.rsplit("::", 1)[-1] if r.parent else "", "inputs": r.inputs}
                    for _, r in resource_tree(run)
                ],
                "outputs": run.outputs,
            }
            for run in report.runs
        ],
        "policies": [finding.__dict__ for finding in _sorted_findings(report)],
        "mermaid": report.mermaid,
        "access": report.access,
        "resourceAccess": report.resource_access,
        "failures": [failure.__dict__ for failure in report.failures],
        "notes": report.notes,
    }


_short_type = plan_summary.short_type


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
    return _sorted_findings_of(report.findings)


_sorted_findings_of = plan_summary.sorted_findings


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


def _heading(report: PlanReport) -> list[str]:
    facts = summary(report)
    verdict = "❌ mandatory policy violations" if facts["mandatory"] else "✅ no mandatory policy violation"
    if report.failures:
        verdict = f"❌ {len(report.failures)} stacks with invalid config"
    lines = [
        f"## lattice plan `{report.env}`",
        "",
        f"{verdict}: {facts['stacks']} stacks, {facts['resources']} resources, "
        f"{facts['mandatory']} mandatory and {facts['advisory']} advisory findings.",
        "",
        f"{OFFLINE_NOTE[0].upper()}{OFFLINE_NOTE[1:]}.",
        "",
    ]
    if report.failures:
        lines += ["### Stacks that did not run", "", "The rest of this report covers the stacks that ran.", ""]
        for failure in report.failures:
            lines += [f"`{failure.stack}`:", "", "```", failure.message, "```", ""]
    return lines


def _mermaid_lines(diagram: str) -> list[str]:
    return ["### Topology", "", "```mermaid", diagram.rstrip(), "```", ""]


def full_markdown(report: PlanReport) -> str:
    """The complete report: every access row, finding and resource."""
    lines = [
        *_heading(report),
        *plan_notes.markdown(report.notes),
        *_mermaid_lines(report.mermaid),
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


def summary_markdown(report: PlanReport) -> str:
    """The report of a large environment: per service, per policy and per stack, under `MARKDOWN_BUDGET`."""
    # the detailed diagram when it leaves room for the rest, else the one by account
    diagram = report.mermaid if len(report.mermaid) <= plan_summary.MARKDOWN_BUDGET // 3 else report.mermaid_overview
    lines = [
        *_heading(report),
        f"Summarized: this environment is too large to list in full here. Every row: {plan_summary.where_full(report.env)}.",
        "",
        *plan_notes.markdown(report.notes),
        *_mermaid_lines(diagram),
        *plan_summary.findings_lines(report.findings, report.env),
        "",
        *plan_summary.resources_lines(report.runs),
        "",
        *plan_summary.access_lines(report.access, report.env),
    ]
    return "\n".join(plan_summary.trim_to_budget(lines, report.env)).rstrip() + "\n"


def fits_in_full(report: PlanReport) -> bool:
    """Whether the complete report is small enough to show in full: counts first (cheap), then the length of
    the complete Markdown against `plan_summary.MARKDOWN_BUDGET`."""
    if (len(report.access) > plan_summary.FULL_ACCESS_ROWS or len(report.findings) > plan_summary.FULL_FINDINGS
            or sum(len(run.resources) for run in report.runs) > plan_summary.FULL_RESOURCES):
        return False
    return len(full_markdown(report)) <= plan_summary.MARKDOWN_BUDGET


def to_markdown(report: PlanReport) -> str:
    """The PR comment: complete for a small environment, summarized past what a comment holds."""
    return full_markdown(report) if fits_in_full(report) else summary_markdown(report)


def render_text(report: PlanReport, console) -> None:
    """The terminal view, with rich: a tree per stack, then findings, access and the diagram; summaries past
    what reads in full (`fits_in_full`)."""
    from rich.table import Table
    from rich.tree import Tree

    full = fits_in_full(report)
    for failure in report.failures:
        console.print(f"[bold red]{failure.stack} did not run[/]")
        console.print(failure.message, markup=False, highlight=False)
    if full:
        for run in report.runs:
            tree = Tree(f"[bold]{run.project}/{run.stack}[/] ({len(run.resources)} resources)")
            nodes: dict[str, Tree] = {}
            for depth, r in resource_tree(run):
                parent = nodes.get(r.parent, tree)
                nodes[r.urn] = parent.add(f"[green]+[/] {_short_type(r.type)} [cyan]{r.name}[/]")
            console.print(tree)
    else:
        resources = Table(title="Resources by stack")
        for column in ("stack", "resources", "by type"):
            resources.add_column(column, overflow="fold")
        for run in report.runs:
            types = ", ".join(f"{t} {n}" for t, n in plan_summary.type_counts(run))
            resources.add_row(f"{run.project}/{run.stack}", str(len(run.resources)), types)
        console.print(resources)
    table = Table(title="Policy findings" if full else f"Policy findings: the first {plan_summary.LISTED_FINDINGS}")
    for column in ("level", "policy", "stack", "resource", "message"):
        table.add_column(column, overflow="fold")
    for f in _sorted_findings(report)[: None if full else plan_summary.LISTED_FINDINGS]:
        style = "red" if f.level == "mandatory" else "yellow"
        table.add_row(f"[{style}]{f.level}[/]", f.policy, f.stack, f.resource, f.message)
    console.print(table if report.findings else "[green]No policy findings.[/]")
    if full:
        console.print(access_table(report.access, "Access matrix"))
        console.print(resource_access.table(report.resource_access))
        console.print("[bold]Topology (Mermaid)[/]")
        console.print(report.mermaid, markup=False, highlight=False)
    else:
        counts = Table(title="Policy findings by policy")
        for column in ("level", "policy", "findings"):
            counts.add_column(column)
        for level, policy, n in plan_summary.finding_counts(report.findings):
            counts.add_row(level, policy, str(n))
        console.print(counts)
        services = Table(title="Access by service")
        for column in ("service", "allowed callers", "declared callers denied", "not evaluable"):
            services.add_column(column, overflow="fold")
        for entry in plan_summary.service_access(report.access):
            services.add_row(entry.service, ", ".join(entry.allowed) or "nobody", str(entry.declared_denied), str(entry.not_evaluable))
        console.print(services)
        console.print("[bold]Topology by account (Mermaid)[/]")
        console.print(report.mermaid_overview, markup=False, highlight=False)
        console.print(f"Summarized. Every row: {plan_summary.where_full(report.env)}.", markup=False, highlight=False)
    for note in report.notes:
        console.print(f"note: {note}", markup=False, highlight=False)
    facts = summary(report)
    console.print(
        f"[bold]{facts['stacks']} stacks, {facts['resources']} resources, "
        f"{facts['mandatory']} mandatory and {facts['advisory']} advisory findings[/]"
    )
