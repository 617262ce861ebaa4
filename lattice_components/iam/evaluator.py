"""IAM policy evaluation for VPC Lattice auth policies: one request against one policy document.

Used by the access matrix (`lattice_components.tools.access`); the policy pack reads the same documents through
the same parser and operator table (`document.py`) and judges open principals with `confinement.py`, so the
two can never disagree on what a policy says.

Inside one policy: an explicit Deny wins, otherwise one matching Allow is needed, otherwise implicit deny.

Nothing is guessed: a policy with an element, operator or condition key outside the supported set, or a
statement that depends on a request value the caller did not give (method, path, headers, port, source IP),
yields an undetermined verdict (None) with the reason, never a silent allow.

Parsing (`document.py`): the JSON text is read as IAM reads it, so a repeated key makes the document invalid
instead of the last copy winning; element names (``Statement``, ``Effect``, ``Principal``...) and the values
``Allow``/``Deny`` are case-sensitive, action names and condition key names are not
(``VPC-LATTICE-SVCS:invoke`` is Invoke; ``*`` and ``vpc-lattice-svcs:*`` cover it).

Supported policy grammar
  Effect Allow/Deny; Principal ``"*"``, ``{"AWS": "*"}`` or ``{"AWS": [role/user ARNs, 12-digit account ids,
  arn:aws:iam::ACCT:root]}`` (other principal types are valid and match no IAM caller; principals with
  wildcards are reported as not evaluable); NotPrincipal in a Deny without Principal (it denies everyone but
  the listed principals; a caller is matched by its role ARN); Action/NotAction and Resource/NotResource with
  ``*``/``?`` wildcards; condition operators String[Not]Equals[IgnoreCase], String[Not]Like, Arn[Not]Equals,
  Arn[Not]Like, Numeric{Equals,NotEquals,LessThan,LessThanEquals,GreaterThan,GreaterThanEquals}, Bool, Null,
  each with the ``IfExists`` suffix (not Null) and the ``ForAnyValue:``/``ForAllValues:`` prefixes (operator
  names are case-sensitive: ``stringequals`` is not modelled); condition keys in ``CONDITION_KEYS`` plus
  ``vpc-lattice-svcs:RequestHeader/<name>`` and ``vpc-lattice-svcs:RequestQueryString/<key>`` and ``aws:PrincipalTag/<key>`` (from `Caller.tags`); policy
  variables (``${...}``) are not modelled.

Semantics of missing keys (IAM user guide, condition operators): a positive operator fails, a negated one
holds, ``...IfExists`` and ``ForAllValues:`` hold, ``ForAnyValue:`` fails, ``Null`` tests presence.

Resource of a request (Service Authorization Reference, Amazon VPC Lattice Services): ``Invoke`` acts on
``<service ARN>/<request path>`` (``.../service/svc-123/orders``), ``Connect`` on the service ARN.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from .document import (
    OPERATORS,
    PolicyDocument,
    as_list,
    glob,
    grammar_problems,
    number,
    parse_operator,
    parse_document,
    scalar,
    statements_of,
)

ACTION_INVOKE = "vpc-lattice-svcs:Invoke"
ACTION_CONNECT = "vpc-lattice-svcs:Connect"
AUTH_NONE = "NONE"
AUTH_IAM = "AWS_IAM"

@dataclass(frozen=True)
class Caller:
    """Who sends the request and from where.

    principal_arn: the IAM role or user whose credentials sign the request
        (``arn:aws:iam::123456789012:role/FrontendAppRole``); None for an unsigned (anonymous) request.
        For a role session this is the role ARN, which is what ``aws:PrincipalArn`` holds.
    vpc_id: the VPC the request leaves from.
    account: the principal's account; default: read from `principal_arn`.
    org_id: the principal's AWS Organizations id (``aws:PrincipalOrgID``); None = not in an organization.
    vpc_owner_account: owner of `vpc_id` (``SourceVpcOwnerAccount``); default: `account`.
    source_ip: the client's private IP, for security group rules by CIDR; None = unknown.
    security_group_ids: security groups of the client ENI, for rules that reference a security group.
    identity_policy: the principal's identity-based policy; None = not modelled, assumed to allow.
    name: label in the access matrix; default: the role name.
    """

    principal_arn: str | None
    vpc_id: str
    account: str | None = None
    org_id: str | None = None
    vpc_owner_account: str | None = None
    source_ip: str | None = None
    security_group_ids: tuple[str, ...] = ()
    identity_policy: PolicyDocument | None = None
    name: str | None = None
    tags: Mapping[str, str] | None = None
    """The principal's tags (``aws:PrincipalTag/<key>``); None = not modelled, so a statement that reads
    them cannot be evaluated; {} = the principal has no tags."""

    @property
    def account_id(self) -> str | None:
        if self.account:
            return self.account
        parts = (self.principal_arn or "").split(":")
        return parts[4] if len(parts) > 5 and parts[4] else None

    @property
    def label(self) -> str:
        if self.name:
            return self.name
        if self.principal_arn is None:
            return "anonymous"
        return self.principal_arn.rsplit("/", 1)[-1]



@dataclass(frozen=True)
class Request:
    """One request through one service network.

    action: ``vpc-lattice-svcs:Invoke`` (HTTP) or ``vpc-lattice-svcs:Connect`` (TCP).
    method, path, headers, query: the HTTP request (Invoke only); None = not given, which makes any
        statement that depends on it not evaluable rather than guessed.
    port: listener port; None = every listener of the service whose protocol fits the action.
    """

    caller: Caller
    service_network_arn: str
    service_arn: str
    action: str = ACTION_INVOKE
    method: str | None = None
    path: str | None = None
    port: int | None = None
    headers: Mapping[str, str] | None = None
    query: Mapping[str, str] | None = None
    secure_transport: bool | None = None
    """``aws:SecureTransport``: the request arrived over TLS (an HTTPS or TLS_PASSTHROUGH listener); None =
    not known."""


# --- request context ------------------------------------------------------------------------------

CONDITION_KEYS = frozenset(
    {
        "aws:principalorgid",
        "aws:principalaccount",
        "aws:principalarn",
        "aws:principaltype",
        "vpc-lattice-svcs:servicenetworkarn",
        "vpc-lattice-svcs:servicearn",
        "vpc-lattice-svcs:sourcevpc",
        "vpc-lattice-svcs:sourcevpcowneraccount",
        "vpc-lattice-svcs:port",
        "vpc-lattice-svcs:requestmethod",
        "vpc-lattice-svcs:requestpath",
        "aws:securetransport",
    }
)
"""Condition keys the evaluator knows, lower-cased (IAM compares key names case-insensitively)."""
_HEADER_PREFIX = "vpc-lattice-svcs:requestheader/"
_TAG_PREFIX = "aws:principaltag/"
_QUERY_PREFIX = "vpc-lattice-svcs:requestquerystring/"


class _Unknown:
    """A key the real request always carries but the modelled request left out (method, path, ...)."""

    def __repr__(self) -> str:
        return "<not given>"


UNKNOWN = _Unknown()


def _principal_type(arn: str | None) -> str:
    if arn is None:
        return "Anonymous"
    resource = arn.split(":", 5)[-1]
    if resource == "root":
        return "Account"
    return "User" if resource.startswith("user/") else "AssumedRole"


def _context(request: Request, port: int | None) -> dict[str, Any]:
    """Lower-cased condition key -> value, UNKNOWN, or missing (the key is absent from the request)."""
    caller = request.caller
    invoke = request.action == ACTION_INVOKE
    ctx: dict[str, Any] = {
        "aws:principaltype": _principal_type(caller.principal_arn),
        "vpc-lattice-svcs:servicenetworkarn": request.service_network_arn,
        "vpc-lattice-svcs:servicearn": request.service_arn,
        "vpc-lattice-svcs:sourcevpc": caller.vpc_id,
        "vpc-lattice-svcs:port": UNKNOWN if port is None else str(port),
    }
    owner = caller.vpc_owner_account or caller.account_id
    if owner:
        ctx["vpc-lattice-svcs:sourcevpcowneraccount"] = owner
    if caller.principal_arn is not None:
        ctx["aws:principalarn"] = caller.principal_arn
        if caller.account_id:
            ctx["aws:principalaccount"] = caller.account_id
        if caller.org_id:
            ctx["aws:principalorgid"] = caller.org_id
    ctx["aws:securetransport"] = UNKNOWN if request.secure_transport is None else str(request.secure_transport).lower()
    if invoke:
        ctx["vpc-lattice-svcs:requestmethod"] = request.method.upper() if request.method else UNKNOWN
        ctx["vpc-lattice-svcs:requestpath"] = request.path if request.path is not None else UNKNOWN
    return ctx


def _context_value(ctx: Mapping[str, Any], request: Request, key: str) -> Any:
    """The request's value of `key` (lower-cased), UNKNOWN, or None when the request lacks the key."""
    if key.startswith(_TAG_PREFIX):
        if request.caller.principal_arn is None:
            return None  # an anonymous caller has no principal, hence no tags
        if request.caller.tags is None:
            return UNKNOWN
        # tag keys in condition keys are compared case-insensitively (IAM user guide, aws:PrincipalTag)
        found = [v for k, v in request.caller.tags.items() if k.lower() == key[len(_TAG_PREFIX):]]
        return found[0] if found else None
    if key.startswith(_HEADER_PREFIX) or key.startswith(_QUERY_PREFIX):
        if request.action != ACTION_INVOKE:
            return None
        is_header = key.startswith(_HEADER_PREFIX)
        given = request.headers if is_header else request.query
        if given is None:
            return UNKNOWN
        name = key.split("/", 1)[1]
        # header names are case-insensitive in HTTP; query string keys are not
        matches = [v for k, v in given.items() if (k.lower() == name if is_header else k == name)]
        return matches[0] if matches else None
    return ctx.get(key)


