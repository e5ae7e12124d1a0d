"""Authentication of CDS Clients (CDS Hooks 2.0, "Trusting CDS Clients"), over HTTP on loopback.

A real uvicorn serves the app; a tiny JWK Set server in a thread serves the
client's public keys on another free loopback port. Tokens are signed with
keys generated for the session.
"""

import asyncio
import base64
import hashlib
import hmac
import http.server
import io
import json
import subprocess
import sys
import threading
import time
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import jwt
import pytest
from cryptography.hazmat.primitives.asymmetric import ec, ed25519, rsa
from hypothesis import given
from hypothesis import strategies as st

from crampkit import server
from crampkit.auth import (
    AuthConfig,
    Authenticator,
    AuthProblem,
    PublicKey,
    TrustedIssuer,
    _read_jwks,
    is_loopback,
)
from crampkit.cli import main
from crampkit.exceptions import InvalidInputError
from crampkit.server import INSECURE_NO_AUTH, ORDER_SELECT_ID, PATIENT_VIEW_ID, create_app
from fhirkit import hook_request
from servekit import AUDIENCE, pem, serving
from servekit import http as request

ISSUER = "https://ehr.example.com"
EC_KEY = ec.generate_private_key(ec.SECP384R1())
RSA_KEY = rsa.generate_private_key(public_exponent=65537, key_size=2048)
OTHER_EC_KEY = ec.generate_private_key(ec.SECP384R1())
P256_KEY = ec.generate_private_key(ec.SECP256R1())
SERVICE = f"/cds-services/{PATIENT_VIEW_ID}"


def b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def jwk(key: Any, kid: str, **extra: Any) -> dict[str, Any]:
    """The public JWK of ``key``, with its ``kid``."""
    public = key.public_key()
    algorithm = jwt.algorithms.RSAAlgorithm if isinstance(public, rsa.RSAPublicKey) else jwt.algorithms.ECAlgorithm
    return dict(json.loads(algorithm.to_jwk(public))) | {"kid": kid, **extra}


class Jwks:
    """A JWK Set server on a free loopback port, in a thread: ``/jwks`` (mutable ``keys``), ``/slow``, ``/other``."""

    def __init__(self) -> None:
        self.keys: list[Any] = [jwk(EC_KEY, "ec-1"), jwk(RSA_KEY, "rsa-1")]
        self.fetches = 0
        self.release = threading.Event()
        outer = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                if self.path == "/slow":
                    outer.release.wait(10)
                    body = b'{"keys": []}'
                elif self.path == "/redirect":
                    self.send_response(302)
                    self.send_header("Location", "/jwks")
                    self.end_headers()
                    return
                elif self.path == "/huge":
                    body = b'{"keys": [' + b" " * 300_000 + b"]}"
                elif self.path == "/not-json":
                    body = b"<html>"
                else:
                    outer.fetches += 1
                    body = json.dumps({"keys": outer.keys}).encode()
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *_args: object) -> None:
                pass

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def stop(self) -> None:
        self.release.set()
        self.server.shutdown()
        self.server.server_close()
        self.thread.join(timeout=10)


@pytest.fixture(scope="module")
def jwks() -> Iterator[Jwks]:
    keys = Jwks()
    yield keys
    keys.stop()


def config(jwks: Jwks, **settings: Any) -> AuthConfig:
    issuers = (
        TrustedIssuer(issuer=ISSUER, jwks_url=f"{jwks.url}/jwks"),
        TrustedIssuer(issuer="https://slow.example", jwks_url=f"{jwks.url}/slow"),
        TrustedIssuer(issuer="https://static.example", public_keys=(PublicKey(kid="s", pem=pem(RSA_KEY)),)),
    )
    return AuthConfig(issuers=issuers, audience=(AUDIENCE + "/",), jwks_timeout_seconds=0.3, **settings)


@pytest.fixture(scope="module")
def base_url(jwks: Jwks) -> Iterator[str]:
    yield from serving(create_app(auth=config(jwks)))


