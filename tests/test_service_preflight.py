"""The preflight: what a service would register, checked against the AWS API model before registration.

Config validation catches bad values first, with the user's key names; the preflight is the net under it:
it checks the inputs the component will actually send, built by the same functions that register them."""

from __future__ import annotations

import pytest

from helpers import run_component
from lattice_components.inputs import service_inputs
from lattice_components.config import LatticeServiceSpec
from lattice_components.config import ConfigError
from lattice_components.components.lattice_service import LatticeService

NETWORK_ARN = "arn:aws:vpc-lattice:us-east-1:123456789012:servicenetwork/sn-0123456789abcdef0"


def valid_spec() -> LatticeServiceSpec:
    return LatticeServiceSpec.model_validate({
        "name": "order-service",
        "service_network_arn": NETWORK_ARN,
        "target_groups": {"order-stable": {"port": 8080, "protocol": "HTTP", "vpc_id": "vpc-backend1",
                                           "health_check": {"path": "/health"}, "targets": [{"id": "i-0123456789abcdef0"}]}},
        "listeners": [{"name": "http-listener", "protocol": "HTTP", "default_action": {"forward": [{"target_group": "order-stable"}]}}],
        "allowed_callers": {"principals": ["arn:aws:iam::123456789012:role/FrontendAppRole"]},
    })


def test_a_valid_service_has_nothing_the_api_would_reject():
    assert service_inputs.preflight(valid_spec()) == []


def test_the_preflight_plans_every_child_the_component_registers():
    planned = sorted(type_token for type_token, _, _ in service_inputs.planned_children(valid_spec()))
    run = run_component(lambda: LatticeService("orders", valid_spec().model_dump()))
    registered = sorted(r.type for r in run.resources if r.type.startswith("aws:vpclattice/"))
    assert planned == registered


def test_a_value_that_slipped_past_config_is_caught_with_its_place_in_the_spec():
    # GIVEN a spec changed after validation (as a caller bypassing the schema could) to listen on port 70000
    spec = valid_spec()
    listener = spec.listeners[0]
    bad_listener = listener.model_copy(update={"port": 70000})
    broken = spec.model_copy(update={"listeners": [bad_listener]})
    # WHEN the preflight runs; THEN it names the listener, the API member and the limit
    problems = service_inputs.preflight(broken)
    assert any(p.startswith("listeners[0]: port: 70000 is above the API maximum 65535") for p in problems), problems


def test_the_component_refuses_to_register_anything_the_api_would_reject(monkeypatch):
    # GIVEN a component whose schema lets through a name the API would reject (simulating a schema gap)
    from lattice_components.components import lattice_service

    class SchemaGap(lattice_service.LatticeServiceSpec):
        name: str

    monkeypatch.setattr(lattice_service, "LatticeServiceSpec", SchemaGap)
    # WHEN it is constructed with that name
    with pytest.raises(ConfigError) as raised:
        run_component(lambda: LatticeService("orders", {**valid_spec().model_dump(), "name": "Order_Service"}))
    # THEN the API-model preflight refuses it, and nothing was registered, the component included
    assert "args.name: 'Order_Service' does not match the API pattern" in str(raised.value)
    assert raised.value.registrations == []
