"""`paradex-terminal profiles …` and `paradex-terminal keys …`: set-up without a window.

    paradex-terminal profiles add NAME --rest URL --ws URL [--venue paradex] [--session retail|pro]
    paradex-terminal profiles list | remove NAME | set NAME --session retail|pro
    paradex-terminal keys add --profile NAME [--account 0x…] [--kind stark|eth|subkey]
    paradex-terminal keys list | remove --profile NAME

A secret is read from standard input (without echo on a terminal), never from an
argument: arguments show in `ps` and in shell history. Exit codes: 0 done, 1 the keyring
or the venue failed, 2 the request itself is wrong (unknown profile, bad input).
"""

from __future__ import annotations

import argparse
import asyncio
import getpass
import sys
from collections.abc import Sequence
from typing import TextIO

from terminal.app.accounts import KeyInputError, KeySetupError, prepare_key, remove_key, save_key
from terminal.app.profile_store import KeyKind, ProfileStore
from terminal.app.profiles import VENUES, ProfileError, SessionKind, custom_profile
from terminal.app.statusbar import short_address
from terminal.services.keystore import Keystore, KeystoreError

PROG = "paradex-terminal"


class CommandError(Exception):
    """A command failed; `code` is the exit status."""

    def __init__(self, message: str, code: int) -> None:
        super().__init__(message)
        self.code = code


def build_parser() -> argparse.ArgumentParser:
    """The `profiles` and `keys` commands' parser."""
    parser = argparse.ArgumentParser(prog=PROG)
    commands = parser.add_subparsers(dest="command", required=True)

    profiles = commands.add_parser("profiles", help="venue profiles (URLs and session kind)")
    actions = profiles.add_subparsers(dest="action", required=True)
    add = actions.add_parser("add", help="add a custom profile")
    add.add_argument("name")
    add.add_argument("--rest", required=True, metavar="URL", help="REST base, e.g. …/v1")
    add.add_argument("--ws", required=True, metavar="URL", help="WebSocket URL")
    add.add_argument("--venue", choices=VENUES, default="paradex")
    add.add_argument("--session", choices=[str(s) for s in SessionKind], default="retail")
    actions.add_parser("list", help="list every profile")
    remove = actions.add_parser("remove", help="remove a custom profile")
    remove.add_argument("name")
    setting = actions.add_parser("set", help="change a profile's session kind")
    setting.add_argument("name")
    setting.add_argument(
        "--session",
        choices=[str(s) for s in SessionKind],
        required=True,
        help="retail (interactive JWT: retail limits, 300 ms speed bump) or pro (API limits)",
    )

    keys = commands.add_parser("keys", help="account keys in the OS keyring")
    actions = keys.add_subparsers(dest="action", required=True)
    add = actions.add_parser(
        "add", help="store a key for a profile; the key is read from standard input"
    )
    add.add_argument("--profile", required=True)
    add.add_argument(
        "--account",
        default="",
        metavar="0x…",
        help="the L2 account address (required for a subkey: the main account's)",
    )
    add.add_argument(
        "--kind",
        choices=[str(k) for k in KeyKind],
        default="stark",
        help="stark: a Stark L2 key; eth: an Ethereum key to derive it from; "
        "subkey: a subkey of the account",
    )
    add.add_argument("--yes", action="store_true", help="store without asking to confirm")
    actions.add_parser("list", help="list stored keys' accounts (never the keys)")
    remove = actions.add_parser("remove", help="delete a profile's key")
    remove.add_argument("--profile", required=True)
    return parser


def read_secret(prompt: str, stdin: TextIO) -> str:
    """One secret line: without echo on a terminal, else the first line of `stdin`."""
    if stdin.isatty():
        return getpass.getpass(prompt)
    return stdin.readline().rstrip("\r\n")


