"""Worked examples of the engine against a small fixed knowledge base."""

from pathlib import Path

import attrs
import pytest

import crampkit
from crampkit import Fact, MedicationHit, Profile, Stance, Urgency, recommend
from crampkit.decision.engine import CERTAINTY_POINTS, FIT_PER_FACT, FIT_POINTS, STANCE_POINTS, STRENGTH_WEIGHTS
from kbtools import quiet_signs

MINI = Path(__file__).parents[1] / "data" / "mini.toml"


@pytest.fixture(scope="module")
def kb() -> crampkit.KnowledgeBase:
    return crampkit.load_knowledge_base(MINI)


def test_empty_profile_gets_self_care_and_general_advice(kb: crampkit.KnowledgeBase) -> None:
    guidance = recommend(Profile(), knowledge_base=kb)
    assert guidance.triage is Urgency.SELF_CARE
    assert guidance.red_flags == ()
    assert [cause.id for cause in guidance.likely_causes] == ["idiopathic-cramps"]
    assert guidance.likely_causes[0].because == ("common even when no other cause is found",)
    assert [rec.id for rec in guidance.recommendations] == ["stretch", "ibuprofen", "massage-gently", "walk"]
    assert guidance.recommendations[0].because == ("likely cause: No cause found",)
    assert guidance.action is None
    assert [item.id for item in guidance.not_recommended] == ["quinine"]
    assert guidance.not_recommended[0].reason == "Serious harms outweigh a small benefit."
    assert guidance.knowledge_base_version == "test-1"
    assert guidance.disclaimer == crampkit.DISCLAIMER


def test_scores_follow_the_documented_formula(kb: crampkit.KnowledgeBase) -> None:
    profile = Profile(age=70, medications=frozenset({"Bendroflumethiazide 2.5 mg"}))
    guidance = recommend(profile, knowledge_base=kb)
    causes = {cause.id: cause.score for cause in guidance.likely_causes}
    # idiopathic: prior 1 + older age (weak, 1); medication: thiazide (moderate, 2)
    assert causes == {"idiopathic-cramps": 2.0, "medication": 2.0}
    # tie: the cause the profile points to beats "no cause found" (smaller prior first)
    assert [cause.id for cause in guidance.likely_causes] == ["medication", "idiopathic-cramps"]
    scores = {rec.id: rec.score for rec in guidance.recommendations}
    low, recommended = CERTAINTY_POINTS[crampkit.Certainty.LOW], STANCE_POINTS[Stance.RECOMMENDED]
    # med-review matched one fact (medication-any): fit 1.5; its best cause scores 2: relevance 2 / 3
    assert scores["med-review"] == round(low + recommended + FIT_POINTS + 2 / 3, 4)
    # stretch is general advice (no fit); its best cause, idiopathic, scores 2 (exertion 0)
    assert scores["stretch"] == round(low + recommended + 2 / 3, 4)
    # ibuprofen is left out from 65 (the exclusion table; the test knowledge base's NSAID rule)
    assert [rec.id for rec in guidance.recommendations] == ["med-review", "stretch", "massage-gently", "walk"]
    assert [rec.rank for rec in guidance.recommendations] == [1, 2, 3, 4]
    med = guidance.recommendations[0]
    assert med.because == ("likely cause: Medicine side effect", "applies to: takes medicines")
    assert STRENGTH_WEIGHTS[crampkit.Strength.MODERATE] == 2.0


def test_fit_grows_with_matched_facts_up_to_two_more(kb: crampkit.KnowledgeBase) -> None:
    one = crampkit.load_profile({"activity": "vigorous"})
    two = crampkit.load_profile({"activity": "vigorous", "cramps": {"timing": ["during-exercise"]}})
    score_one = next(rec.score for rec in recommend(one, knowledge_base=kb).recommendations if rec.id == "warm-up")
    score_two = next(rec.score for rec in recommend(two, knowledge_base=kb).recommendations if rec.id == "warm-up")
    # both: exertion scores 3 (strong) so relevance 3 / 4; the second matches one more fact
    assert score_one == round(4 + 0.5 + FIT_POINTS + 3 / 4, 4)
    assert score_two == round(score_one + FIT_PER_FACT, 4)


