"""Which questions to ask next, in the order that matters, leaving no answer that could change the guidance unasked.

:func:`next_questions` looks at what a profile already says and returns the
questions whose answers could still change the guidance. It works out
relevance from the knowledge base itself (red flags, signs, interventions,
causes and what leaves them out), so it needs no hand-written list of what
matters and follows any knowledge base. What it holds by hand is how the
questions are put: their words (:data:`QUESTION_TEXT`, :data:`CHOICE_TEXT`),
which symptoms are asked together in one list, and which question follows
which.

**What is relevant.** Relevance is worked out for each single piece of news
an answer can bring (a symptom, a yes, an age, a site, a condition, a
medicine's drug class...). One is relevant when:

* **triage**: some answer, alone or together with answers still open,
  would raise ``triage``. Heat exposure raises nothing alone, but with a
  fever it points to heatstroke, so it is asked while the fever is open;
* **advice**: some answer, alone, changes which advice or cause applies or
  is left out (an intervention's criteria, a contraindication, a population
  rule, a red flag or sign that excludes it, or a cause's ``when``);
* **lowering**: an answer could take away a fact that a red flag or sign
  that fired rests on (the weeks of pregnancy, unknown weeks counting as 20
  or more).

A question is asked when one of its pieces is relevant.

**How it is asked.** Symptoms are asked in lists ("Do you have any of these
now?"): what is not chosen is recorded in
:attr:`~crampkit.Profile.absent_symptoms`. Where the cramps are and when,
conditions, clot risks and medicines are lists too; an answer of "none" is
recorded in :attr:`~crampkit.Profile.asked`. A symptom is asked on its own
when it is the only one of its list left, or when it follows up an answer.

**In what order.**

1. *Follow-ups* first, right after the answer that opens them: a question
   that only makes sense after a "yes" (where the cramps are, after "I get
   cramps"; the weeks, after "pregnant"; whether the chest pain spreads;
   whether the headache came on suddenly and is the worst ever), and each
   symptom that, with a symptom, heat or pregnancy just reported, could
   complete a red flag above the triage so far (a wound, then a stiff jaw).
   The more urgent that red flag, the sooner.
2. Then the questions that could raise triage, the most urgent possibility
   first (warning signs that alone mean an emergency come first of all).
3. Then those that could only change the advice.

Ties keep a fixed order: warning signs now, new symptoms, cramps (whether,
where, when, how often, what they are like), the rest of the body, muscles
and legs, age, sex, pregnancy, medicines, conditions, clot risks.

Pregnancy is asked only once sex is known to be female or other, and only
from age 10 to 55 (or when the age is not known). Whether the symptoms came
on suddenly is asked about symptoms reported, once the first two lists are
answered, so that one answer covers the symptoms where suddenness matters
most. A "no" to a symptom, or a
symptom not chosen from a list, adds no fact: the guidance is the same as if
it had not been asked. A "no" to "no chest pain" also answers whether the
chest pain spreads, and "no cramps" whatever the cramps are like. The one
"no" that changes the guidance is "no cramps" (``cramps.reported = false``,
the fact ``cramps-denied``): no cause of cramps is assumed then, and no
advice for during a cramp is given.

Nothing is asked once triage is ``emergency`` (the triggers are the red flags
and signs at their urgency, so the highest one that matches is the triage
:func:`crampkit.recommend` gives), and the questions to ``skip`` are left
out. :meth:`Question.parse` reads a typed answer leniently, with the same
check as :meth:`Question.answer`.

.. versionadded:: 0.2
"""

import functools
import itertools
import re
import typing
from collections.abc import Callable, Collection, Iterator, Mapping
from enum import StrEnum
from types import MappingProxyType
from typing import Any, NamedTuple, TypeVar

import attrs

from crampkit._caches import Key, cached
from crampkit._model.arguments import argument, python_kind
from crampkit._model.checks import checked, trusted
from crampkit._model.constraints import MAX_ITEMS, check_id, check_not_empty
from crampkit.decision.facts import derive
from crampkit.exceptions import InvalidInputError, Problem, ProblemCode
from crampkit.knowledge.items import Criteria, KnowledgeBase, Sign, derived
from crampkit.profile import AGE, MEDICATION_NAME, PER_WEEK, PREGNANCY_WEEKS, Profile
from crampkit.text.i18n import DEFAULT_LANGUAGE, N_, text_for
from crampkit.text.regions import DEFAULT_REGION
from crampkit.vocab import Asked, ClotRisk, Condition, Fact, Sex, Site, Symptom, Timing, Urgency

__all__ = [
    "CHILDBEARING_AGES",
    "CHOICE_TEXT",
    "CRAMP_SYMPTOMS",
    "NO",
    "NONE",
    "QUESTION_TEXT",
    "YES",
    "AnswerKind",
    "Choice",
    "Question",
    "questions_for",
    "skip_problem",
]

YES = "yes"
"""The answer that records a symptom or a yes/no field as present."""
NO = "no"
"""The answer that records a symptom as absent, or a yes/no field as false."""
NONE = "none"
"""The word :meth:`Question.parse` takes for "none of these" in a list question.

.. versionadded:: 0.2
"""

QUESTION_TEXT: Mapping[str, str] = MappingProxyType(
    {
        # Warning signs now
        "symptoms-now": N_("Do you have any of these now?"),
        "symptom-confusion": N_(
            "Have you become confused in the last few hours or days, or has anyone said you are not making sense?"
        ),
        "symptom-seizure": N_("Have you had a {fit_seizure} in the last 24 hours?"),
        "symptom-chest-pain": N_("Do you have pain, pressure or tightness in your chest now?"),
        "symptom-chest-pain-spreading": N_("Does the pain in your chest spread to your arms, back, neck or jaw?"),
        "symptom-chest-tightness": N_("Does your chest feel tight or heavy, as if it is being squeezed?"),
        "symptom-breathlessness": N_("Are you more short of breath than usual, or finding it hard to breathe?"),
        "symptom-severe-abdominal-pain": N_("Do you have severe pain in your tummy (abdomen) now?"),
        "symptom-collapse-or-fainting": N_("Have you collapsed, fainted or blacked out in the last 24 hours?"),
        # New symptoms, and whether they came on suddenly
        "symptoms-new": N_("Have any of these started in the last few weeks?"),
        "symptom-headache": N_("Do you have a headache now?"),
        "symptom-vision-problems": N_(
            "Has your eyesight changed recently (blurred or double vision, flashing lights, a shadow), "
            "not counting long-standing problems such as needing glasses?"
        ),
        "symptom-muscle-weakness": N_(
            "Have any of your muscles become weak in the last few weeks (not just tired or sore)?"
        ),
        "symptom-numbness-or-tingling": N_(
            "Do you have numbness, tingling or pins and needles in your arms, legs, hands or feet?"
        ),
        "symptom-pain-below-ribs": N_("Do you have pain just below your ribs (in the upper tummy)?"),
        "symptom-cold-or-pale-leg": N_("Has a leg or foot turned cold, pale or blue?"),
        "headache-sudden": N_("Did the headache start suddenly (reaching its worst within minutes)?"),
        "sudden-onset": N_(
            "Did these new symptoms come on suddenly, within minutes or hours? "
            "(Not the cramp itself: a cramp always starts suddenly.)"
        ),
        "headache-severe": N_("Is your headache severe — the worst you have ever had?"),
        "pain-below-ribs-severe": N_("Is the pain below your ribs severe?"),
        "symptom-severe-pain": N_(
            "Is the pain of your cramps, or any other pain you have now, severe — much worse than an ordinary cramp?"
        ),
        # Cramps
        "cramps": N_("Do you get muscle cramps (a muscle suddenly tightening, painfully, on its own)?"),
        "cramp-sites": N_("Where do you get the cramps?"),
        "cramp-timing": N_("When do the cramps happen?"),
        "cramps-per-week": N_("About how many cramps do you have in a typical week?"),
        "cramp-details": N_("Do any of these apply to your cramps?"),
        "symptom-cramp-lasts-over-10-min": N_("Has any cramp lasted longer than 10 minutes?"),
        "cramps-disturb-sleep": N_("Do the cramps wake you up or spoil your sleep?"),
        "symptom-not-eased-by-self-care": N_("Do the cramps carry on despite stretching and other self-care?"),
        "symptom-new-medication": N_("Did the cramps start, or get worse, soon after you began a new medicine?"),
        # Muscles and legs
        "symptoms-muscles": N_("Do you have any of these in your muscles or legs?"),
        "symptom-calf-swelling": N_("Has one of your calves (the back of the lower leg) become swollen?"),
        "symptom-redness-or-warmth": N_("Has part of one leg become red, or warm to the touch?"),
        "symptom-pain-walking-relieved-by-rest": N_(
            "Do your legs hurt when you walk, and ease when you stop and rest?"
        ),
        "symptom-muscle-wasting": N_("Have any of your muscles become thinner or smaller over the last few months?"),
        "symptom-muscle-twitching": N_("Do you see or feel small twitches in your muscles that keep coming back?"),
        "symptom-hand-or-foot-spasm": N_(
            "Do your hands or feet go into spasm, with the fingers or toes pulled stiffly into a bent position?"
        ),
        "symptom-tingling-around-mouth": N_("Do you have tingling or numbness around your mouth or lips?"),
        "symptom-jaw-stiffness": N_("Has your jaw become stiff, or hard to open?"),
        # The rest of the body
        "symptoms-body": N_("Do any of these apply to you?"),
        "symptom-fever": N_("Do you have a high temperature (fever), or feel hot and shivery?"),
        "symptom-vomiting": N_("Have you been sick (vomited) in the last 24 hours?"),
        "symptom-diarrhoea": N_("Have you had diarrhoea in the last few days?"),
        "symptom-dizziness": N_("Do you feel dizzy or light-headed now, or when you stand up?"),
        "symptom-heavy-sweating": N_("Are you sweating heavily now, more than usual for what you are doing?"),
        "symptom-dark-urine": N_("Has your pee (urine) been dark brown, like tea or cola, in the last few days?"),
        "symptom-reduced-urine": N_("Have you passed much less pee (urine) than usual in the last day, or none?"),
        "symptom-swelling-hands-or-face": N_("Have your hands or face become swollen in the last few days?"),
        "symptom-recent-wound": N_("Have you had a cut, bite, burn or other wound in the last few weeks?"),
        "heat-exposure": N_(
            "Have you been exercising or working hard in the heat (hot weather or a hot place) "
            "today or in the last few days?"
        ),
        # About you
        "age": N_("How old are you, in years?"),
        "sex": N_("What is your sex?"),
        "pregnant": N_("Are you pregnant?"),
        "pregnancy-weeks": N_("How many weeks pregnant are you?"),
        "medications": N_("Which medicines do you take, including any you buy without a prescription?"),
        "conditions": N_("Has a doctor told you that you have any of these long-term conditions?"),
        "clot-risks": N_("Do any of these apply to you (each makes a blood clot more likely)?"),
    }
)
"""The words of every question, by question id: the one place that holds them (in English; each is
a message of the catalogue, so ``next_questions(..., language=...)`` gives them translated).

.. versionadded:: 0.2
"""

