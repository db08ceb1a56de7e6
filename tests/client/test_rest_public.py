"""Public REST endpoints: request shapes and the mapping to domain objects."""

from __future__ import annotations

from decimal import Decimal

import pytest

from terminal.domain.orders import Side
from terminal.domain.units import units_from_str
from terminal.venues.paradex.errors import BadResponse, NotFound

MARKET = {
    "symbol": "BTC-USD-PERP",
    "base_currency": "BTC",
    "quote_currency": "USD",
    "settlement_currency": "USDC",
    "asset_kind": "PERP",
    "order_size_increment": "0.001",
    "price_tick_size": "0.1",
    "min_notional": "10",
    "max_order_size": "100",
    "position_limit": "500",
    "max_open_orders": 100,
    "price_bands_width": "0.05",
    "max_slippage": "0.03",
    "funding_period_hours": 8,
    "delta1_cross_margin_params": {"imf_base": "0.05"},
    "some_new_field": [1, 2],
}


async def test_system_config_time_state(rest, venue):
    venue.route(
        "GET",
        "/system/config",
        lambda r: venue.json(
            200,
            {
                "starknet_chain_id": "PRIVATE_SN_PARACLEAR_TESTNET",
                "l1_chain_id": "11155111",
                "paraclear_account_hash": "0x41",
                "paraclear_account_proxy_hash": "0x35",
                "bridged_tokens": [],
            },
        ),
    )
    venue.route("GET", "/system/time", lambda r: venue.json(200, {"server_time": "1681493415023"}))
    venue.route("GET", "/system/state", lambda r: venue.json(200, {"status": "cancel_only"}))
    config = await rest.public.system_config()
    assert config.starknet_chain_id == "PRIVATE_SN_PARACLEAR_TESTNET"
    assert config.paraclear_account_proxy_hash == "0x35"
    assert await rest.public.server_time_ms() == 1681493415023
    assert await rest.public.system_state() == "cancel_only"
    assert venue.sent("GET", "/system/time").headers.get("authorization") is None


async def test_server_time_as_integer_and_clock_skew(rest, venue, clock):
    venue.route(
        "GET",
        "/system/time",
        lambda r: venue.json(200, {"server_time": int(clock.now * 1000) + 1500}),
    )
    assert await rest.sync_clock() == 1500
    assert rest.clock.now_ms() == int(clock.now * 1000) + 1500


async def test_markets_map_to_instruments(rest, venue):
    venue.route("GET", "/markets", lambda r: venue.json(200, {"results": [MARKET]}))
    [instrument] = await rest.public.markets("BTC-USD-PERP")
    assert venue.sent("GET", "/markets").url.params["market"] == "BTC-USD-PERP"
    assert instrument.symbol == "BTC-USD-PERP"
    assert instrument.tick_size == Decimal("0.1")
    assert instrument.step_size == Decimal("0.001")
    assert instrument.min_notional == Decimal(10)
    assert instrument.max_open_orders == 100
    assert instrument.funding_period_hours == 8
    await rest.public.markets()
    assert "market" not in venue.sent("GET", "/markets").url.params


async def test_a_garbled_market_is_left_out_and_the_others_kept(rest, venue, caplog):
    garbled = {**MARKET, "symbol": "ETH-USD-PERP", "price_tick_size": "0.1x"}
    unreadable = {**MARKET, "symbol": 5}
    rows = [garbled, MARKET, unreadable]
    venue.route("GET", "/markets", lambda r: venue.json(200, {"results": rows}))
    with caplog.at_level("WARNING"):
        instruments = await rest.public.markets()
    assert [i.symbol for i in instruments] == ["BTC-USD-PERP"]
    assert "left out market ETH-USD-PERP" in caplog.text
    assert "left out market ?" in caplog.text


async def test_markets_summary(rest, venue):
    row = {
        "symbol": "ETH-USD-PERP",
        "mark_price": "2000.1",
        "underlying_price": "2000",
        "last_traded_price": "2000.2",
        "bid": "2000.0",
        "ask": "2000.3",
        "volume_24h": "123",
        "open_interest": "7",
        "funding_rate": "0.0001",
        "price_change_rate_24h": "-0.01",
        "created_at": 5,
    }
    venue.route("GET", "/markets/summary", lambda r: venue.json(200, {"results": [row]}))
    [summary] = await rest.public.markets_summary()
    assert venue.sent("GET", "/markets/summary").url.params["market"] == "ALL"
    assert summary.market == "ETH-USD-PERP"
    assert summary.mark_price == Decimal("2000.1")
    assert summary.price_change_rate_24h == Decimal("-0.01")


@pytest.mark.parametrize("interactive", [False, True])
async def test_orderbook_snapshot_with_depth_and_tick(rest, venue, interactive):
    path = "/orderbook/BTC-USD-PERP" + ("/interactive" if interactive else "")
    book = {
        "market": "BTC-USD-PERP",
        "seq_no": 42,
        "last_updated_at": 9,
        "bids": [["67629.7", "0.992"]],
        "asks": [["69378.6", "3.137"]],
        "best_bid_api": ["67629.7", "0.992"],
    }
    venue.route("GET", path, lambda r: venue.json(200, book))
    update = await rest.public.orderbook(
        "BTC-USD-PERP", depth=15, price_tick="0_1", interactive=interactive
    )
    params = venue.sent("GET", path).url.params
    assert params["depth"] == "15" and params["price_tick"] == "0_1"
    assert update.is_snapshot and update.seq_no == 42
    assert update.bids == [(units_from_str("67629.7"), units_from_str("0.992"))]
    assert update.asks == [(units_from_str("69378.6"), units_from_str("3.137"))]


