"""Target groups and services beyond one service (#14 item 4): GIVEN `examples/beyond-one-service` (a target group
defined once and forwarded to by two services, one referenced by ARN, one read from another stack's outputs
(tests/test_target_groups_from_stacks.py), one nothing forwards to yet, a standalone service shared through RAM, a
service with no listener), WHEN `lattice plan` runs it, THEN it registers exactly
that, the pack and the plan say what holds, and bad variants stop before anything is registered with the file, the
key path and the rule."""

from __future__ import annotations

import copy
import io
import json
from pathlib import Path

import pytest
import rich.console
from pulumi.runtime.rpc import UNKNOWN
from hypothesis import given, settings
from hypothesis import strategies as st

from helpers import run_component
from lattice_components import LatticeService, LatticeTargetGroup
from lattice_components.config import ConfigError
from lattice_components.inputs import account_inputs, auth_policies, routing
from lattice_components.config import ActionSpec
from lattice_components.policies import stack_checks
from lattice_components.policies.policy_inputs import Resource, Unknown
from lattice_components.tools import offline, plain, plan

ROOT = Path(__file__).resolve().parent.parent / "examples" / "beyond-one-service"
CATALOG = ROOT / "stacks" / "Pulumi.catalog-dev.yaml"
SEARCH_ARN = "arn:aws:vpc-lattice:us-east-1:444444444444:targetgroup/tg-0123456789abcdef0"
FOREIGN_ARN = "arn:aws:vpc-lattice:us-east-1:666666666666:targetgroup/tg-0123456789abcdef0"
TG = "aws:vpclattice/targetGroup:TargetGroup"
LISTENER = "aws:vpclattice/listener:Listener"
SERVICE = "aws:vpclattice/service:Service"
ASSOCIATION = "aws:vpclattice/serviceNetworkServiceAssociation:ServiceNetworkServiceAssociation"
NETWORK_ARN = "arn:aws:vpc-lattice:us-east-1:123456789012:servicenetwork/sn-0123456789abcdef0"


@pytest.fixture(scope="module")
def report():
    return plan.build("dev", ROOT)


@pytest.fixture(scope="module")
def catalog(report):
    [run] = [run for run in report.runs if run.stack == "catalog-dev"]
    return run


def service_named(run, name):
    [service] = [r for r in run.of_type(SERVICE) if r.inputs["name"] == name]
    return service


def listener_of(run, service_name):
    service = service_named(run, service_name)
    return [r for r in run.of_type(LISTENER) if r.inputs["serviceIdentifier"] == service.id]


# --------------------------------------------------------------------------------------------------------------
# What the plan registers
# --------------------------------------------------------------------------------------------------------------


def test_a_stack_target_group_is_created_once_and_its_service_forwards_to_it(report, catalog):
    groups = {r.inputs["name"]: r for r in catalog.of_type(TG)}
    # the referenced groups are not created; the stack's two and the service's own are
    assert sorted(groups) == ["catalog-api", "catalog-next", "reports-fn"]
    assert sorted(r.name for r in catalog.of_type("lattice:index:LatticeTargetGroup")) == ["catalog-api", "catalog-next"]
    api = groups["catalog-api"].id
    [v1] = listener_of(catalog, "catalog-v1")
    [v2] = listener_of(catalog, "catalog-v2")
    # v1 forwards to the group referenced by ARN; the canary mixes the stack's group and the one read from the
    # search stack (a group serves one service's listeners only, so v1 and v2 share none)
    assert v1.inputs["defaultAction"]["forwards"][0]["targetGroups"] == [{"targetGroupIdentifier": SEARCH_ARN, "weight": 100}]
    search_v2 = report.runs[[run.stack for run in report.runs].index("search-dev")].outputs["targetGroups"]["search-v2"]
    assert v2.inputs["defaultAction"]["forwards"][0]["targetGroups"] == [
        {"targetGroupIdentifier": api, "weight": 90}, {"targetGroupIdentifier": search_v2, "weight": 10},
    ]
    # the stack's targets are attached once, under the group's component
    attachments = [r for r in catalog.of_type("aws:vpclattice/targetGroupAttachment:TargetGroupAttachment")
                   if r.inputs["targetGroupIdentifier"] == api]
    assert sorted(a.inputs["target"]["id"] for a in attachments) == ["10.4.1.10", "10.4.2.10"]
    assert catalog.outputs["targetGroups"] == {
        "catalog-api": groups["catalog-api"].state["arn"], "catalog-next": groups["catalog-next"].state["arn"],
        "search-v1": SEARCH_ARN, "search-v2": search_v2,
    }


