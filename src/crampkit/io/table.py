r"""Profiles as flat rows of a table, one column per field: :func:`profile_from_row` and :func:`profile_to_row`.

The columns (:data:`PROFILE_COLUMNS`) are the profile's JSON fields, with
the fields of ``cramps`` and ``habits`` written out (``cramps.sites``,
``habits.smoker``). A row is any mapping of column names to cells: a
``dict`` from ``csv.DictReader``, or one of pandas' ``df.to_dict("records")``.

How a cell is read:

* absent: ``None``, a float NaN, pandas' ``NA``, text that is empty or only
  spaces, or a column left out. Every field of a profile may be absent.
* a list column (``medications``, ``cramps.sites``...): a list, tuple or set,
  or text with ``;`` between the values (``"calf; foot"``: the spaces around
  each value are not part of it, and an empty value is a problem);
* a true-or-false column: ``True`` or ``False``, or the text ``true`` or
  ``false`` in any case;
* a number column: a number, or its text in decimal (``42``, ``27.5``); a
  whole-number column (``age``) takes a float only when it is whole (``42.0``
  from a pandas column with gaps), never ``42.5``;
* any other column: its text, without the spaces around it.

NumPy values (a pandas cell, an array from Parquet) are read as the Python
values they hold. Everything else is checked exactly as
:func:`~crampkit.load_profile` checks JSON, and every problem is reported
with its column as its path (``("cramps.sites", 0)``, shown as
``cramps.sites[0]``). Nothing is dropped or changed silently.
"""

import math
import re
import sys
import types
import typing
from collections.abc import Iterable, Mapping
from typing import Any, Literal, overload

import attrs

from crampkit._model.arguments import python_kind
from crampkit._model.checks import json_keys
from crampkit.exceptions import InvalidInputError, Problem, ProblemCode, closest, did_you_mean, kind_of, path_text, show
from crampkit.io.json import load_profile, unstructure
from crampkit.profile import Cramps, Habits, Profile

__all__ = [
    "ID_COLUMN",
    "PROFILE_COLUMNS",
    "SEPARATOR",
    "by_column",
    "cell_text",
    "column_order",
    "profile_from_row",
    "profile_to_row",
    "read_cells",
    "refused",
]

SEPARATOR = ";"
"""What separates the values of a list in one cell of text."""

ID_COLUMN = "id"
"""The column of a row's own id, beside the profile's columns (:func:`crampkit.recommend_rows`)."""

_Kind = Literal["list", "bool", "int", "float", "text"]
_NESTED: Mapping[str, type] = {"cramps": Cramps, "habits": Habits}
_INTEGER = re.compile(r"[+-]?[0-9]{1,30}")
_DECIMAL = re.compile(r"[+-]?(?:[0-9]+\.?[0-9]*|\.[0-9]+)(?:[eE][+-]?[0-9]{1,3})?")
_PLAIN_COLUMN = re.compile(r"[A-Za-z_][A-Za-z0-9_.]*")
_ABSENT = object()


def _kind(hint: object) -> _Kind:
    """How a cell of a field with this type (as its class annotates it) is read."""
    base = hint
    if typing.get_origin(base) in {typing.Union, types.UnionType}:  # a field that may be None
        (base,) = (arg for arg in typing.get_args(base) if arg is not type(None))
    if typing.get_origin(base) is typing.Annotated:  # a type with its constraint: the type
        base = typing.get_args(base)[0]
    if typing.get_origin(base) is frozenset:
        return "list"
    kinds: dict[object, _Kind] = {bool: "bool", int: "int", float: "float"}
    return kinds.get(base, "text")  # str, and the vocabularies (StrEnum)


