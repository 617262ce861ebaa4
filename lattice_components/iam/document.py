"""An IAM policy document as IAM reads it: strict JSON, the policy grammar, and IAM's wildcards.

The evaluator (`evaluator.py`) and the policy pack both start here, so a document the pack calls valid is the
one the access matrix evaluates. What IAM itself rejects (and therefore what `PutAuthPolicy` /
`PutResourcePolicy` would refuse) is a *grammar* problem:

- a JSON object that repeats a key (Python's `json` keeps the last copy silently; IAM refuses the document);
- a top-level element other than ``Version``, ``Id``, ``Statement``; a statement element other than ``Sid``,
  ``Effect``, ``Principal``, ``NotPrincipal``, ``Action``, ``NotAction``, ``Resource``, ``NotResource``,
  ``Condition``. Element names are case-sensitive (``"effect"`` is not ``Effect``);
- ``Effect`` other than exactly ``Allow`` or ``Deny`` (``"allow"`` is refused);
- a statement without exactly one of Action/NotAction, of Resource/NotResource, and, in a resource-based
  policy, of Principal/NotPrincipal; a principal that is not ``"*"`` or an object of principal types
  (``AWS``, ``Service``, ``Federated``, ``CanonicalUser``, case-sensitive) mapping to strings;
- a ``Condition`` that is not an object of operators, each an object of keys to a value or a list of values.

Action names and condition key names are compared case-insensitively (IAM does); ``*`` and ``?`` are IAM's
wildcards in actions, resources and the values of ``...Like`` / ``Arn...`` operators.

The condition operators this package models (`OPERATORS`, read by `parse_operator`: the base operator, an
optional ``IfExists`` suffix, an optional ``ForAnyValue:`` / ``ForAllValues:`` prefix; names case-sensitive)
are the one table both the evaluator and `confinement.py` use; any other operator name is "not modelled".
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

TOP_LEVEL_ELEMENTS = frozenset({"Version", "Id", "Statement"})
STATEMENT_ELEMENTS = frozenset(
    {"Sid", "Effect", "Principal", "NotPrincipal", "Action", "NotAction", "Resource", "NotResource", "Condition"}
)
PRINCIPAL_TYPES = frozenset({"AWS", "Service", "Federated", "CanonicalUser"})
POLICY_VERSIONS = ("2012-10-17", "2008-10-17")

PolicyDocument = str | Mapping[str, Any]
"""An IAM policy as the stacks generate it: the JSON text or the parsed object."""


class DuplicateKeys(ValueError):
    """The JSON text repeats a key inside one object."""


def as_list(value: Any) -> list[Any]:
    return list(value) if isinstance(value, list) else [value]


@lru_cache(maxsize=4096)
def _compiled_glob(pattern: str, ignore_case: bool) -> re.Pattern[str]:
    # IAM wildcards: * any run of characters (also empty, also across "/" and ":"), ? exactly one character
    body = "".join(".*" if c == "*" else "." if c == "?" else re.escape(c) for c in pattern)
    return re.compile(body, re.DOTALL | (re.IGNORECASE if ignore_case else 0))


def glob(pattern: str, value: str, ignore_case: bool = False) -> bool:
    return _compiled_glob(pattern, ignore_case).fullmatch(value) is not None


def has_wildcard(text: str) -> bool:
    return "*" in text or "?" in text


# --- condition operators: the ones IAM defines and this package models ---------------------------

def _arn_like(pattern: str, value: str) -> bool:
    # IAM checks each of the six colon-separated ARN parts on its own; ArnEquals takes wildcards too
    pattern_parts, value_parts = pattern.split(":", 5), value.split(":", 5)
    if len(pattern_parts) != 6 or len(value_parts) != 6:
        return glob(pattern, value)
    return all(glob(p, v) for p, v in zip(pattern_parts, value_parts))


def number(text: str) -> float | None:
    try:
        return float(text)
    except ValueError:
        return None


def _numeric(compare: Callable[[float, float], bool]) -> Callable[[str, str], bool]:
    def match(value: str, policy_value: str) -> bool:
        left, right = number(value), number(policy_value)
        return left is not None and right is not None and compare(left, right)

    return match


# operator -> (does one request value match one policy value, negated)
OPERATORS: dict[str, tuple[Callable[[str, str], bool], bool]] = {
    "StringEquals": (lambda v, p: v == p, False),
    "StringNotEquals": (lambda v, p: v == p, True),
    "StringEqualsIgnoreCase": (lambda v, p: v.lower() == p.lower(), False),
    "StringNotEqualsIgnoreCase": (lambda v, p: v.lower() == p.lower(), True),
    "StringLike": (lambda v, p: glob(p, v), False),
    "StringNotLike": (lambda v, p: glob(p, v), True),
    "ArnEquals": (lambda v, p: _arn_like(p, v), False),
    "ArnLike": (lambda v, p: _arn_like(p, v), False),
    "ArnNotEquals": (lambda v, p: _arn_like(p, v), True),
    "ArnNotLike": (lambda v, p: _arn_like(p, v), True),
    "NumericEquals": (_numeric(lambda a, b: a == b), False),
    "NumericNotEquals": (_numeric(lambda a, b: a == b), True),
    "NumericLessThan": (_numeric(lambda a, b: a < b), False),
    "NumericLessThanEquals": (_numeric(lambda a, b: a <= b), False),
    "NumericGreaterThan": (_numeric(lambda a, b: a > b), False),
    "NumericGreaterThanEquals": (_numeric(lambda a, b: a >= b), False),
    "Bool": (lambda v, p: v.lower() == p.lower(), False),
}


@dataclass(frozen=True)
class Operator:
    base: str
    set_operator: str | None  # "ForAnyValue" / "ForAllValues"
    if_exists: bool


def parse_operator(name: str) -> Operator | None:
    set_operator, _, base = name.rpartition(":")
    if set_operator not in ("", "ForAnyValue", "ForAllValues"):
        return None
    if_exists = base.endswith("IfExists") and base != "IfExists"
    if if_exists:
        base = base[: -len("IfExists")]
    if base not in OPERATORS and not (base == "Null" and not if_exists):
        return None
    return Operator(base, set_operator or None, if_exists)


def scalar(value: Any) -> str | None:
    """Condition values as IAM compares them: strings; JSON booleans and numbers by their JSON text."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float, str)):
        return str(value)
    return None


