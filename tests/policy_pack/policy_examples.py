"""Compliant Lattice resources as the engine shows them to the pack (camelCase props), for tests to vary.

Each function returns a fresh dict, so a test changes one thing and states it in its GIVEN.
"""

from __future__ import annotations

import json
from typing import Any

from lattice_components.policies.policy_inputs import Resource

ACCOUNT = "111122223333"
ORG_ID = "o-a1b2c3d4e5"
# Carries the tag keys the example configs require (policy-config.*.json: Environment).
TAGS = {"Environment": "Production", "owner": "team-orders"}


def service(**props: Any) -> dict[str, Any]:
    return {"name": "orders", "authType": "AWS_IAM", "tags": dict(TAGS), **props}


def service_network(**props: Any) -> dict[str, Any]:
    return {"name": "core", "authType": "AWS_IAM", "tags": dict(TAGS), **props}


def target_group(**props: Any) -> dict[str, Any]:
    config = {
        "port": 8080.0,
        "protocol": "HTTP",
        "vpcIdentifier": "vpc-0123456789abcdef0",
        "healthCheck": {"enabled": True, "path": "/health", "matcher": {"value": "200"}},
    }
    return {"name": "orders-v1", "type": "INSTANCE", "config": config, **props}


def listener(**props: Any) -> dict[str, Any]:
    action = {"forwards": [{"targetGroups": [{"targetGroupIdentifier": "tg-0aaa", "weight": 100.0}]}]}
    return {"name": "https", "protocol": "HTTPS", "port": 443.0, "defaultAction": action, **props}


def org_policy_document(**statement: Any) -> dict[str, Any]:
    """The usual Lattice auth policy: anyone, but only inside our organisation, may Invoke."""
    return {
        "Version": "2012-10-17",
        "Statement": [
            {
                "Effect": "Allow",
                "Principal": "*",
                "Action": "vpc-lattice-svcs:Invoke",
                "Resource": "*",
                "Condition": {"StringEquals": {"aws:PrincipalOrgID": ORG_ID}},
                **statement,
            }
        ],
    }


def auth_policy(document: Any = None, **props: Any) -> dict[str, Any]:
    document = org_policy_document() if document is None else document
    return {"policy": document if isinstance(document, str) else json.dumps(document), **props}


def ram_share(**props: Any) -> dict[str, Any]:
    return {"name": "core-network-share", "allowExternalPrincipals": False, **props}


def resource(type_: str, name: str, props: dict[str, Any], **extra: Any) -> Resource:
    """A plain `Resource` as the pure checks take it."""
    return Resource(type=type_, name=name, props=props, urn=urn(type_, name), **extra)


def urn(type_: str, name: str) -> str:
    return f"urn:pulumi:dev::lattice::{type_}::{name}"


def preview_stack(unknown: str) -> list[dict[str, Any]]:
    """A compliant stack as `pulumi preview` shows it to stack policies: new resources, ids and arns unknown,
    links visible only as property dependencies. `unknown` is the engine's sentinel."""

    def entry(type_: str, name: str, props: dict[str, Any], deps: dict[str, str] | None = None) -> dict[str, Any]:
        links = {prop: [urn(*target)] for prop, target in (deps or {}).items()}
        return {
            "type": type_, "name": name, "urn": urn(type_, name), "props": props,
            "dependencies": sorted({u for urns in links.values() for u in urns}),
            "property_dependencies": links,
        }

    network = ("aws:vpclattice/serviceNetwork:ServiceNetwork", "core")
    svc = ("aws:vpclattice/service:Service", "orders")
    return [
        entry(*network, service_network(arn=unknown, id=unknown)),
        entry(*svc, service(arn=unknown, id=unknown)),
        entry("aws:vpclattice/authPolicy:AuthPolicy", "orders-auth",
              auth_policy(resourceIdentifier=unknown), {"resourceIdentifier": svc}),
        entry("aws:vpclattice/authPolicy:AuthPolicy", "core-auth",
              auth_policy(resourceIdentifier=unknown), {"resourceIdentifier": network}),
        entry("aws:vpclattice/serviceNetworkServiceAssociation:ServiceNetworkServiceAssociation", "orders-assoc",
              {"serviceIdentifier": unknown, "serviceNetworkIdentifier": unknown, "tags": dict(TAGS)},
              {"serviceIdentifier": svc, "serviceNetworkIdentifier": network}),
        entry("aws:vpclattice/accessLogSubscription:AccessLogSubscription", "core-logs",
              {"resourceIdentifier": unknown, "destinationArn": "arn:aws:logs:eu-west-1:111122223333:log-group:x",
               "tags": dict(TAGS)},
              {"resourceIdentifier": network}),
    ]
