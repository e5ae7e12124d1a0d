"""crampkit serve within its limits (issue 21): every reproducer of the load test, against a real uvicorn on loopback.

The body cap holds while the body streams in; nesting, strings and arrays are
checked before any FHIR is read; error bodies stay under 64 KB; slow clients
are cut off; a large call does not hold up the others; feedback is checked.
"""

import json
import logging
import os
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from http.client import HTTPConnection
from pathlib import Path
from typing import Any

import jsonschema
import pytest

import crampkit
from crampkit import InvalidInputError
from crampkit.server import MAX_ERROR_BYTES, PATIENT_VIEW_ID, Limits, _app, create_app
from crampkit.server._errors import bounded
from fhirkit import hook_request
from servekit import AUTH, http, serving, token

SERVICE = f"/cds-services/{PATIENT_VIEW_ID}"
FEEDBACK = f"{SERVICE}/feedback"
SMALL = Limits(
    max_depth=12,
    max_string_chars=100,
    max_array_items=10,
    max_problems=5,
    header_timeout_seconds=0.3,
    body_timeout_seconds=0.3,
    keep_alive_seconds=1,
)


@pytest.fixture(scope="module")
def base_url() -> Iterator[str]:
    """The service with its default limits, served as ``crampkit serve`` serves it."""
    yield from serving(create_app(auth=AUTH), Limits())


@pytest.fixture(scope="module")
def small_url() -> Iterator[str]:
    """The service with small limits and short timeouts, so that tests reach them quickly."""
    yield from serving(create_app(auth=AUTH, limits=SMALL), SMALL)


def _connection(base_url: str) -> HTTPConnection:
    host, port = base_url.removeprefix("http://").split(":")
    return HTTPConnection(host, int(port), timeout=30)


def _port(base_url: str) -> int:
    return int(base_url.rsplit(":", 1)[1])


def test_a_declared_body_over_the_limit_gets_413_before_any_of_it_is_sent(base_url: str) -> None:
    connection = _connection(base_url)
    connection.putrequest("POST", SERVICE)
    connection.putheader("Content-Type", "application/json")
    connection.putheader("Authorization", f"Bearer {token(SERVICE)}")
    connection.putheader("Content-Length", str(Limits().max_body_bytes + 1))
    connection.endheaders()  # and no body: the answer comes without it
    response = connection.getresponse()
    assert response.status == 413
    assert response.getheader("connection") == "close"
    assert json.loads(response.read()) == {"error": "request too large", "limit_bytes": Limits().max_body_bytes}


def test_a_body_over_the_limit_without_a_length_gets_413_once_it_passes_the_limit() -> None:
    body = json.dumps(hook_request()).encode()
    limit = Limits(max_body_bytes=len(body) - 1)
    for url in serving(create_app(auth=AUTH, limits=limit), limit):
        status, headers, reply = http(url, SERVICE, raw=body, headers={"Transfer-Encoding": "chunked"})
        assert status == 413
        assert headers["connection"] == "close"
        assert reply["limit_bytes"] == len(body) - 1
        body = body[:-1]  # exactly at the limit: read
        assert http(url, SERVICE, raw=body, headers={"Transfer-Encoding": "chunked"})[0] == 400  # cut JSON


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _peak_rss_kb(pid: int) -> int:
    status = Path(f"/proc/{pid}/status").read_text(encoding="ascii")
    return int(next(line.split()[1] for line in status.splitlines() if line.startswith("VmHWM:")))


@pytest.mark.skipif(not Path("/proc/self/status").exists(), reason="reads peak memory from /proc")
def test_a_300_mb_chunked_body_is_refused_with_the_server_under_100_mb() -> None:
    """The must-show: ``crampkit serve`` in its own process, its peak memory (VmHWM) read from /proc."""
    port = _free_port()
    env = {key: value for key, value in os.environ.items() if not key.startswith("COV_CORE")}  # the bare server
    command = [sys.executable, "-m", "crampkit", "serve", "--insecure-no-auth", "--port", str(port)]
    server = subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)  # noqa: S603
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                client = socket.create_connection(("127.0.0.1", port), timeout=30)
                break
            except ConnectionRefusedError:
                assert time.monotonic() < deadline, "crampkit serve did not start"
                time.sleep(0.1)
        head = (
            f"POST {SERVICE} HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
            "Transfer-Encoding: chunked\r\n\r\n"
        )
        client.sendall(head.encode())
        megabyte = b"%x\r\n" % (1 << 20) + b" " * (1 << 20) + b"\r\n"
        sent = 0
        with client:
            try:
                for _ in range(300):
                    client.sendall(megabyte)
                    sent += 1
            except OSError:
                pass  # the server closed the connection: it read no further
            try:
                reply = client.recv(1000)
            except OSError:
                reply = b""
        assert sent < 300 or reply.startswith(b"HTTP/1.1 413")
        assert reply.startswith(b"HTTP/1.1 413") or reply == b""
        assert _peak_rss_kb(server.pid) < 100 * 1024
    finally:
        server.terminate()
        server.wait(timeout=30)


