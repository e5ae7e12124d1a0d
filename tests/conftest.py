"""Shared test configuration: hypothesis profiles, and a hook for mutation testing.

The ``HYPOTHESIS_PROFILE`` environment variable chooses the number of examples
per property (see docs/testing.md): ``dev`` (30, the default, for quick local
runs), ``ci`` (30, on every push: set by ``tools/check.sh`` and ``nox -s
tests``), ``thorough`` (300, before a release: ``nox -s thorough``), ``fuzz``
(20,000, the hostile-input properties, also in ``nox -s thorough``) and
``mutation`` (60, under mutmut).
"""

import os

import pytest
from hypothesis import HealthCheck, settings

settings.register_profile("ci", max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
settings.register_profile("thorough", max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
settings.register_profile("dev", max_examples=30, deadline=None)
# mutmut calls the test methods of classes in a way hypothesis sees as different executors; it is harmless there.
settings.register_profile(
    "mutation", max_examples=60, deadline=None, suppress_health_check=[HealthCheck.differing_executors]
)
settings.register_profile("fuzz", max_examples=20_000, deadline=None, suppress_health_check=list(HealthCheck))
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "dev"))


@pytest.fixture(autouse=True)
def _fresh_caches_under_mutation_testing() -> None:
    """Under mutmut, empty every cache crampkit keeps, so that each mutant's code really runs.

    mutmut forks every mutant's run from a process that has already run the
    tests; without this, what the unmutated code built and kept (the
    converter, the checks of each class, the packaged knowledge base, and
    what every knowledge base has worked out: its compiled plans, with the
    parts of guidance they share, its medicine matcher, its floor) would
    hide the mutant. Every cache is registered in :mod:`crampkit._caches`.
    """
    if os.environ.get("MUTANT_UNDER_TEST"):
        from crampkit import _caches  # noqa: PLC0415

        _caches.clear()
