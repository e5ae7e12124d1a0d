"""Reading documents: the one place that turns files, streams and bytes into parsed data.

Profiles and knowledge bases, from a file, a folder or standard input, all
go through these functions, so the same bytes get the same answer wherever
they come from:

* at most ``limit + 1`` bytes are ever read (memory stays bounded, even for
  ``/dev/zero``), and more than ``limit`` is an error;
* bytes are decoded strictly as UTF-8 (one leading byte-order mark is
  allowed and dropped);
* JSON objects may not repeat a key, and ``NaN`` and ``Infinity`` are
  refused; a whole number of more than :data:`MAX_DIGITS` digits is read as
  a floating-point number (no field takes one so large, so the field refuses
  it, with its path, rather than the parser spending time on it);
* documents may not be nested more than :data:`MAX_DEPTH` levels deep.

Problems are raised as :class:`ReadError`, with a message in the user's
terms (never a Python exception name) and a :class:`~crampkit.ProblemCode`;
the caller says which document it was. :func:`read_document` is the one
reader behind profile and knowledge-base loading: it takes a path, a stream,
bytes or text and gives the parsed document.
"""

import os
import stat
from collections import Counter
from collections.abc import Callable, Mapping
from typing import BinaryIO, TextIO

from crampkit.exceptions import ProblemCode, show

__all__ = [
    "MAX_DEPTH",
    "MAX_DIGITS",
    "ReadError",
    "check_depth",
    "decode",
    "parse_json",
    "parse_toml",
    "read_document",
    "read_path",
    "read_stream",
    "shown_name",
]

MAX_DEPTH = 32
"""Deepest nesting of arrays and objects (tables) accepted in a document."""
MAX_DIGITS = 30
"""Most digits of a whole number read exactly (no field takes more than a few)."""


class ReadError(ValueError):
    """A document that cannot be read or parsed; the message says why, in plain words, and ``code`` what kind."""

    def __init__(self, message: str, code: ProblemCode = ProblemCode.CANNOT_READ) -> None:
        """Carry the message and the code."""
        super().__init__(message)
        self.code = code

    @property
    def parsing(self) -> bool:
        """Whether the document was read but could not be parsed (rather than not read at all)."""
        return self.code not in {ProblemCode.CANNOT_READ, ProblemCode.TOO_LARGE}


def shown_name(name: str) -> str:
    """A file name as it may be shown in a message (quoted if it holds anything unprintable)."""
    return name if name.isprintable() else repr(name)


def _reason(exc: OSError) -> str:
    return exc.strerror or "the system refused"


def read_path(path: str, limit: int, *, regular_only: bool = False) -> bytes:
    """Read at most ``limit + 1`` bytes of the file at ``path``.

    ``regular_only`` refuses anything but a regular file (a folder, a device,
    a named pipe that could block for ever).

    Raises:
        ReadError: It cannot be read: missing, a dangling link, a folder,
            not allowed, or a path that contains a null character.
    """
    try:
        mode = os.stat(path).st_mode
    except FileNotFoundError:
        link = os.path.islink(path)
        reason = "it is a link to a file that does not exist" if link else "no such file"
        raise ReadError(f"cannot be read: {reason}") from None
    except OSError as exc:
        raise ReadError(f"cannot be read: {_reason(exc)}") from None
    except ValueError:
        raise ReadError("cannot be read: the path contains a null character") from None
    if stat.S_ISDIR(mode):
        raise ReadError("cannot be read: it is a folder, not a file")
    if regular_only and not stat.S_ISREG(mode):
        raise ReadError("cannot be read: it is not a regular file")
    try:
        with open(path, "rb") as file:
            return file.read(limit + 1)
    except OSError as exc:
        raise ReadError(f"cannot be read: {_reason(exc)}") from None


def read_stream(stream: BinaryIO | TextIO, limit: int) -> bytes:
    """Read at most ``limit + 1`` bytes from a stream such as standard input.

    A text stream is read through its binary buffer when it has one (so the
    bytes are decoded here, strictly, as a file's are); a text stream without
    one (:class:`io.StringIO`) gives its characters encoded as UTF-8, lone
    surrogates included, so that :func:`decode` refuses them as it would
    refuse the same bytes in a file.

    Raises:
        ReadError: The stream cannot be read.
    """
    try:
        source = getattr(stream, "buffer", stream)
        data = source.read(limit + 1)
    except OSError as exc:
        raise ReadError(f"cannot be read: {_reason(exc)}") from None
    if isinstance(data, str):
        return data.encode("utf-8", "surrogatepass")
    return bytes(data)


def decode(data: bytes) -> str:
    """Decode ``data`` strictly as UTF-8, dropping one leading byte-order mark.

    Raises:
        ReadError: ``data`` is not UTF-8 text; the message gives the first
            bad byte and its position (counting from 1).
    """
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        bad = data[exc.start : exc.start + 1].hex().upper()
        raise ReadError(f"not UTF-8 text (byte 0x{bad} at position {exc.start + 1})", ProblemCode.NOT_UTF8) from None
    return text.removeprefix("\ufeff")


