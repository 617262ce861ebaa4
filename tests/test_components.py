"""Each component on its own: GIVEN its arguments, WHEN it is constructed under the mock monitor, THEN it
registers these children with these inputs, under itself."""

from __future__ import annotations

import json

import pytest

from helpers import policy_of, run_component
from lattice_components import ConsumerVpcAttachment, LatticeService, ServiceNetwork, ShareAccepter
from lattice_components.config import ConfigError

NETWORK_ARN = "arn:aws:vpc-lattice:us-east-1:123456789012:servicenetwork/sn-0123456789abcdef0"


def children_of(run, component_type):
    [component] = run.of_type(component_type)
    return [r for r in run.resources if r.parent == component.urn]


def test_a_service_network_shared_with_two_accounts():
    run = run_component(lambda: ServiceNetwork("core", {
        "name": "core-services",
        "member_account_ids": ["123456789012", "234567890123"],
        "share_principals": ["234567890123", "arn:aws:organizations::123456789012:ou/o-a1b2c3d4e5/ou-ab12-cdef3456"],
    }))
    types = sorted(r.type for r in children_of(run, "lattice:index:ServiceNetwork"))
    assert types == sorted([
        "aws:vpclattice/serviceNetwork:ServiceNetwork",
        "aws:vpclattice/authPolicy:AuthPolicy",
        "aws:ram/resourceShare:ResourceShare",
        "aws:ram/resourceAssociation:ResourceAssociation",
        "aws:ram/principalAssociation:PrincipalAssociation",
        "aws:ram/principalAssociation:PrincipalAssociation",
    ])
    [network] = run.of_type("aws:vpclattice/serviceNetwork:ServiceNetwork")
    assert network.inputs["authType"] == "AWS_IAM"  # the default: the API's own default is NONE
    [share] = run.of_type("aws:ram/resourceShare:ResourceShare")
    assert share.inputs["allowExternalPrincipals"] is False
    policy = policy_of(run, "core")
    assert policy["Statement"][0]["Principal"]["AWS"] == ["arn:aws:iam::123456789012:root", "arn:aws:iam::234567890123:root"]


def test_a_service_network_shared_with_no_one_has_no_share():
    run = run_component(lambda: ServiceNetwork("solo", {"name": "solo-services", "member_account_ids": ["123456789012"]}))
    assert run.of_type("aws:ram/resourceShare:ResourceShare") == []


def test_a_service_network_with_auth_none_has_no_auth_policy():
    run = run_component(lambda: ServiceNetwork("open", {"name": "open-services", "auth_type": "NONE"}))
    assert run.of_type("aws:vpclattice/authPolicy:AuthPolicy") == []


def service_args(**overrides):
    args = {
        "name": "order-service",
        "service_network_arn": NETWORK_ARN,
        "target_groups": {
            "order-stable": {"type": "INSTANCE", "port": 8080, "protocol": "HTTP", "vpc_id": "vpc-backend1",
                             "targets": [{"id": "i-0123456789abcdef0"}]},
            "order-fn": {"type": "LAMBDA", "targets": [{"id": "arn:aws:lambda:us-east-1:123456789012:function:orders"}]},
            "order-alb": {"type": "ALB", "port": 443, "protocol": "HTTPS", "vpc_id": "vpc-backend1"},
        },
        "listeners": [{
            "name": "http-listener",
            "protocol": "HTTP",
            "default_action": {"forward": [{"target_group": "order-stable", "weight": 100}]},
            "rules": [{
                "name": "lambda-path",
                "priority": 1,
                "match": {"path_prefix": "/fn", "method": "GET", "headers": [{"name": "x-team", "contains": "ord"}]},
                "action": {"forward": [{"target_group": "order-fn"}]},
            }, {
                "name": "maintenance",
                "priority": 2000,
                "match": {"path_exact": "/admin"},
                "action": {"fixed_response": 500},
            }],
        }],
        "allowed_callers": {"principals": ["arn:aws:iam::123456789012:role/FrontendAppRole"], "organization_ids": ["o-a1b2c3d4e5"]},
    }
    args.update(overrides)
    return args


@pytest.fixture(scope="module")
def service_run():
    return run_component(lambda: LatticeService("orders", service_args()))


def test_instance_groups_get_the_default_health_check_lambda_and_alb_groups_none(service_run):
    groups = {r.inputs["name"]: r.inputs for r in service_run.of_type("aws:vpclattice/targetGroup:TargetGroup")}
    check = groups["order-stable"]["config"]["healthCheck"]
    assert check == {
        "enabled": True, "protocol": "HTTP", "protocolVersion": "HTTP1", "path": "/", "port": 8080,
        "healthCheckIntervalSeconds": 30, "healthCheckTimeoutSeconds": 5, "healthyThresholdCount": 5,
        "unhealthyThresholdCount": 2, "matcher": {"value": "200"},
    }
    assert "config" not in groups["order-fn"]
    assert "healthCheck" not in groups["order-alb"]["config"]


def test_a_health_check_switched_off_is_sent_disabled():
    args = service_args()
    args["target_groups"]["order-stable"]["health_check"] = {"enabled": False}
    run = run_component(lambda: LatticeService("orders", args))
    [group] = [r for r in run.of_type("aws:vpclattice/targetGroup:TargetGroup") if r.inputs["name"] == "order-stable"]
    assert group.inputs["config"]["healthCheck"] == {"enabled": False}


