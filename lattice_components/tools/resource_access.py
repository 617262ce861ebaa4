"""Which consumer VPC can reach which VPC resource (resource configuration) on which ports, read from what the
stacks registered; and the resource gateways, configurations and endpoints for the topology diagram.

What decides resource access (VPC Lattice user guide, resource configurations and service-network endpoints):

1. the consumer VPC is attached to the service network: a VPC association, or a VPC endpoint of type
   ServiceNetwork (a Resource endpoint reaches its one configuration directly);
2. the resource configuration (or, for a CHILD, its GROUP) is associated with that network;
3. the security groups of the association or endpoint admit the port: an association without groups filters
   nothing; an endpoint without groups gets the VPC's default group, whose rules no stack declares;
4. the resource gateway's security groups let the gateway reach the resource (egress): their rules live outside
   these stacks, so they are reported as not modelled (assumed to allow), never decided silently.

Auth policies do not apply: a resource configuration has none, and a network's auth policy governs requests to
services only. RAM shares make a configuration visible to another account (for its own association or a
Resource endpoint); they do not open a path by themselves.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from . import offline

GATEWAY = "aws:vpclattice/resourceGateway:ResourceGateway"
CONFIGURATION = "aws:vpclattice/resourceConfiguration:ResourceConfiguration"
RESOURCE_ASSOCIATION = "aws:vpclattice/serviceNetworkResourceAssociation:ServiceNetworkResourceAssociation"
VPC_ASSOCIATION = "aws:vpclattice/serviceNetworkVpcAssociation:ServiceNetworkVpcAssociation"
ENDPOINT = "aws:ec2/vpcEndpoint:VpcEndpoint"
SECURITY_GROUP = "aws:ec2/securityGroup:SecurityGroup"
RAM_LINK = "aws:ram/resourceAssociation:ResourceAssociation"
RAM_PRINCIPAL = "aws:ram/principalAssociation:PrincipalAssociation"

NOTES = (
    "Resource access is decided by the network association and security groups, not auth policies (resources "
    "have none). Resource gateways' security groups (egress to the resource) are not modelled: assumed to allow."
)


@dataclass(frozen=True)
class Attachment:
    """A consumer VPC's way into the network: `via` association or endpoint, with its security groups."""

    account: str
    vpc_id: str
    via: str
    network: str  # the network's ARN or ID as the attachment names it
    security_group_ids: tuple[str, ...]
    only_configuration: str | None = None  # a Resource endpoint reaches this configuration ARN only


def _registered(env_run: offline.EnvironmentRun, type_token: str) -> list[tuple[offline.ProgramRun, offline.RegisteredResource]]:
    return [(run, r) for run in env_run.runs for r in run.of_type(type_token)]


def _account(run: offline.ProgramRun, env_run: offline.EnvironmentRun) -> str:
    return run.outputs.get("account") or env_run.network.outputs.get("networkAccount", "")


def attachments(env_run: offline.EnvironmentRun) -> list[Attachment]:
    found = [
        Attachment(_account(run, env_run), a.inputs["vpcIdentifier"], "association", a.inputs["serviceNetworkIdentifier"],
                   tuple(a.inputs.get("securityGroupIds") or ()))
        for run, a in _registered(env_run, VPC_ASSOCIATION)
    ]
    for run, e in _registered(env_run, ENDPOINT):
        kind = e.inputs.get("vpcEndpointType")
        if kind in ("ServiceNetwork", "Resource"):
            found.append(Attachment(
                _account(run, env_run), e.inputs["vpcId"], "endpoint", e.inputs.get("serviceNetworkArn", ""),
                tuple(e.inputs.get("securityGroupIds") or ()),
                e.inputs.get("resourceConfigurationArn") if kind == "Resource" else None,
            ))
    return sorted(found, key=lambda a: (a.account, a.vpc_id))


def endpoint_attachments(env_run: offline.EnvironmentRun, network_identifiers: set[str]) -> dict[str, tuple[str, ...]]:
    """VPC -> security groups of the ServiceNetwork endpoints into one network: for services they act as a VPC
    association does (the access matrix of services includes them)."""
    return {
        a.vpc_id: a.security_group_ids
        for a in attachments(env_run)
        if a.via == "endpoint" and a.only_configuration is None and a.network in network_identifiers
    }


def endpoint_consumers(env_run: offline.EnvironmentRun) -> list[tuple[str, str, str]]:
    """(account, VPC, first security group) of every ServiceNetwork endpoint, for the services' callers."""
    return [(a.account, a.vpc_id, (a.security_group_ids or ("",))[0]) for a in attachments(env_run)
            if a.via == "endpoint" and a.only_configuration is None]


def _ranges(values: Iterable[str]) -> list[tuple[int, int]]:
    found = []
    for value in values:
        low, _, high = str(value).partition("-")
        found.append((int(low), int(high or low)))
    return found


def _shown(ranges: Iterable[tuple[int, int]]) -> str:
    return ", ".join(str(a) if a == b else f"{a}-{b}" for a, b in ranges)


