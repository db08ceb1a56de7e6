"""Wire schemas of Paradex public market data: WS channel payloads (§11.4) and REST (§8.2).

Frozen `msgspec.Struct`s, each with `to_domain()`. Decimal fields decode straight from the
wire's decimal strings (or JSON numbers, for klines) and must be finite ("NaN" and
"Infinity" are refused in `__post_init__`); book levels stay strings until
`to_domain()` turns them into integer units, the book's hot path. The SBE decoder builds
the same structs, so both encodings meet here.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Literal

import msgspec

from terminal.domain.marketdata import (
    Bbo,
    BookUpdate,
    Candle,
    FundingData,
    Level,
    MarketSummary,
    Trade,
)
from terminal.domain.orders import Side
from terminal.domain.units import units_from_str
from terminal.venues.paradex.schemas.numbers import require_numbers

_ZERO = Decimal(0)
_POW10: tuple[int, ...] = tuple(10**k for k in range(9))
_UNITS_MEMO_MAX = 1 << 16


class _UnitsMemo(dict[str, int]):
    """Wire decimal string → integer units, parsed on first sight (bounded).

    Book prices sit on a tick grid near the touch and sizes repeat, so the same strings come
    back often: a hit is one C-level dict read. A miss parses in `__missing__`; there is no
    second pass over the message (sizes are mostly new, so misses are common: in a
    recorded stream, 7 messages in 10 carried at least one).
    """

    def __missing__(self, text: str) -> int:
        value = parse_units(text)
        if len(self) >= _UNITS_MEMO_MAX:
            self.clear()
        self[text] = value
        return value


_UNITS_MEMO = _UnitsMemo()
# `BookUpdate.__new__` is a Python function; `tuple.__new__` builds the same NamedTuple in
# one C call (one is built per book message).
_new_update = tuple.__new__


def parse_units(text: str) -> int:
    """Parse a wire decimal string into integer units: exactly what `units_from_str` reads
    (plain ASCII decimals, or it raises), with a fast path for unsigned ones of ≤ 8 decimals.

    The fast path checks its digits itself: `int()` alone also takes "_", spaces and
    non-ASCII digits, and would read a hostile "1.5_0" or "1.5 " as 0.15.
    """
    whole, _, frac = text.partition(".")
    digits = whole + frac
    if len(frac) <= 8 and digits.isascii() and digits.isdigit():
        return int(digits) * _POW10[8 - len(frac)]
    return units_from_str(text)


def units(text: str) -> int:
    """`parse_units`, memoised (bounded): the book's hot path."""
    return _UNITS_MEMO[text]


class BookLevel(msgspec.Struct, frozen=True, gc=False):
    """One `PriceBookUpdate` level: sizes are absolute; a delete carries size "0"."""

    side: Literal["BUY", "SELL"]
    price: str
    size: str


class PriceBookUpdate(msgspec.Struct, frozen=True, kw_only=True, gc=False):
    """`order_book.*` payload. `best_*` and `relative_spread` are not kept: the book has them.

    Fields in wire order (hence keyword-only), which msgspec matches fastest, and untracked
    by the GC (levels of strings cannot form a cycle): the JSON ingest hot path.
    """

    market: str
    seq_no: int
    last_updated_at: int = 0
    update_type: Literal["s", "d"]
    inserts: list[BookLevel] = []
    updates: list[BookLevel] = []
    deletes: list[BookLevel] = []

    def to_domain(self) -> BookUpdate:
        """The domain update: bids and asks in integer units, deletes as size 0."""
        bids: list[Level] = []
        asks: list[Level] = []
        memo = _UNITS_MEMO
        for group in (self.inserts, self.updates):
            for level in group:
                (bids if level.side == "BUY" else asks).append(
                    (memo[level.price], memo[level.size])
                )
        for level in self.deletes:
            (bids if level.side == "BUY" else asks).append((memo[level.price], 0))
        return _new_update(
            BookUpdate,
            (self.market, self.seq_no, self.update_type == "s", bids, asks, self.last_updated_at),
        )


class RestOrderBook(msgspec.Struct, frozen=True):
    """`GET /orderbook/{market}`: a snapshot sharing the deltas channel's `seq_no`."""

    market: str
    seq_no: int
    last_updated_at: int = 0
    bids: list[tuple[str, str]] = []
    asks: list[tuple[str, str]] = []

    def to_domain(self) -> BookUpdate:
        """A snapshot `BookUpdate` in integer units."""
        return BookUpdate(
            self.market,
            self.seq_no,
            True,
            [(units(p), units(s)) for p, s in self.bids],
            [(units(p), units(s)) for p, s in self.asks],
            self.last_updated_at,
        )


class BboPayload(msgspec.Struct, frozen=True):
    """`bbo.*` payload and `GET /bbo/{market}`; an empty side is null."""

    market: str
    seq_no: int
    last_updated_at: int
    bid: Decimal | None = None
    bid_size: Decimal | None = None
    ask: Decimal | None = None
    ask_size: Decimal | None = None

    def __post_init__(self) -> None:
        require_numbers(self.bid, self.bid_size, self.ask, self.ask_size)

    def to_domain(self) -> Bbo:
        """The domain best bid/offer."""
        return Bbo(
            self.market,
            self.bid,
            self.bid_size,
            self.ask,
            self.ask_size,
            self.seq_no,
            self.last_updated_at,
        )


