"""The decision: from a profile and a knowledge base to :class:`~crampkit.Guidance`.

How it decides
--------------
1. **Facts.** :func:`~crampkit.derive_facts` turns the profile into a set of
   facts. Every knowledge-base item's criteria are tested against that set.
2. **Red flags.** Every red flag whose criteria match is reported, most
   urgent first (ties by id). ``triage`` is the highest urgency among them,
   ``self-care`` when none matched. Red-flag criteria cannot use ``none``, so
   adding a fact never removes a red flag and never lowers ``triage``.
3. **Causes.** Each cause starts at its ``prior`` (only "idiopathic" has
   one) and gains the weight of every matched risk factor that raises it,
   strong = 3, moderate = 2, weak = 1::

       cause_score(c) = prior(c) + sum(weight(r) for matched r that raise c)

   Causes scoring above zero are listed, highest first. On a tie the cause
   with the smaller prior comes first (a cause the profile points to beats
   "no cause found", which is a diagnosis of exclusion), then by id.
4. **Interventions.** Those whose criteria match are considered. A
   ``not-recommended`` one is reported in ``not_recommended`` with its reason
   (and any matched contraindication). Any other with a matched
   contraindication is left out and reported in ``contraindicated``. The rest
   are scored::

       score(i) = certainty(i) + stance(i) + sum(cause_score(c) for c that i addresses)

   with certainty high = 4, moderate = 3, low = 2, very low = 1 and stance
   recommended = 2, optional = 1. They are ranked by score, then certainty,
   then id, and numbered from 1.

Every term is non-negative and cause scores only grow with matched risk
factors, so a matched risk factor never lowers the score of an intervention
that addresses its cause (the formula is monotone).

:func:`recommend` is pure: no I/O (after the default knowledge base is first
loaded), no clock, no randomness and no shared state is changed, so it is
safe to call from many threads at once.
"""

from collections.abc import Mapping
from functools import lru_cache
from types import MappingProxyType

from crampkit._checks import argument, builds_output
from crampkit._kb import default_knowledge_base
from crampkit.facts import FACT_LABELS, derive
from crampkit.guidance import (
    DISCLAIMER,
    CauseHit,
    Contraindicated,
    Guidance,
    NotRecommended,
    Recommendation,
    RedFlagHit,
)
from crampkit.knowledge import Intervention, KnowledgeBase
from crampkit.profile import Profile
from crampkit.vocab import Certainty, Fact, Stance, Strength, Urgency

__all__ = ["CERTAINTY_POINTS", "STANCE_POINTS", "STRENGTH_WEIGHTS", "recommend"]

STRENGTH_WEIGHTS: Mapping[Strength, float] = MappingProxyType(
    {Strength.STRONG: 3.0, Strength.MODERATE: 2.0, Strength.WEAK: 1.0}
)
"""What a matched risk factor adds to each cause it raises."""

CERTAINTY_POINTS: Mapping[Certainty, float] = MappingProxyType(
    {Certainty.HIGH: 4.0, Certainty.MODERATE: 3.0, Certainty.LOW: 2.0, Certainty.VERY_LOW: 1.0}
)
"""What the certainty of its evidence adds to an intervention's score."""

STANCE_POINTS: Mapping[Stance, float] = MappingProxyType({Stance.RECOMMENDED: 2.0, Stance.OPTIONAL: 1.0})
"""What its stance adds to an intervention's score (not-recommended ones are never scored)."""

_GENERAL = "general advice for any cramp"
_LOAD_KB = "load one with crampkit.load_knowledge_base, or leave it out for the packaged one"


@lru_cache(maxsize=4096)
def _labels(facts: frozenset[Fact]) -> tuple[str, ...]:
    """Plain-language labels of ``facts``, sorted by fact (memoised: the same sets recur)."""
    return tuple(FACT_LABELS[fact] for fact in sorted(facts))


def _red_flags(knowledge_base: KnowledgeBase, facts: frozenset[Fact]) -> tuple[RedFlagHit, ...]:
    hits = [
        RedFlagHit(
            id=flag.id,
            name=flag.name,
            urgency=flag.urgency,
            advice=flag.advice,
            why=flag.summary,
            because=_labels(flag.when.matched(facts)),
            sources=flag.sources,
        )
        for flag in knowledge_base.red_flags
        if flag.when.matches(facts)
    ]
    return tuple(sorted(hits, key=lambda hit: (-hit.urgency.level, hit.id)))


