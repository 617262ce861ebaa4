"""Peer examples as tests (#14 item 6): GIVEN a published example of the Terraform module, the Gateway API
controller or the CDK constructs, expressed as this project's stack config under `examples/peers/`, WHEN
`lattice plan` runs it offline, THEN it registers the resources the peer example creates, and the only mandatory
findings are the pack's deliberate verdicts on the peer's choices (authType NONE, an open-principal policy,
a share outside the organization) — named per example, so a new one fails the test."""

from __future__ import annotations

from pathlib import Path

import pytest

from lattice_components.tools import plan

PEERS = Path(__file__).resolve().parent.parent / "examples" / "peers"
NONE_AUTH = "lattice-auth-type-not-none"
OPEN_POLICY = "lattice-auth-policy-document"

# example: (resource type -> expected count, {(type, input path): value}, expected mandatory policies)
EXAMPLES = {
    "terraform/service-httplistener": (
        {"vpclattice/listenerRule:ListenerRule": 2, "vpclattice/targetGroup:TargetGroup": 1,
         "vpclattice/serviceNetworkServiceAssociation:ServiceNetworkServiceAssociation": 0},
        {("vpclattice/listener:Listener", "defaultAction.fixedResponse.statusCode"): 404,
         ("vpclattice/listenerRule:ListenerRule", "match.httpMatch.pathMatch.match.prefix"): "/lambda",
         ("vpclattice/targetGroup:TargetGroup", "type"): "LAMBDA",
         ("vpclattice/targetGroup:TargetGroup", "config.lambdaEventStructureVersion"): "V2"},
        {NONE_AUTH},
    ),
    "terraform/service-httpslistener": (
        {"vpclattice/targetGroup:TargetGroup": 2, "vpclattice/listener:Listener": 1},
        {("vpclattice/listener:Listener", "protocol"): "HTTPS", ("vpclattice/listener:Listener", "port"): 443,
         ("vpclattice/listener:Listener", "defaultAction.forwards.0.targetGroups.0.weight"): 50,
         ("vpclattice/listener:Listener", "defaultAction.forwards.0.targetGroups.1.weight"): 50},
        {NONE_AUTH},
    ),
    "terraform/service-network-logs": (
        {"vpclattice/accessLogSubscription:AccessLogSubscription": 3},
        {("vpclattice/serviceNetwork:ServiceNetwork", "authType"): "NONE",
         ("vpclattice/accessLogSubscription:AccessLogSubscription", "destinationArn"):
             "arn:aws:firehose:us-east-1:111111111111:deliverystream/sn-loggroup-firehose-example"},
        {NONE_AUTH},
    ),
    "terraform/ram-share": (
        # the network's share and one per shared service (the module puts both services in one share)
        {"ram/resourceShare:ResourceShare": 3, "ram/resourceAssociation:ResourceAssociation": 3,
         "ram/principalAssociation:PrincipalAssociation": 3, "vpclattice/service:Service": 3,
         "vpclattice/listener:Listener": 0,
         "vpclattice/serviceNetworkServiceAssociation:ServiceNetworkServiceAssociation": 0},
        {("ram/principalAssociation:PrincipalAssociation", "principal"): "222222222222",
         ("ram/resourceShare:ResourceShare", "allowExternalPrincipals"): True,
         ("ram/resourceShare:ResourceShare", "name"): "service1-share"},
        {NONE_AUTH, "lattice-ram-share-external-principals"},
    ),
    "controller/my-hotel-gateway": (
        {"vpclattice/serviceNetwork:ServiceNetwork": 1, "vpclattice/authPolicy:AuthPolicy": 1},
        {("vpclattice/serviceNetwork:ServiceNetwork", "name"): "my-hotel"},
        set(),
    ),
    "controller/rate-route-path": (
        {"vpclattice/listenerRule:ListenerRule": 2, "vpclattice/targetGroup:TargetGroup": 2},
        {("vpclattice/listenerRule:ListenerRule", "match.httpMatch.pathMatch.match.prefix"): "/parking",
         ("vpclattice/targetGroup:TargetGroup", "type"): "IP"},
        {NONE_AUTH},
    ),
    "controller/inventory-route-bluegreen": (
        # inventory-ver2 is a ServiceImport: a target group of another cluster, referenced by ARN, not created
        {"vpclattice/targetGroup:TargetGroup": 1, "vpclattice/listener:Listener": 1},
        {("vpclattice/listener:Listener", "defaultAction.forwards.0.targetGroups.0.weight"): 10,
         ("vpclattice/listener:Listener", "defaultAction.forwards.0.targetGroups.1.weight"): 90,
         ("vpclattice/listener:Listener", "defaultAction.forwards.0.targetGroups.1.targetGroupIdentifier"):
             "arn:aws:vpc-lattice:us-east-1:111111111111:targetgroup/tg-0a1b2c3d4e5f60718"},
        {NONE_AUTH},
    ),
    "cdk/listener": (
        {"vpclattice/listenerRule:ListenerRule": 3, "vpclattice/serviceNetworkVpcAssociation:ServiceNetworkVpcAssociation": 1,
         "vpclattice/targetGroupAttachment:TargetGroupAttachment": 1},
        {("vpclattice/listenerRule:ListenerRule", "match.httpMatch.method"): "GET",
         ("vpclattice/listenerRule:ListenerRule", "match.httpMatch.headerMatches.0.match.exact"): "some-value",
         ("vpclattice/listenerRule:ListenerRule", "match.httpMatch.pathMatch.match.exact"): "/test",
         ("vpclattice/listenerRule:ListenerRule", "action.forward.targetGroups.0.weight"): 50},
        {NONE_AUTH, OPEN_POLICY},
    ),
    "cdk/service-network": (
        # the service has no listener (the API allows it): registered, and the plan notes it serves nothing yet
        {"vpclattice/accessLogSubscription:AccessLogSubscription": 3, "ram/principalAssociation:PrincipalAssociation": 1,
         "vpclattice/authPolicy:AuthPolicy": 1, "vpclattice/service:Service": 1, "vpclattice/listener:Listener": 0,
         "vpclattice/serviceNetworkServiceAssociation:ServiceNetworkServiceAssociation": 1},
        {("ram/principalAssociation:PrincipalAssociation", "principal"): "851725360407",
         ("vpclattice/accessLogSubscription:AccessLogSubscription", "destinationArn"):
             "arn:aws:logs:us-east-1:111111111111:log-group:vpc-lattice-svc"},
        {NONE_AUTH, OPEN_POLICY, "lattice-ram-share-external-principals"},
    ),
    "cdk/custom-domain": (
        {"vpclattice/serviceNetworkVpcAssociation:ServiceNetworkVpcAssociation": 2, "vpclattice/listenerRule:ListenerRule": 1,
         "route53/record:Record": 1},
        {("vpclattice/service:Service", "customDomainName"): "parking.cdktests.com",
         ("route53/record:Record", "name"): "parking.cdktests.com", ("route53/record:Record", "zoneId"): "Z0CDKTESTSPRIVATE0ZONE",
         ("vpclattice/listenerRule:ListenerRule", "match.httpMatch.pathMatch.match.exact"): "/reservation"},
        {NONE_AUTH},
    ),
}


