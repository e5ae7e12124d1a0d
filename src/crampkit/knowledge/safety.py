"""The safety floor: rules that every knowledge base meets, packaged or custom.

:func:`crampkit.knowledge.load.build` calls :func:`floor_problems` once for every
knowledge base it builds (the packaged one included) and
:func:`extension_changes` for every one that extends the packaged one, and
reports every problem found in one :class:`~crampkit.KnowledgeBaseError`.

**The floor** (:data:`RULES`, in order; append new rules to the list: each
takes the knowledge base and yields one :class:`~crampkit.Problem` per
problem, with its path in the knowledge base's JSON and a location naming the
section and id of the item):

* :func:`no_doses`: no text of any item (sources aside, which are titles of
  publications) gives a medicine dose, read as it looks (:func:`find_dose`);
* :func:`red_flags_need_care`: every red flag is at least ``routine``;
* :func:`emergencies_name_emergency_services`: the advice of every
  ``emergency`` red flag and sign, and its short form, says to call emergency
  services once its placeholders are resolved for each region (see
  :mod:`crampkit.text.regions`);
* :func:`source_links_are_https`: every source's link is ``https://``;
* :func:`ids_are_kebab_case`: every id matches the kebab-case pattern as a
  whole (a trailing line break is not allowed);
* :func:`placeholders_are_known`: every ``{name}`` in an item's text is a
  known placeholder (:data:`crampkit.text.regions.PLACEHOLDERS`);
* :func:`sign_problems`: every symptom has exactly one sign;
* :func:`drug_classes_file_ingredients_as_packaged`: no drug class files a
  packaged ingredient under a fact the packaged classes do not give it;
* :func:`treatment_problems`: every medicine an
  intervention's text names, read as it looks and with the packaged medicines
  too, is declared; a medicine is given only under a medicine category; and
  no treatment can reach anyone the exclusion table
  (:mod:`crampkit.knowledge.exclusions`) protects from it (a medication review
  gives no medicine: :attr:`crampkit.Intervention.medicines_given`);
* :func:`no_medicine_told_outside_medicine_items`: no text but a
  medicine item's (``pain-relief``, ``prescription-drug``, ``supplement``)
  tells anyone to take, give or use a medicine (a review may ask about one);
* :func:`warnings_name_only_their_own_medicines`: a red flag or sign names
  only the medicines its own criteria are about;
* :func:`escalations_are_clauses`: every part of the text that tells a person
  what to do and names a level of care above the item's own (for example
  "call {emergency} if ...") is stated by an escalation clause, every clause
  quotes that text, is above its item's urgency and has an id of its own,
  and an ``emergency`` clause's advice names emergency services (see
  :mod:`crampkit.knowledge.escalation`).

**Extension with a floor** (:func:`extension_changes`): an extending
knowledge base may add items freely, but it may remove (``disable``) or
replace a packaged item that carries safety only item by item, with a
reason under ``[overrides]``. A knowledge base that does not extend the
packaged one is held to the same rules for every item of a packaged section
and id whose content differs (the loader compares every custom knowledge
base with the packaged one):

* a red flag or a sign: removed, or replaced at all (its urgency, criteria
  and advice are the safety);
* a population rule: removed, or replaced at all;
* an intervention: removed or replaced so that a packaged contraindication
  (any of :data:`PROTECTED_INTERVENTION_FIELDS`) is lost, and a
  not-recommended one removed, made recommendable, or narrowed;
* a drug class: removed, or replaced so that it loses a packaged ingredient,
  name, ATC code or its fact (a medicine it no longer knows could miss a
  contraindication);
* an ingredient or a product: removed, or replaced so that it loses a
  packaged name, code or ingredient (a name it no longer resolves could
  miss a contraindication). These are named with their section, both in
  ``disable`` and under ``[overrides]``: ``products.zestoretic``.

Every packaged item that a knowledge base removes or replaces is recorded in
:attr:`crampkit.KnowledgeBase.changes`, with its reason when it needed one.
"""

import re
from collections.abc import Callable, Iterable, Iterator, Mapping

from crampkit._caches import Key, cached, recent
from crampkit._model.checks import every_text, strings
from crampkit._model.constraints import Id
from crampkit.exceptions import KnowledgeBaseError, Problem, ProblemCode, closest, did_you_mean, path_text, show
from crampkit.knowledge.escalation import care_level, clauses_of, own_level, parts, spoken_texts
from crampkit.knowledge.exclusions import exclusion_table
from crampkit.knowledge.items import (
    MEDICINE_SECTIONS,
    SECTIONS,
    ChangeKind,
    Criteria,
    DrugClass,
    Ingredient,
    Intervention,
    Item,
    KnowledgeBase,
    KnowledgeBaseChange,
    Medicine,
    PopulationRule,
    Product,
    RedFlag,
    Sign,
    Source,
    derived,
)
from crampkit.knowledge.medicines import MedicineMatcher, matcher, medicine_words, reference_matcher
from crampkit.text.confusables import skeleton
from crampkit.text.escape import https_link
from crampkit.text.regions import PLACEHOLDERS, REGIONS, placeholders_in, resolve
from crampkit.thresholds import FACT_LABELS
from crampkit.vocab import Category, Fact, Stance, Symptom, Urgency

__all__ = [
    "DOSE",
    "EMERGENCY_SERVICES",
    "MEDICINE_CATEGORIES",
    "NO_MEDICINE_CATEGORIES",
    "PROTECTED_INTERVENTION_FIELDS",
    "RULES",
    "Rule",
    "change_key",
    "check_floor",
    "criteria_cover",
    "emergencies_name_emergency_services",
    "escalations_are_clauses",
    "extension_changes",
    "find_dose",
    "floor_problems",
    "ids_are_kebab_case",
    "located_items",
    "no_doses",
    "placeholders_are_known",
    "red_flags_need_care",
    "sign_problems",
    "source_links_are_https",
    "treatment_problems",
]

_FLOOR: Key[tuple[Problem, ...]] = Key("floor")
"""The floor's problems with a knowledge base, kept with it."""

