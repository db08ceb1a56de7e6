"""A file-less keyring for the app run as a subprocess in tests.

Select it with PYTHON_KEYRING_BACKEND=env_keyring.EnvKeyring (this folder on PYTHONPATH);
its entries start as the JSON object in TEST_KEYRING ({"service/username": password}) and
writes last only as long as the process.
"""

from __future__ import annotations

import json
import os

import keyring.backend
import keyring.errors


class EnvKeyring(keyring.backend.KeyringBackend):
    """Entries from the environment, kept in memory."""

    priority = 1  # type: ignore[assignment]

    def __init__(self) -> None:
        super().__init__()
        self.entries: dict[str, str] = json.loads(os.environ.get("TEST_KEYRING", "{}"))

    def get_password(self, service: str, username: str) -> str | None:
        return self.entries.get(f"{service}/{username}")

    def set_password(self, service: str, username: str, password: str) -> None:
        self.entries[f"{service}/{username}"] = password

    def delete_password(self, service: str, username: str) -> None:
        if self.entries.pop(f"{service}/{username}", None) is None:
            raise keyring.errors.PasswordDeleteError(username)
