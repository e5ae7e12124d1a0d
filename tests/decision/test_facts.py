"""Facts: every threshold, and medicine matching."""

from pathlib import Path

import pytest

import crampkit
from crampkit import Cramps, Fact, Habits, Profile, derive_facts, match_medications
from crampkit.thresholds import FACT_LABELS

MINI = crampkit.load_knowledge_base(Path(__file__).parents[1] / "data" / "mini.toml")


def facts(profile: Profile) -> frozenset[Fact]:
    return derive_facts(profile, knowledge_base=MINI)


def test_empty_profile_has_no_facts() -> None:
    assert facts(Profile()) == frozenset()


@pytest.mark.parametrize(
    ("age", "expected"),
    [
        (15, {Fact.AGE_UNDER_16, Fact.AGE_UNDER_18}),
        (16, {Fact.AGE_UNDER_18}),
        (17, {Fact.AGE_UNDER_18}),
        (18, set()),
        (49, set()),
        (50, {Fact.AGE_50_PLUS}),
        (59, {Fact.AGE_50_PLUS}),
        (60, {Fact.AGE_50_PLUS, Fact.AGE_60_PLUS}),
    ],
)
def test_age_bands(age: int, expected: set[Fact]) -> None:
    assert facts(Profile(age=age)) == expected


@pytest.mark.parametrize(
    ("age", "months", "expected"),
    [
        (0, None, {Fact.AGE_UNDER_3_MONTHS, Fact.AGE_UNDER_6_MONTHS}),  # months unknown: the youngest band
        (0, 0, {Fact.AGE_UNDER_3_MONTHS, Fact.AGE_UNDER_6_MONTHS}),
        (0, 2, {Fact.AGE_UNDER_3_MONTHS, Fact.AGE_UNDER_6_MONTHS}),
        (0, 3, {Fact.AGE_UNDER_6_MONTHS}),
        (0, 5, {Fact.AGE_UNDER_6_MONTHS}),
        (0, 6, set()),
        (0, 11, set()),
        (1, None, set()),
        (4, 59, set()),
    ],
)
def test_age_in_months_for_babies(age: int, months: int | None, expected: set[Fact]) -> None:
    under_2 = {Fact.AGE_UNDER_2} if age < 2 else set()  # (infantile spasms)
    children = {Fact.AGE_UNDER_5, Fact.AGE_UNDER_16, Fact.AGE_UNDER_18}
    assert facts(Profile(age=age, age_months=months)) == children | under_2 | expected


@pytest.mark.parametrize(("age", "under_2"), [(0, True), (1, True), (2, False), (4, False)])
def test_under_2_is_by_age_in_years(age: int, *, under_2: bool) -> None:
    assert (Fact.AGE_UNDER_2 in facts(Profile(age=age))) is under_2


@pytest.mark.parametrize(
    ("profile", "unknown"),
    [
        (Profile(pregnant=True), True),
        (Profile(pregnant=True, pregnancy_weeks=8), False),
        (Profile(pregnancy_weeks=30), False),
        (Profile(pregnant=False), False),
        (Profile(), False),
    ],
)
def test_weeks_of_pregnancy_unknown_only_when_pregnant_without_weeks(profile: Profile, unknown: bool) -> None:
    assert (Fact.PREGNANCY_WEEKS_UNKNOWN in facts(profile)) is unknown


def test_person_and_habit_thresholds() -> None:
    assert facts(Profile(bmi=29.9)) == frozenset()
    assert facts(Profile(bmi=30)) == {Fact.OBESITY}
    assert facts(Profile(habits=Habits(alcohol_units_per_week=14))) == frozenset()
    assert facts(Profile(habits=Habits(alcohol_units_per_week=14.5))) == {Fact.ALCOHOL_HEAVY}
    assert facts(Profile(habits=Habits(caffeine_drinks_per_day=4))) == frozenset()
    assert facts(Profile(habits=Habits(caffeine_drinks_per_day=5))) == {Fact.CAFFEINE_HIGH}
    assert facts(Profile(habits=Habits(smoker=True))) == {Fact.SMOKER}
    assert facts(Profile(habits=Habits(smoker=False))) == frozenset()
    assert facts(Profile(sex=crampkit.Sex.FEMALE, pregnant=True)) == {
        Fact.SEX_FEMALE,
        Fact.PREGNANT,
        Fact.PREGNANCY_WEEKS_UNKNOWN,
    }
    assert facts(Profile(sex=crampkit.Sex.MALE, pregnant=False)) == {Fact.SEX_MALE}
    assert facts(Profile(sex=crampkit.Sex.OTHER)) == frozenset()
    assert facts(Profile(activity=crampkit.Activity.SEDENTARY, heat_exposure=True)) == {
        Fact.ACTIVITY_SEDENTARY,
        Fact.HEAT_EXPOSURE,
    }
    assert facts(Profile(conditions=frozenset({crampkit.Condition.DIALYSIS}))) == {Fact.CONDITION_DIALYSIS}


