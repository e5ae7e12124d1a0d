"""Regions: which emergency and non-urgent services knowledge-base text names.

Knowledge-base text names services through a few placeholders
(:data:`PLACEHOLDERS`), such as ``"Call {emergency} now."``; :func:`resolve`
fills them in for one region. The packaged text resolved for ``uk`` (the
default) reads exactly as it did before regions existed.

Every service name and number here was checked against an official page, cited
in the packaged knowledge base's ``sources.toml`` (the ``sources`` of each
:class:`Region`).
"""

import re
from collections.abc import Mapping
from types import MappingProxyType

import attrs

from crampkit.exceptions import Problem, ProblemCode, closest, did_you_mean, show
from crampkit.text import _choices

__all__ = [
    "DEFAULT_REGION",
    "PLACEHOLDER",
    "PLACEHOLDERS",
    "REGIONS",
    "Region",
    "placeholders_in",
    "region_problem",
    "resolve",
]


@attrs.frozen(kw_only=True)
class Region:
    """The services of one region, as they are named in text.

    Attributes:
        id: How the caller names the region (``uk``, ``us``, ``eu``, ``au``).
        name: The region in words.
        services: The text of each placeholder (see :data:`PLACEHOLDERS`).
        sources: Ids of the packaged sources that confirm the names and numbers.

    .. versionadded:: 0.2
    """

    id: str
    name: str
    services: Mapping[str, str]
    sources: tuple[str, ...]


PLACEHOLDERS: Mapping[str, str] = MappingProxyType(
    {
        "emergency": "the emergency telephone number",
        "emergency_elsewhere": "after the UK number, the numbers to use abroad (empty elsewhere)",
        "emergency_department": "the hospital emergency department, as it follows 'go to'",
        "urgent_line": "the service for urgent advice that is not an emergency",
        "doctor": "the family doctor (GP)",
        "doctor_practice": "where the family doctor works, as it follows 'your'",
        "fit": "a seizure, in the word the region's health services use ('fit' in the UK)",
        "fits": "seizures, in the word the region's health services use ('fits' in the UK)",
        "fit_seizure": "a seizure named both ways where the region says 'fit' ('fit (seizure)'), else 'seizure'",
    }
)
"""Each placeholder knowledge-base text may use (written ``{name}``), and what it stands for.

.. versionadded:: 0.2
.. versionchanged:: 0.2
   ``{fit}``, ``{fits}`` and ``{fit_seizure}``: UK text says "fit", as the NHS does; the others say "seizure".
"""

PLACEHOLDER = re.compile(r"\{([a-z_]+)\}")
"""A placeholder in knowledge-base text: a lower-case name in braces."""

_SEIZURE = {"fit": "seizure", "fits": "seizures", "fit_seizure": "seizure"}
"""How the regions whose health services say "seizure" name one (US CDC, an EU epilepsy association, Epilepsy
Foundation Australia)."""

_REGIONS = (
    Region(
        id="uk",
        name="United Kingdom",
        services={
            "emergency": "999",
            "emergency_elsewhere": " (112 in Europe, 911 in North America)",
            "emergency_department": "A&E",
            "urgent_line": "NHS 111",
            "doctor": "GP",
            "doctor_practice": "GP surgery",
            "fit": "fit",
            "fits": "fits",
            "fit_seizure": "fit (seizure)",
        },
        sources=("nhs-when-to-call-999", "nhs-111-service", "nhs-seizure-first-aid"),
    ),
    Region(
        id="us",
        name="United States",
        services={
            "emergency": "911",
            "emergency_elsewhere": "",
            "emergency_department": "the emergency room",
            "urgent_line": "urgent care",
            "doctor": "doctor",
            "doctor_practice": "doctor's office",
            **_SEIZURE,
        },
        sources=("fcc-911", "medlineplus-when-to-use-er", "cdc-seizure-first-aid"),
    ),
    Region(
        id="eu",
        name="European Union",
        services={
            "emergency": "112",
            "emergency_elsewhere": "",
            "emergency_department": "the emergency department",
            "urgent_line": "out-of-hours care",
            "doctor": "doctor",
            "doctor_practice": "doctor's practice",
            **_SEIZURE,
        },
        sources=("ec-112", "epilepsy-finland-first-aid"),
    ),
    Region(
        id="au",
        name="Australia",
        services={
            "emergency": "000",
            "emergency_elsewhere": "",
            "emergency_department": "the emergency department",
            "urgent_line": "healthdirect (1800 022 222)",
            "doctor": "GP",
            "doctor_practice": "medical centre",
            **_SEIZURE,
        },
        sources=("healthdirect-what-care", "epilepsy-australia-seizure-first-aid"),
    ),
)

REGIONS: Mapping[str, Region] = MappingProxyType({region.id: region for region in _REGIONS})
"""Every region by id, in the order they are documented; a region picker shows ``region.name`` for each.

.. versionadded:: 0.2
"""

DEFAULT_REGION = _choices.DEFAULT_REGION
"""The region used when the caller names none (``uk``).

.. versionadded:: 0.2
"""


def region_problem(function: str, region: object) -> Problem | None:
    """The problem with ``region`` as an argument of ``function``, or ``None`` when it names a region."""
    if isinstance(region, str) and region in REGIONS:
        return None
    suggestion = closest(region, REGIONS)
    message = did_you_mean(f"expected one of {', '.join(REGIONS)}, got {show(region)}", suggestion)
    location = f"{function}(): region"
    code = ProblemCode.NOT_ALLOWED_VALUE
    return Problem(("region",), code, message, location=location, allowed=tuple(REGIONS), suggestion=suggestion)


def placeholders_in(text: str) -> set[str]:
    """The placeholder names ``text`` uses (known or not)."""
    return set(PLACEHOLDER.findall(text))


def resolve(text: str, region: str) -> str:
    """``text`` with every known placeholder filled in for ``region`` (an id from :data:`REGIONS`).

    Unknown names in braces are left as they are (the safety floor refuses a
    knowledge base that has any).

    >>> resolve("Call {emergency} now.", "us")
    'Call 911 now.'
    """
    if "{" not in text:
        return text
    services = REGIONS[region].services
    return PLACEHOLDER.sub(lambda found: services.get(found.group(1), found.group(0)), text)
