"""DNS for custom domains (issue #14, item 3): a service's `dns` entry registers one Route 53 record, named after
its custom domain and pointing at the name Lattice generates; bad entries are refused with their key path before
anything is registered."""

from __future__ import annotations

import pulumi
import pytest
from typer.testing import CliRunner

from lattice_components.components.lattice_service import LatticeService
from lattice_components.config import AccountStackConfig, ConfigError, parse
from lattice_components.tools import offline
from lattice_components.tools.cli import app
from helpers import find_run, run_component

RECORD = "aws:route53/record:Record"
SERVICE = "aws:vpclattice/service:Service"
NETWORK_ARN = "arn:aws:vpc-lattice:us-east-1:111111111111:servicenetwork/sn-0123456789abcdef0"
CERTIFICATE = "arn:aws:acm:us-east-1:123456789012:certificate/00000000-0000-0000-0000-000000000000"
DOMAIN = "orders.internal.example.com"
ZONE = "Z0123456789ORDERS"
SOURCE = "stacks/Pulumi.orders-prod.yaml"


def service_args(**extra):
    return {
        "name": "orders", "service_network_arn": NETWORK_ARN, "target_groups": {"orders-fn": {"type": "LAMBDA"}},
        "listeners": [{"name": "https-listener", "default_action": {"forward": [{"target_group": "orders-fn"}]}}],
        "allowed_callers": {"accounts": ["333333333333"]}, **extra,
    }


def with_domain(dns):
    return service_args(custom_domain_name=DOMAIN, certificate_arn=CERTIFICATE, dns=dns)


def account_config(service_extra):
    return {"account": "orders", "networkStack": "o/lattice-network/prod", "services": {"orders": {
        "targetGroups": {"orders-fn": {"type": "LAMBDA"}},
        "listeners": [{"name": "https-listener", "defaultAction": {"forward": [{"targetGroup": "orders-fn"}]}}],
        "allowedCallers": {"accounts": ["333333333333"]}, **service_extra,
    }}}


def problems(raw):
    with pytest.raises(ConfigError) as raised:
        parse(AccountStackConfig, raw, SOURCE)
    return raised.value.problems


# --------------------------------------------------------------------------------------------------------------
# GIVEN a service with a custom domain and a dns entry WHEN the component is built THEN one record, to Lattice's name
# --------------------------------------------------------------------------------------------------------------

def test_an_alias_entry_registers_an_a_alias_record_to_the_lattice_name():
    run = run_component(lambda: LatticeService("orders", with_domain({"hosted_zone_id": ZONE})))
    [record] = run.of_type(RECORD)
    [service] = run.of_type(SERVICE)
    assert record.name == "orders-dns"
    assert record.parent.endswith("lattice:index:LatticeService::orders")
    assert record.inputs["zoneId"] == ZONE and record.inputs["name"] == DOMAIN and record.inputs["type"] == "A"
    [alias] = record.inputs["aliases"]
    assert alias["name"].startswith("orders-")
    assert alias["name"].endswith(".vpc-lattice-svcs.us-east-1.on.aws")
    assert alias["zoneId"] == "Z0123456789ABCDEFGHIJ"  # the mock's Lattice hosted zone, from dnsEntries[0]
    assert alias["evaluateTargetHealth"] is False
    assert "ttl" not in record.inputs and "records" not in record.inputs
    # THEN it waits for the service: its alias comes from the service's DNS entry
    assert service.urn in record.dependencies


@pytest.mark.parametrize("ttl, expected", [(None, 300), (60, 60), (0, 0), (86400, 86400)])
def test_a_cname_entry_registers_a_cname_record_with_its_ttl(ttl, expected):
    dns = {"hosted_zone_id": ZONE, "record_type": "CNAME", **({} if ttl is None else {"ttl": ttl})}
    run = run_component(lambda: LatticeService("orders", with_domain(dns)))
    [record] = run.of_type(RECORD)
    [service] = run.of_type(SERVICE)
    assert record.inputs["type"] == "CNAME" and record.inputs["name"] == DOMAIN and record.inputs["zoneId"] == ZONE
    [target] = record.inputs["records"]
    assert target.endswith(".vpc-lattice-svcs.us-east-1.on.aws")
    assert record.inputs["ttl"] == expected and "aliases" not in record.inputs
    assert service.urn in record.dependencies


def test_no_dns_entry_registers_no_record():
    run = run_component(lambda: LatticeService("orders", service_args(custom_domain_name=DOMAIN, certificate_arn=CERTIFICATE)))
    assert run.of_type(RECORD) == []


# --------------------------------------------------------------------------------------------------------------
# GIVEN a bad dns entry WHEN the config is read or the component built THEN refused with its key path
# --------------------------------------------------------------------------------------------------------------

def test_dns_without_a_custom_domain_is_refused_with_its_key_path():
    [line] = problems(account_config({"dns": {"hostedZoneId": ZONE}}))
    assert line.startswith(f"lattice:services.orders.dns: needs customDomainName"), line


