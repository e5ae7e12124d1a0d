"""Which questions to ask next, so that no answer that could change the guidance is left unasked.

:func:`next_questions` looks at what a profile already says and returns the
questions whose answers could still change the guidance, most dangerous
possibilities first. It works out relevance from the knowledge base itself
(red flags, signs, interventions and what leaves them out), so it needs no
hand-written list and follows any knowledge base. A question is relevant
when:

* **triage**: some answer to it, alone or together with answers to other
  questions still open, would raise ``triage``. Heat exposure raises nothing
  alone, but with a fever it points to heatstroke, so it is asked while the
  fever question is still open;
* **advice**: some answer to it, alone, changes which advice applies or is
  left out (an intervention's criteria, a contraindication, a population rule,
  or a red flag or sign that excludes it).

Questions that could raise triage come first, the most urgent possibility
first; then those that only change the advice. A "no" to a symptom is
recorded in :attr:`~crampkit.Profile.absent_symptoms` and a "no" to a yes/no
field as ``False``: neither adds a fact, so an answer of "no" never changes
the guidance, it only stops the question being asked again.

Nothing is asked once triage is ``emergency`` (the triggers are the red flags
and signs at their urgency, so the highest one that matches is the triage
:func:`crampkit.recommend` gives), and the questions to ``skip`` are left
out. :meth:`Question.parse` reads a typed answer leniently, with the same
check as :meth:`Question.answer`.

Every question's wording is in :data:`QUESTION_TEXT`, one place.

.. versionadded:: 0.2
"""

import functools
import itertools
import re
from collections.abc import Callable, Collection, Iterator, Mapping
from types import MappingProxyType
from typing import NamedTuple, TypeVar

import attrs

from crampkit._caches import Key, cached
from crampkit._model.arguments import argument, python_kind
from crampkit._model.checks import checked
from crampkit._model.constraints import check_id, check_not_empty
from crampkit.decision.facts import derive
from crampkit.exceptions import InvalidInputError, Problem, ProblemCode
from crampkit.knowledge.items import Criteria, KnowledgeBase, Sign, derived
from crampkit.profile import AGE, PREGNANCY_WEEKS, Profile
from crampkit.text.i18n import DEFAULT_LANGUAGE, N_, translator
from crampkit.vocab import Fact, Sex, Symptom, Urgency

__all__ = ["NO", "QUESTION_TEXT", "YES", "Question", "questions_for", "skip_problem"]

YES = "yes"
"""The answer that records a symptom or a yes/no field as present."""
NO = "no"
"""The answer that records a symptom as absent, or a yes/no field as false."""