def _columns() -> dict[str, tuple[tuple[str, ...], _Kind]]:
    """Each column: the keys of its field in the profile's JSON, and how its cells are read."""
    columns: dict[str, tuple[tuple[str, ...], _Kind]] = {}
    for field in attrs.fields(Profile):
        key = json_keys(Profile).get(field.name, field.name)
        part = _NESTED.get(key)
        if part is None:
            columns[key] = ((key,), _kind(field.type))
            continue
        for inner in attrs.fields(part):
            inner_key = json_keys(part).get(inner.name, inner.name)
            columns[f"{key}.{inner_key}"] = ((key, inner_key), _kind(inner.type))
    return columns


_COLUMNS = _columns()

PROFILE_COLUMNS: tuple[str, ...] = tuple(_COLUMNS)
"""The columns of a profile as a flat row, in the order of the profile's fields.

The fields of ``cramps`` and ``habits`` are columns of their own, named with a
dot: ``cramps.sites``, ``habits.smoker``.

.. versionadded:: 0.2
"""


def _absent(value: object) -> bool:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return True
    pandas = sys.modules.get("pandas")  # pandas.NA, without importing pandas
    return pandas is not None and value is getattr(pandas, "NA", None)


def _column_problem(column: str, code: ProblemCode, message: str, *rest: int) -> Problem:
    location = (column if _PLAIN_COLUMN.fullmatch(column) else show(column)) + "".join(f"[{i}]" for i in rest)
    return Problem((column, *rest), code, message, location=location)


def _number(column: str, kind: _Kind, text: str) -> object:
    if _INTEGER.fullmatch(text):
        return int(text)
    if _DECIMAL.fullmatch(text):
        return float(text)
    wanted = "an integer" if kind == "int" else "a number"
    return _column_problem(column, ProblemCode.WRONG_TYPE, f"expected {wanted}, got {show(text)}")


def _cell(column: str, kind: _Kind, value: object) -> object:
    """The value of one cell as the profile's JSON holds it, :data:`_ABSENT`, or a :class:`Problem`."""
    if type(value).__module__ == "numpy":  # a NumPy scalar or array: the Python value it holds
        value = value.tolist()  # type: ignore[attr-defined]
    if _absent(value):
        return _ABSENT
    if isinstance(value, str):
        text = value.strip()
        if not text:
            return _ABSENT
        if kind == "list":
            items = [item.strip() for item in text.split(SEPARATOR)]
            empty = [number for number, item in enumerate(items) if not item]
            if empty:
                message = f"holds an empty value: put one {SEPARATOR!r} between two values, and none at the ends"
                return _column_problem(column, ProblemCode.EMPTY, message, empty[0])
            return items
        if kind == "bool":
            answer = {"true": True, "false": False}.get(text.casefold())
            if answer is None:
                return _column_problem(column, ProblemCode.WRONG_TYPE, f"expected true or false, got {show(text)}")
            return answer
        if kind in {"int", "float"}:
            return _number(column, kind, text)
        return text
    if kind == "int" and isinstance(value, float) and value.is_integer():  # 42.0: pandas' whole numbers with gaps
        return int(value)
    if kind == "list":
        if isinstance(value, list | tuple | set | frozenset):
            return list(value)
        message = f"expected a list, or text with {SEPARATOR!r} between the values, got {kind_of(value)}"
        return _column_problem(column, ProblemCode.WRONG_TYPE, message)
    return value  # checked as JSON is: a number, true or false, or a problem there


def read_cells(row: object, *, with_id: bool) -> tuple[str | int | None, dict[str, Any], list[Problem]]:
    """The id (with ``with_id``), the profile's JSON data and the problems of the cells of a flat row.

    The data holds only the cells that could be read; it has not been checked as a profile yet.
    """
    if not isinstance(row, Mapping):
        message = f"expected a mapping of column names to values (such as a dict), got {python_kind(row)}"
        return None, {}, [Problem((), ProblemCode.WRONG_TYPE, message, location="row")]
    data: dict[str, Any] = {}
    problems: list[Problem] = []
    row_id: str | int | None = None
    for column, value in row.items():
        if with_id and column == ID_COLUMN:
            row_id, problem = _row_id(value)
            problems += [problem] if problem is not None else []
            continue
        found = _COLUMNS.get(column) if isinstance(column, str) else None
        if found is None:
            problems.append(_unknown(column, with_id=with_id))
            continue
        keys, kind = found
        cell = _cell(column, kind, value)
        if isinstance(cell, Problem):
            problems.append(cell)
        elif cell is not _ABSENT:
            target = data if len(keys) == 1 else data.setdefault(keys[0], {})
            target[keys[-1]] = cell
    return row_id, data, problems


