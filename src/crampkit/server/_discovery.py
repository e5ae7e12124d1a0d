"""The services crampkit offers (the discovery document), their ids and the request extensions it reads."""

from collections.abc import Mapping
from typing import Any

__all__ = [
    "HOOKS",
    "LANGUAGE_EXTENSION",
    "ORDER_SELECT_ID",
    "PATIENT_VIEW_ID",
    "PREFETCH_KEYS",
    "REGION_EXTENSION",
    "REQUIRED",
    "services",
]

PATIENT_VIEW_ID = "crampkit-cramps"
"""The id of the ``patient-view`` service."""
ORDER_SELECT_ID = "crampkit-cramps-order-select"
"""The id of the ``order-select`` service."""
REGION_EXTENSION = "crampkit.region"
"""The key of the request's ``extension`` object that sets the region of one call (``"us"``)."""
LANGUAGE_EXTENSION = "crampkit.language"
"""The key of the request's ``extension`` object that sets the language of one call (``"en"``)."""

_PATIENT = "Patient/{{context.patientId}}"
_CONDITIONS = "Condition?patient={{context.patientId}}&clinical-status=active,recurrence,relapse"
_REQUESTS = "MedicationRequest?patient={{context.patientId}}&status=active"
_STATEMENTS = "MedicationStatement?patient={{context.patientId}}&status=active,intended"
_OBSERVATIONS = "Observation?patient={{context.patientId}}&code=http://loinc.org|39156-5,http://loinc.org|82810-3"


def services() -> list[dict[str, Any]]:
    """The services of the discovery document (``GET /cds-services``)."""
    return [
        {
            "hook": "patient-view",
            "id": PATIENT_VIEW_ID,
            "title": "crampkit: muscle cramps on record",
            "description": (
                "When a patient with cramps on record (a coded cramp diagnosis) is opened, shows red flags, "
                "likely causes including medicines linked with cramps, and evidence-graded management to consider. "
                "Returns no cards when no cramp is on record."
            ),
            "prefetch": {
                "patient": _PATIENT,
                "conditions": _CONDITIONS,
                "medicationRequests": _REQUESTS,
                "medicationStatements": _STATEMENTS,
                "observations": _OBSERVATIONS,
            },
            "usageRequirements": (
                "Send the patient, conditions and medicationRequests prefetch: crampkit does not query FHIR servers "
                "and answers 412 without them. medicationStatements and observations (BMI, pregnancy status) are "
                "used when sent."
            ),
        },
        {
            "hook": "order-select",
            "id": ORDER_SELECT_ID,
            "title": "crampkit: new medicine linked with cramps",
            "description": (
                "When a medicine linked with muscle cramps is selected for a patient with cramps on record, "
                "says so, with the evidence. Returns no cards otherwise."
            ),
            "prefetch": {"patient": _PATIENT, "conditions": _CONDITIONS},
            "usageRequirements": "Send the patient and conditions prefetch: crampkit does not query FHIR servers.",
        },
    ]


_REQUIRED = {
    PATIENT_VIEW_ID: ("patient", "conditions", "medicationRequests"),
    ORDER_SELECT_ID: ("patient", "conditions"),
}
_HOOKS = {PATIENT_VIEW_ID: "patient-view", ORDER_SELECT_ID: "order-select"}


REQUIRED: Mapping[str, tuple[str, ...]] = {
    PATIENT_VIEW_ID: ("patient", "conditions", "medicationRequests"),
    ORDER_SELECT_ID: ("patient", "conditions"),
}
"""The prefetch keys each service cannot answer without."""
HOOKS: Mapping[str, str] = {PATIENT_VIEW_ID: "patient-view", ORDER_SELECT_ID: "order-select"}
"""The hook of each service."""
PREFETCH_KEYS: Mapping[str, frozenset[str]] = {service["id"]: frozenset(service["prefetch"]) for service in services()}
"""The prefetch keys each service reads (others are ignored)."""
