"""`ServiceNetwork`: the shared service network, its auth policy, access logs and RAM share."""

# No `from __future__ import annotations` here: the package host (hosting.py) reads these annotations at run time.
from typing import Any, NotRequired, TypedDict

import pulumi
import pulumi_aws as aws

from . import access_logs
from .lattice_service import AccessLogDestination
from ..inputs import auth_policies
from ..config import NetworkSpec
from ..config import ConfigError, validate_args
from ..config.auth_policy_specs import policy_document_problems

TYPE_TOKEN = "lattice:index:ServiceNetwork"


class ServiceNetworkArgs(TypedDict):
    """Arguments of `ServiceNetwork`."""

    name: str
    """Service network name: 3-63 lowercase letters, digits and hyphens."""
    auth_type: NotRequired[str]
    """`AWS_IAM` (default) or `NONE`. With AWS_IAM the network's auth policy (member accounts, organization) gates every request."""
    member_account_ids: NotRequired[list[str]]
    """Accounts whose principals may send traffic through the network (its auth policy)."""
    organization_id: NotRequired[str]
    """An AWS Organization (`o-...`) whose principals may send traffic through the network."""
    share_principals: NotRequired[list[str]]
    """RAM principals the network is shared with: account IDs, OU ARNs or the organization ARN."""
    allow_external_principals: NotRequired[bool]
    """Let the share reach accounts outside the organization (default false). They accept it with `ShareAccepter`."""
    access_logs: NotRequired[bool]
    """Create a CloudWatch log group and subscribe the network's access logs to it (default false)."""
    access_log_retention_days: NotRequired[int]
    """Retention of that log group, in days (default 30)."""
    access_log_destinations: NotRequired[list[AccessLogDestination]]
    """Existing CloudWatch Logs, S3 and Firehose destinations, one per destination type and log type (SERVICE or RESOURCE)."""
    auth_policy: NotRequired[dict[str, Any]]
    """A hand-written IAM auth policy document that replaces the generated one (member accounts, organization)."""
    extra_statements: NotRequired[list[dict[str, Any]]]
    """IAM statements appended to the generated network auth policy."""
    tags: NotRequired[dict[str, str]]
    """Tags on every resource the component creates."""


class ServiceNetwork(pulumi.ComponentResource):
    """A VPC Lattice service network, shared through AWS RAM with the accounts that use it."""

    service_network_id: pulumi.Output[str]
    """The service network ID (`sn-...`)."""
    service_network_arn: pulumi.Output[str]
    """The service network ARN: what other accounts use to associate services and VPCs."""
    service_network_name: pulumi.Output[str]
    """The service network name."""
    share_arn: pulumi.Output[str]
    """The ARN of the RAM share (empty when the network is shared with no one)."""

    def __init__(self, name: str, args: ServiceNetworkArgs, opts: pulumi.ResourceOptions | None = None):
        super().__init__(TYPE_TOKEN, name, None, opts)
        network = validate_args(NetworkSpec, {
            key: args[key] for key in (
                "name", "auth_type", "organization_id", "access_logs", "access_log_retention_days", "tags",
                "access_log_destinations", "auth_policy", "extra_statements",
            )
            if key in args
        }, TYPE_TOKEN, name)
        child = pulumi.ResourceOptions(parent=self)
        tags = dict(network.tags)
        policy = None
        if network.auth_type == "AWS_IAM":
            policy = network.auth_policy or auth_policies.with_statements(
                auth_policies.network_auth_policy(args.get("member_account_ids", []), network.organization_id),
                network.extra_statements,
            )
            # The whole document, generated part included, against the quota before anything is registered.
            problems = policy_document_problems(policy)
            if problems:
                raise ConfigError([f"args.auth_policy: {problem}" for problem in problems], f"{TYPE_TOKEN} {name!r}")

        service_network = aws.vpclattice.ServiceNetwork(
            f"{name}-network", name=network.name, auth_type=network.auth_type, tags=tags, opts=child
        )
        if policy is not None:
            aws.vpclattice.AuthPolicy(
                f"{name}-auth-policy",
                resource_identifier=service_network.arn,
                policy=auth_policies.as_input(policy),
                opts=child,
            )
        access_logs.subscribe_all(
            name, network, f"/aws/vpc-lattice/service-network/{network.name}", service_network.arn, tags, child
        )

        share_arn: pulumi.Input[str] = ""
        principals = list(dict.fromkeys(args.get("share_principals", [])))
        if principals:
            share = aws.ram.ResourceShare(
                f"{name}-share",
                name=f"{network.name}-share",
                allow_external_principals=bool(args.get("allow_external_principals", False)),
                tags=tags,
                opts=child,
            )
            aws.ram.ResourceAssociation(
                f"{name}-share-network", resource_arn=service_network.arn, resource_share_arn=share.arn, opts=child
            )
            for principal in principals:
                aws.ram.PrincipalAssociation(
                    f"{name}-share-{principal.rsplit('/', 1)[-1].rsplit(':', 1)[-1]}",
                    principal=principal,
                    resource_share_arn=share.arn,
                    opts=child,
                )
            share_arn = share.arn

        self.service_network_id = service_network.id
        self.service_network_arn = service_network.arn
        self.service_network_name = service_network.name
        self.share_arn = pulumi.Output.from_input(share_arn)
        self.register_outputs({
            "service_network_id": self.service_network_id,
            "service_network_arn": self.service_network_arn,
            "service_network_name": self.service_network_name,
            "share_arn": self.share_arn,
        })
