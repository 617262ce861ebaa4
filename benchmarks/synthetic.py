"""Synthetic environments: N services spread over many accounts, as stack config held in memory.

The shapes are the repository's own (`Pulumi.dev.yaml`, `stacks/Pulumi.orders-dev.yaml`,
`stacks/Pulumi.mobile-dev.yaml`): services cycle through the walkthrough's three kinds (a 90/10 canary with a
header rule, an IP service with a fixed-response rule, a Lambda service), every account brings one consumer VPC
with a created security group, and one account in ten sits outside the organization, so its stack accepts the
RAM share first. Nothing is written to disk.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ENV = "bench"
REPOSITORY = Path(__file__).resolve().parents[1]
NETWORK_ACCOUNT = "platform"
ORGANIZATION_ID = "o-a1b2c3d4e5"
REGION = "us-east-1"


def account_count(services: int) -> int:
    """clamp(N / 20, 10, 100): small environments still span many accounts, large ones stay within 100."""
    return max(10, min(100, services // 20))


@dataclass
class AccountStack:
    """One account stack of the environment: its stack name and `config:` map."""

    stack: str
    config: dict[str, Any]


@dataclass
class Environment:
    """The network stack's config and every account stack's, in deploy order."""

    services: int
    network_config: dict[str, Any]
    accounts: list[AccountStack] = field(default_factory=list)

    @property
    def network_stack_name(self) -> str:
        """What every account stack's StackReference names (the program's default)."""
        return f"organization/lattice-network/{ENV}"


def _account_name(index: int) -> str:
    return NETWORK_ACCOUNT if index == 0 else f"team{index:03d}"


def _account_id(index: int) -> str:
    return f"{100000000000 + index * 1111:012d}"


def _outside_organization(index: int) -> bool:
    return index % 10 == 9


def _canary_service(name: str, account: int, vpc: str, caller: str, number: int) -> dict[str, Any]:
    """The walkthrough's order-service: two INSTANCE groups, 90/10 split, a header rule to the canary."""
    health = {"path": "/health", "port": 8080, "healthyThreshold": 3, "unhealthyThreshold": 2, "matcher": "200"}

    def group(targets: list[str]) -> dict[str, Any]:
        return {"type": "INSTANCE", "port": 8080, "protocol": "HTTP", "vpcId": vpc, "healthCheck": dict(health),
                "targets": [{"id": target} for target in targets]}

    serial = f"{account:04x}{number:06x}"  # + 7 hex digits below: the 17 of an instance ID
    return {
        "authType": "AWS_IAM",
        "tags": {"Team": "OrderTeam"},
        "targetGroups": {
            f"{name}-stable": group([f"i-{serial}{i:07x}" for i in range(2)]),
            f"{name}-canary": group([f"i-{serial}{0xc:07x}"]),
        },
        "listeners": [{
            "name": "http-listener", "protocol": "HTTP", "port": 80,
            "defaultAction": {"forward": [{"targetGroup": f"{name}-stable", "weight": 90},
                                          {"targetGroup": f"{name}-canary", "weight": 10}]},
            "rules": [{"name": "canary-opt-in", "priority": 10, "match": {"headers": [{"name": "x-canary", "exact": "true"}]},
                       "action": {"forward": [{"targetGroup": f"{name}-canary", "weight": 100}]}}],
        }],
        "allowedCallers": {"principals": [caller, f"arn:aws:iam::{_account_id(account)}:role/OrderServiceRole"]},
    }


def _ip_service(name: str, account: int, vpc: str, caller: str, number: int) -> dict[str, Any]:
    """The walkthrough's payment-service: IP targets and a rule answering 404 to POST /refunds."""
    return {
        "authType": "AWS_IAM",
        "tags": {"Team": "PaymentsTeam"},
        "targetGroups": {f"{name}-targets": {
            "type": "IP", "port": 8080, "protocol": "HTTP", "vpcId": vpc, "healthCheck": {"path": "/health"},
            "targets": [{"id": f"10.{account % 256}.{number % 256}.{10 + i}"} for i in range(2)],
        }},
        "listeners": [{
            "name": "http-listener", "protocol": "HTTP", "port": 80,
            "defaultAction": {"forward": [{"targetGroup": f"{name}-targets"}]},
            "rules": [{"name": "no-refunds-yet", "priority": 20, "match": {"pathPrefix": "/refunds", "method": "POST"},
                       "action": {"fixedResponse": 404}}],
        }],
        "allowedCallers": {"principals": [caller]},
    }


