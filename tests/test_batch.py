"""Many profiles at once: recommend_many, and crampkit recommend --jsonl."""

import io
import json
import os
from pathlib import Path
from typing import Any

import jsonschema
import pytest
from hypothesis import given
from hypothesis import strategies as st

import crampkit
from crampkit import BatchResult, InvalidInputError, Problem, ProblemCode, recommend_many
from crampkit.batch import CHUNK_ROWS, MAX_ROW_BYTES, _Settings, _Work
from crampkit.cli import main
from strategies import near_valid, profile_like, profiles

MINI = Path(__file__).parent / "data" / "mini.toml"
GOOD = {"age": 70, "medications": ["bendroflumethiazide"], "cramps": {"sites": ["calf"], "timing": ["night"]}}
CLOT = {"symptoms": ["calf-swelling"]}


def expected(
    profile: object, knowledge_base: crampkit.KnowledgeBase | None = None
) -> crampkit.Guidance | tuple[str, ...]:
    """The plain loop: load_profile then recommend, or the problems it raises."""
    try:
        return crampkit.recommend(crampkit.load_profile(profile), knowledge_base=knowledge_base)  # type: ignore[arg-type]
    except InvalidInputError as exc:
        return tuple(map(str, exc.problems))


def line(problem: dict[str, Any]) -> str:
    """A problem given as data (``InvalidInputError.as_data()``), as the line people see."""
    return f"{problem['location']}: {problem['message']}" if problem["location"] else str(problem["message"])


def outcome(result: BatchResult) -> object:
    return result.guidance if result.error is None else tuple(map(str, result.error.problems))


ids = st.text(max_size=8) | st.integers(-(2**63), 2**63)  # the reader takes whole numbers of up to 30 digits
profile_data = st.builds(crampkit.unstructure, profiles) | near_valid() | profile_like


@given(st.lists(st.tuples(ids, profile_data, st.sampled_from(["mapping", "text", "bytes"])), max_size=12))
def test_recommend_many_is_the_plain_loop(rows: list[tuple[str | int, dict[str, Any], str]]) -> None:
    """Any mix of valid and invalid profiles, as mappings or JSON text: the same answers as a loop, in order."""
    given_rows: list[object] = []
    wanted = []
    for row_id, profile, form in rows:
        row = {"id": row_id, "profile": profile}
        if form == "mapping":
            given_rows.append(row)
            wanted.append(expected(profile))
        else:
            text = json.dumps(row)
            given_rows.append(text if form == "text" else text.encode())
            wanted.append(expected(json.dumps(profile)))
    results = list(recommend_many(given_rows))  # type: ignore[arg-type]
    assert [result.id for result in results] == [row_id for row_id, _, _ in rows]
    assert [outcome(result) for result in results] == wanted


def test_two_processes_give_the_same_results_in_order_across_chunks() -> None:
    rows = [{"id": n, "profile": CLOT if n % 3 else {"age": -n - 1}} for n in range(CHUNK_ROWS * 3 + 5)]
    one = list(recommend_many(rows))
    two = list(recommend_many(rows, jobs=2))
    assert two == one
    assert [result.id for result in two] == list(range(len(rows)))
    assert [result.error is not None for result in two] == [n % 3 == 0 for n in range(len(rows))]


def test_a_knowledge_base_given_in_python_reaches_the_worker_processes() -> None:
    kb = crampkit.load_knowledge_base(MINI)
    rows = [{"id": n, "profile": GOOD} for n in range(CHUNK_ROWS + 1)]
    results = list(recommend_many(rows, knowledge_base=kb, jobs=2))
    assert {result.guidance for result in results} == {expected(GOOD, kb)}
    assert expected(GOOD, kb) != expected(GOOD)  # so the test tells the two apart


def test_the_work_of_a_worker_process_uses_its_knowledge_base() -> None:
    kb = crampkit.load_knowledge_base(MINI)
    ((row_id, text),) = _Work(_Settings(kb, "uk", "en"))(
        ['{"id": "a", "profile": {"symptoms": ["calf-swelling"]}}'], "json"
    )
    assert row_id == "a"
    assert json.loads(text)["guidance"] == crampkit.unstructure(expected(CLOT, kb))


