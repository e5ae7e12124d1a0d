"""Saturated load on ``crampkit serve`` as a ratio against a minimal Starlette JSON endpoint (issue 21, never a test).

Run: ``python -m pytest benchmarks/test_server_ratio.py --benchmark-only -p no:cacheprovider -s``

Both servers run in their own processes with the same uvicorn settings
(``benchmarks/minimal_app.py`` is the baseline: it reads the body, parses
its JSON and answers a small JSON object). Eight client processes, each with
one keep-alive connection, call as fast as they can for a few seconds; the
two servers are measured one after the other, twice, interleaved, so both
see the same machine. Three streams, each call with its own
``hookInstance`` as an EHR sends: the issue's worked example repeated; a
varied stream (40 patients: ages, sexes, medicines and conditions differ,
so no two calls in a row are the same, but each patient comes again, as
when charts are opened again); and new patients (the 40 with a patient id
never seen before on every call, so no answer kept is ever used). The figures
(calls per second, p95 latency, their ratios) are printed and stored in
the benchmark's ``extra_info``; docs/performance.md records them.
"""

import http.client
import json
import multiprocessing
import os
import socket
import statistics
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

sys.path.insert(0, str(Path(__file__).parent.parent / "tests"))
from fhirkit import CRAMP, ICD10, RXNORM, STATIN, THIAZIDE, bundle, coding, condition, hook_request, patient

CLIENTS = 8
SECONDS = 4.0
PATH = "/cds-services/crampkit-cramps"
_HERE = Path(__file__).parent

_MEDICINES = [
    THIAZIDE,
    STATIN,
    {**THIAZIDE, "id": "m3", "medicationCodeableConcept": {"text": "furosemide 40 mg tablets"}},
    {**THIAZIDE, "id": "m4", "medicationCodeableConcept": {"coding": [coding(RXNORM, "6809")]}},
    {**THIAZIDE, "id": "m5", "medicationCodeableConcept": {"text": "salbutamol inhaler"}},
]


INSTANCE = "@instance@"
"""Where a body's ``hookInstance`` goes: each call has its own, as an EHR sends."""
PATIENT = "@patient@"
"""Where a body of the stream of new patients has its patient's id: each call's is one never seen before."""


def varied_requests(pid: str = "p1") -> list[bytes]:
    """40 different patient-view calls: ages 8 to 90, both sexes, 0 to 3 medicines, some with a second condition."""
    bodies = []
    for index in range(40):
        request = hook_request(hookInstance=INSTANCE, context={"userId": "Practitioner/example", "patientId": pid})
        request["prefetch"]["patient"] = patient(pid, birth=f"{1936 + 2 * index}-0{1 + index % 9}-1{index % 10}")
        request["prefetch"]["patient"]["gender"] = ("female", "male")[index % 2]
        medicines = [_MEDICINES[(index + k) % len(_MEDICINES)] for k in range(index % 4)]
        request["prefetch"]["medicationRequests"] = bundle(*medicines)
        extra = [condition("c2", coding(ICD10, "N18.4"))] if index % 5 == 0 else []
        request["prefetch"]["conditions"] = bundle(CRAMP, *extra)
        if pid != "p1":  # every resource about the patient names them
            for key in ("medicationRequests", "conditions"):
                for entry in request["prefetch"][key]["entry"]:
                    entry["resource"]["subject"] = {"reference": f"Patient/{pid}"}
        bodies.append(json.dumps(request).encode())
    return bodies


def _client(port: int, bodies: list[bytes], seconds: float, results: "multiprocessing.Queue[list[float]]") -> None:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    latencies: list[float] = []
    ends = time.perf_counter() + seconds
    index = os.getpid()
    while time.perf_counter() < ends:
        index += 1
        body = bodies[index % len(bodies)].replace(b"@instance@", str(uuid.uuid4()).encode())
        body = body.replace(b"@patient@", f"new-{os.getpid()}-{index}".encode())
        started = time.perf_counter()
        connection.request("POST", PATH, body, {"Content-Type": "application/json"})
        response = connection.getresponse()
        response.read()
        assert response.status == 200, response.status
        latencies.append((time.perf_counter() - started) * 1000)
    results.put(latencies)


def _load(port: int, bodies: list[bytes]) -> tuple[float, float]:
    """Calls per second and p95 latency (ms) of ``CLIENTS`` clients calling for ``SECONDS``."""
    results: multiprocessing.Queue[list[float]] = multiprocessing.Queue()
    clients = [multiprocessing.Process(target=_client, args=(port, bodies, SECONDS, results)) for _ in range(CLIENTS)]
    for process in clients:
        process.start()
    latencies = [value for _ in clients for value in results.get(timeout=120)]
    for process in clients:
        process.join(timeout=60)
    return len(latencies) / SECONDS, statistics.quantiles(latencies, n=100)[94]


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _start(command: list[str], port: int) -> subprocess.Popen[bytes]:
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 60
    while True:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1):
                return process
        except OSError:
            assert time.monotonic() < deadline, "the server did not start"
            time.sleep(0.05)


@pytest.fixture
def servers() -> Iterator[tuple[int, int]]:
    crampkit_port, minimal_port = _free_port(), _free_port()
    cmd = [sys.executable, "-m", "crampkit", "serve", "--insecure-no-auth", "--port", str(crampkit_port)]
    crampkit = _start(cmd, crampkit_port)
    minimal = _start([sys.executable, str(_HERE / "minimal_app.py"), str(minimal_port)], minimal_port)
    yield crampkit_port, minimal_port
    for process in (crampkit, minimal):
        process.terminate()
        process.wait(timeout=30)


def test_saturated_load_against_a_minimal_endpoint(benchmark: Any, servers: tuple[int, int]) -> None:
    crampkit_port, minimal_port = servers
    repeated = json.dumps(hook_request(hookInstance=INSTANCE)).encode()
    streams = {"repeated": [repeated], "varied": varied_requests(), "new patients": varied_requests(PATIENT)}
    figures: dict[str, Any] = {"clients": CLIENTS, "seconds_each": SECONDS, "cpus": os.cpu_count()}

    def run() -> None:
        for name, bodies in streams.items():
            rounds = [(_load(minimal_port, bodies), _load(crampkit_port, bodies)) for _ in range(2)]
            minimal_rate = statistics.mean(m[0] for m, _ in rounds)
            crampkit_rate = statistics.mean(c[0] for _, c in rounds)
            figures[name] = {
                "minimal_calls_per_s": round(minimal_rate),
                "crampkit_calls_per_s": round(crampkit_rate),
                "throughput_ratio": round(crampkit_rate / minimal_rate, 3),
                "minimal_p95_ms": round(max(m[1] for m, _ in rounds), 2),
                "crampkit_p95_ms": round(max(c[1] for _, c in rounds), 2),
            }

    benchmark.pedantic(run, rounds=1, iterations=1)
    benchmark.extra_info.update(figures)
    print(json.dumps(figures))  # noqa: T201 - the figures docs/performance.md records
