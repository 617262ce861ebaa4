"""`CiAccess`: what one account needs before CI can preview and deploy the lattice stacks in it.

GitHub's OIDC provider, a read-only preview role only pull requests of the repository may assume, a deploy role
only the default branch and the production environment may assume, and, in the account that owns the service
network, RAM sharing with the organization (without it a share with the organization cannot be made).
"""

from __future__ import annotations

import json
from typing import NotRequired, TypedDict

import pulumi
import pulumi_aws as aws

from ..iam import deploy_permissions as permissions

TYPE_TOKEN = "lattice:index:CiAccess"


class CiAccessArgs(TypedDict):
    """Arguments of `CiAccess` (validated by the bootstrap program's config schema)."""

    github_repository: str
    """`<org>/<repo>`: the only repository whose workflows may assume the roles."""
    region: str
    """The region the roles may act in."""
    preview_role_name: str
    deploy_role_name: str
    default_branch: str
    production_environment: str
    share_with_organization: bool
    oidc_provider_arn: NotRequired[str | None]
    """Reuse this account's GitHub OIDC provider instead of creating one."""
    trusted_principals: NotRequired[list[str]]


class CiAccess(pulumi.ComponentResource):
    """The CI roles of one account."""

    oidc_provider_arn: pulumi.Output[str]
    preview_role_arn: pulumi.Output[str]
    deploy_role_arn: pulumi.Output[str]

    def __init__(self, name: str, args: CiAccessArgs, opts: pulumi.ResourceOptions | None = None):
        super().__init__(TYPE_TOKEN, name, None, opts)
        child = pulumi.ResourceOptions(parent=self)
        repository = args["github_repository"]

        oidc_arn: pulumi.Input[str]
        if args.get("oidc_provider_arn"):
            oidc_arn = args["oidc_provider_arn"]
        else:
            oidc_arn = aws.iam.OpenIdConnectProvider(
                f"{name}-github-oidc", url=permissions.GITHUB_OIDC_URL, client_id_lists=[permissions.STS_AUDIENCE], opts=child
            ).arn

        def role(role_name: str, subjects: list[str], actions: list[str], principals: list[str], purpose: str) -> aws.iam.Role:
            created = aws.iam.Role(
                f"{name}-{purpose}-role",
                name=role_name,
                description=f"lattice {purpose} from GitHub Actions of {repository}",
                assume_role_policy=pulumi.Output.from_input(oidc_arn).apply(
                    lambda arn: json.dumps(permissions.github_trust_policy(arn, subjects, principals))
                ),
                max_session_duration=3600,
                opts=child,
            )
            aws.iam.RolePolicy(
                f"{name}-{purpose}-policy",
                role=created.name,
                policy=json.dumps(permissions.permissions_policy(f"Lattice{purpose.title()}", actions, args["region"])),
                opts=child,
            )
            return created

        preview = role(
            args["preview_role_name"], permissions.github_subjects(repository, pull_requests=True),
            list(permissions.PREVIEW_ACTIONS), [], "preview",
        )
        deploy = role(
            args["deploy_role_name"],
            permissions.github_subjects(repository, branch=args["default_branch"], environment=args["production_environment"]),
            permissions.all_deploy_actions(), list(args.get("trusted_principals") or []), "deploy",
        )
        if args["share_with_organization"]:
            aws.ram.SharingWithOrganization(f"{name}-ram-organization-sharing", opts=child)

        self.oidc_provider_arn = pulumi.Output.from_input(oidc_arn)
        self.preview_role_arn = preview.arn
        self.deploy_role_arn = deploy.arn
        self.register_outputs({
            "oidc_provider_arn": self.oidc_provider_arn,
            "preview_role_arn": self.preview_role_arn,
            "deploy_role_arn": self.deploy_role_arn,
        })
