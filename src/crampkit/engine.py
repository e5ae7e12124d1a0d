"""The decision: from a profile and a knowledge base to :class:`~crampkit.Guidance`.

How it decides
--------------
1. **Facts.** :func:`~crampkit.derive_facts` turns the profile into a set of
   facts. Every knowledge-base item's criteria are tested against that set.
2. **Signs and red flags.** Every symptom present has a sign with its own
   standalone urgency; each sign above ``self-care`` is reported like a red
   flag. Every red flag whose criteria match is reported too,
   most urgent first (ties by id). ``triage`` is the highest urgency among
   them, ``self-care`` when none. Red-flag criteria cannot use ``none`` and a
   sign fires on its symptom alone, so adding a fact never removes a red flag
   and never lowers ``triage``. ``action`` is the advice of the most urgent
   one; at ``urgent`` or ``emergency`` it starts by saying that this may not
   be a cramp problem.
3. **Causes.** Each cause starts at its ``prior`` (only "idiopathic" has
   one) and gains the weight of every matched risk factor that raises it,
   strong = 3, moderate = 2, weak = 1::

       cause_score(c) = prior(c) + sum(weight(r) for matched r that raise c)

   Causes scoring above zero are listed, highest first. On a tie the cause
   with the smaller prior comes first (a cause the profile points to beats
   "no cause found", which is a diagnosis of exclusion), then by id.
4. **Exclusions.** An intervention whose criteria match is left out, with
   every reason, when one of its contraindications matches; when a
   population rule matches and covers its category or a medicine it names;
   when a red flag or sign that fired excludes its category or id; or, at
   ``urgent`` or ``emergency`` triage, when it is not marked safe to do while
   getting help. A ``not-recommended`` one is reported in
   ``not_recommended`` with its reason instead.
5. **Ranking by fit.** The rest are scored::

       score(i) = certainty(i) + stance(i) + fit(i) + relevance(i)

   * certainty: high = 8, moderate = 6, low = 4, very low = 2;
   * stance: recommended = 0.5, optional = 0;
   * fit: 0 for general advice whose criteria name no fact that is present;
     otherwise 1.5, plus 0.25 for each further matched fact, up to two;
   * relevance: ``r / (1 + r)``, where ``r`` is the highest score among the
     causes it addresses (0 when none): it grows with the evidence for its
     best cause but stays below 1, so addressing many causes never inflates
     an item.

   Stance and relevance together add less than 1.5, so general advice never
   outranks an item that matched this person with the same or a higher
   certainty; a step of certainty (2) still outweighs fit, so a weakly
   supported item needs more than a match to pass a better supported one.
   Ranked by score, then certainty, then id, numbered from 1.

Every term is non-negative; cause scores only grow with matched risk
factors, and the matched facts of an applicable item only grow with more
facts, so a matched risk factor never lowers the score of an intervention
(the formula is monotone).

:func:`recommend` is pure: no I/O (after the default knowledge base is first
loaded), no clock, no randomness and no shared state is changed, so it is
safe to call from many threads at once.
"""

from collections.abc import Callable, Iterable, Iterator, Mapping
from functools import lru_cache
from types import MappingProxyType

from crampkit._checks import argument, builds_output
from crampkit._i18n import DEFAULT_LANGUAGE, N_, check_language, text_for
from crampkit._kb import default_knowledge_base
from crampkit._regions import DEFAULT_REGION, check_region
from crampkit.exceptions import KnowledgeBaseError
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
from crampkit.knowledge import Intervention, KnowledgeBase, RedFlag, Sign
from crampkit.profile import Profile
from crampkit.vocab import Certainty, Fact, Stance, Strength, Symptom, Urgency

