"""A real HTTP/1.1 server on 127.0.0.1 for the crawler tests, with a log of everything it saw.

asyncio in a background thread, so that it can misbehave the way real servers do: reset a connection,
hang until the client gives up, drip a body, stream 20 MB, trickle a whole body slowly, cut a body short
(a Content-Length larger than the bytes sent, or a chunked body cut inside a chunk, then close). Routes map a path (with or without its
query) to a `Reply` or to a function of the `Request` (the n-th request of a path can differ from the
first: "500, then 200"). Every request is logged as a `Hit` with server-side timestamps on
time.monotonic(), the clock the Fetcher uses, and the server tracks how many requests were in flight
and how many connections were open at once.

Bounded: connections idle for `idle_timeout` are closed, a hanging or dripping reply gives up after
`hang_limit`, and `stop()` closes everything (the class is a context manager).
"""

from __future__ import annotations

import asyncio
import contextlib
import itertools
import socket
import struct
import threading
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from urllib.parse import urlsplit


@dataclass
class Request:
    method: str
    target: str  # path?query as sent
    headers: dict[str, str]
    n: int  # 1 for the first request of this target, 2 for the second …

    @property
    def path(self) -> str:
        return urlsplit(self.target).path


@dataclass
class Reply:
    status: int = 200
    body: bytes = b""
    headers: dict[str, str] = field(default_factory=dict)
    # send | reset | hang | drip | stream | trickle | truncate | chunk_cut
    #   trickle:   the whole body with a correct Content-Length, `size` bytes at a time, `interval` apart
    #   truncate:  Content-Length says len(body) + max(size, 1) (`size` bytes go missing), only the body
    #              is sent, then the server closes the connection (FIN, not a reset)
    #   chunk_cut: chunked; the body in chunks of max(size, 1) bytes, except that the last chunk's
    #              header promises more bytes than follow; then the server closes the connection
    action: str = "send"
    size: int = 0  # stream: bytes to send (trickle, truncate, chunk_cut: see above)
    chunked: bool = False  # stream: no Content-Length, chunked transfer encoding
    interval: float = 0.2  # drip: seconds between bytes; trickle: seconds between pieces

    @classmethod
    def html(cls, text: str, status: int = 200, charset: str | None = "utf-8", **headers: str) -> Reply:
        ctype = "text/html" + (f"; charset={charset}" if charset else "")
        return cls(status, text.encode("utf-8"), {"Content-Type": ctype, **headers})


Route = Reply | Callable[[Request], Reply]


@dataclass
class Hit:
    method: str
    target: str
    headers: dict[str, str]
    conn: int
    start: float
    end: float = 0.0  # when the response was sent (the client gave up, for hang/drip/stream replies)
    status: int | None = None
    action: str = ""  # how it was answered (send, reset, hang, drip, stream, trickle, truncate, chunk_cut)
    # The body, once all of it (and the head) went out to the socket: only for send and trickle
    # replies that were sent to the end; None for a reply that was cut, abandoned or had no body to send.
    delivered: bytes | None = None

    @property
    def path(self) -> str:
        return urlsplit(self.target).path


_REASONS = {
    200: "OK",
    301: "Moved Permanently",
    302: "Found",
    304: "Not Modified",
    307: "Temporary Redirect",
    308: "Permanent Redirect",
    404: "Not Found",
    429: "Too Many Requests",
    500: "Internal Server Error",
    502: "Bad Gateway",
    503: "Service Unavailable",
    504: "Gateway Timeout",
}


