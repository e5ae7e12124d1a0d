"""Property tests for every invariant in DESIGN.md."""

import contextlib
import itertools
import json
import random
from pathlib import Path
from typing import Any

import attrs
from hypothesis import given
from hypothesis import strategies as st

import crampkit
from crampkit import Guidance, InvalidInputError, Profile, Symptom, recommend
from strategies import json_values, profile_like, profiles

MINI = crampkit.load_knowledge_base(Path(__file__).parent.parent / "data" / "mini.toml")
KNOWLEDGE_BASES = st.sampled_from([MINI, crampkit.default_knowledge_base()])


def _shuffled(profile: Profile, seed: int) -> dict[str, Any]:
    """The profile's JSON with every list in a different order."""
    rng = random.Random(seed)

    def shuffle(value: Any) -> Any:
        if isinstance(value, list):
            items = [shuffle(item) for item in value]
            rng.shuffle(items)
            return items
        if isinstance(value, dict):
            return {key: shuffle(item) for key, item in value.items()}
        return value

    result: dict[str, Any] = shuffle(crampkit.unstructure(profile))
    return result


@given(profiles, KNOWLEDGE_BASES)
def test_deterministic(profile: Profile, kb: crampkit.KnowledgeBase) -> None:
    assert recommend(profile, knowledge_base=kb) == recommend(profile, knowledge_base=kb)


@given(profiles, st.integers(0, 2**32), KNOWLEDGE_BASES)
def test_list_order_changes_nothing(profile: Profile, seed: int, kb: crampkit.KnowledgeBase) -> None:
    reordered = crampkit.load_profile(_shuffled(profile, seed))
    assert crampkit.to_json(recommend(reordered, knowledge_base=kb)) == crampkit.to_json(
        recommend(profile, knowledge_base=kb)
    )


@given(profiles, st.sampled_from(Symptom), KNOWLEDGE_BASES)
def test_adding_a_symptom_never_lowers_triage_or_drops_a_red_flag(
    profile: Profile, symptom: Symptom, kb: crampkit.KnowledgeBase
) -> None:
    before = recommend(profile, knowledge_base=kb)
    after = recommend(attrs.evolve(profile, symptoms=profile.symptoms | {symptom}), knowledge_base=kb)
    assert after.triage.level >= before.triage.level
    kept = {flag.id for flag in after.red_flags}
    for flag in before.red_flags:
        if flag.id not in kept:  # only an escalation clause goes, when a flag that fired now says as much
            clause = kb.escalation_rule(flag.id).escalation
            assert any(other.urgency.level >= clause.urgency.level for other in after.red_flags), flag.id


@given(profiles, KNOWLEDGE_BASES)
def test_guidance_is_well_formed(profile: Profile, kb: crampkit.KnowledgeBase) -> None:
    guidance = recommend(profile, knowledge_base=kb)
    expected_triage = max((flag.urgency for flag in guidance.red_flags), key=lambda u: u.level, default=None)
    assert guidance.triage is (expected_triage or crampkit.Urgency.SELF_CARE)
    levels = [flag.urgency.level for flag in guidance.red_flags]
    assert levels == sorted(levels, reverse=True)
    recs = guidance.recommendations
    assert [rec.rank for rec in recs] == list(range(1, len(recs) + 1))
    lines = [rec.second_line for rec in recs]
    assert lines == sorted(lines)  # every first-line item before every second-line one
    assert all(a.score >= b.score for a, b in itertools.pairwise(recs) if a.second_line == b.second_line)
    assert all(rec.because and rec.sources and rec.instructions for rec in recs)
    assert all(rec.stance is not crampkit.Stance.NOT_RECOMMENDED for rec in recs)
    scores = [cause.score for cause in guidance.likely_causes]
    assert scores == sorted(scores, reverse=True)
    assert all(score > 0 for score in scores)
    assert set(guidance.unrecognized_medications) <= {" ".join(name.split()) for name in profile.medications}
    assert len({name.casefold() for name in guidance.unrecognized_medications}) == len(
        guidance.unrecognized_medications
    )


@given(profiles, KNOWLEDGE_BASES)
def test_contraindicated_is_never_recommended(profile: Profile, kb: crampkit.KnowledgeBase) -> None:
    guidance = recommend(profile, knowledge_base=kb)
    facts = frozenset(guidance.facts)
    recommended = {rec.id for rec in guidance.recommendations}
    for intervention in kb.interventions:
        if any(c.when.matches(facts) for c in intervention.contraindications):
            assert intervention.id not in recommended