__all__ = [
    "CERTAINTY_POINTS",
    "FIT_PER_FACT",
    "FIT_POINTS",
    "NOT_A_CRAMP_PROBLEM",
    "STANCE_POINTS",
    "STRENGTH_WEIGHTS",
    "recommend",
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

FIT_POINTS = 1.5
"""What an intervention gains when its criteria matched facts of this person.

.. versionadded:: 0.2
"""
FIT_PER_FACT = 0.25
"""What each matched fact beyond the first adds, for up to two more.

.. versionadded:: 0.2
"""
_FIT_EXTRA_FACTS = 2

NOT_A_CRAMP_PROBLEM = N_("This may not be a cramp problem.")
"""How ``action`` starts at ``urgent`` or ``emergency`` triage.

.. versionadded:: 0.2
"""

_GENERAL = N_("general advice for any cramp")
_DEFERRED = N_("Left out while urgent care is needed: do this only once a clinician has checked the problem.")
_COMMON = N_("common even when no other cause is found")
_LOAD_KB = "load one with crampkit.load_knowledge_base, or leave it out for the packaged one"


@lru_cache(maxsize=4096)
def _labels(facts: frozenset[Fact]) -> tuple[str, ...]:
    """Plain-language labels of ``facts``, sorted by fact (memoised: the same sets recur)."""
    return tuple(FACT_LABELS[fact] for fact in sorted(facts))


_Text = Callable[[str], str]
"""Makes knowledge-base or engine text ready to show: translated, then resolved for the region (``_i18n.text_for``)."""


def _flag_hit(flag: RedFlag, facts: frozenset[Fact], tx: _Text) -> RedFlagHit:  # i18n: every string through tx
    return RedFlagHit(
        id=flag.id,
        name=tx(flag.name),
        urgency=flag.urgency,
        advice=tx(flag.advice),
        short=tx(flag.short or flag.advice),  # i18n: short form, the full advice when the knowledge base has none
        why=tx(flag.summary),
        because=tuple(map(tx, _labels(flag.when.matched(facts)))),
        sources=flag.sources,
    )


def _sign_hit(sign: Sign, tx: _Text) -> RedFlagHit:  # i18n: every string through tx
    return RedFlagHit(
        id=sign.id,
        name=tx(sign.name),
        urgency=sign.urgency,
        advice=tx(sign.advice),
        short=tx(sign.short or sign.advice),  # i18n: short form, the full advice when the knowledge base has none
        why=tx(sign.reason),
        because=tuple(map(tx, _labels(frozenset({Fact(f"symptom-{sign.symptom.value}")})))),
        sources=sign.sources,
    )


def _fired(
    knowledge_base: KnowledgeBase, symptoms: Iterable[Symptom], facts: frozenset[Fact]
) -> tuple[list[RedFlag], list[Sign]]:
    """The red flags that match, and the signs above self-care of the symptoms present."""
    flags = [flag for flag in knowledge_base.red_flags if flag.when.matches(facts)]
    signs = [knowledge_base.sign_for[symptom] for symptom in symptoms]
    return flags, [sign for sign in signs if sign.urgency is not Urgency.SELF_CARE]


def _cause_scores(
    knowledge_base: KnowledgeBase, facts: frozenset[Fact], tx: _Text
) -> tuple[dict[str, float], dict[str, list[str]]]:
    scores = {cause.id: cause.prior for cause in knowledge_base.causes}
    because: dict[str, list[str]] = {cause.id: [] for cause in knowledge_base.causes}
    for cause in knowledge_base.causes:
        if cause.prior > 0:
            because[cause.id].append(tx(_COMMON))  # i18n
    for factor in knowledge_base.risk_factors:
        if factor.when.matches(facts):
            weight = STRENGTH_WEIGHTS[factor.strength]
            labels = ", ".join(map(tx, _labels(factor.when.matched(facts))))  # i18n
            reason = tx(N_("{risk_factor} ({facts})")).format(risk_factor=tx(factor.name), facts=labels)  # i18n
            for cause_id in factor.raises:
                scores[cause_id] += weight
                because[cause_id].append(reason)
    return scores, because


def _score(intervention: Intervention, matched: frozenset[Fact], scores: Mapping[str, float]) -> float:
    fit = FIT_POINTS + FIT_PER_FACT * min(len(matched) - 1, _FIT_EXTRA_FACTS) if matched else 0.0
    best = max((scores[cause_id] for cause_id in intervention.addresses), default=0.0)
    return CERTAINTY_POINTS[intervention.certainty] + STANCE_POINTS[intervention.stance] + fit + best / (1 + best)


def _not_now(intervention: Intervention, fired: list[RedFlag | Sign], triage: Urgency, tx: _Text) -> Iterator[str]:
    """Why ``intervention`` must wait: a red flag it contradicts, or urgent care that it could delay."""
    for item in fired:
        if intervention.category in item.excludes_categories or intervention.id in item.excludes:
            yield tx(N_("It would go against the advice for: {red_flag}.")).format(red_flag=tx(item.name))  # i18n
    if triage.level >= Urgency.URGENT.level and not intervention.while_waiting:
        yield tx(_DEFERRED)  # i18n


@builds_output
def recommend(
    profile: Profile,
    *,
    knowledge_base: KnowledgeBase | None = None,
    region: str = DEFAULT_REGION,  # i18n: region
    language: str = DEFAULT_LANGUAGE,  # i18n: language
) -> Guidance:
    """Ranked, explained guidance for ``profile``.

    Args:
        profile: What is known about the person and their cramps.
        knowledge_base: The knowledge to use; the packaged one when omitted.
        region: Whose emergency and non-urgent services the text names:
            ``uk`` (the default: 999, NHS 111, GP), ``us`` (911), ``eu``
            (112) or ``au`` (000, healthdirect). See :doc:`/regions-and-languages`.
        language: The language of the text: ``en`` (the default), or one
            whose catalogue is installed (see :doc:`/regions-and-languages`).

    Returns:
        Triage, the first action and red flags, likely causes, ranked
        recommendations, what is not recommended or left out and why, and
        any medicine names that were not recognised.

    Raises:
        InvalidInputError: ``profile`` is not a :class:`~crampkit.Profile`,
            ``knowledge_base`` not a :class:`~crampkit.KnowledgeBase`, or
            ``region`` not a known region, or ``language`` not one with a
            catalogue (the message lists them).
        KnowledgeBaseError: ``knowledge_base`` falls below the safety floor
            (possible only for one built without
            :func:`~crampkit.load_knowledge_base`).

    .. versionchanged:: 0.2
       ``region`` and ``language``, and the ``short`` forms of red flags and
       recommendations.
    """
    argument("recommend", "profile", profile, Profile, "load JSON data with crampkit.load_profile")
    argument("recommend", "knowledge_base", knowledge_base, (KnowledgeBase, type(None)), _LOAD_KB)
    check_region("recommend", region)  # i18n: region
    check_language("recommend", language)  # i18n: language
    tx = text_for(language, region)  # i18n: every output string goes through tx
    if knowledge_base is None:
        knowledge_base = default_knowledge_base()
    if knowledge_base.floor_problems:
        raise KnowledgeBaseError(knowledge_base.floor_problems)
    facts, medication = derive(profile, knowledge_base)
    flags, signs = _fired(knowledge_base, sorted(profile.symptoms), facts)
    red_flags = tuple(
        sorted(
            [*(_flag_hit(flag, facts, tx) for flag in flags), *(_sign_hit(sign, tx) for sign in signs)],
            key=lambda hit: (-hit.urgency.level, hit.id),
        )
    )
    triage = red_flags[0].urgency if red_flags else Urgency.SELF_CARE
    scores, cause_because = _cause_scores(knowledge_base, facts, tx)
    causes = {cause.id: cause for cause in knowledge_base.causes}

    likely = sorted(
        (cause_id for cause_id, score in scores.items() if score > 0),
        key=lambda c: (-scores[c], causes[c].prior, c),
    )
    fired: list[RedFlag | Sign] = [*flags, *signs]
    scored: list[tuple[float, Intervention, tuple[str, ...]]] = []
    not_recommended: list[NotRecommended] = []
    contraindicated: list[Contraindicated] = []
    for intervention in knowledge_base.interventions:
        if not intervention.when.matches(facts):
            continue
        reasons = list(dict.fromkeys(map(tx, knowledge_base.exclusions(intervention, facts))))  # i18n
        if intervention.stance is not Stance.NOT_RECOMMENDED:
            reasons.extend(_not_now(intervention, fired, triage, tx))
        name = tx(intervention.name)  # i18n
        if intervention.stance is Stance.NOT_RECOMMENDED:
            reason = " ".join([tx(str(intervention.reason)), *reasons])  # i18n
            not_recommended.append(
                NotRecommended(id=intervention.id, name=name, reason=reason, sources=intervention.sources)
            )
        elif reasons:
            contraindicated.append(
                Contraindicated(id=intervention.id, name=name, reason=" ".join(reasons), sources=intervention.sources)
            )
        else:
            because = [  # i18n
                tx(N_("likely cause: {cause}")).format(cause=tx(causes[c].name))
                for c in intervention.addresses
                if scores[c] > 0
            ]
            matched = intervention.when.matched(facts)
            if matched:
                labels = ", ".join(map(tx, _labels(matched)))  # i18n
                because.append(tx(N_("applies to: {facts}")).format(facts=labels))
            scored.append((_score(intervention, matched, scores), intervention, tuple(because) or (tx(_GENERAL),)))

    scored.sort(key=lambda entry: (-entry[0], -CERTAINTY_POINTS[entry[1].certainty], entry[1].id))
    recommendations = tuple(
        Recommendation(
            rank=rank,
            id=intervention.id,
            name=tx(intervention.name),  # i18n
            short=tx(intervention.short or intervention.name),  # i18n: short form, else the name
            category=intervention.category,
            phase=intervention.phase,
            certainty=intervention.certainty,
            stance=intervention.stance,
            score=round(score, 4),
            instructions=tuple(map(tx, intervention.instructions)),  # i18n
            because=because,
            sources=intervention.sources,
        )
        for rank, (score, intervention, because) in enumerate(scored, start=1)
    )
    action = None
    if red_flags:
        urgent = triage.level >= Urgency.URGENT.level
        action = f"{tx(NOT_A_CRAMP_PROBLEM)} {red_flags[0].advice}" if urgent else red_flags[0].advice  # i18n
    return Guidance(
        triage=triage,
        action=action,
        red_flags=red_flags,
        likely_causes=tuple(
            CauseHit(
                id=c,
                name=tx(causes[c].name),  # i18n
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
        disclaimer=tx(DISCLAIMER),  # i18n
        knowledge_base_changes=knowledge_base.changes,
    )
