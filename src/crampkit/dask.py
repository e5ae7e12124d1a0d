"""Guidance for many JSON Lines files on a Dask cluster, written to Parquet (the optional ``dask`` extra).

Each input line is a row of ``crampkit recommend --jsonl``, ``{"id": ...,
"profile": {...}}``. :func:`recommend_to_parquet` cuts the files into
blocks of bytes; each block is one task, which reads the lines that start
in it, runs :func:`crampkit.recommend_many` over them and writes one Parquet
file, a row group at a time. Its memory is bounded by the block
and one row group, however large the input (see docs/performance.md, "Batch").

``import crampkit`` never imports this module, nor Dask; import it as
``crampkit.dask`` once the ``dask`` extra is installed (``pip install
'.[dask]'`` in a checkout of crampkit: Dask, ``distributed`` and pyarrow).

.. versionadded:: 0.2
"""

import os
from collections.abc import Iterator, Sequence
from itertools import islice
from typing import Any, BinaryIO, NamedTuple

import fsspec
import pyarrow as pa
import pyarrow.parquet as pq
from dask.base import compute
from dask.delayed import delayed
from dask.utils import parse_bytes
from fsspec.utils import read_block

from crampkit._api import prologue
from crampkit._model.arguments import python_kind
from crampkit.batch import FLAT_COLUMNS, BatchResult, recommend_many
from crampkit.exceptions import InvalidInputError, Problem, ProblemCode, show
from crampkit.io.json import to_json
from crampkit.knowledge.items import KnowledgeBase
from crampkit.text.i18n import DEFAULT_LANGUAGE
from crampkit.text.regions import DEFAULT_REGION

__all__ = ["BLOCKSIZE", "GROUP_ROWS", "SCHEMA", "recommend_to_parquet", "write_part"]

SCHEMA = pa.schema([(name, pa.string()) for name in (*FLAT_COLUMNS, "guidance")])
"""The columns of every part file: those of :meth:`crampkit.BatchResult.flat`, as text, and ``guidance``.

``guidance`` is the whole guidance as compact JSON (:func:`crampkit.to_json`), empty for a bad row.
"""

BLOCKSIZE = "8MiB"
"""The most bytes of a file one task reads at once, by default (tens of thousands of rows)."""

GROUP_ROWS = 2048
"""The most rows a task holds at once, by default, written as one row group of its Parquet file."""


class _Settings(NamedTuple):
    """What every row is recommended with, and how many rows a row group holds."""

    knowledge_base: KnowledgeBase | None
    region: str
    language: str
    group_rows: int


