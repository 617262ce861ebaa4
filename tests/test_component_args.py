"""Every component refuses bad arguments before it registers anything, itself included: GIVEN valid arguments
of each component, WHEN one argument (at any depth) is of the wrong type, missing, unknown, a wildcard, or an
Output where the component needs a plain value, THEN the constructor raises one `ConfigError` naming the
component and that argument's path, and the mock monitor saw no registration at all.
"""

from __future__ import annotations

import re
from typing import Any

import pulumi
import pytest
from pydantic.alias_generators import to_camel

from helpers import run_component
from lattice_components import (
    ConsumerVpcAttachment,
    LatticeService,
    ResourceConfiguration,
    ResourceGateway,
    ServiceNetwork,
    ServiceNetworkEndpoint,
    ShareAccepter,
)
from lattice_components.config import ConfigError

NETWORK_ARN = "arn:aws:vpc-lattice:us-east-1:123456789012:servicenetwork/sn-0123456789abcdef0"
GATEWAY_ID = "rgw-0123456789abcdef0"

VALID: dict[type, dict[str, Any]] = {
    ServiceNetwork: {
        "name": "core-services", "auth_type": "AWS_IAM", "member_account_ids": ["123456789012"],
        "organization_id": "o-a1b2c3d4e5", "share_principals": ["234567890123"], "allow_external_principals": False,
        "access_logs": True, "access_log_retention_days": 30, "tags": {"Team": "network"},
    },
    LatticeService: {
        "name": "order-service", "service_network_arn": NETWORK_ARN, "auth_type": "AWS_IAM",
        "custom_domain_name": "orders.example.com",
        "certificate_arn": "arn:aws:acm:us-east-1:123456789012:certificate/0a1b2c3d",
        "target_groups": {"orders-stable": {
            "type": "INSTANCE", "port": 8080, "protocol": "HTTP", "protocol_version": "HTTP1", "vpc_id": "vpc-0a1b2c3d",
            "health_check": {"enabled": True, "path": "/health", "interval_seconds": 10, "matcher": "200"},
            "targets": [{"id": "i-0123456789abcdef0", "port": 8080}],
        }},
        "listeners": [{
            "name": "https-listener", "protocol": "HTTPS", "port": 443,
            "default_action": {"forward": [{"target_group": "orders-stable", "weight": 100}]},
            "rules": [{"name": "admin", "priority": 10, "match": {"path_prefix": "/admin", "method": "GET",
                                                                  "headers": [{"name": "x-team", "exact": "ops", "case_sensitive": True}]},
                       "action": {"fixed_response": 404}}],
        }],
        "allowed_callers": {"principals": ["arn:aws:iam::123456789012:role/FrontendAppRole"], "organization_ids": ["o-a1b2c3d4e5"]},
        "access_logs": False, "access_log_retention_days": 30, "tags": {"Team": "orders"},
    },
    ConsumerVpcAttachment: {
        "vpc_id": "vpc-0a1b2c3d", "service_network_arn": NETWORK_ARN, "security_group_ids": ["sg-0123456789abcdef0"],
        "create_security_group": {"client_cidrs": ["10.0.0.0/16"], "ports": [443]}, "private_dns_enabled": True,
        "region": "us-east-1", "tags": {"Team": "frontend"},
    },
    ShareAccepter: {"share_arn": "arn:aws:ram:us-east-1:123456789012:resource-share/abc"},
    ResourceGateway: {
        "name": "db-gateway", "vpc_id": "vpc-0a1b2c3d", "subnet_ids": ["subnet-0b1a2c3d", "subnet-0b1a2c3e"],
        "security_group_ids": ["sg-0123456789abcdef0"], "ip_address_type": "DUALSTACK", "ipv4_addresses_per_eni": 8,
        "resource_config_dns_resolution": "IN_VPC", "tags": {"Team": "data"},
    },
    ResourceConfiguration: {
        "name": "replicas", "type": "GROUP", "resource_gateway_id": GATEWAY_ID, "port_ranges": ["5432", "8000-8080"],
        "protocol": "TCP",
        "children": {
            "replica-a": {"dns_name": "a.replicas.example.com", "dns_ip_address_type": "IPV4", "port_ranges": ["6432"],
                          "custom_domain_name": "a.replicas.example.com", "tags": {"Replica": "a"}},
            "replica-b": {"ip_address": "10.1.30.10"},
        },
        "custom_domain_name": "replicas.example.com", "domain_verification_id": "dv-0123456789abcdef0",
        "allow_association_to_shareable_service_network": True, "associate": True, "service_network_arn": NETWORK_ARN,
        "private_dns_enabled": True, "share_principals": ["111111111111"], "allow_external_principals": False,
        "tags": {"Team": "data"},
    },
    ServiceNetworkEndpoint: {
        "vpc_id": "vpc-0a1b2c3d", "subnet_ids": ["subnet-0a11c0de"], "service_network_arn": NETWORK_ARN,
        "security_group_ids": ["sg-0123456789abcdef0"], "create_security_group": {"client_cidrs": ["10.3.0.0/16"], "ports": [5432]},
        "private_dns_enabled": True, "ip_address_type": "ipv4", "tags": {"Team": "reporting"},
    },
}

