"""Bad values of resource gateways, resource configurations and endpoint consumers are refused with their key path
before anything is registered; values the schema accepts are values the API model accepts.

GIVEN the real dev stacks with one value changed (a table), or generated values (hypothesis), WHEN the stack runs
or the config is parsed, THEN the problem is named by file, key path and rule, and no AWS resource is registered.
"""

from __future__ import annotations

import copy
import ipaddress

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from lattice_components.apimodel import check_resource
from lattice_components.apimodel import model as api_model
from lattice_components.config import AccountStackConfig, ConfigError, parse
from lattice_components.inputs import resource_inputs
from lattice_components.inputs.service_inputs import engine_shape
from lattice_components.tools import offline

STACKS = offline.REPO_ROOT / "stacks"


@pytest.fixture(scope="module")
def network_outputs():
    return offline.run_network_stack("dev").outputs


def run_stack(network_outputs, stack, mutate) -> ConfigError:
    config = copy.deepcopy(offline.load_stack_file(STACKS / f"Pulumi.{stack}.yaml"))
    mutate(config)
    with pytest.raises(ConfigError) as raised:
        offline.run_account_stack(stack, network_outputs, "organization/lattice-network/dev", config=config)
    return raised.value


def db(config):
    return config["lattice:resourceConfigurations"]["orders-db"]


def gateway(config):
    return config["lattice:resourceGateways"]["orders-db-gateway"]


def reporting(config):
    return config["lattice:consumers"]["reporting"]


R = "lattice:resourceConfigurations.orders-db"
G = "lattice:resourceGateways.orders-db-gateway"
C = "lattice:consumers.reporting"

