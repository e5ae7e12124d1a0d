"""Hostile input and concurrency."""

import json
import unicodedata
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import attrs
from hypothesis import given, settings
from hypothesis import strategies as st

import crampkit
from crampkit import ChangeKind, InvalidInputError, KnowledgeBaseChange, Profile
from crampkit.render.cds_hooks import cards_for
from crampkit.render.terminal import render_guidance, render_item, render_short
from crampkit.server._answers import Kept
from crampkit.server._cards import Cards as _Cards
from strategies import hostile_markup, hostile_text, json_values, profiles


def test_eight_threads_give_the_serial_results() -> None:
    examples = [crampkit.load_profile(d) for d in _documents()]
    serial = [crampkit.recommend(profile) for profile in examples]
    with ThreadPoolExecutor(max_workers=8) as pool:
        for _ in range(5):
            assert list(pool.map(crampkit.recommend, examples)) == serial


def _documents() -> list[dict[str, object]]:
    base: list[dict[str, object]] = [
        {},
        {"age": 74, "medications": ["bendroflumethiazide", "Lipitor"], "cramps": {"timing": ["night"], "per_week": 4}},
        {"symptoms": ["calf-swelling", "breathlessness"]},
        {"heat_exposure": True, "activity": "vigorous", "symptoms": ["confusion"]},
        {"pregnant": True, "symptoms": ["headache"], "medications": ["unknown thing"]},
    ]
    return base * 8


@given(st.lists(profiles, min_size=1, max_size=8))
@settings(max_examples=20)
def test_threads_on_generated_profiles(batch: list[Profile]) -> None:
    serial = [crampkit.recommend(profile) for profile in batch]
    with ThreadPoolExecutor(max_workers=8) as pool:
        assert list(pool.map(crampkit.recommend, batch)) == serial


@given(st.text(max_size=300))
def test_arbitrary_text_is_a_profile_or_invalid_input(text: str) -> None:
    try:
        crampkit.load_profile(text)
    except InvalidInputError as error:
        assert error.problems


@given(json_values)
def test_arbitrary_json_nested_under_every_field(value: object) -> None:
    for key in ("age", "medications", "cramps", "symptoms", "habits", "conditions"):
        try:
            crampkit.load_profile(json.dumps({key: value}))
        except InvalidInputError as error:
            assert all(str(problem).startswith(key) for problem in error.problems)


# -- every medium, with hostile text everywhere ----------------------------------------------------

ACTING = frozenset({"Cc", "Cf", "Cs", "Zl", "Zp"})
"""Unicode categories of characters that act on a screen instead of showing: controls, format controls
(bidirectional, zero-width and the rest), separators and lone surrogates."""
REFERENCES = frozenset({"id", "sources", "url", "raises", "drug_classes", "region", "language"})
"""Fields that point at other items or name a vocabulary: kept, so that the rest can be looked up and shown."""
MINI = crampkit.load_knowledge_base(Path(__file__).parent.parent / "data" / "mini.toml")
CHANGED = attrs.evolve(
    MINI,
    changes=(
        *MINI.changes,
        KnowledgeBaseChange(id="clot", section="red_flags", kind=ChangeKind.REPLACED, reason="Why."),
    ),
)
MADE = tuple(
    crampkit.recommend(crampkit.load_profile(profile), knowledge_base=CHANGED)
    for profile in (
        {"age": 70, "medications": ["bendroflumethiazide", "mystery pill"], "cramps": {"timing": ["night"]}},
        {"symptoms": ["calf-swelling"], "medications": ["indapamide", "co-amilofruse 5/40"], "pregnant": True},
    )
)


def raw(cls: type[Any], values: dict[str, Any]) -> Any:
    """An attrs object built with no check at all, as code that bypasses every constructor could make one."""
    made = object.__new__(cls)
    for name, value in values.items():
        object.__setattr__(made, name, value)
    return made


def tainted(value: Any, text: str) -> Any:
    """``value`` with ``text`` around every piece of text it holds but its references."""
    if type(value) is str:  # not an enum value
        return f"{text}{value}{text}"
    if isinstance(value, tuple):
        return tuple(tainted(item, text) for item in value)
    if attrs.has(type(value)):
        return raw(
            type(value),
            {
                field.name: getattr(value, field.name)
                if field.name in REFERENCES
                else tainted(getattr(value, field.name), text)
                for field in attrs.fields(type(value))
            },
        )
    return value


def acting(text: str) -> list[str]:
    """The characters of ``text`` that would act on the screen (line feeds between its lines aside)."""
    return [f"U+{ord(char):04X}" for line in text.split("\n") for char in line if unicodedata.category(char) in ACTING]


def strings(data: Any, key: str = "") -> Iterator[tuple[str, str]]:
    """Every string of a JSON-compatible value, with the key it is under."""
    if isinstance(data, str):
        yield key, data
    elif isinstance(data, dict):
        for name, value in data.items():
            yield from strings(value, name)
    elif isinstance(data, list):
        for value in data:
            yield from strings(value, key)


@given(hostile_text | hostile_markup, st.sampled_from(MADE))
def test_no_control_or_format_character_survives_in_any_medium(text: str, made: crampkit.Guidance) -> None:
    """Hostile text in every field of the guidance and the knowledge base is shown, never obeyed, everywhere."""
    guidance, kb = tainted(made, text), tainted(CHANGED, text)
    clinician = _Cards(kb)
    cards = [
        *cards_for(guidance, kb)["cards"],
        *json.loads(Kept.of(*clinician.patient_view(guidance)).encoded(text))["cards"],  # the instance: hostile too
        *json.loads(Kept.of(*clinician.order_select(guidance)).encoded(text))["cards"],
    ]
    assert clinician.linked(guidance)  # the medicine names are shown in the clinicians' cards too
    for key, shown in strings(cards):
        assert not acting(shown), (key, shown)
        assert key == "detail" or "\n" not in shown, (key, shown)
        shown.encode()
    texts = [render_guidance(guidance), render_short(guidance), *(render_item(item, kb) for item in kb.items())]
    for shown in texts:
        assert not acting(shown), shown
        shown.encode()
