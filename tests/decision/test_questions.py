"""Questions to ask next (``next_questions``), how answers are read and recorded, and the order they come in."""

import functools
import json
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import attrs
import jsonschema
import pytest
from hypothesis import given
from hypothesis import strategies as st

import crampkit
from crampkit import (
    AnswerKind,
    Asked,
    Choice,
    Fact,
    InvalidInputError,
    Profile,
    Question,
    Sex,
    Symptom,
    Urgency,
    next_questions,
    recommend,
)
from crampkit.decision.questions import (
    CHILDBEARING_AGES,
    CHOICE_TEXT,
    CRAMP_SYMPTOMS,
    NO,
    NONE,
    QUESTION_TEXT,
    YES,
)
from crampkit.decision.questions._atoms import _symptom_open
from crampkit.decision.questions._building import build
from crampkit.decision.questions._index import index_of
from crampkit.decision.questions._question import GROUPS
from crampkit.text.regions import REGIONS
from strategies import profiles

KB = crampkit.default_knowledge_base()
MINI = crampkit.load_knowledge_base(Path(__file__).parents[1] / "data" / "mini.toml")
KBS = pytest.mark.parametrize("kb", [KB, MINI], ids=["packaged", "mini"])
EVERY_SYMPTOM_ABSENT = Profile(absent_symptoms=frozenset(Symptom))
ALL_ASKED = attrs.evolve(
    EVERY_SYMPTOM_ABSENT,
    heat_exposure=False,
    sudden_onset=False,
    sex=Sex.MALE,
    cramps=crampkit.Cramps(reported=False),
    asked=frozenset(Asked),
)
ONLY_AGE = ALL_ASKED
"""Every question answered but the age."""
MEDICINES = ("simvastatin", "bendroflumethiazide", "furosemide", "salmeterol", "quinine", "an unknown medicine")
SYMPTOM_VALUES = frozenset(symptom.value for symptom in Symptom)
STEPS = 200
"""More than the questions any walk can ask: every answer closes at least one piece of news, and there are fewer."""


def ids(questions: tuple[Question, ...]) -> list[str]:
    return [question.id for question in questions]


def triage(profile: Profile, kb: crampkit.KnowledgeBase = KB) -> Urgency:
    return recommend(profile, knowledge_base=kb).triage


def choice_ids(question: Question) -> list[str]:
    return [choice.id for choice in question.choices]


def answers_of(question: Question) -> list[Any]:
    """Answers a question allows: every one, or for lists none, each one alone and all of them."""
    kind = question.kind
    if kind is AnswerKind.YES_NO:
        return list(question.answers)
    if kind is AnswerKind.NUMBER:
        assert question.minimum is not None
        assert question.maximum is not None
        return list(range(question.minimum, question.maximum + 1))
    if kind is AnswerKind.ONE_OF:
        return choice_ids(question)
    if kind is AnswerKind.ANY_OF:
        return [(), *((choice,) for choice in choice_ids(question)), tuple(choice_ids(question))]
    return [(), *((name,) for name in MEDICINES)]


def an_answer(question: Question) -> st.SearchStrategy[Any]:
    """Any answer a question allows."""
    kind = question.kind
    if kind is AnswerKind.NUMBER:
        assert question.minimum is not None
        assert question.maximum is not None
        return st.integers(question.minimum, question.maximum)
    if kind is AnswerKind.ANY_OF:
        return st.lists(st.sampled_from(choice_ids(question)), unique=True).map(tuple)
    if kind is AnswerKind.TEXT:
        return st.lists(st.sampled_from(MEDICINES), unique=True, max_size=3).map(tuple)
    return st.sampled_from(answers_of(question))


def none_of(question: Question) -> Any:
    """The answer of a person with nothing wrong: no, none, or a plain value."""
    if question.kind is AnswerKind.YES_NO:
        return NO
    if question.kind in {AnswerKind.ANY_OF, AnswerKind.TEXT}:
        return ()
    if question.kind is AnswerKind.ONE_OF:
        return choice_ids(question)[0]
    return 30


def walk(
    profile: Profile, choose: Callable[[Question], Any], kb: crampkit.KnowledgeBase = KB
) -> tuple[Profile, list[Question]]:
    """Answer the first question until none is left (as the interview does): the profile reached and what was asked."""
    asked: list[Question] = []
    for _ in range(STEPS):
        pending = next_questions(profile, knowledge_base=kb)
        if not pending:
            return profile, asked
        asked.append(pending[0])
        profile = pending[0].answer(profile, choose(pending[0]))
    raise AssertionError("the questions did not end")  # pragma: no cover - the walks end


# -- absent symptoms and lists asked --------------------------------------------------------------


def test_absent_symptoms_and_lists_asked_load_and_round_trip() -> None:
    document = {"symptoms": ["fever"], "absent_symptoms": ["confusion", "seizure"], "asked": ["medications"]}
    profile = crampkit.load_profile(document)
    assert profile.absent_symptoms == {Symptom.CONFUSION, Symptom.SEIZURE}
    assert profile.asked == {Asked.MEDICATIONS}
    assert crampkit.load_profile(crampkit.to_json(profile)) == profile
    with pytest.raises(InvalidInputError, match="asked"):
        crampkit.load_profile({"asked": ["favourite-colours"]})


def test_a_symptom_cannot_be_both_present_and_absent() -> None:
    with pytest.raises(InvalidInputError) as raised:
        crampkit.load_profile({"symptoms": ["fever", "confusion"], "absent_symptoms": ["confusion", "fever"]})
    assert [str(problem) for problem in raised.value.problems] == [
        "absent_symptoms: also given as present in symptoms: confusion, fever"
    ]
    assert raised.value.problems[0].code is crampkit.ProblemCode.CONFLICT
    with pytest.raises(InvalidInputError):
        Profile(symptoms=frozenset({Symptom.FEVER}), absent_symptoms=frozenset({Symptom.FEVER}))


def test_old_profiles_mean_the_same() -> None:
    """A profile without the new fields is still valid and gets the same guidance as with them empty."""
    document = json.loads(crampkit.to_json(crampkit.example_profile()))
    assert "absent_symptoms" not in document
    assert "asked" not in document
    profile = crampkit.load_profile(document)
    assert (profile.absent_symptoms, profile.asked) == (frozenset(), frozenset())
    assert recommend(profile) == recommend(attrs.evolve(profile, absent_symptoms=frozenset(), asked=frozenset()))


SCHEMA = jsonschema.Draft202012Validator(crampkit.profile_schema())


@given(st.frozensets(st.sampled_from(Symptom), max_size=4), st.frozensets(st.sampled_from(Symptom), max_size=4))
def test_schema_and_checks_agree_on_present_and_absent(present: frozenset[Symptom], absent: frozenset[Symptom]) -> None:
    document = {"symptoms": sorted(present), "absent_symptoms": sorted(absent)}
    assert SCHEMA.is_valid(document) is present.isdisjoint(absent)
    if present.isdisjoint(absent):
        crampkit.load_profile(document)
    else:
        with pytest.raises(InvalidInputError):
            crampkit.load_profile(document)


@st.composite
def with_absent(draw: st.DrawFn, base: st.SearchStrategy[Profile] = profiles) -> Profile:
    """A generated profile that also records some symptoms as asked and absent, and some lists as asked."""
    profile = draw(base)
    free = sorted(set(Symptom) - profile.symptoms)
    absent = draw(st.frozensets(st.sampled_from(free))) if free else frozenset()
    return attrs.evolve(profile, absent_symptoms=absent, asked=draw(st.frozensets(st.sampled_from(Asked))))


@KBS
@given(profile=with_absent())
def test_absent_answers_and_lists_asked_never_change_the_guidance(kb: crampkit.KnowledgeBase, profile: Profile) -> None:
    """An answer of "no" or "none" only stops the question being asked again: the guidance is as if never asked."""
    not_asked = attrs.evolve(profile, absent_symptoms=frozenset(), asked=frozenset())
    assert recommend(profile, knowledge_base=kb) == recommend(not_asked, knowledge_base=kb)


