"""Checks of Lattice policy documents: auth policies (`aws:vpclattice/authPolicy:AuthPolicy`, on a service
network or a service) and resource policies (`aws:vpclattice/resourcePolicy:ResourcePolicy`, what RAM shares).

An auth policy is the only thing between an AWS_IAM service and every principal that can reach it, so the
pack refuses documents IAM would refuse (they fail half-way through a deploy), old policy language versions,
documents over the quota, and any grant to everyone (`Principal: "*"` and its other spellings) that no
condition confines. What "IAM would refuse" and "confines" mean is decided in `lattice_components.iam`
(`document.py`, `confinement.py`), the same code the access matrix evaluates with.
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Mapping
from typing import Any

from ..iam.confinement import CONFINING_KEYS, open_principal, open_principal_findings, wildcard_actions
from ..iam.document import grammar_problems, parse_document, statements_of
from .policy_inputs import Resource, lookup

AUTH_POLICY = "aws:vpclattice/authPolicy:AuthPolicy"
RESOURCE_POLICY = "aws:vpclattice/resourcePolicy:ResourcePolicy"
POLICY_TYPES = (AUTH_POLICY, RESOURCE_POLICY)
POLICY_LANGUAGE_VERSION = "2012-10-17"
# A service quota, not an API-model limit: the model's AuthPolicyString max (102,400) is looser than the
# fixed 10 KB quota of the General Reference, so this is the one number the model cannot give us.
MAX_POLICY_BYTES = 10 * 1024

DEFAULT_CONFINING_KEYS = CONFINING_KEYS


def check_auth_policy_document(resource: Resource, config: Mapping[str, Any]) -> Iterator[str]:
    """The `policy` parses as IAM parses it, is Version 2012-10-17, fits the quota, is a document IAM accepts,
    and never grants to everyone unconfined."""
    raw = lookup(resource.props, "policy")
    if raw is None:
        yield f"{resource.label}: has no policy document; set policy=json.dumps({{...}})."
        return
    text = raw if isinstance(raw, str) else json.dumps(raw)
    document, problems = parse_document(text)
    if problems:
        yield (
            f"{resource.label}: policy is not a document IAM accepts: {problems[0]}; build it with "
            "json.dumps(...) from a dict."
        )
        return
    size = len(text.encode("utf-8"))
    if resource.type == AUTH_POLICY and size > MAX_POLICY_BYTES:
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
    statements, _ = statements_of(document)
    if not statements:
        yield f"{resource.label}: policy has no Statement, so it allows nothing; add at least one statement."
    for problem in grammar_problems(document):
        yield f"{resource.label}: IAM refuses this policy: {problem}."
    yield from _open_grants(resource, statements, config)


def _open_grants(resource: Resource, statements: list[Any], config: Mapping[str, Any]) -> Iterator[str]:
    confining_keys = config.get("confiningConditionKeys") or DEFAULT_CONFINING_KEYS
    open_grants = {grant.index: grant for grant in open_principal_findings({"Statement": statements}, confining_keys)}
    for index, statement in enumerate(statements):
        if not isinstance(statement, Mapping) or statement.get("Effect") == "Deny":
            continue
        grant = open_grants.get(index)
        sid = statement.get("Sid")
        name = f"statement {sid!r}" if isinstance(sid, str) and sid else f"statement #{index}"
        broad = wildcard_actions(statement)
        if broad and open_principal(statement) is not None:
            yield (
                f"{resource.label}: {name} grants {', '.join(map(str, broad))} to everyone; name the actions "
                "(vpc-lattice-svcs:Invoke for HTTP, vpc-lattice-svcs:Connect for TCP) and the principals that "
                "need them."
            )
        if grant is not None:
            yield (
                f"{resource.label}: {name} allows {grant.principal} with no condition that confines the callers "
                f"({'; '.join(grant.reasons)}). Add for example \"Condition\": {{\"StringEquals\": "
                "{\"aws:PrincipalOrgID\": \"o-...\"}} or pin vpc-lattice-svcs:SourceVpc / "
                "vpc-lattice-svcs:ServiceNetworkArn to exact values, or name the principals."
            )

