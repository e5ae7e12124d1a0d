"""crampkit serve: the CDS Hooks 2.0 service, tested over HTTP against a real uvicorn on loopback."""

import datetime as dt
import io
import json
import logging
import sys
import unicodedata
import uuid
from collections.abc import Iterator
from typing import Any

import attrs
import jsonschema
import pytest
import uvicorn

import crampkit
from crampkit import server
from crampkit.cli import main
from crampkit.server import (
    LANGUAGE_EXTENSION,
    ORDER_SELECT_ID,
    PATIENT_VIEW_ID,
    REGION_EXTENSION,
    create_app,
)
from crampkit.server._cards import Cards as _Cards
from fhirkit import (
    CRAMP,
    ICD10,
    RXNORM,
    SNOMED,
    STATIN,
    bundle,
    coding,
    condition,
    hook_request,
    medication_request,
    patient,
    validate,
)
from kbtools import quiet_signs
from servekit import AUTH, http, serving

TODAY = dt.date(2026, 11, 25)
SANDBOX = "https://sandbox.cds-hooks.org"
ERROR_BODY = jsonschema.Draft202012Validator(crampkit.error_schema())
"""Every 400 body of the service fits :func:`crampkit.error_schema`."""


@pytest.fixture(scope="module")
def base_url() -> Iterator[str]:
    """A real uvicorn serving the app on a free loopback port, stopped after the module's tests.

    Authentication is on, as deployed: every request of :func:`http` carries a fresh token of the tests' client
    (tests/test_auth.py tests authentication itself).
    """
    yield from serving(create_app(auth=AUTH, today=lambda: TODAY, allowed_origins=[SANDBOX]))


@pytest.fixture(scope="module")
def us_url() -> Iterator[str]:
    """A deployment in the United States: ``crampkit serve --region us``."""
    yield from serving(create_app(auth=AUTH, today=lambda: TODAY, region="us"))


def call(base_url: str, request: object, service: str = PATIENT_VIEW_ID) -> tuple[int, Any]:
    """Call a service; every successful answer is checked against the CDS Hooks 2.0 response schema."""
    status, _, body = http(base_url, f"/cds-services/{service}", request)
    if status == 200:
        validate(body, "response")
    return status, body


def test_discovery_lists_patient_view_and_order_select(base_url: str) -> None:
    status, headers, body = http(base_url, "/cds-services")
    assert status == 200
    assert headers["content-type"] == "application/json"
    validate(body, "discovery")
    services = {service["id"]: service for service in body["services"]}
    assert services[PATIENT_VIEW_ID]["hook"] == "patient-view"
    assert services[PATIENT_VIEW_ID]["prefetch"]["patient"] == "Patient/{{context.patientId}}"
    assert set(services[PATIENT_VIEW_ID]["prefetch"]) == {
        "patient",
        "conditions",
        "medicationRequests",
        "medicationStatements",
        "observations",
    }
    assert services[ORDER_SELECT_ID]["hook"] == "order-select"


def test_worked_example_gives_clinician_cards(base_url: str) -> None:
    request = hook_request()
    validate(request, "request")
    status, body = call(base_url, request)
    assert status == 200
    validate(body, "response")
    cards = body["cards"]
    assert cards
    text = json.dumps(body)
    assert "your GP" not in text
    assert "your " not in text.lower()
    main_card = cards[-1]
    assert "atorvastatin" in main_card["summary"]
    assert "hydrochlorothiazide" in main_card["summary"]
    assert main_card["summary"].startswith("Cramps on record")
    for card in cards:
        assert uuid.UUID(card["uuid"]).version == 5
        assert card["source"]["url"].startswith("https://")
        assert card["overrideReasons"]
        assert all(link["url"].startswith("https://") for link in card.get("links", []))
    version = crampkit.default_knowledge_base().version.replace(".", "\\.")
    # the one disclaimer, as in to_cds_hooks, then the knowledge base's version (issue 21, deliverable 6)
    assert main_card["detail"].endswith(f"\n\n_{crampkit.DISCLAIMER}_\n\n_(knowledge base {version})_")