def claims(path: str = SERVICE, **changes: Any) -> dict[str, Any]:
    now = int(time.time())
    return {"iss": ISSUER, "aud": AUDIENCE + path, "iat": now, "exp": now + 120, "jti": str(uuid.uuid4())} | changes


def sign(payload: object, key: Any = EC_KEY, alg: str = "ES384", **header: Any) -> str:
    """A token of ``payload`` (any JSON value, checked or not), signed with ``key``."""
    return jwt.PyJWS().encode(json.dumps(payload).encode(), key, algorithm=alg, headers={"kid": "ec-1"} | header)


def compact(header: dict[str, Any], payload: dict[str, Any], signature: bytes = b"") -> str:
    """A token put together by hand (for what PyJWT refuses to make)."""
    return f"{b64(json.dumps(header).encode())}.{b64(json.dumps(payload).encode())}.{b64(signature)}"


def post(base_url: str, bearer: str | None, path: str = SERVICE) -> tuple[int, dict[str, str], Any]:
    return request(base_url, path, hook_request(), bearer=bearer)


def refused(base_url: str, bearer: str | None, code: str, path: str = SERVICE) -> None:
    status, headers, body = post(base_url, bearer, path)
    assert (status, body["error"], body["code"]) == (401, "unauthorized", code), body
    assert headers["www-authenticate"].startswith('Bearer realm="crampkit"')
    assert set(body) == {"error", "code", "detail"}


# -- the "Must show" cases --------------------------------------------------------------------------


def test_a_valid_token_gets_cards(base_url: str) -> None:
    status, _, body = post(base_url, sign(claims()))
    assert status == 200
    assert body["cards"]


def test_a_valid_token_with_aud_as_an_array_and_an_rsa_key(base_url: str) -> None:
    token = sign(claims(aud=["https://else.example", AUDIENCE + SERVICE]), RSA_KEY, "RS384", kid="rsa-1")
    assert post(base_url, token)[0] == 200


def test_no_token_is_refused_with_a_bare_challenge(base_url: str) -> None:
    status, headers, body = post(base_url, None)
    assert (status, body["code"]) == (401, "missing-token")
    assert headers["www-authenticate"] == 'Bearer realm="crampkit"'
    for header in (f"Basic {sign(claims())}", "Bearer ", "Bearer"):
        status, headers, body = request(
            base_url, SERVICE, hook_request(), bearer=None, headers={"Authorization": header}
        )
        assert (status, body["code"], headers["www-authenticate"]) == (401, "missing-token", 'Bearer realm="crampkit"')


def test_garbage_is_refused(base_url: str) -> None:
    refused(base_url, "garbage", "malformed-token")
    refused(base_url, "a.b.c", "malformed-token")
    refused(base_url, "x" * 20_000, "malformed-token")
    _, headers, _ = post(base_url, "garbage")
    assert 'error="invalid_token"' in headers["www-authenticate"]


def test_a_wrong_signature_is_refused(base_url: str) -> None:
    refused(base_url, sign(claims(), OTHER_EC_KEY), "bad-signature")


def test_a_token_for_another_endpoint_is_refused(base_url: str) -> None:
    refused(base_url, sign(claims(aud=AUDIENCE + f"/cds-services/{ORDER_SELECT_ID}")), "wrong-audience")
    refused(base_url, sign(claims(aud="https://other.example" + SERVICE)), "wrong-audience")
    refused(base_url, sign(claims(aud=[1, 2])), "wrong-audience")
    refused(base_url, sign(claims(aud={"a": 1})), "wrong-audience")


def test_an_expired_token_is_refused(base_url: str) -> None:
    now = int(time.time())
    refused(base_url, sign(claims(iat=now - 400, exp=now - 100)), "expired")


def test_a_token_issued_in_the_future_is_refused(base_url: str) -> None:
    now = int(time.time())
    refused(base_url, sign(claims(iat=now + 120, exp=now + 300)), "not-yet-valid")
    refused(base_url, sign(claims(nbf=now + 120)), "not-yet-valid")


