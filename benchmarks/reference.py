"""A plain-Python version of ``crampkit.recommend()``: the baseline of docs/performance.md (never part of the package).

Written straight from docs/how-it-decides.md and the engine's documented
behaviour, for one purpose: to say how fast ``recommend()`` is against a
version that does the same work the obvious way. No compiled plan, no shared
parts, no caches: every call reads the knowledge base's items, tests each
criteria with :meth:`crampkit.Criteria.matches`, makes each text ready with
the region's text function, and builds every part of the guidance with the
public classes. Facts come from crampkit's own fact derivation (step 1),
with a medicine matcher that remembers no names. The benchmarks assert that
it gives guidance equal to ``crampkit.recommend`` on every profile they time.

``checked=False`` builds the output with constructors that skip the checks,
as the engine does, to show what the checks cost.
"""

from collections.abc import Callable
from typing import Any

import attrs

import crampkit
from crampkit import (
    Category,
    CauseHit,
    Contraindicated,
    Criteria,
    Fact,
    Guidance,
    Intervention,
    KnowledgeBase,
    MedicationHit,
    NotRecommended,
    Profile,
    Recommendation,
    RedFlag,
    RedFlagHit,
    SafetyNet,
    Sign,
    Stance,
    Urgency,
)
from crampkit._model.checks import trusted
from crampkit.decision import plan as words  # the engine's own words only (its text, not its logic)
from crampkit.decision.facts import derive
from crampkit.decision.plan import CERTAINTY_POINTS, STANCE_POINTS, STRENGTH_WEIGHTS
from crampkit.knowledge.items import Escalation, derived
from crampkit.knowledge.medicines import MATCHER, MedicineMatcher
from crampkit.text.i18n import text_for
from crampkit.thresholds import SYMPTOM_FACTS

__all__ = ["Reference"]

FIT_POINTS, FIT_PER_FACT, FIT_MOST_FACTS = 1.5, 0.25, 3


def _positive(criteria: Criteria) -> frozenset[Fact]:
    """The facts that can make ``criteria`` hold (those present are the ones it matched)."""
    return criteria.all_of.union(criteria.any_of, *criteria.each_of)


def _symptom_fact(sign: Sign) -> Fact:
    return SYMPTOM_FACTS[sign.symptom]


@attrs.frozen
class _Fired:
    """A red flag, escalation clause or sign that fired: its place in knowledge-base order, and its report."""

    order: int
    clause: bool
    level: int
    matched: frozenset[Fact]
    excluders: tuple[Any, ...]
    name: str
    hit: RedFlagHit


