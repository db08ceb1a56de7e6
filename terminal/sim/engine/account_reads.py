"""Private reads of the venue (§8.3): account, positions, orders and every history list."""

from __future__ import annotations

from typing import Any

from terminal.sim.engine import wire
from terminal.sim.engine.accounts import Account
from terminal.sim.engine.errors import VenueError
from terminal.sim.engine.exchange import Exchange
from terminal.sim.engine.history import window

TRANSFER_STATUSES = frozenset({"PENDING", "AVAILABLE", "COMPLETED", "FAILED"})


def user_account(ex: Exchange, account: int) -> Account:
    """An onboarded user's account (NOT_ONBOARDED for strangers and internal accounts)."""
    acct = ex.account(account)
    if acct.internal:
        raise VenueError("NOT_ONBOARDED", "User has never called /onboarding endpoint")
    return acct


def _newest_first(
    rows: list[dict[str, Any]],
    market: str | None,
    start_at: int | None,
    end_at: int | None,
    limit: int,
) -> list[dict[str, Any]]:
    """An account's history `rows` (oldest first), of one market or all, as a window."""
    wanted = (r for r in reversed(rows) if market is None or r["market"] == market)
    return window(wanted, start_at, end_at, limit)


class AccountReads:
    """The private JSON of one exchange's user accounts."""

    def __init__(self, ex: Exchange) -> None:
        self._ex = ex

    def account_json(self, account: int) -> dict[str, Any]:
        """`GET /account`."""
        return self._ex.account_json(user_account(self._ex, account))

    def balance_json(self, account: int) -> list[dict[str, Any]]:
        """`GET /balance` rows."""
        return [wire.balance_json(user_account(self._ex, account))]

    def positions_json(self, account: int) -> list[dict[str, Any]]:
        """`GET /positions` rows (open and closed positions)."""
        acct = user_account(self._ex, account)
        return [self._ex.position_json(acct, m) for m in acct.positions]

    def open_orders_json(self, account: int, market: str | None) -> list[dict[str, Any]]:
        """`GET /orders`: every order that is not CLOSED."""
        acct = user_account(self._ex, account)
        return [
            wire.order_json(o)
            for o in acct.open_orders.values()
            if market is None or o.market == market
        ]

    def order_json(self, account: int, order_id: str) -> dict[str, Any]:
        """`GET /orders/{id}`."""
        return wire.order_json(self._ex.find_order(user_account(self._ex, account), order_id))

    def order_by_client_id_json(self, account: int, client_id: str) -> dict[str, Any]:
        """`GET /orders/by_client_id/{id}`: the open order, else the latest with that id."""
        order = user_account(self._ex, account).by_client_id(client_id)
        if order is None:
            raise VenueError("CLIENT_ORDER_ID_NOT_FOUND", f"client id {client_id!r} not found", 404)
        return wire.order_json(order)

    def orders_history_json(
        self,
        account: int,
        *,
        market: str | None = None,
        side: str | None = None,
        status: str | None = None,
        type: str | None = None,
        client_id: str | None = None,
        start_at: int | None = None,
        end_at: int | None = None,
        limit: int = 1000,
    ) -> list[dict[str, Any]]:
        """`GET /orders-history`, newest first."""
        orders = user_account(self._ex, account).orders.values()
        rows = (wire.order_json(o) for o in reversed(orders))
        filters = {
            "market": market,
            "side": side,
            "status": status,
            "type": type,
            "client_id": client_id,
        }
        wanted = (r for r in rows if all(v is None or r[k] == v for k, v in filters.items()))
        return window(wanted, start_at, end_at, limit)

    def fills_json(
        self,
        account: int,
        market: str | None,
        start_at: int | None = None,
        end_at: int | None = None,
        limit: int = 1000,
    ) -> list[dict[str, Any]]:
        """`GET /fills`, newest first."""
        fills = user_account(self._ex, account).fills
        return _newest_first(fills, market, start_at, end_at, limit)

    def funding_payments_json(
        self,
        account: int,
        market: str | None,
        start_at: int | None = None,
        end_at: int | None = None,
        limit: int = 1000,
    ) -> list[dict[str, Any]]:
        """`GET /funding/payments`, newest first."""
        payments = user_account(self._ex, account).funding_payments
        return _newest_first(payments, market, start_at, end_at, limit)

    def profile_json(self, account: int) -> dict[str, Any]:
        """`GET /account/profile`: no username is ever set here."""
        user_account(self._ex, account)
        return {"username": "", "is_username_private": True}

    def subaccounts_json(self, account: int) -> list[dict[str, Any]]:
        """`GET /account/subaccounts`: the simulator's accounts have none."""
        user_account(self._ex, account)
        return []

    def tradebusts_json(self, account: int) -> list[dict[str, Any]]:
        """`GET /tradebusts`: the simulator never busts a fill."""
        user_account(self._ex, account)
        return []

    def transfers_json(
        self, account: int, status: str | None, start_at: int, end_at: int, limit: int = 1000
    ) -> list[dict[str, Any]]:
        """`GET /transfers` (the onboarding deposit), newest first."""
        if status is not None and status not in TRANSFER_STATUSES:
            raise VenueError(
                "INVALID_REQUEST_PARAMETER", f"status must be one of {sorted(TRANSFER_STATUSES)}"
            )
        rows = reversed(user_account(self._ex, account).transfers)
        wanted = (r for r in rows if status is None or r["status"] == status)
        return window(wanted, start_at, end_at, limit)

    def liquidations_json(self, account: int, start_at: int, end_at: int) -> list[dict[str, Any]]:
        """`GET /liquidations`: `{"id": transaction hash, "created_at"}`, newest first."""
        rows = reversed(user_account(self._ex, account).liquidations)
        return [
            {"id": r["hash"], "created_at": r["created_at"]}
            for r in window(rows, start_at, end_at, 10_000)
        ]

    def transactions_json(
        self, account: int, start_at: int, end_at: int, limit: int = 1000
    ) -> list[dict[str, Any]]:
        """`GET /transactions`: a TRANSACTION_FILL per trade fill and a TRANSACTION_LIQUIDATE
        per liquidation (whose fills it settles), newest first."""
        acct = user_account(self._ex, account)
        rows = [
            wire.transaction_json(f["id"], "TRANSACTION_FILL", f["created_at"])
            for f in acct.fills
            if f["fill_type"] == "FILL"
        ]
        rows += [
            wire.transaction_json(r["id"], "TRANSACTION_LIQUIDATE", r["created_at"])
            for r in acct.liquidations
        ]
        rows.sort(key=lambda r: (r["created_at"], r["id"]), reverse=True)
        return window(rows, start_at, end_at, limit)
