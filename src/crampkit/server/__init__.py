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

Every call is read within :class:`~crampkit.server.Limits` (``create_app(limits=...)``,
``[limits]`` of ``crampkit serve --config``): a JSON body only
(:data:`JSON_MEDIA_TYPES`, else 415), its size counted while it streams in
(413 as soon as it passes the limit), its time bounded (408), its nesting
and strings checked before any FHIR is read; error bodies list at most
``max_problems`` problems in at most :data:`MAX_ERROR_BYTES` bytes. The
FHIR and the guidance are worked out in worker threads, so one large call
does not hold up the others. The answer to a call is kept
(``Limits.cached_answers``) and given again, with the new call's uuids, when
the same patient data comes again, as it does each time a chart is opened.
``crampkit serve`` also closes connections whose request headers come too
slowly.

Run it with ``crampkit serve``, or mount the app in your own ASGI server.

.. versionadded:: 0.2
"""

from crampkit.auth import AuthConfig, AuthProblem, PublicKey, TrustedIssuer
from crampkit.server._app import INSECURE_NO_AUTH, create_app, run
from crampkit.server._discovery import LANGUAGE_EXTENSION, ORDER_SELECT_ID, PATIENT_VIEW_ID, REGION_EXTENSION
from crampkit.server._errors import MAX_ERROR_BYTES
from crampkit.server._limits import JSON_MEDIA_TYPES, Limits

__all__ = [
    "INSECURE_NO_AUTH",
    "JSON_MEDIA_TYPES",
    "LANGUAGE_EXTENSION",
    "MAX_BODY_BYTES",
    "MAX_ERROR_BYTES",
    "ORDER_SELECT_ID",
    "PATIENT_VIEW_ID",
    "REGION_EXTENSION",
    "AuthConfig",
    "AuthProblem",
    "Limits",
    "PublicKey",
    "TrustedIssuer",
    "create_app",
    "run",
]

MAX_BODY_BYTES = Limits().max_body_bytes
"""Largest request body accepted by default, in bytes (:attr:`Limits.max_body_bytes`)."""
