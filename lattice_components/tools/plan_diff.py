"""`lattice plan ENV --base REF`: what a change does, not the whole plan.

Plans the environment twice, at the git ref REF (checked out with `git worktree add` into a temporary folder)
and in the working tree, with this checkout's programs and policy pack, and reports the difference: the
access pairs that change decision (newly allowed first: they are the ones a security review is for), the
resources added, removed and changed (by URN, with the inputs that changed), and the policy findings that
appear or go. Both sides run the same code, so what differs is the configuration: a change to the
components themselves shows here only through the config-driven resources it alters, not as a code diff.
"""

from __future__ import annotations

import json
import subprocess
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from . import offline, plan, plan_summary

# Past these, a section lists its first items and counts the rest (the PR comment must stay under
# plan_summary.MARKDOWN_BUDGET); `--format json` has every item.
LISTED_ACCESS = 200
LISTED_RESOURCES = 100
LISTED_FINDINGS = 50
VALUE_WIDTH = 160


class BaseError(Exception):
    """The base cannot be planned: not a git repository, an unknown ref, or the ref has no such environment."""


@dataclass
class ResourceChange:
    urn: str
    inputs: list[tuple[str, Any, Any]]  # (path, before, after), leaf by leaf


@dataclass
class AccessChange:
    caller: str
    principal: str | None
    vpc: str
    service: str
    before: str  # allowed | denied | not evaluable | absent
    after: str
    why: str  # the reasons of the new decision (or of the old one, when the pair is gone)


@dataclass
class PlanDiff:
    env: str
    base: str  # the ref as given
    base_commit: str
    old: plan.PlanReport
    new: plan.PlanReport
    access: list[AccessChange] = field(default_factory=list)
    added: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    changed: list[ResourceChange] = field(default_factory=list)
    findings_new: list[plan.Finding] = field(default_factory=list)
    findings_gone: list[plan.Finding] = field(default_factory=list)

    @property
    def empty(self) -> bool:
        return not (self.access or self.added or self.removed or self.changed or self.findings_new or self.findings_gone)


def _git(repo: Path, *args: str) -> str:
    result = subprocess.run(["git", "-C", str(repo), *args], capture_output=True, text=True)
    if result.returncode != 0:
        raise BaseError(f"git {' '.join(args)} failed in {repo}: {result.stderr.strip() or result.stdout.strip()}")
    return result.stdout.strip()


def build(env: str, root: Path, base: str, jobs: int | None = None) -> PlanDiff:
    """Plan `env` at `base` and in the working tree `root`, and compare."""
    root = Path(root).resolve()
    top = Path(_git(root, "rev-parse", "--show-toplevel")).resolve()
    commit = _git(top, "rev-parse", "--verify", "--quiet", f"{base}^{{commit}}")
    with tempfile.TemporaryDirectory(prefix="lattice-base-") as folder:
        checkout = Path(folder) / "base"
        _git(top, "worktree", "add", "--detach", str(checkout), commit)
        try:
            base_root = checkout / root.relative_to(top)
            if not offline.network_stack_file(env, base_root).exists():
                raise BaseError(f"{base} ({commit[:12]}) has no {offline.network_stack_file(env, base_root).name}")
            old = plan.build(env, base_root, jobs=jobs)
        finally:
            _git(top, "worktree", "remove", "--force", str(checkout))
    new = plan.build(env, root, jobs=jobs)
    return compare(env, base, commit, old, new)


def compare(env: str, base: str, commit: str, old: plan.PlanReport, new: plan.PlanReport) -> PlanDiff:
    diff = PlanDiff(env=env, base=base, base_commit=commit, old=old, new=new)
    before = {r.urn: r for run in old.runs for r in run.resources}
    after = {r.urn: r for run in new.runs for r in run.resources}
    diff.added = sorted(after.keys() - before.keys())
    diff.removed = sorted(before.keys() - after.keys())
    for urn in sorted(before.keys() & after.keys()):
        changes = list(value_changes(before[urn].inputs, after[urn].inputs))
        if changes:
            diff.changed.append(ResourceChange(urn, changes))
    key = lambda f: (f.stack, f.policy, f.level, f.resource, f.message)  # noqa: E731
    old_findings, new_findings = {key(f): f for f in old.findings}, {key(f): f for f in new.findings}
    diff.findings_new = plan._sorted_findings_of([f for k, f in new_findings.items() if k not in old_findings])
    diff.findings_gone = plan._sorted_findings_of([f for k, f in old_findings.items() if k not in new_findings])
    diff.access = access_changes(old.access, new.access)
    return diff


