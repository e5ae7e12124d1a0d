"""The questions for a profile, in the order to ask them, worded for its region and language; the check of ``skip``."""

from collections.abc import Callable, Collection, Mapping
from typing import NamedTuple

import attrs

from crampkit._model.arguments import python_kind
from crampkit.decision.facts import derive
from crampkit.decision.questions._atoms import SEVERE_CONTEXTS, Atom, order_of
from crampkit.decision.questions._building import build
from crampkit.decision.questions._index import Index, index_of
from crampkit.decision.questions._question import GROUPS, LISTS, SETTERS, Question
from crampkit.decision.questions._relevance import changes_advice, could_lower, triage_potential
from crampkit.exceptions import Problem, ProblemCode
from crampkit.knowledge.items import KnowledgeBase
from crampkit.profile import Profile
from crampkit.text.i18n import DEFAULT_LANGUAGE, text_for
from crampkit.text.regions import DEFAULT_REGION
from crampkit.vocab import Fact, Symptom, Urgency


def skip_problem(function: str, skip: object) -> Problem | None:
    """The problem with ``skip``, the ids of questions to leave out: ``None`` when each is one of the questions."""
    location = f"{function}(): skip"
    if not isinstance(skip, list | tuple | set | frozenset):
        got = "a single string" if isinstance(skip, str) else python_kind(skip)
        message = f"expected a list, tuple or set of question ids, got {got}"
        return Problem(("skip",), ProblemCode.WRONG_TYPE, message, location=location)
    unknown = sorted({repr(item) for item in skip if not isinstance(item, str) or item not in SETTERS})
    if not unknown:
        return None
    message = f"not one of crampkit's questions: {', '.join(unknown)}"
    return Problem(("skip",), ProblemCode.NOT_ALLOWED_VALUE, message, location=location, allowed=tuple(SETTERS))


# -- the questions for a profile -----------------------------------------------------------------------


class _State(NamedTuple):
    """What :func:`questions_for` has worked out for one profile: the open atoms and what each could do."""

    atoms: list[Atom]
    potential: list[int]
    follow: list[int]
    advice: list[bool]
    askable: list[bool]


def _open_atoms(profile: Profile, index: Index, facts: frozenset[Fact], base: int) -> _State:
    atoms: list[Atom] = []
    open_outcomes: list[tuple[frozenset[Fact], ...]] = []
    for atom, outcomes in zip(index.atoms, index.outcomes, strict=True):
        if atom.open(profile):  # an open atom's answers each add a fact not yet there
            atoms.append(atom)
            open_outcomes.append(tuple(added - facts for added in outcomes if not added <= facts))
    potential, follow = triage_potential(index, facts, base, open_outcomes)
    advice = [  # what could raise triage is relevant anyway: its effect on the advice is not needed
        potential[number] > base
        or changes_advice(index, facts, outcomes)
        or could_lower(index, facts, atoms[number].key)
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


def _partner_reported(profile: Profile, index: Index) -> bool:
    """Whether a symptom whose suddenness matters is reported: what the question about sudden onset is about."""
    return any(Symptom(key.removeprefix("symptom-")) in profile.symptoms for key in index.partners)


def _sudden_askable(profile: Profile, index: Index, position: Mapping[str, int]) -> bool:
    """Sudden onset is asked about the symptoms reported, once the lists it waits for are answered."""
    return not any(key in position for key in index.sudden_waits) and _partner_reported(profile, index)


def _opened(atom: Atom, profile: Profile, index: Index) -> bool:
    """Whether an answer given has opened ``atom``: it is a follow-up, asked straight after."""
    if atom.key == "sudden-onset":
        return _partner_reported(profile, index)
    return atom.opened(profile)


def _single(atom: Atom, profile: Profile, index: Index) -> str:
    """The id of the question that asks about ``atom`` alone, worded for what the profile says."""
    if atom.key == "sudden-onset":
        present = [key for key in index.partners if Symptom(key.removeprefix("symptom-")) in profile.symptoms]
        return "headache-sudden" if present == ["symptom-headache"] else "sudden-onset"
    if atom.key == "symptom-severe-pain":
        return next((own for symptom, own in SEVERE_CONTEXTS if symptom in profile.symptoms), atom.key)
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
    index = index_of(knowledge_base)
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
        order = order_of(atom.home)
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
        if atom.home in LISTS or atom.home == "medications" or (atom.home in GROUPS and number not in alone):
            shown = [
                other
                for other, candidate in enumerate(atoms)
                if candidate.home == atom.home
                and state.askable[other]
                and other not in placed
                and (other in relevant or atom.home not in _ONLY_RELEVANT)
            ]
            placed.update(shown)
            if atom.home in GROUPS:  # in the order the list shows them
                shown.sort(key=lambda other: GROUPS[atom.home].index(atoms[other].choice))
            if atom.home == "medications":
                questions.append(build("medications"))
                continue
            if atom.home in LISTS or len(shown) > 1:
                questions.append(build(atom.home, tuple((atoms[other].key, atoms[other].choice) for other in shown)))
                continue
        placed.add(number)
        questions.append(build(_single(atom, profile, index)))
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
