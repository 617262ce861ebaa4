"""`lattice plan ENV --base REF`: GIVEN a repository whose branch changes who may call a service, WHEN the plan
is compared with the base ref, THEN the report names exactly the access pairs that change decision and the
auth policy that changed, and nothing else; exit codes are judged on the new state."""

from __future__ import annotations

import json
import shutil
import subprocess

import pytest
import yaml
from typer.testing import CliRunner

from lattice_components.tools import offline, plan, plan_diff
from lattice_components.tools.cli import app

runner = CliRunner()
FRONTEND = "arn:aws:iam::111111111111:role/FrontendAppRole"
MOBILE = "arn:aws:iam::222222222222:role/MobileBackendRole"
ORDER = "arn:aws:iam::333333333333:role/OrderServiceRole"
AUTH_POLICY_URN = (
    "urn:pulumi:orders-dev::lattice-account::lattice:index:LatticeService$aws:vpclattice/authPolicy:AuthPolicy::{}-auth-policy"
)


def git(repo, *args):
    subprocess.run(["git", "-C", str(repo), "-c", "user.email=t@example.com", "-c", "user.name=t", *args],
                   check=True, capture_output=True)


def copy_stack_files(target):
    for name in ("Pulumi.yaml", "Pulumi.dev.yaml", "Pulumi.prod.yaml"):
        shutil.copy(offline.REPO_ROOT / name, target / name)
    shutil.copytree(offline.REPO_ROOT / "stacks", target / "stacks")
    generated_policies_only(target)


def generated_policies_only(root):
    """The dev environment with the walkthrough's generated auth policies and callers that declare no methods
    or headers (the repository's example adds hand-written policies, header conditions and per-method rows):
    each scenario below then changes one list of callers, and a reviewer reads exactly that off the diff."""
    for path in (root / "stacks").glob("Pulumi.*-dev.yaml"):
        document = yaml.safe_load(path.read_text())
        config = document["config"]
        config.pop("lattice:callers", None)
        for service in (config.get("lattice:services") or {}).values():
            service.pop("extraStatements", None)
            if service.pop("authPolicyFile", None) or service.pop("authPolicy", None):
                service["allowedCallers"] = {"principals": [MOBILE]}  # the walkthrough's inventory-service
            for short_form in ("organizationOnly", "methods", "accounts"):
                service.get("allowedCallers", {}).pop(short_form, None)
        path.write_text(yaml.safe_dump(document, sort_keys=False))


def set_callers(root, service, principals):
    path = root / "stacks" / "Pulumi.orders-dev.yaml"
    document = yaml.safe_load(path.read_text())
    document["config"]["lattice:services"][service]["allowedCallers"]["principals"] = principals
    path.write_text(yaml.safe_dump(document, sort_keys=False))


@pytest.fixture
def repository(tmp_path):
    """The repository's stack files committed on `main` of a fresh git repository."""
    copy_stack_files(tmp_path)
    git(tmp_path, "init", "-q", "-b", "main")
    git(tmp_path, "add", "-A")
    git(tmp_path, "commit", "-q", "-m", "base")
    return tmp_path


def test_a_branch_that_lets_one_more_caller_in_reports_that_pair_and_that_policy_only(repository):
    # GIVEN a branch on which payment-service also allows MobileBackendRole
    git(repository, "checkout", "-q", "-b", "let-mobile-pay")
    set_callers(repository, "payment-service", [FRONTEND, MOBILE, ORDER])
    git(repository, "commit", "-q", "-am", "mobile may call payment-service")
    # WHEN the branch is planned against main
    result = runner.invoke(app, ["plan", "dev", "--project-dir", str(repository), "--base", "main", "--format", "json"])
    # THEN exactly one pair is newly allowed, exactly the auth policy changed, and the plan is clean
    assert result.exit_code == 0, result.output
    diff = json.loads(result.output)
    assert [(c["caller"], c["vpc"], c["service"], c["before"], c["after"]) for c in diff["access"]] == [
        ("MobileBackendRole", "vpc-mobileb2", "payment-service", "denied", "allowed")
    ]
    assert diff["resources"]["added"] == [] and diff["resources"]["removed"] == []
    assert [c["urn"] for c in diff["resources"]["changed"]] == [AUTH_POLICY_URN.format("payment-service")]
    [change] = diff["resources"]["changed"][0]["inputs"]
    assert change["path"] == "policy.Statement[0].Principal.AWS"
    assert change["before"] == [FRONTEND, ORDER] and change["after"] == [FRONTEND, MOBILE, ORDER]
    assert diff["findings"] == {"new": [], "gone": []}
    # AND the Markdown form (the PR comment) says the same in one table row and one resource
    markdown = runner.invoke(app, ["plan", "dev", "--project-dir", str(repository), "--base", "main", "--format", "markdown"])
    assert markdown.exit_code == 0
    assert "### Access: 1 caller × service pairs change decision" in markdown.output
    assert "| `MobileBackendRole` | `vpc-mobileb2` | payment-service | denied | **✅ allowed** |" in markdown.output
    assert "### Resources: 0 added, 0 removed, 1 changed" in markdown.output


