"""From HL7 FHIR R4 resources to a :class:`~crampkit.Profile` (the optional ``fhir`` extra).

:func:`to_profile` reads a Bundle (or a list of resources) from an electronic
health record and fills what it can of a profile:

- **Patient**: ``birthDate`` gives the age on the day you pass as ``today``,
  and for a child under 5 with a full birth date the age in months too;
  ``gender`` gives the sex (``unknown`` leaves it unset).
- **Condition** (only ``clinicalStatus`` active, recurrence or relapse, and
  not refuted or entered in error): SNOMED CT, ICD-10 and ICD-10-CM codes give
  conditions, signs (symptoms), pregnancy, weeks of pregnancy, and cramps: a
  coded cramp (ICD-10 ``R25.2``, the SNOMED CT cramp concepts) counts as
  cramps reported.
- **Observation** (status final, amended or corrected): LOINC ``39156-5``
  gives the BMI, LOINC ``82810-3`` the pregnancy status (the latest of each
  wins); a finding coded like a Condition counts as one.
- **MedicationRequest** (status active) and **MedicationStatement** (active or
  intended), with the medicine coded in place or in a Medication resource
  (contained or referenced): a known RxNorm code gives its name (an
  ingredient's generic name, or a clinical or branded drug's RxNorm display),
  a WHO ATC code is passed on as it is. When no code is known, a
  Medication's ``ingredient`` list is read the same way, each ingredient by
  its codes or its text; failing that, the coding's display and the text are
  given to crampkit's medicine-name matcher. A medicine with nothing of these
  that crampkit can use still reaches the profile: as its code
  (``"RxNorm 996561"``), or, with no code either, as "a medicine with no code
  or name crampkit can read", so the guidance reports it in
  :attr:`~crampkit.Guidance.unrecognized_medications` and never drops it.

Every resource, coding or value that is not used lands in
:attr:`FhirProfile.unmapped` with the reason: nothing is dropped silently.
Resources are validated with the R4B models of ``fhir.resources`` (R4B keeps
these five resources as they are in R4); bad FHIR raises
:class:`~crampkit.InvalidInputError` naming the resource and the path.

The codes crampkit knows, each with where it was verified, are listed in the
"Integrating with an EHR" page of the documentation.

.. versionadded:: 0.2
.. versionchanged:: 0.2
   Clinical and branded RxNorm drugs, a Medication's ingredients, and every
   medicine reaching the profile even when it cannot be read.
"""

import datetime as dt
import json
import re
from collections.abc import Iterable, Iterator, Mapping, Sequence
from decimal import Decimal
from typing import TYPE_CHECKING, Any

import attrs

from crampkit._caches import recent
from crampkit._model.constraints import MAX_ITEMS
from crampkit.exceptions import InvalidInputError, Problem, ProblemCode, kind_of, path_text
from crampkit.fhir.codes import CodeMapping, CodeTable, code_table
from crampkit.profile import AGE, BMI, MEDICATION_NAME, Cramps, Profile
from crampkit.vocab import Condition, Sex, Symptom, Timing

if TYPE_CHECKING:
    from fhir.resources.R4B.codeableconcept import CodeableConcept
    from fhir.resources.R4B.resource import Resource

__all__ = [
    "MAX_RESOURCES",
    "CodeTable",
    "FhirProfile",
    "Path",
    "Unmapped",
    "code_table",
    "preload",
    "to_profile",
    "to_profile_from",
]

MAX_RESOURCES = 10_000
"""Most resources read from one input (Bundles nested in Bundles included)."""
_MAX_DEPTH = 4
_MAX_MESSAGE = 300

Path = tuple[str | int, ...]
"""Where something is in the input: its keys and list indexes, ``("entry", 3, "resource", "birthDate")``."""

_ACTIVE_CONDITION = frozenset({"active", "recurrence", "relapse"})
_DISCARDED_VERIFICATION = frozenset({"refuted", "entered-in-error"})
_FINAL_OBSERVATION = frozenset({"final", "amended", "corrected"})
_ACTIVE_MEDICATION = {
    "MedicationRequest": frozenset({"active"}),
    "MedicationStatement": frozenset({"active", "intended"}),
}
_BMI_UNITS = frozenset({"kg/m2", "kg/m^2", "kg/m²"})
_SEX = {"female": Sex.FEMALE, "male": Sex.MALE, "other": Sex.OTHER}
_FINDINGS = frozenset({"condition", "symptom", "cramps", "pregnant", "pregnancy-weeks"})
_ATC = re.compile(r"^[A-Z][0-9]{2}(?:[A-Z](?:[A-Z](?:[0-9]{2})?)?)?$")
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029]+")
_UNSAFE = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069\ud800-\udfff]+")
_RESOURCE_TYPE = re.compile(r"[A-Z][A-Za-z]{0,63}")
_USED = ("Patient", "Condition", "Observation", "MedicationRequest", "MedicationStatement", "Medication")
_WEEKS = re.compile(r"^[0-9]{1,2}$")


@attrs.frozen(kw_only=True)
class Unmapped:
    """Something in the FHIR input that crampkit did not use, and why.

    Attributes:
        resource_type: The resource's type, for example ``"Condition"``.
        resource_id: The resource's ``id``, when it has one.
        path: Where in the input, for example ``"entry[2].resource.code.coding[0]"``.
        system: The code system of the coding, when the thing is a coding.
        code: The code, when the thing is a coding.
        reason: Why it was not used, in plain words.
        problem: For a value that crampkit cannot take as it is (text with a
            text-direction control, a BMI out of range, one medicine too
            many), the :class:`~crampkit.Problem`, with its path in the input
            and its code; ``None`` for what is simply not used.

    .. versionadded:: 0.2
    """

    resource_type: str
    resource_id: str | None
    path: str
    system: str | None
    code: str | None
    reason: str
    problem: Problem | None = None


@attrs.frozen(kw_only=True)
class FhirProfile:
    """What :func:`to_profile` made of the FHIR input.

    Attributes:
        profile: The profile, ready for :func:`crampkit.recommend`.
        unmapped: Every resource, coding or value that was not used, with the reason.

    .. versionadded:: 0.2
    """

    profile: Profile
    unmapped: tuple[Unmapped, ...]


