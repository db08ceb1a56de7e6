"""Paradex behind the venue contract (terminal.venues.api): one REST client, one WebSocket.

    venue = await ParadexVenue.open(rest_url, ws_url, private_key=key)   # key None: read-only
    venue.instruments; venue.channel(Stream(StreamKind.BOOK, "BTC-USD-PERP"))
    await venue.subscribe(channel, callback); await venue.place(NewOrder(...))
    await venue.close()

`open` is the log-in handshake (PROTOCOL.md §5–§6): system config, clock skew, the account
address derived from the key with the config's class hashes, authentication (onboarding
first when the venue says NOT_ONBOARDED) and instruments. The WebSocket session is dialled
at the start, beside all of it; it authenticates itself once the log-in has a token, and
after a reconnect re-authenticates and resubscribes. Without a key only the public half
works (`trading` is None); the WebSocket then never authenticates.

Cancel-all travels on its own REST connection pool, so it never queues behind other
requests (or behind a stalled connection of the main pool).
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Awaitable, Callable, Coroutine, Mapping
from decimal import Decimal
from typing import Any
from urllib.parse import urlsplit

from terminal.domain.account import AccountSummary, Fill, FundingPayment, Position
from terminal.domain.connection import ConnectionState
from terminal.domain.instruments import Instrument
from terminal.domain.marketdata import BookUpdate, Candle, Trade
from terminal.domain.orders import NewOrder, Order, OrderAck
from terminal.domain.streams import Stream
from terminal.venues.api import LostListener, StateListener, StreamCallback
from terminal.venues.paradex.channels import channel_name
from terminal.venues.paradex.crypto.signing import (
    ParadexSigner,
    account_address,
    chain_id_from_name,
    public_key_from_private,
)
from terminal.venues.paradex.errors import error_from_response
from terminal.venues.paradex.http.client import ParadexRest
from terminal.venues.paradex.http.transport import RestTransport, context_for
from terminal.venues.paradex.http.urgent_line import Answer, UrgentLine
from terminal.venues.paradex.schemas.private import SystemConfig
from terminal.venues.paradex.timing import TimedSigner
from terminal.venues.paradex.ws.session import WsSession
from terminal.venues.tasks import settle

log = logging.getLogger(__name__)

NAME = "Paradex"


class ParadexTrading:
    """The trading half of the contract for one authenticated account."""

    def __init__(
        self,
        rest: ParadexRest,
        signer: TimedSigner,
        urgent: RestTransport,
        line: UrgentLine | None = None,
    ) -> None:
        self._rest = rest
        self._signer = signer
        self._urgent = urgent
        self.line = line
        """The kill switch's pre-opened connection (its owner keeps it open: upkeep)."""

    def __repr__(self) -> str:
        return f"ParadexTrading(account={self.account_label})"

    @property
    def account_label(self) -> str:
        """The L2 account address in hex."""
        return f"{self._signer.account:#x}"

    async def place(self, order: NewOrder) -> OrderAck:
        """Sign and send `order`; reconciled by client id when the answer is lost."""
        start = time.perf_counter()
        placed = await self._rest.orders.create(order)
        return self._ack(placed, start)

    async def modify(
        self, order: Order, *, price: Decimal | None = None, size: Decimal | None = None
    ) -> OrderAck:
        """`PUT /orders/{id}` with a ModifyOrder signature; read back when the answer is lost."""
        start = time.perf_counter()
        modified = await self._rest.orders.modify(order, price=price, size=size)
        return self._ack(modified, start)

    async def cancel(self, order_id: str) -> None:
        """`DELETE /orders/{id}`."""
        await self._urgent.send("DELETE", f"/orders/{order_id}", auth=True)

    def cancel_all(self, market: str | None = None) -> Awaitable[None]:
        """`DELETE /orders[?market=]`, written to the urgent line before this returns when
        the line is up and a JWT is at hand; else sent on the urgent pool."""
        query = {"market": market}
        token = self._rest.jwt.current()
        headers = {"Authorization": f"Bearer {token}", "Accept": "application/json"}
        answer = (
            self.line.send_now("DELETE", "/orders", query, headers)
            if self.line is not None and token is not None
            else None
        )
        if answer is None:
            return self._pooled_cancel_all(query)
        return self._answered(answer, token)

    async def _pooled_cancel_all(self, query: Mapping[str, str | None]) -> None:
        await self._urgent.send("DELETE", "/orders", params=query, auth=True)

    async def _answered(self, answer: Awaitable[Answer], token: str | None) -> None:
        result = await answer
        if result.status == 401 and token is not None:
            self._rest.jwt.invalidate(token)  # the next attempt signs in again
        if result.status >= 400:
            raise error_from_response(result.status, result.body)

    async def find_order(self, client_id: str) -> Order:
        """The order with `client_id`, open or closed."""
        return await self._rest.orders.find(client_id)

    async def open_orders(self, market: str | None = None) -> list[Order]:
        """`GET /orders`."""
        return await self._rest.account.open_orders(market)

    async def positions(self) -> list[Position]:
        """`GET /positions`."""
        return await self._rest.account.positions()

    async def fills(self, limit: int) -> list[Fill]:
        """`GET /fills`, newest first."""
        return (await self._rest.account.fills(page_size=limit)).items

    async def funding_payments(self, limit: int) -> list[FundingPayment]:
        """`GET /funding/payments`, newest first."""
        return (await self._rest.account.funding_payments(page_size=limit)).items

    async def order_history(self, limit: int) -> list[Order]:
        """`GET /orders-history`, newest first."""
        return (await self._rest.account.orders_history(page_size=limit)).items

    async def account_summary(self) -> AccountSummary:
        """`GET /account`."""
        return await self._rest.account.account()

    def _ack(self, order: Order, start: float) -> OrderAck:
        total_ms = (time.perf_counter() - start) * 1000
        sign_ms = self._signer.last_order_ms
        return OrderAck(order, sign_ms=sign_ms, rtt_ms=max(total_ms - sign_ms, 0.0))


