"""Kana Labs perps behind the market half of the venue contract (terminal.venues.api).

    venue = await KanaVenue.open(rest_url, ws_url, market_ids=TESTNET.market_ids)
    venue.instruments; venue.channel(Stream(StreamKind.BOOK, "BTC-USDC-PERP"))
    watch = venue.watch_address("0x4d6d…")          # then POSITIONS / ORDERS / FILLS streams
    await venue.subscribe(venue.channel(Stream(StreamKind.POSITIONS)), on_position)
    await venue.close()

Read-only: no `TradingVenue` (trading on Kana needs Aptos transactions). What each stream
carries, from the indexer's topics (seeds/004):
- BOOK: `orderbook` replies as `BookUpdate`s (`book.BookAssembler`).
- POSITIONS, ORDERS, FILLS: the watched address's `positions`; `open_orders` and
  `order_history`; `trade_history` — as `Position`, `Order`, `Fill` (`KanaAccountWatch`).
  They follow the address last given to `watch_address`; the channel names carry it.
- TRADES, BBO, SUMMARIES, ACCOUNT: the indexer publishes none of them. Their channels
  subscribe (so the panels need no venue test) and stay silent; nothing is synthesised.
History: `klines` and `recent_trades` are empty (no such REST call is known), and
`book_snapshot` raises (no REST book): every `orderbook` reply is itself a snapshot.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Callable, Coroutine, Iterable, Mapping
from typing import Any

from terminal.domain.connection import ConnectionState
from terminal.domain.instruments import Instrument
from terminal.domain.marketdata import BookUpdate, Candle, Trade
from terminal.domain.streams import Stream, StreamKind
from terminal.venues.api import LostListener, StateListener, StreamCallback
from terminal.venues.kana.account import KanaAccountWatch
from terminal.venues.kana.addresses import normalize_address
from terminal.venues.kana.book import BookAssembler
from terminal.venues.kana.errors import (
    KanaError,
    MarketNotListed,
    UnknownChannel,
    UnrepresentableMarket,
)
from terminal.venues.kana.markets import KanaMarket
from terminal.venues.kana.rest import KanaRest
from terminal.venues.kana.schemas import (
    OPEN_ORDERS,
    ORDER_HISTORY,
    ORDERBOOK,
    POSITIONS,
    TRADE_HISTORY,
)
from terminal.venues.kana.session import KanaSession, RowsCallback, TopicKey
from terminal.venues.tasks import settle

log = logging.getLogger(__name__)

NAME = "Kana"
SILENT = frozenset({StreamKind.TRADES, StreamKind.BBO, StreamKind.SUMMARIES, StreamKind.ACCOUNT})
"""Streams the indexer does not publish: subscribed, never delivering."""
_ADDRESS_KINDS = {StreamKind.POSITIONS, StreamKind.ORDERS, StreamKind.FILLS}


class KanaVenue:
    """Order books and a read-only account watch on one Kana deployment."""

    def __init__(self, rest: KanaRest, session: KanaSession, markets: Iterable[KanaMarket]) -> None:
        self.rest = rest
        self.session = session
        self._markets = {m.symbol: m for m in markets}
        self._by_id = {m.market_id: m for m in self._markets.values()}
        self._instruments = {s: m.instrument for s, m in self._markets.items()}
        self._watches: dict[str, KanaAccountWatch] = {}
        self._watched: KanaAccountWatch | None = None
        self._topics: dict[str, list[TopicKey]] = {}
        self._closed = False

    def __repr__(self) -> str:
        return f"KanaVenue({self.rest.http.base_url!r}, markets={sorted(self._by_id)})"

    @classmethod
    async def open(
        cls,
        rest_url: str,
        ws_url: str,
        *,
        market_ids: Iterable[str],
        rest: KanaRest | None = None,
        session_options: Mapping[str, Any] | None = None,
    ) -> KanaVenue:
        """Load the markets over REST while the indexer's WebSocket connects.

        A market Kana does not list, or whose scales the domain cannot hold exactly, is
        left out (logged); `KanaError` if none is left. `session_options` go to
        `KanaSession` (e.g. `backoff_initial`, `stale_after`).
        """
        rest = rest or KanaRest(rest_url)
        session = KanaSession(ws_url, **(session_options or {}))
        # The WebSocket's handshake needs no market: it runs while the markets load.
        live = asyncio.create_task(session.start(), name="kana ws start")
        try:
            markets = await _load_markets(rest, list(market_ids))
            venue = cls(rest, session, markets)
            await live
        except BaseException:
            await settle([live])
            await session.close()
            await rest.aclose()
            raise
        log.info("connected to Kana at %s (%d markets, read-only)", rest_url, len(markets))
        return venue

    @property
    def name(self) -> str:
        """ "Kana"."""
        return NAME

    @property
    def instruments(self) -> Mapping[str, Instrument]:
        """Markets by symbol ("BTC-USDC-PERP")."""
        return self._instruments

    @property
    def markets(self) -> Mapping[str, KanaMarket]:
        """Kana's markets by symbol, with their ids and scales."""
        return self._markets

    @property
    def clock_skew_ms(self) -> int:
        """0: the indexer tells no time."""
        return 0

    @property
    def state(self) -> ConnectionState:
        """The indexer session's state."""
        return self.session.state

    def add_state_listener(self, callback: StateListener) -> None:
        """Forward the session's state changes."""
        self.session.add_state_listener(callback)

    def add_subscription_lost_listener(self, callback: LostListener) -> None:
        """Never called: the indexer refuses nothing, so no renewal is ever refused."""

    def data_age(self) -> float | None:
        """Not measured: a reply's rows say when each level last changed, not when the
        reply was sent (a quiet level is old and still true)."""
        return None

    def watch_address(self, address: str) -> KanaAccountWatch:
        """Follow `address` on the POSITIONS, ORDERS and FILLS streams from now on."""
        key = normalize_address(address)
        watch = self._watches.get(key)
        if watch is None:
            watch = self._watches[key] = KanaAccountWatch(key, self._by_id)
        self._watched = watch
        return watch

    def channel(self, stream: Stream) -> str:
        """`orderbook.<symbol>`, `positions|orders|fills.<address>`, or a silent stream's."""
        kind = stream.kind
        if kind in _ADDRESS_KINDS or kind is StreamKind.ACCOUNT:
            if self._watched is None:
                raise KanaError("NO_ADDRESS", f"no address watched for the {kind} stream")
            return f"{kind}.{self._watched.address}"
        if kind is StreamKind.SUMMARIES:
            return str(kind)
        if not stream.market:
            raise ValueError(f"a {kind} stream needs a market")
        if stream.market not in self._markets:
            raise UnknownChannel("CHANNEL", f"no Kana market {stream.market!r}")
        return f"{ORDERBOOK if kind is StreamKind.BOOK else kind}.{stream.market}"

    async def subscribe(self, channel: str, callback: StreamCallback) -> None:
        """Subscribe the channel's indexer topics (none for a silent stream)."""
        routes = self._routes(channel, callback)
        done: list[TopicKey] = []
        try:
            for key, on_rows in routes.items():
                await self.session.subscribe(key, on_rows)
                done.append(key)
        except BaseException:
            for key in done:
                await self.session.unsubscribe(key)
            raise
        self._topics[channel] = done

    async def unsubscribe(self, channel: str) -> None:
        """Stop the channel's topics."""
        for key in self._topics.pop(channel, []):
            await self.session.unsubscribe(key)

    async def book_snapshot(self, market: str, depth: int) -> BookUpdate:
        """Not offered: Kana has no REST book, and each `orderbook` reply is a snapshot."""
        raise KanaError("UNSUPPORTED", "Kana has no REST order book; the stream resends it")

    async def klines(
        self, market: str, resolution_min: int, start_ms: int, end_ms: int
    ) -> list[Candle]:
        """None: no candle call is known on Kana's REST API."""
        return []

    async def recent_trades(self, market: str, limit: int) -> list[Trade]:
        """None: Kana publishes no public trades."""
        return []

    def upkeep(self) -> Mapping[str, Callable[[], Coroutine[Any, Any, None]]]:
        """Nothing: no token to renew."""
        return {}

    async def close(self) -> None:
        """Close the WebSocket and the REST client; idempotent."""
        if self._closed:
            return
        self._closed = True
        try:
            await self.session.close()
        finally:
            await self.rest.aclose()

    def _routes(self, channel: str, callback: StreamCallback) -> dict[TopicKey, RowsCallback]:
        """The indexer topics behind `channel`, each with its rows → domain step."""
        family, _, key = channel.partition(".")
        if family in SILENT:
            return {}
        if family == ORDERBOOK and key in self._markets:
            assembler = BookAssembler(self._markets[key], _now_ms)
            return {
                TopicKey(ORDERBOOK, self._markets[key].market_id): _each(
                    lambda rows: [assembler.update(rows)], callback
                )
            }
        watch = self._watches.get(key)
        if watch is None:
            raise UnknownChannel("CHANNEL", f"not a channel of this venue: {channel!r}")
        if family == StreamKind.POSITIONS:
            return {TopicKey(POSITIONS, key): _each(watch.on_positions, callback)}
        if family == StreamKind.ORDERS:
            return {
                TopicKey(OPEN_ORDERS, key): _each(watch.on_open_orders, callback),
                TopicKey(ORDER_HISTORY, key): _each(watch.on_order_history, callback),
            }
        if family == StreamKind.FILLS:
            return {TopicKey(TRADE_HISTORY, key): _each(watch.on_trades, callback)}
        raise UnknownChannel("CHANNEL", f"not a channel of this venue: {channel!r}")


