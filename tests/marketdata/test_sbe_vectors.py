"""SBE decoder and encoder against the shared vectors of PROTOCOL.md §11.6."""

from __future__ import annotations

import struct
from typing import Any

import msgspec
import pytest

from terminal.domain.marketdata import BookUpdate
from terminal.venues.paradex.sbe import decode as sbe
from terminal.venues.paradex.sbe.layouts import PUBLIC_FAMILIES
from terminal.venues.paradex.schemas.public import PriceBookUpdate


def _sbe_only(vector: dict[str, Any]) -> dict[str, int]:
    """The SBE-only header values (`ts`, `seq`) the JSON payload does not carry."""
    ts, second = struct.unpack_from("<qq", bytes.fromhex(vector["hex"]), 8)
    return {"ts_us": ts} if vector["template_id"] == 6 else {"ts_us": ts, "seq": second}


def test_every_public_vector_decodes_to_its_json_payload(
    public_vector: dict[str, Any], decimals: Any, as_json: Any
) -> None:
    vector = public_vector
    template_id, market, payload = sbe.decode_public(bytes.fromhex(vector["hex"]))
    assert template_id == vector["template_id"]
    assert market == "BTC-USD-PERP"
    expected = vector["json_payload"]
    if isinstance(payload, BookUpdate):
        # SBE cannot tell an insert from an update; compare what the book applies.
        want = msgspec.convert(expected, PriceBookUpdate).to_domain()
        assert (payload.seq_no, payload.is_snapshot, payload.timestamp_ms) == (
            want.seq_no,
            want.is_snapshot,
            want.timestamp_ms,
        )
        assert sorted(payload.bids) == sorted(want.bids)
        assert sorted(payload.asks) == sorted(want.asks)
    else:
        got = as_json(payload)
        want_plain = {k: v for k, v in expected.items() if v is not None}
        assert decimals(got) == decimals(want_plain)


def test_encoder_reproduces_each_vector(public_vector: dict[str, Any]) -> None:
    vector = public_vector
    frame = bytes.fromhex(vector["hex"])
    family = PUBLIC_FAMILIES[vector["template_id"]]
    encoded = sbe.encode_public(
        family, vector["json_payload"], vector["header"]["version"], **_sbe_only(vector)
    )
    if vector["template_id"] == 1:
        # JSON `created_at` is in ms, but the vector's createdAt (frame bytes 49..57) carries
        # µs; without a JSON id the deprecated tradeId (24..32) is unknowable too.
        unknowable = {*range(49, 57)}
        if vector["json_payload"]["id"] is None:
            unknowable |= {*range(24, 32)}
        assert len(encoded) == len(frame)
        assert [b for i, b in enumerate(encoded) if i not in unknowable] == [
            b for i, b in enumerate(frame) if i not in unknowable
        ]
    else:
        assert encoded.hex() == vector["hex"]


def test_newer_version_trade_decodes_like_version_2(vector_named: Any) -> None:
    newer = vector_named("TradeEvent from a newer version")
    v2 = vector_named("TradeEvent v2")
    assert sbe.decode_public(bytes.fromhex(newer["hex"])) == sbe.decode_public(
        bytes.fromhex(v2["hex"])
    )


@pytest.mark.parametrize(
    ("name", "reason"),
    [("HeartbeatEvent", "system"), ("Unknown templateId 7", "unknown_template")],
)
def test_frames_without_public_data_are_dropped_with_a_reason(
    name: str, reason: str, vector_named: Any
) -> None:
    vector = vector_named(name)
    with pytest.raises(sbe.SbeDropped) as caught:
        sbe.decode_public(bytes.fromhex(vector["hex"]))
    assert caught.value.reason == reason


def test_trade_below_v2_has_no_id_and_encoder_omits_it(vector_named: Any) -> None:
    v2 = vector_named("TradeEvent v2")
    payload = v2["json_payload"]
    at_v1 = sbe.encode_public("trades", payload, 1)
    at_v2 = sbe.encode_public("trades", payload, 2)
    assert len(at_v2) - len(at_v1) == 1 + len(payload["id"])
    _, _, trade = sbe.decode_public(at_v1)
    assert trade.id is None  # type: ignore[union-attr]


