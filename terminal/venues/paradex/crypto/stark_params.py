"""The numbers of StarkNet's field and STARK curve (PROTOCOL §3).

The curve arithmetic itself is starknet-crypto's (`stark_ecdsa`, `pedersen`); these are
what the callers check their inputs against.
"""

from __future__ import annotations

P = 2**251 + 17 * 2**192 + 1
"""The field prime: a felt is an integer in [0, P)."""
BETA = 0x6F21413EFBE40DE150E596D72F7A8C5609AD26C15C915C1F4CDFCB99CEE9E89
"""β of the curve y² = x³ + x + β."""
N = 0x800000000000010FFFFFFFFFFFFFFFFB781126DCAE7B2321E66A241ADC64D2F
"""The curve's prime group order: private keys are taken mod N."""
ELEMENT_BOUND = 2**251
"""Stark ECDSA's bound: message hashes, r and s⁻¹ mod N must be below it."""
