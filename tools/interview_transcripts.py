"""The interview transcripts in ``docs/examples/``: made by running the real ``crampkit interview``, and checked.

Run from the repository with the project's environment first on PATH:
``python tools/interview_transcripts.py`` writes ``docs/examples/interview-<name>.txt``
for every interview in ``docs/examples/interviews.toml``; with ``--check`` it
writes nothing and exits 1 if a transcript is not what the command prints now
(``tests/test_cli.py`` runs the check).

Each interview names its answers by question id, so a change in the order of
the questions needs no change here, only a new transcript. A question not
named is answered "no" (yes/no) or "none" (a list or names); a number or a
one-of question must be named. The answers are worked out by asking the
questions in Python first, then piped, one a line, to
``python -m crampkit interview``.
"""

import subprocess
import sys
import tomllib
from pathlib import Path
from typing import Any

ROOT = Path(__file__).parents[1]
EXAMPLES = ROOT / "docs" / "examples"
SPEC = EXAMPLES / "interviews.toml"


def interviews() -> dict[str, dict[str, Any]]:
    """The scripted interviews, by name."""
    with SPEC.open("rb") as file:
        found: dict[str, dict[str, Any]] = tomllib.load(file)["interviews"]
    return found


def answer_lines(answers: dict[str, str], argv: list[str]) -> list[str]:
    """The lines to type, one per question, in the order the interview asks them."""
    import crampkit  # noqa: PLC0415 - only when run
    from crampkit.decision.questions import AnswerKind  # noqa: PLC0415

    region = argv[argv.index("--region") + 1] if "--region" in argv else "uk"
    profile = crampkit.Profile()
    lines: list[str] = []
    while crampkit.recommend(profile, region=region).triage is not crampkit.Urgency.EMERGENCY:
        pending = crampkit.next_questions(profile)
        if not pending:
            break
        question = pending[0]
        if question.id in answers:
            line = answers[question.id]
        elif question.kind is AnswerKind.YES_NO:
            line = "no"
        elif question.kind in {AnswerKind.ANY_OF, AnswerKind.TEXT}:
            line = "none"
        else:
            message = f"the interview asks {question.id!r}: name its answer in {SPEC.name}"
            raise SystemExit(message)
        lines.append(line)
        profile = question.answer(profile, question.parse(line))
    return lines


def transcript(spec: dict[str, Any]) -> str:
    """What ``crampkit interview`` prints, given the interview's answers piped in."""
    argv = list(spec.get("args", []))
    typed = "".join(f"{line}\n" for line in answer_lines(spec["answers"], argv))
    command = [sys.executable, "-m", "crampkit", "interview", *argv]
    done = subprocess.run(  # noqa: S603 - our own command
        command, input=typed, capture_output=True, text=True, encoding="utf-8", check=True, cwd=ROOT
    )
    return done.stdout


def path_of(name: str) -> Path:
    """Where the transcript of the interview ``name`` is kept."""
    return EXAMPLES / f"interview-{name}.txt"


def stale() -> list[str]:
    """The names of the transcripts that differ from what the command prints now."""
    found = interviews()
    return [name for name, spec in found.items() if path_of(name).read_text(encoding="utf-8") != transcript(spec)]


def main(argv: list[str]) -> int:
    """Write the transcripts, or with ``--check`` say which are out of date; the exit code."""
    if "--check" in argv:
        found = stale()
        for name in found:
            print(f"{path_of(name).relative_to(ROOT)} is out of date: run python tools/interview_transcripts.py")
        return 1 if found else 0
    for name, spec in interviews().items():
        path_of(name).write_text(transcript(spec), encoding="utf-8")
        print(f"wrote {path_of(name).relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
