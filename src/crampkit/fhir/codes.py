"""The code table behind :mod:`crampkit.fhir`: which codes mean what, and where each was verified.

The table is packaged data of the FHIR package, ``fhir/data/codes.toml``
(outside the knowledge base's folder, so its loader never reads it). It is
loaded once and indexed by code system URI; ICD codes are compared without
dots, so ``E11.9`` and ``E119`` are the same code.
"""

from collections.abc import Mapping
from pathlib import Path
from types import MappingProxyType
from typing import Any

import attrs

from crampkit._caches import cached

PATH = Path(__file__).parent / "data" / "codes.toml"
"""Where the code table lives."""

MAPS: Mapping[str, str] = MappingProxyType(
    {
        "medication": "medicine",
        "condition": "condition",
        "symptom": "sign (symptom)",
        "cramps": "cramps reported",
        "pregnant": "pregnant",
        "pregnancy-weeks": "weeks of pregnancy",
        "observation": "Observation code",
        "pregnancy-status": "pregnancy status answer",
    }
)
"""What a code can mean (the ``maps`` column), each with its meaning in words (the docs' code table shows them)."""

_DOTLESS = frozenset({"icd-10", "icd-10-cm"})


@attrs.frozen(kw_only=True)
class CodeSource:
    """A stored copy that codes were verified against."""

    id: str
    title: str
    repo: str = ""
    commit: str = ""
    path: str = ""
    url: str = ""

    @property
    def where(self) -> str:
        """Where the copy is, in one line."""
        if self.url:
            return self.url
        return f"{self.repo} {self.path} (commit {self.commit[:12]})"


@attrs.frozen(kw_only=True)
class CodeSystem:
    """A code system crampkit recognises."""

    key: str
    uri: str
    name: str
    seen_at: tuple[str, ...]


@attrs.frozen(kw_only=True)
class CodeMapping:
    """One row of the table: a code, what it means to crampkit, and where it was verified."""

    system: str
    code: str
    display: str
    maps: str
    to: str
    seen_at: tuple[str, ...]
    match: str = "exact"
    fact: str = ""


def normalise(system_key: str, code: str) -> str:
    """A code as the table compares it: trimmed, and for ICD upper-case without dots."""
    code = code.strip()
    if system_key in _DOTLESS:
        return code.replace(".", "").upper()
    return code


@attrs.frozen(kw_only=True)
class CodeTable:
    """The whole table, indexed for look-up."""

    version: str
    systems: Mapping[str, CodeSystem]
    sources: Mapping[str, CodeSource]
    codes: tuple[CodeMapping, ...]
    _by_uri: Mapping[str, str] = attrs.field(init=False, repr=False)
    _exact: Mapping[tuple[str, str], tuple[CodeMapping, ...]] = attrs.field(init=False, repr=False)
    _prefix: Mapping[str, tuple[tuple[str, CodeMapping], ...]] = attrs.field(init=False, repr=False)

    def __attrs_post_init__(self) -> None:
        """Index the rows by (system, code) and, for prefix rows, by system."""
        exact: dict[tuple[str, str], list[CodeMapping]] = {}
        prefix: dict[str, list[tuple[str, CodeMapping]]] = {}  # with each row's code normalised once
        for row in self.codes:
            if row.match == "prefix":
                prefix.setdefault(row.system, []).append((normalise(row.system, row.code), row))
            else:
                exact.setdefault((row.system, normalise(row.system, row.code)), []).append(row)
        object.__setattr__(self, "_by_uri", MappingProxyType({s.uri: s.key for s in self.systems.values()}))
        object.__setattr__(self, "_exact", MappingProxyType({k: tuple(v) for k, v in exact.items()}))
        object.__setattr__(self, "_prefix", MappingProxyType({k: tuple(v) for k, v in prefix.items()}))

    def system_key(self, uri: str) -> str | None:
        """The table's key for a code-system URI (``"rxnorm"``), or ``None`` when it is not one crampkit knows."""
        return self._by_uri.get(uri.strip())

    def lookup(self, system_key: str, code: str) -> tuple[CodeMapping, ...]:
        """Every row that matches ``code`` in the system ``system_key``."""
        key = normalise(system_key, code)
        found = list(self._exact.get((system_key, key), ()))
        found += [row for start, row in self._prefix.get(system_key, ()) if key.startswith(start)]
        return tuple(found)


def _tuple(value: Any) -> tuple[str, ...]:  # noqa: ANN401 - parsed TOML
    return tuple(str(item) for item in value)


@cached
def code_table() -> CodeTable:
    """The packaged code table (read once, then cached)."""
    import tomllib  # noqa: PLC0415 - only needed when FHIR is mapped

    data = tomllib.loads(PATH.read_text(encoding="utf-8"))
    return CodeTable(
        version=data["version"],
        systems={
            key: CodeSystem(key=key, uri=value["uri"], name=value["name"], seen_at=_tuple(value["seen_at"]))
            for key, value in data["systems"].items()
        },
        sources={key: CodeSource(id=key, **value) for key, value in data["sources"].items()},
        codes=tuple(CodeMapping(**{**row, "seen_at": _tuple(row["seen_at"])}) for row in data["codes"]),
    )
