"""The package itself (``crampkit/__init__.py``): its public names, imported on first use."""

import importlib
import importlib.metadata
import re
import subprocess
import sys
import tomllib
import types
from pathlib import Path

import pytest

import crampkit


def test_import_crampkit_imports_nothing_else() -> None:
    code = "import sys, crampkit; print(sorted(m for m in sys.modules if m.startswith(('crampkit.', 'attr', 'cattr'))))"
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)  # noqa: S603
    assert done.stdout.strip() == "[]"


def test_every_public_name_comes_from_the_module_that_defines_it() -> None:
    assert crampkit.__all__ == sorted([*crampkit._WHERE, "__version__"])  # noqa: SLF001 - derived from the one map
    for name, module in crampkit._WHERE.items():  # noqa: SLF001
        value = getattr(crampkit, name)
        assert value is getattr(importlib.import_module(module), name), name
        if hasattr(value, "__module__") and not isinstance(value, tuple | dict | str):
            assert value.__module__ == module, f"{name} is defined in {value.__module__}, mapped to {module}"
    assert set(crampkit.__all__) <= set(dir(crampkit))


def test_nothing_is_exported_by_accident() -> None:
    for name in crampkit.__all__:  # import every module behind a public name first: importing one adds its name
        getattr(crampkit, name)
    modules = {name for name in dir(crampkit) if isinstance(getattr(crampkit, name), types.ModuleType)}
    public = {name for name in dir(crampkit) if not name.startswith("_")} - modules  # submodules are not exports
    assert public <= set(crampkit.__all__), public - set(crampkit.__all__)
    assert "TYPE_CHECKING" not in public


def test_an_unknown_name_is_an_attribute_error() -> None:
    with pytest.raises(AttributeError, match="no attribute 'recommendations'"):
        crampkit.recommendations  # noqa: B018 - the lookup is the test


@pytest.mark.parametrize(
    ("module", "names"),
    [
        ("crampkit.exceptions", ("InvalidInputError", "KnowledgeBaseError", "Problem", "ProblemCode")),
        ("crampkit.knowledge", ("KnowledgeBase", "Source", "Intervention", "RedFlag", "Sign", "DrugClass")),
        ("crampkit.fhir", ("to_profile", "FhirProfile", "Unmapped", "code_table")),
        ("crampkit.server", ("create_app",)),
        ("crampkit.dask", ("recommend_to_parquet", "write_part")),
        ("crampkit.cli", ("main",)),
    ],
)
def test_the_documented_import_paths_keep_working(module: str, names: tuple[str, ...]) -> None:
    imported = importlib.import_module(module)
    for name in names:
        value = getattr(imported, name)
        if name in crampkit.__all__:
            assert value is getattr(crampkit, name)


def test_the_changelog_dates_this_version_and_its_knowledge_base() -> None:
    text = (Path(__file__).parents[1] / "CHANGELOG.md").read_text(encoding="utf-8")
    released = re.findall(r"^## \[(\d+\.\d+\.\d+)\] - \d{4}-\d{2}-\d{2}$", text, re.MULTILINE)
    assert released[0] == crampkit.__version__, "the newest dated section of CHANGELOG.md is not this version"
    before, _, section = text.partition(f"## [{crampkit.__version__}]")
    assert "## [Unreleased]" in before
    # The packaged content's version is named where it shipped: in this version's section, or under
    # [Unreleased] when the content changed after the release (a knowledge base can change in a patch).
    unreleased = before.partition("## [Unreleased]")[2]
    shipped = unreleased if "### Knowledge base" in unreleased else section.split("\n## [")[0]
    assert f"**{crampkit.default_knowledge_base().version}**" in shipped


def test_the_package_docstring_points_at_documentation_an_installed_package_has() -> None:
    assert crampkit.__doc__ is not None
    words = " ".join(crampkit.__doc__.split())
    assert "help(crampkit.recommend)" in words
    assert "not in the installed package" in words


def test_the_version_is_the_projects_and_the_installed_metadatas() -> None:
    """``crampkit.__version__`` is written in the code (fast); it must be what pyproject.toml and pip say."""
    project = tomllib.loads((Path(__file__).parents[1] / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    assert crampkit.__version__ == project["version"] == importlib.metadata.version("crampkit")


@pytest.mark.parametrize("argv", [["--version"], ["--help"], ["recommend", "--help"], ["recommend", "--format", "x"]])
def test_help_version_and_usage_errors_import_nothing_heavy(argv: list[str]) -> None:
    """They are answered by the parser alone: no attrs, no engine, no knowledge base (they start fast)."""
    code = (
        "import sys, crampkit.__main__ as entry\n"
        f"sys.argv = ['crampkit', *{argv!r}]\n"
        "try:\n    entry.main_entry()\nexcept SystemExit as done:\n    code = done.code\n"
        "print(code, sorted(m for m in sys.modules if m.startswith(('attr', 'cattr', 'importlib.metadata')) "
        "or m.startswith('crampkit.') and m not in {'crampkit.__main__', 'crampkit._command_line', "
        "'crampkit._version', 'crampkit._caches', 'crampkit.text', 'crampkit.text._choices'}), file=sys.stderr)\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)  # noqa: S603
    exit_code, loaded = done.stderr.strip().splitlines()[-1].split(" ", 1)
    assert (exit_code, loaded) == ("2" if "x" in argv else "0", "[]")
    if argv == ["--version"]:
        assert done.stdout == f"crampkit {crampkit.__version__}\n"