def test_uuids_are_new_to_each_call_and_the_same_when_a_call_is_repeated(base_url: str) -> None:
    request = hook_request()
    first = [card["uuid"] for card in call(base_url, request)[1]["cards"]]
    again = [card["uuid"] for card in call(base_url, request)[1]["cards"]]
    other = {card["uuid"] for card in call(base_url, hook_request())[1]["cards"]}
    assert first
    assert len(set(first)) == len(first)
    assert first == again  # the same hookInstance: a retry
    assert other.isdisjoint(first)  # another call


@pytest.mark.parametrize("instance", ["\ud800", "a/b\u202e", "x" * 10_000])
def test_any_hook_instance_gives_cards_with_valid_uuids(base_url: str, instance: str) -> None:
    status, body = call(base_url, hook_request(hookInstance=instance))
    assert status == 200
    assert all(uuid.UUID(card["uuid"]).version == 5 for card in body["cards"])


def test_no_cramp_on_record_gives_no_cards(base_url: str) -> None:
    status, body = call(base_url, hook_request(with_condition=False))
    assert (status, body) == (200, {"cards": []})
    validate(body, "response")


def test_red_flags_get_their_own_cards(base_url: str) -> None:
    request = hook_request()
    request["prefetch"]["conditions"] = bundle(CRAMP, condition("c2", coding(SNOMED, "26544005")))
    status, body = call(base_url, request)
    assert status == 200
    validate(body, "response")
    assert body["cards"][0]["indicator"] in {"critical", "warning"}
    assert body["cards"][0]["summary"].startswith("Consider")


def test_a_bidi_override_in_a_medicine_name_no_longer_refuses_the_call(base_url: str) -> None:
    """The issue's reproducer: "simva\u202estatin" in a MedicationRequest gave 400 for the whole record."""
    request = hook_request()
    request["prefetch"]["medicationRequests"] = bundle(medication_request("m9", text="simva\u202estatin"))
    request["prefetch"]["conditions"] = bundle(CRAMP, condition("c2", coding(SNOMED, "26544005")))
    status, body = call(base_url, request)
    assert status == 200
    validate(body, "response")
    assert body["cards"][0]["indicator"] in {"critical", "warning"}  # the red flag still shows
    assert body["cards"][-1]["summary"].startswith("Cramps on record")
    assert "\u202e" not in json.dumps(body, ensure_ascii=False)


def test_a_medicine_code_crampkit_cannot_map_is_named_in_the_cards(base_url: str) -> None:
    """A coded medicine with no display that crampkit cannot map is reported as unrecognised, not dropped."""
    request = hook_request()
    request["prefetch"]["medicationRequests"] = bundle(
        medication_request("m8", coding(RXNORM, "996561")), medication_request("m9", coding(RXNORM, "617310"))
    )
    status, body = call(base_url, request)
    assert status == 200
    main_card = body["cards"][-1]
    assert main_card["summary"] == "Cramps on record; linked medicines: atorvastatin 20 MG Oral Tablet"
    assert "Medicines crampkit did not recognise: RxNorm 996561." in main_card["detail"]


def test_text_from_the_record_is_escaped(base_url: str) -> None:
    request = hook_request()
    hostile = medication_request("m9", text="<script>alert(1)</script> *bold* [x](javascript:y)")
    request["prefetch"]["medicationRequests"] = bundle(hostile)
    status, body = call(base_url, request)
    assert status == 200
    detail = body["cards"][-1]["detail"]
    assert "<script>" not in detail
    assert "&lt;script&gt;alert(1)&lt;/script&gt; \\*bold\\* \\[x\\](javascript:y)" in detail
    assert body["cards"][-1]["summary"] == "Cramps on record: causes to consider and evidence-graded management"


def test_invisible_and_direction_characters_from_the_record_are_shown_as_escapes(base_url: str) -> None:
    # The service once let format controls through (only control characters were replaced by spaces):
    # a right-to-left mark or a zero-width character could reorder or hide text on the clinician's screen.
    request = hook_request()
    request["prefetch"]["medicationRequests"] = bundle(
        STATIN, medication_request("m9", text="Zo\u00adcor\u200f 10\ufeff mg\u200b")
    )
    status, body = call(base_url, request)
    assert status == 200
    main_card = body["cards"][-1]
    # read as it looks (the invisible characters taken out), the name is Zocor, a statin; shown with its escapes
    assert "- Zo\\\\xadcor\\\\u200f 10\\\\ufeff mg\\\\u200b (Statins)" in main_card["detail"]
    assert "did not recognise" not in main_card["detail"]
    assert not any(unicodedata.category(char) == "Cf" for char in json.dumps(body, ensure_ascii=False))


