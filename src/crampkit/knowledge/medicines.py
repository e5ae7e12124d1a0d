"""Medicine names: how they are normalised and resolved to ingredients and drug classes (the one place for both).

A name resolves to the ingredients it names, and a drug class matches when it
covers one of them (its ``ingredients``), when the name
holds one of the class's own names, or when it holds a WHO ATC code that
starts with one of the class's codes.

How a name is read (:func:`medicine_words`): it is first read as it looks
(:func:`crampkit.text.confusables.skeleton`: NFKC, format characters such as
the soft hyphen and zero-width spaces removed, look-alike Cyrillic and Greek
letters read as Latin ones), then case and accents are ignored;
letters are split from digits (``"simvastatin40"``); hyphens, spaces, ``+``,
``/`` and the words "and" and "with" separate words (``"co amilofruse"`` is
``"co-amilofruse"``; a "co" before a word is joined to it, so ``"CoAprovel"``
is ``"Co-Aprovel"``); numbers are left out. Then, from the left, the longest
known name is taken (``"diovan hct"`` before ``"diovan"``, ``"burinex a"``
before ``"burinex"``), and words that are no name are passed over: strengths,
units, forms and salts (:data:`NOISE`), and anything else. A word that is no
name may still be taken for one when it differs from a name of six letters or
more only by a final "e" (``"furosemid"``, ``"atorvastatine"``), or, when it
has :data:`FUZZY_LENGTH` letters or more, is no word of any name and is not
noise, when exactly one one-word ingredient name of that length or more is
one edit away (:func:`edit_distance`: ``"bendroflumethazide"``). Brand
names are never taken as misspelt: brands that differ by one letter are
common (Aldactide and the diagnostic alsactide), while international
non-proprietary names are chosen to stand apart. Names are never matched by
their beginning alone, so a brand's stem never stands for the brand.
``RxNorm 617310`` (or ``RXCUI 617310``) names the ingredient or product that
carries that RxNorm code.

:class:`MedicineMatcher` does this for one knowledge base, remembering the
answer for up to :data:`CACHE_SIZE` names (the same names recur across
profiles); the knowledge base keeps it (see
:func:`crampkit.knowledge.items.derived`), so there is no module-level cache.
"""

import re
import unicodedata
from collections.abc import Iterable, Iterator, Mapping
from functools import lru_cache
from pathlib import Path
from types import MappingProxyType

import attrs

from crampkit._caches import Key, cached
from crampkit._model.convert import structure
from crampkit.knowledge.items import DrugClass, Ingredient, KnowledgeBase, Medicine, Product, derived
from crampkit.text.confusables import skeleton
from crampkit.vocab import Fact

__all__ = [
    "CACHE_SIZE",
    "FUZZY_LENGTH",
    "MATCHER",
    "NOISE",
    "SHORTEST_E_NAME",
    "MedicationMatch",
    "MedicineMatcher",
    "Resolution",
    "class_names",
    "edit_distance",
    "matcher",
    "medicine_words",
    "name_key",
    "packaged_medicines",
    "reference_matcher",
    "tidy",
]

CACHE_SIZE = 4096
"""How many distinct medicine names a matcher remembers (least recently used are forgotten)."""

FUZZY_LENGTH = 8
"""The fewest letters a word needs to be taken for a name one edit away (shorter words are too alike)."""

SHORTEST_E_NAME = 6
"""The fewest letters a name needs for a word that differs from it only by a final "e" to match it."""

_SEPARATORS = frozenset({"and", "with"})
"""Words that only join the parts of a combination ("valsartan and hydrochlorothiazide")."""

