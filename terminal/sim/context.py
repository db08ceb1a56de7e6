"""What every handler shares: the venue, the fault knobs, the token issuer and the hub."""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field

from aiohttp import web

from terminal.sim.arrivals import Arrivals
from terminal.sim.auth import SignatureChecker
from terminal.sim.engine import SimVenue
from terminal.sim.faults import FaultDice, Faults
from terminal.sim.jwt import JwtIssuer
from terminal.sim.ws_hub import Hub

DEFAULT_CHAIN_ID = "PRIVATE_SN_PARACLEAR_TESTNET"
"""The real testnet's id (§1): clients that validate chain ids refuse made-up ones."""
PROXY_CLASS_HASH = 0x3530CC4759D78042F1B543BF797F5F3D647CDE0388C33734CF91B7F7B9314A9
ACCOUNT_CLASS_HASH = 0x41CB0280EBADAA75F996D8D92C6F265F6D040BB3BA442E5F86A554F1765244E
"""paradex-py's fixture class hashes (§8.1), so §5.2 address derivation works unchanged."""


@dataclass(frozen=True, slots=True)
class SimConfig:
    """Server options that are not fault knobs."""

    seed: int = 1
    rate: float = 200.0
    scenario: str = "calm"
    chain_id: str = DEFAULT_CHAIN_ID
    ping_interval_s: float = 55.0
    max_queue: int = 2000
    retail_speed_bump: bool = False
    jwt_ttl_s: int = 300
    tick_ms: int = 15


@dataclass
class SimContext:
    """The shared state of one running exchange."""

    venue: SimVenue
    config: SimConfig
    faults: Faults
    clock: Callable[[], float] = time.time
    dice: FaultDice = field(init=False)
    issuer: JwtIssuer = field(init=False)
    checker: SignatureChecker = field(init=False)
    hub: Hub = field(init=False)
    arrivals: Arrivals = field(default_factory=Arrivals)

    def __post_init__(self) -> None:
        self.dice = FaultDice(self.faults, self.config.seed)
        self.issuer = JwtIssuer(ttl_s=self.config.jwt_ttl_s, clock=self.clock)
        self.checker = SignatureChecker(
            chain_id=self.config.chain_id,
            proxy_hash=PROXY_CLASS_HASH,
            account_hash=ACCOUNT_CLASS_HASH,
            public_key_of=self._public_key_of,
            clock_ms=self.now_ms,
        )
        self.hub = Hub(self.dice, self.venue.public.book_snapshot_message)

    def now_ms(self) -> int:
        """The server clock in milliseconds."""
        return int(self.clock() * 1000)

    def _public_key_of(self, account: int) -> int | None:
        return self.venue.public_key(account) if self.venue.is_onboarded(account) else None


SIM_KEY = web.AppKey("sim", SimContext)
