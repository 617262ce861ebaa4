"""`lattice-network-log-destinations` over the engine's analyzer protocol: production networks keep access logs
where the config says (issue #14, item 2)."""

from __future__ import annotations

import json
import shutil

import pytest
import yaml

from lattice_components.tools import offline, plan
from lattice_components.tools.analyzer_client import PACK_DIR, UNKNOWN

POLICY = "lattice-network-log-destinations"
NETWORK = "aws:vpclattice/serviceNetwork:ServiceNetwork"
SUBSCRIPTION = "aws:vpclattice/accessLogSubscription:AccessLogSubscription"
LOG_GROUP = "aws:cloudwatch/logGroup:LogGroup"
NETWORK_ARN = "arn:aws:vpc-lattice:us-east-1:123456789012:servicenetwork/sn-0123456789abcdef0"
S3 = "arn:aws:s3:::acme-lattice-logs"
FIREHOSE = "arn:aws:firehose:us-east-1:123456789012:deliverystream/lattice"
PROD = json.loads((PACK_DIR / "policy-config.prod.json").read_text())


def urn(type_: str, name: str) -> str:
    return f"urn:pulumi:prod::lattice::{type_}::{name}"


def network(tags=None, arn=NETWORK_ARN):
    return {"type": NETWORK, "name": "core", "urn": urn(NETWORK, "core"),
            "props": {"name": "core", "authType": "AWS_IAM", "arn": arn, "id": "sn-0123456789abcdef0",
                      "tags": {"Environment": "Production"} if tags is None else tags}}


def subscription(name, destination, log_type=None, target=NETWORK_ARN, deps=None):
    props = {"resourceIdentifier": target, "destinationArn": destination}
    if log_type:
        props["serviceNetworkLogType"] = log_type
    return {"type": SUBSCRIPTION, "name": name, "urn": urn(SUBSCRIPTION, name), "props": props,
            "property_dependencies": deps or {}, "dependencies": sorted({u for v in (deps or {}).values() for u in v})}


def findings(pack, stack, config=None):
    pack.configure(PROD if config is None else config)
    return [d for d in pack.analyze_stack(stack) if d.policy_name == POLICY]


CASES = [
    ("no subscription at all", [], ["SERVICE"]),
    ("only RESOURCE logs", [subscription("res", FIREHOSE, "RESOURCE")], ["SERVICE"]),
    ("logs of another network", [subscription("other", S3, target=NETWORK_ARN.replace("sn-0", "sn-1"))], ["SERVICE"]),
    ("S3 for SERVICE logs", [subscription("s3", S3)], []),
    ("S3 with the log type spelled out", [subscription("s3", S3, "SERVICE")], []),
    ("a created log group", [subscription("cw", "arn:aws:logs:us-east-1:123456789012:log-group:/x")], []),
]


@pytest.mark.parametrize("stack, missing", [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_a_production_network_must_log_its_requests(pack, stack, missing):
    # GIVEN the prod pack config (mandatory, Environment=Production) WHEN a production network is analyzed
    found = findings(pack, [network(), *stack])
    # THEN it is a mandatory violation on the network exactly when its SERVICE logs go nowhere
    if missing:
        [finding] = found
        assert finding.enforcement_level == "mandatory" and finding.urn.endswith("::core")
        assert "SERVICE logs" in finding.message
    else:
        assert found == []


def test_networks_without_the_production_tags_are_left_alone(pack):
    assert findings(pack, [network(tags={"Environment": "Development"})]) == []


def test_the_default_config_checks_no_network(pack):
    assert findings(pack, [network()], config={}) == []


def test_destination_types_and_log_types_are_configurable(pack):
    config = {POLICY: {"enforcementLevel": "mandatory", "networkTags": {}, "destinationTypes": ["S3"], "logTypes": ["SERVICE", "RESOURCE"]}}
    # GIVEN S3 is the only accepted type and RESOURCE logs are required too
    [finding] = findings(pack, [network(tags={}), subscription("s3", S3), subscription("res", FIREHOSE, "RESOURCE")], config)
    assert "no S3 access-log subscription for its RESOURCE logs" in finding.message
    assert findings(pack, [network(tags={}), subscription("s3", S3), subscription("s3r", S3, "RESOURCE")], config) == []


def test_in_preview_a_created_log_group_counts_through_its_dependency(pack):
    # GIVEN the network's ARN and the log group's ARN unknown, linked only by property dependencies
    group = {"type": LOG_GROUP, "name": "core-access-logs", "urn": urn(LOG_GROUP, "core-access-logs"), "props": {"arn": UNKNOWN}}
    sub = subscription("core-sub", UNKNOWN, target=UNKNOWN,
                       deps={"resourceIdentifier": [urn(NETWORK, "core")], "destinationArn": [group["urn"]]})
    assert findings(pack, [network(arn=UNKNOWN), group, sub]) == []


def test_in_preview_an_unknown_destination_is_undecided_not_compliant(pack):
    sub = subscription("core-sub", UNKNOWN, target=UNKNOWN, deps={"resourceIdentifier": [urn(NETWORK, "core")]})
    [finding] = findings(pack, [network(arn=UNKNOWN), sub])
    assert "can't run policy" in finding.message


def test_lattice_plan_prod_fails_when_the_prod_network_stops_logging(tmp_path):
    # GIVEN the prod network config without any access logs
    for name in ("Pulumi.yaml", "Pulumi.dev.yaml", "Pulumi.prod.yaml"):
        shutil.copy(offline.REPO_ROOT / name, tmp_path / name)
    shutil.copytree(offline.REPO_ROOT / "stacks", tmp_path / "stacks")
    path = tmp_path / "Pulumi.prod.yaml"
    document = yaml.safe_load(path.read_text())
    document["config"]["lattice:network"].update(accessLogs=False, accessLogDestinations=[])
    path.write_text(yaml.safe_dump(document, sort_keys=False))
    # WHEN planned THEN the policy is a mandatory finding on the prod network
    report = plan.build("prod", tmp_path)
    mandatory = [f for f in report.findings if f.level == "mandatory"]
    assert [(f.policy, f.stack) for f in mandatory] == [(POLICY, "lattice-network/prod")]
