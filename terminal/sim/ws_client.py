"""One WebSocket connection's outbound side: a bounded queue drained by its own writer task.

The publisher only ever appends to the queue, so a slow client never slows anyone else;
a client that lets more than `max_queue` messages pile up is disconnected, as Paradex does.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from collections import deque
from collections.abc import Callable

from aiohttp import web

from terminal.sim.jwt import Claims
from terminal.sim.ws_channels import Channel

log = logging.getLogger(__name__)

SLOW_CLIENT_CLOSE = 1008
CLOSE_GRACE_S = 1.0


class WsClient:
    """A connected client: its negotiated encoding, auth, subscriptions and outbound queue."""

    def __init__(
        self,
        ws: web.WebSocketResponse,
        transport: asyncio.BaseTransport | None,
        *,
        sbe_version: int | None,
        max_queue: int,
        delay_s: Callable[[], float],
        on_gone: Callable[[WsClient], None],
    ) -> None:
        self.ws = ws
        self._transport = transport
        self.sbe_version = sbe_version
        self.claims: Claims | None = None
        """The bearer's claims once `auth` succeeded; valid for the connection's lifetime."""
        self.pending_subscription: Channel | None = None
        self.channels: dict[str, Channel] = {}
        self.book_sent: dict[str, tuple[int, int]] = {}
        """Snapshot channel name -> (ms, seq_no) of the last view sent on it."""
        self._max_queue = max_queue
        self._delay_s = delay_s
        self._on_gone = on_gone
        self._queue: deque[tuple[float, str | bytes]] = deque()
        self._wake = asyncio.Event()
        self._writer = asyncio.create_task(self._write_loop(), name="sim-ws-writer")
        self._closer: asyncio.Task[None] | None = None
        self.closing = False

    @property
    def account(self) -> int | None:
        """The authenticated account, if any."""
        return None if self.claims is None else self.claims.account

    @property
    def queued(self) -> int:
        """Messages waiting to be written."""
        return len(self._queue)

    def send(self, frame: str | bytes) -> None:
        """Queue a frame; never blocks. Past the limit the client is dropped instead."""
        if self.closing:
            return
        if len(self._queue) >= self._max_queue:
            log.info("closing a slow client: %d messages unsent", len(self._queue))
            self.close(SLOW_CLIENT_CLOSE, "too many unprocessed messages")
            return
        self._queue.append((time.monotonic(), frame))
        self._wake.set()

    def close(self, code: int = 1000, reason: str = "") -> None:
        """Stop writing and close the connection (bounded in time even if the peer stalls)."""
        if self.closing:
            return
        self.closing = True
        self._queue.clear()
        self._writer.cancel()
        self._closer = asyncio.create_task(self._close(code, reason), name="sim-ws-close")

    async def wait_closed(self) -> None:
        """Finish the writer and any pending close; called by the connection's handler."""
        if not self.closing:
            self.close(1000, "")
        assert self._closer is not None
        await self._closer

    async def _close(self, code: int, reason: str) -> None:
        with contextlib.suppress(asyncio.CancelledError):
            await self._writer
        try:
            async with asyncio.timeout(CLOSE_GRACE_S):
                await self.ws.close(code=code, message=reason.encode())
        except (TimeoutError, ConnectionError, RuntimeError):
            if isinstance(self._transport, asyncio.WriteTransport):
                self._transport.abort()
        finally:
            self._on_gone(self)

    async def _write_loop(self) -> None:
        ws = self.ws
        try:
            while True:
                await self._wake.wait()
                self._wake.clear()
                while self._queue:
                    queued_at, frame = self._queue[0]
                    # The delay fault is latency: each frame leaves `delay` after it was queued.
                    wait = queued_at + self._delay_s() - time.monotonic()
                    if wait > 0:
                        await asyncio.sleep(wait)
                    self._queue.popleft()
                    if isinstance(frame, bytes):
                        await ws.send_bytes(frame)
                    else:
                        await ws.send_str(frame)
        except (ConnectionError, RuntimeError):
            # The peer went away mid-write; the reader side notices and cleans up.
            self._queue.clear()