def _decision(row: dict[str, Any] | None) -> str:
    if row is None:
        return "absent"
    return "allowed" if row["allowed"] else "denied" if row.get("evaluable", True) else "not evaluable"


def access_changes(old_rows: list[dict[str, Any]], new_rows: list[dict[str, Any]]) -> list[AccessChange]:
    """Pairs whose decision changes, newly allowed first. A pair that appears denied, or goes while denied,
    changes nothing anyone can do, so it is not listed."""
    pair = lambda row: (row["caller"], row["principal"], row["vpc"], row["service"])  # noqa: E731
    before, after = {pair(r): r for r in old_rows}, {pair(r): r for r in new_rows}
    found = []
    for key in sorted(before.keys() | after.keys(), key=lambda k: tuple(str(part) for part in k)):
        old, new = _decision(before.get(key)), _decision(after.get(key))
        if {old, new} <= {"denied", "absent"} or old == new:
            continue
        shown = after.get(key) or before[key]
        found.append(AccessChange(*key, before=old, after=new, why=plan._why(shown)))
    rank = {"allowed": 0, "not evaluable": 1, "denied": 2, "absent": 3}
    return sorted(found, key=lambda change: rank[change.after])


def _parsed(value: Any) -> Any:
    if isinstance(value, str) and value[:1] in "{[":
        try:
            return json.loads(value)
        except ValueError:
            return value
    return value


def value_changes(before: Any, after: Any, path: str = ""):
    """(path, before, after) for every leaf that differs; JSON documents held as strings (auth policies) are
    compared as documents, so a changed principal shows as that principal, not as two long strings."""
    before, after = _parsed(before), _parsed(after)
    if isinstance(before, dict) and isinstance(after, dict):
        for key in sorted(before.keys() | after.keys(), key=str):
            yield from value_changes(before.get(key, _ABSENT), after.get(key, _ABSENT), f"{path}.{key}" if path else str(key))
    elif isinstance(before, list) and isinstance(after, list) and len(before) == len(after):
        for index, (b, a) in enumerate(zip(before, after)):
            yield from value_changes(b, a, f"{path}[{index}]")
    elif before != after:
        yield path, before, after


class _Absent:
    def __repr__(self) -> str:
        return "(absent)"


_ABSENT = _Absent()


def _short(value: Any) -> str:
    text = "(absent)" if value is _ABSENT else json.dumps(value, default=str)
    return text if len(text) <= VALUE_WIDTH else text[: VALUE_WIDTH - 1] + "…"


def _resource_name(urn: str) -> str:
    type_token, name = urn.rsplit("::", 2)[-2:]
    return f"{plan._short_type(type_token.rsplit('$', 1)[-1])} {name}"


def _stack_of(urn: str) -> str:
    """`project/stack` of `urn:pulumi:<stack>::<project>::<types>::<name>`."""
    parts = urn.split("::")
    return f"{parts[1]}/{parts[0].rsplit(':', 1)[-1]}"


def to_json(diff: PlanDiff) -> dict[str, Any]:
    return {
        "env": diff.env,
        "base": {"ref": diff.base, "commit": diff.base_commit},
        "summary": plan.summary(diff.new),
        "access": [change.__dict__ for change in diff.access],
        "resources": {
            "added": diff.added,
            "removed": diff.removed,
            "changed": [{"urn": c.urn, "inputs": [{"path": p, "before": None if b is _ABSENT else b,
                                                    "after": None if a is _ABSENT else a} for p, b, a in c.inputs]}
                        for c in diff.changed],
        },
        "findings": {"new": [f.__dict__ for f in diff.findings_new], "gone": [f.__dict__ for f in diff.findings_gone]},
        "failures": [failure.__dict__ for failure in diff.new.failures],
    }


def _capped(items: list[Any], limit: int) -> tuple[list[Any], str]:
    if len(items) <= limit:
        return items, ""
    return items[:limit], f"… and {len(items) - limit} more (`--format json` lists them all)"


