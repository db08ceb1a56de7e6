"""`SimVenue`: the one façade the embedded exchange's server drives.

Pure Python, no I/O, time injected through `advance(now_ms)`, deterministic for a seed.
Every method that changes state publishes the resulting §11.4 payloads to the listeners.
"""

from __future__ import annotations

import random
from collections.abc import Iterable, Mapping
from typing import Any

from terminal.sim.engine import order_ops, wire
from terminal.sim.engine.accounts import Account
from terminal.sim.engine.agents import AgentIds, MarketAgent, taker_volume_per_minute
from terminal.sim.engine.candles import RESOLUTIONS, CandleSeries
from terminal.sim.engine.errors import VenueError
from terminal.sim.engine.events import Listener, PublicEvent
from terminal.sim.engine.exchange import Exchange
from terminal.sim.engine.funding import FundingClock
from terminal.sim.engine.markets import DEFAULT_MARKETS, MarketSpec
from terminal.sim.engine.scenarios import SCENARIOS
from terminal.sim.engine.units import SCALE, fmt, parse_units

# public messages one market event produces on average (a book delta, often a bbo, and
# for takers trades): turns the requested message rate into an event rate
MSGS_PER_EVENT = 1.45
MAX_CATCH_UP_MS = 10_000  # after a longer stall the market skips ahead instead of replaying
_DAY_MS = 86_400_000


