"""The public functions: each checks its arguments, resolves the knowledge base and checks its floor in one place.

Every public function that takes a knowledge base starts with
:func:`prologue`: all its argument problems are reported at once, as
structured :class:`~crampkit.Problem` objects, and the knowledge base it
then works with is the given one or the packaged one, checked against the
safety floor. Nothing below this layer reaches for the default knowledge base.
"""

from collections.abc import Collection, Iterable
from typing import Any, cast

import attrs

from crampkit._caches import cached
from crampkit._model.arguments import argument_problem, names_argument
from crampkit._model.checks import is_checked
from crampkit.decision.engine import guidance_for
from crampkit.decision.facts import derive
from crampkit.decision.questions import Question, questions_for, skip_problem
from crampkit.exceptions import InvalidInputError, Problem, ProblemCode
from crampkit.guidance import Guidance
from crampkit.io import schema
from crampkit.knowledge.items import KnowledgeBase
from crampkit.knowledge.load import check_claim, default_knowledge_base
from crampkit.knowledge.medicines import MedicationMatch, matcher
from crampkit.knowledge.safety import check_floor
from crampkit.profile import MedicationName, Profile, example_profile
from crampkit.render.cds_hooks import cards_for
from crampkit.text.i18n import DEFAULT_LANGUAGE, language_problem
from crampkit.text.regions import DEFAULT_REGION, region_problem
from crampkit.vocab import Fact, Symptom

__all__ = [
    "derive_facts",
    "error_schema",
    "guidance_schema",
    "json_schema",
    "match_medications",
    "next_questions",
    "openapi_schemas",
    "profile_schema",
    "prologue",
    "recommend",
    "to_cds_hooks",
    "to_short",
    "to_text",
]

KNOWLEDGE_BASE_ADVICE = "load one with crampkit.load_knowledge_base, or leave it out for the packaged one"
"""What every argument problem with ``knowledge_base`` advises (where it may be left out)."""
_REQUIRED_KNOWLEDGE_BASE_ADVICE = (
    "load one with crampkit.load_knowledge_base, or pass crampkit.default_knowledge_base()"
)

_PROFILE_ADVICE = "load JSON data with crampkit.load_profile"
_GUIDANCE_ADVICE = "pass what crampkit.recommend returned"


def prologue(
    function: str,
    *problems: Problem | None,
    knowledge_base: object,
    region: object = DEFAULT_REGION,
    language: object = DEFAULT_LANGUAGE,
    default: bool = True,
) -> KnowledgeBase:
    """Check the arguments of ``function``, then give the knowledge base to use, checked against the floor.

    Args:
        function: The public function's name, as problems show it.
        problems: The problems its own arguments have (``None`` for each that has none).
        knowledge_base: The knowledge base it was given, or ``None`` for the packaged one.
        region: The region it was given.
        language: The language it was given.
        default: Whether ``None`` means the packaged knowledge base (else it must be given).

    Raises:
        InvalidInputError: Any argument is not valid; every problem is listed.
        KnowledgeBaseError: The knowledge base falls below the safety floor, or claims a version it may
            not carry (:func:`~crampkit.knowledge.load.claim_problems`: the packaged version with other
            content, a look-alike of it, or a reserved suffix).
    """
    expected: type | tuple[type, ...] = (KnowledgeBase, type(None)) if default else KnowledgeBase
    advice = KNOWLEDGE_BASE_ADVICE if default else _REQUIRED_KNOWLEDGE_BASE_ADVICE
    found = [
        problem
        for problem in (
            *problems,
            argument_problem(function, "knowledge_base", knowledge_base, expected, advice),
            region_problem(function, region),
            language_problem(function, language),
        )
        if problem is not None
    ]
    if found:
        raise InvalidInputError(found)
    # the argument was checked above
    chosen = default_knowledge_base() if knowledge_base is None else cast("KnowledgeBase", knowledge_base)
    check_floor(chosen)
    check_claim(chosen)
    return chosen


def _profile(function: str, profile: object) -> Problem | None:
    return argument_problem(function, "profile", profile, Profile, _PROFILE_ADVICE)


