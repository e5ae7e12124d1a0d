"""The input: what is known about a person and their cramps.

Every field is optional; an empty :class:`Profile` is valid and gets general
self-care guidance. List fields are stored as frozensets, so the order in
which items were given never matters.
"""

from collections.abc import Iterable
from enum import StrEnum
from typing import Annotated, TypeVar

import attrs

from crampkit._validators import MAX_ITEMS, Range, Text
from crampkit.exceptions import InvalidInputError
from crampkit.vocab import Activity, ClotRisk, Condition, Sex, Site, Symptom, Timing

__all__ = ["Cramps", "Habits", "Profile", "example_profile"]

AGE = Range(0, 120, integer=True)
BMI = Range(10, 80)
PER_WEEK = Range(0, 100)
MINUTES = Range(0, 1440)
ALCOHOL_UNITS = Range(0, 500)
CAFFEINE_DRINKS = Range(0, 100)
PREGNANCY_WEEKS = Range(0, 45, integer=True)
MEDICATION_NAME = Text()

Age = Annotated[int, AGE]
Bmi = Annotated[float, BMI]
PerWeek = Annotated[float, PER_WEEK]
Minutes = Annotated[float, MINUTES]
AlcoholUnits = Annotated[float, ALCOHOL_UNITS]
CaffeineDrinks = Annotated[float, CAFFEINE_DRINKS]
PregnancyWeeks = Annotated[int, PREGNANCY_WEEKS]
MedicationName = Annotated[str, MEDICATION_NAME]


E = TypeVar("E", bound=StrEnum)


def _enum_set(kind: type[E], values: Iterable[str]) -> frozenset[E]:
    if isinstance(values, str):
        raise InvalidInputError([f"expected a collection of {kind.__name__} values, not a single string"])
    known = {member.value for member in kind}
    unknown = sorted(repr(value) for value in values if value not in known)
    if unknown:
        raise InvalidInputError([f"unknown {kind.__name__} value(s): {', '.join(unknown)}"])
    return frozenset(kind(value) for value in values)


def _sites(values: Iterable[str]) -> frozenset[Site]:
    return _enum_set(Site, values)


def _timings(values: Iterable[str]) -> frozenset[Timing]:
    return _enum_set(Timing, values)


def _conditions(values: Iterable[str]) -> frozenset[Condition]:
    return _enum_set(Condition, values)


def _symptoms(values: Iterable[str]) -> frozenset[Symptom]:
    return _enum_set(Symptom, values)


def _clot_risks(values: Iterable[str]) -> frozenset[ClotRisk]:
    return _enum_set(ClotRisk, values)


def _names(values: Iterable[str]) -> frozenset[str]:
    if isinstance(values, str):
        raise InvalidInputError(["medications: expected a collection of medicine names, not a single string"])
    return frozenset(values)


def _medication_names(_inst: object, attribute: "attrs.Attribute[frozenset[str]]", value: frozenset[str]) -> None:
    if len(value) > MAX_ITEMS:
        raise InvalidInputError([f"{attribute.name}: at most {MAX_ITEMS} items, got {len(value)}"])
    for name in sorted(value, key=repr):
        problem = MEDICATION_NAME.problem(name)
        if problem is not None:
            raise InvalidInputError([f"{attribute.name}: {name!r}: {problem}"])


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

    sites: frozenset[Site] = attrs.field(default=frozenset(), converter=_sites)
    timing: frozenset[Timing] = attrs.field(default=frozenset(), converter=_timings)
    per_week: PerWeek | None = attrs.field(default=None, validator=PER_WEEK)
    minutes: Minutes | None = attrs.field(default=None, validator=MINUTES)
    disturbs_sleep: bool | None = None
    reported: bool | None = attrs.field(default=None)

    @reported.validator
    def _check_reported(self, _attribute: "attrs.Attribute[bool | None]", value: bool | None) -> None:
        if value is False and (self.sites or self.timing or self.per_week or self.minutes or self.disturbs_sleep):
            raise InvalidInputError(["reported: is false, but details of cramps are given"])


@attrs.frozen(kw_only=True)
class Habits:
    """Lifestyle habits that bear on cramps.

    Attributes:
        alcohol_units_per_week: UK units of alcohol in a typical week.
        caffeine_drinks_per_day: Caffeinated drinks (coffee, tea, cola, energy drinks) a day.
        smoker: Whether the person smokes.
    """

    alcohol_units_per_week: AlcoholUnits | None = attrs.field(default=None, validator=ALCOHOL_UNITS)
    caffeine_drinks_per_day: CaffeineDrinks | None = attrs.field(default=None, validator=CAFFEINE_DRINKS)
    smoker: bool | None = None


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
        medications: Medicines taken, as free text: generic names, brand names
            or ATC codes. Matched case-insensitively to drug classes; names
            that match nothing are reported in
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
    """

    age: Age | None = attrs.field(default=None, validator=AGE)
    sex: Sex | None = None
    pregnant: bool | None = None
    bmi: Bmi | None = attrs.field(default=None, validator=BMI)
    activity: Activity | None = None
    heat_exposure: bool | None = None
    medications: frozenset[MedicationName] = attrs.field(
        default=frozenset(), converter=_names, validator=_medication_names
    )
    conditions: frozenset[Condition] = attrs.field(default=frozenset(), converter=_conditions)
    cramps: Cramps = attrs.field(factory=Cramps)
    symptoms: frozenset[Symptom] = attrs.field(default=frozenset(), converter=_symptoms)
    habits: Habits = attrs.field(factory=Habits)
    pregnancy_weeks: PregnancyWeeks | None = attrs.field(default=None, validator=PREGNANCY_WEEKS)
    clot_risks: frozenset[ClotRisk] = attrs.field(default=frozenset(), converter=_clot_risks)
    sudden_onset: bool | None = None

    @pregnancy_weeks.validator
    def _check_weeks(self, _attribute: "attrs.Attribute[int | None]", value: int | None) -> None:
        if value is not None and self.pregnant is False:
            raise InvalidInputError(["pregnancy_weeks: given, but pregnant is false"])


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
