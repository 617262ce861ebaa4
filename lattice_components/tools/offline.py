"""Run this repository's Pulumi programs offline, under the Pulumi SDK's own mock monitor.

The Pulumi CLI, its language host and the AWS provider are Go binaries that cannot be installed everywhere
(CI forks, laptops without credentials, this project's test machines). The SDK's mock monitor is the seam the
SDK offers for that: the program runs unchanged, every resource registration reaches `LatticeMocks`, which
answers with the IDs and ARNs AWS would compute. `RecordingMonitor` also keeps what the engine would see of
each registration (parent, provider, dependencies, `protect`), which the plan report, the policy pack and the
deploy-path benchmark need.

Used by the tests and by `lattice plan`; nothing here is imported by the programs themselves.
"""

from __future__ import annotations

import hashlib
import inspect
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable

import pulumi
from pulumi.output import Unknown
from pulumi.runtime import mocks as pulumi_mocks
from pulumi.runtime import rpc
from pulumi.runtime.settings import set_root_resource

from ..config import ConfigError
from ..config.auth_policy_specs import stack_directory
from . import stack_order
from .environments import (  # noqa: F401 (re-exported: callers read environments through `offline`)
    ACCOUNT_PROJECT,
    ACCOUNT_STACKS_DIR,
    REPO_ROOT,
    AccountStack,
    account_stack_files,
    account_stacks,
    default_organization,
    environments,
    load_stack_file,
    network_stack_file,
    not_this_repositorys_network,
    orphan_problems,
)

NETWORK_PROJECT = "lattice-network"


@dataclass
class RegisteredResource:
    """One resource registration, as the engine would receive it."""

    type: str
    name: str
    urn: str
    inputs: dict[str, Any]
    custom: bool
    parent: str = ""
    provider: str = ""
    dependencies: list[str] = field(default_factory=list)
    property_dependencies: dict[str, list[str]] = field(default_factory=dict)
    protect: bool = False
    id: str = ""
    state: dict[str, Any] = field(default_factory=dict)


@dataclass
class ProgramRun:
    """What one stack's program registered and exported."""

    project: str
    stack: str
    resources: list[RegisteredResource]
    outputs: dict[str, Any]
    reads: list[str] = field(default_factory=list)
    """URNs of the resources it read rather than registered (its `pulumi.StackReference`s)."""

    def of_type(self, type_token: str) -> list[RegisteredResource]:
        return [resource for resource in self.resources if resource.type == type_token]

    def named(self, name: str) -> RegisteredResource:
        matches = [resource for resource in self.resources if resource.name == name]
        if len(matches) != 1:
            raise KeyError(f"{len(matches)} resources named {name!r} in {self.project}/{self.stack}")
        return matches[0]


UNKNOWN_OUTPUTS = stack_order.UNKNOWN_OUTPUTS
"""In `stack_outputs`: the referenced stack's outputs are unknown (it is outside what the plan runs)."""


def _fake_id(prefix: str, name: str) -> str:
    """A deterministic ID in the API's format (`svc-` + 17 lowercase hex characters), stable across runs."""
    return prefix + hashlib.sha256(name.encode()).hexdigest()[:17]


