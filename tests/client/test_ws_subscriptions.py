"""Subscription routing by (family, market) and per-channel statistics."""

from __future__ import annotations

import pytest

from terminal.venues.paradex.errors import SubscribeError
from terminal.venues.paradex.ws.frames import Notification
from terminal.venues.paradex.ws.subscriptions import (
    ChannelStats,
    SessionStats,
    SubscriptionRegistry,
)


def note(family: str, market: str, channel: str | None = None) -> Notification:
    return Notification(channel, family, market, object())


def test_market_first_then_all_never_by_prefix():
    registry = SubscriptionRegistry(SessionStats())
    eth_perp = registry.add("trades.ETH-USD-PERP", print)
    every = registry.add("trades.ALL", print)
    summary = registry.add("markets_summary", print)
    assert registry.route(note("trades", "ETH-USD-PERP")) is eth_perp
    assert registry.route(note("trades", "ETH-USD")) is every  # spot symbol: no prefix match
    assert registry.route(note("markets_summary", "BTC-USD-PERP")) is summary
    assert registry.route(note("bbo", "ETH-USD-PERP")) is None
    registry.remove("trades.ALL")
    assert registry.route(note("trades", "ETH-USD")) is None


def test_one_subscription_per_family_and_market():
    registry = SubscriptionRegistry(SessionStats())
    registry.add("order_book.BTC-USD-PERP.snapshot@15@100ms", print)
    with pytest.raises(SubscribeError):
        registry.add("order_book.BTC-USD-PERP.deltas", print)
    registry.add("markets_summary.ALL", print)
    with pytest.raises(SubscribeError):
        registry.add("markets_summary", print)
    assert len(registry) == 2


def test_channel_stats_rate_and_age():
    stats = ChannelStats()
    assert stats.age(5.0) is None
    for i in range(11):
        stats.record(10.0 + i * 0.1)
    assert stats.count == 11
    assert stats.rate == pytest.approx(10.0)
    assert stats.age(12.5) == pytest.approx(1.5)
