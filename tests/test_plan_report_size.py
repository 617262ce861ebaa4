"""A report that fits its reader at any size: GIVEN environments from a handful to thousands of services,
WHEN the plan is rendered, THEN a small one is complete, a large one is summarized under GitHub's comment
limit and says where the full data is, and the diagram stays within what Mermaid renders.

The environments are what the stacks would register (the resource types the topology reads), generated
directly: running the programs for 1,000 services takes minutes, and the size of the report depends only on
what was registered. `python -m benchmarks --parts plan` measures the real thing.
"""

from __future__ import annotations

import json

import pytest

from lattice_components.tools import offline, plan, plan_summary, topology
from lattice_components.tools.plan_runs import Finding

GITHUB_COMMENT_LIMIT = 65_536
REGION = "us-east-1"
ORG = "o-a1b2c3d4e5"


def _resource(project, stack, type_, name, inputs, *, id_="", state=None, parent=None, custom=True):
    urn = f"urn:pulumi:{stack}::{project}::{type_}::{name}"
    return offline.RegisteredResource(type=type_, name=name, urn=urn, inputs=inputs, custom=custom,
                                      parent=parent or "", id=id_, state=state or {})


def environment(services: int) -> tuple[offline.EnvironmentRun, list[Finding]]:
    """`services` services over clamp(services / 20, 2, 100) accounts, shaped as the synthetic benchmark
    environment: each service allows the platform's frontend role and its own account's role."""
    count = max(2, min(100, services // 20))
    names = ["platform" if i == 0 else f"team{i:03d}" for i in range(count)]
    ids = {name: f"{100000000000 + i * 1111:012d}" for i, name in enumerate(names)}
    sn_id = "sn-0123456789abcdef0"
    sn_arn = f"arn:aws:vpc-lattice:{REGION}:{ids['platform']}:servicenetwork/{sn_id}"
    network_policy = {"Version": "2012-10-17", "Statement": [
        {"Effect": "Allow", "Principal": "*", "Action": "vpc-lattice-svcs:Invoke", "Resource": "*",
         "Condition": {"StringEquals": {"aws:PrincipalOrgID": ORG}}}]}
    network = offline.ProgramRun("lattice-network", "bench", [
        _resource("lattice-network", "bench", topology.SN, "bench-services-network", {"authType": "AWS_IAM"},
                  id_=sn_id, state={"arn": sn_arn}),
        _resource("lattice-network", "bench", topology.AUTH_POLICY, "bench-services-auth-policy",
                  {"resourceIdentifier": sn_arn, "policy": json.dumps(network_policy)}),
    ], {"accounts": {name: {"id": ids[name], **({"inOrganization": False} if i % 10 == 9 else {})}
                     for i, name in enumerate(names)},
        "networkAccount": "platform", "serviceNetworkName": "bench-services"})
    runs = {name: [] for name in names}
    findings = []
    for i, name in enumerate(names):
        stack = f"{name}-bench"
        sg = f"sg-{i:017x}"
        runs[name] += [
            _resource("lattice-account", stack, topology.SECURITY_GROUP, f"{name}-vpc-lattice-clients",
                      {"ingress": [{"protocol": "tcp", "fromPort": 80, "toPort": 80, "cidrBlocks": [f"10.{i % 256}.0.0/16"]}]}, id_=sg),
            _resource("lattice-account", stack, topology.VPC_ASSOCIATION, f"{name}-vpc-association",
                      {"vpcIdentifier": f"vpc-{i + 1:08x}", "serviceNetworkIdentifier": sn_arn, "securityGroupIds": [sg]}),
        ]
    for number in range(services):
        account = names[number % count]
        stack, service = f"{account}-bench", f"s{number:04d}-orders"
        svc_id = f"svc-{number:017x}"
        svc_arn = f"arn:aws:vpc-lattice:{REGION}:{ids[account]}:service/{svc_id}"
        policy = {"Version": "2012-10-17", "Statement": [{
            "Sid": "AllowDeclaredCallers", "Effect": "Allow", "Action": "vpc-lattice-svcs:Invoke", "Resource": "*",
            "Principal": {"AWS": [f"arn:aws:iam::{ids['platform']}:role/FrontendAppRole",
                                  f"arn:aws:iam::{ids[account]}:role/OrderServiceRole"]},
            "Condition": {"StringEquals": {"vpc-lattice-svcs:ServiceNetworkArn": sn_arn}}}]}
        component = _resource("lattice-account", stack, "lattice:index:LatticeService", service, {}, custom=False)
        runs[account] += [
            component,
            _resource("lattice-account", stack, topology.SERVICE, f"{service}-service", {"name": service, "authType": "AWS_IAM"},
                      id_=svc_id, state={"arn": svc_arn}, parent=component.urn),
            _resource("lattice-account", stack, topology.AUTH_POLICY, f"{service}-auth-policy",
                      {"resourceIdentifier": svc_arn, "policy": json.dumps(policy)}, parent=component.urn),
            _resource("lattice-account", stack, topology.LISTENER, f"{service}-http-listener",
                      {"serviceIdentifier": svc_id, "port": 80, "protocol": "HTTP"}, parent=component.urn),
            _resource("lattice-account", stack, topology.SERVICE_ASSOCIATION, f"{service}-association",
                      {"serviceIdentifier": svc_id, "serviceNetworkIdentifier": sn_arn}, parent=component.urn),
        ]
        findings.append(Finding(f"lattice-account/{stack}", "lattice-listener-https", "advisory",
                                f"Listener '{service}-http-listener': serves plain HTTP on port 80, so requests and their "
                                "SigV4 headers cross the network unencrypted. " * 3, f"{service}-http-listener"))
    accounts = [offline.ProgramRun("lattice-account", f"{name}-bench", runs[name], {"account": name}) for name in names]
    return offline.EnvironmentRun("bench", network, accounts), findings


def report_of(services: int) -> tuple[plan.PlanReport, offline.EnvironmentRun]:
    env_run, findings = environment(services)
    access = topology.access_rows(env_run)
    return plan.PlanReport(env="bench", runs=env_run.runs, findings=findings, mermaid=topology.mermaid(env_run, access),
                           access=access, mermaid_overview=topology.mermaid_accounts(env_run, access)), env_run


@pytest.fixture(scope="module", params=[3, 40, 300, 1000])
def sized(request):
    report, env_run = report_of(request.param)
    return request.param, report, env_run


def test_the_markdown_comment_fits_github_at_any_size(sized):
    services, report, _ = sized
    markdown = plan.to_markdown(report)
    assert len(markdown) < GITHUB_COMMENT_LIMIT
    assert len(markdown) <= plan_summary.MARKDOWN_BUDGET


def test_a_small_environment_is_reported_in_full_and_a_large_one_says_where_the_rest_is(sized):
    services, report, _ = sized
    markdown = plan.to_markdown(report)
    if plan.fits_in_full(report):
        assert markdown == plan.full_markdown(report)
        assert all(f"| {row['service']} |" in markdown for row in report.access)
    else:
        assert "`lattice plan bench --format json`" in markdown and "`lattice access bench`" in markdown
        # every stack is still counted, and every policy that fired
        assert all(f"`{run.project}/{run.stack}`" in markdown for run in report.runs)
        assert "| advisory | `lattice-listener-https` |" in markdown
    assert services > 3 or plan.fits_in_full(report)
    assert services < 300 or not plan.fits_in_full(report)


def test_the_per_service_summary_counts_allowed_and_denied_declared_callers():
    report, _ = report_of(40)
    [entry] = [s for s in plan_summary.service_access(report.access) if s.service == "s0001-orders"]
    # FrontendAppRole (platform's VPC) and team001's OrderServiceRole are allowed; the other accounts'
    # OrderServiceRoles are declared callers, denied here; UndeclaredRoles are not counted as declared
    assert entry.allowed == ["FrontendAppRole (vpc-00000001)", "OrderServiceRole (vpc-00000002)"]
    assert entry.declared_denied == 1 and entry.undeclared_allowed == 0


def test_the_diagram_collapses_by_account_past_what_mermaid_renders(sized):
    services, report, _ = sized
    edges = sum(1 for line in report.mermaid.splitlines() if "-->" in line or ".->" in line)
    assert len(report.mermaid) <= topology.MERMAID_MAX_TEXT and edges <= topology.MERMAID_MAX_EDGES
    detailed = '<br/>AWS_IAM"]' in report.mermaid
    assert detailed == (report.mermaid == topology.mermaid_detailed(*_env_and_rows(services)))


def _env_and_rows(services):
    env_run, _ = environment(services)
    return env_run, topology.access_rows(env_run)