QUESTION_TEXT: Mapping[str, str] = MappingProxyType(
    {
        "symptom-seizure": N_("Have you had a fit (seizure)?"),
        "symptom-confusion": N_("Have you become confused, or has anyone said you are not making sense?"),
        "symptom-chest-pain-spreading": N_("Does pain in your chest spread to your arms, back, neck or jaw?"),
        "symptom-severe-abdominal-pain": N_("Do you have severe pain in your tummy (abdomen)?"),
        "symptom-cold-or-pale-leg": N_("Has a leg or foot turned cold, pale or blue?"),
        "symptom-chest-pain": N_("Do you have pain, pressure or tightness in your chest?"),
        "symptom-breathlessness": N_("Are you short of breath, or finding it hard to breathe?"),
        "symptom-calf-swelling": N_("Is one of your calves (the back of the lower leg) swollen?"),
        "symptom-redness-or-warmth": N_("Is your leg red, or warm to the touch?"),
        "symptom-jaw-stiffness": N_("Is your jaw stiff or hard to open?"),
        "symptom-cramp-lasts-over-10-min": N_("Has a cramp lasted longer than 10 minutes?"),
        "symptom-dark-urine": N_("Is your pee dark, the colour of tea or cola?"),
        "symptom-reduced-urine": N_("Are you passing little or no pee (urine)?"),
        "symptom-vision-problems": N_("Do you have any problems with your eyesight?"),
        "symptom-muscle-weakness": N_("Have any of your muscles become weak?"),
        "symptom-muscle-wasting": N_("Have any of your muscles become thinner or smaller?"),
        "symptom-numbness-or-tingling": N_("Do you have numbness, tingling or pins and needles?"),
        "symptom-pain-walking-relieved-by-rest": N_(
            "Do your legs hurt when you walk, and ease when you stop and rest?"
        ),
        "symptom-tingling-around-mouth": N_("Do you have tingling or numbness around your mouth or lips?"),
        "symptom-hand-or-foot-spasm": N_("Do your hands or feet go into spasms?"),
        "symptom-swelling-hands-or-face": N_("Are your hands or face swollen?"),
        "symptom-pain-below-ribs": N_("Do you have pain just below your ribs?"),
        "symptom-severe-pain": N_("Is the pain severe?"),
        "symptom-collapse-or-fainting": N_("Have you collapsed or fainted?"),
        "symptom-not-eased-by-self-care": N_("Have the cramps carried on despite stretching and other self-care?"),
        "symptom-new-medication": N_("Did the cramps start after you began taking a new medicine?"),
        "symptom-muscle-twitching": N_("Do you see or feel small twitches in your muscles?"),
        "symptom-dizziness": N_("Do you feel dizzy or light-headed?"),
        "symptom-heavy-sweating": N_("Are you sweating a lot?"),
        "symptom-vomiting": N_("Have you been sick (vomiting)?"),
        "symptom-diarrhoea": N_("Do you have diarrhoea?"),
        "symptom-fever": N_("Do you have a high temperature (fever)?"),
        "symptom-headache": N_("Do you have a headache?"),
        "symptom-recent-wound": N_("Have you had a cut or other wound recently?"),
        "heat-exposure": N_("Have you been exercising or working hard in hot conditions?"),
        "sudden-onset": N_("Did these problems come on suddenly, within minutes or hours, rather than slowly?"),
        "cramps": N_("Do you have muscle cramps?"),
        "pregnant": N_("Are you pregnant?"),
        "pregnancy-weeks": N_("How many weeks pregnant are you?"),
        "age": N_("How old are you, in years?"),
    }
)
"""The words of every question, by question id: the one place that holds them (in English; each is
a message of the catalogue, so ``next_questions(..., language=...)`` gives them translated).

.. versionadded:: 0.2
"""


_ANSWER_WORDS: Mapping[str, str] = MappingProxyType({YES: YES, "y": YES, NO: NO, "n": NO})
"""The words :meth:`Question.parse` takes for "yes" and "no" (in any case)."""
_WHOLE_NUMBER = re.compile(r"[+-]?[0-9]{1,100}")
"""A whole number in ASCII digits, as :meth:`Question.parse` reads it (long enough for any limit)."""


def _check_answers(inst: "Question", _attribute: "attrs.Attribute[tuple[str, ...]]", value: tuple[str, ...]) -> None:
    numbers = (inst.minimum, inst.maximum)
    if value == (YES, NO) and numbers == (None, None):
        return
    if value == () and None not in numbers:
        return
    message = "expected ('yes', 'no') and no limits, or () with a minimum and a maximum"
    if value in {(YES, NO), ()}:  # the answers do not go with the limits given
        raise InvalidInputError([Problem(("answers",), ProblemCode.CONFLICT, message)])
    raise InvalidInputError([Problem(("answers",), ProblemCode.NOT_ALLOWED_VALUE, message, allowed=(YES, NO))])