class LatticeMocks(pulumi.runtime.Mocks):
    """Answers registrations with the IDs and computed outputs AWS would return, in one account and region.

    `stack_outputs` feeds `pulumi.StackReference`: it maps a referenced stack name to its outputs; a name not in
    it fails the run, as a reference to a stack that does not exist fails `pulumi up`. Outputs given as
    `UNKNOWN_OUTPUTS` are unknown (a stack the plan does not run; the program runs as a preview then).
    """

    def __init__(self, account_id: str, region: str, stack_outputs: dict[str, dict[str, Any]] | None = None):
        self.account_id = account_id
        self.region = region
        self.stack_outputs = stack_outputs or {}

    def _arn(self, kind: str, resource_id: str) -> str:
        return f"arn:aws:vpc-lattice:{self.region}:{self.account_id}:{kind}/{resource_id}"

    def new_resource(self, args: pulumi.runtime.MockResourceArgs) -> tuple[str | None, dict[str, Any]]:
        state = dict(args.inputs)
        kind = args.typ
        if kind == "pulumi:pulumi:StackReference":
            if args.name not in self.stack_outputs:
                raise KeyError(f"stack {args.name!r} does not exist (known: {sorted(self.stack_outputs)})")
            outputs = self.stack_outputs[args.name]
            return args.name, {"name": args.name, "outputs": rpc.UNKNOWN if outputs is UNKNOWN_OUTPUTS else outputs,
                               "secretOutputNames": []}
        if kind.startswith("pulumi:providers:"):
            return _fake_id("provider-", args.name), state
        prefixes = {
            "aws:vpclattice/serviceNetwork:ServiceNetwork": ("sn-", "servicenetwork"),
            "aws:vpclattice/service:Service": ("svc-", "service"),
            "aws:vpclattice/targetGroup:TargetGroup": ("tg-", "targetgroup"),
            "aws:vpclattice/serviceNetworkVpcAssociation:ServiceNetworkVpcAssociation": ("snva-", "servicenetworkvpcassociation"),
            "aws:vpclattice/serviceNetworkServiceAssociation:ServiceNetworkServiceAssociation": ("snsa-", "servicenetworkserviceassociation"),
            "aws:vpclattice/accessLogSubscription:AccessLogSubscription": ("als-", "accesslogsubscription"),
            "aws:vpclattice/resourceGateway:ResourceGateway": ("rgw-", "resourcegateway"),
            "aws:vpclattice/resourceConfiguration:ResourceConfiguration": ("rcfg-", "resourceconfiguration"),
            "aws:vpclattice/serviceNetworkResourceAssociation:ServiceNetworkResourceAssociation": ("snra-", "servicenetworkresourceassociation"),
        }
        if kind in prefixes:
            prefix, arn_kind = prefixes[kind]
            resource_id = _fake_id(prefix, args.name)
            state.update(id=resource_id, arn=self._arn(arn_kind, resource_id))
            if kind == "aws:vpclattice/service:Service":
                state["dnsEntries"] = [{
                    "domainName": f"{args.inputs.get('name', args.name)}-{resource_id[4:]}.7d67968.vpc-lattice-svcs.{self.region}.on.aws",
                    "hostedZoneId": "Z0123456789ABCDEFGHIJ",
                }]
            return resource_id, state
        if kind == "aws:vpclattice/listener:Listener":
            listener_id = _fake_id("listener-", args.name)
            state.update(listenerId=listener_id, arn=self._arn("service/svc-x/listener", listener_id))
            return listener_id, state
        if kind == "aws:vpclattice/listenerRule:ListenerRule":
            rule_id = _fake_id("rule-", args.name)
            state.update(ruleId=rule_id, arn=self._arn("service/svc-x/listener/listener-x/rule", rule_id))
            return rule_id, state
        if kind == "aws:ram/resourceShare:ResourceShare":
            share_arn = f"arn:aws:ram:{self.region}:{self.account_id}:resource-share/{_fake_id('', args.name)}"
            state.update(arn=share_arn)
            return share_arn, state
        if kind == "aws:ram/resourceShareAccepter:ResourceShareAccepter":
            state.update(shareId=_fake_id("rs-", args.name), status="ACTIVE")
            return _fake_id("rsa-", args.name), state
        if kind == "aws:ec2/vpcEndpoint:VpcEndpoint":
            endpoint_id = _fake_id("vpce-", args.name)
            state.update(arn=f"arn:aws:ec2:{self.region}:{self.account_id}:vpc-endpoint/{endpoint_id}")
            return endpoint_id, state
        if kind == "aws:ec2/securityGroup:SecurityGroup":
            group_id = _fake_id("sg-", args.name)
            state.update(arn=f"arn:aws:ec2:{self.region}:{self.account_id}:security-group/{group_id}")
            return group_id, state
        if kind in ("aws:iam/role:Role", "aws:iam/openIdConnectProvider:OpenIdConnectProvider"):
            # IAM ARNs have no region; the bootstrap's trust policies name them.
            path = f"role/{args.inputs.get('name', args.name)}" if kind.endswith(":Role") else (
                f"oidc-provider/{str(args.inputs.get('url', '')).removeprefix('https://')}")
            state.update(arn=f"arn:aws:iam::{self.account_id}:{path}")
            return args.inputs.get("name", args.name), state
        if kind == "aws:cloudwatch/logGroup:LogGroup":
            state.update(arn=f"arn:aws:logs:{self.region}:{self.account_id}:log-group:{args.inputs.get('name', args.name)}")
            return args.inputs.get("name", args.name), state
        return _fake_id("", args.name), state

    def call(self, args: pulumi.runtime.MockCallArgs) -> dict[str, Any]:
        if args.token == "aws:ec2/getManagedPrefixList:getManagedPrefixList":
            return {"id": _fake_id("pl-", str(args.args.get("name"))), "name": args.args.get("name"), "entries": []}
        if args.token == "aws:index/getRegion:getRegion":
            return {"name": self.region, "region": self.region, "id": self.region}
        if args.token == "aws:index/getCallerIdentity:getCallerIdentity":
            return {"accountId": self.account_id, "arn": f"arn:aws:iam::{self.account_id}:root", "userId": "offline"}
        raise NotImplementedError(f"no offline answer for invoke {args.token}")


