"""The answers the CDS Hooks service keeps (issue 21, deliverable 8): the same cards, byte for byte, with new uuids.

A call whose patient data was seen before is answered from the answer kept
for it; only the ``hookInstance`` (in every card's uuid) and the user who
opened the chart may differ. Anything else that changes the cards (the
FHIR, the context, the region, the language, the date) is another answer.
"""

import datetime as dt
import json
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

import crampkit
from crampkit.knowledge.load import default_knowledge_base
from crampkit.render.cds_hooks import CardBuilder, card_uuid
from crampkit.server import ORDER_SELECT_ID, PATIENT_VIEW_ID, Limits
from crampkit.server._answers import Answers, Kept, encode_cards, key
from crampkit.server._app import _Service
from crampkit.server._cards import Cards
from crampkit.server._errors import BadRequestError
from fhirkit import ICD10, STATIN, THIAZIDE, bundle, coding, condition, hook_request, patient
from strategies import json_values

KB = default_knowledge_base()
TODAY = dt.date(2026, 12, 7)
CARDS = Cards(KB)
GUIDANCE = [
    crampkit.recommend(crampkit.Profile()),
    crampkit.recommend(
        crampkit.load_profile(
            {
                "age": 70,
                "medications": ["hydrochlorothiazide", "atorvastatin"],
                "conditions": ["chronic-kidney-disease"],
            }
        )
    ),
    crampkit.recommend(crampkit.load_profile({"age": 55, "symptoms": ["calf-swelling", "breathlessness"]})),
]


def _service(limits: Limits | None = None, today: dt.date = TODAY) -> _Service:
    return _Service(KB, limits or Limits(), lambda: today, "uk", "en")


def _body(**overrides: Any) -> bytes:
    request = hook_request(**overrides)
    request["prefetch"]["medicationRequests"] = bundle(THIAZIDE, STATIN)
    return json.dumps(request).encode()


@given(st.sampled_from(GUIDANCE), st.text(min_size=1), st.booleans())
def test_a_kept_answer_is_byte_for_byte_the_cards_with_the_calls_uuids(
    guidance: crampkit.Guidance, instance: str, order_select: bool
) -> None:
    cards, names = CARDS.order_select(guidance) if order_select else CARDS.patient_view(guidance)
    with_uuids = [{**card, "uuid": card_uuid(f"{instance}/{name}")} for card, name in zip(cards, names, strict=True)]
    assert Kept.of(cards, names).encoded(instance) == encode_cards(with_uuids)


@given(st.sampled_from(GUIDANCE), st.text(min_size=1))
def test_a_card_uuid_is_the_builders_with_the_instance(guidance: crampkit.Guidance, instance: str) -> None:
    """The uuid a kept answer gives a call is the one a card builder made for that call would give."""
    without, within = CardBuilder(guidance, KB), CardBuilder(guidance, KB, instance=instance)
    assert within.self_care()["uuid"] == card_uuid(f"{instance}/{without.self_care() and without.uuid_names[-1]}")


def test_the_same_patient_again_is_answered_from_the_kept_answer_with_its_own_uuids() -> None:
    service = _service()
    first = service.answer(service.read(PATIENT_VIEW_ID, _body()))
    again = service.read(
        PATIENT_VIEW_ID, _body(hookInstance="another-call", context={"userId": "Practitioner/2", "patientId": "p1"})
    )
    second = service.answer(again)
    assert (service.answers.hits, service.answers.misses, len(service.answers)) == (1, 1, 1)
    cards = [json.loads(body)["cards"] for _, body in (first, second)]
    assert first[0] == second[0] == len(cards[0]) >= 1
    assert [card["uuid"] for card in cards[0]] != [card["uuid"] for card in cards[1]]
    assert [{**card, "uuid": ""} for card in cards[0]] == [{**card, "uuid": ""} for card in cards[1]]


def test_the_kept_answer_is_the_one_worked_out_afresh() -> None:
    """Found nothing, by design: with no answers kept (``cached_answers=0``) the bytes are the same."""
    kept, fresh = _service(), _service(Limits(cached_answers=0))
    for _ in range(2):
        body = _body(hookInstance="call-1")
        assert kept.answer(kept.read(PATIENT_VIEW_ID, body)) == fresh.answer(fresh.read(PATIENT_VIEW_ID, body))
    assert (kept.answers.hits, len(kept.answers), fresh.answers.hits, len(fresh.answers)) == (1, 1, 0, 0)


