"""ApiClient: turns an endpoint and its arguments into a request, and the response into a model.

Every API method goes through :meth:`ApiClient.call_api`, which checks the arguments before
anything is sent, adds the ``api_token``, serialises the query and the body, sends through the
transport, maps errors to exceptions and reads the response into the endpoint's model.
"""

from __future__ import annotations

import json
import logging
import threading
import time
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any, Generic, TypedDict, TypeVar
from urllib.parse import quote, urlencode

from cielo24._version import __version__
from cielo24.configuration import Configuration, logger
from cielo24.exceptions import (
    ApiKeyError,
    ApiTypeError,
    ApiValueError,
    UnexpectedResponseError,
    exception_for_response,
)
from cielo24.model_utils import Model, _Field
from cielo24.rest import RESTClient, Timeout, redact
from cielo24.upload import MediaUpload

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
    """

    async_req: bool
    _request_timeout: Timeout
    _preload_content: bool
    _return_http_data_only: bool
    _content_type: str | None


_UNSET: Any = object()
_OPTIONS = frozenset(RequestOptions.__annotations__)


class Endpoint:
    """One REST operation: method, path, query parameters, body and response types."""

    __slots__ = (
        "auth",
        "body_type",
        "content_type",
        "method",
        "name",
        "params",
        "path",
        "response_type",
    )

    def __init__(
        self,
        name: str,
        method: str,
        path: str,
        params: Sequence[_Field],
        *,
        response_type: type[Model] | None = None,
        body_type: type[Model] | None = None,
        content_type: str | None = None,
        auth: bool = True,
    ) -> None:
        self.name = name
        self.method = method
        self.path = path
        self.params = tuple(params)
        self.response_type = response_type
        self.body_type = body_type
        self.content_type = content_type or ("application/json" if body_type else None)
        self.auth = auth


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
    """Sends API calls for the API classes (JobApi, ...). Use it as a context manager.

    Thread-safe: share one client between threads; each thread keeps its own connection (see
    ``Configuration.connection_pool_maxsize``).
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
        **options: Any,
    ) -> Any:
        """Check the arguments, send the request and read the response (see RequestOptions).

        Raises:
            ApiTypeError, ApiValueError, ApiKeyError: bad arguments; nothing was sent.
            ApiException and its subclasses: the service answered with an error.
            ApiConnectionError and its subclasses: no response.
        """
        unknown = options.keys() - _OPTIONS
        if unknown:
            if isinstance(body, MediaUpload):
                body.close()
            names = ", ".join(sorted(unknown))
            raise ApiTypeError(f"{endpoint.name}() got unexpected keyword argument(s): {names}")
        try:
            url = self._url(endpoint, params)
            headers = dict(self.default_headers)
            data = self._body(endpoint, body)
            content_type = options.get("_content_type", endpoint.content_type)
            if content_type is not None:
                headers["Content-Type"] = content_type
            if isinstance(body, MediaUpload):
                headers["Content-Length"] = str(body.content_length)
            timeout = self._timeout(options.get("_request_timeout", _UNSET))
        except BaseException:
            if isinstance(body, MediaUpload):
                body.close()
            raise
        args = (endpoint, url, data, headers, timeout, options)
        if options.get("async_req"):
            return AsyncResult(self._thread_pool().submit(self._send, *args))
        return self._send(*args)

    def _url(self, endpoint: Endpoint, params: Mapping[str, Any]) -> str:
        query = []
        for f in endpoint.params:
            value = f.check(params.get(f.name), f"{endpoint.name}()")
            if value is not None:
                query.append((f.wire, _query_value(value)))
        if endpoint.auth:
            token = self.configuration.get_api_key_with_prefix("ApiKeyAuth")
            if not token:
                raise ApiKeyError(
                    f"{endpoint.name}() needs an API token: set "
                    "configuration.api_key['ApiKeyAuth'] (or log in)"
                )
            query.append(("api_token", token))
        return f"{self.configuration.host}{endpoint.path}?{urlencode(query, quote_via=quote)}"

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

    def _send(
        self,
        endpoint: Endpoint,
        url: str,
        data: bytes | MediaUpload | None,
        headers: dict[str, str],
        timeout: tuple[float | None, float | None],
        options: Mapping[str, Any],
    ) -> Any:
        preload = options.get("_preload_content", True)
        debug = logger.isEnabledFor(logging.DEBUG)
        started = time.perf_counter() if debug else 0.0
        try:
            response = self.rest_client.request(
                endpoint.method, url, data, headers, timeout, preload_content=preload
            )
        finally:
            if isinstance(data, MediaUpload):
                data.close()
        if debug:
            elapsed = (time.perf_counter() - started) * 1000
            logger.debug(
                "%s %s -> %s in %.1f ms", endpoint.method, redact(url), response.status, elapsed
            )
        if not 200 <= response.status < 300:
            body = response.data if preload else response.read()
            response.release_conn()
            raise exception_for_response(response.status, response.reason, body, response.headers)
        if not preload:
            return response
        result = self._deserialize(
            endpoint, response.status, response.reason, response.data, response.headers
        )
        if options.get("_return_http_data_only", True):
            return result
        return result, response.status, response.headers

    @staticmethod
    def _deserialize(
        endpoint: Endpoint,
        status: int,
        reason: str | None,
        body: bytes,
        headers: Mapping[str, str],
    ) -> Any:
        model = endpoint.response_type
        if model is None:
            return None
        try:
            parsed = json.loads(body)
        except ValueError:
            parsed = None
        if not isinstance(parsed, dict):
            raise UnexpectedResponseError(status, reason, body.decode("utf-8", "replace"), headers)
        return model._from_wire(parsed)

    def _thread_pool(self) -> ThreadPoolExecutor:
        with self._executor_lock:
            if self._executor is None:
                from concurrent.futures import ThreadPoolExecutor

                self._executor = ThreadPoolExecutor(
                    self.configuration.connection_pool_maxsize, thread_name_prefix="cielo24-async"
                )
            return self._executor


def _query_value(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (list, dict)):
        return json.dumps(value, separators=(",", ":"))
    return str(value)
