"""``crampkit.recommend_rows``: flat rows in, flat rows out, in order, from Python, CSV and pandas."""

import csv
import io
from typing import Any

import numpy as np
import pandas as pd
import pytest

import crampkit
from crampkit import BatchResult, InvalidInputError, ProblemCode, profile_from_row, recommend, recommend_rows

ROWS: list[Any] = [
    {"id": "p-1", "age": 70, "cramps.timing": "night", "medications": "bendroflumethiazide; dandelion tea"},
    {"id": 2, "age": 200, "cramps.sites": "calf; nose"},  # refused when read: two problems, by column
    {"age": 30, "symptoms": ["calf-swelling"]},  # no id
    "not a row",
    {"id": 5.0, "pregnant": "yes", "agee": 3},  # a whole float id, as pandas gives it
    {"id": "p-6", "cramps.reported": "false", "cramps.sites": "calf"},  # refused when checked as a profile
]


def _expected(row: dict[str, Any], row_id: object) -> dict[str, object]:
    result = BatchResult(id=row_id, guidance=recommend(profile_from_row(row)))  # type: ignore[arg-type]
    return result.row()


def test_each_row_gives_one_row_in_order_with_its_id_and_problems_by_column() -> None:
    out = list(recommend_rows(ROWS))
    assert [row["id"] for row in out] == ["p-1", 2, None, None, 5, "p-6"]
    assert out[0] == _expected({key: value for key, value in ROWS[0].items() if key != "id"}, "p-1")
    assert out[0]["unrecognized_medications"] == ["dandelion tea"]
    assert out[2] == _expected({"age": 30, "symptoms": ["calf-swelling"]}, None)
    assert out[1]["error"] == [
        "age: must be between 0 and 120, got 200",
        "cramps.sites[1]: unknown value 'nose' (allowed: " + ", ".join(site.value for site in crampkit.Site) + ")",
    ]
    assert out[3]["error"] == ["row: expected a mapping of column names to values (such as a dict), got a str"]
    assert out[4]["error"] == [
        "pregnant: expected true or false, got 'yes'",
        "agee: unknown column; did you mean 'age'? (the columns are id and crampkit.PROFILE_COLUMNS)",
    ]
    assert out[5]["error"] == ["cramps.reported: is false, but details of cramps are given"]
    for row in (out[1], out[3], out[4], out[5]):
        assert row == dict.fromkeys(crampkit.FLAT_COLUMNS) | {"id": row["id"], "error": row["error"]}


def test_as_text_each_row_is_what_flat_gives_ready_for_a_csv_writer() -> None:
    rows = list(recommend_rows(ROWS, text=True))
    assert rows[0]["top_recommendations"] == ";".join(recommend_rows(ROWS[:1]).__next__()["top_recommendations"])  # type: ignore[arg-type]
    assert rows[1]["error"].startswith("age: must be between 0 and 120, got 200;cramps.sites[1]: unknown value")
    assert rows[4]["id"] == "5"
    target = io.StringIO()
    writer = csv.DictWriter(target, crampkit.FLAT_COLUMNS)
    writer.writeheader()
    writer.writerows(rows)
    assert list(csv.DictReader(io.StringIO(target.getvalue()))) == rows
    assert len(target.getvalue().splitlines()) == 1 + len(ROWS)  # one line per row: no cell spans lines


def test_a_csv_file_in_gives_a_csv_file_out() -> None:
    source = io.StringIO(
        "id,age,sex,cramps.sites,cramps.timing,medications\n"
        "a,67,female,calf;foot,night,bendroflumethiazide\n"
        "b,,,,,\n"
        "c,forty,,,,\n"
    )
    out = list(recommend_rows(csv.DictReader(source), text=True))
    assert [(row["id"], row["triage"], row["error"]) for row in out] == [
        ("a", "self-care", ""),
        ("b", "self-care", ""),
        ("c", "", "age: expected an integer, got 'forty'"),
    ]
    profile = {"age": 67, "sex": "female", "cramps": {"sites": ["calf", "foot"], "timing": ["night"]}}
    first = recommend(crampkit.load_profile(profile | {"medications": ["bendroflumethiazide"]})).recommendations[0]
    assert (out[0]["top_recommendation_id"], out[0]["top_recommendation_name"]) == (first.id, first.name)


def test_many_rows_keep_their_order_across_chunks_and_worker_processes() -> None:
    rows = [
        {"id": n, "age": 200 if n % 7 == 0 else 20 + n % 80, "cramps.timing": "night" if n % 2 else ""}
        for n in range(300)  # two chunks of rows: two worker processes
    ]
    one = list(recommend_rows(rows))
    assert [row["id"] for row in one] == list(range(300))
    assert [n for n, row in enumerate(one) if row["error"]] == list(range(0, 300, 7))
    assert list(recommend_rows(rows, jobs=2)) == one


def test_every_argument_problem_is_listed_before_any_row_is_read() -> None:
    with pytest.raises(InvalidInputError) as caught:
        recommend_rows("age\n40", jobs=0, text="yes", region="mars")  # type: ignore[call-overload]
    assert [(problem.location, problem.code) for problem in caught.value.problems] == [
        ("recommend_rows(): rows", ProblemCode.WRONG_TYPE),
        ("recommend_rows(): jobs", ProblemCode.OUT_OF_RANGE),
        ("recommend_rows(): text", ProblemCode.WRONG_TYPE),
        ("recommend_rows(): region", ProblemCode.NOT_ALLOWED_VALUE),
    ]


def test_a_data_frame_itself_is_refused_with_what_to_pass() -> None:
    frame = pd.DataFrame({"age": [40]})
    with pytest.raises(InvalidInputError, match=r"got a DataFrame, .*: pass df.to_dict\('records'\)"):
        recommend_rows(frame)


def test_a_data_frame_in_gives_a_data_frame_out() -> None:
    frame = pd.DataFrame(
        {
            "id": [1, 2, 3],
            "age": [72, None, 30],  # float64 with NaN
            "pregnant": [False, None, True],
            "cramps.sites": [np.array(["calf", "foot"]), None, "thigh"],  # an array, as from Parquet
            "cramps.per_week": [np.float64(4), np.nan, 1],
        }
    ).convert_dtypes()  # nullable columns: missing cells are pandas.NA
    out = pd.DataFrame(recommend_rows(frame.to_dict("records")))
    assert list(out.columns) == list(crampkit.FLAT_COLUMNS)
    assert out["id"].tolist() == [1, 2, 3]
    assert out["error"].isna().all()
    assert isinstance(out.loc[0, "red_flags"], list)
    expected = recommend(
        crampkit.load_profile({"age": 72, "pregnant": False, "cramps": {"sites": ["calf", "foot"], "per_week": 4}})
    )
    assert out.loc[0, "top_recommendation_id"] == expected.recommendations[0].id
    assert out.iloc[1].to_dict() == BatchResult(id=2, guidance=recommend(crampkit.Profile())).row()  # NA is absent


def test_an_id_is_a_string_or_a_whole_number_and_may_be_absent() -> None:
    ids: list[Any] = [np.int64(4), float("nan"), None, 1.5, True, ["x"]]
    rows = [{"id": row_id} for row_id in ids]
    out = list(recommend_rows(rows))
    assert [row["id"] for row in out] == [4, None, None, None, None, None]
    assert [row["error"] for row in out[:3]] == [None, None, None]
    assert [row["error"] for row in out[3:]] == [
        ["id: expected a string or a whole number, got 1.5"],
        ["id: expected a string or a whole number, got a boolean"],
        ["id: expected a string or a whole number, got an array"],
    ]
