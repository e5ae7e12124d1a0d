"""Profiles as flat rows: how each cell is read, every problem by its column, and round trips."""

import math
from typing import Any

import attrs
import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

import crampkit
from crampkit import (
    PROFILE_COLUMNS,
    Asked,
    InvalidInputError,
    Problem,
    ProblemCode,
    Profile,
    Site,
    Symptom,
    Timing,
    profile_from_row,
    profile_to_row,
)
from crampkit.io.table import by_column
from strategies import json_values, profiles


def problems_of(row: object) -> list[tuple[tuple[str | int, ...], ProblemCode, str]]:
    with pytest.raises(InvalidInputError) as caught:
        profile_from_row(row)  # type: ignore[arg-type]
    return [(problem.path, problem.code, str(problem)) for problem in caught.value.problems]


def test_the_columns_are_the_fields_of_the_profile_schema_with_its_parts_written_out() -> None:
    schema = crampkit.profile_schema()
    parts = {f"#/$defs/{name}": part["properties"] for name, part in schema["$defs"].items()}
    expected = {
        f"{key}.{inner}" if "$ref" in value else key
        for key, value in schema["properties"].items()
        for inner in parts.get(value.get("$ref"), [None])
    }
    assert set(PROFILE_COLUMNS) == expected
    assert len(PROFILE_COLUMNS) == len(expected)
    assert PROFILE_COLUMNS[:3] == ("age", "sex", "pregnant")
    assert "cramps.sites" in PROFILE_COLUMNS
    assert "habits.smoker" in PROFILE_COLUMNS


def test_a_row_of_text_as_a_csv_reader_gives_it() -> None:
    row = dict.fromkeys(PROFILE_COLUMNS, "") | {
        "age": "72",
        "sex": "female",
        "pregnant": "FALSE",
        "bmi": " 27.5 ",
        "medications": "bendroflumethiazide; Lipitor",
        "cramps.sites": "calf;foot",
        "cramps.timing": "night",
        "cramps.per_week": "4",
        "cramps.minutes": "2.5e0",
        "cramps.disturbs_sleep": "True",
        "habits.smoker": "false",
        "asked": "medications",
    }
    profile = profile_from_row(row)
    assert profile == Profile(
        age=72,
        sex=crampkit.Sex.FEMALE,
        pregnant=False,
        bmi=27.5,
        medications=frozenset({"bendroflumethiazide", "Lipitor"}),
        cramps=crampkit.Cramps(
            sites=frozenset({Site.CALF, Site.FOOT}),
            timing=frozenset({Timing.NIGHT}),
            per_week=4,
            minutes=2.5,
            disturbs_sleep=True,
        ),
        habits=crampkit.Habits(smoker=False),
        asked=frozenset({Asked.MEDICATIONS}),
    )


def test_typed_cells_as_pandas_gives_them_and_absent_cells() -> None:
    row: dict[str, object] = {
        "age": 70.0,  # a whole-number column with gaps is float in pandas
        "sex": math.nan,
        "pregnant": None,
        "medications": ["furosemide"],
        "cramps.sites": ("calf",),
        "cramps.timing": {"night"},
        "symptoms": frozenset(),
        "habits.alcohol_units_per_week": 14,
        "conditions": "   ",
    }
    profile = profile_from_row(row)
    assert (profile.age, type(profile.age), profile.sex, profile.pregnant) == (70, int, None, None)
    assert profile.cramps.sites == {Site.CALF}
    assert profile.cramps.timing == {Timing.NIGHT}
    assert profile.habits.alcohol_units_per_week == 14
    assert profile.conditions == frozenset()
    assert profile_from_row({}) == Profile()


