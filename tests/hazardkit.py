"""What the worked examples of the blind clinical reviews share (``tests/test_review_hazards*.py``)."""

from typing import Any

import crampkit
from crampkit import Category, Guidance

KB = crampkit.default_knowledge_base()
NSAID_GIVEN = frozenset(item.id for item in KB.interventions if crampkit.Fact.DRUG_NSAID in item.medicines)
"""The interventions that give an anti-inflammatory painkiller (the NSAID warnings leave them out)."""
LEG_SELF_CARE = frozenset(
    {Category.STRETCHING, Category.MASSAGE, Category.MOVEMENT, Category.HEAT_OR_COLD, Category.EXERCISE_HABITS}
)
"""Self-care for a leg cramp, which warnings about tummy pain, babies and emergencies leave out."""


def recommend_for(document: dict[str, Any]) -> Guidance:
    """The guidance for a profile given as JSON-ready data, from the packaged knowledge base."""
    return crampkit.recommend(crampkit.load_profile(document))


def flag_ids(guidance: Guidance) -> set[str]:
    """The ids of the red flags, signs and clauses that fired."""
    return {hit.id for hit in guidance.red_flags}


def recommended_ids(guidance: Guidance) -> set[str]:
    """The ids of the recommendations."""
    return {item.id for item in guidance.recommendations}


def categories_of(guidance: Guidance) -> set[Category]:
    """The categories of the recommendations."""
    return {item.category for item in guidance.recommendations}
