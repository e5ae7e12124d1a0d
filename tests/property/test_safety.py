"""Safety invariants: signs reach their floor, treatments are safe for the person, advice never contradicts a flag.

They are checked on the packaged knowledge base, on the test one, and on
knowledge bases generated at random: whatever the loader accepts must keep
them.
"""

import itertools
from pathlib import Path
from typing import Any

import attrs
import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

import crampkit
from crampkit import Category, Fact, KnowledgeBase, KnowledgeBaseError, Profile, Symptom, Urgency, recommend
from crampkit.decision.engine import CERTAINTY_POINTS
from crampkit.knowledge.exclusions import ExclusionRow, exclusion_table
from crampkit.knowledge.safety import EMERGENCY_SERVICES
from crampkit.text.regions import REGIONS, resolve
from kbtools import quiet_signs, table_rules
from strategies import profiles, with_facts

MINI = crampkit.load_knowledge_base(Path(__file__).parent.parent / "data" / "mini.toml")
DEFAULT = crampkit.default_knowledge_base()
KNOWLEDGE_BASES = st.sampled_from([MINI, DEFAULT])
DRUGS = frozenset({Category.PRESCRIPTION_DRUG, Category.SUPPLEMENT})


def _floor(profile: Profile, kb: KnowledgeBase) -> Urgency:
    """The highest standalone urgency among the profile's symptoms."""
    levels = [kb.sign_for[symptom].urgency for symptom in profile.symptoms]
    return max(levels, key=lambda urgency: urgency.level, default=Urgency.SELF_CARE)


@pytest.mark.parametrize("kb", [MINI, DEFAULT], ids=["mini", "default"])
@pytest.mark.parametrize("symptom", list(Symptom), ids=[s.value for s in Symptom])
def test_every_sign_alone_reaches_its_standalone_urgency(kb: KnowledgeBase, symptom: Symptom) -> None:
    guidance = recommend(Profile(symptoms=frozenset({symptom})), knowledge_base=kb)
    assert guidance.triage.level >= kb.sign_for[symptom].urgency.level
    if kb.sign_for[symptom].urgency is not Urgency.SELF_CARE:
        assert guidance.red_flags, "a sign above self-care is always reported"


def test_every_pair_of_signs_reaches_at_least_the_higher_floor() -> None:
    for first, second in itertools.combinations(Symptom, 2):
        profile = Profile(symptoms=frozenset({first, second}))
        assert recommend(profile).triage.level >= _floor(profile, DEFAULT).level, (first, second)


@given(profiles, KNOWLEDGE_BASES)
def test_any_profile_reaches_the_floor_of_its_signs(profile: Profile, kb: KnowledgeBase) -> None:
    assert recommend(profile, knowledge_base=kb).triage.level >= _floor(profile, kb).level


@given(profiles, st.sampled_from(Symptom), KNOWLEDGE_BASES)
def test_adding_a_sign_never_lowers_triage(profile: Profile, symptom: Symptom, kb: KnowledgeBase) -> None:
    before = recommend(profile, knowledge_base=kb).triage
    after = recommend(attrs.evolve(profile, symptoms=profile.symptoms | {symptom}), knowledge_base=kb).triage
    assert after.level >= before.level


def test_every_emergency_in_the_packaged_knowledge_base_names_emergency_services() -> None:
    emergencies: list[crampkit.RedFlag | crampkit.Sign] = [
        *(flag for flag in DEFAULT.red_flags if flag.urgency is Urgency.EMERGENCY),
        *(sign for sign in DEFAULT.signs if sign.urgency is Urgency.EMERGENCY),
    ]
    assert emergencies
    for item, region in itertools.product(emergencies, REGIONS):
        assert item.short is not None
        for text in (item.advice, item.short):
            resolved = resolve(text, region)
            assert EMERGENCY_SERVICES.search(resolved), (item.id, region)
            assert REGIONS[region].services["emergency"] in resolved, (item.id, region)  # the region's own number


@given(profiles, st.sampled_from(list(REGIONS)))
def test_emergency_guidance_leads_with_emergency_services(profile: Profile, region: str) -> None:
    guidance = recommend(profile, region=region)
    if guidance.triage is Urgency.EMERGENCY:
        assert guidance.action is not None
        assert guidance.action.startswith("This may not be a cramp problem.")
        number = REGIONS[region].services["emergency"]
        assert number in guidance.action
        assert number in guidance.red_flags[0].short


