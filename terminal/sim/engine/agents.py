"""The synthetic market: a mean-reverting fair price, a layered market maker and takers."""

from __future__ import annotations

import math
import random
from dataclasses import dataclass

from terminal.sim.engine.exchange import Exchange
from terminal.sim.engine.markets import MarketSpec
from terminal.sim.engine.orders import SimOrder
from terminal.sim.engine.scenarios import conditions
from terminal.sim.engine.units import SCALE

VOL_PER_SQRT_S = 0.8e-4  # ≈ 0.5 %/hour, a lively BTC hour
MEAN_REVERSION_PER_S = 1 / 600
TAKER_SHARE = 0.15
LEVELS = 25
SIZE_GROWTH = 1.12


TAKE_SIZE = 0.6
"""A taker order's mean size, in the market's top-of-book quote sizes."""


def taker_volume_per_minute(spec: MarketSpec, events_per_s: float) -> int:
    """Base units the calm market's taker trades in a typical minute, at `events_per_s`."""
    per_take = spec.profile.top_notional_usd / (spec.start_price / SCALE) * TAKE_SIZE
    return max(spec.step, int(events_per_s * 60 * TAKER_SHARE * per_take * SCALE))


@dataclass(frozen=True, slots=True)
class AgentIds:
    """Internal account ids of a market's maker and taker."""

    maker: int
    taker: int