def test_only_json_bodies_are_accepted(base_url: str) -> None:
    body = json.dumps(hook_request()).encode()
    for content_type in ("text/plain", "application/x-www-form-urlencoded", "application/json; charset=latin-1", ""):
        status, _, reply = http(base_url, SERVICE, raw=body, headers={"Content-Type": content_type})
        assert status == 415, content_type
        assert reply["accepted"] == ["application/json", "application/fhir+json"]
    for content_type in ("application/json", "Application/JSON; charset=UTF-8", "application/fhir+json;charset=utf-8"):
        assert http(base_url, SERVICE, raw=body, headers={"Content-Type": content_type})[0] == 200, content_type


def _deep(levels: int) -> list[Any]:
    deep: list[Any] = ["x"]
    for _ in range(levels):
        deep = [deep]
    return deep


@pytest.mark.parametrize(
    ("extension", "path", "code"),
    [
        ({"deep": _deep(12)}, ("extension", "deep", *[0] * 10), "too-deep"),
        ({"long": "y" * 101}, ("extension", "long"), "too-long"),
        ({"many": list(range(11))}, ("extension", "many"), "too-many"),
        ({"k" * 101: 1}, ("extension",), "too-long"),
    ],
)
def test_nesting_strings_and_arrays_over_the_limits_get_400_before_any_fhir_is_read(
    small_url: str, extension: dict[str, Any], path: tuple[str | int, ...], code: str
) -> None:
    status, _, reply = http(small_url, SERVICE, hook_request(extension=extension))
    assert status == 400
    assert reply["error"] == "request over the limits"
    assert [(tuple(p["path"]), p["code"]) for p in reply["problems"]] == [(path, code)]


def test_every_limit_passed_is_named_at_once(small_url: str) -> None:
    extension = {"deep": _deep(12), "long": "y" * 101, "many": list(range(11)), "k" * 101: 1}
    status, _, reply = http(small_url, SERVICE, hook_request(extension=extension))
    assert status == 400
    assert {p["code"] for p in reply["problems"]} == {"too-deep", "too-long", "too-many"}
    assert len(reply["problems"]) == 4


def test_a_small_body_is_still_checked_for_nesting(base_url: str) -> None:
    body = json.dumps(_deep(120)).encode()  # shorter than any string or array over the limits could be
    assert len(body) < Limits().max_string_chars
    status, _, reply = http(base_url, SERVICE, raw=body)
    assert (status, [p["code"] for p in reply["problems"]]) == (400, ["too-deep"])


def test_error_bodies_list_the_first_problems_and_count_the_rest(base_url: str) -> None:
    request = hook_request()
    request["prefetch"] |= {f"key{index}": "not a resource " * 20 for index in range(5_000)}
    status, _, reply = http(base_url, SERVICE, request)
    assert status == 400
    assert len(json.dumps(reply).encode()) <= MAX_ERROR_BYTES
    assert len(reply["problems"]) == Limits().max_problems
    assert reply["more_problems"] == 5_000 - Limits().max_problems
    jsonschema.Draft202012Validator(crampkit.error_schema()).validate(reply)
    assert reply["problems"][0]["path"] == ["prefetch", "key0"]


def test_an_error_body_stays_under_64_kb_whatever_the_problems_quote(base_url: str) -> None:
    request = hook_request(hook="x" * 90_000)  # quoted in the message about the hook
    status, _, reply = http(base_url, SERVICE, request)
    assert status == 400
    assert len(json.dumps(reply).encode()) <= MAX_ERROR_BYTES
    assert reply["problems"][0]["path"] == ["hook"]
    assert reply["problems"][0]["message"].endswith("…")


