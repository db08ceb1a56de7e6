"""Public reads of the venue (§8.2): markets, summaries, books, trades, klines, funding."""

from __future__ import annotations

from typing import Any

from terminal.sim.engine import wire
from terminal.sim.engine.accounts import LIQUIDATOR
from terminal.sim.engine.candles import RESOLUTIONS, CandleSeries
from terminal.sim.engine.errors import VenueError
from terminal.sim.engine.exchange import Exchange
from terminal.sim.engine.funding import FundingClock
from terminal.sim.engine.history import window
from terminal.sim.engine.markets import MarketSpec
from terminal.sim.engine.risk import margin_state
from terminal.sim.engine.units import SCALE, fmt

DAY_MS = 86_400_000


class MarketReads:
    """The public JSON of one exchange, rendered from its live state."""

    def __init__(
        self,
        ex: Exchange,
        candles: dict[str, CandleSeries],
        funding: FundingClock,
        total_volume: dict[str, int],
        start_ms: int,
    ) -> None:
        """`total_volume`: USD volume (units) traded since the start, kept by the venue."""
        self._ex = ex
        self._candles = candles
        self._funding = funding
        self._total_volume = total_volume
        self._listed_at = start_ms - 30 * DAY_MS

    def _spec(self, market: str) -> MarketSpec:
        return self._ex.spec(market, 404)

    def markets_json(self, market: str | None = None) -> list[dict[str, Any]]:
        """`MarketResp` rows (one market, or all)."""
        specs = [self._spec(market)] if market else list(self._ex.markets.values())
        return [s.to_json(self._listed_at) for s in specs]

    def summaries_json(self, market: str) -> list[dict[str, Any]]:
        """`MarketSummaryResp` rows for one market or "ALL"."""
        symbols = list(self._ex.markets) if market == "ALL" else [self._spec(market).symbol]
        return [self.summary_json(s) for s in symbols]

    def summary_json(self, market: str) -> dict[str, Any]:
        """One `MarketSummaryResp` (also the `markets_summary` channel's payload)."""
        ex = self._ex
        book = ex.books[market]
        bid, ask = book.bids.best(), book.asks.best()
        now = ex.now_ms
        candles = self._candles[market]
        _, volume_usd = candles.volume_since(now - DAY_MS)
        then = candles.price_at(now - DAY_MS) or ex.last_prices[market]
        change = (ex.last_prices[market] - then) * SCALE // then if then else 0
        open_interest = sum(max(a.size(market), 0) for a in ex.accounts.values())
        rate = self._funding.rate(market)
        return {
            "symbol": market,
            "bid": fmt(bid) if bid is not None else None,
            "bid_size": fmt(book.bids.sizes[bid]) if bid is not None else None,
            "ask": fmt(ask) if ask is not None else None,
            "ask_size": fmt(book.asks.sizes[ask]) if ask is not None else None,
            "last_traded_price": fmt(ex.last_prices[market]),
            "mark_price": fmt(ex.marks[market]),
            "oracle_price": fmt(ex.index_prices[market]),
            "underlying_price": fmt(ex.index_prices[market]),
            "funding_rate": fmt(rate),
            "future_funding_rate": fmt(rate),
            "open_interest": fmt(open_interest),
            "volume_24h": fmt(volume_usd),
            "total_volume": fmt(self._total_volume[market]),
            "price_change_rate_24h": fmt(change),
            "created_at": now,
            "external_fair_price": fmt(ex.index_prices[market]),
        }

    def orderbook_json(self, market: str, depth: int = 20) -> dict[str, Any]:
        """`GET /orderbook/{market}` (shares seq_no with the deltas feed)."""
        spec = self._spec(market)
        return wire.orderbook_rest_json(
            spec.symbol, self._ex.books[spec.symbol], self._ex.now_ms, depth
        )

    def bbo_json(self, market: str) -> dict[str, Any]:
        """`GET /bbo/{market}`."""
        spec = self._spec(market)
        return wire.bbo_json(spec.symbol, self._ex.books[spec.symbol], self._ex.now_ms)

    def book_snapshot_message(self, market: str) -> dict[str, Any]:
        """A full-depth "s" `PriceBookUpdate` at the current delta seq_no (deltas channel)."""
        spec = self._spec(market)
        return wire.book_snapshot_json(spec.symbol, self._ex.books[spec.symbol], self._ex.now_ms)

    def book_snapshot_json(self, market: str, depth: int = 15) -> dict[str, Any]:
        """A top-`depth` "s" `PriceBookUpdate` (the snapshot@15@… channels)."""
        spec = self._spec(market)
        return wire.book_snapshot_json(
            spec.symbol, self._ex.books[spec.symbol], self._ex.now_ms, depth
        )

    def trades_json(
        self, market: str, start_at: int | None, end_at: int | None, limit: int
    ) -> list[dict[str, Any]]:
        """Public trades, newest first: the seeded history, then the live market's."""
        spec = self._spec(market)
        return window(reversed(self._ex.trades[spec.symbol]), start_at, end_at, limit)

    def klines(
        self, market: str, resolution_min: int, start_at: int, end_at: int
    ) -> list[list[float | int]]:
        """[t_ms, o, h, l, c, v] bars as JSON numbers (§8.2)."""
        spec = self._spec(market)
        if resolution_min not in RESOLUTIONS:
            raise VenueError(
                "INVALID_REQUEST_PARAMETER", "resolution must be one of [1 3 5 15 30 60]"
            )
        return self._candles[spec.symbol].klines(resolution_min, start_at, end_at)

    def funding_data_json(
        self, market: str, start_at: int | None = None, end_at: int | None = None, limit: int = 100
    ) -> list[dict[str, Any]]:
        """Funding-data history, newest first."""
        spec = self._spec(market)
        return self._funding.data_json(spec.symbol, start_at, end_at, limit)

    def insurance_json(self) -> dict[str, Any]:
        """`GET /insurance`: the account that takes over liquidated positions."""
        fund = self._ex.accounts[LIQUIDATOR]
        state = margin_state(fund, self._ex.markets, self._ex.marks)
        return {
            "account": hex(fund.id),
            "account_value": fmt(state.account_value),
            "settlement_asset": "USDC",
            "updated_at": fund.updated_at,
        }
