"""A websockets client connection that hands each whole message to a callback as it is parsed.

websockets' own path puts every frame in a queue that a reader task drains with one
`await recv()` per message: at tens of thousands of book messages a second, that queue and
the coroutine round trip per message cost about a third of what the library's whole
receive loop costs. Here the connection calls the sink from `process_event` (websockets'
per-event hook, which its own subclasses override for the handshake), in wire order, with
the message's payload (as `bytes`) and whether it is text. Fragments are joined first
(websockets' frame parser has already enforced `max_size` across them). Nothing is queued,
so the socket is read exactly as fast as the sink handles messages: the sink is the flow
control.

Control frames (ping, pong, close) go on through websockets as before; `recv()` and
`async for` on this connection only wait for the end (they never see a data message).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from websockets.asyncio.client import ClientConnection
from websockets.frames import Frame, Opcode
from websockets.protocol import Event

DEFLATED_READ_BYTES = 16 * 1024
PLAIN_READ_BYTES = 64 * 1024
"""Bytes one socket read takes, by whether permessage-deflate was negotiated: ≈ 400 book
deltas deflated (≈ 40 bytes each), ≈ 110 JSON or ≈ 400 SBE ones plain. asyncio's socket
transport reads 256 KiB, and a read is handled whole in one loop callback: after any pause
in a spike that was up to thousands of deflated messages (one read of 36 KB took 63 ms)
before Qt could paint or a timer run; bounded, the backlog drains between frames (same
spike: largest read 28 ms, loop lag max 70 → 27 ms). Smaller reads cost ingest rate: at
32 KiB the plain-JSON bench lost ≈ 20 %, hence the larger plain bound."""

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

    def process_event(self, event: Event) -> None:
        """Deliver a data frame's whole message to the sink; the rest as websockets does."""
        if self.response is None or not isinstance(event, Frame):
            super().process_event(event)  # the handshake response
            self._bound_reads()
            return
        opcode = event.opcode
        if opcode is Opcode.TEXT or opcode is Opcode.BINARY:
            if event.fin:
                self._sink(bytes(event.data), opcode is Opcode.TEXT)
            else:
                self._text = opcode is Opcode.TEXT
                self._parts = [bytes(event.data)]
        elif opcode is Opcode.CONT:
            self._parts.append(bytes(event.data))
            if event.fin:
                message, self._parts = b"".join(self._parts), []
                self._sink(message, self._text)
        else:
            super().process_event(event)

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
