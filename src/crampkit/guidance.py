"""The output of :func:`crampkit.recommend`."""

import attrs

from crampkit._model.checks import checked
from crampkit._model.constraints import OneOf, check_not_empty
from crampkit.knowledge.items import KnowledgeBaseChange
from crampkit.profile import MedicationName
from crampkit.text.i18n import LANGUAGE_CODE, N_
from crampkit.text.regions import REGIONS
from crampkit.vocab import Category, Certainty, Fact, Phase, Stance, Symptom, Urgency

__all__ = [
    "DISCLAIMER",
    "DISCLAIMER_SHORT",
    "CauseHit",
    "Contraindicated",
    "Guidance",
    "MedicationHit",
    "NotRecommended",
    "Recommendation",
    "RedFlagHit",
    "SafetyNet",
]

DISCLAIMER = N_(
    "crampkit gives general information about muscle cramps, not a diagnosis or medical advice. "
    "It cannot examine you. Follow the red-flag advice; if you are worried, if cramps are severe, "
    "frequent or unexplained, or if anything here does not fit you, speak to a doctor, nurse or pharmacist. "
    "Never start, stop or change a prescribed medicine without asking the prescriber; where a warning here says to "
    "hold a dose, hold it only until a clinician has advised you, the same day."
)
"""The disclaimer carried by every :class:`Guidance`."""

DISCLAIMER_SHORT = N_("General information, not a diagnosis. If worried, ask a doctor or pharmacist.")
"""The disclaimer in one line, for small screens (``crampkit recommend --format short``).

Show :data:`DISCLAIMER` too wherever there is room for it.

.. versionadded:: 0.2
"""


@checked
@attrs.frozen(kw_only=True)
class RedFlagHit:
    """A red flag that matched: seek care, with how soon and why.

    Attributes:
        id: The red flag's id in the knowledge base.
        name: The red flag's name.
        urgency: How soon to seek care.
        advice: What to do, and where to seek care.
        short: The advice in one line (at most 80 characters in the packaged
            knowledge base), still saying where to seek care; the full
            ``advice`` when the knowledge base gives no short form.

            .. versionadded:: 0.2
        why: Why this sign matters.
        because: The profile facts that matched, in plain words.
        sources: The ids of the sources behind it.
    """

    id: str
    name: str
    urgency: Urgency
    advice: str
    short: str
    why: str
    because: tuple[str, ...]
    sources: tuple[str, ...]


@checked
@attrs.frozen(kw_only=True)
class SafetyNet:
    """What to watch for, for one symptom the person reported: when it would need care sooner.

    Attributes:
        symptom: The symptom reported.
        sign: The id of its sign in the knowledge base.
        name: The sign's name.
        urgency: The sign's own urgency (the symptom alone).
        watch_for: What would make it need care sooner, or, for a sign that
            is already an emergency, what to do while waiting.
        sources: The ids of the sources behind it.

    .. versionadded:: 0.2
    """

    symptom: Symptom
    sign: str
    name: str
    urgency: Urgency
    watch_for: str
    sources: tuple[str, ...]


@checked
@attrs.frozen(kw_only=True)
class CauseHit:
    """A cause that the profile makes more likely, with its score.

    Attributes:
        id: The cause's id in the knowledge base.
        name: The cause's name.
        score: How strongly the profile points to it: its prior weight plus
            the weights of the risk factors that matched (higher is more likely).
        because: The risk factors that matched, in plain words.
        sources: The ids of the sources behind it.
    """

    id: str
    name: str
    score: float
    because: tuple[str, ...]
    sources: tuple[str, ...]


@checked
@attrs.frozen(kw_only=True)
class Recommendation:
    """A ranked intervention, with how to do it and why it was chosen.

    Attributes:
        rank: Its place in the list, 1 for the best fit.
        id: The intervention's id in the knowledge base.
        name: The intervention's name.
        category: What kind of intervention it is.
        phase: Whether it is for a cramp happening now or for prevention.
        certainty: The certainty of the evidence behind it.
        stance: What crampkit says about it.
        score: How well it fits this profile (higher is a better fit).
        instructions: How to do it, step by step.
        because: Why it was chosen for this profile, in plain words.
        sources: The ids of the sources behind it.
        short: What to do in one line (at most 80 characters in the packaged
            knowledge base); the ``name`` when the knowledge base gives no
            short form.

            .. versionadded:: 0.2
        second_line: Whether it is a second line (a prescription drug or a
            supplement: see :attr:`crampkit.Category.second_line`), ranked
            after every first-line item and left out of the short form.

            .. versionadded:: 0.2
    """

    rank: int
    id: str
    name: str
    short: str
    category: Category
    phase: Phase
    certainty: Certainty
    stance: Stance
    score: float
    instructions: tuple[str, ...]
    because: tuple[str, ...]
    sources: tuple[str, ...]
    second_line: bool = False


