"""Values as the engine and the provider see them: plain data, the unknowns of preview, numbers and strings as
the provider coerces them, and the model's regular expressions in words."""

from __future__ import annotations

import collections.abc
import functools
import json
import re
from collections.abc import Mapping
from typing import Any

from pulumi.output import Output, Unknown
from pulumi.runtime.rpc import is_rpc_secret, unwrap_rpc_secret

# pulumi-policy's typed "unknown during preview" sentinels (pulumi_policy/proxy.py); the string one is also the
# wire value the engine and the SDK's mocks use. Copied so this module imports without pulumi-policy.
UNKNOWN_SENTINELS = frozenset(
    {
        "04da6b54-80e4-46f7-96ec-b56ff0331ba9",  # string (and pulumi.runtime.rpc.UNKNOWN)
        "1c4a061d-8072-4f0a-a4cb-0ff528b18fe7",  # boolean
        "3eeb2bf0-c639-47a8-9e75-3b44932eb421",  # number
        "6a19a0b0-7e62-4c92-b797-7f8e31da9cc2",  # array
        "030794c1-ac77-496b-92df-f27374a8bd58",  # asset
        "e48ece36-62e2-4504-bad9-02848725956a",  # archive
        "dd056dcd-154b-4c76-9bd3-c8f88648b5ff",  # object
    }
)



_PLAIN_SCALARS = frozenset({str, int, float, bool, type(None)})
_NEVER_UNKNOWN = frozenset({dict, list, tuple, int, float, bool})


def is_unknown(value: Any) -> bool:
    """True for a value the engine does not know yet (or a value a mock left unset)."""
    kind = type(value)
    if kind is str:
        return value in UNKNOWN_SENTINELS
    if value is None:
        return True
    if kind in _NEVER_UNKNOWN:  # the common cases first: every value of every resource passes here
        return False
    if isinstance(value, str):
        return value in UNKNOWN_SENTINELS
    return isinstance(value, (Unknown, Output))


def plain(value: Any) -> Any:
    """Engine inputs as plain dicts, lists and scalars: secrets unwrapped, unknowns kept as they are.

    pulumi-policy's `args.props` is a proxy that raises on the first unknown it hands out; reading its
    `"__target"` (as pulumi-policy's own serializer does) gets past it without tripping that check.
    """
    kind = type(value)
    if kind in _PLAIN_SCALARS:  # exact built-in types first: the ABC checks below cost more than the copy
        return value
    if kind is dict and not is_rpc_secret(value):
        return {key: plain(item) for key, item in value.items()}
    if kind is list:
        return [plain(item) for item in value]
    if is_rpc_secret(value):
        return plain(unwrap_rpc_secret(value))
    if isinstance(value, (Mapping, collections.abc.Sequence)) and not isinstance(value, (dict, list, tuple, str)):
        try:
            value = value["__target"]  # type: ignore[index]
        except (KeyError, IndexError, TypeError):
            pass
    if isinstance(value, Mapping):
        return {key: plain(item) for key, item in value.items()}
    if isinstance(value, (list, tuple)):
        return [plain(item) for item in value]
    return value


