"""The one place that knows venues by name: a profile in, an open venue connection out."""

from __future__ import annotations

import logging

from terminal.app.profiles import Profile
from terminal.services.connection import VenueConnection
from terminal.services.keystore import Keystore, MissingKeyError
from terminal.services.supervisor import Supervisor

log = logging.getLogger(__name__)


def key_for_profile(profile: Profile, keystore: Keystore) -> int:
    """The private key to trade `profile` with: ephemeral for the embedded exchange."""
    if profile.embedded:
        # Imported here: the signer pulls in the C crypto library, which the window's
        # first paint does not need.
        from terminal.venues.paradex.crypto.signing import generate_private_key

        ephemeral: int = generate_private_key()
        return ephemeral
    stored = keystore.load_key(profile.name)
    if stored is None:
        raise MissingKeyError(f"no key in the keyring for profile {profile.name!r}")
    return stored


async def open_connection(
    profile: Profile, supervisor: Supervisor, keystore: Keystore | None = None
) -> VenueConnection:
    """Log in to `profile`'s venue and return the shared connection to it."""
    if not profile.has_urls:
        raise ValueError(f"profile {profile.name!r} has no URLs yet")
    if profile.venue == "kana":
        return await _open_kana(profile, supervisor)
    if profile.venue != "paradex":
        raise ValueError(f"profile {profile.name!r} names an unknown venue {profile.venue!r}")
    from terminal.venues.paradex.venue import ParadexVenue

    key = key_for_profile(profile, keystore or Keystore())
    venue = await ParadexVenue.open(
        profile.rest_url, profile.ws_url, private_key=key, sbe_version=profile.sbe_version
    )
    del key
    trading = venue.trading
    log.info("connected to %s as %s", profile.name, trading.account_label if trading else "-")
    return VenueConnection(venue, supervisor, trading=trading)


async def _open_kana(profile: Profile, supervisor: Supervisor) -> VenueConnection:
    """Kana's indexer: read-only, so no key and no trading."""
    from terminal.venues.kana.urls import TESTNET
    from terminal.venues.kana.venue import KanaVenue

    # Kana lists no markets: the testnet's ids, which the embedded exchange serves too.
    venue = await KanaVenue.open(profile.rest_url, profile.ws_url, market_ids=TESTNET.market_ids)
    log.info("connected to %s as - (read-only)", profile.name)
    return VenueConnection(venue, supervisor, trading=None)
