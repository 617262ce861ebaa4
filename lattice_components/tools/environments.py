"""Which stacks make up an environment of this repository, and which network each account stack reads.

The environments are the network stack files at the root (`Pulumi.<env>.yaml`). An account stack
`stacks/Pulumi.<name>.yaml` is of the environment its name gives with its own `lattice:account`
(`<account>-<env>`) and of the environment whose network its `lattice:networkStack` (or the program's
default) names; names are never split on a suffix two environments share (`dev`, `eu-dev`).
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..config import ConfigError, stack_file

REPO_ROOT = Path(__file__).resolve().parents[2]
ACCOUNT_STACKS_DIR = "stacks"
ACCOUNT_PROJECT = "lattice-account"
"""The account stacks' project (`stacks/Pulumi.yaml`): the middle part of their fully qualified names."""


def load_stack_file(path: Path, root: Path | None = None) -> dict[str, Any]:
    """The `config:` map of a `Pulumi.<stack>.yaml` file, or a `ConfigError` naming it (relative to `root`)
    for YAML that would be silently changed: duplicate keys, unquoted leading-zero numbers, secrets."""
    source = str(path.relative_to(root)) if root is not None and path.is_relative_to(root) else str(path)
    return stack_file.load_stack_file(path, source)


def network_stack_file(env: str, root: Path = REPO_ROOT) -> Path:
    return root / f"Pulumi.{env}.yaml"


def environments(root: Path = REPO_ROOT) -> list[str]:
    """The environments of a repository: one per network stack file `Pulumi.<env>.yaml` at its root."""
    return sorted(path.name[len("Pulumi."):-len(".yaml")] for path in root.glob("Pulumi.*.yaml"))


def _stack_name(path: Path) -> str:
    return path.name[len("Pulumi."):-len(".yaml")]


def default_organization() -> str:
    """The organization stack references are resolved in: `PULUMI_ORGANIZATION` (what the engine tells a
    program and a policy pack on Pulumi Cloud), else `organization`, the self-managed backends' literal."""
    return os.environ.get("PULUMI_ORGANIZATION") or "organization"


@dataclass
class AccountStack:
    """An account stack file as `lattice plan` resolves it: its config, its environment, its network."""

    stack: str
    path: Path
    config: dict[str, Any] | None
    error: ConfigError | None
    env_by_name: str | None
    """The environment its name gives (`<lattice:account>-<env>`)."""
    reference: str | None
    """The network stack it references: `lattice:networkStack`, else the program's default."""
    reference_env: str | None
    """The environment whose network `reference` is, if it is one of this repository's."""


def _account_stack(path: Path, root: Path, organization: str, envs: list[str]) -> AccountStack:
    from ..programs.account import NETWORK_PROJECT, default_network_stack, stack_environment

    stack = _stack_name(path)
    try:
        config, error = load_stack_file(path, root), None
    except ConfigError as unreadable:
        config, error = None, unreadable
    account = (config or {}).get("lattice:account")
    env_by_name = stack_environment(stack, account) if isinstance(account, str) else None
    explicit = (config or {}).get("lattice:networkStack")
    reference = explicit if isinstance(explicit, str) else (
        default_network_stack(stack, account, organization) if isinstance(account, str) else None
    )
    reference_env = next((env for env in envs if reference == f"{organization}/{NETWORK_PROJECT}/{env}"), None)
    return AccountStack(stack, path, config, error, env_by_name, reference, reference_env)


def _all_account_stacks(root: Path, organization: str, envs: list[str]) -> list[AccountStack]:
    return [_account_stack(path, root, organization, envs) for path in sorted((root / ACCOUNT_STACKS_DIR).glob("Pulumi.*.yaml"))]


def _belongs(entry: AccountStack, env: str) -> bool:
    undecided = entry.env_by_name is None and entry.reference is None
    return env in (entry.env_by_name, entry.reference_env) or (undecided and entry.stack.endswith(f"-{env}"))


def account_stacks(env: str, root: Path = REPO_ROOT, organization: str | None = None) -> list[AccountStack]:
    """Every account stack of `env`, sorted: those whose name puts them in `env` (`<lattice:account>-<env>`)
    and those whose network reference is `env`'s network (both, when they disagree: the program refuses it).

    Only a file whose account and network cannot be read (broken YAML, no `lattice:account`) falls back to
    its name's suffix, so its errors are shown in every environment it may belong to.
    """
    organization = organization or default_organization()
    return [entry for entry in _all_account_stacks(root, organization, environments(root)) if _belongs(entry, env)]


def orphan_problems(root: Path = REPO_ROOT, organization: str | None = None) -> list[ConfigError]:
    """Account stacks of no environment (`Pulumi.orders-dve.yaml`): no plan would run them and `pulumi up`
    would fail on their network reference, so every plan reports them rather than skip them in silence."""
    organization = organization or default_organization()
    envs = environments(root)
    errors = []
    for entry in _all_account_stacks(root, organization, envs):
        if any(_belongs(entry, env) for env in envs):
            continue
        source = str(entry.path.relative_to(root))
        if entry.error is not None:
            errors.append(entry.error)
        elif entry.reference is None:
            errors.append(ConfigError(
                [f"lattice:account: is required: without it this stack's name ends in none of the environments ({', '.join(envs)})"],
                source,
            ))
        else:
            explicit = isinstance((entry.config or {}).get("lattice:networkStack"), str)
            what = repr(entry.reference) if explicit else f"the default {entry.reference!r} (from the stack name)"
            errors.append(ConfigError(
                [f"lattice:networkStack: {what} is not a network stack of this repository, so this stack belongs to no "
                 f"environment ({', '.join(envs)}): name the stack <account>-<env> for one of them, or set lattice:networkStack"],
                source,
            ))
    return errors


def account_stack_files(env: str, root: Path = REPO_ROOT, organization: str | None = None) -> list[Path]:
    """Every account stack file of an environment (see `account_stacks`), sorted."""
    return [entry.path for entry in account_stacks(env, root, organization)]


def not_this_repositorys_network(entry: AccountStack, root: Path, organization: str, envs: list[str]) -> ConfigError:
    """Only offline can tell: the program cannot see which network stacks this repository defines."""
    from ..programs.account import NETWORK_PROJECT

    known = ", ".join(f"{organization}/{NETWORK_PROJECT}/{name}" for name in envs)
    return ConfigError(
        [f"lattice:networkStack: {entry.reference!r} is not a network stack of this repository as this plan runs it "
         f"(organization {organization!r}; set PULUMI_ORGANIZATION for a Pulumi Cloud organization): "
         f"expected one of {known}"],
        str(entry.path.relative_to(root)),
    )