def test_a_standalone_service_joins_no_network_and_is_shared_by_ram(catalog):
    reports = service_named(catalog, "catalog-reports")
    associated = {r.inputs["serviceIdentifier"] for r in catalog.of_type(ASSOCIATION)}
    assert reports.id not in associated
    assert associated == {service_named(catalog, name).id for name in ("catalog-v1", "catalog-v2", "catalog-pricing")}
    [share] = catalog.of_type("aws:ram/resourceShare:ResourceShare")
    assert share.inputs["name"] == "catalog-reports-share" and share.inputs["allowExternalPrincipals"] is False
    [link] = catalog.of_type("aws:ram/resourceAssociation:ResourceAssociation")
    assert link.inputs == {"resourceArn": reports.state["arn"], "resourceShareArn": share.id}
    [principal] = catalog.of_type("aws:ram/principalAssociation:PrincipalAssociation")
    assert principal.inputs["principal"] == "555555555555"
    # its auth policy names no network: callers come through networks of the accounts it is shared with
    [policy] = [r for r in catalog.of_type("aws:vpclattice/authPolicy:AuthPolicy") if r.inputs["resourceIdentifier"] == reports.state["arn"]]
    document = json.loads(policy.inputs["policy"])
    assert "vpc-lattice-svcs:ServiceNetworkArn" not in json.dumps(document)
    assert document["Statement"][0]["Principal"] == {"AWS": ["arn:aws:iam::555555555555:root"]}


def test_lambda_event_structure_and_idle_timeout_reach_the_api(catalog):
    [reports_fn] = [r for r in catalog.of_type(TG) if r.inputs["name"] == "reports-fn"]
    assert reports_fn.inputs["config"] == {"lambdaEventStructureVersion": "V2"}
    assert service_named(catalog, "catalog-v2").inputs["idleTimeoutSeconds"] == 300
    assert "idleTimeoutSeconds" not in service_named(catalog, "catalog-v1").inputs


def test_a_service_without_a_listener_is_registered(catalog):
    assert listener_of(catalog, "catalog-pricing") == []


def test_the_plan_notes_say_what_holds(report):
    assert report.notes == [
        "`catalog-dev`: service catalog-pricing has no listener: it serves nothing yet.",
        "`catalog-dev`: service catalog-reports joins no service network (standalone).",
        "`catalog-dev`: service catalog-reports is shared through RAM with analytics (555555555555).",
        f"`catalog-dev`: target group search-v1 is created elsewhere and referenced by ARN ({SEARCH_ARN}), forwarded to by catalog-v1.",
        "`catalog-dev`: target group search-v2 is read from stack organization/lattice-account/search-dev (output "
        "targetGroups, key search-v2), planned before this stack: arn:aws:vpc-lattice:us-east-1:666666666666:"
        "targetgroup/tg-b69cca169d95b1731, forwarded to by catalog-v2.",
        "`catalog-dev`: target group catalog-next is forwarded to by no listener or rule of its stack (fine while a "
        "traffic shift to it is prepared, or if another stack forwards to it by ARN).",
    ]
    # every format carries every note: Markdown, JSON, the terminal's rich text and plain lines in a pipe
    markdown = plan.to_markdown(report)
    assert "### Notes" in markdown and all(note in markdown for note in report.notes)
    assert plan.to_json(report)["notes"] == report.notes
    assert [line for line in plain.plan_lines(report) if line.startswith("note: ")] == [f"note: {n}" for n in report.notes]
    terminal = io.StringIO()
    plan.render_text(report, rich.console.Console(file=terminal, width=400))
    assert all(f"note: {note}" in terminal.getvalue() for note in report.notes)
    assert 'n_catalog_reports -. "RAM share" .-> n_account_analytics' in report.mermaid
    assert "n_catalog_reports -- association" not in report.mermaid
    assert "catalog-reports<br/>AWS_IAM<br/>standalone" in report.mermaid


def test_the_access_matrix_says_why_standalone_and_listenerless_services_are_unreachable(report):
    rows = {(row["caller"], row["service"]): row for row in report.access}
    reports = rows["WebFrontendRole", "catalog-reports"]
    assert (reports["allowed"], reports["evaluable"]) == (False, True)
    assert reports["reasons"] == [
        "service catalog-reports joins no service network (standalone): unreachable through this network; callers "
        "reach it only through its RAM share with analytics (555555555555), from a network of theirs"
    ]
    assert rows["WebFrontendRole", "catalog-pricing"]["reasons"] == ["service catalog-pricing has no listener: it serves nothing yet"]
    assert rows["WebFrontendRole", "catalog-v1"]["allowed"] and rows["WebFrontendRole", "catalog-v2"]["allowed"]


def test_the_pack_reports_the_unused_group_and_not_the_shared_standalone_service(report):
    assert not report.failures
    assert report.mandatory == []
    unused = [f for f in report.findings if f.policy == "lattice-target-group-unused"]
    assert [f.resource for f in unused] == ["catalog-next-target-group"]
    assert unused[0].level == "advisory"
    assert [f for f in report.findings if f.policy == "lattice-service-associated"] == []


# --------------------------------------------------------------------------------------------------------------
# Bad variants: the file, the key path and the rule, before anything is registered
# --------------------------------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def network_outputs():
    return offline.run_network_stack("dev", ROOT).outputs


