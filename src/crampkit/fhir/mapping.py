"""From HL7 FHIR R4 resources to a :class:`~crampkit.Profile` (the optional ``fhir`` extra).

:func:`to_profile` reads a Bundle (or a list of resources) from an electronic
health record and fills what it can of a profile:

- **Patient**: ``birthDate`` gives the age on the day you pass as ``today``;
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
  intended), with the medicine coded in place or in a Medication resource:
  a known RxNorm ingredient gives its generic name, a WHO ATC code is passed
  on as it is; when no code is known, the coding's display and the text are
  given to crampkit's medicine-name matcher instead.

Every resource, coding or value that is not used lands in
:attr:`FhirProfile.unmapped` with the reason: nothing is dropped silently.
Resources are validated with the R4B models of ``fhir.resources`` (R4B keeps
these five resources as they are in R4); bad FHIR raises
:class:`~crampkit.InvalidInputError` naming the resource and the path.

The codes crampkit knows, each with where it was verified, are listed in the
"Integrating with an EHR" page of the documentation.

.. versionadded:: 0.2
"""

import datetime as dt
import re
from collections.abc import Iterable, Iterator, Mapping, Sequence
from decimal import Decimal
from typing import TYPE_CHECKING, Any

import attrs

from crampkit._model.constraints import MAX_ITEMS, MAX_TEXT
from crampkit.exceptions import InvalidInputError, kind_of
from crampkit.fhir.codes import CodeMapping, CodeTable, code_table
from crampkit.profile import AGE, BMI, Cramps, Profile
from crampkit.vocab import Condition, Sex, Symptom, Timing

if TYPE_CHECKING:
    from fhir.resources.R4B.codeableconcept import CodeableConcept
    from fhir.resources.R4B.resource import Resource

__all__ = ["MAX_RESOURCES", "CodeTable", "FhirProfile", "Unmapped", "code_table", "preload", "to_profile"]

