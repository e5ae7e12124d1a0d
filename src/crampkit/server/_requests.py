"""The checks of a hook call's and a feedback call's body, and the profile its prefetch gives."""

import datetime as dt
from collections.abc import Callable, Mapping
from typing import Any

import attrs

from crampkit.exceptions import InvalidInputError, Problem, ProblemCode, path_text
from crampkit.fhir.mapping import FhirProfile, Path, to_profile_from
from crampkit.server._discovery import (
    HOOKS,
    LANGUAGE_EXTENSION,
    PREFETCH_KEYS,
    REGION_EXTENSION,
    REQUIRED,
)
from crampkit.server._errors import BadRequestError
from crampkit.text.i18n import language_problem
from crampkit.text.regions import region_problem

__all__ = ["check_feedback", "check_request", "draft_orders", "invalid_fhir", "profile_of"]

_SETTINGS: Mapping[str, Callable[[str, object], Problem | None]] = {
    REGION_EXTENSION: region_problem,
    LANGUAGE_EXTENSION: language_problem,
}


def invalid_fhir(error: InvalidInputError) -> BadRequestError:
    """The 400 for FHIR data that cannot be read: its problems, each with its path in the request."""
    return BadRequestError.invalid("invalid FHIR", error.problems)


def _string(value: object) -> bool:
    return isinstance(value, str) and bool(value.strip())


def _text_problem(data: Mapping[Any, Any], path: Path, message: str) -> Problem | None:
    """The problem with a field that must be a non-empty string, or ``None`` when it is one."""
    key = path[-1]
    if key not in data:
        return Problem(path, ProblemCode.MISSING, message)
    value = data[key]
    if _string(value):
        return None
    return Problem(path, ProblemCode.EMPTY if isinstance(value, str) else ProblemCode.WRONG_TYPE, message)


def _kind_problem(data: Mapping[Any, Any], path: Path, message: str) -> Problem:
    """The problem with a field that is missing (``missing``) or of the wrong type (``wrong-type``)."""
    return Problem(path, ProblemCode.MISSING if path[-1] not in data else ProblemCode.WRONG_TYPE, message)


def _order_select_problems(context: Mapping[str, Any]) -> list[Problem]:
    """The problems with the selections and draft orders of an order-select context."""
    found: list[Problem] = []
    selections = context.get("selections")
    if not isinstance(selections, list) or not all(_string(item) for item in selections):
        message = "required, an array of strings such as 'MedicationRequest/123'"
        found.append(_kind_problem(context, ("context", "selections"), message))
    orders = context.get("draftOrders")
    if not isinstance(orders, dict):
        found.append(_kind_problem(context, ("context", "draftOrders"), "required, a FHIR Bundle"))
    elif not isinstance(orders.get("entry", []), list):
        message = "must be an array of Bundle entries"
        found.append(Problem(("context", "draftOrders", "entry"), ProblemCode.WRONG_TYPE, message))
    return found


def _setting_problem(extension: Mapping[str, Any], key: str) -> Problem | None:
    """The problem with the region or language an ``extension`` sets; ``None`` when it is valid or absent."""
    if key not in extension:
        return None
    problem = _SETTINGS[key]("create_app", extension[key])
    if problem is None:
        return None
    return attrs.evolve(problem, path=("extension", key), location=path_text(("extension", key)))


