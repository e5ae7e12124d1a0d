"""Worked examples for the High findings of the blind clinical review of knowledge base 2027.04.

Each example is a profile the reviewers ran (or a close variant of it), with the clinical reason for
the expected answer and the source ids behind it. Fixed in knowledge base 2027.04 (second round).
"""

from typing import Any

import pytest

import crampkit
from crampkit import Category, Urgency
from hazardkit import KB, LEG_SELF_CARE, NSAID_GIVEN, flag_ids, recommend_for, recommended_ids

SELF_CARE = LEG_SELF_CARE | {Category.PAIN_RELIEF, Category.SLEEP_POSITION, Category.BEDDING}


# -- 1. Any cramp, spasm or twitching in a child under 2 ---------------------------------------------------


@pytest.mark.parametrize(("age", "months"), [(0, 2), (0, 4), (1, 14), (0, None)])
@pytest.mark.parametrize(
    "reported",
    [
        {"symptoms": ["muscle-twitching"]},  # the reviewers' 4-month-old: was self-care, "Comfort your child"
        {"symptoms": ["hand-or-foot-spasm"]},  # the reviewers' 2-month-old: was routine, adult calcium wording
        {"cramps": {"sites": ["hand"]}},
        {"cramps": {"sites": ["foot"]}},
        {"cramps": {"sites": ["calf"]}},
        {"cramps": {"sites": ["thigh"]}},
        {"cramps": {"sites": ["toes"]}},
        {"cramps": {"reported": True}},
    ],
)
def test_any_spasm_or_twitching_in_a_child_under_2_needs_a_doctor_today(
    age: int, months: int | None, reported: dict[str, Any]
) -> None:
    # At this age a spasm, jerk or twitch may be a fit such as infantile spasms: NICE gives suspected
    # infantile spasms under 2 immediate referral (nice-ng217); 999 for a fit, a baby who will not wake or
    # struggles to breathe (nhs-baby-seriously-ill). Growing-pains comfort (nhs-growing-pains) is not for them.
    profile: dict[str, Any] = {"age": age, **reported}
    if months is not None:
        profile["age_months"] = months
    guidance = recommend_for(profile)
    assert guidance.triage is Urgency.URGENT
    assert "infant-spasms-or-twitching" in flag_ids(guidance)
    assert "comfort-young-child" not in recommended_ids(guidance)
    assert not {item.category for item in guidance.recommendations} & SELF_CARE


def test_a_twitching_baby_with_a_fit_is_an_emergency() -> None:
    guidance = recommend_for({"age": 0, "age_months": 4, "symptoms": ["muscle-twitching", "seizure"]})
    assert guidance.triage is Urgency.EMERGENCY
    assert "infant-twitching-with-seizure-or-breathing-trouble" in flag_ids(guidance)


def test_a_two_year_old_with_a_calf_cramp_keeps_the_young_child_advice() -> None:
    # The under-2 rule stops at 2 (nice-ng217); a young child's cramp is a routine visit, with comfort
    # while waiting (govuk-health-visiting-0-5, nhs-growing-pains).
    guidance = recommend_for({"age": 2, "cramps": {"sites": ["calf"]}})
    assert guidance.triage is Urgency.ROUTINE
    assert "infant-spasms-or-twitching" not in flag_ids(guidance)
    assert "comfort-young-child" in recommended_ids(guidance)


# -- 2. Medicine names -------------------------------------------------------------------------------------


@pytest.mark.parametrize("blood_thinner", ["Marevan", "warfarin"])
def test_marevan_is_warfarin_and_flags_an_nsaid(blood_thinner: str) -> None:
    # Marevan tablets hold warfarin sodium (emc-marevan-smpc); an NSAID with an anticoagulant raises the
    # bleeding risk (nhs-ibuprofen, scot-polypharmacy-nsaids).
    guidance = recommend_for({"age": 70, "medications": [blood_thinner, "Advil"]})
    assert guidance.unrecognized_medications == ()
    assert guidance.triage is Urgency.SOON
    assert "nsaid-with-anticoagulant" in flag_ids(guidance)
    assert not recommended_ids(guidance) & NSAID_GIVEN


@pytest.mark.parametrize(
    ("name", "classes"),
    [
        ("Tylenol", {"paracetamol"}),  # acetaminophen alone (fda-tylenol-label)
        ("Anadin Original", {"antiplatelets", "aspirin"}),  # aspirin and caffeine (emc-anadin-original-smpc)
        ("Anadin Extra", {"antiplatelets", "aspirin", "paracetamol"}),  # (emc-anadin-extra-smpc)
    ],
)
def test_checked_brands_resolve_to_their_ingredients(name: str, classes: set[str]) -> None:
    match = crampkit.match_medications([name], KB)
    assert match.unrecognized == ()
    assert set(match.classes[name]) == classes


@pytest.mark.parametrize("name", ["Anadin", "Feminax"])
def test_brands_of_several_ingredient_sets_stay_unrecognised(name: str) -> None:
    # Anadin products hold aspirin, ibuprofen or paracetamol, Feminax ones naproxen, ibuprofen or
    # paracetamol with codeine: the brand alone names no one ingredient set, so a pharmacist is asked.
    assert crampkit.match_medications([name], KB).unrecognized == (name,)


# -- 3. Aspirin, whatever the dose -------------------------------------------------------------------------


