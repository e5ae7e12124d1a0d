"""A CDS Hooks 2.0 service on crampkit (the optional ``server`` extra).

:func:`create_app` returns an ASGI application (Starlette) that serves:

- ``GET /cds-services``: the discovery document, with two services:
  ``crampkit-cramps`` on the ``patient-view`` hook, and
  ``crampkit-cramps-order-select`` on ``order-select`` (a new prescription of
  a medicine linked with cramps for a patient with cramps on record);
- ``POST /cds-services/{id}``: a hook call. The request is checked (400 with
  every problem, each as :meth:`~crampkit.Problem.as_data` gives it, with its
  path in the request, when it is malformed), the prefetched FHIR resources
  become a profile through :mod:`crampkit.fhir`, and the response holds
  cards written for clinicians. Cards come only when a cramp is on record;
  otherwise ``cards`` is empty. crampkit never calls a FHIR server: when a
  required prefetch is missing the answer is 412. The cards are built by the
  same code as those of :func:`crampkit.to_cds_hooks` (escaped, sourced and
  identified the same way, with the same disclaimer), from the guidance the
  call made: the medicines they name are those it matched;
- ``POST /cds-services/{id}/feedback``: accepted (200) and logged without
  personal data.

The cards name the services of the deployment's region, in its language
(``create_app(region=..., language=...)``, ``crampkit serve --region``); a
call may choose its own with ``"extension": {"crampkit.region": "us",
"crampkit.language": "en"}`` in the request (an unknown value is a 400).

Every call carries a JWT signed by the CDS Client (``Authorization: Bearer``),
verified against the issuers the deployment trusts (``create_app(auth=...)``,
an :class:`~crampkit.auth.AuthConfig`; see :mod:`crampkit.auth`); a call without a good
token gets 401 with a ``WWW-Authenticate`` header and a problem code. The
discovery document stays open unless :attr:`~crampkit.auth.AuthConfig.protect_discovery`.
``auth="insecure-no-auth"`` turns this off, for development on loopback.

CORS is off unless ``allowed_origins`` lists the origins of browser-based CDS
clients (such as the public sandbox). Logs name the service, the hook, the
number of cards and the time taken, never a patient, a user, an id or a token.

Run it with ``crampkit serve``, or mount the app in your own ASGI server.

.. versionadded:: 0.2
"""

import datetime as dt
import json
import logging
import re
import time
from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import Any, Literal

from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.middleware.cors import CORSMiddleware
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from crampkit._api import prologue, recommend
from crampkit._model.arguments import argument_problem, python_kind
from crampkit.auth import (
    AuthConfig,
    Authenticator,
    AuthProblem,
    PublicKey,
    Refusal,
    TrustedIssuer,
    is_loopback,
    www_authenticate,
)
from crampkit.exceptions import InvalidInputError, Problem, ProblemCode
from crampkit.fhir.mapping import FhirProfile, Path, preload, to_profile_from
from crampkit.guidance import Guidance, Recommendation
from crampkit.knowledge.items import DrugClass, KnowledgeBase
from crampkit.render.cds_hooks import CardBuilder
from crampkit.text.escape import markdown
from crampkit.text.i18n import DEFAULT_LANGUAGE, language_problem
from crampkit.text.regions import DEFAULT_REGION, region_problem
from crampkit.vocab import Urgency

__all__ = [
    "INSECURE_NO_AUTH",
    "LANGUAGE_EXTENSION",
    "MAX_BODY_BYTES",
    "ORDER_SELECT_ID",
    "PATIENT_VIEW_ID",
    "REGION_EXTENSION",
    "AuthConfig",
    "AuthProblem",
    "PublicKey",
    "TrustedIssuer",
    "create_app",
]

