"""Open orders: live rows updated in place, cancel and edit-in-place as intents, CSV export."""

from __future__ import annotations

import csv
from decimal import Decimal

import pytest
from PySide6.QtCore import Qt, QTimer

from terminal.domain.orders import OrderStatus, OrderType, Side
from terminal.viewmodels.columns import SORT_ROLE, TONE_ROLE, ExactSortProxy
from terminal.viewmodels.csv_export import write_csv
from terminal.viewmodels.formatting import (
    format_age,
    format_datetime_ms,
    format_decimal,
    format_iso_ms,
)
from terminal.viewmodels.orders import OpenOrdersModel, parse_positive

from .account_fakes import T0, FakeAccount, make_order
from .conftest import make_instrument

NOW = T0 + 65_000


def _model(account: FakeAccount, **kw: object) -> OpenOrdersModel:
    model = OpenOrdersModel(account, clock=lambda: NOW, age_timer=QTimer(), **kw)  # type: ignore[arg-type]
    return model


def _row(model: OpenOrdersModel, row: int) -> list[str]:
    return [model.index(row, c).data() for c in range(model.columnCount())]


def test_open_orders_pass_the_model_tester(qtmodeltester) -> None:
    account = FakeAccount()
    model = _model(account)
    qtmodeltester.check(model)
    account.put_orders(make_order("o1"), make_order("o2", at_ms=T0 + 1))
    model.flush()
    qtmodeltester.check(model)
    qtmodeltester.check(ExactSortProxy(model))


def test_every_column_reads_as_a_trader_expects() -> None:
    account = FakeAccount()
    account.put_orders(
        make_order(
            "o1",
            side=Side.SELL,
            type=OrderType.STOP_LIMIT,
            price="67000.5",
            trigger="66990",
            size="1.5",
            remaining="1",
            reduce_only=True,
            client_id="mine-1",
        )
    )
    model = _model(account)
    assert _row(model, 0) == [
        "BTC-USD-PERP",
        "Sell",
        "Stop limit",
        "67,000.5",
        "66,990",
        "1.5",
        "0.5",
        "Partial",
        "1m 05s",
        "Yes",
        "mine-1",
    ]
    assert model.index(0, 1).data(TONE_ROLE) == "down"
    model.set_instruments([make_instrument("BTC-USD-PERP", tick="0.1", step="0.001")])
    assert _row(model, 0)[3:7] == ["67,000.5", "66,990.0", "1.500", "0.500"]
    market = make_order("m", type=OrderType.MARKET, price=None)
    account.put_orders(market)
    model.flush()
    assert model.index(0, 3).data() == "–" and model.index(0, 4).data() == "–"


def test_the_stream_updates_rows_in_place_newest_on_top() -> None:
    timer = QTimer()
    account = FakeAccount()
    model = _model(account, timer=timer)  # the first refresh runs at once, opening a frame
    events: list[tuple[str, int, int]] = []
    model.rowsInserted.connect(lambda _p, a, b: events.append(("insert", a, b)))
    model.rowsRemoved.connect(lambda _p, a, b: events.append(("remove", a, b)))
    model.dataChanged.connect(lambda tl, br, _r: events.append(("change", tl.row(), br.row())))
    account.put_orders(*(make_order(f"o{i}", at_ms=T0 + i) for i in range(4)))
    assert model.rowCount() == 0, "coalesced until the frame ends"
    timer.timeout.emit()
    assert [model.row_at(r).id for r in range(4)] == ["o3", "o2", "o1", "o0"]
    # A partial fill of o2, o1 and o3 cancelled, a new order: one change, removals, one insert.
    account.put_orders(make_order("o2", at_ms=T0 + 2, remaining="0.1", seq_no=2))
    account.put_orders(make_order("o1", status=OrderStatus.CLOSED, at_ms=T0 + 1))
    account.put_orders(make_order("o3", status=OrderStatus.CLOSED, at_ms=T0 + 3))
    account.put_orders(make_order("o4", at_ms=T0 + 4))
    timer.timeout.emit()
    assert events == [
        ("insert", 0, 3),
        ("remove", 2, 2),
        ("remove", 0, 0),
        ("change", 0, 0),
        ("insert", 0, 0),
    ]
    assert [model.row_at(r).id for r in range(3)] == ["o4", "o2", "o0"]
    assert model.index(1, 7).data() == "Partial"


def test_ages_tick_once_a_second_in_one_ranged_change() -> None:
    now = [T0]
    ages = QTimer()
    account = FakeAccount()
    account.put_orders(make_order("a", at_ms=T0), make_order("b", at_ms=T0 - 3_600_000))
    model = OpenOrdersModel(account, clock=lambda: now[0], age_timer=ages)
    assert ages.isActive() and ages.interval() == 1000
    ranges: list[tuple[int, int, int, int]] = []
    model.dataChanged.connect(
        lambda tl, br, _r: ranges.append((tl.row(), tl.column(), br.row(), br.column()))
    )
    now[0] = T0 + 5_000
    ages.timeout.emit()
    assert ranges == [(0, 8, 1, 8)]
    assert [model.index(r, 8).data() for r in range(2)] == ["5s", "1h 00m"]