# -- "no cramps": the one "no" that changes the guidance -----------------------------------------------


def test_no_cramps_gives_no_idiopathic_cause_and_no_advice_for_a_cramp() -> None:
    no_cramps = Profile(cramps=crampkit.Cramps(reported=False))
    assert Fact.CRAMPS_DENIED in crampkit.derive_facts(no_cramps)
    denied = recommend(no_cramps)
    assert "idiopathic" not in [cause.id for cause in denied.likely_causes]
    assert [item.id for item in denied.recommendations if item.phase is crampkit.Phase.DURING] == []
    unknown = recommend(Profile())  # not asked: the usual general advice and cause
    assert "idiopathic" in [cause.id for cause in unknown.likely_causes]
    assert any(item.phase is crampkit.Phase.DURING for item in unknown.recommendations)


def test_no_cramps_is_data_on_the_cause_and_on_the_advice_for_a_cramp() -> None:
    """The rule is knowledge-base data: the idiopathic cause's ``when`` and each during-a-cramp item's ``none``.

    A during-phase item left without it applies only in a situation it names
    (``all``), such as cooling down in the heat, which is first aid for heat
    illness with or without cramps.
    """
    idiopathic = next(cause for cause in KB.causes if cause.id == "idiopathic")
    assert Fact.CRAMPS_DENIED in idiopathic.when.none_of
    for item in KB.interventions:
        if item.phase is crampkit.Phase.DURING:
            assert Fact.CRAMPS_DENIED in item.when.none_of or item.when.all_of, item.id


@given(profile=with_absent())
def test_no_cramps_never_brings_the_idiopathic_cause_or_advice_for_a_cramp(profile: Profile) -> None:
    denied = attrs.evolve(profile, cramps=crampkit.Cramps(reported=False))
    guidance = recommend(denied)
    assert "idiopathic" not in [cause.id for cause in guidance.likely_causes]
    for item in guidance.recommendations:
        if item.phase is crampkit.Phase.DURING:
            intervention = KB.get(item.id)
            assert isinstance(intervention, crampkit.Intervention)
            assert intervention.when.all_of <= crampkit.derive_facts(denied), item.id


def test_a_cause_is_given_only_while_its_criteria_hold() -> None:
    cause = next(cause for cause in MINI.causes if cause.prior > 0)
    gated = attrs.evolve(cause, when=crampkit.Criteria(all_of=frozenset({Fact.SMOKER})))
    kb = attrs.evolve(MINI, causes=tuple(gated if item is cause else item for item in MINI.causes))
    smoker = Profile(habits=crampkit.Habits(smoker=True))
    assert cause.id in [hit.id for hit in recommend(smoker, knowledge_base=kb).likely_causes]
    assert cause.id not in [hit.id for hit in recommend(Profile(), knowledge_base=kb).likely_causes]


def test_no_cramps_is_asked_because_it_changes_the_advice() -> None:
    """Only "no cramps" takes away the advice for during a cramp, so the question is asked for the advice alone."""
    only_cramps = attrs.evolve(ALL_ASKED, cramps=crampkit.Cramps(), age=40)
    assert ids(next_questions(only_cramps)) == ["cramps"]
    cramps = next_questions(only_cramps)[0]
    assert cramps.field == "cramps.reported"
    assert recommend(cramps.answer(only_cramps, NO)) != recommend(only_cramps)
    assert cramps.answer(only_cramps, NO).cramps.reported is False
    assert next_questions(cramps.answer(only_cramps, NO)) == ()


# -- the order: warning signs first, follow-ups straight after --------------------------------------


def test_an_empty_profile_is_asked_the_warning_signs_first() -> None:
    """The first question lists the symptoms that alone mean an emergency (read from the signs).

    A sign that only follows up another (chest pain that spreads, after
    chest pain) is asked after it instead.
    """
    emergency = {sign.symptom.value for sign in KB.signs if sign.urgency is Urgency.EMERGENCY}
    first = next_questions(Profile())[0]
    assert (first.id, first.kind, first.field) == ("symptoms-now", AnswerKind.ANY_OF, "symptoms")
    assert emergency - {"chest-pain-spreading"} <= set(choice_ids(first))
    assert "chest-pain" in choice_ids(first)
    assert first.text == "Do you have any of these now?"


def test_none_of_the_warning_signs_records_each_as_absent() -> None:
    first = next_questions(Profile())[0]
    profile = first.answer(Profile(), ())
    assert {symptom.value for symptom in profile.absent_symptoms} == {
        *choice_ids(first),
        "chest-pain-spreading",
        "chest-tightness",
    }
    assert "symptoms-now" not in ids(next_questions(profile))
    assert triage(profile) is Urgency.SELF_CARE
    assert recommend(profile) == recommend(Profile())


def test_the_chosen_are_present_and_the_others_absent() -> None:
    first = next_questions(Profile())[0]
    profile = first.answer(Profile(), ["chest-pain"])
    assert profile.symptoms == {Symptom.CHEST_PAIN}
    assert Symptom.CHEST_PAIN_SPREADING not in profile.absent_symptoms  # still to ask: it follows chest pain
    assert next_questions(profile)[0].id == "symptom-chest-pain-spreading"
    assert next_questions(profile)[0].text == "Does the pain in your chest spread to your arms, back, neck or jaw?"


@pytest.mark.parametrize(
    ("answers", "opener", "follow_ups"),
    [
        ({"symptoms-new": ("headache",), "headache-sudden": NO}, "symptoms-new", ["headache-sudden"]),
        (
            {"symptoms-new": ("headache",), "headache-sudden": YES},
            "symptoms-new",
            ["headache-sudden", "headache-severe"],
        ),
        ({"cramps": NO, "symptoms-body": ("recent-wound",)}, "symptoms-body", ["symptom-jaw-stiffness"]),
        ({"symptoms-now": ("chest-pain",)}, "symptoms-now", ["symptom-chest-pain-spreading"]),
        ({"symptoms-body": ("vomiting",), "sex": "female", "pregnant": YES}, "pregnant", ["pregnancy-weeks"]),
        ({"sex": "female"}, "sex", ["pregnant"]),
        ({"cramps": YES}, "cramps", ["cramp-sites", "cramp-timing", "cramps-per-week", "cramp-details"]),
    ],
)
def test_a_follow_up_comes_right_after_the_answer_that_opens_it(
    answers: dict[str, Any], opener: str, follow_ups: list[str]
) -> None:
    """In an interview, the questions right after the answer that opens them are its follow-ups."""
    _, asked = walk(Profile(), lambda found: answers.get(found.id, well(found)))
    asked_ids = ids(tuple(asked))
    start = asked_ids.index(opener) + 1
    assert asked_ids[start : start + len(follow_ups)] == follow_ups, asked_ids


def test_heat_opens_the_signs_that_would_make_it_heatstroke() -> None:
    """A follow-up opened by heat: the signs that with it mean heatstroke, the one alone an emergency first."""
    heat = Profile(heat_exposure=True)
    assert ids(next_questions(heat))[:6] == [
        "symptom-confusion",
        "symptom-seizure",
        "symptom-breathlessness",
        "symptom-collapse-or-fainting",
        "symptom-headache",  # since 2027.04, with cramps not eased by self-care it reaches the 30-minute clause
        "symptom-fever",
    ]


NEW = frozenset(Symptom(choice) for choice in (*GROUPS["symptoms-now"], *GROUPS["symptoms-new"])) - {Symptom.HEADACHE}
"""The warning signs now and the new symptoms, but the headache: the lists asked first, answered."""


_CONTEXTS = (Symptom.HEADACHE, Symptom.PAIN_BELOW_RIBS)


