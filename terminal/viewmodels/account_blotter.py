"""A blotter fed live by the account: re-read when its part changes, stale while resyncing."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TypeVar

from PySide6.QtCore import QObject, QTimer, Signal

from terminal.viewmodels.account_source import AccountFeed
from terminal.viewmodels.blotter import BlotterModel
from terminal.viewmodels.columns import Column
from terminal.viewmodels.throttle import FRAME_MS

R = TypeVar("R")


class AccountBlotterModel(BlotterModel[R]):
    """Rows re-read from `account` after each change of `kind` ("orders", "positions",
    "fills"). `live_changed(live)`: the view shows the rows stale until the account has
    been re-read after a disconnect (stale data is never shown as live)."""

    live_changed = Signal(bool)

    def __init__(
        self,
        columns: Sequence[Column[R]],
        key: Callable[[R], str],
        account: AccountFeed,
        kind: str,
        parent: QObject | None = None,
        *,
        interval_ms: int = FRAME_MS,
        timer: QTimer | None = None,
    ) -> None:
        super().__init__(columns, key, parent, interval_ms=interval_ms, timer=timer)
        self.account = account
        self._kind = kind
        account.add_listener(self._on_account)
        self.refresh()

    @property
    def live(self) -> bool:
        """Whether the rows are the account's confirmed current state."""
        return self.account.live

    def _on_account(self, kind: str) -> None:
        if kind == self._kind:
            self.refresh()
        elif kind == "live":
            self.live_changed.emit(self.account.live)
