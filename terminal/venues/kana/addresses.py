"""Aptos account addresses, spelled one way so subscriptions and replies match."""

from __future__ import annotations

import re

from terminal.venues.kana.errors import InvalidAddress

_ADDRESS = re.compile(r"0x([0-9a-fA-F]{1,64})")


def normalize_address(text: str) -> str:
    """`0x` and 64 lower-case hex digits (Aptos's long form); `InvalidAddress` if not one."""
    match = _ADDRESS.fullmatch(text.strip())
    if match is None:
        raise InvalidAddress("ADDRESS", f"not an Aptos address: {text!r}")
    return "0x" + match[1].lower().zfill(64)
