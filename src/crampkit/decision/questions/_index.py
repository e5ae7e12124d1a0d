"""The knowledge base, indexed for the questions: what sets triage, what changes the advice, by fact."""

from collections.abc import Callable, Iterator, Mapping
from types import MappingProxyType
from typing import NamedTuple, TypeVar

from crampkit._caches import Key
from crampkit.decision.questions._atoms import Atom, all_outcomes, atoms, medicine_atoms, outcomes
from crampkit.decision.questions._question import GROUPS
from crampkit.knowledge.items import Criteria, KnowledgeBase, Sign, derived
from crampkit.vocab import Fact, Symptom, Urgency


class _Trigger(NamedTuple):
    """Something that sets triage: a red flag, a sign above self-care as criteria on its symptom, or an escalation."""

    level: int
    when: Criteria


class _Condition(NamedTuple):
    """Criteria that decide whether an intervention applies (``applies``) or is left out, or a cause is given."""

    when: Criteria
    intervention: int
    """The intervention's position; -1 for a cause's criteria."""
    applies: bool


class Index(NamedTuple):
    """What :func:`next_questions` reads from one knowledge base, indexed by fact."""

    triggers: tuple[_Trigger, ...]
    triggers_by_fact: Mapping[Fact, tuple[_Trigger, ...]]
    """The triggers that name each fact, most urgent first (as in ``triggers``)."""
    conditions_by_fact: Mapping[Fact, tuple[_Condition, ...]]
    applies: tuple[Criteria, ...]
    atoms: tuple[Atom, ...]
    """Every atom, the medicines of this knowledge base last."""
    outcomes: tuple[tuple[frozenset[Fact], ...], ...]
    partners: tuple[str, ...]
    """The atoms of the symptoms a trigger names with sudden onset (not severe pain: it says how bad another is)."""
    sudden_waits: tuple[str, ...]
    """The partners that sudden onset waits for: those of the first two lists (:data:`_SUDDEN_LISTS`)."""


def _sign_criteria(sign: Sign) -> Criteria:
    """A sign fires whenever its symptom is present: criteria on that symptom's fact alone."""
    return Criteria(all_of=frozenset({Fact(f"symptom-{sign.symptom.value}")}))


_Item = TypeVar("_Item", _Trigger, _Condition)


def _conditions(knowledge_base: KnowledgeBase) -> Iterator[_Condition]:
    excluders = [
        *((flag.when, flag.excludes_categories, flag.excludes) for flag in knowledge_base.red_flags),
        *((_sign_criteria(sign), sign.excludes_categories, sign.excludes) for sign in knowledge_base.signs),
    ]
    for index, intervention in enumerate(knowledge_base.interventions):
        yield _Condition(intervention.when, index, applies=True)
        for contraindication in intervention.contraindications:
            yield _Condition(contraindication.when, index, applies=False)
        for rule in knowledge_base.population_rules:
            if rule.covers(intervention):
                yield _Condition(rule.when, index, applies=False)
        for when, categories, ids in excluders:
            if intervention.category in categories or intervention.id in ids:
                yield _Condition(when, index, applies=False)
    for cause in knowledge_base.causes:
        if not cause.when.is_empty:
            yield _Condition(cause.when, -1, applies=True)


def _index(items: tuple[_Item, ...], when: Callable[[_Item], Criteria]) -> Mapping[Fact, tuple[_Item, ...]]:
    index: dict[Fact, list[_Item]] = {}
    for item in items:
        for fact in when(item).names:
            index.setdefault(fact, []).append(item)
    return MappingProxyType({fact: tuple(found) for fact, found in index.items()})


def _build_index(knowledge_base: KnowledgeBase) -> Index:
    triggers = tuple(
        sorted(
            [
                *(_Trigger(flag.urgency.level, flag.when) for flag in knowledge_base.red_flags),
                *(
                    _Trigger(sign.urgency.level, _sign_criteria(sign))
                    for sign in knowledge_base.signs
                    if sign.urgency is not Urgency.SELF_CARE
                ),
                *(_Trigger(rule.escalation.urgency.level, rule.when) for rule in knowledge_base.escalation_rules()),
            ],
            key=lambda trigger: -trigger.level,
        )
    )
    conditions = tuple(_conditions(knowledge_base))
    medicines = medicine_atoms(knowledge_base)
    sudden = {
        fact.value for trigger in triggers if Fact.ONSET_SUDDEN in trigger.when.names for fact in trigger.when.names
    }
    partners = tuple(
        f"symptom-{symptom.value}"
        for symptom in Symptom
        if f"symptom-{symptom.value}" in sudden and symptom is not Symptom.SEVERE_PAIN
    )
    return Index(
        triggers=triggers,
        triggers_by_fact=_index(triggers, lambda trigger: trigger.when),
        conditions_by_fact=_index(conditions, lambda condition: condition.when),
        applies=tuple(intervention.when for intervention in knowledge_base.interventions),
        atoms=(*atoms(), *medicines),
        outcomes=(*all_outcomes(), *(outcomes(atom, knowledge_base) for atom in medicines)),
        partners=partners,
        sudden_waits=tuple(
            key for key in partners if any(key.removeprefix("symptom-") in GROUPS[name] for name in _SUDDEN_LISTS)
        ),
    )


_SUDDEN_LISTS = ("symptoms-now", "symptoms-new")
"""The lists sudden onset waits for, when they hold a symptom it goes with.

Asked once, whether the symptoms came on suddenly covers those reported so
far: these two lists, asked first, hold the symptoms whose suddenness makes
an emergency (a headache, a change in eyesight, weakness, numbness, a cold
leg, pain below the ribs, breathlessness). A symptom it goes with that is
reported later (a long cramp, swelling of the hands or face) opens the
question then, if it is still open; once answered, it is not asked again.
"""


_INDEX: Key[Index] = Key("questions")


def index_of(knowledge_base: KnowledgeBase) -> Index:
    """The question index of ``knowledge_base``, built once and kept with it."""
    return derived(knowledge_base).get(_INDEX, lambda: _build_index(knowledge_base))
