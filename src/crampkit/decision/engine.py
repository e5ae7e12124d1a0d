"""The decision: from a profile and a knowledge base to :class:`~crampkit.Guidance`.

How it decides
--------------
1. **Facts.** :func:`~crampkit.derive_facts` turns the profile into a set of
   facts. Every knowledge-base item's criteria are tested against that set.
2. **Signs, red flags and escalation clauses.** Every symptom present has a
   sign with its own standalone urgency; each sign above ``self-care`` is
   reported like a red flag. Every red flag whose criteria match is reported
   too, and every escalation clause (a condition the advice of a red flag,
   sign or intervention names for a higher level of care) whose item applies
   and whose own criteria match, unless a flag that fired already says as
   much. Most urgent first; at the same urgency the most specific first (the
   one that matched more facts), then in knowledge-base order.
   ``triage`` is the highest urgency among them, ``self-care`` when none.
   Red-flag and clause criteria cannot use ``none`` and a sign fires on its
   symptom alone, so adding a fact never lowers
   ``triage``. ``action`` is the advice of the first one; at ``urgent`` or
   ``emergency`` it starts by saying that this may not be a cramp problem.
   Every symptom present also gives its sign's safety-net line.
3. **Causes.** Each cause whose ``when`` holds (all but "idiopathic" hold
   always; it does not when the person says they have no cramps) starts at
   its ``prior`` (only "idiopathic" has one) and gains the weight of every
   matched risk factor that raises it,
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
   Prescription drugs and supplements are a second line
   (:attr:`crampkit.Category.second_line`): they are ranked after every
   first-line item, and held back altogether, with the reason, while a red
   flag or sign at ``soon`` or above fired (the cramps may have another
   cause) or while a medication review is offered (a medicine may be the
   cause: review it first). Within each line, ranked by score, then
   certainty, then safety (the item fewer contraindications and population
   rules can leave out first: paracetamol before an anti-inflammatory), then
   knowledge-base order; numbered from 1.

   .. versionchanged:: 0.2
      The second line, and ties broken by safety and then knowledge-base
      order (were by id).

Every term is non-negative; cause scores only grow with matched risk
factors, and the matched facts of an applicable item only grow with more
facts, so a matched risk factor never lowers the score of an intervention
(the formula is monotone).

:func:`recommend` is pure: no I/O (after the default knowledge base is first
loaded), no clock, no randomness and no shared state is changed, so it is
safe to call from many threads at once. Steps 2 to 5 are worked out afresh
for every set of facts: on a realistic stream of profiles the same set
rarely comes twice, and remembering decisions bought nothing measurable
there (the parts of guidance they are made of are shared instead; see
:mod:`crampkit.decision.plan`).
"""

from typing import NamedTuple

from crampkit._model.checks import trusted
from crampkit.decision.facts import derive
from crampkit.decision.plan import (
    CERTAINTY_POINTS,
    NOT_A_CRAMP_PROBLEM,
    STANCE_POINTS,
    STRENGTH_WEIGHTS,
    Flag,
    Option,
    Plan,
    plan_of,
)
from crampkit.guidance import (
    CauseHit,
    Contraindicated,
    Guidance,
    MedicationHit,
    NotRecommended,
    Recommendation,
    RedFlagHit,
    SafetyNet,
)
from crampkit.knowledge.items import KnowledgeBase
from crampkit.profile import Profile
from crampkit.vocab import Fact, Urgency

__all__ = [
    "CERTAINTY_POINTS",
    "FIT_PER_FACT",
    "FIT_POINTS",
    "NOT_A_CRAMP_PROBLEM",
    "STANCE_POINTS",
    "STRENGTH_WEIGHTS",
    "guidance_for",
]

FIT_POINTS = 1.5
"""What an intervention gains when its criteria matched facts of this person.

.. versionadded:: 0.2
"""
FIT_PER_FACT = 0.25
"""What each matched fact beyond the first adds, for up to two more.

.. versionadded:: 0.2
"""
_FIT_EXTRA_FACTS = 2
_FIT_MOST_FACTS = 1 + _FIT_EXTRA_FACTS
FIT = tuple(0.0 if count == 0 else FIT_POINTS + FIT_PER_FACT * (count - 1) for count in range(_FIT_MOST_FACTS + 1))
"""Fit by the number of matched facts (0, 1, 2, 3 or more)."""

_LOAD_KB = "load one with crampkit.load_knowledge_base, or leave it out for the packaged one"


_Guidance = trusted(Guidance)
_MedicationHit = trusted(MedicationHit)


