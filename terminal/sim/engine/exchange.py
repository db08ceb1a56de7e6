"""The trading core: books, accounts, order entry, closing, publishing, marks and triggers.

Matching lives in `matching`, fills/liquidation/funding in `settlement`.

One `Exchange` holds every book and account. Each public operation runs to completion and
then publishes what it changed: one `order_book` delta per market whose levels moved, a
`bbo` when the top changed, and per touched user account its positions and summary.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Callable, Iterable
from typing import Any

from terminal.domain.orders import OrderStatus, OrderType, StpMode, TimeInForce
from terminal.sim.engine import matching, settlement, wire
from terminal.sim.engine.accounts import LIQUIDATOR, Account
from terminal.sim.engine.book import Book
from terminal.sim.engine.errors import VenueError
from terminal.sim.engine.events import Listener, PrivateEvent, PublicEvent, VenueEvent
from terminal.sim.engine.ids import IdFactory
from terminal.sim.engine.markets import MarketSpec
from terminal.sim.engine.orders import REDUCE_ONLY_REJECT, SimOrder, parse_order
from terminal.sim.engine.risk import leverage, liquidation_price, margin_state, order_margin
from terminal.sim.engine.units import SCALE, mul

TradeHook = Callable[[str, int, int, int], None]  # (market, price, size, now_ms)


class Exchange:
    """Books, accounts and the rules that move between them; no I/O, injected time."""

    def __init__(self, markets: Iterable[MarketSpec], now_ms: int) -> None:
        self.markets: dict[str, MarketSpec] = {m.symbol: m for m in markets}
        self.books = {s: Book() for s in self.markets}
        self.marks = {s: m.start_price for s, m in self.markets.items()}
        self.index_prices = dict(self.marks)
        self.last_prices = dict(self.marks)
        self.funding_index = dict.fromkeys(self.markets, 0)
        self.trade_count = dict.fromkeys(self.markets, 0)
        self.accounts: dict[int, Account] = {}
        self.now_ms = now_ms
        self.ids = IdFactory()
        self.paused = False
        self.trade_hook: TradeHook | None = None
        self.trades: dict[str, deque[dict[str, Any]]] = {
            s: deque(maxlen=5000) for s in self.markets
        }
        self._listeners: list[Listener] = []
        self._untriggered: dict[str, list[SimOrder]] = {s: [] for s in self.markets}
        self._pending: deque[SimOrder] = deque()
        self.exposed: dict[str, set[int]] = {s: set() for s in self.markets}
        self._bbo: dict[str, tuple[int | None, int, int | None, int]] = {}
        self.touched: dict[int, set[str]] = {}
        self._seq = 0
        self.add_account(LIQUIDATOR, 0, internal=True)

    # -- plumbing ---------------------------------------------------------------------------

    def add_listener(self, cb: Listener) -> None:
        """Receive every event from now on."""
        self._listeners.append(cb)

    def emit(self, event: VenueEvent) -> None:
        """Hand an event to every listener."""
        for cb in self._listeners:
            cb(event)

    def publish_private(
        self, account: Account, family: str, market: str | None, payload: dict[str, Any]
    ) -> None:
        """Hand a user account's update to the listeners (internal accounts publish nothing)."""
        if not account.internal:
            self.emit(PrivateEvent(account.id, family, market, payload))

    def next_seq(self) -> int:
        """A fresh, increasing sequence number for order/position/account updates."""
        self._seq += 1
        return self._seq

    def add_account(
        self,
        account_id: int,
        public_key: int,
        *,
        internal: bool = False,
        balance: int | None = None,
    ) -> Account:
        """Create an account (idempotent: an existing one is returned unchanged)."""
        acct = self.accounts.get(account_id)
        if acct is None:
            acct = Account(account_id, public_key, internal=internal)
            if balance is not None:
                acct.balance = balance
            elif internal:
                acct.balance = 10**12 * SCALE
            acct.updated_at = self.now_ms
            self.accounts[account_id] = acct
        return acct

    def account(self, account_id: int) -> Account:
        """An existing account, or NOT_ONBOARDED."""
        acct = self.accounts.get(account_id)
        if acct is None:
            raise VenueError("NOT_ONBOARDED", "User has never called /onboarding endpoint")
        return acct

    def spec(self, market: str, http_status: int = 400) -> MarketSpec:
        """A market's spec, or MARKET_NOT_FOUND."""
        spec = self.markets.get(market)
        if spec is None:
            raise VenueError("MARKET_NOT_FOUND", f"market {market!r} not found", http_status)
        return spec

    # -- order entry ------------------------------------------------------------------------

    def create_order(
        self, account_id: int, body: dict[str, Any], *, interactive: bool = False
    ) -> dict[str, Any]:
        """Accept (NEW snapshot returned) and process an order, or raise VenueError."""
        acct = self.account(account_id)
        market = body.get("market") if isinstance(body, dict) else None
        ref = self.marks.get(market, 0) if isinstance(market, str) else 0
        req = parse_order(body, self.markets, ref)
        if req.client_id and req.client_id in acct.open_by_client_id:
            raise VenueError("DUPLICATED_CLIENT_ID", f"client_id {req.client_id!r} is in use")
        spec = self.markets[req.market]
        if not acct.internal and acct.open_count(req.market) >= spec.max_open_orders:
            raise VenueError(
                "VALIDATION_ERROR", f"open order limit ({spec.max_open_orders}) reached"
            )
        order = SimOrder(
            id=self.ids.next(self.now_ms),
            account=account_id,
            market=req.market,
            is_buy=req.is_buy,
            type=req.type,
            instruction=req.instruction,
            size=req.size,
            price=req.price,
            trigger_price=req.trigger_price,
            flags=req.flags,
            stp=req.stp,
            client_id=req.client_id,
            timestamp=req.timestamp,
            now_ms=self.now_ms,
            interactive=interactive,
        )
        order.seq_no = self.next_seq()
        self._register(acct, order)
        snapshot = wire.order_json(order)
        if self.paused:
            self._pending.append(order)
            self.publish_private(acct, "orders", order.market, snapshot)
        else:
            self._process(acct, order)
            self.flush(order.market)
        return snapshot

    def _register(self, acct: Account, order: SimOrder) -> None:
        acct.open_orders[order.id] = order
        if order.client_id:
            acct.open_by_client_id[order.client_id] = order
        if not acct.internal:
            acct.orders[order.id] = order

    def process_pending(self) -> None:
        """Run orders queued while matching was paused."""
        touched = set()
        while self._pending and not self.paused:
            order = self._pending.popleft()
            if order.is_open:
                self._process(self.accounts[order.account], order)
                touched.add(order.market)
        for market in touched:
            self.flush(market)

    def _process(self, acct: Account, order: SimOrder) -> None:
        reason = "" if acct.internal else self._risk_reject(acct, order)
        if reason:
            self.close(order, reason)
        elif order.type.is_conditional:
            order.status = OrderStatus.UNTRIGGERED
            self._untriggered[order.market].append(order)
            self.order_update(order)
            self.check_triggers(order.market)
        else:
            matching.execute(self, acct, order)

    def _risk_reject(self, acct: Account, order: SimOrder) -> str:
        """The cancel_reason a risk check closes the order with, or ""."""
        spec = self.markets[order.market]
        mark = self.marks[order.market]
        if acct.status == "LIQUIDATION":
            return "IN_LIQUIDATION"
        if order.price and not order.type.is_conditional:
            band = mul(mark, spec.price_bands_width)
            if abs(order.price - mark) > band:
                return "PRICE_OUTSIDE_BANDS"
        opposite = matching.reduce_allowance(acct, order)
        if order.reduce_only:
            return REDUCE_ONLY_REJECT if not opposite and not order.type.is_conditional else ""
        pos = acct.size(order.market)
        signed = order.size if order.is_buy else -order.size
        if abs(pos + signed) > spec.position_limit and abs(pos + signed) > abs(pos):
            return "ORDER_EXCEEDS_POSITION_LIMIT"
        increasing = max(0, order.size - opposite)
        extra = order_margin(order.market, increasing, order.price, False, self.markets, self.marks)
        # the new order is registered already; count only its increasing part
        own = order_margin(
            order.market, order.remaining, order.price, False, self.markets, self.marks
        )
        state = margin_state(acct, self.markets, self.marks, extra - own)
        return "NOT_ENOUGH_MARGIN" if state.free_collateral < 0 else ""

    # -- closing ----------------------------------------------------------------------------

    def close(self, order: SimOrder, reason: str) -> None:
        """Close an open order wherever it lives (book, trigger list, pending queue)."""
        if not order.is_open:
            return
        if order.status is OrderStatus.OPEN:
            self.books[order.market].remove(order)
        elif order.status is OrderStatus.UNTRIGGERED:
            self._untriggered[order.market].remove(order)
        elif order in self._pending:
            self._pending.remove(order)
        self.finish(order, reason)

    def finish(self, order: SimOrder, reason: str) -> None:
        """Mark an order CLOSED with `reason` once it is off the book; publish it."""
        order.status = OrderStatus.CLOSED
        order.cancel_reason = reason
        order.updated_at = self.now_ms
        acct = self.accounts[order.account]
        acct.open_orders.pop(order.id, None)
        if order.client_id and acct.open_by_client_id.get(order.client_id) is order:
            del acct.open_by_client_id[order.client_id]
        self.order_update(order)

    def order_update(self, order: SimOrder) -> None:
        """Publish a user order's current state with a fresh seq_no."""
        acct = self.accounts[order.account]
        if acct.internal:
            return
        order.seq_no = self.next_seq()
        self.publish_private(acct, "orders", order.market, wire.order_json(order))

    # -- publishing -------------------------------------------------------------------------

    def flush(self, market: str) -> None:
        """Publish the book delta, bbo and touched accounts that one operation produced."""
        book = self.books[market]
        changes = book.take_changes()
        if changes:
            book.seq_no += 1
            self.emit(
                PublicEvent(
                    "order_book", market, wire.book_delta_json(market, book, self.now_ms, changes)
                )
            )
            bid, ask = book.bids.best(), book.asks.best()
            top = (bid, book.bids.sizes[bid] if bid else 0, ask, book.asks.sizes[ask] if ask else 0)
            if self._bbo.get(market) != top:
                self._bbo[market] = top
                self.emit(PublicEvent("bbo", market, wire.bbo_json(market, book, self.now_ms)))
        if self.touched:
            touched, self.touched = self.touched, {}
            for account_id, markets in touched.items():
                self.publish_account(self.accounts[account_id], markets)

    def publish_account(self, acct: Account, markets: Iterable[str]) -> None:
        """Push positions (for `markets`) and the account summary of a user account."""
        for market in markets:
            pos = acct.positions.get(market)
            if pos is not None:
                self.publish_private(acct, "positions", market, self.position_json(acct, market))
        acct.seq_no = self.next_seq()
        self.publish_private(acct, "account", None, self.account_json(acct))

    def publish_marked_to_market(self) -> None:
        """Re-publish positions and summaries of users with open positions (PnL at mark)."""
        exposed: dict[int, list[str]] = {}
        for market, account_ids in self.exposed.items():
            for account_id in account_ids:
                exposed.setdefault(account_id, []).append(market)
        for account_id, markets in sorted(exposed.items()):
            self.publish_account(self.accounts[account_id], markets)

    def position_json(self, acct: Account, market: str) -> dict[str, Any]:
        """`PositionResp` of one of the account's positions."""
        pos = acct.positions[market]
        return wire.position_json(
            acct,
            pos,
            self.marks[market],
            leverage(acct, market, self.markets, self.marks),
            liquidation_price(acct, market, self.markets, self.marks),
        )

    def account_json(self, acct: Account) -> dict[str, Any]:
        """The account summary."""
        return wire.account_json(acct, margin_state(acct, self.markets, self.marks), self.now_ms)

    # -- marks, triggers, liquidation ------------------------------------------------------

    def set_mark(self, market: str, mark: int, index: int) -> None:
        """Move a market's mark and index; fire stops and liquidations it causes."""
        self.marks[market] = mark
        self.index_prices[market] = index
        if self._untriggered[market]:
            self.check_triggers(market)
        if self.exposed[market]:
            self.check_liquidations(market)

    def check_triggers(self, market: str) -> None:
        """Trigger conditional orders whose trigger the mark has crossed."""
        mark = self.marks[market]
        fired = [
            o
            for o in self._untriggered[market]
            if (mark >= o.trigger_price if o.trigger_above else mark <= o.trigger_price)
        ]
        for order in fired:
            self._untriggered[market].remove(order)
            order.status = OrderStatus.NEW
            order.updated_at = self.now_ms
            matching.execute(self, self.accounts[order.account], order)
        if fired:
            self.flush(market)

    def check_liquidations(self, market: str) -> None:
        """Liquidate exposed accounts whose value fell below maintenance margin."""
        for account_id in list(self.exposed[market]):
            acct = self.accounts[account_id]
            state = margin_state(acct, self.markets, self.marks)
            if state.account_value < state.maintenance_margin:
                settlement.liquidate(self, acct)

    # -- lookups ----------------------------------------------------------------------------

    def find_order(self, acct: Account, order_id: str) -> SimOrder:
        """A user's order by id (ORDER_ID_NOT_FOUND)."""
        order = acct.orders.get(order_id) or acct.open_orders.get(order_id)
        if order is None:
            raise VenueError("ORDER_ID_NOT_FOUND", f"order {order_id} not found", 404)
        return order

    # -- internal participants ----------------------------------------------------------------

    def place_internal(
        self, account_id: int, market: str, is_buy: bool, price: int, size: int, *, post_only: bool
    ) -> SimOrder:
        """A synthetic participant's order, bypassing request parsing and risk checks."""
        order = self.system_order(account_id, market, is_buy, price, size, post_only=post_only)
        acct = self.accounts[account_id]
        acct.open_orders[order.id] = order
        matching.execute(self, acct, order)
        return order

    def system_order(
        self, account_id: int, market: str, is_buy: bool, price: int, size: int, *, post_only: bool
    ) -> SimOrder:
        """A venue-made order (synthetic quotes, takers, liquidations): IOC, or post-only."""
        return SimOrder(
            id=self.ids.next(self.now_ms),
            account=account_id,
            market=market,
            is_buy=is_buy,
            type=OrderType.LIMIT if price else OrderType.MARKET,
            instruction=TimeInForce.POST_ONLY if post_only else TimeInForce.IOC,
            size=size,
            price=price,
            trigger_price=0,
            flags=(),
            stp=StpMode.EXPIRE_TAKER,
            client_id="",
            timestamp=self.now_ms,
            now_ms=self.now_ms,
        )

    def reprice(self, order: SimOrder, price: int, size: int, trigger: int) -> None:
        """Apply a modify: a resting order loses priority and may now cross and trade."""
        acct = self.accounts[order.account]
        if order.status is OrderStatus.UNTRIGGERED:
            order.price, order.trigger_price = price, trigger
            order.remaining += size - order.size
            order.size = size
            order.updated_at = self.now_ms
            self.order_update(order)
            self.check_triggers(order.market)
            return
        self.books[order.market].remove(order)
        order.price = price
        order.remaining += size - order.size
        order.size = size
        order.status = OrderStatus.NEW
        order.updated_at = self.now_ms
        matching.execute(self, acct, order)
