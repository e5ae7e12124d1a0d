"""What each cache buys, on a repeated, a realistic and a uniform random stream of profiles (measured, never asserted).

Run: ``python -m pytest benchmarks/test_cache_benchmarks.py --benchmark-only -p no:cacheprovider``

Every layer is measured the same way: the same work is done with the layer
and without it, in the same run, interleaved (chunks of rows alternate
between the two sides, in alternating order), each side with a knowledge
base of its own so that neither warms the other's caches. Time is the
thread's CPU time (``time.thread_time``), so other processes on a shared
machine do not count; garbage collection does. A round is one pass over the
stream from empty caches; the ratio printed is the median over the rounds
of ``without / with`` (above 1: the layer pays for itself), beside the
layer's hit rate in the first round.

Streams (``benchmarks/streams.py``): :data:`ROWS` profiles each
(``CRAMPKIT_BENCH_CACHE_ROWS``, 5,000 unless set) of ``repeated`` (50
profiles over and over), ``clinic`` (realistic, varied: about 4 % of the
sets of facts come again, as on the realistic stream of issue 22) and
``uniform`` (every field drawn uniformly over its vocabulary).

Layers that crampkit keeps are switched off by calling the function they
wrap; layers that were dropped (the decision cache, the text cache, ...)
are put back around the function they wrapped, so the same benchmark shows
why each was kept or dropped. The decision cache, the closest call, is also
measured with each side in a process of its own, so that neither side's
garbage collection walks the other's objects. The first-time paths (loading
a knowledge base, compiling a plan, a schema, the first questions) are
measured the same way, call against call.

The ratios and hit rates are printed at the end of the run and kept in each
benchmark's ``extra_info``; docs/performance.md ("Caches") gives them.
"""

import functools
import gc
import json
import os
import statistics
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any, NamedTuple

import attrs
import pytest
from streams import STREAM_NAMES, stream

import crampkit
from crampkit import KnowledgeBase, Profile, _api
from crampkit._model import arguments, checks, convert
from crampkit.decision import engine
from crampkit.decision.plan import Plan, plan_of
from crampkit.decision.questions import _building, _index
from crampkit.io import schema
from crampkit.knowledge import safety
from crampkit.knowledge.items import derived
from crampkit.knowledge.medicines import matcher
from crampkit.text import regions
from crampkit.text.i18n import text_for

ROWS = int(os.environ.get("CRAMPKIT_BENCH_CACHE_ROWS", "5000"))
ROUNDS = 3
CHUNK = 25
"""Rows run on one side before the other side runs the same rows."""
DECISION_CACHE_SIZE = 4096
"""The size the dropped decision cache had."""

CLINIC_ROWS = stream("clinic", ROWS)
"""The clinic stream, as JSON-ready documents."""
STREAMS: dict[str, list[dict[str, Any]]] = {name: stream(name, ROWS) for name in STREAM_NAMES}


def _profiles(name: str) -> list[Profile]:
    return [crampkit.load_profile(row) for row in STREAMS[name]]


def _fresh() -> KnowledgeBase:
    """The packaged knowledge base with a store of its own: compiled and checked, nothing else remembered yet."""
    knowledge_base = attrs.evolve(crampkit.default_knowledge_base())
    crampkit.check_floor(knowledge_base)
    plan_of(knowledge_base)
    matcher(knowledge_base)
    return knowledge_base


class Side(NamedTuple):
    """One side of a comparison: run a chunk of work; how often its layer hit (``None`` when it has none)."""

    run: Callable[[list[Any]], object]
    hits: Callable[[], tuple[int, int] | None]


def _lru_hits(cached: Any) -> Callable[[], tuple[int, int]]:
    def hits() -> tuple[int, int]:
        info = cached.cache_info()
        return info.hits, info.hits + info.misses

    return hits


def _no_hits() -> None:
    return None


def _recommend(knowledge_base: KnowledgeBase) -> Callable[[list[Any]], object]:
    def run(chunk: list[Any]) -> object:
        return [crampkit.recommend(profile, knowledge_base=knowledge_base) for profile in chunk]

    return run


