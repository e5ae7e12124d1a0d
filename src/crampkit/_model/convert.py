"""The one configured cattrs converter.

Structuring goes through the checks of :mod:`crampkit._model.checks` (strict: a
value of the wrong JSON type is an error, never a coercion; unknown keys are
rejected; every problem is collected with its path); the same checks run
when an object is built in Python. Unstructuring gives the JSON contract:
enums as their values, sets as sorted lists, defaults left out, and the JSON
keys of renamed fields.
"""

from collections.abc import Callable
from enum import StrEnum
from typing import Any, TypeVar

import attrs
import cattrs
from cattrs.gen import make_dict_unstructure_fn, override

from crampkit._caches import cached
from crampkit._model.checks import Problems, json_keys, structure_hook
from crampkit.exceptions import InvalidInputError

T = TypeVar("T")


def _is_frozenset(type_: object) -> bool:
    return type_ is frozenset or getattr(type_, "__origin__", None) is frozenset


def _unstructure_set(value: frozenset[Any]) -> list[Any]:
    return sorted(member.value if isinstance(member, StrEnum) else member for member in value)


def _attrs_unstructure_hook(cls: type[T], converter: cattrs.Converter) -> Callable[[T], dict[str, Any]]:
    renames = {name: override(rename=key) for name, key in json_keys(cls).items()}
    return make_dict_unstructure_fn(cls, converter, _cattrs_omit_if_default=True, **renames)  # type: ignore[arg-type]


def make_converter() -> cattrs.Converter:
    """Build a converter configured as crampkit's (:func:`converter` keeps the one in use)."""
    new = cattrs.Converter()
    new.register_structure_hook_factory(attrs.has, structure_hook)
    new.register_unstructure_hook(StrEnum, lambda member: member.value)
    new.register_unstructure_hook_factory(attrs.has, _attrs_unstructure_hook)
    new.register_unstructure_hook_func(_is_frozenset, _unstructure_set)
    return new


@cached
def converter() -> cattrs.Converter:
    """The converter every load and dump goes through (built on first use, then kept)."""
    return make_converter()


def structure(data: object, type_: type[T], *, root: str = "input") -> T:
    """Structure ``data`` into ``type_``, raising :class:`InvalidInputError` on any problem.

    Problems at the top level are reported under the name ``root``.
    """
    try:
        return converter().structure(data, type_)
    except Problems as problems:
        raise InvalidInputError(problems.named(root)) from None


def unstructure(value: object) -> Any:  # noqa: ANN401 - JSON-compatible data
    """Turn a crampkit object into JSON-compatible data (dicts, lists, strings, numbers)."""
    return converter().unstructure(value)
