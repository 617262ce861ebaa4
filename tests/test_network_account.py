"""The network stack acts in exactly one account: GIVEN the network stack's config, WHEN its program runs, THEN
every AWS resource goes through one explicit provider pinned to the network account of the registry (so real
credentials for any other account are refused before the first change), assuming the deploy role when named."""

from __future__ import annotations

import json

import pytest

from lattice_components.tools import offline


def network_provider(run: offline.ProgramRun) -> offline.RegisteredResource:
    [provider] = run.of_type("pulumi:providers:aws")
    return provider


def aws_resources(run: offline.ProgramRun) -> list[offline.RegisteredResource]:
    return [r for r in run.resources if r.custom and not r.type.startswith("pulumi:")]


def test_every_network_resource_uses_the_provider_pinned_to_the_network_account(environment):
    # GIVEN the repository's dev and prod network stacks  WHEN they run
    run = environment.network
    config = offline.load_stack_file(offline.network_stack_file(environment.env))
    network_account_id = config["lattice:accounts"][config["lattice:networkAccount"]]["id"]
    provider = network_provider(run)
    # THEN the provider allows the network account only, assumes its deploy role, in the stack's region
    assert json.loads(provider.inputs["allowedAccountIds"]) == [network_account_id]
    assert json.loads(provider.inputs["assumeRoles"]) == [{
        "roleArn": f"arn:aws:iam::{network_account_id}:role/LatticeDeployRole",
        "sessionName": f"lattice-network-{environment.env}",
    }]
    assert provider.inputs["region"] == config["aws:region"]
    # AND no AWS resource of the stack falls back to the ambient default provider
    resources = aws_resources(run)
    assert resources and all(r.provider.startswith(provider.urn + "::") for r in resources)


@pytest.mark.parametrize(
    ("role_config", "expected_roles"),
    [
        ({}, [{"roleArn": "arn:aws:iam::111111111111:role/LatticeDeployRole", "sessionName": "lattice-network-dev"}]),
        ({"lattice:deployRoleName": "NetworkDeployer"},
         [{"roleArn": "arn:aws:iam::111111111111:role/NetworkDeployer", "sessionName": "lattice-network-dev"}]),
        ({"lattice:deployRoleName": ""}, None),
    ],
    ids=["default-role", "named-role", "ambient-credentials"],
)
def test_the_deploy_role_follows_config_and_the_account_pin_never_goes(role_config, expected_roles):
    # GIVEN the dev network config with the deploy role left default, renamed, or switched off
    config = {**offline.load_stack_file(offline.network_stack_file("dev")), **role_config}
    # WHEN the network stack runs
    provider = network_provider(offline.run_network_stack("dev", config=config))
    # THEN the role is the configured one (none: the caller's own credentials) and the account pin stays
    roles = provider.inputs.get("assumeRoles")
    assert (json.loads(roles) if roles else None) == expected_roles
    assert json.loads(provider.inputs["allowedAccountIds"]) == ["111111111111"]


def test_moving_the_network_to_another_account_moves_the_pin():
    # GIVEN the dev network owned by the orders account instead of platform
    config = {**offline.load_stack_file(offline.network_stack_file("dev")), "lattice:networkAccount": "orders"}
    run = offline.run_network_stack("dev", config=config)
    # THEN the provider admits the orders account's ID and no other
    assert json.loads(network_provider(run).inputs["allowedAccountIds"]) == ["333333333333"]
