"""Property tests: the WebSocket session against a hostile venue.

Whatever frames the venue sends (answers with ids of any shape, malformed JSON-RPC,
garbage text and binary, notifications with nonsense payloads, floods), the session
stays connected, keeps delivering valid data and answering calls, and closes cleanly.
"""

from __future__ import annotations

import asyncio
import json
import random
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from websockets.asyncio.server import serve

from terminal.venues.paradex.sbe import layouts as sbe_layouts
from terminal.venues.paradex.ws.session import ConnectionState, WsSession
from tests.client.conftest import Signal, WsVenue
from tests.client.test_ws_session import trade

TRADES = "trades.BTC-USD-PERP"

json_values = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(min_value=-(2**80), max_value=2**80)
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(max_size=20),
    lambda children: (
        st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=8), children, max_size=4)
    ),
    max_leaves=12,
)
ids = st.one_of(
    st.integers(min_value=-(2**80), max_value=2**80),
    st.text(max_size=30),
    st.sampled_from(["²", "9" * 5000, "٣", "1e3", " 1", "01", "-1", "0x1"]),
    st.floats(allow_nan=False, allow_infinity=False),
    st.none(),
    st.lists(st.integers(), max_size=3),
)
errors = st.one_of(
    st.none(),
    st.fixed_dictionaries({"code": json_values, "message": json_values}),
    json_values,
)
answers = st.builds(
    lambda i, r, e: json.dumps(
        {"jsonrpc": "2.0", "id": i, **({"result": r} if e is None else {"error": e})}
    ),
    ids,
    json_values,
    errors,
)
channels = st.one_of(
    st.sampled_from([TRADES, "orders.ALL", "order_book.BTC-USD-PERP.deltas", "trades.", ""]),
    st.text(max_size=30),
)
notifications = st.builds(
    lambda ch, data, method: json.dumps(
        {"jsonrpc": "2.0", "method": method, "params": {"channel": ch, "data": data}}
    ),
    channels,
    json_values | st.builds(lambda: trade("BTC-USD-PERP")) | st.just({**trade("X"), "size": "x"}),
    st.sampled_from(["subscription", "subscription", "", "wat"]),
)
sbe_like = st.builds(
    lambda template, tail: len(tail).to_bytes(2, "little") + template + tail,
    st.sampled_from([sbe_layouts.BOOK.to_bytes(2, "little"), b"\x00\x00", b"\xff\xff"]),
    st.binary(max_size=120),
)
frames = st.lists(
    st.one_of(
        answers,
        notifications,
        st.text(max_size=120),
        st.builds(json.dumps, json_values),
        st.binary(max_size=200),
        sbe_like,
    ),
    min_size=1,
    max_size=25,
)


async def survive(hostile: list[str | bytes]) -> dict[str, Any]:
    signal = Signal()
    venue = WsVenue(signal)
    async with serve(venue.handler, "127.0.0.1", 0) as server:
        port = server.sockets[0].getsockname()[1]

        async def token() -> str:
            return "jwt"

        session = WsSession(
            f"ws://127.0.0.1:{port}/v1",
            sbe_version=2,
            token_provider=token,
            backoff_initial=0.01,
            rng=random.Random(0),
        )
        try:
            await session.start()
            got = signal.recorder()
            await session.subscribe(TRADES, got)
            await session.subscribe("orders.ALL", signal.recorder())
            sentinel = {**trade("BTC-USD-PERP"), "id": "sentinel"}
            await venue.push(*hostile, venue.notification(TRADES, sentinel))
            await signal.until(lambda: any(getattr(t, "id", "") == "sentinel" for t in got.items))
            assert await session.call("echo", {"alive": True}) == {"alive": True}
            assert session.state is ConnectionState.LIVE
            assert session.stats.reconnects == 0
            return {"frame_errors": session.stats.frame_errors}
        finally:
            await session.close()  # never raises, whatever happened


@settings(max_examples=40, suppress_health_check=[HealthCheck.too_slow])
@given(frames)
def test_no_sequence_of_hostile_frames_stops_the_session(hostile: list[str | bytes]) -> None:
    outcome = asyncio.run(survive(hostile))
    # Nothing above may even count as a bug of ours: each one is a venue error.
    assert outcome["frame_errors"] == 0


def test_a_flood_of_garbage_between_valid_data() -> None:
    rng = random.Random(9)
    flood: list[str | bytes] = []
    for n in range(6000):
        kind = n % 4
        if kind == 0:
            flood.append(bytes(rng.getrandbits(8) for _ in range(rng.randrange(1, 40))))
        elif kind == 1:
            flood.append('{"jsonrpc":"2.0","id":"' + "9" * rng.randrange(1, 6000) + '"}')
        elif kind == 2:
            flood.append("{" * rng.randrange(1, 3000))
        else:
            flood.append(WsVenue.notification(TRADES, {**trade("BTC-USD-PERP"), "id": str(n)}))
    outcome = asyncio.run(survive(flood))
    assert outcome["frame_errors"] == 0