# --- policy parsing and validation ----------------------------------------------------------------

_AWS_PRINCIPAL = re.compile(
    r"^(\*|\d{12}|arn:aws[a-z-]*:iam::\d{12}:(root|(role|user)/[\w+=,.@/-]+)"
    r"|arn:aws[a-z-]*:sts::\d{12}:assumed-role/[\w+=,.@-]+/[\w+=,.@-]+)$"
)
_glob = glob


def _known_key(key: str) -> bool:
    lowered = key.lower()
    return lowered in CONDITION_KEYS or (
        lowered.startswith((_HEADER_PREFIX, _QUERY_PREFIX, _TAG_PREFIX)) and "/" in lowered and not lowered.endswith("/")
    )


def load_policy(policy: PolicyDocument) -> tuple[list[dict[str, Any]], list[str]]:
    """The statements of `policy` and the problems that stop it from being evaluated (empty when none).

    policy: JSON text (parsed as IAM parses it: a repeated key is a problem) or a parsed object.
    """
    document, problems = parse_document(policy)
    if problems:
        return [], problems
    statements, problems = statements_of(document)
    if not isinstance(document, Mapping) or "Statement" not in document:
        return [], problems
    if not all(isinstance(s, Mapping) for s in statements):
        return [], problems + ["Statement must be an object or a list of objects"]
    return [dict(s) for s in statements], problems


