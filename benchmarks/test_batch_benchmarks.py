"""Speed and memory of ``crampkit recommend --jsonl``, on realistic varied rows (never part of the test suite).

Run: ``python -m pytest benchmarks/test_batch_benchmarks.py --benchmark-only -p no:cacheprovider -s``

Rows are the clinic stream of ``benchmarks/streams.py`` (realistic and
varied: about 3 % of the sets of facts come again), one row in 50 bad.

* **per row**: ``--jsonl --jobs 1`` (run in this process, on :data:`PER_ROW_ROWS`
  rows) against a plain loop of ``load_profile`` + ``recommend`` + compact
  ``to_json`` over the same profiles, and against the plain-Python version
  of ``benchmarks/reference.py`` with ``json.dumps`` (the same output);
  interleaved in the same run, thread CPU time (``benchmarks/measure.py``);
* **--jobs 2 against --jobs 1** for inputs of several sizes, each run a
  fresh ``crampkit`` process (wall time, which is what a user waits for,
  and CPU time), interleaved: with a pool whatever the size, and as
  shipped (a pool only above the threshold of ``crampkit.batch``);
* **memory**: the peak resident memory of a ``crampkit recommend --jsonl -``
  process fed rows made on the fly through a pipe, for two lengths of input
  (``CRAMPKIT_BENCH_MEMORY_ROWS``, default 20,000 and 200,000);
* **Dask**: :func:`crampkit.dask.recommend_to_parquet` on a local cluster of
  two single-threaded worker processes, with each worker's peak memory.

Figures go to stdout and to each benchmark's ``extra_info`` (see docs/performance.md, "Batch").
"""

import io
import json
import os
import statistics
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from measure import Figure, per_row_us, ratio, rounds
from reference import Reference
from streams import stream

import crampkit
from crampkit.cli import main

PER_ROW_ROWS = 5_000
CHUNK_FILE_ROWS = 250
"""Rows of each piece of the per-row comparison: each side runs a piece in turn."""
SIZES = [int(n) for n in os.environ.get("CRAMPKIT_BENCH_JOBS_ROWS", "512,1024,2048,4096,8192,20000").split(",")]
SIZE_ROUNDS = 3
DASK_ROWS = 40_000
MEMORY_ROWS = [int(n) for n in os.environ.get("CRAMPKIT_BENCH_MEMORY_ROWS", "20000,200000").split(",")]
BAD_EVERY = 50

CLINIC = stream("clinic", 20_000)
"""The first rows of the clinic stream; longer inputs run through it again, with other ids."""


def lines(count: int, *, bad_every: int = BAD_EVERY) -> Iterator[str]:
    """``count`` rows of the clinic stream as JSON Lines, one in ``bad_every`` with an invalid profile."""
    for n in range(count):
        profile = {"age": -1} if bad_every and n % bad_every == 0 else CLINIC[n % len(CLINIC)]
        yield json.dumps({"id": n, "profile": profile}) + "\n"


