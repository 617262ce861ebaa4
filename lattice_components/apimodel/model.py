"""The VPC Lattice API model that botocore ships: the one source of API limits in this project.

Lattice limits move (rule priority went 1-100 -> 1-2000, target groups per forward 2 -> 10), so no range,
pattern or enum is copied into our code: the config schema, the components and the policy pack all read
them from here, and upgrading botocore moves them everywhere at once.
"""

from __future__ import annotations

import copy
import functools
import re
from dataclasses import dataclass

import botocore.loaders
from botocore.model import ServiceModel, Shape

SERVICE_NAME = "vpc-lattice"


@functools.cache
def aws_service_model(name: str) -> ServiceModel:
    """botocore's model of one AWS API (`vpc-lattice`, `logs`, `iam`, ...), loaded once per process.

    The loader, not a session: a session reads the AWS profile, and a profile that does not exist
    (AWS_PROFILE=typo) must not stop an offline check that needs no credentials.
    """
    return ServiceModel(_loader().load_service_model(name, "service-2"), name)


@functools.cache
def _loader() -> botocore.loaders.Loader:
    return botocore.loaders.create_loader()


def service_model() -> ServiceModel:
    """botocore's VPC Lattice service model (loaded once; about 20 ms)."""
    return aws_service_model(SERVICE_NAME)


@dataclass(frozen=True)
class MemberLimits:
    """What the API model says about one member: its bounds, pattern and allowed values."""

    shape_name: str
    type_name: str
    min: int | None
    max: int | None
    pattern: str | None
    enum: tuple[str, ...]

    def pattern_matches(self, value: str) -> bool:
        """True when `value` matches the whole model pattern (the model's patterns are unanchored)."""
        return self.pattern is None or re.fullmatch(self.pattern, value) is not None


def _per_model(lookup):
    """Memoize a `(root, path)` lookup for the model in force.

    The preflight asks the same few hundred questions for every resource of every service; answering them
    from botocore's shapes and documentation each time cost 13% of a program run (benchmarks, part 1b). The
    cache is keyed by the model object too, so a test that swaps the model (or a botocore upgrade in a long
    process) gets fresh answers.
    """
    cached = functools.lru_cache(maxsize=None)(lambda model, root, path: lookup(root, path))

    @functools.wraps(lookup)
    def wrapper(root: str, path: str = ""):
        return cached(service_model(), root, path)

    wrapper.cache_clear = cached.cache_clear  # type: ignore[attr-defined]
    return wrapper


def shape(shape_name: str) -> Shape:
    return service_model().shape_for(shape_name)


@_per_model
def member_shape(root: str, path: str) -> Shape:
    """The shape at a dotted member path below a shape or an operation's input.

    `root` is an operation name (`CreateTargetGroup`: its input shape) or a shape name (`HealthCheckConfig`);
    `path` walks structure members and list/map elements (`config.healthCheck.healthCheckIntervalSeconds`,
    `defaultAction.forward.targetGroups.weight`).
    """
    model = service_model()
    current = model.operation_model(root).input_shape if root in model.operation_names else model.shape_for(root)
    for part in path.split(".") if path else []:
        while current.type_name in ("list", "map"):
            current = current.member if current.type_name == "list" else current.value
        try:
            current = current.members[part]
        except (AttributeError, KeyError):
            raise KeyError(f"{root}.{path}: the VPC Lattice API model has no member {part!r}") from None
    return current


@_per_model
def limits(root: str, path: str = "") -> MemberLimits:
    """Bounds, pattern and enum of one member, as the model states them."""
    target = member_shape(root, path)
    meta = target.metadata
    return MemberLimits(
        shape_name=target.name,
        type_name=target.type_name,
        min=meta.get("min"),
        max=meta.get("max"),
        pattern=meta.get("pattern"),
        enum=tuple(getattr(target, "enum", None) or meta.get("enum") or ()),
    )


