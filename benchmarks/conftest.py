"""Ratios between benchmarks measured in the same run, printed at the end.

A benchmark records its median with :func:`record`; each ratio in
:data:`RATIOS` compares two of them (the baseline is measured in the same
run, on the same machine, so the ratio holds when absolute speed varies).
The ratio benchmarks (``test_recommend_ratios.py``, the questions) measure
their sides interleaved within one benchmark and report a line each with
:func:`figure_report`; the cache benchmarks, with :func:`layer_report`. Ratios are
reported, never asserted: the benchmarks are not part of the test suite.
"""

import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

sys.path.insert(0, str(Path(__file__).parent))  # the benchmarks' own modules: streams, reference

MEDIANS: dict[str, float] = {}
"""Median seconds of each benchmark that recorded one, by name."""
FIGURES: list[str] = []
"""One line for each figure of the ratio benchmarks (``benchmarks/test_recommend_ratios.py``), in the order run."""
LAYERS: list[str] = []
"""One line for each cache layer measured (``benchmarks/test_cache_benchmarks.py``), in the order run."""

RATIOS: tuple[tuple[str, str, str, float, str], ...] = ()
"""(what, measured, baseline, target, unit): measured / baseline should be at most target."""


def record(name: str, benchmark: Any) -> None:
    """Remember the median of ``benchmark`` under ``name`` (when it ran: not under --benchmark-disable)."""
    stats = getattr(benchmark, "stats", None)
    if stats is not None:
        MEDIANS[name] = stats.stats.median


def pytest_terminal_summary(terminalreporter: Any) -> None:
    """Print every ratio whose two benchmarks ran."""
    lines = []
    for what, measured, baseline, target, unit in RATIOS:
        if measured in MEDIANS and baseline in MEDIANS:
            ratio = MEDIANS[measured] / MEDIANS[baseline]
            verdict = (
                ""
                if target == float("inf")
                else f" (target <= {target:g}{unit}: {'met' if ratio <= target else 'NOT met'})"
            )
            lines.append(f"{what}: {ratio:.2f}{unit}{verdict}")
    if "import-crampkit" in MEDIANS and "import-pass" in MEDIANS:
        cost = (MEDIANS["import-crampkit"] - MEDIANS["import-pass"]) * 1000
        verdict = "met" if cost <= 45 else "NOT met"
        lines.append(f"import crampkit above bare start-up: {cost:.1f} ms (target <= 45 ms: {verdict})")
    if lines:
        terminalreporter.section("crampkit ratios (same run)")
        for line in lines:
            terminalreporter.write_line(line)
    if FIGURES:
        terminalreporter.section("crampkit figures: sides interleaved in the same run (median, range over rounds)")
        for line in FIGURES:
            terminalreporter.write_line(line)
    if LAYERS:
        terminalreporter.section("crampkit cache layers: without / with, interleaved in the same run")
        for line in LAYERS:
            terminalreporter.write_line(line)


@pytest.fixture(name="record")
def record_fixture() -> Callable[[str, Any], None]:
    """:func:`record`, for the benchmarks."""
    return record


@pytest.fixture
def layer_report() -> Callable[[str], None]:
    """Add a line to the cache layers printed at the end of the run."""
    return LAYERS.append


@pytest.fixture
def figure_report() -> Callable[[str], None]:
    """Add a line to the figures printed at the end of the run."""
    return FIGURES.append
