"""Public REST market-data schemas and the decimal-string → units parser."""

from __future__ import annotations

from decimal import Decimal

import msgspec
import pytest
from hypothesis import given
from hypothesis import strategies as st

from terminal.domain.marketdata import Candle
from terminal.domain.orderbook import OrderBook
from terminal.domain.units import PrecisionError, units_from_decimal, units_from_str
from terminal.venues.paradex.errors import BadResponse
from terminal.venues.paradex.http.transport import decode
from terminal.venues.paradex.schemas import public as wire_public
from terminal.venues.paradex.schemas.public import (
    FundingDataPage,
    KlinesResponse,
    MarketsSummaryResponse,
    PriceBookUpdate,
    RestOrderBook,
    TradesPage,
    parse_units,
    units,
)
from terminal.venues.paradex.ws import frames

REST_BOOK = b"""{"market":"BTC-USD-PERP","seq_no":20,"last_updated_at":1718267837265,
"bids":[["67629.7","0.992"],["67629.6","1.5"]],"asks":[["67629.8","2"]],
"best_bid_api":["67629.7","0.992"],"best_ask_api":["67629.8","2"]}"""


def test_rest_order_book_seeds_a_stale_deltas_book() -> None:
    book = OrderBook("BTC-USD-PERP")
    delta = (
        '{"jsonrpc":"2.0","method":"subscription","params":{"channel":'
        '"order_book.BTC-USD-PERP.deltas","data":{"market":"BTC-USD-PERP","seq_no":21,'
        '"last_updated_at":1,"update_type":"d","inserts":[{"side":"SELL","price":"67629.9",'
        '"size":"1"}],"updates":[],"deletes":[]}}}'
    )
    got = frames.decode_text(delta)
    assert isinstance(got, frames.Notification)
    assert not book.apply(got.event)  # type: ignore[arg-type]
    assert book.apply(msgspec.json.decode(REST_BOOK, type=RestOrderBook).to_domain())
    assert not book.stale and book.seq_no == 21
    assert book.top(3) == (
        [(6762970000000, 99200000), (6762960000000, 150000000)],
        [(6762980000000, 200000000), (6762990000000, 100000000)],
    )


def test_klines_keep_json_numbers_exact() -> None:
    body = (
        b'{"results":[[1720071900000,58961.3,58961.4,58961.2,58961.35,1591],[1,0.1,0.2,0.1,0.2,0]]}'
    )
    candles = msgspec.json.decode(body, type=KlinesResponse).to_domain()
    assert candles[0] == Candle(
        1720071900000,
        Decimal("58961.3"),
        Decimal("58961.4"),
        Decimal("58961.2"),
        Decimal("58961.35"),
        Decimal(1591),
    )
    assert candles[1].open == Decimal("0.1")


def test_markets_summary_rows() -> None:
    body = b"""{"results":[{"symbol":"ETH-USD-PERP","mark_price":"3500.1","underlying_price":"3500",
    "last_traded_price":"3500.2","bid":"3500.1","ask":"3500.3","volume_24h":"123.4",
    "open_interest":"55","funding_rate":"0.0000125","price_change_rate_24h":"-0.01",
    "created_at":1718267837265,"oracle_price":"3500","greeks":{"delta":"1"}},
    {"symbol":"OPT-X","greeks":null}]}"""
    rows = msgspec.json.decode(body, type=MarketsSummaryResponse).results
    summary = rows[0].to_domain()
    assert summary.index_price == Decimal(3500) and summary.last_price == Decimal("3500.2")
    assert summary.funding_rate == Decimal("0.0000125")
    assert rows[0].greeks is not None and rows[0].greeks.delta == 1
    assert rows[1].to_domain().mark_price == 0 and rows[1].to_domain().bid is None


def test_funding_and_trade_pages() -> None:
    funding = msgspec.json.decode(
        b"""{"next":"abc","prev":null,"results":[{"market":"BTC-USD-PERP","created_at":1,
        "funding_index":"1234.5","funding_premium":"0.00001","funding_rate":"0.0000125000131",
        "funding_rate_8h":"0.0001","funding_period_hours":8}]}""",
        type=FundingDataPage,
    )
    assert funding.next == "abc"
    assert funding.results[0].to_domain().funding_rate == Decimal("0.0000125000131")
    trades = msgspec.json.decode(
        b"""{"next":null,"prev":null,"results":[{"id":"1","market":"BTC-USD-PERP","side":"SELL",
        "size":"0.1","price":"67000","created_at":5,"trade_type":"LIQUIDATION"}]}""",
        type=TradesPage,
    )
    assert trades.results[0].to_domain().trade_type == "LIQUIDATION"


@given(st.decimals(min_value=-(10**12), max_value=10**12, places=8, allow_nan=False))
def test_units_parser_matches_the_domain_parser(value: Decimal) -> None:
    for text in (f"{value:f}", f"{value:f}".rstrip("0")):
        assert parse_units(text) == units_from_str(text) == units_from_decimal(value)
        assert units(text) == parse_units(text)


def _strict(text: str) -> int | None:
    try:
        return units_from_str(text)
    except ValueError:
        return None


def _fast(text: str) -> int | None:
    try:
        return parse_units(text)
    except ValueError:
        return None


@given(st.text(alphabet="0123456789.-+_ e\u0663\uff11\u00b2", max_size=14))
def test_units_parser_reads_any_text_as_the_domain_parser_does(text: str) -> None:
    # The hot path's own digit handling must not read more than the strict parser does.
    assert _fast(text) == _strict(text)


