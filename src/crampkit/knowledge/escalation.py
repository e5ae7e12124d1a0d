"""Escalation in words: which level of care a sentence of knowledge-base text names.

Advice such as "Call {emergency} if you pass very little urine" states a
condition and a level of care. The safety floor
(:func:`crampkit.knowledge.safety.escalations_are_clauses`) reads the text
that tells a person what to do, part by part, finds the level of care each
part names with :func:`care_level`, and requires every part that names a
level above the item's own urgency to carry an escalation clause
(:class:`crampkit.Escalation`) whose ``says`` it contains. So no condition
in the words can be met without the triage knowing it.

The words it looks for (:data:`CARE_WORDS`) are the placeholders of the
emergency and urgent services, their numbers, and the few phrases that say
"now" or "today" in the packaged text. They are deliberately broad: a part
that names emergency services for any reason needs a clause, or must not be
in text above which it would raise the level.

.. versionadded:: 0.2
"""

import re
from collections.abc import Iterator, Mapping
from types import MappingProxyType

from crampkit.knowledge.items import Escalation, Intervention, PopulationRule, RedFlag, Sign
from crampkit.vocab import Urgency

__all__ = ["CARE_WORDS", "care_level", "clauses_of", "own_level", "parts", "spoken_texts"]

CARE_WORDS: Mapping[Urgency, tuple[str, ...]] = MappingProxyType(
    {
        Urgency.EMERGENCY: (
            "{emergency}",
            "{emergency_department}",
            "999",
            "112",
            "911",
            "000",
            "emergency services",
            "emergency department",
            "A&E",
            "ambulance",
        ),
        Urgency.URGENT: (
            "{urgent_line}",
            "urgent",
            "urgently",
            "today",
            "the same day",
            "immediately",
            "straight away",
            "right away",
            "at once",
        ),
        Urgency.SOON: ("within a day or two", "today or tomorrow", "within 24 hours"),
    }
)
"""The words by which text names a level of care, by the level (matched as whole words, in any case).

A longer phrase wins over a shorter one inside it ("today or tomorrow" is ``soon``, not ``urgent``).
"""

_PHRASES = sorted(
    ((phrase, urgency) for urgency, phrases in CARE_WORDS.items() for phrase in phrases),
    key=lambda pair: -len(pair[0]),
)
_LEVEL_OF = {phrase.casefold(): urgency for phrase, urgency in _PHRASES}
_CARE = re.compile(
    "|".join(
        rf"(?<![\w{{]){re.escape(phrase)}(?![\w}}])" if phrase[0].isalnum() else re.escape(phrase)
        for phrase, _ in _PHRASES
    ),
    re.IGNORECASE,
)
_PART_END = re.compile(r"(?<=[.;!?:])\s+")


def care_level(text: str) -> Urgency | None:
    """The highest level of care ``text`` names (see :data:`CARE_WORDS`); ``None`` when it names none."""
    found = [_LEVEL_OF[match.group().casefold()] for match in _CARE.finditer(text)]
    return max(found, key=lambda urgency: urgency.level) if found else None


def parts(text: str) -> list[str]:
    """``text`` split into parts: sentences, and the halves of a sentence joined by a semicolon or colon."""
    return [part for part in _PART_END.split(text.strip()) if part]


def spoken_texts(item: RedFlag | Sign | Intervention | PopulationRule) -> Iterator[tuple[tuple[str | int, ...], str]]:
    """The text of ``item`` that tells a person what to do, with its path in the item's JSON.

    A red flag's and a sign's ``advice`` and ``short``, a sign's ``watch_for``,
    an intervention's ``instructions`` and ``short``, and a population rule's
    ``reason``. Summaries and reasons say why; they are not read.
    """
    if isinstance(item, PopulationRule):
        yield ("reason",), item.reason
        return
    if isinstance(item, Intervention):
        yield from ((("instructions", index), step) for index, step in enumerate(item.instructions))
    else:
        yield ("advice",), item.advice
    if item.short is not None:
        yield ("short",), item.short
    if isinstance(item, Sign):
        yield ("watch_for",), item.watch_for


def own_level(item: RedFlag | Sign | Intervention | PopulationRule) -> Urgency:
    """The level of care an item stands for: a red flag's or sign's urgency; self-care for anything else."""
    return item.urgency if isinstance(item, RedFlag | Sign) else Urgency.SELF_CARE


def clauses_of(item: RedFlag | Sign | Intervention | PopulationRule) -> tuple[Escalation, ...]:
    """The escalation clauses of ``item`` (none for a population rule)."""
    return () if isinstance(item, PopulationRule) else item.escalations