Rule = Callable[[KnowledgeBase], Iterable[Problem | str]]
"""A floor rule: one problem per way the knowledge base falls below the floor.

Each problem has the code ``below-safety-floor`` and its path in the knowledge
base's JSON (as :func:`crampkit.unstructure` gives it), such as
``("red_flags", 2, "urgency")``. A rule may yield a plain string instead: a
problem with the whole knowledge base.
"""

_NUMBER_WORDS = (
    "one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|thirteen|fourteen|fifteen|sixteen"
    "|seventeen|eighteen|nineteen|twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety|hundred|thousand"
)
_WORD_NUMBER = rf"(?:{_NUMBER_WORDS})(?:[\s-]+(?:and[\s-]+)?(?:{_NUMBER_WORDS}))*(?:[\s-]+and[\s-]+a[\s-]+half)?"
_DIGITS = r"[0-9]+(?:[.,][0-9]+)?(?:e[0-9]+)?"
_NUMBER = rf"(?:{_DIGITS}|{_WORD_NUMBER})(?:\s*(?:-|to|or)\s*(?:{_DIGITS}|{_WORD_NUMBER}))?"
"""A number in digits or words, or a range of them: ``300``, ``2.5``, ``two hundred``, ``1-2``, ``one or two``."""

_HOW_OFTEN_WORDS = (
    rf"(?:{_NUMBER})\s*(?:x|times)\s*(?:a\s+|per\s+|each\s+|every\s+)?(?:day|daily|night|nightly)\b"
    r"|(?:once|twice|thrice)\s+(?:a\s+|per\s+|each\s+|every\s+)?(?:day|daily|nightly)\b"
    rf"|every\s+{_NUMBER}\s*(?:hours?|hrs?|h)\b"
    rf"|{_NUMBER}[\s-]*hourly\b"
)
"""How often, in words: ``3 times a day``, ``twice daily``, ``every 8 hours``, ``4-hourly``."""

_DOSE_PATTERN = (
    r"\b(?=[0-9otfsenhqbpmadi])(?:"  # every dose starts with one of these: test that first, cheaply
    # an amount: a number and a unit of mass, volume or activity
    rf"{_NUMBER}[\s-]*(?:"
    r"mg|mgs|m\s+g|milli\s*-?\s*gram(?:me)?s?|g|gs|gm|gms|gram(?:me)?s?|mcg|mcgs|µg|μg|ug"
    r"|micro\s*-?\s*gram(?:me)?s?"
    r"|ml|mls|cc|ccs|millilit(?:re|er)s?|mmol|mmols|millimoles?|iu|i\.u\.?|international\s+units?"
    r"|\u043c\u0433|\u043c\u043a\u0433|\u043c\u043b|\u0433"  # Cyrillic mg, mcg, ml and g
    r"|units?(?!\s+(?:of\s+alcohol|a\s+week|per\s+week|each\s+week))"
    r")\b"
    # a count of doses
    rf"|(?:{_NUMBER}|half\s+a)[\s-]*"
    r"(?:tablets?|tabs?|capsules?|caps|pills?|sachets?|drops|puffs?|sprays?|squirts?|doses?|teaspoons?"
    r"|tablespoons?|spoonfuls?|lozenges?|suppositor(?:y|ies)|injections?|ampoules?|patch(?:es)?)\b"
    # a unit before its number, or a number of tablets of a strength
    rf"|(?:mg|mcg|ml|iu)[\s:]*{_DIGITS}\b"
    rf"|{_NUMBER}\s*x\s*{_DIGITS}\b"
    rf"|{_NUMBER}\s+{_DIGITS}s\b"
    r"|(?:a|one|single|double)\s+(?:tablet|tab|capsule|pill|teaspoon(?:ful)?|tablespoon(?:ful)?|spoonful|gram|sachet"
    r"|puff|spray)\b"
    r"|(?:a\s+)?double\s+doses?\b"
    rf"|(?:{_WORD_NUMBER})\s+[0-9]{{2,3}}s?\b"  # "one 200", "two 200s"
    rf"|(?:{_DIGITS}|one|two|three)\s+(?:at\s+(?:night|bedtime)|in\s+the\s+(?:morning|evening)|nightly)\b"
    r"|a\s+couple\s+of\s+(?:tablets?|tabs?|capsules?|pills?|sachets?|puffs?|sprays?|drops|doses?|spoonfuls?)\b"
    rf"|doses?\s+of\s+{_NUMBER}\b"
    # how often
    rf"|{_HOW_OFTEN_WORDS}"
    r"|(?:tds|t\.d\.s|qds|q\.d\.s|bd|b\.d|od|o\.d|bid|b\.i\.d|tid|t\.i\.d|qid|q\.i\.d|qd|q\.d|q[0-9]+h|prn|p\.r\.n"
    r"|nocte|mane|stat)\b"
    r")"
)


@cached
def dose_pattern() -> re.Pattern[str]:
    """:data:`DOSE`, compiled the first time a text is read (compiling it costs a fresh process milliseconds)."""
    return re.compile(_DOSE_PATTERN, re.IGNORECASE)


DOSE: re.Pattern[str]
"""An amount of a medicine, or how often to take it, in text read by :func:`find_dose`.

Amounts: a number (digits, words such as "two hundred", or a range) and a unit
(``300 mg``, ``300-mg``, ``2.5mgs``, ``two hundred milligrams``, ``500 μg``,
``10 ml``, ``мг``); counts (``seven tablets``, ``half a tablet``); how often
(``3 times a day``, ``twice daily``, ``every 8 hours``, ``4-hourly``, and the
prescription abbreviations ``tds``, ``bd``, ``qds``, ``od``, ``bid``, ``tid``,
``qid``, ``qd``, ``q4h``, ``prn``). Alcohol units a week (UK drinking
guidance, not a dose) are not a dose, nor are durations ("two weeks", "a few
minutes", "every day").

.. versionchanged:: 0.2
   Units written out or in other scripts, number words, ranges, "every N hours" and prescription
   abbreviations; text is read by :func:`find_dose`.
"""