def test_a_matched_item_outranks_general_advice_of_the_same_certainty(kb: crampkit.KnowledgeBase) -> None:
    """stretch (low, recommended, general) addresses a cause scoring 3; warm-up (low) matched the person."""
    guidance = recommend(crampkit.load_profile({"activity": "vigorous"}), knowledge_base=kb)
    ranked = [rec.id for rec in guidance.recommendations]
    assert ranked.index("warm-up") < ranked.index("stretch")


def test_population_rules_leave_out_what_a_group_must_not_have(kb: crampkit.KnowledgeBase) -> None:
    child = recommend(crampkit.load_profile({"age": 10, "cramps": {"per_week": 4}}), knowledge_base=kb)
    assert [(item.id, item.reason) for item in child.contraindicated] == [
        ("drug-x", "Not for under-18s."),
        ("ibuprofen", "Not for under-18s."),
    ]
    adult = recommend(crampkit.load_profile({"age": 40, "cramps": {"per_week": 4}}), knowledge_base=kb)
    assert "drug-x" in [rec.id for rec in adult.recommendations]
    pregnant = recommend(crampkit.load_profile({"pregnant": True, "cramps": {"per_week": 4}}), knowledge_base=kb)
    assert [(item.id, item.reason) for item in pregnant.contraindicated] == [
        ("drug-x", "Not in pregnancy."),
        ("ibuprofen", "Not in pregnancy."),
    ]
    kidney = recommend(crampkit.load_profile({"conditions": ["chronic-kidney-disease"]}), knowledge_base=kb)
    assert [(item.id, item.reason) for item in kidney.contraindicated] == [("ibuprofen", "NSAIDs can harm here.")]


def test_nothing_recommended_contradicts_a_red_flag_that_fired(kb: crampkit.KnowledgeBase) -> None:
    guidance = recommend(crampkit.load_profile({"symptoms": ["calf-swelling"]}), knowledge_base=kb)
    assert guidance.triage is Urgency.URGENT
    walk = next(item for item in guidance.contraindicated if item.id == "walk")
    assert walk.reason.startswith("It would go against the advice for: Possible clot.")
    # at urgent triage only what is safe while getting help is listed; stretching a calf that may hold a clot
    # is not (the exclusion table)
    assert guidance.recommendations == ()
    assert "stretch" in {item.id for item in guidance.contraindicated}
    emergency = recommend(crampkit.load_profile({"symptoms": ["calf-swelling", "breathlessness"]}), knowledge_base=kb)
    assert emergency.recommendations == ()
    assert {item.id for item in emergency.contraindicated} == {"ibuprofen", "massage-gently", "stretch", "walk"}


def test_urgent_guidance_leads_with_the_action(kb: crampkit.KnowledgeBase) -> None:
    guidance = recommend(crampkit.load_profile({"symptoms": ["seizure"]}), knowledge_base=kb)
    assert guidance.triage is Urgency.EMERGENCY
    assert guidance.action == "This may not be a cramp problem. Call emergency services now."
    assert list(crampkit.unstructure(guidance))[:2] == ["triage", "action"]
    routine = recommend(crampkit.load_profile({"cramps": {"per_week": 5}}), knowledge_base=kb)
    assert routine.action == "See a GP."


def test_a_sign_alone_reaches_its_urgency_and_is_listed_beside_flags(kb: crampkit.KnowledgeBase) -> None:
    alone = recommend(crampkit.load_profile({"symptoms": ["muscle-weakness"]}), knowledge_base=kb)
    assert [(flag.id, flag.urgency) for flag in alone.red_flags] == [("sign-of-muscle-weakness", Urgency.SOON)]
    assert alone.red_flags[0].because == ("muscle weakness",)
    assert alone.red_flags[0].why == "Weakness needs a check."
    calf = recommend(crampkit.load_profile({"symptoms": ["calf-swelling"]}), knowledge_base=kb)
    assert [flag.id for flag in calf.red_flags] == ["clot", "sign-of-calf-swelling"]
    quiet = recommend(crampkit.load_profile({"symptoms": ["headache"]}), knowledge_base=kb)
    assert quiet.red_flags == ()