def test_closing_early_stops_the_worker_processes() -> None:
    rows = ({"id": n, "profile": GOOD} for n in range(10**9))  # endless: only what is asked for is read
    results = recommend_many(rows, jobs=2)
    assert [next(results).id for _ in range(3)] == [0, 1, 2]
    results.close()  # type: ignore[attr-defined]


@pytest.mark.parametrize(
    ("row", "row_id", "problems"),
    [
        ("not json", None, ("row: not valid JSON: Expecting value: line 1 column 1 (char 0)",)),
        (
            b'{"id": 1, "id": 2, "profile": {}}',
            None,
            ("row: not valid JSON: the key 'id' appears twice in one object",),
        ),
        (b"\xff", None, ("row: not UTF-8 text (byte 0xFF at position 1)",)),
        ("[1]", None, ('row: expected an object with "id" and "profile", got an array',)),
        ({"profile": {}}, None, ('row: "id" is missing',)),
        ({"id": "a"}, "a", ('row: "profile" is missing',)),
        ({"id": 1.5, "profile": {}}, None, ("row.id: expected a string or a whole number, got 1.5",)),
        ({"id": None, "profile": {}}, None, ("row.id: expected a string or a whole number, got null",)),
        ({"id": True, "profile": {}}, None, ("row.id: expected a string or a whole number, got a boolean",)),
        (
            {"id": "a", "profile": {"age": -1}, "note": 1},
            "a",
            ("row: unknown field 'note' (allowed: id, profile)", "age: must be between 0 and 120, got -1"),
        ),
        ({"id": "a", "profile": '{"age": 3}'}, "a", ("profile: expected an object, got a string",)),
        ({"id": "a", "profile": b"{}"}, "a", ("profile: expected an object, got a bytes",)),
        ({"id": "a", "profile": Path("p.json")}, "a", ("profile: expected an object, got a PosixPath",)),
        ({"id": "a", "profile": []}, "a", ("profile: expected an object, got an array",)),
        ("x" * (MAX_ROW_BYTES + 1), None, (f"row: longer than {MAX_ROW_BYTES} bytes",)),
    ],
)
def test_a_bad_row_gives_an_error_with_every_problem(row: Any, row_id: object, problems: tuple[str, ...]) -> None:
    (result,) = recommend_many([row])
    shown = tuple(map(str, result.error.problems)) if result.error else None
    assert (result.id, result.guidance, shown) == (row_id, None, problems)


def test_a_bad_row_never_stops_the_run() -> None:
    results = list(recommend_many(["", {"id": "b", "profile": GOOD}, "{", {"id": "d", "profile": CLOT}]))
    assert [result.id for result in results] == [None, "b", None, "d"]
    assert [result.error is None for result in results] == [False, True, False, True]


@pytest.mark.parametrize(
    ("kwargs", "problem"),
    [
        ({"jobs": 0}, "recommend_many(): jobs: expected a whole number of at least 1, got 0"),
        ({"jobs": True}, "recommend_many(): jobs: expected a whole number of at least 1, got a boolean"),
        ({"jobs": "2"}, "recommend_many(): jobs: expected a whole number of at least 1, got '2'"),
        (
            {"knowledge_base": "mini.toml"},
            (
                "recommend_many(): knowledge_base: expected a crampkit.KnowledgeBase or None, got a str "
                "(load one with crampkit.load_knowledge_base, or leave it out for the packaged one)"
            ),
        ),
    ],
)
def test_bad_arguments_are_refused_before_any_row_is_read(kwargs: dict[str, Any], problem: str) -> None:
    def rows() -> Any:
        raise AssertionError("read")
        yield

    with pytest.raises(InvalidInputError) as caught:
        recommend_many(rows(), **kwargs)
    assert tuple(map(str, caught.value.problems)) == (problem,)


