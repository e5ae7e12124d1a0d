"""A batch that survives faults (issue 21, deliverable 7): dead workers, signals, slow pipes, odd rows.

The in-process tests reach every branch: a row whose unpickling ends its worker process (so it stops its
worker every time it is sent), a row that cannot be pickled, signals sent to this process from inside a
write or a read. The subprocess tests run the real program as the attacker did: a worker killed with
SIGKILL, SIGTERM while workers run, SIGINT while the reader of a small pipe holds a line back. They wait
for output (or for the pipe to fill) before they act, and use timeouts only as upper bounds.
"""

import contextlib
import csv
import fcntl
import io
import json
import multiprocessing
import os
import signal
import subprocess
import sys
import termios
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import IO, Any, BinaryIO, NoReturn

import pytest

import crampkit
from crampkit import BatchResult, ProblemCode, recommend_many
from crampkit import batch as batch_module
from crampkit.batch import CHUNK_ROWS, Written, _ordered, _Pool, _Settings, _worker_count, write_results
from crampkit.cli import main

SETTINGS = _Settings(None, "uk", "en")
UPPER_BOUND = 60.0
"""Seconds a subprocess may take at most: a bound for a hang, never a measure."""


def profile(n: int) -> dict[str, Any]:
    return {"age": 20 + n % 70, "cramps": {"timing": ["night"]}, "symptoms": ["calf-swelling"] if n % 5 == 0 else []}


def rows(count: int) -> list[dict[str, Any]]:
    return [{"id": f"r{n}", "profile": profile(n)} for n in range(count)]


def text_of(count: int, start: int = 0) -> bytes:
    return "".join(json.dumps(row) + "\n" for row in rows(start + count)[start:]).encode()


class Fatal(dict[str, Any]):
    """A row that ends the worker process it is sent to (its unpickling calls ``os._exit``); here it is a dict."""

    def __reduce__(self) -> tuple[Callable[[int], NoReturn], tuple[int]]:
        return os._exit, (70,)


def codes(result: BatchResult) -> list[str]:
    return [] if result.error is None else [problem.code for problem in result.error.problems]


# -- dead workers, in this process ------------------------------------------------------------------------


def test_a_chunk_that_stops_its_worker_every_time_gives_worker_failed_rows_and_the_run_goes_on() -> None:
    given = rows(CHUNK_ROWS * 4)
    given[CHUNK_ROWS + 7] = Fatal(given[CHUNK_ROWS + 7])
    notices: list[str] = []
    results = list(
        _ordered(
            iter([given[n : n + CHUNK_ROWS] for n in range(0, len(given), CHUNK_ROWS)]),
            "results",
            SETTINGS,
            2,
            notices.append,
        )
    )
    alone = list(recommend_many(given))  # in this process the row is a plain dict
    lost = range(CHUNK_ROWS, CHUNK_ROWS * 2)
    assert [result.id for result in results] == [row["id"] for row in given]
    assert all(codes(results[n]) == [ProblemCode.WORKER_FAILED] for n in lost)
    assert (
        str(results[CHUNK_ROWS].error) == "row: not checked: the worker process handling it stopped unexpectedly, twice"
    )
    assert [result for n, result in enumerate(results) if n not in lost] == [
        result for n, result in enumerate(alone) if n not in lost
    ]
    assert notices == ["a worker process stopped unexpectedly and was replaced"] * 2  # the chunk, run twice


def test_a_worker_killed_while_idle_is_replaced_and_its_next_chunk_runs_elsewhere() -> None:
    pool = _Pool(2, SETTINGS, None)  # no one to tell
    try:
        for worker in pool.workers:
            worker.process.kill()
            worker.process.join()  # dead before anything is sent to it
        pool.put(0, rows(3), "results")
        assert pool.take(0) == list(recommend_many(rows(3)))  # guidance: the chunk never reached the dead
        killed = pool.workers[1]
        killed.process.kill()  # idle, found by the end of its pipe while the pool waits for another's reply
        killed.process.join()
        pool.put(1, rows(2), "results")
        assert [result.id for result in pool.take(1)] == ["r0", "r1"]
        assert killed not in pool.workers
        assert len(pool.workers) == 2
    finally:
        pool.stop()