def recommend(
    profile: Profile,
    *,
    knowledge_base: KnowledgeBase | None = None,
    region: str = DEFAULT_REGION,
    language: str = DEFAULT_LANGUAGE,
) -> Guidance:
    """Ranked, explained guidance for ``profile``.

    Args:
        profile: What is known about the person and their cramps.
        knowledge_base: The knowledge to use; the packaged one when omitted.
        region: Whose emergency and non-urgent services the text names:
            ``uk`` (the default: 999, NHS 111, GP), ``us`` (911), ``eu``
            (112) or ``au`` (000, healthdirect). See :doc:`/regions-and-languages`.
        language: The language of the text: ``en`` (the default), or one
            whose catalogue is installed (see :doc:`/regions-and-languages`).

    Returns:
        Triage, the first action and red flags, likely causes, ranked
        recommendations, what is not recommended or left out and why, and
        any medicine names that were not recognised.

    Raises:
        InvalidInputError: ``profile`` is not a :class:`~crampkit.Profile`,
            ``knowledge_base`` not a :class:`~crampkit.KnowledgeBase`, or
            ``region`` not a known region, or ``language`` not one with a
            catalogue (the message lists them).
        KnowledgeBaseError: ``knowledge_base`` falls below the safety floor
            (possible only for one built without
            :func:`~crampkit.load_knowledge_base`).

    .. versionchanged:: 0.2
       ``region`` and ``language``, and the ``short`` forms of red flags and
       recommendations.
    """
    knowledge_base = prologue(
        "recommend", _profile("recommend", profile), knowledge_base=knowledge_base, region=region, language=language
    )
    return guidance_for(profile, knowledge_base, region, language)


def next_questions(
    profile: Profile,
    *,
    knowledge_base: KnowledgeBase | None = None,
    language: str = DEFAULT_LANGUAGE,
    skip: Collection[str] = (),
    region: str = DEFAULT_REGION,
) -> tuple[Question, ...]:
    """The questions whose answers could still change the guidance for ``profile``, in the order to ask them.

    First come follow-ups, right after the answer that opens them (where and
    when the cramps happen after "I get cramps", the weeks after "pregnant",
    whether a headache came on suddenly and is the worst ever, a stiff jaw
    after a wound): the more urgent what they could lead to, the sooner.
    Then the questions that could raise ``triage``, alone or together with
    answers to other open questions, the most urgent possibility first
    (warning signs that alone mean an emergency come first of all); then
    those that could only change which advice is given or left out. Ties
    keep a fixed order. Empty when no answer could change triage or the
    advice, and empty once triage (as :func:`~crampkit.recommend` gives it
    for the profile as it stands) is ``emergency``: the person must act now,
    and more questions would only delay them.

    Symptoms are asked in lists ("Do you have any of these now?"), each
    offering those still open; a symptom is asked on its own when it is the
    only one of its list left, or when it follows up an answer. The
    questions cover symptoms, heat exposure, sudden onset, whether there are
    cramps and where, when and how often, age, sex, pregnancy (once sex is
    female or other, from age 10 to 55 or when the age is not known) and
    its weeks, medicines (as free text), long-term conditions and clot
    risks. Activity, weight and habits are not asked about: put what is
    known of them in the profile first.

    Record an answer with :meth:`Question.answer` and call again: an answered
    question never comes back. A question the person would rather not
    answer can be left out with ``skip``.

    Args:
        profile: What is known so far.
        knowledge_base: The knowledge to use; the packaged one when omitted.
        language: The language of the questions' ``text`` (as for
            :func:`~crampkit.recommend`); English by default.
        region: The region whose words the questions use (``seizure``
            rather than ``fit`` outside the UK), as for
            :func:`~crampkit.recommend`; ``uk`` by default.
        skip: The ids of questions to leave out (a list, tuple or set), such
            as those the person chose not to answer. The others are the same
            as without it, in the same order.

    Returns:
        The questions, most important first.

    Raises:
        InvalidInputError: ``profile`` is not a :class:`~crampkit.Profile`,
            ``knowledge_base`` not a :class:`~crampkit.KnowledgeBase`,
            ``language`` not one with a catalogue, ``region`` not a known
            one, or ``skip`` not a collection of question ids
            (``not-allowed-value`` lists them).
        KnowledgeBaseError: ``knowledge_base`` falls below the safety floor,
            as for :func:`~crampkit.recommend`.

    .. versionadded:: 0.2
       With ``skip`` and ``region``, and nothing asked once triage is ``emergency``.
    .. versionchanged:: 0.2
       Follow-ups right after the answer that opens them; symptoms asked in
       lists; questions about where, when and how often the cramps happen,
       sex, medicines, conditions and clot risks.
    """
    knowledge_base = prologue(
        "next_questions",
        _profile("next_questions", profile),
        skip_problem("next_questions", skip),
        knowledge_base=knowledge_base,
        region=region,
        language=language,
    )
    return questions_for(profile, knowledge_base, language, skip, region)


