"""Validation of component arguments with the same schema the stack config uses, before anything is registered.

A component's `args` come from a Python program or, through the package provider, from any Pulumi language. They
are validated whole, before the component registers itself: a wrong type, a missing or unknown key, a wildcard
principal, or an `Output` where the component needs a plain value is a `ConfigError` naming the argument path,
and nothing is registered.

Arguments that name another resource (`Deferred` in the schema) may be `Output`s. Those are checked again when
they resolve, with the same messages: each such Output is replaced by one that re-validates the arguments with
its value in place (the other Outputs still unknown), so a child that uses it cannot be created from a value the
component would have refused, and depends on that resource alone.
"""

from __future__ import annotations

import enum
import functools
import re
import types
from collections.abc import Callable, Mapping, Sequence
from typing import Annotated, Any, TypeVar, Union, get_args, get_origin

import pulumi
from pydantic import AfterValidator, Field, ValidationError, field_validator, model_validator
from pydantic.alias_generators import to_camel

from .base import RAM_PRINCIPAL, AccountId, Deferred, Spec, is_output, rule_error
from .errors import ConfigError
from .reader import describe
from .stacks import NetworkSpec

SpecT = TypeVar("SpecT", bound=Spec)
Check = Callable[[Any], list[str]]
"""A check of a validated spec beyond its schema (the AWS API model preflight): one `key.path: rule` per problem."""

Path = tuple[Any, ...]

OUTPUT_WHERE_PLAIN = (
    "is a pulumi Output, but the component decides on this value before it registers anything; pass a plain "
    "value (a literal or config)"
)


# --------------------------------------------------------------------------------------------------------------
# The arguments of ServiceNetwork and ShareAccepter that the stack config does not share
# --------------------------------------------------------------------------------------------------------------

SHARE_ARN = re.compile(r"arn:aws[a-z-]*:ram:[a-z0-9-]+:\d{12}:resource-share/[A-Za-z0-9-]+")
"""A RAM resource share ARN. RAM documents the share ID only by example (a UUID), so any ID characters pass."""


def _ram_principal(value: str) -> str:
    if not RAM_PRINCIPAL.fullmatch(value):
        raise ValueError(
            f"{value!r} is not a RAM principal for a service network: a 12-digit account ID, an organization ARN "
            "or an OU ARN (no wildcards)"
        )
    return value


class ServiceNetworkSpec(NetworkSpec):
    """`ServiceNetwork` args: the network of the stack config, with who may use it and who it is shared with."""

    member_account_ids: Deferred[list[Deferred[AccountId]]] = Field(default_factory=list)
    share_principals: list[Deferred[Annotated[str, AfterValidator(_ram_principal)]]] = Field(default_factory=list)
    allow_external_principals: bool = False

    @field_validator("share_principals")
    @classmethod
    def _each_once(cls, values: list[Any]) -> list[Any]:
        known = [value for value in values if not is_output(value)]
        duplicates = sorted({value for value in known if known.count(value) > 1})
        if duplicates:
            raise ValueError(f"lists {duplicates[0]!r} more than once")
        return values

    @model_validator(mode="after")
    def _someone_may_use_it(self) -> "ServiceNetworkSpec":
        if self.auth_type == "AWS_IAM" and not self.member_account_ids and not self.organization_id:
            raise rule_error(
                "memberAccountIds", "or organizationId is required with authType AWS_IAM: with no auth policy every request is denied"
            )
        return self


class ShareAccepterSpec(Spec):
    """`ShareAccepter` args."""

    share_arn: Deferred[Annotated[str, Field(pattern=SHARE_ARN.pattern)]]


# --------------------------------------------------------------------------------------------------------------
# Validation
# --------------------------------------------------------------------------------------------------------------


def validate_args(
    model: type[SpecT],
    args: Any,
    type_token: str,
    name: str,
    *,
    args_type: type | None = None,
    checks: Sequence[Check] = (),
) -> SpecT:
    """Validate a component's `args` before it registers anything; errors name the component and the key.

    `args_type` is the component's args TypedDict: its keys are the component's arguments (the model may know
    more, for the stack config). `checks` run on the validated spec, now and when an Output resolves.
    """
    source = f"{type_token} {name!r}"
    if not isinstance(args, Mapping):
        raise ConfigError([f"args: {type(args).__name__} is not a mapping of arguments"], source)
    twice: list[str] = []
    raw = _schema_keys(model, _plain(args), "args", twice)
    if twice:
        raise ConfigError(twice, source)
    spec = _validate(model, raw, source, args_type, checks)
    outputs = list(_outputs(raw, ()))
    if not outputs:
        return spec
    gated = raw
    for path, output in outputs:
        recheck = functools.partial(_recheck, model, raw, path, source, args_type, checks)
        gated = _replace(gated, path, output.apply(recheck))
    return model.model_validate(gated)


def _validate(model: type[SpecT], raw: dict[str, Any], source: str, args_type: type | None, checks: Sequence[Check]) -> SpecT:
    problems = _key_problems(model, raw, args_type) if args_type is not None else []
    try:
        spec = model.model_validate(raw)
    except ValidationError as error:
        raise ConfigError(_unique(problems + _describe(error)), source) from None
    if problems:
        raise ConfigError(problems, source)
    found = [f"args.{problem}" for check in checks for problem in check(spec)]
    if found:
        raise ConfigError(found, source)
    return spec