def services(config):
    return config["lattice:services"]


def groups(config):
    return config["lattice:targetGroups"]


def forward(config, service="catalog-v1"):
    return services(config)[service]["listeners"][0]["defaultAction"]["forward"]


BAD = [
    ("a stack group forwarded to by two services", lambda c: forward(c)[0].update(targetGroup="catalog-api"),
     "lattice:services.catalog-v2.listeners[0].defaultAction.forward[0].targetGroup: target group catalog-api is "
     "already forwarded to by service 'catalog-v1'; a VPC Lattice target group serves the listeners of one service only"),
    ("a referenced group forwarded to by two services", lambda c: forward(c, "catalog-v2")[1].update(targetGroup="search-v1"),
     f"lattice:services.catalog-v2.listeners[0].defaultAction.forward[1].targetGroup: target group search-v1 ({SEARCH_ARN}) "
     "is already forwarded to by service 'catalog-v1'"),
    ("one ARN forwarded to by two services", lambda c: (forward(c)[0].update(targetGroup=FOREIGN_ARN.replace("666666666666", "444444444444").replace("0123", "9999")),
                                                          forward(c, "catalog-v2")[1].update(targetGroup=FOREIGN_ARN.replace("666666666666", "444444444444").replace("0123", "9999"))),
     "lattice:services.catalog-v2.listeners[0].defaultAction.forward[1].targetGroup: target group "
     "arn:aws:vpc-lattice:us-east-1:444444444444:targetgroup/tg-9999456789abcdef0 is already forwarded to by service 'catalog-v1'"),
    ("a referenced group of another account", lambda c: groups(c)["search-v1"].update(arn=FOREIGN_ARN),
     f"lattice:targetGroups.search-v1: {FOREIGN_ARN} is a target group of account 666666666666, not of this stack's "
     "account 444444444444; VPC Lattice target groups are not shared across accounts"),
    ("a forward straight to another account's group", lambda c: forward(c)[0].update(targetGroup=FOREIGN_ARN),
     f"lattice:services.catalog-v1.listeners[0].defaultAction.forward[0].targetGroup: {FOREIGN_ARN} is a target group "
     "of account 666666666666"),
    ("a referenced group of another Region", lambda c: groups(c)["search-v1"].update(arn=SEARCH_ARN.replace("us-east-1", "eu-west-1")),
     f"lattice:targetGroups.search-v1: {SEARCH_ARN.replace('us-east-1', 'eu-west-1')} is a target group in eu-west-1, "
     "not in this stack's Region us-east-1"),
    ("a forward to a group nobody defines", lambda c: forward(c)[0].update(targetGroup="nope"),
     "lattice:services.catalog-v1.listeners[0].defaultAction.forward[0].targetGroup: 'nope' is neither one of this "
     "service's targetGroups [] nor of lattice:targetGroups ['catalog-api', 'catalog-next', 'search-v1', 'search-v2'], nor a target group ARN"),
    ("a forward to an ARN that is not a target group's",
     lambda c: forward(c)[0].update(targetGroup="arn:aws:vpc-lattice:us-east-1:444444444444:service/svc-0123456789abcdef0"),
     "lattice:services.catalog-v1.listeners[0].defaultAction.forward[0].targetGroup: "
     "'arn:aws:vpc-lattice:us-east-1:444444444444:service/svc-0123456789abcdef0' is not a target group ARN "
     "(arn:aws:vpc-lattice:<region>:<account>:targetgroup/tg-<17 characters>) or ID (tg-<17 characters>)"),
    ("a forward to a short target group ID", lambda c: forward(c)[0].update(targetGroup="tg-123"),
     "lattice:services.catalog-v1.listeners[0].defaultAction.forward[0].targetGroup: 'tg-123' is not a target group ARN"),
    ("a referenced group's bad ARN", lambda c: groups(c)["search-v1"].update(arn="arn:aws:vpc-lattice:us-east-1:1:targetgroup/tg-x"),
     "lattice:targetGroups.search-v1.arn: 'arn:aws:vpc-lattice:us-east-1:1:targetgroup/tg-x' is not a target group ARN"),
    ("a referenced group with settings of a created one", lambda c: groups(c)["search-v1"].update(port=80),
     "lattice:targetGroups.search-v1.port: is a setting of a target group created here; one referenced by arn is "
     "created elsewhere and takes none"),
    ("a service's group named like a stack group",
     lambda c: services(c)["catalog-reports"]["targetGroups"].update({"catalog-api": {"type": "LAMBDA"}}),
     "lattice:services.catalog-reports.targetGroups.catalog-api: is also a target group of lattice:targetGroups; "
     "target group names are unique per account"),
    ("a TLS listener forwarding to a stack HTTP group", lambda c: services(c)["catalog-v1"].update(
        customDomainName="catalog.example.com",
        listeners=[{"name": "tls", "protocol": "TLS_PASSTHROUGH", "defaultAction": {"forward": [{"targetGroup": "catalog-api"}]}}]),
     "lattice:services.catalog-v1.listeners[0].defaultAction.forward[0].targetGroup: target group 'catalog-api' (IP, HTTP): "
     "TLS_PASSTHROUGH listeners forward to TCP target groups only"),
    ("a share that leaves allowExternalPrincipals to a default",
     lambda c: services(c)["catalog-reports"]["share"].pop("allowExternalPrincipals"),
     "lattice:services.catalog-reports.share.allowExternalPrincipals: is required"),
    ("a share with everyone", lambda c: services(c)["catalog-reports"]["share"].update(principals=["*"]),
     "lattice:services.catalog-reports.share.principals[0]: '*' is not a RAM principal: an account name of "
     "lattice:accounts, a 12-digit account ID, an organization ARN or an OU ARN (no wildcards)"),
    ("a share with an IAM role", lambda c: services(c)["catalog-reports"]["share"].update(
        principals=["arn:aws:iam::555555555555:role/Reader"]),
     "lattice:services.catalog-reports.share.principals[0]: 'arn:aws:iam::555555555555:role/Reader' is not a RAM principal"),
    ("a share with an account the registry does not know",
     lambda c: services(c)["catalog-reports"]["share"].update(principals=["billing"]),
     "lattice:services.catalog-reports.share.principals[0]: 'billing' is not one of the network's accounts "
     "['analytics', 'catalog', 'platform', 'search']"),
    ("a principal shared with twice", lambda c: services(c)["catalog-reports"]["share"].update(principals=["analytics", "analytics"]),
     "lattice:services.catalog-reports.share.principals[1]: 'analytics' is listed twice"),
    ("an empty share", lambda c: services(c)["catalog-reports"]["share"].update(principals=[]),
     "lattice:services.catalog-reports.share.principals: has 0 items, below the minimum 1"),
    ("association tags on a standalone service",
     lambda c: services(c)["catalog-reports"].update(associationTags={"DataClass": "internal"}),
     "lattice:services.catalog-reports.associationTags: applies to the network association; this service has associate: false"),
    ("an event structure version on an IP group", lambda c: groups(c)["catalog-api"].update(lambdaEventStructureVersion="V2"),
     "lattice:targetGroups.catalog-api.lambdaEventStructureVersion: is supported only for LAMBDA target groups, not IP"),
    ("an event structure version the API does not have",
     lambda c: services(c)["catalog-reports"]["targetGroups"]["reports-fn"].update(lambdaEventStructureVersion="V3"),
     "lattice:services.catalog-reports.targetGroups.reports-fn.lambdaEventStructureVersion: 'V3' is not one of 'V1' or 'V2'"),
    ("an idle timeout below the API minimum", lambda c: services(c)["catalog-v2"].update(idleTimeoutSeconds=30),
     "lattice:services.catalog-v2.idleTimeoutSeconds: 30 is below the minimum 60"),
    ("an idle timeout above the API maximum", lambda c: services(c)["catalog-v2"].update(idleTimeoutSeconds=601),
     "lattice:services.catalog-v2.idleTimeoutSeconds: 601 is above the maximum 600"),
    ("associate written as text", lambda c: services(c)["catalog-reports"].update(associate="no"),
     "lattice:services.catalog-reports.associate: is 'no', where true or false is expected"),
    # the network is the network stack's: a stack file names none (the account program passes its ARN)
    ("a stack service naming a network", lambda c: services(c)["catalog-v1"].update(serviceNetworkArn=NETWORK_ARN),
     "lattice:services.catalog-v1.serviceNetworkArn: is not a known setting (check its spelling and camelCase)"),
]