def test_cramp_thresholds() -> None:
    assert facts(Profile(cramps=Cramps(per_week=2.5))) == {Fact.CRAMPS_REPORTED}
    assert facts(Profile(cramps=Cramps(per_week=3))) == {Fact.CRAMPS_REPORTED, Fact.CRAMPS_FREQUENT}
    assert facts(Profile(cramps=Cramps(minutes=10))) == {Fact.CRAMPS_REPORTED}
    assert facts(Profile(cramps=Cramps(minutes=1))) == {Fact.CRAMPS_REPORTED}
    assert facts(Profile(cramps=Cramps(per_week=0.5))) == {Fact.CRAMPS_REPORTED}
    assert facts(Profile(cramps=Cramps(minutes=11))) == {Fact.CRAMPS_REPORTED, Fact.CRAMP_OVER_10_MIN}
    assert facts(Profile(cramps=Cramps(per_week=0, minutes=0, disturbs_sleep=False))) == frozenset()
    assert facts(Profile(cramps=Cramps(disturbs_sleep=True))) == {Fact.CRAMPS_REPORTED, Fact.SLEEP_DISTURBED}
    symptom = Profile(symptoms=frozenset({crampkit.Symptom.CRAMP_LASTS_OVER_10_MIN}))
    assert facts(symptom) == {Fact.SYMPTOM_CRAMP_LASTS_OVER_10_MIN, Fact.CRAMP_OVER_10_MIN}
    after = Profile(
        cramps=Cramps(timing=frozenset({crampkit.Timing.AFTER_EXERCISE}), sites=frozenset({crampkit.Site.HAND}))
    )
    assert facts(after) == {Fact.TIMING_AFTER_EXERCISE, Fact.SITE_HAND, Fact.CRAMPS_REPORTED, Fact.EXERCISE_ASSOCIATED}


class TestMedicines:
    @pytest.mark.parametrize(
        "name",
        [
            "bendroflumethiazide",
            "Bendroflumethiazide",
            "  BENDROFLUMETHIAZIDE  ",
            "bendroflumethiazide 2.5mg tablets",
            "Natrilix SR",
            "C03AA01",
            "c03aa01",
            "C03BA11",
            "indapamide 2.5 mg once daily",
        ],
    )
    def test_names_brands_and_atc_codes_match(self, name: str) -> None:
        match = match_medications([name], MINI)
        assert match.facts == {Fact.DRUG_THIAZIDE_DIURETIC}
        assert match.classes == {name: ("thiazides",)}
        assert match.unrecognized == ()

    def test_a_name_with_a_word_crampkit_cannot_read_is_also_listed_as_unrecognised(self) -> None:
        # the test knowledge base knows indapamide but not perindopril: the class is used, and the name is
        # listed too, because a part of it went unchecked
        match = match_medications(["indapamide/perindopril", "Tylenol with bendroflumethiazide"], MINI)
        assert match.facts == {Fact.DRUG_THIAZIDE_DIURETIC}
        assert match.unrecognized == ("Tylenol with bendroflumethiazide", "indapamide/perindopril")

    @pytest.mark.parametrize("name", ["C03", "C03B", "C03BA10", "thiazide", "bendro", "aspirin", "2.5 mg"])
    def test_near_misses_do_not_match(self, name: str) -> None:
        match = match_medications([name], MINI)
        assert match.facts == frozenset()
        assert match.unrecognized == (name.strip(),)

    def test_combination_products_match_several_classes(self) -> None:
        match = match_medications(["indapamide + furosemide"], MINI)
        assert match.facts == {Fact.DRUG_THIAZIDE_DIURETIC, Fact.DRUG_LOOP_DIURETIC}
        assert match.classes == {"indapamide + furosemide": ("combo", "thiazides")}

    def test_hyphenated_names_stay_whole(self) -> None:
        assert match_medications(["Co-Amilofruse 5/40"], MINI).facts == {Fact.DRUG_LOOP_DIURETIC}

    def test_unrecognized_names_are_kept_and_flagged(self) -> None:
        found = facts(Profile(medications=frozenset({"zopiclone"})))
        assert found == {Fact.MEDICATION_ANY, Fact.MEDICATION_UNRECOGNIZED}


def test_every_fact_has_a_label() -> None:
    assert set(FACT_LABELS) == set(Fact)
    assert all(label and label == label.strip() for label in FACT_LABELS.values())


def test_default_knowledge_base_is_used_for_medicines() -> None:
    assert Fact.MEDICATION_ANY in derive_facts(Profile(medications=frozenset({"anything"})))
