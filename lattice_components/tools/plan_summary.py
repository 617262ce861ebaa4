"""The plan report condensed for a reader of a large environment: what each service lets in, what each stack
registers by type, which policies fire how often.

A PR comment holds at most 65,536 characters (GitHub's limit), and nobody reads 100,000 access rows in one
anyway. Past `plan.fits_in_full`, the Markdown and text reports show these summaries instead of the full tables,
and say where the full data is (`--format json`, `lattice access`). The JSON report is always complete.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import Any

# GitHub rejects a comment body over 65,536 characters; the margin leaves room for what a workflow wraps
# around the report (a heading, a link to the job summary).
MARKDOWN_BUDGET = 60_000
# Past these counts the full report cannot fit the budget whatever its wording, so it is not even rendered.
FULL_ACCESS_ROWS = 400
FULL_RESOURCES = 1_500
FULL_FINDINGS = 300
# Findings listed one by one in the summary (mandatory first); the rest are counted per policy.
LISTED_FINDINGS = 30
# Allowed callers named per service in the summary; the rest are counted.
NAMED_CALLERS = 4


@dataclass
class ServiceAccess:
    """One service's row of the summary: who may call it, and how many callers are turned away."""

    service: str
    allowed: list[str] = field(default_factory=list)  # "Caller (vpc)"
    declared_denied: int = 0  # callers some auth policy names, denied here
    undeclared_allowed: int = 0  # `UndeclaredRole` let in: every principal nobody named gets in
    not_evaluable: int = 0


def service_access(rows: list[dict[str, Any]]) -> list[ServiceAccess]:
    """Per service, sorted by name: allowed callers and the count of declared callers denied."""
    found: dict[str, ServiceAccess] = {}
    for row in rows:
        entry = found.setdefault(row["service"], ServiceAccess(row["service"]))
        undeclared = row["caller"] == "UndeclaredRole"
        if row["allowed"]:
            if undeclared:
                entry.undeclared_allowed += 1
            entry.allowed.append(f"{row['caller']} ({row['vpc']})")
        elif not row.get("evaluable", True):
            entry.not_evaluable += 1
        elif not undeclared:
            entry.declared_denied += 1
    return [found[name] for name in sorted(found)]


def short_type(type_token: str) -> str:
    """`Service` for `aws:vpclattice/service:Service`, `Provider(aws)` for a provider."""
    if type_token.startswith("pulumi:providers:"):
        return f"Provider({type_token.rsplit(':', 1)[-1]})"
    return type_token.rsplit(":", 1)[-1]


def sorted_findings(findings):
    """Mandatory first, then by stack, policy, resource and message: a stable order for diffs of the report."""
    return sorted(findings, key=lambda f: (f.level != "mandatory", f.stack, f.policy, f.resource, f.message))


def type_counts(run) -> list[tuple[str, int]]:
    """(short type, count) of one stack's resources, most frequent first, then by name."""
    counts = Counter(short_type(r.type) for r in run.resources)
    return sorted(counts.items(), key=lambda item: (-item[1], item[0]))


def finding_counts(findings) -> list[tuple[str, str, int]]:
    """(level, policy, count), mandatory first."""
    counts = Counter((f.level, f.policy) for f in findings)
    return sorted(((level, policy, n) for (level, policy), n in counts.items()), key=lambda t: (t[0] != "mandatory", t[1]))


def where_full(env: str) -> str:
    return f"`lattice plan {env} --format json` (everything) or `lattice access {env}` (every caller × service)"


def _callers(entry: ServiceAccess) -> str:
    shown = ", ".join(f"`{c}`" for c in entry.allowed[:NAMED_CALLERS]) or "nobody"
    more = len(entry.allowed) - NAMED_CALLERS
    return shown + (f" and {more} more" if more > 0 else "")


def access_lines(rows: list[dict[str, Any]], env: str) -> list[str]:
    """The access section as a per-service table (Markdown)."""
    services = service_access(rows)
    open_to_anyone = [s.service for s in services if s.undeclared_allowed]
    lines = [
        "### Access by service",
        "",
        f"{len(rows)} caller × service pairs, {sum(1 for r in rows if r['allowed'])} allowed; "
        f"the full matrix: {where_full(env)}.",
        "",
    ]
    if open_to_anyone:
        lines += [f"⚠️ {len(open_to_anyone)} services let in a principal nobody declared: "
                  + ", ".join(open_to_anyone[:20]) + (" …" if len(open_to_anyone) > 20 else ""), ""]
    lines += ["| service | allowed callers | declared callers denied | not evaluable |", "|---|---|---|---|"]
    # what a reviewer must see first: services open to undeclared principals, then ones not evaluable; the
    # budget trims the table from the end
    ordered = sorted(services, key=lambda s: (-s.undeclared_allowed, -s.not_evaluable, s.service))
    lines += [f"| {s.service} | {_callers(s)} | {s.declared_denied} | {s.not_evaluable} |" for s in ordered]
    return lines


def findings_lines(findings, env: str) -> list[str]:
    ordered = sorted_findings(findings)
    lines = ["### Policy findings", ""]
    if not findings:
        return lines + ["None."]
    lines += ["| level | policy | findings |", "|---|---|---|"]
    lines += [f"| {level} | `{policy}` | {n} |" for level, policy, n in finding_counts(findings)]
    listed = ordered[:LISTED_FINDINGS]
    lines += ["", f"The first {len(listed)} of {len(findings)} (mandatory first); all of them: {where_full(env)}.", "",
              "| level | policy | stack | resource | message |", "|---|---|---|---|---|"]
    for f in listed:
        message = f.message.replace("\n", " ").replace("|", "\\|")
        lines.append(f"| {f.level} | `{f.policy}` | {f.stack} | `{f.resource}` | {message} |")
    return lines


def resources_lines(runs) -> list[str]:
    lines = ["### Resources by stack", "", "| stack | resources | by type |", "|---|---|---|"]
    for run in runs:
        types = ", ".join(f"{t} {n}" for t, n in type_counts(run))
        lines.append(f"| `{run.project}/{run.stack}` | {len(run.resources)} | {types} |")
    return lines


def trim_to_budget(lines: list[str], env: str, budget: int = MARKDOWN_BUDGET) -> list[str]:
    """Drop rows from the end of the longest table until the text fits `budget`, saying how many were left
    out and where they are."""
    size = sum(len(line) + 1 for line in lines)
    if size <= budget:
        return lines
    # the per-service table is the one that grows with the environment
    start = next((i for i, line in enumerate(lines) if line.startswith("| service | allowed callers")), None)
    if start is None:
        return lines
    end = next((i for i in range(start + 2, len(lines)) if not lines[i].startswith("|")), len(lines))
    note_room = 200
    kept = end
    while kept > start + 2 and size + note_room > budget:
        kept -= 1
        size -= len(lines[kept]) + 1
    left_out = end - kept
    note = [f"", f"… and {left_out} more services: {where_full(env)}."] if left_out else []
    return lines[:kept] + note + lines[end:]