SEARCH_DEV = "organization/lattice-account/search-dev"
_search_outputs: dict = {}


def search_outputs(network_outputs):
    """The outputs of the search stack, which the catalog's search-v2 is read from (run once)."""
    if not _search_outputs:
        _search_outputs.update(offline.run_account_stack("search-dev", network_outputs, "organization/lattice-network/dev", ROOT).outputs)
    return _search_outputs


def run_catalog(network_outputs, mutate):
    config = copy.deepcopy(offline.load_stack_file(CATALOG, ROOT))
    mutate(config)
    return offline.run_account_stack("catalog-dev", network_outputs, "organization/lattice-network/dev", ROOT, config=config,
                                     other_stacks={SEARCH_DEV: search_outputs(network_outputs)})


@pytest.mark.parametrize(("scenario", "mutate", "expected"), BAD, ids=[case[0] for case in BAD])
def test_a_bad_variant_stops_with_file_key_path_and_rule(network_outputs, scenario, mutate, expected):
    with pytest.raises(ConfigError) as raised:
        run_catalog(network_outputs, mutate)
    error = raised.value
    assert "stacks/Pulumi.catalog-dev.yaml" in str(error)
    assert any(problem.startswith(expected) for problem in error.problems), error.problems
    assert [r.type for r in error.registrations if r.type.startswith("aws:")] == []