def derive_facts(profile: Profile, *, knowledge_base: KnowledgeBase | None = None) -> frozenset[Fact]:
    """The facts that hold for ``profile``.

    Args:
        profile: The person's profile.
        knowledge_base: Where drug classes come from; the default knowledge
            base when omitted.

    Returns:
        Every :class:`~crampkit.Fact` that holds. Adding information to a
        profile (a symptom, a condition, a medicine) only ever adds facts.

    Raises:
        InvalidInputError: ``profile`` is not a :class:`~crampkit.Profile`,
            or ``knowledge_base`` not a :class:`~crampkit.KnowledgeBase`.
    """
    knowledge_base = prologue("derive_facts", _profile("derive_facts", profile), knowledge_base=knowledge_base)
    return derive(profile, knowledge_base)[0]


def match_medications(names: Iterable[str], knowledge_base: KnowledgeBase) -> MedicationMatch:
    """Resolve free-text medicine names to ingredients and drug classes.

    A name resolves to the ingredients it names: an ingredient's name or
    other spelling, a product (a brand or a named combination: all its
    ingredients), a WHO ATC code or ``RxNorm <code>``, also inside a longer
    text (``"atorvastatin 20 mg tablets"``). Case, accents, strengths, forms
    and salts are ignored, the longest known name is taken first, and a few
    misspellings are read (see the docs, "How it decides: medicine names"). A name
    matches every class that covers one of its ingredients, every class one
    of whose own names it holds, and every class whose ATC codes start a code
    it holds; it can match several classes (combination products). A name
    that resolves to no ingredient and matches no class could not be
    checked: it is returned in ``unrecognized``, never dropped, each once:
    names that differ only in case or spacing (``"Zopiclone"``,
    ``" zopiclone "``) are reported once, in the first form given in sorted
    order, with its spacing tidied.

    Raises:
        InvalidInputError: ``names`` is a single string (not a collection of
            names), or holds something that is not a medicine name as a
            profile takes it; or ``knowledge_base`` is not a
            :class:`~crampkit.KnowledgeBase`.

    .. versionchanged:: 0.2
       Unrecognised names are reported once each after normalisation. Names
       resolve to ingredients (``MedicationMatch.ingredients``); a
       medicine in no drug class is recognised.
    """
    names = names_argument("match_medications", "names", names, MedicationName)
    knowledge_base = prologue("match_medications", knowledge_base=knowledge_base, default=False)
    return matcher(knowledge_base).match(names)


def to_cds_hooks(guidance: Guidance, *, knowledge_base: KnowledgeBase | None = None) -> dict[str, Any]:
    """Convert guidance to a CDS Hooks response.

    The cards are in the language the guidance was made in
    (:attr:`~crampkit.Guidance.language`). Source titles are citations and
    stay as published.

    Args:
        guidance: What :func:`crampkit.recommend` returned.
        knowledge_base: The knowledge base the guidance was made with, where
            source titles and URLs come from; may be omitted for guidance
            made with the packaged one.

    Returns:
        ``{"cards": [...]}``, JSON-compatible.

    Raises:
        InvalidInputError: ``guidance`` is not a :class:`~crampkit.Guidance`,
            or its language has no catalogue here; or ``knowledge_base`` is
            not a :class:`~crampkit.KnowledgeBase`; or the guidance was made
            with another knowledge base than the one given (or, when none is
            given, than the packaged one), so its sources could be shown with
            the wrong titles.

    .. versionchanged:: 0.2
       Text from the input and the knowledge base is escaped (see
       :doc:`/integration`); the knowledge base's changes to
       packaged items are shown; guidance made with another knowledge base
       than the one used for its sources is refused; the cards are in the
       guidance's language.
    """
    wrong = argument_problem("to_cds_hooks", "guidance", guidance, Guidance, _GUIDANCE_ADVICE)
    if wrong is None:
        wrong = _language_of("to_cds_hooks", guidance)
    knowledge_base = prologue("to_cds_hooks", wrong, knowledge_base=knowledge_base)
    if knowledge_base.version != guidance.knowledge_base_version:
        made_with, given = guidance.knowledge_base_version, knowledge_base.version
        message = f"the guidance was made with knowledge base {made_with!r}, not {given!r}; pass the one it was"
        location = "to_cds_hooks(): knowledge_base"
        raise InvalidInputError([Problem(("knowledge_base",), ProblemCode.CONFLICT, message, location=location)])
    return cards_for(guidance, knowledge_base)