@pytest.mark.parametrize(
    ("change", "reason"),
    [
        ({"market": "ETH-USD-PERP"}, "answered about 'ETH-USD-PERP'"),
        ({"bids": [["67629.7", "0.9_92"]]}, "unexpected order book level"),
        ({"asks": [["1e3", "1"]]}, "unexpected order book level"),
    ],
)
async def test_an_order_book_for_another_market_or_with_a_garbled_level_is_refused(
    rest, venue, change, reason
):
    # Applied, either would put wrong levels on a book (another market's, or 0.0992 for
    # "0.9_92"); the resync that asked reports a venue error and tries again.
    book = {"market": "BTC-USD-PERP", "seq_no": 42, "bids": [], "asks": [], **change}
    venue.route("GET", "/orderbook/BTC-USD-PERP", lambda r: venue.json(200, book))
    with pytest.raises(BadResponse, match=reason):
        await rest.public.orderbook("BTC-USD-PERP")


async def test_a_bbo_for_another_market_is_refused(rest, venue):
    bbo = {"market": "ETH-USD-PERP", "seq_no": 1, "last_updated_at": 2, "bid": "1", "ask": "2"}
    venue.route("GET", "/bbo/BTC-USD-PERP", lambda r: venue.json(200, bbo))
    with pytest.raises(BadResponse, match="answered about 'ETH-USD-PERP'"):
        await rest.public.bbo("BTC-USD-PERP")


async def test_bbo_trades_funding(rest, venue):
    venue.route(
        "GET",
        "/bbo/BTC-USD-PERP",
        lambda r: venue.json(
            200,
            {
                "market": "BTC-USD-PERP",
                "bid": "1",
                "bid_size": "2",
                "ask": "3",
                "ask_size": "4",
                "last_updated_at": 5,
                "seq_no": 6,
            },
        ),
    )
    trade = {
        "id": "1718179273230201709233240002",
        "market": "BTC-USD-PERP",
        "side": "SELL",
        "size": "0.5",
        "price": "100.5",
        "created_at": 7,
        "trade_type": "FILL",
    }
    venue.route(
        "GET",
        "/trades",
        lambda r: venue.json(200, {"results": [trade], "next": "abc", "prev": None}),
    )
    funding = {
        "market": "BTC-USD-PERP",
        "created_at": 1,
        "funding_index": "1.5",
        "funding_premium": "0.1",
        "funding_rate": "0.0001",
        "funding_rate_8h": "0.0008",
        "funding_period_hours": 8,
    }
    venue.route("GET", "/funding/data", lambda r: venue.json(200, {"results": [funding]}))
    bbo = await rest.public.bbo("BTC-USD-PERP")
    assert (bbo.bid, bbo.ask_size, bbo.seq_no) == (Decimal(1), Decimal(4), 6)
    page = await rest.public.trades("BTC-USD-PERP", start_at=1, page_size=500, cursor="x")
    assert dict(venue.sent("GET", "/trades").url.params) == {
        "market": "BTC-USD-PERP",
        "start_at": "1",
        "cursor": "x",
        "page_size": "500",
    }
    assert page.next_cursor == "abc"
    assert page.items[0].side is Side.SELL and page.items[0].price == Decimal("100.5")
    data = await rest.public.funding_data("BTC-USD-PERP", end_at=9)
    assert venue.sent("GET", "/funding/data").url.params["end_at"] == "9"
    assert data.items[0].funding_rate_8h == Decimal("0.0008") and data.next_cursor is None


async def test_klines_numbers_to_candles_and_resolution_check(rest, venue):
    venue.route(
        "GET",
        "/markets/klines",
        lambda r: venue.json(
            200, {"results": [[1720071900000, 58961.3, 58970, 58950.1, 58961.3, 1591]]}
        ),
    )
    [candle] = await rest.public.klines("BTC-USD-PERP", 5, 1, 2, price_kind="mark")
    assert dict(venue.sent("GET", "/markets/klines").url.params) == {
        "symbol": "BTC-USD-PERP",
        "resolution": "5",
        "start_at": "1",
        "end_at": "2",
        "price_kind": "mark",
    }
    assert candle.start_ms == 1720071900000
    assert candle.open == Decimal("58961.3") and candle.low == Decimal("58950.1")
    with pytest.raises(ValueError):
        await rest.public.klines("BTC-USD-PERP", 2, 1, 2)


async def test_unknown_market_is_not_found(rest, venue):
    venue.route("GET", "/bbo/NOPE", lambda r: venue.error(404, "MARKET_NOT_FOUND", "no market"))
    with pytest.raises(NotFound) as info:
        await rest.public.bbo("NOPE")
    assert info.value.code == "MARKET_NOT_FOUND" and info.value.http_status == 404


def test_every_client_shares_one_verifying_tls_context() -> None:
    import ssl

    from terminal.venues.paradex.http.transport import tls_context

    context = tls_context()
    assert context is tls_context()
    assert context.verify_mode is ssl.CERT_REQUIRED and context.check_hostname


def test_https_clients_verify_and_plain_http_clients_hold_no_trust() -> None:
    import ssl

    from terminal.venues.paradex.http.transport import context_for, tls_context

    assert context_for("https") is tls_context()
    plain = context_for("http")
    # Never used (no TLS on loopback http), and could not be: it trusts no certificate.
    assert plain.verify_mode is ssl.CERT_REQUIRED and plain.check_hostname
    assert plain.get_ca_certs() == [] and plain.cert_store_stats()["x509_ca"] == 0
