"""Value constraints shared by the attrs validators and the JSON structuring hooks.

A constraint is attached to a type with ``typing.Annotated`` (so the converter
and the JSON Schema generator can read it) and used as an attrs validator (so
objects built in Python are checked too). One object, two uses: they cannot
disagree.
"""

import math
import re
from typing import Any

import attrs

from crampkit.exceptions import InvalidInputError

MAX_TEXT = 200
"""Longest string accepted in a profile (characters)."""
MAX_ITEMS = 100
"""Most items accepted in one profile list."""

ID_PATTERN = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")


@attrs.frozen
class Range:
    """A closed numeric interval, ``low <= value <= high``.

    With ``integer=True`` the value must be a whole number; as in JSON Schema,
    ``70.0`` counts as the integer 70, but ``70.9`` is an error.
    """

    low: float
    high: float
    integer: bool = False

    def problem(self, value: object) -> str | None:
        """Say what is wrong with ``value``, or ``None`` when it fits."""
        if isinstance(value, bool) or not isinstance(value, int | float):
            kind = "an integer" if self.integer else "a number"
            return f"expected {kind}, got {kind_of(value)}"
        if not math.isfinite(value):
            return f"expected a finite number, got {value!r}"
        if self.integer and not float(value).is_integer():
            return f"expected an integer, got {value!r}"
        if not self.low <= value <= self.high:
            return f"must be between {_num(self.low)} and {_num(self.high)}, got {value!r}"
        return None

    def __call__(self, _inst: object, attribute: "attrs.Attribute[Any]", value: object) -> None:
        """Validate as an attrs validator; ``None`` passes (the field is optional)."""
        if value is None:
            return
        problem = self.problem(value)
        if problem is not None:
            raise InvalidInputError([f"{attribute.name}: {problem}"])


@attrs.frozen
class Text:
    """A non-empty string of at most ``max_length`` characters."""

    max_length: int = MAX_TEXT

    def problem(self, value: object) -> str | None:
        """Say what is wrong with ``value``, or ``None`` when it fits."""
        if not isinstance(value, str):
            return f"expected a string, got {kind_of(value)}"
        if not value.strip():
            return "must not be empty"
        if len(value) > self.max_length:
            return f"must be at most {self.max_length} characters, got {len(value)}"
        return None


def _num(value: float) -> str:
    return str(int(value)) if value == int(value) else str(value)


def kind_of(value: object) -> str:
    """Name a JSON-ish value's type in plain words (``"a string"``)."""
    names = {bool: "a boolean", str: "a string", int: "an integer", float: "a number"}
    names |= {list: "an array", dict: "an object", tuple: "an array", type(None): "null"}
    return names.get(type(value), type(value).__name__)


def check_id(_inst: object, attribute: "attrs.Attribute[Any]", value: object) -> None:
    """Validate a kebab-case identifier."""
    if not isinstance(value, str) or not ID_PATTERN.match(value):
        raise InvalidInputError([f"{attribute.name}: must be a kebab-case id, got {value!r}"])


def check_not_empty(_inst: object, attribute: "attrs.Attribute[Any]", value: object) -> None:
    """Validate that a string or collection is not empty."""
    if not (value.strip() if isinstance(value, str) else value):
        raise InvalidInputError([f"{attribute.name}: must not be empty"])