@attrs.define
class _Found:
    """Where one input resource is, and its validated model."""

    path: Path
    resource_type: str
    resource_id: str | None
    raw: Mapping[str, Any]
    model: "Resource | None" = None

    @property
    def label(self) -> str:
        """How problems name the resource: ``Patient/p1``, or its type alone."""
        return f"{self.resource_type}/{self.resource_id}" if self.resource_id else self.resource_type

    def problem(self, path: Path, code: ProblemCode, message: str, **limits: Any) -> Problem:  # noqa: ANN401
        """A problem at ``path`` inside this resource, shown as ``"<label> at <path>"``."""
        full = (*self.path, *path)
        return Problem(full, code, message, location=f"{self.label} at {path_text(full) or 'input'}", **limits)


@attrs.define
class _Builder:
    """Collects what the resources say, then builds the profile."""

    table: CodeTable
    today: dt.date
    unmapped: list[Unmapped] = attrs.Factory(list)
    age: int | None = None
    age_months: int | None = None
    sex: Sex | None = None
    medications: list[tuple[str, _Found, Path]] = attrs.Factory(list)
    conditions: set[Condition] = attrs.Factory(set)
    symptoms: set[Symptom] = attrs.Factory(set)
    cramps: bool = False
    timing: set[Timing] = attrs.Factory(set)
    pregnant_conditions: list[tuple[_Found, Path]] = attrs.Factory(list)
    weeks: list[tuple[int, _Found, Path]] = attrs.Factory(list)
    bmi: list[tuple[tuple[dt.datetime, int], float, _Found]] = attrs.Factory(list)
    pregnancy_status: list[tuple[tuple[dt.datetime, int], bool, _Found]] = attrs.Factory(list)
    medicines: dict[str, _Found] = attrs.Factory(dict)
    referenced: set[str] = attrs.Factory(set)

    def skip(
        self,
        found: _Found,
        path: Path,
        reason: str,
        *,
        system: str | None = None,
        code: str | None = None,
        problem: Problem | None = None,
    ) -> None:
        self.unmapped.append(
            Unmapped(
                resource_type=found.resource_type,
                resource_id=found.resource_id,
                path=path_text((*found.path, *path)),
                system=system,
                code=code,
                reason=reason,
                problem=problem,
            )
        )


def _at(path: Path, code: ProblemCode, message: str, **limits: Any) -> Problem:  # noqa: ANN401 - limits
    """A problem with the input's structure at ``path`` (``input`` when it is the whole of it)."""
    return Problem(path, code, message, location=path_text(path) or "input", **limits)


def _resource_type_problem(value: Mapping[str, Any], path: Path) -> Problem | None:
    """The problem with a resource's ``resourceType``, or ``None`` when it is a non-empty string."""
    resource_type = value.get("resourceType")
    if isinstance(resource_type, str) and resource_type:
        return None
    if "resourceType" not in value:
        code = ProblemCode.MISSING
    else:
        code = ProblemCode.EMPTY if resource_type == "" else ProblemCode.WRONG_TYPE
    return _at((*path, "resourceType"), code, "missing, or not a string")


class _TooManyError(Exception):
    """Raised by :func:`_walk` when the resources pass :data:`MAX_RESOURCES`: reading stops there, with one problem."""

    def __init__(self, path: Path) -> None:
        super().__init__(path)
        message = f"more than {MAX_RESOURCES} resources: crampkit reads no further"
        self.problem = _at(path, ProblemCode.TOO_MANY, message, max_items=MAX_RESOURCES)


def _walk(value: object, path: Path, depth: int, out: list[_Found], problems: list[Problem]) -> None:
    if len(out) >= MAX_RESOURCES:
        raise _TooManyError(path)
    if not isinstance(value, Mapping):
        message = f"expected a FHIR resource (a JSON object), got {kind_of(value)}"
        problems.append(_at(path, ProblemCode.WRONG_TYPE, message))
        return
    wrong = _resource_type_problem(value, path)
    if wrong is not None:
        problems.append(wrong)
        return
    resource_type: str = value["resourceType"]
    raw_id = value.get("id")
    found = _Found(path, resource_type, raw_id if isinstance(raw_id, str) else None, value)
    if resource_type != "Bundle":
        out.append(found)
        return
    if depth >= _MAX_DEPTH:
        problems.append(_at(path, ProblemCode.TOO_DEEP, f"Bundles nested more than {_MAX_DEPTH} deep"))
        return
    entries = value.get("entry", [])
    if not isinstance(entries, list):
        message = f"expected an array, got {kind_of(entries)}"
        problems.append(_at((*path, "entry"), ProblemCode.WRONG_TYPE, message))
        return
    if len(out) + len(entries) > MAX_RESOURCES:  # every entry is a resource, or a problem
        raise _TooManyError((*path, "entry"))
    for index, entry in enumerate(entries):
        where = (*path, "entry", index)
        if not isinstance(entry, Mapping):
            problems.append(_at(where, ProblemCode.WRONG_TYPE, f"expected an object, got {kind_of(entry)}"))
        elif "resource" not in entry:
            out.append(_Found(where, "Bundle.entry", found.resource_id, entry))
        else:
            _walk(entry["resource"], (*where, "resource"), depth + 1, out, problems)


def _model(resource_type: str) -> Any:  # noqa: ANN401 - a fhir.resources model class
    import importlib  # noqa: PLC0415 - the models are imported when first needed

    try:
        module = importlib.import_module(f"fhir.resources.R4B.{resource_type.lower()}")
    except ModuleNotFoundError as exc:
        if exc.name is None or exc.name.partition(".")[0] not in {"fhir", "pydantic"}:
            raise
        msg = "reading FHIR needs the fhir extra, which is not installed (in a checkout: pip install '.[fhir]')"
        raise ImportError(msg, name=exc.name) from None
    return getattr(module, resource_type)


_MODEL_CACHE = 4096
"""Most validated resources kept (the same resource sent again is not validated again)."""


