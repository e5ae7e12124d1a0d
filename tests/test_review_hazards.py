"""Worked examples for the three High hazards of the blind clinical review of knowledge base 2027.03.

Each example is a profile the reviewers ran (or a close variant of it), with the clinical reason for
the expected answer and the source ids behind it. Fixed in knowledge base 2027.04.
"""

from typing import Any

import pytest

import crampkit
from crampkit import Category, Guidance, Urgency
from hazardkit import KB, LEG_SELF_CARE, NSAID_GIVEN, categories_of, flag_ids, recommend_for, recommended_ids

LEG_SELF_CARE_AND_PAIN_RELIEF = LEG_SELF_CARE | {Category.PAIN_RELIEF}


def _no_nsaid_offered(guidance: Guidance) -> None:
    assert not recommended_ids(guidance) & NSAID_GIVEN  # the warnings leave out the NSAID item (paracetamol may stay)
    # "Stopping a prescribed medicine on your own" ("keep taking...") is not shown for an anti-inflammatory.
    assert "stop-medicine-yourself" not in {item.id for item in guidance.not_recommended}


# -- 1. An anti-inflammatory painkiller (NSAID) the person already takes -------------------------------------


@pytest.mark.parametrize("weeks", [20, 30])
@pytest.mark.parametrize("medicine", ["Nurofen", "ibuprofen", "naproxen"])
def test_nsaid_from_20_weeks_of_pregnancy_is_a_soon_warning(weeks: int, medicine: str) -> None:
    # From 20 weeks an NSAID can reduce the fluid around the baby and close the ductus arteriosus early;
    # someone who took one without medical advice should tell their midwife or doctor as soon as possible
    # (bumps-ibuprofen, nhs-ibuprofen).
    guidance = recommend_for(
        {"age": 30, "sex": "female", "pregnant": True, "pregnancy_weeks": weeks, "medications": [medicine]}
    )
    assert guidance.triage is Urgency.SOON
    assert {"nsaid-in-later-pregnancy", "nsaid-in-pregnancy"} <= flag_ids(guidance)
    assert guidance.red_flags[0].id == "nsaid-in-later-pregnancy"
    _no_nsaid_offered(guidance)


def test_nsaid_with_the_weeks_not_known_takes_the_safer_side() -> None:
    # Unknown weeks count as 20 or more (the convention of pregnancy-warning; bumps-ibuprofen).
    guidance = recommend_for({"age": 30, "pregnant": True, "medications": ["Nurofen"]})
    assert guidance.triage is Urgency.SOON
    assert "nsaid-in-later-pregnancy" in flag_ids(guidance)


def test_nsaid_at_19_weeks_is_a_routine_question_for_the_midwife() -> None:
    # Before 20 weeks a dose already taken is unlikely to harm the baby, but NSAIDs are still not advised
    # in pregnancy unless prescribed: ask before taking more (bumps-ibuprofen, nhs-ibuprofen).
    guidance = recommend_for({"age": 30, "pregnant": True, "pregnancy_weeks": 19, "medications": ["Nurofen"]})
    assert guidance.triage is Urgency.ROUTINE
    assert "nsaid-in-pregnancy" in flag_ids(guidance)
    assert "nsaid-in-later-pregnancy" not in flag_ids(guidance)
    _no_nsaid_offered(guidance)


@pytest.mark.parametrize(
    ("medications", "flag"),
    [
        # NSAIDs raise the level of lithium (nhs-lithium-other-medicines, nhs-choices-ibuprofen-interactions).
        (["Priadel", "Nurofen"], "nsaid-with-lithium"),
        (["lithium carbonate", "ibuprofen"], "nsaid-with-lithium"),
        # NSAIDs with a blood thinner make bleeding more likely (nhs-ibuprofen, scot-polypharmacy-nsaids).
        (["Eliquis", "naproxen"], "nsaid-with-anticoagulant"),
        (["apixaban", "Naprosyn"], "nsaid-with-anticoagulant"),
        (["warfarin", "Advil"], "nsaid-with-anticoagulant"),
    ],
)
def test_nsaid_with_an_interacting_medicine_is_a_soon_warning(medications: list[str], flag: str) -> None:
    guidance = recommend_for({"age": 55, "medications": medications})
    assert guidance.unrecognized_medications == ()
    assert guidance.triage is Urgency.SOON
    assert guidance.red_flags[0].id == flag
    assert "Do not take any more" in guidance.red_flags[0].advice
    _no_nsaid_offered(guidance)