@checked
@attrs.frozen(kw_only=True)
class Question:
    """A question to ask, and how its answer goes into a profile.

    Attributes:
        id: A stable id (``symptom-confusion``, ``heat-exposure``, ``age``...).
        text: The question in plain words.
        field: The profile field its answer fills, as a JSON path
            (``symptoms``, ``heat_exposure``, ``cramps.reported``, ``age``...).
            For a symptom, "yes" adds it to ``symptoms`` and "no" to
            ``absent_symptoms``.
        answers: The allowed answers of a yes/no question, ``("yes", "no")``;
            empty for a number.
        minimum: The smallest number allowed, for a number question.
        maximum: The largest number allowed, for a number question.
        symptom: The symptom asked about, for a symptom question.

    .. versionadded:: 0.2
    """

    id: str = attrs.field(validator=check_id)
    text: str = attrs.field(validator=check_not_empty)
    field: str = attrs.field(validator=check_not_empty)
    answers: tuple[str, ...] = attrs.field(default=(), validator=_check_answers)
    minimum: int | None = None
    maximum: int | None = None
    symptom: Symptom | None = None

    def answer(self, profile: Profile, value: str | int) -> Profile:
        """``profile`` with ``value`` recorded as the answer to this question.

        Args:
            profile: The profile so far.
            value: ``"yes"`` or ``"no"`` for a yes/no question; a whole
                number from :attr:`minimum` to :attr:`maximum` otherwise.

        Raises:
            InvalidInputError: ``value`` is not an allowed answer, the
                answer contradicts the profile (such as "no" to a symptom
                that it lists as present), or this is not one of the
                questions :func:`next_questions` asks.
        """
        argument("Question.answer", "profile", profile, Profile, "load JSON data with crampkit.load_profile")
        setter = _SETTERS.get(self.id)
        if setter is None:
            message = "not one of crampkit's questions (crampkit.next_questions gives them)"
            code = ProblemCode.NOT_ALLOWED_VALUE
            raise InvalidInputError([Problem(("id",), code, message, location=self.id, allowed=tuple(_SETTERS))])
        return setter(profile, self._check_value(value))

    def parse(self, text: str) -> str | int:
        """The answer ``text`` gives, read leniently, ready for :meth:`answer`.

        For a yes/no question, ``yes``, ``y``, ``no`` or ``n`` in any case give
        ``"yes"`` or ``"no"``; for a number question, a whole number written
        in digits gives that number. Spaces around either are ignored.

        Args:
            text: What the person typed.

        Returns:
            ``"yes"``, ``"no"`` or a whole number from :attr:`minimum` to
            :attr:`maximum`.

        Raises:
            InvalidInputError: ``text`` is not an answer this question allows
                (the same problems as :meth:`answer` gives: path
                ``("value",)``, with the allowed answers or the range).

        .. versionadded:: 0.2
        """
        if not isinstance(text, str):
            message = f"expected a string, got {python_kind(text)}"
            code = ProblemCode.WRONG_TYPE
            raise InvalidInputError([Problem(("text",), code, message, location="Question.parse(): text")])
        stripped = text.strip()
        value: str | int = stripped
        if self.answers:
            value = _ANSWER_WORDS.get(stripped.casefold(), stripped)
        elif _WHOLE_NUMBER.fullmatch(stripped):
            value = int(stripped)
        self._check_value(value)
        return value

    def _check_value(self, value: object) -> bool | int:
        """``value`` as the profile records it (``True`` for "yes"), if it is an answer this question allows.

        The one check of an answer, for :meth:`answer` and :meth:`parse`.

        Raises:
            InvalidInputError: ``value`` is not an allowed answer.
        """
        if self.answers:
            if value not in self.answers:
                message = f"expected 'yes' or 'no', got {value!r}"
                code = ProblemCode.NOT_ALLOWED_VALUE
                raise InvalidInputError([Problem(("value",), code, message, location=self.id, allowed=self.answers)])
            return value == YES
        low, high = self.minimum or 0, self.maximum or 0
        if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
            message = f"expected a whole number from {self.minimum} to {self.maximum}, got {value!r}"
            if isinstance(value, bool) or not isinstance(value, int):
                problem = Problem(("value",), ProblemCode.WRONG_TYPE, message, location=self.id)
            else:
                problem = Problem(
                    ("value",), ProblemCode.OUT_OF_RANGE, message, location=self.id, minimum=low, maximum=high
                )
            raise InvalidInputError([problem])
        return value


def _record_symptom(symptom: Symptom, profile: Profile, present: bool | int) -> Profile:
    """``profile`` with ``symptom`` recorded as present or as asked about and absent."""
    if present:
        return attrs.evolve(profile, symptoms=profile.symptoms | {symptom})
    return attrs.evolve(profile, absent_symptoms=profile.absent_symptoms | {symptom})


_SETTERS: Mapping[str, Callable[[Profile, bool | int], Profile]] = {
    **{f"symptom-{symptom.value}": functools.partial(_record_symptom, symptom) for symptom in Symptom},
    "heat-exposure": lambda profile, value: attrs.evolve(profile, heat_exposure=bool(value)),
    "sudden-onset": lambda profile, value: attrs.evolve(profile, sudden_onset=bool(value)),
    "cramps": lambda profile, value: attrs.evolve(profile, cramps=attrs.evolve(profile.cramps, reported=bool(value))),
    "pregnant": lambda profile, value: attrs.evolve(profile, pregnant=bool(value)),
    "pregnancy-weeks": lambda profile, value: attrs.evolve(profile, pregnancy_weeks=value),
    "age": lambda profile, value: attrs.evolve(profile, age=value),
}


