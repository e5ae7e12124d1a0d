"""Loading and validating knowledge bases.

A knowledge base is one or more TOML (or JSON) documents whose top-level keys
are ``version``, ``extends``, ``disable`` and the item sections
``sources``, ``causes``, ``risk_factors``, ``drug_classes``,
``interventions``, ``red_flags``, ``signs``, ``population_rules`` and
``audit``, and the medicine sections ``ingredients`` and ``products`` (arrays
of tables). Files are only ever parsed as data, never executed.

``extends = "default"`` builds on the packaged knowledge base: an item whose
id is already there replaces it, a new id is added, and ``disable = [ids]``
removes items. Ingredients and products have ids of their own, so there
they are named with their section: ``disable = ["products.zestoretic"]``.

A knowledge base that does not extend the packaged one is compared with it
all the same: an item whose section and id are packaged but whose content
differs replaces the packaged item, is recorded in ``changes`` and needs a
reason under ``[overrides]`` when it lowers the safety
(:func:`crampkit.knowledge.safety.extension_changes`). A top-level
``changes`` key (:func:`crampkit.unstructure` writes one) is accepted and
ignored: the loader works the changes out itself, and never takes them on
trust. Versions are compared as they read, and some are reserved
(:func:`reserved_version`, :func:`claim_problems`).
"""

import os
from collections.abc import Collection, Iterable, Iterator, Mapping
from typing import Any

import attrs

from crampkit._caches import Key, cached
from crampkit._model.arguments import python_kind
from crampkit._model.constraints import ANY_TEXT
from crampkit.exceptions import (
    InvalidInputError,
    KnowledgeBaseError,
    Problem,
    ProblemCode,
    closest,
    did_you_mean,
    show,
)
from crampkit.io.reading import ReadError, check_depth, parse_json, parse_toml, read_document, shown_name
from crampkit.knowledge import _snapshot
from crampkit.knowledge.items import (
    MEDICINE_SECTIONS,
    SECTIONS,
    AuditClaim,
    DrugClass,
    Intervention,
    Item,
    KnowledgeBase,
    KnowledgeBaseChange,
    Medicine,
    PopulationRule,
    Product,
    RedFlag,
    RiskFactor,
    Sign,
    Source,
    derived,
)
from crampkit.knowledge.medicines import NOISE, REFERENCE, matcher, name_key
from crampkit.knowledge.safety import (
    change_key,
    extension_changes,
    floor_problems,
    located_items,
    met_when_built,
    rules_as_packaged,
)
from crampkit.text.confusables import normal_version

__all__ = [
    "MAX_FILE_BYTES",
    "SECTIONS",
    "check_claim",
    "claim_problems",
    "default_knowledge_base",
    "load_knowledge_base",
    "reserved_version",
]

MAX_FILE_BYTES = 2_000_000
"""Largest knowledge-base file accepted, in bytes."""

_META = frozenset({"version", "extends", "disable", "overrides", "changes"})
_ALL_SECTIONS: dict[str, type[Item | Medicine]] = {**SECTIONS, **MEDICINE_SECTIONS}
_KEYS = (*sorted(_META - {"changes"}), *_ALL_SECTIONS)
_KNOWN_KEYS = ", ".join(_KEYS)
_SUFFIXES = (".toml", ".json")
_ARGUMENT = "load_knowledge_base(): source"
DATA = os.path.join(os.path.dirname(__file__), "data")
"""The packaged knowledge base's folder."""

Document = tuple[str, Mapping[str, Any]]
"""A parsed document and the name used for it in messages."""


def _problem(
    name: str,
    code: ProblemCode,
    message: str,
    where: str = "",
    path: tuple[str | int, ...] = (),
    *,
    suggestion: str | None = None,
) -> Problem:
    """A problem at ``where`` (an item, a field) in the document called ``name`` ("" when it has none)."""
    return Problem(path, code, message, location=_label(name, where), suggestion=suggestion)


def _unknown_section(name: str, key: object) -> Problem:
    """The problem of a top-level key that is neither a section nor a known key, with what it most likely misspells."""
    suggestion = closest(key, _KEYS)
    message = did_you_mean(f"unknown section {show(key)}", suggestion, f"(known: {_KNOWN_KEYS})")
    return _problem(name, ProblemCode.UNKNOWN_FIELD, message, path=(str(key),), suggestion=suggestion)


