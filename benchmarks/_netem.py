"""A small TCP proxy for the benchmarks: forwards bytes to a target and can make the link
slow, like a laptop on a weak mobile connection.

Each direction is one shared link: a chunk waits until the link is free, takes
`len * 8 / rate` seconds on it, then `delay` seconds to arrive (half the round trip). A new
connection costs one round trip before its first byte arrives (TCP's handshake). The
proxy counts the bytes it forwards in each direction. TLS stays end to end: the proxy
sees only ciphertext.

Runs its own asyncio loop on a background thread:

    with Netem(("127.0.0.1", 8443), rate_bps=1_000_000, delay=0.15) as link:
        ...connect to ("127.0.0.1", link.port)...
        link.bytes_up, link.bytes_down
"""

from __future__ import annotations

import asyncio
import contextlib
import threading
import time
from typing import Any

CHUNK = 16 * 1024


class _Link:
    """One direction: when the link is free again."""

    def __init__(self, rate_bps: float | None, delay: float) -> None:
        self.rate_bps = rate_bps
        self.delay = delay
        self.free_at = 0.0

    def deliver_at(self, arrived: float, size: int) -> float:
        start = max(self.free_at, arrived)
        self.free_at = start + (size * 8 / self.rate_bps if self.rate_bps else 0.0)
        return self.free_at + self.delay


class Netem:
    def __init__(
        self, target: tuple[str, int], rate_bps: float | None = None, delay: float = 0.0
    ) -> None:
        self.target = target
        self.up = _Link(rate_bps, delay)
        self.down = _Link(rate_bps, delay)
        self.bytes_up = 0  # laptop -> office
        self.bytes_down = 0  # office -> laptop
        self.connections = 0
        self.port = 0
        self._loop = asyncio.new_event_loop()
        self._thread = threading.Thread(target=self._loop.run_forever, daemon=True)
        self._server: asyncio.Server | None = None

    def reset(self) -> None:
        self.bytes_up = self.bytes_down = self.connections = 0

    def __enter__(self) -> Netem:
        self._thread.start()
        future = asyncio.run_coroutine_threadsafe(self._start(), self._loop)
        future.result(10)
        return self

    def __exit__(self, *exc: Any) -> None:
        async def stop() -> None:
            if self._server is not None:
                self._server.close()

        asyncio.run_coroutine_threadsafe(stop(), self._loop).result(10)
        self._loop.call_soon_threadsafe(self._loop.stop)
        self._thread.join(10)

    async def _start(self) -> None:
        self._server = await asyncio.start_server(self._handle, "127.0.0.1", 0)
        self.port = int(self._server.sockets[0].getsockname()[1])

    async def _handle(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        self.connections += 1
        opened = time.monotonic()
        try:
            up_reader, up_writer = await asyncio.open_connection(*self.target)
        except OSError:
            writer.close()
            return
        # TCP's handshake: the first byte can leave one round trip after the connect.
        handshake = opened + self.up.delay + self.down.delay
        tasks = [
            asyncio.create_task(self._pipe(reader, up_writer, self.up, "up", handshake)),
            asyncio.create_task(self._pipe(up_reader, writer, self.down, "down", 0.0)),
        ]
        await asyncio.wait(tasks, return_when=asyncio.ALL_COMPLETED)

    async def _pipe(
        self,
        reader: asyncio.StreamReader,
        writer: asyncio.StreamWriter,
        link: _Link,
        direction: str,
        not_before: float,
    ) -> None:
        queue: asyncio.Queue[tuple[float, bytes]] = asyncio.Queue()

        async def send() -> None:
            while True:
                when, data = await queue.get()
                if not data:
                    break
                wait = when - time.monotonic()
                if wait > 0:
                    await asyncio.sleep(wait)
                writer.write(data)
                with contextlib.suppress(ConnectionError):
                    await writer.drain()
            with contextlib.suppress(OSError, RuntimeError):
                writer.write_eof()

        sender = asyncio.create_task(send())
        try:
            while True:
                try:
                    data = await reader.read(CHUNK)
                except ConnectionError:
                    data = b""
                if not data:
                    break
                if direction == "up":
                    self.bytes_up += len(data)
                else:
                    self.bytes_down += len(data)
                arrived = max(time.monotonic(), not_before)
                queue.put_nowait((link.deliver_at(arrived, len(data)), data))
        finally:
            queue.put_nowait((0.0, b""))
            with contextlib.suppress(Exception):
                await sender
            with contextlib.suppress(Exception):
                writer.close()