def _interleaved(with_layer: Side, without: Side, work: list[Any]) -> tuple[float, float]:
    """Thread CPU seconds of each side over ``work``, chunk by chunk, the side that goes first alternating."""
    spent = [0.0, 0.0]
    sides = (with_layer, without)
    clock = time.thread_time
    for number, start in enumerate(range(0, len(work), CHUNK)):
        chunk = work[start : start + CHUNK]
        for index in (0, 1) if number % 2 else (1, 0):
            began = clock()
            sides[index].run(chunk)
            spent[index] += clock() - began
    return spent[0], spent[1]


# -- the layers of recommend() ---------------------------------------------------------------------


def _plan_layer(name: str) -> Callable[[], tuple[Side, Side]]:
    """A part of guidance (or labels) that a plan shares: switched off by calling what it wraps."""

    def sides() -> tuple[Side, Side]:
        kept, off = _fresh(), _fresh()
        plan = plan_of(off)
        setattr(plan, name, getattr(plan, name).__wrapped__)
        return Side(_recommend(kept), _lru_hits(getattr(plan_of(kept), name))), Side(_recommend(off), _no_hits)

    return sides


def _every_part() -> tuple[Side, Side]:
    """Every part a plan shares and every medicine name a matcher remembers, against none of them."""
    kept, off = _fresh(), _fresh()
    off_plan, off_matcher = plan_of(off), matcher(off)
    for name, value in list(vars(off_plan).items()):
        if hasattr(value, "cache_info"):
            setattr(off_plan, name, value.__wrapped__)
    off_matcher.resolve = off_matcher.resolve.__wrapped__  # type: ignore[method-assign]
    return Side(_recommend(kept), _lru_hits(plan_of(kept).recommendation)), Side(_recommend(off), _no_hits)


def _medicine_names() -> tuple[Side, Side]:
    kept, off = _fresh(), _fresh()
    names = matcher(off)
    names.resolve = names.resolve.__wrapped__  # type: ignore[method-assign]
    return Side(_recommend(kept), _lru_hits(matcher(kept).resolve)), Side(_recommend(off), _no_hits)


def _decisions() -> tuple[Side, Side]:
    """The dropped decision cache, put back for one side: the decision remembered by its set of facts."""
    kept, off = _fresh(), _fresh()
    plan = plan_of(kept)
    decide = functools.lru_cache(maxsize=DECISION_CACHE_SIZE)(functools.partial(engine._decide, plan))  # noqa: SLF001
    original = engine._decide  # noqa: SLF001

    def dispatch(chosen: Plan, facts: frozenset[crampkit.Fact]) -> object:
        return decide(facts) if chosen is plan else original(chosen, facts)

    def run(knowledge_base: KnowledgeBase) -> Callable[[list[Any]], object]:
        inner = _recommend(knowledge_base)

        def patched(chunk: list[Any]) -> object:
            engine._decide = dispatch  # type: ignore[assignment]  # noqa: SLF001
            try:
                return inner(chunk)
            finally:
                engine._decide = original  # noqa: SLF001

        return patched

    return Side(run(kept), _lru_hits(decide)), Side(run(off), _no_hits)


def _text() -> tuple[Side, Side]:
    """The dropped text cache, put back for one side: translated and resolved text remembered by message."""
    kept, off = _fresh(), _fresh()
    plan = plan_of(kept)
    plan.tx = functools.lru_cache(maxsize=16384)(plan.tx)
    return Side(_recommend(kept), _lru_hits(plan.tx)), Side(_recommend(off), _no_hits)


PER_ROW: dict[str, Callable[[], tuple[Side, Side]]] = {
    "every shared part and medicine name": _every_part,
    "recommendation": _plan_layer("recommendation"),
    "cause_hit": _plan_layer("cause_hit"),
    "flag_hit": _plan_layer("flag_hit"),
    "not_recommended": _plan_layer("not_recommended"),
    "contraindicated": _plan_layer("contraindicated"),
    "labels": _plan_layer("labels"),
    "applies_to": _plan_layer("applies_to"),
    "medicine names": _medicine_names,
    "decision by facts (dropped)": _decisions,
    "text by message (dropped)": _text,
}
"""Each layer of :func:`crampkit.recommend`: what builds its two sides (with the layer, without it)."""


