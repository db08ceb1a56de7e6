"""The Paradex JSON shapes (§7.3, §8.2, §8.3, §11.4) of the engine's objects."""

from __future__ import annotations

import hashlib
from typing import Any

from terminal.sim.engine.accounts import Account, Position
from terminal.sim.engine.book import Book, BookSide
from terminal.sim.engine.orders import SimOrder
from terminal.sim.engine.risk import MarginState
from terminal.sim.engine.units import fmt


def order_json(order: SimOrder) -> dict[str, Any]:
    """`OrderResp` (§7.3)."""
    out: dict[str, Any] = {
        "id": order.id,
        "client_id": order.client_id,
        "account": hex(order.account),
        "market": order.market,
        "side": "BUY" if order.is_buy else "SELL",
        "type": order.type.value,
        "instruction": order.instruction.value,
        "size": fmt(order.size),
        "price": fmt(order.price),
        "remaining_size": fmt(order.remaining),
        "avg_fill_price": fmt(order.avg_fill_price()),
        "status": order.status.value,
        "cancel_reason": order.cancel_reason,
        "flags": list(order.flags),
        "stp": order.stp.value,
        "trigger_price": fmt(order.trigger_price),
        "timestamp": order.timestamp,
        "created_at": order.created_at,
        "last_updated_at": order.updated_at,
        "received_at": order.received_at,
        "published_at": order.updated_at,
        "seq_no": order.seq_no,
    }
    if order.request_info is not None:
        out["request_info"] = order.request_info
    return out


def fill_json(
    *,
    fill_id: str,
    order: SimOrder,
    price: int,
    size: int,
    liquidity: str,
    fee: int,
    fill_type: str,
    realized_pnl: int,
    underlying: int,
    book_seq: int,
    now_ms: int,
) -> dict[str, Any]:
    """`FillResult` (§8.3); `side` is the order's own side."""
    return {
        "id": fill_id,
        "order_id": order.id,
        "client_id": order.client_id,
        "account": hex(order.account),
        "market": order.market,
        "side": "BUY" if order.is_buy else "SELL",
        "size": fmt(size),
        "price": fmt(price),
        "remaining_size": fmt(order.remaining),
        "liquidity": liquidity,
        "fee": fmt(fee),
        "fee_currency": "USDC",
        "fill_type": fill_type,
        "flags": ["interactive"] if order.interactive else [],
        "realized_pnl": fmt(realized_pnl),
        "realized_funding": "0",
        "underlying_price": fmt(underlying),
        "orderbook_seq_no": book_seq,
        "created_at": now_ms,
    }


def position_json(
    account: Account, pos: Position, mark: int, leverage: int, liquidation_price: int
) -> dict[str, Any]:
    """`PositionResp` (§8.3)."""
    entry = pos.average_entry()
    exit_price = pos.exit_notional * 10**8 // pos.exit_size if pos.exit_size else 0
    return {
        "id": pos.id,
        "account": hex(account.id),
        "market": pos.market,
        "side": "SHORT" if pos.size < 0 else "LONG",
        "size": fmt(pos.size),
        "status": "OPEN" if pos.size else "CLOSED",
        "average_entry_price": fmt(entry),
        "average_entry_price_usd": fmt(entry),
        "average_exit_price": fmt(exit_price),
        "cost": fmt(pos.cost),
        "cost_usd": fmt(pos.cost),
        "unrealized_pnl": fmt(pos.unrealized(mark)),
        "unrealized_funding_pnl": "0",
        "realized_positional_pnl": fmt(pos.realized_pnl),
        "realized_positional_funding_pnl": fmt(pos.realized_funding),
        "cached_funding_index": fmt(pos.funding_index),
        "leverage": fmt(leverage) if pos.size else "0",
        "liquidation_price": fmt(liquidation_price) if pos.size else "0",
        "last_fill_id": pos.last_fill_id,
        "created_at": pos.created_at,
        "last_updated_at": pos.updated_at,
        "closed_at": pos.closed_at if not pos.size else 0,
        "seq_no": pos.seq_no,
    }


