"""Click to venue: cancel-all click → DELETE written to the socket (within the click
handler) and → received by the exchange, and ladder click → order acknowledged, p50 / p99
over N runs, under a busy feed vs idle, in the same run.

The real app session (window, desk, trading binding, embedded exchange child) runs on a
qasync loop in this process; clicks are real mouse clicks on the real widgets. "Received"
is the exchange's own arrival time for the request (`GET /_sim/arrivals`, same machine
clock) minus the click time. Busy: the exchange at `--rate 4000` and the app following
every channel of every market (the received msgs/s is printed with the figures).
`python -m bench.bench_trading [RUNS]` (default 100).
"""

from __future__ import annotations

import asyncio
import itertools
import os
import statistics
import sys
import tempfile
import time
from collections.abc import Callable

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import httpx
import qasync
from PySide6.QtCore import QPoint, QSettings, Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QToolButton

from bench.report import emit
from terminal.app.cli import AppOptions
from terminal.app.report import RunReport
from terminal.app.session import MarketSession
from terminal.app.settings import AppSettings
from terminal.app.trading_binding import TradingBinding
from terminal.app.window import MainWindow
from terminal.services.order_latency import percentile
from terminal.services.trading_events import EventKind, TradingEvent

BUSY_RATE = 4_000.0
IDLE_RATE = 20.0
LIMIT_S = 30.0


async def until(predicate: Callable[[], bool], limit_s: float = LIMIT_S) -> None:
    """Wait (polling every ms) until `predicate()` holds."""
    async with asyncio.timeout(limit_s):
        for _ in itertools.count():
            if predicate():
                return
            await asyncio.sleep(0.001)


class Bench:
    """One app session against its own exchange."""

    def __init__(self, session: MarketSession, admin: str) -> None:
        self.session = session
        self.admin = admin
        self.events: list[tuple[float, TradingEvent]] = []
        self.written_ms: list[float] = []
        """Click → the click handler returned with the request written to the urgent line
        (clicks whose request took the pool instead are not counted)."""

    @property
    def trading(self) -> TradingBinding:
        """The session's trading binding (present once the account is live)."""
        assert self.session.trading is not None
        return self.session.trading

    async def arrivals(self, client: httpx.AsyncClient) -> list[dict[str, object]]:
        answer = await client.get(self.admin)
        results: list[dict[str, object]] = answer.json()["results"]
        return results

    async def cancel_all_latency(self, client: httpx.AsyncClient) -> float:
        """Click the red button; ms until the exchange saw DELETE /v1/orders."""
        known = len(await self.arrivals(client))
        button = self.session.window.findChild(QToolButton, "cancelAllButton")
        line = self.session.connection.venue.trading.line  # type: ignore[union-attr]
        on_line = line is not None and line.ready
        clicked, started = time.time(), time.perf_counter()
        QTest.mouseClick(button, Qt.MouseButton.LeftButton)
        handled = time.perf_counter()
        if on_line and line is not None and not line.ready:  # the request is in flight on it
            self.written_ms.append((handled - started) * 1000)
        run = self.trading.trading.last_cancel_all
        await until(lambda: run is not None and run.done)
        rows = (await self.arrivals(client))[known:]
        arrival = next(
            float(r["at"]) for r in rows if r["method"] == "DELETE" and r["path"] == "/v1/orders"
        )
        return (arrival - clicked) * 1000

    async def ladder_click_latency(self) -> float | None:
        """Click a bid row below the touch; ms until the order is acknowledged (None when
        the click found no row or the order was refused: the run is not counted)."""
        desk = self.session.desk
        assert desk is not None
        canvas, ladder = desk.ladder_widget.canvas, desk.ladder
        await until(lambda: ladder.frame.best_bid_units is not None)
        rows = ladder.frame.rows
        best = ladder.frame.best_bid_units
        below = [
            i for i, r in enumerate(rows) if best and r.price_units < best - 2 * ladder.row_units
        ]
        if not below:
            return None
        left, width = canvas.column_spans()["bid"]
        y = int((below[0] + 1) * canvas.row_height + canvas.row_height / 2)
        seen = len(self.events)
        clicked = time.time()
        QTest.mouseClick(canvas, Qt.MouseButton.LeftButton, pos=QPoint(int(left + width / 2), y))
        outcomes = (EventKind.ACCEPTED, EventKind.REJECTED, EventKind.UNKNOWN)
        try:
            await until(lambda: any(e.kind in outcomes for _, e in self.events[seen:]), 5)
        except TimeoutError:
            return None
        acked = next((t for t, e in self.events[seen:] if e.kind is EventKind.ACCEPTED), None)
        run = self.trading.trading.cancel_all()
        await until(lambda: run.done)
        return None if acked is None else (acked - clicked) * 1000


