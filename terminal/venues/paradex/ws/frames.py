"""Decode Paradex WebSocket frames: JSON-RPC text frames and SBE binary frames.

Public channel data becomes domain events (`BookUpdate`, `Trade`, `Bbo`, `MarketSummary`,
`FundingData`); private channel data stays `msgspec.Raw` for its owner to decode. Nothing
here raises on bad input: a frame that cannot be used is dropped, counted by reason in
`DROPPED` and logged (the first time, then at every power of two, so a flood of bad frames
cannot flood the log).
"""

from __future__ import annotations

import logging
from collections import Counter
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

import msgspec

from terminal.domain.marketdata import BookUpdate
from terminal.venues.paradex.sbe import decode as sbe
from terminal.venues.paradex.sbe import layouts as sbe_layouts
from terminal.venues.paradex.schemas.public import (
    BboPayload,
    FundingDataPayload,
    FundingRateComparison,
    MarketSummaryPayload,
    PriceBookUpdate,
    TradePayload,
)

_log = logging.getLogger(__name__)

DROPPED: Counter[str] = Counter()
"""Frames dropped since start-up, by reason ("malformed", "invalid_payload", "system", ...)."""


class Notification(msgspec.Struct, frozen=True, gc=False):
    """Channel data: `channel` is None for binary frames (they carry no channel name).

    A frozen `msgspec.Struct` rather than a frozen dataclass: one is built per frame, and
    it costs a tenth as much to build.
    """

    channel: str | None
    family: str
    market: str
    event: object


@dataclass(frozen=True, slots=True)
class RpcError:
    """A JSON-RPC error object (§11.2)."""

    code: int
    message: str
    data: str | None


@dataclass(frozen=True, slots=True)
class RpcResponse:
    """A JSON-RPC response; `result` is the decoded JSON, `error` set on failure."""

    id: int | str
    result: object
    error: RpcError | None


def channel_key(channel: str) -> tuple[str, str]:
    """(family, market) of a channel name; market is "ALL" for bare names (§11.5.8)."""
    family, dot, rest = channel.partition(".")
    if not dot:
        return family, "ALL"
    market = rest.split(".", 1)[0].split("@", 1)[0]
    return family, market or "ALL"


def dropped_counts() -> dict[str, int]:
    """A copy of the dropped-frame counters, for the session to expose."""
    return dict(DROPPED)


def _drop(reason: str, detail: str) -> None:
    DROPPED[reason] += 1
    count = DROPPED[reason]
    if reason == "system":
        # Heartbeats are expected every 20 s on an idle connection.
        _log.debug("dropped a system frame: %s", detail)
    elif count & (count - 1) == 0:
        _log.warning("dropped a WebSocket frame (%s, %d so far): %s", reason, count, detail)


T = TypeVar("T")


class _TypedParams(msgspec.Struct, Generic[T], gc=False):
    channel: str
    data: T


class _TypedNotification(msgspec.Struct, Generic[T], gc=False):
    params: _TypedParams[T]


class _RawParams(msgspec.Struct):
    channel: str
    data: msgspec.Raw = msgspec.Raw(b"null")


class _Error(msgspec.Struct):
    code: int
    message: str = ""
    data: Any = None


class _Envelope(msgspec.Struct):
    method: str | None = None
    params: _RawParams | None = None
    id: int | str | None = None
    result: Any = None
    error: _Error | None = None


_PUBLIC_SCHEMAS: dict[str, type[Any]] = {
    "order_book": PriceBookUpdate,
    "trades": TradePayload,
    "bbo": BboPayload,
    "markets_summary": MarketSummaryPayload,
    "funding_data": FundingDataPayload,
    "funding_rate_comparison": FundingRateComparison,
}
# One decoder per public family for the whole envelope: a book notification is decoded
# in a single msgspec pass, straight into typed structs (the ingest hot path).
_NOTIFICATION_DECODERS = {
    family: msgspec.json.Decoder(_TypedNotification[schema])  # type: ignore[valid-type]
    for family, schema in _PUBLIC_SCHEMAS.items()
}
_DATA_DECODERS = {family: msgspec.json.Decoder(s) for family, s in _PUBLIC_SCHEMAS.items()}
_ENVELOPE_DECODER = msgspec.json.Decoder(_Envelope)
_BOOK_TEMPLATE = sbe_layouts.BOOK.to_bytes(2, "little")
_CHANNEL_B = b'"channel":"'
_CHANNEL_S = '"channel":"'
_NOTIFICATION_HEAD = '{"jsonrpc":"2.0","method":"subscription","params":{"channel":"'
_CHANNEL_AT = len(_NOTIFICATION_HEAD)
Route = tuple[str, str, str, "msgspec.json.Decoder[Any]"]
_ROUTES: dict[str, Route] = {}
_ROUTES_MAX = 4096


