"""ErrorResponse: the body of every error the service reports."""

from typing import ClassVar

from cielo24.model_utils import Model


class ErrorResponse(Model):
    """An error from the service (``ErrorType``, ``ErrorComment``).

    The SDK raises these as exceptions (see ``cielo24.exceptions``) whose ``error_type`` and
    ``error_comment`` hold the same values; this model is there to read a stored error body.
    """

    _wire_case: ClassVar[str] = "camel"

    error_type: str
    error_comment: str
