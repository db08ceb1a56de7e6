"""Opening a real profile: read-only without a usable key, retry (with a button) while the
venue is unreachable, read-only when the venue refuses the key; against the embedded
exchange on loopback."""

from __future__ import annotations

import asyncio
import base64
import json
import socket
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from PySide6.QtCore import QSettings, Qt

from terminal.app.accounts import Access, load_access, prepare_key, save_key
from terminal.app.banner import Banner
from terminal.app.opening import VenueOpener
from terminal.app.profile_store import KeyKind, ProfileStore
from terminal.app.profiles import Profile, SessionKind, custom_profile
from terminal.services.connection import VenueConnection
from terminal.services.keystore import Keystore
from terminal.services.supervisor import Supervisor
from terminal.sim.runner import run_exchange

STARK_KEY = "0x234567890abcdcd1234567890abcdefa332319cfadc698ad56711f5351f3391"
STARK_ACCOUNT = "0x694f953c15cced926dcb0bb50fc08133509950c8d163ba34c81127246eb08cd"
OTHER_KEY = "0x5ec12e7deadbeef1234567890abcdef"


@pytest.fixture
def store(tmp_path: Path) -> ProfileStore:
    return ProfileStore(QSettings(str(tmp_path / "profiles.ini"), QSettings.Format.IniFormat))


@pytest.fixture
async def supervisor() -> AsyncIterator[Supervisor]:
    sup = Supervisor()
    yield sup
    await sup.shutdown(5)


@pytest.fixture
def banner(qtbot) -> Banner:
    widget = Banner()
    qtbot.addWidget(widget)
    return widget


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def _profile(rest: str, ws: str, store: ProfileStore, name: str = "sim") -> Profile:
    store.add(custom_profile(name, rest, ws))
    return store.get(name)


def _claims(token: str) -> dict[str, object]:
    payload = token.split(".")[1]
    claims: dict[str, object] = json.loads(base64.urlsafe_b64decode(payload + "=="))
    return claims


async def _open(
    profile: Profile, access: Access, banner: Banner, supervisor: Supervisor
) -> tuple[VenueConnection, Access]:
    return await VenueOpener(banner, supervisor).open(profile, access)


async def test_no_key_is_read_only_with_market_data(
    store: ProfileStore, banner: Banner, supervisor: Supervisor, memory_keyring
) -> None:
    async with run_exchange(rate=0) as urls:
        profile = _profile(urls.rest, urls.ws, store)
        access = load_access(profile, Keystore(), store)
        assert access.private_key is None and access.needs_setup
        assert "no key for profile 'sim'" in access.problem and "keys add" in access.problem
        connection, access = await _open(profile, access, banner, supervisor)
        assert connection.trading is None
        assert connection.instruments  # the venue's public markets
        assert not banner.isVisible()


async def test_unreadable_keyring_is_read_only_and_says_why(
    store: ProfileStore, banner: Banner, supervisor: Supervisor, broken_keyring
) -> None:
    async with run_exchange(rate=0) as urls:
        profile = _profile(urls.rest, urls.ws, store)
        access = load_access(profile, Keystore(), store)
        assert access.private_key is None and not access.needs_setup
        assert "KeyringLocked" in access.problem and "Unlock the keyring" in access.problem
        connection, _ = await _open(profile, access, banner, supervisor)
        assert connection.trading is None and connection.instruments


def test_missing_keyring_backend_is_read_only_and_says_how(store: ProfileStore, no_keyring) -> None:
    access = load_access(store.get("mainnet"), Keystore(), store)
    assert access.private_key is None
    assert "Secret Service" in access.problem and "Credential Locker" in access.problem


async def test_stored_key_trades_with_a_retail_session(
    store: ProfileStore, banner: Banner, supervisor: Supervisor, memory_keyring
) -> None:
    async with run_exchange(rate=0) as urls:
        profile = _profile(urls.rest, urls.ws, store)
        assert profile.session is SessionKind.RETAIL
        save_key("sim", await prepare_key(profile, KeyKind.STARK, STARK_KEY), Keystore(), store)
        access = load_access(profile, Keystore(), store)
        assert access.record is not None and access.record.account == STARK_ACCOUNT
        connection, access = await _open(profile, access, banner, supervisor)
        assert connection.trading is not None and not access.problem
        assert connection.trading.account_label == STARK_ACCOUNT
        venue = connection.venue
        token = await venue.rest.jwt.token()  # type: ignore[attr-defined]
        assert _claims(token)["token_usage"] == "interactive"


