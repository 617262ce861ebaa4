"""Hand-written auth policies in stack config, next to the generated ones (issue #14, item 1).

A service (`lattice:services.<name>`) or the network (`lattice:network`) may carry:

- `authPolicy`: a full IAM document written in the stack file (YAML), which replaces the generated policy;
- `authPolicyFile`: the same, read from a JSON file whose path is relative to the stack file
  (`policies/orders.json` next to `stacks/Pulumi.orders-dev.yaml` is `stacks/policies/orders.json`);
- `extraStatements`: statements appended to the generated policy (a Deny on POST, a header condition, ...).

Every document is checked here, before any resource is registered: the IAM grammar the access matrix evaluates
(`iam.evaluator.validate_policy`), actions limited to what Lattice auth policies grant, and the 10 KB quota
(`apimodel.AUTH_POLICY_MAX_BYTES`, compact JSON as the provider sends it).
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from contextvars import ContextVar
from pathlib import Path
from typing import Any, Literal

import pulumi
from pydantic import BaseModel, ConfigDict, Field, model_validator

from ..apimodel import AUTH_POLICY_MAX_BYTES, compact_json
from ..iam.evaluator import as_list, validate_policy
from .base import Spec, rule_error

POLICY_VERSION = "2012-10-17"
LATTICE_ACTIONS = ("vpc-lattice-svcs:*", "vpc-lattice-svcs:Invoke", "vpc-lattice-svcs:Connect")
"""What an auth policy may name in Action/NotAction: Lattice evaluates nothing else there."""

HttpMethod = Literal["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"]
"""The methods a `methods:` short form may name (RFC 9110 and PATCH; Lattice forwards no CONNECT or TRACE)."""

_stack_directory: ContextVar[Path | None] = ContextVar("lattice_stack_directory", default=None)


@contextmanager
def stack_directory(path: Path, *, unless_set: bool = False) -> Iterator[None]:
    """Resolve `authPolicyFile` against `path` while a program runs outside the Pulumi CLI (`lattice plan`);
    `unless_set`: keep a directory an outer caller chose."""
    if unless_set and _stack_directory.get() is not None:
        yield
        return
    token = _stack_directory.set(path)
    try:
        yield
    finally:
        _stack_directory.reset(token)


@contextmanager
def stack_directory_of(source: str) -> Iterator[None]:
    """The directory of the stack file `source` names, when it is one from here (`stacks/Pulumi.orders-dev.yaml`
    read from the repository root) and no caller chose one; else whatever was chosen, or the CLI's."""
    directory = Path(source).parent
    if source and directory.is_dir() and (directory / Path(source).name).is_file():
        with stack_directory(directory.resolve(), unless_set=True):
            yield
    else:
        yield


def _base_directory() -> Path:
    """Where the stack file is: the CLI runs a program in its project directory, which holds `Pulumi.yaml`
    and every `Pulumi.<stack>.yaml`; offline runs say so through `stack_directory`."""
    chosen = _stack_directory.get()
    if chosen is not None:
        return chosen
    try:
        root = pulumi.get_root_directory()
    except Exception:  # no Pulumi settings at all: a plain Python caller
        root = None
    # Under the SDK's mocks the root directory is a placeholder, not a directory.
    return Path(root) if root and Path(root).is_dir() else Path.cwd()


def policy_document_problems(document: Any) -> list[str]:
    """Why `document` cannot be an auth policy; [] when it can. Pure: one line per problem."""
    if not isinstance(document, Mapping):
        return [f"must be an IAM policy document (an object with Version and Statement), not {type(document).__name__}"]
    problems = []
    if document.get("Version") != POLICY_VERSION:
        problems.append(f"Version must be {POLICY_VERSION!r} (the only version whose conditions Lattice evaluates), not {document.get('Version')!r}")
    problems += validate_policy(document)
    statements = document.get("Statement")
    for index, statement in enumerate(as_list(statements) if statements is not None else []):
        if not isinstance(statement, Mapping):
            continue
        for element in ("Action", "NotAction"):
            for action in as_list(statement.get(element, [])):
                if isinstance(action, str) and action.lower() not in {a.lower() for a in LATTICE_ACTIONS}:
                    problems.append(
                        f"statement {index}: {element} {action!r} is not one of {', '.join(LATTICE_ACTIONS)}"
                    )
    if not problems:
        size = len(compact_json(document).encode())
        if size > AUTH_POLICY_MAX_BYTES:
            problems.append(
                f"is {size:,} bytes as compact JSON, above the VPC Lattice auth policy quota of "
                f"{AUTH_POLICY_MAX_BYTES:,} bytes (it cannot be raised)"
            )
    return problems


