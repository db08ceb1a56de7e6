"""A table view for the market panels: toned numbers, fixed-pitch digits, an empty state."""

from __future__ import annotations

from PySide6.QtCore import QAbstractItemModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QColor, QFontDatabase, QPainter, QPaintEvent, QPalette
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHeaderView,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QTableView,
    QWidget,
)

from terminal.viewmodels.columns import TONE_ROLE
from terminal.widgets.palette import DARK, Palette

# "warn": the palette's amber (the last-trade marker's colour), for warnings in a log.
_TONE_FIELDS = {"up": "bid", "down": "ask", "warn": "last_trade"}


class ToneDelegate(QStyledItemDelegate):
    """Colours a cell's text by the model's tone ("up" green, "down" red, "warn" amber)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._tones: dict[str, QColor] = {}
        self.set_palette(DARK)

    def set_palette(self, palette: Palette) -> None:
        """Take the tone colours from this palette."""
        # Parsed once here, not per cell: every visible cell comes through initStyleOption
        # on every repaint.
        self._tones = {tone: palette.color(field) for tone, field in _TONE_FIELDS.items()}

    def initStyleOption(
        self, option: QStyleOptionViewItem, index: QModelIndex | QPersistentModelIndex
    ) -> None:
        super().initStyleOption(option, index)
        colour = self._tones.get(index.data(TONE_ROLE))
        if colour is not None:
            option.palette.setColor(QPalette.ColorRole.Text, colour)


class MarketTableView(QTableView):
    """A compact read-only table that says what it waits for while the model is empty."""

    def __init__(self, empty_text: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.empty_text = empty_text
        self._palette = DARK
        self.delegate = ToneDelegate(self)
        self.setItemDelegate(self.delegate)
        self.setFont(QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont))
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.setShowGrid(False)
        self.setWordWrap(False)
        self.verticalHeader().hide()
        rows = self.verticalHeader()
        rows.setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        rows.setDefaultSectionSize(self.fontMetrics().height() + 4)
        header = self.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        header.setHighlightSections(False)
        header.setMinimumSectionSize(self.fontMetrics().horizontalAdvance("0") * 6)
        self.set_palette(DARK)

    def setModel(self, model: QAbstractItemModel | None) -> None:
        super().setModel(model)
        # The first column (time, market name) is sized to its text; numbers share the rest.
        self.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)

    def set_palette(self, palette: Palette) -> None:
        """Use these colours for toned text and the empty-state message."""
        self._palette = palette
        self.delegate.set_palette(palette)
        colours = self.palette()
        colours.setColor(QPalette.ColorRole.Base, palette.color("background"))
        colours.setColor(QPalette.ColorRole.AlternateBase, palette.color("alt_background"))
        colours.setColor(QPalette.ColorRole.Text, palette.color("text"))
        colours.setColor(QPalette.ColorRole.Window, palette.color("header_background"))
        colours.setColor(QPalette.ColorRole.WindowText, palette.color("muted_text"))
        colours.setColor(QPalette.ColorRole.Button, palette.color("header_background"))
        colours.setColor(QPalette.ColorRole.ButtonText, palette.color("muted_text"))
        self.setPalette(colours)
        self.viewport().update()

    def paintEvent(self, event: QPaintEvent) -> None:
        super().paintEvent(event)
        model = self.model()
        if model is not None and model.rowCount() == 0 and self.empty_text:
            painter = QPainter(self.viewport())
            painter.setPen(self._palette.color("muted_text"))
            painter.drawText(self.viewport().rect(), Qt.AlignmentFlag.AlignCenter, self.empty_text)
            painter.end()
