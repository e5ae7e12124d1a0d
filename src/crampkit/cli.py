"""The ``crampkit`` command line.

Exit codes: 0 success, 2 bad input (one message on stderr, no traceback),
1 an item asked for does not exist, 74 the output could not be written (one
line on stderr). A reader that stops reading (``crampkit kb list | head -1``)
is not an error: crampkit stops writing, silently, with 0. ``recommend --jsonl``
exits 0 when it has read every row, even if some rows were bad (each gives an
error line).
"""

import argparse
import errno
import json
import os
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import BinaryIO, TextIO

from crampkit._batch import row_schema, write_results
from crampkit._escape import plain
from crampkit._kb import default_knowledge_base, load_knowledge_base
from crampkit._render import render_guidance, render_item
from crampkit.cds_hooks import to_cds_hooks
from crampkit.engine import recommend
from crampkit.exceptions import InvalidInputError
from crampkit.knowledge import KnowledgeBase
from crampkit.loading import load_profile, to_json
from crampkit.metadata import version
from crampkit.profile import example_profile
from crampkit.schema import guidance_schema, profile_schema

__all__ = ["main", "main_entry", "parser"]

EXIT_OK = 0
EXIT_NOT_FOUND = 1
EXIT_BAD_INPUT = 2
EXIT_OUTPUT_ERROR = 74
"""The output could not be written (``EX_IOERR``): a full disk, a closed standard output."""
EXIT_INTERRUPTED = 130


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


def parser() -> argparse.ArgumentParser:
    """The argument parser of the ``crampkit`` command (the CLI reference is generated from it)."""
    parser = argparse.ArgumentParser(
        prog="crampkit",
        description="Evidence-backed guidance about muscle cramps. General information, not a diagnosis.",
    )
    parser.add_argument("--version", action="version", version=f"crampkit {version()}")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    rec = commands.add_parser(
        "recommend", help="guidance for a profile (a JSON file, or - for stdin), or for many (--jsonl)"
    )
    rec.add_argument("profile", metavar="PROFILE", nargs="?", help="path to a profile JSON file, or - to read stdin")
    rec.add_argument(
        "--format",
        choices=("text", "json", "cds-hooks", "csv"),
        help="output format (default: text; with --jsonl: json, one line per row, or csv)",
    )
    rec.add_argument("--knowledge-base", metavar="PATH", help="use this knowledge-base file or folder instead")
    rec.add_argument(
        "--jsonl",
        metavar="PATH",
        help='read rows {"id": ..., "profile": {...}}, one per line, from a JSON Lines file (or - for stdin) '
        "instead of PROFILE, and write one result per row, in order",
    )
    rec.add_argument("--jobs", metavar="N", type=_jobs, help="with --jsonl: use N processes (default: 1)")

    commands.add_parser("example", help="print a sample profile as JSON")

    schema = commands.add_parser(
        "schema", help="print the JSON Schema (Draft 2020-12) of a profile, of guidance or of a --jsonl row"
    )
    schema.add_argument("document", choices=("profile", "guidance", "row"))

    kb = commands.add_parser("kb", help="inspect knowledge bases")
    kb_commands = kb.add_subparsers(dest="kb_command", required=True, metavar="KB_COMMAND")
    kb_list = kb_commands.add_parser("list", help="list every item of the knowledge base")
    kb_list.add_argument("--knowledge-base", metavar="PATH", help="list this knowledge base instead")
    kb_show = kb_commands.add_parser("show", help="show one item with its certainty and sources")
    kb_show.add_argument("id", metavar="ID")
    kb_show.add_argument("--knowledge-base", metavar="PATH", help="look in this knowledge base instead")
    kb_check = kb_commands.add_parser("check", help="validate a knowledge-base file or folder")
    kb_check.add_argument("path", metavar="PATH")

    serve = commands.add_parser("serve", help="run the CDS Hooks service (needs the 'server' extra)")
    serve.add_argument("--host", default="127.0.0.1", help="address to listen on (default: 127.0.0.1)")
    serve.add_argument("--port", type=int, default=8000, help="port to listen on (default: 8000)")
    return parser


def _serve(args: argparse.Namespace, err: TextIO | None) -> int:
    try:
        from crampkit.server import run  # noqa: PLC0415 - Starlette and uvicorn are an optional extra
    except ImportError:
        _say(err, "crampkit: 'serve' needs the server extra: pip install 'crampkit[server]'\n")
        return EXIT_NOT_FOUND
    run(args.host, args.port)
    return EXIT_OK


def _knowledge_base(path: str | None) -> KnowledgeBase:
    return default_knowledge_base() if path is None else load_knowledge_base(Path(path))


def _jobs(text: str) -> int:
    try:
        jobs = int(text)
    except ValueError:
        jobs = 0
    if jobs < 1:
        msg = f"expected a whole number of at least 1, got {text!r}"
        raise argparse.ArgumentTypeError(msg)
    return jobs


