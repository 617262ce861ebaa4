"""The path a TypeScript, Go, C#, Java or YAML program takes: GIVEN a component declared with camelCase inputs, as
the SDK that `pulumi package add` generates sends them, WHEN the engine asks the package's provider to construct
it (the SDK's `ProviderServicer` turns the request's protobuf inputs into Python values, `ComponentProvider.construct`
maps them onto the `args` dict and calls the constructor), THEN it registers the same resources, with the same
names and inputs, under the mock monitor, as the same component constructed from Python with snake_case args, and
answers with its outputs under camelCase names.

The provider is the one `provider/__main__.py` serves (`hosting.component_provider()`); what is left out of the
real gRPC `Construct` is only the part that points the SDK at the engine's monitor, which here is the mock one.
"""

from __future__ import annotations

import re
from typing import Any, Callable

import pulumi
import pytest
import yaml
from pulumi.errors import InputPropertyError
from pulumi.provider.experimental.util import camel_case
from pulumi.provider.server import ComponentInitError, ProviderServicer
from pulumi.runtime import proto, rpc

from helpers import run_component
from lattice_components.tools import hosting, offline
from lattice_components.components.consumer_vpc import ConsumerVpcAttachment
from lattice_components.components.lattice_service import LatticeService
from lattice_components.components.service_network import ServiceNetwork
from lattice_components.components.share_accepter import ShareAccepter

NETWORK_ARN = "arn:aws:vpc-lattice:us-east-1:111111111111:servicenetwork/sn-0123456789abcdef0"
README_SECTION = "## Using the package from TypeScript, Go, C#, Java or YAML"
# A URN the engine would name as the dependency of an input that is another resource's output.
NETWORK_STACK_URN = "urn:pulumi:test::test::pulumi:pulumi:StackReference::organization/lattice-network/dev"


def output_names(component: type[pulumi.ComponentResource]) -> dict[str, str]:
    """camelCase schema name -> Python attribute, for every declared output of a component."""
    return {camel_case(name): name for name in component.__annotations__ if not name.startswith("_")}


def construct_from_python(component: type[pulumi.ComponentResource], name: str, args: dict[str, Any]):
    """Construct the component as a Python program does; returns the run and the outputs, camelCase."""
    outputs: dict[str, Any] = {}

    async def program() -> None:
        instance = component(name, args)
        for schema_name, attribute in output_names(component).items():
            outputs[schema_name] = await getattr(instance, attribute).future()

    return run_component(program), outputs


def construct_through_provider(
    token: str, name: str, inputs: dict[str, Any], dependencies: dict[str, list[str]] | None = None
):
    """Construct the component as the engine asks the package's provider to for a program in another language.

    `inputs` are what the program wrote (camelCase); they travel as a protobuf Struct, as in a ConstructRequest.
    `dependencies` name, per input, the URNs of the resources its value came from: the SDK then hands the
    component an Output, as it does for a StackReference output in TypeScript or YAML.
    """
    provider = hosting.component_provider()
    servicer = ProviderServicer(provider, [], engine_address="")
    answer: dict[str, Any] = {}

    async def program() -> None:
        request_inputs = await rpc.serialize_properties(inputs, {})
        request_dependencies = {
            key: proto.ConstructRequest.PropertyDependencies(urns=urns) for key, urns in (dependencies or {}).items()
        }
        constructed_inputs = await ProviderServicer._construct_inputs(request_inputs, request_dependencies)
        result = provider.construct(name, token, constructed_inputs, pulumi.ResourceOptions())
        response = await servicer._construct_response(result)
        answer["urn"] = response.urn
        answer["outputs"] = rpc.deserialize_properties(response.state)

    return run_component(program), answer


def registered(run: offline.ProgramRun) -> dict[tuple[str, str], dict[str, Any]]:
    """(type, name) -> inputs and parent (by name) of every registration, the component itself included."""
    names = {resource.urn: resource.name for resource in run.resources}
    return {
        (resource.type, resource.name): {"inputs": resource.inputs, "parent": names.get(resource.parent, "")}
        for resource in run.resources
    }


