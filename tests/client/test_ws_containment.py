"""WsSession regressions from issue 9: hostile answer ids, contained frames, prompt close."""

from __future__ import annotations

import asyncio
import json
import logging
import random
import time

from websockets.asyncio.server import ServerConnection, serve

from terminal.venues.paradex.errors import ParadexError
from terminal.venues.paradex.sbe.encode import encode_public
from terminal.venues.paradex.ws.session import ConnectionState, WsSession
from tests.client.test_ws_session import trade

L = ConnectionState


def answer(request_id: object, result: object = None) -> str:
    return json.dumps({"jsonrpc": "2.0", "id": request_id, "result": result})


async def test_answers_with_ids_that_are_not_ours_are_dropped(harness, ws_venue, signal):
    # Regression: "²".isdigit() is True and int("²") raises; so does int() of 5,000 digits.
    # The ValueError killed the session task: no reconnect, STALE for ever, close() raised.
    await harness.session.start()
    got = signal.recorder()
    await harness.session.subscribe("trades.BTC-USD-PERP", got)
    await ws_venue.push(
        answer("²"),
        answer("9" * 5000),
        '{"jsonrpc":"2.0","id":' + "9" * 5000 + ',"result":null}',
        answer("-1"),
        answer(" 1"),
        ws_venue.notification("trades.BTC-USD-PERP", trade("BTC-USD-PERP")),
    )
    await signal.until(lambda: len(got.items) == 1)
    assert await harness.session.call("echo", {"still": "here"}) == {"still": "here"}
    assert harness.session.state is L.LIVE
    assert harness.session.stats.reconnects == 0
    await harness.session.close()  # must not raise
    assert harness.session.state is L.CLOSED


async def test_a_frame_that_breaks_the_reader_is_counted_and_skipped(
    harness, ws_venue, signal, caplog
):
    await harness.session.start()
    got = signal.recorder()
    await harness.session.subscribe("trades.BTC-USD-PERP", got)
    # A session-internal failure per frame: a state listener that raises is contained by
    # _set_state, so break routing itself through a registry bug on every notification.
    registry = harness.session._subs
    real_route = registry.route
    broken = {"on": True}

    def route(note):  # type: ignore[no-untyped-def]
        if broken["on"]:
            signal.notify()
            raise KeyError("routing bug")
        return real_route(note)

    registry.route = route  # type: ignore[method-assign]
    frames = [
        ws_venue.notification("trades.BTC-USD-PERP", trade("BTC-USD-PERP", str(n)))
        for n in range(100)
    ]
    with caplog.at_level(logging.ERROR, "terminal.venues.paradex.ws.session"):
        await ws_venue.push(*frames)
        await signal.until(lambda: harness.session.stats.frame_errors == 100)
    # Counted every time, logged at 1, 2, 4, ..., 64: seven lines, not a hundred.
    assert len([r for r in caplog.records if "could not be handled" in r.message]) == 7
    broken["on"] = False
    await ws_venue.push(ws_venue.notification("trades.BTC-USD-PERP", trade("BTC-USD-PERP")))
    await signal.until(lambda: len(got.items) == 1)
    assert harness.session.state is L.LIVE and harness.session.stats.reconnects == 0


async def test_the_run_loop_survives_its_own_bugs_by_reconnecting(ws_venue, signal):
    tokens = 0

    async def token_provider() -> str:
        nonlocal tokens
        tokens += 1
        if tokens == 1:
            raise RuntimeError("a bug in the token provider")  # not a ParadexError
        return f"jwt-{tokens}"

    session = WsSession(
        ws_venue.url,
        token_provider=token_provider,
        backoff_initial=0.01,
        backoff_max=0.05,
        rng=random.Random(1),
    )
    states = signal.recorder()
    session.add_state_listener(states)
    try:
        await session.start()
        assert session.state is L.LIVE
        assert session.stats.reconnects == 1
        assert session.failures.counts["session"] == 1
        reasons = [reason for state, reason in states.items if state is L.RECONNECTING]
        assert reasons and "a bug in the token provider" in reasons[0]
        assert ws_venue.calls("auth") == [{"bearer": "jwt-2"}]
    finally:
        await session.close()


