"""Callers an account declares for the access matrix: its roles' tags and the requests they send (issue #14,
item 1).

Auth policies may decide on the caller's tags (`aws:PrincipalTag/team`), on the request method and on headers;
the access matrix can only evaluate them when it knows those. An account stack says so:

    lattice:callers:
      OrderServiceRole:               # a role of this account (arn:aws:iam::<account>:role/OrderServiceRole)
        tags: {team: orders}
        methods: [GET, POST]          # one matrix row per method: "GET allowed, POST denied"
        headers: {x-client: orders}

Nothing is deployed from it: the account stack exports it (`callers`) so `lattice plan` reads it with what the
stack registered.
"""

from __future__ import annotations

from typing import Annotated

from pydantic import Field, StringConstraints

from .auth_policy_specs import HttpMethod
from .base import Spec

RoleName = Annotated[str, StringConstraints(pattern=r"^[\w+=,.@-]{1,64}$")]
"""An IAM role name (1-64 characters of letters, digits and `+=,.@_-`)."""


class CallerSpec(Spec):
    """One role of this account that calls services of the network, as the access matrix should model it."""

    tags: dict[Annotated[str, StringConstraints(min_length=1, max_length=128)], Annotated[str, StringConstraints(max_length=256)]] = Field(default_factory=dict)
    """The role's tags (`aws:PrincipalTag/<key>`); empty: the role has none."""
    methods: Annotated[list[HttpMethod], Field(min_length=1)] | None = None
    """The request methods it sends; each gets its own row in the matrix. Unset: the method is not given."""
    headers: dict[Annotated[str, StringConstraints(pattern=r"^[!#$%&'*+.^_`|~0-9A-Za-z-]+$")], str] | None = None
    """The headers it sends (`vpc-lattice-svcs:RequestHeader/<name>`). Unset: not given."""

    def export(self, account_id: str, role: str) -> dict[str, object]:
        """What the account stack exports for `lattice plan`."""
        return {
            "principal": f"arn:aws:iam::{account_id}:role/{role}",
            "tags": dict(self.tags),
            "methods": list(self.methods) if self.methods else None,
            "headers": dict(self.headers) if self.headers is not None else None,
        }
