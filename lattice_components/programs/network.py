"""The shared-network stack: the service network, its auth policy and access logs, and its RAM share.

Run by the network team in the network account (`pulumi up -s dev` at the repository root). Its outputs are
all that account stacks need: they read them through a `StackReference`.
"""

from __future__ import annotations

import pulumi
import pulumi_aws as aws

from ..config import NetworkStackConfig, read_region, read_stack_config, region_problems
from ..components.service_network import ServiceNetwork
from .providers import deploy_role


def share_principals(config: NetworkStackConfig) -> list[str]:
    """Who the network is shared with: the organization (when configured) covers its member accounts; accounts
    outside it are shared one by one; the network account never shares with itself."""
    principals: list[str] = [config.network.organization_arn] if config.network.organization_arn else []
    for name, account in config.accounts.items():
        if name == config.network_account:
            continue
        if not account.in_organization or not config.network.organization_arn:
            principals.append(account.id)
    return principals


def exports(config: NetworkStackConfig, network: ServiceNetwork, region: str) -> dict[str, object]:
    """The stack outputs account stacks read (names are the contract between the two projects)."""
    return {
        "serviceNetworkId": network.service_network_id,
        "serviceNetworkArn": network.service_network_arn,
        "serviceNetworkName": network.service_network_name,
        "shareArn": network.share_arn,
        "region": region,
        "networkAccount": config.network_account,
        "tags": dict(config.network.tags),
        # Account stacks share resource configurations with `organization` through it (config/resources.py).
        "organizationArn": config.network.organization_arn or "",
        "accounts": {
            name: {"id": account.id, "inOrganization": account.in_organization}
            for name, account in config.accounts.items()
        },
    }


def network_provider(stack: str, config: NetworkStackConfig, region: str) -> aws.Provider:
    """The provider every resource of the network stack uses: the network account's ID from the registry in
    `allowed_account_ids`, so a run with credentials for any other account fails before the first change, and
    the deploy role in that account when one is named (as the account stacks do, `account.account_provider`)."""
    account_id = config.accounts[config.network_account].id
    assume_roles = deploy_role(account_id, config.deploy_role_name, f"lattice-network-{stack}")
    return aws.Provider(
        f"{config.network_account}-account", region=region, assume_roles=assume_roles, allowed_account_ids=[account_id],
        # Protected with the network: a protected network's stack holds nothing `pulumi destroy` may remove.
        opts=pulumi.ResourceOptions(protect=config.network.protect),
    )


def main() -> None:
    source = f"Pulumi.{pulumi.get_stack()}.yaml"
    config: NetworkStackConfig = read_stack_config(NetworkStackConfig, source, also=region_problems())
    region = read_region(source)
    principals = share_principals(config)
    network = ServiceNetwork(
        config.network.name,
        {
            "name": config.network.name,
            "auth_type": config.network.auth_type,
            "member_account_ids": [account.id for account in config.accounts.values()],
            **({"organization_id": config.network.organization_id} if config.network.organization_id else {}),
            "share_principals": principals,
            "allow_external_principals": any(not account.in_organization for account in config.accounts.values()),
            "access_logs": config.network.access_logs,
            "access_log_retention_days": config.network.access_log_retention_days,
            # Hand-written policy (file already read) and log destinations, as the component takes them.
            **config.network.model_dump(include={"access_log_destinations", "auth_policy", "extra_statements"}, exclude_none=True),
            "tags": config.network.tags,
        },
        opts=pulumi.ResourceOptions(
            protect=config.network.protect, providers={"aws": network_provider(pulumi.get_stack(), config, region)}
        ),
    )
    for key, value in exports(config, network, region).items():
        pulumi.export(key, value)