def test_jsonl_per_row_cost_against_plain_loops(benchmark: Any, tmp_path: Path) -> None:
    every = list(lines(PER_ROW_ROWS))
    pieces = []
    for start in range(0, PER_ROW_ROWS, CHUNK_FILE_ROWS):
        pieces.append(tmp_path / f"rows-{start}.jsonl")
        pieces[-1].write_text("".join(every[start : start + CHUNK_FILE_ROWS]))
    texts = [path.read_text().splitlines() for path in pieces]

    def jsonl(piece: int) -> None:
        assert main(["recommend", "--jsonl", str(pieces[piece]), "--jobs", "1"], stdout=io.StringIO()) == 0

    def plain_loop(piece: int) -> None:
        out = io.StringIO()
        for text in texts[piece]:
            row = json.loads(text)
            try:
                guidance = crampkit.to_json(crampkit.recommend(crampkit.load_profile(row["profile"])))
            except crampkit.InvalidInputError as exc:
                out.write(json.dumps({"id": row["id"], "error": exc.as_data()}) + "\n")
            else:
                out.write(f'{{"id":{json.dumps(row["id"])},"guidance":{guidance}}}\n')

    def plain_version(reference: Reference) -> Callable[[int], None]:
        def run(piece: int) -> None:
            out = io.StringIO()
            for text in texts[piece]:
                row = json.loads(text)
                try:
                    guidance = reference(crampkit.load_profile(row["profile"]))
                except crampkit.InvalidInputError as exc:
                    out.write(json.dumps({"id": row["id"], "error": exc.as_data()}) + "\n")
                else:
                    data = {"id": row["id"], "guidance": crampkit.unstructure(guidance)}
                    out.write(json.dumps(data, ensure_ascii=False, separators=(",", ":")) + "\n")

        return run

    jsonl(0)  # warm up: the knowledge base, the converter, the checks
    rows_of = range(len(pieces))

    def sides() -> dict[str, Any]:
        crampkit._caches.clear()  # noqa: SLF001 - every round from empty caches, as a fresh process
        version = plain_version(Reference())
        return {
            "--jsonl": lambda chunk: [jsonl(piece) for piece in chunk],
            "plain loop": lambda chunk: [plain_loop(piece) for piece in chunk],
            "plain version": lambda chunk: [version(piece) for piece in chunk],
        }

    measured: list[dict[str, float]] = []

    def one_round() -> None:
        measured.extend(rounds(sides, list(rows_of), 1))

    benchmark.pedantic(one_round, rounds=5, iterations=1)
    loop, version = ratio(measured, "--jsonl", "plain loop"), ratio(measured, "--jsonl", "plain version")
    us = per_row_us(measured, "--jsonl", PER_ROW_ROWS)
    benchmark.extra_info.update(over_loop=loop.values, over_version=version.values, us_per_row=us.values)
    print(  # noqa: T201
        f"\nper row, {PER_ROW_ROWS:,} clinic rows (1 in {BAD_EVERY} bad): --jsonl --jobs 1 {us} us of CPU "
        f"({1e6 / us.median:,.0f} rows/s); --jsonl / plain loop {loop}; --jsonl / plain version {version}; "
        f"plain loop {per_row_us(measured, 'plain loop', PER_ROW_ROWS).median:.0f} us, plain version "
        f"{per_row_us(measured, 'plain version', PER_ROW_ROWS).median:.0f} us"
    )


_FORCED = """
import sys
import crampkit.batch
crampkit.batch._POOL_MIN_CHUNKS = 0
from crampkit.cli import main
sys.exit(main(sys.argv[1:]))
"""
"""``crampkit`` with a pool of workers for an input of any length (the threshold taken away)."""


def _run(path: Path, jobs: int, *, pool_always: bool) -> tuple[float, float]:
    """Wall and CPU seconds of one ``crampkit recommend --jsonl`` process (its CPU time includes its workers')."""
    command = ["-c", _FORCED] if pool_always else ["-m", "crampkit"]
    start = time.perf_counter()
    process = subprocess.Popen(
        [sys.executable, *command, "recommend", "--jsonl", str(path), "--jobs", str(jobs)], stdout=subprocess.DEVNULL
    )
    _, status, usage = os.wait4(process.pid, 0)
    wall = time.perf_counter() - start
    process.returncode = os.waitstatus_to_exitcode(status)
    assert process.returncode == 0
    return wall, usage.ru_utime + usage.ru_stime  # wait4 counts the children it waited for: the workers


def test_jsonl_two_jobs_against_one_by_input_size(benchmark: Any, tmp_path: Path) -> None:
    figures = []
    for size in SIZES:
        path = tmp_path / f"rows-{size}.jsonl"
        path.write_text("".join(lines(size)))
        runs: dict[str, list[tuple[float, float]]] = {"1": [], "2, pool": [], "2": []}
        for number in range(SIZE_ROUNDS):
            order = list(runs)[number % 3 :] + list(runs)[: number % 3]
            for side in order:
                runs[side].append(_run(path, 1 if side == "1" else 2, pool_always=side == "2, pool"))
        wall = {side: Figure([one[0] for one in found]) for side, found in runs.items()}
        cpu = {side: statistics.median(one[1] for one in found) for side, found in runs.items()}
        pool = Figure([two[0] / one[0] for one, two in zip(runs["1"], runs["2, pool"], strict=True)])
        shipped = Figure([two[0] / one[0] for one, two in zip(runs["1"], runs["2"], strict=True)])
        figures.append(
            f"{size:>6,} rows: --jobs 1 {wall['1'].median:.2f} s ({cpu['1']:.2f} s CPU); --jobs 2 with a pool "
            f"{wall['2, pool'].median:.2f} s ({cpu['2, pool']:.2f} s CPU): {pool} of --jobs 1; as shipped "
            f"{wall['2'].median:.2f} s: {shipped}"
        )
        benchmark.extra_info[f"rows_{size}"] = {
            "wall": {side: figure.values for side, figure in wall.items()},
            "cpu": cpu,
        }
    benchmark.pedantic(lambda: None, rounds=1)
    print("\n--jobs 2 / --jobs 1, wall time, fresh processes (median, range):\n" + "\n".join(figures))  # noqa: T201


