"""The one table widget behind every blotter: sortable, row actions, "Export CSV…"."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import QPoint, Qt
from PySide6.QtGui import QAction, QKeyEvent, QKeySequence
from PySide6.QtWidgets import QFileDialog, QMenu, QWidget

from terminal.viewmodels.blotter import BlotterModel
from terminal.viewmodels.columns import ExactSortProxy
from terminal.viewmodels.csv_export import write_csv
from terminal.viewmodels.fills import FillsModel
from terminal.viewmodels.funding import FundingPaymentsModel
from terminal.viewmodels.order_history import OrderHistoryModel
from terminal.widgets.table_view import MarketTableView


class BlotterTable(MarketTableView):
    """A blotter over a `BlotterModel`: click a header to sort by exact values; the context
    menu holds the panel's row actions and "Export CSV…"."""

    def __init__(
        self,
        model: BlotterModel[Any],
        name: str,
        empty_text: str,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(empty_text, parent)
        self.setObjectName(name)
        self.source = model
        self.proxy = ExactSortProxy(model, self)
        self.setModel(self.proxy)
        self.setSortingEnabled(True)
        # Until a header is clicked the rows keep the model's order: newest first.
        self.sortByColumn(-1, Qt.SortOrder.AscendingOrder)
        self.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.customContextMenuRequested.connect(self._show_menu)
        self.row_actions: list[QAction] = []
        self.export_action = QAction("Export CSV…", self)
        self.export_action.triggered.connect(lambda: self.export_csv())

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
    return BlotterTable(model, "orderHistoryTable", "No past orders", parent)