@recent(65_536)
def find_dose(text: str) -> str | None:
    """The first dose in ``text`` as it reads (:func:`~crampkit.text.confusables.skeleton`), or ``None``.

    Fullwidth and other scripts' digits, unit symbols (``㎎``), superscripts and
    invisible characters (``300\u200bmg``) are read as they look. Results are
    kept: a knowledge base that extends the packaged one is mostly its text.

    >>> find_dose("Take \uff13\uff10\uff10\u338e at night"), find_dose("Stretch every day for two weeks.")
    ('300mg', None)

    .. versionadded:: 0.2
    """
    found = dose_pattern().search(skeleton(text))
    return None if found is None else found.group()


EMERGENCY_SERVICES = re.compile(r"\b(?:999|112|911|000)\b|\bemergency services\b", re.IGNORECASE)
"""What the advice of an ``emergency`` red flag must name, in every region.

.. versionchanged:: 0.2
   000 (Australia).
"""

_ID = Id()


_SECTION_OF: Mapping[type, str] = {cls: section for section, cls in (*SECTIONS.items(), *MEDICINE_SECTIONS.items())}
"""Each item class, and the section of a knowledge base that holds its items."""


def _where(item: Item | Medicine) -> str:
    return f"{_SECTION_OF[type(item)]} ({item.id})"


def change_key(section: str, item_id: str) -> str:
    """How ``disable`` and ``[overrides]`` name an item: its id, or for a medicine its section and id.

    >>> change_key("drug_classes", "lithium"), change_key("ingredients", "lithium")
    ('lithium', 'ingredients.lithium')

    .. versionadded:: 0.2
    """
    return f"{section}.{item_id}" if section in MEDICINE_SECTIONS else item_id


def located_items(knowledge_base: KnowledgeBase) -> Iterator[tuple[tuple[str, int], Item]]:
    """Every item with its path in the knowledge base's JSON, ``(section, index)``, in the order of ``items()``."""
    counts: dict[str, int] = {}
    for item in knowledge_base.items():
        section = _SECTION_OF[type(item)]
        counts[section] = index = counts.get(section, -1) + 1
        yield (section, index), item


def _below(path: tuple[str | int, ...], location: str, message: str) -> Problem:
    """A problem of the floor at ``path`` in the knowledge base, shown at ``location``."""
    return Problem(path, ProblemCode.BELOW_SAFETY_FLOOR, message, location=location)


@cached
def _how_often() -> re.Pattern[str]:
    """How often to take a medicine: what even a source's title may not say (its strengths may name a product)."""
    return re.compile(rf"\b(?:{_HOW_OFTEN_WORDS}|(?:tds|qds|bd|bid|tid|qid|nocte|mane)\b)", re.IGNORECASE)


def _medicines_located(knowledge_base: KnowledgeBase) -> Iterator[tuple[tuple[str, int], Medicine]]:
    for section in MEDICINE_SECTIONS:
        for index, medicine in enumerate(getattr(knowledge_base, section)):
            yield (section, index), medicine


def no_doses(knowledge_base: KnowledgeBase) -> Iterator[Problem]:
    """No item's or medicine's text gives a dose; a source's title or publisher may name a product's strength only.

    .. versionchanged:: 0.2
       Ingredients and products too; a source's title or publisher may not say how often to take anything.
    """
    readers: list[MedicineMatcher] = []  # made once, when an item that gives no medicine has a dose to read
    for at, item in (*located_items(knowledge_base), *_medicines_located(knowledge_base)):
        if isinstance(item, Source):
            for field in ("title", "publisher"):
                found = _how_often().search(skeleton(getattr(item, field) or ""))
                if found is not None:
                    message = f"says how often to take a medicine ({show(found.group())}); crampkit never gives doses"
                    yield _below((*at, field), f"{_where(item)}: {field}", message)
            continue
        if find_dose("\x00".join(strings(item))) is None:  # one search per item (kept); NUL ends any match
            continue
        for path, text in every_text(item):
            if isinstance(item, Intervention) and item.category not in MEDICINE_CATEGORIES:
                readers = readers or _readers(knowledge_base)
                found_dose = _medicine_dose(readers, text)
            else:
                found_dose = find_dose(text)
            if found_dose is not None:
                message = f"gives a dose ({show(found_dose)}); crampkit never gives doses"
                yield _below((*at, *path), f"{_where(item)}: {path_text(path)}", message)


_MEDICINE_AMOUNT = re.compile(
    r"\b(?:mg|mgs|m\s+g|milligram|mcg|µg|μg|ug|microgram|iu|i\.u|international|mmol|millimole|units?|tablets?|tabs?"
    r"|capsules?|caps|pills?|sachets?|drops|puffs?|sprays?|squirts?|doses?|lozenges?|suppositor|injections?"
    r"|ampoules?|patch|nocte|mane|stat|tds|t\.d\.s|qds|q\.d\.s|bd|b\.d|od|o\.d|bid|b\.i\.d|tid|t\.i\.d|qid|q\.i\.d"
    r"|qd|q\.d|prn|p\.r\.n|q[0-9]+h)"
    r"|\u043c\u0433|\u043c\u043a\u0433",
    re.IGNORECASE,
)
"""What makes an amount or a frequency a medicine's: its unit, a count of doses, or a prescription abbreviation."""


def _medicine_dose(readers: list[MedicineMatcher], text: str) -> str | None:
    """The first medicine dose in the text of an item that gives no medicine (a stretch, a drink), or ``None``.

    How much water, how much salt in food and how often to stretch are not
    doses ("Drink 500 ml of water", "Stretch 3 times a day"): an amount or a
    frequency there is a dose when its unit or words are a medicine's (mg,
    tablets, puffs, tds) or when its sentence names a medicine.
    """
    read = skeleton(text)
    for found in dose_pattern().finditer(read):
        if _MEDICINE_AMOUNT.search(found.group()):
            return found.group()
        start = max(read.rfind(mark, 0, found.start()) for mark in ".;:!?")
        ends = [end for end in (read.find(mark, found.end()) for mark in ".;:!?") if end >= 0]
        sentence = read[start + 1 : min(ends, default=len(read))]
        if any(reader.read(sentence, tolerant=True).classes for reader in readers):
            return found.group()
    return None