def lines(body: dict[str, Any]) -> list[str]:
    """The problems of an error body as the lines people read (``str()`` of each problem)."""
    return [f"{p['location']}: {p['message']}" if p["location"] else p["message"] for p in body["problems"]]


@pytest.mark.parametrize(
    ("change", "problem", "path", "code"),
    [
        ({"hook": "order-sign"}, "hook: must be 'patient-view'", ["hook"], "not-allowed-value"),
        ({"hookInstance": ""}, "hookInstance: required", ["hookInstance"], "empty"),
        ({"hookInstance": 7}, "hookInstance: required", ["hookInstance"], "wrong-type"),
        ({"context": []}, "context: required, an object", ["context"], "wrong-type"),
        ({"context": {"patientId": "p1"}}, "context.userId: required", ["context", "userId"], "missing"),
        ({"prefetch": []}, "prefetch: must be an object", ["prefetch"], "wrong-type"),
        (
            {"prefetch": {"patient": "Patient/p1"}},
            "prefetch.patient: must be a FHIR resource",
            ["prefetch", "patient"],
            "wrong-type",
        ),
        ({"fhirServer": 3}, "fhirServer: must be a URL string", ["fhirServer"], "wrong-type"),
        ({"fhirAuthorization": "token"}, "fhirAuthorization: must be an object", ["fhirAuthorization"], "wrong-type"),
        ({"fhirAuthorization": {}}, "fhirServer: required when fhirAuthorization", ["fhirServer"], "missing"),
    ],
)
def test_bad_requests_get_400_with_the_problems(
    base_url: str, change: dict[str, Any], problem: str, path: list[object], code: str
) -> None:
    status, body = call(base_url, hook_request(**change))
    assert status == 400
    ERROR_BODY.validate(body)
    assert body["error"] == "invalid request"
    assert {"path": path, "code": code} in [{"path": p["path"], "code": p["code"]} for p in body["problems"]], body
    assert any(line.startswith(problem) for line in lines(body)), body


def test_a_request_without_a_hook_is_missing_it(base_url: str) -> None:
    request = hook_request()
    del request["hook"]
    status, body = call(base_url, request)
    assert status == 400
    assert body["problems"][0] == {
        "path": ["hook"],
        "code": "missing",
        "message": "must be 'patient-view' for the service 'crampkit-cramps', got None",
        "location": "hook",
        "allowed": ["patient-view"],
    }


@pytest.mark.parametrize(
    ("raw", "problem", "code"),
    [
        (b"{not json", "the body is not JSON", "not-json"),
        (b"\xff\xfe\xfd", "the body is not JSON", "not-utf8"),
        (b"[]", "the body must be a JSON object", "wrong-type"),
        (b"[" * 200_000 + b"]" * 200_000, "the body is not JSON: nested too deeply", "too-deep"),
    ],
)
def test_bodies_that_are_not_objects(base_url: str, raw: bytes, problem: str, code: str) -> None:
    status, _, body = http(base_url, f"/cds-services/{PATIENT_VIEW_ID}", raw=raw)
    assert status == 400
    ERROR_BODY.validate(body)
    assert lines(body)[0].startswith(problem)
    assert (body["problems"][0]["path"], body["problems"][0]["code"]) == ([], code)


def test_bad_fhir_in_the_prefetch_gets_400_with_paths_into_the_request(base_url: str) -> None:
    request = hook_request()
    request["prefetch"]["conditions"] = bundle({"resourceType": "Condition", "code": {"coding": "x"}})
    status, body = call(base_url, request)
    assert status == 400
    assert body["error"] == "invalid FHIR"
    ERROR_BODY.validate(body)
    assert set(body) == {"error", "problems"}
    codes = {code.value for code in crampkit.ProblemCode}
    for problem in body["problems"]:
        assert set(problem) <= {"path", "code", "message", "location", "allowed", "max_length", "max_items"}
        assert problem["code"] in codes
        assert problem["path"][:4] == ["prefetch", "conditions", "entry", 0]
        here: Any = request
        for step in problem["path"][:-1]:  # every step but a missing key at the end is in the request
            here = here[step]
    coding = next(p for p in body["problems"] if p["path"][-1] == "coding")
    assert coding == {
        "path": ["prefetch", "conditions", "entry", 0, "resource", "code", "coding"],
        "code": "wrong-type",
        "message": "expected an array",
        "location": "Condition at prefetch.conditions.entry[0].resource.code.coding",
    }


