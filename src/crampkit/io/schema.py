"""JSON Schema (Draft 2020-12) for the JSON contract, generated from the classes.

The schemas are derived from the attrs classes, their ``Annotated``
constraints and the vocabularies, so they cannot drift from what
:func:`crampkit.load_profile` accepts. Every field carries a
``description``, taken from the ``Attributes`` section of its class's
docstring (the text the API reference shows), and an ``examples`` entry:
its value in the example documents (the example profile and the guidance
for it), or else one that its type and constraints give.

>>> from crampkit import profile_schema
>>> schema = profile_schema()
>>> schema["$schema"]
'https://json-schema.org/draft/2020-12/schema'
>>> schema["properties"]["age"]["anyOf"][0]
{'type': 'integer', 'minimum': 0, 'maximum': 120}
>>> schema["properties"]["age"]["description"]
'Age in years (0 to 120).'
"""

import inspect
import re
import types
from collections.abc import Callable, Iterable, Mapping
from enum import StrEnum
from types import MappingProxyType
from typing import Any, Union, get_args, get_origin, get_type_hints

import attrs

from crampkit._model.checks import (
    annotated,
    collection_constraints,
    enum_constraint,
    field_constraints,
    is_collection,
    json_keys,
)
from crampkit._model.constraints import Code, Constraint, Id, OneOf, Range, Text, string_constraints
from crampkit.exceptions import Problem, ProblemCode

__all__ = ["Examples", "collect_examples", "error_schema", "json_schema", "openapi", "type_in_words"]

DRAFT = "https://json-schema.org/draft/2020-12/schema"

_JSON_TYPES: Mapping[type, str] = MappingProxyType({bool: "boolean", int: "integer", float: "number", str: "string"})
"""The JSON Schema type of each Python type of a field that is neither a collection, a vocabulary nor a class."""

_ENTRY = re.compile(r"^    (\w+): ?(.*)$")
_ROLE = re.compile(r":[a-z:]+:`~?([^`<]*?)(?: <[^>]*>)?`")
_LITERAL = re.compile(r"``(.*?)``")

Examples = Mapping[type, Mapping[str, Any]]
"""Example values of fields, by class and JSON key."""


def _descriptions(cls: type) -> Mapping[str, str]:
    """The description of each field of ``cls``, from the ``Attributes`` section of its docstring, as plain text.

    Roles and literals are written as plain words (``:class:`~crampkit.Site```
    as ``Site``), and directives such as ``versionadded`` are left out.
    """
    lines = (inspect.getdoc(cls) or "").splitlines()
    start = lines.index("Attributes:") + 1 if "Attributes:" in lines else len(lines)
    found: dict[str, list[str]] = {}
    current: list[str] = []
    for line in lines[start:]:
        if line and not line.startswith("    "):
            break  # the next section
        entry = _ENTRY.match(line)
        if entry:
            current = found.setdefault(entry.group(1), [])
            current.append(entry.group(2))
        elif line.strip().startswith(".. "):
            current = []  # a directive ends the description
        else:
            current.append(line.strip())
    return {name: _without_markup(" ".join(words)) for name, words in found.items()}


def _without_markup(text: str) -> str:
    """Docstring text as plain words: roles and literals unwrapped, whitespace folded."""
    text = _LITERAL.sub(r"\1", _ROLE.sub(lambda match: match.group(1).rsplit(".", 1)[-1], text))
    return " ".join(text.split())