@pytest.mark.parametrize("text", ["1.5_0", "1.5 ", " 1.5", "1_0", "\uff11.\uff15", "1.5e3", "."])
def test_units_parser_refuses_what_int_alone_would_misread(text: str) -> None:
    # "1.5_0" and "1.5 " were read as 0.15 (int() takes "_" and spaces); now they raise.
    with pytest.raises(ValueError):
        parse_units(text)
    with pytest.raises(ValueError):
        units(text)
    assert dict.get(wire_public._UNITS_MEMO, text) is None


def test_units_parser_rejects_excess_precision() -> None:
    assert parse_units("1.1234567800") == 112345678
    with pytest.raises(PrecisionError):
        parse_units("1.123456789")


def _book_update(n: int, tag: str) -> PriceBookUpdate:
    def level(side: str, i: int, size: str) -> dict[str, str]:
        return {"side": side, "price": f"{i}.{tag}", "size": size}

    data = {
        "market": "BTC-USD-PERP",
        "seq_no": 3,
        "update_type": "d",
        "inserts": [level("BUY" if i % 2 else "SELL", i, f"{i}.5{tag}") for i in range(n)],
        "updates": [level("SELL", n, "7")],
        "deletes": [level("BUY", n + 1, "not a number: deletes carry no size")],
    }
    return msgspec.json.decode(msgspec.json.encode(data), type=PriceBookUpdate)


def test_book_update_levels_not_seen_before_are_parsed_and_remembered() -> None:
    # The memo is read directly; a miss parses the string and remembers it.
    update = _book_update(3, "123").to_domain()
    assert dict.get(wire_public._UNITS_MEMO, "2.5123") == 251230000
    assert update.bids == [(112300000, 151230000), (412300000, 0)]
    assert update.asks == [
        (12300000, 51230000),
        (212300000, 251230000),
        (312300000, 700000000),
    ]
    assert _book_update(3, "123").to_domain() == update
    assert not update.is_snapshot and update.seq_no == 3


def test_a_book_update_larger_than_the_units_memo_still_decodes(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(wire_public, "_UNITS_MEMO_MAX", 8)
    update = _book_update(40, "77").to_domain()
    assert len(update.bids) + len(update.asks) == 42
    assert update.bids[0] == (177000000, 157700000)
    assert update.asks[-1] == (4077000000, 700000000)
    assert len(wire_public._UNITS_MEMO) <= 8


NOT_NUMBERS = ["NaN", "nan", "-sNaN", "Infinity", "-inf"]
"""Text `Decimal()` (and so msgspec) reads as a Decimal that is not a number."""
PUBLIC_DECIMAL_FIELDS = [
    ("trades", "price"),
    ("trades", "size"),
    ("bbo", "bid"),
    ("bbo", "ask_size"),
    ("markets_summary", "mark_price"),
    ("markets_summary", "funding_rate"),
    ("funding_data", "funding_rate"),
    ("funding_data", "impact_premium_rate"),
    ("funding_rate_comparison", "hourly_funding_rate"),
]
_PAYLOADS: dict[str, dict[str, object]] = {
    "trades": {
        "id": "1",
        "market": "BTC-USD-PERP",
        "side": "BUY",
        "size": "1",
        "price": "67000",
        "created_at": 1,
        "trade_type": "FILL",
    },
    "bbo": {"market": "BTC-USD-PERP", "seq_no": 1, "last_updated_at": 1, "bid": "1"},
    "markets_summary": {"symbol": "BTC-USD-PERP", "mark_price": "67000"},
    "funding_data": {
        "market": "BTC-USD-PERP",
        "funding_index": "1",
        "funding_premium": "0",
        "funding_rate": "0.0001",
        "funding_rate_8h": "0.0008",
        "funding_period_hours": 8,
        "created_at": 1,
    },
    "funding_rate_comparison": {
        "symbol": "BTC-USD-PERP",
        "asset_kind": "ASSET_KIND_PERPETUAL_FUTURE",
        "source": "SOURCE_PARADEX",
        "last_updated_at": 1,
        "hourly_funding_rate": "0.00001",
    },
}


@pytest.mark.parametrize("text", NOT_NUMBERS)
@pytest.mark.parametrize(("family", "field"), PUBLIC_DECIMAL_FIELDS)
def test_a_price_or_rate_that_is_not_a_number_drops_the_frame(
    family: str, field: str, text: str
) -> None:
    channel = f"{family}.ALL"
    good = frames.decode_text(frames_note(channel, _PAYLOADS[family]))
    assert isinstance(good, frames.Notification)
    before = frames.dropped_counts().get("invalid_payload", 0)
    assert frames.decode_text(frames_note(channel, {**_PAYLOADS[family], field: text})) is None
    assert frames.dropped_counts()["invalid_payload"] == before + 1


@pytest.mark.parametrize("text", NOT_NUMBERS)
def test_a_rest_answer_with_a_price_that_is_not_a_number_is_refused(text: str) -> None:
    with pytest.raises(BadResponse):
        decode(b'{"results":[[1,"1",%s,"1","1","1"]]}' % f'"{text}"'.encode(), KlinesResponse)
    trade = {**_PAYLOADS["trades"], "price": text}
    with pytest.raises(BadResponse):
        decode(msgspec.json.encode({"results": [trade]}), TradesPage)


def frames_note(channel: str, data: object) -> str:
    return msgspec.json.encode(
        {"jsonrpc": "2.0", "method": "subscription", "params": {"channel": channel, "data": data}}
    ).decode()
