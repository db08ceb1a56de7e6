"""The desk: panels installed into the window and retargeted with the selected market.

The market-data service is stubbed at its seam (watch_* → leases, klines); everything
else — view-models, widgets, window — is real and driven synchronously.
"""

from __future__ import annotations

from collections.abc import Callable, Coroutine
from decimal import Decimal
from typing import Any

import pytest

from terminal.app.desk import Desk, DeskPanels, first_market
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
    built = Desk(DeskPanels(window), market_data, INSTRUMENTS, supervisor)  # type: ignore[arg-type]
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


def test_selection_acquires_leases_and_the_chart_loaded_later_asks_history(desk) -> None:
    """The book is subscribed before the chart exists (a live ladder first); the chart,
    once loaded, shows the selected market and asks for its history."""
    built, market_data, supervisor = desk
    built.select("BTC-USD-PERP")
    assert market_data.active() == [
        "markets_summary.ALL",
        "order_book.BTC-USD-PERP.deltas",
        "trades.BTC-USD-PERP",
    ]
    assert built.chart is None and not any(n.startswith("klines") for n in supervisor.names)
    built.load_chart()
    assert built.chart is not None and built.chart.market == "BTC-USD-PERP"
    assert any(name.startswith("klines BTC-USD-PERP") for name in supervisor.names)


def test_retarget_releases_old_market_and_keeps_summaries(desk) -> None:
    built, market_data, _ = desk
    built.select("BTC-USD-PERP")
    built.load_chart()
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
    built.load_chart()
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
    book.clear("connecting")
    book_lease.listener(book)
    built.load_chart()  # after the book went stale: the chart starts stale too
    assert built.chart is not None and built.chart.stale
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


def test_panel_titles_name_the_selected_market(desk, window: MainWindow) -> None:
    built, _, supervisor = desk
    built.select("ETH-USD-PERP")
    titles = {key: dock.windowTitle() for key, dock in window.docks.items()}
    assert titles == {
        "watchlist": "Markets",
        "ladder": "Ladder · ETH-USD-PERP",
        "chart": "Chart · ETH-USD-PERP",
        "tape": "Trades · ETH-USD-PERP",
        "ticket": "Order ticket · ETH-USD-PERP",
        "positions": "Positions",
        "orders": "Open orders",
        "fills": "Fills",
        "funding": "Funding",
        "history": "Order history",
        "account": "Account",
        "notifications": "Log",
    }
    assert "recent trades ETH-USD-PERP" in supervisor.names  # the tape starts full


def test_ctrl_number_focuses_the_panels_main_control_and_marks_its_dock(
    desk, window: MainWindow, qtbot
) -> None:
    built, _, _ = desk
    window.activateWindow()
    qtbot.waitActive(window)
    actions = {a.text(): a for a in window.actions()}
    actions["Focus Markets"].trigger()
    qtbot.waitUntil(lambda: built.watchlist_widget.filter.hasFocus())
    assert window.focus_marker.current is window.docks["watchlist"]
    assert window.docks["watchlist"].property("focused") is True
    actions["Focus Ladder"].trigger()
    qtbot.waitUntil(lambda: built.ladder_widget.canvas.hasFocus())
    assert window.focus_marker.current is window.docks["ladder"]
    assert window.docks["watchlist"].property("focused") is False
    actions["Focus Trades"].trigger()
    qtbot.waitUntil(lambda: built.tape_widget.view.hasFocus())


def test_settings_reach_the_ladder(desk) -> None:
    built, _, _ = desk
    built.set_ladder_grouping(5)
    assert (built.ladder.grouping, built.ladder.auto_grouping) == (5, False)
    built.set_ladder_grouping(0)
    assert built.ladder.auto_grouping
    built.set_ladder_row_height(40)
    assert built.ladder_widget.canvas.row_height == 40
    built.set_ladder_row_height(0)
    assert built.ladder_widget.canvas.row_height < 40


