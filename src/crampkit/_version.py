"""Package metadata."""

__all__ = ["VERSION", "version"]

VERSION = "0.2.0"
"""crampkit's version, as ``pyproject.toml`` gives it (a test holds the two, and the installed metadata, equal).

Written here rather than read from the package metadata: ``importlib.metadata``
costs ``crampkit --version`` tens of milliseconds.
"""


def version() -> str:
    """Crampkit's version (:data:`VERSION`)."""
    return VERSION
