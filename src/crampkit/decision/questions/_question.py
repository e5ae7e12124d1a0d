"""A question, the kinds of answer it takes, how a typed answer is read, and how each answer goes into a profile.

The lists a profile is asked about in full (:data:`LISTS`) and the symptoms
asked together (:data:`GROUPS`) are here too: how an answer is recorded
depends on them.
"""

import functools
import re
import typing
from collections.abc import Callable, Collection, Mapping
from enum import StrEnum
from types import MappingProxyType
from typing import Any, NamedTuple

import attrs

from crampkit._model.arguments import argument, python_kind
from crampkit._model.checks import checked
from crampkit._model.constraints import MAX_ITEMS, check_id, check_not_empty
from crampkit.decision.questions._wording import NO, NONE, YES
from crampkit.exceptions import InvalidInputError, Problem, ProblemCode
from crampkit.profile import MEDICATION_NAME, Profile
from crampkit.vocab import Asked, ClotRisk, Condition, Sex, Site, Symptom, Timing


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
        setter = SETTERS.get(self.id)
        if setter is None:
            message = "not one of crampkit's questions (crampkit.next_questions gives them)"
            raise InvalidInputError(
                [Problem(("id",), ProblemCode.NOT_ALLOWED_VALUE, message, location=self.id, allowed=tuple(SETTERS))]
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

IMPLIED_ABSENT: Mapping[Symptom, frozenset[Symptom]] = MappingProxyType(
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
    implied = set(symptoms).union(*(IMPLIED_ABSENT.get(symptom, ()) for symptom in symptoms))
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


LISTS: Mapping[str, _List] = MappingProxyType(
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


GROUPS: Mapping[str, tuple[str, ...]] = MappingProxyType(
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
                "swelling-hands-or-face", "vaginal-bleeding", "recent-wound",
            ),
            "heat-exposure",
        ),
    }
)  # fmt: skip
"""The lists of symptoms asked together, by question id: the ids of their choices, in the order shown."""

SETTERS: Mapping[str, Callable[[Profile, _Value, Question], Profile]] = MappingProxyType(
    {
        **{f"symptom-{symptom.value}": functools.partial(_record_symptom, symptom) for symptom in Symptom},
        **{group: functools.partial(_record_group, choices) for group, choices in GROUPS.items()},
        **{question_id: functools.partial(_record_list, what) for question_id, what in LISTS.items()},
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
