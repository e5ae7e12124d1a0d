"""Load benchmark of ``crampkit serve``: 1,000 patient-view calls on loopback (never part of the test suite).

Run: ``python -m pytest benchmarks/test_server_load.py --benchmark-only -p no:cacheprovider -s``

The server runs in its own process (``python -m crampkit serve``), so its
memory is measured alone; the client sends the issue's worked example over
one keep-alive connection, one call after another, and records each call's
latency. p50, p95 and p99, and the server's resident memory before and after,
are printed and stored in the benchmark's ``extra_info`` (see
docs/performance.md).
"""

import http.client
import json
import os
import socket
import statistics
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest

sys.path.insert(0, str(Path(__file__).parent.parent / "tests"))
from fhirkit import hook_request

CALLS = 1_000


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _rss_kib(pid: int, field: str) -> int:
    for line in Path(f"/proc/{pid}/status").read_text(encoding="ascii").splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1])
    return 0


@pytest.fixture
def served() -> Any:
    port = _free_port()
    process = subprocess.Popen(
        [sys.executable, "-m", "crampkit", "serve", "--host", "127.0.0.1", "--port", str(port), "--insecure-no-auth"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        env={**os.environ, "PYTHONDONTWRITEBYTECODE": "1"},
    )
    deadline = time.monotonic() + 30
    while True:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1):
                break
        except OSError:
            assert time.monotonic() < deadline, "the server did not start"
            time.sleep(0.05)
    yield process, port
    process.terminate()
    process.wait(timeout=30)


def test_thousand_patient_view_calls(benchmark: Any, served: Any) -> None:
    process, port = served
    body = json.dumps(hook_request()).encode()
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    rss_start = _rss_kib(process.pid, "VmRSS")
    latencies: list[float] = []

    def run() -> None:
        for _ in range(CALLS):
            started = time.perf_counter()
            connection.request("POST", "/cds-services/crampkit-cramps", body, {"Content-Type": "application/json"})
            response = connection.getresponse()
            payload = response.read()
            latencies.append((time.perf_counter() - started) * 1000)
            assert response.status == 200
            assert json.loads(payload)["cards"]

    benchmark.pedantic(run, rounds=1, iterations=1)
    connection.close()
    cuts = statistics.quantiles(latencies, n=100)
    figures = {
        "calls": len(latencies),
        "p50_ms": round(statistics.median(latencies), 2),
        "p95_ms": round(cuts[94], 2),
        "p99_ms": round(cuts[98], 2),
        "max_ms": round(max(latencies), 2),
        "server_rss_start_mib": round(rss_start / 1024, 1),
        "server_rss_end_mib": round(_rss_kib(process.pid, "VmRSS") / 1024, 1),
        "server_rss_peak_mib": round(_rss_kib(process.pid, "VmHWM") / 1024, 1),
    }
    benchmark.extra_info.update(figures)
    print(json.dumps(figures))  # noqa: T201 - the figures docs/performance.md records