def check_request(service_id: str, data: object) -> tuple[str, dict[str, Any], dict[str, Any], dict[str, Any]]:
    """The request's hook instance, context, prefetch and extension, or a 400/412 error listing every problem."""
    found: list[Problem | None] = []
    if not isinstance(data, dict):
        raise BadRequestError.invalid(
            "invalid request", [Problem((), ProblemCode.WRONG_TYPE, "the body must be a JSON object", location="")]
        )
    hook = HOOKS[service_id]
    if data.get("hook") != hook:
        message = f"must be {hook!r} for the service {service_id!r}, got {data.get('hook')!r}"
        code = ProblemCode.MISSING if "hook" not in data else ProblemCode.NOT_ALLOWED_VALUE
        found.append(Problem(("hook",), code, message, allowed=(hook,)))
    found.append(_text_problem(data, ("hookInstance",), "required, a non-empty string (a UUID)"))
    if "fhirServer" in data:
        found.append(_text_problem(data, ("fhirServer",), "must be a URL string"))
    if "fhirAuthorization" in data:
        if not isinstance(data["fhirAuthorization"], dict):
            found.append(Problem(("fhirAuthorization",), ProblemCode.WRONG_TYPE, "must be an object"))
        if "fhirServer" not in data:
            found.append(Problem(("fhirServer",), ProblemCode.MISSING, "required when fhirAuthorization is given"))
    context = data.get("context")
    if not isinstance(context, dict):
        found.append(_kind_problem(data, ("context",), "required, an object"))
        context = {}
    found += (
        _text_problem(context, ("context", key), "required, a non-empty string") for key in ("userId", "patientId")
    )
    if hook == "order-select":
        found += _order_select_problems(context)
    extension = data.get("extension", {})
    if not isinstance(extension, dict):
        found.append(Problem(("extension",), ProblemCode.WRONG_TYPE, "must be an object"))
        extension = {}
    found += (_setting_problem(extension, key) for key in _SETTINGS)
    prefetch = data.get("prefetch", {})
    if not isinstance(prefetch, dict):
        found.append(Problem(("prefetch",), ProblemCode.WRONG_TYPE, "must be an object"))
        prefetch = {}
    for key, value in prefetch.items():
        if value is not None and not isinstance(value, dict):
            message = "must be a FHIR resource, a Bundle or null"
            found.append(Problem(("prefetch", key), ProblemCode.WRONG_TYPE, message, location=f"prefetch.{key}"))
    patient = prefetch.get("patient")
    if isinstance(patient, dict) and patient.get("resourceType") not in {"Patient", "Bundle", "OperationOutcome"}:
        message = "must be the Patient (or a Bundle holding it)"
        found.append(Problem(("prefetch", "patient", "resourceType"), ProblemCode.NOT_ALLOWED_VALUE, message))
    problems = [problem for problem in found if problem is not None]
    if problems:
        raise BadRequestError.invalid("invalid request", problems)
    missing = [
        key
        for key in REQUIRED[service_id]
        if key not in prefetch
        or (isinstance(prefetch[key], dict) and prefetch[key].get("resourceType") == "OperationOutcome")
        or (key == "patient" and not _holds_a_patient(prefetch[key]))
    ]
    if missing:
        raise BadRequestError(
            412,
            {
                "error": "prefetch missing",
                "missing": missing,
                "detail": (
                    "crampkit needs these prefetch keys and does not query FHIR servers (any fhirServer in the "
                    "request is treated as unavailable)."
                ),
            },
        )
    return data["hookInstance"], context, prefetch, extension


def _holds_a_patient(value: object) -> bool:
    """Whether a ``patient`` prefetch is a Patient or a Bundle with one among its entries (else: not sent)."""
    if not isinstance(value, dict) or value.get("resourceType") != "Bundle":
        return True  # a Patient, an OperationOutcome or null: checked elsewhere
    entries = value.get("entry")
    return isinstance(entries, list) and any(
        isinstance(entry, dict)
        and isinstance(entry.get("resource"), dict)
        and entry["resource"].get("resourceType") == "Patient"
        for entry in entries
    )


def profile_of(service_id: str, context: Mapping[str, Any], prefetch: Mapping[str, Any], today: dt.date) -> FhirProfile:
    """The profile the service's prefetch gives, for the patient in ``context.patientId`` (400 when it cannot be read).

    A Patient with another id, however deep in Bundles, is a 400; a resource about another patient is unmapped.
    """
    parts: list[tuple[Path, object]] = [
        (("prefetch", key), value)
        for key, value in prefetch.items()
        if key in PREFETCH_KEYS[service_id] and value is not None
    ]
    try:
        return to_profile_from(parts, today=today, patient_id=context["patientId"])
    except InvalidInputError as exc:
        raise invalid_fhir(exc) from exc


def draft_orders(context: Mapping[str, Any]) -> list[tuple[Path, object]]:
    """The selected MedicationRequests with their paths, marked active so that crampkit.fhir reads them as current."""
    selected = {str(item) for item in context["selections"]}
    orders: list[tuple[Path, object]] = []
    for index, entry in enumerate(context["draftOrders"].get("entry") or ()):
        resource = entry.get("resource") if isinstance(entry, dict) else None
        if (
            isinstance(resource, dict)
            and resource.get("resourceType") == "MedicationRequest"
            and f"MedicationRequest/{resource.get('id')}" in selected
        ):
            orders.append((("context", "draftOrders", "entry", index, "resource"), {**resource, "status": "active"}))
    return orders


