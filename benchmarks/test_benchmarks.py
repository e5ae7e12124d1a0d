"""Start-up: loading the packaged knowledge base, and ``import crampkit`` (never asserted in the test suite).

Run: ``python -m pytest benchmarks --benchmark-only -p no:cacheprovider``
(see docs/performance.md for the figures and targets). The figures of
``recommend()`` and ``to_json()`` are in ``test_recommend_ratios.py``, each
against a baseline doing the same work.
"""

import os
import subprocess
import sys
from typing import Any

import pytest

from crampkit import default_knowledge_base


def test_default_knowledge_base_cold_load(benchmark: Any) -> None:
    benchmark(default_knowledge_base.__wrapped__)


@pytest.mark.parametrize("code", ["pass", "import crampkit"])
def test_import_time(benchmark: Any, code: str, record: Any) -> None:
    """Interpreter start-up alone, and with ``import crampkit``: the difference is the import cost.

    Byte-code caching is switched on (as after a normal install) and warmed up first.
    """
    env = {key: value for key, value in os.environ.items() if key != "PYTHONDONTWRITEBYTECODE"}
    command = [sys.executable, "-c", code]
    subprocess.run(command, check=True, env=env)
    benchmark.pedantic(subprocess.run, args=(command,), kwargs={"check": True, "env": env}, rounds=30)
    record("import-pass" if code == "pass" else "import-crampkit", benchmark)
