"""Access-log destinations in stack config: CloudWatch Logs, S3 and Kinesis Data Firehose (issue #14, item 2).

`accessLogs: true` (with `accessLogRetentionDays`) keeps creating a CloudWatch log group, as before; more
destinations are listed under `accessLogDestinations`, each an existing resource by ARN:

    accessLogDestinations:
      - s3BucketArn: arn:aws:s3:::acme-lattice-logs
      - logGroupArn: arn:aws:logs:us-east-1:123456789012:log-group:/lattice/prod
      - firehoseArn: arn:aws:firehose:us-east-1:123456789012:deliverystream/lattice
        logType: RESOURCE          # networks only: RESOURCE logs traffic to resource configurations

VPC Lattice takes one subscription per destination type (for a network: per destination type and log type),
so a second destination of one type is refused here, with its key path.
"""

from __future__ import annotations

import re
from typing import Annotated, Any, ClassVar, Literal

from pydantic import Field, model_validator

from ..apimodel import model
from .base import RetentionDays, Spec, api_enum, rule_error

_DESTINATION = model.limits("CreateAccessLogSubscription", "destinationArn")
LogType = api_enum("CreateAccessLogSubscription", "serviceNetworkLogType")

DestinationKind = Literal["CLOUDWATCH", "S3", "FIREHOSE"]
# The ARN forms each destination type takes (service part and resource part of the ARN).
_ARN_FORMS: dict[str, tuple[str, re.Pattern[str], str]] = {
    "log_group_arn": ("CLOUDWATCH", re.compile(r"^arn:aws[a-z-]*:logs:[a-z0-9-]+:\d{12}:log-group:[\w./#-]+(:\*)?$"),
                      "arn:aws:logs:<region>:<account>:log-group:<name>"),
    "s3_bucket_arn": ("S3", re.compile(r"^arn:aws[a-z-]*:s3:::[a-z0-9][a-z0-9.-]{1,61}[a-z0-9](/.*)?$"),
                      "arn:aws:s3:::<bucket>"),
    "firehose_arn": ("FIREHOSE", re.compile(r"^arn:aws[a-z-]*:firehose:[a-z0-9-]+:\d{12}:deliverystream/[\w.-]+$"),
                     "arn:aws:firehose:<region>:<account>:deliverystream/<name>"),
}
_ARN = Annotated[str, Field(min_length=_DESTINATION.min, max_length=_DESTINATION.max)]


class AccessLogDestinationSpec(Spec):
    """One existing destination of access logs: exactly one of `logGroupArn`, `s3BucketArn`, `firehoseArn`."""

    log_group_arn: _ARN | None = None
    """An existing CloudWatch Logs group (`arn:aws:logs:<region>:<account>:log-group:<name>`)."""
    s3_bucket_arn: _ARN | None = None
    """An S3 bucket (`arn:aws:s3:::<bucket>`), whose policy lets Lattice's log delivery write."""
    firehose_arn: _ARN | None = None
    """A Kinesis Data Firehose delivery stream (`arn:aws:firehose:<region>:<account>:deliverystream/<name>`)."""
    log_type: LogType | None = None
    """Service networks only: SERVICE (the API's default) or RESOURCE (resource-configuration traffic)."""

    @model_validator(mode="after")
    def _one_destination(self) -> "AccessLogDestinationSpec":
        given = [field for field in _ARN_FORMS if getattr(self, field) is not None]
        if len(given) != 1:
            raise ValueError("set exactly one of logGroupArn, s3BucketArn or firehoseArn")
        kind, pattern, form = _ARN_FORMS[given[0]]
        arn = getattr(self, given[0])
        if not pattern.match(arn) or not _DESTINATION.pattern_matches(arn):
            camel = "".join(part.capitalize() if i else part for i, part in enumerate(given[0].split("_")))
            raise rule_error(camel, f"{arn!r} is not a {kind} destination ARN ({form})")
        return self

    @property
    def kind(self) -> str:
        return next(kind for field, (kind, _, _) in _ARN_FORMS.items() if getattr(self, field) is not None)

    @property
    def arn(self) -> str:
        return next(getattr(self, field) for field in _ARN_FORMS if getattr(self, field) is not None)


class AccessLogFields(Spec):
    """The access-log fields a service and the network share."""

    access_logs: bool = False
    """Create a CloudWatch log group (`/aws/vpc-lattice/<service-network|service>/<name>`) and subscribe to it."""
    access_log_retention_days: RetentionDays = 30
    """Days CloudWatch Logs keeps that created group's logs: one of the values it accepts (1, 3, 5, 7, 14, 30, ...)."""
    access_log_destinations: list[AccessLogDestinationSpec] = Field(default_factory=list)
    """Existing destinations, one per destination type (for a network: per type and log type)."""

    takes_log_type: ClassVar[bool] = False
    """True for service networks, whose subscriptions take a log type."""

    @model_validator(mode="after")
    def _one_per_type(self) -> "AccessLogFields":
        seen: dict[tuple[str, str], str] = {("CLOUDWATCH", "SERVICE"): "accessLogs"} if self.access_logs else {}
        for index, destination in enumerate(self.access_log_destinations):
            where = f"accessLogDestinations[{index}]"
            if destination.log_type is not None and not self.takes_log_type:
                raise rule_error(f"{where}.logType", "applies to service networks only; a service logs its own requests")
            key = (destination.kind, destination.log_type or "SERVICE")
            if key in seen:
                raise rule_error(
                    where,
                    f"is a second {key[0]} destination for {key[1]} logs (after {seen[key]}); VPC Lattice takes one "
                    "subscription per destination type" + (" and log type" if self.takes_log_type else ""),
                )
            seen[key] = where
        return self


def planned_destinations(spec: Any) -> list[tuple[str, str | None, str | None]]:
    """(child role, destination ARN or None for the created group, log type or None) of every subscription.

    The created group keeps the roles it always had (`access-logs`, `access-log-subscription`), so stacks that
    enabled `accessLogs` before destinations existed do not replace their subscription.
    """
    planned: list[tuple[str, str | None, str | None]] = []
    if spec.access_logs:
        planned.append(("access-log-subscription", None, None))
    for destination in spec.access_log_destinations:
        suffix = "" if destination.log_type in (None, "SERVICE") else f"-{destination.log_type.lower()}"
        planned.append((f"access-log-{destination.kind.lower()}{suffix}", destination.arn, destination.log_type))
    return planned
