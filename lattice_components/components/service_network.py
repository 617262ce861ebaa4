"""`ServiceNetwork`: the shared service network, its auth policy, access logs and RAM share."""

# No `from __future__ import annotations` here: the package host (hosting.py) reads these annotations at run time.
import json
from typing import Any, NotRequired, TypedDict

import pulumi
import pulumi_aws as aws

from . import access_logs, ram_share
from .enums import AuthType
from .lattice_service import AccessLogDestination
from ..inputs import auth_policies
from ..config import ServiceNetworkSpec
from ..config import validate_args
from ..config.auth_policy_specs import policy_document_problems

TYPE_TOKEN = "lattice:index:ServiceNetwork"


class ServiceNetworkArgs(TypedDict):
    """Arguments of `ServiceNetwork`."""

    name: str
    """Service network name: 3-63 lowercase letters, digits and hyphens; plain, because child names derive from it."""
    auth_type: NotRequired[AuthType]
    """`AWS_IAM` (default) or `NONE`; plain, because it decides whether the network gets an auth policy. With AWS_IAM the network's auth policy (member accounts, organization) gates every request."""
    member_account_ids: NotRequired[pulumi.Input[list[pulumi.Input[str]]]]
    """12-digit IDs of the accounts whose principals may send traffic through the network (its auth policy)."""
    organization_id: NotRequired[pulumi.Input[str]]
    """An AWS Organization (`o-...`) whose principals may send traffic through the network."""
    share_principals: NotRequired[list[pulumi.Input[str]]]
    """RAM principals the network is shared with: account IDs, OU ARNs or the organization ARN, each once; one principal association each, so the list itself is plain."""
    allow_external_principals: NotRequired[bool]
    """Let the share reach accounts outside the organization (default false); plain, because it is checked before the share exists. They accept it with `ShareAccepter`."""
    access_logs: NotRequired[bool]
    """Create a CloudWatch log group and subscribe the network's access logs to it (default false); plain, because it decides whether those exist."""
    access_log_retention_days: NotRequired[int]
    """Retention of that log group, in days (default 30)."""
    access_log_destinations: NotRequired[list[AccessLogDestination]]
    """Existing CloudWatch Logs, S3 and Firehose destinations, one per destination type and log type (SERVICE or RESOURCE); plain, because each is one subscription."""
    auth_policy: NotRequired[dict[str, Any]]
    """A hand-written IAM auth policy document that replaces the generated one; plain, checked before registration."""
    auth_policy_file: NotRequired[str]
    """A JSON file holding `auth_policy`, relative to the stack file (the Pulumi project directory); plain, read before registration."""
    extra_statements: NotRequired[list[dict[str, Any]]]
    """IAM statements appended to the generated network auth policy; plain, checked before registration."""
    tags: NotRequired[pulumi.Input[dict[str, pulumi.Input[str]]]]
    """Tags on every resource the component creates."""


def _policy(network: ServiceNetworkSpec) -> dict[str, Any]:
    """The network's auth policy: the hand-written one, or the generated one with its extra statements."""
    if network.auth_policy is not None:
        return network.auth_policy_document
    generated = auth_policies.network_auth_policy(network.member_account_ids, network.organization_id)
    return auth_policies.with_statements(generated, network.extra_statement_documents)


def _policy_problems(network: ServiceNetworkSpec) -> list[str]:
    """The whole document, generated part included, against the quota and grammar (once every value is known)."""
    if network.auth_type != "AWS_IAM" or (network.auth_policy is None and not network.extra_statements):
        return []  # the generated policy alone is small and well-formed by construction
    document = _policy(network)
    try:
        json.dumps(document)
    except TypeError:  # an Output among the generated values: checked again when it resolves
        return []
    return [f"auth_policy: {problem}" for problem in policy_document_problems(document)]


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
        network = validate_args(
            ServiceNetworkSpec, args, TYPE_TOKEN, name, args_type=ServiceNetworkArgs, checks=(_policy_problems,)
        )
        super().__init__(TYPE_TOKEN, name, None, opts)
        child = pulumi.ResourceOptions(parent=self)
        tags = network.tags

        service_network = aws.vpclattice.ServiceNetwork(
            f"{name}-network", name=network.name, auth_type=network.auth_type, tags=tags, opts=child
        )
        if network.auth_type == "AWS_IAM":
            policy = _policy(network)
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
        if network.share_principals:
            share_arn = ram_share.share(
                name, f"{network.name}-share", "network", service_network.arn, network.share_principals,
                network.allow_external_principals, tags, child,
            ).arn

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
