"""What a check reports: one input the VPC Lattice API would reject."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class ApiViolation:
    """One input the VPC Lattice API would reject.

    `path` is the engine property path (`config.healthCheck.healthCheckIntervalSeconds`,
    `defaultAction.forwards[0].targetGroups[2].weight`), `value` the offending value (None when something is
    missing), `rule` what is wrong in words, `kind` a stable tag for filtering (`max`, `pattern`, `required`, ...).
    """

    path: str
    value: Any
    rule: str
    kind: str = ""

    def __str__(self) -> str:
        return f"{self.path}: {self.rule}" if self.path else self.rule