def red_flags_need_care(knowledge_base: KnowledgeBase) -> Iterator[Problem]:
    """Every red flag sends the person to a clinician: its urgency is at least ``routine``."""
    for index, flag in enumerate(knowledge_base.red_flags):
        if flag.urgency.level < Urgency.ROUTINE.level:
            message = f"a red flag must be at least routine, got {flag.urgency.value}"
            yield _below(("red_flags", index, "urgency"), f"{_where(flag)}: urgency", message)


def emergencies_name_emergency_services(knowledge_base: KnowledgeBase) -> Iterator[Problem]:
    """The advice of an ``emergency`` red flag or sign, and its short form, says to call emergency services.

    The text is checked as each region reads it (its placeholders resolved),
    so a placeholder can never leave a region without the number to call.
    """
    items: list[tuple[tuple[str, int], RedFlag | Sign]] = [
        *((("red_flags", index), flag) for index, flag in enumerate(knowledge_base.red_flags)),
        *((("signs", index), sign) for index, sign in enumerate(knowledge_base.signs)),
    ]
    for at, item in items:
        if item.urgency is not Urgency.EMERGENCY:
            continue
        kind = "red flag" if isinstance(item, RedFlag) else "sign"
        yield from _emergency_problems(at, _where(item), kind, {"advice": item.advice, "short": item.short})


def source_links_are_https(knowledge_base: KnowledgeBase) -> Iterator[Problem]:
    """Every source links to a plain ``https://`` address."""
    for index, source in enumerate(knowledge_base.sources):
        if https_link(source.url) is None:
            message = f"must be an https:// link, got {show(source.url)}"
            yield _below(("sources", index, "url"), f"{_where(source)}: url", message)


def ids_are_kebab_case(knowledge_base: KnowledgeBase) -> Iterator[Problem]:
    """Every id is kebab case, matched as a whole."""
    for at, item in located_items(knowledge_base):
        problem = _ID.problem(item.id)
        if problem is not None:
            yield _below((*at, "id"), f"{_where(item)}: id", problem)


def placeholders_are_known(knowledge_base: KnowledgeBase) -> Iterator[Problem]:
    """Every ``{name}`` in an item's text is a known placeholder, so no region shows it as typed."""
    for at, item in located_items(knowledge_base):
        if "{" not in "\x00".join(strings(item)):  # one test per item
            continue
        for path, text in every_text(item):
            unknown = sorted(placeholders_in(text) - PLACEHOLDERS.keys())
            if unknown:
                message = (
                    f"unknown placeholder {', '.join('{' + name + '}' for name in unknown)} "
                    f"(known: {', '.join('{' + name + '}' for name in PLACEHOLDERS)})"
                )
                yield _below((*at, *path), f"{_where(item)}: {path_text(path)}", message)


# -- signs and treatments --------------------------------------------------------------------------


def sign_problems(knowledge_base: KnowledgeBase) -> Iterator[Problem]:
    """Every symptom has exactly one sign."""
    seen: dict[Symptom, str] = {}
    for index, sign in enumerate(knowledge_base.signs):
        if sign.symptom in seen:
            message = f"symptom {sign.symptom.value!r} already has the sign {seen[sign.symptom]!r}"
            yield _below(("signs", index, "symptom"), sign.id, message)
        seen.setdefault(sign.symptom, sign.id)
    missing = [symptom.value for symptom in Symptom if symptom not in seen]
    if missing:
        message = f"every symptom needs a sign with its standalone urgency; missing: {', '.join(missing)}"
        yield _below(("signs",), "signs", message)


def _texts(intervention: Intervention) -> Iterator[str]:
    yield intervention.name
    yield intervention.summary
    yield from intervention.instructions


MEDICINE_CATEGORIES: frozenset[Category] = frozenset(
    {Category.PAIN_RELIEF, Category.PRESCRIPTION_DRUG, Category.SUPPLEMENT}
)
"""The categories of an intervention that gives a medicine (the exclusion table's rows withhold them by name).

.. versionadded:: 0.2
"""

NO_MEDICINE_CATEGORIES: frozenset[Category] = frozenset(
    {
        Category.STRETCHING,
        Category.MASSAGE,
        Category.HEAT_OR_COLD,
        Category.MOVEMENT,
        Category.SLEEP_POSITION,
        Category.BEDDING,
        Category.FOOTWEAR,
        Category.EXERCISE_HABITS,
        Category.WEIGHT,
        Category.REFERRAL,
        Category.LEAFLET,
    }
)
"""The categories of an intervention that names no medicine at all: things to do with the body and the bed, and a
clinic's own referrals and leaflets (whose words the floor reads, but not the leaflet behind a link).

.. versionadded:: 0.2
.. versionchanged:: 0.2
   ``referral`` and ``leaflet``.
"""


def _readers(knowledge_base: KnowledgeBase) -> list[MedicineMatcher]:
    """The knowledge base's own medicine matcher, and the packaged medicines' when its medicines differ."""
    own, packaged = matcher(knowledge_base), reference_matcher(knowledge_base)
    return [packaged] if own.same_medicines(packaged) else [own, packaged]  # the packaged one has read it before


def _named(readers: list[MedicineMatcher], intervention: Intervention) -> tuple[frozenset[Fact], list[str]]:
    """The drug-class facts an intervention's text names, and the ingredients and products no class covers."""
    class_words = intervention.category is not Category.MEDICATION_REVIEW
    facts: set[Fact] = set()
    unclassed: set[str] = set()
    named: set[str] = set()
    for text in _texts(intervention):
        for reader in readers:
            found = reader.read(text, class_words=class_words, tolerant=True)
            facts.update(drug_class.fact for drug_class in found.classes)
            named.update(found.ingredients)
    for ingredient in named:
        if not any(reader.classed(ingredient) for reader in readers):
            unclassed.add(ingredient)
    return frozenset(facts), sorted(named if intervention.category in NO_MEDICINE_CATEGORIES else unclassed)


