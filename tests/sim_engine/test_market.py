"""The synthetic market: determinism, message rate, the delta feed, spike, klines, reads."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest

from terminal.sim.engine import PublicEvent, SimVenue, VenueError, VenueEvent
from terminal.sim.engine.history import TRADE_HISTORY_MINUTES

T0 = 1_700_000_000_000
BTC = "BTC-USD-PERP"


def _run(seed: int, steps: list[int], **kwargs: Any) -> list[VenueEvent]:
    venue = SimVenue(seed=seed, start_ms=T0, history_days=0.02, **kwargs)
    events: list[VenueEvent] = []
    venue.add_listener(events.append)
    for t in steps:
        venue.advance(T0 + t)
    return events


def test_deterministic_for_a_seed_whatever_the_cadence() -> None:
    coarse = _run(3, [5_000])
    fine = _run(3, list(range(20, 5_001, 20)))
    assert coarse == fine
    assert len(coarse) > 500
    assert _run(4, [5_000]) != coarse


@pytest.mark.parametrize("rate", [200.0, 2000.0])
def test_message_rate_tracks_the_setting(rate: float) -> None:
    events = _run(1, [4_000], rate=rate)
    public = sum(isinstance(e, PublicEvent) for e in events)
    assert 0.7 * rate * 4 < public < 1.3 * rate * 4


def _apply(book: dict[tuple[str, Decimal], Decimal], update: dict[str, Any]) -> None:
    for level in update["inserts"] + update["updates"]:
        book[(level["side"], Decimal(level["price"]))] = Decimal(level["size"])
    for level in update["deletes"]:
        del book[(level["side"], Decimal(level["price"]))]


def test_delta_feed_rebuilds_the_book() -> None:
    venue = SimVenue(seed=5, start_ms=T0, history_days=0.02, rate=1000)
    venue.advance(T0 + 500)
    snapshot = venue.public.book_snapshot_message(BTC)
    assert snapshot["update_type"] == "s"
    book: dict[tuple[str, Decimal], Decimal] = {}
    _apply(book, snapshot)
    seq = snapshot["seq_no"]
    deltas: list[dict[str, Any]] = []
    venue.add_listener(
        lambda e: (
            deltas.append(e.payload)
            if isinstance(e, PublicEvent) and e.family == "order_book" and e.market == BTC
            else None
        )
    )
    venue.advance(T0 + 5_000)
    assert len(deltas) > 50
    for delta in deltas:
        assert delta["update_type"] == "d"
        assert delta["seq_no"] == seq + 1
        seq = delta["seq_no"]
        _apply(book, delta)
        bids = [p for s, p in book if s == "BUY"]
        asks = [p for s, p in book if s == "SELL"]
        assert max(bids) < min(asks)
        assert delta["best_bid_api"]["price"] == str(max(bids))
    rest = venue.public.orderbook_json(BTC, depth=1000)
    assert rest["seq_no"] == seq
    expected = {("BUY", Decimal(p)): Decimal(s) for p, s in rest["bids"]}
    expected |= {("SELL", Decimal(p)): Decimal(s) for p, s in rest["asks"]}
    assert book == expected
    assert 20 <= len(rest["bids"]) <= 40


def _depth(venue: SimVenue) -> Decimal:
    book = venue.public.orderbook_json(BTC, depth=10)
    return sum((Decimal(s) for _, s in book["bids"] + book["asks"]), Decimal(0))


def _mid(venue: SimVenue) -> Decimal:
    bbo = venue.public.bbo_json(BTC)
    return (Decimal(bbo["bid"]) + Decimal(bbo["ask"])) / 2


def test_spike_jumps_thins_and_recovers() -> None:
    venue = SimVenue(seed=2, start_ms=T0, history_days=0.02, scenario="spike", rate=400)
    venue.advance(T0 + 4_000)
    calm_mid, calm_depth = _mid(venue), _depth(venue)
    venue.advance(T0 + 12_000)
    assert _mid(venue) > calm_mid * Decimal("1.04")
    assert _depth(venue) < calm_depth / 2
    spread = Decimal(venue.public.bbo_json(BTC)["ask"]) - Decimal(venue.public.bbo_json(BTC)["bid"])
    venue.advance(T0 + 100_000)
    assert abs(_mid(venue) / calm_mid - 1) < Decimal("0.015")
    recovered = Decimal(venue.public.bbo_json(BTC)["ask"]) - Decimal(
        venue.public.bbo_json(BTC)["bid"]
    )
    assert recovered < spread
    marks = Decimal(venue.public.summaries_json(BTC)[0]["mark_price"])
    assert abs(marks / _mid(venue) - 1) < Decimal("0.005")


def test_calm_market_stays_calm() -> None:
    venue = SimVenue(seed=2, start_ms=T0, history_days=0.02, rate=400)
    venue.advance(T0 + 4_000)
    start = _mid(venue)
    venue.advance(T0 + 30_000)
    assert abs(_mid(venue) / start - 1) < Decimal("0.01")


def test_klines_history_aggregation_and_live_updates() -> None:
    venue = SimVenue(seed=1, start_ms=T0, history_days=3.0)
    one = venue.public.klines(BTC, 1, T0 - 3 * 86_400_000, T0)
    assert len(one) >= 3 * 1440 - 1
    assert all(isinstance(v, float) for v in one[0][1:])
    assert all(row[2] >= max(row[1], row[4]) and row[3] <= min(row[1], row[4]) for row in one)
    start = one[-60][0] // 3_600_000 * 3_600_000 - 3_600_000
    five = venue.public.klines(BTC, 5, start, start + 3_600_000 - 1)
    minutes = [r for r in one if start <= r[0] < start + 300_000]
    assert five[0][0] == start
    assert five[0][2] == max(r[2] for r in minutes)
    assert five[0][3] == min(r[3] for r in minutes)
    assert five[0][4] == minutes[-1][4]
    assert five[0][5] == pytest.approx(sum(r[5] for r in minutes))
    assert len(five) == 12
    with pytest.raises(VenueError) as info:
        venue.public.klines(BTC, 2, start, T0)
    assert info.value.code == "INVALID_REQUEST_PARAMETER"
    venue.advance(T0 + 130_000)
    last = venue.public.klines(BTC, 1, T0, T0 + 130_000)[-1]
    trade = venue.public.trades_json(BTC, None, None, 1)[0]
    assert last[0] == (T0 + 130_000) // 60_000 * 60_000
    assert last[4] == float(trade["price"])


def test_public_reads(live: SimVenue) -> None:
    markets = live.public.markets_json()
    assert [m["symbol"] for m in markets] == [BTC, "ETH-USD-PERP", "SOL-USD-PERP"]
    btc = markets[0]
    assert (btc["price_tick_size"], btc["order_size_increment"], btc["max_open_orders"]) == (
        "0.1",
        "0.001",
        100,
    )
    assert btc["funding_period_hours"] == 8 and btc["asset_kind"] == "PERP"
    assert len(live.public.summaries_json("ALL")) == 3
    summary = live.public.summaries_json(BTC)[0]
    assert Decimal(summary["bid"]) < Decimal(summary["ask"])
    trades = live.public.trades_json(BTC, None, None, 5)
    assert len(trades) == 5
    assert [t["created_at"] for t in trades] == sorted(
        (t["created_at"] for t in trades), reverse=True
    )
    assert len(trades[0]["id"]) == 28
    snap = live.public.book_snapshot_json(BTC, 15)
    assert len([lvl for lvl in snap["inserts"] if lvl["side"] == "BUY"]) == 15


def test_a_long_stall_skips_ahead_instead_of_replaying() -> None:
    venue = SimVenue(seed=1, start_ms=T0, history_days=0.02, rate=200)
    events: list[VenueEvent] = []
    venue.add_listener(events.append)
    venue.advance(T0 + 3_600_000)  # an hour asleep: only the last 10 s are simulated
    assert 0 < len(events) < 200 * 10 * 1.5
    assert venue.now_ms == T0 + 3_600_000
    assert venue.public.summaries_json(BTC)[0]["created_at"] == T0 + 3_600_000


def test_trade_history_exists_at_the_start_and_matches_the_klines() -> None:
    venue = SimVenue(seed=5, start_ms=T0, history_days=0.1)  # 144 one-minute bars
    trades = venue.public.trades_json(BTC, None, None, 10_000)
    assert len(trades) == TRADE_HISTORY_MINUTES * 4  # four per bar, before any live trade
    assert all(t["created_at"] < T0 for t in trades)
    ids = [t["id"] for t in reversed(trades)]
    assert ids == sorted(ids) and len(set(ids)) == len(ids)
    by_minute: dict[int, list[dict[str, Any]]] = {}
    for trade in reversed(trades):  # oldest first
        by_minute.setdefault(trade["created_at"] // 60_000 * 60_000, []).append(trade)
    first_minute = min(by_minute)
    bars = venue.public.klines(BTC, 1, first_minute, T0)
    assert len(venue.public.klines(BTC, 1, 0, T0)) == 144  # older bars have no trades
    assert [bar[0] for bar in bars] == sorted(by_minute)
    for start, o, h, low, c, v in bars:
        prices = [Decimal(t["price"]) for t in by_minute[int(start)]]
        sizes = [Decimal(t["size"]) for t in by_minute[int(start)]]
        assert all(s > 0 and s % Decimal("0.001") == 0 for s in sizes)
        expected = (prices[0], max(prices), min(prices), prices[-1], sum(sizes))
        assert tuple(Decimal(repr(x)) for x in (o, h, low, c, v)) == expected


def test_trade_history_is_deterministic_for_a_seed() -> None:
    def history(seed: int) -> list[dict[str, Any]]:
        venue = SimVenue(seed=seed, start_ms=T0, history_days=0.05)
        venue.advance(T0 + 2_000)
        return venue.public.trades_json(BTC, None, T0 - 1, 10_000)

    assert history(9) == history(9) != history(10)


def test_history_bars_trade_about_as_much_as_live_minutes() -> None:
    venue = SimVenue(seed=2, start_ms=T0, history_days=0.05, rate=200)
    end = T0 + 3 * 60_000
    for t in range(T0, end + 1, 1_000):  # in steps: a long jump skips ahead
        venue.advance(t)
    bars = venue.public.klines(BTC, 1, T0 - 60 * 60_000, end)
    history = sorted(float(b[5]) for b in bars if int(b[0]) < T0)
    live = [float(b[5]) for b in bars if int(b[0]) >= T0 and int(b[0]) + 60_000 <= end]
    median = history[len(history) // 2]
    assert len(live) == 2  # the whole minutes the live market traded
    assert 0.3 * median < sum(live) / len(live) < 3 * median