def recommend_to_parquet(
    inputs: Sequence[str | os.PathLike[str]],
    output: str | os.PathLike[str],
    *,
    blocksize: int | str = BLOCKSIZE,
    group_rows: int = GROUP_ROWS,
    knowledge_base: KnowledgeBase | None = None,
    region: str = DEFAULT_REGION,
    language: str = DEFAULT_LANGUAGE,
) -> int:
    """Guidance for every line of ``inputs``, as Parquet files in the folder ``output``; the number of rows.

    Runs on the current Dask scheduler: the ``dask.distributed`` client
    created last, if there is one. Every task reads one block of one input
    and writes one file, ``part-00000.parquet`` onwards, numbered in input
    order (with more digits when there are more than 100,000 blocks), so
    reading the folder back gives the rows in order. Each row of
    a file is a row's :meth:`~crampkit.BatchResult.flat` columns, as text,
    and ``guidance``, its guidance as compact JSON (empty for a bad row),
    as :data:`SCHEMA` says. A bad line gives a row with its ``error`` and
    the run goes on, as with ``crampkit recommend --jsonl``.

    Args:
        inputs: JSON Lines files (UTF-8, not compressed): paths, or fsspec
            URLs such as ``s3://bucket/rows.jsonl`` (with that file system's
            package installed). On a cluster, every worker must be able to
            read them.
        output: The folder to write to (made if needed), a path or an fsspec
            URL; on a cluster, every worker must be able to write there.
        blocksize: The most bytes of a file one task reads at once (a number
            or text such as ``"8MiB"``): the unit of work.
        group_rows: The most rows a task holds at once, written as one row
            group: with the block, what bounds a worker's memory.
        knowledge_base: As for :func:`~crampkit.recommend`; copied into
            every task.
        region: As for :func:`~crampkit.recommend`.
        language: As for :func:`~crampkit.recommend`.

    Raises:
        InvalidInputError: An argument is not valid (every problem is listed), an input cannot be read,
            or ``output`` already holds part files (of an earlier run); before any work starts.

    .. versionadded:: 0.2
    """
    where = "recommend_to_parquet()"
    problems = [
        _paths_problem(inputs, where),
        _path_problem("output", output, where),
        _blocksize_problem(blocksize, where),
        _count_problem(group_rows, where),
    ]
    prologue("recommend_to_parquet", *problems, knowledge_base=knowledge_base, region=region, language=language)
    size = parse_bytes(blocksize) if isinstance(blocksize, str) else blocksize
    blocks: list[_Block] = []
    for path in inputs:
        source, name = fsspec.core.url_to_fs(os.fspath(path))
        try:
            length = source.size(name)
        except OSError as exc:  # a file that is missing, or cannot be read
            message = f"cannot be read: {exc.strerror or exc} ({os.fspath(path)})"
            problem = Problem(("inputs",), ProblemCode.CANNOT_READ, message, location=f"{where}: inputs")
            raise InvalidInputError([problem]) from None
        blocks += [_Block(source, name, start, size) for start in range(0, length, size)]
    file_system, folder = fsspec.core.url_to_fs(os.fspath(output))
    if file_system.glob(f"{folder}/part-*.parquet"):  # reading the folder back would mix two runs' rows
        message = "already holds part files (part-*.parquet): remove them, or choose another folder"
        raise InvalidInputError([Problem(("output",), ProblemCode.CONFLICT, message, location=f"{where}: output")])
    file_system.makedirs(folder, exist_ok=True)
    settings = _Settings(knowledge_base, region, language, group_rows)
    digits = max(5, len(str(len(blocks) - 1)))  # so that the names sort in input order
    parts = [
        delayed(_write_block)(block, file_system, f"{folder}/part-{number:0{digits}d}.parquet", settings)
        for number, block in enumerate(blocks)
    ]
    return sum(compute(*parts))  # type: ignore[no-untyped-call]


def write_part(
    lines: Iterator[str | bytes] | Sequence[str | bytes],
    file: str | os.PathLike[str] | BinaryIO,
    *,
    group_rows: int = GROUP_ROWS,
    knowledge_base: KnowledgeBase | None = None,
    region: str = DEFAULT_REGION,
    language: str = DEFAULT_LANGUAGE,
) -> int:
    """Write the results for ``lines`` to one Parquet file (:data:`SCHEMA`), ``group_rows`` at a time; the row count.

    What each task of :func:`recommend_to_parquet` does, for use in a
    pipeline of your own (a ``dask.bag`` partition, the lines of a file).
    ``lines`` are rows as :func:`~crampkit.recommend_many` takes their text
    (a line break at the end is ignored), read as they are needed; ``file``
    is a path or a binary file open for writing. The arguments are checked
    as for :func:`recommend_to_parquet`.

    .. versionadded:: 0.2
    """
    where = "write_part()"
    problems = [_path_problem("file", file, where, binary=True), _count_problem(group_rows, where)]
    prologue("write_part", *problems, knowledge_base=knowledge_base, region=region, language=language)
    where_to = os.fspath(file) if isinstance(file, os.PathLike) else file
    return _write(lines, where_to, _Settings(knowledge_base, region, language, group_rows))


class _Block(NamedTuple):
    """Where one task reads: the lines that start in ``size`` bytes from ``start`` of a file."""

    file_system: Any
    path: str
    start: int
    size: int


