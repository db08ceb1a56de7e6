"""The WebSocket endpoint: SBE negotiation, JSON-RPC control plane, subscriptions (§11)."""

from __future__ import annotations

import logging
import socket
import time
from collections.abc import Awaitable, Callable, Mapping
from typing import Any

import msgspec
from aiohttp import WSMsgType, web

from terminal.sim import order_entry
from terminal.sim.context import SimContext
from terminal.sim.engine.errors import VenueError
from terminal.sim.inputs import decode_json
from terminal.sim.jwt import Claims
from terminal.sim.rest_common import context
from terminal.sim.ws_channels import ChannelError, parse_channel
from terminal.sim.ws_client import WsClient

log = logging.getLogger(__name__)

SBE_SCHEMA_ID = "1"
SBE_VERSIONS = frozenset({"0", "1", "2"})
PARSE_ERROR = -32700
INVALID_REQUEST = -32600
METHOD_NOT_FOUND = -32601
INVALID_PARAMS = -32602
INTERNAL_ERROR = -32603
METHOD_ERROR = 100
MALFORMED_BEARER = 40110
INVALID_BEARER = 40111
AUTH_REQUIRED = 40300
KERNEL_SEND_BUFFER = 64 * 1024

_encode = msgspec.json.Encoder().encode


class RpcError(Exception):
    """A JSON-RPC error answer."""

    def __init__(self, code: int, message: str, data: str | None = None) -> None:
        super().__init__(message)
        self.code = code
        self.message = message
        self.data = data


def negotiate_sbe(query: Mapping[str, str]) -> int | None:
    """The SBE schema version a connection asked for (None = JSON); HTTP 400 if unsupported."""
    schema_id = query.get("sbeSchemaId")
    version = query.get("sbeSchemaVersion")
    if schema_id is None and version is None:
        return None
    if schema_id != SBE_SCHEMA_ID or version not in SBE_VERSIONS:
        raise web.HTTPBadRequest(
            text=f"unsupported SBE schema {schema_id!r}:{version!r}; serving 1:0, 1:1, 1:2"
        )
    return int(version)


def _envelope(req_id: Any, us_in: int, body: dict[str, Any]) -> str:
    us_out = time.time_ns() // 1000
    body.update({"jsonrpc": "2.0", "usIn": us_in, "usOut": us_out, "usDiff": us_out - us_in})
    body["id"] = req_id
    return _encode(body).decode()


Method = Callable[[SimContext, WsClient, Any], Awaitable[dict[str, Any]]]


def _claims(client: WsClient) -> Claims:
    if client.claims is None:
        raise RpcError(AUTH_REQUIRED, "Permission denied — authentication required")
    return client.claims


async def _auth(ctx: SimContext, client: WsClient, params: Any) -> dict[str, Any]:
    bearer = params.get("bearer") if isinstance(params, dict) else None
    if not isinstance(bearer, str) or not bearer:
        raise RpcError(MALFORMED_BEARER, "malformed bearer token")
    try:
        claims = ctx.issuer.verify(bearer)
    except VenueError as exc:
        raise RpcError(INVALID_BEARER, "invalid bearer token", exc.message) from exc
    if client.claims is not None and client.claims.account != claims.account:
        raise RpcError(INVALID_PARAMS, "invalid params", "connection is bound to another account")
    client.claims = claims
    return {"node_id": "sim-0"}


def _channel_param(params: Any) -> str:
    channel = params.get("channel") if isinstance(params, dict) else None
    if not isinstance(channel, str):
        raise RpcError(INVALID_PARAMS, "invalid params", "channel is required")
    return channel


async def _subscribe(ctx: SimContext, client: WsClient, params: Any) -> dict[str, Any]:
    name = _channel_param(params)
    try:
        channel = parse_channel(name, ctx.venue.markets)
    except ChannelError as exc:
        raise RpcError(INVALID_REQUEST, "invalid subscribe request", str(exc)) from exc
    if channel.private and client.account is None:
        raise RpcError(AUTH_REQUIRED, "Permission denied — authentication required", name)
    if name in client.channels:
        raise RpcError(INVALID_REQUEST, "invalid subscribe request", "already subscribed")
    client.pending_subscription = channel
    return {"channel": name}


async def _unsubscribe(ctx: SimContext, client: WsClient, params: Any) -> dict[str, Any]:
    name = _channel_param(params)
    channel = client.channels.get(name)
    if channel is None:
        raise RpcError(INVALID_REQUEST, "invalid unsubscribe request", "not subscribed")
    ctx.hub.unsubscribe(client, channel)
    return {"channel": name}


async def _order_create(ctx: SimContext, client: WsClient, params: Any) -> dict[str, Any]:
    order = await order_entry.create(ctx, _claims(client), params)
    return {"order": order, "created_at": order.get("created_at"), "received_at": time.time_ns()}


async def _order_create_batch(ctx: SimContext, client: WsClient, params: Any) -> dict[str, Any]:
    bodies = params.get("orders") if isinstance(params, dict) else params
    out = await order_entry.create_batch(ctx, _claims(client), bodies)
    rows: list[dict[str, Any]] = [
        {"order": o, "created_at": o.get("created_at")} for o in out["orders"]
    ]
    rows += [{"error": e.get("error", "")} for e in out["errors"]]
    return {"results": rows}


async def _order_modify(ctx: SimContext, client: WsClient, params: Any) -> dict[str, Any]:
    order_id = str(params.get("id", "")) if isinstance(params, dict) else ""
    return {"order": await order_entry.modify(ctx, _claims(client), order_id, params)}


