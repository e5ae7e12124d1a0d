"""JSON Schema (Draft 2020-12) for the JSON contract, generated from the classes.

The schemas are derived from the attrs classes, their ``Annotated``
constraints and the vocabularies, so they cannot drift from what
:func:`crampkit.load_profile` accepts.

>>> schema = profile_schema()
>>> schema["$schema"]
'https://json-schema.org/draft/2020-12/schema'
>>> schema["properties"]["age"]["anyOf"][0]
{'type': 'integer', 'minimum': 0, 'maximum': 120}
"""

import types
from enum import StrEnum
from typing import Annotated, Any, Union, get_args, get_origin, get_type_hints

import attrs

from crampkit._checks import field_constraints, is_checked, json_keys
from crampkit._validators import MAX_ITEMS, Constraint, Id, OneOf, Text
from crampkit.exceptions import InvalidInputError, Problem, ProblemCode
from crampkit.guidance import Guidance
from crampkit.profile import Profile

__all__ = ["guidance_schema", "json_schema", "profile_schema"]

DRAFT = "https://json-schema.org/draft/2020-12/schema"

_TEXT = Text(max_length=None)


class _Builder:
    """Builds one schema document, collecting nested classes under ``$defs``.

    It reads the same type hints and constraints as the checks in
    :mod:`crampkit._checks`, and each constraint describes itself.
    """

    def __init__(self, *, limit_lists: bool) -> None:
        self.defs: dict[str, dict[str, Any]] = {}
        self.limit_lists = limit_lists

    def type_schema(self, type_: Any, constraints: tuple[Constraint, ...] = ()) -> dict[str, Any]:  # noqa: ANN401
        origin = get_origin(type_)
        args = get_args(type_)
        if origin is Annotated:
            extra = tuple(arg for arg in args[1:] if isinstance(arg, Constraint))
            return self.type_schema(args[0], (*extra, *constraints))
        if origin in (Union, types.UnionType):
            return {"anyOf": [self.type_schema(arg, constraints) for arg in args]}
        if type_ is type(None):
            return {"type": "null"}
        if origin in (frozenset, tuple):
            schema: dict[str, Any] = {"type": "array", "items": self.type_schema(args[0])}
            if origin is frozenset and self.limit_lists:
                schema["maxItems"] = MAX_ITEMS
            for constraint in constraints:
                schema |= constraint.schema()  # NonEmpty: minItems
            return schema
        if isinstance(type_, type) and issubclass(type_, StrEnum):
            return {"type": "string", "enum": [member.value for member in type_]}
        if attrs.has(type_):
            return self._ref(type_)
        if type_ is bool:
            return {"type": "boolean"}
        if type_ in (int, float):
            schema = {"type": "integer" if type_ is int else "number"}
            for constraint in constraints:
                schema |= constraint.schema()  # Range: minimum, maximum and whole numbers
            return schema
        return self._string(constraints)

    @staticmethod
    def _string(constraints: tuple[Constraint, ...]) -> dict[str, Any]:
        schema: dict[str, Any] = {"type": "string"}
        if not any(isinstance(c, Text | Id) for c in constraints):
            schema |= _TEXT.schema()
        for constraint in constraints:
            if isinstance(constraint, Text | Id | OneOf):
                schema |= constraint.schema()
        return schema

    def _ref(self, cls: type) -> dict[str, Any]:
        self.defs[cls.__name__] = self.object_schema(cls)
        return {"$ref": f"#/$defs/{cls.__name__}"}

    def object_schema(self, cls: type) -> dict[str, Any]:
        hints = get_type_hints(cls, include_extras=True)
        keys = json_keys(cls)
        properties: dict[str, Any] = {}
        required: list[str] = []
        for field in attrs.fields(cls):
            key = keys.get(field.name, field.name)
            properties[key] = self.type_schema(hints[field.name], field_constraints(field))
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


def json_schema(cls: type, *, limit_lists: bool = True) -> dict[str, Any]:
    """The Draft 2020-12 JSON Schema of an attrs class of crampkit's JSON contract.

    Raises:
        InvalidInputError: ``cls`` is not one of crampkit's classes.
    """
    if not is_checked(cls):
        msg = f"expected a crampkit class such as crampkit.Profile, got {cls!r}"
        raise InvalidInputError([Problem(("cls",), ProblemCode.WRONG_TYPE, msg, location="json_schema(): cls")])
    builder = _Builder(limit_lists=limit_lists)
    root = builder.object_schema(cls)
    return {
        "$schema": DRAFT,
        "$id": f"urn:crampkit:{cls.__name__.lower()}",
        **root,
        "$defs": dict(sorted(builder.defs.items())),
    }


def profile_schema() -> dict[str, Any]:
    """The JSON Schema of a :class:`~crampkit.Profile` document (the input)."""
    return json_schema(Profile)


def guidance_schema() -> dict[str, Any]:
    """The JSON Schema of a :class:`~crampkit.Guidance` document (the output)."""
    return json_schema(Guidance, limit_lists=False)
