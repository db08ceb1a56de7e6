"""The account's fills, live, newest first: maker or taker, fee, and what made the trade."""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal

from PySide6.QtCore import QObject, QTimer

from terminal.domain.account import Fill
from terminal.viewmodels.account_blotter import AccountBlotterModel
from terminal.viewmodels.account_source import AccountFeed
from terminal.viewmodels.blotter import (
    figure_column,
    side_text,
    side_tone,
    small_usd,
    text_column,
    time_column,
)
from terminal.viewmodels.columns import Column
from terminal.viewmodels.throttle import FRAME_MS


def fill_flags_text(fill: Fill) -> str:
    """What was unusual about the fill: "Liquidation", "interactive", ... ("" for a plain fill)."""
    kind = [] if fill.fill_type == "FILL" else [fill.fill_type.replace("_", " ").capitalize()]
    return ", ".join([*kind, *fill.flags])


class FillsModel(AccountBlotterModel[Fill]):
    """Recent fills: time, market, side, price, size, liquidity, fee, flags."""

    def __init__(
        self,
        account: AccountFeed,
        parent: QObject | None = None,
        *,
        interval_ms: int = FRAME_MS,
        timer: QTimer | None = None,
    ) -> None:
        def price(fill: Fill, value: Decimal) -> str:
            return self.format.price(fill.market, value)

        def size(fill: Fill, value: Decimal) -> str:
            return self.format.size(fill.market, value)

        columns: tuple[Column[Fill], ...] = (
            time_column("Time", lambda f: f.created_at),
            text_column("Market", lambda f: f.market),
            text_column("Side", lambda f: side_text(f.side), lambda f: side_tone(f.side)),
            figure_column("Price", lambda f: f.price, price),
            figure_column("Size", lambda f: f.size, size),
            text_column("Liquidity", lambda f: f.liquidity.capitalize()),
            figure_column("Fee", lambda f: f.fee, lambda _f, fee: small_usd(fee)),
            text_column("Flags", fill_flags_text),
        )
        super().__init__(
            columns, lambda f: f.id, account, "fills", parent, interval_ms=interval_ms, timer=timer
        )

    def current_rows(self) -> Sequence[Fill]:
        return self.account.fills