def test_a_chunk_whose_worker_raises_is_worked_through_here(monkeypatch: pytest.MonkeyPatch) -> None:
    """What a worker raises is raised here, as with ``jobs=1``; here it raises nothing (only the workers fail)."""
    if multiprocessing.get_start_method() != "fork":
        pytest.skip("the workers must inherit the patched method")

    def broken(_: object, chunk: list[Any], form: str) -> list[Any]:
        raise RuntimeError(form, chunk)

    monkeypatch.setattr(batch_module._Work, "__call__", broken)  # noqa: SLF001 - what the workers inherit
    pool = _Pool(2, SETTINGS, None)
    monkeypatch.undo()
    try:
        pool.put(0, rows(2), "results")
        assert pool.take(0) == list(recommend_many(rows(2)))
    finally:
        pool.stop()


def test_write_results_counts_the_rows_it_wrote(tmp_path: Path) -> None:
    path = tmp_path / "rows.jsonl"
    path.write_bytes(text_of(2) + b"{\n")
    lines: list[str] = []
    written = Written()
    write_results(
        str(path), lines.append, form="json", knowledge_base=None, jobs=1, stdin=None, progress=None, written=written
    )
    assert [json.loads(line)["id"] for line in lines] == ["r0", "r1", None]
    assert written == Written(rows=3, last_id=None)


def test_a_row_that_cannot_be_pickled_gives_the_same_result_at_any_jobs(monkeypatch: pytest.MonkeyPatch) -> None:
    """Issue 21: an unpicklable row aborted ``jobs=2`` but not ``jobs=1``."""
    monkeypatch.setattr(batch_module, "_IN_FLIGHT_PER_JOB", 1)  # and results are taken while chunks are given
    monkeypatch.setattr(batch_module, "_POOL_MIN_CHUNKS", 0)  # a pool for three chunks
    given: list[Any] = rows(CHUNK_ROWS * 3)
    given[CHUNK_ROWS + 1] = {"id": "lock", "profile": {"age": threading.Lock()}}
    given[CHUNK_ROWS * 2] = {"id": "lock", "profile": {"medications": [threading.Lock()]}}
    one, two = list(recommend_many(given)), list(recommend_many(given, jobs=2))
    assert two == one
    assert [codes(two[CHUNK_ROWS + 1]), codes(two[CHUNK_ROWS * 2])] == [[ProblemCode.WRONG_TYPE]] * 2


