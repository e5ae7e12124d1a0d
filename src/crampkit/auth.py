"""Authentication of CDS Clients, as CDS Hooks 2.0 asks (the ``server`` extra).

A CDS Client sends ``Authorization: Bearer <JWT>`` with every call: a JSON
Web Token signed with the client's private key (never ``none``, never a
symmetric algorithm), whose header names the key (``kid``) and may name the
JWK Set that holds it (``jku``), and whose payload has ``iss``, ``aud`` (the
URL of the endpoint called), ``exp``, ``iat`` and ``jti``. The service
verifies it against the issuers the deployment trusts, each configured with
its JWK Set URL and/or static public keys: see :class:`~crampkit.auth.AuthConfig` and
:doc:`/ehr` ("Authentication"). PyJWT (with cryptography) checks the
signatures; crampkit checks everything else itself.

Importing :mod:`crampkit` never imports this module.

.. versionadded:: 0.2
"""

import asyncio
import heapq
import ipaddress
import json
import re
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable, Sequence
from enum import StrEnum
from typing import Annotated, Any

import attrs
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec, ed448, ed25519, rsa
from jwt import PyJWK, PyJWS
from jwt.exceptions import PyJWTError

from crampkit._model.checks import checked
from crampkit._model.constraints import Code, OneOf, Range, Text, check_not_empty
from crampkit.exceptions import InvalidInputError, Problem, ProblemCode

__all__ = ["ASYMMETRIC_ALGORITHMS", "AuthConfig", "AuthProblem", "PublicKey", "TrustedIssuer", "is_loopback"]

ASYMMETRIC_ALGORITHMS = ("ES256", "ES384", "ES512", "RS256", "RS384", "RS512", "PS256", "PS384", "PS512", "EdDSA")
"""The signing algorithms crampkit accepts, as named by JWA (RFC 7518); CDS Hooks forbids ``none`` and HMAC ones."""

MAX_TOKEN_CHARS = 16_384
"""Longest ``Authorization`` header value read, in characters."""
MAX_JWKS_BYTES = 256_000
"""Largest JWK Set document read, in bytes."""

_CURVES = {"ES256": "secp256r1", "ES384": "secp384r1", "ES512": "secp521r1"}
_PublicKey = rsa.RSAPublicKey | ec.EllipticCurvePublicKey | ed25519.Ed25519PublicKey | ed448.Ed448PublicKey

_URL = Code(
    r"https?://[^\s/?#]+(?:/[^\s?#]*)?", "an http or https URL with no query or fragment", "https://ehr.example.org"
)
_ISSUER = Text(max_length=2000)
_KID = Text(max_length=200)
_PEM = Code(
    r"\s*-----BEGIN PUBLIC KEY-----[A-Za-z0-9+/=\s]+-----END PUBLIC KEY-----\s*",
    "a PEM public key (-----BEGIN PUBLIC KEY----- ...)",
    "-----BEGIN PUBLIC KEY-----\nMFkw...\n-----END PUBLIC KEY-----",
)
_ALGORITHM = OneOf(ASYMMETRIC_ALGORITHMS)


def is_loopback(host: str) -> bool:
    """Whether ``host`` (a name or an address) is this machine only: ``localhost``, ``127.0.0.0/8`` or ``::1``.

    .. versionadded:: 0.2
    """
    name = host.strip("[]").lower()
    if name == "localhost":
        return True
    try:
        return ipaddress.ip_address(name).is_loopback
    except ValueError:
        return False


class AuthProblem(StrEnum):
    """Why a call was refused: the stable ``code`` of the 401 body (and of the 503 of a full replay store).

    .. versionadded:: 0.2
    """

    MISSING_TOKEN = "missing-token"  # noqa: S105 - a problem code, not a password
    MALFORMED_TOKEN = "malformed-token"  # noqa: S105 - same
    UNKNOWN_ISSUER = "unknown-issuer"
    ALGORITHM_NOT_ALLOWED = "algorithm-not-allowed"
    UNTRUSTED_JKU = "untrusted-jku"
    UNKNOWN_KEY = "unknown-key"
    KEYS_UNAVAILABLE = "keys-unavailable"
    BAD_SIGNATURE = "bad-signature"
    MISSING_CLAIM = "missing-claim"
    WRONG_AUDIENCE = "wrong-audience"
    EXPIRED = "expired"
    NOT_YET_VALID = "not-yet-valid"
    LIFETIME_TOO_LONG = "lifetime-too-long"
    REPLAYED = "replayed"
    REPLAY_STORE_FULL = "replay-store-full"


