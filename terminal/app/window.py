"""The main window: dockable panels, View menu, layout persistence, themes, shortcuts."""

from __future__ import annotations

from collections import Counter
from typing import TypeVar

from PySide6.QtCore import QEvent, QObject, Qt, QTimer, QUrl, Signal
from PySide6.QtGui import QAction, QActionGroup, QCloseEvent, QDesktopServices, QIcon, QKeySequence
from PySide6.QtWidgets import QDialog, QDockWidget, QMainWindow, QWidget

from terminal.app.docks import (
    BOTTOM_SHARE,
    DEFAULT_PANELS,
    FocusMarker,
    PaintCounter,
    PanelSpec,
    make_dock,
    paint_surface,
    panel_title,
)
from terminal.app.help import AboutDialog, AboutInfo, ShortcutsDialog
from terminal.app.logging_setup import log_dir
from terminal.app.resources import icon_path
from terminal.app.settings import LAYOUT_VERSION, AppSettings
from terminal.app.settings_dialog import SettingsDialog
from terminal.app.statusbar import StatusBar
from terminal.app.theme import THEMES

DEFAULT_SIZE = (1600, 960)
SCREEN_SHARE = 0.94
"""A first run fills most of the screen (a trader's desk wants all of it)."""


class FirstPaintWatcher(QObject):
    """Emits `painted` once, at the first paint event of the widget it watches."""

    painted = Signal()

    def __init__(self, widget: QWidget) -> None:
        super().__init__(widget)
        self._widget = widget
        widget.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        """Fire on the first paint, then stop watching."""
        if event.type() == QEvent.Type.Paint:
            self._widget.removeEventFilter(self)
            self.painted.emit()
        return False


D = TypeVar("D", bound=QDialog)


def _opened(dialog: D) -> D:
    """Show a window-modal dialog that deletes itself when closed."""
    dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    dialog.open()
    return dialog


