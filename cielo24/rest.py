"""The HTTP transport: one urllib3 pool manager, timeouts, transport errors made SDK errors.

Secrets travel in the query string (``api_token``), so every URL is redacted before it reaches
a log record or an exception, urllib3's own log records included.

Every call that is not an upload has a deadline (``RetryPolicy.deadline``, or the per-call
``_request_timeout`` total): each attempt's socket timeouts are cut to the time left, and a
watchdog thread shuts the socket of a call whose deadline passed, so that a server trickling a
byte at a time cannot hold it (a socket timeout bounds each read, not their sum). Answers are
read in blocks up to ``Configuration.max_response_bytes`` and never decoded: the client asks for
``Accept-Encoding: identity`` and refuses any other encoding.
"""

from __future__ import annotations

import contextlib
import json
import logging
import os
import re
import socket
import ssl
import threading
import time
import weakref
from collections.abc import Iterable, Mapping
from http.client import RemoteDisconnected
from typing import Any, Optional, Union, cast
from urllib.parse import urlsplit

import urllib3
from urllib3.connection import HTTPConnection, HTTPSConnection
from urllib3.exceptions import (
    ConnectTimeoutError,
    HTTPError,
    NewConnectionError,
    ProtocolError,
    ProxyError,
    ReadTimeoutError,
    SSLError,
)
from urllib3.exceptions import TimeoutError as Urllib3TimeoutError
from urllib3.util import parse_url
from urllib3.util.ssl_ import create_urllib3_context

from cielo24.configuration import Configuration
from cielo24.exceptions import (
    ApiConnectionError,
    ApiTimeoutError,
    ApiTLSError,
    ApiValueError,
    Cielo24Error,
    UnexpectedResponseError,
    too_deep,
)
from cielo24.masking import redact

__all__ = ["RESTClient", "call_budget", "load_json", "redact", "root_cause"]

_OBJECT_REPR = re.compile(r"<[^<>]* at 0x[0-9a-fA-F]+>:? ?")


class _RedactSecrets(logging.Filter):
    """Masks secrets in the records of urllib3 loggers that print request URLs."""

    def filter(self, record: logging.LogRecord) -> bool:
        if isinstance(record.msg, str):
            record.msg = redact(record.msg)
        if isinstance(record.args, tuple):
            record.args = tuple(redact(a) if isinstance(a, str) else a for a in record.args)
        return True


_URLLIB3_URL_LOGGERS = ("urllib3.connectionpool", "urllib3.poolmanager", "urllib3.util.retry")


def _protect_urllib3_logs() -> None:
    """Add the redacting filter to urllib3's URL-logging loggers (once; nothing else changes)."""
    for name in _URLLIB3_URL_LOGGERS:
        target = logging.getLogger(name)
        if not any(isinstance(f, _RedactSecrets) for f in target.filters):
            target.addFilter(_RedactSecrets())


Timeout = Union[None, float, tuple[Optional[float], Optional[float]]]
Body = Union[bytes, Iterable[bytes], None]

#: How often the watchdog looks for calls past their deadline (seconds).
_WATCH_EVERY = 0.1


class _Call:
    """One request in flight on this thread: its deadline, its socket, what it saw."""

    __slots__ = ("deadline", "expired", "reset", "sock")

    def __init__(self, deadline: float | None) -> None:
        self.deadline = deadline
        #: The connection's socket (kept here: a response that closes the connection after
        #: it holds the only other reference).
        self.sock: socket.socket | None = None
        self.expired = False
        #: The connection was reset before any byte of the answer came.
        self.reset = False

    def expire(self) -> None:
        """The deadline passed: end whatever the connection is waiting for."""
        self.expired = True
        sock = self.sock
        if sock is not None:
            # the plain socket's shutdown, also under TLS: another thread is using it
            with contextlib.suppress(OSError):
                socket.socket.shutdown(sock, socket.SHUT_RDWR)