# --------------------------------------------------------------------------------------------------------------
# What the model says only in its documentation text
#
# Some limits live in prose, not in min/max: the health-check interval is `min 0, max 300` in the model (0 resets
# the default on update) but documented as "The range is 5–300 seconds"; a fixed response is `100-599` in the model
# but documented "Only 404 and 500 status codes are supported"; target-group and resource-configuration members say
# which types they apply to ("Not supported if the target group type is LAMBDA", "(SINGLE, GROUP, CHILD, CIDR)").
# The parsers below are deliberately tolerant (HTML, en dash or hyphen, "to"/"and"), return None when the text
# says nothing, and tests/test_api_model.py fails loudly when a botocore upgrade rewords a sentence we rely on.
# --------------------------------------------------------------------------------------------------------------

_BLOCK_TAG = re.compile(r"</?(?:p|li|ul|ol|br|div|note)\b[^>]*>", re.IGNORECASE)
_INLINE_TAG = re.compile(r"<[^>]+>")
_DASH = "\u2013\u2014\u2012-"
_RANGE = re.compile(
    rf"\b(?:range is|range of|from|between)\s+(\d+)\s*(?:[{_DASH}]|\bto\b|\band\b)\s*(\d+)", re.IGNORECASE
)
_ONLY_VALUES = re.compile(
    r"\bOnly\s+(\d+(?:\s*(?:,|\band\b|\bor\b)\s*\d+)*)\s+(?:[a-zA-Z ]+?\s+)?(?:is|are)\s+supported"
)
_TYPE_PREFIX = re.compile(r"^\s*\(([A-Z][A-Z0-9_]*(?:\s*,\s*[A-Z][A-Z0-9_]*)*)\)")
_NOT_FOR_TYPE = re.compile(
    r"\bNot supported if the [a-z ]*?type is\s+([A-Z][A-Z0-9_]*(?:\s*(?:,|\bor\b)\s*[A-Z][A-Z0-9_]*)*)"
)
_ONLY_FOR_TYPE = re.compile(
    r"\bSupported only if the [a-z ]*?type is\s+([A-Z][A-Z0-9_]*(?:\s*(?:,|\bor\b)\s*[A-Z][A-Z0-9_]*)*)"
)
_VALUE_ONLY_FOR = re.compile(r"\b([A-Z][A-Z0-9_]+) is supported only for ([A-Z][A-Z0-9_]+)\b")
_WORDS = re.compile(r"[A-Z][A-Z0-9_]*")


def _raw_documentation(shape_or_doc: Shape | str | None) -> str:
    return (shape_or_doc.documentation if isinstance(shape_or_doc, Shape) else shape_or_doc) or ""


# The parsers below are pure functions of a documentation string, and the preflight asks them about the same few
# dozen members for every value of every service (4,017 applicability parses for 200 services): each string is
# parsed once per process instead. Keyed by the text itself, so a swapped model can never get a stale answer.
_parsed_once = functools.lru_cache(maxsize=4096)


def documentation_text(shape_or_doc: Shape | str | None) -> str:
    """A member's documentation as one line of plain text (HTML tags dropped, whitespace collapsed)."""
    return _plain_text(_raw_documentation(shape_or_doc))


@_parsed_once
def _plain_text(doc: str) -> str:
    return " ".join(_INLINE_TAG.sub("", _BLOCK_TAG.sub(" ", doc)).split())


def sentence_containing(text: str, start: int) -> str:
    """The sentence of `text` around position `start`, for quoting the documentation back to the reader."""
    previous_end = text.rfind(". ", 0, start)
    begin = previous_end + 2 if previous_end >= 0 else 0
    end = text.find(". ", start)
    return text[begin : end + 1 if end >= 0 else len(text)].strip()


@dataclass(frozen=True)
class DocumentedRange:
    """A numeric range stated in prose ("The range is 5–300 seconds"), with the sentence that states it."""

    min: int
    max: int
    sentence: str


def range_in_documentation(doc: Shape | str | None) -> DocumentedRange | None:
    """The first "range is A–B" / "from A to B" / "between A and B" in a documentation string."""
    return _range_in_documentation(_raw_documentation(doc))


@_parsed_once
def _range_in_documentation(raw: str) -> DocumentedRange | None:
    text = _plain_text(raw)
    found = _RANGE.search(text)
    if found is None:
        return None
    low, high = int(found.group(1)), int(found.group(2))
    return DocumentedRange(min(low, high), max(low, high), sentence_containing(text, found.start()))


