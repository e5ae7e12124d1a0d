"""Speed of ``next_questions``, against ``recommend`` on the same profiles, interleaved in the same run.

Run: ``python -m pytest benchmarks/test_questions_benchmark.py --benchmark-only -p no:cacheprovider``

A chatbot calls ``next_questions`` once per answer. Both sides run over the
same profiles, chunk by chunk in turn, thread CPU time
(``benchmarks/measure.py``): four fixed profiles (each over and over), and
the three streams of ``benchmarks/streams.py``. ``next_questions`` keeps
nothing by profile, so a repeated profile costs it what a new one does.
The figures are printed at the end of the run (see docs/performance.md).
"""

import os
from collections.abc import Callable
from typing import Any

import pytest
from measure import per_row_us, ratio, rounds
from streams import STREAM_NAMES, stream

import crampkit
from crampkit import Profile, Symptom, next_questions, recommend

ROWS = int(os.environ.get("CRAMPKIT_BENCH_QUESTION_ROWS", "1000"))

FIXED = {
    "empty": Profile(),
    "typical": crampkit.example_profile(),
    "fever": Profile(symptoms=frozenset({Symptom.FEVER})),
    "all-absent": Profile(absent_symptoms=frozenset(Symptom)),
}
"""Four profiles of the figures before issue 22: each is run :data:`ROWS` // 5 times."""

CASES = {
    **{f"{name} (fixed)": [profile] * (ROWS // 5) for name, profile in FIXED.items()},
    **{name: [crampkit.load_profile(row) for row in stream(name, ROWS)] for name in STREAM_NAMES},
}


@pytest.mark.parametrize("case", list(CASES))
def test_next_questions_against_recommend(benchmark: Any, figure_report: Callable[[str], None], case: str) -> None:
    profiles = CASES[case]
    next_questions(profiles[0])  # the knowledge base's question index, built once, as any long-running app would

    def sides() -> dict[str, Callable[[Any], object]]:
        return {
            "next_questions": lambda chunk: [next_questions(profile) for profile in chunk],
            "recommend": lambda chunk: [recommend(profile) for profile in chunk],
        }

    measured: list[dict[str, float]] = []
    benchmark.pedantic(lambda: measured.extend(rounds(sides, profiles, 1)), rounds=3, iterations=1)
    figure = ratio(measured, "next_questions", "recommend")
    asking, deciding = (per_row_us(measured, side, len(profiles)) for side in ("next_questions", "recommend"))
    benchmark.extra_info["ratios"] = figure.values
    figure_report(
        f"{case:20} next_questions() / recommend(): {figure}; next_questions {asking.median:,.0f} us, "
        f"recommend {deciding.median:,.0f} us"
    )
