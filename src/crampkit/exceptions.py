"""The exceptions crampkit raises, and the problems they carry.

Every problem found in bad input is a :class:`Problem`: where it is (a
:attr:`~Problem.path` of keys and indexes), what kind of problem it is (a
stable :class:`ProblemCode`), what is wrong in plain words, and the allowed
values or limits where they apply. ``str(problem)`` is the line a person
reads, ``"cramps.sites[0]: unknown value 'nose' (allowed: ...)"``;
:meth:`InvalidInputError.as_data` gives every problem as JSON-compatible
data, for example for an HTTP 422 body.
"""

import re
import warnings
from collections.abc import Iterable, Mapping
from enum import StrEnum
from typing import Any

import attrs

__all__ = ["InvalidInputError", "KnowledgeBaseError", "Problem", "ProblemCode", "path_text"]

_PLAIN_KEY = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")


class ProblemCode(StrEnum):
    """The kind of a :class:`Problem`: a stable code that a program can act on.

    The codes and their meanings are listed in :doc:`/integration`; a code is
    never renamed or reused for another meaning within a major version, and
    new ones may be added.

    .. versionadded:: 0.2
    """

    UNKNOWN_FIELD = "unknown-field"
    MISSING = "missing"
    WRONG_TYPE = "wrong-type"
    OUT_OF_RANGE = "out-of-range"
    NOT_ALLOWED_VALUE = "not-allowed-value"
    TOO_LONG = "too-long"
    TOO_MANY = "too-many"
    EMPTY = "empty"
    FORBIDDEN_CHARACTER = "forbidden-character"
    WRONG_FORMAT = "wrong-format"
    CONFLICT = "conflict"
    DUPLICATE_KEY = "duplicate-key"
    NOT_JSON = "not-json"
    NOT_TOML = "not-toml"
    NOT_UTF8 = "not-utf8"
    TOO_LARGE = "too-large"
    TOO_DEEP = "too-deep"
    CANNOT_READ = "cannot-read"
    DUPLICATE_ID = "duplicate-id"
    UNKNOWN_REFERENCE = "unknown-reference"
    NEEDS_OVERRIDE = "needs-override"
    BELOW_SAFETY_FLOOR = "below-safety-floor"
    WORKER_FAILED = "worker-failed"
    INVALID = "invalid"
    RESERVED_VERSION = "reserved-version"

    @property
    def description(self) -> str:
        """What the code means, in plain words."""
        return _DESCRIPTIONS[self]


_DESCRIPTIONS: Mapping[ProblemCode, str] = {
    ProblemCode.UNKNOWN_FIELD: "A key that the object does not have (often a misspelt field name).",
    ProblemCode.MISSING: "A required field, or a required part of a document, is missing.",
    ProblemCode.WRONG_TYPE: "A value of the wrong JSON type, such as a string where a number belongs, "
    "a fraction where a whole number belongs, or a number that is not finite.",
    ProblemCode.OUT_OF_RANGE: "A number outside its bounds; the problem gives them as minimum and maximum.",
    ProblemCode.NOT_ALLOWED_VALUE: "A value that is not one of the allowed values; the problem lists them as allowed.",
    ProblemCode.TOO_LONG: "A string longer than its limit; the problem gives it as max_length (characters).",
    ProblemCode.TOO_MANY: "A list with more items than its limit; the problem gives it as max_items.",
    ProblemCode.EMPTY: "An empty or blank string, or an empty list where an item is needed.",
    ProblemCode.FORBIDDEN_CHARACTER: "Text holding a control character, a line break, a text-direction "
    "control or an unpaired surrogate.",
    ProblemCode.WRONG_FORMAT: "A string that does not have the required form, such as a kebab-case id.",
    ProblemCode.CONFLICT: "A value that contradicts another field, such as weeks of pregnancy when not pregnant.",
    ProblemCode.DUPLICATE_KEY: "A JSON object that gives the same key twice.",
    ProblemCode.NOT_JSON: "A document that is not valid JSON.",
    ProblemCode.NOT_TOML: "A knowledge-base file that is not valid TOML.",
    ProblemCode.NOT_UTF8: "Bytes that are not UTF-8 text.",
    ProblemCode.TOO_LARGE: "A document larger than its limit (in bytes).",
    ProblemCode.TOO_DEEP: "A document nested more deeply than allowed.",
    ProblemCode.CANNOT_READ: "A file, folder or stream that cannot be read.",
    ProblemCode.DUPLICATE_ID: "A knowledge-base id used by more than one item.",
    ProblemCode.UNKNOWN_REFERENCE: "A knowledge-base item that refers to an id no item has.",
    ProblemCode.NEEDS_OVERRIDE: "A knowledge-base extension that removes or replaces a packaged safety "
    "item without a reason under [overrides].",
    ProblemCode.BELOW_SAFETY_FLOOR: "A knowledge base that breaks a rule of the safety floor.",
    ProblemCode.WORKER_FAILED: "A row of a batch that was not checked: the worker process handling it stopped "
    "unexpectedly, and again when its rows were run alone (killed, out of memory, crashed).",
    ProblemCode.INVALID: "A problem of no kind above, such as one given as a plain string; the message says "
    "what it is.",
    ProblemCode.RESERVED_VERSION: "A custom knowledge base's version that only the packaged knowledge base may "
    "carry: one that reads as the packaged version once normalised without being it, or the packaged version "
    "with a local suffix (+...).",
}

