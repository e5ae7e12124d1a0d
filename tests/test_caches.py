"""Every cache is registered in ``crampkit._caches``, and one call empties them all."""

import importlib
import pkgutil
from types import ModuleType
from typing import Any

import attrs

import crampkit
from crampkit import _caches
from crampkit._caches import Key, Store
from crampkit.decision.plan import plan_of
from crampkit.fhir.codes import code_table
from crampkit.knowledge.items import derived
from crampkit.knowledge.medicines import matcher


def _modules() -> list[ModuleType]:
    """Every module of crampkit (``__main__`` aside: importing it runs the command line)."""
    names = [found.name for found in pkgutil.walk_packages(crampkit.__path__, "crampkit.")]
    return [importlib.import_module(name) for name in names if not name.endswith("__main__")]


def _module_caches() -> dict[str, Any]:
    """Every functools cache (or cache by identity) defined at the top of a crampkit module, by its qualified name."""
    return {
        f"{module.__name__}.{name}": value
        for module in _modules()
        for name, value in vars(module).items()
        if hasattr(value, "cache_info") and not isinstance(value, type) and value.__module__ == module.__name__
    }


def _fill_every_cache() -> None:
    crampkit.recommend(crampkit.example_profile(), region="us")
    crampkit.next_questions(crampkit.Profile())
    crampkit.profile_schema()
    crampkit.to_json(crampkit.recommend(crampkit.example_profile()))
    _ = crampkit.__version__
    code_table()


def test_a_store_builds_each_value_once_for_each_variant() -> None:
    store = Store()
    built: list[str] = []
    plan: Key[str] = Key("plan")

    def build(value: str) -> str:
        built.append(value)
        return value

    assert store.get(plan, lambda: build("uk"), "uk") == "uk"
    assert store.get(plan, lambda: build("again"), "uk") == "uk"
    assert store.get(plan, lambda: build("us"), "us") == "us"
    assert built == ["uk", "us"]
    assert len(store) == 2
    assert repr(plan) == "Key('plan')"
    store.clear()
    assert len(store) == 0
    assert store.get(plan, lambda: build("rebuilt"), "uk") == "rebuilt"


def test_keys_compare_by_identity_not_by_name() -> None:
    store = Store()
    first: Key[int] = Key("same")
    second: Key[int] = Key("same")
    assert store.get(first, lambda: 1) == 1
    assert store.get(second, lambda: 2) == 2


def test_every_knowledge_base_keeps_one_store_of_its_own() -> None:
    kb = crampkit.default_knowledge_base()
    assert derived(kb) is derived(kb)
    copy = attrs.evolve(kb)
    assert copy == kb
    assert derived(copy) is not derived(kb)
    assert plan_of(copy) is not plan_of(kb)
    assert kb.by_id is kb.by_id
    assert kb.sign_for is kb.sign_for


def test_recommending_again_adds_nothing_to_the_store() -> None:
    kb = attrs.evolve(crampkit.default_knowledge_base())
    crampkit.recommend(crampkit.example_profile(), knowledge_base=kb)
    kept = len(derived(kb))
    for age in range(20, 90):
        crampkit.recommend(crampkit.Profile(age=age), knowledge_base=kb)
    assert len(derived(kb)) == kept


def test_every_module_cache_is_registered() -> None:
    _fill_every_cache()
    caches = _module_caches()
    assert {"crampkit.knowledge.load.default_knowledge_base", "crampkit._model.checks.check_for"} <= set(caches)
    bounded = {name for name, cache in caches.items() if cache.cache_info().maxsize is not None}
    assert bounded == {
        "crampkit.fhir.mapping._validated",
        "crampkit.text.escape.markdown",
        "crampkit.knowledge.safety.find_dose",
        "crampkit.io._fragments._part",
    }
    assert all(caches[name].cache_info().maxsize == _caches.BOUNDED[caches[name]] for name in bounded), "by recent()"
    assert len(caches) == len(_caches._CLEARS)  # noqa: SLF001 - each one is registered, and nothing else


def test_one_call_empties_every_cache_and_every_store() -> None:
    _fill_every_cache()
    kb = crampkit.default_knowledge_base()
    plan, names = plan_of(kb), matcher(kb)
    caches = _module_caches()
    assert any(cache.cache_info().currsize for cache in caches.values())

    _caches.clear()

    assert {name: cache.cache_info().currsize for name, cache in caches.items() if cache.cache_info().currsize} == {}
    assert len(derived(kb)) == 0
    assert plan_of(kb) is not plan
    assert matcher(kb) is not names
    again = crampkit.default_knowledge_base()
    assert again is not kb
    assert again == kb
    assert crampkit.recommend(crampkit.example_profile(), knowledge_base=again) == crampkit.recommend(
        crampkit.example_profile(), knowledge_base=kb
    )
