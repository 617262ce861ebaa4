"""Reading a stack's config and reporting every problem in it, one line each, with its key path."""

from __future__ import annotations

import difflib
import functools
import json
import re
import typing
from typing import Any

import pulumi
from pulumi.runtime import config as runtime_config
from pydantic import ValidationError

from .auth_policy_specs import stack_directory_of
from .base import Spec
from .errors import ConfigError
from .stack_file import join_key

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
        elif path.endswith(":"):
            path += str(part)
        else:
            path = join_key(path, str(part))
    return path


_SHAPES = {
    "dict_type": "a mapping (key: value)", "list_type": "a list", "string_type": "a string", "int_type": "an integer",
    "bool_type": "true or false", "model_type": "a mapping (key: value)", "model_attributes_type": "a mapping (key: value)",
    "int_parsing": "an integer", "int_from_float": "a whole number", "bool_parsing": "true or false",
    "float_type": "a number", "float_parsing": "a number",
}


def _kind_of(value: Any) -> str:
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, list):
        return "a list"
    if value is None:
        return "empty"
    return repr(value)


def _message(error: dict[str, Any]) -> str:
    kind, ctx, value = error["type"], error.get("ctx") or {}, error.get("input")
    # The Pulumi CLI (yaml.v3) reads an unquoted 012345678901 as a number: the program sees 12345678901.
    if kind == "string_type" and isinstance(value, int) and not isinstance(value, bool):
        return (f"is the number {value}, where text is expected: quote it in the stack file (\"{value}\"); unquoted, "
                "YAML reads digits as a number and drops any leading zeros")
    if kind in _SHAPES:
        return f"is {_kind_of(value)}, where {_SHAPES[kind]} is expected"
    if kind == "string_pattern_mismatch" and ctx.get("pattern") == r"^\d{12}$" and str(value).isdigit():
        return (f"{value!r} is not a 12-digit account ID; if the stack file has it unquoted with leading zeros, "
                "YAML read it as a number and dropped them: quote it")
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


def _namespaced_keys(namespace: str, project: str) -> dict[str, str]:
    """Every config key of the running stack in our namespaces, full key -> value: `namespace`, the project's
    own, and any one a typo away from `namespace` (`latice:services` is no provider's; it is ours misspelt).

    `pulumi.Config` only answers for a key one asks about. The full map is what the language host hands the
    program: `pulumi-language-python-exec` loads `PULUMI_CONFIG` (JSON) into `pulumi.runtime.config.CONFIG`
    before the program starts, and the mock monitor's `set_all_config` fills the same map.
    """
    every = {**pulumi.runtime.get_config_env(), **runtime_config.CONFIG.get()}
    return {key: value for key, value in every.items() if _ours(key.split(":", 1)[0], namespace, project)}


def _ours(space: str, namespace: str, project: str) -> bool:
    return space in (namespace, project) or difflib.SequenceMatcher(None, space, namespace).ratio() >= 0.75


def _suggestion(key: str, known: list[str], namespace: str) -> str:
    close = difflib.get_close_matches(key, known, n=1, cutoff=0.6)
    return f"; did you mean {namespace}:{close[0]}?" if close else ""


def read_raw(model: type[Spec], namespace: str = "lattice") -> tuple[dict[str, Any], list[str]]:
    """The stack's config for `model` (key without namespace -> value) and the problems found reading it.

    Problems: a key in our namespaces that `model` does not declare (a misspelt `lattice:service:` would
    otherwise drop every service of the account and plan clean), and a secret where no setting is secret.
    Our namespaces are `namespace` and the project's own (`pulumi config set services ...` without the
    `lattice:` prefix lands in `lattice-account:services`); `aws:*`, `pulumi:*` and other providers' keys are
    theirs and left alone.
    """
    known = {field.alias or name: name for name, field in model.model_fields.items()}
    project = pulumi.get_project()
    raw: dict[str, Any] = {}
    problems: list[str] = []
    for full_key, value in sorted(_namespaced_keys(namespace, project).items()):
        space, key = full_key.split(":", 1)
        if space != namespace or key not in known:
            problems.append(
                f"{full_key}: is not a setting this stack reads (it reads {', '.join(f'{namespace}:{k}' for k in sorted(known))})"
                + _suggestion(key, sorted(known), namespace)
            )
            continue
        if runtime_config.is_config_secret(full_key):
            problems.append(
                f"{full_key}: is a secret, but no lattice setting is secret and the program would store it "
                "unencrypted in resources and outputs: set it without --secret"
            )
            continue
        # Mappings and lists arrive as JSON text; a top-level scalar arrives as its text, which stays text even
        # when it reads as JSON (`lattice:deployRoleName: "2024"` is a name, not a number).
        if isinstance(value, str) and value.lstrip()[:1] in ("{", "["):
            try:
                raw[key] = json.loads(value)
                continue
            except ValueError:
                pass
        raw[key] = scalar_from_text(model.model_fields[known[key]].annotation, value)
    return raw, problems


