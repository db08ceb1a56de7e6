"""The trade tape panel: a table over TapeModel, buys green, sells red, painted in one pass."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QModelIndex, QPersistentModelIndex, QRect, QSize, Qt
from PySide6.QtGui import QColor, QPainter, QPaintEvent, QResizeEvent
from PySide6.QtWidgets import QHeaderView, QVBoxLayout, QWidget

from terminal.viewmodels.tape import TONED_COLUMNS, TapeModel
from terminal.widgets.palette import Palette
from terminal.widgets.table_view import MarketTableView
from terminal.widgets.text_shape import text_shape

_PAD = 4
"""Horizontal text margin inside a cell, like the item delegate's."""
_SIZED_COLUMNS = (1, 2)
"""Price and size: as wide as their widest text so far, never elided."""
_SIDE_COLUMN = 3
"""Dropped when the panel is too narrow for it: the row's colour already tells the side."""
_SAMPLES = {1: "000,000.0", 2: "00,000.000"}
"""A wide market's price and size: whether the side shows is decided on these (and on the
real texts when wider), so it shows for every market at a width or for none."""
_WIDTHS_MAX = 1024
"""Text shapes whose width is remembered: a burst of trades then costs dict lookups, not a
font-metrics call per cell (the tape's width fit was a steady-state stall site in a spike)."""


class TapeView(MarketTableView):
    """The tape's table: one paint pass over the visible rows' cached texts.

    A repaint under a live feed happens every frame. Going through the item delegate costs
    a dozen `data()` calls and a style-option set-up per cell; here each visible cell is one
    `drawText` of text the model formatted when the trade arrived.
    """

    _colours: dict[str, QColor]

    def __init__(self, model: TapeModel, parent: QWidget | None = None) -> None:
        super().__init__("Waiting for trades…", parent)  # sets the palette: self._colours
        self._tape = model
        self.setModel(model)
        self.setSelectionMode(MarketTableView.SelectionMode.NoSelection)
        header = self.horizontalHeader()
        for column in range(model.columnCount()):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.Fixed)
        header.setStretchLastSection(True)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        # Natural column widths: the section sizes lie once the last visible one stretches.
        self._widths: dict[int, int] = {}
        self._shape_widths: dict[str, int] = {}
        # The time column has a known width; fixing it avoids re-measuring on every burst.
        self._set_width(0, self._text_width("00:00:00.000"))
        model.rowsInserted.connect(self._fit_rows)
        model.dataChanged.connect(self._fit_all)
        model.modelReset.connect(self._reset_widths)
        self._reset_widths()

    def set_palette(self, palette: Palette) -> None:
        """Use these colours for the trades, the header and the empty-state message."""
        self._colours = {
            "text": palette.color("text"),
            "up": palette.color("bid"),
            "down": palette.color("ask"),
        }
        super().set_palette(palette)

    def paintEvent(self, event: QPaintEvent) -> None:
        model = self._tape
        count = model.rowCount()
        if count == 0:
            super().paintEvent(event)
            return
        area = event.rect()
        first = max(0, self.rowAt(area.top()))
        last = self.rowAt(area.bottom())
        last = count - 1 if last < 0 else last
        height = self.verticalHeader().defaultSectionSize()
        header = self.horizontalHeader()
        cells = [
            (
                column,
                header.sectionViewportPosition(column) + _PAD,
                header.sectionSize(column) - 2 * _PAD,
                model.columns[column].align,
            )
            for column in range(model.columnCount())
            if not header.isSectionHidden(column)
        ]
        colours = self._colours
        painter = QPainter(self.viewport())
        top = self.rowViewportPosition(first)
        for row in range(first, last + 1):
            line = model.line(row)
            y = top + (row - first) * height
            for column, x, width, align in cells:
                painter.setPen(colours[line.tone if column in TONED_COLUMNS else "text"])
                painter.drawText(QRect(x, y, width, height), align, line.texts[column])
        painter.end()

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._fit_side()

    def minimumSizeHint(self) -> QSize:
        """Wide enough for time, price and size: a dock never clips a trade's figures."""
        hint = super().minimumSizeHint()
        frame = 2 * self.frameWidth() + self.verticalScrollBar().sizeHint().width()
        return QSize(max(hint.width(), sum(self._widths.values()) + frame), hint.height())

    def _fit_side(self) -> None:
        widths = dict(self._widths)
        for column, sample in _SAMPLES.items():
            widths[column] = max(widths[column], self._text_width(sample))
        needed = sum(widths.values()) + self._text_width("Sell")
        hide = self.viewport().width() < needed
        if hide != self.isColumnHidden(_SIDE_COLUMN):
            self.setColumnHidden(_SIDE_COLUMN, hide)

    def _set_width(self, column: int, width: int) -> None:
        self._widths[column] = width
        self.horizontalHeader().resizeSection(column, width)
        self.updateGeometry()  # the minimum size hint follows the widths

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.FontChange:
            # Assigned, not cleared: the base class's constructor sends one before ours ran.
            self._shape_widths = {}
        super().changeEvent(event)

    def _text_width(self, text: str) -> int:
        shape = text_shape(text)
        width = self._shape_widths.get(shape)
        if width is None:
            if len(self._shape_widths) >= _WIDTHS_MAX:
                self._shape_widths.clear()
            width = self.fontMetrics().horizontalAdvance(shape) + 2 * _PAD + 4
            self._shape_widths[shape] = width
        return width

    def _reset_widths(self) -> None:
        header = self.horizontalHeader()
        for column in _SIZED_COLUMNS:
            title = str(self._tape.headerData(column, Qt.Orientation.Horizontal))
            self._set_width(column, max(header.minimumSectionSize(), self._text_width(title)))
        self._fit_side()

    def _fit_all(self) -> None:
        self._reset_widths()
        self._fit_rows(QModelIndex(), 0, self._tape.rowCount() - 1)

    def _fit_rows(
        self, _parent: QModelIndex | QPersistentModelIndex, first: int, last: int
    ) -> None:
        for column in _SIZED_COLUMNS:
            widest = max(
                (
                    self._text_width(self._tape.line(row).texts[column])
                    for row in range(first, last + 1)
                ),
                default=0,
            )
            if widest > self._widths[column]:
                self._set_width(column, widest)
                self._fit_side()


class TapeWidget(QWidget):
    """Recent trades of the selected market, newest on top."""

    def __init__(self, model: TapeModel, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.model = model
        self.view = TapeView(model, self)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.view)
        self.setFocusProxy(self.view)

    def set_palette(self, palette: Palette) -> None:
        """Draw with these colours from now on."""
        self.view.set_palette(palette)
