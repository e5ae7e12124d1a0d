r"""Every cache crampkit keeps, registered in one place, and one call that empties them all (internal).

There are two kinds:

* **What is worked out once from crampkit's own code and files**: the checks
  of each class, the converter, the packaged knowledge base, the message
  catalogues, the questions' answers, the schema examples. Each is a module
  function decorated with :func:`cached`, which registers it here.
* **What is worked out from input, kept for the next call that sends the
  same**: the FHIR models of a resource, the Markdown escape of a string.
  Each is a module function decorated with :func:`recent`, which keeps the
  most recently used results only and registers it here.
* **What is worked out from one knowledge base**: its compiled plan for each
  region and language (with the parts of guidance it shares), its medicine
  matcher, its question index, its safety-floor problems, its items by id.
  They live in one :class:`Store` that the knowledge base keeps, read
  through typed :class:`Key`\ s, so they live and die with it.

Every value kept never changes, so nothing needs clearing in normal use;
:func:`clear` is for mutation testing, where the code changes after the
caches were filled (``tests/conftest.py`` calls it before each test). Which
caches are kept, and what each one buys, is measured in
``benchmarks/test_cache_benchmarks.py`` (see the performance page).
"""

import functools
import typing
import weakref
from collections.abc import Callable, Hashable
from typing import Any, Generic, ParamSpec, Protocol, TypeVar

__all__ = ["CacheInfo", "Cached", "Key", "Store", "by_identity", "cached", "clear", "recent"]

P = ParamSpec("P")
T = TypeVar("T")
T_co = TypeVar("T_co", covariant=True)

_CLEARS: list[Callable[[], None]] = []
_STORES: "weakref.WeakSet[Store]" = weakref.WeakSet()
_MISSING: Any = object()


class Cached(Protocol[P, T_co]):
    """A function whose results are kept (what :func:`cached` returns)."""

    def __call__(self, *args: P.args, **kwargs: P.kwargs) -> T_co:
        """The result for these arguments: worked out the first time, then kept."""
        ...  # pragma: no cover - a protocol

    def cache_clear(self) -> None:
        """Forget every result kept."""
        ...  # pragma: no cover - a protocol


def cached(function: Callable[P, T]) -> Cached[P, T]:
    """``function`` with every result kept (:func:`functools.cache`), registered so that :func:`clear` forgets them.

    Only for functions of a bounded set of arguments (classes, languages,
    nothing at all): results are never evicted.
    """
    kept = functools.cache(function)
    _CLEARS.append(kept.cache_clear)
    return typing.cast("Cached[P, T]", kept)


BOUNDED: dict[Callable[..., Any], int] = {}
"""Each :func:`recent` function, with the most results it keeps."""


def recent(maxsize: int) -> Callable[[Callable[P, T]], Cached[P, T]]:
    """A decorator: the function with its ``maxsize`` most recently used results kept (:func:`functools.lru_cache`).

    For functions of input (any number of different arguments), registered
    so that :func:`clear` forgets them. Safe from many threads at once.
    """

    def decorate(function: Callable[P, T]) -> Cached[P, T]:
        kept = functools.lru_cache(maxsize=maxsize)(function)
        _CLEARS.append(kept.cache_clear)
        BOUNDED[kept] = maxsize
        return typing.cast("Cached[P, T]", kept)

    return decorate


class CacheInfo(typing.NamedTuple):
    """What a :func:`by_identity` cache holds, as :func:`functools.lru_cache` reports it."""

    hits: int
    misses: int
    maxsize: int
    currsize: int


class _ByIdentity(Generic[T]):
    """A one-argument function with its results kept by the argument's identity (what :func:`by_identity` returns)."""

    __wrapped__: Callable[[Any], T]
    """The function whose results are kept (set, with its name and docstring, by :func:`functools.update_wrapper`)."""

    def __init__(self, function: Callable[[Any], T], maxsize: int) -> None:
        functools.update_wrapper(self, function)
        self._maxsize = maxsize
        self._kept: dict[int, tuple[object, T]] = {}
        self._hits = self._misses = 0

    def __call__(self, value: object) -> T:
        found = self._kept.get(id(value))
        if found is not None:
            self._hits += 1
            return found[1]
        self._misses += 1
        result = self.__wrapped__(value)
        if len(self._kept) >= self._maxsize:
            self._kept.clear()
        self._kept[id(value)] = (value, result)  # the value is held, so its id is not another's while kept
        return result

    def cache_info(self) -> CacheInfo:
        """Hits, misses, the most results kept and how many are."""
        return CacheInfo(self._hits, self._misses, self._maxsize, len(self._kept))

    def cache_clear(self) -> None:
        """Forget every result kept."""
        self._kept.clear()
        self._hits = self._misses = 0


def by_identity(maxsize: int) -> Callable[[Callable[[Any], T]], _ByIdentity[T]]:
    """A decorator: a function of one immutable object, with its results kept by the object's identity.

    For objects that are shared rather than equal (the parts of guidance a
    plan shares): a lookup costs no hashing of the object. The objects are
    held while their results are kept, up to ``maxsize``, then all are
    forgotten at once; registered so that :func:`clear` forgets them.
    """

    def decorate(function: Callable[[Any], T]) -> _ByIdentity[T]:
        kept = _ByIdentity(function, maxsize)
        _CLEARS.append(kept.cache_clear)
        BOUNDED[kept] = maxsize
        return kept

    return decorate


class Key(Generic[T]):
    """One kind of thing that a :class:`Store` keeps; ``T`` is its type."""

    __slots__ = ("name",)

    def __init__(self, name: str) -> None:
        """Name the kind (the name is for people reading a store; keys compare by identity)."""
        self.name = name

    def __repr__(self) -> str:
        """``Key('plan')``."""
        return f"Key({self.name!r})"


class Store:
    """What is worked out from one knowledge base, kept with it (see the module docstring)."""

    __slots__ = ("__weakref__", "_kept")

    def __init__(self) -> None:
        """An empty store, registered so that :func:`clear` empties it too."""
        self._kept: dict[tuple[Key[Any], tuple[Hashable, ...]], Any] = {}
        _STORES.add(self)

    def get(self, key: Key[T], build: Callable[[], T], *variant: Hashable) -> T:
        """The value of ``key`` (for ``variant``, such as a region and a language), built by ``build`` when first asked.

        Safe from many threads at once: two may build the value, and one of
        the two (equal) values is kept and returned to both.
        """
        entry = (key, variant)
        found = self._kept.get(entry, _MISSING)
        if found is _MISSING:
            found = self._kept.setdefault(entry, build())
        return typing.cast("T", found)

    def __len__(self) -> int:
        """How many values are kept."""
        return len(self._kept)

    def clear(self) -> None:
        """Forget every value kept."""
        self._kept.clear()


def clear() -> None:
    """Empty every cache: each :func:`cached` function's, and the :class:`Store` of every knowledge base alive."""
    for clear_one in _CLEARS:
        clear_one()
    for store in list(_STORES):
        store.clear()