CHOICE_TEXT: Mapping[str, str] = MappingProxyType(
    {
        # symptoms-now
        "symptom-confusion": N_("Confusion: muddled, or not making sense to others (new)"),
        "symptom-seizure": N_("A {fit_seizure} in the last 24 hours"),
        "symptom-chest-pain": N_("Pain, pressure or tightness in your chest"),
        "symptom-breathlessness": N_("Shortness of breath, or finding it hard to breathe (more than usual)"),
        "symptom-severe-abdominal-pain": N_("Severe pain in your tummy (abdomen)"),
        "symptom-collapse-or-fainting": N_("Collapsing, fainting or blacking out in the last 24 hours"),
        # symptoms-new
        "symptom-headache": N_("A headache"),
        "symptom-vision-problems": N_(
            "A change in your eyesight: blurred or double vision, flashing lights or a shadow "
            "(not a long-standing problem such as needing glasses)"
        ),
        "symptom-muscle-weakness": N_("Weakness in a muscle (not just tiredness or soreness)"),
        "symptom-numbness-or-tingling": N_("Numbness, tingling or pins and needles in your arms, legs, hands or feet"),
        "symptom-cold-or-pale-leg": N_("A leg or foot that has turned cold, pale or blue"),
        "symptom-pain-below-ribs": N_("Pain just below your ribs (in the upper tummy)"),
        # cramp-details
        "symptom-cramp-lasts-over-10-min": N_("A cramp has lasted longer than 10 minutes"),
        "disturbs-sleep": N_("They wake you up or spoil your sleep"),
        "symptom-not-eased-by-self-care": N_("They carry on despite stretching and other self-care"),
        "symptom-new-medication": N_("They started, or got worse, soon after you began a new medicine"),
        "symptom-severe-pain": N_("The pain is severe, much worse than an ordinary cramp"),
        # symptoms-muscles
        "symptom-calf-swelling": N_("One calf (the back of the lower leg) has become swollen"),
        "symptom-redness-or-warmth": N_("Part of one leg has become red, or warm to the touch"),
        "symptom-pain-walking-relieved-by-rest": N_("Your legs hurt when you walk, and ease when you rest"),
        "symptom-muscle-wasting": N_("Muscles that have become thinner or smaller over the last few months"),
        "symptom-muscle-twitching": N_("Small twitches in your muscles that keep coming back"),
        "symptom-hand-or-foot-spasm": N_("Hands or feet going into spasm, fingers or toes pulled stiffly bent"),
        "symptom-tingling-around-mouth": N_("Tingling or numbness around your mouth or lips"),
        "symptom-jaw-stiffness": N_("A stiff jaw, or one that is hard to open"),
        # symptoms-body
        "symptom-fever": N_("A high temperature (fever), or feeling hot and shivery"),
        "symptom-vomiting": N_("Being sick (vomiting) in the last 24 hours"),
        "symptom-diarrhoea": N_("Diarrhoea in the last few days"),
        "symptom-dizziness": N_("Feeling dizzy or light-headed, now or when you stand up"),
        "symptom-heavy-sweating": N_("Sweating heavily now, more than usual for what you are doing"),
        "symptom-dark-urine": N_("Dark brown pee (urine), like tea or cola, in the last few days"),
        "symptom-reduced-urine": N_("Passing much less pee (urine) than usual in the last day, or none"),
        "symptom-swelling-hands-or-face": N_("Hands or face that have become swollen in the last few days"),
        "symptom-recent-wound": N_("A cut, bite, burn or other wound in the last few weeks"),
        "heat-exposure": N_("Exercising or working hard in the heat, today or in the last few days"),
        # sex
        "sex-female": N_("Female"),
        "sex-male": N_("Male"),
        "sex-other": N_("Other"),
        # cramp-sites
        "site-calf": N_("Calf (the back of the lower leg)"),
        "site-thigh": N_("Thigh"),
        "site-foot": N_("Foot"),
        "site-toes": N_("Toes"),
        "site-hand": N_("Hand or fingers"),
        "site-arm": N_("Arm"),
        "site-abdomen": N_("Tummy (abdomen)"),
        "site-back": N_("Back"),
        "site-ribcage": N_("Chest wall or ribs"),
        "site-neck": N_("Neck"),
        # cramp-timing
        "timing-night": N_("At night, in bed"),
        "timing-rest": N_("At rest, sitting or lying down"),
        "timing-during-exercise": N_("During exercise or sport"),
        "timing-after-exercise": N_("After exercise or sport"),
        "timing-work": N_("At work, doing physical work"),
        # conditions
        "condition-peripheral-artery-disease": N_("Narrowed leg arteries (peripheral arterial disease)"),
        "condition-diabetes": N_("Diabetes"),
        "condition-neuropathy": N_("Nerve damage in the hands or feet (neuropathy)"),
        "condition-cirrhosis": N_("Scarring of the liver (cirrhosis)"),
        "condition-chronic-kidney-disease": N_("Long-term kidney disease"),
        "condition-dialysis": N_("Kidney dialysis"),
        "condition-hypothyroidism": N_("An underactive thyroid"),
        "condition-lumbar-spinal-stenosis": N_("Narrowing of the spine in the lower back (lumbar spinal stenosis)"),
        "condition-motor-neurone-disease": N_("Motor neurone disease (MND, ALS)"),
        "condition-multiple-sclerosis": N_("Multiple sclerosis (MS)"),
        "condition-parkinsons": N_("Parkinson's disease"),
        "condition-electrolyte-disorder": N_("A problem with salts in the blood, such as low potassium or sodium"),
        "condition-venous-insufficiency": N_("Varicose veins or poor circulation in the leg veins"),
        "condition-hypertension": N_("High blood pressure"),
        "condition-high-cholesterol": N_("High cholesterol"),
        "condition-heart-failure": N_("Heart failure"),
        "condition-stomach-ulcer-or-bleeding": N_("A stomach ulcer, or bleeding from the stomach or gut"),
        "condition-fluid-restriction": N_("A doctor has told you to limit how much you drink"),
        # clot-risks
        "clot-risk-recent-surgery-or-immobility": N_(
            "An operation, or a long time in bed or unable to move, in the last 3 months"
        ),
        "clot-risk-long-travel": N_("A journey of more than 4 hours in the last 4 weeks"),
        "clot-risk-oestrogen-pill-or-hrt": N_("Taking a contraceptive pill or HRT that contains oestrogen"),
        "clot-risk-active-cancer": N_("Cancer that is being treated, or was in the last 6 months"),
        "clot-risk-previous-clot": N_("A blood clot in a leg or lung before"),
    }
)
"""The words of every choice a list question offers, by choice key (a symptom's question id such as
``symptom-fever``, ``site-calf``, ``timing-night``, ``condition-diabetes``, ``clot-risk-long-travel``,
``sex-female``, ``heat-exposure`` or ``disturbs-sleep``): the one place that holds them, translated as
:data:`QUESTION_TEXT` is.

.. versionadded:: 0.2
"""

