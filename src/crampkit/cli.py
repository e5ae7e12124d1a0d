"""The ``crampkit`` command line.

Exit codes: 0 success, 2 bad input (one message on stderr, no traceback),
1 an item asked for does not exist, 74 the output could not be written (one
line on stderr). A reader that stops reading (``crampkit kb list | head -1``)
is not an error: crampkit stops writing, silently, with 0. ``recommend --jsonl``
exits 0 when it has read every row, even if some rows were bad (each gives an
error line); stopped by SIGINT it exits 130, by SIGTERM 143, after the line it
was writing, with one line on stderr that says how many rows were written.
"""

import argparse
import contextlib
import errno
import json
import signal
import sys
import threading
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, BinaryIO, Literal, NamedTuple, Self, TextIO

import attrs

from crampkit._api import (
    error_schema,
    guidance_schema,
    next_questions,
    openapi_schemas,
    profile_schema,
    recommend,
    to_cds_hooks,
    to_short,
    to_text,
)
from crampkit._command_line import (
    EXIT_BAD_INPUT,
    EXIT_INTERRUPTED,
    EXIT_NOT_FOUND,
    EXIT_OK,
    EXIT_OUTPUT_ERROR,
    EXIT_TERMINATED,
    FORMATS,
    SCHEMA_DOCUMENTS,
    parser,
    run_entry,
)
from crampkit.batch import Written, row_schema, write_results
from crampkit.decision.questions import AnswerKind, Question
from crampkit.exceptions import InvalidInputError, Problem, ProblemCode, closest, did_you_mean
from crampkit.io.json import load_profile, to_json
from crampkit.io.reading import ReadError, parse_toml, read_document, shown_name
from crampkit.knowledge.items import Item, KnowledgeBase, Medicine, Source
from crampkit.knowledge.load import SECTIONS, default_knowledge_base, load_knowledge_base
from crampkit.profile import Profile, example_profile
from crampkit.render.terminal import render_item
from crampkit.text.escape import plain
from crampkit.text.i18n import DEFAULT_LANGUAGE, language_problem, text_for
from crampkit.text.regions import DEFAULT_REGION, region_problem
from crampkit.vocab import Urgency

if TYPE_CHECKING:
    from crampkit.auth import AuthConfig
    from crampkit.server import Limits

__all__ = ["main", "main_entry", "parser"]

_STOP_CODES: dict[int, int] = {signal.SIGINT: EXIT_INTERRUPTED, signal.SIGTERM: EXIT_TERMINATED}

_JSONL_FORMATS = ("json", "csv")
_PROFILE_FORMATS = tuple(name for name in FORMATS if name != "csv")


class _OutputError(Exception):
    """Writing the output failed (the cause is the :class:`OSError`)."""


class _Output:
    """The output stream, with every failure to write turned into :class:`_OutputError`."""

    def __init__(self, stream: TextIO) -> None:
        self.stream = stream

    def write(self, text: str) -> None:
        try:
            self.stream.write(text)
        except (OSError, ValueError) as exc:
            raise _failed(exc) from exc

    def writelines(self, lines: Sequence[str]) -> None:
        for line in lines:
            self.write(line)

    def write_whole(self, text: str) -> None:
        """Write ``text`` whole, through the stream's binary buffer when it has one, again for what a write left.

        An unbuffered standard output (``python -u``, ``PYTHONUNBUFFERED=1``, common in containers) is a text
        layer straight on the file: a write into a pipe that a signal interrupts part-way is short, and the
        text layer drops the rest, silently. Text written with :meth:`write` must be flushed first.
        """
        binary = getattr(self.stream, "buffer", None)
        if binary is None:  # a text-only stream (io.StringIO) takes text whole
            self.write(text)
            return
        try:
            data = memoryview(text.encode(self.stream.encoding, getattr(self.stream, "errors", None) or "strict"))
            while data:
                data = data[binary.write(data) :]
        except (OSError, ValueError) as exc:
            raise _failed(exc) from exc

    def flush(self) -> None:
        try:
            self.stream.flush()
        except (OSError, ValueError) as exc:
            raise _failed(exc) from exc


