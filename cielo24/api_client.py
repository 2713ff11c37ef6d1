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
import re
import threading
import time
import warnings
import weakref
from collections.abc import Mapping, Sequence
from datetime import date, datetime
from typing import (
    TYPE_CHECKING,
    Any,
    BinaryIO,
    Callable,
    Generic,
    Literal,
    TypedDict,
    TypeVar,
    Union,
    cast,
)
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

    from typing_extensions import ParamSpec

    P = ParamSpec("P")

T = TypeVar("T")


class RequestOptions(TypedDict, total=False):
    """Per-call options every API method takes as keyword arguments.

    Keys:
        _request_timeout: seconds for this call only: one number for both the connect and
            the read timeout, a ``(connect, read)`` pair, or None for no timeout at all.
            Not given: the Configuration's timeouts.
        _content_type: the request's Content-Type instead of the operation's; None sends none.
        _extra_params: more query parameters to send, for ones the SDK does not know yet.
        async_req, _preload_content, _return_http_data_only: the generated client's options
            that change what a call returns. They work as they did (``async_req=True``
            returns an :class:`AsyncResult`, ``_preload_content=False`` the raw ``urllib3``
            response, unread, ``_return_http_data_only=False`` a ``(data, status, headers)``
            tuple), but a method's type says what it returns without them, so type checkers
            take only their default values. Typed code uses ``api_client.submit(method,
            ...)``, ``api.with_raw_response.method(...)`` or ``destination=`` instead.
        _host_index: the generated client's server index; 0, the only one, is the
            Configuration's host.
        _check_input_type, _check_return_type, _spec_property_naming, _request_auths: the
            generated client's options, accepted so that its code runs; they have no effect
            here and warn (DeprecationWarning) with what to use instead.
    """

    async_req: Literal[False]
    _request_timeout: Timeout
    _preload_content: Literal[True]
    _return_http_data_only: Literal[True]
    _content_type: str | None
    _extra_params: Mapping[str, Any]
    _host_index: int | None
    _check_input_type: bool
    _check_return_type: bool
    _spec_property_naming: bool
    _request_auths: Sequence[Mapping[str, Any]] | None


#: "Not given", as opposed to None (no timeout).
UNSET: Any = object()
#: The names of the per-call options (RequestOptions).
OPTION_NAMES = frozenset(RequestOptions.__annotations__)
#: The generated client's per-call options that mean nothing here, and what to do instead.
_IGNORED_OPTIONS = {
    "_check_input_type": "arguments are always checked before sending; send a value the SDK "
    "does not know with _extra_params",
    "_check_return_type": "responses are never checked: unknown fields and values are kept",
    "_spec_property_naming": "models read both the service's keys and snake_case names",
    "_request_auths": "set configuration.api_key['ApiKeyAuth'], or use another ApiClient",
}
_FORM = "application/x-www-form-urlencoded"
#: The longest query string sent: a body field that would make it longer goes in the body only.
MAX_QUERY_BYTES = 6000
#: Room kept in that limit for the ``api_token`` added when the request is sent.
_TOKEN_ROOM = len("&api_token=") + 64
#: Where a streamed response is written: a path, or a file open for binary writing.
Destination = Union[str, "os.PathLike[str]", BinaryIO]
#: Logs in with a client's Configuration credentials and returns the API token.
LogIn = Callable[["ApiClient"], str]