def test_an_error_body_cuts_what_it_quotes_from_the_request(base_url: str) -> None:
    request = hook_request()
    request["prefetch"] |= {f"{index}{'k' * 30_000}": 1 for index in range(4)}  # each problem's path holds its key
    status, _, reply = http(base_url, SERVICE, request)
    assert status == 400
    assert len(json.dumps(reply).encode()) <= 8_000
    assert [len(p["path"][1]) for p in reply["problems"]] == [500] * 4
    assert all(p["path"][1].endswith("…") and len(p["location"]) <= 500 for p in reply["problems"])


def test_an_error_body_too_large_even_when_cut_lists_fewer_problems() -> None:
    problem = {"path": ["x" * 600] * 30, "code": "wrong-type", "message": "m" * 900, "location": "l" * 900}
    shown = bounded({"error": "invalid request", "problems": [problem] * 80}, 50)
    assert len(json.dumps(shown).encode()) <= MAX_ERROR_BYTES
    assert len(shown["problems"]) + shown["more_problems"] == 80
    jsonschema.Draft202012Validator(crampkit.error_schema()).validate(shown)
    assert 0 < len(shown["problems"]) < 50
    assert bounded({"error": "no problems listed"}, 50) == {"error": "no problems listed"}


@pytest.mark.parametrize(
    ("raw", "code", "message"),
    [
        (b'{"a": NaN}', "not-json", "the body is not JSON: NaN is not a JSON number"),
        (b'{"a": -Infinity}', "not-json", "the body is not JSON: -Infinity is not a JSON number"),
        (b'{"a": 1, "a": 2}', "duplicate-key", "the body is not JSON: the key 'a' is given twice in one object"),
        (b"{'a': 1}", "not-json", "the body is not JSON (line 1, column 2)"),
        ('{"a": 1}'.encode("utf-16"), "not-utf8", "the body is not JSON: not UTF-8 (at byte 0)"),
        (
            b'{"a": ' + b"1" * 5_000 + b"}",
            "too-long",
            "the body is not JSON crampkit can read: a number has too many digits",
        ),
    ],
)
def test_json_is_read_strictly_and_problems_are_in_crampkits_words(
    base_url: str, raw: bytes, code: str, message: str
) -> None:
    status, _, reply = http(base_url, SERVICE, raw=raw)
    assert (status, reply["problems"]) == (400, [{"path": [], "code": code, "message": message, "location": ""}])


def test_a_body_that_is_not_an_object_is_a_problem_and_not_a_crash(base_url: str) -> None:
    for raw in (b"1", b'"text"', b"null", b"[]"):
        status, _, reply = http(base_url, SERVICE, raw=raw)
        assert (status, reply["problems"][0]["code"]) == (400, "wrong-type")


def test_the_2_4_million_entry_bundle_answers_small_and_fast_while_another_call_is_served(base_url: str) -> None:
    """The must-show: a 4.8 MB Bundle of 2.4 million entries gave a 398.6 MB error in 14-39 s before."""
    request = hook_request()
    request["prefetch"]["conditions"] = {"resourceType": "Bundle", "type": "collection", "entry": "ENTRIES"}
    body = json.dumps(request).encode().replace(b'"ENTRIES"', b"[" + b",".join([b"0"] * 2_400_000) + b"]")
    assert len(body) > 4_800_000
    other: dict[str, Any] = {}

    def second_client() -> None:
        time.sleep(0.02)
        other["status"] = http(base_url, SERVICE, hook_request())[0]

    thread = threading.Thread(target=second_client)
    started = time.perf_counter()
    thread.start()
    status, _, reply = http(base_url, SERVICE, raw=body)
    elapsed = time.perf_counter() - started
    thread.join(timeout=30)
    assert status == 400
    assert len(json.dumps(reply).encode()) <= MAX_ERROR_BYTES
    assert [(p["path"], p["code"]) for p in reply["problems"]] == [(["prefetch", "conditions", "entry"], "too-many")]
    assert other["status"] == 200
    assert elapsed < 1.0, f"took {elapsed:.2f} s"  # the bound, with the upload included


def test_slow_headers_are_cut_off(small_url: str) -> None:
    with socket.create_connection(("127.0.0.1", _port(small_url)), timeout=10) as client:
        client.sendall(b"POST /cds-services HTTP/1.1\r\nHost: x\r\n")  # and never the end of the headers
        assert client.recv(100) == b""  # closed by the server, after SMALL.header_timeout_seconds


def test_an_idle_connection_is_closed_and_a_kept_alive_one_still_answers(small_url: str) -> None:
    with socket.create_connection(("127.0.0.1", _port(small_url)), timeout=10) as client:
        assert client.recv(100) == b""  # connected and sent nothing
    connection = _connection(small_url)
    for _ in range(2):
        connection.request("GET", "/cds-services")
        assert connection.getresponse().read()
    connection.close()