def _failed(exc: OSError | ValueError) -> _OutputError:
    if isinstance(exc, UnicodeEncodeError):
        return _OutputError("the output's encoding cannot show some of the text")
    return _OutputError("standard output is closed")  # OSErrors are named by their strerror; ValueError: closed


def _say(err: TextIO | None, text: str) -> None:
    """Write a message to standard error, if it can be written at all."""
    if err is None:
        return
    try:
        err.write(text)
        err.flush()
    except (OSError, ValueError):
        pass


class _Stopped(BaseException):
    """SIGINT or SIGTERM asked ``recommend --jsonl`` to stop (a BaseException, like KeyboardInterrupt)."""

    def __init__(self, signum: int) -> None:
        super().__init__(signum)
        self.signum = signum


class _Signals:
    """While ``recommend --jsonl`` runs: SIGINT and SIGTERM stop it, but never in the middle of a line.

    A signal that comes while a row is being written lets that write finish, then stops the run; one that
    comes at any other time (while reading the input, waiting for a worker process) stops it at once.
    A second signal during the write stops it at once, even if a reader that never reads holds it back.
    Handlers are only set in the main thread (where Python runs them); the old ones come back on exit.
    """

    def __init__(self) -> None:
        self.writing = False
        self.caught: int | None = None
        self.saved: dict[int, object] = {}

    def __enter__(self) -> Self:
        if threading.current_thread() is threading.main_thread():
            self.saved = {signum: signal.signal(signum, self._handle) for signum in _STOP_CODES}
        return self

    def __exit__(self, *_: object) -> None:
        for signum, handler in self.saved.items():  # None: a handler not set from Python, taken as the default
            signal.signal(signum, signal.SIG_DFL if handler is None else handler)  # type: ignore[arg-type]

    def _handle(self, signum: int, _: object) -> None:
        if self.caught is None:
            self.caught = signum
            if self.writing:
                return
        raise _Stopped(self.caught)

    def writer(self, write: Callable[[str], object]) -> Callable[[str], None]:
        """``write``, with a signal that comes during it left for :meth:`check`, after the whole text is written."""

        def guarded(text: str) -> None:
            self.writing = True
            try:
                write(text)
            finally:
                self.writing = False

        return guarded

    def check(self) -> None:
        """Stop now if a signal came while a row was being written (called after each row is written)."""
        if self.caught is not None:
            raise _Stopped(self.caught)


_SERVE_CONFIG_BYTES = 1_000_000
_SERVE_TABLES = {
    "auth": (),
    "cors": ("allowed_origins",),
    "service": ("region", "language", "knowledge_base", "try"),
    "limits": (),
}


_SCHEMAS: dict[str, Callable[[], dict[str, Any]]] = dict(
    zip(SCHEMA_DOCUMENTS, (profile_schema, guidance_schema, row_schema, error_schema, openapi_schemas), strict=True)
)
"""What ``crampkit schema`` prints for each document it names."""


def _unknown_key(path: tuple[str, ...], what: str, known: Iterable[str]) -> Problem:
    """The problem of an unknown table or key of ``serve --config``, with the ``known`` one it most likely misspells."""
    allowed = tuple(known)
    suggestion = closest(path[-1], allowed)
    message = did_you_mean(f"unknown {what}", suggestion, f"(allowed: {', '.join(allowed)})")
    return Problem(path, ProblemCode.UNKNOWN_FIELD, message, suggestion=suggestion)


class _ServeFile(NamedTuple):
    auth: dict[str, object]
    origins: list[str]
    service: dict[str, object]
    limits: dict[str, object]


