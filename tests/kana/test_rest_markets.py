"""Loading markets over `getMarketInfo`: listed, unlisted, unrepresentable, failing."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import httpx
import msgspec
import pytest

from terminal.venues.kana.errors import KanaError, KanaRestError, MarketNotListed
from terminal.venues.kana.rest import KanaRest
from terminal.venues.kana.venue import _load_markets

from .conftest import apt_info

Answer = Callable[[str], tuple[int, Any]]


def rest_answering(answer: Answer) -> KanaRest:
    def handle(request: httpx.Request) -> httpx.Response:
        assert request.url.path == "/getMarketInfo"
        status, body = answer(request.url.params["marketId"])
        return httpx.Response(status, content=json.dumps(body).encode())

    return KanaRest("https://kana.test", transport=httpx.MockTransport(handle))


def info_row(market_id: str, **changes: Any) -> dict[str, Any]:
    row: dict[str, Any] = msgspec.to_builtins(apt_info(market_id))
    return {**row, **changes}


def listed(rows: dict[str, dict[str, Any]]) -> Answer:
    return lambda market_id: (
        200,
        {"success": True, "message": "ok", "data": [rows[market_id]] if market_id in rows else []},
    )


async def test_unlisted_and_unrepresentable_markets_are_left_out() -> None:
    rest = rest_answering(
        listed(
            {
                "501": info_row("501"),
                "66": info_row("66"),  # a second APT/USDC market
                "301": info_row("301", lot_size="150000000"),  # a tick of 1/1500 USDC
            }
        )
    )
    markets = await _load_markets(rest, ["501", "66", "301", "7"])
    assert [(m.market_id, m.symbol) for m in markets] == [
        ("501", "APT-USDC-PERP"),
        ("66", "APT-USDC-PERP-66"),
    ]
    await rest.aclose()


async def test_no_market_at_all_is_an_error() -> None:
    rest = rest_answering(listed({}))
    with pytest.raises(MarketNotListed):
        await rest.market_info("7")
    with pytest.raises(KanaError):
        await _load_markets(rest, ["7"])
    await rest.aclose()


@pytest.mark.parametrize(
    ("status", "body"),
    [(500, {"message": "boom"}), (200, {"success": False, "message": "no"}), (200, [1])],
)
async def test_failures_are_kana_rest_errors(status: int, body: Any) -> None:
    rest = rest_answering(lambda _id: (status, body))
    with pytest.raises(KanaRestError):
        await _load_markets(rest, ["501"])
    await rest.aclose()


async def test_status_spelling_and_extra_fields_are_read() -> None:
    row = info_row("501", quote_type="0x1::asset::USDC", creator="0xb61d")
    rest = rest_answering(lambda _id: (200, {"status": True, "message": "ok", "data": [row]}))
    info = await rest.market_info("501")
    market = info.to_domain()
    assert str(market.instrument.tick_size) == "0.001" and str(market.min_size) == "0.5"
    await rest.aclose()
