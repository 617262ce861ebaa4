"""A per-account stack: the services and consumer VPCs one account contributes to the shared network.

Each account runs its own stack (`cd stacks && pulumi up -s orders-dev`) with its own credentials, so a
mistake in one account's config cannot touch another's resources. The program is asynchronous because it
reads the network stack's outputs as plain values first: whether the account must accept the RAM share and
which role to assume are decisions, and a decision taken inside `apply` would hide resources from preview.
"""

from __future__ import annotations

import functools
from typing import Any

import pulumi
import pulumi_aws as aws

from ..inputs import account_inputs, service_inputs
from ..config import AccountStackConfig, LatticeServiceSpec, LatticeTargetGroupSpec, parse, read_raw
from ..components.consumer_vpc import ConsumerVpcAttachment
from ..config import ConfigError
from ..components.lattice_service import LatticeService
from ..components.target_group import LatticeTargetGroup
from ..components.share_accepter import ShareAccepter
from . import resources
from .providers import deploy_role

NETWORK_OUTPUTS = ("serviceNetworkArn", "serviceNetworkName", "shareArn", "region", "accounts", "tags", "organizationArn")
"""The network stack outputs this program reads (see `network.exports`)."""


NETWORK_PROJECT = "lattice-network"
"""The shared-network project's name (the root `Pulumi.yaml`): the middle part of its stack references."""


def stack_environment(stack: str, account: str) -> str | None:
    """The environment an account stack belongs to by its name, `<account>-<env>`: `orders-eu-dev` of account
    `orders` is in `eu-dev`. The account comes from the stack's own `lattice:account`, so the split is never a
    guess from a suffix two environments share (`dev` and `eu-dev`); a name that does not start with
    `<account>-` has no environment by name (and must name its network in `lattice:networkStack`)."""
    prefix = f"{account}-"
    return stack[len(prefix):] if stack.startswith(prefix) and len(stack) > len(prefix) else None


def default_network_stack(stack: str, account: str, organization: str | None) -> str | None:
    """`<org>/lattice-network/<env>`: `org` is `pulumi.get_organization()` (the literal `organization` on the
    self-managed backends, the organization on Pulumi Cloud), `env` is this stack's environment by name.
    None when the name gives no environment. `lattice:networkStack` overrides it."""
    env = stack_environment(stack, account)
    return f"{organization or 'organization'}/{NETWORK_PROJECT}/{env}" if env else None


def network_stack_problem(stack: str, account: str, reference: str) -> str | None:
    """Why `reference` is not this stack's network: the network of another environment than the one the stack's
    name puts it in (`orders-dev` joining `.../lattice-network/prod` would put dev's services in prod)."""
    env = stack_environment(stack, account)
    project, _, referenced_env = reference.rpartition("/")
    if env is None or project.rpartition("/")[2] != NETWORK_PROJECT or referenced_env == env:
        return None
    return (
        f"lattice:networkStack: {reference!r} is the network of environment {referenced_env!r}, but this stack "
        f"({stack}, account {account}) is of environment {env!r} by its name"
    )


def read_config(stack: str) -> tuple[AccountStackConfig, str]:
    source = f"stacks/Pulumi.{stack}.yaml"
    raw, problems = read_raw(AccountStackConfig)
    account = raw.get("account")
    if isinstance(account, str):
        if "networkStack" not in raw:
            default = default_network_stack(stack, account, pulumi.get_organization())
            if default is None:
                problems.append(
                    f"lattice:networkStack: is required: the stack name {stack!r} does not start with "
                    f"'{account}-' (lattice:account), so it names no environment; name the stack "
                    f"{account}-<env> or set lattice:networkStack"
                )
            else:
                raw["networkStack"] = default
        elif isinstance(raw["networkStack"], str):
            problem = network_stack_problem(stack, account, raw["networkStack"])
            if problem:
                problems.append(problem)
    parsed = parse(AccountStackConfig, raw, source, problems=problems)
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
    assume_roles = deploy_role(account["id"], config.deploy_role_name, f"lattice-{stack}")
    return aws.Provider(
        f"{config.account}-account",
        region=region,
        assume_roles=assume_roles,
        allowed_account_ids=[account["id"]],
        default_tags=aws.ProviderDefaultTagsArgs(tags={**network_tags, "LatticeAccount": config.account}),
    )


def services_args(config: AccountStackConfig, network: dict[str, Any]) -> tuple[dict[str, dict[str, Any]], list[str]]:
    """Each service's component args (the network joined unless `associate: false`, share principals resolved
    from the registry), and the problems of its share, as `lattice:<key path>: rule`."""
    accounts = network.get("accounts") or {}
    found: dict[str, dict[str, Any]] = {}
    problems: list[str] = []
    for name, service in config.services.items():
        args = {"name": name, **service.to_args()}
        if service.associate:
            args["service_network_arn"] = network["serviceNetworkArn"]
        if service.share is not None:
            principals, share_problems = account_inputs.share_principals(
                list(service.share.principals), accounts, service.share.allow_external_principals
            )
            args["share"] = {**args["share"], "principals": principals}
            problems += [f"lattice:services.{name}.share.principals{problem}" for problem in share_problems]
        found[name] = args
    return found, problems


def _arn_when_known(name: str, spec: Any, source: str, outputs: dict[str, Any]) -> str:
    """The ARN of stack group `name` once the outputs of its stack resolve; at `pulumi up` a missing output or key
    stops the program there, with the stack and the key named."""
    arn, problem = account_inputs.group_arn_from_outputs(outputs or {}, spec.stack, spec.output, spec.key)
    if problem:
        raise ConfigError([f"lattice:targetGroups.{name}.fromStack: {problem}"], source)
    return arn  # type: ignore[return-value]


