"""The notifications log panel: order events and warnings, newest first; a beep on fills."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtWidgets import QApplication, QWidget

from terminal.viewmodels.notifications import NotificationsModel
from terminal.widgets.blotter import BlotterTable


class NotificationsLog(BlotterTable):
    """Every order event in words, coloured by level. `beep` sounds a fill (PySide6-Essentials
    has no QtMultimedia, so the system beep)."""

    def __init__(
        self,
        model: NotificationsModel,
        parent: QWidget | None = None,
        *,
        beep: Callable[[], None] = QApplication.beep,
    ) -> None:
        super().__init__(model, "notificationsLog", "No events yet", parent, elide_last=True)
        model.fill_sound_requested.connect(beep)
