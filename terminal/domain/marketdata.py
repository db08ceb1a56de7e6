"""Public market-data events, venue-neutral.

Prices and sizes are `Decimal`, except in `BookUpdate`, which carries integer units
(`terminal.domain.units`) because it is the hot path: a book applies hundreds of
thousands of levels a second and integer keys hash and compare fastest.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import NamedTuple

from terminal.domain.orders import Side

Level = tuple[int, int]
"""One book level in integer units: (price, size). Size 0 deletes the level."""


class BookUpdate(NamedTuple):
    """A snapshot (replace the book) or a delta (upsert levels) for one market.

    A NamedTuple rather than a frozen dataclass: one is built per book message, and a
    frozen dataclass's `__init__` (one `object.__setattr__` per field) was a third of the
    JSON ingest path's cost.
    """

    market: str
    seq_no: int
    is_snapshot: bool
    bids: list[Level]
    asks: list[Level]
    timestamp_ms: int


@dataclass(frozen=True, slots=True)
class Trade:
    """One public trade; `side` is the aggressor's."""

    id: str
    market: str
    side: Side
    price: Decimal
    size: Decimal
    created_at: int
    trade_type: str


@dataclass(frozen=True, slots=True)
class Bbo:
    """Best bid and offer; a side is `None` when that side of the book is empty."""

    market: str
    bid: Decimal | None
    bid_size: Decimal | None
    ask: Decimal | None
    ask_size: Decimal | None
    seq_no: int
    timestamp_ms: int


@dataclass(frozen=True, slots=True)
class MarketSummary:
    """A market's rolling statistics (Paradex `markets_summary`)."""

    market: str
    mark_price: Decimal
    index_price: Decimal
    last_price: Decimal
    bid: Decimal | None
    ask: Decimal | None
    volume_24h: Decimal
    open_interest: Decimal
    funding_rate: Decimal
    price_change_rate_24h: Decimal
    timestamp_ms: int


@dataclass(frozen=True, slots=True)
class FundingData:
    """A funding-index update for one market."""

    market: str
    funding_rate: Decimal
    funding_index: Decimal
    funding_premium: Decimal
    funding_rate_8h: Decimal
    funding_period_hours: int
    created_at: int


@dataclass(frozen=True, slots=True)
class Candle:
    """One OHLCV bar; `start_ms` is the bar's open time."""

    start_ms: int
    open: Decimal
    high: Decimal
    low: Decimal
    close: Decimal
    volume: Decimal
