"""Guidance for many JSON Lines files on a local Dask cluster, written to Parquet with :mod:`crampkit.dask`.

Needs the ``dask`` extra (``pip install '.[dask]'`` in a checkout of crampkit). Run it as::

    python docs/examples/dask_parquet.py OUTPUT_FOLDER ROWS.jsonl [ROWS.jsonl ...]

It starts a local cluster of two single-threaded worker processes, runs
:func:`crampkit.dask.recommend_to_parquet` on it and stops it. On a real
cluster, create a ``dask.distributed.Client`` for its scheduler instead and
call :func:`~crampkit.dask.recommend_to_parquet` the same way (see docs/batch.md).
"""

import sys
from collections.abc import Sequence

from dask.distributed import Client, LocalCluster

from crampkit.dask import recommend_to_parquet


def main(argv: Sequence[str]) -> int:
    """Run on a local cluster of two single-threaded worker processes, stopped at the end."""
    output, *inputs = argv
    # The dashboard on a free port of its own (":0"): with None, distributed still tries its default port,
    # and warns when another cluster on the machine holds it.
    with (
        LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=":0") as cluster,
        Client(cluster),
    ):
        rows = recommend_to_parquet(inputs, output)
    print(f"{rows} rows written to {output}")  # noqa: T201 - the command's report
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