def _report(  # noqa: PLR0917 - what one line of the report says
    benchmark: Any,
    report: Callable[[str], None],
    what: str,
    rounds: list[tuple[float, float]],
    hits: tuple[int, int] | None,
    per: tuple[int, str],
) -> None:
    """Report the median ratio ``without / with`` (and its range), the hit rate, and the time with the layer."""
    ratios = [without / with_layer for with_layer, without in rounds]
    ratio = statistics.median(ratios)
    count, unit = per
    each = statistics.median(with_layer for with_layer, _ in rounds) / count * 1e6
    hit_rate = "" if hits is None else f"; hit rate {hits[0] / hits[1]:.1%} ({hits[0]:,} of {hits[1]:,})"
    benchmark.extra_info.update(ratio_without_over_with=ratio, ratios=ratios, hits=hits, us_with=each)
    report(f"{what}: {ratio:.3f} [{min(ratios):.3f}..{max(ratios):.3f}]{hit_rate}; with it {each:,.1f} us {unit}")


@pytest.mark.parametrize("stream", list(STREAMS))
@pytest.mark.parametrize("layer", list(PER_ROW))
def test_layer_of_recommend(benchmark: Any, layer_report: Callable[[str], None], layer: str, stream: str) -> None:
    profiles = _profiles(stream)
    rounds: list[tuple[float, float]] = []
    hits: list[Any] = []

    def one_round() -> None:
        gc.collect()
        with_layer, without = PER_ROW[layer]()
        rounds.append(_interleaved(with_layer, without, profiles))
        hits.append(with_layer.hits())

    benchmark.pedantic(one_round, rounds=ROUNDS, iterations=1)
    _report(benchmark, layer_report, f"{stream:8} {layer}", rounds, hits[0], (ROWS, "a row"))


_CHILD = """
import functools, json, sys, time
import crampkit
from crampkit.decision import engine
profiles = [crampkit.load_profile(row) for row in json.loads(open(sys.argv[1]).read())]
crampkit.recommend(crampkit.Profile())
if sys.argv[2] == "with":
    engine._decide = functools.lru_cache(maxsize=int(sys.argv[3]))(engine._decide)
began = time.thread_time()
for profile in profiles:
    crampkit.recommend(profile)
print(time.thread_time() - began)
"""
"""A process that runs a stream through ``recommend`` with the decision cache put back, or without it."""


@pytest.mark.parametrize("stream", list(STREAMS))
def test_decision_cache_in_processes_of_their_own(
    benchmark: Any, layer_report: Callable[[str], None], stream: str, tmp_path: Path
) -> None:
    rows = tmp_path / "rows.json"
    rows.write_text(json.dumps(STREAMS[stream]))
    rounds: list[tuple[float, float]] = []

    def child(side: str) -> float:
        command = [sys.executable, "-c", _CHILD, str(rows), side, str(DECISION_CACHE_SIZE)]
        return float(subprocess.run(command, check=True, capture_output=True, text=True).stdout)

    def one_round() -> None:
        order = ("with", "without") if len(rounds) % 2 else ("without", "with")
        seconds = {side: child(side) for side in order}
        rounds.append((seconds["with"], seconds["without"]))

    benchmark.pedantic(one_round, rounds=5, iterations=1)
    what = f"{stream:8} decision by facts (dropped), a process each"
    _report(benchmark, layer_report, what, rounds, None, (ROWS, "a row"))


# -- JSON: the kept JSON of shared parts -------------------------------------------------------------


