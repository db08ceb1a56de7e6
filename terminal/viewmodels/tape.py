"""The trade tape: the selected market's recent public trades, newest on top, bounded."""

from __future__ import annotations

from decimal import Decimal
from typing import NamedTuple

from PySide6.QtCore import QModelIndex, QObject, Qt, QTimer

from terminal.domain.instruments import Instrument
from terminal.domain.marketdata import Trade
from terminal.domain.orders import Side
from terminal.viewmodels.columns import LEFT, TONE_ROLE, AnyIndex, Column, ColumnTableModel
from terminal.viewmodels.formatting import decimals_of, format_decimal, format_time_ms
from terminal.viewmodels.throttle import FRAME_MS, Throttle

DEFAULT_CAPACITY = 500

TONED_COLUMNS = (1, 2, 3)
"""Price, size and side take the trade's side colour; the time column is plain."""


class TapeLine(NamedTuple):
    """One trade as the tape shows it, formatted once when it arrives."""

    texts: tuple[str, str, str, str]
    tone: str


class TapeModel(ColumnTableModel[Trade]):
    """Time, price, size and side of recent trades; a burst is inserted in one go per frame.

    Each row's text is formatted once, when it is inserted: a repaint reads `line(row)`,
    a tuple lookup, instead of formatting Decimals for every visible cell.
    """

    def __init__(
        self,
        parent: QObject | None = None,
        *,
        capacity: int = DEFAULT_CAPACITY,
        interval_ms: int = FRAME_MS,
        timer: QTimer | None = None,
    ) -> None:
        super().__init__(
            (
                Column("Time", lambda t: format_time_ms(t.created_at), lambda t: t.created_at),
                Column(
                    "Price", lambda t: self._format(t.price, self._price_dp), _price, _side_tone
                ),
                Column("Size", lambda t: self._format(t.size, self._size_dp), _size, _side_tone),
                Column("Side", _side_text, _side_text, _side_tone, LEFT),
            ),
            parent,
        )
        self.capacity = capacity
        self.market = ""
        self._price_dp: int | None = None
        self._size_dp: int | None = None
        self._lines: list[TapeLine] = []
        self._pending: list[Trade] = []
        self._throttle = Throttle(self._flush_pending, interval_ms, parent=self, timer=timer)

    def line(self, row: int) -> TapeLine:
        """The formatted texts and tone of `row`."""
        return self._lines[row]

    def set_market(self, market: str) -> None:
        """Follow this market: clears the tape."""
        if market == self.market:
            return
        self.market = market
        self._pending.clear()
        self.beginResetModel()
        self._rows.clear()
        self._lines.clear()
        self.endResetModel()

    def set_instrument(self, instrument: Instrument) -> None:
        """Format prices and sizes to this instrument's tick and step."""
        self._price_dp = decimals_of(instrument.tick_size)
        self._size_dp = decimals_of(instrument.step_size)
        if self._rows:
            self._lines = [self._line_of(trade) for trade in self._rows]
            self.dataChanged.emit(self.index(0, 1), self.index(len(self._rows) - 1, 2))

    def on_trade(self, trade: Trade) -> None:
        """Queue a trade of the followed market; it shows at the end of the frame."""
        if trade.market != self.market:
            return
        self._pending.append(trade)
        self._throttle()

    def backfill(self, market: str, trades: list[Trade]) -> None:
        """Recent trades from before the live feed (newest first, e.g. from REST) go under
        the rows already shown; an answer for another market (the user moved on) is ignored,
        and trades the feed already delivered are skipped."""
        if market != self.market:
            return
        known = {t.id for t in self._rows} | {t.id for t in self._pending}
        oldest = min((t.created_at for t in self._rows), default=None)
        older = [
            t for t in trades if t.id not in known and (oldest is None or t.created_at <= oldest)
        ][: self.capacity - len(self._rows)]
        if not older:
            return
        first = len(self._rows)
        self.beginInsertRows(QModelIndex(), first, first + len(older) - 1)
        self._rows.extend(older)
        self._lines.extend(self._line_of(trade) for trade in older)
        self.endInsertRows()

    def flush(self) -> None:
        """Show queued trades now (tests)."""
        self._throttle.flush()

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> object:
        # The view asks for every visible cell on every repaint: answer from the cache.
        row = index.row()
        if 0 <= row < len(self._lines) and index.isValid():
            if role == Qt.ItemDataRole.DisplayRole:
                return self._lines[row].texts[index.column()]
            if role == TONE_ROLE:
                return self._lines[row].tone if index.column() in TONED_COLUMNS else None
        return super().data(index, role)

    def _flush_pending(self) -> None:
        if not self._pending:
            return
        incoming = self._pending[::-1][: self.capacity]
        self._pending.clear()
        overflow = len(self._rows) + len(incoming) - self.capacity
        if overflow > 0:
            first = len(self._rows) - overflow
            self.beginRemoveRows(QModelIndex(), first, len(self._rows) - 1)
            del self._rows[first:]
            del self._lines[first:]
            self.endRemoveRows()
        self.beginInsertRows(QModelIndex(), 0, len(incoming) - 1)
        self._rows[:0] = incoming
        self._lines[:0] = [self._line_of(trade) for trade in incoming]
        self.endInsertRows()

    def _line_of(self, trade: Trade) -> TapeLine:
        time_text, price, size, side = (column.display(trade) for column in self.columns)
        return TapeLine((time_text, price, size, side), _side_tone(trade))

    @staticmethod
    def _format(value: Decimal, decimals: int | None) -> str:
        return format_decimal(value, decimals if decimals is not None else decimals_of(value))


def _price(trade: Trade) -> Decimal:
    return trade.price


def _size(trade: Trade) -> Decimal:
    return trade.size


def _side_text(trade: Trade) -> str:
    return "Buy" if trade.side is Side.BUY else "Sell"


def _side_tone(trade: Trade) -> str:
    return "up" if trade.side is Side.BUY else "down"