def _row_id(value: object) -> tuple[str | int | None, Problem | None]:
    if type(value).__module__ == "numpy":
        value = value.tolist()  # type: ignore[attr-defined]
    if _absent(value):
        return None, None
    if isinstance(value, float) and value.is_integer():  # a column of whole numbers with gaps, in pandas
        value = int(value)
    if type(value) is bool or not isinstance(value, str | int):
        message = f"expected a string or a whole number, got {show(value)}"
        return None, _column_problem(ID_COLUMN, ProblemCode.WRONG_TYPE, message)
    return value, None


def _unknown(column: object, *, with_id: bool) -> Problem:
    name = column if isinstance(column, str) else show(column)
    listed = f"{ID_COLUMN} and crampkit.PROFILE_COLUMNS" if with_id else "crampkit.PROFILE_COLUMNS"
    suggestion = closest(column, (ID_COLUMN, *_COLUMNS) if with_id else _COLUMNS)
    message = did_you_mean("unknown column", suggestion, f"(the columns are {listed})")
    if name in _NESTED:  # the nested form: its fields are columns
        example = next(key for key in _COLUMNS if key.startswith(f"{name}."))
        message = f"unknown column: give the fields of {name} as columns of their own, such as {example}"
    problem = _column_problem(name, ProblemCode.UNKNOWN_FIELD, message)
    return problem if suggestion is None else attrs.evolve(problem, suggestion=suggestion)


def refused(data: dict[str, Any], problems: list[Problem]) -> list[Problem]:
    """Every problem of a row whose cells have ``problems``: those, and those of the ``data`` they left.

    Named by column, in :func:`column_order`.
    """
    try:
        load_profile(data)
    except InvalidInputError as exc:
        problems = [*problems, *map(by_column, exc.problems)]
    return column_order(problems)


_ORDER = {column: number for number, column in enumerate((ID_COLUMN, *PROFILE_COLUMNS))}


def column_order(problems: Iterable[Problem]) -> list[Problem]:
    """Problems named by column in one order, whatever the order of the row's columns.

    A problem with the whole row comes first, then ``id``, then the columns of
    :data:`PROFILE_COLUMNS` in their order, then unknown columns in the row's order.
    """
    return sorted(problems, key=lambda problem: _ORDER.get(str(problem.path[0]), len(_ORDER)) if problem.path else -1)


def by_column(problem: Problem) -> Problem:
    """A problem of a profile's JSON data, with its path (and location) starting at its column."""
    path = problem.path
    if len(path) >= 2 and path[0] in _NESTED and isinstance(path[1], str):  # noqa: PLR2004 - a part and its field
        column, rest = f"{path[0]}.{path[1]}", path[2:]
    elif path and isinstance(path[0], str):
        column, rest = path[0], path[1:]
    else:
        return problem
    location = problem.location
    if location == path_text(path):
        location = column + path_text(rest)  # the indexes of a list: a profile is nested no deeper
    return attrs.evolve(problem, path=(column, *rest), location=location)