@checked
@attrs.frozen(kw_only=True)
class PublicKey:
    """A static public key of a trusted issuer: its key id (the JWT header's ``kid``) and its PEM text.

    .. versionadded:: 0.2
    """

    kid: Annotated[str, _KID]
    pem: Annotated[str, _PEM]

    def __attrs_post_init__(self) -> None:
        """Refuse a PEM text that is not an RSA, EC (P-256, P-384, P-521) or Ed25519/Ed448 public key."""
        try:
            key = serialization.load_pem_public_key(self.pem.strip().encode())
        except ValueError:
            key = None
        if not isinstance(key, _PublicKey) or (
            isinstance(key, ec.EllipticCurvePublicKey) and key.curve.name not in _CURVES.values()
        ):
            message = "not an RSA, EC (P-256, P-384, P-521), Ed25519 or Ed448 public key"
            raise InvalidInputError([Problem(("pem",), ProblemCode.WRONG_FORMAT, message)])

    def key(self) -> _PublicKey:
        """The key, loaded (checked when the object was made)."""
        key = serialization.load_pem_public_key(self.pem.strip().encode())
        assert isinstance(key, _PublicKey)  # noqa: S101 - checked in __attrs_post_init__
        return key


@checked
@attrs.frozen(kw_only=True)
class TrustedIssuer:
    """A CDS Client (or its identity provider) whose tokens the service accepts.

    Attributes:
        issuer: The token's ``iss``, exactly.
        jwks_url: The URL of its JWK Set. Keys are fetched from here and
            nowhere else: a token whose ``jku`` names another URL is refused.
            ``https`` (``http`` only on a loopback host, for testing).
        public_keys: Static keys, for a client that shares its JWK Set out of band.
        algorithms: The signing algorithms accepted from this issuer (all
            asymmetric ones by default; ``none`` and ``HS*`` cannot be given).

    .. versionadded:: 0.2
    """

    issuer: Annotated[str, _ISSUER]
    jwks_url: Annotated[str, _URL] | None = None
    public_keys: tuple[PublicKey, ...] = ()
    algorithms: tuple[Annotated[str, _ALGORITHM], ...] = attrs.field(
        default=ASYMMETRIC_ALGORITHMS, validator=check_not_empty
    )

    def __attrs_post_init__(self) -> None:
        """Refuse an issuer with no keys, a key id given twice, and a JWK Set URL over plain http to another host."""
        found = []
        if self.jwks_url is None and not self.public_keys:
            found.append(Problem(("jwks_url",), ProblemCode.MISSING, "give jwks_url or public_keys (or both)"))
        if self.jwks_url is not None:
            url = urllib.parse.urlsplit(self.jwks_url)
            if url.scheme == "http" and not is_loopback(url.hostname or ""):
                message = "must be https (http only on a loopback host, for testing)"
                found.append(Problem(("jwks_url",), ProblemCode.WRONG_FORMAT, message))
        kids = [key.kid for key in self.public_keys]
        found += [
            Problem(("public_keys", index, "kid"), ProblemCode.DUPLICATE_ID, f"the key id {kid!r} is given twice")
            for index, kid in enumerate(kids)
            if kid in kids[:index]
        ]
        if found:
            raise InvalidInputError(found)