def _refuse_duplicates(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    seen: dict[str, Any] = {}
    for key, value in pairs:
        if key in seen:
            raise DuplicateKeys(f"the key {key!r} appears twice in one object (IAM refuses such a document)")
        seen[key] = value
    return seen


def parse_document(policy: PolicyDocument) -> tuple[Any, list[str]]:
    """(parsed document, problems): JSON text parsed as IAM parses it, refusing duplicate keys.

    A mapping is taken as already parsed (its keys cannot repeat). On a problem the document is None.
    """
    if not isinstance(policy, str):
        return policy, []
    try:
        return json.loads(policy, object_pairs_hook=_refuse_duplicates), []
    except DuplicateKeys as error:
        return None, [str(error)]
    except ValueError as error:
        return None, [f"not valid JSON ({error})"]


def statements_of(document: Any) -> tuple[list[Any], list[str]]:
    """The raw entries of ``Statement`` (each may be malformed) and the problems of the document's top level."""
    if not isinstance(document, Mapping):
        return [], ["a policy must be a JSON object with Version and Statement"]
    problems = [f"unknown top-level element {key!r} (element names are case-sensitive)"
                for key in document if key not in TOP_LEVEL_ELEMENTS]
    if "Version" in document and document["Version"] not in POLICY_VERSIONS:
        problems.append(f"Version {document['Version']!r} is not one of {', '.join(POLICY_VERSIONS)}")
    if "Statement" not in document:
        return [], problems + ["has no Statement"]
    return as_list(document["Statement"]), problems


def grammar_problems(document: Any, *, resource_policy: bool = True) -> list[str]:
    """What IAM refuses in `document` (parsed): see the module docstring. [] = IAM accepts its shape."""
    statements, problems = statements_of(document)
    for index, statement in enumerate(statements):
        problems += [f"statement {index}: {p}" for p in statement_grammar(statement, resource_policy)]
    return problems


def statement_grammar(statement: Any, resource_policy: bool = True) -> list[str]:
    if not isinstance(statement, Mapping):
        return [f"must be an object, not {statement!r}"]
    problems = [f"unknown element {k!r} (element names are case-sensitive)"
                for k in statement if k not in STATEMENT_ELEMENTS]
    if statement.get("Effect") not in ("Allow", "Deny"):
        problems.append(f"Effect must be exactly Allow or Deny, not {statement.get('Effect')!r}")
    pairs = [("Action", "NotAction"), ("Resource", "NotResource")]
    if resource_policy:
        pairs.append(("Principal", "NotPrincipal"))
    elif "Principal" in statement or "NotPrincipal" in statement:
        problems.append("an identity-based policy takes no Principal")
    for positive, negative in pairs:
        if (positive in statement) == (negative in statement):
            problems.append(f"needs exactly one of {positive} and {negative}")
    for element in ("Action", "NotAction", "Resource", "NotResource"):
        if element in statement and not _strings(statement[element]):
            problems.append(f"{element} must be a string or a list of strings")
    for element in ("Principal", "NotPrincipal"):
        if element in statement:
            problems += _principal_grammar(element, statement[element])
    if "Sid" in statement and not isinstance(statement["Sid"], str):
        problems.append("Sid must be a string")
    if "Condition" in statement:
        problems += _condition_grammar(statement["Condition"])
    return problems


def _strings(value: Any) -> bool:
    values = as_list(value)
    return bool(values) and all(isinstance(v, str) for v in values)


def _principal_grammar(element: str, principal: Any) -> list[str]:
    if principal == "*":
        return []
    if not isinstance(principal, Mapping) or not principal:
        return [f"{element} must be \"*\" or an object such as {{\"AWS\": [...]}}, not {principal!r}"]
    problems = [f"unknown principal type {k!r} in {element} (AWS, Service, Federated or CanonicalUser)"
                for k in principal if k not in PRINCIPAL_TYPES]
    problems += [f"{element} {k} must be a string or a list of strings"
                 for k, v in principal.items() if k in PRINCIPAL_TYPES and not _strings(v)]
    return problems


def _condition_grammar(condition: Any) -> list[str]:
    if not isinstance(condition, Mapping):
        return ["Condition must be an object of operators"]
    problems = []
    for operator, clauses in condition.items():
        if not isinstance(clauses, Mapping) or not clauses:
            problems.append(f"Condition {operator} must map condition keys to values")
            continue
        for key, values in clauses.items():
            if not all(isinstance(v, (str, int, float, bool)) for v in as_list(values)) or values == []:
                problems.append(f"Condition {operator} {key}: values must be strings, numbers or booleans")
    return problems
