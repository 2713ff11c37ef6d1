"""ApiClient: turns an endpoint and its arguments into a request, and the response into a model.

Every API method goes through :meth:`ApiClient.call_api`, which checks the arguments before
anything is sent, adds the ``api_token``, serialises the query and the body, sends through the
transport, maps errors to exceptions and reads the response into the endpoint's model.
"""

from __future__ import annotations

import contextlib
import importlib
import json
import logging
import os
import threading
import time
import weakref
from collections.abc import Mapping, Sequence
from datetime import date, datetime
from typing import TYPE_CHECKING, Any, BinaryIO, Callable, Generic, TypedDict, TypeVar, Union, cast
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
    Cielo24Error,
    UnexpectedResponseError,
    exception_for_response,
)
from cielo24.masking import Secret, SecretBytes, mask_error, redact, secret
from cielo24.model_utils import Field, Model
from cielo24.rest import RESTClient, Timeout, call_budget, load_json, root_cause
from cielo24.retry import NO_RETRIES, retry_delay
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


#: "Not given", as opposed to None (no timeout).
UNSET: Any = object()
_OPTIONS = frozenset(RequestOptions.__annotations__)
_FORM = "application/x-www-form-urlencoded"
#: Where a streamed response is written: a path, or a file open for binary writing.
Destination = Union[str, "os.PathLike[str]", BinaryIO]


class Endpoint:
    """One REST operation: method, path, parameters, body and response types.

    ``response_type`` is a model (a JSON object, or a JSON array of them with
    ``response_list``), ``str`` for a text body, or None for no body. ``fallback_path`` is
    tried once when ``path`` answers a 404 that is not a cielo24 error. With ``unwrap``, the
    call returns that field of the response model (e.g. get_caption's ``caption_url``).

    So that importing an API module stays cheap, models may be named by their dotted path
    (``"cielo24.model.job_info_response.JobInfoResponse"``) and ``params`` may be a function:
    they are loaded when the endpoint is first called (:meth:`ready`).
    """

    params: tuple[Field, ...]
    param_names: frozenset[str]
    response_type: type[Model] | type[str] | None
    body_type: type[Model] | None
    content_type: str | None
    accept: str

    def __init__(
        self,
        name: str,
        method: str,
        path: str,
        params: Sequence[Field] | Callable[[], Sequence[Field]],
        *,
        response_type: type[Model] | type[str] | str | None = None,
        response_list: bool = False,
        body_type: type[Model] | str | None = None,
        content_type: str | None = None,
        auth: bool = True,
        fallback_path: str | None = None,
        unwrap: str | None = None,
    ) -> None:
        self.name = name
        self.method = method
        self.path = path
        self.response_list = response_list
        self.unwrap = unwrap
        self.auth = auth
        self.fallback_path = fallback_path
        self._spec = (params, response_type, body_type, content_type)
        self._ready = False

    def ready(self) -> Endpoint:
        """The endpoint with its parameters and models loaded."""
        if not self._ready:
            params, response_type, body_type, content_type = self._spec
            self.params = tuple(params() if callable(params) else params)
            self.param_names = frozenset(p.name for p in self.params)
            self.response_type = (
                _load(response_type) if isinstance(response_type, str) else response_type
            )
            self.body_type = _load(body_type) if isinstance(body_type, str) else body_type
            if content_type is None and self.body_type is not None:
                content_type = "application/json"
            if content_type is None and any(p.location == "form" for p in self.params):
                content_type = _FORM
            self.content_type = content_type
            json_answer = self.response_type not in (None, str) or self.response_list
            self.accept = "application/json" if json_answer else "*/*"
            self._ready = True
        return self


def _load(dotted: str) -> Any:
    module, _, name = dotted.rpartition(".")
    return getattr(importlib.import_module(module), name)


