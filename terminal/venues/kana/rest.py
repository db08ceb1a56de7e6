"""Kana's REST API: the one call the read-only venue needs, `getMarketInfo`."""

from __future__ import annotations

import httpx
import msgspec

from terminal.venues.kana.errors import KanaRestError, MarketNotListed
from terminal.venues.kana.markets import MarketInfo, MarketInfoResponse

TIMEOUT_S = 10.0
_RESPONSE = msgspec.json.Decoder(MarketInfoResponse)


class KanaRest:
    """A REST client for one Kana deployment (`api_key`: the `x-api-key` header, if any)."""

    def __init__(
        self,
        base_url: str,
        *,
        api_key: str | None = None,
        transport: httpx.AsyncBaseTransport | None = None,
    ) -> None:
        headers = {"x-api-key": api_key} if api_key else {}
        self.http = httpx.AsyncClient(
            base_url=base_url.rstrip("/"), headers=headers, timeout=TIMEOUT_S, transport=transport
        )

    async def market_info(self, market_id: str) -> MarketInfo:
        """`GET /getMarketInfo?marketId=…`; `MarketNotListed` when Kana knows no such id."""
        try:
            response = await self.http.get("/getMarketInfo", params={"marketId": market_id})
        except httpx.HTTPError as exc:
            raise KanaRestError("TRANSPORT", f"getMarketInfo {market_id}: {exc}") from exc
        if response.status_code >= 400:
            raise KanaRestError(
                "HTTP", f"getMarketInfo {market_id}: {response.text[:200]}", response.status_code
            )
        try:
            body = _RESPONSE.decode(response.content)
        except (msgspec.DecodeError, msgspec.ValidationError) as exc:
            raise KanaRestError("DECODE", f"getMarketInfo {market_id}: {exc}") from exc
        if not body.ok:
            raise KanaRestError("API", f"getMarketInfo {market_id}: {body.message}")
        rows = [row for row in body.data or () if row.market_id == market_id]
        if not rows:
            raise MarketNotListed("NOT_LISTED", f"market {market_id} is not listed")
        return rows[0]

    async def aclose(self) -> None:
        """Close the connection pool."""
        await self.http.aclose()
