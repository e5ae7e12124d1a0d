"""The error body's JSON Schema, held to real error output; and the schemas as OpenAPI components."""

import io
import json
from collections.abc import Callable, Iterator
from typing import Any

import attrs
import jsonschema
import pytest
import referencing
import referencing.jsonschema

import crampkit
from crampkit import InvalidInputError, Problem, ProblemCode, error_schema, openapi_schemas
from crampkit.cli import main
from crampkit.io.schema import openapi

ERROR = jsonschema.Draft202012Validator(error_schema())
OPENAPI = openapi_schemas()
COMPONENTS = OPENAPI["components"]["schemas"]
DOCUMENT = "urn:test:openapi"
REGISTRY: referencing.Registry[Any] = referencing.Registry().with_resource(
    DOCUMENT, referencing.jsonschema.DRAFT202012.create_resource(OPENAPI)
)


def component(name: str) -> jsonschema.Draft202012Validator:
    """A validator of the component ``name``, resolving every reference inside the OpenAPI components."""
    return jsonschema.Draft202012Validator({"$ref": f"{DOCUMENT}#/components/schemas/{name}"}, registry=REGISTRY)


def problems_of(call: Callable[[], object]) -> dict[str, Any]:
    with pytest.raises(InvalidInputError) as caught:
        call()
    return caught.value.as_data()


def test_the_error_schema_is_valid_draft_2020_12_and_its_example_fits_it() -> None:
    schema = error_schema()
    jsonschema.Draft202012Validator.check_schema(schema)
    (example,) = schema["examples"]
    ERROR.validate(example)
    assert [problem["code"] for problem in example["problems"]] == ["out-of-range", "not-allowed-value"]
    assert example["problems"][1]["suggestion"] == "calf"


def test_the_problem_schema_has_a_key_for_every_field_and_every_code() -> None:
    problem = error_schema()["$defs"]["Problem"]
    assert list(problem["properties"]) == [field.name for field in attrs.fields(Problem)]
    assert problem["properties"]["code"]["enum"] == [code.value for code in ProblemCode]
    assert all(schema["description"] for schema in problem["properties"].values())
    assert problem["required"] == ["path", "code", "message", "location"]


def test_the_schema_refuses_what_is_not_an_error_body() -> None:
    good = {"path": ["age"], "code": "out-of-range", "message": "m", "location": "age", "minimum": 0}
    assert ERROR.is_valid({"problems": [good]})
    assert not ERROR.is_valid({"problems": []})  # no problem listed, and none left off
    assert ERROR.is_valid({"error": "request over the limits", "problems": [], "more_problems": 3})
    assert not ERROR.is_valid({"problems": [good | {"code": "no-such-code"}]})
    assert not ERROR.is_valid({"problems": [good | {"hint": "x"}]})
    assert not ERROR.is_valid({"problems": [{key: good[key] for key in ("path", "code", "message")}]})
    assert not ERROR.is_valid({"problems": [good | {"path": [None]}]})
    assert not ERROR.is_valid({"problems": [good], "extra": 1})


@pytest.mark.parametrize(
    "call",
    [
        lambda: crampkit.load_profile(b"\xff"),
        lambda: crampkit.load_profile('{"age": 1, "age": 2}'),
        lambda: crampkit.recommend(crampkit.Profile(), region="ukk", knowledge_base="kb.toml"),  # type: ignore[arg-type]
        lambda: crampkit.load_knowledge_base({"extends": "default", "disable": ["possible-clot"], "sourcse": []}),
        lambda: crampkit.load_knowledge_base({"extends": "default", "overrides": {"possible-clo": "why"}}),
        lambda: crampkit.load_knowledge_base("tests/data/no-such-file.toml"),
    ],
)
def test_errors_of_every_kind_of_input_fit_the_schema(call: Callable[[], object]) -> None:
    ERROR.validate(problems_of(call))


def test_the_cli_prints_bad_input_as_a_body_the_schema_accepts() -> None:
    err = io.StringIO()
    stdin = io.StringIO('{"agee": 70, "cramps": {"sites": ["calff"]}}')
    assert main(["recommend", "-", "--format", "json"], stdout=io.StringIO(), stderr=err, stdin=stdin) == 2
    body = json.loads(err.getvalue())
    ERROR.validate(body)
    assert [problem.get("suggestion") for problem in body["problems"]] == ["calf", "age"]


def test_batch_rows_carry_errors_the_schema_accepts() -> None:
    rows: list[str | dict[str, Any]] = [
        '{"id": 1, "profil": {}}',
        "not json",
        {"id": "a", "profile": {"age": 500}},
        {"id": 2, "profile": {}},
    ]
    errors = [result.to_data()["error"] for result in crampkit.recommend_many(rows) if result.error is not None]
    assert len(errors) == 3
    for body in errors:
        ERROR.validate(body)


def test_the_cli_prints_the_error_schema_and_the_openapi_components() -> None:
    for name, expected in (("error", error_schema()), ("openapi", OPENAPI)):
        out = io.StringIO()
        assert main(["schema", name], stdout=out) == 0
        assert json.loads(out.getvalue()) == expected


def references(value: object) -> Iterator[str]:
    if isinstance(value, dict):
        for key, item in value.items():
            if key == "$ref":
                yield item
            else:
                yield from references(item)
    elif isinstance(value, list):
        for item in value:
            yield from references(item)


def test_every_reference_of_the_components_resolves_inside_the_document() -> None:
    found = sorted(set(references(OPENAPI)))
    assert found
    assert all(ref.startswith("#/components/schemas/") for ref in found)
    resolver = REGISTRY.resolver(DOCUMENT)
    for ref in found:
        assert resolver.lookup(ref).contents == COMPONENTS[ref.rsplit("/", 1)[1]]
    text = json.dumps(OPENAPI)
    assert '"$defs"' not in text
    assert '"$id"' not in text
    assert '"$schema"' not in text


def test_the_components_are_the_three_schemas_and_every_class_they_hold() -> None:
    documents = (crampkit.profile_schema(), crampkit.guidance_schema(), error_schema())
    names = {document["title"] for document in documents} | {name for doc in documents for name in doc["$defs"]}
    assert set(COMPONENTS) == names
    assert {"Profile", "Guidance", "Problems", "Cramps", "Recommendation", "Problem"} <= names
    for schema in COMPONENTS.values():
        jsonschema.Draft202012Validator.check_schema(schema)


def test_real_documents_fit_their_components() -> None:
    profile = crampkit.example_profile()
    component("Profile").validate(crampkit.unstructure(profile))
    assert not component("Profile").is_valid({"cramps": {"sites": ["calff"]}})  # through the reference to Cramps
    component("Guidance").validate(json.loads(crampkit.to_json(crampkit.recommend(profile))))
    component("Problems").validate(problems_of(lambda: crampkit.load_profile({"cramps": {"per_weak": 1}})))


def test_two_different_schemas_of_one_name_cannot_be_components() -> None:
    first = {"title": "Thing", "type": "object"}
    assert openapi([first, first]) == {"components": {"schemas": {"Thing": first}}}
    with pytest.raises(ValueError, match="two different schemas are named 'Thing'"):
        openapi([first, {"title": "Thing", "type": "string"}])
