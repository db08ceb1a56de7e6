"""The one place that knows venues by name: a profile in, an open venue connection out."""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

from terminal.app.profiles import Profile, SessionKind
from terminal.services.connection import VenueConnection
from terminal.services.supervisor import Supervisor

if TYPE_CHECKING:  # accounts loads Qt (QSettings): this module is preloaded off the UI thread
    from terminal.app.accounts import Access

log = logging.getLogger(__name__)


async def open_connection(
    profile: Profile, supervisor: Supervisor, access: Access
) -> VenueConnection:
    """Open `profile`'s venue and return the shared connection to it: logged in with
    `access`'s key, or read-only (market data only, `trading` None) without one."""
    if not profile.has_urls:
        raise ValueError(f"profile {profile.name!r} has no URLs yet")
    if profile.venue == "kana":
        return await _open_kana(profile, supervisor)
    if profile.venue != "paradex":
        raise ValueError(f"profile {profile.name!r} names an unknown venue {profile.venue!r}")
    from terminal.venues.paradex.venue import ParadexVenue

    record = access.record
    venue = await ParadexVenue.open(
        profile.rest_url,
        profile.ws_url,
        private_key=access.private_key,
        account=access.account,
        ethereum_account=record.ethereum_account or None if record else None,
        sbe_version=profile.sbe_version,
        interactive=profile.session is SessionKind.RETAIL,
    )
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