def treatment_problems(knowledge_base: KnowledgeBase) -> Iterator[Problem]:
    """Every medicine named is declared and checkable, and no treatment reaches anyone the table protects from it.

    Each intervention's name, summary and instructions are read through the
    medicine resolver (:meth:`~crampkit.knowledge.medicines.MedicineMatcher.read`:
    look-alike letters, invisible characters, brands, plurals, hyphenation and
    class words such as "an NSAID"), with the knowledge base's own medicines
    and the packaged ones. Then:

    * every drug class it names must be listed in its ``medicines``;
    * one that gives a medicine (:attr:`~crampkit.Intervention.medicines_given`)
      must be filed under one of :data:`MEDICINE_CATEGORIES`;
    * one of :data:`NO_MEDICINE_CATEGORIES` (stretching, massage...) names no
      medicine at all, and one of :data:`MEDICINE_CATEGORIES` names no
      ingredient that no drug class covers (the floor could not check who must
      not take it);
    * for every row of :func:`~crampkit.knowledge.exclusions.exclusion_table`
      and every intervention it covers, each smallest set of facts that meets
      the row must leave the intervention out through the knowledge base's own
      contraindications or population rules (:meth:`crampkit.KnowledgeBase.exclusions`).

    .. versionchanged:: 0.2
       Held to the exclusion table (was a short list in the code); names read as they look, with the
       packaged medicines too; medicines only in a medicine category.
    """
    table = exclusion_table()
    readers = _readers(knowledge_base)
    for index, intervention in enumerate(knowledge_base.interventions):
        named, unchecked = _named(readers, intervention)
        undeclared = sorted(named - intervention.medicines)
        if undeclared:
            message = f"its text names {', '.join(undeclared)}; list them in medicines"
            yield _below(("interventions", index, "medicines"), f"{intervention.id}: medicines", message)
        given = sorted(intervention.medicines_given)
        if given and intervention.category not in MEDICINE_CATEGORIES:
            message = (
                f"gives a medicine ({', '.join(given)}) but is filed under {intervention.category.value}; "
                f"a medicine is given as {', '.join(sorted(MEDICINE_CATEGORIES))} "
                "(an item that only asks about a medicine is a medication-review)"
            )
            yield _below(("interventions", index, "category"), f"{intervention.id}: category", message)
        if unchecked and intervention.category in NO_MEDICINE_CATEGORIES:
            message = (
                f"its text names a medicine ({', '.join(unchecked)}), and a {intervention.category.value} item gives "
                f"none; a medicine is given as {', '.join(sorted(MEDICINE_CATEGORIES))}"
            )
            yield _below(("interventions", index, "category"), f"{intervention.id}: category", message)
        elif unchecked and intervention.category in MEDICINE_CATEGORIES:
            message = (
                f"its text names {', '.join(unchecked)}, which no drug class covers, so the floor cannot check "
                "who must not take it; add it to a drug class and list the class in medicines"
            )
            yield _below(("interventions", index, "medicines"), f"{intervention.id}: medicines", message)
        rules = [when for when, _ in knowledge_base.exclusion_rules(intervention)]  # gathered once per item
        missed = dict.fromkeys(
            (row.id, case)
            for row in table
            if row.covers(intervention)
            for case in row.cases()
            if not any(when.matches(case) for when in rules)
        )
        for row_id, case in missed:
            facts = ", ".join(f"{fact.value} ({FACT_LABELS[fact]})" for fact in sorted(case))
            message = (
                f"must be left out when {facts} holds (exclusion table, row {row_id}): "
                "add a contraindication or a population rule"
            )
            yield _below(("interventions", index, "contraindications"), intervention.id, message)


def _emergency_problems(
    at: tuple[str | int, ...], where: str, kind: str, texts: dict[str, str | None]
) -> Iterator[Problem]:
    for name, text in texts.items():
        if text is None:
            continue
        missing = [region for region in REGIONS if not EMERGENCY_SERVICES.search(resolve(text, region))]
        if missing:
            message = (
                f"an emergency {kind} must say to call emergency services "
                f"(name them, 999, 112, 911 or 000, or use {{emergency}}); not in region {', '.join(missing)}"
            )
            yield _below((*at, name), f"{where}: {name}", message)


def escalations_are_clauses(knowledge_base: KnowledgeBase) -> Iterator[Problem]:
    """Every condition the advice names for a higher level of care is an escalation clause, and every clause is sound.

    Each part of a red flag's, sign's, intervention's or population rule's
    advice (see :func:`~crampkit.knowledge.escalation.spoken_texts`) that names a
    level of care above the item's own must contain the ``says`` of one of its
    clauses at that level or higher. Each clause must be above its item's
    urgency, quote the item's text, have an id no item or other clause has,
    and, at ``emergency``, say to call emergency services.

    .. versionadded:: 0.2
    """
    ids = set(knowledge_base.by_id)
    for at, item in located_items(knowledge_base):
        if not isinstance(item, RedFlag | Sign | Intervention | PopulationRule):
            continue
        level, clauses = own_level(item), clauses_of(item)
        texts = list(spoken_texts(item))
        for path, text in texts:
            for part in parts(text):
                named = care_level(part)
                if named is None or named.level <= level.level:
                    continue
                if any(clause.says in part and clause.urgency.level >= named.level for clause in clauses):
                    continue
                message = (
                    f"names {named.value} care above the item's own urgency ({level.value}) in {show(part)}, "
                    "on a condition no escalation clause states: add an escalation whose 'says' quotes the "
                    f"condition, at {named.value} or higher"
                )
                yield _below((*at, *path), f"{_where(item)}: {path_text(path)}", message)
        for index, clause in enumerate(clauses):
            here = (*at, "escalations", index)
            where = f"{_where(item)}: escalation {clause.id}"
            if clause.urgency.level <= level.level:
                message = f"an escalation must be above its item's urgency ({level.value}), got {clause.urgency.value}"
                yield _below((*here, "urgency"), where, message)
            if not any(clause.says in text for _, text in texts):
                message = (
                    f"'says' must quote the item's advice, short form or watch_for; {show(clause.says)} is not in it"
                )
                yield _below((*here, "says"), where, message)
            if clause.recordable and clause.advice is None:
                message = "an escalation crampkit can check (one with 'when') needs advice"
                yield _below((*here, "advice"), where, message)
            if clause.id in ids:
                yield _below((*here, "id"), where, f"the id {show(clause.id)} is already used")
            ids.add(clause.id)
            if clause.urgency is Urgency.EMERGENCY:
                yield from _emergency_problems(
                    here, where, "escalation", {"advice": clause.advice, "short": clause.short}
                )


