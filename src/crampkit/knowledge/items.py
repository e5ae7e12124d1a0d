"""Knowledge-base items.

Sources, causes, risk factors, drug classes, interventions, red flags and the
seed-article audit, and the medicines drug classes are made of (ingredients
and products). They are plain frozen data. The packaged knowledge base is TOML in
``crampkit/knowledge/data``; :func:`crampkit.default_knowledge_base` loads it and
:func:`crampkit.load_knowledge_base` loads your own.
"""

import re
from collections.abc import Callable, Iterator, Mapping
from enum import StrEnum
from functools import cached_property
from typing import Annotated, Any, NamedTuple

import attrs

from crampkit._caches import Key, Store
from crampkit._model.checks import checked
from crampkit._model.constraints import Code, Range, Text, check_id, check_not_empty
from crampkit.exceptions import InvalidInputError, Problem, ProblemCode
from crampkit.vocab import Authority, Category, Certainty, Fact, Phase, SourceKind, Stance, Strength, Symptom, Urgency

__all__ = [
    "REVIEWS",
    "SECTIONS",
    "AuditClaim",
    "Cause",
    "ChangeKind",
    "Contraindication",
    "Criteria",
    "DrugClass",
    "Escalation",
    "EscalationRule",
    "Ingredient",
    "Intervention",
    "Item",
    "KnowledgeBase",
    "KnowledgeBaseChange",
    "Medicine",
    "PopulationRule",
    "Product",
    "RedFlag",
    "RiskFactor",
    "Sign",
    "Source",
    "applies_when",
    "derived",
]

YEAR = Range(1900, 2100, integer=True)
DOI = re.compile(r"10\.[0-9]{4,9}/[^\s]+")
PMID = re.compile(r"[1-9][0-9]{0,8}")
DATE = re.compile(r"(19|20)[0-9]{2}-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])")


def _pattern(pattern: "re.Pattern[str]", what: str) -> "Callable[[object, attrs.Attribute[Any], object], None]":
    def check(_inst: object, attribute: "attrs.Attribute[Any]", value: object) -> None:
        if not isinstance(value, str) or not pattern.fullmatch(value):
            message = f"expected {what}, got {value!r}"
            raise InvalidInputError([Problem((attribute.name,), ProblemCode.WRONG_FORMAT, message)])

    return check


PRIOR = Range(0, 10)

SHORT_LIMIT = 80
"""Longest ``short`` form of an intervention, red flag or sign (characters, as written)."""
SHORT = Text(max_length=SHORT_LIMIT)
"""A ``short`` form: one line of visible text, at most :data:`SHORT_LIMIT` characters."""


def _facts(values: frozenset[Fact] | tuple[str, ...] | list[str]) -> frozenset[Fact]:
    return frozenset(Fact(value) for value in values)


def _groups(values: tuple[frozenset[Fact], ...] | list[list[str]]) -> tuple[frozenset[Fact], ...]:
    return tuple(_facts(group) for group in values)


CRITERIA_KEYS: Mapping[str, str] = {"all_of": "all", "any_of": "any", "none_of": "none", "each_of": "each"}
"""How :class:`Criteria` fields are spelt in JSON and TOML."""


@checked(json_keys=CRITERIA_KEYS)
@attrs.frozen(kw_only=True)
class Criteria:
    """When an item applies, as a test over a set of facts.

    It matches when every fact in ``all`` is present, at least one fact in
    ``any`` is present (if ``any`` is not empty), at least one fact of every
    group in ``each`` is present, and no fact in ``none`` is present. Empty
    criteria match every profile. In data files the fields are written
    ``all``, ``any``, ``each`` and ``none``.

    .. versionchanged:: 0.2
       ``each`` (groups of alternatives, one needed from every group).
    """

    all_of: frozenset[Fact] = attrs.field(default=frozenset(), converter=_facts)
    any_of: frozenset[Fact] = attrs.field(default=frozenset(), converter=_facts)
    none_of: frozenset[Fact] = attrs.field(default=frozenset(), converter=_facts)
    each_of: tuple[frozenset[Fact], ...] = attrs.field(default=(), converter=_groups)

    @each_of.validator
    def _check_groups(
        self, _attribute: "attrs.Attribute[tuple[frozenset[Fact], ...]]", value: tuple[frozenset[Fact], ...]
    ) -> None:
        if any(not group for group in value):
            raise InvalidInputError([Problem(("each",), ProblemCode.EMPTY, "every group needs at least one fact")])

    def matches(self, facts: frozenset[Fact]) -> bool:
        """Whether these criteria hold for ``facts``."""
        return (
            self.all_of <= facts
            and (not self.any_of or not self.any_of.isdisjoint(facts))
            and all(not group.isdisjoint(facts) for group in self.each_of)
            and self.none_of.isdisjoint(facts)
        )

    def matched(self, facts: frozenset[Fact]) -> frozenset[Fact]:
        """The facts in ``facts`` that made these criteria hold."""
        return self.all_of.union(self.any_of & facts, *(group & facts for group in self.each_of))

    def and_(self, other: "Criteria") -> "Criteria":
        """Criteria that hold when both these and ``other`` hold.

        .. versionadded:: 0.2
        """
        groups = [group for group in (self.any_of, other.any_of) if group]
        return Criteria(
            all_of=self.all_of | other.all_of,
            none_of=self.none_of | other.none_of,
            each_of=(*self.each_of, *other.each_of, *groups),
        )

    @property
    def names(self) -> frozenset[Fact]:
        """Every fact these criteria mention."""
        return self.all_of.union(self.any_of, self.none_of, *self.each_of)

    @property
    def is_empty(self) -> bool:
        """Whether these criteria mention no fact at all (and so always match)."""
        return not self.names