def _feed(built: Desk, market_data: FakeMarketData, market: str) -> None:
    """A BTC-like book, a burst of trades and every market's summary, all shown."""
    from tests.ui.conftest import make_book, make_summary, make_trade

    built.select(market)
    leases = {lease.channel.split(".")[0]: lease for lease in market_data.leases}
    bids = [(f"{67_599.0 - i * 0.1:.1f}", f"{1.5 + i * 0.7:.3f}") for i in range(300)]
    asks = [(f"{67_600.0 + i * 0.1:.1f}", f"{2.25 + i * 0.9:.3f}") for i in range(300)]
    leases["order_book"].listener(make_book(bids, asks, market=market))
    for i in range(40):
        side = Side.BUY if i % 3 else Side.SELL
        trade = make_trade(f"{67_590 + i}.5", f"{i}.125", side, market=market, trade_id=str(i))
        leases["trades"].listener(trade)
    for symbol in INSTRUMENTS:
        leases["markets_summary"].listener(make_summary(symbol, "67597.3", volume_24h="1853000000"))
    built.ladder.flush()
    built.tape.flush()
    built.watchlist.flush()


def _buttons_whole(window: MainWindow) -> list[str]:
    """Buttons and boxes narrower than their natural width ("Aut…tre", "F…w"): none."""
    from PySide6.QtWidgets import QAbstractButton, QComboBox

    cut = [
        b.text()
        for b in window.findChildren(QAbstractButton)
        if b.isVisible() and b.text() and b.width() < b.sizeHint().width()
    ]
    boxes = window.findChildren(QComboBox)
    return cut + [b.currentText() for b in boxes if b.width() < b.sizeHint().width()]


def test_buttons_stay_whole_at_1000_px(desk, window: MainWindow, qtbot) -> None:
    built, market_data, _ = desk
    built.load_chart()
    window.resize(1000, 700)
    window.reset_layout()
    _feed(built, market_data, "BTC-USD-PERP")
    qtbot.waitUntil(lambda: window.width() == 1000 and _buttons_whole(window) == [])


def test_nothing_is_cut_at_1280x800(desk, window: MainWindow, qtbot) -> None:
    from PySide6.QtGui import QFontMetrics

    built, market_data, _ = desk
    built.load_chart()
    window.resize(1280, 800)
    window.reset_layout()
    _feed(built, market_data, "BTC-USD-PERP")
    qtbot.waitUntil(lambda: window.width() == 1280 and _buttons_whole(window) == [])
    # the ladder: five columns, every text inside its cell
    canvas = built.ladder_widget.canvas
    spans = canvas.column_spans()
    assert all(width > 0 for _x, width in spans.values()), spans
    bold = QFontMetrics(canvas._bold)
    for row in built.ladder.frame.rows:
        for key in spans:
            text = getattr(row, "price_text" if key == "price" else f"{key}_text")
            room = canvas._text_rect(key, spans[key][0], 0, spans[key][1]).width()
            assert bold.horizontalAdvance(text) <= room, (key, text)
    spread = built.ladder_widget.spread
    assert spread.text().endswith("bps)")
    assert spread.fontMetrics().horizontalAdvance(spread.text()) <= spread.contentsRect().width()
    # the tape: every shown cell's text inside its column
    view = built.tape_widget.view
    header = view.horizontalHeader()
    for row in range(built.tape.rowCount()):
        for column in range(built.tape.columnCount()):
            if not view.isColumnHidden(column):
                text = built.tape.line(row).texts[column]
                assert view.fontMetrics().horizontalAdvance(text) <= header.sectionSize(column)
    # the markets: titles (with the sort arrow) and figures inside their columns
    markets = built.watchlist_widget
    for column, width in enumerate(markets.column_widths()):
        if not markets.view.isColumnHidden(column):
            assert markets.view.horizontalHeader().sectionSize(column) >= width