MAX_RESOURCES = 10_000
"""Most resources read from one input (Bundles nested in Bundles included)."""
_MAX_DEPTH = 4

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

    .. versionadded:: 0.2
    """

    resource_type: str
    resource_id: str | None
    path: str
    system: str | None
    code: str | None
    reason: str


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

    path: str
    resource_type: str
    resource_id: str | None
    raw: Mapping[str, Any]
    model: "Resource | None" = None


@attrs.define
class _Builder:
    """Collects what the resources say, then builds the profile."""

    table: CodeTable
    today: dt.date
    unmapped: list[Unmapped] = attrs.Factory(list)
    age: int | None = None
    sex: Sex | None = None
    medications: list[str] = attrs.Factory(list)
    conditions: set[Condition] = attrs.Factory(set)
    symptoms: set[Symptom] = attrs.Factory(set)
    cramps: bool = False
    timing: set[Timing] = attrs.Factory(set)
    pregnant_conditions: list[tuple[_Found, str]] = attrs.Factory(list)
    weeks: list[tuple[int, _Found, str]] = attrs.Factory(list)
    bmi: list[tuple[tuple[dt.datetime, int], float, _Found]] = attrs.Factory(list)
    pregnancy_status: list[tuple[tuple[dt.datetime, int], bool, _Found]] = attrs.Factory(list)
    medicines: dict[str, _Found] = attrs.Factory(dict)
    referenced: set[str] = attrs.Factory(set)

    def skip(self, found: _Found, path: str, reason: str, system: str | None = None, code: str | None = None) -> None:
        self.unmapped.append(
            Unmapped(
                resource_type=found.resource_type,
                resource_id=found.resource_id,
                path=f"{found.path}.{path}" if path else found.path,
                system=system,
                code=code,
                reason=reason,
            )
        )


def _pointer(base: str, key: str) -> str:
    return f"{base}.{key}" if base else key


def _walk(value: object, path: str, depth: int, out: list[_Found], problems: list[str]) -> None:
    if len(out) >= MAX_RESOURCES:
        problems.append(f"{path or 'input'}: more than {MAX_RESOURCES} resources")
        return
    if not isinstance(value, Mapping):
        problems.append(f"{path or 'input'}: expected a FHIR resource (a JSON object), got {kind_of(value)}")
        return
    resource_type = value.get("resourceType")
    if not isinstance(resource_type, str) or not resource_type:
        problems.append(f"{_pointer(path, 'resourceType')}: missing, or not a string")
        return
    raw_id = value.get("id")
    found = _Found(path, resource_type, raw_id if isinstance(raw_id, str) else None, value)
    if resource_type != "Bundle":
        out.append(found)
        return
    if depth >= _MAX_DEPTH:
        problems.append(f"{path or 'input'}: Bundles nested more than {_MAX_DEPTH} deep")
        return
    entries = value.get("entry", [])
    if not isinstance(entries, list):
        problems.append(f"{_pointer(path, 'entry')}: expected an array, got {kind_of(entries)}")
        return
    for index, entry in enumerate(entries):
        where = _pointer(path, f"entry[{index}]")
        if not isinstance(entry, Mapping):
            problems.append(f"{where}: expected an object, got {kind_of(entry)}")
        elif "resource" not in entry:
            out.append(_Found(where, "Bundle.entry", found.resource_id, entry))
        else:
            _walk(entry["resource"], f"{where}.resource", depth + 1, out, problems)


def _loc(loc: Sequence[int | str]) -> str:
    text = ""
    for part in loc:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else str(part))
    return text or "(resource)"


def _model(resource_type: str) -> Any:  # noqa: ANN401 - a fhir.resources model class
    import importlib  # noqa: PLC0415 - the models are imported when first needed

    try:
        module = importlib.import_module(f"fhir.resources.R4B.{resource_type.lower()}")
    except ModuleNotFoundError as exc:
        if exc.name is None or not exc.name.startswith("fhir"):
            raise
        msg = "reading FHIR needs the fhir extra, which is not installed: pip install 'crampkit[fhir]'"
        raise ImportError(msg, name=exc.name) from None
    return getattr(module, resource_type)


def preload() -> None:
    """Import the FHIR models and the code table now rather than on the first call (servers call this at start).

    .. versionadded:: 0.2
    """
    for resource_type in _USED:
        _model(resource_type)
    code_table()


def _validate(found: _Found, problems: list[str]) -> None:
    import pydantic  # noqa: PLC0415 - imported with the models

    model = _model(found.resource_type)
    label = f"{found.resource_type}/{found.resource_id}" if found.resource_id else found.resource_type
    try:
        found.model = model.model_validate(dict(found.raw))
    except pydantic.ValidationError as exc:
        for error in exc.errors():
            where = _pointer(found.path, _loc(error["loc"]))
            problems.append(f"{label} at {where}: {_CONTROL.sub(' ', error['msg'])}")
    except (ValueError, TypeError, RecursionError) as exc:  # fhir.resources can raise these for odd input
        problems.append(f"{label} at {found.path or 'input'}: {_CONTROL.sub(' ', str(exc))[:300]}")


def _codings(concept: "CodeableConcept | None", path: str) -> Iterator[tuple[str, str | None, str | None, str | None]]:
    """(path, system, code, display) of every coding of a concept."""
    if concept is None:
        return
    for index, coding in enumerate(concept.coding or ()):
        yield f"{path}.coding[{index}]", coding.system, coding.code, coding.display


def _status_codes(concept: "CodeableConcept | None") -> set[str]:
    return {code for _, _, code, _ in _codings(concept, "") if code}


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


def _patient(builder: _Builder, found: _Found, problems: list[str]) -> None:
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
        label = f"Patient/{found.resource_id}" if found.resource_id else "Patient"
        if earliest > builder.today:
            problems.append(f"{label} at {_pointer(found.path, 'birthDate')}: {birth} is after today ({builder.today})")
        else:
            oldest = _age(earliest, builder.today)
            youngest = _age(latest, builder.today) if latest <= builder.today else 0
            if AGE.problem(oldest) is not None:
                problems.append(
                    f"{label} at {_pointer(found.path, 'birthDate')}: gives an age of {oldest}, not between 0 and 120"
                )
            elif oldest == youngest:
                builder.age = oldest
            else:
                builder.skip(found, "birthDate", f"a partial birth date gives an age of {youngest} or {oldest}")
    gender = model.gender
    if gender in _SEX:
        builder.sex = _SEX[gender]
    elif gender is not None:
        builder.skip(found, "gender", f"gender {gender!r} is not one crampkit records", code=gender)


def _apply_finding(builder: _Builder, found: _Found, where: str, row: CodeMapping) -> None:
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
    builder: _Builder, found: _Found, concept: "CodeableConcept | None", path: str, wanted: frozenset[str]
) -> list[tuple[str, CodeMapping]]:
    """The rows matched by a concept's codings that mean one of ``wanted``; every other coding goes to unmapped."""
    matched: list[tuple[str, CodeMapping]] = []
    codings = list(_codings(concept, path))
    if concept is not None and not codings:
        builder.skip(found, path, "no coding (free text is not interpreted)")
    for where, system, code, _ in codings:
        key = builder.table.system_key(system) if system else None
        if key is None or not code:
            reason = "no system or code" if not (system and code) else "a code system crampkit does not map"
            builder.skip(found, where, reason, system, code)
            continue
        rows = builder.table.lookup(key, code)
        fitting = [row for row in rows if row.maps in wanted]
        if fitting:
            matched += [(where, row) for row in fitting]
        elif rows:
            builder.skip(found, where, f"this code means {rows[0].maps}, which is not used here", system, code)
        else:
            builder.skip(found, where, "a code crampkit does not map", system, code)
    return matched


