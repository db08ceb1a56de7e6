"""The depth ladder: a custom-painted price grid bound to a LadderViewModel.

It draws the view-model's latest frame and forwards wheel, keys and toolbar choices back
to it. It repaints only when the view-model says `changed` (at most once per frame).
"""

from __future__ import annotations

from PySide6.QtCore import QPointF, QRectF, Qt, Signal
from PySide6.QtGui import (
    QColor,
    QFont,
    QFontDatabase,
    QFontMetrics,
    QKeyEvent,
    QMouseEvent,
    QPainter,
    QPaintEvent,
    QPolygonF,
    QResizeEvent,
    QWheelEvent,
)
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QLabel,
    QSizePolicy,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from terminal.domain.orders import Side
from terminal.viewmodels.ladder import (
    GROUPINGS,
    SIZE_TEXT_CHARS,
    LadderFrame,
    LadderRow,
    LadderViewModel,
)
from terminal.viewmodels.ladder_orders import LadderOrders
from terminal.widgets.palette import DARK, Palette
from terminal.widgets.stale import banner_height, paint_stale, stale_text
from terminal.widgets.toolbar import CompactTexts

# Column layout as data: (key, share of the width, header title). The price column is as
# wide as its text; the size columns share the rest.
COLUMNS = (
    ("bid_cum", 0.25, "Σ Bid"),
    ("bid", 0.25, "Bid"),
    ("price", 0.0, "Price"),
    ("ask", 0.25, "Ask"),
    ("ask_cum", 0.25, "Σ Ask"),
)
CELL_PAD = 4  # text margin inside a cell, each side
AUTO = 0  # the grouping box's data for "let the ladder choose"
_CLICK_SIDES = {"bid_cum": "BUY", "bid": "BUY", "price": "", "ask": "SELL", "ask_cum": "SELL"}
ANGLE_PER_ROW = 40  # one wheel notch (120) scrolls three rows
RECENTRE_KEYS = (Qt.Key.Key_Space, Qt.Key.Key_C)
_ARROW_ROWS = {
    Qt.Key.Key_Up: 1,
    Qt.Key.Key_Down: -1,
    Qt.Key.Key_PageUp: 10,
    Qt.Key.Key_PageDown: -10,
}


def ladder_font() -> QFont:
    """A fixed-pitch font so digits line up down the columns."""
    font = QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont)
    font.setPointSizeF(max(font.pointSizeF(), 9.0))
    return font


