"""A client written from Paradex's documentation works unchanged: the testnet chain id, and
PROTOCOL §12.3's published signatures, sent in decimal or in hex, at the vectors' own time."""

from __future__ import annotations

import asyncio
import json
import sys
from collections.abc import AsyncIterator
from typing import Any

import httpx
import pytest

from terminal.sim.context import SimConfig
from terminal.sim.server import SimServer

VECTOR_TIME_S = 1_700_000_000.5  # between §12.1's auth timestamp and O1's signature time
ACCOUNT = "0x694f953c15cced926dcb0bb50fc08133509950c8d163ba34c81127246eb08cd"
PUBLIC_KEY = "0x25ad4b10066af140f8a05c1ef423a109ba774f6e64b12c614c24f8982f3c3d1"
# §12.3, chain PRIVATE_SN_PARACLEAR_TESTNET: (r, s) in decimal
ONBOARDING_SIG = (
    1185940822791612975511022316961557118027393919825367624714046577826059609547,
    3314205530231390021770036178121568261208585510344838330608588513061638183847,
)
AUTH_SIG = (
    407089162035623862050759641836688178425033305013535847831528058551744448634,
    2577893911367070757827813212959892564266175603143008361133243679225387554737,
)
O1_SIG = (
    2476324117481938886338998332139354412945398885244815710302404621853491165111,
    3368121611594499892503636632785706393482657256513423261030813403963505472901,
)


def _decimal(sig: tuple[int, int]) -> str:
    return json.dumps([str(sig[0]), str(sig[1])], separators=(",", ":"))


def _hex(sig: tuple[int, int]) -> str:
    return json.dumps([hex(sig[0]), hex(sig[1])], separators=(",", ":"))


def _mixed(sig: tuple[int, int]) -> str:
    return json.dumps([hex(sig[0]).upper().replace("0X", "0x"), str(sig[1])])


@pytest.fixture
async def vector_http() -> AsyncIterator[httpx.AsyncClient]:
    """An exchange whose clock stands at the vectors' time, with the default chain id."""
    server = SimServer(SimConfig(seed=3, rate=20.0), clock=lambda: VECTOR_TIME_S)
    urls = await server.start("127.0.0.1", 0)
    try:
        async with httpx.AsyncClient(base_url=urls.rest, timeout=10) as client:
            yield client
    finally:
        await server.stop()


async def _onboard(http: httpx.AsyncClient, encode: Any) -> None:
    headers = {
        "PARADEX-ETHEREUM-ACCOUNT": "0xd2c7314539dCe7752c8120af4eC2AA750Cf2035e",
        "PARADEX-STARKNET-ACCOUNT": ACCOUNT,
        "PARADEX-STARKNET-SIGNATURE": encode(ONBOARDING_SIG),
    }
    r = await http.post("/onboarding", headers=headers, json={"public_key": PUBLIC_KEY})
    assert r.status_code == 200, r.text


async def _jwt(http: httpx.AsyncClient, encode: Any) -> str:
    headers = {
        "PARADEX-STARKNET-ACCOUNT": ACCOUNT,
        "PARADEX-STARKNET-SIGNATURE": encode(AUTH_SIG),
        "PARADEX-TIMESTAMP": "1700000000",
        "PARADEX-SIGNATURE-EXPIRATION": "1700086400",
    }
    r = await http.post(f"/auth/{PUBLIC_KEY}", headers=headers)
    assert r.status_code == 200, r.text
    return str(r.json()["jwt_token"])


async def test_default_chain_id_is_the_real_testnets(vector_http: httpx.AsyncClient) -> None:
    config = (await vector_http.get("/system/config")).json()
    assert config["starknet_chain_id"] == "PRIVATE_SN_PARACLEAR_TESTNET"


