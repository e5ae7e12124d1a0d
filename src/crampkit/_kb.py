"""Loading and validating knowledge bases.

A knowledge base is one or more TOML (or JSON) documents whose top-level keys
are ``version``, ``extends``, ``disable`` and the item sections
``sources``, ``causes``, ``risk_factors``, ``drug_classes``,
``interventions``, ``red_flags``, ``signs``, ``population_rules`` and
``audit`` (arrays of tables). Files are
only ever parsed as data, never executed.

``extends = "default"`` builds on the packaged knowledge base: an item whose
id is already there replaces it, a new id is added, and ``disable = [ids]``
removes items.
"""

import os
from collections.abc import Iterable, Iterator, Mapping
from functools import cache
from typing import Any

from crampkit.exceptions import InvalidInputError, KnowledgeBaseError
from crampkit.knowledge import (
    AuditClaim,
    Cause,
    DrugClass,
    Intervention,
    Item,
    KnowledgeBase,
    PopulationRule,
    RedFlag,
    RiskFactor,
    Sign,
    Source,
)

__all__ = ["MAX_FILE_BYTES", "default_knowledge_base", "load_knowledge_base"]

MAX_FILE_BYTES = 2_000_000
"""Largest knowledge-base file accepted, in bytes."""

SECTIONS: Mapping[str, type[Item]] = {
    "sources": Source,
    "causes": Cause,
    "risk_factors": RiskFactor,
    "drug_classes": DrugClass,
    "interventions": Intervention,
    "red_flags": RedFlag,
    "signs": Sign,
    "population_rules": PopulationRule,
    "audit": AuditClaim,
}
_META = frozenset({"version", "extends", "disable"})
_KNOWN_KEYS = ", ".join([*sorted(_META), *SECTIONS])
_SUFFIXES = (".toml", ".json")
DATA = os.path.join(os.path.dirname(__file__), "data")
"""The packaged knowledge base's folder."""

Document = tuple[str, Mapping[str, Any]]
"""A parsed document and the name used for it in messages."""


def _parse(name: str, data: bytes) -> Mapping[str, Any]:
    if len(data) > MAX_FILE_BYTES:
        raise KnowledgeBaseError([f"{name}: larger than {MAX_FILE_BYTES} bytes"])
    import json  # noqa: PLC0415 - parsers are imported when first needed, to keep `import crampkit` fast
    import tomllib  # noqa: PLC0415

    try:
        text = data.decode("utf-8")
        parsed: object = json.loads(text) if name.endswith(".json") else tomllib.loads(text)
    except (UnicodeDecodeError, ValueError) as exc:  # TOMLDecodeError and JSONDecodeError are ValueErrors
        raise KnowledgeBaseError([f"{name}: cannot be parsed: {exc}"]) from exc
    if not isinstance(parsed, dict):
        raise KnowledgeBaseError([f"{name}: expected a table of sections at the top level"])
    return parsed


def _read(path: str) -> bytes:
    with open(path, "rb") as file:
        return file.read(MAX_FILE_BYTES + 1)


def _documents(source: str) -> list[Document]:
    name = os.path.basename(os.path.normpath(source))
    if os.path.isdir(source):
        found = sorted(entry for entry in os.listdir(source) if entry.endswith(_SUFFIXES))
        if not found:
            raise KnowledgeBaseError([f"{name}: no .toml or .json files in this folder"])
        return [(entry, _parse(entry, _read(os.path.join(source, entry)))) for entry in found]
    if not name.endswith(_SUFFIXES):
        raise KnowledgeBaseError([f"{name}: knowledge-base files must end in .toml or .json"])
    try:
        data = _read(source)
    except OSError as exc:
        raise KnowledgeBaseError([f"{name}: cannot be read: {exc.strerror or exc}"]) from exc
    return [(name, _parse(name, data))]


def _label(name: str | None, where: str) -> str:
    return f"{name}: {where}" if name else where


def _items(documents: Iterable[Document], problems: list[str]) -> Iterator[tuple[str, str, Item]]:
    """Structure every item of every section, collecting problems."""
    from crampkit._convert import structure  # noqa: PLC0415 - cattrs is imported when first needed

    for name, document in documents:
        problems.extend(
            _label(name, f"unknown section {key!r} (known: {_KNOWN_KEYS})")
            for key in sorted(set(document) - _META - set(SECTIONS))
        )
        for section, cls in SECTIONS.items():
            raw_items = document.get(section, [])
            if not isinstance(raw_items, list):
                problems.append(_label(name, f"{section}: expected an array of tables"))
                continue
            for index, raw in enumerate(raw_items):
                item_id = raw.get("id") if isinstance(raw, Mapping) else None
                where = f"{section}[{index}]" + (f" ({item_id})" if isinstance(item_id, str) else "")
                try:
                    yield section, name, structure(raw, cls, root="")
                except InvalidInputError as exc:
                    problems.extend(_label(name, f"{where}: {problem}") for problem in exc.problems)


