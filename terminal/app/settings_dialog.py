"""The settings dialog: one editor per labelled option of the schema, grouped by section.

It is built from `OPTIONS` alone, so a new labelled option appears here by itself. OK
stores what changed (each option's watchers hear of it); Cancel stores nothing.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGroupBox,
    QLabel,
    QLineEdit,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from terminal.app.settings import OPTIONS, AppSettings, InvalidSetting, Option


class OptionEditor:
    """An option's editor widget, read and written as the option's values."""

    def __init__(self, option: Option, value: Any, parent: QWidget) -> None:
        self.option = option
        self.widget: QWidget
        if option.choices:
            box = QComboBox(parent)
            labels = option.choice_labels or tuple(str(c) for c in option.choices)
            for label, choice in zip(labels, option.choices, strict=True):
                box.addItem(label, choice)
            box.setCurrentIndex(max(0, box.findData(value)))
            self.widget = box
        elif option.type is bool:
            self.widget = QCheckBox(parent)
            self.widget.setChecked(bool(value))
        elif option.type is int:
            spin = QSpinBox(parent)
            spin.setRange(option.minimum, option.maximum)
            spin.setValue(int(value))
            self.widget = spin
        else:
            self.widget = QLineEdit(str(value), parent)
        self.widget.setToolTip(option.description)
        self.widget.setObjectName(f"option:{option.key}")

    def value(self) -> Any:
        """The edited value as text or data (AppSettings parses it by the option's type)."""
        widget = self.widget
        if isinstance(widget, QComboBox):
            return widget.currentData()
        if isinstance(widget, QCheckBox):
            return widget.isChecked()
        if isinstance(widget, QSpinBox):
            return widget.value()
        assert isinstance(widget, QLineEdit)
        return widget.text()


class SettingsDialog(QDialog):
    """Edit the user's options; OK applies the changed ones, Cancel none."""

    def __init__(self, settings: AppSettings, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Settings")
        self._settings = settings
        self.editors: dict[str, OptionEditor] = {}
        self._error = QLabel(self)
        self._error.setObjectName("settingsError")
        self._error.setWordWrap(True)
        self._error.hide()
        layout = QVBoxLayout(self)
        forms: dict[str, QFormLayout] = {}
        for option in OPTIONS.values():
            if not option.label:
                continue
            form = forms.get(option.section)
            if form is None:
                group = QGroupBox(option.section or "General", self)
                form = forms[option.section] = QFormLayout(group)
                layout.addWidget(group)
            editor = OptionEditor(option, settings.get(option.key), self)
            self.editors[option.key] = editor
            form.addRow(option.label, editor.widget)
        layout.addWidget(self._error)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self
        )
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)

    def accept(self) -> None:
        """Store every edited option, or say which one is wrong and stay open."""
        values = {}
        for key, editor in self.editors.items():
            try:
                values[key] = editor.option.parse(editor.value())
            except InvalidSetting as exc:
                self._error.setText(f"{editor.option.label}: {exc}")
                self._error.show()
                editor.widget.setFocus()
                return
        for key, value in values.items():
            self._settings.set(key, value)
        super().accept()
