"""Dockable panels: their specs (where they go by default) and repaint counting."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtWidgets import QAbstractScrollArea, QApplication, QDockWidget, QLabel, QWidget

Area = Qt.DockWidgetArea


@dataclass(frozen=True, slots=True)
class PanelSpec:
    """A panel: stable key (saved in layouts), title, default area, width share, the
    narrowest it may be squeezed to (so small screens keep every panel on screen), and
    whether it shows the selected market (its title then names it); by default it sits
    beside the previous panel of its area, or `below` another panel, or `tabbed_with`
    another."""

    key: str
    title: str
    area: Area
    width: int
    min_width: int
    waiting_text: str
    shows_market: bool = False
    below: str = ""
    tabbed_with: str = ""

    @property
    def in_a_column(self) -> bool:
        """Whether the panel takes a column of its own (not stacked under or tabbed)."""
        return not (self.below or self.tabbed_with)


# The trader's desk: markets, ladder, chart, trades over ticket, left to right; the account
# panels along the bottom.
DEFAULT_PANELS: tuple[PanelSpec, ...] = (
    # Widths are shares of the window: at 1600 px the markets panel shows market to funding;
    # from 1280 px the ladder shows its five columns; a wider screen gives every panel more.
    # Minimums keep each panel's figures whole (the tape: time, price and size).
    PanelSpec("watchlist", "Markets", Area.LeftDockWidgetArea, 420, 180, "Connecting…"),
    PanelSpec("ladder", "Ladder", Area.LeftDockWidgetArea, 440, 220, "Connecting…", True),
    PanelSpec("chart", "Chart", Area.RightDockWidgetArea, 560, 320, "Loading chart…", True),
    PanelSpec("tape", "Trades", Area.RightDockWidgetArea, 300, 260, "Waiting for trades…", True),
    PanelSpec(
        "ticket",
        "Order ticket",
        Area.RightDockWidgetArea,
        300,
        260,
        "Waiting for the account…",
        True,
        below="tape",
    ),
    # The account, under the market panels: blotters tabbed, then the summary and the log.
    PanelSpec("positions", "Positions", Area.BottomDockWidgetArea, 900, 320, "No account yet"),
    PanelSpec(
        "orders",
        "Open orders",
        Area.BottomDockWidgetArea,
        900,
        320,
        "No account yet",
        tabbed_with="positions",
    ),
    PanelSpec(
        "fills",
        "Fills",
        Area.BottomDockWidgetArea,
        900,
        320,
        "No account yet",
        tabbed_with="positions",
    ),
    PanelSpec(
        "funding",
        "Funding",
        Area.BottomDockWidgetArea,
        900,
        320,
        "No account yet",
        tabbed_with="positions",
    ),
    PanelSpec(
        "history",
        "Order history",
        Area.BottomDockWidgetArea,
        900,
        320,
        "No account yet",
        tabbed_with="positions",
    ),
    PanelSpec("account", "Account", Area.BottomDockWidgetArea, 320, 200, "No account yet"),
    PanelSpec("notifications", "Log", Area.BottomDockWidgetArea, 500, 240, "No events yet"),
)
BOTTOM_SHARE = 0.27
"""The account panels' share of the window's height by default."""


def panel_title(spec: PanelSpec, market: str) -> str:
    """A dock's title: the panel's name, and the market it shows if it shows one."""
    return f"{spec.title} · {market}" if spec.shows_market and market else spec.title


def dock_name(key: str) -> str:
    """The objectName of a panel's dock (what saveState keys the layout by)."""
    return f"dock.{key}"


def waiting_label(text: str) -> QLabel:
    """What a panel shows until its real widget is installed."""
    label = QLabel(text)
    label.setAlignment(Qt.AlignmentFlag.AlignCenter)
    label.setObjectName("panelWaiting")
    label.setEnabled(False)
    return label


def make_dock(spec: PanelSpec, parent: QWidget) -> QDockWidget:
    """A movable, floatable, closable dock holding the panel's waiting label."""
    dock = QDockWidget(spec.title, parent)
    dock.setObjectName(dock_name(spec.key))
    dock.setFeatures(
        QDockWidget.DockWidgetFeature.DockWidgetMovable
        | QDockWidget.DockWidgetFeature.DockWidgetFloatable
        | QDockWidget.DockWidgetFeature.DockWidgetClosable
    )
    dock.setWidget(waiting_label(spec.waiting_text))
    return dock


def paint_surface(widget: QWidget) -> QWidget:
    """The widget that repaints when a panel shows new data: a scroll area's viewport
    (tables, the chart's graphics view) or else the panel widget itself."""
    if isinstance(widget, QAbstractScrollArea):
        return widget.viewport()
    areas = widget.findChildren(QAbstractScrollArea)
    if areas:
        largest = max(areas, key=lambda a: a.sizeHint().width() * a.sizeHint().height())
        return largest.viewport()
    return widget


class FocusMarker(QObject):
    """Marks the dock that holds the keyboard focus (`focused` property, styled by the QSS),
    so Ctrl+1…n and a click show where typing goes."""

    def __init__(self, docks: Iterable[QDockWidget], parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._docks = tuple(docks)
        self.current: QDockWidget | None = None
        app = QApplication.instance()
        assert isinstance(app, QApplication)
        app.focusChanged.connect(self._on_focus_changed)

    def _on_focus_changed(self, _old: QWidget | None, new: QWidget | None) -> None:
        if new is None:
            return  # the window lost focus (a menu, another app): keep the mark
        holder = next((d for d in self._docks if d.isAncestorOf(new)), None)
        if holder is self.current:
            return
        for dock, on in ((self.current, False), (holder, True)):
            if dock is not None:
                dock.setProperty("focused", on)
                # a dynamic property reaches the style sheet only through a re-polish
                dock.style().unpolish(dock)
                dock.style().polish(dock)
        self.current = holder


class PaintCounter(QObject):
    """Counts paint events of panel widgets (their viewport for scroll areas) per panel key."""

    def __init__(self, counts: Counter[str], parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._counts = counts
        self._keys: dict[QObject, str] = {}

    def watch(self, key: str, target: QWidget) -> None:
        """Count repaints of a panel's drawing surface under `key`."""
        self._keys[target] = key
        target.installEventFilter(self)
        target.destroyed.connect(self._forget)

    def _forget(self, obj: QObject) -> None:
        self._keys.pop(obj, None)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        """Count and let the paint through."""
        if event.type() == QEvent.Type.Paint:
            key = self._keys.get(watched)
            if key is not None:
                self._counts[key] += 1
        return False
