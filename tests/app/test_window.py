"""The main window: docks, View menu, layout persistence, reset, themes, first paint."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QDockWidget, QLabel, QTableView

from terminal.app.docks import DEFAULT_PANELS, dock_name
from terminal.app.settings import AppSettings
from terminal.app.theme import current_theme
from terminal.app.window import MainWindow


def test_default_panels_are_docked_in_desk_order(window: MainWindow) -> None:
    assert list(window.docks)[:5] == ["watchlist", "ladder", "chart", "tape", "ticket"]
    tabs = {"orders", "fills", "funding", "history"}  # behind Positions
    for key, dock in window.docks.items():
        assert dock.objectName() == dock_name(key)
        assert dock.isVisible() and not dock.isFloating()
    assert {d.objectName() for d in window.tabifiedDockWidgets(window.docks["positions"])} == {
        dock_name(k) for k in tabs
    }
    xs = [window.docks[k].geometry().x() for k in ("watchlist", "ladder", "chart", "tape")]
    assert xs == sorted(xs)
    xs = [window.docks[k].geometry().x() for k in ("positions", "account", "notifications")]
    assert xs == sorted(xs)
    # The chart gets the most room of the market panels; the account panels sit below them.
    top = ("watchlist", "ladder", "chart", "tape", "ticket")
    widths = {k: window.docks[k].width() for k in top}
    assert widths["chart"] == max(widths.values())
    assert window.docks["positions"].geometry().top() > window.docks["chart"].geometry().bottom()


def test_panel_closes_and_reopens_from_view_menu(window: MainWindow, qtbot) -> None:
    dock = window.docks["tape"]
    dock.close()
    qtbot.waitUntil(lambda: not dock.isVisible())
    toggles = {a.text(): a for a in window.view_menu.actions()}
    action = toggles["Trades"]
    assert not action.isChecked()
    action.trigger()
    qtbot.waitUntil(dock.isVisible)
    assert action.isChecked()


def test_layout_round_trips_through_settings(qtbot, settings: AppSettings) -> None:
    first = MainWindow(settings)
    qtbot.addWidget(first)
    first.show()
    first.docks["chart"].setFloating(True)
    first.docks["watchlist"].hide()
    first.save_layout()

    second = MainWindow(settings)
    qtbot.addWidget(second)
    second.show()
    assert second.docks["chart"].isFloating()
    assert not second.docks["watchlist"].isVisibleTo(second)
    assert second.docks["ladder"].isVisibleTo(second)


def test_layout_of_another_version_is_ignored(qtbot, settings: AppSettings) -> None:
    win = MainWindow(settings)
    qtbot.addWidget(win)
    win.docks["chart"].setFloating(True)
    win.save_layout()
    settings._store.setValue("window/layout_version", 0)
    again = MainWindow(settings)
    qtbot.addWidget(again)
    assert not again.docks["chart"].isFloating()


def test_reset_layout_restores_the_desk(window: MainWindow, qtbot, settings: AppSettings) -> None:
    window.docks["ladder"].setFloating(True)
    window.docks["tape"].close()
    window.save_layout()
    window.reset_action.trigger()
    qtbot.waitUntil(lambda: window.docks["tape"].isVisible())
    assert not window.docks["ladder"].isFloating()
    assert window.dockWidgetArea(window.docks["ladder"]) == Qt.DockWidgetArea.LeftDockWidgetArea
    assert settings.load_layout() is None


def test_install_panel_replaces_waiting_label_and_counts_repaints(
    window: MainWindow, qtbot
) -> None:
    assert isinstance(window.panel("tape"), QLabel)
    table = QTableView()
    window.install_panel("tape", table)
    assert window.panel("tape") is table
    table.viewport().update()
    qtbot.waitUntil(lambda: window.frames["tape"] > 0)


def test_theme_menu_requests_a_theme(window: MainWindow, qtbot) -> None:
    with qtbot.waitSignal(window.theme_requested) as signal:
        window.theme_actions["light"].trigger()
    assert signal.args == ["light"]


def test_first_paint_is_signalled(qtbot, qapp: QApplication, settings: AppSettings) -> None:
    win = MainWindow(settings)
    qtbot.addWidget(win)
    with qtbot.waitSignal(win.first_painted, timeout=3000):
        win.show()


def test_focus_shortcut_shows_a_closed_panel(window: MainWindow, qtbot) -> None:
    window.docks["chart"].close()
    window.focus_panel("chart")
    qtbot.waitUntil(window.docks["chart"].isVisible)


def test_close_panels_removes_panel_widgets(window: MainWindow) -> None:
    window.close_panels()
    assert all(d.widget() is None for d in window.docks.values())
    assert all(isinstance(d, QDockWidget) for d in window.docks.values())
    assert len(DEFAULT_PANELS) == len(window.docks)


def test_theme_switch_changes_palette(qapp: QApplication) -> None:
    from terminal.app.theme import apply_theme

    apply_theme(qapp, "light")
    light = qapp.palette().window().color().lightness()
    assert current_theme(qapp) == "light"
    apply_theme(qapp, "dark")
    dark = qapp.palette().window().color().lightness()
    assert current_theme(qapp) == "dark"
    assert light > 200 > 60 > dark
    assert "QDockWidget" in qapp.styleSheet()


def test_shell_theme_switch_applies_remembers_and_ticks(
    qtbot, qapp: QApplication, settings: AppSettings
) -> None:
    from terminal.app.cli import AppOptions
    from terminal.app.lifecycle import AppShell
    from terminal.app.report import RunReport

    win = MainWindow(settings)
    qtbot.addWidget(win)
    shell = AppShell(qapp, win, settings, AppOptions(), RunReport())
    win.theme_actions["light"].trigger()
    assert current_theme(qapp) == "light"
    assert settings.get("ui/theme") == "light"
    assert win.theme_actions["light"].isChecked()
    shell.set_theme("dark")
    assert current_theme(qapp) == "dark"
    assert win.theme_actions["dark"].isChecked()
    settings.set("ui/theme", "light")  # e.g. from the settings dialog
    assert current_theme(qapp) == "light" and win.theme_actions["light"].isChecked()


def test_closing_the_window_saves_layout_and_asks_to_quit(
    qtbot, qapp: QApplication, settings: AppSettings
) -> None:
    from terminal.app.cli import AppOptions
    from terminal.app.lifecycle import AppShell
    from terminal.app.report import RunReport

    win = MainWindow(settings)
    qtbot.addWidget(win)
    shell = AppShell(qapp, win, settings, AppOptions(), RunReport())
    win.show()
    win.close()
    assert shell._quit.is_set()
    assert settings.load_layout() is not None