def _read(path: str, name: str, *, regular_only: bool = False) -> Mapping[str, Any]:
    """Read and parse one knowledge-base file (JSON or TOML, by its name)."""
    parse = parse_json if name.endswith(".json") else parse_toml
    try:
        parsed = read_document(_Path(path), MAX_FILE_BYTES, parse=parse, regular_only=regular_only)
    except ReadError as exc:
        message = f"cannot be parsed: {exc}" if exc.parsing else str(exc)
        raise KnowledgeBaseError([_problem(name, exc.code, message)]) from None
    if not isinstance(parsed, dict):
        problem = _problem(name, ProblemCode.WRONG_TYPE, "expected a table of sections at the top level")
        raise KnowledgeBaseError([problem])
    return parsed


@attrs.frozen
class _Path(os.PathLike[str]):
    """A path, so the reader reads the file rather than taking the name for the document."""

    path: str

    def __fspath__(self) -> str:
        return self.path


def _documents(source: str) -> list[Document]:
    basename = os.path.basename(os.path.normpath(source))
    name = shown_name(basename)
    if os.path.isdir(source):
        try:
            entries = sorted(os.listdir(source))
        except OSError as exc:
            message = f"cannot be read: {exc.strerror or exc}"
            raise KnowledgeBaseError([_problem(name, ProblemCode.CANNOT_READ, message)]) from None
        found = [entry for entry in entries if entry.endswith(_SUFFIXES)]
        if not found:
            raise KnowledgeBaseError([_problem(name, ProblemCode.MISSING, "no .toml or .json files in this folder")])
        documents: list[Document] = []
        problems: list[Problem] = []
        for entry in found:
            try:
                documents.append(
                    (shown_name(entry), _read(os.path.join(source, entry), shown_name(entry), regular_only=True))
                )
            except KnowledgeBaseError as exc:
                problems.extend(exc.problems)
        if problems:
            raise KnowledgeBaseError(problems)
        return documents
    if not basename.endswith(_SUFFIXES):
        if "\x00" not in source and not os.path.lexists(source):  # not there at all: say so, as the reader would
            raise KnowledgeBaseError([_problem(name, ProblemCode.CANNOT_READ, "cannot be read: no such file")])
        message = "knowledge-base files must end in .toml or .json"
        raise KnowledgeBaseError([_problem(name, ProblemCode.WRONG_FORMAT, message)])
    return [(name, _read(source, name))]


def _label(name: str | None, where: str) -> str:
    return f"{name}: {where}" if name and where else name or where


def _items(documents: Iterable[Document], problems: list[Problem]) -> Iterator[tuple[str, str, int, Item | Medicine]]:
    """Structure every item of every section, collecting problems."""
    from crampkit._model.convert import structure  # noqa: PLC0415 - cattrs is imported when first needed

    for name, document in documents:
        problems.extend(
            _unknown_section(name, key) for key in sorted(set(document) - _META - set(_ALL_SECTIONS), key=show)
        )
        for section, cls in _ALL_SECTIONS.items():
            raw_items = document.get(section, [])
            if not isinstance(raw_items, list):
                problems.append(
                    _problem(name, ProblemCode.WRONG_TYPE, "expected an array of tables", section, (section,))
                )
                continue
            for index, raw in enumerate(raw_items):
                item_id = raw.get("id") if isinstance(raw, Mapping) else None
                shown_id = item_id if isinstance(item_id, str) and item_id.isprintable() else show(item_id)
                where = f"{section}[{index}]" + (f" ({shown_id})" if isinstance(item_id, str) else "")
                try:
                    yield section, name, index, structure(raw, cls, root="")
                except InvalidInputError as exc:
                    problems.extend(
                        attrs.evolve(
                            problem,
                            path=(section, index, *problem.path),
                            location=_label(name, f"{where}: {problem.location}" if problem.location else where),
                        )
                        for problem in exc.problems
                    )


@attrs.frozen
class _Meta:
    version: str | None
    extends: bool
    disable: list[str]
    overrides: dict[str, str]


