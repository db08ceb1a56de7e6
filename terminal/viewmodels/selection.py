"""The one selected market every panel follows."""

from __future__ import annotations

from PySide6.QtCore import QObject, Signal


class MarketSelection(QObject):
    """Holds the current market symbol and says when it changes."""

    changed = Signal(str)

    def __init__(self, symbol: str = "", parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._symbol = symbol

    @property
    def symbol(self) -> str:
        """The selected market, or "" when none is selected yet."""
        return self._symbol

    def set_symbol(self, symbol: str) -> None:
        """Select a market; emits `changed` only when the selection really changes."""
        if symbol == self._symbol:
            return
        self._symbol = symbol
        self.changed.emit(symbol)