def assert_same_registrations(through_provider: offline.ProgramRun, from_python: offline.ProgramRun) -> None:
    expected, actual = registered(from_python), registered(through_provider)
    assert sorted(actual) == sorted(expected)
    for key in expected:
        assert actual[key] == expected[key], f"{key} differs between the provider path and Python"


def assert_same_component(
    component: type[pulumi.ComponentResource],
    name: str,
    camel_inputs: dict[str, Any],
    python_args: dict[str, Any],
    dependencies: dict[str, list[str]] | None = None,
) -> offline.ProgramRun:
    token = f"{hosting.PACKAGE_NAME}:index:{component.__name__}"
    provider_run, answer = construct_through_provider(token, name, camel_inputs, dependencies)
    python_run, python_outputs = construct_from_python(component, name, python_args)
    assert_same_registrations(provider_run, python_run)
    [constructed] = provider_run.of_type(token)
    assert answer["urn"] == constructed.urn
    assert answer["outputs"] == python_outputs
    return provider_run


# --------------------------------------------------------------------------------------------------------------
# The README's YAML program
# --------------------------------------------------------------------------------------------------------------


def readme_block(language: str) -> str:
    """The first ```<language> block of the README's section on other languages."""
    text = (offline.REPO_ROOT / "README.md").read_text()
    assert README_SECTION in text, f"README.md has no section {README_SECTION!r}"
    section = text.split(README_SECTION, 1)[1].split("\n## ", 1)[0]
    match = re.search(rf"```{language}\n(.*?)```", section, re.S)
    assert match, f"the README section {README_SECTION!r} has no {language} example"
    return match.group(1)


def test_the_readme_yaml_program_registers_what_the_same_service_from_python_registers():
    program = yaml.safe_load(readme_block("yaml"))
    assert program["runtime"] == "yaml"
    assert program["packages"]["lattice"].endswith("/provider@v0.1.0")
    [(name, resource)] = [
        (name, resource) for name, resource in program["resources"].items() if resource["type"].startswith("lattice:")
    ]
    assert resource["type"] == "lattice:index:LatticeService"
    inputs = dict(resource["properties"])
    # The YAML program reads the ARN from the network stack: an output of another resource, which the engine
    # sends with that resource as its dependency.
    assert inputs["serviceNetworkArn"] == '${network.outputs["serviceNetworkArn"]}'
    assert program["resources"]["network"]["type"] == "pulumi:pulumi:StackReference"
    inputs["serviceNetworkArn"] = NETWORK_ARN
    health_check = {"path": "/health", "healthy_threshold": 3, "unhealthy_threshold": 2, "matcher": "200"}
    python_args = {
        "name": "order-service",
        "service_network_arn": NETWORK_ARN,
        "target_groups": {
            "order-service-stable": {
                "type": "INSTANCE", "port": 8080, "protocol": "HTTP", "vpc_id": "vpc-backend1",
                "health_check": health_check,
                "targets": [{"id": "i-0123456789abcdef0"}, {"id": "i-abcdef0123456789a"}],
            },
            "order-service-canary": {
                "type": "INSTANCE", "port": 8080, "protocol": "HTTP", "vpc_id": "vpc-backend1",
                "health_check": health_check,
                "targets": [{"id": "i-0fedcba9876543210"}],
            },
        },
        "listeners": [{
            "name": "http-listener", "protocol": "HTTP", "port": 80,
            "default_action": {"forward": [
                {"target_group": "order-service-stable", "weight": 90},
                {"target_group": "order-service-canary", "weight": 10},
            ]},
        }],
        "allowed_callers": {"principals": [
            "arn:aws:iam::111111111111:role/FrontendAppRole",
            "arn:aws:iam::222222222222:role/MobileBackendRole",
        ]},
        "tags": {"Team": "OrderTeam"},
    }

    run = assert_same_component(
        LatticeService, name, inputs, python_args, dependencies={"serviceNetworkArn": [NETWORK_STACK_URN]}
    )

    # And it is the walkthrough's service: /health checked on 8080 with matcher 200, HTTP:80 split 90/10.
    groups = {r.inputs["name"]: r for r in run.of_type("aws:vpclattice/targetGroup:TargetGroup")}
    check = groups["order-service-stable"].inputs["config"]["healthCheck"]
    assert (check["path"], check["port"], check["matcher"]) == ("/health", 8080, {"value": "200"})
    [listener] = run.of_type("aws:vpclattice/listener:Listener")
    assert (listener.inputs["protocol"], listener.inputs["port"]) == ("HTTP", 80)
    weights = {t["targetGroupIdentifier"]: t["weight"] for t in listener.inputs["defaultAction"]["forwards"][0]["targetGroups"]}
    assert weights == {groups["order-service-stable"].id: 90, groups["order-service-canary"].id: 10}
    [association] = run.of_type(
        "aws:vpclattice/serviceNetworkServiceAssociation:ServiceNetworkServiceAssociation"
    )
    assert association.inputs["serviceNetworkIdentifier"] == NETWORK_ARN
    # The network ARN came in as an output of the stack reference, and the association depends on it.
    assert NETWORK_STACK_URN in association.property_dependencies.get("serviceNetworkIdentifier", [])