_FALLBACK_SYMPTOM = N_("Do you have this: {symptom}?")
"""The question about a symptom that :data:`QUESTION_TEXT` does not word yet (a test makes sure none is left)."""


class AnswerKind(StrEnum):
    """What kind of answer a :class:`Question` takes.

    .. versionadded:: 0.2
    """

    YES_NO = "yes-no"
    """``"yes"`` or ``"no"``."""
    NUMBER = "number"
    """A whole number from :attr:`Question.minimum` to :attr:`Question.maximum`."""
    ONE_OF = "one-of"
    """The id of one of :attr:`Question.choices`."""
    ANY_OF = "any-of"
    """The ids of any of :attr:`Question.choices` (a list, tuple or set; empty for none of them)."""
    TEXT = "text"
    """Names as free text (a list, tuple or set of strings; empty for none)."""


@checked
@attrs.frozen(kw_only=True)
class Choice:
    """One of the answers a one-of or any-of question offers.

    Attributes:
        id: What is recorded when it is chosen: a symptom (``fever``), a site
            (``calf``), a timing, a condition, a clot risk, a sex, or
            ``heat-exposure`` or ``disturbs-sleep``.
        text: The choice in plain words.

    .. versionadded:: 0.2
    """

    id: str = attrs.field(validator=check_id)
    text: str = attrs.field(validator=check_not_empty)


_NEEDS: Mapping[AnswerKind, str] = MappingProxyType(
    {
        AnswerKind.YES_NO: "answers ('yes', 'no'), and no limits or choices",
        AnswerKind.NUMBER: "a minimum and a maximum, and no answers or choices",
        AnswerKind.ONE_OF: "choices, and no answers or limits",
        AnswerKind.ANY_OF: "choices, and no answers or limits",
        AnswerKind.TEXT: "no answers, limits or choices",
    }
)


def _default_kind(inst: "Question") -> AnswerKind:
    return AnswerKind.YES_NO if (inst.minimum, inst.maximum) == (None, None) else AnswerKind.NUMBER


def _check_shape(
    inst: "Question", _attribute: "attrs.Attribute[tuple[Choice, ...]]", value: tuple[Choice, ...]
) -> None:
    """Whether the answers, the limits and the choices go with the kind of question (one problem, at its field)."""
    kind, answers, limits = inst.kind, inst.answers, (inst.minimum, inst.maximum)
    no_limits = limits == (None, None)
    fits = {
        AnswerKind.YES_NO: answers == (YES, NO) and no_limits and not value,
        AnswerKind.NUMBER: answers == () and None not in limits and not value,
        AnswerKind.ONE_OF: answers == () and no_limits and bool(value),
        AnswerKind.ANY_OF: answers == () and no_limits and bool(value),
        AnswerKind.TEXT: answers == () and no_limits and not value,
    }[kind]
    message = f"{'an' if kind is AnswerKind.ANY_OF else 'a'} {kind.value} question needs {_NEEDS[kind]}"
    if not fits and answers not in {(YES, NO), ()}:  # not answers any question could have
        raise InvalidInputError([Problem(("answers",), ProblemCode.NOT_ALLOWED_VALUE, message, allowed=(YES, NO))])
    if not fits:
        path = "answers" if kind in {AnswerKind.YES_NO, AnswerKind.NUMBER} else "choices"
        raise InvalidInputError([Problem((path,), ProblemCode.CONFLICT, message)])
    if len({choice.id for choice in value}) != len(value):
        raise InvalidInputError([Problem(("choices",), ProblemCode.CONFLICT, "two choices have the same id")])


_Value = bool | int | str | frozenset[str]
"""An answer as the profile takes it: ``True`` for "yes", a number, a choice id, or a set of ids or names."""