def _meta(documents: list[Document], problems: list[Problem]) -> _Meta:
    meta = _Meta(version=None, extends=False, disable=[], overrides={})
    for name, document in documents:
        if "version" in document:
            value = document["version"]
            fault = ANY_TEXT.fault(value)
            if fault is None:
                meta = attrs.evolve(meta, version=value)
            else:
                problems.append(attrs.evolve(fault.under("version"), location=_label(name, "version")))
        if "extends" in document:
            if document["extends"] == "default":
                meta = attrs.evolve(meta, extends=True)
            else:
                message = f"only 'default' is supported, got {show(document['extends'])}"
                problems.append(
                    Problem(
                        ("extends",),
                        ProblemCode.NOT_ALLOWED_VALUE,
                        message,
                        location=_label(name, "extends"),
                        allowed=("default",),
                    )
                )
        if "disable" in document:
            value = document["disable"]
            if isinstance(value, list) and all(isinstance(item, str) for item in value):
                meta.disable.extend(value)
            else:
                problems.append(
                    _problem(name, ProblemCode.WRONG_TYPE, "expected an array of ids", "disable", ("disable",))
                )
        if "overrides" in document:
            _read_overrides(name, document["overrides"], meta.overrides, problems)
    return meta


def _read_overrides(name: str, value: object, overrides: dict[str, str], problems: list[Problem]) -> None:
    if not isinstance(value, Mapping):
        message = "expected a table of ids, each with the reason for its change"
        problems.append(_problem(name, ProblemCode.WRONG_TYPE, message, "overrides", ("overrides",)))
        return
    for item_id, reason in value.items():
        if item_id in MEDICINE_SECTIONS and isinstance(reason, Mapping):  # products.zestoretic = "..."
            _read_overrides(name, {f"{item_id}.{key}": text for key, text in reason.items()}, overrides, problems)
            continue
        where = f"overrides: {show(item_id)}"
        path = ("overrides", str(item_id))
        fault = ANY_TEXT.fault(reason)
        if fault is not None:
            problems.append(_problem(name, fault.code, f"the reason {fault.message}", where, path))
        elif item_id in overrides:
            problems.append(_problem(name, ProblemCode.DUPLICATE_KEY, "given twice", where, path))
        else:
            overrides[item_id] = reason


def _build(documents: list[Document], *, packaged: bool = False) -> KnowledgeBase:
    """Build a knowledge base from parsed documents, reporting every problem at once.

    The order: the documents' own problems (syntax, sections, items, ids);
    then, on the whole, references, the changes an extension makes to the
    packaged knowledge base, its version, and the safety floor.
    """
    problems: list[Problem] = []
    for name, document in documents:
        try:
            check_depth(document)
        except ReadError as exc:
            raise KnowledgeBaseError([_problem(name, exc.code, str(exc))]) from None
    meta = _meta(documents, problems)
    sections: dict[str, dict[str, Item | Medicine]] = {section: {} for section in _ALL_SECTIONS}
    base_ids: dict[tuple[bool, str], str] = {}  # (a medicine?, id): its section in the packaged knowledge base
    base = None if packaged else default_knowledge_base()  # what every custom knowledge base is compared with
    if base is not None and meta.extends:
        for section in _ALL_SECTIONS:
            for item in getattr(base, section):
                sections[section][item.id] = item
                base_ids[section in MEDICINE_SECTIONS, item.id] = section
    seen: dict[tuple[bool, str], str] = {}
    replaced: dict[str, Item | Medicine] = {}
    for section, name, index, item in _items(documents, problems):
        where = _label(name, f"{section} ({item.id})")
        path = (section, index, "id")
        key = (section in MEDICINE_SECTIONS, item.id)
        if key in seen:
            problems.append(
                Problem(path, ProblemCode.DUPLICATE_ID, f"duplicate id, also in {seen[key]}", location=where)
            )
        elif key in base_ids and base_ids[key] != section:
            message = f"id already used by a default {base_ids[key]} item"
            problems.append(Problem(path, ProblemCode.DUPLICATE_ID, message, location=where))
        elif key in base_ids or (base is not None and _differs(base, section, item)):
            replaced[change_key(section, item.id)] = item  # a packaged id: a change, extending or not
        seen[key] = where
        sections[section][item.id] = item
    removed = _disable(meta.disable, sections, base_ids, problems)
    if base is not None and not meta.extends:
        removed += _left_out(base, sections)
    version = _version(meta, None if base is None else base.version, problems)
    if problems:
        raise KnowledgeBaseError(problems)
    changes: list[KnowledgeBaseChange] = []
    if base is not None:
        changes, change_problems = extension_changes(base, replaced, removed, meta.overrides)
        problems += change_problems
    knowledge_base = KnowledgeBase(
        version=version,
        changes=tuple(changes),
        **{section: tuple(items.values()) for section, items in sections.items()},  # type: ignore[arg-type]
    )
    problems += _reference_problems(knowledge_base, disabled=frozenset(meta.disable))
    packaged_matcher = matcher(knowledge_base if base is None else base)
    derived(knowledge_base).get(REFERENCE, lambda: packaged_matcher)  # the floor reads its text with it too
    if base is not None:
        problems += _content_claim(knowledge_base, base)
    problems += floor_problems(knowledge_base)
    if problems:
        raise KnowledgeBaseError(problems)
    # its version, content and changes were checked above, as claim_problems checks them
    derived(knowledge_base).get(_CLAIM, tuple)
    return knowledge_base


