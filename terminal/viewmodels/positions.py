"""Open positions, live, marked to the latest mark price; closing them is an intent."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from PySide6.QtCore import QObject, QTimer, Signal

from terminal.domain.account import Position
from terminal.viewmodels.account_blotter import AccountBlotterModel
from terminal.viewmodels.account_source import AccountFeed
from terminal.viewmodels.blotter import (
    figure_column,
    sign_tone,
    text_column,
    usd,
)
from terminal.viewmodels.columns import Column
from terminal.viewmodels.formatting import format_decimal, format_exact
from terminal.viewmodels.orders import parse_positive
from terminal.viewmodels.throttle import FRAME_MS

WHOLE = Decimal(1)
HALF = Decimal("0.5")


@dataclass(frozen=True, slots=True)
class PositionRow:
    """A position and the latest mark of its market (None until one arrives)."""

    position: Position
    mark: Decimal | None = None
    mark_at: int = 0

    @property
    def market(self) -> str:
        """The position's market."""
        return self.position.market

    @property
    def unrealized_pnl(self) -> Decimal:
        """At the mark when the mark is newer than the venue's figure, else the venue's.

        The venue's figure also holds unrealised funding; between two position updates the
        mark moves many times, and a stale PnL would hide a loss as it grows.
        """
        p = self.position
        if self.mark is not None and self.mark_at > p.updated_at:
            return p.size * (self.mark - p.average_entry_price)
        return p.unrealized_pnl


def _side_text(row: PositionRow) -> str:
    return "Long" if row.position.is_long else "Short"


def _side_tone(row: PositionRow) -> str:
    return "up" if row.position.is_long else "down"


def _leverage(_row: PositionRow, value: Decimal) -> str:
    return format_decimal(value, 1) + "x"


class PositionsModel(AccountBlotterModel[PositionRow]):
    """Open positions: market, side, size, entry, mark, unrealised and realised PnL,
    liquidation price, leverage.

    Signals: `close_requested(market, fraction, limit_price)` — fraction "1" or "0.5" as an
    exact string, limit_price an exact string or None for a market close;
    `unrealized_changed(total: Decimal)` after a change of the summed unrealised PnL.
    """

    close_requested = Signal(str, str, object)
    unrealized_changed = Signal(object)

    def __init__(
        self,
        account: AccountFeed,
        parent: QObject | None = None,
        *,
        interval_ms: int = FRAME_MS,
        timer: QTimer | None = None,
    ) -> None:
        def price(row: PositionRow, value: Decimal) -> str:
            return self.format.price(row.market, value)

        def size(row: PositionRow, value: Decimal) -> str:
            return self.format.size(row.market, value)

        def amount(_row: PositionRow, value: Decimal) -> str:
            return usd(value)

        columns: tuple[Column[PositionRow], ...] = (
            text_column("Market", lambda r: r.market),
            text_column("Side", _side_text, _side_tone),
            figure_column("Size", lambda r: abs(r.position.size), size),
            figure_column("Entry", lambda r: r.position.average_entry_price, price),
            figure_column("Mark", lambda r: r.mark, price),
            figure_column(
                "Unrealised PnL",
                lambda r: r.unrealized_pnl,
                amount,
                lambda r: sign_tone(r.unrealized_pnl),
            ),
            figure_column(
                "Realised PnL",
                lambda r: r.position.realized_pnl,
                amount,
                lambda r: sign_tone(r.position.realized_pnl),
            ),
            figure_column("Liq. price", lambda r: r.position.liquidation_price, price),
            figure_column("Leverage", lambda r: r.position.leverage, _leverage),
        )
        # Set before the base's constructor: its first re-read computes rows and totals.
        self._marks: dict[str, tuple[Decimal, int]] = {}
        self._total: Decimal | None = None
        super().__init__(
            columns,
            lambda r: r.market,
            account,
            "positions",
            parent,
            interval_ms=interval_ms,
            timer=timer,
        )

    def set_mark(self, market: str, mark: Decimal, at_ms: int) -> None:
        """The market's latest mark price and its time (epoch ms); rows follow per frame."""
        self._marks[market] = (mark, at_ms)
        if market in self.account.positions:
            self.refresh()

    def current_rows(self) -> Sequence[PositionRow]:
        positions = self.account.positions
        return [
            PositionRow(positions[market], *self._marks.get(market, (None, 0)))
            for market in sorted(positions)
        ]

    def unrealized_total(self) -> Decimal:
        """The unrealised PnL of every position, as the table shows it."""
        return sum((row.unrealized_pnl for row in self._rows), Decimal(0))

    def request_close(self, row: int, fraction: Decimal = WHOLE) -> None:
        """Ask to close `fraction` of the position at `row` at market."""
        self.close_requested.emit(self._rows[row].market, format_exact(fraction), None)

    def request_close_at_limit(self, market: str, price_text: str) -> str | None:
        """Ask to close the market's position with a limit order at the typed price; returns
        what is wrong with the price (then nothing is asked) or None once asked.

        By market, not row: the price is typed in a dialog while rows may move."""
        price = parse_positive(price_text)
        if price is None:
            return f"The limit price must be a number above zero: {price_text.strip()!r}"
        self.close_requested.emit(market, format_exact(WHOLE), format_exact(price))
        return None

    def _apply(self) -> None:
        super()._apply()
        total = self.unrealized_total()
        if total != self._total:
            self._total = total
            self.unrealized_changed.emit(total)