def test_every_problem_is_listed_at_once_with_its_column_as_its_path() -> None:
    row = {
        "age": 42.5,
        "bmi": "heavy",
        "pregnant": "yes",
        "heat_exposure": 1,
        "cramps.sites": "calf; nose",
        "conditions": "diabetes;;neuropathy",
        "symptoms": "calf-swelling;",
        "medications": 3,
        "cramps.per_week": "-2",
        "agee": 40,
        "cramps": {"sites": ["calf"]},
        7: "seven",
        "id": "p-1",  # an id belongs beside a profile (recommend_rows), not in it
    }
    found = problems_of(row)
    assert sorted(found) == sorted(
        [
            (("age",), ProblemCode.WRONG_TYPE, "age: expected an integer, got 42.5"),
            (("bmi",), ProblemCode.WRONG_TYPE, "bmi: expected a number, got 'heavy'"),
            (("pregnant",), ProblemCode.WRONG_TYPE, "pregnant: expected true or false, got 'yes'"),
            (("heat_exposure",), ProblemCode.WRONG_TYPE, "heat_exposure: expected true or false, got an integer"),
            (
                ("cramps.sites", 1),
                ProblemCode.NOT_ALLOWED_VALUE,
                "cramps.sites[1]: unknown value 'nose' (allowed: " + ", ".join(site.value for site in Site) + ")",
            ),
            (
                ("conditions", 1),
                ProblemCode.EMPTY,
                "conditions[1]: holds an empty value: put one ';' between two values, and none at the ends",
            ),
            (
                ("symptoms", 1),
                ProblemCode.EMPTY,
                "symptoms[1]: holds an empty value: put one ';' between two values, and none at the ends",
            ),
            (
                ("medications",),
                ProblemCode.WRONG_TYPE,
                "medications: expected a list, or text with ';' between the values, got an integer",
            ),
            (("cramps.per_week",), ProblemCode.OUT_OF_RANGE, "cramps.per_week: must be between 0 and 100, got -2"),
            (
                ("agee",),
                ProblemCode.UNKNOWN_FIELD,
                "agee: unknown column; did you mean 'age'? (the columns are crampkit.PROFILE_COLUMNS)",
            ),
            (
                ("cramps",),
                ProblemCode.UNKNOWN_FIELD,
                "cramps: unknown column: give the fields of cramps as columns of their own, such as cramps.sites",
            ),
            (("7",), ProblemCode.UNKNOWN_FIELD, "'7': unknown column (the columns are crampkit.PROFILE_COLUMNS)"),
            (("id",), ProblemCode.UNKNOWN_FIELD, "id: unknown column (the columns are crampkit.PROFILE_COLUMNS)"),
        ]
    )


def test_problems_come_in_the_order_of_the_profile_columns_whatever_the_order_of_the_row() -> None:
    row = {"cramps.sites": "calf;", "agee": 1, "age": 200, "sex": "x", "bmi": "heavy", "other": 2}
    expected = [("age",), ("sex",), ("bmi",), ("cramps.sites", 1), ("agee",), ("other",)]
    assert [path for path, _, _ in problems_of(row)] == expected
    assert [path for path, _, _ in problems_of(dict(reversed(row.items())))] == [*expected[:4], ("other",), ("agee",)]
    assert [path for path, _, _ in problems_of({"sex": "x", "age": 200})] == [("age",), ("sex",)]


def test_an_unknown_column_suggests_the_column_it_most_likely_misspells() -> None:
    with pytest.raises(InvalidInputError) as caught:
        crampkit.profile_from_row({"cramps.site": "calf", "habits.smokr": True, "zzz": 1})
    assert [(problem.path, problem.suggestion) for problem in caught.value.problems] == [
        (("cramps.site",), "cramps.sites"),
        (("habits.smokr",), "habits.smoker"),
        (("zzz",), None),
    ]


def test_checks_across_columns_are_named_by_the_column() -> None:
    assert problems_of({"cramps.reported": "false", "cramps.sites": "calf"}) == [
        (("cramps.reported",), ProblemCode.CONFLICT, "cramps.reported: is false, but details of cramps are given")
    ]
    assert problems_of({"pregnant": False, "pregnancy_weeks": 20.0}) == [
        (("pregnancy_weeks",), ProblemCode.CONFLICT, "pregnancy_weeks: given, but pregnant is false")
    ]


def test_a_row_that_is_not_a_mapping_is_one_problem() -> None:
    assert problems_of(["age", 40]) == [
        ((), ProblemCode.WRONG_TYPE, "row: expected a mapping of column names to values (such as a dict), got a list")
    ]


def test_a_problem_outside_any_column_or_placed_elsewhere_keeps_its_place() -> None:
    whole = Problem((), ProblemCode.TOO_LARGE, "too large", location="profile")
    assert by_column(whole) is whole
    placed = Problem(("cramps", "sites", 0), ProblemCode.INVALID, "odd", location="somewhere")
    assert (by_column(placed).path, by_column(placed).location) == (("cramps.sites", 0), "somewhere")