NOISE: frozenset[str] = frozenset(
    {
        # strengths and units
        *("mg", "mcg", "microgram", "micrograms", "ug", "g", "gram", "grams", "milligram", "milligrams"),
        *("ml", "l", "iu", "unit", "units", "mmol", "dose", "doses", "strength", "hr", "hour", "hours"),
        # forms and how they are given
        *("tablet", "tablets", "tab", "tabs", "capsule", "capsules", "cap", "caps", "oral", "solution"),
        *("suspension", "liquid", "syrup", "elixir", "injection", "injectable", "inj", "infusion", "cream"),
        *("gel", "ointment", "patch", "patches", "spray", "drops", "inhaler", "inhalation", "powder"),
        *("sachet", "sachets", "lozenge", "lozenges", "granules", "pen", "prefilled", "syringe", "vial"),
        *("dispersible", "soluble", "effervescent", "chewable", "film", "coated", "enteric", "gastro"),
        *("resistant", "prolonged", "modified", "delayed", "extended", "sustained", "controlled"),
        *("release", "retard", "mr", "xl", "la", "sr", "er", "cr", "ec", "xr", "dr", "e", "c", "pr"),
        *("disintegrating", "orodispersible", "pack", "tube", "bottle", "box", "strip", "generic"),
        *("usp", "bp", "ph", "eur", "nf"),
        # inhaler devices
        *("accuhaler", "evohaler", "turbohaler", "easyhaler", "ellipta", "diskus", "respimat", "handihaler"),
        *("breezhaler", "genuair", "nexthaler", "spiromax", "autohaler", "clickhaler", "aerosol", "mdi", "dpi"),
        *("nebules", "respules", "metered", "puff", "puffs", "pressurised", "pressurized"),
        # when and how often
        *("daily", "once", "twice", "day", "od", "bd", "bid", "tds", "tid", "qds", "qid", "nocte"),
        *("mane", "prn", "as", "needed", "required", "morning", "night", "at", "in", "the", "per", "every"),
        *("take", "one", "two", "each", "weekly", "week", "month", "monthly", "by", "mouth", "of", "for"),
        # salts and forms of a substance
        *("hydrochloride", "hcl", "dihydrochloride", "potassium", "dipotassium", "sodium", "disodium"),
        *("calcium", "maleate", "fumarate", "hemifumarate", "erbumine", "arginine", "besylate", "besilate"),
        *("cilexetil", "medoxomil", "tartrate", "succinate", "hemihydrate", "dihydrate", "monohydrate"),
        *("trihydrate", "sesquihydrate", "anhydrous", "mesylate", "mesilate", "sulfate", "sulphate"),
        *("bisulphate", "bisulfate", "phosphate", "citrate", "carbonate", "acetate", "bromide"),
        *("hydrobromide", "valerate", "etexilate", "hyclate", "lysine", "trometamol", "base", "salt"),
        *("propionate", "dipropionate", "furoate", "xinafoate"),
    }
)
"""Words passed over when they are not part of a name: strengths, units, forms, when to take it, salts.

They are never taken for a name one edit away, so adding them to a name never changes what it matches.
"""

_LETTERS_OR_DIGITS = re.compile(r"[^\W\d_]+|\d+")
_WORDS = re.compile(r"[^\W_]+")
_JOINED = re.compile(r"(?<=[^\W\d_])(?:[^\w\s]|_)+(?=[^\W\d_])")
"""Punctuation between two letters (``"ibu-profen"``), which prose is read once without."""
_RXNORM = re.compile(r"\b(?:rxnorm|rxcui)\s*[:#]?\s*([0-9]{1,10})\b")
_ATC = re.compile(r"^[A-Z][0-9]{2}(?:[A-Z](?:[A-Z](?:[0-9]{2})?)?)?$")


def _fold(text: str) -> str:
    """``text`` read as it looks (:func:`~crampkit.text.confusables.skeleton`), case and accents folded away.

    ``"Furosémide"`` -> ``"furosemide"``; ``"Ibu\u00adprofen"`` (a soft hyphen inside) and ``"\u0456buprofen"``
    (a Cyrillic i) -> ``"ibuprofen"``.
    """
    decomposed = unicodedata.normalize("NFKD", skeleton(text).casefold())
    return "".join(char for char in decomposed if not unicodedata.combining(char))


def _letter_words(text: str) -> list[str]:
    """The runs of letters of folded ``text``, a "co" joined to the word after it, joiners left out."""
    words = [word for word in _LETTERS_OR_DIGITS.findall(text) if not word.isdigit()]
    joined: list[str] = []
    for word in words:
        if joined and joined[-1] == "co":
            joined[-1] += word
        elif word not in _SEPARATORS:
            joined.append(word)
    return joined