def _count_pools(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """The number of workers of each pool that ``recommend_many`` starts from now on (``jobs`` uncapped by CPUs)."""
    started: list[int] = []

    class Counted(_Pool):
        def __init__(self, workers: int, *args: Any) -> None:
            started.append(workers)
            super().__init__(workers, *args)

    monkeypatch.setattr(batch_module, "_Pool", Counted)
    monkeypatch.setattr(batch_module, "_worker_count", lambda jobs: jobs)
    return started


def test_never_more_workers_than_cpus_or_chunks(monkeypatch: pytest.MonkeyPatch) -> None:
    """Issue 21: ``jobs`` had no upper bound."""
    monkeypatch.setattr(os, "sched_getaffinity", lambda _: {0, 1, 2, 3, 4, 5, 6, 7}, raising=False)
    assert [_worker_count(jobs) for jobs in (1, 3, 8, 10_000)] == [1, 3, 8, 8]
    monkeypatch.delattr(os, "sched_getaffinity", raising=False)
    for cpus, capped in ((6, 6), (None, 1)):  # without the affinity: all CPUs, or one when the machine does not say
        monkeypatch.setattr(os, "cpu_count", lambda cpus=cpus: cpus)
        assert _worker_count(10_000) == capped
    started = _count_pools(monkeypatch)
    monkeypatch.setattr(batch_module, "_POOL_MIN_CHUNKS", 0)  # a pool for any input of more than one chunk
    for count in (1, CHUNK_ROWS, CHUNK_ROWS * 2 + 1):
        assert [result.id for result in recommend_many(rows(count), jobs=8)] == [f"r{n}" for n in range(count)]
    assert started == [3]  # one chunk: no pool at all; three chunks: three workers, not eight


def test_no_pool_until_the_input_is_long_enough_for_it_to_pay(monkeypatch: pytest.MonkeyPatch) -> None:
    """Issue 22: ``--jobs 2`` was slower than ``--jobs 1`` on short inputs; the output is the same either way."""
    started = _count_pools(monkeypatch)
    monkeypatch.setattr(batch_module, "_POOL_MIN_CHUNKS", 2)
    for count in (CHUNK_ROWS * 2, CHUNK_ROWS * 2 + 1):  # two chunks: here; three: two workers
        given = rows(count)
        assert list(recommend_many(given, jobs=2)) == list(recommend_many(given))
    assert started == [2]


# -- signals, in this process -----------------------------------------------------------------------------


class SignalOnWrite(io.StringIO):
    """Standard output that sends signals to this process while it writes its ``at``-th text."""

    def __init__(self, at: int, *signums: int) -> None:
        super().__init__()
        self.at = at
        self.signums = signums
        self.count = 0

    def write(self, text: str) -> int:
        self.count += 1
        if self.count == self.at:
            for signum in self.signums:
                os.kill(os.getpid(), signum)
        return super().write(text)


def run_jsonl(stdout: io.StringIO, stdin: BinaryIO, *more: str) -> tuple[int, str]:
    err = io.StringIO()
    code = main(["recommend", "--jsonl", "-", *more], stdout=stdout, stderr=err, stdin=stdin)
    return code, err.getvalue()


def test_sigterm_while_a_row_is_written_stops_after_that_row() -> None:
    text = text_of(2) + b"not json\n" + text_of(5, start=3)
    out = SignalOnWrite(3, signal.SIGTERM)
    before = signal.getsignal(signal.SIGTERM)
    code, err = run_jsonl(out, io.BytesIO(text))
    lines = out.getvalue().splitlines(keepends=True)
    assert code == 143
    assert [json.loads(line)["id"] for line in lines] == ["r0", "r1", None]
    assert all(line.endswith("\n") for line in lines)
    assert err == (
        "crampkit: stopped by SIGTERM: wrote the results of input lines 1 to 3 (the last with no id); "
        "the lines after it were not written\n"
    )
    assert signal.getsignal(signal.SIGTERM) == before


def test_a_second_signal_stops_at_once_and_the_first_names_the_exit_code() -> None:
    out = SignalOnWrite(2, signal.SIGINT, signal.SIGTERM)  # the second comes before the text is written
    code, err = run_jsonl(out, io.BytesIO(text_of(4)), "--format", "csv")
    records = list(csv.reader(io.StringIO(out.getvalue())))
    assert code == 130
    assert records == [list(crampkit.FLAT_COLUMNS)]
    assert err == "crampkit: stopped by SIGINT before any row was written\n"


def test_sigint_while_reading_the_input_stops_at_once() -> None:
    class Interrupting(io.BytesIO):
        def readline(self, size: int | None = -1) -> bytes:
            if self.tell() > 0:
                os.kill(os.getpid(), signal.SIGINT)
            return super().readline(size)

    out = io.StringIO()
    code, err = run_jsonl(out, Interrupting(text_of(3)))
    assert (code, out.getvalue()) == (130, "")
    assert err == "crampkit: stopped by SIGINT before any row was written\n"


def test_one_row_written_is_named_as_one_line() -> None:
    out = SignalOnWrite(1, signal.SIGTERM)
    code, err = run_jsonl(out, io.BytesIO(text_of(3)))
    assert (code, len(out.getvalue().splitlines())) == (143, 1)
    assert "wrote the results of input line 1 (the last with id 'r0');" in err


def test_outside_the_main_thread_no_handler_is_set() -> None:
    before = signal.getsignal(signal.SIGTERM)
    seen: list[tuple[int, str]] = []
    worker = threading.Thread(target=lambda: seen.append(run_jsonl(io.StringIO(), io.BytesIO(text_of(2)))))
    worker.start()
    worker.join()
    assert seen == [(0, "")]
    assert signal.getsignal(signal.SIGTERM) == before


class Short(io.RawIOBase):
    """A file that takes at most 1,000 bytes a write, as a pipe does when a signal interrupts a write part-way."""

    def __init__(self, error: OSError | None = None) -> None:
        self.taken = bytearray()
        self.error = error

    def writable(self) -> bool:
        return True

    def write(self, data: Any) -> int:
        if self.error is not None:
            raise self.error
        self.taken += bytes(data[:1000])
        return min(len(data), 1000)


def test_rows_are_written_whole_through_an_unbuffered_output_that_takes_part_of_each_write() -> None:
    """``PYTHONUNBUFFERED=1``: the text layer sits on the file, and dropped what a short write left."""
    raw = Short()
    unbuffered = io.TextIOWrapper(raw, encoding="utf-8", write_through=True)  # type: ignore[type-var]  # as python -u
    expected = io.StringIO()
    for stdout in (unbuffered, expected):
        assert run_jsonl(stdout, io.BytesIO(text_of(3))) == (0, "")  # type: ignore[arg-type]
    assert raw.taken.decode() == expected.getvalue()
    assert len(raw.taken) > 1000


def test_a_full_disk_under_the_text_layer_is_one_line_and_exit_74() -> None:
    short = Short(OSError(28, "No space left on device"))
    full = io.TextIOWrapper(short, encoding="utf-8", write_through=True)  # type: ignore[type-var]
    assert run_jsonl(full, io.BytesIO(text_of(1))) == (74, "crampkit: cannot write output: No space left on device\n")  # type: ignore[arg-type]


# -- what a cell and a line hold --------------------------------------------------------------------------

ODD_IDS = ["a\x00b", "\ud800", "tab\there", "\x1b[31m", "left\u202eright", "plain", 7]


def test_csv_cells_show_control_characters_and_lone_surrogates_as_escapes() -> None:
    """Issue 21: the CSV wrote a lone surrogate as ``\\ud800`` (by chance) and a NUL raw."""
    text = "".join(json.dumps({"id": row_id, "profile": {}}) + "\n" for row_id in ODD_IDS)
    out = io.StringIO()
    code, _ = run_jsonl(out, io.BytesIO(text.encode()), "--format", "csv")
    records = list(csv.DictReader(io.StringIO(out.getvalue(), newline="")))
    assert code == 0
    assert [record["id"] for record in records] == [
        "a\\x00b",
        "\\ud800",
        "tab\\x09here",
        "\\x1b[31m",
        "left\\u202eright",
        "plain",
        "7",
    ]
    out.getvalue().encode("utf-8")  # nothing that UTF-8 cannot hold
    assert "\x00" not in out.getvalue()


def test_json_lines_write_a_lone_surrogate_as_its_json_escape() -> None:
    text = "".join(json.dumps({"id": row_id, "profile": {}}) + "\n" for row_id in ODD_IDS)
    text += json.dumps({"id": "\ud800", "profile": {"age": -1}}) + "\n"
    out = io.StringIO()
    code, _ = run_jsonl(out, io.BytesIO(text.encode()))
    lines = out.getvalue().splitlines()
    assert code == 0
    assert [json.loads(line)["id"] for line in lines] == [*ODD_IDS, "\ud800"]
    assert lines[1].startswith('{"id":"\\ud800","guidance":')
    assert lines[-1].startswith('{"id":"\\ud800","error":')
    out.getvalue().encode("utf-8")


# -- the real program -------------------------------------------------------------------------------------


def workers_of(pid: int) -> list[int]:
    """The worker processes of the program ``pid``: its children that run its command (forks of it).

    Not the others: multiprocessing may start a resource tracker, a child too.
    """
    command = Path(f"/proc/{pid}/cmdline").read_bytes()
    found = [int(child) for child in Path(f"/proc/{pid}/task/{pid}/children").read_text().split()]
    return [child for child in found if Path(f"/proc/{child}/cmdline").read_bytes() == command]


def gone(pid: int) -> bool:
    return not Path(f"/proc/{pid}").exists()


def wait_for(condition: Callable[[], bool], process: subprocess.Popen[bytes]) -> None:
    deadline = time.monotonic() + UPPER_BOUND
    while not condition():
        assert process.poll() is None, f"the program ended with {process.returncode}"
        assert time.monotonic() < deadline, "gave up waiting"
        time.sleep(0.01)


def start(*args: str, **streams: Any) -> subprocess.Popen[bytes]:
    command = [sys.executable, "-m", "crampkit", "recommend", "--jsonl", *args]
    kwargs: dict[str, Any] = {"stdin": subprocess.PIPE, "stdout": subprocess.PIPE, "stderr": subprocess.PIPE}
    return subprocess.Popen(command, **(kwargs | streams))  # noqa: S603 - our own program


def in_background(action: Callable[[], object]) -> threading.Thread:
    """Run ``action`` in a thread (a pipe it writes to may be closed by a process that stopped: that is fine)."""

    def guarded() -> None:
        with contextlib.suppress(BrokenPipeError):
            action()

    thread = threading.Thread(target=guarded, daemon=True)
    thread.start()
    return thread


def finish(process: subprocess.Popen[bytes], *threads: threading.Thread) -> tuple[bytes, bytes]:
    """Everything the process still writes on its stdout and stderr pipes, once it has ended (fail after the bound).

    ``threads`` (feeding or reading the process) must end too.
    """
    found: dict[str, bytes] = {"out": b"", "err": b""}

    def read(name: str, stream: IO[bytes]) -> Callable[[], None]:
        return lambda: found.__setitem__(name, stream.read())

    readers = [
        in_background(read(name, stream))
        for name, stream in (("out", process.stdout), ("err", process.stderr))
        if stream is not None
    ]
    for thread in (*readers, *threads):
        thread.join(UPPER_BOUND)
        assert not thread.is_alive(), "gave up waiting"
    process.wait(UPPER_BOUND)
    for stream in (process.stdin, process.stdout, process.stderr):
        if stream is not None:
            with contextlib.suppress(BrokenPipeError):  # input the process did not read
                stream.close()
    return found["out"], found["err"]


def ids_of(output: bytes) -> Iterator[object]:
    for line in output.splitlines(keepends=True):
        assert line.endswith(b"\n")
        yield json.loads(line)["id"]


pytestmark_linux = pytest.mark.skipif(not Path("/proc/self/task").exists(), reason="finds workers through /proc")


@pytestmark_linux
def test_a_killed_worker_costs_nothing_the_run_completes() -> None:
    """Issue 21: killing one worker process aborted the run with a traceback after 74,496 rows."""
    first, more = text_of(CHUNK_ROWS * 9), text_of(CHUNK_ROWS * 2, start=CHUNK_ROWS * 9)
    process = start("-", "--jobs", "2")
    stdin, stdout = process.stdin, process.stdout
    assert stdin is not None
    assert stdout is not None
    killed = threading.Event()

    def feed() -> None:
        stdin.write(first)
        stdin.flush()
        killed.wait(UPPER_BOUND)
        stdin.write(more)
        stdin.close()

    feeder = in_background(feed)
    head = stdout.readline()  # running, with its workers started
    workers = workers_of(process.pid)
    assert len(workers) == 2
    os.kill(workers[0], signal.SIGKILL)  # busy or idle: the pool finds out by the end of its pipe
    killed.set()
    out, err = finish(process, feeder)
    expected = io.StringIO()
    assert main(["recommend", "--jsonl", "-"], stdout=expected, stdin=io.BytesIO(first + more)) == 0
    assert process.returncode == 0
    assert (head + out).decode() == expected.getvalue()
    assert err.decode() == "crampkit: a worker process stopped unexpectedly and was replaced\n"
    assert gone(workers[0])


@pytestmark_linux
def test_sigterm_stops_the_workers_and_ends_on_a_whole_line() -> None:
    """Issue 21: SIGTERM with ``--jobs 2`` left workers running for 14 minutes, holding stdout open."""
    process = start("-", "--jobs", "2")
    stdin, stdout = process.stdin, process.stdout
    assert stdin is not None
    assert stdout is not None
    feeder = in_background(lambda: (stdin.write(text_of(CHUNK_ROWS * 9)), stdin.flush()))  # and stays open
    head = stdout.readline()
    workers = workers_of(process.pid)
    process.send_signal(signal.SIGTERM)
    out, err = finish(process, feeder)  # the output ends: no worker holds it open
    written = list(ids_of(head + out))
    assert process.returncode == 143
    assert written == [f"r{n}" for n in range(len(written))]
    lines = "input line 1" if len(written) == 1 else f"input lines 1 to {len(written):,}"
    assert err.decode() == (
        f"crampkit: stopped by SIGTERM: wrote the results of {lines} "
        f"(the last with id 'r{len(written) - 1}'); the lines after it were not written\n"
    )
    assert all(map(gone, workers))


F_SETPIPE_SZ = getattr(fcntl, "F_SETPIPE_SZ", 1031)


@pytestmark_linux
def test_sigint_into_a_slow_pipe_ends_on_a_whole_line(tmp_path: Path) -> None:
    """Issue 21: SIGINT while writing to a pipe tore the last line in 8 of 8 runs."""
    path = tmp_path / "rows.jsonl"
    path.write_bytes(text_of(CHUNK_ROWS * 5))  # more than batch._POOL_MIN_CHUNKS: worker processes start
    read_end, write_end = os.pipe()
    size = fcntl.fcntl(write_end, F_SETPIPE_SZ, 4096)  # smaller than one row: every row waits for the reader
    process = start(str(path), "--jobs", "2", stdin=subprocess.DEVNULL, stdout=write_end)
    os.close(write_end)
    waiting = bytearray(4)

    def full() -> bool:
        fcntl.ioctl(read_end, termios.FIONREAD, waiting)
        return int.from_bytes(waiting, sys.byteorder) >= size

    wait_for(full, process)
    process.send_signal(signal.SIGINT)  # the pipe is full: the process is in the middle of writing a row
    with os.fdopen(read_end, "rb") as reader:
        found: list[bytes] = []
        _, err = finish(process, in_background(lambda: found.append(reader.read())))
    out = found[0]
    written = list(ids_of(out))
    assert process.returncode == 130
    assert written == [f"r{n}" for n in range(len(written))]
    assert len(written) >= 1
    assert err.decode().startswith("crampkit: stopped by SIGINT: wrote the results of input line")
    assert f"(the last with id 'r{len(written) - 1}')" in err.decode()
