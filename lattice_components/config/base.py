"""The base of the config schema: API-model limits as pydantic constraints, names and IDs, the `Spec` base class.

Every range, pattern and enum comes from botocore's Lattice API model (`lattice_components.apimodel`).
"""

from __future__ import annotations

import re
from typing import Annotated, Any, Literal

import pulumi
from pydantic import AfterValidator, BaseModel, BeforeValidator, ConfigDict, Field, WrapSerializer, WrapValidator
from pydantic.alias_generators import to_camel
from pydantic_core import PydanticCustomError

from ..apimodel import model, value_rules

# --------------------------------------------------------------------------------------------------------------
# Helpers that turn the API model into pydantic constraints
# --------------------------------------------------------------------------------------------------------------


def api_enum(root: str, path: str) -> Any:
    """A `Literal[...]` of the values the API model allows for one member."""
    values = model.limits(root, path).enum
    return Literal.__getitem__(values)


def api_range(root: str, path: str) -> dict[str, int]:
    """pydantic `ge`/`le` for an integer member, from the model (or its documented range, where stricter)."""
    low, high = documented_range(root, path)
    return {key: value for key, value in (("ge", low), ("le", high)) if value is not None}


def documented_range(root: str, path: str) -> tuple[int | None, int | None]:
    """The model's min/max, narrowed by a range its documentation states ("The range is 5–300 seconds").

    The model says 0-300 for the health-check interval because 0 means "reset to the default" in updates;
    the documented range is what the API accepts for a value we set.
    """
    found = model.limits(root, path)
    stated = model.documented_range(root, path)
    if stated is None:
        return found.min, found.max
    low = stated.min if found.min is None else max(found.min, stated.min)
    high = stated.max if found.max is None else min(found.max, stated.max)
    return low, high


def api_lengths(root: str, path: str) -> dict[str, int]:
    """pydantic `min_length`/`max_length` for a list or string member, from the model."""
    found = model.limits(root, path)
    return {
        key: value for key, value in (("min_length", found.min), ("max_length", found.max)) if value is not None
    }


def is_output(value: Any) -> bool:
    """An output of another resource: unknown until that resource exists (or, in preview, may stay unknown)."""
    return isinstance(value, pulumi.Output)


def _pass_outputs(value: Any, validate: Any) -> Any:
    return value if is_output(value) else validate(value)


def _serialize_outputs(value: Any, serialize: Any) -> Any:
    return value if is_output(value) else serialize(value)


class Deferred:
    """`Deferred[T]`: a T, or a `pulumi.Output` of one, for the arguments that name another resource.

    A plain value is validated as T here, before registration. An Output passes, and `validate_args` checks the
    value again, as T and with the same messages, when the Output resolves (in an `apply`): a component cannot
    know another resource's ID before that resource exists, and must not hold back its own registrations for it.
    """

    def __class_getitem__(cls, item: Any) -> Any:
        return Annotated[item, WrapValidator(_pass_outputs), WrapSerializer(_serialize_outputs)]


def rule_error(path: str, rule: str) -> PydanticCustomError:
    """An error raised by a model validator about one of its fields; `path` is appended to the location."""
    return PydanticCustomError("lattice_rule", "{rule}", {"path": path, "rule": rule})


def name_checker(root: str, kind: str):
    """A validator for a Lattice resource name, with the model's length and pattern in its message."""
    found = model.limits(root, "name")
    forbidden_prefixes = re.findall(r"\(\?!([a-z]+-)\)", found.pattern or "")
    rule = (
        f"{found.min}-{found.max} lowercase letters, digits and hyphens, with no leading, trailing or double "
        "hyphen" + "".join(f", not starting with {prefix!r}" for prefix in forbidden_prefixes)
    )

    def check(value: str) -> str:
        if not (found.min <= len(value) <= found.max) or not found.pattern_matches(value):
            raise PydanticCustomError(
                "lattice_name", "{problem}", {"problem": f"{value!r} is not a valid {kind} name: the API allows {rule}"}
            )
        return value

    return AfterValidator(check)


