"""Start-up: the CPU a fresh process spends above bare Python (never part of the test suite).

Run: ``python -m pytest benchmarks/test_startup_benchmarks.py --benchmark-only -p no:cacheprovider -s``

Each command runs in a fresh process, with byte-code caching on, and its CPU
(user + system, from ``getrusage`` of the children) is compared with
``python -c pass`` run in the same rounds, interleaved: ``crampkit --version``,
``crampkit --help``, and the first ``recommend()`` of a profile read from
JSON, with and without the snapshot of the packaged knowledge base that a
wheel carries (written into the source tree for the run, then removed; it
is valid there because the fingerprint is of the same files).
"""

import os
import resource
import statistics
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from crampkit.knowledge import _snapshot
from crampkit.knowledge.load import DATA, _build, _documents

ROUNDS = 21
FIRST = 'import crampkit; crampkit.recommend(crampkit.load_profile(\'{"age": 70, "medications": ["Lipitor"]}\'))'
COMMANDS = {
    "bare": [sys.executable, "-c", "pass"],
    "version": [sys.executable, "-m", "crampkit", "--version"],
    "help": [sys.executable, "-m", "crampkit", "--help"],
    "first recommend(), files": [sys.executable, "-c", FIRST],
    "first recommend(), snapshot": [sys.executable, "-c", FIRST],
}


def _cpu_ms(command: list[str], env: dict[str, str]) -> float:
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    subprocess.run(command, check=True, stdout=subprocess.DEVNULL, env=env)
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return (after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime) * 1000


@pytest.fixture
def snapshot_file() -> Iterator[Path]:
    """Where the snapshot goes for the run: the package's own place (it must not be there already)."""
    path = Path(_snapshot.FILE)
    assert not path.exists(), f"{path} exists: remove it before measuring"
    yield path
    path.unlink(missing_ok=True)


def test_start_up_above_bare_python(benchmark: Any, snapshot_file: Path) -> None:
    env = {key: value for key, value in os.environ.items() if key != "PYTHONDONTWRITEBYTECODE"}
    for command in COMMANDS.values():  # byte-code written once, as after an install
        subprocess.run(command, check=True, stdout=subprocess.DEVNULL, env=env)
    spent: dict[str, list[float]] = {name: [] for name in COMMANDS}

    def one_round() -> None:
        for name, command in COMMANDS.items():
            if name.endswith("snapshot"):
                _snapshot.write(_build(_documents(DATA), packaged=True), str(snapshot_file))
            spent[name].append(_cpu_ms(command, env))
            snapshot_file.unlink(missing_ok=True)

    benchmark.pedantic(one_round, rounds=ROUNDS, iterations=1)
    bare = statistics.median(spent["bare"])
    figures = {"bare_python_ms": round(bare, 1)}
    for name, values in spent.items():
        if name != "bare":
            above = sorted(value - base for value, base in zip(values, spent["bare"], strict=True))
            figures[f"{name}: ms above bare (median, p10-p90)"] = (
                round(statistics.median(above), 1),
                round(above[len(above) // 10], 1),
                round(above[-1 - len(above) // 10], 1),
            )
    benchmark.extra_info.update(figures)
    print(figures)  # noqa: T201 - the figures docs/performance.md records
