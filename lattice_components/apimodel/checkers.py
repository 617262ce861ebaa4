"""Compiled per-type checkers: botocore's model turned, once per resource type, into a tree of ready checks.

Which engine key lands in which API member, which keys the provider ignores, what the SDK requires, a member's
bounds, enum, pattern and documented limits: all of that depends on the resource type and the model alone, not on
the values. Interpreting it for every value (walking botocore's shapes, re-deriving renames, looking limits up)
was most of what checking a resource cost, for every resource of every service. So on first use of a type the
model is compiled into nodes that hold their limits, enum sets, compiled regular expressions and the fixed parts
of their messages; checking a resource then only looks at its values. The component preflight and the policy
pack's `lattice-api-model` policy reach the same checkers through `check_resource`.

Checkers are built per model object: a test (or a long process) that swaps the model gets checkers of the new one.
The messages are the interpreter's, word for word: tests/test_api_check.py's table holds them, and
tests/test_compiled_checkers.py compares every check with the interpreted walk over generated values.
"""

from __future__ import annotations

import functools
import json
from collections import defaultdict
from collections.abc import Mapping
from typing import Any

from . import model
from .engine_names import LIST_OF_ONE, ONE_OF_LIST, RESOURCE_MAPPINGS, Member, ResourceMapping, is_ignored, sdk_inputs
from .values import as_int, as_str, compact_json, counted, is_unknown, pattern_hint, shown, type_noun, words_of
from .values import compiled_pattern
from .violations import ApiViolation


class _Context:
    """One check's state: the violations found, the resource's type (for documented applicability), and whether
    members the API requires are reported."""

    __slots__ = ("violations", "kind", "require")

    def __init__(self, kind: str | None, require: bool):
        self.violations: list[ApiViolation] = []
        self.kind = kind
        self.require = require

    def report(self, path: str, value: Any, rule: str, kind: str) -> None:
        self.violations.append(ApiViolation(path, value, rule, kind))


# --------------------------------------------------------------------------------------------------------------
# Scalars
# --------------------------------------------------------------------------------------------------------------


class _Nothing:
    """A member type the API checks nothing of here (blob, timestamp)."""

    __slots__ = ()

    def check(self, item: Any, epath: str, ctx: _Context) -> None:
        return None


class _Bounds:
    __slots__ = ("low", "high")

    def __init__(self, meta: Mapping[str, Any]):
        self.low, self.high = meta.get("min"), meta.get("max")

    def within(self, number: float, epath: str, ctx: _Context) -> bool:
        if self.low is not None and number < self.low:
            ctx.report(epath, number, f"{shown(number)} is below the API minimum {self.low}", "min")
            return False
        if self.high is not None and number > self.high:
            ctx.report(epath, number, f"{shown(number)} is above the API maximum {self.high}", "max")
            return False
        return True


class _String:
    __slots__ = ("low", "high", "allowed", "allowed_text", "pattern", "regex", "hint")

    def __init__(self, shape: Any):
        meta = shape.metadata
        self.low, self.high = meta.get("min"), meta.get("max")
        allowed = getattr(shape, "enum", None) or meta.get("enum")
        self.allowed = frozenset(allowed) if allowed else None
        self.allowed_text = ", ".join(allowed) if allowed else ""
        self.pattern = meta.get("pattern")
        # A pattern Python cannot compile checks nothing (tests/test_api_model.py compiles every one of them).
        self.regex = compiled_pattern(self.pattern) if self.pattern else None
        hint = pattern_hint(self.pattern) if self.pattern else None
        self.hint = f" ({hint})" if hint else ""

    def check(self, item: Any, epath: str, ctx: _Context) -> None:
        if is_unknown(item):
            return
        text = as_str(item)
        if text is None:
            ctx.report(epath, item, f"{shown(item)} is not a string", "type")
            return
        size = len(text)
        if self.low is not None and size < self.low:
            ctx.report(epath, text, f"{shown(text)} is {counted(size, 'character')} long; the API minimum is {self.low}", "length")
        if self.high is not None and size > self.high:
            ctx.report(epath, text, f"{shown(text)} is {counted(size, 'character')} long; the API maximum is {self.high}", "length")
        if self.allowed is not None and text not in self.allowed:
            ctx.report(epath, text, f"{shown(text)} is not one of the API values {self.allowed_text}", "enum")
            return
        if self.regex is not None and self.regex.fullmatch(text) is None:
            ctx.report(epath, text, f"{shown(text)} does not match the API pattern {self.pattern}{self.hint}", "pattern")


