"""The figures of docs/performance.md, "Results": each a ratio against a baseline doing the same work, in one run.

Run: ``python -m pytest benchmarks/test_recommend_ratios.py --benchmark-only -p no:cacheprovider``

Every figure compares sides that do the same work over the same rows,
interleaved in the same run (``benchmarks/measure.py``: chunks of 25 rows
on each side in turn, thread CPU time, a median over rounds with its range),
on three streams (``benchmarks/streams.py``): ``repeated``, ``clinic``
(realistic, varied) and ``uniform`` (random over the vocabularies),
:data:`ROWS` profiles each (``CRAMPKIT_BENCH_ROWS``, 5,000 unless set).
Each round starts from empty caches: ``recommend()`` runs with a fresh copy
of the packaged knowledge base (compiled and checked, nothing remembered),
as a process does after it started.

The baselines:

* **the criteria rule**: a plain loop calling :meth:`crampkit.Criteria.matches`
  on every criteria a recommendation may test (red flags, escalation
  clauses, signs above self-care, risk factors, causes, interventions, and
  every intervention's contraindications and population rules), with the
  facts already derived: the floor under any rule engine.
* **the plain-Python version** of ``recommend()`` (``benchmarks/reference.py``),
  asserted here to give guidance equal to ``crampkit.recommend`` on every
  profile of every stream before it is timed.

The figures are printed at the end of the run and kept in each benchmark's ``extra_info``.
"""

import json
import os
import random
from collections.abc import Callable, Sequence
from typing import Any

import attrs
import pytest
from measure import Side, per_row_us, ratio, rounds
from reference import Reference
from streams import _MEDICINES, STREAM_NAMES, stream

import crampkit
from crampkit import Criteria, Fact, KnowledgeBase, Profile, Urgency
from crampkit.decision.plan import plan_of
from crampkit.io import _fragments
from crampkit.knowledge.medicines import matcher

ROWS = int(os.environ.get("CRAMPKIT_BENCH_ROWS", "5000"))
ROUNDS = 5

PROFILES = {name: [crampkit.load_profile(row) for row in stream(name, ROWS)] for name in STREAM_NAMES}
"""Each stream's profiles, loaded once."""


def fresh(knowledge_base: KnowledgeBase | None = None) -> KnowledgeBase:
    """A copy of ``knowledge_base`` (the packaged one) with a store of its own: compiled and checked, nothing kept."""
    copy = attrs.evolve(knowledge_base or crampkit.default_knowledge_base())
    crampkit.check_floor(copy)
    plan_of(copy)
    matcher(copy)
    return copy


def every_criteria(knowledge_base: KnowledgeBase) -> list[Criteria]:
    """Every criteria a recommendation may test, as the engine's steps 2 to 5 test them."""
    criteria = [flag.when for flag in knowledge_base.red_flags]
    criteria += [rule.when for rule in knowledge_base.escalation_rules()]
    criteria += [sign.criteria for sign in knowledge_base.signs if sign.urgency is not Urgency.SELF_CARE]
    criteria += [factor.when for factor in knowledge_base.risk_factors]
    criteria += [cause.when for cause in knowledge_base.causes if not cause.when.is_empty]
    for intervention in knowledge_base.interventions:
        criteria.append(intervention.when)
        criteria += [when for when, _ in knowledge_base.exclusion_rules(intervention)]
    return criteria


def criteria_rule(criteria: list[Criteria]) -> Side:
    """The baseline: every criteria's rule (all, any, each, none) tested on each row's facts."""

    def run(rows: Sequence[frozenset[Fact]]) -> object:
        return [sum(1 for when in criteria if when.matches(facts)) for facts in rows]

    return run


def recommending(knowledge_base: KnowledgeBase) -> Side:
    def run(rows: Sequence[Profile]) -> object:
        return [crampkit.recommend(profile, knowledge_base=knowledge_base) for profile in rows]

    return run


def each(function: Callable[[Any], object]) -> Side:
    def run(rows: Sequence[Any]) -> object:
        return [function(row) for row in rows]

    return run


def hit_rates(knowledge_base: KnowledgeBase) -> dict[str, float]:
    """The hit rate of each cache ``recommend()`` used in a knowledge base's store (its plan's, its matcher's)."""
    plan = plan_of(knowledge_base)
    caches = {name: value for name, value in vars(plan).items() if hasattr(value, "cache_info")}
    caches["medicine names"] = matcher(knowledge_base).resolve
    rates = {}
    for name, cache in caches.items():
        info = cache.cache_info()
        if info.hits + info.misses:
            rates[name] = info.hits / (info.hits + info.misses)
    return rates


