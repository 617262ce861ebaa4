"""Part 3: the longest chain of creations a `pulumi up` of the environment waits through, against the chain the
VPC Lattice API itself imposes, from the registrations the programs recorded.

What the engine waits for before it creates a custom resource R (Python SDK, `pulumi/runtime/resource.py`
`prepare_resource`): the resources behind R's inputs and its `depends_on` (`dependencies`; a component there
stands for its custom descendants, which the SDK expands itself, `rpc._add_dependency`), R's provider, and
R's parent's URN. A component's URN resolves only once its own registration is answered, and that
registration waited for the component's own `depends_on` first. So a component's dependencies hold back every
descendant, while being siblings under one component orders nothing. Components, providers and stack
references take no time; each AWS creation counts 1.

The API's own order is a table of which inputs name another resource that must already exist
(`API_REFERENCES`), plus one rule no input shows: in an account outside the organization a service-network
association needs the RAM share accepted first. Across stacks both models agree: the network stack is deployed
(`pulumi up` finished) before any account stack starts, so the environment's chain is the network stack's plus
the longest account stack's (account stacks deployed in parallel; the README's loop runs them one by one).
"""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Callable, Iterable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Any

from lattice_components.tools import offline
from lattice_components.tools.offline import ProgramRun, RegisteredResource

VPCLATTICE = "aws:vpclattice/"
ACCEPTER = "aws:ram/resourceShareAccepter:ResourceShareAccepter"
SERVICE_ASSOCIATION = "aws:vpclattice/serviceNetworkServiceAssociation:ServiceNetworkServiceAssociation"
VPC_ASSOCIATION = "aws:vpclattice/serviceNetworkVpcAssociation:ServiceNetworkVpcAssociation"

API_REFERENCES: dict[str, tuple[str, ...]] = {
    "aws:vpclattice/authPolicy:AuthPolicy": ("resourceIdentifier",),
    "aws:vpclattice/targetGroupAttachment:TargetGroupAttachment": ("targetGroupIdentifier",),
    "aws:vpclattice/listener:Listener": ("serviceIdentifier", "defaultAction"),
    "aws:vpclattice/listenerRule:ListenerRule": ("serviceIdentifier", "listenerIdentifier", "action"),
    SERVICE_ASSOCIATION: ("serviceIdentifier", "serviceNetworkIdentifier"),
    VPC_ASSOCIATION: ("serviceNetworkIdentifier", "securityGroupIds"),
    "aws:vpclattice/accessLogSubscription:AccessLogSubscription": ("resourceIdentifier", "destinationArn"),
    "aws:ram/resourceAssociation:ResourceAssociation": ("resourceArn", "resourceShareArn"),
    "aws:ram/principalAssociation:PrincipalAssociation": ("resourceShareArn",),
    ACCEPTER: ("shareArn",),
}
"""For each type, the inputs that name a resource the API requires to exist already (`CreateListener` needs the
service and every target group its default action forwards to, ...). Types not listed need nothing."""

NEEDS_ACCEPTED_SHARE = (SERVICE_ASSOCIATION, VPC_ASSOCIATION)
"""Outside the organization the network is invisible to the account until it accepts the share."""


def takes_time(resource: RegisteredResource) -> bool:
    """An AWS creation: not a component, a provider or a stack reference."""
    return resource.custom and resource.type.startswith("aws:")


def _short(resource: RegisteredResource) -> str:
    return f"{resource.type.rsplit(':', 1)[-1]} {resource.name}"


