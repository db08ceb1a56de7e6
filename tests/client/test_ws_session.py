"""WsSession against a real `websockets` server on 127.0.0.1."""

from __future__ import annotations

import asyncio
import json
from decimal import Decimal
from typing import Any

import pytest

from terminal.domain.connection import ConnectionState
from terminal.domain.marketdata import BookUpdate, Trade
from terminal.domain.orders import Order, OrderStatus
from terminal.venues.paradex.errors import (
    RpcError,
    SubscribeError,
    TransportError,
    WsDisconnected,
)
from terminal.venues.paradex.sbe.encode import encode_public
from terminal.venues.paradex.ws.session import WsSession
from terminal.venues.paradex.ws.sink_connection import DEFLATED_CHUNK_BYTES, PLAIN_CHUNK_BYTES

L = ConnectionState


def trade(market: str, trade_id: str = "1718179273230201709233240002") -> dict[str, Any]:
    return {
        "id": trade_id,
        "market": market,
        "side": "BUY",
        "size": "0.5",
        "price": "67000.5",
        "created_at": 1718179273230,
        "trade_type": "FILL",
    }


def book_delta(seq: int) -> dict[str, Any]:
    return {
        "market": "BTC-USD-PERP",
        "seq_no": seq,
        "last_updated_at": 1718267837265,
        "update_type": "d",
        "inserts": [{"side": "BUY", "price": f"{67000 + seq % 50}.5", "size": "0.25"}],
        "updates": [{"side": "SELL", "price": "67100", "size": "1.5"}],
        "deletes": [],
    }


ORDER = {
    "id": "77",
    "client_id": "c1",
    "market": "BTC-USD-PERP",
    "side": "SELL",
    "type": "LIMIT",
    "size": "0.1",
    "remaining_size": "0.1",
    "price": "70000",
    "status": "OPEN",
    "created_at": 1,
    "last_updated_at": 2,
}


async def test_start_negotiates_sbe_authenticates_and_goes_live(harness, ws_venue):
    await harness.session.start()
    assert harness.session.state is L.LIVE
    assert harness.state_names() == [L.CONNECTING, L.LIVE]
    assert ws_venue.paths == ["/v1?sbeSchemaId=1&sbeSchemaVersion=2"]
    assert ws_venue.calls("auth") == [{"bearer": "jwt-0"}]


async def test_subscribe_ack_and_error_ack(harness, ws_venue, signal):
    await harness.session.start()
    await harness.session.subscribe("trades.BTC-USD-PERP", signal.recorder())
    assert ws_venue.calls("subscribe") == [{"channel": "trades.BTC-USD-PERP"}]
    ws_venue.refuse.add("bogus.X")
    with pytest.raises(SubscribeError) as info:
        await harness.session.subscribe("bogus.X", signal.recorder())
    assert info.value.code == -32600 and info.value.data == "invalid channel"
    ws_venue.refuse.clear()
    await harness.session.subscribe("bogus.X", signal.recorder())  # not left registered
    with pytest.raises(SubscribeError):
        await harness.session.subscribe("trades.BTC-USD-PERP", signal.recorder())
    with pytest.raises(SubscribeError):  # one order-book variant per market
        await harness.session.subscribe("order_book.ETH-USD-PERP.deltas", signal.recorder())
        await harness.session.subscribe(
            "order_book.ETH-USD-PERP.snapshot@15@100ms", signal.recorder()
        )


async def test_routing_binary_and_text_market_first_then_all(harness, ws_venue, signal):
    await harness.session.start()
    btc, every = signal.recorder(), signal.recorder()
    await harness.session.subscribe("trades.BTC-USD-PERP", btc)
    await harness.session.subscribe("trades.ALL", every)
    await ws_venue.push(
        encode_public("trades", trade("BTC-USD-PERP", "1"), 2),
        encode_public("trades", trade("ETH-USD-PERP", "2"), 2),
        ws_venue.notification("trades.ALL", trade("SOL-USD-PERP", "3")),
        ws_venue.notification("trades.BTC-USD-PERP", trade("BTC-USD-PERP", "4")),
    )
    await signal.until(lambda: len(btc.items) == 2 and len(every.items) == 2)
    assert [t.id for t in btc.items] == ["1", "4"]
    assert [t.market for t in every.items] == ["ETH-USD-PERP", "SOL-USD-PERP"]
    assert isinstance(btc.items[0], Trade) and btc.items[0].price == Decimal("67000.5")
    assert harness.session.stats.channels["trades.BTC-USD-PERP"].count == 2


