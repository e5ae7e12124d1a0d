"""Speed of ``next_questions``, beside ``recommend`` on the same profiles as the baseline of the same run.

Run: ``python -m pytest benchmarks/test_questions_benchmark.py --benchmark-only -p no:cacheprovider``

A chatbot calls ``next_questions`` once per answer, so it should cost about
as much as one ``recommend`` (see docs/performance.md). Nothing is asserted.
"""

from typing import Any

import pytest

import crampkit
from crampkit import Profile, Symptom, next_questions, recommend

PROFILES = {
    "empty": Profile(),
    "typical": crampkit.example_profile(),
    "fever": Profile(symptoms=frozenset({Symptom.FEVER})),
    "all-absent": Profile(absent_symptoms=frozenset(Symptom)),
}


@pytest.mark.parametrize("name", list(PROFILES))
def test_next_questions(benchmark: Any, name: str) -> None:
    crampkit.default_knowledge_base()
    next_questions(PROFILES[name])  # builds the knowledge base's plan once, as any long-running app would
    benchmark(next_questions, PROFILES[name])


@pytest.mark.parametrize("name", list(PROFILES))
def test_recommend_baseline(benchmark: Any, name: str) -> None:
    crampkit.default_knowledge_base()
    benchmark(recommend, PROFILES[name])