def test_a_result_holds_exactly_one_of_guidance_and_error() -> None:
    guidance = expected(GOOD)
    error = InvalidInputError([Problem(("age",), ProblemCode.WRONG_TYPE, "bad")])
    with pytest.raises(InvalidInputError, match="exactly one"):
        BatchResult(id="a")
    with pytest.raises(InvalidInputError, match="exactly one"):
        BatchResult(id="a", guidance=guidance, error=error)  # type: ignore[arg-type]
    with pytest.raises(InvalidInputError, match="id: expected a string, a whole number or None, got a boolean"):
        BatchResult(id=True, error=error)
    with pytest.raises(InvalidInputError, match="error: expected an InvalidInputError or None, got 'age: bad'"):
        BatchResult(id="a", error="age: bad")  # type: ignore[arg-type]
    with pytest.raises(TypeError):
        BatchResult(id="a", guidance="guidance")  # type: ignore[arg-type]


def _row(message: str) -> Problem:
    return Problem((), ProblemCode.WRONG_TYPE, message, location="row")


def test_a_result_as_a_line_and_as_flat_columns() -> None:
    good = BatchResult(id=7, guidance=expected(CLOT))  # type: ignore[arg-type]
    bad = BatchResult(id=None, error=InvalidInputError([_row("a"), _row("b")]))
    assert good.to_data() == {"id": 7, "guidance": crampkit.unstructure(good.guidance)}
    assert bad.to_data() == {"id": None, "error": bad.error.as_data()}  # type: ignore[union-attr]
    assert [problem["message"] for problem in bad.to_data()["error"]["problems"]] == ["a", "b"]  # type: ignore[index]
    assert good.guidance is not None
    assert good.row() == {
        "id": 7,
        "triage": "urgent",
        "top_recommendation_id": None,  # nothing is recommended while a possible clot waits to be seen
        "top_recommendation_name": None,
        "red_flags": [flag.id for flag in good.guidance.red_flags],
        "top_recommendations": [],
        "unrecognized_medications": [],
        "knowledge_base_version": good.guidance.knowledge_base_version,
        "knowledge_base_changes": [],
        "error": None,
    }
    assert good.flat() == {
        "id": "7",
        "triage": "urgent",
        "top_recommendation_id": "",
        "top_recommendation_name": "",
        "red_flags": ";".join(flag.id for flag in good.guidance.red_flags),
        "top_recommendations": "",
        "unrecognized_medications": "",
        "knowledge_base_version": good.guidance.knowledge_base_version,
        "knowledge_base_changes": "",
        "error": "",
    }
    assert "possible-clot" in good.flat()["red_flags"].split(";")
    assert list(good.row()) == list(good.flat()) == list(crampkit.FLAT_COLUMNS)
    assert bad.row() == dict.fromkeys(crampkit.FLAT_COLUMNS) | {"error": ["row: a", "row: b"]}
    assert bad.flat() == dict.fromkeys(crampkit.FLAT_COLUMNS, "") | {"error": "row: a;row: b"}


def test_the_top_recommendation_has_columns_of_its_own_and_a_semicolon_inside_a_value_is_escaped() -> None:
    profile = crampkit.load_profile({"age": 70, "cramps": {"timing": ["night"]}, "medications": ["tea; honey", "x"]})
    guidance = crampkit.recommend(profile)
    result = BatchResult(id="a;b\n", guidance=guidance)
    first = guidance.recommendations[0]
    assert (result.row()["top_recommendation_id"], result.row()["top_recommendation_name"]) == (first.id, first.name)
    assert result.row()["top_recommendations"] == [item.id for item in guidance.recommendations[:3]]
    assert result.row()["unrecognized_medications"] == ["tea; honey", "x"]
    flat = result.flat()
    assert flat["top_recommendation_id"] == first.id
    assert flat["top_recommendations"].split(";") == [item.id for item in guidance.recommendations[:3]]
    assert flat["unrecognized_medications"] == "tea\\x3b honey;x"  # each ";" in a cell separates two values
    assert flat["id"] == "a;b\\x0a"  # one value: escaped as the terminal escapes it


