"""From a profile to a flat set of facts.

Every threshold crampkit uses lives here, once, with the knowledge-base
source that justifies it (source ids in brackets):

============================  =====  ==============================================
threshold                     value  basis
============================  =====  ==============================================
``age-under-5``               < 5    infants and pre-school children, whom a GP or
                                     health visitor should assess rather than
                                     self-care [govuk-health-visiting-0-5]
``age-under-18``              < 18   adulthood; the content is written for adults
``age-50-plus``               >= 50  cramps become common from middle age; the
                                     stretching trial enrolled adults over 55
                                     [nice-cks-leg-cramps, hallegraeff-2012]
``age-60-plus``               >= 60  about a third of people over 60 have leg
                                     cramps [nice-cks-leg-cramps]
``obesity``                   >= 30  BMI 30 or more, the usual adult definition of
                                     obesity; only the weak obesity risk factor
                                     uses it [grandner-2017-nlc]
``alcohol-heavy``             > 14   UK low-risk drinking guideline of at most 14
                                     units a week [cmo-low-risk-drinking-2016]
``caffeine-high``             > 4    no sourced threshold: about four cups of
                                     coffee a day; only the caffeine advice for
                                     twitching uses it (see seed-audit claim m)
``pregnant-20-weeks-plus``    >= 20  weeks of pregnancy; pre-eclampsia usually
                                     starts after 20 weeks [nhs-pre-eclampsia]
``cramps-frequent``           >= 3   a week; 40% of older people with cramps have
                                     them three or more times a week
                                     [nice-cks-leg-cramps]
``cramp-over-10-min``         > 10   minutes; cramps usually last seconds to 10
                                     minutes, a longer one needs an urgent
                                     appointment [nhs-leg-cramps]
============================  =====  ==============================================

Medicines are matched to drug classes by :func:`match_medications`.
"""

import re
from collections.abc import Iterable, Mapping
from types import MappingProxyType

import attrs

from crampkit._checks import argument, names_argument
from crampkit.knowledge import DrugClass, KnowledgeBase, medicine_words
from crampkit.profile import MedicationName, Profile
from crampkit.vocab import Activity, ClotRisk, Condition, Fact, Sex, Site, Symptom, Timing

__all__ = [
    "AGE_50_PLUS",
    "AGE_60_PLUS",
    "AGE_ADULT",
    "AGE_YOUNG_CHILD",
    "CAFFEINE_HIGH_DRINKS_PER_DAY",
    "FACT_LABELS",
    "FREQUENT_PER_WEEK",
    "HEAVY_ALCOHOL_UNITS_PER_WEEK",
    "LONG_CRAMP_MINUTES",
    "OBESITY_BMI",
    "PREGNANCY_LATER_WEEKS",
    "MedicationMatch",
    "derive_facts",
    "match_medications",
]

AGE_YOUNG_CHILD = 5
AGE_ADULT = 18
PREGNANCY_LATER_WEEKS = 20
AGE_50_PLUS = 50
AGE_60_PLUS = 60
OBESITY_BMI = 30.0
HEAVY_ALCOHOL_UNITS_PER_WEEK = 14.0
CAFFEINE_HIGH_DRINKS_PER_DAY = 4.0
FREQUENT_PER_WEEK = 3.0
LONG_CRAMP_MINUTES = 10.0

_ACTIVITY = {
    Activity.SEDENTARY: Fact.ACTIVITY_SEDENTARY,
    Activity.LIGHT: Fact.ACTIVITY_LIGHT,
    Activity.MODERATE: Fact.ACTIVITY_MODERATE,
    Activity.VIGOROUS: Fact.ACTIVITY_VIGOROUS,
}
_SEX = {Sex.FEMALE: Fact.SEX_FEMALE, Sex.MALE: Fact.SEX_MALE}
_CONDITION = {condition: Fact(f"condition-{condition.value}") for condition in Condition}
_SYMPTOM = {symptom: Fact(f"symptom-{symptom.value}") for symptom in Symptom}
_CLOT_RISK = {risk: Fact(f"clot-risk-{risk.value}") for risk in ClotRisk}
_SITE = {site: Fact(f"site-{site.value}") for site in Site}
_TIMING = {timing: Fact(f"timing-{timing.value}") for timing in Timing}
_TIMING_PHRASES = {
    Timing.NIGHT: "at night",
    Timing.REST: "at rest",
    Timing.DURING_EXERCISE: "during exercise",
    Timing.AFTER_EXERCISE: "after exercise",
    Timing.WORK: "at work",
}
_EXERCISE_TIMING = frozenset({Timing.DURING_EXERCISE, Timing.AFTER_EXERCISE})

