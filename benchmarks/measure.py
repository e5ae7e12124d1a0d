"""How the ratio benchmarks measure: sides interleaved in one run, thread CPU time, medians and ranges.

Two or more *sides* do the same work over the same rows. The rows are cut
into chunks; each chunk runs on every side before the next chunk, the side
that goes first rotating, so a busy spell on a shared machine falls on
every side alike. Time is the thread's CPU time (:func:`time.thread_time`):
other processes do not count, garbage collection does. A round is one pass
over the rows with sides made afresh (empty caches); a figure is the median
of the rounds, with their range.
"""

import gc
import statistics
import time
from collections.abc import Callable, Sequence
from typing import Any

Side = Callable[[Sequence[Any]], object]
"""Does the work for a chunk of rows."""

CHUNK = 25


def interleaved(sides: dict[str, Side], rows: Sequence[Any], chunk: int = CHUNK) -> dict[str, float]:
    """Thread CPU seconds each side spent over ``rows``, chunk by chunk, the side that goes first rotating."""
    names = list(sides)
    spent = dict.fromkeys(names, 0.0)
    clock = time.thread_time
    for number, start in enumerate(range(0, len(rows), chunk)):
        part = rows[start : start + chunk]
        turn = number % len(names)
        for name in names[turn:] + names[:turn]:
            began = clock()
            sides[name](part)
            spent[name] += clock() - began
    return spent


def rounds(make_sides: Callable[[], dict[str, Side]], rows: Sequence[Any], count: int) -> list[dict[str, float]]:
    """``count`` rounds of :func:`interleaved`, each with sides made afresh by ``make_sides``."""
    found = []
    for _ in range(count):
        gc.collect()
        found.append(interleaved(make_sides(), rows))
    return found


class Figure:
    """A ratio over rounds: its median and range."""

    def __init__(self, values: Sequence[float]) -> None:
        self.values = list(values)
        self.median = statistics.median(self.values)
        self.low, self.high = min(self.values), max(self.values)

    def __str__(self) -> str:
        return f"{self.median:.2f} ({self.low:.2f}-{self.high:.2f})"


def ratio(measured: list[dict[str, float]], side: str, baseline: str) -> Figure:
    """``side`` ÷ ``baseline`` in each round."""
    return Figure([one[side] / one[baseline] for one in measured])


def per_row_us(measured: list[dict[str, float]], side: str, rows: int) -> Figure:
    """Microseconds of CPU per row on ``side``, over the rounds."""
    return Figure([one[side] / rows * 1e6 for one in measured])
