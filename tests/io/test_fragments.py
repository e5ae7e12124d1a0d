"""Objects written from the kept JSON of their shared parts are the converter's JSON, byte for byte."""

import json
from typing import Any

import attrs
import pytest
from hypothesis import given
from hypothesis import strategies as st

import crampkit
from crampkit import _caches
from crampkit.io import _fragments
from crampkit.text.i18n import languages
from crampkit.text.regions import REGIONS
from strategies import profiles


def _converter_json(value: object) -> str:
    return json.dumps(crampkit.unstructure(value), ensure_ascii=False, separators=(",", ":"))


@given(profiles, st.sampled_from(sorted(REGIONS)), st.sampled_from(languages()))
def test_any_guidance_is_written_as_the_converter_writes_it(
    profile: crampkit.Profile, region: str, language: str
) -> None:
    guidance = crampkit.recommend(profile, region=region, language=language)
    assert _fragments.attrs_json(guidance) == _converter_json(guidance)
    assert crampkit.to_json(guidance) == _converter_json(guidance)
    indented = json.dumps(crampkit.unstructure(guidance), indent=2, ensure_ascii=False)
    assert crampkit.to_json(guidance, indent=2) == indented


@given(profiles)
def test_any_profile_is_written_as_the_converter_writes_it(profile: crampkit.Profile) -> None:
    assert crampkit.to_json(profile) == _converter_json(profile)


def test_every_packaged_item_is_written_as_the_converter_writes_it() -> None:
    knowledge_base = crampkit.default_knowledge_base()
    items = [*knowledge_base.items(), *knowledge_base.medicines()]
    assert len(items) > 100
    assert [crampkit.to_json(item) for item in items] == [_converter_json(item) for item in items]


def test_defaults_are_left_out_and_other_values_kept_as_the_converter_does() -> None:
    guidance = crampkit.recommend(crampkit.example_profile())
    assert guidance.knowledge_base_changes == ()
    assert '"knowledge_base_changes"' not in crampkit.to_json(guidance)
    change = crampkit.KnowledgeBaseChange(
        section="interventions", id="x", kind=crampkit.ChangeKind.REPLACED, reason="a local protocol"
    )
    changed = attrs.evolve(guidance, knowledge_base_changes=(change,))
    assert '"knowledge_base_changes":[{' in _fragments.attrs_json(changed)
    assert _fragments.attrs_json(changed) == _converter_json(changed)


def test_a_part_is_encoded_once_while_it_is_shared_and_equal_parts_are_not_confused() -> None:
    guidance = crampkit.recommend(crampkit.example_profile())
    _fragments._part.cache_clear()  # noqa: SLF001
    crampkit.to_json(guidance)
    misses = _fragments._part.cache_info().misses  # noqa: SLF001
    again = crampkit.recommend(crampkit.example_profile())
    assert again.recommendations[0] is guidance.recommendations[0]  # the plan shares its parts
    assert [_fragments._part(part) for part in again.recommendations]  # noqa: SLF001
    assert _fragments._part.cache_info().misses == misses  # noqa: SLF001 - each recommendation was encoded once
    first = guidance.recommendations[0]
    twin = attrs.evolve(first, name=first.name + " (local)")
    expected = json.dumps(crampkit.unstructure(twin), ensure_ascii=False, separators=(",", ":"))
    assert _fragments._part(twin) == expected  # noqa: SLF001
    assert _fragments._part.cache_info().misses == misses + 1  # noqa: SLF001


class _Thing:
    def __init__(self, value: int) -> None:
        self.value = value


def test_results_kept_by_identity_are_bounded_and_never_another_objects(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(_caches, "_CLEARS", [])  # this test's cache is registered, then forgotten
    monkeypatch.setattr(_caches, "BOUNDED", {})
    calls: list[Any] = []

    @_caches.by_identity(3)
    def worked_out(thing: _Thing) -> int:
        """Doubles."""
        calls.append(thing)
        return thing.value * 2

    things = [_Thing(n) for n in range(4)]
    assert [worked_out(thing) for thing in things[:3]] == [0, 2, 4]
    assert [worked_out(thing) for thing in things[:3]] == [0, 2, 4]
    assert worked_out.cache_info() == _caches.CacheInfo(hits=3, misses=3, maxsize=3, currsize=3)
    assert worked_out(things[3]) == 6  # full: everything is forgotten, then this one kept
    assert worked_out.cache_info().currsize == 1
    assert worked_out(_Thing(0)) == 0  # equal value, another object: worked out again
    assert len(calls) == 5
    assert worked_out.__doc__ == "Doubles."
    assert worked_out.__wrapped__.__name__ == "worked_out"
    worked_out.cache_clear()
    assert worked_out.cache_info() == _caches.CacheInfo(0, 0, 3, 0)
    assert dict(_caches.BOUNDED) == {worked_out: 3}
    assert list(_caches._CLEARS) == [worked_out.cache_clear]  # noqa: SLF001


def test_values_that_are_not_one_object_are_written_by_the_converter() -> None:
    guidance = crampkit.recommend(crampkit.example_profile())
    for value in ([guidance, guidance], {"guidance": guidance}, "text", 3):
        assert crampkit.to_json(value) == _converter_json(value)