def _meta(documents: list[Document], problems: list[str]) -> tuple[str | None, bool, list[str]]:
    version: str | None = None
    extends = False
    disable: list[str] = []
    for name, document in documents:
        if "version" in document:
            value = document["version"]
            if isinstance(value, str) and value.strip():
                version = value
            else:
                problems.append(_label(name, "version: expected a non-empty string"))
        if "extends" in document:
            if document["extends"] == "default":
                extends = True
            else:
                problems.append(_label(name, f"extends: only 'default' is supported, got {document['extends']!r}"))
        if "disable" in document:
            value = document["disable"]
            if isinstance(value, list) and all(isinstance(item, str) for item in value):
                disable.extend(value)
            else:
                problems.append(_label(name, "disable: expected an array of ids"))
    return version, extends, disable


def _build(documents: list[Document]) -> KnowledgeBase:
    problems: list[str] = []
    version, extends, disable = _meta(documents, problems)
    sections: dict[str, dict[str, Item]] = {section: {} for section in SECTIONS}
    base_ids: dict[str, str] = {}
    if extends:
        base = default_knowledge_base()
        for section in SECTIONS:
            for item in getattr(base, section):
                sections[section][item.id] = item
                base_ids[item.id] = section
        version = version or f"{base.version}+custom"
    seen: dict[str, str] = {}
    for section, name, item in _items(documents, problems):
        where = _label(name, f"{section} ({item.id})")
        if item.id in seen:
            problems.append(f"{where}: duplicate id, also in {seen[item.id]}")
        elif item.id in base_ids and base_ids[item.id] != section:
            problems.append(f"{where}: id already used by a default {base_ids[item.id]} item")
        seen[item.id] = where
        sections[section][item.id] = item
    for item_id in disable:
        section_of = next((section for section, items in sections.items() if item_id in items), None)
        if section_of is None:
            problems.append(f"disable: no item has id {item_id!r}")
        else:
            del sections[section_of][item_id]
    if version is None:
        problems.append('version: missing (give version = "..." or extends = "default")')
    if problems:
        raise KnowledgeBaseError(problems)
    knowledge_base = KnowledgeBase(
        version=str(version),
        **{section: tuple(items.values()) for section, items in sections.items()},  # type: ignore[arg-type]
    )
    _check_references(knowledge_base, disabled=frozenset(disable))
    return knowledge_base


def _check_references(knowledge_base: KnowledgeBase, *, disabled: frozenset[str] = frozenset()) -> None:
    """Check that every reference resolves, collecting every problem.

    Audit records may still name ``disabled`` items: they record history.
    """
    from crampkit._floor import floor_problems  # noqa: PLC0415 - keeps the module graph one-way

    source_ids = {source.id for source in knowledge_base.sources}
    cause_ids = {cause.id for cause in knowledge_base.causes}
    intervention_ids = {intervention.id for intervention in knowledge_base.interventions}
    all_ids = set(knowledge_base.by_id)
    problems: list[str] = []

    def check(item: Item, field: str, ids: Iterable[str], known: set[str], kind: str) -> None:
        problems.extend(f"{item.id}: {field}: no {kind} has id {ref!r}" for ref in ids if ref not in known)

    for item in knowledge_base.items():
        if not isinstance(item, Source):
            check(item, "sources", item.sources, source_ids, "source")
        if isinstance(item, RiskFactor):
            check(item, "raises", item.raises, cause_ids, "cause")
        elif isinstance(item, Intervention):
            check(item, "addresses", item.addresses, cause_ids, "cause")
        elif isinstance(item, RedFlag | Sign):
            check(item, "excludes", sorted(item.excludes), intervention_ids, "intervention")
        elif isinstance(item, AuditClaim):
            check(item, "items", item.items, all_ids | disabled, "item")
    problems.extend(floor_problems(knowledge_base))
    if problems:
        raise KnowledgeBaseError(problems)


def load_knowledge_base(source: str | os.PathLike[str] | Mapping[str, Any]) -> KnowledgeBase:
    """Load and validate a knowledge base.

    Args:
        source: A path to a ``.toml`` or ``.json`` file, or to a folder of
            them, or the parsed document as a mapping. With
            ``extends = "default"`` it builds on the packaged knowledge base.

    Returns:
        The validated knowledge base.

    Raises:
        KnowledgeBaseError: Anything is wrong; every problem is listed with
            the file and the item it is in.
    """
    if isinstance(source, Mapping):
        return _build([("", source)])
    return _build(_documents(os.fspath(source)))


@cache
def default_knowledge_base() -> KnowledgeBase:
    """The knowledge base packaged with crampkit (loaded once, then cached)."""
    return _build(_documents(DATA))