_HAND_LABELS = {
    Fact.AGE_UNDER_5: "under 5",
    Fact.AGE_UNDER_18: "under 18",
    Fact.AGE_50_PLUS: "aged 50 or over",
    Fact.AGE_60_PLUS: "aged 60 or over",
    Fact.SEX_FEMALE: "female",
    Fact.SEX_MALE: "male",
    Fact.PREGNANT: "pregnant",
    Fact.PREGNANT_20_WEEKS_PLUS: "20 or more weeks pregnant",
    Fact.OBESITY: "BMI of 30 or more",
    Fact.ACTIVITY_SEDENTARY: "mostly sedentary",
    Fact.ACTIVITY_LIGHT: "lightly active",
    Fact.ACTIVITY_MODERATE: "moderately active",
    Fact.ACTIVITY_VIGOROUS: "vigorous exercise",
    Fact.HEAT_EXPOSURE: "exercise or work in heat",
    Fact.ALCOHOL_HEAVY: "more than 14 units of alcohol a week",
    Fact.CAFFEINE_HIGH: "more than 4 caffeinated drinks a day",
    Fact.SMOKER: "smokes",
    Fact.MEDICATION_ANY: "takes medicines",
    Fact.MEDICATION_UNRECOGNIZED: "takes a medicine crampkit does not recognise",
    Fact.DRUG_THIAZIDE_DIURETIC: "takes a thiazide or thiazide-like diuretic",
    Fact.DRUG_LOOP_DIURETIC: "takes a loop diuretic",
    Fact.DRUG_POTASSIUM_SPARING_DIURETIC: "takes a potassium-sparing diuretic",
    Fact.DRUG_STATIN: "takes a statin",
    Fact.DRUG_LABA: "uses a long-acting beta-2 agonist inhaler",
    Fact.DRUG_SABA: "uses a short-acting beta-2 agonist inhaler",
    Fact.DRUG_NIFEDIPINE: "takes nifedipine",
    Fact.DRUG_OESTROGEN_RECEPTOR: "takes raloxifene or an oestrogen",
    Fact.DRUG_TERIPARATIDE: "takes teriparatide",
    Fact.DRUG_IV_IRON: "has intravenous iron",
    Fact.DRUG_CHOLINESTERASE_INHIBITOR: "takes a cholinesterase inhibitor",
    Fact.DRUG_CALCIUM_CHANNEL_BLOCKER: "takes a calcium-channel blocker",
    Fact.DRUG_BETA_BLOCKER: "takes a beta-blocker",
    Fact.DRUG_ANTICOAGULANT: "takes an anticoagulant (blood thinner)",
    Fact.DRUG_NSAID: "takes an anti-inflammatory painkiller (NSAID)",
    Fact.DRUG_PPI: "takes a proton pump inhibitor",
    Fact.DRUG_CORTICOSTEROID: "takes a steroid medicine",
    Fact.DRUG_QUININE: "takes quinine",
    Fact.DRUG_OESTROGEN_CONTAINING: "takes an oestrogen-containing pill or HRT",
    Fact.CRAMPS_REPORTED: "has cramps",
    Fact.CRAMPS_FREQUENT: "cramps 3 or more times a week",
    Fact.CRAMP_OVER_10_MIN: "a cramp lasting more than 10 minutes",
    Fact.SLEEP_DISTURBED: "cramps disturb sleep",
    Fact.ONSET_SUDDEN: "symptoms came on suddenly",
    Fact.EXERCISE_ASSOCIATED: "cramps during or after exercise",
}


def _words(value: str) -> str:
    return value.replace("-", " ")


FACT_LABELS: Mapping[Fact, str] = MappingProxyType(
    {
        **_HAND_LABELS,
        **{fact: _words(condition.value) for condition, fact in _CONDITION.items()},
        **{fact: _words(symptom.value) for symptom, fact in _SYMPTOM.items()},
        **{fact: f"cramps in the {_words(site.value)}" for site, fact in _SITE.items()},
        **{fact: _words(risk.value) for risk, fact in _CLOT_RISK.items()},
        **{fact: f"cramps {_TIMING_PHRASES[timing]}" for timing, fact in _TIMING.items()},
    }
)
"""A short plain-language label for every fact, used in ``because`` lines."""