@dataclass
class Graph:
    """The wait edges of one stack, custom resources only (`waits[urn]` = URNs it waits for)."""

    resources: dict[str, RegisteredResource]
    waits: dict[str, set[str]]

    def longest(self) -> tuple[int, list[str]]:
        """(number of creations, URNs of the chain) of the longest weighted path."""
        finish: dict[str, int] = {}
        previous: dict[str, str | None] = {}
        order = _topological(self.waits)
        for urn in order:
            best, before = 0, None
            for waited in self.waits[urn]:
                if finish[waited] > best:
                    best, before = finish[waited], waited
            finish[urn] = best + (1 if takes_time(self.resources[urn]) else 0)
            previous[urn] = before
        if not finish:
            return 0, []
        end = max(finish, key=lambda urn: finish[urn])
        chain = []
        cursor: str | None = end
        while cursor is not None:
            if takes_time(self.resources[cursor]):
                chain.append(cursor)
            cursor = previous[cursor]
        return finish[end], chain[::-1]

    def closure(self) -> dict[str, set[str]]:
        """Everything each resource waits for, directly or not (creations only)."""
        reach: dict[str, set[str]] = {}
        for urn in _topological(self.waits):
            found: set[str] = set()
            for waited in self.waits[urn]:
                found |= reach[waited]
                if takes_time(self.resources[waited]):
                    found.add(waited)
            reach[urn] = found
        return reach


def _topological(waits: dict[str, set[str]]) -> list[str]:
    order, state = [], {}
    for start in waits:
        stack = [(start, iter(sorted(waits[start])))]
        if start in state:
            continue
        state[start] = 1
        while stack:
            node, children = stack[-1]
            child = next(children, None)
            if child is None:
                stack.pop()
                state[node] = 2
                order.append(node)
            elif state.get(child) is None:
                state[child] = 1
                stack.append((child, iter(sorted(waits[child]))))
            elif state[child] == 1:
                raise ValueError(f"dependency cycle through {child}")
    return order


def _descendants(resources: dict[str, RegisteredResource]) -> dict[str, set[str]]:
    children: dict[str, list[str]] = {}
    for urn, resource in resources.items():
        children.setdefault(resource.parent, []).append(urn)
    found: dict[str, set[str]] = {}

    def walk(urn: str) -> set[str]:
        if urn not in found:
            below: set[str] = set()
            for child in children.get(urn, []):
                below |= {child} | walk(child)
            found[urn] = below
        return found[urn]

    for urn in resources:
        walk(urn)
    return found


def engine_graph(run: ProgramRun) -> Graph:
    """What the engine waits for in `run`, as the SDK sequences registrations (see the module docstring)."""
    resources = {r.urn: r for r in run.resources}
    below = _descendants(resources)

    def expand(urns: Iterable[str]) -> set[str]:
        found: set[str] = set()
        for urn in urns:
            resource = resources.get(urn)
            if resource is None:
                continue  # another stack's resource: deployed before this stack started
            found |= {urn} if resource.custom else {d for d in below[urn] if resources[d].custom}
        return found

    registered: dict[str, set[str]] = {}  # what a resource's registration waits for, components included

    def held_back(urn: str) -> set[str]:
        if urn not in registered:
            resource = resources[urn]
            waits = expand(resource.dependencies)
            provider = resource.provider.rsplit("::", 1)[0] if resource.provider else ""
            if provider in resources:
                waits.add(provider)
            if resource.parent in resources:
                waits |= held_back(resource.parent)
                if resources[resource.parent].custom:
                    waits.add(resource.parent)
            registered[urn] = waits
        return registered[urn]

    customs = {urn: r for urn, r in resources.items() if r.custom}
    return Graph(customs, {urn: held_back(urn) & customs.keys() for urn in customs})


def api_graph(run: ProgramRun) -> Graph:
    """What the Lattice (and RAM, EC2) API requires to exist before each creation in `run`."""
    resources = {r.urn: r for r in run.resources if r.custom}
    accepters = [urn for urn, r in resources.items() if r.type == ACCEPTER]
    waits: dict[str, set[str]] = {}
    for urn, resource in resources.items():
        needed: set[str] = set()
        for key in API_REFERENCES.get(resource.type, ()):
            needed |= {dep for dep in resource.property_dependencies.get(key, ()) if dep in resources}
        if resource.type in NEEDS_ACCEPTED_SHARE:
            needed |= set(accepters)
        waits[urn] = needed
    return Graph(resources, waits)


@dataclass
class StackPath:
    stack: str
    program_length: int
    program_chain: list[str]
    api_length: int
    api_chain: list[str]
    extra: list[tuple[str, str]] = field(default_factory=list)
    """(waited-for, waiting) pairs the program orders and the API does not need, even transitively."""
    missing: list[tuple[str, str]] = field(default_factory=list)
    """(needed, needing) pairs the API needs and the program does not wait for: a deploy would race."""


