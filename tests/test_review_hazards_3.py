"""Worked examples for the third round of the blind clinical review of knowledge base 2027.04.

Each example is a profile the reviewers ran (or a close variant of it), with the clinical reason for
the expected answer and the source ids behind it. Fixed in knowledge base 2027.04 (third round).
"""

import pytest

import crampkit
from crampkit import Urgency
from hazardkit import KB, flag_ids, recommend_for, recommended_ids

# -- 1. A baby's safety net and short form -----------------------------------------------------------------


@pytest.mark.parametrize("symptom", ["muscle-twitching", "hand-or-foot-spasm", "fever"])
def test_a_babys_watch_for_line_speaks_of_a_baby(symptom: str) -> None:
    # The reviewers' 5-month-old got only adult lines ("if you take lithium", "if you also tingle around
    # the mouth", "you pee very little"). A spasm or twitch under 2 needs a doctor the same day (nice-ng217);
    # 999 for a fit, a baby who will not wake or struggles to breathe (nhs-baby-seriously-ill); a fever
    # under 3 months is an emergency, under 6 months a same-day check (nice-ng143, nhs-healthier-together-fever).
    guidance = recommend_for({"age": 0, "age_months": 5, "symptoms": [symptom]})
    (line,) = (net for net in guidance.safety_net if net.symptom.value == symptom)
    assert "baby" in line.watch_for
    assert "999" in line.watch_for
    assert "will not wake" in line.watch_for


def test_the_infant_flags_short_form_keeps_the_999_clause() -> None:
    # The short format shows only `short`; it must still say when to call 999 (nhs-baby-seriously-ill).
    guidance = recommend_for({"age": 0, "age_months": 5, "symptoms": ["muscle-twitching"]})
    assert guidance.triage is Urgency.URGENT
    assert "infant-spasms-or-twitching" in flag_ids(guidance)
    short = crampkit.to_short(guidance)
    assert "call 999 if a fit" in short
    for flag in ("infant-spasms-or-twitching", "infant-repeated-spasms"):
        assert "{emergency}" in (KB.by_id[flag].short or "")  # type: ignore[union-attr]


# -- 2. Tummy cramps in pregnancy: the short form keeps the triggers -----------------------------------------


def test_the_short_form_of_tummy_cramps_in_pregnancy_names_the_triggers() -> None:
    # NHS stomach pain in pregnancy: call the maternity unit at once with bleeding or regular cramps
    # (back pain and more are in the full advice); 999 for severe pain or feeling faint
    # (nhs-stomach-pain-pregnancy). The short form keeps the flag's own disposition too (SOON: within a
    # day or two), which it lost in the third round's first wording (found in review of the merge).
    profile = {"age": 29, "sex": "female", "pregnant": True, "pregnancy_weeks": 24, "cramps": {"sites": ["abdomen"]}}
    guidance = recommend_for(profile)
    assert guidance.triage is Urgency.SOON
    assert "pregnancy-abdominal-cramps" in flag_ids(guidance)
    short = crampkit.to_short(guidance)
    for trigger in ("Midwife in 1-2 days", "now if bleeding", "regular cramps", "999 if severe/faint"):
        assert trigger in short


# -- 3. Cirrhosis and alcohol ----------------------------------------------------------------------------------


def test_cirrhosis_and_heavy_drinking_is_told_to_stop_with_support_not_cut_down() -> None:
    # With cirrhosis the NHS recommends stopping alcohol for life, with help to stop safely; the
    # 14-units low-risk limit does not apply (nhs-arld-treatment).
    profile = {
        "age": 55,
        "conditions": ["cirrhosis"],
        "habits": {"alcohol_units_per_week": 60},
        "cramps": {"sites": ["calf"], "timing": ["night"]},
    }
    guidance = recommend_for(profile)
    recommended = recommended_ids(guidance)
    assert "stop-alcohol-with-cirrhosis" in recommended
    assert "cut-down-alcohol" not in recommended
    # the short form keeps the warning against stopping suddenly after heavy drinking (withdrawal; found by the
    # sixth blind review: the short form had dropped it)
    assert "not suddenly" in crampkit.to_short(guidance)


def test_heavy_drinking_without_cirrhosis_keeps_the_cut_down_advice() -> None:
    recommended = recommended_ids(recommend_for({"age": 55, "habits": {"alcohol_units_per_week": 60}}))
    assert "cut-down-alcohol" in recommended
    assert "stop-alcohol-with-cirrhosis" not in recommended


# -- 4. Disprin ----------------------------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["Disprin", "aspirin"])
def test_disprin_is_aspirin_and_flags_a_stomach_ulcer(name: str) -> None:
    # Disprin dispersible tablets hold aspirin alone (emc-disprin-smpc); with a stomach ulcer, aspirin needs a
    # doctor's or pharmacist's advice first (nhs-low-dose-aspirin).
    guidance = recommend_for({"age": 50, "conditions": ["stomach-ulcer-or-bleeding"], "medications": [name]})
    assert guidance.unrecognized_medications == ()
    assert guidance.triage is Urgency.SOON
    assert "aspirin-with-stomach-ulcer" in flag_ids(guidance)


def test_an_unchecked_disprin_product_is_still_named_as_not_checked() -> None:
    # Only plain Disprin was checked at emc; another product's extra word is not read, so a pharmacist is asked.
    assert crampkit.match_medications(["Disprin Extra"], KB).unrecognized == ("Disprin Extra",)


# -- 5. Aspirin in pregnancy: the short form leads with aspirin taken for pain -----------------------------


def test_the_short_form_of_aspirin_in_pregnancy_leads_with_the_painkiller_case() -> None:
    # Aspirin for pain is not advised in pregnancy, while low-dose aspirin a doctor or midwife advised is
    # kept (nhs-low-dose-aspirin-pregnancy, bumps-low-dose-aspirin); the short form may not tell anyone to
    # take a medicine (safety floor).
    guidance = recommend_for({"age": 30, "pregnant": True, "pregnancy_weeks": 32, "medications": ["aspirin"]})
    assert "aspirin-in-pregnancy" in flag_ids(guidance)
    short = KB.by_id["aspirin-in-pregnancy"].short or ""  # type: ignore[union-attr]
    assert short.startswith("Aspirin for pain: do not take more")
    assert "Keep prescribed low-dose" in short
