"""Colour sets for the market panels: one dark, one light, switchable at run time.

Widgets take a `Palette` in `set_palette()`; the app shell owns which one is current.
Colours are "#RRGGBB" or "#AARRGGBB" strings so the sets read as plain data.
"""

from __future__ import annotations

from dataclasses import dataclass, fields

from PySide6.QtGui import QColor


@dataclass(frozen=True, slots=True)
class Palette:
    """The colours the ladder, chart, tape and watchlist draw with."""

    name: str
    background: str
    alt_background: str
    header_background: str
    text: str
    muted_text: str
    grid: str
    bid: str
    ask: str
    bid_bar: str
    ask_bar: str
    bid_depth: str
    ask_depth: str
    bid_zone: str
    ask_zone: str
    spread: str
    last_trade: str
    crosshair: str
    stale_overlay: str
    stale_hatch: str
    stale_banner: str
    stale_text: str

    def color(self, field: str) -> QColor:
        """The named colour as a QColor."""
        return QColor(getattr(self, field))

    def qcolors(self) -> dict[str, QColor]:
        """Every colour parsed once, by field name (for painters that draw per frame)."""
        return {f.name: QColor(getattr(self, f.name)) for f in fields(self) if f.name != "name"}


DARK = Palette(
    name="dark",
    background="#12161c",
    alt_background="#171c23",
    header_background="#1d232b",
    text="#d8dee6",
    muted_text="#7d8794",
    grid="#2a313a",
    bid="#2ecc71",
    ask="#ff5c5c",
    bid_bar="#802ecc71",
    ask_bar="#80ff5c5c",
    bid_depth="#262ecc71",
    ask_depth="#26ff5c5c",
    bid_zone="#0f2ecc71",
    ask_zone="#0fff5c5c",
    spread="#1f2630",
    last_trade="#f5c542",
    crosshair="#8896a5",
    stale_overlay="#a012161c",
    stale_hatch="#50f5a623",
    stale_banner="#d9822b",
    stale_text="#111111",
)

LIGHT = Palette(
    name="light",
    background="#ffffff",
    alt_background="#f5f7fa",
    header_background="#e9edf2",
    text="#1b2430",
    muted_text="#6b7785",
    grid="#d5dbe2",
    bid="#0a8a3f",
    ask="#c62828",
    bid_bar="#660a8a3f",
    ask_bar="#66c62828",
    bid_depth="#220a8a3f",
    ask_depth="#22c62828",
    bid_zone="#100a8a3f",
    ask_zone="#10c62828",
    spread="#eef1f5",
    last_trade="#b7791f",
    crosshair="#5b6673",
    stale_overlay="#b0ffffff",
    stale_hatch="#60d9822b",
    stale_banner="#d9822b",
    stale_text="#111111",
)

PALETTES: dict[str, Palette] = {p.name: p for p in (DARK, LIGHT)}
"""The palettes by name, for a settings menu."""
