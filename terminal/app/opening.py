"""Opening a real profile's venue the way a trader can follow: an unreachable venue is
retried with a countdown and a Retry button (never a silent "Connecting…"), and a key the
venue refuses leaves the terminal read-only with the venue's reason, not dead."""

from __future__ import annotations

import asyncio
import dataclasses
import logging
import math

from terminal.app.accounts import Access, fix_hint
from terminal.app.banner import Banner
from terminal.app.profiles import Profile
from terminal.app.venue_factory import open_connection
from terminal.domain.errors import StreamDisconnected, VenueError, VenueRateLimited
from terminal.services.connection import VenueConnection
from terminal.services.supervisor import Supervisor
from terminal.venues.backoff import Backoff
from terminal.venues.paradex.errors import ServerError, TransportError

log = logging.getLogger(__name__)

RETRY_BACKOFF = (2.0, 60.0)
"""First and longest wait (s) between attempts to reach an unreachable venue."""

# Failures that say nothing about the request, only that the venue cannot be reached now.
UNREACHABLE = (
    TransportError,
    ServerError,
    VenueRateLimited,
    StreamDisconnected,
    TimeoutError,
    OSError,
)


class VenueOpener:
    """Opens one profile's venue, telling the user on `banner` what is happening."""

    def __init__(
        self,
        banner: Banner,
        supervisor: Supervisor,
        *,
        backoff: tuple[float, float] = RETRY_BACKOFF,
    ) -> None:
        self._banner = banner
        self._supervisor = supervisor
        self._backoff = backoff
        self._retry_now = asyncio.Event()
        self.attempts = 0

    async def open(self, profile: Profile, access: Access) -> tuple[VenueConnection, Access]:
        """The open connection and the access it got (read-only if the key was refused)."""
        backoff = Backoff(*self._backoff)
        while True:
            self.attempts += 1
            try:
                connection = await open_connection(profile, self._supervisor, access)
            except UNREACHABLE as exc:
                if profile.embedded:
                    raise
                delay = max(1, math.ceil(backoff.next()))
                log.warning("cannot reach %s (%s); retrying in %d s", profile.host, exc, delay)
                await self._wait(profile.host, delay, _reason(exc))
                continue
            except VenueError as exc:
                # With a key, a refusal is most likely about the key or the account: keep
                # the market data and say so. Without one, there is nothing to fall back to.
                if profile.embedded or access.private_key is None:
                    raise
                log.warning("signing in to %s failed: %s; continuing read-only", profile.name, exc)
                access = dataclasses.replace(
                    access,
                    private_key=None,
                    problem=f"read-only: signing in failed ({exc}); check the key — "
                    + fix_hint(profile.name),
                )
                continue
            if self.attempts > 1:
                self._banner.clear()  # the retry countdown
            return connection, access

    async def _wait(self, host: str, seconds: int, reason: str) -> None:
        """Count down `seconds` on the banner; Retry cuts the wait short."""
        self._retry_now.clear()
        for remaining in range(seconds, 0, -1):
            self._banner.show_message(
                f"Cannot reach {host} ({reason}) — retrying in {remaining} s",
                "Retry now",
                self._retry_now.set,
            )
            try:
                await asyncio.wait_for(self._retry_now.wait(), 1.0)
            except TimeoutError:
                continue
            break
        self._banner.show_message(f"Connecting to {host}…")


def _reason(exc: BaseException) -> str:
    return str(exc) or type(exc).__name__
