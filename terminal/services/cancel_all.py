"""Cancel-all, sent at once and then proven: "N still open" until the stream and REST agree.

A click must reach the venue in milliseconds, so the request goes out before anything
else is looked at. Proof follows: the orders stream must show none of the affected
orders working, and a REST re-read must return none; anything that survives is listed
and cancelled again, order by order, for a bounded number of rounds. With the live
connection down the stream cannot testify, and REST alone decides (the run says so).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field

from terminal.domain.errors import VenueError
from terminal.domain.orders import Order
from terminal.venues.api import TradingVenue
from terminal.venues.backoff import Backoff

log = logging.getLogger(__name__)

PROOF_ROUNDS = 6
"""Rounds of re-read and re-cancel before the run gives up and says what survived."""
STREAM_WAIT_S = 1.5
"""How long a round waits for the orders stream to show the cancels."""
SEND_TRIES = 4
"""Attempts at the cancel-all request itself (a 429 or a dropped connection)."""


@dataclass(slots=True)
class CancelAllRun:
    """One cancel-all's progress, for the status line and the log."""

    market: str | None
    started: float
    sent_ms: float | None = None
    """Click → venue's answer to the DELETE, in ms."""
    still_open: list[Order] = field(default_factory=list)
    rest_checked: bool = False
    stream_checked: bool = False
    done: bool = False
    error: str = ""

    @property
    def scope(self) -> str:
        """ "all markets" or the market."""
        return self.market or "all markets"

    @property
    def proven(self) -> bool:
        """Whether zero working orders was seen where it could be seen."""
        return self.done and not self.still_open and not self.error

    def describe(self) -> str:
        """One line for the trader."""
        if self.error:
            return f"cancel-all ({self.scope}): {self.error}"
        if not self.done:
            if self.sent_ms is None:
                return f"cancel-all ({self.scope}): sending…"
            return f"cancel-all ({self.scope}): sent; {len(self.still_open)} still open"
        if self.still_open:
            ids = ", ".join(o.client_id or o.id for o in self.still_open[:5])
            return f"cancel-all ({self.scope}): {len(self.still_open)} STILL OPEN: {ids}"
        proof = "stream and REST" if self.stream_checked else "REST (stream down)"
        return f"cancel-all ({self.scope}): 0 open — confirmed by {proof}"


class OpenOrdersView:
    """What the proof reads of the live account: working orders, and whether they are live."""

    def __init__(
        self,
        orders: Callable[[], dict[str, Order]],
        live: Callable[[], bool],
        add_listener: Callable[[Callable[[str], None]], None],
    ) -> None:
        self.orders = orders
        self.live = live
        self._changed = asyncio.Event()
        add_listener(lambda kind: self._changed.set())

    async def wait_change(self, limit_s: float) -> None:
        """Return after the next account update, or after `limit_s` seconds."""
        self._changed.clear()
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(self._changed.wait(), limit_s)


async def run_cancel_all(
    venue: TradingVenue,
    view: OpenOrdersView,
    run: CancelAllRun,
    report: Callable[[CancelAllRun], None],
    *,
    sent: Awaitable[None] | None = None,
    backoff: Backoff | None = None,
) -> None:
    """Send the cancel-all now (or await `sent`: the request the click already put on its
    way, `venue.cancel_all`), then prove it (see the module docstring)."""
    backoff = backoff or Backoff(0.2, 2.0)
    if not await _send(venue, run, report, backoff, sent):
        return
    for _ in range(PROOF_ROUNDS):
        await _until_stream_clear(view, run.market)
        run.stream_checked = view.live()
        try:
            rest_open = await venue.open_orders(run.market)
        except (VenueError, TimeoutError) as exc:
            log.warning("cancel-all proof: REST re-read failed: %s", exc)
            await asyncio.sleep(backoff.next())
            continue
        run.rest_checked = True
        stream_open = _matching(view.orders(), run.market) if run.stream_checked else []
        survivors = {o.id: o for o in [*rest_open, *stream_open]}
        run.still_open = list(survivors.values())
        if not survivors:
            run.done = True
            report(run)
            return
        report(run)
        for order in run.still_open:
            try:
                await venue.cancel(order.id)
            except VenueError as exc:
                log.info("cancel-all retry of %s: %s", order.id, exc)
        await asyncio.sleep(backoff.next())
    run.done = True
    report(run)


async def _send(
    venue: TradingVenue,
    run: CancelAllRun,
    report: Callable[[CancelAllRun], None],
    backoff: Backoff,
    sent: Awaitable[None] | None,
) -> bool:
    for attempt in range(1, SEND_TRIES + 1):
        try:
            await (sent if sent is not None and attempt == 1 else venue.cancel_all(run.market))
        except (VenueError, TimeoutError) as exc:
            log.warning("cancel-all attempt %d failed: %s", attempt, exc)
            if attempt == SEND_TRIES:
                run.error = f"not accepted by the venue: {exc}"
                run.done = True
                report(run)
                return False
            await asyncio.sleep(backoff.next())
            continue
        run.sent_ms = (time.perf_counter() - run.started) * 1000
        report(run)
        return True
    return False


async def _until_stream_clear(view: OpenOrdersView, market: str | None) -> None:
    deadline = time.monotonic() + STREAM_WAIT_S
    while view.live() and _matching(view.orders(), market):
        left = deadline - time.monotonic()
        if left <= 0:
            return
        await view.wait_change(left)


def _matching(orders: dict[str, Order], market: str | None) -> list[Order]:
    return [o for o in orders.values() if market is None or o.market == market]