def _fired(plan: Plan, facts: frozenset[Fact]) -> tuple[list[Flag], list[RedFlagHit]]:
    """Step 2: the red flags, escalation clauses and signs that fired, and their reports.

    The reports come most urgent first; at the same urgency the most specific first (the one that
    matched the most facts of the person), then in the plan's order (red flags and clauses in
    knowledge-base order, then signs by symptom).
    """
    fired = [flag for flag in plan.flag_index.candidates(facts) if flag.test(facts)]
    if any(flag.clause for flag in fired):
        fired = _without_repeats(fired, facts)
    hits = [plan.flag_hit(flag.order, flag.positive & facts) for flag in fired]
    for fact, sign, hit in plan.sign_order:
        if fact in facts:
            fired.append(sign)
            hits.append(hit)
    if len(hits) > 1:
        ranked = sorted(zip(fired, hits, strict=True), key=_MOST_URGENT)
        hits = [hit for _, hit in ranked]
    return fired, hits


def _without_repeats(fired: list[Flag], facts: frozenset[Fact]) -> list[Flag]:
    """``fired`` without the escalation clauses that another red flag or earlier clause already covers.

    A clause is covered when another flag that fired is at least as urgent and matched every
    fact the clause matched: it would only repeat that flag's advice (triage is unchanged).
    """
    kept: list[Flag] = []
    matched = [flag.positive & facts for flag in fired]
    for index, flag in enumerate(fired):
        if flag.clause and any(
            other is not flag
            and other.level >= flag.level
            and matched[place] >= matched[index]
            and (not other.clause or place < index)
            for place, other in enumerate(fired)
        ):
            continue
        kept.append(flag)
    return kept


def _MOST_URGENT(pair: tuple[Flag, RedFlagHit]) -> tuple[int, int, int]:  # noqa: N802
    flag, hit = pair
    return (-hit.urgency.level, -len(hit.because), flag.order)


def _safety_net(plan: Plan, facts: frozenset[Fact]) -> tuple[SafetyNet, ...]:
    """Step 2, continued: what to watch for, for every symptom reported; most urgent sign first, then by symptom."""
    lines = [line for fact, line in plan.safety_net.items() if fact in facts]
    if len(lines) > 1:
        lines.sort(key=lambda line: (-line.urgency.level, line.symptom.value))
    return tuple(lines)


def _cause_scores(plan: Plan, facts: frozenset[Fact]) -> tuple[list[float], list[list[str]]]:
    """Step 3: every cause's score and the reasons behind it, by position."""
    scores = list(plan.priors)
    because = [list(reasons) for reasons in plan.prior_because]
    for test, positive, weight, name, raises in plan.factor_index.candidates(facts):
        if test(facts):
            reason = plan.factor_reason.format(risk_factor=name, facts=", ".join(plan.labels(positive & facts)))
            for index in raises:
                scores[index] += weight
                because[index].append(reason)
    for index, applies in plan.cause_tests:
        if not applies(facts):  # not a cause to give this person
            scores[index], because[index] = 0.0, []
    return scores, because


def _likely_causes(plan: Plan, scores: list[float], because: list[list[str]]) -> tuple[CauseHit, ...]:
    """Step 3, continued: the causes above zero, highest first; ties to the smaller prior, then id."""
    causes = plan.causes
    likely = sorted(
        (index for index, score in enumerate(scores) if score > 0),
        key=lambda index: (-scores[index], plan.priors[index], causes[index].id),
    )
    return tuple([plan.cause_hit(index, scores[index], tuple(because[index])) for index in likely])


