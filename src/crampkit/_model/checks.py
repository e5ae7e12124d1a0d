"""The one type-driven checker behind Python construction, JSON loading and argument checks.

Every public attrs class of :mod:`crampkit.profile`, :mod:`crampkit.knowledge.items`
and :mod:`crampkit.guidance` is decorated with :func:`checked`. Its
``__init__`` then checks every field from the field's type before attrs
stores it, and the converter's structuring hook (:func:`structure`) runs the
very same checks on JSON data. What a field accepts is read from its type
hint and constraints, so a field added later is covered without more code:

* ``bool``: ``True`` or ``False`` only, never a truthy value;
* ``int`` and ``float``: numbers, not booleans, finite; an ``int`` field
  takes ``70.0`` as 70 but refuses ``70.9``; a :class:`~crampkit._model.constraints.Range`
  sets the bounds;
* ``str``: :class:`~crampkit._model.constraints.Text` (visible, one line, no
  control characters), or the :class:`~crampkit._model.constraints.Text`,
  :class:`~crampkit._model.constraints.Id` or other constraint given;
* a ``StrEnum``: a member, or its value as a string;
* ``frozenset[X]`` and ``tuple[X, ...]``: a list, tuple, set or frozenset of
  ``X`` (never a string, which would be read as its letters); a frozenset
  holds at most :data:`~crampkit._model.constraints.MAX_ITEMS` items;
* an attrs class: an instance, or a mapping of its JSON fields;
* ``X | None``: ``None`` only where the hint says so.

Constraints come from ``Annotated[...]`` metadata and from field validators
that are :class:`~crampkit._model.constraints.Constraint` objects (or
``attrs.validators.in_``). Every problem is collected with its path before
anything is raised, as one :class:`~crampkit.InvalidInputError`. Unknown
fields and missing required fields are problems too, so building an object
in Python accepts and rejects exactly what loading the same values from JSON
does.
"""

import functools
import math
import types
import typing
from collections.abc import Callable, Iterable, Iterator, Mapping
from enum import StrEnum
from typing import Annotated, Any, TypeVar, get_args, get_origin, overload

import attrs

from crampkit._caches import cached
from crampkit._model.constraints import (
    ANY_TEXT,
    TEXT,
    Constraint,
    MaxItems,
    NonEmpty,
    OneOf,
    Range,
    string_constraints,
    wrong_type,
)
from crampkit.exceptions import InvalidInputError, Problem, ProblemCode, closest, did_you_mean, show

__all__ = [
    "Problems",
    "check_for",
    "checked",
    "construct",
    "every_text",
    "field_constraints",
    "is_checked",
    "json_keys",
    "strings",
    "structure_hook",
]

T = TypeVar("T")
Check = Callable[[Any], Any]
"""Check a value; return it in its canonical form, or raise :class:`Problems` with paths relative to it."""

_ORIGINAL_INIT: dict[type, Callable[..., None]] = {}
_JSON_KEYS: dict[type, Mapping[str, str]] = {}
_IN_VALIDATOR: type = type(attrs.validators.in_(("",)))
_AND_VALIDATOR: type = type(attrs.validators.and_())
_INTEGER = Range(-math.inf, math.inf, integer=True)
_NUMBER = Range(-math.inf, math.inf)
_MAX_ITEMS = MaxItems()


class Problems(Exception):  # noqa: N818 - internal; what it carries is the problems
    """Problems found while checking, each a :class:`~crampkit.Problem` (internal).

    Paths are relative to the value checked; whoever holds that value puts
    its own key or index in front (:meth:`under`), so no path is built
    unless something is wrong.
    """

    def __init__(self, found: list[Problem]) -> None:
        """Carry ``found``."""
        super().__init__(found)
        self.found = found

    def under(self, step: str | int, shown: str | None = None) -> list[Problem]:
        """The problems, with ``step`` (a key or an index) put in front of their paths."""
        return [problem.under(step, shown) for problem in self.found]

    def named(self, root: str) -> list[Problem]:
        """The problems, a problem with the whole value located at ``root`` (such as ``"profile"``)."""
        return [problem if problem.location else attrs.evolve(problem, location=root) for problem in self.found]


def _unknown(key: object, known: Iterable[str]) -> Problem:
    """The problem of an unknown key, with the ``known`` key it most likely misspells (a non-string key is shown)."""
    if isinstance(key, str):
        suggestion = closest(key, known)
        message = did_you_mean("unknown field", suggestion)
        return Problem((key,), ProblemCode.UNKNOWN_FIELD, message, suggestion=suggestion)
    return Problem((show(key),), ProblemCode.UNKNOWN_FIELD, "unknown field", location=show(key))


