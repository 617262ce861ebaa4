"""What the CI roles may do, derived from what the programs register: pure data and pure functions.

The deploy role gets, for every resource type the stack programs can register, the actions pulumi-aws calls to
create, read, update, tag and delete it (and the provider functions they invoke), nothing else. A type that is
not in the table is an error, never a silent gap: `tests/test_bootstrap.py` runs the dev and prod stacks offline
and checks that every type they register is covered. The preview role reads only.

Sources: the AWS Service Authorization Reference (VPC Lattice, RAM, EC2, CloudWatch Logs) for action names and
the dependent actions each API lists (a VPC association also describes the VPC and its security groups; an
access-log subscription creates a log delivery; sharing a Lattice resource through RAM puts a resource policy
on it).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

GITHUB_OIDC_URL = "https://token.actions.githubusercontent.com"
GITHUB_OIDC_HOST = "token.actions.githubusercontent.com"
STS_AUDIENCE = "sts.amazonaws.com"


def _lattice(*operations: str) -> tuple[str, ...]:
    return tuple(f"vpc-lattice:{operation}" for operation in operations)


_LATTICE_TAGS = _lattice("TagResource", "UntagResource", "ListTagsForResource")

RESOURCE_ACTIONS: dict[str, tuple[str, ...]] = {
    "aws:vpclattice/serviceNetwork:ServiceNetwork":
        _lattice("CreateServiceNetwork", "GetServiceNetwork", "UpdateServiceNetwork", "DeleteServiceNetwork") + _LATTICE_TAGS,
    "aws:vpclattice/service:Service":
        _lattice("CreateService", "GetService", "UpdateService", "DeleteService") + _LATTICE_TAGS,
    "aws:vpclattice/targetGroup:TargetGroup":
        _lattice("CreateTargetGroup", "GetTargetGroup", "UpdateTargetGroup", "DeleteTargetGroup") + _LATTICE_TAGS,
    "aws:vpclattice/targetGroupAttachment:TargetGroupAttachment":
        _lattice("RegisterTargets", "DeregisterTargets", "ListTargets"),
    "aws:vpclattice/listener:Listener":
        _lattice("CreateListener", "GetListener", "UpdateListener", "DeleteListener", "ListListeners") + _LATTICE_TAGS,
    "aws:vpclattice/listenerRule:ListenerRule":
        _lattice("CreateRule", "GetRule", "UpdateRule", "DeleteRule", "ListRules") + _LATTICE_TAGS,
    "aws:vpclattice/authPolicy:AuthPolicy": _lattice("PutAuthPolicy", "GetAuthPolicy", "DeleteAuthPolicy"),
    "aws:vpclattice/resourcePolicy:ResourcePolicy": _lattice("PutResourcePolicy", "GetResourcePolicy", "DeleteResourcePolicy"),
    "aws:vpclattice/serviceNetworkServiceAssociation:ServiceNetworkServiceAssociation":
        _lattice("CreateServiceNetworkServiceAssociation", "GetServiceNetworkServiceAssociation",
                 "DeleteServiceNetworkServiceAssociation") + _LATTICE_TAGS,
    "aws:vpclattice/serviceNetworkVpcAssociation:ServiceNetworkVpcAssociation":
        _lattice("CreateServiceNetworkVpcAssociation", "GetServiceNetworkVpcAssociation",
                 "UpdateServiceNetworkVpcAssociation", "DeleteServiceNetworkVpcAssociation") + _LATTICE_TAGS
        + ("ec2:DescribeVpcs", "ec2:DescribeSecurityGroups"),
    "aws:vpclattice/accessLogSubscription:AccessLogSubscription":
        _lattice("CreateAccessLogSubscription", "GetAccessLogSubscription", "UpdateAccessLogSubscription",
                 "DeleteAccessLogSubscription") + _LATTICE_TAGS
        + ("logs:CreateLogDelivery", "logs:GetLogDelivery", "logs:UpdateLogDelivery", "logs:DeleteLogDelivery",
           "logs:ListLogDeliveries", "logs:PutResourcePolicy", "logs:DescribeResourcePolicies", "logs:DescribeLogGroups"),
    # VPC resources (#15); the EC2 actions are those the user guide's "Amazon VPC Lattice API permissions" lists.
    "aws:vpclattice/resourceGateway:ResourceGateway":
        _lattice("CreateResourceGateway", "GetResourceGateway", "UpdateResourceGateway", "DeleteResourceGateway") + _LATTICE_TAGS
        + ("ec2:AssignPrivateIpAddresses", "ec2:AssignIpv6Addresses", "ec2:UnassignPrivateIpAddresses",
           "ec2:CreateNetworkInterface", "ec2:CreateNetworkInterfacePermission", "ec2:DeleteNetworkInterface",
           "ec2:DescribeNetworkInterfaces", "ec2:DescribeSecurityGroups", "ec2:DescribeSubnets",
           "ec2:ModifyNetworkInterfaceAttribute"),
    "aws:vpclattice/resourceConfiguration:ResourceConfiguration":
        _lattice("CreateResourceConfiguration", "GetResourceConfiguration", "UpdateResourceConfiguration",
                 "DeleteResourceConfiguration") + _LATTICE_TAGS
        + ("ec2:DescribeSubnets", "rds:DescribeDBInstances", "rds:DescribeDBClusters"),
    "aws:vpclattice/serviceNetworkResourceAssociation:ServiceNetworkResourceAssociation":
        _lattice("CreateServiceNetworkResourceAssociation", "GetServiceNetworkResourceAssociation",
                 "DeleteServiceNetworkResourceAssociation") + _LATTICE_TAGS
        + ("ec2:AssignIpv6Addresses", "ec2:CreateNetworkInterface", "ec2:CreateNetworkInterfacePermission",
           "ec2:DescribeNetworkInterfaces"),
    # A ServiceNetwork endpoint is an EC2 call that Lattice authorizes as a permission-only action.
    "aws:ec2/vpcEndpoint:VpcEndpoint":
        ("ec2:CreateVpcEndpoint", "ec2:DescribeVpcEndpoints", "ec2:ModifyVpcEndpoint", "ec2:DeleteVpcEndpoints",
         "ec2:CreateTags", "ec2:DeleteTags", "ec2:DescribeVpcs", "ec2:DescribeSubnets", "ec2:DescribeSecurityGroups",
         "ec2:DescribeNetworkInterfaces", "vpc-lattice:CreateServiceNetworkVpcEndpointAssociation"),
    # A service's custom-domain record (#14): pulumi-aws waits for the change (GetChange) and reads the zone.
    "aws:route53/record:Record":
        ("route53:ChangeResourceRecordSets", "route53:GetChange", "route53:ListResourceRecordSets", "route53:GetHostedZone"),
    "aws:ram/resourceShare:ResourceShare":
        ("ram:CreateResourceShare", "ram:GetResourceShares", "ram:UpdateResourceShare", "ram:DeleteResourceShare",
         "ram:TagResource", "ram:UntagResource"),
    # Sharing a Lattice resource makes RAM put a resource policy on it, in the caller's name.
    "aws:ram/resourceAssociation:ResourceAssociation":
        ("ram:AssociateResourceShare", "ram:DisassociateResourceShare", "ram:GetResourceShareAssociations")
        + _lattice("PutResourcePolicy", "GetResourcePolicy", "DeleteResourcePolicy"),
    "aws:ram/principalAssociation:PrincipalAssociation":
        ("ram:AssociateResourceShare", "ram:DisassociateResourceShare", "ram:GetResourceShareAssociations"),
    "aws:ram/resourceShareAccepter:ResourceShareAccepter":
        ("ram:AcceptResourceShareInvitation", "ram:GetResourceShareInvitations", "ram:GetResourceShares",
         "ram:ListResources", "ram:DisassociateResourceShare"),
    "aws:ec2/securityGroup:SecurityGroup":
        ("ec2:CreateSecurityGroup", "ec2:DescribeSecurityGroups", "ec2:DescribeSecurityGroupRules", "ec2:DeleteSecurityGroup",
         "ec2:AuthorizeSecurityGroupIngress", "ec2:AuthorizeSecurityGroupEgress", "ec2:RevokeSecurityGroupIngress",
         "ec2:RevokeSecurityGroupEgress", "ec2:UpdateSecurityGroupRuleDescriptionsIngress",
         "ec2:UpdateSecurityGroupRuleDescriptionsEgress", "ec2:CreateTags", "ec2:DeleteTags", "ec2:DescribeVpcs",
         "ec2:DescribeNetworkInterfaces"),
    "aws:cloudwatch/logGroup:LogGroup":
        ("logs:CreateLogGroup", "logs:DeleteLogGroup", "logs:DescribeLogGroups", "logs:PutRetentionPolicy",
         "logs:DeleteRetentionPolicy", "logs:TagResource", "logs:UntagResource", "logs:ListTagsForResource"),
}
"""Resource type token -> the IAM actions its create, read, update, tag and delete need."""

INVOKE_ACTIONS: dict[str, tuple[str, ...]] = {
    "aws:ec2/getManagedPrefixList:getManagedPrefixList":
        ("ec2:DescribeManagedPrefixLists", "ec2:GetManagedPrefixListEntries"),
}
"""Provider function token -> the IAM actions it calls (a consumer's security group reaches Lattice's prefix list)."""

NO_AWS_CALLS = ("lattice:index:", "pulumi:providers:", "pulumi:pulumi:")
"""Components, providers and stack references: registered with the engine, no AWS API call of their own."""

PREVIEW_ACTIONS: tuple[str, ...] = (
    "vpc-lattice:Get*", "vpc-lattice:List*",
    "ram:Get*", "ram:List*",
    "ec2:DescribeSecurityGroups", "ec2:DescribeSecurityGroupRules", "ec2:DescribeVpcs",
    "ec2:DescribeManagedPrefixLists", "ec2:GetManagedPrefixListEntries", "ec2:DescribeNetworkInterfaces",
    "iam:Get*", "iam:List*",
    "logs:Describe*", "logs:ListTagsForResource", "logs:GetLogDelivery", "logs:ListLogDeliveries",
)
"""What a preview reads (a refresh included); every entry is a Describe, Get or List."""


class UncoveredType(KeyError):
    """A type token the deploy role has no actions for: the table must grow before the role is deployed."""


def actions_for(type_token: str) -> tuple[str, ...]:
    """The IAM actions deploying a resource of `type_token` (or calling provider function `type_token`) needs."""
    if type_token.startswith(NO_AWS_CALLS):
        return ()
    found = RESOURCE_ACTIONS.get(type_token) or INVOKE_ACTIONS.get(type_token)
    if found is None:
        raise UncoveredType(f"{type_token}: no IAM actions known; add it to RESOURCE_ACTIONS or INVOKE_ACTIONS")
    return found


def deploy_actions(type_tokens: Iterable[str]) -> list[str]:
    """The sorted union of the actions of `type_tokens`."""
    return sorted({action for token in type_tokens for action in actions_for(token)})


def all_deploy_actions() -> list[str]:
    """Every action of the table: what the deploy role holds, so any component may be used in any account."""
    return deploy_actions([*RESOURCE_ACTIONS, *INVOKE_ACTIONS])


def github_subjects(repository: str, *, pull_requests: bool = False, branch: str | None = None,
                    environment: str | None = None) -> list[str]:
    """The `sub` claims GitHub's OIDC token carries for `repository`: `repo:<org>/<repo>:pull_request` for a pull
    request, `...:ref:refs/heads/<branch>` for a push job, `...:environment:<name>` for a job in an environment."""
    subjects = [f"repo:{repository}:pull_request"] if pull_requests else []
    subjects += [f"repo:{repository}:ref:refs/heads/{branch}"] if branch else []
    subjects += [f"repo:{repository}:environment:{environment}"] if environment else []
    return subjects


def github_trust_policy(oidc_provider_arn: str, subjects: list[str],
                        trusted_principals: Iterable[str] = ()) -> dict[str, Any]:
    """A role trust policy: GitHub's OIDC tokens whose audience is STS and whose `sub` is exactly one of
    `subjects` (StringEquals, no wildcard), plus any named principals."""
    if not subjects:
        raise ValueError("a GitHub trust policy needs at least one subject")
    statements: list[dict[str, Any]] = [{
        "Sid": "GitHubActions",
        "Effect": "Allow",
        "Principal": {"Federated": oidc_provider_arn},
        "Action": "sts:AssumeRoleWithWebIdentity",
        "Condition": {"StringEquals": {f"{GITHUB_OIDC_HOST}:aud": STS_AUDIENCE, f"{GITHUB_OIDC_HOST}:sub": subjects}},
    }]
    principals = sorted(set(trusted_principals))
    if principals:
        statements.append({"Sid": "NamedPrincipals", "Effect": "Allow", "Principal": {"AWS": principals},
                           "Action": "sts:AssumeRole"})
    return {"Version": "2012-10-17", "Statement": statements}


def permissions_policy(sid: str, actions: list[str], region: str) -> dict[str, Any]:
    """An identity policy allowing `actions` in `region` only (IAM reads are global and go unconditioned)."""
    regional = [action for action in actions if not action.startswith("iam:")]
    statements = [{"Sid": sid, "Effect": "Allow", "Action": regional, "Resource": "*",
                   "Condition": {"StringEquals": {"aws:RequestedRegion": region}}}]
    global_reads = [action for action in actions if action.startswith("iam:")]
    if global_reads:
        statements.append({"Sid": f"{sid}Global", "Effect": "Allow", "Action": global_reads, "Resource": "*"})
    return {"Version": "2012-10-17", "Statement": statements}
