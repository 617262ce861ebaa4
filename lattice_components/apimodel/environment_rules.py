"""Rules AWS enforces per account or per VPC, which no single stack can check: the stacks of an environment
deploy side by side, so a name two stacks both use in one account, or a VPC two stacks both associate, passes
each stack's own checks and fails half-way through the second `pulumi up`.

- Target group names and service names are unique per account and Region (CreateTargetGroup and
  CreateService answer ConflictException), across every stack that deploys into that account.
- A VPC is associated with one service network only ("A VPC can be associated with one service network"),
  whichever stack associates it.

Pure functions over the stack files' `config:` maps as written (not validated yet: malformed values are
skipped, each stack's own validation reports them with its key path), so `lattice plan` runs them before any
program registers anything.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class StackFile:
    """One account stack's file: where it is (for messages) and its `config:` map (`lattice:services`, ...)."""

    source: str
    config: Mapping[str, Any]


@dataclass(frozen=True)
class Claim:
    source: str
    path: str


def _mapping(value: Any) -> Mapping[str, Any]:
    return value if isinstance(value, Mapping) else {}


def account_ids(network_config: Mapping[str, Any]) -> dict[str, str]:
    """The network file's registry, short name -> account ID (numbers as YAML may read them, as text)."""
    return {
        name: str(entry["id"])
        for name, entry in _mapping(network_config.get("lattice:accounts")).items()
        if isinstance(entry, Mapping) and entry.get("id") is not None
    }


def _conflicts(claims: Mapping[Any, list[Claim]], rule: str) -> list[str]:
    problems = []
    for key, found in claims.items():
        files = {claim.source for claim in found}
        if len(files) < 2:
            continue  # within one file, the stack's own schema reports it
        first = found[0]
        for claim in found[1:]:
            if claim.source != first.source:
                problems.append(f"{claim.source}: {claim.path}: {rule(key, first)}")
    return problems


def check_environment(network_config: Mapping[str, Any], stacks: Sequence[StackFile]) -> list[str]:
    """Every cross-stack conflict, one line each: `<file>: <key path>: <rule> (<other file>: <key path>)`."""
    ids = account_ids(network_config)
    group_names: dict[tuple[str, str], list[Claim]] = defaultdict(list)
    service_names: dict[tuple[str, str], list[Claim]] = defaultdict(list)
    vpcs: dict[str, list[Claim]] = defaultdict(list)
    for stack in stacks:
        account = ids.get(str(stack.config.get("lattice:account")))
        for service_name, service in _mapping(stack.config.get("lattice:services")).items():
            if account is not None:
                service_names[(account, service_name)].append(Claim(stack.source, f"lattice:services.{service_name}"))
                for group_name in _mapping(_mapping(service).get("targetGroups")):
                    group_names[(account, group_name)].append(
                        Claim(stack.source, f"lattice:services.{service_name}.targetGroups.{group_name}")
                    )
        for consumer_name, consumer in _mapping(stack.config.get("lattice:consumers")).items():
            vpc = _mapping(consumer).get("vpcId")
            if isinstance(vpc, str):
                vpcs[vpc].append(Claim(stack.source, f"lattice:consumers.{consumer_name}.vpcId"))
    return [
        *_conflicts(
            group_names,
            lambda key, first: f"target group {key[1]!r} is also deployed into account {key[0]} by "
            f"{first.source}: {first.path}; target group names are unique per account",
        ),
        *_conflicts(
            service_names,
            lambda key, first: f"service {key[1]!r} is also deployed into account {key[0]} by "
            f"{first.source}: {first.path}; service names are unique per account",
        ),
        *_conflicts(
            vpcs,
            lambda key, first: f"{key} is also associated by {first.source}: {first.path}; "
            "a VPC is associated with one service network only",
        ),
    ]