def test_the_readme_typescript_example_uses_only_names_the_schema_has():
    schema = hosting.package_schema()
    known = set()
    for resource in schema["resources"].values():
        known |= set(resource["inputProperties"])
    for complex_type in schema["types"].values():
        known |= set(complex_type.get("properties", {}))
    # Object keys written as identifiers; quoted keys (target group names) and capitalised ones (tag keys) are
    # the program's own data, not the package's.
    example = readme_block("typescript")
    used = set(re.findall(r"^\s*(?:\{\s*)?([a-z][A-Za-z]*):", example, re.M))
    used |= set(re.findall(r"[{,]\s*([a-z][A-Za-z]*):", example))
    assert used and used <= known, f"the TypeScript example uses {sorted(used - known)}, which the schema does not have"


# --------------------------------------------------------------------------------------------------------------
# Every component, every kind of nested input
# --------------------------------------------------------------------------------------------------------------


def test_a_service_with_every_kind_of_target_group_rule_and_match_registers_the_same_resources():
    camel_inputs = {
        "name": "order-service",
        "serviceNetworkArn": NETWORK_ARN,
        "authType": "AWS_IAM",
        "targetGroups": {
            "order-stable": {
                "type": "INSTANCE", "port": 8080, "protocol": "HTTP", "protocolVersion": "HTTP1", "vpcId": "vpc-backend1",
                "healthCheck": {"path": "/health", "intervalSeconds": 10, "timeoutSeconds": 3, "healthyThreshold": 3,
                                "unhealthyThreshold": 2, "matcher": "200-299", "protocolVersion": "HTTP1"},
                "targets": [{"id": "i-0123456789abcdef0"}, {"id": "i-abcdef0123456789a", "port": 8081}],
            },
            "order-ip": {"type": "IP", "port": 8080, "protocol": "HTTP", "vpcId": "vpc-backend1",
                         "healthCheck": {"enabled": False}, "targets": [{"id": "10.1.20.10"}]},
            "order-fn": {"type": "LAMBDA", "targets": [{"id": "arn:aws:lambda:us-east-1:333333333333:function:orders"}]},
            "order-alb": {"type": "ALB", "port": 443, "protocol": "HTTPS", "vpcId": "vpc-backend1"},
        },
        "listeners": [{
            "name": "http-listener",
            "protocol": "HTTP",
            "defaultAction": {"forward": [{"targetGroup": "order-stable", "weight": 90}, {"targetGroup": "order-ip", "weight": 10}]},
            "rules": [
                {"name": "lambda-path", "priority": 1,
                 "match": {"pathPrefix": "/fn", "pathCaseSensitive": False, "method": "GET",
                           "headers": [{"name": "x-team", "contains": "ord"}, {"name": "x-canary", "exact": "true", "caseSensitive": True}]},
                 "action": {"forward": [{"targetGroup": "order-fn"}]}},
                {"name": "admin", "priority": 2000, "match": {"pathExact": "/admin"}, "action": {"fixedResponse": 404}},
                {"name": "legacy", "priority": 20, "match": {"headers": [{"name": "x-legacy", "prefix": "v1"}]},
                 "action": {"forward": [{"targetGroup": "order-alb"}]}},
            ],
        }],
        "allowedCallers": {"principals": ["arn:aws:iam::111111111111:role/FrontendAppRole", "222222222222"],
                           "organizationIds": ["o-a1b2c3d4e5"]},
        "accessLogs": True,
        "accessLogRetentionDays": 14,
        "tags": {"Team": "OrderTeam", "Environment": "Development"},
    }
    python_args = {
        "name": "order-service",
        "service_network_arn": NETWORK_ARN,
        "auth_type": "AWS_IAM",
        "target_groups": {
            "order-stable": {
                "type": "INSTANCE", "port": 8080, "protocol": "HTTP", "protocol_version": "HTTP1", "vpc_id": "vpc-backend1",
                "health_check": {"path": "/health", "interval_seconds": 10, "timeout_seconds": 3, "healthy_threshold": 3,
                                 "unhealthy_threshold": 2, "matcher": "200-299", "protocol_version": "HTTP1"},
                "targets": [{"id": "i-0123456789abcdef0"}, {"id": "i-abcdef0123456789a", "port": 8081}],
            },
            "order-ip": {"type": "IP", "port": 8080, "protocol": "HTTP", "vpc_id": "vpc-backend1",
                         "health_check": {"enabled": False}, "targets": [{"id": "10.1.20.10"}]},
            "order-fn": {"type": "LAMBDA", "targets": [{"id": "arn:aws:lambda:us-east-1:333333333333:function:orders"}]},
            "order-alb": {"type": "ALB", "port": 443, "protocol": "HTTPS", "vpc_id": "vpc-backend1"},
        },
        "listeners": [{
            "name": "http-listener",
            "protocol": "HTTP",
            "default_action": {"forward": [{"target_group": "order-stable", "weight": 90}, {"target_group": "order-ip", "weight": 10}]},
            "rules": [
                {"name": "lambda-path", "priority": 1,
                 "match": {"path_prefix": "/fn", "path_case_sensitive": False, "method": "GET",
                           "headers": [{"name": "x-team", "contains": "ord"}, {"name": "x-canary", "exact": "true", "case_sensitive": True}]},
                 "action": {"forward": [{"target_group": "order-fn"}]}},
                {"name": "admin", "priority": 2000, "match": {"path_exact": "/admin"}, "action": {"fixed_response": 404}},
                {"name": "legacy", "priority": 20, "match": {"headers": [{"name": "x-legacy", "prefix": "v1"}]},
                 "action": {"forward": [{"target_group": "order-alb"}]}},
            ],
        }],
        "allowed_callers": {"principals": ["arn:aws:iam::111111111111:role/FrontendAppRole", "222222222222"],
                            "organization_ids": ["o-a1b2c3d4e5"]},
        "access_logs": True,
        "access_log_retention_days": 14,
        "tags": {"Team": "OrderTeam", "Environment": "Development"},
    }
    run = assert_same_component(LatticeService, "orders", camel_inputs, python_args)
    assert len(run.of_type("aws:vpclattice/listenerRule:ListenerRule")) == 3
    assert len(run.of_type("aws:vpclattice/targetGroupAttachment:TargetGroupAttachment")) == 4


