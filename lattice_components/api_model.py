"""The VPC Lattice API model that botocore ships: the one source of API limits in this project.

Lattice limits move (rule priority went 1-100 -> 1-2000, target groups per forward 2 -> 10), so no range,
pattern or enum is copied into our code: the config schema, the components and the policy pack all read
them from here, and upgrading botocore moves them everywhere at once.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass

import botocore.session
from botocore.model import ServiceModel, Shape

SERVICE_NAME = "vpc-lattice"


@functools.cache
def service_model() -> ServiceModel:
    """botocore's VPC Lattice service model (loaded once; about 20 ms)."""
    return botocore.session.get_session().get_service_model(SERVICE_NAME)


@dataclass(frozen=True)
class MemberLimits:
    """What the API model says about one member: its bounds, pattern and allowed values."""

    shape_name: str
    type_name: str
    min: int | None
    max: int | None
    pattern: str | None
    enum: tuple[str, ...]

    def pattern_matches(self, value: str) -> bool:
        """True when `value` matches the whole model pattern (the model's patterns are unanchored)."""
        return self.pattern is None or re.fullmatch(self.pattern, value) is not None


def shape(shape_name: str) -> Shape:
    return service_model().shape_for(shape_name)


def member_shape(root: str, path: str) -> Shape:
    """The shape at a dotted member path below a shape or an operation's input.

    `root` is an operation name (`CreateTargetGroup`: its input shape) or a shape name (`HealthCheckConfig`);
    `path` walks structure members and list/map elements (`config.healthCheck.healthCheckIntervalSeconds`,
    `defaultAction.forward.targetGroups.weight`).
    """
    model = service_model()
    current = (
        model.operation_model(root).input_shape if root in model.operation_names else model.shape_for(root)
    )
    for part in path.split(".") if path else []:
        while current.type_name in ("list", "map"):
            current = current.member if current.type_name == "list" else current.value
        try:
            current = current.members[part]
        except (AttributeError, KeyError):
            raise KeyError(f"{root}.{path}: the VPC Lattice API model has no member {part!r}") from None
    return current


def limits(root: str, path: str = "") -> MemberLimits:
    """Bounds, pattern and enum of one member, as the model states them."""
    target = member_shape(root, path)
    meta = target.metadata
    return MemberLimits(
        shape_name=target.name,
        type_name=target.type_name,
        min=meta.get("min"),
        max=meta.get("max"),
        pattern=meta.get("pattern"),
        enum=tuple(getattr(target, "enum", None) or meta.get("enum") or ()),
    )
