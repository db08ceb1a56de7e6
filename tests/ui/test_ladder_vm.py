"""LadderViewModel: rows, cumulative depth, grouping, stale, scrolling, throttling."""

from __future__ import annotations

from PySide6.QtCore import QTimer

from terminal.domain.marketdata import BookUpdate
from terminal.domain.orderbook import OrderBook
from terminal.domain.orders import Side
from terminal.domain.units import SCALE, units_from_str
from terminal.viewmodels.formatting import format_units, format_units_fit
from terminal.viewmodels.ladder import (
    SIZE_TEXT_CHARS,
    LadderViewModel,
    auto_grouping,
    group_levels,
)

from .conftest import lv, make_book, make_instrument, make_trade


def _vm(rows: int = 9, **kw: object) -> LadderViewModel:
    vm = LadderViewModel(auto_grouping=False, **kw)  # type: ignore[arg-type]
    vm.set_instrument(make_instrument(tick="0.1", step="0.001"))
    vm.set_visible_rows(rows)
    return vm


def _book():
    return make_book(
        bids=[("100.0", "1"), ("99.9", "2"), ("99.7", "3")],
        asks=[("100.2", "0.5"), ("100.3", "1.5"), ("100.6", "4")],
    )


def test_rows_are_one_per_tick_centred_on_the_inside() -> None:
    vm = _vm()
    vm.set_book(_book())
    vm.flush()
    rows = vm.frame.rows
    assert [r.price_text for r in rows] == [
        "100.5",
        "100.4",
        "100.3",
        "100.2",
        "100.1",
        "100.0",
        "99.9",
        "99.8",
        "99.7",
    ]
    by_price = {r.price_text: r for r in rows}
    assert by_price["100.0"].bid_text == "1.000" and by_price["100.0"].is_best_bid
    assert by_price["100.2"].ask_text == "0.500" and by_price["100.2"].is_best_ask
    assert by_price["100.1"].in_spread and not by_price["100.0"].in_spread
    assert vm.frame.spread_text == "0.2 (19.9 bps)"
    assert not vm.frame.stale


def test_cumulative_depth_accumulates_away_from_the_inside() -> None:
    vm = _vm()
    vm.set_book(_book())
    vm.flush()
    by_price = {r.price_text: r for r in vm.frame.rows}
    assert by_price["100.0"].bid_cum_text == "1.000"
    assert by_price["99.9"].bid_cum_text == "3.000"
    assert by_price["99.8"].bid_cum_text == "3.000" and by_price["99.8"].bid_text == ""
    assert by_price["99.7"].bid_cum_text == "6.000"
    assert by_price["100.3"].ask_cum_text == "2.000"
    assert by_price["100.5"].ask_cum_text == "2.000"
    assert by_price["100.4"].ask_text == ""
    assert by_price["100.1"].bid_cum_text == "" and by_price["100.1"].ask_cum_text == ""
    largest = max(rows := vm.frame.rows, key=lambda r: r.bid_fraction + r.ask_fraction)
    assert largest.bid_fraction == 1.0 or largest.ask_fraction == 1.0
    assert all(0.0 <= r.bid_depth_fraction <= 1.0 for r in rows)


def test_grouping_rounds_bids_down_and_asks_up() -> None:
    side = group_levels(
        [lv("100.4", "1"), lv("100.1", "2"), lv("99.9", "3")], 50_000_000, round_up=False
    )
    assert side.prices == [units_from_str("100.0"), units_from_str("99.5")]
    assert side.sizes == [units_from_str("3"), units_from_str("3")]
    asks = group_levels([lv("100.1", "1"), lv("100.5", "2")], 50_000_000, round_up=True)
    assert asks.prices == [units_from_str("100.5")]
    assert asks.cums == [units_from_str("3")]

    vm = _vm(rows=5)
    vm.set_book(_book())
    vm.set_grouping(5)
    vm.flush()
    by_price = {r.price_text: r for r in vm.frame.rows}
    assert by_price["100.0"].bid_text == "1.000"
    assert by_price["99.5"].bid_text == "5.000"
    assert by_price["100.5"].ask_text == "2.000"
    assert by_price["101.0"].ask_text == "4.000"
    assert by_price["101.0"].ask_cum_text == "6.000"


