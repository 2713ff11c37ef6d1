"""The cielo24 Python SDK: transcription and captioning through the cielo24 API.

import cielo24
from cielo24.api import job_api

configuration = cielo24.Configuration()
configuration.api_key["ApiKeyAuth"] = "YOUR_API_TOKEN"
with cielo24.ApiClient(configuration) as api_client:
    jobs = job_api.JobApi(api_client)
"""

from cielo24._version import __version__
from cielo24.api_client import ApiClient, AsyncResult
from cielo24.configuration import Configuration
from cielo24.exceptions import (
    AccountExistsError,
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
    NotFoundException,
    NotImplementedByServiceError,
    PermissionDeniedError,
    ServiceException,
    TooManyRequestsException,
    UnauthorizedException,
    UnexpectedResponseError,
)

__all__ = [
    "AccountExistsError",
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
    "Cielo24Error",
    "Configuration",
    "ForbiddenException",
    "InvalidRequestError",
    "ItemNotFoundError",
    "NotFoundException",
    "NotImplementedByServiceError",
    "PermissionDeniedError",
    "ServiceException",
    "TooManyRequestsException",
    "UnauthorizedException",
    "UnexpectedResponseError",
    "__version__",
]
