"""The trading toolbar: the red cancel-all button, cancel this market, flatten, and the
line that proves what cancel-all did."""

from __future__ import annotations

from PySide6.QtCore import Signal, SignalInstance
from PySide6.QtWidgets import QLabel, QToolBar, QToolButton, QWidget

from terminal.widgets.palette import DARK, Palette


class TradingToolbar(QToolBar):
    """Buttons that forward the trader's intent; `set_status` shows the latest proof."""

    cancel_all_clicked = Signal()
    cancel_market_clicked = Signal()
    flatten_clicked = Signal()
    reconcile_clicked = Signal(str)
    """(client id) of the order whose outcome is unknown."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__("Trading", parent)
        self.setObjectName("tradingToolbar")
        self.setMovable(False)
        self.cancel_all = self._button("Cancel all", "cancelAllButton", self.cancel_all_clicked)
        self.cancel_market = self._button(
            "Cancel market", "cancelMarketButton", self.cancel_market_clicked
        )
        self.flatten = self._button("Flatten all", "flattenButton", self.flatten_clicked)
        self.status = QLabel("")
        self.status.setObjectName("cancelAllStatus")
        self.addWidget(self.status)
        self.reconcile = QToolButton(self)
        self.reconcile.setObjectName("reconcileButton")
        self.reconcile.clicked.connect(self._on_reconcile)
        self.reconcile_action = self.addWidget(self.reconcile)
        self.reconcile_action.setVisible(False)
        self._unknown: list[str] = []
        self.set_palette(DARK)

    def _button(self, text: str, name: str, signal: SignalInstance) -> QToolButton:
        button = QToolButton(self)
        button.setText(text)
        button.setObjectName(name)
        button.clicked.connect(signal)
        self.addWidget(button)
        return button

    def set_shortcut_hints(self, cancel_all: str, flatten: str) -> None:
        """Show the current key bindings in the tooltips."""
        self.cancel_all.setToolTip(f"Cancel every open order, all markets ({cancel_all})")
        self.cancel_market.setToolTip("Cancel every open order in the selected market")
        self.flatten.setToolTip(f"Cancel all, then close every position at market ({flatten})")

    def set_trading_enabled(self, enabled: bool, why: str = "") -> None:
        """Enable or disable the buttons (read-only sessions), saying why."""
        for button in (self.cancel_all, self.cancel_market, self.flatten):
            button.setEnabled(enabled)
        if not enabled:
            self.status.setText(why)

    def set_status(self, text: str, level: str) -> None:
        """The latest cancel-all line; `level` is "info", "warning" or "error"."""
        self.status.setText(text)
        self.status.setProperty("level", level)
        self._style_status(level)

    def set_unknown(self, client_ids: list[str]) -> None:
        """Orders whose outcome is unknown: offer to look the oldest up (hidden when none)."""
        self._unknown = list(client_ids)
        if client_ids:
            more = f" (+{len(client_ids) - 1})" if len(client_ids) > 1 else ""
            self.reconcile.setText(f"Status unknown: {client_ids[0][:8]}…{more} — Reconcile")
            self.reconcile.setToolTip(
                "An order got no clear answer and was not found yet. Reconcile asks the "
                "venue by its client id; it is never resent."
            )
        self.reconcile_action.setVisible(bool(client_ids))

    def _on_reconcile(self) -> None:
        if self._unknown:
            self.reconcile_clicked.emit(self._unknown[0])

    def set_palette(self, palette: Palette) -> None:
        """Draw with these colours from now on."""
        self._palette = palette
        self.cancel_all.setStyleSheet(
            f"QToolButton {{ background: {palette.ask}; color: white; font-weight: bold;"
            " padding: 3px 12px; border-radius: 3px; }"
        )
        self._style_status(str(self.status.property("level") or "info"))
        self.reconcile.setStyleSheet(f"QToolButton {{ color: {palette.ask}; font-weight: bold; }}")

    def _style_status(self, level: str) -> None:
        colour = {"error": self._palette.ask, "warning": self._palette.last_trade}.get(
            level, self._palette.muted_text
        )
        self.status.setStyleSheet(f"color: {colour}; padding-left: 8px;")