@checked
@attrs.frozen(kw_only=True)
class Question:
    """A question to ask, and how its answer goes into a profile.

    Attributes:
        id: A stable id (``symptoms-now``, ``symptom-confusion``, ``age``...).
        text: The question in plain words.
        field: The profile field its answer fills, as a JSON path
            (``symptoms``, ``heat_exposure``, ``cramps.reported``, ``age``...).
            For a symptom, "yes" adds it to ``symptoms`` and "no" to
            ``absent_symptoms``; for a list of symptoms, those chosen go to
            ``symptoms`` and the others offered to ``absent_symptoms``.
        answers: The allowed answers of a yes/no question, ``("yes", "no")``;
            empty for any other kind.
        minimum: The smallest number allowed, for a number question.
        maximum: The largest number allowed, for a number question.
        symptom: The symptom asked about, for a question about one symptom.
        kind: The kind of answer it takes; by default yes/no, or a number
            when limits are given.

            .. versionadded:: 0.2
        choices: What a one-of or any-of question offers, in the order to show them.

            .. versionadded:: 0.2

    .. versionadded:: 0.2
    """

    id: str = attrs.field(validator=check_id)
    text: str = attrs.field(validator=check_not_empty)
    field: str = attrs.field(validator=check_not_empty)
    answers: tuple[str, ...] = ()
    minimum: int | None = None
    maximum: int | None = None
    symptom: Symptom | None = None
    kind: AnswerKind = attrs.field(default=attrs.Factory(_default_kind, takes_self=True))
    choices: tuple[Choice, ...] = attrs.field(default=(), validator=_check_shape)

    def answer(self, profile: Profile, value: str | int | Collection[str]) -> Profile:
        """``profile`` with ``value`` recorded as the answer to this question.

        Args:
            profile: The profile so far.
            value: ``"yes"`` or ``"no"`` for a yes/no question; a whole
                number from :attr:`minimum` to :attr:`maximum` for a number;
                the id of one choice for a one-of question; a list, tuple or
                set of choice ids for an any-of question (empty for none of
                them); a list, tuple or set of names for a text question
                (the medicines; empty for none).

        Raises:
            InvalidInputError: ``value`` is not an allowed answer, the
                answer contradicts the profile (such as "no" to a symptom
                that it lists as present), or this is not one of the
                questions :func:`next_questions` asks.

        .. versionchanged:: 0.2
           One-of, any-of and text questions.
        """
        argument("Question.answer", "profile", profile, Profile, "load JSON data with crampkit.load_profile")
        setter = _SETTERS.get(self.id)
        if setter is None:
            message = "not one of crampkit's questions (crampkit.next_questions gives them)"
            raise InvalidInputError(
                [Problem(("id",), ProblemCode.NOT_ALLOWED_VALUE, message, location=self.id, allowed=tuple(_SETTERS))]
            )
        return setter(profile, self._check_value(value), self)

    def parse(self, text: str) -> str | int | tuple[str, ...]:
        """The answer ``text`` gives, read leniently, ready for :meth:`answer`.

        Spaces around the answer are ignored, and words are read in any case:

        * yes/no: ``yes``, ``y``, ``no`` or ``n``;
        * a number: a whole number written in digits;
        * one of the choices: its number in :attr:`choices` (from 1), its id,
          or the start of its id when only one id starts so (``f`` for ``female``);
        * any of the choices: their numbers (from 1) or ids, separated by
          commas or spaces (``1, 3``), or ``none`` (also ``no``, ``n`` or ``0``)
          for none of them;
        * text: names separated by commas or semicolons, or ``none`` (also
          ``no`` or ``n``) for none.

        Args:
            text: What the person typed.

        Returns:
            ``"yes"`` or ``"no"``, a whole number from :attr:`minimum` to
            :attr:`maximum`, a choice id, or a tuple of choice ids or names.

        Raises:
            InvalidInputError: ``text`` is not an answer this question allows
                (the same problems as :meth:`answer` gives: path
                ``("value",)``, with the allowed answers or the range).

        .. versionadded:: 0.2
        .. versionchanged:: 0.2
           One-of, any-of and text questions.
        """
        if not isinstance(text, str):
            message = f"expected a string, got {python_kind(text)}"
            raise InvalidInputError(
                [Problem(("text",), ProblemCode.WRONG_TYPE, message, location="Question.parse(): text")]
            )
        stripped = text.strip()
        value: str | int | tuple[str, ...] = stripped
        if self.kind is AnswerKind.YES_NO:
            value = _ANSWER_WORDS.get(stripped.casefold(), stripped)
        elif self.kind is AnswerKind.NUMBER:
            value = int(stripped) if _WHOLE_NUMBER.fullmatch(stripped) else stripped
        elif self.kind is AnswerKind.ONE_OF:
            value = self._choice(stripped)
        elif stripped.casefold() in _NONE_WORDS or (self.kind is AnswerKind.ANY_OF and stripped == "0"):
            value = ()
        else:
            separators = _CHOICE_SEPARATORS if self.kind is AnswerKind.ANY_OF else _NAME_SEPARATORS
            words = [word.strip() for word in separators.split(stripped) if word.strip()]
            if not words:  # nothing typed is not "none": it has to be said
                what = "the numbers of choices" if self.kind is AnswerKind.ANY_OF else "names"
                message = f"expected {what}, or {NONE!r}"
                raise InvalidInputError([Problem(("value",), ProblemCode.EMPTY, message, location=self.id)])
            named = (self._choice(word) for word in words) if self.kind is AnswerKind.ANY_OF else iter(words)
            value = tuple(dict.fromkeys(named))
        self._check_value(value)
        return value

    def _choice(self, word: str) -> str:
        """The id of the choice ``word`` names, or ``word`` itself when it names none.

        A choice is named by its number or its id, and in a one-of question
        also by the start of its id, when only one id starts so.
        """
        ids = [choice.id for choice in self.choices]
        folded = word.casefold()
        if _WHOLE_NUMBER.fullmatch(word) and 1 <= int(word) <= len(ids):
            return ids[int(word) - 1]
        if folded in ids:
            return folded
        starting = [choice_id for choice_id in ids if folded and choice_id.startswith(folded)]
        return starting[0] if self.kind is AnswerKind.ONE_OF and len(starting) == 1 else word

    def _check_value(self, value: object) -> _Value:
        """``value`` as the profile records it (``True`` for "yes"), if it is an answer this question allows.

        The one check of an answer, for :meth:`answer` and :meth:`parse`.

        Raises:
            InvalidInputError: ``value`` is not an allowed answer.
        """
        kind = self.kind
        if kind is AnswerKind.YES_NO:
            if value not in self.answers:
                message = f"expected 'yes' or 'no', got {value!r}"
                raise InvalidInputError(
                    [
                        Problem(
                            ("value",), ProblemCode.NOT_ALLOWED_VALUE, message, location=self.id, allowed=self.answers
                        )
                    ]
                )
            return value == YES
        if kind is AnswerKind.NUMBER:
            return self._check_number(value)
        ids = tuple(choice.id for choice in self.choices)
        if kind is AnswerKind.ONE_OF:
            if not isinstance(value, str) or value not in ids:
                message = f"expected one of {', '.join(ids)}, got {value!r}"
                raise InvalidInputError(
                    [Problem(("value",), ProblemCode.NOT_ALLOWED_VALUE, message, location=self.id, allowed=ids)]
                )
            return value
        what = "choice ids" if kind is AnswerKind.ANY_OF else "names"
        if not isinstance(value, list | tuple | set | frozenset):
            got = "a single string" if isinstance(value, str) else python_kind(value)
            message = f"expected a list, tuple or set of {what}, got {got}"
            raise InvalidInputError([Problem(("value",), ProblemCode.WRONG_TYPE, message, location=self.id)])
        if len(value) > MAX_ITEMS:
            message = f"expected at most {MAX_ITEMS} {what}, got {len(value)}"
            raise InvalidInputError(
                [Problem(("value",), ProblemCode.TOO_MANY, message, location=self.id, max_items=MAX_ITEMS)]
            )
        if kind is AnswerKind.ANY_OF:
            wrong = [item for item in value if item not in ids]
            if wrong:
                message = f"expected choices from {', '.join(ids)}, got {', '.join(map(repr, wrong))}"
                raise InvalidInputError(
                    [Problem(("value",), ProblemCode.NOT_ALLOWED_VALUE, message, location=self.id, allowed=ids)]
                )
            return frozenset(value)
        for name in value:
            problem = MEDICATION_NAME.fault(name)
            if problem is not None:
                raise InvalidInputError([Problem(("value",), problem.code, problem.message, location=self.id)])
        return frozenset(value)

    def _check_number(self, value: object) -> int:
        low, high = self.minimum or 0, self.maximum or 0
        message = f"expected a whole number from {self.minimum} to {self.maximum}, got {value!r}"
        if isinstance(value, bool) or not isinstance(value, int):
            raise InvalidInputError([Problem(("value",), ProblemCode.WRONG_TYPE, message, location=self.id)])
        if not low <= value <= high:
            raise InvalidInputError(
                [Problem(("value",), ProblemCode.OUT_OF_RANGE, message, location=self.id, minimum=low, maximum=high)]
            )
        return value


_ANSWER_WORDS: Mapping[str, str] = MappingProxyType({YES: YES, "y": YES, NO: NO, "n": NO})
"""The words :meth:`Question.parse` takes for "yes" and "no" (in any case)."""
_NONE_WORDS = frozenset({NONE, NO, "n"})
"""The words :meth:`Question.parse` takes for "none" in a list or text question (in any case)."""
_WHOLE_NUMBER = re.compile(r"[+-]?[0-9]{1,100}")
"""A whole number in ASCII digits, as :meth:`Question.parse` reads it (long enough for any limit)."""
_CHOICE_SEPARATORS = re.compile(r"[\s,;]+")
_NAME_SEPARATORS = re.compile(r"[,;]")


# -- recording answers ----------------------------------------------------------------------------

_IMPLIED_ABSENT: Mapping[Symptom, frozenset[Symptom]] = MappingProxyType(
    {Symptom.CHEST_PAIN: frozenset({Symptom.CHEST_PAIN_SPREADING, Symptom.CHEST_TIGHTNESS})}
)
"""Symptoms that a symptom's absence answers too: no chest pain, so no chest pain that spreads or feels tight."""
CRAMP_SYMPTOMS = frozenset({Symptom.CRAMP_LASTS_OVER_10_MIN, Symptom.NOT_EASED_BY_SELF_CARE, Symptom.NEW_MEDICATION})
"""Symptoms about the cramps themselves: "no cramps" answers them "no" too, and they are asked only of a person
with cramps.

.. versionadded:: 0.2
"""


