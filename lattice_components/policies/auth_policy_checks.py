"""Checks of a Lattice auth policy document (`aws:vpclattice/authPolicy:AuthPolicy`, property `policy`).

An auth policy is the only thing between an AWS_IAM service and every principal that can reach it, so the
pack refuses documents that do not parse, use an old policy language version, exceed the quota, or allow
anyone (`Principal: "*"`) without a condition that confines who "anyone" can be.
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Mapping
from typing import Any

from .policy_inputs import Resource, lookup

AUTH_POLICY = "aws:vpclattice/authPolicy:AuthPolicy"
POLICY_LANGUAGE_VERSION = "2012-10-17"
# A service quota, not an API-model limit: the model's AuthPolicyString max (102,400) is looser than the
# fixed 10 KB quota of the General Reference, so this is the one number the model cannot give us.
MAX_POLICY_BYTES = 10 * 1024

# Condition keys that pin "everyone" down to an organisation, an account, a VPC or a service network.
DEFAULT_CONFINING_KEYS = (
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
# Operators that only match listed values. Excluded on purpose: Not* (matches everything else), *IfExists
# (passes when the key is absent, e.g. for anonymous callers), Null, and ForAllValues (true on an empty set).
_POSITIVE_OPERATORS = frozenset({"stringequals", "stringequalsignorecase", "stringlike", "arnequals", "arnlike"})
_WILDCARD_ACTIONS = frozenset({"*", "vpc-lattice-svcs:*"})


def _as_list(value: Any) -> list[Any]:
    if value is None:
        return []
    return list(value) if isinstance(value, list) else [value]


def _allows_everyone(statement: Mapping[str, Any]) -> bool:
    """Principal "*", {"AWS": "*"} (or a list holding "*"), or an Allow with NotPrincipal."""
    if "NotPrincipal" in statement:
        return True
    principal = statement.get("Principal")
    if principal == "*":
        return True
    if isinstance(principal, Mapping):
        return "*" in _as_list(principal.get("AWS"))
    return False


def _broad_actions(statement: Mapping[str, Any]) -> list[str]:
    """The wildcard actions a statement grants (NotAction counts: it grants everything not listed)."""
    if "NotAction" in statement:
        return ["NotAction " + json.dumps(statement["NotAction"])]
    return [a for a in _as_list(statement.get("Action")) if isinstance(a, str) and a.lower() in _WILDCARD_ACTIONS]


def _is_confined(condition: Any, confining_keys: set[str]) -> bool:
    """True when some positive operator pins a confining key to concrete (non-"*") values."""
    if not isinstance(condition, Mapping):
        return False
    for operator, clauses in condition.items():
        base = str(operator).lower().removeprefix("foranyvalue:")
        if base not in _POSITIVE_OPERATORS or not isinstance(clauses, Mapping):
            continue
        for key, values in clauses.items():
            values = _as_list(values)
            if str(key).lower() in confining_keys and values and "*" not in values:
                return True
    return False


def check_auth_policy_document(resource: Resource, config: Mapping[str, Any]) -> Iterator[str]:
    """The `policy` JSON parses, is Version 2012-10-17, fits 10 KB and never opens the service to everyone."""
    raw = lookup(resource.props, "policy")
    if raw is None:
        yield f"{resource.label}: has no policy document; set policy=json.dumps({{...}})."
        return
    text = raw if isinstance(raw, str) else json.dumps(raw)
    try:
        document = json.loads(text)
    except ValueError as error:
        yield f"{resource.label}: policy is not valid JSON ({error}); build it with json.dumps(...) from a dict."
        return
    size = len(text.encode("utf-8"))
    if size > MAX_POLICY_BYTES:
        yield (
            f"{resource.label}: policy is {size} bytes, over the fixed VPC Lattice quota of {MAX_POLICY_BYTES} "
            "bytes; merge statements or grant by condition (aws:PrincipalOrgID) instead of listing principals."
        )
    if not isinstance(document, Mapping):
        yield f"{resource.label}: policy must be a JSON object with Version and Statement."
        return
    if document.get("Version") != POLICY_LANGUAGE_VERSION:
        yield (
            f"{resource.label}: policy Version is {document.get('Version')!r}; set \"Version\": "
            f"\"{POLICY_LANGUAGE_VERSION}\" (older versions do not support policy variables)."
        )
    statements = _as_list(document.get("Statement"))
    if not statements:
        yield f"{resource.label}: policy has no Statement, so it allows nothing; add at least one statement."
    confining_keys = {key.lower() for key in config.get("confiningConditionKeys") or DEFAULT_CONFINING_KEYS}
    for index, statement in enumerate(statements):
        if not isinstance(statement, Mapping) or statement.get("Effect") != "Allow":
            continue
        if not _allows_everyone(statement):
            continue
        sid = f"statement {statement.get('Sid')!r}" if statement.get("Sid") else f"statement #{index}"
        broad = _broad_actions(statement)
        if broad:
            yield (
                f"{resource.label}: {sid} allows {', '.join(broad)} to everyone (Principal \"*\"); grant only "
                "vpc-lattice-svcs:Invoke (HTTP) or vpc-lattice-svcs:Connect (TCP) to the principals that need it."
            )
        if not _is_confined(statement.get("Condition"), confining_keys):
            yield (
                f"{resource.label}: {sid} allows Principal \"*\" with no condition that confines the callers; add "
                "for example \"Condition\": {\"StringEquals\": {\"aws:PrincipalOrgID\": \"o-...\"}} or pin "
                "vpc-lattice-svcs:SourceVpc / vpc-lattice-svcs:ServiceNetworkArn, or name the principals."
            )
