"""The interpreted walk `check_resource` used before its checks were compiled (lattice_components/apimodel/
checkers.py): kept here, unchanged, as the reference the compiled checkers are compared with over generated
values (tests/test_compiled_checkers.py). It walks botocore's shapes for every value and decides everything again.
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Mapping
from typing import Any

from botocore.model import Shape

from lattice_components.apimodel import model
from lattice_components.apimodel.engine_names import (
    LIST_OF_ONE, ONE_OF_LIST, RESOURCE_MAPPINGS, Member, ResourceMapping, SdkInput, is_ignored, sdk_inputs,
)
from lattice_components.apimodel.resource_rules import RESOURCE_RULES
from lattice_components.apimodel.values import (
    as_int, as_str, compact_json, counted, is_unknown, pattern_fullmatch, pattern_hint, plain, shown, type_noun, words_of,
)
from lattice_components.apimodel.violations import ApiViolation


def interpreted_check_resource(type_token: str, props: Mapping[str, Any], *, require_members: bool = True) -> list[ApiViolation]:
    """`check_resource` as it was: the walk below, then the per-type rules."""
    mapping = RESOURCE_MAPPINGS.get(type_token)
    if mapping is None:
        return []
    values = plain(props)
    walk = _Walk(type_token, mapping, values, require_members)
    walk.structure(values, model.service_model().operation_model(mapping.operation).input_shape, "", "", "")
    for rule in RESOURCE_RULES.get(type_token, ()):
        walk.violations.extend(rule(values))
    return walk.violations


# --------------------------------------------------------------------------------------------------------------
# The walk over one resource
# --------------------------------------------------------------------------------------------------------------


class _Walk:
    def __init__(self, type_token: str, mapping: ResourceMapping, props: Mapping[str, Any], require_members: bool):
        self.type_token = type_token
        self.mapping = mapping
        self.require_members = require_members
        self.sdk = sdk_inputs(type_token)
        self.violations: list[ApiViolation] = []
        kind = props.get(mapping.discriminator) if mapping.discriminator else None
        # Only a type the API knows selects type rules; an unknown one is reported by the enum check alone.
        kinds = model.limits(mapping.operation, mapping.discriminator).enum if mapping.discriminator else ()
        self.resource_kind = kind if kind in kinds else None
        self.renames: dict[str, dict[str, Member]] = defaultdict(dict)
        for path, member in mapping.members.items():
            parent, _, key = path.rpartition(".")
            self.renames[parent][key] = member

    def report(self, path: str, value: Any, rule: str, kind: str) -> None:
        self.violations.append(ApiViolation(path, value, rule, kind))

    # -- structures ------------------------------------------------------------------------------------------

    def structure(self, value: Mapping[str, Any], shape: Shape, epath: str, npath: str, api_path: str) -> None:
        present: dict[str, list[str]] = defaultdict(list)  # API member -> engine keys given for it
        for key, item in value.items():
            child_n = f"{npath}.{key}" if npath else key
            child_e = f"{epath}.{key}" if epath else key
            if is_ignored(self.mapping, child_n):
                continue
            member = self.renames[npath].get(key) or Member(key)
            if member.api not in shape.members:
                continue  # not an API input (tests/test_api_check.py proves every SDK input is mapped or ignored)
            present[member.api].append(key)
            if is_unknown(item):
                continue
            member_shape = shape.members[member.api]
            child_api = f"{api_path}.{member.api}" if api_path else member.api
            if not self.applicable(item, member_shape, child_e):
                continue
            if member.shape_change == LIST_OF_ONE:
                self.list_of_one(item, member_shape, child_e, child_n, child_api, key)
            elif member.shape_change == ONE_OF_LIST:
                self.value(item, member_shape.member, child_e, child_n, child_api)
            elif member.json_document:
                self.json_document(item, member_shape, child_e, child_n, child_api)
            else:
                self.value(item, member_shape, child_e, child_n, child_api)
        if self.require_members:
            self.required(value, shape, epath, npath, api_path, present)
        if shape.metadata.get("union"):
            self.union(value, shape, epath, npath, present)

    def engine_names(self, npath: str, api_member: str) -> list[str]:
        """The engine keys that land in `api_member` of the structure at `npath` (a same-named one first)."""
        renamed = [key for key, member in self.renames[npath].items() if member.api == api_member]
        same_name = [] if api_member in self.renames[npath] else [api_member]
        return same_name + renamed

    def sdk_knows(self, npath: str, key: str) -> SdkInput | None:
        return self.sdk.get(f"{npath}.{key}" if npath else key)

    def provider_fills(self, npath: str, key: str) -> bool:
        return (f"{npath}.{key}" if npath else key) in self.mapping.provider_fills

    def required(self, value, shape, epath, npath, api_path, present) -> None:
        for api_member in shape.required_members:
            if present.get(api_member):
                continue
            names = [name for name in self.engine_names(npath, api_member) if self.sdk_knows(npath, name)]
            if not names or any(self.provider_fills(npath, name) for name in names):
                continue
            # The SDK raises TypeError without a required argument, so absence here is an output a mock left unset.
            if any(self.sdk_knows(npath, name).required for name in names):
                continue
            where = f"{epath}.{names[0]}" if epath else names[0]
            alternatives = f"; set {' or '.join(names)}" if len(names) > 1 else ""
            operation = self.mapping.operation
            member_path = f"{api_path}.{api_member}" if api_path else api_member
            self.report(
                where, None, f"is required by the API ({operation} needs {member_path}{alternatives})", "required"
            )

    def union(self, value, shape, epath, npath, present) -> None:
        given = [key for api_member in shape.members for key in present.get(api_member, [])]
        # An unknown member may still resolve to nothing: it neither counts as a second choice nor as a missing one.
        undecided = any(is_unknown(value[key]) for key in given)
        chosen = sorted(key for key in given if not is_unknown(value[key]) and value[key] != [])
        options = []
        for api_member in shape.members:
            names = self.engine_names(npath, api_member)
            known = [name for name in names if self.sdk_knows(npath, name)]
            options.append(((known or names)[0], bool(known)))
        # Members pulumi-aws cannot set (a newer API's union member) would only confuse the reader.
        options = [name for name, settable in options if settable] or [name for name, _ in options]
        where = epath or "(resource)"
        if len(chosen) > 1:
            both = (
                f"both {chosen[0]} and {chosen[1]}"
                if len(chosen) == 2
                else f"{', '.join(chosen[:-1])} and {chosen[-1]}"
            )
            self.report(
                where,
                None,
                f"sets {both}; the API's {shape.name} takes exactly one of {', '.join(options)}",
                "union",
            )
        elif not chosen and not undecided and self.require_members:
            if any(
                self.provider_fills(npath, name) or getattr(self.sdk_knows(npath, name), "required", False)
                for name in options
            ):
                return
            self.report(
                where, None, f"sets none of {', '.join(options)}; the API's {shape.name} needs exactly one", "union"
            )

    def list_of_one(self, item, shape, epath, npath, api_path, key) -> None:
        if not isinstance(item, list):
            self.report(epath, item, f"{shown(item)} is not a list", "type")
            return
        known = [element for element in item if not is_unknown(element)]
        if len(known) > 1:
            self.report(
                epath,
                len(known),
                f"has {len(known)} entries; the API takes a single {words_of(shape.name)} "
                f"(list every target group in {key}[0].targetGroups)",
                "items",
            )
        for index, element in enumerate(item):
            if not is_unknown(element):
                self.value(element, shape, f"{epath}[{index}]", npath, api_path)

    def json_document(self, item, shape, epath, npath, api_path) -> None:
        text = as_str(item)
        if text is None:
            self.report(epath, item, f"{shown(item)} is not a JSON policy document string", "type")
            return
        try:
            document = json.loads(text)
        except ValueError as error:
            self.report(
                epath, text, f"is not valid JSON ({error.msg} at line {error.lineno} column {error.colno})", "json"
            )
            return
        self.value(compact_json(document), shape, epath, npath, api_path)

    # -- documented type applicability ("Not supported if the target group type is LAMBDA") -------------------

    def applicable(self, item: Any, member_shape: Shape, epath: str) -> bool:
        """Report a member set on a type its documentation excludes; False stops the walk below it."""
        if self.resource_kind is None:
            return True
        rule = model.applicability_in_documentation(member_shape)
        if rule is None:
            return True
        noun = type_noun(self.type_token)
        if not rule.allows(self.resource_kind):
            if self.resource_kind in rule.excluded or rule.only is None:
                problem = f"not supported for {self.resource_kind} {noun}s"
            else:
                problem = f"only for {', '.join(sorted(rule.only))} {noun}s; this one is {self.resource_kind}"
            self.report(epath, item, f"{problem} (API reference: {rule.sentence!r})", "not-for-type")
            return False
        text = as_str(item)
        for value, only_type in rule.value_only_for:
            if text == value and self.resource_kind != only_type:
                self.report(
                    epath,
                    item,
                    f"{value!r} is supported only for {only_type} {noun}s; this one is {self.resource_kind} "
                    f"(API reference: {rule.sentence!r})",
                    "not-for-type",
                )
        return True

    # -- any value -------------------------------------------------------------------------------------------

    def value(self, item: Any, shape: Shape, epath: str, npath: str, api_path: str) -> None:
        if is_unknown(item):
            return
        kind = shape.type_name
        if kind == "structure":
            if not isinstance(item, Mapping):
                self.report(epath, item, f"{shown(item)} is not an object", "type")
                return
            self.structure(item, shape, epath, npath, api_path)
        elif kind == "list":
            if not isinstance(item, list):
                self.report(epath, item, f"{shown(item)} is not a list", "type")
                return
            self.count(item, shape, epath, "entry", "entries")
            for index, element in enumerate(item):
                self.value(element, shape.member, f"{epath}[{index}]", npath, api_path)
        elif kind == "map":
            if not isinstance(item, Mapping):
                self.report(epath, item, f"{shown(item)} is not an object", "type")
                return
            self.count(item, shape, epath, "entry", "entries")
            for key, element in item.items():
                self.value(key, shape.key, f"{epath} key {key!r}", npath, api_path)
                self.value(element, shape.value, f"{epath}.{key}", npath, api_path)
        elif kind == "string":
            self.string(item, shape, epath)
        elif kind in ("integer", "long"):
            self.integer(item, shape, epath)
        elif kind == "boolean":
            if not isinstance(item, bool) and item not in ("true", "false"):
                self.report(epath, item, f"{shown(item)} is not true or false", "type")
        elif kind in ("float", "double"):
            if isinstance(item, bool) or not isinstance(item, (int, float)):
                self.report(epath, item, f"{shown(item)} is not a number", "type")
            else:
                self.bounds(item, shape, epath)

    def count(self, item, shape: Shape, epath: str, singular: str, plural: str) -> None:
        low, high = shape.metadata.get("min"), shape.metadata.get("max")
        size = len(item)
        noun = singular if size == 1 else plural
        if low is not None and size < low:
            self.report(epath, size, f"has {size} {noun}; the API needs at least {low}", "items")
        elif high is not None and size > high:
            self.report(epath, size, f"has {size} {noun}; the API allows at most {high}", "items")

    def string(self, item: Any, shape: Shape, epath: str) -> None:
        text = as_str(item)
        if text is None:
            self.report(epath, item, f"{shown(item)} is not a string", "type")
            return
        meta = shape.metadata
        low, high = meta.get("min"), meta.get("max")
        if low is not None and len(text) < low:
            self.report(
                epath,
                text,
                f"{shown(text)} is {counted(len(text), 'character')} long; the API minimum is {low}",
                "length",
            )
        if high is not None and len(text) > high:
            self.report(
                epath,
                text,
                f"{shown(text)} is {counted(len(text), 'character')} long; the API maximum is {high}",
                "length",
            )
        allowed = getattr(shape, "enum", None) or meta.get("enum")
        if allowed and text not in allowed:
            self.report(epath, text, f"{shown(text)} is not one of the API values {', '.join(allowed)}", "enum")
            return
        pattern = meta.get("pattern")
        if pattern and not pattern_fullmatch(pattern, text):
            hint = pattern_hint(pattern)
            self.report(
                epath,
                text,
                f"{shown(text)} does not match the API pattern {pattern}" + (f" ({hint})" if hint else ""),
                "pattern",
            )

    def integer(self, item: Any, shape: Shape, epath: str) -> None:
        number = as_int(item)
        if number is None:
            self.report(epath, item, f"{shown(item)} is not a whole number", "type")
            return
        if not self.bounds(number, shape, epath):
            return
        stated = model.range_in_documentation(shape)
        if stated is not None:
            meta = shape.metadata
            # A documented range only narrows the model's: a looser sentence never lets a value through.
            if number < stated.min and stated.min >= meta.get("min", stated.min):
                self.report(
                    epath,
                    number,
                    f"{number} is below the documented minimum {stated.min} (API reference: {stated.sentence!r})",
                    "documented-range",
                )
                return
            if number > stated.max and stated.max <= meta.get("max", stated.max):
                self.report(
                    epath,
                    number,
                    f"{number} is above the documented maximum {stated.max} (API reference: {stated.sentence!r})",
                    "documented-range",
                )
                return
        only = model.values_in_documentation(shape)
        if only is not None and number not in only.values:
            listed = " or ".join(str(value) for value in only.values)
            self.report(
                epath,
                number,
                f"{number} is not supported; the API accepts {listed} (API reference: {only.sentence!r})",
                "documented-values",
            )

    def bounds(self, number: float, shape: Shape, epath: str) -> bool:
        low, high = shape.metadata.get("min"), shape.metadata.get("max")
        if low is not None and number < low:
            self.report(epath, number, f"{shown(number)} is below the API minimum {low}", "min")
            return False
        if high is not None and number > high:
            self.report(epath, number, f"{shown(number)} is above the API maximum {high}", "max")
            return False
        return True
