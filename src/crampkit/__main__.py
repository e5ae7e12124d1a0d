"""``python -m crampkit`` and the ``crampkit`` command.

The arguments are read first, by a parser that imports nothing heavy
(:mod:`crampkit._command_line`): ``--help``, ``--version`` and a mistyped
option are answered before :mod:`crampkit.cli` and the engine are imported.
"""

from crampkit._command_line import parser, run_entry


def _run() -> int:
    args = parser().parse_args()  # --help, --version and usage errors end here
    from crampkit.cli import run_parsed  # noqa: PLC0415 - only for a command that runs

    return run_parsed(args)


def main_entry() -> None:
    """Console-script entry point: read the arguments, then run the command and exit with its code."""
    run_entry(_run)


if __name__ == "__main__":
    main_entry()
