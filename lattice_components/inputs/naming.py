"""The Pulumi names of `LatticeService`'s children: unique by construction, so every URN is.

A child's URN is its parent *type* chain plus its name, not its parent's name: two services' target groups
share one namespace. Names used to join the parts with `-`, which every part may contain, so service `a` with
target group `b-c` and service `a-b` with group `c` both made `a-b-c` (one URN, and `pulumi up` refuses the
stack); targets were named by what follows their last `:`, so one IP on two ports, two IPv6 addresses ending
alike and two Lambda aliases of one function collided too.

Now the parts are joined with `--`. Lattice names (service, target group, listener, rule) never contain `--`
and never start or end with `-` (the API model's name pattern), and a target is written without `--` (below),
so reading a name from its right end recovers every part: the join is injective even when the component's own
name (any text a program chooses) contains `--`.

Resources deployed under the old names keep their identity through `aliases` (`legacy_names`): the engine
moves the state to the new URN instead of replacing the resource. An old name is only offered when it cannot
be the new name of another resource (old names have no `--`), and not when two children of the component
would claim it (only one of them can have been deployed, and the engine refuses two claims on one alias).
Each alias is sent as the URN the old name had (`alias_urn`), computed from the component's URN when it resolves:
an `Alias(name=...)` made the SDK compute the same URN through a chain of Outputs of its own for every child
(12% of an account stack's run at 500 services, benchmarks part 1).
"""

from __future__ import annotations

import hashlib
import ipaddress
import re
from collections import Counter
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from ..config import LatticeServiceSpec, TargetGroupSpec, TargetSpec

SEPARATOR = "--"

# The types of the renamed children (an alias URN names the child's type, so children of two types may share a name:
# target group `api` and listener `api` are both `<component>--api`).
TARGET_GROUP = "aws:vpclattice/targetGroup:TargetGroup"
ATTACHMENT = "aws:vpclattice/targetGroupAttachment:TargetGroupAttachment"
LISTENER = "aws:vpclattice/listener:Listener"
RULE = "aws:vpclattice/listenerRule:ListenerRule"


def _join(*parts: str) -> str:
    return SEPARATOR.join(parts)


def target_group(component: str, group: str) -> str:
    return _join(component, group)


def listener(component: str, listener_name: str) -> str:
    return _join(component, listener_name)


def rule(component: str, listener_name: str, rule_name: str) -> str:
    return _join(component, listener_name, rule_name)


def target_token(target_id: Any, port: int | None, index: int = 0) -> str:
    """A target as a name part: readable, without `--`, never starting with `-`, and one per (ID, port).

    Instance IDs and IPv4 addresses are kept as written; IPv6 addresses are written in their canonical form
    with `.` for `:` (no `::` in a URN); anything else (ARNs) keeps its last `:`/`/` segment for the reader
    plus a short hash of the whole ID, which is what makes it unique. An ID that is another resource's output
    (unknown until that one exists) is named by its position, `target-<index>`, which no written ID produces
    (those have a `.` or start with `i-`). A port other than the group's is added as `@<port>`.
    """
    if not isinstance(target_id, str):
        token = f"target-{index}"
    elif re.fullmatch(r"i-[0-9a-f]+|\d{1,3}(\.\d{1,3}){3}", target_id):
        token = target_id
    else:
        try:
            address = ipaddress.ip_address(target_id)
        except ValueError:
            address = None
        if address is not None and address.version == 6:
            token = "ip6." + str(address).replace(":", ".")
        else:
            tail = re.sub(r"[^A-Za-z0-9_.]+", "-", re.split(r"[:/]", target_id)[-1]).strip("-") or "target"
            digest = hashlib.sha256(target_id.encode()).hexdigest()[:8]
            token = f"{tail}.{digest}"
    return token if port is None else f"{token}@{port}"


def named_port(group: "TargetGroupSpec", target: "TargetSpec") -> int | None:
    """The port an attachment's name carries: the target's own when it differs from the group's, else none."""
    port = group.target_port(target)
    return port if port != group.port else None


def attachment(component: str, group: str, target_id: Any, port: int | None, index: int = 0) -> str:
    """`port`: the target's port when it differs from the group's, else None; `index`: its place in the list."""
    return _join(component, group, target_token(target_id, port, index))


# --------------------------------------------------------------------------------------------------------------
# The names before this scheme, offered as aliases so deployed stacks are renamed in place, not replaced
# --------------------------------------------------------------------------------------------------------------


def _legacy(name: str) -> list[str]:
    return [] if SEPARATOR in name else [name]


def legacy_target_group(component: str, group: str) -> list[str]:
    return _legacy(f"{component}-{group}")


def legacy_listener(component: str, listener_name: str) -> list[str]:
    return _legacy(f"{component}-{listener_name}")


def legacy_rule(component: str, listener_name: str, rule_name: str) -> list[str]:
    return _legacy(f"{component}-{listener_name}-{rule_name}")


def legacy_attachment(component: str, group: str, target_id: Any, port: int | None) -> list[str]:
    """Old attachment names ignored the port, so only a target on the group's port had that name."""
    if port is not None or not isinstance(target_id, str):
        return []
    return _legacy(f"{component}-{group}-{target_id.rsplit(':', 1)[-1]}")


def alias_urn(parent_urn: str, type_token: str, old_name: str) -> str:
    """The URN a child of the resource `parent_urn` had under `old_name`: the parent's type chain, the child's type,
    the old name (the engine's URN scheme, which the SDK's `create_urn` computes for an `Alias(name=...)` too)."""
    return f"{parent_urn[: parent_urn.rfind('::')]}${type_token}::{old_name}"


def legacy_names(component: str, spec: "LatticeServiceSpec") -> dict[tuple[str, str], list[str]]:
    """(type token, new name) -> the old names to alias, for every renamed child of a `LatticeService`.

    Keyed by type too: a name is unique per type only (a target group and a listener both named `api` are both
    `<component>--api`, as an attachment and a rule may be), and each keeps the old name of its own type."""
    claims: dict[tuple[str, str], list[str]] = {}
    for group_name, group in spec.target_groups.items():
        claims[TARGET_GROUP, target_group(component, group_name)] = legacy_target_group(component, group_name)
        for index, target in enumerate(group.targets):
            port = named_port(group, target)
            claims[ATTACHMENT, attachment(component, group_name, target.id, port, index)] = legacy_attachment(
                component, group_name, target.id, port
            )
    for listener_spec in spec.listeners:
        claims[LISTENER, listener(component, listener_spec.name)] = legacy_listener(component, listener_spec.name)
        for rule_spec in listener_spec.rules:
            claims[RULE, rule(component, listener_spec.name, rule_spec.name)] = legacy_rule(
                component, listener_spec.name, rule_spec.name
            )
    # An old URN is the type and the old name: two children claim one only when both are of one type.
    counts = Counter((type_token, old) for (type_token, _), olds in claims.items() for old in olds)
    return {key: [old for old in olds if counts[key[0], old] == 1] for key, olds in claims.items()}


def group_attachment(component: str, target_id: Any, port: int | None, index: int = 0) -> str:
    """An attachment of a `LatticeTargetGroup` (one group per component, so the group is not part of the name)."""
    return _join(component, target_token(target_id, port, index))
