"""The try-it page (``crampkit serve --try``): its form, its answers to every query, its headers and its switch.

The page itself is tested in a real browser in tests/test_try_browser.py; here
the page's answers are read as HTML, and the service as an HTTP client sees it.
"""

import io
import urllib.parse
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import attrs
import pytest
from hypothesis import given
from hypothesis import strategies as st

import crampkit
from crampkit import Profile, recommend
from crampkit.cli import main
from crampkit.server import Limits, create_app, run
from crampkit.server._try import Field, Group, TryPage, form_fields, form_values, read_form
from crampkit.text.escape import https_link
from htmlkit import Text
from servekit import AUTH, http, serving
from strategies import hostile_text, json_values, profiles

KB = crampkit.default_knowledge_base()
PAGE = TryPage(KB, Limits(), "uk", "en")
FIELDS = PAGE.fields


def query(**values: object) -> bytes:
    """A query string, as a browser sends it (``+`` for spaces, lists as repeated names)."""
    return urllib.parse.urlencode(values, doseq=True).encode()


def shown(raw: bytes) -> tuple[int, Text]:
    status, page = PAGE.answer(raw)
    return status, Text(page)


def problems(page: Text) -> list[str]:
    """The problems the page lists, as "location: message code"."""
    return page.text.split("every problem is listed ", 1)[1].split(" The profile ", 1)[0].split(" ; ")


# -- the form --------------------------------------------------------------------------------------


def test_every_field_of_the_schema_has_a_control() -> None:
    schema = crampkit.profile_schema()
    items = form_fields(schema)
    assert [item.path[0] for item in items] == list(schema["properties"])
    nested = {item.path[0]: [field.path[1] for field in item.fields] for item in items if isinstance(item, Group)}
    assert nested == {name: list(schema["$defs"][name.capitalize()]["properties"]) for name in ("cramps", "habits")}
    _, page = shown(b"")
    controls = {attributes["name"] for tag, attributes in page.tags if tag in {"input", "select", "textarea"}}
    assert {field.name for field in FIELDS} | {"region", "language", "profile"} == controls


def test_each_control_is_labelled_and_each_vocabulary_worded_as_the_questions_word_it() -> None:
    status, page = shown(b"")
    assert status == 200
    ids = {attributes["id"] for _, attributes in page.tags if "id" in attributes}
    labelled = {attributes["for"] for tag, attributes in page.tags if tag == "label" and "for" in attributes}
    for tag, attributes in page.tags:
        if tag in {"select", "textarea"} or (tag == "input" and attributes.get("type") == "number"):
            assert attributes["id"] in labelled, attributes
    assert labelled <= ids
    assert "Calf (the back of the lower leg)" in page.text  # cramps.sites, as the interview words it
    assert "A fit (seizure) in the last 24 hours" in page.text  # resolved for the region (uk)
    assert "Narrowed leg arteries (peripheral arterial disease)" in page.text
    assert "Age in years (0 to 120). age" in page.text  # the schema's description, and the JSON key
    assert ("input", {"type": "number", "id": "f-age", "name": "age", "min": "0", "max": "120", "step": "1"}) in [
        (tag, {key: value for key, value in attributes.items() if key not in {"inputmode", "value"}})
        for tag, attributes in page.tags
    ]
    applies = {attributes["data-applies"] for attributes in page.having("data-applies")}
    assert applies == {"pregnancy", "pregnancy-weeks", "age-months"}
    assert page.having("id", "profile-form")[0]["data-childbearing-from"] == "10"
    assert page.having("id", "profile-form")[0]["data-months-below"] == "5"
    assert not page.having("id", "guidance")
    _, us = shown(query(region="us", age="x"))
    assert "A seizure in the last 24 hours" in us.text


@given(profiles)
def test_the_form_holds_any_profile_exactly(profile: Profile) -> None:
    values = form_values(FIELDS, crampkit.unstructure(profile))
    data, problems = read_form(FIELDS, values)
    assert problems == []
    assert crampkit.structure(data, Profile) == profile


