"""The resource-access rules (issue #15), proven over the analyzer protocol: the pack runs as its own process and
each scenario sends violating and compliant resources as the engine would (`Analyze`, `AnalyzeStack`)."""

from __future__ import annotations

import json

import pytest

import policy_examples as ex
from lattice_components.tools.analyzer_client import PACK_DIR, UNKNOWN

CONFIGURATION = "aws:vpclattice/resourceConfiguration:ResourceConfiguration"
GATEWAY = "aws:vpclattice/resourceGateway:ResourceGateway"
ENDPOINT = "aws:ec2/vpcEndpoint:VpcEndpoint"
SHARE = "aws:ram/resourceShare:ResourceShare"
RAM_LINK = "aws:ram/resourceAssociation:ResourceAssociation"
RULES = {"lattice-resource-ports", "lattice-resource-share-external", "lattice-endpoint-security-groups",
         "lattice-resource-gateway-subnets"}
CONFIG_ARN = f"arn:aws:vpc-lattice:us-east-1:{ex.ACCOUNT}:resourceconfiguration/rcfg-0123456789abcdef0"
SHARE_ARN = f"arn:aws:ram:us-east-1:{ex.ACCOUNT}:resource-share/0a1b2c3d"


def config_file(env: str) -> dict:
    return json.loads((PACK_DIR / f"policy-config.{env}.json").read_text())


def ours(diagnostics) -> list[tuple[str, str]]:
    return sorted((d.policy_name, d.enforcement_level) for d in diagnostics if d.policy_name in RULES)


def configuration(**props):
    base = {"name": "orders-db", "type": "SINGLE", "portRanges": ["5432"], "protocol": "TCP",
            "resourceGatewayIdentifier": "rgw-0123456789abcdef0", "tags": dict(ex.TAGS),
            "resourceConfigurationDefinition": {"dnsResource": {"domainName": "db.example.com", "ipAddressType": "IPV4"}}}
    return {"type": CONFIGURATION, "name": "orders-db", "props": {**base, **props}}


def endpoint(**props):
    base = {"vpcId": "vpc-0123456789abcdef0", "vpcEndpointType": "ServiceNetwork", "subnetIds": ["subnet-0a1b2c3d"],
            "serviceNetworkArn": f"arn:aws:vpc-lattice:us-east-1:{ex.ACCOUNT}:servicenetwork/sn-0123456789abcdef0",
            "securityGroupIds": ["sg-0123456789abcdef0"]}
    return {"type": ENDPOINT, "name": "reporting", "props": {**base, **props}}


def gateway(*subnets):
    return {"type": GATEWAY, "name": "db-gateway", "props": {
        "name": "db-gateway", "vpcId": "vpc-0123456789abcdef0", "subnetIds": list(subnets), "tags": dict(ex.TAGS)}}


# -- resource configurations open only allow-listed ports ---------------------------------------------------
@pytest.mark.parametrize(
    "env, port_ranges, expected",
    [
        ("prod", ["5432"], []),
        ("prod", ["5432", "22"], [("lattice-resource-ports", "mandatory")]),
        ("prod", ["1-65535"], [("lattice-resource-ports", "mandatory")]),
        ("prod", ["5430-5433"], [("lattice-resource-ports", "mandatory")]),  # overlaps, but is not inside
        ("dev", ["443", "3306"], []),
        ("dev", ["8080"], [("lattice-resource-ports", "advisory")]),
    ],
)
def test_a_configuration_opens_only_the_environments_allowed_ports(pack, env, port_ranges, expected):
    # GIVEN the environment's policy config WHEN a configuration with these port ranges is analyzed
    pack.configure(config_file(env))
    # THEN only ranges outside the allow-list are findings, at the environment's level
    assert ours(pack.analyze(configuration(portRanges=port_ranges))) == expected


def test_a_port_finding_names_the_range_and_the_fix(pack):
    pack.configure(config_file("prod"))
    [finding] = [d for d in pack.analyze(configuration(portRanges=["22"])) if d.policy_name == "lattice-resource-ports"]
    assert "'22'" in finding.message and "allowedPortRanges" in finding.message and "(5432)" in finding.message


def test_an_arn_configuration_without_ports_cannot_pass_silently_unless_exempt(pack):
    # GIVEN an ARN configuration: its ports are the RDS database's, not in the stack
    arn = configuration(type="ARN", portRanges=None, resourceConfigurationDefinition={
        "arnResource": {"arn": f"arn:aws:rds:us-east-1:{ex.ACCOUNT}:db:orders"}})
    pack.configure(config_file("prod"))
    # WHEN analyzed THEN the policy says it cannot check it; exempting it by name is the way out
    [finding] = [d for d in pack.analyze(arn) if d.policy_name == "lattice-resource-ports"]
    assert "without portRanges" in finding.message
    pack.configure({"lattice-resource-ports": {"allowedPortRanges": ["5432"], "exemptResources": ["orders-db"]}})
    assert ours(pack.analyze(arn)) == []


