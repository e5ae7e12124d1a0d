"""Package metadata."""

from crampkit._caches import cached

__all__ = ["version"]


@cached
def version() -> str:
    """The installed crampkit version, from the package metadata."""
    from importlib.metadata import version as distribution_version  # noqa: PLC0415 - slow import, needed rarely

    return distribution_version("crampkit")
