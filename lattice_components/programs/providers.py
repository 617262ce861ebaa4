"""What the network and account stacks' providers share: the deploy role each assumes in its own account."""

from __future__ import annotations

import pulumi_aws as aws


def deploy_role(account_id: str, role_name: str, session_name: str) -> list[aws.ProviderAssumeRoleArgs] | None:
    """`assume_roles` for a provider that acts in `account_id` through `role_name` (`path/Name` allowed), or None
    to use the ambient credentials when no role is named (CI's OIDC session already is the account's role).

    The typed args class, not a dict: provider config travels as JSON and must carry the provider's own camelCase
    names (roleArn), which a plain snake_case dict would not get.
    """
    if not role_name:
        return None
    return [aws.ProviderAssumeRoleArgs(role_arn=f"arn:aws:iam::{account_id}:role/{role_name}", session_name=session_name)]
