"""The components as a Pulumi package that TypeScript, Go, C#, Java and YAML programs use (`pulumi package add`).

The Pulumi CLI runs `provider/__main__.py` (next to `provider/PulumiPlugin.yaml`), which calls `serve()`: the
SDK's component provider host infers the package schema from the components' type annotations and docstrings,
serves it to the CLI (which generates an SDK in the consumer's language from it) and constructs a component
when a program in another language registers one. Inputs arrive camelCase; the host maps them back to the
snake_case `args` dict a Python program passes, so both paths run the same constructor and the same validation.

Two things the SDK's `ComponentProvider` (3.272) does not do are added here, in `LatticeProvider`:
- package metadata (description, repository, license, keywords, publisher) in the schema: its `PackageSpec` has
  no such fields, so they are copied from this distribution's metadata (pyproject.toml) into the schema it built;
- numbers: every number travels as a float, and the SDK meant to turn those of integer inputs back into ints
  but hands them on as floats (its `map_input_properties` overwrites the converted value). The components
  validate strictly (an integer is not a float), so whole floats where the schema says integer become ints
  here; any other float reaches validation and is refused there with the argument's path.

`schema.json` at the repository root is that schema, committed so that a change to the package's API shows in
review. `tests/test_package_schema.py` fails when it drifts; regenerate it with

    uv run python -m lattice_components.tools.hosting --schema > schema.json
"""

import importlib.metadata
import json
import sys
from typing import Any

import pulumi
import pulumi.provider
from pulumi.provider.experimental.analyzer import PropertyDefinition, PropertyType
from pulumi.provider.experimental.component import ComponentProvider
from pulumi.provider.provider import ConstructResult

from ..components import (
    ConsumerVpcAttachment,
    LatticeService,
    LatticeTargetGroup,
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
    ServiceNetwork, LatticeService, LatticeTargetGroup, ConsumerVpcAttachment, ShareAccepter,
    ResourceGateway, ResourceConfiguration, ServiceNetworkEndpoint,
]
"""Every public component. The host exposes exactly these (it does not scan modules)."""

REGENERATE = "uv run python -m lattice_components.tools.hosting --schema > schema.json"
"""The command that rewrites the committed schema.json."""


def package_version() -> str:
    """The version of the installed `lattice-components` distribution (pyproject.toml's `version`)."""
    return importlib.metadata.version(DISTRIBUTION)


PUBLISHER = "lattice"
"""Who publishes the package (the schema's `publisher`, shown by the Pulumi Registry and `pulumi package info`)."""


def package_metadata() -> dict[str, Any]:
    """The schema's package metadata, from the distribution's own (pyproject.toml's `[project]`)."""
    found = importlib.metadata.metadata(DISTRIBUTION)
    urls = dict(url.split(", ", 1) for url in found.get_all("Project-URL") or [])
    return {
        "displayName": "VPC Lattice components",
        "description": found["Summary"],
        "keywords": sorted((found["Keywords"] or "").split(",")) if found["Keywords"] else [],
        "license": found["License"] or found["License-Expression"],
        "repository": urls["Repository"],
        "homepage": urls.get("Documentation", urls["Repository"]),
        "publisher": PUBLISHER,
    }


class LatticeProvider(ComponentProvider):
    """The SDK's component provider, with package metadata in its schema and integer inputs as integers."""

    def __init__(self) -> None:
        super().__init__(COMPONENTS, PACKAGE_NAME, None, package_version())
        schema = json.loads(self.schema or "{}")
        metadata = package_metadata()
        head = {key: schema.pop(key) for key in ("name", "version") if key in schema}
        self.schema = json.dumps({**head, **metadata, **{k: v for k, v in schema.items() if k not in metadata}})

    def construct(
        self, name: str, resource_type: str, inputs: pulumi.Inputs, options: pulumi.ResourceOptions | None = None
    ) -> ConstructResult:
        component = self._component_defs.get(resource_type.rsplit(":", 1)[-1])
        if component is not None:
            inputs = {key: self._integers(value, component.inputs.get(key)) for key, value in inputs.items()}
        return super().construct(name, resource_type, inputs, options)

    def _integers(self, value: Any, prop: PropertyDefinition | None) -> Any:
        """`value` with every whole float at an integer position of the schema turned into an int."""
        if prop is None or value is None or isinstance(value, pulumi.Output):
            return value
        if prop.ref:
            type_def = self.get_type_definition(prop)
            if type_def is None or type_def.enum or not isinstance(value, dict):
                return value
            return {key: self._integers(item, type_def.properties.get(key)) for key, item in value.items()}
        if prop.type == PropertyType.ARRAY and isinstance(value, list):
            return [self._integers(item, prop.items) for item in value]
        if prop.type == PropertyType.OBJECT and isinstance(value, dict):
            return {key: self._integers(item, prop.additional_properties) for key, item in value.items()}
        if prop.type == PropertyType.INTEGER and isinstance(value, float) and value.is_integer():
            return int(value)
        return value


def component_provider() -> LatticeProvider:
    """The provider the host serves: it analyses the components once, and constructs them on request."""
    return LatticeProvider()


def package_schema() -> dict[str, Any]:
    """The package schema exactly as the host serves it to the CLI (`GetSchema`)."""
    return json.loads(component_provider().schema or "{}")


def schema_text() -> str:
    """The schema as committed in schema.json: two-space JSON, in the analyser's order, ending with a newline."""
    return json.dumps(package_schema(), indent=2) + "\n"


def serve() -> None:
    """Run the provider the Pulumi CLI talks to (it passes the engine address on the command line).

    What `component_provider_host` does, with `LatticeProvider` in place of the SDK's provider."""
    pulumi.provider.main(component_provider(), sys.argv[1:])


def main(argv: list[str]) -> None:
    if argv == ["--schema"]:
        sys.stdout.write(schema_text())
    else:
        serve()


if __name__ == "__main__":
    main(sys.argv[1:])
