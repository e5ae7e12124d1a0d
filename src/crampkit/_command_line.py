"""The ``crampkit`` command's arguments and exit codes, and how it starts and ends (internal).

Nothing here imports the rest of crampkit (attrs, the engine, the knowledge
base): ``crampkit --help``, ``--version`` and a mistyped option are answered
from this module alone, and :mod:`crampkit.cli` is imported only for a
command that runs (see :mod:`crampkit.__main__`).
"""

import argparse
import os
import sys
from collections.abc import Callable, Sequence
from typing import NoReturn

from crampkit._version import version
from crampkit.text._choices import DEFAULT_LANGUAGE, DEFAULT_REGION, REGION_IDS, languages

__all__ = [
    "EXIT_BAD_INPUT",
    "EXIT_INTERRUPTED",
    "EXIT_NOT_FOUND",
    "EXIT_OK",
    "EXIT_OUTPUT_ERROR",
    "EXIT_TERMINATED",
    "FORMATS",
    "SCHEMA_DOCUMENTS",
    "jobs",
    "parser",
    "run_entry",
    "settle_stdout",
]

EXIT_OK = 0
EXIT_NOT_FOUND = 1
EXIT_BAD_INPUT = 2
EXIT_OUTPUT_ERROR = 74
"""The output could not be written (``EX_IOERR``): a full disk, a closed standard output."""
EXIT_INTERRUPTED = 130
"""Stopped by SIGINT (Ctrl-C): 128 + its number, as shells report it."""
EXIT_TERMINATED = 143
"""``recommend --jsonl`` stopped by SIGTERM: 128 + its number."""

FORMATS = ("text", "short", "json", "cds-hooks", "csv")
"""The output formats of ``crampkit recommend``."""

SCHEMA_DOCUMENTS = ("profile", "guidance", "row", "error", "openapi")
"""The documents ``crampkit schema`` prints (:mod:`crampkit.cli` has the function of each)."""


class _Version(argparse.Action):
    """``--version``: prints the version and exits."""

    def __init__(self, option_strings: Sequence[str], dest: str, help: str | None = None) -> None:  # noqa: A002 - argparse's name
        super().__init__(option_strings, dest, nargs=0, default=argparse.SUPPRESS, help=help)

    def __call__(self, parser: argparse.ArgumentParser, *_: object) -> None:
        sys.stdout.write(f"crampkit {version()}\n")
        parser.exit()


def _region_and_language(command: argparse.ArgumentParser, *, configured: bool = False) -> None:
    """``--region`` and ``--language``: the same choices and defaults for every command that shows text.

    ``configured``: the command also reads them from a configuration file, so the options default to ``None``.
    """
    where = "the configuration's, else " if configured else ""
    command.add_argument(
        "--region",
        choices=REGION_IDS,
        default=None if configured else DEFAULT_REGION,
        help=f"whose emergency and non-urgent services to name (default: {where}{DEFAULT_REGION})",
    )
    command.add_argument(
        "--language",
        choices=languages(),
        default=None if configured else DEFAULT_LANGUAGE,
        help=f"language of the text, among those with a catalogue (default: {where}{DEFAULT_LANGUAGE})",
    )


