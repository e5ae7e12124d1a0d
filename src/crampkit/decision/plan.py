"""A knowledge base compiled for evaluation (internal).

:func:`crampkit.recommend` reads a knowledge base through its :class:`Plan`,
built the first time it is needed and then kept by that knowledge base (in
its store, :func:`crampkit.knowledge.items.derived`): every criteria becomes a
small test function, the exclusion rules of each intervention
(:meth:`crampkit.KnowledgeBase.exclusion_rules`) are gathered once, the
static parts of each score are added up, and the output of every sign is
built once. Equal parts of guidance are built once and shared, for the most
recent :data:`OUTPUT_CACHE_SIZE` of each kind, and so are the plain-language
labels of fact sets (:data:`LABEL_CACHE_SIZE`): on a realistic stream of
profiles, whose sets of facts rarely repeat, their parts do (see
``benchmarks/test_cache_benchmarks.py``). The decision itself stays in
:mod:`crampkit.decision.engine`, which reads as a few named steps over a plan.
"""

from collections.abc import Callable, Mapping, Sequence
from functools import lru_cache
from types import MappingProxyType
from typing import Generic, TypeVar

from crampkit._caches import Key
from crampkit._model.checks import trusted
from crampkit.guidance import (
    DISCLAIMER,
    CauseHit,
    Contraindicated,
    NotRecommended,
    Recommendation,
    RedFlagHit,
    SafetyNet,
)
from crampkit.knowledge.items import (
    Criteria,
    Escalation,
    EscalationRule,
    Intervention,
    KnowledgeBase,
    RedFlag,
    Sign,
    derived,
)
from crampkit.text.i18n import DEFAULT_LANGUAGE, N_, text_for
from crampkit.text.regions import DEFAULT_REGION
from crampkit.thresholds import FACT_LABELS
from crampkit.vocab import Category, Certainty, Fact, Stance, Strength, Symptom, Urgency

__all__ = [
    "CERTAINTY_POINTS",
    "LABEL_CACHE_SIZE",
    "NOT_A_CRAMP_PROBLEM",
    "OUTPUT_CACHE_SIZE",
    "PLAN",
    "STANCE_POINTS",
    "STRENGTH_WEIGHTS",
    "Flag",
    "Option",
    "Plan",
    "Test",
    "compile_test",
    "plan_of",
]

STRENGTH_WEIGHTS: Mapping[Strength, float] = MappingProxyType(
    {Strength.STRONG: 3.0, Strength.MODERATE: 2.0, Strength.WEAK: 1.0}
)
"""What a matched risk factor adds to each cause it raises."""

CERTAINTY_POINTS: Mapping[Certainty, float] = MappingProxyType(
    {Certainty.HIGH: 8.0, Certainty.MODERATE: 6.0, Certainty.LOW: 4.0, Certainty.VERY_LOW: 2.0}
)
"""What the certainty of its evidence adds to an intervention's score.

.. versionchanged:: 0.2
   8, 6, 4 and 2 (were 4, 3, 2 and 1): a step of certainty outweighs fit.
"""

STANCE_POINTS: Mapping[Stance, float] = MappingProxyType({Stance.RECOMMENDED: 0.5, Stance.OPTIONAL: 0.0})
"""What its stance adds to an intervention's score (not-recommended ones are never scored).

.. versionchanged:: 0.2
   0.5 and 0 (were 2 and 1), so that fit outweighs stance.
"""

NOT_A_CRAMP_PROBLEM = N_("This may not be a cramp problem.")
"""How ``action`` starts at ``urgent`` or ``emergency`` triage.

.. versionadded:: 0.2
"""

# The engine's own words (the knowledge base's are its data); each is translated and resolved for
# the region once, when a plan is compiled.
_GENERAL = N_("general advice for any cramp")
_DEFERRED = N_("Left out while urgent care is needed: do this only once a clinician has checked the problem.")
_COMMON = N_("common even when no other cause is found")
_SECOND_LINE = N_("second line: only if cramps stay troublesome after some weeks of stretching and other self-care")
_WARNINGS_FIRST = N_(
    "Left out for now: the warning signs above need checking first, as the cramps may have another cause."
)
_MEDICINES_FIRST = N_(
    "Left out for now: one of your medicines may be causing the cramps, so have your medicines reviewed first."
)
_AGAINST = N_("It would go against the advice for: {red_flag}.")
_LIKELY = N_("likely cause: {cause}")
_APPLIES = N_("applies to: {facts}")
_FACTOR = N_("{risk_factor} ({facts})")

