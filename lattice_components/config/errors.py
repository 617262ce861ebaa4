"""Errors that stop a program cleanly, before any resource is registered."""

from __future__ import annotations

import pulumi


class ConfigError(pulumi.RunError):
    """Invalid stack config or component arguments.

    A `pulumi.RunError`, so the Pulumi CLI prints the message without a Python traceback. Every line names
    where the value was written (`stacks/Pulumi.orders-dev.yaml: lattice:services.order-service.port`), the
    value, and the rule it breaks.
    """

    def __init__(self, problems: list[str], source: str = ""):
        self.problems = problems
        self.source = source
        heading = f"invalid configuration in {source}" if source else "invalid configuration"
        super().__init__(heading + ":\n" + "\n".join(f"  {problem}" for problem in problems))
