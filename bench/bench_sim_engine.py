"""Embedded exchange engine: order entry rate and synthetic-market event rate.

- orders/s through `SimVenue.create_order` (validation, risk, matching, settlement, events),
  against the same loop doing only request parsing (`parse_order`);
- events/s that `advance()` generates at rate=2000, against `json.dumps` of those same
  payloads (the least a server must do with each one).
"""

from __future__ import annotations

import json
import time
from typing import Any

from bench.report import emit_runs
from terminal.sim.engine import SimVenue, VenueEvent
from terminal.sim.engine.orders import parse_order

T0 = 1_700_000_000_000
N_ORDERS = 20_000
REPEATS = 3


def _bodies(n: int) -> list[tuple[int, dict[str, Any]]]:
    """Pairs that cross: a resting sell, then a buy that fills it (the book stays small)."""
    out = []
    for i in range(n // 2):
        price = f"{67500 + (i % 200) / 2:.1f}"
        pair = ((1, "SELL"), (2, "BUY")) if i % 2 else ((2, "SELL"), (1, "BUY"))
        for account, side in pair:  # alternating, so positions stay flat
            out.append(
                (
                    account,
                    {
                        "market": "BTC-USD-PERP",
                        "side": side,
                        "type": "LIMIT",
                        "size": "0.01",
                        "price": price,
                        "instruction": "GTC",
                        "signature_timestamp": T0,
                        "client_id": f"{side}{i}",
                    },
                )
            )
    return out


def _order_rate() -> tuple[float, float]:
    venue = SimVenue(start_ms=T0, history_days=0.01, synthetic=False)
    venue.add_listener(lambda event: None)
    venue.onboard(1, 1)
    venue.onboard(2, 2)
    bodies = _bodies(N_ORDERS)
    start = time.perf_counter()
    for account, body in bodies:
        venue.create_order(account, body)
    accepted = len(bodies) / (time.perf_counter() - start)
    markets = dict(venue.markets)
    start = time.perf_counter()
    for _, body in bodies:
        parse_order(body, markets, 67600 * 10**8)
    parsed = len(bodies) / (time.perf_counter() - start)
    return accepted, parsed


def _advance_rate() -> tuple[float, float]:
    venue = SimVenue(start_ms=T0, history_days=0.01, rate=2000)
    events: list[VenueEvent] = []
    venue.add_listener(events.append)
    start = time.perf_counter()
    for step in range(1, 501):  # 10 s of market in 20 ms ticks, like the server's ticker
        venue.advance(T0 + step * 20)
    generated = len(events) / (time.perf_counter() - start)
    start = time.perf_counter()
    for event in events:
        json.dumps(event.payload)
    encoded = len(events) / (time.perf_counter() - start)
    return generated, encoded


def main() -> None:
    """Print the two figures: REPEATS runs each, medians with min / median / max."""
    orders = [_order_rate() for _ in range(REPEATS)]
    emit_runs(
        "sim_engine_orders_per_s_vs_parse_only",
        [accepted for accepted, _ in orders],
        "orders/s",
        [parsed for _, parsed in orders],
    )
    events = [_advance_rate() for _ in range(REPEATS)]
    emit_runs(
        "sim_engine_advance_events_per_s_vs_json_dumps",
        [generated for generated, _ in events],
        "events/s",
        [encoded for _, encoded in events],
    )


if __name__ == "__main__":
    main()
