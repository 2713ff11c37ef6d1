"""The HTTP transport: one urllib3 pool manager, timeouts, transport errors made SDK errors.

Secrets travel in the query string (``api_token``), so every URL is redacted before it reaches
a log record or an exception, urllib3's own log records included.
"""

from __future__ import annotations

import logging
import os
import re
import socket
import ssl
import weakref
from collections.abc import Iterable, Mapping
from typing import Any, Optional, Union
from urllib.parse import urlsplit

import urllib3
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
from urllib3.util.ssl_ import create_urllib3_context

from cielo24.configuration import Configuration
from cielo24.exceptions import (
    ApiConnectionError,
    ApiTimeoutError,
    ApiTLSError,
    ApiValueError,
    Cielo24Error,
)

# Credentials, and the signatures of pre-signed upload URLs (S3, GCS, Azure).
_SECRET_PARAMS = re.compile(
    r"((?:api_token|api_securekey|securekey|password|new_password|x-amz-signature"
    r"|x-amz-credential|x-amz-security-token|x-goog-signature|x-goog-credential|signature|sig)"
    r"=)[^&\s#'\"]*",
    re.IGNORECASE,
)
_OBJECT_REPR = re.compile(r"<[^<>]* at 0x[0-9a-fA-F]+>:? ?")


def redact(text: str) -> str:
    """``text`` with the values of secret query parameters replaced by ``***``."""
    return _SECRET_PARAMS.sub(r"\1***", text)


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


_CLIENTS: weakref.WeakSet[RESTClient] = weakref.WeakSet()


def _forget_connections_after_fork() -> None:
    """In a forked child, drop every client's pools without closing them: their sockets are
    the parent's, still in use there. The child opens its own connections."""
    for client in list(_CLIENTS):
        client._new_pools()  # pyright: ignore[reportPrivateUsage]  # this module's own fork hook


if hasattr(os, "register_at_fork"):
    os.register_at_fork(after_in_child=_forget_connections_after_fork)


class RESTClient:
    """Sends requests through a urllib3 pool manager built from a Configuration.

    Thread-safe: one instance serves many threads, each keeping its own connection while the
    pool has room (``connection_pool_maxsize``).
    """

    def __init__(self, configuration: Configuration) -> None:
        _protect_urllib3_logs()
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
        self._pool = self._host_pool()

    def _host_pool(self) -> urllib3.HTTPConnectionPool | None:
        if self._origin is None:
            return None
        args = self._pool_args
        if self._origin.startswith("http:"):
            args = {k: v for k, v in args.items() if k != "ssl_context"}
        return urllib3.connection_from_url(self._origin, **args)

    def request(
        self,
        method: str,
        url: str,
        body: Body,
        headers: Mapping[str, str],
        timeout: tuple[float | None, float | None],
        preload_content: bool = True,
    ) -> urllib3.BaseHTTPResponse:
        """Send one request; no retries, no redirects followed.

        Raises:
            ApiConnectionError, ApiTimeoutError, ApiTLSError: no usable response arrived.
        """
        timeouts = self._timeouts.get(timeout)
        if timeouts is None:
            timeouts = self._timeouts[timeout] = urllib3.Timeout(
                connect=timeout[0], read=timeout[1]
            )
        options: dict[str, Any] = {
            "body": body,
            "headers": headers,
            "timeout": timeouts,
            "preload_content": preload_content,
            "retries": False,
            "redirect": False,
            "enforce_content_length": True,
        }
        try:
            pool, origin = self._pool, self._origin
            if pool is not None and origin is not None and url.startswith(origin + "/"):
                return pool.urlopen(method, url[len(origin) :], assert_same_host=False, **options)
            return self.pool_manager.urlopen(method, url, **options)
        except (HTTPError, OSError) as exc:
            raise _transport_error(exc, method, url, timeout) from None

    def close(self) -> None:
        """Close every pooled connection (the client still works: it connects again)."""
        if self._pool is not None:
            self._pool.close()
        self.pool_manager.clear()
        self._new_pools()


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


def _transport_error(
    exc: BaseException,
    method: str,
    url: str,
    timeout: tuple[float | None, float | None],
) -> Cielo24Error:
    """The SDK exception for a request that got no usable response; no secret in its text."""
    parts = urlsplit(url)
    origin = f"{parts.scheme}://{parts.netloc}"
    request = f"{method} {origin}{parts.path}"
    detail = root_cause(exc)
    if isinstance(exc, SSLError):
        return ApiTLSError(f"TLS failed for {request}: {detail}")
    if isinstance(exc, ProxyError):
        return ApiConnectionError(f"the proxy failed for {request}: {detail}")
    if isinstance(exc, NewConnectionError):  # before the timeout check: a subclass in urllib3 2
        return ApiConnectionError(f"could not connect to {origin}: {detail}", request_sent=False)
    if isinstance(exc, ReadTimeoutError):
        return ApiTimeoutError(f"{request}: no response within {timeout[1]} s (read timeout)")
    if isinstance(exc, ConnectTimeoutError):
        return ApiTimeoutError(
            f"{request}: could not connect within {timeout[0]} s", request_sent=False
        )
    if isinstance(exc, Urllib3TimeoutError) or _caused_by_timeout(exc):  # a stalled send
        return ApiTimeoutError(f"{request}: no progress for {timeout[0]} s while sending")
    if isinstance(exc, ProtocolError):
        return ApiConnectionError(f"the connection broke during {request}: {detail}")
    return ApiConnectionError(f"{request} failed: {detail}")


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
