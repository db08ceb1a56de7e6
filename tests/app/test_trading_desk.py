"""Trading through the widgets against the embedded exchange: the ticket, the hotkeys, the
cancel-all button (with 50 orders in three markets under a busy feed, and with the
WebSocket cut), validation that sends nothing, and flatten-all."""

from __future__ import annotations

import time
from decimal import Decimal
from pathlib import Path

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QLineEdit, QMessageBox, QPushButton, QToolButton

from terminal.domain.orders import NewOrder, OrderType, Side
from terminal.services.trading_events import EventKind

from .trading_harness import TradingDesk, desk_scenario

pytestmark = pytest.mark.slow
MARKETS = ("BTC-USD-PERP", "ETH-USD-PERP", "SOL-USD-PERP")
BUSY_RATE = 4000.0
"""The exchange's event rate for the busy-feed test; with every channel of every market
followed, the app receives well over 1,000 messages a second (asserted)."""


def _button(desk: TradingDesk, name: str) -> QPushButton:
    button = desk.window.findChild(QPushButton, name)
    assert button is not None, name
    return button


def _type(desk: TradingDesk, field: str, text: str) -> None:
    line = desk.trading.ticket_widget.findChild(QLineEdit, field)
    assert line is not None
    line.selectAll()
    QTest.keyClicks(line, text)


def test_place_modify_and_cancel_from_the_ticket(qapp: QApplication, tmp_path: Path) -> None:
    async def scenario(desk: TradingDesk) -> None:
        ticket = desk.trading.ticket
        assert ticket.context is not None and ticket.context.best_bid is not None
        price = ticket.context.best_bid - Decimal(50)
        _type(desk, "ticketPrice", str(price))
        _type(desk, "ticketSize", "0.002")
        submit = _button(desk, "ticketSubmit")
        assert submit.isEnabled() and submit.text() == "Buy 0.002 BTC"
        QTest.mouseClick(submit, Qt.MouseButton.LeftButton)
        account = desk.trading.account
        await desk.until(lambda: len(account.open_orders) == 1)
        order = next(iter(account.open_orders.values()))
        assert order.price == price and order.size == Decimal("0.002")
        desk.trading.trading.modify(order.id, price=price - Decimal(1))
        await desk.until(lambda: account.open_orders[order.id].price == price - Decimal(1))
        desk.trading.trading.cancel(order.id)
        await desk.until(lambda: not account.open_orders)
        assert "sign" in desk.trading.ticket_widget.latency.text()
        kinds = [e.kind for e in desk.events]
        assert EventKind.ACCEPTED in kinds and EventKind.MODIFIED in kinds

    desk_scenario(qapp, tmp_path, scenario)


@pytest.mark.parametrize(
    ("field", "text", "words"),
    [
        ("ticketSize", "abc", "enter a number"),
        ("ticketSize", "-1", "above 0"),
        ("ticketSize", "0.0005", "multiple of 0.001"),
        ("ticketSize", "1000", "largest order"),
        ("ticketPrice", "1.05", "multiple of 0.1"),
        ("ticketPrice", "1", "outside the band"),
    ],
)
def test_bad_input_disables_submit_says_why_and_sends_nothing(
    qapp: QApplication, tmp_path: Path, field: str, text: str, words: str
) -> None:
    async def scenario(desk: TradingDesk) -> None:
        _type(desk, field, text)
        submit = _button(desk, "ticketSubmit")
        assert not submit.isEnabled()
        assert words in desk.trading.ticket_widget.error.text()
        QTest.keyClick(desk.trading.ticket_widget.size_field, Qt.Key.Key_Return)
        assert not any(e.kind is EventKind.SENT for e in desk.events)
        assert await desk.rest_open_orders() == 0

    desk_scenario(qapp, tmp_path, scenario)


