"""Every check crampkit runs, one session each: ``nox`` runs lint, types, tests and docs.

Each session installs the project with the extras it needs, pinned by
``constraints/ci.txt``, into its own virtual environment. CI runs the same
sessions in the environment it has already made (``tools/check.sh`` calls
``nox --no-venv``), where nothing is installed.

* ``nox -s lint``, ``types``, ``tests``, ``docs``: what CI runs (``tests`` with
  the ``ci`` hypothesis profile, in parallel with pytest-xdist);
* ``nox -s thorough``: before a release, every test with the ``thorough``
  profile, then the fuzz run of docs/testing.md (slow, not in CI);
* ``nox -s mutation``: mutation testing of the decision modules (slow, not in CI);
* ``nox -s benchmarks``: the benchmarks, with ratios measured in the same run;
* ``nox -s screenshots``: the try-it page's screenshots in docs/_static/try/, taken again by its browser tests.
"""

import nox

nox.options.sessions = ["lint", "types", "tests", "docs"]
nox.options.default_venv_backend = "venv"

EXTRAS = "test,docs,fhir,server,dask"
"""The extras the checks need (the README's test command installs the same)."""


def _install(session: nox.Session, extras: str = EXTRAS, *, editable: bool = True) -> None:
    """Install the project and its ``extras`` with CI's exact versions, unless running in an existing environment."""
    if session.venv_backend == "none":
        return
    target = f".[{extras}]"
    session.install("-c", "constraints/ci.txt", *(["-e", target] if editable else [target]))


@nox.session
def lint(session: nox.Session) -> None:
    """Ruff (the linter, and the formatter in check mode), and import-linter (the layers of docs/architecture.md)."""
    _install(session, "test")
    session.run("ruff", "check", ".")
    session.run("ruff", "format", "--check", ".")
    session.run("lint-imports")


@nox.session
def types(session: nox.Session) -> None:
    """Type-check the package and the tests with mypy --strict (configured in pyproject.toml)."""
    _install(session)
    session.run("mypy")


PYTEST = ("python", "-m", "pytest", "-p", "no:cacheprovider", "--numprocesses=auto", "--dist=worksteal")
"""pytest in parallel: a pytest-xdist worker per core, idle ones taking tests from busy ones (posargs' ``-n`` wins)."""

EVERYTHING = (
    "--cov",
    "--cov-report=term-missing",
    "--cov-fail-under=100",
    "tests",
    "src/crampkit",
    "README.md",
    "docs",
    "--doctest-modules",
    "--doctest-glob=*.md",
)
"""The tests, the doctests in the package, the README and the docs, with 100% branch coverage."""

FUZZ_NAMES = (
    "any_json",
    "any_bytes",
    "arbitrary",
    "agree",
    "hostile",
    "markdown_renders",
    "plain_leaves",
    "any_medicine",
    "any_text_as_stdin",
    "one_regex",
)
FUZZ = (
    "tests/property",
    "tests/test_profile.py",
    "tests/render/test_escaping.py",
    "tests/test_cli_hardening.py",
    "tests/knowledge/test_floor.py",
    "-k",
    " or ".join(FUZZ_NAMES),
    "--hypothesis-show-statistics",
)
"""The properties that feed crampkit hostile input: the fuzz command of docs/testing.md (keep the two the same)."""


@nox.session
def tests(session: nox.Session) -> None:
    """The tests, the doctests in docstrings, the README and the docs, with 100% branch coverage.

    Hypothesis runs the ``ci`` profile (100 examples per property) unless ``HYPOTHESIS_PROFILE`` says otherwise.
    """
    _install(session)
    session.env.setdefault("HYPOTHESIS_PROFILE", "ci")
    session.run(*PYTEST, *EVERYTHING, *session.posargs)


@nox.session(default=False)
def thorough(session: nox.Session) -> None:
    """Before a release: every test with the ``thorough`` profile (300 examples), then the fuzz run (20,000)."""
    _install(session)
    session.run(*PYTEST, *EVERYTHING, *session.posargs, env={"HYPOTHESIS_PROFILE": "thorough"})
    session.run(*PYTEST, *FUZZ, *session.posargs, env={"HYPOTHESIS_PROFILE": "fuzz"})


@nox.session
def docs(session: nox.Session) -> None:
    """The Sphinx docs, offline, warnings as errors; then every knowledge-base id is checked in the built pages."""
    _install(session)
    session.run("python", "-m", "sphinx", "-W", "--keep-going", "-n", "-q", "-b", "html", "docs", "docs/_build/html")
    session.run("python", "tools/check_catalogue.py")


@nox.session
def mutation(session: nox.Session) -> None:
    """Mutation testing of the decision modules with mutmut (see docs/testing.md); slow, not part of CI.

    crampkit is installed normally (not editable), so that the tests import the mutated copy.
    """
    _install(session, "test,fhir,server", editable=False)
    session.install("-c", "constraints/ci.txt", "mutmut")
    session.env["HYPOTHESIS_PROFILE"] = "mutation"
    session.run("mutmut", "run", *session.posargs)
    session.run("mutmut", "results")


@nox.session
def benchmarks(session: nox.Session) -> None:
    """The benchmarks (pytest-benchmark); the ratios measured in the same run are printed at the end."""
    _install(session)
    session.run("python", "-m", "pytest", "benchmarks", "--benchmark-only", "-p", "no:cacheprovider", *session.posargs)


@nox.session(default=False)
def screenshots(session: nox.Session) -> None:
    """The screenshots of docs/try.md, taken by the browser tests of the try-it page (Chromium and chromedriver)."""
    _install(session, "test,server")
    session.run(
        "python",
        "-m",
        "pytest",
        "tests/test_try_browser.py",
        "-p",
        "no:cacheprovider",
        *session.posargs,
        env={"CRAMPKIT_SCREENSHOTS": "docs/_static/try"},
    )