def _each(convert: Callable[[list[Any]], list[Any]], callback: StreamCallback) -> RowsCallback:
    """Rows → domain events, each handed to `callback`."""

    def on_rows(rows: list[Any]) -> None:
        for event in convert(rows):
            callback(event)

    return on_rows


def _now_ms() -> int:
    return int(time.time() * 1000)


async def _load_markets(rest: KanaRest, market_ids: list[str]) -> list[KanaMarket]:
    """`getMarketInfo` for each id, at once; the markets the domain can hold."""
    answers = await asyncio.gather(
        *(rest.market_info(i) for i in market_ids), return_exceptions=True
    )
    markets: list[KanaMarket] = []
    symbols: set[str] = set()
    for market_id, answer in zip(market_ids, answers, strict=True):
        try:
            if isinstance(answer, BaseException):
                raise answer
            market = answer.to_domain()
        except (MarketNotListed, UnrepresentableMarket) as exc:
            log.info("Kana market %s left out: %s", market_id, exc)
            continue
        if market.symbol in symbols:
            # Two markets on one pair (testnet lists several): the id tells them apart.
            market = market.with_symbol(f"{market.symbol}-{market_id}")
        symbols.add(market.symbol)
        markets.append(market)
    if not markets:
        raise KanaError("NO_MARKETS", f"none of the markets {market_ids} could be loaded")
    return markets
