"""Serving crampkit's CDS Hooks app on loopback in tests, and calling it as an authenticated CDS Client.

The CDS Client of the tests signs its tokens with an EC P-256 key (ES256)
whose public key the app trusts as a static key; :func:`http` sends a fresh
token, for the URL it calls, with every request (``token=None`` sends none).
"""

import json
import threading
import time
import urllib.error
import urllib.request
import uuid
from collections.abc import Iterator
from typing import Any

import jwt
import uvicorn
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec

from crampkit.auth import AuthConfig, PublicKey, TrustedIssuer
from crampkit.server import Limits
from crampkit.server._app import uvicorn_config

AUDIENCE = "https://cds.example.org"
"""The service's public base URL as the tests' client calls it (behind a pretend reverse proxy)."""
ISSUER = "https://ehr.example.org"
"""The ``iss`` of the tests' CDS Client."""
CLIENT_KEY = ec.generate_private_key(ec.SECP256R1())
"""The tests' CDS Client's private key (new for each test session)."""


def pem(key: ec.EllipticCurvePrivateKey | Any) -> str:
    """The PEM text of ``key``'s public key."""
    public = key.public_key().public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)
    return str(public.decode())


CLIENT = TrustedIssuer(issuer=ISSUER, public_keys=(PublicKey(kid="test-client", pem=pem(CLIENT_KEY)),))
AUTH = AuthConfig(issuers=(CLIENT,), audience=(AUDIENCE,))
"""The ``auth`` of the apps of tests whose subject is not authentication: the tests' client is trusted."""


def token(path: str, **claims: Any) -> str:
    """A fresh token of the tests' client for the endpoint at ``path`` (``claims`` add to or replace the defaults)."""
    now = int(time.time())
    payload = {"iss": ISSUER, "aud": AUDIENCE + path, "iat": now, "exp": now + 300, "jti": str(uuid.uuid4())}
    return jwt.encode(payload | claims, CLIENT_KEY, algorithm="ES256", headers={"kid": "test-client"})


def serving(app: Any, limits: Limits | None = None) -> Iterator[str]:
    """Serve ``app`` with a real uvicorn on a free loopback port; yield its URL, then stop it.

    With ``limits``, uvicorn is set up as ``crampkit serve`` sets it up (its timeouts and header deadline).
    """
    if limits is None:
        config = uvicorn.Config(app, host="127.0.0.1", port=0, log_level="warning", access_log=False, lifespan="off")
    else:
        config = uvicorn_config(app, "127.0.0.1", 0, limits)
    instance = uvicorn.Server(config)
    thread = threading.Thread(target=instance.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not instance.started:
        assert time.monotonic() < deadline, "uvicorn did not start"
        time.sleep(0.02)
    port = instance.servers[0].sockets[0].getsockname()[1]
    yield f"http://127.0.0.1:{port}"
    instance.should_exit = True
    thread.join(timeout=20)


def http(
    base_url: str,
    path: str,
    body: object = None,
    *,
    method: str | None = None,
    raw: bytes | None = None,
    headers: dict[str, str] | None = None,
    bearer: str | None = "",
) -> tuple[int, dict[str, str], Any]:
    """One request; its status, headers (lower-case names) and body (parsed when JSON).

    ``bearer``: ``""`` (the default) sends a fresh token of the tests' client
    for ``path``; ``None`` sends no ``Authorization`` header; any other
    value is sent as the bearer token.
    """
    data = raw if raw is not None else (None if body is None else json.dumps(body).encode())
    sent = {"Content-Type": "application/json"}
    if bearer is not None:
        sent["Authorization"] = f"Bearer {bearer or token(path)}"
    request = urllib.request.Request(  # noqa: S310 - loopback URL built by the test
        base_url + path, data=data, method=method, headers=sent | (headers or {})
    )
    try:
        with urllib.request.urlopen(request, timeout=30) as response:  # noqa: S310
            status, reply_headers, text = response.status, dict(response.headers), response.read()
    except urllib.error.HTTPError as error:
        status, reply_headers, text = error.code, dict(error.headers), error.read()
    lowered = {k.lower(): v for k, v in reply_headers.items()}
    is_json = lowered.get("content-type", "").startswith("application/json")
    return status, lowered, json.loads(text) if is_json else text.decode()
