"""The one configured cattrs converter, and error reporting with paths.

cattrs' defaults are lenient (``bool("no")`` is ``True``, ``int(70.9)`` is
``70``, a string is a collection of characters). This converter is strict:
a value of the wrong JSON type is an error, never a coercion; unknown keys are
rejected; every problem is collected with its path.
"""

import math
from collections.abc import Callable, Iterator, Mapping
from enum import StrEnum
from typing import Annotated, Any, TypeVar, get_args, get_origin

import attrs
import cattrs
from cattrs.errors import (
    ClassValidationError,
    ForbiddenExtraKeysError,
    IterableValidationError,
    IterableValidationNote,
)
from cattrs.gen import make_dict_structure_fn, make_dict_unstructure_fn, override

from crampkit._validators import MAX_ITEMS, Range, Text, kind_of
from crampkit.exceptions import InvalidInputError
from crampkit.knowledge import CRITERIA_KEYS, Criteria

T = TypeVar("T")

_RENAMES: Mapping[type, Mapping[str, str]] = {Criteria: CRITERIA_KEYS}
JSON_KEYS = {name: key for renames in _RENAMES.values() for name, key in renames.items()}
_ENUM_LISTING_LIMIT = 40


def _strict_bool(value: object, _type: object) -> bool:
    if not isinstance(value, bool):
        msg = f"expected true or false, got {kind_of(value)}"
        raise TypeError(msg)
    return value


_INTEGER = Range(-math.inf, math.inf, integer=True)


def _strict_int(value: object, _type: object) -> int:
    problem = _INTEGER.problem(value)
    if problem is not None or not isinstance(value, int | float):
        raise TypeError(problem)
    return int(value)


def _strict_float(value: object, _type: object) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float):
        msg = f"expected a number, got {kind_of(value)}"
        raise TypeError(msg)
    if not math.isfinite(value):
        msg = f"expected a finite number, got {value!r}"
        raise ValueError(msg)
    return float(value)


def _strict_str(value: object, type_: type[str]) -> str:
    if not isinstance(value, str):
        msg = f"expected a string, got {kind_of(value)}"
        raise TypeError(msg)
    if type_ is not str and issubclass(type_, StrEnum):
        return _to_member(type_, value)
    return value


def _to_member(enum: type[StrEnum], value: str) -> StrEnum:
    try:
        return enum(value)
    except ValueError:
        values = [member.value for member in enum]
        allowed = ", ".join(values) if len(values) <= _ENUM_LISTING_LIMIT else f"see crampkit.{enum.__name__}"
        msg = f"unknown value {value!r} (allowed: {allowed})"
        raise ValueError(msg) from None


def _is_constrained(type_: object) -> bool:
    return get_origin(type_) is Annotated and any(isinstance(arg, Range | Text) for arg in get_args(type_)[1:])


def _constrained_hook(type_: object) -> Callable[[object, object], object]:
    base, *extras = get_args(type_)
    constraint = next(arg for arg in extras if isinstance(arg, Range | Text))

    def structure(value: object, _type: object) -> object:
        problem = constraint.problem(value)
        if problem is not None:
            raise ValueError(problem)
        return base(value)

    return structure


def _is_collection(type_: object) -> bool:
    origin = get_origin(type_)
    args = get_args(type_)
    return origin is frozenset or (origin is tuple and len(args) == 2 and args[1] is Ellipsis)  # noqa: PLR2004


def _collection_hook(type_: object, converter: cattrs.Converter) -> Callable[[object, object], object]:
    origin: Any = get_origin(type_)
    element = get_args(type_)[0]
    structure_element = converter.get_structure_hook(element)
    limit = MAX_ITEMS if origin is frozenset else None

    def structure(value: object, _type: object) -> object:
        if not isinstance(value, list | tuple):
            msg = f"expected an array, got {kind_of(value)}"
            raise TypeError(msg)
        if limit is not None and len(value) > limit:
            msg = f"at most {limit} items, got {len(value)}"
            raise ValueError(msg)
        items, errors = [], []
        for index, item in enumerate(value):
            try:
                items.append(structure_element(item, element))
            except Exception as exc:  # noqa: BLE001 - collected and re-raised as a group
                exc.__notes__ = [
                    *getattr(exc, "__notes__", []),
                    IterableValidationNote(f"@ index {index}", index, element),
                ]
                errors.append(exc)
        if errors:
            msg = f"While structuring {type_!r}"
            raise IterableValidationError(msg, errors, origin)
        return origin(items)

    return structure