def account_json(account: Account, state: MarginState, now_ms: int) -> dict[str, Any]:
    """`GET /account` and the `account` channel."""
    return {
        "account": hex(account.id),
        "account_value": fmt(state.account_value),
        "total_collateral": fmt(account.balance),
        "free_collateral": fmt(state.free_collateral),
        "initial_margin_requirement": fmt(state.initial_margin),
        "maintenance_margin_requirement": fmt(state.maintenance_margin),
        "margin_cushion": fmt(state.margin_cushion),
        "settlement_asset": "USDC",
        "status": account.status,
        "updated_at": now_ms,
        "seq_no": account.seq_no,
        "last_seen_notification": 0,
    }


def balance_json(account: Account) -> dict[str, Any]:
    """One `GET /balance` row."""
    return {
        "token": "USDC",
        "size": fmt(account.balance),
        "last_updated_at": account.updated_at,
        "cost": fmt(account.balance),
        "cost_usd": fmt(account.balance),
        "average_entry_price": "1",
        "average_entry_price_usd": "1",
    }


def balance_event_json(
    *,
    fill_id: str,
    market: str,
    before: int,
    after: int,
    realized_pnl: int,
    realized_funding: int,
    fee: int,
    funding_index: int,
    now_ms: int,
) -> dict[str, Any]:
    """A `balance_events` payload."""
    return {
        "type": "TRANSACTION_FILL",
        "fill_id": fill_id,
        "market": market,
        "status": "ON_BLOCKCHAIN",
        "settlement_asset_name": "USDC",
        "settlement_asset_address": "0x1",
        "settlement_asset_balance_before": fmt(before),
        "settlement_asset_balance_after": fmt(after),
        "settlement_asset_price": "1",
        "funding_index": fmt(funding_index),
        "realized_pnl": fmt(realized_pnl),
        "realized_funding": fmt(realized_funding),
        "fees": fmt(fee),
        "created_at": now_ms,
    }


def trade_json(
    trade_id: str,
    market: str,
    taker_buy: bool,
    price: int,
    size: int,
    now_ms: int,
    trade_type: str = "FILL",
) -> dict[str, Any]:
    """A public trade (REST `/trades` row and `trades` channel)."""
    return {
        "id": trade_id,
        "market": market,
        "side": "BUY" if taker_buy else "SELL",
        "size": fmt(size),
        "price": fmt(price),
        "created_at": now_ms,
        "trade_type": trade_type,
    }


def _best(side: BookSide) -> tuple[int, int] | None:
    price = side.best()
    return None if price is None else (price, side.sizes[price])


def bbo_json(market: str, book: Book, now_ms: int) -> dict[str, Any]:
    """`bbo` payload and `GET /bbo`; an empty side is null."""
    bid, ask = _best(book.bids), _best(book.asks)
    return {
        "market": market,
        "bid": fmt(bid[0]) if bid else None,
        "bid_size": fmt(bid[1]) if bid else None,
        "ask": fmt(ask[0]) if ask else None,
        "ask_size": fmt(ask[1]) if ask else None,
        "last_updated_at": now_ms,
        "seq_no": book.seq_no,
    }


def _level(is_bid: bool, price: int, size: int) -> dict[str, str]:
    return {"side": "BUY" if is_bid else "SELL", "price": fmt(price), "size": fmt(size)}


def _best_obj(side: BookSide) -> dict[str, str] | None:
    best = _best(side)
    return _level(side.is_bid, *best) if best else None


def book_update_json(
    market: str,
    book: Book,
    now_ms: int,
    update_type: str,
    inserts: list[dict[str, str]],
    updates: list[dict[str, str]],
    deletes: list[dict[str, str]],
) -> dict[str, Any]:
    """A `PriceBookUpdate` (§11.4) at the book's current seq_no."""
    best_bid, best_ask = _best_obj(book.bids), _best_obj(book.asks)
    return {
        "market": market,
        "seq_no": book.seq_no,
        "last_updated_at": now_ms,
        "update_type": update_type,
        "inserts": inserts,
        "updates": updates,
        "deletes": deletes,
        "best_bid_api": best_bid,
        "best_ask_api": best_ask,
        "best_bid_interactive": best_bid,
        "best_ask_interactive": best_ask,
    }