def test_small_clock_skew_is_allowed(base_url: str) -> None:
    now = int(time.time())
    assert post(base_url, sign(claims(iat=now + 30, exp=now - 30 + 120)))[0] == 200
    assert post(base_url, sign(claims(iat=now - 200, exp=now - 30)))[0] == 200


def test_alg_none_is_refused(base_url: str) -> None:
    refused(base_url, compact({"alg": "none", "typ": "JWT", "kid": "ec-1"}, claims()), "algorithm-not-allowed")
    refused(base_url, compact({"typ": "JWT", "kid": "ec-1"}, claims()), "algorithm-not-allowed")


def test_hs256_forged_with_the_public_key_is_refused(base_url: str) -> None:
    header, payload = {"alg": "HS256", "typ": "JWT", "kid": "s"}, claims(iss="https://static.example")
    signing_input = f"{b64(json.dumps(header).encode())}.{b64(json.dumps(payload).encode())}".encode()
    signature = hmac.new(pem(RSA_KEY).encode(), signing_input, hashlib.sha256).digest()
    refused(base_url, compact(header, payload, signature), "algorithm-not-allowed")


def test_an_unknown_issuer_is_refused(base_url: str) -> None:
    refused(base_url, sign(claims(iss="https://evil.example")), "unknown-issuer")
    refused(base_url, sign(claims(iss=["https://ehr.example.com"])), "unknown-issuer")
    refused(base_url, sign({k: v for k, v in claims().items() if k != "iss"}), "unknown-issuer")


def test_a_jku_pointing_elsewhere_is_refused(base_url: str, jwks: Jwks) -> None:
    refused(base_url, sign(claims(), jku="https://evil.example/jwks"), "untrusted-jku")
    refused(base_url, sign(claims(), jku=f"{jwks.url}/other"), "untrusted-jku")
    assert post(base_url, sign(claims(), jku=f"{jwks.url}/jwks"))[0] == 200


def test_a_replayed_jti_is_refused(base_url: str) -> None:
    token = sign(claims())
    assert post(base_url, token)[0] == 200
    refused(base_url, token, "replayed")
    refused(
        base_url, sign(claims(jti=json.loads(base64.urlsafe_b64decode(token.split(".")[1] + "==="))["jti"])), "replayed"
    )


def test_a_jwks_that_does_not_answer_in_time_is_a_401_not_a_hang(base_url: str) -> None:
    started = time.monotonic()
    refused(base_url, sign(claims(iss="https://slow.example")), "keys-unavailable")
    assert time.monotonic() - started < 2


# -- the rest of the rules --------------------------------------------------------------------------


def test_a_token_that_lives_too_long_is_refused(base_url: str) -> None:
    now = int(time.time())
    refused(base_url, sign(claims(exp=now + 3600)), "lifetime-too-long")


def test_a_token_that_expires_before_it_was_issued_is_refused(base_url: str) -> None:
    now = int(time.time())
    refused(base_url, sign(claims(iat=now + 30, exp=now + 20)), "malformed-token")  # exp < iat, both within leeway


def test_required_claims(base_url: str) -> None:
    for name in ("exp", "iat", "aud", "jti"):
        refused(base_url, sign({k: v for k, v in claims().items() if k != name}), "missing-claim")
    refused(base_url, sign(claims(jti="")), "missing-claim")
    refused(base_url, sign(claims(jti="j" * 1001)), "missing-claim")
    refused(base_url, sign(claims(exp="soon")), "malformed-token")
    refused(base_url, sign(claims(iat=True)), "malformed-token")


def test_the_header_must_name_its_key_and_be_a_plain_jwt(base_url: str) -> None:
    refused(base_url, jwt.encode(claims(), EC_KEY, algorithm="ES384"), "malformed-token")
    refused(base_url, sign(claims(), kid=""), "malformed-token")
    refused(base_url, sign(claims(), typ="JOSE+JSON"), "malformed-token")
    refused(base_url, sign(claims(), crit=["exp"]), "malformed-token")
    refused(base_url, sign([1, 2]), "malformed-token")


