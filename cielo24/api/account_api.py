"""AccountApi: log in and out, API keys, passwords and settings (the ``/account/...`` endpoints).

Each method is the whole declaration of its endpoint (see cielo24.api.endpoint).
"""

# The method bodies are never run: @endpoint builds each call from the signature.
# mypy: disable-error-code="empty-body"

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated, Any, overload

from cielo24.api.endpoint import Api, Param, RawResponses, endpoint
from cielo24.api_client import ApiClient, RawResponse, RequestOptions
from cielo24.enums import AccountSettingName
from cielo24.exceptions import ApiTypeError, ApiValueError

if TYPE_CHECKING:
    from typing_extensions import Unpack

    from cielo24.models import (
        AccountSettings,
        GenerateApiKeyResponse,
        LoginBody,
        LoginResponse,
        VerifyKeyResponse,
    )


def _bool_as_text(value: object) -> object:
    return ("true" if value else "false") if isinstance(value, bool) else value


def _password_or_securekey(arguments: dict[str, Any]) -> None:
    """Refuse neither or both; read a LoginBody (the generated client's argument) first."""
    from cielo24.model.login_body import LoginBody

    body = arguments.pop("login_body", None)
    if body is None and isinstance(arguments.get("username"), LoginBody):
        body = arguments["username"]
    if body is not None:
        if not isinstance(body, LoginBody):
            raise ApiTypeError(f"login() needs a LoginBody, got {type(body).__name__}")
        arguments.update(username=body.username, password=body.password, securekey=body.securekey)
    if (arguments["password"] is None) == (arguments["securekey"] is None):
        raise ApiValueError("login needs either a password or a securekey (not both)")


def log_in(client: ApiClient) -> str:
    """Log in with the client's Configuration credentials (a username, and a password or a
    secure key) and return the API token; ApiClient calls it when it needs a token."""
    configuration = client.configuration
    response = AccountApi(client).login(
        str(configuration.username),
        password=configuration.password,
        securekey=configuration.api_securekey,
    )
    return str(response.api_token)


#: A form field (the body of a POST).
Form = Param(location="form")


