"""ApiClient: turns an endpoint and its arguments into a request, and the response into a model.

Every API method goes through :meth:`ApiClient.call_api`, which checks the arguments before
anything is sent, adds the ``api_token``, serialises the query and the body, sends through the
transport, maps errors to exceptions and reads the response into the endpoint's model.
"""

from __future__ import annotations

import contextlib
import json
import logging
import os
import threading
import time
from collections.abc import Mapping, Sequence
from datetime import date, datetime
from typing import TYPE_CHECKING, Any, BinaryIO, Generic, TypedDict, TypeVar, Union
from urllib.parse import quote, urlencode

import urllib3
from urllib3.exceptions import HTTPError, ReadTimeoutError

from cielo24._version import __version__
from cielo24.configuration import Configuration, logger
from cielo24.exceptions import (
    ApiConnectionError,
    ApiKeyError,
    ApiTimeoutError,
    ApiTypeError,
    ApiValueError,
    BadApiTokenError,
    UnexpectedResponseError,
    exception_for_response,
)
from cielo24.model_utils import Model, _Field
from cielo24.rest import RESTClient, Timeout, redact, root_cause
from cielo24.upload import BLOCK_SIZE, MediaUpload

if TYPE_CHECKING:
    from concurrent.futures import Future, ThreadPoolExecutor

T = TypeVar("T")


class RequestOptions(TypedDict, total=False):
    """Per-call options every API method takes as keyword arguments.

    Keys:
        async_req: run the call on a worker thread and return an :class:`AsyncResult`
            (the thread pool is created the first time this is used).
        _request_timeout: seconds for this call only: one number for both the connect and
            the read timeout, a ``(connect, read)`` pair, or None for no timeout at all.
            Not given: the Configuration's timeouts.
        _preload_content: False returns the raw ``urllib3`` response, unread: read it (or
            call ``drain_conn()``), then ``release_conn()``.
        _return_http_data_only: False returns ``(data, status, headers)``.
        _content_type: the request's Content-Type instead of the operation's; None sends none.
        _extra_params: more query parameters to send, for ones the SDK does not know yet.
    """

    async_req: bool
    _request_timeout: Timeout
    _preload_content: bool
    _return_http_data_only: bool
    _content_type: str | None
    _extra_params: Mapping[str, Any]


_UNSET: Any = object()
_OPTIONS = frozenset(RequestOptions.__annotations__)
_FORM = "application/x-www-form-urlencoded"
#: Where a streamed response is written: a path, or a file open for binary writing.
Destination = Union[str, "os.PathLike[str]", BinaryIO]


class Endpoint:
    """One REST operation: method, path, parameters, body and response types.

    ``response_type`` is a model (a JSON object, or a JSON array of them with
    ``response_list``), ``str`` for a text body, or None for no body. ``fallback_path`` is
    tried once when ``path`` answers a 404 that is not a cielo24 error.
    """

    __slots__ = (
        "auth",
        "body_type",
        "content_type",
        "fallback_path",
        "method",
        "name",
        "param_names",
        "params",
        "path",
        "response_list",
        "response_type",
    )

    def __init__(
        self,
        name: str,
        method: str,
        path: str,
        params: Sequence[_Field],
        *,
        response_type: type[Model] | type[str] | None = None,
        response_list: bool = False,
        body_type: type[Model] | None = None,
        content_type: str | None = None,
        auth: bool = True,
        fallback_path: str | None = None,
    ) -> None:
        self.name = name
        self.method = method
        self.path = path
        self.params = tuple(params)
        self.param_names = frozenset(p.name for p in self.params)
        self.response_type = response_type
        self.response_list = response_list
        self.body_type = body_type
        if content_type is None and body_type is not None:
            content_type = "application/json"
        if content_type is None and any(p.location == "form" for p in self.params):
            content_type = _FORM
        self.content_type = content_type
        self.auth = auth
        self.fallback_path = fallback_path


class _Request:
    """A checked request, ready to send (the token is added when it is sent)."""

    __slots__ = ("data", "destination", "headers", "query", "timeout")

    def __init__(
        self,
        query: str,
        headers: dict[str, str],
        data: bytes | MediaUpload | None,
        timeout: tuple[float | None, float | None],
        destination: Destination | None,
    ) -> None:
        self.query = query
        self.headers = headers
        self.data = data
        self.timeout = timeout
        self.destination = destination