def _rates(rates: dict[str, float]) -> str:
    return ", ".join(f"{name} {rate:.1%}" for name, rate in rates.items())


@pytest.mark.parametrize("name", STREAM_NAMES)
def test_recommend_against_the_criteria_rule_and_a_plain_version(
    benchmark: Any, figure_report: Callable[[str], None], name: str
) -> None:
    profiles = PROFILES[name]
    default = crampkit.default_knowledge_base()
    reference, unchecked = Reference(default), Reference(default, checked=False)
    for profile in profiles:  # the same output, or the comparison means nothing
        assert reference(profile) == crampkit.recommend(profile) == unchecked(profile)
    facts = [crampkit.derive_facts(profile) for profile in profiles]
    criteria = every_criteria(default)
    kept: list[KnowledgeBase] = []

    def sides() -> dict[str, Side]:
        kept.append(fresh())
        rule, engine = criteria_rule(criteria), recommending(kept[-1])
        plain, plain_unchecked = each(Reference(default)), each(Reference(default, checked=False))
        return {
            "criteria rule": lambda rows: rule([facts[index] for index in rows]),
            "recommend": lambda rows: engine([profiles[index] for index in rows]),
            "plain version": lambda rows: plain([profiles[index] for index in rows]),
            "plain, unchecked": lambda rows: plain_unchecked([profiles[index] for index in rows]),
        }

    measured: list[dict[str, float]] = []
    benchmark.pedantic(lambda: measured.extend(rounds(sides, range(ROWS), 1)), rounds=ROUNDS, iterations=1)
    rates = hit_rates(kept[0])
    figures = {
        "recommend / criteria rule": ratio(measured, "recommend", "criteria rule"),
        "recommend / plain version": ratio(measured, "recommend", "plain version"),
        "recommend / plain unchecked": ratio(measured, "recommend", "plain, unchecked"),
        "plain unchecked / plain version": ratio(measured, "plain, unchecked", "plain version"),
    }
    times = {side: per_row_us(measured, side, ROWS) for side in measured[0]}
    benchmark.extra_info.update(
        {what: figure.values for what, figure in figures.items()},
        us_per_row={side: figure.median for side, figure in times.items()},
        criteria=len(criteria),
        hit_rates=rates,
    )
    figure_report(
        f"{name:8} " + "; ".join(f"{what} {figure}" for what, figure in figures.items())
        + " | us a row: " + ", ".join(f"{side} {figure.median:.1f}" for side, figure in times.items())
        + f" | {len(criteria)} criteria | hit rates: {_rates(rates)}"
    )  # fmt: skip


def _with_twelve(profile: Profile, rng: random.Random) -> Profile:
    """``profile`` with twelve medicines drawn from the clinic stream's, one in ten rows with a name unknown."""
    names = set()
    while len(names) < 12:
        names.add(rng.choices(list(_MEDICINES), list(_MEDICINES.values()))[0])
    if rng.random() < 0.1:
        names.pop()
        names.add(f"trial drug {rng.randint(1, 10**6)}")
    return attrs.evolve(profile, medications=frozenset(names))


def test_twelve_medicines(benchmark: Any, figure_report: Callable[[str], None]) -> None:
    """The clinic stream with twelve medicines on every row, against the same rows as they are."""
    rng = random.Random("twelve")  # noqa: S311 - test data
    given = PROFILES["clinic"]
    twelve = [_with_twelve(profile, rng) for profile in given]

    def sides() -> dict[str, Side]:
        as_given, more = recommending(fresh()), recommending(fresh())
        return {
            "as given": lambda rows: as_given([given[index] for index in rows]),
            "twelve": lambda rows: more([twelve[index] for index in rows]),
        }

    measured: list[dict[str, float]] = []
    benchmark.pedantic(lambda: measured.extend(rounds(sides, range(ROWS), 1)), rounds=ROUNDS, iterations=1)
    figure = ratio(measured, "twelve", "as given")
    benchmark.extra_info["ratios"] = figure.values
    average = sum(len(profile.medications) for profile in given) / len(given)
    figure_report(
        f"clinic   recommend() with twelve medicines / as given ({average:.1f} medicines a row on average): {figure}"
    )


