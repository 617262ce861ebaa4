"""The reader of botocore's VPC Lattice model: the sentences and patterns our checks depend on still parse.

These tests fail loudly when a botocore upgrade rewords a documentation sentence a limit is read from, or ships a
pattern Python's `re` cannot compile: the checks would otherwise go quiet instead of wrong.
"""

from __future__ import annotations

import re

import pytest

from lattice_components.apimodel import model as api_model
from lattice_components.apimodel import RESOURCE_MAPPINGS

HEALTH_CHECK = "CreateTargetGroup"
HEALTH_CHECK_COUNTS = (
    "config.healthCheck.healthCheckIntervalSeconds",
    "config.healthCheck.healthCheckTimeoutSeconds",
    "config.healthCheck.healthyThresholdCount",
    "config.healthCheck.unhealthyThresholdCount",
)


def _patterns_of_mapped_operations() -> dict[str, str]:
    """Every pattern reachable from an operation a pulumi-aws resource maps to, with one member path using it."""
    found: dict[str, str] = {}

    def walk(shape, path: str, depth: int = 0) -> None:
        if depth > 12:
            return
        pattern = shape.metadata.get("pattern")
        if pattern:
            found.setdefault(pattern, path)
        if shape.type_name == "structure":
            for name, member in shape.members.items():
                walk(member, f"{path}.{name}", depth + 1)
        elif shape.type_name == "list":
            walk(shape.member, path, depth + 1)
        elif shape.type_name == "map":
            walk(shape.key, f"{path}{{key}}", depth + 1)
            walk(shape.value, path, depth + 1)

    for mapping in RESOURCE_MAPPINGS.values():
        walk(api_model.service_model().operation_model(mapping.operation).input_shape, mapping.operation)
    return found


# -- the existing reader keeps its contract ---------------------------------------------------------------------


def test_limits_reads_min_max_pattern_and_enum_from_operation_or_shape_roots():
    # GIVEN an operation root and a shape root WHEN their members' limits are read THEN the model's values come back
    interval = api_model.limits("CreateTargetGroup", "config.healthCheck.healthCheckIntervalSeconds")
    assert (interval.type_name, interval.min, interval.max) == ("integer", 0, 300)
    assert api_model.limits("HealthCheckConfig", "protocolVersion").enum == ("HTTP1", "HTTP2")
    weight = api_model.limits("CreateListener", "defaultAction.forward.targetGroups.weight")
    assert (weight.min, weight.max) == (0, 999)
    assert api_model.limits("CreateService", "name").pattern_matches("orders")
    assert not api_model.limits("CreateService", "name").pattern_matches("svc-orders")


def test_member_shape_names_the_missing_member():
    with pytest.raises(KeyError, match="no member 'nope'"):
        api_model.member_shape("CreateListener", "defaultAction.nope")


# -- documentation sentences that carry limits -----------------------------------------------------------------


@pytest.mark.parametrize("path", HEALTH_CHECK_COUNTS)
def test_health_check_ranges_still_parse_from_the_documentation(path):
    # GIVEN a health-check count whose model range (min 0) is wider than what the API accepts
    model = api_model.limits(HEALTH_CHECK, path)
    # WHEN its documentation is read
    stated = api_model.documented_range(HEALTH_CHECK, path)
    # THEN a range is found, it narrows the model's and is quoted from the text
    assert stated is not None, (
        f"{path}: the documentation no longer states a range: {api_model.member_shape(HEALTH_CHECK, path).documentation!r}"
    )
    assert model.min <= stated.min <= stated.max <= model.max
    assert stated.min > model.min, "the documented minimum is what makes this rule worth having"
    assert str(stated.min) in stated.sentence and str(stated.max) in stated.sentence


def test_health_check_ranges_are_the_ones_the_user_guide_states():
    # GIVEN the botocore pinned in uv.lock THEN the parsed ranges are those of lattice-api.md
    ranges = {path.rsplit(".", 1)[1]: api_model.documented_range(HEALTH_CHECK, path) for path in HEALTH_CHECK_COUNTS}
    assert {key: (value.min, value.max) for key, value in ranges.items()} == {
        "healthCheckIntervalSeconds": (5, 300),
        "healthCheckTimeoutSeconds": (1, 120),
        "healthyThresholdCount": (2, 10),
        "unhealthyThresholdCount": (2, 10),
    }


@pytest.mark.parametrize(
    "text, expected",
    [
        ("<p>The range is 5–300 seconds. The default is 30 seconds.</p>", (5, 300)),
        ("<p>The range is 5-300 seconds.</p>", (5, 300)),
        ("<p>The valid range is 60 to 600 seconds.</p>", (60, 600)),
        ("You can specify a value from 1 to 65535.", (1, 65535)),
        ("Must be between 2 and 10.", (2, 10)),
        ("The range is <code>2</code>–<code>10</code>.", (2, 10)),
        ("The default is 30 seconds.", None),
        ("(for example: 1-65535)", None),
    ],
)
def test_range_parser_is_tolerant_of_dashes_words_and_markup(text, expected):
    stated = api_model.range_in_documentation(text)
    assert (None if stated is None else (stated.min, stated.max)) == expected


def test_fixed_response_status_codes_still_parse_from_the_documentation():
    for operation in ("CreateListener", "CreateRule"):
        path = ("defaultAction" if operation == "CreateListener" else "action") + ".fixedResponse.statusCode"
        only = api_model.documented_values(operation, path)
        assert only is not None, f"{operation}.{path}: 'Only 404 and 500 status codes are supported' no longer parses"
        limits = api_model.limits(operation, path)
        assert only.values and all(limits.min <= value <= limits.max for value in only.values)
    assert api_model.values_in_documentation("Only 404, 500 and 503 status codes are supported.").values == (
        404,
        500,
        503,
    )