def _condition(builder: _Builder, found: _Found) -> None:
    model: Any = found.model
    clinical = _status_codes(model.clinicalStatus)
    verification = _status_codes(model.verificationStatus)
    if not clinical & _ACTIVE_CONDITION:
        status = ", ".join(sorted(clinical)) or "missing"
        builder.skip(found, "clinicalStatus", f"clinicalStatus {status}: only active, recurrence or relapse count")
        return
    if verification & _DISCARDED_VERIFICATION:
        status = ", ".join(sorted(verification & _DISCARDED_VERIFICATION))
        builder.skip(found, "verificationStatus", f"verificationStatus {status}")
        return
    if model.code is None:
        builder.skip(found, "", "no code")
        return
    for where, row in _coded(builder, found, model.code, "code", _FINDINGS):
        _apply_finding(builder, found, where, row)


def _quantity_bmi(builder: _Builder, found: _Found) -> float | None:
    model: Any = found.model
    quantity = model.valueQuantity
    if quantity is None or quantity.value is None:
        builder.skip(found, "value", "a BMI Observation without a numeric valueQuantity")
        return None
    units = {unit for unit in (quantity.code, quantity.unit) if unit}
    if units and not units & _BMI_UNITS:
        builder.skip(found, "valueQuantity", f"BMI in {', '.join(sorted(units))}, not kg/m2")
        return None
    value = float(quantity.value) if isinstance(quantity.value, Decimal | int | float) else None
    if value is None or BMI.problem(value) is not None:
        builder.skip(found, "valueQuantity.value", f"BMI {quantity.value} is outside 10 to 80")
        return None
    return value


def _observation(builder: _Builder, found: _Found, index: int) -> None:
    model: Any = found.model
    if model.status not in _FINAL_OBSERVATION:
        builder.skip(found, "status", f"status {model.status}: only final, amended or corrected count")
        return
    for where, row in _coded(builder, found, model.code, "code", _FINDINGS | {"observation"}):
        if row.maps == "observation" and row.to == "bmi":
            value = _quantity_bmi(builder, found)
            if value is not None:
                builder.bmi.append((_when(model, index), value, found))
        elif row.maps == "observation":  # pregnancy-status
            answers = _coded(builder, found, model.valueCodeableConcept, "valueCodeableConcept", frozenset({row.to}))
            if model.valueCodeableConcept is None:
                builder.skip(found, "value", "a pregnancy status without a valueCodeableConcept")
            values = {answer.to == "true" for _, answer in answers}
            if len(values) == 1:
                builder.pregnancy_status.append((_when(model, index), values.pop(), found))
            elif values:
                builder.skip(found, "valueCodeableConcept", "answers that contradict each other")
        elif model.valueBoolean is False or model.valueCodeableConcept is not None or model.valueString is not None:
            builder.skip(found, where, "a finding with a value crampkit cannot interpret", code=row.code)
        else:
            _apply_finding(builder, found, where, row)


