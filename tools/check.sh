#!/bin/sh
# Every check crampkit's CI runs, in order. Run it with the project's virtual
# environment first on PATH (see README.md, "Run the checks").
set -eu
export HYPOTHESIS_PROFILE="${HYPOTHESIS_PROFILE:-ci}"
cd "$(dirname "$0")/.."
echo "== ruff"; ruff check . && ruff format --check .
echo "== mypy --strict"; mypy
echo "== pytest (tests, doctests in docstrings, README and docs)"
python -m pytest --cov --cov-report=term-missing --cov-fail-under=100 -p no:cacheprovider \
    tests src/crampkit README.md docs --doctest-modules --doctest-glob='*.md'
echo "== sphinx (warnings are errors)"
python -m sphinx -W --keep-going -n -q -b html docs docs/_build/html
python tools/check_catalogue.py
echo "== all checks passed"
