"""The policy pack's stack rules hold the same AWS rules for raw `aws.vpclattice` resources (written without
these components): a listener forwards only to groups its protocol fits, a target fits its group's type and is
registered once. GIVEN generated stacks, WHEN `check_stack` judges them (the function the
`lattice-api-model-stack` policy runs), THEN exactly the misfits are reported, on the resource to change.
"""

from __future__ import annotations

import itertools

import pytest

from lattice_components.apimodel import StackResource, check_stack

LISTENER = "aws:vpclattice/listener:Listener"
RULE = "aws:vpclattice/listenerRule:ListenerRule"
TARGET_GROUP = "aws:vpclattice/targetGroup:TargetGroup"
ATTACHMENT = "aws:vpclattice/targetGroupAttachment:TargetGroupAttachment"
UNKNOWN = "04da6b54-80e4-46f7-96ec-b56ff0331ba9"


def group(name: str, kind: str, protocol: str | None = None, **config) -> StackResource:
    props = {"name": name, "type": kind}
    if kind != "LAMBDA":
        props["config"] = {"protocol": protocol or "HTTP", "port": 8080.0, "vpcIdentifier": "vpc-backend1", **config}
    return StackResource(TARGET_GROUP, name, props, urn=f"urn:{name}", ids=frozenset({f"tg-{name:0>17}"}))


def listener(protocol: str, group_name: str, *, known: bool = True) -> StackResource:
    identifier = f"tg-{group_name:0>17}" if known else UNKNOWN
    return StackResource(
        LISTENER,
        "front",
        {"name": "front", "protocol": protocol, "port": 443.0, "serviceIdentifier": "svc-0123456789abcdef0",
         "defaultAction": {"forwards": [{"targetGroups": [{"targetGroupIdentifier": identifier, "weight": 100.0}]}]}},
        urn="urn:front",
        ids=frozenset({"listener-0123456789abcdef0"}),
        references={} if known else {"defaultAction": frozenset({f"urn:{group_name}"})},
    )


def rule(group_name: str) -> StackResource:
    return StackResource(
        RULE,
        "canary",
        {"name": "canary", "priority": 1.0, "listenerIdentifier": "listener-0123456789abcdef0",
         "serviceIdentifier": "svc-0123456789abcdef0", "match": {"httpMatch": {"method": "GET"}},
         "action": {"forward": {"targetGroups": [{"targetGroupIdentifier": f"tg-{group_name:0>17}", "weight": 100.0}]}}},
    )


def findings(resources, kind: str) -> list[tuple[str, str, str]]:
    return [(f.resource.name, f.violation.path, f.violation.rule) for f in check_stack(resources) if f.violation.kind == kind]


@pytest.mark.parametrize(("listener_protocol", "group_protocol", "where", "known"), [
    (lp, gp, where, known)
    for lp, gp in itertools.product(["HTTP", "HTTPS"], ["HTTP", "HTTPS", "TCP", "LAMBDA"])
    for where, known in (("listener", True), ("listener", False), ("rule", True))
])
def test_http_listeners_and_their_rules_never_forward_to_tcp_groups(listener_protocol, group_protocol, where, known):
    # GIVEN an HTTP(S) listener whose default action, or rule, forwards to a group of each protocol
    target = group("web", "LAMBDA") if group_protocol == "LAMBDA" else group("web", "INSTANCE", group_protocol)
    front = listener(listener_protocol, "other" if where == "rule" else "web", known=known)
    resources = [target, front] + ([group("other", "INSTANCE"), rule("web")] if where == "rule" else [])
    found = findings(resources, "listener-protocol")
    # THEN only a TCP group is refused, on the listener or the rule that forwards to it
    if group_protocol == "TCP":
        [(name, path, message)] = found
        assert name == ("canary" if where == "rule" else "front")
        assert path.startswith("action.forward" if where == "rule" else "defaultAction")
        assert f"an {listener_protocol} listener forwards to HTTP or HTTPS target groups" in message
    else:
        assert found == []


TARGETS = {
    "INSTANCE": "i-0123456789abcdef0",
    "IPV4": "10.1.20.10",
    "IPV6": "fd00::10",
    "LAMBDA": "arn:aws:lambda:us-east-1:333333333333:function:inventory",
    "ALB": "arn:aws:elasticloadbalancing:us-east-1:333333333333:loadbalancer/app/orders/50dc6c495c0c9188",
}
GROUPS = {"INSTANCE": ("INSTANCE", {}, "INSTANCE"), "IP": ("IP", {}, "IPV4"), "IP/IPV6": ("IP", {"ipAddressType": "IPV6"}, "IPV6"),
          "LAMBDA": ("LAMBDA", {}, "LAMBDA"), "ALB": ("ALB", {}, "ALB")}