def _fail(problem: Problem) -> Problems:
    return Problems([problem])


# -- classes --------------------------------------------------------------------------------------


@attrs.frozen
class _Field:
    name: str
    key: str
    required: bool
    check: Check


@attrs.frozen
class _ClassChecks:
    fields: tuple[_Field, ...]
    by_name: Mapping[str, _Field]
    by_key: Mapping[str, _Field]


@overload
def checked(cls: type[T], /) -> type[T]: ...
@overload
def checked(*, json_keys: Mapping[str, str] | None = None) -> Callable[[type[T]], type[T]]: ...
def checked(
    cls: type[T] | None = None, /, *, json_keys: Mapping[str, str] | None = None
) -> type[T] | Callable[[type[T]], type[T]]:
    """Check every field of an attrs class from its type, whenever an instance is built.

    Put it above ``@attrs.frozen``. ``json_keys`` maps field names to the
    keys used for them in JSON and TOML, where they differ. The engine builds
    the parts of :class:`~crampkit.Guidance` from values checked already,
    with :func:`trusted` constructors.
    """

    def wrap(cls: type[T]) -> type[T]:
        original = cls.__init__
        _ORIGINAL_INIT[cls] = original
        _JSON_KEYS[cls] = dict(json_keys or {})

        @functools.wraps(original)
        def __init__(self: T, **kwargs: object) -> None:  # noqa: N807 - it is the class's __init__
            try:
                kwargs = _fields(cls, kwargs, json=False)
            except Problems as problems:
                raise InvalidInputError(problems.found) from None
            original(self, **kwargs)

        cls.__init__ = __init__  # type: ignore[assignment]
        return cls

    return wrap if cls is None else wrap(cls)


def is_checked(cls: object) -> bool:
    """Whether ``cls`` is a class decorated with :func:`checked`."""
    return isinstance(cls, type) and cls in _ORIGINAL_INIT


def json_keys(cls: type) -> Mapping[str, str]:
    """The fields of ``cls`` whose JSON key differs from their name, and their keys."""
    return _JSON_KEYS.get(cls, {})


@cached
def _class_checks(cls: type) -> _ClassChecks:
    hints = typing.get_type_hints(cls, include_extras=True)
    keys = json_keys(cls)
    fields = tuple(
        _Field(
            name=field.alias or field.name,
            key=keys.get(field.name, field.name),
            required=field.default is attrs.NOTHING,
            check=check_for(hints[field.name], field_constraints(field)),
        )
        for field in attrs.fields(cls)
        if field.init
    )
    return _ClassChecks(
        fields=fields,
        by_name={field.name: field for field in fields},
        by_key={field.key: field for field in fields},
    )


def field_constraints(field: "attrs.Attribute[Any]") -> tuple[Constraint, ...]:
    """The constraints among a field's attrs validators."""
    return _validator_constraints(field.validator)


def _validator_constraints(validator: object) -> tuple[Constraint, ...]:
    if validator is None:
        return ()
    if isinstance(validator, _AND_VALIDATOR):
        inner: tuple[object, ...] = getattr(validator, "_validators", ())
        return tuple(c for one in inner for c in _validator_constraints(one))
    if isinstance(validator, Constraint):
        return (validator,)
    if isinstance(validator, _IN_VALIDATOR):
        return (OneOf(tuple(getattr(validator, "options", ()))),)  # an attrs in_ validator: a vocabulary
    return ()


def _fields(cls: type, data: Mapping[Any, Any], *, json: bool) -> dict[str, Any]:
    """Check the values given for the fields of ``cls``; return them by field name."""
    plan = _class_checks(cls)
    known = plan.by_key if json else plan.by_name
    found: list[Problem] = []
    values: dict[str, Any] = {}
    for field in plan.fields:
        key = field.key if json else field.name
        if key in data:
            try:
                values[field.name] = field.check(data[key])
            except Problems as problems:
                found += problems.under(key)
        elif field.required:
            found.append(Problem((key,), ProblemCode.MISSING, "required field missing"))
    if len(values) < len(data):
        unknown = [key for key in data if key not in known]
        found += [_unknown(key, known) for key in sorted(unknown, key=show)]
    if found:
        raise Problems(found)
    return values


