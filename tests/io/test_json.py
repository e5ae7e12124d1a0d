"""Loading profiles: strict types, ranges, paths in every message."""

import json
from pathlib import Path

import pytest

import crampkit
from crampkit import (
    Activity,
    Cramps,
    InvalidInputError,
    Problem,
    ProblemCode,
    Profile,
    Site,
    Symptom,
    Timing,
    load_profile,
)
from crampkit.io.json import MAX_PROFILE_BYTES


def problems_of(source: object) -> tuple[str, ...]:
    with pytest.raises(InvalidInputError) as info:
        load_profile(source)  # type: ignore[arg-type]
    return tuple(str(problem) for problem in info.value.problems)


def test_contract_example_loads() -> None:
    profile = load_profile(
        {
            "age": 72,
            "sex": "female",
            "pregnant": False,
            "bmi": 31.5,
            "activity": "sedentary",
            "heat_exposure": False,
            "medications": ["bendroflumethiazide", "Lipitor", "C10AA05"],
            "conditions": ["diabetes", "peripheral-artery-disease"],
            "cramps": {
                "sites": ["calf", "foot"],
                "timing": ["night"],
                "per_week": 4,
                "minutes": 3,
                "disturbs_sleep": True,
            },
            "symptoms": ["numbness-or-tingling"],
            "habits": {"alcohol_units_per_week": 14, "caffeine_drinks_per_day": 3, "smoker": False},
        }
    )
    assert profile.age == 72
    assert profile.activity is Activity.SEDENTARY
    assert profile.cramps == Cramps(
        sites=frozenset({Site.CALF, Site.FOOT}),
        timing=frozenset({Timing.NIGHT}),
        per_week=4,
        minutes=3,
        disturbs_sleep=True,
    )
    assert profile.medications == frozenset({"bendroflumethiazide", "Lipitor", "C10AA05"})
    assert isinstance(profile.bmi, float)


def test_json_text_bytes_and_path(tmp_path: Path) -> None:
    text = '{"age": 40, "symptoms": ["headache"]}'
    path = tmp_path / "p.json"
    path.write_text(text)
    expected = Profile(age=40, symptoms=frozenset({Symptom.HEADACHE}))
    assert load_profile(text) == expected
    assert load_profile(text.encode()) == expected
    assert load_profile(path) == expected


def test_missing_file_is_invalid_input(tmp_path: Path) -> None:
    (problem,) = problems_of(tmp_path / "absent.json")
    assert problem == f"profile: {tmp_path / 'absent.json'}: cannot be read: no such file"


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ({"age": -1}, "age: must be between 0 and 120, got -1"),
        ({"age": 70.9}, "age: expected an integer, got 70.9"),
        ({"age": True}, "age: expected an integer, got a boolean"),
        ({"age": "70"}, "age: expected an integer, got a string"),
        ({"pregnant": "no"}, "pregnant: expected true or false, got a string"),
        ({"pregnant": 0}, "pregnant: expected true or false, got an integer"),
        ({"bmi": "30"}, "bmi: expected a number, got a string"),
        ({"bmi": 5}, "bmi: must be between 10 and 80, got 5"),
        ({"cramps": {"per_week": 500}}, "cramps.per_week: must be between 0 and 100, got 500"),
        ({"cramps": {"minutes": -3}}, "cramps.minutes: must be between 0 and 1440, got -3"),
        ({"cramps": {"sites": "calf"}}, "cramps.sites: expected an array, got a string"),
        ({"cramps": 3}, "cramps: expected an object, got an integer"),
        ({"habits": {"smoker": "yes"}}, "habits.smoker: expected true or false, got a string"),
        (
            {"habits": {"alcohol_units_per_week": 1000}},
            "habits.alcohol_units_per_week: must be between 0 and 500, got 1000",
        ),
        ({"medications": [1]}, "medications[0]: expected a string, got an integer"),
        ({"medications": [" "]}, "medications[0]: must not be empty"),
        ({"medications": ["x" * 201]}, "medications[0]: must be at most 200 characters, got 201"),
        ({"medications": ["a"] * 101}, "medications: at most 100 items, got 101"),
        ({"agee": 1}, "agee: unknown field; did you mean 'age'?"),
        ({"cramps": {"per_weak": 1}}, "cramps.per_weak: unknown field; did you mean 'per_week'?"),
        ([], "profile: expected an object, got an array"),
        ("3", "profile: expected an object, got an integer"),
        ("null", "profile: expected an object, got null"),
    ],
)
def test_one_problem_with_its_path(source: object, expected: str) -> None:
    assert problems_of(source) == (expected,)