@pytest.mark.parametrize("encode", [_decimal, _hex, _mixed], ids=["decimal", "hex", "mixed"])
async def test_published_signatures_verify_in_decimal_and_hex(
    vector_http: httpx.AsyncClient, encode: Any
) -> None:
    await _onboard(vector_http, encode)
    token = await _jwt(vector_http, encode)
    o1 = {
        "market": "ETH-USD-PERP",
        "side": "BUY",
        "type": "LIMIT",
        "size": "0.1",
        "price": "1999.5",
        "instruction": "GTC",
        "client_id": f"o1-{encode.__name__}",
        "signature": encode(O1_SIG),
        "signature_timestamp": 1700000000123,
        "recv_window": None,
        "stp": None,
    }
    r = await vector_http.post("/orders", json=o1, headers={"Authorization": f"Bearer {token}"})
    assert r.status_code == 201, r.text
    assert r.json()["account"] == ACCOUNT


@pytest.mark.parametrize(
    "signature",
    [
        '["0x","1"]',
        '["0x' + "f" * 64 + '","1"]',  # above the field prime
        '["-1","1"]',
        '["\\u00b2","1"]',  # JSON-escaped: headers are ASCII
        "[1,2]",
        '["1","2","3"]',
        "[" * 4000 + "]" * 4000,  # under aiohttp's 8 KiB header line
    ],
)
async def test_malformed_signature_items_are_refused(
    vector_http: httpx.AsyncClient, signature: str
) -> None:
    await _onboard(vector_http, _decimal)
    headers = {
        "PARADEX-STARKNET-ACCOUNT": ACCOUNT,
        "PARADEX-STARKNET-SIGNATURE": signature,
        "PARADEX-TIMESTAMP": "1700000000",
        "PARADEX-SIGNATURE-EXPIRATION": "1700086400",
    }
    r = await vector_http.post("/auth", headers=headers)
    assert (r.status_code, r.json()["error"]) == (401, "INVALID_STARKNET_SIGNATURE")


async def test_a_signature_for_another_chain_fails_verification(
    vector_http: httpx.AsyncClient,
) -> None:
    await _onboard(vector_http, _decimal)
    sepolia_auth = (  # §12.2: the same request signed for PRIVATE_SN_POTC_SEPOLIA
        3588903750260805949466808120885685620492184847682960200992500462711704033512,
        768281477682602124411684714639884078342201452189806648970428865319856608139,
    )
    headers = {
        "PARADEX-STARKNET-ACCOUNT": ACCOUNT,
        "PARADEX-STARKNET-SIGNATURE": _decimal(sepolia_auth),
        "PARADEX-TIMESTAMP": "1700000000",
        "PARADEX-SIGNATURE-EXPIRATION": "1700086400",
    }
    r = await vector_http.post("/auth", headers=headers)
    assert (r.status_code, r.json()["error"]) == (401, "STARKNET_SIGNATURE_VERIFICATION_FAILED")


async def _run_cli(*args: str) -> tuple[int | None, str, dict[str, Any] | None]:
    proc = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "terminal.sim",
        "--rate",
        "20",
        *args,
        stdin=asyncio.subprocess.PIPE,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
    )
    assert proc.stdout is not None and proc.stderr is not None and proc.stdin is not None
    try:
        line = await asyncio.wait_for(proc.stdout.readline(), 30)
        if not line:
            err = await proc.stderr.read()
            return await asyncio.wait_for(proc.wait(), 30), err.decode(), None
        urls = json.loads(line)
        async with httpx.AsyncClient() as http:
            config = (await http.get(urls["rest"] + "/system/config")).json()
        proc.stdin.close()
        return await asyncio.wait_for(proc.wait(), 30), "", config
    finally:
        if proc.returncode is None:
            proc.kill()
            await proc.wait()


async def test_cli_chain_id_flag() -> None:
    status, _, config = await _run_cli(
        "--parent-watch", "--chain-id", "PRIVATE_SN_PARACLEAR_MAINNET"
    )
    assert status == 0 and config is not None
    assert config["starknet_chain_id"] == "PRIVATE_SN_PARACLEAR_MAINNET"


@pytest.mark.parametrize("chain_id", ["X" * 32, "ÜBER", ""])
async def test_cli_refuses_a_chain_id_that_is_not_a_short_string(chain_id: str) -> None:
    status, err, config = await _run_cli("--chain-id", chain_id)
    assert status == 2 and config is None
    assert "chain id" in err