def _write_block(block: _Block, file_system: Any, path: str, settings: _Settings) -> int:  # noqa: ANN401 - any fsspec file system
    """One task: the lines of ``block``, read here (so that no task holds another's), to the Parquet file ``path``."""
    with block.file_system.open(block.path, "rb") as source:
        data = read_block(source, block.start, block.size, delimiter=b"\n")
    with file_system.open(path, "wb") as file:
        return _write(_lines(data), file, settings)


def _lines(block: bytes) -> Iterator[bytes]:
    """The lines of a block, one at a time (each with its line break, but the last line may have none)."""
    start = 0
    while start < len(block):
        end = block.find(b"\n", start) + 1 or len(block)
        yield block[start:end]
        start = end


def _write(lines: Any, file: Any, settings: _Settings) -> int:  # noqa: ANN401 - lines and a path or a file
    knowledge_base, region, language, group_rows = settings
    results = recommend_many(lines, knowledge_base=knowledge_base, region=region, language=language)
    rows = 0
    with pq.ParquetWriter(file, SCHEMA) as writer:
        while group := list(islice(results, group_rows)):
            writer.write_table(_table(group))
            rows += len(group)
    return rows


def _table(results: list[BatchResult]) -> pa.Table:
    """One row group: each result's flat columns and its guidance's JSON, in order."""
    columns: dict[str, list[str]] = {name: [] for name in SCHEMA.names}
    for result in results:
        for name, value in result.flat().items():
            columns[name].append(value)
        columns["guidance"].append("" if result.guidance is None else to_json(result.guidance))
    return pa.table(columns, schema=SCHEMA)


def _paths_problem(value: object, where: str) -> Problem | None:
    if isinstance(value, str | bytes | os.PathLike) or not isinstance(value, Sequence):
        message = f"expected a list of paths or URLs of JSON Lines files, got {python_kind(value)}"
        return Problem(("inputs",), ProblemCode.WRONG_TYPE, message, location=f"{where}: inputs")
    if not value:
        message = "expected at least one path or URL of a JSON Lines file"
        return Problem(("inputs",), ProblemCode.EMPTY, message, location=f"{where}: inputs")
    for index, path in enumerate(value):
        if not isinstance(path, str | os.PathLike):
            message = f"expected a path or a URL, got {python_kind(path)}"
            return Problem(("inputs", index), ProblemCode.WRONG_TYPE, message, location=f"{where}: inputs[{index}]")
    return None


def _path_problem(name: str, value: object, where: str, *, binary: bool = False) -> Problem | None:
    if isinstance(value, str | os.PathLike) or (binary and callable(getattr(value, "write", None))):
        return None
    wanted = "a path, a URL or a binary file" if binary else "a path or a URL"
    message = f"expected {wanted}, got {python_kind(value)}"
    return Problem((name,), ProblemCode.WRONG_TYPE, message, location=f"{where}: {name}")


def _blocksize_problem(value: object, where: str) -> Problem | None:
    location = f"{where}: blocksize"
    if isinstance(value, str):
        try:
            size = parse_bytes(value)
        except ValueError:
            message = f'expected a size such as "8MiB", got {show(value)}'
            return Problem(("blocksize",), ProblemCode.NOT_ALLOWED_VALUE, message, location=location)
        return _count_problem(size, where, "blocksize", shown=show(value))
    return _count_problem(value, where, "blocksize")


def _count_problem(value: object, where: str, name: str = "group_rows", shown: str | None = None) -> Problem | None:
    location = f"{where}: {name}"
    if type(value) is not int:
        message = f"expected a whole number of at least 1, got {python_kind(value)}"
        return Problem((name,), ProblemCode.WRONG_TYPE, message, location=location)
    if value < 1:
        message = f"expected a whole number of at least 1, got {shown or value}"
        return Problem((name,), ProblemCode.OUT_OF_RANGE, message, location=location, minimum=1)
    return None