@checked
@attrs.frozen(kw_only=True)
class Source:
    """A publication that knowledge-base items cite.

    ``year`` is the year of publication or last review; ``None`` for an
    undated page (shown as "n.d."). ``url`` is the publisher of record's
    page. ``via`` names the copy that was read when the publisher's own page
    could not be (shown, never used as the link).

    .. versionchanged:: 0.2
       ``doi``, ``pmid``, ``accessed``, ``via`` and ``authority``.
    """

    id: str = attrs.field(validator=check_id)
    title: str = attrs.field(validator=check_not_empty)
    publisher: str = attrs.field(validator=check_not_empty)
    year: Annotated[int, YEAR] | None = attrs.field(default=None, validator=YEAR)
    url: str = attrs.field(validator=check_not_empty)
    kind: SourceKind
    authority: Authority | None = None
    doi: str | None = attrs.field(
        default=None, validator=attrs.validators.optional(_pattern(DOI, "a DOI (10.NNNN/...)"))
    )
    pmid: str | None = attrs.field(
        default=None, validator=attrs.validators.optional(_pattern(PMID, "a PubMed id (digits)"))
    )
    accessed: str | None = attrs.field(
        default=None, validator=attrs.validators.optional(_pattern(DATE, "a date (YYYY-MM-DD)"))
    )
    via: str | None = attrs.field(default=None, validator=attrs.validators.optional(check_not_empty))

    @property
    def citation(self) -> str:
        """How the source is cited wherever crampkit shows it: ``"Title (Publisher, year)"``, ``n.d.`` when undated.

        .. versionadded:: 0.2
        """
        return f"{self.title} ({self.publisher}, {self.year or 'n.d.'})"


@checked
@attrs.frozen(kw_only=True)
class Cause:
    """A mechanism or origin of cramps.

    ``prior`` is a starting score that applies to every profile (the
    idiopathic cause has one: most cramps have no cause found). ``when``
    says for which profiles the cause can be given at all (every one, by
    default): "idiopathic" has ``when = { none = ["cramps-denied"] }``, so it
    is not given to a person who says they have no cramps, whatever else
    they report.

    .. versionchanged:: 0.2
       ``when``.
    """

    id: str = attrs.field(validator=check_id)
    name: str = attrs.field(validator=check_not_empty)
    summary: str = attrs.field(validator=check_not_empty)
    sources: tuple[str, ...] = attrs.field(validator=check_not_empty)
    prior: Annotated[float, PRIOR] = attrs.field(default=0.0, validator=PRIOR)
    when: Criteria = attrs.field(factory=Criteria)


@checked
@attrs.frozen(kw_only=True)
class RiskFactor:
    """Something about a person that makes one or more causes more likely."""

    id: str = attrs.field(validator=check_id)
    name: str = attrs.field(validator=check_not_empty)
    summary: str = attrs.field(validator=check_not_empty)
    when: Criteria
    raises: tuple[str, ...] = attrs.field(validator=check_not_empty)
    strength: Strength
    sources: tuple[str, ...] = attrs.field(validator=check_not_empty)