def validate_policy(policy: PolicyDocument, *, resource_policy: bool = True) -> list[str]:
    """Why `policy` cannot be evaluated here: what IAM refuses (`document.grammar_problems`) and what this
    evaluator does not model (operator, key, principal form, policy variable). [] = fine.

    resource_policy: True for auth policies (Principal required), False for identity-based policies
        (Principal not allowed).
    """
    document, problems = parse_document(policy)
    if problems:
        return problems
    problems = grammar_problems(document, resource_policy=resource_policy)
    statements, _ = statements_of(document)
    for index, statement in enumerate(statements):
        if isinstance(statement, Mapping):
            problems += [f"statement {index}: {p}" for p in _unsupported(statement)]
    return problems


def _unsupported(statement: Mapping[str, Any]) -> list[str]:
    problems = []
    for element in ("Action", "NotAction", "Resource", "NotResource"):
        for value in as_list(statement.get(element, [])):
            if isinstance(value, str) and "${" in value:
                problems.append(f"policy variable in {value!r} is not supported by this evaluator")
    if "NotPrincipal" in statement and ("Principal" in statement or statement.get("Effect") != "Deny"):
        # NotPrincipal excludes principals from a Deny; with Allow it would grant everyone else (IAM advises against)
        problems.append("NotPrincipal is supported only in a Deny statement without Principal")
    principal = statement.get("Principal")
    if isinstance(principal, Mapping):
        for entry in as_list(principal.get("AWS", [])):
            if isinstance(entry, str) and not _AWS_PRINCIPAL.match(entry):
                problems.append(f"AWS principal {entry!r} is not '*', an account id or an IAM ARN")
    condition = statement.get("Condition", {})
    return problems + (_condition_problems(condition) if isinstance(condition, Mapping) else [])