def test_a_prefetched_patient_that_is_not_the_context_patient_gets_400(base_url: str) -> None:
    request = hook_request()
    request["prefetch"]["patient"] = patient("someone-else")
    status, body = call(base_url, request)
    assert status == 400
    assert body["problems"] == [
        {
            "path": ["prefetch", "patient", "id"],
            "code": "conflict",
            "message": "not the patient in context.patientId",
            "location": "Patient/someone-else at prefetch.patient.id",
        }
    ]


def test_the_patient_check_holds_however_the_prefetch_is_wrapped(base_url: str) -> None:
    """Issue 21: a Patient wrapped in a Bundle (or nested in another prefetch's Bundle) skipped the check."""
    wrapped = hook_request()
    wrapped["prefetch"]["patient"] = bundle(patient("someone-else"))
    status, body = call(base_url, wrapped)
    assert status == 400
    assert [p["path"] for p in body["problems"]] == [["prefetch", "patient", "entry", 0, "resource", "id"]]
    nested = hook_request()
    nested["prefetch"]["conditions"]["entry"].append({"resource": bundle(patient("someone-else"))})
    status, body = call(base_url, nested)
    assert status == 400
    assert body["problems"][0]["code"] == "conflict"
    assert body["problems"][0]["path"][:3] == ["prefetch", "conditions", "entry"]
    same = hook_request()
    same["prefetch"]["patient"] = bundle(same["prefetch"]["patient"])
    assert call(base_url, same)[0] == 200


@pytest.mark.parametrize("key", ["patient", "conditions", "medicationRequests"])
def test_missing_required_prefetch_gets_412_even_with_a_fhir_server(base_url: str, key: str) -> None:
    request = hook_request(
        fhirServer="https://ehr.example.org/fhir",
        fhirAuthorization={
            "access_token": "t",
            "token_type": "Bearer",
            "expires_in": 300,
            "scope": "user/Patient.read",
            "subject": "crampkit",
        },
    )
    del request["prefetch"][key]
    validate(request, "request")
    status, body = call(base_url, request)
    assert status == 412
    assert body["missing"] == [key]
    assert "does not query FHIR servers" in body["detail"]


def test_an_operation_outcome_instead_of_a_prefetch_gets_412(base_url: str) -> None:
    request = hook_request()
    request["prefetch"]["conditions"] = {"resourceType": "OperationOutcome", "issue": []}
    status, body = call(base_url, request)
    assert (status, body["missing"]) == (412, ["conditions"])


def test_optional_prefetch_may_be_left_out(base_url: str) -> None:
    request = hook_request()
    del request["prefetch"]["observations"]
    del request["prefetch"]["medicationStatements"]
    status, body = call(base_url, request)
    assert status == 200
    assert body["cards"]


def test_unknown_services_get_404(base_url: str) -> None:
    assert call(base_url, hook_request(), service="nope")[0] == 404
    assert http(base_url, "/cds-services/nope/feedback", {"feedback": []})[0] == 404


