"""Speed and memory of ``crampkit recommend --jsonl`` (never part of the test suite).

Run: ``python -m pytest benchmarks/test_batch_benchmarks.py --benchmark-only -p no:cacheprovider -s``

* per-row cost of ``--jsonl --jobs 1`` against a plain loop of ``load_profile``
  + ``recommend`` + compact ``to_json`` over the same profiles, measured in
  the same run; the ratio and rows per second are printed;
* ``--jobs 2`` against ``--jobs 1``, each a fresh ``crampkit`` process;
* peak memory (resident set) of a ``crampkit recommend --jsonl -`` process fed
  rows made on the fly through a pipe, for two input lengths (set them with
  ``CRAMPKIT_BENCH_MEMORY_ROWS=20000,200000``);
* the Dask recipe (docs/examples/dask_parquet.py) on a local cluster of two
  worker processes, when the ``dask`` extra is installed.

Figures go to stdout and to each benchmark's ``extra_info`` (see docs/performance.md).
"""

import io
import json
import os
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

import crampkit
from crampkit.cli import main

PER_ROW_ROWS = 2_000
SPEED_UP_ROWS = 20_000
DASK_ROWS = 20_000
MEMORY_ROWS = [int(n) for n in os.environ.get("CRAMPKIT_BENCH_MEMORY_ROWS", "20000,200000").split(",")]
MEDICINES = ["bendroflumethiazide", "Lipitor", "zopiclone", "salbutamol", "furosemide", "omeprazole"]


def profile(n: int) -> dict[str, Any]:
    """A varied, realistic profile: age, one or two medicines, cramp sites and timing, sometimes a warning sign."""
    data: dict[str, Any] = {
        "age": 25 + n % 70,
        "medications": [MEDICINES[n % 6], MEDICINES[(n * 7) % 6]],
        "cramps": {"sites": ["calf"] if n % 3 else ["foot", "thigh"], "timing": ["night"], "per_week": n % 10},
    }
    if n % 11 == 0:
        data["symptoms"] = ["calf-swelling"]
    return data


def lines(count: int, *, bad_every: int = 0) -> Iterator[str]:
    for n in range(count):
        if bad_every and n % bad_every == 0:
            yield json.dumps({"id": n, "profile": {"age": -1}}) + "\n"
        else:
            yield json.dumps({"id": n, "profile": profile(n)}) + "\n"


def _best(function: Any, rounds: int = 3) -> float:
    times = []
    for _ in range(rounds):
        start = time.perf_counter()
        function()
        times.append(time.perf_counter() - start)
    return min(times)


def test_jsonl_per_row_cost_against_the_plain_loop(benchmark: Any, tmp_path: Path) -> None:
    path = tmp_path / "rows.jsonl"
    path.write_text("".join(lines(PER_ROW_ROWS)))
    texts = [json.dumps(profile(n)) for n in range(PER_ROW_ROWS)]

    def plain_loop() -> None:
        for text in texts:
            crampkit.to_json(crampkit.recommend(crampkit.load_profile(text)), indent=None)

    def jsonl() -> None:
        assert main(["recommend", "--jsonl", str(path), "--jobs", "1"], stdout=io.StringIO()) == 0

    jsonl()  # warm up: the knowledge base, the converter, the checks
    loop_seconds = jsonl_seconds = float("inf")
    for _ in range(3):  # interleaved, so that a busy spell on a shared machine hits both alike
        loop_seconds = min(loop_seconds, _best(plain_loop, rounds=1))
        jsonl_seconds = min(jsonl_seconds, _best(jsonl, rounds=1))
    benchmark.pedantic(jsonl, rounds=1)
    ratio = jsonl_seconds / loop_seconds
    benchmark.extra_info.update(
        loop_us_per_row=loop_seconds / PER_ROW_ROWS * 1e6,
        jsonl_us_per_row=jsonl_seconds / PER_ROW_ROWS * 1e6,
        ratio=ratio,
        jsonl_rows_per_s=PER_ROW_ROWS / jsonl_seconds,
    )
    print(  # noqa: T201
        f"\nper row: plain loop {loop_seconds / PER_ROW_ROWS * 1e6:.0f} us, --jsonl --jobs 1 "
        f"{jsonl_seconds / PER_ROW_ROWS * 1e6:.0f} us, ratio {ratio:.2f} (target <= 1.5); "
        f"{PER_ROW_ROWS / jsonl_seconds:,.0f} rows/s (target >= 10,000 on the reference machine)"
    )


def _cli(path: Path, jobs: int) -> float:
    start = time.perf_counter()
    subprocess.run(
        [sys.executable, "-m", "crampkit", "recommend", "--jsonl", str(path), "--jobs", str(jobs)],
        stdout=subprocess.DEVNULL,
        check=True,
    )
    return time.perf_counter() - start


