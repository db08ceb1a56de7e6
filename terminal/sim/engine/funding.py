"""Funding: a rate from the mark's premium over the index, paid every interval."""

from __future__ import annotations

from collections import deque
from typing import Any

from terminal.sim.engine import settlement
from terminal.sim.engine.events import PublicEvent
from terminal.sim.engine.exchange import Exchange
from terminal.sim.engine.units import SCALE, fmt

_HOUR_MS = 3_600_000


class FundingClock:
    """Pays funding for every market each `interval_ms` and keeps the funding-data history."""

    def __init__(self, exchange: Exchange, interval_ms: int, start_ms: int) -> None:
        self.ex = exchange
        self.interval_ms = interval_ms
        self.next_ms = start_ms + interval_ms
        self.rates = dict.fromkeys(exchange.markets, 0)
        self.premiums = dict.fromkeys(exchange.markets, 0)
        self.history: dict[str, deque[dict[str, Any]]] = {
            m: deque(maxlen=10_000) for m in exchange.markets
        }

    def rate(self, market: str) -> int:
        """The current period funding rate (units), from the premium, clamped."""
        spec = self.ex.markets[market]
        index = self.ex.index_prices[market]
        premium = (self.ex.marks[market] - index) * SCALE // index if index else 0
        self.premiums[market] = premium
        return max(-spec.max_funding_rate, min(spec.max_funding_rate, premium))

    def tick(self) -> None:
        """Pay one interval's funding in every market and publish funding data."""
        for market, spec in self.ex.markets.items():
            rate = self.rate(market)
            self.rates[market] = rate
            period_ms = spec.funding_period_hours * _HOUR_MS
            settlement.pay_funding(self.ex, market, rate, self.interval_ms * SCALE // period_ms)
            rate_8h = rate * 8 // spec.funding_period_hours
            data = {
                "market": market,
                "created_at": self.ex.now_ms,
                "funding_index": fmt(self.ex.funding_index[market]),
                "funding_premium": fmt(self.premiums[market]),
                "funding_rate": fmt(rate),
                "funding_rate_8h": fmt(rate_8h),
                "funding_period_hours": spec.funding_period_hours,
            }
            self.history[market].append(data)
            self.ex.emit(PublicEvent("funding_data", market, data))
        self.next_ms += self.interval_ms

    def data_json(
        self, market: str, start_at: int | None, end_at: int | None, limit: int
    ) -> list[dict[str, Any]]:
        """Funding-data history, newest first."""
        rows = [
            r
            for r in reversed(self.history[market])
            if (start_at is None or r["created_at"] >= start_at)
            and (end_at is None or r["created_at"] <= end_at)
        ]
        return rows[:limit]
