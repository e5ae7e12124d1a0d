"""Questions to ask next (``next_questions``), the ``absent_symptoms`` answer, and ``crampkit interview``."""

import io
import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import attrs
import jsonschema
import pytest
from hypothesis import given
from hypothesis import strategies as st

import crampkit
from crampkit import Fact, InvalidInputError, Profile, Question, Symptom, Urgency, next_questions, recommend
from crampkit.cli import main
from crampkit.decision.questions import NO, QUESTION_TEXT, YES
from crampkit.render.terminal import render_guidance
from strategies import profiles

KB = crampkit.default_knowledge_base()
MINI = crampkit.load_knowledge_base(Path(__file__).parents[1] / "data" / "mini.toml")
EVERY_SYMPTOM_ABSENT = Profile(absent_symptoms=frozenset(Symptom))
ONLY_AGE = attrs.evolve(
    EVERY_SYMPTOM_ABSENT,
    heat_exposure=False,
    sudden_onset=False,
    pregnant=False,
    cramps=crampkit.Cramps(reported=False),
)


def ids(questions: tuple[Question, ...]) -> list[str]:
    return [question.id for question in questions]


def triage(profile: Profile, kb: crampkit.KnowledgeBase = KB) -> Urgency:
    return recommend(profile, knowledge_base=kb).triage


def answers_of(question: Question) -> list[str | int]:
    """Every answer a question allows (numbers: the whole range)."""
    if question.answers:
        return list(question.answers)
    assert question.minimum is not None
    assert question.maximum is not None
    return list(range(question.minimum, question.maximum + 1))


def every_question() -> list[Question]:
    """Every question there is: those asked of a profile that says nothing, plus weeks of pregnancy (asked when
    a pregnancy warning sign fired that weeks under 20 would take away)."""
    asked = {question.id: question for question in next_questions(Profile())}
    headache = Profile(pregnant=True, symptoms=frozenset({Symptom.HEADACHE}))  # weeks could lower triage
    asked |= {question.id: question for question in next_questions(headache)}
    return list(asked.values())


# -- absent symptoms ------------------------------------------------------------------------------


def test_absent_symptoms_load_and_round_trip() -> None:
    profile = crampkit.load_profile({"symptoms": ["fever"], "absent_symptoms": ["confusion", "seizure"]})
    assert profile.absent_symptoms == {Symptom.CONFUSION, Symptom.SEIZURE}
    assert crampkit.load_profile(crampkit.to_json(profile)) == profile


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
    """A profile without the new field is still valid and gets the same guidance as with it empty."""
    document = json.loads(crampkit.to_json(crampkit.example_profile()))
    assert "absent_symptoms" not in document
    profile = crampkit.load_profile(document)
    assert profile.absent_symptoms == frozenset()
    assert recommend(profile) == recommend(attrs.evolve(profile, absent_symptoms=frozenset()))


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
    """A generated profile that also records some symptoms as asked and absent."""
    profile = draw(base)
    free = sorted(set(Symptom) - profile.symptoms)
    absent = draw(st.frozensets(st.sampled_from(free))) if free else frozenset()
    return attrs.evolve(profile, absent_symptoms=absent)


@pytest.mark.parametrize("kb", [KB, MINI], ids=["packaged", "mini"])
@given(profile=with_absent())
def test_absent_answers_never_change_the_guidance(kb: crampkit.KnowledgeBase, profile: Profile) -> None:
    """An answer of "no" only stops the question being asked again: triage and advice are as if never asked."""
    not_asked = attrs.evolve(profile, absent_symptoms=frozenset())
    assert recommend(profile, knowledge_base=kb) == recommend(not_asked, knowledge_base=kb)


# -- the must-show examples -----------------------------------------------------------------------


def test_an_empty_profile_is_asked_the_warning_signs_first() -> None:
    """The first questions are the symptoms that alone mean an emergency, read from the signs."""
    emergency = {f"symptom-{sign.symptom.value}" for sign in KB.signs if sign.urgency is Urgency.EMERGENCY}
    asked = next_questions(Profile())
    assert set(ids(asked)[: len(emergency)]) == emergency
    assert all(question.field == "symptoms" and question.answers == (YES, NO) for question in asked[: len(emergency)])