_LAUNCH = """
import os, subprocess, sys
child = subprocess.Popen(sys.argv[1:])
_, status, usage = os.wait4(child.pid, 0)
print(usage.ru_maxrss, os.waitstatus_to_exitcode(status), file=sys.stderr)
"""
"""Starts a command and reports its peak resident memory (KiB) and exit code on standard error.

A process forked from this one (which holds every stream in memory) would report this process's
size as its peak: the high-water mark survives ``exec``. Forked from this small launcher, it does not.
"""


def _peak_rss_kib(rows: int) -> tuple[int, float]:
    """Peak resident memory of ``crampkit recommend --jsonl -`` fed ``rows`` rows through a pipe, and its run time."""
    start = time.perf_counter()
    process = subprocess.Popen(
        [sys.executable, "-c", _LAUNCH, sys.executable, "-m", "crampkit", "recommend", "--jsonl", "-"],
        stdin=subprocess.PIPE,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    assert process.stdin is not None

    def feed() -> None:
        assert process.stdin is not None
        batch = []
        for line in lines(rows):
            batch.append(line)
            if len(batch) == 1000:
                process.stdin.write("".join(batch).encode())
                batch.clear()
        process.stdin.write("".join(batch).encode())
        process.stdin.close()

    feeder = threading.Thread(target=feed)
    feeder.start()
    assert process.stderr is not None
    with process.stderr:
        peak, code = map(int, process.stderr.read().split())
    process.wait()
    feeder.join()
    assert code == 0
    return peak, time.perf_counter() - start


def test_jsonl_memory_however_long_the_input(benchmark: Any) -> None:
    peaks = {rows: _peak_rss_kib(rows) for rows in MEMORY_ROWS}
    benchmark.pedantic(lambda: None, rounds=1)
    benchmark.extra_info.update({f"peak_rss_kib_{rows}": peak for rows, (peak, _) in peaks.items()})
    figures = ", ".join(
        f"{rows:,} rows: peak {peak / 1024:.1f} MiB in {seconds:.0f} s" for rows, (peak, seconds) in peaks.items()
    )
    low, high = (peaks[rows][0] for rows in (min(MEMORY_ROWS), max(MEMORY_ROWS)))
    growth = f"{high / low:.2f}x for {max(MEMORY_ROWS) / min(MEMORY_ROWS):.0f}x the rows"
    print(f"\nmemory, clinic rows: {figures}; {growth}")  # noqa: T201


def _peak_kib() -> int:
    """This process's peak resident memory (run on each Dask worker)."""
    import resource  # noqa: PLC0415 - on the worker

    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss


def test_dask_on_a_local_cluster(benchmark: Any, tmp_path: Path) -> None:
    """:func:`crampkit.dask.recommend_to_parquet`: 4 files of DASK_ROWS / 4 rows, 2 single-threaded worker processes."""
    pytest.importorskip("dask.distributed", reason="needs the dask extra")
    from dask.distributed import Client, LocalCluster  # noqa: PLC0415

    from crampkit.dask import recommend_to_parquet  # noqa: PLC0415

    every = list(lines(DASK_ROWS))
    inputs = []
    for number in range(4):
        inputs.append(tmp_path / f"rows-{number}.jsonl")
        inputs[-1].write_text("".join(every[number * DASK_ROWS // 4 : (number + 1) * DASK_ROWS // 4]))
    start = time.perf_counter()
    with (
        LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=":0") as cluster,
        Client(cluster) as client,
    ):
        started = time.perf_counter()
        rows = benchmark.pedantic(recommend_to_parquet, args=(inputs, tmp_path / "out"), rounds=1)
        seconds = time.perf_counter() - started
        peaks = sorted(kib / 1024 for kib in client.run(_peak_kib).values())
    total = time.perf_counter() - start
    assert rows == DASK_ROWS
    benchmark.extra_info.update(
        rows_per_s=rows / seconds, cluster_start_and_stop_s=total - seconds, worker_peak_mib=peaks
    )
    print(  # noqa: T201
        f"\ndask: {rows:,} rows in {seconds:.1f} s ({rows / seconds:,.0f} rows/s) on 2 worker processes, each at "
        f"most {max(peaks):.0f} MiB resident; starting and stopping the cluster took {total - seconds:.1f} s more"
    )