def scalar_from_text(annotation: Any, text: Any) -> Any:
    """A top-level config scalar as its field expects it: Pulumi hands every one to the program as text
    (`lattice:shareWithOrganization: true` arrives as `"true"`), and the schema is strict. Only the spellings
    Pulumi's own `Config.get_bool` / `get_int` accept are converted; anything else stays text, so the schema
    reports it with its value (`is 'yes', where true or false is expected`)."""
    if not isinstance(text, str):
        return text
    kinds = set(typing.get_args(annotation)) | {annotation}
    if bool in kinds and text in ("true", "false"):
        return text == "true"
    if int in kinds and bool not in kinds and re.fullmatch(r"-?\d+", text):
        return int(text)
    return text


def parse(
    model: type[Spec], raw: dict[str, Any], source: str, namespace: str = "lattice", problems: list[str] | None = None
) -> Spec:
    """Validate a stack's config, or raise one `ConfigError` listing every problem with its key path.

    `raw` maps config keys without the namespace (`services`) to their values; `source` names the stack file;
    `problems` are ones already found reading it, reported with the schema's.
    """
    found = list(problems or [])
    try:
        with stack_directory_of(source):  # where `authPolicyFile` paths start
            parsed = model.model_validate(raw)
    except ValidationError as error:
        # A key already blamed while reading (a default that could not be derived) is not blamed twice.
        blamed = {problem.split(": ", 1)[0] for problem in found}
        found.extend(line for line in describe(error, f"{namespace}:") if line.split(": ", 1)[0] not in blamed)
        parsed = None
    if found or parsed is None:
        raise ConfigError(list(dict.fromkeys(found)), source)
    return parsed


def read_stack_config(
    model: type[Spec],
    source: str,
    namespace: str = "lattice",
    defaults: dict[str, Any] | None = None,
    also: list[str] | None = None,
) -> Spec:
    """Read the running stack's config (every key of our namespaces, see `read_raw`) and validate it.

    `defaults` fills keys the stack file leaves out, for defaults that depend on the stack (its name); `also`
    are problems of other keys of the same file (`region_problems`), reported in the same error.
    """
    raw, problems = read_raw(model, namespace)
    return parse(model, {**(defaults or {}), **raw}, source, namespace, [*(also or []), *problems])


def region_problems() -> list[str]:
    """What is wrong with `aws:region`: required, not a secret, and a name of one of botocore's partitions, so a
    typo is the network stack file's error rather than a failure of every resource of every account stack."""
    region = pulumi.Config("aws").get("region")
    if runtime_config.is_config_secret("aws:region"):
        return ["aws:region: is a secret, but the region is written into outputs in plain text: set it without --secret"]
    if not region:
        return ["aws:region: is required: Lattice is regional and account stacks deploy into this region"]
    if not any(re.fullmatch(pattern, region) for pattern in region_patterns()):
        return [f"aws:region: {region!r} is not an AWS region name (such as us-east-1)"]
    return []


def read_region(source: str) -> str:
    """`aws:region`, or a `ConfigError` naming `source` (see `region_problems`)."""
    problems = region_problems()
    if problems:
        raise ConfigError(problems, source)
    return str(pulumi.Config("aws").get("region"))


@functools.cache
def region_patterns() -> tuple[str, ...]:
    """The `regionRegex` of every partition botocore knows (aws, aws-cn, aws-us-gov, ...)."""
    import botocore.loaders

    endpoints = botocore.loaders.create_loader().load_data("endpoints")
    return tuple(partition["regionRegex"] for partition in endpoints["partitions"])
