"""The desk: panels installed into the window and retargeted with the selected market.

The market-data service is stubbed at its seam (watch_* → leases, klines); everything
else — view-models, widgets, window — is real and driven synchronously.
"""

from __future__ import annotations

from collections.abc import Callable, Coroutine
from decimal import Decimal
from typing import Any

import pytest

from terminal.app.desk import Desk, first_market
from terminal.app.window import MainWindow
from terminal.domain.instruments import Instrument
from terminal.domain.marketdata import BookUpdate, Candle, Trade
from terminal.domain.orderbook import OrderBook
from terminal.domain.orders import Side
from terminal.widgets.palette import LIGHT


def _instrument(symbol: str) -> Instrument:
    return Instrument(
        symbol=symbol,
        base_currency=symbol.split("-")[0],
        quote_currency="USD",
        settlement_currency="USDC",
        tick_size=Decimal("0.1"),
        step_size=Decimal("0.001"),
        min_notional=Decimal(10),
        max_order_size=Decimal(100),
        position_limit=Decimal(1000),
        max_open_orders=50,
        price_bands_width=Decimal("0.05"),
        max_slippage=Decimal("0.05"),
        funding_period_hours=8,
    )


class FakeLease:
    def __init__(self, channel: str, listener: Callable[[Any], None]) -> None:
        self.channel = channel
        self.listener = listener
        self.released = False

    def release(self) -> None:
        self.released = True


class FakeMarketData:
    """Implements the MarketDataService calls the desk makes."""

    def __init__(self) -> None:
        self.leases: list[FakeLease] = []
        self.klines_asked: list[tuple[str, int]] = []

    def _lease(self, channel: str, listener: Callable[[Any], None]) -> FakeLease:
        lease = FakeLease(channel, listener)
        self.leases.append(lease)
        return lease

    def watch_book(self, market: str, on_update: Callable[[Any], None]) -> FakeLease:
        return self._lease(f"order_book.{market}.deltas", on_update)

    def watch_trades(self, market: str, on_trade: Callable[[Trade], None]) -> FakeLease:
        return self._lease(f"trades.{market}", on_trade)

    def watch_summaries(self, on_summary: Callable[[Any], None]) -> FakeLease:
        return self._lease("markets_summary.ALL", on_summary)

    async def klines(self, market: str, resolution: int, start: int, end: int) -> list[Candle]:
        self.klines_asked.append((market, resolution))
        return []

    def active(self) -> list[str]:
        return sorted(lease.channel for lease in self.leases if not lease.released)


class FakeSupervisor:
    """Records spawned coroutines (closed unrun: the desk's tests are synchronous)."""

    def __init__(self) -> None:
        self.names: list[str] = []

    def spawn(self, coro: Coroutine[Any, Any, Any], *, name: str, **_: Any) -> None:
        self.names.append(name)
        coro.close()


INSTRUMENTS = {s: _instrument(s) for s in ("BTC-USD-PERP", "ETH-USD-PERP", "SOL-USD-PERP")}


@pytest.fixture
def desk(window: MainWindow) -> tuple[Desk, FakeMarketData, FakeSupervisor]:
    market_data = FakeMarketData()
    supervisor = FakeSupervisor()
    built = Desk(window, market_data, INSTRUMENTS, supervisor)  # type: ignore[arg-type]
    return built, market_data, supervisor


def test_first_market_prefers_remembered_then_btc() -> None:
    assert first_market(INSTRUMENTS, "ETH-USD-PERP") == "ETH-USD-PERP"
    assert first_market(INSTRUMENTS, "GONE-USD-PERP") == "BTC-USD-PERP"
    assert first_market({"B": _instrument("B-1"), "A": _instrument("A-1")}) == "A"
    assert first_market({}) == ""


def test_panels_are_installed(desk, window: MainWindow) -> None:
    built, market_data, _ = desk
    assert window.panel("ladder") is built.ladder_widget
    assert window.panel("tape") is built.tape_widget
    assert window.panel("watchlist") is built.watchlist_widget
    assert built.watchlist.rowCount() == 3
    assert market_data.active() == ["markets_summary.ALL"]


def test_selection_acquires_leases_and_asks_history(desk) -> None:
    built, market_data, supervisor = desk
    built.select("BTC-USD-PERP")
    assert market_data.active() == [
        "markets_summary.ALL",
        "order_book.BTC-USD-PERP.deltas",
        "trades.BTC-USD-PERP",
    ]
    assert any(name.startswith("klines BTC-USD-PERP") for name in supervisor.names)


def test_retarget_releases_old_market_and_keeps_summaries(desk) -> None:
    built, market_data, _ = desk
    built.select("BTC-USD-PERP")
    built.select("ETH-USD-PERP")
    assert market_data.active() == [
        "markets_summary.ALL",
        "order_book.ETH-USD-PERP.deltas",
        "trades.ETH-USD-PERP",
    ]
    assert built.chart.market == "ETH-USD-PERP"


def test_trades_reach_tape_and_chart(desk) -> None:
    built, market_data, _ = desk
    built.select("BTC-USD-PERP")
    trades = next(lease for lease in market_data.leases if lease.channel.startswith("trades"))
    trades.listener(
        Trade(
            "t1",
            "BTC-USD-PERP",
            Side.BUY,
            Decimal("65000.1"),
            Decimal("0.5"),
            1_700_000_000_000,
            "FILL",
        )
    )
    built.tape.flush()
    assert built.tape.rowCount() == 1
    assert built.chart.count == 1


def test_close_releases_everything(desk) -> None:
    built, market_data, _ = desk
    built.select("SOL-USD-PERP")
    built.close()
    assert market_data.active() == []


def test_theme_reaches_panels(desk) -> None:
    built, _, _ = desk
    built.set_theme("light")
    assert built._palette is LIGHT


def test_a_stale_book_marks_the_chart_stale_until_live_again(desk) -> None:
    built, market_data, _ = desk
    built.select("BTC-USD-PERP")
    book_lease = next(lease for lease in market_data.leases if lease.channel.startswith("order"))
    book = OrderBook("BTC-USD-PERP")
    book.apply(BookUpdate("BTC-USD-PERP", 1, True, [(6_500_000_000_000, 10**8)], [], 0))
    book_lease.listener(book)
    assert not built.chart.stale
    book.clear("disconnected: eof")
    book_lease.listener(book)
    assert (built.chart.stale, built.chart.stale_reason) == (True, "disconnected: eof")
    book.apply(BookUpdate("BTC-USD-PERP", 7, True, [(6_500_000_000_000, 10**8)], [], 0))
    book_lease.listener(book)
    assert not built.chart.stale


def test_first_live_fires_at_the_first_ladder_paint_after_a_live_book(desk, qtbot) -> None:
    built, market_data, _ = desk
    fired: list[str] = []
    built.on_first_live(lambda: fired.append("live"))
    built.select("BTC-USD-PERP")
    book_lease = next(lease for lease in market_data.leases if lease.channel.startswith("order"))
    book = OrderBook("BTC-USD-PERP")
    book_lease.listener(book)  # empty and stale: not live yet
    built.ladder_widget.canvas.repaint()
    assert fired == []
    book.apply(BookUpdate("BTC-USD-PERP", 1, True, [(6_500_000_000_000, 10**8)], [], 0))
    book_lease.listener(book)
    book_lease.listener(book)
    built.ladder_widget.canvas.repaint()
    built.ladder_widget.canvas.repaint()
    assert fired == ["live"]
