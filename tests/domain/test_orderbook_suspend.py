"""A book whose feed went silent shows stale but keeps its levels; data flowing again
decides whether it is live (in sequence) or needs a resync (past a gap)."""

from __future__ import annotations

from terminal.domain.marketdata import BookUpdate
from terminal.domain.orderbook import OrderBook

M = "BTC-USD-PERP"


def _live_book() -> OrderBook:
    book = OrderBook(M)
    book.apply(BookUpdate(M, 10, True, [(100, 5)], [(101, 7)], 0))
    assert not book.stale
    return book


def _delta(seq: int, bids: list[tuple[int, int]]) -> BookUpdate:
    return BookUpdate(M, seq, False, bids, [], 0)


def test_suspend_keeps_levels_and_the_next_delta_in_sequence_makes_it_live() -> None:
    book = _live_book()
    stale_reasons: list[str] = []
    book.on_stale = stale_reasons.append
    book.suspend("feed silent")
    assert book.stale and book.stale_reason == "feed silent"
    assert stale_reasons == ["feed silent"]
    assert book.top(1) == ([(100, 5)], [(101, 7)])
    assert book.apply(_delta(10, [(100, 9)])) is False  # a late duplicate: still stale
    assert book.stale
    assert book.apply(_delta(11, [(100, 6)])) is True
    assert not book.stale and book.stale_reason == ""
    assert book.best_bid() == (100, 6)


def test_after_suspend_a_delta_past_a_gap_asks_for_a_resync() -> None:
    book = _live_book()
    book.suspend("feed silent")
    assert book.apply(_delta(13, [(99, 1)])) is False
    assert book.stale and book.needs_resync
    assert book.stale_reason.startswith("seq gap")
    book.apply(BookUpdate(M, 12, True, [(100, 4)], [(101, 7)], 0))
    assert not book.stale
    assert book.top(2)[0] == [(100, 4), (99, 1)]  # the buffered delta 13 replayed


def test_suspend_does_not_hide_a_book_that_is_already_stale() -> None:
    book = OrderBook(M)
    book.suspend("feed silent")
    assert book.stale_reason == "awaiting snapshot"
    assert book.apply(_delta(1, [(100, 1)])) is False  # buffered, not treated as live
