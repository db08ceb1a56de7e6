"""A websockets client connection that hands each whole message to a callback as it is parsed,
in time slices so that no read, however large, holds the event loop for long.

websockets' own path puts every frame in a queue that a reader task drains with one
`await recv()` per message: at tens of thousands of book messages a second, that queue and
the coroutine round trip per message cost about a third of what the library's whole
receive loop costs. Here the connection calls the sink from `process_event` (websockets'
per-event hook, which its own subclasses override for the handshake), in wire order, with
the message's payload (as `bytes`) and whether it is text. Fragments are joined first
(websockets' frame parser has already enforced `max_size` across them).

Time slices: in the app a message costs 50–110 µs once every panel has had it, and a
socket read can hold thousands (asyncio's transports read up to 256 KiB; one read of
500 deflated deltas took 27 ms to deliver). So the connection works in slices of
`SLICE_S`: it parses a read `*_CHUNK_BYTES` at a time (inflating and splitting frames is
never cut, so a chunk bounds it) and hands messages over until the slice is spent. What is
left (frames parsed but not delivered, bytes not parsed) waits, reading pauses, and later
loop callbacks go on a slice at a time, with Qt's paints and timers in between. Control
frames keep their place in that order: a close behind ten messages comes after them; a
lost connection delivers what was received first. With nothing waiting, a message goes
straight to the sink (no queue on the fast path).

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
"""Seconds of parsing and handling one loop callback may take before the rest waits for
the next: a quarter of a 60 Hz frame, leaving the frame's paints their time."""

DEFLATED_CHUNK_BYTES = 16 * 1024
PLAIN_CHUNK_BYTES = 64 * 1024
"""Bytes parsed at a time, by whether permessage-deflate was negotiated: ≈ 400 book deltas
deflated (≈ 40 bytes each), ≈ 110 JSON or ≈ 400 SBE ones plain, a few ms to parse. Parsing
a whole read at once took up to 63 ms after a pause in a spike (36 KB deflated)."""

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
        self.chunk_bytes: int | None = None
        """Bytes parsed at a time (None until the handshake says what is negotiated)."""
        self._unparsed: deque[bytes] = deque()
        self._backlog: deque[Frame] = deque()
        self._deadline = float("inf")
        self._draining: asyncio.Handle | None = None

    def data_received(self, data: bytes) -> None:
        """Take a read; parse and deliver it within this slice as far as time allows."""
        chunk = self.chunk_bytes or len(data)
        self._unparsed.extend(data[i : i + chunk] for i in range(0, len(data), chunk))
        if self._draining is None and not self._work(perf_counter() + SLICE_S):
            self.transport.pause_reading()  # at most one read waits
            self._draining = self.loop.call_soon(self._drain)

    def eof_received(self) -> None:
        """Deliver what waits first: every message received comes before the end."""
        self._flush()
        super().eof_received()

    def connection_lost(self, exc: Exception | None) -> None:
        """Deliver what waits first: every message received comes before the end."""
        self._flush()
        super().connection_lost(exc)

    def process_event(self, event: Event) -> None:
        """Handle a frame now while the slice has time left, else queue it."""
        if self.response is None or not isinstance(event, Frame):
            super().process_event(event)  # the handshake response
            deflated = bool(self.protocol.extensions)  # permessage-deflate: the only one offered
            self.chunk_bytes = DEFLATED_CHUNK_BYTES if deflated else PLAIN_CHUNK_BYTES
        elif perf_counter() > self._deadline:
            # Wire order holds: once past, the deadline stays past, and a new one starts
            # only when the backlog is empty (`_work` delivers it before parsing more).
            self._backlog.append(event)
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

    def _work(self, deadline: float) -> bool:
        """Deliver parsed frames, then parse the next chunk, until `deadline`; True when
        nothing is left."""
        self._deadline = deadline
        backlog, unparsed = self._backlog, self._unparsed
        while True:
            while backlog:
                self._handle(backlog.popleft())
                if perf_counter() > deadline:
                    return not (backlog or unparsed)
            if not unparsed:
                return True
            super().data_received(unparsed.popleft())
            if perf_counter() > deadline:
                return not (backlog or unparsed)

    def _drain(self) -> None:
        """One more slice; come back for the rest, or read again."""
        self._draining = None
        if self._work(perf_counter() + SLICE_S):
            self.transport.resume_reading()
        else:
            self._draining = self.loop.call_soon(self._drain)

    def _flush(self) -> None:
        """Parse and deliver everything that waits, now."""
        if self._draining is not None:
            self._draining.cancel()
            self._draining = None
        self._work(float("inf"))


def connection_class(sink: Sink) -> type[SinkConnection]:
    """A `SinkConnection` class bound to `sink` (websockets' `create_connection` takes a class)."""

    class BoundSinkConnection(SinkConnection):
        _sink = staticmethod(sink)

    return BoundSinkConnection