ATC_CODE = Code(
    r"[A-Z][0-9]{2}[A-Z]{2}[0-9]{2}", "a WHO ATC code of a substance (seven characters, such as C03CA01)", "C03CA01"
)
"""What an ingredient's ATC code looks like: the full seven characters of the WHO ATC index."""
RXNORM_CODE = Code(r"[1-9][0-9]{0,9}", "an RxNorm concept id (RXCUI: digits, such as 4603)", "4603")
"""What an RxNorm code looks like: the digits of an RXCUI."""


@checked
@attrs.frozen(kw_only=True)
class Ingredient:
    """An active ingredient, with the names and codes that mean it.

    ``name`` is its WHO name (the international non-proprietary name as the
    WHO ATC index writes it); ``other_names`` are other ways of writing it:
    British and US approved names (``frusemide``, ``acetaminophen``), older
    spellings (``oestradiol``), abbreviations (``hctz``) and salts written
    out. ``atc_codes`` are its full WHO ATC codes (one per use, such as
    tablets and eye drops) and ``rxnorm`` the RxNorm concepts that mean it
    alone: its ingredient code and clinical drugs of it alone. Drug classes
    attach to ingredients (the ``ingredients`` of a :class:`~crampkit.DrugClass`); an ingredient in
    no class is still a medicine crampkit recognises, and has checked.

    Ingredients and products have ids of their own, apart from the other
    items: the ingredient ``lithium`` and the drug class ``lithium`` are two
    things.

    .. versionadded:: 0.2
    """

    id: str = attrs.field(validator=check_id)
    name: str = attrs.field(validator=check_not_empty)
    other_names: tuple[str, ...] = ()
    atc_codes: tuple[Annotated[str, ATC_CODE], ...] = ()
    rxnorm: tuple[Annotated[str, RXNORM_CODE], ...] = ()
    sources: tuple[str, ...] = ()

    @property
    def names(self) -> tuple[str, ...]:
        """Its name, then its other names."""
        return (self.name, *self.other_names)


@checked
@attrs.frozen(kw_only=True)
class Product:
    """A medicine sold under a brand name, or a combination with a name of its own, and its ingredients.

    ``name`` and ``other_names`` are its names (``Zestoretic``,
    ``co-amilofruse``; other names for the same composition, such as
    ``Frumil``); ``ingredients`` are the ids of its active ingredients, all
    of them; ``rxnorm`` are RxNorm concepts of the product (branded drugs for
    a brand, clinical drugs for a combination).

    .. versionadded:: 0.2
    """

    id: str = attrs.field(validator=check_id)
    name: str = attrs.field(validator=check_not_empty)
    other_names: tuple[str, ...] = ()
    ingredients: tuple[str, ...] = attrs.field(validator=check_not_empty)
    rxnorm: tuple[Annotated[str, RXNORM_CODE], ...] = ()
    sources: tuple[str, ...] = ()

    @property
    def names(self) -> tuple[str, ...]:
        """Its name, then its other names."""
        return (self.name, *self.other_names)


Medicine = Ingredient | Product
"""An ingredient or a product: what a medicine name can mean."""


@checked
@attrs.frozen(kw_only=True)
class DrugClass:
    """Medicines that map to one drug-class fact.

    A class covers its ``ingredients`` (ids of :class:`Ingredient` items), so
    every name of those ingredients, and of every product that holds one,
    matches it. ``generic_names`` and ``brand_names`` are names matched to
    the class directly, for medicines whose ingredients the knowledge base
    does not record. Names are matched case-insensitively; ``atc_codes`` are
    WHO ATC codes or code prefixes (``C03A`` matches ``C03AA01``) that a
    medicine given as a code matches. A class needs ingredients or generic
    names.

    .. versionchanged:: 0.2
       ``ingredients``; ``generic_names`` may be left out when it has ingredients.
    """

    id: str = attrs.field(validator=check_id)
    name: str = attrs.field(validator=check_not_empty)
    summary: str = attrs.field(validator=check_not_empty)
    fact: Fact
    ingredients: tuple[str, ...] = ()
    generic_names: tuple[str, ...] = attrs.field(default=())
    brand_names: tuple[str, ...] = ()
    atc_codes: tuple[str, ...] = ()
    sources: tuple[str, ...] = attrs.field(validator=check_not_empty)

    @generic_names.validator
    def _check_names(self, _attribute: "attrs.Attribute[tuple[str, ...]]", value: tuple[str, ...]) -> None:
        if not value and not self.ingredients:
            message = "a drug class needs ingredients or generic names"
            raise InvalidInputError([Problem(("ingredients",), ProblemCode.EMPTY, message)])


