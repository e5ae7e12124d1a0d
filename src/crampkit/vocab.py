"""Controlled vocabularies.

Every value that crosses the JSON boundary is a member of one of these
``StrEnum`` classes, so its JSON form is the kebab-case string shown here.
"""

from enum import StrEnum

__all__ = [
    "Activity",
    "Asked",
    "Authority",
    "Category",
    "Certainty",
    "ClotRisk",
    "Condition",
    "Fact",
    "Phase",
    "Sex",
    "Site",
    "SourceKind",
    "Stance",
    "Strength",
    "Symptom",
    "Timing",
    "Urgency",
]


class Sex(StrEnum):
    """Sex recorded in a profile."""

    FEMALE = "female"
    MALE = "male"
    OTHER = "other"


class Activity(StrEnum):
    """Usual level of physical activity."""

    SEDENTARY = "sedentary"
    LIGHT = "light"
    MODERATE = "moderate"
    VIGOROUS = "vigorous"


class Site(StrEnum):
    """Where cramps are felt."""

    CALF = "calf"
    THIGH = "thigh"
    FOOT = "foot"
    TOES = "toes"
    HAND = "hand"
    ARM = "arm"
    ABDOMEN = "abdomen"
    BACK = "back"
    RIBCAGE = "ribcage"
    NECK = "neck"


class Timing(StrEnum):
    """When cramps happen."""

    NIGHT = "night"
    REST = "rest"
    DURING_EXERCISE = "during-exercise"
    AFTER_EXERCISE = "after-exercise"
    WORK = "work"


class Condition(StrEnum):
    """Diagnosed long-term conditions that bear on cramps."""

    PERIPHERAL_ARTERY_DISEASE = "peripheral-artery-disease"
    DIABETES = "diabetes"
    NEUROPATHY = "neuropathy"
    CIRRHOSIS = "cirrhosis"
    CHRONIC_KIDNEY_DISEASE = "chronic-kidney-disease"
    DIALYSIS = "dialysis"
    HYPOTHYROIDISM = "hypothyroidism"
    LUMBAR_SPINAL_STENOSIS = "lumbar-spinal-stenosis"
    MOTOR_NEURONE_DISEASE = "motor-neurone-disease"
    MULTIPLE_SCLEROSIS = "multiple-sclerosis"
    PARKINSONS = "parkinsons"
    ELECTROLYTE_DISORDER = "electrolyte-disorder"
    VENOUS_INSUFFICIENCY = "venous-insufficiency"
    HYPERTENSION = "hypertension"
    HIGH_CHOLESTEROL = "high-cholesterol"
    HEART_FAILURE = "heart-failure"
    STOMACH_ULCER_OR_BLEEDING = "stomach-ulcer-or-bleeding"
    FLUID_RESTRICTION = "fluid-restriction"
    SLOW_HEART_RATE_OR_HEART_BLOCK = "slow-heart-rate-or-heart-block"
    """A slow heartbeat, heart block or sick sinus syndrome (added in 0.2)."""


class ClotRisk(StrEnum):
    """Circumstances that make a blood clot (DVT) more likely.

    .. versionadded:: 0.2
    """

    RECENT_SURGERY_OR_IMMOBILITY = "recent-surgery-or-immobility"
    LONG_TRAVEL = "long-travel"
    OESTROGEN_PILL_OR_HRT = "oestrogen-pill-or-hrt"
    ACTIVE_CANCER = "active-cancer"
    PREVIOUS_CLOT = "previous-clot"


class Asked(StrEnum):
    """A list in a profile that the person has been asked about in full, so that an empty list means "none".

    .. versionadded:: 0.2
    """

    MEDICATIONS = "medications"
    CONDITIONS = "conditions"
    CLOT_RISKS = "clot-risks"
    CRAMP_SITES = "cramp-sites"
    CRAMP_TIMING = "cramp-timing"


