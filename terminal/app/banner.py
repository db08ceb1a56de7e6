"""A strip above the panels that says what keeps the terminal from working fully, and
offers the one thing to do about it (Retry, Set up account…)."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QResizeEvent
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QMainWindow,
    QPushButton,
    QSizePolicy,
    QToolBar,
    QWidget,
)


class Banner(QWidget):
    """Message plus one action button; hidden when there is nothing to say."""

    changed = Signal(str)
    """The message shown now ("" once cleared)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("banner")
        self.label = QLabel(self)
        self.label.setObjectName("bannerText")
        self.label.setWordWrap(True)
        self.label.setTextFormat(Qt.TextFormat.PlainText)
        self.label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        # A tool bar sizes its widgets by their size hints, which for wrapped text guess a
        # narrow, tall box: take the width given and fit the height to it (resizeEvent).
        self.label.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Fixed)
        self.button = QPushButton(self)
        self.button.clicked.connect(self._clicked)
        self._action: Callable[[], object] | None = None
        layout = QHBoxLayout(self)
        layout.setContentsMargins(8, 4, 8, 4)
        layout.addWidget(self.label, 1)
        layout.addWidget(self.button)
        self.button.hide()

    def resizeEvent(self, event: QResizeEvent) -> None:
        """Fit the message's height to the width it got."""
        super().resizeEvent(event)
        self._fit()

    def _fit(self) -> None:
        height = self.label.heightForWidth(max(self.label.width(), 1))
        if height > 0 and height != self.label.height():
            self.label.setFixedHeight(height)

    @property
    def text(self) -> str:
        """The message shown ("" when none)."""
        return self.label.text()

    def show_message(
        self, text: str, action: str = "", on_action: Callable[[], object] | None = None
    ) -> None:
        """Show `text`, with a button labelled `action` that calls `on_action` (no button
        without both)."""
        self.label.setText(text)
        self.button.setText(action)
        self._action = on_action if action else None
        self.button.setVisible(self._action is not None)
        self._bar().show()
        self._fit()
        self.changed.emit(text)

    def clear(self) -> None:
        """Hide the banner."""
        self.label.clear()
        self._action = None
        self._bar().hide()
        self.changed.emit("")

    def _clicked(self) -> None:
        if self._action is not None:
            self._action()

    def _bar(self) -> QWidget:
        parent = self.parentWidget()
        return parent if isinstance(parent, QToolBar) else self


def install_banner(window: QMainWindow) -> Banner:
    """The window's banner (hidden) on a fixed bar above its docks, made on first use."""
    existing = window.findChild(Banner)
    if existing is not None:
        existing.clear()
        return existing
    bar = QToolBar("Notice", window)
    bar.setObjectName("bannerBar")
    bar.setMovable(False)
    bar.setFloatable(False)
    bar.toggleViewAction().setVisible(False)
    banner = Banner(bar)
    bar.addWidget(banner)
    window.addToolBar(Qt.ToolBarArea.TopToolBarArea, bar)
    bar.hide()
    return banner
