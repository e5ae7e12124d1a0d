"""Whether an open question is relevant: what it could add to triage, change in the advice, or lower."""

import itertools
from collections.abc import Callable, Iterator, Mapping
from types import MappingProxyType

from crampkit.decision.questions._index import Index
from crampkit.knowledge.items import Criteria
from crampkit.vocab import Fact, Symptom


def _level(index: Index, facts: frozenset[Fact], added: frozenset[Fact], base: int) -> int:
    """The triage level of ``facts | added``, knowing that ``facts`` alone reach ``base``."""
    if not added:
        return base
    every = facts | added
    level = base
    for fact in added:
        for trigger in index.triggers_by_fact.get(fact, ()):  # most urgent first
            if trigger.level <= level:
                break
            if trigger.when.matches(every):
                level = trigger.level
    return level


Answer = tuple[int, frozenset[Fact]]
"""An open atom (its index among the open ones) and the facts one of its answers adds."""


def _requirements(when: Criteria, facts: frozenset[Fact]) -> list[frozenset[Fact]]:
    """What ``when`` still needs beyond ``facts``: one fact from each set."""
    needed = [frozenset({fact}) for fact in when.all_of - facts]
    if when.any_of and when.any_of.isdisjoint(facts):
        needed.append(when.any_of)
    needed.extend(group for group in when.each_of if group.isdisjoint(facts))
    return needed


def _witnesses(
    needed: list[frozenset[Fact]], providers: Mapping[Fact, list[Answer]], done: Callable[[int], bool]
) -> Iterator[dict[int, frozenset[Fact]]]:
    """Every way to meet ``needed`` with at most one answer per open atom."""
    options = [[answer for fact in sorted(group) for answer in providers.get(fact, ())] for group in needed]
    if not all(options) or all(done(atom) for group in options for atom, _ in group):
        return  # out of reach, or nothing new to learn from it
    for combination in itertools.product(*options):
        chosen: dict[int, frozenset[Fact]] = {}
        for atom, added in combination:
            if chosen.setdefault(atom, added) != added:
                break
        else:
            yield chosen


_OPENERS = frozenset(
    {
        *(Fact(f"symptom-{symptom.value}") for symptom in Symptom),
        Fact.HEAT_EXPOSURE,
        Fact.PREGNANT,
        Fact.PREGNANT_20_WEEKS_PLUS,
        Fact.ONSET_SUDDEN,
    }
)
"""Facts from a "yes" that can open follow-ups: a symptom, heat, pregnancy, sudden onset."""


def triage_potential(
    index: Index, facts: frozenset[Fact], base: int, open_outcomes: list[tuple[frozenset[Fact], ...]]
) -> tuple[list[int], list[int]]:
    """For each open atom, the highest triage level one of its answers could add, and as a follow-up.

    The first is ``base`` when there is none. The second is the highest it
    could add by completing a trigger that a symptom, heat or pregnancy
    already reported takes part in (0 when none: it follows up nothing).
    An answer counts when, together with answers to other open atoms, it
    makes a trigger match and the other answers alone stay below that
    trigger's level. Only answers that a trigger needs are combined, so each
    trigger is tried with its minimal sets of answers.
    """
    providers: dict[Fact, list[Answer]] = {}
    for atom, outcomes in enumerate(open_outcomes):
        for added in outcomes:
            for fact in added:
                providers.setdefault(fact, []).append((atom, added))
    potential = [base] * len(open_outcomes)
    follow = [0] * len(open_outcomes)
    openers = facts & _OPENERS
    levels: dict[frozenset[Fact], int] = {}  # the same other answers recur across triggers
    for trigger in index.triggers:
        level = trigger.level
        if level <= base:
            break
        opens = not openers.isdisjoint(trigger.when.names)

        def done(atom: int, level: int = level, opens: bool = opens) -> bool:
            return potential[atom] >= level and (not opens or follow[atom] >= level)

        for chosen in _witnesses(_requirements(trigger.when, facts), providers, done):
            for atom in chosen:
                if done(atom):
                    continue
                others = frozenset().union(*(added for other, added in chosen.items() if other != atom))
                if others not in levels:
                    levels[others] = _level(index, facts, others, base)
                if levels[others] < level:
                    potential[atom] = max(potential[atom], level)
                    follow[atom] = max(follow[atom], level) if opens else follow[atom]
    return potential, follow


def changes_advice(index: Index, facts: frozenset[Fact], outcomes: tuple[frozenset[Fact], ...]) -> bool:
    """Whether one answer, alone, changes which advice or cause applies or is left out."""
    for added in outcomes:
        every = facts | added
        for fact in added:
            for condition in index.conditions_by_fact.get(fact, ()):
                if condition.when.matches(facts) == condition.when.matches(every):
                    continue
                if condition.applies or index.applies[condition.intervention].matches(every):
                    return True
    return False


_REMOVES: Mapping[str, Fact] = MappingProxyType({"pregnancy-weeks": Fact.PREGNANCY_WEEKS_UNKNOWN})
"""Questions whose answer removes a fact: weeks of pregnancy not given count as 20 or more (the safer side)."""


def could_lower(index: Index, facts: frozenset[Fact], question_id: str) -> bool:
    """Whether an answer could remove a fact that a red flag or sign that fired needs (and so lower triage)."""
    fact = _REMOVES.get(question_id)
    return fact in facts and any(trigger.when.matches(facts) for trigger in index.triggers_by_fact.get(fact, ()))