class _Watchdog:
    """One daemon thread for the process that expires the calls past their deadline. It
    polls while calls are in flight and sleeps when there are none."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._calls: set[_Call] = set()
        self._wake = threading.Event()
        self._thread: threading.Thread | None = None

    def watch(self, call: _Call) -> None:
        with self._lock:
            self._calls.add(call)
            if self._thread is None:
                self._thread = threading.Thread(
                    target=self._run, name="cielo24-deadlines", daemon=True
                )
                self._thread.start()
        if not self._wake.is_set():
            self._wake.set()

    def forget(self, call: _Call) -> None:
        with self._lock:
            self._calls.discard(call)

    def _run(self) -> None:
        while True:
            self._wake.wait()
            time.sleep(_WATCH_EVERY)
            now = time.monotonic()
            with self._lock:
                late = [c for c in self._calls if c.deadline is not None and c.deadline <= now]
                self._calls.difference_update(late)
                if not self._calls:
                    self._wake.clear()
            for call in late:
                call.expire()


_watchdog = _Watchdog()
_local = threading.local()


def _current_call() -> _Call | None:
    call: _Call | None = getattr(_local, "call", None)
    return call


class _WatchedConnection:
    """Mixed into urllib3's connection classes: tells this thread's call which connection it
    uses (for the watchdog), makes a timeout while connecting (a stalled TLS handshake) a
    connect timeout, and notes a reset that came before any byte of the answer."""

    sock: socket.socket | None

    def connect(self) -> None:
        try:
            super().connect()  # type: ignore[misc]
        except (socket.timeout, TimeoutError) as exc:  # socket.timeout: Python < 3.10
            raise ConnectTimeoutError(self, f"timed out while connecting: {exc}") from None
        self._watch()

    def request(self, *args: Any, **kwargs: Any) -> None:
        self._watch()
        super().request(*args, **kwargs)  # type: ignore[misc]

    def getresponse(self) -> Any:
        self._watch()
        try:
            return super().getresponse()  # type: ignore[misc]
        except ConnectionResetError as exc:
            call = _current_call()
            if call is not None and not isinstance(exc, RemoteDisconnected):  # that is a FIN
                call.reset = True
            raise

    def _watch(self) -> None:
        call = _current_call()
        if call is not None and self.sock is not None:
            call.sock = self.sock


class _HTTPConnection(_WatchedConnection, HTTPConnection):
    pass


class _HTTPSConnection(_WatchedConnection, HTTPSConnection):
    pass


class _HTTPConnectionPool(urllib3.HTTPConnectionPool):
    ConnectionCls = _HTTPConnection  # pyright: ignore[reportAssignmentType]  # its subclass


class _HTTPSConnectionPool(urllib3.HTTPSConnectionPool):
    ConnectionCls = _HTTPSConnection  # pyright: ignore[reportAssignmentType]  # its subclass


_POOL_CLASSES: dict[str, type[urllib3.HTTPConnectionPool]] = {
    "http": _HTTPConnectionPool,
    "https": _HTTPSConnectionPool,
}

_CLIENTS: weakref.WeakSet[RESTClient] = weakref.WeakSet()


def _forget_connections_after_fork() -> None:
    """In a forked child, drop every client's pools without closing them: their sockets are
    the parent's, still in use there. The child opens its own connections (and its own
    watchdog thread)."""
    global _watchdog
    _watchdog = _Watchdog()
    for client in list(_CLIENTS):
        client._new_pools()  # pyright: ignore[reportPrivateUsage]  # this module's own fork hook


if hasattr(os, "register_at_fork"):
    os.register_at_fork(after_in_child=_forget_connections_after_fork)


def call_budget(options: Mapping[str, Any], default: float) -> float | None:
    """The seconds a call may take in all: the ``_request_timeout`` it was given (a number, or
    the sum of a ``(connect, read)`` pair; None for no limit), else ``default``."""
    if "_request_timeout" not in options:
        return default
    option = options["_request_timeout"]
    if isinstance(option, tuple):
        # checked by ApiClient before anything is sent
        connect, read = cast("tuple[float | None, float | None]", option)
        return None if connect is None or read is None else float(connect + read)
    return None if option is None else float(option)


def load_json(response: urllib3.BaseHTTPResponse, body: bytes) -> Any:
    """The JSON value of an answer's body; None when it is not JSON.

    Raises:
        UnexpectedResponseError: the JSON nests deeper than MAX_JSON_DEPTH.
    """
    if too_deep(body):
        from cielo24.exceptions import MAX_JSON_DEPTH

        raise UnexpectedResponseError(
            response.status,
            response.reason,
            None,
            response.headers,
            detail=f"the answer's JSON is nested deeper than {MAX_JSON_DEPTH} levels",
        )
    try:
        return json.loads(body)
    except ValueError:
        return None


class RESTClient:
    """Sends requests through a urllib3 pool manager built from a Configuration.

    Thread-safe: one instance serves many threads, each keeping its own connection while the
    pool has room (``connection_pool_maxsize``).
    """

    def __init__(self, configuration: Configuration) -> None:
        _protect_urllib3_logs()
        self.configuration = configuration
        context = None
        if urlsplit(configuration.host).scheme == "https" or configuration.proxy:
            context = _ssl_context(configuration)
        self._pool_args: dict[str, Any] = {"maxsize": configuration.connection_pool_maxsize}
        if context is not None:
            self._pool_args["ssl_context"] = context
        self._proxy = (configuration.proxy, configuration.proxy_headers)
        # Requests to the configured host (nearly all) skip the pool manager's URL parsing and
        # pool lookup: they go straight to this host's pool. Others (a pre-signed upload URL)
        # and everything through a proxy go through the pool manager.
        parts = urlsplit(configuration.host)
        self._origin = None if configuration.proxy else f"{parts.scheme}://{parts.netloc}"
        self._timeouts: dict[tuple[float | None, float | None], urllib3.Timeout] = {}
        self._new_pools()
        _CLIENTS.add(self)

    def _new_pools(self) -> None:
        """Fresh pools, with no connection yet."""
        proxy, proxy_headers = self._proxy
        self.pool_manager: urllib3.PoolManager
        if proxy:
            self.pool_manager = urllib3.ProxyManager(
                proxy, proxy_headers=proxy_headers, **self._pool_args
            )
        else:
            self.pool_manager = urllib3.PoolManager(**self._pool_args)
        self.pool_manager.pool_classes_by_scheme = _POOL_CLASSES
        self._pool = self._host_pool()

    def _host_pool(self) -> urllib3.HTTPConnectionPool | None:
        if self._origin is None:
            return None
        args = self._pool_args
        if self._origin.startswith("http:"):
            args = {k: v for k, v in args.items() if k != "ssl_context"}
        url = parse_url(self._origin)
        scheme = url.scheme or "http"
        port = url.port or (443 if scheme == "https" else 80)
        return _POOL_CLASSES[scheme](url.host or "", port, **args)

    def request(
        self,
        method: str,
        url: str,
        body: Body,
        headers: Mapping[str, str],
        timeout: tuple[float | None, float | None],
        preload_content: bool = True,
        deadline: float | None = None,
    ) -> urllib3.BaseHTTPResponse:
        """Send one request; no retries, no redirects followed.

        With ``preload_content`` (and for every answer that is not a success), the body is
        read, up to ``max_response_bytes``, before this returns. ``deadline`` (a
        ``time.monotonic()`` value) ends the request if it has not ended by then.

        Raises:
            ApiConnectionError, ApiTimeoutError, ApiTLSError: no usable response arrived.
            UnexpectedResponseError: an answer in a content encoding, or larger than the limit.
        """
        call = _Call(deadline)
        if deadline is not None:
            timeout = _within(timeout, deadline - time.monotonic())
            _watchdog.watch(call)
        _local.call = call
        error: Cielo24Error | None = None
        response: urllib3.BaseHTTPResponse | None = None
        try:
            response = self._send(method, url, body, headers, timeout, preload_content)
        except (HTTPError, OSError) as exc:
            streamed = body is not None and not isinstance(body, bytes)
            error = _transport_error(exc, method, url, timeout, call.reset and streamed)
        except Cielo24Error as exc:
            error = exc
        finally:
            _local.call = None
            if deadline is not None:
                _watchdog.forget(call)
        if call.expired and not isinstance(error, ApiTimeoutError):
            # a timeout that fired with the deadline already names its seconds
            if response is not None:
                _discard(response)
            sent = error.request_sent if isinstance(error, ApiConnectionError) else True
            error = ApiTimeoutError(
                f"{_request_text(method, url)}: no complete answer within the call's deadline",
                request_sent=sent,
            )
        if error is not None:
            raise error
        assert response is not None
        return response

    def _send(
        self,
        method: str,
        url: str,
        body: Body,
        headers: Mapping[str, str],
        timeout: tuple[float | None, float | None],
        preload_content: bool,
    ) -> urllib3.BaseHTTPResponse:
        timeouts = self._timeouts.get(timeout)
        if timeouts is None:
            timeouts = urllib3.Timeout(connect=timeout[0], read=timeout[1])
            if len(self._timeouts) < 64:  # per-call timeouts cut to a deadline all differ
                self._timeouts[timeout] = timeouts
        options: dict[str, Any] = {
            "body": body,
            "headers": headers,
            "timeout": timeouts,
            "preload_content": False,
            "decode_content": False,
            "retries": False,
            "redirect": False,
            "enforce_content_length": True,
        }
        pool, origin = self._pool, self._origin
        if pool is not None and origin is not None and url.startswith(origin + "/"):
            response = pool.urlopen(method, url[len(origin) :], assert_same_host=False, **options)
        else:
            response = self.pool_manager.urlopen(method, url, **options)
        encoding = response.headers.get("Content-Encoding")
        if encoding and encoding.strip().lower() != "identity":
            _discard(response)
            raise _refused(response, f"the answer is {encoding}-encoded, which was not asked for")
        if preload_content or not 200 <= response.status < 300:
            _preload(response, self.configuration.max_response_bytes)
        return response

    def close(self) -> None:
        """Close every pooled connection (the client still works: it connects again)."""
        if self._pool is not None:
            self._pool.close()
        self.pool_manager.clear()
        self._new_pools()


def _within(
    timeout: tuple[float | None, float | None], remaining: float
) -> tuple[float | None, float | None]:
    """The timeouts, none longer than the time left to a deadline."""
    remaining = max(remaining, 0.001)
    connect, read = timeout
    if connect is not None and connect <= remaining and read is not None and read <= remaining:
        return timeout
    return (
        remaining if connect is None else min(connect, remaining),
        remaining if read is None else min(read, remaining),
    )


def _preload(response: urllib3.BaseHTTPResponse, limit: int) -> None:
    """Read the whole body into ``response.data``, in blocks, stopping past ``limit``."""
    length = response.length_remaining
    if length is not None and length <= limit:
        response.read(cache_content=True)  # one read of a known size
        return
    if length is None:
        body = bytearray()
        while len(body) <= limit:
            block = response.read(1024 * 1024)
            if not block:
                # urllib3 keeps a preloaded body here, in 1.26 and 2.x alike
                response._body = bytes(body)  # type: ignore[attr-defined]
                return
            body += block
    _discard(response)
    raise _refused(response, f"the answer is larger than max_response_bytes ({limit} bytes)")


def _discard(response: urllib3.BaseHTTPResponse) -> None:
    """Close the response's connection unread (it cannot be used again) and free its slot."""
    response.close()
    response.release_conn()


