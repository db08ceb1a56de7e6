"""Chaos: the services stack against the embedded exchange while every fault is injected.

A seeded schedule, about 40 s long, sets each fault knob the exchange has (drops that
gap the book, WebSocket and REST delays, 429s, 5xx, malformed frames, paused matching,
dropped sockets) and stops the exchange process outright (SIGSTOP for 6 s, then SIGCONT),
while a trader places and cancels orders. Afterwards: the connection is live, data
arrived after the last fault, the book equals the exchange's snapshot at the same
sequence number, the account's open orders equal the exchange's list, no order was lost
or doubled, and no traceback was logged. Same seed, same schedule.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import os
import random
import signal
import subprocess
import sys
import time
from collections import Counter
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

import httpx
import pytest

from terminal.domain.connection import ConnectionState
from terminal.domain.orderbook import OrderBook
from terminal.domain.orders import NewOrder, OrderType, Side
from terminal.services.account_data import AccountDataService
from terminal.services.connection import VenueConnection
from terminal.services.market_data import MarketDataService
from terminal.services.supervisor import Supervisor
from terminal.venues.paradex.crypto.signing import generate_private_key
from terminal.venues.paradex.errors import OrderRejected, OrderStatusUnknown, ParadexError
from terminal.venues.paradex.http.client import ParadexRest
from terminal.venues.paradex.venue import ParadexVenue

SEED = 20261130
M = "BTC-USD-PERP"
SCHEDULE_S = 40.0
SETTLE_S = 30.0
DEPTH = 15

FAULTS: list[dict[str, Any]] = [
    {"drop": {"order_book": 0.3}},
    {"drop": {"orders": 0.5, "fills": 0.5, "account": 0.5, "positions": 0.5}},
    {"drop": {"trades": 0.5, "bbo": 0.5, "markets_summary": 0.5}},
    {"ws_delay_ms": 2500},
    {"rest_delay_ms": 400},
    {"rest_429": 0.4, "retry_after_s": 1},
    {"rest_5xx": 0.4},
    {"malformed_per_s": 40},
    {"matching_paused": True},
    {"disconnect": True},
]
CLEAR = {
    "drop": {},
    "ws_delay_ms": 0,
    "rest_delay_ms": 0,
    "rest_429": 0,
    "rest_5xx": 0,
    "malformed_per_s": 0,
    "matching_paused": False,
}
STALL = "stall"


def schedule(rng: random.Random) -> list[tuple[float, Any]]:
    """(duration s, fault spec or STALL): every fault once, plus two process stalls."""
    steps: list[Any] = [*FAULTS, STALL, STALL]
    rng.shuffle(steps)
    return [(6.0 if step == STALL else rng.uniform(1.5, 3.0), step) for step in steps]


@dataclass
class Exchange:
    """The embedded exchange as a separate process (so that it can be stopped)."""

    proc: subprocess.Popen[bytes]
    rest: str
    ws: str

    async def fault(self, spec: dict[str, Any]) -> None:
        async with httpx.AsyncClient(timeout=10) as client:
            answer = await client.post(self.rest.removesuffix("/v1") + "/_sim/faults", json=spec)
            answer.raise_for_status()


@pytest.fixture
async def exchange() -> AsyncIterator[Exchange]:
    command = [sys.executable, "-m", "terminal.sim", "--port", "0", "--seed", str(SEED)]
    proc = subprocess.Popen(  # noqa: ASYNC220 (a fork+exec; the line is read below)
        [*command, "--rate", "300", "--parent-watch"],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
    )
    try:
        assert proc.stdout is not None
        line = await asyncio.wait_for(asyncio.to_thread(proc.stdout.readline), 30)
        urls = json.loads(line)
        yield Exchange(proc, urls["rest"], urls["ws"])
    finally:
        proc.send_signal(signal.SIGCONT)
        proc.kill()
        proc.wait()


@dataclass
class Trader:
    """Places resting orders and cancels some, recording what each create returned."""

    rest: ParadexRest
    conn: VenueConnection
    md: MarketDataService
    rng: random.Random
    outcomes: dict[str, str] = field(default_factory=dict)
    running: bool = True

    async def run(self) -> None:
        instrument = self.conn.instruments[M]
        n = 0
        while self.running:
            n += 1
            book = self.md.book(M)
            best = book.best_bid() if book is not None and not book.stale else None
            if best is None:
                await asyncio.sleep(0.2)
                continue
            price = instrument.round_price(Decimal(best[0]).scaleb(-8) * Decimal("0.98"), Side.BUY)
            size = instrument.round_size(instrument.min_notional / price * 2)
            client_id = f"chaos-{n}"
            order = NewOrder(
                M,
                Side.BUY,
                OrderType.LIMIT,
                size or instrument.step_size,
                price,
                client_id=client_id,
            )
            try:
                placed = await self.rest.orders.create(order)
            except OrderStatusUnknown:
                self.outcomes[client_id] = "unknown"
            except OrderRejected as exc:
                self.outcomes[client_id] = f"rejected {exc.code}"
            except ParadexError as exc:
                self.outcomes[client_id] = f"failed {exc.code}"
            else:
                self.outcomes[client_id] = "placed"
                if self.rng.random() < 0.4:
                    # A failed cancel is fine: the final comparison says what is open.
                    with contextlib.suppress(ParadexError):
                        await self.rest.orders.cancel(placed.id)
            await asyncio.sleep(self.rng.uniform(0.2, 0.6))


class BookTap:
    """Keeps the top of the book at each sequence number, once asked to."""

    def __init__(self) -> None:
        self.book: OrderBook | None = None
        self.at_seq: dict[int, tuple[list[Any], list[Any]]] = {}
        self.taping = False
        self.stale_updates = 0  # while taping: why a sequence number may be missing
        self.changed = asyncio.Event()

    def __call__(self, book: OrderBook) -> None:
        self.book = book
        if self.taping and book.seq_no is not None:
            if book.stale:
                self.stale_updates += 1
            else:
                self.at_seq[book.seq_no] = book.top(DEPTH)
        self.changed.set()

    def explain(self, asked: list[int]) -> str:
        """What the tap saw, for a failed match to explain itself."""
        seen = sorted(self.at_seq)
        span = f"{seen[0]}..{seen[-1]}" if seen else "none"
        book = self.book
        state = "no book" if book is None else f"stale={book.stale} {book.stale_reason!r}"
        return (
            f"snapshot seqs {asked}; recorded {len(seen)} seqs ({span}); "
            f"{self.stale_updates} updates while stale; {state}"
        )

    async def until(self, predicate: Callable[[OrderBook], bool], within: float) -> None:
        async with asyncio.timeout(within):
            while self.book is None or not predicate(self.book):
                self.changed.clear()
                await self.changed.wait()


async def test_chaos(exchange: Exchange, caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.WARNING)
    rng = random.Random(SEED)
    steps = schedule(rng)
    supervisor = Supervisor()
    venue = await ParadexVenue.open(
        exchange.rest,
        exchange.ws,
        private_key=generate_private_key(),
        ws_options={"backoff_initial": 0.05, "backoff_max": 1.0, "stale_after": 3.0},
    )
    conn = VenueConnection(venue, supervisor, trading=venue.trading)
    rest = venue.rest
    try:
        md = MarketDataService(conn, supervisor)
        account = AccountDataService(conn, supervisor)
        account_changed = asyncio.Event()
        account.add_listener(lambda _kind: account_changed.set())
        states: list[tuple[ConnectionState, str]] = []
        conn.add_state_listener(lambda state, reason: states.append((state, reason)))
        await asyncio.wait_for(account.start(), 15)
        tap = BookTap()
        md.watch_book(M, tap)
        trades: list[object] = []
        md.watch_trades(M, trades.append)
        await tap.until(lambda b: not b.stale, 15)

        trader = Trader(rest, conn, md, random.Random(SEED + 1))
        trading = supervisor.spawn(trader.run(), name="chaos trader")
        started = time.monotonic()
        for duration, step in steps:
            if step == STALL:
                os.kill(exchange.proc.pid, signal.SIGSTOP)
                await asyncio.sleep(duration)  # the stall itself: nothing to wait for
                os.kill(exchange.proc.pid, signal.SIGCONT)
            else:
                await exchange.fault(step)
                await asyncio.sleep(duration)  # the fault's duration, not a synchronisation
                await exchange.fault(CLEAR)
        assert time.monotonic() - started < SCHEDULE_S + 15
        trader.running = False
        await asyncio.wait_for(asyncio.wait([trading]), 30)
        faults_over = md.stats().total
        trades_at_end = len(trades)

        # Live again, and data flowed after the last fault (checked at each book update).
        await tap.until(
            lambda b: (
                not b.stale
                and conn.state is ConnectionState.LIVE
                and account.live
                and md.stats().total > faults_over
                and len(trades) > trades_at_end
            ),
            SETTLE_S,
        )

        # The book equals the exchange's snapshot at the same sequence number.
        tap.taping = True
        matched = False
        asked: list[int] = []
        # A snapshot's sequence number is a message boundary on the feed only some of the
        # time (several events can share a message): ask until one is.
        for _ in range(40):
            snapshot = await rest.public.orderbook(M, depth=DEPTH)
            asked.append(snapshot.seq_no)
            await tap.until(lambda b, s=snapshot: b.seq_no is not None and b.seq_no >= s.seq_no, 10)
            ours = tap.at_seq.get(snapshot.seq_no)
            if ours is None:
                continue  # that sequence number came inside a batch or a resync
            assert ours == (snapshot.bids[:DEPTH], snapshot.asks[:DEPTH])
            matched = True
            break
        assert matched, f"never saw a snapshot's sequence number on the feed: {tap.explain(asked)}"

        # Open orders equal the exchange's list (the account service converges on it).
        venue_open = {o.id for o in await rest.account.open_orders()}
        async with asyncio.timeout(SETTLE_S):
            while set(account.open_orders) != venue_open:
                account_changed.clear()
                await account_changed.wait()
                venue_open = {o.id for o in await rest.account.open_orders()}

        # Never lost, never doubled.
        assert "placed" in trader.outcomes.values(), trader.outcomes
        open_now = await rest.account.open_orders()
        for client_id, outcome in trader.outcomes.items():
            history = await rest.account.orders_history(client_id=client_id)
            ids = {o.id for o in history.items} | {
                o.id for o in open_now if o.client_id == client_id
            }
            assert len(ids) <= 1, (client_id, outcome, ids)
            if outcome == "placed":
                assert len(ids) == 1, (client_id, outcome)

        # The schedule did bite: the feed went stale (a stall, late data) and reconnected,
        # books resynced after gaps, and orders met their faults.
        seen = {state for state, _ in states}
        assert {ConnectionState.STALE, ConnectionState.RECONNECTING} <= seen, states
        assert any(r.getMessage().endswith("resyncing") for r in caplog.records)
        print(
            "chaos figures:",
            json.dumps(
                {
                    "orders": dict(sorted(Counter(trader.outcomes.values()).items())),
                    "states": dict(Counter(str(state) for state, _ in states)),
                    "reconnects": md.stats().reconnects,
                    "messages": md.stats().total,
                    "frame_failures": venue.ws.failures.total + conn.subscriptions.failures.total,
                }
            ),
        )
        assert venue.ws.failures.total == 0 and conn.subscriptions.failures.total == 0
        tracebacks = [r for r in caplog.records if r.exc_info]
        assert not tracebacks, [r.getMessage() for r in tracebacks]
    finally:
        await supervisor.shutdown(timeout=5)