@recent(_MODEL_CACHE)
def _validated(resource_type: str, canonical: str) -> Any:  # noqa: ANN401 - a fhir.resources model
    """The model of a resource given as canonical JSON (sorted keys): validated once, then reused.

    Only valid resources are kept (a validation error is raised, never cached).
    The models are only read, never changed, so one instance can serve every call.
    """
    return _model(resource_type).model_validate(json.loads(canonical))


def _canonical(raw: Mapping[str, Any]) -> str | None:
    """``raw`` as JSON with sorted keys, or ``None`` when it holds something JSON cannot (given from Python)."""
    try:
        return json.dumps(raw, sort_keys=True, separators=(",", ":"), allow_nan=False)
    except (TypeError, ValueError):
        return None


def preload() -> None:
    """Import the FHIR models and the code table now rather than on the first call (servers call this at start).

    .. versionadded:: 0.2
    """
    for resource_type in _USED:
        _model(resource_type)
    code_table()


def _message(text: str) -> str:
    """A message from the FHIR models, on one line, without control characters, at most 300 characters."""
    line = " ".join(_UNSAFE.sub(" ", text).split())
    return line if len(line) <= _MAX_MESSAGE else line[: _MAX_MESSAGE - 1] + "…"


_PYDANTIC_CODES: Mapping[str, ProblemCode] = {
    "missing": ProblemCode.MISSING,
    "model_field_validation.missing": ProblemCode.MISSING,
    "extra_forbidden": ProblemCode.UNKNOWN_FIELD,
    "string_unicode": ProblemCode.FORBIDDEN_CHARACTER,  # an unpaired surrogate
    "string_pattern_mismatch": ProblemCode.WRONG_FORMAT,
    "date_parsing": ProblemCode.WRONG_FORMAT,
    "date_from_datetime_parsing": ProblemCode.WRONG_FORMAT,
    "date_from_datetime_inexact": ProblemCode.WRONG_FORMAT,
    "datetime_parsing": ProblemCode.WRONG_FORMAT,
    "datetime_from_date_parsing": ProblemCode.WRONG_FORMAT,
    "time_parsing": ProblemCode.WRONG_FORMAT,
    "url_parsing": ProblemCode.WRONG_FORMAT,
    "uuid_parsing": ProblemCode.WRONG_FORMAT,
    "literal_error": ProblemCode.NOT_ALLOWED_VALUE,
    "enum": ProblemCode.NOT_ALLOWED_VALUE,
    "string_too_short": ProblemCode.EMPTY,
    "too_short": ProblemCode.EMPTY,
    "string_too_long": ProblemCode.TOO_LONG,
    "too_long": ProblemCode.TOO_MANY,
    "greater_than": ProblemCode.OUT_OF_RANGE,
    "greater_than_equal": ProblemCode.OUT_OF_RANGE,
    "less_than": ProblemCode.OUT_OF_RANGE,
    "less_than_equal": ProblemCode.OUT_OF_RANGE,
    "recursion_loop": ProblemCode.TOO_DEEP,
}
"""The code of each kind of pydantic error; ``*_type`` and ``*_parsing`` are ``wrong-type``, others ``invalid``."""

_VALUE_ERRORS = (
    ("does not match spec regex", ProblemCode.WRONG_FORMAT),
    ("does not parse to", ProblemCode.WRONG_FORMAT),
    ("must be timezone aware", ProblemCode.WRONG_FORMAT),
    ("but got multiple", ProblemCode.CONFLICT),
    ("Expect any of field value", ProblemCode.MISSING),
)
"""The code of the value errors that the FHIR models raise, by what their message says."""


_TYPE_WORDS = (
    ("string", "expected a string"),
    ("list", "expected an array"),
    ("dict", "expected a JSON object"),
    ("model", "expected a JSON object"),
    ("int", "expected an integer"),
    ("float", "expected a number"),
    ("decimal", "expected a number"),
    ("bool", "expected true or false"),
    ("datetime", "expected a FHIR dateTime, such as 2026-12-07T10:15:00Z"),
    ("date", "expected a FHIR date: YYYY, YYYY-MM or YYYY-MM-DD"),
    ("time", "expected a FHIR time, such as 10:15:00"),
    ("url", "expected a URL"),
    ("uuid", "expected a UUID"),
)
"""crampkit's words for a pydantic error of a kind that starts with the name of a type (``date_parsing``)."""
_FORMAT_WORDS = (
    ("Date value", "expected a FHIR date: YYYY, YYYY-MM or YYYY-MM-DD"),
    ("DateTime value", "expected a FHIR dateTime, such as 2026-12-07T10:15:00Z"),
    ("Instant value", "expected a FHIR instant, such as 2026-12-07T10:15:00Z"),
    ("Time value", "expected a FHIR time, such as 10:15:00"),
)
_NAMES = re.compile(r"\[([^\]]*)\]")


def _own_words(code: ProblemCode, kind: str, message: str) -> str:
    """What a problem the FHIR models found says, in crampkit's words (no pydantic wording, no regular expressions).

    Messages that only quote limits or allowed values (lengths, ranges, the
    codes of an enumeration) are kept as the models give them.
    """
    names = ", ".join(name.strip(" '") for name in _NAMES.findall(message)[:1][0].split(",")) if "[" in message else ""
    if code is ProblemCode.MISSING:
        return f"required: one of {names}" if names else "required"
    if code is ProblemCode.CONFLICT:
        return f"give only one of {names}" if names else "conflicts with another element"
    if code is ProblemCode.UNKNOWN_FIELD:
        return "not an element FHIR R4 defines here"
    if code is ProblemCode.EMPTY:
        return "must not be empty or only spaces"
    if code is ProblemCode.FORBIDDEN_CHARACTER:
        return "holds a character that is not allowed (an unpaired surrogate)"
    if code in {ProblemCode.WRONG_FORMAT, ProblemCode.WRONG_TYPE}:
        found = next((words for start, words in _FORMAT_WORDS if start in message), None)
        if kind != "string_pattern_mismatch":
            found = found or next((words for name, words in _TYPE_WORDS if kind.startswith(name)), None)
        fallback = (
            "not of a type FHIR allows here" if code is ProblemCode.WRONG_TYPE else "not in the format FHIR allows here"
        )
        return found or fallback
    if code is ProblemCode.INVALID:
        return "not a value FHIR allows here"
    return message


