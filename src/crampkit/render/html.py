"""Guidance as HTML, for the try-it page of the CDS Hooks service (``crampkit serve --try``).

It reads as the text output does (:func:`crampkit.render.terminal.render_guidance`),
in the same words (:mod:`crampkit.render.words`): triage and what to do
first, red flags and what to watch for, then the likely causes, the ranked
recommendations with their reasons, certainty and sources, what is not
recommended or left out, the medicines not recognised, the disclaimer and
the knowledge base's version. At ``urgent`` or ``emergency`` the triage is
an alert (``role="alert"``), said in words and marked by an icon as well as
by colour, and, as in the text, causes and what was left out are summed up
in one line.

Every piece of text from a profile or a knowledge base, and every message of
the catalogue, goes through :func:`crampkit.text.escape.html_text`; sources
are links only when they are ``https://`` links
(:func:`crampkit.text.escape.https_link`), and the page's referrer policy
keeps the profile out of what the source's site sees.
"""

from collections.abc import Callable, Iterable

from crampkit.guidance import Guidance, Recommendation, RedFlagHit
from crampkit.knowledge.items import KnowledgeBase, Source
from crampkit.render.words import (
    BECAUSE,
    CAUSE,
    DO_THIS_FIRST,
    HELD_BACK,
    KNOWLEDGE_BASE,
    LEFT_OUT,
    LIKELY_CAUSES,
    NAME_REASON,
    NO_RED_FLAGS,
    NOT_RECOMMENDED,
    RED_FLAGS,
    SECOND_LINE,
    SOURCES,
    TRIAGE,
    UNRECOGNISED,
    WATCH_FOR,
    WATCH_FOR_LINE,
    WHAT_TO_DO,
    WHY,
    changes_in_words,
)
from crampkit.text.escape import html_text, https_link
from crampkit.text.i18n import N_, translator
from crampkit.vocab import Urgency

__all__ = ["TRIAGE_ICONS", "render_html"]

TRIAGE_ICONS = {
    Urgency.EMERGENCY: "\u26a0",  # warning sign
    Urgency.URGENT: "\u26a0",
    Urgency.SOON: "\u25b2",  # black up-pointing triangle
    Urgency.ROUTINE: "\u25cf",  # black circle
    Urgency.SELF_CARE: "\u2713",  # check mark
}
"""The icon shown before the triage, beside its word (hidden from screen readers, which read the word)."""

_DETAILS = N_("{phase}, {category}, certainty {certainty}")


def _format(message: str, translate: Callable[[str], str], **values: str) -> str:
    """``message`` translated and escaped, with ``values`` (already HTML) put in its placeholders."""
    return html_text(translate(message)).format(**values)


def _sources(source_ids: Iterable[str], knowledge_base: KnowledgeBase, translate: Callable[[str], str]) -> str:
    """``<p class="sources">Sources: ...</p>``: each source's citation, a link when its URL is an https link."""
    shown = []
    for source_id in dict.fromkeys(source_ids):
        source = knowledge_base.by_id.get(source_id)
        if not isinstance(source, Source):
            shown.append(html_text(source_id))
            continue
        link = https_link(source.url)
        citation = html_text(source.citation)
        shown.append(
            f'<a href="{html_text(link)}" rel="noopener noreferrer">{citation}</a>' if link else citation,
        )
    if not shown:
        return ""
    return f'<p class="sources">{_format(SOURCES, translate, sources=", ".join(shown))}</p>'


def _red_flag(flag: RedFlagHit, knowledge_base: KnowledgeBase, translate: Callable[[str], str]) -> str:
    return (
        f'<li class="red-flag urgency-{flag.urgency.value}">'
        f'<h4><span class="urgency">[{html_text(flag.urgency.value)}]</span> {html_text(flag.name)}</h4>'
        f'<p class="advice">{html_text(flag.advice)}</p>'
        f"<p>{_format(WHY, translate, why=html_text(flag.why))}</p>"
        f"<p>{_format(BECAUSE, translate, because=html_text('; '.join(flag.because)))}</p>"
        f"{_sources(flag.sources, knowledge_base, translate)}</li>"
    )


def _recommendation(rec: Recommendation, knowledge_base: KnowledgeBase, translate: Callable[[str], str]) -> str:
    details = _format(
        _DETAILS,
        translate,
        phase=html_text(rec.phase.value),
        category=html_text(rec.category.value),
        certainty=f'<span class="certainty">{html_text(rec.certainty.value)}</span>',
    )
    second_line = f'<p class="second-line">{html_text(translate(SECOND_LINE))}</p>' if rec.second_line else ""
    steps = "".join(f"<li>{html_text(step)}</li>" for step in rec.instructions)
    return (
        f'<li class="recommendation" value="{rec.rank}" data-id="{html_text(rec.id)}">'
        f'<h4>{html_text(rec.name)}</h4><p class="details">{details}</p>{second_line}'
        f'<ul class="steps">{steps}</ul>'
        f"<p>{_format(WHY, translate, why=html_text('; '.join(rec.because)))}</p>"
        f"{_sources(rec.sources, knowledge_base, translate)}</li>"
    )