def _disable(
    entries: list[str],
    sections: dict[str, dict[str, Item | Medicine]],
    base_ids: Mapping[tuple[bool, str], str],
    problems: list[Problem],
) -> list[str]:
    """Remove the items that ``disable`` names; return the names of the packaged ones among them."""
    removed: list[str] = []
    for entry in entries:
        section_of, item_id = _disabled(entry, sections)
        if section_of is None:
            suggestion = closest(entry, (change_key(section, key) for section in sections for key in sections[section]))
            message = did_you_mean(f"no item has id {show(entry)}", suggestion)
            if "." in entry:
                hint = "(write ingredients.<id> or products.<id>)"
                message = did_you_mean(f"no ingredient or product is {show(entry)}", suggestion, hint)
            problems.append(
                Problem(("disable",), ProblemCode.UNKNOWN_REFERENCE, message, location="disable", suggestion=suggestion)
            )
        else:
            del sections[section_of][item_id]
            if (section_of in MEDICINE_SECTIONS, item_id) in base_ids:
                removed.append(change_key(section_of, item_id))
    return removed


_SAFETY_SECTIONS = ("red_flags", "signs", "population_rules")
"""The sections whose packaged items a copy of the packaged knowledge base may not leave out unsaid."""


def _left_out(base: KnowledgeBase, sections: Mapping[str, Collection[str]]) -> list[str]:
    """The packaged red flags, signs and population rules that a stand-alone copy of the packaged base leaves out.

    A stand-alone knowledge base that has any of them is taken to be a copy
    of the packaged one: every one it lacks is a removal, which needs its
    reason under ``[overrides]`` and is recorded, as if ``disable`` named it.
    One that has none of them is a knowledge base of its own.
    """
    packaged = {section: [item.id for item in getattr(base, section)] for section in _SAFETY_SECTIONS}
    if not any(item_id in sections[section] for section, ids in packaged.items() for item_id in ids):
        return []
    return [
        change_key(section, item_id)
        for section, ids in packaged.items()
        for item_id in ids
        if item_id not in sections[section]
    ]


def _disabled(entry: str, sections: Mapping[str, Mapping[str, object]]) -> tuple[str | None, str]:
    """The section and id that an entry of ``disable`` names (``"products.zestoretic"`` names a medicine)."""
    section, dot, item_id = entry.partition(".")
    if dot:
        return (section if section in MEDICINE_SECTIONS and item_id in sections[section] else None), item_id
    return next((section for section in SECTIONS if entry in sections[section]), None), entry


