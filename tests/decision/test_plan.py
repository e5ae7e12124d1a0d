"""The compiled plan (``crampkit.decision.plan``) and the medicine matcher behave as the knowledge they compile."""

import itertools

import attrs
from hypothesis import given
from hypothesis import strategies as st

import crampkit
from crampkit import Criteria, Fact, Profile, derive_facts
from crampkit.decision.plan import LABEL_CACHE_SIZE, OUTPUT_CACHE_SIZE, PLAN, Plan, compile_test, plan_of
from crampkit.knowledge.items import derived
from crampkit.knowledge.medicines import CACHE_SIZE, MATCHER, MedicineMatcher, matcher
from crampkit.text.i18n import DEFAULT_LANGUAGE, text_for
from crampkit.text.regions import DEFAULT_REGION
from strategies import MEDICINE_NAMES, profiles

KB = crampkit.default_knowledge_base()

_TEXT = text_for(DEFAULT_LANGUAGE, DEFAULT_REGION)
_UNSHARED = attrs.evolve(KB)


def unshared() -> crampkit.KnowledgeBase:
    """The same knowledge, whose plan and medicine matcher remember nothing: every part is built afresh."""
    store = derived(_UNSHARED)  # filled here, before any other use (emptied when every cache is)
    store.get(PLAN, lambda: Plan(_UNSHARED, _TEXT, remember=False), DEFAULT_REGION, DEFAULT_LANGUAGE)
    store.get(MATCHER, lambda: MedicineMatcher(_UNSHARED, remember=False))
    return _UNSHARED


facts = st.frozensets(st.sampled_from(list(Fact)), max_size=12)
groups = st.tuples(*[st.frozensets(st.sampled_from(list(Fact)), min_size=1, max_size=4)] * 2)
criteria = st.builds(
    Criteria,
    all_of=st.frozensets(st.sampled_from(list(Fact)), max_size=3),
    any_of=st.frozensets(st.sampled_from(list(Fact)), max_size=4),
    none_of=st.frozensets(st.sampled_from(list(Fact)), max_size=3),
    each_of=st.just(()) | groups.map(tuple),
)


@given(criteria, facts)
def test_compiled_criteria_match_exactly_when_the_criteria_do(when: Criteria, present: frozenset[Fact]) -> None:
    assert compile_test(when)(present) is when.matches(present)


@given(profiles)
def test_every_packaged_criteria_compiles_to_the_same_answer(profile: Profile) -> None:
    present = derive_facts(profile)
    plan = plan_of(KB)
    assert [flag.fields["id"] for flag in plan.flags if flag.test(present)] == [
        *(flag.id for flag in KB.red_flags if flag.when.matches(present)),
        *(rule.escalation.id for rule in KB.escalation_rules() if rule.when.matches(present)),
    ]
    assert [option.intervention.id for option in plan.options if option.test(present)] == [
        item.id for item in KB.interventions if item.when.matches(present)
    ]
    for option in plan.options:
        compiled = [reason for test, reason in option.exclusions if test(present)]
        assert compiled == [plan.tx(reason) for reason in KB.exclusions(option.intervention, present)]


def test_a_plan_is_built_once_per_knowledge_base_and_kept_by_it() -> None:
    assert plan_of(KB) is plan_of(KB)
    other = crampkit.load_knowledge_base({"extends": "default", "version": "plan-test"})
    assert plan_of(other) is not plan_of(KB)
    assert plan_of(KB).labels.cache_info().maxsize == LABEL_CACHE_SIZE


@given(profiles)
def test_shared_parts_and_remembered_names_give_the_same_guidance_as_building_afresh(profile: Profile) -> None:
    first, again = crampkit.recommend(profile), crampkit.recommend(profile)
    afresh = crampkit.recommend(profile, knowledge_base=unshared())
    assert first == again == afresh
    assert crampkit.to_json(again) == crampkit.to_json(afresh)
    assert all(shared is part for shared, part in zip(first.recommendations, again.recommendations, strict=True))
    assert plan_of(unshared()).recommendation.cache_info().currsize == 0
    assert matcher(unshared()).resolve.cache_info().currsize == 0