def test_dns_without_a_custom_domain_stops_the_component_before_any_child():
    with pytest.raises(ConfigError) as raised:
        run_component(lambda: LatticeService("orders", service_args(dns={"hosted_zone_id": ZONE})))
    assert "dns" in str(raised.value) and "needs customDomainName" in str(raised.value)
    assert raised.value.registrations == []


def test_a_hosted_zone_from_another_resource_is_used_and_checked_when_it_resolves():
    # GIVEN the zone ID as another resource's output WHEN it resolves to a good ID THEN the record is in that zone
    good = pulumi.Output.from_input("x").apply(lambda _: ZONE)
    run = run_component(lambda: LatticeService("orders", with_domain({"hosted_zone_id": good})))
    [record] = run.of_type(RECORD)
    assert record.inputs["zoneId"] == ZONE
    # WHEN it resolves to a bad one THEN the same message as the plain value
    with pytest.raises(ConfigError) as plain:
        run_component(lambda: LatticeService("orders", with_domain({"hosted_zone_id": "zone-1"})))
    assert plain.value.registrations == []
    with pytest.raises(ConfigError) as deferred:
        bad = pulumi.Output.from_input("x").apply(lambda _: "zone-1")
        run_component(lambda: LatticeService("orders", with_domain({"hosted_zone_id": bad})))
    assert deferred.value.problems == plain.value.problems
    assert "hosted_zone_id" in plain.value.problems[0] or "hostedZoneId" in plain.value.problems[0]


BAD_ZONES = [
    ("empty", "", "Route 53 allows 1-32 characters"),
    ("over the model's 32 characters", "Z" + "0" * 32, "Route 53 allows 1-32 characters"),
    ("lower case", "z0123456789orders", "upper-case letters and digits"),
    ("with the /hostedzone/ prefix", "/hostedzone/Z0123456789", "no /hostedzone/ prefix"),
    ("with a space", "Z0123 456789", "upper-case letters and digits"),
]


@pytest.mark.parametrize("zone, rule", [c[1:] for c in BAD_ZONES], ids=[c[0] for c in BAD_ZONES])
def test_a_bad_hosted_zone_id_is_refused_with_its_key_path(zone, rule):
    found = problems(account_config({"customDomainName": DOMAIN, "certificateArn": CERTIFICATE, "dns": {"hostedZoneId": zone}}))
    assert any(line.startswith(f"lattice:services.orders.dns.hostedZoneId:") and rule in line for line in found), found


@pytest.mark.parametrize("zone", ["Z", "Z0123456789ABCDEFGHIJ", "Z" * 32])
def test_a_hosted_zone_id_within_the_model_is_accepted(zone):
    parse(AccountStackConfig, account_config({"customDomainName": DOMAIN, "certificateArn": CERTIFICATE,
                                              "dns": {"hostedZoneId": zone}}), SOURCE)


BAD_ENTRIES = [
    ("a TTL on an alias record", {"hostedZoneId": ZONE, "ttl": 60}, "dns.ttl: alias records take no TTL"),
    ("a TTL on an explicit alias record", {"hostedZoneId": ZONE, "recordType": "ALIAS", "ttl": 60}, "dns.ttl: alias records take no TTL"),
    ("a negative TTL", {"hostedZoneId": ZONE, "recordType": "CNAME", "ttl": -1}, "dns.ttl:"),
    ("a record type Route 53 aliasing does not mean", {"hostedZoneId": ZONE, "recordType": "AAAA"}, "dns.recordType:"),
    ("no hosted zone", {"recordType": "CNAME"}, "dns.hostedZoneId:"),
    ("an unknown key", {"hostedZoneId": ZONE, "zone": ZONE}, "dns.zone:"),
]


@pytest.mark.parametrize("dns, expected", [c[1:] for c in BAD_ENTRIES], ids=[c[0] for c in BAD_ENTRIES])
def test_a_bad_dns_entry_is_refused_with_its_key_path(dns, expected):
    found = problems(account_config({"customDomainName": DOMAIN, "certificateArn": CERTIFICATE, "dns": dns}))
    assert any(f"lattice:services.orders.{expected}" in line for line in found), found


# --------------------------------------------------------------------------------------------------------------
# GIVEN prod's order service with a dns entry WHEN prod is planned THEN the record is registered and the pack passes
# --------------------------------------------------------------------------------------------------------------

def test_prod_registers_the_order_service_record():
    orders = find_run(offline.run_environment("prod"), "orders")
    [record] = orders.of_type(RECORD)
    assert record.name == "order-service-dns" and record.inputs["type"] == "A"
    assert record.inputs["name"] == orders.named("order-service-service").inputs["customDomainName"]


def test_lattice_plan_prod_shows_the_record_and_passes_the_pack():
    result = CliRunner().invoke(app, ["plan", "prod"])
    assert result.exit_code == 0, result.output
    assert "Record order-service-dns" in result.output