def parser() -> argparse.ArgumentParser:
    """The argument parser of the ``crampkit`` command (the CLI reference is generated from it)."""
    parser = argparse.ArgumentParser(
        prog="crampkit",
        description="Evidence-backed guidance about muscle cramps. General information, not a diagnosis.",
    )
    parser.add_argument("--version", action=_Version, help="show the version and exit")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    rec = commands.add_parser(
        "recommend", help="guidance for a profile (a JSON file, or - for stdin), or for many (--jsonl)"
    )
    rec.add_argument("profile", metavar="PROFILE", nargs="?", help="path to a profile JSON file, or - to read stdin")
    rec.add_argument(
        "--format",
        choices=FORMATS,
        help="output format (default: text; short: a few lines for a phone screen; "
        "with --jsonl: json, one line per row, or csv)",
    )
    _region_and_language(rec)
    rec.add_argument("--knowledge-base", metavar="PATH", help="use this knowledge-base file or folder instead")
    rec.add_argument(
        "--indent",
        type=int,
        choices=range(9),
        metavar="N",
        help="indent JSON output by N spaces, for people to read (default: compact, one line)",
    )
    rec.add_argument(
        "--jsonl",
        metavar="PATH",
        help='read rows {"id": ..., "profile": {...}}, one per line, from a JSON Lines file (or - for stdin) '
        "instead of PROFILE, and write one result per row, in order",
    )
    rec.add_argument(
        "--jobs",
        metavar="N",
        type=jobs,
        help="with --jsonl: use up to N processes (no more than the CPUs, and one for 1,024 rows or fewer; default: 1)",
    )

    commands.add_parser("example", help="print a sample profile as JSON")

    interview = commands.add_parser(
        "interview", help="ask the questions that matter one at a time (from stdin), then print guidance"
    )
    interview.add_argument("--profile", metavar="PATH", help="start from what this profile JSON file already says")
    interview.add_argument("--knowledge-base", metavar="PATH", help="use this knowledge-base file or folder instead")
    _region_and_language(interview)

    schema = commands.add_parser(
        "schema",
        help="print the JSON Schema (Draft 2020-12) of a profile, of guidance, of a --jsonl row or of an error "
        "body, or all but the row as OpenAPI components",
    )
    schema.add_argument("document", choices=SCHEMA_DOCUMENTS)

    kb = commands.add_parser("kb", help="inspect knowledge bases")
    kb_commands = kb.add_subparsers(dest="kb_command", required=True, metavar="KB_COMMAND")
    kb_list = kb_commands.add_parser("list", help="list every item of the knowledge base")
    kb_list.add_argument("--knowledge-base", metavar="PATH", help="list this knowledge base instead")
    _region_and_language(kb_list)
    kb_show = kb_commands.add_parser("show", help="show one item (or an ingredient or product) with its sources")
    kb_show.add_argument("id", metavar="ID")
    kb_show.add_argument("--knowledge-base", metavar="PATH", help="look in this knowledge base instead")
    _region_and_language(kb_show)
    kb_check = kb_commands.add_parser("check", help="validate a knowledge-base file or folder")
    kb_check.add_argument("path", metavar="PATH")

    serve = commands.add_parser(
        "serve",
        help="run the CDS Hooks service (needs the 'server' extra)",
        description="Run the CDS Hooks 2.0 service. Every call must carry a JWT signed by a trusted issuer "
        "(--issuer or --config, with --audience); see the Authentication section of docs/ehr.md.",
    )
    serve.add_argument("--host", default="127.0.0.1", help="address to listen on (default: 127.0.0.1)")
    serve.add_argument("--port", type=int, default=8000, help="port to listen on (default: 8000)")
    serve.add_argument(
        "--config",
        metavar="PATH",
        help="a TOML file with [auth] (trusted issuers, audience), [cors] (allowed_origins), [service] "
        "(region, language, knowledge_base, try) and [limits] (see docs/ehr.md, Configuration); "
        "the options below add to it or replace its values",
    )
    serve.add_argument(
        "--knowledge-base",
        metavar="PATH",
        help="answer from this knowledge-base file or folder instead of the packaged one",
    )
    serve.add_argument(
        "--issuer",
        metavar="ISS=JWKS_URL",
        action="append",
        default=[],
        help="trust tokens whose iss is ISS, verified with the keys of the JWK Set at JWKS_URL (https; repeatable)",
    )
    serve.add_argument(
        "--audience",
        metavar="URL",
        action="append",
        default=[],
        help="this service's base URL as clients call it (https://cds.example.org); a token's aud must be "
        "the URL of the endpoint called under it (repeatable)",
    )
    serve.add_argument(
        "--allow-origin",
        metavar="ORIGIN",
        action="append",
        default=[],
        help="let browser-based clients from ORIGIN call the service (CORS; repeatable; '*' for any; off by default)",
    )
    serve.add_argument(
        "--insecure-no-auth",
        action="store_true",
        help="serve without authentication, for development: anyone who can reach the port gets cards; "
        "refused unless --host is a loopback address",
    )
    serve.add_argument(
        "--try",
        dest="try_page",
        action="store_true",
        help="also serve the try-it page at /try (a profile form and the guidance, in a browser), for review "
        "and demonstrations on this computer; refused unless --host is a loopback address (see docs/try.md)",
    )
    _region_and_language(serve, configured=True)
    return parser


def jobs(text: str) -> int:
    """The number of ``--jobs``: a whole number of at least 1 (else argparse says what is wrong)."""
    try:
        jobs = int(text)
    except ValueError:
        jobs = 0
    if jobs < 1:
        msg = f"expected a whole number of at least 1, got {text!r}"
        raise argparse.ArgumentTypeError(msg)
    return jobs


def run_entry(run: Callable[[], int]) -> NoReturn:
    """Run a console entry point: ``run()``, then exit with its code.

    Text that the terminal's encoding cannot show is written as escapes
    rather than failing; output that could not be written is not written
    again when the interpreter exits (so no second error follows the one
    line the command printed); Ctrl-C exits with 130, without a traceback.
    """
    for stream in (sys.stdout, sys.stderr):
        reconfigure = getattr(stream, "reconfigure", None)
        if reconfigure is not None:
            reconfigure(errors="backslashreplace")
    try:
        code = run()
    except KeyboardInterrupt:
        code = EXIT_INTERRUPTED
    settle_stdout()
    sys.exit(code)


def settle_stdout() -> None:
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