Limit = int | float

SHOWN = 60
"""Longest part of a given string quoted back in a message (characters)."""


def kind_of(value: object) -> str:
    """Name a value's type in plain words (``"a string"``), as JSON would call it."""
    names: dict[type, str] = {bool: "a boolean", str: "a string", int: "an integer", float: "a number"}
    names |= {list: "an array", dict: "an object", tuple: "an array", type(None): "null", bytes: "bytes"}
    name = names.get(type(value))
    if name is not None:
        return name
    return f"a {type(value).__name__} object"


def show(value: object) -> str:
    """Quote a given value back in a message: short, on one line, with nothing that acts on a terminal."""
    if isinstance(value, str):
        return repr(value[:SHOWN]) + ("…" if len(value) > SHOWN else "")
    if isinstance(value, bool) or value is None:
        return kind_of(value)
    if isinstance(value, int):
        return repr(value) if abs(value) < 10**15 else "a number with more than 15 digits"
    if isinstance(value, float):
        return repr(value)
    return kind_of(value)


def closest(given: object, options: Iterable[str]) -> str | None:
    """The one of ``options`` that ``given`` most likely misspells, or ``None`` (for a "did you mean").

    Similarity is :class:`difflib.SequenceMatcher`'s ratio (through
    :func:`difflib.get_close_matches`), at least :data:`SIMILAR` for the whole
    name and for what follows the words the two share at the start (words end
    at ``-``, ``_`` and ``.``), so that ``symptom-xyz`` is not taken for
    ``symptom-fever``. Case is ignored, and ``-`` and ``_`` are not told apart
    (``per-week`` finds ``per_week``). A value that is not a string, or is one
    of ``options``, has no suggestion.

    >>> closest("nigth", ["night", "rest", "work"]), closest("symptom-xyz", ["symptom-fever"])
    ('night', None)
    """
    if not isinstance(given, str):
        return None
    import difflib  # noqa: PLC0415 - only a problem needs it: importing crampkit stays fast

    by_form: dict[str, str] = {}
    for option in options:
        if option == given:
            return None
        by_form.setdefault(_form(option), option)
    wanted = _form(given)
    for found in difflib.get_close_matches(wanted, list(by_form), n=5, cutoff=SIMILAR):
        pairs = enumerate(zip(wanted, found, strict=False))
        same = next((index for index, (mine, theirs) in pairs if mine != theirs), len(found))
        shared = max(wanted.rfind("-", 0, same), wanted.rfind(".", 0, same)) + 1  # the whole words they share
        if difflib.SequenceMatcher(None, wanted[shared:], found[shared:]).ratio() >= SIMILAR:
            return by_form[found]
    return None