def test_form_values_are_read_as_typed() -> None:
    values = {
        "age": [" 72 "],
        "bmi": ["27.5"],
        "pregnant": ["false"],
        "sex": ["female"],
        "medications": ["Lipitor\r\n\r\n  \r\nbendroflumethiazide 2.5 mg \rx"],
        "cramps.sites": ["calf", "foot"],
        "cramps.per_week": ["1e1"],
        "habits.smoker": [""],
        "symptoms": [],
    }
    assert read_form(FIELDS, values) == (
        {
            "age": 72,
            "bmi": 27.5,
            "pregnant": False,
            "sex": "female",
            "medications": ["Lipitor", "bendroflumethiazide 2.5 mg ", "x"],
            "cramps": {"sites": ["calf", "foot"], "per_week": 10.0},
        },
        [],
    )
    bad = {"age": ["seventy"], "pregnant": ["maybe"], "sex": ["female", "male"], "bmi": ["inf"], "activity": ["light"]}
    data, found = read_form(FIELDS, bad)
    assert data == {"activity": "light"}  # the others are problems
    assert [(problem.path, problem.code.value) for problem in found] == [
        (("age",), "wrong-type"),
        (("sex",), "conflict"),
        (("pregnant",), "not-allowed-value"),
        (("bmi",), "wrong-type"),
    ]
    assert found[2].allowed == ("true", "false")


def test_a_field_the_layout_does_not_name_still_gets_a_control() -> None:
    schema = crampkit.profile_schema()
    schema["properties"] = {key: value for key, value in schema["properties"].items() if key != "habits"} | {
        "new_field": {"type": "boolean", "description": "A field added to the profile. It is shown."}
    }
    page = TryPage(KB, Limits(), "uk", "en")
    page.items = form_fields(schema)
    page.fields = [*page.fields, Field(path=("new_field",), kind="boolean", description="A field added.")]
    shown_page = Text(page.answer(b"")[1])
    assert "More fields A field added to the profile. new_field It is shown." in shown_page.text
    assert "Habits" not in shown_page.text  # a group with nothing left in it is not shown


def test_values_a_profile_holds_but_the_form_has_no_box_for_are_shown_not_dropped() -> None:
    data: dict[str, Any] = {"symptoms": ["headache", "hiccups"], "sex": "unknown", "age": "old", "cramps": 3}
    values = form_values(FIELDS, data | {"bmi": [27], "medications": "aspirin"})
    assert values == {  # bmi: a list has no text in a number field
        "symptoms": ["headache", "hiccups"],
        "sex": ["unknown"],
        "age": ["old"],
        "medications": ["aspirin"],
    }
    status, page = shown(query(profile=to_json_text(data)))
    assert status == 400
    assert {"type": "checkbox", "name": "symptoms", "value": "hiccups", "checked": None} in page.having("value")
    assert ("option", {"value": "unknown", "selected": None}) in page.tags


def to_json_text(data: object) -> str:
    import json  # noqa: PLC0415 - only here

    return json.dumps(data)


# -- the guidance ----------------------------------------------------------------------------------


def test_the_example_shows_its_guidance_and_a_link_to_the_case() -> None:
    status, page = shown(b"example=1")
    guidance = recommend(crampkit.example_profile())
    assert status == 200
    assert f"Triage: {guidance.triage.value.upper()}" in page.text
    assert guidance.recommendations[0].name in page.text
    (link,) = page.having("id", "case-link")
    href = link["href"]
    assert href is not None
    assert href.startswith("try?profile=")
    sent = urllib.parse.parse_qs(urllib.parse.urlsplit(href).query)
    assert crampkit.load_profile(sent["profile"][0]) == crampkit.example_profile()
    assert page.having("id", "profile-json")
    assert "hidden" in page.having("data-copy", "guidance-json")[0]  # the script shows the buttons
    assert guidance.disclaimer in page.text
    assert ("option", {"value": "72"}) not in page.tags
    assert {key: value for key, value in page.having("id", "f-age")[0].items() if key in {"type", "id", "name"}} == {
        "type": "number",
        "id": "f-age",
    } | {"name": "age"}
    assert page.having("id", "f-age")[0]["value"] == "72"  # the form holds the case, to change it