def test_answering_absent_removes_the_warning_sign_questions() -> None:
    first = next_questions(Profile())
    warning = [
        question
        for question in first
        if question.symptom is not None and KB.sign_for[question.symptom].urgency is Urgency.EMERGENCY
    ]
    profile = Profile()
    for question in warning:
        profile = question.answer(profile, NO)
    assert profile.absent_symptoms == {question.symptom for question in warning}
    after = ids(next_questions(profile))
    assert not set(ids(tuple(warning))) & set(after)
    assert triage(profile) is Urgency.SELF_CARE


@pytest.mark.parametrize("answer", [NO, YES])
def test_after_every_answer_nothing_is_left_to_ask(answer: str) -> None:
    """Answering the first question until none is left ends, within as many steps as there are questions."""
    profile = Profile()
    for _ in range(len(QUESTION_TEXT) + 1):
        pending = next_questions(profile)
        if not pending:
            break
        question = pending[0]
        profile = question.answer(profile, answer if question.answers else 30)
    assert next_questions(profile) == ()


def test_heat_is_asked_while_a_sign_that_makes_it_an_emergency_is_open() -> None:
    """Heat alone raises nothing, but heat with a fever is heatstroke: so heat is asked while fever is open.

    Fever alone is self-care in the packaged signs; the red flag "heatstroke"
    (heat exposure with confusion, a fit, collapse or fever) is an emergency.
    """
    only_fever_open = Profile(absent_symptoms=frozenset(Symptom) - {Symptom.FEVER})
    assert triage(attrs.evolve(only_fever_open, heat_exposure=True)) is Urgency.SELF_CARE
    assert {"heat-exposure", "symptom-fever"} <= set(ids(next_questions(only_fever_open)))

    fever = attrs.evolve(only_fever_open, absent_symptoms=only_fever_open.absent_symptoms, symptoms=frozenset())
    fever = next(q for q in next_questions(only_fever_open) if q.id == "symptom-fever").answer(fever, YES)
    assert triage(fever) is Urgency.SELF_CARE
    first = next_questions(fever)[0]
    assert first.id == "heat-exposure"
    assert triage(first.answer(fever, YES)) is Urgency.EMERGENCY


def test_once_the_partner_sign_is_absent_heat_no_longer_leads() -> None:
    """With every sign answered "no", heat can no longer raise triage: it is asked, if at all, for the advice."""
    nothing = EVERY_SYMPTOM_ABSENT
    for question in next_questions(nothing):
        for answer in answers_of(question):
            assert triage(question.answer(nothing, answer)) is Urgency.SELF_CARE


def test_an_emergency_leaves_nothing_to_ask() -> None:
    """Once triage is emergency the person must act now: asking more only delays them.

    This test used to check that the questions left at an emergency could
    only change the advice; since issue 19 (deliverable 5) there are none.
    """
    seizure = Profile(symptoms=frozenset({Symptom.SEIZURE}))
    assert triage(seizure) is Urgency.EMERGENCY
    assert next_questions(seizure) == ()
    assert next_questions(seizure, knowledge_base=MINI, skip={"age"}) == ()
    assert next_questions(Profile(symptoms=frozenset({Symptom.HEADACHE})))  # below emergency, there are some


def test_emergency_is_the_triage_recommend_gives_as_the_profile_stands() -> None:
    """Heat alone and a fever alone are not emergencies, so both are still asked; together they are."""
    fever = Profile(symptoms=frozenset({Symptom.FEVER}))
    assert "heat-exposure" in ids(next_questions(fever))
    assert next_questions(attrs.evolve(fever, heat_exposure=True)) == ()


