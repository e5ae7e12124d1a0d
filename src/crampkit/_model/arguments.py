"""Checks of the arguments of public functions, at the boundary: each problem names the function and the argument.

Every problem is a :class:`~crampkit.Problem` whose path is the argument's
name and whose location is ``"<function>(): <argument>"``.
"""

from typing import Any

import attrs

from crampkit._model.checks import Problems, check_for
from crampkit.exceptions import InvalidInputError, Problem, ProblemCode

__all__ = ["argument", "argument_problem", "names_argument", "python_kind"]


def python_kind(value: object) -> str:
    """Name a value's Python type for a message (``"None"``, ``"a dict"``, ``"an int"``)."""
    if value is None:
        return "None"
    name = type(value).__name__
    return f"{'an' if name[0] in 'aeiouAEIOU' else 'a'} {name}"


def argument(function: str, name: str, value: object, expected: type | tuple[type, ...], advice: str = "") -> None:
    """Check one argument of a public function at the boundary.

    Raises:
        InvalidInputError: ``value`` is not an instance of ``expected``; the
            message names the function, the argument, what it expected and
            what it got, and ``advice`` when given.
    """
    problem = argument_problem(function, name, value, expected, advice)
    if problem is not None:
        raise InvalidInputError([problem])


def argument_problem(
    function: str, name: str, value: object, expected: type | tuple[type, ...], advice: str = ""
) -> Problem | None:
    """The problem with one argument of a public function, or ``None`` when ``value`` is an instance of ``expected``."""
    if isinstance(value, expected):
        return None
    types_ = expected if isinstance(expected, tuple) else (expected,)
    wanted = " or ".join("None" if t is type(None) else f"a crampkit.{t.__name__}" for t in types_)
    message = f"expected {wanted}, got {python_kind(value)}"
    message = f"{message} ({advice})" if advice else message
    return Problem((name,), ProblemCode.WRONG_TYPE, message, location=f"{function}(): {name}")


def names_argument(function: str, name: str, value: object, element: Any) -> tuple[Any, ...]:  # noqa: ANN401
    """Check an argument that is a collection of names (never a single string).

    Raises:
        InvalidInputError: ``value`` is not a list, tuple or set, or one of
            its items is not a valid name; every problem is listed.
    """
    if not isinstance(value, list | tuple | set | frozenset):
        got = "a single string" if isinstance(value, str) else python_kind(value)
        message = f"expected a list, tuple or set of names, got {got}"
        raise InvalidInputError([Problem((name,), ProblemCode.WRONG_TYPE, message, location=f"{function}(): {name}")])
    try:
        result: tuple[Any, ...] = check_for(tuple[element, ...])(value)
    except Problems as problems:
        raise InvalidInputError(
            attrs.evolve(problem, location=f"{function}(): {problem.location}") for problem in problems.under(name)
        ) from None
    return result