async def test_a_token_provider_refusal_is_not_a_bug(ws_venue, signal):
    calls = 0

    async def token_provider() -> str:
        nonlocal calls
        calls += 1
        if calls == 1:
            raise ParadexError("UNAVAILABLE", "venue down")
        return "jwt"

    session = WsSession(ws_venue.url, token_provider=token_provider, backoff_initial=0.01)
    try:
        await session.start()
        assert session.failures.total == 0 and session.stats.reconnects == 1
    finally:
        await session.close()


class Flooder:
    """A venue that acks the subscribe, then floods trades and reads nothing more (an
    exchange process stuck writing, or stopped): our close frame is never answered."""

    def __init__(self) -> None:
        self.flooding = asyncio.Event()

    async def handler(self, ws: ServerConnection) -> None:
        async for text in ws:
            request = json.loads(text)
            await ws.send(answer(request["id"], {"channel": "x"}))
            if request["method"] == "subscribe":
                break
        ws.transport.pause_reading()
        frame = json.dumps(
            {
                "jsonrpc": "2.0",
                "method": "subscription",
                "params": {"channel": "trades.BTC-USD-PERP", "data": trade("BTC-USD-PERP")},
            }
        )
        self.flooding.set()
        while True:
            await ws.send(frame)
            await asyncio.sleep(0)


async def test_close_under_a_flood_is_prompt() -> None:
    # Regression: quitting under load hung on the closing handshake for the 10 s close
    # timeout when the venue did not answer, and close() swallowed the cancellation
    # meant to bound it.
    flooder = Flooder()
    async with serve(flooder.handler, "127.0.0.1", 0) as server:
        port = server.sockets[0].getsockname()[1]
        for _ in range(5):
            session = WsSession(f"ws://127.0.0.1:{port}/v1", sbe_version=None)
            received = asyncio.Event()
            await session.start()
            await session.subscribe("trades.BTC-USD-PERP", lambda _e, r=received: r.set())
            await asyncio.wait_for(received.wait(), 5)
            started = time.perf_counter()
            await asyncio.wait_for(session.close(), 1.0)
            assert time.perf_counter() - started < 0.6
            assert session.state is L.CLOSED


async def test_fragmented_messages_are_joined_in_order(harness, ws_venue, signal):
    # The session takes whole messages straight from websockets' frame parser
    # (`SinkConnection`); a venue may still fragment one, text or binary.
    await harness.session.start()
    got = signal.recorder()
    await harness.session.subscribe("trades.BTC-USD-PERP", got)
    text = [
        ws_venue.notification("trades.BTC-USD-PERP", trade("BTC-USD-PERP", str(n)))
        for n in range(3)
    ]
    binary = encode_public("trades", trade("BTC-USD-PERP", "3"), 2)
    server = ws_venue.connections[-1]
    await server.send(text[0])
    await server.send([text[1][:10], text[1][10:40], text[1][40:]])
    await server.send([binary[:7], binary[7:]])
    await server.send(text[2])
    await signal.until(lambda: len(got.items) == 4)
    assert [t.id for t in got.items] == ["0", "1", "3", "2"]
    assert harness.session.stats.frame_errors == 0


def spin(seconds: float) -> None:
    """Keep the CPU busy for `seconds`: what a costly subscriber does (not a wait)."""
    end = time.perf_counter() + seconds
    while time.perf_counter() < end:
        pass


async def test_a_large_read_is_delivered_in_slices_with_the_loop_running_between(
    harness, ws_venue, signal
):
    # One read is parsed in one loop callback; delivered whole, 200 messages at 0.5 ms
    # each would hold the loop for 100 ms (no paint, no timer). Sliced, other callbacks
    # run in between, and reading waits until the backlog is delivered.
    await harness.session.start()
    seen: list[str] = []
    between: list[tuple[int, bool]] = []
    loop = asyncio.get_running_loop()
    transport = harness.session._ws.transport

    def costly(event) -> None:
        seen.append(event.id)
        if len(seen) == 1:
            loop.call_soon(lambda: between.append((len(seen), transport.is_reading())))
        spin(0.0005)
        signal.notify()

    await harness.session.subscribe("trades.BTC-USD-PERP", costly)
    count = 200
    ws_venue.push_at_once(
        [
            ws_venue.notification("trades.BTC-USD-PERP", trade("BTC-USD-PERP", str(n)))
            for n in range(count)
        ]
    )
    await signal.until(lambda: len(seen) == count)
    assert seen == [str(n) for n in range(count)]
    delivered_before, reading = between[0]
    assert delivered_before < count / 4
    assert reading is False
    await signal.until(transport.is_reading)