class _Builder:
    """Builds one schema document, collecting nested classes under ``$defs``.

    It reads the same type hints and constraints as the checks in
    :mod:`crampkit._model.checks` (through the same helpers), and each constraint
    describes itself.
    """

    def __init__(self, *, limit_lists: bool, examples: Examples) -> None:
        self.defs: dict[str, dict[str, Any]] = {}
        self.limit_lists = limit_lists
        self.examples = examples

    def type_schema(self, type_: Any, constraints: tuple[Constraint, ...] = ()) -> dict[str, Any]:  # noqa: ANN401
        type_, constraints = annotated(type_, constraints)
        origin = get_origin(type_)
        args = get_args(type_)
        if origin in (Union, types.UnionType):
            return {"anyOf": [self.type_schema(arg, constraints) for arg in args]}
        if type_ is type(None):
            return {"type": "null"}
        if is_collection(type_):
            schema: dict[str, Any] = {"type": "array", "items": self.type_schema(args[0])}
            for constraint in collection_constraints(origin, constraints, limit=self.limit_lists):
                schema |= constraint.schema()  # maxItems, minItems
            return schema
        if isinstance(type_, type) and issubclass(type_, StrEnum):
            return {"type": "string"} | enum_constraint(type_).schema()
        if attrs.has(type_):
            return self._ref(type_)
        schema = {"type": _JSON_TYPES[type_]}
        if type_ is bool:
            return schema
        if type_ in (int, float):
            for constraint in constraints:
                schema |= constraint.schema()  # Range: minimum, maximum and whole numbers
            return schema
        for constraint in string_constraints(constraints):
            schema |= constraint.schema()
        return schema

    def _ref(self, cls: type) -> dict[str, Any]:
        if cls.__name__ not in self.defs:
            self.defs[cls.__name__] = {}  # claimed first: a class that holds itself ends here
            self.defs[cls.__name__] = self.object_schema(cls)
        return {"$ref": f"#/$defs/{cls.__name__}"}

    def object_schema(self, cls: type) -> dict[str, Any]:
        hints = get_type_hints(cls, include_extras=True)
        keys = json_keys(cls)
        descriptions = _descriptions(cls)
        examples = self.examples.get(cls, {})
        properties: dict[str, Any] = {}
        required: list[str] = []
        for field in attrs.fields(cls):
            key = keys.get(field.name, field.name)
            hint = hints[field.name]
            constraints = field_constraints(field)
            described = {"description": descriptions[field.name]} if field.name in descriptions else {}
            example = examples[key] if key in examples else self.example(hint, constraints)
            properties[key] = self.type_schema(hint, constraints) | described | {"examples": [example]}
            if field.default is attrs.NOTHING:
                required.append(key)
        schema: dict[str, Any] = {
            "type": "object",
            "title": cls.__name__,
            "description": (cls.__doc__ or "").strip().splitlines()[0],
            "properties": properties,
            "additionalProperties": False,
        }
        if required:
            schema["required"] = required
        rules = getattr(cls, "json_schema_rules", ())
        if rules:
            schema["allOf"] = list(rules)  # rules across fields, such as weeks of pregnancy only when pregnant
        return schema

    def example(self, type_: Any, constraints: tuple[Constraint, ...] = ()) -> Any:  # noqa: ANN401
        """A value of ``type_`` that meets ``constraints``, for a field that no example document fills."""
        type_, constraints = annotated(type_, constraints)
        args = get_args(type_)
        if get_origin(type_) in (Union, types.UnionType):
            return self.example(next(arg for arg in args if arg is not type(None)), constraints)
        if is_collection(type_):
            return [self.example(args[0])]
        if isinstance(type_, type) and issubclass(type_, StrEnum):
            return enum_constraint(type_).example()
        if attrs.has(type_):
            self._ref(type_)
            return {key: value["examples"][0] for key, value in self.defs[type_.__name__]["properties"].items()}
        if type_ is bool:
            return True
        if type_ in (int, float):
            ranges = [c for c in constraints if isinstance(c, Range)]
            return ranges[0].example() if ranges else type_(1)
        rules = string_constraints(constraints)
        return next(rule for kind in (OneOf, Id, Code, Text) for rule in rules if isinstance(rule, kind)).example()


def _collect(value: object, examples: dict[type, dict[str, Any]]) -> None:
    """Record the fields that ``value`` (a crampkit object) fills, first value seen first."""
    from crampkit.io.json import unstructure  # noqa: PLC0415 - cattrs is imported when first needed

    if isinstance(value, tuple | frozenset):
        for item in value:
            _collect(item, examples)
        return
    if not attrs.has(type(value)):
        return
    cls: Any = type(value)
    data = unstructure(value)
    known = examples.setdefault(cls, {})
    for field in attrs.fields(cls):
        key = json_keys(cls).get(field.name, field.name)
        if key in data and data[key] not in ([], {}) and key not in known:
            known[key] = data[key]
        _collect(getattr(value, field.name), examples)


