"""LoginBody: the credentials of login, as one model (the generated client's login_body)."""

from typing import Optional

from cielo24.model_utils import Model, field


class LoginBody(Model):
    """A username with its password or its secure key (from generate_api_key).

    ``AccountApi.login(login_body)`` takes it as the generated client did; the credentials
    still travel in the ``x-auth-*`` headers, never in a body or the URL. The password and the
    key are shown as ``'***'`` in the repr.
    """

    username: str
    password: Optional[str] = field(default=None, secret=True)
    securekey: Optional[str] = field(default=None, secret=True)
