"""The wheel's snapshot of the packaged knowledge base: used only when it is what the loader would build now."""

import pickle
from pathlib import Path
from types import MappingProxyType

import pytest

import crampkit
from crampkit.knowledge import _snapshot, safety
from crampkit.knowledge.items import derived
from crampkit.knowledge.load import DATA, _build, _documents, default_knowledge_base
from crampkit.knowledge.medicines import MedicineMatcher, matcher
from crampkit.knowledge.safety import floor_problems
from crampkit.profile import example_profile


@pytest.fixture(scope="module")
def fresh() -> crampkit.KnowledgeBase:
    """The packaged knowledge base as the loader builds it from its files (not the cached one)."""
    return _build(_documents(DATA), packaged=True)


@pytest.fixture
def package(tmp_path: Path) -> Path:
    """A small package: the fingerprint covers its .py and .toml files, wherever they are, and nothing else."""
    root = tmp_path / "pkg"
    (root / "data").mkdir(parents=True)
    (root / "__pycache__").mkdir()
    (root / "code.py").write_text("VALUE = 1\n")
    (root / "data" / "items.toml").write_text("[meta]\nversion = '1'\n")
    (root / "__pycache__" / "code.py").write_text("compiled elsewhere\n")
    (root / "messages.mo").write_bytes(b"\x00catalogue")
    return root


def test_a_snapshot_gives_back_the_knowledge_base_the_loader_builds(
    fresh: crampkit.KnowledgeBase, tmp_path: Path
) -> None:
    path = str(tmp_path / "kb.pickle")
    _snapshot.write(fresh, path)
    found = _snapshot.read(path)
    assert found is not None
    assert found is not fresh
    assert found == fresh
    assert found.version == fresh.version
    assert [item.id for item in found.items()] == [item.id for item in fresh.items()]
    kept = matcher(found)  # the matcher came with it, read-only as built, and reads names as a new one does
    assert kept is not matcher(fresh)
    assert isinstance(kept.index, MappingProxyType)
    proxies = {name for name, value in vars(MedicineMatcher(fresh)).items() if isinstance(value, MappingProxyType)}
    assert proxies == {name for name, value in vars(kept).items() if isinstance(value, MappingProxyType)}
    names = ["Lipitor 20mg", "ibuprofens", "co-codamol", "bendroflumethiazide", "an NSAID", "Nurofen®", "zzz"]
    assert [kept.resolve(name) for name in names] == [MedicineMatcher(fresh).resolve(name) for name in names]
    assert kept.match(names) == matcher(fresh).match(names)


def test_a_matcher_that_remembers_nothing_still_remembers_nothing_after_a_snapshot(
    fresh: crampkit.KnowledgeBase,
) -> None:
    forgetful = pickle.loads(pickle.dumps(MedicineMatcher(fresh, remember=False)))  # noqa: S301 - our own bytes
    assert forgetful.resolve("Lipitor") == matcher(fresh).resolve("Lipitor")
    assert forgetful.resolve.cache_info().maxsize == 0