def _absent(profile: Profile, symptoms: Collection[Symptom]) -> Profile:
    """``profile`` with ``symptoms``, and those their absence answers, recorded as asked and absent."""
    implied = set(symptoms).union(*(_IMPLIED_ABSENT.get(symptom, ()) for symptom in symptoms))
    implied -= profile.symptoms - set(symptoms)  # a symptom given as present stays so, and is not implied away
    return attrs.evolve(profile, absent_symptoms=profile.absent_symptoms | implied)


def _record_symptom(symptom: Symptom, profile: Profile, present: _Value, _question: Question) -> Profile:
    """``profile`` with ``symptom`` recorded as present, or as asked about and absent."""
    if present:
        return attrs.evolve(profile, symptoms=profile.symptoms | {symptom})
    return _absent(profile, {symptom})


def _set(field: str, profile: Profile, value: _Value, _question: Question) -> Profile:
    changes: dict[str, Any] = {field: value}
    return attrs.evolve(profile, **changes)


def _set_cramps(field: str, profile: Profile, value: _Value, _question: Question) -> Profile:
    changes: dict[str, Any] = {field: value}
    return attrs.evolve(profile, cramps=attrs.evolve(profile.cramps, **changes))


def _record_cramps(profile: Profile, value: _Value, _question: Question) -> Profile:
    answered = attrs.evolve(profile, cramps=attrs.evolve(profile.cramps, reported=bool(value)))
    return answered if value else _absent(answered, CRAMP_SYMPTOMS - profile.symptoms)


def _choices_of(question: Question, value: _Value, allowed: Collection[str]) -> tuple[frozenset[str], frozenset[str]]:
    """The choices chosen and those offered but not chosen, if every one is among those ``allowed`` here."""
    chosen = value if isinstance(value, frozenset) else frozenset({str(value)})
    offered = frozenset(choice.id for choice in question.choices)
    unknown = sorted(offered - set(allowed))
    if unknown:
        message = f"not a choice this question can record: {', '.join(unknown)}"
        raise InvalidInputError(
            [
                Problem(
                    ("choices",), ProblemCode.NOT_ALLOWED_VALUE, message, location=question.id, allowed=tuple(allowed)
                )
            ]
        )
    return chosen, offered - chosen


_FIELD_CHOICES: Mapping[str, Callable[[Profile, bool], Profile]] = MappingProxyType(
    {
        "heat-exposure": lambda profile, chosen: attrs.evolve(profile, heat_exposure=chosen),
        "disturbs-sleep": lambda profile, chosen: attrs.evolve(
            profile, cramps=attrs.evolve(profile.cramps, disturbs_sleep=chosen)
        ),
    }
)
"""Choices of a list of symptoms that fill a yes/no field instead, and how."""


def _record_group(allowed: tuple[str, ...], profile: Profile, value: _Value, question: Question) -> Profile:
    """``profile`` with the symptoms chosen from a list as present, and the others offered as absent."""
    chosen, others = _choices_of(question, value, allowed)
    for choice, record in _FIELD_CHOICES.items():
        if choice in chosen or choice in others:
            profile = record(profile, choice in chosen)
    present = {Symptom(choice) for choice in chosen - _FIELD_CHOICES.keys()}
    profile = attrs.evolve(profile, symptoms=profile.symptoms | present)
    return _absent(profile, {Symptom(choice) for choice in others - _FIELD_CHOICES.keys()})


class _List(NamedTuple):
    """A list of a profile that a question asks about in full."""

    field: str
    vocabulary: type[StrEnum]
    asked: Asked
    key: str
    """How the keys of its choices start (``site`` for ``site-calf``)."""
    of_cramps: bool = False


_LISTS: Mapping[str, _List] = MappingProxyType(
    {
        "cramp-sites": _List("sites", Site, Asked.CRAMP_SITES, "site", of_cramps=True),
        "cramp-timing": _List("timing", Timing, Asked.CRAMP_TIMING, "timing", of_cramps=True),
        "conditions": _List("conditions", Condition, Asked.CONDITIONS, "condition"),
        "clot-risks": _List("clot_risks", ClotRisk, Asked.CLOT_RISKS, "clot-risk"),
    }
)
"""The lists of a profile asked about in full, by question id."""


def _record_list(what: _List, profile: Profile, value: _Value, question: Question) -> Profile:
    """``profile`` with the choices of a list added to its field, and the list recorded as asked."""
    chosen, _ = _choices_of(question, value, [member.value for member in what.vocabulary])
    items = frozenset(what.vocabulary(choice) for choice in chosen)
    asked = profile.asked | {what.asked}
    if what.of_cramps:
        changes: dict[str, Any] = {what.field: getattr(profile.cramps, what.field) | items}
        return attrs.evolve(profile, cramps=attrs.evolve(profile.cramps, **changes), asked=asked)
    changes = {what.field: getattr(profile, what.field) | items}
    return attrs.evolve(profile, **changes, asked=asked)


def _record_medicines(profile: Profile, value: _Value, _question: Question) -> Profile:
    names = typing.cast("frozenset[str]", value)  # a text question's answer, checked
    return attrs.evolve(profile, medications=profile.medications | names, asked=profile.asked | {Asked.MEDICATIONS})


def _record_sex(profile: Profile, value: _Value, question: Question) -> Profile:
    (chosen,), _ = _choices_of(question, value, [sex.value for sex in Sex])
    return attrs.evolve(profile, sex=Sex(chosen))


def _symptoms(*values: str) -> tuple[str, ...]:
    """The symptoms named that the vocabulary has, in that order."""
    known = {symptom.value for symptom in Symptom}
    return tuple(value for value in values if value in known)


_GROUPS: Mapping[str, tuple[str, ...]] = MappingProxyType(
    {
        "symptoms-now": _symptoms(
            "confusion", "seizure", "chest-pain", "breathlessness", "severe-abdominal-pain", "collapse-or-fainting"
        ),
        "symptoms-new": _symptoms(
            "headache", "vision-problems", "muscle-weakness", "numbness-or-tingling", "cold-or-pale-leg",
            "pain-below-ribs",
        ),
        "cramp-details": (
            *_symptoms("cramp-lasts-over-10-min"),
            "disturbs-sleep",
            *_symptoms("not-eased-by-self-care", "new-medication", "severe-pain"),
        ),
        "symptoms-muscles": _symptoms(
            "calf-swelling", "redness-or-warmth", "pain-walking-relieved-by-rest", "jaw-stiffness",
            "hand-or-foot-spasm", "tingling-around-mouth", "muscle-wasting", "muscle-twitching",
        ),
        "symptoms-body": (
            *_symptoms(
                "fever", "vomiting", "diarrhoea", "dizziness", "heavy-sweating", "dark-urine", "reduced-urine",
                "swelling-hands-or-face", "recent-wound",
            ),
            "heat-exposure",
        ),
    }
)  # fmt: skip
"""The lists of symptoms asked together, by question id: the ids of their choices, in the order shown."""

_SETTERS: Mapping[str, Callable[[Profile, _Value, Question], Profile]] = MappingProxyType(
    {
        **{f"symptom-{symptom.value}": functools.partial(_record_symptom, symptom) for symptom in Symptom},
        **{group: functools.partial(_record_group, choices) for group, choices in _GROUPS.items()},
        **{question_id: functools.partial(_record_list, what) for question_id, what in _LISTS.items()},
        "headache-severe": functools.partial(_record_symptom, Symptom.SEVERE_PAIN),
        "pain-below-ribs-severe": functools.partial(_record_symptom, Symptom.SEVERE_PAIN),
        "headache-sudden": functools.partial(_set, "sudden_onset"),
        "sudden-onset": functools.partial(_set, "sudden_onset"),
        "heat-exposure": functools.partial(_set, "heat_exposure"),
        "cramps": _record_cramps,
        "cramps-per-week": functools.partial(_set_cramps, "per_week"),
        "cramps-disturb-sleep": functools.partial(_set_cramps, "disturbs_sleep"),
        "age": functools.partial(_set, "age"),
        "sex": _record_sex,
        "pregnant": functools.partial(_set, "pregnant"),
        "pregnancy-weeks": functools.partial(_set, "pregnancy_weeks"),
        "medications": _record_medicines,
    }
)
"""How each question's answer goes into a profile, by question id: every question :func:`next_questions` asks."""


# -- the questions, in English ----------------------------------------------------------------------

