"""Reading profiles and turning crampkit objects into JSON data and back."""

import os
from collections.abc import Mapping
from typing import Any, BinaryIO, TextIO, TypeVar

import attrs

from crampkit.exceptions import InvalidInputError, Problem, ProblemCode
from crampkit.io.reading import ReadError, read_document, shown_name
from crampkit.profile import Profile

__all__ = ["MAX_PROFILE_BYTES", "load_profile", "structure", "to_json", "unstructure"]

T = TypeVar("T")

MAX_PROFILE_BYTES = 1_000_000
"""Largest profile document accepted, in bytes."""


def load_profile(source: "dict[str, Any] | str | bytes | os.PathLike[str] | BinaryIO | TextIO") -> Profile:
    """Build a :class:`~crampkit.Profile` from JSON data, JSON text, a JSON file or a stream.

    Args:
        source: A mapping (parsed JSON), a ``str`` or ``bytes`` of JSON text,
            a path (:class:`os.PathLike`, such as :class:`pathlib.Path`) to
            a JSON file, or an open stream such as ``sys.stdin`` (read as
            bytes through its buffer). A plain ``str`` is always read as
            JSON text, never as a file name. Bytes, from a file, a stream or
            not, must be UTF-8; a JSON object may not repeat a key. At most
            1,000,000 bytes are read.

    Returns:
        The validated profile.

    Raises:
        InvalidInputError: The input is not a valid profile. Every problem is
            listed with its path, e.g. ``"cramps.per_week: must be between 0
            and 100, got 500"``. No other exception escapes for bad input.

    >>> load_profile('{"age": 72, "cramps": {"timing": ["night"]}}').age
    72

    .. versionchanged:: 0.2
       Streams are accepted. Repeated keys, bytes that are not UTF-8 and
       nesting deeper than 32 levels are refused.
    """
    data: object = source
    if isinstance(source, os.PathLike | str | bytes) or (not isinstance(source, Mapping) and hasattr(source, "read")):
        try:
            data = read_document(source, MAX_PROFILE_BYTES)
        except ReadError as exc:
            message = str(exc)
            if isinstance(source, os.PathLike) and exc.code is ProblemCode.CANNOT_READ:
                message = f"{shown_name(os.fspath(source))}: {message}"
            raise InvalidInputError([Problem((), exc.code, message, location="profile")]) from None
    return _structure_as(data, Profile, root="profile")


def structure(data: object, type_: type[T]) -> T:
    """Build a crampkit object of ``type_`` from JSON-compatible ``data``, strictly.

    Raises:
        InvalidInputError: ``data`` does not fit ``type_``; every problem is listed with its path.
    """
    from crampkit._model.checks import is_checked  # noqa: PLC0415 - only needed here

    if not is_checked(type_):
        msg = f"expected a crampkit class such as crampkit.Profile, got {type_!r}"
        raise InvalidInputError([Problem(("type_",), ProblemCode.WRONG_TYPE, msg, location="structure(): type_")])
    return _structure_as(data, type_, root="input")


def _structure_as(data: object, type_: type[T], *, root: str) -> T:
    """Like :func:`structure`, naming top-level problems ``root``."""
    from crampkit._model.convert import structure as _structure  # noqa: PLC0415 - cattrs is imported when first needed

    return _structure(data, type_, root=root)


def unstructure(value: object) -> Any:  # noqa: ANN401 - JSON-compatible data of any shape
    """Turn a crampkit object into JSON-compatible data (its contract shape)."""
    from crampkit._model.convert import unstructure as _unstructure  # noqa: PLC0415 - cattrs is imported when first needed

    return _unstructure(value)


def to_json(value: object, *, indent: int | None = None) -> str:
    """Serialise a crampkit object (a profile, guidance...) as JSON text.

    Compact by default (no spaces or line breaks: the form for programs, and
    the fastest); give ``indent`` for text that people read.

    .. versionchanged:: 0.2
       Compact by default (was indented by 2).
    """
    import json  # noqa: PLC0415 - imported when first needed, to keep `import crampkit` fast

    if indent is None:
        if attrs.has(type(value)):  # from the kept JSON of its shared parts: the same text, sooner
            from crampkit.io._fragments import attrs_json  # noqa: PLC0415 - cattrs is imported when first needed

            return attrs_json(value)
        return json.dumps(unstructure(value), ensure_ascii=False, separators=(",", ":"))
    return json.dumps(unstructure(value), indent=indent, ensure_ascii=False)