@checked
@attrs.frozen(kw_only=True)
class NotRecommended:
    """An intervention the evidence does not support for this person, and why.

    Attributes:
        id: The intervention's id in the knowledge base.
        name: The intervention's name.
        reason: Why it is not recommended.
        sources: The ids of the sources behind it.
    """

    id: str
    name: str
    reason: str
    sources: tuple[str, ...]


@checked
@attrs.frozen(kw_only=True)
class Contraindicated:
    """An intervention left out because it could harm this person, and why.

    Attributes:
        id: The intervention's id in the knowledge base.
        name: The intervention's name.
        reason: Why it was left out for this person.
        sources: The ids of the sources behind it.
    """

    id: str
    name: str
    reason: str
    sources: tuple[str, ...]


@checked
@attrs.frozen(kw_only=True)
class MedicationHit:
    """A medicine name that matched drug classes of the knowledge base.

    Attributes:
        name: The name as the profile gave it.
        drug_classes: The ids of the drug classes it matched, sorted (more
            than one for a combination product).

    .. versionadded:: 0.2
    """

    name: MedicationName
    drug_classes: tuple[str, ...] = attrs.field(validator=check_not_empty)


@checked
@attrs.frozen(kw_only=True)
class Guidance:
    """Ranked, explained guidance for one profile.

    Attributes:
        triage: The highest urgency among ``red_flags``; ``self-care`` when none.
        action: What to do first: the advice of the most urgent red flag
            (at ``urgent`` or ``emergency``, led by a plain statement that this
            may not be a cramp problem); ``None`` when no red flag matched.
        red_flags: Every red flag that matched, most urgent first; at the same
            urgency, the more specific first (the one that matched more facts),
            then in knowledge-base order.
        safety_net: For every symptom reported, whatever its own urgency
            (self-care included), what to watch for: most urgent sign first,
            then by symptom.

            .. versionadded:: 0.2
        likely_causes: Causes the profile makes more likely, highest score first.
        recommendations: What to do, ranked 1..n, best first.
        not_recommended: Things people try that the evidence does not support here.
        contraindicated: Interventions left out because they could harm this
            person, contradict a red flag that fired, or could delay urgent care.
        medications: Each medicine name that matched a drug class, with the
            classes it matched, sorted by name.

            .. versionadded:: 0.2
        unrecognized_medications: Medicine names that resolved to no ingredient and matched no drug class:
            crampkit could not check them.
        facts: The facts derived from the profile, sorted.
        knowledge_base_version: Content version of the knowledge base used.
        region: The region the text was written for (whose emergency and
            non-urgent services it names), as given to
            :func:`~crampkit.recommend`.

            .. versionadded:: 0.2
        language: The language of the text, as given to
            :func:`~crampkit.recommend`. Renderers write their own words in it.

            .. versionadded:: 0.2
        disclaimer: What this guidance is and is not.
        knowledge_base_changes: The packaged items that the knowledge base
            used removed or replaced, with the reasons it gave (empty for the
            packaged knowledge base).

            .. versionadded:: 0.2
    """

    triage: Urgency
    action: str | None
    red_flags: tuple[RedFlagHit, ...]
    safety_net: tuple[SafetyNet, ...]
    likely_causes: tuple[CauseHit, ...]
    recommendations: tuple[Recommendation, ...]
    not_recommended: tuple[NotRecommended, ...]
    contraindicated: tuple[Contraindicated, ...]
    medications: tuple[MedicationHit, ...]
    unrecognized_medications: tuple[str, ...]
    facts: tuple[Fact, ...]
    knowledge_base_version: str
    region: str = attrs.field(validator=OneOf(tuple(REGIONS)))
    language: str = attrs.field(validator=LANGUAGE_CODE)
    disclaimer: str
    knowledge_base_changes: tuple[KnowledgeBaseChange, ...] = ()