def test_v0_blocks_are_shorter_and_funding_comparison_has_no_v0_template(
    vector_named: Any,
) -> None:
    summary = vector_named(4)["json_payload"]
    assert sbe.encode_public("markets_summary", summary, 0)[:2] == (216).to_bytes(2, "little")
    funding = vector_named(5)["json_payload"]
    frame = sbe.encode_public("funding_data", funding, 0)
    assert frame[:2] == (58).to_bytes(2, "little")
    _, _, decoded = sbe.decode_public(frame)
    assert decoded.impact_premium_rate is None  # type: ignore[union-attr]
    comparison = vector_named(6)["json_payload"]
    with pytest.raises(sbe.SbeEncodeError):
        sbe.encode_public("funding_rate_comparison", comparison, 0)


def test_encoder_rejects_values_the_schema_cannot_hold(vector_named: Any) -> None:
    bbo = dict(vector_named(2)["json_payload"])
    with pytest.raises(sbe.SbeEncodeError):
        sbe.encode_public("bbo", {**bbo, "bid": "1.123456789"})
    with pytest.raises(sbe.SbeEncodeError):
        sbe.encode_public("bbo", {**bbo, "bid": "1e30"})
    with pytest.raises(sbe.SbeEncodeError):
        sbe.encode_public("bbo", {k: v for k, v in bbo.items() if k != "seq_no"})
    with pytest.raises(sbe.SbeEncodeError):
        sbe.encode_public("markets", bbo)


def test_unknown_enum_values_decode_per_the_schema(vector_named: Any) -> None:
    frc = bytearray(bytes.fromhex(vector_named(6)["hex"]))
    frc[8 + 24] = 99  # assetKind
    frc[8 + 25] = 200  # source
    _, _, decoded = sbe.decode_public(bytes(frc))
    assert decoded.asset_kind == "ASSET_KIND_UNSPECIFIED"  # type: ignore[union-attr]
    assert decoded.source == "SOURCE_UNSPECIFIED"  # type: ignore[union-attr]
    trade = bytearray(bytes.fromhex(vector_named("TradeEvent v2")["hex"]))
    trade[8 + 24] = 254  # side NON_REPRESENTABLE: no domain trade without a side
    with pytest.raises(sbe.SbeDropped):
        sbe.decode_public(bytes(trade))


def _widen_book(frame: bytes, extra_block: int, entry: int) -> bytes:
    """Re-lay a book frame as a newer server might: a longer block and longer group entries."""
    block = int.from_bytes(frame[:2], "little")
    out = bytearray((block + extra_block).to_bytes(2, "little") + frame[2 : 8 + block])
    out += bytes(extra_block)
    pos = 8 + block
    for _ in range(2):
        count = int.from_bytes(frame[pos + 2 : pos + 4], "little")
        out += entry.to_bytes(2, "little") + count.to_bytes(2, "little")
        for i in range(count):
            start = pos + 4 + 16 * i
            out += frame[start : start + 16] + bytes(entry - 16)
        pos += 4 + 16 * count
    return bytes(out + frame[pos:])


def test_book_layout_follows_block_and_entry_lengths(vector_named: Any) -> None:
    frame = bytes.fromhex(vector_named("BookEvent snapshot")["hex"])
    wider = _widen_book(frame, 7, 24)
    assert len(wider) > len(frame)
    assert sbe.decode_book(wider) == sbe.decode_book(frame)


def test_book_entries_shorter_than_a_level_are_dropped(vector_named: Any) -> None:
    frame = _widen_book(bytes.fromhex(vector_named("BookEvent snapshot")["hex"]), 0, 16)
    broken = bytearray(frame)
    broken[8 + 89] = 8  # bids entry blockLength 8 < 16
    with pytest.raises(sbe.SbeDropped):
        sbe.decode_book(bytes(broken))