ORDERS_CASES = [
    ("a port above 65535", lambda c: db(c).update(portRanges=["70000"]), f"{R}.portRanges[0]: '70000': port 70000 is outside 1-65535"),
    ("port 0", lambda c: db(c).update(portRanges=["0"]), f"{R}.portRanges[0]: '0': port 0 is outside 1-65535"),
    ("a range that runs backwards", lambda c: db(c).update(portRanges=["5432", "9000-8000"]),
     f"{R}.portRanges[1]: '9000-8000': the range starts above its end (9000 > 8000)"),
    ("a range that is not one", lambda c: db(c).update(portRanges=["80,443"]),
     f"{R}.portRanges[0]: '80,443' is not a port or port range: use '443' or '8000-8080'"),
    ("no port ranges on a SINGLE", lambda c: db(c).pop("portRanges"),
     f"{R}.portRanges: is required for SINGLE configurations"),
    ("an empty port range list", lambda c: db(c).update(portRanges=[]), f"{R}.portRanges: has 0 items, below the minimum 1"),
    ("a DNS name with a bad label", lambda c: db(c).update(dnsName="orders_db.example.com"),
     f"{R}.dnsName: 'orders_db.example.com' is not a DNS name"),
    ("a DNS name of one label", lambda c: db(c).update(dnsName="localhost"), f"{R}.dnsName: 'localhost' is not a DNS name"),
    ("an IP address that is not one", lambda c: (db(c).pop("dnsName"), db(c).update(ipAddress="10.1.300.4")),
     f"{R}.ipAddress: '10.1.300.4' is not an IPv4 or IPv6 address"),
    ("a DNS name and an IP address", lambda c: db(c).update(ipAddress="10.1.3.4"),
     f"{R}: set one of dnsName, ipAddress, arn, not dnsName and ipAddress"),
    ("an ARN configuration with a bad ARN", lambda c: (db(c).pop("dnsName"), db(c).pop("portRanges"), db(c).pop("protocol"),
                                                          db(c).update(type="ARN", arn="rds:orders")),
     f"{R}.arn: 'rds:orders' is not an AWS resource ARN"),
    ("an ARN configuration with port ranges", lambda c: (db(c).pop("dnsName"), db(c).update(
        type="ARN", arn="arn:aws:rds:us-east-1:333333333333:db:orders")),
     f"{R}.portRanges: does not apply to ARN configurations (API reference: '(SINGLE, GROUP, CHILD, CIDR)')"),
    ("TCP_UDP outside CIDR", lambda c: db(c).update(protocol="TCP_UDP"), f"{R}.protocol: TCP_UDP is supported only for CIDR"),
    ("a CIDR configuration", lambda c: db(c).update(type="CIDR"), f"{R}.type: 'CIDR' is not one of"),
    ("private DNS without a custom domain", lambda c: db(c).update(privateDnsEnabled=True),
     f"{R}.privateDnsEnabled: needs customDomainName"),
    ("a custom domain that is not a DNS name", lambda c: db(c).update(customDomainName="db..example.com"),
     f"{R}.customDomainName: 'db..example.com' is not a DNS name"),
    ("a domain verification that is not one", lambda c: db(c).update(customDomainName="db.example.com", domainVerificationId="dv-1"),
     f"{R}.domainVerificationId: 'dv-1' is not a domain verification ID"),
    ("an unknown gateway", lambda c: db(c).update(resourceGateway="other-gateway"),
     f"{R}.resourceGateway: 'other-gateway' is neither one of resourceGateways ['orders-db-gateway'] nor a gateway ID"),
    ("a share with an account the network does not know", lambda c: db(c).update(shareWith=["platform", "billing"]),
     f"{R}.shareWith[1]: 'billing' is neither 'organization' nor one of the network's accounts"),
    ("children on a SINGLE", lambda c: db(c).update(children={"replica-one": {"ipAddress": "10.1.3.4"}}),
     f"{R}.children: only GROUP configurations have children; this one is SINGLE"),
    ("a GROUP above the children quota", lambda c: (db(c).pop("dnsName"), db(c).update(
        type="GROUP", children={f"replica-{i:03d}": {"ipAddress": f"10.1.3.{i}"} for i in range(61)})),
     f"{R}.children: 61 children is above the default quota of 60"),
    ("a reserved name prefix", lambda c: c["lattice:resourceConfigurations"].update(
        {"rcfg-orders": c["lattice:resourceConfigurations"].pop("orders-db")}),
     "lattice:resourceConfigurations.rcfg-orders: 'rcfg-orders' is not a valid resource configuration name"),
    ("a gateway VPC that is not one", lambda c: gateway(c).update(vpcId="backend1"),
     f"{G}.vpcId: 'backend1' is not a VPC ID"),
    ("a gateway subnet that is not one", lambda c: gateway(c).update(subnetIds=["subnet-0b1a2c3d", "subnet-x"]),
     f"{G}.subnetIds[1]: 'subnet-x' is not a subnet ID"),
    ("a gateway without subnets", lambda c: gateway(c).update(subnetIds=[]), f"{G}.subnetIds: has 0 items, below the minimum 1"),
    ("six gateway security groups", lambda c: gateway(c).update(securityGroupIds=[f"sg-0db0a1b2c3d4e5f6{i}" for i in range(6)]),
     f"{G}.securityGroupIds: has 6 items, above the maximum 5"),
    ("a gateway security group that is not one", lambda c: gateway(c).update(securityGroupIds=["db-clients"]),
     f"{G}.securityGroupIds[0]: 'db-clients' is not a security group ID"),
    ("IPv4 addresses above the model's 62", lambda c: gateway(c).update(ipv4AddressesPerEni=63),
     f"{G}.ipv4AddressesPerEni: 63 is above the maximum 62"),
    ("IPv4 addresses on an IPv6 gateway", lambda c: gateway(c).update(ipAddressType="IPV6", ipv4AddressesPerEni=8),
     f"{G}.ipv4AddressesPerEni: applies only to IPV4 and DUALSTACK gateways"),
    ("an IP address type the API does not have", lambda c: gateway(c).update(ipAddressType="IPV5"),
     f"{G}.ipAddressType: 'IPV5' is not one of 'IPV4', 'IPV6' or 'DUALSTACK'"),
]

