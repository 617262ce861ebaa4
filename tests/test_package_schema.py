"""The `lattice` package other languages consume: GIVEN the components' type annotations and docstrings, WHEN the
SDK's analyser (the code `component_provider_host` serves the schema with) reads them, THEN the schema holds every
component with every input and output, their types, plainness and descriptions, nested objects with the keys
of the config models that validate them, and it is the committed schema.json.
"""

from __future__ import annotations

import importlib.metadata
import json
import os
import re
import selectors
import subprocess
import sys
from typing import Any

import grpc
import pytest

import yaml
from google.protobuf import empty_pb2
from pulumi.runtime.proto import provider_pb2, provider_pb2_grpc

import lattice_components
from lattice_components import config
from lattice_components.config.access_log_specs import AccessLogDestinationSpec
from lattice_components.config.association_specs import DnsOptionsSpec
from lattice_components.config.services import DnsSpec, ShareSpec
from lattice_components.apimodel import model as api_model
from lattice_components.config.resources import ec2_enum
from lattice_components.tools import hosting
from lattice_components.tools.offline import REPO_ROOT

SCHEMA_FILE = REPO_ROOT / "schema.json"
PLUGIN_DIR = REPO_ROOT / "provider"


@pytest.fixture(scope="module")
def schema() -> dict[str, Any]:
    return hosting.package_schema()


def kind(prop: dict[str, Any], *, output: bool = False) -> str:
    """A property's type in Python notation; `Input[...]` where a program may pass another resource's output."""
    if "$ref" in prop:
        base = prop["$ref"].rsplit(":", 1)[-1]
    elif prop["type"] == "array":
        base = f"list[{kind(prop['items'], output=output)}]"
    elif prop["type"] == "object":
        base = f"dict[{kind(prop['additionalProperties'], output=output)}]"
    else:
        base = {"string": "str", "integer": "int", "boolean": "bool", "number": "float"}[prop["type"]]
    return base if output or prop.get("plain") else f"Input[{base}]"


# --------------------------------------------------------------------------------------------------------------
# The committed schema
# --------------------------------------------------------------------------------------------------------------


def test_the_committed_schema_is_the_one_the_package_serves(schema):
    committed = json.loads(SCHEMA_FILE.read_text()) if SCHEMA_FILE.exists() else None
    if committed == schema:
        return
    changed = sorted(
        token
        for section in ("resources", "types")
        for token in set((committed or {}).get(section, {})) | set(schema.get(section, {}))
        if (committed or {}).get(section, {}).get(token) != schema.get(section, {}).get(token)
    )
    pytest.fail(
        f"schema.json is not the schema the package serves (changed: {changed or 'package metadata'}). "
        f"The components' arguments, outputs or docstrings changed: regenerate it with\n\n    {hosting.REGENERATE}\n\n"
        "and commit it with the change.",
        pytrace=False,
    )


def test_the_package_is_lattice_at_the_version_of_the_distribution(schema):
    assert (schema["name"], schema["version"]) == ("lattice", importlib.metadata.version("lattice-components"))
    assert schema["dependencies"] == []  # no argument references another package's types


# --------------------------------------------------------------------------------------------------------------
# Every component, every input and output
# --------------------------------------------------------------------------------------------------------------