def test_the_packaged_knowledge_base_comes_from_a_valid_snapshot_checked_as_the_loader_leaves_it(
    fresh: crampkit.KnowledgeBase, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "kb.pickle"
    _snapshot.write(fresh, str(path))
    monkeypatch.setattr(_snapshot, "FILE", str(path))
    loaded = default_knowledge_base.__wrapped__()  # type: ignore[attr-defined] # past the cache, as a new process
    assert loaded == fresh
    assert loaded is not default_knowledge_base()
    kept = len(derived(loaded))
    assert kept >= 3  # the floor's answer, the version claim and the matcher its text is read with
    assert floor_problems(loaded) == ()
    assert len(derived(loaded)) == kept  # the floor was not worked out again
    profile = example_profile()
    assert crampkit.recommend(profile, knowledge_base=loaded) == crampkit.recommend(profile)


def test_a_floor_rule_added_at_run_time_is_checked_even_with_a_valid_snapshot(
    fresh: crampkit.KnowledgeBase, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The snapshot was checked with the package's rules; a rule added since must still run on the packaged base."""
    path = tmp_path / "kb.pickle"
    _snapshot.write(fresh, str(path))
    monkeypatch.setattr(_snapshot, "FILE", str(path))

    def no_magnesium(knowledge_base: crampkit.KnowledgeBase) -> list[str]:
        return [f"{item.id}: magnesium" for item in knowledge_base.interventions if "magnesium" in item.id]

    monkeypatch.setattr(safety, "RULES", [*safety.RULES, no_magnesium])
    assert not safety.rules_as_packaged()
    with pytest.raises(crampkit.KnowledgeBaseError, match="magnesium-older-adults: magnesium"):
        default_knowledge_base.__wrapped__()  # type: ignore[attr-defined]
    monkeypatch.undo()
    assert safety.rules_as_packaged()


def test_without_a_snapshot_the_files_are_read(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(_snapshot, "FILE", str(tmp_path / "absent.pickle"))
    loaded = default_knowledge_base.__wrapped__()  # type: ignore[attr-defined]
    assert loaded == default_knowledge_base()


def test_the_fingerprint_covers_every_py_and_toml_file_and_nothing_else(package: Path) -> None:
    first = _snapshot.fingerprint(str(package))
    (package / "messages.mo").write_bytes(b"another catalogue")
    (package / "__pycache__" / "code.py").write_text("changed\n")
    (package / "notes.txt").write_text("not code\n")
    assert _snapshot.fingerprint(str(package)) == first
    (package / "data" / "items.toml").write_text("[meta]\nversion = '2'\n")
    second = _snapshot.fingerprint(str(package))
    assert second != first
    (package / "new.py").write_text("")
    third = _snapshot.fingerprint(str(package))
    assert third not in {first, second}
    (package / "new.py").rename(package / "data" / "new.py")  # the same content elsewhere is another package
    assert _snapshot.fingerprint(str(package)) not in {first, second, third}


@pytest.mark.parametrize(
    ("change", "what"),
    [
        (lambda root: (root / "code.py").write_text("VALUE = 2\n"), "its code changed"),
        (lambda root: (root / "data" / "items.toml").unlink(), "a data file is gone"),
        (lambda root: (root / "extra.toml").write_text(""), "a data file was added"),
    ],
)
def test_a_snapshot_of_other_files_is_not_used(
    change: object, what: str, fresh: crampkit.KnowledgeBase, package: Path, tmp_path: Path
) -> None:
    path = str(tmp_path / "kb.pickle")
    _snapshot.write(fresh, path, package=str(package))
    assert _snapshot.read(path, package=str(package)) == fresh
    change(package)  # type: ignore[operator]
    assert _snapshot.read(path, package=str(package)) is None, what


def _header(package: Path) -> bytes:
    return b"crampkit-kb-snapshot-2\n" + _snapshot.fingerprint(str(package))


class Elsewhere:
    """A class that is gone when the snapshot is read (pickled by reference to this module)."""


@pytest.mark.parametrize(
    ("content", "what"),
    [
        (lambda _package: b"", "empty"),
        (_header, "the header and nothing else"),
        (lambda package: _header(package) + b"not a pickle", "damaged"),
        (lambda package: _header(package)[:-1] + b"?" + pickle.dumps(1), "another fingerprint"),
        (lambda package: b"crampkit-kb-snapshot-0\n" + _header(package)[23:], "another format"),
        (lambda package: _header(package) + pickle.dumps({"version": "2027.03"}), "not a knowledge base"),
        (lambda package: _header(package) + pickle.dumps(({"version": "2027.03"}, None)), "not a pair of the two"),
        (lambda package: _header(package) + pickle.dumps((1, 2, 3)), "three things"),
        (
            lambda package: _header(package) + pickle.dumps(Elsewhere()).replace(b"Elsewhere", b"Nowhere!!"),
            "a class that does not exist",
        ),
    ],
)
def test_a_damaged_snapshot_is_not_used(content: object, what: str, package: Path, tmp_path: Path) -> None:
    path = tmp_path / "kb.pickle"
    path.write_bytes(content(package))  # type: ignore[operator]
    assert _snapshot.read(str(path), package=str(package)) is None, what
    assert _snapshot.read(str(tmp_path / "absent.pickle"), package=str(package)) is None
