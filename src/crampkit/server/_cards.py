"""The cards of the CDS Hooks service, written for clinicians, from the guidance of one call."""

import re
from typing import Any

from crampkit.guidance import Guidance, Recommendation
from crampkit.knowledge.items import DrugClass, KnowledgeBase
from crampkit.render.cds_hooks import CardBuilder
from crampkit.text.escape import markdown
from crampkit.vocab import Urgency

__all__ = ["Cards"]

_OVERRIDE_SYSTEM = "urn:crampkit:cds-hooks:override-reason"
_OVERRIDE_REASONS = tuple(
    {"system": _OVERRIDE_SYSTEM, "code": code, "display": display}
    for code, display in (
        ("already-addressed", "Already addressed with the patient"),
        ("not-relevant", "Not relevant to this patient"),
        ("cramps-resolved", "Cramps have resolved"),
        ("patient-declined", "Patient declined"),
    )
)
_URGENCY_ACTION = {
    "emergency": "Consider emergency assessment now",
    "urgent": "Consider assessment today",
    "soon": "Consider review within a day or two",
    "routine": "Consider a routine review",
    "self-care": "Consider self-care advice",
}
_MAX_LINKS = 3
_SECOND_PERSON = re.compile(r"\b(?:you|your|yours|yourself)\b", re.IGNORECASE)


def _for_clinicians(text: str, fallback: str) -> str:
    """Knowledge-base text written for the patient ("your GP") is replaced by a neutral ``fallback``."""
    return fallback if _SECOND_PERSON.search(text) else text


def _category(rec: Recommendation) -> str:
    """The recommendation's category and id, for a clinician ("Medication review: quinine review").

    Two items of one category stay apart (found by a blind review: two "Medication review" lines hid
    that quinine was on record and due for review).
    """
    category, item = rec.category.value.replace("-", " "), rec.id.replace("-", " ")
    return category.capitalize() if item == category else f"{category.capitalize()}: {item}"