class Symptom(StrEnum):
    """Symptoms that accompany the cramps, present now.

    Each means what its question asks (``crampkit.decision.questions.QUESTION_TEXT``).
    Some are narrower than their names: ``vision-problems`` is a new or sudden
    change in eyesight (blurred or double vision, flashing lights, a shadow),
    not long-standing poor sight such as needing glasses; ``severe-pain`` is
    cramps or muscle pain that are very painful; ``recent-wound`` is a cut,
    bite, burn or scratch in the last few weeks; ``reduced-urine`` is passing
    much less urine than usual.

    .. versionchanged:: 0.2
       ``cold-or-pale-leg``: a leg or foot that has turned cold, pale or blue.
       ``vision-problems`` is about new or sudden changes only. ``chest-tightness``:
       the chest feels tight or heavy, as if squeezed. ``vaginal-bleeding``: bleeding or spotting from the
       vagina that is not a normal period (between periods, after sex, or in pregnancy).
    """

    CALF_SWELLING = "calf-swelling"
    REDNESS_OR_WARMTH = "redness-or-warmth"
    MUSCLE_WEAKNESS = "muscle-weakness"
    MUSCLE_WASTING = "muscle-wasting"
    MUSCLE_TWITCHING = "muscle-twitching"
    NUMBNESS_OR_TINGLING = "numbness-or-tingling"
    PAIN_WALKING_RELIEVED_BY_REST = "pain-walking-relieved-by-rest"
    DARK_URINE = "dark-urine"
    SEVERE_PAIN = "severe-pain"
    TINGLING_AROUND_MOUTH = "tingling-around-mouth"
    JAW_STIFFNESS = "jaw-stiffness"
    RECENT_WOUND = "recent-wound"
    CONFUSION = "confusion"
    SEIZURE = "seizure"
    DIZZINESS = "dizziness"
    HEAVY_SWEATING = "heavy-sweating"
    VOMITING = "vomiting"
    DIARRHOEA = "diarrhoea"
    NEW_MEDICATION = "new-medication"
    CRAMP_LASTS_OVER_10_MIN = "cramp-lasts-over-10-min"
    SWELLING_HANDS_OR_FACE = "swelling-hands-or-face"
    HEADACHE = "headache"
    VISION_PROBLEMS = "vision-problems"
    PAIN_BELOW_RIBS = "pain-below-ribs"
    BREATHLESSNESS = "breathlessness"
    CHEST_PAIN = "chest-pain"
    NOT_EASED_BY_SELF_CARE = "not-eased-by-self-care"
    CHEST_PAIN_SPREADING = "chest-pain-spreading"
    CHEST_TIGHTNESS = "chest-tightness"
    FEVER = "fever"
    COLLAPSE_OR_FAINTING = "collapse-or-fainting"
    REDUCED_URINE = "reduced-urine"
    HAND_OR_FOOT_SPASM = "hand-or-foot-spasm"
    SEVERE_ABDOMINAL_PAIN = "severe-abdominal-pain"
    COLD_OR_PALE_LEG = "cold-or-pale-leg"
    VAGINAL_BLEEDING = "vaginal-bleeding"


class Certainty(StrEnum):
    """GRADE certainty of the evidence behind an intervention."""

    HIGH = "high"
    MODERATE = "moderate"
    LOW = "low"
    VERY_LOW = "very-low"


class Stance(StrEnum):
    """What crampkit says about an intervention."""

    RECOMMENDED = "recommended"
    OPTIONAL = "optional"
    NOT_RECOMMENDED = "not-recommended"


class Urgency(StrEnum):
    """How soon to seek care, lowest to highest (compare with :attr:`level`)."""

    SELF_CARE = "self-care"
    ROUTINE = "routine"
    SOON = "soon"
    URGENT = "urgent"
    EMERGENCY = "emergency"

    @property
    def level(self) -> int:
        """Position on the scale, from 0 for ``self-care`` up to 4 for ``emergency``."""
        return _URGENCY_LEVELS[self]

    @property
    def is_urgent(self) -> bool:
        """Whether it is ``urgent`` or ``emergency``: care is needed now, and only advice safe while waiting is given.

        .. versionadded:: 0.2
        """
        return _URGENCY_LEVELS[self] >= _URGENCY_LEVELS[Urgency.URGENT]


_URGENCY_LEVELS = {urgency: level for level, urgency in enumerate(Urgency)}


class Phase(StrEnum):
    """Whether an intervention is for an ongoing cramp or for prevention."""

    DURING = "during"
    PREVENT = "prevent"


