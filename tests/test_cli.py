"""The command line, called in-process and as a real subprocess."""

import importlib
import importlib.util
import io
import json
import os
import re
import subprocess
import sys
from pathlib import Path
from types import ModuleType
from typing import Any

import attrs
import pytest

import crampkit
from crampkit import Asked, Profile, Sex, Symptom, next_questions, recommend
from crampkit.cli import main
from crampkit.render.terminal import render_guidance

MINI = str(Path(__file__).parent / "data" / "mini.toml")
ONLY_AGE = Profile(
    absent_symptoms=frozenset(Symptom),
    heat_exposure=False,
    sudden_onset=False,
    sex=Sex.MALE,
    cramps=crampkit.Cramps(reported=False),
    asked=frozenset(Asked),
)
"""Every question of the interview answered but the age."""


def run(*argv: str, stdin: str = "") -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code = main(list(argv), stdout=out, stderr=err, stdin=io.StringIO(stdin))
    return code, out.getvalue(), err.getvalue()


def test_example_is_a_valid_profile() -> None:
    code, out, _ = run("example")
    assert code == 0
    assert crampkit.load_profile(out) == crampkit.example_profile()


def test_recommend_json_has_every_contract_key() -> None:
    _, example, _ = run("example")
    code, out, err = run("recommend", "-", "--format", "json", stdin=example)
    assert (code, err) == (0, "")
    data = json.loads(out)
    assert set(data) >= {
        "triage",
        "red_flags",
        "likely_causes",
        "recommendations",
        "not_recommended",
        "unrecognized_medications",
        "knowledge_base_version",
        "disclaimer",
    }
    assert crampkit.structure(data, crampkit.Guidance) == crampkit.recommend(crampkit.example_profile())


@pytest.mark.parametrize("output", ["json", "cds-hooks"])
def test_machine_output_is_one_compact_line_unless_indented(output: str) -> None:
    _, example, _ = run("example")
    code, compact, _ = run("recommend", "-", "--format", output, stdin=example)
    assert code == 0
    assert compact.count("\n") == 1
    assert compact.endswith("\n")
    assert compact.rstrip("\n") == json.dumps(json.loads(compact), separators=(",", ":"), ensure_ascii=False)
    code, indented, _ = run("recommend", "-", "--format", output, "--indent", "2", stdin=example)
    assert code == 0
    assert indented.startswith('{\n  "')
    assert json.loads(indented) == json.loads(compact)


def test_recommend_text_puts_triage_and_red_flags_first(tmp_path: Path) -> None:
    path = tmp_path / "p.json"
    path.write_text('{"symptoms": ["calf-swelling"], "medications": ["zopiclone", "indapamide"], "pregnant": true}')
    code, out, _ = run("recommend", str(path), "--knowledge-base", MINI)
    assert code == 0
    lines = out.splitlines()
    assert lines[0] == "Triage: URGENT"
    assert lines[1] == "Do this first: This may not be a cramp problem. Get an urgent appointment."
    assert lines[3] == "Red flags: seek care"
    assert lines[4] == "  ! [urgent] Possible clot"
    assert "What to do" not in lines  # stretching a calf that may hold a clot is left out (the exclusion table)
    assert "Likely causes" not in lines  # nothing stands between the reader and the action
    assert "Other self-care advice (6 items) is held back until a clinician has checked the problem;" in lines
    calm = tmp_path / "calm.json"
    calm.write_text('{"medications": ["zopiclone"], "pregnant": true}')
    code, out, _ = run("recommend", str(calm), "--knowledge-base", MINI)
    assert "  x Quinine: Serious harms outweigh a small benefit. Never in pregnancy. Not in" in out.splitlines()
    # zopiclone is not in the test knowledge base: with a medicine it cannot check, no NSAID (the exclusion table)
    assert "  x Ibuprofen afterwards: Not in pregnancy. NSAIDs can harm here." in out.splitlines()
    assert "  ? zopiclone" in lines
    assert lines[-1] == "(knowledge base test-1)"


