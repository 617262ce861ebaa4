"""What the security groups the components create for clients are made of (a consumer VPC's association, a
service-network endpoint): their text and their ingress, decided in one place."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import pulumi


def joined(*parts: pulumi.Input[str]) -> pulumi.Input[str]:
    """The parts as one text: plain when every part is known now, so preview and the plan show it as written,
    and an `Output` only when a part is another resource's output."""
    if any(isinstance(part, pulumi.Output) for part in parts):
        return pulumi.Output.concat(*parts)
    return "".join(parts)  # type: ignore[arg-type]


def client_ingress(ports: Iterable[int], client_cidrs: Iterable[pulumi.Input[str]]) -> list[dict[str, Any]]:
    """One TCP rule per port (each once, in order) admitting the clients' CIDRs."""
    cidrs = list(client_cidrs)
    return [{"protocol": "tcp", "from_port": port, "to_port": port, "cidr_blocks": cidrs} for port in sorted(set(ports))]