PLATFORM_CASES = [
    ("an endpoint without subnets", lambda c: reporting(c).pop("subnetIds"),
     f"{C}.subnetIds: is required with via: endpoint"),
    ("an endpoint subnet that is not one", lambda c: reporting(c).update(subnetIds=["subnet-analytics"]),
     f"{C}.subnetIds: 'subnet-analytics' is not a subnet ID"),
    ("subnets on an association", lambda c: reporting(c).update(via="association"),
     f"{C}.subnetIds: applies to via: endpoint only"),
    ("a way in that does not exist", lambda c: reporting(c).update(via="peering"),
     f"{C}.via: 'peering' is not one of 'association' or 'endpoint'"),
    ("an endpoint IP type EC2 does not have", lambda c: reporting(c).update(ipAddressType="IPV4"),
     f"{C}.ipAddressType: 'IPV4' is not one of ipv4, dualstack, ipv6"),
    ("an endpoint without any security group", lambda c: reporting(c).pop("createSecurityGroup"),
     "securityGroupIds: an endpoint without security groups gets the VPC's default group"),
]


@pytest.mark.parametrize(("scenario", "mutate", "expected"), ORDERS_CASES, ids=[case[0] for case in ORDERS_CASES])
def test_a_bad_resource_value_is_refused_with_its_key_path_before_anything_is_registered(network_outputs, scenario, mutate, expected):
    # GIVEN the dev orders stack with one bad resource value WHEN it runs THEN it stops naming file, key and rule
    error = run_stack(network_outputs, "orders-dev", mutate)
    assert "stacks/Pulumi.orders-dev.yaml" in str(error)
    assert any(problem.startswith(expected) for problem in error.problems), error.problems
    # AND nothing of the account was registered
    assert [r.type for r in error.registrations if r.type.startswith("aws:")] == []


@pytest.mark.parametrize(("scenario", "mutate", "expected"), PLATFORM_CASES, ids=[case[0] for case in PLATFORM_CASES])
def test_a_bad_endpoint_consumer_is_refused(network_outputs, scenario, mutate, expected):
    error = run_stack(network_outputs, "platform-dev", mutate)
    assert any(expected in problem for problem in error.problems), error.problems
    assert [r.type for r in error.registrations if r.type.startswith("aws:vpclattice") or r.type.startswith("aws:ec2/vpcEndpoint")] == []


def test_a_good_group_with_children_runs_and_its_children_name_the_group(network_outputs):
    # GIVEN a GROUP of two hosts, one inheriting the group's ports
    config = copy.deepcopy(offline.load_stack_file(STACKS / "Pulumi.orders-dev.yaml"))
    config["lattice:resourceConfigurations"]["orders-replicas"] = {
        "type": "GROUP", "resourceGateway": "orders-db-gateway", "portRanges": ["5432"],
        "children": {"replica-a": {"ipAddress": "10.1.30.10"}, "replica-b": {"dnsName": "replica-b.internal.example.com",
                                                                           "portRanges": ["5433-5434"]}},
    }
    # WHEN the stack runs
    run = offline.run_account_stack("orders-dev", network_outputs, "organization/lattice-network/dev", config=config)
    configs = {r.inputs["name"]: r for r in run.of_type(resource_inputs.CONFIGURATION)}
    # THEN each child is a CHILD of the group's ID, with its own or the group's ports, and passes the API model
    group = configs["orders-replicas"]
    assert configs["replica-a"].inputs["resourceConfigurationGroupId"] == group.id
    assert configs["replica-a"].inputs["portRanges"] == ["5432"] and configs["replica-b"].inputs["portRanges"] == ["5433-5434"]
    assert all(check_resource(r.type, r.inputs) == [] for r in configs.values())


# -- properties ----------------------------------------------------------------------------------------------