def test_recommend_text_without_red_flags() -> None:
    code, out, _ = run("recommend", "-", "--knowledge-base", MINI, stdin="{}")
    assert code == 0
    assert out.splitlines()[1].startswith("No red flags matched.")


@pytest.mark.parametrize(
    ("stdin", "expected"),
    [
        ('{"age": -1}', "  age: must be between 0 and 120, got -1\n"),
        ('{"pregnant": "no"}', "  pregnant: expected true or false, got a string\n"),
        ("not json", "  profile: not valid JSON: Expecting value: line 1 column 1 (char 0)\n"),
    ],
)
def test_bad_input_exits_2_with_the_field_named(stdin: str, expected: str) -> None:
    code, out, err = run("recommend", "-", stdin=stdin)
    assert (code, out) == (2, "")
    assert err == "crampkit: invalid input:\n" + expected


def test_bad_input_with_format_json_is_json_on_stderr() -> None:
    """A program that asked for JSON gets the problems as JSON (``as_data``), still with exit code 2."""
    code, out, err = run("recommend", "-", "--format", "json", stdin='{"age": -1, "cramps": {"sites": ["nose"]}}')
    assert (code, out) == (2, "")
    problems = json.loads(err)["problems"]
    assert [(p["path"], p["code"]) for p in problems] == [
        (["age"], "out-of-range"),
        (["cramps", "sites", 0], "not-allowed-value"),
    ]
    assert (problems[0]["minimum"], problems[0]["maximum"]) == (0, 120)
    assert err.isascii()
    assert err.endswith("}\n")
    assert err.count("\n") == 1
    code, _, err = run("recommend", "-", "--format", "json", stdin="not json")
    assert code == 2
    assert json.loads(err)["problems"][0]["code"] == "not-json"


def test_missing_profile_file_exits_2(tmp_path: Path) -> None:
    code, _, err = run("recommend", str(tmp_path / "nope.json"))
    assert code == 2
    assert "nope.json: cannot be read: no such file" in err


def test_kb_list_show_and_missing_id() -> None:
    code, out, _ = run("kb", "list", "--knowledge-base", MINI)
    assert code == 0
    assert "Source         src-a                                    Source A" in out.splitlines()
    assert len(out.splitlines()) == len(list(crampkit.load_knowledge_base(Path(MINI)).items()))
    code, us, _ = run("kb", "list", "--region", "us")  # names as the guidance shows them: no raw placeholder
    assert code == 0
    assert "pregnancy-cramps-advice                  Mention cramps to your midwife or doctor" in us
    assert "{" not in us
    code, out, _ = run("kb", "show", "quinine", "--knowledge-base", MINI)
    assert code == 0
    assert out.splitlines()[0] == "quinine  (Intervention)"
    assert "certainty: high" in out
    assert "  - Source A (Test publisher, 2020). https://example.org/a [guideline]" in out
    code, out, _ = run("kb", "show", "src-a", "--knowledge-base", MINI)
    assert (code, out.splitlines()[0]) == (0, "src-a  (Source)")
    code, out, _ = run("kb", "show", "co-amilofruse")  # a product: medicines have ids of their own
    assert (code, out.splitlines()[0]) == (0, "co-amilofruse  (Product)")
    assert "  - Frumil LS" in out
    assert "sources:" not in out
    code, out, _ = run("kb", "show", "lithium")  # the drug class first, where an ingredient has the same id
    assert (code, out.splitlines()[0]) == (0, "lithium  (DrugClass)")
    code, _, err = run("kb", "show", "nothing-here", "--knowledge-base", MINI)
    assert code == 1
    assert "no knowledge-base item has id 'nothing-here'" in err


