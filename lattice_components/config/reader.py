"""Reading a stack's config and reporting every problem in it, one line each, with its key path."""

from __future__ import annotations

import json
import re
from typing import Any

import pulumi
from pydantic import ValidationError

from .base import Spec
from .errors import ConfigError

# --------------------------------------------------------------------------------------------------------------
# Reading and reporting
# --------------------------------------------------------------------------------------------------------------


def _location(loc: tuple[Any, ...], key_prefix: str) -> str:
    path = key_prefix
    for part in loc:
        if isinstance(part, int):
            path += f"[{part}]"
        elif part == "[key]" or str(part).startswith(("function-", "constrained-")):
            continue  # pydantic's markers for "the key of a mapping" and validator wrappers, not config keys
        else:
            path += f".{part}" if path and not path.endswith(":") else str(part)
    return path


def _message(error: dict[str, Any]) -> str:
    kind, ctx, value = error["type"], error.get("ctx") or {}, error.get("input")
    if kind == "less_than_equal":
        return f"{value} is above the maximum {ctx['le']}"
    if kind == "greater_than_equal":
        return f"{value} is below the minimum {ctx['ge']}"
    if kind == "too_long":
        return f"has {ctx.get('actual_length')} items, above the maximum {ctx['max_length']}"
    if kind == "too_short":
        return f"has {ctx.get('actual_length')} items, below the minimum {ctx['min_length']}"
    if kind == "string_too_long":
        return f"{value!r} is longer than the maximum {ctx['max_length']} characters"
    if kind == "string_too_short":
        return f"{value!r} is shorter than the minimum {ctx['min_length']} characters"
    if kind == "string_pattern_mismatch":
        return f"{value!r} does not match {ctx['pattern']}"
    if kind == "literal_error":
        return f"{value!r} is not one of {ctx['expected']}"
    if kind == "extra_forbidden":
        return "is not a known setting (check its spelling and camelCase)"
    if kind == "missing":
        return "is required"
    if kind == "value_error":
        return str(ctx.get("error", error["msg"]))
    if kind in ("lattice_rule", "lattice_name"):
        return error["msg"]
    return f"{value!r}: {error['msg']}" if value is not None and not isinstance(value, (dict, list)) else error["msg"]


def describe(error: ValidationError, key_prefix: str) -> list[str]:
    """One line per problem: `<key path>: <value and rule>`."""
    problems = []
    for item in error.errors():
        loc = tuple(item["loc"])
        ctx = item.get("ctx") or {}
        if item["type"] == "lattice_rule" and ctx.get("path"):
            loc = loc + tuple(_split(ctx["path"]))
        problems.append(f"{_location(loc, key_prefix)}: {_message(item)}")
    return problems


def _split(path: str) -> list[Any]:
    parts: list[Any] = []
    for token in path.split("."):
        name, *indexes = re.split(r"\[(\d+)\]", token)
        if name:
            parts.append(name)
        parts.extend(int(index) for index in indexes if index != "")
    return parts


def parse(model: type[Spec], raw: dict[str, Any], source: str, namespace: str = "lattice") -> Spec:
    """Validate a stack's config, or raise one `ConfigError` listing every problem with its key path.

    `raw` maps config keys without the namespace (`services`) to their values; `source` names the stack file.
    """
    try:
        return model.model_validate(raw)
    except ValidationError as error:
        raise ConfigError(describe(error, f"{namespace}:"), source) from None


def read_stack_config(
    model: type[Spec], source: str, namespace: str = "lattice", defaults: dict[str, Any] | None = None
) -> Spec:
    """Read every key `model` declares from the running stack's config (`pulumi.Config`) and validate it.

    `defaults` fills keys the stack file leaves out, for defaults that depend on the stack (its name).
    """
    config = pulumi.Config(namespace)
    raw: dict[str, Any] = dict(defaults or {})
    for name, field in model.model_fields.items():
        key = field.alias or name
        value = config.get(key)
        if value is None:
            continue
        # Structured values arrive as JSON text; plain strings (`lattice:account: orders`) are not JSON.
        try:
            raw[key] = json.loads(value)
        except ValueError:
            raw[key] = value
    return parse(model, raw, source, namespace)
