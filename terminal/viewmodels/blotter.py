"""The one table model behind every blotter: keyed rows, updated in place once per frame.

A blotter (open orders, positions, fills, funding, order history) is a `BlotterModel`
with its own column specs. New rows go on top, rows that vanished are removed, and rows
that changed are reported in one ranged `dataChanged`: a view keeps its selection, its
sort and an edit in progress while the account streams in. Column kinds below build the
display, exact sort key and exact CSV text of a column from one getter.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from decimal import Decimal
from typing import TypeVar

from PySide6.QtCore import QModelIndex, QObject, Qt, QTimer

from terminal.domain.instruments import Instrument
from terminal.domain.orders import Side
from terminal.viewmodels.columns import LEFT, AnyIndex, Column, ColumnTableModel
from terminal.viewmodels.formatting import (
    decimals_of,
    format_datetime_ms,
    format_decimal,
    format_exact,
    format_iso_ms,
)
from terminal.viewmodels.throttle import FRAME_MS, Throttle

R = TypeVar("R")

MISSING = "–"
"""What a cell shows for a figure the venue did not give (no trigger, no liquidation)."""
USD_DECIMALS = 2
"""Account amounts (PnL, values) show cents; the CSV keeps every digit."""
SMALL_USD_DECIMALS = 4
"""Fees and funding payments are often under a cent: they show hundredths of a cent."""


class MarketFormat:
    """Prices and sizes to each market's tick and step; exact until the market is known."""

    def __init__(self) -> None:
        self._decimals: dict[str, tuple[int, int]] = {}

    def set_instruments(self, instruments: Iterable[Instrument]) -> None:
        """Format these markets' figures to their tick and step."""
        self._decimals = {
            i.symbol: (decimals_of(i.tick_size), decimals_of(i.step_size)) for i in instruments
        }

    def price(self, market: str, value: Decimal) -> str:
        """A price to the market's tick decimals."""
        known = self._decimals.get(market)
        return format_decimal(value, known[0] if known else decimals_of(value))

    def size(self, market: str, value: Decimal) -> str:
        """A size to the market's step decimals."""
        known = self._decimals.get(market)
        return format_decimal(value, known[1] if known else decimals_of(value))


def usd(value: Decimal) -> str:
    """An account amount in dollars and cents."""
    return format_decimal(value, USD_DECIMALS)


def small_usd(value: Decimal) -> str:
    """A fee or funding payment to hundredths of a cent."""
    return format_decimal(value, SMALL_USD_DECIMALS)


def sign_tone(value: Decimal | None) -> str | None:
    """ "up" for a gain, "down" for a loss, None for nothing."""
    if value is None or value == 0:
        return None
    return "up" if value > 0 else "down"


def side_text(side: Side) -> str:
    """ "Buy" or "Sell"."""
    return "Buy" if side is Side.BUY else "Sell"


def side_tone(side: Side) -> str:
    """Buys green, sells red."""
    return "up" if side is Side.BUY else "down"


def text_column(
    title: str,
    text: Callable[[R], str],
    tone: Callable[[R], str | None] | None = None,
) -> Column[R]:
    """A left-aligned word column (market, side, status), sorted by its text."""
    return Column(title, text, text, tone, LEFT)


def figure_column(
    title: str,
    value: Callable[[R], Decimal | None],
    show: Callable[[R, Decimal], str],
    tone: Callable[[R], str | None] | None = None,
) -> Column[R]:
    """A right-aligned Decimal: shown by `show`, sorted and exported exactly ("–" when None)."""

    def display(row: R) -> str:
        figure = value(row)
        return MISSING if figure is None else show(row, figure)

    def export(row: R) -> str:
        figure = value(row)
        return "" if figure is None else format_exact(figure)

    return Column(title, display, value, tone, export=export)


def time_column(title: str, at_ms: Callable[[R], int]) -> Column[R]:
    """A local date and time, sorted by the instant and exported as UTC ISO 8601."""
    return Column(
        title,
        lambda row: format_datetime_ms(at_ms(row)),
        at_ms,
        None,
        LEFT,
        lambda row: format_iso_ms(at_ms(row)),
    )


class BlotterModel(ColumnTableModel[R]):
    """Rows keyed by `key`, re-read at most once per `interval_ms` and updated in place.

    Feed it either with `set_rows` (lists read over REST on demand) or, in a subclass, by
    overriding `current_rows` and calling `refresh()` when the source changes.
    """

    def __init__(
        self,
        columns: Sequence[Column[R]],
        key: Callable[[R], str],
        parent: QObject | None = None,
        *,
        interval_ms: int = FRAME_MS,
        timer: QTimer | None = None,
    ) -> None:
        super().__init__(columns, parent)
        self.format = MarketFormat()
        self._key = key
        self._given: list[R] = []
        self._throttle = Throttle(self._apply, interval_ms, parent=self, timer=timer)

    def set_rows(self, rows: Iterable[R]) -> None:
        """Show these rows (newest first); they replace the previous ones at the next frame."""
        self._given = list(rows)
        self.refresh()

    def refresh(self) -> None:
        """Re-read `current_rows()`: now if no frame is open, else at the frame's end."""
        self._throttle()

    def flush(self) -> None:
        """Apply a pending re-read now (tests, export)."""
        self._throttle.flush()

    def current_rows(self) -> Sequence[R]:
        """The rows the table should show now, newest first."""
        return self._given

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> object:
        if role == Qt.ItemDataRole.ToolTipRole and index.isValid():
            column = self.columns[index.column()]
            # Words (a reason, a message) may be elided at the panel's edge: hover reads them.
            if column.align == LEFT and index.row() < len(self._rows):
                return column.display(self._rows[index.row()]) or None
        return super().data(index, role)

    def set_instruments(self, instruments: Iterable[Instrument]) -> None:
        """Show prices and sizes to these markets' tick and step."""
        self.format.set_instruments(instruments)
        if self._rows:
            self.dataChanged.emit(
                self.index(0, 0), self.index(len(self._rows) - 1, len(self.columns) - 1)
            )

    def _apply(self) -> None:
        wanted = {self._key(row): row for row in self.current_rows()}
        self._remove_missing(wanted)
        changed: list[int] = []
        for n, row in enumerate(self._rows):
            new = wanted.pop(self._key(row))
            if new is not row and new != row:
                self._rows[n] = new
                changed.append(n)
        if changed:
            self.dataChanged.emit(
                self.index(min(changed), 0), self.index(max(changed), len(self.columns) - 1)
            )
        if wanted:  # what is left is new: on top, in the order given
            self.beginInsertRows(QModelIndex(), 0, len(wanted) - 1)
            self._rows[:0] = wanted.values()
            self.endInsertRows()

    def _remove_missing(self, wanted: dict[str, R]) -> None:
        # Bottom up, one contiguous run at a time, so earlier indices stay valid.
        n = len(self._rows) - 1
        while n >= 0:
            if self._key(self._rows[n]) in wanted:
                n -= 1
                continue
            last = n
            while n >= 0 and self._key(self._rows[n]) not in wanted:
                n -= 1
            self.beginRemoveRows(QModelIndex(), n + 1, last)
            del self._rows[n + 1 : last + 1]
            self.endRemoveRows()
