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
* ``nox -s release``: builds the sdist and the wheel and tries them as a user would (not in CI).
"""

import shutil
import tarfile
from pathlib import Path

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

    Hypothesis runs the ``ci`` profile (30 examples per property) unless ``HYPOTHESIS_PROFILE`` says otherwise.
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


def _venv_bin(venv: Path, name: str) -> str:
    """The path of a command in a virtual environment made by ``python -m venv``."""
    return str(venv / ("Scripts" if (venv / "Scripts").is_dir() else "bin") / name)


@nox.session(default=False)
def release(session: nox.Session) -> None:
    """Build the sdist and the wheel, check them, and test the wheel in a clean virtual environment.

    ``python -m build`` makes the sdist and then the wheel from it, with the build backend pinned
    by ``constraints/ci.txt``; ``twine check`` reads both. A fresh virtual environment in a
    temporary folder gets the wheel with the extras the tests need, then: ``crampkit --version``
    must print the project's version, the README's quick start and examples must run, the tests
    and doctests unpacked from the sdist run against the installed wheel (never the source tree),
    and the sdist's docs build with it. The files to publish are left in ``dist/``.
    """
    _install(session, "release", editable=False)
    constraints = str(Path("constraints/ci.txt").resolve())
    tmp = Path(session.create_tmp()).resolve()
    shutil.rmtree(tmp)
    tmp.mkdir()
    dist = tmp / "dist"
    session.run("python", "-m", "build", "--outdir", str(dist), env={"PIP_CONSTRAINT": constraints})
    (sdist,) = dist.glob("crampkit-*.tar.gz")
    (wheel,) = dist.glob("crampkit-*.whl")
    session.run("python", "-m", "twine", "check", "--strict", str(sdist), str(wheel))

    venv = tmp / "venv"
    session.run("python", "-m", "venv", str(venv))
    python = _venv_bin(venv, "python")
    session.run(python, "-m", "pip", "install", "-q", "-c", constraints, f"{wheel}[{EXTRAS}]", external=True)
    with tarfile.open(sdist) as archive:
        archive.extractall(tmp, filter="data")
    source = tmp / sdist.name.removesuffix(".tar.gz")

    version = session.run(_venv_bin(venv, "crampkit"), "--version", external=True, silent=True)
    expected = nox.project.load_toml("pyproject.toml")["project"]["version"]
    if not isinstance(version, str) or version.split() != ["crampkit", expected]:
        session.error(f"crampkit --version printed {version!r}; expected 'crampkit {expected}'")
    session.log(f"crampkit --version: {version.strip()}")
    with session.chdir(source):
        session.run(python, str(source / "tools" / "check_installed.py"), str(venv), expected, external=True)
        session.run(
            python, "-m", "pytest", "-p", "no:cacheprovider", "--numprocesses=auto", "--dist=worksteal",
            "tests", "README.md", "docs", "--doctest-glob=*.md", "--doctest-modules", "--pyargs", "crampkit",
            *session.posargs, env={"HYPOTHESIS_PROFILE": "ci"}, external=True,
        )  # fmt: skip
        build = tmp / "html"
        session.run(
            python, "-m", "sphinx", "-W", "--keep-going", "-n", "-q", "-b", "html", "docs", str(build), external=True
        )
    shutil.rmtree("dist", ignore_errors=True)
    shutil.copytree(dist, "dist")
    session.log(f"ready to publish: {', '.join(sorted(path.name for path in Path('dist').iterdir()))}")