def analyze_stack(run: ProgramRun) -> StackPath:
    program, api = engine_graph(run), api_graph(run)
    program_length, program_chain = program.longest()
    api_length, api_chain = api.longest()
    program_reach, api_reach = program.closure(), api.closure()
    extra = sorted(
        (waited, urn) for urn, waits in program.waits.items() if takes_time(program.resources[urn])
        for waited in program_reach[urn] if waited not in api_reach[urn] and waited in waits | _via_free(program, urn)
    )
    missing = sorted((needed, urn) for urn in api.waits for needed in api_reach[urn] if needed not in program_reach[urn])
    names = {urn: _short(r) for urn, r in program.resources.items()}
    return StackPath(
        stack=f"{run.project}/{run.stack}",
        program_length=program_length, program_chain=[names[u] for u in program_chain],
        api_length=api_length, api_chain=[names[u] for u in api_chain],
        extra=[(names[a], names[b]) for a, b in extra],
        missing=[(names[a], names[b]) for a, b in missing],
    )


def _via_free(graph: Graph, urn: str) -> set[str]:
    """Creations `urn` waits for through resources that take no time (a provider), i.e. directly in effect."""
    found: set[str] = set()
    frontier = [w for w in graph.waits[urn] if not takes_time(graph.resources[w])]
    while frontier:
        node = frontier.pop()
        for waited in graph.waits[node]:
            if takes_time(graph.resources[waited]):
                found.add(waited)
            else:
                frontier.append(waited)
    return found


def _pattern(pair: tuple[str, str]) -> str:
    return f"{pair[0].split(' ')[0]} -> {pair[1].split(' ')[0]}"


@dataclass
class EnvironmentPath:
    stacks: list[StackPath]

    @property
    def network(self) -> StackPath:
        return self.stacks[0]

    @property
    def slowest_account(self) -> StackPath:
        return max(self.stacks[1:], key=lambda s: (s.program_length, s.api_length))

    @property
    def program_length(self) -> int:
        return self.network.program_length + max(s.program_length for s in self.stacks[1:])

    @property
    def api_length(self) -> int:
        return self.network.api_length + max(s.api_length for s in self.stacks[1:])

    def extra_patterns(self) -> dict[str, int]:
        counts: dict[str, int] = {}
        for stack in self.stacks:
            for pair in stack.extra:
                counts[_pattern(pair)] = counts.get(_pattern(pair), 0) + 1
        return dict(sorted(counts.items(), key=lambda item: -item[1]))

    def missing(self) -> list[str]:
        return [f"{s.stack}: {a} before {b}" for s in self.stacks for a, b in s.missing]

    def summary(self) -> dict[str, Any]:
        api_slowest = max(self.stacks[1:], key=lambda s: s.api_length)
        return {
            "program_length": self.program_length,
            "api_length": self.api_length,
            "program_chain": self.network.program_chain + ["| network stack done |"] + self.slowest_account.program_chain,
            "program_chain_stack": self.slowest_account.stack,
            "api_chain": self.network.api_chain + ["| network stack done |"] + api_slowest.api_chain,
            "api_chain_stack": api_slowest.stack,
            "network_stack": {"program": self.network.program_length, "api": self.network.api_length},
            "stacks_longer_than_api": [s.stack for s in self.stacks if s.program_length > s.api_length],
            "extra_edges": self.extra_patterns(),
            "extra_examples": [f"{s.stack}: {a} before {b}" for s in self.stacks for a, b in s.extra][:6],
            "missing_edges": self.missing(),
            "sequential_accounts": {
                "program": self.network.program_length + sum(s.program_length for s in self.stacks[1:]),
                "api": self.network.api_length + sum(s.api_length for s in self.stacks[1:]),
            },
        }


def analyze(runs: Sequence[ProgramRun]) -> EnvironmentPath:
    """`runs`: the network stack first, then every account stack."""
    return EnvironmentPath([analyze_stack(run) for run in runs])


# ------------------------------------------------------------------------------------------------------------
# Cross-check: a deploy stepped wave by wave, sequenced by the SDK itself
# ------------------------------------------------------------------------------------------------------------