async def test_private_payloads_become_domain_objects(harness, ws_venue, signal):
    await harness.session.start()
    orders = signal.recorder()
    await harness.session.subscribe("orders.ALL", orders)
    await ws_venue.push(ws_venue.notification("orders.ALL", ORDER))
    await signal.until(lambda: len(orders.items) == 1)
    [order] = orders.items
    assert isinstance(order, Order) and order.status is OrderStatus.OPEN
    assert order.price == Decimal(70000)


async def test_malformed_frames_and_failing_callbacks_do_not_kill_the_reader(
    harness, ws_venue, signal
):
    await harness.session.start()
    got = signal.recorder()

    def explode(event: object) -> None:
        raise RuntimeError("subscriber bug")

    await harness.session.subscribe("trades.ETH-USD-PERP", explode)
    await harness.session.subscribe("orders.ALL", got)
    await ws_venue.push(
        "{not json",
        b"\x01\x02\x03",
        json.dumps({"jsonrpc": "2.0", "method": "wat"}),
        ws_venue.notification("orders.ALL", {"id": "no market"}),
        ws_venue.notification("trades.ETH-USD-PERP", trade("ETH-USD-PERP")),
        ws_venue.notification("orders.ALL", ORDER),
    )
    await signal.until(lambda: len(got.items) == 1)
    assert harness.session.state is L.LIVE
    assert harness.session.stats.callback_errors == 1
    assert harness.session.stats.undecodable == 1


async def test_drop_reconnects_reauths_and_resubscribes(harness, ws_venue, signal):
    await harness.session.start()
    trades, book = signal.recorder(), signal.recorder()
    await harness.session.subscribe("trades.BTC-USD-PERP", trades)
    await harness.session.subscribe("order_book.BTC-USD-PERP.deltas", book)
    await ws_venue.connections[0].close(1011, "server restart")
    await signal.until(lambda: harness.session.state is L.LIVE and len(ws_venue.connections) == 2)
    assert harness.state_names() == [L.CONNECTING, L.LIVE, L.RECONNECTING, L.CONNECTING, L.LIVE]
    reconnect_reason = harness.states.items[2][1]
    assert "1011" in reconnect_reason
    assert ws_venue.calls("auth", connection=1) == [{"bearer": "jwt-1"}]
    assert sorted(c["channel"] for c in ws_venue.calls("subscribe", connection=1)) == [
        "order_book.BTC-USD-PERP.deltas",
        "trades.BTC-USD-PERP",
    ]
    assert harness.session.stats.reconnects == 1
    await ws_venue.push(ws_venue.notification("order_book.BTC-USD-PERP.deltas", book_delta(1)))
    await signal.until(lambda: len(book.items) == 1)
    assert isinstance(book.items[0], BookUpdate)


async def test_subscribe_while_reconnecting_waits_for_the_ack(harness, ws_venue, signal):
    await harness.session.start()
    ws_venue.connections[0].transport.abort()  # an abrupt drop, no close frame
    await signal.until(lambda: harness.session.state is not L.LIVE)
    got = signal.recorder()
    await harness.session.subscribe("trades.ALL", got)
    assert harness.session.state is L.LIVE
    assert ws_venue.calls("subscribe", connection=1) == [{"channel": "trades.ALL"}]


async def test_sbe_version_2_refused_falls_back_to_1(ws_venue, signal):
    ws_venue.reject_sbe_versions.add("2")
    session = WsSession(ws_venue.url, backoff_initial=0.01)
    try:
        await session.start()
        assert session.sbe_version == 1
        assert ws_venue.paths == [
            "/v1?sbeSchemaId=1&sbeSchemaVersion=2",
            "/v1?sbeSchemaId=1&sbeSchemaVersion=1",
        ]
    finally:
        await session.close()


async def test_plain_json_session_and_query_append(ws_venue, signal):
    session = WsSession(ws_venue.url + "?x=1", sbe_version=None)
    try:
        await session.start()
        assert ws_venue.paths == ["/v1?x=1"]
    finally:
        await session.close()
    session = WsSession(ws_venue.url + "?x=1", sbe_version=0)
    try:
        await session.start()
        assert ws_venue.paths[-1] == "/v1?x=1&sbeSchemaId=1&sbeSchemaVersion=0"
    finally:
        await session.close()