_YES_NO_FIELDS: Mapping[str, str] = MappingProxyType(
    {
        "headache-severe": "symptoms",
        "pain-below-ribs-severe": "symptoms",
        "headache-sudden": "sudden_onset",
        "sudden-onset": "sudden_onset",
        "heat-exposure": "heat_exposure",
        "cramps": "cramps.reported",
        "cramps-disturb-sleep": "cramps.disturbs_sleep",
        "pregnant": "pregnant",
    }
)
_NUMBERS: Mapping[str, tuple[str, int, int]] = MappingProxyType(
    {
        "age": ("age", int(AGE.low), int(AGE.high)),
        "pregnancy-weeks": ("pregnancy_weeks", int(PREGNANCY_WEEKS.low), int(PREGNANCY_WEEKS.high)),
        "cramps-per-week": ("cramps.per_week", int(PER_WEEK.low), int(PER_WEEK.high)),
    }
)


def _symptom_text(question_id: str) -> str:
    if question_id in QUESTION_TEXT:
        return QUESTION_TEXT[question_id]
    return _FALLBACK_SYMPTOM.format(symptom=question_id.removeprefix("symptom-").replace("-", " "))


@cached
def _choice(key: str, choice_id: str) -> Choice:
    """The choice ``choice_id``, worded as :data:`CHOICE_TEXT` says under ``key`` (built once for each)."""
    return Choice(id=choice_id, text=CHOICE_TEXT.get(key, choice_id.replace("-", " ")))


def _build(question_id: str, choices: tuple[tuple[str, str], ...] = ()) -> Question:
    """The question ``question_id`` in English, offering ``choices`` (each a choice key and its id) when it has any."""
    if question_id in _GROUPS or question_id in _LISTS:
        field = _LISTS[question_id].field if question_id in _LISTS else "symptoms"
        field = f"cramps.{field}" if question_id in _LISTS and _LISTS[question_id].of_cramps else field
        offered = tuple(_choice(key, choice_id) for key, choice_id in choices)
        return _QUESTION(id=question_id, text=QUESTION_TEXT[question_id], field=field, kind=_ANY_OF, choices=offered)
    return _single_question(question_id)


@cached
def _single_question(question_id: str) -> Question:
    """The question ``question_id`` that has no list of symptoms or of a profile to offer (built once for each)."""
    if question_id == "sex":
        return Question(
            id="sex",
            text=QUESTION_TEXT["sex"],
            field="sex",
            kind=AnswerKind.ONE_OF,
            choices=tuple(_choice(f"sex-{sex.value}", sex.value) for sex in Sex),
        )
    if question_id == "medications":
        return Question(id=question_id, text=QUESTION_TEXT[question_id], field="medications", kind=AnswerKind.TEXT)
    if question_id in _NUMBERS:
        field, low, high = _NUMBERS[question_id]
        return Question(id=question_id, text=QUESTION_TEXT[question_id], field=field, minimum=low, maximum=high)
    if question_id in _YES_NO_FIELDS:
        field = _YES_NO_FIELDS[question_id]
        symptom = Symptom.SEVERE_PAIN if field == "symptoms" else None
        return Question(
            id=question_id, text=QUESTION_TEXT[question_id], field=field, answers=(YES, NO), symptom=symptom
        )
    symptom = Symptom(question_id.removeprefix("symptom-"))
    return Question(
        id=question_id, text=_symptom_text(question_id), field="symptoms", answers=(YES, NO), symptom=symptom
    )


_QUESTION = trusted(Question)
"""Builds a list question from parts checked already: its words and choices come from the tables."""
_ANY_OF = AnswerKind.ANY_OF


# -- what each question asks about: atoms ------------------------------------------------------------

CHILDBEARING_AGES = (10, 55)
"""The ages, in years (both included), at which pregnancy is asked about when the age is known.

Wider than the 15 to 49 years the WHO counts as reproductive age, so that no
one who could be pregnant goes unasked.

.. versionadded:: 0.2
"""


def _may_be_pregnant(profile: Profile) -> bool:
    low, high = CHILDBEARING_AGES
    age = profile.age
    return profile.sex is not Sex.MALE and profile.pregnant is not False and (age is None or low <= age <= high)


def _symptom_open(symptom: Symptom, profile: Profile) -> bool:
    """Whether ``symptom`` is still to be asked: not answered, and not answered by another answer."""
    if symptom in profile.symptoms or symptom in profile.absent_symptoms:
        return False
    if symptom in CRAMP_SYMPTOMS and profile.cramps.reported is False:
        return False
    return not any(
        symptom in implied and cause in profile.absent_symptoms for cause, implied in _IMPLIED_ABSENT.items()
    )


def _cramps_known(profile: Profile) -> bool:
    """Whether the profile says there are cramps (the answer that opens the questions about them)."""
    cramps = profile.cramps
    details = (cramps.sites, cramps.timing, cramps.per_week, cramps.minutes, cramps.disturbs_sleep)
    return bool(cramps.reported) or any(details)


def _always(_profile: Profile) -> bool:
    return True


def _never(_profile: Profile) -> bool:
    return False


class _Atom(NamedTuple):
    """One piece of news a question can bring (a symptom, a yes, an age, a site...), and when it is open.

    An atom that is open but not ``askable`` yet waits for others: its
    relevance passes to those of ``waits_for`` still open, so that they are
    asked first. ``opened`` says when an answer given has opened it, so
    that it comes straight after.
    """

    key: str
    """Unique; for the choice of a list, its key in :data:`CHOICE_TEXT`."""
    home: str
    """The question it is asked in (a list, or a question of its own)."""
    choice: str
    """Its choice id in ``home``, when that is a list."""
    open: Callable[[Profile], bool]
    samples: tuple[str | int | tuple[str, ...], ...]
    """Answers to ``home`` that bring each of its outcomes (what they add is worked out from them)."""
    askable: Callable[[Profile], bool] = _always
    waits_for: tuple[str, ...] = ()
    opened: Callable[[Profile], bool] = _never


def _symptom_atom(symptom: Symptom, home: str) -> _Atom:
    key = f"symptom-{symptom.value}"
    samples: tuple[str | tuple[str, ...], ...] = (YES,) if home == key else ((symptom.value,),)
    return _Atom(key, home, symptom.value, functools.partial(_symptom_open, symptom), samples)


def _after_cramps(atom: _Atom) -> _Atom:
    """``atom`` asked only once cramps are reported: a follow-up of "I get cramps"."""
    return atom._replace(askable=_cramps_known, waits_for=("cramps",), opened=_cramps_known)


def _list_atoms(question_id: str) -> Iterator[_Atom]:
    what = _LISTS[question_id]

    def is_open(profile: Profile) -> bool:
        if what.of_cramps:
            return (
                profile.cramps.reported is not False
                and what.asked not in profile.asked
                and not getattr(profile.cramps, what.field)
            )
        return what.asked not in profile.asked and not getattr(profile, what.field)

    for member in what.vocabulary:
        atom = _Atom(f"{what.key}-{member.value}", question_id, member.value, is_open, ((member.value,),))
        yield _after_cramps(atom) if what.of_cramps else atom


def _cramps_open(profile: Profile) -> bool:
    return profile.cramps.reported is None and not _cramps_known(profile)


_SEVERE_CONTEXTS = ((Symptom.HEADACHE, "headache-severe"), (Symptom.PAIN_BELOW_RIBS, "pain-below-ribs-severe"))
"""The pains the question about severe pain is put about, first first; with none of them, it asks about any pain."""


def _severe_askable(profile: Profile) -> bool:
    return not any(_symptom_open(symptom, profile) for symptom, _ in _SEVERE_CONTEXTS)


def _severe_opened(profile: Profile) -> bool:
    return any(symptom in profile.symptoms for symptom, _ in _SEVERE_CONTEXTS)


def _numbers(low: float, high: float) -> tuple[int, ...]:
    return tuple(range(int(low), int(high) + 1))


