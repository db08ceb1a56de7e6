"""ChartWidget: draws history and the live bar separately, follows, pans, crosshair."""

from __future__ import annotations

from decimal import Decimal

import numpy as np
from PySide6.QtCore import QEvent, QPointF
from PySide6.QtWidgets import QApplication, QGraphicsItem

from terminal.domain.marketdata import Candle
from terminal.viewmodels.chart import ChartViewModel
from terminal.widgets.chart import FOLLOW_BARS, ChartWidget
from terminal.widgets.palette import DARK, LIGHT

from .conftest import make_instrument, make_trade

T0 = 1_763_683_200_000
MINUTE = 60_000


def _history(n: int) -> list[Candle]:
    out = []
    for i in range(n):
        o = Decimal(100 + i % 7)
        c = o + (Decimal(1) if i % 2 else Decimal(-1))
        out.append(Candle(T0 + i * MINUTE, o, max(o, c) + 1, min(o, c) - 1, c, Decimal(i % 5 + 1)))
    return out


def _chart(qtbot, n: int = 300) -> tuple[ChartViewModel, ChartWidget]:
    vm = ChartViewModel(clock_ms=lambda: T0 + n * MINUTE)
    vm.set_instrument(make_instrument(tick="0.1"))
    widget = ChartWidget(vm)
    qtbot.addWidget(widget)
    widget.resize(800, 500)
    widget.show()
    qtbot.waitExposed(widget)
    vm.set_market("BTC-USD-PERP")
    vm.set_history("BTC-USD-PERP", "1m", _history(n))
    return vm, widget


def _plain(text: str) -> str:
    """A readout as the text item's plain text gives it back (no-break spaces as spaces)."""
    return text.replace("\u00a0", " ")


def _bar_count(candle_set) -> int:
    return sum(len(candle_set.bodies[d].lefts) for d in ("up", "down"))


def test_history_and_live_bar_are_separate_items(qtbot) -> None:
    vm, widget = _chart(qtbot, n=1000)
    drawn = _bar_count(widget.history)
    assert FOLLOW_BARS <= drawn < 999, "history holds the bars in view plus a margin"
    assert _bar_count(widget.live) == 1
    redraws: list[int] = []
    draw = widget.history.set_data
    widget.history.set_data = lambda *a: (redraws.append(1), draw(*a))  # type: ignore[method-assign]
    vm.on_trade(make_trade("150", at_ms=T0 + 999 * MINUTE + 1))
    vm.flush()
    assert redraws == [], "a tick must not rebuild history"
    live_high = max(
        widget.live.wicks[d].yData.max() for d in ("up", "down") if len(widget.live.wicks[d].yData)
    )
    assert live_high == 150.0
    vm.on_trade(make_trade("151", at_ms=T0 + 1000 * MINUTE))
    vm.flush()
    assert redraws == [1]
    assert _bar_count(widget.live) == 1


def test_panning_into_undrawn_history_draws_it(qtbot) -> None:
    _vm, widget = _chart(qtbot, n=1000)
    start = T0 / 1000
    widget.price_plot.setXRange(start, start + 60 * 50, padding=0)
    xs = np.concatenate([widget.history.bodies[d].lefts for d in ("up", "down")])
    assert xs.min() < start + 60 and _bar_count(widget.history) < 999
    (y0, y1) = widget.price_plot.viewRange()[1]
    assert y0 < 99 and y1 > 107


def test_follow_keeps_the_last_bars_in_view_until_the_user_pans(qtbot) -> None:
    vm, widget = _chart(qtbot)
    (x0, x1), (y0, y1) = widget.price_plot.viewRange()
    assert x0 == T0 / 1000 + (300 - FOLLOW_BARS) * 60
    assert x1 > (T0 + 299 * MINUTE) / 1000
    assert y0 < 99 and y1 > 107
    box = widget.price_plot.getViewBox()
    box.translateBy(x=-3000)
    box.sigRangeChangedManually.emit(box.state["mouseEnabled"])
    assert not widget.follow and not widget.follow_button.isChecked()
    panned = widget.price_plot.viewRange()[0]
    vm.on_trade(make_trade("101", at_ms=T0 + 300 * MINUTE))
    vm.flush()
    assert widget.price_plot.viewRange()[0] == panned
    widget.follow_button.click()
    assert widget.follow and widget.price_plot.viewRange()[0][1] > (T0 + 300 * MINUTE) / 1000


