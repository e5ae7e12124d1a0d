"""The thresholds that turn numbers in a profile into facts, and a plain-language label for every fact.

Each threshold is defined once, as data, with the knowledge-base sources
that justify it; the same record gives the fact, its label and the table in
the documentation. :data:`FACT_LABELS` are the words ``because`` lines and
safety-floor messages use for facts.

.. versionadded:: 0.2
"""

import operator
from collections.abc import Callable, Mapping
from types import MappingProxyType

import attrs

from crampkit._model.checks import checked
from crampkit.profile import Profile
from crampkit.vocab import Activity, ClotRisk, Condition, Fact, Sex, Site, Symptom, Timing

__all__ = ["FACT_LABELS", "THRESHOLDS", "Threshold"]

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
        fact=Fact.AGE_UNDER_3_MONTHS,
        field="age_months",
        comparison="<",
        value=3,
        label="a baby under 3 months",
        basis="a baby under 3 months with a high temperature is at high risk of serious illness and needs to be seen "
        "at once; age 0 with the months unknown counts too (the safer side)",
        sources=("nice-ng143", "nhs-healthier-together-fever"),
    ),
    Threshold(
        fact=Fact.AGE_UNDER_6_MONTHS,
        field="age_months",
        comparison="<",
        value=6,
        label="a baby under 6 months",
        basis="at 3 to 6 months a high temperature is an intermediate-risk sign that needs a clinician the same day; "
        "age 0 with the months unknown counts too",
        sources=("nice-ng143",),
    ),
    Threshold(
        fact=Fact.AGE_UNDER_2,
        field="age",
        comparison="<",
        value=2,
        label="a child under 2",
        basis="NICE gives children under 2 with suspected infantile spasms their own immediate referral; repeated "
        "spasms at this age are not taken for cramps",
        sources=("nice-ng217",),
    ),
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
        fact=Fact.AGE_UNDER_16,
        field="age",
        comparison="<",
        value=16,
        label="under 16",
        basis="aspirin is never given to children under 16 unless a doctor prescribes it (Reye's syndrome)",
        sources=("nhs-low-dose-aspirin",),
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
        fact=Fact.AGE_65_PLUS,
        field="age",
        comparison=">=",
        value=65,
        label="aged 65 or over",
        basis="from 65, anti-inflammatory painkillers make stomach ulcers and kidney problems more likely",
        sources=("nhs-ibuprofen", "scot-polypharmacy-nsaids"),
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
        basis="no sourced threshold: about four cups of coffee a day; only the advice on caffeine and twitching "
        "uses it (no usable evidence links caffeine with cramps)",
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

ACTIVITY_FACTS = {
    Activity.SEDENTARY: Fact.ACTIVITY_SEDENTARY,
    Activity.LIGHT: Fact.ACTIVITY_LIGHT,
    Activity.MODERATE: Fact.ACTIVITY_MODERATE,
    Activity.VIGOROUS: Fact.ACTIVITY_VIGOROUS,
}
SEX_FACTS = {Sex.FEMALE: Fact.SEX_FEMALE, Sex.MALE: Fact.SEX_MALE}
CONDITION_FACTS = {condition: Fact(f"condition-{condition.value}") for condition in Condition}
SYMPTOM_FACTS = {symptom: Fact(f"symptom-{symptom.value}") for symptom in Symptom}
CLOT_RISK_FACTS = {risk: Fact(f"clot-risk-{risk.value}") for risk in ClotRisk}
SITE_FACTS = {site: Fact(f"site-{site.value}") for site in Site}
TIMING_FACTS = {timing: Fact(f"timing-{timing.value}") for timing in Timing}
_TIMING_PHRASES = {
    Timing.NIGHT: "at night",
    Timing.REST: "at rest",
    Timing.DURING_EXERCISE: "during exercise",
    Timing.AFTER_EXERCISE: "after exercise",
    Timing.WORK: "at work",
}
EXERCISE_TIMING = frozenset({Timing.DURING_EXERCISE, Timing.AFTER_EXERCISE})

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
    Fact.DRUG_LITHIUM: "takes lithium",
    Fact.DRUG_CALCIUM_LOWERING: "takes a medicine that can lower blood calcium",
    Fact.DRUG_STATIN_INTERACTING: "takes a medicine that can raise statin levels",
    Fact.DRUG_ANTIPLATELET: "takes an antiplatelet medicine",
    Fact.DRUG_ASPIRIN: "takes a medicine that contains aspirin",
    Fact.DRUG_SSRI_SNRI: "takes an SSRI or SNRI antidepressant",
    Fact.DRUG_METHOTREXATE: "takes methotrexate",
    Fact.DRUG_PARACETAMOL: "takes a medicine that contains paracetamol",
    Fact.DRUG_RAAS_BLOCKER: "takes an ACE inhibitor or ARB ('pril' or 'sartan')",
    Fact.DRUG_DIGOXIN: "takes digoxin",
    Fact.DRUG_AMIODARONE: "takes amiodarone",
    Fact.DRUG_IVABRADINE: "takes ivabradine",
    Fact.DRUG_MACROLIDE: "takes a macrolide antibiotic",
    Fact.DRUG_SIMVASTATIN: "takes simvastatin",
    Fact.DRUG_METFORMIN: "takes metformin",
    Fact.DRUG_SGLT2_INHIBITOR: "takes an SGLT2 inhibitor ('flozin')",
    Fact.PREGNANCY_WEEKS_UNKNOWN: "pregnant, weeks not given",
    Fact.CRAMPS_REPORTED: "has cramps",
    Fact.CRAMPS_DENIED: "has no cramps",
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
        **{fact: _words(condition.value) for condition, fact in CONDITION_FACTS.items()},
        **{fact: _words(symptom.value) for symptom, fact in SYMPTOM_FACTS.items()},
        Fact.SYMPTOM_VISION_PROBLEMS: "new or sudden changes in eyesight",
        **{fact: f"cramps in the {_words(site.value)}" for site, fact in SITE_FACTS.items()},
        **{fact: _words(risk.value) for risk, fact in CLOT_RISK_FACTS.items()},
        **{fact: f"cramps {_TIMING_PHRASES[timing]}" for timing, fact in TIMING_FACTS.items()},
    }
)
"""A short plain-language label for every fact, used in ``because`` lines."""