class ParadexVenue:
    """Market data (and, with a key, trading) on one Paradex-compatible venue."""

    def __init__(
        self,
        rest: ParadexRest,
        ws: WsSession,
        instruments: Mapping[str, Instrument],
        clock_skew_ms: int,
        trading: ParadexTrading | None,
        urgent: RestTransport | None = None,
    ) -> None:
        self.rest = rest
        self.ws = ws
        self.trading = trading
        self._instruments = dict(instruments)
        self._clock_skew_ms = clock_skew_ms
        self._urgent = urgent
        self._closed = False

    def __repr__(self) -> str:
        return f"ParadexVenue({self.rest.http.base_url!r}, trading={self.trading is not None})"

    @classmethod
    async def open(
        cls,
        rest_url: str,
        ws_url: str,
        *,
        private_key: int | None,
        account: int | None = None,
        ethereum_account: str | None = None,
        sbe_version: int | None = 2,
        interactive: bool = False,
        rest: ParadexRest | None = None,
        ws_options: Mapping[str, Any] | None = None,
    ) -> ParadexVenue:
        """Log in (or, without a key, only load the markets) while the WebSocket connects.

        `account` is the L2 address the key signs for: required for a subkey (the main
        account) and for accounts not deployed through the Paraclear proxy; by default it
        is derived from the key (§5.2). `ethereum_account` goes in the onboarding header.
        `rest` replaces the REST client (tests pass one over a mock transport);
        `ws_options` go to `WsSession` (e.g. `backoff_initial`, `stale_after`).
        """
        rest = rest or ParadexRest(rest_url)
        key_attached = asyncio.Event()

        async def session_token() -> str:
            await key_attached.wait()  # the session may connect before the key is attached
            return await rest.jwt.token()

        ws = WsSession(
            ws_url,
            sbe_version=sbe_version,
            token_provider=session_token if private_key is not None else None,
            venue_clock_ms=rest.clock.now_ms,
            **(ws_options or {}),
        )
        # The WebSocket's handshake (TCP, TLS and the upgrade: 2-3 round trips to a real
        # venue) needs neither the config nor a token: it runs while REST signs in.
        live = asyncio.create_task(ws.start(), name="ws start")
        side_tasks: list[asyncio.Task[Any]] = [live]
        urgent: RestTransport | None = None
        try:
            config = await rest.public.system_config()
            skew = await rest.sync_clock()
            # Public: fetched while the key logs in, after the clock sync so that its round
            # trip is measured without a large answer in the way.
            markets = asyncio.create_task(rest.public.markets(), name="markets")
            side_tasks.append(markets)
            trading = None
            if private_key is not None:
                signer = _attach_key(
                    rest, config, private_key, account, interactive, ethereum_account
                )
                key_attached.set()
                # The session's token request runs on a later loop turn; this log-in takes
                # JwtManager's lock first, so that request waits for it, not a second log-in.
                await rest.jwt.token()
                urgent = RestTransport(rest.http.base_url, max_retries=1)
                urgent.tokens = rest.jwt
                line = UrgentLine(rest.http.base_url, context_for(urlsplit(rest_url).scheme))
                trading = ParadexTrading(rest, signer, urgent, line)
            instruments = {i.symbol: i for i in await markets}
            venue = cls(rest, ws, instruments, skew, trading, urgent)
            await live
        except BaseException:
            await settle(side_tasks)
            await ws.close()
            if urgent is not None:
                await urgent.aclose()
            await rest.aclose()
            raise
        log.info(
            "connected to %s (%d markets, clock skew %d ms, %s)",
            rest.http.base_url,
            len(instruments),
            skew,
            trading or "read-only",
        )
        return venue

    @property
    def name(self) -> str:
        """ "Paradex"."""
        return NAME

    @property
    def instruments(self) -> Mapping[str, Instrument]:
        """Markets by symbol."""
        return self._instruments

    @property
    def clock_skew_ms(self) -> int:
        """Venue clock minus ours, in ms."""
        return self._clock_skew_ms

    @property
    def state(self) -> ConnectionState:
        """The WebSocket session's state."""
        return self.ws.state

    def add_state_listener(self, callback: StateListener) -> None:
        """Forward the WebSocket session's state changes."""
        self.ws.add_state_listener(callback)

    def add_subscription_lost_listener(self, callback: LostListener) -> None:
        """Forward subscriptions the venue refused to renew."""
        self.ws.add_subscription_lost_listener(callback)

    def data_age(self) -> float | None:
        """The WebSocket session's measure of how late market data arrives."""
        return self.ws.data_age()

    def channel(self, stream: Stream) -> str:
        """The Paradex channel name of `stream`."""
        return channel_name(stream)

    async def subscribe(self, channel: str, callback: StreamCallback) -> None:
        """Subscribe on the session and wait for the ack."""
        await self.ws.subscribe(channel, callback)

    async def unsubscribe(self, channel: str) -> None:
        """Unsubscribe on the session."""
        await self.ws.unsubscribe(channel)

    async def book_snapshot(self, market: str, depth: int) -> BookUpdate:
        """`GET /orderbook/{market}` (same seq_no as the deltas channel)."""
        return await self.rest.public.orderbook(market, depth=depth)

    async def klines(
        self, market: str, resolution_min: int, start_ms: int, end_ms: int
    ) -> list[Candle]:
        """`GET /markets/klines`."""
        return await self.rest.public.klines(market, resolution_min, start_ms, end_ms)

    async def recent_trades(self, market: str, limit: int) -> list[Trade]:
        """`GET /trades`, newest first."""
        return (await self.rest.public.trades(market, page_size=limit)).items

    def upkeep(self) -> Mapping[str, Callable[[], Coroutine[Any, Any, None]]]:
        """The JWT renewal and the cancel-all line, when trading (a read-only session has
        neither)."""
        if self.trading is None:
            return {}
        tasks = {"jwt refresh": self.rest.jwt.refresh_forever}
        if self.trading.line is not None:
            tasks["urgent line"] = self.trading.line.keep_open
        return tasks

    async def close(self) -> None:
        """Close the WebSocket and both REST pools; idempotent."""
        if self._closed:
            return
        self._closed = True
        try:
            await self.ws.close()
        finally:
            if self._urgent is not None:
                await self._urgent.aclose()
            if self.trading is not None and self.trading.line is not None:
                self.trading.line.close()
            await self.rest.aclose()


def _attach_key(
    rest: ParadexRest,
    config: SystemConfig,
    private_key: int,
    account: int | None,
    interactive: bool,
    ethereum_account: str | None,
) -> TimedSigner:
    """Sign with `private_key` for `account` (by default the key's Paraclear account, §5.2)
    on the venue's chain; the signer `rest` logs in with."""
    if account is None:
        account = account_address(
            public_key_from_private(private_key),
            int(config.paraclear_account_proxy_hash, 16),
            int(config.paraclear_account_hash, 16),
        )
    chain_id = chain_id_from_name(config.starknet_chain_id)
    signer = TimedSigner(ParadexSigner(private_key, account, chain_id))
    rest.attach_signer(signer, interactive=interactive, ethereum_account=ethereum_account)
    return signer
