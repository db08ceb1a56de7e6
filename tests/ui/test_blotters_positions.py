"""Positions: marked to the latest mark, close intents, the close-at-limit dialog."""

from __future__ import annotations

import csv
from decimal import Decimal

from PySide6.QtCore import QTimer

from terminal.viewmodels.columns import SORT_ROLE, TONE_ROLE
from terminal.viewmodels.csv_export import write_csv
from terminal.viewmodels.positions import HALF, PositionsModel
from terminal.widgets.positions import PositionsTable

from .account_fakes import T0, FakeAccount, make_position
from .conftest import make_instrument


def _account(*positions) -> FakeAccount:
    account = FakeAccount()
    account.positions = {p.market: p for p in positions}
    return account


def _row(model: PositionsModel, row: int) -> list[str]:
    return [model.index(row, c).data() for c in range(model.columnCount())]


def test_positions_pass_the_model_tester(qtmodeltester) -> None:
    account = _account()
    model = PositionsModel(account)
    qtmodeltester.check(model)
    account.positions = {"BTC-USD-PERP": make_position()}
    account.notify("positions")
    model.flush()
    qtmodeltester.check(model)


def test_every_column_reads_as_a_trader_expects() -> None:
    model = PositionsModel(
        _account(
            make_position("ETH-USD-PERP", "-2", "3000", "-12.345", realized="4.5", leverage="3")
        )
    )
    assert _row(model, 0) == [
        "ETH-USD-PERP",
        "Short",
        "2",
        "3,000",
        "–",
        "-12.34",  # half-even, as every figure on screen
        "4.50",
        "30,000",
        "3.0x",
    ]
    assert model.index(0, 1).data(TONE_ROLE) == "down"
    assert model.index(0, 5).data(TONE_ROLE) == "down" and model.index(0, 6).data(TONE_ROLE) == "up"
    model.set_instruments([make_instrument("ETH-USD-PERP", tick="0.01", step="0.001")])
    assert _row(model, 0)[2:5] == ["2.000", "3,000.00", "–"]


def test_a_fresher_mark_reprices_unrealised_pnl_exactly() -> None:
    timer = QTimer()
    account = _account(make_position("BTC-USD-PERP", "0.3", "60000.1", "100", at_ms=T0))
    model = PositionsModel(account, timer=timer)
    totals: list[Decimal] = []
    model.unrealized_changed.connect(totals.append)
    model.set_mark("BTC-USD-PERP", Decimal("60100.2"), T0 - 1)  # older than the position
    timer.timeout.emit()
    assert model.index(0, 4).data() == "60,100.2"
    assert model.index(0, 5).data(SORT_ROLE) == Decimal("100")
    model.set_mark("BTC-USD-PERP", Decimal("60100.2"), T0 + 1)
    timer.timeout.emit()
    assert model.index(0, 5).data(SORT_ROLE) == Decimal("30.03")  # 0.3 × 100.1, no float
    assert model.unrealized_total() == Decimal("30.03")
    assert totals == [Decimal("30.03")]
    model.set_mark("SOL-USD-PERP", Decimal(1), T0 + 2)  # no position there: nothing to do
    assert not model._throttle.pending


def test_a_burst_of_marks_is_one_ranged_change_per_frame() -> None:
    timer = QTimer()
    account = _account(make_position("A"), make_position("B"), make_position("C"))
    model = PositionsModel(account, timer=timer)
    ranges: list[tuple[int, int]] = []
    model.dataChanged.connect(lambda tl, br, _r: ranges.append((tl.row(), br.row())))
    for i in range(100):
        model.set_mark("A", Decimal(60000 + i), T0 + i + 1)
        model.set_mark("C", Decimal(50000 + i), T0 + i + 1)
    timer.timeout.emit()
    assert ranges == [(0, 2)]
    assert model.index(2, 4).data() == "50,099"


def test_close_intents(qtbot) -> None:
    model = PositionsModel(_account(make_position("BTC-USD-PERP")))
    with qtbot.waitSignal(model.close_requested) as blocker:
        model.request_close(0)
    assert blocker.args == ["BTC-USD-PERP", "1", None]
    with qtbot.waitSignal(model.close_requested) as blocker:
        model.request_close(0, HALF)
    assert blocker.args == ["BTC-USD-PERP", "0.5", None]
    with qtbot.waitSignal(model.close_requested) as blocker:
        assert model.request_close_at_limit("BTC-USD-PERP", "61,000.5") is None
    assert blocker.args == ["BTC-USD-PERP", "1", "61000.5"]
    with qtbot.assertNotEmitted(model.close_requested):
        assert "above zero" in (model.request_close_at_limit("BTC-USD-PERP", "-1") or "")


def test_positions_leave_and_csv_is_exact(tmp_path) -> None:
    account = _account(make_position("A", upnl="1.23456789"), make_position("B"))
    model = PositionsModel(account)
    path = tmp_path / "positions.csv"
    write_csv(model, path)
    rows = list(csv.reader(path.open(newline="", encoding="utf-8")))
    assert rows[1][0] == "A" and rows[1][5] == "1.23456789" and rows[1][4] == ""
    del account.positions["A"]
    account.notify("positions")
    model.flush()
    assert model.rowCount() == 1 and model.row_at(0).market == "B"


def test_positions_table_closes_from_its_menu(qtbot, monkeypatch) -> None:
    account = _account(make_position("BTC-USD-PERP"))
    model = PositionsModel(account)
    model.set_mark("BTC-USD-PERP", Decimal("61000.5"), T0 + 1)
    model.flush()
    table = PositionsTable(model)
    qtbot.addWidget(table)
    table.resize(1280, 220)
    table.show()
    qtbot.waitExposed(table)
    assert table.objectName() == "positionsTable"
    table.setCurrentIndex(table.proxy.index(0, 0))
    sent: list[tuple[object, ...]] = []
    model.close_requested.connect(lambda *args: sent.append(args))
    close, half, limit = table.row_actions
    close.trigger()
    half.trigger()
    asked: list[tuple[str, str]] = []
    answers = iter([("abc", True), ("60999", True)])

    def get_text(_parent, _title, prompt, text=""):
        asked.append((prompt, text))
        return next(answers)

    monkeypatch.setattr("terminal.widgets.positions.QInputDialog.getText", get_text)
    limit.trigger()
    assert asked[0] == ("Limit price to close BTC-USD-PERP:", "61000.5"), "starts at the mark"
    assert asked[1][0].startswith("The limit price must be a number above zero: 'abc'")
    assert sent == [
        ("BTC-USD-PERP", "1", None),
        ("BTC-USD-PERP", "0.5", None),
        ("BTC-USD-PERP", "1", "60999"),
    ]
