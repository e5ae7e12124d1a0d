"""Tables in, tables out: :func:`recommend_rows` gives guidance for flat rows (pandas, CSV) as flat rows.

Each row is read by :mod:`crampkit.io.table` here; the profiles then go
through :func:`~crampkit.recommend_many` (in order, in worker processes with
``jobs``), and each result comes back as :meth:`~crampkit.BatchResult.row`
or :meth:`~crampkit.BatchResult.flat`, with the row's own id and every
problem named by its column.
"""

import contextlib
from collections import deque
from collections.abc import Callable, Generator, Iterable, Iterator, Mapping
from typing import Any, Literal, cast, overload

import attrs

from crampkit._api import prologue
from crampkit._model.arguments import python_kind
from crampkit.batch import BatchResult, RowId, batch_problems, recommend_many
from crampkit.exceptions import InvalidInputError, Problem, ProblemCode
from crampkit.io.table import by_column, column_order, read_cells, refused
from crampkit.knowledge.items import KnowledgeBase
from crampkit.text.i18n import DEFAULT_LANGUAGE
from crampkit.text.regions import DEFAULT_REGION

__all__ = ["recommend_rows"]

_Slots = deque[tuple[RowId, InvalidInputError | None]]
"""Each row read so far, in order: its id, and its error when it was refused before it was recommended."""


@overload
def recommend_rows(
    rows: Iterable[Mapping[str, Any]],
    *,
    knowledge_base: KnowledgeBase | None = None,
    jobs: int = 1,
    region: str = DEFAULT_REGION,
    language: str = DEFAULT_LANGUAGE,
    text: Literal[False] = False,
) -> Iterator[dict[str, object]]: ...


@overload
def recommend_rows(
    rows: Iterable[Mapping[str, Any]],
    *,
    knowledge_base: KnowledgeBase | None = None,
    jobs: int = 1,
    region: str = DEFAULT_REGION,
    language: str = DEFAULT_LANGUAGE,
    text: Literal[True],
) -> Iterator[dict[str, str]]: ...


def recommend_rows(
    rows: Iterable[Mapping[str, Any]],
    *,
    knowledge_base: KnowledgeBase | None = None,
    jobs: int = 1,
    region: str = DEFAULT_REGION,
    language: str = DEFAULT_LANGUAGE,
    text: bool = False,
) -> Iterator[dict[str, object]] | Iterator[dict[str, str]]:
    """Guidance for flat rows, as flat rows: a table in, a table out, one row per row, in order, lazily.

    For pandas, ``pandas.DataFrame(recommend_rows(df.to_dict("records")))``;
    for CSV, the rows of ``csv.DictReader`` in, and ``text=True`` for
    ``csv.DictWriter`` (see :doc:`/batch`).

    Args:
        rows: Rows, each a mapping of column names to cells: ``id`` (the
            row's own id, a string or a whole number; may be left out) and
            any of :data:`~crampkit.PROFILE_COLUMNS`, in any order, read as
            :func:`~crampkit.profile_from_row` reads them (lists as lists or
            as text with ``;`` between the values; NaN, ``None`` and empty
            text as absent).
        knowledge_base: As for :func:`~crampkit.recommend_many`.
        jobs: As for :func:`~crampkit.recommend_many`: how many processes do the work.
        region: As for :func:`~crampkit.recommend`: whose services the text names.
        language: As for :func:`~crampkit.recommend`: the language of the text.
        text: Give each row as :meth:`~crampkit.BatchResult.flat` does
            (every value as text, lists with ``;`` between the values, for
            CSV) rather than as :meth:`~crampkit.BatchResult.row` does (lists
            as lists, ``None`` where there is nothing).

    Returns:
        An iterator of rows with the columns of :data:`~crampkit.FLAT_COLUMNS`,
        exactly one per input row, in the same order. A bad row (a column
        that is not one of the profile's, a value a profile does not allow)
        gives a row whose ``error`` lists every problem, named by its column
        (``cramps.sites[1]: unknown value 'nose' ...``), and the run goes on.

    Raises:
        InvalidInputError: ``rows`` is not an iterable of rows (a pandas
            DataFrame itself is refused: pass ``df.to_dict("records")``), or
            ``knowledge_base``, ``jobs``, ``region``, ``language`` or ``text``
            is not valid (at once, before any row is read).

    >>> rows = [{"id": "a", "age": 70, "cramps.timing": "night"}, {"id": "b", "age": 200}]
    >>> results = recommend_rows(rows)
    >>> [(row["id"], row["triage"], row["error"]) for row in results]
    [('a', 'self-care', None), ('b', None, ['age: must be between 0 and 120, got 200'])]

    .. versionadded:: 0.2
    """
    rows_problem, jobs_problem = batch_problems("recommend_rows", rows, jobs)
    if rows_problem is None and hasattr(rows, "to_dict") and hasattr(rows, "columns"):  # a pandas DataFrame
        message = (
            f"expected an iterable of rows, got {python_kind(rows)}, whose iteration gives its column names: "
            "pass df.to_dict('records')"
        )
        rows_problem = Problem(("rows",), ProblemCode.WRONG_TYPE, message, location="recommend_rows(): rows")
    text_problem = None
    if type(text) is not bool:
        message = f"expected True or False, got {python_kind(text)}"
        text_problem = Problem(("text",), ProblemCode.WRONG_TYPE, message, location="recommend_rows(): text")
    prologue(
        "recommend_rows",
        rows_problem,
        jobs_problem,
        text_problem,
        knowledge_base=knowledge_base,
        region=region,
        language=language,
    )
    slots: _Slots = deque()
    results = recommend_many(
        _envelopes(rows, slots), knowledge_base=knowledge_base, jobs=jobs, region=region, language=language
    )
    form: Callable[[BatchResult], dict[str, Any]] = BatchResult.flat if text else BatchResult.row
    return _merged(cast("Generator[BatchResult, None, None]", results), slots, form)


def _envelopes(rows: Iterable[object], slots: _Slots) -> Iterator[dict[str, object]]:
    """The rows whose cells could be read, as rows of :func:`~crampkit.recommend_many`; every row in ``slots``.

    A row's number in the input stands in for its id (which may be missing): :func:`_merged` gives it back.
    """
    for number, row in enumerate(rows):
        row_id, data, problems = read_cells(row, with_id=True)
        if problems:
            slots.append((row_id, InvalidInputError(refused(data, problems))))
            continue
        slots.append((row_id, None))
        yield {"id": number, "profile": data}


def _merged(
    results: Generator[BatchResult, None, None], slots: _Slots, form: Callable[[BatchResult], dict[str, Any]]
) -> Iterator[dict[str, Any]]:
    """Every row's output, in input order: the refused rows' errors between the results of the others."""
    with contextlib.closing(results):  # stops recommend_many's worker processes when this stops early
        for result in results:
            row_id, error = slots.popleft()
            while error is not None:
                yield form(BatchResult(id=row_id, error=error))
                row_id, error = slots.popleft()
            if result.error is None:
                yield form(attrs.evolve(result, id=row_id))
            else:
                yield form(
                    BatchResult(id=row_id, error=InvalidInputError(column_order(map(by_column, result.error.problems))))
                )
    while slots:  # every row has been read: those left were refused
        row_id, error = slots.popleft()
        yield form(BatchResult(id=row_id, error=error))