def test_timeframe_buttons_drive_the_view_model(qtbot) -> None:
    vm, widget = _chart(qtbot)
    asked: list[tuple] = []
    vm.history_needed.connect(lambda *a: asked.append(a))
    button = next(b for b in widget.timeframes.buttons() if b.text() == "4h")
    button.click()
    assert vm.timeframe == "4h" and asked and asked[0][1] == 60
    assert widget.empty.textItem.toPlainText() == "Loading history…"
    vm.set_timeframe("1d")
    checked = [b.text() for b in widget.timeframes.buttons() if b.isChecked()]
    assert checked == ["1d"]


def test_crosshair_reads_out_the_bar_under_the_mouse(qtbot) -> None:
    vm, widget = _chart(qtbot)
    box = widget.price_plot.getViewBox()
    x = (T0 + 250 * MINUTE) / 1000 + 30
    scene_pos = box.mapViewToScene(QPointF(x, 103))
    widget.graphics.scene().sigMouseMoved.emit(scene_pos)
    assert widget.vline.isVisible()
    assert widget.readout.textItem.toPlainText() == _plain(vm.readout(250))
    assert widget.readout.textItem.toPlainText().startswith("BTC-USD-PERP 1m")
    # the axes say where the crosshair is: the price to the tick, the bar's time
    assert widget.price_tag.isVisible() and widget.price_tag.text == "103.0"
    assert widget.time_tag.isVisible() and widget.time_tag.text == vm.time_label(x)
    # the readout is drawn inside the plot, from its top-left corner
    plot = widget.price_plot.getViewBox().sceneBoundingRect()
    assert plot.contains(widget.readout.sceneBoundingRect().topLeft())
    widget.set_palette(LIGHT)
    assert not widget.grab().isNull()


def test_the_crosshair_and_its_readout_go_when_the_mouse_leaves(qtbot) -> None:
    vm, widget = _chart(qtbot)
    box = widget.price_plot.getViewBox()
    point = box.mapViewToScene(QPointF((T0 + 250 * MINUTE) / 1000 + 30, 103))
    widget.graphics.scene().sigMouseMoved.emit(point)
    assert widget.readout.textItem.toPlainText() == _plain(vm.readout(250))
    QApplication.sendEvent(widget.graphics.viewport(), QEvent(QEvent.Type.Leave))
    crosshair = (widget.vline, widget.hline, widget.vline_volume)
    assert not any(item.isVisible() for item in (*crosshair, widget.price_tag, widget.time_tag))
    assert widget.readout.textItem.toPlainText() == _plain(vm.readout(vm.count - 1))


def test_the_last_price_has_a_line_and_a_tag_on_the_price_axis(qtbot) -> None:
    vm, widget = _chart(qtbot)
    vm.on_trade(make_trade("104.5", at_ms=T0 + 299 * MINUTE + 1))
    vm.flush()
    assert widget.last_line.isVisible() and widget.last_line.value() == 104.5
    assert widget.last_tag.isVisible() and widget.last_tag.text == "104.5"
    tag = widget.last_tag.sceneBoundingRect().center().y()
    line = widget.price_plot.getViewBox().mapViewToScene(QPointF(0, 104.5)).y()
    assert abs(tag - line) < 1
    assert (
        widget.price_plot.getAxis("right")
        .sceneBoundingRect()
        .contains(widget.last_tag.sceneBoundingRect().center())
    )


def test_axes_label_volumes_compactly_and_times_densely(qtbot) -> None:
    _vm, widget = _chart(qtbot)
    volume = widget.volume_plot.getAxis("right")
    assert volume.tickStrings([300_000.0, 1_250_000.0], 1.0, 100_000.0) == ["300K", "1.2M"]
    time_axis = widget.volume_plot.getAxis("bottom")
    (x0, x1), _ = widget.price_plot.viewRange()
    width = time_axis.width()
    ((step, ticks),) = time_axis.tickValues(x0, x1, width)
    assert len(ticks) >= 4, "2 hours of 1m bars in 800 px: a label every half hour at most"
    assert step * width / (x1 - x0) >= 40, "labels never crowd"
    # ticks and texts come from the cache the second time (the stall sampler's finding)
    assert time_axis.tickValues(x0, x1, width) is time_axis.tickValues(x0, x1, width)


