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

import attrs

from crampkit._checks import python_kind
from crampkit._reading import MAX_DEPTH, ReadError, check_depth, decode, parse_json, read_path, shown_name
from crampkit._safety import extension_changes
from crampkit._validators import Text, show
from crampkit.exceptions import InvalidInputError, KnowledgeBaseError
from crampkit.knowledge import (
    AuditClaim,
    Cause,
    DrugClass,
    Intervention,
    Item,
    KnowledgeBase,
    KnowledgeBaseChange,
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
_META = frozenset({"version", "extends", "disable", "overrides"})
_KNOWN_KEYS = ", ".join([*sorted(_META), *SECTIONS])
_SUFFIXES = (".toml", ".json")
_TEXT = Text(max_length=None)
DATA = os.path.join(os.path.dirname(__file__), "data")
"""The packaged knowledge base's folder."""

Document = tuple[str, Mapping[str, Any]]
"""A parsed document and the name used for it in messages."""


def _parse(name: str, data: bytes) -> Mapping[str, Any]:
    if len(data) > MAX_FILE_BYTES:
        raise KnowledgeBaseError([f"{name}: larger than {MAX_FILE_BYTES} bytes"])
    try:
        text = decode(data)
        parsed = parse_json(text) if name.endswith(".json") else _parse_toml(text)
    except ReadError as exc:
        raise KnowledgeBaseError([f"{name}: cannot be parsed: {exc}"]) from None
    if not isinstance(parsed, dict):
        raise KnowledgeBaseError([f"{name}: expected a table of sections at the top level"])
    return parsed


def _parse_toml(text: str) -> object:
    import tomllib  # noqa: PLC0415 - parsers are imported when first needed, to keep `import crampkit` fast

    try:
        parsed = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ReadError(str(exc)) from None
    except RecursionError:
        raise ReadError(f"nested more than {MAX_DEPTH} levels deep") from None
    except ValueError:  # the only other error tomllib lets through: an integer too long to convert
        raise ReadError("a whole number has too many digits") from None
    return parsed  # its depth is checked with every other document's, in _build


def _documents(source: str) -> list[Document]:
    basename = os.path.basename(os.path.normpath(source))
    name = shown_name(basename)
    if os.path.isdir(source):
        try:
            entries = sorted(os.listdir(source))
        except OSError as exc:
            raise KnowledgeBaseError([f"{name}: cannot be read: {exc.strerror or exc}"]) from None
        found = [entry for entry in entries if entry.endswith(_SUFFIXES)]
        if not found:
            raise KnowledgeBaseError([f"{name}: no .toml or .json files in this folder"])
        documents: list[Document] = []
        problems: list[str] = []
        for entry in found:
            try:
                data = read_path(os.path.join(source, entry), MAX_FILE_BYTES, regular_only=True)
                documents.append((shown_name(entry), _parse(shown_name(entry), data)))
            except ReadError as exc:
                problems.append(f"{shown_name(entry)}: {exc}")
            except KnowledgeBaseError as exc:
                problems.extend(exc.problems)
        if problems:
            raise KnowledgeBaseError(problems)
        return documents
    if not basename.endswith(_SUFFIXES):
        raise KnowledgeBaseError([f"{name}: knowledge-base files must end in .toml or .json"])
    try:
        data = read_path(source, MAX_FILE_BYTES)
    except ReadError as exc:
        raise KnowledgeBaseError([f"{name}: {exc}"]) from None
    return [(name, _parse(name, data))]


def _label(name: str | None, where: str) -> str:
    return f"{name}: {where}" if name else where


def _items(documents: Iterable[Document], problems: list[str]) -> Iterator[tuple[str, str, Item]]:
    """Structure every item of every section, collecting problems."""
    from crampkit._convert import structure  # noqa: PLC0415 - cattrs is imported when first needed

    for name, document in documents:
        problems.extend(
            _label(name, f"unknown section {show(key)} (known: {_KNOWN_KEYS})")
            for key in sorted(set(document) - _META - set(SECTIONS), key=show)
        )
        for section, cls in SECTIONS.items():
            raw_items = document.get(section, [])
            if not isinstance(raw_items, list):
                problems.append(_label(name, f"{section}: expected an array of tables"))
                continue
            for index, raw in enumerate(raw_items):
                item_id = raw.get("id") if isinstance(raw, Mapping) else None
                shown_id = item_id if isinstance(item_id, str) and item_id.isprintable() else show(item_id)
                where = f"{section}[{index}]" + (f" ({shown_id})" if isinstance(item_id, str) else "")
                try:
                    yield section, name, structure(raw, cls, root="")
                except InvalidInputError as exc:
                    problems.extend(_label(name, f"{where}: {problem}") for problem in exc.problems)


@attrs.frozen
class _Meta:
    version: str | None
    extends: bool
    disable: list[str]
    overrides: dict[str, str]


def _meta(documents: list[Document], problems: list[str]) -> _Meta:
    meta = _Meta(version=None, extends=False, disable=[], overrides={})
    for name, document in documents:
        if "version" in document:
            value = document["version"]
            problem = _TEXT.problem(value)
            if problem is None:
                meta = attrs.evolve(meta, version=value)
            else:
                problems.append(_label(name, f"version: {problem}"))
        if "extends" in document:
            if document["extends"] == "default":
                meta = attrs.evolve(meta, extends=True)
            else:
                problems.append(_label(name, f"extends: only 'default' is supported, got {show(document['extends'])}"))
        if "disable" in document:
            value = document["disable"]
            if isinstance(value, list) and all(isinstance(item, str) for item in value):
                meta.disable.extend(value)
            else:
                problems.append(_label(name, "disable: expected an array of ids"))
        if "overrides" in document:
            _read_overrides(name, document["overrides"], meta.overrides, problems)
    if meta.overrides and not meta.extends:
        problems.append('overrides: only a knowledge base that extends the packaged one (extends = "default") has any')
    return meta


def _read_overrides(name: str, value: object, overrides: dict[str, str], problems: list[str]) -> None:
    if not isinstance(value, Mapping):
        problems.append(_label(name, "overrides: expected a table of ids, each with the reason for its change"))
        return
    for item_id, reason in value.items():
        where = _label(name, f"overrides: {show(item_id)}")
        problem = _TEXT.problem(reason)
        if problem is not None:
            problems.append(f"{where}: the reason {problem}")
        elif item_id in overrides:
            problems.append(f"{where}: given twice")
        else:
            overrides[item_id] = reason


def _build(documents: list[Document], *, packaged: bool = False) -> KnowledgeBase:
    """Build a knowledge base from parsed documents, reporting every problem at once.

    The order: the documents' own problems (syntax, sections, items, ids);
    then, on the whole, references, the changes an extension makes to the
    packaged knowledge base, its version, and the safety floor.
    """
    problems: list[str] = []
    for name, document in documents:
        try:
            check_depth(document)
        except ReadError as exc:
            raise KnowledgeBaseError([_label(name, str(exc))]) from None
    meta = _meta(documents, problems)
    sections: dict[str, dict[str, Item]] = {section: {} for section in SECTIONS}
    base_ids: dict[str, str] = {}
    base = default_knowledge_base() if meta.extends else None
    if base is not None:
        for section in SECTIONS:
            for item in getattr(base, section):
                sections[section][item.id] = item
                base_ids[item.id] = section
    seen: dict[str, str] = {}
    replaced: dict[str, Item] = {}
    for section, name, item in _items(documents, problems):
        where = _label(name, f"{section} ({item.id})")
        if item.id in seen:
            problems.append(f"{where}: duplicate id, also in {seen[item.id]}")
        elif item.id in base_ids and base_ids[item.id] != section:
            problems.append(f"{where}: id already used by a default {base_ids[item.id]} item")
        elif item.id in base_ids:
            replaced[item.id] = item
        seen[item.id] = where
        sections[section][item.id] = item
    for item_id in meta.disable:
        section_of = next((section for section, items in sections.items() if item_id in items), None)
        if section_of is None:
            problems.append(f"disable: no item has id {show(item_id)}")
        else:
            del sections[section_of][item_id]
    version = _version(meta, base, problems)
    if problems:
        raise KnowledgeBaseError(problems)
    changes: list[KnowledgeBaseChange] = []
    if base is not None:
        removed = [item_id for item_id in meta.disable if item_id in base_ids]
        changes, change_problems = extension_changes(base, replaced, removed, meta.overrides)
        problems += change_problems
    knowledge_base = KnowledgeBase(
        version=version,
        changes=tuple(changes),
        **{section: tuple(items.values()) for section, items in sections.items()},  # type: ignore[arg-type]
    )
    problems += _reference_problems(knowledge_base, disabled=frozenset(meta.disable))
    if not packaged and version == _packaged_version() and knowledge_base != default_knowledge_base():
        problems.append(
            f"version: {show(version)} is the packaged knowledge base's version, and this one differs from it; "
            "give it its own version"
        )
    problems += knowledge_base.floor_problems
    if problems:
        raise KnowledgeBaseError(problems)
    return knowledge_base


def _version(meta: _Meta, base: KnowledgeBase | None, problems: list[str]) -> str:
    """The version of the knowledge base being built (see :func:`load_knowledge_base`)."""
    if base is None:
        if meta.version is None:
            problems.append('version: missing (give version = "..." or extends = "default")')
        return meta.version or ""
    derived = f"{base.version}+custom"
    if meta.version is None:
        if meta.overrides:
            problems.append("version: missing; a knowledge base with overrides must give its own version")
        return derived
    if meta.version == derived:
        problems.append(f"version: {show(derived)} is reserved for extensions that give no version; choose another")
    return meta.version


@cache
def _packaged_version() -> str:
    """The packaged knowledge base's version, read without loading the whole of it."""
    name = "knowledge_base.toml"
    version: str = _parse(name, read_path(os.path.join(DATA, name), MAX_FILE_BYTES))["version"]
    return version


def _reference_problems(knowledge_base: KnowledgeBase, *, disabled: frozenset[str] = frozenset()) -> list[str]:
    """Check that every reference resolves, collecting every problem.

    Audit records may still name ``disabled`` items: they record history.
    """
    source_ids = {source.id for source in knowledge_base.sources}
    cause_ids = {cause.id for cause in knowledge_base.causes}
    intervention_ids = {intervention.id for intervention in knowledge_base.interventions}
    all_ids = set(knowledge_base.by_id)
    problems: list[str] = []

    def check(item: Item, field: str, ids: Iterable[str], known: set[str], kind: str) -> None:
        problems.extend(f"{item.id}: {field}: no {kind} has id {show(ref)}" for ref in ids if ref not in known)

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
    return problems


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
            the file and the item it is in. Besides the shape of every item
            and the references between them, every knowledge base must meet
            the safety floor (no doses, red flags that send people to care,
            emergency advice that names emergency services, ``https://``
            source links), and one that extends the packaged knowledge base
            may remove or replace a packaged red flag, contraindication,
            warning or drug class only with a reason under ``[overrides]``
            (see :doc:`/extending`).

    .. versionchanged:: 0.2
       The safety floor, ``[overrides]`` and ``KnowledgeBase.changes``;
       a custom knowledge base cannot use the packaged version.
    """
    if isinstance(source, Mapping):
        return _build([("", source)])
    if not isinstance(source, str | os.PathLike):
        expected = "a path (a str or os.PathLike) or a mapping"
        raise KnowledgeBaseError([f"load_knowledge_base(): source: expected {expected}, got {python_kind(source)}"])
    path = os.fspath(source)
    if not isinstance(path, str):
        raise KnowledgeBaseError(["load_knowledge_base(): source: expected a path as text, got bytes"])
    return _build(_documents(path))


@cache
def default_knowledge_base() -> KnowledgeBase:
    """The knowledge base packaged with crampkit (loaded once, then cached)."""
    return _build(_documents(DATA), packaged=True)