def _peek_route(raw: bytes | str) -> Route | None:
    """(channel, family, market, decoder) for the first `"channel":"`: a hint, checked later."""
    if isinstance(raw, str):
        # Notifications as the venue and the simulator write them have the channel at a
        # fixed place: one startswith instead of searching for it.
        if raw.startswith(_NOTIFICATION_HEAD):
            start = _CHANNEL_AT
        else:
            start = raw.find(_CHANNEL_S) + 11
            if start < 11:
                return None
        channel = raw[start : raw.find('"', start)]
    else:
        start = raw.find(_CHANNEL_B) + 11
        if start < 11:
            return None
        try:
            channel = raw[start : raw.find(b'"', start)].decode()
        except UnicodeDecodeError:
            return None
    route = _ROUTES.get(channel)
    if route is None:
        family, market = channel_key(channel)
        decoder = _NOTIFICATION_DECODERS.get(family)
        if decoder is None:
            return None
        route = (channel, family, market, decoder)
        if len(_ROUTES) < _ROUTES_MAX:
            _ROUTES[channel] = route
    return route


def decode_text(raw: bytes | str) -> Notification | RpcResponse | None:
    """Decode one text frame; None (logged, counted) when it is malformed or unknown."""
    route = _peek_route(raw)
    if route is not None:
        channel, family, market, decoder = route
        try:
            params = decoder.decode(raw).params
            if params.channel == channel:
                event = params.data.to_domain()
                if market == "ALL" or getattr(event, "market", None) == market:
                    return Notification(channel, family, market, event)
                return _notification(channel, family, market, event)  # the rare case
        except (msgspec.DecodeError, ValueError):
            # Not a well-formed notification of that family after all: the generic
            # path below decides (and counts) what it is.
            pass
    return _decode_generic(raw)


def _notification(channel: str, family: str, market: str, event: Any) -> Notification | None:
    """The notification, or None (counted) when the data is for another market than the
    channel's: routing follows the channel, so BTC's book would apply an ETH delta."""
    if market != "ALL":
        # FundingRateComparison, the one event that is its wire struct, says `symbol`.
        named = getattr(event, "market", None) or getattr(event, "symbol", None)
        if named != market:
            _drop("wrong_market", f"{channel}: data for {named!r}")
            return None
    return Notification(channel, family, market, event)


def _decode_generic(raw: bytes | str) -> Notification | RpcResponse | None:
    try:
        envelope = _ENVELOPE_DECODER.decode(raw)
    except msgspec.ValidationError as exc:
        _drop("invalid_envelope", str(exc))
        return None
    except msgspec.DecodeError as exc:
        _drop("malformed", str(exc))
        return None
    if envelope.id is not None:
        error = envelope.error
        return RpcResponse(
            envelope.id,
            envelope.result,
            None
            if error is None
            else RpcError(
                error.code, error.message, None if error.data is None else str(error.data)
            ),
        )
    params = envelope.params
    if envelope.method != "subscription" or params is None:
        _drop("unknown_message", f"method {envelope.method!r}")
        return None
    family, market = channel_key(params.channel)
    decoder = _DATA_DECODERS.get(family)
    if decoder is None:
        return Notification(params.channel, family, market, params.data)
    try:
        event = decoder.decode(params.data).to_domain()
    except (msgspec.DecodeError, ValueError) as exc:
        _drop("invalid_payload", f"{params.channel}: {exc}")
        return None
    return _notification(params.channel, family, market, event)


def decode_binary(raw: bytes) -> Notification | None:
    """Decode one SBE binary frame; None (logged, counted) for system, unknown or bad frames."""
    try:
        if raw.startswith(_BOOK_TEMPLATE, 2):
            book = sbe.decode_book(raw)
            return Notification(None, "order_book", book.market, book)
        template_id, market, payload = sbe.decode_public(raw)
        event = payload if isinstance(payload, BookUpdate) else payload.to_domain()
    except sbe.SbeDropped as exc:
        _drop(exc.reason, str(exc))
        return None
    except Exception as exc:
        _drop("malformed", repr(exc))
        return None
    return Notification(None, sbe_layouts.PUBLIC_FAMILIES[template_id], market, event)
