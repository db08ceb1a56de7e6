"""Suite-wide settings: property tests are reproducible run to run (CI must not flake);
in-memory and failing keyrings for any test that touches keys."""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Iterator
from typing import TypeVar

import keyring
import keyring.backend
import keyring.errors
import pytest
from hypothesis import settings

settings.register_profile("repeatable", derandomize=True, database=None, deadline=None)
settings.load_profile("repeatable")


async def poll_until(predicate: Callable[[], object], wait_s: float = 10.0) -> None:
    """Return once `predicate()` is true; TimeoutError after `wait_s`. For conditions inside
    a server that exposes no event for them (where there is an event, wait on it)."""
    async with asyncio.timeout(wait_s):
        while not predicate():  # noqa: ASYNC110
            await asyncio.sleep(0.01)


class MemoryKeyring(keyring.backend.KeyringBackend):
    """A keyring that keeps passwords in a dict, for tests."""

    priority = 1  # type: ignore[assignment]

    def __init__(self) -> None:
        super().__init__()
        self.passwords: dict[tuple[str, str], str] = {}

    def get_password(self, service: str, username: str) -> str | None:
        return self.passwords.get((service, username))

    def set_password(self, service: str, username: str, password: str) -> None:
        self.passwords[(service, username)] = password

    def delete_password(self, service: str, username: str) -> None:
        if self.passwords.pop((service, username), None) is None:
            raise keyring.errors.PasswordDeleteError(username)


class BrokenKeyring(MemoryKeyring):
    """A keyring whose every operation fails, as a locked OS keyring does."""

    def get_password(self, service: str, username: str) -> str | None:
        raise keyring.errors.KeyringLocked("locked")

    def set_password(self, service: str, username: str, password: str) -> None:
        raise keyring.errors.PasswordSetError(f"cannot set {password}")


B = TypeVar("B", bound=keyring.backend.KeyringBackend)


def _installed(backend: B) -> Iterator[B]:
    """`backend` as keyring's backend for one test, the previous one put back after."""
    previous = keyring.get_keyring()
    keyring.set_keyring(backend)
    yield backend
    keyring.set_keyring(previous)


@pytest.fixture
def memory_keyring() -> Iterator[MemoryKeyring]:
    """Install an in-memory keyring for the test, restoring the previous one after."""
    yield from _installed(MemoryKeyring())


@pytest.fixture
def broken_keyring() -> Iterator[BrokenKeyring]:
    """Install a keyring that fails every call."""
    yield from _installed(BrokenKeyring())


@pytest.fixture
def no_keyring() -> Iterator[None]:
    """Install keyring's `fail` backend: what headless Linux without a Secret Service has."""
    import keyring.backends.fail

    for _ in _installed(keyring.backends.fail.Keyring()):
        yield