def test_an_unknown_key_is_refused(base_url: str) -> None:
    refused(base_url, sign(claims(), kid="nobody"), "unknown-key")
    refused(base_url, sign(claims(iss="https://static.example"), RSA_KEY, "RS384", kid="nobody"), "unknown-key")


def test_a_key_of_the_wrong_kind_for_the_algorithm_is_refused(base_url: str) -> None:
    refused(base_url, sign(claims(), RSA_KEY, "RS384", kid="ec-1"), "algorithm-not-allowed")
    refused(base_url, sign(claims(), P256_KEY, "ES256"), "algorithm-not-allowed")
    refused(base_url, sign(claims(), EC_KEY, "ES384", kid="rsa-1"), "algorithm-not-allowed")


def test_a_static_public_key(base_url: str) -> None:
    token = sign(claims(iss="https://static.example"), RSA_KEY, "PS256", kid="s")
    assert post(base_url, token)[0] == 200


def test_discovery_is_open_and_feedback_is_authenticated(base_url: str) -> None:
    assert request(base_url, "/cds-services", bearer=None)[0] == 200
    feedback = {
        "feedback": [
            {
                "card": "c",
                "outcome": "accepted",
                "acceptedSuggestions": [{"id": "s"}],
                "outcomeTimestamp": "2026-11-25T10:00:00Z",
            }
        ]
    }
    path = f"{SERVICE}/feedback"
    assert request(base_url, path, feedback, bearer=sign(claims(path)))[0] == 200
    assert request(base_url, path, feedback, bearer=sign(claims()))[0] == 200  # the service's URL will do
    status, _, body = request(base_url, path, feedback, bearer=None)
    assert (status, body["code"]) == (401, "missing-token")


def test_an_unknown_service_needs_a_token_before_it_is_a_404(base_url: str) -> None:
    refused(base_url, None, "missing-token", "/cds-services/nope")
    assert post(base_url, sign(claims("/cds-services/nope")), "/cds-services/nope")[0] == 404
    status, _, body = request(base_url, "/cds-services/nope/feedback", {}, bearer=None)
    assert (status, body["code"]) == (401, "missing-token")


def test_discovery_can_be_protected(jwks: Jwks) -> None:
    for url in serving(create_app(auth=config(jwks, protect_discovery=True))):
        status, _, body = request(url, "/cds-services", bearer=None)
        assert (status, body["code"]) == (401, "missing-token")
        assert request(url, "/cds-services", bearer=sign(claims("/cds-services")))[0] == 200


# -- the JWK Set: fetched from its configured URL only, with a timeout, cached ---------------------


def authenticator(jwks: Jwks, clock: list[float], **settings: Any) -> Authenticator:
    return Authenticator(config(jwks, **settings), clock=lambda: clock[0])


def check(auth: Authenticator, token: str, path: str = SERVICE) -> str | None:
    refusal = asyncio.run(auth.check(f"Bearer {token}", [path]))
    return None if refusal is None else refusal.code.value


def test_jwks_is_cached_and_refetched_for_a_new_key_at_most_so_often(jwks: Jwks) -> None:
    now = [time.time()]
    auth = authenticator(jwks, now, jwks_refetch_seconds=60, jwks_cache_seconds=600)
    before = jwks.fetches
    assert check(auth, sign(claims())) is None
    assert check(auth, sign(claims())) is None
    assert jwks.fetches == before + 1  # cached
    new_key = ec.generate_private_key(ec.SECP384R1())
    jwks.keys.append(jwk(new_key, "ec-2"))
    try:
        assert check(auth, sign(claims(), new_key, kid="ec-2")) == "unknown-key"  # too soon to fetch again
        now[0] += 61
        assert check(auth, sign(claims(), new_key, kid="ec-2")) is None  # a new kid: fetched again
        assert jwks.fetches == before + 2
        now[0] += 600
        assert check(auth, sign(claims(iat=int(now[0]), exp=int(now[0]) + 60))) is None  # stale: fetched again
        assert jwks.fetches == before + 3
    finally:
        jwks.keys.pop()