def _version(meta: _Meta, packaged: str | None, problems: list[Problem]) -> str:
    """The version of the knowledge base being built (see :func:`load_knowledge_base`).

    ``packaged`` is the packaged knowledge base's version, ``None`` while the packaged one itself is built.
    """
    if not meta.extends:
        if meta.version is None:
            problems.append(
                Problem(("version",), ProblemCode.MISSING, 'missing (give version = "..." or extends = "default")')
            )
        elif packaged is not None:
            problems += _reserved(meta.version, packaged)
        return meta.version or ""
    derived = f"{packaged}+custom"
    if meta.version is None:
        if meta.overrides:
            message = "missing; a knowledge base with overrides must give its own version"
            problems.append(Problem(("version",), ProblemCode.MISSING, message))
        return derived
    problems += _reserved(meta.version, packaged or "")
    return meta.version


def reserved_version(version: str, packaged: str) -> str | None:
    r"""Why a custom knowledge base may not carry ``version`` (``packaged`` is the packaged version), or ``None``.

    Versions are compared as they read (:func:`~crampkit.text.confusables.normal_version`: NFKC, format
    characters removed, whitespace removed, case folded). Reserved are a version that reads as the packaged
    one without being it (``"2027.01\u200b"``, ``"2027.01 "``, fullwidth digits), and the packaged version
    with any local suffix (``"2027.01+custom"``, ``"2027.01+clinic"``): the loader gives
    ``"<packaged>+custom"`` to an extension that gives no version of its own, and to nothing else. The
    packaged version itself, written exactly, is for a knowledge base with the packaged content only (see
    :func:`claim_problems`).

    >>> print(reserved_version("2027.01+clinic", "2027.01"))  # doctest: +ELLIPSIS
    '2027.01+clinic' is the packaged version with a local suffix, which is reserved (...); choose another
    >>> reserved_version("clinic-2027.01", "2027.01") is None
    True

    .. versionadded:: 0.2
    """
    normal, packaged_normal = normal_version(version), normal_version(packaged)
    if normal.startswith(f"{packaged_normal}+"):
        return (
            f"{show(version)} is the packaged version with a local suffix, which is reserved "
            f"({show(packaged + '+custom')} names an extension that gives no version); choose another"
        )
    if normal == packaged_normal and version != packaged:
        return f"{show(version)} reads as the packaged version {show(packaged)}; choose a version of your own"
    return None


def _reserved(version: str, packaged: str) -> list[Problem]:
    reason = reserved_version(version, packaged)
    return [] if reason is None else [Problem(("version",), ProblemCode.RESERVED_VERSION, reason)]


def _differs(base: KnowledgeBase, section: str, item: Item | Medicine) -> bool:
    """Whether ``base`` has an item of this section and id, and ``item`` differs from it."""
    found = _packaged_items(base)[section].get(item.id)
    return found is not None and found != item


_BY_SECTION: Key[Mapping[str, Mapping[str, Item | Medicine]]] = Key("items_by_section")


def _packaged_items(base: KnowledgeBase) -> Mapping[str, Mapping[str, Item | Medicine]]:
    return derived(base).get(
        _BY_SECTION, lambda: {section: {item.id: item for item in getattr(base, section)} for section in _ALL_SECTIONS}
    )


_CLAIM: Key[tuple[Problem, ...]] = Key("version_claim")
"""The problems with a knowledge base's claim to its version, kept with it."""


def claim_problems(knowledge_base: KnowledgeBase) -> tuple[Problem, ...]:
    """The problems with the version ``knowledge_base`` claims; empty for every honest one.

    A knowledge base that is not the packaged one may not carry the packaged
    version unless its content is the packaged content (a ``conflict``), nor a
    reserved version (``reserved-version``): one that reads as the packaged
    version once normalised without being it (NFKC, format characters and
    whitespace removed, case folded: a trailing zero-width space, fullwidth
    digits), or the packaged version with a local suffix (``+...``), except
    the ``+custom`` that :func:`crampkit.load_knowledge_base` gives an
    extension without a version of its own. This holds for a knowledge base
    built in Python too (with ``attrs.evolve``, or :func:`crampkit.structure`):
    every public function that takes one refuses it, so guidance never shows
    the packaged version for other content. One built in Python must also
    record in ``changes`` every packaged item it replaces (or, as a copy,
    removes), with the reason the override rules ask for (its ``reason``).
    Worked out once, then kept with the knowledge base; one the loader built
    has had the same checks while it was built, so it is not checked again.

    .. versionadded:: 0.2
    """
    return derived(knowledge_base).get(_CLAIM, lambda: _claim_problems(knowledge_base, default_knowledge_base()))