def test_a_body_that_comes_too_slowly_gets_408(small_url: str) -> None:
    with socket.create_connection(("127.0.0.1", _port(small_url)), timeout=10) as client:
        head = (
            f"POST {SERVICE} HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 100\r\n"
            f"Authorization: Bearer {token(SERVICE)}\r\n\r\n"
        )
        client.sendall(head.encode() + b'{"hook": ')
        reply = b""
        while chunk := client.recv(1000):
            reply += chunk
    assert reply.startswith(b"HTTP/1.1 408")
    assert b'"error":"request timeout"' in reply


def _feedback(**item: Any) -> dict[str, Any]:
    entry = {"card": "c1", "outcome": "overridden", "outcomeTimestamp": "2026-12-07T10:00:00Z"}
    return {"feedback": [{key: value for key, value in (entry | item).items() if value is not None}]}


@pytest.mark.parametrize(
    ("item", "path", "code"),
    [
        ({"outcome": "accepted\nINFO crampkit.server forged=1"}, ["outcome"], "not-allowed-value"),
        ({"outcome": None}, ["outcome"], "missing"),
        ({"outcome": "accepted"}, ["acceptedSuggestions"], "missing"),
        ({"acceptedSuggestions": [{"id": 3}]}, ["acceptedSuggestions"], "wrong-type"),
        ({"outcomeTimestamp": "yesterday"}, ["outcomeTimestamp"], "wrong-format"),
        ({"outcomeTimestamp": "2026-12-07T10:00:00Z" + " " * 60}, ["outcomeTimestamp"], "wrong-format"),
        ({"outcomeTimestamp": 5}, ["outcomeTimestamp"], "wrong-type"),
        ({"card": "c" * 201}, ["card"], "too-long"),
        ({"card": ""}, ["card"], "empty"),
        ({"overrideReason": {"reason": {"code": "x"}, "userComment": "fine"}, "card": 7}, ["card"], "wrong-type"),
        ({"overrideReason": "no"}, ["overrideReason"], "wrong-type"),
        ({"overrideReason": {"reason": "no"}}, ["overrideReason"], "wrong-type"),
        ({"overrideReason": {"userComment": "x" * 2001}}, ["overrideReason"], "wrong-type"),
    ],
)
def test_feedback_is_checked_against_the_specification(
    base_url: str, item: dict[str, Any], path: list[str], code: str
) -> None:
    status, _, reply = http(base_url, FEEDBACK, _feedback(**item))
    assert status == 400
    assert [(p["path"], p["code"]) for p in reply["problems"]] == [(["feedback", 0, *path], code)]


def test_valid_feedback_is_logged_as_counts_only(base_url: str, caplog: pytest.LogCaptureFixture) -> None:
    accepted = _feedback(outcome="accepted", acceptedSuggestions=[{"id": "s1"}])["feedback"]
    overridden = _feedback(overrideReason={"reason": {"code": "x"}, "userComment": "Patient 123 said no"})["feedback"]
    with caplog.at_level(logging.INFO, logger="crampkit.server"):
        assert http(base_url, FEEDBACK, {"feedback": accepted * 2 + overridden})[0] == 200
    logged = "\n".join(record.getMessage() for record in caplog.records if record.name == "crampkit.server")
    assert "feedback accepted=2 overridden=1" in logged
    assert "123" not in logged  # not the comment (the access log of the test's server may show a port with 123)


def test_feedback_of_too_many_or_no_entries_is_refused(base_url: str) -> None:
    entry = _feedback()["feedback"][0]
    status, _, reply = http(base_url, FEEDBACK, {"feedback": ["x", entry]})
    assert (status, reply["problems"]) == (
        400,
        [{"path": ["feedback", 0], "code": "wrong-type", "message": "must be an object", "location": "feedback[0]"}],
    )
    status, _, reply = http(base_url, FEEDBACK, {"feedback": [entry] * 101})
    assert (status, reply["problems"][0]["code"], reply["problems"][0]["max_items"]) == (400, "too-many", 100)
    status, _, reply = http(base_url, FEEDBACK, {"feedback": []})
    assert (status, reply["problems"][0]["code"]) == (400, "empty")


