"""Check an installed crampkit as a user meets it (run by ``nox -s release`` with the clean venv's Python).

Usage: ``python tools/check_installed.py VENV VERSION``. Fails unless crampkit is imported from
inside ``VENV`` (not from a source tree), has ``VERSION``, ships its type information and its
packaged data and a snapshot of the packaged knowledge base that matches its files (with the
medicine matcher), and the README's quick start (``crampkit example | crampkit recommend -``)
prints guidance.
"""

import subprocess
import sys
from importlib.metadata import version
from importlib.resources import files
from pathlib import Path

import crampkit

venv, expected = Path(sys.argv[1]).resolve(), sys.argv[2]
failures = []
where = Path(crampkit.__file__).resolve()
if not where.is_relative_to(venv):
    failures.append(f"crampkit was imported from {where}, outside {venv}")
if crampkit.__version__ != expected or version("crampkit") != expected:
    failures.append(f"crampkit.__version__ is {crampkit.__version__!r}, expected {expected!r}")
package = files("crampkit")
failures += [
    f"the installed package lacks {needed}"
    for needed in ("py.typed", "knowledge/data", "locale", "fhir/data")
    if not (package.joinpath(needed).is_file() or package.joinpath(needed).is_dir())
]
command = Path(sys.executable).parent / "crampkit"
example = subprocess.run([command, "example"], capture_output=True, check=True)  # noqa: S603 - our own command
guidance = subprocess.run([command, "recommend", "-"], input=example.stdout, capture_output=True, check=True)  # noqa: S603
text = guidance.stdout.decode()
version_line = f"(knowledge base {crampkit.default_knowledge_base().version})"
if not text.startswith("Triage: ") or " ".join(crampkit.DISCLAIMER.split()) not in " ".join(text.split()):
    failures.append(f"the quick start printed no guidance:\n{text}")
elif not text.rstrip().endswith(version_line):
    failures.append(f"the quick start's guidance does not end with {version_line}")
from crampkit.knowledge import _snapshot  # noqa: E402 - after the checks that crampkit is the installed one
from crampkit.knowledge.items import derived  # noqa: E402
from crampkit.knowledge.medicines import MATCHER  # noqa: E402

snapshot = _snapshot.read()  # the wheel's own: it must match the installed files, and bring its matcher
if snapshot is None:
    failures.append("the wheel's snapshot of the packaged knowledge base is missing or does not match its files")
elif snapshot != crampkit.default_knowledge_base() or derived(snapshot).get(MATCHER, lambda: None) is None:
    failures.append("the wheel's snapshot is not the packaged knowledge base with its medicine matcher")
if failures:
    sys.exit("\n".join(failures))
print(
    f"crampkit {crampkit.__version__} from {where.parent}: typed, with its data and a snapshot that matches; "
    "the quick start runs"
)
