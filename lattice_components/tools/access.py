"""Who can reach which Lattice service: auth policies evaluated the way VPC Lattice evaluates them.

The access matrix is computed from the policies the stacks *generate*, not from the config that asked for
them, so a bug in policy generation shows up as a wrong cell instead of hiding behind the config it came from.

A request passes when every layer lets it through (VPC Lattice user guide, "How authorization works"):

1. network: the caller's VPC is associated with the service network, the service is associated with it, and
   the association's security groups (if any) admit the listener port;
2. the service network's auth policy, when the network's ``authType`` is ``AWS_IAM``;
3. the service's auth policy, when the service's ``authType`` is ``AWS_IAM``;
4. the caller's identity-based policy, when one is given and any auth policy was checked (Lattice needs an
   explicit allow in both the auth policy and the identity policy).

Inside one policy: an explicit Deny wins, otherwise one matching Allow is needed, otherwise implicit deny.
``authType`` ``AWS_IAM`` with no policy denies everything (API reference, ``authType``).

Nothing is guessed: a policy with an element, operator or condition key outside the supported set, or a
statement that depends on a request value the caller did not give (method, path, headers, port, source IP),
yields ``Decision(allowed=False, evaluable=False)`` with the reason, never a silent allow.
The policy grammar the evaluator understands is documented in `lattice_components.iam.evaluator`.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import Any

from ..iam.evaluator import (
    ACTION_CONNECT,
    ACTION_INVOKE,
    AUTH_IAM,
    AUTH_NONE,
    Caller,
    PolicyDocument,
    Request,
    all3,
    as_list,
    evaluate_policy,
)

SecurityGroupRule = Mapping[str, Any]
"""One ingress rule, camelCase like pulumi-aws: ``protocol`` (``tcp``/``6``/``-1``/``all``), ``fromPort``,
``toPort`` and the sources ``cidrBlocks``, ``ipv6CidrBlocks``, ``prefixListIds``, ``sourceSecurityGroupId``
or ``securityGroups`` (list), ``self`` (bool). A rule admits a request when protocol and port match and
any one source matches."""


@dataclass
class Decision:
    """The verdict on one request. `allowed` is False whenever `evaluable` is False."""

    allowed: bool
    reasons: list[str]
    evaluable: bool = True



@dataclass(frozen=True)
class Listener:
    """A service listener. protocol: HTTP, HTTPS or TLS_PASSTHROUGH; port 1-65535."""

    port: int
    protocol: str = "HTTP"


@dataclass(frozen=True)
class Service:
    """A Lattice service as deployed.

    arn: ``arn:aws:vpc-lattice:REGION:ACCT:service/svc-...``.
    auth_type: ``NONE`` (API default: no auth check at this level) or ``AWS_IAM``.
    auth_policy: the generated auth policy; None with ``AWS_IAM`` denies every request.
    listeners: its listeners; their ports are what security groups and the ``Port`` key see.
    """

    arn: str
    auth_type: str = AUTH_NONE
    auth_policy: PolicyDocument | None = None
    listeners: tuple[Listener, ...] = ()
    name: str | None = None


@dataclass(frozen=True)
class ServiceNetwork:
    """A service network as deployed.

    vpc_associations: VPC id -> security group ids of that association (0-5; empty = no filtering).
    service_arns: services associated with the network.
    """

    arn: str
    auth_type: str = AUTH_NONE
    auth_policy: PolicyDocument | None = None
    vpc_associations: Mapping[str, Sequence[str]] = field(default_factory=dict)
    service_arns: frozenset[str] = frozenset()


@dataclass(frozen=True)
class Topology:
    """Everything the evaluator looks up. security_groups: security group id -> its ingress rules."""

    networks: Sequence[ServiceNetwork]
    services: Sequence[Service]
    security_groups: Mapping[str, Sequence[SecurityGroupRule]] = field(default_factory=dict)

    def network(self, arn: str) -> ServiceNetwork | None:
        return next((n for n in self.networks if n.arn == arn), None)

    def service(self, arn: str) -> Service | None:
        return next((s for s in self.services if s.arn == arn), None)



# --- layers ---------------------------------------------------------------------------------------


@dataclass
class _Layer:
    verdict: bool | None  # True allows, False denies, None undetermined
    reasons: list[str]




def _auth_layer(
    kind: str, arn: str, auth_type: str, policy: PolicyDocument | None, request: Request, port: int | None
) -> _Layer:
    label = f"{kind} auth policy"
    if auth_type == AUTH_NONE:
        return _Layer(True, [f"{kind} {arn} has authType NONE: no auth policy check"])
    if auth_type != AUTH_IAM:
        return _Layer(None, [f"cannot evaluate {kind} {arn}: unknown authType {auth_type!r}"])
    if policy is None:
        return _Layer(False, [f"{kind} {arn} has authType AWS_IAM and no auth policy: every request is denied"])
    verdict, reasons = evaluate_policy(policy, request, label=label, port=port)
    return _Layer(verdict, reasons)


def _rule_admits(rule: SecurityGroupRule, port: int | None, caller: Caller, group_id: str) -> bool | None:
    protocol = str(rule.get("protocol", "")).lower()
    if protocol in ("-1", "all"):
        port_ok: bool | None = True
    elif protocol in ("tcp", "6"):
        low, high = int(rule.get("fromPort", 0)), int(rule.get("toPort", 65535))
        port_ok = None if port is None else low <= port <= high
        if port is None and (low, high) == (0, 65535):
            port_ok = True
    else:
        return False  # Lattice listeners are TCP (HTTP, HTTPS, TLS passthrough)
    sources: list[bool | None] = []
    for cidr in [*(rule.get("cidrBlocks") or []), *(rule.get("ipv6CidrBlocks") or [])]:
        try:
            network = ipaddress.ip_network(cidr, strict=False)
        except ValueError:
            sources.append(None)  # an invalid CIDR cannot be in force; say so instead of guessing
            continue
        if network.prefixlen == 0:
            sources.append(True)
        elif caller.source_ip is None:
            sources.append(None)
        else:
            address = ipaddress.ip_address(caller.source_ip)
            sources.append(address.version == network.version and address in network)
    referenced = [*as_list(rule.get("securityGroups") or []), rule.get("sourceSecurityGroupId")]
    if rule.get("self"):
        referenced.append(group_id)
    sources.append(any(g in caller.security_group_ids for g in referenced if g))
    if rule.get("prefixListIds"):
        sources.append(None)  # prefix list contents are not modelled
    source_ok = True if True in sources else (None if None in sources else False)
    return all3([port_ok, source_ok])


def _security_group_layer(
    group_ids: Sequence[str], port: int | None, request: Request, topology: Topology
) -> _Layer:
    vpc = request.caller.vpc_id
    if not group_ids:
        return _Layer(True, [f"VPC {vpc} association has no security groups: no filtering"])
    verdicts: list[bool | None] = []
    unknown_groups = [g for g in group_ids if g not in topology.security_groups]
    for group_id in group_ids:
        rules = topology.security_groups.get(group_id, [])
        verdicts += [_rule_admits(rule, port, request.caller, group_id) for rule in rules]
    groups = ", ".join(group_ids)
    where = "an unknown port" if port is None else f"port {port}"
    if True in verdicts:
        return _Layer(True, [f"security groups {groups} of VPC {vpc} admit {where}"])
    if unknown_groups:
        unknown = ", ".join(unknown_groups)
        return _Layer(None, [f"cannot evaluate security groups {unknown}: their rules were not given"])
    if None in verdicts:
        why = "some source IPs, prefix lists or ports; give the caller's source_ip and the port"
        reason = f"cannot evaluate security groups {groups} of VPC {vpc}: they admit {where} only for {why}"
        return _Layer(None, [reason])
    return _Layer(False, [f"no ingress rule of security groups {groups} of VPC {vpc} admits {where}"])


def _combine(layers: Sequence[_Layer]) -> Decision:
    reasons = [r for layer in layers for r in layer.reasons]
    if any(layer.verdict is False for layer in layers):
        return Decision(False, reasons)
    if any(layer.verdict is None for layer in layers):
        return Decision(False, reasons, evaluable=False)
    return Decision(True, reasons)


def _candidate_ports(request: Request, service: Service) -> list[int | None]:
    if request.port is not None:
        return [request.port]
    if not service.listeners:
        return [None]
    wanted = {"HTTP", "HTTPS"} if request.action == ACTION_INVOKE else {"TLS_PASSTHROUGH"}
    return sorted({listener.port for listener in service.listeners if listener.protocol.upper() in wanted})


def _merge_alternatives(labelled: Sequence[tuple[str, Decision]]) -> Decision:
    """Any one alternative (port, network) that lets the request through is enough."""
    if len(labelled) == 1:
        return labelled[0][1]
    chosen = [(label, d) for label, d in labelled if d.allowed] or labelled
    reasons = [f"{label}: {r}" for label, d in chosen for r in d.reasons]
    if chosen[0][1].allowed:
        return Decision(True, reasons)
    return Decision(False, reasons, evaluable=all(d.evaluable for _, d in labelled))


def evaluate(request: Request, topology: Topology) -> Decision:
    """Whether `request` reaches its service through `request.service_network_arn`, and why."""
    network = topology.network(request.service_network_arn)
    service = topology.service(request.service_arn)
    if network is None or service is None:
        missing = request.service_network_arn if network is None else request.service_arn
        return Decision(False, [f"cannot evaluate: {missing} is not in the topology"], evaluable=False)
    if request.action not in (ACTION_INVOKE, ACTION_CONNECT):
        return Decision(False, [f"cannot evaluate action {request.action!r}"], evaluable=False)
    vpc = request.caller.vpc_id
    if vpc not in network.vpc_associations:
        return Decision(False, [f"VPC {vpc} is not associated with service network {network.arn}"])
    if service.arn not in network.service_arns:
        return Decision(False, [f"service {service.arn} is not associated with service network {network.arn}"])
    ports = _candidate_ports(request, service)
    if not ports:
        return Decision(False, [f"service {service.arn} has no listener that takes {request.action}"])
    return _merge_alternatives(
        [(f"port {port}", _evaluate_on_port(request, topology, network, service, port)) for port in ports]
    )


def _evaluate_on_port(
    request: Request, topology: Topology, network: ServiceNetwork, service: Service, port: int | None
) -> Decision:
    protocols = {listener.protocol.upper() for listener in service.listeners if listener.port == port}
    if request.secure_transport is None and len(protocols) == 1:
        # aws:SecureTransport is what the listener the request arrives on speaks
        request = replace(request, secure_transport=protocols.pop() in ("HTTPS", "TLS_PASSTHROUGH"))
    layers = [
        _Layer(True, [f"VPC {request.caller.vpc_id} and service {service.arn} are associated with {network.arn}"]),
        _security_group_layer(network.vpc_associations[request.caller.vpc_id], port, request, topology),
        _auth_layer("service network", network.arn, network.auth_type, network.auth_policy, request, port),
        _auth_layer("service", service.arn, service.auth_type, service.auth_policy, request, port),
    ]
    iam_checked = AUTH_IAM in (network.auth_type, service.auth_type)
    caller = request.caller
    if iam_checked and caller.principal_arn is not None:
        if caller.identity_policy is None:
            note = f"identity-based policy of {caller.principal_arn} not modelled; assumed to allow"
            layers.append(_Layer(True, [note]))
        else:
            verdict, reasons = evaluate_policy(
                caller.identity_policy, request, label="identity-based policy", port=port, resource_policy=False
            )
            layers.append(_Layer(verdict, reasons))
    return _combine(layers)


def access_matrix(
    callers: Sequence[Caller],
    topology: Topology,
    *,
    services: Sequence[str] | None = None,
    action: str = ACTION_INVOKE,
    method: str | None = None,
    path: str | None = None,
    headers: Mapping[str, Mapping[str, str] | None] | None = None,
) -> dict[tuple[str, str], Decision]:
    """(caller label, service ARN) -> Decision for every caller and service.

    Each caller's request travels through the service network(s) its VPC is associated with.
    services: service ARNs to include; default: every service in `topology`.
    action, method, path: the request every cell asks about; method/path None = not given (statements
        that depend on them make the cell not evaluable).
    headers: caller label -> the headers that caller sends (absent or None = not given).
    """
    service_arns = list(services) if services is not None else [s.arn for s in topology.services]
    matrix: dict[tuple[str, str], Decision] = {}
    for caller in callers:
        networks = [n for n in topology.networks if caller.vpc_id in n.vpc_associations]
        for service_arn in service_arns:
            if not networks:
                matrix[caller.label, service_arn] = Decision(
                    False, [f"VPC {caller.vpc_id} is not associated with any service network"]
                )
                continue
            alternatives = [
                (
                    f"via {network.arn}",
                    evaluate(
                        Request(caller, network.arn, service_arn, action, method, path,
                                headers=(headers or {}).get(caller.label)),
                        topology,
                    ),
                )
                for network in networks
            ]
            matrix[caller.label, service_arn] = _merge_alternatives(alternatives)
    return matrix


def matrix_markdown(
    matrix: Mapping[tuple[str, str], Decision], service_names: Mapping[str, str] | None = None
) -> str:
    """The matrix as a Markdown table: callers as rows, services as columns; ✅ allowed, ❌ denied, ❓ unknown.

    service_names: service ARN -> column title; default: the ARN's last part.
    """
    callers = list(dict.fromkeys(caller for caller, _ in matrix))
    services = list(dict.fromkeys(service for _, service in matrix))
    titles = [(service_names or {}).get(s, s.rsplit("/", 1)[-1]) for s in services]
    lines = ["| caller | " + " | ".join(titles) + " |", "|---|" + "---|" * len(services)]
    for caller in callers:
        cells = [_cell(matrix.get((caller, service))) for service in services]
        lines.append(f"| {caller} | " + " | ".join(cells) + " |")
    return "\n".join(lines) + "\n"


def _cell(decision: Decision | None) -> str:
    if decision is None:
        return ""
    return "✅" if decision.allowed else "❌" if decision.evaluable else "❓"
