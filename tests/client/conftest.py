"""Shared helpers for the client tests: a scripted venue behind httpx.MockTransport."""

from __future__ import annotations

import asyncio
import base64
import json
import random
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any
from urllib.parse import parse_qs, urlsplit

import httpx
import pytest
from websockets.asyncio.server import ServerConnection, serve
from websockets.http11 import Request

from terminal.venues.paradex.crypto.signing import ParadexSigner, chain_id_from_name
from terminal.venues.paradex.http.client import ParadexRest
from terminal.venues.paradex.ws.session import ConnectionState, WsSession

BASE = "https://api.test.paradex.trade/v1"
PRIVATE_KEY = 0x543B6CF6C91817A87174AAEA4FB370AC1C694E864D7740D728F8344D53E815
ACCOUNT = 0x129C135ED63DF9353885E292BE4426B8ED6122B13C6C0E1BB787288A1F5ADFA
CHAIN_ID = chain_id_from_name("PRIVATE_SN_PARACLEAR_TESTNET")
NOW = 1_700_000_000.0

Handler = Callable[[httpx.Request], httpx.Response]


def make_jwt(exp: float, iat: float | None = None) -> str:
    """An unsigned JWS with the venue's claims (clients read only `exp`)."""

    def part(obj: object) -> str:
        return base64.urlsafe_b64encode(json.dumps(obj).encode()).rstrip(b"=").decode()

    claims = {"typ": "at+JWT", "exp": int(exp), "iat": int(iat or exp - 300), "sub": "0x1"}
    return f"{part({'alg': 'ES384', 'typ': 'JWT'})}.{part(claims)}.c2ln"


def json_response(
    status: int, body: object, headers: dict[str, str] | None = None
) -> httpx.Response:
    return httpx.Response(status, json=body, headers=headers)


def api_error(status: int, code: str, message: str = "m") -> httpx.Response:
    return httpx.Response(status, json={"error": code, "message": message, "data": None})


class FakeClock:
    """A wall clock the test moves by hand."""

    def __init__(self, now: float = NOW) -> None:
        self.now = now

    def __call__(self) -> float:
        return self.now


class Venue:
    """Routes requests by (method, path) to handlers and records every request.

    A route's value is a handler or a list of handlers used one per call (the last repeats).
    `/auth/...` answers with a fresh JWT (exp = clock + 300) unless overridden.
    """

    def __init__(self, clock: FakeClock) -> None:
        self.clock = clock
        self.routes: dict[tuple[str, str], Handler | list[Handler]] = {}
        self.requests: list[httpx.Request] = []
        self.tokens_issued: list[str] = []

    jwt = staticmethod(make_jwt)
    json = staticmethod(json_response)
    error = staticmethod(api_error)

    def route(self, method: str, path: str, *handlers: Handler) -> None:
        self.routes[(method, "/v1" + path)] = list(handlers)

    def count(self, method: str, path: str) -> int:
        return sum(1 for r in self.requests if r.method == method and r.url.path == "/v1" + path)

    def sent(self, method: str, path: str) -> httpx.Request:
        return next(
            r for r in reversed(self.requests) if r.method == method and r.url.path == "/v1" + path
        )

    def __call__(self, request: httpx.Request) -> httpx.Response:
        self.requests.append(request)
        key = (request.method, request.url.path)
        if key in self.routes:
            handlers = self.routes[key]
            assert isinstance(handlers, list)
            handler = handlers.pop(0) if len(handlers) > 1 else handlers[0]
            return handler(request)
        if request.method == "POST" and request.url.path.startswith("/v1/auth/"):
            token = make_jwt(self.clock.now + 300, self.clock.now)
            self.tokens_issued.append(token)
            return json_response(200, {"jwt_token": token})
        return api_error(404, "NOT_FOUND", f"no route {key}")


class Sleeps:
    """Records the waits of the backoff instead of waiting."""

    def __init__(self) -> None:
        self.waits: list[float] = []

    async def __call__(self, seconds: float) -> None:
        self.waits.append(seconds)


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
def venue(clock: FakeClock) -> Venue:
    return Venue(clock)


@pytest.fixture
def sleeps() -> Sleeps:
    return Sleeps()


@pytest.fixture
def private_key() -> int:
    return PRIVATE_KEY


@pytest.fixture
def signer() -> ParadexSigner:
    return ParadexSigner(PRIVATE_KEY, ACCOUNT, CHAIN_ID)


@pytest.fixture
async def rest(venue: Venue, clock: FakeClock, sleeps: Sleeps, signer: ParadexSigner) -> Any:
    client = ParadexRest(
        BASE,
        transport=httpx.MockTransport(venue),
        wall=clock,
        sleep=sleeps,
        rng=random.Random(7),
    )
    client.attach_signer(signer)
    yield client
    await client.aclose()


# -- WebSocket: a scripted JSON-RPC venue on 127.0.0.1 -------------------------------


