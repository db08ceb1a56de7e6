"""A websockets client connection that hands each whole message to a callback as it is parsed,
in time slices so that one large read never holds the event loop for long.

websockets' own path puts every frame in a queue that a reader task drains with one
`await recv()` per message: at tens of thousands of book messages a second, that queue and
the coroutine round trip per message cost about a third of what the library's whole
receive loop costs. Here the connection calls the sink from `process_event` (websockets'
per-event hook, which its own subclasses override for the handshake), in wire order, with
the message's payload (as `bytes`) and whether it is text. Fragments are joined first
(websockets' frame parser has already enforced `max_size` across them).

Time slices: one socket read is parsed whole in one loop callback, and in the app a
message costs 50–110 µs once every panel has had it (a read of 500 deflated deltas took
27 ms). So delivery stops when a callback has run `SLICE_S`: the rest of the read's
events wait in a backlog, reading pauses, and the backlog drains `SLICE_S` at a time in
later callbacks, with Qt's paints and timers in between. Control frames and the end of the
connection keep their place in that order: a close after ten messages comes after them.
While nothing waits, a message goes straight to the sink (no queue on the fast path).

Control frames (ping, pong, close) go on through websockets; `recv()` and `async for` on
this connection only wait for the end (they never see a data message).
"""

from __future__ import annotations

import asyncio
from collections import deque
from collections.abc import Callable
from time import perf_counter
from typing import Any

from websockets.asyncio.client import ClientConnection
from websockets.frames import Frame, Opcode
from websockets.protocol import Event

SLICE_S = 0.004
"""Seconds of message handling one loop callback may take before the rest waits for the
next: a quarter of a 60 Hz frame, leaving the frame's paints their time. The slice also
covers parsing the read, which is never cut (hence the read bounds below)."""

DEFLATED_READ_BYTES = 16 * 1024
PLAIN_READ_BYTES = 64 * 1024
"""Bytes one socket read takes, by whether permessage-deflate was negotiated: ≈ 400 book
deltas deflated (≈ 40 bytes each), ≈ 110 JSON or ≈ 400 SBE ones plain. asyncio's socket
transport reads 256 KiB, and a read is parsed (inflated, split into frames) whole in one
loop callback: thousands of deflated messages after any pause in a spike. Bounded, parsing
one read takes a few ms. Smaller reads cost ingest rate: at 32 KiB the plain-JSON bench
lost ≈ 20 %, hence the larger plain bound."""

Sink = Callable[[bytes, bool], None]
"""`sink(payload, is_text)`: one whole message; it must not raise (it runs inside the
connection's `data_received`, where an exception would break the connection)."""


class SinkConnection(ClientConnection):
    """A `ClientConnection` delivering data messages to `sink` instead of its receive queue.

    Abstract: `connection_class(sink)` makes the subclass `connect(create_connection=…)` takes.
    """

    _sink: Sink

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._parts: list[bytes] = []
        self._text = False
        self._backlog: deque[Frame] = deque()
        self._deadline = float("inf")
        self._draining: asyncio.Handle | None = None

    def data_received(self, data: bytes) -> None:
        """Parse a read and deliver its messages until the slice ends; the rest waits."""
        self._deadline = perf_counter() + SLICE_S
        super().data_received(data)

    def connection_lost(self, exc: Exception | None) -> None:
        """Deliver what waits first: every message received comes before the end."""
        self._flush()
        super().connection_lost(exc)

    def process_event(self, event: Event) -> None:
        """Handle a frame now if nothing waits and the slice has time left, else queue it."""
        if self.response is None or not isinstance(event, Frame):
            super().process_event(event)  # the handshake response
            self._bound_reads()
        elif self._backlog or perf_counter() > self._deadline:
            self._backlog.append(event)
            if self._draining is None:
                self.transport.pause_reading()  # the backlog is at most one read
                self._draining = self.loop.call_soon(self._drain)
        else:
            self._handle(event)

    def _handle(self, frame: Frame) -> None:
        """Give a data frame's whole message to the sink; the rest as websockets does."""
        opcode = frame.opcode
        if opcode is Opcode.TEXT or opcode is Opcode.BINARY:
            if frame.fin:
                self._sink(bytes(frame.data), opcode is Opcode.TEXT)
            else:
                self._text = opcode is Opcode.TEXT
                self._parts = [bytes(frame.data)]
        elif opcode is Opcode.CONT:
            self._parts.append(bytes(frame.data))
            if frame.fin:
                message, self._parts = b"".join(self._parts), []
                self._sink(message, self._text)
        else:
            super().process_event(frame)

    def _drain(self) -> None:
        """Handle one slice of the backlog; come back for the rest, or read again."""
        self._draining = None
        deadline = perf_counter() + SLICE_S
        backlog = self._backlog
        while backlog:
            self._handle(backlog.popleft())
            if perf_counter() > deadline:
                break
        if backlog:
            self._draining = self.loop.call_soon(self._drain)
        else:
            self.transport.resume_reading()

    def _flush(self) -> None:
        """Deliver the whole backlog now."""
        if self._draining is not None:
            self._draining.cancel()
            self._draining = None
        while self._backlog:
            self._handle(self._backlog.popleft())

    def _bound_reads(self) -> None:
        """Read at most *_READ_BYTES at a time (asyncio's socket transport has `max_size`;
        a transport without it, such as TLS's, is left as it is)."""
        transport = self.transport
        if isinstance(getattr(transport, "max_size", None), int):
            deflated = bool(self.protocol.extensions)  # permessage-deflate: the only one offered
            size = DEFLATED_READ_BYTES if deflated else PLAIN_READ_BYTES
            transport.max_size = size  # type: ignore[attr-defined]


def connection_class(sink: Sink) -> type[SinkConnection]:
    """A `SinkConnection` class bound to `sink` (websockets' `create_connection` takes a class)."""

    class BoundSinkConnection(SinkConnection):
        _sink = staticmethod(sink)

    return BoundSinkConnection
