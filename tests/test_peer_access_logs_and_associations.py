"""Access logs where teams keep them (issue #14, item 2) and association options (item 5): the config refuses
what the API would with the key path, the components register one subscription per destination with stable
names, and everything registered passes the API-model check."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from lattice_components.apimodel import check_resource
from lattice_components.components.consumer_vpc import ConsumerVpcAttachment
from lattice_components.components.lattice_service import LatticeService
from lattice_components.components.service_network import ServiceNetwork
from lattice_components.config import AccountStackConfig, ConfigError, NetworkStackConfig, parse
from lattice_components.tools import offline
from helpers import run_component

SUBSCRIPTION = "aws:vpclattice/accessLogSubscription:AccessLogSubscription"
VPC_ASSOCIATION = "aws:vpclattice/serviceNetworkVpcAssociation:ServiceNetworkVpcAssociation"
SERVICE_ASSOCIATION = "aws:vpclattice/serviceNetworkServiceAssociation:ServiceNetworkServiceAssociation"
NETWORK_ARN = "arn:aws:vpc-lattice:us-east-1:111111111111:servicenetwork/sn-0123456789abcdef0"
S3 = "arn:aws:s3:::acme-lattice-logs"
LOGS = "arn:aws:logs:us-east-1:111111111111:log-group:/lattice/prod"
FIREHOSE = "arn:aws:firehose:us-east-1:111111111111:deliverystream/lattice"
SOURCE = "Pulumi.prod.yaml"


def network_config(**network):
    return {"network": {"name": "production-services", **network}, "accounts": {"platform": {"id": "111111111111"}},
            "networkAccount": "platform"}


def problems(raw, model=NetworkStackConfig):
    with pytest.raises(ConfigError) as raised:
        parse(model, raw, SOURCE)
    return raised.value.problems


# --------------------------------------------------------------------------------------------------------------
# GIVEN a bad destination WHEN the network config is read THEN one line names its key path and the rule
# --------------------------------------------------------------------------------------------------------------

BAD_DESTINATIONS = [
    ("two S3 buckets", {"accessLogDestinations": [{"s3BucketArn": S3}, {"s3BucketArn": S3 + "-2"}]},
     "lattice:network.accessLogDestinations[1]: is a second S3 destination for SERVICE logs (after accessLogDestinations[0])"),
    ("a log group next to the created one", {"accessLogs": True, "accessLogDestinations": [{"logGroupArn": LOGS}]},
     "lattice:network.accessLogDestinations[0]: is a second CLOUDWATCH destination for SERVICE logs (after accessLogs)"),
    ("two Firehose streams for RESOURCE logs", {"accessLogDestinations": [
        {"firehoseArn": FIREHOSE, "logType": "RESOURCE"}, {"firehoseArn": FIREHOSE + "2", "logType": "RESOURCE"}]},
     "lattice:network.accessLogDestinations[1]: is a second FIREHOSE destination for RESOURCE logs"),
    ("a bucket ARN given as a log group", {"accessLogDestinations": [{"logGroupArn": S3}]},
     "lattice:network.accessLogDestinations[0].logGroupArn: 'arn:aws:s3:::acme-lattice-logs' is not a CLOUDWATCH destination ARN"),
    ("a Firehose ARN that is not a delivery stream", {"accessLogDestinations": [{"firehoseArn": "arn:aws:firehose:us-east-1:111111111111:stream/x"}]},
     "accessLogDestinations[0].firehoseArn"),
    ("no destination in an entry", {"accessLogDestinations": [{"logType": "RESOURCE"}]},
     "lattice:network.accessLogDestinations[0]: set exactly one of logGroupArn, s3BucketArn or firehoseArn"),
    ("two destinations in one entry", {"accessLogDestinations": [{"s3BucketArn": S3, "firehoseArn": FIREHOSE}]},
     "set exactly one of"),
    ("a log type the API does not have", {"accessLogDestinations": [{"s3BucketArn": S3, "logType": "HTTP"}]},
     "lattice:network.accessLogDestinations[0].logType: 'HTTP' is not one of"),
    ("a retention of zero days", {"accessLogs": True, "accessLogRetentionDays": 0},
     "lattice:network.accessLogRetentionDays: 0 is not a retention CloudWatch Logs accepts"),
]


@pytest.mark.parametrize("network, expected", [c[1:] for c in BAD_DESTINATIONS], ids=[c[0] for c in BAD_DESTINATIONS])
def test_a_bad_destination_is_refused_with_its_key_path(network, expected):
    found = problems(network_config(**network))
    assert any(expected in line for line in found), found


def test_a_service_takes_no_log_type():
    raw = {"account": "orders", "networkStack": "o/lattice-network/dev", "services": {"orders": {
        "targetGroups": {"orders-fn": {"type": "LAMBDA"}},
        "listeners": [{"name": "https-listener", "defaultAction": {"forward": [{"targetGroup": "orders-fn"}]}}],
        "allowedCallers": {"accounts": ["333333333333"]},
        "accessLogDestinations": [{"s3BucketArn": S3, "logType": "RESOURCE"}],
    }}}
    [line] = problems(raw, AccountStackConfig)
    assert line.startswith("lattice:services.orders.accessLogDestinations[0].logType: applies to service networks only")


@settings(max_examples=40, deadline=None)
@given(st.lists(st.tuples(st.sampled_from(["s3BucketArn", "logGroupArn", "firehoseArn"]), st.sampled_from([None, "SERVICE", "RESOURCE"])),
                max_size=6), st.booleans())
def test_destinations_are_accepted_exactly_when_each_type_and_log_type_is_used_once(entries, created):
    # GIVEN any list of destinations (and perhaps the created group)
    arns = {"s3BucketArn": S3, "logGroupArn": LOGS, "firehoseArn": FIREHOSE}
    destinations = [{kind: arns[kind], **({"logType": log} if log else {})} for kind, log in entries]
    keys = [(kind, log or "SERVICE") for kind, log in entries] + ([("logGroupArn", "SERVICE")] if created else [])
    raw = network_config(accessLogs=created, accessLogDestinations=destinations)
    # WHEN read THEN accepted iff no (type, log type) repeats, and each accepted one passes the API model
    if len(set(keys)) == len(keys):
        spec = parse(NetworkStackConfig, raw, SOURCE).network
        for destination in spec.access_log_destinations:
            engine = {"resourceIdentifier": NETWORK_ARN, "destinationArn": destination.arn,
                      **({"serviceNetworkLogType": destination.log_type} if destination.log_type else {})}
            assert check_resource(SUBSCRIPTION, engine) == []
    else:
        assert any("is a second" in line for line in problems(raw))


# --------------------------------------------------------------------------------------------------------------
# The components register one subscription per destination, under names that do not move
# --------------------------------------------------------------------------------------------------------------


def network_run(**args):
    return run_component(lambda: ServiceNetwork("core", {"name": "core", "member_account_ids": ["111111111111"], **args}))


def test_access_logs_true_keeps_the_names_deployed_stacks_have():
    # GIVEN a network with only `access_logs` (as before destinations existed) WHEN registered
    run = network_run(access_logs=True)
    # THEN the log group and the subscription keep their names, so `pulumi up` does not replace them
    assert sorted(r.name for r in run.resources if r.type in (SUBSCRIPTION, "aws:cloudwatch/logGroup:LogGroup")) == [
        "core-access-log-subscription", "core-access-logs"]


def test_every_destination_gets_its_subscription_with_its_log_type():
    run = network_run(access_logs=True, access_log_destinations=[
        {"s3_bucket_arn": S3}, {"firehose_arn": FIREHOSE, "log_type": "RESOURCE"}, {"log_group_arn": LOGS, "log_type": "RESOURCE"}])
    subscriptions = {r.name: r.inputs for r in run.of_type(SUBSCRIPTION)}
    assert set(subscriptions) == {"core-access-log-subscription", "core-access-log-s3", "core-access-log-firehose-resource",
                                  "core-access-log-cloudwatch-resource"}
    assert subscriptions["core-access-log-s3"]["destinationArn"] == S3
    assert "serviceNetworkLogType" not in subscriptions["core-access-log-s3"]
    assert subscriptions["core-access-log-firehose-resource"]["serviceNetworkLogType"] == "RESOURCE"
    for inputs in subscriptions.values():
        assert check_resource(SUBSCRIPTION, inputs) == []


def test_a_bad_destination_given_to_the_component_stops_it_before_any_child():
    with pytest.raises(ConfigError) as raised:
        network_run(access_log_destinations=[{"s3_bucket_arn": S3}, {"s3_bucket_arn": S3}])
    assert "args.access_log_destinations[1]" in str(raised.value) or "accessLogDestinations[1]" in str(raised.value)
    assert not [r for r in raised.value.registrations if r.type.startswith("aws:")]


def test_prod_logs_to_its_group_s3_and_resource_traffic_to_firehose():
    env = offline.run_environment("prod")
    subscriptions = {r.name: r.inputs for r in env.network.of_type(SUBSCRIPTION)}
    assert set(subscriptions) == {"production-services-access-log-subscription", "production-services-access-log-s3",
                                  "production-services-access-log-firehose-resource"}


# --------------------------------------------------------------------------------------------------------------
# Associations with their options
# --------------------------------------------------------------------------------------------------------------

BAD_ASSOCIATIONS = [
    ("DNS options without private DNS", {"dnsOptions": {"privateDnsPreference": "ALL_DOMAINS"}},
     "lattice:consumers.frontend.dnsOptions: needs privateDnsEnabled: true"),
    ("specified domains with a preference that takes none", {"privateDnsEnabled": True, "dnsOptions": {
        "privateDnsPreference": "VERIFIED_DOMAINS_ONLY", "privateDnsSpecifiedDomains": ["*.example.com"]}},
     "lattice:consumers.frontend.dnsOptions.privateDnsSpecifiedDomains: apply only when privateDnsPreference is"),
    ("a preference the API does not have", {"privateDnsEnabled": True, "dnsOptions": {"privateDnsPreference": "SOME"}},
     "lattice:consumers.frontend.dnsOptions.privateDnsPreference: 'SOME' is not one of"),
    ("more specified domains than the API takes", {"privateDnsEnabled": True, "dnsOptions": {
        "privateDnsPreference": "SPECIFIED_DOMAINS_ONLY", "privateDnsSpecifiedDomains": [f"d{i}.example.com" for i in range(11)]}},
     "lattice:consumers.frontend.dnsOptions.privateDnsSpecifiedDomains: has 11 items, above the maximum 10"),
    ("a tag key longer than the API takes", {"associationTags": {"k" * 129: "v"}},
     "lattice:consumers.frontend.associationTags"),
]


@pytest.mark.parametrize("consumer, expected", [c[1:] for c in BAD_ASSOCIATIONS], ids=[c[0] for c in BAD_ASSOCIATIONS])
def test_a_bad_association_option_is_refused_with_its_key_path(consumer, expected):
    # GIVEN a consumer VPC with one bad association option WHEN the stack config is read THEN its key path
    raw = {"account": "platform", "networkStack": "o/lattice-network/dev",
           "consumers": {"frontend": {"vpcId": "vpc-frontend", **consumer}}}
    found = problems(raw, AccountStackConfig)
    assert any(expected in line for line in found), found


@pytest.mark.parametrize("preference, domains", [
    ("VERIFIED_DOMAINS_ONLY", None), ("ALL_DOMAINS", None),
    ("VERIFIED_DOMAINS_AND_SPECIFIED_DOMAINS", ["*.orders.internal"]), ("SPECIFIED_DOMAINS_ONLY", ["orders.internal"]),
])
def test_each_documented_dns_preference_is_registered_and_passes_the_api_model(preference, domains):
    options = {"private_dns_preference": preference, **({"private_dns_specified_domains": domains} if domains else {})}
    run = run_component(lambda: ConsumerVpcAttachment("frontend", {
        "vpc_id": "vpc-frontend", "service_network_arn": NETWORK_ARN, "private_dns_enabled": True,
        "dns_options": options, "tags": {"Team": "web"}, "association_tags": {"Purpose": "clients"}}))
    [association] = run.of_type(VPC_ASSOCIATION)
    assert association.inputs["dnsOptions"]["privateDnsPreference"] == preference
    assert association.inputs["tags"] == {"Team": "web", "Purpose": "clients"}
    assert check_resource(VPC_ASSOCIATION, association.inputs) == []


def test_association_tags_go_on_the_association_only():
    # GIVEN the dev stacks: payment-service tags its association DataClass=pci, the frontend VPC Purpose=...
    env = offline.run_environment("dev")
    orders = next(run for run in env.accounts if run.stack == "orders-dev")
    associations = {r.name: r.inputs for r in orders.of_type(SERVICE_ASSOCIATION)}
    assert associations["payment-service-association"]["tags"]["DataClass"] == "pci"
    assert "DataClass" not in associations["order-service-association"]["tags"]
    assert all("DataClass" not in r.inputs.get("tags", {}) for r in orders.resources if r.type != SERVICE_ASSOCIATION)
    platform = next(run for run in env.accounts if run.stack == "platform-dev")
    [frontend] = platform.of_type(VPC_ASSOCIATION)
    assert frontend.inputs["tags"] == {"Purpose": "frontend-clients"} and frontend.inputs["privateDnsEnabled"] is True
    assert "Purpose" not in platform.named("frontend-lattice-clients").inputs.get("tags", {})


def test_a_service_association_tag_is_preflighted_against_the_model():
    # GIVEN a tag value longer than the API takes on the association WHEN the service is built THEN refused first
    with pytest.raises(ConfigError) as raised:
        run_component(lambda: LatticeService("orders", {
            "name": "orders", "service_network_arn": NETWORK_ARN, "target_groups": {"orders-fn": {"type": "LAMBDA"}},
            "listeners": [{"name": "https-listener", "default_action": {"forward": [{"target_group": "orders-fn"}]}}],
            "allowed_callers": {"accounts": ["333333333333"]}, "association_tags": {"k": "v" * 257}}))
    assert "association_tags" in str(raised.value) or "associationTags" in str(raised.value)


def test_an_endpoint_consumer_takes_no_association_options():
    raw = {"account": "platform", "networkStack": "o/lattice-network/dev", "consumers": {"reporting": {
        "vpcId": "vpc-analytic", "via": "endpoint", "subnetIds": ["subnet-0a11c0de"], "associationTags": {"a": "b"}}}}
    found = problems(raw, AccountStackConfig)
    assert any(line.startswith("lattice:consumers.reporting.associationTags: applies to VPC associations") for line in found), found