SIMILAR = 0.7
"""How alike (0 to 1) a name and the known one it may misspell must be for :func:`closest` to suggest it."""


def _form(name: str) -> str:
    return name.casefold().replace("_", "-")


def did_you_mean(message: str, suggestion: str | None, listed: str = "") -> str:
    """``message``, then ``"; did you mean 'x'?"`` when there is a suggestion, then ``listed`` (after a space)."""
    asked = "" if suggestion is None else f"; did you mean {suggestion!r}?"
    return f"{message}{asked} {listed}" if listed else message + asked


def path_text(path: Iterable[str | int]) -> str:
    """Write a path as it is shown in messages: ``("cramps", "sites", 0)`` -> ``"cramps.sites[0]"``.

    Keys that are not plain names are quoted (``'my key'``).

    .. versionadded:: 0.2
    """
    text = ""
    for step in path:
        if isinstance(step, int):
            text += f"[{step}]"
        else:
            shown = step if _PLAIN_KEY.fullmatch(step) else show(step)
            text = f"{text}.{shown}" if text else shown
    return text


def _path(value: Iterable[str | int]) -> tuple[str | int, ...]:
    path = tuple(value)
    if not all(type(step) in {str, int} for step in path):
        msg = f"path: expected keys (str) and indexes (int), got {path!r}"
        raise TypeError(msg)
    return path


def _location(problem: "Problem") -> str:
    return path_text(problem.path)


@attrs.frozen
class Problem:
    """One problem found in bad input.

    ``str(problem)`` is the line shown to people, ``"<location>: <message>"``
    (just the message when the location is empty).

    Attributes:
        path: Where the problem is, as keys (``str``) and list indexes
            (``int``) from the top of the document: ``("cramps", "sites", 0)``.
            ``()`` is the whole document.
        code: What kind of problem it is (stable; see :class:`ProblemCode`).
        message: What is wrong, in plain words, without the location.
        location: Where the problem is, as shown in the line: by default the
            path written out (``"cramps.sites[0]"``); it also names the file
            and item of a knowledge base, or the document (``"profile"``) for
            a problem with the whole of it.
        allowed: The allowed values (for ``not-allowed-value``).
        minimum: The smallest value allowed (for ``out-of-range``).
        maximum: The largest value allowed (for ``out-of-range``).
        max_length: The most characters allowed (for ``too-long``).
        max_items: The most items allowed (for ``too-many``).
        suggestion: What an unknown key, value, name or id most likely
            misspells (for ``unknown-field``, ``not-allowed-value`` and
            ``unknown-reference``), also given in the message
            (``"unknown field; did you mean 'age'?"``); ``None`` when
            nothing known is close.

    .. versionadded:: 0.2
    .. versionchanged:: 0.2
       ``suggestion``.
    """

    path: tuple[str | int, ...] = attrs.field(converter=_path)
    code: ProblemCode = attrs.field(converter=ProblemCode)
    message: str = attrs.field(validator=attrs.validators.instance_of(str))
    location: str = attrs.field(
        default=attrs.Factory(_location, takes_self=True), validator=attrs.validators.instance_of(str), kw_only=True
    )
    allowed: tuple[str, ...] | None = attrs.field(default=None, kw_only=True)
    minimum: Limit | None = attrs.field(default=None, kw_only=True)
    maximum: Limit | None = attrs.field(default=None, kw_only=True)
    max_length: int | None = attrs.field(default=None, kw_only=True)
    max_items: int | None = attrs.field(default=None, kw_only=True)
    suggestion: str | None = attrs.field(default=None, kw_only=True)

    def __str__(self) -> str:
        """The line shown to people: ``"<location>: <message>"``."""
        return f"{self.location}: {self.message}" if self.location else self.message

    def under(self, step: str | int, shown: str | None = None) -> "Problem":
        """The same problem one level down: ``step`` put in front of the path.

        ``shown`` is how the step is written in the location (by default
        ``.key`` for a key and ``[n]`` for an index).
        """
        text = path_text((step,)) if shown is None else shown
        location = self.location
        joined = f"{text}{location}" if location.startswith("[") else f"{text}.{location}"
        return attrs.evolve(self, path=(step, *self.path), location=joined if location else text)

    def as_data(self) -> dict[str, Any]:
        """The problem as JSON-compatible data: ``path``, ``code``, ``message``, ``location``, and limits that apply.

        ``suggestion`` is there only when there is one (as the limits are only where they apply).
        """
        data: dict[str, Any] = {
            "path": list(self.path),
            "code": self.code.value,
            "message": self.message,
            "location": self.location,
        }
        if self.allowed is not None:
            data["allowed"] = list(self.allowed)
        for name in ("minimum", "maximum", "max_length", "max_items", "suggestion"):
            value = getattr(self, name)
            if value is not None:
                data[name] = value
        return data


