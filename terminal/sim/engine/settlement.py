"""Settlement: fills into positions and balances, reduce-only upkeep, liquidation, funding."""

from __future__ import annotations

from typing import TYPE_CHECKING

from terminal.domain.orders import OrderStatus
from terminal.sim.engine import wire
from terminal.sim.engine.accounts import LIQUIDATOR, Account
from terminal.sim.engine.orders import REDUCE_ONLY_REJECT, SimOrder
from terminal.sim.engine.units import mul

if TYPE_CHECKING:
    from terminal.sim.engine.exchange import Exchange


def settle(
    ex: Exchange,
    order: SimOrder,
    price: int,
    qty: int,
    liquidity: str,
    fill_id: str,
    fill_type: str,
) -> None:
    """Book one side of a fill into its account: position, PnL, fee, events."""
    acct = ex.accounts[order.account]
    spec = ex.markets[order.market]
    rate = spec.maker_fee if liquidity == "MAKER" else spec.taker_fee
    fee = mul(mul(price, qty), rate) if fill_type == "FILL" else 0
    apply_fill(
        ex, acct, order.market, order.is_buy, price, qty, fee, fill_id, fill_type, order, liquidity
    )


def apply_fill(
    ex: Exchange,
    acct: Account,
    market: str,
    is_buy: bool,
    price: int,
    qty: int,
    fee: int,
    fill_id: str,
    fill_type: str,
    order: SimOrder | None,
    liquidity: str,
) -> None:
    """Move a position and the balance by one fill; publish it to a user account."""
    pos = acct.position(market, ex.ids.next(ex.now_ms))
    before = acct.balance
    realized = pos.apply(qty if is_buy else -qty, price, ex.now_ms)
    pos.last_fill_id = fill_id
    pos.funding_index = ex.funding_index[market]
    pos.seq_no = ex.next_seq()
    acct.balance += realized - fee
    acct.updated_at = ex.now_ms
    if acct.internal:
        return
    if pos.size:
        ex.exposed[market].add(acct.id)
    else:
        ex.exposed[market].discard(acct.id)
    ex.touched.setdefault(acct.id, set()).add(market)
    if order is not None:
        fill = wire.fill_json(
            fill_id=fill_id,
            order=order,
            price=price,
            size=qty,
            liquidity=liquidity,
            fee=fee,
            fill_type=fill_type,
            realized_pnl=realized,
            underlying=ex.index_prices[market],
            book_seq=ex.books[market].seq_no,
            now_ms=ex.now_ms,
        )
        acct.fills.append(fill)
        ex.publish_private(acct, "fills", market, fill)
    ex.publish_private(
        acct,
        "balance_events",
        market,
        wire.balance_event_json(
            fill_id=fill_id,
            market=market,
            before=before,
            after=acct.balance,
            realized_pnl=realized,
            realized_funding=0,
            fee=fee,
            funding_index=ex.funding_index[market],
            now_ms=ex.now_ms,
        ),
    )
    enforce_reduce_only(ex, acct, market)


def enforce_reduce_only(ex: Exchange, acct: Account, market: str) -> None:
    """Shrink or cancel open reduce-only orders that exceed the position (§7.2); a flat
    position also cancels reduce-only TP/SL orders (so a TP that fires cancels its SL)."""
    pos = acct.size(market)
    budget = abs(pos)
    for order in list(acct.open_orders.values()):
        if order.market != market or not order.reduce_only:
            continue
        if order.type.is_conditional:
            if not pos and order.status is OrderStatus.UNTRIGGERED:
                ex.close(order, REDUCE_ONLY_REJECT)
            continue
        if order.status is not OrderStatus.OPEN or not order.is_open:
            continue
        if not pos or (pos > 0) == order.is_buy:
            ex.close(order, REDUCE_ONLY_REJECT)
        elif order.remaining > budget:
            if budget == 0:
                ex.close(order, REDUCE_ONLY_REJECT)
            else:
                _shrink(ex, order, order.remaining - budget)
                budget = 0
        else:
            budget -= order.remaining


def _shrink(ex: Exchange, order: SimOrder, by: int) -> None:
    book = ex.books[order.market]
    side = book.side(order.is_buy)
    side.reduce(order.price, by)
    book.mark_dirty(order.is_buy, order.price)
    order.remaining -= by
    order.size -= by
    order.updated_at = ex.now_ms
    ex.order_update(order)


def liquidate(ex: Exchange, acct: Account) -> None:
    """Cancel every order and hand every position to the liquidator at mark."""
    acct.status = "LIQUIDATION"
    if not acct.internal:
        liquidation_id = ex.ids.next(ex.now_ms)
        acct.liquidations.append(
            {"id": liquidation_id, "hash": wire.tx_hash(liquidation_id), "created_at": ex.now_ms}
        )
    ex.publish_account(acct, ())
    for order in list(acct.open_orders.values()):
        ex.close(order, "IN_LIQUIDATION")
    liquidator = ex.accounts[LIQUIDATOR]
    for market, pos in list(acct.positions.items()):
        if not pos.size:
            continue
        mark, size, is_buy = ex.marks[market], abs(pos.size), pos.size < 0
        # a closing order on the user's record, so fills and history explain the balance
        order = ex.system_order(acct.id, market, is_buy, 0, size, post_only=False)
        acct.orders[order.id] = order
        order.record_fill(mark, size)
        fill_id = ex.ids.next(ex.now_ms)
        apply_fill(ex, acct, market, is_buy, mark, size, 0, fill_id, "LIQUIDATION", order, "TAKER")
        ex.finish(order, "")
        apply_fill(
            ex, liquidator, market, not is_buy, mark, size, 0, fill_id, "LIQUIDATION", None, "MAKER"
        )
    acct.status = "ACTIVE"
    for market in ex.markets:
        ex.flush(market)
    ex.publish_account(acct, ())


def pay_funding(ex: Exchange, market: str, rate: int, fraction: int) -> int:
    """Settle `rate` × `fraction` (units) of a period's funding; returns the index step."""
    step = mul(mul(ex.marks[market], rate), fraction)
    ex.funding_index[market] += step
    if not step:
        return 0
    for acct in ex.accounts.values():
        pos = acct.positions.get(market)
        if pos is None or not pos.size:
            continue
        payment = -mul(pos.size, step)
        acct.balance += payment
        pos.realized_funding += payment
        pos.funding_index = ex.funding_index[market]
        acct.updated_at = ex.now_ms
        if acct.internal:
            continue
        record = wire.funding_payment_json(
            ex.ids.next(ex.now_ms),
            acct.id,
            market,
            payment,
            ex.funding_index[market],
            ex.now_ms,
        )
        acct.funding_payments.append(record)
        ex.publish_private(acct, "funding_payments", market, record)
        ex.touched.setdefault(acct.id, set()).add(market)
    ex.flush(market)
    return step
