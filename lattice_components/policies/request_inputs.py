"""Each analyzer request decoded once, for every policy of the pack that looks at it.

pulumi-policy runs the policies of a pack one after another on one request (an `Analyze` of one resource, an
`AnalyzeStack` of a whole stack) and hands each policy its own freshly deserialized, proxied copy of the same
properties. That copy is the SDK's cost, paid by any pack of this shape. What our policies did next, each on its
own, was ours: unwrap the proxies into plain data (`policy_inputs.plain`) and, for stack policies, every resource
of the stack again. Here that is done once per request and shared: `resource()` for resource policies,
`stack()` for stack policies, which also indexes the stack's resources by type and URN once.

The SDK does not tell a policy which request it serves, so a request is recognized by the one object every
policy of it receives: each `report_violation` the SDK builds for a request closes over the same
`AnalyzeResponse`, the reply being collected. The decoded request is kept per thread (the SDK's gRPC server runs
each request on one worker thread), with a strong reference to that response (so no later response can reuse
its identity) and the resource's URN and type, or the stack's size, as a second check. A `report_violation`
that closes over no `AnalyzeResponse` (tests, any other caller) gets its own decode every time, as before.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Hashable
from typing import Any, TypeVar

from pulumi.runtime.proto import analyzer_pb2

from .policy_inputs import Resource, StackResources, from_policy_resource, from_validation_args

_decoded = threading.local()
T = TypeVar("T")


def request_of(report_violation: Callable[..., Any]) -> analyzer_pb2.AnalyzeResponse | None:
    """The `AnalyzeResponse` the SDK's `report_violation` appends to, or None if it closes over none."""
    code = getattr(report_violation, "__code__", None)
    cells = getattr(report_violation, "__closure__", None) or ()
    if code is None or "response" not in code.co_freevars:
        return None
    try:
        response = cells[code.co_freevars.index("response")].cell_contents
    except (IndexError, ValueError):  # ValueError: a cell not filled in yet
        return None
    return response if isinstance(response, analyzer_pb2.AnalyzeResponse) else None


def _once(slot: str, report_violation: Callable[..., Any], check: Hashable, decode: Callable[[], T]) -> T:
    """`decode()` once per request (per `slot`): later policies of the same request get the same value."""
    response = request_of(report_violation)
    if response is None:
        return decode()
    kept = getattr(_decoded, slot, None)
    if kept is not None and kept[0] is response and kept[1] == check:
        return kept[2]
    value = decode()
    setattr(_decoded, slot, (response, check, value))
    return value


def resource(args: Any, report_violation: Callable[..., Any]) -> Resource:
    """The resource of a `ResourceValidationArgs` as plain data, decoded once per `Analyze` request."""
    return _once("resource", report_violation, (args.urn, args.resource_type), lambda: from_validation_args(args))


def stack(args: Any, report_violation: Callable[..., Any]) -> StackResources:
    """The resources of a `StackValidationArgs` as plain data, decoded and indexed once per `AnalyzeStack`.

    In the order the SDK lists them, so `zip(args.resources, stack(...))` pairs each with its decoded self.
    """
    resources = args.resources
    return _once(
        "stack", report_violation, len(resources),
        lambda: StackResources(from_policy_resource(resource) for resource in resources),
    )