def _recheck(
    model: type[Spec], raw: dict[str, Any], path: Path, source: str, args_type: type | None, checks: Sequence[Check],
    value: Any,
) -> Any:
    """The resolved value of the Output at `path`, once the arguments with it in place pass validation."""
    _validate(model, _replace(raw, path, _plain(value)), source, args_type, checks)
    return value


def _describe(error: ValidationError) -> list[str]:
    """One line per problem; an Output where the model wants a plain value says so rather than "not a string"."""
    lines = describe(error, "args")
    for index, item in enumerate(error.errors()):
        if is_output(item.get("input")):
            lines[index] = f"{lines[index].split(': ', 1)[0]}: {OUTPUT_WHERE_PLAIN}"
    return lines


def _key_problems(model: type[Spec], raw: dict[str, Any], args_type: type) -> list[str]:
    """Keys the model knows but the component does not take (the stack config's `protect`, say), and keys the
    component requires that the model leaves optional. (The model itself reports keys nobody knows, as written.)"""
    takes, model_keys = _argument_keys(model, args_type)
    problems = [
        f"args.{key}: is not an argument of this component (it takes {', '.join(sorted(takes.values()))})"
        for key in raw
        if key in model_keys and key not in takes.values()
    ]
    problems += [
        f"args.{takes[key]}: is required" for key in sorted(getattr(args_type, "__required_keys__", ())) if takes[key] not in raw
    ]
    return problems


@functools.cache
def _argument_keys(model: type[Spec], args_type: type) -> tuple[dict[str, str], frozenset[str]]:
    """The component's arguments (Python name -> schema spelling) and the model's keys, read once per component type."""
    takes = {key: to_camel(key) for key in args_type.__annotations__}
    return takes, frozenset(field.alias or name for name, field in model.model_fields.items())


@functools.cache
def _known_keys(model: type[Spec]) -> dict[str, str]:
    """Both spellings of every field of `model` (Python name and alias) -> the field's name, read once per model."""
    fields = model.model_fields
    return {**{name: name for name in fields}, **{field.alias: name for name, field in fields.items() if field.alias}}


def _unique(lines: list[str]) -> list[str]:
    return list(dict.fromkeys(lines))


def _schema_keys(model: type[Spec], raw: dict[str, Any], where: str, twice: list[str]) -> dict[str, Any]:
    """`raw` with every argument key, at every depth, spelt as the schema spells it (camelCase), so that every
    message names a path one way whether the caller wrote `target_groups` (Python) or `targetGroups` (the other
    languages, the stack config). Keys that are the caller's own names (target groups, tags) and unknown keys are
    left as written; a key given in both spellings is reported."""
    fields = model.model_fields
    known = _known_keys(model)
    result: dict[str, Any] = {}
    for key, value in raw.items():
        name = known.get(key) if isinstance(key, str) else None
        spelt = (fields[name].alias or name) if name else key
        if spelt in result:
            twice.append(f"{where}.{spelt}: is given twice, as {spelt!r} and as {name!r}; keep one")
            continue
        result[spelt] = _schema_keys_in(fields[name].annotation, value, f"{where}.{spelt}", twice) if name else value
    return result


def _schema_keys_in(annotation: Any, value: Any, where: str, twice: list[str]) -> Any:
    if get_origin(annotation) is Annotated:
        return _schema_keys_in(get_args(annotation)[0], value, where, twice)
    if get_origin(annotation) in (Union, types.UnionType):
        for option in get_args(annotation):
            if option is not type(None):
                value = _schema_keys_in(option, value, where, twice)
        return value
    if isinstance(annotation, type) and issubclass(annotation, Spec) and isinstance(value, dict):
        return _schema_keys(annotation, value, where, twice)
    if get_origin(annotation) is list and isinstance(value, list):
        return [_schema_keys_in(get_args(annotation)[0], item, f"{where}[{i}]", twice) for i, item in enumerate(value)]
    if get_origin(annotation) is dict and isinstance(value, dict):
        return {key: _schema_keys_in(get_args(annotation)[1], item, f"{where}.{key}", twice) for key, item in value.items()}
    return value


def _plain(value: Any) -> Any:
    """Enum members as their values (the provider hands the schema's enums over as members), mappings as dicts,
    tuples as lists; everything else as it is, for the model to judge."""
    if isinstance(value, enum.Enum):
        return value.value
    if isinstance(value, Mapping):
        return {key: _plain(item) for key, item in value.items()}
    if isinstance(value, (list, tuple)):
        return [_plain(item) for item in value]
    return value


def _outputs(value: Any, path: Path):
    """(path, Output) for every Output in the arguments."""
    if isinstance(value, pulumi.Output):
        yield path, value
    elif isinstance(value, dict):
        for key, item in value.items():
            yield from _outputs(item, (*path, key))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from _outputs(item, (*path, index))


def _replace(value: Any, path: Path, new: Any) -> Any:
    """A copy of `value` with the item at `path` replaced by `new`."""
    if not path:
        return new
    head, rest = path[0], path[1:]
    if isinstance(value, dict):
        return {**value, head: _replace(value[head], rest, new)}
    copy = list(value)
    copy[head] = _replace(copy[head], rest, new)
    return copy