def medicine_words(name: str) -> list[str]:
    """The words of a medicine name as they are matched (``"Co-Amilofruse 5/40"`` -> ``["coamilofruse"]``).

    .. versionchanged:: 0.2
       Accents are folded, letters split from digits, numbers and joining words left out, and "co" joined
       to the word after it.
    """
    return _letter_words(_fold(name))


def name_key(name: str) -> tuple[str, ...]:
    """The words a known name is looked up by (:func:`medicine_words`, as a tuple)."""
    return tuple(medicine_words(name))


def tidy(name: str) -> str:
    """A name with its spacing tidied, as it is reported back (``" Zopiclone  7.5 "`` -> ``"Zopiclone 7.5"``)."""
    return " ".join(name.split())


def edit_distance(first: str, second: str) -> int:
    """The number of edits between two words: one letter added, removed or changed, or two neighbours swapped.

    (The optimal string alignment distance, a restricted Damerau-Levenshtein distance.)

    >>> edit_distance("bendroflumethazide", "bendroflumethiazide")
    1
    >>> edit_distance("amlodipnie", "amlodipine")
    1
    """
    previous2: list[int] = []
    previous = list(range(len(second) + 1))
    for i, a in enumerate(first, start=1):
        current = [i]
        for j, b in enumerate(second, start=1):
            cost = a != b
            best = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost)
            if i > 1 and j > 1 and a == second[j - 2] and first[i - 2] == b:
                best = min(best, previous2[j - 2] + 1)
            current.append(best)
        previous2, previous = previous, current
    return previous[-1]


def _deletions(word: str) -> Iterator[str]:
    """``word``, and ``word`` with each one of its letters left out."""
    yield word
    for index in range(len(word)):
        yield word[:index] + word[index + 1 :]


@attrs.frozen
class Resolution:
    """What one medicine name resolved to: ingredient ids and drug classes.

    .. versionadded:: 0.2
    """

    ingredients: frozenset[str]
    classes: frozenset[DrugClass]
    unread: tuple[str, ...] = ()
    """Words of the name that are part of no known name and not :data:`NOISE` ("tylenol" in "Tylenol with
    codeine"): the name may hold a medicine crampkit could not check."""

    @property
    def recognised(self) -> bool:
        """Whether the name resolved to anything crampkit could check (an ingredient or a drug class)."""
        return bool(self.ingredients or self.classes)

    @property
    def checked(self) -> bool:
        """Whether all of the name was read: it resolved, and no word of it was left unread."""
        return self.recognised and not self.unread


@attrs.frozen
class _Entry:
    """What one known name means: ingredient ids, and drug classes matched by the name itself."""

    ingredients: frozenset[str] = frozenset()
    classes: frozenset[DrugClass] = frozenset()


@attrs.frozen(kw_only=True)
class MedicationMatch:
    """What a list of medicine names matched.

    Attributes:
        facts: The drug-class facts matched.
        classes: For each name that matched a drug class, the drug-class ids it matched.
        ingredients: For each name that resolved to ingredients, their ids, sorted (more than one for a
            combination product).

            .. versionadded:: 0.2
        unrecognized: Names that could not be checked in full, sorted: those that resolved to no ingredient
            and matched no drug class, and those with a word that is part of no known name ("Tylenol with
            codeine" gives codeine, and is listed too, since "Tylenol" was not read).

    .. versionchanged:: 0.2
       ``ingredients``; a name that resolves to an ingredient in no drug class is recognised.
    """

    facts: frozenset[Fact]
    classes: Mapping[str, tuple[str, ...]]
    unrecognized: tuple[str, ...]
    ingredients: Mapping[str, tuple[str, ...]] = attrs.field(factory=lambda: MappingProxyType({}))


