"""The shared-network stack: the service network, its auth policy and access logs, and its RAM share.

Run by the network team in the network account (`pulumi up -s dev` at the repository root). Its outputs are
all that account stacks need: they read them through a `StackReference`.
"""

from __future__ import annotations

import pulumi

from ..config import ConfigError, NetworkStackConfig, read_stack_config
from ..components.service_network import ServiceNetwork


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


def main() -> None:
    source = f"Pulumi.{pulumi.get_stack()}.yaml"
    config: NetworkStackConfig = read_stack_config(NetworkStackConfig, source)
    region = pulumi.Config("aws").get("region")
    if not region:
        raise ConfigError(["aws:region: is required: Lattice is regional and account stacks deploy into this region"], source)
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
            "tags": config.network.tags,
        },
        opts=pulumi.ResourceOptions(protect=config.network.protect),
    )
    for key, value in exports(config, network, region).items():
        pulumi.export(key, value)