def test_weeks_of_pregnancy_are_asked_only_once_pregnant() -> None:
    """Vomiting from 20 weeks of pregnancy is a warning sign (red flag pregnancy-warning-vomiting).

    Since knowledge base 2027.02 the warning also holds while the weeks are not known (the safer side), so
    being pregnant already raises triage; the weeks are still asked, because they can lower it again (at 8
    weeks, being sick is ordinary morning sickness).
    """
    vomiting = Profile(symptoms=frozenset({Symptom.VOMITING}))
    assert "pregnancy-weeks" not in ids(next_questions(vomiting))
    assert "pregnant" in ids(next_questions(vomiting))
    pregnant = attrs.evolve(vomiting, pregnant=True)
    assert triage(pregnant) is Urgency.URGENT
    weeks = next(question for question in next_questions(pregnant) if question.id == "pregnancy-weeks")
    assert (weeks.field, weeks.answers, weeks.minimum, weeks.maximum) == ("pregnancy_weeks", (), 0, 45)
    assert triage(weeks.answer(pregnant, 24)) is Urgency.URGENT
    assert triage(weeks.answer(pregnant, 8)) is Urgency.SELF_CARE
    assert "pregnancy-weeks" not in ids(next_questions(attrs.evolve(pregnant, symptoms=frozenset())))
    assert "pregnancy-weeks" not in ids(next_questions(attrs.evolve(vomiting, pregnant=False)))
    assert "pregnant" not in ids(next_questions(attrs.evolve(vomiting, sex=crampkit.Sex.MALE)))


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


def test_a_follow_up_that_matters_gets_its_first_question_asked() -> None:
    """When only the weeks of pregnancy could raise triage, "pregnant" is asked, so the weeks can be."""
    later = _red_flag("later", Urgency.URGENT, Fact.PREGNANT_20_WEEKS_PLUS, Fact.SYMPTOM_VOMITING)
    kb = attrs.evolve(MINI, red_flags=(later,), interventions=(), population_rules=())
    vomiting = Profile(symptoms=frozenset({Symptom.VOMITING}), absent_symptoms=frozenset(Symptom) - {Symptom.VOMITING})
    assert ids(next_questions(vomiting, knowledge_base=kb)) == ["pregnant"]
    pregnant = attrs.evolve(vomiting, pregnant=True)
    assert ids(next_questions(pregnant, knowledge_base=kb)) == ["pregnancy-weeks"]
    assert next_questions(attrs.evolve(pregnant, pregnancy_weeks=12), knowledge_base=kb) == ()


def test_a_follow_up_that_changes_the_advice_gets_its_first_question_asked() -> None:
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
    kb = attrs.evolve(MINI, red_flags=(), interventions=(later,), population_rules=())
    assert ids(next_questions(EVERY_SYMPTOM_ABSENT, knowledge_base=kb)) == ["pregnant"]


def test_age_is_a_number_question() -> None:
    age = next(question for question in next_questions(Profile()) if question.id == "age")
    assert (age.field, age.answers, age.minimum, age.maximum) == ("age", (), 0, 120)
    assert age.answer(Profile(), 70).age == 70


def test_a_different_knowledge_base_asks_different_questions() -> None:
    """Relevance comes from the knowledge base: the small test one has fewer warning signs to ask about."""
    mini = ids(next_questions(Profile(), knowledge_base=MINI))
    packaged = ids(next_questions(Profile()))
    assert mini != packaged
    first = next_questions(Profile(), knowledge_base=MINI)[0]
    assert triage(first.answer(Profile(), YES), MINI).level > triage(Profile(), MINI).level


def test_a_combination_no_one_can_have_raises_nothing() -> None:
    """A red flag that needs two ages at once can never match, so it makes no question more urgent."""
    impossible = _red_flag("impossible", Urgency.EMERGENCY, Fact.AGE_UNDER_5, Fact.AGE_60_PLUS, Fact.SYMPTOM_FEVER)
    kb = attrs.evolve(MINI, red_flags=(*MINI.red_flags, impossible))
    assert next_questions(Profile(), knowledge_base=kb) == next_questions(Profile(), knowledge_base=MINI)


def test_cramps_question_fills_cramps_reported() -> None:
    # Cramps with a wound are no longer tetanus (knowledge base 2027.02: the NHS tetanus signs are a stiff jaw,
    # spreading spasms and breathing trouble); with a calcium-lowering medicine, cramps are a reason to ring today.
    denosumab = Profile(medications=frozenset({"denosumab"}))
    cramps = next(question for question in next_questions(denosumab) if question.id == "cramps")
    assert cramps.field == "cramps.reported"
    assert triage(cramps.answer(denosumab, YES)) is Urgency.URGENT  # red flag low-calcium-medicine
    assert cramps.answer(denosumab, NO).cramps.reported is False


# -- every question -------------------------------------------------------------------------------


