"""Checks of VPC resources over Lattice, as a security team would enforce them, per environment.

Resource access is not governed by auth policies: a resource configuration associated with a service network is
reachable from every VPC attached to it (association or endpoint) on its port ranges, filtered only by security
groups. So the rules hold what decides exposure: the ports a configuration opens, who it is shared with, the
security groups of endpoints, and how many subnets (Availability Zones) a gateway spans.

Pure generators over plain `Resource`s, as in `resource_checks` and `stack_checks`.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from typing import Any

from .policy_inputs import Resource, Unknown, is_unknown, known_list, lookup, of_type
from .stack_checks import references

RESOURCE_CONFIGURATION = "aws:vpclattice/resourceConfiguration:ResourceConfiguration"
RESOURCE_GATEWAY = "aws:vpclattice/resourceGateway:ResourceGateway"
VPC_ENDPOINT = "aws:ec2/vpcEndpoint:VpcEndpoint"
RESOURCE_SHARE = "aws:ram/resourceShare:ResourceShare"
RAM_ASSOCIATION = "aws:ram/resourceAssociation:ResourceAssociation"

# VPC endpoint types whose interfaces carry Lattice traffic (pulumi-aws `vpc_endpoint_type`).
LATTICE_ENDPOINT_TYPES = ("ServiceNetwork", "Resource")
DEFAULT_MIN_GATEWAY_SUBNETS = 2


def parse_ranges(values: Sequence[Any]) -> list[tuple[int, int]] | str:
    """`["443", "8000-8080", 5432]` as (low, high) pairs, or the first entry that is not a port or range."""
    found = []
    for value in values:
        text = str(int(value)) if isinstance(value, (int, float)) and not isinstance(value, bool) else str(value)
        low, _, high = text.partition("-")
        if not low.isdigit() or (high and not high.isdigit()):
            return text
        found.append((int(low), int(high or low)))
    return found


def check_resource_ports(resource: Resource, config: Mapping[str, Any]) -> Iterator[str]:
    """Every port range of a resource configuration lies inside one range of `allowedPortRanges`."""
    if resource.known_names() & set(config.get("exemptResources") or ()):
        return
    allowed = parse_ranges(list(config.get("allowedPortRanges") or ()))
    if isinstance(allowed, str):
        yield f"{resource.label}: the policy config's allowedPortRanges has {allowed!r}, which is not a port or 'N-M' range."
        return
    ranges = known_list(lookup(resource.props, "portRanges"), "portRanges")
    if not ranges:
        kind = lookup(resource.props, "type", "SINGLE")
        # An ARN configuration's ports come from the AWS resource, and a CHILD may inherit its group's: nothing
        # here says which ports are open, so the check cannot pass it.
        yield (
            f"{resource.label}: a {kind} configuration without portRanges, so its open ports are decided outside "
            "this stack and cannot be checked against allowedPortRanges; list portRanges, or add the configuration "
            "to exemptResources in the policy config."
        )
        return
    for index, value in enumerate(ranges):
        if is_unknown(value):
            raise Unknown(f"portRanges[{index}]", value)
        parsed = parse_ranges([value])
        if isinstance(parsed, str):
            yield f"{resource.label}: portRanges[{index}] {parsed!r} is not a port or 'N-M' range."
            continue
        (low, high), = parsed
        if not any(a <= low and high <= b for a, b in allowed):
            listed = ", ".join(f"{a}" if a == b else f"{a}-{b}" for a, b in allowed) or "none"
            yield (
                f"{resource.label}: opens port range {value!r}, outside the allowed ranges ({listed}); every VPC "
                "attached to the network can connect on these ports. Narrow portRanges, or add the range to "
                "allowedPortRanges in the policy config."
            )


def check_endpoint_security_groups(resource: Resource, config: Mapping[str, Any]) -> Iterator[str]:
    """Lattice VPC endpoints (ServiceNetwork, Resource) name their security groups."""
    if lookup(resource.props, "vpcEndpointType") not in LATTICE_ENDPOINT_TYPES:
        return
    if resource.known_names() & set(config.get("exemptResources") or ()):
        return
    if not known_list(lookup(resource.props, "securityGroupIds"), "securityGroupIds"):
        yield (
            f"{resource.label}: a {resource.props['vpcEndpointType']} endpoint with no security groups gets the VPC's "
            "default group, which usually admits everything in the VPC. Set security_group_ids to groups that admit "
            "only the clients and ports that should reach the network."
        )


def check_gateway_subnets(resource: Resource, config: Mapping[str, Any]) -> Iterator[str]:
    """Resource gateways span at least `minSubnets` subnets (one per Availability Zone)."""
    wanted = int(config.get("minSubnets", DEFAULT_MIN_GATEWAY_SUBNETS))
    subnets = known_list(lookup(resource.props, "subnetIds"), "subnetIds")
    if any(is_unknown(subnet) for subnet in subnets):
        raise Unknown("subnetIds")
    if len(set(subnets)) < wanted:
        yield (
            f"{resource.label}: spans {len(set(subnets))} subnet(s), fewer than {wanted}: the resources behind it become "
            "unreachable when that Availability Zone fails, and consumers' endpoints must share an AZ with it. Add "
            "subnets in other AZs (the pack sees subnet IDs only; put them in distinct AZs)."
        )


def check_resource_shares_stay_inside(resources: Sequence[Resource], config: Mapping[str, Any]) -> Iterator[tuple[str, str]]:
    """No resource configuration is in a RAM share that allows principals outside the organization, unless the
    share or the configuration is in `allowedExternalResourceShares`."""
    allowed = set(config.get("allowedExternalResourceShares") or ())
    configurations = of_type(resources, RESOURCE_CONFIGURATION)
    shares = of_type(resources, RESOURCE_SHARE)
    undecided: str | None = None
    for link in of_type(resources, RAM_ASSOCIATION):
        resource_arn = link.props.get("resourceArn")
        targets = [c for c in configurations if references(link, "resourceArn", c)]
        if not targets and isinstance(resource_arn, str) and ":resourceconfiguration/" in resource_arn:
            targets = [Resource(RESOURCE_CONFIGURATION, resource_arn.rsplit("/", 1)[-1], {"arn": resource_arn}, link.urn)]
        if not targets:
            continue
        for share in shares:
            linked = references(link, "resourceShareArn", share)
            if linked is None:
                undecided = undecided or "resourceShareArn"
                continue
            if not linked:
                continue
            external = lookup(share.props, "allowExternalPrincipals", False)
            if external is not True:
                continue
            for target in targets:
                if (share.known_names() | target.known_names()) & allowed:
                    continue
                share_name = lookup(share.props, "name", share.name)
                yield (
                    f"{target.label} is shared through RAM share {share_name!r}, which allows principals outside the "
                    "organization: accounts outside it could reach the resource once they accept. Share it with "
                    "accounts or OUs of the organization only (allowExternalPrincipals false), or add the share or the "
                    "configuration to allowedExternalResourceShares in the policy config.",
                    link.urn or target.urn,
                )
    if undecided:
        raise Unknown(undecided)
