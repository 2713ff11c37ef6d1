"""The service's refusals: an HTTP status with an ``ErrorType`` and an ``ErrorComment``."""

from __future__ import annotations

MISSING_PARAMETER = "MISSING_PARAMETER"
INVALID_OPTION = "INVALID_OPTION"
INVALID_QUERY = "INVALID_QUERY"
INVALID_URL = "INVALID_URL"
ITEM_NOT_FOUND = "ITEM_NOT_FOUND"
BAD_API_TOKEN = "BAD_API_TOKEN"
LOGIN_INVALID = "LOGIN_INVALID"
ACCOUNT_EXISTS = "ACCOUNT_EXISTS"
ACCOUNT_DOES_NOT_EXIST = "ACCOUNT_DOES_NOT_EXIST"
ACCOUNT_UNPRIVILEGED = "ACCOUNT_UNPRIVILEGED"
NOT_IMPLEMENTED = "NOT_IMPLEMENTED"
UNHANDLED_ERROR = "UNHANDLED_ERROR"

UNPRIVILEGED_COMMENT = "Account does not have permission to access/change this data"
"""The service's comment for ACCOUNT_UNPRIVILEGED (the legacy clients' tests expect it)."""


class ApiError(Exception):
    """A request the service refuses, answered as ``{"ErrorType": ..., "ErrorComment": ...}``.

    Args:
        error_type: one of the ErrorType values above.
        comment: human text naming the parameter or value at fault.
        status: the HTTP status of the answer (the service uses 400 for nearly every refusal).
        close: close the connection after answering (the request's framing cannot be trusted).
        headers: extra response headers, such as ``Allow`` on a 405.
    """

    def __init__(
        self,
        error_type: str,
        comment: str,
        *,
        status: int = 400,
        close: bool = False,
        headers: tuple[tuple[str, str], ...] = (),
    ) -> None:
        super().__init__(f"{error_type}: {comment}")
        self.error_type = error_type
        self.comment = comment
        self.status = status
        self.close = close
        self.headers = headers
