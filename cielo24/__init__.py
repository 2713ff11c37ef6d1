"""The cielo24 Python SDK: transcription and captioning through the cielo24 API.

import cielo24

configuration = cielo24.Configuration.from_env()  # CIELO24_* variables, then `cielo24 login --save`
with cielo24.ApiClient(configuration) as api_client:
    jobs = cielo24.JobApi(api_client)

Or media in, captions out, in one call (see docs/workflows.md):

result = cielo24.transcribe("talk.mp4", fidelity="MECHANICAL", configuration=configuration)
print(result.captions["SRT"])
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

from cielo24._version import __version__
from cielo24.api_client import ApiClient, AsyncResult, RawResponse
from cielo24.configuration import Configuration
from cielo24.exceptions import (
    AccountExistsError,
    ApiAttributeError,
    ApiConnectionError,
    ApiException,
    ApiKeyError,
    ApiTimeoutError,
    ApiTLSError,
    ApiTypeError,
    ApiValueError,
    AuthenticationError,
    BadApiTokenError,
    BadRequestException,
    Cielo24Error,
    ForbiddenException,
    InvalidRequestError,
    ItemNotFoundError,
    MediaFailureError,
    MissingFieldError,
    NotFoundException,
    NotImplementedByServiceError,
    OpenApiException,
    PermissionDeniedError,
    ServiceException,
    TooManyRequestsException,
    UnauthorizedException,
    UnexpectedResponseError,
    WaitError,
    WaitTimeoutError,
)

if TYPE_CHECKING:
    from cielo24.api.account_api import AccountApi
    from cielo24.api.job_api import JobApi
    from cielo24.batch import BatchResult, MediaItem, transcribe_many
    from cielo24.callbacks import JobCallback, build_callback_url, parse_callback
    from cielo24.captions import Caption
    from cielo24.waiter import Waiter
    from cielo24.workflows import Transcription, transcribe

__all__ = [
    "AccountApi",
    "AccountExistsError",
    "ApiAttributeError",
    "ApiClient",
    "ApiConnectionError",
    "ApiException",
    "ApiKeyError",
    "ApiTLSError",
    "ApiTimeoutError",
    "ApiTypeError",
    "ApiValueError",
    "AsyncResult",
    "AuthenticationError",
    "BadApiTokenError",
    "BadRequestException",
    "BatchResult",
    "Caption",
    "Cielo24Error",
    "Configuration",
    "ForbiddenException",
    "InvalidRequestError",
    "ItemNotFoundError",
    "JobApi",
    "JobCallback",
    "MediaFailureError",
    "MediaItem",
    "MissingFieldError",
    "NotFoundException",
    "NotImplementedByServiceError",
    "OpenApiException",
    "PermissionDeniedError",
    "RawResponse",
    "ServiceException",
    "TooManyRequestsException",
    "Transcription",
    "UnauthorizedException",
    "UnexpectedResponseError",
    "WaitError",
    "WaitTimeoutError",
    "Waiter",
    "__version__",
    "build_callback_url",
    "parse_callback",
    "transcribe",
    "transcribe_many",
]

# Loaded on first use, so that ``import cielo24`` stays as light as the client needs.
_LAZY = {
    "JobApi": "cielo24.api.job_api",
    "AccountApi": "cielo24.api.account_api",
    "transcribe": "cielo24.workflows",
    "transcribe_many": "cielo24.batch",
    "BatchResult": "cielo24.batch",
    "MediaItem": "cielo24.batch",
    "Caption": "cielo24.captions",
    "Transcription": "cielo24.workflows",
    "Waiter": "cielo24.waiter",
    "build_callback_url": "cielo24.callbacks",
    "parse_callback": "cielo24.callbacks",
    "JobCallback": "cielo24.callbacks",
}


def __getattr__(name: str) -> Any:
    """The names of _LAZY, imported when first asked for."""
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module 'cielo24' has no attribute {name!r}")
    value = getattr(importlib.import_module(module), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted({*globals(), *_LAZY})
