"""Plain text for pipes: one record per line, tab-separated columns, no box drawing, no colour, no wrapping.

Used when stdout is not a terminal, so that `lattice access dev | grep MobileBackendRole` prints that caller's
rows whole and `lattice plan dev | cat` never splits a name or an ARN across lines. `--format json` remains
the machine interface; this is for grep, awk and diff.
"""

from __future__ import annotations

from typing import Any

from . import plan as planning

OFFLINE_NOTE = planning.OFFLINE_NOTE


def _cells(values: list[str]) -> str:
    # A tab or newline inside a value would break the one-record-per-line contract.
    return "\t".join(" ".join(str(value).split()) for value in values)


def access_lines(rows: list[dict[str, Any]]) -> list[str]:
    """Header, then one line per caller x VPC x service."""
    lines = [_cells(["caller", "from_vpc", "service", "decision", "why"])]
    for row in rows:
        decision = "allowed" if row["allowed"] else "denied"
        lines.append(_cells([row["caller"], row["vpc"], row["service"], decision, planning._why(row)]))
    return lines


def resource_access_lines(rows: list[dict[str, Any]]) -> list[str]:
    """Header, then one line per consumer VPC x resource configuration (`tools/resource_access.py`)."""
    lines = [_cells(["from_vpc", "via", "resource", "owner", "ports", "decision", "why"])]
    for row in rows:
        decision = "reachable" if row["allowed"] else "unreachable" if row["evaluable"] else "cannot-decide"
        lines.append(_cells([row["vpc"], row["via"], row["resource"], row["owner"], row["ports"] or "-", decision,
                             "; ".join(row["reasons"])]))
    return lines


def plan_lines(report: planning.PlanReport) -> list[str]:
    """The whole plan report: note, resources per stack, findings, access, topology, verdict."""
    lines = [f"lattice plan {report.env}: {OFFLINE_NOTE}", ""]
    for run in report.runs:
        lines.append(f"{run.project}/{run.stack}: {len(run.resources)} resources")
        lines += [f"{'    ' * (depth + 1)}+ {planning._short_type(r.type)} {r.name}" for depth, r in planning.resource_tree(run)]
        lines.append("")
    lines.append("policy findings:")
    lines.append(_cells(["level", "policy", "stack", "resource", "message"]))
    lines += [_cells([f.level, f.policy, f.stack, f.resource, f.message]) for f in planning._sorted_findings(report)]
    lines += ["", "access matrix:", *access_lines(report.access)]
    lines += ["", "resource access:", *resource_access_lines(report.resource_access)]
    lines += ["", "topology (Mermaid):", report.mermaid.rstrip(), ""]
    lines += [f"note: {note}" for note in report.notes]
    facts = planning.summary(report)
    verdict = "mandatory policy violations" if facts["mandatory"] else "no mandatory policy violation"
    lines.append(
        f"{verdict}: {facts['stacks']} stacks, {facts['resources']} resources, "
        f"{facts['mandatory']} mandatory and {facts['advisory']} advisory findings"
    )
    return lines
