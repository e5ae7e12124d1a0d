"""Worked examples of the engine against a small fixed knowledge base."""

from pathlib import Path

import attrs
import pytest

import crampkit
from crampkit import Fact, Profile, Stance, Urgency, recommend
from crampkit.engine import CERTAINTY_POINTS, STANCE_POINTS, STRENGTH_WEIGHTS

MINI = Path(__file__).parent / "data" / "mini.toml"


@pytest.fixture(scope="module")
def kb() -> crampkit.KnowledgeBase:
    return crampkit.load_knowledge_base(MINI)


def test_empty_profile_gets_self_care_and_general_advice(kb: crampkit.KnowledgeBase) -> None:
    guidance = recommend(Profile(), knowledge_base=kb)
    assert guidance.triage is Urgency.SELF_CARE
    assert guidance.red_flags == ()
    assert [cause.id for cause in guidance.likely_causes] == ["idiopathic"]
    assert guidance.likely_causes[0].because == ("common even when no other cause is found",)
    assert [rec.id for rec in guidance.recommendations] == ["stretch", "massage"]
    assert guidance.recommendations[0].because == ("likely cause: No cause found",)
    assert [item.id for item in guidance.not_recommended] == ["quinine"]
    assert guidance.not_recommended[0].reason == "Serious harms outweigh a small benefit."
    assert guidance.knowledge_base_version == "test-1"
    assert guidance.disclaimer == crampkit.DISCLAIMER


def test_scores_follow_the_documented_formula(kb: crampkit.KnowledgeBase) -> None:
    profile = Profile(age=70, medications=frozenset({"Bendroflumethiazide 2.5 mg"}))
    guidance = recommend(profile, knowledge_base=kb)
    causes = {cause.id: cause.score for cause in guidance.likely_causes}
    # idiopathic: prior 1 + older age (weak, 1); medication: thiazide (moderate, 2)
    assert causes == {"idiopathic": 2.0, "medication": 2.0}
    # tie: the cause the profile points to beats "no cause found" (smaller prior first)
    assert [cause.id for cause in guidance.likely_causes] == ["medication", "idiopathic"]
    scores = {rec.id: rec.score for rec in guidance.recommendations}
    low, recommended = CERTAINTY_POINTS[crampkit.Certainty.LOW], STANCE_POINTS[Stance.RECOMMENDED]
    assert scores["med-review"] == low + recommended + 2.0
    assert scores["stretch"] == low + recommended + 2.0  # exertion scores 0
    assert [rec.id for rec in guidance.recommendations] == ["med-review", "stretch", "massage"]
    assert [rec.rank for rec in guidance.recommendations] == [1, 2, 3]
    med = guidance.recommendations[0]
    assert med.because == ("likely cause: Medicine side effect", "applies to: takes medicines")
    assert STRENGTH_WEIGHTS[crampkit.Strength.MODERATE] == 2.0


def test_ties_break_by_certainty_then_id(kb: crampkit.KnowledgeBase) -> None:
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
            "interventions": [
                _intervention("b-high", "high", "optional"),  # 4 + 1 = 5
                _intervention("a-mod", "moderate", "recommended"),  # 3 + 2 = 5
                _intervention("c-mod", "moderate", "recommended"),  # 3 + 2 = 5
            ],
        }
    )
    guidance = recommend(Profile(), knowledge_base=other)
    assert [rec.id for rec in guidance.recommendations] == ["b-high", "a-mod", "c-mod"]
    assert {rec.score for rec in guidance.recommendations} == {5.0}
    assert guidance.likely_causes == ()
    assert guidance.recommendations[0].because == ("general advice for any cramp",)
    assert kb.version == "test-1"


def _intervention(item_id: str, certainty: str, stance: str) -> dict[str, object]:
    return {
        "id": item_id,
        "name": item_id,
        "summary": "s",
        "phase": "during",
        "category": "movement",
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
    assert [flag.id for flag in guidance.red_flags] == ["breathless-clot", "clot", "frequent"]
    assert guidance.red_flags[0].because == ("breathlessness", "calf swelling")
    assert guidance.red_flags[2].because == ("cramps 3 or more times a week", "cramps disturb sleep")
    assert guidance.red_flags[1].why == "A swollen calf can be a clot."


def test_contraindicated_intervention_is_left_out_and_shown(kb: crampkit.KnowledgeBase) -> None:
    guidance = recommend(Profile(symptoms=frozenset({crampkit.Symptom.REDNESS_OR_WARMTH})), knowledge_base=kb)
    assert "massage" not in [rec.id for rec in guidance.recommendations]
    assert [(item.id, item.reason) for item in guidance.contraindicated] == [("massage", "Could dislodge a clot.")]


def test_not_recommended_reason_includes_a_matching_contraindication(kb: crampkit.KnowledgeBase) -> None:
    guidance = recommend(Profile(pregnant=True), knowledge_base=kb)
    assert guidance.not_recommended[0].reason == "Serious harms outweigh a small benefit. Never in pregnancy."
    assert all(rec.stance is not Stance.NOT_RECOMMENDED for rec in guidance.recommendations)


def test_exercise_profile_ranks_exertion_advice(kb: crampkit.KnowledgeBase) -> None:
    profile = crampkit.load_profile({"activity": "vigorous", "cramps": {"timing": ["during-exercise"]}})
    guidance = recommend(profile, knowledge_base=kb)
    assert guidance.likely_causes[0].id == "exertion"
    assert guidance.likely_causes[0].because == (
        "Vigorous exercise (vigorous exercise, cramps during or after exercise)",
    )
    assert [rec.id for rec in guidance.recommendations[:2]] == ["stretch", "warm-up"]
    assert guidance.recommendations[1].because == (
        "likely cause: Exertion",
        "applies to: vigorous exercise, cramps during or after exercise",
    )
    dark = recommend(attrs.evolve(profile, symptoms=frozenset({crampkit.Symptom.DARK_URINE})), knowledge_base=kb)
    assert "warm-up" not in [rec.id for rec in dark.recommendations]
    assert dark.contraindicated[0].id == "warm-up"


def test_unrecognized_medicines_are_reported_sorted(kb: crampkit.KnowledgeBase) -> None:
    profile = Profile(medications=frozenset({"zopiclone", "bendroflumethiazide", "Aspirin"}))
    guidance = recommend(profile, knowledge_base=kb)
    assert guidance.unrecognized_medications == ("Aspirin", "zopiclone")
    assert Fact.MEDICATION_UNRECOGNIZED in guidance.facts
    assert Fact.DRUG_THIAZIDE_DIURETIC in guidance.facts


def test_default_knowledge_base_is_used_when_none_is_given() -> None:
    guidance = recommend(Profile())
    assert guidance.knowledge_base_version == crampkit.default_knowledge_base().version