Text = Callable[[str], str]
"""Makes knowledge-base or engine text ready to show: translated, then resolved for the region."""

LABEL_CACHE_SIZE = 4096
"""How many distinct fact sets a plan remembers the labels of."""
OUTPUT_CACHE_SIZE = 4096
"""How many distinct parts of guidance (of each kind) a plan keeps to share."""

_RED_FLAG_HIT = trusted(RedFlagHit)
_CAUSE_HIT = trusted(CauseHit)
_RECOMMENDATION = trusted(Recommendation)
_NOT_RECOMMENDED = trusted(NotRecommended)
_CONTRAINDICATED = trusted(Contraindicated)
_SAFETY_NET = trusted(SafetyNet)

T = TypeVar("T")

Test = Callable[[frozenset[Fact]], bool]
"""Criteria compiled to a function of the facts."""
_Factor = tuple[Test, frozenset[Fact], float, str, tuple[int, ...]]
"""A risk factor, compiled: its test, the facts it can match, its weight, its name and the causes it raises."""


def compile_test(criteria: Criteria) -> Test:
    """``criteria`` as a function that says whether it holds for a set of facts (as :meth:`Criteria.matches`)."""
    all_of, any_of, none_of, each_of = criteria.all_of, criteria.any_of, criteria.none_of, criteria.each_of
    if not (any_of or none_of or each_of):
        return all_of.issubset
    if not (all_of or none_of or each_of):
        return lambda facts: not any_of.isdisjoint(facts)

    def test(facts: frozenset[Fact]) -> bool:
        return (
            all_of <= facts
            and (not any_of or not any_of.isdisjoint(facts))
            and all(not group.isdisjoint(facts) for group in each_of)
            and none_of.isdisjoint(facts)
        )

    return test


def _symptom_fact(symptom: Symptom) -> Fact:
    return Fact(f"symptom-{symptom.value}")


def _keys(criteria: Criteria) -> frozenset[Fact]:
    """Facts one of which must be present for ``criteria`` to hold; empty when it can hold without any."""
    if criteria.all_of:
        return frozenset({min(criteria.all_of)})
    if criteria.any_of:
        return criteria.any_of
    if criteria.each_of:
        return criteria.each_of[0]
    return frozenset()


def _positive(criteria: Criteria) -> frozenset[Fact]:
    """The facts that can make ``criteria`` hold: once it holds, those present are the ones it matched."""
    return criteria.all_of.union(criteria.any_of, *criteria.each_of)


class _Index(Generic[T]):
    """Items with criteria, filed under the facts one of which each one needs (:func:`_keys`).

    Only the items filed under a fact present (or needing none) can hold for
    a set of facts, so only those are tested: a profile has a few facts, and
    most items need one it does not have.
    """

    __slots__ = ("_always", "_by_fact", "_items")

    def __init__(self, items: Sequence[T], criteria: Sequence[Criteria]) -> None:
        """File ``items``, each with its criteria (``criteria``, by position)."""
        self._items = tuple(items)
        self._always = frozenset(position for position, when in enumerate(criteria) if not _keys(when))
        by_fact: dict[Fact, list[int]] = {}
        for position, when in enumerate(criteria):
            for fact in _keys(when):
                by_fact.setdefault(fact, []).append(position)
        self._by_fact = {fact: tuple(positions) for fact, positions in by_fact.items()}

    def candidates(self, facts: frozenset[Fact]) -> list[T]:
        """The items that may hold for ``facts`` (a superset of those that do), in their order."""
        found = set(self._always)
        by_fact = self._by_fact
        for fact in facts:
            positions = by_fact.get(fact)
            if positions:
                found.update(positions)
        items = self._items
        return [items[position] for position in sorted(found)]


