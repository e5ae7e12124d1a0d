"""The regions and languages crampkit has, known without importing anything heavy (internal).

The command line lists them as the choices of ``--region`` and
``--language``; reading them here keeps ``crampkit --help`` and
``--version`` from importing the rest of crampkit (attrs, the engine).
:mod:`crampkit.text.regions` and :mod:`crampkit.text.i18n` take them from here.
"""

import os
import re

from crampkit._caches import cached

__all__ = [
    "DEFAULT_LANGUAGE",
    "DEFAULT_REGION",
    "DOMAIN",
    "LANGUAGE_PATTERN",
    "LOCALE_DIR",
    "REGION_IDS",
    "catalogue",
    "languages",
]

REGION_IDS = ("uk", "us", "eu", "au")
"""The ids of the regions, in the order they are listed (:data:`crampkit.REGIONS` has one for each)."""

DEFAULT_REGION = "uk"
"""The region used when the caller names none."""

DOMAIN = "crampkit"
"""The gettext domain: catalogues are named ``crampkit.mo``."""

DEFAULT_LANGUAGE = "en"
"""The language of the message ids, used when the caller names none."""

LOCALE_DIR = os.path.join(os.path.dirname(os.path.dirname(__file__)), "locale")
"""Where the catalogues are: ``<language>/LC_MESSAGES/crampkit.mo``, and the template ``crampkit.pot``."""

LANGUAGE_PATTERN = r"^[a-z]{2,3}(?:_[A-Z]{2})?(?![\s\S])"
"""How a language is named: a language code, and a country code after ``_`` (``en``, ``pt_BR``).

.. versionadded:: 0.2
"""
_LANGUAGE = re.compile(LANGUAGE_PATTERN)


@cached
def languages() -> tuple[str, ...]:
    """The languages there is a catalogue for, English first (looked up once, then kept)."""
    found = sorted(
        name for name in os.listdir(LOCALE_DIR) if _LANGUAGE.search(name) and os.path.isfile(catalogue(name))
    )
    return (DEFAULT_LANGUAGE, *(name for name in found if name != DEFAULT_LANGUAGE))


def catalogue(language: str) -> str:
    """The path of the compiled catalogue of ``language``."""
    return os.path.join(LOCALE_DIR, language, "LC_MESSAGES", f"{DOMAIN}.mo")