def _code(kind: str, message: str, value: object) -> ProblemCode:
    """The code of a pydantic error of type ``kind`` about ``value``."""
    if kind in {"value_error", "assertion_error"}:
        return next((code for words, code in _VALUE_ERRORS if words in message), ProblemCode.INVALID)
    if kind == "string_pattern_mismatch" and isinstance(value, str) and not value.strip():
        return ProblemCode.EMPTY
    code = _PYDANTIC_CODES.get(kind)
    if code is not None:
        return code
    if kind.endswith(("_type", "_parsing")) or kind == "model_validation_format":
        return ProblemCode.WRONG_TYPE
    return ProblemCode.INVALID


def _limits(code: ProblemCode, context: Mapping[str, Any]) -> dict[str, Any]:
    """The limits a pydantic error gives, as a problem's ``max_length``, ``max_items``, ``minimum`` or ``maximum``."""
    limit = context.get("max_length")
    if code is ProblemCode.TOO_LONG and isinstance(limit, int):
        return {"max_length": limit}
    if code is ProblemCode.TOO_MANY and isinstance(limit, int):
        return {"max_items": limit}
    if code is ProblemCode.OUT_OF_RANGE:
        low = next((context[key] for key in ("ge", "gt") if key in context), None)
        high = next((context[key] for key in ("le", "lt") if key in context), None)
        return {
            name: value
            for name, value in (("minimum", low), ("maximum", high))
            if isinstance(value, int | float) and not isinstance(value, bool)
        }
    return {}


def _in_input(raw: object, loc: Sequence[int | str], *, missing: bool) -> Path:
    """The part of a pydantic location that is in the input: every step that can be walked, and a missing key last.

    The models name steps the input does not have (``root``, ``resource_type``
    for ``resourceType``); such steps are left out, so the path can always be
    followed from the top of the input.
    """
    path: list[str | int] = []
    here = raw
    for number, step in enumerate(loc):
        key = "resourceType" if step == "resource_type" else step
        walkable = (isinstance(here, Mapping) and isinstance(key, str) and key in here) or (
            isinstance(here, list | tuple) and isinstance(key, int) and 0 <= key < len(here)
        )
        if walkable:
            here = here[key]  # type: ignore[index]
        elif not (missing and number == len(loc) - 1 and isinstance(here, Mapping) and isinstance(key, str)):
            continue
        path.append(key)
    return tuple(path)


def _contained_problems(found: _Found) -> list[Problem]:
    """The problems with the resources a resource contains, which the models cannot report (only resources)."""
    contained = found.raw.get("contained")
    if not isinstance(contained, list):
        return []  # the model says what is wrong
    from fhir.resources.R4B import fhirtypes  # noqa: PLC0415 - imported with the models

    problems: list[Problem] = []
    for index, value in enumerate(contained):
        where: Path = ("contained", index)
        if not isinstance(value, Mapping):
            message = f"expected a FHIR resource (a JSON object), got {kind_of(value)}"
            problems.append(found.problem(where, ProblemCode.WRONG_TYPE, message))
            continue
        wrong = _resource_type_problem(value, where)
        if wrong is not None:
            problems.append(found.problem(wrong.path, wrong.code, wrong.message))
            continue
        name = value["resourceType"]
        if not (_RESOURCE_TYPE.fullmatch(name) and hasattr(fhirtypes, f"{name}Type")):
            message = f"not a FHIR R4 resource type: {_message(repr(name))}"
            problems.append(found.problem((*where, "resourceType"), ProblemCode.NOT_ALLOWED_VALUE, message))
    return problems


def _validate(found: _Found, problems: list[Problem]) -> None:
    model = _model(found.resource_type)  # first: without the fhir extra, this says which extra to install
    import pydantic  # noqa: PLC0415 - imported with the models

    contained = _contained_problems(found)
    if contained:
        problems += contained
        return
    try:
        canonical = _canonical(found.raw)
        if canonical is None:
            found.model = model.model_validate(dict(found.raw))
        else:
            found.model = _validated(found.resource_type, canonical)
    except pydantic.ValidationError as exc:
        for error in exc.errors(include_url=False):
            message = error["msg"]
            code = _code(error["type"], message, error.get("input"))
            path = _in_input(found.raw, error["loc"], missing=code is ProblemCode.MISSING)
            if error["type"] == "model_validation_format":
                message = "not a FHIR element or resource of a type allowed here"
            else:
                message = _own_words(code, error["type"], message)
            limits = _limits(code, error.get("ctx") or {})
            problems.append(found.problem(path, code, _message(message), **limits))
    except RecursionError:
        problems.append(found.problem((), ProblemCode.TOO_DEEP, "nested too deeply to be read"))
    except (ValueError, TypeError, KeyError):  # fhir.resources can raise these for odd input
        problems.append(found.problem((), ProblemCode.INVALID, f"cannot be read as a FHIR R4 {found.resource_type}"))


def _codings(
    concept: "CodeableConcept | None", path: Path
) -> Iterator[tuple[Path, str | None, str | None, str | None]]:
    """(path, system, code, display) of every coding of a concept."""
    if concept is None:
        return
    for index, coding in enumerate(concept.coding or ()):
        yield (*path, "coding", index), coding.system, coding.code, coding.display


def _status_codes(concept: "CodeableConcept | None") -> set[str]:
    return {code for _, _, code, _ in _codings(concept, ()) if code}


def _subject_other_patient(model: Any, patient_id: str | None) -> str | None:  # noqa: ANN401 - any resource model
    subject = getattr(model, "subject", None) or getattr(model, "patient", None)
    reference = getattr(subject, "reference", None) if subject is not None else None
    if patient_id is None or not isinstance(reference, str):
        return None
    match = re.search(r"(?:^|/)Patient/([^/]+)$", reference)
    if match and match.group(1) != patient_id:
        return reference
    return None


