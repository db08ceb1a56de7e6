"""Custom profiles, per-profile settings and account records, in the user's config directory.

API:

    store = ProfileStore()                      # <config dir>/ParadexTerminal/profiles.ini
    store.get(name) -> Profile                  # built-in or custom; UnknownProfileError
    store.profiles() -> dict[str, Profile]
    store.add(profile); store.remove(name)      # custom profiles only
    store.set_session(name, SessionKind.PRO)    # any real profile
    store.account(name) -> AccountRecord | None
    store.set_account(name, record); store.forget_account(name)

Nothing secret is written here: an account record holds the key's kind, the account
address and the public key; the private key lives in the OS keyring (services.keystore).
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from PySide6.QtCore import QSettings

from terminal.app.profiles import (
    Profile,
    ProfileError,
    SessionKind,
    UnknownProfileError,
    builtin_profiles,
    custom_profile,
)

ORGANIZATION = "ParadexTerminal"


class KeyKind(StrEnum):
    """How the user's key came in (PROTOCOL §5)."""

    STARK = "stark"
    """A Stark L2 private key of the account."""
    ETH = "eth"
    """An Ethereum key the Stark key was derived from (only the Stark key is stored)."""
    SUBKEY = "subkey"
    """A subkey registered to the account: trades, cannot withdraw."""


@dataclass(frozen=True, slots=True)
class AccountRecord:
    """What is known, not secret, about the key stored for a profile."""

    kind: KeyKind
    account: str
    public_key: str
    ethereum_account: str = ""


class ProfileStore:
    """Profiles and account records persisted as an INI file (pass a QSettings in tests)."""

    def __init__(self, store: QSettings | None = None) -> None:
        self._store = store or QSettings(
            QSettings.Format.IniFormat, QSettings.Scope.UserScope, ORGANIZATION, "profiles"
        )

    def __repr__(self) -> str:
        return f"ProfileStore({self._store.fileName()!r})"

    @property
    def path(self) -> str:
        """The file the profiles live in."""
        return self._store.fileName()

    def profiles(self) -> dict[str, Profile]:
        """Every profile by name: the built-ins first, then custom ones, with their settings."""
        found = dict(builtin_profiles())
        self._store.beginGroup("profiles")
        try:
            names = self._store.childGroups()
        finally:
            self._store.endGroup()
        for name in sorted(names):
            if name not in found:
                found[name] = self._read_custom(name)
        return {name: self._with_settings(p) for name, p in found.items()}

    def get(self, name: str) -> Profile:
        """The profile `name`; UnknownProfileError names the known ones."""
        known = self.profiles()
        try:
            return known[name]
        except KeyError:
            raise UnknownProfileError(
                f"unknown profile {name!r} (known: {', '.join(known)}); "
                "add one with `paradex-terminal profiles add NAME --rest URL --ws URL`"
            ) from None

    def add(self, profile: Profile) -> None:
        """Save a custom profile; ProfileError if the name is taken."""
        if profile.builtin:
            raise ProfileError(f"{profile.name!r} is a built-in profile")
        if profile.name in self.profiles():
            raise ProfileError(f"profile {profile.name!r} already exists; remove it first")
        prefix = f"profiles/{profile.name}/"
        self._store.setValue(prefix + "venue", profile.venue)
        self._store.setValue(prefix + "rest_url", profile.rest_url)
        self._store.setValue(prefix + "ws_url", profile.ws_url)
        self._store.setValue(prefix + "session", str(profile.session))
        self._store.sync()

    def remove(self, name: str) -> None:
        """Delete a custom profile and its account record (not its key: see the keystore)."""
        profile = self.get(name)
        if profile.builtin:
            raise ProfileError(f"{name!r} is a built-in profile and cannot be removed")
        self._store.remove(f"profiles/{name}")
        self._store.remove(f"accounts/{name}")
        self._store.sync()

    def set_session(self, name: str, session: SessionKind) -> None:
        """Authenticate `name` with retail or pro sessions from now on."""
        if self.get(name).embedded:
            raise ProfileError(f"{name!r} is the embedded exchange; it has no session choice")
        self._store.setValue(f"profiles/{name}/session", str(session))
        self._store.sync()

    def account(self, name: str) -> AccountRecord | None:
        """The record of the key stored for `name`, if any."""
        prefix = f"accounts/{name}/"
        kind = str(self._store.value(prefix + "kind", ""))
        account = str(self._store.value(prefix + "account", ""))
        if kind not in set(KeyKind) or not account:
            return None
        return AccountRecord(
            KeyKind(kind),
            account,
            str(self._store.value(prefix + "public_key", "")),
            str(self._store.value(prefix + "ethereum_account", "")),
        )

    def accounts(self) -> dict[str, AccountRecord]:
        """Every profile's account record, by profile name."""
        records = {name: self.account(name) for name in self.profiles()}
        return {name: record for name, record in records.items() if record is not None}

    def set_account(self, name: str, record: AccountRecord) -> None:
        """Remember which account and public key `name`'s stored key belongs to."""
        prefix = f"accounts/{name}/"
        self._store.setValue(prefix + "kind", str(record.kind))
        self._store.setValue(prefix + "account", record.account)
        self._store.setValue(prefix + "public_key", record.public_key)
        self._store.setValue(prefix + "ethereum_account", record.ethereum_account)
        self._store.sync()

    def forget_account(self, name: str) -> None:
        """Drop `name`'s account record."""
        self._store.remove(f"accounts/{name}")
        self._store.sync()

    def _read_custom(self, name: str) -> Profile:
        prefix = f"profiles/{name}/"
        try:
            return custom_profile(
                name,
                str(self._store.value(prefix + "rest_url", "")),
                str(self._store.value(prefix + "ws_url", "")),
                venue=str(self._store.value(prefix + "venue", "paradex")),
            )
        except ProfileError as exc:
            raise ProfileError(f"profile {name!r} in {self.path} is invalid: {exc}") from None

    def _with_settings(self, profile: Profile) -> Profile:
        if profile.embedded:
            return profile
        text = str(self._store.value(f"profiles/{profile.name}/session", ""))
        return profile.with_session(SessionKind(text)) if text in set(SessionKind) else profile