def test_the_same_tree_as_the_base_reports_no_change(repository):
    result = runner.invoke(app, ["plan", "dev", "--project-dir", str(repository), "--base", "HEAD"])
    assert result.exit_code == 0, result.output
    assert "no change to resources, policy findings or access" in result.output


def test_an_unknown_ref_is_a_usage_error_without_a_traceback(repository):
    result = runner.invoke(app, ["plan", "dev", "--project-dir", str(repository), "--base", "no-such-branch"])
    assert result.exit_code == 2
    assert "no-such-branch" in result.output and "Traceback" not in result.output


@pytest.fixture(scope="module")
def base_report(tmp_path_factory):
    root = tmp_path_factory.mktemp("base")
    copy_stack_files(root)
    return plan.build("dev", root)


@pytest.mark.parametrize(
    ("service", "principals", "expected"),
    [
        # newly allowed: a caller declared elsewhere is added
        ("payment-service", [FRONTEND, MOBILE, ORDER], [("MobileBackendRole", "payment-service", "denied", "allowed")]),
        # newly denied: a caller still declared elsewhere is removed
        ("order-service", [MOBILE], [("FrontendAppRole", "order-service", "allowed", "denied")]),
        # gone: the only service that declared a caller drops it, so the caller leaves the matrix
        ("payment-service", [FRONTEND], [("OrderServiceRole", "payment-service", "allowed", "absent")]),
        # newly allowed and denied at once, allowed listed first
        ("inventory-service", [FRONTEND], [("FrontendAppRole", "inventory-service", "denied", "allowed"),
                                           ("MobileBackendRole", "inventory-service", "allowed", "denied")]),
    ],
)
def test_each_change_of_allowed_callers_is_exactly_its_access_pairs_and_its_policy(tmp_path, base_report, service, principals, expected):
    # GIVEN dev with one service's allowed callers changed WHEN compared with dev as it is
    copy_stack_files(tmp_path)
    set_callers(tmp_path, service, principals)
    diff = plan_diff.compare("dev", "main", "0" * 40, base_report, plan.build("dev", tmp_path))
    # THEN the pairs that change decision, newly allowed first, and that service's auth policy, nothing else
    assert [(c.caller, c.service, c.before, c.after) for c in diff.access] == expected
    assert [c.urn for c in diff.changed] == [AUTH_POLICY_URN.format(service)]
    assert not (diff.added or diff.removed or diff.findings_new or diff.findings_gone)


def test_the_exit_code_is_judged_on_the_new_state(tmp_path, base_report):
    # GIVEN a change that opens payment-service with authType NONE (a mandatory violation)
    copy_stack_files(tmp_path)
    path = tmp_path / "stacks" / "Pulumi.orders-dev.yaml"
    document = yaml.safe_load(path.read_text())
    service = document["config"]["lattice:services"]["payment-service"]
    service["authType"] = "NONE"
    service.pop("allowedCallers")
    path.write_text(yaml.safe_dump(document, sort_keys=False))
    diff = plan_diff.compare("dev", "main", "0" * 40, base_report, plan.build("dev", tmp_path))
    # THEN the new mandatory findings are listed as new, and the new state carries them (exit 1 in the CLI)
    assert diff.new.mandatory and all(f in diff.findings_new for f in diff.new.mandatory)
    # AND every caller in an associated VPC is newly allowed, listed before the pair that left the matrix
    # (OrderServiceRole: only payment-service's policy declared it)
    assert [c.after for c in diff.access][-1:] == ["absent"]
    assert {(c.caller, c.service) for c in diff.access if c.after == "allowed"} >= {("UndeclaredRole", "payment-service")}
    assert "❌ mandatory policy violations after the change" in plan_diff.to_markdown(diff)


@pytest.mark.parametrize(
    ("before", "after", "expected"),
    [
        ({"a": 1}, {"a": 1}, []),
        ({"a": 1}, {"a": 2}, [("a", 1, 2)]),
        ({"a": {"b": [1, 2]}}, {"a": {"b": [1, 3]}}, [("a.b[1]", 2, 3)]),
        ({"p": '{"S": [{"P": ["x"]}]}'}, {"p": '{"S": [{"P": ["x", "y"]}]}'}, [("p.S[0].P", ["x"], ["x", "y"])]),
        ({"t": "{not json"}, {"t": "{still not"}, [("t", "{not json", "{still not")]),
    ],
)
def test_changed_inputs_are_named_leaf_by_leaf(before, after, expected):
    assert list(plan_diff.value_changes(before, after)) == expected


def test_a_new_key_is_shown_as_absent_before():
    [(path, old, new)] = plan_diff.value_changes({}, {"k": "v"})
    assert (path, repr(old), new) == ("k", "(absent)", "v")
