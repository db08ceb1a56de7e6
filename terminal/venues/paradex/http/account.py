"""Private read endpoints (§8.3): account, balances, positions, orders, fills, funding.

Every call carries the JWT; a 401 gets one re-authentication and one retry (transport).
"""

from __future__ import annotations

from terminal.domain.account import AccountSummary, Balance, Fill, FundingPayment, Position
from terminal.domain.orders import Order
from terminal.domain.pages import Paged
from terminal.venues.paradex.http.transport import Query, RestTransport
from terminal.venues.paradex.schemas.private import (
    AccountResp,
    BalanceResp,
    FillResp,
    FundingPaymentResp,
    OrderResp,
    Page,
    PositionResp,
    Results,
)


class AccountApi:
    """The account's own data, read over REST."""

    def __init__(self, http: RestTransport) -> None:
        self._http = http

    async def account(self) -> AccountSummary:
        """`GET /account`: margin summary."""
        return (await self._http.get("/account", AccountResp, auth=True)).to_domain()

    async def balances(self) -> list[Balance]:
        """`GET /balance`."""
        answer = await self._http.get("/balance", Results[BalanceResp], auth=True)
        return [row.to_domain() for row in answer.results]

    async def positions(self) -> list[Position]:
        """`GET /positions`."""
        answer = await self._http.get("/positions", Results[PositionResp], auth=True)
        return [row.to_domain() for row in answer.results]

    async def open_orders(self, market: str | None = None) -> list[Order]:
        """`GET /orders`: every order not CLOSED (optionally one market); not paginated."""
        answer = await self._http.get(
            "/orders", Results[OrderResp], params={"market": market}, auth=True
        )
        return [row.to_domain() for row in answer.results]

    async def order(self, order_id: str) -> Order:
        """`GET /orders/{order_id}` (documented for NEW/OPEN orders)."""
        return (await self._http.get(f"/orders/{order_id}", OrderResp, auth=True)).to_domain()

    async def order_by_client_id(self, client_id: str) -> Order:
        """`GET /orders/by_client_id/{client_id}` (documented for OPEN orders)."""
        path = f"/orders/by_client_id/{client_id}"
        return (await self._http.get(path, OrderResp, auth=True)).to_domain()

    async def orders_history(
        self,
        *,
        market: str | None = None,
        client_id: str | None = None,
        status: str | None = None,
        side: str | None = None,
        type: str | None = None,
        start_at: int | None = None,
        end_at: int | None = None,
        cursor: str | None = None,
        page_size: int | None = None,
    ) -> Paged[Order]:
        """`GET /orders-history`, one page, filtered."""
        params: Query = {
            "market": market,
            "client_id": client_id,
            "status": status,
            "side": side,
            "type": type,
            "start_at": start_at,
            "end_at": end_at,
            "cursor": cursor,
            "page_size": page_size,
        }
        page = await self._http.get("/orders-history", Page[OrderResp], params=params, auth=True)
        return Paged([row.to_domain() for row in page.results], page.next)

    async def fills(
        self,
        *,
        market: str | None = None,
        start_at: int | None = None,
        end_at: int | None = None,
        cursor: str | None = None,
        page_size: int | None = None,
    ) -> Paged[Fill]:
        """`GET /fills`, one page."""
        params: Query = {
            "market": market,
            "start_at": start_at,
            "end_at": end_at,
            "cursor": cursor,
            "page_size": page_size,
        }
        page = await self._http.get("/fills", Page[FillResp], params=params, auth=True)
        return Paged([row.to_domain() for row in page.results], page.next)

    async def funding_payments(
        self,
        *,
        market: str | None = None,
        start_at: int | None = None,
        end_at: int | None = None,
        cursor: str | None = None,
        page_size: int | None = None,
    ) -> Paged[FundingPayment]:
        """`GET /funding/payments`, one page."""
        params: Query = {
            "market": market,
            "start_at": start_at,
            "end_at": end_at,
            "cursor": cursor,
            "page_size": page_size,
        }
        page = await self._http.get(
            "/funding/payments", Page[FundingPaymentResp], params=params, auth=True
        )
        return Paged([row.to_domain() for row in page.results], page.next)