@pytest.mark.parametrize(
    "path, excluded, only",
    [
        ("config.healthCheck", {"LAMBDA", "ALB"}, None),
        ("config.port", {"LAMBDA"}, None),
        ("config.protocol", {"LAMBDA"}, None),
        ("config.protocolVersion", {"LAMBDA"}, None),
        ("config.vpcIdentifier", {"LAMBDA"}, None),
        ("config.ipAddressType", set(), {"IP"}),
        ("config.lambdaEventStructureVersion", set(), {"LAMBDA"}),
    ],
)
def test_target_group_type_rules_still_parse_from_the_documentation(path, excluded, only):
    # GIVEN lattice-api.md: no health check for LAMBDA and ALB groups; no port, protocol or VPC for LAMBDA
    rule = api_model.documented_applicability("CreateTargetGroup", path)
    # THEN the model's documentation still says so, in words the parser reads
    assert rule is not None, f"{path}: the 'Not supported if the target group type is ...' sentence no longer parses"
    assert excluded <= rule.excluded
    assert rule.only == (frozenset(only) if only is not None else None)
    assert rule.excluded | (rule.only or set()) <= set(api_model.limits("CreateTargetGroup", "type").enum)


@pytest.mark.parametrize(
    "path, only",
    [
        ("portRanges", {"SINGLE", "GROUP", "CHILD", "CIDR"}),
        ("protocol", {"SINGLE", "GROUP", "CIDR"}),
        ("resourceGatewayIdentifier", {"SINGLE", "GROUP", "ARN", "CIDR"}),
        ("resourceConfigurationGroupIdentifier", {"CHILD"}),
        ("allowAssociationToShareableServiceNetwork", {"SINGLE", "GROUP", "ARN"}),
    ],
)
def test_resource_configuration_type_prefixes_still_parse(path, only):
    rule = api_model.documented_applicability("CreateResourceConfiguration", path)
    assert rule is not None and rule.only == frozenset(only)
    assert rule.only <= set(api_model.limits("CreateResourceConfiguration", "type").enum)


def test_tcp_udp_is_documented_as_cidr_only():
    rule = api_model.documented_applicability("CreateResourceConfiguration", "protocol")
    assert ("TCP_UDP", "CIDR") in rule.value_only_for


def test_dns_options_sentences_still_parse():
    operation = "CreateServiceNetworkVpcAssociation"
    preference = api_model.member_shape(operation, "dnsOptions.privateDnsPreference")
    assert re.search(r"only supported when private DNS is enabled", api_model.documentation_text(preference), re.I)
    enum = api_model.limits(operation, "dnsOptions.privateDnsPreference").enum
    mentioned = api_model.enum_values_mentioned(
        api_model.member_shape(operation, "dnsOptions.privateDnsSpecifiedDomains"), enum
    )
    assert mentioned and set(mentioned) < set(enum)
    assert "VERIFIED_DOMAINS_ONLY" not in mentioned  # a prefix of a longer value is not a mention


# -- patterns -------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("pattern, where", sorted(_patterns_of_mapped_operations().items()))
def test_every_pattern_compiles_in_python_and_has_a_reading(pattern, where):
    from lattice_components.apimodel import pattern_hint

    re.compile(pattern, re.ASCII)
    if not where.endswith("clientToken"):  # the provider fills client tokens, users never see that pattern
        assert pattern_hint(pattern), f"{where}: no words for the pattern {pattern!r}; add a case to pattern_hint"


def test_raw_model_is_a_private_copy():
    raw = api_model.load_raw_model()
    raw["shapes"]["HealthCheckIntervalSeconds"]["max"] = 1
    assert api_model.load_raw_model()["shapes"]["HealthCheckIntervalSeconds"]["max"] == 300
    assert api_model.limits("HealthCheckIntervalSeconds").max == 300


def test_every_documented_rule_in_the_mapped_operations_agrees_with_the_model():
    # GIVEN every member of every operation a pulumi-aws resource maps to
    # WHEN its documentation yields a range, a value list or a type rule
    # THEN that rule only narrows what the model allows, and names types the model knows
    found = 0

    def walk(shape, operation: str, path: str, depth: int = 0) -> None:
        nonlocal found
        if depth > 10:
            return
        if shape.type_name == "list":
            walk(shape.member, operation, path, depth + 1)
        if shape.type_name != "structure":
            return
        for name, member in shape.members.items():
            where = f"{operation}.{path}{name}"
            limits = member.metadata
            stated = api_model.range_in_documentation(member)
            if stated is not None:
                found += 1
                assert member.type_name in ("integer", "long"), where
                assert limits.get("min", stated.min) <= stated.min <= stated.max <= limits.get("max", stated.max), where
            only = api_model.values_in_documentation(member)
            if only is not None:
                found += 1
                assert all(limits.get("min", v) <= v <= limits.get("max", v) for v in only.values), where
            rule = api_model.applicability_in_documentation(member)
            if rule is not None:
                found += 1
                types = set(api_model.limits(operation, "type").enum)
                assert rule.excluded | (rule.only or set()) | {t for _, t in rule.value_only_for} <= types, where
            walk(member, operation, f"{path}{name}.", depth + 1)

    for operation in {mapping.operation for mapping in RESOURCE_MAPPINGS.values()}:
        walk(api_model.service_model().operation_model(operation).input_shape, operation, "")
    assert found >= 20  # 21 with botocore 1.44.8: fewer means sentences stopped parsing