def json_schema(cls: type, examples: Examples, *, limit_lists: bool = True) -> dict[str, Any]:
    """The JSON Schema (Draft 2020-12) of ``cls``, with examples from ``examples``; see :func:`crampkit.json_schema`."""
    builder = _Builder(limit_lists=limit_lists, examples=examples)
    root = builder.object_schema(cls)
    return {
        "$schema": DRAFT,
        "$id": f"urn:crampkit:{cls.__name__.lower()}",
        **root,
        "$defs": dict(sorted(builder.defs.items())),
    }


_PROBLEM_PROPERTIES: Mapping[str, Mapping[str, Any]] = MappingProxyType(
    {
        "path": {"type": "array", "items": {"type": ["string", "integer"]}},
        "code": {"type": "string", "enum": [code.value for code in ProblemCode]},
        "message": {"type": "string"},
        "location": {"type": "string"},
        "allowed": {"type": "array", "items": {"type": "string"}},
        "minimum": {"type": "number"},
        "maximum": {"type": "number"},
        "max_length": {"type": "integer", "minimum": 0},
        "max_items": {"type": "integer", "minimum": 0},
        "suggestion": {"type": "string"},
    }
)
"""The JSON Schema of each key of :meth:`crampkit.Problem.as_data` (one per field of the problem)."""


def error_schema(example: Mapping[str, Any]) -> dict[str, Any]:
    """The JSON Schema of an error body, with ``example``; see :func:`crampkit.error_schema`."""
    descriptions = _descriptions(Problem)
    required = [field.name for field in attrs.fields(Problem) if field.default is attrs.NOTHING] + ["location"]
    problem = {
        "type": "object",
        "title": "Problem",
        "description": _without_markup((Problem.__doc__ or "").strip().splitlines()[0]),
        "properties": {
            name: {**schema, "description": descriptions[name]} for name, schema in _PROBLEM_PROPERTIES.items()
        },
        "required": required,
        "additionalProperties": False,
    }
    return {
        "$schema": DRAFT,
        "$id": "urn:crampkit:problems",
        "type": "object",
        "title": "Problems",
        "description": "Why input was refused: every problem found, each with its path, code and message.",
        "properties": {
            "problems": {
                "type": "array",
                "items": {"$ref": "#/$defs/Problem"},
                "description": "Every problem found, in the order found (the first ones, when more_problems "
                "counts others).",
            },
            "error": {
                "type": "string",
                "description": "What was refused, in a few words (the CDS Hooks service's answers only).",
                "examples": ["invalid request", "invalid FHIR", "request over the limits"],
            },
            "more_problems": {
                "type": "integer",
                "minimum": 1,
                "description": "How many more problems were found than the answer lists (the CDS Hooks "
                "service's answers only, which it keeps small).",
            },
        },
        "required": ["problems"],
        "anyOf": [{"properties": {"problems": {"minItems": 1}}}, {"required": ["more_problems"]}],
        "additionalProperties": False,
        "examples": [dict(example)],
        "$defs": {"Problem": problem},
    }


_LOCAL_REF = "#/$defs/"
_COMPONENT_REF = "#/components/schemas/"


def openapi(documents: Iterable[Mapping[str, Any]]) -> dict[str, Any]:
    """``documents`` (schemas of :func:`json_schema` and :func:`error_schema`) as OpenAPI components.

    Each document becomes the component named by its ``title``, and each of
    its ``$defs`` a component of its own; every ``$ref`` is rewritten to
    point at ``#/components/schemas/``, and ``$schema`` and ``$id`` (which
    would change what references resolve against) are left out. Two
    different schemas of the same name are an error (``ValueError``).
    """
    schemas: dict[str, Any] = {}
    for document in documents:
        root = {key: value for key, value in document.items() if key not in {"$schema", "$id", "$defs"}}
        for name, schema in [(document["title"], root), *document.get("$defs", {}).items()]:
            moved = _rewritten(schema)
            if schemas.setdefault(name, moved) != moved:
                msg = f"two different schemas are named {name!r}"
                raise ValueError(msg)
    return {"components": {"schemas": dict(sorted(schemas.items()))}}