class Category(StrEnum):
    """Kind of intervention.

    ``referral`` (a local service to be referred or sent to, such as a
    clinic's physiotherapy or podiatry service) and ``leaflet`` (written
    information to read, such as a clinic's own leaflet, cited as a source
    of kind ``patient-information``) are for a custom knowledge base's own
    items: the packaged knowledge base has none. Like every intervention
    they are ranked by their score (see :doc:`/how-it-decides`), in the
    first line, and name no medicine.

    .. versionchanged:: 0.2
       ``referral`` and ``leaflet``.
    """

    STRETCHING = "stretching"
    MASSAGE = "massage"
    HEAT_OR_COLD = "heat-or-cold"
    MOVEMENT = "movement"
    HYDRATION = "hydration"
    ELECTROLYTES = "electrolytes"
    SLEEP_POSITION = "sleep-position"
    BEDDING = "bedding"
    FOOTWEAR = "footwear"
    EXERCISE_HABITS = "exercise-habits"
    HEAT_AVOIDANCE = "heat-avoidance"
    WEIGHT = "weight"
    ALCOHOL_CAFFEINE = "alcohol-caffeine"
    MEDICATION_REVIEW = "medication-review"
    CLINICAL_REVIEW = "clinical-review"
    SUPPLEMENT = "supplement"
    PRESCRIPTION_DRUG = "prescription-drug"
    PAIN_RELIEF = "pain-relief"
    SMOKING = "smoking"
    REFERRAL = "referral"
    LEAFLET = "leaflet"

    @property
    def second_line(self) -> bool:
        """Whether it is a second line: prescription drugs and supplements.

        They are offered only after self-care ("if cramps stay troublesome after
        some weeks of stretching"): ranked below every item of the first line,
        left out of the short form, and held back while a warning sign or a
        medicine may explain the cramps (see :func:`crampkit.recommend`).

        .. versionadded:: 0.2
        """
        return self in _SECOND_LINE


_SECOND_LINE = frozenset({Category.PRESCRIPTION_DRUG, Category.SUPPLEMENT})


class SourceKind(StrEnum):
    """Kind of publication a source is."""

    GUIDELINE = "guideline"
    SYSTEMATIC_REVIEW = "systematic-review"
    TRIAL = "trial"
    OBSERVATIONAL = "observational"
    REFERENCE = "reference"
    PATIENT_INFORMATION = "patient-information"


class Authority(StrEnum):
    """How much weight a source carries, highest first.

    .. versionadded:: 0.2
    """

    GUIDELINE = "guideline"
    SYSTEMATIC_REVIEW = "systematic-review"
    PRIMARY_STUDY = "primary-study"
    NATIONAL_PATIENT_INFORMATION = "national-patient-information"
    SECONDARY = "secondary"


class Strength(StrEnum):
    """How strongly a risk factor raises a cause (weights 3, 2 and 1)."""

    STRONG = "strong"
    MODERATE = "moderate"
    WEAK = "weak"