_CLAUSE_BREAK = re.compile(r"[.;:!?,()\[\]]|\b(?:then|and|but|or|so)\b", re.IGNORECASE)
_GIVING = re.compile(
    r"\b(?:take|takes|taking|took|give|gives|giving|use|uses|using|try|trying|start|starting|swallow|"
    r"swallowing|buy|buying|apply|applying|rub|chew|dissolve|inhale|sip|drink|get|getting|prescribe"
    r"|sell|sells|supply|order|ask(?:\s+\w+){0,3}\s+for)\b",
    re.IGNORECASE,
)
_HELD_BACK = re.compile(
    r"^\s*(?:if|when|whether|unless|once)\s+(?:you|they|he|she|someone|your\s+child)\s+(?:take|takes|took|use|uses"
    r"|are|is|have|has|started|start)\b"
    r"|\b(?:not|never|don't|dont|stop|stopping|avoid|keep|keeping|continue|say|says|saying|tell|telling|mention"
    r"|bring|review|reviewed|record\s+book|results?|leaflet|alert\s+card)\b"
    r"|\b(?:if|when|while|whether|unless|once|since|before|until)\s+(?:you|they|he|she|someone|your\s+child)\s+"
    r"(?:take|takes|took|are\s+taking|is\s+taking|have\s+been\s+taking|use|uses|are\s+on|is\s+on|started)\b"
    r"|\b(?:while|when|after|before|since)\s+(?:taking|using|on)\b"
    r"|\b(?:you|they)\s+(?:already\s+)?(?:take|are\s+taking|use|are\s+on)\s*$",
    re.IGNORECASE,
)
"""What makes a clause about what someone already takes, or what not to do, rather than an instruction."""


_MEDICINE_KINDS = re.compile(
    r"\b(?:painkillers?|pain-?\s?killers?|anti-?\s?inflammator(?:y|ies)|muscle\s+relaxants?|salt\s+tablets?"
    r"|sleeping\s+(?:tablets?|pills?)|tablets?|pills?|capsules?)\b",
    re.IGNORECASE,
)
"""Words for a kind of medicine that name none in particular ("a painkiller", "an anti-inflammatory")."""


def giving_clauses(text: str) -> Iterator[str]:
    """The clauses of ``text`` that tell the reader to take, give or use something (not "if you take...").

    The text is read as it looks first (:func:`~crampkit.text.confusables.skeleton`), so invisible
    characters cannot split a verb. A clause ends at punctuation and at "then", "and", "but", "or", "so";
    one that is about what someone already takes ("if you take", "while taking", "say that you take",
    "keep taking your statin") or what not to do ("do not", "never", "stop", "avoid") tells no one to take
    anything.

    .. versionadded:: 0.2
    """
    for clause in _CLAUSE_BREAK.split(skeleton(text)):
        if clause and _GIVING.search(clause) and not _HELD_BACK.search(clause):
            yield clause.strip()


def _where_told(knowledge_base: KnowledgeBase) -> Iterator[tuple[tuple[str | int, ...], str, str]]:
    """(path, location, text) of every text that may not tell anyone to take a medicine.

    What red flags and signs tell the reader to do (their advice and short
    forms, their escalations' too), population rules' reasons, and all the
    text of the interventions that are not filed as giving medicines.
    """
    for section in ("red_flags", "signs", "population_rules"):
        for index, item in enumerate(getattr(knowledge_base, section)):
            for path, text in every_text(item):
                if path[-1] in {"advice", "short", "reason"}:
                    yield (section, index, *path), f"{section} ({item.id}): {path_text(path)}", text
    for index, intervention in enumerate(knowledge_base.interventions):
        if intervention.category in MEDICINE_CATEGORIES:
            continue
        for path, text in every_text(intervention):
            if path[0] != "sources":
                yield ("interventions", index, *path), f"interventions ({intervention.id}): {path_text(path)}", text


def no_medicine_told_outside_medicine_items(knowledge_base: KnowledgeBase) -> Iterator[Problem]:
    """No text but a medicine item's tells anyone to take, give or use a medicine.

    A red flag's advice, a sign's, a review's or a stretch's text may name a
    medicine to ask about it ("ask whether your statin could be the cause"),
    but a clause that tells the reader to take, give or use one (see
    :func:`giving_clauses`) is refused: only ``pain-relief``,
    ``prescription-drug`` and ``supplement`` items give medicines, and only
    they are held to the exclusion table. Names are read as the engine reads
    them, class words included ("take NSAIDs").

    .. versionadded:: 0.2
    """
    readers = _readers(knowledge_base)
    for path, where, text in _where_told(knowledge_base):
        for clause in giving_clauses(text):
            found = [reader.read(clause, tolerant=True) for reader in readers]
            names = sorted(
                {drug_class.id for resolution in found for drug_class in resolution.classes}
                | {name for resolution in found for name in resolution.ingredients}
                | {word.group().lower() for word in _MEDICINE_KINDS.finditer(clause)}
            )
            if names:
                message = (
                    f"tells the reader to take or give a medicine ({', '.join(names)}: {clause!r}); only "
                    f"{', '.join(sorted(category.value for category in MEDICINE_CATEGORIES))} items give medicines"
                )
                yield _below(path, where, message)


