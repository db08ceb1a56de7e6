"""What the account panels read from the account's live state (`AccountDataService`)."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Protocol

from terminal.domain.account import AccountSummary, Fill, Position
from terminal.domain.orders import Order


class AccountFeed(Protocol):
    """The account as last reported, and a call after each change (`AccountDataService`)."""

    @property
    def summary(self) -> AccountSummary | None:
        """Margin figures, None until the first read."""
        ...

    @property
    def positions(self) -> Mapping[str, Position]:
        """Open positions by market."""
        ...

    @property
    def open_orders(self) -> Mapping[str, Order]:
        """Working orders by order id."""
        ...

    @property
    def fills(self) -> Sequence[Fill]:
        """Recent fills, newest first."""
        ...

    @property
    def live(self) -> bool:
        """False from a disconnect until the account has been re-read over REST."""
        ...

    def add_listener(self, callback: Callable[[str], None]) -> None:
        """Call `callback(kind)` after each change: "summary", "positions", "orders",
        "fills", or "live" when `live` may have changed."""
        ...
