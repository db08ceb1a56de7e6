"""The price chart: pyqtgraph candlesticks over volume, bound to a ChartViewModel.

History is drawn as a few vectorised items (one rect batch per colour for bodies, one
`connect="pairs"` curve per colour for wicks, the same for volume); the live bar is its
own small set of items, so a trade redraws one bar, not five thousand.
"""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QEvent, QObject, QPointF, QRectF, Qt
from PySide6.QtGui import QBrush, QFont, QPainter, QPen, QResizeEvent
from PySide6.QtWidgets import (
    QButtonGroup,
    QHBoxLayout,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from terminal.viewmodels.candles import TIMEFRAMES
from terminal.viewmodels.chart import FIELDS, ChartViewModel
from terminal.widgets.chart_axes import AxisTag, TimeAxis, price_axis, volume_axis
from terminal.widgets.palette import DARK, Palette
from terminal.widgets.stale import StaleCover
from terminal.widgets.toolbar import CompactTexts

BODY_WIDTH = 0.7  # of the bar interval
FOLLOW_BARS = 120  # bars in view while following the live edge
RIGHT_MARGIN_BARS = 3  # empty bars right of the live one, at most (fewer when few bars show)
MARGIN_SHARE = 1 / 40  # …and at most this share of the bars in view
HISTORY_SLACK_BARS = 20  # how far past the oldest bar the user may pan
Y_SLACK = 0.05  # headroom above and below the bars, as a fraction of their range


class RectBatch(pg.GraphicsObject):  # type: ignore[misc]  # pyqtgraph is untyped
    """Many same-coloured rectangles drawn with one `drawRects` call.

    Like a single-brush `pg.BarGraphItem`, minus its per-call pixel-padding arithmetic in
    `boundingRect` (called many times per frame): the bounds are computed once per update.
    """

    def __init__(self) -> None:
        super().__init__()
        self._rects = pg.Qt.internals.PrimitiveArray(QRectF, 4)
        self._bounds = QRectF()
        self._pen = QPen(Qt.PenStyle.NoPen)
        self._brush = QBrush()

    def set_colours(self, pen: QPen, brush: QBrush) -> None:
        """Outline and fill for every rectangle."""
        self._pen, self._brush = pen, brush
        self.update()

    def set_rects(self, x0: np.ndarray, y0: np.ndarray, width: float, height: np.ndarray) -> None:
        """Replace the rectangles: left edges, bottoms, one width, heights."""
        self.prepareGeometryChange()
        self._rects.resize(len(x0))
        memory = self._rects.ndarray()
        memory[:, 0] = x0
        memory[:, 1] = y0
        memory[:, 2] = width
        memory[:, 3] = height
        if len(x0):
            self._bounds = QRectF(
                float(x0.min()),
                float(y0.min()),
                float(x0.max()) + width - float(x0.min()),
                float((y0 + height).max() - y0.min()),
            )
        else:
            self._bounds = QRectF()
        self.update()

    @property
    def lefts(self) -> np.ndarray:
        """The rectangles' left edges (a copy)."""
        return np.array(self._rects.ndarray()[:, 0])

    def boundingRect(self) -> QRectF:
        return self._bounds

    def paint(self, painter: QPainter, *_args: object) -> None:
        painter.setPen(self._pen)
        painter.setBrush(self._brush)
        painter.drawRects(*self._rects.drawargs())


class CandleSet:
    """Candles (bodies, wicks) and their volume bars as six vectorised items: up and down."""

    def __init__(self, price: pg.PlotItem, volume: pg.PlotItem, z: float = 0) -> None:
        self.bodies = {d: RectBatch() for d in ("up", "down")}
        self.wicks = {d: pg.PlotCurveItem(connect="pairs") for d in ("up", "down")}
        self.volumes = {d: RectBatch() for d in ("up", "down")}
        for direction in ("up", "down"):
            for item, plot in (
                (self.wicks[direction], price),
                (self.bodies[direction], price),
                (self.volumes[direction], volume),
            ):
                item.setZValue(z)
                plot.addItem(item)

    def set_palette(self, palette: Palette) -> None:
        """Colour up bars with the bid colour and down bars with the ask colour."""
        for direction, field in (("up", "bid"), ("down", "ask")):
            colour = palette.color(field)
            # A cosmetic pen keeps a doji (open == close) visible as a line.
            self.bodies[direction].set_colours(pg.mkPen(colour, width=1), QBrush(colour))
            self.wicks[direction].setPen(pg.mkPen(colour, width=1))
            faded = palette.color(f"{field}_bar")
            self.volumes[direction].set_colours(QPen(Qt.PenStyle.NoPen), QBrush(faded))

    def set_data(self, arrays: dict[str, np.ndarray], bar_seconds: float) -> None:
        """Draw these bars (float arrays for pixels: time in seconds, OHLCV)."""
        t, o, h, lo, c, v = (arrays[k] for k in FIELDS)
        width = bar_seconds * BODY_WIDTH
        left = t + (bar_seconds - width) / 2
        up = c >= o
        for direction, mask in (("up", up), ("down", ~up)):
            xs = left[mask]
            self.bodies[direction].set_rects(
                xs, np.minimum(o[mask], c[mask]), width, np.abs(c[mask] - o[mask])
            )
            self.wicks[direction].setData(
                x=np.repeat(xs + width / 2, 2), y=np.column_stack((lo[mask], h[mask])).ravel()
            )
            self.volumes[direction].set_rects(xs, np.zeros(len(xs)), width, v[mask])


class ChartWidget(QWidget):
    """Candles with volume below, timeframe buttons, crosshair readout and follow mode."""

    def __init__(self, vm: ChartViewModel, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._vm = vm
        self._palette = DARK
        self.follow = True
        self._drawn = (0, -1)  # indices [lo, hi) of the bars the history items hold
        self._y_fit: tuple[float, float, float, float] | None = None  # lo, hi, volume, room
        self._axes_show_values = True
        self._hover_index: int | None = None
        self._last_look: tuple[bool, Palette] | None = None  # the last-price line's colours

        self.graphics = pg.GraphicsLayoutWidget(self)
        self.graphics.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.price_plot: pg.PlotItem = self.graphics.addPlot(
            row=0, col=0, axisItems={"right": price_axis(), "bottom": TimeAxis()}
        )
        self.volume_plot: pg.PlotItem = self.graphics.addPlot(
            row=1, col=0, axisItems={"right": volume_axis(), "bottom": TimeAxis()}
        )
        self.graphics.ci.layout.setRowStretchFactor(0, 4)
        self.graphics.ci.layout.setRowStretchFactor(1, 1)
        self.volume_plot.setXLink(self.price_plot)
        self.price_plot.hideAxis("bottom")
        # Both right axes get one fixed width: x-linked plots line up only if they match,
        # and the axis does not jump as prices gain a digit.
        axis_width = self.fontMetrics().horizontalAdvance("000,000.000") + 12
        for plot in (self.price_plot, self.volume_plot):
            plot.showAxis("right")
            plot.hideAxis("left")
            plot.getAxis("right").setWidth(axis_width)
            plot.setMenuEnabled(False)
            plot.hideButtons()
            plot.disableAutoRange()
            plot.getViewBox().setMouseEnabled(x=True, y=False)
            plot.getViewBox().sigRangeChangedManually.connect(self._on_user_pan)
        # Fixed too, so hiding the numbers of an empty chart never collapses the time axis.
        self.volume_plot.getAxis("bottom").setHeight(self.fontMetrics().height() + 10)
        self.price_plot.sigXRangeChanged.connect(self._on_x_range)
        self.volume_plot.setMaximumHeight(140)

        self.history = CandleSet(self.price_plot, self.volume_plot, z=0)
        self.live = CandleSet(self.price_plot, self.volume_plot, z=1)
        self.vline = pg.InfiniteLine(angle=90, movable=False)
        self.vline_volume = pg.InfiniteLine(angle=90, movable=False)
        self.hline = pg.InfiniteLine(angle=0, movable=False)
        for line in (self.vline, self.vline_volume, self.hline):
            line.setVisible(False)  # shown while the mouse is over the chart
        self.price_plot.addItem(self.vline, ignoreBounds=True)
        self.price_plot.addItem(self.hline, ignoreBounds=True)
        self.volume_plot.addItem(self.vline_volume, ignoreBounds=True)
        self.last_line = pg.InfiniteLine(angle=0, movable=False)
        self.last_line.setVisible(False)
        self.price_plot.addItem(self.last_line, ignoreBounds=True)
        tag_font = QFont(self.font())
        self.last_tag = AxisTag(self.price_plot.getAxis("right"), tag_font)
        self.price_tag = AxisTag(self.price_plot.getAxis("right"), tag_font)
        self.price_tag.setZValue(11)  # the crosshair's over the last price's
        self.time_tag = AxisTag(self.volume_plot.getAxis("bottom"), tag_font)
        self.price_plot.sigYRangeChanged.connect(self._place_last_price)
        self.empty = pg.TextItem(anchor=(0.5, 0.5))
        self.empty.setParentItem(self.price_plot.getViewBox())
        # The OHLCV readout sits over the plot's top-left corner (in the view box's pixels,
        # so it stays put while the chart pans) and wraps rather than running off the edge.
        self.readout = pg.TextItem(anchor=(0, 0))
        self.readout.setParentItem(self.price_plot.getViewBox())
        self.readout.setPos(4, 2)
        self.readout.setZValue(10)
        self.price_plot.getViewBox().sigResized.connect(self._on_plot_resized)
        # Above the bars and the readout: stale bars must not read as live ones.
        bold = QFont(self.font())
        bold.setBold(True)
        self.stale_cover = StaleCover(self.price_plot.getViewBox(), bold)
        self.stale_volume_cover = StaleCover(self.volume_plot.getViewBox(), bold, banner=False)
        for plot, cover in (
            (self.price_plot, self.stale_cover),
            (self.volume_plot, self.stale_volume_cover),
        ):
            cover.setZValue(20)
            plot.getViewBox().sigResized.connect(cover.parent_resized)
        self.graphics.scene().sigMouseMoved.connect(self._on_mouse_moved)
        # The scene hears no move when the mouse leaves the view: the crosshair would stay.
        self.graphics.viewport().installEventFilter(self)

        self.timeframes = QButtonGroup(self)
        self.timeframes.setExclusive(True)
        bar = QHBoxLayout()
        bar.setContentsMargins(4, 2, 4, 2)
        bar.setSpacing(2)  # seven buttons whole in the narrowest chart panel
        for name in TIMEFRAMES:
            button = QToolButton(self)
            button.setText(name)
            button.setCheckable(True)
            button.setChecked(name == vm.timeframe)
            button.clicked.connect(lambda _checked=False, tf=name: vm.set_timeframe(tf))
            self.timeframes.addButton(button)
            bar.addWidget(button)
        self.follow_button = QToolButton(self)
        self.follow_button.setText("Follow")
        self.follow_button.setToolTip("Keep the latest bar in view")
        self.follow_button.setCheckable(True)
        self.follow_button.setChecked(True)
        self.follow_button.toggled.connect(self.set_follow)
        bar.addStretch(1)
        bar.addWidget(self.follow_button)
        self._compact = CompactTexts(bar, {self.follow_button: ("Follow", "⇥")})
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addLayout(bar)
        layout.addWidget(self.graphics, 1)
        self.setFocusProxy(self.graphics)

        vm.reset.connect(self._redraw_all)
        vm.appended.connect(self._redraw_all)
        vm.last_changed.connect(self._redraw_last)
        vm.timeframe_changed.connect(self._show_timeframe)
        vm.stale_changed.connect(self._show_stale)
        self.set_palette(DARK)
        self._show_stale(vm.stale, vm.stale_reason)
        self._redraw_all()

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._compact.fit(self.width())

    # -- public --

    def set_palette(self, palette: Palette) -> None:
        """Draw with these colours from now on."""
        self._palette = palette
        self.graphics.setBackground(palette.color("background"))
        for plot in (self.price_plot, self.volume_plot):
            plot.showGrid(x=True, y=True, alpha=0.15)
            for side in ("right", "bottom"):
                axis = plot.getAxis(side)
                axis.setPen(palette.color("grid"))
                axis.setTextPen(palette.color("muted_text"))
        for line in (self.vline, self.vline_volume, self.hline):
            line.setPen(pg.mkPen(palette.color("crosshair"), style=pg.QtCore.Qt.PenStyle.DashLine))
        for tag in (self.price_tag, self.time_tag):
            tag.set_colours(palette.color("crosshair"), palette.color("background"))
        self._place_last_price()
        self.history.set_palette(palette)
        self.live.set_palette(palette)
        self.empty.setColor(palette.color("muted_text"))
        self.readout.setColor(palette.color("text"))
        backdrop = palette.color("background")
        backdrop.setAlpha(200)  # the bars stay faintly visible under the text
        self.readout.fill = pg.mkBrush(backdrop)
        self.readout.update()
        self.stale_cover.set_palette(palette)
        self.stale_volume_cover.set_palette(palette)

    def set_follow(self, on: bool) -> None:
        """Keep the newest bar in view (on) or leave the view where the user put it (off)."""
        self.follow = on
        if self.follow_button.isChecked() != on:
            self.follow_button.setChecked(on)
        if on:
            self._scroll_to_end()

    # -- drawing --

    def _columns(self, sl: slice) -> dict[str, np.ndarray]:
        arrays = self._vm.arrays
        return {k: arrays.column(k)[sl] for k in FIELDS}

    def _redraw_all(self) -> None:
        n = self._vm.count
        self._drawn = (0, -1)  # history must be redrawn whatever the range
        self.live.set_data(self._columns(slice(max(0, n - 1), n)), self._vm.bar_ms / 1000.0)
        self._show_empty_state()
        self._show_readout(None)  # first: the y fit leaves room for it
        self._limit_x()
        self._scroll_to_end()
        self._on_x_range()
        self._place_last_price()

    def _redraw_last(self) -> None:
        n = self._vm.count
        self.live.set_data(self._columns(slice(max(0, n - 1), n)), self._vm.bar_ms / 1000.0)
        if self._hover_index is None:
            self._show_readout(None)
        self._fit_y()
        self._place_last_price()

    def _place_last_price(self, *_args: object) -> None:
        """The live bar's close as a line across the plot and a tag on the price axis."""
        last = self._vm.last_close()
        self.last_line.setVisible(last is not None)
        if last is None:
            self.last_tag.setVisible(False)
            return
        y, text, up = last
        if (up, self._palette) != self._last_look:  # a new pen only when the colour changes
            self._last_look = (up, self._palette)
            colour = self._palette.color("bid" if up else "ask")
            self.last_line.setPen(pg.mkPen(colour, style=Qt.PenStyle.DotLine))
            self.last_tag.set_colours(colour, self._palette.color("background"))
        self.last_line.setPos(y)
        box = self.price_plot.getViewBox()
        self.last_tag.show_at(text, box.mapViewToScene(QPointF(0, y)))

    def _on_x_range(self, *_args: object) -> None:
        self._draw_history()
        self._fit_y()

    def _visible(self) -> tuple[int, int]:
        """Indices [first, last) of the bars that intersect the x range."""
        times = self._vm.arrays.column("time")
        (x0, x1), _ = self.price_plot.viewRange()
        first = int(np.searchsorted(times, x0 - self._vm.bar_ms / 1000.0))
        return first, int(np.searchsorted(times, x1, side="right"))

    def _draw_history(self) -> None:
        """Give the history items the bars in view plus a margin (our clip-to-view: bar items
        have none), redrawing only when the view leaves what is drawn."""
        closed = max(0, self._vm.count - 1)  # the last bar is the live one
        first, last = self._visible()
        want = (min(first, closed), min(last, closed))
        if self._drawn[0] <= want[0] and want[1] <= self._drawn[1]:
            return
        margin = max(FOLLOW_BARS, want[1] - want[0])
        lo, hi = max(0, want[0] - margin), min(closed, want[1] + margin)
        self.history.set_data(self._columns(slice(lo, hi)), self._vm.bar_ms / 1000.0)
        self._drawn = (lo, hi)

    def _fit_y(self) -> None:
        """Fit both plots' y ranges to the bars in view (pyqtgraph's autoVisible ignores bar
        items), with hysteresis: a range changes only when a bar leaves it or it has grown
        far too loose. A calm axis reads better, and an unchanged range re-ticks nothing —
        the live bar's growing volume would otherwise rescale the volume axis every tick."""
        first, last = self._visible()
        if first >= last:
            return
        arrays = self._vm.arrays
        low = float(arrays.column("low")[first:last].min())
        high = float(arrays.column("high")[first:last].max())
        volume = float(arrays.column("volume")[first:last].max()) or 1.0
        lo, hi, vol, room = self._y_fit or (np.inf, -np.inf, 0.0, -1.0)
        span = max(high - low, 1e-12)
        # The readout sits over the plot's top: keep the bars below it, never under it.
        box_height = max(1.0, self.price_plot.getViewBox().height())
        readout = (
            self.readout.boundingRect().height() + 4 if self.readout.textItem.toPlainText() else 0
        )
        new_room = min(0.5, readout / box_height)
        if low < lo or high > hi or (hi - lo) > span * (1 + 2 * Y_SLACK) * 1.5 or new_room != room:
            lo, hi, room = low - span * Y_SLACK, high + span * Y_SLACK, new_room
            self.price_plot.setYRange(lo, hi + (hi - lo) * room / (1 - room), padding=0)
        if volume > vol or volume < vol * 0.5:
            vol = volume * (1 + 4 * Y_SLACK)
            self.volume_plot.setYRange(0, vol, padding=0)
        self._y_fit = (lo, hi, vol, room)

    def _show_empty_state(self) -> None:
        # Axis numbers over an empty chart (0..1, 1970) would read as data: hide them.
        # Restyling an axis re-lays it out, so only on a change.
        show_values = bool(self._vm.count)
        if show_values != self._axes_show_values:
            self._axes_show_values = show_values
            for plot in (self.price_plot, self.volume_plot):
                for side in ("right", "bottom"):
                    plot.getAxis(side).setStyle(showValues=show_values)
        if self._vm.count:
            self.empty.setText("")
            return
        if not self._vm.market:
            text = "No market selected"
        elif self._vm.loading:
            text = "Loading history…"
        else:
            text = "Waiting for trades…"
        self.empty.setText(text)
        self._centre_empty_text()

    def _centre_empty_text(self, *_args: object) -> None:
        self.empty.setPos(self.price_plot.getViewBox().boundingRect().center())

    def _on_plot_resized(self, *_args: object) -> None:
        self._centre_empty_text()
        self.readout.setTextWidth(max(80.0, self.price_plot.getViewBox().width() - 8))
        self._fit_y()
        self._place_last_price()

    def _right_edge(self, shown: int) -> float:
        """Where the view ends when following: the live bar, then a few empty bars (fewer
        when few bars show: five daily bars must not look out on a week of nothing)."""
        margin = min(RIGHT_MARGIN_BARS, shown * MARGIN_SHARE)
        return float(self._vm.arrays.column("time")[-1] + (1 + margin) * self._vm.bar_ms / 1000.0)

    def _limit_x(self) -> None:
        """Panning stops a little past the oldest bar and at the following view's right edge."""
        n = self._vm.count
        for plot in (self.price_plot, self.volume_plot):
            if n == 0:
                plot.getViewBox().setLimits(xMin=None, xMax=None)
                continue
            oldest = self._vm.arrays.column("time")[0]
            slack = HISTORY_SLACK_BARS * self._vm.bar_ms / 1000.0
            plot.getViewBox().setLimits(xMin=oldest - slack, xMax=self._right_edge(FOLLOW_BARS))

    def _scroll_to_end(self) -> None:
        n = self._vm.count
        if not self.follow or n == 0:
            return
        times = self._vm.arrays.column("time")
        shown = min(n, FOLLOW_BARS)
        self.price_plot.setXRange(times[n - shown], self._right_edge(shown), padding=0)

    # -- user intent --

    def _show_stale(self, stale: bool, reason: str) -> None:
        for cover in (self.stale_cover, self.stale_volume_cover):
            if stale:
                cover.show_stale(reason)
            else:
                cover.show_live()

    def _on_user_pan(self, *_args: object) -> None:
        self.set_follow(False)

    def _show_timeframe(self, timeframe: str) -> None:
        for button in self.timeframes.buttons():
            button.setChecked(button.text() == timeframe)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        """Hide the crosshair when the mouse leaves the chart."""
        if event.type() == QEvent.Type.Leave:
            self._hide_crosshair()
        return False

    def _hide_crosshair(self) -> None:
        for item in (self.vline, self.vline_volume, self.hline, self.price_tag, self.time_tag):
            item.setVisible(False)
        self._show_readout(None)

    def _on_mouse_moved(self, pos: QPointF) -> None:
        box = self.price_plot.getViewBox()
        if not self.price_plot.sceneBoundingRect().contains(pos) or not self._vm.count:
            self._hide_crosshair()
            return
        point = box.mapSceneToView(pos)
        for line in (self.vline, self.vline_volume, self.hline):
            line.setVisible(True)
        self.vline.setPos(point.x())
        self.vline_volume.setPos(point.x())
        self.hline.setPos(point.y())
        self.price_tag.show_at(self._vm.price_label(point.y()), pos)
        volume_box = self.volume_plot.getViewBox()
        self.time_tag.show_at(
            self._vm.time_label(point.x()), volume_box.mapViewToScene(QPointF(point.x(), 0))
        )
        self._show_readout(self._vm.index_at(point.x()))

    def _show_readout(self, index: int | None) -> None:
        """The hovered bar's OHLCV, or the latest bar's when the mouse is elsewhere."""
        self._hover_index = index
        shown = index if index is not None else self._vm.count - 1
        self.readout.setText(self._vm.readout(shown) if shown >= 0 else "")