@pytest.mark.parametrize(
    "condition", ["heart-failure", "chronic-kidney-disease", "dialysis", "cirrhosis", "stomach-ulcer-or-bleeding"]
)
@pytest.mark.parametrize("medicine", ["Nurofen", "naproxen"])
def test_nsaid_with_organ_disease_is_a_soon_warning(condition: str, medicine: str) -> None:
    # NSAIDs can harm the kidneys, worsen heart failure and cause ulcers or bleeding; people with these
    # conditions check with a doctor or pharmacist first (nhs-ibuprofen, scot-polypharmacy-nsaids).
    guidance = recommend_for({"age": 55, "conditions": [condition], "medications": [medicine]})
    assert guidance.triage is Urgency.SOON
    assert "nsaid-with-organ-disease" in flag_ids(guidance)
    _no_nsaid_offered(guidance)


def test_an_nsaid_alone_raises_no_warning_and_no_second_nsaid_is_offered() -> None:
    # Nothing in the profile makes the NSAID risky (under 65, no interacting medicine): no warning, but
    # ibuprofen is not suggested on top of it (the ibuprofen-after contraindication).
    guidance = recommend_for({"age": 40, "medications": ["Nurofen"]})
    assert not {flag for flag in flag_ids(guidance) if flag.startswith("nsaid-")}
    assert not recommended_ids(guidance) & NSAID_GIVEN


def test_stopping_a_prescribed_medicine_speaks_of_prescribed_medicines_only() -> None:
    # The not-recommended item may not read as "keep taking an over-the-counter NSAID" (review finding).
    item = KB.get("stop-medicine-yourself")
    assert isinstance(item, crampkit.Intervention)
    assert crampkit.Fact.DRUG_NSAID not in item.when.any_of
    words = " ".join([item.short or "", item.summary, *item.instructions])
    assert "Keep taking your medicines" not in words
    assert "prescriber gave you" in words
    assert "bought yourself" in words
    guidance = recommend_for(
        {"age": 55, "conditions": ["chronic-kidney-disease"], "medications": ["bendroflumethiazide", "Nurofen"]}
    )
    assert "nsaid-with-organ-disease" in flag_ids(guidance)
    assert "stop-medicine-yourself" in {hit.id for hit in guidance.not_recommended}  # for the thiazide
    review = KB.get("medication-review")
    assert isinstance(review, crampkit.Intervention)
    assert "unless a warning here tells you to hold it" in review.instructions[0]


# -- 2. Tummy (abdominal) cramps in pregnancy ------------------------------------------------------------------


@pytest.mark.parametrize("weeks", [8, 19, 30, None])
def test_tummy_cramps_in_pregnancy_go_to_the_maternity_team(weeks: int | None) -> None:
    # Tummy cramps in pregnancy are usually harmless but can be a miscarriage, an ectopic pregnancy, early
    # labour or a placental problem; crampkit cannot tell whether the pain settles with rest, so it sends
    # them to the maternity unit (GP or early pregnancy unit before 20 weeks) rather than giving leg-cramp
    # self-care (nhs-stomach-pain-pregnancy, uhb-when-to-call-midwife).
    profile: dict[str, Any] = {"age": 29, "sex": "female", "pregnant": True, "cramps": {"sites": ["abdomen"]}}
    if weeks is not None:
        profile["pregnancy_weeks"] = weeks
    guidance = recommend_for(profile)
    assert guidance.triage is Urgency.SOON
    assert guidance.red_flags[0].id == "pregnancy-abdominal-cramps"
    assert not categories_of(guidance) & LEG_SELF_CARE_AND_PAIN_RELIEF
    assert "pregnancy-cramps-advice" not in recommended_ids(guidance)  # "use the stretches for a cramp"


def test_tummy_and_calf_cramps_in_pregnancy_get_no_stretches_either() -> None:
    # The tummy cramps need checking first; stretches are left out while that warning stands.
    guidance = recommend_for(
        {"age": 29, "pregnant": True, "pregnancy_weeks": 30, "cramps": {"sites": ["abdomen", "calf"]}}
    )
    assert "pregnancy-abdominal-cramps" in flag_ids(guidance)
    assert Category.STRETCHING not in categories_of(guidance)