@pytest.mark.parametrize("medicine", ["aspirin 300mg", "aspirin 75mg", "Anadin Original"])
@pytest.mark.parametrize("weeks", [12, 32, None])
def test_aspirin_in_pregnancy_is_a_routine_question_that_keeps_prescribed_aspirin(
    medicine: str, weeks: int | None
) -> None:
    # Low-dose aspirin advised by the obstetrician, midwife or GP is safe and must not be stopped
    # (nhs-low-dose-aspirin-pregnancy, bumps-low-dose-aspirin); painkiller doses are not recommended in
    # pregnancy (nhs-antiplatelets-low-dose-aspirin-2012). crampkit reads no dose: the advice covers both.
    profile: dict[str, Any] = {"age": 30, "pregnant": True, "medications": [medicine]}
    if weeks is not None:
        profile["pregnancy_weeks"] = weeks
    guidance = recommend_for(profile)
    assert guidance.triage >= Urgency.ROUTINE
    flag = next(hit for hit in guidance.red_flags if hit.id == "aspirin-in-pregnancy")
    assert "keep taking it exactly as they told you" in flag.advice
    assert "do not take any more of it" in flag.advice
    assert not recommended_ids(guidance) & NSAID_GIVEN


@pytest.mark.parametrize("age", [2, 10, 15])
def test_aspirin_under_16_is_a_soon_warning(age: int) -> None:
    # Never give aspirin to children under 16 unless their doctor prescribes it (Reye's syndrome;
    # nhs-low-dose-aspirin, nhs-antiplatelets-low-dose-aspirin-2012).
    guidance = recommend_for({"age": age, "medications": ["aspirin"]})
    assert guidance.triage >= Urgency.SOON
    assert "aspirin-under-16" in flag_ids(guidance)
    flag = KB.get("aspirin-under-16")
    assert isinstance(flag, crampkit.RedFlag)
    assert "If a doctor prescribed the aspirin, keep giving it" in flag.advice
    assert not recommended_ids(guidance) & NSAID_GIVEN


def test_aspirin_at_16_raises_no_age_warning() -> None:
    guidance = recommend_for({"age": 16, "medications": ["aspirin"]})
    assert "aspirin-under-16" not in flag_ids(guidance)


def test_aspirin_with_a_stomach_ulcer_is_a_soon_warning() -> None:
    # People who have had a stomach ulcer tell their doctor or pharmacist before taking aspirin as a
    # painkiller (nhs-low-dose-aspirin); prescribed low-dose aspirin is not stopped on crampkit's word.
    guidance = recommend_for({"age": 50, "conditions": ["stomach-ulcer-or-bleeding"], "medications": ["aspirin"]})
    assert guidance.triage is Urgency.SOON
    assert "aspirin-with-stomach-ulcer" in flag_ids(guidance)
    assert not recommended_ids(guidance) & NSAID_GIVEN


# -- 4. Paracetamol stays under the NSAID warnings ----------------------------------------------------------


def test_paracetamol_stays_available_for_a_pregnant_woman_on_nurofen() -> None:
    # The NSAID warnings leave out the NSAID item only (bumps-ibuprofen); paracetamol is the usual
    # painkiller in pregnancy (nhs-paracetamol) and nothing else here leaves it out.
    guidance = recommend_for({"age": 30, "pregnant": True, "pregnancy_weeks": 30, "medications": ["Nurofen"]})
    assert "nsaid-in-later-pregnancy" in flag_ids(guidance)
    assert "paracetamol-after" in recommended_ids(guidance)
    assert "paracetamol-after" not in {item.id for item in guidance.contraindicated}
    assert not recommended_ids(guidance) & NSAID_GIVEN


# -- 5. Tetanus with spreading spasms ------------------------------------------------------------------------


@pytest.mark.parametrize("sites", [["back", "abdomen", "neck"], ["back"], ["abdomen"]])
def test_back_or_tummy_spasms_after_a_wound_are_an_emergency(sites: list[str]) -> None:
    # NHS tetanus: painful muscle spasms, often in the back and tummy; call 999 or go to A&E for a wound
    # with painful muscle spasms or stiffness (nhs-tetanus, nhs-tetanus-after-injury).
    guidance = recommend_for({"age": 30, "symptoms": ["recent-wound", "severe-pain"], "cramps": {"sites": sites}})
    assert guidance.triage is Urgency.EMERGENCY
    assert guidance.red_flags[0].id == "tetanus-risk"
    assert not {item.category for item in guidance.recommendations} & {Category.STRETCHING, Category.MASSAGE}


def test_a_calf_cramp_after_a_graze_is_not_taken_for_tetanus() -> None:
    guidance = recommend_for({"age": 30, "symptoms": ["recent-wound"], "cramps": {"sites": ["calf"]}})
    assert "tetanus-risk" not in flag_ids(guidance)


# -- 6. Heat exhaustion not better with cooling ---------------------------------------------------------------


@pytest.mark.parametrize("sign", ["dizziness", "vomiting", "headache"])
def test_heat_exhaustion_not_eased_reaches_the_999_clause(sign: str) -> None:
    # Call 999 if still unwell after 30 minutes of rest in a cool place with fluids (phw-heat-exhaustion,
    # nhs-heat-exhaustion).
    guidance = recommend_for({"age": 30, "heat_exposure": True, "symptoms": [sign, "not-eased-by-self-care"]})
    assert guidance.triage is Urgency.EMERGENCY
    assert "heat-exhaustion-not-better-in-30-minutes" in flag_ids(guidance)
    assert not {item.category for item in guidance.recommendations} & {Category.MOVEMENT, Category.EXERCISE_HABITS}


def test_heat_exhaustion_without_the_not_eased_answer_stays_urgent() -> None:
    guidance = recommend_for({"age": 30, "heat_exposure": True, "symptoms": ["dizziness"]})
    assert guidance.triage is Urgency.URGENT
    assert "heat-illness" in flag_ids(guidance)