def profile_from_row(row: Mapping[str, object]) -> Profile:
    """Build a :class:`~crampkit.Profile` from a flat row: a mapping of :data:`PROFILE_COLUMNS` to cells.

    See :doc:`/batch` ("Tables") for how each cell is read: lists as lists or
    as text with ``;`` between the values, true or false, numbers, NaN or
    ``None`` or empty text as absent. Columns may come in any order, and any
    may be left out.

    Raises:
        InvalidInputError: ``row`` is not a mapping, has a column that is not
            one of :data:`PROFILE_COLUMNS`, or holds a value a profile does not
            allow. Every problem is listed, with its column as its path
            (``cramps.sites[1]: unknown value 'nose' (allowed: ...)``), in the
            order of :data:`PROFILE_COLUMNS` (unknown columns last).

    >>> row = {"age": 70.0, "cramps.timing": "night", "cramps.sites": "calf; foot"}
    >>> profile = profile_from_row(row)
    >>> profile.age, sorted(profile.cramps.sites)
    (70, [<Site.CALF: 'calf'>, <Site.FOOT: 'foot'>])

    .. versionadded:: 0.2
    """
    _, data, problems = read_cells(row, with_id=False)
    if not problems:
        try:
            return load_profile(data)
        except InvalidInputError as exc:
            raise InvalidInputError(column_order(map(by_column, exc.problems))) from None
    raise InvalidInputError(refused(data, problems))


@overload
def profile_to_row(profile: Profile, *, text: Literal[False] = False) -> dict[str, object]: ...


@overload
def profile_to_row(profile: Profile, *, text: Literal[True]) -> dict[str, str]: ...


def profile_to_row(profile: Profile, *, text: bool = False) -> dict[str, object] | dict[str, str]:
    """A profile as a flat row: every column of :data:`PROFILE_COLUMNS`, in order.

    :func:`profile_from_row` reads it back as the same profile.

    Args:
        profile: The profile.
        text: Give every cell as text, for CSV: a list as its values with
            ``;`` between them, true or false as ``true`` and ``false``, a
            field not given as empty text. Without it, lists are lists (of
            the JSON values, sorted), and a field not given is ``None``.

    Raises:
        InvalidInputError: ``profile`` is not a :class:`~crampkit.Profile`;
            or, with ``text``, a medicine name holds ``;`` or starts or ends
            with a space, so that it cannot be written in a cell of text.

    >>> profile_to_row(profile_from_row({"cramps.sites": ["foot", "calf"]}))["cramps.sites"]
    ['calf', 'foot']
    >>> profile = profile_from_row({"age": 70, "pregnant": "FALSE"})
    >>> profile_to_row(profile, text=True)["pregnant"]
    'false'

    .. versionadded:: 0.2
    """
    problems: list[Problem] = []
    if not isinstance(profile, Profile):
        message = f"expected a crampkit.Profile, got {python_kind(profile)}"
        problems.append(Problem(("profile",), ProblemCode.WRONG_TYPE, message, location="profile_to_row(): profile"))
    if type(text) is not bool:
        message = f"expected True or False, got {python_kind(text)}"
        problems.append(Problem(("text",), ProblemCode.WRONG_TYPE, message, location="profile_to_row(): text"))
    if problems:
        raise InvalidInputError(problems)
    data = unstructure(profile)
    row: dict[str, object] = {}
    for column, (keys, kind) in _COLUMNS.items():
        part = data if len(keys) == 1 else data.get(keys[0], {})
        value = part.get(keys[-1], [] if kind == "list" else None)
        row[column] = value
    if not text:
        return row
    return _as_text(row)


def _as_text(row: dict[str, object]) -> dict[str, str]:
    problems = [
        _column_problem(column, ProblemCode.WRONG_FORMAT, f"{show(item)} cannot be written in a cell of text", index)
        for column, value in row.items()
        if isinstance(value, list)
        for index, item in enumerate(value)
        if SEPARATOR in item or item != item.strip()
    ]
    if problems:
        raise InvalidInputError(problems)
    return {column: cell_text(value) for column, value in row.items()}


def cell_text(value: object) -> str:
    """A cell's value as text: lists with ``;`` between the values, ``true`` and ``false``, ``None`` as empty."""
    if value is None:
        return ""
    if isinstance(value, list):
        return SEPARATOR.join(map(cell_text, value))
    if isinstance(value, bool):
        return "true" if value else "false"
    return repr(value) if isinstance(value, float) else str(value)
