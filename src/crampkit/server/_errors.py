"""The error answers of the service, each bounded in size whatever the request held."""

import json
from collections.abc import Iterable
from typing import Any

from crampkit.exceptions import InvalidInputError, Problem

__all__ = ["MAX_ERROR_BYTES", "BadRequestError", "bounded"]

MAX_ERROR_BYTES = 65_536
"""Largest error body the service sends, in bytes (problems past it are counted in ``more_problems``)."""
_MAX_MESSAGE = 500


class BadRequestError(Exception):
    """A call the service answers with an error: its status and its JSON body."""

    def __init__(self, status: int, body: dict[str, Any], headers: dict[str, str] | None = None) -> None:
        super().__init__(body.get("error", ""))
        self.status = status
        self.body = body
        self.headers = headers or {}

    @classmethod
    def invalid(cls, error: str, problems: Iterable[Problem]) -> "BadRequestError":
        """A 400: ``error`` says what was invalid, and each problem is as :meth:`~crampkit.Problem.as_data` gives it."""
        return cls(400, {"error": error, **InvalidInputError(problems).as_data()})


def bounded(body: dict[str, Any], max_problems: int) -> dict[str, Any]:
    """``body`` with at most ``max_problems`` problems and at most :data:`MAX_ERROR_BYTES` bytes when serialised.

    The problems left off are counted in ``more_problems``; the first ones are kept.
    """
    problems = body.get("problems")
    if not isinstance(problems, list):
        return body
    problems = [_short(problem) for problem in problems[:max_problems]] + problems[max_problems:]
    kept = min(len(problems), max_problems)
    while True:
        shown = {**body, "problems": problems[:kept]}
        if kept < len(problems):
            shown["more_problems"] = len(problems) - kept
        if kept == 0 or len(json.dumps(shown).encode()) <= MAX_ERROR_BYTES:
            return shown
        kept //= 2


def _cut(text: str) -> str:
    return text if len(text) <= _MAX_MESSAGE else text[: _MAX_MESSAGE - 1] + "…"


def _short(problem: dict[str, Any]) -> dict[str, Any]:
    """A problem whose message, location and path steps are cut to 500 characters each (they may quote the input)."""
    return {
        **problem,
        "message": _cut(problem["message"]),
        "location": _cut(problem["location"]),
        "path": [_cut(step) if isinstance(step, str) else step for step in problem["path"]],
    }
