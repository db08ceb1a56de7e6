"""Shared helpers for the engine tests: venues, users, order bodies, event capture."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from terminal.sim.engine import PrivateEvent, PublicEvent, SimVenue, VenueEvent

T0 = 1_700_000_000_000
BTC = "BTC-USD-PERP"
ETH = "ETH-USD-PERP"
ALICE, BOB, CAROL = 0xA11CE, 0xB0B, 0xCA401


class Recorder:
    """Collects every event a venue emits."""

    def __init__(self) -> None:
        self.events: list[VenueEvent] = []

    def __call__(self, event: VenueEvent) -> None:
        self.events.append(event)

    def private(self, account: int, family: str) -> list[dict[str, Any]]:
        """Payloads of one account's channel family, in order."""
        return [
            e.payload
            for e in self.events
            if isinstance(e, PrivateEvent) and e.account == account and e.family == family
        ]

    def public(self, family: str, market: str | None = None) -> list[dict[str, Any]]:
        """Payloads of a public family (optionally one market), in order."""
        return [
            e.payload
            for e in self.events
            if isinstance(e, PublicEvent)
            and e.family == family
            and (market is None or e.market == market)
        ]

    def order(self, account: int, order_id: str) -> dict[str, Any]:
        """The last `orders` update of one order."""
        return [o for o in self.private(account, "orders") if o["id"] == order_id][-1]

    def clear(self) -> None:
        """Forget what was recorded."""
        self.events.clear()


def body(
    market: str = BTC,
    side: str = "BUY",
    size: str = "0.1",
    price: str | None = None,
    type: str | None = None,
    **extra: Any,
) -> dict[str, Any]:
    """A §7.1 order body (signature fields as the server passes them through)."""
    out: dict[str, Any] = {
        "market": market,
        "side": side,
        "size": size,
        "type": type or ("LIMIT" if price is not None else "MARKET"),
        "instruction": "GTC",
        "signature": '["1","2"]',
        "signature_timestamp": T0,
    }
    if price is not None:
        out["price"] = price
    out.update(extra)
    return out


class Helpers:
    """What the tests share besides fixtures (test modules cannot import conftest)."""

    T0 = T0
    BTC = BTC
    ETH = ETH
    SOL = "SOL-USD-PERP"
    ALICE, BOB, CAROL = ALICE, BOB, CAROL
    body = staticmethod(body)


@pytest.fixture
def h() -> type[Helpers]:
    """Constants and the order-body builder."""
    return Helpers


@pytest.fixture
def rec() -> Recorder:
    """An event recorder."""
    return Recorder()


@pytest.fixture
def bare(rec: Recorder) -> Iterator[SimVenue]:
    """A venue with empty books and still marks (BTC mark 67600), three users onboarded."""
    venue = SimVenue(start_ms=T0, history_days=0.01, synthetic=False)
    venue.add_listener(rec)
    for account in (ALICE, BOB, CAROL):
        venue.onboard(account, account + 1)
    yield venue


@pytest.fixture
def live(rec: Recorder) -> Iterator[SimVenue]:
    """A venue with the synthetic market running, one second in, Alice onboarded."""
    venue = SimVenue(start_ms=T0, history_days=0.05, seed=7)
    venue.add_listener(rec)
    venue.advance(T0 + 1000)
    venue.onboard(ALICE, 1)
    yield venue
