"""Dark and light themes for the shell: Fusion style, a QPalette and the bundled QSS."""

from __future__ import annotations

from PySide6.QtGui import QColor, QPalette
from PySide6.QtWidgets import QApplication

from terminal.app.resources import style_path

THEMES = ("dark", "light")

# (window, base, text, highlight, mid) per theme: the QSS does the detail, the palette keeps
# native-drawn bits (menus' check marks, scroll areas, tooltips) consistent with it.
_COLOURS = {
    "dark": ("#11151c", "#0d1117", "#d7dde8", "#2b4a8a", "#2a3240"),
    "light": ("#f6f7f9", "#ffffff", "#1c2330", "#cfdcf7", "#cfd5de"),
}


class UnknownThemeError(ValueError):
    """A theme name that is neither dark nor light."""


def build_palette(name: str) -> QPalette:
    """The QPalette for a theme."""
    if name not in _COLOURS:
        raise UnknownThemeError(name)
    window, base, text, highlight, mid = (QColor(c) for c in _COLOURS[name])
    palette = QPalette()
    for role, colour in (
        (QPalette.ColorRole.Window, window),
        (QPalette.ColorRole.Base, base),
        (QPalette.ColorRole.AlternateBase, window),
        (QPalette.ColorRole.Button, window),
        (QPalette.ColorRole.WindowText, text),
        (QPalette.ColorRole.Text, text),
        (QPalette.ColorRole.ButtonText, text),
        (QPalette.ColorRole.ToolTipBase, base),
        (QPalette.ColorRole.ToolTipText, text),
        (QPalette.ColorRole.Highlight, highlight),
        (QPalette.ColorRole.HighlightedText, text),
        (QPalette.ColorRole.Mid, mid),
    ):
        palette.setColor(role, colour)
    return palette


def apply_theme(app: QApplication, name: str) -> None:
    """Switch the whole application to a theme."""
    palette = build_palette(name)
    app.setStyle("Fusion")
    app.setPalette(palette)
    app.setStyleSheet(style_path(name).read_text(encoding="utf-8"))
    app.setProperty("terminalTheme", name)


def current_theme(app: QApplication) -> str:
    """The theme last applied (dark before any)."""
    name = app.property("terminalTheme")
    return name if isinstance(name, str) and name in THEMES else "dark"
