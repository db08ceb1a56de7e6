"""The depth ladder's view-model: a price grid around the inside market, one frame at a time.

The feed calls `book_updated()` per message; that only marks the ladder dirty. A Throttle
computes the visible rows from the latest book at most once per frame and emits `changed`.
All price arithmetic is integer units (× 10^8); text is formatted here so the widget only
draws.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Protocol

from PySide6.QtCore import QObject, QTimer, Signal

from terminal.domain.instruments import Instrument
from terminal.domain.marketdata import Level, Trade
from terminal.domain.orders import Side
from terminal.domain.units import decimal_from_units, units_from_decimal
from terminal.viewmodels.formatting import decimals_of, format_units, format_units_fit
from terminal.viewmodels.throttle import FRAME_MS, Throttle

GROUPINGS = (1, 2, 5, 10, 25, 50, 100, 250, 1000)
"""Grouping choices, in ticks per ladder row."""

SIZE_TEXT_CHARS = 6
"""A size or running total is shown in at most this many characters (a ladder cell)."""

AUTO_DEPTH_LEVELS = 10
"""Auto grouping fits this many book levels per side (with the spread) into the view."""


def auto_grouping(bids: list[Level], asks: list[Level], tick: int, visible_rows: int) -> int | None:
    """The finest grouping (ticks per row) that shows both sides around the spread.

    Half the rows go to each side; they must reach from the mid to the
    `AUTO_DEPTH_LEVELS`-th level (or the deepest there is). None without a two-sided book.
    """
    if not bids or not asks or tick <= 0:
        return None
    mid2 = bids[0][0] + asks[0][0]  # twice the mid: integer arithmetic throughout
    reach2 = max(mid2 - 2 * bids[-1][0], 2 * asks[-1][0] - mid2)
    rows = max(1, visible_rows // 2 - 1)
    for ticks in GROUPINGS:
        if 2 * rows * ticks * tick >= reach2:
            return ticks
    return GROUPINGS[-1]


class BookView(Protocol):
    """What the ladder reads from `terminal.domain.orderbook.OrderBook`."""

    market: str
    stale: bool
    stale_reason: str

    def top(self, n: int) -> tuple[list[Level], list[Level]]:
        """Best `n` levels per side: bids descending, asks ascending."""
        ...


@dataclass(frozen=True, slots=True)
class LadderRow:
    """One price row, ready to draw: texts, bar fractions (0..1, pixels only) and flags."""

    price_units: int
    price_text: str
    bid_text: str = ""
    ask_text: str = ""
    bid_cum_text: str = ""
    ask_cum_text: str = ""
    bid_fraction: float = 0.0
    ask_fraction: float = 0.0
    bid_depth_fraction: float = 0.0
    ask_depth_fraction: float = 0.0
    is_best_bid: bool = False
    is_best_ask: bool = False
    in_spread: bool = False
    is_last_trade: bool = False


@dataclass(frozen=True, slots=True)
class LadderFrame:
    """Everything the ladder shows at one instant."""

    rows: tuple[LadderRow, ...] = ()
    stale: bool = False
    stale_reason: str = ""
    message: str = "Waiting for market…"
    spread_text: str = ""
    last_trade_text: str = ""
    last_trade_side: Side | None = None
    market: str = ""
    best_bid_units: int | None = None
    best_ask_units: int | None = None


@dataclass(slots=True)
class _Side:
    """One side of the book grouped to the row grid: prices best-first, sizes, running sums."""

    prices: list[int]
    sizes: list[int]
    cums: list[int]


def group_levels(levels: list[Level], step: int, *, round_up: bool) -> _Side:
    """Merge levels (best first) onto a grid of `step` units: bids round down, asks up."""
    prices: list[int] = []
    sizes: list[int] = []
    cums: list[int] = []
    total = 0
    for price, size in levels:
        grid = price + (-price) % step if round_up else price - price % step
        total += size
        if prices and prices[-1] == grid:
            sizes[-1] += size
            cums[-1] = total
        else:
            prices.append(grid)
            sizes.append(size)
            cums.append(total)
    return _Side(prices, sizes, cums)


class LadderViewModel(QObject):
    """Rows of a price ladder for one market, recomputed at most once per frame."""

    changed = Signal()
    stale_changed = Signal(bool, str)
    auto_centre_changed = Signal(bool)
    grouping_changed = Signal(int)
    auto_grouping_changed = Signal(bool)
    instrument_changed = Signal()

    def __init__(
        self,
        parent: QObject | None = None,
        *,
        interval_ms: int = FRAME_MS,
        depth: int = 1000,
        timer: QTimer | None = None,
        auto_grouping: bool = True,
    ) -> None:
        super().__init__(parent)
        self._book: BookView | None = None
        self._instrument: Instrument | None = None
        self._tick_units = 0
        self._price_dp = 2
        self._size_dp = 3
        self._grouping = 1
        self._auto_grouping = auto_grouping
        self._auto_centre = True
        self._anchor: int | None = None
        self._visible_rows = 40
        self._depth = depth
        self._stale_override: str | None = None
        self._last_trade: tuple[int, Side] | None = None
        self._frame = LadderFrame()
        self._throttle = Throttle(self._publish, interval_ms, parent=self, timer=timer)

    # -- inputs from the service ------------------------------------------------------------

    def set_instrument(self, instrument: Instrument) -> None:
        """Use this instrument's tick and step for the grid and the number formats; another
        market's book is dropped (its levels must not show under this market's name)."""
        if self._book is not None and self._book.market != instrument.symbol:
            self._book = None
        self._instrument = instrument
        self._tick_units = units_from_decimal(instrument.tick_size)
        self._price_dp = decimals_of(instrument.tick_size)
        self._size_dp = decimals_of(instrument.step_size)
        self._anchor = None
        self._last_trade = None
        self.instrument_changed.emit()
        self._schedule()

    def set_book(self, book: BookView) -> None:
        """Show this book (a new market or a fresh resync); the ladder recentres."""
        self._book = book
        self._anchor = None
        self._schedule()

    def book_updated(self) -> None:
        """The book changed; O(1): the repaint happens at the end of the frame."""
        self._throttle()

    def on_trade(self, trade: Trade) -> None:
        """Mark the last traded price."""
        if self._book is not None and trade.market != self._book.market:
            return
        self._last_trade = (units_from_decimal(trade.price), trade.side)
        self._throttle()

    def set_stale(self, reason: str | None) -> None:
        """Force the stale state (e.g. the socket is down); `None` defers to the book's flag."""
        self._stale_override = reason
        self._schedule()

    # -- inputs from the user ----------------------------------------------------------------

    @property
    def grouping(self) -> int:
        """Ticks per row."""
        return self._grouping

    def grouping_label(self, ticks: int) -> str:
        """The price step of a grouping choice ("0.5", "25"), or "N ticks" before an instrument."""
        if self._instrument is None:
            return f"{ticks} tick" + ("s" if ticks > 1 else "")
        return format_units(self._tick_units * ticks, self._price_dp)

    def set_grouping(self, ticks: int) -> None:
        """Group `ticks` ticks into one row (one of GROUPINGS, or any positive integer);
        a choice by the user, so auto grouping stops."""
        if ticks < 1:
            raise ValueError(f"grouping must be a positive number of ticks, not {ticks}")
        self._set_auto_grouping_flag(False)
        self._apply_grouping(ticks)

    @property
    def auto_grouping(self) -> bool:
        """Whether the ladder picks its grouping from the book and the view's height."""
        return self._auto_grouping

    def set_auto_grouping(self, on: bool) -> None:
        """Let the ladder pick its grouping (on), or keep the current one (off)."""
        self._set_auto_grouping_flag(on)
        if on:
            self.recentre()

    def _set_auto_grouping_flag(self, on: bool) -> None:
        if on != self._auto_grouping:
            self._auto_grouping = on
            self.auto_grouping_changed.emit(on)

    def _apply_grouping(self, ticks: int) -> None:
        if ticks == self._grouping:
            return
        self._grouping = ticks
        self._anchor = None
        self.grouping_changed.emit(ticks)
        self._schedule()

    @property
    def auto_centre(self) -> bool:
        """Whether the ladder follows the inside market by itself."""
        return self._auto_centre

    def set_auto_centre(self, on: bool) -> None:
        """Turn auto-centring on or off; turning it on recentres."""
        if on != self._auto_centre:
            self._auto_centre = on
            self.auto_centre_changed.emit(on)
        if on:
            self.recentre()

    def recentre(self) -> None:
        """Put the inside market back in the middle of the ladder."""
        self._anchor = None
        self._schedule()

    def scroll_rows(self, rows: int) -> None:
        """Move the view by `rows` rows (positive: toward higher prices); stops auto-centring."""
        if rows == 0 or self._anchor is None:
            return
        self._anchor += rows * self._row_units()
        if self._auto_centre:
            self._auto_centre = False
            self.auto_centre_changed.emit(False)
        self._schedule()

    @property
    def scroll_offset_rows(self) -> int:
        """How many rows the view is away from the inside market (0 when centred)."""
        mid = self._mid()
        if self._anchor is None or mid is None:
            return 0
        return (self._anchor - mid) // self._row_units()

    @property
    def visible_rows(self) -> int:
        """How many rows the view shows."""
        return self._visible_rows

    def set_visible_rows(self, rows: int) -> None:
        """The view's height in rows changed."""
        rows = max(1, rows)
        if rows != self._visible_rows:
            self._visible_rows = rows
            if self._auto_grouping:
                self._anchor = None  # the grouping may change with the height: re-pick
            self._schedule()

    # -- output --------------------------------------------------------------------------------

    @property
    def frame(self) -> LadderFrame:
        """The latest computed frame."""
        return self._frame

    @property
    def row_units(self) -> int:
        """The price step of one row, in units (the tick times the grouping)."""
        return self._row_units()

    def row_price(self, index: int) -> Decimal | None:
        """The exact price of a visible row (for click-to-price), or None past the rows."""
        rows = self._frame.rows
        return decimal_from_units(rows[index].price_units) if 0 <= index < len(rows) else None

    def flush(self) -> None:
        """Publish a pending frame now (tests, benchmarks)."""
        self._throttle.flush()

    def compute_frame(self) -> LadderFrame:
        """Compute the frame for the current book and view state (no signal)."""
        book = self._book
        override = self._stale_override
        stale = override is not None or (book is not None and book.stale)
        reason = override if override is not None else (book.stale_reason if book else "")
        market = book.market if book is not None else ""
        if book is None or self._instrument is None:
            message = "Waiting for order book…" if self._instrument else "Waiting for market…"
            return LadderFrame(stale=stale, stale_reason=reason, message=message, market=market)
        if self._auto_grouping and self._anchor is None:
            self._pick_grouping(book)
        step = self._row_units()
        best_bids, best_asks = book.top(1)
        if not best_bids and not best_asks and self._last_trade is None:
            return LadderFrame(stale=stale, stale_reason=reason, market=market)
        self._place_anchor(
            group_levels(best_bids, step, round_up=False),
            group_levels(best_asks, step, round_up=True),
            step,
        )
        assert self._anchor is not None
        top_price = self._anchor + (self._visible_rows // 2) * step
        prices = [top_price - i * step for i in range(self._visible_rows)]
        # Read only the levels that can land on a visible row (plus the ones between them
        # and the inside, for the running totals): a few dozen, not the whole book.
        bid_levels, ask_levels = book.top(self._levels_needed(best_bids, best_asks, prices))
        bids = group_levels(bid_levels, step, round_up=False)
        asks = group_levels(ask_levels, step, round_up=True)
        return LadderFrame(
            rows=self._rows(prices, bids, asks, step),
            stale=stale,
            stale_reason=reason,
            message="",
            spread_text=self._spread_text(bid_levels, ask_levels),
            last_trade_text=self._last_trade_text(),
            last_trade_side=self._last_trade[1] if self._last_trade else None,
            market=market,
            best_bid_units=bid_levels[0][0] if bid_levels else None,
            best_ask_units=ask_levels[0][0] if ask_levels else None,
        )

    # -- internals --------------------------------------------------------------------------

    def _schedule(self) -> None:
        self._throttle()

    def _publish(self) -> None:
        before = (self._frame.stale, self._frame.stale_reason)
        self._frame = self.compute_frame()
        after = (self._frame.stale, self._frame.stale_reason)
        if after != before:
            self.stale_changed.emit(*after)
        self.changed.emit()

    def _pick_grouping(self, book: BookView) -> None:
        """Re-pick the auto grouping; only when the view is (re)centred, so rows never change
        size under the trader's eyes while the market merely moves."""
        bids, asks = book.top(AUTO_DEPTH_LEVELS)
        ticks = auto_grouping(bids, asks, self._tick_units, self._visible_rows)
        if ticks is not None and ticks != self._grouping:
            self._grouping = ticks
            self.grouping_changed.emit(ticks)

    def _row_units(self) -> int:
        return max(1, self._tick_units) * self._grouping

    def _mid(self) -> int | None:
        if self._book is None or self._instrument is None:
            return None
        bid_levels, ask_levels = self._book.top(1)
        step = self._row_units()
        bids = group_levels(bid_levels, step, round_up=False)
        asks = group_levels(ask_levels, step, round_up=True)
        return self._mid_of(bids, asks, step)

    def _mid_of(self, bids: _Side, asks: _Side, step: int) -> int | None:
        if bids.prices and asks.prices:
            mid = (bids.prices[0] + asks.prices[0]) // 2
            return mid - mid % step
        if bids.prices:
            return bids.prices[0]
        if asks.prices:
            return asks.prices[0]
        if self._last_trade is not None:
            price = self._last_trade[0]
            return price - price % step
        return None

    def _levels_needed(
        self, best_bids: list[Level], best_asks: list[Level], prices: list[int]
    ) -> int:
        """How many levels per side reach from the inside to the far visible row.

        Levels sit on the tick grid, so a price distance in ticks bounds the level count.
        """
        tick = max(1, self._tick_units)
        needed = 1
        if best_bids:
            needed = max(needed, (best_bids[0][0] - prices[-1]) // tick + 1)
        if best_asks:
            needed = max(needed, (prices[0] - best_asks[0][0]) // tick + 1)
        return min(needed, self._depth)

    def _place_anchor(self, bids: _Side, asks: _Side, step: int) -> None:
        mid = self._mid_of(bids, asks, step)
        if mid is None:
            return
        if self._anchor is None:
            self._anchor = mid
            return
        # Auto-centre only once the inside market leaves the middle quarter of the view: a
        # ladder that re-centres on every tick jumps under the trader's mouse.
        band = max(2, self._visible_rows // 8) * step
        if self._auto_centre and abs(mid - self._anchor) > band:
            self._anchor = mid

    def _rows(
        self, prices: list[int], bids: _Side, asks: _Side, step: int
    ) -> tuple[LadderRow, ...]:
        n = len(prices)
        bid_size = [0] * n
        bid_cum = [0] * n
        j = 0
        deepest_bid = bids.prices[-1] if bids.prices else None
        for i, price in enumerate(prices):  # descending: walk bids best-first
            while j < len(bids.prices) and bids.prices[j] >= price:
                j += 1
            if j and deepest_bid is not None and price >= deepest_bid:
                bid_cum[i] = bids.cums[j - 1]
                if bids.prices[j - 1] == price:
                    bid_size[i] = bids.sizes[j - 1]
        ask_size = [0] * n
        ask_cum = [0] * n
        j = 0
        deepest_ask = asks.prices[-1] if asks.prices else None
        for i in range(n - 1, -1, -1):  # ascending: walk asks best-first
            price = prices[i]
            while j < len(asks.prices) and asks.prices[j] <= price:
                j += 1
            if j and deepest_ask is not None and price <= deepest_ask:
                ask_cum[i] = asks.cums[j - 1]
                if asks.prices[j - 1] == price:
                    ask_size[i] = asks.sizes[j - 1]
        max_size = max(max(bid_size, default=0), max(ask_size, default=0)) or 1
        max_cum = max(max(bid_cum, default=0), max(ask_cum, default=0)) or 1
        best_bid = bids.prices[0] if bids.prices else None
        best_ask = asks.prices[0] if asks.prices else None
        last = self._last_trade_row(step)
        pdp, sdp = self._price_dp, self._size_dp
        fit, chars = format_units_fit, SIZE_TEXT_CHARS
        rows = []
        for i, price in enumerate(prices):
            in_spread = (best_bid is None or price > best_bid) and (
                best_ask is None or price < best_ask
            )
            rows.append(
                LadderRow(
                    price_units=price,
                    price_text=format_units(price, pdp),
                    bid_text=fit(bid_size[i], sdp, chars) if bid_size[i] else "",
                    ask_text=fit(ask_size[i], sdp, chars) if ask_size[i] else "",
                    bid_cum_text=fit(bid_cum[i], sdp, chars) if bid_cum[i] else "",
                    ask_cum_text=fit(ask_cum[i], sdp, chars) if ask_cum[i] else "",
                    bid_fraction=bid_size[i] / max_size,
                    ask_fraction=ask_size[i] / max_size,
                    bid_depth_fraction=bid_cum[i] / max_cum,
                    ask_depth_fraction=ask_cum[i] / max_cum,
                    is_best_bid=price == best_bid,
                    is_best_ask=price == best_ask,
                    in_spread=in_spread and best_bid is not None and best_ask is not None,
                    is_last_trade=price == last,
                )
            )
        return tuple(rows)

    def _last_trade_row(self, step: int) -> int | None:
        if self._last_trade is None:
            return None
        price, side = self._last_trade
        # A buy lifted an ask (asks group upward); a sell hit a bid (bids group downward).
        return price + (-price) % step if side is Side.BUY else price - price % step

    def _last_trade_text(self) -> str:
        if self._last_trade is None:
            return ""
        return format_units(self._last_trade[0], self._price_dp)

    def _spread_text(self, bid_levels: list[Level], ask_levels: list[Level]) -> str:
        if not bid_levels or not ask_levels:
            return ""
        bid, ask = bid_levels[0][0], ask_levels[0][0]
        spread = ask - bid
        # Basis points to one decimal by integer arithmetic: 10 × 10^4 × spread / mid.
        tenths = (spread * 200_000) // (bid + ask) if bid + ask > 0 else 0
        sign = "-" if tenths < 0 else ""
        tenths = abs(tenths)
        return f"{format_units(spread, self._price_dp)} ({sign}{tenths // 10}.{tenths % 10} bps)"