class _Request:
    """A checked request, ready to send (the token is added when it is sent)."""

    __slots__ = ("data", "deadline", "destination", "headers", "query", "secrets", "timeout")

    def __init__(
        self,
        query: str,
        headers: dict[str, str],
        data: bytes | MediaUpload | None,
        timeout: tuple[float | None, float | None],
        destination: Destination | None,
        secrets: list[str],
    ) -> None:
        self.secrets = secrets
        self.query = query
        self.headers = headers
        self.data = data
        self.timeout = timeout
        self.destination = destination
        #: time.monotonic() by which the call ends (None: no limit), set when it starts.
        self.deadline: float | None = None


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


_CLIENTS: weakref.WeakSet[ApiClient] = weakref.WeakSet()


def _reset_after_fork() -> None:
    """In a forked child, forget the parent's worker threads and locks (its connections are
    dropped by the transport's own hook)."""
    for client in list(_CLIENTS):
        client._forget_workers()  # pyright: ignore[reportPrivateUsage]  # this module's own fork hook


if hasattr(os, "register_at_fork"):
    os.register_at_fork(after_in_child=_reset_after_fork)


class ApiClient:
    """Sends API calls for the API classes (JobApi, AccountApi). Use it as a context manager.

    Thread-safe: share one client between threads; each thread keeps its own connection (see
    ``Configuration.connection_pool_maxsize``). Fork-safe: a client made before ``os.fork``
    works in the child, on connections of its own. With credentials in the Configuration instead
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
            "Accept-Encoding": "identity",
            "User-Agent": f"cielo24-python/{__version__}",
        }
        if header_name is not None and header_value is not None:
            self.default_headers[header_name] = header_value
        self.rest_client = RESTClient(self.configuration)
        self._executor: ThreadPoolExecutor | None = None
        self._executor_lock = threading.Lock()
        self._login_lock = threading.Lock()
        _CLIENTS.add(self)

    def _forget_workers(self) -> None:
        self._executor = None
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
        endpoint = endpoint.ready()
        try:
            request = self._prepare(endpoint, params, body, destination, options)
        except BaseException:
            if isinstance(body, MediaUpload):
                body.close()
            raise
        del params  # it may hold a password: not kept in this frame's locals once checked
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
        unexpected = (options.keys() - _OPTIONS) | (params.keys() - endpoint.param_names)
        if unexpected:
            names = ", ".join(sorted(unexpected))
            raise ApiTypeError(f"{endpoint.name}() got unexpected keyword argument(s): {names}")
        if destination is not None and options.get("_preload_content") is False:
            raise ApiValueError("destination streams the response itself: drop _preload_content")
        query: list[tuple[str, str]] = []
        form: list[tuple[str, str]] = []
        secrets: list[str] = []
        headers = dict(self.default_headers)
        headers["Accept"] = endpoint.accept
        for f in endpoint.params:
            value = f.check(params.get(f.name), f"{endpoint.name}()")
            if value is None:
                continue
            text = value if type(value) is str else _wire_value(f.to_wire(value))
            if f.secret:
                text = Secret(text)
                secrets.append(text)
            if f.location == "header":
                headers[f.wire] = text
            else:
                (form if f.location == "form" else query).append((f.wire, text))
        extra = options.get("_extra_params")
        if extra:
            if not isinstance(extra, Mapping):
                raise ApiTypeError(f"_extra_params must be a mapping, got {type(extra).__name__}")
            query.extend(
                (str(k), _wire_value(v)) for k, v in cast("Mapping[object, object]", extra).items()
            )
        if form:
            encoded = urlencode(form).encode()
            data: bytes | MediaUpload | None = SecretBytes(encoded) if secrets else encoded
        else:
            data = self._body(endpoint, body)
        content_type = options.get("_content_type", endpoint.content_type)
        if content_type is not None:
            headers["Content-Type"] = content_type
        if isinstance(body, MediaUpload):
            headers["Content-Length"] = str(body.content_length)
        if endpoint.auth and not self.configuration.has_credentials:
            self._token(endpoint)  # no token and no way to get one: refuse before sending
        return _Request(
            "&".join(f"{_quote(k)}={_quote(v)}" for k, v in query),
            headers,
            data,
            self._timeout(options.get("_request_timeout", UNSET), isinstance(body, MediaUpload)),
            destination,
            secrets,
        )

    def put_to_url(self, url: str, upload: MediaUpload, request_timeout: Any = UNSET) -> None:
        """PUT ``upload`` to an absolute URL (a pre-signed one): no token, no Content-Type.

        Raises:
            ApiException: the server answered with an error; ApiConnectionError: no answer.
        """
        url = Secret(url)  # a pre-signed URL: its signature is a credential
        try:
            timeout = self._timeout(request_timeout, upload=True)
            headers = {"User-Agent": self.user_agent, "Content-Length": str(upload.content_length)}
            response = self.rest_client.request("PUT", url, upload, headers, timeout)
            _raise_for_status(response)
        except Cielo24Error as error:
            mask_error(error, ())
            raise
        finally:
            upload.close()

    def _token(self, endpoint: Endpoint, expired: str | None = None) -> str:
        """The API token: the configured one, or one from logging in with the credentials."""
        configuration = self.configuration
        token = configuration.get_api_key_with_prefix("ApiKeyAuth")
        if token and token != expired:
            return Secret(token)
        if not configuration.has_credentials:
            raise ApiKeyError(
                f"{endpoint.name}() needs an API token: set "
                "configuration.api_key['ApiKeyAuth'] (or a username and password)"
            )
        with self._login_lock:
            token = configuration.get_api_key_with_prefix("ApiKeyAuth")
            if token and token != expired:
                return Secret(token)  # another thread logged in meanwhile
            from cielo24.api.account_api import LOGIN

            password, securekey = self._credentials()
            login = self.call_api(
                LOGIN,
                {
                    "v": 1,
                    "username": configuration.username,
                    "password": password,
                    "securekey": securekey,
                },
            )
            configuration.api_key["ApiKeyAuth"] = login.api_token
            return Secret(str(configuration.get_api_key_with_prefix("ApiKeyAuth")))

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
        if isinstance(body, model):
            pass
        elif isinstance(body, Mapping):
            body = model.from_dict(body)
        else:
            raise ApiTypeError(
                f"{endpoint.name}() needs a {model.__name__}, got {type(body).__name__}"
            )
        return json.dumps(body.to_wire(), separators=(",", ":")).encode()

    def _timeout(self, option: Any, upload: bool = False) -> tuple[float | None, float | None]:
        """(connect, read) seconds for a call: the per-call option, or the Configuration's
        (its upload timeouts for an upload: a stall limit while sending, then a long wait for
        the answer)."""
        configuration = self.configuration
        if option is UNSET and upload:
            return (configuration.upload_stall_timeout, configuration.upload_answer_timeout)
        if option is UNSET:
            return (configuration.connect_timeout, configuration.read_timeout)
        if option is None:
            return (None, None)
        connect: Any
        read: Any
        if isinstance(option, tuple) and len(cast("tuple[object, ...]", option)) == 2:
            connect, read = cast("tuple[Any, Any]", option)
        else:
            connect = read = cast(Any, option)
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
        """Send, trying again as the retry policy allows and logging in again once if the
        token expired; close the upload at the end. What it raises is masked."""
        policy = self.configuration.retries or NO_RETRIES
        upload = request.data if isinstance(request.data, MediaUpload) else None
        started = time.monotonic()
        if upload is None:  # an upload has its stall rule instead of a deadline
            budget = call_budget(options, policy.deadline)
            request.deadline = None if budget is None else started + budget
        attempt = 0
        logged_in_again = False
        secrets: list[str | None] = [*request.secrets, *self._credentials()]
        try:
            token = self._token(endpoint) if endpoint.auth else None
            secrets.append(token)
            while True:
                attempt += 1
                try:
                    return self._send(endpoint, request, token, options)
                except BadApiTokenError as error:
                    # The service refused the request, so sending it again is always safe.
                    if logged_in_again or token is None or not self.configuration.has_credentials:
                        error.attempts = attempt
                        raise
                    token = self._token(endpoint, token)
                    secrets.append(token)
                    logged_in_again = True
                except Cielo24Error as error:
                    incomplete = upload is not None and upload.sent < upload.content_length
                    delay = retry_delay(policy, endpoint.name, error, attempt, started, incomplete)
                    end = request.deadline
                    if delay is None or (end is not None and time.monotonic() + delay >= end):
                        error.attempts = attempt
                        raise
                    logger.debug(
                        "%s: attempt %d failed (%s); trying again in %.2f s",
                        endpoint.name,
                        attempt,
                        type(error).__name__,
                        delay,
                    )
                    time.sleep(delay)
        except Cielo24Error as error:
            mask_error(error, secrets)
            raise
        finally:
            if upload is not None:
                upload.close()

    def _send(
        self,
        endpoint: Endpoint,
        request: _Request,
        token: str | None,
        options: Mapping[str, Any],
    ) -> Any:
        query = request.query
        if token is not None:
            query = f"{query}&api_token={_quote(token)}" if query else f"api_token={_quote(token)}"

        preload = options.get("_preload_content", True) and request.destination is None
        response = self._request(endpoint, endpoint.path, query, request, preload)
        if response.status == 404 and endpoint.fallback_path and not _is_json(response):
            response.release_conn()
            response = self._request(endpoint, endpoint.fallback_path, query, request, preload)
        _raise_for_status(response)
        if request.destination is not None:
            result: Any = _stream_to(response, request.destination)
        elif not preload:
            return response
        else:
            result = _deserialize(endpoint, response)
        if options.get("_return_http_data_only", True):
            return result
        return result, response.status, response.headers

    def _credentials(self) -> tuple[Secret | None, ...]:
        configuration = self.configuration
        return (secret(configuration.password), secret(configuration.api_securekey))

    def _request(
        self, endpoint: Endpoint, path: str, query: str, request: _Request, preload: bool
    ) -> urllib3.BaseHTTPResponse:
        url = f"{self.configuration.host}{path}?{query}"
        debug = logger.isEnabledFor(logging.DEBUG)
        started = time.perf_counter() if debug else 0.0
        response = self.rest_client.request(
            endpoint.method,
            url,
            request.data,
            request.headers,
            request.timeout,
            preload,
            request.deadline,
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


def _raise_for_status(response: urllib3.BaseHTTPResponse) -> None:
    """Raise the exception for an answer that is not a success (its body is read already)."""
    if 200 <= response.status < 300:
        return
    body = response.data
    response.release_conn()
    raise exception_for_response(response.status, response.reason, body, response.headers)


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
    parsed = load_json(response, body)
    if endpoint.response_list and isinstance(parsed, list):
        items = cast("list[object]", parsed)
        if all(isinstance(item, dict) for item in items):
            return [model.from_wire(item) for item in cast("list[dict[str, Any]]", items)]
    elif not endpoint.response_list and isinstance(parsed, dict):
        result = model.from_wire(cast("dict[str, Any]", parsed))
        if endpoint.unwrap is None:
            return result
        value = getattr(result, endpoint.unwrap)
        if value is not None:
            return value
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
        message = f"the response broke off after {written} bytes: {root_cause(exc)}"
        # A path starts again from nothing; a caller's file already holds part of the answer.
        started = written > 0 and not isinstance(destination, (str, os.PathLike))
        raise error(message, output_started=started) from None
    finally:
        response.release_conn()


def _quote(text: str) -> str:
    """Percent-encode a query key or value (plain ASCII letters and digits as they are)."""
    return text if text.isalnum() and text.isascii() else quote(text, safe="")


def _wire_value(value: Any) -> str:
    """A parameter as sent: booleans lower-case, lists and dicts as JSON, dates in ISO 8601."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (list, dict)):
        return json.dumps(value, separators=(",", ":"))
    if isinstance(value, (datetime, date)):
        return value.isoformat()
    return str(value)