def test_a_few_daily_bars_fill_the_view_instead_of_empty_days(qtbot) -> None:
    vm = ChartViewModel(clock_ms=lambda: T0 + 5 * 1440 * MINUTE)
    vm.set_instrument(make_instrument(tick="0.1"))
    widget = ChartWidget(vm)
    qtbot.addWidget(widget)
    widget.resize(800, 500)
    widget.show()
    qtbot.waitExposed(widget)
    vm.set_market("BTC-USD-PERP")
    vm.set_timeframe("1d")
    days = [
        Candle(T0 + i * 1440 * MINUTE, *(Decimal(p) for p in (100, 102, 99, 101, 5)))
        for i in range(5)
    ]
    vm.set_history("BTC-USD-PERP", "1d", days)
    (x0, x1), _ = widget.price_plot.viewRange()
    last_end = (T0 + 5 * 1440 * MINUTE) / 1000
    assert x0 == T0 / 1000
    assert last_end <= x1 < last_end + 0.5 * 86_400, "less than half an empty day"


def test_y_ranges_hold_still_until_a_bar_leaves_them(qtbot) -> None:
    vm, widget = _chart(qtbot)
    price_range = widget.price_plot.viewRange()[1]
    volume_range = widget.volume_plot.viewRange()[1]
    vm.on_trade(make_trade("102", "0.001", at_ms=T0 + 299 * MINUTE + 1))
    vm.flush()
    assert widget.price_plot.viewRange()[1] == price_range
    assert widget.volume_plot.viewRange()[1] == volume_range
    vm.on_trade(make_trade("500", "100", at_ms=T0 + 299 * MINUTE + 2))
    vm.flush()
    assert widget.price_plot.viewRange()[1][1] > 500
    assert widget.volume_plot.viewRange()[1][1] > 100


def test_a_moving_price_axis_paints_straight_and_from_its_pixmap_once_at_rest(qtbot) -> None:
    # The axes draw the grid: their pixmap is the plot's size, too dear to redo every frame
    # of a running market, and cheap to reuse while the range holds still.
    vm, widget = _chart(qtbot)
    axis = widget.price_plot.getAxis("right")
    qtbot.waitUntil(lambda: axis.cacheMode() == QGraphicsItem.CacheMode.DeviceCoordinateCache)
    vm.on_trade(make_trade("500", "1", at_ms=T0 + 299 * MINUTE + 2))
    vm.flush()
    assert axis.cacheMode() == QGraphicsItem.CacheMode.NoCache
    qtbot.waitUntil(lambda: axis.cacheMode() == QGraphicsItem.CacheMode.DeviceCoordinateCache)


def test_narrow_chart_wraps_the_readout_inside_the_plot(qtbot) -> None:
    vm, widget = _chart(qtbot)
    widget.resize(330, 400)
    box = widget.price_plot.getViewBox()
    qtbot.waitUntil(lambda: box.width() < 330)
    readout = widget.readout.sceneBoundingRect()
    assert widget.readout.textItem.toPlainText() == _plain(vm.readout(vm.count - 1))
    assert readout.right() <= box.sceneBoundingRect().right() + 1
    # the bars keep below the wrapped readout instead of running under it
    first, last = widget._visible()
    highest = float(vm.arrays.column("high")[first:last].max())
    assert box.mapViewToScene(QPointF(0, highest)).y() > readout.bottom()
    assert widget.minimumSizeHint().width() <= 330  # the toolbar no longer forces a width


def test_stale_feed_covers_the_chart_with_a_banner_until_live(qtbot) -> None:
    vm, widget = _chart(qtbot)
    assert not widget.stale_cover.isVisible()
    live = widget.graphics.grab().toImage()
    vm.set_stale("disconnected: eof")
    assert widget.stale_cover.isVisible()
    assert "STALE" in widget.stale_cover.text
    assert "disconnected: eof" in widget.stale_cover.text
    stale = widget.graphics.grab().toImage()
    assert stale != live
    banner = widget.stale_cover.banner_rect()
    corner = widget.price_plot.getViewBox().mapToScene(banner.topLeft() + QPointF(2, 2))
    pixel = widget.graphics.mapFromScene(corner)
    assert stale.pixelColor(pixel).rgb() == DARK.color("stale_banner").rgb()
    vm.set_stale(None)
    assert not widget.stale_cover.isVisible()
