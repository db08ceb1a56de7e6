"""Property tests: SBE encode→decode is the identity; no input makes the decoder raise."""

from __future__ import annotations

import struct
from collections import Counter
from decimal import Decimal
from typing import Any

import msgspec
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from terminal.domain.units import decimal_from_units
from terminal.venues.paradex.sbe import decode as sbe
from terminal.venues.paradex.sbe import layouts as L
from terminal.venues.paradex.schemas.public import BboPayload, PriceBookUpdate, TradePayload
from terminal.venues.paradex.ws import frames

MAX_MANTISSA = 2**63 - 1


def _text(units: int) -> str:
    return f"{decimal_from_units(units):f}"


positive = st.integers(1, 10**15).map(_text)
signed = st.integers(-(10**15), 10**15).map(_text)
ms = st.integers(0, 4_000_000_000_000)
market = st.text(st.characters(codec="utf-8"), min_size=1, max_size=40).filter(
    lambda s: len(s.encode()) <= 255
)
side = st.sampled_from(["BUY", "SELL"])


@st.composite
def book_payloads(draw: st.DrawFn) -> dict[str, Any]:
    snapshot = draw(st.booleans())
    prices = draw(st.lists(st.integers(1, 10**13), unique=True, max_size=20))
    levels = [{"side": draw(side), "price": _text(p), "size": draw(positive)} for p in prices]
    cut = draw(st.integers(0, len(levels)))
    deletes = [] if snapshot else [{**lv, "size": "0"} for lv in levels[cut:]]
    return {
        "market": draw(market),
        "seq_no": draw(st.integers(0, MAX_MANTISSA)),
        "last_updated_at": draw(ms),
        "update_type": "s" if snapshot else "d",
        "inserts": levels if snapshot else levels[:cut],
        "updates": [],
        "deletes": deletes,
    }


@given(book_payloads(), st.integers(0, 2))
def test_book_round_trip(payload: dict[str, Any], version: int) -> None:
    _, mkt, update = sbe.decode_public(sbe.encode_public("order_book", payload, version))
    want = msgspec.convert(payload, PriceBookUpdate).to_domain()
    assert mkt == payload["market"]
    assert isinstance(update, type(want))
    assert (update.seq_no, update.is_snapshot, update.timestamp_ms) == (
        want.seq_no,
        want.is_snapshot,
        want.timestamp_ms,
    )
    assert sorted(update.bids) == sorted(want.bids)
    assert sorted(update.asks) == sorted(want.asks)


trades = st.fixed_dictionaries(
    {
        "id": st.integers(0, 10**28 - 1).map(str),
        "market": market,
        "side": side,
        "price": positive,
        "size": positive,
        "created_at": ms,
        "trade_type": st.sampled_from(["FILL", "LIQUIDATION", "RPI", "BLOCK_TRADE"]),
    }
)
bbos = st.fixed_dictionaries(
    {
        "market": market,
        "seq_no": st.integers(0, MAX_MANTISSA),
        "last_updated_at": ms,
        "bid": st.none() | positive,
        "bid_size": st.none() | positive,
        "ask": st.none() | signed,
        "ask_size": st.none() | positive,
    }
)


@given(trades)
def test_trade_round_trip(payload: dict[str, Any]) -> None:
    _, _, trade = sbe.decode_public(sbe.encode_public("trades", payload))
    assert trade == msgspec.convert(payload, TradePayload)


@given(bbos)
def test_bbo_round_trip(payload: dict[str, Any]) -> None:
    _, _, bbo = sbe.decode_public(sbe.encode_public("bbo", payload))
    assert bbo == msgspec.convert(payload, BboPayload)


def test_decimals_compare_by_value_not_text() -> None:
    assert Decimal("67629.70000000") == Decimal("67629.7")


@settings(max_examples=300)
@given(st.data())
def test_mutated_or_truncated_vectors_never_raise(vectors: Any, data: st.DataObject) -> None:
    frame = bytearray(bytes.fromhex(data.draw(st.sampled_from(vectors))["hex"]))
    for _ in range(data.draw(st.integers(0, 4))):
        frame[data.draw(st.integers(0, len(frame) - 1))] = data.draw(st.integers(0, 255))
    frame = frame[: data.draw(st.integers(0, len(frame)))]
    result = frames.decode_binary(bytes(frame))
    assert result is None or isinstance(result, frames.Notification)


