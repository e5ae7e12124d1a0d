"""The exclusion table: who must never be offered what, with the sources that say so.

One row says that, when its criteria hold, no intervention of its categories
and none that gives one of its medicines (:attr:`crampkit.Intervention.medicines_given`)
may be offered: anti-inflammatory painkillers from 65, diltiazem with
digoxin, heat and cold on numb legs, fluids with a fluid limit, and so on.
The table is packaged data (``floor/exclusion_table.toml``, beside the knowledge base's ``data``), read once; it is
not part of any knowledge base, so no knowledge base can change it. The
safety floor (:func:`crampkit.knowledge.safety.treatment_problems`) holds
every knowledge base to it: each intervention a row covers must be left out,
by a contraindication or a population rule of the knowledge base itself (whose
reason is what the person reads), for every set of facts that meets the row.
The docs render the table from the same data.

.. versionadded:: 0.2
"""

import itertools
from collections.abc import Iterator
from pathlib import Path

import attrs

from crampkit._caches import cached
from crampkit._model.checks import checked
from crampkit._model.constraints import check_id, check_not_empty
from crampkit._model.convert import structure
from crampkit.exceptions import InvalidInputError, Problem, ProblemCode
from crampkit.knowledge.items import Criteria, Intervention
from crampkit.vocab import Category, Fact, Stance

__all__ = ["EXCLUSION_TABLE_FILE", "ExclusionRow", "exclusion_table"]

EXCLUSION_TABLE_FILE = Path(__file__).parent / "floor" / "exclusion_table.toml"
"""Where the packaged exclusion table is."""


@checked
@attrs.frozen(kw_only=True)
class ExclusionRow:
    """One row of the exclusion table: when ``when`` holds, what must be left out.

    Attributes:
        id: The row's id.
        when: The facts that call for it (``all``, ``any`` or ``each``; never ``none``).
        excludes_categories: Interventions of these categories are left out.
        excludes_medicines: Interventions that give a medicine of these drug classes are left out.
        why: Why, in plain words.
        sources: The ids of the packaged sources that say so.

    .. versionadded:: 0.2
    """

    id: str = attrs.field(validator=check_id)
    when: Criteria = attrs.field()
    excludes_categories: frozenset[Category] = frozenset()
    excludes_medicines: frozenset[Fact] = frozenset()
    why: str = attrs.field(validator=check_not_empty)
    sources: tuple[str, ...] = attrs.field(validator=check_not_empty)

    @when.validator
    def _check_when(self, _attribute: "attrs.Attribute[Criteria]", value: Criteria) -> None:
        if value.none_of or value.is_empty:  # a row must hold on facts present, and learning more never undoes it
            message = "a row needs 'all', 'any' or 'each' facts and may not use 'none'"
            raise InvalidInputError([Problem(("when",), ProblemCode.NOT_ALLOWED_VALUE, message)])

    def covers(self, intervention: Intervention) -> bool:
        """Whether this row applies to ``intervention`` (one that is offered, not one that is not recommended)."""
        if intervention.stance is Stance.NOT_RECOMMENDED:
            return False
        return intervention.category in self.excludes_categories or not self.excludes_medicines.isdisjoint(
            intervention.medicines_given
        )

    def cases(self) -> Iterator[frozenset[Fact]]:
        """Every smallest set of facts that meets ``when``: its ``all`` facts, one ``any`` fact, one of each group."""
        when = self.when
        alternatives = [sorted(when.any_of)] if when.any_of else []
        alternatives += [sorted(group) for group in when.each_of]
        for choice in itertools.product(*alternatives):
            yield when.all_of.union(choice)


@cached
def exclusion_table() -> tuple[ExclusionRow, ...]:
    """The packaged exclusion table, in file order (read on first use, then kept).

    .. versionadded:: 0.2
    """
    import tomllib  # noqa: PLC0415 - imported when first needed, for start-up time

    with EXCLUSION_TABLE_FILE.open("rb") as file:
        rows = tomllib.load(file)["rows"]
    return tuple(structure(row, ExclusionRow, root="exclusion_table") for row in rows)
