"""Escalation as data: every condition the advice names for a higher level of care is a clause, checked for every
knowledge base, and every clause the packaged knowledge base can check fires at its level."""

from typing import Any

import pytest

import crampkit
from crampkit import Criteria, Escalation, Fact, InvalidInputError, KnowledgeBaseError, Urgency, load_knowledge_base
from crampkit.exceptions import ProblemCode
from crampkit.knowledge.escalation import care_level, clauses_of, own_level, parts, spoken_texts
from kbtools import profile_with, quiet_signs

KB = crampkit.default_knowledge_base()


@pytest.mark.parametrize(
    ("text", "level"),
    [
        ("Call {emergency} if you feel faint.", Urgency.EMERGENCY),
        ("Go to {emergency_department} now.", Urgency.EMERGENCY),
        ("Call 999 for an ambulance.", Urgency.EMERGENCY),
        ("Get help today ({urgent_line} or your {doctor}).", Urgency.URGENT),
        ("Get medical help the same day.", Urgency.URGENT),
        ("Get medical advice straight away.", Urgency.URGENT),
        ("Contact your {doctor} today or tomorrow.", Urgency.SOON),  # the longer phrase wins over "today"
        ("See a {doctor} within a day or two.", Urgency.SOON),
        ("See your {doctor} if it keeps coming back.", None),
        ("Rest and drink fluids.", None),
        ("Things happen in the todays of life.", None),  # whole words only
        ("Sit down and call {emergency}; it is urgent.", Urgency.EMERGENCY),  # the highest level named
    ],
)
def test_care_level_reads_the_level_a_text_names(text: str, level: Urgency | None) -> None:
    assert care_level(text) is level


def test_text_is_read_part_by_part() -> None:
    assert parts("Rest now; call {emergency} if worse. See a GP: soon. ") == [
        "Rest now;",
        "call {emergency} if worse.",
        "See a GP:",
        "soon.",
    ]


def _packaged_parts() -> list[tuple[str, str, str, Urgency]]:
    """Every part of the packaged advice that names a level of care above its item's own."""
    found = []
    for item in KB.items():
        if not isinstance(item, crampkit.RedFlag | crampkit.Sign | crampkit.Intervention | crampkit.PopulationRule):
            continue
        for path, text in spoken_texts(item):
            for part in parts(text):
                level = care_level(part)
                if level is not None and level.level > own_level(item).level:
                    found.append((item.id, str(path), part, level))
    return found


PACKAGED_PARTS = _packaged_parts()


def test_the_packaged_advice_names_higher_care_on_conditions() -> None:
    assert len(PACKAGED_PARTS) >= 55  # the safety-net lines alone name about 50
    assert {level for *_, level in PACKAGED_PARTS} == {Urgency.URGENT, Urgency.EMERGENCY}


@pytest.mark.parametrize(("item_id", "path", "part", "level"), PACKAGED_PARTS, ids=[p[0] for p in PACKAGED_PARTS])
def test_every_higher_care_phrase_of_the_packaged_text_is_a_clause(
    item_id: str, path: str, part: str, level: Urgency
) -> None:
    item = KB.get(item_id)
    assert isinstance(item, crampkit.RedFlag | crampkit.Sign | crampkit.Intervention)
    tied = [clause for clause in clauses_of(item) if clause.says in part]
    assert tied, (item_id, path, part)
    assert max(clause.urgency.level for clause in tied) >= level.level


def _minimal_facts(when: Criteria) -> frozenset[Fact]:
    """The fewest facts that meet ``when`` (which never uses ``none``): all of ``all``, the first of each group."""
    return frozenset({*when.all_of, *(min(group) for group in (when.any_of, *when.each_of) if group)})


RULES = KB.escalation_rules()


def test_the_packaged_knowledge_base_checks_most_of_its_clauses() -> None:
    clauses = [clause for item in KB.items() for clause in getattr(item, "escalations", ())]
    assert len(RULES) >= 45
    assert len(RULES) >= 0.7 * len(clauses)  # the rest are conditions no profile can record (shown as text)


@pytest.mark.parametrize("rule", RULES, ids=[rule.escalation.id for rule in RULES])
def test_every_packaged_clause_fires_at_its_level(rule: crampkit.EscalationRule) -> None:
    """A profile that meets the clause (and its item) gets at least the clause's urgency, and sees it or a flag
    that says as much."""
    profile = profile_with(_minimal_facts(rule.when))
    assert rule.when.matches(crampkit.derive_facts(profile))
    guidance = crampkit.recommend(profile)
    assert guidance.triage.level >= rule.escalation.urgency.level
    assert any(hit.urgency.level >= rule.escalation.urgency.level for hit in guidance.red_flags)


# -- the floor, for any knowledge base ---------------------------------------------------------------


def _kb(*, red_flag: dict[str, Any] | None = None, **extra: Any) -> dict[str, Any]:
    flag = {
        "id": "tired-legs",
        "name": "Tired legs",
        "summary": "For a test.",
        "when": {"any": ["symptom-muscle-weakness"]},
        "urgency": "routine",
        "advice": "See your {doctor}. Call {emergency} if you cannot breathe.",
        "sources": ["s"],
    } | (red_flag or {})
    return {
        "version": "t",
        "sources": [{"id": "s", "title": "T", "publisher": "P", "url": "https://example.org", "kind": "reference"}],
        "signs": quiet_signs("s"),
        "red_flags": [flag],
        **extra,
    }