def test_follow_ups_are_worded_for_what_opened_them() -> None:
    headache = Profile(symptoms=frozenset({Symptom.HEADACHE}), absent_symptoms=NEW)
    texts = {found.id: found.text for found in next_questions(headache)}
    assert texts["headache-sudden"] == "Did the headache start suddenly (reaching its worst within minutes)?"
    assert texts["headache-severe"] == "Is your headache severe — the worst you have ever had?"
    ribs = Profile(symptoms=frozenset({Symptom.PAIN_BELOW_RIBS}), absent_symptoms=frozenset({Symptom.HEADACHE}))
    flag = _red_flag("ribs", Urgency.EMERGENCY, Fact.SYMPTOM_PAIN_BELOW_RIBS, Fact.SYMPTOM_SEVERE_PAIN)
    kb = attrs.evolve(MINI, red_flags=(*MINI.red_flags, flag))
    assert next_questions(ribs, knowledge_base=kb)[0].id == "pain-below-ribs-severe"
    flag = _red_flag("any", Urgency.EMERGENCY, Fact.SYMPTOM_DARK_URINE, Fact.SYMPTOM_SEVERE_PAIN)
    kb = attrs.evolve(MINI, red_flags=(*MINI.red_flags, flag))
    dark = Profile(symptoms=frozenset({Symptom.DARK_URINE}), absent_symptoms=frozenset(_CONTEXTS))
    assert next_questions(dark, knowledge_base=kb)[0].id == "symptom-severe-pain"  # no headache: any pain
    both = Profile(
        symptoms=frozenset({Symptom.HEADACHE, Symptom.VISION_PROBLEMS}), absent_symptoms=NEW - {Symptom.VISION_PROBLEMS}
    )
    sudden = next(found for found in next_questions(both) if found.field == "sudden_onset")
    assert sudden.id == "sudden-onset"  # about both: not only the headache
    assert "not the cramp itself" in sudden.text.casefold()


def test_sudden_onset_waits_for_the_first_two_lists() -> None:
    """Asked once, it covers the symptoms reported in the lists asked first, where suddenness decides most."""
    headache = Profile(symptoms=frozenset({Symptom.HEADACHE}))
    index = index_of(KB)
    assert {"symptom-vision-problems", "symptom-headache", "symptom-cold-or-pale-leg"} <= set(index.sudden_waits)
    assert "symptom-severe-pain" not in index.partners
    assert set(index.sudden_waits) < set(index.partners)  # a long cramp, for one, is not waited for
    assert "sudden-onset" not in ids(next_questions(headache))  # the other new symptoms are not answered yet
    answered = attrs.evolve(headache, absent_symptoms=NEW)
    assert ids(next_questions(answered))[:2] == ["headache-sudden", "headache-severe"]


def test_severe_pain_waits_for_the_pains_it_is_asked_about() -> None:
    dark = Profile(symptoms=frozenset({Symptom.DARK_URINE}))
    assert "symptom-severe-pain" not in ids(next_questions(dark))
    answered = attrs.evolve(dark, absent_symptoms=frozenset({Symptom.HEADACHE, Symptom.PAIN_BELOW_RIBS}))
    assert "symptom-severe-pain" in ids(next_questions(answered))


def test_sex_comes_before_pregnancy_and_a_male_is_never_asked() -> None:
    vomiting = Profile(symptoms=frozenset({Symptom.VOMITING}), age=30)
    asked = ids(next_questions(vomiting))
    assert "sex" in asked
    assert "pregnant" not in asked  # not before the sex is known
    assert "pregnant" in ids(next_questions(attrs.evolve(vomiting, sex=Sex.FEMALE)))
    assert "pregnant" in ids(next_questions(attrs.evolve(vomiting, sex=Sex.OTHER)))
    assert "pregnant" not in ids(next_questions(attrs.evolve(vomiting, sex=Sex.MALE)))


@pytest.mark.parametrize(("age", "asked"), [(None, True), (9, False), (10, True), (55, True), (56, False)])
def test_pregnancy_is_asked_only_at_ages_it_can_matter(age: int | None, asked: bool) -> None:
    assert CHILDBEARING_AGES == (10, 55)
    profile = Profile(symptoms=frozenset({Symptom.HEADACHE}), sex=Sex.FEMALE, age=age)
    assert ("pregnant" in ids(next_questions(profile))) is asked


def test_weeks_of_pregnancy_are_asked_only_once_pregnant() -> None:
    """Vomiting from 20 weeks of pregnancy is a warning sign (red flag pregnancy-warning-vomiting)."""
    vomiting = Profile(symptoms=frozenset({Symptom.VOMITING}), sex=Sex.FEMALE)
    assert "pregnancy-weeks" not in ids(next_questions(vomiting))
    pregnant = attrs.evolve(vomiting, pregnant=True)
    weeks = next(found for found in next_questions(pregnant) if found.id == "pregnancy-weeks")
    assert (weeks.field, weeks.answers, weeks.minimum, weeks.maximum) == ("pregnancy_weeks", (), 0, 45)
    assert triage(weeks.answer(pregnant, 24)) is Urgency.URGENT
    assert "pregnancy-weeks" not in ids(next_questions(attrs.evolve(vomiting, pregnant=False)))


def test_weeks_of_pregnancy_are_asked_when_they_could_lower_triage() -> None:
    """Unknown weeks count as 20 or more (the safer side), so a pregnancy warning fires; the weeks can lower it."""
    headache = Profile(sex=Sex.FEMALE, pregnant=True, symptoms=frozenset({Symptom.HEADACHE}), absent_symptoms=NEW)
    assert triage(headache) is Urgency.URGENT
    weeks = next(found for found in next_questions(headache) if found.id == "pregnancy-weeks")
    assert triage(weeks.answer(headache, 8)).level < Urgency.URGENT.level
    assert "pregnancy-weeks" not in ids(next_questions(attrs.evolve(headache, symptoms=frozenset())))


def _red_flag(flag_id: str, urgency: Urgency, *facts: Fact) -> crampkit.RedFlag:
    return crampkit.RedFlag(
        id=flag_id,
        name=flag_id,
        summary="For a test.",
        when=crampkit.Criteria(all_of=frozenset(facts)),
        urgency=urgency,
        advice="Call 999 for an ambulance." if urgency is Urgency.EMERGENCY else "See a doctor.",
        sources=("src-a",),
    )


def test_a_follow_up_that_matters_gets_the_questions_before_it_asked() -> None:
    """When only the weeks of pregnancy could raise triage, sex and then "pregnant" are asked, so the weeks can be."""
    later = _red_flag("later", Urgency.URGENT, Fact.PREGNANT_20_WEEKS_PLUS, Fact.SYMPTOM_VOMITING)
    kb = attrs.evolve(MINI, red_flags=(later,), interventions=(), population_rules=())
    vomiting = attrs.evolve(
        ALL_ASKED,
        sex=None,
        symptoms=frozenset({Symptom.VOMITING}),
        absent_symptoms=frozenset(Symptom) - {Symptom.VOMITING},
    )
    assert ids(next_questions(vomiting, knowledge_base=kb)) == ["sex"]
    female = attrs.evolve(vomiting, sex=Sex.FEMALE)
    assert ids(next_questions(female, knowledge_base=kb)) == ["pregnant"]
    pregnant = attrs.evolve(female, pregnant=True)
    assert ids(next_questions(pregnant, knowledge_base=kb)) == ["pregnancy-weeks"]
    assert next_questions(attrs.evolve(pregnant, pregnancy_weeks=12), knowledge_base=kb) == ()


def test_a_follow_up_that_changes_the_advice_gets_the_questions_before_it_asked() -> None:
    """The same when the weeks of pregnancy would change only the advice."""
    later = crampkit.Intervention(
        id="later",
        name="Later",
        summary="For a test.",
        phase=crampkit.Phase.PREVENT,
        category=crampkit.Category.CLINICAL_REVIEW,
        instructions=("Ask your midwife.",),
        when=crampkit.Criteria(all_of=frozenset({Fact.PREGNANT_20_WEEKS_PLUS})),
        certainty=crampkit.Certainty.LOW,
        stance=crampkit.Stance.RECOMMENDED,
        sources=("src-a",),
    )
    kb = attrs.evolve(MINI, red_flags=(), interventions=(later,), population_rules=(), causes=MINI.causes[1:])
    assert ids(next_questions(attrs.evolve(ALL_ASKED, sex=None), knowledge_base=kb)) == ["sex"]
    assert ids(next_questions(attrs.evolve(ALL_ASKED, sex=Sex.FEMALE), knowledge_base=kb)) == ["pregnant"]