COMPONENTS = {
    "lattice:index:ServiceNetwork": {
        "inputs": {
            "name": "str",
            "authType": "AuthType",
            "memberAccountIds": "Input[list[Input[str]]]",
            "organizationId": "Input[str]",
            "sharePrincipals": "list[Input[str]]",
            "allowExternalPrincipals": "bool",
            "accessLogs": "bool",
            "accessLogRetentionDays": "int",
            "accessLogDestinations": "list[AccessLogDestination]",
            "authPolicy": "dict[pulumi.json#/Any]",
            "authPolicyFile": "str",
            "extraStatements": "list[dict[pulumi.json#/Any]]",
            "tags": "Input[dict[Input[str]]]",
        },
        "required": ["name"],
        "outputs": {
            "serviceNetworkId": "str", "serviceNetworkArn": "str", "serviceNetworkName": "str", "shareArn": "str",
        },
    },
    "lattice:index:LatticeService": {
        "inputs": {
            "name": "str",
            "serviceNetworkArn": "Input[str]",
            "targetGroups": "dict[TargetGroup]",
            "listeners": "list[Listener]",
            "authType": "AuthType",
            "allowedCallers": "AllowedCallers",
            "customDomainName": "str",
            "certificateArn": "Input[str]",
            "dns": "Dns",
            "accessLogs": "bool",
            "accessLogRetentionDays": "int",
            "accessLogDestinations": "list[AccessLogDestination]",
            "authPolicy": "dict[pulumi.json#/Any]",
            "authPolicyFile": "str",
            "extraStatements": "list[dict[pulumi.json#/Any]]",
            "associationTags": "dict[str]",
            "associate": "bool",
            "share": "Share",
            "idleTimeoutSeconds": "int",
            "tags": "Input[dict[Input[str]]]",
        },
        "required": ["name"],
        "outputs": {
            "serviceId": "str", "serviceArn": "str", "dnsName": "str", "targetGroupIds": "dict[str]", "shareArn": "str",
        },
    },
    "lattice:index:LatticeTargetGroup": {
        "inputs": {
            "name": "str", "type": "TargetGroupType", "port": "int", "protocol": "TargetGroupProtocol",
            "protocolVersion": "TargetGroupProtocolVersion", "ipAddressType": "TargetGroupIpAddressType",
            "lambdaEventStructureVersion": "TargetGroupLambdaEventStructureVersion", "vpcId": "Input[str]",
            "healthCheck": "HealthCheck", "targets": "list[Target]", "tags": "Input[dict[Input[str]]]",
        },
        "required": ["name"],
        "outputs": {"targetGroupId": "str", "targetGroupArn": "str"},
    },
    "lattice:index:ConsumerVpcAttachment": {
        "inputs": {
            "vpcId": "Input[str]",
            "serviceNetworkArn": "Input[str]",
            "securityGroupIds": "list[Input[str]]",
            "createSecurityGroup": "ConsumerSecurityGroup",
            "privateDnsEnabled": "bool",
            "dnsOptions": "DnsOptions",
            "associationTags": "dict[str]",
            "region": "Input[str]",
            "tags": "Input[dict[Input[str]]]",
        },
        "required": ["serviceNetworkArn", "vpcId"],
        "outputs": {"associationId": "str", "securityGroupIds": "list[str]"},
    },
    "lattice:index:ShareAccepter": {
        "inputs": {"shareArn": "Input[str]"},
        "required": ["shareArn"],
        "outputs": {"shareId": "str"},
    },
    # VPC resources over Lattice (issue #15)
    "lattice:index:ResourceGateway": {
        "inputs": {
            "name": "str", "vpcId": "Input[str]", "subnetIds": "Input[list[Input[str]]]",
            "securityGroupIds": "Input[list[Input[str]]]", "ipAddressType": "ResourceGatewayIpAddressType",
            "ipv4AddressesPerEni": "int", "resourceConfigDnsResolution": "ResourceConfigDnsResolution",
            "tags": "Input[dict[Input[str]]]",
        },
        "required": ["name", "subnetIds", "vpcId"],
        "outputs": {"resourceGatewayId": "str", "resourceGatewayArn": "str"},
    },
    "lattice:index:ResourceConfiguration": {
        "inputs": {
            "name": "str", "type": "ResourceConfigurationType", "resourceGatewayId": "Input[str]",
            "dnsName": "Input[str]", "dnsIpAddressType": "DnsIpAddressType", "ipAddress": "Input[str]",
            "arn": "Input[str]", "portRanges": "list[str]", "protocol": "ResourceConfigurationProtocol",
            "children": "dict[ChildResource]", "customDomainName": "str", "domainVerificationId": "Input[str]",
            "allowAssociationToShareableServiceNetwork": "bool", "associate": "bool",
            "serviceNetworkArn": "Input[str]", "privateDnsEnabled": "bool", "sharePrincipals": "list[Input[str]]",
            "allowExternalPrincipals": "bool", "tags": "Input[dict[Input[str]]]",
        },
        "required": ["name", "resourceGatewayId"],
        "outputs": {
            "resourceConfigurationId": "str", "resourceConfigurationArn": "str", "associationId": "str", "shareArn": "str",
        },
    },
    "lattice:index:ServiceNetworkEndpoint": {
        "inputs": {
            "vpcId": "Input[str]", "subnetIds": "Input[list[Input[str]]]", "serviceNetworkArn": "Input[str]",
            "securityGroupIds": "list[Input[str]]", "createSecurityGroup": "EndpointSecurityGroup",
            "privateDnsEnabled": "bool", "ipAddressType": "EndpointIpAddressType", "tags": "Input[dict[Input[str]]]",
        },
        "required": ["serviceNetworkArn", "subnetIds", "vpcId"],
        "outputs": {"endpointId": "str", "securityGroupIds": "list[str]"},
    },
}
"""`Input[...]`: another resource's output is accepted (no `plain` in the schema). Plain: what the component decides
on before registering anything (names, modes, ports, weights, priorities, switches), and lists whose items each
become one child (their items are inputs)."""

