"""Paradex WebSocket channel names for the neutral streams (PROTOCOL.md §10)."""

from __future__ import annotations

from terminal.domain.streams import Stream, StreamKind

_PER_MARKET = {
    StreamKind.BOOK: "order_book.{market}.deltas",
    StreamKind.TRADES: "trades.{market}",
    StreamKind.BBO: "bbo.{market}",
}
_ACCOUNT_WIDE = {
    StreamKind.SUMMARIES: "markets_summary.ALL",
    StreamKind.ORDERS: "orders.ALL",
    StreamKind.FILLS: "fills.ALL",
    StreamKind.POSITIONS: "positions",
    StreamKind.ACCOUNT: "account",
}


def channel_name(stream: Stream) -> str:
    """The channel that carries `stream`."""
    template = _PER_MARKET.get(stream.kind)
    if template is None:
        return _ACCOUNT_WIDE[stream.kind]
    if not stream.market:
        raise ValueError(f"a {stream.kind} stream needs a market")
    return template.format(market=stream.market)
