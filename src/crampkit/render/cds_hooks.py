"""Guidance as HL7 CDS Hooks cards: the one card builder.

Every card crampkit makes, whether by :func:`crampkit.to_cds_hooks` or by the
CDS Hooks service (:mod:`crampkit.server`), is built by :class:`CardBuilder`,
so all cards are escaped, linked, sourced and identified the same way:

* ``summary``: plain text on one line, under 140 characters
  (:func:`~crampkit.text.escape.plain`);
* ``indicator``: ``critical`` for an ``urgent`` or ``emergency`` urgency,
  ``warning`` for ``soon`` or ``routine``, ``info`` for self-care;
* ``detail``: GitHub-flavoured Markdown, in which every piece of text from
  the profile or the knowledge base is escaped for Markdown and for HTML
  (:func:`~crampkit.text.escape.markdown`), so a medicine name such as
  ``<img src=x onerror=alert(1)>`` or ``[click](javascript:...)`` shows as
  typed; it ends with the guidance's disclaimer where the caller asks for it,
  and, when the knowledge base changed packaged items (see
  :attr:`crampkit.Guidance.knowledge_base_changes`), with which and why;
* ``source``: the first source the card cites, its citation as the ``label``
  (plain text) and its ``url`` only when it is an ``https://`` link
  (:func:`~crampkit.text.escape.https_link`);
* ``uuid``: a UUID 5 of the knowledge base version, the kind of card and
  the ids it shows (and of the call it answers, for the service), so the
  same guidance always gives the same cards;
* for the service: ``links`` to the ``https://`` sources it cites, and
  ``overrideReasons``.

The cards' own words are in the guidance's language
(:attr:`crampkit.Guidance.language`).
"""

from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from crampkit._caches import cached
from crampkit.guidance import Guidance, RedFlagHit
from crampkit.knowledge.items import KnowledgeBase, Source
from crampkit.render.words import changes_in_words
from crampkit.text.escape import https_link, markdown, plain
from crampkit.text.i18n import translator
from crampkit.vocab import Urgency

__all__ = [
    "NO_SOURCE_LABEL",
    "SELF_CARE_CARD_SIZE",
    "SUMMARY_LIMIT",
    "CardBuilder",
    "card_uuid",
    "cards_for",
    "indicator",
]

SUMMARY_LIMIT = 140
"""CDS Hooks asks for summaries under 140 characters."""
SELF_CARE_CARD_SIZE = 5
"""How many recommendations the self-care card lists (first-line only: never a prescription drug or supplement)."""
NO_SOURCE_LABEL = "crampkit knowledge base"
"""The ``source`` label of a card that cites no source of the knowledge base."""

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


