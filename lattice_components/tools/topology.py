"""The deployed topology of an environment, read from what the stacks registered (not from their config).

Feeds two views: the Mermaid diagram (`lattice graph`) and the access matrix (`lattice access`), which the
evaluator in `access.py` computes from the generated auth policies, VPC associations and security groups.
"""

from __future__ import annotations

import ipaddress
import json
from collections import Counter
from dataclasses import dataclass
from typing import Any

from . import access, declared_callers, offline, plan_notes, resource_access

SN = "aws:vpclattice/serviceNetwork:ServiceNetwork"
SERVICE = "aws:vpclattice/service:Service"
AUTH_POLICY = "aws:vpclattice/authPolicy:AuthPolicy"
LISTENER = "aws:vpclattice/listener:Listener"
VPC_ASSOCIATION = "aws:vpclattice/serviceNetworkVpcAssociation:ServiceNetworkVpcAssociation"
SERVICE_ASSOCIATION = "aws:vpclattice/serviceNetworkServiceAssociation:ServiceNetworkServiceAssociation"
SECURITY_GROUP = "aws:ec2/securityGroup:SecurityGroup"


@dataclass(frozen=True)
class ConsumerVpc:
    account: str
    account_id: str
    vpc_id: str
    client_ip: str | None


def _resources(env_run: offline.EnvironmentRun, type_token: str) -> list[tuple[offline.ProgramRun, offline.RegisteredResource]]:
    return [(run, r) for run in env_run.runs for r in run.of_type(type_token)]


def _account_of(run: offline.ProgramRun, env_run: offline.EnvironmentRun) -> tuple[str, str]:
    accounts = env_run.network.outputs.get("accounts", {})
    name = run.outputs.get("account") or env_run.network.outputs.get("networkAccount", "")
    return name, accounts.get(name, {}).get("id", "")


def _policies_by_target(env_run: offline.EnvironmentRun) -> dict[str, str]:
    return {r.inputs["resourceIdentifier"]: r.inputs["policy"] for _, r in _resources(env_run, AUTH_POLICY)}


def consumer_vpcs(env_run: offline.EnvironmentRun) -> list[ConsumerVpc]:
    """Every associated VPC with its owner account; a representative client address inside the range the
    association's created security group admits (where the workloads are), so CIDR rules can be evaluated."""
    groups = {r.id: r for _, r in _resources(env_run, SECURITY_GROUP)}
    found = []
    for run, association in _resources(env_run, VPC_ASSOCIATION):
        name, account_id = _account_of(run, env_run)
        client_ip = None
        for group_id in association.inputs.get("securityGroupIds") or []:
            for rule in (groups[group_id].inputs.get("ingress") or []) if group_id in groups else []:
                for cidr in rule.get("cidrBlocks") or []:
                    client_ip = client_ip or str(next(ipaddress.ip_network(cidr, strict=False).hosts()))
        found.append(ConsumerVpc(name, account_id, association.inputs["vpcIdentifier"], client_ip))
    # VPCs that reach the network through a ServiceNetwork endpoint call its services too.
    accounts = env_run.network.outputs.get("accounts", {})
    for name, vpc, group_id in resource_access.endpoint_consumers(env_run):
        rule = next(iter(groups[group_id].inputs.get("ingress") or []), {}) if group_id in groups else {}
        cidr = next(iter(rule.get("cidrBlocks") or []), None)
        client_ip = str(next(ipaddress.ip_network(cidr, strict=False).hosts())) if cidr else None
        found.append(ConsumerVpc(name, accounts.get(name, {}).get("id", ""), vpc, client_ip))
    return found


