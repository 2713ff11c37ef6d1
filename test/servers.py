"""Small socket-level HTTP servers on 127.0.0.1 that misbehave on purpose.

A ``RawServer`` accepts connections on a thread and hands each one to a behaviour function,
which reads the request with ``read_request`` and answers (or not) with raw bytes.
"""

from __future__ import annotations

import socket
import ssl
import threading
from dataclasses import dataclass, field
from typing import Callable


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
