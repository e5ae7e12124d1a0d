"""The FastAPI example of docs/integration.md (docs/examples/fastapi_app.py), served by a real uvicorn on loopback."""

import json
import runpy
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import jsonschema
import pytest
import referencing
import referencing.jsonschema

import crampkit
from servekit import http, serving

pytest.importorskip("fastapi", reason="needs fastapi (the test extra)")

EXAMPLE = Path(__file__).parents[1] / "docs" / "examples" / "fastapi_app.py"
APP: Any = runpy.run_path(str(EXAMPLE))["app"]
DOCUMENT = APP.openapi()
REGISTRY: referencing.Registry[Any] = referencing.Registry().with_resource(
    "urn:test:app", referencing.jsonschema.DRAFT202012.create_resource(DOCUMENT)
)


def component(name: str) -> jsonschema.Draft202012Validator:
    return jsonschema.Draft202012Validator({"$ref": f"urn:test:app#/components/schemas/{name}"}, registry=REGISTRY)


def references(value: object) -> Iterator[str]:
    """Every ``$ref`` in ``value``, a JSON document."""
    if isinstance(value, dict):
        for key, item in value.items():
            yield from [item] if key == "$ref" else references(item)
    elif isinstance(value, list):
        for item in value:
            yield from references(item)


@pytest.fixture(scope="module")
def base_url() -> Iterator[str]:
    yield from serving(APP)


def test_the_apps_openapi_document_holds_crampkits_components_and_every_reference_resolves() -> None:
    assert DOCUMENT["openapi"].startswith("3.1")
    components = DOCUMENT["components"]["schemas"]
    assert {name: components[name] for name in crampkit.openapi_schemas()["components"]["schemas"]} == (
        crampkit.openapi_schemas()["components"]["schemas"]
    )
    refs = set(references(DOCUMENT))
    assert "#/components/schemas/Profile" in refs
    resolver = REGISTRY.resolver("urn:test:app")
    for ref in refs:
        assert ref.startswith("#/components/schemas/")
        resolver.lookup(ref)
    assert APP.openapi() is DOCUMENT  # built once


def test_it_answers_with_guidance_or_the_problems_as_its_schemas_say(base_url: str) -> None:
    profile = crampkit.unstructure(crampkit.example_profile())
    component("Profile").validate(profile)
    status, _, guidance = http(base_url, "/guidance", profile, bearer=None)
    assert status == 200
    component("Guidance").validate(guidance)
    assert guidance == json.loads(crampkit.to_json(crampkit.recommend(crampkit.example_profile())))
    status, _, problems = http(base_url, "/guidance", {"agee": 70, "cramps": {"sites": ["calff"]}}, bearer=None)
    assert status == 422
    component("Problems").validate(problems)
    assert [problem["suggestion"] for problem in problems["problems"]] == ["calf", "age"]
    status, _, problems = http(base_url, "/guidance", raw=b"{not json", bearer=None)
    assert (status, problems["problems"][0]["code"]) == (422, "not-json")
