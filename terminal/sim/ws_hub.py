"""Fan-out: routes engine events to the subscribed connections, framed as JSON or SBE."""

from __future__ import annotations

import logging
from collections import defaultdict
from collections.abc import Callable
from typing import Any

import msgspec

from terminal.sim.book_views import book_view
from terminal.sim.engine.events import PrivateEvent, PublicEvent
from terminal.sim.faults import FaultDice
from terminal.sim.ws_channels import ALL, PRIVATE_ACCOUNT_WIDE, Channel
from terminal.sim.ws_client import WsClient
from terminal.venues.paradex.sbe.encode import encode_public

log = logging.getLogger(__name__)

SBE_FAMILIES = frozenset({"trades", "bbo", "order_book", "markets_summary", "funding_data"})
"""Public families that have an SBE template (§11.5.2); everything else stays JSON."""

_encode = msgspec.json.Encoder().encode
Target = tuple[WsClient, Channel]
_NO_TARGETS: frozenset[Target] = frozenset()


def notification(channel: str, data_json: bytes) -> str:
    """The §11.2 subscription notification text, around already-encoded data."""
    return (
        '{"jsonrpc":"2.0","method":"subscription","params":{"channel":'
        f'{_encode(channel).decode()},"data":{data_json.decode()}}}}}'
    )


class _Framed:
    """One payload's frames, each form encoded at most once however many clients get it."""

    __slots__ = ("_data", "_json", "_sbe", "family", "payload")

    def __init__(self, family: str, payload: dict[str, Any]) -> None:
        self.family = family
        self.payload = payload
        self._data: bytes | None = None
        self._json: dict[str, str] = {}
        self._sbe: dict[int, bytes] = {}

    def for_client(self, client: WsClient, channel: str) -> str | bytes:
        version = client.sbe_version
        if version is not None and self.family in SBE_FAMILIES:
            frame = self._sbe.get(version)
            if frame is None:
                frame = self._sbe[version] = encode_public(self.family, self.payload, version)
            return frame
        text = self._json.get(channel)
        if text is None:
            if self._data is None:
                self._data = _encode(self.payload)
            text = self._json[channel] = notification(channel, self._data)
        return text


class Hub:
    """Every connection and subscription; the engine's listener and the snapshot throttle."""

    def __init__(self, dice: FaultDice, book_snapshot: Callable[[str], dict[str, Any]]) -> None:
        self.clients: set[WsClient] = set()
        self._dice = dice
        self._book_snapshot = book_snapshot
        self._public: defaultdict[tuple[str, str], set[Target]] = defaultdict(set)
        self._private: defaultdict[tuple[int, str, str], set[Target]] = defaultdict(set)
        self._views: defaultdict[str, set[Target]] = defaultdict(set)
        self._book_seq: dict[str, int] = {}
        self._malformed_credit = 0.0
        self._malformed_sent = 0
        self._last_tick_ms: int | None = None

    def add(self, client: WsClient) -> None:
        """Register a new connection."""
        self.clients.add(client)

    def remove(self, client: WsClient) -> None:
        """Forget a connection and all its subscriptions."""
        for channel in list(client.channels.values()):
            self.unsubscribe(client, channel)
        self.clients.discard(client)

    def subscribe(self, client: WsClient, channel: Channel) -> None:
        """Start routing `channel` to `client` (the ack must already be queued)."""
        client.channels[channel.name] = channel
        target = (client, channel)
        if channel.view is not None:
            self._views[channel.market].add(target)
        elif channel.private:
            assert client.account is not None
            self._private[(client.account, channel.family, channel.market)].add(target)
        else:
            self._public[(channel.family, channel.market)].add(target)
            if channel.family == "order_book":
                # Deltas start with a snapshot that shares the delta sequence (§11.4).
                self._deliver(_Framed("order_book", self._book_snapshot(channel.market)), target)

    def unsubscribe(self, client: WsClient, channel: Channel) -> None:
        """Stop routing `channel` to `client`."""
        client.channels.pop(channel.name, None)
        client.book_sent.pop(channel.name, None)
        target = (client, channel)
        if channel.view is not None:
            self._views[channel.market].discard(target)
        elif channel.private and client.account is not None:
            self._private[(client.account, channel.family, channel.market)].discard(target)
        else:
            self._public[(channel.family, channel.market)].discard(target)

    def publish(self, event: PublicEvent | PrivateEvent) -> None:
        """Engine listener: deliver one event to every matching subscription."""
        if isinstance(event, PublicEvent):
            if event.family == "order_book":
                self._book_seq[event.market] = event.payload["seq_no"]
            targets: set[Target] | frozenset[Target] = self._public.get(
                (event.family, event.market), _NO_TARGETS
            )
            to_all = self._public.get((event.family, ALL))
        else:
            # Account-wide channels (positions, account, balance_events) take no market.
            market = "" if event.family in PRIVATE_ACCOUNT_WIDE else event.market or ""
            targets = self._private.get((event.account, event.family, market), _NO_TARGETS)
            to_all = self._private.get((event.account, event.family, ALL)) if market else None
        if to_all:
            # runs once per engine event: a new set only when someone takes ALL (delivery
            # queues frames and never unsubscribes, so iterating the live set is safe)
            targets = targets | to_all
        if not targets:
            return
        framed = _Framed(event.family, event.payload)
        for target in targets:
            self._deliver(framed, target)

    def tick(self, now_ms: int, malformed_per_s: float) -> None:
        """Send due order-book views, and malformed frames when that fault is on."""
        for market, targets in self._views.items():
            if targets:
                self._send_views(market, targets, now_ms)
        if self._last_tick_ms is not None and malformed_per_s > 0:
            self._malformed_credit += malformed_per_s * (now_ms - self._last_tick_ms) / 1000
            while self._malformed_credit >= 1:
                self._malformed_credit -= 1
                frame = self._dice.malformed_frame(self._malformed_sent)
                self._malformed_sent += 1
                for client in list(self.clients):
                    client.send(frame)
        self._last_tick_ms = now_ms

    def close_all(self) -> None:
        """Disconnect every client now (fault knob and shutdown)."""
        for client in list(self.clients):
            client.close(1012, "service restart")

    def _send_views(self, market: str, targets: set[Target], now_ms: int) -> None:
        seq = self._book_seq.get(market, -1)
        full: dict[str, Any] | None = None
        views: dict[Any, _Framed] = {}
        for target in list(targets):
            client, channel = target
            assert channel.view is not None
            last_ms, last_seq = client.book_sent.get(channel.name, (-(10**12), -2))
            if now_ms - last_ms < channel.view.rate_ms or last_seq == seq:
                continue
            if full is None:
                full = self._book_snapshot(market)
                seq = full["seq_no"]
                self._book_seq.setdefault(market, seq)
            framed = views.get(channel.view)
            if framed is None:
                framed = views[channel.view] = _Framed("order_book", book_view(full, channel.view))
            client.book_sent[channel.name] = (now_ms, seq)
            self._deliver(framed, target)

    def _deliver(self, framed: _Framed, target: Target) -> None:
        client, channel = target
        if self._dice.drops(framed.family):
            return
        try:
            frame = framed.for_client(client, channel.name)
        except Exception:
            # One payload that cannot be framed must never kill the feed for the rest.
            log.exception("cannot frame %s for %s", framed.family, channel.name)
            return
        client.send(frame)