class Fact(StrEnum):
    """A boolean fact derived from a profile by :func:`crampkit.derive_facts`.

    Knowledge-base criteria are written over these names.

    .. versionchanged:: 0.2
       ``age-under-3-months`` and ``age-under-6-months`` (from ``Profile.age_months``, or ``age`` 0 with the
       months unknown), ``pregnancy-weeks-unknown``, ``symptom-cold-or-pale-leg``, and the drug classes
       ``drug-lithium``, ``drug-calcium-lowering``, ``drug-statin-interacting``, ``drug-digoxin``,
       ``drug-amiodarone``, ``drug-ivabradine``, ``drug-macrolide``, ``drug-simvastatin``, ``drug-metformin``
       and ``drug-sglt2-inhibitor``; ``condition-slow-heart-rate-or-heart-block``; ``age-under-2`` and
       ``symptom-vaginal-bleeding``; ``age-under-16`` and ``drug-aspirin`` (aspirin at any dose, for pain or
       low-dose; it is also an antiplatelet).
    """

    # Person
    AGE_UNDER_3_MONTHS = "age-under-3-months"
    AGE_UNDER_6_MONTHS = "age-under-6-months"
    AGE_UNDER_2 = "age-under-2"
    AGE_UNDER_5 = "age-under-5"
    AGE_UNDER_16 = "age-under-16"
    AGE_UNDER_18 = "age-under-18"
    AGE_50_PLUS = "age-50-plus"
    AGE_60_PLUS = "age-60-plus"
    AGE_65_PLUS = "age-65-plus"
    SEX_FEMALE = "sex-female"
    SEX_MALE = "sex-male"
    PREGNANT = "pregnant"
    PREGNANT_20_WEEKS_PLUS = "pregnant-20-weeks-plus"
    PREGNANCY_WEEKS_UNKNOWN = "pregnancy-weeks-unknown"
    OBESITY = "obesity"
    ACTIVITY_SEDENTARY = "activity-sedentary"
    ACTIVITY_LIGHT = "activity-light"
    ACTIVITY_MODERATE = "activity-moderate"
    ACTIVITY_VIGOROUS = "activity-vigorous"
    HEAT_EXPOSURE = "heat-exposure"
    # Habits
    ALCOHOL_HEAVY = "alcohol-heavy"
    CAFFEINE_HIGH = "caffeine-high"
    SMOKER = "smoker"
    # Conditions
    CONDITION_PERIPHERAL_ARTERY_DISEASE = "condition-peripheral-artery-disease"
    CONDITION_DIABETES = "condition-diabetes"
    CONDITION_NEUROPATHY = "condition-neuropathy"
    CONDITION_CIRRHOSIS = "condition-cirrhosis"
    CONDITION_CHRONIC_KIDNEY_DISEASE = "condition-chronic-kidney-disease"
    CONDITION_DIALYSIS = "condition-dialysis"
    CONDITION_HYPOTHYROIDISM = "condition-hypothyroidism"
    CONDITION_LUMBAR_SPINAL_STENOSIS = "condition-lumbar-spinal-stenosis"
    CONDITION_MOTOR_NEURONE_DISEASE = "condition-motor-neurone-disease"
    CONDITION_MULTIPLE_SCLEROSIS = "condition-multiple-sclerosis"
    CONDITION_PARKINSONS = "condition-parkinsons"
    CONDITION_ELECTROLYTE_DISORDER = "condition-electrolyte-disorder"
    CONDITION_VENOUS_INSUFFICIENCY = "condition-venous-insufficiency"
    CONDITION_HYPERTENSION = "condition-hypertension"
    CONDITION_HIGH_CHOLESTEROL = "condition-high-cholesterol"
    CONDITION_HEART_FAILURE = "condition-heart-failure"
    CONDITION_STOMACH_ULCER_OR_BLEEDING = "condition-stomach-ulcer-or-bleeding"
    CONDITION_FLUID_RESTRICTION = "condition-fluid-restriction"
    CONDITION_SLOW_HEART_RATE_OR_HEART_BLOCK = "condition-slow-heart-rate-or-heart-block"
    # Clot context
    CLOT_RISK_RECENT_SURGERY_OR_IMMOBILITY = "clot-risk-recent-surgery-or-immobility"
    CLOT_RISK_LONG_TRAVEL = "clot-risk-long-travel"
    CLOT_RISK_OESTROGEN_PILL_OR_HRT = "clot-risk-oestrogen-pill-or-hrt"
    CLOT_RISK_ACTIVE_CANCER = "clot-risk-active-cancer"
    CLOT_RISK_PREVIOUS_CLOT = "clot-risk-previous-clot"
    # Medicines
    MEDICATION_ANY = "medication-any"
    MEDICATION_UNRECOGNIZED = "medication-unrecognized"
    DRUG_THIAZIDE_DIURETIC = "drug-thiazide-diuretic"
    DRUG_LOOP_DIURETIC = "drug-loop-diuretic"
    DRUG_POTASSIUM_SPARING_DIURETIC = "drug-potassium-sparing-diuretic"
    DRUG_STATIN = "drug-statin"
    DRUG_LABA = "drug-laba"
    DRUG_SABA = "drug-saba"
    DRUG_NIFEDIPINE = "drug-nifedipine"
    DRUG_OESTROGEN_RECEPTOR = "drug-oestrogen-receptor"
    DRUG_TERIPARATIDE = "drug-teriparatide"
    DRUG_IV_IRON = "drug-iv-iron"
    DRUG_CHOLINESTERASE_INHIBITOR = "drug-cholinesterase-inhibitor"
    DRUG_CALCIUM_CHANNEL_BLOCKER = "drug-calcium-channel-blocker"
    DRUG_BETA_BLOCKER = "drug-beta-blocker"
    DRUG_ANTICOAGULANT = "drug-anticoagulant"
    DRUG_NSAID = "drug-nsaid"
    DRUG_PPI = "drug-ppi"
    DRUG_CORTICOSTEROID = "drug-corticosteroid"
    DRUG_QUININE = "drug-quinine"
    DRUG_OESTROGEN_CONTAINING = "drug-oestrogen-containing"
    DRUG_ANTIPLATELET = "drug-antiplatelet"
    DRUG_ASPIRIN = "drug-aspirin"
    DRUG_SSRI_SNRI = "drug-ssri-snri"
    DRUG_METHOTREXATE = "drug-methotrexate"
    DRUG_PARACETAMOL = "drug-paracetamol"
    DRUG_RAAS_BLOCKER = "drug-raas-blocker"
    DRUG_LITHIUM = "drug-lithium"
    DRUG_CALCIUM_LOWERING = "drug-calcium-lowering"
    DRUG_STATIN_INTERACTING = "drug-statin-interacting"
    DRUG_DIGOXIN = "drug-digoxin"
    DRUG_AMIODARONE = "drug-amiodarone"
    DRUG_IVABRADINE = "drug-ivabradine"
    DRUG_MACROLIDE = "drug-macrolide"
    DRUG_SIMVASTATIN = "drug-simvastatin"
    DRUG_METFORMIN = "drug-metformin"
    DRUG_SGLT2_INHIBITOR = "drug-sglt2-inhibitor"
    # Cramps
    CRAMPS_REPORTED = "cramps-reported"
    CRAMPS_DENIED = "cramps-denied"
    CRAMPS_FREQUENT = "cramps-frequent"
    CRAMP_OVER_10_MIN = "cramp-over-10-min"
    SLEEP_DISTURBED = "sleep-disturbed"
    ONSET_SUDDEN = "onset-sudden"
    EXERCISE_ASSOCIATED = "exercise-associated"
    SITE_CALF = "site-calf"
    SITE_THIGH = "site-thigh"
    SITE_FOOT = "site-foot"
    SITE_TOES = "site-toes"
    SITE_HAND = "site-hand"
    SITE_ARM = "site-arm"
    SITE_ABDOMEN = "site-abdomen"
    SITE_BACK = "site-back"
    SITE_RIBCAGE = "site-ribcage"
    SITE_NECK = "site-neck"
    TIMING_NIGHT = "timing-night"
    TIMING_REST = "timing-rest"
    TIMING_DURING_EXERCISE = "timing-during-exercise"
    TIMING_AFTER_EXERCISE = "timing-after-exercise"
    TIMING_WORK = "timing-work"
    # Symptoms
    SYMPTOM_CALF_SWELLING = "symptom-calf-swelling"
    SYMPTOM_REDNESS_OR_WARMTH = "symptom-redness-or-warmth"
    SYMPTOM_MUSCLE_WEAKNESS = "symptom-muscle-weakness"
    SYMPTOM_MUSCLE_WASTING = "symptom-muscle-wasting"
    SYMPTOM_MUSCLE_TWITCHING = "symptom-muscle-twitching"
    SYMPTOM_NUMBNESS_OR_TINGLING = "symptom-numbness-or-tingling"
    SYMPTOM_PAIN_WALKING_RELIEVED_BY_REST = "symptom-pain-walking-relieved-by-rest"
    SYMPTOM_DARK_URINE = "symptom-dark-urine"
    SYMPTOM_SEVERE_PAIN = "symptom-severe-pain"
    SYMPTOM_TINGLING_AROUND_MOUTH = "symptom-tingling-around-mouth"
    SYMPTOM_JAW_STIFFNESS = "symptom-jaw-stiffness"
    SYMPTOM_RECENT_WOUND = "symptom-recent-wound"
    SYMPTOM_CONFUSION = "symptom-confusion"
    SYMPTOM_SEIZURE = "symptom-seizure"
    SYMPTOM_DIZZINESS = "symptom-dizziness"
    SYMPTOM_HEAVY_SWEATING = "symptom-heavy-sweating"
    SYMPTOM_VOMITING = "symptom-vomiting"
    SYMPTOM_DIARRHOEA = "symptom-diarrhoea"
    SYMPTOM_NEW_MEDICATION = "symptom-new-medication"
    SYMPTOM_CRAMP_LASTS_OVER_10_MIN = "symptom-cramp-lasts-over-10-min"
    SYMPTOM_SWELLING_HANDS_OR_FACE = "symptom-swelling-hands-or-face"
    SYMPTOM_HEADACHE = "symptom-headache"
    SYMPTOM_VISION_PROBLEMS = "symptom-vision-problems"
    SYMPTOM_PAIN_BELOW_RIBS = "symptom-pain-below-ribs"
    SYMPTOM_BREATHLESSNESS = "symptom-breathlessness"
    SYMPTOM_CHEST_PAIN = "symptom-chest-pain"
    SYMPTOM_NOT_EASED_BY_SELF_CARE = "symptom-not-eased-by-self-care"
    SYMPTOM_CHEST_PAIN_SPREADING = "symptom-chest-pain-spreading"
    SYMPTOM_CHEST_TIGHTNESS = "symptom-chest-tightness"
    SYMPTOM_FEVER = "symptom-fever"
    SYMPTOM_COLLAPSE_OR_FAINTING = "symptom-collapse-or-fainting"
    SYMPTOM_REDUCED_URINE = "symptom-reduced-urine"
    SYMPTOM_HAND_OR_FOOT_SPASM = "symptom-hand-or-foot-spasm"
    SYMPTOM_SEVERE_ABDOMINAL_PAIN = "symptom-severe-abdominal-pain"
    SYMPTOM_COLD_OR_PALE_LEG = "symptom-cold-or-pale-leg"
    SYMPTOM_VAGINAL_BLEEDING = "symptom-vaginal-bleeding"
