"""Paradex's StarkNet typed-data hashes (SNIP-12 revision 0, Pedersen), precomputed where fixed.

message_hash = H([shortstring("StarkNet Message"), domain_hash, account, struct_hash]) where
H is `compute_hash_on_elements`. The domain, the type prefixes and the per-account
prefix never change, so an order costs 7 + 2 Pedersen hashes.
"""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from functools import cache
from typing import TypedDict, Unpack

from terminal.venues.paradex.crypto.pedersen import (
    compute_hash_on_elements,
    hash_chain,
    pedersen_hash,
)
from terminal.venues.paradex.crypto.stark_params import P

SHORT_STRING_MAX = 31
PRICE_DECIMALS = 8

DOMAIN_TYPE = "StarkNetDomain(name:felt,chainId:felt,version:felt)"
REQUEST_TYPE = "Request(method:felt,path:felt,body:felt,timestamp:felt,expiration:felt)"
CONSTANT_TYPE = "Constant(action:felt)"
ORDER_TYPE = "Order(timestamp:felt,market:felt,side:felt,orderType:felt,size:felt,price:felt)"
MODIFY_ORDER_TYPE = (
    "ModifyOrder(timestamp:felt,market:felt,side:felt,orderType:felt,size:felt,price:felt,id:felt)"
)
# starknet_keccak(type string) of each type above (PROTOCOL §4.1; tests recompute them).
# Held as constants so importing the signer does not pull in a keccak implementation.
TYPE_HASHES: dict[str, int] = {
    DOMAIN_TYPE: 0x98D1932052FC5137543DE5ED85B7A88555A4CD1FF5D5BFEDB62ED9B9A1F0DB,
    REQUEST_TYPE: 0x186CDEF6B179923C411C13C11B8A825F12BF34203BDDA0A984DA9D6F2313C2,
    CONSTANT_TYPE: 0xE84BBCB68E0F7C73A9058BA82B6DA9C1FFDC502EFCF034E78B0C003C22ECC9,
    ORDER_TYPE: 0xA56D5225B97B257C15AE2CB1CC0EA605381A886CD75463DB45FD2EF9FBC255,
    MODIFY_ORDER_TYPE: 0x201789BB587C17B251FD38DAF43B14807010EA721C2929A8C2FC33BF15C2E2C,
}

_SIDES = {"BUY": 1, "SELL": 2}
_MARKET = "MARKET"


class TypedDataError(ValueError):
    """A message field cannot be encoded as Paradex signs it."""


def short_string(text: str) -> int:
    """A Cairo short string: up to 31 ASCII bytes read as one big-endian integer."""
    if not text.isascii() or len(text) > SHORT_STRING_MAX:
        raise TypedDataError(f"not a short string (ASCII, ≤ {SHORT_STRING_MAX} chars): {text!r}")
    return int.from_bytes(text.encode("ascii"), "big")


def encode_felt(value: str) -> int:
    """A `felt` field value as starknet-py encodes it: hex, decimal digits, else short string."""
    if value.startswith("0x"):
        return _checked_felt(int(value, 16))
    if value.isdecimal() and value.isascii():
        return _checked_felt(int(value))
    return short_string(value)


def _checked_felt(value: int) -> int:
    if not 0 <= value < P:
        raise TypedDataError("value is not a field element")
    return value


STARKNET_MESSAGE = short_string("StarkNet Message")
_DOMAIN_NAME = short_string("Paradex")
_DOMAIN_VERSION = 1
_AUTH_METHOD = short_string("POST")
_AUTH_PATH = short_string("/v1/auth")
_ONBOARDING_ACTION = short_string("Onboarding")


def scaled(value: Decimal) -> int:
    """Price or size in chain units, `int(Decimal(x).scaleb(8))` (truncating, as the SDK does)."""
    try:
        units = int(Decimal(value).scaleb(PRICE_DECIMALS))
    except (InvalidOperation, ValueError, OverflowError) as exc:
        raise TypedDataError(f"not a finite decimal: {value!r}") from exc
    if units < 0:
        raise TypedDataError(f"negative amount: {value}")
    return units


def _non_negative(value: int, name: str) -> int:
    if value < 0:
        raise TypedDataError(f"{name} must not be negative")
    return _checked_felt(value)


@cache
def _type_prefix(type_string: str) -> int:
    return pedersen_hash(0, TYPE_HASHES[type_string])


