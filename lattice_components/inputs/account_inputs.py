"""What the account program decides across its services, as pure functions: the stack's target groups as the
identifiers services forward to (and the ARN of one read from another stack's outputs), and the RAM principals a
service's `share` names."""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from typing import Any

from ..config.base import RAM_PRINCIPAL
from ..config.services import is_target_group_reference, target_group_reference_problem


def stand_in_id(name: str) -> str:
    """A target group ID of the API's form (`tg-` and 17 characters) standing for a stack group that does not exist
    yet, so a service's forwards can be checked against the API model before anything is registered; it is never
    registered (the group's real ID replaces it)."""
    return "tg-" + hashlib.sha256(name.encode()).hexdigest()[:17]


def group_identifiers(references: Mapping[str, str | None], created: Mapping[str, Any]) -> dict[str, Any]:
    """Stack target group name -> what a forward names it by: its `arn` when it is created elsewhere (`references`
    maps every stack group to its arn or None), else the created group's ID from `created`."""
    return {name: arn if arn is not None else created[name] for name, arn in references.items()}


def group_arn_from_outputs(outputs: Mapping[str, Any], stack: str, output: str, key: str) -> tuple[str | None, str | None]:
    """(ARN, problem) of the target group another stack exports at `outputs[output][key]`: the outputs of `stack` as
    its StackReference reads them. A problem names the stack, the output and the key, and what is there instead:
    a missing output or key is never read as "no group"."""
    if outputs.get(output) is None:
        return None, (f"stack {stack} has no output {output!r} (its outputs: {sorted(outputs) or 'none'}); run "
                      "`pulumi up` there first, or name the output that holds its target groups")
    groups = outputs[output]
    if not isinstance(groups, Mapping):
        return None, f"output {output!r} of stack {stack} is {type(groups).__name__}, not a map of target group names to ARNs"
    if groups.get(key) is None:
        return None, f"output {output!r} of stack {stack} has no key {key!r} (it has {sorted(groups) or 'none'})"
    arn = groups[key]
    if not isinstance(arn, str):
        return None, f"{output}.{key} of stack {stack} is {type(arn).__name__}, not a target group ARN"
    if problem := target_group_reference_problem(arn):
        return None, f"{output}.{key} of stack {stack}: {problem}"
    return arn, None


def with_group_identifiers(service_args: Mapping[str, Any], identifiers: Mapping[str, Any]) -> dict[str, Any]:
    """A service's component args with every forward to a stack target group (a name not among its own groups)
    replaced by that group's identifier; forwards to its own groups and to ARNs are left as written."""
    own = set(service_args.get("target_groups") or {})

    def action(value: Mapping[str, Any]) -> dict[str, Any]:
        forward = value.get("forward")
        if forward is None:
            return dict(value)
        return {**value, "forward": [
            {**target, "target_group": identifiers[name]}
            if isinstance(name := target["target_group"], str) and name not in own and name in identifiers
            and not is_target_group_reference(name) else dict(target)
            for target in forward
        ]}

    listeners = [
        {**listener, "default_action": action(listener["default_action"]),
         "rules": [{**rule, "action": action(rule["action"])} for rule in listener.get("rules") or []]}
        for listener in service_args.get("listeners") or []
    ]
    return {**service_args, "listeners": listeners}


def share_principals(
    principals: list[str], accounts: Mapping[str, Mapping[str, Any]], allow_external: bool
) -> tuple[list[str], list[str]]:
    """(RAM principals, problems) for a service's `share.principals`: account names of the network's registry
    become their IDs; IDs and organization or OU ARNs stay. A problem names the index of an unknown account name,
    of a principal written twice once names are resolved (`analytics` and its ID), and, when the share does not
    allow external principals, of an account outside the organization by name or by ID, and of an ID the registry
    does not hold: the registry is what says an account is in the organization, so an ID it does not know cannot
    be shown to be inside it."""
    by_id = {str(account["id"]): name for name, account in accounts.items()}
    resolved: list[str] = []
    problems: list[str] = []
    first: dict[str, int] = {}
    for index, entry in enumerate(principals):
        if RAM_PRINCIPAL.fullmatch(entry):
            principal, name = entry, by_id.get(entry)
            if not allow_external and entry.isdigit() and name is None:
                problems.append(f"[{index}]: {entry!r} is not an account of the network's lattice:accounts, so nothing "
                                "shows it is inside the organization, as allowExternalPrincipals: false needs; add it "
                                "to lattice:accounts in the network stack (inOrganization says where it is)")
        elif (account := accounts.get(entry)) is not None:
            principal, name = str(account["id"]), entry
        else:
            problems.append(f"[{index}]: {entry!r} is not one of the network's accounts {sorted(accounts)}")
            continue
        if name is not None and not allow_external and not accounts[name].get("inOrganization", True):
            written = repr(entry) if entry == name else f"{entry!r} ({name})"
            problems.append(f"[{index}]: {written} is outside the organization, so the share cannot reach it with "
                            "allowExternalPrincipals: false")
        if principal in first:
            earlier = principals[first[principal]]
            problems.append(f"[{index}]: {entry!r} is listed twice (as {earlier!r} at [{first[principal]}]); RAM "
                            "associates each principal once")
            continue
        first[principal] = index
        resolved.append(principal)
    return resolved, problems


def foreign_group_problems(
    references: Mapping[str, Any], forwards: Mapping[str, Any], account_id: str, region: str | None = None
) -> list[str]:
    """Why a target group created elsewhere cannot be forwarded to from this stack: its ARN names another account
    (or Region). VPC Lattice target groups are not shared through RAM (only services, service networks and
    resource configurations are), so a listener forwards only to groups of its own account and Region.

    references: stack group name -> its ARN (`arn`, or read `fromStack`; None or an unknown Output is skipped:
    a value not known yet is checked when it is, by the API); forwards: key path -> an ARN written in a forward.
    """
    problems = []
    candidates = [(f"lattice:targetGroups.{name}", arn) for name, arn in references.items()] + list(forwards.items())
    for where, arn in candidates:
        if not isinstance(arn, str) or not arn.startswith("arn:"):
            continue  # a tg- ID is looked up in this account by the API itself; Outputs are checked when known
        parts = arn.split(":")
        owner, in_region = (parts[4], parts[3]) if len(parts) > 5 else (None, None)
        if owner != account_id:
            problems.append(f"{where}: {arn} is a target group of account {owner}, not of this stack's account "
                            f"{account_id}; VPC Lattice target groups are not shared across accounts, so a listener "
                            "forwards only to groups of its own account")
        elif region is not None and in_region != region:
            problems.append(f"{where}: {arn} is a target group in {in_region}, not in this stack's Region {region}; "
                            "a listener forwards only to groups of its own Region")
    return problems
