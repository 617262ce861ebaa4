"""The requirements files of the plugin (`provider/`) and the policy pack (`policy_pack/`), pinned to `uv.lock`.

The Pulumi CLI installs each with pip, from its `requirements.txt`, on the consumer's machine. Pinned to the lock,
they install the versions this repository's tests ran with, not whatever is newest that day. Each file is a header
(kept by hand, above the marker line) and the output of `uv export` for what that folder needs (kept by this
module). `tests/test_pins.py` fails when a file drifts from the lock; rewrite both with

    uv run python -m lattice_components.tools.pins
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from .offline import REPO_ROOT

MARKER = "# --- pinned to uv.lock by `uv run python -m lattice_components.tools.pins`; do not edit below ---"

EXPORTS: dict[str, list[str]] = {
    # The plugin runs the components: the distribution's own dependencies, no extras, no dev group.
    "provider/requirements.txt": [],
    # The pack runs the policies: the distribution's `policy` extra.
    "policy_pack/requirements.txt": ["--extra", "policy"],
}
"""Each requirements file, and the `uv export` options of what its folder needs."""


def exported(options: list[str], root: Path = REPO_ROOT) -> str:
    """`uv export` of the lock (never re-resolved: `--frozen`), without hashes, the project or the dev group."""
    command = [
        "uv", "export", "--frozen", "--no-hashes", "--no-default-groups", "--no-emit-project", "--no-header",
        "--format", "requirements-txt", *options,
    ]
    return subprocess.run(command, cwd=root, capture_output=True, text=True, check=True).stdout


def expected(path: str, root: Path = REPO_ROOT) -> str:
    """The file as it should be: its hand-kept header, the marker, and the pins."""
    header = (root / path).read_text().split(MARKER, 1)[0]
    return f"{header.rstrip()}\n{MARKER}\n{exported(EXPORTS[path], root)}"


def main() -> None:
    for path in EXPORTS:
        (REPO_ROOT / path).write_text(expected(path))
        sys.stdout.write(f"rewrote {path}\n")


if __name__ == "__main__":
    main()
