"""Shared helpers for the market-data tests: the SBE vectors and decimal-aware comparison."""

from __future__ import annotations

import json
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path
from typing import Any

import msgspec
import pytest

DATA = Path(__file__).parent / "data"
VECTORS: list[dict[str, Any]] = json.loads((DATA / "sbe_vectors.json").read_text())["vectors"]
PUBLIC = [v for v in VECTORS if v.get("json_payload")]


def _decimals(value: Any) -> Any:
    """A JSON-ish value with every decimal-looking string turned into a `Decimal`."""
    if isinstance(value, dict):
        return {k: _decimals(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_decimals(v) for v in value]
    if isinstance(value, str):
        try:
            return Decimal(value)
        except ArithmeticError:
            return value
    return value


def _as_json(struct: msgspec.Struct) -> dict[str, Any]:
    """A wire struct as a plain dict, nulls dropped (the vectors omit absent keys)."""
    plain = msgspec.to_builtins(struct)
    return {k: v for k, v in plain.items() if v is not None}


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    """`public_vector`: each vector that carries a JSON payload, one test per vector."""
    if "public_vector" in metafunc.fixturenames:
        metafunc.parametrize("public_vector", PUBLIC, ids=[v["name"] for v in PUBLIC])


@pytest.fixture(scope="session")
def vectors() -> list[dict[str, Any]]:
    """All SBE test vectors of PROTOCOL.md §11.6."""
    return VECTORS


@pytest.fixture
def vector_named() -> Callable[[str], dict[str, Any]]:
    """Look a vector up by its name prefix, or by template id."""

    def find(key: str | int) -> dict[str, Any]:
        if isinstance(key, int):
            return next(v for v in VECTORS if v["template_id"] == key)
        return next(v for v in VECTORS if v["name"].startswith(key))

    return find


@pytest.fixture
def decimals() -> Callable[[Any], Any]:
    """Turn decimal-looking strings into `Decimal`s, recursively, to compare by value."""
    return _decimals


@pytest.fixture
def as_json() -> Callable[[msgspec.Struct], dict[str, Any]]:
    """A wire struct as a plain dict with nulls dropped."""
    return _as_json
