"""Small socket-level HTTP servers on 127.0.0.1 that misbehave on purpose.

A ``RawServer`` accepts connections on a thread and hands each one to a behaviour function,
which reads the request with ``read_request`` and answers (or not) with raw bytes.
"""

from __future__ import annotations

import json
import socket
import ssl
import threading
import zlib
from dataclasses import dataclass, field
from typing import Callable
from urllib.parse import quote, quote_plus


@dataclass
class Request:
    """A request as it arrived on the socket."""

    request_line: str
    headers: dict[str, str]
    body: bytes = b""

    @property
    def method(self) -> str:
        return self.request_line.split(" ")[0]

    @property
    def target(self) -> str:
        return self.request_line.split(" ")[1]


def read_request(conn: socket.socket, keep_body: bool = True) -> Request | None:
    """Read one HTTP/1.1 request (headers, then Content-Length bytes of body)."""
    data = b""
    while b"\r\n\r\n" not in data:
        chunk = conn.recv(65536)
        if not chunk:
            return None
        data += chunk
    head, _, rest = data.partition(b"\r\n\r\n")
    lines = head.decode("latin-1").split("\r\n")
    headers = {}
    for line in lines[1:]:
        name, _, value = line.partition(":")
        headers[name.strip().lower()] = value.strip()
    length = int(headers.get("content-length", "0"))
    body = bytearray(rest) if keep_body else bytearray()
    received = len(rest)
    while received < length:
        chunk = conn.recv(min(1 << 20, length - received))
        if not chunk:
            break
        received += len(chunk)
        if keep_body:
            body += chunk
    return Request(lines[0], headers, bytes(body))


def response(
    status: int = 200,
    body: bytes = b"{}",
    content_type: str = "application/json",
    extra: str = "",
    length: int | None = None,
    close: bool = True,
) -> bytes:
    """Raw bytes of an HTTP/1.1 response (``length`` may lie about the body's size).

    With ``close`` it says ``Connection: close``, as a server that then closes must.
    """
    size = len(body) if length is None else length
    connection = "Connection: close\r\n" if close else ""
    head = (
        f"HTTP/1.1 {status} Status\r\nContent-Type: {content_type}\r\n"
        f"Content-Length: {size}\r\n{connection}{extra}\r\n"
    )
    return head.encode() + body


Behaviour = Callable[[socket.socket, "RawServer"], None]


@dataclass
class RawServer:
    """A TCP server on 127.0.0.1 running ``behaviour`` for every connection."""

    behaviour: Behaviour
    tls: ssl.SSLContext | None = None
    requests: list[Request] = field(default_factory=list)
    connections: int = 0

    def __post_init__(self) -> None:
        self._sock = socket.create_server(("127.0.0.1", 0))
        self.port = self._sock.getsockname()[1]
        self._stop = threading.Event()
        self._threads: list[threading.Thread] = []
        self._accepter = threading.Thread(target=self._accept, daemon=True)
        self._accepter.start()

    @property
    def url(self) -> str:
        scheme = "https" if self.tls else "http"
        return f"{scheme}://127.0.0.1:{self.port}/api"

    def _accept(self) -> None:
        while not self._stop.is_set():
            try:
                conn, _ = self._sock.accept()
            except OSError:
                return
            self.connections += 1
            thread = threading.Thread(target=self._serve, args=(conn,), daemon=True)
            self._threads.append(thread)
            thread.start()

    def _serve(self, conn: socket.socket) -> None:
        try:
            if self.tls is not None:
                conn = self.tls.wrap_socket(conn, server_side=True)
            self.behaviour(conn, self)
        except (OSError, ssl.SSLError):
            pass
        finally:
            conn.close()

    def record(self, conn: socket.socket, keep_body: bool = True) -> Request | None:
        """Read a request from ``conn`` and keep it in ``requests``."""
        request = read_request(conn, keep_body)
        if request is not None:
            self.requests.append(request)
        return request

    def close(self) -> None:
        self._stop.set()
        self._sock.close()
        for thread in self._threads:
            thread.join(timeout=5)

    def __enter__(self) -> RawServer:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def answer(raw: bytes, keep_alive: bool = False) -> Behaviour:
    """Read each request and answer it with ``raw``; close unless ``keep_alive``."""

    def behaviour(conn: socket.socket, server: RawServer) -> None:
        while server.record(conn) is not None:
            conn.sendall(raw)
            if not keep_alive:
                return

    return behaviour


def close_without_answer(conn: socket.socket, server: RawServer) -> None:
    """Read the request, then close the connection without a response."""
    server.record(conn)


def reset_after_request(conn: socket.socket, server: RawServer) -> None:
    """Read the request, then reset the connection (RST, not FIN)."""
    server.record(conn)
    conn.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, b"\x01\x00\x00\x00\x00\x00\x00\x00")