@pytest.mark.parametrize("stream", list(STREAMS))
def test_batch_json_of_shared_parts(benchmark: Any, layer_report: Callable[[str], None], stream: str) -> None:
    """``recommend --jsonl`` writes guidance from the JSON of its parts, kept by identity (crampkit.io._fragments)."""
    from crampkit import batch  # noqa: PLC0415
    from crampkit.io import _fragments  # noqa: PLC0415

    lines = [json.dumps({"id": n, "profile": row}) for n, row in enumerate(STREAMS[stream])]
    rounds: list[tuple[float, float]] = []
    hits: list[tuple[int, int]] = []
    part = _fragments._part  # noqa: SLF001

    def one_round() -> None:
        gc.collect()
        kept, off = (batch._Work(batch._Settings(_fresh(), "uk", "en")) for _ in range(2))  # noqa: SLF001
        part.cache_clear()

        def without(chunk: list[Any]) -> object:
            return _swapped(_fragments, "_part", part.__wrapped__, lambda: off.json_lines(chunk))

        rounds.append(_interleaved(Side(kept.json_lines, _no_hits), Side(without, _no_hits), lines))
        info = part.cache_info()
        hits.append((info.hits, info.hits + info.misses))

    benchmark.pedantic(one_round, rounds=ROUNDS, iterations=1)
    _report(benchmark, layer_report, f"{stream:8} batch JSON of shared parts", rounds, hits[0], (ROWS, "a row"))


# -- the first-time paths ------------------------------------------------------------------------


def _swapped(module: Any, name: str, replacement: Any, call: Callable[[], object]) -> object:
    """Call ``call`` with ``module.name`` replaced for its duration."""
    original = getattr(module, name)
    setattr(module, name, replacement)
    try:
        return call()
    finally:
        setattr(module, name, original)


def _cold_load() -> object:
    return crampkit.default_knowledge_base.__wrapped__()  # type: ignore[attr-defined]


@functools.cache
def _field_names(cls: type) -> tuple[str, ...]:
    return tuple(field.name for field in attrs.fields(cls))


def _strings_field_names_kept(value: object) -> list[str]:
    """``crampkit._model.checks.strings`` as it was with its dropped cache of each class's field names."""
    found: list[str] = []
    stack = [value]
    while stack:
        item = stack.pop()
        if isinstance(item, str):
            found.append(item)
        elif isinstance(item, tuple | frozenset):
            stack.extend(reversed(tuple(item)))
        elif attrs.has(type(item)):
            stack.extend(getattr(item, name) for name in reversed(_field_names(type(item))))
    return found


def _cold_load_field_names_kept() -> object:
    _field_names.cache_clear()  # empty, as in a fresh process
    return _swapped(safety, "strings", _strings_field_names_kept, _cold_load)


def _recommend_store_kept() -> object:
    return crampkit.recommend(crampkit.example_profile(), knowledge_base=_STORE_KEPT)


def _recommend_store_not_kept() -> object:
    derived(_STORE_NOT_KEPT).clear()
    return crampkit.recommend(crampkit.example_profile(), knowledge_base=_STORE_NOT_KEPT)


def _recommend_default_not_kept() -> object:
    return crampkit.recommend(crampkit.example_profile(), knowledge_base=_cold_load())


def _cold_load_resolve_kept() -> object:
    return _swapped(safety, "resolve", functools.lru_cache(maxsize=16384)(regions.resolve), _cold_load)


def _compile() -> object:
    return Plan(crampkit.default_knowledge_base(), text_for("en", "uk"))


def _compile_text_kept() -> object:
    return Plan(crampkit.default_knowledge_base(), functools.lru_cache(maxsize=16384)(text_for("en", "uk")))


def _schema_examples_not_kept() -> object:
    return _swapped(_api, "_examples", _api._examples.__wrapped__, crampkit.profile_schema)  # noqa: SLF001


_DESCRIPTIONS = functools.cache(schema._descriptions)  # noqa: SLF001


def _schema_descriptions_kept() -> object:
    return _swapped(schema, "_descriptions", _DESCRIPTIONS, crampkit.profile_schema)


def _questions() -> object:
    return crampkit.next_questions(crampkit.Profile())


def _questions_built_afresh() -> object:
    def afresh() -> object:
        return _swapped(_building, "_choice", _building._choice.__wrapped__, _questions)  # noqa: SLF001

    return _swapped(_building, "_single_question", _building._single_question.__wrapped__, afresh)  # noqa: SLF001


