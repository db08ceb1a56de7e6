"""Encode §11.4 JSON channel payloads as Paradex SBE frames (for the embedded exchange).

Follows the encoder rules of §11.5.6: header version = the negotiated one, only the fields
and var-data that exist at that version, book levels with an entry block of 16.
"""

from __future__ import annotations

import struct
from collections.abc import Mapping
from decimal import ROUND_DOWN, Decimal, InvalidOperation
from typing import Any

from terminal.venues.paradex.sbe import layouts as L


class SbeEncodeError(ValueError):
    """A payload cannot be expressed in the schema (missing field, too precise, too big)."""


def _mantissa(
    value: Any,
    scale: int = 8,
    *,
    nullable: bool = False,
    truncate: bool = False,
    saturate: bool = False,
) -> int:
    if value is None:
        if nullable:
            return L.NULL_INT64
        raise SbeEncodeError("a required decimal is null")
    try:
        number = value if isinstance(value, Decimal) else Decimal(str(value))
        scaled = number.scaleb(scale)
        exact = scaled.to_integral_value(ROUND_DOWN)
    except InvalidOperation as exc:
        raise SbeEncodeError(f"not a decimal: {value!r}") from exc
    if exact != scaled and not truncate:
        raise SbeEncodeError(f"{value} has more than {scale} decimals")
    mantissa = int(exact)
    if not L.NULL_INT64 < mantissa <= L.INT64_MAX:
        if not saturate:
            raise SbeEncodeError(f"{value} does not fit an int64 mantissa")
        mantissa = L.INT64_MAX if mantissa > 0 else L.NULL_INT64 + 1
    return mantissa


def _code(values: dict[int, str], name: str | None, prefix: str = "") -> int:
    wanted = (name or "").removeprefix(prefix)
    for code, known in values.items():
        if known == wanted:
            return code
    raise SbeEncodeError(f"unknown enum value {name!r}")


def _signed_low64(text: str | None) -> int:
    # The deprecated int64 tradeId: the low 64 bits of the decimal id, read as signed.
    if not text or not text.isdigit():
        return 0
    low = int(text) & 0xFFFF_FFFF_FFFF_FFFF
    return low - (1 << 64) if low > L.INT64_MAX else low


def _trade(p: Mapping[str, Any], ts: int | None, seq: int | None) -> dict[str, int]:
    created = p["created_at"] * 1000
    return {
        "ts": created if ts is None else ts,
        "seq": p.get("seq_no", 0) if seq is None else seq,
        "tradeId": _signed_low64(p.get("id")),
        "side": _code(L.SIDE, p["side"]),
        "price": _mantissa(p["price"]),
        "size": _mantissa(p["size"]),
        "createdAt": created,
        "tradeType": _code(L.FILL_TYPE, p["trade_type"]),
    }


def _bbo(p: Mapping[str, Any], ts: int | None, seq: int | None) -> dict[str, int]:
    return {
        "ts": p["last_updated_at"] * 1000 if ts is None else ts,
        "seq": p["seq_no"] if seq is None else seq,
        "bidPrice": _mantissa(p.get("bid"), nullable=True),
        "bidSize": _mantissa(p.get("bid_size"), nullable=True),
        "askPrice": _mantissa(p.get("ask"), nullable=True),
        "askSize": _mantissa(p.get("ask_size"), nullable=True),
    }


def _best(p: Mapping[str, Any], key: str, item: str) -> int:
    level = p.get(key)
    return _mantissa(level.get(item) if level else None, nullable=True)


def _book(p: Mapping[str, Any], ts: int | None, seq: int | None) -> dict[str, int]:
    return {
        "ts": p["last_updated_at"] * 1000 if ts is None else ts,
        "seq": p["seq_no"] if seq is None else seq,
        "pkgType": _code(L.PKG_TYPE, p["update_type"]),
        "bestBidPrice": _best(p, "best_bid_interactive", "price"),
        "bestBidSize": _best(p, "best_bid_interactive", "size"),
        "bestAskPrice": _best(p, "best_ask_interactive", "price"),
        "bestAskSize": _best(p, "best_ask_interactive", "size"),
        "relativeSpread": _mantissa(p.get("relative_spread"), nullable=True),
        "bestBidApiPrice": _best(p, "best_bid_api", "price"),
        "bestBidApiSize": _best(p, "best_bid_api", "size"),
        "bestAskApiPrice": _best(p, "best_ask_api", "price"),
        "bestAskApiSize": _best(p, "best_ask_api", "size"),
    }


def _book_groups(p: Mapping[str, Any]) -> bytes:
    bids: list[tuple[int, int]] = []
    asks: list[tuple[int, int]] = []
    for key in ("inserts", "updates", "deletes"):
        for level in p.get(key) or ():
            size = 0 if key == "deletes" else _mantissa(level["size"])
            (bids if level["side"] == "BUY" else asks).append((_mantissa(level["price"]), size))
    # The simulator's order (§11.5.4): bids descending, asks ascending.
    bids.sort(reverse=True)
    asks.sort()
    out = bytearray()
    for levels in (bids, asks):
        out += L.GROUP_HEADER.pack(L.BOOK_LEVEL_BLOCK, len(levels))
        for level in levels:
            out += L.BOOK_LEVEL.pack(*level)
    return bytes(out)


