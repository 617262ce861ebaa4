"""Open principals and the conditions that confine them: the policy pack's check of auth and resource policies.

A statement *opens* itself when it is not a Deny and its principal names everyone: ``"*"``, ``{"AWS": "*"}``,
a ``"*"`` inside a list, a principal with a wildcard (``arn:aws:iam::*:root``), any principal type whose value
holds a wildcard, an absent or malformed principal, or ``NotPrincipal`` (everyone not listed). Such a
statement is accepted only when one condition clause *confines* it (conditions are ANDed, so one is enough).
A clause confines when all of these hold, and anything else, including whatever is not modelled, does not:

- its operator is ``StringEquals``, ``StringEqualsIgnoreCase``, ``StringLike``, ``ArnEquals`` or ``ArnLike``,
  optionally with ``ForAnyValue:`` (false when the key is absent). Not: a negated operator
  (``StringNotEquals``, ``ArnNotLike``...: everyone else matches), ``...IfExists`` (true when the key is
  absent), ``Null`` (presence only), ``ForAllValues:`` (true on an absent or empty set), ``Bool``,
  ``Numeric*``, or an operator name IAM does not define (operator names are case-sensitive);
- its key (case-insensitive) is a confining key (`CONFINING_KEYS`, replaceable by the pack's
  ``confiningConditionKeys``): principal organization, OU path, account or ARN, source VPC, VPC endpoint, VPC
  owner account, service network ARN. Request keys (method, path, headers, port, service ARN) narrow what is
  called, not who calls;
- every value is a non-empty string (or a whole number: an account id) with no wildcard (``*``, ``?``: ``o-*``
  and ``vpc-*`` match every organization and VPC; a literal ``*`` under StringEquals is refused as well) and
  no policy variable (``${aws:PrincipalAccount}`` takes the caller's own value). One exception, AWS's
  documented idiom: an ``aws:PrincipalOrgPaths`` value that is a concrete path ending in a single ``*``
  (``o-a1b2c3d4e5/r-ab12/ou-ab12-11111111/*``: that OU and everything below it) confines.

The operators come from `document.parse_operator`, the evaluator's own table, so the access matrix and the
pack read a condition the same way.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from .document import OPERATORS, PolicyDocument, as_list, has_wildcard, parse_document, parse_operator, scalar, statements_of


CONFINING_KEYS = (
    "aws:PrincipalOrgID",
    "aws:PrincipalOrgPaths",
    "aws:PrincipalAccount",
    "aws:PrincipalArn",
    "aws:SourceVpc",
    "aws:SourceVpce",
    "vpc-lattice-svcs:SourceVpc",
    "vpc-lattice-svcs:SourceVpcOwnerAccount",
    "vpc-lattice-svcs:ServiceNetworkArn",
)
"""Condition keys that name who calls or where from: an organization (or OU path), an account, a principal,
a VPC or endpoint, a service network. A key absent from a request fails a positive operator, so listing a key
Lattice does not send (aws:SourceVpc) can only deny more, never open."""
# AWS's documented idiom for "this organization, or this OU and everything below it": one concrete path, then
# a single trailing `*` (`o-a1b2c3d4e5/r-ab12/ou-ab12-11111111/*`). Nothing else with a wildcard confines.
_ORG_PATHS = "aws:principalorgpaths"
_SUBTREE = re.compile(r"o-[a-z0-9]{10,32}/(?:[a-z0-9-]+/)*\*")
_CONFINING_OPERATORS = frozenset({"StringEquals", "StringEqualsIgnoreCase", "StringLike", "ArnEquals", "ArnLike"})


@dataclass(frozen=True)
class OpenGrant:
    """An Allow statement that grants to an open principal with no condition confining it."""

    index: int
    sid: str | None
    principal: str  # how the statement opens itself: 'Principal "*"', 'NotPrincipal', ...
    reasons: tuple[str, ...]  # why no condition confines it


def open_principal(statement: Mapping[str, Any]) -> str | None:
    """How `statement` names everyone (``"*"``, ``{"AWS": "*"}``, a wildcard ARN, NotPrincipal), or None."""
    if "NotPrincipal" in statement:
        return "NotPrincipal (everyone not listed)"
    principal = statement.get("Principal")
    if isinstance(principal, str):
        # any other string is a grammar problem (`document.statement_grammar`), not a grant to everyone
        return f"Principal {principal!r}" if has_wildcard(principal) else None
    if isinstance(principal, Mapping):
        for kind, entries in principal.items():
            for entry in as_list(entries):
                if not isinstance(entry, str) or has_wildcard(entry):
                    return f"Principal {{{kind!r}: {entry!r}}}"
        return None
    return f"Principal {principal!r}"  # absent or malformed: nothing names who, so nothing limits who


def _why_not_confining(operator_name: str, key: str, values: Any, keys: frozenset[str]) -> str | None:
    """None when this one condition clause pins callers to concrete values, else why it does not."""
    operator = parse_operator(operator_name)
    if operator is None:
        return "an operator this evaluator does not model (operator names are case-sensitive)"
    if operator.set_operator == "ForAllValues":
        return "ForAllValues holds when the key is absent or empty"
    if operator.if_exists:
        return "...IfExists holds when the key is absent (an anonymous or outside caller)"
    if operator.base not in _CONFINING_OPERATORS:
        negated = operator.base == "Null" or OPERATORS[operator.base][1]
        return "a negated or presence-only operator matches every other value" if negated else (
            f"{operator.base} does not compare an identity")
    if key.lower() not in keys:
        return "the key does not name who calls or from where"
    if not as_list(values):
        return "no values"
    for value in as_list(values):
        text = scalar(value) if not isinstance(value, (bool, float)) else None  # an account id may be a number
        if not text:
            return f"value {value!r} is not an account, organization, principal, VPC or network identifier"
        if "${" in text:
            return f"policy variable in {text!r} takes the caller's own value"
        if has_wildcard(text) and operator.base.startswith("StringEquals"):
            return f"{text!r} is compared literally by {operator.base}: a pattern was meant, so write the exact values"
        if has_wildcard(text) and not (key.lower() == _ORG_PATHS and _SUBTREE.fullmatch(text)):
            return f"wildcard in {text!r} matches more than one account, organization, VPC or network"
    return None


def confinement(statement: Mapping[str, Any], confining_keys: Iterable[str] = CONFINING_KEYS) -> tuple[bool, list[str]]:
    """(confined, reasons): whether some condition clause of `statement` pins its callers to concrete values.

    Conditions are ANDed, so one confining clause confines the statement; reasons say, per clause, why it
    does not (or which clause does). Anything not modelled here does not confine.
    """
    keys = frozenset(key.lower() for key in confining_keys)
    condition = statement.get("Condition")
    if not isinstance(condition, Mapping) or not condition:
        return False, ["no Condition"]
    reasons = []
    for operator_name, clauses in condition.items():
        for key, values in (clauses.items() if isinstance(clauses, Mapping) else [("?", None)]):
            why = _why_not_confining(operator_name, key, values, keys)
            if why is None:
                return True, [f"{operator_name} {key} confines it"]
            reasons.append(f"{operator_name} {key}: {why}")
    return False, reasons


def open_principal_findings(
    document: PolicyDocument, confining_keys: Iterable[str] = CONFINING_KEYS
) -> list[OpenGrant]:
    """Every statement of `document` that is not a Deny and grants to an open principal unconfined.

    A statement whose Effect is not exactly ``Deny`` counts as an Allow here (a misspelt Effect is a grammar
    problem, and must not also hide an open grant). A document that does not parse has no statements here:
    `document.parse_document` reports why.
    """
    parsed, problems = parse_document(document)
    statements, _ = statements_of(parsed) if not problems else ([], [])
    found = []
    for index, statement in enumerate(statements):
        if not isinstance(statement, Mapping) or statement.get("Effect") == "Deny":
            continue
        principal = open_principal(statement)
        if principal is None:
            continue
        confined, reasons = confinement(statement, confining_keys)
        if not confined:
            sid = statement.get("Sid") if isinstance(statement.get("Sid"), str) else None
            found.append(OpenGrant(index, sid, principal, tuple(reasons)))
    return found


def wildcard_actions(statement: Mapping[str, Any]) -> list[str]:
    """The action patterns of `statement` that grant more than named actions: any wildcard, or NotAction."""
    if "NotAction" in statement:
        return [f"NotAction {statement['NotAction']!r}"]
    return [a for a in as_list(statement.get("Action")) if not isinstance(a, str) or has_wildcard(a)]