def _when(model: Any, index: int) -> tuple[dt.datetime, int]:  # noqa: ANN401 - an Observation model
    """When an Observation applies, for picking the latest; input order breaks ties."""
    moment: object = model.effectiveDateTime or model.effectiveInstant or model.issued
    if moment is None and model.effectivePeriod is not None:
        moment = model.effectivePeriod.end or model.effectivePeriod.start
    if isinstance(moment, dt.datetime):
        aware = moment if moment.tzinfo else moment.replace(tzinfo=dt.UTC)
        return aware, index
    if isinstance(moment, dt.date):
        return dt.datetime(moment.year, moment.month, moment.day, tzinfo=dt.UTC), index
    return dt.datetime.min.replace(tzinfo=dt.UTC), index


def _age(birth: dt.date, today: dt.date) -> int:
    return today.year - birth.year - ((today.month, today.day) < (birth.month, birth.day))


_MONTHS_UNDER = 5
"""Below this age in years, a full birth date gives the age in months too (the fever advice for babies needs it)."""


def _months(birth: dt.date, today: dt.date) -> int:
    return (today.year - birth.year) * 12 + today.month - birth.month - (today.day < birth.day)


def _patient(builder: _Builder, found: _Found, problems: list[Problem]) -> None:
    model: Any = found.model
    birth: object = model.birthDate
    earliest: dt.date | None = None
    latest: dt.date | None = None
    if isinstance(birth, dt.date):
        earliest = latest = birth
    elif isinstance(birth, str):  # a partial date: "1950" or "1950-03"
        year, _, month = birth.partition("-")
        first_month, last_month = (int(month), int(month)) if month else (1, 12)
        earliest = dt.date(int(year), first_month, 1)
        after = dt.date(int(year) + (last_month == 12), last_month % 12 + 1, 1)  # noqa: PLR2004 - December
        latest = after - dt.timedelta(days=1)
    if earliest is not None and latest is not None:
        if earliest > builder.today:
            message = f"{birth} is after today ({builder.today})"
            problems.append(found.problem(("birthDate",), ProblemCode.OUT_OF_RANGE, message))
        else:
            oldest = _age(earliest, builder.today)
            youngest = _age(latest, builder.today) if latest <= builder.today else 0
            if AGE.problem(oldest) is not None:
                message = f"gives an age of {oldest}, not between 0 and 120"
                problems.append(
                    found.problem(("birthDate",), ProblemCode.OUT_OF_RANGE, message, minimum=0, maximum=120)
                )
            elif oldest == youngest:
                builder.age = oldest
                if oldest < _MONTHS_UNDER and earliest == latest:  # a partial date leaves the months unknown
                    builder.age_months = _months(earliest, builder.today)
            else:
                builder.skip(found, ("birthDate",), f"a partial birth date gives an age of {youngest} or {oldest}")
    gender = model.gender
    if gender in _SEX:
        builder.sex = _SEX[gender]
    elif gender is not None:
        builder.skip(found, ("gender",), f"gender {gender!r} is not one crampkit records", code=gender)


def _apply_finding(builder: _Builder, found: _Found, where: Path, row: CodeMapping) -> None:
    if row.maps == "condition":
        builder.conditions.add(Condition(row.to))
    elif row.maps == "symptom":
        builder.symptoms.add(Symptom(row.to))
    elif row.maps == "cramps":
        builder.cramps = True
        if row.to:
            builder.timing.add(Timing(row.to))
    elif row.maps == "pregnant":
        builder.pregnant_conditions.append((found, where))
    else:  # pregnancy-weeks
        builder.weeks.append((int(row.to), found, where))


def _coded(
    builder: _Builder, found: _Found, concept: "CodeableConcept | None", path: Path, wanted: frozenset[str]
) -> list[tuple[Path, CodeMapping]]:
    """The rows matched by a concept's codings that mean one of ``wanted``; every other coding goes to unmapped."""
    matched: list[tuple[Path, CodeMapping]] = []
    codings = list(_codings(concept, path))
    if concept is not None and not codings:
        builder.skip(found, path, "no coding (free text is not interpreted)")
    for where, system, code, _ in codings:
        key = builder.table.system_key(system) if system else None
        if key is None or not code:
            reason = "no system or code" if not (system and code) else "a code system crampkit does not map"
            builder.skip(found, where, reason, system=system, code=code)
            continue
        rows = builder.table.lookup(key, code)
        fitting = [row for row in rows if row.maps in wanted]
        if fitting:
            matched += [(where, row) for row in fitting]
        elif rows:
            builder.skip(
                found, where, f"this code means {rows[0].maps}, which is not used here", system=system, code=code
            )
        else:
            builder.skip(found, where, "a code crampkit does not map", system=system, code=code)
    return matched


def _condition(builder: _Builder, found: _Found) -> None:
    model: Any = found.model
    clinical = _status_codes(model.clinicalStatus)
    verification = _status_codes(model.verificationStatus)
    if not clinical & _ACTIVE_CONDITION:
        status = ", ".join(sorted(clinical)) or "missing"
        builder.skip(found, ("clinicalStatus",), f"clinicalStatus {status}: only active, recurrence or relapse count")
        return
    if verification & _DISCARDED_VERIFICATION:
        status = ", ".join(sorted(verification & _DISCARDED_VERIFICATION))
        builder.skip(found, ("verificationStatus",), f"verificationStatus {status}")
        return
    if model.code is None:
        builder.skip(found, (), "no code")
        return
    for where, row in _coded(builder, found, model.code, ("code",), _FINDINGS):
        _apply_finding(builder, found, where, row)