def attachment(name: str, target_id: str, port: float | None = None, group_name: str = "web") -> StackResource:
    target = {"id": target_id} | ({"port": port} if port is not None else {})
    return StackResource(ATTACHMENT, name, {"targetGroupIdentifier": f"tg-{group_name:0>17}", "target": target})


@pytest.mark.parametrize(("group_key", "target_key"), list(itertools.product(GROUPS, TARGETS)))
def test_an_attachment_registers_what_its_groups_type_takes(group_key, target_key):
    kind, config, fits = GROUPS[group_key]
    resources = [group("web", kind, **config), attachment("one", TARGETS[target_key])]
    found = findings(resources, "target-kind")
    if target_key == fits:
        assert found == []
    else:
        [(name, path, message)] = found
        assert (name, path) == ("one", "target.id") and TARGETS[target_key] in message


def test_a_lambda_attachment_takes_no_port():
    resources = [group("fn", "LAMBDA"), attachment("one", TARGETS["LAMBDA"], 8080.0, group_name="fn")]
    assert findings(resources, "target-kind") == [("one", "target.port", "LAMBDA targets take no port")]


@pytest.mark.parametrize(("first", "second", "duplicate"), [
    (("10.1.20.10", None), ("10.1.20.10", None), True),
    (("10.1.20.10", None), ("10.1.20.10", 8080.0), True),  # the group's port
    (("10.1.20.10", None), ("10.1.20.10", 9090.0), False),
    (("fd00::10", None), ("fd00:0::10", None), True),  # one IPv6 address, two spellings
])
def test_a_target_is_registered_once_per_group(first, second, duplicate):
    address_type = {"ipAddressType": "IPV6"} if ":" in first[0] else {}
    resources = [group("web", "IP", **address_type), attachment("one", *first), attachment("two", *second)]
    found = findings(resources, "duplicate-target")
    assert (found == [("two", "target", f"{second[0]} is already registered in target group 'web' by 'one'")]) is duplicate
    assert (found == []) is (not duplicate)


# --------------------------------------------------------------------------------------------------------------
# The same rules on one raw resource (`check_resource`, the `lattice-api-model` policy and the preflight)
# --------------------------------------------------------------------------------------------------------------

from lattice_components.apimodel import check_resource  # noqa: E402

VPC_ASSOCIATION = "aws:vpclattice/serviceNetworkVpcAssociation:ServiceNetworkVpcAssociation"


@pytest.mark.parametrize(("group_protocol", "check", "expected"), [
    ("HTTP", {"enabled": True, "protocol": "TCP"}, ["config.healthCheck.protocol"]),
    ("HTTP", {"enabled": True, "protocol": "HTTPS"}, []),
    ("TCP", {"enabled": True, "protocol": "HTTP", "protocolVersion": "HTTP1", "path": "/"}, []),
    ("TCP", {"enabled": True, "protocol": "HTTP"}, ["config.healthCheck.protocolVersion"]),
    ("TCP", {"enabled": True, "path": "/health"}, ["config.healthCheck.protocol", "config.healthCheck.protocolVersion"]),
    ("TCP", {"enabled": "true", "protocolVersion": "HTTP2"}, ["config.healthCheck.protocol"]),
    ("TCP", {"enabled": False}, []),
])
def test_a_raw_target_groups_health_check_is_http_or_https_and_complete_on_tcp(group_protocol, check, expected):
    props = {"name": "web", "type": "INSTANCE",
             "config": {"port": 8080.0, "protocol": group_protocol, "vpcIdentifier": "vpc-backend1", "healthCheck": check}}
    assert [v.path for v in check_resource(TARGET_GROUP, props) if v.kind == "health-check"] == expected


@pytest.mark.parametrize(("groups", "flagged"), [
    (["sg-0123456789abcdef0", "sg-0123456789abcdef1"], []),
    (["sg-0123456789abcdef0", "sg-0123456789abcdef0"], ["securityGroupIds[1]"]),
    (["sg-0123456789abcdef0", UNKNOWN, "sg-0123456789abcdef0", UNKNOWN], ["securityGroupIds[2]"]),
])
def test_a_raw_vpc_association_lists_each_security_group_once(groups, flagged):
    props = {"vpcIdentifier": "vpc-backend1", "serviceNetworkIdentifier": "sn-0123456789abcdef0", "securityGroupIds": groups}
    assert [v.path for v in check_resource(VPC_ASSOCIATION, props) if v.kind == "duplicate"] == flagged
