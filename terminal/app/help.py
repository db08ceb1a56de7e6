"""The Help menu's dialogs: a keyboard cheat sheet read from the window's live actions, and
About (version, venue, profile, build, where settings and logs live)."""

from __future__ import annotations

import platform
import sys
from dataclasses import dataclass

from PySide6 import __version__ as pyside_version
from PySide6.QtCore import Qt, qVersion
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHeaderView,
    QLabel,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from terminal.app.cli import app_version
from terminal.app.resources import is_frozen

PANEL_KEYS = (
    ("Space or C", "Ladder: recentre on the inside market"),
    ("↑ ↓ PgUp PgDn", "Ladder: scroll rows"),
    ("Enter", "Markets filter: show the first match"),
)
"""Keys a focused panel handles itself (not window actions), listed after the actions."""


def shortcuts(window: QWidget) -> list[tuple[str, str]]:
    """(keys, what they do) for every action of `window` that has a shortcut, in the order
    they were created: a new action shows up here without touching this module."""
    rows: list[tuple[str, str]] = []
    seen: set[tuple[str, str]] = set()
    for action in window.findChildren(QAction):
        keys = ", ".join(
            k.toString(QKeySequence.SequenceFormat.NativeText) for k in action.shortcuts()
        )
        what = action.text().replace("&", "") or action.toolTip()
        if keys and (keys, what) not in seen:
            seen.add((keys, what))
            rows.append((keys, what))
    return rows


class ShortcutsDialog(QDialog):
    """A two-column table of the window's shortcuts, then the panels' own keys."""

    def __init__(self, window: QWidget) -> None:
        super().__init__(window)
        self.setWindowTitle("Keyboard shortcuts")
        rows = shortcuts(window) + list(PANEL_KEYS)
        self.table = QTableWidget(len(rows), 2, self)
        self.table.setHorizontalHeaderLabels(["Keys", "Action"])
        self.table.verticalHeader().hide()
        self.table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.table.setShowGrid(False)
        for row, (keys, what) in enumerate(rows):
            self.table.setItem(row, 0, QTableWidgetItem(keys))
            self.table.setItem(row, 1, QTableWidgetItem(what))
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        header.setStretchLastSection(True)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.table)
        layout.addWidget(buttons)
        self.resize(460, min(640, 80 + 26 * len(rows)))


@dataclass(slots=True)
class AboutInfo:
    """What About shows; the venue and profile arrive once the session connects."""

    settings_location: str
    log_location: str
    profile: str = "not connected yet"
    venue: str = "not connected yet"


def build_text() -> str:
    """How this copy was built and what it runs on."""
    kind = "frozen binary" if is_frozen() else "from source"
    python = platform.python_version()
    return f"{kind}; Python {python}, PySide6 {pyside_version} (Qt {qVersion()}), {sys.platform}"


class AboutDialog(QDialog):
    """Version, venue, profile, build, and where settings and logs live (selectable)."""

    def __init__(self, info: AboutInfo, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("About Paradex Terminal")
        form = QFormLayout()
        self.fields: dict[str, QLabel] = {}
        for name, value in (
            ("Version", app_version()),
            ("Venue", info.venue),
            ("Profile", info.profile),
            ("Build", build_text()),
            ("Settings", info.settings_location),
            ("Logs", info.log_location),
        ):
            label = QLabel(value, self)
            label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            label.setWordWrap(True)
            self.fields[name] = label
            form.addRow(name, label)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        title = QLabel("<b>Paradex Terminal</b> — a desktop terminal for Paradex perpetuals")
        layout.addWidget(title)
        layout.addLayout(form)
        layout.addWidget(buttons)
        self.setMinimumWidth(520)
