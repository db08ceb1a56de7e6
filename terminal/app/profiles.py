"""Connection profiles: which venue to talk to and how.

API:

    Profile(name, rest_url, ws_url, sbe_version, embedded, venue="paradex", session=RETAIL)
    DEMO, TESTNET, MAINNET, KANA, KANA_DEMO     # the built-ins
    builtin_profiles() -> dict[str, Profile]
    custom_profile(name, rest_url, ws_url, venue=...) -> Profile   # validated, or ProfileError
    DEMO.with_urls(rest_url, ws_url) -> Profile # the demo's URLs come from the embedded exchange

The `demo` profile is the embedded exchange on loopback: its URLs are only known once the
exchange has started, and it trades with an ephemeral key that is never stored. Custom
profiles and per-profile settings persist in `profile_store.ProfileStore`.
`kana` watches Kana Labs' perps indexer (read-only: no key); `kana-demo` is the embedded
exchange speaking Kana's protocol.
"""

from __future__ import annotations

import dataclasses
import re
from dataclasses import dataclass
from enum import StrEnum
from urllib.parse import urlsplit

from terminal.venues.kana.urls import TESTNET as KANA_TESTNET
from terminal.venues.paradex.urls import PROD
from terminal.venues.paradex.urls import TESTNET as TESTNET_ENV

VENUES = ("paradex",)
"""Venue names a profile may name (the composition root opens each differently)."""

_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.-]{0,39}")
_LOOPBACK = ("127.0.0.1", "localhost", "::1")


class ProfileError(ValueError):
    """A profile cannot be created, found or used as asked; the message says why."""


class UnknownProfileError(ProfileError):
    """No profile has this name."""


class SessionKind(StrEnum):
    """How the account authenticates (PROTOCOL §6.2, §10)."""

    RETAIL = "retail"
    """An `interactive` JWT: retail order limits and the 300 ms speed bump, as Paradex's UI."""
    PRO = "pro"
    """A plain JWT: API limits, no speed bump."""


@dataclass(frozen=True, slots=True)
class Profile:
    """A named venue endpoint pair plus how to speak to it."""

    name: str
    rest_url: str
    ws_url: str
    sbe_version: int | None
    embedded: bool
    venue: str = "paradex"
    """Which venue speaks at the endpoints: "paradex" or "kana"."""
    session: SessionKind = SessionKind.RETAIL
    builtin: bool = True

    def with_urls(self, rest_url: str, ws_url: str) -> Profile:
        """A copy pointing at other endpoints (the embedded exchange's, once it listens)."""
        return dataclasses.replace(self, rest_url=rest_url, ws_url=ws_url)

    def with_session(self, session: SessionKind) -> Profile:
        """A copy that authenticates with another session kind."""
        return dataclasses.replace(self, session=session)

    @property
    def has_urls(self) -> bool:
        """Whether the endpoints are known (false for `demo` until the exchange starts)."""
        return bool(self.rest_url and self.ws_url)

    @property
    def host(self) -> str:
        """The REST host, as a user would recognise it in a message."""
        return urlsplit(self.rest_url).netloc or self.name


# The real venue requires SBE on public channels (§11.1); the embedded exchange speaks it
# too, so the demo exercises the same decoding path. Its session kind is unused: the
# demo's ephemeral key logs in with API limits.
DEMO = Profile("demo", "", "", sbe_version=2, embedded=True, session=SessionKind.PRO)
TESTNET = Profile("testnet", TESTNET_ENV.rest_url, TESTNET_ENV.ws_url, 2, embedded=False)
MAINNET = Profile("mainnet", PROD.rest_url, PROD.ws_url, 2, embedded=False)
KANA = Profile(
    "kana", KANA_TESTNET.rest_url, KANA_TESTNET.ws_url, None, embedded=False, venue="kana"
)
KANA_DEMO = Profile("kana-demo", "", "", None, embedded=True, venue="kana")


def builtin_profiles() -> dict[str, Profile]:
    """The profiles every installation has, by name."""
    return {p.name: p for p in (DEMO, TESTNET, MAINNET, KANA, KANA_DEMO)}


def check_name(name: str) -> str:
    """`name` if it can name a profile (letters, digits, `_.-`; at most 40), else ProfileError."""
    if not _NAME.fullmatch(name):
        raise ProfileError(
            f"invalid profile name {name!r}: use letters, digits, '_', '.' or '-' (at most 40)"
        )
    return name


def _check_url(url: str, schemes: tuple[str, str], what: str) -> str:
    secure, plain = schemes
    parts = urlsplit(url)
    if parts.scheme == secure and parts.hostname:
        return url.rstrip("/")
    if parts.scheme == plain and parts.hostname in _LOOPBACK:
        return url.rstrip("/")
    raise ProfileError(
        f"invalid {what} URL {url!r}: it must be {secure}://… "
        f"({plain}:// only on 127.0.0.1 or localhost)"
    )


def custom_profile(
    name: str,
    rest_url: str,
    ws_url: str,
    *,
    venue: str = "paradex",
    session: SessionKind = SessionKind.RETAIL,
) -> Profile:
    """A user-defined profile, validated: name, known venue, TLS except on loopback."""
    check_name(name)
    if name in builtin_profiles():
        raise ProfileError(f"{name!r} is a built-in profile; choose another name")
    if venue not in VENUES:
        raise ProfileError(f"unknown venue {venue!r} (known: {', '.join(VENUES)})")
    return Profile(
        name,
        _check_url(rest_url, ("https", "http"), "REST"),
        _check_url(ws_url, ("wss", "ws"), "WebSocket"),
        sbe_version=2,
        embedded=False,
        venue=venue,
        session=session,
        builtin=False,
    )
