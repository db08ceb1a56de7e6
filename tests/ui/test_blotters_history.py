"""Fills (live), funding payments and order history (set from REST): columns, updates, CSV."""

from __future__ import annotations

import csv
from decimal import Decimal

from PySide6.QtCore import Qt, QTimer

from terminal.domain.orders import OrderStatus, OrderType, Side
from terminal.viewmodels.columns import SORT_ROLE, TONE_ROLE, ExactSortProxy
from terminal.viewmodels.csv_export import write_csv
from terminal.viewmodels.fills import FillsModel
from terminal.viewmodels.formatting import format_datetime_ms
from terminal.viewmodels.funding import FundingPaymentsModel
from terminal.viewmodels.order_history import OrderHistoryModel
from terminal.widgets.blotter import fills_table, funding_table, order_history_table

from .account_fakes import T0, FakeAccount, make_fill, make_order, make_payment


def _row(model, row: int) -> list[str]:
    return [model.index(row, c).data() for c in range(model.columnCount())]


def test_the_models_pass_the_model_tester(qtmodeltester) -> None:
    account = FakeAccount(fills=[make_fill("f2", at_ms=T0 + 1), make_fill("f1")])
    funding = FundingPaymentsModel()
    funding.set_rows([make_payment("p1"), make_payment("p2")])
    history = OrderHistoryModel()
    history.set_rows([make_order("o1", status=OrderStatus.CLOSED, reason="USER_CANCELED")])
    for model in (FillsModel(account), funding, history):
        qtmodeltester.check(model)
        qtmodeltester.check(ExactSortProxy(model))


def test_fills_show_liquidity_fee_and_flags() -> None:
    account = FakeAccount(
        fills=[
            make_fill("f2", side=Side.SELL, liquidity="MAKER", fee="-0.0123", at_ms=T0 + 1),
            make_fill("f1", fill_type="LIQUIDATION", flags=("interactive",)),
        ]
    )
    model = FillsModel(account)
    assert _row(model, 0) == [
        format_datetime_ms(T0 + 1),
        "BTC-USD-PERP",
        "Sell",
        "67,000.5",
        "0.25",
        "Maker",
        "-0.0123",
        "",
    ]
    assert _row(model, 1)[5:] == ["Taker", "0.4188", "Liquidation, interactive"]
    assert model.index(0, 2).data(TONE_ROLE) == "down"
    assert model.index(1, 6).data(SORT_ROLE) == Decimal("0.4187531")


def test_a_new_fill_goes_on_top_within_a_frame() -> None:
    timer = QTimer()
    account = FakeAccount(fills=[make_fill("f1")])
    model = FillsModel(account, timer=timer)
    inserted: list[tuple[int, int]] = []
    model.rowsInserted.connect(lambda _p, a, b: inserted.append((a, b)))
    for i in range(2, 5):
        account.fills.insert(0, make_fill(f"f{i}", at_ms=T0 + i))
        account.notify("fills")
        account.notify("orders")  # not ours: ignored
    assert model.rowCount() == 1
    timer.timeout.emit()
    assert inserted == [(0, 2)]
    assert [model.row_at(r).id for r in range(4)] == ["f4", "f3", "f2", "f1"]


def test_funding_payments_are_set_and_toned_by_sign(tmp_path) -> None:
    model = FundingPaymentsModel()
    model.set_rows([make_payment("p2", payment="0.5", at_ms=T0 + 1), make_payment("p1")])
    assert _row(model, 0)[1:] == ["BTC-USD-PERP", "0.5000", "12.5"]
    assert _row(model, 1)[2] == "-0.1235"
    assert model.index(0, 2).data(TONE_ROLE) == "up" and model.index(1, 2).data(TONE_ROLE) == "down"
    path = tmp_path / "funding.csv"
    write_csv(model, path)
    rows = list(csv.reader(path.open(newline="", encoding="utf-8")))
    assert rows[0] == ["Time", "Market", "Payment", "Index"]
    assert rows[2] == ["2023-11-14T22:13:20.000Z", "BTC-USD-PERP", "-0.123456", "12.5"]
    model.set_rows([])
    model.flush()  # a second list inside one frame waits for the frame's end
    assert model.rowCount() == 0


def test_order_history_says_how_and_why_each_order_ended() -> None:
    model = OrderHistoryModel()
    model.set_rows(
        [
            make_order("rej", status=OrderStatus.CLOSED, reason="NOT_ENOUGH_MARGIN", at_ms=T0 + 4),
            make_order("can", status=OrderStatus.CLOSED, reason="USER_CANCELED", at_ms=T0 + 3),
            make_order(
                "ioc",
                status=OrderStatus.CLOSED,
                reason="REMAINING_IOC_CANCEL",
                remaining="0.2",
                at_ms=T0 + 2,
            ),
            make_order("fil", status=OrderStatus.CLOSED, remaining="0", at_ms=T0 + 1),
            make_order("stp", type=OrderType.STOP_MARKET, price=None, trigger="60000", at_ms=T0),
        ]
    )
    outcomes = [(model.index(r, 9).data(), model.index(r, 11).data()) for r in range(5)]
    assert outcomes == [
        ("Rejected", "not enough margin"),
        ("Cancelled", "cancelled by you"),
        ("Partly filled", "rest not filled at once (IOC)"),
        ("Filled", ""),
        ("Open", ""),
    ]
    assert model.index(0, 9).data(TONE_ROLE) == "down"
    assert _row(model, 4)[3:6] == ["Stop market", "–", "60,000"]


def test_the_history_panels_have_their_names_and_sort(qtbot) -> None:
    account = FakeAccount(fills=[make_fill("a", price="9.5"), make_fill("b", price="10.25")])
    tables = [
        fills_table(FillsModel(account)),
        funding_table(FundingPaymentsModel()),
        order_history_table(OrderHistoryModel()),
    ]
    assert [t.objectName() for t in tables] == ["fillsTable", "fundingTable", "orderHistoryTable"]
    for table in tables:
        qtbot.addWidget(table)
    fills = tables[0]
    fills.sortByColumn(3, Qt.SortOrder.DescendingOrder)
    assert [fills.proxy.index(r, 3).data() for r in range(2)] == ["10.25", "9.5"]