class Signal:
    """Wakes waiters whenever something they may be waiting for happened."""

    def __init__(self) -> None:
        self._event = asyncio.Event()

    def notify(self) -> None:
        self._event.set()

    def recorder(self) -> Callable[..., None]:
        """A callback that appends its argument(s) to `.items` and notifies."""
        items: list[Any] = []

        def record(*args: Any) -> None:
            items.append(args[0] if len(args) == 1 else args)
            self.notify()

        record.items = items  # type: ignore[attr-defined]
        return record

    async def until(self, predicate: Callable[[], bool], within: float = 5.0) -> None:
        """Wait until `predicate()` holds (checked after every notify); fail after `within`."""

        async def wait() -> None:
            while not predicate():
                self._event.clear()
                await self._event.wait()

        await asyncio.wait_for(wait(), within)


def notification(channel: str, data: object) -> str:
    return json.dumps(
        {"jsonrpc": "2.0", "method": "subscription", "params": {"channel": channel, "data": data}}
    )


class WsVenue:
    """Answers `auth`/`subscribe`/`unsubscribe`, records them, pushes frames on demand."""

    notification = staticmethod(notification)

    def __init__(self, signal: Signal) -> None:
        self.signal = signal
        self.url = ""
        self.connections: list[ServerConnection] = []
        self.paths: list[str] = []
        self.log: list[tuple[int, str, object]] = []  # (connection index, method, params)
        self.refuse: set[str] = set()
        self.hold: set[str] = set()
        """Channels whose subscribe is recorded but never answered (an ack cut off)."""
        self.reject_sbe_versions: set[str] = set()
        self.bad_tokens: set[str] = set()

    def process_request(self, connection: ServerConnection, request: Request) -> Any:
        self.paths.append(request.path)
        version = parse_qs(urlsplit(request.path).query).get("sbeSchemaVersion", [""])[0]
        if version in self.reject_sbe_versions:
            return connection.respond(400, "unsupported sbeSchemaVersion\n")
        return None

    async def handler(self, ws: ServerConnection) -> None:
        self.connections.append(ws)
        self.signal.notify()
        index = len(self.connections) - 1
        async for text in ws:
            request = json.loads(text)
            method, params = request["method"], request.get("params")
            self.log.append((index, method, params))
            self.signal.notify()
            if method == "subscribe" and params["channel"] in self.hold:
                continue
            if method == "auth" and params["bearer"] in self.bad_tokens:
                answer: dict[str, object] = {
                    "error": {"code": 40111, "message": "invalid bearer token"}
                }
            elif method == "auth":
                answer = {"result": {"node_id": "n1"}}
            elif method in ("subscribe", "unsubscribe") and params["channel"] in self.refuse:
                answer = {
                    "error": {
                        "code": -32600,
                        "message": "invalid subscribe request",
                        "data": "invalid channel",
                    }
                }
            elif method in ("subscribe", "unsubscribe"):
                answer = {"result": {"channel": params["channel"]}}
            elif method == "echo":
                answer = {"result": params}
            else:
                answer = {"error": {"code": -32601, "message": "method not found"}}
            await ws.send(json.dumps({"jsonrpc": "2.0", "id": request["id"], **answer}))

    def calls(self, method: str, connection: int | None = None) -> list[object]:
        return [
            p for i, m, p in self.log if m == method and (connection is None or i == connection)
        ]

    async def push(self, *frames: str | bytes) -> None:
        for frame in frames:
            await self.connections[-1].send(frame)

    def push_at_once(self, texts: list[str], *, close: bool = False) -> None:
        """Write text messages (then a close frame) in one go: the client reads them in
        one read (server and client share the loop, so all is written before it reads)."""
        ws = self.connections[-1]
        for text in texts:
            ws.protocol.send_text(text.encode())
        if close:
            ws.protocol.send_close(1001, "going away")
        ws.send_data()


@pytest.fixture
def signal() -> Signal:
    return Signal()


@pytest.fixture
async def ws_venue(signal: Signal) -> Any:
    venue = WsVenue(signal)
    async with serve(
        venue.handler, "127.0.0.1", 0, process_request=venue.process_request
    ) as server:
        port = server.sockets[0].getsockname()[1]
        venue.url = f"ws://127.0.0.1:{port}/v1"
        yield venue


@dataclass
class Harness:
    """A started-on-demand session against `ws_venue`, its recorded states and tokens."""

    session: WsSession
    states: Any
    tokens: list[str]

    def state_names(self) -> list[ConnectionState]:
        return [state for state, _ in self.states.items]


@pytest.fixture
async def harness(ws_venue: WsVenue, signal: Signal) -> Any:
    tokens: list[str] = []

    async def token_provider() -> str:
        tokens.append(f"jwt-{len(tokens)}")
        return tokens[-1]

    session = WsSession(
        ws_venue.url,
        token_provider=token_provider,
        backoff_initial=0.01,
        backoff_max=0.05,
        rng=random.Random(3),
    )
    states = signal.recorder()
    session.add_state_listener(states)
    yield Harness(session, states, tokens)
    await session.close()