def test_a_profile_link_shows_the_guidance_in_the_region_and_language_asked_for() -> None:
    profile = {"age": 45, "heat_exposure": True, "symptoms": ["confusion", "headache"], "cramps": {"timing": ["work"]}}
    guidance = recommend(crampkit.load_profile(profile), region="us")
    status, page = shown(query(profile=to_json_text(profile), region="us", language="en"))
    assert status == 200
    assert f"Triage: {guidance.triage.value.upper()}" in page.text
    assert "911" in page.text
    assert "999" not in page.text
    href = page.having("id", "case-link")[0]["href"]
    assert href is not None
    assert "region=us" in href
    assert "language" not in href  # the deployment's
    cited = [KB.get(source) for flag in guidance.red_flags for source in flag.sources]
    sources = {https_link(source.url) for source in cited if isinstance(source, crampkit.Source)}
    assert len(sources) == len(set(cited))
    assert sources <= {attributes["href"] for tag, attributes in page.tags if tag == "a"}


def test_the_form_gives_the_same_guidance_as_the_json() -> None:
    profile = {"age": 31, "sex": "female", "pregnant": True, "cramps": {"timing": ["night"], "per_week": 3}}
    by_form = PAGE.answer(
        query(
            **{"age": "31", "sex": "female", "pregnant": "true", "cramps.timing": "night"}
            | {"cramps.per_week": "3", "region": "uk", "language": "en"}
        )
    )
    by_json = PAGE.answer(query(profile=to_json_text(profile)))
    assert by_form[0] == by_json[0] == 200
    guidance = Text(by_form[1]).text.split("Link to this case")[0]
    assert guidance == Text(by_json[1]).text.split("Link to this case")[0]


def test_markup_in_a_medicine_name_is_shown_as_text() -> None:
    status, page = shown(query(medications='<img src=x onerror="alert(1)">\n<script>alert(2)</script>'))
    assert status == 200
    assert [attributes for tag, attributes in page.tags if tag in {"img", "script"}] == [
        {"src": "try/static/try.js", "defer": None}
    ]
    assert '<img src=x onerror="alert(1)">' in page.text
    assert "<script>alert(2)</script>" in page.text


# -- bad queries -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        (query(profile='{"age": 200, "cramps": {"sites": ["nose"]}}'), ["age", "cramps.sites[0]"]),
        (query(profile="{"), ["profile: the profile is not JSON (line 1, column 2) not-json"]),
        (query(profile='{"a": 1, "a": 2}'), ["duplicate-key"]),
        (query(profile="[1]"), ["input: expected an object, got an array"]),
        (query(age="abc", bmi="3"), ["age: expected a number, got 'abc' wrong-type", "bmi: must be between"]),
        (query(agee="3"), ["agee: unknown parameter 'agee' unknown-field"]),
        (query(region="mars"), ["region: expected one of uk, us, eu, au, got 'mars' not-allowed-value"]),
        (query(language="xx"), ["language: expected one of en, got 'xx'"]),
        (query(region=["uk", "us"]), ["region: given more than once conflict"]),
        (query(example="2"), ["example: expected 1, got '2'"]),
        (query(example=["1", "1"]), ["example: given more than once"]),
        (query(example="1", age="3"), ["give one of profile, example or the form's fields, not example and the form"]),
        (query(profile="{}", example="1"), ["not profile and example"]),
        (b"age=%ff", ["query: the query is not UTF-8 not-utf8"]),
        (b"&".join([b"a=1"] * 10_001), ["query: more than 10000 parameters too-many"]),
        (query(profile="[" * 200 + "]" * 200), ["nested more than 100 deep too-deep"]),
        (query(profile="null"), ["input: expected an object, got null wrong-type"]),
    ],
)
def test_every_problem_is_listed_with_its_place_and_code(raw: bytes, expected: list[str]) -> None:
    status, page = shown(raw)
    assert status == 400
    listed = " ".join(problems(page))
    for part in expected:
        assert part in listed, listed
    assert page.having("role", "alert")
    assert not page.having("id", "guidance")