def test_feedback_is_accepted(base_url: str) -> None:
    cards = call(base_url, hook_request())[1]["cards"]
    feedback = {
        "feedback": [
            {
                "card": cards[0]["uuid"],
                "outcome": "overridden",
                "outcomeTimestamp": "2026-11-25T10:00:00Z",
                "overrideReason": {"reason": cards[0]["overrideReasons"][0]},
            },
        ]
    }
    validate(feedback, "feedback")
    assert http(base_url, f"/cds-services/{PATIENT_VIEW_ID}/feedback", feedback)[:1] == (200,)
    status, _, body = http(base_url, f"/cds-services/{PATIENT_VIEW_ID}/feedback", {"feedback": [{}]})
    assert status == 400
    assert [(p["path"], p["code"]) for p in body["problems"]] == [
        (["feedback", 0, "card"], "missing"),
        (["feedback", 0, "outcome"], "missing"),
        (["feedback", 0, "outcomeTimestamp"], "missing"),
    ]
    status, _, body = http(base_url, f"/cds-services/{PATIENT_VIEW_ID}/feedback", {})
    assert (status, body["problems"][0]["code"]) == (400, "missing")
    status, _, body = http(base_url, f"/cds-services/{PATIENT_VIEW_ID}/feedback", [])
    assert (status, body["problems"][0]["code"]) == (400, "missing")
    status, _, body = http(base_url, f"/cds-services/{PATIENT_VIEW_ID}/feedback", raw=b"nope")
    assert (status, body["problems"][0]["code"]) == (400, "not-json")


def test_cors_preflight_and_headers(base_url: str) -> None:
    status, headers, _ = http(
        base_url,
        f"/cds-services/{PATIENT_VIEW_ID}",
        method="OPTIONS",
        headers={
            "Origin": SANDBOX,
            "Access-Control-Request-Method": "POST",
            "Access-Control-Request-Headers": "authorization, content-type",
        },
    )
    assert status == 200
    assert headers["access-control-allow-origin"] == SANDBOX
    assert "POST" in headers["access-control-allow-methods"]
    assert "authorization" in headers["access-control-allow-headers"].lower()
    _, headers, _ = http(base_url, "/cds-services", headers={"Origin": SANDBOX})
    assert headers["access-control-allow-origin"] == SANDBOX
    _, headers, _ = http(base_url, "/cds-services", headers={"Origin": "https://elsewhere.example"})
    assert "access-control-allow-origin" not in headers


def test_cors_is_off_by_default(us_url: str) -> None:
    preflight = {"Origin": SANDBOX, "Access-Control-Request-Method": "POST"}
    status, headers, _ = http(us_url, f"/cds-services/{PATIENT_VIEW_ID}", method="OPTIONS", headers=preflight)
    assert status == 405
    assert "access-control-allow-origin" not in headers
    _, headers, _ = http(us_url, "/cds-services", headers={"Origin": SANDBOX})
    assert "access-control-allow-origin" not in headers


def order_select_request(*, cramps: bool = True, selected: str = "MedicationRequest/new") -> dict[str, Any]:
    new = {**medication_request("new", coding(RXNORM, "83367", "atorvastatin 20 MG Oral Tablet")), "status": "draft"}
    other = {**medication_request("other", coding(RXNORM, "5487")), "status": "draft"}
    diet = {"resourceType": "NutritionOrder", "id": "diet", "status": "draft"}
    draft = bundle(new, other, diet)
    draft["entry"].append("not an entry")
    return {
        "hook": "order-select",
        "hookInstance": str(uuid.uuid4()),
        "context": {
            "userId": "PractitionerRole/123",
            "patientId": "p1",
            "selections": [selected, "NutritionOrder/diet"],
            "draftOrders": draft,
        },
        "prefetch": {"patient": patient(), "conditions": bundle(CRAMP) if cramps else None},
    }


def test_order_select_warns_about_a_new_cramp_linked_medicine(base_url: str) -> None:
    request = order_select_request()
    validate(request, "request")
    status, body = call(base_url, request, ORDER_SELECT_ID)
    assert status == 200
    validate(body, "response")
    assert [card["summary"] for card in body["cards"]] == [
        "Patient has cramps on record; atorvastatin is linked with cramps"
    ]
    assert "Consider whether the benefit outweighs the risk" in body["cards"][0]["detail"]


def test_order_select_without_cramps_or_linked_medicines_gives_no_cards(base_url: str) -> None:
    assert call(base_url, order_select_request(cramps=False), ORDER_SELECT_ID) == (200, {"cards": []})
    request = order_select_request(selected="MedicationRequest/none")
    assert call(base_url, request, ORDER_SELECT_ID) == (200, {"cards": []})