def test_the_row_schema_accepts_a_row_and_refuses_what_the_reader_refuses() -> None:
    schema = crampkit.row_schema()
    jsonschema.Draft202012Validator.check_schema(schema)
    validator = jsonschema.Draft202012Validator(schema)
    assert validator.is_valid({"id": "p1", "profile": GOOD})
    assert validator.is_valid({"id": 3, "profile": {}})
    for row in ({"profile": GOOD}, {"id": "p1"}, {"id": 1.5, "profile": {}}, {"id": 1, "profile": {"age": -1}}):
        assert not validator.is_valid(row)
        (result,) = recommend_many([row])
        assert result.error is not None


# The command line -------------------------------------------------------------------------------------------------


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def run(*argv: str, stdin: io.IOBase | None = None, stderr: io.StringIO | None = None) -> tuple[int, str, str]:
    out, err = io.StringIO(), stderr if stderr is not None else io.StringIO()
    code = main(list(argv), stdout=out, stderr=err, stdin=stdin if stdin is not None else io.StringIO())  # type: ignore[arg-type]
    return code, out.getvalue(), err.getvalue()


def lines_of(rows: int) -> tuple[list[str], list[int]]:
    """``rows`` input lines, every seventh one bad in a different way; and the numbers of the bad ones."""
    lines, bad = [], []
    for n in range(rows):
        kind = n % 7
        if kind == 3:
            lines.append("{not json")
        elif kind == 5:
            lines.append(json.dumps({"id": f"row-{n}", "profile": {"age": 200}}))
        else:
            lines.append(json.dumps({"id": f"row-{n}", "profile": CLOT if n % 2 else GOOD}))
        if kind in {3, 5}:
            bad.append(n)
    return lines, bad


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_jsonl_gives_one_line_per_row_in_order_with_one_error_line_per_bad_row(tmp_path: Path, jobs: str) -> None:
    lines, bad = lines_of(CHUNK_ROWS * 2 + 40)
    path = tmp_path / "rows.jsonl"
    path.write_text("\n".join(lines) + "\n")
    code, out, err = run("recommend", "--jsonl", str(path), "--jobs", jobs)
    assert (code, err) == (0, "")
    # Not `line`, the function used below: CPython 3.12.1 inlines comprehensions and then takes the name for unbound.
    output = [json.loads(written) for written in out.splitlines()]
    assert len(output) == len(lines)
    assert [item["id"] for item in output] == [None if n % 7 == 3 else f"row-{n}" for n in range(len(lines))]
    assert [n for n, item in enumerate(output) if "error" in item] == bad
    assert all(set(item) == {"id", "guidance"} for n, item in enumerate(output) if n not in bad)
    assert [line(problem) for problem in output[5]["error"]["problems"]] == ["age: must be between 0 and 120, got 200"]
    assert output[5]["error"]["problems"][0]["code"] == "out-of-range"
    assert crampkit.structure(output[1]["guidance"], crampkit.Guidance) == expected(CLOT)
    assert all(
        written == json.dumps(json.loads(written), separators=(",", ":"), ensure_ascii=False)
        for written in out.splitlines()
    )


def test_jsonl_reads_standard_input_as_bytes_or_text() -> None:
    lines, _ = lines_of(20)
    text = "\n".join(lines)  # no line break after the last line
    from_bytes = run("recommend", "--jsonl", "-", stdin=io.BytesIO(text.encode()))
    from_text = run("recommend", "--jsonl", "-", "--format", "json", stdin=io.StringIO(text))
    assert from_bytes == from_text
    assert len(from_bytes[1].splitlines()) == 20


def test_jsonl_every_line_is_a_row_even_a_blank_or_overlong_one() -> None:
    long_line = '{"id": "long", "profile": {"medications": ["' + "x" * (MAX_ROW_BYTES * 2) + '"]}}'
    text = f'\n{long_line}\n{{"id": 3, "profile": {{}}}}\n'
    code, out, _ = run("recommend", "--jsonl", "-", stdin=io.BytesIO(text.encode()))
    output = [json.loads(line) for line in out.splitlines()]
    assert code == 0
    assert [item["id"] for item in output] == [None, None, 3]
    assert line(output[0]["error"]["problems"][0]).startswith("row: not valid JSON")
    assert [line(problem) for problem in output[1]["error"]["problems"]] == [f"row: longer than {MAX_ROW_BYTES} bytes"]
    assert output[1]["error"]["problems"][0]["code"] == "too-large"


