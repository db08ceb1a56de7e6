"""Idempotent calls back off on 429/5xx/network errors, bounded; errors keep the venue's code."""

from __future__ import annotations

import httpx
import pytest

from terminal.venues.paradex.errors import (
    OrderClosed,
    ParadexError,
    RateLimited,
    ServerError,
    TransportError,
)

STATE = {"status": "ok"}


async def test_5xx_backs_off_exponentially_then_succeeds(rest, venue, sleeps):
    venue.route(
        "GET",
        "/system/state",
        lambda r: venue.error(503, "SERVICE_UNAVAILABLE"),
        lambda r: venue.error(500, "INTERNAL_ERROR"),
        lambda r: venue.json(200, STATE),
    )
    assert await rest.public.system_state() == "ok"
    assert len(sleeps.waits) == 2
    assert 0 < sleeps.waits[0] <= 0.25 and 0 < sleeps.waits[1] <= 0.5


async def test_retries_are_bounded(rest, venue, sleeps):
    venue.route("GET", "/system/state", lambda r: venue.error(503, "SERVICE_UNAVAILABLE", "slow"))
    with pytest.raises(ServerError) as info:
        await rest.public.system_state()
    assert info.value.code == "SERVICE_UNAVAILABLE" and info.value.http_status == 503
    assert venue.count("GET", "/system/state") == 4 and len(sleeps.waits) == 3
    assert all(w <= 8.0 for w in sleeps.waits)


async def test_429_honours_retry_after_seconds_and_date(rest, venue, sleeps):
    venue.route(
        "GET",
        "/system/state",
        lambda r: httpx.Response(429, headers={"Retry-After": "3"}),
        lambda r: httpx.Response(429, headers={"Retry-After": "Tue, 14 Nov 2023 22:13:24 GMT"}),
        lambda r: venue.json(200, STATE),
    )
    assert await rest.public.system_state() == "ok"
    # the fake wall clock reads 1_700_000_000 = 2023-11-14 22:13:20 UTC
    assert sleeps.waits == [3.0, pytest.approx(4.0)]


async def test_429_with_unparseable_body_still_rate_limited(rest, venue, sleeps):
    venue.route("GET", "/system/state", lambda r: httpx.Response(429, text="slow down"))
    with pytest.raises(RateLimited) as info:
        await rest.public.system_state()
    assert info.value.code == "HTTP_429" and info.value.retry_after is None


async def test_network_errors_retried_then_raised(rest, venue, sleeps):
    def reset(request):
        raise httpx.ReadError("connection reset", request=request)

    venue.route("GET", "/system/state", reset, reset, lambda r: venue.json(200, STATE))
    assert await rest.public.system_state() == "ok"
    venue.route("GET", "/system/state", reset)
    with pytest.raises(TransportError) as info:
        await rest.public.system_state()
    assert info.value.code == "ReadError"


async def test_4xx_not_retried_and_mapped(rest, venue, sleeps):
    venue.route("DELETE", "/orders/5", lambda r: venue.error(400, "ORDER_IS_CLOSED", "closed"))
    with pytest.raises(OrderClosed):
        await rest.orders.cancel("5")
    venue.route("GET", "/system/state", lambda r: venue.error(400, "SOMETHING_NEW", "new code"))
    with pytest.raises(ParadexError) as info:
        await rest.public.system_state()
    assert type(info.value) is ParadexError and info.value.code == "SOMETHING_NEW"
    assert sleeps.waits == []


async def test_malformed_answer_is_a_bad_response(rest, venue):
    venue.route("GET", "/system/state", lambda r: httpx.Response(200, text="<html>"))
    with pytest.raises(ParadexError) as info:
        await rest.public.system_state()
    assert info.value.code == "BAD_RESPONSE"


@pytest.mark.parametrize("header", ["soon", "nan", "inf", "-inf", "1" * 400, "Mon, 99 Foo 2024"])
async def test_a_garbage_retry_after_counts_as_absent(rest, venue, sleeps, header):
    venue.route(
        "GET",
        "/markets",
        lambda r: httpx.Response(429, headers={"Retry-After": header}),
        lambda r: venue.json(200, {"results": []}),
    )
    assert await rest.public.markets() == []
    # The backoff's own first wait (initial 0.25 s, full jitter), not the header.
    [wait] = sleeps.waits
    assert 0 < wait <= 0.25
