"""Trading hotkeys: defaults, the user's bindings from settings, and the text-field guard.

They work whichever panel has focus (application-wide shortcuts), but a key that would
type a character into a text field never trades: a binding without Ctrl, Alt or Meta is
ignored while a text field has focus.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QObject, Qt
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractSpinBox,
    QApplication,
    QLineEdit,
    QPlainTextEdit,
    QTextEdit,
    QWidget,
)

from terminal.app.hotkey_list import HOTKEYS

_TEXT_INPUTS = (QLineEdit, QAbstractSpinBox, QTextEdit, QPlainTextEdit)
_TRADING_MODIFIERS = (
    Qt.KeyboardModifier.ControlModifier
    | Qt.KeyboardModifier.AltModifier
    | Qt.KeyboardModifier.MetaModifier
)


def typing_into_text(sequence: QKeySequence) -> bool:
    """Whether `sequence` would type into the focused widget (a text field, no modifier)."""
    focus = QApplication.focusWidget()
    if not isinstance(focus, _TEXT_INPUTS) or sequence.isEmpty():
        return False
    return not sequence[0].keyboardModifiers() & _TRADING_MODIFIERS  # type: ignore[index]


class HotkeySet(QObject):
    """Application-wide shortcuts bound to trading actions."""

    def __init__(self, window: QWidget, bindings: dict[str, str]) -> None:
        super().__init__(window)
        self._window = window
        self._bindings = {h.key: bindings.get(h.key) or h.default for h in HOTKEYS}
        self.shortcuts: dict[str, QShortcut] = {}

    def binding(self, key: str) -> str:
        """The key sequence text bound to an action."""
        return self._bindings[key]

    def bind(self, key: str, action: Callable[[], None]) -> None:
        """Run `action` when the action's keys are pressed (unless typing into a field)."""
        sequence = QKeySequence(self._bindings[key])
        shortcut = QShortcut(sequence, self._window)
        shortcut.setObjectName(f"hotkey.{key}")
        shortcut.setContext(Qt.ShortcutContext.ApplicationShortcut)
        shortcut.activated.connect(lambda: None if typing_into_text(sequence) else action())
        self.shortcuts[key] = shortcut
