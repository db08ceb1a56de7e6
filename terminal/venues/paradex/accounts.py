"""Account set-up on Paradex: what a key signs for, worked out before anything is stored.

    config = await fetch_system_config(rest_url)        # public; class hashes, chain ids
    derived = from_ethereum_key(eth_key, config)        # §5.1 + §5.2 (+ the L1 address)
    derived = from_stark_key(stark_key, config)         # §5.2
    public_key_hex(stark_key)                           # what a subkey registers

No network here but `fetch_system_config`; nothing here stores or logs a key.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from terminal.venues.paradex.crypto.ethereum import address_of
from terminal.venues.paradex.crypto.signing import (
    account_address,
    public_key_from_private,
    stark_key_from_eth_key,
)
from terminal.venues.paradex.http.client import ParadexRest
from terminal.venues.paradex.schemas.private import SystemConfig


@dataclass(frozen=True, slots=True)
class DerivedAccount:
    """A Stark key with the account it signs for (repr shows no key)."""

    private_key: int = field(repr=False)
    public_key: int
    account: int
    ethereum_account: str = ""


async def fetch_system_config(rest_url: str) -> SystemConfig:
    """`GET /system/config` of the venue at `rest_url`, on a short-lived client."""
    rest = ParadexRest(rest_url, max_retries=1)
    try:
        return await rest.public.system_config()
    finally:
        await rest.aclose()


def _paraclear_address(public_key: int, config: SystemConfig) -> int:
    return account_address(
        public_key,
        int(config.paraclear_account_proxy_hash, 16),
        int(config.paraclear_account_hash, 16),
    )


def from_stark_key(private_key: int, config: SystemConfig) -> DerivedAccount:
    """The Paraclear account of a Stark key (§5.2)."""
    public_key = public_key_from_private(private_key)
    return DerivedAccount(private_key, public_key, _paraclear_address(public_key, config))


def from_ethereum_key(eth_private_key: int, config: SystemConfig) -> DerivedAccount:
    """The Stark key derived from an Ethereum key (§5.1), its account (§5.2), the L1 address."""
    stark_key = stark_key_from_eth_key(eth_private_key, int(config.l1_chain_id))
    public_key = public_key_from_private(stark_key)
    return DerivedAccount(
        stark_key,
        public_key,
        _paraclear_address(public_key, config),
        address_of(eth_private_key),
    )
