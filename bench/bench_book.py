"""Book ingest: decode + apply order-book deltas from raw WebSocket frames, JSON and SBE.

Baseline: bare `json.loads` on the same JSON text frames, in the same run.
"""

from __future__ import annotations

import json
import random
import time
from collections.abc import Callable, Sequence
from typing import Any

from bench.report import emit_runs
from terminal.domain.orderbook import OrderBook
from terminal.venues.paradex.sbe.decode import encode_public
from terminal.venues.paradex.ws.frames import decode_binary, decode_text

MARKET = "BTC-USD-PERP"
CHANNEL = f"order_book.{MARKET}.deltas"
TICK_UNITS = 10_000_000  # 0.1 in units
MID_UNITS = 67_630 * 100_000_000
DEPTH = 50
DELTAS = 200_000
REPEATS = 5


def _price(units: int) -> str:
    whole, frac = divmod(units, 100_000_000)
    text = f"{whole}.{frac:08d}".rstrip("0").rstrip(".")
    return text


def _size(rng: random.Random) -> str:
    return _price(rng.randrange(1, 50_000) * 100_000)


def _level(side: str, price: int, size: str) -> dict[str, str]:
    return {"side": side, "price": _price(price), "size": size}


def make_stream(n: int = DELTAS, seed: int = 7) -> list[dict[str, Any]]:
    """A snapshot then `n` deltas of 1–3 levels over a ~50-level book (deterministic)."""
    rng = random.Random(seed)
    bids = {MID_UNITS - TICK_UNITS * (i + 1): _size(rng) for i in range(DEPTH)}
    asks = {MID_UNITS + TICK_UNITS * i: _size(rng) for i in range(DEPTH)}
    seq = 1_000_000
    ts = 1_790_000_000_000

    def payload(kind: str, ins: list[Any], upd: list[Any], dels: list[Any]) -> dict[str, Any]:
        best_bid, best_ask = max(bids), min(asks)
        bb = _level("BUY", best_bid, bids[best_bid])
        ba = _level("SELL", best_ask, asks[best_ask])
        return {
            "market": MARKET,
            "seq_no": seq,
            "last_updated_at": ts,
            "update_type": kind,
            "inserts": ins,
            "updates": upd,
            "deletes": dels,
            "best_bid_api": bb,
            "best_ask_api": ba,
            "best_bid_interactive": bb,
            "best_ask_interactive": ba,
        }

    snapshot = [_level("BUY", p, s) for p, s in sorted(bids.items(), reverse=True)]
    snapshot += [_level("SELL", p, s) for p, s in sorted(asks.items())]
    stream = [payload("s", snapshot, [], [])]
    for _ in range(n):
        seq += 1
        ts += rng.randrange(0, 3)
        ins: list[Any] = []
        upd: list[Any] = []
        dels: list[Any] = []
        for _ in range(rng.randrange(1, 4)):
            is_bid = rng.random() < 0.5
            side, book = ("BUY", bids) if is_bid else ("SELL", asks)
            offset = TICK_UNITS * rng.randrange(1, DEPTH + 10)
            price = MID_UNITS - offset if is_bid else MID_UNITS + offset - TICK_UNITS
            if price in book and len(book) > 5 and rng.random() < 0.2:
                del book[price]
                dels.append(_level(side, price, "0"))
            elif price in book:
                book[price] = _size(rng)
                upd.append(_level(side, price, book[price]))
            else:
                book[price] = _size(rng)
                ins.append(_level(side, price, book[price]))
        stream.append(payload("d", ins, upd, dels))
    return stream


def text_frames(stream: Sequence[dict[str, Any]]) -> list[str]:
    """The stream as JSON-RPC subscription notifications (str, as websockets yields)."""
    return [
        json.dumps(
            {"jsonrpc": "2.0", "method": "subscription", "params": {"channel": CHANNEL, "data": d}},
            separators=(",", ":"),
        )
        for d in stream
    ]


def _rates(runs: dict[str, Callable[[], object]], count: int) -> dict[str, list[float]]:
    """REPEATS rates of each run, interleaved so load swings hit all of them alike."""
    rates: dict[str, list[float]] = {name: [] for name in runs}
    for _ in range(REPEATS):
        for name, run in runs.items():
            start = time.perf_counter()
            run()
            rates[name].append(count / (time.perf_counter() - start))
    return rates


def main() -> None:
    """Print the ingest rates (msgs/s) against the same-run json.loads baseline."""
    stream = make_stream()
    texts = text_frames(stream)
    binaries = [encode_public("order_book", d) for d in stream]
    count = len(texts)

    def loads_only() -> None:
        loads = json.loads
        for t in texts:
            loads(t)

    def json_ingest(top: int = 0) -> Callable[[], None]:
        def run() -> None:
            book = OrderBook(MARKET)
            apply = book.apply
            for t in texts:
                note = decode_text(t)
                apply(note.event)  # type: ignore[union-attr, arg-type]
                if top:
                    book.top(top)
            assert not book.stale

        return run

    def sbe_ingest() -> None:
        book = OrderBook(MARKET)
        apply = book.apply
        for b in binaries:
            apply(decode_binary(b).event)  # type: ignore[union-attr, arg-type]
        assert not book.stale

    rates = _rates(
        {
            "json.loads": loads_only,
            "book_ingest_json_msgs_per_s": json_ingest(),
            "book_ingest_sbe_msgs_per_s": sbe_ingest,
            "book_ingest_json_top15_msgs_per_s": json_ingest(15),
        },
        count,
    )
    baseline = rates.pop("json.loads")
    for name, rate in rates.items():
        emit_runs(name, rate, "msg/s", baseline)


if __name__ == "__main__":
    main()