def _condition_problems(condition: Mapping[str, Any]) -> list[str]:
    problems = []
    for operator_name, clauses in condition.items():
        operator = parse_operator(operator_name)
        if operator is None:
            problems.append(f"unknown condition operator {operator_name!r}")
            continue
        if not isinstance(clauses, Mapping):
            continue  # a grammar problem, reported there
        for key, values in clauses.items():
            if not _known_key(key):
                problems.append(f"unknown condition key {key!r}")
            for value in as_list(values):
                text = scalar(value)
                if text is None:
                    continue  # a grammar problem, reported there
                if "${" in text:
                    problems.append(f"policy variable in {text!r} is not supported by this evaluator")
                elif operator.base.startswith("Numeric") and number(text) is None:
                    problems.append(f"{operator_name} {key}: {text!r} is not a number")
                elif operator.base in ("Bool", "Null") and text.lower() not in ("true", "false"):
                    problems.append(f"{operator_name} {key}: {text!r} is not true or false")
    return problems


# --- statement evaluation -------------------------------------------------------------------------
# Three-valued: True (applies), False (does not apply), None (depends on a value the request left out).


def all3(results: Iterable[bool | None]) -> bool | None:
    seen_unknown = False
    for result in results:
        if result is False:
            return False
        seen_unknown |= result is None
    return None if seen_unknown else True


def _principal_matches(principal: Any, caller: Caller) -> bool:
    if principal == "*":
        return True
    entries = as_list(principal.get("AWS", [])) if isinstance(principal, Mapping) else []
    if "*" in entries:
        # {"AWS": "*"} is the same as "*" in a resource-based policy (IAM user guide, Principal element)
        return True
    arn, account = caller.principal_arn, caller.account_id
    if arn is None:
        return False
    partition = arn.split(":")[1] if arn.count(":") >= 5 else "aws"
    return any(e == arn or e == account or e == f"arn:{partition}:iam::{account}:root" for e in entries)


def _resource_matches(patterns: list[str], request: Request, missing: set[str]) -> bool | None:
    if request.action != ACTION_INVOKE:
        return any(_glob(p, request.service_arn) for p in patterns)
    if request.path is not None:
        return any(_glob(p, request.service_arn + request.path) for p in patterns)
    # Path not given: decided when every path or no path under "<service ARN>/" matches.
    coverage = {_prefix_coverage(p, request.service_arn + "/") for p in patterns}
    if "all" in coverage:
        return True
    if coverage == {"none"}:
        return False
    missing.add("the request path (Resource)")
    return None


def _prefix_coverage(pattern: str, prefix: str) -> str:
    """Whether glob `pattern` matches "all", "some" or "none" of the strings that start with `prefix`.

    Runs the pattern as an automaton (state = position in the pattern) over `prefix`: no state left means
    no string matches; a state whose rest is only "*" matches every continuation; any other rest matches
    some continuations and not others (it needs at least a literal, a "?" or one character).
    """

    def closure(states: set[int]) -> set[int]:
        result, todo = set(states), list(states)
        while todo:
            state = todo.pop()
            if state < len(pattern) and pattern[state] == "*" and state + 1 not in result:
                result.add(state + 1)
                todo.append(state + 1)
        return result

    states = closure({0})
    for char in prefix:
        moved = set()
        for state in states:
            if state < len(pattern):
                if pattern[state] == "*":
                    moved.add(state)
                elif pattern[state] in ("?", char):
                    moved.add(state + 1)
        states = closure(moved)
    if not states:
        return "none"
    return "all" if any(set(pattern[state:]) <= {"*"} for state in states) else "some"


