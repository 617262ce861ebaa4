"""The walkthrough (shared/seed/vpc-lattice-setup.md), step by step, as the dev and prod stacks deploy it.

Each test is one section of the walkthrough: GIVEN the repository's stack files, WHEN the network stack and
every account stack run as `pulumi up` would run them (under the SDK's mock monitor, the account stacks fed the
network stack's real exports), THEN the resources the walkthrough creates by hand are registered with its
values.
"""

from __future__ import annotations

import json

from helpers import find_run, policy_of

SERVICE_NETWORK = "aws:vpclattice/serviceNetwork:ServiceNetwork"
SERVICE = "aws:vpclattice/service:Service"
TARGET_GROUP = "aws:vpclattice/targetGroup:TargetGroup"
LISTENER = "aws:vpclattice/listener:Listener"
VPC_ASSOCIATION = "aws:vpclattice/serviceNetworkVpcAssociation:ServiceNetworkVpcAssociation"
SERVICE_ASSOCIATION = "aws:vpclattice/serviceNetworkServiceAssociation:ServiceNetworkServiceAssociation"


def test_creating_a_service_network_with_iam_auth(environment):
    [network] = environment.network.of_type(SERVICE_NETWORK)
    assert network.inputs["authType"] == "AWS_IAM"
    expected = {"dev": ("dev-services", "Development"), "prod": ("production-services", "Production")}[environment.env]
    assert (network.inputs["name"], network.inputs["tags"]["Environment"]) == expected


def test_the_network_is_shared_with_the_organization_and_the_outside_mobile_account(environment):
    network = environment.network
    accounts = network.outputs["accounts"]
    principals = {r.inputs["principal"] for r in network.of_type("aws:ram/principalAssociation:PrincipalAssociation")}
    assert principals == {
        "arn:aws:organizations::%s:organization/o-a1b2c3d4e5" % accounts["platform"]["id"],
        accounts["mobile"]["id"],
    }
    [share] = network.of_type("aws:ram/resourceShare:ResourceShare")
    assert share.inputs["allowExternalPrincipals"] is True  # mobile is outside the organization
    [association] = network.of_type("aws:ram/resourceAssociation:ResourceAssociation")
    assert association.inputs["resourceArn"] == network.outputs["serviceNetworkArn"]


def test_associating_vpc_a_with_its_security_groups(environment):
    platform = find_run(environment, "platform")
    [association] = platform.of_type(VPC_ASSOCIATION)
    assert association.inputs["vpcIdentifier"] == "vpc-frontend"
    assert association.inputs["serviceNetworkIdentifier"] == environment.network.outputs["serviceNetworkArn"]
    created = platform.named("frontend-lattice-clients")  # the platform's endpoint consumer has its own group (#15)
    assert association.inputs["securityGroupIds"] == ["sg-0123456789abcdef0", created.id]


def test_associating_vpc_b_from_another_account_requires_the_share_first(environment):
    mobile = find_run(environment, "mobile")
    [accepter] = mobile.of_type("aws:ram/resourceShareAccepter:ResourceShareAccepter")
    assert accepter.inputs["shareArn"] == environment.network.outputs["shareArn"]
    [association] = mobile.of_type(VPC_ASSOCIATION)
    assert association.inputs["vpcIdentifier"] == "vpc-mobileb2"
    [created] = mobile.of_type("aws:ec2/securityGroup:SecurityGroup")
    assert association.inputs["securityGroupIds"] == ["sg-abcdef0123456789a", created.id]
    # The association waits for the acceptance (outside the organization nothing is visible before it);
    # its security group does not, so both are created at once.
    assert accepter.urn in association.dependencies
    assert accepter.urn not in created.dependencies


def test_each_account_deploys_with_its_own_role_and_only_into_its_own_account(environment):
    accounts = environment.network.outputs["accounts"]
    for run in environment.accounts:
        [provider] = run.of_type("pulumi:providers:aws")
        account_id = accounts[run.outputs["account"]]["id"]
        assert json.loads(provider.inputs["assumeRoles"])[0]["roleArn"] == f"arn:aws:iam::{account_id}:role/LatticeDeployRole"
        assert json.loads(provider.inputs["allowedAccountIds"]) == [account_id]
        assert provider.inputs["region"] == environment.network.outputs["region"]
        custom = [r for r in run.resources if r.custom and not r.type.startswith("pulumi:")]
        assert custom and all(r.provider.startswith(provider.urn) for r in custom)


