"""From a profile to a flat set of facts.

Numbers become facts through :data:`THRESHOLDS`: each threshold is defined
once, as data, with the knowledge-base sources that justify it, and the same
record gives the fact, its label and the table in the documentation.
Medicines are matched to drug classes by :func:`match_medications`.
"""

import operator
from collections.abc import Callable, Iterable, Mapping
from types import MappingProxyType

import attrs

from crampkit._checks import argument, checked, names_argument
from crampkit._medicines import MedicationMatch, matcher
from crampkit.knowledge import DrugClass, KnowledgeBase
from crampkit.profile import MedicationName, Profile
from crampkit.vocab import Activity, ClotRisk, Condition, Fact, Sex, Site, Symptom, Timing

__all__ = [
    "FACT_LABELS",
    "THRESHOLDS",
    "MedicationMatch",
    "Threshold",
    "derive_facts",
    "match_medications",
]

_COMPARISONS: Mapping[str, Callable[[float, float], bool]] = MappingProxyType(
    {"<": operator.lt, ">=": operator.ge, ">": operator.gt}
)


@checked
@attrs.frozen(kw_only=True)
class Threshold:
    """A number in the profile that turns into a fact when it crosses a value.

    Attributes:
        fact: The fact that holds when ``field`` compares with ``value`` as ``comparison`` says.
        field: Where the number is in the profile, in dotted form (``"habits.alcohol_units_per_week"``).
        comparison: ``"<"``, ``">="`` or ``">"``.
        value: The threshold.
        label: The fact in plain words, as ``because`` lines show it.
        basis: Why this value, in a sentence.
        sources: Knowledge-base source ids behind it (empty when no source gives a threshold).

    .. versionadded:: 0.2
    """

    fact: Fact
    field: str
    comparison: str = attrs.field(validator=attrs.validators.in_(tuple(_COMPARISONS)))
    value: float
    label: str
    basis: str
    sources: tuple[str, ...] = ()

    def holds(self, profile: Profile) -> bool:
        """Whether the profile's number crosses this threshold (a missing number never does)."""
        return self.compiled()(profile)

    def compiled(self) -> Callable[[Profile], bool]:
        """:meth:`holds` as a function, with the field and the comparison looked up once."""
        number, compare, value = operator.attrgetter(self.field), _COMPARISONS[self.comparison], self.value

        def holds(profile: Profile) -> bool:
            found = number(profile)
            return found is not None and compare(found, value)

        return holds


