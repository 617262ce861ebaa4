"""What the plan says about services and target groups beyond the access matrix, read from what the stacks
registered: services that join no network (standalone), who a service is shared with through RAM, services with
no listener, target groups nothing forwards to, and the groups created elsewhere that services forward to (by ARN,
or read from another stack's outputs, named with that stack). None of these is an error; each is something a
reviewer should see said (issue #14, item 4)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from ..apimodel import is_unknown
from . import offline

SERVICE = "aws:vpclattice/service:Service"
LISTENER = "aws:vpclattice/listener:Listener"
RULE = "aws:vpclattice/listenerRule:ListenerRule"
TARGET_GROUP = "aws:vpclattice/targetGroup:TargetGroup"
SERVICE_ASSOCIATION = "aws:vpclattice/serviceNetworkServiceAssociation:ServiceNetworkServiceAssociation"
RAM_SHARE = "aws:ram/resourceShare:ResourceShare"
RAM_LINK = "aws:ram/resourceAssociation:ResourceAssociation"
RAM_PRINCIPAL = "aws:ram/principalAssociation:PrincipalAssociation"
STACK_REFERENCE = "pulumi:pulumi:StackReference"


@dataclass(frozen=True)
class ServiceFacts:
    """One registered service: whether it joins a network, how many listeners it has, who it is shared with."""

    stack: str
    name: str
    arn: str
    associated: bool
    listeners: int
    shared_with: tuple[str, ...]  # account short names, or the principal as written (an OU, an unknown account)
    external_share: bool  # a share of it allows principals outside the organization


def _principal_name(principal: str, accounts: dict[str, str]) -> str:
    if principal in accounts:
        return f"{accounts[principal]} ({principal})"
    return "the organization" if ":organization/" in principal else principal


def services(env_run: offline.EnvironmentRun) -> list[ServiceFacts]:
    """Every registered service, in stack and name order."""
    accounts = {str(entry["id"]): name for name, entry in (env_run.network.outputs.get("accounts") or {}).items()}
    found = []
    for run in env_run.runs:
        associated = {a.inputs.get("serviceIdentifier") for a in run.of_type(SERVICE_ASSOCIATION)}
        listeners: dict[str, int] = {}
        for listener in run.of_type(LISTENER):
            listeners[listener.inputs.get("serviceIdentifier")] = listeners.get(listener.inputs.get("serviceIdentifier"), 0) + 1
        shares = {share.id: share for share in run.of_type(RAM_SHARE)}
        share_of: dict[str, list[str]] = {}
        for link in run.of_type(RAM_LINK):
            share_of.setdefault(link.inputs.get("resourceArn"), []).append(link.inputs.get("resourceShareArn"))
        principals: dict[str, list[str]] = {}
        for principal in run.of_type(RAM_PRINCIPAL):
            principals.setdefault(principal.inputs.get("resourceShareArn"), []).append(principal.inputs.get("principal", ""))
        for service in sorted(run.of_type(SERVICE), key=lambda r: r.inputs.get("name", r.name)):
            arn = service.state.get("arn", "")
            share_arns = share_of.get(arn, [])
            found.append(ServiceFacts(
                stack=run.stack, name=service.inputs.get("name", service.name), arn=arn,
                associated=service.id in associated or arn in associated,
                listeners=listeners.get(service.id, 0) + listeners.get(arn, 0),
                shared_with=tuple(sorted({_principal_name(p, accounts) for a in share_arns for p in principals.get(a, [])})),
                external_share=any(shares[a].inputs.get("allowExternalPrincipals") in (True, "true") for a in share_arns if a in shares),
            ))
    return found


def unused_target_groups(env_run: offline.EnvironmentRun) -> list[tuple[str, str]]:
    """(stack, target group name) of every target group no listener or rule of its stack forwards to."""
    found = []
    for run in env_run.runs:
        forwarded: set[Any] = set()
        for listener in run.of_type(LISTENER):
            for forward in (listener.inputs.get("defaultAction") or {}).get("forwards") or []:
                forwarded.update(t.get("targetGroupIdentifier") for t in forward.get("targetGroups") or [])
        for rule in run.of_type(RULE):
            forward = (rule.inputs.get("action") or {}).get("forward") or {}
            forwarded.update(t.get("targetGroupIdentifier") for t in forward.get("targetGroups") or [])
        for group in run.of_type(TARGET_GROUP):
            if group.id not in forwarded and group.state.get("arn") not in forwarded:
                found.append((run.stack, group.inputs.get("name", group.name)))
    return sorted(found)


@dataclass(frozen=True)
class GroupElsewhere:
    """A stack target group created elsewhere that the stack's services forward to: by `arn`, or read from another
    stack's outputs (`source`: {stack, output, key}); its ARN is `UNKNOWN` when that stack is not planned here."""

    stack: str
    name: str
    arn: str
    source: dict[str, str] | None
    services: tuple[str, ...]  # the services of the stack whose listeners or rules forward to it

    @property
    def origin(self) -> str:
        return f"from stack {self.source['stack']}" if self.source else "by ARN"