class Cards:
    """Clinician cards for one knowledge base, each built by the one card builder."""

    def __init__(self, knowledge_base: KnowledgeBase) -> None:
        self.kb = knowledge_base
        self.cramp_drug_facts = frozenset(
            fact
            for factor in knowledge_base.risk_factors
            if "medication" in factor.raises
            for fact in (*factor.when.all_of, *factor.when.any_of)
            if fact.value.startswith("drug-")
        )

    def builder(self, guidance: Guidance) -> CardBuilder:
        """The card builder for the guidance of one call: its cards carry links and override reasons.

        Their uuids are made without the call's instance; the service gives
        each call its own (see :class:`~crampkit.server._answers.Kept`).
        """
        return CardBuilder(guidance, self.kb, links=_MAX_LINKS, override_reasons=_OVERRIDE_REASONS)

    def linked(self, guidance: Guidance) -> list[tuple[str, DrugClass]]:
        """The medicine names of the guidance that matched a drug class linked with cramps, with that class."""
        return [
            (hit.name, drug_class)
            for hit in guidance.medications
            for class_id in hit.drug_classes
            if isinstance(drug_class := self.kb.by_id.get(class_id), DrugClass)
            and drug_class.fact in self.cramp_drug_facts
        ]

    def patient_view(self, guidance: Guidance) -> tuple[list[dict[str, Any]], list[str]]:
        """The ``patient-view`` cards of ``guidance`` and their uuid names: red flags, then cramps on record."""
        cards = self.builder(guidance)
        made = [
            cards.card(
                "red-flag",
                (flag.id,),
                summary=f"{_URGENCY_ACTION[flag.urgency.value]}: {flag.name}",
                urgency=flag.urgency,
                detail=[
                    f"**{markdown(flag.name)}** (crampkit triage: {flag.urgency.value})",
                    "",
                    markdown(_for_clinicians(flag.why, "")),
                    "",
                    f"On record: {markdown('; '.join(flag.because))}.",
                ],
                sources=flag.sources,
            )
            for flag in guidance.red_flags
        ]
        made += self.unchecked(cards, guidance)
        drugs = sorted({(name, drug_class.name) for name, drug_class in self.linked(guidance)})
        blocks = [["**Patient has muscle cramps on record.**"]]
        if guidance.safety_net:
            blocks.append(["Safety-netting for the symptoms on record (the patient's wording):", ""])
            blocks[-1] += [f"- {markdown(line.name)}: {markdown(line.watch_for)}" for line in guidance.safety_net]
        if drugs:
            blocks.append(["Medicines on record that are linked with cramps:", ""])
            blocks[-1] += [f"- {markdown(name)} ({markdown(class_name)})" for name, class_name in drugs]
        if guidance.likely_causes:
            blocks.append(["Likely causes:", ""])
            blocks[-1] += [
                f"- {markdown(cause.name)}: {markdown('; '.join(cause.because))}"
                for cause in guidance.likely_causes[:4]
            ]
        if guidance.recommendations:
            blocks.append(["To consider (crampkit's ranking, with GRADE certainty):", ""])
            blocks[-1] += [
                f"- {markdown(_for_clinicians(rec.name, _category(rec)))} (certainty {rec.certainty.value})"
                for rec in guidance.recommendations[:5]
            ]
        not_supported = [
            f"- {markdown(item.name)}: {markdown(item.reason)}"
            for item in guidance.not_recommended
            if not _SECOND_PERSON.search(f"{item.name} {item.reason}")
        ]
        if not_supported:
            blocks.append(["Not supported by the evidence:", "", *not_supported])
        if guidance.unrecognized_medications:
            names = markdown(", ".join(guidance.unrecognized_medications))
            blocks.append([f"Medicines crampkit did not recognise: {names}."])
        cited = [s for rec in guidance.recommendations[:5] for s in rec.sources]
        cited += [s for cause in guidance.likely_causes for s in cause.sources]
        if drugs:
            summary = "Cramps on record; linked medicines: " + ", ".join(name for name, _ in drugs)
        else:
            summary = "Cramps on record: causes to consider and evidence-graded management"
        made.append(
            cards.card(
                "cramps-on-record",
                (),
                summary=summary,
                urgency=Urgency.SELF_CARE,
                detail=[line for block in blocks for line in ("", *block)][1:],
                sources=cited,
                disclaimer=True,
            )
        )
        return made, cards.uuid_names

    @staticmethod
    def unchecked(cards: CardBuilder, guidance: Guidance) -> list[dict[str, Any]]:
        """A warning card naming the medicines crampkit did not recognise, when there are any.

        Found by a blind review: medicines sent as codes crampkit does not map
        were only named at the foot of an information card, so the interaction
        warnings they could have raised (an anti-inflammatory with lithium or an
        anticoagulant) were silently missing.
        """
        if not guidance.unrecognized_medications:
            return []
        names = ", ".join(guidance.unrecognized_medications)
        return [
            cards.card(
                "unrecognised-medicines",
                guidance.unrecognized_medications,
                summary=f"Medicines not checked by crampkit: {names}",
                urgency=Urgency.ROUTINE,
                detail=[
                    f"**Medicines crampkit did not recognise: {markdown(names)}.**",
                    "",
                    (
                        "They were not checked against the patient's other medicines and conditions, so warnings "
                        "they could raise (for example an anti-inflammatory with lithium, an anticoagulant or heart "
                        "failure) are missing from these cards. Review them before relying on the cards."
                    ),
                ],
                sources=(),
            )
        ]

    def order_select(self, orders: Guidance) -> tuple[list[dict[str, Any]], list[str]]:
        """A card for each drug class linked with cramps that a selected order matched (``orders``: their guidance)."""
        cards = self.builder(orders)
        made = [
            cards.card(
                "linked-medicine",
                (name, drug_class.id),
                summary=f"Patient has cramps on record; {name} is linked with cramps",
                urgency=Urgency.SELF_CARE,
                detail=[
                    f"**{markdown(name)}** ({markdown(drug_class.name)}) is linked with muscle cramps.",
                    "",
                    markdown(drug_class.summary),
                    "",
                    (
                        "Patient has cramps on record. Consider whether the benefit outweighs the risk, "
                        "and ask about cramps at review."
                    ),
                ],
                sources=drug_class.sources,
                disclaimer=True,
            )
            for name, drug_class in self.linked(orders)
        ]
        made += self.unchecked(cards, orders)
        return made, cards.uuid_names