def _may_be_pregnant(profile: Profile) -> bool:
    return profile.sex is not Sex.MALE and profile.pregnant is not False


class _Spec(NamedTuple):
    """A question and when it is open: not answered, and possible now or after another answer.

    A question that is open but not yet ``askable`` is a follow-up: it is
    asked once the answer to ``unlocked_by`` allows it, and until then that
    question carries its relevance.
    """

    question: Question
    open: Callable[[Profile, frozenset[Fact]], bool]
    askable: Callable[[Profile], bool] = lambda _profile: True
    values: tuple[bool | int, ...] = (True,)
    unlocked_by: str = ""


def _yes_no(question_id: str, field: str, symptom: Symptom | None = None) -> Question:
    return Question(id=question_id, text=QUESTION_TEXT[question_id], field=field, answers=(YES, NO), symptom=symptom)


def _number(question_id: str, field: str, low: float, high: float) -> Question:
    return Question(id=question_id, text=QUESTION_TEXT[question_id], field=field, minimum=int(low), maximum=int(high))


def _symptom_spec(symptom: Symptom) -> _Spec:
    return _Spec(
        _yes_no(f"symptom-{symptom.value}", "symptoms", symptom),
        lambda profile, _facts: symptom not in profile.symptoms and symptom not in profile.absent_symptoms,
    )


@cached
def _specs() -> tuple[_Spec, ...]:
    """Every question and when it is open (built on first use: ``import crampkit`` stays quick)."""
    return (
        *(_symptom_spec(symptom) for symptom in Symptom),
        _Spec(_yes_no("heat-exposure", "heat_exposure"), lambda profile, _facts: profile.heat_exposure is None),
        _Spec(_yes_no("sudden-onset", "sudden_onset"), lambda profile, _facts: profile.sudden_onset is None),
        _Spec(
            _yes_no("cramps", "cramps.reported"),
            lambda profile, facts: profile.cramps.reported is None and Fact.CRAMPS_REPORTED not in facts,
        ),
        _Spec(
            _yes_no("pregnant", "pregnant"),
            lambda profile, _facts: (
                profile.pregnant is None and profile.pregnancy_weeks is None and profile.sex is not Sex.MALE
            ),
        ),
        _Spec(
            _number("pregnancy-weeks", "pregnancy_weeks", PREGNANCY_WEEKS.low, PREGNANCY_WEEKS.high),
            lambda profile, _facts: profile.pregnancy_weeks is None and _may_be_pregnant(profile),
            askable=lambda profile: profile.pregnant is True,
            unlocked_by="pregnant",
            values=tuple(range(int(PREGNANCY_WEEKS.low), int(PREGNANCY_WEEKS.high) + 1)),
        ),
        _Spec(
            _number("age", "age", AGE.low, AGE.high),
            lambda profile, _facts: profile.age is None,
            values=tuple(range(int(AGE.low), int(AGE.high) + 1)),
        ),
    )


def _outcomes(spec: _Spec, knowledge_base: KnowledgeBase) -> tuple[frozenset[Fact], ...]:
    """The distinct, non-empty sets of facts that the answers of ``spec`` add on their own.

    Worked out with :func:`crampkit.derive_facts`'s own rules on a profile
    holding only that answer, so every threshold stays in one place.
    """
    answered = (spec.question.answer(Profile(), _word(value)) for value in spec.values)
    found = dict.fromkeys(derive(profile, knowledge_base)[0] for profile in answered)
    return tuple(facts for facts in found if facts)


def _word(value: bool | int) -> str | int:
    if isinstance(value, bool):
        return YES if value else NO
    return value


@cached
def _all_outcomes() -> tuple[tuple[frozenset[Fact], ...], ...]:
    """The outcomes of every question, in :func:`_specs` order (worked out once, on first use)."""
    no_medicines = KnowledgeBase(version="questions")
    return tuple(_outcomes(spec, no_medicines) for spec in _specs())


