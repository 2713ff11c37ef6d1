"""GenerateApiKeyResponse: what generate_api_key returns."""

from typing import ClassVar

from cielo24.model_utils import Model, field


class GenerateApiKeyResponse(Model):
    """A long-term secure key (``ApiKey``) to log in with instead of a password.

    Shown as ``'***'`` in the repr.
    """

    _wire_case: ClassVar[str] = "camel"

    api_key: str = field(secret=True)