def to_markdown(diff: PlanDiff) -> str:
    facts = plan.summary(diff.new)
    verdict = "❌ mandatory policy violations" if facts["mandatory"] else "✅ no mandatory policy violation"
    if diff.new.failures:
        verdict = f"❌ {len(diff.new.failures)} stacks with invalid config"
    lines = [
        f"## lattice plan `{diff.env}`: changes from `{diff.base}` ({diff.base_commit[:12]})",
        "",
        f"{verdict} after the change: {facts['stacks']} stacks, {facts['resources']} resources, "
        f"{facts['mandatory']} mandatory and {facts['advisory']} advisory findings.",
        "",
    ]
    for failure in diff.new.failures:
        lines += [f"`{failure.stack}` did not run:", "", "```", failure.message, "```", ""]
    if diff.empty:
        return "\n".join(lines + ["No change to resources, policy findings or access."]) + "\n"
    lines += [f"### Access: {len(diff.access)} caller × service pairs change decision", ""]
    if diff.access:
        shown, more = _capped(diff.access, LISTED_ACCESS)
        lines += ["| caller | from VPC | service | before | after | why |", "|---|---|---|---|---|---|"]
        for c in shown:
            after = {"allowed": "✅ allowed", "denied": "⛔ denied"}.get(c.after, c.after)
            lines.append(f"| `{c.caller}` | `{c.vpc}` | {c.service} | {c.before} | **{after}** | {c.why} |")
        lines += [more] if more else []
        lines.append("")
    lines += [f"### Resources: {len(diff.added)} added, {len(diff.removed)} removed, {len(diff.changed)} changed", ""]
    for sign, urns in (("+", diff.added), ("-", diff.removed)):
        shown, more = _capped(urns, LISTED_RESOURCES)
        lines += [f"- `{sign}` {_stack_of(urn)} `{_resource_name(urn)}`" for urn in shown] + ([more] if more else [])
    shown, more = _capped(diff.changed, LISTED_RESOURCES)
    for change in shown:
        lines.append(f"- `~` {_stack_of(change.urn)} `{_resource_name(change.urn)}`")
        lines += [f"  - `{path}`: `{_short(b)}` → `{_short(a)}`" for path, b, a in change.inputs]
    lines += [more] if more else []
    lines += ["", f"### Policy findings: {len(diff.findings_new)} new, {len(diff.findings_gone)} gone", ""]
    for title, findings in (("new", diff.findings_new), ("gone", diff.findings_gone)):
        shown, more = _capped(findings, LISTED_FINDINGS)
        for f in shown:
            message = f.message.replace("\n", " ")
            lines.append(f"- {title}: {f.level} `{f.policy}` {f.stack} `{f.resource}`: {message}")
        lines += [more] if more else []
    text = "\n".join(lines).rstrip() + "\n"
    if len(text) > plan_summary.MARKDOWN_BUDGET:  # long messages or values: keep the comment postable
        cut = text[: plan_summary.MARKDOWN_BUDGET - 200]
        text = cut[: cut.rfind("\n") + 1] + f"\n… cut to fit a PR comment; `lattice plan {diff.env} --base {diff.base} --format json` has all of it.\n"
    return text


def to_text(diff: PlanDiff) -> str:
    """Plain lines, one fact each, for a terminal and a pipe (grep, diff)."""
    facts = plan.summary(diff.new)
    lines = [f"lattice plan {diff.env}: changes from {diff.base} ({diff.base_commit[:12]})",
             f"after the change: {facts['stacks']} stacks, {facts['resources']} resources, "
             f"{facts['mandatory']} mandatory and {facts['advisory']} advisory findings, "
             f"{len(diff.new.failures)} stacks with invalid config"]
    for failure in diff.new.failures:
        lines += [f"{failure.stack} did not run:", failure.message]
    if diff.empty:
        return "\n".join(lines + ["no change to resources, policy findings or access"]) + "\n"
    lines.append(f"access: {len(diff.access)} pairs change decision")
    lines += [f"  {c.after:<13} {c.caller} ({c.vpc}) -> {c.service}  [was {c.before}]  {c.why}" for c in diff.access]
    lines.append(f"resources: {len(diff.added)} added, {len(diff.removed)} removed, {len(diff.changed)} changed")
    lines += [f"  + {urn}" for urn in diff.added] + [f"  - {urn}" for urn in diff.removed]
    for change in diff.changed:
        lines.append(f"  ~ {change.urn}")
        lines += [f"      {path}: {_short(b)} -> {_short(a)}" for path, b, a in change.inputs]
    lines.append(f"policy findings: {len(diff.findings_new)} new, {len(diff.findings_gone)} gone")
    lines += [f"  new  {f.level} {f.policy} {f.stack} {f.resource}: {f.message}" for f in diff.findings_new]
    lines += [f"  gone {f.level} {f.policy} {f.stack} {f.resource}: {f.message}" for f in diff.findings_gone]
    return "\n".join(lines) + "\n"


def render(diff: PlanDiff, format: str) -> str:
    if format == "json":
        return json.dumps(to_json(diff), indent=2, default=str) + "\n"
    return to_markdown(diff) if format == "markdown" else to_text(diff)
