"""AccountApi: log in and out, API keys, passwords and settings (the ``/account/...`` endpoints)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Union

from cielo24.api._params import V_FORM, V, flag
from cielo24.api_client import ApiClient, Endpoint
from cielo24.enums import AccountSetting, enum_values
from cielo24.model_utils import param

if TYPE_CHECKING:
    from typing_extensions import Unpack

    from cielo24.api_client import RequestOptions
    from cielo24.model.account_settings import AccountSettings
    from cielo24.model.generate_api_key_response import GenerateApiKeyResponse
    from cielo24.model.login_response import LoginResponse
    from cielo24.model.verify_key_response import VerifyKeyResponse

_ACCOUNT_ID = param("account_id", str)


def _bool_as_text(value: object) -> object:
    return ("true" if value else "false") if isinstance(value, bool) else value


# The credentials travel in the x-auth-* headers, never in the URL.
LOGIN = Endpoint(
    "login",
    "GET",
    "/account/login",
    [
        V,
        param("username", str, required=True, wire="x-auth-user", location="header"),
        param("password", str, wire="x-auth-password", location="header", secret=True),
        param("securekey", str, wire="x-auth-securekey", location="header", secret=True),
    ],
    response_type="cielo24.model.login_response.LoginResponse",
    auth=False,
)
LOGOUT = Endpoint("logout", "GET", "/account/logout", [V])
UPDATE_PASSWORD = Endpoint(
    "update_password",
    "POST",
    "/account/update_password",
    [
        V_FORM,
        param("new_password", str, required=True, location="form", secret=True),
        param("username", str, location="form"),
    ],
    token_in_form=True,  # as cielo24's docs send it: nothing of it in the URL
)
UPDATE_SETTING = Endpoint(
    "update_setting",
    "POST",
    "/account/update_setting",
    [
        V,
        param("setting", str, required=True, enum=enum_values(AccountSetting), location="form"),
        param("value", Union[str, bool], required=True, location="form", convert=_bool_as_text),
        param("account_id", str, location="form"),
    ],
)
GENERATE_API_KEY = Endpoint(
    "generate_api_key",
    "GET",
    "/account/generate_api_key",
    [V, _ACCOUNT_ID, flag("force_new")],
    response_type="cielo24.model.generate_api_key_response.GenerateApiKeyResponse",
)
REMOVE_API_KEY = Endpoint(
    "remove_api_key",
    "GET",
    "/account/remove_api_key",
    [V, param("api_securekey", str, required=True, secret=True)],
)
CREATE_SANDBOX_ACCOUNT = Endpoint(
    "create_sandbox_account",
    "POST",
    "/account/create",
    [
        V,
        param("new_username", str, required=True, location="form"),
        param("new_password", str, required=True, location="form", secret=True),
        param("sub_account", str, location="form"),
        param("parent_account", str, location="form"),
        param("first_name", str, location="form"),
        param("last_name", str, location="form"),
        param("email", str, location="form"),
    ],
)
GET_SETTINGS = Endpoint(
    "get_settings",
    "GET",
    "/account/get_settings",
    [V],
    response_type="cielo24.model.account_settings.AccountSettings",
)
VERIFY_KEY = Endpoint(
    "verify_key",
    "GET",
    "/account/verify_key",
    [V],
    response_type="cielo24.model.verify_key_response.VerifyKeyResponse",
)


class AccountApi:
    """The account endpoints. Every method also takes the per-call options of RequestOptions.

    Thread-safe when its ApiClient is (it is).
    """

    def __init__(self, api_client: ApiClient | None = None) -> None:
        self.api_client = api_client if api_client is not None else ApiClient()

    def login(
        self,
        username: str,
        password: str | None = None,
        securekey: str | None = None,
        v: int = 1,
        **kwargs: Unpack[RequestOptions],
    ) -> LoginResponse:
        """Log in with a password or a secure key and get an API token (GET /account/login).

        The credentials are sent in the ``x-auth-user``, ``x-auth-password`` and
        ``x-auth-securekey`` headers, never in the URL. The token is not stored for you:
        set ``configuration.api_key['ApiKeyAuth'] = response.api_token`` (or give the
        Configuration a username and password and let the client log in by itself).

        Raises:
            ApiValueError: neither or both of password and securekey.
            AuthenticationError: LOGIN_INVALID; PermissionDeniedError: ACCOUNT_UNPRIVILEGED
                (a removed secure key).
        """
        from cielo24.exceptions import ApiValueError

        if (password is None) == (securekey is None):
            raise ApiValueError("login needs either a password or a securekey (not both)")
        params = {"v": v, "username": username, "password": password, "securekey": securekey}
        result: LoginResponse = self.api_client.call_api(LOGIN, params, **kwargs)
        return result

    def logout(self, v: int = 1, **kwargs: Unpack[RequestOptions]) -> None:
        """End the session: the API token stops working (GET /account/logout)."""
        result: None = self.api_client.call_api(LOGOUT, {"v": v}, **kwargs)
        return result

    def update_password(
        self,
        new_password: str,
        v: int = 1,
        *,
        username: str | None = None,
        **kwargs: Unpack[RequestOptions],
    ) -> None:
        """Change the password, of this account or of a sub-account ``username``
        (POST /account/update_password): ``v``, ``api_token`` and ``new_password`` travel in the
        form-encoded body, none of them in the URL."""
        params = {"v": v, "new_password": new_password, "username": username}
        result: None = self.api_client.call_api(UPDATE_PASSWORD, params, **kwargs)
        return result

    def update_setting(
        self,
        setting: str,
        value: str | bool,
        v: int = 1,
        *,
        account_id: str | None = None,
        **kwargs: Unpack[RequestOptions],
    ) -> None:
        """Change an account setting (POST /account/update_setting, form-encoded).

        Args:
            setting: one of cielo24.enums.AccountSetting.
            value: the new value: text, or a bool for the boolean settings.
            account_id: a sub-account's username.
        """
        params = {"v": v, "setting": setting, "value": value, "account_id": account_id}
        result: None = self.api_client.call_api(UPDATE_SETTING, params, **kwargs)
        return result

    def generate_api_key(
        self,
        v: int = 1,
        *,
        account_id: str | None = None,
        force_new: bool | None = None,
        **kwargs: Unpack[RequestOptions],
    ) -> GenerateApiKeyResponse:
        """Get a long-term secure key to log in with (GET /account/generate_api_key).

        Args:
            account_id: a sub-account's username, to make the key for it.
            force_new: True always makes a new key; otherwise an existing key is returned.
        """
        params = {"v": v, "account_id": account_id, "force_new": force_new}
        result: GenerateApiKeyResponse = self.api_client.call_api(
            GENERATE_API_KEY, params, **kwargs
        )
        return result

    def remove_api_key(
        self, api_securekey: str, v: int = 1, **kwargs: Unpack[RequestOptions]
    ) -> None:
        """Invalidate a secure key (GET /account/remove_api_key)."""
        params = {"v": v, "api_securekey": api_securekey}
        result: None = self.api_client.call_api(REMOVE_API_KEY, params, **kwargs)
        return result

    def create_sandbox_account(
        self,
        new_username: str,
        new_password: str,
        v: int = 1,
        *,
        sub_account: str | None = None,
        parent_account: str | None = None,
        first_name: str | None = None,
        last_name: str | None = None,
        email: str | None = None,
        **kwargs: Unpack[RequestOptions],
    ) -> None:
        """Create an account on the sandbox (POST /account/create, form-encoded).

        Call it on the sandbox server (``Configuration(server="sandbox")``) with a token from
        production.
        """
        params = {
            "v": v,
            "new_username": new_username,
            "new_password": new_password,
            "sub_account": sub_account,
            "parent_account": parent_account,
            "first_name": first_name,
            "last_name": last_name,
            "email": email,
        }
        result: None = self.api_client.call_api(CREATE_SANDBOX_ACCOUNT, params, **kwargs)
        return result

    def get_settings(self, v: int = 1, **kwargs: Unpack[RequestOptions]) -> AccountSettings:
        """The account's settings (GET /account/get_settings; in the spec, not the docs)."""
        result: AccountSettings = self.api_client.call_api(GET_SETTINGS, {"v": v}, **kwargs)
        return result

    def verify_key(self, v: int = 1, **kwargs: Unpack[RequestOptions]) -> VerifyKeyResponse:
        """Check the API token and get its account's name (GET /account/verify_key; in the
        spec, not the docs)."""
        result: VerifyKeyResponse = self.api_client.call_api(VERIFY_KEY, {"v": v}, **kwargs)
        return result