def test_ties_break_by_certainty_then_safety_then_order(kb: crampkit.KnowledgeBase) -> None:
    other = crampkit.load_knowledge_base(
        {
            "version": "t",
            "sources": [
                {
                    "id": "s",
                    "title": "t",
                    "publisher": "p",
                    "year": 2020,
                    "url": "https://example.org/u",
                    "kind": "trial",
                }
            ],
            "signs": quiet_signs("s"),
            "interventions": [
                _intervention("b-high", "high", "optional"),  # 8 + 0 = 8
                # 6 + 0.5 = 6.5, but one rule can leave it out: the safer c-mod comes first, though after it here
                _intervention("a-mod", "moderate", "recommended")
                | {"contraindications": [{"when": {"any": ["pregnant"]}, "reason": "Not in pregnancy."}]},
                _intervention("e-mod", "moderate", "recommended"),  # 6 + 0.5 = 6.5: knowledge-base order, not id
                _intervention("c-mod", "moderate", "recommended"),  # 6 + 0.5 = 6.5
                # 6 + 0.5 + 1.5 = 8: ties with b-high, which has the higher certainty
                _intervention("d-mod", "moderate", "recommended") | {"when": {"any": ["sex-male"]}},
            ],
        }
    )
    guidance = recommend(Profile(sex=crampkit.Sex.MALE), knowledge_base=other)
    assert [rec.id for rec in guidance.recommendations] == ["b-high", "d-mod", "e-mod", "c-mod", "a-mod"]
    assert [rec.score for rec in guidance.recommendations] == [8.0, 8.0, 6.5, 6.5, 6.5]
    assert guidance.likely_causes == ()
    assert guidance.recommendations[0].because == ("general advice for any cramp",)
    assert guidance.recommendations[1].because == ("applies to: male",)
    assert kb.version == "test-1"


def _intervention(item_id: str, certainty: str, stance: str) -> dict[str, object]:
    return {
        "id": item_id,
        "name": item_id,
        "summary": "s",
        "phase": "during",
        "category": "bedding",  # held to no row of the exclusion table
        "instructions": ["move"],
        "certainty": certainty,
        "stance": stance,
        "sources": ["s"],
    }


def test_red_flags_come_first_most_urgent_first(kb: crampkit.KnowledgeBase) -> None:
    profile = crampkit.load_profile(
        {"symptoms": ["calf-swelling", "breathlessness"], "cramps": {"per_week": 5, "disturbs_sleep": True}}
    )
    guidance = recommend(profile, knowledge_base=kb)
    assert guidance.triage is Urgency.EMERGENCY
    assert [flag.id for flag in guidance.red_flags] == ["breathless-clot", "clot", "sign-of-calf-swelling", "frequent"]
    assert guidance.red_flags[0].because == ("breathlessness", "calf swelling")
    assert guidance.red_flags[3].because == ("cramps 3 or more times a week", "cramps disturb sleep")
    assert guidance.red_flags[1].why == "A swollen calf can be a clot."


def test_contraindicated_intervention_is_left_out_and_shown(kb: crampkit.KnowledgeBase) -> None:
    guidance = recommend(Profile(symptoms=frozenset({crampkit.Symptom.REDNESS_OR_WARMTH})), knowledge_base=kb)
    assert "massage-gently" not in [rec.id for rec in guidance.recommendations]
    assert [(item.id, item.reason) for item in guidance.contraindicated] == [
        ("massage-gently", "Could dislodge a clot. Not with these signs."),
        ("stretch", "Not with these signs."),  # the exclusion table: no stretching with a possible clot
    ]


