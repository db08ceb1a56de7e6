"""Persistent UI settings (QSettings): a small declarative schema plus the window layout."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import QByteArray, QSettings

LAYOUT_VERSION = 2
"""Bump when dock names or the default arrangement change: older saved layouts are ignored."""


@dataclass(frozen=True, slots=True)
class Option:
    """One user setting: key, type, default and what it means."""

    key: str
    type: type
    default: Any
    description: str


OPTIONS: dict[str, Option] = {
    o.key: o
    for o in (
        Option("ui/theme", str, "dark", "Colour theme: dark or light."),
        Option("market/selected", str, "", "The market the panels show."),
        Option(
            "trading/fat_finger_notional",
            str,
            "250000",
            "Orders worth more than this (quote currency) ask for one confirmation; "
            "empty: never ask.",
        ),
        Option("ticket/sizes", str, "{}", "The last size used per market (JSON)."),
        Option("hotkeys/buy_bid", str, "Alt+B", "Buy limit at the best bid, ticket size."),
        Option("hotkeys/sell_ask", str, "Alt+S", "Sell limit at the best ask, ticket size."),
        Option("hotkeys/cancel_all", str, "Ctrl+Shift+X", "Cancel every order, all markets."),
        Option("hotkeys/flatten_all", str, "Ctrl+Shift+F", "Cancel all, close every position."),
    )
}


class AppSettings:
    """Typed access to the app's QSettings (pass one in for tests)."""

    def __init__(self, store: QSettings | None = None) -> None:
        self._store = store or QSettings("ParadexTerminal", "paradex-terminal")

    def get(self, key: str) -> Any:
        """The value of a schema option, or its default."""
        option = OPTIONS[key]
        value = self._store.value(key, option.default)
        try:
            return option.type(value)
        except (TypeError, ValueError):
            return option.default

    def set(self, key: str, value: Any) -> None:
        """Store a schema option."""
        option = OPTIONS[key]
        self._store.setValue(key, option.type(value))

    def save_layout(self, geometry: QByteArray, state: QByteArray) -> None:
        """Remember the window geometry and dock state."""
        self._store.setValue("window/geometry", geometry)
        self._store.setValue("window/state", state)
        self._store.setValue("window/layout_version", LAYOUT_VERSION)
        self._store.sync()

    def load_layout(self) -> tuple[QByteArray, QByteArray] | None:
        """The saved (geometry, state), or None if absent or from another layout version."""
        if str(self._store.value("window/layout_version", 0)) != str(LAYOUT_VERSION):
            return None
        geometry = self._store.value("window/geometry")
        state = self._store.value("window/state")
        if not isinstance(geometry, QByteArray) or not isinstance(state, QByteArray):
            return None
        return geometry, state

    def clear_layout(self) -> None:
        """Forget the saved layout (Reset layout)."""
        for key in ("window/geometry", "window/state", "window/layout_version"):
            self._store.remove(key)
        self._store.sync()