PARTNER = "777777777777"
OTHER = "999999999999"


@pytest.fixture(scope="module")
def partner_outputs():
    """The network's outputs once `lattice:accounts` also holds partner, an account outside the organization."""
    config = copy.deepcopy(offline.load_stack_file(ROOT / "Pulumi.dev.yaml", ROOT))
    config["lattice:accounts"]["partner"] = {"id": PARTNER, "inOrganization": False}
    return offline.run_network_stack("dev", ROOT, config=config).outputs


def share(**fields):
    return lambda c: services(c)["catalog-reports"]["share"].update(fields)


PRINCIPALS = "lattice:services.catalog-reports.share.principals"
OUTSIDE = "is outside the organization, so the share cannot reach it with allowExternalPrincipals: false"
# Who a share reaches is judged on the principal, not on how it is written: an account's ID is the account, and the
# registry (`lattice:accounts`) is what says an account is in the organization.
BAD_SHARES = [
    ("an account outside the organization by name", share(principals=["partner"]), [f"{PRINCIPALS}[0]: 'partner' {OUTSIDE}"]),
    ("an account outside the organization by ID", share(principals=[PARTNER]),
     [f"{PRINCIPALS}[0]: '{PARTNER}' (partner) {OUTSIDE}"]),
    ("an ID outside the organization after one inside", share(principals=["analytics", PARTNER]),
     [f"{PRINCIPALS}[1]: '{PARTNER}' (partner) {OUTSIDE}"]),
    ("an ID the registry does not hold", share(principals=[OTHER]),
     [f"{PRINCIPALS}[0]: '{OTHER}' is not an account of the network's lattice:accounts, so nothing shows it is inside "
      "the organization, as allowExternalPrincipals: false needs; add it to lattice:accounts in the network stack "
      "(inOrganization says where it is)"]),
    ("an account by name and by ID", share(principals=["analytics", "555555555555"]),
     [f"{PRINCIPALS}[1]: '555555555555' is listed twice (as 'analytics' at [0]); RAM associates each principal once"]),
    ("an account by ID and by name", share(principals=["555555555555", "analytics"]),
     [f"{PRINCIPALS}[1]: 'analytics' is listed twice (as '555555555555' at [0]); RAM associates each principal once"]),
    ("an external account by name and by ID, external allowed", share(principals=["partner", PARTNER], allowExternalPrincipals=True),
     [f"{PRINCIPALS}[1]: '{PARTNER}' is listed twice (as 'partner' at [0]); RAM associates each principal once"]),
    ("an external account by name and ID, external not allowed", share(principals=[PARTNER, "partner"]),
     [f"{PRINCIPALS}[0]: '{PARTNER}' (partner) {OUTSIDE}", f"{PRINCIPALS}[1]: 'partner' {OUTSIDE}",
      f"{PRINCIPALS}[1]: 'partner' is listed twice (as '{PARTNER}' at [0]); RAM associates each principal once"]),
]


@pytest.mark.parametrize(("scenario", "mutate", "expected"), BAD_SHARES, ids=[case[0] for case in BAD_SHARES])
def test_a_bad_share_stops_with_file_key_path_and_rule(partner_outputs, scenario, mutate, expected):
    with pytest.raises(ConfigError) as raised:
        run_catalog(partner_outputs, mutate)
    error = raised.value
    assert error.source == "stacks/Pulumi.catalog-dev.yaml"
    assert error.problems == expected
    assert [r.type for r in error.registrations if r.type.startswith("aws:")] == []


GOOD_SHARES = [
    ("an account inside the organization by ID", share(principals=["555555555555"]), ["555555555555"]),
    ("an account outside the organization by ID, external allowed", share(principals=[PARTNER], allowExternalPrincipals=True), [PARTNER]),
    ("an ID the registry does not hold, external allowed", share(principals=[OTHER], allowExternalPrincipals=True), [OTHER]),
    ("the organization and an OU by ARN", share(principals=[
        "arn:aws:organizations::111111111111:organization/o-a1b2c3d4e5",
        "arn:aws:organizations::111111111111:ou/o-a1b2c3d4e5/ou-ab12-cdef3456"]),
     ["arn:aws:organizations::111111111111:organization/o-a1b2c3d4e5",
      "arn:aws:organizations::111111111111:ou/o-a1b2c3d4e5/ou-ab12-cdef3456"]),
]


@pytest.mark.parametrize(("scenario", "mutate", "principals"), GOOD_SHARES, ids=[case[0] for case in GOOD_SHARES])
def test_a_good_share_associates_each_principal_once(partner_outputs, scenario, mutate, principals):
    run = run_catalog(partner_outputs, mutate)
    associations = run.of_type("aws:ram/principalAssociation:PrincipalAssociation")
    assert sorted(a.inputs["principal"] for a in associations) == sorted(principals)