def test_an_unknown_port_range_is_the_engines_advisory_not_a_violation(pack):
    pack.configure(config_file("prod"))
    diagnostics = [d for d in pack.analyze(configuration(portRanges=UNKNOWN)) if d.policy_name == "lattice-resource-ports"]
    assert [d.enforcement_level for d in diagnostics] == ["advisory"] and "can't run policy" in diagnostics[0].message


# -- endpoints have security groups ---------------------------------------------------------------------------
@pytest.mark.parametrize(
    "props, expected",
    [
        ({}, []),
        ({"securityGroupIds": []}, [("lattice-endpoint-security-groups", "mandatory")]),
        ({"securityGroupIds": None}, [("lattice-endpoint-security-groups", "mandatory")]),
        ({"vpcEndpointType": "Resource", "securityGroupIds": []}, [("lattice-endpoint-security-groups", "mandatory")]),
        ({"vpcEndpointType": "Gateway", "securityGroupIds": []}, []),  # S3/DynamoDB gateways have no interfaces
    ],
)
def test_a_lattice_endpoint_without_security_groups_is_refused(pack, props, expected):
    assert ours(pack.analyze(endpoint(**props))) == expected


# -- gateways span enough subnets ---------------------------------------------------------------------------
@pytest.mark.parametrize(
    "env, subnets, expected",
    [
        ("prod", ["subnet-0a1b2c3d", "subnet-0a1b2c3e"], []),
        ("prod", ["subnet-0a1b2c3d"], [("lattice-resource-gateway-subnets", "mandatory")]),
        ("prod", ["subnet-0a1b2c3d", "subnet-0a1b2c3d"], [("lattice-resource-gateway-subnets", "mandatory")]),
        ("dev", ["subnet-0a1b2c3d"], []),
    ],
)
def test_production_gateways_span_two_subnets(pack, env, subnets, expected):
    pack.configure(config_file(env))
    assert ours(pack.analyze(gateway(*subnets))) == expected


def test_without_config_a_gateway_needs_two_subnets_as_advice(pack):
    assert ours(pack.analyze(gateway("subnet-0a1b2c3d"))) == [("lattice-resource-gateway-subnets", "advisory")]


# -- resource configurations stay inside the organization ------------------------------------------------
def shared_stack(allow_external, *, preview=False, share_name="orders-db-share"):
    """A configuration in a RAM share; in preview its ARN and the share's are unknown and the links are
    property dependencies, as `pulumi preview` sends them."""
    config = configuration(arn=UNKNOWN if preview else CONFIG_ARN)
    config["urn"] = ex.urn(CONFIGURATION, "orders-db")
    share = {"type": SHARE, "name": share_name, "urn": ex.urn(SHARE, share_name), "props": ex.ram_share(
        name=share_name, allowExternalPrincipals=allow_external, arn=UNKNOWN if preview else SHARE_ARN)}
    link = {"type": RAM_LINK, "name": "orders-db-share-configuration", "props": {
        "resourceArn": UNKNOWN if preview else CONFIG_ARN, "resourceShareArn": UNKNOWN if preview else SHARE_ARN}}
    if preview:
        link["property_dependencies"] = {"resourceArn": [config["urn"]], "resourceShareArn": [share["urn"]]}
    return [config, share, link]


@pytest.mark.parametrize("preview", [False, True], ids=["after apply", "in preview"])
@pytest.mark.parametrize(
    "allow_external, config, expected",
    [
        (False, {}, []),
        (True, {}, [("lattice-resource-share-external", "mandatory")]),
        (True, {"lattice-resource-share-external": {"allowedExternalResourceShares": ["orders-db"]}}, []),
        (True, {"lattice-resource-share-external": {"allowedExternalResourceShares": ["orders-db-share"]}}, []),
    ],
)
def test_a_configuration_is_never_shared_outside_the_organization_unless_allow_listed(pack, preview, allow_external, config, expected):
    # GIVEN a configuration in a RAM share that does or does not allow external principals
    pack.configure(config)
    # WHEN the stack is analyzed THEN only the external share of a configuration nobody allow-listed is refused
    assert ours(pack.analyze_stack(shared_stack(allow_external, preview=preview))) == expected


def test_riding_on_the_networks_allow_listed_partner_share_is_still_refused(pack):
    # GIVEN the network's share, allow-listed for the partner account outside the organization
    pack.configure(config_file("dev"))
    stack = shared_stack(True, share_name="dev-services-share")
    # WHEN a configuration is added to it THEN the share itself passes, the configuration in it does not
    diagnostics = pack.analyze_stack(stack)
    assert ours(diagnostics) == [("lattice-resource-share-external", "mandatory")]
    [finding] = [d for d in diagnostics if d.policy_name == "lattice-resource-share-external"]
    assert "orders-db" in finding.message and finding.urn.endswith("orders-db-share-configuration")


def test_a_share_link_preview_cannot_resolve_is_undecided_not_a_violation(pack):
    stack = shared_stack(True, preview=True)
    stack[2]["property_dependencies"] = {"resourceArn": [stack[0]["urn"]]}  # no record of which share
    diagnostics = [d for d in pack.analyze_stack(stack) if d.policy_name == "lattice-resource-share-external"]
    assert [d.enforcement_level for d in diagnostics] == ["advisory"] and "can't run policy" in diagnostics[0].message
