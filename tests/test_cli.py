"""The command line, called in-process and as a real subprocess."""

import importlib
import io
import json
import subprocess
import sys
from pathlib import Path

import pytest

import crampkit
from crampkit.cli import main

MINI = str(Path(__file__).parent / "data" / "mini.toml")


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
    assert "What to do" in lines
    assert "  1. Stretch the muscle [during, stretching, certainty low]" in lines
    assert "Likely causes" not in lines  # nothing stands between the reader and the action
    assert "Other self-care advice (5 items) is held back until a clinician has checked the problem;" in lines
    calm = tmp_path / "calm.json"
    calm.write_text('{"medications": ["zopiclone"], "pregnant": true}')
    code, out, _ = run("recommend", str(calm), "--knowledge-base", MINI)
    assert "  x Quinine: Serious harms outweigh a small benefit. Never in pregnancy. Not in" in out.splitlines()
    assert "  x Ibuprofen afterwards: Not in pregnancy." in out.splitlines()
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
    code, out, _ = run("kb", "show", "quinine", "--knowledge-base", MINI)
    assert code == 0
    assert out.splitlines()[0] == "quinine  (Intervention)"
    assert "certainty: high" in out
    assert "  - Source A (Test publisher, 2020). https://example.org/a [guideline]" in out
    code, out, _ = run("kb", "show", "src-a", "--knowledge-base", MINI)
    assert (code, out.splitlines()[0]) == (0, "src-a  (Source)")
    code, _, err = run("kb", "show", "nothing-here", "--knowledge-base", MINI)
    assert code == 1
    assert "no knowledge-base item has id 'nothing-here'" in err


def test_kb_check_valid_and_invalid(tmp_path: Path) -> None:
    code, out, _ = run("kb", "check", MINI)
    assert code == 0
    assert out.endswith(
        "valid (version test-1; 1 sources, 3 causes, 3 risk factors, 2 drug classes, 8 interventions, 3 red flags, "
        "34 signs, 3 population rules)\n"
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
            f'[[signs]]\nid = "sign-{s.value}"\nsymptom = "{s.value}"\nname = "N"\nurgency = "self-care"\n'
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