class AsyncResult(Generic[T]):
    """The result of a call made with ``async_req=True``."""

    def __init__(self, future: Future[T]) -> None:
        self._future = future

    def get(self, timeout: float | None = None) -> T:
        """Wait for the call and return its result, or raise its exception."""
        return self._future.result(timeout)

    def ready(self) -> bool:
        """Whether the call has finished."""
        return self._future.done()

    def wait(self, timeout: float | None = None) -> None:
        """Wait until the call has finished (or ``timeout`` seconds have passed)."""
        self._future.exception(timeout)


class ApiClient:
    """Sends API calls for the API classes (JobApi, AccountApi). Use it as a context manager.

    Thread-safe: share one client between threads; each thread keeps its own connection (see
    ``Configuration.connection_pool_maxsize``). With credentials in the Configuration instead
    of a token, it logs in on first use, and again (once per call) when the token expired.
    """

    def __init__(
        self,
        configuration: Configuration | None = None,
        header_name: str | None = None,
        header_value: str | None = None,
    ) -> None:
        self.configuration = configuration if configuration is not None else Configuration()
        self.default_headers = {
            "Accept": "application/json",
            "User-Agent": f"cielo24-python/{__version__}",
        }
        if header_name is not None and header_value is not None:
            self.default_headers[header_name] = header_value
        self.rest_client = RESTClient(self.configuration)
        self._executor: ThreadPoolExecutor | None = None
        self._executor_lock = threading.Lock()
        self._login_lock = threading.Lock()

    def __enter__(self) -> ApiClient:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    def close(self) -> None:
        """Wait for calls made with async_req, then close every connection."""
        if self._executor is not None:
            self._executor.shutdown(wait=True)
            self._executor = None
        self.rest_client.close()

    def set_default_header(self, header_name: str, header_value: str) -> None:
        """Send a header with every request."""
        self.default_headers[header_name] = header_value

    @property
    def user_agent(self) -> str:
        """The User-Agent header sent with every request."""
        return self.default_headers["User-Agent"]

    @user_agent.setter
    def user_agent(self, value: str) -> None:
        self.default_headers["User-Agent"] = value

    def call_api(
        self,
        endpoint: Endpoint,
        params: Mapping[str, Any],
        body: Model | Mapping[str, Any] | MediaUpload | None = None,
        destination: Destination | None = None,
        **options: Any,
    ) -> Any:
        """Check the arguments, send the request and read the response (see RequestOptions).

        With ``destination``, the response body is streamed there (a path is written whole or
        not at all) and the number of bytes written is returned.

        Raises:
            ApiTypeError, ApiValueError, ApiKeyError: bad arguments; nothing was sent.
            ApiException and its subclasses: the service answered with an error.
            ApiConnectionError and its subclasses: no response.
        """
        try:
            request = self._prepare(endpoint, params, body, destination, options)
        except BaseException:
            if isinstance(body, MediaUpload):
                body.close()
            raise
        if options.get("async_req"):
            return AsyncResult(
                self._thread_pool().submit(self._execute, endpoint, request, options)
            )
        return self._execute(endpoint, request, options)

    def _prepare(
        self,
        endpoint: Endpoint,
        params: Mapping[str, Any],
        body: Model | Mapping[str, Any] | MediaUpload | None,
        destination: Destination | None,
        options: Mapping[str, Any],
    ) -> _Request:
        unknown = options.keys() - _OPTIONS
        if unknown:
            names = ", ".join(sorted(unknown))
            raise ApiTypeError(f"{endpoint.name}() got unexpected keyword argument(s): {names}")
        unexpected = params.keys() - endpoint.param_names
        if unexpected:
            names = ", ".join(sorted(unexpected))
            raise ApiTypeError(f"{endpoint.name}() got unexpected keyword argument(s): {names}")
        query: list[tuple[str, str]] = []
        form: list[tuple[str, str]] = []
        headers = dict(self.default_headers)
        for f in endpoint.params:
            value = f.check(params.get(f.name), f"{endpoint.name}()")
            if value is None:
                continue
            text = _wire_value(f.to_wire(value))
            if f.location == "header":
                headers[f.wire] = text
            else:
                (form if f.location == "form" else query).append((f.wire, text))
        extra = options.get("_extra_params") or {}
        if not isinstance(extra, Mapping):
            raise ApiTypeError(f"_extra_params must be a mapping, got {type(extra).__name__}")
        query.extend((str(k), _wire_value(v)) for k, v in extra.items())
        data = self._body(endpoint, body) if not form else urlencode(form).encode()
        content_type = options.get("_content_type", endpoint.content_type)
        if content_type is not None:
            headers["Content-Type"] = content_type
        if isinstance(body, MediaUpload):
            headers["Content-Length"] = str(body.content_length)
        if endpoint.auth and not self.configuration.has_credentials:
            self._token(endpoint)  # no token and no way to get one: refuse before sending
        return _Request(
            urlencode(query, quote_via=quote),
            headers,
            data,
            self._timeout(options.get("_request_timeout", _UNSET)),
            destination,
        )

    def put_to_url(self, url: str, upload: MediaUpload, **options: Any) -> None:
        """PUT ``upload`` to an absolute URL (a pre-signed one): no token, no Content-Type.

        Raises:
            ApiException: the server answered with an error; ApiConnectionError: no answer.
        """
        try:
            if options.keys() - {"_request_timeout"}:
                names = ", ".join(sorted(options.keys() - {"_request_timeout"}))
                raise ApiTypeError(f"upload_to_url() got unexpected keyword argument(s): {names}")
            timeout = self._timeout(options.get("_request_timeout", _UNSET))
            headers = {
                "User-Agent": self.user_agent,
                "Content-Length": str(upload.content_length),
            }
            response = self.rest_client.request("PUT", url, upload, headers, timeout)
        finally:
            upload.close()
        if not 200 <= response.status < 300:
            raise exception_for_response(
                response.status, response.reason, response.data, response.headers
            )

    def _token(self, endpoint: Endpoint, expired: str | None = None) -> str:
        """The API token: the configured one, or one from logging in with the credentials."""
        configuration = self.configuration
        token = configuration.get_api_key_with_prefix("ApiKeyAuth")
        if token and token != expired:
            return token
        if not configuration.has_credentials:
            raise ApiKeyError(
                f"{endpoint.name}() needs an API token: set "
                "configuration.api_key['ApiKeyAuth'] (or a username and password)"
            )
        with self._login_lock:
            token = configuration.get_api_key_with_prefix("ApiKeyAuth")
            if token and token != expired:
                return token  # another thread logged in meanwhile
            from cielo24.api.account_api import LOGIN

            login = self.call_api(
                LOGIN,
                {
                    "v": 1,
                    "username": configuration.username,
                    "password": configuration.password,
                    "securekey": configuration.api_securekey,
                },
            )
            configuration.api_key["ApiKeyAuth"] = login.api_token
            return str(configuration.get_api_key_with_prefix("ApiKeyAuth"))

    @staticmethod
    def _body(
        endpoint: Endpoint, body: Model | Mapping[str, Any] | MediaUpload | None
    ) -> bytes | MediaUpload | None:
        model = endpoint.body_type
        if body is None or isinstance(body, MediaUpload):
            if model is not None:
                raise ApiTypeError(f"{endpoint.name}() needs a {model.__name__}, got {body!r}")
            return body
        if model is None:
            raise ApiTypeError(f"{endpoint.name}() takes no body")
        if isinstance(body, Mapping):
            body = model.from_dict(body)
        elif not isinstance(body, model):
            raise ApiTypeError(
                f"{endpoint.name}() needs a {model.__name__}, got {type(body).__name__}"
            )
        return json.dumps(body._to_wire(), separators=(",", ":")).encode()

    def _timeout(self, option: Any) -> tuple[float | None, float | None]:
        if option is _UNSET:
            return (self.configuration.connect_timeout, self.configuration.read_timeout)
        if option is None:
            return (None, None)
        if isinstance(option, tuple) and len(option) == 2:
            connect, read = option
        else:
            connect = read = option
        for value in (connect, read):
            if value is not None and (
                isinstance(value, bool) or not isinstance(value, (int, float)) or value <= 0
            ):
                raise ApiValueError(
                    "_request_timeout must be seconds > 0, a (connect, read) pair or None, "
                    f"got {option!r}"
                )
        return (connect, read)

    def _execute(self, endpoint: Endpoint, request: _Request, options: Mapping[str, Any]) -> Any:
        """Send, logging in again once if the token expired; close the upload at the end."""
        try:
            token = self._token(endpoint) if endpoint.auth else None
            try:
                return self._send(endpoint, request, token, options)
            except BadApiTokenError:
                if token is None or not self.configuration.has_credentials:
                    raise
                return self._send(endpoint, request, self._token(endpoint, token), options)
        finally:
            if isinstance(request.data, MediaUpload):
                request.data.close()

    def _send(
        self,
        endpoint: Endpoint,
        request: _Request,
        token: str | None,
        options: Mapping[str, Any],
    ) -> Any:
        query = request.query
        if token is not None:
            query = (
                f"{query}&api_token={quote(token, safe='')}"
                if query
                else f"api_token={quote(token, safe='')}"
            )
        preload = options.get("_preload_content", True) and request.destination is None
        response = self._request(endpoint, endpoint.path, query, request, preload)
        if response.status == 404 and endpoint.fallback_path and not _is_json(response):
            response.release_conn()
            response = self._request(endpoint, endpoint.fallback_path, query, request, preload)
        if not 200 <= response.status < 300:
            body = response.data if preload else response.read()
            response.release_conn()
            raise exception_for_response(response.status, response.reason, body, response.headers)
        if request.destination is not None:
            return _stream_to(response, request.destination)
        if not preload:
            return response
        result = _deserialize(endpoint, response)
        if options.get("_return_http_data_only", True):
            return result
        return result, response.status, response.headers

    def _request(
        self, endpoint: Endpoint, path: str, query: str, request: _Request, preload: bool
    ) -> urllib3.BaseHTTPResponse:
        url = f"{self.configuration.host}{path}?{query}"
        debug = logger.isEnabledFor(logging.DEBUG)
        started = time.perf_counter() if debug else 0.0
        response = self.rest_client.request(
            endpoint.method, url, request.data, request.headers, request.timeout, preload
        )
        if debug:
            elapsed = (time.perf_counter() - started) * 1000
            logger.debug(
                "%s %s -> %s in %.1f ms", endpoint.method, redact(url), response.status, elapsed
            )
        return response

    def _thread_pool(self) -> ThreadPoolExecutor:
        with self._executor_lock:
            if self._executor is None:
                from concurrent.futures import ThreadPoolExecutor

                self._executor = ThreadPoolExecutor(
                    self.configuration.connection_pool_maxsize, thread_name_prefix="cielo24-async"
                )
            return self._executor