_EXCLUSION_KEYS = ("all", "any", "each")
"""The keys that exclusion criteria may use (never ``none``)."""


def _check_exclusion(_inst: object, attribute: "attrs.Attribute[Criteria]", value: Criteria) -> None:
    if value.none_of or value.is_empty:
        message = "exclusion criteria need 'all', 'any' or 'each' facts and may not use 'none'"
        if value.none_of:  # learning more must never bring an excluded treatment back
            problem = Problem((attribute.name,), ProblemCode.NOT_ALLOWED_VALUE, message, allowed=_EXCLUSION_KEYS)
        else:
            problem = Problem((attribute.name,), ProblemCode.EMPTY, message)
        raise InvalidInputError([problem])


def _check_condition(_inst: object, attribute: "attrs.Attribute[Criteria | None]", value: Criteria | None) -> None:
    if value is not None:
        _check_exclusion(_inst, attribute, value)  # type: ignore[arg-type]


@checked
@attrs.frozen(kw_only=True)
class Escalation:
    """A condition, stated in an item's own text, under which care is needed sooner than the item's urgency.

    Text such as ``"call {emergency} if you pass very little urine"`` is not
    left as words: each such condition is a clause of the item that states
    it. ``says`` is the condition as the text words it (it must appear in
    the item's ``advice``, ``short`` or ``watch_for``, and the safety floor
    checks that every sentence of that text which names a higher level of
    care has a clause). ``when`` is the condition in facts; the clause
    fires, like a red flag, when the item applies (its symptom is present,
    its criteria match) and ``when`` matches as well. ``when`` is left out
    when a profile cannot record the condition (for example how long a fit
    lasted): the clause is then shown in the catalogue as text that crampkit
    cannot check, and never fires. Like red-flag criteria, ``when`` may not
    use ``none``.

    A clause that fires is reported as a :class:`crampkit.RedFlagHit` with
    its own ``id``, ``name``, ``advice`` and ``short``, the sources of the
    item and its own, and ``urgency``, which must be above the item's. A
    clause crampkit can check needs ``advice``; one it cannot check is
    never reported, and needs none. Its report says ``why`` it matters, or,
    without one, why its item does. When it fires, what its item leaves out
    is left out, and so are its own ``excludes_categories`` and ``excludes``
    (as for :class:`RedFlag`).

    .. versionadded:: 0.2
    """

    id: str = attrs.field(validator=check_id)
    name: str = attrs.field(validator=check_not_empty)
    says: str = attrs.field(validator=check_not_empty)
    when: Criteria | None = attrs.field(default=None, validator=_check_condition)
    urgency: Urgency
    advice: str | None = attrs.field(default=None, validator=attrs.validators.optional(check_not_empty))
    short: Annotated[str, SHORT] | None = attrs.field(default=None, validator=attrs.validators.optional(SHORT))
    why: str | None = attrs.field(default=None, validator=attrs.validators.optional(check_not_empty))
    sources: tuple[str, ...] = ()
    excludes_categories: frozenset[Category] = frozenset()
    excludes: frozenset[str] = frozenset()

    @property
    def recordable(self) -> bool:
        """Whether crampkit can check the condition (it has ``when``), rather than only show it."""
        return self.when is not None


@checked
@attrs.frozen(kw_only=True)
class Contraindication:
    """A situation in which an intervention must not be suggested, and why.

    The criteria may not use ``none``: learning more about a person must never
    make an excluded treatment reappear.
    """

    when: Criteria = attrs.field(validator=_check_exclusion)
    reason: str = attrs.field(validator=check_not_empty)