class SimVenue:
    """The embedded exchange: markets, accounts, matching and a synthetic market."""

    def __init__(
        self,
        *,
        seed: int = 1,
        scenario: str = "calm",
        start_ms: int,
        history_days: float = 3.0,
        rate: float = 200.0,
        funding_interval_s: float = 60.0,
        summary_interval_ms: int = 1000,
        synthetic: bool = True,
    ) -> None:
        """`rate` ≈ public messages/s to generate; `synthetic=False` leaves the books empty
        and the marks still (for tests that need an exact book; see `set_mark`)."""
        if scenario not in SCENARIOS:
            raise ValueError(f"unknown scenario {scenario!r}; one of {SCENARIOS}")
        self.start_ms = start_ms
        self._rng = random.Random(seed)
        self._ex = Exchange(DEFAULT_MARKETS, start_ms)
        self._ex.trade_hook = self._on_trade
        self.markets: Mapping[str, MarketSpec] = self._ex.markets
        per_market = max(rate / len(self.markets) - 1000 / summary_interval_ms, 0.5)
        self._candles = {s: CandleSeries(m.tick) for s, m in self.markets.items()}
        for symbol, spec in self.markets.items():
            self._candles[symbol].seed_history(
                self._rng,
                start_ms,
                spec.start_price,
                int(history_days * 1440),
                vol_per_minute=6e-4,
                # history trades as briskly as the live takers will: the live bar then
                # stands among its neighbours instead of dwarfing them
                typical_volume=taker_volume_per_minute(spec, per_market / MSGS_PER_EVENT),
            )
        self._total_volume = dict.fromkeys(self.markets, 0)
        self._agents: list[MarketAgent] = []
        for i, (symbol, spec) in enumerate(self.markets.items()):
            ids = AgentIds(maker=0x100 + i, taker=0x200 + i)
            self._ex.add_account(ids.maker, 0, internal=True)
            self._ex.add_account(ids.taker, 0, internal=True)
            agent = MarketAgent(
                self._ex, spec, ids, self._rng, scenario, start_ms, per_market / MSGS_PER_EVENT
            )
            if synthetic:
                agent.requote(1.0, 1.0)
                self._ex.flush(symbol)
                self._agents.append(agent)
        self._funding = FundingClock(self._ex, round(funding_interval_s * 1000), start_ms)
        self._summary_interval = summary_interval_ms
        self._next_summary = start_ms + summary_interval_ms

    # -- time -------------------------------------------------------------------------------

    @property
    def now_ms(self) -> int:
        """The venue clock: the last time `advance` reached."""
        return self._ex.now_ms

    def add_listener(self, cb: Listener) -> None:
        """Receive every `PublicEvent` / `PrivateEvent` from now on."""
        self._ex.add_listener(cb)

    def set_matching_paused(self, paused: bool) -> None:
        """Pause matching: new orders stay NEW and the synthetic market stops trading."""
        self._ex.paused = paused
        if not paused:
            self._ex.process_pending()

    def advance(self, now_ms: int) -> None:
        """Run the synthetic market, funding and summaries up to `now_ms`."""
        ex = self._ex
        if now_ms - ex.now_ms > MAX_CATCH_UP_MS:
            skip_to = now_ms - MAX_CATCH_UP_MS
            for stalled in self._agents:
                stalled.next_ms = max(stalled.next_ms, skip_to)
            self._funding.next_ms = max(self._funding.next_ms, skip_to)
            self._next_summary = max(self._next_summary, skip_to)
        trading = not ex.paused
        while True:
            agent = min(self._agents, key=lambda a: a.next_ms) if self._agents else None
            t = min(self._funding.next_ms, self._next_summary)
            if agent is not None:
                t = min(t, agent.next_ms)
            if t > now_ms:
                break
            ex.now_ms = max(ex.now_ms, t)
            if agent is not None and t == agent.next_ms:
                agent.step(t, trading)
            elif t == self._funding.next_ms:
                self._funding.tick()
            else:
                self._publish_summaries()
        ex.now_ms = max(ex.now_ms, now_ms)

    def set_mark(self, market: str, mark: str, index: str | None = None) -> None:
        """Force a market's mark (and index) price: a fault knob and a test hook. Stops and
        liquidations react at once; the synthetic market pulls the mark back as it runs."""
        spec = self._spec(market)
        mark_units = parse_units(mark)
        self._ex.set_mark(
            spec.symbol, mark_units, parse_units(index) if index is not None else mark_units
        )
        for agent in self._agents:
            if agent.spec.symbol == spec.symbol:
                agent.mark = mark_units

    def _publish_summaries(self) -> None:
        for market in self.markets:
            self._ex.emit(PublicEvent("markets_summary", market, self._summary(market)))
        self._ex.publish_marked_to_market()
        self._next_summary += self._summary_interval

    def _on_trade(self, market: str, price: int, size: int, now_ms: int) -> None:
        self._candles[market].on_trade(price, size, now_ms)
        self._total_volume[market] += price * size // SCALE

    # -- accounts ---------------------------------------------------------------------------

    def onboard(self, account: int, public_key: int) -> None:
        """Create a user account with 100,000 USDC (idempotent)."""
        acct = self._ex.accounts.get(account)
        if acct is not None and acct.internal:
            raise VenueError("INVALID_STARKNET_ADDRESS", "reserved account address")
        self._ex.add_account(account, public_key)

    def is_onboarded(self, account: int) -> bool:
        """Whether `account` is an onboarded user."""
        acct = self._ex.accounts.get(account)
        return acct is not None and not acct.internal

    def public_key(self, account: int) -> int:
        """The public key registered at onboarding (NOT_ONBOARDED otherwise)."""
        return self._user(account).public_key

    def _user(self, account: int) -> Account:
        acct = self._ex.account(account)
        if acct.internal:
            raise VenueError("NOT_ONBOARDED", "User has never called /onboarding endpoint")
        return acct

    # -- orders -----------------------------------------------------------------------------

    def create_order(
        self, account: int, body: dict[str, Any], *, interactive: bool = False
    ) -> dict[str, Any]:
        """Accept an order (its NEW `OrderResp`); risk rejections close it afterwards."""
        self._user(account)
        return self._ex.create_order(account, body, interactive=interactive)

    def create_orders_batch(self, account: int, bodies: list[dict[str, Any]]) -> dict[str, Any]:
        """`{"orders": [...accepted], "errors": [...rejected]}`."""
        self._user(account)
        return order_ops.create_batch(self._ex, account, bodies)

    def modify_order(self, account: int, order_id: str, body: dict[str, Any]) -> dict[str, Any]:
        """Modify size/price (/trigger); returns the updated `OrderResp`."""
        self._user(account)
        return order_ops.modify_order(self._ex, account, order_id, body)

    def cancel_order(self, account: int, order_id: str) -> None:
        """Cancel by id; the CLOSED update goes out on `orders`."""
        self._user(account)
        order_ops.cancel_order(self._ex, account, order_id)

    def cancel_by_client_id(self, account: int, client_id: str, market: str | None) -> None:
        """Cancel the open order with this client id."""
        self._user(account)
        order_ops.cancel_by_client_id(self._ex, account, client_id, market)

    def cancel_all(self, account: int, market: str | None = None) -> list[dict[str, Any]]:
        """Cancel every open order, optionally of one market; returns them closed."""
        self._user(account)
        return order_ops.cancel_all(self._ex, account, market)

    def cancel_batch(
        self, account: int, order_ids: list[str], client_ids: list[str]
    ) -> dict[str, Any]:
        """Batch cancel (§7.5): `{"results": [...]}`."""
        self._user(account)
        return order_ops.cancel_batch(self._ex, account, order_ids, client_ids)

    # -- public reads -----------------------------------------------------------------------

    def _spec(self, market: str) -> MarketSpec:
        return self._ex.spec(market, 404)

    def markets_json(self, market: str | None = None) -> list[dict[str, Any]]:
        """`MarketResp` rows (one market, or all)."""
        specs = [self._spec(market)] if market else list(self.markets.values())
        return [s.to_json(self.start_ms - 30 * _DAY_MS) for s in specs]

    def summaries_json(self, market: str) -> list[dict[str, Any]]:
        """`MarketSummaryResp` rows for one market or "ALL"."""
        symbols = list(self.markets) if market == "ALL" else [self._spec(market).symbol]
        return [self._summary(s) for s in symbols]

    def _summary(self, market: str) -> dict[str, Any]:
        ex = self._ex
        book = ex.books[market]
        bid, ask = book.bids.best(), book.asks.best()
        now = ex.now_ms
        candles = self._candles[market]
        _, volume_usd = candles.volume_since(now - _DAY_MS)
        then = candles.price_at(now - _DAY_MS) or ex.last_prices[market]
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
        """Recent public trades, newest first."""
        spec = self._spec(market)
        return _window(reversed(self._ex.trades[spec.symbol]), start_at, end_at, limit)

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

    # -- private reads ----------------------------------------------------------------------

    def account_json(self, account: int) -> dict[str, Any]:
        """`GET /account`."""
        return self._ex.account_json(self._user(account))

    def balance_json(self, account: int) -> list[dict[str, Any]]:
        """`GET /balance` rows."""
        return [wire.balance_json(self._user(account))]

    def positions_json(self, account: int) -> list[dict[str, Any]]:
        """`GET /positions` rows (open and closed positions)."""
        acct = self._user(account)
        return [self._ex.position_json(acct, m) for m in acct.positions]

    def open_orders_json(self, account: int, market: str | None) -> list[dict[str, Any]]:
        """`GET /orders`: every order that is not CLOSED."""
        acct = self._user(account)
        return [
            wire.order_json(o)
            for o in acct.open_orders.values()
            if market is None or o.market == market
        ]

    def order_json(self, account: int, order_id: str) -> dict[str, Any]:
        """`GET /orders/{id}`."""
        return wire.order_json(self._ex.find_order(self._user(account), order_id))

    def order_by_client_id_json(self, account: int, client_id: str) -> dict[str, Any]:
        """`GET /orders/by_client_id/{id}`: the open order, else the latest with that id."""
        order = self._user(account).by_client_id(client_id)
        if order is None:
            raise VenueError("CLIENT_ORDER_ID_NOT_FOUND", f"client id {client_id!r} not found", 404)
        return wire.order_json(order)

    def orders_history_json(
        self,
        account: int,
        *,
        market: str | None = None,
        side: str | None = None,
        status: str | None = None,
        type: str | None = None,
        client_id: str | None = None,
        start_at: int | None = None,
        end_at: int | None = None,
        limit: int = 1000,
    ) -> list[dict[str, Any]]:
        """`GET /orders-history`, newest first."""
        rows = (wire.order_json(o) for o in reversed(self._user(account).orders.values()))
        filters = {
            "market": market,
            "side": side,
            "status": status,
            "type": type,
            "client_id": client_id,
        }
        wanted = (r for r in rows if all(v is None or r[k] == v for k, v in filters.items()))
        return _window(wanted, start_at, end_at, limit)

    def fills_json(
        self,
        account: int,
        market: str | None,
        start_at: int | None = None,
        end_at: int | None = None,
        limit: int = 1000,
    ) -> list[dict[str, Any]]:
        """`GET /fills`, newest first."""
        return _newest_first(self._user(account).fills, market, start_at, end_at, limit)

    def funding_payments_json(
        self,
        account: int,
        market: str | None,
        start_at: int | None = None,
        end_at: int | None = None,
        limit: int = 1000,
    ) -> list[dict[str, Any]]:
        """`GET /funding/payments`, newest first."""
        return _newest_first(self._user(account).funding_payments, market, start_at, end_at, limit)


def _newest_first(
    rows: list[dict[str, Any]],
    market: str | None,
    start_at: int | None,
    end_at: int | None,
    limit: int,
) -> list[dict[str, Any]]:
    """An account's history `rows` (oldest first), of one market or all, as a window."""
    wanted = (r for r in reversed(rows) if market is None or r["market"] == market)
    return _window(wanted, start_at, end_at, limit)


def _window(
    rows: Iterable[dict[str, Any]], start_at: int | None, end_at: int | None, limit: int
) -> list[dict[str, Any]]:
    """Up to `limit` of newest-first `rows` created within [start_at, end_at]."""
    out: list[dict[str, Any]] = []
    for row in rows:
        t = row["created_at"]
        if end_at is not None and t > end_at:
            continue
        if start_at is not None and t < start_at:
            break  # newest first: everything after is older still
        out.append(row)
        if len(out) >= limit:
            break
    return out
