"""Bad input is a 400 with a §9 code, never a 500: bodies, queries, keys, numbers, windows."""

from __future__ import annotations

import time
from typing import Any

import httpx
import pytest

from terminal.sim import ws_routes
from terminal.sim.order_fields import MAX_RECV_WINDOW_MS

MARKET = "BTC-USD-PERP"
DEEP = "[" * 100_000 + "]" * 100_000
HOSTILE = ["²", "9" * 5000, "١٢", "-1"]
"""Query values `int()`/`str.isdigit()` mishandle, or that are simply out of range."""
QUERY_NAMES = ("cursor", "page_size", "start_at", "end_at", "depth", "resolution", "market")
BAD_NUMBERS = ["NaN", "Infinity", "1e400", "-5", "", "١٢", "1_0", " 1", "0x1", [1], {"a": 1}]


def _auth(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("POST", "/orders"),
        ("POST", "/orders/batch"),
        ("PUT", "/orders/1"),
        ("DELETE", "/orders/batch"),
        ("POST", "/onboarding"),
    ],
)
async def test_deeply_nested_json_is_a_binding_error(
    http: httpx.AsyncClient, token: str, method: str, path: str
) -> None:
    r = await http.request(method, path, content=DEEP, headers=_auth(token))
    assert r.status_code == 400, r.text
    assert r.json()["error"] == "BINDING_ERROR"


async def test_nesting_under_the_recursion_limit_is_refused_too(
    http: httpx.AsyncClient, token: str
) -> None:
    body = '{"market":' + "[" * 40 + "]" * 40 + "}"
    r = await http.post("/orders", content=body, headers=_auth(token))
    assert (r.status_code, r.json()["error"]) == (400, "BINDING_ERROR")


async def test_deeply_nested_ws_frame_is_a_parse_error(connect: Any) -> None:
    probe = await connect()
    await probe.ws.send(DEEP)
    answer = await probe.recv()
    assert isinstance(answer, str) and '"code":-32700' in answer
    assert "result" in await probe.rpc("subscribe", {"channel": "trades.ALL"})  # still serving


@pytest.mark.parametrize("value", ["²", "9" * 5000, "١", "-3", "1.5"])
@pytest.mark.parametrize("path", ["/trades", "/funding/data", "/fills", "/orders-history"])
async def test_odd_cursors_are_invalid_request_parameters(
    http: httpx.AsyncClient, token: str, path: str, value: str
) -> None:
    params = {"market": MARKET, "cursor": value}
    r = await http.get(path, params=params, headers=_auth(token))
    assert r.status_code == 400, r.text
    assert r.json() == {
        "error": "INVALID_REQUEST_PARAMETER",
        "message": "invalid cursor",
        "data": None,
    }


async def test_no_route_answers_500_to_hostile_queries(make_exchange: Any, trader: Any) -> None:
    """Every GET route of the app, with every query parameter it might read made hostile."""
    exchange = await make_exchange(rate=10.0)  # a quiet market answers faster
    async with httpx.AsyncClient(base_url=exchange.urls.rest, timeout=30) as http:
        await _hostile_queries(exchange, http, await trader.login(http))


async def _hostile_queries(exchange: Any, http: httpx.AsyncClient, token: str) -> None:
    paths = set()
    for resource in exchange.server.app.router.resources():
        info = resource.get_info()
        path = info.get("path") or info.get("formatter", "")
        if path.startswith("/v1/"):
            paths.add(path.replace("{market}", MARKET).replace("{order_id}", "1"))
    paths = {p.replace("{client_id}", "c").replace("{public_key}", "0x1") for p in paths}
    assert len(paths) > 20
    statuses: dict[tuple[str, str, str], int] = {}

    async def probe(path: str, name: str, value: str) -> None:
        params = {"market": MARKET, "symbol": MARKET, name: value}
        r = await http.get(path.removeprefix("/v1"), params=params, headers=_auth(token))
        statuses[(path, name, value)] = r.status_code
        if r.status_code >= 400:
            assert r.headers["content-type"].startswith("application/json")
            assert set(r.json()) == {"error", "message", "data"}

    for path in sorted(paths):
        for name in QUERY_NAMES:
            for value in HOSTILE:
                await probe(path, name, value)
    assert len(statuses) == len(paths) * len(QUERY_NAMES) * len(HOSTILE)
    assert all(status < 500 for status in statuses.values()), {
        k: v for k, v in statuses.items() if v >= 500
    }


