"""Matching: a live order against the book in price-time priority, with self-trade
prevention, market-order slippage bands, post-only and reduce-only rules."""

from __future__ import annotations

from typing import TYPE_CHECKING

from terminal.domain.orders import OrderStatus, StpMode, TimeInForce
from terminal.sim.engine import settlement, wire
from terminal.sim.engine.accounts import Account
from terminal.sim.engine.events import PublicEvent
from terminal.sim.engine.orders import REDUCE_ONLY_REJECT, SimOrder
from terminal.sim.engine.units import mul

if TYPE_CHECKING:
    from terminal.sim.engine.exchange import Exchange


def execute(ex: Exchange, acct: Account, order: SimOrder) -> None:
    """Match a live (untriggered no longer) order, then rest or close the remainder."""
    spec = ex.markets[order.market]
    book = ex.books[order.market]
    opposite = book.side(not order.is_buy)
    best = opposite.best()
    is_limit = not order.type.is_market
    post_only = order.instruction in (TimeInForce.POST_ONLY, TimeInForce.RPI)
    if (
        post_only
        and best is not None
        and is_limit
        and (order.price >= best if order.is_buy else order.price <= best)
    ):
        ex.close(order, "POST_ONLY_WOULD_CROSS")
        return
    if order.reduce_only and not reduce_allowance(acct, order):
        ex.close(order, REDUCE_ONLY_REJECT)
        return
    if is_limit:
        limit = order.price
    else:
        slip = mul(ex.marks[order.market], spec.max_slippage)
        mark = ex.marks[order.market]
        limit = mark + slip if order.is_buy else max(mark - slip, spec.tick)
    empty = best is None
    reason = "" if post_only else _match(ex, acct, order, limit)
    if not order.is_open:
        return
    if order.remaining == 0:
        ex.close(order, "")
    elif reason:
        ex.close(order, reason)
    elif not is_limit or order.instruction is TimeInForce.IOC:
        ex.close(order, "EMPTY_MARKET" if empty and not order.filled else "REMAINING_IOC_CANCEL")
    elif order.reduce_only and not reduce_allowance(acct, order):
        ex.close(order, REDUCE_ONLY_REJECT)
    else:
        order.status = OrderStatus.OPEN
        order.updated_at = ex.now_ms
        book.add(order)
        ex.order_update(order)
        if order.reduce_only:
            settlement.enforce_reduce_only(ex, acct, order.market)


def reduce_allowance(acct: Account, order: SimOrder) -> int:
    """How much of the account's position `order` can close: 0 when it would only add."""
    pos = acct.size(order.market)
    return abs(pos) if pos and (pos > 0) != order.is_buy else 0


def _match(ex: Exchange, acct: Account, taker: SimOrder, limit: int) -> str:
    """Trade `taker` against the book up to `limit`; returns a cancel reason or ""."""
    book = ex.books[taker.market]
    opposite = book.side(not taker.is_buy)
    while taker.remaining > 0:
        best = opposite.best()
        if best is None or (best > limit if taker.is_buy else best < limit):
            return ""
        maker = opposite.queues[best][0]
        if maker.account == taker.account:
            if taker.stp in (StpMode.EXPIRE_MAKER, StpMode.EXPIRE_BOTH):
                ex.close(maker, "SELF_TRADE")
            if taker.stp in (StpMode.EXPIRE_TAKER, StpMode.EXPIRE_BOTH):
                return "SELF_TRADE"
            continue
        qty = min(taker.remaining, maker.remaining)
        if taker.reduce_only:
            qty = min(qty, reduce_allowance(acct, taker))
            if not qty:
                return REDUCE_ONLY_REJECT
        _trade(ex, taker, maker, best, qty)
    return ""


def _trade(ex: Exchange, taker: SimOrder, maker: SimOrder, price: int, qty: int) -> None:
    market = taker.market
    book = ex.books[market]
    side = book.side(maker.is_buy)
    taker.record_fill(price, qty)
    maker.record_fill(price, qty)
    side.reduce(price, qty)
    book.mark_dirty(maker.is_buy, price)
    if maker.remaining == 0:
        side.pop_front(price)
        ex.finish(maker, "")
    else:
        maker.updated_at = ex.now_ms
        ex.order_update(maker)
    trade_id = ex.ids.next(ex.now_ms)
    settlement.settle(ex, maker, price, qty, "MAKER", trade_id, "FILL")
    settlement.settle(ex, taker, price, qty, "TAKER", trade_id, "FILL")
    ex.last_prices[market] = price
    ex.trade_count[market] += 1
    trade = wire.trade_json(trade_id, market, taker.is_buy, price, qty, ex.now_ms)
    ex.trades[market].append(trade)
    ex.emit(PublicEvent("trades", market, trade))
    if ex.trade_hook is not None:
        ex.trade_hook(market, price, qty, ex.now_ms)
