"""The keystore: Stark private keys in the OS keyring, never anywhere else.

API:

    keystore = Keystore()                       # service name "paradex-terminal"
    keystore.store_key(profile_name, private_key)
    keystore.load_key(profile_name) -> int | None
    keystore.delete_key(profile_name)           # idempotent

A key is never logged, never part of a repr and never part of an exception message:
keyring errors are re-raised as `KeystoreError` naming only the profile and the error type.
The demo profile's key lives only in memory for the life of the process.
"""

from __future__ import annotations

import logging

import keyring
import keyring.errors

log = logging.getLogger(__name__)


class KeystoreError(Exception):
    """The OS keyring refused an operation."""


class MissingKeyError(KeystoreError):
    """A real-venue profile has no key in the keyring."""


class Keystore:
    """Stark private keys by profile name, held in the OS keyring."""

    def __init__(self, service: str = "paradex-terminal") -> None:
        self._service = service

    def __repr__(self) -> str:
        return f"Keystore(service={self._service!r})"

    def store_key(self, profile: str, private_key: int) -> None:
        """Save (or replace) the key for `profile`."""
        if private_key <= 0:
            raise ValueError("a private key must be a positive integer")
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
        try:
            keyring.delete_password(self._service, profile)
        except keyring.errors.PasswordDeleteError:
            return
        except keyring.errors.KeyringError as exc:
            raise KeystoreError(
                f"could not delete the key for profile {profile!r}: {type(exc).__name__}"
            ) from None
        log.info("deleted the key for profile %s", profile)