MORE_VALID: list[tuple[type, dict[str, Any]]] = [
    # the arguments a GROUP takes none of: a SINGLE resource by DNS name, an ARN resource
    (ResourceConfiguration, {
        "name": "orders-db", "type": "SINGLE", "resource_gateway_id": GATEWAY_ID, "dns_name": "orders-db.example.com",
        "dns_ip_address_type": "IPV6", "port_ranges": ["5432"], "associate": False,
    }),
    (ResourceConfiguration, {
        "name": "orders-rds", "type": "ARN", "resource_gateway_id": GATEWAY_ID,
        "arn": "arn:aws:rds:us-east-1:123456789012:db:orders", "service_network_arn": NETWORK_ARN,
    }),
]
"""Valid arguments the wrong-type table also varies, for what `VALID` cannot hold at once."""

WRONG_TYPES = {
    # the type of a valid value -> values of other types a careless caller (or YAML) could pass
    str: [123, True, ["x"], {"x": "y"}],
    bool: ["no", "yes", "true", 1, 0],
    int: ["80", True, 80.5, [80]],
    list: ["123456789012", {"x": 1}, 5, True],
    dict: ["x", ["x"], 5],
}


def leaves(value: Any, path: tuple[Any, ...] = ()):
    """(path, value) of every argument and nested argument (dict keys, list items), the containers included."""
    if path:
        yield path, value
    if isinstance(value, dict):
        for key, item in value.items():
            yield from leaves(item, (*path, key))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from leaves(item, (*path, index))


def put(value: Any, path: tuple[Any, ...], new: Any, *, delete: bool = False) -> Any:
    copy = dict(value) if isinstance(value, dict) else list(value)
    if len(path) == 1:
        if delete:
            del copy[path[0]]
        else:
            copy[path[0]] = new
        return copy
    copy[path[0]] = put(copy[path[0]], path[1:], new, delete=delete)
    return copy


def shown(path: tuple[Any, ...]) -> str:
    """How a path reads in a message: `args.listeners[0].port`."""
    text = "args"
    for part in path:
        text += f"[{part}]" if isinstance(part, int) else f".{part}"
    return text


def refused(component: type, args: Any) -> str:
    with pytest.raises(ConfigError) as raised:
        run_component(lambda: component("x", args))
    assert raised.value.registrations == [], "registered before refusing"
    assert raised.value.source == f"lattice:index:{component.__name__} 'x'"
    return "\n".join(raised.value.problems)


def names(message: str, path: tuple[Any, ...]) -> bool:
    """The message names the path as the schema spells it (camelCase, as every other language and the stack config
    write it), whichever spelling the caller used; the caller's own names (target groups) are never re-cased."""
    return camel(shown(path)) in message


def camel(text: str) -> str:
    return re.sub(r"\b[a-z][a-z0-9]*(?:_[a-z0-9]+)+\b", lambda found: to_camel(found.group(0)), text)


def user_keyed(path: tuple[Any, ...]) -> bool:
    """Containers whose keys are the caller's names, not arguments (target groups, children, tags at any depth):
    a wrong-type value there is still refused."""
    return path in {("target_groups",), ("children",)} or path[-1:] == ("tags",)


CASES = [
    pytest.param(component, args, path, bad, id=f"{component.__name__}-{args.get('type', '')}-{shown(path)}={bad!r}")
    for component, args in [*VALID.items(), *MORE_VALID]
    for path, value in leaves(args)
    if not isinstance(path[-1], str) or not user_keyed(path[:-1]) or isinstance(value, dict)
    for bad in WRONG_TYPES[type(value)]
    if not (isinstance(value, int) and isinstance(bad, bool) is False and bad == value)
]


