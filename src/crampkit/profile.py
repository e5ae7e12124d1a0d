"""The input: what is known about a person and their cramps.

Every field is optional; an empty :class:`Profile` is valid and gets general
self-care guidance. List fields are stored as frozensets, so the order in
which items were given never matters.
"""

from typing import Annotated, Any, ClassVar

import attrs

from crampkit._model.checks import checked
from crampkit._model.constraints import Range, Text
from crampkit.exceptions import InvalidInputError, Problem, ProblemCode
from crampkit.vocab import Activity, Asked, ClotRisk, Condition, Sex, Site, Symptom, Timing

__all__ = ["Cramps", "Habits", "Profile", "example_profile"]

AGE = Range(0, 120, integer=True)
BMI = Range(10, 80)
PER_WEEK = Range(0, 100)
MINUTES = Range(0, 1440)
ALCOHOL_UNITS = Range(0, 500)
CAFFEINE_DRINKS = Range(0, 100)
PREGNANCY_WEEKS = Range(0, 45, integer=True)
AGE_MONTHS = Range(0, 59, integer=True)
MEDICATION_NAME = Text()

Age = Annotated[int, AGE]
Bmi = Annotated[float, BMI]
PerWeek = Annotated[float, PER_WEEK]
Minutes = Annotated[float, MINUTES]
AlcoholUnits = Annotated[float, ALCOHOL_UNITS]
CaffeineDrinks = Annotated[float, CAFFEINE_DRINKS]
PregnancyWeeks = Annotated[int, PREGNANCY_WEEKS]
AgeMonths = Annotated[int, AGE_MONTHS]
MedicationName = Annotated[str, MEDICATION_NAME]


@checked
@attrs.frozen(kw_only=True)
class Cramps:
    """What the cramps are like.

    Attributes:
        sites: Where they are felt.
        timing: When they happen.
        per_week: How many cramps in a typical week.
        minutes: How long a typical cramp lasts, in minutes.
        disturbs_sleep: Whether they wake the person or spoil their sleep.
        reported: Whether the person has cramps at all. ``True`` counts as
            cramps reported even when nothing else about them is known (for
            example a coded diagnosis of cramp); ``False`` says there are none,
            and then no other detail may be given.

            .. versionadded:: 0.2
    """

    sites: frozenset[Site] = frozenset()
    timing: frozenset[Timing] = frozenset()
    per_week: PerWeek | None = None
    minutes: Minutes | None = None
    disturbs_sleep: bool | None = None
    reported: bool | None = attrs.field(default=None)

    json_schema_rules: ClassVar[tuple[dict[str, Any], ...]] = (
        {
            "if": {"properties": {"reported": {"const": False}}, "required": ["reported"]},
            "then": {
                "properties": {
                    "sites": {"maxItems": 0},
                    "timing": {"maxItems": 0},
                    "per_week": {"enum": [None, 0]},
                    "minutes": {"enum": [None, 0]},
                    "disturbs_sleep": {"enum": [None, False]},
                }
            },
        },
    )
    """The rule that no detail of cramps goes with ``reported = false``, in JSON Schema form (a test holds the
    schema and the check to each other).

    .. versionadded:: 0.2
    """

    @reported.validator
    def _check_reported(self, _attribute: "attrs.Attribute[bool | None]", value: bool | None) -> None:
        if value is False and (self.sites or self.timing or self.per_week or self.minutes or self.disturbs_sleep):
            raise InvalidInputError(
                [Problem(("reported",), ProblemCode.CONFLICT, "is false, but details of cramps are given")]
            )


@checked
@attrs.frozen(kw_only=True)
class Habits:
    """Lifestyle habits that bear on cramps.

    Attributes:
        alcohol_units_per_week: UK units of alcohol in a typical week.
        caffeine_drinks_per_day: Caffeinated drinks (coffee, tea, cola, energy drinks) a day.
        smoker: Whether the person smokes.
    """

    alcohol_units_per_week: AlcoholUnits | None = None
    caffeine_drinks_per_day: CaffeineDrinks | None = None
    smoker: bool | None = None