def test_keys_fetched_before_are_used_while_the_jwks_is_down(jwks: Jwks) -> None:
    now = [time.time()]
    auth = authenticator(jwks, now, jwks_refetch_seconds=0, jwks_cache_seconds=0)
    assert check(auth, sign(claims())) is None
    auth.sets[f"{jwks.url}/jwks"].url = f"{jwks.url}/not-json"  # the next fetches fail
    assert check(auth, sign(claims())) is None


def test_a_jwks_is_read_with_care(jwks: Jwks) -> None:
    with pytest.raises(OSError, match="HTTP Error 302"):
        _read_jwks(f"{jwks.url}/redirect", 1)
    with pytest.raises(OSError, match="too large"):
        _read_jwks(f"{jwks.url}/huge", 1)
    with pytest.raises(ValueError, match="Expecting value"):
        _read_jwks(f"{jwks.url}/not-json", 1)
    jwks.keys += [
        {"kty": "oct", "kid": "secret", "k": b64(b"s" * 32)},
        jwk(EC_KEY, "private") | {"d": "x"},
        jwk(EC_KEY, "enc", use="enc"),
        {"kty": "RSA", "kid": "broken", "n": "!", "e": "AQAB"},
        {"kty": "EC", "kid": "no-curve"},
        jwk(RSA_KEY, "rsa-1") | {"n": jwk(OTHER_EC_KEY, "x")["x"]},  # the same kid again: the first wins
        "not a key",
        {
            "kty": "OKP",
            "crv": "Ed25519",
            "x": b64(ed25519.Ed25519PrivateKey.generate().public_key().public_bytes_raw()),
        },
    ]
    try:
        keys = _read_jwks(f"{jwks.url}/jwks", 1)
    finally:
        del jwks.keys[2:]
    assert sorted(keys) == ["ec-1", "rsa-1"]
    assert isinstance(keys["rsa-1"], rsa.RSAPublicKey)


def test_an_ed25519_key(jwks: Jwks) -> None:
    key = ed25519.Ed25519PrivateKey.generate()
    jwks.keys.append({"kty": "OKP", "crv": "Ed25519", "kid": "ed", "x": b64(key.public_key().public_bytes_raw())})
    try:
        auth = authenticator(jwks, [time.time()])
        assert check(auth, sign(claims(), key, "EdDSA", kid="ed")) is None
    finally:
        jwks.keys.pop()


# -- the jti store -----------------------------------------------------------------------------------


def test_the_replay_store_forgets_expired_tokens_and_refuses_when_full(jwks: Jwks) -> None:
    now = [time.time()]
    auth = authenticator(jwks, now, max_replay_entries=1)
    assert check(auth, sign(claims())) is None
    refusal = asyncio.run(auth.check(f"Bearer {sign(claims())}", [SERVICE]))
    assert refusal is not None
    assert (refusal.code, refusal.status) == (AuthProblem.REPLAY_STORE_FULL, 503)
    now[0] += 200  # the first token has expired (with the leeway): its jti is forgotten
    assert check(auth, sign(claims(iat=int(now[0]), exp=int(now[0]) + 60))) is None


def test_a_full_replay_store_is_a_503(jwks: Jwks) -> None:
    for url in serving(create_app(auth=config(jwks, max_replay_entries=1))):
        assert post(url, sign(claims()))[0] == 200
        status, headers, body = post(url, sign(claims()))
        assert (status, body["error"], body["code"], headers["retry-after"]) == (
            503,
            "unavailable",
            "replay-store-full",
            "1",
        )


# -- any change to a token refuses it ---------------------------------------------------------------

PROPERTY_AUTH: dict[str, Authenticator] = {}