def _merge(into: dict[tuple[str, ...], _Entry], key: tuple[str, ...], entry: _Entry) -> None:
    old = into.get(key, _Entry())
    into[key] = _Entry(ingredients=old.ingredients | entry.ingredients, classes=old.classes | entry.classes)


class MedicineMatcher:
    """Resolves medicine names with the medicines and drug classes of one knowledge base (see the module docstring)."""

    def __init__(self, knowledge_base: KnowledgeBase, *, remember: bool = True) -> None:
        """Index every name and code of the medicines and drug classes of ``knowledge_base``.

        With ``remember=False`` every name is resolved afresh (the tests check that remembering changes nothing).
        """
        self._classes = knowledge_base.drug_classes
        medicines: tuple[Medicine, ...] = tuple(knowledge_base.medicines())
        self._medicines = (self._classes, medicines)
        by_ingredient: dict[str, set[DrugClass]] = {}
        for drug_class in self._classes:
            for ingredient_id in drug_class.ingredients:
                by_ingredient.setdefault(ingredient_id, set()).add(drug_class)
        self._by_ingredient = {key: frozenset(value) for key, value in by_ingredient.items()}
        self._ingredient_ids = frozenset(ingredient.id for ingredient in knowledge_base.ingredients)
        self._read: dict[tuple[str, bool, bool], Resolution] = {}
        self._knowledge_base = knowledge_base
        self._declassed: frozenset[str] | None = None
        index: dict[tuple[str, ...], _Entry] = {}
        rxnorm: dict[str, frozenset[str]] = {}
        atc: dict[str, frozenset[str]] = {}
        for medicine in medicines:
            held = frozenset(medicine.ingredients) if isinstance(medicine, Product) else frozenset({medicine.id})
            for name in medicine.names:
                _merge(index, name_key(name), _Entry(ingredients=held))
            for code in medicine.rxnorm:
                rxnorm[code] = rxnorm.get(code, frozenset()) | held
            if isinstance(medicine, Ingredient):
                for code in medicine.atc_codes:
                    atc[code] = atc.get(code, frozenset()) | held
        fuzzy_names = {
            key[0]
            for ingredient in knowledge_base.ingredients
            for key in map(name_key, ingredient.names)
            if len(key) == 1 and len(key[0]) >= FUZZY_LENGTH
        }
        for drug_class in self._classes:
            for name in (*drug_class.generic_names, *drug_class.brand_names):
                _merge(index, name_key(name), _Entry(classes=frozenset({drug_class})))
        index.pop((), None)
        self.index: Mapping[tuple[str, ...], _Entry] = MappingProxyType(index)
        self._longest = max((len(key) for key in index), default=0)
        self._known_words = frozenset(word for key in index for word in key)
        self._rxnorm = MappingProxyType(rxnorm)
        self._atc = MappingProxyType(atc)
        self._e_index = MappingProxyType(self._e_variants())
        deletions: dict[str, set[str]] = {}
        for word in fuzzy_names:
            for variant in _deletions(word):
                deletions.setdefault(variant, set()).add(word)
        self._deletions = MappingProxyType({key: frozenset(value) for key, value in deletions.items()})
        self.resolve = lru_cache(maxsize=CACHE_SIZE if remember else 0)(self._resolve)
        """What one name resolves to (remembered for the most recent names)."""
        prose = dict(index)
        for drug_class in self._classes:
            for word in (drug_class.id, drug_class.fact.value.removeprefix("drug-")):
                key = name_key(word)
                if not all(part in NOISE for part in key):
                    _merge(prose, key, _Entry(classes=frozenset({drug_class})))
        self._prose = MappingProxyType(prose)
        self._prose_longest = max((len(key) for key in prose), default=0)
        self._prose_words = frozenset(word for key in prose for word in key)

    def __getstate__(self) -> dict[str, object]:
        """What a snapshot keeps (``crampkit.knowledge._snapshot``): its indexes, without the names it remembers.

        Read-only mappings are kept as dicts, and made read-only again by :meth:`__setstate__`.
        """
        state = {name: value for name, value in vars(self).items() if name not in {"resolve", "_read"}}
        read_only = [name for name, value in state.items() if isinstance(value, MappingProxyType)]
        state.update({name: dict(state[name]) for name in read_only})
        state["_read_only"] = read_only
        state["_remember"] = self.resolve.cache_info().maxsize
        return state

    def __setstate__(self, state: dict[str, object]) -> None:
        """The matcher :meth:`__getstate__` kept, as it was built, with nothing remembered yet."""
        remember, read_only = state.pop("_remember"), state.pop("_read_only")
        assert remember is None or isinstance(remember, int)  # noqa: S101 - as __getstate__ wrote it
        assert isinstance(read_only, list)  # noqa: S101
        for name, value in state.items():
            setattr(self, name, MappingProxyType(value) if name in read_only and isinstance(value, dict) else value)
        self._read = {}
        self.resolve = lru_cache(maxsize=remember)(self._resolve)

    def _e_variants(self) -> dict[str, _Entry]:
        """One-word names of :data:`SHORTEST_E_NAME` letters or more, by the word that differs by a final "e"."""
        claims: dict[str, list[_Entry]] = {}
        for key, entry in self.index.items():
            if len(key) != 1 or len(key[0]) < SHORTEST_E_NAME:
                continue
            word = key[0]
            variant = word[:-1] if word.endswith("e") else f"{word}e"
            if variant not in self._known_words and variant not in NOISE:
                claims.setdefault(variant, []).append(entry)
        return {variant: entries[0] for variant, entries in claims.items() if len(entries) == 1}

    def _near(self, word: str) -> _Entry | None:
        """The one ingredient or product name one edit from ``word``, if there is exactly one."""
        if len(word) < FUZZY_LENGTH or word in NOISE or word in self._known_words:
            return None
        candidates = {name for variant in _deletions(word) for name in self._deletions.get(variant, ())}
        close = [name for name in candidates if edit_distance(word, name) == 1]
        return self.index[(close[0],)] if len(close) == 1 else None

    def _entries(
        self, words: list[str], *, tolerant: bool, unread: list[str] | None = None, prose: bool = False
    ) -> Iterator[_Entry]:
        """The entries of the names in ``words``, longest first from the left.

        Words that are part of no name and not :data:`NOISE` are added to ``unread`` when it is given. With
        ``prose``, the words of drug classes count as names too (see :meth:`read`).
        """
        index, longest = (self._prose, self._prose_longest) if prose else (self.index, self._longest)
        start = 0
        while start < len(words):
            for end in range(min(len(words), start + longest), start, -1):
                entry = index.get(tuple(words[start:end]))
                if entry is not None:
                    yield entry
                    start = end
                    break
            else:
                entry = (self._e_index.get(words[start]) or self._near(words[start])) if tolerant else None
                if entry is not None:
                    yield entry
                elif unread is not None and words[start] not in NOISE:
                    unread.append(words[start])
                start += 1

    def named(self, text: str) -> frozenset[DrugClass]:
        """The drug classes of every medicine that ``text`` names (see :meth:`read`)."""
        return self.read(text).classes

    def read(self, text: str, *, class_words: bool = True, tolerant: bool = False) -> Resolution:
        """The ingredients and drug classes of every medicine that prose, such as an instruction, names.

        This reads prose, so no word is taken for a name one edit away (unless ``tolerant``: the safety floor
        reads that way, so "ibuprofin" and "ibuprofeno" are read as ibuprofen); but a name cannot hide in it. The
        text is read as it looks (:func:`medicine_words`: look-alike letters, invisible characters, case and
        accents), twice: as written, and with the punctuation between two letters taken out (``"ibu-profen"``,
        ``"i.bu.profen"``). A word that is no name is read without a final "s" or "es" when that is one
        (``"ibuprofens"``). And a drug class is named by its id and by its fact without ``drug-`` as well as
        by the names of its medicines: ``"an NSAID"`` and ``"NSAIDs"`` name the class ``nsaids``
        (``drug-nsaid``), ``"beta-blockers"`` the class ``beta-blockers`` (unless ``class_words`` is false).

        .. versionadded:: 0.2
        """
        key = (text, class_words, tolerant)
        kept = self._read.get(key)
        if kept is not None:
            return kept
        folded = _fold(text)
        readings = dict.fromkeys((folded, _JOINED.sub("", folded)))
        found = _Entry()
        for reading in readings:
            words = [self._singular(word, class_words=class_words) for word in _letter_words(reading)]
            for entry in self._entries(words, tolerant=tolerant, prose=class_words):
                found = _Entry(found.ingredients | entry.ingredients, found.classes | entry.classes)
        resolution = Resolution(ingredients=found.ingredients, classes=self._classes_of(found))
        self._read[key] = resolution  # prose of one knowledge base: bounded by its text
        return resolution

    def _singular(self, word: str, *, class_words: bool) -> str:
        """``word``, or, when it is no word of a name, it without a final "s" or "es" that makes it one."""
        known = self._prose_words if class_words else self._known_words
        if word in known or word in NOISE:
            return word
        for ending in ("s", "es"):
            if word.endswith(ending) and word[: -len(ending)] in known:
                return word[: -len(ending)]
        return word

    def same_medicines(self, other: "MedicineMatcher") -> bool:
        """Whether ``other`` was built from the same drug classes, ingredients and products."""
        return self._medicines == other._medicines  # noqa: SLF001 - the same class

    def classed(self, ingredient_id: str) -> bool:
        """Whether a drug class of this knowledge base covers the ingredient.

        .. versionadded:: 0.2
        """
        return ingredient_id in self._by_ingredient

    @property
    def drug_classes(self) -> tuple[DrugClass, ...]:
        """The drug classes these medicines were built from.

        .. versionadded:: 0.2
        """
        return self._classes

    def _packaged_classes_lost(self) -> frozenset[str]:
        """The ingredients the packaged drug classes cover and this knowledge base's classes do not (kept)."""
        if self._declassed is None:
            reference = reference_matcher(self._knowledge_base)
            self._declassed = frozenset(
                ingredient
                for ingredient in self._ingredient_ids
                if not self.classed(ingredient) and reference.classed(ingredient)
            )
        return self._declassed

    def facts_of(self, ingredient_id: str) -> frozenset[Fact] | None:
        """The facts of the drug classes that file the ingredient; ``None`` for an ingredient these medicines lack.

        .. versionadded:: 0.2
        """
        if ingredient_id not in self._ingredient_ids:
            return None
        return frozenset(drug_class.fact for drug_class in self._by_ingredient.get(ingredient_id, ()))

    def _classes_of(self, entry: _Entry) -> frozenset[DrugClass]:
        attached = (self._by_ingredient.get(ingredient, frozenset()) for ingredient in entry.ingredients)
        return entry.classes.union(*attached)

    def _resolve(self, name: str) -> Resolution:
        text = _fold(name)
        ingredients: set[str] = set()
        classes: set[DrugClass] = set()
        for code in _RXNORM.findall(text):
            ingredients |= self._rxnorm.get(code, frozenset())
        words: list[str] = []
        for word in _WORDS.findall(_RXNORM.sub(" ", text)):
            code = word.upper()
            if _ATC.match(code):
                ingredients |= self._atc.get(code, frozenset())
                classes.update(c for c in self._classes if any(code.startswith(p.upper()) for p in c.atc_codes))
            else:
                words.append(word)
        found = _Entry(frozenset(ingredients), frozenset(classes))
        unread: list[str] = []
        for entry in self._entries(_letter_words(" ".join(words)), tolerant=True, unread=unread):
            found = _Entry(found.ingredients | entry.ingredients, found.classes | entry.classes)
        return Resolution(ingredients=found.ingredients, classes=self._classes_of(found), unread=tuple(unread))

    def match(self, names: Iterable[str]) -> MedicationMatch:
        """Match ``names`` (already checked); see :func:`crampkit.match_medications`."""
        facts: set[Fact] = set()
        classes: dict[str, tuple[str, ...]] = {}
        ingredients: dict[str, tuple[str, ...]] = {}
        unrecognized: dict[str, str] = {}
        declassed = self._packaged_classes_lost()
        for name in sorted(set(names)):
            found = self.resolve(name)
            if found.classes:
                facts.update(drug_class.fact for drug_class in found.classes)
                classes[name] = tuple(sorted(drug_class.id for drug_class in found.classes))
            if found.ingredients:
                ingredients[name] = tuple(sorted(found.ingredients))
            # nothing, or not all of it, could be read, or a class here lost what it holds: a part may go unchecked
            if not found.checked or found.ingredients & declassed:
                shown = tidy(name)
                unrecognized.setdefault(shown.casefold(), shown)
        return MedicationMatch(
            facts=frozenset(facts),
            classes=MappingProxyType(classes),
            ingredients=MappingProxyType(ingredients),
            unrecognized=tuple(sorted(unrecognized.values())),
        )