def _serve_file(path: str | None) -> _ServeFile:
    """The tables of ``serve --config`` (empty without a file); ``knowledge_base`` made relative to the file."""
    if path is None:
        return _ServeFile({}, [], {}, {})
    try:
        document = read_document(Path(path), _SERVE_CONFIG_BYTES, parse=parse_toml)
    except ReadError as exc:
        raise InvalidInputError([_option("--config", exc.code, f"{shown_name(path)}: {exc}")]) from None
    assert isinstance(document, dict)  # noqa: S101 - TOML documents are tables
    problems = [_unknown_key((key,), "table", _SERVE_TABLES) for key in document if key not in _SERVE_TABLES]
    tables = {key: document.get(key, {}) for key in _SERVE_TABLES}
    problems += [
        Problem((key,), ProblemCode.WRONG_TYPE, "must be a table")
        for key, value in tables.items()
        if not isinstance(value, dict)
    ]
    auth, cors, service, limits = (table if isinstance(table, dict) else {} for table in tables.values())
    problems += [
        _unknown_key((name, key), "key", _SERVE_TABLES[name])
        for name, table in (("cors", cors), ("service", service))
        for key in table
        if key not in _SERVE_TABLES[name]
    ]
    origins = cors.get("allowed_origins", [])
    if not isinstance(origins, list) or not all(isinstance(origin, str) for origin in origins):
        message = "must be an array of origins (strings)"
        problems.append(Problem(("cors", "allowed_origins"), ProblemCode.WRONG_TYPE, message))
        origins = []
    problems += [
        Problem(("service", key), ProblemCode.WRONG_TYPE, "must be a string")
        for key in _SERVE_TABLES["service"]
        if key != "try" and key in service and not isinstance(service[key], str)
    ]
    if not isinstance(service.get("try", False), bool):
        problems.append(Problem(("service", "try"), ProblemCode.WRONG_TYPE, "must be true or false"))
    if problems:
        raise InvalidInputError(attrs.evolve(problem, location=f"--config {problem.location}") for problem in problems)
    if "knowledge_base" in service:  # a path in the file is relative to the file
        service["knowledge_base"] = str(Path(path).parent / str(service["knowledge_base"]))
    return _ServeFile(auth, origins, service, limits)


class _ServeSettings(NamedTuple):
    auth: "AuthConfig | Literal['insecure-no-auth']"
    origins: list[str]
    region: str
    language: str
    knowledge_base: str | None
    limits: "Limits"
    try_page: bool


def _service_settings(args: argparse.Namespace, file: _ServeFile) -> tuple[str, str, str | None, "Limits", bool]:
    """Region, language, knowledge base, limits and the try-it page of ``serve``: the options, else the file.

    The try-it page is served on loopback only (2 otherwise).
    """
    from crampkit._model.convert import structure  # noqa: PLC0415 - with the server extra only
    from crampkit.auth import is_loopback  # noqa: PLC0415 - same
    from crampkit.server import Limits  # noqa: PLC0415 - same

    found = [
        attrs.evolve(problem, path=(f"--config service.{key}",), location=f"--config service.{key}")
        for key, check in (("region", region_problem), ("language", language_problem))
        if key in file.service and (problem := check("serve", file.service[key])) is not None
    ]
    try:
        limits = structure(file.limits, Limits, root="limits")
    except InvalidInputError as exc:
        found += [attrs.evolve(problem, location=f"--config limits.{problem.location}") for problem in exc.problems]
    try_page = bool(args.try_page or file.service.get("try", False))
    if try_page and not is_loopback(args.host):
        option = "--try" if args.try_page else "--config service.try"
        message = (
            f"the try-it page is for review on this computer: it is served on loopback only "
            f"(127.0.0.1, ::1, localhost), not {args.host!r}"
        )
        found.append(_option(option, ProblemCode.CONFLICT, message))
    if found:
        raise InvalidInputError(found)
    region = args.region or str(file.service.get("region", DEFAULT_REGION))
    language = args.language or str(file.service.get("language", DEFAULT_LANGUAGE))
    given = file.service.get("knowledge_base")
    return region, language, args.knowledge_base or (None if given is None else str(given)), limits, try_page


