"""The HTTP layer: a threading HTTP/1.1 server, request decoding, routing, error answers."""

from __future__ import annotations

import contextlib
import logging
import os
import socket
import socketserver
import sys
import threading
import time
from collections.abc import Mapping
from email.message import Message
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import SplitResult, parse_qs, urlsplit

from . import accounts, jobs, media, products, reports
from .errors import INVALID_OPTION, INVALID_QUERY, ApiError
from .params import (
    FORM,
    JSON,
    Params,
    check_names,
    form_fields,
    json_fields,
    json_parameters,
    last_values,
    merge_places,
    parse_query,
)
from .protocol import (
    BLOCK_SIZE,
    Body,
    ClientDisconnected,
    Request,
    Response,
    Route,
    media_type,
)
from .state import RequestRecord, State

ROUTES: dict[str, Route] = {
    **accounts.ROUTES,
    **jobs.ROUTES,
    **media.ROUTES,
    **reports.ROUTES,
    **products.ROUTES,
}
"""Every endpoint, by path (a path ending in ``/`` is a prefix: see Route.prefix)."""

MAX_PARAMETER_BODY = 1 << 20
"""The largest form or JSON body read for parameters (1 MiB)."""

LINGER_SECONDS = 2.0
"""How long to keep draining a client's unread body after refusing it, so it reads the answer."""

IDLE_TIMEOUT_SECONDS = 5.0
"""How long a keep-alive connection may wait for its next request before it is closed."""

MAX_CONNECTIONS = 64
"""How many connections are served at once; more wait in the listen queue to be accepted."""

ACCEPT_POLL_SECONDS = 0.05
"""How often a full server waiting for a free connection slot checks whether it is stopping."""

NOT_FOUND = Response.text(404, "Not Found")

logger = logging.getLogger(__name__)


class EmulatorServer(ThreadingHTTPServer):
    """A threading HTTP server (daemon threads) that answers from a :class:`State`.

    It serves at most ``max_connections`` connections at once (one thread each); further
    connections wait in the listen queue until one ends. A keep-alive connection that sends
    no new request for ``idle_timeout`` seconds is closed. ``strict`` refuses parameter names
    a route does not document. It tracks its open connections so that
    :meth:`close_connections` can end them at shutdown.
    """

    daemon_threads = True
    request_queue_size = 128

    def __init__(
        self,
        address: tuple[str, int],
        state: State,
        routes: Mapping[str, Route] = ROUTES,
        *,
        strict: bool = False,
        idle_timeout: float = IDLE_TIMEOUT_SECONDS,
        max_connections: int = MAX_CONNECTIONS,
    ) -> None:
        self.state = state
        self.routes = routes
        self.strict = strict
        self.idle_timeout = idle_timeout
        self._slots = threading.BoundedSemaphore(max_connections)
        self._stopping = threading.Event()
        self._connections: set[socket.socket] = set()
        self._connections_lock = threading.Lock()
        if ":" in address[0]:
            self.address_family = socket.AF_INET6
        super().__init__(address, RequestHandler)

    def server_bind(self) -> None:
        """Bind without HTTPServer's reverse DNS lookup of the host, which can be slow."""
        socketserver.TCPServer.server_bind(self)
        self.server_name = str(self.server_address[0])
        self.server_port = int(self.server_address[1])

    def get_request(self) -> tuple[socket.socket, Any]:
        """Wait for a free connection slot, then accept a connection and remember it.

        Raises:
            OSError: the server is stopping (serve_forever then checks its shutdown flag).
        """
        while not self._slots.acquire(timeout=ACCEPT_POLL_SECONDS):
            if self._stopping.is_set():
                raise OSError("the emulator is stopping")
        try:
            connection, address = super().get_request()
        except BaseException:
            self._slots.release()
            raise
        with self._connections_lock:
            self._connections.add(connection)
        return connection, address

    def shutdown_request(self, request: socket.socket | tuple[bytes, socket.socket]) -> None:
        """Forget and close a connection, freeing its slot."""
        if isinstance(request, socket.socket):
            with self._connections_lock:
                self._connections.discard(request)
        try:
            super().shutdown_request(request)
        finally:
            self._slots.release()

    def shutdown(self) -> None:
        """Stop serve_forever, even while it waits for a free connection slot."""
        self._stopping.set()
        super().shutdown()

    def close_connections(self) -> None:
        """End every open connection, idle or busy; their threads then finish."""
        with self._connections_lock:
            connections = list(self._connections)
        for connection in connections:
            with contextlib.suppress(OSError):
                connection.shutdown(socket.SHUT_RDWR)

    def handle_error(
        self, request: socket.socket | tuple[bytes, socket.socket], client_address: Any
    ) -> None:
        """Stay quiet when a client drops its connection; log anything else."""
        if isinstance(sys.exc_info()[1], OSError):
            return
        logger.error("the emulator failed on a connection", exc_info=True)


