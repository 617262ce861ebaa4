"""Check Pulumi's VPC Lattice resources against AWS's own API model, before anything reaches AWS.

The engine hands a program's resources to the provider as camelCase input dicts (`config.healthCheck.matcher.value`,
`defaultAction.forwards[0].targetGroups[1].weight`); the provider turns them into VPC Lattice API calls
(`CreateTargetGroup`'s `config.healthCheck.matcher.httpCode`, `CreateListener`'s `defaultAction.forward`). This
module maps the first onto the second (`RESOURCE_MAPPINGS`, the one table of pulumi-aws-to-API names) and checks
the inputs against botocore's model of the API, through each type's checker compiled once from the model
(`checkers`): required members, types, string length, list length, number range, enum, pattern and unions. botocore's own `validate_parameters` checks only required/type/min/union, and
stops at the first error; a deploy that fails at the fifth resource after four were created is what we avoid.

On top of the model's metadata come the limits stated only in its documentation text (health-check interval
"The range is 5–300 seconds", "Only 404 and 500 status codes are supported", "Not supported if the target group
type is LAMBDA"; parsed by `api_model`), a few rules from the user guide and quota table the model cannot express
(TLS passthrough listeners, the 10 KB auth-policy quota), and `check_stack` for rules that span resources (unique
rule priorities per listener, a TLS listener's service needs a custom domain, one service network per VPC).

Values the engine does not know yet are skipped, never reported: `None`, the Pulumi SDK's `Unknown` (mocks
during preview), pulumi-policy's unknown sentinels, and `Output` objects. A non-preview mock drops unknown outputs
from the inputs altogether, so a required member can only be missing where the pulumi-aws SDK itself lets the
argument be omitted; pass `require_members=False` when props may lack values you know will be there.
"""

from __future__ import annotations

import functools
import json
import re
from collections.abc import Callable, Iterator, Mapping
from typing import Any

from . import model
from .checkers import checker_for
from .engine_names import RESOURCE_MAPPINGS
from .values import as_str, compact_json, is_unknown, pattern_fullmatch, plain
from .violations import ApiViolation

__all__ = ["AUTH_POLICY_MAX_BYTES", "RESOURCE_RULES", "check_resource", "compact_json"]

# Service quota "Auth policy size: 10 KB" (VPC Lattice quotas page; not adjustable). The model only says 102,400
# characters. Measured on the compact JSON the provider sends (it normalizes the document before PutAuthPolicy).
AUTH_POLICY_MAX_BYTES = 10 * 1024


# --------------------------------------------------------------------------------------------------------------
# Rules the model cannot express, per resource
# --------------------------------------------------------------------------------------------------------------

ResourceRule = Callable[[Mapping[str, Any]], Iterator[ApiViolation]]


def _tls_listener_forwards(props: Mapping[str, Any]) -> Iterator[ApiViolation]:
    """User guide, TLS listeners: "The default action for a TLS listener must be a forward action"."""
    if props.get("protocol") != "TLS_PASSTHROUGH":
        return
    action = props.get("defaultAction")
    if isinstance(action, Mapping) and "fixedResponse" in action and not is_unknown(action["fixedResponse"]):
        yield ApiViolation(
            "defaultAction.fixedResponse",
            action["fixedResponse"],
            "a TLS_PASSTHROUGH listener cannot answer with a fixed response (it never decrypts the request); "
            "its default action must forward to TCP target groups",
            "tls-passthrough",
        )


def _auth_policy_quota(props: Mapping[str, Any]) -> Iterator[ApiViolation]:
    text = props.get("policy")
    if is_unknown(text) or not isinstance(text, str):
        return
    try:
        size = len(compact_json(json.loads(text)).encode())
    except ValueError:
        return  # reported by the walk
    if size > AUTH_POLICY_MAX_BYTES:
        yield ApiViolation(
            "policy",
            size,
            f"is {size:,} bytes as compact JSON; the VPC Lattice quota for an auth policy is "
            f"{AUTH_POLICY_MAX_BYTES // 1024} KB ({AUTH_POLICY_MAX_BYTES:,} bytes) and cannot be raised",
            "quota",
        )


@functools.lru_cache(maxsize=16)
def _private_dns_sentence(preference_doc: str) -> str | None:
    """The sentence of the preference's documentation saying it needs private DNS (read once per text)."""
    found = re.search(r"[^.]*\bonly supported when private DNS is enabled\b[^.]*\.?", preference_doc, re.I)
    return found.group(0).strip() if found else None