def test_hotkeys_buy_at_bid_sell_at_ask_and_cancel_all(qapp: QApplication, tmp_path: Path) -> None:
    async def scenario(desk: TradingDesk) -> None:
        desk.window.activateWindow()
        desk.desk.ladder_widget.setFocus()
        QTest.keyClick(desk.window, Qt.Key.Key_B, Qt.KeyboardModifier.AltModifier)
        QTest.keyClick(desk.window, Qt.Key.Key_S, Qt.KeyboardModifier.AltModifier)
        await desk.until(lambda: sum(e.kind is EventKind.ACCEPTED for e in desk.events) == 2)
        sides = {e.order.side for e in desk.events if e.order is not None}
        assert sides == {Side.BUY, Side.SELL}
        QTest.keyClick(
            desk.window,
            Qt.Key.Key_X,
            Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier,
        )
        await desk.until(lambda: "0 open — confirmed" in desk.trading.toolbar.status.text())

    desk_scenario(qapp, tmp_path, scenario)


def test_a_key_typed_into_a_text_field_never_trades(qapp: QApplication, tmp_path: Path) -> None:
    async def scenario(desk: TradingDesk) -> None:
        desk.trading.hotkeys.bind("buy_bid", lambda: desk.trading.hit_touch(Side.BUY))
        size = desk.trading.ticket_widget.size_field
        size.setFocus()
        QTest.keyClicks(size, "bsx")
        assert not any(e.kind is EventKind.SENT for e in desk.events)

    desk_scenario(qapp, tmp_path, scenario)


async def _fifty_orders(desk: TradingDesk) -> None:
    """50 resting buys, spread over three markets (3 % under each market's bid)."""
    orders = []
    for market in MARKETS:
        inst = desk.venue.instruments[market]
        bbo = await desk.venue.rest.public.bbo(market)
        assert bbo.bid is not None
        price = inst.round_price(bbo.bid * Decimal("0.97"), Side.BUY)
        size = inst.round_size(Decimal(20) / price) + inst.step_size * 5
        orders.append(NewOrder(market, Side.BUY, OrderType.LIMIT, size, price))
    for i in range(50):
        desk.trading.trading.submit(orders[i % 3])
    await desk.until(lambda: len(desk.trading.account.open_orders) == 50)


def test_cancel_all_button_fifty_orders_three_markets_busy_feed(
    qapp: QApplication, tmp_path: Path
) -> None:
    async def scenario(desk: TradingDesk) -> None:
        # Every channel of every market: the feed the app receives is busy.
        for market in MARKETS:
            desk.desk.market_data.watch_book(market, lambda book: None)
            desk.desk.market_data.watch_trades(market, lambda trade: None)
            desk.desk.market_data.watch_bbo(market, lambda bbo: None)
        await _fifty_orders(desk)
        button = desk.window.findChild(QToolButton, "cancelAllButton")
        assert button is not None
        stats = desk.desk.market_data.stats
        before, started = stats().total, time.monotonic()
        QTest.mouseClick(button, Qt.MouseButton.LeftButton)
        status = desk.trading.toolbar.status
        await desk.until(lambda: "confirmed by stream and REST" in status.text())
        assert status.text().endswith("0 open — confirmed by stream and REST")
        received = (stats().total - before) / (time.monotonic() - started)
        assert received > 1000, f"the feed was not busy: {received:.0f} msgs/s"
        assert await desk.rest_open_orders() == 0

    desk_scenario(qapp, tmp_path, scenario, rate=BUSY_RATE)


def test_cancel_all_with_the_websocket_cut(qapp: QApplication, tmp_path: Path) -> None:
    async def scenario(desk: TradingDesk) -> None:
        await _fifty_orders(desk)
        await desk.venue.ws.close()
        await desk.until(lambda: not desk.trading.account.live)
        QTest.mouseClick(
            desk.window.findChild(QToolButton, "cancelAllButton"), Qt.MouseButton.LeftButton
        )
        status = desk.trading.toolbar.status
        await desk.until(lambda: "confirmed by REST (stream down)" in status.text())
        assert await desk.rest_open_orders() == 0

    desk_scenario(qapp, tmp_path, scenario)