def statements_problems(statements: list[Any]) -> list[str]:
    """Why `statements` cannot be added to a generated policy (checked as a policy of their own)."""
    return policy_document_problems({"Version": POLICY_VERSION, "Statement": list(statements)})


def load_policy_file(relative: str) -> tuple[dict[str, Any] | None, str | None]:
    """(document, None) or (None, why not): the JSON file `relative` to the stack file."""
    path = _base_directory() / relative
    try:
        text = path.read_text()
    except OSError as error:
        return None, f"cannot read {path}: {error.strerror or error}"
    try:
        return json.loads(text), None
    except json.JSONDecodeError as error:
        return None, f"{path} is not valid JSON: {error.msg} at line {error.lineno} column {error.colno}"


_Values = str | list[str]
_Principal = str | dict[str, _Values]


class _IamElement(BaseModel):
    """IAM's own spelling (`Effect`, `Condition`), unknown elements refused: shape errors land on their key path."""

    model_config = ConfigDict(extra="forbid", frozen=True, strict=True)

    def as_json(self) -> dict[str, Any]:
        return self.model_dump(exclude_none=True)


class StatementSpec(_IamElement):
    """One IAM statement; the grammar beyond its shape is `policy_document_problems`'."""

    Sid: str | None = None
    Effect: str
    Principal: _Principal | None = None
    NotPrincipal: _Principal | None = None
    Action: _Values | None = None
    NotAction: _Values | None = None
    Resource: _Values | None = None
    NotResource: _Values | None = None
    Condition: dict[str, dict[str, str | bool | int | float | list[str | bool | int | float]]] | None = None


class PolicyDocumentSpec(_IamElement):
    """A whole IAM policy document."""

    Version: str | None = None
    Id: str | None = None
    Statement: StatementSpec | list[StatementSpec]


def _json(value: Any) -> Any:
    return value.as_json() if isinstance(value, _IamElement) else value


class AuthPolicyFields(Spec):
    """The hand-written auth policy fields a service and the network share."""

    auth_policy: PolicyDocumentSpec | None = None
    """A full IAM policy document that replaces the generated one (Allow/Deny, Principal/NotPrincipal,
    Action, Resource, Condition)."""
    auth_policy_file: str | None = Field(default=None, exclude=True)
    """A JSON file holding the document, relative to the stack file; read when the config is read."""
    extra_statements: list[StatementSpec] = Field(default_factory=list)
    """Statements appended to the generated policy."""

    @property
    def auth_policy_document(self) -> dict[str, Any] | None:
        """The hand-written document as JSON data."""
        return _json(self.auth_policy)

    @property
    def extra_statement_documents(self) -> list[dict[str, Any]]:
        """The extra statements as JSON data."""
        return [statement.as_json() for statement in self.extra_statements]

    @model_validator(mode="before")
    @classmethod
    def _read_policy_file(cls, data: Any) -> Any:
        if not isinstance(data, Mapping):
            return data
        key = next((k for k in ("authPolicyFile", "auth_policy_file") if data.get(k) is not None), None)
        if key is None:
            return data
        if data.get("authPolicy") is not None or data.get("auth_policy") is not None:
            raise rule_error("authPolicyFile", "set authPolicy or authPolicyFile, not both")
        if not isinstance(data[key], str):
            raise rule_error("authPolicyFile", f"{data[key]!r} is not a file path")
        document, problem = load_policy_file(data[key])
        if problem:
            raise rule_error("authPolicyFile", problem)
        invalid = policy_document_problems(document)
        if invalid:
            raise rule_error("authPolicyFile", f"{data[key]}: " + "; ".join(invalid))
        return {**{k: v for k, v in data.items() if k != key}, "authPolicy": document, "authPolicyFile": data[key]}

    @model_validator(mode="after")
    def _documents_valid(self) -> "AuthPolicyFields":
        if self.auth_policy is not None:
            problems = policy_document_problems(self.auth_policy_document)
            if problems:
                raise rule_error("authPolicy", "; ".join(problems))
            if self.extra_statements:
                raise rule_error("extraStatements", "extend the generated policy; with authPolicy, write them into it")
        if self.extra_statements:
            problems = statements_problems(self.extra_statement_documents)
            if problems:
                raise rule_error("extraStatements", "; ".join(problems))
        if self.auth_policy is not None and getattr(self, "auth_type", "AWS_IAM") != "AWS_IAM":
            raise rule_error("authPolicy", "has no effect with authType NONE; use AWS_IAM")
        return self