class _Trigger(NamedTuple):
    """Something that sets triage: a red flag, a sign above self-care as criteria on its symptom, or an escalation."""

    level: int
    when: Criteria


class _Condition(NamedTuple):
    """Criteria whose result decides whether an intervention applies (``applies``) or is left out."""

    when: Criteria
    intervention: int
    applies: bool


class _Index(NamedTuple):
    """What :func:`next_questions` reads from one knowledge base, indexed by fact."""

    triggers: tuple[_Trigger, ...]
    triggers_by_fact: Mapping[Fact, tuple[_Trigger, ...]]
    conditions_by_fact: Mapping[Fact, tuple[_Condition, ...]]
    applies: tuple[Criteria, ...]


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


def _index(items: tuple[_Item, ...], when: Callable[[_Item], Criteria]) -> Mapping[Fact, tuple[_Item, ...]]:
    index: dict[Fact, list[_Item]] = {}
    for item in items:
        for fact in when(item).names:
            index.setdefault(fact, []).append(item)
    return MappingProxyType({fact: tuple(found) for fact, found in index.items()})


def _build_index(knowledge_base: KnowledgeBase) -> _Index:
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
    return _Index(
        triggers=triggers,
        triggers_by_fact=_index(triggers, lambda trigger: trigger.when),
        conditions_by_fact=_index(conditions, lambda condition: condition.when),
        applies=tuple(intervention.when for intervention in knowledge_base.interventions),
    )


_INDEX: Key[_Index] = Key("questions")


def _index_of(knowledge_base: KnowledgeBase) -> _Index:
    """The question index of ``knowledge_base``, built once and kept with it."""
    return derived(knowledge_base).get(_INDEX, lambda: _build_index(knowledge_base))


def _level(index: _Index, facts: frozenset[Fact], added: frozenset[Fact], base: int) -> int:
    """The triage level of ``facts | added``, knowing that ``facts`` alone reach ``base``."""
    if not added:
        return base
    every = facts | added
    level = base
    for fact in added:
        for trigger in index.triggers_by_fact.get(fact, ()):
            if trigger.level > level and trigger.when.matches(every):
                level = trigger.level
    return level


Answer = tuple[int, frozenset[Fact]]
"""An open question (its index among the open ones) and the facts one of its answers adds."""


def _requirements(when: Criteria, facts: frozenset[Fact]) -> list[frozenset[Fact]]:
    """What ``when`` still needs beyond ``facts``: one fact from each set."""
    needed = [frozenset({fact}) for fact in when.all_of - facts]
    if when.any_of and when.any_of.isdisjoint(facts):
        needed.append(when.any_of)
    needed.extend(group for group in when.each_of if group.isdisjoint(facts))
    return needed


def _witnesses(
    needed: list[frozenset[Fact]], providers: Mapping[Fact, list[Answer]], potential: list[int], level: int
) -> Iterator[dict[int, frozenset[Fact]]]:
    """Every way to meet ``needed`` with at most one answer per open question."""
    options = [[answer for fact in sorted(group) for answer in providers.get(fact, ())] for group in needed]
    if not all(options) or all(potential[question] >= level for group in options for question, _ in group):
        return  # out of reach, or nothing new to learn from it
    for combination in itertools.product(*options):
        chosen: dict[int, frozenset[Fact]] = {}
        for question, added in combination:
            if chosen.setdefault(question, added) != added:
                break
        else:
            yield chosen


def _triage_potential(
    index: _Index, facts: frozenset[Fact], base: int, open_outcomes: list[tuple[frozenset[Fact], ...]]
) -> list[int]:
    """For each open question, the highest triage level that one of its answers could add (``base`` when none).

    An answer counts when, together with answers to other open questions, it
    makes a trigger match and the other answers alone stay below that
    trigger's level. Only answers that a trigger needs are combined, so each
    trigger is tried with its minimal sets of answers.
    """
    providers: dict[Fact, list[Answer]] = {}
    for question, outcomes in enumerate(open_outcomes):
        for added in outcomes:
            for fact in added:
                providers.setdefault(fact, []).append((question, added))
    potential = [base] * len(open_outcomes)
    levels: dict[frozenset[Fact], int] = {}  # the same other answers recur across triggers
    for trigger in index.triggers:
        if trigger.level <= base:
            break
        for chosen in _witnesses(_requirements(trigger.when, facts), providers, potential, trigger.level):
            for question in chosen:
                if potential[question] >= trigger.level:
                    continue
                others = frozenset().union(*(added for other, added in chosen.items() if other != question))
                if others not in levels:
                    levels[others] = _level(index, facts, others, base)
                if levels[others] < trigger.level:
                    potential[question] = trigger.level
    return potential


