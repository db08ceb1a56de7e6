"""The bindable trading actions and their default keys (data only: settings read it)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Hotkey:
    """One bindable trading action."""

    key: str
    """Settings key and action name."""
    title: str
    default: str


HOTKEYS = (
    Hotkey("buy_bid", "Buy limit at best bid", "Alt+B"),
    Hotkey("sell_ask", "Sell limit at best ask", "Alt+S"),
    Hotkey("cancel_all", "Cancel all orders", "Ctrl+Shift+X"),
    Hotkey("flatten_all", "Flatten all positions", "Ctrl+Shift+F"),
)