def _admitted(wanted: list[tuple[int, int]], groups: tuple[str, ...], rules_of: dict[str, list[dict[str, Any]]]) -> tuple[list[tuple[int, int]], list[str], list[str]]:
    """The parts of `wanted` the groups' TCP ingress rules admit (from the clients the rules name), the groups
    that admit them, and the groups whose rules no stack declares."""
    unknown = [group for group in groups if group not in rules_of]
    opened: list[tuple[int, int]] = []
    admitting: list[str] = []
    for group in groups:
        for rule in rules_of.get(group, []):
            protocol = str(rule.get("protocol", "")).lower()
            if protocol in ("-1", "all"):
                low, high = 1, 65535
            elif protocol in ("tcp", "6"):
                low, high = int(rule.get("fromPort", 0)), int(rule.get("toPort", 65535))
            else:
                continue
            for a, b in wanted:
                if max(a, low) <= min(b, high):
                    opened.append((max(a, low), min(b, high)))
                    admitting += [group] if group not in admitting else []
    merged: list[tuple[int, int]] = []
    for a, b in sorted(set(opened)):
        if merged and a <= merged[-1][1] + 1:
            merged[-1] = (merged[-1][0], max(b, merged[-1][1]))
        else:
            merged.append((a, b))
    return merged, admitting, unknown


def rows(env_run: offline.EnvironmentRun) -> list[dict[str, Any]]:
    """Every consumer VPC x resource configuration: reachable or not, on which ports, and why."""
    configs = {r.id: (run, r) for run, r in _registered(env_run, CONFIGURATION)}
    arn_of = {r.id: r.state.get("arn", "") for _, r in configs.values()}
    network_of: dict[str, set[str]] = {}
    for _, association in _registered(env_run, RESOURCE_ASSOCIATION):
        network_of.setdefault(association.inputs["resourceConfigurationIdentifier"], set()).add(
            association.inputs["serviceNetworkIdentifier"])
    networks = [(n.id, n.state.get("arn", "")) for _, n in _registered(env_run, "aws:vpclattice/serviceNetwork:ServiceNetwork")]
    rules_of = {r.id: list(r.inputs.get("ingress") or []) for _, r in _registered(env_run, SECURITY_GROUP)}
    found = []
    for attachment in attachments(env_run):
        same_network = {ident for pair in networks for ident in pair if attachment.network in pair}
        for config_id, (run, config) in sorted(configs.items(), key=lambda item: item[1][1].inputs["name"]):
            group_id = config.inputs.get("resourceConfigurationGroupId")
            kind = config.inputs.get("type", "SINGLE")
            if kind == "GROUP":
                continue  # a group is reached through its children, which carry the addresses
            # A CHILD joins the network through its group's association.
            joined = network_of.get(group_id or config_id, set()) & (same_network or {attachment.network})
            name = config.inputs["name"]
            row = {"account": attachment.account, "vpc": attachment.vpc_id, "via": attachment.via, "resource": name,
                   "owner": _account(run, env_run), "type": kind, "ports": "", "allowed": False, "evaluable": True}
            ports = _ranges(config.inputs.get("portRanges") or [])
            if attachment.only_configuration is not None:
                reachable = attachment.only_configuration == arn_of.get(config_id)
                row["reasons"] = [f"the Resource endpoint in {attachment.vpc_id} reaches "
                                  f"{'this configuration' if reachable else 'another configuration only'}"]
                if not reachable:
                    found.append(row)
                    continue
            elif not joined:
                row["reasons"] = [f"{name} is not associated with the network {attachment.vpc_id} is attached to"]
                found.append(row)
                continue
            if not ports:
                row.update(evaluable=False, reasons=[f"{name} ({kind}) lists no portRanges: its ports are the AWS resource's, not in the stacks"])
                found.append(row)
                continue
            where = f"the {attachment.via} of {attachment.vpc_id}"
            if not attachment.security_group_ids:
                if attachment.via == "association":
                    row.update(allowed=True, ports=_shown(ports),
                               reasons=[f"{where} has no security groups: no filtering"])
                else:
                    row.update(evaluable=False, reasons=[f"{where} has no security groups: the VPC's default group applies, whose rules no stack declares"])
                found.append(row)
                continue
            opened, admitting, unknown = _admitted(ports, attachment.security_group_ids, rules_of)
            groups = ", ".join(attachment.security_group_ids)
            if opened:
                row.update(allowed=True, ports=_shown(opened),
                           reasons=[f"security group {', '.join(admitting)} of {where} admits TCP {_shown(opened)}"])
            elif unknown:
                row.update(evaluable=False, reasons=[f"cannot decide: the rules of security groups {', '.join(unknown)} of {where} are not in the stacks"])
            else:
                row["reasons"] = [f"no ingress rule of security groups {groups} of {where} admits TCP {_shown(ports)}"]
            found.append(row)
    return sorted(found, key=lambda row: (row["vpc"], row["resource"]))


