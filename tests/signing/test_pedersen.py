"""The Pedersen hash (starknet-crypto) equals starknet-py's (crypto-cpp) bit for bit."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from starknet_py.hash.utils import compute_hash_on_elements as reference_array_hash
from starknet_py.hash.utils import pedersen_hash as reference_hash

from terminal.venues.paradex.crypto.pedersen import (
    FeltRangeError,
    compute_hash_on_elements,
    pedersen_hash,
)
from terminal.venues.paradex.crypto.stark_params import P

# The low part of each input is 248 bits, the high part 4: values around that split and the
# field's ends take the hash's less common paths.
EDGES = [0, 1, 2, 2**248 - 1, 2**248, 2**250, 2**251 - 1, P - 2, P - 1]
felts = st.one_of(st.sampled_from(EDGES), st.integers(min_value=0, max_value=P - 1))


@pytest.mark.parametrize("left", EDGES)
def test_edges_match_crypto_cpp(left: int) -> None:
    for right in EDGES:
        assert pedersen_hash(left, right) == reference_hash(left, right)


@settings(max_examples=200, deadline=None)
@given(left=felts, right=felts)
def test_random_felts_match_crypto_cpp(left: int, right: int) -> None:
    assert pedersen_hash(left, right) == reference_hash(left, right)


@settings(max_examples=20, deadline=None)
@given(elements=st.lists(felts, max_size=8))
def test_array_hash_matches_starknet_py(elements: list[int]) -> None:
    assert compute_hash_on_elements(elements) == reference_array_hash(elements)


@pytest.mark.parametrize(("left", "right"), [(P, 0), (0, P), (-1, 0), (0, 2**256)])
def test_values_outside_the_field_are_refused_not_reduced(left: int, right: int) -> None:
    with pytest.raises(FeltRangeError):
        pedersen_hash(left, right)
