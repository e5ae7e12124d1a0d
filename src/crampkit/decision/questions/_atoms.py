"""What each question asks about (its atoms: one piece of news each), when it is open, and the fixed order."""

import functools
from collections.abc import Callable, Iterator
from typing import NamedTuple

from crampkit._caches import cached
from crampkit.decision.facts import derive
from crampkit.decision.questions._building import build
from crampkit.decision.questions._question import CRAMP_SYMPTOMS, GROUPS, IMPLIED_ABSENT, LISTS, Question
from crampkit.decision.questions._wording import NO, YES
from crampkit.knowledge.items import KnowledgeBase
from crampkit.knowledge.medicines import class_names
from crampkit.profile import AGE, PER_WEEK, PREGNANCY_WEEKS, Profile
from crampkit.vocab import Asked, Fact, Sex, Symptom

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
    return not any(symptom in implied and cause in profile.absent_symptoms for cause, implied in IMPLIED_ABSENT.items())


def _cramps_known(profile: Profile) -> bool:
    """Whether the profile says there are cramps (the answer that opens the questions about them)."""
    cramps = profile.cramps
    details = (cramps.sites, cramps.timing, cramps.per_week, cramps.minutes, cramps.disturbs_sleep)
    return bool(cramps.reported) or any(details)


def _always(_profile: Profile) -> bool:
    return True


def _never(_profile: Profile) -> bool:
    return False


class Atom(NamedTuple):
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


def _symptom_atom(symptom: Symptom, home: str) -> Atom:
    key = f"symptom-{symptom.value}"
    samples: tuple[str | tuple[str, ...], ...] = (YES,) if home == key else ((symptom.value,),)
    return Atom(key, home, symptom.value, functools.partial(_symptom_open, symptom), samples)


def _after_cramps(atom: Atom) -> Atom:
    """``atom`` asked only once cramps are reported: a follow-up of "I get cramps"."""
    return atom._replace(askable=_cramps_known, waits_for=("cramps",), opened=_cramps_known)


def _list_atoms(question_id: str) -> Iterator[Atom]:
    what = LISTS[question_id]

    def is_open(profile: Profile) -> bool:
        if what.of_cramps:
            return (
                profile.cramps.reported is not False
                and what.asked not in profile.asked
                and not getattr(profile.cramps, what.field)
            )
        return what.asked not in profile.asked and not getattr(profile, what.field)

    for member in what.vocabulary:
        atom = Atom(f"{what.key}-{member.value}", question_id, member.value, is_open, ((member.value,),))
        yield _after_cramps(atom) if what.of_cramps else atom


def _cramps_open(profile: Profile) -> bool:
    return profile.cramps.reported is None and not _cramps_known(profile)


SEVERE_CONTEXTS = ((Symptom.HEADACHE, "headache-severe"), (Symptom.PAIN_BELOW_RIBS, "pain-below-ribs-severe"))
"""The pains the question about severe pain is put about, first first; with none of them, it asks about any pain."""


def _severe_askable(profile: Profile) -> bool:
    return not any(_symptom_open(symptom, profile) for symptom, _ in SEVERE_CONTEXTS)


def _severe_opened(profile: Profile) -> bool:
    return any(symptom in profile.symptoms for symptom, _ in SEVERE_CONTEXTS)


def _numbers(low: float, high: float) -> tuple[int, ...]:
    return tuple(range(int(low), int(high) + 1))