def test_every_question_has_its_text_in_the_one_table() -> None:
    questions = every_question()
    assert {question.id for question in questions} == set(QUESTION_TEXT)
    for question in questions:
        assert question.text == QUESTION_TEXT[question.id]
        assert question.text.endswith("?")


def test_every_symptom_has_a_question() -> None:
    symptoms = {question.symptom for question in every_question() if question.symptom is not None}
    assert symptoms == set(Symptom)


@pytest.mark.parametrize(
    ("question_id", "bad"),
    [("symptom-fever", "maybe"), ("symptom-fever", True), ("age", 121), ("age", -1), ("age", True), ("age", "30")],
)
def test_answers_outside_the_allowed_ones_are_refused(question_id: str, bad: Any) -> None:
    question = next(question for question in every_question() if question.id == question_id)
    with pytest.raises(InvalidInputError) as raised:
        question.answer(Profile(), bad)
    assert str(raised.value.problems[0]).startswith(f"{question_id}: expected ")


def test_an_answer_that_contradicts_the_profile_is_refused() -> None:
    fever = next(question for question in every_question() if question.id == "symptom-fever")
    with pytest.raises(InvalidInputError):
        fever.answer(Profile(symptoms=frozenset({Symptom.FEVER})), NO)


@pytest.mark.parametrize(
    "fields",
    [{"answers": ("yes",)}, {"answers": (YES, NO), "minimum": 0, "maximum": 1}, {"answers": (), "minimum": 0}],
)
def test_a_question_is_either_yes_no_or_a_number(fields: dict[str, Any]) -> None:
    with pytest.raises(InvalidInputError):
        Question(id="q", text="Why?", field="age", **fields)


def test_a_question_of_your_own_cannot_be_answered_into_a_profile() -> None:
    mine = Question(id="favourite-colour", text="Which colour?", field="colour", answers=(YES, NO))
    with pytest.raises(InvalidInputError, match="favourite-colour: not one of crampkit's questions"):
        mine.answer(Profile(), YES)


def test_wrong_arguments_are_named() -> None:
    with pytest.raises(InvalidInputError, match=r"next_questions\(\): profile: expected a crampkit.Profile"):
        next_questions({})  # type: ignore[arg-type]
    with pytest.raises(InvalidInputError, match=r"next_questions\(\): knowledge_base"):
        next_questions(Profile(), knowledge_base="packaged")  # type: ignore[arg-type]
    with pytest.raises(InvalidInputError, match=r"Question.answer\(\): profile"):
        every_question()[0].answer({}, YES)  # type: ignore[arg-type]


def test_a_knowledge_base_below_the_safety_floor_is_refused() -> None:
    """As with recommend(): no questions from knowledge that may not give guidance."""
    unsafe = attrs.evolve(
        MINI, red_flags=(attrs.evolve(_red_flag("x", Urgency.EMERGENCY, Fact.SMOKER), advice="Rest."),)
    )
    assert crampkit.floor_problems(unsafe)
    with pytest.raises(crampkit.KnowledgeBaseError):
        next_questions(Profile(), knowledge_base=unsafe)


def test_many_knowledge_bases_in_turn_still_get_their_own_answers() -> None:
    """Each knowledge base's plan is kept by identity; more than the cache holds is still right."""
    expected = next_questions(Profile(), knowledge_base=MINI)
    for _ in range(10):
        copy = attrs.evolve(MINI, version=MINI.version)
        assert next_questions(Profile(), knowledge_base=copy) == expected
    assert next_questions(Profile(), knowledge_base=MINI) == expected


# -- properties -----------------------------------------------------------------------------------


def single_additions(profile: Profile) -> list[Profile]:
    """The profile with each single piece of news an open question could bring: a symptom, a yes, an age."""
    open_symptoms = set(Symptom) - profile.symptoms - profile.absent_symptoms
    added = [attrs.evolve(profile, symptoms=profile.symptoms | {symptom}) for symptom in open_symptoms]
    changes: list[dict[str, Any]] = []
    if profile.heat_exposure is None:
        changes.append({"heat_exposure": True})
    if profile.sudden_onset is None:
        changes.append({"sudden_onset": True})
    if profile.pregnant is None and profile.pregnancy_weeks is None and profile.sex is not crampkit.Sex.MALE:
        changes += [{"pregnant": True}, {"pregnancy_weeks": 30}]
    if profile.age is None:
        changes += [{"age": age} for age in (2, 10, 30, 55, 70)]
    return added + [attrs.evolve(profile, **change) for change in changes]