THRESHOLDS: tuple[Threshold, ...] = (
    Threshold(
        fact=Fact.AGE_UNDER_5,
        field="age",
        comparison="<",
        value=5,
        label="under 5",
        basis="infants and pre-school children, whom a GP or health visitor should assess rather than self-care",
        sources=("govuk-health-visiting-0-5",),
    ),
    Threshold(
        fact=Fact.AGE_UNDER_18,
        field="age",
        comparison="<",
        value=18,
        label="under 18",
        basis="adulthood; the content is written for adults",
    ),
    Threshold(
        fact=Fact.AGE_50_PLUS,
        field="age",
        comparison=">=",
        value=50,
        label="aged 50 or over",
        basis="cramps become common from middle age; the stretching trial enrolled adults over 55",
        sources=("nice-cks-leg-cramps", "hallegraeff-2012"),
    ),
    Threshold(
        fact=Fact.AGE_60_PLUS,
        field="age",
        comparison=">=",
        value=60,
        label="aged 60 or over",
        basis="about a third of people over 60 have leg cramps",
        sources=("nice-cks-leg-cramps",),
    ),
    Threshold(
        fact=Fact.OBESITY,
        field="bmi",
        comparison=">=",
        value=30,
        label="BMI of 30 or more",
        basis="the usual adult definition of obesity; only the weak obesity risk factor uses it",
        sources=("grandner-2017-nlc",),
    ),
    Threshold(
        fact=Fact.ALCOHOL_HEAVY,
        field="habits.alcohol_units_per_week",
        comparison=">",
        value=14,
        label="more than 14 units of alcohol a week",
        basis="the UK low-risk drinking guideline of at most 14 units a week",
        sources=("cmo-low-risk-drinking-2016",),
    ),
    Threshold(
        fact=Fact.CAFFEINE_HIGH,
        field="habits.caffeine_drinks_per_day",
        comparison=">",
        value=4,
        label="more than 4 caffeinated drinks a day",
        basis="no sourced threshold: about four cups of coffee a day; only the caffeine advice for twitching "
        "uses it (see seed-audit claim m)",
    ),
    Threshold(
        fact=Fact.PREGNANT_20_WEEKS_PLUS,
        field="pregnancy_weeks",
        comparison=">=",
        value=20,
        label="20 or more weeks pregnant",
        basis="pre-eclampsia usually starts after 20 weeks of pregnancy",
        sources=("nhs-pre-eclampsia",),
    ),
    Threshold(
        fact=Fact.CRAMPS_FREQUENT,
        field="cramps.per_week",
        comparison=">=",
        value=3,
        label="cramps 3 or more times a week",
        basis="40% of older people with cramps have them three or more times a week",
        sources=("nice-cks-leg-cramps",),
    ),
    Threshold(
        fact=Fact.CRAMP_OVER_10_MIN,
        field="cramps.minutes",
        comparison=">",
        value=10,
        label="a cramp lasting more than 10 minutes",
        basis="cramps usually last seconds to 10 minutes; a longer one needs an urgent appointment",
        sources=("nhs-leg-cramps",),
    ),
)
"""Every threshold crampkit uses, each once (the documentation's table is generated from it).

.. versionadded:: 0.2
"""

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
    Fact.SEX_FEMALE: "female",
    Fact.SEX_MALE: "male",
    Fact.PREGNANT: "pregnant",
    Fact.ACTIVITY_SEDENTARY: "mostly sedentary",
    Fact.ACTIVITY_LIGHT: "lightly active",
    Fact.ACTIVITY_MODERATE: "moderately active",
    Fact.ACTIVITY_VIGOROUS: "vigorous exercise",
    Fact.HEAT_EXPOSURE: "exercise or work in heat",
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
    Fact.SLEEP_DISTURBED: "cramps disturb sleep",
    Fact.ONSET_SUDDEN: "symptoms came on suddenly",
    Fact.EXERCISE_ASSOCIATED: "cramps during or after exercise",
}


def _words(value: str) -> str:
    return value.replace("-", " ")


FACT_LABELS: Mapping[Fact, str] = MappingProxyType(
    {
        **_HAND_LABELS,
        **{threshold.fact: threshold.label for threshold in THRESHOLDS},
        **{fact: _words(condition.value) for condition, fact in _CONDITION.items()},
        **{fact: _words(symptom.value) for symptom, fact in _SYMPTOM.items()},
        **{fact: f"cramps in the {_words(site.value)}" for site, fact in _SITE.items()},
        **{fact: _words(risk.value) for risk, fact in _CLOT_RISK.items()},
        **{fact: f"cramps {_TIMING_PHRASES[timing]}" for timing, fact in _TIMING.items()},
    }
)
"""A short plain-language label for every fact, used in ``because`` lines."""

_LOAD_KB = "load one with crampkit.load_knowledge_base, or use crampkit.default_knowledge_base()"


def named_drug_classes(text: str, knowledge_base: KnowledgeBase) -> frozenset[DrugClass]:
    """The drug classes of every generic or brand name that ``text`` contains as whole words."""
    return matcher(knowledge_base).named(text)


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
    return matcher(knowledge_base).match(names)


_THRESHOLD_TESTS = tuple((threshold.compiled(), threshold.fact) for threshold in THRESHOLDS)


def _person_facts(profile: Profile) -> Iterable[Fact]:
    yield from (fact for holds, fact in _THRESHOLD_TESTS if holds(profile))
    if profile.sex in _SEX:
        yield _SEX[profile.sex]
    if profile.pregnant or profile.pregnancy_weeks is not None:
        yield Fact.PREGNANT
    if profile.sudden_onset:
        yield Fact.ONSET_SUDDEN
    if profile.activity is not None:
        yield _ACTIVITY[profile.activity]
    if profile.heat_exposure:
        yield Fact.HEAT_EXPOSURE
    if profile.habits.smoker:
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
    if Symptom.CRAMP_LASTS_OVER_10_MIN in profile.symptoms:  # the same fact as the minutes threshold
        yield Fact.CRAMP_OVER_10_MIN
    if cramps.disturbs_sleep:
        yield Fact.SLEEP_DISTURBED
    if not _EXERCISE_TIMING.isdisjoint(cramps.timing):
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