def _claim_problems(knowledge_base: KnowledgeBase, packaged: KnowledgeBase) -> tuple[Problem, ...]:
    version = knowledge_base.version
    reserved = [] if version == f"{packaged.version}+custom" else _reserved(version, packaged.version)
    return (*reserved, *_content_claim(knowledge_base, packaged), *_unrecorded_changes(knowledge_base, packaged))


def _unrecorded_changes(knowledge_base: KnowledgeBase, packaged: KnowledgeBase) -> list[Problem]:
    """Problems when ``knowledge_base`` changes packaged items without recording them (one built in Python).

    What the loader would record is worked out as it works it out: a
    packaged id with other content is a replacement, a packaged red flag,
    sign or population rule that a copy lacks is a removal; each must be in
    ``changes``, and the override rules hold, with each change's ``reason``
    as its override.
    """
    replaced = {
        change_key(section, item.id): item
        for section in _ALL_SECTIONS
        for item in getattr(knowledge_base, section)
        if _differs(packaged, section, item)
    }
    safety = {section: {item.id for item in getattr(knowledge_base, section)} for section in _SAFETY_SECTIONS}
    removed = _left_out(packaged, safety)
    if not replaced and not removed:
        return []
    changed = {*replaced, *removed}
    overrides = {
        key: change.reason
        for change in knowledge_base.changes
        if change.reason and (key := change_key(change.section, change.id)) in changed
    }
    changes, problems = extension_changes(packaged, replaced, removed, overrides)
    missing = [change for change in changes if change not in knowledge_base.changes]
    problems += [
        Problem(
            ("changes",),
            ProblemCode.NEEDS_OVERRIDE,
            f"{change.kind.value} the packaged {change.section} item {change.id}, and changes does not record it",
        )
        for change in missing
    ]
    return problems


def _content_claim(knowledge_base: KnowledgeBase, packaged: KnowledgeBase) -> list[Problem]:
    """A problem when ``knowledge_base`` carries the packaged version exactly and has other content."""
    if knowledge_base.version != packaged.version or knowledge_base == packaged:
        return []
    message = (
        f"{show(knowledge_base.version)} is the packaged knowledge base's version, and this one differs from it; "
        "give it its own version"
    )
    return [Problem(("version",), ProblemCode.CONFLICT, message)]


def check_claim(knowledge_base: KnowledgeBase) -> None:
    """Refuse ``knowledge_base`` if it claims a version it may not carry (see :func:`claim_problems`).

    Raises:
        KnowledgeBaseError: It does.

    .. versionadded:: 0.2
    """
    problems = claim_problems(knowledge_base)
    if problems:
        raise KnowledgeBaseError(problems)


def _reference_problems(knowledge_base: KnowledgeBase, *, disabled: frozenset[str] = frozenset()) -> list[Problem]:
    """Check that every reference resolves, collecting every problem.

    Audit records may still name ``disabled`` items (they record history), and so may the ``excludes`` of
    red flags, signs and population rules (leaving out an item that is not there is harmless).
    """
    source_ids = {source.id for source in knowledge_base.sources}
    cause_ids = {cause.id for cause in knowledge_base.causes}
    intervention_ids = {intervention.id for intervention in knowledge_base.interventions}
    all_ids = set(knowledge_base.by_id)
    problems: list[Problem] = []

    def check(
        located: tuple[tuple[str | int, ...], Item | Medicine],
        field: str,
        ids: Iterable[str],
        known: set[str],
        kind: str,
    ) -> None:
        at, item = located
        for index, ref in enumerate(ids):
            if ref not in known:
                suggestion = closest(ref, sorted(known))
                problems.append(
                    Problem(
                        (*at, field, index),
                        ProblemCode.UNKNOWN_REFERENCE,
                        did_you_mean(f"no {kind} has id {show(ref)}", suggestion),
                        location=f"{item.id}: {field}",
                        suggestion=suggestion,
                    )
                )

    ingredient_ids = {ingredient.id for ingredient in knowledge_base.ingredients}
    for located in located_items(knowledge_base):
        _, item = located
        if not isinstance(item, Source):
            check(located, "sources", item.sources, source_ids, "source")
        if isinstance(item, DrugClass):
            check(located, "ingredients", item.ingredients, ingredient_ids, "ingredient")
        if isinstance(item, RiskFactor):
            check(located, "raises", item.raises, cause_ids, "cause")
        elif isinstance(item, Intervention):
            check(located, "addresses", item.addresses, cause_ids, "cause")
        elif isinstance(item, RedFlag | Sign | PopulationRule):  # leaving out an item that was disabled is harmless
            check(located, "excludes", sorted(item.excludes), intervention_ids | disabled, "intervention")
        if isinstance(item, RedFlag | Sign | Intervention):
            at = located[0]
            for index, clause in enumerate(item.escalations):
                check(((*at, "escalations", index), item), "sources", clause.sources, source_ids, "source")
        elif isinstance(item, AuditClaim):
            check(located, "items", item.items, all_ids | disabled, "item")
    for section, items in ((section, getattr(knowledge_base, section)) for section in MEDICINE_SECTIONS):
        for index, medicine in enumerate(items):
            check(((section, index), medicine), "sources", medicine.sources, source_ids, "source")
            if isinstance(medicine, Product):
                check(((section, index), medicine), "ingredients", medicine.ingredients, ingredient_ids, "ingredient")
    return problems + _medicine_name_problems(knowledge_base)