def _quantity_bmi(builder: _Builder, found: _Found) -> float | None:
    model: Any = found.model
    quantity = model.valueQuantity
    if quantity is None or quantity.value is None:
        builder.skip(found, ("value",), "a BMI Observation without a numeric valueQuantity")
        return None
    units = {unit for unit in (quantity.code, quantity.unit) if unit}
    if units and not units & _BMI_UNITS:
        builder.skip(found, ("valueQuantity",), f"BMI in {', '.join(sorted(units))}, not kg/m2")
        return None
    value = float(quantity.value) if isinstance(quantity.value, Decimal | int | float) else None
    fault = BMI.fault(value)
    if fault is not None:
        where: Path = ("valueQuantity", "value")
        problem = attrs.evolve(fault, path=(*found.path, *where), location=path_text((*found.path, *where)))
        builder.skip(found, where, f"BMI {quantity.value} is outside 10 to 80", problem=problem)
        return None
    return value


def _observation(builder: _Builder, found: _Found, index: int) -> None:
    model: Any = found.model
    if model.status not in _FINAL_OBSERVATION:
        builder.skip(found, ("status",), f"status {model.status}: only final, amended or corrected count")
        return
    for where, row in _coded(builder, found, model.code, ("code",), _FINDINGS | {"observation"}):
        if row.maps == "observation" and row.to == "bmi":
            value = _quantity_bmi(builder, found)
            if value is not None:
                builder.bmi.append((_when(model, index), value, found))
        elif row.maps == "observation":  # pregnancy-status
            concept = model.valueCodeableConcept
            answers = _coded(builder, found, concept, ("valueCodeableConcept",), frozenset({row.to}))
            if concept is None:
                builder.skip(found, ("value",), "a pregnancy status without a valueCodeableConcept")
            values = {answer.to == "true" for _, answer in answers}
            if len(values) == 1:
                builder.pregnancy_status.append((_when(model, index), values.pop(), found))
            elif values:
                builder.skip(found, ("valueCodeableConcept",), "answers that contradict each other")
        elif model.valueBoolean is False or model.valueCodeableConcept is not None or model.valueString is not None:
            builder.skip(found, where, "a finding with a value crampkit cannot interpret", code=row.code)
        else:
            _apply_finding(builder, found, where, row)


def _name(builder: _Builder, found: _Found, where: Path, text: str) -> str | None:
    """A medicine name from free text, or ``None`` (and the text in unmapped) when a profile cannot take it.

    Control characters and line breaks become spaces; text that still breaks
    the profile's rule for text (a text-direction control, nothing visible,
    too long) is not used, and says why.
    """
    name = " ".join(_CONTROL.sub(" ", text).split())
    fault = MEDICATION_NAME.fault(name)
    if fault is None:
        return name
    full = (*found.path, *where)
    problem = attrs.evolve(fault, path=full, location=path_text(full))
    if not name:
        reason = "an empty name"
    elif fault.code is ProblemCode.TOO_LONG:
        reason = f"a name longer than {fault.max_length} characters"
    else:
        reason = f"a name that {fault.message}"
    builder.skip(found, where, reason, problem=problem)
    return None


@attrs.frozen
class _Medicine:
    """Where the medicine of a request or statement is: its code, and the Medication resource that holds it."""

    concept: "CodeableConcept | None"
    path: Path
    holder: _Found
    medication: Any = None  # the Medication model, for its ingredients (None when coded in place)
    at: Path = ()  # where that Medication is in ``holder``


def _medicine_concept(builder: _Builder, found: _Found) -> _Medicine | None:
    """The medicine that ``found`` records, or ``None`` (with a name for it when there is one) when it is not there."""
    model: Any = found.model
    if model.medicationCodeableConcept is not None:
        return _Medicine(model.medicationCodeableConcept, ("medicationCodeableConcept",), found)
    given = model.medicationReference
    reference = getattr(given, "reference", None) if given else None
    if isinstance(reference, str):
        if reference.startswith("#"):
            for index, contained in enumerate(found.raw.get("contained") or ()):
                if (  # a contained resource of another type is not a medicine: it is skipped below
                    isinstance(contained, Mapping)
                    and contained.get("id") == reference[1:]
                    and contained.get("resourceType") == "Medication"
                ):
                    medication = model.contained[index]
                    return _Medicine(
                        medication.code, ("contained", index, "code"), found, medication, ("contained", index)
                    )
        elif reference.rpartition("/")[0].endswith("Medication") and reference.rpartition("/")[2] in builder.medicines:
            builder.referenced.add(reference.rpartition("/")[2])
            holder = builder.medicines[reference.rpartition("/")[2]]
            medication = holder.model
            return _Medicine(getattr(medication, "code", None), ("code",), holder, medication)
    reason = (
        f"the medicine {reference!r} is not a Medication in the input" if reference else "no medicine code or reference"
    )
    builder.skip(found, ("medicationReference",), reason)
    display = getattr(given, "display", None) if given else None
    where = ("medicationReference", "display")
    if not (display and _use(builder, found, _Read(texts=[(where, display)]))):
        _unnamed(builder, found, ("medicationReference",), reference)
    return None


@attrs.define
class _Read:
    """What one CodeableConcept says about a medicine: mapped names, free text, and a name made from its code."""

    names: list[tuple[str, Path]] = attrs.Factory(list)
    texts: list[tuple[Path, str]] = attrs.Factory(list)
    code_name: tuple[str, Path] | None = None


def _read_concept(builder: _Builder, holder: _Found, concept: "CodeableConcept | None", path: Path) -> _Read:
    read = _Read()
    for where, system, code, display in _codings(concept, path):
        key = builder.table.system_key(system) if system else None
        if key == "atc" and code and _ATC.match(code.strip().upper()):
            read.names.append((code.strip().upper(), (*where, "code")))
            continue
        rows = [row for row in builder.table.lookup(key, code) if row.maps == "medication"] if key and code else []
        read.names += [(row.to, (*where, "code")) for row in rows]
        if not rows:
            builder.skip(holder, where, "a code crampkit does not map", system=system, code=code)
            if code and code.strip() and read.code_name is None:
                system_name = builder.table.systems[key].name if key else (system or "a code system")
                name = f"{system_name} {code.strip()}"
                if MEDICATION_NAME.fault(name) is None:  # a code a name cannot hold: the medicine is unnamed
                    read.code_name = (name, (*where, "code"))
        if display:
            read.texts.append(((*where, "display"), display))
    if concept is not None and concept.text:
        read.texts.append(((*path, "text"), concept.text))
    return read