@cached
def atoms() -> tuple[Atom, ...]:
    """Every atom but the medicines (which depend on the knowledge base), in the fixed order of the questions."""
    grouped = {choice for choices in GROUPS.values() for choice in choices}
    cramp_details = [choice for choice in GROUPS["cramp-details"] if choice in {s.value for s in CRAMP_SYMPTOMS}]
    chest = "symptom-chest-pain"
    return (
        *(_symptom_atom(Symptom(choice), "symptoms-now") for choice in GROUPS["symptoms-now"]),
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
        *(_symptom_atom(Symptom(choice), "symptoms-new") for choice in GROUPS["symptoms-new"]),
        Atom("sudden-onset", "sudden-onset", "", lambda profile: profile.sudden_onset is None, (YES,)),
        # when sudden onset is askable, and what it waits for, depend on the knowledge base (see Index.partners)
        _symptom_atom(Symptom.SEVERE_PAIN, "cramp-details")._replace(
            askable=_severe_askable,
            waits_for=tuple(f"symptom-{symptom.value}" for symptom, _ in SEVERE_CONTEXTS),
            opened=_severe_opened,
        ),
        Atom("cramps", "cramps", "", _cramps_open, (YES, NO)),
        *_list_atoms("cramp-sites"),
        *_list_atoms("cramp-timing"),
        _after_cramps(
            Atom(
                "cramps-per-week",
                "cramps-per-week",
                "",
                lambda profile: profile.cramps.per_week is None and profile.cramps.reported is not False,
                _numbers(PER_WEEK.low, PER_WEEK.high),
            )
        ),
        *(_after_cramps(_symptom_atom(Symptom(choice), "cramp-details")) for choice in cramp_details),
        _after_cramps(
            Atom(
                "disturbs-sleep",
                "cramp-details",
                "disturbs-sleep",
                lambda profile: profile.cramps.disturbs_sleep is None and profile.cramps.reported is not False,
                (("disturbs-sleep",),),
            )
        ),
        *(_symptom_atom(Symptom(choice), "symptoms-muscles") for choice in GROUPS["symptoms-muscles"]),
        *(_symptom_atom(Symptom(choice), "symptoms-body") for choice in GROUPS["symptoms-body"][:-1]),
        Atom(
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
        Atom("age", "age", "", lambda profile: profile.age is None, _numbers(AGE.low, AGE.high)),
        Atom("sex", "sex", "", lambda profile: profile.sex is None, tuple(sex.value for sex in Sex)),
        Atom(
            "pregnant",
            "pregnant",
            "",
            lambda profile: profile.pregnant is None and profile.pregnancy_weeks is None and _may_be_pregnant(profile),
            (YES,),
            askable=lambda profile: profile.sex in {Sex.FEMALE, Sex.OTHER},
            waits_for=("sex",),
            opened=lambda profile: profile.sex in {Sex.FEMALE, Sex.OTHER},
        ),
        Atom(
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


def order_of(home: str) -> int:
    return _ORDER.index(home) if home in _ORDER else _ORDER.index("symptoms-muscles") + 1


def _sample_question(atom: Atom) -> Question:
    """The question of ``atom``, offering its choice alone when it is one (to work out what its answers add)."""
    return build(atom.home, ((atom.key, atom.choice),) if atom.choice else ())


def outcomes(atom: Atom, knowledge_base: KnowledgeBase) -> tuple[frozenset[Fact], ...]:
    """The distinct, non-empty sets of facts that the answers of ``atom`` add on their own.

    Worked out with :func:`crampkit.derive_facts`'s own rules on a profile
    holding only that answer, so every threshold stays in one place.
    """
    question = _sample_question(atom)
    answered = (question.answer(Profile(), value) for value in atom.samples)
    found = dict.fromkeys(derive(profile, knowledge_base)[0] for profile in answered)
    return tuple(facts for facts in found if facts)


@cached
def all_outcomes() -> tuple[tuple[frozenset[Fact], ...], ...]:
    """The outcomes of every atom of :func:`atoms`, in that order (worked out once, on first use)."""
    no_medicines = KnowledgeBase(version="questions")
    return tuple(outcomes(atom, no_medicines) for atom in atoms())


_UNRECOGNISED_SAMPLE = "an unknown medicine"


def medicine_atoms(knowledge_base: KnowledgeBase) -> tuple[Atom, ...]:
    """One atom for each drug class of ``knowledge_base``, and one for a medicine it does not recognise."""

    def is_open(profile: Profile) -> bool:
        return Asked.MEDICATIONS not in profile.asked and not profile.medications

    samples = [
        (f"medicine-{drug_class.id}", class_names(drug_class, knowledge_base)[0])
        for drug_class in knowledge_base.drug_classes
    ]
    samples.append(("medicine-unrecognised", _UNRECOGNISED_SAMPLE))
    return tuple(Atom(key, "medications", "", is_open, ((name,),)) for key, name in samples)
