"""Paradex environments: where the REST API and the WebSocket live.

Hosts are data, not constants baked into the client: a profile can point at another host
(the SDK's `ws-public` host, a nightly, or the embedded exchange on loopback).
"""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlsplit


@dataclass(frozen=True, slots=True)
class Environment:
    """One venue deployment: a REST base (ending in `/v1`) and a WebSocket URL."""

    name: str
    rest_url: str
    ws_url: str

    @property
    def is_loopback(self) -> bool:
        """Whether both endpoints are on 127.0.0.1 / localhost (the embedded exchange)."""
        return all(
            urlsplit(url).hostname in ("127.0.0.1", "localhost", "::1")
            for url in (self.rest_url, self.ws_url)
        )


def paradex_environment(env: str, *, ws_host: str | None = None) -> Environment:
    """The public Paradex deployment `env` ("prod", "testnet", "nightly").

    `ws_host` overrides the WebSocket host (e.g. `ws-public.api.prod.paradex.trade`).
    """
    ws = ws_host or f"ws.api.{env}.paradex.trade"
    return Environment(
        name=env, rest_url=f"https://api.{env}.paradex.trade/v1", ws_url=f"wss://{ws}/v1"
    )


PROD = paradex_environment("prod")
TESTNET = paradex_environment("testnet")


def with_query(url: str, query: str) -> str:
    """Append `query` ("a=1&b=2") to `url`, with `?` or `&` as the URL requires."""
    return f"{url}{'&' if urlsplit(url).query else '?'}{query}"
