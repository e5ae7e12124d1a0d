"""Did you mean: every unknown key, value, name or id that is close to a known one suggests it."""

import io
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

import crampkit
from crampkit import Fact, InvalidInputError, Problem, ProblemCode, Symptom
from crampkit.cli import main
from crampkit.exceptions import closest


def only_problem(call: Callable[[], object]) -> Problem:
    with pytest.raises(InvalidInputError) as caught:
        call()
    (problem,) = caught.value.problems
    return problem


@pytest.mark.parametrize(
    ("given", "options", "expected"),
    [
        ("agee", ["age", "sex"], "age"),
        ("nigth", ["night", "rest", "work"], "night"),
        ("Calf", ["calf", "thigh"], "calf"),  # case
        ("per-week", ["per_week", "minutes"], "per_week"),  # - for _
        ("calf-swelling", [fact.value for fact in Fact], "symptom-calf-swelling"),
        ("symptom-feverish", [fact.value for fact in Fact], "symptom-fever"),
        ("symptom-xyz", [fact.value for fact in Fact], None),  # the shared word is not enough
        ("products.nothing", ["products.motrin", "products.nurofen"], None),
        ("zzz", ["age", "sex"], None),
        ("age", ["age"], None),  # known: nothing to suggest
        (3, ["age"], None),
    ],
)
def test_closest_suggests_a_likely_misspelling_and_nothing_else(
    given: object, options: list[str], expected: object
) -> None:
    assert closest(given, options) == expected


@given(st.text(max_size=30), st.lists(st.text(max_size=30), max_size=20))
def test_a_suggestion_is_always_another_known_name(given: str, options: list[str]) -> None:
    suggestion = closest(given, options)
    assert suggestion is None or (suggestion in options and suggestion != given)
    assert closest(given, reversed(options)) is None or suggestion is not None


@given(st.sampled_from([symptom.value for symptom in Symptom]), st.data())
def test_a_symptom_with_a_letter_dropped_is_found_again(symptom: str, data: st.DataObject) -> None:
    index = data.draw(st.integers(0, len(symptom) - 1))
    typo = symptom[:index] + symptom[index + 1 :]
    problem = only_problem(lambda: crampkit.load_profile({"symptoms": [typo]}))
    assert problem.code is ProblemCode.NOT_ALLOWED_VALUE
    assert problem.suggestion is not None
    assert problem.suggestion in problem.allowed  # type: ignore[operator]
    assert f"did you mean {problem.suggestion!r}?" in problem.message


def test_unknown_fields_and_values_of_a_profile() -> None:
    problem = only_problem(lambda: crampkit.load_profile({"cramps": {"per_weak": 2}}))
    assert (problem.path, problem.suggestion) == (("cramps", "per_weak"), "per_week")
    assert problem.as_data() == {
        "path": ["cramps", "per_weak"],
        "code": "unknown-field",
        "message": "unknown field; did you mean 'per_week'?",
        "location": "cramps.per_weak",
        "suggestion": "per_week",
    }
    far = only_problem(lambda: crampkit.load_profile({"zzz": 1}))
    assert (far.message, far.suggestion, "suggestion" in far.as_data()) == ("unknown field", None, False)
    built = only_problem(lambda: crampkit.Profile(activty="light"))  # type: ignore[call-arg]
    assert (built.path, built.suggestion) == (("activty",), "activity")


def test_regions_and_languages() -> None:
    region = only_problem(lambda: crampkit.recommend(crampkit.Profile(), region="ukk"))
    assert (region.suggestion, region.message) == (
        "uk",
        "expected one of uk, us, eu, au, got 'ukk'; did you mean 'uk'?",
    )
    language = only_problem(lambda: crampkit.recommend(crampkit.Profile(), language="EN"))
    assert language.suggestion == "en"


KB: dict[str, Any] = {"extends": "default", "version": "clinic-9"}


RISK_FACTOR = {"id": "clinic-rf", "name": "N", "summary": "S.", "raises": ["idiopathic"], "strength": "weak"}


@pytest.mark.parametrize(
    ("document", "expected"),
    [
        (  # found as the documents are read and merged
            {
                "red_flag": [],
                "disable": ["posible-clot", "products.zestoretik"],
                "risk_factors": [RISK_FACTOR | {"when": {"all": ["age-65-plu"]}, "sources": ["nhs-leg-cramps"]}],
            },
            [
                (("red_flag",), "red_flags"),
                (("risk_factors", "when", "all", 0), "age-65-plus"),
                (("disable",), "possible-clot"),
                (("disable",), "products.zestoretic"),
            ],
        ),
        (  # found once every item is well formed
            {
                "disable": ["cut-down-alcohol"],
                "overrides": {"cut-down-alcohl": "why"},
                "risk_factors": [RISK_FACTOR | {"when": {"all": ["age-65-plus"]}, "sources": ["nhs-leg-cramp"]}],
            },
            [
                (("overrides", "cut-down-alcohl"), "cut-down-alcohol"),
                (("risk_factors", "sources", 0), "nhs-leg-cramps"),
            ],
        ),
    ],
)
def test_knowledge_base_sections_ids_references_and_fact_names(
    document: dict[str, Any], expected: list[tuple[tuple[str | int, ...], str]]
) -> None:
    with pytest.raises(crampkit.KnowledgeBaseError) as caught:
        crampkit.load_knowledge_base(KB | document)
    suggested = [problem for problem in caught.value.problems if problem.suggestion is not None]
    # an added item's index is its place among the packaged ones: it is left out of the paths compared
    found = [
        (problem.path[:1] + problem.path[2:] if problem.path[0] == "risk_factors" else problem.path, problem.suggestion)
        for problem in suggested
    ]
    assert found == expected
    assert all(f"did you mean {problem.suggestion!r}?" in str(problem) for problem in suggested)


def test_rows_of_a_batch() -> None:
    (result,) = crampkit.recommend_many([{"id": 1, "profiles": {}}])
    assert result.error is not None
    assert [problem.suggestion for problem in result.error.problems] == ["profile", None]  # and profile is missing


def test_tables_and_keys_of_the_serve_configuration(tmp_path: Path) -> None:
    config = tmp_path / "serve.toml"
    config.write_text('[servise]\nregion = "us"\n[cors]\nallowed_origin = []\n')
    err = io.StringIO()
    assert main(["serve", "--config", str(config), "--insecure-no-auth"], stderr=err) == 2
    assert "servise: unknown table; did you mean 'service'? (allowed: auth, cors, service, limits)" in err.getvalue()
    assert "cors.allowed_origin: unknown key; did you mean 'allowed_origins'?" in err.getvalue()