_CLAUSE = {
    "id": "tired-legs-breathless",
    "name": "Tired legs and breathless",
    "says": "you cannot breathe",
    "when": {"any": ["symptom-breathlessness"]},
    "urgency": "emergency",
    "advice": "Call {emergency} now.",
}


def _problems(document: dict[str, Any]) -> list[crampkit.Problem]:
    with pytest.raises(KnowledgeBaseError) as info:
        load_knowledge_base(document)
    return list(info.value.problems)


def test_advice_that_names_higher_care_on_a_condition_needs_a_clause() -> None:
    (problem,) = _problems(_kb())
    assert problem.code is ProblemCode.BELOW_SAFETY_FLOOR
    assert problem.path == ("red_flags", 0, "advice")
    assert problem.location == "red_flags (tired-legs): advice"
    assert "names emergency care above the item's own urgency (routine)" in problem.message
    assert "'Call {emergency} if you cannot breathe.'" in problem.message


def test_with_its_clause_the_knowledge_base_loads_and_the_clause_fires() -> None:
    kb = load_knowledge_base(_kb(red_flag={"escalations": [_CLAUSE]}))
    weak = crampkit.Profile(symptoms=frozenset({crampkit.Symptom.MUSCLE_WEAKNESS}))
    assert crampkit.recommend(weak, knowledge_base=kb).triage is Urgency.ROUTINE
    breathless = crampkit.recommend(
        crampkit.Profile(symptoms=weak.symptoms | {crampkit.Symptom.BREATHLESSNESS}), knowledge_base=kb
    )
    assert breathless.triage is Urgency.EMERGENCY
    assert [hit.id for hit in breathless.red_flags] == ["tired-legs-breathless", "tired-legs"]
    assert breathless.red_flags[0].advice == "Call 999 now."  # resolved for the default region
    assert breathless.red_flags[0].sources == ("s",)  # the item's sources, then the clause's own


def test_a_condition_that_cannot_be_recorded_is_shown_not_checked() -> None:
    text_only = {key: value for key, value in _CLAUSE.items() if key not in {"when", "advice"}}
    kb = load_knowledge_base(_kb(red_flag={"escalations": [text_only]}))
    assert kb.escalation_rules() == ()
    assert not kb.red_flags[0].escalations[0].recordable


@pytest.mark.parametrize(
    ("clause", "path", "message"),
    [
        ({"urgency": "routine"}, ("urgency",), "an escalation must be above its item's urgency (routine), got routine"),
        ({"says": "you faint"}, ("says",), "'says' must quote the item's advice, short form or watch_for"),
        ({"id": "tired-legs"}, ("id",), "the id 'tired-legs' is already used"),
        ({"advice": "Lie down."}, ("advice",), "an emergency escalation must say to call emergency services"),
        ({"advice": None}, ("advice",), "an escalation crampkit can check (one with 'when') needs advice"),
    ],
)
def test_every_clause_is_sound(clause: dict[str, Any], path: tuple[str, ...], message: str) -> None:
    bad = {key: value for key, value in (_CLAUSE | clause).items() if value is not None}
    found = [
        problem
        for problem in _problems(_kb(red_flag={"escalations": [bad]}))
        if problem.path == ("red_flags", 0, "escalations", 0, *path)
    ]
    assert len(found) == 1
    assert found[0].message.startswith(message)


def test_a_clause_cites_known_sources() -> None:
    (problem,) = _problems(_kb(red_flag={"escalations": [_CLAUSE | {"sources": ["nowhere"]}]}))
    assert problem.code is ProblemCode.UNKNOWN_REFERENCE
    assert problem.path == ("red_flags", 0, "escalations", 0, "sources", 0)


def test_two_clauses_may_not_share_an_id() -> None:
    twice = [_CLAUSE, _CLAUSE | {"says": "See your"}]
    problems = _problems(_kb(red_flag={"escalations": twice}))
    assert [str(problem.path) for problem in problems] == [str(("red_flags", 0, "escalations", 1, "id"))]


def test_population_rules_and_interventions_are_read_too() -> None:
    rule = {
        "id": "everyone",
        "name": "Everyone",
        "when": {"any": ["age-under-5"]},
        "excludes_categories": ["massage"],
        "reason": "Call {emergency} straight away.",
        "sources": ["s"],
    }
    (problem,) = _problems(_kb(red_flag={"advice": "See your {doctor}."}, population_rules=[rule]))
    assert problem.path == ("population_rules", 0, "reason")


def test_clause_criteria_may_not_use_none() -> None:
    with pytest.raises(InvalidInputError) as info:
        Escalation(id="x", name="x", says="x", urgency=Urgency.URGENT, when=Criteria(none_of=frozenset({Fact.SMOKER})))
    assert info.value.problems[0].path == ("when",)


def test_criteria_and_reads_as_both() -> None:
    one = Criteria(all_of=frozenset({Fact.SMOKER}), any_of=frozenset({Fact.PREGNANT, Fact.OBESITY}))
    two = Criteria(any_of=frozenset({Fact.HEAT_EXPOSURE}), none_of=frozenset({Fact.AGE_UNDER_5}))
    both = one.and_(two)
    for facts in (
        {Fact.SMOKER, Fact.PREGNANT, Fact.HEAT_EXPOSURE},
        {Fact.SMOKER, Fact.OBESITY},
        {Fact.SMOKER, Fact.HEAT_EXPOSURE, Fact.OBESITY, Fact.AGE_UNDER_5},
    ):
        assert both.matches(frozenset(facts)) is (one.matches(frozenset(facts)) and two.matches(frozenset(facts)))