def _serve_settings(args: argparse.Namespace) -> _ServeSettings:
    """Everything ``serve`` runs with: from ``--config``, then the options, checked."""
    from crampkit._model.convert import structure  # noqa: PLC0415 - with the server extra only
    from crampkit.auth import AuthConfig, is_loopback  # noqa: PLC0415 - same
    from crampkit.server import INSECURE_NO_AUTH  # noqa: PLC0415 - same

    file = _serve_file(args.config)
    auth = file.auth
    origins = [*file.origins, *args.allow_origin]
    service = _service_settings(args, file)
    issuers = []
    for given in args.issuer:
        issuer, _, url = given.rpartition("=")
        if not issuer or not url:
            message = f"expected ISS=JWKS_URL, got {given!r}"
            raise InvalidInputError([_option("--issuer", ProblemCode.WRONG_FORMAT, message)])
        issuers.append({"issuer": issuer, "jwks_url": url})
    for key, added in (("issuers", issuers), ("audience", args.audience)):
        if added:
            before = auth.get(key, [])
            auth[key] = [*before, *added] if isinstance(before, list) else before
    if args.insecure_no_auth:
        if auth:
            message = "--insecure-no-auth cannot be given with trusted issuers or an audience"
            raise InvalidInputError([_option("--insecure-no-auth", ProblemCode.CONFLICT, message)])
        if not is_loopback(args.host):
            message = f"--insecure-no-auth listens on loopback only (127.0.0.1, ::1, localhost), not {args.host!r}"
            raise InvalidInputError([_option("--insecure-no-auth", ProblemCode.CONFLICT, message)])
        return _ServeSettings(INSECURE_NO_AUTH, origins, *service)
    if not auth:
        message = (
            "the service authenticates its clients: give --issuer and --audience (or --config with an [auth] "
            "table), or --insecure-no-auth for development on loopback"
            + (" (the try-it page alone: crampkit serve --try --insecure-no-auth)" if service[-1] else "")
        )
        raise InvalidInputError([_option("--issuer", ProblemCode.MISSING, message, "serve")])
    try:
        return _ServeSettings(structure(auth, AuthConfig, root="auth"), origins, *service)
    except InvalidInputError as exc:  # the [auth] table and the options together: named as in the file
        raise InvalidInputError(
            attrs.evolve(found, location=f"auth.{found.location}") for found in exc.problems
        ) from None


def _serve(args: argparse.Namespace, err: TextIO | None) -> int:
    try:
        from crampkit.server import run  # noqa: PLC0415 - Starlette and uvicorn are an optional extra
    except ImportError:
        missing = "crampkit: 'serve' needs the server extra, which is not installed"
        _say(err, f"{missing} (in a checkout: pip install '.[server]')\n")
        return EXIT_NOT_FOUND
    settings = _serve_settings(args)
    if isinstance(settings.auth, str):
        _say(
            err,
            "crampkit: WARNING: authentication is OFF (--insecure-no-auth): anyone who can reach the port gets cards\n",
        )
    if settings.try_page:
        host = f"[{args.host}]" if ":" in args.host else args.host
        _say(err, f"crampkit: the try-it page is at http://{host}:{args.port}/try (for review on this computer only)\n")
    run(
        args.host,
        args.port,
        auth=settings.auth,
        allowed_origins=settings.origins,
        region=settings.region,
        language=settings.language,
        knowledge_base=None if settings.knowledge_base is None else _knowledge_base(settings.knowledge_base),
        limits=settings.limits,
        try_page=settings.try_page,
    )
    return EXIT_OK


def _knowledge_base(path: str | None) -> KnowledgeBase:
    return default_knowledge_base() if path is None else load_knowledge_base(Path(path))


def _option(
    option: str, code: ProblemCode, message: str, location: str | None = None, allowed: tuple[str, ...] | None = None
) -> Problem:
    """A problem with a command-line argument: its path is the option as typed (``--format``) or ``PROFILE``."""
    return Problem((option,), code, message, location=option if location is None else location, allowed=allowed)