@checked
@attrs.frozen(kw_only=True)
class Intervention:
    """Something a person can do, or ask about, for cramps.

    A ``not-recommended`` intervention is never suggested; it is reported in
    :attr:`crampkit.Guidance.not_recommended` with its ``reason`` when its
    criteria match.

    ``medicines`` are the drug-class facts of every medicine the intervention
    names (so population rules and the safety floor can check them; the floor
    reads its text for medicine names, brands and class words, and refuses it
    when one is missing), and
    ``while_waiting`` marks what is safe to do while getting urgent or
    emergency care: at those triage levels nothing else is listed.

    ``short`` is the action in one line of at most 80 characters, for small
    screens (see :attr:`crampkit.Recommendation.short`); when it is left out,
    the output uses ``name`` instead. The packaged knowledge base has one for
    every intervention.

    ``escalations`` are the conditions its text names under which care is
    needed (see :class:`~crampkit.Escalation`); they fire when its criteria match.

    .. versionchanged:: 0.2
       ``medicines``, ``while_waiting``, ``short`` and ``escalations``.
    """

    id: str = attrs.field(validator=check_id)
    name: str = attrs.field(validator=check_not_empty)
    summary: str = attrs.field(validator=check_not_empty)
    short: Annotated[str, SHORT] | None = attrs.field(default=None, validator=attrs.validators.optional(SHORT))
    phase: Phase
    category: Category
    instructions: tuple[str, ...] = attrs.field(validator=check_not_empty)
    when: Criteria = attrs.field(factory=Criteria)
    contraindications: tuple[Contraindication, ...] = ()
    addresses: tuple[str, ...] = ()
    certainty: Certainty
    stance: Stance
    reason: str | None = attrs.field(default=None)
    sources: tuple[str, ...] = attrs.field(validator=check_not_empty)
    medicines: frozenset[Fact] = attrs.field(default=frozenset(), converter=_facts)
    while_waiting: bool = False
    escalations: tuple[Escalation, ...] = ()

    @property
    def medicines_given(self) -> frozenset[Fact]:
        """The drug-class facts of the medicines it would have a person take: none for a medication review.

        A ``medication-review`` item names a medicine to have it reviewed (for
        example "ask whether you still need quinine"), never to give it, so
        the exclusions by medicine of population rules and of the safety floor
        do not remove it: the people those rules protect are the ones who
        most need it.

        .. versionadded:: 0.2
        """
        return frozenset() if self.category is Category.MEDICATION_REVIEW else self.medicines

    @reason.validator
    def _check_reason(self, _attribute: "attrs.Attribute[str | None]", value: str | None) -> None:
        if self.stance is Stance.NOT_RECOMMENDED and not (value and value.strip()):
            message = "a not-recommended intervention must say why"  # text is never blank: it is checked first
            raise InvalidInputError([Problem(("reason",), ProblemCode.MISSING, message)])


@checked
@attrs.frozen(kw_only=True)
class RedFlag:
    """A sign that needs a clinician, with how soon.

    Red-flag criteria may not use ``none``: adding a symptom must never
    switch a red flag off. When it fires, interventions of the
    ``excludes_categories`` and the ids in ``excludes`` are left out, because
    they would contradict its advice (for example, walking about when the
    advice is to lie down).

    ``short`` is the advice in one line of at most 80 characters, for small
    screens; when it is left out, the output repeats the full ``advice``, so
    where to go is never lost (see :attr:`crampkit.RedFlagHit.short`).

    ``escalations`` are the conditions its advice names under which care is
    needed sooner (see :class:`~crampkit.Escalation`).

    .. versionchanged:: 0.2
       ``excludes_categories``, ``excludes``, ``short`` and ``escalations``.
    """

    id: str = attrs.field(validator=check_id)
    name: str = attrs.field(validator=check_not_empty)
    summary: str = attrs.field(validator=check_not_empty)
    when: Criteria = attrs.field(validator=_check_exclusion)
    urgency: Urgency
    advice: str = attrs.field(validator=check_not_empty)
    short: Annotated[str, SHORT] | None = attrs.field(default=None, validator=attrs.validators.optional(SHORT))
    sources: tuple[str, ...] = attrs.field(validator=check_not_empty)
    excludes_categories: frozenset[Category] = frozenset()
    excludes: frozenset[str] = frozenset()
    escalations: tuple[Escalation, ...] = ()


@checked
@attrs.frozen(kw_only=True)
class Sign:
    """What one symptom means on its own: its standalone urgency, and why.

    Every :class:`~crampkit.Symptom` has exactly one sign in a knowledge base.
    A sign above ``self-care`` is reported like a red flag whenever the
    symptom is present; red flags for combinations can only raise the
    urgency further. A ``self-care`` sign says why the symptom alone needs no
    clinician. ``short`` is as for :class:`RedFlag`.

    ``watch_for`` is its safety net: one line saying what would make the
    symptom need care sooner (or, for a sign that is already an emergency,
    what to do while waiting). It is shown whenever the symptom is
    reported, at any urgency (see :attr:`crampkit.Guidance.safety_net`).
    ``escalations`` are the conditions its text names (see :class:`~crampkit.Escalation`).

    .. versionadded:: 0.2
    """

    id: str = attrs.field(validator=check_id)
    symptom: Symptom
    name: str = attrs.field(validator=check_not_empty)
    urgency: Urgency
    advice: str = attrs.field(validator=check_not_empty)
    short: Annotated[str, SHORT] | None = attrs.field(default=None, validator=attrs.validators.optional(SHORT))
    reason: str = attrs.field(validator=check_not_empty)
    watch_for: str = attrs.field(validator=check_not_empty)
    sources: tuple[str, ...] = attrs.field(validator=check_not_empty)
    excludes_categories: frozenset[Category] = frozenset()
    excludes: frozenset[str] = frozenset()
    escalations: tuple[Escalation, ...] = ()

    @property
    def criteria(self) -> Criteria:
        """When the sign applies: its symptom is present."""
        return Criteria(all_of=frozenset({Fact(f"symptom-{self.symptom.value}")}))