def lookup(value, path):
    for part in path.split("."):
        if value is None:
            return None
        value = value[int(part)] if isinstance(value, list) else value.get(part)
    return value


def resources(report):
    return [resource for run in report.runs for resource in run.resources]


@pytest.fixture(scope="module")
def reports():
    return {}


def report_of(example, reports):
    if example not in reports:
        reports[example] = plan.build("dev", PEERS / example)
    return reports[example]


@pytest.mark.parametrize("example", sorted(EXAMPLES))
def test_the_plan_registers_what_the_peer_example_creates(example, reports):
    counts, inputs, expected_mandatory = EXAMPLES[example]
    # WHEN the example is planned offline
    report = report_of(example, reports)
    registered = resources(report)
    # THEN each resource type the peer creates is registered as often as the peer creates it
    for kind, count in counts.items():
        assert sum(r.type == f"aws:{kind}" for r in registered) == count, kind
    # AND the key inputs are the peer's
    for (kind, path), value in inputs.items():
        found = [lookup(r.inputs, path) for r in registered if r.type == f"aws:{kind}"]
        assert value in found, (kind, path, found)
    # AND the only mandatory findings are the named verdicts on the peer's own choices
    assert {f.policy for f in report.mandatory} == expected_mandatory
    assert not report.failures
