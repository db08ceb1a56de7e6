"""`SimVenue`: the one façade the embedded exchange's server drives.

Pure Python, no I/O, time injected through `advance(now_ms)`, deterministic for a seed.
Every method that changes state publishes the resulting §11.4 payloads to the listeners;
reads go through `public` (market data) and `private` (user accounts).
"""

from __future__ import annotations

import random
from collections.abc import Mapping
from typing import Any

from terminal.sim.engine import order_ops, wire
from terminal.sim.engine.account_reads import AccountReads, user_account
from terminal.sim.engine.accounts import Account
from terminal.sim.engine.agents import AgentIds, MarketAgent, taker_volume_per_minute
from terminal.sim.engine.candles import CandleSeries
from terminal.sim.engine.errors import VenueError
from terminal.sim.engine.events import Listener, PublicEvent
from terminal.sim.engine.exchange import Exchange
from terminal.sim.engine.funding import FundingClock
from terminal.sim.engine.history import seed_trades
from terminal.sim.engine.market_reads import MarketReads
from terminal.sim.engine.markets import DEFAULT_MARKETS, MarketSpec
from terminal.sim.engine.scenarios import SCENARIOS
from terminal.sim.engine.units import SCALE, parse_units

# public messages one market event produces on average (a book delta, often a bbo, and
# for takers trades): turns the requested message rate into an event rate
MSGS_PER_EVENT = 1.45
MAX_CATCH_UP_MS = 10_000  # after a longer stall the market skips ahead instead of replaying


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
        if synthetic:
            # a separate stream, so the seeded history leaves the live market's draws alone
            history_rng = random.Random(f"trades-{seed}")
            for symbol, spec in self.markets.items():
                self._ex.trades[symbol].extend(
                    seed_trades(self._candles[symbol], spec, history_rng, self._ex.ids)
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
        self.public = MarketReads(
            self._ex, self._candles, self._funding, self._total_volume, start_ms
        )
        self.private = AccountReads(self._ex)

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
        spec = self._ex.spec(market, 404)
        mark_units = parse_units(mark)
        self._ex.set_mark(
            spec.symbol, mark_units, parse_units(index) if index is not None else mark_units
        )
        for agent in self._agents:
            if agent.spec.symbol == spec.symbol:
                agent.mark = mark_units

    def _publish_summaries(self) -> None:
        for market in self.markets:
            self._ex.emit(PublicEvent("markets_summary", market, self.public.summary_json(market)))
        self._ex.publish_marked_to_market()
        self._next_summary += self._summary_interval

    def _on_trade(self, market: str, price: int, size: int, now_ms: int) -> None:
        self._candles[market].on_trade(price, size, now_ms)
        self._total_volume[market] += price * size // SCALE

    # -- accounts ---------------------------------------------------------------------------

    def onboard(self, account: int, public_key: int) -> None:
        """Create a user account funded by a 100,000 USDC deposit (idempotent)."""
        acct = self._ex.accounts.get(account)
        if acct is not None:
            if acct.internal:
                raise VenueError("INVALID_STARKNET_ADDRESS", "reserved account address")
            return
        acct = self._ex.add_account(account, public_key)
        now = self._ex.now_ms
        acct.transfers.append(wire.deposit_json(self._ex.ids.next(now), account, acct.balance, now))

    def is_onboarded(self, account: int) -> bool:
        """Whether `account` is an onboarded user."""
        acct = self._ex.accounts.get(account)
        return acct is not None and not acct.internal

    def public_key(self, account: int) -> int:
        """The public key registered at onboarding (NOT_ONBOARDED otherwise)."""
        return self._user(account).public_key

    def _user(self, account: int) -> Account:
        return user_account(self._ex, account)

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