class CardBuilder:
    """Builds the CDS Hooks cards of one guidance.

    Args:
        guidance: The guidance the cards show; its language, disclaimer and
            knowledge-base changes are those of every card.
        knowledge_base: The knowledge base it was made with (source titles and URLs).
        instance: What identifies the call the cards answer (the service's
            ``hookInstance``), made part of every uuid; empty for cards that
            depend on the guidance alone.
        links: How many ``https://`` sources each card links to (``links``);
            none by default.
        override_reasons: The ``overrideReasons`` codings of every card
            (``system``, ``code`` and ``display``); none by default.

    .. versionadded:: 0.2
    """

    def __init__(
        self,
        guidance: Guidance,
        knowledge_base: KnowledgeBase,
        *,
        instance: str = "",
        links: int = 0,
        override_reasons: Sequence[Mapping[str, str]] = (),
    ) -> None:
        """Keep what every card needs; the arguments are checked by the caller."""
        self.guidance = guidance
        self.knowledge_base = knowledge_base
        self.translate = translator(guidance.language)
        self._instance = (instance,) if instance else ()
        self.uuid_names: list[str] = []
        """The name each card's uuid was made from, in the order the cards were made, without the instance.

        A card made for the call ``instance`` has the uuid
        :func:`card_uuid` of ``f"{instance}/{name}"``, so the cards of one
        guidance can be kept once and given each call's uuids.

        .. versionadded:: 0.2
        """
        self._links = links
        self._override_reasons = [{key: plain(value) for key, value in reason.items()} for reason in override_reasons]
        changes = guidance.knowledge_base_changes
        version = self.translate("(knowledge base {version})").format(version=markdown(guidance.knowledge_base_version))
        words = changes_in_words(guidance.knowledge_base_version, changes, guidance.language) if changes else None
        self._ending = ["", f"_{markdown(words)}_", f"_{version}_"] if words else ["", f"_{version}_"]
        """What every card's detail ends with: the knowledge base's version, and what a custom one changed.

        .. versionchanged:: 0.2
           The version on every card (it was only in the uuids).
        """
        """What ends every card's detail: the knowledge base's changes to packaged items, if any."""

    def card(
        self,
        kind: str,
        ids: Iterable[str],
        *,
        summary: str,
        urgency: Urgency,
        detail: Iterable[str],
        sources: Iterable[str],
        disclaimer: bool = False,
    ) -> dict[str, Any]:
        """One card: the only place a card is put together.

        Args:
            kind: What kind of card it is (``red-flag``, ``self-care``...),
                for its uuid.
            ids: What it shows (item ids, medicine names), for its uuid.
            summary: Its summary, as text (made plain and short here).
            urgency: How urgent it is (its ``indicator``).
            detail: Its lines of Markdown, with every piece of data in them
                escaped by :func:`~crampkit.text.escape.markdown`.
            sources: The ids of the sources it cites, most relevant first.
            disclaimer: Whether the detail ends with the guidance's disclaimer.
        """
        cited = self._cited(sources)
        lines = list(detail)
        if disclaimer:
            lines += ["", f"_{markdown(self.guidance.disclaimer)}_"]
        card: dict[str, Any] = {
            "uuid": self._uuid(kind, *ids),
            "summary": plain(summary, limit=SUMMARY_LIMIT - 1),
            "indicator": indicator(urgency),
            "detail": "\n".join([*lines, *self._ending]),
            "source": self._source(cited),
        }
        if self._override_reasons:
            card["overrideReasons"] = [dict(reason) for reason in self._override_reasons]
        found = [source for source in cited if https_link(source.url)][: self._links] if self._links else []
        if found:
            card["links"] = [{"label": plain(source.title), "url": source.url, "type": "absolute"} for source in found]
        return card

    def red_flag(self, flag: RedFlagHit) -> dict[str, Any]:
        """The card of a red flag: seek care, how soon and why (written for the person)."""
        _ = self.translate
        detail = [
            f"**{markdown(flag.advice)}**",
            "",
            markdown(flag.why),
            "",
            _("Matched: {facts}.").format(facts=markdown(", ".join(flag.because))),
        ]
        summary = _("{name}: seek care ({urgency})").format(name=flag.name, urgency=flag.urgency.value)
        return self.card(
            "red-flag", (flag.id,), summary=summary, urgency=flag.urgency, detail=detail, sources=flag.sources
        )

    def safety_net(self) -> dict[str, Any]:
        """The card of what to watch for: for every symptom reported, when it would need care sooner.

        .. versionadded:: 0.2
        """
        _ = self.translate
        lines = self.guidance.safety_net
        detail = [_("Get help sooner if any of these happen:"), ""]
        detail += [
            "- " + _("**{name}**: {watch_for}").format(name=markdown(line.name), watch_for=markdown(line.watch_for))
            for line in lines
        ]
        return self.card(
            "safety-net",
            (line.sign for line in lines),
            summary=_("What to watch for: {names}").format(names=", ".join(line.name for line in lines)),
            urgency=Urgency.SELF_CARE,
            detail=detail,
            sources=(source for line in lines for source in line.sources),
        )

    def self_care(self) -> dict[str, Any]:
        """The card of ranked self-care, what is not recommended and unrecognised medicines (written for the person)."""
        _ = self.translate
        guidance = self.guidance
        top = [rec for rec in guidance.recommendations if not rec.second_line][:SELF_CARE_CARD_SIZE]
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
        top_names = ", ".join(rec.name for rec in top[:3])
        summary = _("Cramp self-care: {names}").format(names=top_names) if top_names else _("Cramp self-care")
        return self.card(
            "self-care",
            (rec.id for rec in top),
            summary=summary,
            urgency=Urgency.SELF_CARE,
            detail=lines,
            sources=(source for rec in top for source in rec.sources),
            disclaimer=True,
        )

    def _uuid(self, kind: str, *ids: str) -> str:
        """The card's uuid: :func:`card_uuid` of the instance, the version, the kind and the ids joined by ``/``."""
        name = "/".join((self.guidance.knowledge_base_version, kind, *ids))
        self.uuid_names.append(name)
        return card_uuid("/".join((*self._instance, name)))

    def _cited(self, source_ids: Iterable[str]) -> list[Source]:
        """The sources of the ids, each once, in order (ids that are not sources left out)."""
        by_id = self.knowledge_base.by_id  # looked up once per card
        found = (by_id.get(source_id) for source_id in dict.fromkeys(source_ids))
        return [source for source in found if isinstance(source, Source)]

    @staticmethod
    def _source(cited: list[Source]) -> dict[str, str]:
        """The first source cited: its citation and, when it is an https link, its URL."""
        for source in cited:
            link = https_link(source.url)
            return {"label": plain(source.citation)} | ({"url": link} if link else {})
        return {"label": NO_SOURCE_LABEL}


@cached
def _namespace() -> bytes:
    """The bytes of crampkit's UUID namespace for cards (UUID 5 of its URN in the URL namespace)."""
    import uuid  # noqa: PLC0415 - slow to import: only when a card is made

    return uuid.uuid5(uuid.NAMESPACE_URL, _NAMESPACE_NAME).bytes


def card_uuid(name: str) -> str:
    """The UUID 5 of ``name`` in crampkit's namespace for cards, as :func:`uuid.uuid5` makes it.

    A lone surrogate (from a request's JSON) is hashed as it stands, where
    :func:`uuid.uuid5` would refuse it.

    .. versionadded:: 0.2
    """
    import hashlib  # noqa: PLC0415 - with uuid (slow to import), only when a card is made
    import uuid  # noqa: PLC0415

    digest = hashlib.sha1(_namespace() + name.encode("utf-8", "surrogatepass"), usedforsecurity=False)
    return str(uuid.UUID(bytes=digest.digest()[:16], version=5))


def cards_for(guidance: Guidance, knowledge_base: KnowledgeBase) -> dict[str, Any]:
    """The CDS Hooks response for ``guidance``: the red-flag cards, what to watch for, then self-care.

    A card per red flag, most urgent first; then, when a symptom was
    reported, the card of what to watch for; then the self-care card. The
    arguments are checked by :func:`crampkit.to_cds_hooks`.
    """
    builder = CardBuilder(guidance, knowledge_base)
    safety_net = [builder.safety_net()] if guidance.safety_net else []
    return {"cards": [*(builder.red_flag(flag) for flag in guidance.red_flags), *safety_net, builder.self_care()]}
