"""Plain-text rendering of guidance for a terminal.

Every piece of text from a profile or a knowledge base goes through
:func:`crampkit.text.escape.plain` (in :func:`_wrap`, or directly), so nothing in
the data can move the cursor, colour the terminal, end a line, reorder
the text or hide a character. Headings are in the guidance's language
(:attr:`crampkit.Guidance.language`).
"""

import textwrap
from collections.abc import Callable
from typing import Any

from crampkit.guidance import DISCLAIMER_SHORT, Guidance
from crampkit.io.json import unstructure
from crampkit.knowledge.items import Item, KnowledgeBase, Medicine, Source
from crampkit.render.words import (
    ALSO_NOTED,
    BECAUSE,
    CAUSE,
    DO_THIS_FIRST,
    HELD_BACK,
    KNOWLEDGE_BASE,
    LEFT_OUT,
    LIKELY_CAUSES,
    NAME_REASON,
    NO_RED_FLAGS,
    NOT_CHECKED,
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
from crampkit.text.escape import https_link, plain
from crampkit.text.i18n import DEFAULT_LANGUAGE, text_for, translator
from crampkit.text.regions import DEFAULT_REGION, resolve

_WIDTH = 88


def _wrap(text: str, indent: str, first: str | None = None) -> list[str]:
    return textwrap.wrap(
        plain(text), width=_WIDTH, initial_indent=first if first is not None else indent, subsequent_indent=indent
    ) or [first or indent]


def _knowledge_base_lines(guidance: Guidance, *, wrapped: bool) -> list[str]:
    """How the text and short forms end: what a custom knowledge base changed, if anything, and its version."""
    _ = translator(guidance.language)
    lines: list[str] = []
    if guidance.knowledge_base_changes:
        words = changes_in_words(guidance.knowledge_base_version, guidance.knowledge_base_changes, guidance.language)
        lines += _wrap(words, "  ", "") if wrapped else [plain(words)]
    lines.append(_(KNOWLEDGE_BASE).format(version=plain(guidance.knowledge_base_version)))
    return lines


def render_guidance(guidance: Guidance) -> str:
    """Guidance as readable text: triage, the first action and red flags first, then numbered recommendations.

    After the red flags comes the safety net: for every symptom reported,
    what would make it need care sooner ("Watch for").

    At ``urgent`` or ``emergency`` triage, causes, what is not recommended and
    what was left out are summed up in one line, so that nothing stands
    between the reader and the action, and the red flags less urgent than
    the triage are only named ("Also noted"): their own advice, such as a
    routine appointment, would contradict the action.

    .. versionchanged:: 0.2
       Less urgent red flags only named at urgent triage.
    """
    _ = translator(guidance.language)
    lines = [_(TRIAGE).format(triage=guidance.triage.value.upper())]
    if guidance.action:
        lines += _wrap(guidance.action, "    ", _(DO_THIS_FIRST))
    if guidance.red_flags:
        # at urgent triage, a less urgent flag's own advice ("make a routine appointment") would contradict the action
        top = guidance.triage.level if guidance.triage.is_urgent else 0
        lines += ["", _(RED_FLAGS)]
        for flag in guidance.red_flags:
            if flag.urgency.level >= top:
                lines += _wrap(flag.name, "    ", f"  ! [{flag.urgency.value}] ")
                lines += _wrap(flag.advice, "    ")
                lines += _wrap(_(WHY).format(why=flag.why), "    ")
                lines += _wrap(_(BECAUSE).format(because="; ".join(flag.because)), "    ")
        lower = [flag for flag in guidance.red_flags if flag.urgency.level < top]
        if lower:
            lines += ["", _(ALSO_NOTED)]
            for flag in lower:
                lines += _wrap(flag.name, "    ", f"  - [{flag.urgency.value}] ")
    else:
        lines += _wrap(_(NO_RED_FLAGS), "")
    if guidance.safety_net:
        lines += ["", _(WATCH_FOR)]
        for net in guidance.safety_net:
            lines += _wrap(_(WATCH_FOR_LINE).format(name=net.name, watch_for=net.watch_for), "    ", "  > ")
    urgent = guidance.triage.is_urgent
    if guidance.likely_causes and not urgent:
        lines += ["", _(LIKELY_CAUSES)]
        for cause in guidance.likely_causes:
            line = _(CAUSE).format(cause=cause.name, score=f"{cause.score:g}", because="; ".join(cause.because))
            lines += _wrap(line, "    ", "  - ")
    if guidance.recommendations:
        lines += ["", _(WHAT_TO_DO)]
        for rec in guidance.recommendations:
            heading = _("{name} [{phase}, {category}, certainty {certainty}]").format(
                name=rec.name, phase=rec.phase.value, category=rec.category.value, certainty=rec.certainty.value
            )
            lines += _wrap(heading, "     ", f"{rec.rank:>3}. ")
            if rec.second_line:
                lines += _wrap(_(SECOND_LINE), "     ")
            for step in rec.instructions:
                lines += _wrap(step, "         ", "       - ")
            lines += _wrap(_(WHY).format(why="; ".join(rec.because)), "     ")
            lines += _wrap(_(SOURCES).format(sources=", ".join(rec.sources)), "     ")
    held_back = len(guidance.not_recommended) + len(guidance.contraindicated)
    if urgent and held_back:
        lines += ["", *_wrap(_(HELD_BACK).format(count=held_back), "")]
    if guidance.not_recommended and not urgent:
        lines += ["", _(NOT_RECOMMENDED)]
        for item in guidance.not_recommended:
            lines += _wrap(_(NAME_REASON).format(name=item.name, reason=item.reason), "    ", "  x ")
    if guidance.contraindicated and not urgent:
        lines += ["", _(LEFT_OUT)]
        for left_out in guidance.contraindicated:
            lines += _wrap(_(NAME_REASON).format(name=left_out.name, reason=left_out.reason), "    ", "  x ")
    if guidance.unrecognized_medications:
        lines += ["", _(UNRECOGNISED)]
        lines += [f"  ? {plain(name)}" for name in guidance.unrecognized_medications]
    lines += ["", *_wrap(guidance.disclaimer, ""), *_knowledge_base_lines(guidance, wrapped=True)]
    return "\n".join(lines) + "\n"


SHORT_ACTIONS = 3
"""How many recommendations the short format lists."""


def render_short(guidance: Guidance) -> str:
    """Guidance in a few lines for a phone screen: triage, the red-flag action, the top actions, the short disclaimer.

    The top actions are of the first line only: a prescription drug or a
    supplement (:attr:`crampkit.Recommendation.second_line`) is never among them.

    Each line is a short form (see :attr:`crampkit.RedFlagHit.short` and
    :attr:`crampkit.Recommendation.short`), shown as plain text, and then,
    for every symptom reported, its safety-net line ("Watch for: ...",
    :attr:`crampkit.Guidance.safety_net`), which is never cut short. It ends
    with the knowledge base's version, and the packaged items a custom one
    changed, if any. Medicines crampkit did not recognise are named before
    any advice ("Not checked: ..."), since the advice could not take them
    into account.

    .. versionchanged:: 0.2
       The knowledge base's version and changes at the end.

    .. versionchanged:: 0.2
       The medicines not recognised, before the advice.
    """
    _ = translator(guidance.language)
    lines = [_(TRIAGE).format(triage=guidance.triage.value.upper())]
    if guidance.red_flags:
        lines.append(_("Now: {action}").format(action=plain(guidance.red_flags[0].short)))
    if guidance.unrecognized_medications:  # before any advice: the advice did not take them into account
        names = plain(", ".join(guidance.unrecognized_medications))
        lines.append(_(NOT_CHECKED).format(names=names))
    first_line = [rec for rec in guidance.recommendations if not rec.second_line]
    lines += [f"{rec.rank}. {plain(rec.short)}" for rec in first_line[:SHORT_ACTIONS]]
    watch = dict.fromkeys(plain(line.watch_for) for line in guidance.safety_net)  # two signs may say the same
    lines += [_("Watch for: {watch_for}").format(watch_for=text) for text in watch]
    lines += [_(DISCLAIMER_SHORT), *_knowledge_base_lines(guidance, wrapped=False)]
    return "\n".join(lines) + "\n"


_TEXT_FIELDS = frozenset({"name", "short", "advice", "summary", "reason", "instructions", "watch_for", "why"})
"""The fields of an item whose text reaches the guidance, and so is translated (ids and vocabulary values are not)."""


def render_item(
    item: Item | Medicine,
    knowledge_base: KnowledgeBase,
    *,
    region: str = DEFAULT_REGION,
    language: str = DEFAULT_LANGUAGE,
) -> str:
    """One knowledge-base item as text, with its certainty and full sources.

    Placeholders (``{emergency}``) are resolved for ``region``, and the text
    that reaches the guidance (names, advice, short forms, reasons,
    instructions, summaries) is in ``language``, as :func:`crampkit.recommend`
    would show it; field names, ids, vocabulary values and sources are as
    written.
    """
    show = text_for(language, region)
    data = unstructure(item)
    lines = [f"{item.id}  ({type(item).__name__})"]
    for key, value in data.items():
        if key in {"id", "sources"}:
            continue
        if isinstance(value, list):
            lines.append(f"{key}:")
            for entry in value:
                if isinstance(entry, dict):  # a contraindication or an escalation clause: its fields, one a line
                    for number, (name, field) in enumerate(entry.items()):
                        lead = "  - " if number == 0 else "    "
                        if isinstance(field, dict):  # criteria: fact names, never broken at their hyphens
                            lines.append(f"{lead}{name}: {plain(_criteria(field))}")
                        else:
                            lines += _wrap(f"{name}: {_field(name, str(field), show, region)}", "      ", lead)
                else:
                    lines.append(f"  - {plain(_field(key, str(entry), show, region))}")
        elif isinstance(value, dict):  # criteria: fact names, never broken at their hyphens
            lines.append(f"{key}: {plain(_criteria(value))}")
        elif key == "url":
            lines.append(f"url: {https_link(value) or '(not shown: not an https link)'}")
        else:
            lines += _wrap(f"{key}: {_field(key, str(value), show, region)}", "    ", "")
    if not isinstance(item, Source) and item.sources:  # an ingredient or product may cite none
        lines.append("sources:")
        for source_id in item.sources:
            source = knowledge_base.get(source_id)
            assert isinstance(source, Source)  # noqa: S101 - guaranteed by knowledge-base validation
            link = https_link(source.url) or "(link not shown: not https)"
            lines += _wrap(
                f"{source.citation}. {link} [{source.kind.value}]",
                "    ",
                "  - ",
            )
    return "\n".join(lines) + "\n"


def _criteria(criteria: dict[str, list[Any]]) -> str:
    """Criteria as :func:`render_item` shows them: ``all: a, b; any: c`` (groups of ``each`` in brackets)."""
    return "; ".join(
        f"{key}: " + ", ".join(f"[{', '.join(entry)}]" if isinstance(entry, list) else str(entry) for entry in facts)
        for key, facts in criteria.items()
    )


def _field(key: str, text: str, show: Callable[[str], str], region: str) -> str:
    """A field's text as :func:`render_item` shows it: translated and resolved, or, for ids and values, resolved."""
    return show(text) if key in _TEXT_FIELDS else resolve(text, region)
