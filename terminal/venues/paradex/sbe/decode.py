"""Paradex SBE binary frames (schema 1): decode into the public wire structs (§11.5.6–11.5.7).

The root-block layout comes from the frame's `blockLength`, never from its version: a field
past the block is absent, var-data starts at 8 + blockLength, missing trailing var-data is
null. Book frames go straight to a domain `BookUpdate` in integer units (no Decimal).
Every other frame becomes the same struct the JSON path decodes (`schemas.public`).
The encoder (for the embedded exchange) lives in `encode` and is re-exported here.
"""

from __future__ import annotations

import struct
from collections.abc import Callable
from decimal import Decimal
from typing import Any

from terminal.domain.marketdata import BookUpdate, Level
from terminal.domain.orders import Side
from terminal.venues.paradex.sbe import layouts as L
from terminal.venues.paradex.sbe.encode import SbeEncodeError, encode_public
from terminal.venues.paradex.schemas.public import (
    BboPayload,
    FundingDataPayload,
    FundingRateComparison,
    Greeks,
    MarketSummaryPayload,
    TradePayload,
)

__all__ = [
    "PublicPayload",
    "SbeDropped",
    "SbeEncodeError",
    "decode_book",
    "decode_public",
    "encode_public",
]

PublicPayload = (
    BookUpdate
    | TradePayload
    | BboPayload
    | MarketSummaryPayload
    | FundingDataPayload
    | FundingRateComparison
)


class SbeDropped(Exception):
    """A frame the decoder does not deliver; `reason` is a short counter key."""

    def __init__(self, reason: str, detail: str = "") -> None:
        super().__init__(f"{reason}: {detail}" if detail else reason)
        self.reason = reason


_BOOK_FIXED = struct.Struct("<HHHHqqB")  # header, then ts, seq and pkgType
_BOOK_BLOCK = L.block_length(L.BOOK, L.SCHEMA_VERSION)
_LEVEL = L.BOOK_LEVEL_BLOCK
# Header, ts, seq, pkgType, the best_* fields (skipped: the book has them) and the bids'
# group header, for the block length every schema version so far writes.
_BOOK_HEAD_STRUCT = struct.Struct(f"<HHHHqqB{_BOOK_BLOCK - 17}xHH")
_BOOK_HEAD = _BOOK_HEAD_STRUCT.unpack_from
_BOOK_HEAD_SIZE = _BOOK_HEAD_STRUCT.size
# `BookUpdate.__new__` is a Python function; `tuple.__new__` builds the same NamedTuple
# in one C call, which saves about a tenth of a book frame's decode.
_new_update = tuple.__new__
_GROUP_HEADER = L.GROUP_HEADER.unpack_from
_LEVELS = L.BOOK_LEVEL.iter_unpack
_LEVEL_AT = L.BOOK_LEVEL.unpack_from


def _value(field: L.Field, raw: int) -> Any:
    if field.scale:
        if raw == L.NULL_INT64:
            if field.nullable:
                return None
            # The schema's null in a required field: a malformed frame, not a price of
            # -92233720368.54775808.
            raise SbeDropped("malformed", f"{field.name} is null")
        return Decimal(raw).scaleb(-field.scale)
    if field.enum is not None:
        return field.enum.get(raw)
    return raw


def read_block(frame: bytes, template_id: int, block_length: int) -> dict[str, Any]:
    """The root fields of a frame by wire name; those outside `block_length` are None."""
    fields = L.LAYOUTS[template_id]
    full = L.FULL_BLOCKS[template_id]
    if block_length >= full.size:
        raws: tuple[int, ...] = full.unpack_from(frame, 8)
        return {f.name: _value(f, raw) for f, raw in zip(fields, raws, strict=True)}
    out: dict[str, Any] = {}
    for f in fields:
        fits = f.offset + f.size <= block_length
        out[f.name] = (
            _value(f, struct.unpack_from("<" + f.fmt, frame, 8 + f.offset)[0]) if fits else None
        )
    return out


def read_var(frame: bytes, pos: int) -> tuple[str | None, int]:
    """One varString8 at `pos`: (text or None when the frame ends first, next position)."""
    if pos >= len(frame):
        return None, pos
    end = pos + 1 + frame[pos]
    if end > len(frame):
        raise SbeDropped("truncated", "var-data past the end of the frame")
    try:
        return frame[pos + 1 : end].decode(), end
    except UnicodeDecodeError as exc:
        raise SbeDropped("malformed", "var-data is not UTF-8") from exc


