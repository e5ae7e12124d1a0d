"""Structured errors: every problem has a path, a stable code and its limits, as objects and as data."""

import json
import pickle
import re
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

import crampkit
from crampkit import InvalidInputError, KnowledgeBaseError, Problem, ProblemCode
from crampkit.exceptions import path_text
from strategies import json_values, near_valid, profile_like

MINI = Path(__file__).parent / "data" / "mini.toml"


def _error(source: object) -> InvalidInputError:
    with pytest.raises(InvalidInputError) as info:
        crampkit.load_profile(source)  # type: ignore[arg-type]
    return info.value


def test_two_problems_with_paths_codes_and_limits() -> None:
    """The issue's example: an age out of range and an unknown site, each located and coded."""
    error = _error({"age": -1, "cramps": {"sites": ["nose"]}})
    age, site = error.problems
    assert (age.path, age.code, age.minimum, age.maximum) == (("age",), ProblemCode.OUT_OF_RANGE, 0, 120)
    assert (site.path, site.code) == (("cramps", "sites", 0), ProblemCode.NOT_ALLOWED_VALUE)
    assert site.allowed == tuple(member.value for member in crampkit.Site)
    assert str(error) == (
        "age: must be between 0 and 120, got -1\n"
        f"cramps.sites[0]: unknown value 'nose' (allowed: {', '.join(site.allowed)})"
    )
    assert error.as_data() == {
        "problems": [
            {
                "path": ["age"],
                "code": "out-of-range",
                "message": "must be between 0 and 120, got -1",
                "location": "age",
                "minimum": 0,
                "maximum": 120,
            },
            {
                "path": ["cramps", "sites", 0],
                "code": "not-allowed-value",
                "message": f"unknown value 'nose' (allowed: {', '.join(site.allowed)})",
                "location": "cramps.sites[0]",
                "allowed": list(site.allowed),
            },
        ]
    }


@pytest.mark.parametrize(
    ("source", "path", "code", "limits"),
    [
        ({"nickname": "x"}, ("nickname",), "unknown-field", {}),
        ({"age": "70"}, ("age",), "wrong-type", {}),
        ({"age": 70.5}, ("age",), "wrong-type", {}),
        ({"medications": ["x" * 201]}, ("medications", 0), "too-long", {"max_length": 200}),
        ({"medications": [str(n) for n in range(101)]}, ("medications",), "too-many", {"max_items": 100}),
        ({"medications": [" "]}, ("medications", 0), "empty", {}),
        ({"medications": ["a\nb"]}, ("medications", 0), "forbidden-character", {}),
        ({"pregnant": False, "pregnancy_weeks": 3}, ("pregnancy_weeks",), "conflict", {}),
        ({"cramps": {"reported": False, "per_week": 2}}, ("cramps", "reported"), "conflict", {}),
        ('{"age": 1, "age": 2}', (), "duplicate-key", {}),
        ("{", (), "not-json", {}),
        (b"\xff", (), "not-utf8", {}),
        ("[" * 40 + "]" * 40, (), "too-deep", {}),
        (" " * 1_000_001, (), "too-large", {}),
        (Path("/nonexistent/profile.json"), (), "cannot-read", {}),
    ],
)
def test_each_kind_of_problem_has_its_code(
    source: object, path: tuple[Any, ...], code: str, limits: dict[str, int]
) -> None:
    (problem,) = _error(source).problems
    assert (problem.path, problem.code) == (path, code)
    assert {name: value for name, value in problem.as_data().items() if name.startswith("max")} == limits


def test_keys_that_are_not_names_are_quoted() -> None:
    problems = _error({1: True, "my key": 2}).problems
    assert sorted((p.path, p.code, str(p)) for p in problems) == [
        (("1",), ProblemCode.UNKNOWN_FIELD, "1: unknown field"),
        (("my key",), ProblemCode.UNKNOWN_FIELD, "'my key': unknown field"),
    ]


def test_problems_of_the_whole_document_name_it() -> None:
    (problem,) = _error("[]").problems
    assert (problem.path, problem.location, str(problem)) == (
        (),
        "profile",
        "profile: expected an object, got an array",
    )
    with pytest.raises(InvalidInputError) as info:
        crampkit.structure([], crampkit.Profile)
    assert str(info.value.problems[0]) == "input: expected an object, got an array"


def test_arguments_of_public_functions_are_located() -> None:
    with pytest.raises(InvalidInputError) as info:
        crampkit.recommend({"age": 70})  # type: ignore[arg-type]
    (problem,) = info.value.problems
    assert (problem.path, problem.code) == (("profile",), ProblemCode.WRONG_TYPE)
    assert str(problem).startswith("recommend(): profile: expected a crampkit.Profile, got a dict")
    with pytest.raises(InvalidInputError) as info:
        crampkit.json_schema(dict)
    assert (info.value.problems[0].path, info.value.problems[0].code) == (("cls",), ProblemCode.WRONG_TYPE)
    with pytest.raises(InvalidInputError) as info:
        crampkit.structure({}, dict)
    assert info.value.problems[0].location == "structure(): type_"