def test_heat_is_asked_while_a_sign_that_makes_it_an_emergency_is_open() -> None:
    """Heat alone raises nothing, but heat with a fever is heatstroke: so heat is asked while fever is open.

    Fever alone is self-care in the packaged signs; the red flag "heatstroke"
    (heat exposure with confusion, a fit, collapse or fever) is an emergency.
    """
    only_fever_open = Profile(absent_symptoms=frozenset(Symptom) - {Symptom.FEVER})
    assert triage(attrs.evolve(only_fever_open, heat_exposure=True)) is Urgency.SELF_CARE
    body = next(found for found in next_questions(only_fever_open) if found.id == "symptoms-body")
    assert choice_ids(body) == ["fever", "heat-exposure"]
    fever = body.answer(only_fever_open, ["fever"])
    assert (triage(fever), fever.heat_exposure) == (Urgency.SELF_CARE, False)
    fever = attrs.evolve(fever, heat_exposure=None)
    first = next_questions(fever)[0]  # heat follows up the fever
    assert (first.id, first.field) == ("heat-exposure", "heat_exposure")
    assert triage(first.answer(fever, YES)) is Urgency.EMERGENCY


def test_once_the_partner_sign_is_absent_heat_no_longer_leads() -> None:
    """With every sign answered "no", heat can no longer raise triage: it is asked, if at all, for the advice."""
    for found in next_questions(EVERY_SYMPTOM_ABSENT):
        for answer in answers_of(found):
            assert triage(found.answer(EVERY_SYMPTOM_ABSENT, answer)) is Urgency.SELF_CARE


# -- the must-show interviews --------------------------------------------------------------------------

WELL = {
    "cramps": YES,
    "cramp-sites": ("calf",),
    "cramp-timing": ("night",),
    "cramps-per-week": 2,
    "age": 45,
    "sex": "female",
    "pregnant": NO,
}


def well(found: Question) -> Any:
    """A person with nothing wrong: ordinary night calf cramps, and "no" or "none" to everything else."""
    return WELL.get(found.id, none_of(found))


def test_a_well_person_reaches_guidance_within_15_questions() -> None:
    profile, asked = walk(Profile(), well)
    assert len(asked) <= 15, ids(tuple(asked))
    assert triage(profile) is Urgency.SELF_CARE
    # whether there are cramps, where, when, how often; age, sex before pregnancy; medicines and conditions
    expected = ["cramps", "cramp-sites", "cramp-timing", "cramps-per-week", "age", "sex", "pregnant"]
    assert set(expected) | {"medications", "conditions"} <= set(ids(tuple(asked)))
    assert ids(tuple(asked)).index("sex") < ids(tuple(asked)).index("pregnant")
    assert asked[0].id == "symptoms-now"
    guidance = recommend(profile)
    assert guidance.likely_causes[0].id == "idiopathic"


@pytest.mark.parametrize("sex", ["male", "female", "other"])
@pytest.mark.parametrize("age", [8, 30, 70])
def test_a_well_person_of_any_age_and_sex_is_asked_at_most_15_questions(sex: str, age: int) -> None:
    _, asked = walk(Profile(), lambda found: {**WELL, "sex": sex, "age": age}.get(found.id, none_of(found)))
    assert len(asked) <= 15, ids(tuple(asked))
    assert ("pregnant" in ids(tuple(asked))) is (sex != "male" and age == 30)


def test_a_thunderclap_headache_reaches_an_emergency_within_5_questions() -> None:
    answers = {"symptoms-new": ("headache",), "headache-sudden": YES, "headache-severe": YES}
    profile, asked = walk(Profile(), lambda found: answers.get(found.id, none_of(found)))
    assert ids(tuple(asked)) == ["symptoms-now", "symptoms-new", "headache-sudden", "headache-severe"]
    assert triage(profile) is Urgency.EMERGENCY


@given(data=st.data())
def test_a_question_that_could_reach_an_emergency_comes_within_the_first_5(data: st.DataObject) -> None:
    """Whatever is answered, one of the first five questions has an answer that alone makes it an emergency."""
    profile = Profile()
    for _ in range(5):
        pending = next_questions(profile)
        if not pending:  # pragma: no cover - the first question already could
            break
        first = pending[0]
        if any(triage(first.answer(profile, answer)) is Urgency.EMERGENCY for answer in answers_of(first)):
            return
        profile = first.answer(profile, data.draw(an_answer(first)))
    raise AssertionError("no question among the first five could reach an emergency")  # pragma: no cover


# -- every question -------------------------------------------------------------------------------


@functools.cache
def every_question() -> dict[str, Question]:
    """Every question there is, by id (lists with every choice they can offer)."""
    from crampkit.decision.questions._question import LISTS, SETTERS  # noqa: PLC0415 - the tables

    found: dict[str, Question] = {}
    for question_id in SETTERS:
        if question_id in GROUPS:
            keys = [f"symptom-{choice}" if choice in SYMPTOM_VALUES else choice for choice in GROUPS[question_id]]
            found[question_id] = build(question_id, tuple(zip(keys, GROUPS[question_id], strict=True)))
        elif question_id in LISTS:
            what = LISTS[question_id]
            found[question_id] = build(
                question_id, tuple((f"{what.key}-{member.value}", member.value) for member in what.vocabulary)
            )
        else:
            found[question_id] = build(question_id)
    return found


def test_every_question_has_its_words_in_the_one_table() -> None:
    questions = every_question()
    assert set(questions) == set(QUESTION_TEXT)
    for found in questions.values():
        assert found.text == QUESTION_TEXT[found.id]
        assert found.text.endswith(("?", "?)", ".)")), found.id
        for choice in found.choices:
            assert choice.text in CHOICE_TEXT.values(), (found.id, choice.id)
    assert {choice.text for found in questions.values() for choice in found.choices} == set(CHOICE_TEXT.values())


def test_every_symptom_has_a_question_of_its_own() -> None:
    assert {found.symptom for found in every_question().values() if found.symptom is not None} == set(Symptom)
    for symptom in Symptom:
        assert f"symptom-{symptom.value}" in QUESTION_TEXT, f"word the question about {symptom.value}"


def test_questions_name_what_they_ask_about_with_its_time() -> None:
    """The wording the clinical review asked for (issue 19): what, since when, and which pain."""
    text = QUESTION_TEXT
    assert text["headache-severe"] == "Is your headache severe — the worst you have ever had?"
    assert text["headache-sudden"] == "Did the headache start suddenly (reaching its worst within minutes)?"
    assert text["symptom-vision-problems"].startswith("Has your eyesight changed recently (blurred or double vision")
    assert "needing glasses" in text["symptom-vision-problems"]
    assert "in the last few weeks" in text["symptom-recent-wound"]
    assert "not the cramp itself" in text["sudden-onset"].casefold()
    assert "cramps" in text["symptom-severe-pain"]
    assert "Is the pain severe?" not in text.values()  # which pain
    assert "Do you have any problems with your eyesight?" not in text.values()  # glasses are not a warning sign


def test_a_symptom_the_table_does_not_word_yet_still_gets_a_question() -> None:
    from crampkit.decision.questions._building import _symptom_text  # noqa: PLC0415 - a private helper

    assert _symptom_text("symptom-cold-toes") == "Do you have this: cold toes?"