def test_limits_are_checked_when_made() -> None:
    with pytest.raises(InvalidInputError) as info:
        Limits(max_depth=1, worker_threads=0, header_timeout_seconds=float("nan"))
    assert {p.path for p in info.value.problems} == {("max_depth",), ("worker_threads",), ("header_timeout_seconds",)}
    with pytest.raises(InvalidInputError, match="limits"):
        create_app(auth=AUTH, limits={"max_depth": 10})  # type: ignore[arg-type]


# -- found by the blind attack on the service (issue 21) ---------------------------------------------


def test_a_patient_prefetch_that_is_not_a_patient_is_refused(base_url: str) -> None:
    """A child's birth date under a made-up resource type gave 200 with adult self-care and no child card."""
    request = hook_request()
    request["prefetch"]["patient"] |= {"resourceType": "Foo", "birthDate": "2025-06-01"}
    status, _, reply = http(base_url, SERVICE, request)
    assert (status, [(p["path"], p["code"]) for p in reply["problems"]]) == (
        400,
        [(["prefetch", "patient", "resourceType"], "not-allowed-value")],
    )
    empty = hook_request()
    empty["prefetch"]["patient"] = {"resourceType": "Bundle", "type": "searchset", "entry": []}
    status, _, reply = http(base_url, SERVICE, empty)
    assert (status, reply["missing"]) == (412, ["patient"])


def test_two_different_patients_with_one_id_are_a_conflict(base_url: str) -> None:
    """The last one won: an 8-year-old or a 76-year-old depending on the order."""
    request = hook_request()
    child = {**request["prefetch"]["patient"], "birthDate": "2018-01-01"}
    request["prefetch"]["patient"] = {
        "resourceType": "Bundle",
        "type": "searchset",
        "entry": [{"resource": child}, {"resource": request["prefetch"]["patient"]}],
    }
    status, _, reply = http(base_url, SERVICE, request)
    assert (status, reply["problems"][0]["code"]) == (400, "conflict")
    same = hook_request()
    same["prefetch"]["patient"] = {
        "resourceType": "Bundle",
        "type": "searchset",
        "entry": [{"resource": same["prefetch"]["patient"]}] * 2,
    }
    assert http(base_url, SERVICE, same)[0] == 200  # the same Patient twice is one patient


def test_no_redirect_to_the_host_a_request_names_and_json_for_unknown_paths(base_url: str) -> None:
    status, headers, reply = http(base_url, f"{SERVICE}/", hook_request(), headers={"Host": "evil.example"})
    assert (status, reply) == (404, {"error": "no such endpoint"})
    assert "location" not in headers
    status, _, reply = http(base_url, "/cds-services", method="DELETE")
    assert (status, reply) == (405, {"error": "method not allowed"})


def test_a_feedback_timestamp_needs_its_time_zone(base_url: str) -> None:
    for stamp in ("2026-12-07T10:00:00", "2026-12-07"):
        status, _, reply = http(base_url, FEEDBACK, _feedback(outcomeTimestamp=stamp))
        assert (status, reply["problems"][0]["code"]) == (400, "wrong-format")
    assert http(base_url, FEEDBACK, _feedback(outcomeTimestamp="2026-12-07T10:00:00+01:00"))[0] == 200


def test_small_calls_are_not_queued_behind_large_ones(monkeypatch: pytest.MonkeyPatch) -> None:
    """Found by a blind attack: 40 calls of 2.8 MB held up a small call for 9.3 s (one queue for all)."""
    release = threading.Event()
    read = _app._Service.read  # noqa: SLF001

    def slow_when_large(self: Any, service_id: str, body: bytes) -> Any:
        if len(body) > _app.LARGE_BODY_BYTES:
            release.wait(timeout=30)
        return read(self, service_id, body)

    monkeypatch.setattr(_app._Service, "read", slow_when_large)  # noqa: SLF001
    limits = Limits(worker_threads=4)  # one thread for large calls, four for small ones
    large = hook_request(extension={"padding": "x" * 90_000, "more": ["y" * 90_000] * 2})
    results: list[int] = []

    def call_large(url: str) -> None:
        results.append(http(url, SERVICE, large)[0])

    for url in serving(create_app(auth=AUTH, limits=limits), limits):
        callers = [threading.Thread(target=call_large, args=(url,)) for _ in range(5)]  # more than all the threads
        for caller in callers:
            caller.start()
        time.sleep(0.3)  # the large calls are in: one in its thread, four waiting for it
        assert http(url, SERVICE, hook_request())[0] == 200  # answered meanwhile
        assert results == []
        release.set()
        for caller in callers:
            caller.join(timeout=30)
        assert results == [200] * 5