@pytest.mark.parametrize(("component", "args", "path", "bad"), CASES)
def test_a_wrong_type_anywhere_is_refused_naming_its_path(component, args, path, bad):
    message = refused(component, put(args, path, bad))
    assert names(message, path) or names(message, path[:-1]), message


REQUIRED = [
    # service_network_arn, target_groups and listeners are optional: a standalone service, one that forwards only
    # to groups created elsewhere, one with no listener yet (tests/test_target_groups_and_services.py)
    (LatticeService, ("name",)), (LatticeService, ("listeners", 0, "name")),
    (LatticeService, ("listeners", 0, "default_action")), (LatticeService, ("listeners", 0, "rules", 0, "priority")),
    (LatticeService, ("listeners", 0, "rules", 0, "match")), (LatticeService, ("target_groups", "orders-stable", "targets", 0, "id")),
    (LatticeService, ("listeners", 0, "default_action", "forward", 0, "target_group")),
    (LatticeService, ("listeners", 0, "rules", 0, "match", "headers", 0, "name")),
    (ServiceNetwork, ("name",)), (ConsumerVpcAttachment, ("vpc_id",)), (ConsumerVpcAttachment, ("service_network_arn",)),
    (ConsumerVpcAttachment, ("create_security_group", "client_cidrs")), (ShareAccepter, ("share_arn",)),
    (ResourceGateway, ("name",)), (ResourceGateway, ("vpc_id",)), (ResourceGateway, ("subnet_ids",)),
    (ResourceConfiguration, ("name",)), (ResourceConfiguration, ("resource_gateway_id",)),
    (ServiceNetworkEndpoint, ("vpc_id",)), (ServiceNetworkEndpoint, ("subnet_ids",)),
    (ServiceNetworkEndpoint, ("service_network_arn",)), (ServiceNetworkEndpoint, ("create_security_group", "client_cidrs")),
]


@pytest.mark.parametrize(("component", "path"), REQUIRED, ids=lambda v: shown(v) if isinstance(v, tuple) else v.__name__)
def test_a_missing_required_argument_is_refused_naming_its_path(component, path):
    message = refused(component, put(VALID[component], path, None, delete=True))
    assert names(message, path), message
    assert "is required" in message


OBJECTS = [
    (component, path)
    for component, args in VALID.items()
    for path, value in [((), args), *leaves(args)]
    if isinstance(value, dict) and not user_keyed(path)
]


@pytest.mark.parametrize(("component", "path"), OBJECTS, ids=lambda v: shown(v) if isinstance(v, tuple) else v.__name__)
def test_an_unknown_key_in_any_argument_object_is_refused_naming_it(component, path):
    args = VALID[component]
    if path == ():
        bad = {**args, "sharing_mode": "everyone"}
    else:
        bad = put(args, path, {**dict(leaves_at(args, path)), "sharing_mode": "everyone"})
    message = refused(component, bad)
    # the unknown key as the caller wrote it, under its object's path
    assert f"{camel(shown(path))}.sharing_mode: is not a known setting" in message, message


def leaves_at(args: Any, path: tuple[Any, ...]) -> Any:
    for part in path:
        args = args[part]
    return args


WILDCARDS = [
    (LatticeService, ("allowed_callers", "principals", 0), "*"),
    (LatticeService, ("allowed_callers", "principals", 0), "arn:aws:iam::*:role/FrontendAppRole"),
    (LatticeService, ("allowed_callers", "organization_ids", 0), "o-*"),
    (ServiceNetwork, ("share_principals", 0), "*"),
    (ServiceNetwork, ("member_account_ids", 0), "*"),
    (ServiceNetwork, ("organization_id",), "*"),
]


@pytest.mark.parametrize(("component", "path", "wildcard"), WILDCARDS, ids=lambda v: shown(v) if isinstance(v, tuple) else str(v))
def test_a_wildcard_principal_is_refused_naming_its_path(component, path, wildcard):
    message = refused(component, put(VALID[component], path, wildcard))
    assert names(message, path) or names(message, path[:-1]), message


