"""The CDS Hooks service's ASGI application (:func:`create_app`) and its server (:func:`run`)."""

import datetime as dt
import logging
import re
import time
from collections.abc import Callable, Sequence
from typing import Any, Literal, TypeVar

import anyio
import anyio.to_thread
import attrs
from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.middleware.cors import CORSMiddleware
from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse, Response
from starlette.routing import BaseRoute, Route

from crampkit._api import prologue, recommend
from crampkit._model.arguments import argument, argument_problem, python_kind
from crampkit.auth import AuthConfig, Authenticator, Refusal, is_loopback, www_authenticate
from crampkit.exceptions import InvalidInputError, Problem, ProblemCode
from crampkit.fhir.mapping import preload, to_profile_from
from crampkit.knowledge.items import KnowledgeBase
from crampkit.server._answers import Answers, Kept, key
from crampkit.server._cards import Cards
from crampkit.server._discovery import HOOKS, LANGUAGE_EXTENSION, PATIENT_VIEW_ID, REGION_EXTENSION, services
from crampkit.server._errors import BadRequestError, bounded
from crampkit.server._limits import Limits, parse_json, read_body
from crampkit.server._protocol import with_header_timeout
from crampkit.server._requests import check_feedback, check_request, draft_orders, invalid_fhir, profile_of
from crampkit.server._try import HEADERS, STATIC, TryPage
from crampkit.text.i18n import DEFAULT_LANGUAGE
from crampkit.text.regions import DEFAULT_REGION

__all__ = ["INSECURE_NO_AUTH", "create_app", "run"]

INSECURE_NO_AUTH: Literal["insecure-no-auth"] = "insecure-no-auth"
"""``create_app(auth=INSECURE_NO_AUTH)``: no authentication at all, for development on loopback (logged loudly).

.. versionadded:: 0.2
"""

logger = logging.getLogger("crampkit.server")

LARGE_BODY_BYTES = 256_000
"""A call with a larger body is worked on in the lane of large calls (see :meth:`_Service.off_loop`)."""
SMALL_BODY_BYTES = 32_000
"""A call with a body this size or smaller is read on the event loop, and answered there when its answer is kept."""

T = TypeVar("T")
R = TypeVar("R")

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
    return None if refused is None else _refused(service if service in HOOKS else "-", refused)


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


def _error(service: str, error: BadRequestError, limits: Limits) -> Response:
    """The answer to a call that cannot be answered: its status, a body of at most 64 KB, and its headers."""
    logger.info("service=%s status=%d error=%s", service, error.status, error.body.get("error"))
    return JSONResponse(bounded(error.body, limits.max_problems), status_code=error.status, headers=error.headers)


@attrs.frozen
class _Call:
    """A hook call read and checked: what its cards depend on, and their :func:`~crampkit.server._answers.key`."""

    service_id: str
    instance: str
    context: dict[str, Any]
    prefetch: dict[str, Any]
    settings: dict[str, str]
    today: dt.date
    key: bytes