def _medicine_name_problems(knowledge_base: KnowledgeBase) -> list[Problem]:
    """Every ingredient and product has names of its own: a name means one medicine (ids are checked as read)."""
    problems: list[Problem] = []
    names: dict[tuple[str, ...], str] = {}
    for section in MEDICINE_SECTIONS:
        for index, medicine in enumerate(getattr(knowledge_base, section)):
            where = f"{section} ({medicine.id})"
            for field, values in (("name", (medicine.name,)), ("other_names", medicine.other_names)):
                for position, name in enumerate(values):
                    path: tuple[str | int, ...] = (section, index, field, *((position,) if field != "name" else ()))
                    key = name_key(name)
                    if all(word in NOISE for word in key):
                        message = (
                            f"{show(name)} has no word to match (numbers, joining words, strengths, forms and salts "
                            "are passed over)"
                        )
                        problems.append(Problem(path, ProblemCode.INVALID, message, location=f"{where}: {field}"))
                    elif names.setdefault(key, where) != where:
                        message = f"{show(name)} already names {names[key]}; a name means one medicine"
                        problems.append(Problem(path, ProblemCode.CONFLICT, message, location=f"{where}: {field}"))
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
       a custom knowledge base cannot use the packaged version. An item of
       a packaged id with other content is a change, with ``extends`` or
       not; versions are compared as they read, and look-alikes of the
       packaged version and local suffixes of it are reserved.
    """
    if isinstance(source, Mapping):
        return _build([("", source)])
    if not isinstance(source, str | os.PathLike):
        message = f"expected a path (a str or os.PathLike) or a mapping, got {python_kind(source)}"
        raise KnowledgeBaseError([Problem(("source",), ProblemCode.WRONG_TYPE, message, location=_ARGUMENT)])
    path = os.fspath(source)
    if not isinstance(path, str):
        message = "expected a path as text, got bytes"
        raise KnowledgeBaseError([Problem(("source",), ProblemCode.WRONG_TYPE, message, location=_ARGUMENT)])
    return _build(_documents(path))


@cached
def default_knowledge_base() -> KnowledgeBase:
    """The knowledge base packaged with crampkit (loaded once, then cached).

    A wheel carries it as the loader built and checked it when the wheel was
    built (``crampkit.knowledge._snapshot``, a private module). It is used
    only while every file of the package is as it was then and the floor's
    rules are those of the package; else the files are read (and checked)
    again.
    """
    snapshot = _snapshot.read() if rules_as_packaged() else None  # a rule added at run time: check again
    if snapshot is None:
        return _build(_documents(DATA), packaged=True)
    # as the loader leaves it: floor and version checked, its own matcher the one its text is read with
    met_when_built(snapshot)
    derived(snapshot).get(_CLAIM, tuple)
    derived(snapshot).get(REFERENCE, lambda: matcher(snapshot))
    return snapshot
