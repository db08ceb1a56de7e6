"""The one table widget behind every blotter: sortable, row actions, "Export CSV…"."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import QModelIndex, QPoint, QRectF, Qt
from PySide6.QtGui import QAction, QKeyEvent, QKeySequence, QPainter, QPaintEvent
from PySide6.QtWidgets import QFileDialog, QHeaderView, QMenu, QWidget

from terminal.viewmodels.account_blotter import AccountBlotterModel
from terminal.viewmodels.blotter import BlotterModel
from terminal.viewmodels.columns import LEFT, ExactSortProxy
from terminal.viewmodels.csv_export import write_csv
from terminal.viewmodels.fills import FillsModel
from terminal.viewmodels.funding import FundingPaymentsModel
from terminal.viewmodels.order_history import OrderHistoryModel
from terminal.widgets.palette import Palette
from terminal.widgets.stale import BANNER_LINES, paint_stale, stale_text
from terminal.widgets.table_view import MarketTableView

_PAD = 24
"""A cell's text margins and the gap to the next column, in pixels."""
_SORT_ARROW = 14
"""Room beside a title for the sort indicator."""


class BlotterTable(MarketTableView):
    """A blotter over a `BlotterModel`: click a header to sort by exact values; the context
    menu holds the panel's row actions and "Export CSV…"."""

    def __init__(
        self,
        model: BlotterModel[Any],
        name: str,
        empty_text: str,
        parent: QWidget | None = None,
        *,
        elide_last: bool = False,
    ) -> None:
        """`elide_last`: the last column (a long message) takes what room is left, elided,
        rather than growing to its text and scrolling."""
        super().__init__(empty_text, parent)
        self._elide_last = elide_last
        self.setObjectName(name)
        self.source = model
        self.proxy = ExactSortProxy(model, self)
        self.setModel(self.proxy)
        # Columns as wide as their widest text so far (a figure is never elided), measured
        # only for the rows that arrive or change. A last column of words takes what is left
        # over; a last figure stays beside its neighbours instead of at the far edge.
        header = self.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setStretchLastSection(model.columns[-1].align == LEFT)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAsNeeded)
        self._widths: list[int] = []
        model.rowsInserted.connect(lambda _parent, first, last: self._fit(first, last))
        model.dataChanged.connect(self._fit_changed)
        model.modelReset.connect(self._reset_widths)
        self._reset_widths()
        self.setSortingEnabled(True)
        # Until a header is clicked the rows keep the model's order: newest first.
        self.sortByColumn(-1, Qt.SortOrder.AscendingOrder)
        self.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.customContextMenuRequested.connect(self._show_menu)
        self.row_actions: list[QAction] = []
        self.export_action = QAction("Export CSV…", self)
        self.export_action.triggered.connect(lambda: self.export_csv())
        self.stale = isinstance(model, AccountBlotterModel) and not model.live
        if isinstance(model, AccountBlotterModel):
            model.live_changed.connect(self._on_live)

    def add_row_action(
        self, title: str, run: Callable[[int], None], shortcut: QKeySequence | None = None
    ) -> QAction:
        """A context-menu action on the current row: `run(source_row)`; with a shortcut,
        also by that key while the table has focus."""
        action = QAction(title, self)
        action.triggered.connect(lambda: self._run_on_current(run))
        if shortcut is not None:
            action.setShortcut(shortcut)  # shown in the menu; the key is read in keyPressEvent
            action.setShortcutVisibleInContextMenu(True)
        self.row_actions.append(action)
        return action

    def keyPressEvent(self, event: QKeyEvent) -> None:
        # Keys, not window shortcuts: the table's keys act on its own current row, and a
        # key typed into the cell editor never reaches here.
        pressed = QKeySequence(event.keyCombination())
        for action in self.row_actions:
            if action.shortcut().matches(pressed) == QKeySequence.SequenceMatch.ExactMatch:
                action.trigger()
                event.accept()
                return
        super().keyPressEvent(event)

    def current_source_row(self) -> int | None:
        """The model row of the current (selected) row, if any."""
        index = self.proxy.mapToSource(self.currentIndex())
        return index.row() if index.isValid() else None

    def export_csv(self, path: str | None = None) -> None:
        """Write the model's full content to `path`, asking where when no path is given."""
        if path is None:
            default = str(Path.home() / f"{self.objectName()}.csv")
            path, _filter = QFileDialog.getSaveFileName(
                self, "Export CSV", default, "CSV files (*.csv)"
            )
            if not path:
                return
        self.source.flush()
        write_csv(self.source, path)

    def _text_width(self, text: str) -> int:
        return self.fontMetrics().horizontalAdvance(text) + _PAD

    def _reset_widths(self) -> None:
        header = self.horizontalHeader()
        titles = header.fontMetrics()
        self._widths = [
            titles.horizontalAdvance(column.title) + _PAD + _SORT_ARROW
            for column in self.source.columns
        ]
        for column, width in enumerate(self._widths):
            header.resizeSection(column, width)
        self._fit(0, self.source.rowCount() - 1)

    def _fit_changed(self, top_left: QModelIndex, bottom_right: QModelIndex) -> None:
        self._fit(top_left.row(), bottom_right.row(), top_left.column(), bottom_right.column())

    def _fit(self, first: int, last: int, left: int = 0, right: int = -1) -> None:
        model, header = self.source, self.horizontalHeader()
        right = len(self._widths) - 1 if right < 0 else right
        if self._elide_last:
            right = min(right, len(self._widths) - 2)
        for column in range(left, right + 1):
            widest = max(
                (
                    self._text_width(model.index(row, column).data())
                    for row in range(first, last + 1)
                ),
                default=0,
            )
            if widest > self._widths[column]:
                self._widths[column] = widest
                header.resizeSection(column, widest)

    def set_palette(self, palette: Palette) -> None:
        """Use these colours for rows, tones, the empty state and the STALE look."""
        self._stale_colours = palette.qcolors()
        super().set_palette(palette)

    def paintEvent(self, event: QPaintEvent) -> None:
        super().paintEvent(event)
        if self.stale:
            # Stale rows are never shown as live: dimmed under a banner until resynced.
            # The banner along the bottom, as on the ladder: the newest rows stay readable.
            area = QRectF(self.viewport().rect())
            height = self.fontMetrics().height() * BANNER_LINES
            banner = QRectF(area.left(), area.bottom() - height, area.width(), height)
            painter = QPainter(self.viewport())
            paint_stale(painter, area, banner, self._stale_colours, self.font(), stale_text(""))
            painter.end()

    def _on_live(self, live: bool) -> None:
        self.stale = not live
        self.viewport().update()

    def _run_on_current(self, run: Callable[[int], None]) -> None:
        row = self.current_source_row()
        if row is not None:
            run(row)

    def build_menu(self, pos: QPoint) -> QMenu:
        """The context menu for a click at `pos`: row actions when it hit a row, then export."""
        menu = QMenu(self)
        index = self.indexAt(pos)
        if index.isValid():
            self.setCurrentIndex(index)
            menu.addActions(self.row_actions)
            menu.addSeparator()
        self.export_action.setEnabled(self.source.rowCount() > 0)
        menu.addAction(self.export_action)
        return menu

    def _show_menu(self, pos: QPoint) -> None:
        menu = self.build_menu(pos)
        menu.exec(self.viewport().mapToGlobal(pos))
        menu.deleteLater()


def fills_table(model: FillsModel, parent: QWidget | None = None) -> BlotterTable:
    """The fills panel."""
    return BlotterTable(model, "fillsTable", "No fills yet", parent)


def funding_table(model: FundingPaymentsModel, parent: QWidget | None = None) -> BlotterTable:
    """The funding payments panel."""
    return BlotterTable(model, "fundingTable", "No funding payments", parent)


def order_history_table(model: OrderHistoryModel, parent: QWidget | None = None) -> BlotterTable:
    """The order history panel."""
    return BlotterTable(model, "orderHistoryTable", "No past orders", parent, elide_last=True)
