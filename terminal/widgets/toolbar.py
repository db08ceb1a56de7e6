"""Panel toolbars that stay whole when squeezed: long button texts while they fit, short
ones (the tooltips say the rest) when they do not — never an elided "Aut…tre"."""

from __future__ import annotations

from PySide6.QtWidgets import QAbstractButton, QHBoxLayout


class CompactTexts:
    """Switches some buttons of a toolbar between a long and a short text by its width."""

    def __init__(self, bar: QHBoxLayout, texts: dict[QAbstractButton, tuple[str, str]]) -> None:
        self._bar = bar
        self._texts = texts

    def fit(self, width: int) -> None:
        """Show the long texts if the toolbar is whole with them at `width`, else the short."""
        long = width >= self.needed(long=True)
        for button, (long_text, short_text) in self._texts.items():
            text = long_text if long else short_text
            if button.text() != text:
                button.setText(text)

    def needed(self, *, long: bool) -> int:
        """Pixels the toolbar's widgets need side by side with the long (or short) texts."""
        bar = self._bar
        margins = bar.contentsMargins()
        items = (bar.itemAt(i) for i in range(bar.count()))
        widgets = [item.widget() for item in items if item is not None]
        shown = [w for w in widgets if w is not None and not w.isHidden()]
        width = margins.left() + margins.right() + bar.spacing() * max(0, len(shown) - 1)
        for widget in shown:
            width += widget.sizeHint().width()
            if isinstance(widget, QAbstractButton) and widget in self._texts:
                metrics = widget.fontMetrics()
                width += metrics.horizontalAdvance(self._texts[widget][0 if long else 1])
                width -= metrics.horizontalAdvance(widget.text())
        return width