def as_int(value: Any) -> int | None:
    """A whole number as the provider would read it (the engine sends every number as a float)."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, str) and re.fullmatch(r"\s*-?\d+\s*", value):  # the bridge coerces numeric strings
        return int(value)
    return None


def as_str(value: Any) -> str | None:
    if isinstance(value, str):
        return value
    if isinstance(value, bool):  # the bridge coerces scalars to strings where the schema says string
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        number = as_int(value)
        return str(number) if number is not None else str(value)
    return None


def shown(value: Any) -> str:
    if isinstance(value, str):
        return repr(value if len(value) <= 100 else value[:97] + "...")
    number = as_int(value) if isinstance(value, float) else None
    return str(number) if number is not None else repr(value)


def counted(count: int, noun: str) -> str:
    return f"{count} {noun}" if count == 1 else f"{count} {noun}s"


def words_of(identifier: str) -> str:
    """`targetGroup` -> `target group`."""
    return re.sub(r"(?<!^)([A-Z])", r" \1", identifier).lower()


def type_noun(type_token: str) -> str:
    return words_of(type_token.split(":")[1].split("/")[1])


# --------------------------------------------------------------------------------------------------------------
# Patterns in words
# --------------------------------------------------------------------------------------------------------------

_NAME_PATTERN = re.compile(
    r"^(?P<prefixes>(?:\(\?![a-z0-9]+-\))*)\(\?!\[-\]\)\(\?!\.\*\[-\]\$\)\(\?!\.\*\[-\]\{2\}\)\[a-z0-9-\]\+$"
)


def pattern_hint(pattern: str) -> str | None:
    """A platform engineer's reading of one of the model's regular expressions, when we recognize its form."""
    name = _NAME_PATTERN.match(pattern)
    if name:
        prefixes = re.findall(r"\(\?!([a-z0-9]+-)\)", name.group("prefixes"))
        hint = "lowercase letters, digits and single hyphens, no hyphen first or last"
        return hint + "".join(f"; may not start with {prefix!r}" for prefix in prefixes)
    short_id = re.fullmatch(r"([a-z]+)-\(\(\[0-9a-z\]\{(\d+)\}\)\|\(\[0-9a-z\]\{(\d+)\}\)\)", pattern)
    if short_id:
        return (
            f"'{short_id.group(1)}-' followed by {short_id.group(2)} or {short_id.group(3)} lowercase letters or digits"
        )
    # Resource IDs: an alternative that starts with `svc-` (or `((sn)|(svc)|(rcfg))-`) and 17 characters.
    prefixes = re.findall(r"(?:^|[(|])([a-z]+)-\[[^\]]+\]\{17\}", pattern)
    for group in re.findall(r"(?:^|[(|])\(\(([a-z]+)\)((?:\|\([a-z]+\))+)\)-\[", pattern):
        prefixes += [group[0], *re.findall(r"[a-z]+", group[1])]
    if prefixes:
        ids = " or ".join(f"{prefix}-" for prefix in sorted(dict.fromkeys(prefixes), key=pattern.find))
        arn = ", or its ARN" if "arn" in pattern else ""
        return f"an ID {ids} followed by 17 lowercase letters or digits{arn}"
    arn_kinds = re.findall(r"\(([a-z]+)/[a-z]+\)|([a-z]+)/[a-z]+-\[", pattern)
    arn_kinds = [paired or single for paired, single in arn_kinds]
    if pattern.startswith("arn") and arn_kinds:
        kinds = list(dict.fromkeys(arn_kinds))
        listed = kinds[0] if len(kinds) == 1 else f"{', '.join(kinds[:-1])} or {kinds[-1]}"
        return f"the ARN of a {listed}"
    if "/[a-zA-Z0-9@:%_+.~#?&/=-]*" in pattern:
        return "a path starting with '/', using letters, digits and @:%_+.~#?&/=-"
    if "[0-9-,]+" in pattern:
        return "HTTP codes: digits, commas and hyphens, e.g. '200', '200,204' or '200-299'"
    if r"\d{1,5}\-\d{1,5}" in pattern:
        return "a port such as '443' or a port range such as '8000-8080'"
    if pattern.lstrip("(").startswith("arn"):
        return "an ACM certificate ARN" if "certificate/" in pattern else "an ARN"
    if pattern == r".*\S.*":
        return "text that is not blank"
    return None


@functools.lru_cache(maxsize=512)
def compiled_pattern(pattern: str) -> re.Pattern[str] | None:
    """A model pattern compiled as the service reads it, or None if Python cannot compile it."""
    try:
        return re.compile(pattern, re.ASCII)  # the service's \d and \w are ASCII-only
    except re.error:
        return None  # tests/test_model.py compiles every pattern in the model, so this stays theoretical


def pattern_fullmatch(pattern: str, value: str) -> bool:
    """Whether `value` matches the whole model pattern (the model's patterns are unanchored; some alternatives
    carry their own `^...$`, which a whole-string match honours)."""
    compiled = compiled_pattern(pattern)
    return compiled is None or compiled.fullmatch(value) is not None


def compact_json(document: Any) -> str:
    """A JSON document as the provider sends it: compact, no whitespace between tokens."""
    return json.dumps(document, separators=(",", ":"), ensure_ascii=False)