async def test_deflate_is_offered_unless_turned_off(ws_venue, signal):
    for deflate, offered in ((True, True), (False, False)):
        session = WsSession(ws_venue.url, sbe_version=None, deflate=deflate)
        try:
            await session.start()
            extensions = ws_venue.connections[-1].request.headers.get(
                "Sec-WebSocket-Extensions", ""
            )
            assert ("permessage-deflate" in extensions) is offered
            # A read is parsed a chunk at a time, sized by what a message weighs.
            chunk = DEFLATED_CHUNK_BYTES if deflate else PLAIN_CHUNK_BYTES
            assert session._ws is not None and session._ws.chunk_bytes == chunk
        finally:
            await session.close()


async def test_stale_then_live_again(ws_venue, signal):
    session = WsSession(ws_venue.url, stale_after=0.1)
    states = signal.recorder()
    session.add_state_listener(states)
    try:
        await session.start()
        got = signal.recorder()
        await session.subscribe("trades.ALL", got)
        await signal.until(lambda: session.state is L.STALE)
        assert "no message" in states.items[-1][1]
        await ws_venue.push(ws_venue.notification("trades.ALL", trade("BTC-USD-PERP")))
        await signal.until(lambda: session.state is L.LIVE and len(got.items) == 1)
        assert session.message_age("trades.ALL") is not None
    finally:
        await session.close()


async def test_a_flood_is_consumed_without_falling_behind(harness, ws_venue, signal):
    await harness.session.start()
    count = 0
    done = asyncio.Event()

    def on_book(event: object) -> None:
        nonlocal count
        count += 1
        if count == 5000:
            done.set()

    await harness.session.subscribe("order_book.BTC-USD-PERP.deltas", on_book)
    frames = [
        ws_venue.notification("order_book.BTC-USD-PERP.deltas", book_delta(seq))
        for seq in range(1, 2501)
    ]
    binary = [encode_public("order_book", book_delta(seq), 2) for seq in range(2501, 5001)]
    await ws_venue.push(*frames, *binary)
    await asyncio.wait_for(done.wait(), 20)
    assert harness.session.state in (L.LIVE, L.STALE)
    assert harness.session.stats.channels["order_book.BTC-USD-PERP.deltas"].count == 5000
    assert harness.session.stats.reconnects == 0


async def test_call_correlates_answers_and_errors(harness, ws_venue):
    await harness.session.start()
    results = await asyncio.gather(*(harness.session.call("echo", {"n": n}) for n in range(20)))
    assert results == [{"n": n} for n in range(20)]
    with pytest.raises(RpcError) as info:
        await harness.session.call("order.nope", {})
    assert info.value.code == -32601


async def test_close_stops_everything(harness, ws_venue):
    await harness.session.start()
    await harness.session.close()
    assert harness.session.state is L.CLOSED
    assert harness.state_names()[-1] is L.CLOSED
    with pytest.raises(WsDisconnected):
        await harness.session.call("echo", {})
    names = {t.get_name() for t in asyncio.all_tasks()}
    assert not names & {"ws session", "ws stale watchdog", "ws reader"}


async def test_unsubscribe_stops_delivery(harness, ws_venue, signal):
    await harness.session.start()
    got, other = signal.recorder(), signal.recorder()
    await harness.session.subscribe("trades.ETH-USD-PERP", got)
    await harness.session.subscribe("trades.SOL-USD-PERP", other)
    await harness.session.unsubscribe("trades.ETH-USD-PERP")
    assert ws_venue.calls("unsubscribe") == [{"channel": "trades.ETH-USD-PERP"}]
    await ws_venue.push(
        ws_venue.notification("trades.ETH-USD-PERP", trade("ETH-USD-PERP")),
        ws_venue.notification("trades.SOL-USD-PERP", trade("SOL-USD-PERP")),
    )
    await signal.until(lambda: len(other.items) == 1)
    assert got.items == [] and harness.session.stats.unrouted == 1


