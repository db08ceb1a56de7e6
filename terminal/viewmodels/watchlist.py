"""The markets watchlist: one row per market, live from market summaries, sortable."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal

from PySide6.QtCore import QObject, Qt, QTimer

from terminal.domain.instruments import Instrument
from terminal.domain.marketdata import MarketSummary
from terminal.viewmodels.columns import LEFT, Column, ColumnTableModel, ExactSortProxy
from terminal.viewmodels.formatting import (
    format_compact,
    format_funding,
    format_percent,
    format_price,
)
from terminal.viewmodels.throttle import FRAME_MS, Throttle


@dataclass(slots=True)
class WatchRow:
    """A market and its latest summary (None until the first one arrives)."""

    instrument: Instrument
    summary: MarketSummary | None = None


Getter = Callable[[WatchRow], Decimal | None]


def _field(name: str) -> Getter:
    """Read one summary field of a row (None until the market's first summary)."""

    def value(row: WatchRow) -> Decimal | None:
        return getattr(row.summary, name) if row.summary is not None else None

    return value


def _shown(name: str, formatter: Callable[[Decimal, Instrument], str]) -> Callable[[WatchRow], str]:
    """Display text of one summary field, "–" while unknown."""
    get = _field(name)

    def display(row: WatchRow) -> str:
        value = get(row)
        return "–" if value is None else formatter(value, row.instrument)

    return display


def _tone(name: str) -> Callable[[WatchRow], str | None]:
    """ "up"/"down" by the sign of one summary field."""
    get = _field(name)

    def tone(row: WatchRow) -> str | None:
        value = get(row)
        if value is None or value == 0:
            return None
        return "up" if value > 0 else "down"

    return tone


def _price(value: Decimal, instrument: Instrument) -> str:
    return format_price(value, instrument.tick_size)


def _plain(formatter: Callable[[Decimal], str]) -> Callable[[Decimal, Instrument], str]:
    return lambda value, _instrument: formatter(value)


WATCHLIST_COLUMNS: tuple[Column[WatchRow], ...] = (
    Column("Market", lambda r: r.instrument.symbol, lambda r: r.instrument.symbol, None, LEFT),
    Column("Last", _shown("last_price", _price), _field("last_price")),
    Column(
        "24h %",
        _shown("price_change_rate_24h", _plain(format_percent)),
        _field("price_change_rate_24h"),
        _tone("price_change_rate_24h"),
    ),
    Column("Vol 24h", _shown("volume_24h", _plain(format_compact)), _field("volume_24h")),
    Column(
        "Funding",
        _shown("funding_rate", _plain(format_funding)),
        _field("funding_rate"),
        _tone("funding_rate"),
    ),
    Column("OI", _shown("open_interest", _plain(format_compact)), _field("open_interest")),
    Column("Mark", _shown("mark_price", _price), _field("mark_price")),
)


class WatchlistModel(ColumnTableModel[WatchRow]):
    """Markets with their last price, 24h change and volume, funding, open interest, mark.

    Summaries are coalesced: the latest per market is kept and, once per frame, applied
    with one ranged `dataChanged` covering the rows that changed.
    """

    def __init__(
        self,
        parent: QObject | None = None,
        *,
        interval_ms: int = FRAME_MS,
        timer: QTimer | None = None,
    ) -> None:
        super().__init__(WATCHLIST_COLUMNS, parent)
        self._row_of: dict[str, int] = {}
        self._latest: dict[str, MarketSummary] = {}
        self._pending: dict[str, MarketSummary] = {}
        self._throttle = Throttle(self._flush_pending, interval_ms, parent=self, timer=timer)

    def set_instruments(self, instruments: list[Instrument]) -> None:
        """Show these markets (replaces the list; keeps summaries already received)."""
        self.beginResetModel()
        self._rows = [WatchRow(i, self._latest.get(i.symbol)) for i in instruments]
        self._row_of = {row.instrument.symbol: n for n, row in enumerate(self._rows)}
        self.endResetModel()

    def on_summary(self, summary: MarketSummary) -> None:
        """Queue a market's new summary; rows update at the end of the frame."""
        self._pending[summary.market] = summary
        self._throttle()

    def flush(self) -> None:
        """Apply queued summaries now (tests)."""
        self._throttle.flush()

    def symbol_at(self, row: int) -> str:
        """The market shown at `row`."""
        return self._rows[row].instrument.symbol

    def _flush_pending(self) -> None:
        changed: list[int] = []
        for market, summary in self._pending.items():
            self._latest[market] = summary
            row = self._row_of.get(market)
            if row is not None:
                self._rows[row].summary = summary
                changed.append(row)
        self._pending.clear()
        if changed:
            last_column = len(self.columns) - 1
            self.dataChanged.emit(
                self.index(min(changed), 1), self.index(max(changed), last_column)
            )


class WatchlistProxy(ExactSortProxy):
    """Sorts the watchlist by exact values (Decimal, None last) and filters by market name."""

    def __init__(self, source: WatchlistModel, parent: QObject | None = None) -> None:
        super().__init__(source, parent)
        self.setFilterKeyColumn(0)
        self.setFilterCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> object:
        """The sorted column's title carries the sort arrow ("Vol 24h ▾"): the arrow a style
        draws over a right-aligned title covered its last letters."""
        title = super().headerData(section, orientation, role)
        if (
            role == Qt.ItemDataRole.DisplayRole
            and orientation == Qt.Orientation.Horizontal
            and section == self.sortColumn()
        ):
            down = self.sortOrder() == Qt.SortOrder.DescendingOrder
            return f"{title} {'▾' if down else '▴'}"
        return title

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        """Sort, and move the arrow to the sorted column's title."""
        super().sort(column, order)
        self.headerDataChanged.emit(Qt.Orientation.Horizontal, 0, self.columnCount() - 1)