class _Integer:
    __slots__ = ("bounds", "stated", "below_stated", "above_stated", "only", "only_text")

    def __init__(self, shape: Any):
        meta = shape.metadata
        self.bounds = _Bounds(meta)
        self.stated = model.range_in_documentation(shape)
        # A documented range only narrows the model's: a looser sentence never lets a value through.
        stated = self.stated
        self.below_stated = stated is not None and stated.min >= meta.get("min", stated.min)
        self.above_stated = stated is not None and stated.max <= meta.get("max", stated.max)
        self.only = model.values_in_documentation(shape)
        self.only_text = " or ".join(str(value) for value in self.only.values) if self.only else ""

    def check(self, item: Any, epath: str, ctx: _Context) -> None:
        if is_unknown(item):
            return
        number = as_int(item)
        if number is None:
            ctx.report(epath, item, f"{shown(item)} is not a whole number", "type")
            return
        if not self.bounds.within(number, epath, ctx):
            return
        stated = self.stated
        if stated is not None:
            if self.below_stated and number < stated.min:
                ctx.report(
                    epath, number,
                    f"{number} is below the documented minimum {stated.min} (API reference: {stated.sentence!r})",
                    "documented-range",
                )
                return
            if self.above_stated and number > stated.max:
                ctx.report(
                    epath, number,
                    f"{number} is above the documented maximum {stated.max} (API reference: {stated.sentence!r})",
                    "documented-range",
                )
                return
        only = self.only
        if only is not None and number not in only.values:
            ctx.report(
                epath, number,
                f"{number} is not supported; the API accepts {self.only_text} (API reference: {only.sentence!r})",
                "documented-values",
            )


class _Float:
    __slots__ = ("bounds",)

    def __init__(self, shape: Any):
        self.bounds = _Bounds(shape.metadata)

    def check(self, item: Any, epath: str, ctx: _Context) -> None:
        if is_unknown(item):
            return
        if isinstance(item, bool) or not isinstance(item, (int, float)):
            ctx.report(epath, item, f"{shown(item)} is not a number", "type")
        else:
            self.bounds.within(item, epath, ctx)


class _Boolean:
    __slots__ = ()

    def check(self, item: Any, epath: str, ctx: _Context) -> None:
        if is_unknown(item):
            return
        if not isinstance(item, bool) and item not in ("true", "false"):
            ctx.report(epath, item, f"{shown(item)} is not true or false", "type")


# --------------------------------------------------------------------------------------------------------------
# Collections
# --------------------------------------------------------------------------------------------------------------


def _count(item: Any, low: int | None, high: int | None, epath: str, ctx: _Context) -> None:
    size = len(item)
    noun = "entry" if size == 1 else "entries"
    if low is not None and size < low:
        ctx.report(epath, size, f"has {size} {noun}; the API needs at least {low}", "items")
    elif high is not None and size > high:
        ctx.report(epath, size, f"has {size} {noun}; the API allows at most {high}", "items")


class _List:
    __slots__ = ("low", "high", "element")

    def __init__(self, shape: Any, element: Any):
        self.low, self.high = shape.metadata.get("min"), shape.metadata.get("max")
        self.element = element

    def check(self, item: Any, epath: str, ctx: _Context) -> None:
        if is_unknown(item):
            return
        if not isinstance(item, list):
            ctx.report(epath, item, f"{shown(item)} is not a list", "type")
            return
        _count(item, self.low, self.high, epath, ctx)
        check = self.element.check
        for index, element in enumerate(item):
            check(element, f"{epath}[{index}]", ctx)


