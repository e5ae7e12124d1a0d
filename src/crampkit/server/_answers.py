"""The answers the service keeps: a call's cards, kept for the next call that sends the same patient data.

An EHR calls ``patient-view`` each time a chart is opened, so the same
patient's data comes again and again. What the cards depend on is the
call's :func:`key`: the hook, the region, the language, the date ages are
counted on, the context (but the user) and the prefetch. The call's
``hookInstance`` only goes into each card's uuid, so an answer is kept
without it (:class:`Kept`) and given each call's uuids when it is sent.
"""

import collections
import datetime as dt
import hashlib
import json
import threading
from collections.abc import Mapping, Sequence
from typing import Any

import attrs

from crampkit.render.cds_hooks import card_uuid

__all__ = ["Answers", "Kept", "encode_cards", "key"]


def _compact(value: object) -> str:
    """``value`` as compact JSON, as Starlette's ``JSONResponse`` writes it (UTF-8 text, no NaN)."""
    return json.dumps(value, ensure_ascii=False, allow_nan=False, separators=(",", ":"))


def encode_cards(cards: Sequence[Mapping[str, Any]]) -> bytes:
    """The response body of ``cards``: ``{"cards": [...]}`` as compact JSON in UTF-8."""
    return _compact({"cards": cards}).encode("utf-8")


def key(
    service_id: str,
    settings: Mapping[str, str],
    today: dt.date,
    context: Mapping[str, Any],
    prefetch: Mapping[str, Any],
) -> bytes:
    """What a call's cards depend on, as a SHA-256 digest: equal for calls whose cards are equal but for the uuids.

    The user who opened the chart is left out: the cards do not name them.
    """
    about = {name: value for name, value in context.items() if name != "userId"}
    parts = [service_id, sorted(settings.items()), today.isoformat(), about, prefetch]
    text = json.dumps(parts, separators=(",", ":"))  # ASCII: a lone surrogate is written as an escape
    return hashlib.sha256(text.encode("ascii")).digest()


@attrs.frozen
class Kept:
    """The cards of one answer without their uuids: each card's uuid name and the JSON of the rest of it."""

    names: tuple[str, ...]
    """Each card's uuid name, without the call's instance (see ``CardBuilder.uuid_names``)."""
    rests: tuple[bytes, ...]
    """Each card's JSON after its ``uuid`` (the uuid is always a card's first key): ``,"summary":...}``."""

    @classmethod
    def of(cls, cards: Sequence[Mapping[str, Any]], names: Sequence[str]) -> "Kept":
        """The kept form of ``cards`` made with the uuid ``names``, one per card."""
        rests = []
        for card in cards:
            first, *_ = card
            assert first == "uuid"  # noqa: S101 - the card builder writes the uuid first
            rests.append(("," + _compact({name: value for name, value in card.items() if name != "uuid"})[1:]).encode())
        return cls(tuple(names), tuple(rests))

    @property
    def nbytes(self) -> int:
        """How many bytes of JSON (and uuid names) it holds."""
        return sum(map(len, self.names)) + sum(map(len, self.rests))

    @property
    def count(self) -> int:
        """How many cards there are."""
        return len(self.names)

    def encoded(self, instance: str) -> bytes:
        """The response body for the call ``instance``: byte for byte what :func:`encode_cards` writes of its cards."""
        cards = b",".join(
            b'{"uuid":"' + card_uuid(f"{instance}/{name}").encode() + b'"' + rest
            for name, rest in zip(self.names, self.rests, strict=True)
        )
        return b'{"cards":[' + cards + b"]}"


MAX_BYTES = 16 * 1024 * 1024
"""Most bytes of cards' JSON kept in all (the least recently used answers are forgotten first)."""


class Answers:
    """The ``size`` answers most recently used, by :func:`key`; safe from the event loop and worker threads at once.

    They hold at most ``max_bytes`` of cards' JSON in all, so answers that
    echo large input (many unrecognised medicine names) cannot fill the
    memory; an answer over a sixteenth of it is never kept.
    """

    def __init__(self, size: int, max_bytes: int = MAX_BYTES) -> None:
        """Keep at most ``size`` answers (none when it is 0), and at most ``max_bytes`` in all."""
        self.size = size
        self.max_bytes = max_bytes
        self._kept: collections.OrderedDict[bytes, Kept] = collections.OrderedDict()
        self._lock = threading.Lock()
        self.hits = self.misses = self.bytes = 0

    def get(self, digest: bytes) -> Kept | None:
        """The answer kept for ``digest``, or ``None``."""
        with self._lock:
            found = self._kept.get(digest)
            if found is None:
                self.misses += 1
            else:
                self.hits += 1
                self._kept.move_to_end(digest)
            return found

    def put(self, digest: bytes, kept: Kept) -> None:
        """Keep ``kept`` for ``digest``, forgetting the least recently used answer when full."""
        size = kept.nbytes
        if not self.size or size > self.max_bytes // 16:
            return
        with self._lock:
            old = self._kept.pop(digest, None)
            self.bytes += size - (0 if old is None else old.nbytes)
            self._kept[digest] = kept
            while len(self._kept) > self.size or self.bytes > self.max_bytes:
                _, forgotten = self._kept.popitem(last=False)
                self.bytes -= forgotten.nbytes

    def __len__(self) -> int:
        """How many answers are kept."""
        return len(self._kept)
