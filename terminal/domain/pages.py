"""Paged history lists, as venues return them."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Generic, TypeVar

T = TypeVar("T")


@dataclass(frozen=True, slots=True)
class Paged(Generic[T]):
    """One page of a history list; pass `next_cursor` as `cursor` for the next page."""

    items: list[T]
    next_cursor: str | None