def test_everything_a_plan_remembers_is_bounded() -> None:
    plan = Plan(KB, _TEXT)
    remembered = {
        name: found.cache_info().maxsize for name, found in vars(plan).items() if hasattr(found, "cache_info")
    }
    assert remembered == {
        "labels": LABEL_CACHE_SIZE,
        "applies_to": LABEL_CACHE_SIZE,
        "flag_hit": OUTPUT_CACHE_SIZE,
        "cause_hit": OUTPUT_CACHE_SIZE,
        "recommendation": OUTPUT_CACHE_SIZE,
        "not_recommended": OUTPUT_CACHE_SIZE,
        "contraindicated": OUTPUT_CACHE_SIZE,
    }
    many = itertools.islice((frozenset(c) for c in itertools.combinations(sorted(Fact), 3)), LABEL_CACHE_SIZE + 10)
    for facts in many:
        assert plan.labels(facts) == tuple(crampkit.FACT_LABELS[fact] for fact in sorted(facts))
    assert plan.labels.cache_info().currsize == LABEL_CACHE_SIZE


def test_medicine_names_are_remembered_within_a_bound() -> None:
    found = matcher(KB)
    assert found.resolve.cache_info().maxsize == CACHE_SIZE
    first = found.match(MEDICINE_NAMES)
    assert found.match(MEDICINE_NAMES) == first
    assert found.resolve.cache_info().hits >= len(MEDICINE_NAMES)


def test_every_threshold_cites_sources_in_the_knowledge_base_and_labels_its_fact() -> None:
    for threshold in crampkit.THRESHOLDS:
        assert all(isinstance(KB.get(source), crampkit.Source) for source in threshold.sources), threshold
        assert crampkit.FACT_LABELS[threshold.fact] == threshold.label


@given(profiles)
def test_each_threshold_holds_exactly_as_its_comparison_says(profile: Profile) -> None:
    present = derive_facts(profile)
    for threshold in crampkit.THRESHOLDS:
        number: object = profile
        for part in threshold.field.split("."):
            number = getattr(number, part)
        assert isinstance(number, int | float | None)
        expected = (
            number is not None
            and {
                "<": number < threshold.value,
                ">=": number >= threshold.value,
                ">": number > threshold.value,
            }[threshold.comparison]
        )
        assert threshold.holds(profile) is expected
        if threshold.holds(profile):
            assert threshold.fact in present


def test_criteria_hold_when_the_facts_are_exactly_those_needed() -> None:
    needed = frozenset({Fact.AGE_60_PLUS, Fact.SITE_CALF})
    assert compile_test(Criteria(all_of=needed, none_of=frozenset({Fact.PREGNANT})))(needed)
    assert compile_test(Criteria(all_of=needed))(needed)


def test_a_red_flag_with_groups_says_which_fact_of_each_group_matched() -> None:
    # possible-lung-clot needs a clot risk and chest pain or breathlessness (each = [risks, symptoms]).
    profile = Profile(
        clot_risks=frozenset({crampkit.ClotRisk.LONG_TRAVEL}), symptoms=frozenset({crampkit.Symptom.BREATHLESSNESS})
    )
    (hit,) = [hit for hit in crampkit.recommend(profile).red_flags if hit.id == "possible-lung-clot"]
    assert set(hit.because) == {
        crampkit.FACT_LABELS[Fact.CLOT_RISK_LONG_TRAVEL],
        crampkit.FACT_LABELS[Fact.SYMPTOM_BREATHLESSNESS],
    }


def test_only_a_cause_with_a_prior_is_called_common_without_another_cause() -> None:
    profile = Profile(age=70, medications=frozenset({"bendroflumethiazide"}))
    causes = {cause.id: cause for cause in crampkit.recommend(profile).likely_causes}
    common = "common even when no other cause is found"
    assert common in causes["idiopathic"].because
    assert common not in causes["medication"].because
