"""The order account stacks of an environment run in, when some read target groups from others' outputs.

An account stack's `lattice:targetGroups.<name>.fromStack` names a stack whose `targetGroups` output holds the
group's ARN. When that stack is one of the environment's own, it must run first, in the plan as in `pulumi up`:
stacks run in waves, each wave after the stacks it reads from, and stacks that read each other in a cycle cannot
run at all (neither could deploy first). A stack read from that is not the environment's is not run by the plan:
its outputs are unknown there (`UNKNOWN_OUTPUTS`).

Pure functions of the stack files' raw config: what is malformed there is left for the program to report.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from .environments import ACCOUNT_PROJECT

UNKNOWN_OUTPUTS = None
"""The outputs of a referenced stack the plan does not run: unknown (`offline.LatticeMocks` answers so)."""


def qualified(organization: str, stack: str) -> str:
    """An account stack's fully qualified name, as a `fromStack.stack` names it."""
    return f"{organization}/{ACCOUNT_PROJECT}/{stack}"


def read_stacks(config: Mapping[str, Any]) -> dict[str, list[str]]:
    """Stack name -> the target groups (entry names, sorted) an account stack's config reads from its outputs."""
    groups = config.get("lattice:targetGroups")
    found: dict[str, list[str]] = {}
    for name, group in sorted(groups.items()) if isinstance(groups, Mapping) else ():
        source = group.get("fromStack") if isinstance(group, Mapping) else None
        stack = source.get("stack") if isinstance(source, Mapping) else None
        if isinstance(stack, str):
            found.setdefault(stack, []).append(str(name))
    return found


@dataclass
class Schedule:
    """Account stacks (short names) in waves: each wave reads only from stacks of earlier waves. `problems` are
    the stacks that cannot run, with why: they read each other in a cycle, or read from one that cannot run."""

    waves: list[list[str]] = field(default_factory=list)
    problems: dict[str, list[str]] = field(default_factory=dict)


def schedule(stacks: list[str], configs: Mapping[str, Mapping[str, Any]], organization: str) -> Schedule:
    """The waves of `stacks` (in their given order within a wave) by what each reads from the others."""
    names = {qualified(organization, stack): stack for stack in stacks}
    reads = {
        stack: {names[other]: groups for other, groups in read_stacks(configs.get(stack, {})).items() if other in names}
        for stack in stacks
    }
    result = Schedule()
    placed: set[str] = set()
    waiting = list(stacks)
    while waiting:
        wave = [stack for stack in waiting if set(reads[stack]) <= placed]
        if not wave:
            break
        result.waves.append(wave)
        placed.update(wave)
        waiting = [stack for stack in waiting if stack not in placed]
    for stack in waiting:
        result.problems[stack] = _why_blocked(stack, reads, set(waiting), organization)
    return result


def _cycle_through(stack: str, reads: Mapping[str, Mapping[str, list[str]]], within: set[str]) -> list[str] | None:
    """The shortest path of reads from `stack` back to itself among `within` (breadth first), or None."""
    paths = [[stack]]
    seen = {stack}
    while paths:
        following = []
        for path in paths:
            for other in sorted(reads[path[-1]]):
                if other == stack:
                    return path + [stack]
                if other in within and other not in seen:
                    seen.add(other)
                    following.append(path + [other])
        paths = following
    return None


def _why_blocked(stack: str, reads: Mapping[str, Mapping[str, list[str]]], blocked: set[str], organization: str) -> list[str]:
    cycle = _cycle_through(stack, reads, blocked)
    problems = []
    for other, groups in sorted(reads[stack].items()):
        if other not in blocked:
            continue
        where = f"lattice:targetGroups.{groups[0]}.fromStack"
        if cycle is not None and other == cycle[1]:
            problems.append(
                f"{where}: reads stack {qualified(organization, other)}, which reads this one back: the stacks read "
                f"each other's target groups in a cycle ({' → '.join(cycle)}), so none of them can deploy first; "
                "create the group in one stack and read it from the others"
            )
        elif cycle is None:
            problems.append(f"{where}: reads stack {qualified(organization, other)}, which cannot run (it reads target "
                            "groups in a cycle, see its problems), so this stack cannot either")
    return problems


def other_stacks(
    config: Mapping[str, Any], organization: str, network_reference: str, env_stacks: list[str],
    finished: Mapping[str, dict[str, Any] | None],
) -> tuple[dict[str, Any], list[str]]:
    """(StackReference name -> outputs, problems) for the stacks an account stack's target groups are read from:
    an environment stack's outputs from its run (`finished`; None: it did not run, a problem here too), any other
    stack's as unknown. The network stack is answered as the network reference already is."""
    names = {qualified(organization, stack): stack for stack in env_stacks}
    outputs: dict[str, Any] = {}
    problems: list[str] = []
    for stack, groups in read_stacks(config).items():
        if stack == network_reference:
            continue
        if stack not in names:
            outputs[stack] = UNKNOWN_OUTPUTS
        elif finished.get(names[stack]) is None:
            problems.append(f"lattice:targetGroups.{groups[0]}.fromStack: stack {stack} did not run in this plan (its "
                            "problems are reported), so the target groups it would export are not known")
        else:
            outputs[stack] = finished[names[stack]]
    return outputs, problems