def _named_reasons(
    heading: str,
    css: str,
    items: Iterable[tuple[str, str, tuple[str, ...]]],
    knowledge_base: KnowledgeBase,
    translate: Callable[[str], str],
) -> list[str]:
    """A section listing ``(name, reason, sources)`` items, each as "**name**: reason" with its sources."""
    entries = [
        f"<li>{_format(NAME_REASON, translate, name=f'<strong>{html_text(name)}</strong>', reason=html_text(reason))}"
        f"{_sources(sources, knowledge_base, translate)}</li>"
        for name, reason, sources in items
    ]
    return [f'<section class="{css}"><h3>{html_text(translate(heading))}</h3><ul>{"".join(entries)}</ul></section>']


def render_html(guidance: Guidance, knowledge_base: KnowledgeBase) -> str:
    """``guidance`` as an HTML ``<section id="guidance">``, in the guidance's language.

    Args:
        guidance: The guidance to show.
        knowledge_base: The knowledge base it was made with (the sources' citations and links).

    Returns:
        The section's markup, with every piece of text escaped.
    """
    _ = translator(guidance.language)
    triage = guidance.triage
    urgent = triage.is_urgent
    alert = ' role="alert"' if urgent else ""
    icon = f'<span class="triage-icon" aria-hidden="true">{TRIAGE_ICONS[triage]}</span>'
    triage_word = f'<span class="triage-word">{html_text(triage.value.upper())}</span>'
    parts = [
        f'<section id="guidance" class="guidance triage-{triage.value}" aria-labelledby="triage">',
        f'<div class="triage-box"{alert}><h2 id="triage">{icon} {_format(TRIAGE, _, triage=triage_word)}</h2>',
    ]
    if guidance.action:
        parts.append(
            f'<p class="action"><strong>{html_text(_(DO_THIS_FIRST).strip())}</strong> {html_text(guidance.action)}</p>'
        )
    parts.append("</div>")
    if guidance.red_flags:
        flags = "".join(_red_flag(flag, knowledge_base, _) for flag in guidance.red_flags)
        parts.append(f'<section class="red-flags"><h3>{html_text(_(RED_FLAGS))}</h3><ul>{flags}</ul></section>')
    else:
        parts.append(f'<p class="no-red-flags">{html_text(_(NO_RED_FLAGS))}</p>')
    if guidance.safety_net:
        nets = "".join(
            "<li>"
            + _format(
                WATCH_FOR_LINE, _, name=f"<strong>{html_text(net.name)}</strong>", watch_for=html_text(net.watch_for)
            )
            + "</li>"
            for net in guidance.safety_net
        )
        parts.append(f'<section class="safety-net"><h3>{html_text(_(WATCH_FOR))}</h3><ul>{nets}</ul></section>')
    if guidance.likely_causes and not urgent:
        causes = "".join(
            "<li>"
            + _format(
                CAUSE,
                _,
                cause=html_text(cause.name),
                score=html_text(f"{cause.score:g}"),
                because=html_text("; ".join(cause.because)),
            )
            + "</li>"
            for cause in guidance.likely_causes
        )
        parts.append(f'<section class="causes"><h3>{html_text(_(LIKELY_CAUSES))}</h3><ul>{causes}</ul></section>')
    if guidance.recommendations:
        recommendations = "".join(_recommendation(rec, knowledge_base, _) for rec in guidance.recommendations)
        parts.append(
            f'<section class="what-to-do"><h3>{html_text(_(WHAT_TO_DO))}</h3>'
            f'<ol class="recommendations">{recommendations}</ol></section>'
        )
    held_back = len(guidance.not_recommended) + len(guidance.contraindicated)
    if urgent and held_back:
        parts.append(f'<p class="held-back">{_format(HELD_BACK, _, count=str(held_back))}</p>')
    if guidance.not_recommended and not urgent:
        items = ((item.name, item.reason, item.sources) for item in guidance.not_recommended)
        parts += _named_reasons(NOT_RECOMMENDED, "not-recommended", items, knowledge_base, _)
    if guidance.contraindicated and not urgent:
        items = ((item.name, item.reason, item.sources) for item in guidance.contraindicated)
        parts += _named_reasons(LEFT_OUT, "left-out", items, knowledge_base, _)
    if guidance.unrecognized_medications:
        names = "".join(f"<li>{html_text(name)}</li>" for name in guidance.unrecognized_medications)
        parts.append(f'<section class="unrecognised"><h3>{html_text(_(UNRECOGNISED))}</h3><ul>{names}</ul></section>')
    parts.append(f'<p class="disclaimer">{html_text(guidance.disclaimer)}</p>')
    if guidance.knowledge_base_changes:
        words = changes_in_words(guidance.knowledge_base_version, guidance.knowledge_base_changes, guidance.language)
        parts.append(f'<p class="knowledge-base-changes">{html_text(words)}</p>')
    version = _format(KNOWLEDGE_BASE, _, version=html_text(guidance.knowledge_base_version))
    parts += [f'<p class="knowledge-base-version">{version}</p>', "</section>"]
    return "".join(parts)
