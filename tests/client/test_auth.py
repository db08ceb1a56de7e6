"""JWT lifecycle: signed auth request, onboarding, early refresh, one re-auth on 401."""

from __future__ import annotations

import base64
import json

import pytest

from terminal.venues.paradex.crypto.signing import parse_signature, verify
from terminal.venues.paradex.errors import InvalidToken
from terminal.venues.paradex.http.auth import jwt_expiry

ACCOUNT_BODY = {"account": "0x1", "account_value": "100", "status": "ACTIVE"}


def auth_path(signer) -> str:
    return f"/auth/{hex(signer.public_key)}"


async def test_auth_request_is_signed_with_skew_corrected_seconds(rest, venue, clock, signer):
    venue.route(
        "GET",
        "/system/time",
        lambda r: venue.json(200, {"server_time": str(int(clock.now * 1000) - 4000)}),
    )
    await rest.sync_clock()
    token = await rest.jwt.token()
    request = venue.sent("POST", auth_path(signer))
    headers = request.headers
    timestamp = int(headers["PARADEX-TIMESTAMP"])
    expiration = int(headers["PARADEX-SIGNATURE-EXPIRATION"])
    assert timestamp == int(clock.now) - 4
    assert expiration > timestamp
    assert int(headers["PARADEX-STARKNET-ACCOUNT"], 16) == signer.account
    msg_hash = signer.hasher.auth_hash(timestamp, expiration)
    assert verify(
        msg_hash, parse_signature(headers["PARADEX-STARKNET-SIGNATURE"]), signer.public_key
    )
    assert request.content == b""
    assert token == venue.tokens_issued[0]


async def test_private_calls_carry_the_bearer_and_reuse_the_token(rest, venue, signer):
    venue.route("GET", "/account", lambda r: venue.json(200, ACCOUNT_BODY))
    await rest.account.account()
    await rest.account.account()
    assert venue.count("POST", auth_path(signer)) == 1
    bearer = venue.sent("GET", "/account").headers["authorization"]
    assert bearer == f"Bearer {venue.tokens_issued[0]}"


async def test_refresh_after_three_of_five_minutes(rest, venue, clock, signer):
    venue.route("GET", "/account", lambda r: venue.json(200, ACCOUNT_BODY))
    await rest.account.account()
    assert rest.jwt.expires_at == clock.now + 300
    assert rest.jwt.refresh_at == pytest.approx(clock.now + 180)
    clock.now += 170
    await rest.account.account()
    assert venue.count("POST", auth_path(signer)) == 1
    clock.now += 15
    await rest.account.account()
    assert venue.count("POST", auth_path(signer)) == 2
    assert venue.sent("GET", "/account").headers["authorization"].endswith(venue.tokens_issued[1])


async def test_not_onboarded_onboards_then_authenticates(rest, venue, signer):
    issued = venue.jwt(2e9)
    venue.route(
        "POST",
        auth_path(signer),
        lambda r: venue.error(400, "NOT_ONBOARDED", "User has never called /onboarding endpoint"),
        lambda r: venue.json(200, {"jwt_token": issued}),
    )
    venue.route("POST", "/onboarding", lambda r: venue.json(200, None))
    rest.attach_signer(signer, ethereum_account="0xd2c7314539dCe7752c8120af4eC2AA750Cf2035e")
    assert await rest.jwt.token() == issued
    onboarding = venue.sent("POST", "/onboarding")
    assert onboarding.headers["content-type"] == "application/json"
    assert json.loads(onboarding.content) == {"public_key": hex(signer.public_key)}
    assert onboarding.headers["PARADEX-ETHEREUM-ACCOUNT"].startswith("0xd2c7")
    signature = parse_signature(onboarding.headers["PARADEX-STARKNET-SIGNATURE"])
    assert verify(signer.hasher.onboarding_hash(), signature, signer.public_key)
    assert venue.count("POST", auth_path(signer)) == 2


async def test_one_reauth_and_retry_on_401(rest, venue, signer):
    venue.route(
        "GET",
        "/positions",
        lambda r: venue.error(401, "INVALID_TOKEN", "invalid bearer jwt"),
        lambda r: venue.json(200, {"results": []}),
    )
    assert await rest.account.positions() == []
    assert venue.count("POST", auth_path(signer)) == 2
    assert venue.count("GET", "/positions") == 2


async def test_second_401_is_raised(rest, venue, signer):
    venue.route("GET", "/positions", lambda r: venue.error(401, "INVALID_TOKEN", "expired"))
    with pytest.raises(InvalidToken) as info:
        await rest.account.positions()
    assert info.value.code == "INVALID_TOKEN" and info.value.http_status == 401
    assert venue.count("GET", "/positions") == 2


async def test_interactive_token_and_unreadable_exp(rest, venue, clock, signer):
    venue.route("POST", auth_path(signer), lambda r: venue.json(200, {"jwt_token": "opaque"}))
    rest.attach_signer(signer, interactive=True)
    assert await rest.jwt.token() == "opaque"
    assert venue.sent("POST", auth_path(signer)).url.params["token_usage"] == "interactive"
    assert rest.jwt.expires_at == clock.now + 300
    assert jwt_expiry("opaque") is None
    assert jwt_expiry(venue.jwt(123)) == 123


@pytest.mark.parametrize("exp", ["NaN", "Infinity", "-Infinity", '"1796100000"', "true", "null"])
def test_an_exp_that_is_no_finite_number_is_unreadable(exp: str) -> None:
    # Read as a time, NaN made every token due at once (a log-in every second); a string
    # or true is no JSON number. Unreadable means the fallback lifetime.
    def part(text: str) -> str:
        return base64.urlsafe_b64encode(text.encode()).rstrip(b"=").decode()

    token = ".".join((part("{}"), part('{"exp": ' + exp + "}"), "c2ln"))
    assert jwt_expiry(token) is None


async def test_no_key_material_in_reprs(rest, signer, private_key):
    await rest.jwt.token()
    for text in (repr(rest.jwt), repr(rest.orders), repr(rest)):
        assert format(private_key, "x") not in text.lower()
        assert str(private_key) not in text


async def test_concurrent_callers_share_one_auth_request(rest, venue, signer):
    import asyncio

    tokens = await asyncio.gather(*(rest.jwt.token() for _ in range(10)))
    assert len(set(tokens)) == 1
    assert venue.count("POST", auth_path(signer)) == 1