class InvalidInputError(ValueError):
    """Input that crampkit cannot accept.

    Raised for a bad profile (from :func:`crampkit.load_profile`, the CLI or a
    :class:`crampkit.Profile` built in Python) and, as its subclass
    :class:`KnowledgeBaseError`, for a bad knowledge base. Every problem found
    is listed, each with the path of the offending value.

    ``str(error)`` is one line per problem, for example
    ``"cramps.per_week: must be between 0 and 100, got 500"``.

    Attributes:
        problems: Every problem found, as a :class:`Problem` with its path,
            code and message; ``str()`` of each is its line.

    .. versionchanged:: 0.2
       Each problem is a :class:`Problem` (it was a string, the line that
       ``str()`` of the problem now gives); :meth:`as_data`.

    .. deprecated:: 0.2
       Giving a problem as a plain string (it becomes a problem with code
       ``invalid`` and an empty path) warns with :class:`DeprecationWarning`:
       give a :class:`Problem` with its path and code.
    """

    problems: tuple[Problem, ...]

    def __init__(self, problems: Iterable[Problem]) -> None:
        """Create the error from its problems, each a :class:`Problem` (a plain string is deprecated)."""
        given: Iterable[object] = problems  # strings too, until they are refused
        found = [given] if isinstance(given, str) else list(given)
        if not all(isinstance(problem, Problem) for problem in found):
            warnings.warn(
                "InvalidInputError: give each problem as a crampkit.Problem with its path and code; "
                "a plain string (a problem with code 'invalid' and no path) is deprecated",
                DeprecationWarning,
                stacklevel=2,
            )
        self.problems = tuple(
            problem if isinstance(problem, Problem) else Problem((), ProblemCode.INVALID, str(problem))
            for problem in found
        ) or (Problem((), ProblemCode.INVALID, "invalid input"),)
        super().__init__("\n".join(str(problem) for problem in self.problems))

    def __reduce__(self) -> tuple[type["InvalidInputError"], tuple[tuple[Problem, ...]]]:
        """Pickle with the problems (so the error crosses process boundaries)."""
        return (type(self), (self.problems,))

    def as_data(self) -> dict[str, Any]:
        """Every problem as JSON-compatible data, ``{"problems": [{"path": [...], "code": ..., ...}, ...]}``.

        Each problem has ``path`` (keys and indexes), ``code`` (a
        :class:`ProblemCode` value), ``message`` and ``location`` (as in
        :class:`Problem`), and ``allowed``, ``minimum``, ``maximum``,
        ``max_length``, ``max_items`` or ``suggestion`` where they apply.
        :func:`crampkit.error_schema` is its JSON Schema.

        .. versionadded:: 0.2
        """
        return {"problems": [problem.as_data() for problem in self.problems]}


class KnowledgeBaseError(InvalidInputError):
    """A knowledge base that fails validation.

    Each problem names the file (when there is one) and the item, for example
    ``"red_flags.toml: red_flags[2] (possible-clot): urgency: ..."``.
    """