def test_a_service_network_shared_with_an_account_outside_the_organization_registers_the_same_resources():
    assert_same_component(
        ServiceNetwork,
        "core",
        {
            "name": "dev-services",
            "authType": "AWS_IAM",
            "memberAccountIds": ["111111111111", "333333333333"],
            "organizationId": "o-a1b2c3d4e5",
            "sharePrincipals": ["arn:aws:organizations::111111111111:organization/o-a1b2c3d4e5", "222222222222"],
            "allowExternalPrincipals": True,
            "accessLogs": True,
            "accessLogRetentionDays": 7,
            "tags": {"Environment": "Development"},
        },
        {
            "name": "dev-services",
            "auth_type": "AWS_IAM",
            "member_account_ids": ["111111111111", "333333333333"],
            "organization_id": "o-a1b2c3d4e5",
            "share_principals": ["arn:aws:organizations::111111111111:organization/o-a1b2c3d4e5", "222222222222"],
            "allow_external_principals": True,
            "access_logs": True,
            "access_log_retention_days": 7,
            "tags": {"Environment": "Development"},
        },
    )


def test_a_consumer_vpc_with_a_created_security_group_registers_the_same_resources():
    run = assert_same_component(
        ConsumerVpcAttachment,
        "frontend",
        {
            "vpcId": "vpc-frontend",
            "serviceNetworkArn": NETWORK_ARN,
            "securityGroupIds": ["sg-0123456789abcdef0"],
            "createSecurityGroup": {"clientCidrs": ["10.0.0.0/16"], "ports": [443, 80]},
            "privateDnsEnabled": True,
            "region": "us-east-1",
            "tags": {"Team": "Frontend"},
        },
        {
            "vpc_id": "vpc-frontend",
            "service_network_arn": NETWORK_ARN,
            "security_group_ids": ["sg-0123456789abcdef0"],
            "create_security_group": {"client_cidrs": ["10.0.0.0/16"], "ports": [443, 80]},
            "private_dns_enabled": True,
            "region": "us-east-1",
            "tags": {"Team": "Frontend"},
        },
        dependencies={"serviceNetworkArn": [NETWORK_STACK_URN]},
    )
    [group] = run.of_type("aws:ec2/securityGroup:SecurityGroup")
    assert [rule["fromPort"] for rule in group.inputs["ingress"]] == [80, 443]


