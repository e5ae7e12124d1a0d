"""Words that every medium of guidance says the same way (terminal text and CDS Hooks cards alike)."""

from crampkit.knowledge.items import KnowledgeBaseChange
from crampkit.text.i18n import DEFAULT_LANGUAGE, translator

__all__ = ["changes_in_words"]


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
