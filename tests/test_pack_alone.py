"""The distribution as others install it: GIVEN the wheel `uv build` makes of this repository, WHEN the policy
pack folder is copied alone and installed from its own requirements.txt into a fresh virtual environment (as the
Pulumi CLI installs a published pack), THEN the pack starts there and answers over the analyzer protocol; and
WHEN the wheel is installed without extras, THEN the components construct and the `lattice` command says which
extra it needs in one line.

Nothing of this checkout is importable in those environments: they hold the wheel and the versions of uv.lock
(from uv's cache, offline when the cache has them, which `uv sync` on a fresh clone guarantees).
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from lattice_components.tools.analyzer_client import PACK_DIR, PolicyPackProcess
from lattice_components.tools.offline import REPO_ROOT

UV = shutil.which("uv")
pytestmark = pytest.mark.skipif(UV is None, reason="uv is not installed: it builds the wheel and the environments")


def uv(*args: str, cwd: Path = REPO_ROOT) -> subprocess.CompletedProcess[str]:
    return subprocess.run([UV, *args], cwd=cwd, capture_output=True, text=True, check=False)  # type: ignore[list-item]


def install(venv: Path, wheels: Path, *requirements: str, cwd: Path) -> None:
    """A fresh environment at `venv` with `requirements`, the wheel found in `wheels`; offline from uv's cache,
    and from PyPI only if the cache lacks something."""
    created = uv("venv", "--quiet", "--python", sys.executable, str(venv), cwd=cwd)
    assert created.returncode == 0, created.stderr
    command = ["pip", "install", "--quiet", "--python", str(venv / "bin" / "python"), "--find-links", str(wheels), *requirements]
    result = uv(*command[:2], "--offline", *command[2:], cwd=cwd)
    if result.returncode != 0:
        result = uv(*command, cwd=cwd)
    assert result.returncode == 0, result.stderr


@pytest.fixture(scope="module")
def wheels(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("dist")
    built = uv("build", "--wheel", "--quiet", "--out-dir", str(out), str(REPO_ROOT))
    assert built.returncode == 0, built.stderr
    assert len(list(out.glob("lattice_components-*.whl"))) == 1
    return out


def test_the_pack_folder_alone_installs_from_its_requirements_and_enforces_the_policies(wheels, tmp_path):
    # GIVEN the pack folder copied alone, and nothing else of this repository
    pack = tmp_path / "lattice-pack"
    shutil.copytree(PACK_DIR, pack, ignore=shutil.ignore_patterns("venv", "__pycache__"))
    # WHEN its requirements are installed into the virtualenv its PulumiPolicy.yaml names
    install(pack / "venv", wheels, "-r", "requirements.txt", cwd=pack)
    python = pack / "venv" / "bin" / "python"
    where = subprocess.run(
        [str(python), "-c", "import lattice_components, pulumi_policy; print(lattice_components.__file__)"],
        cwd=pack, capture_output=True, text=True, check=True,
    ).stdout.strip()
    assert Path(where).is_relative_to(pack / "venv"), where  # the wheel, not this checkout
    # AND the pack is started as the CLI's shim starts it, from its folder
    with PolicyPackProcess(pack_dir=pack, python=str(python), cli_loader=True, startup_timeout=120) as running:
        running.configure({"all": "mandatory"})
        info = running.info()
        found = running.analyze({
            "type": "aws:vpclattice/service:Service", "name": "orders", "props": {"name": "orders", "authType": "NONE"},
        })
    # THEN it serves every policy, and refuses a service without auth
    assert {"lattice-auth-type-not-none", "lattice-api-model", "lattice-ram-share-external-principals"} <= set(info)
    assert [(d.policy_name, d.enforcement_level) for d in found if d.policy_name == "lattice-auth-type-not-none"] == [
        ("lattice-auth-type-not-none", "mandatory")
    ]


CONSTRUCT = r'''
import importlib.util, sys
import pulumi

class Mocks(pulumi.runtime.Mocks):
    def new_resource(self, args):
        return f"{args.name}-id", {**args.inputs, "arn": f"arn:aws:vpc-lattice:us-east-1:123456789012:x/{args.name}"}
    def call(self, args):
        return {"id": "pl-0123456789abcdef0"}

pulumi.runtime.set_mocks(Mocks(), project="p", stack="s", preview=False)
from lattice_components import ConsumerVpcAttachment, LatticeService, ServiceNetwork, ShareAccepter, TargetGroupType

NETWORK = "arn:aws:vpc-lattice:us-east-1:123456789012:servicenetwork/sn-0123456789abcdef0"

@pulumi.runtime.test
def construct():
    ServiceNetwork("core", {"name": "core-services", "member_account_ids": ["123456789012"]})
    LatticeService("orders", {
        "name": "order-service", "service_network_arn": NETWORK,
        "target_groups": {"orders": {"type": TargetGroupType.LAMBDA,
                                     "targets": [{"id": "arn:aws:lambda:us-east-1:123456789012:function:orders"}]}},
        "listeners": [{"name": "http", "protocol": "HTTP", "default_action": {"forward": [{"target_group": "orders"}]}}],
        "allowed_callers": {"principals": ["arn:aws:iam::123456789012:role/FrontendAppRole"]},
    })
    ConsumerVpcAttachment("frontend", {"vpc_id": "vpc-0123456789abcdef0", "service_network_arn": NETWORK})
    ShareAccepter("share", {"share_arn": "arn:aws:ram:us-east-1:123456789012:resource-share/abc"})

construct()
absent = [name for name in ("typer", "rich", "pulumi_policy") if importlib.util.find_spec(name) is None]
print("constructed without", ",".join(absent))
'''


def test_the_components_construct_from_the_wheel_without_any_extra(wheels, tmp_path):
    # GIVEN the wheel installed with no extra
    venv = tmp_path / "venv"
    install(venv, wheels, "lattice-components", cwd=tmp_path)
    # WHEN a program constructs every component
    result = subprocess.run([str(venv / "bin" / "python"), "-c", CONSTRUCT], cwd=tmp_path, capture_output=True, text=True)
    # THEN they construct, in an environment where the CLI's and the pack's dependencies are not even installed
    assert result.returncode == 0, result.stderr[-3000:]
    assert result.stdout.strip() == "constructed without typer,rich,pulumi_policy"
    # AND the `lattice` command names the extra it needs, in one line, without a traceback
    cli = subprocess.run([str(venv / "bin" / "lattice"), "plan", "dev"], cwd=tmp_path, capture_output=True, text=True)
    assert cli.returncode == 1
    assert cli.stderr.strip().count("\n") == 0 and "lattice-components[cli]" in cli.stderr, cli.stderr
