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
from crampkit import Condition, Cramps, Profile, Site, Symptom, Timing, default_knowledge_base, recommend

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
    """A knowledge base ``times`` the size: every item copied with a new id (and so every escalation clause)."""

    def copy(item: Any, n: int) -> Any:
        clauses = tuple(attrs.evolve(clause, id=f"{clause.id}-x{n}") for clause in getattr(item, "escalations", ()))
        return attrs.evolve(item, id=f"{item.id}-x{n}", **({"escalations": clauses} if clauses else {}))

    def copies(items: tuple[Any, ...], n: int) -> tuple[Any, ...]:
        return tuple(copy(item, n) for item in items)

    sections = ("risk_factors", "interventions", "red_flags")
    return attrs.evolve(
        kb, **{name: sum((copies(getattr(kb, name), n) for n in range(times)), ()) for name in sections}
    )


TWELVE_MEDICINES = attrs.evolve(
    TYPICAL,
    medications=frozenset(
        [
            "bendroflumethiazide 2.5 mg",
            "atorvastatin 20 mg",
            "Lipitor",
            "amlodipine",
            "salbutamol inhaler",
            "omeprazole",
            "warfarin",
            "C10AA05",
            "paracetamol",
            "levothyroxine",
            "metformin",
            "sertraline",
        ]
    ),
)
"""The typical profile with twelve medicines: known names, a brand, an ATC code and names crampkit does not know."""


def _criteria(kb: crampkit.KnowledgeBase) -> list[crampkit.Criteria]:
    """Every criteria a recommendation may test: red flags, risk factors, interventions and what excludes them."""
    sections: list[tuple[Any, ...]] = [kb.red_flags, kb.risk_factors, kb.interventions, kb.population_rules]
    criteria = [item.when for section in sections for item in section]
    criteria += [c.when for intervention in kb.interventions for c in intervention.contraindications]
    return criteria


def test_bare_frozenset_loop(benchmark: Any, record: Any) -> None:
    """The floor under any rule engine: one frozenset subset test per criteria, nothing else."""
    kb = default_knowledge_base()
    sets = [criteria.all_of | criteria.any_of for criteria in _criteria(kb)]
    facts = crampkit.derive_facts(TYPICAL)

    def loop() -> int:
        return sum(1 for candidate in sets if candidate <= facts)

    benchmark(loop)
    record("frozenset-loop", benchmark)
    benchmark.extra_info["criteria"] = len(sets)


def test_recommend_typical(benchmark: Any, record: Any) -> None:
    default_knowledge_base()
    benchmark(recommend, TYPICAL)
    record("recommend-typical", benchmark)


def test_recommend_typical_first_time(benchmark: Any, record: Any) -> None:
    """The typical profile as if no part of its guidance had been seen: every part is built afresh, every round."""
    from crampkit.decision.plan import PLAN, Plan  # noqa: PLC0415 - the plan is internal
    from crampkit.knowledge.items import derived  # noqa: PLC0415
    from crampkit.text.i18n import text_for  # noqa: PLC0415

    kb = attrs.evolve(default_knowledge_base())
    derived(kb).get(PLAN, lambda: Plan(kb, text_for("en", "uk"), remember=False), "uk", "en")
    benchmark(recommend, TYPICAL, knowledge_base=kb)
    record("recommend-first-time", benchmark)


def test_recommend_twelve_medicines(benchmark: Any, record: Any) -> None:
    assert len(TWELVE_MEDICINES.medications) == 12
    benchmark(recommend, TWELVE_MEDICINES)
    record("recommend-12-medicines", benchmark)


@pytest.mark.parametrize("indent", [None, 2])
def test_to_json(benchmark: Any, indent: int | None, record: Any) -> None:
    guidance = recommend(TYPICAL)
    benchmark(crampkit.to_json, guidance, indent=indent)
    record("to-json-compact" if indent is None else "to-json-indented", benchmark)


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
def test_import_time(benchmark: Any, code: str, record: Any) -> None:
    """Interpreter start-up alone, and with ``import crampkit``: the difference is the import cost.

    Byte-code caching is switched on (as after a normal install) and warmed up first.
    """
    env = {key: value for key, value in os.environ.items() if key != "PYTHONDONTWRITEBYTECODE"}
    command = [sys.executable, "-c", code]
    subprocess.run(command, check=True, env=env)
    benchmark.pedantic(subprocess.run, args=(command,), kwargs={"check": True, "env": env}, rounds=30)
    record("import-pass" if code == "pass" else "import-crampkit", benchmark)