def _name(builder: _Builder, found: _Found, where: str, text: str) -> str | None:
    name = " ".join(_CONTROL.sub(" ", text).split())
    if not name:
        builder.skip(found, where, "an empty name")
        return None
    if len(name) > MAX_TEXT:
        builder.skip(found, where, f"a name longer than {MAX_TEXT} characters")
        return None
    return name


def _medicine_concept(builder: _Builder, found: _Found) -> tuple["CodeableConcept | None", str, _Found]:
    model: Any = found.model
    if model.medicationCodeableConcept is not None:
        return model.medicationCodeableConcept, "medicationCodeableConcept", found
    reference = getattr(model.medicationReference, "reference", None) if model.medicationReference else None
    if isinstance(reference, str):
        if reference.startswith("#"):
            for index, contained in enumerate(found.raw.get("contained") or ()):
                if isinstance(contained, Mapping) and contained.get("id") == reference[1:]:
                    return model.contained[index].code, f"contained[{index}].code", found
        elif reference.rpartition("/")[0].endswith("Medication") and reference.rpartition("/")[2] in builder.medicines:
            builder.referenced.add(reference.rpartition("/")[2])
            medication = builder.medicines[reference.rpartition("/")[2]]
            medication_model: Any = medication.model
            return medication_model.code, "code", medication
    reason = f"the medicine {reference!r} is not in the input" if reference else "no medicine code or reference"
    builder.skip(found, "medicationReference", reason)
    return None, "", found


def _medication(builder: _Builder, found: _Found) -> None:
    model: Any = found.model
    if model.status not in _ACTIVE_MEDICATION[found.resource_type]:
        allowed = " or ".join(sorted(_ACTIVE_MEDICATION[found.resource_type]))
        builder.skip(found, "status", f"status {model.status}: only {allowed} count")
        return
    concept, path, holder = _medicine_concept(builder, found)
    if concept is None:
        return
    names: list[str] = []
    texts: list[tuple[str, str]] = []
    for where, system, code, display in _codings(concept, path):
        key = builder.table.system_key(system) if system else None
        if key == "atc" and code and _ATC.match(code.strip().upper()):
            names.append(code.strip().upper())
            continue
        rows = [row for row in builder.table.lookup(key, code) if row.maps == "medication"] if key and code else []
        names += [row.to for row in rows]
        if not rows:
            builder.skip(holder, where, "a code crampkit does not map", system, code)
        if display:
            texts.append((f"{where}.display", display))
    if concept.text:
        texts.append((f"{path}.text", concept.text))
    if names:
        builder.medications += names
        for where, _ in texts:
            builder.skip(holder, where, "not needed: a coded medicine was used")
        return
    for where, text in texts:
        name = _name(builder, holder, where, text)
        if name is not None:
            builder.medications.append(name)
    if not texts:
        builder.skip(holder, path, "no known code and no name to match")


def _pregnancy(builder: _Builder) -> tuple[bool | None, int | None]:
    pregnant: bool | None = None
    if builder.pregnancy_status:
        _, pregnant, latest = max(builder.pregnancy_status, key=lambda item: item[0])
        for _, _, found in builder.pregnancy_status:
            if found is not latest:
                builder.skip(found, "", "superseded by a later pregnancy status")
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
            builder.skip(found, "", "superseded by a later BMI")
    return value