@pytest.mark.parametrize("kb", [KB, MINI], ids=["packaged", "mini"])
@given(profile=with_absent(), data=st.data())
def test_soundness_nothing_to_ask_means_no_answer_could_raise_triage(
    kb: crampkit.KnowledgeBase, profile: Profile, data: st.DataObject
) -> None:
    """(a) Answer the questions (any of them, any answer) until none is left: then no sign changes triage."""
    for _ in range(len(QUESTION_TEXT) + 1):
        questions = next_questions(profile, knowledge_base=kb)
        if not questions:
            break
        question = data.draw(st.sampled_from(questions))
        profile = question.answer(profile, data.draw(st.sampled_from(answers_of(question))))
    assert next_questions(profile, knowledge_base=kb) == ()
    before = triage(profile, kb)
    for added in single_additions(profile):
        assert triage(added, kb) is before


@pytest.mark.parametrize("kb", [KB, MINI], ids=["packaged", "mini"])
@given(profile=with_absent(), data=st.data())
def test_a_question_not_asked_cannot_raise_triage_with_another_open_answer(
    kb: crampkit.KnowledgeBase, profile: Profile, data: st.DataObject
) -> None:
    """Stronger: a symptom not asked about changes triage neither alone nor with any one other open symptom."""
    asked = {question.symptom for question in next_questions(profile, knowledge_base=kb)}
    open_symptoms = sorted(set(Symptom) - profile.symptoms - profile.absent_symptoms)
    not_asked = [symptom for symptom in open_symptoms if symptom not in asked]
    if not not_asked:
        return
    symptom = data.draw(st.sampled_from(not_asked))
    other = data.draw(st.none() | st.sampled_from(open_symptoms))
    context = profile if other is None else attrs.evolve(profile, symptoms=profile.symptoms | {other})
    with_it = attrs.evolve(context, symptoms=context.symptoms | {symptom})
    assert triage(with_it, kb) is triage(context, kb)


@pytest.mark.parametrize("kb", [KB, MINI], ids=["packaged", "mini"])
@given(profile=with_absent(), data=st.data())
def test_an_answered_question_never_comes_back(
    kb: crampkit.KnowledgeBase, profile: Profile, data: st.DataObject
) -> None:
    """(b) Whatever the answer, the question answered is not asked again."""
    questions = next_questions(profile, knowledge_base=kb)
    if not questions:
        return
    question = data.draw(st.sampled_from(questions))
    answer = data.draw(st.sampled_from(answers_of(question)))
    answered = question.answer(profile, answer)
    assert question.id not in ids(next_questions(answered, knowledge_base=kb))


@pytest.mark.parametrize("kb", [KB, MINI], ids=["packaged", "mini"])
@given(profile=with_absent())
def test_deterministic(kb: crampkit.KnowledgeBase, profile: Profile) -> None:
    """(c) The same profile gets the same questions, however it was built."""
    again = crampkit.load_profile(crampkit.to_json(profile))
    assert next_questions(profile, knowledge_base=kb) == next_questions(again, knowledge_base=kb)


@pytest.mark.parametrize("kb", [KB, MINI], ids=["packaged", "mini"])
@given(profile=with_absent())
def test_triage_questions_come_first_and_lead_somewhere(kb: crampkit.KnowledgeBase, profile: Profile) -> None:
    """The first question, when it is a symptom that alone raises triage, really does raise it."""
    questions = next_questions(profile, knowledge_base=kb)
    if questions and questions[0].symptom is not None:
        sign = kb.sign_for[questions[0].symptom]
        if sign.urgency.level > triage(profile, kb).level:
            assert triage(questions[0].answer(profile, YES), kb).level > triage(profile, kb).level


@pytest.mark.parametrize("kb", [KB, MINI], ids=["packaged", "mini"])
@given(profile=with_absent())
def test_nothing_is_asked_at_an_emergency(kb: crampkit.KnowledgeBase, profile: Profile) -> None:
    """For any profile whose guidance has triage emergency, there is no question to ask."""
    if triage(profile, kb) is Urgency.EMERGENCY:
        assert next_questions(profile, knowledge_base=kb) == ()