def _condition_holds(
    operator_name: str, key: str, policy_values: Any, ctx: Mapping[str, Any], request: Request, missing: set[str]
) -> bool | None:
    operator = parse_operator(operator_name)
    assert operator is not None  # validated before evaluation
    value = _context_value(ctx, request, key.lower())
    if value is UNKNOWN:
        missing.add(key)
        return None
    expected = [scalar(v) or "" for v in as_list(policy_values)]
    if operator.base == "Null":
        # Null: "true" means the key must be absent, "false" that it must be present
        return any((value is None) == (e.lower() == "true") for e in expected)
    if value is None:
        if operator.if_exists or operator.set_operator == "ForAllValues":
            return True
        if operator.set_operator == "ForAnyValue":
            return False
        # negated operators hold when the key is absent (IAM user guide, condition operators)
        return OPERATORS[operator.base][1]
    match, negated = OPERATORS[operator.base]
    matched = any(match(value, e) for e in expected)
    return not matched if negated else matched


def _conditions_hold(
    condition: Mapping[str, Any], ctx: Mapping[str, Any], request: Request, missing: set[str]
) -> bool | None:
    # every operator, every key in it must hold; a key holds when any of its values matches
    return all3(
        [
            _condition_holds(operator_name, key, values, ctx, request, missing)
            for operator_name, clauses in condition.items()
            for key, values in clauses.items()
        ]
    )


def _statement_applies(
    statement: Mapping[str, Any], ctx: Mapping[str, Any], request: Request, resource_policy: bool, missing: set[str]
) -> bool | None:
    if resource_policy and "NotPrincipal" in statement:
        if _principal_matches(statement["NotPrincipal"], request.caller):
            return False
    elif resource_policy and not _principal_matches(statement.get("Principal"), request.caller):
        return False
    actions = as_list(statement.get("Action", statement.get("NotAction")))
    action_hit = any(_glob(a, request.action, ignore_case=True) for a in actions)
    if action_hit != ("Action" in statement):
        return False
    resource_patterns = as_list(statement.get("Resource", statement.get("NotResource")))
    resource_hit = _resource_matches(resource_patterns, request, missing)
    if "NotResource" in statement and resource_hit is not None:
        resource_hit = not resource_hit
    return all3([resource_hit, _conditions_hold(statement.get("Condition", {}), ctx, request, missing)])



def _who(request: Request) -> str:
    return request.caller.principal_arn or "an anonymous caller"


def _statement_name(index: int, statement: Mapping[str, Any]) -> str:
    sid = statement.get("Sid")
    return f"statement {index} ({sid})" if sid else f"statement {index}"


def evaluate_policy(
    policy: PolicyDocument, request: Request, *, label: str, port: int | None = None, resource_policy: bool = True
) -> tuple[bool | None, list[str]]:
    """One policy's verdict on `request`: True allow, False deny (explicit or implicit), None undetermined.

    label: how reasons name the policy ("service auth policy").
    port: the listener port the request arrives on (the ``Port`` key); None = not known.
    resource_policy: True for auth policies, False for an identity-based policy (no Principal).
    """
    problems = validate_policy(policy, resource_policy=resource_policy)
    if problems:
        return None, [f"cannot evaluate the {label}: {p}" for p in problems]
    statements, _ = load_policy(policy)
    ctx = _context(request, port)
    allow: list[str] = []
    deny: list[str] = []
    unknown_allow: list[str] = []
    unknown_deny: list[str] = []
    undetermined: list[str] = []
    for index, statement in enumerate(statements):
        missing: set[str] = set()
        applies = _statement_applies(statement, ctx, request, resource_policy, missing)
        is_deny = statement["Effect"] == "Deny"
        name = _statement_name(index, statement)
        if applies is True:
            (deny if is_deny else allow).append(name)
        elif applies is None:
            (unknown_deny if is_deny else unknown_allow).append(name)
            undetermined.append(
                f"cannot evaluate {label} {name}: it depends on {', '.join(sorted(missing))}, "
                "which the request does not give"
            )
    who = _who(request)
    if deny:
        return False, [f"{label} {name} explicitly denies {who}" for name in deny]
    if allow and not unknown_deny:
        return True, [f"{label} {name} allows {who}" for name in allow]
    if not allow and not unknown_allow:
        return False, [f"no statement in the {label} allows {who} to {request.action} {request.service_arn}"]
    return None, undetermined