def drug_classes_file_ingredients_as_packaged(knowledge_base: KnowledgeBase) -> Iterator[Problem]:
    """No drug class files a packaged ingredient under a fact the packaged drug classes do not give it.

    The packaged medicines say what an ingredient is: a class of ``drug-ppi``
    may not gather baclofen (a muscle relaxant the packaged classes file
    under none), or the exclusion table would miss who must not take it. A
    class may gather ingredients the packaged medicines do not know, and the
    packaged ingredients they file under its fact.

    .. versionadded:: 0.2
    """
    reference = reference_matcher(knowledge_base)
    for index, drug_class in enumerate(knowledge_base.drug_classes):
        for position, ingredient_id in enumerate(drug_class.ingredients):
            facts = reference.facts_of(ingredient_id)
            if facts is None or drug_class.fact in facts:
                continue
            filed = ", ".join(sorted(fact.value for fact in facts)) or "no drug class"
            message = (
                f"files the packaged ingredient {ingredient_id} under {drug_class.fact.value}; the packaged "
                f"medicines file it under {filed}"
            )
            yield _below(("drug_classes", index, "ingredients", position), f"drug_classes ({drug_class.id})", message)


def _criteria_facts(criteria: Criteria) -> set[Fact]:
    return {*criteria.all_of, *criteria.any_of, *(fact for group in criteria.each_of for fact in group)}


def warnings_name_only_their_own_medicines(knowledge_base: KnowledgeBase) -> Iterator[Problem]:
    """A red flag or a sign names only the medicines that its own criteria are about.

    Their words reach everyone they fire for, shown first ("Do this first"),
    and nothing holds them to the exclusion table: so they may name a
    medicine only when the person takes it (the lithium warning names
    lithium; its criteria hold ``drug-lithium``), never to offer one
    ("meanwhile an ibuprofen should help", "chew an aspirin while you
    wait"). Names are read as the floor reads them; medicines no drug class
    covers (such as caffeine) are not held to this.

    .. versionadded:: 0.2
    """
    readers = _readers(knowledge_base)
    classes = {drug_class for reader in readers for drug_class in reader.drug_classes}
    for section in ("red_flags", "signs"):
        for index, item in enumerate(getattr(knowledge_base, section)):
            facts = _criteria_facts(item.when) if isinstance(item, RedFlag) else set()
            for escalation in item.escalations:
                facts |= _criteria_facts(escalation.when) if escalation.when is not None else set()
            own = {
                ingredient
                for drug_class in classes
                if drug_class.fact in facts
                for ingredient in drug_class.ingredients
            }
            for path, text in every_text(item):
                if not _WARNING_FIELDS.intersection(step for step in path if isinstance(step, str)):
                    continue
                foreign = sorted(
                    {
                        drug_class.id
                        for sentence in _SENTENCE_BREAK.split(skeleton(text))
                        if not _HELD_BACK.search(sentence)
                        for reader in readers
                        for drug_class in reader.read(sentence, tolerant=True).classes
                        if drug_class.fact not in facts and not own.intersection(drug_class.ingredients)
                    }
                )
                if foreign:
                    message = (
                        f"names {', '.join(foreign)}, which its criteria are not about; a red flag or sign names "
                        "only the medicines the person takes (its criteria's), never one to take"
                    )
                    yield _below((section, index, *path), f"{section} ({item.id}): {path_text(path)}", message)


_WARNING_FIELDS = frozenset({"name", "summary", "why", "advice", "short", "watch_for", "says", "reason"})
_SENTENCE_BREAK = re.compile(r"[.;:!?]")


RULES: list[Rule] = [
    no_doses,
    red_flags_need_care,
    emergencies_name_emergency_services,
    source_links_are_https,
    ids_are_kebab_case,
    placeholders_are_known,
    sign_problems,
    drug_classes_file_ingredients_as_packaged,
    treatment_problems,
    no_medicine_told_outside_medicine_items,
    warnings_name_only_their_own_medicines,
    escalations_are_clauses,
]
"""The floor, in order. Append new rules here."""


def floor_problems(knowledge_base: KnowledgeBase) -> tuple[Problem, ...]:
    """Every way ``knowledge_base`` falls below the safety floor; empty when it meets it.

    Each is a :class:`~crampkit.Problem` with the code ``below-safety-floor``,
    its path in the knowledge base's JSON and a location naming the section and
    the item. :func:`crampkit.load_knowledge_base` refuses a knowledge base
    with any, and every public function that takes a knowledge base refuses
    one built another way (in Python, or with :func:`crampkit.structure`).
    Worked out once, then kept with the knowledge base.

    .. versionadded:: 0.2
    """
    return derived(knowledge_base).get(
        _FLOOR,
        lambda: tuple(
            problem if isinstance(problem, Problem) else Problem((), ProblemCode.BELOW_SAFETY_FLOOR, str(problem))
            for rule in RULES
            for problem in rule(knowledge_base)
        ),
    )


_PACKAGED_RULES = tuple(RULES)
"""The floor's rules as the package defines them (what the wheel's snapshot was checked with)."""


def rules_as_packaged() -> bool:
    """Whether the floor's rules are still those of the package: none added, removed or replaced at run time."""
    return tuple(RULES) == _PACKAGED_RULES


def met_when_built(knowledge_base: KnowledgeBase) -> None:
    """Record that ``knowledge_base`` met the floor when it was built: for the packaged snapshot only (internal).

    :mod:`crampkit.knowledge._snapshot` gives back a knowledge base only when
    every file of the package that built and checked it is unchanged, and it
    is used only while the rules are as packaged (:func:`rules_as_packaged`),
    so the floor's answer then is its answer now.
    """
    derived(knowledge_base).get(_FLOOR, tuple)


def check_floor(knowledge_base: KnowledgeBase) -> None:
    """Refuse ``knowledge_base`` if it falls below the safety floor.

    Raises:
        KnowledgeBaseError: It does; every problem is one of its :func:`floor_problems`.

    .. versionadded:: 0.2
    """
    problems = floor_problems(knowledge_base)
    if problems:
        raise KnowledgeBaseError(problems)


# -- extension ------------------------------------------------------------------------------------

PROTECTED_INTERVENTION_FIELDS: list[str] = ["contraindications"]
"""Intervention fields whose packaged entries an extension must keep (each a tuple of items with ``when``)."""


def criteria_cover(wider: Criteria, narrower: Criteria) -> bool:
    """Whether ``wider`` holds for every set of facts that ``narrower`` holds for.

    Sound but not complete: it may say no for criteria that are in fact
    wider, never yes for criteria that are not.
    """
    certain = narrower.all_of | (narrower.any_of if len(narrower.any_of) == 1 else frozenset())
    return (
        wider.all_of <= certain
        and wider.none_of <= narrower.none_of
        and (
            not wider.any_of
            or not wider.any_of.isdisjoint(narrower.all_of)
            or (bool(narrower.any_of) and narrower.any_of <= wider.any_of)
        )
    )


