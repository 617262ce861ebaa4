"""Rules that span resources of one stack: unique rule priorities per listener, names unique per account, a TLS
listener's service needs a custom domain, listeners forward to groups whose protocol fits, a target fits its
group's type and is registered once, one service network per VPC, one network per service association."""

from __future__ import annotations

import dataclasses
from collections import defaultdict
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

from . import value_rules
from .values import as_int, is_unknown, plain
from .violations import ApiViolation

SERVICE = "aws:vpclattice/service:Service"
SERVICE_NETWORK = "aws:vpclattice/serviceNetwork:ServiceNetwork"
LISTENER = "aws:vpclattice/listener:Listener"
LISTENER_RULE = "aws:vpclattice/listenerRule:ListenerRule"
TARGET_GROUP = "aws:vpclattice/targetGroup:TargetGroup"
ATTACHMENT = "aws:vpclattice/targetGroupAttachment:TargetGroupAttachment"
VPC_ASSOCIATION = "aws:vpclattice/serviceNetworkVpcAssociation:ServiceNetworkVpcAssociation"
SERVICE_ASSOCIATION = "aws:vpclattice/serviceNetworkServiceAssociation:ServiceNetworkServiceAssociation"

# Outputs that other resources use to point at a resource, when the props include them.
_IDENTITY_OUTPUTS = ("id", "arn", "listenerId", "ruleId")

# Names the API wants unique per account and Region (one scope), per service, or per listener.
_ACCOUNT_UNIQUE_NAMES = (
    SERVICE_NETWORK,
    SERVICE,
    TARGET_GROUP,
    "aws:vpclattice/resourceGateway:ResourceGateway",
    "aws:vpclattice/resourceConfiguration:ResourceConfiguration",
)


@dataclass(frozen=True)
class StackResource:
    """One resource of a stack, as `check_stack` needs it.

    `props` are its engine inputs (outputs such as `arn` or `listenerId` may be merged in: they link references).
    `ids` are further strings other resources use to reference it (a mock's id, its ARN). `references` maps a
    top-level property to the URNs or names of the resources it depends on (pulumi-policy's
    `property_dependencies`): that links resources whose IDs are unknown during preview. `scope` separates
    accounts/Regions (the provider's URN), for names the API wants unique per account.
    """

    type: str
    name: str
    props: Mapping[str, Any]
    urn: str = ""
    ids: frozenset[str] = frozenset()
    references: Mapping[str, frozenset[str]] = field(default_factory=dict)
    scope: str = ""

    @property
    def identities(self) -> frozenset[str]:
        known = {self.props.get(key) for key in _IDENTITY_OUTPUTS}
        return frozenset(self.ids | {value for value in known if isinstance(value, str) and not is_unknown(value)})


@dataclass(frozen=True)
class StackViolation:
    """A violation found by looking at several resources, attached to the resource that should change."""

    resource: StackResource
    violation: ApiViolation

    def __str__(self) -> str:
        return f"{self.resource.name}: {self.violation}"


def _known_strings(value: Any) -> Iterator[str]:
    if isinstance(value, str):
        if not is_unknown(value):
            yield value
    elif isinstance(value, Mapping):
        for item in value.values():
            yield from _known_strings(item)
    elif isinstance(value, list):
        for item in value:
            yield from _known_strings(item)


