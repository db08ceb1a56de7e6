"""The Paradex REST client: one object per venue that the services layer holds.

    rest = ParadexRest(env.rest_url)                  # public endpoints work at once
    config = await rest.public.system_config()
    await rest.sync_clock()                           # skew for signature timestamps
    rest.attach_signer(ParadexSigner(key, account, chain_id_from_name(config.starknet_chain_id)))
    await rest.jwt.token()                            # authenticate (onboards if needed)
    await rest.account.positions(); await rest.orders.create(NewOrder(...))
    await rest.orders.cancel_all()
    await rest.aclose()

`public` (`rest_public.PublicApi`), `account` (`rest_account.AccountApi`), `orders`
(`orders.OrdersApi`) and `jwt` (`auth.JwtManager`) hold one typed method per endpoint.
"""

from __future__ import annotations

import asyncio
import random
import time
from collections.abc import Callable
from types import TracebackType

import httpx

from terminal.venues.paradex.http.account import AccountApi
from terminal.venues.paradex.http.auth import JwtManager, ServerClock, Signer
from terminal.venues.paradex.http.orders import OrdersApi
from terminal.venues.paradex.http.public import PublicApi
from terminal.venues.paradex.http.transport import RestTransport, Sleep


class NoSignerError(RuntimeError):
    """A private endpoint was used before `attach_signer`."""


class ParadexRest:
    """REST access to one venue: public data at once, private data once a signer is attached.

    `transport` replaces the network (`httpx.MockTransport` in tests); `wall`, `sleep` and
    `rng` replace the clock, the backoff's waiting and its jitter.
    """

    def __init__(
        self,
        base_url: str,
        *,
        transport: httpx.AsyncBaseTransport | None = None,
        timeout: float = 10.0,
        max_retries: int = 3,
        wall: Callable[[], float] = time.time,
        sleep: Sleep = asyncio.sleep,
        rng: random.Random | None = None,
    ) -> None:
        self.http = RestTransport(
            base_url,
            transport=transport,
            timeout=timeout,
            max_retries=max_retries,
            sleep=sleep,
            rng=rng,
            wall_clock=wall,
        )
        self._sleep = sleep
        self._rng = rng
        self.clock = ServerClock(wall)
        self.public = PublicApi(self.http)
        self._account = AccountApi(self.http)
        self._jwt: JwtManager | None = None
        self._orders: OrdersApi | None = None

    def attach_signer(
        self, signer: Signer, *, interactive: bool = False, ethereum_account: str | None = None
    ) -> None:
        """Enable private endpoints, signing with `signer` (`interactive`: retail JWT)."""
        self._jwt = JwtManager(
            self.http,
            signer,
            self.clock,
            interactive=interactive,
            ethereum_account=ethereum_account,
        )
        self.http.tokens = self._jwt
        self._orders = OrdersApi(
            self.http, signer, self.clock, self._account, sleep=self._sleep, rng=self._rng
        )

    @property
    def jwt(self) -> JwtManager:
        """The JWT lifecycle (`await rest.jwt.token()` authenticates)."""
        if self._jwt is None:
            raise NoSignerError("attach a signer before using private endpoints")
        return self._jwt

    @property
    def account(self) -> AccountApi:
        """Private read endpoints."""
        if self._jwt is None:
            raise NoSignerError("attach a signer before reading account data")
        return self._account

    @property
    def orders(self) -> OrdersApi:
        """Order endpoints."""
        if self._orders is None:
            raise NoSignerError("attach a signer before placing orders")
        return self._orders

    async def sync_clock(self) -> int:
        """Measure the offset to the venue's clock (`GET /system/time`); returns it in ms."""
        return await self.clock.sync(self.public.server_time_ms)

    async def aclose(self) -> None:
        """Stop background order reconciliations; close the connection pool."""
        if self._orders is not None:
            await self._orders.aclose()
        await self.http.aclose()

    async def __aenter__(self) -> ParadexRest:
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await self.aclose()