def parse_resources(**configuration):
    raw = {"account": "orders", "networkStack": "organization/lattice-network/dev",
           "resourceGateways": {"db-gateway": {"vpcId": "vpc-backend1", "subnetIds": ["subnet-0b1a2c3d"]}},
           "resourceConfigurations": {"orders-db": {"resourceGateway": "db-gateway", **configuration}}}
    return parse(AccountStackConfig, raw, "stacks/Pulumi.orders-dev.yaml")


def api_problems(config: AccountStackConfig) -> list[str]:
    return resource_inputs.preflight(config.resource_gateways, config.resource_configurations, "sn-0123456789abcdef0")


@settings(max_examples=300, deadline=None)
@given(st.integers(-5, 70000), st.integers(-5, 70000), st.booleans())
def test_a_port_range_is_accepted_exactly_when_it_lies_in_1_65535_low_first(low, high, single):
    text = str(low) if single else f"{low}-{high}"
    valid = 1 <= low <= 65535 and (single or low <= high <= 65535)
    try:
        config = parse_resources(ipAddress="10.1.3.4", portRanges=[text])
    except ConfigError as error:
        # THEN a refusal names the entry; an accepted one is one the API model accepts too
        assert not valid and error.problems[0].startswith("lattice:resourceConfigurations.orders-db.portRanges[0]: ")
    else:
        assert valid and api_problems(config) == []


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet="0123456789-,: a", min_size=0, max_size=12))
def test_arbitrary_port_text_is_refused_unless_it_is_a_port_or_a_range(text):
    parts = text.split("-")
    valid = (1 <= len(parts) <= 2 and all(p.isdigit() and len(p) <= 5 for p in parts)
             and 1 <= int(parts[0]) <= int(parts[-1]) <= 65535)
    try:
        parse_resources(ipAddress="10.1.3.4", portRanges=[text])
    except ConfigError:
        assert not valid
    else:
        assert valid


@settings(max_examples=200, deadline=None)
@given(st.ip_addresses())
def test_an_ip_address_is_accepted_when_the_model_allows_its_length_and_then_passes_the_api_model(address):
    limits = api_model.limits("IpResource", "ipAddress")
    try:
        config = parse_resources(ipAddress=str(address), portRanges=["443"])
    except ConfigError as error:
        # THEN only the model's 4-39 characters refuse a real address ('::' is 2)
        assert not limits.min <= len(str(address)) <= limits.max and "characters long" in error.problems[0]
    else:
        assert api_problems(config) == []


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=20))
def test_text_that_is_not_an_ip_address_is_refused(text):
    try:
        ipaddress.ip_address(text)
    except ValueError:
        with pytest.raises(ConfigError, match=r"resourceConfigurations\.orders-db\.ipAddress: "):
            parse_resources(ipAddress=text, portRanges=["443"])


LABEL = st.from_regex(r"[a-z0-9]([a-z0-9-]{0,20}[a-z0-9])?", fullmatch=True)


@settings(max_examples=200, deadline=None)
@given(st.lists(LABEL, min_size=2, max_size=5))
def test_dns_names_of_valid_labels_are_accepted_and_pass_the_api_model(labels):
    name = ".".join(labels)
    if len(name) < 3:
        return
    config = parse_resources(dnsName=name, portRanges=["5432"])
    assert api_problems(config) == []


@settings(max_examples=200, deadline=None)
@given(st.lists(LABEL, min_size=1, max_size=4), st.sampled_from(["_", " ", "..", "-.", ".-", "*", "/"]))
def test_dns_names_with_a_bad_character_or_label_are_refused(labels, bad):
    name = ".".join(labels) + bad + "example.com"
    with pytest.raises(ConfigError, match=r"resourceConfigurations\.orders-db\.dnsName: "):
        parse_resources(dnsName=name, portRanges=["5432"])


