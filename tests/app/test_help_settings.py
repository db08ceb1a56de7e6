"""Help (shortcuts, About, log folder) and the settings schema, store and dialog."""

from __future__ import annotations

from decimal import Decimal

import pytest
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QCheckBox, QComboBox, QSpinBox

from terminal.app.help import AboutDialog, ShortcutsDialog, app_version, shortcuts
from terminal.app.settings import OPTIONS, AppSettings, Option
from terminal.app.settings_dialog import SettingsDialog
from terminal.app.window import MainWindow


def test_the_cheat_sheet_is_read_from_the_windows_live_actions(window: MainWindow) -> None:
    rows = dict((what, keys) for keys, what in shortcuts(window))
    assert "Ctrl+Q" in rows["Quit"]
    assert rows["Focus Markets"] == "Ctrl+1" and rows["Focus Trades"] == "Ctrl+4"
    assert rows["Keyboard shortcuts"] == "F1" and rows["Settings…"] == "Ctrl+,"
    added = QAction("Cancel all orders", window)  # e.g. the lead's trading hotkeys
    added.setShortcut(QKeySequence("Ctrl+Shift+X"))
    window.addAction(added)
    assert ("Ctrl+Shift+X", "Cancel all orders") in shortcuts(window)


def test_help_dialogs_open_and_say_what_they_should(window: MainWindow, qtbot) -> None:
    sheet = window.show_shortcuts()
    assert isinstance(sheet, ShortcutsDialog)
    assert sheet.table.rowCount() >= len(shortcuts(window))
    sheet.reject()
    window.about.profile = "demo"
    about = window.show_about()
    assert isinstance(about, AboutDialog)
    fields = {name: label.text() for name, label in about.fields.items()}
    assert fields["Version"] == app_version()
    assert fields["Profile"] == "demo"
    assert fields["Settings"].endswith("settings.ini")
    assert fields["Logs"].endswith("logs")
    about.reject()


def test_options_parse_by_type_and_choices() -> None:
    assert OPTIONS["sounds/fills"].parse("true") is True
    assert OPTIONS["sounds/fills"].parse("false") is False
    assert OPTIONS["ladder/row_height"].parse("24") == 24
    with pytest.raises(ValueError):
        OPTIONS["ladder/row_height"].parse("200")
    with pytest.raises(ValueError):
        OPTIONS["ui/theme"].parse("purple")
    with pytest.raises(ValueError):
        OPTIONS["ladder/grouping"].parse(3)


def test_settings_notify_per_option_and_persist(settings: AppSettings, qtbot) -> None:
    heard: list[object] = []
    settings.watch("ladder/grouping", heard.append)
    with qtbot.waitSignal(settings.changed) as blocker:
        settings.set("sounds/fills", True)
    assert blocker.args == ["sounds/fills"] and heard == []
    settings.set("ladder/grouping", 10)
    settings.set("ladder/grouping", 10)  # unchanged: nobody hears twice
    assert heard == [10]
    assert settings.get("ladder/grouping") == 10 and settings.get("sounds/fills") is True
    with pytest.raises(KeyError):
        settings.watch("no/such", heard.append)


def test_the_dialog_is_built_from_the_schema_and_applies_on_ok(
    window: MainWindow, settings: AppSettings, qtbot
) -> None:
    dialog = window.show_settings()
    assert isinstance(dialog, SettingsDialog)
    labelled = [o.key for o in OPTIONS.values() if o.label]
    assert list(dialog.editors) == labelled
    assert isinstance(dialog.editors["ui/theme"].widget, QComboBox)
    assert isinstance(dialog.editors["sounds/fills"].widget, QCheckBox)
    assert isinstance(dialog.editors["ladder/row_height"].widget, QSpinBox)
    themes: list[object] = []
    settings.watch("ui/theme", themes.append)
    box = dialog.editors["ui/theme"].widget
    assert isinstance(box, QComboBox)
    box.setCurrentIndex(box.findData("light"))
    check = dialog.editors["sounds/fills"].widget
    assert isinstance(check, QCheckBox)
    check.setChecked(True)
    dialog.accept()
    assert themes == ["light"]
    assert settings.get("sounds/fills") is True


def test_a_new_option_gets_an_editor_by_its_type(settings: AppSettings, monkeypatch, qtbot) -> None:

    limit = Option(
        "trading/max_notional",
        Decimal,
        Decimal(50_000),
        "Refuse orders above this notional (USD).",
        label="Fat-finger limit",
        section="Trading",
    )
    monkeypatch.setitem(OPTIONS, limit.key, limit)
    dialog = SettingsDialog(settings)
    qtbot.addWidget(dialog)
    editor = dialog.editors[limit.key]
    editor.widget.setText("not a number")  # type: ignore[attr-defined]
    dialog.accept()
    assert dialog.result() == 0 and settings.get(limit.key) == Decimal(50_000)
    editor.widget.setText("25000")  # type: ignore[attr-defined]
    dialog.accept()
    assert settings.get(limit.key) == Decimal(25_000)