@pytest.mark.parametrize("kb", [KB, MINI], ids=["packaged", "mini"])
@given(profile=with_absent(), data=st.data())
def test_answering_the_questions_never_asks_past_an_emergency(
    kb: crampkit.KnowledgeBase, profile: Profile, data: st.DataObject
) -> None:
    """Answer every question returned, in turn, with any answer: no question comes after an emergency.

    The walk ends (each answer closes a question), and whenever the answers so
    far reach an emergency the next call returns nothing.
    """
    for _ in range(len(QUESTION_TEXT) + 1):
        questions = next_questions(profile, knowledge_base=kb)
        if triage(profile, kb) is Urgency.EMERGENCY:
            assert questions == ()
        if not questions:
            break
        for question in questions:  # the whole list, as a form would ask it
            if question.id in ids(next_questions(profile, knowledge_base=kb)):
                profile = question.answer(profile, data.draw(st.sampled_from(answers_of(question))))
    assert next_questions(profile, knowledge_base=kb) == ()


# -- skipping -------------------------------------------------------------------------------------


@pytest.mark.parametrize("kb", [KB, MINI], ids=["packaged", "mini"])
@given(profile=with_absent(), data=st.data())
def test_skipped_questions_are_left_out_and_the_rest_keep_their_order(
    kb: crampkit.KnowledgeBase, profile: Profile, data: st.DataObject
) -> None:
    every = next_questions(profile, knowledge_base=kb)
    skip = data.draw(st.frozensets(st.sampled_from(sorted(QUESTION_TEXT))))
    left = next_questions(profile, knowledge_base=kb, skip=skip)
    assert left == tuple(question for question in every if question.id not in skip)


@pytest.mark.parametrize("skip", [["age"], ("age",), {"age"}, frozenset({"age"})])
def test_skip_takes_any_collection_of_ids(skip: Any) -> None:
    assert "age" in ids(next_questions(ONLY_AGE))
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
    assert _question("symptom-fever").parse(text) == expected


@pytest.mark.parametrize(("text", "expected"), [("42", 42), (" 42 ", 42), ("0\n", 0), ("120", 120), ("+7", 7)])
def test_parse_reads_whole_numbers_written_as_text(text: str, expected: int) -> None:
    assert _question("age").parse(text) == expected


@pytest.mark.parametrize("text", ["maybe", "", "yes please", "1", "ja", "ye s"])
def test_parse_refuses_other_words_with_the_allowed_answers(text: str) -> None:
    with pytest.raises(InvalidInputError) as raised:
        _question("symptom-fever").parse(text)
    (problem,) = raised.value.as_data()["problems"]
    assert (problem["path"], problem["code"], problem["allowed"]) == (["value"], "not-allowed-value", ["yes", "no"])
    assert problem["location"] == "symptom-fever"


@pytest.mark.parametrize(
    ("text", "code"),
    [("121", "out-of-range"), ("-1", "out-of-range"), ("abc", "wrong-type"), ("4.5", "wrong-type"),
     ("", "wrong-type"), ("yes", "wrong-type"), ("\u0664\u0662", "wrong-type"), ("9" * 101, "wrong-type")],
)  # fmt: skip
def test_parse_refuses_other_numbers_with_the_range(text: str, code: str) -> None:
    with pytest.raises(InvalidInputError) as raised:
        _question("age").parse(text)
    (problem,) = raised.value.as_data()["problems"]
    assert (problem["path"], problem["code"], problem["location"]) == (["value"], code, "age")
    if code == "out-of-range":
        assert (problem["minimum"], problem["maximum"]) == (0, 120)


def test_parse_takes_text_only() -> None:
    with pytest.raises(InvalidInputError) as raised:
        _question("age").parse(42)  # type: ignore[arg-type]
    assert str(raised.value) == "Question.parse(): text: expected a string, got an int"


@given(text=st.text(max_size=12) | st.sampled_from(["yes", " Y", "n ", "NO", "30", " 7 ", "-3", "200"]))
def test_whatever_parse_accepts_answer_takes(text: str) -> None:
    """parse and answer share one check: what parse accepts, answer records; what it refuses is a value problem."""
    for question in (_question("symptom-fever"), _question("age")):
        try:
            value = question.parse(text)
        except InvalidInputError as error:
            (problem,) = error.problems
            assert (problem.path, problem.location) == (("value",), question.id)
        else:
            assert question.answer(Profile(), value) != Profile()


