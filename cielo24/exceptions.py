"""One exception tree for everything the SDK raises.

    Cielo24Error
    ├── ApiTypeError, ApiValueError, ApiKeyError   bad input, raised before any request
    ├── ApiConnectionError                          no HTTP response (refused, reset, cut off)
    │   ├── ApiTimeoutError
    │   └── ApiTLSError
    ├── WaitError                                   a wait for a job ended without its result
    │   ├── MediaFailureError                       the job reported Media Failure
    │   └── WaitTimeoutError                        the job was not done before the timeout
    └── ApiException                                the service answered, but not with success
        ├── UnexpectedResponseError                 a 2xx whose body is not the JSON expected
        ├── BadRequestException (400)
        │   ├── AuthenticationError                 LOGIN_INVALID
        │   │   └── BadApiTokenError                BAD_API_TOKEN
        │   ├── PermissionDeniedError               ACCOUNT_UNPRIVILEGED, NOT_PARENT_ACCOUNT
        │   ├── ItemNotFoundError                   ITEM_NOT_FOUND, ACCOUNT_DOES_NOT_EXIST, ...
        │   ├── InvalidRequestError                 INVALID_QUERY, MISSING_PARAMETER, ...
        │   ├── AccountExistsError                  ACCOUNT_EXISTS
        │   └── NotImplementedByServiceError        NOT_IMPLEMENTED
        ├── UnauthorizedException (401), ForbiddenException (403), NotFoundException (404)
        ├── TooManyRequestsException (429)
        └── ServiceException (5xx, and ErrorType UNHANDLED_ERROR)

Exceptions are built from what the service sent, as it sent it (so that ``ErrorType`` parses
whatever the secrets are); every call masks the exception it raises before it leaves the SDK
(``cielo24.masking.mask_error``), so no message or attribute holds a secret.
"""

from __future__ import annotations

import contextlib
import json
import re
from collections.abc import Mapping
from typing import Any, cast

#: JSON nested deeper than this is refused, before it is parsed (Python's parser would run
#: out of stack on it); cielo24's answers are a few levels deep.
MAX_JSON_DEPTH = 100


class Cielo24Error(Exception):
    """Base class of every exception raised by the SDK.

    Attributes:
        attempts: how many times the call was sent before it gave up (see RetryPolicy).
    """

    attempts: int = 1


class ApiTypeError(Cielo24Error, TypeError):
    """An argument has the wrong type. Raised before any request is sent."""


class ApiValueError(Cielo24Error, ValueError):
    """An argument has a wrong value. Raised before any request is sent."""


class ApiKeyError(Cielo24Error, KeyError):
    """A key is missing: no API token configured, or an unknown field name."""

    def __str__(self) -> str:  # KeyError would quote the message
        return str(self.args[0]) if self.args else ""


class ApiConnectionError(Cielo24Error):
    """The request got no HTTP response: connection refused or reset, response cut off.

    Attributes:
        request_sent: False when the request certainly did not reach the service (the
            connection could not be made); True when it may have.
        output_started: part of a streamed answer was already written to the caller's file.
    """

    def __init__(
        self, message: str, *, request_sent: bool = True, output_started: bool = False
    ) -> None:
        super().__init__(message)
        self.request_sent = request_sent
        self.output_started = output_started


class ApiTimeoutError(ApiConnectionError):
    """Connecting, sending or waiting for the response took longer than the timeout."""


class ApiTLSError(ApiConnectionError):
    """The TLS handshake failed, for example because the certificate could not be verified."""


class ApiException(Cielo24Error):
    """The service answered with an error (or with a body the SDK cannot read).

    Attributes:
        status: the HTTP status code.
        reason: the HTTP reason phrase.
        body: the response body as text.
        headers: the response headers.
        error_type: the service's ``ErrorType`` (kept as sent, even when the SDK does not know
            it), or None when the body is not a cielo24 error.
        error_comment: the service's ``ErrorComment``, or None.
    """

    def __init__(
        self,
        status: int | None = None,
        reason: str | None = None,
        body: str | None = None,
        headers: Mapping[str, str] | None = None,
        error_type: str | None = None,
        error_comment: str | None = None,
    ) -> None:
        super().__init__(status, reason, error_type, error_comment)
        self.status = status
        self.reason = reason
        self.body = body
        self.headers = headers
        self.error_type = error_type
        self.error_comment = error_comment

    def __str__(self) -> str:
        text = f"({self.status}) {self.reason or ''}".rstrip()
        if self.error_type is not None or self.error_comment is not None:
            return f"{text}: {self.error_type}: {self.error_comment}"
        if self.body:
            return f"{text}: {_shorten(self.body)}"
        return text