def _recommended(profile: Profile, kb: KnowledgeBase) -> list[crampkit.Intervention]:
    by_id = {intervention.id: intervention for intervention in kb.interventions}
    return [by_id[rec.id] for rec in recommend(profile, knowledge_base=kb).recommendations]


@given(profiles.filter(lambda p: p.age is not None), st.integers(0, 17), KNOWLEDGE_BASES)
def test_no_prescription_drug_or_supplement_under_18(profile: Profile, age: int, kb: KnowledgeBase) -> None:
    young = attrs.evolve(profile, age=age, age_months=None)
    assert all(item.category not in DRUGS for item in _recommended(young, kb))


TABLE = exclusion_table()
_TABLE_FACTS = sorted({fact for row in TABLE for case in row.cases() for fact in case})
_NSAID_FACTS = sorted(
    {fact for row in TABLE if Fact.DRUG_NSAID in row.excludes_medicines for case in row.cases() for fact in case}
)


@given(profiles, st.sampled_from(_NSAID_FACTS), KNOWLEDGE_BASES)
def test_no_nsaid_for_any_exclusion_fact(profile: Profile, fact: Fact, kb: KnowledgeBase) -> None:
    changed = with_facts(profile, [fact], kb)
    facts = crampkit.derive_facts(changed, knowledge_base=kb)
    assume(fact in facts)
    if any(row.when.matches(facts) for row in TABLE if Fact.DRUG_NSAID in row.excludes_medicines):
        assert all(Fact.DRUG_NSAID not in item.medicines_given for item in _recommended(changed, kb))


@given(profiles, st.sampled_from(TABLE), st.data())
def test_no_row_of_the_table_is_ever_broken(profile: Profile, row: ExclusionRow, data: st.DataObject) -> None:
    case = data.draw(st.sampled_from(list(row.cases())))
    changed = with_facts(profile, sorted(case), DEFAULT)
    facts = crampkit.derive_facts(changed)
    assume(row.when.matches(facts))
    assert not [item.id for item in _recommended(changed, DEFAULT) if row.covers(item)]


@given(profiles, KNOWLEDGE_BASES)
def test_nothing_recommended_contradicts_a_red_flag_that_fired(profile: Profile, kb: KnowledgeBase) -> None:
    guidance = recommend(profile, knowledge_base=kb)
    fired = [kb.by_id.get(hit.id) or kb.escalation_rule(hit.id).item for hit in guidance.red_flags]
    for item in _recommended(profile, kb):
        for flag in fired:
            assert isinstance(flag, crampkit.RedFlag | crampkit.Sign)
            assert item.category not in flag.excludes_categories, (item.id, flag.id)
            assert item.id not in flag.excludes, (item.id, flag.id)
        if guidance.triage.level >= Urgency.URGENT.level:
            assert item.while_waiting, item.id


@given(profiles, KNOWLEDGE_BASES)
def test_general_advice_never_outranks_a_matched_item_of_the_same_or_higher_certainty(
    profile: Profile, kb: KnowledgeBase
) -> None:
    guidance = recommend(profile, knowledge_base=kb)
    facts = frozenset(guidance.facts)
    matched = {i.id: bool(i.when.matched(facts)) for i in kb.interventions}
    points = CERTAINTY_POINTS
    for better, worse in itertools.combinations(guidance.recommendations, 2):
        if not matched[better.id] and matched[worse.id] and better.second_line == worse.second_line:
            assert points[worse.certainty] < points[better.certainty], (better.id, worse.id)


# Knowledge bases generated at random: the loader either refuses one or it keeps every safety rule.

_CATEGORIES = st.sampled_from(list(Category))
_EXCLUSION_FACTS = _TABLE_FACTS
_MEDICINES = ["drug-nsaid", "drug-quinine", "drug-statin", "drug-calcium-channel-blocker", "drug-paracetamol"]