class _Stack:
    def __init__(self, resources: Iterable[StackResource | tuple]):
        given = [
            resource if isinstance(resource, StackResource) else StackResource(*resource) for resource in resources
        ]
        self.resources = [dataclasses.replace(resource, props=plain(resource.props)) for resource in given]
        self.by_type: dict[str, list[StackResource]] = defaultdict(list)
        for resource in self.resources:
            self.by_type[resource.type].append(resource)
        self.violations: list[StackViolation] = []
        self._indexes: dict[str, tuple[dict[str, list[StackResource]], dict[str, list[StackResource]]]] = {}
        self._position = {id(resource): index for index, resource in enumerate(self.resources)}

    def _index(self, type_token: str) -> tuple[dict[str, list[StackResource]], dict[str, list[StackResource]]]:
        """The resources of one type by identity (id, ARN, ...) and by reference (URN, name), built once.

        A scan of every candidate for every reference was quadratic: 1,001,500 identity computations for a
        500-service stack (benchmarks, part 2).
        """
        if type_token not in self._indexes:
            by_identity: dict[str, list[StackResource]] = defaultdict(list)
            by_reference: dict[str, list[StackResource]] = defaultdict(list)
            for other in self.by_type.get(type_token, []):
                for identity in other.identities:
                    by_identity[identity].append(other)
                for reference in {other.urn, other.name} - {""}:
                    by_reference[reference].append(other)
            self._indexes[type_token] = (by_identity, by_reference)
        return self._indexes[type_token]

    def report(self, resource: StackResource, path: str, value: Any, rule: str, kind: str) -> None:
        self.violations.append(StackViolation(resource, ApiViolation(path, value, rule, kind)))

    def referenced(self, resource: StackResource, properties: Iterable[str], type_token: str) -> list[StackResource]:
        """The stack's resources of `type_token` that `resource` points at through any of `properties`."""
        strings: set[str] = set()
        references: set[str] = set()
        for name in properties:
            strings |= set(_known_strings(resource.props.get(name)))
            references |= set(resource.references.get(name, ()))
        by_identity, by_reference = self._index(type_token)
        found = {id(other): other for key in strings for other in by_identity.get(key, ())}
        found.update({id(other): other for key in references for other in by_reference.get(key, ())})
        found.pop(id(resource), None)
        return sorted(found.values(), key=lambda other: self._position[id(other)])

    def key(self, resource: StackResource, properties: tuple[str, ...], type_token: str) -> tuple | None:
        """What `resource` points at through `properties`: a stack resource, else the literal identifier."""
        found = self.referenced(resource, properties, type_token)
        if len(found) == 1:
            return ("resource", id(found[0]))
        for name in properties:
            value = resource.props.get(name)
            if isinstance(value, str) and not is_unknown(value):
                return ("literal", value)
        return None

    def run(self) -> list[StackViolation]:
        self.unique_rule_priorities()
        self.unique_names()
        self.tls_passthrough()
        self.http_listeners_forward_to_http_groups()
        self.targets_fit_their_groups()
        self.one_service_network_per_vpc()
        self.single_service_association()
        return self.violations

    def listener_key(self, rule: StackResource) -> tuple | None:
        return self.key(rule, ("listenerIdentifier",), LISTENER)

    def service_key(self, resource: StackResource) -> tuple | None:
        return self.key(resource, ("serviceIdentifier", "serviceArn"), SERVICE)

    def unique_rule_priorities(self) -> None:
        by_listener: dict[tuple, dict[int, list[StackResource]]] = defaultdict(lambda: defaultdict(list))
        for rule in self.by_type.get(LISTENER_RULE, []):
            listener, priority = self.listener_key(rule), as_int(rule.props.get("priority"))
            if listener is not None and priority is not None and not is_unknown(rule.props.get("priority")):
                by_listener[listener][priority].append(rule)
        for priorities in by_listener.values():
            for priority, rules in priorities.items():
                for rule in rules if len(rules) > 1 else []:
                    others = ", ".join(repr(other.name) for other in rules if other is not rule)
                    self.report(
                        rule,
                        "priority",
                        priority,
                        f"priority {priority} is also used by rule {others} on the same listener; "
                        "the API needs a unique priority per listener",
                        "duplicate-priority",
                    )

    def unique_names(self) -> None:
        groups: dict[tuple, list[StackResource]] = defaultdict(list)
        for type_token in _ACCOUNT_UNIQUE_NAMES:
            for resource in self.by_type.get(type_token, []):
                groups[(type_token, resource.scope, "account")].append(resource)
        for listener in self.by_type.get(LISTENER, []):
            service = self.service_key(listener)
            if service is not None:
                groups[(LISTENER, listener.scope, service)].append(listener)
        for rule in self.by_type.get(LISTENER_RULE, []):
            listener = self.listener_key(rule)
            if listener is not None:
                groups[(LISTENER_RULE, rule.scope, listener)].append(rule)
        where = {LISTENER: "on the same service", LISTENER_RULE: "on the same listener"}
        for (type_token, _, _), members in groups.items():
            by_name: dict[str, list[StackResource]] = defaultdict(list)
            for resource in members:
                name = resource.props.get("name")
                if isinstance(name, str) and not is_unknown(name):
                    by_name[name].append(resource)
            for name, same in by_name.items():
                for resource in same if len(same) > 1 else []:
                    others = ", ".join(repr(other.name) for other in same if other is not resource)
                    scope = where.get(type_token, "in the same account and Region")
                    self.report(
                        resource,
                        "name",
                        name,
                        f"{name!r} is also the name of {others} {scope}; the API needs it unique there",
                        "duplicate-name",
                    )

    def tls_passthrough(self) -> None:
        rules_by_listener: dict[tuple, list[StackResource]] = defaultdict(list)
        for rule in self.by_type.get(LISTENER_RULE, []):
            listener = self.listener_key(rule)
            if listener is not None:
                rules_by_listener[listener].append(rule)
        for listener in self.by_type.get(LISTENER, []):
            if listener.props.get("protocol") != "TLS_PASSTHROUGH":
                continue
            for service in self.referenced(listener, ("serviceIdentifier", "serviceArn"), SERVICE):
                if "customDomainName" not in service.props:
                    path = "serviceIdentifier" if "serviceIdentifier" in listener.props else "serviceArn"
                    self.report(
                        listener,
                        path,
                        None,
                        f"a TLS_PASSTHROUGH listener needs its service {service.name!r} to have a customDomainName: "
                        "VPC Lattice routes TLS by the SNI of that name",
                        "tls-passthrough",
                    )
            own = [("resource", id(listener))] + [("literal", value) for value in listener.identities]
            for key in own:
                for rule in rules_by_listener.get(key, []):
                    self.report(
                        rule,
                        "listenerIdentifier",
                        None,
                        f"listener {listener.name!r} is TLS_PASSTHROUGH: it takes only its default action, no rules",
                        "tls-passthrough",
                    )
            self.tls_target_groups(listener)

    def forwarded_groups(self, resource: StackResource) -> list[tuple[str, StackResource]]:
        """(path, target group) for every group a listener's default action or a rule's action forwards to.

        A listener's block is `defaultAction.forwards[].targetGroups[]`, a rule's `action.forward.targetGroups[]`.
        During preview the identifiers are unknown; the engine's property dependencies still name the groups.
        """
        top = "defaultAction" if resource.type == LISTENER else "action"
        action = resource.props.get(top)
        forwards = action.get("forwards" if top == "defaultAction" else "forward") if isinstance(action, Mapping) else None
        blocks = [(f"{top}.forwards[{i}]", forward) for i, forward in enumerate(forwards)] if isinstance(forwards, list) else (
            [(f"{top}.forward", forwards)] if isinstance(forwards, Mapping) else []
        )
        entries: list[tuple[str, Any]] = []
        for where, forward in blocks:
            groups = forward.get("targetGroups") if isinstance(forward, Mapping) else None
            for g_index, group in enumerate(groups if isinstance(groups, list) else []):
                if isinstance(group, Mapping):
                    entries.append((f"{where}.targetGroups[{g_index}].targetGroupIdentifier", group.get("targetGroupIdentifier")))
        found: list[tuple[str, StackResource]] = []
        by_identity, _ = self._index(TARGET_GROUP)
        for path, identifier in entries:
            if isinstance(identifier, str) and not is_unknown(identifier):
                found += [(path, group) for group in by_identity.get(identifier, ())]
        seen = {id(group) for _, group in found}
        found += [(top, group) for group in self.referenced(resource, (top,), TARGET_GROUP) if id(group) not in seen]
        return found

    def tls_target_groups(self, listener: StackResource) -> None:
        for path, group in self.forwarded_groups(listener):
            self.tls_target_group(listener, path, group)

    def tls_target_group(self, listener: StackResource, path: str, group: StackResource) -> None:
        kind = group.props.get("type")
        config = group.props.get("config")
        protocol = config.get("protocol") if isinstance(config, Mapping) else None
        problem = None
        if kind == "LAMBDA":
            problem = "is a LAMBDA target group"
        elif isinstance(protocol, str) and not is_unknown(protocol) and protocol != "TCP":
            problem = f"uses protocol {protocol}"
        if problem:
            self.report(
                listener,
                path,
                group.name,
                f"target group {group.name!r} {problem}; a TLS_PASSTHROUGH listener can only forward to TCP target groups",
                "tls-passthrough",
            )

    def http_listeners_forward_to_http_groups(self) -> None:
        """HTTP and HTTPS listeners, and their rules, forward to HTTP/HTTPS (or LAMBDA) groups, never TCP ones:
        TCP groups serve TLS_PASSTHROUGH listeners (VPC Lattice user guide, "TLS listeners")."""
        for resource in [*self.by_type.get(LISTENER, []), *self.by_type.get(LISTENER_RULE, [])]:
            if resource.type == LISTENER:
                protocol = resource.props.get("protocol")
            else:
                listeners = self.referenced(resource, ("listenerIdentifier",), LISTENER)
                protocol = listeners[0].props.get("protocol") if len(listeners) == 1 else None
            if protocol not in ("HTTP", "HTTPS"):
                continue  # TLS_PASSTHROUGH is tls_passthrough's; unknown or unlinked cannot be decided
            for path, group in self.forwarded_groups(resource):
                config = group.props.get("config")
                if isinstance(config, Mapping) and config.get("protocol") == "TCP":
                    self.report(
                        resource,
                        path,
                        group.name,
                        f"target group {group.name!r} uses protocol TCP; an {protocol} listener forwards to HTTP or "
                        "HTTPS target groups (TCP groups serve TLS_PASSTHROUGH listeners)",
                        "listener-protocol",
                    )

    def targets_fit_their_groups(self) -> None:
        """A target attachment registers what its group's type takes (Lattice `Target.id`), no port on a LAMBDA
        target, and each (target, port) once per group."""
        seen: dict[tuple, StackResource] = {}
        for attachment in self.by_type.get(ATTACHMENT, []):
            groups = self.referenced(attachment, ("targetGroupIdentifier",), TARGET_GROUP)
            target = attachment.props.get("target")
            if len(groups) != 1 or not isinstance(target, Mapping):
                continue
            group = groups[0]
            kind, config = group.props.get("type"), group.props.get("config")
            address_type = config.get("ipAddressType") if isinstance(config, Mapping) else None
            target_id, port = target.get("id"), as_int(target.get("port"))
            if not isinstance(kind, str) or not isinstance(target_id, str) or is_unknown(target_id) or is_unknown(kind):
                continue
            problem = value_rules.target_problem(kind, target_id, address_type if isinstance(address_type, str) else None)
            if problem:
                self.report(attachment, "target.id", target_id, problem, "target-kind")
            if kind == "LAMBDA" and port is not None:
                self.report(attachment, "target.port", port, "LAMBDA targets take no port", "target-kind")
            if port is None and isinstance(config, Mapping):
                port = as_int(config.get("port"))
            key = (id(group), value_rules.target_identity(kind, target_id), port)
            if key in seen:
                self.report(
                    attachment,
                    "target",
                    target_id,
                    f"{target_id} is already registered in target group {group.name!r} by {seen[key].name!r}",
                    "duplicate-target",
                )
            else:
                seen[key] = attachment

    def one_service_network_per_vpc(self) -> None:
        by_vpc: dict[tuple, list[StackResource]] = defaultdict(list)
        for association in self.by_type.get(VPC_ASSOCIATION, []):
            vpc = association.props.get("vpcIdentifier")
            references = association.references.get("vpcIdentifier", frozenset())
            if isinstance(vpc, str) and not is_unknown(vpc):
                by_vpc[(association.scope, "literal", vpc)].append(association)
            elif len(references) == 1:
                by_vpc[(association.scope, "resource", next(iter(references)))].append(association)
        for associations in by_vpc.values():
            if len(associations) < 2:
                continue
            first = associations[0]
            for association in associations[1:]:
                self.report(
                    association,
                    "vpcIdentifier",
                    association.props.get("vpcIdentifier"),
                    f"this VPC is already associated with a service network by {first.name!r}; "
                    "a VPC can be associated with one service network only",
                    "vpc-association",
                )

    def single_service_association(self) -> None:
        seen: dict[tuple, StackResource] = {}
        for association in self.by_type.get(SERVICE_ASSOCIATION, []):
            service = self.service_key(association)
            network = self.key(association, ("serviceNetworkIdentifier",), SERVICE_NETWORK)
            if service is None or network is None:
                continue
            key = (association.scope, service, network)
            if key in seen:
                self.report(
                    association,
                    "serviceIdentifier",
                    association.props.get("serviceIdentifier"),
                    f"this service is already associated with this service network by {seen[key].name!r}",
                    "duplicate-association",
                )
            else:
                seen[key] = association


def check_stack(resources: Iterable[StackResource | tuple]) -> list[StackViolation]:
    """Rules that span resources, over a stack's resources as `StackResource`s or `(type, name, props)` tuples:

    - listener rules: priorities unique per listener, names unique per listener;
    - listeners: names unique per service; TLS_PASSTHROUGH needs a service with a custom domain, no rules, and
      TCP (not LAMBDA) target groups;
    - service networks, services, target groups, resource gateways/configurations: names unique per scope;
    - a VPC associated with one service network only; a service associated with a network once.

    Links between resources come from identifier values matching another resource's `ids`/`arn`/`id`/
    `listenerId`, or from `references`; what cannot be linked or is unknown is skipped.
    """
    return _Stack(resources).run()
