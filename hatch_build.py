"""Hatch build hook: put a snapshot of the packaged knowledge base in the wheel (see crampkit.knowledge._snapshot)."""

import os
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

from hatchling.builders.hooks.plugin.interface import BuildHookInterface

_WRITE = """
import sys
from crampkit.knowledge import _snapshot
from crampkit.knowledge.load import DATA, _build, _documents
_snapshot.write(_build(_documents(DATA), packaged=True), sys.argv[1])
"""


class SnapshotHook(BuildHookInterface):  # type: ignore[type-arg]
    """Builds and checks the packaged knowledge base with the code being packaged, and adds its snapshot."""

    PLUGIN_NAME = "custom"

    def initialize(self, version: str, build_data: dict[str, Any]) -> None:
        """Add ``crampkit/knowledge/_packaged.pickle`` to a wheel (an editable install reads the files instead)."""
        if self.target_name != "wheel" or version == "editable":
            return
        self._folder = tempfile.TemporaryDirectory()
        target = str(Path(self._folder.name, "_packaged.pickle"))
        # the code being packaged first, then what this build's environment holds (attrs and cattrs)
        path = os.pathsep.join([str(Path(self.root, "src")), *(entry for entry in sys.path if entry)])
        env = {**os.environ, "PYTHONPATH": path, "PYTHONDONTWRITEBYTECODE": "1"}
        subprocess.run([sys.executable, "-c", _WRITE, target], check=True, env=env)  # noqa: S603 - our own code
        build_data["force_include"][target] = "crampkit/knowledge/_packaged.pickle"

    def finalize(self, version: str, build_data: dict[str, Any], artifact_path: str) -> None:  # noqa: ARG002
        """Remove the snapshot's temporary folder once the wheel is written."""
        folder = getattr(self, "_folder", None)
        if folder is not None:
            folder.cleanup()
