"""Medicine names: how they are normalised and matched to drug classes (the one place for both).

A name matches a drug class when, ignoring case, it is one of the class's
generic or brand names, contains one as a separate word or words
(``"atorvastatin 20 mg"``), or contains a WHO ATC code that starts with one of
the class's ATC codes. :class:`MedicineMatcher` does this for one knowledge
base, remembering the answer for up to :data:`CACHE_SIZE` names (the same
names recur across profiles); the knowledge base keeps it (see
:func:`crampkit.knowledge.items.derived`), so there is no module-level cache.
"""

import re
from collections.abc import Iterable, Mapping
from functools import lru_cache
from types import MappingProxyType

import attrs

from crampkit._caches import Key
from crampkit.knowledge.items import DrugClass, KnowledgeBase, derived
from crampkit.vocab import Fact

__all__ = [
    "CACHE_SIZE",
    "MATCHER",
    "MedicationMatch",
    "MedicineMatcher",
    "matcher",
    "medicine_words",
    "named_drug_classes",
    "tidy",
]

CACHE_SIZE = 4096
"""How many distinct medicine names a matcher remembers (least recently used are forgotten)."""

_SEPARATORS = re.compile(r"[\s/+,;:()!?.\"']+")
_ATC = re.compile(r"^[A-Z][0-9]{2}(?:[A-Z](?:[A-Z](?:[0-9]{2})?)?)?$")
_MAX_NAME_WORDS = 4
"""The longest generic or brand name, in words, that is looked for inside a name."""


def medicine_words(name: str) -> list[str]:
    """Split a medicine name into lower-case words (``"Co-Amilofruse 5/40"`` -> ``["co-amilofruse", "5", "40"]``)."""
    return [word for word in _SEPARATORS.split(name.casefold()) if word]


def tidy(name: str) -> str:
    """A name with its spacing tidied, as it is reported back (``" Zopiclone  7.5 "`` -> ``"Zopiclone 7.5"``)."""
    return " ".join(name.split())


@attrs.frozen(kw_only=True)
class MedicationMatch:
    """What a list of medicine names matched.

    Attributes:
        facts: The drug-class facts matched.
        classes: For each name that matched, the drug-class ids it matched.
        unrecognized: Names that matched no drug class, sorted.
    """

    facts: frozenset[Fact]
    classes: Mapping[str, tuple[str, ...]]
    unrecognized: tuple[str, ...]


class MedicineMatcher:
    """Matches medicine names to the drug classes of one knowledge base (internal; see the module docstring)."""

    def __init__(self, drug_classes: Iterable[DrugClass], *, remember: bool = True) -> None:
        """Index the generic and brand names of ``drug_classes``, in :func:`medicine_words` form.

        With ``remember=False`` every name is matched afresh (the tests check that remembering changes nothing).
        """
        self._classes = tuple(drug_classes)
        index: dict[str, set[DrugClass]] = {}
        for drug_class in self._classes:
            for name in (*drug_class.generic_names, *drug_class.brand_names):
                index.setdefault(" ".join(medicine_words(name)), set()).add(drug_class)
        self.index: Mapping[str, frozenset[DrugClass]] = MappingProxyType(
            {name: frozenset(found) for name, found in index.items()}
        )
        self.classes_for = lru_cache(maxsize=CACHE_SIZE if remember else 0)(self._classes_for)
        """The drug classes one name matches (remembered for the most recent names)."""

    def named(self, text: str) -> frozenset[DrugClass]:
        """The drug classes of every generic or brand name that ``text`` contains as whole words."""
        words = medicine_words(text)
        found: set[DrugClass] = set()
        for start in range(len(words)):
            for end in range(start + 1, min(start + _MAX_NAME_WORDS, len(words)) + 1):
                found |= self.index.get(" ".join(words[start:end]), frozenset())
        return frozenset(found)

    def _classes_for(self, name: str) -> frozenset[DrugClass]:
        found = set(self.named(name))
        for word in medicine_words(name):
            code = word.upper()
            if _ATC.match(code):
                found.update(
                    drug_class
                    for drug_class in self._classes
                    if any(code.startswith(prefix.upper()) for prefix in drug_class.atc_codes)
                )
        return frozenset(found)

    def match(self, names: Iterable[str]) -> MedicationMatch:
        """Match ``names`` (already checked) to drug classes; see :func:`crampkit.match_medications`."""
        facts: set[Fact] = set()
        classes: dict[str, tuple[str, ...]] = {}
        unrecognized: dict[str, str] = {}
        for name in sorted(set(names)):
            found = self.classes_for(name)
            if found:
                facts.update(drug_class.fact for drug_class in found)
                classes[name] = tuple(sorted(drug_class.id for drug_class in found))
            else:
                shown = tidy(name)
                unrecognized.setdefault(shown.casefold(), shown)
        return MedicationMatch(
            facts=frozenset(facts),
            classes=MappingProxyType(classes),
            unrecognized=tuple(sorted(unrecognized.values())),
        )


MATCHER: Key[MedicineMatcher] = Key("medicines")
"""Where a knowledge base keeps its medicine matcher."""


def matcher(knowledge_base: KnowledgeBase) -> MedicineMatcher:
    """The medicine matcher of ``knowledge_base`` (built the first time it is asked for, then kept with it)."""
    return derived(knowledge_base).get(MATCHER, lambda: MedicineMatcher(knowledge_base.drug_classes))


def named_drug_classes(text: str, knowledge_base: KnowledgeBase) -> frozenset[DrugClass]:
    """The drug classes of every generic or brand name that ``text`` contains as whole words."""
    return matcher(knowledge_base).named(text)