def waves(graph: Graph) -> dict[str, int]:
    """The wave each resource of `graph` is created in: 1 + the latest wave it waits for (free resources add 0)."""
    found: dict[str, int] = {}
    for urn in _topological(graph.waits):
        before = max((found[w] for w in graph.waits[urn]), default=0)
        found[urn] = before + (1 if takes_time(graph.resources[urn]) else 0)
    return found


class SequencingMismatch(AssertionError):
    """The SDK sequenced creations differently from what `engine_graph` computed."""


def simulate(program: Callable[[], Any], *, expected: ProgramRun, stall_seconds: float = 300.0, **run_args: Any) -> int:
    """Run `program` with every AWS creation held in the mocks until its wave is released; return the number of
    waves the SDK's own sequencing went through.

    `expected` is a recorded run of the same program: `engine_graph` of it says in which wave each creation
    belongs. Wave k is released (its creations answered) only once every creation of wave k has reached the
    mocks, and a creation is held until its wave is released. So the outcome is decided by what the SDK waits
    for, never by how fast the machine is:
      - a creation reaching the mocks while a wave it should wait for is still held proves the SDK waits for
        less than computed (`SequencingMismatch`);
      - a wave whose creations do not all arrive while every earlier wave is answered: the SDK waits for more
        than computed. Nothing else can release them, so the run is stuck; `stall_seconds` only bounds how
        long a stuck run takes to fail, it never decides a passing one.
    """
    graph = engine_graph(expected)
    wave_of_urn = waves(graph)
    expected_wave = {(r.type, r.name): wave_of_urn[r.urn] for r in graph.resources.values() if takes_time(r)}
    by_wave: dict[int, set[tuple[str, str]]] = {}
    for key, wave in expected_wave.items():
        by_wave.setdefault(wave, set()).add(key)
    last_wave = max(by_wave, default=0)
    state = threading.Condition()
    released = 0
    arrived: dict[tuple[str, str], int] = {}
    problems: list[str] = []

    class GatedMocks(offline.LatticeMocks):
        def new_resource(self, args):  # noqa: ANN001 (the SDK's MockResourceArgs)
            key = (args.typ, args.name)
            if args.custom and args.typ.startswith("aws:"):
                with state:
                    wave = expected_wave.get(key)
                    if wave is None:
                        problems.append(f"{_label(key)} was not in the recorded run")
                    elif wave > released + 1:
                        problems.append(f"{_label(key)} reached the engine while wave {released + 1} was held; "
                                        f"computed: wave {wave}")
                    arrived[key] = released + 1
                    state.notify_all()
                    state.wait_for(lambda: released >= arrived[key] or bool(problems))
            return super().new_resource(args)

    def release_waves() -> None:
        nonlocal released
        with state:
            for wave in sorted(by_wave):
                if not state.wait_for(lambda: by_wave[wave] <= arrived.keys() or bool(problems), stall_seconds):
                    missing = sorted(by_wave[wave] - arrived.keys())
                    problems.append(f"wave {wave}: {', '.join(map(_label, missing))} never reached the engine "
                                    f"while waves 1-{wave - 1} were created")
                if problems:
                    break
                released = wave
                state.notify_all()
            released = last_wave + 1  # let anything still held finish, so the program ends
            state.notify_all()

    def widened() -> Any:
        asyncio.get_running_loop().set_default_executor(ThreadPoolExecutor(max_workers=256))
        return program()

    controller = threading.Thread(target=release_waves, daemon=True)
    original = offline.LatticeMocks
    offline.LatticeMocks = GatedMocks  # run_program builds its mocks from this name
    controller.start()
    try:
        offline.run_program(widened, **run_args)
    finally:
        offline.LatticeMocks = original
        with state:
            if released <= last_wave:
                problems.append("the program ended before every wave was created")
            released = last_wave + 1
            state.notify_all()
        controller.join()
    if problems:
        raise SequencingMismatch("; ".join(problems))
    return max(arrived.values(), default=0)


def _label(key: tuple[str, str]) -> str:
    return f"{key[0].rsplit(':', 1)[-1]} {key[1]}"