def test_jsonl_two_jobs_against_one(benchmark: Any, tmp_path: Path) -> None:
    path = tmp_path / "rows.jsonl"
    path.write_text("".join(lines(SPEED_UP_ROWS, bad_every=50)))
    one = two = float("inf")
    for _ in range(2):  # interleaved, as above
        one = min(one, _cli(path, 1))
        two = min(two, _cli(path, 2))
    benchmark.pedantic(_cli, args=(path, 2), rounds=1)
    benchmark.extra_info.update(jobs_1_s=one, jobs_2_s=two, speed_up=one / two, cores=os.cpu_count())
    print(  # noqa: T201
        f"\n{SPEED_UP_ROWS:,} rows: --jobs 1 {one:.2f} s ({SPEED_UP_ROWS / one:,.0f} rows/s), --jobs 2 {two:.2f} s "
        f"({SPEED_UP_ROWS / two:,.0f} rows/s): speed-up {one / two:.2f} (target >= 1.8 on two cores; "
        f"{os.cpu_count()} cores here)"
    )


def _peak_rss_kib(rows: int) -> tuple[int, float]:
    """Peak resident memory of ``crampkit recommend --jsonl -`` fed ``rows`` rows through a pipe, and its run time."""
    start = time.perf_counter()
    process = subprocess.Popen(
        [sys.executable, "-m", "crampkit", "recommend", "--jsonl", "-"],
        stdin=subprocess.PIPE,
        stdout=subprocess.DEVNULL,
    )
    assert process.stdin is not None

    def feed() -> None:
        assert process.stdin is not None
        batch = []
        for line in lines(rows, bad_every=97):
            batch.append(line)
            if len(batch) == 1000:
                process.stdin.write("".join(batch).encode())
                batch.clear()
        process.stdin.write("".join(batch).encode())
        process.stdin.close()

    feeder = threading.Thread(target=feed)
    feeder.start()
    _, status, usage = os.wait4(process.pid, 0)
    process.returncode = os.waitstatus_to_exitcode(status)
    feeder.join()
    assert process.returncode == 0
    return usage.ru_maxrss, time.perf_counter() - start


def test_jsonl_memory_stays_flat_however_long_the_input(benchmark: Any) -> None:
    peaks = {rows: _peak_rss_kib(rows) for rows in MEMORY_ROWS}
    benchmark.pedantic(_peak_rss_kib, args=(MEMORY_ROWS[0],), rounds=1)
    benchmark.extra_info.update({f"peak_rss_kib_{rows}": peak for rows, (peak, _) in peaks.items()})
    figures = ", ".join(
        f"{rows:,} rows: peak {peak / 1024:.1f} MiB in {seconds:.0f} s" for rows, (peak, seconds) in peaks.items()
    )
    low, high = (peaks[rows][0] for rows in (min(MEMORY_ROWS), max(MEMORY_ROWS)))
    print(f"\nmemory: {figures}; growth {high / low:.2f}x for {max(MEMORY_ROWS) / min(MEMORY_ROWS):.0f}x the rows")  # noqa: T201


def test_dask_recipe_on_a_local_cluster(benchmark: Any, tmp_path: Path) -> None:
    """The recipe of docs/batch.md: 4 files of DASK_ROWS / 4 rows, on 2 single-threaded worker processes."""
    import importlib.util  # noqa: PLC0415

    pytest.importorskip("dask.distributed", reason="needs the dask extra")
    from dask.distributed import Client, LocalCluster  # noqa: PLC0415

    spec = importlib.util.spec_from_file_location(
        "dask_parquet", Path(__file__).parents[1] / "docs/examples/dask_parquet.py"
    )
    assert spec is not None
    assert spec.loader is not None
    recipe = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(recipe)
    inputs = []
    for number in range(4):
        inputs.append(tmp_path / f"rows-{number}.jsonl")
        inputs[-1].write_text("".join(lines(DASK_ROWS // 4, bad_every=50)))
    start = time.perf_counter()
    with (
        LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None) as cluster,
        Client(cluster),
    ):
        started = time.perf_counter()
        rows = benchmark.pedantic(recipe.recommend_to_parquet, args=(inputs, tmp_path / "out"), rounds=1)
        seconds = time.perf_counter() - started
    total = time.perf_counter() - start
    assert rows == DASK_ROWS
    benchmark.extra_info.update(rows_per_s=rows / seconds, cluster_start_and_stop_s=total - seconds)
    print(  # noqa: T201
        f"\ndask recipe: {rows:,} rows in {seconds:.2f} s ({rows / seconds:,.0f} rows/s) on 2 worker processes; "
        f"starting and stopping the cluster took {total - seconds:.1f} s more"
    )
