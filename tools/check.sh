#!/bin/sh
# Every check crampkit's CI runs: the default sessions of noxfile.py (lint,
# types, tests, docs), run in the current environment. Run it with the
# project's virtual environment first on PATH (see README.md, "Run the checks").
set -eu
export HYPOTHESIS_PROFILE="${HYPOTHESIS_PROFILE:-ci}"
cd "$(dirname "$0")/.."
python -m nox --no-venv --no-install --sessions lint types tests docs
echo "== all checks passed"
