"""From a profile to a flat set of facts (the first step of the decision).

Numbers become facts through :data:`crampkit.THRESHOLDS`; medicines become
drug-class facts through the knowledge base's medicine matcher. The public
entry point is :func:`crampkit.derive_facts`, which checks its arguments and
resolves the knowledge base before calling :func:`derive`.
"""

from collections.abc import Iterable

from crampkit.knowledge.items import KnowledgeBase
from crampkit.knowledge.medicines import MedicationMatch, matcher
from crampkit.profile import Profile
from crampkit.thresholds import (
    ACTIVITY_FACTS,
    CLOT_RISK_FACTS,
    CONDITION_FACTS,
    EXERCISE_TIMING,
    SEX_FACTS,
    SITE_FACTS,
    SYMPTOM_FACTS,
    THRESHOLDS,
    TIMING_FACTS,
)
from crampkit.vocab import Fact, Symptom

__all__ = ["derive"]

_THRESHOLD_TESTS = tuple((threshold.compiled(), threshold.fact) for threshold in THRESHOLDS)


def _person_facts(profile: Profile) -> Iterable[Fact]:
    yield from (fact for holds, fact in _THRESHOLD_TESTS if holds(profile))
    if profile.sex in SEX_FACTS:
        yield SEX_FACTS[profile.sex]
    if profile.pregnant or profile.pregnancy_weeks is not None:
        yield Fact.PREGNANT
        if profile.pregnancy_weeks is None:  # unknown weeks count as 20 or more (the safer side)
            yield Fact.PREGNANCY_WEEKS_UNKNOWN
    if profile.age == 0 and profile.age_months is None:  # a baby of unknown months counts as the youngest
        yield from (Fact.AGE_UNDER_3_MONTHS, Fact.AGE_UNDER_6_MONTHS)
    if profile.sudden_onset:
        yield Fact.ONSET_SUDDEN
    if profile.activity is not None:
        yield ACTIVITY_FACTS[profile.activity]
    if profile.heat_exposure:
        yield Fact.HEAT_EXPOSURE
    if profile.habits.smoker:
        yield Fact.SMOKER
    yield from (CONDITION_FACTS[condition] for condition in profile.conditions)
    yield from (SYMPTOM_FACTS[symptom] for symptom in profile.symptoms)
    yield from (CLOT_RISK_FACTS[risk] for risk in profile.clot_risks)


def _cramp_facts(profile: Profile) -> Iterable[Fact]:
    cramps = profile.cramps
    yield from (SITE_FACTS[site] for site in cramps.sites)
    yield from (TIMING_FACTS[timing] for timing in cramps.timing)
    per_week = cramps.per_week or 0
    minutes = cramps.minutes or 0
    if cramps.reported or cramps.sites or cramps.timing or per_week > 0 or minutes > 0 or cramps.disturbs_sleep:
        yield Fact.CRAMPS_REPORTED
    elif cramps.reported is False:  # said to have no cramps: no cause of cramps assumed, no advice for one
        yield Fact.CRAMPS_DENIED
    if Symptom.CRAMP_LASTS_OVER_10_MIN in profile.symptoms:  # the same fact as the minutes threshold
        yield Fact.CRAMP_OVER_10_MIN
    if cramps.disturbs_sleep:
        yield Fact.SLEEP_DISTURBED
    if not EXERCISE_TIMING.isdisjoint(cramps.timing):
        yield Fact.EXERCISE_ASSOCIATED


def derive(profile: Profile, knowledge_base: KnowledgeBase) -> tuple[frozenset[Fact], MedicationMatch]:
    """Derive the facts of ``profile`` and the medication match behind them."""
    medication = matcher(knowledge_base).match(profile.medications)
    facts = {*_person_facts(profile), *_cramp_facts(profile), *medication.facts}
    if profile.medications:
        facts.add(Fact.MEDICATION_ANY)
    if medication.unrecognized:
        facts.add(Fact.MEDICATION_UNRECOGNIZED)
    if Fact.DRUG_OESTROGEN_CONTAINING in facts:
        facts.add(Fact.CLOT_RISK_OESTROGEN_PILL_OR_HRT)
    return frozenset(facts), medication