class TestServer:
    """`with TestServer(routes) as server: ... server.url ... server.hits`"""

    __test__ = False  # not a pytest test class

    def __init__(
        self, routes: Mapping[str, Route], *, idle_timeout: float = 5.0, hang_limit: float = 10.0
    ) -> None:
        self.routes: dict[str, Route] = dict(routes)
        self.idle_timeout = idle_timeout
        self.hang_limit = hang_limit
        self.hits: list[Hit] = []
        self.inflight = self.max_inflight = 0
        self.open_connections = self.max_open_connections = 0
        self._counts: dict[str, int] = {}
        self._conn_ids = itertools.count(1)
        self._loop = asyncio.new_event_loop()
        self._thread = threading.Thread(target=self._loop.run_forever, name="testsite", daemon=True)
        self._server: asyncio.base_events.Server | None = None
        self._tasks: set[asyncio.Task[None]] = set()
        self.port = 0

    # -- lifecycle -------------------------------------------------------------------------------------
    def start(self) -> TestServer:
        self._thread.start()
        future = asyncio.run_coroutine_threadsafe(self._start(), self._loop)
        future.result(timeout=10)
        return self

    async def _start(self) -> None:
        self._server = await asyncio.start_server(self._serve, "127.0.0.1", 0)
        self.port = self._server.sockets[0].getsockname()[1]

    def stop(self) -> None:
        async def shutdown() -> None:
            if self._server is not None:
                self._server.close()
            for task in list(self._tasks):
                task.cancel()
            await asyncio.sleep(0)

        if self._thread.is_alive():
            asyncio.run_coroutine_threadsafe(shutdown(), self._loop).result(timeout=10)
            self._loop.call_soon_threadsafe(self._loop.stop)
            self._thread.join(timeout=10)
        self._loop.close()

    def __enter__(self) -> TestServer:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def host(self) -> str:
        return f"127.0.0.1:{self.port}"

    def seen(self, target: str) -> list[Hit]:
        """Requests for a path (or path?query when `target` has a query)."""
        return [h for h in self.hits if (h.target if "?" in target else h.path) == target]

    # -- serving -----------------------------------------------------------------------------------------
    async def _serve(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        task = asyncio.current_task()
        if task is not None:
            self._tasks.add(task)
        conn = next(self._conn_ids)
        self.open_connections += 1
        self.max_open_connections = max(self.max_open_connections, self.open_connections)
        try:
            for _ in range(1000):
                try:
                    head = await asyncio.wait_for(reader.readuntil(b"\r\n\r\n"), self.idle_timeout)
                except (
                    asyncio.IncompleteReadError,
                    asyncio.LimitOverrunError,
                    TimeoutError,
                    ConnectionError,
                ):
                    break
                request, hit = self._parse(head, conn)
                length = int(request.headers.get("content-length", "0") or 0)
                if length:
                    await reader.readexactly(length)
                self.inflight += 1
                self.max_inflight = max(self.max_inflight, self.inflight)
                try:
                    keep = await self._respond(self._route(request), request, hit, reader, writer)
                finally:
                    hit.end = hit.end or time.monotonic()
                    self.inflight -= 1
                if not keep:
                    break
        except (ConnectionError, asyncio.CancelledError):
            pass
        finally:
            self.open_connections -= 1
            with contextlib.suppress(Exception):
                writer.close()
            if task is not None:
                self._tasks.discard(task)

    def _parse(self, head: bytes, conn: int) -> tuple[Request, Hit]:
        lines = head.decode("latin-1").split("\r\n")
        method, target, _ = ([*lines[0].split(" ", 2), "", ""])[:3]
        headers: dict[str, str] = {}
        for line in lines[1:]:
            if ":" in line:
                k, v = line.split(":", 1)
                headers[k.strip().lower()] = v.strip()
        self._counts[target] = self._counts.get(target, 0) + 1
        hit = Hit(method, target, headers, conn, time.monotonic())
        self.hits.append(hit)
        return Request(method, target, headers, self._counts[target]), hit

    def _route(self, request: Request) -> Reply:
        route = self.routes.get(request.target) or self.routes.get(request.path)
        if route is None:
            return Reply.html("<html><body><h1>404</h1></body></html>", 404)
        return route(request) if callable(route) else route

    async def _respond(
        self,
        reply: Reply,
        request: Request,
        hit: Hit,
        reader: asyncio.StreamReader,
        writer: asyncio.StreamWriter,
    ) -> bool:
        hit.status, hit.action = reply.status, reply.action
        if reply.action == "reset":
            hit.end = time.monotonic()
            sock = writer.get_extra_info("socket")
            if sock is not None:
                sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
            writer.transport.abort()
            return False
        if reply.action == "hang":
            await self._until_closed(reader, self.hang_limit)
            return False
        headers = {"Server": "vaxnews-testsite", **reply.headers}
        if reply.action == "send":
            headers.setdefault("Content-Length", str(len(reply.body)))
            # `end` is taken before the bytes go out: the client cannot have the response any earlier,
            # so gaps measured from it never overstate the client's politeness (thread scheduling can
            # only delay the server's own clock readings).
            hit.end = time.monotonic()
            writer.write(self._head(reply.status, headers) + reply.body)
            try:
                await writer.drain()
            except ConnectionError:
                return False
            hit.delivered = reply.body if reply.body else None
            return headers.get("Connection", "").lower() != "close"
        if reply.action in ("trickle", "truncate", "chunk_cut"):
            return await self._respond_in_pieces(reply, headers, hit, writer)
        if reply.action == "drip":
            headers["Content-Length"] = "100000"
            writer.write(self._head(reply.status, headers))
            deadline = time.monotonic() + self.hang_limit
            try:
                while time.monotonic() < deadline:
                    writer.write(b"x")
                    await writer.drain()
                    if await self._until_closed(reader, reply.interval):
                        break
            except ConnectionError:
                pass
            return False
        # stream: a large body, with or without Content-Length
        if reply.chunked:
            headers["Transfer-Encoding"] = "chunked"
        else:
            headers["Content-Length"] = str(reply.size)
        writer.write(self._head(reply.status, headers))
        chunk = b"<p>" + "टीका ".encode() * 4000 + b"</p>\n"
        sent = 0
        try:
            while sent < reply.size:
                piece = chunk[: reply.size - sent]
                writer.write(b"%x\r\n%s\r\n" % (len(piece), piece) if reply.chunked else piece)
                await writer.drain()
                sent += len(piece)
            if reply.chunked:
                writer.write(b"0\r\n\r\n")
                await writer.drain()
        except ConnectionError:
            return False
        return True

    async def _respond_in_pieces(
        self, reply: Reply, headers: dict[str, str], hit: Hit, writer: asyncio.StreamWriter
    ) -> bool:
        """trickle (complete, slowly), truncate and chunk_cut (cut short, then closed)."""
        body, step = reply.body, max(reply.size, 1)
        if reply.action == "chunk_cut":
            headers["Transfer-Encoding"] = "chunked"
        else:
            missing = step if reply.action == "truncate" else 0
            headers["Content-Length"] = str(len(body) + missing)
        try:
            writer.write(self._head(reply.status, headers))
            await writer.drain()
            if reply.action == "truncate":
                writer.write(body)
                await writer.drain()
            elif reply.action == "chunk_cut":
                pieces = [body[i : i + step] for i in range(0, len(body), step)] or [b""]
                for piece in pieces[:-1]:
                    writer.write(b"%x\r\n%s\r\n" % (len(piece), piece))
                last = pieces[-1]
                # The header promises the whole last piece and more; only half of it follows.
                writer.write(b"%x\r\n%s" % (len(last) + step, last[: len(last) // 2]))
                await writer.drain()
            else:
                for start in range(0, len(body), step):
                    writer.write(body[start : start + step])
                    await writer.drain()
                    if start + step < len(body):
                        await asyncio.sleep(reply.interval)
                hit.end = time.monotonic()
                hit.delivered = body if body else None
                return True
        except ConnectionError:
            return False
        hit.end = time.monotonic()
        with contextlib.suppress(Exception):
            if writer.can_write_eof():
                writer.write_eof()  # FIN after the short body: the client sees a clean close, not a reset
        return False

    @staticmethod
    def _head(status: int, headers: dict[str, str]) -> bytes:
        lines = [f"HTTP/1.1 {status} {_REASONS.get(status, 'Status')}"]
        lines += [f"{k}: {v}" for k, v in headers.items()]
        return ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1")

    @staticmethod
    async def _until_closed(reader: asyncio.StreamReader, limit: float) -> bool:
        """Wait until the client closes the connection (True) or `limit` seconds pass (False)."""
        try:
            data = await asyncio.wait_for(reader.read(1024), limit)
        except TimeoutError:
            return False
        except ConnectionError:
            return True
        return data == b""


def gaps(hits: list[Hit]) -> list[tuple[Hit, float]]:
    """(previous hit, seconds from the end of its response to the start of the next request), on the
    server's clock. After a reply the client abandoned (hang, stream), `end` is when the server noticed,
    a little after the client gave up."""
    ordered = sorted(hits, key=lambda h: h.start)
    return [(a, b.start - a.end) for a, b in itertools.pairwise(ordered)]
