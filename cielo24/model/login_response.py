"""LoginResponse: what login returns."""

from typing import ClassVar

from cielo24.model_utils import Model, field


class LoginResponse(Model):
    """The session's API token (``ApiToken``; ``api_token`` is read too, as the spec spells it).

    The token stays valid until logout or one hour without activity. It is shown as ``'***'``
    in the repr.
    """

    _wire_case: ClassVar[str] = "camel"

    api_token: str = field(secret=True)