class LadderCanvas(QWidget):
    """The painted grid itself; reports its height in rows to the view-model.

    `price_clicked(price, side)` forwards a click on a row: the row's exact Decimal price,
    and "BUY" from the bid columns, "SELL" from the ask columns, "" from the price column
    (the app decides what a click means: a limit order of the ticket's size). With Ctrl
    held the click is `stop_clicked(price, side)` instead. The trader's own orders are
    drawn on their rows (`set_own_orders`); a click on one is `order_clicked(order_id)`
    (cancel), a drag to another row is `order_dragged(order_id, price)` (modify).
    """

    price_clicked = Signal(object, str)
    stop_clicked = Signal(object, str)
    order_clicked = Signal(str)
    order_dragged = Signal(str, object)

    def __init__(self, vm: LadderViewModel, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._vm = vm
        self._own: LadderOrders | None = None
        self._markers: list[tuple[QRectF, str]] = []
        self._dragging: str | None = None
        self._drag_row: int | None = None
        self._press_row: int | None = None
        self._palette = DARK
        self._colours = DARK.qcolors()
        self.setFont(ladder_font())
        self._row_height = self.fontMetrics().height() + 4
        self._bold = QFont(self.font())
        self._bold.setBold(True)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self.setMinimumSize(180, 160)
        self.setAttribute(Qt.WidgetAttribute.WA_OpaquePaintEvent)
        self._shown = vm.frame  # the frame the last update was asked for
        vm.changed.connect(self._on_frame)

    @property
    def row_height(self) -> int:
        """Pixel height of one price row."""
        return self._row_height

    def set_palette(self, palette: Palette) -> None:
        """Draw with these colours from now on."""
        self._palette = palette
        self._colours = palette.qcolors()
        self.update()

    def set_own_orders(self, own: LadderOrders) -> None:
        """Draw the trader's working orders from `own` (and let them be clicked and dragged)."""
        self._own = own
        own.changed.connect(self.update)
        self.update()

    def marker_rects(self) -> list[tuple[QRectF, str]]:
        """Where the own-order markers were last painted, with the first order id of each."""
        return list(self._markers)

    def set_row_height(self, pixels: int) -> None:
        """Pixels per row; 0 (or anything smaller than the font) fits the font."""
        self._row_height = max(pixels, self.fontMetrics().height() + 4)
        self._report_rows()
        self.update()

    def banner_rect(self) -> QRectF:
        """Where the STALE banner goes (tests compare its pixels): as tall as its words."""
        text = stale_text(self._vm.frame.stale_reason)
        height = max(self.row_height * 1.6, banner_height(self._bold, text, self.width()))
        return QRectF(0, self.row_height, self.width(), height)

    def _on_frame(self) -> None:
        """Repaint what the new frame changed: the rows that differ, or everything when the
        layout, the state or the rows' count moved."""
        old, new = self._shown, self._vm.frame
        self._shown = new
        if _frame_layout(old) != _frame_layout(new) or _price_width(old) != _price_width(new):
            self.update()
            return
        h = self.row_height
        side_changed = old.last_trade_side != new.last_trade_side
        for i, (before, after) in enumerate(zip(old.rows, new.rows, strict=True)):
            if before != after or (after.is_last_trade and side_changed):
                self.update(0, (i + 1) * h, self.width(), h)

    # -- user intent ---------------------------------------------------------------------------

    def mousePressEvent(self, event: QMouseEvent) -> None:
        if event.button() != Qt.MouseButton.LeftButton:
            super().mousePressEvent(event)
            return
        position = event.position()
        row = self._row_at(position.y())
        marker = next((oid for rect, oid in self._markers if rect.contains(position)), None)
        if marker is not None:
            self._dragging, self._press_row, self._drag_row = marker, row, row
            event.accept()
            return
        price = self._vm.row_price(row)
        if price is not None:
            ctrl = event.modifiers() & Qt.KeyboardModifier.ControlModifier
            signal = self.stop_clicked if ctrl else self.price_clicked
            signal.emit(price, self._side_at(position.x()))
        event.accept()

    def mouseMoveEvent(self, event: QMouseEvent) -> None:
        if self._dragging is None:
            super().mouseMoveEvent(event)
            return
        row = self._row_at(event.position().y())
        if row != self._drag_row:
            self._drag_row = row
            self.update()
        event.accept()

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:
        order_id, start = self._dragging, self._press_row
        if order_id is None or event.button() != Qt.MouseButton.LeftButton:
            super().mouseReleaseEvent(event)
            return
        row = self._row_at(event.position().y())
        self._dragging = self._press_row = self._drag_row = None
        price = self._vm.row_price(row)
        if row == start:
            self.order_clicked.emit(order_id)
        elif price is not None:
            self.order_dragged.emit(order_id, price)
        self.update()
        event.accept()

    def _row_at(self, y: float) -> int:
        return int(y // self.row_height) - 1

    def _side_at(self, x: float) -> str:
        for key, (left, width) in self.column_spans().items():
            if left <= x < left + width:
                return _CLICK_SIDES[key]
        return ""

    def wheelEvent(self, event: QWheelEvent) -> None:
        rows = round(event.angleDelta().y() / ANGLE_PER_ROW)
        if rows:
            self._vm.scroll_rows(rows)
        event.accept()

    def keyPressEvent(self, event: QKeyEvent) -> None:
        key = event.key()
        if key in RECENTRE_KEYS:
            self._vm.recentre()
        elif key in _ARROW_ROWS:
            self._vm.scroll_rows(_ARROW_ROWS[Qt.Key(key)])
        else:
            super().keyPressEvent(event)

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._report_rows()

    def _report_rows(self) -> None:
        self._vm.set_visible_rows(max(1, (self.height() - self.row_height) // self.row_height))

    # -- drawing ---------------------------------------------------------------------------------

    def paintEvent(self, event: QPaintEvent) -> None:
        pal = self._colours
        frame = self._vm.frame
        area = event.rect()
        painter = QPainter(self)
        painter.fillRect(area, pal["background"])
        spans = self.column_spans()
        h = self.row_height
        if area.top() < h:
            self._paint_header(painter, spans)
        if frame.rows:
            # only the rows the update asked for: a tick repaints a few rows, not forty
            first = max(0, area.top() // h - 1)
            last = min(len(frame.rows), area.bottom() // h)
            for i in range(first, last):
                self._paint_row(painter, spans, frame.rows[i], (i + 1) * h, frame)
            if self._own is not None:
                self._paint_own(painter, spans, frame, range(first, last))
        elif frame.message and not frame.stale:
            painter.setPen(pal["muted_text"])
            painter.drawText(self.rect(), Qt.AlignmentFlag.AlignCenter, frame.message)
        if frame.stale:
            self._paint_stale(painter, frame)
        painter.end()

    def column_spans(self) -> dict[str, tuple[float, float]]:
        """Pixel spans: the price column as wide as its widest text (and the last-trade
        mark before it), the size columns sharing the rest; too narrow for five columns,
        the running totals go first. The choice depends on the width alone, never on the
        rows in view, so columns do not come and go while the ladder scrolls."""
        width = float(self.width())
        text = QFontMetrics(self._bold).horizontalAdvance("0" * _price_width(self._vm.frame))
        price = min(width / 2, text + self._mark_room() + 2 * CELL_PAD)
        sizes = {key: share for key, share, _title in COLUMNS if key != "price"}
        # a size or total is never longer than SIZE_TEXT_CHARS: the view-model fits it
        needed = self.fontMetrics().horizontalAdvance("0" * SIZE_TEXT_CHARS) + 2 * CELL_PAD
        if width - price < 4 * needed:
            sizes["bid_cum"] = sizes["ask_cum"] = 0.0
        total = sum(sizes.values())
        spans: dict[str, tuple[float, float]] = {}
        x = 0.0
        for key, _share, _title in COLUMNS:
            span = price if key == "price" else (width - price) * sizes[key] / total
            spans[key] = (x, span)
            x += span
        return spans

    def _paint_header(self, painter: QPainter, spans: dict[str, tuple[float, float]]) -> None:
        pal = self._colours
        height = self.row_height
        painter.fillRect(QRectF(0, 0, self.width(), height), pal["header_background"])
        painter.setPen(pal["muted_text"])
        for key, _share, title in COLUMNS:
            x, w = spans[key]
            if w <= 0:
                continue
            painter.drawText(self._text_rect(key, x, 0, w), _align(key), title)

    def _paint_row(
        self,
        painter: QPainter,
        spans: dict[str, tuple[float, float]],
        row: LadderRow,
        y: float,
        frame: LadderFrame,
    ) -> None:
        pal = self._colours
        h = self.row_height
        full = QRectF(0, y, self.width(), h)
        if row.in_spread:
            painter.fillRect(full, pal["spread"])
        elif frame.best_ask_units is not None and row.price_units >= frame.best_ask_units:
            painter.fillRect(full, pal["ask_zone"])
        elif frame.best_bid_units is not None and row.price_units <= frame.best_bid_units:
            painter.fillRect(full, pal["bid_zone"])
        # Depth bars (faint, cumulative) grow outward from the price; size bars (strong) too.
        x, w = spans["bid_cum"]
        _bar_right(painter, x, y, w, h, row.bid_depth_fraction, pal["bid_depth"])
        x, w = spans["bid"]
        _bar_right(painter, x, y, w, h, row.bid_fraction, pal["bid_bar"])
        x, w = spans["ask"]
        painter.fillRect(QRectF(x, y + 1, w * row.ask_fraction, h - 2), pal["ask_bar"])
        x, w = spans["ask_cum"]
        painter.fillRect(QRectF(x, y + 1, w * row.ask_depth_fraction, h - 2), pal["ask_depth"])
        painter.setPen(pal["grid"])
        painter.drawLine(QPointF(0, y + h - 0.5), QPointF(self.width(), y + h - 0.5))

        # Sizes in the text colour: over bars of their own colour, green on green was hard
        # to read. The bars and the zones already say which side a size is on.
        texts = {
            "bid_cum": (row.bid_cum_text, "muted_text"),
            "bid": (row.bid_text, "text"),
            "price": (row.price_text, "text"),
            "ask": (row.ask_text, "text"),
            "ask_cum": (row.ask_cum_text, "muted_text"),
        }
        if row.is_best_bid:
            texts["price"] = (row.price_text, "bid")
        elif row.is_best_ask:
            texts["price"] = (row.price_text, "ask")
        best = row.is_best_bid or row.is_best_ask
        for key, (text, colour) in texts.items():
            x, w = spans[key]
            if not text or w <= 0:
                continue
            painter.setFont(self._bold if best and key in ("bid", "ask", "price") else self.font())
            painter.setPen(pal[colour])
            painter.drawText(self._text_rect(key, x, y, w), _align(key), text)
        painter.setFont(self.font())
        if row.is_last_trade:
            self._paint_last_trade(painter, spans["price"], y, frame.last_trade_side)

    def _paint_own(
        self,
        painter: QPainter,
        spans: dict[str, tuple[float, float]],
        frame: LadderFrame,
        painted: range,
    ) -> None:
        """The trader's orders: a filled tag with the size at the inner edge of their side's
        column (bids against the price, asks likewise); a dragged one follows the mouse.
        Every tag's place is kept for clicks; only those on the `painted` rows are drawn."""
        assert self._own is not None
        pal, h, step = self._colours, self.row_height, self._vm.row_units
        metrics = QFontMetrics(self._bold)
        painter.setFont(self._bold)
        self._markers = []
        for i, row in enumerate(frame.rows):
            y = h + i * h
            for level in self._own.at_row(row.price_units, step):
                text = ("S " if level.conditional else "") + level.size_text
                width = metrics.horizontalAdvance(text) + 10
                if level.side is Side.BUY:
                    x, w = spans["bid"]
                    rect = QRectF(x + w - width - 2, y + 2, width, h - 4)
                else:
                    x, w = spans["ask"]
                    rect = QRectF(x + 2, y + 2, width, h - 4)
                self._markers.append((rect, level.order_ids[0]))
                if i in painted:
                    painter.fillRect(rect, pal["bid" if level.side is Side.BUY else "ask"])
                    painter.setPen(pal["background"])
                    painter.drawText(rect, Qt.AlignmentFlag.AlignCenter, text)
        if self._dragging is not None and self._drag_row is not None:
            painter.setPen(pal["crosshair"])
            y = h + self._drag_row * h
            painter.drawRect(QRectF(0.5, y + 0.5, self.width() - 1, h - 1))
        painter.setFont(self.font())

    def _paint_last_trade(
        self, painter: QPainter, span: tuple[float, float], y: float, side: Side | None
    ) -> None:
        x, w = span
        h = self.row_height
        colour = self._colours["last_trade"]
        painter.setPen(colour)
        painter.setBrush(Qt.BrushStyle.NoBrush)
        painter.drawRect(QRectF(x + 1.5, y + 1.5, w - 3, h - 3))
        # A small triangle in the room kept left of the price: up for a buy, down for a sell.
        r = h / 4
        cx, cy = x + CELL_PAD + r, y + h / 2
        tip = -r if side is Side.BUY else r
        triangle = QPolygonF(
            [QPointF(cx - r, cy - tip), QPointF(cx + r, cy - tip), QPointF(cx, cy + tip)]
        )
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(colour)
        painter.drawPolygon(triangle)
        painter.setBrush(Qt.BrushStyle.NoBrush)

    def _mark_room(self) -> float:
        """Width kept left of the price for the last-trade triangle."""
        return self.row_height / 2 + CELL_PAD

    def _text_rect(self, key: str, x: float, y: float, w: float) -> QRectF:
        """Where a cell's text goes: inside its padding, the price right of the mark."""
        left = x + CELL_PAD + (self._mark_room() if key == "price" else 0.0)
        return QRectF(left, y, max(0.0, x + w - CELL_PAD - left), self.row_height)

    def _paint_stale(self, painter: QPainter, frame: LadderFrame) -> None:
        body = QRectF(0, self.row_height, self.width(), self.height() - self.row_height)
        text = stale_text(frame.stale_reason)
        paint_stale(painter, body, self.banner_rect(), self._colours, self._bold, text)
        painter.setFont(self.font())


class LadderWidget(QWidget):
    """The ladder panel: a small toolbar (grouping, auto-centre, centre) over the grid."""

    def __init__(self, vm: LadderViewModel, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._vm = vm
        self.canvas = LadderCanvas(vm, self)
        self.grouping = QComboBox(self)
        self.grouping.addItem("Auto", AUTO)
        for ticks in GROUPINGS:
            self.grouping.addItem(vm.grouping_label(ticks), ticks)
        self.grouping.setToolTip("Price step per row (Auto: fit both sides of the book)")
        self.grouping.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        self._show_grouping(vm.grouping)
        self.grouping.currentIndexChanged.connect(self._on_grouping_chosen)
        self.auto_centre = QToolButton(self)
        self.auto_centre.setText("Auto-centre")
        self.auto_centre.setToolTip("Keep the inside market in view")
        self.auto_centre.setCheckable(True)
        self.auto_centre.setChecked(vm.auto_centre)
        self.auto_centre.toggled.connect(vm.set_auto_centre)
        self.centre = QToolButton(self)
        self.centre.setText("Centre")
        self.centre.setToolTip("Recentre on the inside market (Space or C)")
        self.centre.clicked.connect(vm.recentre)
        # The spread has a line of its own under the grid: in the toolbar a narrow ladder
        # cut its basis points off.
        self.spread = QLabel(self)
        self.spread.setFont(ladder_font())
        self.spread.setObjectName("ladderSpread")
        self.spread.setContentsMargins(6, 1, 6, 1)
        self.spread.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        vm.auto_centre_changed.connect(self.auto_centre.setChecked)
        vm.grouping_changed.connect(self._show_grouping)
        vm.auto_grouping_changed.connect(lambda _on: self._show_grouping(vm.grouping))
        vm.instrument_changed.connect(self._label_groupings)
        vm.changed.connect(self._update_header)

        bar = QHBoxLayout()
        bar.setContentsMargins(4, 2, 4, 2)
        bar.setSpacing(2)
        bar.addWidget(self.grouping)
        bar.addWidget(self.auto_centre)
        bar.addWidget(self.centre)
        bar.addStretch(1)
        self._compact = CompactTexts(
            bar, {self.auto_centre: ("Auto-centre", "Auto"), self.centre: ("Centre", "◎")}
        )
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addLayout(bar)
        layout.addWidget(self.canvas, 1)
        layout.addWidget(self.spread)
        self.setFocusProxy(self.canvas)

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._compact.fit(self.width())

    def set_palette(self, palette: Palette) -> None:
        """Draw with these colours from now on."""
        self.canvas.set_palette(palette)

    def add_bar(self, bar: QWidget) -> None:
        """Put another bar (e.g. click-size presets) between the toolbar and the grid."""
        layout = self.layout()
        assert isinstance(layout, QVBoxLayout)
        layout.insertWidget(layout.indexOf(self.canvas), bar)

    def _on_grouping_chosen(self, index: int) -> None:
        ticks = int(self.grouping.itemData(index))
        if ticks == AUTO:
            self._vm.set_auto_grouping(True)
        elif ticks != self._vm.grouping or self._vm.auto_grouping:
            self._vm.set_grouping(ticks)

    def _label_groupings(self) -> None:
        for index in range(1, self.grouping.count()):
            self.grouping.setItemText(index, self._vm.grouping_label(self.grouping.itemData(index)))
        self._show_grouping(self._vm.grouping)

    def _show_grouping(self, ticks: int) -> None:
        """Select the current choice; "Auto" names the step it picked."""
        vm = self._vm
        self.grouping.setItemText(
            0, f"Auto · {vm.grouping_label(ticks)}" if vm.auto_grouping else "Auto"
        )
        index = 0 if vm.auto_grouping else self.grouping.findData(ticks)
        if index >= 0 and index != self.grouping.currentIndex():
            self.grouping.blockSignals(True)
            self.grouping.setCurrentIndex(index)
            self.grouping.blockSignals(False)

    def _update_header(self) -> None:
        text = self._vm.frame.spread_text
        text = f"Spread {text}" if text else ""
        if self.spread.text() != text:
            self.spread.setText(text)


def _frame_layout(frame: LadderFrame) -> tuple[object, ...]:
    """What, when it changes, repaints the whole ladder rather than a few rows."""
    return (frame.stale, frame.stale_reason, frame.message, len(frame.rows))


def _price_width(frame: LadderFrame) -> int:
    """Characters of the frame's widest price (a five-figure price before any)."""
    return max((len(row.price_text) for row in frame.rows), default=len("00,000.0"))


_RIGHT = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
_CENTRE = Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignVCenter
_ALIGN = {key: _CENTRE if key == "price" else _RIGHT for key, _share, _title in COLUMNS}


def _align(key: str) -> Qt.AlignmentFlag:
    return _ALIGN[key]


def _bar_right(
    painter: QPainter, x: float, y: float, w: float, h: float, fraction: float, colour: QColor
) -> None:
    """A bar anchored at the column's right edge (bids grow leftward from the price)."""
    width = w * fraction
    painter.fillRect(QRectF(x + w - width, y + 1, width, h - 2), colour)