def construct(cls: type[T], values: Mapping[str, Any]) -> T:
    """Build ``cls`` from values already checked, running only its own cross-field validators."""
    instance: T = object.__new__(cls)
    try:
        _ORIGINAL_INIT[cls](instance, **values)
    except InvalidInputError as exc:
        raise Problems(list(exc.problems)) from None
    except (ValueError, TypeError) as exc:
        raise _fail(Problem((), ProblemCode.INVALID, str(exc))) from None
    return instance


# -- types ----------------------------------------------------------------------------------------


def annotated(hint: Any, constraints: tuple[Constraint, ...] = ()) -> tuple[Any, tuple[Constraint, ...]]:  # noqa: ANN401
    """A type hint without its ``Annotated`` wrapper, and every constraint on it (its own first)."""
    if get_origin(hint) is Annotated:
        args = get_args(hint)
        extra = tuple(arg for arg in args[1:] if isinstance(arg, Constraint))
        return annotated(args[0], (*extra, *constraints))
    return hint, constraints


def collection_constraints(
    origin: type, constraints: tuple[Constraint, ...], *, limit: bool = True
) -> tuple[Constraint, ...]:
    """The rules of a collection: ``constraints`` and, for a set when ``limit``, the cap on its items."""
    rules = tuple(c for c in constraints if isinstance(c, NonEmpty))
    return (_MAX_ITEMS, *rules) if origin is frozenset and limit else rules


def enum_constraint(enum: type[StrEnum]) -> OneOf:
    """The vocabulary of an enum as a :class:`~crampkit._model.constraints.OneOf`."""
    return OneOf(tuple(member.value for member in enum), name=enum.__name__)


def is_collection(hint: Any) -> bool:  # noqa: ANN401 - any type hint
    """Whether ``hint`` is ``frozenset[X]`` or ``tuple[X, ...]`` (a JSON array)."""
    args = get_args(hint)
    return get_origin(hint) is frozenset or (get_origin(hint) is tuple and len(args) == 2 and args[1] is Ellipsis)  # noqa: PLR2004


@cached
def check_for(hint: Any, constraints: tuple[Constraint, ...] = ()) -> Check:  # noqa: ANN401 - any type hint
    """The check of a value of type ``hint`` that must also meet ``constraints``."""
    hint, constraints = annotated(hint, constraints)
    origin = get_origin(hint)
    args = get_args(hint)
    if origin in {typing.Union, types.UnionType}:
        others = [arg for arg in args if arg is not type(None)]
        if len(others) != 1 or len(args) != 2:  # noqa: PLR2004 - X | None
            msg = f"crampkit can only check unions of one type with None, not {hint!r}"
            raise TypeError(msg)
        return _optional(check_for(others[0], constraints))
    if is_collection(hint):
        return _collection(origin, check_for(args[0]), collection_constraints(origin, constraints))
    if hint is bool:
        return _boolean
    if hint in {int, float}:
        return _number(hint, constraints)
    if hint is str:
        return _string(string_constraints(constraints))
    if isinstance(hint, type) and issubclass(hint, StrEnum):
        return _member(hint)
    if isinstance(hint, type) and attrs.has(hint):
        return _nested_class(hint)
    msg = f"crampkit cannot check values of type {hint!r}"
    raise TypeError(msg)


def _optional(inner: Check) -> Check:
    def check(value: object) -> object:
        return None if value is None else inner(value)

    return check


def _boolean(value: object) -> bool:
    if value is True or value is False:
        return value
    raise _fail(wrong_type("true or false", value))


def _number(base: type, constraints: tuple[Constraint, ...]) -> Check:
    ranges = [c for c in constraints if isinstance(c, Range)] or [_INTEGER if base is int else _NUMBER]
    if base is int:
        ranges = [attrs.evolve(r, integer=True) for r in ranges]
    convert: Callable[[Any], Any] = base

    def check(value: object) -> object:
        for constraint in ranges:
            problem = constraint.fault(value)
            if problem is not None:
                raise _fail(problem)
        try:
            return convert(value)
        except OverflowError:  # an integer too large for a float
            raise _fail(
                Problem((), ProblemCode.OUT_OF_RANGE, f"expected a number of a usable size, got {show(value)}")
            ) from None

    return check


def _string(rules: tuple[Constraint, ...]) -> Check:
    if rules == (ANY_TEXT,):  # the common case, inlined
        search = TEXT.search

        def text(value: object) -> object:
            if isinstance(value, str) and search(value):
                return value
            raise _fail(ANY_TEXT.fault(value) or wrong_type("a string", value))

        return text

    def check(value: object) -> object:
        if not isinstance(value, str):
            raise _fail(wrong_type("a string", value))
        for constraint in rules:
            problem = constraint.fault(value)
            if problem is not None:
                raise _fail(problem)
        return value

    return check