class _Service:
    """The work of the service's calls: reading the body, the FHIR and the guidance, and the answers kept."""

    def __init__(
        self, kb: KnowledgeBase, limits: Limits, clock: Callable[[], dt.date], region: str, language: str
    ) -> None:
        self.kb = kb
        self.limits = limits
        self.cards = Cards(kb)
        self.clock = clock
        self.region = region
        self.language = language
        self.answers = Answers(limits.cached_answers)
        self._lanes: dict[bool, anyio.CapacityLimiter] = {}

    def _lane(self, large: bool) -> anyio.CapacityLimiter:
        """The worker threads of small calls, or of large ones (a quarter of them, at least one)."""
        if large not in self._lanes:  # made on first use, inside the event loop
            threads = self.limits.worker_threads
            self._lanes[large] = anyio.CapacityLimiter(max(1, threads // 4) if large else threads)
        return self._lanes[large]

    async def off_loop(self, work: Callable[[T], R], argument: T, size: int) -> R:
        """``work(argument)`` in a worker thread: calls with bodies over :data:`LARGE_BODY_BYTES` in a lane apart.

        Small calls are never queued behind large ones, and few large ones are
        worked on at once, which bounds the memory they take.
        """
        return await anyio.to_thread.run_sync(work, argument, limiter=self._lane(size > LARGE_BODY_BYTES))

    async def try_page(self, page: TryPage, query: bytes) -> tuple[int, str]:
        """The try-it page for ``query``, worked out in the lane of small calls."""
        return await anyio.to_thread.run_sync(page.answer, query, limiter=self._lane(large=False))

    async def respond(self, service_id: str, body: bytes) -> tuple[int, bytes]:
        """The number of cards of a hook call and its response body (``BadRequestError`` when it cannot be answered).

        A body of at most :data:`SMALL_BODY_BYTES` is read and checked on the
        event loop, and answered there when its answer is kept; any other
        work (the FHIR, the guidance, the cards, and the reading of larger
        bodies) is done in a worker thread.
        """
        if len(body) > SMALL_BODY_BYTES:
            return await self.off_loop(lambda raw: self.answer(self.read(service_id, raw)), body, len(body))
        call = self.read(service_id, body)
        kept = self.answers.get(call.key)
        if kept is not None:
            return kept.count, kept.encoded(call.instance)
        return await self.off_loop(self.work, call, len(body))

    def read(self, service_id: str, body: bytes) -> _Call:
        """The call in ``body``, checked (``BadRequestError`` when it is not a call crampkit can answer)."""
        instance, context, prefetch, extension = check_request(service_id, parse_json(body, self.limits))
        settings = {  # the call's own, else the deployment's (both checked)
            "region": str(extension.get(REGION_EXTENSION, self.region)),
            "language": str(extension.get(LANGUAGE_EXTENSION, self.language)),
        }
        today = self.clock()
        digest = key(service_id, settings, today, context, prefetch)
        return _Call(service_id, instance, context, prefetch, settings, today, digest)

    def answer(self, call: _Call) -> tuple[int, bytes]:
        """The number of cards of ``call`` and its response body: the answer kept for it, else :meth:`work`."""
        kept = self.answers.get(call.key)
        return (kept.count, kept.encoded(call.instance)) if kept is not None else self.work(call)

    def work(self, call: _Call) -> tuple[int, bytes]:
        """The number of cards of ``call`` and its response body, worked out and kept for the next such call.

        Called once the answers kept were looked up and held none (each lookup is counted as a hit or a miss).
        """
        kept = Kept.of(*self.cards_of(call))
        self.answers.put(call.key, kept)
        return kept.count, kept.encoded(call.instance)

    def cards_of(self, call: _Call) -> tuple[list[dict[str, Any]], list[str]]:
        """The cards of ``call`` (their uuids without its instance) and their uuid names."""
        fhir = profile_of(call.service_id, call.context, call.prefetch, call.today)
        if not fhir.profile.cramps.reported:
            return [], []
        if call.service_id == PATIENT_VIEW_ID:
            return self.cards.patient_view(recommend(fhir.profile, knowledge_base=self.kb, **call.settings))
        context = call.context
        try:
            orders = to_profile_from(draft_orders(context), today=call.today, patient_id=context["patientId"])
        except InvalidInputError as exc:
            raise invalid_fhir(exc) from exc
        return self.cards.order_select(recommend(orders.profile, knowledge_base=self.kb, **call.settings))

    def feedback(self, body: bytes) -> dict[str, int]:
        """The number of feedback entries of each outcome (``BadRequestError`` when the body is not feedback)."""
        return check_feedback(parse_json(body, self.limits))


def create_app(
    knowledge_base: KnowledgeBase | None = None,
    *,
    auth: AuthConfig | Literal["insecure-no-auth"],
    allowed_origins: Sequence[str] = (),
    today: Callable[[], dt.date] | None = None,
    region: str = DEFAULT_REGION,
    language: str = DEFAULT_LANGUAGE,
    limits: Limits | None = None,
    try_page: bool = False,
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
        limits: What one call may send and how long it may take
            (:class:`~crampkit.server.Limits`; its defaults when omitted).
        try_page: Also serve the try-it page at ``GET /try``: a form for a
            profile and the guidance as a person reads it, for reviewing
            the content and for demonstrations on your own computer (see
            :doc:`/try`; never expose it). It works the guidance out in the
            service, with no authentication of its own, and leaves the CDS
            Hooks endpoints as they are. Off by default.

    Returns:
        A Starlette application; serve it with uvicorn or mount it in your own app.

    Raises:
        InvalidInputError: ``region`` or ``language`` is not one crampkit has,
            ``knowledge_base`` is not a knowledge base, ``auth`` is neither an
            :class:`~crampkit.auth.AuthConfig` nor :data:`~crampkit.server.INSECURE_NO_AUTH`, an origin is
            not an origin, ``limits`` is not :class:`~crampkit.server.Limits`,
            or ``try_page`` is not ``True`` or ``False``.
        KnowledgeBaseError: The knowledge base falls below the safety floor.

    .. versionadded:: 0.2

    .. versionchanged:: 0.2
       ``region`` and ``language``, and the request's ``extension`` that sets them for one call.

    .. versionchanged:: 0.2
       ``auth`` (required) and ``allowed_origins``: calls are authenticated, and CORS is off by default.

    .. versionchanged:: 0.2
       ``limits``: bodies are read within them, and calls are answered off the event loop.

    .. versionchanged:: 0.2
       ``try_page``: the try-it page.
    """
    kb = prologue("create_app", knowledge_base=knowledge_base, region=region, language=language)
    authenticator = _authenticator(auth, allowed_origins)
    limits = Limits() if limits is None else limits
    argument("create_app", "limits", limits, Limits)
    argument("create_app", "try_page", try_page, bool)
    preload()
    service = _Service(kb, limits, today or dt.date.today, region, language)
    discovery = {"services": services()}

    async def list_services(request: Request) -> Response:
        protected = authenticator is not None and authenticator.config.protect_discovery
        if protected and (refused := await _guard(authenticator, request, "discovery", "/cds-services")) is not None:
            return refused
        return JSONResponse(discovery)

    async def call(request: Request) -> Response:
        service_id = request.path_params["service_id"]
        started = time.perf_counter()
        if (refused := await _guard(authenticator, request, service_id, f"/cds-services/{service_id}")) is not None:
            return refused
        if service_id not in HOOKS:
            return JSONResponse({"error": "no such service", "services": sorted(HOOKS)}, status_code=404)
        try:
            count, encoded = await service.respond(service_id, await read_body(request, limits))
        except BadRequestError as exc:
            return _error(service_id, exc, limits)
        elapsed = (time.perf_counter() - started) * 1000
        logger.info("service=%s status=200 cards=%d ms=%.1f", service_id, count, elapsed)
        return Response(encoded, media_type="application/json")

    async def feedback(request: Request) -> Response:
        service_id = request.path_params["service_id"]
        # the endpoint called is .../feedback; a client may also name the service's URL
        endpoints = (f"/cds-services/{service_id}/feedback", f"/cds-services/{service_id}")
        if (refused := await _guard(authenticator, request, service_id, *endpoints)) is not None:
            return refused
        if service_id not in HOOKS:
            return JSONResponse({"error": "no such service", "services": sorted(HOOKS)}, status_code=404)
        try:
            body = await read_body(request, limits)
            outcomes = await service.off_loop(service.feedback, body, len(body))
        except BadRequestError as exc:
            return _error(service_id, exc, limits)
        counts = " ".join(f"{outcome}={count}" for outcome, count in outcomes.items())
        logger.info("service=%s feedback %s", service_id, counts)
        return JSONResponse({})

    routes: list[BaseRoute] = [
        Route("/cds-services", list_services, methods=["GET"]),
        Route("/cds-services/{service_id}", call, methods=["POST"]),
        Route("/cds-services/{service_id}/feedback", feedback, methods=["POST"]),
    ]
    if try_page:
        routes += _try_routes(service, TryPage(kb, limits, region, language))
    app = Starlette(
        routes=routes,
        middleware=_cors(allowed_origins),
        exception_handlers={404: _http_error, 405: _http_error},
    )
    app.router.redirect_slashes = False  # a redirect would name the Host the request gave, before any token is read
    return app


def _try_routes(service: _Service, page: TryPage) -> list[BaseRoute]:
    """``GET /try`` and its two files, each with :data:`~crampkit.server._try.HEADERS`; no token is read."""
    logger.warning("the try-it page is on at /try: for review on this computer only, never expose it")

    async def show(request: Request) -> Response:
        status, text = await service.try_page(page, request.scope["query_string"])
        logger.info("service=try status=%d", status)
        return HTMLResponse(text, status_code=status, headers=HEADERS)

    async def static(request: Request) -> Response:
        name = request.path_params["name"]
        if name not in STATIC:
            return JSONResponse({"error": "no such endpoint"}, status_code=404)
        return Response(page.static[name], media_type=STATIC[name], headers=HEADERS)

    return [Route("/try", show, methods=["GET"]), Route("/try/static/{name}", static, methods=["GET"])]


async def _http_error(_request: Request, exc: Exception) -> Response:
    """A 404 or 405 from the router, as JSON like every other answer."""
    status = getattr(exc, "status_code", 404)
    return JSONResponse({"error": "no such endpoint" if status == 404 else "method not allowed"}, status_code=status)  # noqa: PLR2004


def uvicorn_config(app: Starlette, host: str, port: int, limits: Limits) -> Any:  # noqa: ANN401 - a uvicorn.Config
    """The uvicorn settings of ``crampkit serve``: the limits' timeouts, no banner, no access log."""
    import uvicorn  # noqa: PLC0415 - only needed to serve

    return uvicorn.Config(
        app,
        host=host,
        port=port,
        http=with_header_timeout(limits.header_timeout_seconds),
        timeout_keep_alive=limits.keep_alive_seconds,
        access_log=False,
        log_level="info",
        # no "server: uvicorn" banner: it tells an attacker what to try (issue 21)
        server_header=False,
        lifespan="off",
    )


def run(
    host: str,
    port: int,
    *,
    auth: AuthConfig | Literal["insecure-no-auth"],
    allowed_origins: Sequence[str] = (),
    region: str = DEFAULT_REGION,
    language: str = DEFAULT_LANGUAGE,
    knowledge_base: KnowledgeBase | None = None,
    limits: Limits | None = None,
    try_page: bool = False,
) -> None:
    """Serve :func:`create_app` with uvicorn until interrupted (``crampkit serve``).

    The arguments are those of :func:`create_app`; uvicorn gets the limits'
    timeouts (a deadline for request headers, the keep-alive time), no
    ``server:`` banner and no access log.

    Raises:
        InvalidInputError: ``auth`` is :data:`~crampkit.server.INSECURE_NO_AUTH`, or ``try_page`` is true, and
            ``host`` is not a loopback address.

    .. versionadded:: 0.2

    .. versionchanged:: 0.2
       ``knowledge_base`` and ``limits``.

    .. versionchanged:: 0.2
       ``try_page``, on loopback only.
    """
    import uvicorn  # noqa: PLC0415 - only needed to serve

    problems = [
        Problem(("--host",), ProblemCode.CONFLICT, message, location="--host")
        for message in (
            f"--insecure-no-auth listens on loopback only (127.0.0.1, ::1, localhost), not {host!r}"
            if auth == INSECURE_NO_AUTH
            else None,
            f"the try-it page is served on loopback only (127.0.0.1, ::1, localhost), not {host!r}"
            if try_page is True
            else None,
        )
        if message is not None and not is_loopback(host)
    ]
    if problems:
        raise InvalidInputError(problems)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s %(levelname)s %(message)s")
    limits = limits or Limits()
    app = create_app(
        knowledge_base,
        auth=auth,
        allowed_origins=allowed_origins,
        region=region,
        language=language,
        limits=limits,
        try_page=try_page,
    )
    uvicorn.Server(uvicorn_config(app, host, port, limits)).run()
