"""Package metadata."""

from functools import cache

__all__ = ["version"]


@cache
def version() -> str:
    """The installed crampkit version, from the package metadata."""
    from importlib.metadata import version as distribution_version  # noqa: PLC0415 - slow import, needed rarely

    return distribution_version("crampkit")
