"""The trade tape panel: a table over TapeModel, buys green, sells red."""

from __future__ import annotations

from PySide6.QtWidgets import QHeaderView, QVBoxLayout, QWidget

from terminal.viewmodels.tape import TapeModel
from terminal.widgets.palette import Palette
from terminal.widgets.table_view import MarketTableView


class TapeWidget(QWidget):
    """Recent trades of the selected market, newest on top."""

    def __init__(self, model: TapeModel, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.model = model
        self.view = MarketTableView("Waiting for trades…", self)
        self.view.setModel(model)
        self.view.setSelectionMode(MarketTableView.SelectionMode.NoSelection)
        # The time column has a known width; fixing it avoids re-measuring on every burst.
        header = self.view.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Fixed)
        header.resizeSection(0, self.view.fontMetrics().horizontalAdvance("00:00:00.000") + 16)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.view)

    def set_palette(self, palette: Palette) -> None:
        """Draw with these colours from now on."""
        self.view.set_palette(palette)