def _market_param(ctx: SimContext, params: Any) -> str | None:
    """An optional `market` parameter: absent/empty, or a listed market."""
    market = params.get("market") if isinstance(params, dict) else None
    if market in (None, ""):
        return None
    if not isinstance(market, str) or market not in ctx.venue.markets:
        raise VenueError("MARKET_NOT_FOUND", f"market {str(market)[:40]!r} not found")
    return market


async def _order_cancel(ctx: SimContext, client: WsClient, params: Any) -> dict[str, Any]:
    account = _claims(client).account
    if not isinstance(params, dict):
        raise RpcError(INVALID_PARAMS, "invalid params", "id or client_id is required")
    if params.get("id"):
        order_id = str(params["id"])
        ctx.venue.cancel_order(account, order_id)
    elif params.get("client_id"):
        order = ctx.venue.private.order_by_client_id_json(account, str(params["client_id"]))
        order_id = order["id"]
        ctx.venue.cancel_by_client_id(account, str(params["client_id"]), _market_param(ctx, params))
    else:
        raise RpcError(INVALID_PARAMS, "invalid params", "id or client_id is required")
    return {"order_id": order_id, "status": "QUEUED_FOR_CANCELLATION"}


async def _order_cancel_all(ctx: SimContext, client: WsClient, params: Any) -> dict[str, Any]:
    account = _claims(client).account
    ctx.venue.cancel_all(account, _market_param(ctx, params))
    return {"status": "ok"}


METHODS: dict[str, Method] = {
    "auth": _auth,
    "subscribe": _subscribe,
    "unsubscribe": _unsubscribe,
    "order.create": _order_create,
    "order.create_batch": _order_create_batch,
    "order.modify": _order_modify,
    "order.cancel": _order_cancel,
    "order.cancel_all": _order_cancel_all,
}


async def _answer(ctx: SimContext, client: WsClient, text: str) -> None:
    us_in = time.time_ns() // 1000
    req_id: Any = None
    try:
        try:
            request = decode_json(text)
        except VenueError as exc:
            raise RpcError(PARSE_ERROR, "parse error", exc.message) from exc
        if not isinstance(request, dict) or not isinstance(request.get("method"), str):
            raise RpcError(INVALID_REQUEST, "invalid request")
        req_id = request.get("id")
        method = METHODS.get(request["method"])
        if method is None:
            raise RpcError(METHOD_NOT_FOUND, "method not found", request["method"])
        result = await method(ctx, client, request.get("params"))
    except RpcError as exc:
        error: dict[str, Any] = {"code": exc.code, "message": exc.message}
        if exc.data is not None:
            error["data"] = exc.data
        client.send(_envelope(req_id, us_in, {"error": error}))
        return
    except VenueError as exc:
        error = {"code": METHOD_ERROR, "message": exc.code, "data": exc.message}
        client.send(_envelope(req_id, us_in, {"error": error}))
        return
    except Exception:
        # A bug behind one request must not take the connection down with it.
        log.exception("RPC failed: %.200s", text)
        error = {"code": INTERNAL_ERROR, "message": "internal error"}
        client.send(_envelope(req_id, us_in, {"error": error}))
        return
    client.send(_envelope(req_id, us_in, {"result": result}))
    if client.pending_subscription is not None:
        # Subscribe after the ack is queued so the ack always precedes the channel's data.
        ctx.hub.subscribe(client, client.pending_subscription)
        client.pending_subscription = None


def _limit_kernel_buffer(request: web.Request) -> None:
    """Keep a slow reader's backlog in our queue, not in megabytes of kernel buffer.

    Paradex drops a client with 2,000 unprocessed messages; with Linux's autotuned send
    buffers a stalled client would otherwise take tens of seconds to show any backlog.
    """
    sock = request.transport.get_extra_info("socket") if request.transport else None
    if sock is not None:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_SNDBUF, KERNEL_SEND_BUFFER)


def _handshake_auth(ctx: SimContext, client: WsClient, authorization: str | None) -> None:
    """The SDK also sends `Authorization: Bearer` on the upgrade; honour it when valid."""
    if not authorization:
        return
    try:
        claims = ctx.issuer.verify_header(authorization)
    except VenueError:
        return
    client.claims = claims


async def ws_handler(request: web.Request) -> web.StreamResponse:
    """One WebSocket connection, from upgrade to close."""
    ctx = context(request)
    sbe_version = negotiate_sbe(request.query)
    ws = web.WebSocketResponse(heartbeat=ctx.config.ping_interval_s)
    await ws.prepare(request)
    _limit_kernel_buffer(request)
    client = WsClient(
        ws,
        request.transport,
        sbe_version=sbe_version,
        max_queue=ctx.config.max_queue,
        delay_s=lambda: ctx.faults.ws_delay_ms / 1000,
        on_gone=ctx.hub.remove,
    )
    ctx.hub.add(client)
    _handshake_auth(ctx, client, request.headers.get("Authorization"))
    try:
        async for msg in ws:
            if msg.type == WSMsgType.TEXT:
                await _answer(ctx, client, msg.data)
            elif msg.type == WSMsgType.BINARY:
                error = {"code": PARSE_ERROR, "message": "parse error", "data": "binary frame"}
                client.send(_envelope(None, time.time_ns() // 1000, {"error": error}))
    finally:
        ctx.hub.remove(client)
        await client.wait_closed()
    return ws


def add_routes(app: web.Application) -> None:
    """Register the WebSocket endpoint on /v1."""
    app.router.add_get("/v1", ws_handler)
