"""Any JSON sent to the CDS Hooks service gives cards or a 4xx with crampkit's own problems, never a crash (issue 21).

The service's work is called directly (no HTTP), with hostile values placed
where each part of a request goes: the body, the context, the prefetch, one
resource of a Bundle, one element of a resource.
"""

import copy
import datetime as dt
import json
from typing import Any

from hypothesis import given
from hypothesis import strategies as st

from crampkit import ProblemCode
from crampkit.knowledge.load import default_knowledge_base
from crampkit.server import ORDER_SELECT_ID, PATIENT_VIEW_ID, Limits
from crampkit.server._app import _Service
from crampkit.server._errors import MAX_ERROR_BYTES, BadRequestError, bounded
from fhirkit import RXNORM, bundle, coding, hook_request, medication_request
from strategies import json_values

SERVICE = _Service(default_knowledge_base(), Limits(), lambda: dt.date(2026, 11, 25), "uk", "en")
CODES = {code.value for code in ProblemCode}
PLACES = [
    (),
    ("context",),
    ("prefetch",),
    ("prefetch", "patient"),
    ("prefetch", "conditions", "entry", 0),
    ("prefetch", "conditions", "entry", 0, "resource", "code"),
    ("prefetch", "medicationRequests", "entry", 1, "resource", "medicationCodeableConcept", "text"),
    ("prefetch", "patient", "birthDate"),
    ("extension",),
]


ORDER_PLACES = [
    ("context", "draftOrders"),
    ("context", "draftOrders", "entry"),
    ("context", "draftOrders", "entry", 0),
    ("context", "draftOrders", "entry", 0, "resource", "medicationCodeableConcept"),
    ("context", "selections"),
    ("context", "selections", 0),
]


def _order_select() -> dict[str, Any]:
    new = {**medication_request("new", coding(RXNORM, "83367", "atorvastatin 20 MG Oral Tablet")), "status": "draft"}
    request = hook_request(hook="order-select")
    request["context"] |= {"selections": ["MedicationRequest/new"], "draftOrders": bundle(new)}
    return request


def _placed(place: tuple[str | int, ...], value: object, service: str = PATIENT_VIEW_ID) -> object:
    request: Any = copy.deepcopy(hook_request() if service == PATIENT_VIEW_ID else _order_select())  # shared parts
    if not place:
        return value
    here = request
    for step in place[:-1]:
        here = here[step]
    here[place[-1]] = value
    return request


@given(
    st.sampled_from([(PATIENT_VIEW_ID, place) for place in PLACES] + [(ORDER_SELECT_ID, p) for p in ORDER_PLACES]),
    json_values,
)
def test_any_json_anywhere_gives_cards_or_crampkits_own_problems(
    where: tuple[str, tuple[str | int, ...]], value: object
) -> None:
    service, place = where
    body = json.dumps(_placed(place, value, service)).encode()
    try:
        count, encoded = SERVICE.answer(SERVICE.read(service, body))
    except BadRequestError as error:
        assert error.status in {400, 412}
        shown = bounded(error.body, Limits().max_problems)
        assert len(json.dumps(shown).encode()) <= MAX_ERROR_BYTES
        assert all(problem["code"] in CODES for problem in shown.get("problems", []))
        assert not any("Value error" in problem["message"] for problem in shown.get("problems", []))
    else:
        assert len(json.loads(encoded)["cards"]) == count


def test_the_order_select_request_of_these_properties_gives_cards() -> None:
    count, _ = SERVICE.answer(SERVICE.read(ORDER_SELECT_ID, json.dumps(_order_select()).encode()))
    assert count