class Endpoint:
    """One REST operation as ApiClient sends it: method, path, checked parameters, body and
    response types, and whether it may be sent again (built by ``cielo24.api.endpoint`` from
    an API method's declaration).

    ``response_type`` is a model (a JSON object, or a JSON array of them with
    ``response_list``), ``str`` for a text body, or None for no body. ``fallback_path`` is
    tried once when ``path`` answers a 404 that is not a cielo24 error. With ``body_in_query``,
    every field of the JSON body is also sent in the query string (see docs/wire.md); with
    ``token_in_form``, ``api_token`` travels in the form body instead of the query string.
    ``retry``: safe to send again after the service may have seen it (see cielo24.retry).
    """

    params: tuple[Field, ...] = ()
    param_names: frozenset[str] = frozenset()
    response_type: type[Model] | type[str] | None = None
    response_list = False
    body_type: type[Model] | None = None
    content_type: str | None = None
    accept = "*/*"

    def __init__(
        self,
        name: str,
        method: str,
        path: str,
        *,
        auth: bool = True,
        fallback_path: str | None = None,
        body_in_query: bool = False,
        token_in_form: bool = False,
        retry: bool = False,
    ) -> None:
        self.name = name
        self.method = method
        self.path = path
        self.auth = auth
        self.fallback_path = fallback_path
        self.body_in_query = body_in_query
        self.token_in_form = token_in_form
        self.retry = retry

    def load(
        self,
        params: Sequence[Field],
        response_type: type[Model] | type[str] | None,
        body_type: type[Model] | None,
        content_type: str | None,
    ) -> None:
        """Set the parameters and the body and response types."""
        self.params = tuple(params)
        self.param_names = frozenset(p.name for p in self.params)
        self.response_type = response_type
        self.body_type = body_type
        if content_type is None and body_type is not None:
            content_type = "application/json"
        self.content_type = content_type
        json_answer = response_type not in (None, str) or self.response_list
        self.accept = "application/json" if json_answer else "*/*"


class _Request:
    """A checked request, ready to send (the token is added when it is sent)."""

    __slots__ = (
        "data",
        "deadline",
        "destination",
        "form",
        "headers",
        "log_in",
        "query",
        "secrets",
        "timeout",
        "unwrap",
    )

    def __init__(
        self,
        query: str,
        form: list[tuple[str, str]],
        headers: dict[str, str],
        data: bytes | MediaUpload | None,
        timeout: tuple[float | None, float | None],
        destination: Destination | None,
        secrets: list[str],
        log_in: LogIn | None,
        unwrap: tuple[str, ...],
    ) -> None:
        self.log_in = log_in
        self.unwrap = unwrap
        self.secrets = secrets
        self.query = query
        self.form = form
        self.headers = headers
        self.data = data
        self.timeout = timeout
        self.destination = destination
        #: time.monotonic() by which the call ends (None: no limit), set when it starts.
        self.deadline: float | None = None


class AsyncResult(Generic[T]):
    """A call running on a worker thread: ``api_client.submit(...)``, or ``async_req=True``."""

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


