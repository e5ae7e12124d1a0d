"""The service's limits, and reading a call's body within them: size, time, media type, nesting, strings."""

import asyncio
import json
from collections.abc import Iterable
from typing import Annotated, cast

import attrs
from starlette.requests import Request

from crampkit._model.checks import checked
from crampkit._model.constraints import Range
from crampkit.exceptions import Problem, ProblemCode
from crampkit.server._errors import BadRequestError

__all__ = ["JSON_MEDIA_TYPES", "Limits", "parse_json", "read_body"]

JSON_MEDIA_TYPES = ("application/json", "application/fhir+json")
"""The media types a call's body may have (``Content-Type``; a ``charset`` parameter must be UTF-8)."""


@checked
@attrs.frozen(kw_only=True)
class Limits:
    """What the CDS Hooks service accepts from one call, and how long it waits (``create_app(limits=...)``).

    Every limit is checked before the work it bounds: the body size while it
    is read (a call over it gets 413 and the rest is never read), nesting and
    string length before any FHIR is read. A FHIR document holds at most
    :data:`crampkit.fhir.MAX_RESOURCES` resources. Error bodies list at most
    ``max_problems`` problems and are at most 64 KB (the rest counted in
    ``more_problems``).

    Attributes:
        max_body_bytes: Largest body read, in bytes.
        max_depth: Deepest nesting of JSON objects and arrays.
        max_string_chars: Longest JSON string (or object key), in characters.
        max_array_items: Longest JSON array (a Bundle's ``entry`` included).
        max_problems: Most problems listed in one error body.
        header_timeout_seconds: Time a client has to send a request's
            headers, from the moment it connects or its last answer was sent.
        body_timeout_seconds: Time a client has to send a request's body (408 after it).
        keep_alive_seconds: How long an idle connection is kept open.
        worker_threads: Calls answered at once, off the event loop (more
            calls wait their turn; the event loop keeps accepting). A body
            of at most 32 KB is parsed and checked on the event loop, and
            answered there when its answer is kept; the rest of its work,
            and all the work of a larger body, is done in these threads.
            Calls with bodies over 256 KB have a lane of their own, a
            quarter as wide (at least one), so small calls never wait
            behind large ones and few large ones are in memory at once.
        cached_answers: Answers kept for calls that send the same patient
            data again (the same hook, FHIR, context but the user, region,
            language and date; the hook instance aside), the most recently
            used; 0 keeps none. Each is the cards' JSON, a few kilobytes,
            and they hold at most 16 MiB in all.

    .. versionadded:: 0.2

    .. versionchanged:: 0.2
       ``cached_answers``.
    """

    max_body_bytes: Annotated[int, Range(1_000, 100_000_000, integer=True)] = 5_000_000
    max_depth: Annotated[int, Range(8, 500, integer=True)] = 100
    max_string_chars: Annotated[int, Range(100, 10_000_000, integer=True)] = 100_000
    max_array_items: Annotated[int, Range(10, 1_000_000, integer=True)] = 10_000
    max_problems: Annotated[int, Range(1, 1_000, integer=True)] = 50
    header_timeout_seconds: Annotated[float, Range(0.1, 600)] = 10.0
    body_timeout_seconds: Annotated[float, Range(0.1, 600)] = 30.0
    keep_alive_seconds: Annotated[int, Range(1, 600, integer=True)] = 5
    worker_threads: Annotated[int, Range(1, 256, integer=True)] = 8
    cached_answers: Annotated[int, Range(0, 1_000_000, integer=True)] = 1_024


def _media_type_problem(content_type: str | None) -> BadRequestError | None:
    """The 415 for a body whose ``Content-Type`` is not JSON (or names a charset other than UTF-8)."""
    media, _, parameters = (content_type or "").partition(";")
    charset = next(
        (
            value.strip().strip('"').lower()
            for name, _, value in (part.partition("=") for part in parameters.split(";"))
            if name.strip().lower() == "charset"
        ),
        "utf-8",
    )
    if media.strip().lower() in JSON_MEDIA_TYPES and charset in {"utf-8", "utf8"}:
        return None
    body = {
        "error": "unsupported media type",
        "detail": "send the body as application/json (or application/fhir+json) in UTF-8",
        "accepted": list(JSON_MEDIA_TYPES),
    }
    return BadRequestError(415, body)


def _too_large(limits: Limits) -> BadRequestError:
    body = {"error": "request too large", "limit_bytes": limits.max_body_bytes}
    return BadRequestError(413, body, {"Connection": "close"})  # the rest of the body is never read


async def _body(request: Request, limits: Limits) -> bytes:
    """The body, read chunk by chunk: 413 as soon as it passes the limit, 408 when it comes too slowly."""
    declared = request.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > limits.max_body_bytes:
        raise _too_large(limits)
    body = bytearray()
    try:
        async with asyncio.timeout(limits.body_timeout_seconds):
            async for chunk in request.stream():
                body += chunk
                if len(body) > limits.max_body_bytes:
                    raise _too_large(limits)
    except TimeoutError:
        detail = f"the body did not arrive within {limits.body_timeout_seconds:g} seconds"
        raise BadRequestError(408, {"error": "request timeout", "detail": detail}, {"Connection": "close"}) from None
    return bytes(body)


