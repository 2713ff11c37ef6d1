"""VerifyKeyResponse: what verify_key returns."""

from typing import Optional

from cielo24.model_utils import Model


class VerifyKeyResponse(Model):
    """The name of the account the token belongs to (``name``)."""

    name: Optional[str] = None