def test_unknown_vocabulary_lists_the_allowed_values() -> None:
    (problem,) = problems_of({"sex": "unknown"})
    assert problem == "sex: unknown value 'unknown' (allowed: female, male, other)"


def test_every_problem_is_reported_at_once() -> None:
    found = problems_of(
        {
            "age": 200,
            "pregnant": "no",
            "cramps": {"per_week": -1, "timing": ["nightly"]},
            "extra": 1,
            "symptoms": [None],
        }
    )
    assert set(found) == {
        "age: must be between 0 and 120, got 200",
        "pregnant: expected true or false, got a string",
        "cramps.per_week: must be between 0 and 100, got -1",
        (
            "cramps.timing[0]: unknown value 'nightly'; did you mean 'night'? "
            "(allowed: night, rest, during-exercise, after-exercise, work)"
        ),
        "symptoms[0]: expected a string, got null",
        "extra: unknown field",
    }


@pytest.mark.parametrize("text", ["nul", "{", '{"age": NaN}', '{"age": Infinity}', b"{\xff\xfe"])
def test_text_that_is_not_json(text: str | bytes) -> None:
    (problem,) = problems_of(text)
    assert problem.startswith("profile: not valid JSON" if isinstance(text, str) else "profile: not UTF-8 text")


def test_deeply_nested_json_is_invalid_input() -> None:
    (problem,) = problems_of("[" * 100_000 + "]" * 100_000)
    assert problem.startswith("profile: not valid JSON")


def test_oversized_document_is_rejected() -> None:
    (problem,) = problems_of(" " * (MAX_PROFILE_BYTES + 1))
    assert problem == f"profile: larger than {MAX_PROFILE_BYTES} bytes"


def test_infinite_float_is_rejected() -> None:
    assert problems_of('{"bmi": 1e400}') == ("bmi: expected a finite number, got inf",)


def test_error_is_a_value_error_and_pickles() -> None:
    import pickle  # noqa: PLC0415

    error = InvalidInputError([Problem(("a",), ProblemCode.INVALID, "b"), Problem(("c",), ProblemCode.INVALID, "d")])
    assert isinstance(error, ValueError)
    assert str(error) == "a: b\nc: d"
    assert pickle.loads(pickle.dumps(error)).problems == error.problems  # noqa: S301
    assert [str(problem) for problem in error.problems] == ["a: b", "c: d"]
    assert [str(problem) for problem in InvalidInputError([]).problems] == ["invalid input"]


class TestPythonConstruction:
    def test_ranges_are_checked(self) -> None:
        with pytest.raises(InvalidInputError, match=r"age: must be between 0 and 120, got 121"):
            Profile(age=121)
        with pytest.raises(InvalidInputError, match=r"per_week: must be between"):
            Cramps(per_week=101)

    def test_strings_are_converted_to_vocabulary(self) -> None:
        profile = Profile(conditions=["diabetes"], symptoms=("headache",))  # type: ignore[arg-type]
        assert profile.conditions == frozenset({crampkit.Condition.DIABETES})
        assert profile.symptoms == frozenset({Symptom.HEADACHE})

    def test_unknown_vocabulary_and_bare_strings_fail(self) -> None:
        with pytest.raises(InvalidInputError, match=r"sites\[0\]: unknown value 'knee' \(allowed: calf, "):
            Cramps(sites=["knee"])  # type: ignore[arg-type]
        with pytest.raises(InvalidInputError, match="sites: expected an array, got a string"):
            Cramps(sites="calf")  # type: ignore[arg-type]
        with pytest.raises(InvalidInputError, match="medications: expected an array, got a string"):
            Profile(medications="aspirin")  # type: ignore[arg-type]

    def test_medicine_names_and_list_sizes(self) -> None:
        with pytest.raises(InvalidInputError, match=r"medications\[''\]: must not be empty"):
            Profile(medications=frozenset({""}))
        with pytest.raises(InvalidInputError, match=r"medications: at most 100 items, got 101"):
            Profile(medications=frozenset(f"medicine {n}" for n in range(101)))


