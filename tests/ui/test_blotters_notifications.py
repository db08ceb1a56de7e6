"""The notifications log: order events derived from successive states, bounded, sound on fills."""

from __future__ import annotations

from PySide6.QtCore import QTimer

from terminal.domain.orders import OrderStatus, OrderType, Side
from terminal.viewmodels.columns import TONE_ROLE
from terminal.viewmodels.notifications import Level, NotificationsModel
from terminal.widgets.notifications import NotificationsLog
from terminal.widgets.palette import DARK, LIGHT

from .account_fakes import T0, make_order


def _log(**kw: object) -> NotificationsModel:
    return NotificationsModel(clock=lambda: T0, **kw)  # type: ignore[arg-type]


def _events(model: NotificationsModel) -> list[tuple[str, str]]:
    model.flush()
    return [(model.index(r, 1).data(), model.index(r, 3).data()) for r in range(model.rowCount())]


def test_the_log_passes_the_model_tester(qtmodeltester) -> None:
    model = _log()
    qtmodeltester.check(model)
    model.notify("info", "hello")
    model.notify(Level.WARNING, "cancel-all: 3 still open", "BTC-USD-PERP")
    model.flush()
    qtmodeltester.check(model)


def test_accepted_partial_fill_filled() -> None:
    model = _log()
    model.on_order_event(make_order("o1", status=OrderStatus.NEW, seq_no=1))
    model.on_order_event(make_order("o1", status=OrderStatus.OPEN, seq_no=2))
    model.on_order_event(make_order("o1", remaining="0.3", seq_no=3))
    model.on_order_event(make_order("o1", remaining="0", status=OrderStatus.CLOSED, seq_no=4))
    label = "Buy 0.5 BTC-USD-PERP limit @ 67000.5"
    assert _events(model) == [
        ("Fill", f"Filled: {label}"),
        ("Fill", f"Partially filled 0.2 of 0.5: {label}"),
        ("Info", f"Accepted: {label}"),
    ]
    assert model.index(0, 3).data(TONE_ROLE) == "up"


def test_rejected_with_the_reason_in_words() -> None:
    model = _log()
    model.on_order_event(make_order("o1", status=OrderStatus.NEW, seq_no=1))
    model.on_order_event(
        make_order("o1", status=OrderStatus.CLOSED, reason="NOT_ENOUGH_MARGIN", seq_no=2)
    )
    assert _events(model) == [
        ("Error", "Rejected: Buy 0.5 BTC-USD-PERP limit @ 67000.5 — not enough margin")
    ]
    assert model.index(0, 3).data(TONE_ROLE) == "down"


def test_cancelled_by_the_user_or_by_the_venue() -> None:
    model = _log()
    market = make_order("m", type=OrderType.MARKET, price=None, side=Side.SELL, size="2")
    model.on_order_event(make_order("o1", seq_no=1))
    model.on_order_event(
        make_order("o1", status=OrderStatus.CLOSED, reason="USER_CANCELED", seq_no=2)
    )
    model.on_order_event(market)
    model.on_order_event(
        make_order(
            "m",
            type=OrderType.MARKET,
            price=None,
            side=Side.SELL,
            size="2",
            remaining="1.5",
            status=OrderStatus.CLOSED,
            reason="REMAINING_IOC_CANCEL",
            seq_no=2,
        )
    )
    events = _events(model)
    assert events[:2] == [
        (
            "Warning",
            "Cancelled: Sell 2 BTC-USD-PERP market — rest not filled at once (IOC)",
        ),
        ("Fill", "Partially filled 0.5 of 2: Sell 2 BTC-USD-PERP market"),
    ]
    assert ("Info", "Cancelled: Buy 0.5 BTC-USD-PERP limit @ 67000.5 — cancelled by you") in events
    assert model.index(0, 3).data(TONE_ROLE) == "warn"


def test_repeated_and_late_states_are_not_logged_twice() -> None:
    model = _log()
    model.on_order_event(make_order("o1", status=OrderStatus.OPEN, seq_no=5))
    model.on_order_event(make_order("o1", status=OrderStatus.NEW, seq_no=4))  # late
    model.on_order_event(make_order("o1", status=OrderStatus.OPEN, seq_no=5))  # repeated
    closed = make_order("o1", status=OrderStatus.CLOSED, reason="USER_CANCELED", seq_no=6)
    model.on_order_event(closed)
    model.on_order_event(closed)  # a reconciliation replays it
    assert [text.split(":")[0] for _level, text in _events(model)] == ["Cancelled", "Accepted"]


def test_the_log_is_bounded_newest_first_and_inserts_once_per_frame() -> None:
    timer = QTimer()
    now = [T0]
    model = NotificationsModel(capacity=3, clock=lambda: now[0], timer=timer)
    model.notify("info", "first")  # runs at once, opening a frame
    inserted: list[tuple[int, int]] = []
    model.rowsInserted.connect(lambda _p, a, b: inserted.append((a, b)))
    for i in range(5):
        now[0] += 1
        model.notify("warning", f"n{i}")
    timer.timeout.emit()
    assert inserted == [(0, 2)]
    assert [model.index(r, 3).data() for r in range(3)] == ["n4", "n3", "n2"]
    assert model.row_at(0).at_ms == T0 + 5


def test_a_fill_asks_for_a_sound_only_when_enabled(qtbot) -> None:
    quiet = _log()
    with qtbot.assertNotEmitted(quiet.fill_sound_requested):
        quiet.on_order_event(make_order("o1", remaining="0.1"))
    beeps: list[int] = []
    model = _log(sound_on_fills=True)
    log = NotificationsLog(model, beep=lambda: beeps.append(1))
    qtbot.addWidget(log)
    assert log.objectName() == "notificationsLog"
    model.on_order_event(make_order("o1", seq_no=1))
    assert beeps == []
    model.on_order_event(make_order("o1", remaining="0.1", seq_no=2))
    assert beeps == [1]


def test_warnings_show_in_amber_in_both_palettes(qtbot) -> None:
    model = _log()
    log = NotificationsLog(model)
    qtbot.addWidget(log)
    log.resize(900, 120)
    log.show()
    qtbot.waitExposed(log)
    model.notify("warning", "cancel-all: 3 still open")
    model.flush()
    for palette in (DARK, LIGHT):
        log.set_palette(palette)
        image = log.viewport().grab().toImage()
        amber = palette.color("last_trade").rgb()
        assert any(
            image.pixel(x, y) == amber for y in range(image.height()) for x in range(image.width())
        )