class RecordingMonitor(pulumi_mocks.MockMonitor):
    """The SDK's mock monitor, keeping the parts of each registration that `Mocks` does not receive."""

    def __init__(self, mocks: pulumi.runtime.Mocks):
        super().__init__(mocks)
        self.registrations: list[RegisteredResource] = []
        self.reads: list[str] = []

    def ReadResource(self, request):  # noqa: N802 (gRPC method name)
        response = super().ReadResource(request)
        self.reads.append(response.urn)
        return response

    def RegisterResource(self, request):  # noqa: N802 (gRPC method name)
        response = super().RegisterResource(request)
        if request.type != "pulumi:pulumi:Stack":
            registration = self.resources[response.urn]
            self.registrations.append(RegisteredResource(
                type=request.type,
                name=request.name,
                urn=response.urn,
                inputs=rpc.deserialize_properties(request.object),
                custom=request.custom,
                parent=request.parent,
                provider=request.provider,
                dependencies=list(request.dependencies),
                property_dependencies={key: list(value.urns) for key, value in request.propertyDependencies.items()},
                protect=bool(request.protect),
                id=registration.id or "",
                state=dict(registration.state or {}),
            ))
        return response


def _plain(value: Any) -> Any:
    return value if isinstance(value, str) else json.dumps(value)


def run_program(
    program: Callable[[], Any],
    *,
    project: str,
    stack: str,
    config: dict[str, Any],
    account_id: str,
    region: str,
    stack_outputs: dict[str, dict[str, Any]] | None = None,
    preview: bool = False,
    organization: str | None = None,
    secret_keys: list[str] | None = None,
) -> ProgramRun:
    """Run one stack's program under the mock monitor and return what it registered and exported.

    `config` maps full keys (`lattice:services`, `aws:region`) to values as a stack file holds them. Errors the
    program raises (a `ConfigError` for bad config) propagate unchanged. `organization` is what
    `pulumi.get_organization()` answers (default: `organization`, as on a self-managed backend); `secret_keys`
    the keys the CLI would mark secret (`pulumi config set --secret`).
    """
    mocks = LatticeMocks(account_id, region, stack_outputs)
    monitor = RecordingMonitor(mocks)
    set_root_resource(None)  # every run is a fresh stack, as every `pulumi up` is
    pulumi.runtime.set_all_config({key: _plain(value) for key, value in config.items()}, list(secret_keys or []))
    pulumi.runtime.set_mocks(
        mocks, project=project, stack=stack, preview=preview, monitor=monitor,
        organization=organization or default_organization(),
    )
    root = pulumi.runtime.get_root_resource()
    exported: dict[str, Any] = {}

    async def drive() -> None:
        result = program()
        if inspect.isawaitable(result):
            await result
        # Each output on its own, unknowns kept (a preview's): one unknown value must not hide the others.
        for key, value in dict(root.outputs).items():
            exported[key] = await pulumi.Output.from_input(value).future(with_unknowns=True)

    # A program run on its own (not through run_network_stack/run_account_stack) reads this checkout's files.
    directory = REPO_ROOT / ACCOUNT_STACKS_DIR if project == ACCOUNT_PROJECT else REPO_ROOT
    try:
        with stack_directory(directory, unless_set=True):
            pulumi.runtime.test(drive)()
    except Exception as error:
        # Kept on the error so a test can prove that bad config stopped the program before any registration.
        error.registrations = list(monitor.registrations)  # type: ignore[attr-defined]
        raise
    return ProgramRun(project=project, stack=stack, resources=list(monitor.registrations), outputs=exported, reads=list(monitor.reads))