def _lost_contraindications(old: Intervention, new: Intervention) -> list[str]:
    lost = []
    for name in PROTECTED_INTERVENTION_FIELDS:
        kept = getattr(new, name)
        lost += [
            f"drops one of its packaged {name.replace('_', ' ')} ({show(entry.reason)})"
            for entry in getattr(old, name)
            if not any(criteria_cover(other.when, entry.when) for other in kept)
        ]
    return lost


def _why_protected(old: Item | Medicine, new: Item | Medicine | None) -> list[str]:
    """What makes removing ``old`` (``new`` is ``None``) or replacing it with ``new`` need a reason."""
    if isinstance(old, RedFlag | Sign):
        kind = "red flag" if isinstance(old, RedFlag) else "sign"
        if not isinstance(new, type(old)):
            return [f"removes a packaged {kind}"]
        why = [f"replaces a packaged {kind}"]
        if new.urgency.level < old.urgency.level:
            why.append(f"lowers its urgency from {old.urgency.value} to {new.urgency.value}")
        if isinstance(old, RedFlag) and isinstance(new, RedFlag) and not criteria_cover(new.when, old.when):
            why.append("no longer fires for every profile it fired for")
        return why
    if isinstance(old, PopulationRule):
        return ["removes a packaged population rule"] if new is None else ["replaces a packaged population rule"]
    if isinstance(old, Intervention):
        return _why_intervention(old, new if isinstance(new, Intervention) else None)
    if isinstance(old, DrugClass):
        if not isinstance(new, DrugClass):
            return ["removes a packaged drug class (its medicines would no longer be recognised)"]
        why = _lost(old, new, ("ingredients", "generic_names", "brand_names", "atc_codes"))
        if new.fact is not old.fact:
            why.append(f"changes its fact from {old.fact.value} to {new.fact.value}")
        return why
    if isinstance(old, Ingredient | Product):
        kind = "ingredient" if isinstance(old, Ingredient) else "product"
        if not isinstance(new, type(old)):
            return [f"removes a packaged {kind} (its names would no longer be recognised)"]
        fields = ("names", "atc_codes", "rxnorm") if isinstance(old, Ingredient) else ("names", "ingredients", "rxnorm")
        return _lost(old, new, fields)
    return []


def _lost(old: object, new: object, fields: tuple[str, ...]) -> list[str]:
    """The packaged values of ``fields`` that ``new`` drops (names compared as they are matched)."""
    why = []
    for field in fields:
        kept, had = set(getattr(new, field)), set(getattr(old, field))
        if field == "names":
            kept, had = {_name_words(name) for name in kept}, {_name_words(name) for name in had}
        if not had <= kept:
            why.append(f"drops packaged {field.replace('_', ' ')}")
    return why


def _name_words(name: str) -> str:
    return " ".join(medicine_words(name))


def _why_intervention(old: Intervention, new: Intervention | None) -> list[str]:
    warning = old.stance is Stance.NOT_RECOMMENDED
    if new is None:
        if warning:
            return ["removes a packaged warning (a not-recommended intervention)"]
        return ["removes a packaged intervention with contraindications"] if old.contraindications else []
    why = _lost_contraindications(old, new)
    if warning and new.stance is not Stance.NOT_RECOMMENDED:
        why.append(f"makes a not-recommended intervention {new.stance.value}")
    elif warning and not criteria_cover(new.when, old.when):
        why.append("no longer warns every profile it warned")
    return why


def extension_changes(
    base: KnowledgeBase,
    replaced: Mapping[str, Item | Medicine],
    removed: Iterable[str],
    overrides: Mapping[str, str],
) -> tuple[list[KnowledgeBaseChange], list[Problem]]:
    """The changes an extension makes to the packaged ``base``, and the problems with them.

    Items are named as ``disable`` and ``[overrides]`` name them (:func:`change_key`).

    Args:
        base: The packaged knowledge base.
        replaced: The extension's items that replace packaged ones, by name.
        removed: The names of packaged items it removes.
        overrides: Its reasons, by name, for changes that need one.

    Returns:
        One :class:`~crampkit.KnowledgeBaseChange` per packaged item removed
        or replaced, in the packaged order, and one problem per change that
        needs a reason and has none (``needs-override``, at the reason's
        place under ``overrides``), and per reason that matches no change
        (``unknown-reference``).
    """
    removed = set(removed)
    changes: list[KnowledgeBaseChange] = []
    problems: list[Problem] = []
    changed: set[str] = set()
    olds: list[Item | Medicine] = [*base.items(), *base.medicines()]
    for old in olds:
        section = _SECTION_OF[type(old)]
        key = change_key(section, old.id)
        if key not in removed and key not in replaced:
            continue
        new = None if key in removed else replaced[key]
        kind = ChangeKind.REMOVED if new is None else ChangeKind.REPLACED
        why = _why_protected(old, new)
        reason = overrides.get(key)
        if why and reason is None:
            message = f'{"; ".join(why)}. To do this on purpose, give the reason under [overrides] ({key} = "...")'
            problems.append(Problem(("overrides", key), ProblemCode.NEEDS_OVERRIDE, message, location=_where(old)))
        changes.append(KnowledgeBaseChange(id=old.id, section=section, kind=kind, reason=reason))
        changed.add(key)
    for item_id in overrides:
        if item_id not in changed:
            suggestion = closest(item_id, sorted(changed))
            message = did_you_mean("no packaged item of that id is removed or replaced here", suggestion)
            location = f"overrides: {show(item_id)}"
            path = ("overrides", item_id)
            problems.append(
                Problem(path, ProblemCode.UNKNOWN_REFERENCE, message, location=location, suggestion=suggestion)
            )
    return changes, problems


def __getattr__(name: str) -> object:
    """:data:`DOSE`, compiled when first asked for."""
    if name == "DOSE":
        return dose_pattern()
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
