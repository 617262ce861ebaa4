"""The IAM bootstrap stacks (`bootstrap/`), run offline under the mock monitor like every other stack."""

from __future__ import annotations

from pathlib import Path

from . import offline

BOOTSTRAP_PROJECT = "lattice-bootstrap"
BOOTSTRAP_DIR = "bootstrap"


def bootstrap_stack_files(root: Path = offline.REPO_ROOT) -> list[Path]:
    """Every bootstrap stack: `bootstrap/Pulumi.<account>-<env>.yaml`, sorted."""
    return sorted((root / BOOTSTRAP_DIR).glob("Pulumi.*.yaml"))


def stack_name(path: Path) -> str:
    return path.name[len("Pulumi."):-len(".yaml")]


def run_bootstrap_stack(path: Path, config: dict | None = None) -> offline.ProgramRun:
    """One bootstrap stack, as `pulumi up -s <stack>` in bootstrap/ runs it, in the account it names."""
    from ..programs import bootstrap

    config = config if config is not None else offline.load_stack_file(path)
    return offline.run_program(
        bootstrap.main,
        project=BOOTSTRAP_PROJECT,
        stack=stack_name(path),
        config=config,
        account_id=str(config.get("lattice:accountId", "000000000000")),
        region=str(config.get("aws:region", "us-east-1")),
    )