def _network_owner_id(config: dict[str, Any]) -> str:
    """The network account's ID, for the ARNs the mocks compute. Malformed config is left for the program to
    report with its key path, so this only falls back."""
    accounts = config.get("lattice:accounts")
    owner = accounts.get(config.get("lattice:networkAccount")) if isinstance(accounts, dict) else None
    return str(owner["id"]) if isinstance(owner, dict) and owner.get("id") else "000000000000"


def run_network_stack(
    env: str, root: Path = REPO_ROOT, config: dict[str, Any] | None = None, organization: str | None = None
) -> ProgramRun:
    """The shared-network stack `env`, as `pulumi up -s <env>` at the repository root runs it."""
    from ..programs import network

    config = config if config is not None else load_stack_file(network_stack_file(env, root), root)
    with stack_directory(root):  # where `authPolicyFile` paths start, as under the CLI (the project directory)
        return run_program(
            network.main,
            project=NETWORK_PROJECT,
            stack=env,
            config=config,
            account_id=_network_owner_id(config),
            region=str(config.get("aws:region", "us-east-1")),
            organization=organization,
        )


def run_account_stack(
    stack: str,
    network_outputs: dict[str, Any],
    network_stack_name: str,
    root: Path = REPO_ROOT,
    config: dict[str, Any] | None = None,
    organization: str | None = None,
    other_stacks: dict[str, Any] | None = None,
) -> ProgramRun:
    """One account stack, its StackReference `network_stack_name` answered with the network stack's exports, and
    those to `other_stacks` (the stacks its target groups are read from) with theirs, or `UNKNOWN_OUTPUTS`.

    With an unknown reference the stack runs as a preview: what derives from it stays unknown, recorded as the
    engine and the pack see it (`rpc.UNKNOWN`), and everything else is planned as usual."""
    from ..programs import account

    path = root / ACCOUNT_STACKS_DIR / f"Pulumi.{stack}.yaml"
    config = config if config is not None else load_stack_file(path, root)
    entry = (network_outputs.get("accounts") or {}).get(config.get("lattice:account"), {})
    others = dict(other_stacks or {})
    preview = any(outputs is UNKNOWN_OUTPUTS for outputs in others.values())
    with stack_directory(root / ACCOUNT_STACKS_DIR):
        run = run_program(
            account.main,
            project=ACCOUNT_PROJECT,
            stack=stack,
            config=config,
            account_id=str(entry.get("id", "000000000000")),
            region=str(network_outputs.get("region", "us-east-1")),
            stack_outputs={**others, network_stack_name: network_outputs},
            organization=organization,
            preview=preview,
        )
    return _as_the_engine_sees(run) if preview else run