def _member(enum: type[StrEnum]) -> Check:
    vocabulary = enum_constraint(enum)

    def check(value: object) -> object:
        if type(value) is enum:
            return value
        if not isinstance(value, str):
            raise _fail(wrong_type("a string", value))
        try:
            return enum(value)
        except ValueError:
            raise _fail(vocabulary.fault(value) or wrong_type("a string", value)) from None

    return check


def _collection(origin: type, element: Check, rules: tuple[Constraint, ...]) -> Check:
    caps: list[Constraint] = [rule for rule in rules if isinstance(rule, MaxItems)]  # checked before the items
    others = [rule for rule in rules if not isinstance(rule, MaxItems)]  # checked on the checked items

    def check(value: object) -> object:
        if type(value) is origin and not any(rule.fault(value) for rule in rules):
            try:
                for item in value:  # type: ignore[attr-defined]
                    if element(item) is not item:
                        break
                else:
                    return value  # every item already in its canonical form
            except Problems:
                pass  # the full check below reports every problem with its path
        return full(value)

    def full(value: object) -> object:
        if not isinstance(value, list | tuple | set | frozenset):
            raise _fail(wrong_type("an array", value))
        for rule in caps:
            problem = rule.fault(value)
            if problem is not None:
                raise _fail(problem)
        ordered = isinstance(value, list | tuple)
        items: list[object] = []
        found: list[Problem] = []
        for index, item in enumerate(value):
            try:
                items.append(element(item))
            except Problems as problems:
                if ordered:
                    found += problems.under(index)
                else:
                    found += problems.under(item if isinstance(item, str) else show(item), f"[{show(item)}]")
        if found:
            raise Problems(found if ordered else sorted(found, key=lambda problem: (problem.location, problem.message)))
        for rule in others:
            problem = rule.fault(items)
            if problem is not None:
                raise _fail(problem)
        return origin(items)

    return check


def _nested_class(cls: type) -> Check:
    def check(value: object) -> object:
        if isinstance(value, cls):
            return value
        if not isinstance(value, Mapping):
            raise _fail(wrong_type("an object", value))
        return construct(cls, _fields(cls, value, json=True))

    return check


# -- entry points ---------------------------------------------------------------------------------


def structure_hook(type_: type[T]) -> Callable[[object, object], T]:
    """A cattrs structuring hook for ``type_`` that runs these checks (raising :class:`Problems`)."""
    check = check_for(typing.cast("Any", type_))

    def hook(value: object, _type: object) -> T:
        result: T = check(value)
        return result

    return hook


def every_text(value: object) -> Iterator[tuple[tuple[str | int, ...], str]]:
    """Every string held in an attrs object, with its path in the object's JSON (for checks over all text)."""
    yield from _texts(value, ())


def strings(value: object) -> list[str]:
    """Every string held in an attrs object, in order, without paths (fast: no recursion, no paths)."""
    found: list[str] = []
    stack = [value]
    while stack:
        item = stack.pop()
        if isinstance(item, str):
            found.append(item)
        elif isinstance(item, tuple | frozenset):
            stack.extend(reversed(tuple(item)))
        elif attrs.has(type(item)):
            stack.extend(getattr(item, field.name) for field in reversed(attrs.fields(typing.cast("Any", type(item)))))
    return found


def _texts(value: object, path: tuple[str | int, ...]) -> Iterator[tuple[tuple[str | int, ...], str]]:
    if isinstance(value, str):
        yield path, value
    elif isinstance(value, tuple | frozenset):
        items = sorted(value) if isinstance(value, frozenset) else value  # a set is a sorted array in JSON
        for index, item in enumerate(items):
            yield from _texts(item, (*path, index))
    elif attrs.has(type(value)):
        keys = json_keys(type(value))
        for field in attrs.fields(typing.cast("Any", type(value))):
            yield from _texts(getattr(value, field.name), (*path, keys.get(field.name, field.name)))


def trusted(cls: type[T]) -> Callable[..., T]:
    """A constructor of the class ``cls`` (a part of the guidance) that skips the checks, for values checked already.

    For :func:`crampkit.recommend`, which builds its output from a checked
    profile and a checked knowledge base; the property tests check that
    output by loading it back from JSON.
    """
    init = _ORIGINAL_INIT[cls]
    new = object.__new__

    def build(**values: Any) -> T:  # noqa: ANN401 - the fields of cls
        instance: T = new(cls)
        init(instance, **values)
        return instance

    return build
