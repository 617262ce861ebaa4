"""The components as a Pulumi package that TypeScript, Go, C#, Java and YAML programs use (`pulumi package add`).

The Pulumi CLI runs `provider/__main__.py` (next to `provider/PulumiPlugin.yaml`), which calls `serve()`: the
SDK's component provider host infers the package schema from the components' type annotations and docstrings,
serves it to the CLI (which generates an SDK in the consumer's language from it) and constructs a component
when a program in another language registers one. Inputs arrive camelCase; the host maps them back to the
snake_case `args` dict a Python program passes, so both paths run the same constructor and the same validation.

`schema.json` at the repository root is that schema, committed so that a change to the package's API shows in
review. `tests/test_package_schema.py` fails when it drifts; regenerate it with

    uv run python -m lattice_components.tools.hosting --schema > schema.json
"""

import importlib.metadata
import json
import sys
from typing import Any

import pulumi
from pulumi.provider.experimental import component_provider_host
from pulumi.provider.experimental.component import ComponentProvider

from ..components import (
    ConsumerVpcAttachment,
    LatticeService,
    ResourceConfiguration,
    ResourceGateway,
    ServiceNetwork,
    ServiceNetworkEndpoint,
    ShareAccepter,
)

PACKAGE_NAME = "lattice"
"""The package name: type tokens are `lattice:index:<Component>`, and consumers' Pulumi.yaml list it under it."""

DISTRIBUTION = "lattice-components"
"""The Python distribution (pyproject.toml) whose version is the package version."""

COMPONENTS: list[type[pulumi.ComponentResource]] = [
    ServiceNetwork, LatticeService, ConsumerVpcAttachment, ShareAccepter,
    ResourceGateway, ResourceConfiguration, ServiceNetworkEndpoint,
]
"""Every public component. The host exposes exactly these (it does not scan modules)."""

REGENERATE = "uv run python -m lattice_components.tools.hosting --schema > schema.json"
"""The command that rewrites the committed schema.json."""


def package_version() -> str:
    """The version of the installed `lattice-components` distribution (pyproject.toml's `version`)."""
    return importlib.metadata.version(DISTRIBUTION)


def component_provider() -> ComponentProvider:
    """The provider the host serves: it analyses the components once, and constructs them on request."""
    return ComponentProvider(COMPONENTS, PACKAGE_NAME, None, package_version())


def package_schema() -> dict[str, Any]:
    """The package schema exactly as the host serves it to the CLI (`GetSchema`)."""
    return json.loads(component_provider().schema or "{}")


def schema_text() -> str:
    """The schema as committed in schema.json: two-space JSON, in the analyser's order, ending with a newline."""
    return json.dumps(package_schema(), indent=2) + "\n"


def serve() -> None:
    """Run the provider the Pulumi CLI talks to (it passes the engine address on the command line)."""
    component_provider_host(components=COMPONENTS, name=PACKAGE_NAME, version=package_version())


def main(argv: list[str]) -> None:
    if argv == ["--schema"]:
        sys.stdout.write(schema_text())
    else:
        serve()


if __name__ == "__main__":
    main(sys.argv[1:])