class _Map:
    __slots__ = ("low", "high", "key", "value")

    def __init__(self, shape: Any, key: Any, value: Any):
        self.low, self.high = shape.metadata.get("min"), shape.metadata.get("max")
        self.key, self.value = key, value

    def check(self, item: Any, epath: str, ctx: _Context) -> None:
        if is_unknown(item):
            return
        if not isinstance(item, Mapping):
            ctx.report(epath, item, f"{shown(item)} is not an object", "type")
            return
        _count(item, self.low, self.high, epath, ctx)
        for key, element in item.items():
            self.key.check(key, f"{epath} key {key!r}", ctx)
            self.value.check(element, f"{epath}.{key}", ctx)


class _ListOfOne:
    """The engine's list where the API takes one structure (a listener's `forwards`)."""

    __slots__ = ("element", "message")

    def __init__(self, shape: Any, element: Any, key: str):
        self.element = element
        self.message = f"the API takes a single {words_of(shape.name)} (list every target group in {key}[0].targetGroups)"

    def check(self, item: Any, epath: str, ctx: _Context) -> None:
        if is_unknown(item):
            return
        if not isinstance(item, list):
            ctx.report(epath, item, f"{shown(item)} is not a list", "type")
            return
        known = [element for element in item if not is_unknown(element)]
        if len(known) > 1:
            ctx.report(epath, len(known), f"has {len(known)} entries; {self.message}", "items")
        for index, element in enumerate(item):
            if not is_unknown(element):
                self.element.check(element, f"{epath}[{index}]", ctx)


class _JsonDocument:
    """A JSON policy string the provider compacts before sending: checked as the API receives it."""

    __slots__ = ("text",)

    def __init__(self, text: Any):
        self.text = text

    def check(self, item: Any, epath: str, ctx: _Context) -> None:
        if is_unknown(item):
            return
        text = as_str(item)
        if text is None:
            ctx.report(epath, item, f"{shown(item)} is not a JSON policy document string", "type")
            return
        try:
            document = json.loads(text)
        except ValueError as error:
            ctx.report(epath, text, f"is not valid JSON ({error.msg} at line {error.lineno} column {error.colno})", "json")
            return
        self.text.check(compact_json(document), epath, ctx)


# --------------------------------------------------------------------------------------------------------------
# Structures: the engine's keys mapped onto the API's members, once
# --------------------------------------------------------------------------------------------------------------


class _Entry:
    """One engine key of a structure: the API member it lands in, its check, and which types it applies to."""

    __slots__ = ("api", "node", "applicability")

    def __init__(self, api: str, node: Any, applicability: model.TypeApplicability | None):
        self.api, self.node, self.applicability = api, node, applicability


class _Structure:
    __slots__ = ("compiler", "shape", "npath", "api_path", "entries", "required", "union")

    def __init__(self, compiler: "_Compiler", shape: Any, npath: str, api_path: str):
        self.compiler, self.shape, self.npath, self.api_path = compiler, shape, npath, api_path
        self.entries: dict[str, _Entry] | None = None  # compiled on first use (the model could nest itself)

    def compile(self) -> dict[str, _Entry]:
        compiler, shape, npath = self.compiler, self.shape, self.npath
        renames = compiler.renames[npath]
        entries: dict[str, _Entry] = {}
        for key in [*shape.members, *renames]:
            child_n = f"{npath}.{key}" if npath else key
            if key in entries or is_ignored(compiler.mapping, child_n):
                continue
            member = renames.get(key) or Member(key)
            if member.api not in shape.members:
                continue  # not an API input (tests/test_api_check.py proves every SDK input is mapped or ignored)
            entries[key] = _Entry(member.api, compiler.member_node(member, key, shape.members[member.api], child_n,
                                                                   f"{self.api_path}.{member.api}" if self.api_path else member.api),
                                  compiler.applicability(shape.members[member.api]))
        self.required = [item for api_member in shape.required_members if (item := compiler.required(npath, self.api_path, api_member))]
        self.union = compiler.union(shape, npath) if shape.metadata.get("union") else None
        self.entries = entries
        return entries

    def check(self, value: Any, epath: str, ctx: _Context) -> None:
        if is_unknown(value):
            return
        if not isinstance(value, Mapping):
            ctx.report(epath, value, f"{shown(value)} is not an object", "type")
            return
        entries = self.entries if self.entries is not None else self.compile()
        present: dict[str, list[str]] = defaultdict(list)  # API member -> engine keys given for it
        for key, item in value.items():
            entry = entries.get(key)
            if entry is None:
                continue
            present[entry.api].append(key)
            if is_unknown(item):
                continue
            child_e = f"{epath}.{key}" if epath else key
            if entry.applicability is not None and ctx.kind is not None:
                if not self.compiler.applicable(entry.applicability, item, child_e, ctx):
                    continue
            entry.node.check(item, child_e, ctx)
        if ctx.require:
            for api_member, name, rule in self.required:
                if not present.get(api_member):
                    ctx.report(f"{epath}.{name}" if epath else name, None, rule, "required")
        if self.union is not None:
            self.union.check(value, epath, present, ctx)


