"""Public REST endpoints (§8.1 system, §8.2 market data): one typed method per endpoint."""

from __future__ import annotations

import logging
from typing import TypeVar

import msgspec

from terminal.domain.instruments import Instrument
from terminal.domain.marketdata import Bbo, BookUpdate, Candle, FundingData, MarketSummary, Trade
from terminal.domain.pages import Paged
from terminal.venues.paradex.errors import BadResponse
from terminal.venues.paradex.http.transport import Query, RestTransport
from terminal.venues.paradex.schemas.private import (
    MarketResp,
    Results,
    SystemConfig,
    SystemState,
    SystemTime,
)
from terminal.venues.paradex.schemas.public import (
    BboPayload,
    FundingDataPage,
    KlinesResponse,
    MarketsSummaryResponse,
    RestOrderBook,
    TradesPage,
)

log = logging.getLogger(__name__)

KLINE_RESOLUTIONS = (1, 3, 5, 15, 30, 60)
"""The only bar sizes (minutes) the venue serves."""


class PublicApi:
    """System and market-data endpoints; no JWT needed."""

    def __init__(self, http: RestTransport) -> None:
        self._http = http

    async def system_config(self) -> SystemConfig:
        """`GET /system/config`: chain id and class hashes (read them, never hard-code)."""
        return await self._http.get("/system/config", SystemConfig)

    async def server_time_ms(self) -> int:
        """`GET /system/time`: the venue's clock, ms."""
        return (await self._http.get("/system/time", SystemTime)).to_domain()

    async def system_state(self) -> str:
        """`GET /system/state`: `ok`, `maintenance`, `cancel_only` or `post_only`."""
        return (await self._http.get("/system/state", SystemState)).to_domain()

    async def markets(self, market: str | None = None) -> list[Instrument]:
        """`GET /markets`: every market (or one) as instruments.

        A market described in a way nobody can trade on safely (a garbled tick, step or fee)
        is left out and logged; the others are kept, so one bad row does not keep the
        terminal from connecting.
        """
        answer = await self._http.get("/markets", Results[msgspec.Raw], params={"market": market})
        instruments = []
        for row in answer.results:
            try:
                instruments.append(_MARKET.decode(row).to_domain())
            except (msgspec.DecodeError, ValueError) as exc:
                log.warning(
                    "left out market %s: the venue describes it wrongly (%s)", _symbol(row), exc
                )
        return instruments

    async def markets_summary(self, market: str = "ALL") -> list[MarketSummary]:
        """`GET /markets/summary` for one market or `ALL`."""
        answer = await self._http.get(
            "/markets/summary", MarketsSummaryResponse, params={"market": market}
        )
        return [row.to_domain() for row in answer.results]

    async def orderbook(
        self,
        market: str,
        *,
        depth: int | None = None,
        price_tick: str | None = None,
        interactive: bool = False,
    ) -> BookUpdate:
        """`GET /orderbook/{market}[/interactive]` as a snapshot sharing the deltas' `seq_no`.

        `price_tick` uses the venue's underscore form ("0_1").
        """
        path = f"/orderbook/{market}" + ("/interactive" if interactive else "")
        params = {"depth": depth, "price_tick": price_tick}
        book = _for_market(await self._http.get(path, RestOrderBook, params=params), market)
        try:
            return book.to_domain()
        except ValueError as exc:  # a level that is no plain decimal (units are exact)
            raise BadResponse(f"unexpected order book level: {exc}") from exc

    async def bbo(self, market: str, *, interactive: bool = False) -> Bbo:
        """`GET /bbo/{market}[/interactive]`."""
        path = f"/bbo/{market}" + ("/interactive" if interactive else "")
        return _for_market(await self._http.get(path, BboPayload), market).to_domain()

    async def trades(
        self,
        market: str,
        *,
        start_at: int | None = None,
        end_at: int | None = None,
        cursor: str | None = None,
        page_size: int | None = None,
    ) -> Paged[Trade]:
        """`GET /trades`, one page, newest first."""
        params = {
            "market": market,
            "start_at": start_at,
            "end_at": end_at,
            "cursor": cursor,
            "page_size": page_size,
        }
        page = await self._http.get("/trades", TradesPage, params=params)
        return Paged([row.to_domain() for row in page.results], page.next)

    async def klines(
        self,
        symbol: str,
        resolution: int,
        start_at: int,
        end_at: int,
        *,
        price_kind: str | None = None,
    ) -> list[Candle]:
        """`GET /markets/klines`: bars of `resolution` minutes (one of `KLINE_RESOLUTIONS`)."""
        if resolution not in KLINE_RESOLUTIONS:
            raise ValueError(f"resolution must be one of {KLINE_RESOLUTIONS}, not {resolution}")
        params: Query = {
            "symbol": symbol,
            "resolution": resolution,
            "start_at": start_at,
            "end_at": end_at,
            "price_kind": price_kind,
        }
        return (await self._http.get("/markets/klines", KlinesResponse, params=params)).to_domain()

    async def funding_data(
        self,
        market: str,
        *,
        start_at: int | None = None,
        end_at: int | None = None,
        cursor: str | None = None,
        page_size: int | None = None,
    ) -> Paged[FundingData]:
        """`GET /funding/data`, one page."""
        params = {
            "market": market,
            "start_at": start_at,
            "end_at": end_at,
            "cursor": cursor,
            "page_size": page_size,
        }
        page = await self._http.get("/funding/data", FundingDataPage, params=params)
        return Paged([row.to_domain() for row in page.results], page.next)


_MARKET = msgspec.json.Decoder(MarketResp)


class _Symbol(msgspec.Struct):
    symbol: str = "?"


_Answer = TypeVar("_Answer", RestOrderBook, BboPayload)


def _for_market(answer: _Answer, market: str) -> _Answer:
    """`answer`, if it is about `market`; BadResponse if the venue answered for another."""
    if answer.market != market:
        raise BadResponse(f"asked about {market}, answered about {answer.market!r}")
    return answer


def _symbol(row: msgspec.Raw) -> str:
    """The symbol a market row names, for the log ("?" if even that is unreadable)."""
    try:
        return msgspec.json.decode(row, type=_Symbol).symbol
    except msgspec.DecodeError:
        return "?"
