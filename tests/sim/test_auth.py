"""Onboarding and JWT conformance (§6), signatures computed in the test."""

from __future__ import annotations

import base64
import json
from typing import Any

import httpx

from terminal.venues.paradex.crypto import signing


def _claims(jwt: str) -> dict[str, Any]:
    body = jwt.split(".")[1]
    decoded: dict[str, Any] = json.loads(base64.urlsafe_b64decode(body + "=" * (-len(body) % 4)))
    return decoded


async def test_onboarding_then_auth_gives_a_jwt_with_exp(
    trader: Any, http: httpx.AsyncClient
) -> None:
    headers, body = trader.onboarding_request()
    assert (await http.post("/onboarding", headers=headers, json=body)).status_code == 200
    # Onboarding is idempotent.
    assert (await http.post("/onboarding", headers=headers, json=body)).status_code == 200
    for path in ("/auth", f"/auth/{hex(trader.public_key)}"):
        r = await http.post(path, headers=trader.auth_headers())
        assert r.status_code == 200, r.text
        claims = _claims(r.json()["jwt_token"])
        assert claims["exp"] == claims["iat"] + 300
        assert int(claims["sub"], 16) == trader.account


async def test_interactive_token_is_badged(trader: Any, http: httpx.AsyncClient) -> None:
    await trader.login(http)
    r = await http.post(
        "/auth", params={"token_usage": "interactive"}, headers=trader.auth_headers()
    )
    assert _claims(r.json()["jwt_token"])["token_usage"] == "interactive"


async def test_auth_before_onboarding_is_not_onboarded(
    trader: Any, http: httpx.AsyncClient
) -> None:
    r = await http.post("/auth", headers=trader.auth_headers())
    assert r.status_code == 400
    assert r.json()["error"] == "NOT_ONBOARDED"


async def test_bad_auth_signature_is_401(trader: Any, http: httpx.AsyncClient) -> None:
    await trader.login(http)
    headers = trader.auth_headers()
    headers["PARADEX-TIMESTAMP"] = str(int(headers["PARADEX-TIMESTAMP"]) + 1)
    r = await http.post("/auth", headers=headers)
    assert r.status_code == 401
    assert r.json()["error"] == "STARKNET_SIGNATURE_VERIFICATION_FAILED"


async def test_onboarding_checks_address_and_signature(
    trader: Any, http: httpx.AsyncClient
) -> None:
    headers, body = trader.onboarding_request()
    wrong_address = {**headers, "PARADEX-STARKNET-ACCOUNT": hex(trader.account + 1)}
    r = await http.post("/onboarding", headers=wrong_address, json=body)
    assert r.status_code == 400
    assert r.json()["error"] == "INVALID_STARKNET_ADDRESS"
    forged = signing.format_signature((1, 2))
    r = await http.post(
        "/onboarding", headers={**headers, "PARADEX-STARKNET-SIGNATURE": forged}, json=body
    )
    assert r.status_code == 401


async def test_private_calls_need_a_valid_bearer(trader: Any, make_exchange: Any) -> None:
    running = await make_exchange(jwt_ttl_s=0)
    async with httpx.AsyncClient(base_url=running.urls.rest) as http:
        missing = await http.get("/account")
        assert missing.status_code == 401
        assert missing.json()["error"] == "INVALID_TOKEN"
        expired = await trader.login(http)
        r = await http.get("/account", headers={"Authorization": f"Bearer {expired}"})
        assert r.status_code == 401
        assert "expired" in r.json()["message"]


async def test_account_endpoints_with_jwt(http: httpx.AsyncClient, token: str) -> None:
    auth = {"Authorization": f"Bearer {token}"}
    account = (await http.get("/account", headers=auth)).json()
    assert "account_value" in account
    assert "results" in (await http.get("/balance", headers=auth)).json()
    assert "results" in (await http.get("/positions", headers=auth)).json()
    fills = (await http.get("/fills", headers=auth)).json()
    assert set(fills) == {"next", "prev", "results"}


async def test_funding_payments_honour_start_and_end(
    exchange: Any, http: httpx.AsyncClient, trader: Any, token: str
) -> None:
    venue = exchange.ctx.venue
    market = {
        "market": "BTC-USD-PERP",
        "side": "BUY",
        "size": "0.01",
        "type": "MARKET",
        "instruction": "GTC",
        "signature_timestamp": venue.now_ms,
    }
    venue.create_order(trader.account, market)  # a long, filled by the synthetic maker
    venue.advance(venue.now_ms + 61_000)  # past the next funding (every 60 s)
    auth = {"Authorization": f"Bearer {token}"}
    everything = {"start_at": 0, "end_at": 2**62}
    paid = (await http.get("/funding/payments", params=everything, headers=auth)).json()
    assert paid["results"], "the long paid or received funding"
    first = min(p["created_at"] for p in paid["results"])
    window = {"start_at": 0, "end_at": first - 1}
    early = (await http.get("/funding/payments", params=window, headers=auth)).json()
    assert early["results"] == []