def test_jsonl_as_csv_has_a_header_and_one_record_per_row(tmp_path: Path) -> None:
    import csv  # noqa: PLC0415

    lines, bad = lines_of(30)
    path = tmp_path / "rows.jsonl"
    path.write_text("\n".join(lines) + "\n")
    code, out, _ = run("recommend", "--jsonl", str(path), "--format", "csv")
    records = list(csv.DictReader(io.StringIO(out, newline="")))
    assert code == 0
    assert list(records[0]) == list(crampkit.FLAT_COLUMNS)
    assert len(records) == 30
    assert [n for n, record in enumerate(records) if record["error"]] == bad
    assert records[1] == BatchResult(id="row-1", guidance=expected(CLOT)).flat()  # type: ignore[arg-type]
    assert records[5]["error"] == "age: must be between 0 and 120, got 200"


def test_jsonl_uses_the_knowledge_base_given(tmp_path: Path) -> None:
    path = tmp_path / "rows.jsonl"
    path.write_text(json.dumps({"id": "a", "profile": CLOT}) + "\n")
    _, out, _ = run("recommend", "--jsonl", str(path), "--knowledge-base", str(MINI))
    assert json.loads(out)["guidance"] == crampkit.unstructure(expected(CLOT, crampkit.load_knowledge_base(MINI)))


@pytest.mark.parametrize("source", ["file", "stdin"])
def test_jsonl_shows_progress_only_on_a_terminal(tmp_path: Path, source: str) -> None:
    lines, _ = lines_of(10)
    path = tmp_path / "rows.jsonl"
    path.write_text("\n".join(lines) + "\n")
    argv = ["recommend", "--jsonl", str(path) if source == "file" else "-"]
    stdin = io.BytesIO(path.read_bytes())
    code, _, err = run(*argv, stdin=stdin, stderr=Terminal())
    assert code == 0
    assert err.startswith("\rcrampkit: 10 rows, ")
    assert err.endswith(", 100%\n" if source == "file" else " rows/s\n")
    assert run(*argv, stdin=io.BytesIO(path.read_bytes()))[2] == ""


def test_jsonl_progress_that_cannot_be_written_is_dropped(tmp_path: Path) -> None:
    class Closed(Terminal):
        def write(self, text: str) -> int:
            raise OSError(text)

    path = tmp_path / "rows.jsonl"
    path.write_text(json.dumps({"id": "a", "profile": GOOD}) + "\n")
    code, out, _ = run("recommend", "--jsonl", str(path), stderr=Closed())
    assert (code, len(out.splitlines())) == (0, 1)


def test_jsonl_input_that_cannot_be_read_exits_2(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    class Broken(io.BytesIO):
        def readline(self, size: int | None = -1) -> bytes:
            raise OSError(5, "Input/output error", size)

    missing = tmp_path / "missing.jsonl"
    invalid = "crampkit: invalid input:\n  --jsonl: "
    assert run("recommend", "--jsonl", str(missing)) == (
        2,
        "",
        f"{invalid}{missing}: cannot be read: No such file or directory\n",
    )
    assert run("recommend", "--jsonl", str(tmp_path)) == (
        2,
        "",
        f"{invalid}{tmp_path}: cannot be read: Is a directory\n",
    )
    assert run("recommend", "--jsonl", "a\0b") == (
        2,
        "",
        f"{invalid}'a\\x00b': cannot be read: the path contains a null character\n",
    )
    assert run("recommend", "--jsonl", "-", stdin=Broken()) == (
        2,
        "",
        f"{invalid}standard input: cannot be read: Input/output error\n",
    )
    monkeypatch.setattr("sys.stdin", None)
    out, err = io.StringIO(), io.StringIO()
    assert main(["recommend", "--jsonl", "-"], stdout=out, stderr=err) == 2
    assert err.getvalue() == f"{invalid}standard input is closed\n"


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["recommend"], "recommend: give a PROFILE (a file, or - for stdin) or --jsonl PATH"),
        (["recommend", "p.json", "--jsonl", "-"], "recommend: give either a PROFILE or --jsonl, not both"),
        (["recommend", "-", "--jobs", "2"], "--jobs: works only with --jsonl"),
        (["recommend", "-", "--format", "csv"], "--format csv: works only with --jsonl"),
        (
            ["recommend", "--jsonl", "-", "--format", "text"],
            "--format text: with --jsonl, the formats are json and csv",
        ),
    ],
)
def test_recommend_arguments_that_do_not_fit_exit_2(argv: list[str], message: str) -> None:
    assert run(*argv) == (2, "", f"crampkit: invalid input:\n  {message}\n")