def _unknowns_as_sentinel(value: Any) -> Any:
    if isinstance(value, Unknown):
        return rpc.UNKNOWN
    if isinstance(value, dict):
        return {key: _unknowns_as_sentinel(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_unknowns_as_sentinel(item) for item in value]
    return value


def _as_the_engine_sees(run: ProgramRun) -> ProgramRun:
    """A preview's run with its unknowns as the string the engine sends for them: what the pack receives, and a
    value the report can print the same in every run."""
    for resource in run.resources:
        resource.inputs = _unknowns_as_sentinel(resource.inputs)
        resource.state = _unknowns_as_sentinel(resource.state)
    run.outputs = _unknowns_as_sentinel(run.outputs)
    return run


def check_account_config(
    stack: str, config: dict[str, Any], organization: str | None = None, root: Path = REPO_ROOT
) -> None:
    """Run only the account program's config reading (no network to read): its `ConfigError`, if any.
    For the plan of an environment whose network stack's own config is invalid."""
    from ..programs import account

    with stack_directory(root / ACCOUNT_STACKS_DIR):
        run_program(
            lambda: account.read_config(stack), project=ACCOUNT_PROJECT, stack=stack, config=config,
            account_id="000000000000", region="us-east-1", organization=organization,
        )


@dataclass
class EnvironmentRun:
    """The network stack and every account stack of one environment."""

    env: str
    network: ProgramRun
    accounts: list[ProgramRun]

    @property
    def runs(self) -> list[ProgramRun]:
        return [self.network, *self.accounts]


def combine(errors: list[ConfigError], env: str, note: str = "") -> ConfigError:
    """One error for every file of an environment: a single file's error as it is, several as one line per
    problem, each naming its file."""
    if len(errors) == 1 and not note:
        return errors[0]
    lines = list(dict.fromkeys(f"{error.source}: {problem}" for error in errors for problem in error.problems))
    return ConfigError(lines, f"{len(errors)} stack files of environment {env}{note}")


def run_environment(env: str, root: Path = REPO_ROOT, organization: str | None = None) -> EnvironmentRun:
    """Run the network stack of `env`, then each account stack fed its real exports, in deploy order.

    Each account stack's `StackReference` is answered only under the name its own config gives (explicit or
    the program's default), and only when that names `env`'s network stack. Every file's problems are
    collected and raised as one `ConfigError` after the last stack ran.
    """
    from ..programs.account import NETWORK_PROJECT

    organization = organization or default_organization()
    envs = environments(root)
    if env not in envs:
        raise ConfigError(
            [f"no network stack file Pulumi.{env}.yaml: the environments are {', '.join(envs) or 'none'}"], str(root)
        )
    errors: list[ConfigError] = []
    try:
        network: ProgramRun | None = run_network_stack(env, root, organization=organization)
    except ConfigError as error:
        errors.append(error)
        network = None
    own_network = f"{organization}/{NETWORK_PROJECT}/{env}"
    entries = account_stacks(env, root, organization)
    runnable = [entry.stack for entry in entries if entry.config is not None]
    order = stack_order.schedule(runnable, {entry.stack: entry.config or {} for entry in entries}, organization)
    # Stacks that read target groups from others run after them (waves); the results keep the files' order.
    position = {stack: (wave, index) for wave, stacks in enumerate(order.waves) for index, stack in enumerate(stacks)}
    outcomes: dict[str, ProgramRun | ConfigError | None] = {}
    finished: dict[str, dict[str, Any] | None] = {}
    for entry in sorted(entries, key=lambda e: position.get(e.stack, (len(order.waves), 0))):
        try:
            if entry.error is not None:
                raise entry.error
            if entry.reference is not None and entry.reference_env is None:
                raise not_this_repositorys_network(entry, root, organization, envs)
            assert entry.config is not None
            if entry.stack in order.problems:
                raise ConfigError(order.problems[entry.stack], str(entry.path.relative_to(root)))
            if network is None:
                check_account_config(entry.stack, entry.config, organization, root)
                outcomes[entry.stack] = None
                continue
            outputs = network.outputs if entry.reference == own_network else {}
            reference = entry.reference or own_network
            others, problems = stack_order.other_stacks(entry.config, organization, reference, runnable, finished)
            if problems:
                raise ConfigError(problems, str(entry.path.relative_to(root)))
            run = run_account_stack(entry.stack, outputs, reference, root, entry.config, organization, others)
            outcomes[entry.stack], finished[entry.stack] = run, run.outputs
        except ConfigError as error:
            outcomes[entry.stack] = error
    accounts = [outcome for entry in entries if isinstance(outcome := outcomes.get(entry.stack), ProgramRun)]
    errors += [outcome for entry in entries if isinstance(outcome := outcomes.get(entry.stack), ConfigError)]
    errors.extend(orphan_problems(root, organization))
    if errors:
        note = " (account stacks checked without the network's outputs)" if network is None and len(errors) > 1 else ""
        raise combine(errors, env, note)
    assert network is not None
    return EnvironmentRun(env=env, network=network, accounts=accounts)