# -- crampkit interview ---------------------------------------------------------------------------


def interview(answers: str | bytes, *argv: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    stdin: Any = io.BytesIO(answers) if isinstance(answers, bytes) else io.StringIO(answers)
    code = main(["interview", *argv], stdout=out, stderr=err, stdin=stdin)
    return code, out.getvalue(), err.getvalue()


def test_interview_asks_re_asks_and_stops_at_the_end_of_input() -> None:
    first, second = next_questions(Profile())[:2]
    code, out, err = interview("maybe\nno\n")
    assert (code, err) == (0, "")
    assert out.count(first.text) == 2  # asked again after an answer it does not allow
    assert "Please answer yes, no or skip." in out
    assert second.text in out
    assert "Stopped" in out
    profile = first.answer(Profile(), NO)
    assert out.endswith(render_guidance(recommend(profile)))


def test_interview_skip_moves_on_and_does_not_ask_again() -> None:
    first, second = next_questions(Profile())[:2]
    code, out, _ = interview("skip\ns\n")
    assert code == 0
    assert out.count(first.text) == 1
    assert out.count(second.text) == 1
    assert out.endswith(render_guidance(recommend(Profile())))


def test_interview_stops_at_an_emergency_with_what_to_do() -> None:
    code, out, _ = interview("YES\n")
    assert code == 0
    assert "emergency" in out
    assert "Triage: EMERGENCY" in out


def test_interview_reads_answers_leniently(tmp_path: Path) -> None:
    """The interview reads answers with Question.parse: short words in any case, spaces, numbers as text."""
    first, second = next_questions(Profile())[:2]
    code, out, _ = interview(" N \nn\n")
    assert code == 0
    assert "Please answer" not in out
    assert out.endswith(render_guidance(recommend(second.answer(first.answer(Profile(), NO), NO))))
    start = tmp_path / "profile.json"
    start.write_text(crampkit.to_json(ONLY_AGE))
    code, out, _ = interview(" 42 \n", "--profile", str(start))
    assert code == 0
    assert out.endswith(render_guidance(recommend(attrs.evolve(ONLY_AGE, age=42))))


def test_interview_reads_numbers_and_finishes(tmp_path: Path) -> None:
    """From a profile where only the age is left to ask, a number is asked for until one fits."""
    only_age = ONLY_AGE
    assert ids(next_questions(only_age)) == ["age"]
    start = tmp_path / "profile.json"
    start.write_text(crampkit.to_json(only_age))
    code, out, _ = interview(b"abc\n200\n30\n", "--profile", str(start))
    assert code == 0
    assert out.count("Please answer a number from 0 to 120, or skip.") == 2
    assert "No more questions could change the guidance." in out
    assert out.endswith(render_guidance(recommend(attrs.evolve(only_age, age=30))))


class Terminal(io.StringIO):
    """Typed answers: a terminal echoes them itself, so the interview does not."""

    def isatty(self) -> bool:
        return True


def test_interview_says_when_skipped_questions_could_still_matter(tmp_path: Path) -> None:
    start = tmp_path / "profile.json"
    start.write_text(crampkit.to_json(ONLY_AGE))
    code, out, _ = interview("skip\n", "--profile", str(start))
    assert code == 0
    assert "apart from those you skipped" in out
    assert out.endswith(render_guidance(recommend(ONLY_AGE)))


def test_interview_does_not_echo_answers_typed_at_a_terminal() -> None:
    out = io.StringIO()
    assert main(["interview"], stdout=out, stdin=Terminal("no\n")) == 0
    first = next_questions(Profile())[0]
    assert f"{first.text} [yes, no or skip] \n" not in out.getvalue()
    assert f"{first.text} [yes, no or skip] " in out.getvalue()


def test_interview_with_stdin_closed_is_bad_input(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sys, "stdin", None)
    out, err = io.StringIO(), io.StringIO()
    assert main(["interview"], stdout=out, stderr=err) == 2
    assert "standard input is closed" in err.getvalue()


@pytest.mark.skipif(not hasattr(os, "openpty"), reason="needs a pseudo-terminal")
def test_interview_in_a_terminal() -> None:
    """Through a real pseudo-terminal: the terminal echoes the answers, Ctrl-D ends with guidance."""
    import pty  # noqa: PLC0415 - POSIX only

    controller, terminal = pty.openpty()
    process = subprocess.Popen(
        [sys.executable, "-m", "crampkit", "interview"],
        stdin=terminal,
        stdout=terminal,
        stderr=terminal,
        close_fds=True,
    )
    os.close(terminal)
    os.write(controller, b"no\nmaybe\nno\n\x04")
    output = b""
    while True:
        try:
            chunk = os.read(controller, 4096)
        except OSError:  # the terminal is gone once the process has exited
            break
        if not chunk:
            break
        output += chunk
    os.close(controller)
    assert process.wait(timeout=60) == 0
    text = output.decode()
    first, second = next_questions(Profile())[:2]
    assert first.text in text
    assert text.count(second.text) == 2
    assert "Please answer yes, no or skip." in text
    assert "Stopped" in text
    assert "Triage: SELF-CARE" in text


# -- what an answer records, and the problems of a wrong one (found by mutation testing) ------------


def _question(question_id: str) -> Question:
    return next(question for question in every_question() if question.id == question_id)


def test_yes_and_no_record_the_symptom_and_keep_what_was_there() -> None:
    before = Profile(symptoms=frozenset({Symptom.HEADACHE}), absent_symptoms=frozenset({Symptom.SEIZURE}))
    fever = _question("symptom-fever")
    assert fever.answer(before, YES).symptoms == {Symptom.HEADACHE, Symptom.FEVER}
    assert fever.answer(before, YES).absent_symptoms == {Symptom.SEIZURE}
    assert fever.answer(before, NO).absent_symptoms == {Symptom.SEIZURE, Symptom.FEVER}
    assert fever.answer(before, NO).symptoms == {Symptom.HEADACHE}


def test_a_wrong_answer_is_a_problem_with_what_is_allowed() -> None:
    with pytest.raises(InvalidInputError) as raised:
        _question("symptom-fever").answer(Profile(), "maybe")
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
    age = _question("age")
    with pytest.raises(InvalidInputError) as raised:
        age.answer(Profile(), value)
    (problem,) = raised.value.as_data()["problems"]
    assert (problem["path"], problem["code"], problem["location"]) == (["value"], code, "age")
    if code == "out-of-range":
        assert (problem["minimum"], problem["maximum"]) == (age.minimum, age.maximum) == (0, 120)


def test_a_question_of_your_own_lists_the_questions_there_are() -> None:
    mine = Question(id="favourite-colour", text="Which colour?", field="colour", answers=(YES, NO))
    with pytest.raises(InvalidInputError) as raised:
        mine.answer(Profile(), YES)
    (problem,) = raised.value.as_data()["problems"]
    assert (problem["path"], problem["code"]) == (["id"], "not-allowed-value")
    assert set(problem["allowed"]) == {question.id for question in every_question()}


def test_answering_into_something_that_is_not_a_profile_says_how_to_make_one() -> None:
    with pytest.raises(InvalidInputError) as raised:
        _question("age").answer({}, 30)  # type: ignore[arg-type]
    assert str(raised.value) == (
        "Question.answer(): profile: expected a crampkit.Profile, got a dict "
        "(load JSON data with crampkit.load_profile)"
    )


@pytest.mark.parametrize(
    ("fields", "code"),
    [
        ({"answers": ("yes",)}, "not-allowed-value"),
        ({"answers": (YES, NO), "minimum": 0, "maximum": 1}, "conflict"),
        ({"answers": (), "minimum": 0}, "conflict"),
    ],
)
def test_the_answers_of_a_question_are_a_problem_with_a_code(fields: dict[str, Any], code: str) -> None:
    with pytest.raises(InvalidInputError) as raised:
        Question(id="q", text="Why?", field="age", **fields)
    (problem,) = raised.value.as_data()["problems"]
    assert problem["path"] == ["answers"]
    assert problem["code"] == code
    assert problem["message"] == "expected ('yes', 'no') and no limits, or () with a minimum and a maximum"
    assert problem.get("allowed") == (["yes", "no"] if code == "not-allowed-value" else None)
