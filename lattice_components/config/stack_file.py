"""Reading a `Pulumi.<stack>.yaml` file as the offline runner does, refusing what YAML would silently change.

PyYAML, like most YAML readers, lets the second copy of a duplicated key win and turns an unquoted
`012345678901` into a number (octal in YAML 1.1) without a word. The Pulumi CLI reads stack files itself, with
Go's yaml.v3: it refuses duplicate mapping keys, but it too turns a leading-zero number into a number (the
program then sees `12345678901`, which `reader` answers with a "quote it" hint). So the checks here serve the
offline runner (`lattice plan`, the tests); the program's own checks (`reader`) serve both paths.

Every problem of a file is reported at once, one line each, with its key path and line number.
"""

from __future__ import annotations

import copy
import functools
import json
import re
from pathlib import Path
from typing import Any, Iterator

import yaml

from .errors import ConfigError

STACK_FILE_KEYS = ("config", "environment", "secretsprovider", "encryptedkey", "encryptionsalt")
"""The top-level keys of a Pulumi stack file (the CLI's `ProjectStack`); anything else is a typo."""


class _Loader(getattr(yaml, "CSafeLoader", yaml.SafeLoader)):  # type: ignore[misc]  # libyaml's parser if built
    """Reads plain scalars as the Pulumi CLI's yaml.v3 does where YAML 1.1 and 1.2 differ: only `true`/`false`
    are booleans (`yes`, `no`, `on`, `off` stay text) and dates stay text, so the offline run sees the values
    `pulumi up` would."""


_Loader.yaml_implicit_resolvers = {
    first: [(tag, rx) for tag, rx in resolvers if tag not in ("tag:yaml.org,2002:bool", "tag:yaml.org,2002:timestamp")]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}
_Loader.add_implicit_resolver("tag:yaml.org,2002:bool", re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"), list("tTfF"))

_LEADING_ZERO = re.compile(r"[-+]?0[0-9_]+")


def _program_reads(key: str) -> bool:
    """Config keys the programs read as plain values: a secret there would be written out unencrypted."""
    return key.startswith("lattice:") or key == "aws:region"


def _line(node: yaml.Node) -> int:
    return node.start_mark.line + 1


_PLAIN_KEY = re.compile(r"[^.\[\]\"\s]+")


def join_key(path: str, key: str) -> str:
    """`path.key`, or `path["key"]` for a key `pulumi config set --path` would split (`app.kubernetes.io/name`),
    so a key path in an error is the one to pass to `pulumi config set --path`."""
    if _PLAIN_KEY.fullmatch(key):
        return f"{path}.{key}" if path else key
    return f"{path}[{json.dumps(key)}]"


def _child(path: str, key: Any) -> str:
    return join_key(path, str(key))


def _duplicates(node: yaml.MappingNode, path: str) -> Iterator[str]:
    first_line: dict[str, int] = {}
    for key, _ in node.value:
        if not isinstance(key, yaml.ScalarNode) or key.value == "<<":
            continue
        if key.value in first_line:
            yield (
                f"{_child(path, key.value)}: is written twice, on lines {first_line[key.value]} and {_line(key)}; "
                "YAML would keep only the second: remove one"
            )
        first_line.setdefault(key.value, _line(key))


def _walk(node: yaml.Node, path: str, seen: set[int]) -> Iterator[str]:
    """Problems in the subtree of `node`, which sits at key path `path` of the `config:` map."""
    if id(node) in seen:  # an alias repeats a subtree already walked
        return
    seen.add(id(node))
    if isinstance(node, yaml.MappingNode):
        keys = [key for key, _ in node.value if isinstance(key, yaml.ScalarNode)]
        if [key.value for key in keys] == ["secure"] and _program_reads(path):
            yield (
                f"{path}: is a secret (secure:, line {_line(node)}), but no lattice setting is secret and the program "
                "would store it unencrypted in resources and outputs: set it without --secret"
            )
            return
        yield from _duplicates(node, path)
        for key, value in node.value:
            yield from _walk(value, _child(path, key.value if isinstance(key, yaml.ScalarNode) else "?"), seen)
    elif isinstance(node, yaml.SequenceNode):
        for index, item in enumerate(node.value):
            yield from _walk(item, f"{path}[{index}]", seen)
    elif isinstance(node, yaml.ScalarNode) and not node.style and _LEADING_ZERO.fullmatch(node.value):  # plain: None, or "" from libyaml
        yield (
            f"{path}: {node.value} (line {_line(node)}) is an unquoted number with a leading zero, which YAML reads "
            f"as a number and loses the zero (an account ID must keep all 12 digits): quote it, \"{node.value}\""
        )


def parse_stack_file(text: str, source: str) -> dict[str, Any]:
    """The `config:` map of a stack file's text, or a `ConfigError` listing every problem in it."""
    loader = _Loader(text)
    try:
        root = loader.get_single_node()
        document = loader.construct_document(root) if root is not None else None
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None) or getattr(error, "context_mark", None)
        where = f"line {mark.line + 1}, column {mark.column + 1}: " if mark else ""
        problem = getattr(error, "problem", None) or str(error)
        raise ConfigError([f"{where}YAML syntax error: {problem}"], source) from None
    finally:
        loader.dispose()
    if document is None:
        return {}  # an empty stack file is a stack with no config, as for the CLI
    if not isinstance(document, dict):
        raise ConfigError([f"the file is a YAML {type(document).__name__}, not a mapping with a config: key"], source)
    problems = list(_duplicates(root, ""))
    problems += [
        f"{key}: is not a stack file setting (the CLI knows {', '.join(STACK_FILE_KEYS)})"
        for key in document if key not in STACK_FILE_KEYS
    ]
    config = document.get("config")
    if config is not None and not isinstance(config, dict):
        problems.append(f"config: is a YAML {type(config).__name__}, not a mapping of `namespace:key: value`")
    # The last `config:` node is the one YAML keeps; a second one is already reported as a duplicate.
    config_node = next((value for key, value in reversed(root.value) if key.value == "config"), None)
    if isinstance(config_node, yaml.MappingNode):
        problems.extend(
            f"{key.value}: is not a config key (line {_line(key)}): keys are <namespace>:<name>, such as lattice:services"
            for key, _ in config_node.value if isinstance(key, yaml.ScalarNode) and ":" not in key.value
        )
        problems.extend(_walk(config_node, "", set()))
    if problems:
        raise ConfigError(problems, source)
    return dict(config or {})


def load_stack_file(path: Path, source: str | None = None) -> dict[str, Any]:
    """The `config:` map of a `Pulumi.<stack>.yaml` file; `source` names it in errors (default: the path).

    `lattice plan` reads each file several times (which environment it belongs to, its wave, its run) and YAML
    parsing dominates that at organization scale, so a text parsed before is not parsed again: the result is
    remembered by the file's text and handed out as a copy (callers may change what they get). A file that
    does not parse is never remembered: its error is raised again on every read.
    """
    return copy.deepcopy(_parsed(path.read_text(), source or str(path)))


@functools.lru_cache(maxsize=1024)
def _parsed(text: str, source: str) -> dict[str, Any]:
    return parse_stack_file(text, source)