@settings(max_examples=100, deadline=None)
@given(st.integers(0, 80))
def test_a_group_takes_children_up_to_the_default_quota(count):
    children = {f"child-{i:03d}": {"ipAddress": f"10.1.{i // 250}.{i % 250 + 1}"} for i in range(count)}
    try:
        config = parse_resources(type="GROUP", portRanges=["5432"], children=children)
    except ConfigError as error:
        assert count == 0 or count > 60, error.problems
    else:
        assert 1 <= count <= 60
        planned = resource_inputs.planned_children(config.resource_gateways, config.resource_configurations, "sn-0123456789abcdef0")
        assert sum(1 for kind, _, inputs in planned if inputs.get("type") == "CHILD") == count
        assert all(check_resource(kind, engine_shape(inputs)) == [] for kind, _, inputs in planned)


@settings(max_examples=150, deadline=None)
@given(st.integers(-10, 100))
def test_ipv4_addresses_per_interface_follow_the_models_range_both_ways(count):
    # GIVEN the oracle: the API's range for the member, reached through the pulumi-aws -> API table
    from lattice_components.apimodel import RESOURCE_MAPPINGS, api_member_for

    kind = resource_inputs.GATEWAY
    limits = api_model.limits(RESOURCE_MAPPINGS[kind].operation, api_member_for(kind, "ipv4AddressesPerEni"))
    raw = {"account": "orders", "networkStack": "organization/lattice-network/dev",
           "resourceGateways": {"db-gateway": {"vpcId": "vpc-backend1", "subnetIds": ["subnet-0b1a2c3d"],
                                               "ipv4AddressesPerEni": count}}}
    # WHEN the config is parsed THEN it is refused exactly outside the range, and accepted values pass the API check
    try:
        config = parse(AccountStackConfig, raw, "stacks/Pulumi.orders-dev.yaml")
    except ConfigError as error:
        assert not limits.min <= count <= limits.max
        assert error.problems[0].startswith("lattice:resourceGateways.db-gateway.ipv4AddressesPerEni: ")
    else:
        assert limits.min <= count <= limits.max
        assert resource_inputs.preflight(config.resource_gateways, {}, None) == []


# -- sharing: the registry decides the principals, the pack decides whether it may leave the organization ------


def run_orders_sharing(network_outputs, share_with):
    config = copy.deepcopy(offline.load_stack_file(STACKS / "Pulumi.orders-dev.yaml"))
    db(config)["shareWith"] = share_with
    return offline.run_account_stack("orders-dev", network_outputs, "organization/lattice-network/dev", config=config)


def test_sharing_with_the_organization_uses_the_networks_exported_organization_arn(network_outputs):
    run = run_orders_sharing(network_outputs, ["organization"])
    [principal] = run.of_type("aws:ram/principalAssociation:PrincipalAssociation")
    assert principal.inputs["principal"] == network_outputs["organizationArn"] != ""
    [share] = [r for r in run.of_type("aws:ram/resourceShare:ResourceShare") if r.name == "orders-db-share"]
    assert share.inputs["allowExternalPrincipals"] is False


def test_sharing_with_the_partner_outside_the_organization_runs_but_the_pack_refuses_it(network_outputs):
    from lattice_components.tools import analyzer_client, plan

    # GIVEN the database shared with the mobile account, which is outside the organization
    run = run_orders_sharing(network_outputs, ["mobile"])
    [share] = [r for r in run.of_type("aws:ram/resourceShare:ResourceShare") if r.name == "orders-db-share"]
    assert share.inputs["allowExternalPrincipals"] is True  # the registry says mobile is outside
    # WHEN the dev pack analyzes the stack THEN both the share and the configuration in it are mandatory findings
    findings = analyzer_client.run_pack(plan.pack_resources(run), plan.policy_config("dev"))
    refused = {(d.policy_name, d.enforcement_level) for d in findings if d.enforcement_level == "mandatory"}
    assert refused == {("lattice-resource-share-external", "mandatory"), ("lattice-ram-share-external-principals", "mandatory")}