def _summary(p: Mapping[str, Any], ts: int | None, seq: int | None) -> dict[str, int]:
    greeks = p.get("greeks") or {}
    rate = p.get("funding_rate")
    fields = {
        "ts": p.get("created_at", 0) * 1000 if ts is None else ts,
        "seq": p.get("seq_no", 0) if seq is None else seq,
        "markPrice": _mantissa(p["mark_price"]),
        "indexPrice": _mantissa(p["underlying_price"]),
        "lastPrice": _mantissa(p["last_traded_price"]),
        # Volumes saturate at int64 rather than failing the whole summary (§11.5.4): a
        # summary that cannot be sent leaves every panel without a mark price.
        "volumeUsd24h": _mantissa(p["volume_24h"], truncate=True, saturate=True),
        "openInterest": _mantissa(p["open_interest"]),
        "fundingRate": _mantissa(rate, truncate=True),
        "bid": _mantissa(p.get("bid"), nullable=True),
        "ask": _mantissa(p.get("ask"), nullable=True),
        "totalVolume": _mantissa(p["total_volume"], truncate=True, saturate=True),
        "priceChangeRate24h": _mantissa(p["price_change_rate_24h"], truncate=True),
        "fundingRatePrecise": _mantissa(rate, 12, nullable=True, truncate=True),
    }
    for name in ("mark_iv", "bid_iv", "ask_iv", "last_iv", "future_funding_rate"):
        fields[_camel(name)] = _mantissa(p.get(name), nullable=True, truncate=True)
    for name in ("external_fair_price", "bid_size", "ask_size", "forward_rate", "risk_free_rate"):
        fields[_camel(name)] = _mantissa(p.get(name), nullable=True)
    for name in L.GREEKS:
        fields[name] = _mantissa(greeks.get(name), nullable=True, truncate=True)
    return fields


def _camel(name: str) -> str:
    head, *rest = name.split("_")
    return head + "".join(part.title() for part in rest)


def _funding(p: Mapping[str, Any], ts: int | None, seq: int | None) -> dict[str, int]:
    created = p["created_at"] * 1000
    return {
        "ts": created if ts is None else ts,
        "seq": p.get("seq_no", 0) if seq is None else seq,
        "fundingRate": _mantissa(p["funding_rate"], truncate=True),
        "fundingIndex": _mantissa(p["funding_index"]),
        "createdAt": created,
        "fundingPremium": _mantissa(p["funding_premium"], truncate=True),
        "fundingRate8h": _mantissa(p["funding_rate_8h"], truncate=True),
        "fundingPeriodHours": int(p["funding_period_hours"]),
        "impactPremiumRate": _mantissa(p.get("impact_premium_rate"), nullable=True, truncate=True),
    }


def _comparison(p: Mapping[str, Any], ts: int | None, _seq: int | None) -> dict[str, int]:
    updated = p["last_updated_at"] * 1000
    return {
        "ts": updated if ts is None else ts,
        "lastUpdatedAt": updated,
        "hourlyFundingRate": _mantissa(p["hourly_funding_rate"], 12, truncate=True),
        "assetKind": _code(L.ASSET_KIND, p["asset_kind"], "ASSET_KIND_"),
        "source": _code(L.FUNDING_RATE_SOURCE, p["source"], "SOURCE_"),
    }


_ENCODERS = {
    "trades": (L.TRADE, _trade),
    "bbo": (L.BBO, _bbo),
    "order_book": (L.BOOK, _book),
    "markets_summary": (L.MARKET_SUMMARY, _summary),
    "funding_data": (L.FUNDING_DATA, _funding),
    "funding_rate_comparison": (L.FUNDING_RATE_COMPARISON, _comparison),
}


def _var_string(text: str) -> bytes:
    data = text.encode()
    if len(data) > 255:
        raise SbeEncodeError("var-data longer than 255 bytes")
    return bytes((len(data),)) + data


def encode_public(
    family: str,
    payload: Mapping[str, Any],
    version: int = L.SCHEMA_VERSION,
    *,
    ts_us: int | None = None,
    seq: int | None = None,
) -> bytes:
    """One SBE frame for a §11.4 channel payload at a negotiated schema version (0–2).

    `ts_us` and `seq` are SBE-only values with no JSON counterpart for some families;
    by default `ts` is the payload's own time in µs and `seq` its `seq_no` (or 0).
    """
    if family not in _ENCODERS:
        raise SbeEncodeError(f"no template for channel family {family!r}")
    if not 0 <= version <= L.SCHEMA_VERSION:
        raise SbeEncodeError(f"unsupported schema version {version}")
    template_id, build = _ENCODERS[family]
    if template_id == L.FUNDING_RATE_COMPARISON and version == 0:
        raise SbeEncodeError("funding_rate_comparison has no template at version 0")
    try:
        values = build(payload, ts_us, seq)
        layout = L.LAYOUTS[template_id]
        block = L.FULL_BLOCKS[template_id].pack(*(values[f.name] for f in layout))
        groups = _book_groups(payload) if template_id == L.BOOK else b""
    except (KeyError, TypeError, AttributeError, struct.error) as exc:
        raise SbeEncodeError(f"{family} payload: {exc!r}") from exc
    length = L.block_length(template_id, version)
    out = L.HEADER.pack(length, template_id, L.SCHEMA_ID, version) + block[:length] + groups
    texts = {
        "market": payload.get("market") or payload.get("symbol") or "",
        "tradeIdStr": payload.get("id"),
    }
    for name in L.var_data_names(template_id, version):
        text = texts[name]
        if text is not None:
            out += _var_string(text)
    return out