async def test_a_large_read_is_parsed_a_chunk_at_a_time(harness, ws_venue, signal):
    # Inflating and splitting frames is never cut, so what one loop callback parses is
    # bounded by the chunk, not by what the socket read (asyncio reads up to 256 KiB).
    await harness.session.start()
    connection = harness.session._ws
    parsed: list[int] = []
    receive_data = connection.protocol.receive_data

    def spy(data: bytes) -> None:
        parsed.append(len(data))
        receive_data(data)

    connection.protocol.receive_data = spy
    got = signal.recorder()
    await harness.session.subscribe("trades.BTC-USD-PERP", got)
    parsed.clear()
    count = 3000
    ws_venue.push_at_once(
        [
            ws_venue.notification("trades.BTC-USD-PERP", trade("BTC-USD-PERP", str(n)))
            for n in range(count)
        ]
    )
    await signal.until(lambda: len(got.items) == count)
    assert [t.id for t in got.items] == [str(n) for n in range(count)]
    assert max(parsed) <= connection.chunk_bytes < sum(parsed)


async def test_sliced_delivery_keeps_wire_order_across_fragments_pings_and_sbe(
    harness, ws_venue, signal
):
    # One write: text and binary messages, some fragmented, pings between them. However
    # the slices and chunks fall, every message arrives once, in wire order, and the
    # connection lives on.
    await harness.session.start()
    seen: list[str] = []

    def costly(event) -> None:
        seen.append(event.id)
        spin(0.0002)
        signal.notify()

    await harness.session.subscribe("trades.BTC-USD-PERP", costly)
    rng = random.Random(7)
    protocol = ws_venue.connections[-1].protocol
    count, pings = 1500, 0
    for n in range(count):
        payload = trade("BTC-USD-PERP", str(n))
        binary = rng.random() < 0.3
        data = (
            encode_public("trades", payload, 2)
            if binary
            else ws_venue.notification("trades.BTC-USD-PERP", payload).encode()
        )
        if rng.random() < 0.2:
            cut = rng.randrange(1, len(data))
            (protocol.send_binary if binary else protocol.send_text)(data[:cut], fin=False)
            protocol.send_continuation(data[cut:], fin=True)
        else:
            (protocol.send_binary if binary else protocol.send_text)(data)
        if rng.random() < 0.02:
            protocol.send_ping(str(n).encode())
            pings += 1
    ws_venue.connections[-1].send_data()
    await signal.until(lambda: len(seen) == count, within=30)
    assert seen == [str(n) for n in range(count)]
    assert pings > 0 and harness.session.stats.frame_errors == 0
    assert harness.session.state is L.LIVE and harness.session.stats.reconnects == 0


async def test_a_close_behind_sliced_messages_comes_after_them(harness, ws_venue, signal):
    await harness.session.start()
    seen: list[str] = []
    at_drop: list[int] = []

    def costly(event) -> None:
        seen.append(event.id)
        spin(0.0005)
        signal.notify()

    harness.session.add_state_listener(
        lambda state, _reason: state is L.RECONNECTING and at_drop.append(len(seen))
    )
    await harness.session.subscribe("trades.BTC-USD-PERP", costly)
    count = 50
    ws_venue.push_at_once(
        [
            ws_venue.notification("trades.BTC-USD-PERP", trade("BTC-USD-PERP", str(n)))
            for n in range(count)
        ],
        close=True,
    )
    await signal.until(lambda: bool(at_drop))
    assert at_drop == [count]
    assert seen == [str(n) for n in range(count)]


async def test_a_text_frame_that_is_not_utf8_is_counted_and_skipped(harness, ws_venue, signal):
    await harness.session.start()
    got = signal.recorder()
    await harness.session.subscribe("trades.BTC-USD-PERP", got)
    server = ws_venue.connections[-1]
    await server.send(b'{"jsonrpc":"2.0","bad":"\xff\xfe"}', text=True)
    await ws_venue.push(ws_venue.notification("trades.BTC-USD-PERP", trade("BTC-USD-PERP")))
    await signal.until(lambda: len(got.items) == 1)
    assert harness.session.stats.frame_errors == 1
    assert harness.session.state is L.LIVE and harness.session.stats.reconnects == 0
