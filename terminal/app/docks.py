"""Dockable panels: their specs (where they go by default) and repaint counting."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtWidgets import QAbstractScrollArea, QDockWidget, QLabel, QWidget

Area = Qt.DockWidgetArea


@dataclass(frozen=True, slots=True)
class PanelSpec:
    """A panel: stable key (saved in layouts), title, default area, width share and the
    narrowest it may be squeezed to (so small screens keep every panel on screen); by
    default it sits beside the previous panel of its area, or `below` another panel, or
    `tabbed_with` another."""

    key: str
    title: str
    area: Area
    width: int
    min_width: int
    waiting_text: str
    below: str = ""
    tabbed_with: str = ""

    @property
    def in_a_column(self) -> bool:
        """Whether the panel takes a column of its own (not stacked under or tabbed)."""
        return not (self.below or self.tabbed_with)


# The trader's desk, left to right. Order ticket / positions / orders / fills / account will
# join in the bottom area (and the right column under the tape) when they exist.
DEFAULT_PANELS: tuple[PanelSpec, ...] = (
    # Widths are shares of the window: at 1600 px the markets panel shows market to funding
    # and the ladder its five columns; a wider screen gives every panel more. Minimums keep
    # each panel's figures whole (the tape: time, price and size) on a 1280 px screen.
    PanelSpec("watchlist", "Markets", Area.LeftDockWidgetArea, 420, 180, "Connecting…"),
    PanelSpec("ladder", "Ladder", Area.LeftDockWidgetArea, 380, 220, "Connecting…"),
    PanelSpec("chart", "Chart", Area.RightDockWidgetArea, 620, 320, "Loading chart…"),
    PanelSpec("tape", "Trades", Area.RightDockWidgetArea, 300, 260, "Waiting for trades…"),
    PanelSpec(
        "ticket",
        "Order ticket",
        Area.RightDockWidgetArea,
        300,
        260,
        "Waiting for the account…",
        below="tape",
    ),
)


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
