"""Storing a key for the running profile offers Reconnect, which replaces the read-only
session with a new one (that signs in with the key)."""

from __future__ import annotations

import asyncio

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from terminal.app import session as session_module
from terminal.app.banner import Banner, install_banner
from terminal.app.cli import AppOptions
from terminal.app.lifecycle import AppShell
from terminal.app.report import RunReport
from terminal.app.settings import AppSettings
from terminal.app.window import MainWindow


class Started:
    """The fake sessions started so far; lets a test wait for the next."""

    def __init__(self) -> None:
        self.sessions: list[FakeSession] = []
        self.changed = asyncio.Event()

    async def reach(self, count: int) -> None:
        async with asyncio.timeout(5):
            while len(self.sessions) < count:
                self.changed.clear()
                await self.changed.wait()


class FakeSession:
    """Stands in for MarketSession: records its life."""

    def __init__(self, started: Started, window: MainWindow) -> None:
        self.banner: Banner = install_banner(window)
        self.failed = False
        self.closed = False
        self._started = started

    def set_theme(self, name: str) -> None:
        pass

    def start(self) -> None:
        self._started.sessions.append(self)
        self._started.changed.set()

    def feed_stats(self) -> None:
        return None

    async def close(self) -> None:
        self.closed = True


async def test_reconnect_replaces_the_session(
    qtbot, qapp: QApplication, settings: AppSettings, monkeypatch: pytest.MonkeyPatch
) -> None:
    started = Started()
    monkeypatch.setattr(
        session_module, "MarketSession", lambda window, *_, **__: FakeSession(started, window)
    )
    window = MainWindow(settings)
    qtbot.addWidget(window)
    shell = AppShell(qapp, window, settings, AppOptions(profile="testnet"), RunReport())
    window.first_painted.emit()
    running = asyncio.ensure_future(shell.run())
    await started.reach(1)
    first = started.sessions[0]
    shell._on_key_stored("mainnet")  # another profile: nothing to reconnect
    assert first.banner.text == ""
    shell._on_key_stored("testnet")
    assert "A key for testnet is stored" in first.banner.text
    assert first.banner.button.text() == "Reconnect"
    qtbot.mouseClick(first.banner.button, Qt.MouseButton.LeftButton)
    await started.reach(2)
    assert first.closed and shell.session is started.sessions[1]
    shell.request_quit()
    assert await asyncio.wait_for(running, 10) == 0
    assert started.sessions[1].closed and len(started.sessions) == 2