@given(st.binary(max_size=400))
def test_random_bytes_never_raise(raw: bytes) -> None:
    result = frames.decode_binary(raw)
    assert result is None or isinstance(result, frames.Notification)


def _decode_or_reason(decode: Any, frame: bytes) -> object:
    try:
        return decode(frame)
    except sbe.SbeDropped as exc:
        return exc.reason


@settings(max_examples=200)
@given(book_payloads(), st.data())
def test_book_fast_path_agrees_with_the_general_decoder(
    payload: dict[str, Any], data: st.DataObject
) -> None:
    # A second frame of a market takes the fast path (its market bytes are known); any
    # mutation of it must decode, or be dropped, exactly as the general decoder does.
    frame = sbe.encode_public("order_book", payload)
    assert sbe.decode_book(frame) == sbe._decode_book_any_block(frame)
    mutated = bytearray(frame)
    for _ in range(data.draw(st.integers(0, 3))):
        mutated[data.draw(st.integers(0, len(frame) - 1))] = data.draw(st.integers(0, 255))
    mutated = mutated[: data.draw(st.integers(0, len(mutated)))]
    assert _decode_or_reason(sbe.decode_book, bytes(mutated)) == _decode_or_reason(
        sbe._decode_book_any_block, bytes(mutated)
    )


@given(book_payloads())
def test_every_truncated_book_frame_is_dropped(payload: dict[str, Any]) -> None:
    frame = sbe.encode_public("order_book", payload)
    assert frames.decode_binary(frame) is not None
    for end in range(len(frame)):
        assert frames.decode_binary(frame[:end]) is None


@pytest.mark.parametrize(
    ("family", "payload"),
    [
        ("order_book", {"market": "", "seq_no": 1, "last_updated_at": 1, "update_type": "d"}),
        (
            "trades",
            {
                "market": "",
                "side": "BUY",
                "price": "1",
                "size": "1",
                "created_at": 1,
                "trade_type": "FILL",
                "id": "1",
            },
        ),
        ("bbo", {"market": "", "seq_no": 1, "last_updated_at": 1}),
    ],
)
def test_a_frame_with_an_empty_market_name_is_dropped(
    family: str, payload: dict[str, Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    # Routed as "", it reached the family's ALL subscriber (none for the book: unrouted).
    monkeypatch.setattr(frames, "DROPPED", Counter())
    assert frames.decode_binary(sbe.encode_public(family, payload)) is None
    assert frames.dropped_counts() == {"malformed": 1}


def test_a_summary_with_volumes_beyond_int64_saturates_instead_of_failing() -> None:
    payload = {
        "symbol": "BTC-USD-PERP",
        "mark_price": "67000.1",
        "underlying_price": "67000",
        "last_traded_price": "67000.2",
        "volume_24h": "105500591889.59809666",  # 1.05e19 at scale 8: past int64
        "open_interest": "12.5",
        "funding_rate": "0.0001",
        "bid": "66999.9",
        "ask": "67000.1",
        "total_volume": "9" * 30,
        "price_change_rate_24h": "0.01",
        "created_at": 1_700_000_000_000,
    }
    _, market, summary = sbe.decode_public(sbe.encode_public("markets_summary", payload))
    assert market == "BTC-USD-PERP"
    assert summary.mark_price == Decimal("67000.1")
    assert summary.volume_24h == Decimal(2**63 - 1).scaleb(-8)


REQUIRED_DECIMALS = [
    (template, field)
    for template, fields in L.LAYOUTS.items()
    for field in fields
    if field.scale and not field.nullable
]


@pytest.mark.parametrize(
    ("template", "field"), REQUIRED_DECIMALS, ids=[f"{t}.{f.name}" for t, f in REQUIRED_DECIMALS]
)
def test_a_null_in_a_required_decimal_is_dropped_not_read_as_a_number(
    vector_named: Any, template: int, field: L.Field
) -> None:
    # INT64_MIN is the schema's null: in a required field (a trade's price, a summary's
    # mark price) it is a malformed frame, not a price of -92233720368.54775808.
    frame = bytearray(bytes.fromhex(vector_named(template)["hex"]))
    assert frames.decode_binary(bytes(frame)) is not None
    struct.pack_into("<q", frame, 8 + field.offset, L.NULL_INT64)
    before = frames.dropped_counts().get("malformed", 0)
    assert frames.decode_binary(bytes(frame)) is None
    assert frames.dropped_counts()["malformed"] == before + 1