def test_a_share_accepter_given_the_share_arn_as_another_stacks_output_registers_the_same_resources():
    share_arn = "arn:aws:ram:us-east-1:111111111111:resource-share/0123abcd-4567-89ef-0123-456789abcdef"
    run = assert_same_component(
        ShareAccepter, "mobile-share", {"shareArn": share_arn}, {"share_arn": share_arn},
        dependencies={"shareArn": [NETWORK_STACK_URN]},
    )
    [accepter] = run.of_type("aws:ram/resourceShareAccepter:ResourceShareAccepter")
    assert accepter.property_dependencies.get("shareArn") == [NETWORK_STACK_URN]


def output_value(value: Any, *dependencies: str) -> dict[str, Any]:
    """An output of another resource as the engine sends it inside a nested input (an "output value")."""
    return {rpc._special_sig_key: rpc._special_output_value_sig, "value": value, "dependencies": list(dependencies)}


def test_a_target_groups_vpc_id_may_be_another_resources_output():
    vpc_urn = "urn:pulumi:test::test::aws:ec2/vpc:Vpc::backend"
    camel_inputs = {
        "name": "order-service",
        "serviceNetworkArn": NETWORK_ARN,
        "targetGroups": {"order-stable": {"type": "INSTANCE", "port": 8080, "protocol": "HTTP",
                                          "vpcId": output_value("vpc-backend1", vpc_urn)}},
        "listeners": [{"name": "http-listener", "protocol": "HTTP",
                       "defaultAction": {"forward": [{"targetGroup": "order-stable"}]}}],
        "authType": "NONE",
    }
    python_args = {
        "name": "order-service",
        "service_network_arn": NETWORK_ARN,
        "target_groups": {"order-stable": {"type": "INSTANCE", "port": 8080, "protocol": "HTTP", "vpc_id": "vpc-backend1"}},
        "listeners": [{"name": "http-listener", "protocol": "HTTP",
                       "default_action": {"forward": [{"target_group": "order-stable"}]}}],
        "auth_type": "NONE",
    }
    run = assert_same_component(LatticeService, "orders", camel_inputs, python_args,
                                dependencies={"targetGroups": [vpc_urn]})
    [group] = run.of_type("aws:vpclattice/targetGroup:TargetGroup")
    assert group.inputs["config"]["vpcIdentifier"] == "vpc-backend1"
    assert vpc_urn in group.property_dependencies.get("config", [])