def build(env_run: offline.EnvironmentRun) -> access.Topology:
    policies = _policies_by_target(env_run)
    services_by_id = {r.id: r for _, r in _resources(env_run, SERVICE)}
    listeners: dict[str, list[access.Listener]] = {}
    for _, listener in _resources(env_run, LISTENER):
        listeners.setdefault(listener.inputs["serviceIdentifier"], []).append(
            access.Listener(port=int(listener.inputs["port"]), protocol=listener.inputs["protocol"])
        )
    services = [
        access.Service(
            arn=r.state["arn"], auth_type=r.inputs.get("authType", "NONE"), auth_policy=policies.get(r.state["arn"]),
            listeners=tuple(listeners.get(r.id, [])), name=r.inputs.get("name"),
        )
        for r in services_by_id.values()
    ]
    vpc_associations = _resources(env_run, VPC_ASSOCIATION)
    service_associations = _resources(env_run, SERVICE_ASSOCIATION)
    networks = []
    for _, network in _resources(env_run, SN):
        identifiers = {network.id, network.state["arn"]}
        networks.append(access.ServiceNetwork(
            arn=network.state["arn"],
            auth_type=network.inputs.get("authType", "NONE"),
            auth_policy=policies.get(network.state["arn"]),
            vpc_associations={
                a.inputs["vpcIdentifier"]: tuple(a.inputs.get("securityGroupIds") or [])
                for _, a in vpc_associations if a.inputs["serviceNetworkIdentifier"] in identifiers
            } | resource_access.endpoint_attachments(env_run, identifiers),
            service_arns=frozenset(
                services_by_id[a.inputs["serviceIdentifier"]].state["arn"]
                for _, a in service_associations
                if a.inputs["serviceNetworkIdentifier"] in identifiers and a.inputs["serviceIdentifier"] in services_by_id
            ),
        ))
    security_groups = {r.id: list(r.inputs.get("ingress") or []) for _, r in _resources(env_run, SECURITY_GROUP)}
    return access.Topology(networks=networks, services=services, security_groups=security_groups)


def _declared_principals(topology: access.Topology) -> list[str]:
    principals: list[str] = []
    for service in topology.services:
        if not service.auth_policy:
            continue
        for statement in access.as_list(json.loads(service.auth_policy)["Statement"]):
            aws = (statement.get("Principal") or {}).get("AWS", []) if isinstance(statement.get("Principal"), dict) else []
            principals += [aws] if isinstance(aws, str) else aws
    return sorted({p for p in principals if ":role/" in p or ":user/" in p})


def callers(env_run: offline.EnvironmentRun, topology: access.Topology) -> list[access.Caller]:
    """Every principal an auth policy names, from each VPC its account owns (or from nowhere, when its account
    has no associated VPC), plus an undeclared role in each consumer VPC: the caller nobody asked for."""
    accounts = env_run.network.outputs.get("accounts", {})
    in_org = {a["id"]: a.get("inOrganization", True) for a in accounts.values()}
    organization = _organization_id(env_run)
    vpcs = consumer_vpcs(env_run)
    vpcs_of_account: dict[str, list[ConsumerVpc]] = {}
    for vpc in vpcs:
        vpcs_of_account.setdefault(vpc.account_id, []).append(vpc)
    found: list[access.Caller] = []
    # A caller a hand-written policy admits by tag or organization is named by no policy: its account declares it.
    named = sorted({*_declared_principals(topology), *declared_callers.declared(env_run)})
    for principal in named:
        account_id = principal.split(":")[4]
        owned = vpcs_of_account.get(account_id) or [ConsumerVpc("", account_id, "(no VPC)", None)]
        for vpc in owned:
            found.append(access.Caller(
                principal_arn=principal, vpc_id=vpc.vpc_id, source_ip=vpc.client_ip,
                org_id=organization if in_org.get(account_id, False) else None,
                name=f"{principal.rsplit('/', 1)[-1]} ({vpc.vpc_id})",
            ))
    for vpc in vpcs:
        principal = f"arn:aws:iam::{vpc.account_id}:role/UndeclaredRole"
        found.append(access.Caller(
            principal_arn=principal, vpc_id=vpc.vpc_id, source_ip=vpc.client_ip,
            org_id=organization if in_org.get(vpc.account_id, False) else None,
            name=f"UndeclaredRole ({vpc.vpc_id})",
        ))
    return found


def _organization_id(env_run: offline.EnvironmentRun) -> str | None:
    for _, policy in _resources(env_run, AUTH_POLICY):
        for statement in access.as_list(json.loads(policy.inputs["policy"])["Statement"]):
            org = statement.get("Condition", {}).get("StringEquals", {}).get("aws:PrincipalOrgID")
            if org:
                return org if isinstance(org, str) else org[0]
    return None


