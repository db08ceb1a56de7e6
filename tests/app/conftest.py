"""Fixtures for the app-shell tests: an isolated QSettings file and a themed window."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QApplication

from terminal.app.banner import Banner
from terminal.app.settings import AppSettings
from terminal.app.theme import apply_theme
from terminal.app.window import MainWindow


@pytest.fixture
def settings(tmp_path: Path) -> AppSettings:
    """Settings stored in a throw-away ini file."""
    return AppSettings(QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat))


@pytest.fixture
def window(qtbot, qapp: QApplication, settings: AppSettings) -> Iterator[MainWindow]:
    """A shown main window with the default panels (waiting labels, no data)."""
    apply_theme(qapp, "dark")
    win = MainWindow(settings)
    qtbot.addWidget(win)
    win.show()
    qtbot.waitExposed(win)
    yield win


@pytest.fixture(autouse=True)
def _restore_app_theme(qapp: QApplication) -> Iterator[None]:
    """Themes are application-wide: put the style sheet and palette back after each test,
    so later tests (tests/ui measures widget sizes) see an unthemed application."""
    sheet, palette = qapp.styleSheet(), qapp.palette()
    yield
    qapp.setStyleSheet(sheet)
    qapp.setPalette(palette)


BannerWait = Callable[[Banner, str], Awaitable[None]]


@pytest.fixture
def banner_says() -> BannerWait:
    """`await banner_says(banner, text)`: wait (10 s at most) until the banner shows `text`."""

    async def wait(banner: Banner, text: str) -> None:
        if text in banner.text:
            return
        seen = asyncio.Event()

        def check(message: str) -> None:
            if text in message:
                seen.set()

        banner.changed.connect(check)
        try:
            await asyncio.wait_for(seen.wait(), 10)
        finally:
            banner.changed.disconnect(check)

    return wait
