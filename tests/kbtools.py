"""Helpers that build a profile in which given facts hold, and minimal knowledge-base parts."""

from collections.abc import Iterable
from typing import Any

import crampkit
from crampkit import Fact, Symptom
from crampkit.knowledge.exclusions import exclusion_table
from crampkit.knowledge.medicines import class_names


def quiet_signs(source: str) -> list[dict[str, Any]]:
    """A ``self-care`` sign for every symptom, citing ``source``: the least a knowledge base must have."""
    return [
        {
            "id": f"sign-of-{symptom.value}",  # a packaged id would make it a change to the packaged sign
            "symptom": symptom.value,
            "name": symptom.value,
            "urgency": "self-care",
            "advice": "Self-care.",
            "reason": "Test sign.",
            "watch_for": "Watch for it getting worse.",
            "sources": [source],
        }
        for symptom in Symptom
    ]


_DIRECT: dict[Fact, dict[str, Any]] = {
    Fact.AGE_UNDER_2: {},  # age and months are set together at the end
    Fact.AGE_UNDER_5: {"age": 3},
    Fact.AGE_UNDER_3_MONTHS: {},  # age and months are set together at the end
    Fact.AGE_UNDER_6_MONTHS: {},
    Fact.AGE_UNDER_16: {"age": 15},
    Fact.AGE_UNDER_18: {"age": 15},
    Fact.AGE_50_PLUS: {"age": 55},
    Fact.AGE_60_PLUS: {"age": 65},
    Fact.AGE_65_PLUS: {"age": 70},
    Fact.SEX_FEMALE: {"sex": "female"},
    Fact.SEX_MALE: {"sex": "male"},
    Fact.PREGNANT: {"pregnant": True},
    Fact.PREGNANT_20_WEEKS_PLUS: {"pregnant": True, "pregnancy_weeks": 24},
    Fact.PREGNANCY_WEEKS_UNKNOWN: {"pregnant": True},
    Fact.ONSET_SUDDEN: {"sudden_onset": True},
    Fact.OBESITY: {"bmi": 32},
    Fact.HEAT_EXPOSURE: {"heat_exposure": True},
    Fact.MEDICATION_ANY: {"medications": ["an unknown medicine"]},
    Fact.MEDICATION_UNRECOGNIZED: {"medications": ["an unknown medicine"]},
}
_CRAMPS: dict[Fact, dict[str, Any]] = {
    Fact.CRAMPS_REPORTED: {"per_week": 1},
    Fact.CRAMPS_DENIED: {"reported": False},
    Fact.CRAMPS_FREQUENT: {"per_week": 4},
    Fact.CRAMP_OVER_10_MIN: {"minutes": 15},
    Fact.SLEEP_DISTURBED: {"disturbs_sleep": True},
    Fact.EXERCISE_ASSOCIATED: {"timing": ["during-exercise"]},
}
_HABITS: dict[Fact, dict[str, Any]] = {
    Fact.ALCOHOL_HEAVY: {"alcohol_units_per_week": 30},
    Fact.CAFFEINE_HIGH: {"caffeine_drinks_per_day": 6},
    Fact.SMOKER: {"smoker": True},
}


def _merge(target: dict[str, Any], extra: dict[str, Any]) -> None:
    for key, value in extra.items():
        if isinstance(value, list):
            target[key] = sorted({*target.get(key, []), *value})
        else:
            target[key] = value


def profile_with(facts: Iterable[Fact], knowledge_base: crampkit.KnowledgeBase | None = None) -> crampkit.Profile:
    """A profile for which every fact in ``facts`` holds (age bands: the highest asked for wins)."""
    kb = knowledge_base or crampkit.default_knowledge_base()
    document: dict[str, Any] = {}
    cramps: dict[str, Any] = {}
    habits: dict[str, Any] = {}
    for fact in sorted(facts, key=lambda f: f.value):
        value = fact.value
        if fact in _DIRECT:
            _merge(document, _DIRECT[fact])
        elif fact in _CRAMPS:
            _merge(cramps, _CRAMPS[fact])
        elif fact in _HABITS:
            _merge(habits, _HABITS[fact])
        elif value.startswith("activity-"):
            document["activity"] = value.removeprefix("activity-")
        elif value.startswith("condition-"):
            _merge(document, {"conditions": [value.removeprefix("condition-")]})
        elif value.startswith("symptom-"):
            _merge(document, {"symptoms": [value.removeprefix("symptom-")]})
        elif value.startswith("site-"):
            _merge(cramps, {"sites": [value.removeprefix("site-")]})
        elif value.startswith("timing-"):
            _merge(cramps, {"timing": [value.removeprefix("timing-")]})
        elif value.startswith("clot-risk-"):
            _merge(document, {"clot_risks": [value.removeprefix("clot-risk-")]})
        else:  # a drug-class fact: use the first name of its class
            drug_class = next(c for c in kb.drug_classes if c.fact is fact)
            _merge(document, {"medications": [class_names(drug_class, kb)[0]]})
    if Fact.AGE_65_PLUS in facts:
        document["age"] = 70
    elif Fact.AGE_60_PLUS in facts:
        document["age"] = 65
    elif Fact.AGE_UNDER_3_MONTHS in facts:
        document["age"], document["age_months"] = 0, 1
    elif Fact.AGE_UNDER_6_MONTHS in facts:
        document["age"], document["age_months"] = 0, 4
    elif Fact.AGE_UNDER_2 in facts:
        document["age"], document["age_months"] = 1, 14
    elif Fact.AGE_UNDER_5 in facts:
        document["age"] = 3
    if cramps:
        document["cramps"] = cramps
    if habits:
        document["habits"] = habits
    return crampkit.load_profile(document)


def table_rules(source: str) -> list[dict[str, Any]]:
    """The exclusion table's rows as population rules citing ``source``: the least that keeps them all."""
    return [
        {
            "id": f"rule-{row.id}",
            "name": "A rule",
            "when": crampkit.unstructure(row.when),
            "excludes_categories": sorted(row.excludes_categories),
            "excludes_medicines": sorted(row.excludes_medicines),
            "reason": "No.",
            "sources": [source],
        }
        for row in exclusion_table()
    ]
