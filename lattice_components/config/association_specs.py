"""Association options in stack config: private DNS of a VPC association, and tags of each association
(issue #14, item 5).

    lattice:consumers:
      frontend:
        vpcId: vpc-frontend
        privateDnsEnabled: true
        dnsOptions:
          privateDnsPreference: SPECIFIED_DOMAINS_ONLY
          privateDnsSpecifiedDomains: ["*.orders.internal"]
        associationTags: {CostCenter: "1234"}

The combinations the API documents (DNS options only with private DNS; specified domains only with the
preferences that name them) are read from botocore's model by `apimodel.check_resource`, the same check the
policy pack runs, so the config refuses exactly what the API would.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Annotated, Any

import pulumi

from pydantic import Field, StringConstraints, model_validator

from .. import apimodel
from ..apimodel import model
from .base import Spec, api_enum, api_lengths, rule_error

_VPC_ASSOCIATION = "aws:vpclattice/serviceNetworkVpcAssociation:ServiceNetworkVpcAssociation"
_OPERATION = "CreateServiceNetworkVpcAssociation"
_TAGS = model.service_model().operation_model(_OPERATION).input_shape.members["tags"]
_DOMAIN = model.service_model().operation_model(_OPERATION).input_shape.members["dnsOptions"].members[
    "privateDnsSpecifiedDomains"
].member

TagKey = Annotated[str, StringConstraints(min_length=_TAGS.key.metadata.get("min"), max_length=_TAGS.key.metadata.get("max"))]
TagValue = Annotated[str, StringConstraints(max_length=_TAGS.value.metadata.get("max"))]
Tags = Annotated[dict[TagKey, TagValue], Field(**api_lengths(_OPERATION, "tags"))]
"""Tags of one resource, with the model's limits on their number and on key and value lengths."""


class DnsOptionsSpec(Spec):
    """Which private hosted zones Lattice creates in the VPC for services' custom domains."""

    private_dns_preference: api_enum(_OPERATION, "dnsOptions.privateDnsPreference") | None = None
    """VERIFIED_DOMAINS_ONLY, ALL_DOMAINS, VERIFIED_DOMAINS_AND_SPECIFIED_DOMAINS or SPECIFIED_DOMAINS_ONLY."""
    private_dns_specified_domains: Annotated[
        list[Annotated[str, StringConstraints(min_length=_DOMAIN.metadata.get("min"), max_length=_DOMAIN.metadata.get("max"))]],
        Field(**api_lengths(_OPERATION, "dnsOptions.privateDnsSpecifiedDomains")),
    ] | None = None
    """Domains (wildcards allowed, `*.example.com`) for the SPECIFIED preferences."""


def with_association_tags(tags: Any, extra: Mapping[str, str]) -> Any:
    """The stack's tags plus the association's own; tags that are (or hold) another resource's Output stay one,
    merged when they resolve."""
    if not extra:  # None or {}
        return tags
    if isinstance(tags, pulumi.Output) or any(isinstance(value, pulumi.Output) for value in tags.values()):
        return pulumi.Output.all(tags, dict(extra)).apply(lambda both: {**both[0], **both[1]})
    return {**tags, **extra}


def vpc_association_options(spec: Any) -> dict[str, Any]:
    """The association's DNS inputs, as pulumi-aws takes them (snake_case; unset values left out)."""
    options: dict[str, Any] = {}
    if getattr(spec, "private_dns_enabled", None) is not None:
        options["private_dns_enabled"] = spec.private_dns_enabled
    if spec.dns_options is not None:
        options["dns_options"] = spec.dns_options.model_dump(exclude_none=True)
    return options


class VpcAssociationFields(Spec):
    """The association options of a consumer VPC."""

    dns_options: DnsOptionsSpec | None = None
    """Needs `privateDnsEnabled: true`."""
    association_tags: Tags | None = None
    """Tags of the VPC association only, on top of the stack's tags (unset: none, and nothing for an endpoint
    consumer to refuse)."""

    @model_validator(mode="after")
    def _dns_options_fit(self) -> "VpcAssociationFields":
        private_dns_enabled = getattr(self, "private_dns_enabled", None)  # ConsumerSpec's field
        if getattr(self, "via", "association") == "endpoint":
            for field, key in (("dns_options", "dnsOptions"), ("association_tags", "associationTags")):
                if getattr(self, field):
                    raise rule_error(key, "applies to VPC associations; this consumer reaches the network through an endpoint")
        if self.dns_options is not None and private_dns_enabled is not True:
            # The provider's default is false, and the API accepts DNS options only with private DNS.
            raise rule_error("dnsOptions", "needs privateDnsEnabled: true (the API applies DNS options only with private DNS)")
        engine = {
            "privateDnsEnabled": private_dns_enabled,
            "dnsOptions": self.dns_options.model_dump(by_alias=True, exclude_none=True) if self.dns_options else None,
            "tags": dict(self.association_tags or {}),
        }
        engine = {key: value for key, value in engine.items() if value is not None}
        for violation in apimodel.check_resource(_VPC_ASSOCIATION, engine, require_members=False):
            # The engine's `tags` of the association are this spec's `associationTags`.
            path = "associationTags" + violation.path[len("tags"):] if violation.path.startswith("tags") else violation.path
            raise rule_error(path, violation.rule)
        return self


class ServiceAssociationFields(Spec):
    """The association options of a service."""

    association_tags: Tags = Field(default_factory=dict)
    """Tags of the service's network association only, on top of the service's tags."""
