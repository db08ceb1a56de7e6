"""The REST surface: every /v1 route, the error/fault middleware and the loopback admin path."""

from __future__ import annotations

import asyncio
import ipaddress
import logging
from collections.abc import Awaitable, Callable

from aiohttp import web

from terminal.sim import rest_account, rest_auth, rest_orders, rest_public
from terminal.sim.engine.errors import VenueError
from terminal.sim.faults import FaultSpecError
from terminal.sim.rest_common import body_json, context, ok

log = logging.getLogger(__name__)

Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]
RATE_LIMIT = 1500
RATE_WINDOW_S = 60
WS_PATH = "/v1"

admin = web.RouteTableDef()


def _error(exc: VenueError) -> web.Response:
    return ok(exc.to_json(), status=exc.http_status)


def _rate_headers(response: web.StreamResponse, now_s: int) -> None:
    response.headers["x-ratelimit-limit"] = str(RATE_LIMIT)
    response.headers["x-ratelimit-remaining"] = str(RATE_LIMIT - 1)
    response.headers["x-ratelimit-reset"] = str(now_s + RATE_WINDOW_S)
    response.headers["x-ratelimit-window"] = str(RATE_WINDOW_S)


@web.middleware
async def api_middleware(request: web.Request, handler: Handler) -> web.StreamResponse:
    """§9 error bodies, injected REST faults (delay, 429, 5xx) and rate-limit headers."""
    if request.path == WS_PATH or not request.path.startswith("/v1/"):
        return await handler(request)
    ctx = context(request)
    ctx.arrivals.record(request.method, request.path)
    now_s = ctx.now_ms() // 1000
    if ctx.faults.rest_delay_ms > 0:
        await asyncio.sleep(ctx.faults.rest_delay_ms / 1000)
    failure = ctx.dice.rest_failure()
    if failure == 429:
        limited = ok(
            {"error": "RATE_LIMIT_EXCEEDED", "message": "rate limit exceeded", "data": None}, 429
        )
        limited.headers["Retry-After"] = str(ctx.faults.retry_after_s)
        _rate_headers(limited, now_s)
        limited.headers["x-ratelimit-remaining"] = "0"
        return limited
    if failure is not None:
        return _error(VenueError("SERVICE_UNAVAILABLE", "injected fault", failure))
    response: web.StreamResponse
    try:
        response = await handler(request)
    except VenueError as exc:
        response = _error(exc)
    except web.HTTPNotFound:
        response = _error(VenueError("NOT_FOUND", f"no route {request.path}", 404))
    except web.HTTPMethodNotAllowed:
        response = _error(VenueError("NOT_FOUND", f"{request.method} not allowed", 405))
    except web.HTTPException as exc:
        # aiohttp's own refusals (e.g. 413 for a body over client_max_size) as §9 bodies too
        response = _error(VenueError("BINDING_ERROR", exc.reason, exc.status))
    except Exception:
        # Bad input is refused by the parsers with a 400 before this; anything reaching
        # here is a bug in the exchange, and says so in the log.
        log.exception("%s %s failed", request.method, request.path)
        response = _error(VenueError("INTERNAL_ERROR", "internal error", 500))
    _rate_headers(response, now_s)
    return response


def _require_loopback(request: web.Request) -> None:
    remote = request.remote or ""
    try:
        loopback = ipaddress.ip_address(remote).is_loopback
    except ValueError:
        loopback = False
    if not loopback:
        raise web.HTTPForbidden(text="the admin path is loopback-only")


@admin.get("/_sim/faults")
async def get_faults(request: web.Request) -> web.Response:
    """The current fault knobs."""
    _require_loopback(request)
    return ok(context(request).faults.to_json())


@admin.post("/_sim/faults")
async def post_faults(request: web.Request) -> web.Response:
    """Change fault knobs; `{"disconnect": true}` also closes every WebSocket now."""
    _require_loopback(request)
    ctx = context(request)
    if request.content_type != "application/json":
        return _error(
            VenueError("VALIDATION_ERROR", "Content-Type must be application/json (a JSON object)")
        )
    try:
        spec = await body_json(request)
    except VenueError as exc:
        return _error(exc)
    if not isinstance(spec, dict):
        return _error(VenueError("VALIDATION_ERROR", "body must be a JSON object"))
    disconnect = spec.pop("disconnect", False)
    if not isinstance(disconnect, bool):
        return _error(VenueError("VALIDATION_ERROR", "disconnect must be true or false"))
    try:
        ctx.faults.update(spec)
    except FaultSpecError as exc:
        return _error(VenueError("VALIDATION_ERROR", str(exc)))
    ctx.venue.set_matching_paused(ctx.faults.matching_paused)
    if disconnect:
        ctx.hub.close_all()
    return ok(ctx.faults.to_json())


@admin.get("/_sim/arrivals")
async def get_arrivals(request: web.Request) -> web.Response:
    """When the latest state-changing requests arrived (for latency benchmarks)."""
    _require_loopback(request)
    return ok({"results": context(request).arrivals.to_json()})


def add_routes(app: web.Application) -> None:
    """Register every REST route (the WebSocket route is added by ws_routes)."""
    for table in (rest_public.routes, rest_auth.routes, rest_account.routes, rest_orders.routes):
        app.router.add_routes(table)
    app.router.add_routes(admin)
