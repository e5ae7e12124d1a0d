"""Package metadata."""

from importlib.metadata import version as _distribution_version

__all__ = ["version"]


def version() -> str:
    """The installed crampkit version."""
    return _distribution_version("crampkit")
