"""A price-time priority order book for one market, with level-change tracking for deltas."""

from __future__ import annotations

from bisect import bisect_left, insort
from collections import deque
from collections.abc import Iterator

from terminal.sim.engine.orders import SimOrder


class BookSide:
    """One side: FIFO queues per price, aggregated level sizes, sorted prices."""

    __slots__ = ("is_bid", "prices", "queues", "sizes")

    def __init__(self, is_bid: bool) -> None:
        self.is_bid = is_bid
        self.queues: dict[int, deque[SimOrder]] = {}
        self.sizes: dict[int, int] = {}
        self.prices: list[int] = []  # ascending

    def best(self) -> int | None:
        """Best price, or None when empty."""
        if not self.prices:
            return None
        return self.prices[-1] if self.is_bid else self.prices[0]

    def add(self, order: SimOrder) -> None:
        """Append an order at the back of its price's queue."""
        queue = self.queues.get(order.price)
        if queue is None:
            queue = self.queues[order.price] = deque()
            self.sizes[order.price] = 0
            insort(self.prices, order.price)
        queue.append(order)
        self.sizes[order.price] += order.remaining

    def remove(self, order: SimOrder, size: int) -> None:
        """Take `size` (its remaining size before removal) of `order` off its level."""
        price = order.price
        self.queues[price].remove(order)
        self._shrink(price, size)

    def reduce(self, price: int, size: int) -> None:
        """A resting order at `price` traded `size` (it stays queued unless emptied)."""
        self._shrink(price, size)

    def pop_front(self, price: int) -> None:
        """Drop the (fully filled) order at the front of a level."""
        self.queues[price].popleft()
        if not self.queues[price]:
            self._drop(price)

    def _shrink(self, price: int, size: int) -> None:
        self.sizes[price] -= size
        if not self.queues[price]:
            self._drop(price)

    def _drop(self, price: int) -> None:
        del self.queues[price]
        del self.sizes[price]
        del self.prices[bisect_left(self.prices, price)]

    def levels(self, depth: int | None = None) -> list[tuple[int, int]]:
        """(price, size) from the best outwards."""
        prices = reversed(self.prices) if self.is_bid else iter(self.prices)
        out: list[tuple[int, int]] = []
        for price in prices:
            if depth is not None and len(out) >= depth:
                break
            out.append((price, self.sizes[price]))
        return out

    def orders(self) -> Iterator[SimOrder]:
        """Every resting order, best level first."""
        for price, _ in self.levels():
            yield from self.queues[price]


class Book:
    """Both sides of one market plus what the delta feed last published."""

    __slots__ = ("asks", "bids", "dirty", "published", "seq_no")

    def __init__(self) -> None:
        self.bids = BookSide(True)
        self.asks = BookSide(False)
        self.seq_no = 0
        self.dirty: set[tuple[bool, int]] = set()
        # last published size per (is_bid, price): what the deltas subscriber holds
        self.published: dict[tuple[bool, int], int] = {}

    def side(self, is_buy: bool) -> BookSide:
        """The side an order of this direction rests on."""
        return self.bids if is_buy else self.asks

    def add(self, order: SimOrder) -> None:
        """Rest an order."""
        self.side(order.is_buy).add(order)
        self.dirty.add((order.is_buy, order.price))

    def remove(self, order: SimOrder) -> None:
        """Take a resting order off the book (cancel)."""
        self.side(order.is_buy).remove(order, order.remaining)
        self.dirty.add((order.is_buy, order.price))

    def mark_dirty(self, is_bid: bool, price: int) -> None:
        """Note a level whose size changed outside add/remove (a fill)."""
        self.dirty.add((is_bid, price))

    def take_changes(self) -> list[tuple[bool, int, int, int]]:
        """Changed levels since the last call: (is_bid, price, old_size, new_size)."""
        if not self.dirty:
            return []
        out = []
        for key in sorted(self.dirty, key=lambda k: (not k[0], -k[1] if k[0] else k[1])):
            is_bid, price = key
            new = (self.bids if is_bid else self.asks).sizes.get(price, 0)
            old = self.published.get(key, 0)
            if new == old:
                continue
            if new:
                self.published[key] = new
            else:
                del self.published[key]
            out.append((is_bid, price, old, new))
        self.dirty.clear()
        return out

    def is_crossed(self) -> bool:
        """Whether best bid ≥ best ask (never true after matching)."""
        bid, ask = self.bids.best(), self.asks.best()
        return bid is not None and ask is not None and bid >= ask