def test_a_share_outside_the_organization_needs_allow_external_principals(network_outputs):
    outputs = copy.deepcopy(network_outputs)
    outputs["accounts"]["analytics"]["inOrganization"] = False
    with pytest.raises(ConfigError) as raised:
        run_catalog(outputs, lambda c: None)
    assert raised.value.problems == [
        "lattice:services.catalog-reports.share.principals[0]: 'analytics' is outside the organization, so the share "
        "cannot reach it with allowExternalPrincipals: false"
    ]
    # allowed explicitly, it plans, and the share says so
    run = run_catalog(outputs, lambda c: services(c)["catalog-reports"]["share"].update(allowExternalPrincipals=True))
    [share] = run.of_type("aws:ram/resourceShare:ResourceShare")
    assert share.inputs["allowExternalPrincipals"] is True


# (how catalog-reports says it, whether it joins the network stack's network): a stack file needs no ARN either way
STACK_NETWORK = [
    ("associate: false, as written", lambda service: None, False),
    ("associate: true", lambda service: service.update(associate=True), True),
    ("associate left to its default", lambda service: service.pop("associate"), True),
]


@pytest.mark.parametrize(("scenario", "mutate", "joins"), STACK_NETWORK, ids=[case[0] for case in STACK_NETWORK])
def test_a_stack_service_joins_the_network_stacks_network_unless_associate_is_false(network_outputs, scenario, mutate, joins):
    run = run_catalog(network_outputs, lambda c: mutate(services(c)["catalog-reports"]))
    reports = service_named(run, "catalog-reports")
    associations = [a for a in run.of_type(ASSOCIATION) if a.inputs["serviceIdentifier"] == reports.id]
    assert [a.inputs["serviceNetworkIdentifier"] for a in associations] == ([network_outputs["serviceNetworkArn"]] if joins else [])
    [policy] = [r for r in run.of_type("aws:vpclattice/authPolicy:AuthPolicy") if r.inputs["resourceIdentifier"] == reports.state["arn"]]
    assert (network_outputs["serviceNetworkArn"] in policy.inputs["policy"]) is joins


GOOD = [
    ("a forward by target group ID", lambda c: forward(c)[0].update(targetGroup="tg-0123456789abcdef0"),
     lambda run: "tg-0123456789abcdef0"),
    ("a forward straight to an ARN, with no stack entry", lambda c: forward(c)[0].update(targetGroup=SEARCH_ARN), lambda run: SEARCH_ARN),
    ("share principals by ID and organization ARN", lambda c: services(c)["catalog-reports"]["share"].update(
        principals=["555555555555", "arn:aws:organizations::111111111111:organization/o-a1b2c3d4e5"]), None),
    ("a standalone service with no share", lambda c: services(c)["catalog-reports"].pop("share"), None),
    ("a service with no target group and no listener", lambda c: services(c).update({"catalog-stub": {"authType": "NONE"}}), None),
]


@pytest.mark.parametrize(("scenario", "mutate", "identifier"), GOOD, ids=[case[0] for case in GOOD])
def test_a_good_variant_plans(network_outputs, scenario, mutate, identifier):
    run = run_catalog(network_outputs, mutate)
    if identifier is not None:
        [v1] = listener_of(run, "catalog-v1")
        assert v1.inputs["defaultAction"]["forwards"][0]["targetGroups"][0]["targetGroupIdentifier"] == identifier(run)


# --------------------------------------------------------------------------------------------------------------
# The components on their own, under mocks
# --------------------------------------------------------------------------------------------------------------


def test_the_components_wire_a_group_of_another_component_and_a_standalone_shared_service():
    def build():
        group = LatticeTargetGroup("shared", {"name": "shared", "type": "IP", "port": 80, "protocol": "HTTP",
                                              "vpc_id": "vpc-0a1b2c3d", "targets": [{"id": "10.0.0.1"}]})
        LatticeService("api", {
            "name": "api", "service_network_arn": "arn:aws:vpc-lattice:us-east-1:123456789012:servicenetwork/sn-0123456789abcdef0",
            "auth_type": "NONE",
            "listeners": [{"name": "http", "protocol": "HTTP", "default_action": {"forward": [
                {"target_group": group.target_group_id, "weight": 80}, {"target_group": SEARCH_ARN, "weight": 20}]}}],
        })
        LatticeService("lonely", {"name": "lonely", "auth_type": "NONE", "associate": False,
                                  "share": {"principals": ["222222222222"], "allow_external_principals": False}})

    run = run_component(build)
    [group] = run.of_type(TG)
    [listener] = run.of_type(LISTENER)
    assert listener.inputs["defaultAction"]["forwards"][0]["targetGroups"] == [
        {"targetGroupIdentifier": group.id, "weight": 80}, {"targetGroupIdentifier": SEARCH_ARN, "weight": 20}]
    assert [r.name for r in run.of_type("aws:vpclattice/targetGroupAttachment:TargetGroupAttachment")] == ["shared--10.0.0.1"]
    assert group.name == "shared-target-group"
    assert len(run.of_type(ASSOCIATION)) == 1  # the api's; the standalone service joins nothing
    assert [r.name for r in run.of_type("aws:ram/resourceShare:ResourceShare")] == ["lonely-share"]
    assert [r.name for r in run.of_type("aws:ram/principalAssociation:PrincipalAssociation")] == ["lonely-share-222222222222"]


