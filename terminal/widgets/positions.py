"""The positions panel: close at market, close half, close at a limit price."""

from __future__ import annotations

from PySide6.QtWidgets import QInputDialog, QWidget

from terminal.viewmodels.formatting import format_exact
from terminal.viewmodels.positions import HALF, PositionsModel
from terminal.widgets.blotter import BlotterTable


class PositionsTable(BlotterTable):
    """Open positions; the context menu closes the selected one."""

    def __init__(self, model: PositionsModel, parent: QWidget | None = None) -> None:
        super().__init__(model, "positionsTable", "No open positions", parent)
        self.positions = model
        self.add_row_action("Close at market", model.request_close)
        self.add_row_action("Close half at market", lambda row: model.request_close(row, HALF))
        self.add_row_action("Close at limit…", self.close_at_limit)

    def close_at_limit(self, row: int) -> None:
        """Ask for a limit price (the mark to start from) until it is valid or cancelled."""
        position = self.positions.row_at(row)
        typed = "" if position.mark is None else format_exact(position.mark)
        prompt = f"Limit price to close {position.market}:"
        while True:
            typed, ok = QInputDialog.getText(self, "Close at limit", prompt, text=typed)
            if not ok:
                return
            problem = self.positions.request_close_at_limit(position.market, typed)
            if problem is None:
                return
            prompt = f"{problem}\nLimit price to close {position.market}:"
