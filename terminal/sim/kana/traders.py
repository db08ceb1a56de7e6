"""Watched addresses that trade: a few user accounts placing small orders on the engine, so an
address watch shows positions, open orders and fills that change."""

from __future__ import annotations

import contextlib
import random
from dataclasses import dataclass

from terminal.sim.engine import SimVenue, VenueError
from terminal.sim.engine.units import fmt, parse_units

FIRST_ACCOUNT = 0x4B414E41_0001
"""Far from the engine's internal accounts (0x100…, 0x200…)."""
MEAN_GAP_MS = 1500
"""Average time between one trader's actions."""
MAX_RESTING = 2
"""Open orders a trader keeps; older ones are cancelled."""
MAX_STEPS = 8
"""Position (in size steps) past which a trader only trades back towards flat."""


@dataclass(slots=True)
class _Trader:
    account: int
    market: str
    next_ms: int


class WatchedTraders:
    """One trading account per market, acting every ~1.5 s from a seeded generator."""

    def __init__(self, venue: SimVenue, seed: int, start_ms: int) -> None:
        self._venue = venue
        self._rng = random.Random(seed ^ 0x4B414E41)
        self.traders: list[_Trader] = []
        for i, symbol in enumerate(sorted(venue.markets)):
            account = FIRST_ACCOUNT + i
            venue.onboard(account, public_key=account)
            self.traders.append(_Trader(account, symbol, start_ms + self._gap()))

    @property
    def accounts(self) -> list[int]:
        """The trading accounts, one per market."""
        return [t.account for t in self.traders]

    def advance(self, now_ms: int) -> None:
        """Let every trader whose turn has come act once."""
        for trader in self.traders:
            if trader.next_ms <= now_ms:
                trader.next_ms = now_ms + self._gap()
                # Refused (margin, an empty side): the next turn tries again.
                with contextlib.suppress(VenueError):
                    self._act(trader)

    def _gap(self) -> int:
        return int(self._rng.expovariate(1 / MEAN_GAP_MS)) + 100

    def _act(self, trader: _Trader) -> None:
        venue, rng = self._venue, self._rng
        spec = venue.markets[trader.market]
        position = next(
            (
                parse_units(p["size"])
                for p in venue.private.positions_json(trader.account)
                if p["market"] == trader.market
            ),
            0,
        )
        side = rng.choice(("BUY", "SELL"))
        if abs(position) >= MAX_STEPS * spec.step:
            side = "SELL" if position > 0 else "BUY"
        size = fmt(spec.step * rng.randint(1, 3))
        order = {"market": trader.market, "side": side, "size": size, "client_id": ""}
        if rng.random() < 0.5:
            order |= {"type": "MARKET", "instruction": "IOC"}
        else:
            book = venue.public.orderbook_json(trader.market, 1)
            best = book["bids" if side == "BUY" else "asks"]
            if not best:
                return
            away = spec.tick * rng.randint(2, 12)
            touch = parse_units(best[0][0])
            order |= {
                "type": "LIMIT",
                "instruction": "GTC",
                "price": fmt(touch - away if side == "BUY" else touch + away),
            }
            resting = venue.private.open_orders_json(trader.account, trader.market)
            for stale in resting[: max(len(resting) - MAX_RESTING + 1, 0)]:
                venue.cancel_order(trader.account, stale["id"])
        venue.create_order(trader.account, order)