def access_rows(env_run: offline.EnvironmentRun) -> list[dict[str, Any]]:
    """The access matrix as rows: caller, VPC, service, allowed, reasons."""
    topology = build(env_run)
    # Declared callers (lattice:callers) bring their tags, methods and headers: one row per method they send.
    rows = declared_callers.with_declarations(callers(env_run, topology), declared_callers.declared(env_run))
    everyone = [caller for caller, _, _ in rows]
    matrix = declared_callers.access_matrix(rows, topology)
    names = {service.arn: service.name or service.arn for service in topology.services}
    by_label = {caller.label: caller for caller in everyone}
    facts = {service.arn: service for service in plan_notes.services(env_run)}
    matrix = {key: _what_holds(decision, facts.get(key[1])) for key, decision in matrix.items()}
    rows = [
        {
            "caller": label.split(" (")[0],
            "principal": by_label[label].principal_arn,
            "vpc": by_label[label].vpc_id,
            "service": names[service_arn],
            "allowed": decision.allowed,
            "evaluable": decision.evaluable,
            # Service names read better than ARNs of fake-looking IDs; ARNs stay in the JSON's other fields. A
            # cell's reasons name no service but its own.
            "reasons": [reason.replace(service_arn, names[service_arn]) for reason in decision.reasons],
        }
        for (label, service_arn), decision in matrix.items()
    ]
    return sorted(rows, key=lambda row: (row["caller"], row["vpc"], row["service"]))


def _what_holds(decision: access.Decision, facts: plan_notes.ServiceFacts | None) -> access.Decision:
    """A cell of a service that joins no network or has no listener: denied for that reason, said in its words
    (the evaluator would only find it missing from the network, or evaluate a port it does not have)."""
    if facts is None:
        return decision
    if not facts.associated:
        return access.Decision(False, [plan_notes.standalone_reason(facts)])
    if facts.listeners == 0:
        return access.Decision(False, [plan_notes.NO_LISTENER.format(name=facts.name)])
    return decision


# Mermaid's own defaults (mermaid.js `maxTextSize`, `maxEdges`): past either, GitHub shows an error instead of
# the diagram.
MERMAID_MAX_TEXT = 50_000
MERMAID_MAX_EDGES = 500


def _node(text: str) -> str:
    return "n_" + "".join(ch if ch.isalnum() else "_" for ch in text)


def mermaid(env_run: offline.EnvironmentRun, access: list[dict[str, Any]] | None = None) -> str:
    """The topology as a Mermaid graph: accounts, VPCs, the network, services, and who may call whom; past
    what Mermaid renders, the overview by account (`mermaid_accounts`).

    `access`: the rows of `access_rows(env_run)` when the caller has them already (evaluating every policy
    again costs as much as the diagram itself).
    """
    rows = access if access is not None else access_rows(env_run)
    full = mermaid_detailed(env_run, rows)
    edges = sum(1 for line in full.splitlines() if "-->" in line or ".->" in line)
    if len(full) <= MERMAID_MAX_TEXT and edges <= MERMAID_MAX_EDGES:
        return full
    return mermaid_accounts(env_run, rows)


def _roles(env_run: offline.EnvironmentRun) -> dict[str, str]:
    owner, _ = _account_of(env_run.network, env_run)
    accounts = env_run.network.outputs.get("accounts", {})
    return {
        name: "network owner" if name == owner else "member" if entry.get("inOrganization", True) else "outside the organization"
        for name, entry in accounts.items()
    }


def mermaid_accounts(env_run: offline.EnvironmentRun, access: list[dict[str, Any]]) -> str:
    """The topology by account, for environments too large to draw service by service: one node per account
    (its services and VPCs counted), its association with the network, and who may call whom as account to
    account edges labelled with the number of allowed (caller, service) pairs."""
    accounts = env_run.network.outputs.get("accounts", {})
    roles = _roles(env_run)
    owner, _ = _account_of(env_run.network, env_run)
    services: Counter[str] = Counter()
    vpcs: Counter[str] = Counter()
    account_of_service: dict[str, str] = {}
    account_of_vpc: dict[str, str] = {}
    for run in env_run.accounts:
        name, _ = _account_of(run, env_run)
        for service in run.of_type(SERVICE):
            services[name] += 1
            account_of_service[service.inputs["name"]] = name
        for association in run.of_type(VPC_ASSOCIATION):
            vpcs[name] += 1
            account_of_vpc[association.inputs["vpcIdentifier"]] = name
    network_name = env_run.network.outputs.get("serviceNetworkName", "network")
    lines = ["graph LR", f'  {_node("sn")}{{{{"service network {network_name}<br/>owner: {owner}"}}}}']
    names = sorted(set(services) | set(vpcs) | {owner})
    for name in names:
        label = f"{name} {accounts.get(name, {}).get('id', '')} ({roles.get(name, 'member')})"
        lines.append(f'  {_node("account-" + name)}["{label}<br/>{services[name]} services, {vpcs[name]} VPCs"]')
    lines += [f'  {_node("account-" + name)} -- association --> {_node("sn")}' for name in names if services[name] or vpcs[name]]
    pairs = Counter(
        (account_of_vpc.get(row["vpc"], ""), account_of_service.get(row["service"], ""))
        for row in access if row["allowed"]
    )
    for (caller, callee), count in sorted(pairs.items()):
        lines.append(f'  {_node("account-" + caller)} -. "{count} allowed" .-> {_node("account-" + callee)}')
    return "\n".join(lines) + "\n"


