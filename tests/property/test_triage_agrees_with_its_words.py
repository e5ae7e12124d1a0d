"""Issue 19, deliverables 1 and 2 as properties: triage agrees with the words the output shows, and every reported
symptom carries its safety net, in every output format."""

from pathlib import Path

from hypothesis import given
from hypothesis import strategies as st

import crampkit
from crampkit import Guidance, KnowledgeBase, Profile, recommend, to_cds_hooks
from crampkit.knowledge.items import applies_when
from crampkit.render.terminal import render_guidance, render_short
from crampkit.text.regions import REGIONS, resolve
from strategies import profiles

MINI = crampkit.load_knowledge_base(Path(__file__).parent.parent / "data" / "mini.toml")
DEFAULT = crampkit.default_knowledge_base()
KNOWLEDGE_BASES = st.sampled_from([MINI, DEFAULT])

Shown = crampkit.RedFlag | crampkit.Sign | crampkit.Intervention


def _shown(guidance: Guidance, kb: KnowledgeBase) -> list[Shown]:
    """The items whose advice the guidance shows: the flags and signs that fired (and the items of the clauses that
    fired), the signs of every reported symptom (their safety net) and what it recommends."""
    items: list[Shown] = []
    for hit in guidance.red_flags:
        item = kb.by_id.get(hit.id)
        items.append(item if isinstance(item, crampkit.RedFlag | crampkit.Sign) else kb.escalation_rule(hit.id).item)
    items += [kb.sign_for[line.symptom] for line in guidance.safety_net]
    for rec in guidance.recommendations:
        intervention = kb.get(rec.id)
        assert isinstance(intervention, crampkit.Intervention)
        items.append(intervention)
    return items


@given(profiles, KNOWLEDGE_BASES)
def test_no_output_names_a_condition_the_profile_meets_above_its_triage(profile: Profile, kb: KnowledgeBase) -> None:
    """Deliverable 1: whatever the output shows, no condition it states for a higher level of care is one the profile
    already meets while triage stays lower (the safety floor ties every such phrase to a clause)."""
    guidance = recommend(profile, knowledge_base=kb)
    facts = frozenset(guidance.facts)
    for item in _shown(guidance, kb):
        for clause in item.escalations:
            if clause.when is not None and applies_when(item).and_(clause.when).matches(facts):
                assert guidance.triage.level >= clause.urgency.level, (item.id, clause.id, guidance.triage)


@given(profiles, KNOWLEDGE_BASES)
def test_triage_is_the_most_urgent_of_what_fired_and_ties_go_to_the_more_specific(
    profile: Profile, kb: KnowledgeBase
) -> None:
    guidance = recommend(profile, knowledge_base=kb)
    levels = [hit.urgency.level for hit in guidance.red_flags]
    assert levels == sorted(levels, reverse=True)
    if guidance.red_flags:
        assert guidance.triage is guidance.red_flags[0].urgency


@given(profiles, KNOWLEDGE_BASES, st.sampled_from(list(REGIONS)))
def test_every_reported_symptom_has_its_safety_net_line(profile: Profile, kb: KnowledgeBase, region: str) -> None:
    """Deliverable 2: every symptom reported shows its "when to get help" line, whatever its own urgency, in JSON,
    text, short and CDS Hooks output."""
    guidance = recommend(profile, knowledge_base=kb, region=region)
    assert sorted(line.symptom for line in guidance.safety_net) == sorted(profile.symptoms)
    for line in guidance.safety_net:
        sign = kb.sign_for[line.symptom]
        assert (line.sign, line.urgency) == (sign.id, sign.urgency)
        assert line.watch_for == resolve(sign.watch_for, region)
    levels = [line.urgency.level for line in guidance.safety_net]
    assert levels == sorted(levels, reverse=True)
    short = render_short(guidance).splitlines()
    assert [line for line in short if line.startswith("Watch for: ")] == [  # each line once
        f"Watch for: {text}" for text in dict.fromkeys(line.watch_for for line in guidance.safety_net)
    ]
    text = " ".join(render_guidance(guidance).split())
    assert ("Watch for: get help sooner if" in text) is bool(profile.symptoms)
    cards = to_cds_hooks(guidance, knowledge_base=kb)["cards"]
    watch = [card for card in cards if card["summary"].startswith("What to watch for")]
    assert len(watch) == bool(profile.symptoms)
    if watch:
        assert watch[0]["detail"].count("\n- **") == len(profile.symptoms)
