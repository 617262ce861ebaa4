"""Auth policy documents, as pure functions of who may call what.

Lattice evaluates two policies on every request to an AWS_IAM service: the service network's and the
service's. Both must allow. The network policy is the coarse gate (which accounts may send traffic through the
network at all); the service policy names the callers, conditioned on the network the request travels through,
as the walkthrough does, so a caller that reaches the service through another network is refused.
"""

from __future__ import annotations

import functools
import json

from typing import Any, Callable, Iterable

import pulumi

POLICY_VERSION = "2012-10-17"
INVOKE = "vpc-lattice-svcs:Invoke"
NETWORK_ARN_KEY = "vpc-lattice-svcs:ServiceNetworkArn"
ORG_ID_KEY = "aws:PrincipalOrgID"


def _principal_arn(principal: str) -> str:
    """Account IDs become the account's root ARN, the form IAM stores them in."""
    return f"arn:aws:iam::{principal}:root" if principal.isdigit() else principal


def _built_when_known(build: Callable[..., dict[str, Any]]) -> Callable[..., Any]:
    """Build the document from plain values; where an argument holds another resource's output (a role's ARN,
    the network's ARN), build it when those resolve: the result is then an `Output` of the document."""

    @functools.wraps(build)
    def wrapper(*args: Any) -> Any:
        if not _holds_output(args):
            return build(*args)
        return pulumi.Output.from_input([list(arg) if isinstance(arg, (list, tuple, set)) else arg for arg in args]).apply(
            lambda plain: build(*plain)
        )

    return wrapper


def _holds_output(value: Any) -> bool:
    if isinstance(value, pulumi.Output):
        return True
    if isinstance(value, (list, tuple, set)):
        return any(_holds_output(item) for item in value)
    return False


@_built_when_known
def service_auth_policy(
    principals: Iterable[str],
    organization_ids: Iterable[str],
    service_network_arn: Any,
) -> dict[str, Any]:
    """The service's auth policy: the listed principals and organizations may invoke it through the network.

    `service_network_arn` None: a standalone service (`associate: false`), reached through networks its consumers
    choose, so no statement names one. Any argument may hold an `Output`; `as_input` turns the result into the
    `policy` input.
    """
    principals = sorted({_principal_arn(p) for p in principals})
    organization_ids = sorted(set(organization_ids))
    through = {} if service_network_arn is None else {NETWORK_ARN_KEY: service_network_arn}
    statements: list[dict[str, Any]] = []
    if principals:
        statements.append({
            "Sid": "AllowDeclaredCallers",
            "Effect": "Allow",
            "Principal": {"AWS": principals},
            "Action": INVOKE,
            "Resource": "*",
            **({"Condition": {"StringEquals": through}} if through else {}),
        })
    if organization_ids:
        statements.append({
            "Sid": "AllowDeclaredOrganizations",
            "Effect": "Allow",
            "Principal": "*",
            "Action": INVOKE,
            "Resource": "*",
            "Condition": {"StringEquals": {ORG_ID_KEY: organization_ids, **through}},
        })
    if not statements:
        raise ValueError("an auth policy needs at least one principal or organization; without one every request is denied")
    return {"Version": POLICY_VERSION, "Statement": statements}


@_built_when_known
def network_auth_policy(account_ids: Iterable[str], organization_id: str | None) -> dict[str, Any]:
    """The network's auth policy: principals of the member accounts (and the organization) may use it.

    Listing accounts rather than `*` keeps an account that was shared the network by mistake, or that left the
    registry, from sending traffic before any service policy is consulted.
    """
    account_ids = sorted(set(account_ids))
    statements: list[dict[str, Any]] = []
    if account_ids:
        statements.append({
            "Sid": "AllowMemberAccounts",
            "Effect": "Allow",
            "Principal": {"AWS": [_principal_arn(account) for account in account_ids]},
            "Action": INVOKE,
            "Resource": "*",
        })
    if organization_id:
        statements.append({
            "Sid": "AllowOrganization",
            "Effect": "Allow",
            "Principal": "*",
            "Action": INVOKE,
            "Resource": "*",
            "Condition": {"StringEquals": {ORG_ID_KEY: organization_id}},
        })
    if not statements:
        raise ValueError("a network auth policy needs at least one account or the organization")
    return {"Version": POLICY_VERSION, "Statement": statements}


METHOD_KEY = "vpc-lattice-svcs:RequestMethod"


def _with_condition(statement: dict[str, Any], key: str, values: list[str]) -> dict[str, Any]:
    """`statement` also requiring `key` in `values` (StringEquals; any value of the key already there is kept
    only where both agree, so a short form can only narrow a statement, never widen it)."""
    condition = {operator: dict(clauses) for operator, clauses in (statement.get("Condition") or {}).items()}
    equals = condition.setdefault("StringEquals", {})
    if key in equals:
        present = equals[key] if isinstance(equals[key], list) else [equals[key]]
        values = [value for value in present if value in values]
        if not values:
            raise ValueError(f"{key} would have to be one of {present} and one of the short form's values: nothing is both")
    equals[key] = values[0] if len(values) == 1 else sorted(values)
    return {**statement, "Condition": condition}


@_built_when_known
def only_organizations(document: dict[str, Any], organization_ids: Iterable[str]) -> dict[str, Any]:
    """"Authenticated principals of the organization only": every Allow also requires `aws:PrincipalOrgID`.

    Anonymous requests carry no organization, so they are refused too.
    """
    wanted = sorted(set(organization_ids))
    if not wanted:
        raise ValueError("organization-only needs at least one organization ID")
    return _narrow_allows(document, ORG_ID_KEY, wanted)


@_built_when_known
def only_methods(document: dict[str, Any], methods: Iterable[str]) -> dict[str, Any]:
    """"These methods only" (`[GET, HEAD]`: read-only): every Allow also requires the request method."""
    wanted = sorted({method.upper() for method in methods})
    if not wanted:
        raise ValueError("a methods short form needs at least one method")
    return _narrow_allows(document, METHOD_KEY, wanted)


def _narrow_allows(document: dict[str, Any], key: str, values: list[str]) -> dict[str, Any]:
    statements = [
        _with_condition(statement, key, values) if statement.get("Effect") == "Allow" else statement
        for statement in document["Statement"]
    ]
    return {**document, "Statement": statements}


@_built_when_known
def with_statements(document: dict[str, Any], extra: Iterable[dict[str, Any]]) -> dict[str, Any]:
    """The generated policy extended with hand-written statements, after the generated ones."""
    return {**document, "Statement": [*document["Statement"], *(dict(statement) for statement in extra)]}


def as_input(document: dict[str, Any]) -> pulumi.Input[str]:
    """The policy as the provider's `policy` input: plain JSON when every value is known, an Output otherwise.

    `Output.json_dumps` would also serve the plain case, but it wraps every leaf in an Output and a task:
    measurable on a 500-service environment (benchmarks, part 1b) for nothing.
    """
    try:
        return json.dumps(document)
    except TypeError:  # an Output inside: the network ARN from a resource of this program
        return pulumi.Output.json_dumps(document)