def _refused(response: urllib3.BaseHTTPResponse, why: str) -> UnexpectedResponseError:
    return UnexpectedResponseError(
        response.status, response.reason, None, response.headers, detail=why
    )


def _ssl_context(configuration: Configuration) -> ssl.SSLContext:
    """One TLS context for every connection; urllib3 checks the host name with it."""
    if not configuration.verify_ssl:
        return create_urllib3_context(cert_reqs=ssl.CERT_NONE)
    context = create_urllib3_context(cert_reqs=ssl.CERT_REQUIRED)
    if configuration.ssl_ca_cert:
        ca_file = configuration.ssl_ca_cert
    else:
        import certifi

        ca_file = certifi.where()
    try:
        context.load_verify_locations(cafile=ca_file)
        if configuration.cert_file:
            context.load_cert_chain(configuration.cert_file, configuration.key_file)
    except (OSError, ssl.SSLError) as exc:
        raise ApiValueError(f"cannot load the TLS certificates: {exc}") from None
    return context


def _request_text(method: str, url: str) -> str:
    """``METHOD scheme://host/path``: a request as errors name it, without its query."""
    parts = urlsplit(url)
    return f"{method} {parts.scheme}://{parts.netloc}{parts.path}"


def _transport_error(
    exc: BaseException,
    method: str,
    url: str,
    timeout: tuple[float | None, float | None],
    upload_reset: bool = False,
) -> ApiConnectionError:
    """The SDK exception for a request that got no usable response; no secret in its text.

    ``upload_reset``: the connection of an upload was reset before any byte of the answer, so
    the service did not take the whole body (it is not sent, as far as retrying goes).
    """
    parts = urlsplit(url)
    origin = f"{parts.scheme}://{parts.netloc}"
    request = _request_text(method, url)
    detail = root_cause(exc)
    connect, read = (_seconds(t) for t in timeout)
    if upload_reset:
        return ApiConnectionError(
            f"the connection was reset before any answer to {request}: {detail}",
            request_sent=False,
        )
    if isinstance(exc, SSLError):
        return ApiTLSError(f"TLS failed for {request}: {detail}")
    if isinstance(exc, ProxyError):
        return ApiConnectionError(f"the proxy failed for {request}: {detail}")
    if isinstance(exc, NewConnectionError):  # before the timeout check: a subclass in urllib3 2
        return ApiConnectionError(f"could not connect to {origin}: {detail}", request_sent=False)
    if isinstance(exc, ReadTimeoutError):
        return ApiTimeoutError(f"{request}: no response within {read} s (read timeout)")
    if isinstance(exc, ConnectTimeoutError):  # TCP, or the TLS handshake
        return ApiTimeoutError(
            f"{request}: could not connect within {connect} s", request_sent=False
        )
    if isinstance(exc, Urllib3TimeoutError) or _caused_by_timeout(exc):  # a stalled send
        return ApiTimeoutError(f"{request}: no progress for {connect} s while sending")
    if isinstance(exc, ProtocolError):
        return ApiConnectionError(f"the connection broke during {request}: {detail}")
    return ApiConnectionError(f"{request} failed: {detail}")


def _seconds(value: float | None) -> str | None:
    """A timeout as messages show it (0.09998... as 0.1)."""
    return None if value is None else f"{round(value, 2):g}"


def _caused_by_timeout(exc: BaseException) -> bool:
    """Whether a socket timed out at the bottom of urllib3's wrapping."""
    # socket.timeout is TimeoutError from Python 3.10 on, a separate OSError before.
    return any(isinstance(cause, (TimeoutError, socket.timeout)) for cause in _chain(exc))


def _chain(exc: BaseException) -> list[BaseException]:
    """``exc`` and what it wraps, outermost first (urllib3 nests causes in its arguments)."""
    seen: list[BaseException] = []
    cause: BaseException | None = exc
    while cause is not None and cause not in seen:
        seen.append(cause)
        nested = [a for a in cause.args if isinstance(a, BaseException)]
        cause = nested[-1] if nested else cause.__cause__ or cause.__context__
    return seen


def root_cause(exc: BaseException) -> str:
    """What went wrong at the bottom of urllib3's wrapping, without object reprs or secrets."""
    deepest = _chain(exc)[-1]
    text = _OBJECT_REPR.sub("", str(deepest)).strip() or type(deepest).__name__
    return redact(text)