@pytest.mark.parametrize(
    "key", ["0x" + "f" * 300, "0x" + "f" * 64, "1" * 5000, "²", "0x", "-1", "0xg"]
)
async def test_bad_public_keys_are_public_key_invalid(
    http: httpx.AsyncClient, trader: Any, key: str
) -> None:
    r = await http.get("/onboarding", params={"public_key": key})
    assert (r.status_code, r.json()["error"]) == (400, "PUBLIC_KEY_INVALID")
    headers, body = trader.onboarding_request()
    r = await http.post("/onboarding", headers=headers, json={**body, "public_key": key})
    assert (r.status_code, r.json()["error"]) == (400, "PUBLIC_KEY_INVALID")


async def test_oversized_auth_path_key_and_account_are_refused(
    http: httpx.AsyncClient, token: str, trader: Any
) -> None:
    r = await http.post("/auth/0x" + "f" * 300, headers=trader.auth_headers())
    assert (r.status_code, r.json()["error"]) == (400, "PUBLIC_KEY_INVALID")
    headers = {**trader.auth_headers(), "PARADEX-STARKNET-ACCOUNT": "0x" + "f" * 300}
    r = await http.post("/auth", headers=headers)
    assert (r.status_code, r.json()["error"]) == (400, "INVALID_STARKNET_ADDRESS")
    headers = {**trader.auth_headers(), "PARADEX-TIMESTAMP": "9" * 5000}
    r = await http.post("/auth", headers=headers)
    assert (r.status_code, r.json()["error"]) == (400, "INVALID_TIMESTAMP")


async def _refused(
    http: httpx.AsyncClient, token: str, body: dict[str, Any], code: str
) -> dict[str, Any]:
    r = await http.post("/orders", json=body, headers=_auth(token))
    assert r.status_code == 400, r.text
    assert r.json()["error"] == code, r.json()
    opened = (await http.get("/orders", headers=_auth(token))).json()["results"]
    assert opened == []  # nothing was placed
    return dict(r.json())


async def test_trigger_price_on_a_limit_order_is_validated(
    http: httpx.AsyncClient, token: str, signed_order: Any
) -> None:
    for value in BAD_NUMBERS:
        body = signed_order(MARKET, "BUY", "0.01", "1000", trigger_price=value)
        await _refused(http, token, body, "VALIDATION_ERROR")


async def test_price_is_validated(http: httpx.AsyncClient, token: str, signed_order: Any) -> None:
    for value in BAD_NUMBERS:
        body = {**signed_order(MARKET, "BUY", "0.01", "1000"), "price": value}
        await _refused(http, token, body, "VALIDATION_ERROR")


async def test_size_is_validated(http: httpx.AsyncClient, token: str, signed_order: Any) -> None:
    for value in [*BAD_NUMBERS, None, 0.01]:
        body = {**signed_order(MARKET, "BUY", "0.01", "1000"), "size": value}
        await _refused(http, token, body, "INVALID_ORDER_SIZE")


async def test_trigger_price_absent_or_null_is_still_fine(
    http: httpx.AsyncClient, token: str, signed_order: Any
) -> None:
    body = signed_order(MARKET, "BUY", "0.01", "1000", trigger_price=None)
    r = await http.post("/orders", json=body, headers=_auth(token))
    assert r.status_code == 201, r.text


async def test_signature_timestamp_far_in_the_future_is_refused(
    http: httpx.AsyncClient, token: str, signed_order: Any
) -> None:
    future = int(time.time() * 1000) + 3_600_000
    body = signed_order(MARKET, "BUY", "0.01", "1000", ts_ms=future)
    answer = await _refused(http, token, body, "INVALID_TIMESTAMP")
    assert "future" in answer["message"]


@pytest.mark.parametrize("ts", ["1700000000123", 1.5, True, -1, 2**60])
async def test_signature_timestamp_must_be_a_plausible_integer(
    http: httpx.AsyncClient, token: str, signed_order: Any, ts: Any
) -> None:
    body = {**signed_order(MARKET, "BUY", "0.01", "1000"), "signature_timestamp": ts}
    await _refused(http, token, body, "INVALID_TIMESTAMP")


