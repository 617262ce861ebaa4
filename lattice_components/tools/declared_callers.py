"""The callers accounts declare (`lattice:callers`), merged into the access matrix: their tags, the methods and
headers they send, so hand-written auth policies that decide on them are evaluated, not reported as unknown.

A declared caller with methods becomes one row per method (`OrderServiceRole GET`, `OrderServiceRole POST`).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import replace
from typing import Any

from . import access, offline


def declared(env_run: offline.EnvironmentRun) -> dict[str, dict[str, Any]]:
    """Principal ARN -> what its account stack declared (`tags`, `methods`, `headers`)."""
    found: dict[str, dict[str, Any]] = {}
    for run in env_run.accounts:
        for entry in (run.outputs.get("callers") or {}).values():
            found[entry["principal"]] = entry
    return found


def with_declarations(
    callers: Iterable[access.Caller], declarations: Mapping[str, Mapping[str, Any]]
) -> list[tuple[access.Caller, str | None, Mapping[str, str] | None]]:
    """(caller, method, headers) for every row of the matrix: declared callers get their tags (an undeclared
    one keeps `tags=None`, so a tag condition on it is reported as not evaluable), one row per method."""
    rows: list[tuple[access.Caller, str | None, Mapping[str, str] | None]] = []
    for caller in callers:
        declaration = declarations.get(caller.principal_arn or "")
        if declaration is None:
            rows.append((caller, None, None))
            continue
        tagged = replace(caller, tags=dict(declaration.get("tags") or {}))
        headers = declaration.get("headers")
        for method in declaration.get("methods") or [None]:
            if method is None:
                rows.append((tagged, None, headers))
                continue
            role, _, vpc = (tagged.name or tagged.label).partition(" (")
            rows.append((replace(tagged, name=f"{role} {method} ({vpc}"), method, headers))
    return rows


def access_matrix(
    rows: Sequence[tuple[access.Caller, str | None, Mapping[str, str] | None]], topology: access.Topology
) -> dict[tuple[str, str], access.Decision]:
    """`access.access_matrix` over rows that may differ in method and headers, one evaluation per method."""
    matrix: dict[tuple[str, str], access.Decision] = {}
    for method in dict.fromkeys(method for _, method, _ in rows):
        group = [caller for caller, m, _ in rows if m == method]
        headers = {caller.label: h for caller, m, h in rows if m == method and h is not None}
        matrix.update(access.access_matrix(group, topology, method=method, headers=headers))
    return matrix