def _interventions(
    plan: Plan, facts: frozenset[Fact], scores: list[float], fired: list[Flag], triage: Urgency
) -> tuple[tuple[Recommendation, ...], tuple[NotRecommended, ...], tuple[Contraindicated, ...]]:
    """Steps 4 and 5: leave out what could harm or delay care, with every reason; rank the rest."""
    deferred = plan.deferred if triage.is_urgent else None
    against: dict[int, list[str]] = {}  # the interventions the fired red flags and signs leave out, with why
    for flag in fired:
        for index in flag.excludes:
            against.setdefault(index, []).append(flag.against)
    relevance = [score / (1 + score) for score in scores]  # grows with the score, so the best cause gives the most
    likely_because = plan.likely_because
    scored: list[tuple[bool, float, float, int, int, float, Option, tuple[str, ...]]] = []
    not_recommended: list[NotRecommended] = []
    contraindicated: list[Contraindicated] = []
    for option in plan.candidates(facts):
        reasons = _excluded_by(option, facts)
        if option.not_recommended:
            not_recommended.append(plan.not_recommended(option.index, " ".join([option.reason, *reasons])))
            continue
        if option.index in against:
            reasons += against[option.index]
        if deferred and not option.while_waiting:
            reasons.append(deferred)
        if reasons:
            contraindicated.append(plan.contraindicated(option.index, " ".join(reasons)))
            continue
        addresses = option.addresses
        matched = option.positive & facts
        if addresses:
            because = tuple([likely_because[index] for index in addresses if scores[index] > 0])
            best = max([relevance[index] for index in addresses])
        else:
            because, best = (), 0.0
        if matched:
            because = (*because, plan.applies_to(matched))
        if option.second_line:
            because = (plan.second_line, *because)
        score = option.static + FIT[min(len(matched), _FIT_MOST_FACTS)] + best
        key = (option.second_line, -score, -option.certainty, option.cautions, option.index)
        scored.append((*key, score, option, because or plan.general))
    second_line = [entry[6] for entry in scored if entry[6].second_line]
    reviewed = any(entry[6].reviews_medicines for entry in scored)
    held = _second_line_held(plan, triage, reviewed=reviewed) if second_line else None
    if held:
        contraindicated += [plan.contraindicated(option.index, held) for option in second_line]
        scored = [entry for entry in scored if not entry[6].second_line]
    scored.sort()  # first line first, then by score, certainty, fewer cautions, knowledge-base order
    recommendations = tuple(
        [
            plan.recommendation(option.index, rank, round(score, 4), because)
            for rank, (*_, score, option, because) in enumerate(scored, start=1)
        ]
    )
    if len(not_recommended) > 1:
        not_recommended.sort(key=_BY_ID)
    if len(contraindicated) > 1:
        contraindicated.sort(key=_BY_ID)
    return recommendations, tuple(not_recommended), tuple(contraindicated)


def _excluded_by(option: Option, facts: frozenset[Fact]) -> list[str]:
    """Step 4: the reasons of the option's exclusions that hold for ``facts``, each once (tested only when one can)."""
    keys = option.exclusion_keys
    if not option.exclusions or (keys is not None and keys.isdisjoint(facts)):
        return []
    reasons = [reason for test, reason in option.exclusions if test(facts)]
    return list(dict.fromkeys(reasons)) if len(reasons) > 1 else reasons


def _second_line_held(plan: Plan, triage: Urgency, *, reviewed: bool) -> str | None:
    """Why the second line is held back: a warning sign at ``soon`` or above, or a medicine to review first."""
    if triage.level >= Urgency.SOON.level:
        return plan.warnings_first
    return plan.medicines_first if reviewed else None


def _BY_ID(item: NotRecommended | Contraindicated) -> str:  # noqa: N802
    return item.id


def _action(plan: Plan, red_flags: list[RedFlagHit], triage: Urgency) -> str | None:
    """Step 2, continued: the advice of the most urgent red flag, led at urgent triage by a plain warning."""
    if not red_flags:
        return None
    advice = red_flags[0].advice
    return f"{plan.not_a_cramp_problem} {advice}" if triage.is_urgent else advice


def guidance_for(profile: Profile, knowledge_base: KnowledgeBase, region: str, language: str) -> Guidance:
    """Ranked, explained guidance for ``profile``; the arguments are checked by :func:`crampkit.recommend`."""
    plan = plan_of(knowledge_base, region, language)
    facts, medication = derive(profile, knowledge_base)
    decision = _decide(plan, facts)
    return _Guidance(
        **decision._asdict(),
        medications=tuple([_MedicationHit(name=name, drug_classes=ids) for name, ids in medication.classes.items()]),
        unrecognized_medications=medication.unrecognized,
        knowledge_base_version=knowledge_base.version,
        region=region,
        language=language,
        disclaimer=plan.disclaimer,
        knowledge_base_changes=knowledge_base.changes,
    )


class _Decision(NamedTuple):
    """The parts of the guidance that depend on the facts alone."""

    triage: Urgency
    action: str | None
    red_flags: tuple[RedFlagHit, ...]
    safety_net: tuple[SafetyNet, ...]
    likely_causes: tuple[CauseHit, ...]
    recommendations: tuple[Recommendation, ...]
    not_recommended: tuple[NotRecommended, ...]
    contraindicated: tuple[Contraindicated, ...]
    facts: tuple[Fact, ...]


def _decide(plan: Plan, facts: frozenset[Fact]) -> _Decision:
    """Steps 2 to 5 for one set of facts."""
    fired, red_flags = _fired(plan, facts)
    triage = red_flags[0].urgency if red_flags else Urgency.SELF_CARE
    scores, because = _cause_scores(plan, facts)
    recommendations, not_recommended, contraindicated = _interventions(plan, facts, scores, fired, triage)
    return _Decision(
        triage=triage,
        action=_action(plan, red_flags, triage),
        red_flags=tuple(red_flags),
        safety_net=_safety_net(plan, facts),
        likely_causes=_likely_causes(plan, scores, because),
        recommendations=recommendations,
        not_recommended=not_recommended,
        contraindicated=contraindicated,
        facts=tuple(sorted(facts)),
    )