TYPES = {
    "TargetGroup": {
        "properties": {
            "type": "TargetGroupType", "port": "int", "protocol": "TargetGroupProtocol",
            "protocolVersion": "TargetGroupProtocolVersion", "ipAddressType": "TargetGroupIpAddressType", "vpcId": "Input[str]",
            "lambdaEventStructureVersion": "TargetGroupLambdaEventStructureVersion",
            "healthCheck": "HealthCheck", "targets": "list[Target]",
        },
        "required": [],
    },
    "Share": {"properties": {"principals": "list[Input[str]]", "allowExternalPrincipals": "bool"},
              "required": ["allowExternalPrincipals", "principals"]},
    "HealthCheck": {
        "properties": {
            "enabled": "bool", "protocol": "HealthCheckProtocol", "protocolVersion": "HealthCheckProtocolVersion",
            "path": "str", "port": "int", "intervalSeconds": "int", "timeoutSeconds": "int",
            "healthyThreshold": "int", "unhealthyThreshold": "int", "matcher": "str",
        },
        "required": [],
    },
    "Target": {"properties": {"id": "Input[str]", "port": "int"}, "required": ["id"]},
    "Listener": {
        "properties": {
            "name": "str", "protocol": "ListenerProtocol", "port": "int", "defaultAction": "Action", "rules": "list[Rule]",
        },
        "required": ["defaultAction", "name"],
    },
    "Action": {"properties": {"forward": "list[WeightedTargetGroup]", "fixedResponse": "int"}, "required": []},
    "WeightedTargetGroup": {"properties": {"targetGroup": "Input[str]", "weight": "int"}, "required": ["targetGroup"]},
    "Rule": {
        "properties": {"name": "str", "priority": "int", "match": "RuleMatch", "action": "Action"},
        "required": ["action", "match", "name", "priority"],
    },
    "RuleMatch": {
        "properties": {
            "pathPrefix": "str", "pathExact": "str", "pathCaseSensitive": "bool", "method": "str",
            "headers": "list[HeaderMatch]",
        },
        "required": [],
    },
    "HeaderMatch": {
        "properties": {"name": "str", "exact": "str", "prefix": "str", "contains": "str", "caseSensitive": "bool"},
        "required": ["name"],
    },
    "AllowedCallers": {
        "properties": {
            "principals": "list[Input[str]]", "organizationIds": "list[Input[str]]", "accounts": "list[str]",
            "organizationOnly": "bool", "methods": "list[str]",
        },
        "required": [],
    },
    "AccessLogDestination": {
        "properties": {"logGroupArn": "str", "s3BucketArn": "str", "firehoseArn": "str", "logType": "str"},
        "required": [],
    },
    "Dns": {
        "properties": {"hostedZoneId": "Input[str]", "recordType": "str", "ttl": "int"},
        "required": ["hostedZoneId"],
    },
    "DnsOptions": {
        "properties": {"privateDnsPreference": "str", "privateDnsSpecifiedDomains": "list[str]"},
        "required": [],
    },
    "ConsumerSecurityGroup": {
        "properties": {"clientCidrs": "list[Input[str]]", "ports": "list[int]"}, "required": ["clientCidrs"],
    },
    "ChildResource": {
        "properties": {
            "dnsName": "Input[str]", "dnsIpAddressType": "DnsIpAddressType", "ipAddress": "Input[str]",
            "portRanges": "list[str]", "customDomainName": "str", "tags": "Input[dict[Input[str]]]",
        },
        "required": [],
    },
    "EndpointSecurityGroup": {
        "properties": {"clientCidrs": "list[Input[str]]", "ports": "list[int]"}, "required": ["clientCidrs"],
    },
}

