"""Value constraints: one definition each, for construction, JSON loading and JSON Schema.

A constraint is attached to a type with ``typing.Annotated`` or given as a
field's attrs validator. :mod:`crampkit._model.checks` reads it from either place
and applies it when an object is built in Python and when JSON is
structured; :mod:`crampkit.io.schema` turns the same object into JSON Schema
keywords. Each constraint says what is wrong with a value in plain words
(``problem``), can stand as an attrs validator (``__call__``), and describes
itself (``schema``): the three uses cannot disagree.

Every string crossing a boundary is :class:`Text`: it has a visible
character and no control character (C0, DEL or C1), no line or paragraph
separator, no bidirectional embedding, override or isolate, and no unpaired
surrogate. The rule is one regular expression, :data:`TEXT_PATTERN`, used
as is by the checks and by the JSON Schema.
"""

import math
import re
from typing import Any

import attrs

from crampkit.exceptions import InvalidInputError, Problem, ProblemCode, closest, did_you_mean, kind_of, show

MAX_TEXT = 200
"""Longest string accepted in a profile (characters)."""
MAX_ITEMS = 100
"""Most items accepted in one profile list."""
MAX_ID = 100
"""Longest knowledge-base id accepted (characters)."""
LISTED = 40
"""Most allowed values listed in a message; a longer vocabulary is named instead."""

_FORBIDDEN = (
    (0x00, 0x1F),  # C0 controls, including tab, line feed and carriage return
    (0x7F, 0x9F),  # DEL and the C1 controls
    (0x2028, 0x2029),  # line and paragraph separators
    (0x202A, 0x202E),  # bidirectional embeddings and overrides
    (0x2066, 0x2069),  # bidirectional isolates
    (0xD800, 0xDFFF),  # surrogates: never valid alone in text
)
_INVISIBLE = (
    *_FORBIDDEN,
    (0x20, 0x20),
    (0xA0, 0xA0),
    (0xAD, 0xAD),
    (0x34F, 0x34F),  # combining grapheme joiner
    (0x600, 0x605),
    (0x61C, 0x61C),
    (0x6DD, 0x6DD),
    (0x70F, 0x70F),
    (0x890, 0x891),
    (0x8E2, 0x8E2),
    (0x115F, 0x1160),  # Hangul fillers
    (0x1680, 0x1680),
    (0x180E, 0x180E),
    (0x2000, 0x200F),  # spaces, zero-width characters, direction marks
    (0x202F, 0x202F),
    (0x205F, 0x2064),
    (0x206A, 0x206F),
    (0x2800, 0x2800),  # blank Braille pattern
    (0x3000, 0x3000),
    (0x3164, 0x3164),  # Hangul filler
    (0xFE00, 0xFE0F),  # variation selectors
    (0xFEFF, 0xFEFF),
    (0xFFA0, 0xFFA0),
    (0xFFF9, 0xFFFB),
    (0x110BD, 0x110BD),
    (0x110CD, 0x110CD),
    (0x13430, 0x1343F),
    (0x1BCA0, 0x1BCA3),
    (0x1D173, 0x1D17A),
    (0xE0001, 0xE0001),
    (0xE0020, 0xE007F),  # tags
    (0xE0100, 0xE01EF),  # variation selectors supplement
)


def _char_class(ranges: tuple[tuple[int, int], ...]) -> str:
    """A regex character class body: BMP code points escaped, others literally (portable to ECMA 262)."""

    def one(code: int) -> str:
        return f"\\u{code:04x}" if code <= 0xFFFF else chr(code)  # noqa: PLR2004 - the end of the BMP

    return "".join(one(low) if low == high else f"{one(low)}-{one(high)}" for low, high in ranges)


TEXT_PATTERN = f"^(?=[{_char_class(_INVISIBLE)}]*[^{_char_class(_INVISIBLE)}])[^{_char_class(_FORBIDDEN)}]*(?![\\s\\S])"
"""What every string must match: a visible character, and nothing forbidden.

It ends in ``(?![\\s\\S])`` rather than ``$`` (which also matches before a
final line feed), so searching with it tests the whole string.
"""
TEXT = re.compile(TEXT_PATTERN)
""":data:`TEXT_PATTERN`, compiled."""
_FORBIDDEN_CHAR = re.compile(f"[{_char_class(_FORBIDDEN)}]")
_LINE_BREAKS = frozenset("\n\r\x0b\x0c\x85\u2028\u2029")

ID_PATTERN = r"^[a-z0-9]+(?:-[a-z0-9]+)*(?![\s\S])"
"""A kebab-case id: lower-case letters and digits in groups joined by single hyphens, and nothing after."""
_ID = re.compile(ID_PATTERN)


def fault(code: ProblemCode, message: str, **limits: Any) -> Problem:  # noqa: ANN401 - limits of any kind
    """A problem with the value itself (its path is given by whoever holds the value)."""
    return Problem((), code, message, **limits)


def wrong_type(expected: str, value: object) -> Problem:
    """The problem of a value of the wrong JSON type: ``"expected <expected>, got <its type>"``."""
    return fault(ProblemCode.WRONG_TYPE, f"expected {expected}, got {kind_of(value)}")