def test_problems_link_to_their_field_and_the_form_keeps_what_was_typed() -> None:
    _, page = shown(query(age="abc", medications="ibuprofen"))
    assert {"href": "#f-age"} in page.having("href")
    assert "ibuprofen" in page.text  # the text area keeps it


def test_a_query_too_long_is_a_413_and_the_problems_listed_are_bounded() -> None:
    small = TryPage(KB, Limits(max_body_bytes=1_000, max_problems=2), "uk", "en")
    status, page = small.answer(b"profile=" + b"x" * 1_000)
    assert status == 413
    assert "query: the query is longer than 1,000 bytes too-large" in Text(page).text
    status, page = small.answer(query(a="1", b="2", c="3", d="4"))
    assert status == 400
    assert "and 2 more problems" in Text(page).text


def as_sent(values: dict[str, list[str]]) -> bytes:
    """A form's query as bytes: what a client that is not a browser could send, lone surrogates and all."""
    return "&".join(
        f"{name}={urllib.parse.quote(text.encode('utf-8', 'surrogatepass'))}"
        for name, texts in values.items()
        for text in texts
    ).encode()


FORMS = st.dictionaries(st.sampled_from([field.name for field in FIELDS]), st.lists(hostile_text, max_size=2))


@given(
    st.binary(max_size=200)
    | st.builds(lambda value: query(profile=to_json_text(value)), json_values)
    | st.builds(as_sent, FORMS)
)
def test_any_query_is_answered_with_a_page_that_runs_no_script_of_its_own(raw: bytes) -> None:
    status, page = PAGE.answer(raw)
    assert status in {200, 400}
    assert page.startswith("<!DOCTYPE html>")
    assert page.count("<script") == page.count('<script src="try/static/try.js" defer></script>') == 1


# -- served --------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def base_url() -> Iterator[str]:
    """The service with the page on, and authentication on, as ``crampkit serve --try`` with issuers runs it."""
    yield from serving(create_app(auth=AUTH, try_page=True))


def test_the_page_is_served_with_a_strict_content_security_policy(base_url: str) -> None:
    status, headers, body = http(base_url, "/try?example=1", bearer=None)
    assert status == 200
    assert headers["content-type"] == "text/html; charset=utf-8"
    policy = headers["content-security-policy"]
    assert "default-src 'none'" in policy
    assert "script-src 'self';" in policy
    assert "style-src 'self';" in policy
    assert "unsafe-inline" not in policy
    assert headers["x-content-type-options"] == "nosniff"
    assert headers["referrer-policy"] == "no-referrer"
    assert headers["cache-control"] == "no-store"
    assert "Triage:" in body
    for name, media in (("try.css", "text/css"), ("try.js", "text/javascript")):
        status, headers, body = http(base_url, f"/try/static/{name}", bearer=None)
        assert (status, headers["content-type"]) == (200, f"{media}; charset=utf-8")
        assert headers["content-security-policy"] == policy
        assert "http" not in body  # nothing fetched from elsewhere
    assert http(base_url, "/try/static/other.js", bearer=None)[:1] == (404,)
    assert http(base_url, "/try?profile=%7B", bearer=None)[0] == 400


def test_the_page_leaves_the_cds_hooks_endpoints_authenticated(base_url: str) -> None:
    assert http(base_url, "/cds-services/crampkit-cramps", {"hook": "patient-view"}, bearer=None)[0] == 401
    assert http(base_url, "/cds-services/crampkit-cramps", {"hook": "patient-view"}, bearer="not-a-token")[0] == 401
    assert http(base_url, "/try", bearer="not-a-token")[0] == 200  # the page reads no token