async def test_pro_session_asks_for_a_plain_token(
    store: ProfileStore, banner: Banner, supervisor: Supervisor, memory_keyring
) -> None:
    async with run_exchange(rate=0) as urls:
        profile = _profile(urls.rest, urls.ws, store)
        store.set_session("sim", SessionKind.PRO)
        profile = store.get("sim")
        save_key("sim", await prepare_key(profile, KeyKind.STARK, STARK_KEY), Keystore(), store)
        connection, _ = await _open(
            profile, load_access(profile, Keystore(), store), banner, supervisor
        )
        token = await connection.venue.rest.jwt.token()  # type: ignore[attr-defined]
        assert _claims(token)["token_usage"] != "interactive"


async def test_a_refused_key_leaves_the_session_read_only(
    store: ProfileStore, banner: Banner, supervisor: Supervisor, memory_keyring
) -> None:
    async with run_exchange(rate=0) as urls:
        profile = _profile(urls.rest, urls.ws, store)
        # A Stark key with an address that is not its account: the venue refuses it.
        prepared = await prepare_key(profile, KeyKind.STARK, OTHER_KEY, STARK_ACCOUNT)
        save_key("sim", prepared, Keystore(), store)
        connection, access = await _open(
            profile, load_access(profile, Keystore(), store), banner, supervisor
        )
        assert connection.trading is None and connection.instruments
        assert access.private_key is None
        assert (
            "signing in failed" in access.problem and "INVALID_STARKNET_ADDRESS" in access.problem
        )
        assert "Accounts…" in access.problem


async def test_unreachable_venue_counts_down_and_retry_connects(
    store: ProfileStore, banner: Banner, supervisor: Supervisor, qtbot, banner_says, memory_keyring
) -> None:
    port = _free_port()  # closed: nothing listens there yet
    profile = _profile(f"http://127.0.0.1:{port}/v1", f"ws://127.0.0.1:{port}/v1", store)
    opener = VenueOpener(banner, supervisor, backoff=(600.0, 600.0))
    opening = supervisor.spawn(opener.open(profile, Access(None)), name="open")
    await banner_says(banner, "retrying in")
    assert banner.text.startswith(f"Cannot reach 127.0.0.1:{port} (")
    assert banner.button.isVisible() and banner.button.text() == "Retry now"
    # Still unreachable: Retry tries again at once and counts down again.
    qtbot.mouseClick(banner.button, Qt.MouseButton.LeftButton)
    await banner_says(banner, f"Connecting to 127.0.0.1:{port}")
    await banner_says(banner, "retrying in")
    assert opener.attempts == 2
    async with run_exchange(rate=0, port=port):
        qtbot.mouseClick(banner.button, Qt.MouseButton.LeftButton)
        connection, _ = await asyncio.wait_for(opening, 20)
        assert connection.instruments and opener.attempts == 3
        assert not banner.isVisible()
        await connection.close()


async def test_the_factory_passes_the_records_account_and_l1_address(
    store: ProfileStore, supervisor: Supervisor, monkeypatch: pytest.MonkeyPatch
) -> None:
    from terminal.app.profile_store import AccountRecord
    from terminal.app.venue_factory import open_connection
    from terminal.venues.paradex.venue import ParadexVenue

    asked: dict[str, object] = {}

    class Stop(Exception):
        pass

    async def fake_open(rest_url: str, ws_url: str, **options: object) -> None:
        asked.update(options)
        raise Stop

    monkeypatch.setattr(ParadexVenue, "open", fake_open)
    record = AccountRecord(
        KeyKind.ETH, STARK_ACCOUNT, "0x2", "0xd2c7314539dCe7752c8120af4eC2AA750Cf2035e"
    )
    with pytest.raises(Stop):
        await open_connection(store.get("testnet"), supervisor, Access(7, record))
    assert asked["private_key"] == 7 and asked["account"] == int(STARK_ACCOUNT, 16)
    assert asked["ethereum_account"] == record.ethereum_account
    assert asked["interactive"] is True and asked["sbe_version"] == 2
    store.set_session("testnet", SessionKind.PRO)
    with pytest.raises(Stop):
        await open_connection(store.get("testnet"), supervisor, Access(None))
    assert asked["private_key"] is None and asked["account"] is None
    assert asked["ethereum_account"] is None and asked["interactive"] is False


def test_a_venue_without_trading_asks_for_no_key(store: ProfileStore, memory_keyring) -> None:
    access = load_access(store.get("kana"), Keystore(), store)
    assert access == Access(None) and not access.needs_setup