def test_round_trip_through_json_text() -> None:
    profile = crampkit.example_profile()
    assert load_profile(crampkit.to_json(profile)) == profile
    data = json.loads(crampkit.to_json(profile))
    assert data["cramps"]["timing"] == ["night"]
    assert "pregnant" not in data  # defaults are omitted


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        ({"rank": 1.5}, "rank: expected an integer, got 1.5"),
        ({"rank": True}, "rank: expected an integer, got a boolean"),
        ({"score": "high"}, "score: expected a number, got a string"),
        ({"score": float("inf")}, "score: expected a finite number, got inf"),
    ],
)
def test_plain_numbers_in_results_are_strict(change: dict[str, object], expected: str) -> None:
    good = {
        "rank": 1,
        "id": "x",
        "name": "X",
        "short": "Do X.",
        "category": "stretching",
        "phase": "during",
        "certainty": "low",
        "stance": "recommended",
        "score": 3.0,
        "instructions": ["a"],
        "because": ["b"],
        "sources": ["c"],
    }
    assert crampkit.structure({**good, "rank": 2.0}, crampkit.Recommendation).rank == 2
    with pytest.raises(InvalidInputError) as info:
        crampkit.structure({**good, **change}, crampkit.Recommendation)
    assert tuple(map(str, info.value.problems)) == (expected,)


def test_documents_at_the_size_limit_are_accepted(tmp_path: Path) -> None:
    limit = MAX_PROFILE_BYTES
    text = '{"age": 40}'
    padded = text + " " * (limit - len(text))
    assert len(padded) == limit
    assert load_profile(padded).age == 40
    path = tmp_path / "big.json"
    path.write_text(padded)
    assert load_profile(path).age == 40
    path.write_text(padded + " ")
    assert problems_of(path) == (f"profile: larger than {limit} bytes",)


def test_messages_for_unreadable_files_and_json_constants(tmp_path: Path) -> None:
    missing = tmp_path / "absent.json"
    assert problems_of(missing) == (f"profile: {missing}: cannot be read: no such file",)
    assert problems_of('{"age": NaN}') == ("profile: not valid JSON: NaN is not valid JSON",)


def test_structure_names_top_level_problems_input() -> None:
    with pytest.raises(InvalidInputError) as info:
        crampkit.structure([], Profile)
    assert tuple(map(str, info.value.problems)) == ("input: expected an object, got an array",)


def test_to_json_is_compact_unless_indented_and_keeps_non_ascii_text() -> None:
    profile = Profile(medications=frozenset({"Ibuprofène"}))
    assert crampkit.to_json(profile) == '{"medications":["Ibuprofène"]}'
    assert crampkit.to_json(profile, indent=2) == '{\n  "medications": [\n    "Ibuprofène"\n  ]\n}'


def test_a_list_at_the_item_limit_is_accepted() -> None:
    names = [f"medicine {n}" for n in range(100)]
    assert len(load_profile({"medications": names}).medications) == 100


def test_unstructured_data_is_plain_json_types() -> None:
    data = crampkit.unstructure(crampkit.example_profile())
    assert type(data["sex"]) is str
    assert all(type(site) is str for site in data["cramps"]["sites"])
    assert data == json.loads(json.dumps(data))


def test_pregnancy_weeks_and_reported_cramps_must_agree_with_the_rest() -> None:
    with pytest.raises(crampkit.InvalidInputError) as weeks:
        crampkit.load_profile({"pregnant": False, "pregnancy_weeks": 12})
    assert tuple(map(str, weeks.value.problems)) == ("pregnancy_weeks: given, but pregnant is false",)
    with pytest.raises(crampkit.InvalidInputError) as cramps:
        crampkit.load_profile({"cramps": {"reported": False, "per_week": 2}})
    assert tuple(map(str, cramps.value.problems)) == ("cramps.reported: is false, but details of cramps are given",)
    assert crampkit.load_profile({"pregnancy_weeks": 30}).pregnancy_weeks == 30
    assert crampkit.load_profile({"cramps": {"reported": False}}).cramps.reported is False
