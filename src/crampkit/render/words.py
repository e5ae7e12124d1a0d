"""Words that every medium of guidance says the same way (terminal text, the try-it page and CDS Hooks cards).

The headings and lines below are messages of the catalogue (marked with
``N_``, translated where they are shown with the guidance's language), so
the text output and the HTML page read the same.
"""

from crampkit.knowledge.items import KnowledgeBaseChange
from crampkit.text.i18n import DEFAULT_LANGUAGE, N_, translator

__all__ = [
    "ALSO_NOTED",
    "BECAUSE",
    "CAUSE",
    "DO_THIS_FIRST",
    "HELD_BACK",
    "KNOWLEDGE_BASE",
    "LEFT_OUT",
    "LIKELY_CAUSES",
    "NAME_REASON",
    "NOT_CHECKED",
    "NOT_RECOMMENDED",
    "NO_RED_FLAGS",
    "RED_FLAGS",
    "SECOND_LINE",
    "SOURCES",
    "TRIAGE",
    "UNRECOGNISED",
    "WATCH_FOR",
    "WATCH_FOR_LINE",
    "WHAT_TO_DO",
    "WHY",
    "changes_in_words",
]

TRIAGE = N_("Triage: {triage}")
DO_THIS_FIRST = N_("Do this first: ")
RED_FLAGS = N_("Red flags: seek care")
ALSO_NOTED = N_("Also noted (the advice above comes first; mention these when you get help)")
NO_RED_FLAGS = N_("No red flags matched. Self-care is reasonable; see a clinician if cramps persist or worry you.")
WHY = N_("Why: {why}")
BECAUSE = N_("Because: {because}")
WATCH_FOR = N_("Watch for: get help sooner if")
WATCH_FOR_LINE = N_("{name}: {watch_for}")
LIKELY_CAUSES = N_("Likely causes")
CAUSE = N_("{cause} (score {score}): {because}")
WHAT_TO_DO = N_("What to do")
SOURCES = N_("Sources: {sources}")
SECOND_LINE = N_("Second line: only if cramps stay troublesome after some weeks of stretching and other self-care.")
HELD_BACK = N_(
    "Other self-care advice ({count} items) is held back until a clinician has checked the problem; "
    "the JSON output lists each one with the reason."
)
NOT_RECOMMENDED = N_("Not recommended")
LEFT_OUT = N_("Left out for now, each with its reason (some could harm you, some would go against the advice above)")
NAME_REASON = N_("{name}: {reason}")
UNRECOGNISED = N_("Medicines not recognised (ask a pharmacist whether they change this advice or can cause cramps)")
NOT_CHECKED = N_("Not checked: {names} (medicines crampkit does not know: ask a pharmacist whether they change this)")
KNOWLEDGE_BASE = N_("(knowledge base {version})")


def changes_in_words(version: str, changes: tuple[KnowledgeBaseChange, ...], language: str = DEFAULT_LANGUAGE) -> str:
    """One sentence naming the packaged items a knowledge base removed or replaced, with the reasons."""
    _ = translator(language)
    listed = "; ".join(
        f"{change.id} ({change.section.replace('_', ' ')}) {change.kind.value}"
        + (f": {change.reason}" if change.reason else "")
        for change in changes
    )
    sentence = _("Knowledge base {version} changes packaged items: {changes}").format(version=version, changes=listed)
    return sentence + ("" if listed.endswith(".") else ".")