def _lambda_service(name: str, account: int, caller: str) -> dict[str, Any]:
    """The walkthrough's inventory-service: one Lambda target, no port, protocol, VPC or health check."""
    return {
        "authType": "AWS_IAM",
        "tags": {"Team": "InventoryTeam"},
        "targetGroups": {f"{name}-fn": {
            "type": "LAMBDA", "targets": [{"id": f"arn:aws:lambda:{REGION}:{_account_id(account)}:function:{name}"}],
        }},
        "listeners": [{"name": "http-listener", "protocol": "HTTP", "port": 80,
                       "defaultAction": {"forward": [{"targetGroup": f"{name}-fn"}]}}],
        "allowedCallers": {"principals": [caller]},
    }


def build(services: int, accounts: int | None = None) -> Environment:
    """An environment of `services` services over `account_count(services)` accounts (or `accounts`), one
    consumer VPC each."""
    count = accounts if accounts is not None else account_count(services)
    caller = f"arn:aws:iam::{_account_id(0)}:role/FrontendAppRole"
    registry = {
        _account_name(i): {"id": _account_id(i), **({"inOrganization": False} if _outside_organization(i) else {})}
        for i in range(count)
    }
    network_config = {
        "aws:region": REGION,
        "lattice:networkAccount": NETWORK_ACCOUNT,
        "lattice:accounts": registry,
        "lattice:network": {
            "name": f"{ENV}-services", "authType": "AWS_IAM", "organizationId": ORGANIZATION_ID,
            "organizationArn": f"arn:aws:organizations::{_account_id(0)}:organization/{ORGANIZATION_ID}",
            "accessLogs": False, "protect": False, "tags": {"Environment": "Benchmark"},
        },
    }
    per_account: list[dict[str, Any]] = [{} for _ in range(count)]
    for number in range(services):
        account = number % count
        vpc = f"vpc-{account + 1:08x}"
        kind = number % 3
        name = f"s{number:04d}-" + ("orders", "payments", "inventory")[kind]
        per_account[account][name] = (
            _canary_service(name, account, vpc, caller, number) if kind == 0
            else _ip_service(name, account, vpc, caller, number) if kind == 1
            else _lambda_service(name, account, caller)
        )
    environment = Environment(services=services, network_config=network_config)
    for index in range(count):
        account = _account_name(index)
        vpc = f"vpc-{index + 1:08x}"
        environment.accounts.append(AccountStack(stack=f"{account}-{ENV}", config={
            "lattice:account": account,
            "lattice:services": per_account[index],
            "lattice:consumers": {f"{account}-vpc": {
                "vpcId": vpc, "createSecurityGroup": {"ports": [80], "clientCidrs": [f"10.{index % 256}.0.0/16"]},
            }},
        }))
    return environment


def write(environment: Environment, root) -> None:
    """Write `environment` as a project's stack files under `root` (`Pulumi.<env>.yaml`, `stacks/`), so that
    `lattice plan bench --project-dir root` plans it as it would a real repository."""
    import yaml

    root = Path(root)
    (root / "stacks").mkdir(parents=True, exist_ok=True)
    # The project files too: the CLI knows a checkout by its network project (`name: lattice-network`).
    for project in ("Pulumi.yaml", "stacks/Pulumi.yaml"):
        (root / project).write_text((REPOSITORY / project).read_text())
    (root / f"Pulumi.{ENV}.yaml").write_text(yaml.safe_dump({"config": environment.network_config}, sort_keys=False))
    for account in environment.accounts:
        (root / "stacks" / f"Pulumi.{account.stack}.yaml").write_text(
            yaml.safe_dump({"config": account.config}, sort_keys=False))