ServiceNetworkName = Annotated[str, name_checker("CreateServiceNetwork", "service network")]
ServiceName = Annotated[str, name_checker("CreateService", "service")]
TargetGroupName = Annotated[str, name_checker("CreateTargetGroup", "target group")]
ListenerName = Annotated[str, name_checker("CreateListener", "listener")]
RuleName = Annotated[str, name_checker("CreateRule", "rule")]

AccountId = Annotated[str, BeforeValidator(lambda v: str(v) if isinstance(v, int) else v), Field(pattern=r"^\d{12}$")]
"""A 12-digit AWS account ID. YAML reads 012345678901 as a number, so numbers are turned back into text."""

AuthType = api_enum("CreateService", "authType")
OrganizationId = Annotated[str, Field(pattern=r"^o-[a-z0-9]{10,32}$")]
"""An AWS Organizations ID (`o-...`), as `aws:PrincipalOrgID` holds it."""
Port = Annotated[int, Field(**api_range("CreateListener", "port"))]
_ORG = r"o-[a-z0-9]{10,32}"
RAM_PRINCIPAL = re.compile(
    rf"\d{{12}}|arn:aws[a-z-]*:organizations::\d{{12}}:(organization/{_ORG}|ou/{_ORG}/ou-[a-z0-9]{{4,32}}-[a-z0-9]{{8,32}})"
)
"""What RAM shares a Lattice network, service or resource configuration with: an account ID, the organization's
ARN or an OU's ARN (RAM's `associateResourceShare` documents these, and IAM roles and users, which Lattice
resources are not shared with)."""


def listed_once(values: list[Any]) -> list[Any]:
    """`values`, or an error at the index of the first known item written again (another resource's output is
    not known until deploy, so it is not compared)."""
    for index, value in enumerate(values):
        if not is_output(value) and value in values[:index]:
            raise rule_error(f"[{index}]", f"{value!r} is listed twice")
    return values


def checked_by(problem_of) -> AfterValidator:
    """A validator from one of `apimodel.value_rules`' problem functions: the problem it names, if any, is the
    error; another resource's output passes here and is checked when it resolves (`config.args`)."""

    def check(value: Any) -> Any:
        problem = None if is_output(value) else problem_of(value)
        if problem:
            raise ValueError(problem)
        return value

    return AfterValidator(check)


TagKey = Annotated[str, checked_by(value_rules.tag_key_problem)]
"""A tag key: the Lattice model's `TagKey` lengths, not starting with `aws:` (reserved by AWS, in any case)."""
TagValue = Annotated[str, checked_by(value_rules.tag_value_problem)]
"""A tag value: the Lattice model's `TagValue` lengths."""
Tags = Deferred[Annotated[dict[TagKey, Deferred[TagValue]], Field(max_length=model.shape("TagMap").metadata.get("max"))]]
"""Tags on every resource a component creates, each key and value checked on its own (so every bad tag is
reported); the map, or any value in it, may be another resource's output."""
RetentionDays = Annotated[int, checked_by(value_rules.retention_problem)]
"""A CloudWatch Logs retention, in days: one of the values `PutRetentionPolicy` accepts."""


class Spec(BaseModel):
    """Base of every config object: camelCase keys in YAML, unknown keys rejected, immutable, strict types.

    Strict: a value of the wrong type is an error, never converted. Lax pydantic would turn `"no"` into False and
    `"yes"` into True, and `1` into `"1"` nowhere but `True` into `1`; YAML and every Pulumi language already
    deliver booleans, numbers, lists and maps as such. (The component provider receives every number as a
    float; `tools/hosting.py` turns whole ones back into integers where the schema says integer.)
    """

    model_config = ConfigDict(
        alias_generator=to_camel, populate_by_name=True, extra="forbid", frozen=True,
        arbitrary_types_allowed=True, strict=True,
    )

    def to_args(self) -> dict[str, Any]:
        """The snake_case dict a component takes as `args` (unset optional values left out)."""
        return self.model_dump(exclude_none=True)