ENUMS = {
    "AuthType": ("CreateService", "authType"),
    "TargetGroupType": ("CreateTargetGroup", "type"),
    "TargetGroupProtocol": ("TargetGroupConfig", "protocol"),
    "TargetGroupProtocolVersion": ("TargetGroupConfig", "protocolVersion"),
    "TargetGroupIpAddressType": ("TargetGroupConfig", "ipAddressType"),
    "TargetGroupLambdaEventStructureVersion": ("TargetGroupConfig", "lambdaEventStructureVersion"),
    "HealthCheckProtocol": ("HealthCheckConfig", "protocol"),
    "HealthCheckProtocolVersion": ("HealthCheckConfig", "protocolVersion"),
    "ListenerProtocol": ("CreateListener", "protocol"),
    "ResourceGatewayIpAddressType": ("CreateResourceGateway", "ipAddressType"),
    "ResourceConfigDnsResolution": ("CreateResourceGateway", "resourceConfigDnsResolution"),
    "ResourceConfigurationType": ("CreateResourceConfiguration", "type"),
    "ResourceConfigurationProtocol": ("CreateResourceConfiguration", "protocol"),
    "DnsIpAddressType": ("DnsResource", "ipAddressType"),
    "EndpointIpAddressType": ("ec2", "CreateVpcEndpoint", "IpAddressType"),
}
"""Every named mode, and the API-model member whose values it has (Lattice's model; EC2's where it starts "ec2")."""

NARROWED = {
    # HealthCheckConfig.protocol lists TCP; its documentation says "The possible protocols are HTTP and HTTPS".
    "HealthCheckProtocol": {"TCP"},
    # A CHILD is written under its GROUP's `children` (the component registers it with the group's ID); a CIDR
    # configuration has no pulumi-aws 7 input (its definition has no `cidrResource`).
    "ResourceConfigurationType": {"CHILD", "CIDR"},
    # "TCP_UDP is supported only for CIDR resource configurations", which the component does not create.
    "ResourceConfigurationProtocol": {"TCP_UDP"},
    # DnsResource.ipAddressType lists DUALSTACK; its documentation says "Dualstack is currently not supported".
    "DnsIpAddressType": {"DUALSTACK"},
}
"""Model values a mode leaves out, and why: each reason is in the documentation the model carries, or in what the
component creates."""


def model_values(name: str) -> tuple[str, ...]:
    """The member's enum in botocore's model."""
    if ENUMS[name][0] == "ec2":
        return ec2_enum(ENUMS[name][2])
    return api_model.limits(*ENUMS[name]).enum


def accepted_values(name: str) -> list[str]:
    """The values the components accept for a mode: the member's enum, less what `NARROWED` says and why."""
    return sorted(set(model_values(name)) - NARROWED.get(name, set()))


def test_every_narrowing_leaves_out_values_the_model_has_and_the_documentation_rules_out():
    # GIVEN a mode narrower than its model member, THEN what it leaves out is in the model (a botocore upgrade
    # that drops one shows here) and, where the reason is the model's documentation, the documentation says so
    assert all(NARROWED[name] < set(model_values(name)) for name in NARROWED)
    documented = {"HealthCheckProtocol": "The possible protocols are HTTP and HTTPS", "ResourceConfigurationProtocol": "TCP_UDP is supported only for CIDR",
                  "DnsIpAddressType": "Dualstack is currently not supported"}
    for name, sentence in documented.items():
        assert sentence in re.sub(r"<[^>]+>", "", api_model.member_shape(*ENUMS[name]).documentation or ""), name
    # the API's health-check protocols, as the model's documentation mentions them
    found = api_model.limits(*ENUMS["HealthCheckProtocol"])
    assert sorted(api_model.enum_values_mentioned(api_model.member_shape(*ENUMS["HealthCheckProtocol"]), found.enum)) == (
        accepted_values("HealthCheckProtocol")
    )


def test_the_package_has_exactly_its_components(schema):
    assert sorted(schema["resources"]) == sorted(COMPONENTS)
    assert all(resource["isComponent"] for resource in schema["resources"].values())


@pytest.mark.parametrize("token", sorted(COMPONENTS))
def test_every_component_has_every_input_and_output_with_its_type(schema, token):
    resource, expected = schema["resources"][token], COMPONENTS[token]
    assert {name: kind(prop) for name, prop in resource["inputProperties"].items()} == expected["inputs"]
    assert resource["requiredInputs"] == expected["required"]
    assert {name: kind(prop, output=True) for name, prop in resource["properties"].items()} == expected["outputs"]
    assert resource["required"] == sorted(expected["outputs"])  # every output is always set