@pytest.mark.parametrize(
    ("question_id", "bad"),
    [
        ("symptom-fever", "maybe"),
        ("symptom-fever", True),
        ("age", 121),
        ("age", -1),
        ("age", True),
        ("age", "30"),
        ("sex", "f"),
        ("sex", 1),
        ("symptoms-now", "confusion"),
        ("symptoms-now", ["fever"]),
        ("medications", "simvastatin"),
        ("medications", ["a\nb"]),
        ("medications", ["x"] * 101),
    ],
)
def test_answers_outside_the_allowed_ones_are_refused(question_id: str, bad: Any) -> None:
    found = every_question()[question_id]
    with pytest.raises(InvalidInputError) as raised:
        found.answer(Profile(), bad)
    (problem,) = raised.value.problems
    assert (problem.path, problem.location) == (("value",), question_id)
    assert problem.code is not crampkit.ProblemCode.INVALID


def test_an_answer_that_contradicts_the_profile_is_refused() -> None:
    with pytest.raises(InvalidInputError):
        every_question()["symptom-fever"].answer(Profile(symptoms=frozenset({Symptom.FEVER})), NO)
    with pytest.raises(InvalidInputError):
        every_question()["symptoms-body"].answer(Profile(symptoms=frozenset({Symptom.FEVER})), [])


@pytest.mark.parametrize(
    "fields",
    [
        {"answers": ("yes",)},
        {"answers": (YES, NO), "minimum": 0, "maximum": 1},
        {"answers": (), "minimum": 0},
        {"kind": AnswerKind.ANY_OF},
        {"kind": AnswerKind.TEXT, "choices": (Choice(id="a", text="A"),)},
        {"kind": AnswerKind.ONE_OF, "choices": (Choice(id="a", text="A"), Choice(id="a", text="B"))},
    ],
)
def test_a_question_has_the_answers_its_kind_takes(fields: dict[str, Any]) -> None:
    with pytest.raises(InvalidInputError):
        Question(id="q", text="Why?", field="age", **fields)


def test_a_question_of_your_own_cannot_be_answered_into_a_profile() -> None:
    mine = Question(id="favourite-colour", text="Which colour?", field="colour", answers=(YES, NO))
    with pytest.raises(InvalidInputError, match="favourite-colour: not one of crampkit's questions"):
        mine.answer(Profile(), YES)


def test_choices_a_question_cannot_record_are_refused() -> None:
    odd = attrs.evolve(every_question()["symptoms-now"], choices=(Choice(id="purple", text="Purple"),))
    with pytest.raises(InvalidInputError) as raised:
        odd.answer(Profile(), ["purple"])
    (problem,) = raised.value.as_data()["problems"]
    assert (problem["path"], problem["code"]) == (["choices"], "not-allowed-value")
    assert "purple" in problem["message"]
    odd_sex = attrs.evolve(every_question()["sex"], choices=(Choice(id="purple", text="Purple"),))
    with pytest.raises(InvalidInputError):
        odd_sex.answer(Profile(), "purple")


def test_wrong_arguments_are_named() -> None:
    with pytest.raises(InvalidInputError, match=r"next_questions\(\): profile: expected a crampkit.Profile"):
        next_questions({})  # type: ignore[arg-type]
    with pytest.raises(InvalidInputError, match=r"next_questions\(\): knowledge_base"):
        next_questions(Profile(), knowledge_base="packaged")  # type: ignore[arg-type]
    with pytest.raises(InvalidInputError, match=r"Question.answer\(\): profile"):
        every_question()["age"].answer({}, 30)  # type: ignore[arg-type]


def test_a_knowledge_base_below_the_safety_floor_is_refused() -> None:
    """As with recommend(): no questions from knowledge that may not give guidance."""
    unsafe = attrs.evolve(
        MINI, red_flags=(attrs.evolve(_red_flag("x", Urgency.EMERGENCY, Fact.SMOKER), advice="Rest."),)
    )
    assert crampkit.floor_problems(unsafe)
    with pytest.raises(crampkit.KnowledgeBaseError):
        next_questions(Profile(), knowledge_base=unsafe)


def test_many_knowledge_bases_in_turn_still_get_their_own_answers() -> None:
    """Each knowledge base's index is kept by identity; more than the cache holds is still right."""
    expected = next_questions(Profile(), knowledge_base=MINI)
    for _ in range(10):
        copy = attrs.evolve(MINI, version=MINI.version)
        assert next_questions(Profile(), knowledge_base=copy) == expected
    assert next_questions(Profile(), knowledge_base=MINI) == expected


def test_a_different_knowledge_base_asks_different_questions() -> None:
    """Relevance comes from the knowledge base: the small test one has fewer warning signs to ask about."""
    assert next_questions(Profile(), knowledge_base=MINI) != next_questions(Profile())
    first = next_questions(Profile(), knowledge_base=MINI)[0]
    assert any(
        triage(first.answer(Profile(), answer), MINI).level > triage(Profile(), MINI).level
        for answer in answers_of(first)
    )


def test_a_combination_no_one_can_have_raises_nothing() -> None:
    """A red flag that needs two ages at once can never match, so it makes no question more urgent."""
    impossible = _red_flag("impossible", Urgency.EMERGENCY, Fact.AGE_UNDER_5, Fact.AGE_60_PLUS, Fact.SYMPTOM_FEVER)
    kb = attrs.evolve(MINI, red_flags=(*MINI.red_flags, impossible))
    assert next_questions(Profile(), knowledge_base=kb) == next_questions(Profile(), knowledge_base=MINI)


def test_medicines_are_asked_as_names_and_conditions_from_the_vocabulary() -> None:
    profile = attrs.evolve(ALL_ASKED, asked=frozenset(), age=70)
    medicines = next(found for found in next_questions(profile) if found.id == "medications")
    assert (medicines.kind, medicines.field, medicines.choices) == (AnswerKind.TEXT, "medications", ())
    taken = medicines.answer(profile, ["Lipitor", "an unknown medicine"])
    assert taken.medications == {"Lipitor", "an unknown medicine"}
    assert Asked.MEDICATIONS in taken.asked
    assert medicines.answer(profile, []).asked == {Asked.MEDICATIONS}
    conditions = next(found for found in next_questions(profile) if found.id == "conditions")
    assert set(choice_ids(conditions)) <= {condition.value for condition in crampkit.Condition}
    assert conditions.answer(profile, ["diabetes"]).conditions == {crampkit.Condition.DIABETES}
    assert "medications" not in ids(next_questions(taken))


def test_the_questions_about_the_cramps_fill_the_cramps() -> None:
    cramps = Profile(cramps=crampkit.Cramps(reported=True))
    asked = {found.id: found for found in next_questions(cramps)}
    profile = asked["cramp-sites"].answer(cramps, ["calf", "foot"])
    profile = asked["cramp-timing"].answer(profile, ["night"])
    profile = asked["cramps-per-week"].answer(profile, 4)
    profile = asked["cramp-details"].answer(profile, ["disturbs-sleep", "cramp-lasts-over-10-min"])
    assert profile.cramps == crampkit.Cramps(
        reported=True,
        sites=frozenset({crampkit.Site.CALF, crampkit.Site.FOOT}),
        timing=frozenset({crampkit.Timing.NIGHT}),
        per_week=4,
        disturbs_sleep=True,
    )
    assert profile.symptoms == {Symptom.CRAMP_LASTS_OVER_10_MIN}
    assert {Symptom.NOT_EASED_BY_SELF_CARE, Symptom.NEW_MEDICATION} <= profile.absent_symptoms
    assert profile.asked == {Asked.CRAMP_SITES, Asked.CRAMP_TIMING}
    only_sleep = attrs.evolve(cramps, absent_symptoms=CRAMP_SYMPTOMS | {Symptom.SEVERE_PAIN})
    asleep = next(found for found in next_questions(only_sleep) if found.field == "cramps.disturbs_sleep")
    assert (asleep.id, asleep.text) == ("cramps-disturb-sleep", "Do the cramps wake you up or spoil your sleep?")
    assert asleep.answer(only_sleep, NO).cramps.disturbs_sleep is False


