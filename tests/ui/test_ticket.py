"""The order ticket: its view-model driven synchronously, and its widget via pytest-qt."""

from __future__ import annotations

from decimal import Decimal as D

from PySide6.QtCore import Qt

from terminal.domain.account import Position
from terminal.domain.orders import NewOrder, Order, OrderStatus, OrderType, Side, TimeInForce
from terminal.domain.pretrade import SizeUnit
from terminal.viewmodels.chart_orders import ChartOrdersModel, LineKind
from terminal.viewmodels.ticket import OrderTicketModel
from terminal.widgets.ticket import OrderTicketWidget

from .conftest import make_instrument


def ticket(memory: dict[str, str] | None = None) -> OrderTicketModel:
    model = OrderTicketModel(remembered_size=(memory or {}).get)
    model.set_instrument(make_instrument())
    model.set_quotes(D("100.0"), D("100.2"))
    model.set_mark(D("100.1"))
    model._throttle.flush()
    return model


def test_price_follows_the_touch_until_typed() -> None:
    model = ticket()
    assert model.input.price_text == "100.0"
    model.set_side(Side.SELL)
    assert model.input.price_text == "100.2"
    model.set_price_text("99.5")
    model.set_quotes(D("100.1"), D("100.3"))
    assert model.input.price_text == "99.5"
    model.follow_touch()
    assert model.input.price_text == "100.3"


def test_default_size_is_the_smallest_valid_order_then_the_remembered_one() -> None:
    assert ticket().input.size_text == "0.1"  # 10 USD minimum at 100 → 0.1
    assert ticket({"BTC-USD-PERP": "0.25"}).input.size_text == "0.25"


def test_tick_steps_move_the_price_and_stop_following() -> None:
    model = ticket()
    model.step_price(3)
    assert model.input.price_text == "100.3"
    model.set_quotes(D("101.0"), D("101.2"))
    assert model.input.price_text == "100.3"


def test_submit_hands_over_a_valid_order_and_remembers_its_size() -> None:
    model = ticket()
    model.set_size_text("0.5")
    ready: list[NewOrder] = []
    used: list[tuple[str, str]] = []
    model.order_ready.connect(ready.append)
    model.size_used.connect(lambda m, s: used.append((m, s)))
    assert model.submit()
    assert ready[0].size == D("0.5") and ready[0].price == D("100.0")
    assert used == [("BTC-USD-PERP", "0.5")]


def test_an_invalid_ticket_hands_over_nothing() -> None:
    model = ticket()
    model.set_size_text("0.0005")
    ready: list[NewOrder] = []
    model.order_ready.connect(ready.append)
    assert not model.enabled and not model.submit() and ready == []
    assert "multiple of 0.001" in model.check.errors["size"]


def test_above_the_fat_finger_limit_it_asks_first() -> None:
    model = ticket()
    model.set_fat_finger(D(1000))
    model.set_size_text("20")
    asked: list[str] = []
    ready: list[NewOrder] = []
    model.confirm_needed.connect(lambda text, order: asked.append(text))
    model.order_ready.connect(ready.append)
    assert not model.submit()
    assert asked and "fat-finger" in asked[0] and ready == []


def test_order_at_uses_the_ticket_size_and_explains_a_refusal() -> None:
    model = ticket()
    model.set_size_text("0.3")
    order = model.order_at(Side.SELL, D("100.5"), OrderType.LIMIT)
    assert order is not None and order.size == D("0.3") and order.side is Side.SELL
    stop = model.order_at(Side.BUY, D("101.0"), OrderType.STOP_MARKET)
    assert stop is not None and stop.trigger_price == D("101.0") and stop.price is None
    assert model.order_at(Side.BUY, D("150.0"), OrderType.LIMIT) is None
    assert "outside the band" in model.check.errors["price"]


def test_usd_sizes_and_preview(qtbot) -> None:
    model = ticket()
    model.set_size_unit(SizeUnit.USD)
    model.set_size_text("50")
    assert model.check.size == D("0.5")
    lines = dict(model.preview_lines())
    assert lines["Notional"] == "50.00 USD"


def test_widget_disables_submit_and_shows_the_reason(qtbot) -> None:
    model = ticket()
    widget = OrderTicketWidget(model, confirm=lambda parent, text: True)
    qtbot.addWidget(widget)
    assert widget.objectName() == "orderTicket"
    assert widget.submit.isEnabled() and widget.submit.text() == "Buy 0.1 BTC"
    widget.size_field.clear()
    qtbot.keyClicks(widget.size_field, "abc")
    assert not widget.submit.isEnabled()
    assert "enter a number" in widget.error.text()
    widget.size_field.clear()
    qtbot.keyClicks(widget.size_field, "0.2")
    ready: list[NewOrder] = []
    model.order_ready.connect(ready.append)
    qtbot.mouseClick(widget.submit, Qt.MouseButton.LeftButton)
    assert ready and ready[0].size == D("0.2")


def test_widget_wheel_and_type_choices(qtbot) -> None:
    model = ticket()
    widget = OrderTicketWidget(model)
    qtbot.addWidget(widget)
    widget.price_up.click()
    assert model.input.price_text == "100.1"
    widget.order_type.setCurrentIndex(widget.order_type.findData(OrderType.STOP_LIMIT))
    assert model.input.type is OrderType.STOP_LIMIT
    assert not widget.trigger_field.isHidden()
    widget.tif.setCurrentIndex(widget.tif.findData(TimeInForce.POST_ONLY))
    assert model.input.instruction is TimeInForce.POST_ONLY


def _order(price: str, side: Side = Side.BUY) -> Order:
    return Order(
        id="o1",
        client_id="c1",
        market="BTC-USD-PERP",
        side=side,
        type=OrderType.LIMIT,
        instruction=TimeInForce.GTC,
        size=D("0.2"),
        remaining_size=D("0.2"),
        price=D(price),
        trigger_price=None,
        avg_fill_price=None,
        status=OrderStatus.OPEN,
        cancel_reason="",
        reduce_only=False,
        created_at=1,
        updated_at=1,
        seq_no=1,
    )


def test_chart_lines_for_orders_entry_and_liquidation_and_drag_snaps_to_the_tick() -> None:
    model = ChartOrdersModel()
    model.set_instrument(make_instrument())
    model.set_orders([_order("99.5")])
    model.set_position(
        Position("BTC-USD-PERP", D("-1"), D("100.25"), D(0), D(0), D("140"), None, "OPEN", 1)
    )
    kinds = [line.kind for line in model.lines]
    assert kinds == [LineKind.BUY, LineKind.ENTRY, LineKind.LIQUIDATION]
    assert model.lines[1].label == "entry short 1 @ 100.2"
    assert model.lines[2].label == "liquidation 140.0"
    moves: list[tuple[str, D]] = []
    model.modify_requested.connect(lambda oid, price: moves.append((oid, price)))
    model.drag_finished("o1", 99.2300000001)
    assert moves == [("o1", D("99.2"))]
