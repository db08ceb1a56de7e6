"""File → Accounts…: nothing is stored before the user has seen the account and public key
the key resolves to; key fields are password fields, cleared after use."""

from __future__ import annotations

import asyncio
from collections.abc import Coroutine
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QSettings, Qt
from PySide6.QtWidgets import QLineEdit

from terminal.app.accounts_dialog import AccountsDialog
from terminal.app.profile_store import KeyKind, ProfileStore
from terminal.app.profiles import custom_profile
from terminal.services.keystore import Keystore
from terminal.sim.runner import run_exchange

STARK_KEY = "0x234567890abcdcd1234567890abcdefa332319cfadc698ad56711f5351f3391"
STARK_PUBLIC = "0x25ad4b10066af140f8a05c1ef423a109ba774f6e64b12c614c24f8982f3c3d1"
MAIN_ACCOUNT = "0x129c135ed63df9353885e292be4426b8ed6122b13c6c0e1bb787288a1f5adfa"
ETH_KEY = "0xf8e4d1d772cdd44e5e77615ad11cc071c94e4c06dc21150d903f28e6aa6abdff"


class Runs:
    """The dialog's background runner: keeps the tasks so a test can wait for them."""

    def __init__(self) -> None:
        self.tasks: list[asyncio.Task[None]] = []

    def __call__(self, coro: Coroutine[Any, Any, None]) -> None:
        self.tasks.append(asyncio.ensure_future(coro))

    async def finish(self) -> None:
        await asyncio.wait_for(asyncio.gather(*self.tasks), 20)


@pytest.fixture
def store(tmp_path: Path) -> ProfileStore:
    return ProfileStore(QSettings(str(tmp_path / "profiles.ini"), QSettings.Format.IniFormat))


def _dialog(qtbot, store: ProfileStore, runs: Runs, current: str = "testnet") -> AccountsDialog:
    real = [p for p in store.profiles().values() if not p.embedded]
    dialog = AccountsDialog(real, current, store, Keystore(), runs)
    qtbot.addWidget(dialog)
    dialog.show()
    return dialog


def _pick_kind(dialog: AccountsDialog, kind: KeyKind) -> None:
    dialog.kind.setCurrentIndex(dialog.kind.findData(kind))


async def test_check_shows_the_account_then_store_saves_it(
    qtbot, store: ProfileStore, memory_keyring
) -> None:
    runs = Runs()
    dialog = _dialog(qtbot, store, runs)
    assert dialog.key.echoMode() is QLineEdit.EchoMode.Password
    assert not dialog.store_button.isEnabled()
    _pick_kind(dialog, KeyKind.SUBKEY)
    qtbot.keyClicks(dialog.key, STARK_KEY)
    qtbot.keyClicks(dialog.account, MAIN_ACCOUNT)
    qtbot.mouseClick(dialog.check_button, Qt.MouseButton.LeftButton)
    assert dialog.key.text() == ""  # cleared as soon as it was read
    await runs.finish()
    shown = dialog.outcome.text()
    assert MAIN_ACCOUNT in shown and STARK_PUBLIC in shown and "subkey" in shown
    assert memory_keyring.passwords == {}  # nothing stored before the user confirms
    stored: list[str] = []
    dialog.stored.connect(stored.append)
    qtbot.mouseClick(dialog.store_button, Qt.MouseButton.LeftButton)
    assert stored == ["testnet"] and not dialog.isVisible()
    assert memory_keyring.passwords == {("paradex-terminal", "testnet"): STARK_KEY}
    record = store.account("testnet")
    assert record is not None and record.kind is KeyKind.SUBKEY and record.account == MAIN_ACCOUNT


async def test_bad_input_is_refused_without_repeating_it(
    qtbot, store: ProfileStore, memory_keyring
) -> None:
    runs = Runs()
    dialog = _dialog(qtbot, store, runs)
    qtbot.keyClicks(dialog.key, "my-secret-words")
    qtbot.mouseClick(dialog.check_button, Qt.MouseButton.LeftButton)
    await runs.finish()
    assert "must be hex" in dialog.outcome.text()
    assert "secret" not in dialog.outcome.text()
    assert not dialog.store_button.isEnabled() and dialog.key.text() == ""
    _pick_kind(dialog, KeyKind.SUBKEY)
    qtbot.keyClicks(dialog.key, STARK_KEY)
    qtbot.mouseClick(dialog.check_button, Qt.MouseButton.LeftButton)
    await runs.finish()
    assert "main account" in dialog.outcome.text()
    assert memory_keyring.passwords == {}


async def test_ethereum_key_resolves_on_the_venue_and_edits_void_the_check(
    qtbot, store: ProfileStore, memory_keyring
) -> None:
    async with run_exchange(rate=0) as urls:
        store.add(custom_profile("sim", urls.rest, urls.ws))
        runs = Runs()
        dialog = _dialog(qtbot, store, runs, current="sim")
        assert dialog.profile.currentText() == "sim"
        _pick_kind(dialog, KeyKind.ETH)
        qtbot.keyClicks(dialog.key, ETH_KEY)
        qtbot.mouseClick(dialog.check_button, Qt.MouseButton.LeftButton)
        await runs.finish()
    assert MAIN_ACCOUNT in dialog.outcome.text() and "L1 address: 0x" in dialog.outcome.text()
    assert dialog.store_button.isEnabled()
    qtbot.keyClicks(dialog.account, "0x1")  # a change after the check: check again first
    assert not dialog.store_button.isEnabled() and dialog.outcome.text() == ""
    dialog.reject()
    assert memory_keyring.passwords == {}


async def test_remove_deletes_key_and_record(qtbot, store: ProfileStore, memory_keyring) -> None:
    runs = Runs()
    dialog = _dialog(qtbot, store, runs)
    assert not dialog.remove_button.isEnabled() and dialog.current.text() == "No key stored."
    _pick_kind(dialog, KeyKind.STARK)
    qtbot.keyClicks(dialog.key, STARK_KEY)
    qtbot.keyClicks(dialog.account, MAIN_ACCOUNT)
    qtbot.mouseClick(dialog.check_button, Qt.MouseButton.LeftButton)
    await runs.finish()
    dialog.store_key()
    dialog = _dialog(qtbot, store, runs)
    assert dialog.remove_button.isEnabled() and MAIN_ACCOUNT in dialog.current.text()
    qtbot.mouseClick(dialog.remove_button, Qt.MouseButton.LeftButton)
    assert memory_keyring.passwords == {} and store.account("testnet") is None
    assert "Removed the key of testnet" in dialog.outcome.text()


async def test_keyring_failure_is_shown_in_the_dialog(
    qtbot, store: ProfileStore, broken_keyring
) -> None:
    runs = Runs()
    dialog = _dialog(qtbot, store, runs)
    qtbot.keyClicks(dialog.key, STARK_KEY)
    qtbot.keyClicks(dialog.account, MAIN_ACCOUNT)
    qtbot.mouseClick(dialog.check_button, Qt.MouseButton.LeftButton)
    await runs.finish()
    qtbot.mouseClick(dialog.store_button, Qt.MouseButton.LeftButton)
    assert "could not store the key" in dialog.outcome.text() and dialog.isVisible()
    assert store.account("testnet") is None
    assert STARK_KEY[2:] not in dialog.outcome.text()