class Constraint:
    """What all constraints share: a check (``fault``), its message (``problem``) and an attrs validator."""

    def fault(self, value: Any) -> Problem | None:  # noqa: ANN401 - any value may be checked
        """The problem with ``value`` (with its code and limits), or ``None`` when it fits."""
        raise NotImplementedError

    def problem(self, value: Any) -> str | None:  # noqa: ANN401 - any value may be checked
        """Say what is wrong with ``value`` in words, or ``None`` when it fits."""
        found = self.fault(value)
        return None if found is None else found.message

    def schema(self) -> dict[str, Any]:
        """The JSON Schema keywords that say the same."""
        raise NotImplementedError

    def example(self) -> Any:  # noqa: ANN401 - a value of any kind
        """A value that fits (the example in the JSON Schema when no example document gives one)."""
        raise NotImplementedError

    def __call__(self, _inst: object, attribute: "attrs.Attribute[Any]", value: object) -> None:
        """Validate as an attrs validator; ``None`` passes (an optional field)."""
        if value is None:
            return
        found = self.fault(value)
        if found is not None:
            raise InvalidInputError([found.under(attribute.name)])


@attrs.frozen
class Range(Constraint):
    """A closed numeric interval, ``low <= value <= high``.

    With ``integer=True`` the value must be a whole number; as in JSON Schema,
    ``70.0`` counts as the integer 70, but ``70.9`` is an error.
    """

    low: float
    high: float
    integer: bool = False

    def fault(self, value: object) -> Problem | None:
        """The problem with ``value``, or ``None`` when it fits."""
        if isinstance(value, bool) or not isinstance(value, int | float):
            return wrong_type("an integer" if self.integer else "a number", value)
        if isinstance(value, float):
            if not math.isfinite(value):
                return fault(ProblemCode.WRONG_TYPE, f"expected a finite number, got {value!r}")
            if self.integer and not value.is_integer():
                return fault(ProblemCode.WRONG_TYPE, f"expected an integer, got {value!r}")
        if not self.low <= value <= self.high:
            return fault(
                ProblemCode.OUT_OF_RANGE,
                f"must be between {_num(self.low)} and {_num(self.high)}, got {show(value)}",
                minimum=_bound(self.low),
                maximum=_bound(self.high),
            )
        return None

    def schema(self) -> dict[str, Any]:
        """``minimum`` and ``maximum`` (when finite), and ``"type": "integer"`` for whole numbers."""
        schema: dict[str, Any] = {"type": "integer"} if self.integer else {}
        if math.isfinite(self.low):
            schema["minimum"] = _schema_number(self.low)
        if math.isfinite(self.high):
            schema["maximum"] = _schema_number(self.high)
        return schema

    def example(self) -> int | float:
        """The middle of the range, a whole number for whole-number ranges."""
        low = self.low if math.isfinite(self.low) else 0
        high = self.high if math.isfinite(self.high) else low + 100
        middle = (low + high) / 2
        return int(middle) if self.integer else _schema_number(round(middle, 1))


@attrs.frozen
class Text(Constraint):
    """A string that matches :data:`TEXT_PATTERN`, of at most ``max_length`` characters (``None``: no limit)."""

    max_length: int | None = MAX_TEXT

    def fault(self, value: object) -> Problem | None:
        """The problem with ``value``, or ``None`` when it fits."""
        if not isinstance(value, str):
            return wrong_type("a string", value)
        if self.max_length is not None and len(value) > self.max_length:
            return fault(
                ProblemCode.TOO_LONG,
                f"must be at most {self.max_length} characters, got {len(value)}",
                max_length=self.max_length,
            )
        if TEXT.search(value):
            return None
        return text_fault(value)

    def schema(self) -> dict[str, Any]:
        """``minLength``, ``maxLength`` and :data:`TEXT_PATTERN`."""
        schema: dict[str, Any] = {"minLength": 1}
        if self.max_length is not None:
            schema["maxLength"] = self.max_length
        return schema | {"pattern": TEXT_PATTERN}

    def example(self) -> str:
        """Some text."""
        return "text"


ANY_TEXT = Text(max_length=None)
"""Text of any length: what every string is unless a field says more."""


def text_problem(value: str) -> str:
    """Why a string that does not match :data:`TEXT_PATTERN` fails, in words."""
    return text_fault(value).message


def text_fault(value: str) -> Problem:
    """Why a string that does not match :data:`TEXT_PATTERN` fails."""
    found = _FORBIDDEN_CHAR.search(value)
    if found is None:
        message = "must not be empty" if not value.strip() else "must contain a visible character"
        return fault(ProblemCode.EMPTY, message)
    char = found.group()
    where = f"U+{ord(char):04X} at position {found.start() + 1}"
    if char in _LINE_BREAKS:
        message = f"must be on one line (found a line break, {where})"
    elif 0xD800 <= ord(char) <= 0xDFFF:  # noqa: PLR2004 - the surrogate block
        message = f"is not valid text (found an unpaired surrogate, {where})"
    elif ord(char) >= 0x2000:  # noqa: PLR2004 - the bidirectional controls; the others are below
        message = f"must not contain text-direction controls (found {where})"
    else:
        message = f"must not contain control characters (found {where})"
    return fault(ProblemCode.FORBIDDEN_CHARACTER, message)