def _recommend(args: argparse.Namespace, out: _Output, err: TextIO | None, stdin: TextIO | BinaryIO | None) -> int:
    if args.jsonl is not None:
        if args.profile is not None:
            raise InvalidInputError(
                [_option("PROFILE", ProblemCode.CONFLICT, "give either a PROFILE or --jsonl, not both", "recommend")]
            )
        if args.format not in {None, "json", "csv"}:
            message = "with --jsonl, the formats are json and csv"
            raise InvalidInputError(
                [_option("--format", ProblemCode.NOT_ALLOWED_VALUE, message, f"--format {args.format}", _JSONL_FORMATS)]
            )
        return _batch(args, out, err, stdin)
    if args.jobs is not None:
        raise InvalidInputError([_option("--jobs", ProblemCode.CONFLICT, "works only with --jsonl")])
    if args.profile is None:
        message = "give a PROFILE (a file, or - for stdin) or --jsonl PATH"
        raise InvalidInputError([_option("PROFILE", ProblemCode.MISSING, message, "recommend")])
    if args.format == "csv":
        message = "works only with --jsonl"
        raise InvalidInputError(
            [_option("--format", ProblemCode.NOT_ALLOWED_VALUE, message, "--format csv", _PROFILE_FORMATS)]
        )
    if args.profile != "-":
        profile = load_profile(Path(args.profile))
    elif stdin is None:
        raise InvalidInputError([Problem((), ProblemCode.CANNOT_READ, "standard input is closed", location="profile")])
    else:
        profile = load_profile(stdin)
    knowledge_base = _knowledge_base(args.knowledge_base)
    guidance = recommend(profile, knowledge_base=knowledge_base, region=args.region, language=args.language)
    if args.format == "json":
        out.write(to_json(guidance, indent=args.indent) + "\n")
    elif args.format == "cds-hooks":  # every format is in the guidance's region and language
        cards = to_cds_hooks(guidance, knowledge_base=knowledge_base)
        separators = (",", ":") if args.indent is None else None
        out.write(json.dumps(cards, indent=args.indent, separators=separators, ensure_ascii=False) + "\n")
    elif args.format == "short":
        out.write(to_short(guidance))
    else:
        out.write(to_text(guidance))
    return EXIT_OK


def _batch(args: argparse.Namespace, out: _Output, err: TextIO | None, stdin: TextIO | BinaryIO | None) -> int:
    """``recommend --jsonl``: every row's line, or as many as were written before SIGINT or SIGTERM.

    After a signal the output is flushed (whole lines only) with the usual handlers back, so a second
    signal stops at once even if the reader does not read.
    """
    knowledge_base = _knowledge_base(args.knowledge_base)
    written = Written()
    signals = _Signals()
    out.flush()  # rows are written below the text layer (see _Output.write_whole)
    try:
        with signals:
            write_results(
                args.jsonl,
                signals.writer(out.write_whole),
                form="csv" if args.format == "csv" else "json",
                knowledge_base=knowledge_base,
                jobs=args.jobs or 1,
                region=args.region,
                language=args.language,
                stdin=stdin,
                progress=err if err is not None and err.isatty() else None,
                written=written,
                after_row=signals.check,
                notice=lambda text: _say(err, f"crampkit: {text}\n"),
            )
    except _Stopped as stop:
        out.flush()
        _say(err, _stopped(stop.signum, written))
        return _STOP_CODES[stop.signum]
    return EXIT_OK


def _stopped(signum: int, written: Written) -> str:
    """The line that says where a run stopped by a signal ended: every row is written or named as not written."""
    name = signal.Signals(signum).name
    if not written.rows:
        return f"crampkit: stopped by {name} before any row was written\n"
    lines = "input line 1" if written.rows == 1 else f"input lines 1 to {written.rows:,}"
    last = "no id" if written.last_id is None else f"id {plain(repr(written.last_id))}"
    return (
        f"crampkit: stopped by {name}: wrote the results of {lines} (the last with {last}); "
        "the lines after it were not written\n"
    )


INTERVIEW_START = (
    "Answer each question as the brackets after it say: yes or no, a number, the numbers of the choices\n"
    "that apply, or names. Or type skip to leave it unanswered.\n"
    "Press Ctrl-D (Ctrl-Z then Enter on Windows) to stop and see guidance for what you have said so far.\n\n"
)
INTERVIEW_STOPPED = "\nStopped: here is the guidance for what you have said so far.\n\n"
INTERVIEW_EMERGENCY = "\nYour answers point to an emergency, so no more questions: here is what to do now.\n\n"
INTERVIEW_DONE = "\nThat is all the questions.\n\n"
INTERVIEW_ONLY_SKIPPED = (
    "\nNo more questions, apart from those you skipped: answering them could still change this. crampkit has not"
    " checked what they ask about, so if you have any of the warning signs they listed, get medical advice.\n\n"
)
_SKIP = "skip"
_HINTS = {
    AnswerKind.YES_NO: "yes, no or skip",
    AnswerKind.ANY_OF: "the numbers of all that apply, such as 1,3; none; or skip",
    AnswerKind.TEXT: "names separated by commas, none, or skip",
}