_LOAD_KB = "load one with crampkit.load_knowledge_base, or use crampkit.default_knowledge_base()"
_ATC = re.compile(r"^[A-Z][0-9]{2}(?:[A-Z](?:[A-Z](?:[0-9]{2})?)?)?$")
_MAX_NAME_WORDS = 4


@attrs.frozen(kw_only=True)
class MedicationMatch:
    """What a list of medicine names matched.

    Attributes:
        facts: The drug-class facts matched.
        classes: For each name that matched, the drug-class ids it matched.
        unrecognized: Names that matched no drug class, sorted.
    """

    facts: frozenset[Fact]
    classes: Mapping[str, tuple[str, ...]]
    unrecognized: tuple[str, ...]


def named_drug_classes(text: str, knowledge_base: KnowledgeBase) -> frozenset[DrugClass]:
    """The drug classes of every generic or brand name that ``text`` contains as whole words."""
    words = medicine_words(text)
    index = knowledge_base.medicine_index
    found: set[DrugClass] = set()
    for start in range(len(words)):
        for end in range(start + 1, min(start + _MAX_NAME_WORDS, len(words)) + 1):
            found |= index.get(" ".join(words[start:end]), frozenset())
    return frozenset(found)


def _classes_for(name: str, knowledge_base: KnowledgeBase) -> frozenset[DrugClass]:
    words = medicine_words(name)
    found = set(named_drug_classes(name, knowledge_base))
    for word in words:
        code = word.upper()
        if _ATC.match(code):
            found.update(
                drug_class
                for drug_class in knowledge_base.drug_classes
                if any(code.startswith(prefix.upper()) for prefix in drug_class.atc_codes)
            )
    return frozenset(found)


def match_medications(names: Iterable[str], knowledge_base: KnowledgeBase) -> MedicationMatch:
    """Match free-text medicine names to drug classes.

    A name matches a class when, ignoring case, it is one of the class's
    generic or brand names, contains one as a separate word or words
    (``"atorvastatin 20 mg"``), or contains a WHO ATC code that starts with
    one of the class's ATC codes. A name can match several classes
    (combination products). Names that match nothing are returned in
    ``unrecognized``, never dropped, each once: names that differ only in
    case or spacing (``"Zopiclone"``, ``" zopiclone "``) are reported once, in
    the first form given in sorted order, with its spacing tidied.

    Raises:
        InvalidInputError: ``names`` is a single string (not a collection of
            names), or holds something that is not a medicine name as a
            profile takes it; or ``knowledge_base`` is not a
            :class:`~crampkit.KnowledgeBase`.

    .. versionchanged:: 0.2
       Unrecognised names are reported once each after normalisation.
    """
    names = names_argument("match_medications", "names", names, MedicationName)
    argument("match_medications", "knowledge_base", knowledge_base, KnowledgeBase, _LOAD_KB)
    facts: set[Fact] = set()
    classes: dict[str, tuple[str, ...]] = {}
    unrecognized: dict[str, str] = {}
    for name in sorted(set(names)):
        found = _classes_for(name, knowledge_base)
        if found:
            facts.update(drug_class.fact for drug_class in found)
            classes[name] = tuple(sorted(drug_class.id for drug_class in found))
        else:
            tidy = " ".join(name.split())
            unrecognized.setdefault(tidy.casefold(), tidy)
    return MedicationMatch(
        facts=frozenset(facts), classes=MappingProxyType(classes), unrecognized=tuple(sorted(unrecognized.values()))
    )


