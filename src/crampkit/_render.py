"""Plain-text rendering of guidance for a terminal."""

import textwrap

from crampkit.guidance import Guidance
from crampkit.knowledge import Item, KnowledgeBase, Source
from crampkit.loading import unstructure

_WIDTH = 88


def _wrap(text: str, indent: str, first: str | None = None) -> list[str]:
    return textwrap.wrap(
        text, width=_WIDTH, initial_indent=first if first is not None else indent, subsequent_indent=indent
    ) or [first or indent]


def render_guidance(guidance: Guidance) -> str:
    """Guidance as readable text: triage and red flags first, then numbered recommendations."""
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
    if guidance.likely_causes:
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
    if guidance.not_recommended:
        lines += ["", "Not recommended"]
        for item in guidance.not_recommended:
            lines += _wrap(f"{item.name}: {item.reason}", "    ", "  x ")
    if guidance.contraindicated:
        lines += ["", "Left out because they could harm you"]
        for left_out in guidance.contraindicated:
            lines += _wrap(f"{left_out.name}: {left_out.reason}", "    ", "  x ")
    if guidance.unrecognized_medications:
        lines += ["", "Medicines not recognised (ask a pharmacist whether they can cause cramps)"]
        lines += [f"  ? {name}" for name in guidance.unrecognized_medications]
    lines += ["", *_wrap(guidance.disclaimer, ""), f"(knowledge base {guidance.knowledge_base_version})"]
    return "\n".join(lines) + "\n"


def render_item(item: Item, knowledge_base: KnowledgeBase) -> str:
    """One knowledge-base item as text, with its certainty and full sources."""
    data = unstructure(item)
    lines = [f"{item.id}  ({type(item).__name__})"]
    for key, value in data.items():
        if key in {"id", "sources"}:
            continue
        if isinstance(value, list):
            lines.append(f"{key}:")
            lines += [f"  - {entry}" for entry in value]
        else:
            lines += _wrap(f"{key}: {value}", "    ", "")
    if not isinstance(item, Source):
        lines.append("sources:")
        for source_id in item.sources:
            source = knowledge_base.get(source_id)
            assert isinstance(source, Source)  # noqa: S101 - guaranteed by knowledge-base validation
            lines += _wrap(
                f"{source.title}. {source.publisher} ({source.year or 'n.d.'}). {source.url} [{source.kind.value}]",
                "    ",
                "  - ",
            )
    return "\n".join(lines) + "\n"