@checked
@attrs.frozen(kw_only=True)
class AuthConfig:
    """How the CDS Hooks service authenticates its clients (``create_app(auth=...)``, ``[auth]`` of ``--config``).

    Attributes:
        issuers: The issuers trusted, each with its keys.
        audience: The service's base URLs as clients call them (behind a
            reverse proxy: the public URL), such as ``https://cds.example.org``.
            A token's ``aud`` must be the URL of the endpoint called under
            one of them (``https://cds.example.org/cds-services/crampkit-cramps``).
        leeway_seconds: Clock skew allowed on ``exp``, ``iat`` and ``nbf``.
        max_lifetime_seconds: Longest ``exp - iat`` accepted; ``jti`` values
            are remembered for the lifetime of their token.
        jwks_timeout_seconds: Time allowed to fetch a JWK Set.
        jwks_cache_seconds: How long a fetched JWK Set is used before it is fetched again.
        jwks_refetch_seconds: Least time between two fetches of one JWK Set
            (a token with an unknown ``kid`` asks for a fetch; a failed fetch waits this long too).
        max_replay_entries: Most ``jti`` values remembered at once (in memory,
            per process); when it is full of live tokens, calls get 503.
        protect_discovery: Also require a token for ``GET /cds-services``
            (open by default: it lists the services and holds no patient data).

    .. versionadded:: 0.2
    """

    issuers: tuple[TrustedIssuer, ...] = attrs.field(validator=check_not_empty)
    audience: tuple[Annotated[str, _URL], ...] = attrs.field(validator=check_not_empty)
    leeway_seconds: Annotated[int, Range(0, 300, integer=True)] = 60
    max_lifetime_seconds: Annotated[int, Range(1, 86_400, integer=True)] = 600
    jwks_timeout_seconds: Annotated[float, Range(0.05, 60)] = 5.0
    jwks_cache_seconds: Annotated[int, Range(0, 86_400, integer=True)] = 3600
    jwks_refetch_seconds: Annotated[float, Range(0, 3600)] = 30.0
    max_replay_entries: Annotated[int, Range(1, 10_000_000, integer=True)] = 100_000
    protect_discovery: bool = False

    def __attrs_post_init__(self) -> None:
        """Refuse an issuer given twice."""
        names = [issuer.issuer for issuer in self.issuers]
        found = [
            Problem(("issuers", index, "issuer"), ProblemCode.DUPLICATE_ID, f"the issuer {name!r} is given twice")
            for index, name in enumerate(names)
            if name in names[:index]
        ]
        if found:
            raise InvalidInputError(found)


@attrs.frozen
class Refusal:
    """A call refused: the code, a short reason, and the HTTP status (401, or 503 for a full replay store)."""

    code: AuthProblem
    detail: str
    status: int = 401


class _RefusedError(Exception):
    def __init__(self, code: AuthProblem, detail: str, status: int = 401) -> None:
        super().__init__(detail)
        self.refusal = Refusal(code, detail, status)


def _fits(algorithm: str, key: _PublicKey) -> bool:
    """Whether ``key`` is of the kind ``algorithm`` signs with (an RS/PS key is RSA, ES256 is P-256, ...)."""
    if algorithm.startswith(("RS", "PS")):
        return isinstance(key, rsa.RSAPublicKey)
    if algorithm in _CURVES:
        return isinstance(key, ec.EllipticCurvePublicKey) and key.curve.name == _CURVES[algorithm]
    return isinstance(key, ed25519.Ed25519PublicKey | ed448.Ed448PublicKey)


class _NoRedirects(urllib.request.HTTPRedirectHandler):
    """A JWK Set is read from its configured URL only: a redirect is an error."""

    def redirect_request(self, *_args: Any, **_kwargs: Any) -> None:  # noqa: ANN401 - urllib's signature
        return None


def _read_jwks(url: str, timeout: float) -> dict[str, _PublicKey]:
    """Fetch the JWK Set at ``url`` within ``timeout`` seconds; its usable public keys by ``kid``.

    Raises:
        OSError: It could not be fetched in time, or was too large.
        ValueError: It is not a JWK Set.
    """
    deadline = time.monotonic() + timeout
    opener = urllib.request.build_opener(_NoRedirects())
    request = urllib.request.Request(url, headers={"Accept": "application/json"})  # noqa: S310 - configured URL
    body = b""
    with opener.open(request, timeout=timeout) as response:
        while chunk := response.read(65_536):
            body += chunk
            if len(body) > MAX_JWKS_BYTES or time.monotonic() > deadline:
                raise OSError("the JWK Set is too large or too slow")
    document = json.loads(body)
    keys: dict[str, _PublicKey] = {}
    for jwk in document["keys"]:
        if not isinstance(jwk, dict) or "d" in jwk or jwk.get("use", "sig") != "sig":
            continue
        try:
            key = PyJWK(jwk).key
        except (PyJWTError, ValueError, KeyError, TypeError):
            continue  # a key crampkit cannot use is left out; a token naming it gets unknown-key
        if isinstance(jwk.get("kid"), str) and isinstance(key, _PublicKey):
            keys.setdefault(jwk["kid"], key)
    return keys


@attrs.define
class _KeySet:
    """One JWK Set URL: the keys last fetched, when, and when a fetch was last tried."""

    url: str
    keys: dict[str, _PublicKey] = attrs.field(factory=dict)
    fetched: float | None = None
    tried: float | None = None
    lock: asyncio.Lock = attrs.field(factory=asyncio.Lock)


