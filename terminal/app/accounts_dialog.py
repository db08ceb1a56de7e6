"""File → Accounts…: set up (or remove) a profile's key, confirming what it resolves to.

The user picks the key's kind, types the key (a password field) and, where needed, the
account address, then presses Check: the key field is cleared at once and the dialog shows
the account and public key the key resolves to. Only "Store in keyring" stores anything.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Coroutine
from typing import Any

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from terminal.app.accounts import (
    KeySetupError,
    PreparedKey,
    prepare_key,
    remove_key,
    save_key,
)
from terminal.app.profile_store import KeyKind, ProfileStore
from terminal.app.profiles import Profile, ProfileError
from terminal.services.keystore import Keystore, KeystoreError
from terminal.services.supervisor import Supervisor

Runner = Callable[[Coroutine[Any, Any, None]], object]
"""Runs a coroutine to completion in the background (the session's supervisor)."""
Resolver = Callable[[Profile, KeyKind, str, str], Awaitable[PreparedKey]]

KIND_LABELS = {
    KeyKind.STARK: "Stark L2 private key",
    KeyKind.ETH: "Ethereum private key (the Stark key is derived from it)",
    KeyKind.SUBKEY: "Subkey of an account (trades; cannot withdraw)",
}
ACCOUNT_HINTS = {
    KeyKind.STARK: "0x… (empty: derived from the key)",
    KeyKind.ETH: "0x… (empty: derived from the key)",
    KeyKind.SUBKEY: "0x… the main account's address (required)",
}


class AccountsDialog(QDialog):
    """Set up the key of one real profile; emits `stored(profile)` once one is stored."""

    stored = Signal(str)

    def __init__(
        self,
        profiles: list[Profile],
        current: str,
        store: ProfileStore,
        keystore: Keystore,
        run: Runner,
        *,
        resolve: Resolver = prepare_key,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle("Accounts")
        self.setMinimumWidth(560)
        self._profiles = {p.name: p for p in profiles}
        self._store = store
        self._keystore = keystore
        self._run = run
        self._resolve = resolve
        self._prepared: PreparedKey | None = None

        self.profile = QComboBox(self)
        self.profile.addItems(list(self._profiles))
        if current in self._profiles:
            self.profile.setCurrentText(current)
        self.kind = QComboBox(self)
        for kind, label in KIND_LABELS.items():
            self.kind.addItem(label, kind)
        self.key = QLineEdit(self)
        self.key.setEchoMode(QLineEdit.EchoMode.Password)
        self.key.setPlaceholderText("0x… (hex)")
        self.account = QLineEdit(self)
        self.current = QLabel(self)
        self.current.setWordWrap(True)
        self.outcome = QLabel(self)
        self.outcome.setWordWrap(True)
        self.outcome.setObjectName("accountResult")
        self.check_button = QPushButton("Check", self)
        self.remove_button = QPushButton("Remove key", self)
        self.buttons = QDialogButtonBox(self)
        self.store_button = self.buttons.addButton(
            "Store in keyring", QDialogButtonBox.ButtonRole.AcceptRole
        )
        self.buttons.addButton(QDialogButtonBox.StandardButton.Cancel)

        form = QFormLayout()
        form.addRow("Profile", self.profile)
        form.addRow("", self.current)
        form.addRow("Key kind", self.kind)
        form.addRow("Private key", self.key)
        form.addRow("Account", self.account)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.check_button)
        layout.addWidget(self.outcome)
        layout.addWidget(self.remove_button)
        layout.addWidget(self.buttons)

        self.profile.currentTextChanged.connect(self._reset)
        self.kind.currentIndexChanged.connect(self._reset)
        self.key.textEdited.connect(self._forget_prepared)
        self.account.textEdited.connect(self._forget_prepared)
        self.check_button.clicked.connect(self.check)
        self.remove_button.clicked.connect(self.remove)
        self.buttons.accepted.connect(self.store_key)
        self.buttons.rejected.connect(self.reject)
        self._reset()

    def _selected(self) -> Profile:
        return self._profiles[self.profile.currentText()]

    def _kind(self) -> KeyKind:
        return KeyKind(self.kind.currentData())

    def _reset(self) -> None:
        self._forget_prepared()
        self.key.clear()
        self.account.setPlaceholderText(ACCOUNT_HINTS[self._kind()])
        record = self._store.account(self.profile.currentText())
        self.current.setText(
            f"Stored: {record.kind} key for {record.account}" if record else "No key stored."
        )
        self.remove_button.setEnabled(record is not None)

    def _forget_prepared(self) -> None:
        self._prepared = None
        self.store_button.setEnabled(False)
        self.outcome.clear()

    def check(self) -> None:
        """Resolve the typed key (clearing its field) and show what it signs for."""
        secret, account = self.key.text(), self.account.text()
        self.key.clear()
        self._forget_prepared()
        if not secret.strip():
            self.outcome.setText("Type or paste the private key first.")
            return
        self.check_button.setEnabled(False)
        self.outcome.setText("Checking…")
        self._run(self._check(self._selected(), self._kind(), secret, account))

    async def _check(self, profile: Profile, kind: KeyKind, secret: str, account: str) -> None:
        try:
            prepared = await self._resolve(profile, kind, secret, account)
        except (KeySetupError, ProfileError) as exc:
            self.outcome.setText(f"⚠ {exc}")
            return
        finally:
            self.check_button.setEnabled(True)
        self._prepared = prepared
        record = prepared.record
        lines = [
            f"Account: {record.account}",
            f"Public key: {record.public_key}",
            f"Key kind: {record.kind}",
        ]
        if record.ethereum_account:
            lines.append(f"L1 address: {record.ethereum_account}")
        lines.append("Store this key in the OS keyring if the account is yours.")
        self.outcome.setText("\n".join(lines))
        self.store_button.setEnabled(True)

    def store_key(self) -> None:
        """Store the checked key and its record; close on success."""
        if self._prepared is None:
            return
        name = self.profile.currentText()
        try:
            save_key(name, self._prepared, self._keystore, self._store)
        except KeystoreError as exc:
            self.outcome.setText(f"⚠ {exc}")
            return
        self._prepared = None
        self.stored.emit(name)
        self.accept()

    def remove(self) -> None:
        """Delete the selected profile's key and record."""
        name = self.profile.currentText()
        try:
            remove_key(name, self._keystore, self._store)
        except KeystoreError as exc:
            self.outcome.setText(f"⚠ {exc}")
            return
        self._reset()
        self.outcome.setText(f"Removed the key of {name}.")

    def done(self, result: int) -> None:
        """Close, forgetting anything typed or checked."""
        self._forget_prepared()
        self.key.clear()
        super().done(result)


def open_accounts_dialog(window: QWidget, current: str, supervisor: Supervisor) -> AccountsDialog:
    """Open (non-modal) the dialog over `window` for the profiles that take a key."""
    store = ProfileStore()
    keyed = [p for p in store.profiles().values() if not p.embedded and p.venue == "paradex"]
    dialog = AccountsDialog(
        keyed,
        current,
        store,
        Keystore(),
        lambda coro: supervisor.spawn(coro, name="account check"),
        parent=window,
    )
    dialog.open()
    return dialog