class _Union:
    """A structure the API takes exactly one member of."""

    __slots__ = ("members", "options", "shape_name", "provider_decides")

    def __init__(self, members: list[str], options: list[str], shape_name: str, provider_decides: bool):
        self.members, self.options, self.shape_name = members, ", ".join(options), shape_name
        self.provider_decides = provider_decides  # an option the provider fills or the SDK requires: never "none"

    def check(self, value: Mapping[str, Any], epath: str, present: Mapping[str, list[str]], ctx: _Context) -> None:
        given = [key for api_member in self.members for key in present.get(api_member, [])]
        # An unknown member may still resolve to nothing: it neither counts as a second choice nor as a missing one.
        undecided = any(is_unknown(value[key]) for key in given)
        chosen = sorted(key for key in given if not is_unknown(value[key]) and value[key] != [])
        where = epath or "(resource)"
        if len(chosen) > 1:
            both = f"both {chosen[0]} and {chosen[1]}" if len(chosen) == 2 else f"{', '.join(chosen[:-1])} and {chosen[-1]}"
            ctx.report(where, None, f"sets {both}; the API's {self.shape_name} takes exactly one of {self.options}", "union")
        elif not chosen and not undecided and ctx.require and not self.provider_decides:
            ctx.report(where, None, f"sets none of {self.options}; the API's {self.shape_name} needs exactly one", "union")


