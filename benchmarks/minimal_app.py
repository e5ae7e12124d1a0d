"""The baseline of the service's load benchmark: a minimal Starlette JSON endpoint (never part of the package).

It does the HTTP work every CDS Hooks call needs and nothing else: reads the
body, parses its JSON and answers a small JSON object. Served with the same
uvicorn settings as ``crampkit serve`` by ``benchmarks/test_server_load.py``:
``python benchmarks/minimal_app.py PORT``.
"""

import json
import sys

import uvicorn
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route


async def call(request: Request) -> Response:
    """Parse the body and answer an empty list of cards."""
    data = json.loads(await request.body())
    return JSONResponse({"cards": [], "hook": data.get("hook")})


app = Starlette(routes=[Route("/cds-services/{service_id}", call, methods=["POST"])])

if __name__ == "__main__":
    uvicorn.run(
        app, host="127.0.0.1", port=int(sys.argv[1]), access_log=False, log_level="warning", server_header=False
    )