def test_every_nested_argument_type_has_its_fields_with_their_types(schema):
    types = {
        token.removeprefix("lattice:index:"): complex_type
        for token, complex_type in schema["types"].items() if "enum" not in complex_type
    }
    assert sorted(types) == sorted(TYPES)
    for name, complex_type in types.items():
        assert complex_type["type"] == "object"
        actual = {prop_name: kind(prop) for prop_name, prop in complex_type["properties"].items()}
        assert actual == TYPES[name]["properties"], name
        assert complex_type.get("required", []) == TYPES[name]["required"], name


@pytest.mark.parametrize("name", sorted(ENUMS))
def test_every_named_mode_is_an_enum_of_the_api_models_values(schema, name):
    # GIVEN the mode's type in the schema, WHEN an SDK is generated, THEN it offers exactly the values AWS accepts
    enum_type = schema["types"][f"lattice:index:{name}"]
    assert enum_type["type"] == "string"
    assert sorted(value["value"] for value in enum_type["enum"]) == accepted_values(name)
    # named as its value (EC2's lowercase values by their uppercase, as Python names enum members)
    assert all(value["name"] == value["value"].upper() for value in enum_type["enum"])
    # and the Python enum a program may pass is the same (a member is its value: `TargetGroupType.IP == "IP"`)
    assert sorted(getattr(lattice_components, name)) == accepted_values(name)


def test_every_mode_input_refers_to_its_enum(schema):
    refs = {
        f"{token}.{prop_name}": prop.get("$ref", "").rsplit(":", 1)[-1]
        for token, holder in [*schema["resources"].items(), *schema["types"].items()]
        for prop_name, prop in {**holder.get("inputProperties", {}), **holder.get("properties", {})}.items()
        if prop_name in (
            "type", "protocol", "protocolVersion", "ipAddressType", "authType", "dnsIpAddressType", "resourceConfigDnsResolution",
        )
    }
    assert refs and all(ref in ENUMS for ref in refs.values()), refs


def test_the_schema_carries_the_package_metadata_of_the_distribution(schema):
    metadata = importlib.metadata.metadata("lattice-components")
    assert schema["description"] == metadata["Summary"]
    assert schema["license"] == "Apache-2.0"
    assert {"pulumi", "aws", "vpc-lattice", "kind/component", "category/network"} <= set(schema["keywords"])
    assert schema["repository"].startswith("https://github.com/") and schema["publisher"] and schema["displayName"]


def described(schema: dict[str, Any]):
    """(where, description) for every component, type, input, output, field, list item and map value."""

    def properties(where: str, props: dict[str, Any]):
        for name, prop in props.items():
            yield f"{where}.{name}", prop.get("description")
            for nested in ("items", "additionalProperties"):
                if nested in prop:
                    yield f"{where}.{name}[{nested}]", prop[nested].get("description")

    for token, resource in schema["resources"].items():
        yield token, resource.get("description")
        yield from properties(f"{token} input", resource["inputProperties"])
        yield from properties(f"{token} output", resource["properties"])
    for token, complex_type in schema["types"].items():
        yield token, complex_type.get("description")
        yield from properties(token, complex_type.get("properties", {}))
        for value in complex_type.get("enum", []):
            yield f"{token}.{value['name']}", value.get("description")


def test_every_component_type_input_and_output_has_a_one_paragraph_description(schema):
    found = list(described(schema))
    assert len(found) > 100
    missing = [where for where, description in found if not (description or "").strip()]
    assert missing == [], f"no docstring for {missing}"
    # A docstring spread over several lines keeps its indentation in every generated SDK's documentation.
    multiline = [where for where, description in found if "\n" in description]
    assert multiline == [], f"write these docstrings on one line: {multiline}"


# --------------------------------------------------------------------------------------------------------------
# The nested keys are the config models' keys
# --------------------------------------------------------------------------------------------------------------