def _struct_hash(type_string: str, fields: list[int]) -> int:
    return pedersen_hash(hash_chain(_type_prefix(type_string), fields), len(fields) + 1)


@cache
def domain_struct_hash(chain_id: int) -> int:
    """struct_hash of the Paradex `StarkNetDomain` on one chain."""
    _checked_felt(chain_id)
    return compute_hash_on_elements(
        [TYPE_HASHES[DOMAIN_TYPE], _DOMAIN_NAME, chain_id, _DOMAIN_VERSION]
    )


def auth_struct_hash(timestamp: int, expiration: int) -> int:
    """struct_hash of the JWT `Request` (POST /v1/auth, empty body; times in seconds)."""
    fields = [
        _AUTH_METHOD,
        _AUTH_PATH,
        0,
        _non_negative(timestamp, "timestamp"),
        _non_negative(expiration, "expiration"),
    ]
    return _struct_hash(REQUEST_TYPE, fields)


@cache
def onboarding_struct_hash() -> int:
    """struct_hash of `Constant{action: "Onboarding"}`."""
    return _struct_hash(CONSTANT_TYPE, [_ONBOARDING_ACTION])


class OrderFields(TypedDict):
    """The signed fields of a new order (PROTOCOL §4.2), passed as keyword arguments.

    `side` is "BUY"/"SELL", `order_type` the Paradex type string, `timestamp_ms` the body's
    `signature_timestamp`; MARKET orders sign price 0 whatever `price` says.
    """

    market: str
    side: str
    order_type: str
    size: Decimal
    price: Decimal
    timestamp_ms: int


class ModifyFields(OrderFields):
    """The signed fields of an order modification: the new order's fields and its id."""

    order_id: str


def _order_fields(order: OrderFields) -> list[int]:
    try:
        side_code = _SIDES[order["side"]]
    except KeyError:
        raise TypedDataError(f"side must be BUY or SELL, not {order['side']!r}") from None
    order_type = order["order_type"]
    return [
        _non_negative(order["timestamp_ms"], "timestamp"),
        encode_felt(order["market"]),
        side_code,
        encode_felt(order_type),
        _checked_felt(scaled(order["size"])),
        0 if order_type == _MARKET else _checked_felt(scaled(order["price"])),
    ]


def order_struct_hash(**order: Unpack[OrderFields]) -> int:
    """struct_hash of a new `Order` (MARKET orders sign price 0)."""
    return _struct_hash(ORDER_TYPE, _order_fields(order))


def modify_struct_hash(**modify: Unpack[ModifyFields]) -> int:
    """struct_hash of a `ModifyOrder`: the new order's fields plus the order id."""
    fields = _order_fields(modify)
    fields.append(encode_felt(modify["order_id"]))
    return _struct_hash(MODIFY_ORDER_TYPE, fields)


class TypedDataHasher:
    """Message hashes for one account on one chain, with the fixed prefix hashed once.

    Needs no private key: the exchange's verifier uses it to recompute what was signed.
    """

    __slots__ = ("_account", "_chain_id", "_prefix")

    def __init__(self, account: int, chain_id: int) -> None:
        self._account = _checked_felt(account)
        self._chain_id = chain_id
        self._prefix = hash_chain(0, [STARKNET_MESSAGE, domain_struct_hash(chain_id), account])

    @property
    def account(self) -> int:
        """The L2 account address the messages are bound to."""
        return self._account

    @property
    def chain_id(self) -> int:
        """The StarkNet chain id (short-string integer)."""
        return self._chain_id

    def __repr__(self) -> str:
        return f"TypedDataHasher(account={self._account:#x}, chain_id={self._chain_id:#x})"

    def _message_hash(self, struct_hash: int) -> int:
        return pedersen_hash(pedersen_hash(self._prefix, struct_hash), 4)

    def order_hash(self, **order: Unpack[OrderFields]) -> int:
        """Message hash of a new order."""
        return self._message_hash(order_struct_hash(**order))

    def modify_hash(self, **modify: Unpack[ModifyFields]) -> int:
        """Message hash of an order modification."""
        return self._message_hash(modify_struct_hash(**modify))

    def auth_hash(self, timestamp: int, expiration: int) -> int:
        """Message hash of the JWT request (seconds)."""
        return self._message_hash(auth_struct_hash(timestamp, expiration))

    def onboarding_hash(self) -> int:
        """Message hash of the onboarding constant."""
        return self._message_hash(onboarding_struct_hash())