@pytest.mark.parametrize(
    "change",
    [
        pytest.param(lambda r: r["prefetch"]["patient"].update(birthDate="1990-03-01"), id="the FHIR"),
        pytest.param(
            lambda r: r["prefetch"].update(conditions=bundle(condition("c9", coding(ICD10, "N18.4")))), id="a condition"
        ),
        pytest.param(
            lambda r: r["context"].update(patientId="p2") or r["prefetch"].update(patient=patient("p2")),
            id="the patient",
        ),
        pytest.param(lambda r: r.update(extension={"crampkit.region": "us"}), id="the region"),
        pytest.param(lambda r: r.update(extension={"crampkit.region": "au"}), id="another region"),
    ],
)
def test_anything_the_cards_depend_on_is_another_answer(change: Any) -> None:
    service = _service()
    request = hook_request()
    service.answer(service.read(PATIENT_VIEW_ID, json.dumps(request).encode()))
    change(request)
    service.answer(service.read(PATIENT_VIEW_ID, json.dumps(request).encode()))
    assert (service.answers.hits, len(service.answers)) == (0, 2)


def test_another_day_is_another_answer() -> None:
    """Ages are counted on the day of the call: a birthday changes the cards (a 17-year-old turns 18)."""
    keys = {
        key(PATIENT_VIEW_ID, {"region": "uk"}, day, {"patientId": "p1"}, {}) for day in (TODAY, TODAY + dt.timedelta(1))
    }
    assert len(keys) == 2


@given(json_values, json_values)
def test_keys_are_equal_only_for_equal_data(first: Any, second: Any) -> None:
    def digest(value: Any) -> bytes:
        return key(
            PATIENT_VIEW_ID, {"region": "uk", "language": "en"}, TODAY, {"patientId": "p1", "x": value}, {"y": value}
        )

    assert (digest(first) == digest(second)) == (json.dumps(first) == json.dumps(second))


def test_the_user_is_not_part_of_the_key_and_nothing_else_is_left_out() -> None:
    context = {"patientId": "p1", "userId": "Practitioner/1", "encounterId": "e1"}
    same = key(PATIENT_VIEW_ID, {}, TODAY, {**context, "userId": "Practitioner/2"}, {})
    assert key(PATIENT_VIEW_ID, {}, TODAY, context, {}) == same
    assert key(PATIENT_VIEW_ID, {}, TODAY, {**context, "encounterId": "e2"}, {}) != same
    assert key(ORDER_SELECT_ID, {}, TODAY, context, {}) != same


def test_the_least_recently_used_answer_is_forgotten_first() -> None:
    answers = Answers(2)
    kept = Kept((), ())
    answers.put(b"a", kept)
    answers.put(b"b", kept)
    assert answers.get(b"a") is kept  # a is now the most recently used
    answers.put(b"c", kept)
    assert (answers.get(b"b"), answers.get(b"a"), answers.get(b"c"), len(answers)) == (None, kept, kept, 2)
    nothing = Answers(0)
    nothing.put(b"a", kept)
    assert (nothing.get(b"a"), len(nothing)) == (None, 0)


def test_answers_hold_at_most_their_bytes_and_a_large_one_is_never_kept() -> None:
    """Found in review: answers echo input (unrecognised medicine names), so a count alone does not bound memory."""
    answers = Answers(100, max_bytes=1_600)
    small, large = Kept(("n",), (b"x" * 99,)), Kept(("n",), (b"x" * 100,))  # 100 and 101 bytes
    answers.put(b"large", large)  # over a sixteenth of the bytes: never kept
    for index in range(20):
        answers.put(bytes([index]), small)
    assert (answers.get(b"large"), len(answers), answers.bytes) == (None, 16, 1_600)
    assert answers.get(bytes([3])) is None  # the least recently used went first
    assert answers.get(bytes([4])) is small
    answers.put(bytes([4]), small)  # kept again: counted once
    assert (len(answers), answers.bytes) == (16, 1_600)


def test_a_kept_answer_is_still_refused_without_a_valid_request() -> None:
    """Keeping answers never skips the checks: a bad call after a good one with the same data is still a 400."""
    service = _service()
    service.answer(service.read(PATIENT_VIEW_ID, _body()))
    request = json.loads(_body())
    del request["hookInstance"]
    with pytest.raises(BadRequestError, match="invalid request"):
        service.read(PATIENT_VIEW_ID, json.dumps(request).encode())
