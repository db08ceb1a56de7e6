"""The trader's lines on the price plot: working orders (drag to move, right-click to
cancel), the position's entry and its liquidation price."""

from __future__ import annotations

import pyqtgraph as pg
from PySide6.QtCore import QObject, QPoint, Qt
from PySide6.QtGui import QColor
from PySide6.QtWidgets import QMenu

from terminal.viewmodels.chart_orders import ChartLine, ChartOrdersModel, LineKind
from terminal.widgets.palette import DARK, Palette

_COLOUR_FIELD = {
    LineKind.BUY: "bid",
    LineKind.SELL: "ask",
    LineKind.ENTRY: "text",
    LineKind.LIQUIDATION: "last_trade",
}


class OrderLine(pg.InfiniteLine):  # type: ignore[misc]  # pyqtgraph is untyped
    """A horizontal line that knows its order and offers a context menu."""

    def __init__(
        self, line: ChartLine, model: ChartOrdersModel, colour: QColor, label_at: float
    ) -> None:
        style = Qt.PenStyle.SolidLine if line.movable else Qt.PenStyle.DashLine
        super().__init__(
            pos=line.y,
            angle=0,
            movable=line.movable,
            pen=pg.mkPen(colour, width=1.5, style=style),
            hoverPen=pg.mkPen(colour, width=3),
            label=line.label,
            labelOpts={"position": label_at, "color": colour, "anchors": [(0, 1), (0, 1)]},
        )
        self.chart_line = line
        self._model = model
        if line.movable:
            self.sigPositionChangeFinished.connect(self._dropped)

    def _dropped(self) -> None:
        self._model.drag_finished(self.chart_line.order_id, float(self.value()))

    def mouseClickEvent(self, ev: object) -> None:
        """Right-click on an order line: a menu with Cancel."""
        button = getattr(ev, "button", lambda: None)()
        if button == Qt.MouseButton.RightButton and self.chart_line.movable:
            ev.accept()  # type: ignore[attr-defined]
            self.show_menu(ev.screenPos().toPoint())  # type: ignore[attr-defined]
            return
        super().mouseClickEvent(ev)

    def show_menu(self, where: QPoint) -> QMenu:
        """Open the line's context menu at `where` (returned so tests can trigger it)."""
        menu = QMenu()
        action = menu.addAction("Cancel order")
        action.triggered.connect(lambda: self._model.cancel(self.chart_line.order_id))
        menu.popup(where)
        self._menu = menu  # keep it alive while open
        return menu


class ChartTradingLines(QObject):
    """Keeps the price plot's order and position lines in step with the model."""

    def __init__(self, plot: pg.PlotItem, model: ChartOrdersModel) -> None:
        super().__init__()
        self._plot = plot
        self._model = model
        self._palette: Palette = DARK
        self.lines: list[OrderLine] = []
        model.changed.connect(self._redraw)
        self._redraw()

    def set_palette(self, palette: Palette) -> None:
        """Draw with these colours from now on."""
        self._palette = palette
        self._redraw()

    def _redraw(self) -> None:
        for item in self.lines:
            self._plot.removeItem(item)
        self.lines = []
        for index, line in enumerate(self._model.lines):
            # Labels take turns along the line so close prices do not write over each other.
            label_at = 0.02 + 0.24 * (index % 4)
            colour = self._palette.color(_COLOUR_FIELD[line.kind])
            item = OrderLine(line, self._model, colour, label_at)
            self._plot.addItem(item, ignoreBounds=True)
            self.lines.append(item)