@pytest.mark.parametrize("window", [MAX_RECV_WINDOW_MS + 1, 10**30, 5, "5000", 1.5, True])
async def test_recv_window_is_bounded(
    http: httpx.AsyncClient, token: str, signed_order: Any, window: Any
) -> None:
    # an hour-old signature that only an unbounded window would accept
    old = int(time.time() * 1000) - 2 * MAX_RECV_WINDOW_MS
    body = signed_order(MARKET, "BUY", "0.01", "1000", ts_ms=old, recv_window=window)
    answer = await _refused(http, token, body, "VALIDATION_ERROR")
    assert "recv_window" in answer["message"]


async def test_the_largest_recv_window_is_accepted(
    http: httpx.AsyncClient, token: str, signed_order: Any
) -> None:
    old = int(time.time() * 1000) - MAX_RECV_WINDOW_MS // 2
    body = signed_order(MARKET, "BUY", "0.01", "1000", ts_ms=old, recv_window=MAX_RECV_WINDOW_MS)
    r = await http.post("/orders", json=body, headers=_auth(token))
    assert r.status_code == 201, r.text


async def test_modify_of_a_garbage_order_id_is_refused(
    http: httpx.AsyncClient, token: str, signed_order: Any
) -> None:
    order_id = "9" * 5000
    body = {**signed_order(MARKET, "BUY", "0.01", "1000"), "id": order_id}
    r = await http.put(f"/orders/{order_id}", json=body, headers=_auth(token))
    assert (r.status_code, r.json()["error"]) == (400, "INVALID_REQUEST_PARAMETER")


async def test_a_batch_with_one_malformed_order_places_nothing(
    http: httpx.AsyncClient, token: str, signed_order: Any
) -> None:
    good = signed_order(MARKET, "BUY", "0.01", "1000", client_id="good")
    bad = signed_order(MARKET, "BUY", "0.01", "1000", trigger_price="NaN")
    r = await http.post("/orders/batch", json=[good, bad], headers=_auth(token))
    assert (r.status_code, r.json()["error"]) == (400, "VALIDATION_ERROR")
    assert (await http.get("/orders", headers=_auth(token))).json()["results"] == []


async def test_a_body_over_the_size_limit_is_a_413_api_error(
    http: httpx.AsyncClient, token: str
) -> None:
    r = await http.post("/orders", content=b" " * (2 << 20), headers=_auth(token))
    assert r.status_code == 413
    assert r.json()["error"] == "BINDING_ERROR"


async def test_a_bug_behind_a_route_is_a_logged_500_api_error(
    exchange: Any,
    http: httpx.AsyncClient,
    caplog: pytest.LogCaptureFixture,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    def broken() -> dict[str, Any]:
        raise RuntimeError("a bug")

    monkeypatch.setattr(exchange.ctx.venue.public, "insurance_json", broken)
    r = await http.get("/insurance")
    assert r.status_code == 500
    assert r.json() == {"error": "INTERNAL_ERROR", "message": "internal error", "data": None}
    assert any("GET /v1/insurance failed" in rec.getMessage() for rec in caplog.records)
    assert (await http.get("/system/time")).status_code == 200


async def test_no_rpc_answers_internal_error_to_hostile_params(
    exchange: Any, connect: Any, token: str
) -> None:
    """Every JSON-RPC method, with params and each field it reads made hostile."""
    hostile: list[Any] = [None, [], {}, "²", "9" * 5000, 10**30, -1, 1.5, True, [[[]]], {"a": {}}]
    fields = ("bearer", "channel", "id", "client_id", "market", "orders", "size", "price")
    methods = [m for m in ws_routes.METHODS if m != "auth"] + ["auth"]  # auth last: rebinds
    probe = await connect()
    assert "result" in await probe.rpc("auth", {"bearer": token})
    codes: dict[str, int] = {}
    for method in methods:
        cases = [{name: value} for name in fields for value in hostile] + hostile
        for params in cases:
            answer = await probe.rpc(method, params)
            if "error" in answer:
                codes[f"{method} {str(params)[:60]}"] = answer["error"]["code"]
    assert codes and ws_routes.INTERNAL_ERROR not in codes.values(), [
        k for k, v in codes.items() if v == ws_routes.INTERNAL_ERROR
    ]