def _forwards(run: offline.ProgramRun) -> list[tuple[str, list[Any], set[str]]]:
    """(service name, target group identifiers, dependencies) of every listener's default action and rule action."""
    names = {service.id: service.inputs.get("name", service.name) for service in run.of_type(SERVICE)}
    found = []
    for listener in run.of_type(LISTENER):
        forwards = (listener.inputs.get("defaultAction") or {}).get("forwards") or []
        identifiers = [t.get("targetGroupIdentifier") for forward in forwards for t in forward.get("targetGroups") or []]
        found.append((names.get(listener.inputs.get("serviceIdentifier"), ""), identifiers,
                      set(listener.property_dependencies.get("defaultAction", []))))
    for rule in run.of_type(RULE):
        forward = (rule.inputs.get("action") or {}).get("forward") or {}
        identifiers = [t.get("targetGroupIdentifier") for t in forward.get("targetGroups") or []]
        found.append((names.get(rule.inputs.get("serviceIdentifier"), ""), identifiers, set(rule.property_dependencies.get("action", []))))
    return found


def groups_elsewhere(env_run: offline.EnvironmentRun) -> list[GroupElsewhere]:
    """Every stack target group (an account stack's `targetGroups` output) not created by its stack, in stack and
    name order, with the services forwarding to it: by its ARN, or, while the ARN is unknown, by the reference to
    the stack it is read from (a forward derived from that reference depends on it)."""
    found = []
    for run in env_run.accounts:
        created = {group.state.get("arn") for group in run.of_type(TARGET_GROUP)}
        sources = run.outputs.get("targetGroupsFromStacks") or {}
        references = {urn.rsplit("::", 1)[-1]: urn for urn in run.reads if f"::{STACK_REFERENCE}::" in urn or f"${STACK_REFERENCE}::" in urn}
        forwards = _forwards(run)
        for name, arn in sorted((run.outputs.get("targetGroups") or {}).items()):
            if arn in created:
                continue
            source = sources.get(name)
            if is_unknown(arn):
                urn = references.get((source or {}).get("stack"))
                services = {service for service, identifiers, needs in forwards if urn in needs and any(map(is_unknown, identifiers))}
            else:
                services = {service for service, identifiers, _ in forwards if arn in identifiers}
            found.append(GroupElsewhere(run.stack, name, arn, source, tuple(sorted(services))))
    return found


def _elsewhere_note(group: GroupElsewhere) -> str:
    where = f"`{group.stack}`: target group {group.name}"
    by = f", forwarded to by {', '.join(group.services)}" if group.services else ", forwarded to by no service of its stack"
    if group.source is None:
        return f"{where} is created elsewhere and referenced by ARN ({group.arn}){by}."
    read = f"{where} is read from stack {group.source['stack']} (output {group.source['output']}, key {group.source['key']})"
    if is_unknown(group.arn):
        return (f"{read}, which this plan does not run: its ARN is unknown here, so the API-model check of it could not "
                f"decide (`pulumi preview` of {group.stack} reads it){by}.")
    return f"{read}, planned before this stack: {group.arn}{by}."


def standalone_reason(facts: ServiceFacts) -> str:
    """Why a standalone service is not reached through the environment's network, for its access-matrix cells."""
    reached = (f"callers reach it only through its RAM share with {', '.join(facts.shared_with)}, from a network "
               "of theirs" if facts.shared_with else "it is not shared through RAM either, so only a network another "
               "stack associates it with reaches it")
    return f"service {facts.name} joins no service network (standalone): unreachable through this network; {reached}"


NO_LISTENER = "service {name} has no listener: it serves nothing yet"


def notes(env_run: offline.EnvironmentRun) -> list[str]:
    """One sentence per fact a reviewer should see: standalone services, RAM shares of services, services with no
    listener, groups created elsewhere (by ARN or from another stack), target groups nothing forwards to."""
    found = []
    for facts in services(env_run):
        where = f"`{facts.stack}`: service {facts.name}"
        if not facts.associated:
            found.append(f"{where} joins no service network (standalone)"
                         + ("." if facts.shared_with else ", and is not shared through RAM: nothing in these stacks reaches it."))
        if facts.shared_with:
            outside = " (allowExternalPrincipals: accounts outside the organization may accept)" if facts.external_share else ""
            found.append(f"{where} is shared through RAM with {', '.join(facts.shared_with)}{outside}.")
        if facts.listeners == 0:
            found.append(f"{where} has no listener: it serves nothing yet.")
    found += [_elsewhere_note(group) for group in groups_elsewhere(env_run)]
    for stack, group in unused_target_groups(env_run):
        found.append(f"`{stack}`: target group {group} is forwarded to by no listener or rule of its stack "
                     "(fine while a traffic shift to it is prepared, or if another stack forwards to it by ARN).")
    return found


def markdown(found: list[str]) -> list[str]:
    """The notes section of the Markdown report (nothing when there is nothing to say)."""
    return ["### Notes", "", *[f"- {note}" for note in found], ""] if found else []