def test_no_cramps_answers_the_questions_about_them() -> None:
    profile = every_question()["cramps"].answer(Profile(), NO)
    assert profile.absent_symptoms >= CRAMP_SYMPTOMS
    asked = ids(next_questions(profile))
    assert not {"cramp-sites", "cramp-timing", "cramps-per-week", "cramp-details"} & set(asked)
    assert not any(
        _symptom_open(symptom, attrs.evolve(profile, absent_symptoms=frozenset())) for symptom in CRAMP_SYMPTOMS
    )


# -- properties -----------------------------------------------------------------------------------


def single_additions(profile: Profile) -> list[Profile]:
    """The profile with each single piece of news an open question could bring."""
    added = [
        attrs.evolve(profile, symptoms=profile.symptoms | {symptom})
        for symptom in Symptom
        if _symptom_open(symptom, profile)
    ]
    changes: list[dict[str, Any]] = []
    cramps = profile.cramps
    if profile.heat_exposure is None:
        changes.append({"heat_exposure": True})
    if profile.sudden_onset is None:
        changes.append({"sudden_onset": True})
    low, high = CHILDBEARING_AGES
    if (
        profile.pregnant is None
        and profile.pregnancy_weeks is None
        and profile.sex is not Sex.MALE
        and (profile.age is None or low <= profile.age <= high)
    ):
        changes += [{"pregnant": True}, {"pregnancy_weeks": 30}]
    if profile.age is None:
        changes += [{"age": age} for age in (2, 10, 30, 55, 70)]
    if profile.sex is None:
        changes += [{"sex": sex} for sex in Sex]
    if cramps.reported is None and not (cramps.sites or cramps.timing or cramps.per_week or cramps.minutes):
        changes += [{"cramps": crampkit.Cramps(reported=True)}]
    if cramps.reported is not False:
        if not cramps.sites and Asked.CRAMP_SITES not in profile.asked:
            changes += [{"cramps": attrs.evolve(cramps, sites=frozenset({site}))} for site in crampkit.Site]
        if not cramps.timing and Asked.CRAMP_TIMING not in profile.asked:
            changes += [{"cramps": attrs.evolve(cramps, timing=frozenset({timing}))} for timing in crampkit.Timing]
        if cramps.per_week is None:
            changes.append({"cramps": attrs.evolve(cramps, per_week=10)})
    if not profile.conditions and Asked.CONDITIONS not in profile.asked:
        changes += [{"conditions": frozenset({condition})} for condition in crampkit.Condition]
    if not profile.clot_risks and Asked.CLOT_RISKS not in profile.asked:
        changes += [{"clot_risks": frozenset({risk})} for risk in crampkit.ClotRisk]
    if not profile.medications and Asked.MEDICATIONS not in profile.asked:
        changes += [{"medications": frozenset({name})} for name in MEDICINES]
    return added + [attrs.evolve(profile, **change) for change in changes]


STARTS = st.just(Profile()) | with_absent()
"""An interview from nothing, or from a profile that already says something."""


@KBS
@given(profile=STARTS, data=st.data())
def test_soundness_nothing_to_ask_means_no_answer_could_raise_triage(
    kb: crampkit.KnowledgeBase, profile: Profile, data: st.DataObject
) -> None:
    """Answer the questions (any of them, any answer) until none is left: then no piece of news changes triage."""
    for _ in range(STEPS):
        questions = next_questions(profile, knowledge_base=kb)
        if not questions:
            break
        found = data.draw(st.sampled_from(questions))
        profile = found.answer(profile, data.draw(an_answer(found)))
    assert next_questions(profile, knowledge_base=kb) == ()
    before = triage(profile, kb)
    for added in single_additions(profile):
        assert triage(added, kb) is before


def offered_symptoms(questions: tuple[Question, ...]) -> set[Symptom]:
    """The symptoms the questions ask about, alone or in a list."""
    found = {question.symptom for question in questions if question.symptom is not None}
    found |= {
        Symptom(choice.id)
        for question in questions
        if question.field == "symptoms"
        for choice in question.choices
        if choice.id in SYMPTOM_VALUES
    }
    return found


@KBS
@given(profile=with_absent(), data=st.data())
def test_a_symptom_not_asked_cannot_raise_triage_with_another_open_one(
    kb: crampkit.KnowledgeBase, profile: Profile, data: st.DataObject
) -> None:
    """Stronger: a symptom not asked about changes triage neither alone nor with any one other open symptom.

    A symptom that waits for another (chest pain that spreads, or a chest that
    feels tight, for chest pain) counts as asked while that one is.
    """
    questions = next_questions(profile, knowledge_base=kb)
    asked = offered_symptoms(questions)
    if Symptom.CHEST_PAIN in asked:
        asked |= {Symptom.CHEST_PAIN_SPREADING, Symptom.CHEST_TIGHTNESS}
    if asked & {Symptom.HEADACHE, Symptom.PAIN_BELOW_RIBS}:
        asked.add(Symptom.SEVERE_PAIN)
    if "cramps" in ids(questions):
        asked |= CRAMP_SYMPTOMS
    open_symptoms = sorted(symptom for symptom in Symptom if _symptom_open(symptom, profile))
    not_asked = [symptom for symptom in open_symptoms if symptom not in asked]
    if not not_asked:
        return
    symptom = data.draw(st.sampled_from(not_asked))
    other = data.draw(st.none() | st.sampled_from(open_symptoms))
    context = profile if other is None else attrs.evolve(profile, symptoms=profile.symptoms | {other})
    with_it = attrs.evolve(context, symptoms=context.symptoms | {symptom})
    assert triage(with_it, kb) is triage(context, kb)


@KBS
@given(profile=with_absent(), data=st.data())
def test_an_answered_question_never_comes_back(
    kb: crampkit.KnowledgeBase, profile: Profile, data: st.DataObject
) -> None:
    """Whatever the answer, the question answered is not asked again."""
    questions = next_questions(profile, knowledge_base=kb)
    if not questions:
        return
    found = data.draw(st.sampled_from(questions))
    answered = found.answer(profile, data.draw(an_answer(found)))
    assert found.id not in ids(next_questions(answered, knowledge_base=kb))


@KBS
@given(profile=STARTS, data=st.data())
def test_an_interview_asks_each_question_once_and_ends(
    kb: crampkit.KnowledgeBase, profile: Profile, data: st.DataObject
) -> None:
    """Answer the first question, any answer, until none is left: no question comes twice, or after an emergency."""
    asked: list[str] = []
    for _ in range(STEPS):
        questions = next_questions(profile, knowledge_base=kb)
        if triage(profile, kb) is Urgency.EMERGENCY:
            assert questions == ()
        if not questions:
            break
        asked.append(questions[0].id)
        profile = questions[0].answer(profile, data.draw(an_answer(questions[0])))
    assert next_questions(profile, knowledge_base=kb) == ()
    assert len(asked) == len(set(asked)), asked


@KBS
@given(profile=STARTS, data=st.data())
def test_answering_the_whole_list_as_a_form_never_asks_past_an_emergency(
    kb: crampkit.KnowledgeBase, profile: Profile, data: st.DataObject
) -> None:
    """Answer every question returned, in turn, with any answer: no question comes after an emergency."""
    for _ in range(STEPS):
        questions = next_questions(profile, knowledge_base=kb)
        if triage(profile, kb) is Urgency.EMERGENCY:
            assert questions == ()
        if not questions:
            break
        for found in questions:  # the whole list, as a form would ask it
            current = {again.id: again for again in next_questions(profile, knowledge_base=kb)}
            if found.id in current:
                again = current[found.id]
                profile = again.answer(profile, data.draw(an_answer(again)))
    assert next_questions(profile, knowledge_base=kb) == ()


@KBS
@given(profile=with_absent())
def test_deterministic(kb: crampkit.KnowledgeBase, profile: Profile) -> None:
    """The same profile gets the same questions, however it was built."""
    again = crampkit.load_profile(crampkit.to_json(profile))
    assert next_questions(profile, knowledge_base=kb) == next_questions(again, knowledge_base=kb)


