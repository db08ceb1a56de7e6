"""The session on real profiles: never the embedded exchange, the badge tells the truth,
and the banner says what is missing (with the way to fix it)."""

from __future__ import annotations

import asyncio
import socket
import time
from pathlib import Path

import pytest
from PySide6.QtCore import QSettings, Qt
from PySide6.QtWidgets import QLabel

from terminal.app.accounts import prepare_key, save_key
from terminal.app.cli import AppOptions
from terminal.app.profile_store import KeyKind, ProfileStore
from terminal.app.profiles import custom_profile
from terminal.app.report import RunReport
from terminal.app.session import MarketSession
from terminal.app.settings import AppSettings
from terminal.app.window import MainWindow
from terminal.services.keystore import Keystore
from terminal.sim.runner import run_exchange

STARK_KEY = "0x234567890abcdcd1234567890abcdefa332319cfadc698ad56711f5351f3391"


@pytest.fixture
def store(tmp_path: Path) -> ProfileStore:
    return ProfileStore(QSettings(str(tmp_path / "profiles.ini"), QSettings.Format.IniFormat))


def _session(window: MainWindow, settings: AppSettings, store: ProfileStore) -> MarketSession:
    options = AppOptions(profile="sim")
    return MarketSession(
        window, settings, options, RunReport(started_at=time.time()), profiles=store
    )


async def _opened(session: MarketSession) -> None:
    """Wait until the session's start-up task has finished."""
    (task,) = [t for t in asyncio.all_tasks() if t.get_name() == "session start"]
    await asyncio.wait_for(asyncio.shield(task), 20)


async def test_unreachable_real_profile_never_starts_the_embedded_exchange(
    window: MainWindow, settings: AppSettings, store: ProfileStore, banner_says, memory_keyring
) -> None:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    store.add(custom_profile("sim", f"http://127.0.0.1:{port}/v1", f"ws://127.0.0.1:{port}/v1"))
    session = _session(window, settings, store)
    session.start()
    try:
        await banner_says(session.banner, "Cannot reach 127.0.0.1")
        assert session.exchange is None
        assert window.status.badge.text().strip() == "SIM"
        assert "Connecting" in window.status.connection.text()
    finally:
        await session.close()


async def test_key_and_session_kind_on_the_badge(
    window: MainWindow, settings: AppSettings, store: ProfileStore, memory_keyring
) -> None:
    async with run_exchange(rate=0) as urls:
        store.add(custom_profile("sim", urls.rest, urls.ws))
        prepared = await prepare_key(store.get("sim"), KeyKind.STARK, STARK_KEY)
        save_key("sim", prepared, Keystore(), store)
        session = _session(window, settings, store)
        session.start()
        try:
            await _opened(session)
            text = window.status.profile.text()
            assert text == "sim · 0x694f…08cd · stark key · retail"
            assert window.status.badge.text().strip() == "SIM"
            assert window.status.badge.property("live") is True
            assert not session.banner.isVisible() and session.exchange is None
            assert session.trading is not None
        finally:
            await session.close()


async def test_read_only_banner_offers_the_set_up(
    window: MainWindow, settings: AppSettings, store: ProfileStore, qtbot, memory_keyring
) -> None:
    async with run_exchange(rate=0) as urls:
        store.add(custom_profile("sim", urls.rest, urls.ws))
        session = _session(window, settings, store)
        requests: list[bool] = []
        window.accounts_requested.connect(lambda: requests.append(True))
        session.start()
        try:
            # The first launch without a key asks for one.
            await _opened(session)
            assert requests == [True]
            assert session.connection is not None and session.connection.trading is None
            assert "read-only: no key for profile 'sim'" in session.banner.text
            assert session.banner.button.text() == "Set up account…"
            assert window.status.profile.text() == "sim · read-only"
            ticket = window.panel("ticket")
            assert isinstance(ticket, QLabel) and ticket.text().startswith("Trading is off: ")
            assert session.trading is None
            qtbot.mouseClick(session.banner.button, Qt.MouseButton.LeftButton)
            window.accounts_action.trigger()  # File → Accounts…
            assert requests == [True, True, True]
        finally:
            await session.close()
