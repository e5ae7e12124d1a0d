"""Worked examples for the fourth round of the blind clinical review of knowledge base 2027.04.

Each example is a profile the reviewers ran (or a close variant of it), with the clinical reason for
the expected answer and the source ids behind it. Fixed in knowledge base 2027.04 (fourth round).
"""

from typing import Any

import pytest

import crampkit
from crampkit import Urgency
from hazardkit import KB, LEG_SELF_CARE, flag_ids, recommend_for, recommended_ids

# Advice that the emergency flags leave out: a person waiting for an ambulance is not told to stretch,
# rub, walk about, warm or cool a muscle, or exercise.


# -- 1. Aspirin with an anticoagulant --------------------------------------------------------------------------


@pytest.mark.parametrize(
    "medicines",
    [["Marevan", "Anadin Extra"], ["Disprin", "warfarin"], ["aspirin 75 mg", "apixaban"]],
)
def test_aspirin_with_a_blood_thinner_is_flagged(medicines: list[str]) -> None:
    # On warfarin, do not take aspirin or medicines containing it: it could lead to bleeding
    # (nhs-warfarin-interactions); warfarin and other clot-preventing medicines with aspirin might cause
    # bleeding problems (nhs-low-dose-aspirin-other-medicines). Low-dose aspirin may be prescribed with a
    # blood thinner on purpose, so the advice keeps that and leaves out only the ibuprofen item.
    guidance = recommend_for({"age": 60, "sex": "male", "medications": medicines, "cramps": {"sites": ["calf"]}})
    assert guidance.triage is Urgency.SOON
    assert "aspirin-with-anticoagulant" in flag_ids(guidance)
    assert "ibuprofen-after" not in recommended_ids(guidance)
    short = crampkit.to_short(guidance)
    assert "No more aspirin for pain" in short
    assert "keep prescribed low-dose" in short


def test_a_blood_thinner_alone_is_not_an_aspirin_warning() -> None:
    # The flag needs both medicines: warfarin alone is not an aspirin interaction (nhs-warfarin-interactions).
    guidance = recommend_for({"age": 60, "sex": "male", "medications": ["Marevan"], "cramps": {"sites": ["calf"]}})
    assert "aspirin-with-anticoagulant" not in flag_ids(guidance)


# -- 2. and 3. Severe tummy pain: no stretching; in early pregnancy, 999 rather than the maternity unit --------


@pytest.mark.parametrize("weeks", [6, 19, 30, None])
def test_severe_tummy_pain_gets_no_stretching_and_goes_to_999(weeks: int | None) -> None:
    # Sudden severe tummy pain is an emergency (nhs-stomach-ache); early in pregnancy it can be an ectopic
    # pregnancy, which needs 999 (nhs-ectopic-pregnancy), so no maternity-unit wait. An emergency flag's
    # person is not told to stretch or rub a muscle while waiting (as for the other emergency flags).
    profile: dict[str, Any] = {"age": 28, "sex": "female", "symptoms": ["severe-abdominal-pain"]}
    if weeks is not None:
        profile["pregnancy_weeks"] = weeks
    guidance = recommend_for(profile)
    assert guidance.triage is Urgency.EMERGENCY
    assert "sign-severe-abdominal-pain" in flag_ids(guidance)
    categories = {item.category.value for item in guidance.recommendations}
    assert not categories & LEG_SELF_CARE
    short = crampkit.to_short(guidance)
    assert "Call 999 or go to A&E now" in short
    assert "maternity unit" not in short
    if weeks is not None:
        assert "pregnancy-severe-abdominal-pain" in flag_ids(guidance)
        assert "say you are pregnant" in short


def test_severe_tummy_pain_in_pregnancy_names_the_early_pregnancy_unit_not_only_the_maternity_unit() -> None:
    # Before 20 weeks the NHS names a GP or early pregnancy unit, not the maternity unit
    # (nhs-stomach-pain-pregnancy); 999 or A&E comes first (nhs-ectopic-pregnancy, nhs-stomach-ache).
    advice = KB.by_id["pregnancy-severe-abdominal-pain"].advice  # type: ignore[union-attr]
    assert advice.startswith("Call {emergency} or go to {emergency_department} now")
    assert "before 20 weeks your {doctor_practice} or early pregnancy unit" in advice


# -- 4. A tight chest with arm cramp, sweating or breathlessness ----------------------------------------------


@pytest.mark.parametrize(
    ("symptoms", "sites"),
    [
        (["chest-tightness"], ["arm"]),
        (["chest-tightness", "heavy-sweating"], []),
        (["chest-tightness", "vomiting"], []),
        (["chest-tightness"], ["back"]),
    ],
)
def test_a_tight_chest_with_a_heart_attack_companion_is_an_emergency(symptoms: list[str], sites: list[str]) -> None:
    # The NHS describes a heart attack's chest pain as pressure, heaviness, tightness or squeezing across
    # the chest, spreading to the arms, neck and back, with sweating or sickness: call 999
    # (nhs-heart-attack-symptoms; hse-chest-pain). An arm "cramp" with a tight chest is not stretched.
    profile: dict[str, Any] = {"age": 62, "sex": "male", "symptoms": symptoms}
    if sites:
        profile["cramps"] = {"sites": sites}
    guidance = recommend_for(profile)
    assert guidance.triage is Urgency.EMERGENCY
    assert "possible-heart-attack-tight-chest" in flag_ids(guidance)
    assert not {item.category.value for item in guidance.recommendations} & (LEG_SELF_CARE | {"pain-relief"})
    assert crampkit.to_short(guidance).startswith("Triage: EMERGENCY\nNow: Call 999 now.")


def test_a_tight_chest_with_a_calf_cramp_stays_urgent() -> None:
    # A calf cramp is not one of the heart-attack companions: the sign's own same-day advice stands
    # (sign-chest-tightness: hse-chest-pain, nhs-shortness-of-breath).
    guidance = recommend_for({"age": 62, "sex": "male", "symptoms": ["chest-tightness"], "cramps": {"sites": ["calf"]}})
    assert guidance.triage is Urgency.URGENT
    assert "possible-heart-attack-tight-chest" not in flag_ids(guidance)


# -- 5. RxNorm ingredient codes --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("code", "flag"), [("7258", "nsaid-with-anticoagulant"), ("1191", "aspirin-with-anticoagulant")]
)
def test_rxnorm_ingredient_codes_of_naproxen_and_aspirin_are_recognised(code: str, flag: str) -> None:
    # The HL7 PDDI CDS value sets list RxNorm 7258 "Naproxen" and 1191 "Aspirin" (codes.toml sources
    # hl7-pddi-naproxen, hl7-pddi-aspirin). With warfarin (RxNorm 11289) each reaches its interaction flag
    # (nhs-choices-ibuprofen-interactions; nhs-warfarin-interactions).
    guidance = recommend_for(
        {"age": 60, "sex": "male", "medications": [f"RxNorm {code}", "RxNorm 11289"], "cramps": {"sites": ["calf"]}}
    )
    assert guidance.unrecognized_medications == ()
    assert flag in flag_ids(guidance)
    assert guidance.triage is Urgency.SOON