class RawResponse(Generic[T]):
    """What a ``with_raw_response`` method returns: the answer's status and headers with the
    parsed answer (``data``, what the method itself returns)."""

    __slots__ = ("data", "headers", "status")

    def __init__(self, data: T, status: int, headers: Mapping[str, str]) -> None:
        self.data = data
        self.status = status
        self.headers = headers

    def __repr__(self) -> str:
        return f"RawResponse[{type(self.data).__name__}](status={self.status})"


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

    def submit(self, call: Callable[P, T], /, *args: P.args, **kwargs: P.kwargs) -> AsyncResult[T]:
        """Run ``call(*args, **kwargs)`` on a worker thread and return at once; ``get()`` on
        the result waits for it. ``call`` is any API method (``jobs.job_info``, also through
        ``with_raw_response``) or helper, typed as it is. The threads are this client's, as for
        ``async_req=True``: created on first use, waited for by ``close()``."""
        return AsyncResult(self._thread_pool().submit(call, *args, **kwargs))

    def call_api(
        self,
        endpoint: Endpoint,
        params: Mapping[str, Any],
        body: Model | Mapping[str, Any] | MediaUpload | None = None,
        destination: Destination | None = None,
        *,
        log_in: LogIn | None = None,
        unwrap: tuple[str, ...] = (),
        **options: Any,
    ) -> Any:
        """Check the arguments, send the request and read the response (see RequestOptions).

        With ``destination``, the response body is streamed there (a path is written whole or
        not at all) and the number of bytes written is returned. ``log_in`` gets a token from
        the Configuration's credentials, when it has some instead of a token (AccountApi's).
        With ``unwrap``, the answer is a JSON object and the call returns the value under the
        first of those keys that it has (get_caption's ``CaptionUrl``).

        Raises:
            ApiTypeError, ApiValueError, ApiKeyError: bad arguments; nothing was sent.
            ApiException and its subclasses: the service answered with an error.
            ApiConnectionError and its subclasses: no response.
        """
        try:
            request = self._prepare(endpoint, params, body, destination, options, log_in, unwrap)
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
        log_in: LogIn | None,
        unwrap: tuple[str, ...],
    ) -> _Request:
        unexpected = (options.keys() - OPTION_NAMES) | (params.keys() - endpoint.param_names)
        if unexpected:
            names = ", ".join(sorted(unexpected))
            raise ApiTypeError(f"{endpoint.name}() got unexpected keyword argument(s): {names}")
        _old_options(endpoint, options)
        if destination is not None and options.get("_preload_content") is False:
            raise ApiValueError("destination streams the response itself: drop _preload_content")
        query: list[tuple[str, str]] = []
        form: list[tuple[str, str]] = []
        secrets: list[str] = []
        headers = dict(self.default_headers)
        headers["Accept"] = "application/json" if unwrap else endpoint.accept
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
        wire_body = self._body(endpoint, body)
        query_string = "&".join(f"{_quote(k)}={_quote(v)}" for k, v in query)
        if endpoint.body_in_query and isinstance(wire_body, dict):
            query_string = _with_body_fields(endpoint, wire_body, query_string)
        if form:
            encoded = urlencode(form).encode()
            data: bytes | MediaUpload | None = SecretBytes(encoded) if secrets else encoded
        elif isinstance(wire_body, dict):
            data = json.dumps(wire_body, separators=(",", ":")).encode()
        else:
            data = wire_body
        content_type = options.get("_content_type", _FORM if form else endpoint.content_type)
        if content_type is not None:
            headers["Content-Type"] = content_type
        if isinstance(body, MediaUpload):
            headers["Content-Length"] = str(body.content_length)
        if endpoint.auth and not self.configuration.has_credentials:
            self._token(endpoint, None)  # no token and no way to get one: refuse before sending
        return _Request(
            query_string,
            form,
            headers,
            data,
            self._timeout(options.get("_request_timeout", UNSET), isinstance(body, MediaUpload)),
            destination,
            secrets,
            log_in,
            unwrap,
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

    def _token(self, endpoint: Endpoint, log_in: LogIn | None, expired: str | None = None) -> str:
        """The API token: the configured one, or one from ``log_in`` with the credentials."""
        configuration = self.configuration
        token = configuration.get_api_key_with_prefix("ApiKeyAuth")
        if token and token != expired:
            return Secret(token)
        if not configuration.has_credentials or log_in is None:
            raise ApiKeyError(
                f"{endpoint.name}() needs an API token: set "
                "configuration.api_key['ApiKeyAuth'] (or a username and password)"
            )
        with self._login_lock:
            token = configuration.get_api_key_with_prefix("ApiKeyAuth")
            if token and token != expired:
                return Secret(token)  # another thread logged in meanwhile
            configuration.api_key["ApiKeyAuth"] = log_in(self)
            return Secret(str(configuration.get_api_key_with_prefix("ApiKeyAuth")))

    @staticmethod
    def _body(
        endpoint: Endpoint, body: Model | Mapping[str, Any] | MediaUpload | None
    ) -> dict[str, Any] | MediaUpload | None:
        """The body as sent: a model's JSON object (wire names), an upload, or None."""
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
        return body.to_wire()

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
            token = self._token(endpoint, request.log_in) if endpoint.auth else None
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
                    token = self._token(endpoint, request.log_in, token)
                    secrets.append(token)
                    logged_in_again = True
                except Cielo24Error as error:
                    incomplete = upload is not None and upload.sent < upload.content_length
                    delay = retry_delay(policy, endpoint.retry, error, attempt, started, incomplete)
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
        if token is not None and endpoint.token_in_form:
            form = [*request.form, ("api_token", token)]
            request = _with_data(request, urlencode(form).encode())
        elif token is not None:
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
            result = _deserialize(endpoint, response, request.unwrap)
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
        # A GET cannot carry a body: form fields (add_custom_guidelines' text) make it a POST.
        method = "POST" if request.form and endpoint.method == "GET" else endpoint.method
        response = self.rest_client.request(
            method,
            url,
            request.data,
            request.headers,
            request.timeout,
            preload,
            request.deadline,
        )
        if debug:
            elapsed = (time.perf_counter() - started) * 1000
            logger.debug("%s %s -> %s in %.1f ms", method, redact(url), response.status, elapsed)
        return response

    def _thread_pool(self) -> ThreadPoolExecutor:
        with self._executor_lock:
            if self._executor is None:
                from concurrent.futures import ThreadPoolExecutor

                self._executor = ThreadPoolExecutor(
                    self.configuration.connection_pool_maxsize, thread_name_prefix="cielo24-async"
                )
            return self._executor


def _old_options(endpoint: Endpoint, options: Mapping[str, Any]) -> None:
    """Honour or warn about the generated client's per-call options."""
    for name, instead in _IGNORED_OPTIONS.items():
        if name in options:
            warnings.warn(
                f"{endpoint.name}(): {name} has no effect in this SDK: {instead}",
                DeprecationWarning,
                stacklevel=6,  # the caller of the API method
            )
    index = options.get("_host_index")
    if index not in (None, 0):
        raise ApiValueError(
            f"_host_index must be 0 (the Configuration's host), got {index!r}: to use another "
            "server, give Configuration(host=...) or Configuration(server=...)"
        )


def _raise_for_status(response: urllib3.BaseHTTPResponse) -> None:
    """Raise the exception for an answer that is not a success (its body is read already)."""
    if 200 <= response.status < 300:
        return
    body = response.data
    response.release_conn()
    raise exception_for_response(response.status, response.reason, body, response.headers)


def _is_json(response: urllib3.BaseHTTPResponse) -> bool:
    return "json" in (response.headers.get("Content-Type") or "")


def _deserialize(
    endpoint: Endpoint, response: urllib3.BaseHTTPResponse, unwrap: tuple[str, ...]
) -> Any:
    """The answer as the endpoint returns it: a model, a list of models, text, None, or
    with ``unwrap`` the value under the first of those keys of a JSON object."""
    model = endpoint.response_type
    body = response.data
    if model is None:
        return None
    if model is str and not unwrap:
        return body.decode("utf-8", "replace")
    parsed = load_json(response, body)
    if unwrap:
        if isinstance(parsed, dict):
            fields = cast("dict[str, Any]", parsed)
            value = next((fields[k] for k in unwrap if fields.get(k) is not None), None)
            if value is not None:
                return value
    elif issubclass(model, Model):
        if endpoint.response_list and isinstance(parsed, list):
            items = cast("list[object]", parsed)
            if all(isinstance(item, dict) for item in items):
                return [model.from_wire(item) for item in cast("list[dict[str, Any]]", items)]
        elif not endpoint.response_list and isinstance(parsed, dict):
            return model.from_wire(cast("dict[str, Any]", parsed))
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


def _with_body_fields(endpoint: Endpoint, wire_body: Mapping[str, Any], query: str) -> str:
    """``query`` with every field of a JSON body added, with the same names and values, as long
    as the query string stays under MAX_QUERY_BYTES; a field that would pass it is left to the
    body alone (and the debug log says so, naming the field but not its value)."""
    size = len(query) + _TOKEN_ROOM
    pairs = [query] if query else []
    for name, value in wire_body.items():
        text = value if type(value) is str else _wire_value(value)
        pair = f"{_quote(name)}={_quote(text)}"
        if size + len(pair) + 1 > MAX_QUERY_BYTES:
            logger.debug(
                "%s: %s (%d bytes) is sent in the JSON body only: the query string would pass "
                "%d bytes",
                endpoint.name,
                name,
                len(pair) + 1,
                MAX_QUERY_BYTES,
            )
            continue
        pairs.append(pair)
        size += len(pair) + 1
    return "&".join(pairs)


def _with_data(request: _Request, data: bytes) -> _Request:
    """A copy of ``request`` with another body."""
    copy = _Request(
        request.query,
        request.form,
        request.headers,
        data,
        request.timeout,
        request.destination,
        request.secrets,
        request.log_in,
        request.unwrap,
    )
    copy.deadline = request.deadline
    return copy


_UNRESERVED = re.compile(r"[A-Za-z0-9_.~-]*").fullmatch


def _quote(text: str) -> str:
    """Percent-encode a query key or value (what needs none is returned as it is)."""
    return text if _UNRESERVED(text) else quote(text, safe="")


def _wire_value(value: Any) -> str:
    """A parameter as sent: booleans lower-case, lists and dicts as JSON, dates in ISO 8601."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (list, dict)):
        return json.dumps(value, separators=(",", ":"))
    if isinstance(value, (datetime, date)):
        return value.isoformat()
    return str(value)