@given(data=st.data())
def test_any_changed_character_gets_a_401(data: st.DataObject) -> None:
    auth = PROPERTY_AUTH.setdefault(
        "auth",
        Authenticator(
            AuthConfig(
                issuers=(TrustedIssuer(issuer=ISSUER, public_keys=(PublicKey(kid="ec-1", pem=pem(EC_KEY)),)),),
                audience=(AUDIENCE,),
            )
        ),
    )
    token = sign(claims())
    assert check(auth, token) is None
    index = data.draw(st.integers(0, 10_000)) % len(token)  # draws that do not depend on the token (new each time)
    replacement = data.draw(st.characters(codec="ascii"))
    if replacement == token[index]:
        replacement = chr((ord(replacement) + 1) % 128)
    changed = token[:index] + replacement + token[index + 1 :]
    code = check(auth, changed)
    assert code is not None
    if code == "replayed":  # the same token: base64url leaves some bits of a segment's last character unused
        decoded = [base64.urlsafe_b64decode(part + "===") for part in changed.split(".")]
        assert decoded == [base64.urlsafe_b64decode(part + "===") for part in token.split(".")]


# -- configuration -----------------------------------------------------------------------------------


def problems(error: pytest.ExceptionInfo[InvalidInputError]) -> list[tuple[str, str]]:
    return [(problem.location, problem.code.value) for problem in error.value.problems]


def test_the_configuration_is_checked() -> None:
    with pytest.raises(InvalidInputError) as error:
        TrustedIssuer(issuer="https://a", algorithms=("HS256", "none", "ES384"))
    assert problems(error) == [("algorithms[0]", "not-allowed-value"), ("algorithms[1]", "not-allowed-value")]
    with pytest.raises(InvalidInputError) as error:
        TrustedIssuer(issuer="https://a")
    assert problems(error) == [("jwks_url", "missing")]
    with pytest.raises(InvalidInputError) as error:
        TrustedIssuer(issuer="https://a", jwks_url="http://ehr.example/jwks")
    assert problems(error) == [("jwks_url", "wrong-format")]
    key = PublicKey(kid="k", pem=pem(EC_KEY))
    with pytest.raises(InvalidInputError) as error:
        TrustedIssuer(issuer="https://a", public_keys=(key, key))
    assert problems(error) == [("public_keys[1].kid", "duplicate-id")]
    with pytest.raises(InvalidInputError) as error:
        AuthConfig(issuers=(TrustedIssuer(issuer="a", public_keys=(key,)),) * 2, audience=(AUDIENCE,))
    assert problems(error) == [("issuers[1].issuer", "duplicate-id")]
    with pytest.raises(InvalidInputError) as error:
        AuthConfig(issuers=(), audience=("cds.example.org",), leeway_seconds=3600)
    assert [code for _, code in problems(error)] == ["empty", "wrong-format", "out-of-range"]


def test_a_static_key_must_be_a_usable_public_key() -> None:
    with pytest.raises(InvalidInputError, match="not an RSA, EC"):
        PublicKey(kid="k", pem="-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PUBLIC KEY-----")
    with pytest.raises(InvalidInputError, match="not an RSA, EC"):
        PublicKey(kid="k", pem=pem(ec.generate_private_key(ec.SECP256K1())))
    with pytest.raises(InvalidInputError, match="a PEM public key"):
        PublicKey(kid="k", pem="-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----")


def test_neither_crampkit_nor_its_cli_imports_pyjwt() -> None:
    code = (
        "import sys, crampkit, crampkit.cli; "
        "print([m for m in sys.modules if m == 'crampkit.auth' or m.split('.')[0] in {'jwt', 'cryptography'}])"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)  # noqa: S603
    assert done.stdout.strip() == "[]"


def test_is_loopback() -> None:
    assert all(is_loopback(host) for host in ("127.0.0.1", "127.1.2.3", "::1", "[::1]", "localhost", "LOCALHOST"))
    assert not any(is_loopback(host) for host in ("0.0.0.0", "::", "10.0.0.1", "example.org", ""))  # noqa: S104


