"""A per-account stack: the services and consumer VPCs one account contributes to the shared network.

Each account runs its own stack (`cd stacks && pulumi up -s orders-dev`) with its own credentials, so a
mistake in one account's config cannot touch another's resources. The program is asynchronous because it
reads the network stack's outputs as plain values first: whether the account must accept the RAM share and
which role to assume are decisions, and a decision taken inside `apply` would hide resources from preview.
"""

from __future__ import annotations

from typing import Any

import pulumi
import pulumi_aws as aws

from ..inputs import service_inputs
from ..config import AccountStackConfig, LatticeServiceSpec, read_stack_config
from ..components.consumer_vpc import ConsumerVpcAttachment
from ..config import ConfigError
from ..components.lattice_service import LatticeService
from ..components.share_accepter import ShareAccepter
from . import resources

NETWORK_OUTPUTS = ("serviceNetworkArn", "serviceNetworkName", "shareArn", "region", "accounts", "tags", "organizationArn")
"""The network stack outputs this program reads (see `network.exports`)."""


def default_network_stack(stack: str) -> str:
    """`organization/lattice-network/<env>`, where env is what follows the last `-` of this stack's name
    (`orders-dev` -> `dev`). `organization` is the org name on self-managed backends; set
    `lattice:networkStack` for Pulumi Cloud (`<your-org>/lattice-network/dev`)."""
    return f"organization/lattice-network/{stack.rsplit('-', 1)[-1]}"


def read_config(stack: str) -> tuple[AccountStackConfig, str]:
    source = f"stacks/Pulumi.{stack}.yaml"
    parsed = read_stack_config(AccountStackConfig, source, defaults={"networkStack": default_network_stack(stack)})
    return parsed, source


def check_against_network(config: AccountStackConfig, network: dict[str, Any], source: str) -> dict[str, Any]:
    """The account's entry in the network's registry, or a ConfigError naming the key."""
    accounts = network.get("accounts") or {}
    if config.account not in accounts:
        raise ConfigError(
            [f"lattice:account: {config.account!r} is not in the network stack's accounts {sorted(accounts)} "
             f"({config.network_stack}); add it to lattice:accounts there first"],
            source,
        )
    return accounts[config.account]


def account_provider(
    stack: str, config: AccountStackConfig, account: dict[str, Any], region: str, network_tags: dict[str, str]
) -> aws.Provider:
    """The provider every resource of this stack uses: the account's region, the deploy role when one is named,
    `allowed_account_ids` so credentials for the wrong account fail before anything changes, and the network's
    tags (Environment, ...) as default tags, so every account tags alike without repeating them."""
    assume_roles = (
        # The typed args class, not a dict: provider config travels as JSON and must carry the provider's own
        # camelCase names (roleArn), which a plain snake_case dict would not get.
        [aws.ProviderAssumeRoleArgs(
            role_arn=f"arn:aws:iam::{account['id']}:role/{config.deploy_role_name}", session_name=f"lattice-{stack}"
        )]
        if config.deploy_role_name
        else None
    )
    return aws.Provider(
        f"{config.account}-account",
        region=region,
        assume_roles=assume_roles,
        allowed_account_ids=[account["id"]],
        default_tags=aws.ProviderDefaultTagsArgs(tags={**network_tags, "LatticeAccount": config.account}),
    )


async def main() -> None:
    stack = pulumi.get_stack()
    config, source = read_config(stack)

    reference = pulumi.StackReference(config.network_stack)
    network = {name: (await reference.get_output_details(name)).value for name in NETWORK_OUTPUTS}
    missing = [name for name in NETWORK_OUTPUTS if name not in ("shareArn", "tags", "organizationArn") and network[name] in (None, "")]
    if missing:
        raise ConfigError([f"lattice:networkStack: {config.network_stack} has no outputs {missing}; run `pulumi up` there first"], source)
    account = check_against_network(config, network, source)
    if not account["inOrganization"] and not network["shareArn"]:
        raise ConfigError([f"lattice:account: {config.account!r} is outside the organization but the network has no RAM share"], source)
    service_args = {
        name: {"name": name, "service_network_arn": network["serviceNetworkArn"], **service.to_args()}
        for name, service in config.services.items()
    }
    # Every service checked against the AWS API model before the first resource of any is registered.
    problems = [
        f"lattice:services.{name}.{problem}"
        for name, args in service_args.items()
        for problem in service_inputs.preflight(LatticeServiceSpec.model_validate(args))
    ] + resources.check(config, network)
    if problems:
        raise ConfigError(problems, source)

    provider = account_provider(stack, config, account, network["region"], network["tags"] or {})
    in_account = pulumi.ResourceOptions(providers={"aws": provider})

    joined: list[pulumi.Resource] = []
    if not account["inOrganization"]:
        joined.append(ShareAccepter(f"{config.account}-share", {"share_arn": network["shareArn"]}, opts=in_account))
    # Outside the organization the network is invisible until the share is accepted: the associations wait for
    # the acceptance, everything else in the account is created alongside it.
    services = {
        name: LatticeService(name, args, opts=in_account, join_after=joined) for name, args in service_args.items()
    }
    consumers = {}
    for consumer_name, consumer in config.consumers.items():
        if consumer.via == "endpoint":
            consumers[consumer_name] = resources.register_endpoint(consumer_name, consumer.component_args(), network, in_account, joined)
            continue
        consumers[consumer_name] = ConsumerVpcAttachment(
            consumer_name,
            {"service_network_arn": network["serviceNetworkArn"], "region": network["region"], **consumer.component_args()},
            opts=in_account,
            join_after=joined,
        )

    pulumi.export("account", config.account)
    pulumi.export("serviceNetworkArn", network["serviceNetworkArn"])
    pulumi.export("services", {
        name: {"arn": service.service_arn, "dnsName": service.dns_name} for name, service in services.items()
    })
    pulumi.export("consumers", {
        name: getattr(consumer, "association_id", None) or consumer.endpoint_id for name, consumer in consumers.items()
    })
    if config.resource_gateways or config.resource_configurations:
        pulumi.export("resources", resources.register(config, network, in_account, joined))
