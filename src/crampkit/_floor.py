"""The sign and treatment rules of the safety floor (see :mod:`crampkit._safety`).

The loader runs these checks on every knowledge base, packaged or custom, so
a knowledge base that would leave a sign without a disposition, or suggest a
treatment to a group it can harm, is rejected rather than trusted:

* every :class:`~crampkit.Symptom` has exactly one :class:`~crampkit.Sign`;
* every intervention names, in ``medicines``, the drug class of each
  medicine its text mentions;
* no prescription drug or supplement can reach a person under 18, no
  prescription drug, NSAID or quinine can reach a pregnant person, and no
  NSAID can reach a person with kidney disease, cirrhosis, heart failure, a
  stomach ulcer or bleeding, or who takes an anticoagulant.

Exclusion criteria cannot use ``none`` (the model rejects it), so an
intervention that is left out for a single fact (``{"pregnant"}``) is left out
for every profile that has that fact: checking the single fact is enough.
"""

from collections.abc import Iterator

from crampkit.facts import FACT_LABELS, named_drug_classes
from crampkit.knowledge import Intervention, KnowledgeBase
from crampkit.vocab import Category, Fact, Stance, Symptom

_DRUG_CATEGORIES = frozenset({Category.PRESCRIPTION_DRUG, Category.SUPPLEMENT})
_NSAID_GROUPS = (
    Fact.PREGNANT,
    Fact.CONDITION_CHRONIC_KIDNEY_DISEASE,
    Fact.CONDITION_DIALYSIS,
    Fact.CONDITION_CIRRHOSIS,
    Fact.CONDITION_HEART_FAILURE,
    Fact.CONDITION_STOMACH_ULCER_OR_BLEEDING,
    Fact.DRUG_ANTICOAGULANT,
)

FORBIDDEN: tuple[tuple[Fact, frozenset[Category], frozenset[Fact]], ...] = (
    (Fact.AGE_UNDER_18, _DRUG_CATEGORIES, frozenset()),
    (Fact.PREGNANT, frozenset({Category.PRESCRIPTION_DRUG}), frozenset({Fact.DRUG_QUININE})),
    *((group, frozenset(), frozenset({Fact.DRUG_NSAID})) for group in _NSAID_GROUPS),
)
"""Who may never be offered what: (fact, categories, medicine facts)."""


def sign_problems(knowledge_base: KnowledgeBase) -> Iterator[str]:
    """Every symptom has exactly one sign."""
    seen: dict[Symptom, str] = {}
    for sign in knowledge_base.signs:
        if sign.symptom in seen:
            yield f"{sign.id}: symptom {sign.symptom.value!r} already has the sign {seen[sign.symptom]!r}"
        seen.setdefault(sign.symptom, sign.id)
    missing = [symptom.value for symptom in Symptom if symptom not in seen]
    if missing:
        yield f"signs: every symptom needs a sign with its standalone urgency; missing: {', '.join(missing)}"


def _texts(intervention: Intervention) -> Iterator[str]:
    yield intervention.name
    yield intervention.summary
    yield from intervention.instructions


def treatment_problems(knowledge_base: KnowledgeBase) -> Iterator[str]:
    """Every medicine named is declared, and no treatment reaches a group it must not."""
    for intervention in knowledge_base.interventions:
        named = frozenset(c.fact for text in _texts(intervention) for c in named_drug_classes(text, knowledge_base))
        undeclared = sorted(named - intervention.medicines)
        if undeclared:
            yield f"{intervention.id}: medicines: its text names {', '.join(undeclared)}; list them in medicines"
        if intervention.stance is Stance.NOT_RECOMMENDED:
            continue
        at_risk = dict.fromkeys(
            fact
            for fact, categories, medicines in FORBIDDEN
            if intervention.category in categories or not medicines.isdisjoint(intervention.medicines)
        )
        for fact in at_risk:
            if not any(knowledge_base.exclusions(intervention, frozenset({fact}))):
                yield (
                    f"{intervention.id}: must be left out when {fact.value} holds ({FACT_LABELS[fact]}): "
                    "add a contraindication or a population rule"
                )
