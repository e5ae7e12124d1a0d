"""Guidance as an HL7 CDS Hooks response (``{"cards": [...]}``).

One card per red flag, most urgent first, then one ``info`` card with the
top self-care recommendations. Each card follows the CDS Hooks card
attributes:

* ``summary``: plain text under 140 characters;
* ``indicator``: ``critical`` for an ``urgent`` or ``emergency`` red flag,
  ``warning`` for ``soon`` or ``routine``, ``info`` for self-care;
* ``source``: an object with a ``label`` and, when the cited source has one,
  a ``url`` (the first source the item cites);
* ``detail``: GitHub-flavoured Markdown;
* ``uuid``: a UUID 5 of the item ids, so the same guidance always gives the
  same cards.

Text from the profile or the knowledge base is data, never markup: in
``detail`` it is escaped for Markdown and for HTML (so a medicine name such
as ``<img src=x onerror=alert(1)>`` or ``[click](javascript:...)`` shows as
typed), in ``summary`` and the source ``label`` it is plain text on one line
(control characters and line breaks shown as escapes), and a source link
that is not ``https://`` is left out. When the knowledge base changed
packaged items (see :attr:`crampkit.Guidance.knowledge_base_changes`),
every card's ``detail`` ends by saying which, and why.
"""

from typing import Any

from crampkit.guidance import Guidance, RedFlagHit
from crampkit.knowledge.items import KnowledgeBase, Source
from crampkit.render.words import changes_in_words
from crampkit.text.escape import https_link, markdown, plain
from crampkit.text.i18n import translator
from crampkit.vocab import Urgency

__all__ = ["SELF_CARE_CARD_SIZE", "SUMMARY_LIMIT", "cards_for", "indicator"]

SUMMARY_LIMIT = 140
"""CDS Hooks asks for summaries under 140 characters."""
SELF_CARE_CARD_SIZE = 5
"""How many recommendations the self-care card lists."""

_NAMESPACE_NAME = "urn:crampkit:cds-hooks"
_INDICATORS = {
    Urgency.EMERGENCY: "critical",
    Urgency.URGENT: "critical",
    Urgency.SOON: "warning",
    Urgency.ROUTINE: "warning",
    Urgency.SELF_CARE: "info",
}


def indicator(urgency: Urgency) -> str:
    """The CDS Hooks card indicator for an urgency."""
    return _INDICATORS[urgency]


def _summary(text: str) -> str:
    text = plain(text)
    if len(text) < SUMMARY_LIMIT:
        return text
    return text[: SUMMARY_LIMIT - 2].rstrip() + "…"


def _source(source_ids: tuple[str, ...], knowledge_base: KnowledgeBase) -> dict[str, str]:
    for source_id in source_ids:
        source = knowledge_base.by_id.get(source_id)
        if isinstance(source, Source):
            card_source = {"label": plain(source.citation)}
            link = https_link(source.url)
            return card_source | ({"url": link} if link else {})
    return {"label": "crampkit knowledge base"}


def _changes(guidance: Guidance, language: str) -> list[str]:
    if not guidance.knowledge_base_changes:
        return []
    words = changes_in_words(guidance.knowledge_base_version, guidance.knowledge_base_changes, language)
    return ["", f"_{markdown(words)}_"]


def _card_id(*parts: str) -> str:
    import uuid  # noqa: PLC0415 - uuid is slow to import and only needed here

    namespace = uuid.uuid5(uuid.NAMESPACE_URL, _NAMESPACE_NAME)
    return str(uuid.uuid5(namespace, "/".join(parts)))


def _red_flag_card(
    flag: RedFlagHit, guidance: Guidance, knowledge_base: KnowledgeBase, language: str
) -> dict[str, Any]:
    _ = translator(language)
    detail = [
        f"**{markdown(flag.advice)}**",
        "",
        markdown(flag.why),
        "",
        _("Matched: {facts}.").format(facts=markdown(", ".join(flag.because))),
        *_changes(guidance, language),
    ]
    return {
        "uuid": _card_id(guidance.knowledge_base_version, "red-flag", flag.id),
        "summary": _summary(_("{name}: seek care ({urgency})").format(name=flag.name, urgency=flag.urgency.value)),
        "indicator": indicator(flag.urgency),
        "detail": "\n".join(detail),
        "source": _source(flag.sources, knowledge_base),
    }


def _self_care_card(guidance: Guidance, knowledge_base: KnowledgeBase, language: str) -> dict[str, Any]:
    _ = translator(language)
    top = guidance.recommendations[:SELF_CARE_CARD_SIZE]
    lines = [_("Ranked self-care for muscle cramps:"), ""]
    for rec in top:
        lines.append(
            f"{rec.rank}. "
            + _("**{name}** ({phase}; certainty {certainty})").format(
                name=markdown(rec.name), phase=rec.phase.value, certainty=rec.certainty.value
            )
        )
        lines.extend(f"   - {markdown(step)}" for step in rec.instructions)
    if guidance.not_recommended:
        lines += ["", _("Not recommended:"), ""]
        lines += [
            "- " + _("**{name}**: {reason}").format(name=markdown(item.name), reason=markdown(item.reason))
            for item in guidance.not_recommended
        ]
    if guidance.unrecognized_medications:
        names = markdown(", ".join(guidance.unrecognized_medications))
        lines += ["", _("Medicines not recognised: {names}.").format(names=names)]
    lines += ["", f"_{markdown(guidance.disclaimer)}_", *_changes(guidance, language)]
    top_names = ", ".join(rec.name for rec in top[:3])
    summary = _("Cramp self-care: {names}").format(names=top_names) if top_names else _("Cramp self-care")
    return {
        "uuid": _card_id(guidance.knowledge_base_version, "self-care", *(rec.id for rec in top)),
        "summary": _summary(summary),
        "indicator": indicator(Urgency.SELF_CARE),
        "detail": "\n".join(lines),
        "source": _source(tuple(s for rec in top for s in rec.sources), knowledge_base),
    }


def cards_for(guidance: Guidance, knowledge_base: KnowledgeBase, language: str) -> dict[str, Any]:
    """The CDS Hooks response for ``guidance``; the arguments are checked by :func:`crampkit.to_cds_hooks`."""
    cards = [_red_flag_card(flag, guidance, knowledge_base, language) for flag in guidance.red_flags]
    cards.append(_self_care_card(guidance, knowledge_base, language))
    return {"cards": cards}