def _use(builder: _Builder, holder: _Found, read: _Read, *, texts_too: bool = True) -> bool:
    """Give the profile what ``read`` names: its mapped codes, else its text, else its code as a name.

    Returns whether a name was given. With ``texts_too=False`` only mapped codes count.
    """
    if read.names:
        builder.medications += [(name, holder, where) for name, where in read.names]
        for where, _ in read.texts:
            builder.skip(holder, where, "not needed: a coded medicine was used")
        return True
    if not texts_too:
        return False
    named = False
    for where, text in read.texts:
        name = _name(builder, holder, where, text)
        if name is not None:
            builder.medications.append((name, holder, where))
            named = True
    if named:
        return True
    if read.code_name is not None:  # a code crampkit cannot map, and nothing else: the code itself is the name
        name, where = read.code_name
        builder.medications.append((name, holder, where))
        return True
    return False


def _unnamed(builder: _Builder, found: _Found, where: Path, reference: object = None) -> None:
    """A medicine with nothing crampkit can read still reaches the profile, as a name it will not recognise."""
    shown = f"{found.label}, medicine {reference}" if isinstance(reference, str) else found.label
    name = f"a medicine with no code or name crampkit can read ({shown})"
    if MEDICATION_NAME.fault(name) is not None:
        name = "a medicine with no code or name crampkit can read"
    builder.medications.append((name, found, where))


def _medication(builder: _Builder, found: _Found) -> None:
    model: Any = found.model
    if model.status not in _ACTIVE_MEDICATION[found.resource_type]:
        allowed = " or ".join(sorted(_ACTIVE_MEDICATION[found.resource_type]))
        builder.skip(found, ("status",), f"status {model.status}: only {allowed} count")
        return
    medicine = _medicine_concept(builder, found)
    if medicine is None:
        return
    holder = medicine.holder
    read = _read_concept(builder, holder, medicine.concept, medicine.path)
    if _use(builder, holder, read, texts_too=False):
        _skip_ingredients(builder, medicine, "not needed: the medicine's code was used")
        return
    if _ingredients(builder, medicine):
        for where, _ in read.texts:
            builder.skip(holder, where, "not needed: the medicine's ingredients were used")
        return
    if not _use(builder, holder, read):
        if medicine.concept is not None and not read.texts and read.code_name is None:
            builder.skip(holder, medicine.path, "no known code and no name to match")
        _unnamed(builder, holder, medicine.path)


def _ingredient_list(medicine: _Medicine) -> list[tuple[Path, Any]]:
    ingredients = getattr(medicine.medication, "ingredient", None) or []
    return [((*medicine.at, "ingredient", index), item) for index, item in enumerate(ingredients)]


def _skip_ingredients(builder: _Builder, medicine: _Medicine, reason: str) -> None:
    for where, _ in _ingredient_list(medicine):
        builder.skip(medicine.holder, where, reason)


def _ingredients(builder: _Builder, medicine: _Medicine) -> bool:
    """Give the profile the ingredients of a Medication (each by its codes, else its text, else its code).

    Returns whether it has any to give. An ingredient with nothing crampkit can read still gives a name.
    """
    listed = _ingredient_list(medicine)
    for where, item in listed:
        concept = item.itemCodeableConcept
        if concept is None:  # an ingredient given by reference to a Substance or Medication
            builder.skip(medicine.holder, (*where, "itemReference"), "an ingredient given by reference is not read")
            display = getattr(item.itemReference, "display", None)
            shown = _Read(texts=[((*where, "itemReference", "display"), display)] if display else [])
            if not _use(builder, medicine.holder, shown):
                _unnamed(builder, medicine.holder, where)
            continue
        read = _read_concept(builder, medicine.holder, concept, (*where, "itemCodeableConcept"))
        if not _use(builder, medicine.holder, read):
            _unnamed(builder, medicine.holder, where)
    return bool(listed)


def _pregnancy(builder: _Builder) -> tuple[bool | None, int | None]:
    pregnant: bool | None = None
    if builder.pregnancy_status:
        _, pregnant, latest = max(builder.pregnancy_status, key=lambda item: item[0])
        for _, _, found in builder.pregnancy_status:
            if found is not latest:
                builder.skip(found, (), "superseded by a later pregnancy status")
        if not pregnant:
            for found, where in builder.pregnant_conditions:
                builder.skip(found, where, "the latest pregnancy-status Observation says not pregnant")
    elif builder.pregnant_conditions:
        pregnant = True
    weeks: int | None = None
    for value, found, where in sorted(builder.weeks, key=lambda item: -item[0]):
        if pregnant is False:
            builder.skip(found, where, "weeks of pregnancy, but the patient is not pregnant")
        elif weeks is None:
            weeks = value
        else:
            builder.skip(found, where, "a later week of pregnancy is on record")
    return pregnant, weeks


def _bmi(builder: _Builder) -> float | None:
    if not builder.bmi:
        return None
    _, value, latest = max(builder.bmi, key=lambda item: item[0])
    for _, _, found in builder.bmi:
        if found is not latest:
            builder.skip(found, (), "superseded by a later BMI")
    return value


def _medications(builder: _Builder) -> frozenset[str]:
    """The medicine names, each once; those beyond :data:`~crampkit._model.constraints.MAX_ITEMS` go to unmapped."""
    first: dict[str, tuple[_Found, Path]] = {}
    for name, found, where in builder.medications:
        first.setdefault(name, (found, where))
    names = sorted(first)
    for extra in names[MAX_ITEMS:]:
        found, where = first[extra]
        full = (*found.path, *where)
        message = f"more than {MAX_ITEMS} medicines"
        problem = Problem(full, ProblemCode.TOO_MANY, message, location=path_text(full), max_items=MAX_ITEMS)
        builder.skip(found, where, f"medicine {extra!r}: {message}", problem=problem)
    return frozenset(names[:MAX_ITEMS])


