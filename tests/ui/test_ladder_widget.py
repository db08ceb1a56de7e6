"""LadderWidget: renders frames, shows STALE unmistakably, forwards wheel and keys."""

from __future__ import annotations

from decimal import Decimal

from PySide6.QtCore import QPoint, QPointF, Qt
from PySide6.QtGui import QImage, QWheelEvent

from terminal.domain.orders import Side
from terminal.viewmodels.ladder import LadderViewModel
from terminal.widgets.ladder import AUTO, LadderWidget
from terminal.widgets.palette import DARK, LIGHT

from .conftest import make_book, make_instrument, make_trade


def _ladder(qtbot) -> tuple[LadderViewModel, LadderWidget]:
    vm = LadderViewModel(auto_grouping=False)
    vm.set_instrument(make_instrument(tick="0.1"))
    vm.set_book(
        make_book(
            bids=[("100.0", "1"), ("99.9", "2"), ("99.7", "3")],
            asks=[("100.2", "0.5"), ("100.3", "1.5")],
        )
    )
    widget = LadderWidget(vm)
    qtbot.addWidget(widget)
    widget.resize(400, 500)
    widget.show()
    qtbot.waitExposed(widget)
    vm.flush()
    return vm, widget


def _banner(widget: LadderWidget) -> QImage:
    image = widget.canvas.grab().toImage()
    return image.copy(widget.canvas.banner_rect().toRect())


def test_the_canvas_reports_its_height_in_rows(qtbot) -> None:
    vm, widget = _ladder(qtbot)
    rows = (widget.canvas.height() - widget.canvas.row_height) // widget.canvas.row_height
    assert vm.visible_rows == rows
    assert len(vm.frame.rows) == rows


def test_stale_paints_a_banner_that_live_does_not(qtbot) -> None:
    vm, widget = _ladder(qtbot)
    live = _banner(widget)
    vm.set_stale("seq gap: expected 2, got 5")
    vm.flush()
    stale = _banner(widget)
    assert stale != live
    banner_colour = DARK.color("stale_banner").rgb()
    assert stale.pixelColor(2, 2).rgb() == banner_colour
    vm.set_stale(None)
    vm.flush()
    assert _banner(widget) == live


def test_wheel_scrolls_and_recentre_key_recentres(qtbot) -> None:
    vm, widget = _ladder(qtbot)
    canvas = widget.canvas
    centre = QPointF(canvas.width() / 2, canvas.height() / 2)
    event = QWheelEvent(
        centre,
        canvas.mapToGlobal(centre),
        QPoint(0, 0),
        QPoint(0, 120),
        Qt.MouseButton.NoButton,
        Qt.KeyboardModifier.NoModifier,
        Qt.ScrollPhase.NoScrollPhase,
        False,
    )
    canvas.wheelEvent(event)
    vm.flush()
    assert vm.scroll_offset_rows == 3
    assert not widget.auto_centre.isChecked()
    qtbot.keyClick(canvas, Qt.Key.Key_Down)
    vm.flush()
    assert vm.scroll_offset_rows == 2
    qtbot.keyClick(canvas, Qt.Key.Key_Space)
    vm.flush()
    assert vm.scroll_offset_rows == 0


def test_grouping_selector_drives_the_view_model(qtbot) -> None:
    vm, widget = _ladder(qtbot)
    widget.grouping.setCurrentIndex(widget.grouping.findData(10))
    assert vm.grouping == 10
    vm.set_grouping(5)
    assert widget.grouping.currentData() == 5
    assert widget.grouping.currentText() == "0.5"
    vm.set_instrument(make_instrument(tick="0.01"))
    assert widget.grouping.currentText() == "0.05"


def test_auto_item_hands_the_choice_to_the_view_model_and_names_its_pick(qtbot) -> None:
    vm, widget = _ladder(qtbot)
    widget.grouping.setCurrentIndex(widget.grouping.findData(AUTO))
    vm.flush()
    assert vm.auto_grouping
    assert widget.grouping.currentText() == f"Auto · {vm.grouping_label(vm.grouping)}"
    widget.grouping.setCurrentIndex(widget.grouping.findData(25))
    assert not vm.auto_grouping and vm.grouping == 25
    assert widget.grouping.itemText(0) == "Auto"


def test_renders_both_palettes_and_the_last_trade(qtbot) -> None:
    vm, widget = _ladder(qtbot)
    vm.on_trade(make_trade("100.2", side=Side.BUY))
    vm.flush()
    dark = widget.canvas.grab().toImage()
    widget.set_palette(LIGHT)
    light = widget.canvas.grab().toImage()
    assert dark.pixelColor(5, 5) != light.pixelColor(5, 5)
    assert "0.2" in widget.spread.text()


def test_empty_state_says_what_it_waits_for(qtbot) -> None:
    vm = LadderViewModel()
    widget = LadderWidget(vm)
    qtbot.addWidget(widget)
    vm.flush()
    assert vm.frame.message == "Waiting for market…"
    assert not widget.canvas.grab().isNull()


def test_a_click_forwards_the_row_price_and_side(qtbot) -> None:
    vm, widget = _ladder(qtbot)
    canvas = widget.canvas
    index = next(i for i, r in enumerate(vm.frame.rows) if r.price_text == "99.9")
    y = canvas.row_height * (index + 1) + canvas.row_height // 2
    with qtbot.waitSignal(canvas.price_clicked) as blocker:
        qtbot.mouseClick(canvas, Qt.MouseButton.LeftButton, pos=QPoint(10, y))
    assert blocker.args == [Decimal("99.9"), "BUY"]
    with qtbot.waitSignal(canvas.price_clicked) as blocker:
        qtbot.mouseClick(canvas, Qt.MouseButton.LeftButton, pos=QPoint(canvas.width() - 5, y))
    assert blocker.args == [Decimal("99.9"), "SELL"]


def test_narrow_ladder_keeps_the_price_column_whole_and_drops_running_totals(qtbot) -> None:
    _vm, widget = _ladder(qtbot)
    assert widget.minimumSizeHint().width() <= 260  # the toolbar no longer forces 340 px
    widget.resize(220, 400)
    qtbot.waitUntil(lambda: widget.canvas.width() <= 220)
    spans = widget.canvas.column_spans()
    price_width = widget.canvas.fontMetrics().horizontalAdvance("100.0")
    assert spans["price"][1] > price_width
    assert spans["bid_cum"][1] == 0 and spans["ask_cum"][1] == 0
    assert spans["bid"][1] > 0 and spans["ask"][1] > 0
    widget.resize(600, 400)
    qtbot.waitUntil(lambda: widget.canvas.width() >= 600)
    assert widget.canvas.column_spans()["bid_cum"][1] > 0