def _hint(question: Question) -> str:
    if question.kind in _HINTS:
        return _HINTS[question.kind]
    if question.kind is AnswerKind.ONE_OF:
        return f"a number from 1 to {len(question.choices)}, or skip"
    return f"a number from {question.minimum} to {question.maximum}, or skip"


def _prompt(question: Question) -> str:
    """The question as the interview puts it: its words, its choices numbered, and the answers it takes."""
    choices = "".join(f"  {number}. {choice.text}\n" for number, choice in enumerate(question.choices, start=1))
    return f"{question.text}\n{choices}[{_hint(question)}] " if choices else f"{question.text} [{_hint(question)}] "


def _read_line(inp: TextIO | BinaryIO) -> str | None:
    line = inp.readline()
    if isinstance(line, bytes):
        line = line.decode("utf-8", errors="replace")
    return line or None


def _ask(question: Question, out: _Output, inp: TextIO | BinaryIO) -> str | int | tuple[str, ...] | None:
    """Ask until the answer is one ``question`` allows; ``None`` at the end of the input."""
    while True:
        out.write(_prompt(question))
        out.flush()
        line = _read_line(inp)
        if line is None:
            return None
        if not inp.isatty():
            out.write(plain(line.strip()) + "\n")  # show piped answers, as a terminal would echo them
        if line.strip().casefold() in {"s", _SKIP}:
            return _SKIP
        with contextlib.suppress(InvalidInputError):  # not an answer it allows: ask again
            return question.parse(line)
        out.write(f"Please answer {_hint(question)}.\n")


def _interview(args: argparse.Namespace, out: _Output, inp: TextIO | BinaryIO | None) -> int:
    """Ask the questions :func:`next_questions` returns, one at a time, then print the guidance.

    A skipped question is not asked again. The end of the input (Ctrl-D) stops
    the questions; an emergency stops them too, so that what to do comes at once.
    """
    if inp is None:
        raise InvalidInputError(
            [Problem((), ProblemCode.CANNOT_READ, "standard input is closed", location="interview")]
        )
    profile = load_profile(Path(args.profile)) if args.profile else Profile()
    knowledge_base = _knowledge_base(args.knowledge_base)
    out.write(INTERVIEW_START)
    skipped: set[str] = set()
    while True:
        guidance = recommend(profile, knowledge_base=knowledge_base, region=args.region, language=args.language)
        if guidance.triage is Urgency.EMERGENCY:
            out.write(INTERVIEW_EMERGENCY)
            break
        pending = next_questions(
            profile, knowledge_base=knowledge_base, language=args.language, region=args.region, skip=skipped
        )
        if not pending:
            remaining = skipped and next_questions(
                profile, knowledge_base=knowledge_base, language=args.language, region=args.region
            )
            out.write(INTERVIEW_ONLY_SKIPPED if remaining else INTERVIEW_DONE)
            break
        answer = _ask(pending[0], out, inp)
        if answer is None:
            out.write(INTERVIEW_STOPPED)
            break
        if answer == _SKIP:
            skipped.add(pending[0].id)
        else:
            profile = pending[0].answer(profile, answer)
    out.write(to_text(guidance))
    return EXIT_OK


def _kb(args: argparse.Namespace, out: _Output, err: TextIO | None) -> int:
    if args.kb_command == "check":
        knowledge_base = load_knowledge_base(Path(args.path))
        counts = ", ".join(
            f"{len(getattr(knowledge_base, section))} {section.replace('_', ' ')}"
            for section in SECTIONS
            if section != "audit"  # the audit records claims; it holds no content
        )
        path = plain(args.path)
        out.write(f"{path}: valid (version {plain(knowledge_base.version)}; {counts})\n")
        for change in knowledge_base.changes:
            if change.reason is not None:
                _say(
                    err,
                    f"crampkit: warning: {path}: {change.kind.value} the packaged {change.section} item "
                    f"{change.id} on purpose: {plain(change.reason)}\n",
                )
        return EXIT_OK
    knowledge_base = _knowledge_base(args.knowledge_base)
    if args.kb_command == "list":  # names as the guidance shows them; titles of sources as published
        show = text_for(args.language, args.region)
        out.writelines(
            [
                f"{type(item).__name__:<14} {item.id:<40} "
                f"{plain(item.title if isinstance(item, Source) else show(getattr(item, 'name', '')))}\n"
                for item in knowledge_base.items()
            ]
        )
        return EXIT_OK
    try:  # an item first, then an ingredient or product (their ids are their own)
        item: Item | Medicine = knowledge_base.get(args.id)
    except KeyError:
        try:
            item = knowledge_base.medicine(args.id)
        except KeyError:
            _say(err, f"crampkit: no knowledge-base item has id {plain(repr(args.id))} (see 'crampkit kb list')\n")
            return EXIT_NOT_FOUND
    out.write(render_item(item, knowledge_base, region=args.region, language=args.language))
    return EXIT_OK