def _rewritten(value: Any) -> Any:  # noqa: ANN401 - any part of a schema
    """A copy of ``value`` whose ``$ref`` values point at ``#/components/schemas/`` instead of ``#/$defs/``."""
    if isinstance(value, dict):
        return {
            key: (
                _COMPONENT_REF + item.removeprefix(_LOCAL_REF)
                if key == "$ref" and isinstance(item, str) and item.startswith(_LOCAL_REF)
                else _rewritten(item)
            )
            for key, item in value.items()
        }
    if isinstance(value, list):
        return [_rewritten(item) for item in value]
    return value


def collect_examples(values: Iterable[object]) -> Examples:
    """Example values of every field that ``values`` (crampkit objects) fill, first value seen first."""
    examples: dict[type, dict[str, Any]] = {}
    for value in values:
        _collect(value, examples)
    return examples


def type_in_words(
    hint: Any,  # noqa: ANN401 - any type hint
    constraints: tuple[Constraint, ...] = (),
    *,
    quote: Callable[[str], str] = repr,
    named: Mapping[Any, str] = MappingProxyType({}),
) -> str:
    """``hint`` in the words of its JSON Schema type, as someone writing a JSON or TOML document reads it.

    The docs use it for the type of every key of a knowledge-base section
    (see *Extending*). It reads the type as :func:`json_schema` does: ``None``
    and ranges are left out (whether a key is needed, and its range, are said
    elsewhere), a collection is an array, a vocabulary (an enum, or a string
    with a fixed set of values) lists its values and a class is a table, with
    its keys and their types (a class nested in it is named, not spelt out
    again).

    Args:
        hint: A type hint of a field.
        constraints: The field's constraints besides those in ``hint``
            (``field_constraints(field)`` for an attrs field).
        quote: How a value or a key is shown: :func:`repr` by default; the
            docs pass a Markdown code span.
        named: Words for types better named than spelt out, each a singular
            noun ("fact name"); an array of them adds an "s".

    >>> type_in_words(tuple[str, ...])
    'array of strings'
    >>> type_in_words(bool | None)
    'boolean'
    >>> from crampkit.vocab import Fact, Phase
    >>> type_in_words(frozenset[Phase])
    "array of values, each one of 'during', 'prevent'"
    >>> from crampkit.knowledge import Contraindication
    >>> type_in_words(tuple[Contraindication, ...], named={Fact: "fact name"})
    "array of tables: 'when' (Criteria table), 'reason' (string)"

    .. versionadded:: 0.2
    """
    return _words(hint, constraints, quote, named, plural=False, nested=False)


def _words(
    hint: Any,  # noqa: ANN401 - any type hint
    constraints: tuple[Constraint, ...],
    quote: Callable[[str], str],
    named: Mapping[Any, str],
    *,
    plural: bool,
    nested: bool,
) -> str:
    hint, constraints = annotated(hint, constraints)
    many = "s" if plural else ""
    if hint in named:
        return named[hint] + many
    args = [arg for arg in get_args(hint) if arg is not type(None)]
    if get_origin(hint) in (Union, types.UnionType):
        return " or ".join(_words(arg, constraints, quote, named, plural=plural, nested=nested) for arg in args)
    if is_collection(hint):
        return f"array{many} of " + _words(args[0], (), quote, named, plural=True, nested=nested)
    if isinstance(hint, type) and issubclass(hint, StrEnum):
        constraints = (enum_constraint(hint),)
    vocabulary = next((rule for rule in constraints if isinstance(rule, OneOf)), None)
    if vocabulary is not None:
        return ("values, each " if plural else "") + "one of " + ", ".join(map(quote, vocabulary.options))
    if attrs.has(hint) and nested:
        return f"{hint.__name__} table{many}"
    if attrs.has(hint):
        keys = json_keys(hint)
        hints = get_type_hints(hint, include_extras=True)
        described = []
        for field in attrs.fields(hint):
            words = _words(hints[field.name], field_constraints(field), quote, named, plural=False, nested=True)
            described.append(f"{quote(keys.get(field.name, field.name))} ({words})")
        return f"table{many}: " + ", ".join(described)
    return _JSON_TYPES[hint] + many