async def run_session(rate: float, runs: int) -> dict[str, object]:
    """Start the app against an exchange at `rate`; measure both latencies `runs` times."""
    with tempfile.TemporaryDirectory() as home:
        settings = AppSettings(QSettings(f"{home}/s.ini", QSettings.Format.IniFormat))
        window = MainWindow(settings)
        window.show()
        session = MarketSession(window, settings, AppOptions(rate=rate, seed=3), RunReport())
        session.start()
        try:
            await until(lambda: session.trading is not None, 60)
            assert session.trading is not None and session.exchange is not None
            await until(lambda: session.trading.account.live, 60)
            market_data = session.trading.market_data
            if rate >= BUSY_RATE:
                for market in session.trading.instruments:
                    market_data.watch_book(market, lambda book: None)
                    market_data.watch_trades(market, lambda trade: None)
                    market_data.watch_bbo(market, lambda bbo: None)
            rest = session.connection.venue.rest.http.base_url  # type: ignore[union-attr]
            bench = Bench(session, rest.removesuffix("/v1") + "/_sim/arrivals")
            session.trading.event_listeners.append(lambda e: bench.events.append((time.time(), e)))
            await asyncio.sleep(2.0)  # let the subscriptions fill the feed
            start_msgs, start_t = market_data.stats().total, time.monotonic()
            async with httpx.AsyncClient(timeout=30) as client:
                cancels = [await bench.cancel_all_latency(client) for _ in range(runs)]
            clicks = [c for _ in range(runs) if (c := await bench.ladder_click_latency())]
            if len(clicks) < runs:
                print(f"# {runs - len(clicks)} ladder clicks not counted", file=sys.stderr)
            received = (market_data.stats().total - start_msgs) / (time.monotonic() - start_t)
            return {
                "cancel": cancels,
                "written": bench.written_ms,
                "click": clicks,
                "received_per_s": received,
            }
        finally:
            await session.close()
            window.close()


def pct(values: list[float], p: float) -> float:
    """Nearest-rank percentile (the one `--report` uses)."""
    value = percentile(values, p)
    assert value is not None
    return value


async def main_async(runs: int) -> None:
    idle = await run_session(IDLE_RATE, runs)
    busy = await run_session(BUSY_RATE, runs)
    print(
        f"# received msgs/s: busy {busy['received_per_s']:.0f}, idle {idle['received_per_s']:.0f}",
        file=sys.stderr,
    )
    for key, name in (
        ("cancel", "cancel_all_click_to_exchange"),
        ("written", "cancel_all_click_to_written"),
        ("click", "ladder_click_to_ack"),
    ):
        loaded, quiet = busy[key], idle[key]
        assert isinstance(loaded, list) and isinstance(quiet, list)
        for figure in (50, 99):
            emit(f"trading.{name}_p{figure}_ms", pct(loaded, figure), "ms", pct(quiet, figure))
        emit(f"trading.{name}_median_ms", statistics.median(loaded), "ms", statistics.median(quiet))
    received = busy["received_per_s"]
    assert isinstance(received, float)
    emit("trading.busy_feed_received_msgs_per_s", received, "msgs/s", 2000.0)


def main() -> None:
    """Idle session, then the busy one; one JSON line per figure."""
    runs = int(sys.argv[1]) if len(sys.argv) > 1 else 100
    app = QApplication.instance() or QApplication([])
    app.setQuitOnLastWindowClosed(False)
    loop = qasync.QEventLoop(app)
    asyncio.set_event_loop(loop)
    with loop:
        loop.run_until_complete(main_async(runs))


if __name__ == "__main__":
    main()