def _num(value: float) -> str:
    return str(int(value)) if value == int(value) else str(value)


def _schema_number(value: float) -> int | float:
    return int(value) if float(value).is_integer() else value


def _bound(value: float) -> int | float | None:
    return _schema_number(value) if math.isfinite(value) else None


@attrs.frozen
class Id(Constraint):
    """A kebab-case id (:data:`ID_PATTERN`), at most :data:`MAX_ID` characters."""

    def fault(self, value: object) -> Problem | None:
        """The problem with ``value``, or ``None`` when it fits."""
        if not isinstance(value, str):
            return wrong_type("a string", value)
        if len(value) > MAX_ID or not _ID.search(value):
            return fault(
                ProblemCode.WRONG_FORMAT,
                f"must be a kebab-case id (lower-case letters and digits, joined by hyphens), got {show(value)}",
            )
        return None

    def schema(self) -> dict[str, Any]:
        """``maxLength`` and :data:`ID_PATTERN`."""
        return {"minLength": 1, "maxLength": MAX_ID, "pattern": ID_PATTERN}

    def example(self) -> str:
        """A kebab-case id."""
        return "an-id"


@attrs.frozen
class Code(Constraint):
    """A code of a code system: a string that matches ``pattern`` as a whole (``what`` says what it is).

    .. versionadded:: 0.2
    """

    pattern: str
    what: str
    example_code: str

    def fault(self, value: object) -> Problem | None:
        """The problem with ``value``, or ``None`` when it fits."""
        if not isinstance(value, str):
            return wrong_type("a string", value)
        if not re.fullmatch(self.pattern, value):
            return fault(ProblemCode.WRONG_FORMAT, f"must be {self.what}, got {show(value)}")
        return None

    def schema(self) -> dict[str, Any]:
        """The pattern, anchored at both ends."""
        return {"pattern": f"^(?:{self.pattern})$"}

    def example(self) -> str:
        """A code of the right shape."""
        return self.example_code


@attrs.frozen
class NonEmpty(Constraint):
    """A string with a visible character (as :class:`Text`), or a collection with at least one item."""

    def fault(self, value: object) -> Problem | None:
        """The problem with ``value``, or ``None`` when it fits."""
        if isinstance(value, str):
            return ANY_TEXT.fault(value)
        if isinstance(value, tuple | frozenset | list | set) and not value:
            return fault(ProblemCode.EMPTY, "must not be empty")
        return None

    def schema(self) -> dict[str, Any]:
        """``minItems`` (strings are already non-empty text)."""
        return {"minItems": 1}


@attrs.frozen
class OneOf(Constraint):
    """One of a fixed set of strings: a vocabulary (``name`` names its enum when there is one).

    The message lists the allowed values, or names the enum when there are
    more than :data:`LISTED` of them, after the value it most likely
    misspells, if any ("did you mean", also the problem's ``suggestion``).
    """

    options: tuple[str, ...]
    name: str | None = None

    def fault(self, value: object) -> Problem | None:
        """The problem with ``value``, or ``None`` when it fits."""
        if value in self.options:
            return None
        listed = (
            ", ".join(self.options) if len(self.options) <= LISTED or self.name is None else f"see crampkit.{self.name}"
        )
        suggestion = closest(value, self.options)
        message = did_you_mean(f"unknown value {show(value)}", suggestion, f"(allowed: {listed})")
        return fault(ProblemCode.NOT_ALLOWED_VALUE, message, allowed=self.options, suggestion=suggestion)

    def schema(self) -> dict[str, Any]:
        """``enum``."""
        return {"enum": list(self.options)}

    def example(self) -> str:
        """The first allowed value."""
        return self.options[0]


@attrs.frozen
class MaxItems(Constraint):
    """A list of at most ``limit`` items (the cap on every list a profile can give)."""

    limit: int = MAX_ITEMS

    def fault(self, value: object) -> Problem | None:
        """The problem with ``value``, or ``None`` when it fits."""
        if isinstance(value, list | tuple | set | frozenset) and len(value) > self.limit:
            return fault(ProblemCode.TOO_MANY, f"at most {self.limit} items, got {len(value)}", max_items=self.limit)
        return None

    def schema(self) -> dict[str, Any]:
        """``maxItems``."""
        return {"maxItems": self.limit}


def string_constraints(constraints: tuple[Constraint, ...]) -> tuple[Constraint, ...]:
    """The rules of a string field: :class:`Text` (any length) unless a text or id rule is given.

    :class:`NonEmpty` is left out: text is never empty anyway.
    """
    rules = tuple(c for c in constraints if not isinstance(c, NonEmpty))
    if any(isinstance(c, Text | Id | Code) for c in rules):
        return rules
    return (ANY_TEXT, *rules)


check_id = Id()
"""The attrs validator of every knowledge-base ``id``."""
check_not_empty = NonEmpty()
"""The attrs validator of required text and of lists that need an item."""
