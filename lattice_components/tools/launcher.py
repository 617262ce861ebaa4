"""The `lattice` console script: the command line when its extra is installed, one clear line when it is not.

The distribution installs the components with only what they need; typer, rich, pyyaml and pulumi-policy come
with `lattice-components[cli]`. Without them, importing the command line would end in a traceback about a
module the user never asked for.
"""

from __future__ import annotations

import sys

CLI_MODULES = ("typer", "rich", "yaml", "pulumi_policy")
"""Top-level modules of the `[cli]` extra (pyyaml is imported as `yaml`)."""


def main() -> None:
    try:
        from .cli import app
    except ModuleNotFoundError as missing:
        if (missing.name or "").split(".")[0] not in CLI_MODULES:
            raise
        sys.exit(
            f"lattice: the command line needs the [cli] extra ({missing.name} is not installed): "
            "pip install 'lattice-components[cli]'"
        )
    app()