def test_not_recommended_reason_includes_a_matching_contraindication(kb: crampkit.KnowledgeBase) -> None:
    guidance = recommend(Profile(pregnant=True), knowledge_base=kb)
    assert guidance.not_recommended[0].reason == (
        "Serious harms outweigh a small benefit. Never in pregnancy. Not in pregnancy."
    )
    assert all(rec.stance is not Stance.NOT_RECOMMENDED for rec in guidance.recommendations)


def test_exercise_profile_ranks_exertion_advice(kb: crampkit.KnowledgeBase) -> None:
    profile = crampkit.load_profile({"activity": "vigorous", "cramps": {"timing": ["during-exercise"]}})
    guidance = recommend(profile, knowledge_base=kb)
    assert guidance.likely_causes[0].id == "exertion"
    assert guidance.likely_causes[0].because == (
        "Vigorous exercise (vigorous exercise, cramps during or after exercise)",
    )
    assert [rec.id for rec in guidance.recommendations[:2]] == ["warm-up", "stretch"]
    assert guidance.recommendations[0].because == (
        "likely cause: Exertion",
        "applies to: vigorous exercise, cramps during or after exercise",
    )
    dark = recommend(attrs.evolve(profile, symptoms=frozenset({crampkit.Symptom.DARK_URINE})), knowledge_base=kb)
    assert "warm-up" not in [rec.id for rec in dark.recommendations]
    assert "warm-up" in [item.id for item in dark.contraindicated]


def test_unrecognized_medicines_are_reported_sorted(kb: crampkit.KnowledgeBase) -> None:
    profile = Profile(medications=frozenset({"zopiclone", "bendroflumethiazide", "Aspirin"}))
    guidance = recommend(profile, knowledge_base=kb)
    assert guidance.unrecognized_medications == ("Aspirin", "zopiclone")
    assert Fact.MEDICATION_UNRECOGNIZED in guidance.facts
    assert Fact.DRUG_THIAZIDE_DIURETIC in guidance.facts


def test_guidance_records_what_each_medicine_name_matched(kb: crampkit.KnowledgeBase) -> None:
    names = frozenset({"furosemide + indapamide", "Indapamide", "bendroflumethiazide", "zopiclone"})
    guidance = recommend(Profile(medications=names), knowledge_base=kb)
    assert guidance.medications == (
        MedicationHit(name="Indapamide", drug_classes=("thiazides",)),
        MedicationHit(name="bendroflumethiazide", drug_classes=("thiazides",)),
        MedicationHit(name="furosemide + indapamide", drug_classes=("combo", "thiazides")),
    )
    assert guidance.unrecognized_medications == ("zopiclone",)


def test_the_same_facts_give_the_same_decision_but_each_its_own_matches(kb: crampkit.KnowledgeBase) -> None:
    # The decision may be remembered by facts; what the names matched must never be remembered with it.
    by_generic = recommend(Profile(medications=frozenset({"indapamide"})), knowledge_base=kb)
    by_other = recommend(Profile(medications=frozenset({"bendroflumethiazide 2.5 mg"})), knowledge_base=kb)
    assert by_generic.facts == by_other.facts
    assert [hit.name for hit in by_generic.medications] == ["indapamide"]
    assert [hit.name for hit in by_other.medications] == ["bendroflumethiazide 2.5 mg"]
    assert attrs.evolve(by_generic, medications=by_other.medications) == by_other


def test_guidance_records_the_region_and_language_it_was_made_for(kb: crampkit.KnowledgeBase) -> None:
    profile = Profile(symptoms=frozenset({crampkit.Symptom.CALF_SWELLING}))
    uk, us = (recommend(profile, knowledge_base=kb, region=region) for region in ("uk", "us"))
    assert (uk.region, uk.language, us.region, us.language) == ("uk", "en", "us", "en")


def test_default_knowledge_base_is_used_when_none_is_given() -> None:
    guidance = recommend(Profile())
    assert guidance.knowledge_base_version == crampkit.default_knowledge_base().version