@checked
@attrs.frozen(kw_only=True)
class Profile:
    """A person's profile: the single input of :func:`crampkit.recommend`.

    Attributes:
        age: Age in years (0 to 120).
        sex: Sex, if known.
        pregnant: Whether the person is pregnant.
        bmi: Body-mass index (10 to 80).
        activity: Usual level of physical activity.
        heat_exposure: Whether they exercise or work hard in hot conditions.
        medications: Medicines taken, as free text: generic names, brand or
            combination names, WHO ATC codes or ``RxNorm <code>``, with or
            without strengths and forms. Resolved to ingredients and drug
            classes (see :func:`crampkit.match_medications`); names that
            resolve to nothing are reported in
            :attr:`crampkit.Guidance.unrecognized_medications`.
        conditions: Diagnosed long-term conditions.
        cramps: What the cramps are like.
        symptoms: Other symptoms present now.
        habits: Alcohol, caffeine and smoking.
        pregnancy_weeks: Completed weeks of pregnancy (0 to 45); only with
            ``pregnant`` not false, and it implies pregnancy.

            .. versionadded:: 0.2
        clot_risks: Circumstances that make a blood clot more likely.

            .. versionadded:: 0.2
        sudden_onset: Whether the current symptoms came on suddenly (within
            minutes or hours) rather than gradually.

            .. versionadded:: 0.2
        absent_symptoms: Symptoms the person was asked about and does not
            have. They add no fact: the guidance is exactly what it would be
            had they not been asked. They only record that the question was
            answered, so :func:`crampkit.next_questions` does not ask it
            again. A symptom cannot be both in ``symptoms`` and here.

            .. versionadded:: 0.2
        age_months: Age in completed months, for a child under 5 (0 to 59): the
            fever advice for babies depends on it. Only with ``age``, and it
            must agree with it (``age`` is ``age_months // 12``). With ``age``
            0 and no months, crampkit takes the youngest band (under 3
            months), the safer side.

            .. versionadded:: 0.2
        asked: The lists the person has been asked about in full
            (``medications``, ``conditions``, ``clot-risks``, ``cramp-sites``,
            ``cramp-timing``), so that an empty one means "none" rather than
            "not known". Like ``absent_symptoms``, it adds no fact: it only
            stops :func:`crampkit.next_questions` asking again.

            .. versionadded:: 0.2
    """

    age: Age | None = None
    sex: Sex | None = None
    pregnant: bool | None = None
    bmi: Bmi | None = None
    activity: Activity | None = None
    heat_exposure: bool | None = None
    medications: frozenset[MedicationName] = frozenset()
    conditions: frozenset[Condition] = frozenset()
    cramps: Cramps = attrs.field(factory=Cramps)
    symptoms: frozenset[Symptom] = frozenset()
    habits: Habits = attrs.field(factory=Habits)
    pregnancy_weeks: PregnancyWeeks | None = attrs.field(default=None)
    clot_risks: frozenset[ClotRisk] = frozenset()
    sudden_onset: bool | None = None
    absent_symptoms: frozenset[Symptom] = attrs.field(default=frozenset())
    age_months: AgeMonths | None = attrs.field(default=None)
    asked: frozenset[Asked] = frozenset()

    json_schema_rules: ClassVar[tuple[dict[str, Any], ...]] = (
        {
            "if": {"properties": {"pregnant": {"const": False}}, "required": ["pregnant"]},
            "then": {"properties": {"pregnancy_weeks": {"type": "null"}}},
        },
        *(
            {
                "if": {"properties": {"symptoms": {"contains": {"const": symptom.value}}}, "required": ["symptoms"]},
                "then": {"properties": {"absent_symptoms": {"not": {"contains": {"const": symptom.value}}}}},
            }
            for symptom in Symptom
        ),
        {
            "if": {"properties": {"age_months": {"type": "integer"}}, "required": ["age_months"]},
            "then": {"properties": {"age": {"type": "integer"}}, "required": ["age"]},
        },
        *(
            {
                "if": {
                    "properties": {
                        "age_months": {"type": "integer", "minimum": 12 * years, "maximum": 12 * years + 11}
                    },
                    "required": ["age_months"],
                },
                "then": {"properties": {"age": {"const": years}}},
            }
            for years in range(int(AGE_MONTHS.high) // 12 + 1)
        ),
    )
    """The rules across fields, in JSON Schema form (a test holds the schema and the checks to each other):
    ``pregnancy_weeks`` never goes with ``pregnant = false``, no symptom is both present and absent, and
    ``age_months`` goes only with an ``age`` that agrees with it.

    .. versionadded:: 0.2
    .. versionchanged:: 0.2
       No symptom in both ``symptoms`` and ``absent_symptoms``; ``age_months`` agrees with ``age``.
    """

    @pregnancy_weeks.validator
    def _check_weeks(self, _attribute: "attrs.Attribute[int | None]", value: int | None) -> None:
        if value is not None and self.pregnant is False:
            raise InvalidInputError(
                [Problem(("pregnancy_weeks",), ProblemCode.CONFLICT, "given, but pregnant is false")]
            )

    @absent_symptoms.validator
    def _check_absent(self, _attribute: "attrs.Attribute[frozenset[Symptom]]", value: frozenset[Symptom]) -> None:
        both = sorted(value & self.symptoms)
        if both:
            listed = ", ".join(symptom.value for symptom in both)
            problem = f"also given as present in symptoms: {listed}"
            raise InvalidInputError([Problem(("absent_symptoms",), ProblemCode.CONFLICT, problem)])

    @age_months.validator
    def _check_months(self, _attribute: "attrs.Attribute[int | None]", value: int | None) -> None:
        if value is None:
            return
        if self.age is None:
            raise InvalidInputError([Problem(("age_months",), ProblemCode.CONFLICT, "given, but age is not")])
        if value // 12 != self.age:
            problem = f"is {value} months ({value // 12} years), but age is {self.age}"
            raise InvalidInputError([Problem(("age_months",), ProblemCode.CONFLICT, problem)])


def example_profile() -> Profile:
    """A sample profile: an older adult on a thiazide and a statin with night cramps.

    ``crampkit example`` prints it as JSON.
    """
    return Profile(
        age=72,
        sex=Sex.FEMALE,
        bmi=27.5,
        activity=Activity.LIGHT,
        medications=frozenset({"bendroflumethiazide", "Lipitor"}),
        conditions=frozenset({Condition.HYPERTENSION}),
        cramps=Cramps(
            sites=frozenset({Site.CALF, Site.FOOT}),
            timing=frozenset({Timing.NIGHT}),
            per_week=4,
            minutes=3,
            disturbs_sleep=True,
        ),
        habits=Habits(alcohol_units_per_week=6, caffeine_drinks_per_day=2, smoker=False),
    )