def test_a_problem_is_its_line_but_never_equal_to_it() -> None:
    problem = Problem(("cramps", "sites", 1), "not-allowed-value", "unknown value 'x'", allowed=("calf",))
    assert problem.code is ProblemCode.NOT_ALLOWED_VALUE
    assert str(problem) == "cramps.sites[1]: unknown value 'x'"
    line: object = str(problem)
    assert problem != line
    assert str(Problem((), ProblemCode.INVALID, "bad")) == "bad"
    assert problem.under("outer").path == ("outer", "cramps", "sites", 1)
    assert str(problem.under(2)) == "[2].cramps.sites[1]: unknown value 'x'"
    assert str(Problem((0,), ProblemCode.EMPTY, "e").under("list")) == "list[0]: e"
    assert path_text(("a b", 0, "c")) == "'a b'[0].c"


def test_a_problem_is_checked_when_built() -> None:
    with pytest.raises(ValueError, match="no-such-code"):
        Problem((), "no-such-code", "x")
    with pytest.raises(TypeError, match="path"):
        Problem((True,), ProblemCode.INVALID, "x")
    with pytest.raises(TypeError):
        Problem((), ProblemCode.INVALID, 3)  # type: ignore[arg-type]


def test_plain_lines_are_deprecated_problems_with_code_invalid() -> None:
    with pytest.warns(DeprecationWarning, match="give each problem as a crampkit.Problem") as warned:
        error = InvalidInputError(["somewhere: something"])  # type: ignore[list-item]
    assert warned[0].filename == __file__  # the warning points at the code that built the error
    assert error.problems == (Problem((), ProblemCode.INVALID, "somewhere: something"),)
    assert error.as_data() == {
        "problems": [{"path": [], "code": "invalid", "message": "somewhere: something", "location": ""}]
    }
    with pytest.warns(DeprecationWarning, match="is deprecated"):
        alone = InvalidInputError("one line, not its letters")  # type: ignore[arg-type]
    assert [str(problem) for problem in alone.problems] == ["one line, not its letters"]


def test_errors_pickle_with_their_problems() -> None:
    error = _error({"age": -1, "cramps": {"sites": ["nose"]}})
    copy = pickle.loads(pickle.dumps(error))  # noqa: S301 - our own data
    assert type(copy) is InvalidInputError
    assert (copy.problems, str(copy), copy.as_data()) == (error.problems, str(error), error.as_data())


def test_every_code_is_documented() -> None:
    assert len({code.value for code in ProblemCode}) == len(ProblemCode)
    for code in ProblemCode:
        assert re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", code.value)
        assert code.description.endswith(".")


def _kb_problems(document: dict[str, Any]) -> tuple[Problem, ...]:
    with pytest.raises(KnowledgeBaseError) as info:
        crampkit.load_knowledge_base(document)
    return info.value.problems


def test_knowledge_base_problems_have_codes() -> None:
    import tomllib  # noqa: PLC0415

    mini = tomllib.loads(MINI.read_text())
    broken = {**mini, "causes": [*mini["causes"], mini["causes"][0]], "colour": []}
    broken["red_flags"] = [{**mini["red_flags"][0], "sources": ["no-such-source"]}, *mini["red_flags"][1:]]
    codes = {problem.code for problem in _kb_problems(broken)}
    assert {ProblemCode.DUPLICATE_ID, ProblemCode.UNKNOWN_FIELD} <= codes
    unknown = {**mini, "red_flags": broken["red_flags"]}
    (problem,) = _kb_problems(unknown)
    assert problem.code is ProblemCode.UNKNOWN_REFERENCE
    first = mini["red_flags"][0]
    unsafe = {**mini, "red_flags": [{**first, "urgency": "self-care"}, *mini["red_flags"][1:]]}
    assert ProblemCode.BELOW_SAFETY_FLOOR in {problem.code for problem in _kb_problems(unsafe)}
    bad_item = {**mini, "causes": [{**mini["causes"][0], "colour": 1}]}
    (problem,) = _kb_problems(bad_item)
    assert (problem.path, problem.code) == (("causes", 0, "colour"), ProblemCode.UNKNOWN_FIELD)
    assert str(problem).startswith("causes[0] (")


def test_extension_problems_have_codes() -> None:
    default = crampkit.default_knowledge_base()
    flag = crampkit.unstructure(default.red_flags[0])
    problems = _kb_problems(
        {"version": "mine-1", "extends": "default", "disable": [flag["id"]], "overrides": {"no-such-item": "why"}}
    )
    assert {problem.code for problem in problems} == {ProblemCode.NEEDS_OVERRIDE, ProblemCode.UNKNOWN_REFERENCE}


@given(json_values | profile_like | near_valid())
def test_every_problem_has_a_documented_code_and_a_path_that_starts_its_line(document: object) -> None:
    try:
        crampkit.load_profile(json.dumps(document))
    except InvalidInputError as error:
        assert error.problems
        for problem in error.problems:
            assert problem.code in set(ProblemCode)
            assert problem.code.value
            assert all(type(step) in {str, int} for step in problem.path)
            assert str(problem) == f"{path_text(problem.path) or 'profile'}: {problem.message}"
            assert problem.message
        assert json.loads(json.dumps(error.as_data())) == error.as_data()
        assert str(error) == "\n".join(map(str, error.problems))


@given(st.binary(max_size=200))
def test_any_bytes_give_coded_problems_of_the_whole_document_or_fields(data: bytes) -> None:
    try:
        crampkit.load_profile(data)
    except InvalidInputError as error:
        for problem in error.problems:
            assert problem.code in set(ProblemCode)
            assert str(problem).startswith(path_text(problem.path) or "profile: ")