def test_create_app_needs_an_auth_and_origins() -> None:
    with pytest.raises(InvalidInputError) as error:
        create_app(auth=None, allowed_origins="https://a.example")  # type: ignore[arg-type]
    assert problems(error) == [("create_app(): auth", "wrong-type"), ("create_app(): allowed_origins", "wrong-type")]
    with pytest.raises(InvalidInputError) as error:
        create_app(auth=INSECURE_NO_AUTH, allowed_origins=["https://a.example/path", 3, "*"])  # type: ignore[list-item]
    assert problems(error) == [
        ("create_app(): allowed_origins[0]", "wrong-format"),
        ("create_app(): allowed_origins[1]", "wrong-format"),
    ]


def test_no_auth_is_loud_and_loopback_only(caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level("WARNING", logger="crampkit.server"):
        app = create_app(auth=INSECURE_NO_AUTH)
    assert "AUTHENTICATION IS OFF" in caplog.text
    for url in serving(app):
        assert request(url, SERVICE, hook_request(), bearer=None)[0] == 200
    with pytest.raises(InvalidInputError, match="loopback only"):
        server.run("0.0.0.0", 8000, auth=INSECURE_NO_AUTH)  # noqa: S104


# -- crampkit serve ------------------------------------------------------------------------------------


@pytest.fixture
def served(monkeypatch: pytest.MonkeyPatch) -> list[dict[str, Any]]:
    calls: list[dict[str, Any]] = []
    monkeypatch.setattr(server, "run", lambda host, _port, **settings: calls.append(settings | {"host": host}))
    return calls


def serve(*args: str) -> tuple[int, str]:
    err = io.StringIO()
    return main(["serve", *args], stderr=err), err.getvalue()


def test_serve_with_flags(served: list[dict[str, Any]]) -> None:
    code, _ = serve(
        "--issuer",
        f"{ISSUER}=https://ehr.example.com/jwks",
        "--audience",
        AUDIENCE,
        "--allow-origin",
        "https://a.example",
    )
    assert code == 0
    (settings,) = served
    assert settings["auth"] == AuthConfig(
        issuers=(TrustedIssuer(issuer=ISSUER, jwks_url="https://ehr.example.com/jwks"),), audience=(AUDIENCE,)
    )
    assert settings["allowed_origins"] == ["https://a.example"]


def test_serve_with_a_config_file(served: list[dict[str, Any]], tmp_path: Path) -> None:
    path = tmp_path / "serve.toml"
    path.write_text(
        f"""
[auth]
audience = ["{AUDIENCE}"]
leeway_seconds = 30

[[auth.issuers]]
issuer = "https://static.example"
algorithms = ["RS384"]
public_keys = [{{kid = "s", pem = \"\"\"{pem(RSA_KEY)}\"\"\"}}]

[cors]
allowed_origins = ["https://sandbox.cds-hooks.org"]
""",
        encoding="utf-8",
    )
    assert serve("--config", str(path), "--issuer", f"{ISSUER}=https://ehr.example.com/jwks")[0] == 0
    (settings,) = served
    auth = settings["auth"]
    assert [issuer.issuer for issuer in auth.issuers] == ["https://static.example", ISSUER]
    assert (auth.leeway_seconds, auth.issuers[0].algorithms) == (30, ("RS384",))
    assert settings["allowed_origins"] == ["https://sandbox.cds-hooks.org"]


def test_serve_reads_the_service_and_limits_tables(served: list[dict[str, Any]], tmp_path: Path) -> None:
    """Issue 21: one configuration holds region, language, knowledge base and limits; options replace them."""
    kb = Path(__file__).parent / "data" / "mini.toml"
    (tmp_path / "clinic.toml").write_text(kb.read_text(encoding="utf-8"), encoding="utf-8")
    path = tmp_path / "serve.toml"
    path.write_text(
        '[service]\nregion = "us"\nlanguage = "en"\nknowledge_base = "clinic.toml"\n'
        "[limits]\nmax_body_bytes = 100000\nheader_timeout_seconds = 2.5\n",
        encoding="utf-8",
    )
    assert serve("--config", str(path), "--insecure-no-auth")[0] == 0
    assert serve("--config", str(path), "--insecure-no-auth", "--region", "au", "--knowledge-base", str(kb))[0] == 0
    first, second = served
    assert (first["region"], first["language"], second["region"]) == ("us", "en", "au")
    assert first["knowledge_base"].version == second["knowledge_base"].version == "test-1"  # the file's, relative
    assert first["limits"] == server.Limits(max_body_bytes=100_000, header_timeout_seconds=2.5)


def test_serve_refuses_bad_service_and_limits_tables(served: list[dict[str, Any]], tmp_path: Path) -> None:
    path = tmp_path / "serve.toml"
    path.write_text(
        '[service]\nregion = "mars"\nlanguage = 3\nport = 1\n[limits]\nmax_depth = 1\nspeed = "fast"\n',
        encoding="utf-8",
    )
    code, err = serve("--config", str(path), "--insecure-no-auth")
    assert code == 2
    assert "--config service.port: unknown key (allowed: region, language, knowledge_base, try)" in err
    assert "--config service.language: must be a string" in err
    path.write_text('[service]\nregion = "mars"\n[limits]\nmax_depth = 1\nspeed = "fast"\n', encoding="utf-8")
    code, err = serve("--config", str(path), "--insecure-no-auth")
    assert code == 2
    assert "--config service.region:" in err
    assert "--config limits.max_depth: must be between 8 and 500" in err
    assert "--config limits.speed:" in err
    assert served == []


def test_serve_refuses_a_bad_config_file(served: list[dict[str, Any]], tmp_path: Path) -> None:
    path = tmp_path / "serve.toml"
    path.write_text('[auth]\naudience = "x"\n[cors]\nallowed_origins = "*"\nother = 1\n[extra]\n', encoding="utf-8")
    code, err = serve("--config", str(path), "--audience", AUDIENCE)
    assert code == 2
    assert "--config extra: unknown table" in err
    assert "--config cors.other: unknown key" in err
    assert "--config cors.allowed_origins: must be an array" in err
    path.write_text("auth = 1\ncors = 2\n", encoding="utf-8")
    code, err = serve("--config", str(path))
    assert (code, err.count("must be a table")) == (2, 2)
    path.write_text('[auth]\naudience = "x"\nissuers = []\n', encoding="utf-8")
    code, err = serve("--config", str(path), "--audience", AUDIENCE)
    assert code == 2
    assert "auth.audience: expected an array" in err
    path.write_text("[auth", encoding="utf-8")
    assert serve("--config", str(path))[0] == 2
    assert "cannot be read: no such file" in serve("--config", str(tmp_path / "missing.toml"))[1]
    assert served == []


def test_serve_needs_issuers_or_an_explicit_insecure_mode_on_loopback(served: list[dict[str, Any]]) -> None:
    code, err = serve()
    assert (code, "give --issuer and --audience" in err) == (2, True)
    code, err = serve("--issuer", "no-equals-sign", "--audience", AUDIENCE)
    assert (code, "expected ISS=JWKS_URL" in err) == (2, True)
    code, err = serve("--insecure-no-auth", "--host", "0.0.0.0")  # noqa: S104
    assert (code, "loopback only" in err) == (2, True)
    code, err = serve("--insecure-no-auth", "--audience", AUDIENCE)
    assert (code, "cannot be given with trusted issuers" in err) == (2, True)
    assert served == []
    code, err = serve("--insecure-no-auth", "--host", "::1")
    assert code == 0
    assert "WARNING: authentication is OFF" in err
    assert served == [
        {
            "auth": INSECURE_NO_AUTH,
            "allowed_origins": [],
            "region": "uk",
            "language": "en",
            "knowledge_base": None,
            "limits": server.Limits(),
            "try_page": False,
            "host": "::1",
        }
    ]