def test_a_profile_as_a_row_lists_every_column_and_reads_back() -> None:
    profile = crampkit.example_profile()
    row = profile_to_row(profile)
    assert list(row) == list(PROFILE_COLUMNS)
    assert row["cramps.sites"] == ["calf", "foot"]
    assert row["medications"] == ["Lipitor", "bendroflumethiazide"]
    assert (row["pregnant"], row["symptoms"], row["habits.smoker"]) == (None, [], False)
    text = profile_to_row(profile, text=True)
    assert (text["cramps.sites"], text["pregnant"], text["habits.smoker"], text["bmi"]) == (
        "calf;foot",
        "",
        "false",
        "27.5",
    )
    assert profile_from_row(row) == profile_from_row(text) == profile


def test_a_name_that_a_cell_of_text_cannot_hold_is_refused_and_bad_arguments_are_listed() -> None:
    profile = Profile(medications=frozenset({"tea; honey", " padded", "fine"}))
    with pytest.raises(InvalidInputError) as caught:
        profile_to_row(profile, text=True)
    assert [(problem.path, problem.code) for problem in caught.value.problems] == [
        (("medications", 0), ProblemCode.WRONG_FORMAT),
        (("medications", 2), ProblemCode.WRONG_FORMAT),
    ]
    assert profile_to_row(profile)["medications"] == [" padded", "fine", "tea; honey"]  # lists hold any name
    with pytest.raises(InvalidInputError) as caught:
        profile_to_row({"age": 3}, text="yes")  # type: ignore[call-overload]
    assert [str(problem) for problem in caught.value.problems] == [
        "profile_to_row(): profile: expected a crampkit.Profile, got a dict",
        "profile_to_row(): text: expected True or False, got a str",
    ]


# -- properties -------------------------------------------------------------------------------------

every_profile = profiles.flatmap(
    lambda profile: st.builds(
        attrs.evolve,
        st.just(profile),
        absent_symptoms=st.frozensets(st.sampled_from(list(Symptom))).map(lambda absent: absent - profile.symptoms),
        asked=st.frozensets(st.sampled_from(list(Asked))),
    )
)
"""Profiles with every field, ``absent_symptoms`` and ``asked`` included."""


@given(every_profile, st.randoms(use_true_random=False))
def test_a_profile_as_a_row_reads_back_as_itself_whatever_the_order_of_the_columns(
    profile: Profile, random: Any
) -> None:
    row = list(profile_to_row(profile).items())
    random.shuffle(row)
    assert profile_from_row(dict(row)) == profile
    writable = all(";" not in name and name == name.strip() for name in profile.medications)
    if not writable:  # as text, a cell cannot hold such a name
        with pytest.raises(InvalidInputError) as caught:
            profile_to_row(profile, text=True)
        assert {problem.code for problem in caught.value.problems} == {ProblemCode.WRONG_FORMAT}
        return
    text = profile_to_row(profile, text=True)
    assert all(isinstance(cell, str) for cell in text.values())
    assert profile_from_row(text) == profile


@given(st.text(min_size=1, max_size=12))
def test_an_unknown_column_is_a_problem_at_that_column(column: str) -> None:
    assume(column not in PROFILE_COLUMNS)
    with pytest.raises(InvalidInputError) as caught:
        profile_from_row({"age": 40, "cramps.sites": "calf", column: None})
    assert [(problem.path, problem.code) for problem in caught.value.problems] == [
        ((column,), ProblemCode.UNKNOWN_FIELD)
    ]


cells = json_values | st.sampled_from([math.nan, math.inf, "true", "FALSE", "42", "4.5", "calf; foot", ";", " "])


@given(st.dictionaries(st.sampled_from([*PROFILE_COLUMNS, "agee", "cramps", "id"]), cells, max_size=6))
def test_any_row_gives_a_profile_or_structured_problems_at_its_columns(row: dict[str, Any]) -> None:
    try:
        profile = profile_from_row(row)
    except InvalidInputError as exc:
        assert exc.problems
        for problem in exc.problems:
            assert problem.path
            assert problem.path[0] in row
    else:
        assert isinstance(profile, Profile)