@checked
@attrs.frozen(kw_only=True)
class PopulationRule:
    """A group of people for whom whole kinds of treatment are left out.

    When ``when`` matches, every intervention whose category is in
    ``excludes_categories``, whose id is in ``excludes``, or that gives a
    medicine whose drug-class fact is in ``excludes_medicines``
    (:attr:`Intervention.medicines_given`: a medication review gives none),
    is left out with ``reason``. The criteria may not use ``none``. A rule
    never leaves out a review (``medication-review`` or ``clinical-review``:
    having a medicine or a condition reviewed is what the people it protects
    most need), so ``excludes_categories`` may not name one.

    .. versionadded:: 0.2
    .. versionchanged:: 0.2
       A medication review is never left out for the medicine it reviews;
       ``excludes`` (interventions by id), and reviews are never left out.
    """

    id: str = attrs.field(validator=check_id)
    name: str = attrs.field(validator=check_not_empty)
    when: Criteria = attrs.field(validator=_check_exclusion)
    excludes_categories: frozenset[Category] = attrs.field(default=frozenset())
    excludes: frozenset[str] = frozenset()
    excludes_medicines: frozenset[Fact] = attrs.field(default=frozenset(), converter=_facts)
    reason: str = attrs.field(validator=check_not_empty)
    sources: tuple[str, ...] = attrs.field(validator=check_not_empty)

    @excludes_categories.validator
    def _check_categories(self, attribute: "attrs.Attribute[frozenset[Category]]", value: frozenset[Category]) -> None:
        reviews = sorted(value & REVIEWS)
        if reviews:
            message = f"a population rule never leaves out a review; remove {', '.join(reviews)}"
            raise InvalidInputError([Problem((attribute.name,), ProblemCode.NOT_ALLOWED_VALUE, message)])

    def covers(self, intervention: "Intervention") -> bool:
        """Whether this rule leaves ``intervention`` out (when it applies); never a review."""
        if intervention.category in REVIEWS:
            return False
        return (
            intervention.category in self.excludes_categories
            or intervention.id in self.excludes
            or not self.excludes_medicines.isdisjoint(intervention.medicines_given)
        )


REVIEWS = frozenset({Category.MEDICATION_REVIEW, Category.CLINICAL_REVIEW})
"""The categories of review: having a medicine or a condition reviewed, which no population rule leaves out.

.. versionadded:: 0.2
"""


AUDIT_VERDICTS = ("supported", "partly", "weak", "unsupported")
"""The verdicts an audit claim can have, from fully supported to not at all (the docs count them in this order)."""


@checked
@attrs.frozen(kw_only=True)
class AuditClaim:
    """One claim of the article crampkit grew from, and what became of it.

    ``verdict`` is ``supported``, ``partly``, ``weak`` or ``unsupported``;
    ``items`` are the knowledge-base ids that carry what survives of it.
    """

    id: str = attrs.field(validator=check_id)
    claim: str = attrs.field(validator=check_not_empty)
    verdict: str = attrs.field(validator=attrs.validators.in_(AUDIT_VERDICTS))
    note: str = attrs.field(validator=check_not_empty)
    items: tuple[str, ...] = ()
    sources: tuple[str, ...] = ()


Item = Source | Cause | RiskFactor | DrugClass | Intervention | RedFlag | Sign | PopulationRule | AuditClaim
"""Any knowledge-base item but a medicine (ingredients and products have ids of their own: see :data:`Medicine`)."""


class ChangeKind(StrEnum):
    """How an extending knowledge base changed a packaged item.

    .. versionadded:: 0.2
    """

    REMOVED = "removed"
    REPLACED = "replaced"