class UnexpectedResponseError(ApiException):
    """A success status whose body is not the JSON the operation returns, or an answer the SDK
    refuses to read: larger than ``Configuration.max_response_bytes``, JSON nested deeper than
    MAX_JSON_DEPTH, or in a content encoding it did not ask for.

    Attributes:
        detail: why the answer was refused, naming the limit; None for a body that is not the
            JSON expected.
    """

    def __init__(
        self,
        status: int | None = None,
        reason: str | None = None,
        body: str | None = None,
        headers: Mapping[str, str] | None = None,
        error_type: str | None = None,
        error_comment: str | None = None,
        *,
        detail: str | None = None,
    ) -> None:
        super().__init__(status, reason, body, headers, error_type, error_comment)
        self.detail = detail

    def __str__(self) -> str:
        if self.detail is not None:
            return f"({self.status}) {self.detail}"
        return f"({self.status}) unexpected response body: {_shorten(self.body or '')!r}"


class BadRequestException(ApiException):
    """HTTP 400: the service refused the request (cielo24 reports most errors this way)."""


class AuthenticationError(BadRequestException):
    """LOGIN_INVALID: the credentials were not accepted."""


class BadApiTokenError(AuthenticationError):
    """BAD_API_TOKEN: the API token is invalid or expired (after one hour idle)."""


class PermissionDeniedError(BadRequestException):
    """ACCOUNT_UNPRIVILEGED or NOT_PARENT_ACCOUNT: no access to that account or data."""


class ItemNotFoundError(BadRequestException):
    """ITEM_NOT_FOUND (or a missing account or sub-account): the id is not known."""


class InvalidRequestError(BadRequestException):
    """INVALID_QUERY, INVALID_OPTION, INVALID_URL, MISSING_PARAMETER: a parameter is wrong."""


class AccountExistsError(BadRequestException):
    """ACCOUNT_EXISTS: the account already exists."""


class NotImplementedByServiceError(BadRequestException):
    """NOT_IMPLEMENTED: the service (e.g. the sandbox) does not offer this operation."""


class UnauthorizedException(ApiException):
    """HTTP 401."""


class ForbiddenException(ApiException):
    """HTTP 403."""


class NotFoundException(ApiException):
    """HTTP 404: for example a path the service does not have."""


class TooManyRequestsException(ApiException):
    """HTTP 429: the service asks the client to slow down."""


class ServiceException(ApiException):
    """HTTP 5xx, or ErrorType UNHANDLED_ERROR: the service failed."""


class WaitError(Cielo24Error):
    """Waiting for a job ended without the result waited for; every call succeeded.

    Raised as such when a job is Complete without the interim version waited for.

    Attributes:
        job_id: the job.
        status: the last status job info reported (cielo24.enums.JobStatus), or None.
        job_info: the last JobInfoResponse read, or None.
    """

    def __init__(
        self,
        message: str,
        *,
        job_id: str | None = None,
        status: str | None = None,
        job_info: Any = None,
    ) -> None:
        super().__init__(message)
        self.job_id = job_id
        self.status = status
        self.job_info = job_info

    def __reduce__(self) -> tuple[Any, ...]:  # keep the attributes through pickle
        return (type(self), self.args, self.__dict__)


class MediaFailureError(WaitError):
    """The job reported Media Failure: the service could not use its media, and no
    transcript will come. Send the media again in a new job."""


