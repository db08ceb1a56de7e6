"""The open orders panel: cancel a row (Delete or the context menu), edit price or size."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import QAbstractItemView, QToolTip, QWidget

from terminal.viewmodels.orders import OpenOrdersModel
from terminal.widgets.blotter import BlotterTable


class OpenOrdersTable(BlotterTable):
    """Working orders; a double click (or F2) on a price or size edits it in place."""

    def __init__(self, model: OpenOrdersModel, parent: QWidget | None = None) -> None:
        super().__init__(model, "openOrdersTable", "No open orders", parent)
        self.orders = model
        self.setEditTriggers(
            QAbstractItemView.EditTrigger.DoubleClicked
            | QAbstractItemView.EditTrigger.EditKeyPressed
        )
        self.cancel_action = self.add_row_action(
            "Cancel order", model.request_cancel, QKeySequence(Qt.Key.Key_Delete)
        )
        self.add_row_action("Edit price", lambda row: self.edit_cell(row, model.price_column))
        self.add_row_action("Edit size", lambda row: self.edit_cell(row, model.size_column))
        model.edit_rejected.connect(self._show_rejection)

    def edit_cell(self, row: int, column: int) -> None:
        """Open the editor on a model cell (if that cell can be edited)."""
        index = self.proxy.mapFromSource(self.orders.index(row, column))
        self.setCurrentIndex(index)
        self.edit(index)

    def _show_rejection(self, _order_id: str, message: str) -> None:
        # Said where the user typed: under the cell being edited.
        rect = self.visualRect(self.currentIndex())
        QToolTip.showText(self.viewport().mapToGlobal(rect.bottomLeft()), message, self)