def _changes_advice(index: _Index, facts: frozenset[Fact], outcomes: tuple[frozenset[Fact], ...]) -> bool:
    """Whether one answer, alone, changes which advice applies or is left out."""
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


def _could_lower(index: _Index, facts: frozenset[Fact], question_id: str) -> bool:
    """Whether an answer could remove a fact that a red flag or sign that fired needs (and so lower triage)."""
    fact = _REMOVES.get(question_id)
    return fact in facts and any(trigger.when.matches(facts) for trigger in index.triggers_by_fact.get(fact, ()))


def skip_problem(function: str, skip: object) -> Problem | None:
    """The problem with ``skip``, the ids of questions to leave out: ``None`` when each is one of the questions."""
    location = f"{function}(): skip"
    if not isinstance(skip, list | tuple | set | frozenset):
        got = "a single string" if isinstance(skip, str) else python_kind(skip)
        message = f"expected a list, tuple or set of question ids, got {got}"
        return Problem(("skip",), ProblemCode.WRONG_TYPE, message, location=location)
    unknown = sorted({repr(item) for item in skip if not isinstance(item, str) or item not in _SETTERS})
    if not unknown:
        return None
    message = f"not one of crampkit's questions: {', '.join(unknown)}"
    return Problem(("skip",), ProblemCode.NOT_ALLOWED_VALUE, message, location=location, allowed=tuple(_SETTERS))


def questions_for(
    profile: Profile, knowledge_base: KnowledgeBase, language: str, skip: Collection[str] = ()
) -> tuple[Question, ...]:
    """The questions to ask next, less those in ``skip``; :func:`crampkit.next_questions` checks the arguments."""
    index = _index_of(knowledge_base)
    facts = derive(profile, knowledge_base)[0]
    base = max((trigger.level for trigger in index.triggers if trigger.when.matches(facts)), default=0)
    if base >= Urgency.EMERGENCY.level:  # act now: more questions would only delay
        return ()
    open_specs: list[int] = []
    open_outcomes: list[tuple[frozenset[Fact], ...]] = []
    specs, all_outcomes = _specs(), _all_outcomes()
    for number, spec in enumerate(specs):
        if spec.open(profile, facts):  # an open question's answers each add a fact not yet there
            open_specs.append(number)
            open_outcomes.append(tuple(added - facts for added in all_outcomes[number] if not added <= facts))
    potential = _triage_potential(index, facts, base, open_outcomes)
    position = {specs[number].question.id: question for question, number in enumerate(open_specs)}
    advice: set[int] = set()
    for question, number in enumerate(open_specs):  # a follow-up's relevance passes to the question before it
        spec = specs[number]
        if not spec.askable(profile):
            unlocker = position[spec.unlocked_by]  # open whenever its follow-up is
            potential[unlocker] = max(potential[unlocker], potential[question])
            if _changes_advice(index, facts, open_outcomes[question]):
                advice.add(unlocker)
    ranked: list[tuple[int, int, int, Question]] = []
    for question, number in enumerate(open_specs):
        spec = specs[number]
        if not spec.askable(profile):
            continue
        if potential[question] > base:
            alone = max(_level(index, facts, added, base) for added in open_outcomes[question])
            ranked.append((-potential[question], -alone, number, spec.question))
        elif (
            question in advice
            or _changes_advice(index, facts, open_outcomes[question])
            or _could_lower(index, facts, spec.question.id)
        ):
            ranked.append((1, 0, number, spec.question))
    questions = [question for *_, question in sorted(ranked, key=lambda entry: entry[:3]) if question.id not in skip]
    if language != DEFAULT_LANGUAGE:
        translate = translator(language)
        questions = [attrs.evolve(question, text=translate(question.text)) for question in questions]
    return tuple(questions)
