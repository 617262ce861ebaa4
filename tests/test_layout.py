"""The package's layout keeps its promises: one role per folder, imports that point down, modules one can read.

GIVEN the source of `lattice_components`, read as a graph of module-level imports (ast, nothing executed),
THEN no library folder imports the tools, there is no cycle, and no module outgrows a sitting.
"""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "lattice_components"
TOOLS = "lattice_components.tools"
LIBRARY_FOLDERS = ("apimodel", "iam", "config", "inputs", "components", "policies", "programs")
# Lower layers never import higher ones; a folder may import any folder below it.
LAYERS = [("apimodel", "iam"), ("config",), ("inputs",), ("components",), ("policies", "programs"), ("tools",)]
MAX_LINES = 600


def module_name(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def imports_of(path: Path) -> set[str]:
    """Every lattice_components module `path` imports, at any depth of the file (lazy imports count too)."""
    name = module_name(path)
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names if alias.name.startswith("lattice_components")}
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")
                base = base[: len(base) - node.level + 1]
                target = ".".join(base + ([node.module] if node.module else []))
            else:
                target = node.module or ""
            if target.startswith("lattice_components"):
                found.add(target)
                found |= {f"{target}.{alias.name}" for alias in node.names}
    modules = {module_name(p) for p in PACKAGE.rglob("*.py")}
    return {target for target in found if target in modules and target != name}


def folder_of(module: str) -> str:
    parts = module.split(".")
    return parts[1] if len(parts) > 2 or (len(parts) == 2 and (PACKAGE / parts[1]).is_dir()) else ""


GRAPH = {module_name(path): imports_of(path) for path in PACKAGE.rglob("*.py")}


def layer_of(folder: str) -> int:
    return next(index for index, folders in enumerate(LAYERS) if folder in folders)


@pytest.mark.parametrize("path", sorted(PACKAGE.rglob("*.py")), ids=lambda p: str(p.relative_to(PACKAGE)))
def test_every_module_reads_in_one_sitting(path):
    assert len(path.read_text().splitlines()) <= MAX_LINES


@pytest.mark.parametrize("module", sorted(GRAPH))
def test_imports_point_down_the_layers(module):
    folder = folder_of(module)
    if not folder:
        return  # the package's own __init__ re-exports lazily from below
    for target in GRAPH[module]:
        target_folder = folder_of(target)
        if not target_folder or target_folder == folder:
            continue
        assert layer_of(target_folder) < layer_of(folder), f"{module} imports {target}, which is not below it"


def test_no_library_folder_imports_the_tools():
    offenders = [
        (module, target)
        for module, targets in GRAPH.items()
        if folder_of(module) in LIBRARY_FOLDERS
        for target in targets
        if target.startswith(TOOLS)
    ]
    assert offenders == []


def test_there_is_no_import_cycle():
    visiting: list[str] = []
    done: set[str] = set()

    def visit(module: str) -> None:
        if module in done:
            return
        assert module not in visiting, "import cycle: " + " -> ".join(visiting[visiting.index(module):] + [module])
        visiting.append(module)
        for target in sorted(GRAPH.get(module, ())):
            if target.startswith(module + "."):
                continue  # a package importing its own submodules is how packages re-export
            visit(target)
        visiting.pop()
        done.add(module)

    for module in sorted(GRAPH):
        visit(module)


def test_the_components_load_and_construct_without_the_cli_dependencies():
    # GIVEN a fresh interpreter that blocks typer and rich from loading at all
    script = r'''
import sys
class Block:
    def find_spec(self, name, path=None, target=None):
        if name.split(".")[0] in ("typer", "rich", "click", "pulumi_policy"):
            raise ImportError(f"{name} is a dependency of the [cli] or [policy] extra")
sys.meta_path.insert(0, Block())

import pulumi

class Mocks(pulumi.runtime.Mocks):
    def new_resource(self, args):
        return f"{args.name}-id", {**args.inputs, "arn": f"arn:aws:vpc-lattice:us-east-1:123456789012:x/{args.name}"}
    def call(self, args):
        return {"id": "pl-0123456789abcdef0", "prefixListId": "pl-0123456789abcdef0"}

pulumi.runtime.set_mocks(Mocks(), project="p", stack="s", preview=False)
import lattice_components
from lattice_components import ConsumerVpcAttachment, LatticeService, ServiceNetwork, ShareAccepter

NETWORK = "arn:aws:vpc-lattice:us-east-1:123456789012:servicenetwork/sn-0123456789abcdef0"

@pulumi.runtime.test
def construct():
    ServiceNetwork("core", {"name": "core-services", "member_account_ids": ["123456789012", "234567890123"]})
    LatticeService("orders", {
        "name": "order-service", "service_network_arn": NETWORK,
        "target_groups": {"orders": {"type": "LAMBDA", "targets": [{"id": "arn:aws:lambda:us-east-1:123456789012:function:orders"}]}},
        "listeners": [{"name": "http", "protocol": "HTTP", "default_action": {"forward": [{"target_group": "orders"}]}}],
        "allowed_callers": {"principals": ["arn:aws:iam::123456789012:role/FrontendAppRole"]},
    })
    ConsumerVpcAttachment("frontend", {"vpc_id": "vpc-0123456789abcdef0", "service_network_arn": NETWORK})
    ShareAccepter("share", {"share_arn": "arn:aws:ram:us-east-1:123456789012:resource-share/abc"})

construct()
loaded = sorted(m for m in sys.modules if m.split(".")[0] in ("typer", "rich", "click", "pulumi_policy"))
assert not loaded, loaded
print("constructed")
'''
    # WHEN it imports the package and constructs every component
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=False)
    # THEN nothing asked for the CLI's dependencies
    assert result.returncode == 0, result.stderr[-3000:]
    assert result.stdout.strip() == "constructed"
