"""Shared helpers for the FHIR and CDS Hooks tests: resource builders and the CDS Hooks 2.0 schemas."""

import json
import urllib.parse
import uuid
from pathlib import Path
from typing import Any

import jsonschema
from referencing import Registry, Resource

RXNORM = "http://www.nlm.nih.gov/research/umls/rxnorm"
ATC = "http://www.whocc.no/atc"
SNOMED = "http://snomed.info/sct"
ICD10 = "http://hl7.org/fhir/sid/icd-10"
ICD10CM = "http://hl7.org/fhir/sid/icd-10-cm"
LOINC = "http://loinc.org"
CLINICAL = "http://terminology.hl7.org/CodeSystem/condition-clinical"
VERIFICATION = "http://terminology.hl7.org/CodeSystem/condition-ver-status"

SCHEMAS = Path(__file__).parent / "schemas" / "cds-hooks-2.0"
_FORMATS = jsonschema.FormatChecker()


@_FORMATS.checks("uri", raises=ValueError)
def _is_uri(value: object) -> bool:
    if not isinstance(value, str):
        return True
    parts = urllib.parse.urlsplit(value)
    return bool(parts.scheme and (parts.netloc or parts.scheme in {"urn", "mailto"}))


@_FORMATS.checks("date-time", raises=ValueError)
def _is_date_time(value: object) -> bool:
    import datetime as dt  # noqa: PLC0415

    if isinstance(value, str):
        dt.datetime.fromisoformat(value)
    return True


def _registry() -> Registry[Any]:
    registry: Registry[Any] = Registry()
    for path in SCHEMAS.glob("*.schema.json"):
        schema = json.loads(path.read_text(encoding="utf-8"))
        registry = registry.with_resource(schema["$id"], Resource.from_contents(schema))
    return registry


_REGISTRY = _registry()


def validate(document: object, name: str) -> None:
    """Validate a document against one of the CDS Hooks 2.0 schemas (``card``, ``response``, ...)."""
    schema = _REGISTRY.contents(f"urn:crampkit:test:cds-hooks-2.0:{name}")
    jsonschema.Draft202012Validator(schema, registry=_REGISTRY, format_checker=_FORMATS).validate(document)


def coding(system: str, code: str, display: str | None = None) -> dict[str, str]:
    return {"system": system, "code": code} | ({"display": display} if display else {})


def patient(pid: str = "p1", birth: str | None = "1950-03-01", gender: str | None = "female") -> dict[str, Any]:
    resource: dict[str, Any] = {"resourceType": "Patient", "id": pid}
    if birth is not None:
        resource["birthDate"] = birth
    if gender is not None:
        resource["gender"] = gender
    return resource


def condition(
    cid: str, *codings: dict[str, str], status: str | None = "active", verification: str | None = None, pid: str = "p1"
) -> dict[str, Any]:
    resource: dict[str, Any] = {
        "resourceType": "Condition",
        "id": cid,
        "subject": {"reference": f"Patient/{pid}"},
        "code": {"coding": list(codings)},
    }
    if status is not None:
        resource["clinicalStatus"] = {"coding": [coding(CLINICAL, status)]}
    if verification is not None:
        resource["verificationStatus"] = {"coding": [coding(VERIFICATION, verification)]}
    return resource


def medication_request(
    mid: str, *codings: dict[str, str], status: str = "active", text: str | None = None, pid: str = "p1"
) -> dict[str, Any]:
    concept: dict[str, Any] = {"coding": list(codings)}
    if text is not None:
        concept["text"] = text
    return {
        "resourceType": "MedicationRequest",
        "id": mid,
        "status": status,
        "intent": "order",
        "subject": {"reference": f"Patient/{pid}"},
        "medicationCodeableConcept": concept,
    }


def observation(oid: str, code: dict[str, str], status: str = "final", **value: Any) -> dict[str, Any]:
    return {
        "resourceType": "Observation",
        "id": oid,
        "status": status,
        "subject": {"reference": "Patient/p1"},
        "code": {"coding": [code]},
        **value,
    }


def bundle(*resources: dict[str, Any], kind: str = "searchset") -> dict[str, Any]:
    return {"resourceType": "Bundle", "type": kind, "entry": [{"resource": resource} for resource in resources]}


CRAMP = condition("c1", coding(ICD10, "R25.2", "Cramp and spasm"))
THIAZIDE = medication_request("m1", coding(RXNORM, "5487", "hydrochlorothiazide 25 MG Oral Tablet"))
STATIN = medication_request("m2", coding(RXNORM, "83367"))


def worked_example(*, with_condition: bool = True) -> dict[str, Any]:
    """The issue's example: a woman born 1950-03-01 on hydrochlorothiazide and atorvastatin, with a coded cramp."""
    resources = [patient(), THIAZIDE, STATIN]
    if with_condition:
        resources.append(CRAMP)
    return bundle(*resources, kind="collection")


def hook_request(with_condition: bool = True, **overrides: Any) -> dict[str, Any]:
    """A patient-view request for the worked example, with the prefetch the service asks for."""
    request: dict[str, Any] = {
        "hook": "patient-view",
        "hookInstance": str(uuid.uuid4()),
        "context": {"userId": "Practitioner/example", "patientId": "p1"},
        "prefetch": {
            "patient": patient(),
            "conditions": bundle(CRAMP) if with_condition else bundle(),
            "medicationRequests": bundle(THIAZIDE, STATIN),
            "medicationStatements": None,
            "observations": None,
        },
    }
    request.update(overrides)
    return request
