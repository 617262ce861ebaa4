"""Each analyzer request is decoded once for every policy of the pack, and that changes no verdict.

The pack runs here inside pulumi-policy's own analyzer servicer, in this process, so the SDK builds the
arguments and `report_violation`s it builds for the engine; the requests are the ones the analyzer client sends
the pack's process. The reference is the same servicer with sharing turned off (each policy decoding its own
copy, as before): every reply must be byte for byte the same, for the repository's environments as they are
and with each property of each resource hidden by preview in turn.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import pytest
from google.protobuf import empty_pb2
from hypothesis import given
from hypothesis import strategies as st
from pulumi import FileAsset, StringAsset
from pulumi_policy import EnforcementLevel, PolicyResource, StackValidationArgs
from pulumi_policy.deserialize import serialize_properties
from pulumi_policy.policy import _PolicyAnalyzerServicer
from pulumi_policy.proxy import UNKNOWN_NUMBER_VALUE, UNKNOWN_STRING_VALUE, unknown_checking_proxy
from pulumi.runtime.proto import analyzer_pb2

from lattice_components.policies import PACK_NAME, all_policies, request_inputs
from lattice_components.policies.policy_inputs import Resource, StackResources, of_type, plain
from lattice_components.tools import analyzer_client, plan
from lattice_components.tools.analyzer_client import UNKNOWN, PolicyPackProcess


class _DirectStub:
    """The analyzer stub's methods, answered by a servicer in this process; keeps every raw reply."""

    def __init__(self, servicer: _PolicyAnalyzerServicer) -> None:
        self.servicer, self.replies = servicer, []

    def __getattr__(self, method: str) -> Callable[..., Any]:
        def call(request: Any, timeout: float | None = None) -> Any:
            reply = getattr(self.servicer, method)(request, None)
            if method.startswith("Analyze"):
                self.replies.append(reply.SerializeToString(deterministic=True))
            return reply

        return call


class InProcessPack(PolicyPackProcess):
    """The lattice pack as the analyzer client sees it, served by pulumi-policy's servicer in this process."""

    def __init__(self) -> None:
        super().__init__(project="lattice", stack="dev")
        self._stub = _DirectStub(_PolicyAnalyzerServicer(PACK_NAME, "0.0.1", all_policies(), EnforcementLevel.ADVISORY))

    @property
    def replies(self) -> list[bytes]:
        return self._stub.replies


@pytest.fixture(scope="module")
def stacks(dev, prod) -> list[tuple[str, list[dict[str, Any]]]]:
    """(environment, the resources of one stack as the client sends them), for every stack of dev and prod."""
    return [(env_run.env, plan.pack_resources(run)) for env_run in (dev, prod) for run in env_run.runs]


def hidden_variants(resource: dict[str, Any]) -> Iterator[dict[str, Any]]:
    """The resource as it is, then with each of its properties unknown during preview in turn."""
    yield resource
    for key in sorted(resource.get("props") or {}):
        yield {**resource, "props": {**resource["props"], key: UNKNOWN}}


def analyze_everything(pack: InProcessPack, stacks: Sequence[tuple[str, list[dict[str, Any]]]]) -> list[bytes]:
    """Every variant of every resource through Analyze, then every stack through AnalyzeStack, each with its
    environment's policy config; the raw replies in order."""
    for env, resources in stacks:
        pack.configure(plan.policy_config(env))
        for resource in resources:
            for variant in hidden_variants(resource):
                pack.analyze(variant)
        pack.analyze_stack(resources)
        pack.analyze_stack([next(hidden_variants(r)) if i % 2 else {**r, "props": {}} for i, r in enumerate(resources)])
    return pack.replies


def test_sharing_the_decode_changes_no_reply_of_the_pack(stacks, monkeypatch):
    # GIVEN the pack as it runs, and the same pack with every policy decoding its own copy
    shared = analyze_everything(InProcessPack(), stacks)
    monkeypatch.setattr(request_inputs, "request_of", lambda report_violation: None)
    alone = analyze_everything(InProcessPack(), stacks)
    # THEN every reply is byte for byte the same
    assert shared == alone
    # AND the requests gave the policies something to say: violations, and unknowns they cannot decide on
    replies = [analyzer_pb2.AnalyzeResponse.FromString(reply) for reply in shared]
    messages = [d.message for reply in replies for d in reply.diagnostics]
    assert sum("can't run policy" in m for m in messages) > 10
    assert sum("can't run policy" not in m for m in messages) > 10


def test_a_resource_is_decoded_once_per_request_whatever_the_number_of_policies(stacks, monkeypatch):
    decoded: list[str] = []
    real = request_inputs.from_validation_args
    monkeypatch.setattr(request_inputs, "from_validation_args", lambda args: decoded.append(args.urn) or real(args))
    pack = InProcessPack()
    resources = [r for _, stack in stacks for r in stack]
    listeners = [r for r in resources if r.get("type") == "aws:vpclattice/listener:Listener"]
    assert listeners  # five policies look at a listener
    for resource in resources:
        decoded.clear()
        pack.analyze(resource)
        assert len(decoded) <= 1, (resource["type"], decoded)
    for listener in listeners:
        decoded.clear()
        pack.analyze(listener)
        assert decoded == [pack._urn(listener)]


