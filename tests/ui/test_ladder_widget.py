"""LadderWidget: renders frames, shows STALE unmistakably, forwards wheel and keys."""

from __future__ import annotations

from decimal import Decimal

from PySide6.QtCore import QEvent, QObject, QPoint, QPointF, QRect, Qt
from PySide6.QtGui import QFontMetrics, QImage, QWheelEvent

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


def _deep_ladder(qtbot, width: int) -> tuple[LadderViewModel, LadderWidget]:
    """A BTC-like ladder (five-figure prices, deep book) `width` pixels wide."""
    vm = LadderViewModel(auto_grouping=False)
    vm.set_instrument(make_instrument(tick="0.1"))
    bids = [(f"{67_599.0 - i * 0.1:.1f}", f"{1.5 + i * 0.7:.3f}") for i in range(400)]
    asks = [(f"{67_600.0 + i * 0.1:.1f}", f"{2.25 + i * 0.9:.3f}") for i in range(400)]
    vm.set_book(make_book(bids, asks))
    widget = LadderWidget(vm)
    qtbot.addWidget(widget)
    widget.resize(width, 600)
    widget.show()
    qtbot.waitExposed(widget)
    vm.flush()
    return vm, widget


def test_the_stale_banner_shows_its_whole_reason_on_a_narrow_ladder(qtbot) -> None:
    vm, widget = _deep_ladder(qtbot, 240)
    vm.set_stale("seq gap: expected 232, got 2317")
    vm.flush()
    canvas = widget.canvas
    banner = canvas.banner_rect()
    text = "STALE — resyncing (seq gap: expected 232, got 2317)"
    metrics = QFontMetrics(canvas._bold)
    flags = int(Qt.AlignmentFlag.AlignCenter | Qt.TextFlag.TextWordWrap)
    needed = metrics.boundingRect(banner.adjusted(8, 0, -8, 0).toRect(), flags, text)
    assert needed.height() <= banner.height() and needed.width() <= banner.width() - 16
    assert metrics.horizontalAdvance(text) > canvas.width(), "the reason really is long"


def test_running_totals_stay_while_scrolling_and_show_at_a_1280_px_desk(qtbot) -> None:
    vm, widget = _deep_ladder(qtbot, 300)  # the ladder's share of a 1280 px window
    spans = widget.canvas.column_spans()
    assert spans["bid_cum"][1] > 0 and spans["ask_cum"][1] > 0
    for rows in (5, 40, 80, -200):
        vm.scroll_rows(rows)
        vm.flush()
        assert widget.canvas.column_spans() == spans


def test_no_ladder_text_is_cut_at_a_1280_px_desk(qtbot) -> None:
    vm, widget = _deep_ladder(qtbot, 300)
    vm.on_trade(make_trade("67599.0", side=Side.SELL))
    vm.scroll_rows(-60)  # deep rows: the longest running totals
    vm.flush()
    canvas = widget.canvas
    spans = canvas.column_spans()
    regular, bold = QFontMetrics(canvas.font()), QFontMetrics(canvas._bold)
    for row in vm.frame.rows:
        for key, text in (
            ("bid_cum", row.bid_cum_text),
            ("bid", row.bid_text),
            ("price", row.price_text),
            ("ask", row.ask_text),
            ("ask_cum", row.ask_cum_text),
        ):
            room = canvas._text_rect(key, *spans[key][:1], 0, spans[key][1]).width()
            assert bold.horizontalAdvance(text) <= room, (key, text)
            assert regular.horizontalAdvance(text) <= room, (key, text)
    assert widget.spread.text().endswith("bps)")
    metrics = widget.spread.fontMetrics()
    assert metrics.horizontalAdvance(widget.spread.text()) <= widget.spread.contentsRect().width()


def test_the_last_trade_mark_sits_left_of_the_price(qtbot) -> None:
    vm, widget = _deep_ladder(qtbot, 300)
    vm.on_trade(make_trade("67599.0", side=Side.SELL))
    vm.flush()
    canvas = widget.canvas
    x, w = canvas.column_spans()["price"]
    text_rect = canvas._text_rect("price", x, 0, w)
    text = QFontMetrics(canvas._bold).horizontalAdvance("67,599.0")
    text_left = text_rect.left() + (text_rect.width() - text) / 2
    mark_right = x + 4 + canvas.row_height / 2  # the triangle: CELL_PAD + 2 r
    assert mark_right <= text_left


def test_a_changed_row_repaints_that_row_only(qtbot) -> None:
    vm, widget = _deep_ladder(qtbot, 300)
    canvas = widget.canvas
    painted: list[QRect] = []

    class Spy(QObject):
        def eventFilter(self, watched: QObject, event: QEvent) -> bool:
            if event.type() == QEvent.Type.Paint:
                painted.append(event.rect())
            return False

    spy = Spy(canvas)
    canvas.installEventFilter(spy)
    canvas.update()  # let whatever is pending paint first
    qtbot.waitUntil(lambda: bool(painted))
    painted.clear()
    before = vm.frame
    vm.on_trade(make_trade("67599.0", side=Side.SELL))  # marks a row as the last trade
    vm.flush()
    changed = [i for i, (a, b) in enumerate(zip(before.rows, vm.frame.rows, strict=True)) if a != b]
    assert 1 <= len(changed) <= 2
    qtbot.waitUntil(lambda: bool(painted))
    assert sum(rect.height() for rect in painted) <= len(changed) * canvas.row_height
    canvas.removeEventFilter(spy)


def test_a_narrow_ladder_shortens_its_buttons_instead_of_eliding(qtbot) -> None:
    _vm, widget = _deep_ladder(qtbot, 400)
    assert widget.auto_centre.text() == "Auto-centre"
    widget.setMinimumWidth(150)  # as the window squeezes a panel (MainWindow.install_panel)
    widget.resize(150, 400)
    qtbot.waitUntil(lambda: widget.auto_centre.text() == "Auto")
    for button in (widget.auto_centre, widget.centre):
        assert button.width() >= button.sizeHint().width(), button.text()
        # a short text in a glyph the font lacks would draw as an empty box
        assert all(button.fontMetrics().inFontUcs4(ord(c)) for c in button.text())