@pytest.mark.parametrize("weeks", [10, 30])
def test_tummy_cramps_with_vaginal_bleeding_in_pregnancy_are_urgent(weeks: int) -> None:
    # Stomach pain with vaginal bleeding or spotting: call the maternity unit immediately
    # (nhs-stomach-pain-pregnancy, uhb-when-to-call-midwife, nhs-ectopic-pregnancy).
    guidance = recommend_for(
        {
            "age": 29,
            "pregnant": True,
            "pregnancy_weeks": weeks,
            "cramps": {"sites": ["abdomen"]},
            "symptoms": ["vaginal-bleeding"],
        }
    )
    assert guidance.triage is Urgency.URGENT
    assert {"pregnancy-vaginal-bleeding", "pregnancy-abdominal-pain"} <= flag_ids(guidance)
    assert not categories_of(guidance) & LEG_SELF_CARE_AND_PAIN_RELIEF


def test_vaginal_bleeding_in_pregnancy_is_urgent_on_its_own() -> None:
    # Spotting or light bleeding in pregnancy: contact the maternity unit (uhb-when-to-call-midwife).
    guidance = recommend_for({"age": 29, "pregnant": True, "symptoms": ["vaginal-bleeding"]})
    assert guidance.triage is Urgency.URGENT
    assert "pregnancy-vaginal-bleeding" in flag_ids(guidance)


def test_tummy_cramps_with_fainting_in_pregnancy_are_an_emergency() -> None:
    # Sudden tummy pain with feeling very dizzy or fainting: 999 (nhs-ectopic-pregnancy, uhb-when-to-call-midwife).
    guidance = recommend_for(
        {
            "age": 29,
            "pregnant": True,
            "pregnancy_weeks": 7,
            "cramps": {"sites": ["abdomen"]},
            "symptoms": ["collapse-or-fainting"],
        }
    )
    assert guidance.triage is Urgency.EMERGENCY


def test_vaginal_bleeding_outside_pregnancy_is_a_routine_visit() -> None:
    # Bleeding between periods or after sex: see a GP or sexual health clinic (nhs-bleeding-between-periods).
    guidance = recommend_for({"age": 35, "sex": "female", "symptoms": ["vaginal-bleeding"]})
    assert guidance.triage is Urgency.ROUTINE
    assert [hit.id for hit in guidance.red_flags] == ["sign-vaginal-bleeding"]


# -- 3. Repeated spasms in a baby ------------------------------------------------------------------------------


@pytest.mark.parametrize(("age", "months"), [(0, 2), (0, 5), (1, 14), (0, None)])
@pytest.mark.parametrize(
    "cramps",
    [
        {"sites": ["arm", "back"], "per_week": 20},  # the reviewers' baby: arms and trunk, in clusters
        {"sites": ["arm", "abdomen"]},
        {"sites": ["neck"]},  # head drops
        {"sites": ["thigh"], "per_week": 10},  # legs drawn up, again and again
    ],
)
def test_repeated_spasms_in_a_baby_under_2_need_a_doctor_today(
    age: int, months: int | None, cramps: dict[str, Any]
) -> None:
    # Clusters of sudden spasms in a baby can be infantile spasms, a form of epilepsy; NICE gives children
    # under 2 with suspected infantile spasms immediate referral (nice-ng217); 999 for a fit, a baby who
    # will not wake or struggles to breathe (nhs-baby-seriously-ill).
    profile: dict[str, Any] = {"age": age, "cramps": cramps}
    if months is not None:
        profile["age_months"] = months
    guidance = recommend_for(profile)
    assert guidance.triage is Urgency.URGENT
    assert guidance.red_flags[0].id == "infant-repeated-spasms"
    assert guidance.recommendations == ()  # no stretches, rubbing, heat or comfort-and-wait advice
    assert "idiopathic" not in {cause.id for cause in guidance.likely_causes}


def test_a_baby_with_spasms_and_a_fit_is_an_emergency() -> None:
    guidance = recommend_for({"age": 0, "age_months": 5, "cramps": {"sites": ["arm"]}, "symptoms": ["breathlessness"]})
    assert guidance.triage is Urgency.EMERGENCY
    assert "infant-spasms-with-seizure-or-breathing-trouble" in flag_ids(guidance)


def test_a_two_year_old_is_past_the_infantile_spasms_rule() -> None:
    # NICE's infantile spasms recommendations are for children under 2 (nice-ng217); a 2-year-old with an
    # occasional leg cramp is a young child's routine visit (govuk-health-visiting-0-5).
    guidance = recommend_for({"age": 2, "cramps": {"sites": ["calf"], "per_week": 1}})
    assert guidance.triage is Urgency.ROUTINE
    assert "infant-repeated-spasms" not in flag_ids(guidance)
    assert "young-child-cramps" in flag_ids(guidance)