@pytest.mark.parametrize("jobs", ["0", "two"])
def test_jobs_must_be_a_whole_number_of_at_least_1(jobs: str, capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as caught:
        main(["recommend", "--jsonl", "-", "--jobs", jobs])
    assert caught.value.code == 2
    assert f"--jobs: expected a whole number of at least 1, got '{jobs}'" in capsys.readouterr().err


def test_schema_row_prints_the_row_schema() -> None:
    code, out, _ = run("schema", "row")
    assert (code, json.loads(out)) == (0, crampkit.row_schema())


def test_rows_take_the_region_and_language_asked_for() -> None:
    profile: dict[str, Any] = {"symptoms": ["seizure"]}
    row = {"id": "seizure", "profile": profile}
    (result,) = recommend_many([row], region="us")
    assert result.guidance == crampkit.recommend(crampkit.load_profile(profile), region="us")
    assert result.guidance is not None
    assert "911" in result.guidance.red_flags[0].advice
    with pytest.raises(InvalidInputError):
        recommend_many([row], region="mars")


def test_each_json_line_holds_its_rows_guidance_as_to_json_writes_it() -> None:
    # The same drug class by generic name, brand name and ATC code, and in other cases: the same facts,
    # but each guidance records the name it matched, and its line says so.
    names = ["atorvastatin", "Lipitor", "C10AA05", "ATORVASTATIN", "atorvastatin", "Lipitor"]
    profiles: list[dict[str, Any]] = [{"medications": [name], "cramps": {"timing": ["night"]}} for name in names]
    profiles += [{"age": age} for age in (20, 55, 65, 20, 55)]
    rows = [json.dumps({"id": n, "profile": profile}) for n, profile in enumerate(profiles)]
    work = _Work(_Settings(None, "uk", "en"))
    lines = [line for _, line in work(rows, "json")]
    for n, (line, profile) in enumerate(zip(lines, profiles, strict=True)):
        guidance = crampkit.to_json(crampkit.recommend(crampkit.load_profile(profile)))
        assert line == f'{{"id":{n},"guidance":{guidance}}}\n'
    assert [json.loads(line)["guidance"]["medications"][0]["name"] for line in lines[: len(names)]] == names


@pytest.mark.parametrize("rows", ['{"id": 1, "profile": {}}', b"{}", {"id": 1, "profile": {}}, 42])
def test_rows_must_be_an_iterable_of_rows(rows: Any) -> None:
    """Issue 21: a string given as ``rows`` was read a character per row."""
    with pytest.raises(crampkit.InvalidInputError) as raised:
        crampkit.recommend_many(rows)
    (problem,) = raised.value.problems
    assert (problem.path, problem.code) == (("rows",), crampkit.ProblemCode.WRONG_TYPE)


def test_jobs_never_start_more_processes_than_cpus(monkeypatch: pytest.MonkeyPatch) -> None:
    """Issue 21: a huge ``jobs`` forked until the OOM killer acted; the pool is capped at the CPU count."""
    monkeypatch.delattr(os, "sched_getaffinity", raising=False)  # so that the count comes from os.cpu_count
    for cpus in (1, None):  # one CPU, or a machine that does not say: no pool at all
        monkeypatch.setattr(os, "cpu_count", lambda cpus=cpus: cpus)
        results = list(crampkit.recommend_many([{"id": 1, "profile": {}}], jobs=10_000))
        assert [result.id for result in results] == [1]
