"""The L2 order book of one market, in integer units, with sequence-gap detection.

Prices and sizes are integer units (`terminal.domain.units`). Each side is a dict
price → size; its sorted price list is rebuilt lazily, only after the set of prices
changed and only when someone reads the book, so a delta costs dict upserts alone.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Callable

from terminal.domain.marketdata import BookUpdate, Level

AWAITING_SNAPSHOT = "awaiting snapshot"
BAD_LEVEL = "a level with a negative size or a price of zero or less"
DEFAULT_MAX_BUFFERED = 10_000


class OrderBook:
    """One market's book: snapshots replace it, deltas upsert (size 0 deletes).

    On a deltas feed (`expect_deltas=True`) a delta whose `seq_no` is not the last one
    plus one marks the book stale at once: `apply` returns False, `needs_resync` is set
    and `on_stale(reason)` is called. While stale, deltas are buffered (up to
    `max_buffered`); the next snapshot — the channel's own (`update_type "s"`) or a REST
    one — replaces the book and replays the buffered deltas newer than it.
    With `expect_deltas=False` (snapshot channels) sequence numbers are not checked.
    A new book is stale ("awaiting snapshot") until its first snapshot. `suspend(reason)`
    shows a book stale while its feed is silent but keeps its levels and `seq_no`: the
    next update is then judged as on a live book (in sequence: live again; past a gap:
    stale and resync).
    """

    __slots__ = (
        "_ask_prices",
        "_bid_prices",
        "_buffer",
        "_suspended",
        "_top_cache",
        "asks",
        "bids",
        "expect_deltas",
        "market",
        "needs_resync",
        "on_stale",
        "seq_no",
        "stale",
        "stale_reason",
        "timestamp_ms",
    )

    def __init__(
        self,
        market: str,
        *,
        expect_deltas: bool = True,
        on_stale: Callable[[str], None] | None = None,
        max_buffered: int = DEFAULT_MAX_BUFFERED,
    ) -> None:
        self.market = market
        self.expect_deltas = expect_deltas
        self.on_stale = on_stale
        self.bids: dict[int, int] = {}
        self.asks: dict[int, int] = {}
        # Ascending prices of each side, or None when the side's set of prices changed
        # since the list was built (sizes alone changing leaves it valid).
        self._bid_prices: list[int] | None = []
        self._ask_prices: list[int] | None = []
        self.seq_no: int | None = None
        self.timestamp_ms = 0
        self.stale = True
        self.stale_reason = AWAITING_SNAPSHOT
        self.needs_resync = False
        self._suspended = False
        self._buffer: deque[BookUpdate] = deque(maxlen=max_buffered)
        self._top_cache: dict[int, tuple[list[Level], list[Level]]] = {}

    def apply(self, update: BookUpdate) -> bool:
        """Apply a snapshot or delta; True when the book is live and changed by it."""
        # One unpack instead of an attribute lookup per field (once per book message).
        _market, seq_no, is_snapshot, bids, asks, timestamp_ms = update
        if is_snapshot:
            return self._apply_snapshot(update)
        last = self.seq_no
        if self.stale:
            if not self._suspended:
                self._buffer.append(update)
                return False
            if last is not None and seq_no <= last:
                return False  # a late duplicate proves nothing about the present
            self._suspended = self.stale = False
            self.stale_reason = ""
        if self.expect_deltas and last is not None and seq_no != last + 1:
            if seq_no <= last:
                # A duplicate (e.g. overlapping subscriptions) or a late frame: not a gap.
                return False
            self._buffer.append(update)
            self._mark_stale(f"seq gap: expected {last + 1}, got {seq_no}", resync=True)
            return False
        self.seq_no = seq_no
        self.timestamp_ms = timestamp_ms
        if self._top_cache:
            self._top_cache.clear()
        # The per-level loops are inlined (this is the ingest hot path) and only test
        # whether a side's set of prices changed: a new price grows the dict, a delete
        # of a present price shrinks it; a size update leaves the sorted list valid.
        if bids:
            levels = self.bids
            count = len(levels)
            removed = False
            for price, size in bids:
                if size > 0 < price:
                    levels[price] = size
                elif size or price <= 0:
                    return self._refuse_levels()
                elif levels.pop(price, None) is not None:
                    removed = True
            if removed or len(levels) != count:
                self._bid_prices = None
        if asks:
            levels = self.asks
            count = len(levels)
            removed = False
            for price, size in asks:
                if size > 0 < price:
                    levels[price] = size
                elif size or price <= 0:
                    return self._refuse_levels()
                elif levels.pop(price, None) is not None:
                    removed = True
            if removed or len(levels) != count:
                self._ask_prices = None
        return True

    def _refuse_levels(self) -> bool:
        """A level no venue sends (a negative size, a price of zero or less): the book can
        no longer be trusted, so it goes stale and asks for a snapshot; False. Levels before
        the bad one are in: the sorted prices are rebuilt from the dicts on next use."""
        self._bid_prices = self._ask_prices = None
        self._mark_stale(BAD_LEVEL, resync=True)
        return False

    def clear(self, reason: str) -> None:
        """Empty the book and mark it stale (e.g. the connection dropped)."""
        self._reset()
        self.seq_no = None
        self._buffer.clear()
        self._mark_stale(reason, resync=False)

    def suspend(self, reason: str) -> None:
        """Show a live book stale while its feed is silent, keeping its levels and seq_no."""
        if not self.stale:
            self._mark_stale(reason, resync=False)
            self._suspended = True

    def top(self, n: int) -> tuple[list[Level], list[Level]]:
        """The best `n` levels per side: bids descending, asks ascending (cached until changed)."""
        cached = self._top_cache.get(n)
        if cached is not None:
            return cached
        bids, asks = self.bids, self.asks
        result = (
            [(p, bids[p]) for p in self._sorted_bids()[: -n - 1 : -1]],
            [(p, asks[p]) for p in self._sorted_asks()[:n]],
        )
        self._top_cache[n] = result
        return result

    def best_bid(self) -> Level | None:
        """The highest bid, or None when there are no bids."""
        if not self.bids:
            return None
        price = self._sorted_bids()[-1]
        return price, self.bids[price]

    def best_ask(self) -> Level | None:
        """The lowest ask, or None when there are no asks."""
        if not self.asks:
            return None
        price = self._sorted_asks()[0]
        return price, self.asks[price]

    def mid_units(self) -> int | None:
        """The mid price in units (rounded down), or None unless both sides have levels."""
        if not self.bids or not self.asks:
            return None
        return (self._sorted_bids()[-1] + self._sorted_asks()[0]) // 2

    @property
    def buffered(self) -> int:
        """How many deltas are waiting for a resync."""
        return len(self._buffer)

    def _apply_snapshot(self, update: BookUpdate) -> bool:
        if not self.stale and self.seq_no is not None and update.seq_no < self.seq_no:
            # A REST snapshot that arrived after newer deltas: the live book is better.
            return False
        if any(p <= 0 or s < 0 for p, s in update.bids) or any(
            p <= 0 or s < 0 for p, s in update.asks
        ):
            return self._refuse_levels()
        self._reset()
        self.seq_no = update.seq_no
        self.timestamp_ms = update.timestamp_ms
        self.bids.update((p, s) for p, s in update.bids if s)
        self.asks.update((p, s) for p, s in update.asks if s)
        self._bid_prices = self._ask_prices = None
        self.stale = False
        self.stale_reason = ""
        self.needs_resync = False
        return self._replay(update.seq_no)

    def _replay(self, snapshot_seq: int) -> bool:
        buffered = [u for u in self._buffer if u.seq_no > snapshot_seq]
        self._buffer.clear()
        for i, update in enumerate(buffered):
            self.apply(update)
            if self.stale:
                # A gap inside the buffer: `apply` has marked the book stale again and
                # kept that delta; keep the rest too, for the next snapshot.
                self._buffer.extend(buffered[i + 1 :])
                return False
        return True

    def _sorted_bids(self) -> list[int]:
        prices = self._bid_prices
        if prices is None:
            # Dict order is the snapshot's (sorted) with inserts appended: long ordered
            # runs, which timsort merges in near-linear time.
            prices = self._bid_prices = sorted(self.bids)
        return prices

    def _sorted_asks(self) -> list[int]:
        prices = self._ask_prices
        if prices is None:
            prices = self._ask_prices = sorted(self.asks)
        return prices

    def _reset(self) -> None:
        self._suspended = False
        self.bids.clear()
        self.asks.clear()
        self._bid_prices = []
        self._ask_prices = []
        self._top_cache.clear()

    def _mark_stale(self, reason: str, *, resync: bool) -> None:
        was_stale = self.stale
        self.stale = True
        self.stale_reason = reason
        self.needs_resync = self.needs_resync or resync
        if not was_stale and self.on_stale is not None:
            self.on_stale(reason)
