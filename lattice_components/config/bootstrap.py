"""The typed schema of the IAM bootstrap stacks (`bootstrap/Pulumi.<account>-<env>.yaml`)."""

from __future__ import annotations

from typing import Annotated

from pydantic import Field, model_validator

from .base import AccountId, Spec, rule_error

# IAM's own rule for role names (CreateRole: [\w+=,.@-]+, 1-64 characters).
RoleName = Annotated[str, Field(pattern=r"^[\w+=,.@-]{1,64}$")]
PrincipalArn = Annotated[str, Field(pattern=r"^arn:aws[a-z-]*:(iam|sts)::\d{12}:[\w+=,.@/-]+$")]


class BootstrapStackConfig(Spec):
    """What one account needs before its lattice stacks can deploy: who may preview, who may deploy."""

    account_id: AccountId
    """The account this stack bootstraps; its provider refuses credentials for any other."""
    github_repository: Annotated[str, Field(pattern=r"^[A-Za-z0-9][A-Za-z0-9-]*/[A-Za-z0-9._-]+$")]
    """`<org>/<repo>` whose workflows may assume the roles (the `sub` claims name it)."""
    preview_role_name: RoleName = "LatticePreviewRole"
    """The read-only role pull requests assume."""
    deploy_role_name: RoleName = "LatticeDeployRole"
    """The role deploys assume: the stacks' `lattice:deployRoleName`, so the two must agree."""
    default_branch: Annotated[str, Field(pattern=r"^[A-Za-z0-9._/-]+$")] = "main"
    production_environment: Annotated[str, Field(pattern=r"^[A-Za-z0-9._ -]+$")] = "production"
    """The GitHub environment (required reviewers) the prod deploy jobs run in."""
    share_with_organization: bool = False
    """Enable RAM sharing with the AWS Organization: true in the account that owns the service network."""
    oidc_provider_arn: str | None = None
    """An existing GitHub OIDC provider of this account (IAM holds one per URL); empty: this stack creates it."""
    trusted_principals: list[PrincipalArn] = Field(default_factory=list)
    """Other principals that may assume the deploy role (an administrators' SSO role for `pulumi up` by hand)."""

    @model_validator(mode="after")
    def _distinct_roles(self) -> "BootstrapStackConfig":
        if self.preview_role_name == self.deploy_role_name:
            raise rule_error("previewRoleName", "must differ from deployRoleName: pull requests must not deploy")
        return self