COMPONENT_BAD = [
    # a missing network used to make the service standalone without a word: no association, no network condition
    ({}, "args.serviceNetworkArn: is required when associate is true (the default)"),
    ({"associate": True}, "args.serviceNetworkArn: is required when associate is true (the default)"),
    ({"associate": False, "service_network_arn": NETWORK_ARN},
     "args.serviceNetworkArn: is set, but associate is false: a standalone service joins no network"),
    ({"associate": False, "share": {"principals": ["analytics"], "allow_external_principals": False}},
     "args.share.principals[0]: 'analytics' is an account name; the component takes 12-digit account IDs, organization or OU ARNs"),
    ({"service_network_arn": NETWORK_ARN,
      "listeners": [{"name": "http", "protocol": "HTTP", "default_action": {"forward": [{"target_group": "elsewhere"}]}}]},
     "args.listeners[0].defaultAction.forward[0].targetGroup: 'elsewhere' is not one of this service's targetGroups [] nor a target group ARN"),
]


@pytest.mark.parametrize(("extra", "expected"), COMPONENT_BAD, ids=[f"{case[1].split(':')[0]}-{index}" for index, case in enumerate(COMPONENT_BAD)])
def test_the_component_refuses_what_it_cannot_decide(extra, expected):
    with pytest.raises(ConfigError) as raised:
        run_component(lambda: LatticeService("svc", {"name": "svc", "auth_type": "NONE", **extra}))
    assert raised.value.problems == [expected]


# (args, whether the service joins the network): the ARN is needed exactly when it does
COMPONENT_NETWORK = [
    ({"service_network_arn": NETWORK_ARN}, True),
    ({"associate": True, "service_network_arn": NETWORK_ARN}, True),
    ({"associate": False}, False),
]


@pytest.mark.parametrize(("extra", "joins"), COMPONENT_NETWORK, ids=["default", "associate-true", "associate-false"])
def test_the_network_arn_is_needed_exactly_when_the_service_joins_a_network(extra, joins):
    run = run_component(lambda: LatticeService("svc", {
        "name": "svc", "allowed_callers": {"principals": ["arn:aws:iam::123456789012:role/FrontendAppRole"]}, **extra}))
    associations = run.of_type(ASSOCIATION)
    assert [a.inputs["serviceNetworkIdentifier"] for a in associations] == ([NETWORK_ARN] if joins else [])
    [policy] = run.of_type("aws:vpclattice/authPolicy:AuthPolicy")
    assert (NETWORK_ARN in policy.inputs["policy"]) is joins


# --------------------------------------------------------------------------------------------------------------
# The pure decisions
# --------------------------------------------------------------------------------------------------------------

names = st.sampled_from(["own-a", "own-b", "stack-a", "stack-b"])
arns = st.builds(lambda tail: f"arn:aws:vpc-lattice:us-east-1:123456789012:targetgroup/tg-{tail}",
                 st.text("0123456789abcdef", min_size=17, max_size=17))


@settings(max_examples=60, deadline=None)
@given(st.lists(st.tuples(st.one_of(names, arns), st.integers(0, 999)), min_size=1, max_size=10, unique_by=lambda t: t[0]))
def test_weights_reach_the_api_for_groups_by_name_and_by_arn_alike(targets):
    """Whatever mix of own groups, stack groups and ARNs a forward names, each keeps its weight and its place, and
    each becomes the identifier it stands for."""
    if sum(weight for _, weight in targets) == 0:
        targets = [(targets[0][0], 1), *targets[1:]]
    args = {"target_groups": {"own-a": {}, "own-b": {}}, "listeners": [
        {"name": "l", "default_action": {"forward": [{"target_group": name, "weight": w} for name, w in targets]}, "rules": []}]}
    stack = account_inputs.group_identifiers({"stack-a": None, "stack-b": SEARCH_ARN}, {"stack-a": "tg-aaaaaaaaaaaaaaaaa"})
    resolved = account_inputs.with_group_identifiers(args, stack)
    action = ActionSpec.model_validate({"forward": resolved["listeners"][0]["default_action"]["forward"]})
    own = {"own-a": "tg-00000000000000001", "own-b": "tg-00000000000000002"}
    built = routing.forward_targets(action, own)
    expected = {**own, **stack}
    assert [(t["target_group_identifier"], t["weight"]) for t in built] == [(expected.get(name, name), w) for name, w in targets]


