"""The account summary panel: captioned figures in tiles that reflow with the dock's width."""

from __future__ import annotations

from PySide6.QtCore import QSize, Qt
from PySide6.QtGui import QFontDatabase, QResizeEvent
from PySide6.QtWidgets import QGridLayout, QLabel, QLayout, QVBoxLayout, QWidget

from terminal.viewmodels.account_summary import AccountSummaryViewModel
from terminal.widgets.palette import DARK, Palette

TILE_WIDTH = 150
"""A tile holds "Maintenance ratio" or "-1,234,567.89" whole; the grid has as many columns
of them as the panel's width allows."""
TONE_FIELDS = {"up": "bid", "down": "ask", "warn": "last_trade", "stale": "muted_text"}
"""The palette colour of each tone, as in the tables; stale figures are dimmed."""


class AccountSummaryPanel(QWidget):
    """Account value, free collateral, margin used, maintenance ratio, unrealised PnL and
    status; the ratio and status turn amber, then red, as the margin thins."""

    def __init__(self, model: AccountSummaryViewModel, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("accountSummary")
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground)  # its sheet's background
        self.model = model
        self._palette = DARK
        self._grid = QGridLayout()
        self._grid.setContentsMargins(8, 6, 8, 6)
        self._grid.setHorizontalSpacing(12)
        self._grid.setVerticalSpacing(2)
        self._outer = layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        # The tiles reflow to the width they get: the row they are in now is no minimum.
        layout.setSizeConstraint(QLayout.SizeConstraint.SetNoConstraint)
        layout.addLayout(self._grid)
        layout.addStretch(1)
        digits = QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont)
        digits.setPointSizeF(digits.pointSizeF() * 1.15)
        self.captions: list[QLabel] = []
        self.values: list[QLabel] = []
        for figure in model.figures():
            caption = QLabel(figure.caption, self)
            caption.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignBottom)
            value = QLabel(self)
            value.setFont(digits)
            value.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            self.captions.append(caption)
            self.values.append(value)
        self.columns = 0
        """Tiles per row now."""
        self._reflow()
        model.changed.connect(self.refresh)
        self.set_palette(DARK)

    def refresh(self) -> None:
        """Show the view-model's current figures."""
        for label, figure in zip(self.values, self.model.figures(), strict=True):
            label.setText(figure.text)
            _set_text_colour(
                label, getattr(self._palette, TONE_FIELDS.get(figure.tone or "", "text"))
            )

    def set_palette(self, palette: Palette) -> None:
        """Draw with these colours from now on."""
        self._palette = palette
        self.setStyleSheet(f"#accountSummary {{ background: {palette.background}; }}")
        for caption in self.captions:
            _set_text_colour(caption, palette.muted_text)
        self.refresh()

    def minimumSizeHint(self) -> QSize:
        """One column of tiles."""
        return QSize(TILE_WIDTH, super().minimumSizeHint().height())

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._reflow()

    def _reflow(self) -> None:
        columns = max(1, min(len(self.values), self.width() // TILE_WIDTH))
        if columns == self.columns:
            return
        self.columns = columns
        for caption, value in zip(self.captions, self.values, strict=True):
            self._grid.removeWidget(caption)
            self._grid.removeWidget(value)
        for n, (caption, value) in enumerate(zip(self.captions, self.values, strict=True)):
            row, column = divmod(n, columns)
            self._grid.addWidget(caption, 2 * row, column)
            self._grid.addWidget(value, 2 * row + 1, column)
        # Now, not at the next event: a grab or a paint right after a resize sees the tiles.
        self._outer.activate()


def _set_text_colour(label: QLabel, colour: str) -> None:
    # A style sheet, not a QPalette: the app's style sheet sets every widget's colour, and
    # only a sheet on the label itself overrides it. Re-polishing costs: only on a change.
    sheet = f"color: {colour}; background: transparent;"
    if label.styleSheet() != sheet:
        label.setStyleSheet(sheet)