class _RefusedError(ValueError):
    def __init__(self, message: str, code: ProblemCode) -> None:
        super().__init__(message)
        self.code = code


def _object(pairs: list[tuple[str, object]]) -> dict[str, object]:
    result = dict(pairs)
    if len(result) < len(pairs):
        key = next(key for key, count in Counter(key for key, _ in pairs).items() if count > 1)
        msg = f"the key {show(key)} appears twice in one object"
        raise _RefusedError(msg, ProblemCode.DUPLICATE_KEY)
    return result


def _integer(literal: str) -> int | float:
    if len(literal) > MAX_DIGITS:  # no field takes such a number: read it roughly, and let the field refuse it
        return float(literal)
    return int(literal)


def _constant(name: str) -> object:
    msg = f"{name} is not valid JSON"
    raise _RefusedError(msg, ProblemCode.NOT_JSON)


def parse_json(text: str) -> object:
    """Parse JSON text strictly (see the module docstring).

    Raises:
        ReadError: It is not valid JSON, repeats a key, or is nested too deeply.
    """
    import json  # noqa: PLC0415 - json is imported when first needed, to keep `import crampkit` fast

    try:
        value = json.loads(text, object_pairs_hook=_object, parse_int=_integer, parse_constant=_constant)
    except _RefusedError as exc:
        raise ReadError(f"not valid JSON: {exc}", exc.code) from None
    except RecursionError:
        raise ReadError(f"not valid JSON: nested more than {MAX_DEPTH} levels deep", ProblemCode.TOO_DEEP) from None
    except ValueError as exc:  # JSONDecodeError
        raise ReadError(f"not valid JSON: {exc}", ProblemCode.NOT_JSON) from None
    check_depth(value, "not valid JSON: ")
    return value


def parse_toml(text: str) -> object:
    """Parse TOML text (its depth is for the caller to check, with :func:`check_depth`).

    Raises:
        ReadError: It is not valid TOML, is nested too deeply to parse, or
            holds a whole number too long to convert.
    """
    import tomllib  # noqa: PLC0415 - parsers are imported when first needed, to keep `import crampkit` fast

    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ReadError(str(exc), ProblemCode.NOT_TOML) from None
    except RecursionError:
        raise ReadError(f"nested more than {MAX_DEPTH} levels deep", ProblemCode.TOO_DEEP) from None
    except ValueError:  # the only other error tomllib lets through: an integer too long to convert
        raise ReadError("a whole number has too many digits", ProblemCode.OUT_OF_RANGE) from None


def read_document(
    source: "str | bytes | os.PathLike[str] | BinaryIO | TextIO",
    limit: int,
    *,
    parse: Callable[[str], object] = parse_json,
    regular_only: bool = False,
) -> object:
    """Read, decode and parse one document, of at most ``limit`` bytes.

    ``source`` is a path (:class:`os.PathLike`), a stream, or the document
    itself as bytes or text. ``regular_only`` is as for :func:`read_path`.

    Raises:
        ReadError: It cannot be read, is too large, is not UTF-8, or cannot
            be parsed (:attr:`ReadError.parsing` tells the last three apart
            from the first).
    """
    data: str | bytes
    if isinstance(source, os.PathLike):
        data = read_path(os.fspath(source), limit, regular_only=regular_only)
    elif isinstance(source, str | bytes):
        data = source
    else:
        data = read_stream(source, limit)
    if len(data) > limit:
        raise ReadError(f"larger than {limit} bytes", ProblemCode.TOO_LARGE)
    return parse(decode(data) if isinstance(data, bytes) else data)


def check_depth(value: object, prefix: str = "") -> None:
    """Refuse data nested more than :data:`MAX_DEPTH` levels deep (without recursion).

    Raises:
        ReadError: It is nested too deeply.
    """
    stack: list[tuple[Mapping[object, object] | list[object], int]] = [(value, 1)] if _nests(value) else []  # type: ignore[list-item]
    while stack:
        item, depth = stack.pop()
        for child in item.values() if isinstance(item, Mapping) else item:
            if _nests(child):
                if depth >= MAX_DEPTH:
                    msg = f"{prefix}nested more than {MAX_DEPTH} levels deep"
                    raise ReadError(msg, ProblemCode.TOO_DEEP)
                stack.append((child, depth + 1))  # type: ignore[arg-type]


def _nests(value: object) -> bool:
    """Whether ``value`` holds other values (parsers give exact dicts and lists: test those first, fast)."""
    return type(value) in _NESTING or (not isinstance(value, str | int | float) and isinstance(value, Mapping | list))


_NESTING = (dict, list)
