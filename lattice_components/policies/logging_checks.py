"""Production networks keep access logs somewhere durable (issue #14, item 2).

`lattice-network-access-logs` asks that a network has *a* subscription. This policy is the configurable one a
production environment makes mandatory: which networks it covers (by tag), which destination types count
(CloudWatch Logs, S3, Firehose) and which log types must be kept (SERVICE requests, RESOURCE traffic to
resource configurations):

    "lattice-network-log-destinations": {
      "enforcementLevel": "mandatory",
      "networkTags": {"Environment": "Production"},
      "destinationTypes": ["S3", "CLOUDWATCH"],
      "logTypes": ["SERVICE"]
    }

A subscription's destination type is read from its ARN (`arn:aws:logs:`, `arn:aws:s3:`, `arn:aws:firehose:`), or,
in preview, from the resource its ARN comes from (a `aws:cloudwatch/logGroup:LogGroup`, ...). What preview cannot
tell is reported as unknown, never as compliant.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from typing import Any

from pulumi_policy import PolicyConfigSchema

from .policy_inputs import Resource, Unknown, by_urn, is_unknown, of_type
from .resource_checks import SERVICE_NETWORK
from .stack_checks import ACCESS_LOG_SUBSCRIPTION, Finding, references

POLICY_NAME = "lattice-network-log-destinations"
DESTINATION_TYPES = ("CLOUDWATCH", "S3", "FIREHOSE")
LOG_TYPES = ("SERVICE", "RESOURCE")
_ARN_SERVICES = {"logs": "CLOUDWATCH", "s3": "S3", "firehose": "FIREHOSE"}
_RESOURCE_TYPES = {
    "aws:cloudwatch/logGroup:LogGroup": "CLOUDWATCH",
    "aws:s3/bucket:Bucket": "S3",
    "aws:s3/bucketV2:BucketV2": "S3",
    "aws:kinesis/firehoseDeliveryStream:FirehoseDeliveryStream": "FIREHOSE",
}

SCHEMA = PolicyConfigSchema(properties={
    # Which networks are production is the environment's call: none until the config names their tags
    # ({} checks every network), so dev stacks and stacks written without these tags are left alone.
    "networkTags": {"type": ["object", "null"], "additionalProperties": {"type": "string"}, "default": None},
    "destinationTypes": {
        "type": "array", "items": {"type": "string", "enum": list(DESTINATION_TYPES)},
        "default": list(DESTINATION_TYPES),
    },
    "logTypes": {"type": "array", "items": {"type": "string", "enum": list(LOG_TYPES)}, "default": ["SERVICE"]},
})
DESCRIPTION = "Service networks (those carrying networkTags) send their access logs to one of destinationTypes, for every log type in logTypes."


def destination_type(subscription: Resource, resources: Sequence[Resource]) -> str | None:
    """CLOUDWATCH, S3, FIREHOSE, "OTHER", or None when preview hides it."""
    arn = subscription.props.get("destinationArn")
    if isinstance(arn, str) and not is_unknown(arn):
        parts = arn.split(":")
        return _ARN_SERVICES.get(parts[2], "OTHER") if len(parts) > 2 else "OTHER"
    named = by_urn(resources)
    sources = {_RESOURCE_TYPES.get(named[urn].type) for urn in subscription.property_dependencies.get("destinationArn", ()) if urn in named}
    sources.discard(None)
    return sources.pop() if len(sources) == 1 else None


def _log_type(subscription: Resource) -> str | None:
    value = subscription.props.get("serviceNetworkLogType")
    if value is None:
        return "SERVICE"  # the API's default
    return None if is_unknown(value) else str(value)


def _in_scope(network: Resource, wanted: Mapping[str, str]) -> bool | None:
    if not wanted:
        return True
    tags = network.props.get("tagsAll") or network.props.get("tags") or {}
    if is_unknown(tags):
        return None
    return all(tags.get(key) == value for key, value in wanted.items())


def check_network_log_destinations(resources: Sequence[Resource], config: Mapping[str, Any]) -> Iterator[Finding]:
    """Each network in scope has, for every required log type, a subscription to an accepted destination type."""
    if config.get("networkTags") is None:
        return
    wanted_tags = dict(config["networkTags"])
    accepted = set(config.get("destinationTypes") or DESTINATION_TYPES)
    log_types = list(config.get("logTypes") or ["SERVICE"])
    subscriptions = of_type(resources, ACCESS_LOG_SUBSCRIPTION)
    undecided: str | None = None
    for network in of_type(resources, SERVICE_NETWORK):
        scope = _in_scope(network, wanted_tags)
        if scope is None:
            undecided = "ServiceNetwork.tags"
            continue
        if not scope:
            continue
        covered: dict[str, bool | None] = {log_type: False for log_type in log_types}
        for subscription in subscriptions:
            target = references(subscription, "resourceIdentifier", network)
            kind, log_type = destination_type(subscription, resources), _log_type(subscription)
            if target is False or log_type not in covered and log_type is not None:
                continue
            decided = target is True and kind is not None and log_type is not None
            for each in ([log_type] if log_type is not None else log_types):
                if covered[each] is True:
                    continue
                if decided and kind in accepted:
                    covered[each] = True
                elif not decided and (kind is None or kind in accepted):
                    covered[each] = None
        missing = [log_type for log_type, state in covered.items() if state is False]
        if missing:
            yield (
                f"{network.label}: no {' or '.join(sorted(accepted))} access-log subscription for its "
                f"{' and '.join(missing)} logs, so this network's traffic leaves no durable audit trail. Subscribe "
                "it (`lattice:network.accessLogs: true`, or `accessLogDestinations` with an S3 bucket, a log group or "
                "a Firehose stream ARN and `logType`), or change destinationTypes/logTypes in the policy config.",
                network.urn,
            )
        elif any(state is None for state in covered.values()):
            undecided = "AccessLogSubscription.destinationArn"
    if undecided:
        raise Unknown(undecided)