@given(profiles, KNOWLEDGE_BASES)
def test_a_matched_risk_factor_never_lowers_a_score(profile: Profile, kb: crampkit.KnowledgeBase) -> None:
    """Monotone scoring: with one risk factor switched off, no intervention scores higher."""
    full = recommend(profile, knowledge_base=kb)
    facts = frozenset(full.facts)
    for factor in kb.risk_factors:
        if factor.when.matches(facts):
            weaker = attrs.evolve(  # other content: not under the packaged version (recommend refuses that)
                kb,
                version=f"{kb.version}-weaker",
                risk_factors=tuple(rf for rf in kb.risk_factors if rf.id != factor.id),
            )
            lower = {rec.id: rec.score for rec in recommend(profile, knowledge_base=weaker).recommendations}
            assert all(lower[rec.id] <= rec.score for rec in full.recommendations)
            break


@given(profiles)
def test_profile_round_trip(profile: Profile) -> None:
    assert crampkit.structure(crampkit.unstructure(profile), Profile) == profile
    assert crampkit.load_profile(crampkit.to_json(profile)) == profile


@given(profiles, KNOWLEDGE_BASES)
def test_guidance_round_trip(profile: Profile, kb: crampkit.KnowledgeBase) -> None:
    guidance = recommend(profile, knowledge_base=kb)
    assert crampkit.structure(json.loads(crampkit.to_json(guidance)), Guidance) == guidance


def test_knowledge_base_round_trip() -> None:
    for kb in (MINI, crampkit.default_knowledge_base()):
        assert crampkit.structure(crampkit.unstructure(kb), crampkit.KnowledgeBase) == kb
        assert crampkit.load_knowledge_base(crampkit.unstructure(kb)) == kb


@given(json_values | profile_like)
def test_any_json_value_structures_or_raises_invalid_input(value: object) -> None:
    try:
        profile = crampkit.load_profile(json.dumps(value))
    except InvalidInputError as error:
        assert error.problems
        assert all(str(problem).strip() for problem in error.problems)
    else:
        assert isinstance(profile, Profile)


@given(st.binary(max_size=200))
def test_any_bytes_structure_or_raise_invalid_input(data: bytes) -> None:
    with contextlib.suppress(InvalidInputError):
        crampkit.load_profile(data)


# More information never lowers triage, with two intended exceptions: weeks of pregnancy not given count as 20 or
# more (fact pregnancy-weeks-unknown), and a baby of age 0 whose months are not given counts as under 3 months.
# Giving them can remove exactly the red flags that need those facts, and nothing else.


def _lost_flags(before: Guidance, after: Guidance) -> set[str]:
    return {flag.id for flag in before.red_flags} - {flag.id for flag in after.red_flags}


def _names(kb: crampkit.KnowledgeBase, flag_id: str) -> frozenset[crampkit.Fact]:
    """The facts the red flag or escalation clause with this id needs (a clause: with its item's)."""
    flag = kb.by_id.get(flag_id)
    if isinstance(flag, crampkit.RedFlag):
        return flag.when.names
    return kb.escalation_rule(flag_id).when.names


@given(profiles, st.integers(0, 45), KNOWLEDGE_BASES)
def test_giving_the_weeks_of_pregnancy_removes_only_what_unknown_weeks_raised(
    profile: Profile, weeks: int, kb: crampkit.KnowledgeBase
) -> None:
    unknown = attrs.evolve(profile, pregnant=True, pregnancy_weeks=None)
    before = recommend(unknown, knowledge_base=kb)
    after = recommend(attrs.evolve(unknown, pregnancy_weeks=weeks), knowledge_base=kb)
    lost = _lost_flags(before, after)
    assert all(crampkit.Fact.PREGNANCY_WEEKS_UNKNOWN in _names(kb, flag_id) for flag_id in lost)
    if weeks >= 20:
        assert not lost
        assert after.triage.level >= before.triage.level


@given(profiles, st.integers(0, 11), KNOWLEDGE_BASES)
def test_giving_the_months_of_a_baby_removes_only_what_unknown_months_raised(
    profile: Profile, months: int, kb: crampkit.KnowledgeBase
) -> None:
    unknown = attrs.evolve(profile, age=0, age_months=None)
    before = recommend(unknown, knowledge_base=kb)
    after = recommend(attrs.evolve(unknown, age_months=months), knowledge_base=kb)
    lost = _lost_flags(before, after)
    young = {crampkit.Fact.AGE_UNDER_3_MONTHS, crampkit.Fact.AGE_UNDER_6_MONTHS}
    assert all(not young.isdisjoint(_names(kb, flag_id)) for flag_id in lost)
    if months < 3:
        assert not lost
        assert after.triage.level == before.triage.level