MATCHER: Key[MedicineMatcher] = Key("medicines")
"""Where a knowledge base keeps its medicine matcher."""


def matcher(knowledge_base: KnowledgeBase) -> MedicineMatcher:
    """The medicine matcher of ``knowledge_base`` (built the first time it is asked for, then kept with it)."""
    return derived(knowledge_base).get(MATCHER, lambda: MedicineMatcher(knowledge_base))


def class_names(drug_class: DrugClass, knowledge_base: KnowledgeBase) -> tuple[str, ...]:
    """Every name that matches ``drug_class`` in ``knowledge_base``, each once, its ingredients' names first.

    Then its own generic and brand names, then the names of the products that hold one of its ingredients.
    """
    covered = set(drug_class.ingredients)
    ingredients = [i for i in knowledge_base.ingredients if i.id in covered]
    ingredients.sort(key=lambda ingredient: drug_class.ingredients.index(ingredient.id))
    products = [p for p in knowledge_base.products if covered.intersection(p.ingredients)]
    names = (
        *(name for ingredient in ingredients for name in ingredient.names),
        *drug_class.generic_names,
        *drug_class.brand_names,
        *(name for product in products for name in product.names),
    )
    return tuple(dict.fromkeys(names))


PACKAGED_DATA = Path(__file__).parent / "data"
"""The packaged knowledge base's folder (read here for its medicines only)."""