# --------------------------------------------------------------------------------------------------------------
# What a program in another language is told when its inputs are wrong
# --------------------------------------------------------------------------------------------------------------


def test_a_missing_required_input_is_reported_with_its_path_before_anything_is_registered():
    with pytest.raises(InputPropertyError) as raised:
        construct_through_provider("lattice:index:LatticeService", "orders", {
            "name": "order-service",
            "serviceNetworkArn": NETWORK_ARN,
            "targetGroups": {"order-fn": {"type": "LAMBDA"}},
            "listeners": [{"name": "http-listener", "protocol": "HTTP"}],
        })
    assert raised.value.property_path == "listeners[0].defaultAction"
    assert raised.value.registrations == []  # type: ignore[attr-defined]


def test_a_bad_value_fails_with_the_components_own_message_naming_the_key():
    with pytest.raises(ComponentInitError) as raised:
        construct_through_provider("lattice:index:LatticeService", "orders", {
            "name": "order-service",
            "serviceNetworkArn": NETWORK_ARN,
            "targetGroups": {"order-fn": {"type": "LAMBDA"}},
            "listeners": [{"name": "http-listener", "protocol": "HTTP", "port": 70000,
                           "defaultAction": {"forward": [{"targetGroup": "order-fn"}]}}],
            "authType": "NONE",
        })
    message = str(raised.value)
    assert "lattice:index:LatticeService 'orders'" in message
    # Numbers travel as floats; the package's provider turns whole ones back into the integers the program wrote.
    assert "args.listeners[0].port: 70000 is above the maximum 65535" in message
    assert raised.value.registrations == []  # type: ignore[attr-defined]


@pytest.mark.parametrize(("where", "number"), [("port", 8080.5), ("weight", 12.25)])
def test_a_fractional_number_where_the_schema_says_integer_is_refused_not_truncated(where, number):
    # GIVEN a program that writes a fraction where an integer belongs (the SDK would truncate it with int())
    listener = {"name": "http-listener", "protocol": "HTTP", "port": 80,
                "defaultAction": {"forward": [{"targetGroup": "order-fn", "weight": 100}]}}
    if where == "port":
        listener["port"] = number
    else:
        listener["defaultAction"]["forward"][0]["weight"] = number
    # WHEN the provider constructs the service THEN validation refuses it, naming the key, and registers nothing
    with pytest.raises(ComponentInitError) as raised:
        construct_through_provider("lattice:index:LatticeService", "orders", {
            "name": "order-service", "serviceNetworkArn": NETWORK_ARN, "authType": "NONE",
            "targetGroups": {"order-fn": {"type": "LAMBDA"}}, "listeners": [listener],
        })
    path = "args.listeners[0].port" if where == "port" else "args.listeners[0].defaultAction.forward[0].weight"
    assert f"{path}: is {number}, where an integer is expected" in str(raised.value)
    assert raised.value.registrations == []  # type: ignore[attr-defined]


