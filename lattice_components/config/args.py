"""Validation of component arguments with the same schema the stack config uses."""

from __future__ import annotations

from typing import Any, TypeVar

from pydantic import ValidationError

from .base import Spec
from .reader import describe
from .errors import ConfigError

SpecT = TypeVar("SpecT", bound=Spec)


def validate_args(model: type[SpecT], args: dict[str, Any], type_token: str, name: str) -> SpecT:
    """Validate a component's `args` before it registers any child; errors name the component and the key."""
    try:
        return model.model_validate(args)
    except ValidationError as error:
        raise ConfigError(describe(error, "args"), f"{type_token} {name!r}") from None
