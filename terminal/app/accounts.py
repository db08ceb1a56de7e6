"""A profile's key: parse what the user typed, work out the account, store it, load it.

    prepared = await prepare_key(profile, KeyKind.ETH, secret_text, account_text="")
    prepared.record             # kind, account, public key, L1 address: shown to confirm
    save_key(profile.name, prepared, keystore, store)
    access = load_access(profile, keystore, store)   # the key to trade with, or why not
    remove_key(profile.name, keystore, store)

The command line (app.commands) and the set-up dialog (app.accounts_dialog) both go
through here. Messages never repeat what was typed in a key field.
"""

from __future__ import annotations

import string
from dataclasses import dataclass, field

from terminal.app.profile_store import AccountRecord, KeyKind, ProfileStore
from terminal.app.profiles import Profile, ProfileError
from terminal.domain.errors import VenueError
from terminal.services.keystore import Keystore, KeystoreError, NoKeyringError

_HEX = frozenset(string.hexdigits)


class KeySetupError(Exception):
    """A key cannot be set up as asked; the message says why (and holds no secret)."""


class KeyInputError(KeySetupError):
    """What the user typed is not a key or an address."""


def _parse_hex(text: str, what: str) -> int:
    digits = text.strip().removeprefix("0x").removeprefix("0X")
    if not digits or len(digits) > 64 or not set(digits) <= _HEX:
        raise KeyInputError(f"the {what} must be hex, at most 64 digits (0x optional)")
    value = int(digits, 16)
    if value == 0:
        raise KeyInputError(f"the {what} cannot be zero")
    return value


def parse_secret(text: str) -> int:
    """A private key typed as hex; KeyInputError (without the text) otherwise."""
    return _parse_hex(text, "private key")


def parse_address(text: str) -> int:
    """An account address typed as hex."""
    return _parse_hex(text, "account address")


@dataclass(frozen=True, slots=True)
class PreparedKey:
    """A key ready to store, and what the user confirms first (repr shows no key)."""

    private_key: int = field(repr=False)
    record: AccountRecord


@dataclass(frozen=True, slots=True)
class Access:
    """How a session may use a profile: its key, or why it is read-only."""

    private_key: int | None = field(repr=False)
    record: AccountRecord | None = None
    problem: str = ""
    """Why the session is read-only ("" when it can trade)."""
    needs_setup: bool = False
    """True when the keyring works but holds no key: the set-up dialog should open."""

    @property
    def account(self) -> int | None:
        """The L2 address to sign for, when the record names one."""
        return int(self.record.account, 16) if self.record else None


def _check_keyable(profile: Profile) -> None:
    if profile.embedded:
        raise ProfileError("the demo profile trades with an ephemeral key; it stores none")
    if profile.venue != "paradex":
        raise ProfileError(f"profile {profile.name!r} is on {profile.venue}, which takes no key")


async def prepare_key(
    profile: Profile, kind: KeyKind, secret_text: str, account_text: str = ""
) -> PreparedKey:
    """Parse and resolve a key for `profile`; reads the venue's /system/config when the
    account must be derived (Stark key without an address, Ethereum key)."""
    from terminal.venues.paradex.accounts import (
        fetch_system_config,
        from_ethereum_key,
        from_stark_key,
    )
    from terminal.venues.paradex.crypto.ethereum import EthereumKeyError
    from terminal.venues.paradex.crypto.signing import (
        InvalidPrivateKeyError,
        public_key_from_private,
    )

    _check_keyable(profile)
    secret = parse_secret(secret_text)
    account = parse_address(account_text) if account_text.strip() else None
    try:
        if kind is not KeyKind.ETH and account is not None:
            public_key = public_key_from_private(secret)
            record = AccountRecord(kind, hex(account), hex(public_key))
            return PreparedKey(secret, record)
        if kind is KeyKind.SUBKEY:
            raise KeyInputError("a subkey needs the main account's address")
        try:
            config = await fetch_system_config(profile.rest_url)
        except VenueError as exc:
            raise KeySetupError(
                f"cannot read the account settings of {profile.host}: {exc}"
            ) from None
        derived = (
            from_ethereum_key(secret, config)
            if kind is KeyKind.ETH
            else from_stark_key(secret, config)
        )
    except (InvalidPrivateKeyError, EthereumKeyError):
        raise KeyInputError("the private key is out of range for its curve") from None
    if account is not None and account != derived.account:
        raise KeyInputError(
            f"this Ethereum key's Paradex account is {derived.account:#x}, "
            f"not the address given ({account:#x})"
        )
    record = AccountRecord(
        kind, hex(derived.account), hex(derived.public_key), derived.ethereum_account
    )
    return PreparedKey(derived.private_key, record)


def save_key(profile: str, prepared: PreparedKey, keystore: Keystore, store: ProfileStore) -> None:
    """Store the key in the keyring and its record in the profile store."""
    keystore.store_key(profile, prepared.private_key)
    store.set_account(profile, prepared.record)


def remove_key(profile: str, keystore: Keystore, store: ProfileStore) -> None:
    """Delete the key from the keyring and forget its record."""
    keystore.delete_key(profile)
    store.forget_account(profile)


def fix_hint(profile: str) -> str:
    """How to give `profile` a key, in words."""
    return f"add one with File → Accounts… or `paradex-terminal keys add --profile {profile}`"


def load_access(profile: Profile, keystore: Keystore, store: ProfileStore) -> Access:
    """The key `profile` trades with (ephemeral for the demo), or why it is read-only."""
    if profile.embedded:
        # Imported here: the signer pulls in the C crypto library, which the window's
        # first paint does not need.
        from terminal.venues.paradex.crypto.signing import generate_private_key

        return Access(generate_private_key())
    if profile.venue != "paradex":
        # A venue without trading (Kana) is read-only by nature, not for want of a key: no
        # banner, no set-up (the ticket panel says the venue is read-only).
        return Access(None)
    try:
        key = keystore.load_key(profile.name)
    except NoKeyringError as exc:
        return Access(None, problem=f"read-only: {exc}")
    except KeystoreError as exc:
        return Access(
            None,
            problem=f"read-only: {exc}. Unlock the keyring and restart, or "
            + fix_hint(profile.name),
        )
    if key is None:
        return Access(
            None,
            problem=f"read-only: no key for profile {profile.name!r} in the keyring; "
            + fix_hint(profile.name),
            needs_setup=True,
        )
    return Access(key, store.account(profile.name))
