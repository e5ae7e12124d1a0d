"""The package itself (``crampkit/__init__.py``): its public names, imported on first use."""

import importlib
import subprocess
import sys
import types

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