def _resources(bundle_or_resources: object) -> tuple[list[_Found], list[str]]:
    found: list[_Found] = []
    problems: list[str] = []
    if isinstance(bundle_or_resources, Mapping):
        _walk(bundle_or_resources, "", 0, found, problems)
    elif isinstance(bundle_or_resources, Iterable) and not isinstance(bundle_or_resources, str | bytes):
        for index, resource in enumerate(bundle_or_resources):
            _walk(resource, f"[{index}]", 0, found, problems)
    else:
        problems.append(
            f"input: expected a FHIR Bundle, a resource or a list of them, got {kind_of(bundle_or_resources)}"
        )
    return found, problems


def to_profile(bundle_or_resources: Mapping[str, Any] | Iterable[Mapping[str, Any]], *, today: dt.date) -> FhirProfile:
    """Build a profile from FHIR R4 resources.

    Args:
        bundle_or_resources: Parsed FHIR JSON: a Bundle (a ``searchset`` or
            ``collection``; Bundles inside it are read too), a single
            resource, or a list of resources or Bundles.
        today: The date the age is computed on (crampkit never reads the clock).

    Returns:
        The profile and everything that was not used, with reasons.

    Raises:
        InvalidInputError: The input is not FHIR that crampkit can read; every
            problem names the resource and the path, for example
            ``"Condition/c1 at entry[2].resource.clinicalStatus.coding[0].code: ..."``.

    .. versionadded:: 0.2
    """
    day: object = today
    if not isinstance(day, dt.date) or isinstance(day, dt.datetime):
        raise InvalidInputError([f"today: expected a datetime.date, got {kind_of(day)}"])
    found, problems = _resources(bundle_or_resources)
    for item in found:
        if item.resource_type in _USED:
            _validate(item, problems)
    patients = {item.resource_id for item in found if item.resource_type == "Patient"}
    if len(patients) > 1:
        problems.append(f"input: more than one Patient ({', '.join(sorted(str(p) for p in patients))})")
    if problems:
        raise InvalidInputError(problems)
    builder = _Builder(table=code_table(), today=today)
    patient_id = next(iter(patients)) if patients else None
    builder.medicines = {
        item.resource_id: item for item in found if item.resource_type == "Medication" and item.resource_id
    }
    for index, item in enumerate(found):
        _read(builder, item, index, patient_id, problems)
    if problems:
        raise InvalidInputError(problems)
    for medicine_id, medicine in builder.medicines.items():
        if medicine_id not in builder.referenced:
            builder.skip(medicine, "", "a Medication that no active request or statement refers to")
    pregnant, weeks = _pregnancy(builder)
    medications = sorted(set(builder.medications))
    for extra in medications[MAX_ITEMS:]:
        builder.unmapped.append(
            Unmapped(
                resource_type="",
                resource_id=None,
                path="",
                system=None,
                code=None,
                reason=f"medicine {extra!r}: more than {MAX_ITEMS} medicines",
            )
        )
    profile = Profile(
        age=builder.age,
        sex=builder.sex,
        pregnant=pregnant,
        pregnancy_weeks=weeks,
        bmi=_bmi(builder),
        medications=frozenset(medications[:MAX_ITEMS]),
        conditions=frozenset(builder.conditions),
        symptoms=frozenset(builder.symptoms),
        cramps=Cramps(reported=True, timing=frozenset(builder.timing)) if builder.cramps else Cramps(),
    )
    return FhirProfile(profile=profile, unmapped=tuple(builder.unmapped))


def _read(builder: _Builder, item: _Found, index: int, patient_id: str | None, problems: list[str]) -> None:
    if item.resource_type not in _USED:
        reason = (
            "a Bundle entry without a resource"
            if item.resource_type == "Bundle.entry"
            else "a resource type crampkit does not use"
        )
        builder.skip(item, "", reason)
        return
    other = _subject_other_patient(item.model, patient_id)
    if other is not None:
        builder.skip(item, "subject", f"about another patient ({other})")
    elif item.resource_type == "Patient":
        _patient(builder, item, problems)
    elif item.resource_type == "Condition":
        _condition(builder, item)
    elif item.resource_type == "Observation":
        _observation(builder, item, index)
    elif item.resource_type != "Medication":
        _medication(builder, item)