@KBS
@given(profile=with_absent())
def test_the_first_question_could_change_something(kb: crampkit.KnowledgeBase, profile: Profile) -> None:
    """The first question has an answer that changes the guidance (or opens a question that could)."""
    questions = next_questions(profile, knowledge_base=kb)
    if not questions:
        return
    first = questions[0]
    before = recommend(profile, knowledge_base=kb)
    changed = [
        answer
        for answer in answers_of(first)[:200]
        if recommend(first.answer(profile, answer), knowledge_base=kb) != before
        or ids(next_questions(first.answer(profile, answer), knowledge_base=kb)) != ids(questions[1:])
    ]
    assert changed, first.id


@KBS
@given(profile=with_absent())
def test_nothing_is_asked_at_an_emergency(kb: crampkit.KnowledgeBase, profile: Profile) -> None:
    """For any profile whose guidance has triage emergency, there is no question to ask."""
    if triage(profile, kb) is Urgency.EMERGENCY:
        assert next_questions(profile, knowledge_base=kb) == ()


def test_an_emergency_leaves_nothing_to_ask() -> None:
    seizure = Profile(symptoms=frozenset({Symptom.SEIZURE}))
    assert triage(seizure) is Urgency.EMERGENCY
    assert next_questions(seizure) == ()
    assert next_questions(seizure, knowledge_base=MINI, skip={"age"}) == ()
    assert next_questions(Profile(symptoms=frozenset({Symptom.HEADACHE})))  # below emergency, there are some
    fever = Profile(symptoms=frozenset({Symptom.FEVER}))
    assert next_questions(attrs.evolve(fever, heat_exposure=True)) == ()


# -- skipping -------------------------------------------------------------------------------------


@KBS
@given(profile=with_absent(), data=st.data())
def test_skipped_questions_are_left_out_and_the_rest_keep_their_order(
    kb: crampkit.KnowledgeBase, profile: Profile, data: st.DataObject
) -> None:
    every = next_questions(profile, knowledge_base=kb)
    skip = data.draw(st.frozensets(st.sampled_from(sorted(QUESTION_TEXT))))
    left = next_questions(profile, knowledge_base=kb, skip=skip)
    assert left == tuple(found for found in every if found.id not in skip)


@pytest.mark.parametrize("skip", [["age"], ("age",), {"age"}, frozenset({"age"})])
def test_skip_takes_any_collection_of_ids(skip: Any) -> None:
    assert ids(next_questions(ONLY_AGE)) == ["age"]
    assert next_questions(ONLY_AGE, skip=skip) == ()


def test_skipping_an_unknown_question_is_a_problem_with_the_questions_there_are() -> None:
    with pytest.raises(InvalidInputError) as raised:
        next_questions(Profile(), skip=["age", "favourite-colour", 3])  # type: ignore[list-item]
    (problem,) = raised.value.as_data()["problems"]
    assert problem["path"] == ["skip"]
    assert problem["code"] == "not-allowed-value"
    assert problem["location"] == "next_questions(): skip"
    assert problem["message"] == "not one of crampkit's questions: 'favourite-colour', 3"
    assert set(problem["allowed"]) == set(QUESTION_TEXT)


@pytest.mark.parametrize(("skip", "got"), [("age", "a single string"), (None, "None"), ({"age": 1}, "a dict")])
def test_skip_must_be_a_collection_of_ids(skip: Any, got: str) -> None:
    with pytest.raises(InvalidInputError) as raised:
        next_questions(Profile(), skip=skip)
    (problem,) = raised.value.as_data()["problems"]
    assert (problem["path"], problem["code"]) == (["skip"], "wrong-type")
    assert problem["message"] == f"expected a list, tuple or set of question ids, got {got}"


def test_a_bad_skip_is_reported_with_the_other_arguments() -> None:
    with pytest.raises(InvalidInputError) as raised:
        next_questions({}, skip=["nope"], language="xx")  # type: ignore[arg-type]
    assert [problem.path for problem in raised.value.problems] == [("profile",), ("skip",), ("language",)]


# -- parsing answers ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [("yes", YES), ("Y", YES), (" YeS \n", YES), ("y", YES), ("no", NO), ("N", NO), ("\tNo ", NO), ("n", NO)],
)
def test_parse_reads_yes_and_no_leniently(text: str, expected: str) -> None:
    assert every_question()["symptom-fever"].parse(text) == expected


@pytest.mark.parametrize(("text", "expected"), [("42", 42), (" 42 ", 42), ("0\n", 0), ("120", 120), ("+7", 7)])
def test_parse_reads_whole_numbers_written_as_text(text: str, expected: int) -> None:
    assert every_question()["age"].parse(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [("1", "female"), (" 2 ", "male"), ("Female", "female"), ("f", "female"), ("M", "male"), ("o", "other")],
)
def test_parse_reads_one_choice_by_number_id_or_first_letters(text: str, expected: str) -> None:
    assert every_question()["sex"].parse(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("none", ()),
        (" None ", ()),
        ("n", ()),
        ("no", ()),
        ("0", ()),
        ("1", ("confusion",)),
        ("1,3", ("confusion", "chest-pain")),
        (" 3 1 3 ", ("chest-pain", "confusion")),
        ("seizure; 6", ("seizure", "collapse-or-fainting")),
        ("CHEST-PAIN", ("chest-pain",)),
    ],
)
def test_parse_reads_any_choices_by_number_or_id(text: str, expected: tuple[str, ...]) -> None:
    assert every_question()["symptoms-now"].parse(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [("none", ()), ("N", ()), ("simvastatin", ("simvastatin",)), (" Lipitor , ramipril; ", ("Lipitor", "ramipril"))],
)
def test_parse_reads_names_separated_by_commas(text: str, expected: tuple[str, ...]) -> None:
    assert every_question()["medications"].parse(text) == expected


@pytest.mark.parametrize(
    ("question_id", "text", "code"),
    [
        ("symptom-fever", "maybe", "not-allowed-value"),
        ("symptom-fever", "", "not-allowed-value"),
        ("symptom-fever", "yes please", "not-allowed-value"),
        ("symptom-fever", "1", "not-allowed-value"),
        ("age", "121", "out-of-range"),
        ("age", "-1", "out-of-range"),
        ("age", "abc", "wrong-type"),
        ("age", "4.5", "wrong-type"),
        ("age", "", "wrong-type"),
        ("age", "yes", "wrong-type"),
        ("age", "\u0664\u0662", "wrong-type"),
        ("age", "9" * 101, "wrong-type"),
        ("sex", "4", "not-allowed-value"),
        ("sex", "x", "not-allowed-value"),
        ("sex", "", "not-allowed-value"),
        ("symptoms-now", "7", "not-allowed-value"),
        ("symptoms-now", "c", "not-allowed-value"),
        ("symptoms-now", "1, none", "not-allowed-value"),
        ("symptoms-now", "", "empty"),
        ("symptoms-now", " , ", "empty"),
        ("medications", " ; ", "empty"),
    ],
)
def test_parse_refuses_other_answers_with_what_is_allowed(question_id: str, text: str, code: str) -> None:
    found = every_question()[question_id]
    with pytest.raises(InvalidInputError) as raised:
        found.parse(text)
    (problem,) = raised.value.as_data()["problems"]
    assert (problem["path"], problem["code"], problem["location"]) == (["value"], code, question_id)
    if code == "out-of-range":
        assert (problem["minimum"], problem["maximum"]) == (0, 120)
    if code == "not-allowed-value":
        assert problem["allowed"] == (["yes", "no"] if found.answers else choice_ids(found))


def test_parse_takes_text_only() -> None:
    with pytest.raises(InvalidInputError) as raised:
        every_question()["age"].parse(42)  # type: ignore[arg-type]
    assert str(raised.value) == "Question.parse(): text: expected a string, got an int"