def _cause_scores(
    knowledge_base: KnowledgeBase, facts: frozenset[Fact]
) -> tuple[dict[str, float], dict[str, list[str]]]:
    scores = {cause.id: cause.prior for cause in knowledge_base.causes}
    because: dict[str, list[str]] = {cause.id: [] for cause in knowledge_base.causes}
    for cause in knowledge_base.causes:
        if cause.prior > 0:
            because[cause.id].append("common even when no other cause is found")
    for factor in knowledge_base.risk_factors:
        if factor.when.matches(facts):
            weight = STRENGTH_WEIGHTS[factor.strength]
            reason = f"{factor.name} ({', '.join(_labels(factor.when.matched(facts)))})"
            for cause_id in factor.raises:
                scores[cause_id] += weight
                because[cause_id].append(reason)
    return scores, because


def _score(intervention: Intervention, scores: Mapping[str, float]) -> float:
    return (
        CERTAINTY_POINTS[intervention.certainty]
        + STANCE_POINTS[intervention.stance]
        + sum(scores[cause_id] for cause_id in intervention.addresses)
    )


@builds_output
def recommend(profile: Profile, *, knowledge_base: KnowledgeBase | None = None) -> Guidance:
    """Ranked, explained guidance for ``profile``.

    Args:
        profile: What is known about the person and their cramps.
        knowledge_base: The knowledge to use; the packaged one when omitted.

    Returns:
        Triage and red flags, likely causes, ranked recommendations, what is
        not recommended or contraindicated and why, and any medicine names
        that were not recognised.

    Raises:
        InvalidInputError: ``profile`` is not a :class:`~crampkit.Profile`
            or ``knowledge_base`` not a :class:`~crampkit.KnowledgeBase`.
    """
    argument("recommend", "profile", profile, Profile, "load JSON data with crampkit.load_profile")
    argument("recommend", "knowledge_base", knowledge_base, (KnowledgeBase, type(None)), _LOAD_KB)
    if knowledge_base is None:
        knowledge_base = default_knowledge_base()
    facts, medication = derive(profile, knowledge_base)
    red_flags = _red_flags(knowledge_base, facts)
    scores, cause_because = _cause_scores(knowledge_base, facts)
    causes = {cause.id: cause for cause in knowledge_base.causes}

    likely = sorted(
        (cause_id for cause_id, score in scores.items() if score > 0),
        key=lambda c: (-scores[c], causes[c].prior, c),
    )
    scored: list[tuple[float, Intervention, tuple[str, ...]]] = []
    not_recommended: list[NotRecommended] = []
    contraindicated: list[Contraindicated] = []
    for intervention in knowledge_base.interventions:
        if not intervention.when.matches(facts):
            continue
        reasons = [c.reason for c in intervention.contraindications if c.when.matches(facts)]
        if intervention.stance is Stance.NOT_RECOMMENDED:
            reason = " ".join([str(intervention.reason), *reasons])
            not_recommended.append(
                NotRecommended(id=intervention.id, name=intervention.name, reason=reason, sources=intervention.sources)
            )
        elif reasons:
            contraindicated.append(
                Contraindicated(
                    id=intervention.id, name=intervention.name, reason=" ".join(reasons), sources=intervention.sources
                )
            )
        else:
            because = [f"likely cause: {causes[c].name}" for c in intervention.addresses if scores[c] > 0]
            matched = intervention.when.matched(facts)
            if matched:
                because.append(f"applies to: {', '.join(_labels(matched))}")
            scored.append((_score(intervention, scores), intervention, tuple(because) or (_GENERAL,)))

    scored.sort(key=lambda entry: (-entry[0], -CERTAINTY_POINTS[entry[1].certainty], entry[1].id))
    recommendations = tuple(
        Recommendation(
            rank=rank,
            id=intervention.id,
            name=intervention.name,
            category=intervention.category,
            phase=intervention.phase,
            certainty=intervention.certainty,
            stance=intervention.stance,
            score=score,
            instructions=intervention.instructions,
            because=because,
            sources=intervention.sources,
        )
        for rank, (score, intervention, because) in enumerate(scored, start=1)
    )
    return Guidance(
        triage=red_flags[0].urgency if red_flags else Urgency.SELF_CARE,
        red_flags=red_flags,
        likely_causes=tuple(
            CauseHit(
                id=c,
                name=causes[c].name,
                score=scores[c],
                because=tuple(cause_because[c]),
                sources=causes[c].sources,
            )
            for c in likely
        ),
        recommendations=recommendations,
        not_recommended=tuple(sorted(not_recommended, key=lambda item: item.id)),
        contraindicated=tuple(sorted(contraindicated, key=lambda item: item.id)),
        unrecognized_medications=medication.unrecognized,
        facts=tuple(sorted(facts)),
        knowledge_base_version=knowledge_base.version,
        disclaimer=DISCLAIMER,
        knowledge_base_changes=knowledge_base.changes,
    )
