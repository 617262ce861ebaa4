"""The IAM bootstrap stack of one account (`cd bootstrap && pulumi up -s <account>-<env>`), run once by an
administrator of that account before any lattice stack: the CI roles the stacks and the workflows assume.

It acts only in the account its config names (`allowed_account_ids`), with the caller's own credentials: the
roles it creates cannot exist before it runs.
"""

from __future__ import annotations

import pulumi
import pulumi_aws as aws

from ..components.ci_access import CiAccess
from ..config import ConfigError, read_stack_config
from ..config.bootstrap import BootstrapStackConfig


def main() -> None:
    stack = pulumi.get_stack()
    source = f"bootstrap/Pulumi.{stack}.yaml"
    config: BootstrapStackConfig = read_stack_config(BootstrapStackConfig, source)
    region = pulumi.Config("aws").get("region")
    if not region:
        raise ConfigError(["aws:region: is required: the roles may act in this region only"], source)
    provider = aws.Provider(f"{stack}-account", region=region, allowed_account_ids=[config.account_id])
    access = CiAccess(
        stack,
        {
            "github_repository": config.github_repository,
            "region": region,
            "preview_role_name": config.preview_role_name,
            "deploy_role_name": config.deploy_role_name,
            "default_branch": config.default_branch,
            "production_environment": config.production_environment,
            "share_with_organization": config.share_with_organization,
            "oidc_provider_arn": config.oidc_provider_arn,
            "trusted_principals": list(config.trusted_principals),
        },
        opts=pulumi.ResourceOptions(providers={"aws": provider}),
    )
    pulumi.export("accountId", config.account_id)
    pulumi.export("oidcProviderArn", access.oidc_provider_arn)
    pulumi.export("previewRoleArn", access.preview_role_arn)
    pulumi.export("deployRoleArn", access.deploy_role_arn)
