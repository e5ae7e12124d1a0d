"""JSON Schema: generated from the classes, and agreeing with the converter."""

import io
import json
from typing import Any

import jsonschema
import pytest
from hypothesis import given

import crampkit
from crampkit import InvalidInputError, Profile, guidance_schema, profile_schema, recommend
from crampkit.cli import main
from crampkit.io.schema import type_in_words
from strategies import near_valid, profile_like, profiles

PROFILE = jsonschema.Draft202012Validator(profile_schema())
GUIDANCE = jsonschema.Draft202012Validator(guidance_schema())
ERROR = jsonschema.Draft202012Validator(crampkit.error_schema())


def test_schemas_are_valid_draft_2020_12() -> None:
    jsonschema.Draft202012Validator.check_schema(profile_schema())
    jsonschema.Draft202012Validator.check_schema(guidance_schema())
    assert profile_schema()["$schema"] == "https://json-schema.org/draft/2020-12/schema"


def test_example_validates_and_misspelt_key_fails() -> None:
    assert PROFILE.is_valid(crampkit.unstructure(crampkit.example_profile()))
    assert not PROFILE.is_valid({"agee": 1})


@pytest.mark.parametrize(
    "document",
    [
        {"age": 121},
        {"age": 70.5},
        {"pregnant": "no"},
        {"sex": "unknown"},
        {"cramps": {"per_week": -1}},
        {"cramps": {"sites": "calf"}},
        {"medications": [" "]},
        {"medications": ["x"] * 101},
        {"symptoms": ["nope"]},
        {"habits": {"smoker": 1}},
        [],
    ],
)
def test_schema_and_converter_reject_the_same_examples(document: Any) -> None:
    assert not PROFILE.is_valid(document)
    with pytest.raises(InvalidInputError):
        crampkit.load_profile(document)


@given(profiles)
def test_every_profile_unstructures_to_schema_valid_json(profile: Profile) -> None:
    PROFILE.validate(json.loads(crampkit.to_json(profile)))


@given(profiles)
def test_every_guidance_is_schema_valid(profile: Profile) -> None:
    GUIDANCE.validate(json.loads(crampkit.to_json(recommend(profile))))


@given(profile_like | near_valid())
def test_schema_and_converter_agree(document: dict[str, Any]) -> None:
    """A document is schema-valid exactly when the converter accepts it; the problems fit the error schema."""
    try:
        crampkit.load_profile(document)
    except InvalidInputError as error:
        assert not PROFILE.is_valid(document)
        ERROR.validate(error.as_data())
    else:
        assert PROFILE.is_valid(document)


def test_cli_prints_both_schemas() -> None:
    for name, expected in (("profile", profile_schema()), ("guidance", guidance_schema())):
        out = io.StringIO()
        assert main(["schema", name], stdout=out) == 0
        assert json.loads(out.getvalue()) == expected


@pytest.mark.parametrize(
    ("document", "valid"),
    [
        ({"pregnancy_weeks": 0, "pregnant": False}, False),
        ({"pregnancy_weeks": None, "pregnant": False}, True),
        ({"pregnancy_weeks": 30}, True),
        ({"cramps": {"reported": False, "per_week": 0, "disturbs_sleep": False}}, True),
        ({"cramps": {"reported": False, "per_week": 2}}, False),
        ({"cramps": {"reported": False, "sites": ["calf"]}}, False),
        ({"age": 0, "age_months": 4}, True),
        ({"age": 4, "age_months": 59}, True),
        ({"age": 2, "age_months": None}, True),
        ({"age_months": 4}, False),
        ({"age": None, "age_months": 4}, False),
        ({"age": 1, "age_months": 4}, False),
        ({"age": 5, "age_months": 59}, False),
    ],
)
def test_rules_across_fields_are_in_the_schema_too(document: dict[str, Any], valid: bool) -> None:
    """Weeks of pregnancy only when not "not pregnant", no cramp details when cramps are "not reported", and months
    of age only with an age in years that agrees with them."""
    assert PROFILE.is_valid(document) is valid
    if valid:
        crampkit.load_profile(document)
    else:
        with pytest.raises(InvalidInputError):
            crampkit.load_profile(document)


def _properties(schema: dict[str, Any]) -> list[tuple[str, str, dict[str, Any]]]:
    objects = [schema, *schema["$defs"].values()]
    return [(obj["title"], key, prop) for obj in objects for key, prop in obj["properties"].items()]


@pytest.mark.parametrize("schema", [profile_schema(), guidance_schema()], ids=["profile", "guidance"])
def test_every_field_has_a_description_and_an_example_that_fits_it(schema: dict[str, Any]) -> None:
    """OpenAPI users see what each field means, and an example of it that the field accepts."""
    properties = _properties(schema)
    assert len(properties) > 20
    for title, key, prop in properties:
        assert prop["description"].strip(), (title, key)
        assert "``" not in prop["description"], (title, key)
        assert ":class:" not in prop["description"], (title, key)
        (example,) = prop["examples"]
        subschema = {"$defs": schema["$defs"]} | {k: v for k, v in prop.items() if k != "examples"}
        jsonschema.Draft202012Validator(subschema).validate(example)


def test_descriptions_come_from_the_documented_attributes() -> None:
    schema = profile_schema()
    assert schema["properties"]["pregnancy_weeks"]["description"] == (
        "Completed weeks of pregnancy (0 to 45); only with pregnant not false, and it implies pregnancy."
    )
    assert schema["properties"]["cramps"]["examples"] == [crampkit.unstructure(crampkit.example_profile().cramps)]
    assert crampkit.load_profile({"cramps": schema["properties"]["cramps"]["examples"][0]}) == crampkit.Profile(
        cramps=crampkit.example_profile().cramps
    )


def test_types_in_words_follow_the_json_schema() -> None:
    assert type_in_words(bool) == "boolean"
    assert type_in_words(tuple[float, ...]) == "array of numbers"
    assert type_in_words(crampkit.Authority | None).startswith("one of 'guideline', ")
    named = {crampkit.Fact: "fact name"}
    assert type_in_words(crampkit.Criteria, named=named) == (
        "table: 'all' (array of fact names), 'any' (array of fact names), 'none' (array of fact names), "
        "'each' (array of arrays of fact names)"
    )
    intervention = type_in_words(crampkit.Intervention, quote=str, named=named)
    assert "contraindications (array of Contraindication tables)" in intervention
    assert "when (Criteria table)" in intervention
    assert "while_waiting (boolean)" in intervention
    assert "medicines (array of fact names)" in intervention
