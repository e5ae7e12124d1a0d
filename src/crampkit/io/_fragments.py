"""Compact JSON of crampkit's objects, put together from the JSON of their parts, each part encoded once (internal).

A plan shares the parts of guidance it builds (recommendations, red flags,
causes, texts...): the same part comes back as the same object, call after
call, while whole guidance rarely repeats. So each part's JSON is kept by
the part's identity (:func:`~crampkit._caches.by_identity`), and an object
is written as its fields' JSON around the kept fragments. The text is
exactly ``json.dumps(unstructure(value), ensure_ascii=False, separators=(",", ":"))``:
crampkit's converter writes every attrs class as a dict of its fields in
order, under their JSON keys, leaving out those equal to their default, and
JSON is written field by field, so the same fragments give the same bytes.
"""

import json
from typing import Any

import attrs

from crampkit._caches import by_identity, cached
from crampkit._model.checks import json_keys
from crampkit._model.convert import converter

__all__ = ["attrs_json"]

_ENCODE = json.JSONEncoder(ensure_ascii=False, separators=(",", ":")).encode
"""What ``json.dumps(value, ensure_ascii=False, separators=(",", ":"))`` writes, with one encoder for all."""

_PARTS_KEPT = 16_384


@by_identity(_PARTS_KEPT)
def _part(value: object) -> str:
    """The JSON of one part of guidance (a recommendation, a red flag, a fact, a text...), kept while it is shared."""
    return _ENCODE(converter().unstructure(value))


def _encoded(value: object) -> str:
    """The JSON of a field's value: a tuple from its members' kept JSON, anything else kept as a part."""
    if isinstance(value, tuple):  # the tuple is made for each call; its members are shared
        return "[" + ",".join(map(_part, value)) + "]"
    return _part(value)


_NEVER: Any = object()
"""The default of a field without one: no value equals it, so the field is always written."""


@cached
def _fields(cls: type) -> tuple[tuple[str, str, object], ...]:
    """Each field of the attrs class ``cls``: its name, its JSON key written for output, and its default.

    In the order crampkit's converter writes them, which leaves a field out
    when its value equals its default (``omit_if_default``); crampkit's
    defaults are immutable, so a factory's value is made once.
    """
    keys = json_keys(cls)
    found: list[tuple[str, str, object]] = []
    fields = attrs.fields(cls)
    # the converter writes the fields without a default first, then the others, each group in order
    for field in sorted(fields, key=lambda field: field.default is not attrs.NOTHING):
        default: object = field.default
        if isinstance(default, attrs.Factory):  # type: ignore[arg-type]
            default = default.factory()  # type: ignore[attr-defined]
        elif default is attrs.NOTHING:
            default = _NEVER
        found.append((field.name, _ENCODE(keys.get(field.name, field.name)) + ":", default))
    return tuple(found)


def attrs_json(value: object) -> str:
    """``value``, an instance of one of crampkit's attrs classes, as compact JSON text, as the converter writes it."""
    written = [
        key + _encoded(field)
        for name, key, default in _fields(type(value))
        if (field := getattr(value, name)) != default
    ]
    return "{" + ",".join(written) + "}"
