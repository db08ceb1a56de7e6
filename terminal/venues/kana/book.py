"""One market's `orderbook` replies as `BookUpdate`s: full snapshots, or change sets.

The seed's reply is the whole book: every level of both sides, some last updated hours
before the others (an ask at 8000 from 1739758360 beside levels from 1739790996), no
sequence number and no level of size 0. So a reply is taken as a snapshot that replaces
the book. Should the indexer ever send a change set instead, it cannot look like one: a
reply holding a level of size 0 (a delete, which a snapshot never needs) is applied as a
delta. Deltas are only as good as the book under them, and the indexer numbers nothing;
the sequence here counts replies on one subscription, so a delta always follows the
reply before it (the connection is ordered), and after a reconnect the book
(cleared by the market-data service) stays STALE until a snapshot arrives.
"""

from __future__ import annotations

from collections.abc import Callable

from terminal.domain.marketdata import BookUpdate, Level
from terminal.venues.kana.errors import KanaDecodeError
from terminal.venues.kana.markets import KanaMarket
from terminal.venues.kana.schemas import BookLevel
from terminal.venues.kana.units import parse_count


class BookAssembler:
    """Turns one market's replies into `BookUpdate`s numbered 1, 2, 3, ..."""

    def __init__(self, market: KanaMarket, clock_ms: Callable[[], int]) -> None:
        self._market = market
        self._clock_ms = clock_ms
        self.seq_no = 0

    def update(self, levels: list[BookLevel]) -> BookUpdate:
        """The `BookUpdate` one reply stands for (`KanaDecodeError` for another market's)."""
        market = self._market
        units = market.units
        bids: dict[int, int] = {}
        asks: dict[int, int] = {}
        change_set = False
        newest = 0
        for level in levels:
            if level.market_id != market.market_id:
                raise KanaDecodeError("DECODE", f"a {level.market_id} level in {market.symbol}")
            price = units.price_units(parse_count(level.price))
            size = units.size_units(parse_count(level.size))
            change_set = change_set or size == 0
            side = asks if level.is_ask else bids
            # Summed: should rows ever be per order, a price's rows add up to its level.
            side[price] = side.get(price, 0) + size
            newest = max(newest, parse_count(level.last_updated))
        self.seq_no += 1
        return BookUpdate(
            market.symbol,
            self.seq_no,
            not change_set,
            _levels(bids),
            _levels(asks),
            newest * 1000 if newest else self._clock_ms(),
        )


def _levels(side: dict[int, int]) -> list[Level]:
    return sorted(side.items())
