"""WebSocket frame decoding: JSON-RPC text frames and SBE binary frames."""

from __future__ import annotations

import json
import logging
from collections import Counter
from decimal import Decimal
from typing import Any

import msgspec
import pytest
from hypothesis import given
from hypothesis import strategies as st

from terminal.domain.marketdata import Bbo, BookUpdate, FundingData, MarketSummary, Trade
from terminal.domain.orders import Side
from terminal.venues.paradex.sbe.layouts import PUBLIC_FAMILIES
from terminal.venues.paradex.schemas.public import FundingRateComparison
from terminal.venues.paradex.ws import frames

CHANNELS = {
    "trades": "trades.ALL",
    "bbo": "bbo.BTC-USD-PERP",
    "order_book": "order_book.BTC-USD-PERP.deltas",
    "markets_summary": "markets_summary",
    "funding_data": "funding_data.BTC-USD-PERP",
    "funding_rate_comparison": "funding_rate_comparison.ALL@1000ms",
}
EVENT_TYPES = {
    "trades": Trade,
    "bbo": Bbo,
    "order_book": BookUpdate,
    "markets_summary": MarketSummary,
    "funding_data": FundingData,
    "funding_rate_comparison": FundingRateComparison,
}


def note(channel: str, data: Any) -> str:
    body = {
        "jsonrpc": "2.0",
        "method": "subscription",
        "params": {"channel": channel, "data": data},
    }
    return json.dumps(body)


@pytest.mark.parametrize(
    ("channel", "key"),
    [
        ("order_book.BTC-USD-PERP.snapshot@15@100ms@0_1", ("order_book", "BTC-USD-PERP")),
        ("order_book.ETH-USD-PERP.deltas", ("order_book", "ETH-USD-PERP")),
        ("trades.ALL", ("trades", "ALL")),
        ("markets_summary", ("markets_summary", "ALL")),
        ("markets_summary.BTC-USD-PERP", ("markets_summary", "BTC-USD-PERP")),
        ("funding_rate_comparison.ALL@500ms", ("funding_rate_comparison", "ALL")),
        ("positions", ("positions", "ALL")),
        ("account", ("account", "ALL")),
        ("orders.ETH-USD-PERP", ("orders", "ETH-USD-PERP")),
    ],
)
def test_channel_key(channel: str, key: tuple[str, str]) -> None:
    assert frames.channel_key(channel) == key


def _normalised(event: Any) -> Any:
    if isinstance(event, BookUpdate):
        return (
            event.market,
            event.seq_no,
            event.is_snapshot,
            sorted(event.bids),
            sorted(event.asks),
        )
    return event


def test_json_and_sbe_feed_identical_domain_events(public_vector: dict[str, Any]) -> None:
    family = PUBLIC_FAMILIES[public_vector["template_id"]]
    text = frames.decode_text(note(CHANNELS[family], public_vector["json_payload"]))
    binary = frames.decode_binary(bytes.fromhex(public_vector["hex"]))
    assert isinstance(text, frames.Notification) and binary is not None
    assert (text.channel, text.family) == (CHANNELS[family], family)
    assert (binary.channel, binary.family, binary.market) == (None, family, "BTC-USD-PERP")
    assert isinstance(binary.event, EVENT_TYPES[family])
    assert _normalised(text.event) == _normalised(binary.event)


def test_book_notification_as_bytes_or_str_and_in_any_key_order() -> None:
    data = {
        "market": "BTC-USD-PERP",
        "seq_no": 7,
        "last_updated_at": 1,
        "update_type": "d",
        "inserts": [{"side": "BUY", "price": "67629.7", "size": "0.5"}],
        "updates": [],
        "deletes": [{"side": "SELL", "price": "67630", "size": "0"}],
    }
    text = note("order_book.BTC-USD-PERP.deltas", data)
    reordered = json.dumps(
        {
            "params": {"data": data, "channel": "order_book.BTC-USD-PERP.deltas"},
            "method": "subscription",
        }
    )
    # The venue's compact form, whose channel the decoder finds at a fixed offset.
    compact = json.dumps(json.loads(text), separators=(",", ":"))
    want = BookUpdate(
        "BTC-USD-PERP", 7, False, [(6762970000000, 50000000)], [(6763000000000, 0)], 1
    )
    for raw in (text, text.encode(), reordered, reordered.encode(), compact):
        got = frames.decode_text(raw)
        assert isinstance(got, frames.Notification)
        assert got.event == want
        assert (got.family, got.market) == ("order_book", "BTC-USD-PERP")


def test_trade_notification_keeps_exact_decimals() -> None:
    trade: dict[str, Any] = {
        "id": "1718179273230201709233240002",
        "market": "kBONK-USD-PERP",
        "side": "BUY",
        "size": "34028",
        "price": "0.028776",
        "created_at": 1718179273230,
        "trade_type": "FILL",
    }
    got = frames.decode_text(note("trades.ALL", trade))
    assert isinstance(got, frames.Notification)
    assert got.market == "ALL"
    assert got.event == Trade(
        trade["id"],
        "kBONK-USD-PERP",
        Side.BUY,
        Decimal("0.028776"),
        Decimal(34028),
        1718179273230,
        "FILL",
    )


def test_private_channel_data_stays_raw() -> None:
    order = {"id": "123", "market": "ETH-USD-PERP", "status": "OPEN"}
    got = frames.decode_text(note("orders.ETH-USD-PERP", order))
    assert isinstance(got, frames.Notification)
    assert (got.family, got.market) == ("orders", "ETH-USD-PERP")
    assert isinstance(got.event, msgspec.Raw)
    assert msgspec.json.decode(got.event) == order