def decode_book(frame: bytes) -> BookUpdate:
    """Decode a BookEvent frame straight into a `BookUpdate` in integer units.

    The ingest hot path: few calls, no Decimal. The header is re-read here so callers can
    route on the template id alone.
    """
    # Fast path for the frame as the venue and our encoder write it (block 89, entries of
    # 16, a market seen before): one unpack reads the header, the fixed fields and the
    # bids' group header; empty groups cost nothing. Anything else, including every frame
    # to be rejected, takes the general path, which says why.
    try:
        block, _template, schema, _version, ts, seq, pkg, bid_entry, bid_count = _BOOK_HEAD(frame)
        if block == _BOOK_BLOCK and schema == L.SCHEMA_ID and pkg <= 1 and bid_entry == _LEVEL:
            bid_end = _BOOK_HEAD_SIZE + _LEVEL * bid_count
            ask_entry, ask_count = _GROUP_HEADER(frame, bid_end)
            ask_start = bid_end + 4
            pos = ask_start + _LEVEL * ask_count
            if ask_entry == _LEVEL and pos <= len(frame):
                market = _MARKETS.get(frame[pos:])
                if market is not None:
                    # Most deltas hold one level per side, or none: one unpack_from then
                    # beats slicing and iterating.
                    if bid_count == 1:
                        bids = [_LEVEL_AT(frame, _BOOK_HEAD_SIZE)]
                    else:
                        bids = list(_LEVELS(frame[_BOOK_HEAD_SIZE:bid_end])) if bid_count else []
                    if ask_count == 1:
                        asks = [_LEVEL_AT(frame, ask_start)]
                    else:
                        asks = list(_LEVELS(frame[ask_start:pos])) if ask_count else []
                    return _new_update(BookUpdate, (market, seq, pkg == 0, bids, asks, ts // 1000))
    except struct.error:
        pass  # shorter than the common layout
    return _decode_book_any_block(frame)


def _decode_book_any_block(frame: bytes) -> BookUpdate:
    """`decode_book` for any block and entry lengths, and for frames to be rejected."""
    try:
        block, _template, schema, _version, ts, seq, pkg = _BOOK_FIXED.unpack_from(frame)
        if schema != L.SCHEMA_ID or block < _BOOK_FIXED.size - 8 or pkg > 1:
            raise SbeDropped("malformed", f"book frame: schema {schema} block {block} pkg {pkg}")
        bid_entry, bid_count = _GROUP_HEADER(frame, 8 + block)
        bid_start = 12 + block
        bid_end = bid_start + bid_entry * bid_count
        ask_entry, ask_count = _GROUP_HEADER(frame, bid_end)
        ask_start = bid_end + 4
        pos = ask_start + ask_entry * ask_count
        bids = _group(frame, bid_start, bid_count, bid_entry)
        asks = _group(frame, ask_start, ask_count, ask_entry)
        market = _MARKETS.get(frame[pos:]) or _read_market(frame, pos)
    except (struct.error, IndexError) as exc:
        raise SbeDropped("truncated", f"book frame: {exc}") from exc
    return BookUpdate(market, seq, pkg == 0, bids, asks, ts // 1000)


def _group(frame: bytes, start: int, count: int, entry: int) -> list[Level]:
    """The `count` levels of one book group, `entry` bytes apart (the general, slower case)."""
    if not count:
        return []  # whatever its entry length says, an empty group holds no levels
    end = start + entry * count
    if end > len(frame) or entry < L.BOOK_LEVEL_BLOCK:
        raise SbeDropped("truncated", "book group overruns the frame")
    if entry == L.BOOK_LEVEL_BLOCK:
        return list(L.BOOK_LEVEL.iter_unpack(frame[start:end]))
    return [L.BOOK_LEVEL.unpack_from(frame, p) for p in range(start, end, entry)]


# The frame's tail (length byte + market) → market: a book frame's last field repeats for
# every frame of a market, so one dict lookup replaces the bounds checks and the decode.
_MARKETS: dict[bytes, str] = {}
_MARKETS_MAX = 1024


def _read_market(frame: bytes, pos: int) -> str:
    market, end = read_var(frame, pos)
    if market is None:
        raise SbeDropped("truncated", "no market")
    if not market:  # routed as "", it would reach the family's ALL subscriber
        raise SbeDropped("malformed", "an empty market name")
    if end == len(frame) and len(_MARKETS) < _MARKETS_MAX:
        _MARKETS[frame[pos:]] = market
    return market


def _trade(f: dict[str, Any], var: list[str | None]) -> TradePayload:
    if f["side"] is None:
        raise SbeDropped("unknown_enum", "trade side")
    trade_id = var[1] if len(var) > 1 else None
    market = var[0] or ""
    return TradePayload(
        market,
        Side(f["side"]),
        f["price"],
        f["size"],
        f["createdAt"] // 1000,
        f["tradeType"],
        trade_id,
    )


def _bbo(f: dict[str, Any], var: list[str | None]) -> BboPayload:
    return BboPayload(
        var[0] or "",
        f["seq"],
        f["ts"] // 1000,
        f["bidPrice"],
        f["bidSize"],
        f["askPrice"],
        f["askSize"],
    )


def _summary(f: dict[str, Any], var: list[str | None]) -> MarketSummaryPayload:
    greeks = {g: f[g] for g in L.GREEKS}
    precise = f["fundingRatePrecise"]
    return MarketSummaryPayload(
        symbol=var[0] or "",
        mark_price=f["markPrice"],
        underlying_price=f["indexPrice"],
        last_traded_price=f["lastPrice"],
        bid=f["bid"],
        bid_size=f["bidSize"],
        ask=f["ask"],
        ask_size=f["askSize"],
        volume_24h=f["volumeUsd24h"],
        total_volume=f["totalVolume"],
        open_interest=f["openInterest"],
        funding_rate=precise if precise is not None else f["fundingRate"],
        future_funding_rate=f["futureFundingRate"],
        price_change_rate_24h=f["priceChangeRate24h"],
        external_fair_price=f["externalFairPrice"],
        mark_iv=f["markIv"],
        bid_iv=f["bidIv"],
        ask_iv=f["askIv"],
        last_iv=f["lastIv"],
        forward_rate=f["forwardRate"],
        risk_free_rate=f["riskFreeRate"],
        greeks=Greeks(**greeks) if any(v is not None for v in greeks.values()) else None,
        created_at=f["ts"] // 1000,
    )


def _funding(f: dict[str, Any], var: list[str | None]) -> FundingDataPayload:
    return FundingDataPayload(
        var[0] or "",
        f["fundingIndex"],
        f["fundingPremium"],
        f["fundingRate"],
        f["fundingRate8h"],
        f["fundingPeriodHours"],
        f["createdAt"] // 1000,
        f["impactPremiumRate"],
    )


def _comparison(f: dict[str, Any], var: list[str | None]) -> FundingRateComparison:
    # The schema asks for UNSPECIFIED, not null, for values it cannot name yet.
    return FundingRateComparison(
        var[0] or "",
        "ASSET_KIND_" + (f["assetKind"] or "UNSPECIFIED"),
        "SOURCE_" + (f["source"] or "UNSPECIFIED"),
        f["lastUpdatedAt"] // 1000,
        f["hourlyFundingRate"],
    )


_BUILDERS: dict[int, Callable[[dict[str, Any], list[str | None]], PublicPayload]] = {
    L.TRADE: _trade,
    L.BBO: _bbo,
    L.MARKET_SUMMARY: _summary,
    L.FUNDING_DATA: _funding,
    L.FUNDING_RATE_COMPARISON: _comparison,
}


def decode_public(frame: bytes) -> tuple[int, str, PublicPayload]:
    """Decode one public frame to (templateId, market, payload); raise `SbeDropped` otherwise."""
    if len(frame) < L.HEADER.size:
        raise SbeDropped("truncated", "shorter than the header")
    block_length, template_id, schema_id, version = L.HEADER.unpack_from(frame)
    if schema_id != L.SCHEMA_ID:
        raise SbeDropped("schema", f"schemaId {schema_id}")
    if 8 + block_length > len(frame):
        raise SbeDropped("truncated", "block past the end of the frame")
    if template_id == L.BOOK:
        update = decode_book(frame)
        return template_id, update.market, update
    build = _BUILDERS.get(template_id)
    if build is None:
        if template_id in L.SYSTEM_TEMPLATES:
            raise SbeDropped("system", f"template {template_id}")
        if template_id in L.PRIVATE_FAMILIES:
            raise SbeDropped("private", f"template {template_id}")
        raise SbeDropped("unknown_template", f"template {template_id}")
    if block_length < L.block_length(template_id, 0):
        raise SbeDropped("malformed", f"block {block_length} lacks required fields")
    fields = read_block(frame, template_id, block_length)
    var: list[str | None] = []
    pos = 8 + block_length
    for _ in L.var_data_names(template_id, version):
        value, pos = read_var(frame, pos)
        var.append(value)
    if var[0] is None:
        raise SbeDropped("truncated", "no market")
    if not var[0]:
        raise SbeDropped("malformed", "an empty market name")
    return template_id, var[0], build(fields, var)
