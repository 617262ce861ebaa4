"""Run the policy pack the way the Pulumi engine does, without the engine: a process, a port, gRPC calls.

Used by the tests and by offline tooling (`lattice plan`) that feeds mock-registered resources to the pack:

    with PolicyPackProcess(stack="dev") as pack:
        pack.configure(json.load(open("policy_pack/policy-config.prod.json")))
        diagnostics = pack.analyze_all(resources)

A resource is a dict `{"type", "name", "urn", "props", "parent", "dependencies", "property_dependencies",
"provider"}`; only `type` and `name` are required (the URN is derived from them). `props` are engine names
(camelCase); put the resolved `id`/`arn` in them, or list `property_dependencies` (`{"resourceIdentifier":
[<urn>]}`), for stack policies to link resources. A preview-unknown value is `UNKNOWN`. `provider` is
`{"type", "name", "urn", "props"}`.

"""

from __future__ import annotations

import os
import queue
import subprocess
import sys
import tempfile
import threading
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import grpc
from google.protobuf import empty_pb2, json_format, struct_pb2
from pulumi.runtime.proto import analyzer_pb2, analyzer_pb2_grpc

# The repository's pack folder (this file is lattice_components/tools/analyzer_client.py).
PACK_DIR = Path(__file__).resolve().parents[2] / "policy_pack"
# The string the engine sends for a value unknown during preview (pulumi.runtime.rpc.UNKNOWN).
UNKNOWN = "04da6b54-80e4-46f7-96ec-b56ff0331ba9"
LEVELS = {
    "advisory": analyzer_pb2.ADVISORY,
    "mandatory": analyzer_pb2.MANDATORY,
    "remediate": analyzer_pb2.REMEDIATE,
    "disabled": analyzer_pb2.DISABLED,
}
LEVEL_NAMES = {number: name for name, number in LEVELS.items()}


@dataclass(frozen=True)
class Diagnostic:
    """One policy finding as the engine receives it."""

    policy_name: str
    enforcement_level: str  # advisory | mandatory | remediate | disabled
    message: str
    urn: str = ""


@dataclass(frozen=True)
class PolicyInfo:
    name: str
    description: str
    enforcement_level: str
    kind: str  # resource | stack
    config_schema: dict[str, Any]


def _struct(values: Mapping[str, Any] | None) -> struct_pb2.Struct:
    struct = struct_pb2.Struct()
    struct.update(dict(values or {}))
    return struct


def _diagnostics(response: analyzer_pb2.AnalyzeResponse, urn: str = "") -> list[Diagnostic]:
    """Diagnostics with their level named; `urn` fills in the analyzed resource, as the engine attributes
    Analyze findings (resource policies report no URN of their own)."""
    return [
        Diagnostic(d.policyName, LEVEL_NAMES.get(d.enforcementLevel, str(d.enforcementLevel)), d.message, d.urn or urn)
        for d in response.diagnostics
    ]