def test_rpc_results_and_errors() -> None:
    ok = frames.decode_text(
        '{"jsonrpc":"2.0","result":{"channel":"order_book.BTC-USD-PERP.deltas"},"usIn":1,"id":1}'
    )
    assert ok == frames.RpcResponse(1, {"channel": "order_book.BTC-USD-PERP.deltas"}, None)
    err = frames.decode_text(
        '{"jsonrpc":"2.0","error":{"code":-32600,"message":"invalid subscribe request",'
        '"data":"invalid channel"},"id":"unsub-1"}'
    )
    assert err == frames.RpcResponse(
        "unsub-1", None, frames.RpcError(-32600, "invalid subscribe request", "invalid channel")
    )


def _book_with_size(size: str) -> dict[str, Any]:
    """A book delta whose one level has `size` as its size text."""
    return {
        "market": "BTC-USD-PERP",
        "seq_no": 7,
        "update_type": "d",
        "updates": [{"side": "BUY", "price": "67000.5", "size": size}],
    }


@pytest.mark.parametrize(
    ("raw", "reason"),
    [
        ("{not json", "malformed"),
        ('{"jsonrpc":"2.0","method":"heartbeat"}', "unknown_message"),
        ('{"params": 5}', "invalid_envelope"),
        (note("order_book.BTC-USD-PERP.deltas", {"market": "X"}), "invalid_payload"),
        (note("trades.ALL", {"market": "X", "side": "UP"}), "invalid_payload"),
        (note("order_book.BTC-USD-PERP.deltas", _book_with_size("1.5_0")), "invalid_payload"),
        (note("order_book.BTC-USD-PERP.deltas", _book_with_size("1.5 ")), "invalid_payload"),
    ],
)
def test_bad_text_frames_are_dropped_counted_and_logged(
    raw: str, reason: str, caplog: pytest.LogCaptureFixture, monkeypatch: pytest.MonkeyPatch
) -> None:
    # A fresh count: a drop is logged at the 1st, 2nd, 4th... of its reason, and other
    # tests (the hostile-venue fuzzing) drop thousands of frames in this process.
    monkeypatch.setattr(frames, "DROPPED", Counter())
    before = frames.dropped_counts().get(reason, 0)
    with caplog.at_level(logging.DEBUG, logger=frames.__name__):
        assert frames.decode_text(raw) is None
    assert frames.dropped_counts()[reason] == before + 1
    assert reason in caplog.text


def test_binary_system_private_and_broken_frames_are_dropped(vector_named: Any) -> None:
    before = frames.dropped_counts()
    heartbeat = bytes.fromhex(vector_named("HeartbeatEvent")["hex"])
    unknown = bytes.fromhex(vector_named("Unknown templateId")["hex"])
    trade = bytes.fromhex(vector_named("TradeEvent v2")["hex"])
    private = (21).to_bytes(2, "little").join([trade[:2], trade[4:]])
    for frame in (heartbeat, unknown, private, trade[:60], trade[:5], b""):
        assert frames.decode_binary(frame) is None
    after = frames.dropped_counts()
    for reason, more in (("system", 1), ("unknown_template", 1), ("private", 1), ("truncated", 3)):
        assert after.get(reason, 0) - before.get(reason, 0) == more


@given(st.binary(max_size=300) | st.text(max_size=300))
def test_decode_text_never_raises(raw: bytes | str) -> None:
    result = frames.decode_text(raw)
    assert result is None or isinstance(result, frames.Notification | frames.RpcResponse)


@pytest.mark.parametrize(
    ("channel", "data"),
    [
        ("order_book.BTC-USD-PERP.deltas", {**_book_with_size("1"), "market": "ETH-USD-PERP"}),
        (
            "trades.BTC-USD-PERP",
            {
                "id": "1",
                "market": "ETH-USD-PERP",
                "side": "BUY",
                "size": "1",
                "price": "3500",
                "created_at": 1,
                "trade_type": "FILL",
            },
        ),
        ("bbo.BTC-USD-PERP", {"market": "ETH-USD-PERP", "seq_no": 1, "last_updated_at": 1}),
        ("markets_summary.BTC-USD-PERP", {"symbol": "ETH-USD-PERP", "mark_price": "3500"}),
        (
            "funding_rate_comparison.BTC-USD-PERP",
            {
                "symbol": "ETH-USD-PERP",
                "asset_kind": "ASSET_KIND_PERPETUAL_FUTURE",
                "source": "SOURCE_PARADEX",
                "last_updated_at": 1,
                "hourly_funding_rate": "0.00001",
            },
        ),
    ],
)
def test_data_for_another_market_than_its_channel_names_is_dropped(
    channel: str, data: dict[str, Any]
) -> None:
    # Routing follows the channel name, so an ETH book delta on BTC's channel would reach
    # BTC's book (nothing downstream compares the markets) and be applied there.
    before = frames.dropped_counts().get("wrong_market", 0)
    for raw in (
        note(channel, data),
        note(channel, data).encode(),
        json.dumps({"params": {"data": data, "channel": channel}, "method": "subscription"}),
    ):
        assert frames.decode_text(raw) is None
    assert frames.dropped_counts()["wrong_market"] == before + 3
    # The same data on its own market's channel, or on an ALL channel, is delivered.
    market = data.get("market", data.get("symbol"))
    family = channel.split(".")[0]
    for good in (channel.replace("BTC-USD-PERP", str(market)), f"{family}.ALL"):
        got = frames.decode_text(note(good, data))
        assert isinstance(got, frames.Notification), good