def test_kb_check_valid_and_invalid(tmp_path: Path) -> None:
    code, out, _ = run("kb", "check", MINI)
    assert code == 0
    assert out.endswith(
        "valid (version test-1; 1 sources, 3 causes, 3 risk factors, 2 drug classes, 8 interventions, 3 red flags, "
        "36 signs, 6 population rules)\n"
    )
    bad = tmp_path / "bad.toml"
    bad.write_text('version = "x"\n[[causes]]\nid = "c"\n')
    code, _, err = run("kb", "check", str(bad))
    assert code == 2
    assert "  bad.toml: causes[0] (c): name: required field missing\n" in err


def test_python_dash_m_and_console_script_run() -> None:
    done = subprocess.run(
        [sys.executable, "-m", "crampkit", "recommend", "-", "--format", "json"],
        input='{"age": -1}',
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 2
    assert json.loads(done.stderr)["problems"][0]["message"] == "must be between 0 and 120, got -1"  # JSON asked for
    assert "Traceback" not in done.stderr
    version = subprocess.run(
        [sys.executable, "-m", "crampkit", "--version"], capture_output=True, text=True, check=True
    )
    assert version.stdout.strip() == f"crampkit {crampkit.__version__}"


def test_text_output_of_a_knowledge_base_with_little_in_it(tmp_path: Path) -> None:
    kb = tmp_path / "bare.toml"
    kb.write_text(
        'version = "bare"\n'
        "[[sources]]\n"
        'id = "s"\ntitle = "T"\npublisher = "P"\nurl = "https://example.org"\nkind = "reference"\n'
        + "".join(
            f'[[signs]]\nid = "sign-of-{s.value}"\nsymptom = "{s.value}"\nname = "N"\nurgency = "self-care"\n'
            'advice = "A"\nreason = "R"\nwatch_for = "W"\nsources = ["s"]\n'
            for s in crampkit.Symptom
        )
    )
    code, out, _ = run("recommend", "-", "--knowledge-base", str(kb), stdin="{}")
    assert code == 0
    assert "Likely causes" not in out
    assert "What to do" not in out
    assert "Not recommended" not in out
    code, out, _ = run("kb", "show", "s", "--knowledge-base", str(kb))
    assert out == "s  (Source)\ntitle: T\npublisher: P\nurl: https://example.org\nkind: reference\n"


def test_console_script_and_module_entry_points(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    import runpy  # noqa: PLC0415

    from crampkit.cli import main_entry  # noqa: PLC0415

    monkeypatch.setattr(sys, "argv", ["crampkit", "example"])
    with pytest.raises(SystemExit) as done:
        main_entry()
    assert done.value.code == 0
    monkeypatch.setattr(sys, "argv", ["crampkit", "schema", "profile"])
    monkeypatch.delitem(sys.modules, "crampkit.__main__", raising=False)  # runpy warns if it is already imported
    with pytest.raises(SystemExit) as done:
        runpy.run_module("crampkit", run_name="__main__")
    assert done.value.code == 0
    assert '"$schema"' in capsys.readouterr().out
    importlib.import_module("crampkit.__main__")  # importing it (not running it) does nothing
    assert capsys.readouterr().out == ""


def test_version_is_read_only_when_asked(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exited:
        main(["--version"])
    assert exited.value.code == 0
    assert capsys.readouterr().out == f"crampkit {crampkit.__version__}\n"


# -- crampkit interview ---------------------------------------------------------------------------


def interview(answers: str | bytes, *argv: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    stdin: Any = io.BytesIO(answers) if isinstance(answers, bytes) else io.StringIO(answers)
    code = main(["interview", *argv], stdout=out, stderr=err, stdin=stdin)
    return code, out.getvalue(), err.getvalue()


def test_interview_asks_re_asks_and_stops_at_the_end_of_input() -> None:
    first, second = next_questions(Profile())[:2]
    code, out, err = interview("maybe\nnone\n")
    assert (code, err) == (0, "")
    assert out.count(first.text) == 2  # asked again after an answer it does not allow
    assert "Please answer the numbers of all that apply, such as 1,3; none; or skip." in out
    assert second.text in out
    assert "Stopped" in out
    profile = first.answer(Profile(), ())
    assert out.endswith(render_guidance(recommend(profile)))


def test_interview_shows_the_choices_numbered() -> None:
    first = next_questions(Profile())[0]
    _, out, _ = interview("")
    for number, choice in enumerate(first.choices, start=1):
        assert f"\n  {number}. {choice.text}\n" in out


def test_interview_skip_moves_on_and_does_not_ask_again() -> None:
    first, second = next_questions(Profile())[:2]
    code, out, _ = interview("skip\ns\n")
    assert code == 0
    assert out.count(first.text) == 1
    assert out.count(second.text) == 1
    assert out.endswith(render_guidance(recommend(Profile())))


def test_interview_stops_at_an_emergency_with_what_to_do() -> None:
    code, out, _ = interview("1\n")
    assert code == 0
    assert "Your answers point to an emergency, so no more questions" in out
    assert "Triage: EMERGENCY" in out


def test_interview_reads_answers_leniently(tmp_path: Path) -> None:
    """The interview reads answers with Question.parse: short words in any case, spaces, numbers as text."""
    first, second = next_questions(Profile())[:2]
    code, out, _ = interview(" NONE \nn\n")
    assert code == 0
    assert "Please answer" not in out
    assert out.endswith(render_guidance(recommend(second.answer(first.answer(Profile(), ()), ()))))
    start = tmp_path / "profile.json"
    start.write_text(crampkit.to_json(ONLY_AGE))
    code, out, _ = interview(" 42 \n", "--profile", str(start))
    assert code == 0
    assert out.endswith(render_guidance(recommend(attrs.evolve(ONLY_AGE, age=42))))


def test_interview_reads_numbers_and_finishes(tmp_path: Path) -> None:
    """From a profile where only the age is left to ask, a number is asked for until one fits."""
    assert [question.id for question in next_questions(ONLY_AGE)] == ["age"]
    start = tmp_path / "profile.json"
    start.write_text(crampkit.to_json(ONLY_AGE))
    code, out, _ = interview(b"abc\n200\n30\n", "--profile", str(start))
    assert code == 0
    assert out.count("Please answer a number from 0 to 120, or skip.") == 2
    assert "That is all the questions." in out
    assert "could change the guidance" not in out
    assert out.endswith(render_guidance(recommend(attrs.evolve(ONLY_AGE, age=30))))


def test_interview_reads_one_choice_and_names(tmp_path: Path) -> None:
    only_sex_and_medicines = attrs.evolve(ONLY_AGE, age=30, sex=None, asked=ONLY_AGE.asked - {Asked.MEDICATIONS})
    asked = [question.id for question in next_questions(only_sex_and_medicines)]
    assert asked == ["sex", "medications"]
    start = tmp_path / "profile.json"
    start.write_text(crampkit.to_json(only_sex_and_medicines))
    code, out, _ = interview("4\nm\nLipitor, an unknown medicine\n", "--profile", str(start))
    assert code == 0
    assert "Please answer a number from 1 to 3, or skip." in out
    assert "[names separated by commas, none, or skip] Lipitor, an unknown medicine\n" in out
    answered = attrs.evolve(
        only_sex_and_medicines,
        sex=crampkit.Sex.MALE,
        medications=frozenset({"Lipitor", "an unknown medicine"}),
        asked=ONLY_AGE.asked,
    )
    assert out.endswith(render_guidance(recommend(answered)))


class Terminal(io.StringIO):
    """Typed answers: a terminal echoes them itself, so the interview does not."""

    def isatty(self) -> bool:
        return True


def test_interview_says_when_skipped_questions_could_still_matter(tmp_path: Path) -> None:
    start = tmp_path / "profile.json"
    start.write_text(crampkit.to_json(ONLY_AGE))
    code, out, _ = interview("skip\n", "--profile", str(start))
    assert code == 0
    assert "apart from those you skipped" in out
    assert "crampkit has not checked what they ask about" in out  # a skipped warning sign is not reassurance
    assert out.endswith(render_guidance(recommend(ONLY_AGE)))


def test_interview_does_not_echo_answers_typed_at_a_terminal() -> None:
    out = io.StringIO()
    assert main(["interview"], stdout=out, stdin=Terminal("none\n")) == 0
    first, second = next_questions(Profile())[:2]
    assert f"or skip] {second.text}" in out.getvalue()  # the answer is not written after the first prompt
    assert "none" not in out.getvalue().split("Stopped")[0].replace("none; or", "")
    assert first.text in out.getvalue()


def test_interview_with_stdin_closed_is_bad_input(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sys, "stdin", None)
    out, err = io.StringIO(), io.StringIO()
    assert main(["interview"], stdout=out, stderr=err) == 2
    assert "standard input is closed" in err.getvalue()


@pytest.mark.skipif(not hasattr(os, "openpty"), reason="needs a pseudo-terminal")
def test_interview_in_a_terminal() -> None:
    """Through a real pseudo-terminal: the terminal echoes the answers, Ctrl-D ends with guidance."""
    import pty  # noqa: PLC0415 - POSIX only

    controller, terminal = pty.openpty()
    process = subprocess.Popen(
        [sys.executable, "-m", "crampkit", "interview"],
        stdin=terminal,
        stdout=terminal,
        stderr=terminal,
        close_fds=True,
    )
    os.close(terminal)
    os.write(controller, b"none\nmaybe\nnone\n\x04")
    output = b""
    while True:
        try:
            chunk = os.read(controller, 4096)
        except OSError:  # the terminal is gone once the process has exited
            break
        if not chunk:
            break
        output += chunk
    os.close(controller)
    assert process.wait(timeout=60) == 0
    text = output.decode()
    first, second = next_questions(Profile())[:2]
    assert first.text in text
    assert text.count(second.text) == 2
    assert "Please answer the numbers of all that apply" in text
    assert "Stopped" in text
    assert "Triage: SELF-CARE" in text


# -- the interview transcripts in the docs (issue 19, must-show) ----------------------------------------


def _transcripts() -> ModuleType:
    """tools/interview_transcripts.py, which makes the transcripts by running the real command."""
    path = Path(__file__).parents[1] / "tools" / "interview_transcripts.py"
    spec = importlib.util.spec_from_file_location("interview_transcripts", path)
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_the_interview_transcripts_are_what_the_command_prints() -> None:
    """Each transcript is re-made by running `crampkit interview` with its scripted answers: it must not differ."""
    tool = _transcripts()
    assert tool.stale() == [], "run: python tools/interview_transcripts.py"


def test_the_well_person_transcript_asks_at_most_15_questions_and_the_thunderclap_ends_in_an_emergency() -> None:
    examples = Path(__file__).parents[1] / "docs" / "examples"
    well = (examples / "interview-well.txt").read_text(encoding="utf-8")
    asked = [line for line in well.splitlines() if line.startswith("[") or re.search(r"\? \[.*\] ", line)]
    assert len(asked) <= 15
    assert "That is all the questions." in well
    assert "Triage: SELF-CARE" in well
    for words in ("Do you get muscle cramps", "Where do you get", "When do the cramps", "how many cramps"):
        assert words in well
    assert well.index("What is your sex?") < well.index("Are you pregnant?")
    thunderclap = (examples / "interview-thunderclap.txt").read_text(encoding="utf-8")
    assert "Did the headache start suddenly" in thunderclap
    assert "Triage: EMERGENCY" in thunderclap
    assert "A sudden, extremely painful headache" in thunderclap