@st.composite
def _interventions(draw: st.DrawFn) -> dict[str, Any]:
    index = draw(st.integers(0, 10_000))
    contraindications = draw(st.lists(st.sampled_from(_EXCLUSION_FACTS), max_size=4, unique=True))
    item: dict[str, Any] = {
        "id": f"item-{index}",
        "name": "An item",
        "summary": "Something to do.",
        "phase": draw(st.sampled_from(["during", "prevent"])),
        "category": draw(_CATEGORIES).value,
        "instructions": ["Do it."],
        "certainty": draw(st.sampled_from(["high", "moderate", "low", "very-low"])),
        "stance": draw(st.sampled_from(["recommended", "optional"])),
        "medicines": draw(st.lists(st.sampled_from(_MEDICINES), unique=True)),
        "while_waiting": draw(st.booleans()),
        "sources": ["s"],
    }
    if contraindications:
        item["contraindications"] = [{"when": {"any": [f.value for f in contraindications]}, "reason": "No."}]
    return item


_RULES = table_rules("s")  # the table's rows as population rules: the knowledge base's own way to keep them


@st.composite
def _knowledge_bases(draw: st.DrawFn) -> dict[str, Any]:
    items = draw(st.lists(_interventions(), min_size=1, max_size=5, unique_by=lambda item: item["id"]))
    return {
        "version": "generated",
        "sources": [{"id": "s", "title": "t", "publisher": "p", "url": "https://example.org", "kind": "guideline"}],
        "signs": quiet_signs("s"),
        "interventions": items,
        "population_rules": draw(st.lists(st.sampled_from(_RULES), unique_by=lambda rule: str(rule["id"]))),
    }


@given(_knowledge_bases(), profiles)
def test_any_knowledge_base_the_loader_accepts_keeps_the_treatment_rules(
    document: dict[str, Any], profile: Profile
) -> None:
    try:
        kb = crampkit.load_knowledge_base(document)
    except KnowledgeBaseError:
        return
    facts = crampkit.derive_facts(profile, knowledge_base=kb)
    rows = [row for row in TABLE if row.when.matches(facts)]
    for item in _recommended(profile, kb):
        assert not [row.id for row in rows if row.covers(item)], item.id


def test_the_loader_refuses_a_knowledge_base_below_the_floor() -> None:
    document = {
        "version": "unsafe",
        "sources": [{"id": "s", "title": "t", "publisher": "p", "url": "https://example.org", "kind": "guideline"}],
        "signs": quiet_signs("s")[1:],
        "interventions": [
            {
                "id": "pill",
                "name": "A pill",
                "summary": "Take ibuprofen.",
                "phase": "prevent",
                "category": "prescription-drug",
                "instructions": ["Ask."],
                "certainty": "low",
                "stance": "optional",
                "medicines": ["drug-nsaid"],
                "sources": ["s"],
            }
        ],
    }
    with pytest.raises(KnowledgeBaseError) as caught:
        crampkit.load_knowledge_base(document)
    problems = [str(problem) for problem in caught.value.problems]
    assert any(problem.startswith("signs: every symptom needs a sign") for problem in problems)
    hint = "add a contraindication or a population rule"
    under_18 = "exclusion table, row under-18-no-cramp-medicines"
    assert f"pill: must be left out when age-under-18 (under 18) holds ({under_18}): {hint}" in problems
    pregnant = "exclusion table, row pregnancy-no-cramp-medicines"
    assert f"pill: must be left out when pregnant (pregnant) holds ({pregnant}): {hint}" in problems
    cases = {(row.id, case) for row in TABLE if Fact.DRUG_NSAID in row.excludes_medicines for case in row.cases()}
    cases |= {
        (row.id, case) for row in TABLE if Category.PRESCRIPTION_DRUG in row.excludes_categories for case in row.cases()
    }
    assert sum(problem.startswith("pill: must be left out") for problem in problems) == len(cases)


def test_recommend_refuses_a_knowledge_base_built_in_python_below_the_floor() -> None:
    """The floor holds for every knowledge base, not only for those the loader built."""
    no_seizure_sign = attrs.evolve(DEFAULT, signs=tuple(s for s in DEFAULT.signs if s.symptom is not Symptom.SEIZURE))
    with pytest.raises(KnowledgeBaseError) as caught:
        recommend(Profile(symptoms=frozenset({Symptom.SEIZURE})), knowledge_base=no_seizure_sign)
    assert tuple(map(str, caught.value.problems)) == (
        "signs: every symptom needs a sign with its standalone urgency; missing: seizure",
    )
    assert crampkit.floor_problems(DEFAULT) == ()
