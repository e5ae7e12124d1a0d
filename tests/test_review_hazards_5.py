"""Worked examples for the fifth round of the blind clinical review of knowledge base 2027.04.

Each example is a profile the reviewers ran (or a close variant of it), with the clinical reason for
the expected answer and the source ids behind it. Fixed in knowledge base 2027.04 (fifth round).
"""

import crampkit
from crampkit import Urgency
from hazardkit import LEG_SELF_CARE, categories_of, flag_ids, recommend_for

# Leg-cramp self-care that a flag sending someone for same-day or emergency care leaves out.


# -- 1. Tummy cramps with vaginal bleeding when pregnancy is not known ------------------------------------------


def test_tummy_cramps_with_vaginal_bleeding_are_urgent() -> None:
    # Unusual vaginal bleeding with tummy pain after a missed period can be an ectopic pregnancy: an urgent GP
    # appointment or NHS 111 (nhs-bleeding-between-periods, nhs-ectopic-pregnancy). crampkit cannot know
    # whether the period is late, so the flag is worded for "if you could be pregnant" and leaves out
    # leg-cramp self-care.
    guidance = recommend_for(
        {"age": 25, "sex": "female", "cramps": {"sites": ["abdomen"]}, "symptoms": ["vaginal-bleeding"]}
    )
    assert guidance.triage is Urgency.URGENT
    assert "vaginal-bleeding-with-tummy-cramps" in flag_ids(guidance)
    assert not categories_of(guidance) & LEG_SELF_CARE
    assert "Could you be pregnant?" in crampkit.to_short(guidance)


def test_calf_cramps_with_vaginal_bleeding_are_not_the_tummy_flag() -> None:
    # Without tummy cramps or pain the bleeding keeps its own sign's routine advice (nhs-bleeding-between-periods).
    guidance = recommend_for(
        {"age": 25, "sex": "female", "cramps": {"sites": ["calf"]}, "symptoms": ["vaginal-bleeding"]}
    )
    assert guidance.triage is Urgency.ROUTINE
    assert "vaginal-bleeding-with-tummy-cramps" not in flag_ids(guidance)


# -- 4. Brands recognised from their emc SmPCs -----------------------------------------------------------------


def test_cuprofen_with_warfarin_is_an_nsaid_with_a_blood_thinner() -> None:
    # Cuprofen Tablets 400 mg (Cuprofen Maximum Strength) hold ibuprofen alone (emc-cuprofen-400-smpc); an NSAID
    # with a blood thinner is flagged (nhs-ibuprofen).
    guidance = recommend_for(
        {"age": 60, "sex": "male", "medications": ["Cuprofen", "warfarin"], "cramps": {"sites": ["calf"]}}
    )
    assert "nsaid-with-anticoagulant" in flag_ids(guidance)


def test_nu_seals_with_apixaban_is_aspirin_with_a_blood_thinner() -> None:
    # Nu-Seals 75 holds acetylsalicylic acid alone (emc-nu-seals-75-smpc); aspirin with a blood thinner is
    # flagged (nhs-low-dose-aspirin-other-medicines).
    guidance = recommend_for(
        {"age": 60, "sex": "male", "medications": ["Nu-Seals 75", "apixaban"], "cramps": {"sites": ["calf"]}}
    )
    assert "aspirin-with-anticoagulant" in flag_ids(guidance)