def test_stale_is_flagged_with_a_reason_and_rows_still_computed() -> None:
    vm = _vm()
    book = _book()
    vm.set_book(book)
    vm.flush()
    seen: list[tuple[bool, str]] = []
    vm.stale_changed.connect(lambda s, r: seen.append((s, r)))
    book.apply(BookUpdate("BTC-USD-PERP", 5, False, [lv("100.0", "9")], [], 0))
    vm.book_updated()
    vm.flush()
    assert vm.frame.stale and "seq gap" in vm.frame.stale_reason
    assert vm.frame.rows, "stale rows are still drawn (flagged), not blanked"
    assert seen == [(True, "seq gap: expected 2, got 5")]
    vm.set_stale("disconnected")
    vm.flush()
    assert vm.frame.stale_reason == "disconnected"


def test_a_new_book_is_stale_until_its_snapshot() -> None:
    vm = _vm()
    vm.set_book(OrderBook("BTC-USD-PERP"))
    vm.flush()
    assert vm.frame.stale and vm.frame.rows == ()
    assert vm.frame.stale_reason == "awaiting snapshot"


def test_scrolling_moves_the_grid_and_stops_auto_centre_until_recentred() -> None:
    vm = _vm()
    vm.set_book(_book())
    vm.flush()
    top = vm.frame.rows[0].price_units
    toggles: list[bool] = []
    vm.auto_centre_changed.connect(toggles.append)
    vm.scroll_rows(3)
    vm.flush()
    assert vm.frame.rows[0].price_units == top + 3 * units_from_str("0.1")
    assert vm.scroll_offset_rows == 3
    assert toggles == [False] and not vm.auto_centre
    vm.recentre()
    vm.flush()
    assert vm.frame.rows[0].price_units == top and vm.scroll_offset_rows == 0


def test_auto_centre_follows_the_market_when_it_leaves_the_middle() -> None:
    vm = _vm()
    book = _book()
    vm.set_book(book)
    vm.flush()
    book.apply(BookUpdate("BTC-USD-PERP", 2, True, [lv("105.0", "1")], [lv("105.2", "1")], 0))
    vm.book_updated()
    vm.flush()
    texts = [r.price_text for r in vm.frame.rows]
    assert "105.0" in texts and "105.2" in texts


def test_last_trade_marks_its_row() -> None:
    vm = _vm()
    vm.set_book(_book())
    vm.on_trade(make_trade("100.2", side=Side.BUY))
    vm.flush()
    marked = [r.price_text for r in vm.frame.rows if r.is_last_trade]
    assert marked == ["100.2"]
    assert vm.frame.last_trade_text == "100.2" and vm.frame.last_trade_side is Side.BUY


def test_many_updates_in_a_window_make_one_changed(qtbot) -> None:
    timer = QTimer()
    vm = _vm(timer=timer)
    book = _book()
    vm.set_book(book)  # opens the window at once: first call runs immediately
    changes: list[int] = []
    vm.changed.connect(lambda: changes.append(1))
    for seq in range(2, 202):
        book.apply(BookUpdate("BTC-USD-PERP", seq, False, [lv("99.9", str(seq))], [], 0))
        vm.book_updated()
    assert changes == []
    timer.timeout.emit()  # the window ends
    assert changes == [1]
    # 201.000 fitted to a ladder cell's six characters
    assert {r.price_text: r for r in vm.frame.rows}["99.9"].bid_text == "201.00"


def test_throttle_window_is_driven_by_the_real_timer(qtbot) -> None:
    vm = _vm(interval_ms=5)
    vm.set_book(_book())
    with qtbot.waitSignal(vm.changed, timeout=1000):
        vm.book_updated()
        vm.book_updated()


def test_without_instrument_or_book_the_frame_says_why() -> None:
    vm = LadderViewModel()
    vm.flush()
    assert vm.frame.rows == () and vm.frame.message


def test_auto_centre_does_not_jump_for_a_small_move() -> None:
    vm = _vm()
    book = _book()
    vm.set_book(book)
    vm.flush()
    top = vm.frame.rows[0].price_units
    book.apply(BookUpdate("BTC-USD-PERP", 2, True, [lv("100.1", "1")], [lv("100.3", "1")], 0))
    vm.book_updated()
    vm.flush()
    assert vm.frame.rows[0].price_units == top, "inside the middle band the grid holds still"


def test_book_updated_does_no_work_until_the_frame_ends() -> None:
    class CountingBook:
        """The real book behind a counter of `top()` reads."""

        def __init__(self, book: OrderBook) -> None:
            self.book = book
            self.market = book.market
            self.reads = 0

        @property
        def stale(self) -> bool:
            return self.book.stale

        @property
        def stale_reason(self) -> str:
            return self.book.stale_reason

        def top(self, n: int):
            self.reads += 1
            return self.book.top(n)

    timer = QTimer()
    vm = _vm(timer=timer)
    book = CountingBook(_book())
    vm.set_book(book)  # the first call computes at once and opens the window
    book.reads = 0
    for _ in range(1000):
        vm.book_updated()
    assert book.reads == 0
    timer.timeout.emit()
    assert 1 <= book.reads <= 2, "one frame reads the book a fixed number of times"