def test_resource_references_from_another_language_arrive_as_outputs_and_keep_their_dependencies():
    # GIVEN a program in another language that passes a role's ARN, a certificate's ARN, an instance's ID, a VPC's
    # ID and a security group's ID (output values, each with the URN of its resource)
    role, cert = "urn:pulumi:test::test::aws:iam/role:Role::caller", "urn:pulumi:test::test::aws:acm/certificate:Certificate::c"
    instance, vpc = "urn:pulumi:test::test::aws:ec2/instance:Instance::app", "urn:pulumi:test::test::aws:ec2/vpc:Vpc::backend"
    group = "urn:pulumi:test::test::aws:ec2/securityGroup:SecurityGroup::clients"
    role_arn = "arn:aws:iam::111111111111:role/FrontendAppRole"
    cert_arn = "arn:aws:acm:us-east-1:333333333333:certificate/0a1b2c3d"
    camel_inputs = {
        "name": "order-service", "serviceNetworkArn": NETWORK_ARN, "customDomainName": "orders.example.com",
        "certificateArn": output_value(cert_arn, cert),
        "targetGroups": {"order-stable": {"type": "INSTANCE", "port": 8080, "protocol": "HTTP",
                                          "vpcId": output_value("vpc-backend1", vpc),
                                          "targets": [{"id": output_value("i-0123456789abcdef0", instance)}]}},
        "listeners": [{"name": "https-listener", "protocol": "HTTPS",
                       "defaultAction": {"forward": [{"targetGroup": "order-stable"}]}}],
        "allowedCallers": {"principals": [output_value(role_arn, role)]},
    }
    python_args = {
        "name": "order-service", "service_network_arn": NETWORK_ARN, "custom_domain_name": "orders.example.com",
        "certificate_arn": cert_arn,
        "target_groups": {"order-stable": {"type": "INSTANCE", "port": 8080, "protocol": "HTTP", "vpc_id": "vpc-backend1",
                                           "targets": [{"id": "i-0123456789abcdef0"}]}},
        "listeners": [{"name": "https-listener", "protocol": "HTTPS",
                       "default_action": {"forward": [{"target_group": "order-stable"}]}}],
        "allowed_callers": {"principals": [role_arn]},
    }
    # WHEN the provider constructs the service
    run, _ = construct_through_provider("lattice:index:LatticeService", "orders", camel_inputs, {
        "certificateArn": [cert], "targetGroups": [vpc, instance], "allowedCallers": [role],
    })
    python_run, _ = construct_from_python(LatticeService, "orders", python_args)
    # THEN each child that uses one carries its value and depends on its resource
    [service] = run.of_type("aws:vpclattice/service:Service")
    assert service.inputs["certificateArn"] == cert_arn and cert in service.property_dependencies["certificateArn"]
    [policy] = run.of_type("aws:vpclattice/authPolicy:AuthPolicy")
    assert role_arn in policy.inputs["policy"] and role in policy.property_dependencies["policy"]
    [attachment] = run.of_type("aws:vpclattice/targetGroupAttachment:TargetGroupAttachment")
    assert attachment.inputs["target"]["id"] == "i-0123456789abcdef0" and instance in attachment.property_dependencies["target"]
    # AND the same resources as from Python, but for the attachment's name: an unknown ID names it by position
    python_types = sorted(r.type for r in python_run.resources)
    assert sorted(r.type for r in run.resources) == python_types
    assert attachment.name == "orders--order-stable--target-0"

    # AND a consumer VPC association from security group and VPC outputs
    consumer, _ = construct_through_provider("lattice:index:ConsumerVpcAttachment", "frontend", {
        "vpcId": output_value("vpc-frontend", vpc), "serviceNetworkArn": NETWORK_ARN,
        "securityGroupIds": [output_value("sg-0123456789abcdef0", group)],
    }, {"vpcId": [vpc], "securityGroupIds": [group]})
    [association] = consumer.of_type("aws:vpclattice/serviceNetworkVpcAssociation:ServiceNetworkVpcAssociation")
    assert association.inputs["securityGroupIds"] == ["sg-0123456789abcdef0"]
    assert vpc in association.property_dependencies["vpcIdentifier"]
    assert group in association.property_dependencies["securityGroupIds"]