class RequestHandler(BaseHTTPRequestHandler):
    """Decodes one request at a time on a keep-alive connection and routes it to a handler."""

    server: EmulatorServer  # pyright: ignore[reportIncompatibleVariableOverride]  # socketserver sets it to the EmulatorServer that built the handler
    protocol_version = "HTTP/1.1"
    # Headers and body go out in separate writes; with Nagle's algorithm on, the body would
    # wait for the client's delayed ACK (about 40 ms on Linux) on every keep-alive request.
    disable_nagle_algorithm = True
    _linger = False
    _continue_expected = False

    def version_string(self) -> str:
        """The Server header."""
        return "cielo24-emulator"

    def log_message(self, format: str, *args: Any) -> None:
        """Log nothing: request lines carry the api_token."""

    def handle_expect_100(self) -> bool:
        """Defer "100 Continue" until the body is read, so that a refusal can come first."""
        self._continue_expected = True
        return True

    def _send_continue(self) -> None:
        """Invite the client to send the body it announced with ``Expect: 100-continue``."""
        if self._continue_expected:
            self._continue_expected = False
            self.send_response_only(100)
            self.end_headers()

    def handle_one_request(self) -> None:
        """Wait at most the idle timeout for the next request line and headers."""
        self.connection.settimeout(self.server.idle_timeout)
        super().handle_one_request()

    def parse_request(self) -> bool:
        """Read the headers (under the idle timeout); the body and the answer have none."""
        parsed = super().parse_request()
        self.connection.settimeout(None)
        return parsed

    def do_GET(self) -> None:
        """Answer a GET."""
        self._handle_api()

    def do_POST(self) -> None:
        """Answer a POST."""
        self._handle_api()

    def do_PUT(self) -> None:
        """Answer a PUT (an upload to a pre-signed URL)."""
        self._handle_api()

    def _handle_api(self) -> None:
        """Record the request, answer it, and decide whether the connection stays open."""
        url = urlsplit(self.path)
        headers = _lower_case(self.headers)
        record = RequestRecord(
            method=self.command,
            path=url.path,
            query=parse_qs(url.query, keep_blank_values=True, errors="replace"),
            headers=headers,
            content_type=media_type(headers.get("content-type")),
        )
        self.server.state.record(record)
        body = Body(self.rfile, before_read=self._send_continue)
        try:
            response = self._answer(url, headers, body, record)
        except ClientDisconnected:
            self.close_connection = True
            return
        finally:
            record.body_size = body.consumed
            self._continue_expected = False
        close = response.close or body.remaining > 0
        self._send(response, close=close)
        self._linger = close

    def _answer(
        self, url: SplitResult, headers: Mapping[str, str], body: Body, record: RequestRecord
    ) -> Response:
        """The response to one request; every refusal becomes the service's error answer."""
        try:
            body.length = _body_length(headers)
            route = _find_route(self.server.routes, url.path)
            if route is None:
                return NOT_FOUND
            if self.command not in route.methods:
                raise _method_not_allowed(url.path, self.command, route.methods)
            username = None
            if route.api:
                _read_parameters(route, url.query, body, record)
                if self.server.strict:
                    check_names(
                        "parameter",
                        record.params,
                        route.names | route.tolerated,
                        route.names,
                        url.path,
                    )
                params = Params(record.params)
                _check_version(params, required=route.needs_version)
                if route.needs_token:
                    username = self.server.state.authenticate(params.required("api_token"))
            else:
                record.params, record.sources = merge_places(
                    {"query": last_values(parse_query(url.query))}
                )
                params = Params(record.params)
            request = Request(
                self.command, url.path, headers, params, body, username, self.server.strict
            )
            return route.handler(request, self.server.state)
        except ApiError as error:
            return Response.error(error)
        except ClientDisconnected:
            raise
        except Exception as exc:
            logger.error("the emulator failed on %s %s", self.command, url.path, exc_info=True)
            return Response.crash(exc)

    def _send(self, response: Response, close: bool) -> None:
        """Write the response: always framed by Content-Length, except a bodiless 204.

        A file body is streamed in blocks; if it vanished meanwhile, the answer is a 404.
        """
        file = None
        length = len(response.body)
        if response.file is not None:
            try:
                file = response.file.open("rb")
                length = os.fstat(file.fileno()).st_size
            except OSError:
                response = NOT_FOUND
                length = len(response.body)
        try:
            self.send_response(response.status)
            if response.content_type is not None:
                self.send_header("Content-Type", response.content_type)
            for name, value in response.headers:
                self.send_header(name, value)
            if response.status != 204:
                self.send_header("Content-Length", str(length))
            if close:
                self.send_header("Connection", "close")
            self.end_headers()
            if file is None:
                self.wfile.write(response.body)
            else:
                while block := file.read(BLOCK_SIZE):
                    self.wfile.write(block)
        finally:
            if file is not None:
                file.close()

    def finish(self) -> None:
        """Flush, then, after refusing a body, drain it for a while before closing.

        Closing a socket with unread data makes the kernel reset the connection, and the
        client may then lose the answer before reading it; draining avoids that.
        """
        super().finish()
        if self._linger:
            _drain(self.connection)


