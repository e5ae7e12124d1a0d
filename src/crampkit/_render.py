"""Plain-text rendering of guidance for a terminal.

Every piece of text from a profile or a knowledge base goes through
:func:`crampkit._escape.plain` (in :func:`_wrap`, or directly), so nothing in
the data can move the cursor, colour the terminal, end a line or reorder
the text.
"""

import textwrap

from crampkit._escape import https_link, plain
from crampkit._regions import DEFAULT_REGION, resolve
from crampkit.guidance import DISCLAIMER_SHORT, Guidance
from crampkit.knowledge import Item, KnowledgeBase, KnowledgeBaseChange, Source
from crampkit.loading import unstructure
from crampkit.vocab import Urgency

_WIDTH = 88


def _wrap(text: str, indent: str, first: str | None = None) -> list[str]:
    return textwrap.wrap(
        plain(text), width=_WIDTH, initial_indent=first if first is not None else indent, subsequent_indent=indent
    ) or [first or indent]


def changes_in_words(version: str, changes: tuple[KnowledgeBaseChange, ...]) -> str:
    """One sentence naming the packaged items a knowledge base removed or replaced, with the reasons."""
    listed = "; ".join(
        f"{change.id} ({change.section.replace('_', ' ')}) {change.kind.value}"
        + (f": {change.reason}" if change.reason else "")
        for change in changes
    )
    return f"Knowledge base {version} changes packaged items: {listed}" + ("" if listed.endswith(".") else ".")


_HELD_BACK = (
    "Other self-care advice ({count} items) is held back until a clinician has checked the problem; "
    "the JSON output lists each one with the reason."
)


def render_guidance(guidance: Guidance) -> str:
    """Guidance as readable text: triage, the first action and red flags first, then numbered recommendations.

    At ``urgent`` or ``emergency`` triage, causes, what is not recommended and
    what was left out are summed up in one line, so that nothing stands
    between the reader and the action.
    """
    lines = [f"Triage: {guidance.triage.value.upper()}"]
    if guidance.action:
        lines += _wrap(guidance.action, "    ", "Do this first: ")
    if guidance.red_flags:
        lines += ["", "Red flags: seek care"]
        for flag in guidance.red_flags:
            lines += _wrap(flag.name, "    ", f"  ! [{flag.urgency.value}] ")
            lines += _wrap(flag.advice, "    ")
            lines += _wrap(f"Why: {flag.why}", "    ")
            lines += _wrap(f"Because: {'; '.join(flag.because)}", "    ")
    else:
        lines += _wrap(
            "No red flags matched. Self-care is reasonable; see a clinician if cramps persist or worry you.", ""
        )
    urgent = guidance.triage.level >= Urgency.URGENT.level
    if guidance.likely_causes and not urgent:
        lines += ["", "Likely causes"]
        for cause in guidance.likely_causes:
            lines += _wrap(f"{cause.name} (score {cause.score:g}): {'; '.join(cause.because)}", "    ", "  - ")
    if guidance.recommendations:
        lines += ["", "What to do"]
        for rec in guidance.recommendations:
            lines += _wrap(
                f"{rec.name} [{rec.phase.value}, {rec.category.value}, certainty {rec.certainty.value}]",
                "     ",
                f"{rec.rank:>3}. ",
            )
            for step in rec.instructions:
                lines += _wrap(step, "         ", "       - ")
            lines += _wrap(f"Why: {'; '.join(rec.because)}", "     ")
            lines += _wrap(f"Sources: {', '.join(rec.sources)}", "     ")
    held_back = len(guidance.not_recommended) + len(guidance.contraindicated)
    if urgent and held_back:
        lines += ["", *_wrap(_HELD_BACK.format(count=held_back), "")]
    if guidance.not_recommended and not urgent:
        lines += ["", "Not recommended"]
        for item in guidance.not_recommended:
            lines += _wrap(f"{item.name}: {item.reason}", "    ", "  x ")
    if guidance.contraindicated and not urgent:
        lines += ["", "Left out because they could harm you"]
        for left_out in guidance.contraindicated:
            lines += _wrap(f"{left_out.name}: {left_out.reason}", "    ", "  x ")
    if guidance.unrecognized_medications:
        lines += ["", "Medicines not recognised (ask a pharmacist whether they can cause cramps)"]
        lines += [f"  ? {plain(name)}" for name in guidance.unrecognized_medications]
    lines += ["", *_wrap(guidance.disclaimer, "")]
    if guidance.knowledge_base_changes:
        lines += _wrap(changes_in_words(guidance.knowledge_base_version, guidance.knowledge_base_changes), "  ", "")
    lines.append(f"(knowledge base {plain(guidance.knowledge_base_version)})")
    return "\n".join(lines) + "\n"


SHORT_ACTIONS = 3
"""How many recommendations the short format lists."""


def render_short(guidance: Guidance) -> str:
    """Guidance in a few lines for a phone screen: triage, the red-flag action, the top actions, the short disclaimer.

    Each line is a short form (see :attr:`crampkit.RedFlagHit.short` and
    :attr:`crampkit.Recommendation.short`), shown as plain text.
    """
    lines = [f"Triage: {guidance.triage.value.upper()}"]
    if guidance.red_flags:
        lines.append(f"Now: {plain(guidance.red_flags[0].short)}")
    lines += [f"{rec.rank}. {plain(rec.short)}" for rec in guidance.recommendations[:SHORT_ACTIONS]]
    lines.append(DISCLAIMER_SHORT)
    return "\n".join(lines) + "\n"


def render_item(item: Item, knowledge_base: KnowledgeBase) -> str:
    """One knowledge-base item as text, with its certainty and full sources (placeholders as the UK reads them)."""
    data = unstructure(item)
    lines = [f"{item.id}  ({type(item).__name__})"]
    for key, value in data.items():
        if key in {"id", "sources"}:
            continue
        if isinstance(value, list):
            lines.append(f"{key}:")
            lines += [f"  - {plain(resolve(str(entry), DEFAULT_REGION))}" for entry in value]
        elif key == "url":
            lines.append(f"url: {https_link(value) or '(not shown: not an https link)'}")
        else:
            lines += _wrap(f"{key}: {resolve(str(value), DEFAULT_REGION)}", "    ", "")
    if not isinstance(item, Source):
        lines.append("sources:")
        for source_id in item.sources:
            source = knowledge_base.get(source_id)
            assert isinstance(source, Source)  # noqa: S101 - guaranteed by knowledge-base validation
            link = https_link(source.url) or "(link not shown: not https)"
            lines += _wrap(
                f"{source.title}. {source.publisher} ({source.year or 'n.d.'}). {link} [{source.kind.value}]",
                "    ",
                "  - ",
            )
    return "\n".join(lines) + "\n"