def _scaled(knowledge_base: KnowledgeBase, times: int) -> KnowledgeBase:
    """A knowledge base ``times`` the size: each red flag, risk factor and intervention, and ``times - 1`` copies of it.

    The copies have ids of their own (and so have their escalation clauses).
    """

    def copy(item: Any, n: int) -> Any:
        clauses = tuple(attrs.evolve(clause, id=f"{clause.id}-x{n}") for clause in getattr(item, "escalations", ()))
        return attrs.evolve(item, id=f"{item.id}-x{n}", **({"escalations": clauses} if clauses else {}))

    sections = ("risk_factors", "interventions", "red_flags")
    return attrs.evolve(
        knowledge_base,
        version=f"{knowledge_base.version}-{times}x",
        **{
            section: getattr(knowledge_base, section)
            + tuple(copy(item, n) for n in range(1, times) for item in getattr(knowledge_base, section))
            for section in sections
        },
    )


@pytest.mark.parametrize("name", ["clinic", "uniform"])
def test_knowledge_base_ten_times_the_size(benchmark: Any, figure_report: Callable[[str], None], name: str) -> None:
    profiles = PROFILES[name]
    ten = _scaled(crampkit.default_knowledge_base(), 10)

    def sides() -> dict[str, Side]:
        small, large = recommending(fresh()), recommending(fresh(ten))
        return {
            "1x": lambda rows: small([profiles[index] for index in rows]),
            "10x": lambda rows: large([profiles[index] for index in rows]),
        }

    measured: list[dict[str, float]] = []
    benchmark.pedantic(lambda: measured.extend(rounds(sides, range(ROWS), 1)), rounds=3, iterations=1)
    figure = ratio(measured, "10x", "1x")
    benchmark.extra_info["ratios"] = figure.values
    figure_report(f"{name:8} recommend(), knowledge base 10x the size / 1x: {figure}")


@pytest.mark.parametrize("name", STREAM_NAMES)
def test_json_of_guidance(benchmark: Any, figure_report: Callable[[str], None], name: str) -> None:
    """``to_json`` (compact, from the kept JSON of shared parts) against the converter and ``json.dumps``."""
    knowledge_base = fresh()
    guidance = [crampkit.recommend(profile, knowledge_base=knowledge_base) for profile in PROFILES[name]]
    part = _fragments._part  # noqa: SLF001
    for one in guidance:
        assert crampkit.to_json(one) == json.dumps(crampkit.unstructure(one), ensure_ascii=False, separators=(",", ":"))
    infos = []

    def sides() -> dict[str, Side]:
        infos.append(part.cache_info())
        part.cache_clear()
        return {
            "to_json": each(crampkit.to_json),
            "dumps": each(lambda one: json.dumps(crampkit.unstructure(one), ensure_ascii=False, separators=(",", ":"))),
            "indented": each(lambda one: crampkit.to_json(one, indent=2)),
        }

    measured: list[dict[str, float]] = []
    benchmark.pedantic(lambda: measured.extend(rounds(sides, guidance, 1)), rounds=ROUNDS, iterations=1)
    info = part.cache_info()
    compact = ratio(measured, "to_json", "dumps")
    indented = ratio(measured, "indented", "to_json")
    us = per_row_us(measured, "to_json", ROWS)
    benchmark.extra_info.update(compact_over_dumps=compact.values, indented_over_compact=indented.values)
    figure_report(
        f"{name:8} to_json() compact / json.dumps(unstructure()) (same bytes): {compact}; indented / compact "
        f"{indented}; compact {us.median:.1f} us a guidance; shared parts' JSON hit rate "
        f"{info.hits / (info.hits + info.misses):.1%}"
    )


def test_load_profile_from_json_text(benchmark: Any, figure_report: Callable[[str], None]) -> None:
    texts = [json.dumps(row) for row in stream("clinic", ROWS)]

    def sides() -> dict[str, Side]:
        return {"load_profile": each(crampkit.load_profile), "json.loads": each(json.loads)}

    measured: list[dict[str, float]] = []
    benchmark.pedantic(lambda: measured.extend(rounds(sides, texts, 1)), rounds=ROUNDS, iterations=1)
    figure = ratio(measured, "load_profile", "json.loads")
    us = per_row_us(measured, "load_profile", ROWS)
    benchmark.extra_info["ratios"] = figure.values
    figure_report(f"clinic   load_profile(JSON text) / json.loads(same text): {figure}; {us.median:.1f} us a row")
