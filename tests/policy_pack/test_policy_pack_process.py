"""The pack as the engine runs it: its own process, a port on stdout, the analyzer protocol over gRPC."""

from __future__ import annotations

import json

import pytest

import policy_examples as ex
from lattice_components.tools.analyzer_client import PACK_DIR, UNKNOWN, PolicyPackProcess, run_pack

SERVICE = "aws:vpclattice/service:Service"
LISTENER = "aws:vpclattice/listener:Listener"
SHARE = "aws:ram/resourceShare:ResourceShare"

DEFAULT_LEVELS = {
    "lattice-auth-type-not-none": "mandatory",
    "lattice-target-group-health-check": "mandatory",
    "lattice-target-group-protocol": "mandatory",
    "lattice-listener-default-action": "mandatory",
    "lattice-auth-policy-document": "mandatory",
    "lattice-ram-share-external-principals": "mandatory",
    "lattice-iam-auth-has-policy": "advisory",
    "lattice-service-associated": "advisory",
    "lattice-network-access-logs": "advisory",
    "lattice-listener-https": "advisory",
    "lattice-required-tags": "advisory",
    "lattice-forward-weights": "advisory",
}


def config_file(env: str) -> dict:
    return json.loads((PACK_DIR / f"policy-config.{env}.json").read_text())


def levels(diagnostics) -> dict[str, str]:
    return {d.policy_name: d.enforcement_level for d in diagnostics}


def ours(diagnostics) -> list:
    """Findings of the policies under test; more policies (the API-model ones) may join the pack."""
    return [d for d in diagnostics if d.policy_name in DEFAULT_LEVELS]


# -- GetAnalyzerInfo -----------------------------------------------------------------------------------------
def test_analyzer_info_lists_every_policy_with_its_default_level(pack):
    info = pack.info()
    assert {name: info[name].enforcement_level for name in DEFAULT_LEVELS} == DEFAULT_LEVELS
    assert {name for name in DEFAULT_LEVELS if info[name].kind == "stack"} == {
        "lattice-iam-auth-has-policy", "lattice-service-associated", "lattice-network-access-logs"}
    assert info["lattice-ram-share-external-principals"].config_schema["allowedExternalShares"]["type"] == "array"
    assert pack.plugin_version()


# -- Analyze -------------------------------------------------------------------------------------------------
def test_a_compliant_service_has_no_findings(pack):
    assert pack.analyze({"type": SERVICE, "name": "orders", "props": ex.service()}) == []


def test_a_service_without_auth_is_a_mandatory_violation_with_description_and_fix(pack):
    [diagnostic] = pack.analyze({"type": SERVICE, "name": "orders", "props": ex.service(authType="NONE")})
    assert diagnostic.policy_name == "lattice-auth-type-not-none"
    assert diagnostic.urn == ex.urn(SERVICE, "orders")  # attributed to the analyzed resource, as the engine does
    assert diagnostic.enforcement_level == "mandatory"
    assert "Service 'orders': authType is NONE" in diagnostic.message and "AWS_IAM" in diagnostic.message


def test_a_provider_passed_with_the_resource_supplies_default_tags(pack):
    # GIVEN a required tag that only the explicit provider's default_tags carries (JSON-encoded, as sent)
    pack.configure({"lattice-required-tags": {"requiredTags": ["cost-center"]}})
    provider = {"type": "pulumi:providers:aws", "name": "workload",
                "props": {"defaultTags": json.dumps({"tags": {"cost-center": "cc-42"}})}}
    resource = {"type": SERVICE, "name": "orders", "props": ex.service(tags={"owner": "team-orders"})}
    # WHEN analyzed with and without the provider THEN only the bare resource misses the tag
    assert pack.analyze({**resource, "provider": provider}) == []
    assert levels(pack.analyze(resource)) == {"lattice-required-tags": "advisory"}


# -- Unknowns ------------------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    "type_, props",
    [
        (SERVICE, ex.service(authType=UNKNOWN)),
        ("aws:vpclattice/authPolicy:AuthPolicy", {"policy": UNKNOWN, "resourceIdentifier": UNKNOWN}),
        (SHARE, ex.ram_share(allowExternalPrincipals=UNKNOWN)),
        ("aws:vpclattice/targetGroup:TargetGroup", ex.target_group(config=UNKNOWN)),
    ],
)
def test_values_unknown_in_preview_give_the_engines_advisory_never_a_violation(pack, type_, props):
    # GIVEN a resource whose deciding property is unknown during preview
    # WHEN analyzed
    diagnostics = pack.analyze({"type": type_, "name": "res", "props": props})
    # THEN the only findings are the SDK's advisories that a policy could not run yet (one per policy that needs it)
    assert diagnostics and {d.enforcement_level for d in diagnostics} == {"advisory"}
    assert all("can't run policy" in d.message and "during preview" in d.message for d in diagnostics)


def test_unknown_values_a_policy_does_not_need_change_nothing(pack):
    props = ex.target_group(config={**ex.target_group()["config"], "vpcIdentifier": UNKNOWN})
    assert pack.analyze({"type": "aws:vpclattice/targetGroup:TargetGroup", "name": "tg", "props": props}) == []


# -- Configure -----------------------------------------------------------------------------------------------
@pytest.mark.parametrize("level, expected", [("advisory", ["advisory"]), ("disabled", [])])
def test_configure_overrides_a_policy_level(pack, level, expected):
    pack.configure({"lattice-auth-type-not-none": {"enforcementLevel": level}})
    diagnostics = pack.analyze({"type": SERVICE, "name": "orders", "props": ex.service(authType="NONE")})
    assert [d.enforcement_level for d in diagnostics] == expected


