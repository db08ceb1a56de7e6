"""The blotter widgets: object names, sorting by header, row actions, edits, CSV export."""

from __future__ import annotations

import csv

from PySide6.QtCore import QPoint, Qt, QTimer
from PySide6.QtWidgets import QLineEdit, QToolTip

from terminal.viewmodels.orders import OpenOrdersModel
from terminal.widgets.orders import OpenOrdersTable
from terminal.widgets.palette import DARK

from .account_fakes import T0, FakeAccount, make_order


def _shown(widget, qtbot, width: int = 1280, height: int = 220) -> None:
    qtbot.addWidget(widget)
    widget.resize(width, height)
    widget.show()
    qtbot.waitExposed(widget)


def _orders_table(qtbot, *orders) -> tuple[FakeAccount, OpenOrdersModel, OpenOrdersTable]:
    account = FakeAccount()
    account.put_orders(*orders)
    model = OpenOrdersModel(account, clock=lambda: T0, age_timer=QTimer())
    table = OpenOrdersTable(model)
    _shown(table, qtbot)
    return account, model, table


def test_open_orders_table_cancels_by_delete_and_by_menu(qtbot) -> None:
    _account, model, table = _orders_table(qtbot, make_order("o1"), make_order("o2", at_ms=T0 + 1))
    assert table.objectName() == "openOrdersTable"
    table.setCurrentIndex(table.proxy.index(1, 0))
    with qtbot.waitSignal(model.cancel_requested) as blocker:
        qtbot.keyClick(table, Qt.Key.Key_Delete)
    assert blocker.args == ["o1"]
    rect = table.visualRect(table.proxy.index(0, 2))
    menu = table.build_menu(rect.center())
    titles = [a.text() for a in menu.actions() if not a.isSeparator()]
    assert titles == ["Cancel order", "Edit price", "Edit size", "Export CSV…"]
    with qtbot.waitSignal(model.cancel_requested) as blocker:
        table.cancel_action.trigger()
    assert blocker.args == ["o2"]
    menu.deleteLater()


def test_a_header_click_sorts_by_exact_price(qtbot) -> None:
    _account, model, table = _orders_table(
        qtbot, make_order("a", price="9.5"), make_order("b", price="10.25", at_ms=T0 + 1)
    )
    assert table.proxy.index(0, 0).siblingAtColumn(3).data() == "10.25", "newest first"
    header = table.horizontalHeader()
    x = header.sectionViewportPosition(model.price_column) + 5
    qtbot.mouseClick(header.viewport(), Qt.MouseButton.LeftButton, pos=QPoint(x, 5))
    prices = [table.proxy.index(r, model.price_column).data() for r in range(2)]
    assert prices in (["9.5", "10.25"], ["10.25", "9.5"])
    order = table.horizontalHeader().sortIndicatorOrder()
    assert prices == (["9.5", "10.25"] if order == Qt.SortOrder.AscendingOrder else prices[::-1])


def test_editing_a_price_in_place_sends_a_modify_intent(qtbot) -> None:
    _account, model, table = _orders_table(qtbot, make_order("o1", price="67000.5", size="0.5"))
    table.edit_cell(0, model.price_column)
    editor = table.focusWidget()
    assert isinstance(editor, QLineEdit) and editor.text() == "67000.5"
    editor.selectAll()
    qtbot.keyClicks(editor, "66999")
    with qtbot.waitSignal(model.modify_requested) as blocker:
        qtbot.keyClick(editor, Qt.Key.Key_Return)
    assert blocker.args == ["o1", "66999", "0.5"]


def test_a_bad_size_is_refused_where_it_was_typed(qtbot) -> None:
    _account, model, table = _orders_table(qtbot, make_order("o1"))
    sent: list[object] = []
    model.modify_requested.connect(lambda *a: sent.append(a))
    table.edit_cell(0, model.size_column)
    editor = table.focusWidget()
    assert isinstance(editor, QLineEdit)
    editor.selectAll()
    qtbot.keyClicks(editor, "-2")
    with qtbot.waitSignal(model.edit_rejected):
        qtbot.keyClick(editor, Qt.Key.Key_Return)
    assert "size must be a number above zero" in QToolTip.text()
    assert sent == []
    QToolTip.hideText()


def test_export_writes_the_whole_model(qtbot, tmp_path) -> None:
    _account, _model, table = _orders_table(
        qtbot, *(make_order(f"o{i}", at_ms=T0 + i) for i in range(30))
    )
    path = tmp_path / "open.csv"
    table.export_csv(str(path))
    rows = list(csv.reader(path.open(newline="", encoding="utf-8")))
    assert len(rows) == 31 and rows[1][-1] == "c-o29"


def test_export_asks_where_and_does_nothing_when_cancelled(qtbot, tmp_path, monkeypatch) -> None:
    _account, _model, table = _orders_table(qtbot, make_order("o1"))
    path = tmp_path / "asked.csv"
    answers = iter([(str(path), ""), ("", "")])
    monkeypatch.setattr(
        "terminal.widgets.blotter.QFileDialog.getSaveFileName", lambda *a, **k: next(answers)
    )
    table.export_action.trigger()
    assert path.exists()
    path.unlink()
    table.export_action.trigger()
    assert not path.exists()


def test_columns_grow_to_their_widest_text_and_words_have_tooltips(qtbot) -> None:
    account, model, table = _orders_table(qtbot, make_order("o1"))
    header = table.horizontalHeader()
    before = header.sectionSize(0)
    long_name = "kBONKBONKBONK-USD-PERP"
    account.put_orders(make_order("o2", market=long_name, at_ms=T0 + 1))
    model.flush()
    assert header.sectionSize(0) > before
    assert header.sectionSize(0) >= table.fontMetrics().horizontalAdvance(long_name)
    assert model.index(0, 0).data(Qt.ItemDataRole.ToolTipRole) == long_name
    assert model.index(0, model.price_column).data(Qt.ItemDataRole.ToolTipRole) is None


def test_account_blotters_show_stale_until_the_account_is_resynced(qtbot) -> None:
    account, model, table = _orders_table(qtbot, make_order("o1"))
    stale_banner = DARK.color("stale_banner").rgb()
    assert not table.stale
    assert not _has(table.viewport().grab().toImage(), stale_banner)
    with qtbot.waitSignal(model.live_changed) as blocker:
        account.set_live(False)
    assert blocker.args == [False] and not model.live and table.stale
    assert _has(table.viewport().grab().toImage(), stale_banner)
    account.set_live(True)
    assert not table.stale
    assert not _has(table.viewport().grab().toImage(), stale_banner)


def _has(image, colour: int) -> bool:
    return any(
        image.pixel(x, y) == colour for y in range(image.height()) for x in range(image.width())
    )