@cached
def packaged_medicines() -> MedicineMatcher:
    """A matcher of the packaged drug classes, ingredients and products alone (read on first use, then kept).

    The safety floor reads every knowledge base's text with it as well as with the knowledge base's own
    medicines, so a custom knowledge base that leaves a medicine out of its drug classes still cannot name
    it unchecked. Only these three sections of the packaged files are read (the loader, above this module,
    reads the rest).

    .. versionadded:: 0.2
    """
    sections: dict[str, type[DrugClass | Ingredient | Product]] = {
        "drug_classes": DrugClass,
        "ingredients": Ingredient,
        "products": Product,
    }
    found: dict[str, list[object]] = {section: [] for section in sections}
    for path in sorted(PACKAGED_DATA.glob("*.toml")):
        import tomllib  # noqa: PLC0415 - imported when first needed, for start-up time

        with path.open("rb") as file:
            document = tomllib.load(file)
        for section, cls in sections.items():
            found[section] += [structure(raw, cls, root=section) for raw in document.get(section, [])]
    medicines = KnowledgeBase(
        version="packaged medicines",
        **{section: tuple(items) for section, items in found.items()},  # type: ignore[arg-type]
    )
    return MedicineMatcher(medicines)


REFERENCE: Key[MedicineMatcher] = Key("reference_medicines")
"""Where a knowledge base keeps the matcher of the packaged medicines that its text is read with too."""


def reference_matcher(knowledge_base: KnowledgeBase) -> MedicineMatcher:
    """The packaged medicines' matcher that the floor reads ``knowledge_base`` with, beside its own.

    The loader leaves the packaged knowledge base's own matcher with every knowledge base it builds; one
    built another way (in Python) reads the packaged files' medicines (:func:`packaged_medicines`), the same
    names.

    .. versionadded:: 0.2
    """
    return derived(knowledge_base).get(REFERENCE, packaged_medicines)