class TradePayload(msgspec.Struct, frozen=True):
    """`trades.*` payload and a `GET /trades` row; `id` is null on SBE frames below 1:2."""

    market: str
    side: Side
    price: Decimal
    size: Decimal
    created_at: int
    trade_type: str | None
    id: str | None = None

    def __post_init__(self) -> None:
        require_numbers(self.price, self.size)

    def to_domain(self) -> Trade:
        """The domain trade; an unknown id or trade type becomes ""."""
        return Trade(
            self.id or "",
            self.market,
            self.side,
            self.price,
            self.size,
            self.created_at,
            self.trade_type or "",
        )


class TradesPage(msgspec.Struct, frozen=True):
    """`GET /trades`, one page."""

    results: list[TradePayload]
    next: str | None = None
    prev: str | None = None


class Greeks(msgspec.Struct, frozen=True):
    """Option greeks of a market summary (null for perpetuals)."""

    delta: Decimal | None = None
    gamma: Decimal | None = None
    vega: Decimal | None = None
    theta: Decimal | None = None
    rho: Decimal | None = None
    volga: Decimal | None = None
    vanna: Decimal | None = None

    def __post_init__(self) -> None:
        require_numbers(
            self.delta, self.gamma, self.vega, self.theta, self.rho, self.volga, self.vanna
        )


class MarketSummaryPayload(msgspec.Struct, frozen=True):
    """`markets_summary*` payload and a `GET /markets/summary` row (`MarketSummaryResp`)."""

    symbol: str
    mark_price: Decimal | None = None
    underlying_price: Decimal | None = None
    last_traded_price: Decimal | None = None
    bid: Decimal | None = None
    bid_size: Decimal | None = None
    ask: Decimal | None = None
    ask_size: Decimal | None = None
    volume_24h: Decimal | None = None
    total_volume: Decimal | None = None
    open_interest: Decimal | None = None
    funding_rate: Decimal | None = None
    future_funding_rate: Decimal | None = None
    price_change_rate_24h: Decimal | None = None
    external_fair_price: Decimal | None = None
    mark_iv: Decimal | None = None
    bid_iv: Decimal | None = None
    ask_iv: Decimal | None = None
    last_iv: Decimal | None = None
    forward_rate: Decimal | None = None
    risk_free_rate: Decimal | None = None
    greeks: Greeks | None = None
    created_at: int = 0

    def __post_init__(self) -> None:
        require_numbers(
            self.mark_price,
            self.underlying_price,
            self.last_traded_price,
            self.bid,
            self.bid_size,
            self.ask,
            self.ask_size,
            self.volume_24h,
            self.total_volume,
            self.open_interest,
            self.funding_rate,
            self.future_funding_rate,
            self.price_change_rate_24h,
            self.external_fair_price,
            self.mark_iv,
            self.bid_iv,
            self.ask_iv,
            self.last_iv,
            self.forward_rate,
            self.risk_free_rate,
        )

    def to_domain(self) -> MarketSummary:
        """The domain summary; a statistic the venue left out reads as 0."""
        return MarketSummary(
            self.symbol,
            self.mark_price or _ZERO,
            self.underlying_price or _ZERO,
            self.last_traded_price or _ZERO,
            self.bid,
            self.ask,
            self.volume_24h or _ZERO,
            self.open_interest or _ZERO,
            self.funding_rate or _ZERO,
            self.price_change_rate_24h or _ZERO,
            self.created_at,
        )


class MarketsSummaryResponse(msgspec.Struct, frozen=True):
    """`GET /markets/summary`."""

    results: list[MarketSummaryPayload]


class FundingDataPayload(msgspec.Struct, frozen=True):
    """`funding_data.*` payload and a `GET /funding/data` row."""

    market: str
    funding_index: Decimal
    funding_premium: Decimal
    funding_rate: Decimal
    funding_rate_8h: Decimal
    funding_period_hours: int
    created_at: int
    impact_premium_rate: Decimal | None = None

    def __post_init__(self) -> None:
        require_numbers(
            self.funding_index,
            self.funding_premium,
            self.funding_rate,
            self.funding_rate_8h,
            self.impact_premium_rate,
        )

    def to_domain(self) -> FundingData:
        """The domain funding update."""
        return FundingData(
            self.market,
            self.funding_rate,
            self.funding_index,
            self.funding_premium,
            self.funding_rate_8h,
            self.funding_period_hours,
            self.created_at,
        )


class FundingDataPage(msgspec.Struct, frozen=True):
    """`GET /funding/data`, one page."""

    results: list[FundingDataPayload]
    next: str | None = None
    prev: str | None = None


class FundingRateComparison(msgspec.Struct, frozen=True):
    """`funding_rate_comparison.ALL@{rate}` payload: one venue's hourly rate for a market.

    The domain has no type for it yet, so `to_domain()` returns the struct itself.
    """

    symbol: str
    asset_kind: str
    source: str
    last_updated_at: int
    hourly_funding_rate: Decimal

    def __post_init__(self) -> None:
        require_numbers(self.hourly_funding_rate)

    def to_domain(self) -> FundingRateComparison:
        """This struct (immutable, venue-neutral field names)."""
        return self


KlineRow = tuple[int, Decimal, Decimal, Decimal, Decimal, Decimal]


class KlinesResponse(msgspec.Struct, frozen=True):
    """`GET /markets/klines`: rows of [start_ms, open, high, low, close, volume] as numbers."""

    results: list[KlineRow]

    def __post_init__(self) -> None:
        for row in self.results:
            require_numbers(*row[1:])

    def to_domain(self) -> list[Candle]:
        """The bars, oldest first as sent."""
        return [Candle(*row) for row in self.results]