class Flag:
    """A red flag, a sign above self-care or an escalation clause, compiled, with what it reports."""

    __slots__ = ("against", "clause", "excludes", "fields", "level", "order", "positive", "test")

    def __init__(
        self,
        order: int,
        when: Criteria,
        item: RedFlag | Sign | Escalation,
        *,
        excluder: RedFlag | Sign | None,
        why: str,
        sources: tuple[str, ...],
        interventions: tuple[Intervention, ...],
        tx: Text,
    ) -> None:
        """Compile ``item`` (fired when ``when`` holds), the ``order``-th flag of the plan.

        ``excluder`` is the red flag or sign whose exclusions apply when it fires (for an escalation
        clause, its item, or none for an intervention's clause, besides the clause's own); ``why``
        and ``sources`` are what the report gives for it.
        """
        self.order = order
        self.clause = isinstance(item, Escalation)
        """Whether it is an escalation clause (reported only when no other flag already says as much)."""
        self.level = item.urgency.level
        self.test = compile_test(when)
        self.positive = _positive(when)
        excluders = [found for found in (excluder, item) if isinstance(found, RedFlag | Sign | Escalation)]
        self.excludes = frozenset(
            index
            for index, intervention in enumerate(interventions)
            if any(
                intervention.category in found.excludes_categories or intervention.id in found.excludes
                for found in excluders
            )
        )
        self.against = tx(_AGAINST).format(red_flag=tx(item.name))
        """The reason given for an intervention it leaves out."""
        advice = item.advice or item.name  # a clause without advice is never compiled (the floor checks it)
        self.fields = {
            "id": item.id,
            "name": tx(item.name),
            "urgency": item.urgency,
            "advice": tx(advice),
            "short": tx(item.short or advice),
            "why": tx(why),
            "sources": sources,
        }
        """What it reports, but for the facts that matched."""


class Option:
    """An intervention, compiled."""

    __slots__ = (
        "addresses",
        "cautions",
        "certainty",
        "exclusion_keys",
        "exclusions",
        "id",
        "index",
        "intervention",
        "named",
        "not_recommended",
        "output",
        "positive",
        "reason",
        "reviews_medicines",
        "second_line",
        "static",
        "test",
        "while_waiting",
    )

    def __init__(
        self,
        index: int,
        intervention: Intervention,
        knowledge_base: KnowledgeBase,
        causes: Mapping[str, int],
        tx: Text,
    ) -> None:
        """Compile ``intervention``, the ``index``-th of ``knowledge_base``; ``causes`` gives each cause's position."""
        self.index = index
        self.id = intervention.id
        self.intervention = intervention
        self.test = compile_test(intervention.when)
        self.positive = _positive(intervention.when)
        self.not_recommended = intervention.stance is Stance.NOT_RECOMMENDED
        self.reason = tx(str(intervention.reason))
        self.while_waiting = intervention.while_waiting
        self.second_line = intervention.category.second_line
        self.reviews_medicines = intervention.category is Category.MEDICATION_REVIEW
        self.output = {
            "id": intervention.id,
            "name": tx(intervention.name),
            "short": tx(intervention.short or intervention.name),
            "category": intervention.category,
            "phase": intervention.phase,
            "certainty": intervention.certainty,
            "stance": intervention.stance,
            "instructions": tuple(map(tx, intervention.instructions)),
            "sources": intervention.sources,
            "second_line": self.second_line,
        }
        """The fields of its :class:`~crampkit.Recommendation` that do not depend on the person."""
        self.named = {"id": intervention.id, "name": tx(intervention.name), "sources": intervention.sources}
        """The fields it shares with what is reported when it is left out or not recommended."""
        self.certainty = CERTAINTY_POINTS[intervention.certainty]
        self.static = self.certainty + STANCE_POINTS.get(intervention.stance, 0.0)
        """The parts of its score that do not depend on the person: certainty and stance."""
        self.addresses = tuple(causes[cause_id] for cause_id in intervention.addresses)
        rules = knowledge_base.exclusion_rules(intervention)
        self.exclusions = tuple((compile_test(when), tx(reason)) for when, reason in rules)
        keys = [_keys(when) for when, _ in rules]
        self.exclusion_keys = frozenset().union(*keys) if all(keys) else None
        """Facts one of which must be present for any of its exclusions to hold (``None``: one may hold without)."""
        self.cautions = len(self.exclusions)
        """How many rules can leave it out: on a tie in score, the item with fewer comes first (the safer one)."""