def test_the_order_service_target_group_checks_health_on_slash_health(environment):
    orders = find_run(environment, "orders")
    groups = {r.inputs["name"]: r.inputs for r in orders.of_type(TARGET_GROUP)}
    stable = groups["order-service-stable"]
    assert stable["type"] == "INSTANCE"
    assert (stable["config"]["port"], stable["config"]["protocol"]) == (8080, "HTTP")
    check = stable["config"]["healthCheck"]
    assert check["enabled"] is True
    assert (check["path"], check["port"], check["matcher"]["value"]) == ("/health", 8080, "200")
    assert (check["healthyThresholdCount"], check["unhealthyThresholdCount"]) == (3, 2)
    targets = {
        r.inputs["target"]["id"] for r in orders.of_type("aws:vpclattice/targetGroupAttachment:TargetGroupAttachment")
        if r.name.startswith("order-service--order-service-stable--")
    }
    assert targets == {"i-0123456789abcdef0", "i-abcdef0123456789a"}


def test_the_lambda_target_group_gets_no_health_check_port_or_vpc(environment):
    orders = find_run(environment, "orders")
    [group] = [r for r in orders.of_type(TARGET_GROUP) if r.inputs["type"] == "LAMBDA"]
    assert "config" not in group.inputs


def test_the_order_listener_splits_traffic_90_10_between_stable_and_canary(environment):
    orders = find_run(environment, "orders")
    groups = {r.inputs["name"]: r.id for r in orders.of_type(TARGET_GROUP)}
    [listener] = [r for r in orders.of_type(LISTENER) if r.name.startswith("order-service-")]
    weights = {
        target["targetGroupIdentifier"]: target["weight"]
        for target in listener.inputs["defaultAction"]["forwards"][0]["targetGroups"]
    }
    assert weights == {groups["order-service-stable"]: 90, groups["order-service-canary"]: 10}


def test_prod_listens_on_https_where_dev_listens_on_http(dev, prod):
    def protocols(env):
        return {(r.inputs["protocol"], r.inputs["port"]) for r in find_run(env, "orders").of_type(LISTENER)}

    assert protocols(dev) == {("HTTP", 80)}
    assert protocols(prod) == {("HTTPS", 443)}


def test_only_the_frontend_and_mobile_roles_may_invoke_the_order_service_through_the_network(environment):
    orders = find_run(environment, "orders")
    accounts = environment.network.outputs["accounts"]
    policy = policy_of(orders, "order-service")
    [statement] = policy["Statement"]
    assert statement["Effect"] == "Allow" and statement["Action"] == "vpc-lattice-svcs:Invoke"
    assert statement["Principal"]["AWS"] == sorted([
        f"arn:aws:iam::{accounts['platform']['id']}:role/FrontendAppRole",
        f"arn:aws:iam::{accounts['mobile']['id']}:role/MobileBackendRole",
    ])
    assert statement["Condition"] == {
        "StringEquals": {"vpc-lattice-svcs:ServiceNetworkArn": environment.network.outputs["serviceNetworkArn"]}
    }


def test_every_service_is_associated_with_the_shared_network(environment):
    orders = find_run(environment, "orders")
    services = {r.id for r in orders.of_type(SERVICE)}
    associations = orders.of_type(SERVICE_ASSOCIATION)
    assert {a.inputs["serviceIdentifier"] for a in associations} == services
    assert {a.inputs["serviceNetworkIdentifier"] for a in associations} == {environment.network.outputs["serviceNetworkArn"]}


def test_the_network_stack_exports_what_account_stacks_need(environment):
    outputs = environment.network.outputs
    assert outputs["serviceNetworkArn"].startswith("arn:aws:vpc-lattice:us-east-1:")
    assert outputs["serviceNetworkId"].startswith("sn-")
    assert outputs["shareArn"].startswith("arn:aws:ram:")
    assert outputs["region"] == "us-east-1"


def test_services_export_their_generated_dns_names(environment):
    services = find_run(environment, "orders").outputs["services"]
    assert set(services) == {"order-service", "payment-service", "inventory-service"}
    assert services["order-service"]["dnsName"].startswith("order-service-")
    assert services["order-service"]["dnsName"].endswith(".vpc-lattice-svcs.us-east-1.on.aws")


def test_prod_protects_the_shared_network_and_keeps_access_logs(dev, prod):
    assert all(r.protect for r in prod.network.resources)
    assert not any(r.protect for r in dev.network.resources)
    assert prod.network.of_type("aws:vpclattice/accessLogSubscription:AccessLogSubscription")
    assert not dev.network.of_type("aws:vpclattice/accessLogSubscription:AccessLogSubscription")
    assert len(find_run(prod, "orders").of_type("aws:vpclattice/accessLogSubscription:AccessLogSubscription")) == 3


def test_every_resource_the_stacks_register_is_one_the_lattice_api_accepts(environment):
    # Checked against botocore's API model (names, enums, ranges, patterns, unions) and the cross-field rules.
    from lattice_components.apimodel import check_resource

    problems = [
        f"{run.stack}: {r.name}: {violation}"
        for run in environment.runs
        for r in run.resources
        if r.type.startswith("aws:vpclattice/")
        for violation in check_resource(r.type, r.inputs)
    ]
    assert problems == []