def _lower_case(headers: Message) -> dict[str, str]:
    """Headers by lower-case name; repeated headers are joined with commas."""
    result: dict[str, str] = {}
    for name, value in headers.items():
        key = name.lower()
        result[key] = f"{result[key]}, {value}" if key in result else value
    return result


def _body_length(headers: Mapping[str, str]) -> int | None:
    """The announced body size, or None without Content-Length.

    Raises:
        ApiError: for any Transfer-Encoding (chunked is not supported) or a malformed
            Content-Length; the connection is then closed, since the body cannot be framed.
    """
    encoding = headers.get("transfer-encoding")
    if encoding is not None:
        raise ApiError(INVALID_QUERY, f"{encoding} transfer encoding is not supported", close=True)
    value = headers.get("content-length")
    if value is None:
        return None
    digits = value.strip()
    if not (digits.isascii() and digits.isdigit()):
        raise ApiError(INVALID_QUERY, f"invalid Content-Length {value!r}", close=True)
    return int(digits)


def _read_parameters(route: Route, query: str, body: Body, record: RequestRecord) -> None:
    """Read the parameters of the query and of a form or JSON body into ``record``.

    A body without a Content-Type is read as a form (older clients send forms that way),
    except on a route whose body may be a raw upload; a body of any other type is payload.

    Raises:
        ApiError: INVALID_QUERY for a body over MAX_PARAMETER_BODY, a body that does not
            decode, or two places carrying different values for one name.
    """
    places = {"query": last_values(parse_query(query))}
    body_type = record.content_type
    if body_type is None and not route.raw_body and body.remaining > 0:
        body_type = FORM
    if body_type in (FORM, JSON):
        if body.remaining > MAX_PARAMETER_BODY:
            raise ApiError(
                INVALID_QUERY, f"a {body_type} body is limited to {MAX_PARAMETER_BODY} bytes"
            )
        data = body.read()
        if body_type == FORM:
            record.form = form_fields(data)
            places["form"] = last_values(record.form)
        else:
            record.json = json_fields(data)
            places["json"] = json_parameters(record.json or {})
    record.params, record.sources = merge_places(places)


def _find_route(routes: Mapping[str, Route], path: str) -> Route | None:
    """The route of ``path``: its own, else the prefix route it is under."""
    route = routes.get(path)
    if route is not None:
        return route
    prefix, _, rest = path.rpartition("/")
    route = routes.get(prefix + "/")
    if route is not None and route.prefix and rest:
        return route
    return None


def _method_not_allowed(path: str, method: str, allowed: tuple[str, ...]) -> ApiError:
    """A 405 naming the methods the endpoint takes."""
    methods = ", ".join(allowed)
    return ApiError(
        INVALID_QUERY,
        f"{path} does not accept HTTP {method}; use {methods}",
        status=405,
        headers=(("Allow", methods),),
    )


def _check_version(params: Params, *, required: bool) -> None:
    """Every call names API version 1 (a few newer endpoints may leave it out)."""
    if not required and params.optional("v") is None:
        return
    version = params.required("v")
    if version != "1":
        raise ApiError(INVALID_OPTION, f"invalid v {version!r}: the only API version is 1")


def _drain(connection: socket.socket) -> None:
    """Half-close, then discard what the client still sends, for up to LINGER_SECONDS."""
    deadline = time.monotonic() + LINGER_SECONDS
    try:
        connection.shutdown(socket.SHUT_WR)
        while True:
            left = deadline - time.monotonic()
            if left <= 0:
                break
            connection.settimeout(left)
            if not connection.recv(BLOCK_SIZE):
                break
    except OSError:
        pass