PLAIN = [
    (ServiceNetwork, ("name",)), (ServiceNetwork, ("auth_type",)), (ServiceNetwork, ("allow_external_principals",)),
    (ServiceNetwork, ("share_principals",)), (ServiceNetwork, ("access_log_retention_days",)),
    (LatticeService, ("name",)), (LatticeService, ("auth_type",)), (LatticeService, ("listeners",)),
    (LatticeService, ("listeners", 0, "port")), (LatticeService, ("listeners", 0, "protocol")),
    (LatticeService, ("listeners", 0, "default_action", "forward", 0, "weight")),
    (LatticeService, ("listeners", 0, "rules", 0, "priority")), (LatticeService, ("target_groups", "orders-stable", "type")),
    (LatticeService, ("target_groups", "orders-stable", "targets")), (LatticeService, ("custom_domain_name",)),
    (ConsumerVpcAttachment, ("security_group_ids",)), (ConsumerVpcAttachment, ("create_security_group", "ports")),
    (ConsumerVpcAttachment, ("private_dns_enabled",)),
    (ResourceGateway, ("name",)), (ResourceGateway, ("ip_address_type",)), (ResourceGateway, ("ipv4_addresses_per_eni",)),
    (ResourceGateway, ("resource_config_dns_resolution",)),
    (ResourceConfiguration, ("name",)), (ResourceConfiguration, ("type",)), (ResourceConfiguration, ("port_ranges",)),
    (ResourceConfiguration, ("port_ranges", 0)), (ResourceConfiguration, ("protocol",)), (ResourceConfiguration, ("children",)),
    (ResourceConfiguration, ("children", "replica-a", "port_ranges")), (ResourceConfiguration, ("custom_domain_name",)),
    (ResourceConfiguration, ("associate",)), (ResourceConfiguration, ("private_dns_enabled",)),
    (ResourceConfiguration, ("share_principals",)), (ResourceConfiguration, ("allow_external_principals",)),
    (ServiceNetworkEndpoint, ("security_group_ids",)), (ServiceNetworkEndpoint, ("create_security_group", "ports")),
    (ServiceNetworkEndpoint, ("private_dns_enabled",)), (ServiceNetworkEndpoint, ("ip_address_type",)),
]


@pytest.mark.parametrize(("component", "path"), PLAIN, ids=lambda v: shown(v) if isinstance(v, tuple) else v.__name__)
def test_an_output_where_the_component_decides_before_registering_is_refused_naming_its_path(component, path):
    value = leaves_at(VALID[component], path)
    message = refused(component, put(VALID[component], path, pulumi.Output.from_input(value)))
    assert names(message, path) and "is a pulumi Output" in message, message


@pytest.mark.parametrize("args", [None, "name=orders", ["name", "orders"]], ids=repr)
@pytest.mark.parametrize("component", list(VALID), ids=lambda c: c.__name__)
def test_arguments_that_are_not_a_mapping_are_refused(component, args):
    assert "is not a mapping of arguments" in refused(component, args)


@pytest.mark.parametrize("component", list(VALID), ids=lambda c: c.__name__)
def test_the_valid_arguments_construct(component):
    run = run_component(lambda: component("x", VALID[component]))
    assert run.of_type(f"lattice:index:{component.__name__}")


def test_an_argument_given_in_both_spellings_is_refused_rather_than_one_silently_winning():
    args = {**VALID[ShareAccepter], "shareArn": "arn:aws:ram:us-east-1:123456789012:resource-share/other"}
    assert "args.shareArn: is given twice" in refused(ShareAccepter, args)


@pytest.mark.parametrize("key", ["organization_arn", "protect"])
def test_a_stack_config_setting_the_component_does_not_take_is_refused(key):
    # GIVEN the network settings only the stack program reads, passed to the component
    message = refused(ServiceNetwork, {**VALID[ServiceNetwork], key: True if key == "protect" else "arn:aws:organizations::123456789012:organization/o-a1b2c3d4e5"})
    # THEN it says the component does not take it, rather than ignoring it
    assert f"args.{to_camel(key)}: is not an argument of this component" in message


def test_an_iam_network_nobody_may_use_is_refused_before_anything_is_registered():
    # GIVEN an AWS_IAM network with neither member accounts nor an organization: its auth policy would deny all
    message = refused(ServiceNetwork, {"name": "core-services", "auth_type": "AWS_IAM"})
    assert "args.memberAccountIds: or organizationId is required with authType AWS_IAM" in message