@_per_model
def documented_range(root: str, path: str = "") -> DocumentedRange | None:
    """The range a member's documentation states, if any (`documented_range("CreateTargetGroup",
    "config.healthCheck.healthCheckIntervalSeconds")` is 5-300 while the model says 0-300)."""
    return range_in_documentation(member_shape(root, path))


@dataclass(frozen=True)
class DocumentedValues:
    """The only values a member's documentation allows ("Only 404 and 500 status codes are supported")."""

    values: tuple[int, ...]
    sentence: str


def values_in_documentation(doc: Shape | str | None) -> DocumentedValues | None:
    """The only values a documentation string allows ("Only 404 and 500 status codes are supported")."""
    return _values_in_documentation(_raw_documentation(doc))


@_parsed_once
def _values_in_documentation(raw: str) -> DocumentedValues | None:
    text = _plain_text(raw)
    found = _ONLY_VALUES.search(text)
    if found is None:
        return None
    values = tuple(int(number) for number in re.findall(r"\d+", found.group(1)))
    return DocumentedValues(values, sentence_containing(text, found.start()))


@_per_model
def documented_values(root: str, path: str = "") -> DocumentedValues | None:
    return values_in_documentation(member_shape(root, path))


@dataclass(frozen=True)
class TypeApplicability:
    """Which resource types a member applies to, as its documentation states.

    `only`: the member is supported only for these types (None: no such statement);
    `excluded`: the member is not supported for these types;
    `value_only_for`: a value of the member allowed only for one type ("TCP_UDP is supported only for CIDR").
    """

    only: frozenset[str] | None
    excluded: frozenset[str]
    value_only_for: tuple[tuple[str, str], ...]
    sentence: str

    def allows(self, resource_type: str) -> bool:
        return resource_type not in self.excluded and (self.only is None or resource_type in self.only)


def applicability_in_documentation(doc: Shape | str | None) -> TypeApplicability | None:
    """Which resource types a documentation string says its member applies to, if it says."""
    return _applicability_in_documentation(_raw_documentation(doc))


@_parsed_once
def _applicability_in_documentation(raw: str) -> TypeApplicability | None:
    text = _plain_text(raw)
    only: set[str] | None = None
    excluded: set[str] = set()
    sentences: list[str] = []
    prefix = _TYPE_PREFIX.search(text)
    if prefix:
        only = set(_WORDS.findall(prefix.group(1)))
        sentences.append(prefix.group(0).strip())
    for found in _ONLY_FOR_TYPE.finditer(text):
        words = set(_WORDS.findall(found.group(1)))
        only = words if only is None else only & words
        sentences.append(sentence_containing(text, found.start()))
    for found in _NOT_FOR_TYPE.finditer(text):
        excluded |= set(_WORDS.findall(found.group(1)))
        sentences.append(sentence_containing(text, found.start()))
    value_only_for = tuple((m.group(1), m.group(2)) for m in _VALUE_ONLY_FOR.finditer(text))
    sentences += [sentence_containing(text, m.start()) for m in _VALUE_ONLY_FOR.finditer(text)]
    if only is None and not excluded and not value_only_for:
        return None
    return TypeApplicability(
        frozenset(only) if only is not None else None, frozenset(excluded), value_only_for, " ".join(sentences)
    )


@_per_model
def documented_applicability(root: str, path: str = "") -> TypeApplicability | None:
    """Which types a member applies to (`documented_applicability("CreateTargetGroup", "config.healthCheck")`
    excludes LAMBDA and ALB)."""
    return applicability_in_documentation(member_shape(root, path))


def enum_values_mentioned(doc: Shape | str | None, enum: tuple[str, ...]) -> tuple[str, ...]:
    """The values of `enum` that a documentation string names as whole words, in enum order."""
    return _enum_values_mentioned(documentation_text(doc), tuple(enum))


@_parsed_once
def _enum_values_mentioned(text: str, enum: tuple[str, ...]) -> tuple[str, ...]:
    return tuple(value for value in enum if re.search(rf"(?<![A-Z0-9_]){re.escape(value)}(?![A-Z0-9_])", text))


def load_raw_model() -> dict:
    """A fresh copy of the raw JSON model botocore ships (for tests that patch a limit and watch checks move)."""
    return copy.deepcopy(_loader().load_service_model(SERVICE_NAME, "service-2"))  # the loader caches its dict