PATIENT_VIEW_ID = "crampkit-cramps"
"""The id of the ``patient-view`` service."""
ORDER_SELECT_ID = "crampkit-cramps-order-select"
"""The id of the ``order-select`` service."""
MAX_BODY_BYTES = 5_000_000
"""Largest request body accepted, in bytes."""
REGION_EXTENSION = "crampkit.region"
"""The key of the request's ``extension`` object that sets the region of one call (``"us"``)."""
LANGUAGE_EXTENSION = "crampkit.language"
"""The key of the request's ``extension`` object that sets the language of one call (``"en"``)."""
INSECURE_NO_AUTH: Literal["insecure-no-auth"] = "insecure-no-auth"
"""``create_app(auth=INSECURE_NO_AUTH)``: no authentication at all, for development on loopback (logged loudly).

.. versionadded:: 0.2
"""
_SETTINGS: Mapping[str, Callable[[str, object], Problem | None]] = {
    REGION_EXTENSION: region_problem,
    LANGUAGE_EXTENSION: language_problem,
}

logger = logging.getLogger("crampkit.server")

_PATIENT = "Patient/{{context.patientId}}"
_CONDITIONS = "Condition?patient={{context.patientId}}&clinical-status=active,recurrence,relapse"
_REQUESTS = "MedicationRequest?patient={{context.patientId}}&status=active"
_STATEMENTS = "MedicationStatement?patient={{context.patientId}}&status=active,intended"
_OBSERVATIONS = "Observation?patient={{context.patientId}}&code=http://loinc.org|39156-5,http://loinc.org|82810-3"
_OVERRIDE_SYSTEM = "urn:crampkit:cds-hooks:override-reason"
_OVERRIDE_REASONS = tuple(
    {"system": _OVERRIDE_SYSTEM, "code": code, "display": display}
    for code, display in (
        ("already-addressed", "Already addressed with the patient"),
        ("not-relevant", "Not relevant to this patient"),
        ("cramps-resolved", "Cramps have resolved"),
        ("patient-declined", "Patient declined"),
    )
)
_URGENCY_ACTION = {
    "emergency": "Consider emergency assessment now",
    "urgent": "Consider assessment today",
    "soon": "Consider review within a day or two",
    "routine": "Consider a routine review",
    "self-care": "Consider self-care advice",
}
_MAX_LINKS = 3
_SECOND_PERSON = re.compile(r"\b(?:you|your|yours|yourself)\b", re.IGNORECASE)


def _for_clinicians(text: str, fallback: str) -> str:
    """Knowledge-base text written for the patient ("your GP") is replaced by a neutral ``fallback``."""
    return fallback if _SECOND_PERSON.search(text) else text


def _category(rec: Recommendation) -> str:
    return rec.category.value.replace("-", " ").capitalize()


def _services() -> list[dict[str, Any]]:
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


class _BadRequestError(Exception):
    def __init__(self, status: int, body: dict[str, Any]) -> None:
        super().__init__(body.get("error", ""))
        self.status = status
        self.body = body

    @classmethod
    def invalid(cls, error: str, problems: Iterable[Problem]) -> "_BadRequestError":
        """A 400: ``error`` says what was invalid, and each problem is as :meth:`~crampkit.Problem.as_data` gives it."""
        return cls(400, {"error": error, **InvalidInputError(problems).as_data()})


def _invalid_fhir(error: InvalidInputError) -> _BadRequestError:
    """The 400 for FHIR data that cannot be read: its problems, each with its path in the request."""
    return _BadRequestError.invalid("invalid FHIR", error.problems)


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
    return Problem(("extension", key), problem.code, problem.message, allowed=problem.allowed)


