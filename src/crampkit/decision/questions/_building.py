"""The questions, in English: each built from the tables of words, with its field, kind and limits."""

from collections.abc import Mapping
from types import MappingProxyType

from crampkit._caches import cached
from crampkit._model.checks import trusted
from crampkit.decision.questions._question import GROUPS, LISTS, AnswerKind, Choice, Question
from crampkit.decision.questions._wording import CHOICE_TEXT, FALLBACK_SYMPTOM, NO, QUESTION_TEXT, YES
from crampkit.profile import AGE, PER_WEEK, PREGNANCY_WEEKS
from crampkit.vocab import Sex, Symptom

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
    return FALLBACK_SYMPTOM.format(symptom=question_id.removeprefix("symptom-").replace("-", " "))


@cached
def _choice(key: str, choice_id: str) -> Choice:
    """The choice ``choice_id``, worded as :data:`CHOICE_TEXT` says under ``key`` (built once for each)."""
    return Choice(id=choice_id, text=CHOICE_TEXT.get(key, choice_id.replace("-", " ")))


def build(question_id: str, choices: tuple[tuple[str, str], ...] = ()) -> Question:
    """The question ``question_id`` in English, offering ``choices`` (each a choice key and its id) when it has any."""
    if question_id in GROUPS or question_id in LISTS:
        field = LISTS[question_id].field if question_id in LISTS else "symptoms"
        field = f"cramps.{field}" if question_id in LISTS and LISTS[question_id].of_cramps else field
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