def test_the_page_is_off_unless_asked_for() -> None:
    for url in serving(create_app(auth=AUTH)):
        assert http(url, "/try", bearer=None)[0] == 404
        assert http(url, "/try/static/try.js", bearer=None)[0] == 404
    with pytest.raises(crampkit.InvalidInputError, match=r"try_page: expected a crampkit\.bool"):
        create_app(auth=AUTH, try_page="yes")  # type: ignore[arg-type]


def test_run_refuses_the_page_off_loopback() -> None:
    with pytest.raises(crampkit.InvalidInputError) as info:
        run("0.0.0.0", 8000, auth=AUTH, try_page=True)  # noqa: S104
    assert [problem.code.value for problem in info.value.problems] == ["conflict"]
    assert "the try-it page is served on loopback only" in str(info.value)
    with pytest.raises(crampkit.InvalidInputError) as info:
        run("0.0.0.0", 8000, auth="insecure-no-auth", try_page=True)  # noqa: S104
    assert len(info.value.problems) == 2


# -- crampkit serve --try --------------------------------------------------------------------------


@pytest.fixture
def served(monkeypatch: pytest.MonkeyPatch) -> list[dict[str, Any]]:
    from crampkit import server  # noqa: PLC0415 - the server extra

    calls: list[dict[str, Any]] = []
    monkeypatch.setattr(server, "run", lambda host, port, **settings: calls.append(settings | {"at": (host, port)}))
    return calls


def serve(*args: str) -> tuple[int, str]:
    err = io.StringIO()
    return main(["serve", *args], stderr=err), err.getvalue()


def test_serve_try_turns_the_page_on(served: list[dict[str, Any]], tmp_path: Path) -> None:
    code, err = serve("--try", "--insecure-no-auth", "--port", "8123")
    assert code == 0
    assert "the try-it page is at http://127.0.0.1:8123/try" in err
    assert serve("--try", "--insecure-no-auth", "--host", "::1")[1].count("http://[::1]:8000/try") == 1
    path = tmp_path / "serve.toml"
    path.write_text("[service]\ntry = true\n", encoding="utf-8")
    assert serve("--config", str(path), "--insecure-no-auth")[0] == 0
    assert serve("--insecure-no-auth")[0] == 0
    assert [(call["try_page"], call["at"]) for call in served] == [
        (True, ("127.0.0.1", 8123)),
        (True, ("::1", 8000)),
        (True, ("127.0.0.1", 8000)),
        (False, ("127.0.0.1", 8000)),
    ]


def test_serve_try_is_refused_off_loopback_or_without_a_choice_of_authentication(
    served: list[dict[str, Any]], tmp_path: Path
) -> None:
    code, err = serve("--try", "--insecure-no-auth", "--host", "0.0.0.0")  # noqa: S104
    assert code == 2
    assert "--try: the try-it page is for review on this computer: it is served on loopback only" in err
    path = tmp_path / "serve.toml"
    path.write_text("[service]\ntry = true\n", encoding="utf-8")
    code, err = serve("--config", str(path), "--host", "192.0.2.1", "--issuer", "i=https://i/jwks", "--audience", "a")
    assert (code, "--config service.try: the try-it page is for review" in err) == (2, True)
    path.write_text('[service]\ntry = "yes"\n', encoding="utf-8")
    code, err = serve("--config", str(path), "--insecure-no-auth")
    assert (code, "--config service.try: must be true or false" in err) == (2, True)
    code, err = serve("--try")
    assert (code, "(the try-it page alone: crampkit serve --try --insecure-no-auth)" in err) == (2, True)
    assert served == []


def test_the_page_object_is_made_from_the_service_settings() -> None:
    page = TryPage(KB, Limits(), "au", "en")
    _, shown_page = page.answer(b"example=1")
    assert ("option", {"value": "au", "selected": None}) in Text(shown_page).tags  # the deployment's region
    assert attrs.has(Field)