async def groups_from_stacks(
    stack: str, config: AccountStackConfig, network_reference: pulumi.StackReference, source: str
) -> tuple[dict[str, Any], list[str]]:
    """(name -> ARN, problems) of the stack's target groups read `fromStack`: one StackReference per stack read
    (the network's own when a group is read from it), named after that stack as the network's is.

    The outputs of an existing stack are known at preview as at `up`: the ARN is then a plain value, checked here
    against the API model before any resource is registered, and a missing output or key is a problem naming them.
    Only a reference whose outputs are unknown (a stack the offline plan does not run) leaves the ARN an Output:
    the program says the check could not be decided, and makes it when the value resolves (`_arn_when_known`).
    """
    reads = config.groups_from_stacks()
    own = f"{pulumi.get_organization()}/{pulumi.get_project()}/{stack}"
    references = {config.network_stack: network_reference}
    arns: dict[str, Any] = {}
    problems: list[str] = []
    for name, spec in reads.items():
        where = f"lattice:targetGroups.{name}.fromStack"
        if spec.stack == own:
            problems.append(f"{where}.stack: {spec.stack} is this stack; forward to its own group by name instead")
            continue
        if spec.stack not in references:
            references[spec.stack] = pulumi.StackReference(spec.stack)
        outputs = references[spec.stack].outputs
        if await outputs.is_known():
            arn, problem = account_inputs.group_arn_from_outputs(await outputs.future() or {}, spec.stack, spec.output, spec.key)
            if problem:
                problems.append(f"{where}: {problem}")
            else:
                arns[name] = arn
            continue
        pulumi.log.warn(
            f"{where}: the outputs of stack {spec.stack} are unknown here, so whether {spec.output}.{spec.key} is a "
            "target group ARN the API takes could not be decided; it is checked when the reference resolves"
        )
        arns[name] = outputs.apply(functools.partial(_arn_when_known, name, spec, source))
    return arns, problems


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
    read_arns, problems = await groups_from_stacks(stack, config, reference, source)
    service_args, share_problems = services_args(config, network)
    problems += share_problems
    if problems:  # a share's principals or a group read from another stack did not resolve: no further check
        raise ConfigError(problems + resources.check(config, network), source)
    group_args = {
        name: {"name": name, **group.to_args()} for name, group in config.target_groups.items() if not group.created_elsewhere
    }
    references = {name: read_arns.get(name, group.arn) for name, group in config.target_groups.items()}
    # Written ARNs only: one read from another stack is not checked yet (README, "Target groups and services
    # beyond one service"), and the API refuses it at deploy.
    problems += account_inputs.foreign_group_problems({name: group.arn for name, group in config.target_groups.items()}, {
        f"lattice:services.{name}.{path}": target.target_group
        for name, service in config.services.items() for path, _, target in service.forwards()
    }, account["id"], network["region"])
    stand_ins = account_inputs.group_identifiers(references, {name: account_inputs.stand_in_id(name) for name in group_args})
    # Every service and target group checked against the AWS API model before the first resource is registered.
    problems += [
        f"lattice:targetGroups.{name}.{problem}"
        for name, args in group_args.items()
        for problem in service_inputs.target_group_preflight(LatticeTargetGroupSpec.model_validate(args))
    ] + [
        f"lattice:services.{name}.{problem}"
        for name, args in service_args.items()
        for problem in service_inputs.preflight(
            LatticeServiceSpec.model_validate(account_inputs.with_group_identifiers(args, stand_ins))
        )
    ] + resources.check(config, network)
    if problems:
        raise ConfigError(problems, source)
    for name in config.unused_target_groups():
        pulumi.log.warn(f"lattice:targetGroups.{name}: no service of this stack forwards to it (fine while it is "
                        "prepared for a traffic shift, or forwarded to by ARN from another stack)")

    provider = account_provider(stack, config, account, network["region"], network["tags"] or {})
    in_account = pulumi.ResourceOptions(providers={"aws": provider})

    joined: list[pulumi.Resource] = []
    if not account["inOrganization"]:
        joined.append(ShareAccepter(f"{config.account}-share", {"share_arn": network["shareArn"]}, opts=in_account))
    # Outside the organization the network is invisible until the share is accepted: the associations wait for
    # the acceptance, everything else in the account is created alongside it.
    stack_groups = {name: LatticeTargetGroup(name, args, opts=in_account) for name, args in group_args.items()}
    identifiers = account_inputs.group_identifiers(references, {name: g.target_group_id for name, g in stack_groups.items()})
    services = {
        name: LatticeService(name, account_inputs.with_group_identifiers(args, identifiers), opts=in_account, join_after=joined)
        for name, args in service_args.items()
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
    if config.target_groups:  # what other stacks forward to by ARN (a StackReference output)
        pulumi.export("targetGroups", {
            name: stack_groups[name].target_group_arn if name in stack_groups else arn for name, arn in references.items()
        })
    if read_arns:  # where each group read from another stack comes from; `lattice plan` names it in its notes
        pulumi.export("targetGroupsFromStacks", {
            name: {"stack": spec.stack, "output": spec.output, "key": spec.key} for name, spec in config.groups_from_stacks().items()
        })
    pulumi.export("consumers", {
        name: getattr(consumer, "association_id", None) or consumer.endpoint_id for name, consumer in consumers.items()
    })
    if config.resource_gateways or config.resource_configurations:
        pulumi.export("resources", resources.register(config, network, in_account, joined))
    if config.callers:  # read by `lattice plan`'s access matrix; nothing is deployed from it
        pulumi.export("callers", {role: caller.export(account["id"], role) for role, caller in config.callers.items()})
