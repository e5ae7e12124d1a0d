"""The package itself (``crampkit/__init__.py``): its public names, imported on first use."""

import importlib
import subprocess
import sys

import pytest

import crampkit


def test_import_crampkit_imports_nothing_else() -> None:
    code = "import sys, crampkit; print(sorted(m for m in sys.modules if m.startswith(('crampkit.', 'attr', 'cattr'))))"
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)  # noqa: S603
    assert done.stdout.strip() == "[]"


def test_every_public_name_comes_from_the_module_that_defines_it() -> None:
    assert set(crampkit._WHERE) == set(crampkit.__all__) - {"__version__"}  # noqa: SLF001
    for name, module in crampkit._WHERE.items():  # noqa: SLF001
        if module == "crampkit.fhir":
            continue  # the optional extra; test_fhir covers its names
        assert getattr(crampkit, name) is getattr(importlib.import_module(module), name), name
    assert set(crampkit.__all__) <= set(dir(crampkit))


def test_an_unknown_name_is_an_attribute_error() -> None:
    with pytest.raises(AttributeError, match="no attribute 'recommendations'"):
        crampkit.recommendations  # noqa: B018 - the lookup is the test
