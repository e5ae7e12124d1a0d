"""What each cache buys, on a realistic stream of profiles and on a repeated one (measured, never asserted).

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

Streams:

* ``clinic``: :data:`ROWS` profiles (``CRAMPKIT_BENCH_CACHE_ROWS``, 5,000
  unless set) drawn (seeded) as a clinic's would be: mostly older adults
  with calf cramps at night, a few common medicines (some of them names
  crampkit does not know), the odd condition or warning sign, fields often
  left out. About 4 % of the sets of facts come again, as on the realistic
  stream of issue 22 (3.7 %).
* ``repeated``: the first 50 of those profiles, over and over.

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
import random
import statistics
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any, NamedTuple

import attrs
import pytest

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

_MEDICINES = {
    "atorvastatin 20 mg": 10, "simvastatin 40 mg": 6, "amlodipine 5 mg": 8, "bendroflumethiazide 2.5 mg": 5,
    "furosemide 40 mg": 4, "omeprazole 20 mg": 9, "lansoprazole": 4, "metformin 500 mg": 8, "levothyroxine": 6,
    "ramipril 5 mg": 7, "lisinopril": 3, "salbutamol inhaler": 5, "aspirin 75 mg": 6, "paracetamol": 6,
    "sertraline": 4, "warfarin": 2, "apixaban": 3, "bisoprolol 2.5 mg": 5, "gabapentin": 3, "co-codamol": 3,
    "ibuprofen": 4, "naproxen": 2, "prednisolone": 2, "Lipitor": 2, "Ventolin": 2, "quinine sulfate": 1,
    "spironolactone": 2, "donepezil": 1, "Microgynon": 2, "indapamide": 2, "hydrochlorothiazide": 2,
    "salmeterol/fluticasone": 2, "nifedipine": 1, "raloxifene": 1, "estradiol": 1, "esomeprazole": 2,
    "rosuvastatin": 3, "tamsulosin": 2, "vitamin D": 3, "folic acid": 2,
}  # fmt: skip
_CONDITIONS = {
    "hypertension": 0.2, "diabetes": 0.08, "high-cholesterol": 0.08, "hypothyroidism": 0.05,
    "chronic-kidney-disease": 0.05, "peripheral-artery-disease": 0.03, "neuropathy": 0.04,
    "venous-insufficiency": 0.04, "heart-failure": 0.03, "cirrhosis": 0.01, "dialysis": 0.005,
    "lumbar-spinal-stenosis": 0.02, "parkinsons": 0.01, "multiple-sclerosis": 0.005, "motor-neurone-disease": 0.002,
    "electrolyte-disorder": 0.01, "stomach-ulcer-or-bleeding": 0.01, "fluid-restriction": 0.005,
}  # fmt: skip
_SITES = {
    "calf": 0.85, "foot": 0.2, "thigh": 0.1, "toes": 0.06, "hand": 0.04, "arm": 0.01, "abdomen": 0.01, "back": 0.01,
    "ribcage": 0.005, "neck": 0.01,
}  # fmt: skip
_TIMING = {"night": 0.7, "rest": 0.12, "during-exercise": 0.06, "after-exercise": 0.06, "work": 0.02}
_SYMPTOMS = {
    "numbness-or-tingling": 8, "muscle-weakness": 4, "muscle-twitching": 3, "calf-swelling": 3,
    "pain-walking-relieved-by-rest": 3, "cramp-lasts-over-10-min": 3, "new-medication": 3, "dizziness": 2,
    "heavy-sweating": 2, "diarrhoea": 2, "vomiting": 1, "headache": 2, "redness-or-warmth": 1, "dark-urine": 1,
    "severe-pain": 1, "muscle-wasting": 1, "swelling-hands-or-face": 1, "hand-or-foot-spasm": 1, "fever": 1,
    "breathlessness": 1, "tingling-around-mouth": 0.5, "not-eased-by-self-care": 1, "reduced-urine": 0.5,
    "confusion": 0.3, "chest-pain": 0.3,
}  # fmt: skip


def _some(rng: random.Random, chances: dict[str, float]) -> list[str]:
    return [name for name, chance in chances.items() if rng.random() < chance]


def _person(rng: random.Random) -> dict[str, Any]:
    data: dict[str, Any] = {}
    ages = rng.choices([(18, 39), (40, 59), (60, 79), (80, 95), None], [20, 30, 35, 10, 5])[0]
    if ages:
        data["age"] = rng.randint(*ages)
    sex = rng.choices(["female", "male", None], [55, 43, 2])[0]
    if sex:
        data["sex"] = sex
    if sex == "female" and 18 <= data.get("age", 0) <= 45 and rng.random() < 0.08:
        data["pregnant"] = True
        if rng.random() < 0.5:
            data["pregnancy_weeks"] = rng.randint(8, 40)
    if rng.random() < 0.35:
        data["bmi"] = round(min(50, max(16, rng.gauss(27, 5))), 1)
    activity = rng.choices(["sedentary", "light", "moderate", "vigorous", None], [15, 15, 10, 5, 55])[0]
    if activity:
        data["activity"] = activity
    if rng.random() < 0.1:
        data["heat_exposure"] = True
    if rng.random() < 0.03:
        data["clot_risks"] = [rng.choice(["recent-surgery-or-immobility", "long-travel", "active-cancer"])]
    if rng.random() < 0.05:
        data["sudden_onset"] = True
    return data


def _medicines(rng: random.Random) -> dict[str, Any]:
    count = rng.choices(range(7), [40, 22, 15, 10, 7, 4, 2])[0]
    if not count:
        return {}
    medicines = set(rng.choices(list(_MEDICINES), list(_MEDICINES.values()), k=count))
    if rng.random() < 0.03:
        medicines.add(f"trial drug {rng.randint(1, 10**6)}")
    return {"medications": sorted(medicines)}


def _cramps(rng: random.Random) -> dict[str, Any]:
    cramps: dict[str, Any] = {}
    if sites := _some(rng, _SITES):
        cramps["sites"] = sites
    if timing := _some(rng, _TIMING):
        cramps["timing"] = timing
    if rng.random() < 0.6:
        cramps["per_week"] = min(21, int(rng.expovariate(1 / 3)))
    if rng.random() < 0.3:
        cramps["minutes"] = rng.choice([1, 1, 2, 2, 3, 5, 5, 10, 15])
    if rng.random() < 0.4:
        cramps["disturbs_sleep"] = rng.random() < 0.6
    return {"cramps": cramps} if cramps else {}


def _habits(rng: random.Random) -> dict[str, Any]:
    habits: dict[str, Any] = {}
    if rng.random() < 0.3:
        habits["alcohol_units_per_week"] = min(60, int(rng.expovariate(1 / 8)))
    if rng.random() < 0.2:
        habits["caffeine_drinks_per_day"] = rng.randint(0, 8)
    if rng.random() < 0.4:
        habits["smoker"] = rng.random() < 0.15
    return {"habits": habits} if habits else {}


def clinic_profile(rng: random.Random) -> dict[str, Any]:
    """One profile as a clinic would send it (see the module docstring)."""
    data = {**_person(rng), **_medicines(rng)}
    if conditions := _some(rng, _CONDITIONS):
        data["conditions"] = conditions
    data |= _cramps(rng)
    if rng.random() < 0.15:
        data["symptoms"] = sorted(set(rng.choices(list(_SYMPTOMS), list(_SYMPTOMS.values()), k=rng.randint(1, 3))))
    return data | _habits(rng)


CLINIC_ROWS = [clinic_profile(random.Random(f"clinic-{n}")) for n in range(ROWS)]  # noqa: S311 - test data
"""The clinic stream, as JSON-ready documents."""
STREAMS: dict[str, list[dict[str, Any]]] = {
    "clinic": CLINIC_ROWS,
    "repeated": [CLINIC_ROWS[n % 50] for n in range(ROWS)],
}


def _profiles(stream: str) -> list[Profile]:
    return [crampkit.load_profile(row) for row in STREAMS[stream]]


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
