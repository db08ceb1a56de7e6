"""Connection profiles: which venue to talk to and how.

API:

    Profile(name, rest_url, ws_url, sbe_version, embedded, venue="paradex")
    DEMO, TESTNET, MAINNET, KANA, KANA_DEMO     # the built-ins
    builtin_profiles() -> dict[str, Profile]
    get_profile(name) -> Profile                # raises UnknownProfileError
    DEMO.with_urls(rest_url, ws_url) -> Profile # the demo's URLs come from the embedded exchange

The `demo` profile is the embedded exchange on loopback: its URLs are only known once the
exchange has started, and it trades with an ephemeral key that is never stored.
`kana` watches Kana Labs' perps indexer (read-only: no key); `kana-demo` is the embedded
exchange speaking Kana's protocol.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass

from terminal.venues.kana.urls import TESTNET as KANA_TESTNET
from terminal.venues.paradex.urls import PROD
from terminal.venues.paradex.urls import TESTNET as TESTNET_ENV


class UnknownProfileError(KeyError):
    """No profile has this name."""


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

    def with_urls(self, rest_url: str, ws_url: str) -> Profile:
        """A copy pointing at other endpoints (the embedded exchange's, once it listens)."""
        return dataclasses.replace(self, rest_url=rest_url, ws_url=ws_url)

    @property
    def has_urls(self) -> bool:
        """Whether the endpoints are known (false for `demo` until the exchange starts)."""
        return bool(self.rest_url and self.ws_url)


# The real venue requires SBE on public channels (§11.1); the embedded exchange speaks it
# too, so the demo exercises the same decoding path.
DEMO = Profile("demo", "", "", sbe_version=2, embedded=True)
TESTNET = Profile("testnet", TESTNET_ENV.rest_url, TESTNET_ENV.ws_url, 2, embedded=False)
MAINNET = Profile("mainnet", PROD.rest_url, PROD.ws_url, 2, embedded=False)
KANA = Profile(
    "kana", KANA_TESTNET.rest_url, KANA_TESTNET.ws_url, None, embedded=False, venue="kana"
)
KANA_DEMO = Profile("kana-demo", "", "", None, embedded=True, venue="kana")


def builtin_profiles() -> dict[str, Profile]:
    """The profiles every installation has, by name."""
    return {p.name: p for p in (DEMO, TESTNET, MAINNET, KANA, KANA_DEMO)}


def get_profile(name: str) -> Profile:
    """The built-in profile `name`."""
    try:
        return builtin_profiles()[name]
    except KeyError:
        raise UnknownProfileError(name) from None