def shared_with(env_run: offline.EnvironmentRun) -> list[tuple[str, str]]:
    """(configuration name, account short name or principal) of every RAM share of a resource configuration."""
    accounts = {str(a["id"]): name for name, a in (env_run.network.outputs.get("accounts") or {}).items()}
    configs = {r.state.get("arn"): r.inputs["name"] for _, r in _registered(env_run, CONFIGURATION)}
    found = []
    for run in env_run.runs:
        shared = {link.inputs.get("resourceShareArn"): configs[link.inputs.get("resourceArn")]
                  for link in run.of_type(RAM_LINK) if link.inputs.get("resourceArn") in configs}
        for principal in run.of_type(RAM_PRINCIPAL):
            name = shared.get(principal.inputs.get("resourceShareArn"))
            if name:
                who = principal.inputs.get("principal", "")
                found.append((name, accounts.get(who, "organization" if ":organization/" in who else who)))
    return sorted(found)


def account_nodes(run: offline.ProgramRun, node: Callable[[str], str]) -> list[str]:
    """Mermaid lines inside an account's subgraph: its gateways, configurations and endpoint VPCs."""
    lines = []
    for gateway in sorted(run.of_type(GATEWAY), key=lambda r: r.inputs["name"]):
        lines.append(f'    {node("rgw-" + gateway.inputs["name"])}[/"resource gateway {gateway.inputs["name"]}<br/>{gateway.inputs["vpcId"]}"/]')
    for config in sorted(run.of_type(CONFIGURATION), key=lambda r: r.inputs["name"]):
        ports = ",".join(config.inputs.get("portRanges") or []) or "resource's ports"
        lines.append(f'    {node("rcfg-" + config.inputs["name"])}[("{config.inputs["name"]}<br/>{config.inputs.get("type", "SINGLE")} TCP {ports}")]')
    for endpoint in sorted(run.of_type(ENDPOINT), key=lambda r: r.inputs["vpcId"]):
        lines.append(f'    {node(endpoint.inputs["vpcId"])}(["{endpoint.inputs["vpcId"]}"])')
    return lines


def edges(env_run: offline.EnvironmentRun, node: Callable[[str], str], access: list[dict[str, Any]] | None = None) -> list[str]:
    """Mermaid edges: configuration to gateway and network, endpoint VPCs to the network, RAM shares, and who
    reaches which resource on which ports (dotted)."""
    lines = []
    gateways = {r.id: r.inputs["name"] for _, r in _registered(env_run, GATEWAY)}
    configs = {r.id: r for _, r in _registered(env_run, CONFIGURATION)}
    for config in sorted(configs.values(), key=lambda r: r.inputs["name"]):
        parent = configs.get(config.inputs.get("resourceConfigurationGroupId") or "")
        if parent is not None:
            lines.append(f'  {node("rcfg-" + parent.inputs["name"])} --- {node("rcfg-" + config.inputs["name"])}')
        gateway = gateways.get(config.inputs.get("resourceGatewayIdentifier") or "")
        if gateway:
            lines.append(f'  {node("rgw-" + gateway)} --- {node("rcfg-" + config.inputs["name"])}')
    for _, association in sorted(_registered(env_run, RESOURCE_ASSOCIATION), key=lambda pair: pair[1].name):
        config = configs.get(association.inputs["resourceConfigurationIdentifier"])
        if config is not None:
            lines.append(f'  {node("rcfg-" + config.inputs["name"])} -- association --> {node("sn")}')
    for attachment in attachments(env_run):
        if attachment.via == "endpoint":
            lines.append(f'  {node(attachment.vpc_id)} -- endpoint --> {node("sn")}')
    for name, account in shared_with(env_run):
        lines.append(f'  {node("rcfg-" + name)} -. "RAM share" .-> {node("account-" + account)}')
    for row in access if access is not None else rows(env_run):
        if row["allowed"]:
            lines.append(f'  {node(row["vpc"])} -. "TCP {row["ports"]}" .-> {node("rcfg-" + row["resource"])}')
    return lines


def markdown(access: list[dict[str, Any]]) -> list[str]:
    """The resource access section of the plan report, as lines."""
    lines = ["### Resource access", "", NOTES, "",
             "| from VPC | account | via | resource | owner | ports | decision | why |", "|---|---|---|---|---|---|---|---|"]
    for row in access:
        decision = "✅ reachable" if row["allowed"] else "⛔ unreachable" if row["evaluable"] else "❓ cannot decide"
        lines.append(f"| `{row['vpc']}` | {row['account']} | {row['via']} | {row['resource']} ({row['type']}) | "
                     f"{row['owner']} | {row['ports'] or '-'} | {decision} | {'; '.join(row['reasons'])} |")
    return lines if access else lines[:2] + ["None: no stack registers a resource configuration."]


def table(access: list[dict[str, Any]]):
    """The resource access rows as a rich table, for the terminal."""
    from rich.table import Table

    found = Table(title="Resource access", caption=NOTES)
    for column in ("from VPC", "via", "resource", "ports", "decision", "why"):
        found.add_column(column, overflow="fold")
    for row in access:
        decision = "[green]reachable[/]" if row["allowed"] else "[red]unreachable[/]" if row["evaluable"] else "[yellow]cannot decide[/]"
        found.add_row(row["vpc"], row["via"], f"{row['resource']} ({row['owner']})", row["ports"] or "-", decision, "; ".join(row["reasons"]))
    return found