def _question_index() -> object:
    return _index._build_index(crampkit.default_knowledge_base())  # noqa: SLF001


def _question_index_atoms_not_kept() -> object:
    return _swapped(_index, "atoms", _index.atoms.__wrapped__, _question_index)


def _question_index_outcomes_not_kept() -> object:
    return _swapped(_index, "all_outcomes", _index.all_outcomes.__wrapped__, _question_index)


def _load_profile() -> object:
    return crampkit.load_profile(CLINIC_ROWS[0])


def _load_profile_checks_not_kept() -> object:
    return _swapped(checks, "_class_checks", checks._class_checks.__wrapped__, _load_profile)  # noqa: SLF001


def _load_profile_converter_not_kept() -> object:
    return _swapped(convert, "converter", convert.make_converter, _load_profile)


def _match() -> object:
    return crampkit.match_medications(["atorvastatin", "Lipitor"], crampkit.default_knowledge_base())


def _match_check_not_kept() -> object:
    return _swapped(arguments, "check_for", checks.check_for.__wrapped__, _match)


_STORE_KEPT = attrs.evolve(crampkit.default_knowledge_base())
_STORE_NOT_KEPT = attrs.evolve(crampkit.default_knowledge_base())

FIRST_TIME: dict[str, tuple[Callable[[], object], Callable[[], object], int]] = {
    "recommend(): the packaged knowledge base (default_knowledge_base)": (
        _recommend_store_kept,
        _recommend_default_not_kept,
        3,
    ),
    "recommend(): what a knowledge base keeps (plan, floor, matcher, ...)": (
        _recommend_store_kept,
        _recommend_store_not_kept,
        10,
    ),
    "cold load of the packaged knowledge base: field names of each class (dropped)": (
        _cold_load_field_names_kept,
        _cold_load,
        5,
    ),
    "cold load of the packaged knowledge base: resolve (dropped)": (_cold_load_resolve_kept, _cold_load, 5),
    "compiling a plan: text by message (dropped)": (_compile_text_kept, _compile, 30),
    "profile_schema() again: _examples": (crampkit.profile_schema, _schema_examples_not_kept, 20),
    "profile_schema() again: _descriptions (dropped)": (_schema_descriptions_kept, crampkit.profile_schema, 50),
    "next_questions() again: the questions and choices built (_single_question, _choice)": (
        _questions,
        _questions_built_afresh,
        20,
    ),
    "question index of a knowledge base: atoms": (_question_index, _question_index_atoms_not_kept, 5),
    "question index of a knowledge base: all_outcomes": (_question_index, _question_index_outcomes_not_kept, 2),
    "load_profile(): the checks of each class (_class_checks)": (_load_profile, _load_profile_checks_not_kept, 300),
    "load_profile(): the converter": (_load_profile, _load_profile_converter_not_kept, 30),
    "match_medications(): check_for": (_match, _match_check_not_kept, 300),
}
"""Each first-time path: (with the layer, without it, calls per round)."""


def _time(call: Callable[[], object], calls: int) -> float:
    """Thread CPU seconds of one call, averaged over ``calls``."""
    began = time.thread_time()
    for _ in range(calls):
        call()
    return (time.thread_time() - began) / calls


@pytest.mark.parametrize("path", list(FIRST_TIME))
def test_first_time_path(benchmark: Any, layer_report: Callable[[str], None], path: str) -> None:
    with_layer, without, calls = FIRST_TIME[path]
    with_layer()  # warm what the path itself keeps (the default knowledge base, the examples...)
    rounds: list[tuple[float, float]] = []

    def one_round() -> None:
        gc.collect()
        pair = [0.0, 0.0]
        order: Iterator[int] = iter((0, 1) if len(rounds) % 2 else (1, 0))
        for index in order:
            pair[index] = _time((with_layer, without)[index], calls)
        rounds.append((pair[0], pair[1]))

    benchmark.pedantic(one_round, rounds=7, iterations=1)
    _report(benchmark, layer_report, path, rounds, None, (1, "a call"))
