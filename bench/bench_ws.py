"""WebSocket ingest on the app's loop: frames off the wire, decoded, routed and applied to a book.

Paradex drops a client that lets 2,000 messages queue, so the reader must outrun the feed.
The server is another process (`bench.ws_pump`), which sends a recorded book stream (a
snapshot, then deltas with the best_* fields) at wire speed, as JSON text frames or SBE
binary frames, with or without permessage-deflate (the embedded exchange's aiohttp server
accepts websockets' default offer, so the app negotiates it unless told not to). The
client runs on a qasync loop (QCoreApplication, as in the app): the real `WsSession` (whose
connection hands each message over as websockets parses it: `ws/sink_connection.py`), its
subscriber applying every update to an `OrderBook`. Baseline, same run, same loop, same
server and compression: a bare `websockets` receive loop (`async for`) that only counts
frames — the library's floor. REPEATS passes, each case's bare run right before its session
run; figures are medians with the passes' min / median / max, and `paired_ratio` the
median of each pass's session / bare. `*_per_cpu_s` divide by the client's CPU time
instead of the wall clock: on a shared machine, what one free core would take. Budget
(issue 12): ≥ 100k msg/s and ≥ 80 % of the bare loop.
"""

from __future__ import annotations

import asyncio
import json
import sys
import time
from collections.abc import Awaitable, Callable, Iterator
from contextlib import contextmanager
from typing import Any

from websockets.asyncio.client import connect

from bench.report import emit_runs
from bench.server_process import server_process
from terminal.domain.orderbook import OrderBook
from terminal.venues.paradex.ws.session import WsSession

N = 30_000
REPEATS = 5
MARKET = "BTC-USD-PERP"
CHANNEL = f"order_book.{MARKET}.deltas"
SBE_QUERY = "?sbeSchemaId=1&sbeSchemaVersion=2"

Measure = Callable[[str, str, bool], Awaitable[tuple[float, float]]]


@contextmanager
def pump() -> Iterator[str]:
    """The frame pump process; yields its ws:// URL and stops it on exit."""
    with server_process("bench.ws_pump", str(N)) as line:
        yield str(json.loads(line)["ws"])


class Clocks:
    """Wall and CPU time of this process since creation: rates per second and per CPU-second."""

    def __init__(self) -> None:
        self._wall = time.perf_counter()
        self._cpu = time.process_time()

    def rates(self, count: int) -> tuple[float, float]:
        """(count per wall second, count per CPU second of this process)."""
        wall = time.perf_counter() - self._wall
        cpu = max(time.process_time() - self._cpu, 1e-9)
        return count / wall, count / cpu


async def bare_rate(url: str, kind: str, deflate: bool) -> tuple[float, float]:
    """Frames per second a bare `websockets` client receives (ack + snapshot + N deltas)."""
    target = url + SBE_QUERY if kind == "sbe" else url
    async with connect(target, compression="deflate" if deflate else None, max_size=2**22) as ws:
        clocks = Clocks()
        request = {"jsonrpc": "2.0", "id": 1, "method": "subscribe", "params": {"channel": CHANNEL}}
        await ws.send(json.dumps(request))
        received = 0
        async for _ in ws:
            received += 1
            if received == N + 2:
                break
        return clocks.rates(N + 1)


async def session_rate(url: str, kind: str, deflate: bool) -> tuple[float, float]:
    """Updates per second the session decodes, routes and applies to an OrderBook."""
    done = asyncio.Event()
    book = OrderBook(MARKET)
    count = 0

    def on_update(update: Any) -> None:
        nonlocal count
        book.apply(update)
        count += 1
        if count == N + 1:
            done.set()

    session = WsSession(url, sbe_version=2 if kind == "sbe" else None, deflate=deflate)
    await session.start()
    try:
        clocks = Clocks()
        await session.subscribe(CHANNEL, on_update)
        await asyncio.wait_for(done.wait(), timeout=120)
        rates = clocks.rates(N + 1)
    finally:
        await session.close()
    assert not book.stale, book.stale_reason
    return rates


def _on_qasync(run: Callable[[], Awaitable[None]]) -> None:
    """Run a coroutine on a qasync loop over a QCoreApplication, as the app does."""
    import qasync
    from PySide6.QtCore import QCoreApplication

    app = QCoreApplication.instance() or QCoreApplication([sys.argv[0]])
    loop = qasync.QEventLoop(app)
    asyncio.set_event_loop(loop)
    try:
        loop.run_until_complete(run())
    finally:
        loop.close()
        asyncio.set_event_loop(None)


def main() -> None:
    """Print ingest rates for text and SBE, deflate on and off, against the bare loop."""
    cases = [(kind, deflate) for kind in ("text", "sbe") for deflate in (False, True)]
    rates: dict[tuple[str, str, bool], list[float]] = {}
    cpu_rates: dict[tuple[str, str, bool], list[float]] = {}

    async def one_pass(url: str, runs: tuple[tuple[str, Measure], ...]) -> None:
        for kind, deflate in cases:
            for who, measure in runs:
                wall, cpu = await measure(url, kind, deflate)
                rates.setdefault((who, kind, deflate), []).append(wall)
                cpu_rates.setdefault((who, kind, deflate), []).append(cpu)

    with pump() as url:
        for _ in range(REPEATS):
            _on_qasync(lambda: one_pass(url, (("bare", bare_rate), ("session", session_rate))))
            # The same bare loop on plain asyncio: what qasync itself costs.
            asyncio.run(one_pass(url, (("bare_asyncio", bare_rate),)))
    for kind, deflate in cases:
        name = f"ws_ingest_{kind}_{'deflate' if deflate else 'plain'}_msgs_per_s"
        session, bare = rates["session", kind, deflate], rates["bare", kind, deflate]
        emit_runs(name, session, "msg/s", bare, paired=True)
        # Per CPU-second of the client: what one free core would take (the box is shared).
        emit_runs(
            name.replace("_per_s", "_per_cpu_s"),
            cpu_rates["session", kind, deflate],
            "msg/cpu-s",
            cpu_rates["bare", kind, deflate],
            paired=True,
        )
    for kind in ("text", "sbe"):
        # What deflate costs (or saves) the session on loopback: plain vs deflate.
        emit_runs(
            f"ws_ingest_{kind}_plain_vs_deflate",
            rates["session", kind, False],
            "msg/s",
            rates["session", kind, True],
        )
        emit_runs(
            f"ws_bare_{kind}_deflate_qasync_vs_asyncio",
            rates["bare", kind, True],
            "msg/s",
            rates["bare_asyncio", kind, True],
        )


if __name__ == "__main__":
    main()