class MarketAgent:
    """Drives one market: walks the fair price, re-quotes the maker, sends taker orders."""

    def __init__(
        self,
        exchange: Exchange,
        spec: MarketSpec,
        ids: AgentIds,
        rng: random.Random,
        scenario: str,
        start_ms: int,
        events_per_s: float,
    ) -> None:
        self.ex = exchange
        self.spec = spec
        self.ids = ids
        self.rng = rng
        self.scenario = scenario
        self.start_ms = start_ms
        self.anchor = spec.start_price / SCALE
        self.deviation = 0.0  # log deviation of the fair price from the scenario's anchor
        self.fair = self.anchor
        self.mean_gap_ms = 1000.0 / events_per_s
        self.last_ms = start_ms
        self.next_ms = start_ms + self._gap()
        self.quotes: dict[tuple[bool, int], SimOrder] = {}
        self.base_size = spec.profile.top_notional_usd / self.anchor
        self.mark = spec.start_price
        self._sizes: dict[int, list[int]] = {}
        self._target: dict[tuple[bool, int], int] = {}
        self._last_state: tuple[int, ...] = ()
        self._seed_open_interest()

    def _seed_open_interest(self) -> None:
        """Open the market with interest already standing, as a listed market has: the
        taker holds it long and the maker short (internal accounts; the book is untouched)."""
        spec = self.spec
        size = spec.profile.open_interest_usd * SCALE * SCALE // spec.start_price
        size -= size % spec.step
        for account, signed in ((self.ids.taker, size), (self.ids.maker, -size)):
            acct = self.ex.accounts[account]
            position = acct.position(spec.symbol, self.ex.ids.next(self.start_ms))
            position.apply(signed, spec.start_price, self.start_ms)

    def _gap(self) -> int:
        # A gap of 0 is allowed: above 1,000 events/s a market takes several steps in one
        # millisecond, so the requested rate is met instead of capped at one step per ms.
        return round(self.rng.expovariate(1.0) * self.mean_gap_ms)

    def step(self, now_ms: int, trading: bool) -> None:
        """One market event at `now_ms` (the exchange clock is already there)."""
        dt = (now_ms - self.last_ms) / 1000.0
        self.last_ms = now_ms
        self.next_ms = now_ms + self._gap()
        cond = conditions(self.scenario, now_ms - self.start_ms)
        decay = math.exp(-MEAN_REVERSION_PER_S * dt)
        self.deviation = self.deviation * decay + VOL_PER_SQRT_S * math.sqrt(dt) * self.rng.gauss(
            0.0, 1.0
        )
        self.fair = self.anchor * cond.price * math.exp(self.deviation)
        if trading:
            if self.rng.random() < TAKER_SHARE:
                self._take(cond.size)
            else:
                self.requote(cond.spread, cond.size)
        self._update_mark()
        self.ex.flush(self.spec.symbol)

    def _size(self, factor: float) -> int:
        step = self.spec.step
        return max(step, int(self.base_size * factor * SCALE) // step * step)

    def _grid(self, spread_mult: float) -> int:
        """Level spacing in units: quotes sit on a grid so small moves change few levels."""
        # coarse steps of the multiplier keep the grid still while the spike ramps
        mult = round(spread_mult * 2) / 2
        return max(1, round(self.spec.profile.level_gap_ticks * mult)) * self.spec.tick

    def _ladder_sizes(self, size_mult: float) -> list[int]:
        key = round(size_mult * 20)  # 5 % steps: the spike changes it gradually
        sizes = self._sizes.get(key)
        if sizes is None:
            sizes = [self._size(key / 20 * SIZE_GROWTH**i) for i in range(LEVELS)]
            self._sizes[key] = sizes
        return sizes

    def requote(self, spread_mult: float, size_mult: float) -> None:
        """Move the maker's ladder to the fair price; refresh one random level."""
        grid = self._grid(spread_mult)
        fair = int(self.fair * SCALE)
        half = max(1, round(self.spec.profile.half_spread_ticks * spread_mult)) * self.spec.tick
        # the inside sits on the level grid too: only a move across a grid line re-quotes
        top_bid = (fair - half) // grid * grid
        top_ask = -(-(fair + half) // grid) * grid
        sizes = self._ladder_sizes(size_mult)
        state = (grid, top_bid, top_ask, id(sizes), self.ex.trade_count[self.spec.symbol])
        # an unchanged ladder and no trade since the last pass: only the random refresh
        if state != self._last_state:
            self._reconcile(grid, top_bid, top_ask, sizes)
        self._refresh_one()
        self._last_state = (*state[:4], self.ex.trade_count[self.spec.symbol])

    def _reconcile(self, grid: int, top_bid: int, top_ask: int, sizes: list[int]) -> None:
        target: dict[tuple[bool, int], int] = {}
        for i, size in enumerate(sizes):
            if top_bid - i * grid > 0:
                target[(True, top_bid - i * grid)] = size
            target[(False, top_ask + i * grid)] = size
        self._target = target
        for key, order in list(self.quotes.items()):
            want = target.get(key)
            if not order.is_open or want is None or order.remaining * 2 < want:
                self.ex.close(order, "USER_CANCELED")
                del self.quotes[key]
        for key, size in target.items():
            if key not in self.quotes:
                self._place(key, size)

    def _refresh_one(self) -> None:
        if not self.quotes:
            return
        key = self.rng.choice(list(self.quotes))
        self.ex.close(self.quotes.pop(key), "USER_CANCELED")
        self._place(key, self._target[key])

    def _place(self, key: tuple[bool, int], size: int) -> None:
        step = self.spec.step
        jittered = max(step, int(size * self.rng.uniform(0.7, 1.3)) // step * step)
        order = self.ex.place_internal(
            self.ids.maker, self.spec.symbol, key[0], key[1], jittered, post_only=True
        )
        if order.is_open:
            self.quotes[key] = order

    def _take(self, size_mult: float) -> None:
        size = self._size(size_mult * self.rng.expovariate(1.0) * TAKE_SIZE)
        self.ex.place_internal(
            self.ids.taker, self.spec.symbol, self.rng.random() < 0.5, 0, size, post_only=False
        )

    def _update_mark(self) -> None:
        book = self.ex.books[self.spec.symbol]
        bid, ask = book.bids.best(), book.asks.best()
        fair_units = round(self.fair * SCALE)
        mid = (bid + ask) // 2 if bid is not None and ask is not None else fair_units
        # the mark follows the mid, smoothed, and never strays far from the fair price
        basis = self.spec.profile.funding_basis
        target = mid + mid * basis // SCALE
        target = min(max(target, fair_units * 995 // 1000), fair_units * 1005 // 1000)
        self.mark += (target - self.mark) // 3
        self.ex.set_mark(self.spec.symbol, self.mark, fair_units)