class PolicyPackProcess:
    """The pack as its own process (`python -u __main__.py`), with a gRPC client to its analyzer server.

    `cli_loader=True` starts it exactly as the CLI's shim does instead (`python -u -m pulumi.policy <engine> .`
    from the pack folder), which proves the pack's imports work under the real launcher.
    """

    def __init__(
        self,
        pack_dir: Path | str = PACK_DIR,
        *,
        project: str = "lattice",
        stack: str = "dev",
        dry_run: bool = True,
        python: str = sys.executable,
        cli_loader: bool = False,
        startup_timeout: float = 30.0,
        call_timeout: float = 30.0,
    ) -> None:
        self.pack_dir = Path(pack_dir).resolve()
        self.project, self.stack, self.dry_run = project, stack, dry_run
        self.python, self.cli_loader = python, cli_loader
        self.startup_timeout, self.call_timeout = startup_timeout, call_timeout
        self.process: subprocess.Popen[bytes] | None = None
        self._channel: grpc.Channel | None = None
        self._stub: analyzer_pb2_grpc.AnalyzerStub | None = None
        self._stderr = tempfile.TemporaryFile()
        self._info: dict[str, PolicyInfo] | None = None

    # -- lifecycle ---------------------------------------------------------------------------------------
    def start(self) -> PolicyPackProcess:
        """Launch the process (unless `launch` did already) and connect to it once it reports its port."""
        if self.process is None:
            self.launch()
        try:  # a failed start must not leave a process behind: `with` never reaches __exit__ then
            port = self._read_port()
            self._channel = grpc.insecure_channel(f"127.0.0.1:{port}")
            grpc.channel_ready_future(self._channel).result(timeout=self.startup_timeout)
        except BaseException:
            self.close()
            raise
        self._stub = analyzer_pb2_grpc.AnalyzerStub(self._channel)
        return self

    def launch(self) -> PolicyPackProcess:
        """Start the process and return at once: it imports the pack while the caller does other work (the
        stack programs), and `start` (or `with`) connects later. The caller must `close` it on every path."""
        env = {
            **os.environ,
            "PULUMI_PROJECT": self.project,
            "PULUMI_STACK": self.stack,
            "PULUMI_DRY_RUN": "true" if self.dry_run else "false",
            "PYTHONUNBUFFERED": "1",  # the port must reach the pipe before the pack blocks forever
        }
        command = (
            [self.python, "-u", "-m", "pulumi.policy", "127.0.0.1:0", "."]
            if self.cli_loader
            else [self.python, "-u", str(self.pack_dir / "__main__.py")]
        )
        self.process = subprocess.Popen(
            command, cwd=self.pack_dir, env=env, stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE, stderr=self._stderr,
        )
        return self

    def _read_port(self) -> int:
        """The first stdout line is the port; later output is drained so a chatty pack never blocks."""
        assert self.process is not None and self.process.stdout is not None
        lines: queue.Queue[bytes] = queue.Queue()

        def pump(stream: Any) -> None:
            for line in iter(stream.readline, b""):
                lines.put(line)
            lines.put(b"")

        threading.Thread(target=pump, args=(self.process.stdout,), daemon=True).start()
        try:
            first = lines.get(timeout=self.startup_timeout).strip()
        except queue.Empty:
            first = b""
        if not first.isdigit():
            raise RuntimeError(f"policy pack did not report a port (got {first!r}); stderr:\n{self.stderr()}")
        return int(first)

    def stderr(self) -> str:
        self._stderr.seek(0)
        return self._stderr.read().decode(errors="replace")

    def close(self) -> None:
        """Close the channel and end the process (terminate, then kill); safe to call twice."""
        if self._channel is not None:
            self._channel.close()
            self._channel = None
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=5)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=5)

    def __enter__(self) -> PolicyPackProcess:
        return self.start()

    def __exit__(self, *_: object) -> None:
        self.close()

    @property
    def stub(self) -> analyzer_pb2_grpc.AnalyzerStub:
        if self._stub is None:
            raise RuntimeError("the policy pack is not running; call start() first")
        return self._stub

    # -- analyzer protocol -------------------------------------------------------------------------------
    def plugin_version(self) -> str:
        return self.stub.GetPluginInfo(empty_pb2.Empty(), timeout=self.call_timeout).version

    def info(self) -> dict[str, PolicyInfo]:
        """GetAnalyzerInfo: every policy with its default level, kind and config schema."""
        if self._info is None:
            reply = self.stub.GetAnalyzerInfo(empty_pb2.Empty(), timeout=self.call_timeout)
            self._info = {
                p.name: PolicyInfo(
                    p.name, p.description, LEVEL_NAMES[p.enforcementLevel],
                    "stack" if p.policy_type == analyzer_pb2.POLICY_TYPE_STACK else "resource",
                    json_format.MessageToDict(p.configSchema.properties),
                )
                for p in reply.policies
            }
        return self._info

    def configure(self, config: Mapping[str, Any] | None = None) -> None:
        """Apply a `--policy-pack-config` document the way the CLI does.

        The CLI sends every policy with its effective level (its own entry, else `all`, else the default) and
        its properties; Configure replaces the whole map, and a policy sent without a level would fall to
        ADVISORY (proto default 0). An unknown policy name is an error, as it is for the CLI.
        """
        config = dict(config or {})
        policies = self.info()
        unknown = set(config) - set(policies) - {"all"}
        if unknown:
            raise ValueError(f"policy config names unknown policies: {sorted(unknown)}")
        all_entry = config.get("all")
        all_level = all_entry.get("enforcementLevel") if isinstance(all_entry, Mapping) else all_entry
        request = analyzer_pb2.ConfigureAnalyzerRequest()
        for name, policy in policies.items():
            entry = config.get(name, {})
            level = entry if isinstance(entry, str) else entry.get("enforcementLevel")
            properties = {} if isinstance(entry, str) else {k: v for k, v in entry.items() if k != "enforcementLevel"}
            request.policyConfig[name].enforcementLevel = LEVELS[level or all_level or policy.enforcement_level]
            request.policyConfig[name].properties.update(properties)
        self.stub.Configure(request, timeout=self.call_timeout)

    def _urn(self, resource: Mapping[str, Any]) -> str:
        return resource.get("urn") or f"urn:pulumi:{self.stack}::{self.project}::{resource['type']}::{resource['name']}"

    def _provider(self, provider: Mapping[str, Any] | None) -> analyzer_pb2.AnalyzerProviderResource | None:
        if not provider:
            return None
        return analyzer_pb2.AnalyzerProviderResource(
            type=provider.get("type", "pulumi:providers:aws"), name=provider.get("name", "default"),
            urn=provider.get("urn", ""), properties=_struct(provider.get("props")),
        )

    def analyze(self, resource: Mapping[str, Any]) -> list[Diagnostic]:
        """Analyze: resource policies on one resource's inputs."""
        request = analyzer_pb2.AnalyzeRequest(
            type=resource["type"], name=resource["name"], urn=self._urn(resource),
            properties=_struct(resource.get("props")),
            options=analyzer_pb2.AnalyzerResourceOptions(parent=resource.get("parent") or ""),
            provider=self._provider(resource.get("provider")),
        )
        return _diagnostics(self.stub.Analyze(request, timeout=self.call_timeout), request.urn)

    def analyze_stack(self, resources: Sequence[Mapping[str, Any]]) -> list[Diagnostic]:
        """AnalyzeStack: stack policies over all resources (outputs), parents and dependencies by URN."""
        request = analyzer_pb2.AnalyzeStackRequest()
        for resource in resources:
            item = request.resources.add(
                type=resource["type"], name=resource["name"], urn=self._urn(resource),
                properties=_struct(resource.get("props")), parent=resource.get("parent") or "",
                dependencies=list(resource.get("dependencies") or ()),
                options=analyzer_pb2.AnalyzerResourceOptions(parent=resource.get("parent") or ""),
                provider=self._provider(resource.get("provider")),
            )
            for key, urns in (resource.get("property_dependencies") or {}).items():
                item.propertyDependencies[key].urns.extend(urns)
        return _diagnostics(self.stub.AnalyzeStack(request, timeout=self.call_timeout))

    def analyze_all(self, resources: Iterable[Mapping[str, Any]]) -> list[Diagnostic]:
        """What one `pulumi preview` does: Analyze every resource, then AnalyzeStack once."""
        resources = list(resources)
        found = [d for resource in resources for d in self.analyze(resource)]
        return found + self.analyze_stack(resources)


def run_pack(
    resources: Iterable[Mapping[str, Any]], config: Mapping[str, Any] | None = None, **options: Any
) -> list[Diagnostic]:
    """Start the pack, apply `config`, analyze `resources` like a preview, stop the pack."""
    with PolicyPackProcess(**options) as pack:
        pack.configure(config)
        return pack.analyze_all(resources)