def test_order_select_request_checks(base_url: str) -> None:
    request = order_select_request()
    request["context"]["selections"] = "MedicationRequest/new"
    request["context"]["draftOrders"] = []
    status, body = call(base_url, request, ORDER_SELECT_ID)
    assert status == 400
    assert [(p["path"], p["code"]) for p in body["problems"]] == [
        (["context", "selections"], "wrong-type"),
        (["context", "draftOrders"], "wrong-type"),
    ]
    request = order_select_request()
    request["context"]["draftOrders"]["entry"][0]["resource"]["intent"] = 5
    status, body = call(base_url, request, ORDER_SELECT_ID)
    assert (status, body["error"]) == (400, "invalid FHIR")
    assert body["problems"][0]["path"] == ["context", "draftOrders", "entry", 0, "resource", "intent"]
    request = order_select_request()  # issue 21's reproducer: a number for the entries gave a 500
    request["context"]["draftOrders"]["entry"] = 5
    status, body = call(base_url, request, ORDER_SELECT_ID)
    assert status == 400
    assert [(p["path"], p["code"]) for p in body["problems"]] == [(["context", "draftOrders", "entry"], "wrong-type")]


def test_logs_carry_no_personal_data(base_url: str, caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level(logging.INFO, logger="crampkit.server"):
        call(base_url, hook_request())
        call(base_url, hook_request(hook="x"))
        http(
            base_url, f"/cds-services/{PATIENT_VIEW_ID}/feedback", {"feedback": [{"card": "c", "outcome": "accepted"}]}
        )
    messages = [record.getMessage() for record in caplog.records if record.name == "crampkit.server"]
    assert len(messages) == 3
    for message in messages:
        for personal in ("p1", "1950", "Practitioner", "example", "female"):
            assert personal not in message


def test_cards_fall_back_when_sources_have_no_https_url() -> None:
    # built without the loader, whose safety floor refuses http links: the cards must still cope
    kb = crampkit.structure(
        {
            "version": "t",
            "signs": quiet_signs("s1"),
            "sources": [
                {"id": f"s{n}", "title": f"T{n}", "publisher": "P", "year": 2020, "url": url, "kind": "trial"}
                for n, url in enumerate(
                    [
                        "http://a.example",
                        "https://b.example",
                        "https://c.example",
                        "https://d.example",
                        "https://e.example",
                    ]
                )
            ],
        },
        crampkit.KnowledgeBase,
    )
    guidance = attrs.evolve(crampkit.recommend(crampkit.Profile()), knowledge_base_version="t")
    cards = _Cards(kb).builder(guidance)

    def card(*sources: str) -> dict[str, Any]:
        return cards.card("test", sources, summary="s", urgency=crampkit.Urgency.SELF_CARE, detail=[], sources=sources)

    assert card("s0")["source"] == {"label": "T0 (P, 2020)"}  # the first source cited, never as an http link
    assert "links" not in card("s0")
    assert card()["source"] == {"label": "crampkit knowledge base"}
    assert card("s1", "s0")["source"] == {"label": "T1 (P, 2020)", "url": "https://b.example"}
    assert [link["url"] for link in card("s0", "s1", "s2", "s1", "s3", "s4")["links"]] == [
        "https://b.example",
        "https://c.example",
        "https://d.example",
    ]


def test_cli_serve_runs_the_app(monkeypatch: pytest.MonkeyPatch) -> None:
    calls: list[tuple[str, int, dict[str, Any]]] = []
    monkeypatch.setattr(server, "run", lambda host, port, **settings: calls.append((host, port, settings)))
    assert main(["serve", "--host", "127.0.0.1", "--port", "8123", "--insecure-no-auth"], stderr=io.StringIO()) == 0
    assert main(["serve", "--region", "us", "--language", "en", "--insecure-no-auth"], stderr=io.StringIO()) == 0
    common: dict[str, Any] = {
        "auth": "insecure-no-auth",
        "allowed_origins": [],
        "knowledge_base": None,
        "limits": server.Limits(),
        "try_page": False,
    }
    assert calls == [
        ("127.0.0.1", 8123, common | {"region": "uk", "language": "en"}),
        ("127.0.0.1", 8000, common | {"region": "us", "language": "en"}),
    ]


def test_cli_serve_without_the_extra(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "crampkit.server", None)
    err = io.StringIO()
    assert main(["serve"], stderr=err) == 1
    assert "needs the server extra, which is not installed (in a checkout: pip install '.[server]')" in err.getvalue()


def test_run_serves_with_uvicorn_without_access_logs(monkeypatch: pytest.MonkeyPatch) -> None:
    seen: list[uvicorn.Config] = []
    ran: list[bool] = []

    class Server:
        def __init__(self, config: uvicorn.Config) -> None:
            seen.append(config)

        def run(self) -> None:
            ran.append(True)

    monkeypatch.setattr(uvicorn, "Server", Server)
    server.run("127.0.0.1", 8124, auth=AUTH, region="us", limits=server.Limits(keep_alive_seconds=7))
    (config,) = seen
    assert ran == [True]
    assert config.access_log is False
    assert config.server_header is False  # no "server: uvicorn" banner
    assert (config.host, config.port, config.timeout_keep_alive) == ("127.0.0.1", 8124, 7)
    assert config.http.header_timeout == server.Limits().header_timeout_seconds  # type: ignore[union-attr]


def test_the_icd_10_cramp_code_alone_is_enough(base_url: str) -> None:
    request = hook_request()
    request["prefetch"]["conditions"] = condition("only", coding(ICD10, "R25.2"))
    request["prefetch"]["medicationRequests"] = None
    status, body = call(base_url, request)
    assert status == 200
    assert body["cards"][-1]["summary"] == "Cramps on record: causes to consider and evidence-graded management"


def test_cards_from_a_knowledge_base_with_little_in_it() -> None:
    kb = crampkit.structure(
        {
            "version": "t",
            "signs": quiet_signs("s"),
            "sources": [{"id": "s", "title": "T", "publisher": "P", "year": 2020, "url": "https://a", "kind": "trial"}],
            "drug_classes": [
                {
                    "id": "statin-class",  # not a packaged id: a packaged id with other content is a change
                    "name": "Statins",
                    "summary": "s",
                    "fact": "drug-statin",
                    "generic_names": ["atorvastatin"],
                    "sources": ["s"],
                }
            ],
        },
        crampkit.KnowledgeBase,
    )
    cards = _Cards(kb)
    fhir = crampkit.to_profile(bundle(CRAMP, medication_request("m", coding(RXNORM, "83367"))), today=TODAY)
    guidance = crampkit.recommend(fhir.profile, knowledge_base=kb)
    assert [hit.drug_classes for hit in guidance.medications] == [("statin-class",)]  # matched, linked with nothing
    made, _ = cards.patient_view(guidance)
    assert [card["summary"] for card in made] == ["Cramps on record: causes to consider and evidence-graded management"]
    assert "links" not in made[0]
    assert made[0]["source"] == {"label": "crampkit knowledge base"}
    assert "Likely causes" not in made[0]["detail"]
    assert cards.order_select(guidance) == ([], [])


# -- regions and languages: per deployment, and per call ------------------------------------------

DELIRIUM = condition("c3", coding(SNOMED, "2776000"))  # new confusion: its red flag's reason names the services


def confused(extension: object = None) -> dict[str, Any]:
    """A patient-view call for a patient with cramps and delirium on record, with ``extension`` when given."""
    request = hook_request(hookInstance="d8f1c3a0-5b6e-4c2a-9f1d-0e7b2a4c6d88")
    request["prefetch"]["conditions"] = bundle(CRAMP, DELIRIUM)
    if extension is not None:
        request["extension"] = extension
    return request


def cards_text(base_url: str, request: dict[str, Any]) -> str:
    status, body = call(base_url, request)
    assert status == 200, body
    assert body["cards"][0]["indicator"] == "critical"
    return json.dumps(body, ensure_ascii=False)


def test_a_us_deployment_names_911_and_never_999_or_nhs_111(us_url: str) -> None:
    text = cards_text(us_url, confused())
    assert "911" in text
    assert "999" not in text
    assert "NHS 111" not in text


def test_a_uk_deployment_still_names_999(base_url: str) -> None:
    text = cards_text(base_url, confused())
    assert "999" in text
    assert "911" not in text


def test_a_call_can_choose_its_own_region_and_language(base_url: str, us_url: str) -> None:
    to_us = cards_text(base_url, confused({REGION_EXTENSION: "us", LANGUAGE_EXTENSION: "en", "org.example.other": 1}))
    assert "911" in to_us
    assert "999" not in to_us
    to_uk = cards_text(us_url, confused({REGION_EXTENSION: "uk"}))
    assert "999" in to_uk
    assert "911" not in to_uk
    assert cards_text(us_url, confused({})) == cards_text(us_url, confused())  # the deployment's, when not set


@pytest.mark.parametrize(
    ("key", "value", "allowed"),
    [
        (REGION_EXTENSION, "mars", ["uk", "us", "eu", "au"]),
        (REGION_EXTENSION, "US", ["uk", "us", "eu", "au"]),
        (REGION_EXTENSION, 7, ["uk", "us", "eu", "au"]),
        (LANGUAGE_EXTENSION, "xx", ["en"]),
        (LANGUAGE_EXTENSION, None, ["en"]),
    ],
)
def test_an_unknown_region_or_language_for_a_call_is_a_400(
    base_url: str, key: str, value: object, allowed: list[str]
) -> None:
    status, body = call(base_url, confused({key: value}))
    assert status == 400
    assert body["error"] == "invalid request"
    (problem,) = body["problems"]
    assert problem["path"] == ["extension", key]
    assert problem["code"] == "not-allowed-value"
    assert problem["allowed"] == allowed
    assert problem["message"].startswith(f"expected one of {', '.join(allowed)}, got ")
    assert problem.get("suggestion") == {"US": "us"}.get(value)  # type: ignore[call-overload]
    ERROR_BODY.validate(body)


def test_the_extension_must_be_an_object(base_url: str) -> None:
    status, body = call(base_url, confused(["us"]))
    assert status == 400
    assert [(problem["path"], problem["code"]) for problem in body["problems"]] == [(["extension"], "wrong-type")]


def test_the_deployment_region_and_language_are_checked_when_the_app_is_made() -> None:
    with pytest.raises(crampkit.InvalidInputError) as info:
        create_app(auth=AUTH, region="mars", language="xx")
    assert [(problem.path, problem.code.value, problem.allowed) for problem in info.value.problems] == [
        (("region",), "not-allowed-value", ("uk", "us", "eu", "au")),
        (("language",), "not-allowed-value", ("en",)),
    ]


def test_two_items_of_one_category_stay_apart_on_the_clinicians_card() -> None:
    """Found by a blind review: "Medication review" twice hid that quinine was on record and due for review.

    Items whose names speak to the patient ("Have your quinine reviewed") are named by category and id.
    """
    profile = crampkit.load_profile(
        {"age": 81, "medications": ["atorvastatin", "quinine", "hydrochlorothiazide"], "cramps": {"reported": True}}
    )
    made, _ = _Cards(crampkit.default_knowledge_base()).patient_view(crampkit.recommend(profile))
    ranked = [line for line in made[-1]["detail"].splitlines() if line.endswith(")") and "(certainty" in line]
    assert len(ranked) == len(set(ranked)) >= 2
    assert any("quinine review" in line for line in ranked)
    assert not any("Medication review: medication review" in line for line in ranked)  # said once, not twice


def test_medicines_crampkit_does_not_know_get_a_warning_card_of_their_own() -> None:
    """Found by a blind review: ibuprofen, lithium and apixaban sent as RxNorm codes crampkit does not map were named
    only at the foot of an information card, so the missing interaction warnings went unnoticed.
    """
    profile = crampkit.load_profile(
        {"age": 70, "medications": ["RxNorm 0000001", "atorvastatin"], "cramps": {"reported": True}}
    )
    guidance = crampkit.recommend(profile)
    cards = _Cards(crampkit.default_knowledge_base())
    for made, _ in (cards.patient_view(guidance), cards.order_select(guidance)):
        warning = next(card for card in made if card["summary"].startswith("Medicines not checked"))
        assert warning["indicator"] == "warning"
        assert "RxNorm 0000001" in warning["summary"]
        assert "anticoagulant" in warning["detail"]
    known = crampkit.recommend(crampkit.load_profile({"age": 70, "medications": ["atorvastatin"]}))
    assert not any(card["summary"].startswith("Medicines not checked") for card in cards.patient_view(known)[0])