def stall(seconds: float) -> Behaviour:
    """Read the request, then say nothing for ``seconds``."""

    def behaviour(conn: socket.socket, server: RawServer) -> None:
        server.record(conn)
        server._stop.wait(seconds)

    return behaviour


def reset(conn: socket.socket) -> None:
    """Make closing ``conn`` send a reset (RST) instead of a FIN."""
    conn.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, b"\x01\x00\x00\x00\x00\x00\x00\x00")


def trickle(raw: bytes, every: float, at_once: int = 0) -> Behaviour:
    """Read the request, send the first ``at_once`` bytes of ``raw``, then the rest one byte
    every ``every`` seconds (each byte well within a read timeout, the whole far beyond)."""

    def behaviour(conn: socket.socket, server: RawServer) -> None:
        server.record(conn)
        conn.sendall(raw[:at_once])
        for i in range(at_once, len(raw)):
            if server._stop.wait(every):
                return
            conn.sendall(raw[i : i + 1])

    return behaviour


def echoed(request: Request) -> str:
    """A request as a server that echoes it would show it: the request line, the headers and
    the body, one after the other in several encodings (raw, ``quote``, ``quote_plus``,
    JSON-escaped with and without ``\\/``)."""
    raw = "\r\n".join(
        [
            request.request_line,
            *(f"{k}: {v}" for k, v in request.headers.items()),
            "",
            request.body.decode("latin-1"),
        ]
    )
    escaped = json.dumps(raw)[1:-1]
    return "\n".join([raw, quote(raw, safe=""), quote(raw), quote_plus(raw), escaped])


def echo(status: int = 200, as_error_type: str | None = None) -> Behaviour:
    """Answer each request with the request itself (see ``echoed``): in the body (a cielo24
    error whose ErrorComment is the echo with ``as_error_type``, HTML otherwise), and in the
    Location, Set-Cookie and X-Echo headers. Keeps the connection open."""

    def behaviour(conn: socket.socket, server: RawServer) -> None:
        while (request := server.record(conn)) is not None:
            text = echoed(request)
            if as_error_type is None:
                body, content_type = f"<html>{text}</html>".encode(), "text/html"
            else:
                error = {"ErrorType": as_error_type, "ErrorComment": text}
                body, content_type = json.dumps(error).encode(), "application/json"
            one_line = text.replace("\r\n", " | ").replace("\n", " | ")
            extra = (
                f"Location: {request.target}\r\n"
                f"Set-Cookie: echo={quote(one_line, safe='')}; Path=/\r\n"
                f"X-Echo: {one_line}\r\n"
            )
            conn.sendall(response(status, body, content_type, extra, close=False))

    return behaviour


def gzip_bomb(decoded_size: int) -> bytes:
    """A gzip body of ``decoded_size`` zero bytes (about a thousandth of that compressed)."""
    compressor = zlib.compressobj(9, zlib.DEFLATED, 31)  # 31: the gzip format
    block = bytes(1 << 20)
    parts = [compressor.compress(block) for _ in range(decoded_size // len(block))]
    return b"".join(parts) + compressor.flush()


def deep_json(depth: int) -> bytes:
    """A JSON array nested ``depth`` levels deep."""
    return b"[" * depth + b"]" * depth


def huge_json(size: int, declare_length: bool = False) -> Behaviour:
    """Read the request, then answer a JSON object of about ``size`` bytes, in 1 MiB blocks:
    with no Content-Length (the end is the connection's end), or with it declared."""
    item = b'{"JobId": "' + b"0" * 32 + b'", "JobName": "' + b"x" * 40 + b'"},'
    block = item * ((1 << 20) // len(item))
    count = max(1, size // len(block))
    head_body, tail = b'{"ActiveJobs": [', b"{}]}"
    length = len(head_body) + count * len(block) + len(tail)

    def behaviour(conn: socket.socket, server: RawServer) -> None:
        server.record(conn)
        declared = f"Content-Length: {length}\r\n" if declare_length else ""
        conn.sendall(
            f"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n{declared}"
            "Connection: close\r\n\r\n".encode()
            + head_body
        )
        for _ in range(count):
            conn.sendall(block)
        conn.sendall(tail)

    return behaviour


def reset_mid_upload(after: int, then: bytes) -> Behaviour:
    """On the first connection, read the request's headers and about ``after`` bytes of its
    body, then reset the connection; on the others, read the request and answer ``then``."""

    def behaviour(conn: socket.socket, server: RawServer) -> None:
        if server.connections > 1:
            if server.record(conn) is not None:
                conn.sendall(then)
            return
        data = b""
        while b"\r\n\r\n" not in data or len(data) < after:
            chunk = conn.recv(65536)
            if not chunk:
                break
            data += chunk
        server.requests.append(Request(data.split(b"\r\n")[0].decode(), {}, data))
        reset(conn)

    return behaviour