@given(text=st.text(max_size=12) | st.sampled_from(["yes", " Y", "n ", "NO", "30", " 7 ", "-3", "200", "1,2", "f"]))
def test_whatever_parse_accepts_answer_takes(text: str) -> None:
    """parse and answer share one check: what parse accepts, answer records; what it refuses is a value problem."""
    for question_id in ("symptom-fever", "age", "sex", "symptoms-now", "medications"):
        found = every_question()[question_id]
        try:
            value = found.parse(text)
        except InvalidInputError as error:
            (problem,) = error.problems
            assert (problem.path, problem.location) == (("value",), question_id)
        else:
            assert found.answer(Profile(), value) != Profile()


@given(data=st.data())
def test_parse_round_trips_every_answer(data: st.DataObject) -> None:
    """An answer written the way the interview shows it reads back as the same answer."""
    found = data.draw(st.sampled_from(sorted(every_question().values(), key=lambda question: question.id)))
    answer = data.draw(an_answer(found))
    if found.kind in {AnswerKind.ANY_OF, AnswerKind.TEXT}:
        written = ", ".join(answer) if answer else data.draw(st.sampled_from([NONE, "None", "n"]))
        assert found.parse(written) == answer
        if found.kind is AnswerKind.ANY_OF and answer:
            assert found.parse(",".join(str(choice_ids(found).index(choice) + 1) for choice in answer)) == answer
    else:
        written = str(answer)
        assert found.parse(data.draw(st.sampled_from([written, f" {written.upper()} ", written.title()]))) == answer


# -- what an answer records, and the problems of a wrong one (found by mutation testing) ------------


def test_yes_and_no_record_the_symptom_and_keep_what_was_there() -> None:
    before = Profile(symptoms=frozenset({Symptom.HEADACHE}), absent_symptoms=frozenset({Symptom.SEIZURE}))
    fever = every_question()["symptom-fever"]
    assert fever.answer(before, YES).symptoms == {Symptom.HEADACHE, Symptom.FEVER}
    assert fever.answer(before, YES).absent_symptoms == {Symptom.SEIZURE}
    assert fever.answer(before, NO).absent_symptoms == {Symptom.SEIZURE, Symptom.FEVER}
    assert fever.answer(before, NO).symptoms == {Symptom.HEADACHE}
    chest = every_question()["symptom-chest-pain"]
    assert chest.answer(before, NO).absent_symptoms == {
        Symptom.SEIZURE,
        Symptom.CHEST_PAIN,
        Symptom.CHEST_PAIN_SPREADING,
        Symptom.CHEST_TIGHTNESS,
    }
    spreading = Profile(symptoms=frozenset({Symptom.CHEST_PAIN_SPREADING}))
    assert Symptom.CHEST_PAIN_SPREADING not in chest.answer(spreading, NO).absent_symptoms


def test_a_wrong_answer_is_a_problem_with_what_is_allowed() -> None:
    with pytest.raises(InvalidInputError) as raised:
        every_question()["symptom-fever"].answer(Profile(), "maybe")
    assert raised.value.as_data()["problems"] == [
        {
            "path": ["value"],
            "code": "not-allowed-value",
            "message": "expected 'yes' or 'no', got 'maybe'",
            "location": "symptom-fever",
            "allowed": ["yes", "no"],
        }
    ]


@pytest.mark.parametrize(("value", "code"), [(121, "out-of-range"), (-1, "out-of-range"), ("30", "wrong-type")])
def test_a_number_out_of_its_range_is_a_problem_with_the_range(value: Any, code: str) -> None:
    age = every_question()["age"]
    with pytest.raises(InvalidInputError) as raised:
        age.answer(Profile(), value)
    (problem,) = raised.value.as_data()["problems"]
    assert (problem["path"], problem["code"], problem["location"]) == (["value"], code, "age")
    if code == "out-of-range":
        assert (problem["minimum"], problem["maximum"]) == (age.minimum, age.maximum) == (0, 120)


@pytest.mark.parametrize(
    ("question_id", "value", "message"),
    [
        ("sex", "x", "expected one of female, male, other, got 'x'"),
        ("symptoms-now", "fever", "expected a list, tuple or set of choice ids, got a single string"),
        ("symptoms-now", 3, "expected a list, tuple or set of choice ids, got an int"),
        ("medications", None, "expected a list, tuple or set of names, got None"),
        ("medications", ["x"] * 101, "expected at most 100 names, got 101"),
        ("medications", [""], "must not be empty"),
    ],
)
def test_a_wrong_list_or_choice_is_a_problem_that_says_what_is_allowed(
    question_id: str, value: Any, message: str
) -> None:
    with pytest.raises(InvalidInputError) as raised:
        every_question()[question_id].answer(Profile(), value)
    (problem,) = raised.value.problems
    assert message in problem.message


def test_a_question_of_your_own_lists_the_questions_there_are() -> None:
    mine = Question(id="favourite-colour", text="Which colour?", field="colour", answers=(YES, NO))
    with pytest.raises(InvalidInputError) as raised:
        mine.answer(Profile(), YES)
    (problem,) = raised.value.as_data()["problems"]
    assert (problem["path"], problem["code"]) == (["id"], "not-allowed-value")
    assert set(problem["allowed"]) == set(every_question())


def test_answering_into_something_that_is_not_a_profile_says_how_to_make_one() -> None:
    with pytest.raises(InvalidInputError) as raised:
        every_question()["age"].answer({}, 30)  # type: ignore[arg-type]
    assert str(raised.value) == (
        "Question.answer(): profile: expected a crampkit.Profile, got a dict "
        "(load JSON data with crampkit.load_profile)"
    )


@pytest.mark.parametrize(
    ("fields", "path", "code", "message"),
    [
        ({"answers": ("yes",)}, "answers", "not-allowed-value", "a yes-no question needs answers ('yes', 'no')"),
        ({"answers": (YES, NO), "minimum": 0, "maximum": 1}, "answers", "conflict", "a number question needs"),
        ({"answers": (), "minimum": 0}, "answers", "conflict", "a number question needs a minimum and a maximum"),
        ({"kind": AnswerKind.ANY_OF}, "choices", "conflict", "an any-of question needs choices"),
        (
            {"kind": AnswerKind.TEXT, "choices": (Choice(id="a", text="A"),)},
            "choices",
            "conflict",
            "a text question needs no answers, limits or choices",
        ),
        (
            {"kind": AnswerKind.ONE_OF, "choices": (Choice(id="a", text="A"), Choice(id="a", text="B"))},
            "choices",
            "conflict",
            "two choices have the same id",
        ),
    ],
)
def test_the_answers_of_a_question_are_a_problem_with_a_code(
    fields: dict[str, Any], path: str, code: str, message: str
) -> None:
    with pytest.raises(InvalidInputError) as raised:
        Question(id="q", text="Why?", field="age", **fields)
    (problem,) = raised.value.as_data()["problems"]
    assert (problem["path"], problem["code"]) == ([path], code)
    assert problem["message"].startswith(message)
    assert problem.get("allowed") == (["yes", "no"] if code == "not-allowed-value" else None)


@pytest.mark.parametrize("region", sorted(REGIONS))
def test_the_questions_use_the_regions_word_for_a_seizure(region: str) -> None:
    """Issue 19 (region everywhere): "seizure" rather than "fit" outside the UK, in every question and choice."""
    asked = next_questions(Profile(), region=region)
    words = " ".join([question.text for question in asked] + [c.text for q in asked for c in q.choices])
    assert "{" not in words
    assert ("A fit (seizure) in the last 24 hours" in words) is (region == "uk")
    if region != "uk":
        assert "A seizure in the last 24 hours" in words
        assert not re.search(r"\bfits?\b", words)


def test_an_unknown_region_is_refused() -> None:
    with pytest.raises(crampkit.InvalidInputError) as info:
        next_questions(Profile(), region="mars")
    assert info.value.problems[0].path == ("region",)