def _parts(bundle_or_resources: object) -> list[tuple[Path, object]] | None:
    """The input's resources or Bundles, each with its path; ``None`` when the input is neither."""
    if isinstance(bundle_or_resources, Mapping):
        return [((), bundle_or_resources)]
    if isinstance(bundle_or_resources, Iterable) and not isinstance(bundle_or_resources, str | bytes):
        return [((index,), resource) for index, resource in enumerate(bundle_or_resources)]
    return None


def _check_today(function: str, today: object) -> None:
    if not isinstance(today, dt.date) or isinstance(today, dt.datetime):
        message = f"expected a datetime.date, got {kind_of(today)}"
        raise InvalidInputError([Problem(("today",), ProblemCode.WRONG_TYPE, message, location=f"{function}(): today")])


def to_profile(bundle_or_resources: Mapping[str, Any] | Iterable[Mapping[str, Any]], *, today: dt.date) -> FhirProfile:
    """Build a profile from FHIR R4 resources.

    Args:
        bundle_or_resources: Parsed FHIR JSON: a Bundle (a ``searchset`` or
            ``collection``; Bundles inside it are read too), a single
            resource, or a list of resources or Bundles.
        today: The date the age is computed on (crampkit never reads the clock).

    Returns:
        The profile and everything that was not used, with reasons. Text that
        a profile cannot take (a medicine name with a text-direction
        control, for example) is not used: it is in ``unmapped`` with its
        problem, and the rest is read.

    Raises:
        InvalidInputError: The input is not FHIR that crampkit can read. Every
            problem has its path in the input (``("entry", 2, "resource",
            "birthDate")``), a code, and a line that names the resource,
            for example ``"Patient/p1 at entry[2].resource.birthDate: ..."``.

    .. versionadded:: 0.2
    """
    _check_today("to_profile", today)
    parts = _parts(bundle_or_resources)
    if parts is None:
        message = f"expected a FHIR Bundle, a resource or a list of them, got {kind_of(bundle_or_resources)}"
        raise InvalidInputError([_at((), ProblemCode.WRONG_TYPE, message)])
    return _read_all(parts, today)


def to_profile_from(
    parts: Iterable[tuple[Path, object]], *, today: dt.date, patient_id: str | None = None
) -> FhirProfile:
    """:func:`to_profile` for resources that sit inside a larger document, such as a CDS Hooks request.

    Args:
        parts: Each resource or Bundle with its path in the document, such as
            ``(("prefetch", "patient"), {...})``: problems and unmapped paths
            start there.
        today: As for :func:`to_profile`.
        patient_id: The id of the patient the document is about (a CDS Hooks
            ``context.patientId``): a Patient with another id, however deep in
            Bundles, is a ``conflict``, and resources about another patient are
            left unmapped even when no Patient is given.

    Raises:
        InvalidInputError: As for :func:`to_profile`, with paths in the document.
    """
    _check_today("to_profile_from", today)
    return _read_all(list(parts), today, patient_id)


def _read_all(parts: list[tuple[Path, object]], today: dt.date, expected: str | None = None) -> FhirProfile:
    found: list[_Found] = []
    problems: list[Problem] = []
    try:
        for path, part in parts:
            _walk(part, path, 0, found, problems)
    except _TooManyError as exc:
        raise InvalidInputError([*problems, exc.problem]) from None
    for item in found:
        if item.resource_type in _USED:
            _validate(item, problems)
    patients = [item for item in found if item.resource_type == "Patient"]
    if expected is not None:
        problems += [
            item.problem(("id",), ProblemCode.CONFLICT, "not the patient in context.patientId")
            for item in patients
            if item.resource_id not in (None, expected)
        ]
    differing = [
        item for item in patients if item.resource_id == patients[0].resource_id and item.raw != patients[0].raw
    ]
    if differing:  # which of the two would be read depended on their order
        message = "a second, different Patient with the same id: which one to read cannot be told"
        problems.append(differing[0].problem((), ProblemCode.CONFLICT, message))
    others = [item for item in patients if item.resource_id != patients[0].resource_id]
    if others and expected is None:
        ids = ", ".join(sorted({str(item.resource_id) for item in patients}))
        problems.append(
            Problem(others[0].path, ProblemCode.CONFLICT, f"more than one Patient ({ids})", location="input")
        )
    if problems:
        raise InvalidInputError(problems)
    builder = _Builder(table=code_table(), today=today)
    patient_id = expected if expected is not None else (patients[0].resource_id if patients else None)
    builder.medicines = {
        item.resource_id: item for item in found if item.resource_type == "Medication" and item.resource_id
    }
    for index, item in enumerate(found):
        _read(builder, item, index, patient_id, problems)
    if problems:
        raise InvalidInputError(problems)
    for medicine_id, medicine in builder.medicines.items():
        if medicine_id not in builder.referenced:
            builder.skip(medicine, (), "a Medication that no active request or statement refers to")
    pregnant, weeks = _pregnancy(builder)
    profile = Profile(
        age=builder.age,
        age_months=builder.age_months,
        sex=builder.sex,
        pregnant=pregnant,
        pregnancy_weeks=weeks,
        bmi=_bmi(builder),
        medications=_medications(builder),
        conditions=frozenset(builder.conditions),
        symptoms=frozenset(builder.symptoms),
        cramps=Cramps(reported=True, timing=frozenset(builder.timing)) if builder.cramps else Cramps(),
    )
    return FhirProfile(profile=profile, unmapped=tuple(builder.unmapped))


def _read(builder: _Builder, item: _Found, index: int, patient_id: str | None, problems: list[Problem]) -> None:
    if item.resource_type not in _USED:
        reason = (
            "a Bundle entry without a resource"
            if item.resource_type == "Bundle.entry"
            else "a resource type crampkit does not use"
        )
        builder.skip(item, (), reason)
        return
    other = _subject_other_patient(item.model, patient_id)
    if other is not None:
        builder.skip(item, ("subject",), f"about another patient ({other})")
    elif item.resource_type == "Patient":
        _patient(builder, item, problems)
    elif item.resource_type == "Condition":
        _condition(builder, item)
    elif item.resource_type == "Observation":
        _observation(builder, item, index)
    elif item.resource_type != "Medication":
        _medication(builder, item)