class Commands:
    """Runs one parsed command against a profile store and a keystore."""

    def __init__(
        self, store: ProfileStore, keystore: Keystore, stdin: TextIO, stdout: TextIO
    ) -> None:
        self.store = store
        self.keystore = keystore
        self.stdin = stdin
        self.stdout = stdout

    def say(self, text: str) -> None:
        """Print one line of the command's output."""
        print(text, file=self.stdout)

    def run(self, ns: argparse.Namespace) -> None:
        """Dispatch `ns` to its handler."""
        handler = getattr(self, f"{ns.command}_{ns.action}")
        handler(ns)

    def profiles_add(self, ns: argparse.Namespace) -> None:
        """Validate and save a custom profile."""
        profile = custom_profile(
            ns.name, ns.rest, ns.ws, venue=ns.venue, session=SessionKind(ns.session)
        )
        self.store.add(profile)
        self.say(f"added profile {profile.name} ({profile.rest_url}, {profile.ws_url})")

    def profiles_list(self, ns: argparse.Namespace) -> None:
        """One line per profile: name, venue, session kind, URLs, account."""
        accounts = self.store.accounts()
        for name, profile in self.store.profiles().items():
            if profile.embedded:
                self.say(f"{name:<12} embedded exchange on 127.0.0.1 (ephemeral key)")
                continue
            record = accounts.get(name)
            account = f"{record.kind} {short_address(record.account)}" if record else "no key"
            origin = "built-in" if profile.builtin else "custom"
            self.say(
                f"{name:<12} {profile.venue} {profile.session} {origin}  "
                f"{profile.rest_url}  {profile.ws_url}  [{account}]"
            )

    def profiles_remove(self, ns: argparse.Namespace) -> None:
        """Remove a custom profile (and its key, which would otherwise be orphaned)."""
        self.store.remove(ns.name)
        try:
            self.keystore.delete_key(ns.name)
        except KeystoreError as exc:
            raise CommandError(f"removed profile {ns.name}, but not its key: {exc}", 1) from None
        self.say(f"removed profile {ns.name} and its key")

    def profiles_set(self, ns: argparse.Namespace) -> None:
        """Change a profile's session kind."""
        self.store.set_session(ns.name, SessionKind(ns.session))
        self.say(f"profile {ns.name} now signs in with {ns.session} sessions")

    def keys_add(self, ns: argparse.Namespace) -> None:
        """Read a key from stdin, show what it resolves to, confirm, store."""
        profile = self.store.get(ns.profile)
        kind = KeyKind(ns.kind)
        secret = read_secret(f"{kind} private key for {profile.name} (hidden): ", self.stdin)
        if not secret.strip():
            raise KeyInputError("no key on standard input")
        prepared = asyncio.run(prepare_key(profile, kind, secret, ns.account))
        del secret
        record = prepared.record
        self.say(f"profile:    {profile.name} ({profile.host})")
        self.say(f"key kind:   {record.kind}")
        self.say(f"account:    {record.account}")
        self.say(f"public key: {record.public_key}")
        if record.ethereum_account:
            self.say(f"L1 address: {record.ethereum_account}")
        if self.stdin.isatty() and not ns.yes:
            answer = input("Store this key in the OS keyring? [y/N] ")
            if answer.strip().lower() not in ("y", "yes"):
                raise CommandError("nothing stored", 1)
        save_key(profile.name, prepared, self.keystore, self.store)
        self.say(f"stored in the OS keyring ({self.keystore.backend_name})")

    def keys_list(self, ns: argparse.Namespace) -> None:
        """Profiles with a stored key: kind, account and public key, never the key."""
        accounts = self.store.accounts()
        if not accounts:
            self.say("no keys stored; add one with `paradex-terminal keys add --profile NAME`")
        for name, record in accounts.items():
            self.say(
                f"{name:<12} {record.kind:<6} {record.account}  public key {record.public_key}"
            )

    def keys_remove(self, ns: argparse.Namespace) -> None:
        """Delete a profile's key and record."""
        self.store.get(ns.profile)
        remove_key(ns.profile, self.keystore, self.store)
        self.say(f"removed the key of profile {ns.profile}")


def run_command(
    argv: Sequence[str],
    *,
    store: ProfileStore | None = None,
    keystore: Keystore | None = None,
    stdin: TextIO | None = None,
    stdout: TextIO | None = None,
    stderr: TextIO | None = None,
) -> int:
    """Run `profiles …` or `keys …`; the exit code."""
    ns = build_parser().parse_args(list(argv))
    err = stderr or sys.stderr
    commands = Commands(
        store or ProfileStore(), keystore or Keystore(), stdin or sys.stdin, stdout or sys.stdout
    )
    try:
        commands.run(ns)
    except (ProfileError, KeyInputError) as exc:
        print(f"{PROG}: error: {exc}", file=err)
        return 2
    except (KeySetupError, KeystoreError) as exc:
        print(f"{PROG}: error: {exc}", file=err)
        return 1
    except CommandError as exc:
        print(f"{PROG}: {exc}", file=err)
        return exc.code
    return 0