class MainWindow(QMainWindow):
    """One window of dockable panels; it draws and forwards intent, the app wires data."""

    first_painted = Signal()
    theme_requested = Signal(str)
    accounts_requested = Signal()
    closing = Signal()

    def __init__(
        self,
        settings: AppSettings,
        *,
        panels: tuple[PanelSpec, ...] = DEFAULT_PANELS,
        frames: Counter[str] | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle("Paradex Terminal")
        self.setWindowIcon(QIcon(str(icon_path())))
        self.setDockOptions(
            QMainWindow.DockOption.AnimatedDocks
            | QMainWindow.DockOption.AllowNestedDocks
            | QMainWindow.DockOption.AllowTabbedDocks
        )
        self.setDocumentMode(True)
        self._settings = settings
        self._specs = {spec.key: spec for spec in panels}
        self.frames: Counter[str] = frames if frames is not None else Counter()
        self._paint_counter = PaintCounter(self.frames, self)
        # A filter, not an event() override: it removes itself, so after the first paint
        # the window's events no longer pass through Python.
        self._first_paint = FirstPaintWatcher(self)
        self._first_paint.painted.connect(self.first_painted)
        self.docks: dict[str, QDockWidget] = {spec.key: make_dock(spec, self) for spec in panels}
        self.focus_marker = FocusMarker(self.docks.values(), self)
        self.about = AboutInfo(settings.location, str(log_dir()))
        self.status = StatusBar(self)
        self.setStatusBar(self.status)
        self._build_menus()
        self._fit_to_screen()
        self._arrange_default()
        self._restored = self.restore_layout()

    # -- panels -------------------------------------------------------------------------

    def install_panel(self, key: str, widget: QWidget, *, surface: QWidget | None = None) -> None:
        """Put a panel's real widget into its dock (replacing the waiting label); its
        repaints are counted on `surface` (by default its scroll area's viewport or itself)."""
        dock = self.docks[key]
        old = dock.widget()
        # An explicit minimum stops a wide toolbar from pushing other panels off a small
        # screen: the panel's contents get squeezed instead.
        widget.setMinimumWidth(self._specs[key].min_width)
        dock.setWidget(widget)
        if old is not None:
            old.deleteLater()
        self._paint_counter.watch(key, surface or paint_surface(widget))
        if not self._restored:
            # A real panel's size hints differ from its waiting label's: re-share the width
            # once the layout has taken the new widget in.
            QTimer.singleShot(0, self, self._share_width)

    def panel(self, key: str) -> QWidget | None:
        """The widget a panel's dock currently holds."""
        return self.docks[key].widget()

    def show_market(self, market: str) -> None:
        """Name `market` in the titles of the panels that show the selected market."""
        for key, dock in self.docks.items():
            dock.setWindowTitle(panel_title(self._specs[key], market))

    def close_panels(self) -> None:
        """Destroy the panels' widgets (first step of shutdown: nothing paints after this)."""
        for dock in self.docks.values():
            widget = dock.widget()
            if widget is not None:
                widget.setParent(None)
                widget.deleteLater()

    def focus_panel(self, key: str) -> None:
        """Show, raise and focus a panel's main control (Ctrl+1…n): the markets filter, the
        ladder grid, the chart, the trades table."""
        dock = self.docks[key]
        dock.show()
        dock.raise_()
        widget = dock.widget()
        if widget is not None:
            widget.setFocus(Qt.FocusReason.ShortcutFocusReason)

    # -- layout -------------------------------------------------------------------------

    def _arrange_default(self) -> None:
        """The trader's desk: markets | ladder | chart | tape, nothing floating or hidden."""
        placed: dict[Qt.DockWidgetArea, QDockWidget] = {}
        # Tabs last: Qt adds a dock split beside a tabbed one as one more tab.
        order = sorted(self.docks, key=lambda key: bool(self._specs[key].tabbed_with))
        for key in order:
            spec, dock = self._specs[key], self.docks[key]
            dock.setFloating(False)
            self.addDockWidget(spec.area, dock)
            if spec.tabbed_with:
                self.tabifyDockWidget(self.docks[spec.tabbed_with], dock)
            elif spec.below:
                self.splitDockWidget(self.docks[spec.below], dock, Qt.Orientation.Vertical)
            else:
                previous = placed.get(spec.area)
                if previous is not None:
                    self.splitDockWidget(previous, dock, Qt.Orientation.Horizontal)
                placed[spec.area] = dock
            dock.show()
        for key, spec in self._specs.items():
            if not spec.tabbed_with and any(s.tabbed_with == key for s in self._specs.values()):
                self.docks[key].raise_()  # the first of its tabs in front
        self._share_width()

    def _share_width(self) -> None:
        """Columns take their width shares, the top row and the bottom row each; the bottom
        row takes BOTTOM_SHARE of the height."""
        bottom = Qt.DockWidgetArea.BottomDockWidgetArea
        for in_bottom in (False, True):
            docks = [
                dock
                for key, dock in self.docks.items()
                if self._specs[key].in_a_column
                and not dock.isFloating()
                and (self._specs[key].area == bottom) == in_bottom
            ]
            widths = [self._specs[d.objectName().removeprefix("dock.")].width for d in docks]
            self.resizeDocks(docks, widths, Qt.Orientation.Horizontal)
            share = BOTTOM_SHARE if in_bottom else 1 - BOTTOM_SHARE
            if docks and any(s.area == bottom for s in self._specs.values()):
                height = int(self.height() * share)
                self.resizeDocks(docks, [height] * len(docks), Qt.Orientation.Vertical)

    def _fit_to_screen(self) -> None:
        screen = self.screen()
        width, height = DEFAULT_SIZE
        if screen is not None:
            available = screen.availableGeometry()
            width = int(available.width() * SCREEN_SHARE)
            height = int(available.height() * SCREEN_SHARE)
            self.resize(width, height)
            self.move(available.center() - self.rect().center())
        else:
            self.resize(width, height)

    def reset_layout(self) -> None:
        """Back to the default arrangement; forget the saved one."""
        self._settings.clear_layout()
        self._restored = False
        self._arrange_default()

    def save_layout(self) -> None:
        """Persist geometry and dock state."""
        self._settings.save_layout(self.saveGeometry(), self.saveState(LAYOUT_VERSION))

    def restore_layout(self) -> bool:
        """Restore the saved layout if there is one of this version."""
        saved = self._settings.load_layout()
        if saved is None:
            return False
        geometry, state = saved
        self.restoreGeometry(geometry)
        return bool(self.restoreState(state, LAYOUT_VERSION))

    # -- menus --------------------------------------------------------------------------

    def _build_menus(self) -> None:
        file_menu = self.menuBar().addMenu("&File")
        accounts = QAction("&Accounts…", self)
        accounts.triggered.connect(self.accounts_requested)
        file_menu.addAction(accounts)
        self.accounts_action = accounts
        settings_action = QAction("&Settings…", self)
        settings_action.setShortcut(QKeySequence("Ctrl+,"))
        settings_action.triggered.connect(self.show_settings)
        file_menu.addAction(settings_action)
        file_menu.addSeparator()
        quit_action = QAction("&Quit", self)
        # The platform's Quit keys; some platforms (offscreen, bare X11) have none: Ctrl+Q.
        quit_keys = QKeySequence.keyBindings(QKeySequence.StandardKey.Quit)
        quit_action.setShortcuts(quit_keys or [QKeySequence("Ctrl+Q")])
        quit_action.setShortcutContext(Qt.ShortcutContext.ApplicationShortcut)
        quit_action.triggered.connect(self.close)
        file_menu.addAction(quit_action)

        view = self.menuBar().addMenu("&View")
        self.view_menu = view
        for index, (key, dock) in enumerate(self.docks.items(), start=1):
            toggle = dock.toggleViewAction()
            view.addAction(toggle)
            focus = QAction(f"Focus {self._specs[key].title}", self)
            focus.setShortcut(QKeySequence(f"Ctrl+{index}"))
            focus.triggered.connect(lambda _=False, k=key: self.focus_panel(k))
            self.addAction(focus)
        view.addSeparator()
        reset = QAction("&Reset layout", self)
        reset.triggered.connect(self.reset_layout)
        view.addAction(reset)
        self.reset_action = reset

        theme_menu = view.addMenu("&Theme")
        group = QActionGroup(self)
        group.setExclusive(True)
        self.theme_actions: dict[str, QAction] = {}
        for name in THEMES:
            action = QAction(name.capitalize(), self, checkable=True)
            action.triggered.connect(lambda _=False, n=name: self.theme_requested.emit(n))
            group.addAction(action)
            theme_menu.addAction(action)
            self.theme_actions[name] = action

        help_menu = self.menuBar().addMenu("&Help")
        self.help_menu = help_menu
        for text, keys, slot in (
            ("&Keyboard shortcuts", "F1", self.show_shortcuts),
            ("Open &log folder", "", self.open_log_folder),
            ("&About Paradex Terminal", "", self.show_about),
        ):
            action = QAction(text, self)
            if keys:
                action.setShortcut(QKeySequence(keys))
            action.triggered.connect(slot)
            help_menu.addAction(action)

    def show_settings(self) -> SettingsDialog:
        """The settings dialog (changes reach their watchers on OK)."""
        return _opened(SettingsDialog(self._settings, self))

    def show_shortcuts(self) -> ShortcutsDialog:
        """The keyboard cheat sheet, read from this window's actions as they are now."""
        return _opened(ShortcutsDialog(self))

    def show_about(self) -> AboutDialog:
        """Version, venue, profile, build and where settings and logs live."""
        return _opened(AboutDialog(self.about, self))

    def open_log_folder(self) -> None:
        """Open the folder holding the log files in the desktop's file manager."""
        folder = log_dir()
        folder.mkdir(parents=True, exist_ok=True)
        QDesktopServices.openUrl(QUrl.fromLocalFile(str(folder)))

    def show_theme(self, name: str) -> None:
        """Tick the current theme in the menu."""
        self.theme_actions[name].setChecked(True)

    # -- events -------------------------------------------------------------------------

    def closeEvent(self, event: QCloseEvent) -> None:
        """Save the layout, tell the app, and close."""
        self.save_layout()
        self.closing.emit()
        super().closeEvent(event)