async def test_token_failure_is_retried_with_a_fresh_token(ws_venue, signal):
    calls = 0

    async def flaky_token() -> str:
        nonlocal calls
        calls += 1
        if calls == 1:
            raise TransportError("ConnectError", "REST is down")
        return "jwt-ok"

    session = WsSession(ws_venue.url, token_provider=flaky_token, backoff_initial=0.01)
    states = signal.recorder()
    session.add_state_listener(states)
    try:
        await session.start()
        assert ws_venue.calls("auth") == [{"bearer": "jwt-ok"}]
        assert any("REST is down" in reason for _, reason in states.items)
    finally:
        await session.close()


async def test_auth_refused_reconnects(ws_venue, signal):
    tokens = iter(["bad", "good"])

    async def token() -> str:
        return next(tokens)

    session = WsSession(ws_venue.url, token_provider=token, backoff_initial=0.01)
    try:
        ws_venue.bad_tokens.add("bad")
        await session.start()
        assert [c["bearer"] for c in ws_venue.calls("auth")] == ["bad", "good"]
        assert len(ws_venue.connections) == 2
    finally:
        await session.close()


async def test_a_subscribe_cut_off_by_a_drop_completes_on_the_next_connection(
    harness, ws_venue, signal
):
    await harness.session.start()
    ws_venue.hold.add("trades.ALL")
    got = signal.recorder()
    pending = asyncio.create_task(harness.session.subscribe("trades.ALL", got))
    await signal.until(lambda: ws_venue.calls("subscribe", connection=0) != [])
    ws_venue.hold.clear()
    await ws_venue.connections[0].close(1011, "server restart")
    await asyncio.wait_for(pending, 5)  # no WsDisconnected: renewed on the new connection
    assert ws_venue.calls("subscribe", connection=1) == [{"channel": "trades.ALL"}]
    await ws_venue.push(ws_venue.notification("trades.ALL", trade("ETH-USD-PERP")))
    await signal.until(lambda: len(got.items) == 1)


async def test_a_renewal_refused_after_a_reconnect_is_reported_as_lost(harness, ws_venue, signal):
    lost = signal.recorder()
    harness.session.add_subscription_lost_listener(lost)
    await harness.session.start()
    await harness.session.subscribe("trades.BTC-USD-PERP", signal.recorder())
    await harness.session.subscribe("bbo.BTC-USD-PERP", signal.recorder())
    ws_venue.refuse.add("trades.BTC-USD-PERP")
    await ws_venue.connections[0].close(1011, "server restart")
    await signal.until(lambda: harness.session.state is L.LIVE and len(ws_venue.connections) == 2)
    assert [channel for channel, _ in lost.items] == ["trades.BTC-USD-PERP"]
    error = lost.items[0][1]
    assert isinstance(error, SubscribeError) and error.code == -32600
    ws_venue.refuse.clear()  # dropped by the session: a new subscribe is not a duplicate
    await harness.session.subscribe("trades.BTC-USD-PERP", signal.recorder())


async def test_the_hub_resubscribes_a_channel_the_venue_refused_to_renew(harness, ws_venue, signal):
    from terminal.services.subscriptions import SubscriptionHub
    from terminal.services.supervisor import Supervisor

    supervisor = Supervisor()
    hub = SubscriptionHub(harness.session, supervisor, retry_backoff=(0.01, 0.05))
    harness.session.add_subscription_lost_listener(hub.subscription_lost)
    problems = signal.recorder()
    hub.add_error_listener(problems)
    try:
        await harness.session.start()
        got = signal.recorder()
        await hub.acquire("trades.BTC-USD-PERP", got)
        ws_venue.refuse.add("trades.BTC-USD-PERP")
        await ws_venue.connections[0].close(1011, "server restart")
        await signal.until(lambda: len(problems.items) >= 2)  # lost, then a retry refused
        assert not hub.is_subscribed("trades.BTC-USD-PERP")
        assert all(isinstance(error, SubscribeError) for _, error in problems.items)
        ws_venue.refuse.clear()
        await signal.until(lambda: hub.is_subscribed("trades.BTC-USD-PERP"))
        assert problems.items[-1] == ("trades.BTC-USD-PERP", None)
        await ws_venue.push(ws_venue.notification("trades.BTC-USD-PERP", trade("BTC-USD-PERP")))
        await signal.until(lambda: len(got.items) == 1)
        subscribes = [c for i, m, c in ws_venue.log if m == "subscribe" and i == 1]
        assert len(subscribes) >= 3  # renewal refused, retries refused..., then accepted
    finally:
        await supervisor.shutdown(timeout=2)