def test_share_principals_resolve_names_and_keep_ids():
    accounts = {"analytics": {"id": "555555555555", "inOrganization": True}, "partner": {"id": "222222222222", "inOrganization": False}}
    org = "arn:aws:organizations::111111111111:organization/o-a1b2c3d4e5"
    assert account_inputs.share_principals(["analytics", "555555555555", org], accounts, False)[1] == [
        "[1]: '555555555555' is listed twice (as 'analytics' at [0]); RAM associates each principal once"]
    assert account_inputs.share_principals(["analytics", "666666666666", org], accounts, True) == (
        ["555555555555", "666666666666", org], [])
    assert account_inputs.share_principals(["222222222222"], accounts, False)[1] == [
        "[0]: '222222222222' (partner) is outside the organization, so the share cannot reach it with "
        "allowExternalPrincipals: false"]
    assert account_inputs.share_principals(["partner"], accounts, True) == (["222222222222"], [])
    assert account_inputs.share_principals(["partner", "nobody"], accounts, False)[1] == [
        "[0]: 'partner' is outside the organization, so the share cannot reach it with allowExternalPrincipals: false",
        "[1]: 'nobody' is not one of the network's accounts ['analytics', 'partner']",
    ]


def test_a_standalone_service_policy_names_no_network_and_a_joined_one_does():
    arn = "arn:aws:vpc-lattice:us-east-1:123456789012:servicenetwork/sn-0123456789abcdef0"
    alone = auth_policies.service_auth_policy(["123456789012"], ["o-a1b2c3d4e5"], None)
    joined = auth_policies.service_auth_policy(["123456789012"], ["o-a1b2c3d4e5"], arn)
    assert "Condition" not in alone["Statement"][0]
    assert alone["Statement"][1]["Condition"] == {"StringEquals": {"aws:PrincipalOrgID": ["o-a1b2c3d4e5"]}}
    assert joined["Statement"][0]["Condition"] == {"StringEquals": {"vpc-lattice-svcs:ServiceNetworkArn": arn}}


# --------------------------------------------------------------------------------------------------------------
# The pack's stack checks on their own
# --------------------------------------------------------------------------------------------------------------


def _service(name, arn):
    return Resource(SERVICE, name, {"id": f"svc-{name}", "arn": arn}, urn=f"urn:{name}")


def test_a_shared_standalone_service_passes_and_an_unreachable_one_is_reported():
    shared, lonely = _service("shared", "arn:s"), _service("lonely", "arn:l")
    link = Resource("aws:ram/resourceAssociation:ResourceAssociation", "link", {"resourceArn": "arn:s"}, urn="urn:link")
    found = list(stack_checks.check_service_associated([shared, lonely, link], {}))
    assert [urn for _, urn in found] == ["urn:lonely"]
    assert "no service network association and no RAM share" in found[0][0]


def test_a_group_nothing_forwards_to_is_reported_and_one_named_by_dependency_is_not():
    used = Resource(TG, "used", {"id": "tg-used", "arn": "arn:used"}, urn="urn:used")
    idle = Resource(TG, "idle", {"id": "tg-idle", "arn": "arn:idle"}, urn="urn:idle")
    by_dependency = Resource(TG, "dep", {"id": "tg-dep"}, urn="urn:dep")
    listener = Resource(LISTENER, "l", {"defaultAction": {"forwards": [{"targetGroups": [{"targetGroupIdentifier": "tg-used"}]}]}})
    rule = Resource("aws:vpclattice/listenerRule:ListenerRule", "r",
                    {"action": {"forward": {"targetGroups": [{"targetGroupIdentifier": UNKNOWN}]}}},
                    property_dependencies={"action": ("urn:dep",)})
    found = list(stack_checks.check_target_group_used([used, idle, by_dependency, listener, rule], {}))
    assert [urn for _, urn in found] == ["urn:idle"]
    assert list(stack_checks.check_target_group_used([idle, listener], {"exemptResources": ["idle"]})) == []


def test_a_group_preview_hides_is_undecided_not_reported():
    idle = Resource(TG, "idle", {"id": "tg-idle"}, urn="urn:idle")
    hidden = Resource(LISTENER, "l", {"defaultAction": {"forwards": [{"targetGroups": [
        {"targetGroupIdentifier": UNKNOWN}]}]}})
    with pytest.raises(Unknown):
        list(stack_checks.check_target_group_used([idle, hidden], {}))


def test_the_deploy_role_covers_every_type_the_example_registers(report):
    from lattice_components.iam import deploy_permissions

    types = {r.type for run in report.runs for r in run.resources}
    assert {"aws:ram/resourceShare:ResourceShare", "lattice:index:LatticeTargetGroup"} <= types
    # a type without actions raises UncoveredType; the role holds every action of the table
    assert set(deploy_permissions.deploy_actions(types)) <= set(deploy_permissions.all_deploy_actions())