def test_configure_all_applies_to_every_policy_without_its_own_entry(pack):
    pack.configure({"all": "disabled", "lattice-listener-https": "mandatory"})
    listener = {"type": LISTENER, "name": "plain", "props": ex.listener(protocol="HTTP", port=80.0)}
    assert levels(pack.analyze(listener)) == {"lattice-listener-https": "mandatory"}
    assert pack.analyze({"type": SERVICE, "name": "orders", "props": ex.service(authType="NONE")}) == []


def test_configure_passes_the_external_share_allow_list(pack):
    props = ex.ram_share(name="partner", allowExternalPrincipals=True)
    share = {"type": SHARE, "name": "partner-share", "props": props}
    assert levels(pack.analyze(share)) == {"lattice-ram-share-external-principals": "mandatory"}
    pack.configure({"lattice-ram-share-external-principals": {"allowedExternalShares": ["partner"]}})
    assert pack.analyze(share) == []


def test_prod_config_makes_hygiene_policies_mandatory_where_dev_keeps_them_advisory(pack):
    # GIVEN a plain-HTTP listener, untagged, forwarding 100/0 to a forgotten canary
    props = ex.listener(protocol="HTTP", port=80.0, defaultAction={"forwards": [{"targetGroups": [
        {"targetGroupIdentifier": "tg-stable", "weight": 100.0},
        {"targetGroupIdentifier": "tg-canary", "weight": 0.0}]}]})
    listener = {"type": LISTENER, "name": "api", "props": props}
    hygiene = {"lattice-listener-https", "lattice-required-tags", "lattice-forward-weights"}
    # WHEN analyzed under each example config THEN the same three findings change level
    pack.configure(config_file("dev"))
    assert levels(ours(pack.analyze(listener))) == dict.fromkeys(hygiene, "advisory")
    pack.configure(config_file("prod"))
    assert levels(ours(pack.analyze(listener))) == dict.fromkeys(hygiene, "mandatory")


def test_configure_rejects_unknown_policy_names_like_the_cli(pack):
    with pytest.raises(ValueError, match="lattice-typo"):
        pack.configure({"lattice-typo": "mandatory"})


# -- AnalyzeStack --------------------------------------------------------------------------------------------
def test_a_compliant_stack_in_preview_passes_through_property_dependencies(pack):
    assert pack.analyze_stack(ex.preview_stack(UNKNOWN)) == []


def test_a_stack_missing_its_wiring_reports_each_resource_on_its_urn(pack):
    # GIVEN the preview stack without the service's auth policy, association and the network's logs
    keep = {"core", "orders", "core-auth"}
    stack = [r for r in ex.preview_stack(UNKNOWN) if r["name"] in keep]
    # WHEN analyzed THEN three advisories name the service and the network
    found = {(d.policy_name, d.urn.rsplit("::", 1)[-1], d.enforcement_level) for d in pack.analyze_stack(stack)}
    assert found == {
        ("lattice-iam-auth-has-policy", "orders", "advisory"),
        ("lattice-service-associated", "orders", "advisory"),
        ("lattice-network-access-logs", "core", "advisory"),
    }


def test_stack_policies_take_level_and_exemptions_from_config(pack):
    stack = [r for r in ex.preview_stack(UNKNOWN) if r["name"] != "core-logs"]
    pack.configure({"lattice-network-access-logs": {"enforcementLevel": "mandatory"}})
    assert levels(pack.analyze_stack(stack)) == {"lattice-network-access-logs": "mandatory"}
    pack.configure({"lattice-network-access-logs": {"enforcementLevel": "mandatory", "exemptResources": ["core"]}})
    assert pack.analyze_stack(stack) == []


def test_unknown_links_without_dependencies_are_undecided_not_violations(pack):
    # GIVEN the preview stack as an engine that records no property dependencies would send it
    stack = [{**r, "property_dependencies": {}, "dependencies": []} for r in ex.preview_stack(UNKNOWN)]
    # WHEN analyzed THEN each stack policy only says it cannot run during preview
    diagnostics = pack.analyze_stack(stack)
    assert {d.enforcement_level for d in diagnostics} == {"advisory"}
    assert all("can't run policy" in d.message for d in diagnostics) and len(diagnostics) == 3


def test_analyze_all_runs_a_whole_preview_for_offline_plans():
    # GIVEN the compliant preview stack plus one service without auth
    resources = ex.preview_stack(UNKNOWN) + [{"type": SERVICE, "name": "open", "props": ex.service(authType="NONE")}]
    # WHEN the pack runs over it start to finish with the prod config
    diagnostics = run_pack(resources, config_file("prod"))
    # THEN the open service is refused and, lacking association, reported by the stack policy too
    assert sorted((d.policy_name, d.enforcement_level) for d in ours(diagnostics)) == [
        ("lattice-auth-type-not-none", "mandatory"), ("lattice-service-associated", "advisory")]


# -- Process lifecycle ---------------------------------------------------------------------------------------
def test_the_cli_launcher_imports_the_pack_from_its_folder_and_close_ends_the_process():
    # GIVEN the pack started as the CLI's shim starts it: `python -u -m pulumi.policy <engine> .` in the folder
    pack = PolicyPackProcess(PACK_DIR, cli_loader=True).start()
    try:
        # WHEN asked for its policies THEN it answers with the whole pack
        assert set(DEFAULT_LEVELS) <= set(pack.info())
    finally:
        pack.close()
    # THEN close() leaves no process behind, and closing twice is harmless
    assert pack.process.poll() is not None
    pack.close()


def test_a_pack_that_cannot_start_reports_its_stderr(tmp_path):
    (tmp_path / "__main__.py").write_text("raise SystemExit('broken pack')\n")
    with pytest.raises(RuntimeError, match="broken pack"):
        PolicyPackProcess(tmp_path, startup_timeout=10).start()
