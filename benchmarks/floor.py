"""The SDK floor: the same `aws.*` resources a run registered, registered directly with pulumi-aws.

No components, no config schema, no validation, no decisions: each recorded custom resource (and explicit AWS
provider) is constructed from its recorded type, name and inputs, in the recorded order, under the same mocks.
Inputs that came from other resources' outputs are wired from those resources' outputs again (the recorded
`property_dependencies` say which), so the floor sends the engine exactly the same registrations, dependencies
included: `signature` proves it. What the floor does not pay for is precisely the program's own cost.
"""

from __future__ import annotations

import importlib
import json
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import cache
from typing import Any

import pulumi
from pulumi import _types

from lattice_components.tools.offline import ProgramRun, RegisteredResource

PROVIDER_TYPE = "pulumi:providers:aws"


def in_floor(resource: RegisteredResource) -> bool:
    """The resources a hand-written pulumi-aws program would construct: AWS resources and the AWS provider."""
    return resource.custom and (resource.type.startswith("aws:") or resource.type == PROVIDER_TYPE)


@cache
def resource_class(type_token: str) -> tuple[type, dict[str, str]]:
    """`aws:vpclattice/targetGroup:TargetGroup` -> (pulumi_aws.vpclattice.TargetGroup, {engine name: kwarg})."""
    if type_token == PROVIDER_TYPE:
        module, name = importlib.import_module("pulumi_aws"), "Provider"
    else:
        _, path, name = type_token.split(":")
        module = importlib.import_module(f"pulumi_aws.{path.split('/')[0]}")
    cls = getattr(module, name)
    args = getattr(module, f"{name}Args")
    to_kwarg = {engine: python for python, engine in _types.input_type_py_to_pulumi_names(args).items()}
    return cls, to_kwarg


def _provider_value(value: Any) -> Any:
    """Provider inputs travel JSON-encoded (`'["1234"]'`, `'false'`); the constructor takes the values."""
    if isinstance(value, str):
        try:
            decoded = json.loads(value)
        except ValueError:
            return value
        return decoded if isinstance(decoded, (list, dict, bool, int, float)) else value
    return value


def _outputs_of(dependency: RegisteredResource, made: pulumi.CustomResource) -> dict[str, pulumi.Output[Any]]:
    """The resolved identifiers of a dependency, mapped to the outputs that carry them in the floor."""
    found: dict[str, pulumi.Output[Any]] = {}
    if dependency.id:
        found[dependency.id] = made.id
    for attribute, key in (("arn", "arn"), ("listener_id", "listenerId")):
        value = dependency.state.get(key)
        if isinstance(value, str) and value and hasattr(made, attribute):
            found.setdefault(value, getattr(made, attribute))
    return found


def _wire(value: Any, outputs: dict[str, pulumi.Output[Any]], used: set[str]) -> Any:
    """`value` with every string that is a dependency's identifier replaced by that dependency's output."""
    if isinstance(value, str) and value in outputs:
        used.add(value)
        return outputs[value]
    if isinstance(value, dict):
        return {key: _wire(item, outputs, used) for key, item in value.items()}
    if isinstance(value, list):
        return [_wire(item, outputs, used) for item in value]
    return value


@dataclass
class FloorResource:
    """What the floor program needs to construct one resource; prepared before the clock starts."""

    resource: RegisteredResource
    cls: type
    kwargs: dict[str, Any]


def prepare(run: ProgramRun) -> list[FloorResource]:
    """The floor's constructor calls for one recorded run, in recorded order."""
    prepared = []
    for resource in run.resources:
        if not in_floor(resource):
            continue
        cls, to_kwarg = resource_class(resource.type)
        convert = _provider_value if resource.type == PROVIDER_TYPE else (lambda v: v)
        kwargs = {}
        for key, value in resource.inputs.items():
            if key not in to_kwarg:
                raise KeyError(f"{resource.type} has no input {key!r} (pulumi-aws {cls.__module__})")
            kwargs[to_kwarg[key]] = convert(value)
        prepared.append(FloorResource(resource, cls, kwargs))
    return prepared


def floor_program(
    run: ProgramRun, prepared: list[FloorResource] | None = None, components: bool = False
) -> Callable[[], None]:
    """A Pulumi program registering `run`'s AWS resources with pulumi-aws directly.

    `components=True` also registers the run's components (same type, name and parent, no outputs) and parents
    each resource as the program did: the floor plus the bare cost of having components, for attribution.
    """
    plan = prepared if prepared is not None else prepare(run)
    by_urn = {resource.urn: resource for resource in run.resources}
    shells = [r for r in run.resources if not r.custom] if components else []

    def program() -> None:
        made: dict[str, pulumi.CustomResource] = {}
        providers: dict[str, pulumi.ProviderResource] = {}
        parents: dict[str, pulumi.Resource] = {}
        for shell in shells:  # recorded order: a parent is registered before its children
            parent = parents.get(shell.parent)
            parents[shell.urn] = pulumi.ComponentResource(
                shell.type, shell.name, None, pulumi.ResourceOptions(parent=parent) if parent else None
            )
        for item in plan:
            resource = item.resource
            kwargs = dict(item.kwargs)
            wired: set[str] = set()
            for key, urns in resource.property_dependencies.items():
                if not urns:
                    continue
                outputs: dict[str, pulumi.Output[Any]] = {}
                for urn in urns:
                    outputs.update(_outputs_of(by_urn[urn], made[urn]))
                used: set[str] = set()
                kwarg = resource_class(resource.type)[1][key]
                value = _wire(kwargs[kwarg], outputs, used)
                carried = {urn for urn in urns for ident, out in _outputs_of(by_urn[urn], made[urn]).items() if ident in used}
                missing = [made[urn] for urn in urns if urn not in carried]
                if missing:
                    # The value came from these resources without naming them (a policy document, say): carry
                    # the dependency the way a program would, through an output of theirs.
                    value = pulumi.Output.all(value, *(dependency.id for dependency in missing)).apply(lambda v: v[0])
                kwargs[kwarg] = value
                wired.update(urns)
            explicit = [made[urn] for urn in resource.dependencies if urn not in wired]
            provider = next((p for urn, p in providers.items() if resource.provider.startswith(urn + "::")), None)
            opts = pulumi.ResourceOptions(
                depends_on=explicit or None, provider=provider, protect=resource.protect or None,
                parent=parents.get(resource.parent),
            )
            created = item.cls(resource.name, **kwargs, opts=opts)
            made[resource.urn] = created
            if resource.type == PROVIDER_TYPE:
                providers[resource.urn] = created

    return program


def signature(resources: Iterable[RegisteredResource]) -> set[tuple[Any, ...]]:
    """What the engine receives of each AWS resource, independent of parents: type, name, inputs, provider,
    dependencies and property dependencies (by type and name), protect."""
    resources = [r for r in resources]
    names = {r.urn: (r.type, r.name) for r in resources}
    provider_names = {r.urn: r.name for r in resources if r.type == PROVIDER_TYPE}
    found = set()
    for r in resources:
        if not in_floor(r):
            continue
        provider = next((name for urn, name in provider_names.items() if r.provider.startswith(urn + "::")), "")
        found.add((
            r.type, r.name, json.dumps(r.inputs, sort_keys=True, default=str), provider,
            tuple(sorted(names[urn] for urn in r.dependencies)),
            tuple(sorted((key, tuple(sorted(names[urn] for urn in urns))) for key, urns in r.property_dependencies.items() if urns)),
            r.protect,
        ))
    return found