@cached
def _atoms() -> tuple[_Atom, ...]:
    """Every atom but the medicines (which depend on the knowledge base), in the fixed order of the questions."""
    grouped = {choice for choices in _GROUPS.values() for choice in choices}
    cramp_details = [choice for choice in _GROUPS["cramp-details"] if choice in {s.value for s in CRAMP_SYMPTOMS}]
    chest = "symptom-chest-pain"
    return (
        *(_symptom_atom(Symptom(choice), "symptoms-now") for choice in _GROUPS["symptoms-now"]),
        _symptom_atom(Symptom.CHEST_PAIN_SPREADING, "symptom-chest-pain-spreading")._replace(
            askable=lambda profile: Symptom.CHEST_PAIN in profile.symptoms,
            waits_for=(chest,),
            opened=lambda profile: Symptom.CHEST_PAIN in profile.symptoms,
        ),
        _symptom_atom(Symptom.CHEST_TIGHTNESS, "symptom-chest-tightness")._replace(
            askable=lambda profile: Symptom.CHEST_PAIN in profile.symptoms,
            waits_for=(chest,),
            opened=lambda profile: Symptom.CHEST_PAIN in profile.symptoms,
        ),
        *(_symptom_atom(Symptom(choice), "symptoms-new") for choice in _GROUPS["symptoms-new"]),
        _Atom("sudden-onset", "sudden-onset", "", lambda profile: profile.sudden_onset is None, (YES,)),
        # when sudden onset is askable, and what it waits for, depend on the knowledge base (see _Index.partners)
        _symptom_atom(Symptom.SEVERE_PAIN, "cramp-details")._replace(
            askable=_severe_askable,
            waits_for=tuple(f"symptom-{symptom.value}" for symptom, _ in _SEVERE_CONTEXTS),
            opened=_severe_opened,
        ),
        _Atom("cramps", "cramps", "", _cramps_open, (YES, NO)),
        *_list_atoms("cramp-sites"),
        *_list_atoms("cramp-timing"),
        _after_cramps(
            _Atom(
                "cramps-per-week",
                "cramps-per-week",
                "",
                lambda profile: profile.cramps.per_week is None and profile.cramps.reported is not False,
                _numbers(PER_WEEK.low, PER_WEEK.high),
            )
        ),
        *(_after_cramps(_symptom_atom(Symptom(choice), "cramp-details")) for choice in cramp_details),
        _after_cramps(
            _Atom(
                "disturbs-sleep",
                "cramp-details",
                "disturbs-sleep",
                lambda profile: profile.cramps.disturbs_sleep is None and profile.cramps.reported is not False,
                (("disturbs-sleep",),),
            )
        ),
        *(_symptom_atom(Symptom(choice), "symptoms-muscles") for choice in _GROUPS["symptoms-muscles"]),
        *(_symptom_atom(Symptom(choice), "symptoms-body") for choice in _GROUPS["symptoms-body"][:-1]),
        _Atom(
            "heat-exposure",
            "symptoms-body",
            "heat-exposure",
            lambda profile: profile.heat_exposure is None,
            (("heat-exposure",),),
        ),
        *(
            _symptom_atom(symptom, f"symptom-{symptom.value}")
            for symptom in Symptom
            if symptom.value not in grouped and symptom not in _CHEST_FOLLOW_UPS
        ),
        _Atom("age", "age", "", lambda profile: profile.age is None, _numbers(AGE.low, AGE.high)),
        _Atom("sex", "sex", "", lambda profile: profile.sex is None, tuple(sex.value for sex in Sex)),
        _Atom(
            "pregnant",
            "pregnant",
            "",
            lambda profile: profile.pregnant is None and profile.pregnancy_weeks is None and _may_be_pregnant(profile),
            (YES,),
            askable=lambda profile: profile.sex in {Sex.FEMALE, Sex.OTHER},
            waits_for=("sex",),
            opened=lambda profile: profile.sex in {Sex.FEMALE, Sex.OTHER},
        ),
        _Atom(
            "pregnancy-weeks",
            "pregnancy-weeks",
            "",
            lambda profile: profile.pregnancy_weeks is None and _may_be_pregnant(profile),
            _numbers(PREGNANCY_WEEKS.low, PREGNANCY_WEEKS.high),
            askable=lambda profile: profile.pregnant is True,
            waits_for=("pregnant",),
            opened=lambda profile: profile.pregnant is True,
        ),
        *_list_atoms("conditions"),
        *_list_atoms("clot-risks"),
    )


_CHEST_FOLLOW_UPS = frozenset({Symptom.CHEST_PAIN_SPREADING, Symptom.CHEST_TIGHTNESS})
"""Symptoms asked only as follow-ups of chest pain."""

_ORDER = (
    "symptoms-now",
    "symptom-chest-pain-spreading",
    "symptom-chest-tightness",
    "symptoms-new",
    "sudden-onset",
    "cramps",
    "cramp-sites",
    "cramp-timing",
    "cramps-per-week",
    "cramp-details",
    "symptoms-body",
    "symptoms-muscles",
    "age",
    "sex",
    "pregnant",
    "pregnancy-weeks",
    "medications",
    "conditions",
    "clot-risks",
)
"""The fixed order of the questions, for ties (a symptom outside every list comes after the lists)."""


def _order_of(home: str) -> int:
    return _ORDER.index(home) if home in _ORDER else _ORDER.index("symptoms-muscles") + 1


def _sample_question(atom: _Atom) -> Question:
    """The question of ``atom``, offering its choice alone when it is one (to work out what its answers add)."""
    return _build(atom.home, ((atom.key, atom.choice),) if atom.choice else ())


def _outcomes(atom: _Atom, knowledge_base: KnowledgeBase) -> tuple[frozenset[Fact], ...]:
    """The distinct, non-empty sets of facts that the answers of ``atom`` add on their own.

    Worked out with :func:`crampkit.derive_facts`'s own rules on a profile
    holding only that answer, so every threshold stays in one place.
    """
    question = _sample_question(atom)
    answered = (question.answer(Profile(), value) for value in atom.samples)
    found = dict.fromkeys(derive(profile, knowledge_base)[0] for profile in answered)
    return tuple(facts for facts in found if facts)


@cached
def _all_outcomes() -> tuple[tuple[frozenset[Fact], ...], ...]:
    """The outcomes of every atom of :func:`_atoms`, in that order (worked out once, on first use)."""
    no_medicines = KnowledgeBase(version="questions")
    return tuple(_outcomes(atom, no_medicines) for atom in _atoms())


_UNRECOGNISED_SAMPLE = "an unknown medicine"


def _medicine_atoms(knowledge_base: KnowledgeBase) -> tuple[_Atom, ...]:
    """One atom for each drug class of ``knowledge_base``, and one for a medicine it does not recognise."""

    def is_open(profile: Profile) -> bool:
        return Asked.MEDICATIONS not in profile.asked and not profile.medications

    samples = [(f"medicine-{drug_class.id}", drug_class.generic_names[0]) for drug_class in knowledge_base.drug_classes]
    samples.append(("medicine-unrecognised", _UNRECOGNISED_SAMPLE))
    return tuple(_Atom(key, "medications", "", is_open, ((name,),)) for key, name in samples)


# -- the knowledge base, indexed ---------------------------------------------------------------------


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


