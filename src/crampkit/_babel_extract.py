"""Babel extractors for the message template: knowledge-base TOML files and the fact labels.

They are registered in ``babel.cfg`` at the root of the repository (see the
documentation page "Short forms, regions and languages") and need nothing
but the standard library at run time; Babel itself is a development tool.
Each yields Babel's ``(lineno, funcname, message, comments)`` tuples, with a
comment naming where the text is used, for translators.
"""

import tomllib
from collections.abc import Collection, Iterator, Mapping
from typing import IO, Any

__all__ = ["TRANSLATED", "extract_fact_labels", "extract_toml"]

Extracted = tuple[int, None, str, list[str]]

TRANSLATED: Mapping[str, tuple[str, ...]] = {
    "causes": ("name",),
    "risk_factors": ("name",),
    "interventions": ("name", "short", "instructions", "reason"),
    "red_flags": ("name", "short", "advice", "summary"),
    "signs": ("name", "short", "advice", "reason", "watch_for"),
    "population_rules": ("reason",),
}
"""The fields of each knowledge-base section whose text reaches the guidance, and so is translated.

Contraindications of interventions are translated too (their ``reason``), and so are the escalation
clauses of red flags, signs and interventions (their ``name``, ``advice``, ``short`` and ``why``).
"""


def _line_of(text: str, message: str) -> int:
    """The line of ``text`` that first holds ``message`` (TOML escapes quotes and backslashes), or 1."""
    written = message.replace("\\", "\\\\").replace('"', '\\"')
    for number, line in enumerate(text.splitlines(), start=1):
        if written in line:
            return number
    return 1  # pragma: no cover - every extracted message is written on a line of its file


def _messages(item: Mapping[str, Any], keys: tuple[str, ...]) -> Iterator[tuple[str, str]]:
    for key in keys:
        value = item.get(key)
        if isinstance(value, str):
            yield key, value
        elif isinstance(value, list):
            yield from ((key, entry) for entry in value if isinstance(entry, str))
    for contraindication in item.get("contraindications", ()):
        yield "contraindication", contraindication["reason"]
    for clause in item.get("escalations", ()):
        yield from (
            (f"escalation {clause['id']} {key}", clause[key])
            for key in ("name", "advice", "short", "why")
            if key in clause
        )


def extract_toml(
    fileobj: IO[bytes],
    _keywords: Collection[str],
    _comment_tags: Collection[str],
    options: Mapping[str, Any],  # noqa: ARG001 - Babel passes it by this name
) -> Iterator[Extracted]:
    """The translatable text of one knowledge-base TOML file (see :data:`TRANSLATED`)."""
    text = fileobj.read().decode("utf-8")
    data = tomllib.loads(text)
    for section, keys in TRANSLATED.items():
        for item in data.get(section, ()):
            for key, message in _messages(item, keys):
                yield _line_of(text, message), None, message, [f"{section} {item['id']} {key}"]


def extract_fact_labels(
    _fileobj: IO[bytes],
    _keywords: Collection[str],
    _comment_tags: Collection[str],
    options: Mapping[str, Any],  # noqa: ARG001 - Babel passes it by this name
) -> Iterator[Extracted]:
    """The plain-language label of every fact (:data:`crampkit.FACT_LABELS`), as ``because`` shows them."""
    from crampkit.thresholds import FACT_LABELS  # noqa: PLC0415 - imported only when Babel extracts

    for fact, label in FACT_LABELS.items():
        yield 1, None, label, [f"fact {fact.value}"]