def test_rules_match_paths_methods_and_headers_and_answer_fixed_responses(service_run):
    rules = {r.inputs["name"]: r.inputs for r in service_run.of_type("aws:vpclattice/listenerRule:ListenerRule")}
    groups = {r.inputs["name"]: r.id for r in service_run.of_type("aws:vpclattice/targetGroup:TargetGroup")}
    assert rules["lambda-path"]["match"]["httpMatch"] == {
        "pathMatch": {"caseSensitive": True, "match": {"prefix": "/fn"}},
        "method": "GET",
        "headerMatches": [{"name": "x-team", "caseSensitive": False, "match": {"contains": "ord"}}],
    }
    assert rules["lambda-path"]["action"] == {"forward": {"targetGroups": [{"targetGroupIdentifier": groups["order-fn"], "weight": 100}]}}
    assert rules["maintenance"]["priority"] == 2000
    assert rules["maintenance"]["action"] == {"fixedResponse": {"statusCode": 500}}


def test_the_auth_policy_allows_the_declared_principals_and_organization_through_the_network(service_run):
    policy = policy_of(service_run, "orders")
    assert policy["Version"] == "2012-10-17"
    principals, organization = policy["Statement"]
    assert principals["Principal"] == {"AWS": ["arn:aws:iam::123456789012:role/FrontendAppRole"]}
    assert organization["Principal"] == "*"
    assert organization["Condition"]["StringEquals"] == {
        "aws:PrincipalOrgID": ["o-a1b2c3d4e5"], "vpc-lattice-svcs:ServiceNetworkArn": NETWORK_ARN,
    }


def test_every_child_is_parented_to_the_service_component(service_run):
    [component] = service_run.of_type("lattice:index:LatticeService")
    children = [r for r in service_run.resources if r is not component]
    assert children and all(child.parent == component.urn for child in children)


def test_bad_component_arguments_name_the_component_and_key_before_registering_children():
    args = service_args(listeners=[{"name": "http-listener", "protocol": "HTTP", "port": 70000,
                                    "default_action": {"fixed_response": 404}}])
    with pytest.raises(ConfigError) as raised:
        run_component(lambda: LatticeService("orders", args))
    assert "lattice:index:LatticeService 'orders'" in str(raised.value)
    assert "args.listeners[0].port: 70000 is above the maximum 65535" in str(raised.value)
    assert [r.type for r in raised.value.registrations if r.type.startswith("aws:")] == []


def test_a_consumer_vpc_with_a_created_security_group_reaches_the_lattice_prefix_list():
    run = run_component(lambda: ConsumerVpcAttachment("frontend", {
        "vpc_id": "vpc-frontend",
        "service_network_arn": NETWORK_ARN,
        "security_group_ids": ["sg-0123456789abcdef0"],
        "create_security_group": {"client_cidrs": ["10.0.0.0/16"], "ports": [443, 80]},
        "region": "eu-west-1",
    }))
    [group] = run.of_type("aws:ec2/securityGroup:SecurityGroup")
    assert [(rule["fromPort"], rule["cidrBlocks"]) for rule in group.inputs["ingress"]] == [(80, ["10.0.0.0/16"]), (443, ["10.0.0.0/16"])]
    prefix_lists = {tuple(rule["prefixListIds"]) for rule in group.inputs["egress"]}
    assert len(prefix_lists) == 1 and next(iter(prefix_lists))[0].startswith("pl-")
    [association] = run.of_type("aws:vpclattice/serviceNetworkVpcAssociation:ServiceNetworkVpcAssociation")
    assert association.inputs["securityGroupIds"] == ["sg-0123456789abcdef0", group.id]
    assert association.inputs["serviceNetworkIdentifier"] == NETWORK_ARN


def test_a_consumer_vpc_may_not_exceed_the_api_limit_of_security_groups():
    with pytest.raises(ConfigError) as raised:
        run_component(lambda: ConsumerVpcAttachment("frontend", {
            "vpc_id": "vpc-frontend", "service_network_arn": NETWORK_ARN,
            "security_group_ids": [f"sg-0000000{i}" for i in range(5)],
            "create_security_group": {"client_cidrs": ["10.0.0.0/16"]}, "region": "us-east-1",
        }))
    assert "args.securityGroupIds: 6 security groups in all is above the API maximum 5" in str(raised.value)


def test_a_share_accepter_accepts_the_given_share():
    share = "arn:aws:ram:us-east-1:123456789012:resource-share/abc"
    run = run_component(lambda: ShareAccepter("mobile", {"share_arn": share}))
    [accepter] = run.of_type("aws:ram/resourceShareAccepter:ResourceShareAccepter")
    assert accepter.inputs == {"shareArn": share}
    assert accepter.parent == run.of_type("lattice:index:ShareAccepter")[0].urn


def test_modes_given_as_enum_members_register_what_their_strings_register():
    # GIVEN the same service with its modes as the package's enums and as plain strings
    from lattice_components import AuthType, ListenerProtocol, TargetGroupProtocol, TargetGroupType

    as_strings = service_args(auth_type="AWS_IAM")
    as_members = service_args(auth_type=AuthType.AWS_IAM)
    group = as_members["target_groups"]["order-stable"]
    as_members["target_groups"]["order-stable"] = {**group, "type": TargetGroupType.INSTANCE, "protocol": TargetGroupProtocol.HTTP}
    as_members["listeners"] = [{**as_members["listeners"][0], "protocol": ListenerProtocol.HTTP}]
    # WHEN each is constructed THEN the registrations are identical
    registered = [
        sorted(
            ((r.type, r.name, json.dumps(r.inputs, sort_keys=True))
             for r in run_component(lambda args=args: LatticeService("orders", args)).resources),
        )
        for args in (as_strings, as_members)
    ]
    assert registered[0] == registered[1]
