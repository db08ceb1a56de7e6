"""StarkWare Pedersen hash through crypto-cpp's C library, loaded directly with ctypes.

`crypto_cpp_py`'s own Python wrappers import sympy (≈ 0.5 s), so this module finds the
shared library next to that package without importing it. The C call releases the GIL.
"""

from __future__ import annotations

import ctypes
import importlib.util
import os
import sys
from collections.abc import Callable, Iterable
from functools import cache

from terminal.venues.paradex.crypto.stark_curve import P

_LIBRARY_PREFIX = "libcrypto_c_exports"
# crypto-cpp writes an error message into the output buffer; 1024 is its own buffer size.
_OUT_SIZE = 1024


class PedersenUnavailableError(RuntimeError):
    """The crypto-cpp shared library could not be found or loaded."""


class FeltRangeError(ValueError):
    """A value given to the hash is not a field element (0 <= v < P)."""


def _library_dirs() -> list[str]:
    dirs: list[str] = []
    spec = importlib.util.find_spec("crypto_cpp_py")
    if spec is not None and spec.origin is not None:
        dirs.append(os.path.dirname(os.path.dirname(spec.origin)))
    frozen_root = getattr(sys, "_MEIPASS", None)
    if frozen_root is not None:
        dirs.append(frozen_root)
    return dirs


@cache
def _hash_function() -> Callable[[bytes, bytes, ctypes.Array[ctypes.c_char]], int]:
    for directory in _library_dirs():
        names = os.listdir(directory) if os.path.isdir(directory) else []
        for name in sorted(n for n in names if n.startswith(_LIBRARY_PREFIX)):
            function = ctypes.CDLL(os.path.join(directory, name)).Hash
            function.argtypes = [ctypes.c_char_p, ctypes.c_char_p, ctypes.c_char_p]
            function.restype = ctypes.c_int
            return function
    raise PedersenUnavailableError(f"{_LIBRARY_PREFIX} not found (is crypto-cpp-py installed?)")


def pedersen_hash(left: int, right: int) -> int:
    """h(left, right), the StarkWare Pedersen hash of two field elements."""
    if not (0 <= left < P and 0 <= right < P):
        raise FeltRangeError("Pedersen inputs must be field elements")
    out = ctypes.create_string_buffer(_OUT_SIZE)
    if _hash_function()(left.to_bytes(32, "little"), right.to_bytes(32, "little"), out) != 0:
        raise FeltRangeError(out.value.decode(errors="replace"))
    return int.from_bytes(out.raw[:32], "little")


def hash_chain(state: int, elements: Iterable[int]) -> int:
    """Fold elements into state: h(…h(h(state, e0), e1)…, e_last)."""
    for element in elements:
        state = pedersen_hash(state, element)
    return state


def compute_hash_on_elements(elements: Iterable[int]) -> int:
    """StarkNet's array hash: the chain from 0 over the elements, then hashed with the count."""
    items = list(elements)
    return pedersen_hash(hash_chain(0, items), len(items))