class _Replays:
    """The ``jti`` values seen, each until its token expires (in memory, bounded)."""

    def __init__(self, limit: int) -> None:
        self.limit = limit
        self.until: dict[tuple[str, str], float] = {}
        self.queue: list[tuple[float, tuple[str, str]]] = []

    def add(self, key: tuple[str, str], until: float, now: float) -> None:
        while self.queue and self.queue[0][0] <= now:
            _, old = heapq.heappop(self.queue)
            del self.until[old]
        if key in self.until:
            raise _RefusedError(AuthProblem.REPLAYED, "this token (its jti) has been used already")
        if len(self.until) >= self.limit:
            raise _RefusedError(AuthProblem.REPLAY_STORE_FULL, "too many live tokens; try again shortly", 503)
        self.until[key] = until
        heapq.heappush(self.queue, (until, key))


def _bearer(authorization: str | None) -> str:
    if authorization is None:
        raise _RefusedError(AuthProblem.MISSING_TOKEN, "an Authorization: Bearer token is required")
    scheme, _, token = authorization.strip().partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        raise _RefusedError(AuthProblem.MISSING_TOKEN, "an Authorization: Bearer token is required")
    if len(token) > MAX_TOKEN_CHARS:
        raise _RefusedError(AuthProblem.MALFORMED_TOKEN, "the token is too long")
    return token.strip()


def _unverified(token: str) -> tuple[dict[str, Any], dict[str, Any]]:
    """The token's header and claims, before any check."""
    try:
        parts = PyJWS().decode_complete(token, options={"verify_signature": False})
        claims = json.loads(parts["payload"])
    except (PyJWTError, ValueError) as exc:
        raise _RefusedError(AuthProblem.MALFORMED_TOKEN, "not a signed JWT (JWS compact serialization)") from exc
    if not isinstance(claims, dict):
        raise _RefusedError(AuthProblem.MALFORMED_TOKEN, "the token's payload is not a JSON object")
    return parts["header"], claims


def _number(claims: dict[str, Any], name: str) -> float:
    value = claims.get(name)
    if value is None:
        raise _RefusedError(AuthProblem.MISSING_CLAIM, f"the token has no {name}")
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise _RefusedError(AuthProblem.MALFORMED_TOKEN, f"the token's {name} is not a number")
    return float(value)