class WaitTimeoutError(WaitError):
    """The job was not done when the timeout passed; ``status`` is the last one seen. The job
    goes on: wait for it again, or come back later.

    Attributes:
        timeout: the seconds waited.
    """

    def __init__(
        self,
        message: str,
        *,
        job_id: str | None = None,
        status: str | None = None,
        job_info: Any = None,
        timeout: float | None = None,
    ) -> None:
        super().__init__(message, job_id=job_id, status=status, job_info=job_info)
        self.timeout = timeout


_BY_ERROR_TYPE: dict[str, type[ApiException]] = {
    "LOGIN_INVALID": AuthenticationError,
    "BAD_API_TOKEN": BadApiTokenError,
    "ACCOUNT_UNPRIVILEGED": PermissionDeniedError,
    "NOT_PARENT_ACCOUNT": PermissionDeniedError,
    "ITEM_NOT_FOUND": ItemNotFoundError,
    "ACCOUNT_DOES_NOT_EXIST": ItemNotFoundError,
    "NO_CHILDREN_FOUND": ItemNotFoundError,
    "INVALID_QUERY": InvalidRequestError,
    "INVALID_OPTION": InvalidRequestError,
    "INVALID_URL": InvalidRequestError,
    "MISSING_PARAMETER": InvalidRequestError,
    "INVALID_RETURN_HANDLERS": InvalidRequestError,
    "ACCOUNT_EXISTS": AccountExistsError,
    "NOT_IMPLEMENTED": NotImplementedByServiceError,
    "UNHANDLED_ERROR": ServiceException,
}

_BY_STATUS: dict[int, type[ApiException]] = {
    400: BadRequestException,
    401: UnauthorizedException,
    403: ForbiddenException,
    404: NotFoundException,
    429: TooManyRequestsException,
}


def exception_for_response(
    status: int, reason: str | None, body: bytes, headers: Mapping[str, str]
) -> ApiException:
    """Build the exception for an error response: by ErrorType first, then by HTTP status."""
    text = body.decode("utf-8", "replace")
    error_type = error_comment = None
    parsed: Any = None
    if not too_deep(body):
        with contextlib.suppress(ValueError):
            parsed = json.loads(text)
    if isinstance(parsed, dict):
        fields = cast("dict[str, Any]", parsed)
        error_type = _str_or_none(fields.get("ErrorType"))
        error_comment = _str_or_none(fields.get("ErrorComment"))
    cls = _BY_ERROR_TYPE.get(error_type or "")
    if cls is None:
        cls = ServiceException if status >= 500 else _BY_STATUS.get(status, ApiException)
    return cls(status, reason, text, headers, error_type, error_comment)


def _str_or_none(value: Any) -> str | None:
    return None if value is None else str(value)


def _shorten(text: str, limit: int = 200) -> str:
    return text if len(text) <= limit else text[:limit] + "..."


_JSON_STRING = re.compile(rb'"[^"\\]*(?:\\.[^"\\]*)*"')
_NOT_BRACKET = re.compile(rb"[^\[\]{}]+")
_INNERMOST = re.compile(rb"\[\]|\{\}")


def too_deep(body: bytes) -> bool:
    """Whether ``body``, read as JSON, nests arrays and objects deeper than MAX_JSON_DEPTH."""
    if body.count(b"[") + body.count(b"{") <= MAX_JSON_DEPTH:
        return False  # the common case, at the cost of two counts
    brackets = _NOT_BRACKET.sub(b"", _JSON_STRING.sub(b"", body))
    for _ in range(MAX_JSON_DEPTH):  # each pass removes one level
        brackets, removed = _INNERMOST.subn(b"", brackets)
        if not removed:
            return False
    return _INNERMOST.search(brackets) is not None


#: The generated client's base exception (openapi-generator's name): every exception the SDK
#: raises derives from it.
OpenApiException = Cielo24Error


class ApiAttributeError(Cielo24Error, AttributeError):
    """A model has no field of that name (the generated client's name for this error)."""


class MissingFieldError(ApiAttributeError, ApiKeyError):
    """A field the service always returns was missing from its answer.

    Raised when the field is read (``info.job_status`` or ``info["JobStatus"]``), not when the
    answer arrives: the rest of it stays readable. An ``AttributeError`` and a ``KeyError``.
    """
