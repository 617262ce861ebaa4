"""`lattice plan`, `graph` and `access` as a user runs them: GIVEN a checkout of the stack files, WHEN the
command runs, THEN its report and exit code say what `pulumi up` with the policy pack would do."""

from __future__ import annotations

import json
import shutil

import pytest
import yaml
from typer.testing import CliRunner

from lattice_components.tools import offline
from lattice_components.tools.cli import app

runner = CliRunner()


@pytest.fixture
def checkout(tmp_path):
    """A copy of the repository's stack files, safe to break."""
    for name in ("Pulumi.yaml", "Pulumi.dev.yaml", "Pulumi.prod.yaml"):
        shutil.copy(offline.REPO_ROOT / name, tmp_path / name)
    shutil.copytree(offline.REPO_ROOT / "stacks", tmp_path / "stacks")
    return tmp_path


def edit(path, change):
    document = yaml.safe_load(path.read_text())
    change(document["config"])
    path.write_text(yaml.safe_dump(document, sort_keys=False))


def test_plan_dev_is_clean_and_reports_every_stack_topology_and_access():
    result = runner.invoke(app, ["plan", "dev", "--format", "json"])
    assert result.exit_code == 0, result.output
    report = json.loads(result.output)
    assert [s["stack"] for s in report["stacks"]] == ["dev", "mobile-dev", "orders-dev", "platform-dev"]
    assert report["summary"]["mandatory"] == 0
    assert report["mermaid"].startswith("graph LR")
    allowed = {(row["caller"], row["service"]) for row in report["access"] if row["allowed"]}
    # Callers that declare methods (lattice:callers) get one row per method: the inventory service's
    # hand-written policy lets MobileBackendRole GET but not POST, and denies OrderServiceRole's DELETE.
    assert allowed == {
        ("FrontendAppRole", "order-service"), ("FrontendAppRole", "payment-service"),
        ("MobileBackendRole GET", "order-service"), ("MobileBackendRole POST", "order-service"),
        ("MobileBackendRole GET", "inventory-service"),
        ("OrderServiceRole GET", "inventory-service"),
        ("OrderServiceRole GET", "payment-service"), ("OrderServiceRole DELETE", "payment-service"),
    }


def test_plan_prod_is_clean():
    result = runner.invoke(app, ["plan", "prod", "--format", "markdown"])
    assert result.exit_code == 0, result.output
    assert "✅ no mandatory policy violation" in result.output


def test_a_service_opened_with_auth_none_fails_the_plan_with_the_policy_named(checkout):
    def open_payment(config):
        service = config["lattice:services"]["payment-service"]
        service["authType"] = "NONE"
        service.pop("allowedCallers")

    edit(checkout / "stacks" / "Pulumi.orders-dev.yaml", open_payment)
    result = runner.invoke(app, ["plan", "dev", "--format", "json", "--project-dir", str(checkout)])
    assert result.exit_code == 1, result.output
    mandatory = [f for f in json.loads(result.output)["policies"] if f["level"] == "mandatory"]
    assert mandatory and all("payment-service" in f["message"] for f in mandatory)
    assert {f["stack"] for f in mandatory} == {"lattice-account/orders-dev"}


def test_a_rule_priority_beyond_the_api_limit_fails_as_invalid_config_without_a_traceback(checkout):
    edit(
        checkout / "stacks" / "Pulumi.orders-dev.yaml",
        lambda config: config["lattice:services"]["order-service"]["listeners"][0]["rules"][0].update(priority=2500),
    )
    result = runner.invoke(app, ["plan", "dev", "--project-dir", str(checkout)])
    assert result.exit_code == 2
    assert "stacks/Pulumi.orders-dev.yaml" in result.output
    assert "lattice:services.order-service.listeners[0].rules[0].priority: 2500 is above the maximum 2000" in result.output
    assert "Traceback" not in result.output


def test_graph_prints_the_mermaid_topology():
    result = runner.invoke(app, ["graph", "dev"])
    assert result.exit_code == 0
    assert result.output.startswith("graph LR")
    assert '-. "FrontendAppRole" .->' in result.output


def test_access_denies_a_caller_nobody_declared():
    result = runner.invoke(app, ["access", "dev", "--format", "json"])
    rows = json.loads(result.output)
    undeclared = [row for row in rows if row["caller"] == "UndeclaredRole"]
    assert undeclared and not any(row["allowed"] for row in undeclared)