def _recommend(args: argparse.Namespace, out: _Output, err: TextIO | None, stdin: TextIO | BinaryIO | None) -> int:
    if args.jsonl is not None:
        if args.profile is not None:
            raise InvalidInputError(["recommend: give either a PROFILE or --jsonl, not both"])
        if args.format not in {None, "json", "csv"}:
            raise InvalidInputError([f"--format {args.format}: with --jsonl, the formats are json and csv"])
        write_results(
            args.jsonl,
            out.write,
            form="csv" if args.format == "csv" else "json",
            knowledge_base=_knowledge_base(args.knowledge_base),
            jobs=args.jobs or 1,
            stdin=stdin,
            progress=err if err is not None and err.isatty() else None,
        )
        return EXIT_OK
    if args.jobs is not None:
        raise InvalidInputError(["--jobs: works only with --jsonl"])
    if args.profile is None:
        raise InvalidInputError(["recommend: give a PROFILE (a file, or - for stdin) or --jsonl PATH"])
    if args.format == "csv":
        raise InvalidInputError(["--format csv: works only with --jsonl"])
    if args.profile != "-":
        profile = load_profile(Path(args.profile))
    elif stdin is None:
        raise InvalidInputError(["profile: standard input is closed"])
    else:
        profile = load_profile(stdin)
    knowledge_base = _knowledge_base(args.knowledge_base)
    guidance = recommend(profile, knowledge_base=knowledge_base)
    if args.format == "json":
        out.write(to_json(guidance) + "\n")
    elif args.format == "cds-hooks":
        out.write(
            json.dumps(to_cds_hooks(guidance, knowledge_base=knowledge_base), indent=2, ensure_ascii=False) + "\n"
        )
    else:
        out.write(render_guidance(guidance))
    return EXIT_OK


def _kb(args: argparse.Namespace, out: _Output, err: TextIO | None) -> int:
    if args.kb_command == "check":
        knowledge_base = load_knowledge_base(Path(args.path))
        counts = ", ".join(
            f"{len(getattr(knowledge_base, section))} {section.replace('_', ' ')}"
            for section in (
                "sources",
                "causes",
                "risk_factors",
                "drug_classes",
                "interventions",
                "red_flags",
                "signs",
                "population_rules",
            )
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
    if args.kb_command == "list":
        out.writelines(
            [
                f"{type(item).__name__:<14} {item.id:<40} {plain(getattr(item, 'name', getattr(item, 'title', '')))}\n"
                for item in knowledge_base.items()
            ]
        )
        return EXIT_OK
    if args.id not in knowledge_base.by_id:
        _say(err, f"crampkit: no knowledge-base item has id {plain(repr(args.id))} (see 'crampkit kb list')\n")
        return EXIT_NOT_FOUND
    out.write(render_item(knowledge_base.get(args.id), knowledge_base))
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
    out_stream = stdout if stdout is not None else sys.stdout
    err = stderr if stderr is not None else sys.stderr
    inp = stdin if stdin is not None else sys.stdin
    args = parser().parse_args(argv)
    if out_stream is None:
        _say(err, "crampkit: cannot write output: standard output is closed\n")
        return EXIT_OUTPUT_ERROR
    out = _Output(out_stream)
    try:
        code = _run(args, out, err, inp)
        out.flush()
    except InvalidInputError as exc:
        _say(err, "crampkit: invalid input:\n" + "".join(f"  {plain(problem)}\n" for problem in exc.problems))
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
        out.write(to_json(example_profile()) + "\n")
        return EXIT_OK
    if args.command == "serve":
        return _serve(args, err)
    if args.command == "schema":
        document = {"profile": profile_schema, "guidance": guidance_schema, "row": row_schema}[args.document]()
        out.write(json.dumps(document, indent=2) + "\n")
        return EXIT_OK
    return _kb(args, out, err)


def main_entry() -> None:
    """Console-script entry point: run :func:`main` and exit with its code.

    Text that the terminal's encoding cannot show is written as escapes
    rather than failing; output that could not be written is not written
    again when the interpreter exits (so no second error follows the one
    line :func:`main` printed); Ctrl-C exits with 130, without a traceback.
    """
    for stream in (sys.stdout, sys.stderr):
        reconfigure = getattr(stream, "reconfigure", None)
        if reconfigure is not None:
            reconfigure(errors="backslashreplace")
    try:
        code = main()
    except KeyboardInterrupt:
        code = EXIT_INTERRUPTED
    _settle_stdout()
    sys.exit(code)


def _settle_stdout() -> None:
    """Flush standard output now; if that fails, point it at the null device so the interpreter's last flush cannot."""
    if sys.stdout is None:
        return
    try:
        sys.stdout.flush()
    except (OSError, ValueError):
        try:
            null = os.open(os.devnull, os.O_WRONLY)
            os.dup2(null, sys.stdout.fileno())
            os.close(null)
        except (OSError, ValueError):
            pass
