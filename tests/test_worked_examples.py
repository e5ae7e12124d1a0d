"""Clinical worked examples, from ``tests/data/worked_examples.toml``.

Each case states the triage, the categories that must rank in the top five,
what must never be recommended and the leading cause, with a clinical
justification and its source beside it. Optional keys: ``recommended`` (ids
that must be recommended), ``excluded`` (ids that must be left out as
contraindicated), ``action`` (text the first action must contain), ``watch_for``
(text one line of the safety net must contain), ``region`` (``uk`` unless given), ``says``
(words the action, the red flags' advice or the safety net must contain) and ``never_words``
(words no recommendation may contain, as a blind reviewer wrote them), ``first`` (the ids that must
come first, in order) and ``second_line_last`` (a second line is offered, after every first-line item).
"""

import tomllib
from pathlib import Path
from typing import Any

import pytest

import crampkit

CASES: list[dict[str, Any]] = tomllib.loads((Path(__file__).parent / "data" / "worked_examples.toml").read_text())[
    "case"
]
KB = crampkit.default_knowledge_base()


def test_there_are_enough_cases_and_each_is_justified() -> None:
    assert len(CASES) >= 110  # issue 19
    for case in CASES:
        assert case["why"]
        for source in case["source"].split(", "):
            assert isinstance(KB.get(source), crampkit.Source), source


@pytest.mark.parametrize("case", CASES, ids=[case["name"] for case in CASES])
def test_worked_example(case: dict[str, Any]) -> None:
    guidance = crampkit.recommend(crampkit.load_profile(case["profile"]), region=case.get("region", "uk"))
    assert guidance.triage.value == case["triage"]
    flags = [flag.id for flag in guidance.red_flags]
    assert set(case.get("red_flags", [])) <= set(flags)
    if case["triage"] == "self-care":
        assert flags == []
    top5 = {rec.category.value for rec in guidance.recommendations[:5]}
    assert set(case["top5"]) <= top5, top5
    recommended = {rec.id for rec in guidance.recommendations}
    assert recommended.isdisjoint(case["never"])
    if "leading_cause" in case:
        assert guidance.likely_causes[0].id == case["leading_cause"]
    assert set(case.get("recommended", [])) <= recommended
    assert set(case.get("excluded", [])) <= {item.id for item in guidance.contraindicated}
    if "action" in case:
        assert guidance.action is not None
        assert case["action"] in guidance.action
    shown = " ".join([guidance.action or "", *(flag.advice for flag in guidance.red_flags)])
    shown += " " + " ".join(line.watch_for for line in guidance.safety_net)
    assert all(word.casefold() in shown.casefold() for word in case.get("says", [])), case.get("says")
    advice = " ".join(f"{rec.name} {' '.join(rec.instructions)}" for rec in guidance.recommendations).casefold()
    assert not [word for word in case.get("never_words", []) if word.casefold() in advice]
    if "watch_for" in case:
        assert any(case["watch_for"] in line.watch_for for line in guidance.safety_net), guidance.safety_net
    if guidance.triage.level >= crampkit.Urgency.URGENT.level:
        assert guidance.action is not None
        assert guidance.action.startswith("This may not be a cramp problem.")
    causes = {cause.id for cause in guidance.likely_causes}
    assert set(case.get("also_causes", [])) <= causes
    if "not_recommended" in case:
        assert [item.id for item in guidance.not_recommended] == case["not_recommended"]
    if "contraindicated" in case:
        assert [item.id for item in guidance.contraindicated] == case["contraindicated"]
    assert list(guidance.unrecognized_medications) == case.get("unrecognized", [])
    ids = [rec.id for rec in guidance.recommendations]
    assert ids[: len(case.get("first", []))] == case.get("first", [])
    if case.get("second_line_last"):
        lines = [rec.second_line for rec in guidance.recommendations]
        assert True in lines
        assert lines == sorted(lines)
