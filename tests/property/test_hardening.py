"""Hostile input and concurrency."""

import json
from concurrent.futures import ThreadPoolExecutor

from hypothesis import given, settings
from hypothesis import strategies as st

import crampkit
from crampkit import InvalidInputError, Profile
from strategies import json_values, profiles


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