class Plan:
    """One knowledge base, compiled for :func:`crampkit.recommend` (see the module docstring)."""

    def __init__(self, knowledge_base: KnowledgeBase, tx: Text, *, remember: bool = True) -> None:
        """Compile ``knowledge_base``, with its text and crampkit's own made ready to show by ``tx``.

        With ``remember=False`` nothing is remembered: every part of guidance
        is built afresh (the tests check that sharing parts never changes the guidance).
        """
        labels, parts = (LABEL_CACHE_SIZE, OUTPUT_CACHE_SIZE) if remember else (0, 0)
        self.tx = tx
        self.general = (tx(_GENERAL),)
        # The engine's own lines: what is left out at urgent triage, the ``because`` line of a second-line
        # item, and why the second line is held back (a warning sign at ``soon`` or above; a medicine to review).
        self.deferred, self.second_line, self.warnings_first, self.medicines_first = map(
            tx, (_DEFERRED, _SECOND_LINE, _WARNINGS_FIRST, _MEDICINES_FIRST)
        )
        self.not_a_cramp_problem = tx(NOT_A_CRAMP_PROBLEM)
        self.disclaimer = tx(DISCLAIMER)
        self.factor_reason = tx(_FACTOR)
        """How a risk factor is given as a reason for a cause (``{risk_factor}`` and ``{facts}``)."""
        self._applies = tx(_APPLIES)
        interventions = knowledge_base.interventions
        flags: list[Flag] = [
            Flag(
                order,
                flag.when,
                flag,
                excluder=flag,
                why=flag.summary,
                sources=flag.sources,
                interventions=interventions,
                tx=tx,
            )
            for order, flag in enumerate(knowledge_base.red_flags)
        ]
        rules = knowledge_base.escalation_rules()
        for rule in rules:
            item, escalation = rule.item, rule.escalation
            why = escalation.why or (item.reason if isinstance(item, Sign) else item.summary)
            sources = tuple(dict.fromkeys((*item.sources, *escalation.sources)))
            excluder = None if isinstance(item, Intervention) else item
            flag = Flag(
                len(flags),
                rule.when,
                escalation,
                excluder=excluder,
                why=why,
                sources=sources,
                interventions=interventions,
                tx=tx,
            )
            flags.append(flag)
        self.flags = tuple(flags)
        """The red flags, then the escalation clauses crampkit can check, in the order the knowledge base gives them."""
        self.labels = lru_cache(maxsize=labels)(self._labels)
        """Plain-language labels of a set of facts, sorted by fact."""
        raised = sorted(
            (sign for sign in knowledge_base.signs if sign.urgency is not Urgency.SELF_CARE),
            key=lambda sign: sign.symptom.value,
        )
        self.sign_order = tuple(
            (_symptom_fact(sign.symptom), *self._sign_flag(len(self.flags) + order, sign, interventions))
            for order, sign in enumerate(raised)
        )
        """The signs above self-care in the order they are reported (by symptom): each one's fact, flag and report."""
        self.safety_net = MappingProxyType(
            {
                _symptom_fact(sign.symptom): _SAFETY_NET(
                    symptom=sign.symptom,
                    sign=sign.id,
                    name=tx(sign.name),
                    urgency=sign.urgency,
                    watch_for=tx(sign.watch_for),
                    sources=sign.sources,
                )
                for sign in knowledge_base.signs
            }
        )
        """The safety-net line of every symptom's sign, by the symptom's fact."""
        self.causes = knowledge_base.causes
        positions = {cause.id: index for index, cause in enumerate(self.causes)}
        self.priors = tuple(cause.prior for cause in self.causes)
        self.prior_because = tuple([tx(_COMMON)] if cause.prior > 0 else [] for cause in self.causes)
        self.cause_tests = tuple(  # the causes given only to some profiles, by position, with the test of their when
            (index, compile_test(cause.when)) for index, cause in enumerate(self.causes) if not cause.when.is_empty
        )
        self.likely_because = tuple(tx(_LIKELY).format(cause=tx(cause.name)) for cause in self.causes)
        self.factors = tuple(
            (
                compile_test(factor.when),
                _positive(factor.when),
                STRENGTH_WEIGHTS[factor.strength],
                tx(factor.name),
                tuple(positions[cause_id] for cause_id in factor.raises),
            )
            for factor in knowledge_base.risk_factors
        )
        self.options = tuple(
            Option(index, intervention, knowledge_base, positions, tx)
            for index, intervention in enumerate(interventions)
        )
        self.flag_index, self.factor_index, self._option_index = self._indexes(knowledge_base, rules)
        """The flags, risk factors and options filed by the facts they need (``candidates``: those that may hold)."""
        self.applies_to = lru_cache(maxsize=labels)(self._applies_to)
        """The ``because`` line of the facts an intervention matched."""
        self.flag_hit = lru_cache(maxsize=parts)(self._flag_hit)
        """What the red flag at a position reports, given the facts it matched."""
        self.cause_hit = lru_cache(maxsize=parts)(self._cause_hit)
        """What the cause at a position reports, given its score and reasons."""
        self.recommendation = lru_cache(maxsize=parts)(self._recommendation)
        """The intervention at a position, recommended at a rank with a (rounded) score and reasons."""
        self.not_recommended = lru_cache(maxsize=parts)(self._not_recommended)
        """The intervention at a position, reported as not recommended with a reason."""
        self.contraindicated = lru_cache(maxsize=parts)(self._contraindicated)
        """The intervention at a position, reported as left out with a reason."""

    def _indexes(
        self, knowledge_base: KnowledgeBase, rules: tuple[EscalationRule, ...]
    ) -> tuple[_Index[Flag], _Index[_Factor], _Index[Option]]:
        """The plan's flags, risk factors and options, each filed by the facts it needs."""
        flag_whens = [*(flag.when for flag in knowledge_base.red_flags), *(rule.when for rule in rules)]
        return (
            _Index(self.flags, flag_whens),
            _Index(self.factors, [factor.when for factor in knowledge_base.risk_factors]),
            _Index(self.options, [option.intervention.when for option in self.options]),
        )

    # Output is immutable, so equal parts are built once and shared (flyweights): building a frozen
    # object costs far more than looking one up. The checks are skipped: every value comes from a
    # checked knowledge base.

    def _flag_hit(self, position: int, matched: frozenset[Fact]) -> RedFlagHit:
        return _RED_FLAG_HIT(because=self.labels(matched), **self.flags[position].fields)

    def _cause_hit(self, position: int, score: float, because: tuple[str, ...]) -> CauseHit:
        cause = self.causes[position]
        return _CAUSE_HIT(id=cause.id, name=self.tx(cause.name), score=score, because=because, sources=cause.sources)

    def _recommendation(self, position: int, rank: int, score: float, because: tuple[str, ...]) -> Recommendation:
        return _RECOMMENDATION(rank=rank, score=score, because=because, **self.options[position].output)

    def _not_recommended(self, position: int, reason: str) -> NotRecommended:
        return _NOT_RECOMMENDED(reason=reason, **self.options[position].named)

    def _contraindicated(self, position: int, reason: str) -> Contraindicated:
        return _CONTRAINDICATED(reason=reason, **self.options[position].named)

    def _sign_flag(self, order: int, sign: Sign, interventions: tuple[Intervention, ...]) -> tuple[Flag, RedFlagHit]:
        """A sign above self-care, compiled, with its report (built once: it depends only on the sign)."""
        flag = Flag(
            order,
            sign.criteria,
            sign,
            excluder=sign,
            why=sign.reason,
            sources=sign.sources,
            interventions=interventions,
            tx=self.tx,
        )
        return flag, _RED_FLAG_HIT(because=self.labels(sign.criteria.all_of), **flag.fields)

    def candidates(self, facts: frozenset[Fact]) -> list[Option]:
        """The interventions whose criteria hold for ``facts``, in knowledge-base order.

        Only those filed under a fact present (or with no fact they need) are tested.
        """
        return [option for option in self._option_index.candidates(facts) if option.test(facts)]

    def _labels(self, facts: frozenset[Fact]) -> tuple[str, ...]:
        return tuple([self.tx(FACT_LABELS[fact]) for fact in sorted(facts)])

    def _applies_to(self, facts: frozenset[Fact]) -> str:
        return self._applies.format(facts=", ".join(self.labels(facts)))


PLAN: Key[Plan] = Key("plan")
"""Where a knowledge base keeps its plan for each region and language."""


def plan_of(knowledge_base: KnowledgeBase, region: str = DEFAULT_REGION, language: str = DEFAULT_LANGUAGE) -> Plan:
    """The plan of ``knowledge_base`` for a region and a language (compiled when first asked for, then kept with it)."""
    return derived(knowledge_base).get(PLAN, lambda: Plan(knowledge_base, text_for(language, region)), region, language)