class Reference:
    """``recommend()`` written plainly, for one knowledge base, region and language."""

    def __init__(
        self,
        knowledge_base: KnowledgeBase | None = None,
        region: str = "uk",
        language: str = "en",
        *,
        checked: bool = True,
    ) -> None:
        """A copy of ``knowledge_base`` (the packaged one by default) whose medicine matcher remembers no names."""
        self.kb = attrs.evolve(knowledge_base or crampkit.default_knowledge_base())
        derived(self.kb).get(MATCHER, lambda: MedicineMatcher(self.kb, remember=False))
        self.region, self.language = region, language
        self.tx = text_for(language, region)
        build: Callable[[type[Any]], Callable[..., Any]] = (lambda cls: cls) if checked else trusted
        self.red_flag_hit, self.cause_hit, self.recommendation = map(build, (RedFlagHit, CauseHit, Recommendation))
        self.not_recommended, self.contraindicated = build(NotRecommended), build(Contraindicated)
        self.safety_line, self.medication_hit, self.guidance = map(build, (SafetyNet, MedicationHit, Guidance))

    def labels(self, facts: frozenset[Fact]) -> tuple[str, ...]:
        return tuple(self.tx(crampkit.FACT_LABELS[fact]) for fact in sorted(facts))

    def __call__(self, profile: Profile) -> Guidance:
        """The guidance for ``profile``, as ``crampkit.recommend(profile, knowledge_base=...)`` gives it."""
        kb, tx = self.kb, self.tx
        facts, medication = derive(profile, kb)
        fired = self.fired(facts)
        red_flags = sorted(fired, key=lambda flag: (-flag.level, -len(flag.hit.because), flag.order))
        triage = red_flags[0].hit.urgency if red_flags else Urgency.SELF_CARE
        action = None
        if red_flags:
            advice = red_flags[0].hit.advice
            action = f"{tx(words.NOT_A_CRAMP_PROBLEM)} {advice}" if triage.is_urgent else advice
        scores, because = self.cause_scores(facts)
        likely = sorted(
            (index for index, score in enumerate(scores) if score > 0),
            key=lambda index: (-scores[index], kb.causes[index].prior, kb.causes[index].id),
        )
        causes = tuple(
            self.cause_hit(
                id=kb.causes[index].id,
                name=tx(kb.causes[index].name),
                score=scores[index],
                because=tuple(because[index]),
                sources=kb.causes[index].sources,
            )
            for index in likely
        )
        recommendations, not_recommended, contraindicated = self.interventions(facts, scores, fired, triage)
        return self.guidance(
            triage=triage,
            action=action,
            red_flags=tuple(flag.hit for flag in red_flags),
            safety_net=self.safety_net(facts),
            likely_causes=causes,
            recommendations=recommendations,
            not_recommended=not_recommended,
            contraindicated=contraindicated,
            facts=tuple(sorted(facts)),
            medications=tuple(
                self.medication_hit(name=name, drug_classes=ids) for name, ids in medication.classes.items()
            ),
            unrecognized_medications=medication.unrecognized,
            knowledge_base_version=kb.version,
            region=self.region,
            language=self.language,
            disclaimer=tx(crampkit.DISCLAIMER),
            knowledge_base_changes=kb.changes,
        )

    def report(  # noqa: PLR0917 - what one report is made of
        self,
        order: int,
        item: RedFlag | Sign | Escalation,
        excluder: RedFlag | Sign | None,
        when: Criteria,
        facts: frozenset[Fact],
        why: str,
        sources: tuple[str, ...],
    ) -> _Fired:
        tx = self.tx
        advice = item.advice or item.name
        matched = _positive(when) & facts
        hit = self.red_flag_hit(
            id=item.id,
            name=tx(item.name),
            urgency=item.urgency,
            advice=tx(advice),
            short=tx(item.short or advice),
            why=tx(why),
            because=self.labels(matched),
            sources=sources,
        )
        excluders = tuple(found for found in (excluder, item) if found is not None)
        return _Fired(order, isinstance(item, Escalation), item.urgency.level, matched, excluders, item.name, hit)

    def fired(self, facts: frozenset[Fact]) -> list[_Fired]:
        """Step 2: red flags, then escalation clauses, in knowledge-base order (repeats left out), then signs."""
        kb = self.kb
        fired: list[_Fired] = []
        order = 0
        for flag in kb.red_flags:
            if flag.when.matches(facts):
                fired.append(self.report(order, flag, flag, flag.when, facts, flag.summary, flag.sources))
            order += 1
        for rule in kb.escalation_rules():
            item, clause = rule.item, rule.escalation
            if rule.when.matches(facts):
                why = clause.why or (item.reason if isinstance(item, Sign) else item.summary)
                sources = tuple(dict.fromkeys((*item.sources, *clause.sources)))
                excluder = None if isinstance(item, Intervention) else item
                fired.append(self.report(order, clause, excluder, rule.when, facts, why, sources))
            order += 1
        fired = [
            flag
            for index, flag in enumerate(fired)
            if not flag.clause
            or not any(
                other is not flag
                and other.level >= flag.level
                and other.matched >= flag.matched
                and (not other.clause or place < index)
                for place, other in enumerate(fired)
            )
        ]
        raised = sorted(
            (sign for sign in kb.signs if sign.urgency is not Urgency.SELF_CARE), key=lambda sign: sign.symptom.value
        )
        for sign in raised:
            fact = _symptom_fact(sign)
            if fact in facts:
                when = Criteria(all_of=frozenset({fact}))
                fired.append(self.report(order, sign, sign, when, facts, sign.reason, sign.sources))
            order += 1
        return fired

    def safety_net(self, facts: frozenset[Fact]) -> tuple[SafetyNet, ...]:
        tx = self.tx
        lines = [
            self.safety_line(
                symptom=sign.symptom,
                sign=sign.id,
                name=tx(sign.name),
                urgency=sign.urgency,
                watch_for=tx(sign.watch_for),
                sources=sign.sources,
            )
            for sign in self.kb.signs
            if _symptom_fact(sign) in facts
        ]
        return tuple(sorted(lines, key=lambda line: (-line.urgency.level, line.symptom.value)))

    def cause_scores(self, facts: frozenset[Fact]) -> tuple[list[float], list[list[str]]]:
        """Step 3: each cause's score and reasons, by position."""
        kb, tx = self.kb, self.tx
        position = {cause.id: index for index, cause in enumerate(kb.causes)}
        scores = [cause.prior for cause in kb.causes]
        because: list[list[str]] = [[tx(words._COMMON)] if cause.prior > 0 else [] for cause in kb.causes]  # noqa: SLF001
        for factor in kb.risk_factors:
            if factor.when.matches(facts):
                matched = ", ".join(self.labels(_positive(factor.when) & facts))
                reason = tx(words._FACTOR).format(risk_factor=tx(factor.name), facts=matched)  # noqa: SLF001
                for cause_id in factor.raises:
                    scores[position[cause_id]] += STRENGTH_WEIGHTS[factor.strength]
                    because[position[cause_id]].append(reason)
        for index, cause in enumerate(kb.causes):
            if not cause.when.matches(facts):
                scores[index], because[index] = 0.0, []
        return scores, because

    def interventions(
        self, facts: frozenset[Fact], scores: list[float], fired: list[_Fired], triage: Urgency
    ) -> tuple[tuple[Recommendation, ...], tuple[NotRecommended, ...], tuple[Contraindicated, ...]]:
        """Steps 4 and 5: leave out what could harm or delay care, with every reason; rank the rest."""
        kb, tx = self.kb, self.tx
        position = {cause.id: index for index, cause in enumerate(kb.causes)}
        scored: list[tuple[Any, ...]] = []
        not_recommended: list[NotRecommended] = []
        contraindicated: list[Contraindicated] = []
        for index, item in enumerate(kb.interventions):
            if not item.when.matches(facts):
                continue
            rules = kb.exclusion_rules(item)
            reasons = list(dict.fromkeys(tx(reason) for when, reason in rules if when.matches(facts)))
            named = {"id": item.id, "name": tx(item.name), "sources": item.sources}
            if item.stance is Stance.NOT_RECOMMENDED:
                not_recommended.append(self.not_recommended(reason=" ".join([tx(str(item.reason)), *reasons]), **named))
                continue
            reasons += [
                tx(words._AGAINST).format(red_flag=tx(flag.name))  # noqa: SLF001
                for flag in fired
                if any(item.category in one.excludes_categories or item.id in one.excludes for one in flag.excluders)
            ]
            if triage.is_urgent and not item.while_waiting:
                reasons.append(tx(words._DEFERRED))  # noqa: SLF001
            if reasons:
                contraindicated.append(self.contraindicated(reason=" ".join(reasons), **named))
                continue
            addressed = [position[cause_id] for cause_id in item.addresses]
            because = [tx(words._LIKELY).format(cause=tx(kb.causes[i].name)) for i in addressed if scores[i] > 0]  # noqa: SLF001
            best = max((scores[i] / (1 + scores[i]) for i in addressed), default=0.0)
            matched = _positive(item.when) & facts
            if matched:
                because.append(tx(words._APPLIES).format(facts=", ".join(self.labels(matched))))  # noqa: SLF001
            if item.category.second_line:
                because.insert(0, tx(words._SECOND_LINE))  # noqa: SLF001
            fit = 0.0 if not matched else FIT_POINTS + FIT_PER_FACT * (min(len(matched), FIT_MOST_FACTS) - 1)
            certainty = CERTAINTY_POINTS[item.certainty]
            score = certainty + STANCE_POINTS.get(item.stance, 0.0) + fit + best
            key = (item.category.second_line, -score, -certainty, len(rules), index)
            scored.append((key, score, item, tuple(because) or (tx(words._GENERAL),)))  # noqa: SLF001
        second_line = [entry for entry in scored if entry[2].category.second_line]
        if second_line:
            held = None
            if triage.level >= Urgency.SOON.level:
                held = tx(words._WARNINGS_FIRST)  # noqa: SLF001
            elif any(entry[2].category is Category.MEDICATION_REVIEW for entry in scored):
                held = tx(words._MEDICINES_FIRST)  # noqa: SLF001
            if held:
                contraindicated += [
                    self.contraindicated(id=item.id, name=tx(item.name), reason=held, sources=item.sources)
                    for _, _, item, _ in second_line
                ]
                scored = [entry for entry in scored if not entry[2].category.second_line]
        scored.sort(key=lambda entry: entry[0])
        recommendations = tuple(
            self.recommendation(
                rank=rank,
                id=item.id,
                name=tx(item.name),
                short=tx(item.short or item.name),
                category=item.category,
                phase=item.phase,
                certainty=item.certainty,
                stance=item.stance,
                score=round(score, 4),
                instructions=tuple(tx(step) for step in item.instructions),
                because=because,
                sources=item.sources,
                second_line=item.category.second_line,
            )
            for rank, (_, score, item, because) in enumerate(scored, start=1)
        )
        return (
            recommendations,
            tuple(sorted(not_recommended, key=lambda item: item.id)),
            tuple(sorted(contraindicated, key=lambda item: item.id)),
        )
