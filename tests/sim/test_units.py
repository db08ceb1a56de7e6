"""Pure pieces of the server: channel names, book views, JWTs."""

from __future__ import annotations

from decimal import Decimal

import pytest

from terminal.sim.book_views import book_view
from terminal.sim.engine.errors import VenueError
from terminal.sim.jwt import JwtIssuer
from terminal.sim.ws_channels import BookView, ChannelError, parse_channel

MARKETS = {"BTC-USD-PERP", "ETH-USD-PERP"}


@pytest.mark.parametrize(
    ("name", "family", "market", "private"),
    [
        ("markets_summary", "markets_summary", "ALL", False),
        ("markets_summary.BTC-USD-PERP", "markets_summary", "BTC-USD-PERP", False),
        ("trades.ALL", "trades", "ALL", False),
        ("bbo.ETH-USD-PERP", "bbo", "ETH-USD-PERP", False),
        ("order_book.BTC-USD-PERP.deltas", "order_book", "BTC-USD-PERP", False),
        ("orders.ALL", "orders", "ALL", True),
        ("fills.BTC-USD-PERP", "fills", "BTC-USD-PERP", True),
        ("positions", "positions", "", True),
        ("balance_events", "balance_events", "", True),
    ],
)
def test_channel_names_parse(name: str, family: str, market: str, private: bool) -> None:
    channel = parse_channel(name, MARKETS)
    assert (channel.family, channel.market, channel.private, channel.view) == (
        family,
        market,
        private,
        None,
    )


def test_book_view_names_parse() -> None:
    view = parse_channel("order_book.BTC-USD-PERP.interactive@15@50ms@0_1", MARKETS).view
    assert view == BookView(interactive=True, rate_ms=50, tick=Decimal("0.1"))
    plain = parse_channel("order_book.BTC-USD-PERP.snapshot@15@100ms", MARKETS).view
    assert plain == BookView(interactive=False, rate_ms=100, tick=None)


@pytest.mark.parametrize(
    "name",
    [
        "",
        "trades",
        "trades.DOGE-USD-PERP",
        "positions.BTC-USD-PERP",
        "order_book.BTC-USD-PERP",
        "order_book.BTC-USD-PERP.snapshot@20@100ms",
        "order_book.BTC-USD-PERP.snapshot@15@10ms",
        "order_book.BTC-USD-PERP.snapshot@15@100ms@0_2",
        "order_book.BTC-USD-PERP.deltas@15@50ms",
        "nonsense.ALL",
    ],
)
def test_bad_channel_names_are_refused(name: str) -> None:
    with pytest.raises(ChannelError):
        parse_channel(name, MARKETS)


def test_book_view_groups_by_tick_and_cuts_to_15() -> None:
    bids = [{"side": "BUY", "price": f"{100 - i * 0.25:.2f}", "size": "1"} for i in range(80)]
    asks = [{"side": "SELL", "price": f"{100.1 + i * 0.25:.2f}", "size": "2"} for i in range(80)]
    full = {"market": "BTC-USD-PERP", "seq_no": 9, "update_type": "s", "inserts": bids + asks}
    view = book_view(full, BookView(interactive=True, rate_ms=50, tick=Decimal(1)))
    out_bids = [lv for lv in view["inserts"] if lv["side"] == "BUY"]
    out_asks = [lv for lv in view["inserts"] if lv["side"] == "SELL"]
    assert len(out_bids) == len(out_asks) == 15
    assert out_bids[0] == {"side": "BUY", "price": "100", "size": "1"}  # 100.00 alone
    assert out_bids[1] == {"side": "BUY", "price": "99", "size": "4"}  # 99.75 … 99.00
    assert out_asks[0] == {"side": "SELL", "price": "101", "size": "8"}  # 100.10 … 100.85
    assert view["seq_no"] == 9 and Decimal(view["relative_spread"]) > 0


def test_jwt_round_trip_tamper_and_expiry() -> None:
    now = [1_000_000.0]
    issuer = JwtIssuer(ttl_s=300, clock=lambda: now[0])
    token = issuer.mint(0xABC, interactive=True)
    claims = issuer.verify(token)
    assert (claims.account, claims.exp, claims.interactive) == (0xABC, 1_000_300, True)
    head, body, sig = token.split(".")
    with pytest.raises(VenueError):
        issuer.verify(f"{head}.{body}.{sig[:-2]}AA")
    with pytest.raises(VenueError):
        JwtIssuer().verify(token)  # another process's secret
    now[0] += 300
    with pytest.raises(VenueError, match="expired"):
        issuer.verify(token)