def _guidance(function: str, guidance: object) -> None:
    """Check the ``guidance`` argument of a renderer: guidance, in a language with a catalogue here."""
    problem = argument_problem(function, "guidance", guidance, Guidance, _GUIDANCE_ADVICE)
    if problem is None:
        problem = _language_of(function, cast("Guidance", guidance))
    if problem is not None:
        raise InvalidInputError([problem])


def to_text(guidance: Guidance) -> str:
    r"""Guidance as readable text: exactly what ``crampkit recommend --format text`` prints for it.

    Triage and the first action come first, then the red flags, what to
    watch for, likely causes, the numbered recommendations with their steps,
    what is not recommended or left out and why, unrecognised medicines, the
    disclaimer and the knowledge base's version (and what a custom knowledge
    base changed). Lines are wrapped at 88 characters, and text from the
    profile or the knowledge base is escaped as :doc:`/integration` says.

    The text is in the guidance's region and language
    (:attr:`~crampkit.Guidance.region`, :attr:`~crampkit.Guidance.language`),
    chosen when it was made: ``to_text(recommend(profile, region="us"))`` is
    what ``crampkit recommend PROFILE --region us`` prints. Guidance stored
    as JSON and read back with :func:`~crampkit.structure` gives the same
    text. No knowledge base is needed: the guidance carries its version and
    changes.

    Args:
        guidance: What :func:`crampkit.recommend` returned.

    Returns:
        The text, lines ending in ``\n``, the last one too.

    Raises:
        InvalidInputError: ``guidance`` is not a :class:`~crampkit.Guidance`,
            or its language has no catalogue here.

    >>> import crampkit
    >>> profile = crampkit.load_profile({"symptoms": ["calf-swelling"]})
    >>> text = to_text(crampkit.recommend(profile))
    >>> print(text.splitlines()[0])
    Triage: URGENT

    .. versionadded:: 0.2
    """
    from crampkit.render.terminal import render_guidance  # noqa: PLC0415 - imported when first needed, for import time

    _guidance("to_text", guidance)
    return render_guidance(guidance)


def to_short(guidance: Guidance) -> str:
    r"""Guidance in a few lines for a phone screen: exactly what ``crampkit recommend --format short`` prints.

    Triage, the short form of the most urgent red flag, the short forms of
    the top three first-line recommendations, what to watch for, the short
    disclaimer (:data:`~crampkit.DISCLAIMER_SHORT`) and the knowledge base's
    version (and what a custom knowledge base changed), one line each, for a
    chatbot reply or a notification. As for :func:`to_text`, the region and
    language are the guidance's own.

    Args:
        guidance: What :func:`crampkit.recommend` returned.

    Returns:
        The lines, each ending in ``\n``.

    Raises:
        InvalidInputError: ``guidance`` is not a :class:`~crampkit.Guidance`,
            or its language has no catalogue here.

    >>> import crampkit
    >>> profile = crampkit.load_profile({"symptoms": ["calf-swelling"]})
    >>> guidance = crampkit.recommend(profile, region="us")
    >>> print(to_short(guidance), end="")  # doctest: +ELLIPSIS
    Triage: URGENT
    Now: See a doctor or contact urgent care today. Do not rub the leg.
    Watch for: Call 911 if you also become breathless or have chest pain, ...
    General information, not a diagnosis. If worried, ask a doctor or pharmacist.
    (knowledge base ...)

    .. versionadded:: 0.2
    """
    from crampkit.render.terminal import render_short  # noqa: PLC0415 - imported when first needed, for import time

    _guidance("to_short", guidance)
    return render_short(guidance)