@checked
@attrs.frozen(kw_only=True)
class KnowledgeBaseChange:
    """A packaged item that a custom knowledge base removed or replaced (with ``extends`` or not).

    Attributes:
        id: The packaged item's id.
        section: Its section (``red_flags``, ``interventions``...).
        kind: Whether it was removed (``disable``) or replaced (an item with the same id).
        reason: The reason given for it in ``[overrides]``; ``None`` for a
            change the safety floor allows without one (a change that keeps
            every packaged contraindication, or removes an item that had none).

    .. versionadded:: 0.2
    """

    id: str = attrs.field(validator=check_id)
    section: str
    kind: ChangeKind
    reason: str | None = None


@checked
@attrs.frozen(kw_only=True)
class KnowledgeBase:
    """Everything crampkit knows, with a content version.

    Build one with :func:`crampkit.load_knowledge_base` so that it is checked
    as a whole (unique ids, resolved references, sources on every item) and
    against the safety floor. ``changes`` lists the packaged items that a
    custom knowledge base removed or replaced (an extension, or one of its own
    with an item of a packaged id and other content), each with the reason it
    gave (see :class:`~crampkit.KnowledgeBaseChange`); it is empty for the
    packaged one and for copies of it.

    ``ingredients`` and ``products`` are the medicines that names resolve to
    (see :class:`~crampkit.Ingredient`); their ids are their own, apart from
    the other items', so :meth:`items` and :attr:`by_id` leave them out and
    :meth:`medicines` and :meth:`medicine` give them.

    .. versionchanged:: 0.2
       ``changes``, ``ingredients`` and ``products``.
    """

    version: str = attrs.field(validator=check_not_empty)
    changes: tuple[KnowledgeBaseChange, ...] = ()
    sources: tuple[Source, ...] = ()
    causes: tuple[Cause, ...] = ()
    risk_factors: tuple[RiskFactor, ...] = ()
    drug_classes: tuple[DrugClass, ...] = ()
    ingredients: tuple[Ingredient, ...] = ()
    products: tuple[Product, ...] = ()
    interventions: tuple[Intervention, ...] = ()
    red_flags: tuple[RedFlag, ...] = ()
    audit: tuple[AuditClaim, ...] = ()
    signs: tuple[Sign, ...] = ()
    population_rules: tuple[PopulationRule, ...] = ()

    def medicines(self) -> Iterator[Medicine]:
        """Every ingredient, then every product, in file order.

        .. versionadded:: 0.2
        """
        yield from self.ingredients
        yield from self.products

    def medicine(self, medicine_id: str) -> Medicine:
        """The ingredient or product with this id.

        Raises:
            KeyError: No ingredient or product has this id.

        .. versionadded:: 0.2
        """
        found = self._derived.get(_MEDICINE_BY_ID, lambda: {item.id: item for item in self.medicines()})
        return found[medicine_id]

    def items(self) -> Iterator[Item]:
        """Every item but the medicines (:meth:`medicines`), sources first, in file order."""
        yield from self.sources
        yield from self.causes
        yield from self.risk_factors
        yield from self.drug_classes
        yield from self.interventions
        yield from self.red_flags
        yield from self.signs
        yield from self.population_rules
        yield from self.audit

    def exclusion_rules(self, intervention: Intervention) -> tuple[tuple[Criteria, str], ...]:
        """What can leave ``intervention`` out, as (criteria, reason) pairs.

        Its contraindications, then the population rules that cover it. This
        is the one definition: the engine's compiled plan and the safety floor
        both use it, so they can never disagree on what is left out.

        .. versionadded:: 0.2
        """
        return (
            *((c.when, c.reason) for c in intervention.contraindications),
            *((rule.when, rule.reason) for rule in self.population_rules if rule.covers(intervention)),
        )

    def exclusions(self, intervention: Intervention, facts: frozenset[Fact]) -> Iterator[str]:
        """Why ``intervention`` could harm a person with ``facts``: the reasons of its matching :meth:`exclusion_rules`.

        .. versionadded:: 0.2
        """
        return (reason for when, reason in self.exclusion_rules(intervention) if when.matches(facts))

    def escalation_rules(self) -> "tuple[EscalationRule, ...]":
        """Every escalation clause that crampkit can check, with the criteria under which it fires.

        A clause fires when the item that states it applies (a red flag's
        criteria, a sign's symptom, an intervention's criteria) and its own
        ``when`` holds too: the criteria given here are both together. Red
        flags' clauses come first, then signs', then interventions', each in
        file order. The engine, :func:`crampkit.next_questions` and the
        safety floor all read this one list.

        .. versionadded:: 0.2
        """
        return self._derived.get(_ESCALATIONS, lambda: tuple(_escalation_rules(self)))

    def escalation_rule(self, clause_id: str) -> "EscalationRule":
        """The escalation clause crampkit can check with this id, and its item.

        A :attr:`crampkit.RedFlagHit.id` is the id of a red flag, a sign or such a clause.

        Raises:
            KeyError: No such clause has this id.

        .. versionadded:: 0.2
        """
        rules = self._derived.get(_RULE_BY_ID, lambda: {rule.escalation.id: rule for rule in self.escalation_rules()})
        return rules[clause_id]

    @property
    def sign_for(self) -> Mapping[Symptom, Sign]:
        """The sign of each symptom."""
        return self._derived.get(_SIGN_FOR, lambda: {sign.symptom: sign for sign in self.signs})

    @property
    def by_id(self) -> Mapping[str, Item]:
        """Every item by its id, the medicines aside (see :meth:`medicine`)."""
        return self._derived.get(_BY_ID, lambda: {item.id: item for item in self.items()})

    @cached_property
    def _derived(self) -> Store:
        """What is worked out from this knowledge base and kept with it (read it with :func:`derived`)."""
        return Store()

    def get(self, item_id: str) -> Item:
        """The item with this id.

        Raises:
            KeyError: No item has this id.
        """
        return self.by_id[item_id]