MAX_FEEDBACK = 100
"""Most feedback entries read from one feedback call."""
_OUTCOMES = ("accepted", "overridden")
_MAX_ID_CHARS = 200
_MAX_COMMENT_CHARS = 2000


def _timestamp_problem(item: Mapping[str, Any], path: Path) -> Problem | None:
    """The problem with an entry's ``outcomeTimestamp`` (an ISO 8601 date and time), or ``None``."""
    message = "required, an ISO 8601 date and time such as '2026-12-07T10:15:00Z'"
    value = item.get("outcomeTimestamp")
    if not isinstance(value, str):
        return _kind_problem(item, (*path, "outcomeTimestamp"), message)
    try:
        if len(value) <= 64 and dt.datetime.fromisoformat(value).tzinfo is not None:  # noqa: PLR2004 - no timestamp
            return None
    except ValueError:
        pass
    return Problem((*path, "outcomeTimestamp"), ProblemCode.WRONG_FORMAT, message + ", with its time zone")


def _feedback_problems(item: object, path: Path) -> list[Problem | None]:
    """The problems with one feedback entry, as CDS Hooks 2.0 defines it."""
    if not isinstance(item, dict):
        return [Problem(path, ProblemCode.WRONG_TYPE, "must be an object")]
    found = [_text_problem(item, (*path, "card"), "required, the uuid of a card")]
    if isinstance(item.get("card"), str) and len(item["card"]) > _MAX_ID_CHARS:
        found.append(
            Problem((*path, "card"), ProblemCode.TOO_LONG, "too long for a card uuid", max_length=_MAX_ID_CHARS)
        )
    outcome = item.get("outcome")
    if outcome not in _OUTCOMES:
        code = ProblemCode.MISSING if "outcome" not in item else ProblemCode.NOT_ALLOWED_VALUE
        found.append(Problem((*path, "outcome"), code, "required, 'accepted' or 'overridden'", allowed=_OUTCOMES))
    found.append(_timestamp_problem(item, path))
    suggestions = item.get("acceptedSuggestions")
    wanted = outcome == "accepted" or suggestions is not None
    if wanted and (
        not isinstance(suggestions, list)
        or not all(isinstance(s, dict) and _string(s.get("id")) and len(s["id"]) <= _MAX_ID_CHARS for s in suggestions)
    ):
        message = "an array of objects each with the id of a suggestion (required when the outcome is 'accepted')"
        found.append(_kind_problem(item, (*path, "acceptedSuggestions"), message))
    reason = item.get("overrideReason")
    if reason is not None and (
        not isinstance(reason, dict)
        or not isinstance(reason.get("reason", {}), dict)
        or not isinstance(comment := reason.get("userComment", ""), str)
        or len(comment) > _MAX_COMMENT_CHARS
    ):
        message = f"an object with a reason (a Coding) and a userComment of at most {_MAX_COMMENT_CHARS} characters"
        found.append(Problem((*path, "overrideReason"), ProblemCode.WRONG_TYPE, message))
    return found


def check_feedback(data: object) -> dict[str, int]:
    """The number of feedback entries of each outcome, or a 400 listing every problem with the body.

    Outcomes are counted only once every entry is valid, so nothing a client
    writes reaches the logs but the two outcomes the specification defines.
    """
    given = data if isinstance(data, dict) else {}
    items = given.get("feedback")
    if not isinstance(items, list) or not items:
        message = "required, an array of one or more feedback entries"
        problem = _kind_problem(given, ("feedback",), message) if items != [] else None
        raise BadRequestError.invalid(
            "invalid feedback", [problem or Problem(("feedback",), ProblemCode.EMPTY, message)]
        )
    if len(items) > MAX_FEEDBACK:
        message = f"at most {MAX_FEEDBACK} entries in one call, got {len(items)}"
        problem = Problem(("feedback",), ProblemCode.TOO_MANY, message, max_items=MAX_FEEDBACK)
        raise BadRequestError.invalid("invalid feedback", [problem])
    found = [problem for index, item in enumerate(items) for problem in _feedback_problems(item, ("feedback", index))]
    problems = [problem for problem in found if problem is not None]
    if problems:
        raise BadRequestError.invalid("invalid feedback", problems)
    return {outcome: sum(item["outcome"] == outcome for item in items) for outcome in _OUTCOMES}