def _language_of(function: str, guidance: Guidance) -> Problem | None:
    """The problem with the language of ``guidance`` (read from JSON, perhaps elsewhere): none if it has a catalogue."""
    problem = language_problem(function, guidance.language)
    if problem is None:
        return None
    return attrs.evolve(problem, path=("guidance", "language"), location=f"{function}(): guidance.language")


@cached
def _examples() -> schema.Examples:
    """Example values of every field the example documents fill: the example profile, and guidance."""
    knowledge_base = default_knowledge_base()
    every_sign = Profile(symptoms=frozenset(Symptom))
    made = (
        guidance_for(profile, knowledge_base, DEFAULT_REGION, DEFAULT_LANGUAGE)
        for profile in (example_profile(), every_sign)
    )
    return schema.collect_examples((example_profile(), *made))


def json_schema(cls: type, *, limit_lists: bool = True) -> dict[str, Any]:
    """The Draft 2020-12 JSON Schema of an attrs class of crampkit's JSON contract.

    Every field has a ``description`` (when its class documents it) and an
    ``examples`` entry.

    Raises:
        InvalidInputError: ``cls`` is not one of crampkit's classes.

    .. versionchanged:: 0.2
       Fields carry ``description`` and ``examples``.
    """
    if not is_checked(cls):
        msg = f"expected a crampkit class such as crampkit.Profile, got {cls!r}"
        raise InvalidInputError([Problem(("cls",), ProblemCode.WRONG_TYPE, msg, location="json_schema(): cls")])
    return schema.json_schema(cls, _examples(), limit_lists=limit_lists)


def profile_schema() -> dict[str, Any]:
    """The JSON Schema of a :class:`~crampkit.Profile` document (the input)."""
    return json_schema(Profile)


def guidance_schema() -> dict[str, Any]:
    """The JSON Schema of a :class:`~crampkit.Guidance` document (the output)."""
    return json_schema(Guidance, limit_lists=False)


def error_schema() -> dict[str, Any]:
    """The JSON Schema of an error body: every problem with some input, as data.

    It is what :meth:`~crampkit.InvalidInputError.as_data` gives,
    ``{"problems": [{"path": [...], "code": ..., "message": ...,
    "location": ..., ...}]}``, and so what ``crampkit recommend --format
    json`` prints on standard error for bad input, what a ``--jsonl`` result
    holds under ``error``, and the body of the CDS Hooks service's 400
    answers, which add ``error`` (what was refused, in a few words) and, when
    they list only the first problems, ``more_problems``. Each problem's
    ``code`` is one of :class:`~crampkit.ProblemCode` (later versions may add
    codes: take the schema of the version you run).

    .. versionadded:: 0.2
    """
    return schema.error_schema(_error_example())


def _error_example() -> dict[str, Any]:
    """The problems with a profile whose age is out of range and whose cramp site is misspelt."""
    from crampkit.io.json import load_profile  # noqa: PLC0415 - only the schema needs it

    found: list[InvalidInputError] = []
    try:
        load_profile({"age": -1, "cramps": {"sites": ["calff"]}})
    except InvalidInputError as error:
        found.append(error)
    return found[0].as_data()


def openapi_schemas() -> dict[str, Any]:
    """The schemas of a profile, guidance and an error body, as components of an OpenAPI 3.1 document.

    ``{"components": {"schemas": {...}}}``, to merge into an application's
    OpenAPI document: ``Profile`` (:func:`profile_schema`), ``Guidance``
    (:func:`guidance_schema`) and ``Problems`` (:func:`error_schema`) are
    components, and so is every class they hold (``Cramps``,
    ``Recommendation``, ``Problem``...), each under its class name. Every
    ``$ref`` points at ``#/components/schemas/``, so each resolves inside
    the document, and ``$schema`` and ``$id`` are left out. The schemas are
    otherwise those of the three functions (JSON Schema Draft 2020-12, the
    dialect of OpenAPI 3.1). See :doc:`/integration` for a FastAPI example.

    .. versionadded:: 0.2
    """
    return schema.openapi((profile_schema(), guidance_schema(), error_schema()))
