"""The L2 order book: snapshots, deltas, gap detection and both resync paths."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from terminal.domain.marketdata import BookUpdate, Level
from terminal.domain.orderbook import AWAITING_SNAPSHOT, BAD_LEVEL, OrderBook

M = "BTC-USD-PERP"


def snap(seq: int, bids: list[Level], asks: list[Level]) -> BookUpdate:
    return BookUpdate(M, seq, True, bids, asks, seq * 10)


def delta(seq: int, bids: list[Level] | None = None, asks: list[Level] | None = None) -> BookUpdate:
    return BookUpdate(M, seq, False, bids or [], asks or [], seq * 10)


def live_book(**kwargs: object) -> OrderBook:
    book = OrderBook(M, **kwargs)  # type: ignore[arg-type]
    assert book.apply(snap(100, [(99, 1), (98, 2), (97, 3)], [(101, 4), (102, 5), (103, 6)]))
    return book


def test_new_book_is_stale_until_its_first_snapshot() -> None:
    book = OrderBook(M)
    assert book.stale and book.stale_reason == AWAITING_SNAPSHOT
    assert not book.apply(delta(1, [(1, 1)]))
    assert book.best_bid() is None
    assert book.apply(snap(5, [(10, 1)], [(11, 1)]))
    assert not book.stale and book.seq_no == 5


def test_snapshot_replaces_and_top_is_sorted() -> None:
    book = live_book()
    assert book.top(2) == ([(99, 1), (98, 2)], [(101, 4), (102, 5)])
    assert book.top(10) == ([(99, 1), (98, 2), (97, 3)], [(101, 4), (102, 5), (103, 6)])
    assert book.apply(snap(200, [(50, 1)], [(60, 1)]))
    assert book.top(5) == ([(50, 1)], [(60, 1)])
    assert book.timestamp_ms == 2000


def test_delta_upserts_and_size_zero_deletes() -> None:
    book = live_book()
    assert book.apply(delta(101, bids=[(99, 7), (100, 1), (97, 0)], asks=[(101, 0)]))
    assert book.top(5) == ([(100, 1), (99, 7), (98, 2)], [(102, 5), (103, 6)])
    assert book.best_bid() == (100, 1)
    assert book.best_ask() == (102, 5)
    assert book.mid_units() == 101
    # Deleting a level that is not there changes nothing.
    assert book.apply(delta(102, asks=[(555, 0)]))
    assert book.top(1) == ([(100, 1)], [(102, 5)])


def test_empty_sides_have_no_best_or_mid() -> None:
    book = OrderBook(M)
    book.apply(snap(1, [], [(5, 1)]))
    assert book.best_bid() is None
    assert book.mid_units() is None
    assert book.top(3) == ([], [(5, 1)])


def test_gap_marks_stale_at_once_and_asks_for_resync() -> None:
    reasons: list[str] = []
    book = live_book(on_stale=reasons.append)
    assert not book.apply(delta(102, bids=[(99, 9)]))
    assert book.stale and book.needs_resync
    assert "expected 101, got 102" in book.stale_reason
    assert reasons == [book.stale_reason]
    # The gapped delta was not applied, and further deltas are buffered, not applied.
    assert not book.apply(delta(103, bids=[(96, 1)]))
    assert book.best_bid() == (99, 1)
    assert book.buffered == 2
    assert len(reasons) == 1  # the callback fires on the transition only


def test_resync_from_rest_snapshot_replays_newer_buffered_deltas() -> None:
    book = live_book()
    book.apply(delta(102, bids=[(99, 9)]))  # gap (101 missing)
    book.apply(delta(103, bids=[(96, 1)]))
    book.apply(delta(104, asks=[(101, 0)]))
    # The REST snapshot already contains 102 and 103; only 104 must be replayed.
    rest = snap(103, [(99, 9), (96, 1)], [(101, 4), (102, 5)])
    assert book.apply(rest)
    assert not book.stale and not book.needs_resync and book.buffered == 0
    assert book.seq_no == 104
    assert book.top(5) == ([(99, 9), (96, 1)], [(102, 5)])
    assert book.apply(delta(105, bids=[(98, 1)]))


def test_resync_from_the_next_ws_snapshot() -> None:
    book = live_book()
    book.apply(delta(105, bids=[(99, 9)]))
    assert book.stale
    assert book.apply(snap(106, [(90, 1)], [(91, 1)]))
    assert not book.stale and book.buffered == 0
    assert book.top(5) == ([(90, 1)], [(91, 1)])
    assert book.apply(delta(107, asks=[(92, 2)]))


def test_a_gap_inside_the_buffer_keeps_the_book_stale() -> None:
    book = live_book()
    book.apply(delta(102))
    book.apply(delta(104))  # 103 is missing from the buffer as well
    assert not book.apply(snap(101, [(1, 1)], [(2, 1)]))
    assert book.stale and book.needs_resync
    assert book.seq_no == 102
    # A later snapshot covering the hole finishes the resync.
    assert book.apply(snap(104, [(1, 1)], [(2, 1)]))
    assert not book.stale


def test_duplicates_and_old_deltas_are_ignored_without_going_stale() -> None:
    book = live_book()
    assert book.apply(delta(101, bids=[(99, 5)]))
    assert not book.apply(delta(101, bids=[(99, 6)]))
    assert not book.apply(delta(90, bids=[(99, 6)]))
    assert not book.stale
    assert book.best_bid() == (99, 5)


def test_an_older_rest_snapshot_does_not_rewind_a_live_book() -> None:
    book = live_book()
    book.apply(delta(101, bids=[(99, 5)]))
    assert not book.apply(snap(100, [(1, 1)], [(2, 2)]))
    assert book.best_bid() == (99, 5) and book.seq_no == 101


def test_clear_marks_stale_without_asking_for_rest_resync() -> None:
    reasons: list[str] = []
    book = live_book(on_stale=reasons.append)
    book.clear("disconnected")
    assert book.stale and book.stale_reason == "disconnected" and not book.needs_resync
    assert reasons == ["disconnected"]
    assert book.top(5) == ([], []) and book.seq_no is None
    assert book.apply(snap(7, [(1, 1)], [(2, 1)]))
    assert not book.stale


def test_snapshot_feed_does_not_check_sequence() -> None:
    book = OrderBook(M, expect_deltas=False)
    assert book.apply(snap(10, [(1, 1)], [(3, 1)]))
    assert book.apply(snap(25, [(2, 1)], [(3, 1)]))
    assert book.apply(delta(40, bids=[(2, 0)]))
    assert not book.stale
    assert book.top(3) == ([], [(3, 1)])


def test_buffer_is_bounded() -> None:
    book = live_book(max_buffered=3)
    for seq in range(102, 110):
        book.apply(delta(seq))
    assert book.buffered == 3


def test_top_cache_follows_changes() -> None:
    book = live_book()
    first = book.top(1)
    assert book.top(1) is first
    book.apply(delta(101, bids=[(100, 1)]))
    assert book.top(1) == ([(100, 1)], [(101, 4)])


levels = st.lists(st.tuples(st.integers(1, 40), st.integers(0, 5)), max_size=6)


@given(st.lists(st.tuples(levels, levels), max_size=40))
def test_deltas_match_a_reference_dict_model(steps: list[tuple[list[Level], list[Level]]]) -> None:
    book = OrderBook(M)
    book.apply(snap(0, [], []))
    model: tuple[dict[int, int], dict[int, int]] = ({}, {})
    for seq, (bids, asks) in enumerate(steps, start=1):
        assert book.apply(delta(seq, bids, asks))
        for side, changes in zip(model, (bids, asks), strict=True):
            for price, size in changes:
                if size:
                    side[price] = size
                else:
                    side.pop(price, None)
        want_bids = sorted(model[0].items(), reverse=True)[:5]
        want_asks = sorted(model[1].items())[:5]
        assert book.top(5) == (want_bids, want_asks)


@given(st.lists(st.tuples(levels, levels, st.integers(0, 3)), max_size=40))
def test_reads_between_some_deltas_only_see_the_current_book(
    steps: list[tuple[list[Level], list[Level], int]],
) -> None:
    # The sorted price lists are rebuilt lazily; reads that skip some deltas (and size-only
    # updates that keep a list) must still see exactly the reference model.
    book = OrderBook(M)
    book.apply(snap(0, [(5, 1), (3, 2)], [(7, 1), (9, 3)]))
    model: tuple[dict[int, int], dict[int, int]] = ({5: 1, 3: 2}, {7: 1, 9: 3})
    for seq, (bids, asks, read) in enumerate(steps, start=1):
        assert book.apply(delta(seq, bids, asks))
        for side, changes in zip(model, (bids, asks), strict=True):
            for price, size in changes:
                if size:
                    side[price] = size
                else:
                    side.pop(price, None)
        best_bid = max(model[0].items(), default=None)
        best_ask = min(model[1].items(), default=None)
        if read == 1:
            assert book.best_bid() == best_bid and book.best_ask() == best_ask
        elif read == 2:
            mid = None if not (best_bid and best_ask) else (best_bid[0] + best_ask[0]) // 2
            assert book.mid_units() == mid
        elif read == 3:
            assert book.top(2) == (
                sorted(model[0].items(), reverse=True)[:2],
                sorted(model[1].items())[:2],
            )
    assert book.top(50) == (sorted(model[0].items(), reverse=True), sorted(model[1].items()))


def test_a_delta_with_a_level_no_venue_sends_makes_the_book_stale_for_a_resync() -> None:
    for bad in ([(100, -1)], [(0, 5)], [(-3, 0)]):
        reasons: list[str] = []
        book = live_book(on_stale=reasons.append)
        # The first level is good and goes in before the bad one is seen.
        assert not book.apply(delta(101, bids=[(96, 2), *bad]))
        assert book.stale and book.needs_resync
        assert reasons == [BAD_LEVEL]
        assert book.top(5)[0] == [(99, 1), (98, 2), (97, 3), (96, 2)]  # sorted, no KeyError
        assert all(size > 0 for _, size in book.top(10)[0])
        assert book.apply(snap(110, [(95, 1)], [(105, 1)]))
        assert not book.stale and book.top(1) == ([(95, 1)], [(105, 1)])


def test_a_snapshot_with_a_negative_size_is_refused() -> None:
    book = live_book()
    assert not book.apply(snap(200, [(99, 1)], [(101, -4)]))
    assert book.stale and book.needs_resync and book.stale_reason == BAD_LEVEL
    assert book.seq_no == 100  # the refused snapshot was not taken
