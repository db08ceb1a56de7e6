"""Helpers every REST handler uses: JSON answers, pagination, query parsing, the caller's JWT."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import msgspec
from aiohttp import web

from terminal.sim.context import SIM_KEY, SimContext
from terminal.sim.engine.errors import VenueError
from terminal.sim.inputs import INT64_MAX, decode_json, parse_cursor, parse_int
from terminal.sim.jwt import Claims

DEFAULT_PAGE_SIZE = 100
MAX_PAGE_SIZE = 1000
_encode = msgspec.json.Encoder().encode


def context(request: web.Request) -> SimContext:
    """The exchange this request is for."""
    return request.app[SIM_KEY]


def ok(data: Any, status: int = 200) -> web.Response:
    """A JSON answer."""
    return web.Response(body=_encode(data), status=status, content_type="application/json")


def results(items: Sequence[Any]) -> web.Response:
    """A non-paginated list: {"results": [...]}."""
    return ok({"results": list(items)})


def paginate(request: web.Request, items: Sequence[Any]) -> web.Response:
    """A paginated list (§2): {"next", "prev", "results"}; the cursor is an opaque offset."""
    size = query_int(request, "page_size", DEFAULT_PAGE_SIZE, low=1, high=MAX_PAGE_SIZE)
    start = parse_cursor(request.query.get("cursor") or "0")
    page = list(items[start : start + size])
    return ok(
        {
            "next": str(start + size) if start + size < len(items) else None,
            "prev": str(max(0, start - size)) if start > 0 else None,
            "results": page,
        }
    )


def query_int(
    request: web.Request,
    name: str,
    default: int | None = None,
    *,
    low: int = 0,
    high: int = INT64_MAX,
) -> int:
    """An integer query parameter in [low, high]; INVALID_REQUEST_PARAMETER otherwise, or
    when absent without a default."""
    raw = request.query.get(name)
    if raw is None or raw == "":
        if default is None:
            raise VenueError("INVALID_REQUEST_PARAMETER", f"{name} is required")
        return default
    return parse_int(raw, name, low=low, high=high)


def time_window(request: web.Request) -> tuple[int, int]:
    """The `start_at` / `end_at` query parameters in ms (default: from 0 until now)."""
    now_ms = context(request).now_ms()
    return query_int(request, "start_at", 0), query_int(request, "end_at", now_ms)


def query_market(request: web.Request, name: str = "market") -> str | None:
    """An optional market query parameter, checked against the listed markets."""
    market = request.query.get(name) or None
    return None if market is None else known_market(request, market)


def required_market(request: web.Request, name: str = "market") -> str:
    """A required market query parameter, checked against the listed markets."""
    market = request.query.get(name)
    if not market:
        raise VenueError("INVALID_REQUEST_PARAMETER", f"{name} is required")
    return known_market(request, market)


def known_market(request: web.Request, market: str) -> str:
    """`market` if it is listed; MARKET_NOT_FOUND (404) otherwise."""
    if market not in context(request).venue.markets:
        raise VenueError("MARKET_NOT_FOUND", f"market {market} not found", 404)
    return market


def claims(request: web.Request) -> Claims:
    """The caller's verified JWT claims (401 INVALID_TOKEN otherwise)."""
    return context(request).issuer.verify_header(request.headers.get("Authorization"))


async def body_json(request: web.Request) -> Any:
    """The request's JSON body (BINDING_ERROR when it is not JSON)."""
    return decode_json(await request.read())
