"""The chart's axes: cached ticks and labels, local-time ticks that fill the axis, compact
volumes, and tags that pin a value's label onto an axis (last price, crosshair).

An axis repaints whenever anything under its grid lines changes, i.e. with every live bar;
a range it has seen before costs a dictionary lookup instead of new tick values and new
label texts. An axis at rest paints from a pixmap of itself (DeviceCoordinateCache); while
its range moves it paints straight: it draws the plot's grid lines, so that pixmap is the
size of the plot, and re-rendering it on every frame of a running market cost more than it
saved (`bench_chart`'s ramp: max 51 ms a frame with it, 10 ms without).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

import pyqtgraph as pg
from PySide6.QtCore import QPointF, QRectF, Qt, QTimer
from PySide6.QtGui import QColor, QFont, QFontMetricsF, QPainter
from PySide6.QtWidgets import (
    QGraphicsItem,
    QGraphicsObject,
    QStyleOptionGraphicsItem,
    QWidget,
)

from terminal.viewmodels.formatting import format_tick, format_tick_compact, format_tick_time

TickLevels = list[tuple[float, list[float]]]

SETTLE_MS = 500
"""How long an axis's range must rest before it paints from its pixmap again."""
CACHE_SIZE = 64
"""Ranges remembered per axis: a following chart revisits a handful, a panned one more."""

DAY_S = 86_400.0
TIME_STEPS_S = (
    *(60.0 * m for m in (1, 2, 5, 10, 15, 30)),
    *(3600.0 * h for h in (1, 2, 4, 6, 12)),
    *(DAY_S * d for d in (1, 2, 7, 14, 28)),
)
"""Time tick spacings, seconds: whole minutes, hours and days."""
LABEL_GAP_PX = 20
"""Room between two time labels."""


class CachedAxis(pg.AxisItem):  # type: ignore[misc]  # pyqtgraph is untyped
    """An axis that remembers tick values and label texts per range, paints from a pixmap
    while its range rests, and labels ticks with `label(value, spacing)`."""

    _settle: QTimer | None = None
    """Made after pyqtgraph's constructor, which sets the first range."""

    def __init__(self, orientation: str, label: Callable[[float, float], str]) -> None:
        super().__init__(orientation)
        self._label = label
        self._ticks: dict[tuple[float, float, float], TickLevels] = {}
        self._texts: dict[tuple[float, float], str] = {}
        settle = self._settle = QTimer(self)
        settle.setSingleShot(True)
        settle.setInterval(SETTLE_MS)
        settle.timeout.connect(self._rest)
        self._rest()

    def setRange(self, mn: float, mx: float) -> None:
        """Show this range; a moving axis paints without its pixmap until it rests."""
        if self._settle is not None and [mn, mx] != list(self.range):
            if self.cacheMode() != QGraphicsItem.CacheMode.NoCache:
                self.setCacheMode(QGraphicsItem.CacheMode.NoCache)
            self._settle.start()
        super().setRange(mn, mx)

    def _rest(self) -> None:
        self.setCacheMode(QGraphicsItem.CacheMode.DeviceCoordinateCache)

    def tickValues(self, minVal: float, maxVal: float, size: float) -> TickLevels:
        key = (minVal, maxVal, size)
        levels = self._ticks.get(key)
        if levels is None:
            if len(self._ticks) >= CACHE_SIZE:
                self._ticks.clear()
            levels = self._ticks[key] = self.compute_ticks(minVal, maxVal, size)
        return levels

    def compute_ticks(self, low: float, high: float, size: float) -> TickLevels:
        """Tick levels for a range (pyqtgraph's by default)."""
        return list(super().tickValues(low, high, size))

    def tickStrings(self, values: list[float], scale: float, spacing: float) -> list[str]:
        if len(self._texts) >= CACHE_SIZE * 16:
            self._texts.clear()
        texts = []
        for value in values:
            key = (value * scale, spacing * scale)
            text = self._texts.get(key)
            if text is None:
                text = self._texts[key] = self._label(*key)
            texts.append(text)
        return texts


class TimeAxis(CachedAxis):
    """Local-time ticks at whole minutes, hours or days, as many as fit without crowding;
    a day's first tick names the day."""

    def __init__(self, orientation: str = "bottom") -> None:
        super().__init__(orientation, format_tick_time)

    def compute_ticks(self, low: float, high: float, size: float) -> TickLevels:
        if high <= low or size <= 0:
            return []
        metrics = QFontMetricsF(self.style["tickFont"] or QFont())
        per_px = (high - low) / size

        def fits(step: float) -> bool:
            label = metrics.horizontalAdvance("00 Mmm" if step >= DAY_S else "00:00")
            return step / per_px >= label + LABEL_GAP_PX

        step = next((s for s in TIME_STEPS_S if fits(s)), TIME_STEPS_S[-1])
        # Align to local midnight, so "09:00" ticks fall on 09:00 in the user's zone.
        offset = datetime.fromtimestamp(low).astimezone().utcoffset()
        shift = offset.total_seconds() if offset is not None else 0.0
        first = ((low + shift) // step + 1) * step - shift
        count = int((high - first) // step) + 1
        return [(step, [first + i * step for i in range(max(0, count))])]


def price_axis() -> CachedAxis:
    """The price plot's right axis: 67,500 (thousands separated, as the ladder shows them)."""
    return CachedAxis("right", format_tick)


def volume_axis() -> CachedAxis:
    """The volume plot's right axis: 300K, 1.2M (as the readout says them)."""
    return CachedAxis("right", format_tick_compact)


class AxisTag(QGraphicsObject):
    """A value's label drawn on an axis at the value's position: a filled box with text."""

    def __init__(self, axis: pg.AxisItem, font: QFont) -> None:
        super().__init__(axis)
        self._axis = axis
        self._font = font
        self._fill = QColor()
        self._ink = QColor()
        self._text = ""
        self._rect = QRectF()
        self.setZValue(10)  # over the tick labels
        self.setVisible(False)

    @property
    def text(self) -> str:
        """What the tag says now."""
        return self._text

    def set_colours(self, fill: QColor, ink: QColor) -> None:
        """Box and text colours."""
        self._fill, self._ink = QColor(fill), QColor(ink)
        self.update()

    def show_at(self, text: str, scene_pos: QPointF) -> None:
        """Show `text` at the axis position level with `scene_pos` (a point of the plot)."""
        at = self._axis.mapFromScene(scene_pos)
        metrics = QFontMetricsF(self._font)
        height = metrics.height() + 4
        if self._axis.orientation in ("left", "right"):
            rect = QRectF(1, at.y() - height / 2, self._axis.width() - 1, height)
        else:
            width = metrics.horizontalAdvance(text) + 10
            rect = QRectF(at.x() - width / 2, 1, width, height)
        if (text, rect) != (self._text, self._rect):
            self.prepareGeometryChange()
            self._text, self._rect = text, rect
            self.update()
        self.setVisible(True)

    def boundingRect(self) -> QRectF:
        return self._rect

    def paint(
        self, painter: QPainter, option: QStyleOptionGraphicsItem, widget: QWidget | None = None
    ) -> None:
        painter.fillRect(self._rect, self._fill)
        painter.setPen(self._ink)
        painter.setFont(self._font)
        painter.drawText(self._rect, Qt.AlignmentFlag.AlignCenter, self._text)