def _is_frozenset(type_: object) -> bool:
    return type_ is frozenset or get_origin(type_) is frozenset


def _unstructure_set(value: frozenset[Any]) -> list[Any]:
    return sorted(member.value if isinstance(member, StrEnum) else member for member in value)


def _attrs_structure_hook(cls: type[T], converter: cattrs.Converter) -> Callable[[object, object], T]:
    renames = {name: override(rename=key) for name, key in _RENAMES.get(cls, {}).items()}
    base = make_dict_structure_fn(cls, converter, _cattrs_forbid_extra_keys=True, **renames)  # type: ignore[arg-type]

    def structure(value: object, type_: object) -> T:
        if not isinstance(value, Mapping):
            msg = f"expected an object, got {kind_of(value)}"
            raise TypeError(msg)
        return base(value, type_)

    return structure


def _attrs_unstructure_hook(cls: type[T], converter: cattrs.Converter) -> Callable[[T], dict[str, Any]]:
    renames = {name: override(rename=key) for name, key in _RENAMES.get(cls, {}).items()}
    return make_dict_unstructure_fn(cls, converter, _cattrs_omit_if_default=True, **renames)  # type: ignore[arg-type]


def make_converter() -> cattrs.Converter:
    """Build crampkit's strict converter (the module keeps one in :data:`converter`)."""
    # Unknown keys and default omission are set per class by the attrs hooks below.
    new = cattrs.Converter(detailed_validation=True)
    new.register_structure_hook(bool, _strict_bool)
    new.register_structure_hook(int, _strict_int)
    new.register_structure_hook(float, _strict_float)
    new.register_structure_hook(str, _strict_str)  # also reached by StrEnum subclasses
    new.register_unstructure_hook(StrEnum, lambda member: member.value)
    new.register_structure_hook_factory(_is_constrained, _constrained_hook)
    new.register_structure_hook_factory(_is_collection, _collection_hook)
    new.register_structure_hook_factory(attrs.has, _attrs_structure_hook)
    new.register_unstructure_hook_factory(attrs.has, _attrs_unstructure_hook)
    new.register_unstructure_hook_func(_is_frozenset, _unstructure_set)
    return new


converter = make_converter()
"""The converter every load and dump goes through."""


def problems(exc: BaseException, path: str = "", root: str = "input") -> Iterator[str]:
    """Flatten a (possibly nested) structuring error into ``"path: problem"`` lines."""
    if isinstance(exc, InvalidInputError):
        for problem in exc.problems:
            yield _join(path, problem)
    elif isinstance(exc, ClassValidationError | IterableValidationError):
        noted, others = exc.group_exceptions()
        for inner, note in noted:
            if isinstance(note, IterableValidationNote):
                yield from problems(inner, f"{path}[{note.index}]", root)
            else:
                yield from problems(inner, _child(path, JSON_KEYS.get(note.name, note.name)), root)
        for inner in others:
            yield from problems(inner, path, root)
    elif isinstance(exc, ForbiddenExtraKeysError):
        for key in sorted(exc.extra_fields):
            yield f"{_child(path, key)}: unknown field"
    elif isinstance(exc, KeyError):
        yield _join(path or root, "required field missing")
    else:
        yield _join(path or root, str(exc) or type(exc).__name__)


def _child(path: str, name: str) -> str:
    return f"{path}.{name}" if path else name


def _join(path: str, problem: str) -> str:
    return f"{path}: {problem}" if path else problem


def structure(data: object, type_: type[T], *, root: str = "input") -> T:
    """Structure ``data`` into ``type_``, raising :class:`InvalidInputError` on any problem.

    Problems at the top level are reported under the name ``root``.
    """
    try:
        return converter.structure(data, type_)
    except (cattrs.BaseValidationError, ValueError, TypeError) as exc:
        raise InvalidInputError(problems(exc, root=root)) from None


def unstructure(value: object) -> Any:  # noqa: ANN401 - JSON-compatible data
    """Turn a crampkit object into JSON-compatible data (dicts, lists, strings, numbers)."""
    return converter.unstructure(value)
