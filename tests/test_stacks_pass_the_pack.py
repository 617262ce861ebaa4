"""The project's own stacks pass the policy pack, and a deliberately broken variant of each fails with the
right policy: GIVEN dev or prod as the stacks register it, WHEN one resource is broken the way a hand-written
stack could break it, THEN the pack, spoken to over the analyzer protocol, names the policy that forbids it."""

from __future__ import annotations

import copy
import json

import pytest

from lattice_components.tools import offline, plan


def break_first(env_run, type_token, change):
    """A copy of the environment with one resource of `type_token` changed in place: the first by name that
    the change applies to (registration order varies between runs; LAMBDA groups have no config to change)."""
    broken = copy.deepcopy(env_run)
    candidates = sorted(
        (r for run in broken.runs for r in run.resources if r.type == type_token and r.inputs.get("type") != "LAMBDA"),
        key=lambda r: r.name,
    )
    resource = candidates[0]
    for props in (resource.inputs, resource.state):
        change(props)
    return broken


def open_to_everyone(props):
    props["policy"] = json.dumps({
        "Version": "2012-10-17",
        "Statement": [{"Effect": "Allow", "Principal": "*", "Action": "vpc-lattice-svcs:Invoke", "Resource": "*"}],
    })


BREAKAGES = {
    "auth type NONE": ("aws:vpclattice/service:Service", lambda p: p.update(authType="NONE"), "lattice-auth-type-not-none"),
    "no health check": (
        "aws:vpclattice/targetGroup:TargetGroup",
        lambda p: p["config"].update(healthCheck={"enabled": False}),
        "lattice-target-group-health-check",
    ),
    "an open principal": ("aws:vpclattice/authPolicy:AuthPolicy", open_to_everyone, "lattice-auth-policy-document"),
}


@pytest.mark.parametrize("env", ["dev", "prod"])
def test_the_stacks_as_committed_have_no_mandatory_violation(env, dev, prod):
    findings = plan.run_policies({"dev": dev, "prod": prod}[env])
    assert [f for f in findings if f.level == "mandatory"] == []


@pytest.mark.parametrize("env", ["dev", "prod"])
@pytest.mark.parametrize("breakage", sorted(BREAKAGES))
def test_a_broken_variant_fails_with_the_right_policy(env, breakage, dev, prod):
    type_token, change, policy = BREAKAGES[breakage]
    broken = break_first({"dev": dev, "prod": prod}[env], type_token, change)
    mandatory = {f.policy for f in plan.run_policies(broken) if f.level == "mandatory"}
    assert policy in mandatory
