"""uvicorn's HTTP/1.1 protocol (h11) with a deadline for a request's headers.

uvicorn closes idle keep-alive connections, but a client that sends a few
bytes of headers and then nothing keeps its connection forever (a
slowloris). This protocol closes a connection whose request headers are not
complete within the deadline, counted from the moment it connects or its
last answer was sent.
"""

import asyncio
from typing import Any

from uvicorn.protocols.http.h11_impl import H11Protocol

__all__ = ["with_header_timeout"]


class _HeaderDeadline(H11Protocol):
    header_timeout = 10.0
    _deadline: asyncio.TimerHandle | None = None

    def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
        super().connection_made(transport)
        self._arm()

    def _arm(self) -> None:
        self._disarm()
        self._deadline = self.loop.call_later(self.header_timeout, self._too_slow)

    def _disarm(self) -> None:
        if self._deadline is not None:
            self._deadline.cancel()
            self._deadline = None

    def _too_slow(self) -> None:
        self._deadline = None
        self.transport.close()  # closing a closing transport does nothing

    def handle_events(self) -> None:
        cycle = self.cycle
        super().handle_events()
        if self.cycle is not cycle:  # a request's headers arrived
            self._disarm()

    def on_response_complete(self) -> None:
        super().on_response_complete()
        if not self.transport.is_closing():
            self._arm()

    def connection_lost(self, exc: Exception | None) -> None:
        self._disarm()
        super().connection_lost(exc)


def with_header_timeout(seconds: float) -> type[Any]:
    """The protocol class to give uvicorn (``Config(http=...)``): requests' headers must arrive within ``seconds``."""
    return type("HeaderDeadlineProtocol", (_HeaderDeadline,), {"header_timeout": seconds})