def test_running_totals_are_exact_far_from_the_inside() -> None:
    bids = [(f"{100 - i * 0.1:.1f}", f"{i + 1}") for i in range(300)]
    asks = [(f"{100.1 + i * 0.1:.1f}", "1") for i in range(300)]
    vm = _vm(rows=11)
    vm.set_book(make_book(bids, asks))
    vm.flush()
    vm.scroll_rows(-150)
    vm.flush()
    for row in vm.frame.rows:
        price = row.price_units
        expected = sum(i + 1 for i in range(300) if units_from_str(bids[i][0]) >= price)
        assert row.bid_cum_text == format_units_fit(expected * SCALE, 3, SIZE_TEXT_CHARS)


def _text(units: int) -> str:
    return format_units(units, 1, thousands=False)


def _deep_book(spread_ticks: int, gap_ticks: int, levels: int = 25):
    """A BTC-like book around 67,600: tick 0.1, levels `gap_ticks` apart."""
    tick = units_from_str("0.1")
    bid = units_from_str("67600")
    ask = bid + spread_ticks * tick
    return make_book(
        bids=[(_text(bid - i * gap_ticks * tick), "1") for i in range(levels)],
        asks=[(_text(ask + i * gap_ticks * tick), "1") for i in range(levels)],
    )


def test_auto_grouping_fits_both_sides_and_the_spread_in_the_view() -> None:
    vm = LadderViewModel()
    assert vm.auto_grouping
    vm.set_instrument(make_instrument(tick="0.1", step="0.001"))
    vm.set_visible_rows(40)
    vm.set_book(_deep_book(spread_ticks=20, gap_ticks=10))
    vm.flush()
    rows = vm.frame.rows
    assert vm.grouping == 10  # one row per 1.0 level: 10 levels a side in 20 rows
    assert sum(1 for r in rows if r.bid_text) >= 10
    assert sum(1 for r in rows if r.ask_text) >= 10
    # centred on the spread: as many rows above the best ask as below the best bid
    best_bid = next(i for i, r in enumerate(rows) if r.is_best_bid)
    best_ask = next(i for i, r in enumerate(rows) if r.is_best_ask)
    assert abs(best_ask - (len(rows) - 1 - best_bid)) <= 1


def test_auto_grouping_follows_the_view_height_and_a_user_choice_stops_it() -> None:
    vm = LadderViewModel()
    vm.set_instrument(make_instrument(tick="0.1", step="0.001"))
    vm.set_visible_rows(12)
    vm.set_book(_deep_book(spread_ticks=20, gap_ticks=10))
    vm.flush()
    assert vm.grouping == 25  # a short view: coarser rows
    changes: list[bool] = []
    vm.auto_grouping_changed.connect(changes.append)
    vm.set_grouping(1)
    vm.flush()
    assert not vm.auto_grouping and changes == [False]
    vm.set_visible_rows(40)
    vm.flush()
    assert vm.grouping == 1  # the user's choice holds
    vm.set_auto_grouping(True)
    vm.flush()
    assert vm.grouping == 10 and changes == [False, True]


def test_auto_grouping_needs_a_two_sided_book() -> None:
    tick = units_from_str("0.1")
    assert auto_grouping([], [], tick, 40) is None
    bids = [(units_from_str("100.0"), 1)]
    asks = [(units_from_str("100.1"), 1)]
    assert auto_grouping(bids, asks, tick, 40) == 1


def test_another_market_s_instrument_drops_the_old_book_until_its_own_arrives() -> None:
    vm = _vm()
    vm.set_book(_book())
    vm.flush()
    assert vm.frame.rows and vm.frame.market == "BTC-USD-PERP"
    vm.set_instrument(make_instrument("ETH-USD-PERP", tick="0.01"))
    vm.flush()
    # Never BTC's levels under ETH's name and tick while ETH's book is on its way.
    assert vm.frame.rows == ()
    assert vm.frame.message == "Waiting for order book…"
    assert vm.row_price(0) is None
    vm.set_book(make_book(bids=[("3000.00", "1")], asks=[("3000.05", "1")], market="ETH-USD-PERP"))
    vm.flush()
    assert vm.frame.market == "ETH-USD-PERP" and vm.frame.rows


def test_the_same_market_s_instrument_keeps_its_book() -> None:
    vm = _vm()
    vm.set_book(_book())
    vm.set_instrument(make_instrument("BTC-USD-PERP", tick="0.1"))
    vm.flush()
    assert vm.frame.rows