def _dns_options(props: Mapping[str, Any]) -> Iterator[ApiViolation]:
    """The model's documentation of DnsOptions: only with private DNS, and specified domains only with the
    preferences that name them."""
    options = props.get("dnsOptions")
    if is_unknown(options) or not isinstance(options, Mapping):
        return
    operation = RESOURCE_MAPPINGS["aws:vpclattice/serviceNetworkVpcAssociation:ServiceNetworkVpcAssociation"].operation
    preference_shape = model.member_shape(operation, "dnsOptions.privateDnsPreference")
    preference_doc = model.documentation_text(preference_shape)
    needs_private_dns = _private_dns_sentence(preference_doc)
    if (
        needs_private_dns
        and props.get("privateDnsEnabled") is False
        and any(not is_unknown(v) for v in options.values())
    ):
        yield ApiViolation(
            "dnsOptions",
            dict(options),
            f"needs privateDnsEnabled: true (API reference: {needs_private_dns!r})",
            "dns-options",
        )
    domains = options.get("privateDnsSpecifiedDomains")
    preference = options.get("privateDnsPreference")
    preferences = model.limits(operation, "dnsOptions.privateDnsPreference").enum
    if is_unknown(domains) or preference not in preferences or not domains:
        return  # an unknown or invalid preference: the walk reports the latter
    domains_shape = model.member_shape(operation, "dnsOptions.privateDnsSpecifiedDomains")
    allowed = model.enum_values_mentioned(domains_shape, preferences)
    if allowed and preference not in allowed:
        yield ApiViolation(
            "dnsOptions.privateDnsSpecifiedDomains",
            list(domains),
            f"apply only when privateDnsPreference is {' or '.join(allowed)}; it is {preference!r}",
            "dns-options",
        )


def _health_check_protocols(props: Mapping[str, Any]) -> Iterator[ApiViolation]:
    """HealthCheckConfig's enum is the target-group one (HTTP, HTTPS, TCP), but its documentation says "The
    possible protocols are HTTP and HTTPS"; the TLS listeners guide: "If you enable health checks for a TCP
    target group, you must specify a protocol and protocol version"."""
    config = props.get("config")
    check = config.get("healthCheck") if isinstance(config, Mapping) else None
    if not isinstance(check, Mapping):
        return
    shape = model.member_shape("HealthCheckConfig", "protocol")
    allowed = model.enum_values_mentioned(shape, model.limits("HealthCheckConfig", "protocol").enum)
    protocol = check.get("protocol")
    if isinstance(protocol, str) and not is_unknown(protocol) and allowed and protocol not in allowed:
        yield ApiViolation(
            "config.healthCheck.protocol", protocol,
            f"{protocol!r} is not a health-check protocol: the API documents {' and '.join(allowed)} only", "health-check",
        )
    enabled = check.get("enabled")
    if config.get("protocol") == "TCP" and (enabled is True or enabled == "true"):
        for member in ("protocol", "protocolVersion"):
            if check.get(member) is None:
                yield ApiViolation(
                    f"config.healthCheck.{member}", None,
                    "is required to enable a health check on a TCP target group (TLS listeners guide)", "health-check",
                )


def _security_groups_once(props: Mapping[str, Any]) -> Iterator[ApiViolation]:
    groups = props.get("securityGroupIds")
    if not isinstance(groups, list):
        return
    for index, group in enumerate(groups):
        if isinstance(group, str) and not is_unknown(group) and group in groups[:index]:
            yield ApiViolation(
                f"securityGroupIds[{index}]", group, f"{group} is listed twice; an association takes each security group once", "duplicate"
            )


def _port_range_values(props: Mapping[str, Any]) -> Iterator[ApiViolation]:
    """The model's `PortRange` pattern takes any 1-5 digits; the ports inside must be TCP ports (the listener
    port's 1-65535, the range the member's documentation gives as its example), low end first."""
    ranges = props.get("portRanges")
    if is_unknown(ranges) or not isinstance(ranges, list):
        return
    port = model.limits("CreateListener", "port")
    for index, value in enumerate(ranges):
        text = as_str(value)
        if text is None or not pattern_fullmatch(model.limits("PortRange").pattern or "", text):
            continue  # unknown or reported by the walk
        low, _, high = text.partition("-")
        first, last = int(low), int(high or low)
        outside = [number for number in (first, last) if not port.min <= number <= port.max]
        if outside:
            yield ApiViolation(f"portRanges[{index}]", text, f"{text!r}: port {outside[0]} is outside {port.min}-{port.max}", "range")
        elif first > last:
            yield ApiViolation(f"portRanges[{index}]", text, f"{text!r}: the range starts above its end", "range")


RESOURCE_RULES: dict[str, tuple[ResourceRule, ...]] = {
    "aws:vpclattice/resourceConfiguration:ResourceConfiguration": (_port_range_values,),
    "aws:vpclattice/listener:Listener": (_tls_listener_forwards,),
    "aws:vpclattice/authPolicy:AuthPolicy": (_auth_policy_quota,),
    "aws:vpclattice/serviceNetworkVpcAssociation:ServiceNetworkVpcAssociation": (_dns_options, _security_groups_once),
    "aws:vpclattice/targetGroup:TargetGroup": (_health_check_protocols,),
}


def check_resource(type_token: str, props: Mapping[str, Any], *, require_members: bool = True) -> list[ApiViolation]:
    """Everything the VPC Lattice API would reject in one resource's engine inputs (camelCase, numbers as floats).

    Returns [] for types that are not `aws:vpclattice/*`. Unknown values are skipped. With
    `require_members=False`, members the API requires but the inputs lack are not reported (for props in which
    a non-preview mock dropped outputs it was not given).
    """
    if type_token not in RESOURCE_MAPPINGS:
        return []
    values = plain(props)
    violations = checker_for(type_token).check(values, require_members)
    for rule in RESOURCE_RULES.get(type_token, ()):
        violations.extend(rule(values))
    return violations
