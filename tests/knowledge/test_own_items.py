"""A clinic's own items: referrals and leaflets, ranked like every intervention and held to the same floor."""

import tomllib
from pathlib import Path
from typing import Any

import pytest

import crampkit
from crampkit import Category, KnowledgeBaseError
from crampkit.knowledge.items import REVIEWS
from crampkit.knowledge.safety import MEDICINE_CATEGORIES, NO_MEDICINE_CATEGORIES

EXAMPLE = Path(__file__).parents[2] / "docs" / "examples" / "clinic-leaflet.toml"
NIGHTLY = {"age": 50, "cramps": {"timing": ["night"], "sites": ["calf"], "per_week": 4}}


@pytest.fixture(scope="module")
def document() -> dict[str, Any]:
    return tomllib.loads(EXAMPLE.read_text())


@pytest.fixture(scope="module")
def clinic(document: dict[str, Any]) -> crampkit.KnowledgeBase:
    return crampkit.load_knowledge_base(document)


def test_referrals_and_leaflets_are_first_line_items_that_give_no_medicine() -> None:
    for category in (Category.REFERRAL, Category.LEAFLET):
        assert category in NO_MEDICINE_CATEGORIES
        assert category not in MEDICINE_CATEGORIES
        assert category not in REVIEWS
        assert not category.second_line
    packaged = {intervention.category for intervention in crampkit.default_knowledge_base().interventions}
    assert packaged.isdisjoint({Category.REFERRAL, Category.LEAFLET})


def test_they_are_ranked_by_their_score_among_the_packaged_items(clinic: crampkit.KnowledgeBase) -> None:
    guidance = crampkit.recommend(crampkit.load_profile(NIGHTLY), knowledge_base=clinic)
    first_line = [rec.score for rec in guidance.recommendations if not rec.second_line]
    leaflet = next(rec for rec in guidance.recommendations if rec.category is Category.LEAFLET)
    referral = next(rec for rec in guidance.recommendations if rec.category is Category.REFERRAL)
    assert leaflet.score == round(4 + 0 + 1.5 + 2 / 3, 4)  # low, optional, one fact matched, idiopathic at 2
    assert referral.score == round(2 + 0 + 1.5 + 2 / 3, 4)  # very low otherwise the same
    assert first_line == sorted(first_line, reverse=True)
    assert {leaflet.score, referral.score} <= set(first_line)
    assert not leaflet.second_line


def test_they_are_left_out_as_every_intervention_is(document: dict[str, Any], clinic: crampkit.KnowledgeBase) -> None:
    swollen = crampkit.load_profile(NIGHTLY | {"symptoms": ["redness-or-warmth"]})
    left_out = {item.id for item in crampkit.recommend(swollen, knowledge_base=clinic).contraindicated}
    assert {"read-night-cramps-leaflet", "clinic-physio-referral"} <= left_out  # its contraindication; urgent triage
    rule = {
        "id": "clinic-no-referrals-under-18",
        "name": "Children",
        "when": {"any": ["age-under-18"]},
        "excludes_categories": ["referral"],
        "reason": "Children are seen by the children's physiotherapy service.",
        "sources": ["clinic-night-cramps-leaflet"],
    }
    with_rule = crampkit.load_knowledge_base(document | {"population_rules": [rule]})
    child = crampkit.load_profile(NIGHTLY | {"age": 15})
    guidance = crampkit.recommend(child, knowledge_base=with_rule)
    assert "clinic-physio-referral" in {item.id for item in guidance.contraindicated}
    assert "clinic-physio-referral" not in {rec.id for rec in guidance.recommendations}


def test_one_that_names_a_medicine_is_refused(document: dict[str, Any]) -> None:
    """A referral here; a leaflet in docs/extending.md."""
    item = document["interventions"][1] | {
        "instructions": ["Ask to be referred; the physiotherapist may suggest quinine."],
    }
    with pytest.raises(KnowledgeBaseError) as caught:
        crampkit.load_knowledge_base(document | {"interventions": [document["interventions"][0], item]})
    assert any("a referral item gives none" in str(problem) for problem in caught.value.problems), caught.value.problems