class _Compiler:
    """What one resource type's checks are built from: the mapping's renames, the SDK's inputs, the type's noun."""

    def __init__(self, type_token: str, mapping: ResourceMapping):
        self.type_token, self.mapping = type_token, mapping
        self.sdk = sdk_inputs(type_token)
        self.noun = type_noun(type_token)
        self.renames: dict[str, dict[str, Member]] = defaultdict(dict)
        for path, member in mapping.members.items():
            parent, _, key = path.rpartition(".")
            self.renames[parent][key] = member

    def node(self, shape: Any, npath: str, api_path: str) -> Any:
        kind = shape.type_name
        if kind == "structure":
            return _Structure(self, shape, npath, api_path)
        if kind == "list":
            return _List(shape, self.node(shape.member, npath, api_path))
        if kind == "map":
            return _Map(shape, self.node(shape.key, npath, api_path), self.node(shape.value, npath, api_path))
        if kind == "string":
            return _String(shape)
        if kind in ("integer", "long"):
            return _Integer(shape)
        if kind == "boolean":
            return _Boolean()
        if kind in ("float", "double"):
            return _Float(shape)
        return _Nothing()

    def member_node(self, member: Member, key: str, shape: Any, npath: str, api_path: str) -> Any:
        if member.shape_change == LIST_OF_ONE:
            return _ListOfOne(shape, self.node(shape, npath, api_path), key)
        if member.shape_change == ONE_OF_LIST:
            return self.node(shape.member, npath, api_path)
        if member.json_document:
            return _JsonDocument(self.node(shape, npath, api_path))
        return self.node(shape, npath, api_path)

    # -- documented type applicability ("Not supported if the target group type is LAMBDA") -------------------

    def applicability(self, shape: Any) -> model.TypeApplicability | None:
        return model.applicability_in_documentation(shape) if self.mapping.discriminator else None

    def applicable(self, rule: model.TypeApplicability, item: Any, epath: str, ctx: _Context) -> bool:
        """Report a member set on a type its documentation excludes; False stops the check below it."""
        kind, noun = ctx.kind, self.noun
        if not rule.allows(kind):
            if kind in rule.excluded or rule.only is None:
                problem = f"not supported for {kind} {noun}s"
            else:
                problem = f"only for {', '.join(sorted(rule.only))} {noun}s; this one is {kind}"
            ctx.report(epath, item, f"{problem} (API reference: {rule.sentence!r})", "not-for-type")
            return False
        text = as_str(item)
        for value, only_type in rule.value_only_for:
            if text == value and kind != only_type:
                ctx.report(
                    epath, item,
                    f"{value!r} is supported only for {only_type} {noun}s; this one is {kind} "
                    f"(API reference: {rule.sentence!r})",
                    "not-for-type",
                )
        return True

    # -- required members and unions --------------------------------------------------------------------------

    def engine_names(self, npath: str, api_member: str) -> list[str]:
        """The engine keys that land in `api_member` of the structure at `npath` (a same-named one first)."""
        renames = self.renames[npath]
        renamed = [key for key, member in renames.items() if member.api == api_member]
        return ([] if api_member in renames else [api_member]) + renamed

    def sdk_knows(self, npath: str, key: str):
        return self.sdk.get(f"{npath}.{key}" if npath else key)

    def provider_fills(self, npath: str, key: str) -> bool:
        return (f"{npath}.{key}" if npath else key) in self.mapping.provider_fills

    def required(self, npath: str, api_path: str, api_member: str) -> tuple[str, str, str] | None:
        """(API member, engine key, rule) for a required member that is reported when missing; None when its
        absence can only be an output a mock left unset (the SDK requires it) or a value the provider fills."""
        names = [name for name in self.engine_names(npath, api_member) if self.sdk_knows(npath, name)]
        if not names or any(self.provider_fills(npath, name) for name in names):
            return None
        # The SDK raises TypeError without a required argument, so absence here is an output a mock left unset.
        if any(self.sdk_knows(npath, name).required for name in names):
            return None
        alternatives = f"; set {' or '.join(names)}" if len(names) > 1 else ""
        member_path = f"{api_path}.{api_member}" if api_path else api_member
        return api_member, names[0], f"is required by the API ({self.mapping.operation} needs {member_path}{alternatives})"

    def union(self, shape: Any, npath: str) -> _Union:
        options = []
        for api_member in shape.members:
            names = self.engine_names(npath, api_member)
            known = [name for name in names if self.sdk_knows(npath, name)]
            options.append(((known or names)[0], bool(known)))
        # Members pulumi-aws cannot set (a newer API's union member) would only confuse the reader.
        shown_options = [name for name, settable in options if settable] or [name for name, _ in options]
        provider_decides = any(
            self.provider_fills(npath, name) or getattr(self.sdk_knows(npath, name), "required", False)
            for name in shown_options
        )
        return _Union(list(shape.members), shown_options, shape.name, provider_decides)


class ResourceChecker:
    """Every check of one resource type, compiled from one model."""

    def __init__(self, type_token: str, service_model: Any):
        mapping = RESOURCE_MAPPINGS[type_token]
        self.discriminator = mapping.discriminator
        # Only a type the API knows selects type rules; an unknown one is reported by the enum check alone.
        self.kinds = model.limits(mapping.operation, mapping.discriminator).enum if mapping.discriminator else ()
        input_shape = service_model.operation_model(mapping.operation).input_shape
        self.root = _Compiler(type_token, mapping).node(input_shape, "", "")

    def check(self, values: Mapping[str, Any], require_members: bool = True) -> list[ApiViolation]:
        """The violations of plain engine inputs (`values.plain` already applied)."""
        kind = values.get(self.discriminator) if self.discriminator else None
        ctx = _Context(kind if kind in self.kinds else None, require_members)
        self.root.check(values, "", ctx)
        return ctx.violations


@functools.lru_cache(maxsize=None)
def _checker(service_model: Any, type_token: str) -> ResourceChecker:
    return ResourceChecker(type_token, service_model)


def checker_for(type_token: str) -> ResourceChecker:
    """The compiled checker of an `aws:vpclattice/*` type for the model in force (built on first use)."""
    return _checker(model.service_model(), type_token)
