"""The IAM bootstrap as code: GIVEN the bootstrap stacks of `bootstrap/`, WHEN they run offline under the mocks,
THEN every account of every environment gets GitHub's OIDC provider, a read-only preview role only pull
requests may assume, a deploy role only main and the production environment may assume whose actions cover
every resource type the stacks register, RAM sharing with the organization where the network lives, and the
policy pack passes them."""

from __future__ import annotations

import json
import re

import pytest

from lattice_components.config import ConfigError
from lattice_components.iam import deploy_permissions as permissions
from lattice_components.tools import analyzer_client, bootstrap_offline, offline, plan

REPOSITORY = "example-org/lattice"
STACK_FILES = bootstrap_offline.bootstrap_stack_files()


@pytest.fixture(scope="module")
def runs() -> dict[str, offline.ProgramRun]:
    return {bootstrap_offline.stack_name(path): bootstrap_offline.run_bootstrap_stack(path) for path in STACK_FILES}


def registry(env: str) -> dict:
    return offline.load_stack_file(offline.network_stack_file(env))


def role_named(run: offline.ProgramRun, purpose: str) -> tuple[dict, dict]:
    [role] = [r for r in run.of_type("aws:iam/role:Role") if r.name.endswith(f"-{purpose}-role")]
    [policy] = [r for r in run.of_type("aws:iam/rolePolicy:RolePolicy") if r.name.endswith(f"-{purpose}-policy")]
    return json.loads(role.inputs["assumeRolePolicy"]), json.loads(policy.inputs["policy"])


def subjects(trust: dict) -> list[str]:
    [web_identity] = [s for s in trust["Statement"] if s["Action"] == "sts:AssumeRoleWithWebIdentity"]
    condition = web_identity["Condition"]
    assert set(condition) == {"StringEquals"}, "sub and aud must be compared exactly, never with a wildcard"
    assert condition["StringEquals"]["token.actions.githubusercontent.com:aud"] == "sts.amazonaws.com"
    return condition["StringEquals"]["token.actions.githubusercontent.com:sub"]


def allowed_actions(policy: dict) -> set[str]:
    return {action for statement in policy["Statement"] if statement["Effect"] == "Allow" for action in statement["Action"]}


# --- coverage: one bootstrap stack per account of every environment ----------------------------------------


@pytest.mark.parametrize("env", ["dev", "prod"])
def test_every_registry_account_has_exactly_one_bootstrap_stack(env, runs):
    config = registry(env)
    by_id = {run.outputs["accountId"]: stack for stack, run in runs.items()}
    for name, account in config["lattice:accounts"].items():
        # GIVEN an account of the environment's registry  THEN a bootstrap stack acts in exactly that account
        assert str(account["id"]) in by_id, f"{name} ({account['id']}) of Pulumi.{env}.yaml has no bootstrap stack"
    ids = [run.outputs["accountId"] for run in runs.values()]
    assert len(ids) == len(set(ids)), "two bootstrap stacks for one account would both create its OIDC provider"


def test_each_bootstrap_stack_acts_only_in_its_account(runs):
    for stack, run in runs.items():
        [provider] = run.of_type("pulumi:providers:aws")
        assert json.loads(provider.inputs["allowedAccountIds"]) == [run.outputs["accountId"]], stack
        custom = [r for r in run.resources if r.custom and not r.type.startswith("pulumi:")]
        assert custom and all(r.provider.startswith(provider.urn + "::") for r in custom), stack


def test_ram_sharing_with_the_organization_only_in_the_network_account(runs):
    for env in ("dev", "prod"):
        config = registry(env)
        owner_id = str(config["lattice:accounts"][config["lattice:networkAccount"]]["id"])
        sharing = {run.outputs["accountId"] for run in runs.values()
                   if run.of_type("aws:ram/sharingWithOrganization:SharingWithOrganization")}
        assert owner_id in sharing, f"the {env} network account must enable RAM sharing with the organization"


# --- trust: who may assume which role -----------------------------------------------------------------------


def test_github_oidc_provider_is_githubs_with_sts_audience(runs):
    for stack, run in runs.items():
        [oidc] = run.of_type("aws:iam/openIdConnectProvider:OpenIdConnectProvider")
        assert oidc.inputs["url"] == "https://token.actions.githubusercontent.com", stack
        assert oidc.inputs["clientIdLists"] == ["sts.amazonaws.com"], stack


def test_preview_role_is_trusted_only_from_pull_requests_and_only_reads(runs):
    for stack, run in runs.items():
        trust, policy = role_named(run, "preview")
        assert subjects(trust) == [f"repo:{REPOSITORY}:pull_request"], stack
        assert len(trust["Statement"]) == 1, stack
        for action in allowed_actions(policy):
            operation = action.split(":", 1)[1]
            assert re.match(r"^(Describe|Get|List)", operation), f"{stack}: preview may {action}"


def test_deploy_role_is_trusted_only_from_main_and_the_production_environment(runs):
    for stack, run in runs.items():
        trust, _ = role_named(run, "deploy")
        assert sorted(subjects(trust)) == sorted([
            f"repo:{REPOSITORY}:ref:refs/heads/main", f"repo:{REPOSITORY}:environment:production",
        ]), stack
        assert f"repo:{REPOSITORY}:pull_request" not in subjects(trust)


