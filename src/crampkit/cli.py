"""The ``crampkit`` command line.

Exit codes: 0 success, 2 bad input (one message on stderr, no traceback),
1 an item asked for does not exist.
"""

import argparse
import json
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TextIO

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


def parser() -> argparse.ArgumentParser:
    """The argument parser of the ``crampkit`` command (the CLI reference is generated from it)."""
    parser = argparse.ArgumentParser(
        prog="crampkit",
        description="Evidence-backed guidance about muscle cramps. General information, not a diagnosis.",
    )
    parser.add_argument("--version", action="version", version=f"crampkit {version()}")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    rec = commands.add_parser("recommend", help="guidance for a profile (a JSON file, or - for stdin)")
    rec.add_argument("profile", metavar="PROFILE", help="path to a profile JSON file, or - to read stdin")
    rec.add_argument(
        "--format", choices=("text", "json", "cds-hooks"), default="text", help="output format (default: text)"
    )
    rec.add_argument("--knowledge-base", metavar="PATH", help="use this knowledge-base file or folder instead")

    commands.add_parser("example", help="print a sample profile as JSON")

    schema = commands.add_parser("schema", help="print the JSON Schema (Draft 2020-12) of a profile or of guidance")
    schema.add_argument("document", choices=("profile", "guidance"))

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


def _serve(args: argparse.Namespace, err: TextIO) -> int:
    try:
        from crampkit.server import run  # noqa: PLC0415 - Starlette and uvicorn are an optional extra
    except ImportError:
        err.write("crampkit: 'serve' needs the server extra: pip install 'crampkit[server]'\n")
        return EXIT_NOT_FOUND
    run(args.host, args.port)
    return EXIT_OK


def _knowledge_base(path: str | None) -> KnowledgeBase:
    return default_knowledge_base() if path is None else load_knowledge_base(Path(path))


def _recommend(args: argparse.Namespace, out: TextIO, stdin: TextIO) -> int:
    profile = load_profile(stdin.read()) if args.profile == "-" else load_profile(Path(args.profile))
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


def _kb(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
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
        out.write(f"{args.path}: valid (version {knowledge_base.version}; {counts})\n")
        return EXIT_OK
    knowledge_base = _knowledge_base(args.knowledge_base)
    if args.kb_command == "list":
        out.writelines(
            f"{type(item).__name__:<14} {item.id:<40} {getattr(item, 'name', getattr(item, 'title', ''))}\n"
            for item in knowledge_base.items()
        )
        return EXIT_OK
    if args.id not in knowledge_base.by_id:
        err.write(f"crampkit: no knowledge-base item has id {args.id!r} (see 'crampkit kb list')\n")
        return EXIT_NOT_FOUND
    out.write(render_item(knowledge_base.get(args.id), knowledge_base))
    return EXIT_OK


def main(
    argv: Sequence[str] | None = None,
    *,
    stdout: TextIO | None = None,
    stderr: TextIO | None = None,
    stdin: TextIO | None = None,
) -> int:
    """Run the command line; return the exit code.

    Args:
        argv: Arguments without the program name; ``sys.argv[1:]`` when omitted.
        stdout: Where output goes (``sys.stdout`` by default).
        stderr: Where error messages go (``sys.stderr`` by default).
        stdin: Where ``recommend -`` reads from (``sys.stdin`` by default).
    """
    out, err, inp = stdout or sys.stdout, stderr or sys.stderr, stdin or sys.stdin
    args = parser().parse_args(argv)
    try:
        if args.command == "recommend":
            return _recommend(args, out, inp)
        if args.command == "example":
            out.write(to_json(example_profile()) + "\n")
            return EXIT_OK
        if args.command == "serve":
            return _serve(args, err)
        if args.command == "schema":
            document = profile_schema() if args.document == "profile" else guidance_schema()
            out.write(json.dumps(document, indent=2) + "\n")
            return EXIT_OK
        return _kb(args, out, err)
    except InvalidInputError as exc:
        err.write("crampkit: invalid input:\n" + "".join(f"  {problem}\n" for problem in exc.problems))
        return EXIT_BAD_INPUT


def main_entry() -> None:
    """Console-script entry point: run :func:`main` and exit with its code."""
    sys.exit(main())