def test_cancel_is_an_intent_with_the_order_id(qtbot) -> None:
    account = FakeAccount()
    account.put_orders(make_order("o1"))
    model = _model(account)
    with qtbot.waitSignal(model.cancel_requested) as blocker:
        model.request_cancel(0)
    assert blocker.args == ["o1"]
    assert model.rowCount() == 1, "the row goes when the venue says the order closed"


def test_price_and_size_edit_in_place_as_exact_modify_intents(qtbot) -> None:
    account = FakeAccount()
    account.put_orders(make_order("o1", price="67000.5", size="0.5"))
    model = _model(account)
    price, size = model.index(0, model.price_column), model.index(0, model.size_column)
    assert price.flags() & Qt.ItemFlag.ItemIsEditable
    assert not model.index(0, 0).flags() & Qt.ItemFlag.ItemIsEditable
    assert price.data(Qt.ItemDataRole.EditRole) == "67000.5"
    with qtbot.waitSignal(model.modify_requested) as blocker:
        assert model.setData(price, "67,010.25")
    assert blocker.args == ["o1", "67010.25", "0.5"]
    with qtbot.waitSignal(model.modify_requested) as blocker:
        assert model.setData(size, " 0.75 ")
    assert blocker.args == ["o1", "67000.5", "0.75"]
    assert model.index(0, model.price_column).data() == "67,000.5", "unchanged until confirmed"


@pytest.mark.parametrize("typed", ["", "abc", "0", "-1", "NaN", "Infinity", "1e"])
def test_a_bad_edit_is_refused_with_a_message_and_sends_nothing(qtbot, typed: str) -> None:
    account = FakeAccount()
    account.put_orders(make_order("o1"))
    model = _model(account)
    sent: list[object] = []
    model.modify_requested.connect(lambda *args: sent.append(args))
    with qtbot.waitSignal(model.edit_rejected) as blocker:
        assert not model.setData(model.index(0, model.size_column), typed)
    assert blocker.args[0] == "o1" and "size must be a number above zero" in blocker.args[1]
    assert sent == []


def test_an_unchanged_edit_or_a_market_order_price_sends_nothing() -> None:
    account = FakeAccount()
    account.put_orders(
        make_order("o1", price="100"),
        make_order("m", type=OrderType.MARKET, price=None, at_ms=T0 + 1),
    )
    model = _model(account)
    sent: list[object] = []
    model.modify_requested.connect(lambda *args: sent.append(args))
    assert not model.setData(model.index(1, model.price_column), "100.0")
    assert not model.index(0, model.price_column).flags() & Qt.ItemFlag.ItemIsEditable
    assert not model.setData(model.index(0, model.price_column), "5")
    assert sent == []
    assert model.setData(model.index(0, model.size_column), "2")
    assert sent == [("m", "", "2")], "no limit price to keep: the service decides"


def test_sorting_is_by_exact_decimal() -> None:
    account = FakeAccount()
    account.put_orders(make_order("a", price="9.5"), make_order("b", price="10.25", at_ms=T0 + 1))
    model = _model(account)
    proxy = ExactSortProxy(model)
    proxy.sort(model.price_column, Qt.SortOrder.AscendingOrder)
    assert [proxy.index(r, 3).data() for r in range(2)] == ["9.5", "10.25"]
    assert model.index(0, 3).data(SORT_ROLE) == Decimal("10.25")


def test_csv_holds_every_row_with_exact_figures(tmp_path) -> None:
    account = FakeAccount()
    account.put_orders(
        make_order("o1", price="67000.123456789", size="0.00012345", client_id="x,1"),
        make_order("o2", type=OrderType.MARKET, price=None, at_ms=T0 + 1),
    )
    model = _model(account)
    model.set_instruments([make_instrument("BTC-USD-PERP", tick="0.1", step="0.001")])
    path = tmp_path / "orders.csv"
    assert write_csv(model, path) == 2
    rows = list(csv.reader(path.open(newline="", encoding="utf-8")))
    assert rows[0] == [c.title for c in model.columns]
    assert rows[2][3:7] == ["67000.123456789", "", "0.00012345", "0.00000000"]
    assert rows[2][8] == "65" and rows[2][10] == "x,1"
    assert rows[1][3] == ""


def test_what_rounds_to_zero_shows_unsigned() -> None:
    assert format_decimal(Decimal("-0.00001"), 2) == "0.00"
    assert format_decimal(Decimal("-0E-7"), 4) == "0.0000"
    assert format_decimal(Decimal("-0.005"), 2) == "0.00"  # half-even
    assert format_decimal(Decimal("-0.015"), 2) == "-0.02"


def test_parse_positive() -> None:
    assert parse_positive("1,234.50") == Decimal("1234.50")
    assert parse_positive("0.0") is None and parse_positive("nan") is None


def test_times_and_ages_read_plainly() -> None:
    assert format_iso_ms(1_700_000_000_123) == "2023-11-14T22:13:20.123Z"
    assert format_datetime_ms(T0).count(":") == 2
    assert [format_age(ms) for ms in (999, 65_000, 3_725_000, 90_000_000)] == [
        "0s",
        "1m 05s",
        "1h 02m",
        "1d 01h",
    ]