def mermaid_detailed(env_run: offline.EnvironmentRun, access: list[dict[str, Any]]) -> str:
    """Every account, VPC, service and allowed (caller, service) pair."""
    node = _node

    lines = ["graph LR"]
    network_name = env_run.network.outputs.get("serviceNetworkName", "network")
    owner, _ = _account_of(env_run.network, env_run)
    members: dict[str, list[str]] = {owner: [f'    {node("sn")}{{{{"service network {network_name}"}}}}']}
    facts = {f.arn: f for f in plan_notes.services(env_run)}
    for run in env_run.accounts:
        name, _ = _account_of(run, env_run)
        body = members.setdefault(name, [])
        for service in sorted(run.of_type(SERVICE), key=lambda r: r.inputs["name"]):
            fact = facts.get(service.state.get("arn"))
            extra = "".join(f"<br/>{text}" for text, holds in (
                ("standalone", fact is not None and not fact.associated), ("no listener", fact is not None and not fact.listeners)
            ) if holds)
            body.append(f'    {node(service.inputs["name"])}["{service.inputs["name"]}<br/>{service.inputs.get("authType", "NONE")}{extra}"]')
        for association in sorted(run.of_type(VPC_ASSOCIATION), key=lambda r: r.inputs["vpcIdentifier"]):
            vpc = association.inputs["vpcIdentifier"]
            body.append(f'    {node(vpc)}(["{vpc}"])')
        body += resource_access.account_nodes(run, node)
    accounts = env_run.network.outputs.get("accounts", {})
    for name, body in members.items():
        role = "network owner" if name == owner else "member" if accounts.get(name, {}).get("inOrganization", True) else "outside the organization"
        lines.append(f'  subgraph {node("account-" + name)}["{name} {accounts.get(name, {}).get("id", "")} ({role})"]')
        lines += body
        lines.append("  end")
    # Sorted: the engine registers resources concurrently, so registration order is not stable between runs.
    associated = sorted(
        [f.name for f in facts.values() if f.associated]
        + [r.inputs["vpcIdentifier"] for run in env_run.accounts for r in run.of_type(VPC_ASSOCIATION)]
    )
    lines += [f'  {node(name)} -- association --> {node("sn")}' for name in associated]
    account_names = {f"{entry.get('id')}": name for name, entry in accounts.items()}
    for fact in sorted(facts.values(), key=lambda f: f.name):
        for principal in fact.shared_with:
            account = account_names.get(principal.rsplit("(", 1)[-1].rstrip(")"))
            target = node("account-" + account) if account else node("principal-" + principal)
            if account not in members:  # an account with no stack here, or a principal outside the registry
                lines.append(f'  {target}(["{principal}"])')
            lines.append(f'  {node(fact.name)} -. "RAM share" .-> {target}')
    for group in plan_notes.groups_elsewhere(env_run):  # forwards leaving their stack: by ARN, or to another stack's group
        target = node(f"tg-{group.stack}-{group.name}")
        lines.append(f'  {target}[["target group {group.name}<br/>{group.origin}"]]')
        lines += [f'  {node(service)} -- forward --> {target}' for service in group.services]
    lines += resource_access.edges(env_run, node)
    allowed = sorted({(row["vpc"], row["caller"], row["service"]) for row in access if row["allowed"]})
    for vpc, caller, service in allowed:
        lines.append(f'  {node(vpc)} -. "{caller}" .-> {node(service)}')
    return "\n".join(lines) + "\n"
