"""Built-in profiles point where PROTOCOL.md §1 says."""

from __future__ import annotations

import pytest

from terminal.app.profiles import DEMO, UnknownProfileError, get_profile


def test_builtins() -> None:
    assert get_profile("mainnet").rest_url == "https://api.prod.paradex.trade/v1"
    assert get_profile("testnet").ws_url == "wss://ws.api.testnet.paradex.trade/v1"
    assert get_profile("demo").embedded and not get_profile("demo").has_urls
    with pytest.raises(UnknownProfileError):
        get_profile("nope")


def test_demo_takes_the_embedded_exchange_urls() -> None:
    demo = DEMO.with_urls("http://127.0.0.1:1/v1", "ws://127.0.0.1:1/v1")
    assert demo.has_urls and demo.embedded and demo.name == "demo"
    assert not DEMO.has_urls
