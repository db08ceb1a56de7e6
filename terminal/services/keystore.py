"""The keystore: Stark private keys in the OS keyring, never anywhere else.

API:

    keystore = Keystore()                       # service name "paradex-terminal"
    keystore.store_key(profile_name, private_key)
    keystore.load_key(profile_name) -> int | None
    keystore.delete_key(profile_name)           # idempotent
    keystore.backend_name -> str                # e.g. "SecretService Keyring"

The backend is the one the user configured (`PYTHON_KEYRING_BACKEND`, keyringrc) as
`keyring.get_keyring()` finds it. With no usable backend every call raises
`NoKeyringError`, whose message says how to get one; there is no plain-text fallback.

A key is never logged, never part of a repr and never part of an exception message:
keyring errors are re-raised as `KeystoreError` naming only the profile and the error type.
The demo profile's key lives only in memory for the life of the process, and the demo
never loads `keyring` (≈ 50 ms of imports): it is imported on a Keystore's first use.
"""

from __future__ import annotations

import logging
from types import ModuleType
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import keyring.backend

log = logging.getLogger(__name__)


class KeystoreError(Exception):
    """The OS keyring refused an operation."""


class NoKeyringError(KeystoreError):
    """The system has no usable keyring backend (common on headless Linux)."""


NO_KEYRING_HELP = (
    "no usable OS keyring was found, so keys cannot be stored or read. Install or unlock "
    "one: on Linux the Secret Service (GNOME Keyring, KeePassXC) or KWallet, with a running "
    "desktop session or D-Bus; on macOS the Keychain and on Windows the Credential Locker "
    "work out of the box. Another backend can be chosen with PYTHON_KEYRING_BACKEND or a "
    "keyringrc.cfg (see the `keyring` documentation)"
)


def _usable(backend: keyring.backend.KeyringBackend) -> bool:
    # keyring.get_keyring() picks `fail` when no backend is viable; `null` is chosen by hand.
    from keyring.backends import fail, null

    return not isinstance(backend, fail.Keyring | null.Keyring)


class Keystore:
    """Stark private keys by profile name, held in the OS keyring."""

    def __init__(self, service: str = "paradex-terminal") -> None:
        self._service = service

    def __repr__(self) -> str:
        return f"Keystore(service={self._service!r})"

    @property
    def backend_name(self) -> str:
        """The keyring backend in use, by its own name."""
        import keyring

        return str(keyring.get_keyring().name)

    def _keyring(self) -> ModuleType:
        """The `keyring` module, once a usable backend is known to be there."""
        import keyring
        import keyring.backends.fail
        import keyring.backends.null
        import keyring.errors

        if not _usable(keyring.get_keyring()):
            raise NoKeyringError(NO_KEYRING_HELP)
        return keyring

    def store_key(self, profile: str, private_key: int) -> None:
        """Save (or replace) the key for `profile`."""
        if private_key <= 0:
            raise ValueError("a private key must be a positive integer")
        keyring = self._keyring()
        try:
            keyring.set_password(self._service, profile, hex(private_key))
        except keyring.errors.KeyringError as exc:
            # `from None`: the cause's traceback frames hold the secret as a local.
            raise KeystoreError(
                f"could not store the key for profile {profile!r}: {type(exc).__name__}"
            ) from None
        log.info("stored a key for profile %s", profile)

    def load_key(self, profile: str) -> int | None:
        """The key for `profile`, or None when there is none."""
        keyring = self._keyring()
        try:
            text = keyring.get_password(self._service, profile)
        except keyring.errors.KeyringError as exc:
            raise KeystoreError(
                f"could not read the key for profile {profile!r}: {type(exc).__name__}"
            ) from None
        if text is None:
            return None
        try:
            return int(text, 16)
        except ValueError:
            raise KeystoreError(f"the stored key for profile {profile!r} is not hex") from None

    def delete_key(self, profile: str) -> None:
        """Forget the key for `profile`; nothing happens when there is none."""
        keyring = self._keyring()
        try:
            keyring.delete_password(self._service, profile)
        except keyring.errors.PasswordDeleteError:
            return
        except keyring.errors.KeyringError as exc:
            raise KeystoreError(
                f"could not delete the key for profile {profile!r}: {type(exc).__name__}"
            ) from None
        log.info("deleted the key for profile %s", profile)