def _person_facts(profile: Profile) -> Iterable[Fact]:
    if profile.age is not None:
        if profile.age < AGE_YOUNG_CHILD:
            yield Fact.AGE_UNDER_5
        if profile.age < AGE_ADULT:
            yield Fact.AGE_UNDER_18
        if profile.age >= AGE_50_PLUS:
            yield Fact.AGE_50_PLUS
        if profile.age >= AGE_60_PLUS:
            yield Fact.AGE_60_PLUS
    if profile.sex in _SEX:
        yield _SEX[profile.sex]
    if profile.pregnant or profile.pregnancy_weeks is not None:
        yield Fact.PREGNANT
    if profile.pregnancy_weeks is not None and profile.pregnancy_weeks >= PREGNANCY_LATER_WEEKS:
        yield Fact.PREGNANT_20_WEEKS_PLUS
    if profile.sudden_onset:
        yield Fact.ONSET_SUDDEN
    if profile.bmi is not None and profile.bmi >= OBESITY_BMI:
        yield Fact.OBESITY
    if profile.activity is not None:
        yield _ACTIVITY[profile.activity]
    if profile.heat_exposure:
        yield Fact.HEAT_EXPOSURE
    habits = profile.habits
    if habits.alcohol_units_per_week is not None and habits.alcohol_units_per_week > HEAVY_ALCOHOL_UNITS_PER_WEEK:
        yield Fact.ALCOHOL_HEAVY
    if habits.caffeine_drinks_per_day is not None and habits.caffeine_drinks_per_day > CAFFEINE_HIGH_DRINKS_PER_DAY:
        yield Fact.CAFFEINE_HIGH
    if habits.smoker:
        yield Fact.SMOKER
    yield from (_CONDITION[condition] for condition in profile.conditions)
    yield from (_SYMPTOM[symptom] for symptom in profile.symptoms)
    yield from (_CLOT_RISK[risk] for risk in profile.clot_risks)


def _cramp_facts(profile: Profile) -> Iterable[Fact]:
    cramps = profile.cramps
    yield from (_SITE[site] for site in cramps.sites)
    yield from (_TIMING[timing] for timing in cramps.timing)
    per_week = cramps.per_week or 0
    minutes = cramps.minutes or 0
    if cramps.reported or cramps.sites or cramps.timing or per_week > 0 or minutes > 0 or cramps.disturbs_sleep:
        yield Fact.CRAMPS_REPORTED
    if per_week >= FREQUENT_PER_WEEK:
        yield Fact.CRAMPS_FREQUENT
    if minutes > LONG_CRAMP_MINUTES or Symptom.CRAMP_LASTS_OVER_10_MIN in profile.symptoms:
        yield Fact.CRAMP_OVER_10_MIN
    if cramps.disturbs_sleep:
        yield Fact.SLEEP_DISTURBED
    if not _EXERCISE_TIMING.isdisjoint(cramps.timing):
        yield Fact.EXERCISE_ASSOCIATED


def derive(profile: Profile, knowledge_base: KnowledgeBase) -> tuple[frozenset[Fact], MedicationMatch]:
    """Derive the facts of ``profile`` and the medication match behind them."""
    medication = match_medications(profile.medications, knowledge_base)
    facts = {*_person_facts(profile), *_cramp_facts(profile), *medication.facts}
    if profile.medications:
        facts.add(Fact.MEDICATION_ANY)
    if medication.unrecognized:
        facts.add(Fact.MEDICATION_UNRECOGNIZED)
    if Fact.DRUG_OESTROGEN_CONTAINING in facts:
        facts.add(Fact.CLOT_RISK_OESTROGEN_PILL_OR_HRT)
    return frozenset(facts), medication


def derive_facts(profile: Profile, *, knowledge_base: KnowledgeBase | None = None) -> frozenset[Fact]:
    """The facts that hold for ``profile``.

    Args:
        profile: The person's profile.
        knowledge_base: Where drug classes come from; the default knowledge
            base when omitted.

    Returns:
        Every :class:`~crampkit.Fact` that holds. Adding information to a
        profile (a symptom, a condition, a medicine) only ever adds facts.

    Raises:
        InvalidInputError: ``profile`` is not a :class:`~crampkit.Profile`,
            or ``knowledge_base`` not a :class:`~crampkit.KnowledgeBase`.
    """
    argument("derive_facts", "profile", profile, Profile, "load JSON data with crampkit.load_profile")
    argument("derive_facts", "knowledge_base", knowledge_base, (KnowledgeBase, type(None)), _LOAD_KB)
    if knowledge_base is None:
        from crampkit._kb import default_knowledge_base  # noqa: PLC0415 - avoid an import cycle

        knowledge_base = default_knowledge_base()
    return derive(profile, knowledge_base)[0]
