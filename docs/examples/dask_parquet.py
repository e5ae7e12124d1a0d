"""Guidance for many JSON Lines files on a Dask cluster, written to Parquet.

Each input line is a crampkit row, ``{"id": ..., "profile": {...}}``. Dask
reads the files as a bag of lines in blocks; every block becomes one task,
which runs :func:`crampkit.recommend_many` over its lines and writes one
Parquet file with pyarrow: the flat columns of :data:`crampkit.FLAT_COLUMNS`
(as text) and ``guidance``, the whole guidance as compact JSON (empty for a
bad row). The part files are numbered in input order.

Needs the ``dask`` extra (``pip install '.[dask]'`` in a checkout of crampkit). Run it on a
local cluster of two worker processes::

    python docs/examples/dask_parquet.py OUTPUT_FOLDER ROWS.jsonl [ROWS.jsonl ...]

or point :func:`recommend_to_parquet` at a real cluster by creating a
``dask.distributed.Client`` for its scheduler first (see docs/batch.md).
"""

import sys
from collections.abc import Iterable, Sequence
from pathlib import Path

import dask
import dask.bag
import pyarrow as pa
import pyarrow.parquet as pq

import crampkit

SCHEMA = pa.schema([(name, pa.string()) for name in (*crampkit.FLAT_COLUMNS, "guidance")])
"""The columns of every part file."""


def to_table(lines: Iterable[str]) -> pa.Table:
    """The results for some lines, one table row per line, in order."""
    columns: dict[str, list[str]] = {name: [] for name in SCHEMA.names}
    for result in crampkit.recommend_many(lines):
        for name, value in result.flat().items():
            columns[name].append(value)
        guidance = "" if result.guidance is None else crampkit.to_json(result.guidance, indent=None)
        columns["guidance"].append(guidance)
    return pa.table(columns, schema=SCHEMA)


def write_part(lines: Iterable[str], path: str) -> int:
    """Write the results for one block of lines to a Parquet file; return how many rows it holds."""
    table = to_table(lines)
    pq.write_table(table, path)
    return int(table.num_rows)


def recommend_to_parquet(inputs: Sequence[Path], output: Path, *, blocksize: str = "8MiB") -> int:
    """Guidance for every line of ``inputs`` as Parquet part files in ``output``; return the number of rows.

    Runs on the current Dask scheduler: the distributed client created last,
    if there is one.
    """
    output.mkdir(parents=True, exist_ok=True)
    lines = dask.bag.read_text([str(path) for path in inputs], blocksize=blocksize)
    parts = [
        dask.delayed(write_part)(block, str(output / f"part-{number:05d}.parquet"))
        for number, block in enumerate(lines.to_delayed())
    ]
    return sum(dask.compute(*parts))


def main(argv: Sequence[str]) -> int:
    """Run on a local cluster of two single-threaded worker processes, stopped at the end."""
    from dask.distributed import Client, LocalCluster  # noqa: PLC0415 - only the command needs a cluster

    output, *inputs = argv
    # The dashboard on a free port of its own (":0"): with None, distributed still tries its default port,
    # and warns when another cluster on the machine holds it.
    with (
        LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=":0") as cluster,
        Client(cluster),
    ):
        rows = recommend_to_parquet([Path(name) for name in inputs], Path(output))
    print(f"{rows} rows written to {output}")  # noqa: T201 - the command's report
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