SECTIONS: Mapping[str, type[Item]] = {
    "sources": Source,
    "causes": Cause,
    "risk_factors": RiskFactor,
    "drug_classes": DrugClass,
    "interventions": Intervention,
    "red_flags": RedFlag,
    "signs": Sign,
    "population_rules": PopulationRule,
    "audit": AuditClaim,
}
"""The item sections of a knowledge-base document, in the order the loader reads them, and the class of their items.

The one list of sections: the loader, the safety floor's messages, ``kb check`` and the docs (the keys of
each section in *Extending*, the catalogue) all read it. The medicines have sections of their own
(:data:`MEDICINE_SECTIONS`), read after these.
"""

MEDICINE_SECTIONS: Mapping[str, type[Medicine]] = {"ingredients": Ingredient, "products": Product}
"""The sections of the medicines, whose ids are apart from the other items' ids, and the class of their items.

In ``disable`` and ``[overrides]`` a medicine is named with its section: ``"products.zestoretic"``.

.. versionadded:: 0.2
"""


class EscalationRule(NamedTuple):
    """An escalation clause that crampkit can check (see :meth:`KnowledgeBase.escalation_rules`).

    .. versionadded:: 0.2
    """

    item: "RedFlag | Sign | Intervention"
    """The item whose text states the clause."""
    escalation: Escalation
    """The clause."""
    when: Criteria
    """The criteria under which it fires (the item applies, and the clause's own criteria hold)."""


def applies_when(item: "RedFlag | Sign | Intervention") -> Criteria:
    """When ``item`` applies: a red flag's or an intervention's criteria, or a sign's symptom.

    .. versionadded:: 0.2
    """
    return item.criteria if isinstance(item, Sign) else item.when


def _escalation_rules(knowledge_base: KnowledgeBase) -> Iterator[EscalationRule]:
    items: tuple[RedFlag | Sign | Intervention, ...] = (
        *knowledge_base.red_flags,
        *knowledge_base.signs,
        *knowledge_base.interventions,
    )
    for item in items:
        for escalation in item.escalations:
            if escalation.when is not None:
                yield EscalationRule(item, escalation, applies_when(item).and_(escalation.when))


_ESCALATIONS: Key[tuple[EscalationRule, ...]] = Key("escalations")
_RULE_BY_ID: Key[Mapping[str, EscalationRule]] = Key("escalation_by_id")
_SIGN_FOR: Key[Mapping[Symptom, Sign]] = Key("sign_for")
_BY_ID: Key[Mapping[str, Item]] = Key("by_id")
_MEDICINE_BY_ID: Key[Mapping[str, Medicine]] = Key("medicine_by_id")


def derived(knowledge_base: KnowledgeBase) -> Store:
    """What is worked out from ``knowledge_base`` and kept with it (internal; see :mod:`crampkit._caches`).

    Its items by id and its signs by symptom, and, kept there by the modules
    that work them out, its medicine matcher, its safety-floor problems, its
    compiled plan for each region and language and its question index.
    """
    return knowledge_base._derived  # noqa: SLF001 - the one way to the store it keeps