class _Index(NamedTuple):
    """What :func:`next_questions` reads from one knowledge base, indexed by fact."""

    triggers: tuple[_Trigger, ...]
    triggers_by_fact: Mapping[Fact, tuple[_Trigger, ...]]
    """The triggers that name each fact, most urgent first (as in ``triggers``)."""
    conditions_by_fact: Mapping[Fact, tuple[_Condition, ...]]
    applies: tuple[Criteria, ...]
    atoms: tuple[_Atom, ...]
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
    medicines = _medicine_atoms(knowledge_base)
    sudden = {
        fact.value for trigger in triggers if Fact.ONSET_SUDDEN in trigger.when.names for fact in trigger.when.names
    }
    partners = tuple(
        f"symptom-{symptom.value}"
        for symptom in Symptom
        if f"symptom-{symptom.value}" in sudden and symptom is not Symptom.SEVERE_PAIN
    )
    return _Index(
        triggers=triggers,
        triggers_by_fact=_index(triggers, lambda trigger: trigger.when),
        conditions_by_fact=_index(conditions, lambda condition: condition.when),
        applies=tuple(intervention.when for intervention in knowledge_base.interventions),
        atoms=(*_atoms(), *medicines),
        outcomes=(*_all_outcomes(), *(_outcomes(atom, knowledge_base) for atom in medicines)),
        partners=partners,
        sudden_waits=tuple(
            key for key in partners if any(key.removeprefix("symptom-") in _GROUPS[name] for name in _SUDDEN_LISTS)
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


_INDEX: Key[_Index] = Key("questions")


def _index_of(knowledge_base: KnowledgeBase) -> _Index:
    """The question index of ``knowledge_base``, built once and kept with it."""
    return derived(knowledge_base).get(_INDEX, lambda: _build_index(knowledge_base))


# -- relevance ---------------------------------------------------------------------------------------


def _level(index: _Index, facts: frozenset[Fact], added: frozenset[Fact], base: int) -> int:
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


def _triage_potential(
    index: _Index, facts: frozenset[Fact], base: int, open_outcomes: list[tuple[frozenset[Fact], ...]]
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


def _changes_advice(index: _Index, facts: frozenset[Fact], outcomes: tuple[frozenset[Fact], ...]) -> bool:
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


# -- the questions for a profile -----------------------------------------------------------------------


class _State(NamedTuple):
    """What :func:`questions_for` has worked out for one profile: the open atoms and what each could do."""

    atoms: list[_Atom]
    potential: list[int]
    follow: list[int]
    advice: list[bool]
    askable: list[bool]


def _open_atoms(profile: Profile, index: _Index, facts: frozenset[Fact], base: int) -> _State:
    atoms: list[_Atom] = []
    open_outcomes: list[tuple[frozenset[Fact], ...]] = []
    for atom, outcomes in zip(index.atoms, index.outcomes, strict=True):
        if atom.open(profile):  # an open atom's answers each add a fact not yet there
            atoms.append(atom)
            open_outcomes.append(tuple(added - facts for added in outcomes if not added <= facts))
    potential, follow = _triage_potential(index, facts, base, open_outcomes)
    advice = [  # what could raise triage is relevant anyway: its effect on the advice is not needed
        potential[number] > base
        or _changes_advice(index, facts, outcomes)
        or _could_lower(index, facts, atoms[number].key)
        for number, outcomes in enumerate(open_outcomes)
    ]
    position = {atom.key: number for number, atom in enumerate(atoms)}
    waits = [index.sudden_waits if atom.key == "sudden-onset" else atom.waits_for for atom in atoms]
    askable = [
        _sudden_askable(profile, index, position) if atom.key == "sudden-onset" else atom.askable(profile)
        for atom in atoms
    ]
    changed = True
    while changed:  # a follow-up's relevance passes to the questions it waits for, and from those on
        changed = False
        for number in reversed(range(len(atoms))):
            if askable[number]:
                continue
            for key in waits[number]:
                other = position.get(key)
                if other is None:
                    continue
                if potential[number] > potential[other] or (advice[number] and not advice[other]):
                    potential[other] = max(potential[other], potential[number])
                    advice[other] = advice[other] or advice[number]
                    changed = True
    return _State(atoms, potential, follow, advice, askable)


def _partner_reported(profile: Profile, index: _Index) -> bool:
    """Whether a symptom whose suddenness matters is reported: what the question about sudden onset is about."""
    return any(Symptom(key.removeprefix("symptom-")) in profile.symptoms for key in index.partners)


def _sudden_askable(profile: Profile, index: _Index, position: Mapping[str, int]) -> bool:
    """Sudden onset is asked about the symptoms reported, once the lists it waits for are answered."""
    return not any(key in position for key in index.sudden_waits) and _partner_reported(profile, index)


def _opened(atom: _Atom, profile: Profile, index: _Index) -> bool:
    """Whether an answer given has opened ``atom``: it is a follow-up, asked straight after."""
    if atom.key == "sudden-onset":
        return _partner_reported(profile, index)
    return atom.opened(profile)


def _single(atom: _Atom, profile: Profile, index: _Index) -> str:
    """The id of the question that asks about ``atom`` alone, worded for what the profile says."""
    if atom.key == "sudden-onset":
        present = [key for key in index.partners if Symptom(key.removeprefix("symptom-")) in profile.symptoms]
        return "headache-sudden" if present == ["symptom-headache"] else "sudden-onset"
    if atom.key == "symptom-severe-pain":
        return next((own for symptom, own in _SEVERE_CONTEXTS if symptom in profile.symptoms), atom.key)
    if atom.key == "disturbs-sleep":
        return "cramps-disturb-sleep"
    return atom.key


_ONLY_RELEVANT = frozenset({"conditions", "clot-risks"})
"""Lists that offer only the choices that could change the guidance (the others offer every choice)."""


def questions_for(
    profile: Profile,
    knowledge_base: KnowledgeBase,
    language: str,
    skip: Collection[str] = (),
    region: str = DEFAULT_REGION,
) -> tuple[Question, ...]:
    """The questions to ask next, less those in ``skip``; :func:`crampkit.next_questions` checks the arguments."""
    index = _index_of(knowledge_base)
    facts = derive(profile, knowledge_base)[0]
    base = max((trigger.level for trigger in index.triggers if trigger.when.matches(facts)), default=0)
    if base >= Urgency.EMERGENCY.level:  # act now: more questions would only delay
        return ()
    state = _open_atoms(profile, index, facts, base)
    atoms = state.atoms
    ranked: list[tuple[int, int, int, int, int]] = []
    alone: set[int] = set()  # follow-ups of a symptom, heat or pregnancy: asked on their own, not in a list
    for number, atom in enumerate(atoms):
        potential, follow = state.potential[number], state.follow[number]
        if not state.askable[number] or (potential <= base and not state.advice[number]):
            continue
        order = _order_of(atom.home)
        opened = _opened(atom, profile, index)
        if opened:  # it waited for this answer: the rest of the same question, straight after, in its order
            ranked.append((0, 0, 0, order, number))
        elif follow > base:  # with a symptom just reported, it could complete a red flag: first at its level
            alone.add(number)
            ranked.append((1, -follow, 0, order, number))
        elif potential > base:
            ranked.append((1, -potential, 1, order, number))
        else:
            ranked.append((2, 0, 0, order, number))
    relevant = {number for *_, number in ranked}
    placed: set[int] = set()
    questions: list[Question] = []
    for *_, number in sorted(ranked):
        if number in placed:
            continue
        atom = atoms[number]
        if atom.home in _LISTS or atom.home == "medications" or (atom.home in _GROUPS and number not in alone):
            shown = [
                other
                for other, candidate in enumerate(atoms)
                if candidate.home == atom.home
                and state.askable[other]
                and other not in placed
                and (atom.home not in _GROUPS or other not in alone)
                and (other in relevant or atom.home not in _ONLY_RELEVANT)
            ]
            placed.update(shown)
            if atom.home in _GROUPS:  # in the order the list shows them
                shown.sort(key=lambda other: _GROUPS[atom.home].index(atoms[other].choice))
            if atom.home == "medications":
                questions.append(_build("medications"))
                continue
            if atom.home in _LISTS or len(shown) > 1:
                questions.append(_build(atom.home, tuple((atoms[other].key, atoms[other].choice) for other in shown)))
                continue
        placed.add(number)
        questions.append(_build(_single(atom, profile, index)))
    questions = [question for question in questions if question.id not in skip]
    if language != DEFAULT_LANGUAGE or region != DEFAULT_REGION:
        return tuple(_shown(question, text_for(language, region)) for question in questions)
    return tuple(_shown(question, _UK_ENGLISH) if _placeholders(question) else question for question in questions)


_PLACEHOLDER = "{"
"""How a question's text shows it names a service or a word that depends on the region (``{fit_seizure}``)."""
_UK_ENGLISH = text_for(DEFAULT_LANGUAGE, DEFAULT_REGION)


def _placeholders(question: Question) -> bool:
    """Whether the text of ``question`` or of one of its choices has a placeholder to resolve."""
    return _PLACEHOLDER in question.text or any(_PLACEHOLDER in choice.text for choice in question.choices)


def _shown(question: Question, show: Callable[[str], str]) -> Question:
    """``question`` with its text and its choices' text made ready to show: translated and resolved for the region."""
    return attrs.evolve(
        question,
        text=show(question.text),
        choices=tuple(attrs.evolve(choice, text=show(choice.text)) for choice in question.choices),
    )