class Authenticator:
    """Checks the ``Authorization`` header of each call against an :class:`AuthConfig` (one per application)."""

    def __init__(self, config: AuthConfig, *, clock: Callable[[], float] = time.time) -> None:
        self.config = config
        self.clock = clock
        self.issuers = {issuer.issuer: issuer for issuer in config.issuers}
        self.static = {issuer.issuer: {key.kid: key.key() for key in issuer.public_keys} for issuer in config.issuers}
        self.sets = {issuer.jwks_url: _KeySet(issuer.jwks_url) for issuer in config.issuers if issuer.jwks_url}
        self.bases = tuple(url.rstrip("/") for url in config.audience)
        self.replays = _Replays(config.max_replay_entries)

    async def check(self, authorization: str | None, endpoints: Sequence[str]) -> Refusal | None:
        """Why the call must be refused, or ``None`` when its token is good for one of ``endpoints``.

        ``endpoints`` are paths (``/cds-services/crampkit-cramps``); the
        token's ``aud`` must be one of them under a configured base URL. A
        good token's ``jti`` is remembered: the same token is refused next time.
        """
        try:
            await self._check(authorization, endpoints)
        except _RefusedError as refused:
            return refused.refusal
        return None

    async def _check(self, authorization: str | None, endpoints: Sequence[str]) -> None:
        token = _bearer(authorization)
        header, claims = _unverified(token)
        named = claims.get("iss")
        issuer = self.issuers.get(named) if isinstance(named, str) else None
        if issuer is None:
            raise _RefusedError(AuthProblem.UNKNOWN_ISSUER, "the token's issuer (iss) is not trusted here")
        algorithm = header.get("alg")
        if not isinstance(algorithm, str) or algorithm not in issuer.algorithms:
            raise _RefusedError(AuthProblem.ALGORITHM_NOT_ALLOWED, "the token's algorithm (alg) is not allowed")
        if "crit" in header or str(header.get("typ", "JWT")).upper() != "JWT":
            raise _RefusedError(AuthProblem.MALFORMED_TOKEN, "the token's header has a typ or crit not understood")
        kid = header.get("kid")
        if not isinstance(kid, str) or not kid:
            raise _RefusedError(AuthProblem.MALFORMED_TOKEN, "the token's header has no key id (kid)")
        jku = header.get("jku")
        if jku is not None and jku != issuer.jwks_url:
            raise _RefusedError(AuthProblem.UNTRUSTED_JKU, "the token's jku is not the issuer's configured JWK Set")
        key = self.static[issuer.issuer].get(kid) or await self._fetched_key(issuer, kid)
        if not _fits(algorithm, key):
            raise _RefusedError(AuthProblem.ALGORITHM_NOT_ALLOWED, "the token's algorithm does not fit its key")
        try:
            PyJWS().decode_complete(token, key=key, algorithms=[algorithm])
        except PyJWTError as exc:  # InvalidSignatureError: the rest was checked above
            raise _RefusedError(AuthProblem.BAD_SIGNATURE, "the token's signature does not verify") from exc
        self._claims(issuer.issuer, claims, endpoints)

    def _claims(self, issuer: str, claims: dict[str, Any], endpoints: Sequence[str]) -> None:
        config = self.config
        now = self.clock()
        expires, issued = _number(claims, "exp"), _number(claims, "iat")
        if expires <= now - config.leeway_seconds:
            raise _RefusedError(AuthProblem.EXPIRED, "the token has expired")
        not_before = issued if "nbf" not in claims else _number(claims, "nbf")
        if max(issued, not_before) > now + config.leeway_seconds:
            raise _RefusedError(AuthProblem.NOT_YET_VALID, "the token is not valid yet (iat or nbf is in the future)")
        if expires <= issued:
            raise _RefusedError(AuthProblem.MALFORMED_TOKEN, "the token's exp is not after its iat")
        if expires - issued > config.max_lifetime_seconds:
            raise _RefusedError(AuthProblem.LIFETIME_TOO_LONG, "the token lives longer than this service accepts")
        audience = claims.get("aud")
        if audience is None:
            raise _RefusedError(AuthProblem.MISSING_CLAIM, "the token has no aud")
        given = [audience] if isinstance(audience, str) else audience if isinstance(audience, list) else []
        wanted = {base + endpoint for base in self.bases for endpoint in endpoints}
        if not any(isinstance(value, str) and value in wanted for value in given):
            raise _RefusedError(AuthProblem.WRONG_AUDIENCE, "the token's aud is not the URL of this endpoint")
        jti = claims.get("jti")
        if not isinstance(jti, str) or not jti or len(jti) > 1000:  # noqa: PLR2004 - a sanity bound
            raise _RefusedError(AuthProblem.MISSING_CLAIM, "the token has no jti (a string of at most 1000 characters)")
        self.replays.add((issuer, jti), expires + config.leeway_seconds, now)

    async def _fetched_key(self, issuer: TrustedIssuer, kid: str) -> _PublicKey:
        """The key ``kid`` of the issuer's JWK Set: cached; fetched when stale or ``kid`` is new (rate-limited)."""
        if issuer.jwks_url is None:
            raise _RefusedError(AuthProblem.UNKNOWN_KEY, "the token's key (kid) is not one of the issuer's")
        keys = self.sets[issuer.jwks_url]
        config = self.config
        async with keys.lock:
            now = self.clock()
            stale = keys.fetched is None or now - keys.fetched >= config.jwks_cache_seconds
            may = keys.tried is None or now - keys.tried >= config.jwks_refetch_seconds
            if (stale or kid not in keys.keys) and may:
                keys.tried = now
                timeout = config.jwks_timeout_seconds
                try:
                    fetched = await asyncio.wait_for(asyncio.to_thread(_read_jwks, keys.url, timeout), timeout)
                except (OSError, ValueError, KeyError, TypeError, TimeoutError):
                    pass  # the keys fetched before, if any, are used until a fetch succeeds
                else:
                    keys.keys, keys.fetched = fetched, now
        if kid in keys.keys:
            return keys.keys[kid]
        if keys.fetched is None:
            raise _RefusedError(AuthProblem.KEYS_UNAVAILABLE, "the issuer's JWK Set could not be fetched")
        raise _RefusedError(AuthProblem.UNKNOWN_KEY, "the token's key (kid) is not one of the issuer's")


def www_authenticate(refusal: Refusal) -> str:
    """The ``WWW-Authenticate`` value of a 401 (RFC 6750, section 3): no error code when no token was sent."""
    if refusal.code is AuthProblem.MISSING_TOKEN:
        return 'Bearer realm="crampkit"'
    detail = re.sub(r'["\\]', "", refusal.detail)
    return f'Bearer realm="crampkit", error="invalid_token", error_description="{detail}"'