def main(
    argv: Sequence[str] | None = None,
    *,
    stdout: TextIO | None = None,
    stderr: TextIO | None = None,
    stdin: TextIO | BinaryIO | None = None,
) -> int:
    """Run the command line; return the exit code.

    Args:
        argv: Arguments without the program name; ``sys.argv[1:]`` when omitted.
        stdout: Where output goes (``sys.stdout`` by default).
        stderr: Where error messages go (``sys.stderr`` by default).
        stdin: Where ``recommend -`` reads from (``sys.stdin`` by default),
            as bytes through its buffer when it has one.

    .. versionchanged:: 0.2
       Exit code 74 when the output cannot be written; a reader that stops
       reading ends the command silently with 0. ``stdin`` may be binary.
    """
    return run_parsed(parser().parse_args(argv), stdout=stdout, stderr=stderr, stdin=stdin)


def run_parsed(
    args: argparse.Namespace,
    *,
    stdout: TextIO | None = None,
    stderr: TextIO | None = None,
    stdin: TextIO | BinaryIO | None = None,
) -> int:
    """Run the command ``args`` name (what :func:`parser` read); return the exit code, as :func:`main` does."""
    out_stream = stdout if stdout is not None else sys.stdout
    err = stderr if stderr is not None else sys.stderr
    inp = stdin if stdin is not None else sys.stdin
    if out_stream is None:
        _say(err, "crampkit: cannot write output: standard output is closed\n")
        return EXIT_OUTPUT_ERROR
    out = _Output(out_stream)
    try:
        code = _run(args, out, err, inp)
        out.flush()
    except InvalidInputError as exc:
        if getattr(args, "format", None) == "json":  # for a program: the problems as data, escaped to ASCII
            _say(err, json.dumps(exc.as_data(), ensure_ascii=True) + "\n")
        else:
            _say(err, "crampkit: invalid input:\n" + "".join(f"  {plain(str(problem))}\n" for problem in exc.problems))
        return EXIT_BAD_INPUT
    except _OutputError as exc:
        cause = exc.__cause__
        if isinstance(cause, OSError) and cause.errno == errno.EPIPE:
            return EXIT_OK  # the reader has what it wanted
        reason = cause.strerror if isinstance(cause, OSError) and cause.strerror else str(exc)
        _say(err, f"crampkit: cannot write output: {reason}\n")
        return EXIT_OUTPUT_ERROR
    return code


def _run(args: argparse.Namespace, out: _Output, err: TextIO | None, inp: TextIO | BinaryIO | None) -> int:
    if args.command == "recommend":
        return _recommend(args, out, err, inp)
    if args.command == "example":
        out.write(to_json(example_profile(), indent=2) + "\n")
        return EXIT_OK
    if args.command == "interview":
        return _interview(args, out, inp)
    if args.command == "serve":
        return _serve(args, err)
    if args.command == "schema":
        document = _SCHEMAS[args.document]()
        out.write(json.dumps(document, indent=2) + "\n")
        return EXIT_OK
    return _kb(args, out, err)


def main_entry() -> None:
    """Console-script entry point: run :func:`main` and exit with its code (see :func:`crampkit.__main__.main_entry`).

    Text that the terminal's encoding cannot show is written as escapes
    rather than failing; output that could not be written is not written
    again when the interpreter exits (so no second error follows the one
    line :func:`main` printed); Ctrl-C exits with 130, without a traceback.
    """
    run_entry(main)