def test_a_rejected_order_shows_its_reason(qapp: QApplication, tmp_path: Path) -> None:
    async def scenario(desk: TradingDesk) -> None:
        # Sent past the ticket's checks (as a script might): the venue refuses it in words.
        ticket = desk.trading.ticket
        assert ticket.context is not None and ticket.context.best_bid is not None
        price = ticket.context.best_bid - Decimal("10.05")
        desk.trading.send(
            NewOrder("BTC-USD-PERP", Side.BUY, OrderType.LIMIT, Decimal("0.002"), price)
        )
        await desk.until(lambda: any(e.kind is EventKind.REJECTED for e in desk.events))
        rejected = next(e for e in desk.events if e.kind is EventKind.REJECTED)
        assert "price" in rejected.text.lower() and "tick" in rejected.text.lower(), rejected.text
        assert await desk.rest_open_orders() == 0

    desk_scenario(qapp, tmp_path, scenario)


def test_flatten_all_leaves_no_position(
    qapp: QApplication, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(
        QMessageBox, "question", staticmethod(lambda *a, **k: QMessageBox.StandardButton.Yes)
    )

    async def scenario(desk: TradingDesk) -> None:
        service = desk.trading.trading
        service.submit(NewOrder("ETH-USD-PERP", Side.BUY, OrderType.MARKET, Decimal("0.05")))
        service.submit(NewOrder("SOL-USD-PERP", Side.SELL, OrderType.MARKET, Decimal("1")))
        account = desk.trading.account
        await desk.until(lambda: len(account.positions) == 2)
        QTest.mouseClick(
            desk.window.findChild(QToolButton, "flattenButton"), Qt.MouseButton.LeftButton
        )
        await desk.until(lambda: not account.positions)
        assert desk.venue.trading is not None
        assert [p for p in await desk.venue.trading.positions() if p.size] == []

    desk_scenario(qapp, tmp_path, scenario)


def _row_y(desk: TradingDesk, price_units: int) -> int | None:
    canvas = desk.desk.ladder_widget.canvas
    rows = desk.desk.ladder.frame.rows
    for index, row in enumerate(rows):
        if row.price_units == price_units:
            return int((index + 1) * canvas.row_height + canvas.row_height / 2)
    return None


def test_ladder_click_places_drag_modifies_and_marker_click_cancels(
    qapp: QApplication, tmp_path: Path
) -> None:
    async def scenario(desk: TradingDesk) -> None:
        ladder = desk.desk.ladder
        canvas = desk.desk.ladder_widget.canvas
        # Rows stay put once the view stops following the market: keep the grouping that
        # Auto picked for this book (the spread in a row or two) and stop choosing.
        await desk.until(lambda: ladder.frame.best_bid_units is not None)
        ladder.set_grouping(ladder.grouping)
        ladder.recentre()
        ladder.flush()

        def rows_below_the_bid() -> bool:
            best = ladder.frame.best_bid_units
            return best is not None and all(
                _row_y(desk, best - n * ladder.row_units) is not None for n in (6, 8)
            )

        await desk.until(rows_below_the_bid)
        ladder.set_auto_centre(False)
        step = ladder.row_units
        target = ladder.frame.best_bid_units - 6 * step  # type: ignore[operator]
        y = _row_y(desk, target)
        assert y is not None
        x_bid = int(sum(canvas.column_spans()["bid"]) - canvas.column_spans()["bid"][1] / 2)
        QTest.mouseClick(canvas, Qt.MouseButton.LeftButton, pos=QPoint(x_bid, y))
        account = desk.trading.account
        await desk.until(lambda: len(account.open_orders) == 1)
        order = next(iter(account.open_orders.values()))
        assert order.side is Side.BUY and order.type is OrderType.LIMIT
        await desk.until(lambda: bool(canvas.marker_rects()))
        rect, marker_id = canvas.marker_rects()[0]
        assert marker_id == order.id
        start = rect.center().toPoint()
        lower = _row_y(desk, target - 2 * step)
        assert lower is not None
        QTest.mousePress(canvas, Qt.MouseButton.LeftButton, pos=start)
        QTest.mouseRelease(canvas, Qt.MouseButton.LeftButton, pos=QPoint(start.x(), lower))
        moved = ladder.row_price(lower // canvas.row_height - 1)
        await desk.until(lambda: getattr(account.open_orders.get(order.id), "price", None) == moved)

        def marker_of_order() -> QPoint | None:
            return next(
                (r.center().toPoint() for r, oid in canvas.marker_rects() if oid == order.id),
                None,
            )

        await desk.until(lambda: marker_of_order() is not None)
        QTest.mouseClick(canvas, Qt.MouseButton.LeftButton, pos=marker_of_order())
        await desk.until(lambda: not account.open_orders)
        assert await desk.rest_open_orders() == 0

    desk_scenario(qapp, tmp_path, scenario)


def test_chart_order_line_drag_modifies_and_its_menu_cancels(
    qapp: QApplication, tmp_path: Path
) -> None:
    async def scenario(desk: TradingDesk) -> None:
        ticket = desk.trading.ticket
        assert ticket.context is not None and ticket.context.best_bid is not None
        price = ticket.context.best_bid - Decimal(40)
        desk.trading.send(
            NewOrder("BTC-USD-PERP", Side.BUY, OrderType.LIMIT, Decimal("0.002"), price)
        )
        lines = desk.trading.chart_lines
        assert lines is not None
        await desk.until(lambda: any(item.chart_line.order_id for item in lines.lines))
        item = next(item for item in lines.lines if item.chart_line.order_id)
        assert item.chart_line.label.startswith("B 0.002 @ ")
        order_id = item.chart_line.order_id
        item.setValue(float(price - Decimal(10)) + 0.04)  # dropped a little off the tick
        item.sigPositionChangeFinished.emit(item)
        account = desk.trading.account
        await desk.until(lambda: account.open_orders[order_id].price == price - Decimal(10))
        await desk.until(
            lambda: any(
                i.chart_line.order_id == order_id and i.value() == float(price - Decimal(10))
                for i in lines.lines
            )
        )
        item = next(i for i in lines.lines if i.chart_line.order_id == order_id)
        menu = item.show_menu(QPoint(10, 10))
        menu.actions()[0].trigger()
        menu.close()
        await desk.until(lambda: not account.open_orders)
        await desk.until(lambda: not lines.lines)

    desk_scenario(qapp, tmp_path, scenario)


def test_an_unknown_outcome_is_offered_for_reconciliation(
    qapp: QApplication, tmp_path: Path
) -> None:
    async def scenario(desk: TradingDesk) -> None:
        from terminal.services.trading_events import Level, TradingEvent

        toolbar = desk.trading.toolbar
        assert not toolbar.reconcile_action.isVisible()
        lost = TradingEvent(
            EventKind.UNKNOWN,
            Level.ERROR,
            "BUY 0.01 BTC-USD-PERP: outcome unknown",
            "BTC-USD-PERP",
            client_id="feedfacefeedfacefeedfacefeedface",
        )
        for listener in desk.trading.trading._listeners:
            listener(lost)
        assert toolbar.reconcile_action.isVisible() and "feedface" in toolbar.reconcile.text()
        toolbar.reconcile.click()
        # The venue has no such order: it was never placed, and nothing is resent.
        await desk.until(lambda: not toolbar.reconcile_action.isVisible())
        said = [e.text for e in desk.events if e.client_id == lost.client_id]
        assert any("was not placed" in text for text in said), said
        assert not any(e.kind is EventKind.SENT for e in desk.events)

    desk_scenario(qapp, tmp_path, scenario)
