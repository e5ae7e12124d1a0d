"""Speed of the hot paths, measured with pytest-benchmark (never asserted in the test suite).

Run: ``python -m pytest benchmarks --benchmark-only -p no:cacheprovider``
(see docs/performance.md for the figures and targets).
"""

import os
import subprocess
import sys
from typing import Any

import attrs
import pytest

import crampkit
from crampkit import Condition, Cramps, Profile, Site, Symptom, Timing, recommend
from crampkit._kb import default_knowledge_base

TYPICAL = crampkit.example_profile()
WORST = Profile(
    age=80,
    sex=crampkit.Sex.FEMALE,
    pregnant=True,
    bmi=40,
    activity=crampkit.Activity.VIGOROUS,
    heat_exposure=True,
    medications=frozenset(
        [f"unknown medicine {n}" for n in range(80)]
        + ["bendroflumethiazide 2.5 mg", "Lipitor", "C10AA05", "salmeterol/fluticasone", "furosemide"]
    ),
    conditions=frozenset(Condition),
    cramps=Cramps(sites=frozenset(Site), timing=frozenset(Timing), per_week=50, minutes=30, disturbs_sleep=True),
    symptoms=frozenset(Symptom),
    habits=crampkit.Habits(alcohol_units_per_week=60, caffeine_drinks_per_day=10, smoker=True),
)


def _scaled(kb: crampkit.KnowledgeBase, times: int) -> crampkit.KnowledgeBase:
    """A knowledge base ``times`` the size: every item copied with a new id."""

    def copies(items: tuple[Any, ...], n: int) -> tuple[Any, ...]:
        return tuple(attrs.evolve(item, id=f"{item.id}-x{n}") for item in items)

    sections = ("risk_factors", "interventions", "red_flags")
    return attrs.evolve(
        kb, **{name: sum((copies(getattr(kb, name), n) for n in range(times)), ()) for name in sections}
    )


def test_recommend_typical(benchmark: Any) -> None:
    default_knowledge_base()
    benchmark(recommend, TYPICAL)


def test_recommend_worst_case(benchmark: Any) -> None:
    benchmark(recommend, WORST)


def test_load_profile_from_json(benchmark: Any) -> None:
    text = crampkit.to_json(TYPICAL)
    benchmark(crampkit.load_profile, text)


def test_default_knowledge_base_cold_load(benchmark: Any) -> None:
    benchmark(default_knowledge_base.__wrapped__)


@pytest.mark.parametrize("times", [1, 10])
def test_recommend_scaled_knowledge_base(benchmark: Any, times: int) -> None:
    kb = _scaled(default_knowledge_base(), times)
    benchmark(recommend, TYPICAL, knowledge_base=kb)


@pytest.mark.parametrize("code", ["pass", "import crampkit"])
def test_import_time(benchmark: Any, code: str) -> None:
    """Interpreter start-up alone, and with ``import crampkit``: the difference is the import cost.

    Byte-code caching is switched on (as after a normal install) and warmed up first.
    """
    env = {key: value for key, value in os.environ.items() if key != "PYTHONDONTWRITEBYTECODE"}
    command = [sys.executable, "-c", code]
    subprocess.run(command, check=True, env=env)
    benchmark.pedantic(subprocess.run, args=(command,), kwargs={"check": True, "env": env}, rounds=30)
