"""A FastAPI endpoint that gives guidance for a profile, with crampkit's schemas in its OpenAPI document.

Run it with ``uvicorn --app-dir docs/examples fastapi_app:app`` (needs ``fastapi`` and ``uvicorn``).
"""

from typing import Any

from fastapi import FastAPI, Request, Response
from fastapi.responses import JSONResponse

import crampkit

SCHEMAS = crampkit.openapi_schemas()["components"]["schemas"]


def body(name: str) -> dict[str, Any]:
    """An OpenAPI request or response body of JSON that the component ``name`` describes."""
    return {"content": {"application/json": {"schema": {"$ref": f"#/components/schemas/{name}"}}}}


app = FastAPI(title="Cramp guidance")


@app.post(
    "/guidance",
    openapi_extra={"requestBody": {"required": True, **body("Profile")}},
    responses={200: body("Guidance"), 422: body("Problems")},
)
async def guidance(request: Request) -> Response:
    """Guidance for the profile in the body, or the problems with it."""
    try:
        profile = crampkit.load_profile(await request.body())
    except crampkit.InvalidInputError as error:
        return JSONResponse(error.as_data(), status_code=422)
    return Response(crampkit.to_json(crampkit.recommend(profile)), media_type="application/json")


def openapi() -> dict[str, Any]:
    """FastAPI's OpenAPI document, with crampkit's schemas among its components."""
    document = FastAPI.openapi(app)
    document.setdefault("components", {}).setdefault("schemas", {}).update(SCHEMAS)
    return document


app.openapi = openapi  # type: ignore[method-assign]
