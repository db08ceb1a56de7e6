"""A WebSocket frame pump for bench_ws: a process that sends pre-built book frames at wire speed.

`python -m bench.ws_pump COUNT` prints `{"ws": "ws://127.0.0.1:PORT/v1"}` once it listens.
Each connection gets the handshake the embedded exchange's aiohttp server gives (it
accepts the client's permessage-deflate offer with context takeover, as aiohttp does; no
offer, no compression), then, after the first JSON-RPC request, its ack and the recorded
stream of `bench_book.make_stream(COUNT)` — a snapshot and COUNT deltas with the best_*
fields — as JSON text frames, or as SBE binary frames when the URL asks for SBE
(`sbeSchemaId`), like Paradex. The frames, compressed or not, are built once at start-up
and written in large chunks, so the pump costs next to nothing per frame: the client is
what the bench measures. Loopback only; it exits when stdin closes.
"""

from __future__ import annotations

import asyncio
import base64
import hashlib
import json
import sys
import zlib
from collections.abc import Awaitable, Callable
from urllib.parse import parse_qs, urlsplit

from bench.bench_book import make_stream, text_frames
from terminal.venues.paradex.sbe.decode import encode_public

_GUID = b"258EAFA5-E914-47DA-95CA-C5AB0DC85B11"
_TEXT, _BINARY, _CLOSE = 0x1, 0x2, 0x8
_CHUNK = 1 << 20


def frame(opcode: int, payload: bytes, *, compressed: bool = False) -> bytes:
    """One unmasked server frame (FIN set; RSV1 marks a deflated message)."""
    head = 0x80 | opcode | (0x40 if compressed else 0)
    size = len(payload)
    if size < 126:
        return bytes((head, size)) + payload
    if size < 1 << 16:
        return bytes((head, 126)) + size.to_bytes(2, "big") + payload
    return bytes((head, 127)) + size.to_bytes(8, "big") + payload


def deflated_stream(opcode: int, payloads: list[bytes]) -> bytes:
    """The frames as permessage-deflate sends them with context takeover: one compressor."""
    compressor = zlib.compressobj(wbits=-zlib.MAX_WBITS)
    out = bytearray()
    for payload in payloads:
        data = compressor.compress(payload) + compressor.flush(zlib.Z_SYNC_FLUSH)
        out += frame(opcode, data[:-4], compressed=True)  # RFC 7692: drop 00 00 ff ff
    return bytes(out)


def build_streams(count: int) -> dict[tuple[str, bool], bytes]:
    """(kind, deflate) → the wire bytes of the whole stream after the ack."""
    stream = make_stream(count)
    text = [t.encode() for t in text_frames(stream)]
    sbe = [encode_public("order_book", d) for d in stream]
    return {
        ("text", False): b"".join(frame(_TEXT, t) for t in text),
        ("text", True): deflated_stream(_TEXT, text),
        ("sbe", False): b"".join(frame(_BINARY, b) for b in sbe),
        ("sbe", True): deflated_stream(_BINARY, sbe),
    }


async def _read_frame(reader: asyncio.StreamReader) -> tuple[int, bytes, bool]:
    """One masked client frame: (opcode, payload, compressed)."""
    b0, b1 = await reader.readexactly(2)
    size = b1 & 0x7F
    if size == 126:
        size = int.from_bytes(await reader.readexactly(2), "big")
    elif size == 127:
        size = int.from_bytes(await reader.readexactly(8), "big")
    mask = await reader.readexactly(4)
    data = await reader.readexactly(size)
    payload = bytes(b ^ mask[i % 4] for i, b in enumerate(data))
    return b0 & 0x0F, payload, bool(b0 & 0x40)


def _handshake(request: bytes) -> tuple[bytes, bool, bool]:
    """The 101 response, whether deflate was agreed, and whether SBE was asked for."""
    lines = request.decode("latin-1").split("\r\n")
    target = lines[0].split()[1]
    headers = {k.strip().lower(): v.strip() for k, _, v in (x.partition(":") for x in lines[1:])}
    accept = base64.b64encode(hashlib.sha1(headers["sec-websocket-key"].encode() + _GUID).digest())
    deflate = "permessage-deflate" in headers.get("sec-websocket-extensions", "")
    response = (
        b"HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
        b"Sec-WebSocket-Accept: " + accept + b"\r\n"
    )
    if deflate:
        response += b"Sec-WebSocket-Extensions: permessage-deflate\r\n"
    sbe = "sbeSchemaId" in parse_qs(urlsplit(target).query)
    return response + b"\r\n", deflate, sbe


def _handler(
    streams: dict[tuple[str, bool], bytes],
) -> Callable[[asyncio.StreamReader, asyncio.StreamWriter], Awaitable[None]]:
    async def serve(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        try:
            response, deflate, sbe = _handshake(await reader.readuntil(b"\r\n\r\n"))
            writer.write(response)
            opcode, payload, compressed = await _read_frame(reader)
            if compressed:
                payload = zlib.decompressobj(-zlib.MAX_WBITS).decompress(
                    payload + b"\x00\x00\xff\xff"
                )
            request = json.loads(payload)
            channel = request.get("params", {}).get("channel")
            ack = {"jsonrpc": "2.0", "id": request["id"], "result": {"channel": channel}}
            # Sent uncompressed (RSV1 clear), which leaves the deflate context untouched.
            writer.write(frame(_TEXT, json.dumps(ack).encode()))
            body = streams[("sbe" if sbe else "text", deflate)]
            for start in range(0, len(body), _CHUNK):
                writer.write(body[start : start + _CHUNK])
                await writer.drain()
            while opcode != _CLOSE:
                opcode, _, _ = await _read_frame(reader)
            writer.write(frame(_CLOSE, (1000).to_bytes(2, "big")))
            await writer.drain()
        except (asyncio.IncompleteReadError, ConnectionError):
            pass
        finally:
            writer.close()

    return serve


async def _main(count: int) -> None:
    streams = build_streams(count)
    server = await asyncio.start_server(_handler(streams), "127.0.0.1", 0)
    port = server.sockets[0].getsockname()[1]
    print(json.dumps({"ws": f"ws://127.0.0.1:{port}/v1"}), flush=True)
    loop = asyncio.get_running_loop()
    # The parent closes our stdin to stop us (and it closes if the parent dies).
    await loop.run_in_executor(None, sys.stdin.read)
    server.close()


if __name__ == "__main__":
    asyncio.run(_main(int(sys.argv[1])))