def _bounds_problems(data: object, limits: Limits) -> list[Problem]:
    """The places where ``data`` nests too deep, holds too long a string or too long an array (the first few).

    Only containers are walked (``data`` is one).
    """
    found: list[Problem] = []
    longest = limits.max_string_chars
    stack: list[tuple[object, tuple[str | int, ...]]] = [(data, ())]
    while stack and len(found) <= limits.max_problems:
        value, path = stack.pop()
        if len(path) >= limits.max_depth:
            message = f"nested more than {limits.max_depth} deep"
            found.append(Problem(path, ProblemCode.TOO_DEEP, message, location=_where(path)))
            continue
        if isinstance(value, list) and len(value) > limits.max_array_items:
            message = f"more than {limits.max_array_items} items"
            found.append(
                Problem(path, ProblemCode.TOO_MANY, message, location=_where(path), max_items=limits.max_array_items)
            )
            continue
        items: Iterable[tuple[str | int, object]] = (
            reversed(value.items())
            if isinstance(value, dict)
            else reversed(list(enumerate(cast("list[object]", value))))
        )
        for key, item in items:
            if isinstance(key, str) and len(key) > longest:
                message = f"a key longer than {longest} characters"
                found.append(Problem(path, ProblemCode.TOO_LONG, message, location=_where(path), max_length=longest))
            elif isinstance(item, str):
                if len(item) > longest:
                    where = (*path, key)
                    message = f"longer than {longest} characters"
                    found.append(
                        Problem(where, ProblemCode.TOO_LONG, message, location=_where(where), max_length=longest)
                    )
            elif isinstance(item, dict | list):
                stack.append((item, (*path, key)))
    return found


def _fits(value: object, depth: int, limits: Limits, *, strings: bool) -> bool:
    """Whether ``value`` keeps within the nesting (and, with ``strings``, string and array) limits: a quick check."""
    if depth >= limits.max_depth:
        return False
    longest = limits.max_string_chars
    if isinstance(value, dict):
        items: Iterable[object] = value.values()
        if strings and any(len(key) > longest for key in value):
            return False
    else:
        assert isinstance(value, list)  # noqa: S101 - only containers are checked
        if strings and len(value) > limits.max_array_items:
            return False
        items = value
    for item in items:
        if isinstance(item, str):
            if strings and len(item) > longest:
                return False
        elif isinstance(item, dict | list) and not _fits(item, depth + 1, limits, strings=strings):
            return False
    return True


def _where(path: tuple[str | int, ...]) -> str:
    return ".".join(str(step) for step in path) or "body"


class _NotJsonError(ValueError):
    """A value JSON does not have (``NaN``, ``Infinity``) or a key given twice in one object."""

    def __init__(self, code: ProblemCode, message: str) -> None:
        super().__init__(message)
        self.code = code


def _no_constant(name: str) -> object:
    raise _NotJsonError(ProblemCode.NOT_JSON, f"{name} is not a JSON number")


def _object(pairs: list[tuple[str, object]]) -> dict[str, object]:
    made = dict(pairs)
    if len(made) < len(pairs):
        twice = next(key for index, (key, _) in enumerate(pairs) if key in (k for k, _ in pairs[:index]))
        raise _NotJsonError(ProblemCode.DUPLICATE_KEY, f"the key {twice[:100]!r} is given twice in one object")
    return made


def parse_json(body: bytes, limits: Limits, what: str = "the body") -> object:
    """The JSON of ``body`` (UTF-8, strict), checked against the nesting, string and array limits (400 otherwise).

    Problems are in crampkit's words: where the JSON breaks (line and
    column), never Python's own message; ``what`` names the document in them.
    """
    try:
        text = body.decode("utf-8")
        data = json.loads(text, parse_constant=_no_constant, object_pairs_hook=_object)
    except RecursionError as exc:
        problem = Problem((), ProblemCode.TOO_DEEP, f"{what} is not JSON: nested too deeply", location="")
        raise BadRequestError.invalid("invalid request", [problem]) from exc
    except UnicodeDecodeError as exc:
        message = f"{what} is not JSON: not UTF-8 (at byte {exc.start})"
        raise BadRequestError.invalid(
            "invalid request", [Problem((), ProblemCode.NOT_UTF8, message, location="")]
        ) from exc
    except _NotJsonError as exc:
        problem = Problem((), exc.code, f"{what} is not JSON: {exc}", location="")
        raise BadRequestError.invalid("invalid request", [problem]) from exc
    except json.JSONDecodeError as exc:
        message = f"{what} is not JSON (line {exc.lineno}, column {exc.colno})"
        raise BadRequestError.invalid(
            "invalid request", [Problem((), ProblemCode.NOT_JSON, message, location="")]
        ) from exc
    except ValueError as exc:  # a number too long to read
        message = f"{what} is not JSON crampkit can read: a number has too many digits"
        raise BadRequestError.invalid(
            "invalid request", [Problem((), ProblemCode.TOO_LONG, message, location="")]
        ) from exc
    # a body shorter than the longest string allowed holds no string too long, nor an array too long
    strings = len(body) > min(limits.max_string_chars, 2 * limits.max_array_items)
    if not isinstance(data, dict | list) or _fits(data, 0, limits, strings=strings):
        return data
    raise BadRequestError.invalid("request over the limits", _bounds_problems(data, limits))  # the same checks, named


async def read_body(request: Request, limits: Limits) -> bytes:
    """The body of a JSON call, within the limits (parsed by :func:`parse_json`, off the event loop)."""
    refused = _media_type_problem(request.headers.get("content-type"))
    if refused is not None:
        raise refused
    return await _body(request, limits)