def book_delta_json(
    market: str, book: Book, now_ms: int, changes: list[tuple[bool, int, int, int]]
) -> dict[str, Any]:
    """A delta `PriceBookUpdate` from `Book.take_changes()` output."""
    inserts, updates, deletes = [], [], []
    for is_bid, price, old, new in changes:
        if not new:
            deletes.append(_level(is_bid, price, 0))
        elif old:
            updates.append(_level(is_bid, price, new))
        else:
            inserts.append(_level(is_bid, price, new))
    return book_update_json(market, book, now_ms, "d", inserts, updates, deletes)


def book_snapshot_json(
    market: str, book: Book, now_ms: int, depth: int | None = None
) -> dict[str, Any]:
    """A snapshot `PriceBookUpdate` ("s") of `depth` levels a side (all when None)."""
    inserts = [_level(True, p, s) for p, s in book.bids.levels(depth)]
    inserts += [_level(False, p, s) for p, s in book.asks.levels(depth)]
    return book_update_json(market, book, now_ms, "s", inserts, [], [])


def orderbook_rest_json(market: str, book: Book, now_ms: int, depth: int) -> dict[str, Any]:
    """`GET /orderbook/{market}`."""
    bid, ask = _best(book.bids), _best(book.asks)
    bid_pair = [fmt(bid[0]), fmt(bid[1])] if bid else None
    ask_pair = [fmt(ask[0]), fmt(ask[1])] if ask else None
    return {
        "market": market,
        "seq_no": book.seq_no,
        "last_updated_at": now_ms,
        "bids": [[fmt(p), fmt(s)] for p, s in book.bids.levels(depth)],
        "asks": [[fmt(p), fmt(s)] for p, s in book.asks.levels(depth)],
        "best_bid_api": bid_pair,
        "best_ask_api": ask_pair,
        "best_bid_interactive": bid_pair,
        "best_ask_interactive": ask_pair,
    }


def funding_payment_json(
    payment_id: str, account: int, market: str, payment: int, index: int, now_ms: int
) -> dict[str, Any]:
    """A funding payment (REST row and `funding_payments` channel)."""
    return {
        "id": payment_id,
        "account": hex(account),
        "market": market,
        "payment": fmt(payment),
        "index": fmt(index),
        "fill_id": "",
        "created_at": now_ms,
    }


def tx_hash(event_id: str) -> str:
    """A stand-in StarkNet transaction hash for an event: stable, 250 bits, 0x-hex."""
    digest = hashlib.sha256(event_id.encode()).digest()
    return hex(int.from_bytes(digest, "big") >> 6)


def transaction_json(event_id: str, kind: str, now_ms: int) -> dict[str, Any]:
    """A `TransactionResponse` (§8.3 `/transactions`) settled on L2 at once."""
    return {
        "id": event_id,
        "hash": tx_hash(event_id),
        "type": kind,
        "state": "ACCEPTED_ON_L2",
        "created_at": now_ms,
        "completed_at": now_ms,
    }


def deposit_json(transfer_id: str, account: int, amount: int, now_ms: int) -> dict[str, Any]:
    """A completed USDC deposit (`TransferResult`, §8.3 `/transfers`)."""
    return {
        "id": transfer_id,
        "account": hex(account),
        "kind": "DEPOSIT",
        "status": "COMPLETED",
        "token": "USDC",
        "amount": fmt(amount),
        "socialized_loss_factor": "0",
        "txn_hash": tx_hash(transfer_id),
        "txn_hash_l1": tx_hash(f"l1-{transfer_id}"),
        "created_at": now_ms,
        "last_updated_at": now_ms,
    }