MODELS = {
    "lattice:index:ServiceNetwork": config.ServiceNetworkSpec,
    "lattice:index:ShareAccepter": config.ShareAccepterSpec,
    "lattice:index:LatticeService": config.LatticeServiceSpec,
    "lattice:index:LatticeTargetGroup": config.LatticeTargetGroupSpec,
    "lattice:index:Share": ShareSpec,
    "lattice:index:ConsumerVpcAttachment": config.ConsumerVpcSpec,
    "lattice:index:TargetGroup": config.TargetGroupSpec,
    "lattice:index:HealthCheck": config.HealthCheckSpec,
    "lattice:index:Target": config.TargetSpec,
    "lattice:index:Listener": config.ListenerSpec,
    "lattice:index:Action": config.ActionSpec,
    "lattice:index:WeightedTargetGroup": config.WeightedTargetSpec,
    "lattice:index:Rule": config.RuleSpec,
    "lattice:index:RuleMatch": config.MatchSpec,
    "lattice:index:HeaderMatch": config.HeaderMatchSpec,
    "lattice:index:AllowedCallers": config.AllowedCallersSpec,
    "lattice:index:ConsumerSecurityGroup": config.SecurityGroupSpec,
    "lattice:index:AccessLogDestination": AccessLogDestinationSpec,
    "lattice:index:DnsOptions": DnsOptionsSpec,
    "lattice:index:Dns": DnsSpec,
    "lattice:index:ResourceGateway": config.ResourceGatewayArgsSpec,
    "lattice:index:ResourceConfiguration": config.ResourceConfigurationArgsSpec,
    "lattice:index:ChildResource": config.ChildResourceArgsSpec,
    "lattice:index:ServiceNetworkEndpoint": config.ServiceNetworkEndpointSpec,
    "lattice:index:EndpointSecurityGroup": config.SecurityGroupSpec,
}
"""The pydantic model that validates each argument object."""
STACK_CONFIG_ONLY = {"lattice:index:ServiceNetwork": {"organizationArn", "protect"}}
"""Fields the stack config's network has and the component does not take (it refuses them as unknown)."""


@pytest.mark.parametrize("token", sorted(MODELS))
def test_argument_objects_have_the_keys_of_the_model_that_validates_them(schema, token):
    """The host hands the component `args` under the snake_case names of the schema's camelCase keys; the
    models read them (and the stack config's camelCase) under the same names. A key the model does not know
    would be rejected as unknown; a field the schema lacks could not be set from another language."""
    model = MODELS[token]
    if token in schema["resources"]:
        props, required = schema["resources"][token]["inputProperties"], schema["resources"][token]["requiredInputs"]
    else:
        props, required = schema["types"][token]["properties"], schema["types"][token].get("required", [])
    assert set(props) == {field.alias for field in model.model_fields.values()} - STACK_CONFIG_ONLY.get(token, set())
    model_required = {field.alias for field in model.model_fields.values() if field.is_required()}
    assert model_required <= set(required), f"{token}: the model requires {sorted(model_required - set(required))}"


# --------------------------------------------------------------------------------------------------------------
# The plugin, started as the Pulumi CLI starts it
# --------------------------------------------------------------------------------------------------------------


def test_the_plugin_folder_declares_a_python_plugin_with_its_requirements():
    manifest = yaml.safe_load((PLUGIN_DIR / "PulumiPlugin.yaml").read_text())
    assert manifest == {"runtime": "python"}  # the CLI then installs requirements.txt into provider/venv
    requirements = [line.strip() for line in (PLUGIN_DIR / "requirements.txt").read_text().splitlines()]
    assert "-e .." in requirements  # this repository: the CLI runs pip from provider/
    assert (PLUGIN_DIR / "__main__.py").exists()


def test_the_plugin_serves_the_committed_schema_when_started_as_the_cli_starts_it(tmp_path):
    """The language host runs `python <plugin folder> <engine address>` and reads the port from its stdout."""
    plugin = subprocess.Popen(
        [sys.executable, str(PLUGIN_DIR), "127.0.0.1:1"],
        cwd=tmp_path,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env={**os.environ, "PYTHONUNBUFFERED": "1"},
    )
    try:
        selector = selectors.DefaultSelector()
        selector.register(plugin.stdout, selectors.EVENT_READ)  # type: ignore[arg-type]
        if not selector.select(timeout=120):
            pytest.fail("the plugin printed no port within 120 s")
        port = plugin.stdout.readline().decode().strip()  # type: ignore[union-attr]
        if not port.isdigit():
            plugin.kill()
            pytest.fail(f"the plugin did not start: {port!r}\n{plugin.stderr.read().decode()}")  # type: ignore[union-attr]
        with grpc.insecure_channel(f"127.0.0.1:{port}") as channel:
            provider = provider_pb2_grpc.ResourceProviderStub(channel)
            info = provider.GetPluginInfo(empty_pb2.Empty(), timeout=30)
            served = json.loads(provider.GetSchema(provider_pb2.GetSchemaRequest(version=0), timeout=30).schema)
        assert info.version == hosting.package_version()
        assert served == json.loads(SCHEMA_FILE.read_text())
    finally:
        plugin.kill()
        plugin.wait(timeout=30)