def split_options(kwargs: Mapping[str, Any]) -> tuple[dict[str, Any], dict[str, Any]]:
    """Keyword arguments split into an endpoint's parameters and the per-call options."""
    params = {k: v for k, v in kwargs.items() if k not in _OPTIONS}
    options = {k: v for k, v in kwargs.items() if k in _OPTIONS}
    return params, options


def _is_json(response: urllib3.BaseHTTPResponse) -> bool:
    return "json" in (response.headers.get("Content-Type") or "")


def _deserialize(endpoint: Endpoint, response: urllib3.BaseHTTPResponse) -> Any:
    model = endpoint.response_type
    body = response.data
    if model is None:
        return None
    if model is str:
        return body.decode("utf-8", "replace")
    assert issubclass(model, Model)
    try:
        parsed = json.loads(body)
    except ValueError:
        parsed = None
    if endpoint.response_list and isinstance(parsed, list):
        if all(isinstance(item, dict) for item in parsed):
            return [model._from_wire(item) for item in parsed]
    elif not endpoint.response_list and isinstance(parsed, dict):
        return model._from_wire(parsed)
    raise UnexpectedResponseError(
        response.status, response.reason, body.decode("utf-8", "replace"), response.headers
    )


def _stream_to(response: urllib3.BaseHTTPResponse, destination: Destination) -> int:
    """Write the response body to ``destination`` in blocks; returns the bytes written.

    A path is written to ``<path>.part`` and renamed when complete, so it never holds half a
    file. Raises ApiConnectionError (ApiTimeoutError) when the response breaks off.
    """
    written = 0

    def copy(file: BinaryIO) -> None:
        nonlocal written
        for block in response.stream(BLOCK_SIZE):
            file.write(block)
            written += len(block)

    try:
        if not isinstance(destination, (str, os.PathLike)):
            copy(destination)
            return written
        path = os.fspath(destination)
        partial = f"{path}.part"
        try:
            with open(partial, "wb") as file:
                copy(file)
            os.replace(partial, path)
        except BaseException:
            with contextlib.suppress(OSError):
                os.remove(partial)
            raise
        return written
    except HTTPError as exc:
        error = ApiTimeoutError if isinstance(exc, ReadTimeoutError) else ApiConnectionError
        raise error(f"the response broke off after {written} bytes: {root_cause(exc)}") from None
    finally:
        response.release_conn()


def _wire_value(value: Any) -> str:
    """A parameter as sent: booleans lower-case, lists and dicts as JSON, dates in ISO 8601."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (list, dict)):
        return json.dumps(value, separators=(",", ":"))
    if isinstance(value, (datetime, date)):
        return value.isoformat()
    return str(value)
