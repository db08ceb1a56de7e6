"""The status bar shows what it is fed: connection states, traffic, lag, skew, profile."""

from __future__ import annotations

import enum

import pytest

from terminal.app.statusbar import StatusBar, short_address, state_key


class FakeState(enum.Enum):
    LIVE = "live"
    RECONNECTING = "reconnecting"


@pytest.fixture
def bar(qtbot) -> StatusBar:
    widget = StatusBar()
    qtbot.addWidget(widget)
    return widget


@pytest.mark.parametrize(
    ("state", "label", "colour"),
    [
        ("live", "Live", "#26a269"),
        (FakeState.RECONNECTING, "Reconnecting", "#e08a2c"),
        ("STALE", "Stale", "#e5484d"),
        ("closed", "Disconnected", "#8592a6"),
    ],
)
def test_connection_state_label_dot_and_reason(
    bar: StatusBar, state: object, label: str, colour: str
) -> None:
    bar.set_connection(state, "gap in order_book.BTC-USD-PERP")
    text = bar.connection.text()
    assert label in text
    assert colour in text
    assert "gap in order_book.BTC-USD-PERP" in text


def test_states_are_distinct(bar: StatusBar) -> None:
    texts = set()
    for state in ("live", "stale", "reconnecting", "connecting"):
        bar.set_connection(state)
        texts.add(bar.connection.text())
        assert bar.state == state
    assert len(texts) == 4


def test_traffic_lag_and_skew(bar: StatusBar) -> None:
    bar.set_traffic(2345.4, 0.25)
    assert bar.traffic.text() == "2,345 msg/s"
    assert bar.age.text() == "last 0.2s"
    bar.set_traffic(0, None)
    assert bar.age.text() == "last —"
    bar.set_traffic(50, 0.0, 3.4)  # messages keep coming, but 3.4 s late
    assert bar.age.text() == "last 0.0s · data 3.4s"
    bar.set_loop_lag(3.4)
    assert bar.lag.text() == "lag 3 ms"
    bar.set_clock_skew(-120)
    assert bar.skew.text() == "skew -120 ms"


def test_profile_and_badges(bar: StatusBar) -> None:
    account = hex(0x4A1B2C3D4E5F60718293A4B5C6D7E8F90123456789ABCDEF0123456789ABCDE)
    bar.set_profile("demo", account, demo=True)
    assert bar.badge.text().strip() == "DEMO"
    assert "0x4a1b…bcde" in bar.profile.text()
    bar.set_profile("mainnet", account, demo=False)
    assert bar.badge.text().strip() == "MAINNET"
    assert bar.badge.property("live") is True


def test_real_profile_shows_key_and_session_kind(bar: StatusBar) -> None:
    account = "0x129c135ed63df9353885e292be4426b8ed6122b13c6c0e1bb787288a1f5adfa"
    bar.set_profile("testnet", account, demo=False, key_kind="eth", session="retail")
    assert bar.profile.text() == "testnet · 0x129c…adfa · eth key · retail"
    assert account in bar.profile.toolTip() and "Session: retail" in bar.profile.toolTip()
    bar.set_profile("mainnet", "", demo=False)
    assert bar.profile.text() == "mainnet · read-only"
    assert "market data only" in bar.profile.toolTip()
    assert bar.badge.text().strip() == "MAINNET"


def test_helpers() -> None:
    assert short_address("0x1234") == "0x1234"
    assert state_key(FakeState.LIVE) == "live"
    assert state_key("ConnectionState.STALE") == "stale"


def test_feed_problems_show_until_cleared(bar: StatusBar) -> None:
    assert bar.feed.isHidden()
    bar.set_feed_problems({"trades.BTC-USD-PERP": "-32600: invalid subscribe request"})
    assert not bar.feed.isHidden()
    assert "1 channel not subscribed" in bar.feed.text()
    assert "trades.BTC-USD-PERP: -32600" in bar.feed.toolTip()
    bar.set_feed_problems({"a": "x", "b": "y"})
    assert "2 channels not subscribed" in bar.feed.text()
    bar.set_feed_problems({})
    assert bar.feed.isHidden()


def test_a_notice_shows_beside_the_state_then_goes(bar: StatusBar) -> None:
    bar.set_connection("connecting", "starting the embedded exchange")
    bar.notice("the embedded exchange stopped (killed by SIGKILL); a new demo session was started")
    assert not bar.notice_label.isHidden()
    assert "killed by SIGKILL" in bar.notice_label.text()
    assert "Connecting" in bar.connection.text()  # the state stays visible
    bar._notice_timer.timeout.emit()  # its time is up (no waiting in a unit test)
    assert bar.notice_label.isHidden()