def test_a_stack_is_decoded_once_per_request_for_every_stack_policy(stacks, monkeypatch):
    decoded: list[str] = []
    real = request_inputs.from_policy_resource
    monkeypatch.setattr(request_inputs, "from_policy_resource", lambda r: decoded.append(r.urn) or real(r))
    pack = InProcessPack()
    for _, resources in stacks:
        decoded.clear()
        pack.analyze_stack(resources)
        assert sorted(decoded) == sorted(pack._urn(r) for r in resources)


def test_the_same_resource_twice_in_a_row_is_judged_on_each_requests_own_properties():
    # GIVEN one service analyzed with authType AWS_IAM, then the same URN with authType NONE, on one thread
    pack = InProcessPack()
    service = {"type": "aws:vpclattice/service:Service", "name": "orders", "props": {"name": "orders", "authType": "AWS_IAM"}}
    first = pack.analyze(service)
    second = pack.analyze({**service, "props": {"name": "orders", "authType": "NONE"}})
    # THEN only the second is refused: nothing decoded for the first request leaks into the second
    assert "lattice-auth-type-not-none" not in {d.policy_name for d in first}
    assert "lattice-auth-type-not-none" in {d.policy_name for d in second}


def test_requests_served_on_concurrent_threads_get_the_replies_they_get_one_at_a_time(stacks):
    # GIVEN every resource of every stack, each both as it is and with its first property hidden
    requests = [variant for _, resources in stacks for r in resources for variant in list(hidden_variants(r))[:2]]
    sequential_pack, threaded_pack = InProcessPack(), InProcessPack()
    sequential = [sequential_pack.analyze(r) for r in requests]
    # WHEN four threads share one servicer, as the SDK's gRPC server runs it
    with ThreadPoolExecutor(max_workers=4) as pool:
        threaded = list(pool.map(threaded_pack.analyze, requests))
    # THEN each request gets its own verdicts
    assert threaded == sequential


def test_a_report_violation_that_closes_over_no_analyze_response_never_shares():
    reported: list[str] = []
    response = []  # a variable of that name, but not the SDK's reply

    def report(message: str, urn: str | None = None) -> None:
        response.append(message)

    assert request_inputs.request_of(report) is None
    assert request_inputs.request_of(lambda message, urn=None: reported.append(message)) is None
    assert request_inputs.request_of(print) is None


# -- the decode itself -------------------------------------------------------------------------------------------

_leaves = st.one_of(
    st.none(), st.booleans(), st.floats(allow_nan=False), st.text(max_size=8),
    st.sampled_from([UNKNOWN_STRING_VALUE, UNKNOWN_NUMBER_VALUE]),
    st.builds(StringAsset, st.text(max_size=8)), st.builds(FileAsset, st.just("/tmp/code.zip")),
)
_trees = st.recursive(_leaves, lambda inner: st.one_of(
    st.lists(inner, max_size=4), st.dictionaries(st.text(max_size=6), inner, max_size=4)), max_leaves=20)


@given(st.dictionaries(st.text(max_size=6), _trees, max_size=6))
def test_plain_is_the_sdks_own_unwrapping(props):
    # GIVEN any properties as the SDK proxies them (unknowns, assets, nesting)
    proxied = unknown_checking_proxy(props)
    # THEN the fast unwrapping gives exactly what the SDK's serialize_properties gives
    expected = dict(serialize_properties(proxied))
    assert plain(proxied) == expected
    assert json.dumps(plain(proxied), sort_keys=True) == json.dumps(expected, sort_keys=True)


_types = st.sampled_from(["a:A", "b:B", "c:C", "d:D"])


@given(st.lists(_types, max_size=30), st.lists(_types, min_size=1, max_size=3))
def test_the_stack_index_lists_what_a_filter_lists_in_stack_order(kinds, wanted):
    resources = [Resource(kind, f"r{i}", {}, f"urn:{i % 7}") for i, kind in enumerate(kinds)]
    indexed = StackResources(resources)
    assert of_type(indexed, *wanted) == of_type(resources, *wanted) == [r for r in resources if r.type in wanted]
    assert indexed.of_type(*wanted) == indexed.of_type(*wanted)  # the second answer comes from the index
    assert indexed.by_urn() == {r.urn: r for r in resources}


def test_the_decoded_stack_pairs_with_the_sdks_resources_in_order():
    resources = [
        PolicyResource(kind, unknown_checking_proxy({"n": float(i)}), f"urn:{i}", f"r{i}", None, None, None, [], {})
        for i, kind in enumerate(["x:X", "y:Y", "x:X"])
    ]
    decoded = request_inputs.stack(StackValidationArgs(resources), lambda message, urn=None: None)
    assert [(r.urn, d.urn, d.props) for r, d in zip(resources, decoded)] == [
        ("urn:0", "urn:0", {"n": 0.0}), ("urn:1", "urn:1", {"n": 1.0}), ("urn:2", "urn:2", {"n": 2.0})]


def test_the_in_process_pack_lists_the_policies_the_process_does():
    pack = InProcessPack()
    reply = pack.stub.GetAnalyzerInfo(empty_pb2.Empty())
    assert [p.name for p in reply.policies] == [p.name for p in all_policies()]
    assert analyzer_client.LEVEL_NAMES[reply.policies[0].enforcementLevel] == "mandatory"
