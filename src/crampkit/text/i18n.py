"""Languages: every user-facing string goes through a gettext message catalogue.

The message ids are the English text, so English needs no catalogue. Another
language is a compiled catalogue ``locale/<language>/LC_MESSAGES/crampkit.mo``
in the package, made from the template ``locale/crampkit.pot`` (see the
documentation page "Short forms, regions and languages"): adding one needs no
change to the code. The template holds the strings marked in the code
(``_("...")`` with ``_ = translator(language)``, or :func:`N_` for constants)
and the text of the packaged knowledge base, extracted by
:mod:`crampkit._babel_extract`.

Knowledge-base text is translated with its placeholders (``{emergency}``) in
place and resolved for the region afterwards, so a translation serves every
region.
"""

import re
from collections.abc import Callable
from typing import Any

import attrs

from crampkit._caches import cached
from crampkit._model.constraints import Constraint, fault, wrong_type
from crampkit.exceptions import Problem, ProblemCode, closest, did_you_mean, show
from crampkit.text import _choices
from crampkit.text._choices import DEFAULT_LANGUAGE, DOMAIN, LANGUAGE_PATTERN, languages
from crampkit.text.regions import resolve

__all__ = [
    "DEFAULT_LANGUAGE",
    "DOMAIN",
    "LANGUAGE_CODE",
    "LANGUAGE_PATTERN",
    "N_",
    "LanguageCode",
    "language_problem",
    "languages",
    "text_for",
    "translator",
]

_LANGUAGE = re.compile(LANGUAGE_PATTERN)


@attrs.frozen
class LanguageCode(Constraint):
    """A string that names a language as :data:`LANGUAGE_PATTERN` says (whether or not it has a catalogue).

    .. versionadded:: 0.2
    """

    def fault(self, value: object) -> Problem | None:
        """The problem with ``value``, or ``None`` when it fits."""
        if not isinstance(value, str):
            return wrong_type("a string", value)
        if _LANGUAGE.search(value):
            return None
        return fault(ProblemCode.WRONG_FORMAT, f"must be a language code such as 'en' or 'pt_BR', got {show(value)}")

    def schema(self) -> dict[str, Any]:
        """:data:`LANGUAGE_PATTERN`."""
        return {"pattern": LANGUAGE_PATTERN}

    def example(self) -> str:
        """:data:`DEFAULT_LANGUAGE`."""
        return DEFAULT_LANGUAGE


LANGUAGE_CODE = LanguageCode()
"""The check of a language field (:attr:`crampkit.Guidance.language`).

.. versionadded:: 0.2
"""


def N_(message: str) -> str:  # noqa: N802 - the usual gettext name for a marker
    """Mark ``message`` for extraction into the catalogue; it is translated where it is shown."""
    return message


def language_problem(function: str, language: object) -> Problem | None:
    """The problem with ``language`` as an argument of ``function``, or ``None`` when there is a catalogue for it."""
    if language == DEFAULT_LANGUAGE:
        return None
    available = languages()
    if isinstance(language, str) and language in available:
        return None
    suggestion = closest(language, available)
    message = did_you_mean(f"expected one of {', '.join(available)}, got {show(language)}", suggestion)
    location = f"{function}(): language"
    code = ProblemCode.NOT_ALLOWED_VALUE
    return Problem(("language",), code, message, location=location, allowed=available, suggestion=suggestion)


@cached
def translator(language: str) -> Callable[[str], str]:
    """The function that translates a message id into ``language`` (a name from :func:`languages`).

    A message the catalogue lacks comes back as it is (in English). Loaded
    once per language, then kept; the function is safe to call from many
    threads at once.
    """
    if language == DEFAULT_LANGUAGE:
        return str
    import gettext  # noqa: PLC0415 - only for a language other than English, to keep `import crampkit` fast

    with open(_choices.catalogue(language), "rb") as catalogue:
        return gettext.GNUTranslations(catalogue).gettext


def text_for(language: str, region: str) -> Callable[[str], str]:
    """The function that makes knowledge-base text ready to show: translated, then resolved for ``region``.

    A compiled plan (:mod:`crampkit.decision.plan`) calls it for its text
    once, when it is compiled, and for the few parts of guidance it builds.
    """
    translate = translator(language)
    return lambda message: resolve(translate(message), region)