def test_role_names_are_the_ones_the_stacks_and_workflows_assume(runs):
    # The stacks' lattice:deployRoleName default and the workflows' default role names.
    from lattice_components.config import AccountStackConfig, NetworkStackConfig
    from lattice_components.config.bootstrap import BootstrapStackConfig

    defaults = {model.model_fields["deploy_role_name"].default
                for model in (AccountStackConfig, NetworkStackConfig, BootstrapStackConfig)}
    assert defaults == {"LatticeDeployRole"}
    workflows = offline.REPO_ROOT / ".github" / "workflows"
    assert "vars.LATTICE_DEPLOY_ROLE_NAME || 'LatticeDeployRole'" in (workflows / "up-stacks.yml").read_text()
    assert "vars.LATTICE_PREVIEW_ROLE_NAME || 'LatticePreviewRole'" in (workflows / "pr.yml").read_text()
    assert BootstrapStackConfig.model_fields["preview_role_name"].default == "LatticePreviewRole"
    for stack, run in runs.items():
        assert run.outputs["deployRoleArn"].endswith(":role/LatticeDeployRole"), stack
        assert run.outputs["previewRoleArn"].endswith(":role/LatticePreviewRole"), stack


# --- least privilege derived from what the programs register ------------------------------------------------


@pytest.mark.parametrize("env", ["dev", "prod"])
def test_deploy_role_covers_every_type_the_stacks_register(env, runs):
    # GIVEN every resource the environment's stacks register offline
    env_run = offline.run_environment(env)
    types = {r.type for run in env_run.runs for r in run.resources}
    # THEN each type has actions, and every deploy role holds them all
    needed = set(permissions.deploy_actions(types))
    for stack, run in runs.items():
        _, policy = role_named(run, "deploy")
        assert needed <= allowed_actions(policy), f"{stack} lacks {sorted(needed - allowed_actions(policy))}"


def test_deploy_role_covers_the_provider_functions_the_components_call(dev):
    # The consumer component looks up Lattice's managed prefix list: an invoke, not a resource.
    actions = permissions.actions_for("aws:ec2/getManagedPrefixList:getManagedPrefixList")
    assert "ec2:DescribeManagedPrefixLists" in actions and set(actions) <= set(permissions.all_deploy_actions())


@pytest.mark.parametrize(
    ("token", "expected"),
    [
        ("aws:vpclattice/service:Service", {"vpc-lattice:CreateService", "vpc-lattice:GetService", "vpc-lattice:UpdateService",
                                            "vpc-lattice:DeleteService", "vpc-lattice:TagResource", "vpc-lattice:UntagResource",
                                            "vpc-lattice:ListTagsForResource"}),
        ("aws:ram/resourceShare:ResourceShare", {"ram:CreateResourceShare", "ram:DeleteResourceShare"}),
        ("aws:ec2/securityGroup:SecurityGroup", {"ec2:CreateSecurityGroup", "ec2:AuthorizeSecurityGroupIngress"}),
        ("lattice:index:LatticeService", set()),
        ("pulumi:providers:aws", set()),
    ],
)
def test_type_tokens_map_to_their_actions(token, expected):
    actions = set(permissions.actions_for(token))
    assert expected <= actions and (expected or not actions)


@pytest.mark.parametrize("token", ["aws:s3/bucket:Bucket", "aws:iam/role:Role", "aws:vpclattice/unknown:Unknown"])
def test_a_type_without_actions_is_refused_not_skipped(token):
    # GIVEN a type the table does not know  THEN deriving the role's actions fails, naming it
    with pytest.raises(permissions.UncoveredType, match=re.escape(token)):
        permissions.deploy_actions(["aws:vpclattice/service:Service", token])


def test_deploy_role_holds_no_iam_write_and_no_wildcard(runs):
    _, policy = role_named(next(iter(runs.values())), "deploy")
    for action in allowed_actions(policy):
        assert "*" not in action, action
        assert not action.startswith(("iam:", "sts:", "organizations:")), action


# --- bad bootstrap config -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("change", "key"),
    [
        ({"lattice:accountId": "12345"}, "lattice:accountId"),
        ({"lattice:githubRepository": "not a repo"}, "lattice:githubRepository"),
        ({"lattice:previewRoleName": "LatticeDeployRole"}, "lattice:previewRoleName"),
        ({"lattice:deployRoleName": "bad role name!"}, "lattice:deployRoleName"),
        ({"lattice:trustedPrincipals": ["*"]}, "lattice:trustedPrincipals[0]"),
    ],
)
def test_bad_bootstrap_config_stops_before_any_resource(change, key):
    path = STACK_FILES[0]
    config = {**offline.load_stack_file(path), **change}
    with pytest.raises(ConfigError) as caught:
        bootstrap_offline.run_bootstrap_stack(path, config)
    assert key in str(caught.value) and f"bootstrap/{path.name}" in str(caught.value)
    assert [r for r in caught.value.registrations if r.custom] == []


# --- the policy pack ----------------------------------------------------------------------------------------


@pytest.mark.parametrize("env", ["dev", "prod"])
def test_the_policy_pack_passes_every_bootstrap_stack(env, runs):
    # WHEN the pack, configured as CI configures it for the environment, analyzes each stack like a preview
    with analyzer_client.PolicyPackProcess(project=bootstrap_offline.BOOTSTRAP_PROJECT, stack=env) as pack:
        pack.configure(plan.policy_config(env))
        for stack, run in runs.items():
            if not stack.endswith(f"-{env}"):
                continue
            diagnostics = pack.analyze_all(plan.pack_resources(run))
            # THEN nothing mandatory is violated
            mandatory = [d for d in diagnostics if d.enforcement_level == "mandatory"]
            assert mandatory == [], f"{stack}: {[d.message for d in mandatory]}"