class AccountApi(Api):
    """The account endpoints. Every method also takes the per-call options of RequestOptions.

    Thread-safe when its ApiClient is (it is).
    """

    @property
    def with_raw_response(self) -> AccountApiWithRawResponse:
        """The same endpoint methods, each returning a RawResponse: the answer's ``status``
        and ``headers`` with the parsed answer, ``data``."""
        return AccountApiWithRawResponse(self.api_client)

    @overload
    def login(  # type: ignore[misc, overload-overlap]  # the raw view, a subclass
        self: AccountApiWithRawResponse,
        username: str | LoginBody,
        password: str | None = None,
        securekey: str | None = None,
        v: int = 1,
        **kwargs: Unpack[RequestOptions],
    ) -> RawResponse[LoginResponse]: ...

    @overload
    def login(
        self, login_body: LoginBody, /, *, v: int = 1, **kwargs: Unpack[RequestOptions]
    ) -> LoginResponse: ...

    @overload
    def login(
        self,
        username: str,
        password: str | None = None,
        securekey: str | None = None,
        v: int = 1,
        **kwargs: Unpack[RequestOptions],
    ) -> LoginResponse: ...

    # The credentials travel in the x-auth-* headers, never in the URL.
    # mypy checks the overloads against the Operation @endpoint makes, not this function
    @endpoint(  # type: ignore[misc]
        "GET", "/account/login", retry=True, auth=False, check=_password_or_securekey
    )
    def login(
        self,
        username: Annotated[str | LoginBody, Param("x-auth-user", location="header")],
        password: Annotated[
            str | None, Param("x-auth-password", location="header", secret=True)
        ] = None,
        securekey: Annotated[
            str | None, Param("x-auth-securekey", location="header", secret=True)
        ] = None,
        v: int = 1,
        **kwargs: Unpack[RequestOptions],
    ) -> LoginResponse:
        """Log in with a password or a secure key and get an API token (GET /account/login).

        The credentials are sent in the ``x-auth-user``, ``x-auth-password`` and
        ``x-auth-securekey`` headers, never in the URL. The token is not stored for you:
        set ``configuration.api_key['ApiKeyAuth'] = response.api_token`` (or give the
        Configuration a username and password and let the client log in by itself).

        ``login(login_body)`` with a LoginBody, as the generated client took it, works too.

        Raises:
            ApiValueError: neither or both of password and securekey.
            AuthenticationError: LOGIN_INVALID; PermissionDeniedError: ACCOUNT_UNPRIVILEGED
                (a removed secure key).
        """
        ...

    @endpoint("GET", "/account/logout")
    def logout(self, v: int = 1, **kwargs: Unpack[RequestOptions]) -> None:
        """End the session: the API token stops working (GET /account/logout)."""
        ...

    # As cielo24's docs send it: v, the token and the password in the form, nothing in the URL.
    @endpoint("POST", "/account/update_password", token_in_form=True)
    def update_password(
        self,
        new_password: Annotated[str, Param(location="form", secret=True)],
        v: int = 1,
        *,
        username: Annotated[str | None, Form] = None,
        **kwargs: Unpack[RequestOptions],
    ) -> None:
        """Change the password, of this account or of a sub-account ``username``
        (POST /account/update_password): ``v``, ``api_token`` and ``new_password`` travel in the
        form-encoded body, none of them in the URL."""
        ...

    @endpoint("POST", "/account/update_setting")
    def update_setting(
        self,
        setting: Annotated[AccountSettingName, Form],
        value: Annotated[str | bool, Param(location="form", convert=_bool_as_text)],
        v: int = 1,
        *,
        account_id: Annotated[str | None, Form] = None,
        **kwargs: Unpack[RequestOptions],
    ) -> None:
        """Change an account setting (POST /account/update_setting, form-encoded).

        Args:
            setting: one of cielo24.enums.AccountSetting.
            value: the new value: text, or a bool for the boolean settings.
            account_id: a sub-account's username.
        """
        ...

    @endpoint("GET", "/account/generate_api_key")
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
        ...

    @endpoint("GET", "/account/remove_api_key")
    def remove_api_key(
        self,
        api_securekey: Annotated[str, Param(secret=True)],
        v: int = 1,
        **kwargs: Unpack[RequestOptions],
    ) -> None:
        """Invalidate a secure key (GET /account/remove_api_key)."""
        ...

    @endpoint("POST", "/account/create")
    def create_sandbox_account(
        self,
        new_username: Annotated[str, Form],
        new_password: Annotated[str, Param(location="form", secret=True)],
        v: int = 1,
        *,
        sub_account: Annotated[str | None, Form] = None,
        parent_account: Annotated[str | None, Form] = None,
        first_name: Annotated[str | None, Form] = None,
        last_name: Annotated[str | None, Form] = None,
        email: Annotated[str | None, Form] = None,
        **kwargs: Unpack[RequestOptions],
    ) -> None:
        """Create an account on the sandbox (POST /account/create, form-encoded).

        Call it on the sandbox server (``Configuration(server="sandbox")``) with a token from
        production.
        """
        ...

    @endpoint("GET", "/account/get_settings", retry=True)
    def get_settings(self, v: int = 1, **kwargs: Unpack[RequestOptions]) -> AccountSettings:
        """The account's settings (GET /account/get_settings; in the spec, not the docs)."""
        ...

    @endpoint("GET", "/account/verify_key", retry=True)
    def verify_key(self, v: int = 1, **kwargs: Unpack[RequestOptions]) -> VerifyKeyResponse:
        """Check the API token and get its account's name (GET /account/verify_key; in the
        spec, not the docs)."""
        ...


class AccountApiWithRawResponse(RawResponses, AccountApi):
    """``accounts.with_raw_response``: AccountApi whose endpoint methods return a RawResponse."""