def _check_request(service_id: str, data: object) -> tuple[str, dict[str, Any], dict[str, Any], dict[str, Any]]:
    """The request's hook instance, context, prefetch and extension, or a 400/412 error listing every problem."""
    found: list[Problem | None] = []
    if not isinstance(data, dict):
        raise _BadRequestError.invalid(
            "invalid request", [Problem((), ProblemCode.WRONG_TYPE, "the body must be a JSON object", location="")]
        )
    hook = _HOOKS[service_id]
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
    problems = [problem for problem in found if problem is not None]
    if problems:
        raise _BadRequestError.invalid("invalid request", problems)
    missing = [
        key
        for key in _REQUIRED[service_id]
        if key not in prefetch
        or (isinstance(prefetch[key], dict) and prefetch[key].get("resourceType") == "OperationOutcome")
    ]
    if missing:
        raise _BadRequestError(
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


def _profile(service_id: str, context: Mapping[str, Any], prefetch: Mapping[str, Any], today: dt.date) -> FhirProfile:
    parts: list[tuple[Path, object]] = [
        (("prefetch", key), value)
        for key, value in prefetch.items()
        if key in _PREFETCH_KEYS[service_id] and value is not None
    ]
    patient = prefetch.get("patient")
    if isinstance(patient, dict) and patient.get("id") not in (None, context["patientId"]):
        message = "not the patient in context.patientId"
        problem = Problem(("prefetch", "patient", "id"), ProblemCode.CONFLICT, message, location="prefetch.patient")
        raise _BadRequestError.invalid("invalid request", [problem])
    try:
        return to_profile_from(parts, today=today)
    except InvalidInputError as exc:
        raise _invalid_fhir(exc) from exc


_PREFETCH_KEYS = {service["id"]: frozenset(service["prefetch"]) for service in _services()}


class _Cards:
    """Clinician cards for one knowledge base, each built by the one card builder."""

    def __init__(self, knowledge_base: KnowledgeBase) -> None:
        self.kb = knowledge_base
        self.cramp_drug_facts = frozenset(
            fact
            for factor in knowledge_base.risk_factors
            if "medication" in factor.raises
            for fact in (*factor.when.all_of, *factor.when.any_of)
            if fact.value.startswith("drug-")
        )

    def builder(self, guidance: Guidance, instance: str) -> CardBuilder:
        """The card builder for the guidance of one call: its cards carry links, override reasons and its uuids."""
        return CardBuilder(guidance, self.kb, instance=instance, links=_MAX_LINKS, override_reasons=_OVERRIDE_REASONS)

    def linked(self, guidance: Guidance) -> list[tuple[str, DrugClass]]:
        """The medicine names of the guidance that matched a drug class linked with cramps, with that class."""
        return [
            (hit.name, drug_class)
            for hit in guidance.medications
            for class_id in hit.drug_classes
            if isinstance(drug_class := self.kb.by_id.get(class_id), DrugClass)
            and drug_class.fact in self.cramp_drug_facts
        ]

    def patient_view(self, guidance: Guidance, instance: str) -> list[dict[str, Any]]:
        cards = self.builder(guidance, instance)
        made = [
            cards.card(
                "red-flag",
                (flag.id,),
                summary=f"{_URGENCY_ACTION[flag.urgency.value]}: {flag.name}",
                urgency=flag.urgency,
                detail=[
                    f"**{markdown(flag.name)}** (crampkit triage: {flag.urgency.value})",
                    "",
                    markdown(_for_clinicians(flag.why, "")),
                    "",
                    f"On record: {markdown('; '.join(flag.because))}.",
                ],
                sources=flag.sources,
            )
            for flag in guidance.red_flags
        ]
        drugs = sorted({(name, drug_class.name) for name, drug_class in self.linked(guidance)})
        blocks = [["**Patient has muscle cramps on record.**"]]
        if guidance.safety_net:
            blocks.append(["Safety-netting for the symptoms on record (the patient's wording):", ""])
            blocks[-1] += [f"- {markdown(line.name)}: {markdown(line.watch_for)}" for line in guidance.safety_net]
        if drugs:
            blocks.append(["Medicines on record that are linked with cramps:", ""])
            blocks[-1] += [f"- {markdown(name)} ({markdown(class_name)})" for name, class_name in drugs]
        if guidance.likely_causes:
            blocks.append(["Likely causes:", ""])
            blocks[-1] += [
                f"- {markdown(cause.name)}: {markdown('; '.join(cause.because))}"
                for cause in guidance.likely_causes[:4]
            ]
        if guidance.recommendations:
            blocks.append(["To consider (crampkit's ranking, with GRADE certainty):", ""])
            blocks[-1] += [
                f"- {markdown(_for_clinicians(rec.name, _category(rec)))} (certainty {rec.certainty.value})"
                for rec in guidance.recommendations[:5]
            ]
        not_supported = [
            f"- {markdown(item.name)}: {markdown(item.reason)}"
            for item in guidance.not_recommended
            if not _SECOND_PERSON.search(f"{item.name} {item.reason}")
        ]
        if not_supported:
            blocks.append(["Not supported by the evidence:", "", *not_supported])
        if guidance.unrecognized_medications:
            names = markdown(", ".join(guidance.unrecognized_medications))
            blocks.append([f"Medicines crampkit did not recognise: {names}."])
        cited = [s for rec in guidance.recommendations[:5] for s in rec.sources]
        cited += [s for cause in guidance.likely_causes for s in cause.sources]
        if drugs:
            summary = "Cramps on record; linked medicines: " + ", ".join(name for name, _ in drugs)
        else:
            summary = "Cramps on record: causes to consider and evidence-graded management"
        made.append(
            cards.card(
                "cramps-on-record",
                (),
                summary=summary,
                urgency=Urgency.SELF_CARE,
                detail=[line for block in blocks for line in ("", *block)][1:],
                sources=cited,
                disclaimer=True,
            )
        )
        return made

    def order_select(self, orders: Guidance, instance: str) -> list[dict[str, Any]]:
        """A card for each drug class linked with cramps that a selected order matched (``orders``: their guidance)."""
        cards = self.builder(orders, instance)
        return [
            cards.card(
                "linked-medicine",
                (name, drug_class.id),
                summary=f"Patient has cramps on record; {name} is linked with cramps",
                urgency=Urgency.SELF_CARE,
                detail=[
                    f"**{markdown(name)}** ({markdown(drug_class.name)}) is linked with muscle cramps.",
                    "",
                    markdown(drug_class.summary),
                    "",
                    (
                        "Patient has cramps on record. Consider whether the benefit outweighs the risk, "
                        "and ask about cramps at review."
                    ),
                ],
                sources=drug_class.sources,
                disclaimer=True,
            )
            for name, drug_class in self.linked(orders)
        ]


def _draft_orders(context: Mapping[str, Any]) -> list[tuple[Path, object]]:
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


async def _read_json(request: Request) -> object:
    body = await request.body()
    if len(body) > MAX_BODY_BYTES:
        raise _BadRequestError(413, {"error": "request too large", "limit_bytes": MAX_BODY_BYTES})
    try:
        return json.loads(body)
    except RecursionError as exc:
        problem = Problem((), ProblemCode.TOO_DEEP, "the body is not JSON: nested too deeply", location="")
        raise _BadRequestError.invalid("invalid request", [problem]) from exc
    except ValueError as exc:
        code = ProblemCode.NOT_UTF8 if isinstance(exc, UnicodeDecodeError) else ProblemCode.NOT_JSON
        problem = Problem((), code, f"the body is not JSON: {exc}", location="")
        raise _BadRequestError.invalid("invalid request", [problem]) from exc


_ORIGIN = re.compile(r"\*|https?://[^\s/?#]+")


def _refused(service: str, refusal: Refusal) -> Response:
    """The 401 (or 503) of a call whose token was refused: its code in the body, and ``WWW-Authenticate``."""
    logger.info("service=%s status=%d auth=%s", service, refusal.status, refusal.code.value)
    body = {"error": "unauthorized" if refusal.status == 401 else "unavailable", "code": refusal.code.value}  # noqa: PLR2004
    headers = {"WWW-Authenticate": www_authenticate(refusal)} if refusal.status == 401 else {"Retry-After": "1"}  # noqa: PLR2004
    return JSONResponse(body | {"detail": refusal.detail}, status_code=refusal.status, headers=headers)


async def _guard(
    authenticator: Authenticator | None, request: Request, service: str, *endpoints: str
) -> Response | None:
    """The 401 when the call's token is not good for ``endpoints`` (paths); ``None`` when it is, or auth is off."""
    if authenticator is None:
        return None
    refused = await authenticator.check(request.headers.get("authorization"), endpoints)
    return None if refused is None else _refused(service if service in _HOOKS else "-", refused)


def _authenticator(auth: object, allowed_origins: object) -> Authenticator | None:
    """The authenticator of ``auth`` (``None`` for no authentication, logged loudly); both arguments checked."""
    found = []
    if auth != INSECURE_NO_AUTH:
        advice = f"or {INSECURE_NO_AUTH!r}, for development on loopback only"
        found.append(argument_problem("create_app", "auth", auth, AuthConfig, advice))
    if not isinstance(allowed_origins, list | tuple):
        message = f"expected a list or tuple of origins, got {python_kind(allowed_origins)}"
        location = "create_app(): allowed_origins"
        found.append(Problem(("allowed_origins",), ProblemCode.WRONG_TYPE, message, location=location))
    else:
        found += [
            Problem(
                ("allowed_origins", index),
                ProblemCode.WRONG_FORMAT,
                f"must be an origin such as 'https://ehr.example.org' (no path) or '*', got {origin!r}",
                location=f"create_app(): allowed_origins[{index}]",
            )
            for index, origin in enumerate(allowed_origins)
            if not isinstance(origin, str) or not _ORIGIN.fullmatch(origin)
        ]
    problems = [problem for problem in found if problem is not None]
    if problems:
        raise InvalidInputError(problems)
    if not isinstance(auth, AuthConfig):
        logger.warning("AUTHENTICATION IS OFF: anyone who can reach this service gets cards (--insecure-no-auth)")
        return None
    return Authenticator(auth)


def _cors(allowed_origins: Sequence[str]) -> list[Middleware]:
    """CORS for ``allowed_origins`` (no credentials; the ``Authorization`` header allowed), or none when empty."""
    if not allowed_origins:
        return []
    return [
        Middleware(
            CORSMiddleware,
            allow_origins=list(allowed_origins),
            allow_methods=["GET", "POST", "OPTIONS"],
            allow_headers=["Authorization", "Content-Type"],
            max_age=600,
        )
    ]


def create_app(
    knowledge_base: KnowledgeBase | None = None,
    *,
    auth: AuthConfig | Literal["insecure-no-auth"],
    allowed_origins: Sequence[str] = (),
    today: Callable[[], dt.date] | None = None,
    region: str = DEFAULT_REGION,
    language: str = DEFAULT_LANGUAGE,
) -> Starlette:
    """The CDS Hooks service as an ASGI application.

    Args:
        knowledge_base: The knowledge base to answer from; the packaged one
            when omitted.
        auth: How clients authenticate (required): an :class:`~crampkit.auth.AuthConfig`
            naming the trusted issuers and the service's URL, or
            :data:`~crampkit.server.INSECURE_NO_AUTH` for development on loopback (logged as a
            warning). See :doc:`/ehr`, "Authentication".
        allowed_origins: The origins whose browser-based clients may call the
            service (CORS), such as ``["https://sandbox.cds-hooks.org"]``;
            ``["*"]`` for any. None by default: CORS is off.
        today: Gives the date ages are computed on; the server's local date
            when omitted (tests pass a fixed one).
        region: The deployment's region: whose emergency and non-urgent
            services the cards name (``uk``, the default, ``us``, ``eu`` or
            ``au``). A call may set its own with the request's ``extension``
            (key ``crampkit.region``; see :doc:`/ehr`).
        language: The deployment's language (``en``, the default, or one
            whose catalogue is installed). A call may set its own
            (key ``crampkit.language``).

    Returns:
        A Starlette application; serve it with uvicorn or mount it in your own app.

    Raises:
        InvalidInputError: ``region`` or ``language`` is not one crampkit has,
            ``knowledge_base`` is not a knowledge base, ``auth`` is neither an
            :class:`~crampkit.auth.AuthConfig` nor :data:`~crampkit.server.INSECURE_NO_AUTH`, or an origin is
            not an origin.
        KnowledgeBaseError: The knowledge base falls below the safety floor.

    .. versionadded:: 0.2

    .. versionchanged:: 0.2
       ``region`` and ``language``, and the request's ``extension`` that sets them for one call.

    .. versionchanged:: 0.2
       ``auth`` (required) and ``allowed_origins``: calls are authenticated, and CORS is off by default.
    """
    kb = prologue("create_app", knowledge_base=knowledge_base, region=region, language=language)
    authenticator = _authenticator(auth, allowed_origins)
    preload()
    cards = _Cards(kb)
    clock = today or dt.date.today
    discovery = {"services": _services()}

    async def services(request: Request) -> Response:
        protected = authenticator is not None and authenticator.config.protect_discovery
        if protected and (refused := await _guard(authenticator, request, "discovery", "/cds-services")) is not None:
            return refused
        return JSONResponse(discovery)

    async def call(request: Request) -> Response:
        service_id = request.path_params["service_id"]
        started = time.perf_counter()
        if (refused := await _guard(authenticator, request, service_id, f"/cds-services/{service_id}")) is not None:
            return refused
        if service_id not in _HOOKS:
            return JSONResponse({"error": "no such service", "services": sorted(_HOOKS)}, status_code=404)
        try:
            instance, context, prefetch, extension = _check_request(service_id, await _read_json(request))
            settings = {  # the call's own, else the deployment's (both checked)
                "region": str(extension.get(REGION_EXTENSION, region)),
                "language": str(extension.get(LANGUAGE_EXTENSION, language)),
            }
            fhir = _profile(service_id, context, prefetch, clock())
            if not fhir.profile.cramps.reported:
                result: list[dict[str, Any]] = []
            elif service_id == PATIENT_VIEW_ID:
                result = cards.patient_view(recommend(fhir.profile, knowledge_base=kb, **settings), instance)
            else:
                try:
                    orders = to_profile_from(_draft_orders(context), today=clock())
                except InvalidInputError as exc:
                    raise _invalid_fhir(exc) from exc
                result = cards.order_select(recommend(orders.profile, knowledge_base=kb, **settings), instance)
        except _BadRequestError as exc:
            logger.info("service=%s status=%d error=%s", service_id, exc.status, exc.body.get("error"))
            return JSONResponse(exc.body, status_code=exc.status)
        elapsed = (time.perf_counter() - started) * 1000
        logger.info("service=%s status=200 cards=%d ms=%.1f", service_id, len(result), elapsed)
        return JSONResponse({"cards": result})

    async def feedback(request: Request) -> Response:
        service_id = request.path_params["service_id"]
        # the endpoint called is .../feedback; a client may also name the service's URL
        endpoints = (f"/cds-services/{service_id}/feedback", f"/cds-services/{service_id}")
        if (refused := await _guard(authenticator, request, service_id, *endpoints)) is not None:
            return refused
        if service_id not in _HOOKS:
            return JSONResponse({"error": "no such service", "services": sorted(_HOOKS)}, status_code=404)
        try:
            data = await _read_json(request)
        except _BadRequestError as exc:
            return JSONResponse(exc.body, status_code=exc.status)
        items = data.get("feedback") if isinstance(data, dict) else None
        if not isinstance(items, list) or not all(
            isinstance(item, dict) and _string(item.get("card")) for item in items
        ):
            message = "required, an array of objects each with a card uuid"
            given = data if isinstance(data, dict) else {}
            error = _BadRequestError.invalid("invalid feedback", [_kind_problem(given, ("feedback",), message)])
            return JSONResponse(error.body, status_code=error.status)
        outcomes = sorted({str(item.get("outcome")) for item in items})
        logger.info("service=%s feedback=%d outcomes=%s", service_id, len(items), ",".join(outcomes))
        return JSONResponse({})

    return Starlette(
        routes=[
            Route("/cds-services", services, methods=["GET"]),
            Route("/cds-services/{service_id}", call, methods=["POST"]),
            Route("/cds-services/{service_id}/feedback", feedback, methods=["POST"]),
        ],
        middleware=_cors(allowed_origins),
    )


def run(
    host: str,
    port: int,
    *,
    auth: AuthConfig | Literal["insecure-no-auth"],
    allowed_origins: Sequence[str] = (),
    region: str = DEFAULT_REGION,
    language: str = DEFAULT_LANGUAGE,
) -> None:
    """Serve :func:`create_app` with uvicorn until interrupted (``crampkit serve``).

    Raises:
        InvalidInputError: ``auth`` is :data:`~crampkit.server.INSECURE_NO_AUTH` and ``host`` is not a loopback address.
    """
    import uvicorn  # noqa: PLC0415 - only needed to serve

    if auth == INSECURE_NO_AUTH and not is_loopback(host):
        message = f"--insecure-no-auth listens on loopback only (127.0.0.1, ::1, localhost), not {host!r}"
        raise InvalidInputError([Problem(("--host",), ProblemCode.CONFLICT, message, location="--host")])
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s %(levelname)s %(message)s")
    app = create_app(auth=auth, allowed_origins=allowed_origins, region=region, language=language)
    # no "server: uvicorn" banner: it tells an attacker what to try (issue 21)
    uvicorn.run(app, host=host, port=port, access_log=False, log_level="info", server_header=False)
